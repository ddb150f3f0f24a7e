"""The Assistants v2 operations: each is one transaction on the store, for one tenant.

A tenant is the hash of the client key a request came with (:mod:`.keys`). Every object belongs to the tenant that
created it (messages, runs and run steps through their thread): any other tenant gets the same 404 as for an id
that does not exist. Requests arrive validated against the spec (:mod:`.checks`); what the gateway cannot do
(streaming, files) is refused here with a 400 that says so.

Runs are created ``queued``. A run queued by this process goes straight to its worker when the worker has room:
``dispatch_run`` claims it in the same transaction (it is ``in_progress`` under the worker's lease when the
transaction commits, and the worker starts it without a claim of its own); otherwise it wakes the worker, which
claims it from the database like a run another process queued. The database stays the one source of truth: a run
is executed by whoever holds its lease. The API answers with the run as it was queued. A run being executed
(``in_progress``) is cancelled by marking it ``cancelling``: its worker stops and marks it ``cancelled``
(``on_run_cancelling`` tells this process's worker at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import RowMapping

from .checks import Call
from .errors import bad_request, not_found
from .json_values import JSONObject, as_object, objects
from .objects import (
    ACTIVE_RUN_STATUSES,
    MESSAGE_FIELDS,
    RUN_FIELDS,
    THREAD_FIELDS,
    deleted,
    new_assistant,
    new_id,
    new_message,
    new_run,
    new_thread,
    paginate,
    pick,
    update_assistant,
)
from .runs import (
    assistant_settings,
    check_message_supported,
    check_supported,
    ended,
    new_state,
    submitted,
    upstream_settings,
    used,
)
from .store import Store, Tx
from .tables import assistants, messages, run_steps, runs, threads
from .upstream.conversation import Usage


@dataclass(frozen=True)
class Handoff:
    """What happens to a run queued in a transaction once the transaction has ended (see ``dispatch_run``)."""

    #: The transaction committed: start the run here (or wake the worker to claim it).
    start: Callable[[], None]
    #: The transaction rolled back: free what was taken for the run.
    abandon: Callable[[], None] = lambda: None


#: Claims a run just queued in a transaction for this process's worker (when it has room); see the module docstring.
DispatchRun = Callable[[Tx, str], Handoff]


def _no_worker(_tx: Tx, _run_id: str) -> Handoff:
    return Handoff(start=lambda: None)


def render_run(row: RowMapping) -> JSONObject:
    """Return the run of ``row`` as the API shows it (its status and start are columns of their own)."""
    body: JSONObject = row["body"]
    return body | {"status": row["status"], "started_at": row["started_at"]}


class Service:
    """The API operations of the gateway (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        *,
        run_expires_after_s: float,
        dispatch_run: DispatchRun = _no_worker,
        on_run_cancelling: Callable[[str], None] = lambda run_id: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Serve ``store``; a new run expires ``run_expires_after_s`` seconds after its creation.

        ``dispatch_run`` is called in the transaction that queues a run (see the module docstring; by default
        nothing executes runs); ``on_run_cancelling`` when a run in progress is marked ``cancelling``.
        """
        self.store = store
        self.run_expires_after_s = run_expires_after_s
        self.dispatch_run = dispatch_run
        self.on_run_cancelling = on_run_cancelling
        self.clock = clock

    # -- assistants ---------------------------------------------------------------------------------------------

    def create_assistant(self, tenant: str, call: Call) -> JSONObject:
        """``POST /assistants``."""
        check_supported(call.body)
        assistant = new_assistant(new_id("asst"), int(self.clock()), call.body)
        with self.store.transaction(write=True) as tx:
            tx.insert(
                assistants,
                id=assistant["id"],
                tenant=tenant,
                body=assistant,
                settings=assistant_settings({}, call.body),
            )
        return assistant

    def get_assistant(self, tenant: str, call: Call) -> JSONObject:
        """``GET /assistants/{assistant_id}``."""
        with self.store.transaction() as tx:
            return dict(_assistant(tx, tenant, call.params["assistant_id"])["body"])

    def list_assistants(self, tenant: str, call: Call) -> JSONObject:
        """``GET /assistants``."""
        with self.store.transaction() as tx:
            rows = tx.rows(assistants, tenant=tenant)
        return paginate([row["body"] for row in rows], call.query)

    def modify_assistant(self, tenant: str, call: Call) -> JSONObject:
        """``POST /assistants/{assistant_id}``."""
        check_supported(call.body)
        with self.store.transaction(write=True) as tx:
            row = _assistant(tx, tenant, call.params["assistant_id"], lock=True)
            assistant = update_assistant(dict(row["body"]), call.body)
            settings = assistant_settings(row["settings"], call.body)
            tx.update(assistants, {"id": row["id"]}, body=assistant, settings=settings)
        return assistant

    def delete_assistant(self, tenant: str, call: Call) -> JSONObject:
        """``DELETE /assistants/{assistant_id}`` (its runs keep what they were created with)."""
        with self.store.transaction(write=True) as tx:
            row = _assistant(tx, tenant, call.params["assistant_id"])
            tx.delete(assistants, id=row["id"])
        return deleted(row["id"], "assistant.deleted")

    # -- threads ------------------------------------------------------------------------------------------------

    def create_thread(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads`` (with its messages)."""
        check_supported(call.body)
        with self.store.transaction(write=True) as tx:
            return self._add_thread(tx, tenant, call.body)

    def get_thread(self, tenant: str, call: Call) -> JSONObject:
        """``GET /threads/{thread_id}``."""
        with self.store.transaction() as tx:
            return dict(_thread(tx, tenant, call.params["thread_id"])["body"])

    def modify_thread(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads/{thread_id}``."""
        check_supported(call.body)
        with self.store.transaction(write=True) as tx:
            row = _thread(tx, tenant, call.params["thread_id"], lock=True)
            thread = dict(row["body"]) | pick(call.body, THREAD_FIELDS)
            tx.update(threads, {"id": row["id"]}, body=thread)
        return thread

    def delete_thread(self, tenant: str, call: Call) -> JSONObject:
        """``DELETE /threads/{thread_id}``, with its messages, runs and run steps."""
        with self.store.transaction(write=True) as tx:
            thread_id = _thread(tx, tenant, call.params["thread_id"], lock=True)["id"]
            for table in (messages, run_steps, runs):
                tx.delete(table, thread_id=thread_id)
            tx.delete(threads, id=thread_id)
        return deleted(thread_id, "thread.deleted")

    # -- messages -----------------------------------------------------------------------------------------------

    def create_message(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads/{thread_id}/messages``: refused while a run is active on the thread."""
        check_message_supported(call.body)
        with self.store.transaction(write=True) as tx:
            thread_id = _thread(tx, tenant, call.params["thread_id"], lock=True)["id"]
            active = _active_run(tx, thread_id)
            if active is not None:
                raise bad_request(f"Can't add messages to {thread_id} while a run {active} is active.")
            return self._add_message(tx, tenant, thread_id, call.body)

    def list_messages(self, tenant: str, call: Call) -> JSONObject:
        """``GET /threads/{thread_id}/messages`` (``run_id`` keeps one run's messages)."""
        with self.store.transaction() as tx:
            thread_id = _thread(tx, tenant, call.params["thread_id"])["id"]
            where = {"thread_id": thread_id}
            if call.query.get("run_id") is not None:
                where["run_id"] = call.query["run_id"]
            rows = tx.rows(messages, **where)
        return paginate([row["body"] for row in rows], call.query)

    def get_message(self, tenant: str, call: Call) -> JSONObject:
        """``GET /threads/{thread_id}/messages/{message_id}``."""
        with self.store.transaction() as tx:
            return dict(_message(tx, tenant, call)["body"])

    def modify_message(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads/{thread_id}/messages/{message_id}`` (its metadata)."""
        with self.store.transaction(write=True) as tx:
            row = _message(tx, tenant, call)
            message = dict(row["body"]) | pick(call.body, {"metadata": MESSAGE_FIELDS["metadata"]})
            tx.update(messages, {"id": row["id"]}, body=message)
        return message

    def delete_message(self, tenant: str, call: Call) -> JSONObject:
        """``DELETE /threads/{thread_id}/messages/{message_id}``."""
        with self.store.transaction(write=True) as tx:
            row = _message(tx, tenant, call)
            tx.delete(messages, id=row["id"])
        return deleted(row["id"], "thread.message.deleted")

    # -- runs ---------------------------------------------------------------------------------------------------

    def create_run(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads/{thread_id}/runs``: refused while another run is active on the thread."""
        check_supported(call.body)
        with self._queueing() as (tx, queued):
            thread_id = _thread(tx, tenant, call.params["thread_id"], lock=True)["id"]
            assistant = _assistant(tx, tenant, call.body["assistant_id"])
            active = _active_run(tx, thread_id)
            if active is not None:
                raise bad_request(f"Thread {thread_id} already has an active run {active}.")
            for message in objects(call.body.get("additional_messages")):
                self._add_message(tx, tenant, thread_id, message)
            run = self._add_run(tx, tenant, thread_id, assistant, call.body)
            queued(run["id"])
        return run

    def create_thread_and_run(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads/runs``: a thread (``thread``) and a run on it."""
        check_supported(call.body)
        with self._queueing() as (tx, queued):
            assistant = _assistant(tx, tenant, call.body["assistant_id"])
            thread = self._add_thread(tx, tenant, call.body.get("thread") or {})
            run = self._add_run(tx, tenant, thread["id"], assistant, call.body)
            queued(run["id"])
        return run

    def get_run(self, tenant: str, call: Call) -> JSONObject:
        """``GET /threads/{thread_id}/runs/{run_id}``."""
        with self.store.transaction() as tx:
            return render_run(_run(tx, tenant, call))

    def list_runs(self, tenant: str, call: Call) -> JSONObject:
        """``GET /threads/{thread_id}/runs``."""
        with self.store.transaction() as tx:
            thread_id = _thread(tx, tenant, call.params["thread_id"])["id"]
            rows = tx.rows(runs, thread_id=thread_id)
        return paginate([render_run(row) for row in rows], call.query)

    def modify_run(self, tenant: str, call: Call) -> JSONObject:
        """``POST /threads/{thread_id}/runs/{run_id}`` (its metadata)."""
        with self.store.transaction(write=True) as tx:
            row = _run(tx, tenant, call, lock=True)
            body = dict(row["body"]) | pick(call.body, RUN_FIELDS)
            tx.update(runs, {"id": row["id"]}, body=body)
        return render_run(row) | pick(call.body, RUN_FIELDS)

    def cancel_run(self, tenant: str, call: Call) -> JSONObject:
        """``POST .../runs/{run_id}/cancel``.

        A queued run, or one waiting for tool outputs, is cancelled at once; one in progress is ``cancelling`` until
        its worker has stopped.
        """
        now = int(self.clock())
        with self.store.transaction(write=True) as tx:
            row = _run(tx, tenant, call, lock=True)
            status = row["status"]
            if status not in ACTIVE_RUN_STATUSES - {"cancelling"}:
                raise bad_request(f"Cannot cancel run with status '{status}'.")
            if status == "in_progress":
                tx.update(runs, {"id": row["id"]}, status="cancelling")
                cancelled = render_run(row) | {"status": "cancelling"}
            else:
                usage = used(row["state"], Usage()).as_api()
                cancelled = ended(render_run(row), "cancelled", now, usage=usage)
                tx.update(runs, {"id": row["id"]}, status="cancelled", body=cancelled)
                end_open_steps(tx, row["id"], "cancelled", now)
        if status == "in_progress":
            self.on_run_cancelling(row["id"])
        return cancelled

    def submit_tool_outputs(self, tenant: str, call: Call) -> JSONObject:
        """``POST .../runs/{run_id}/submit_tool_outputs``: the run is queued again, to continue with them."""
        check_supported(call.body)
        now = int(self.clock())
        with self._queueing() as (tx, queued):
            row = _run(tx, tenant, call, lock=True)
            if row["status"] != "requires_action":
                raise bad_request(f'Runs in status "{row["status"]}" do not accept tool outputs.')
            state, outputs = submitted(render_run(row), row["state"], call.body["tool_outputs"])
            step_id = state["rounds"][-1]["step_id"]
            step_row = tx.one(run_steps, id=step_id, lock=True)
            if step_row is not None:
                step = dict(step_row["body"])
                details = step["step_details"]
                for tool_call in details["tool_calls"]:
                    tool_call["function"]["output"] = outputs[tool_call["id"]]
                step |= {"status": "completed", "completed_at": now, "step_details": details}
                tx.update(run_steps, {"id": step_id}, body=step)
            body = render_run(row) | {"status": "queued", "required_action": None}
            tx.update(runs, {"id": row["id"]}, status="queued", body=body, state=state)
            queued(row["id"])
        return body

    # -- run steps ----------------------------------------------------------------------------------------------

    def list_run_steps(self, tenant: str, call: Call) -> JSONObject:
        """``GET .../runs/{run_id}/steps``."""
        with self.store.transaction() as tx:
            run_id = _run(tx, tenant, call)["id"]
            rows = tx.rows(run_steps, run_id=run_id)
        return paginate([row["body"] for row in rows], call.query)

    def get_run_step(self, tenant: str, call: Call) -> JSONObject:
        """``GET .../runs/{run_id}/steps/{step_id}``."""
        with self.store.transaction() as tx:
            run_id = _run(tx, tenant, call)["id"]
            row = tx.one(run_steps, id=call.params["step_id"], run_id=run_id)
        if row is None:
            raise not_found("run step", call.params["step_id"])
        return dict(row["body"])

    # -- helpers ------------------------------------------------------------------------------------------------

    @contextmanager
    def _queueing(self) -> Generator[tuple[Tx, Callable[[str], None]]]:
        """Run the block in one write transaction that may queue runs.

        ``queued(run_id)``, called once the run's row is written, hands the run to ``dispatch_run`` in the
        transaction; it starts once the transaction has committed.
        """
        handoffs: list[Handoff] = []
        try:
            with self.store.transaction(write=True) as tx:
                yield tx, lambda run_id: handoffs.append(self.dispatch_run(tx, run_id))
        except BaseException:
            for handoff in handoffs:
                handoff.abandon()
            raise
        for handoff in handoffs:
            handoff.start()

    def _add_thread(self, tx: Tx, tenant: str, body: JSONObject) -> JSONObject:
        thread = new_thread(new_id("thread"), int(self.clock()), body)
        tx.insert(threads, id=thread["id"], tenant=tenant, body=thread)
        for message in objects(body.get("messages")):
            self._add_message(tx, tenant, thread["id"], message)
        return thread

    def _add_message(self, tx: Tx, tenant: str, thread_id: str, body: JSONObject) -> JSONObject:
        message = new_message(new_id("msg"), thread_id, int(self.clock()), body)
        tx.insert(messages, id=message["id"], tenant=tenant, body=message, thread_id=thread_id)
        return message

    def _add_run(self, tx: Tx, tenant: str, thread_id: str, assistant: RowMapping, body: JSONObject) -> JSONObject:
        created = self.clock()
        deadline = created + self.run_expires_after_s
        run: JSONObject = new_run(new_id("run"), thread_id, int(created), assistant["body"], body)
        run["expires_at"] = int(deadline)
        settings = upstream_settings(assistant["settings"], body, as_object(run["metadata"]))
        state = new_state(settings, as_object(run["truncation_strategy"]))
        tx.insert(
            runs,
            id=run["id"],
            tenant=tenant,
            body=run,
            thread_id=thread_id,
            status="queued",
            deadline=deadline,
            claims=0,
            state=state,
        )
        return run


def end_open_steps(tx: Tx, run_id: str, status: str, at: int) -> None:
    """End the run's steps still in progress with ``status`` (``cancelled``, ``expired`` or ``failed``)."""
    for row in tx.rows(run_steps, run_id=run_id):
        if row["body"]["status"] == "in_progress":
            field = {"cancelled": "cancelled_at", "expired": "expired_at", "failed": "failed_at"}[status]
            tx.update(run_steps, {"id": row["id"]}, body=dict(row["body"]) | {"status": status, field: at})


def _assistant(tx: Tx, tenant: str, assistant_id: str, *, lock: bool = False) -> RowMapping:
    row = tx.one(assistants, id=assistant_id, tenant=tenant, lock=lock)
    if row is None:
        raise not_found("assistant", assistant_id)
    return row


def _thread(tx: Tx, tenant: str, thread_id: str, *, lock: bool = False) -> RowMapping:
    row = tx.one(threads, id=thread_id, tenant=tenant, lock=lock)
    if row is None:
        raise not_found("thread", thread_id)
    return row


def _message(tx: Tx, tenant: str, call: Call) -> RowMapping:
    thread_id = _thread(tx, tenant, call.params["thread_id"])["id"]
    message_id = call.params["message_id"]
    row = tx.one(messages, id=message_id, thread_id=thread_id)
    if row is None:
        raise not_found("message", message_id)
    return row


def _run(tx: Tx, tenant: str, call: Call, *, lock: bool = False) -> RowMapping:
    thread_id = _thread(tx, tenant, call.params["thread_id"])["id"]
    run_id = call.params["run_id"]
    row = tx.one(runs, id=run_id, thread_id=thread_id, lock=lock)
    if row is None:
        raise not_found("run", run_id)
    return row


def _active_run(tx: Tx, thread_id: str) -> Any:
    row = tx.one(runs, thread_id=thread_id, status=ACTIVE_RUN_STATUSES)
    return None if row is None else row["id"]
