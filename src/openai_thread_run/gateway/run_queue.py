"""The run queue, as the worker sees it: claim runs, keep their leases, write their ends, once each.

A worker claims a queued run (or one whose worker's lease has expired) under a fresh lease token, renews the lease
while it works, and writes the run's end in ONE transaction that first checks, with the run's row locked, that
the run still carries its token and is still ``in_progress``. A worker that lost its claim (it stalled past its
lease and another took the run over, or the thread was deleted) writes nothing; a run marked ``cancelling``
meanwhile ends ``cancelled``. The answer message is keyed by the run (``answer_of_run`` is unique), so a run is
answered at most once, however often it is claimed. :meth:`RunQueue.sweep` expires runs that waited too long.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import RowMapping, and_, or_

from .json_values import JSONObject
from .runs import answer, code_step, ended, function_step, required_action, run_request, step, used
from .service import end_open_steps, render_run
from .store import Store, Tx
from .tables import messages, run_steps, runs
from .upstream.conversation import Answer, Outcome, Refused, RunRequest, ToolCallsNeeded, Usage


@dataclass(frozen=True)
class ClaimedRun:
    """A run a worker has claimed: what to ask the upstream, and the lease token that guards its end."""

    run_id: str
    thread_id: str
    token: str
    deadline: float
    request: RunRequest


@dataclass(frozen=True)
class Expired:
    """The run reached its deadline before the upstream answered."""


@dataclass(frozen=True)
class Stopped:
    """The worker stopped asking the upstream: the run is cancelling (it ends ``cancelled``), or the claim is lost."""


#: How a run the worker executed ends.
Ending = Outcome | Expired | Stopped


class RunQueue:
    """The worker's transactions on the store (see the module docstring)."""

    def __init__(self, store: Store, *, clock: Callable[[], float] = time.time) -> None:
        """Work on ``store``."""
        self.store = store
        self.clock = clock

    def claim(self, limit: int, lease_s: float) -> list[ClaimedRun]:
        """Claim up to ``limit`` runs, oldest first, for ``lease_s`` seconds; read what each asks of the upstream."""
        with self.store.transaction(write=True) as tx:
            return self._claim(tx, limit, lease_s)

    def claim_queued(self, tx: Tx, run_id: str, lease_s: float) -> ClaimedRun | None:
        """Claim ``run_id``, just queued in ``tx``, in that transaction (None if it is not queued)."""
        claimed = self._claim(tx, 1, lease_s, run_id)
        return claimed[0] if claimed else None

    def _claim(self, tx: Tx, limit: int, lease_s: float, run_id: str | None = None) -> list[ClaimedRun]:
        token = secrets.token_hex(16)
        rows = tx.claim_runs(limit=limit, token=token, now=self.clock(), lease_s=lease_s, run_id=run_id)
        return [ClaimedRun(row["id"], row["thread_id"], token, row["deadline"], self._request(tx, row)) for row in rows]

    def renew(self, claimed: ClaimedRun, lease_s: float) -> str | None:
        """Extend the lease of ``claimed``; return the run's status, or None when the claim is lost."""
        with self.store.transaction(write=True) as tx:
            row = tx.one(runs, id=claimed.run_id, lock=True)
            if row is None or row["lease_token"] != claimed.token:
                return None
            tx.update(runs, {"id": claimed.run_id}, lease_expires_at=self.clock() + lease_s)
            return str(row["status"])

    def release(self, claimed: Sequence[ClaimedRun]) -> None:
        """Give runs back (their lease expires now), for another worker to take over at once."""
        with self.store.transaction(write=True) as tx:
            for run in claimed:
                tx.update(
                    runs, {"id": run.run_id, "lease_token": run.token, "status": "in_progress"}, lease_expires_at=0.0
                )

    def finish(self, claimed: ClaimedRun, ending: Ending) -> str | None:
        """Write how ``claimed`` ended, in one transaction guarded by its lease; return the run's new status.

        None when the claim is lost (nothing is written). A run marked ``cancelling`` ends ``cancelled``.
        """
        now = self.clock()
        at = int(now)
        with self.store.transaction(write=True) as tx:
            row = tx.one(runs, id=claimed.run_id, lock=True)
            if row is None or row["lease_token"] != claimed.token or row["status"] not in ("in_progress", "cancelling"):
                return None
            run, state = render_run(row), dict(row["state"])
            done = {"lease_token": None, "lease_expires_at": None}
            if row["status"] == "cancelling":
                usage = used(state, Usage()).as_api()
                tx.update(
                    runs,
                    {"id": row["id"]},
                    status="cancelled",
                    body=ended(run, "cancelled", at, usage=usage),
                    **done,
                )
                end_open_steps(tx, row["id"], "cancelled", at)
                return "cancelled"
            if isinstance(ending, Stopped):  # still in progress: give it back
                tx.update(runs, {"id": row["id"]}, lease_expires_at=0.0)
                return None
            status, body, state = _write_ending(tx, row["tenant"], run, state, ending, at)
            tx.update(runs, {"id": row["id"]}, status=status, body=body, state=state, **done)
            return status

    def sweep(self) -> int:
        """Expire the runs past their deadline that wait (queued, or for tool outputs); cancel orphans.

        An orphan is a ``cancelling`` run whose worker is gone (its lease expired). Returns how many runs changed.
        """
        now = self.clock()
        waiting = runs.c.status.in_(("queued", "requires_action"))
        orphaned = and_(runs.c.status == "cancelling", runs.c.lease_expires_at < now)
        changed = 0
        with self.store.transaction(write=True) as tx:
            for row in tx.rows(runs, or_(and_(runs.c.deadline <= now, waiting), orphaned)):
                usage = used(row["state"], Usage()).as_api()
                if row["status"] == "cancelling":
                    status, body = "cancelled", ended(render_run(row), "cancelled", int(now), usage=usage)
                    still = orphaned
                else:
                    status, body = "expired", ended(render_run(row), "expired", int(row["deadline"]), usage=usage)
                    still = waiting
                # only if nothing changed it since it was read (a worker may have claimed it meanwhile)
                if tx.update(runs, {"id": row["id"]}, still, status=status, body=body, lease_token=None):
                    end_open_steps(tx, row["id"], status, int(now))
                    changed += 1
        return changed

    @staticmethod
    def _request(tx: Tx, row: RowMapping) -> RunRequest:
        history = [message["body"] for message in tx.rows(messages, thread_id=row["thread_id"])]
        return run_request(row["body"], row["state"], history)


def _write_ending(
    tx: Tx, tenant: str, run: JSONObject, state: JSONObject, ending: Outcome | Expired, at: int
) -> tuple[str, JSONObject, JSONObject]:
    """Write the run's answer and steps for ``ending``; return its new status, API object and state."""
    if isinstance(ending, Expired):
        usage = used(state, Usage())
        end_open_steps(tx, run["id"], "expired", at)
        return "expired", ended(run, "expired", at, usage=usage.as_api()), state
    usage = used(state, ending.usage)
    if isinstance(ending, Refused):
        error = {"code": ending.code, "message": ending.message}
        return "failed", ended(run, "failed", at, last_error=error, usage=usage.as_api()), state
    if ending.code_runs:
        _add_step(tx, tenant, code_step(run, at, ending.code_runs))
    if isinstance(ending, ToolCallsNeeded):
        tool_step = function_step(run, at, ending.calls, ending.usage)
        _add_step(tx, tenant, tool_step)
        calls = [{"call_id": call.call_id, "name": call.name, "arguments": call.arguments} for call in ending.calls]
        state = state | {
            "rounds": [*state["rounds"], {"calls": calls, "step_id": tool_step["id"]}],
            "usage": usage.as_api(),
        }
        return "requires_action", run | {"required_action": required_action(ending.calls)}, state
    return _write_answer(tx, tenant, run, state, ending, usage, at)


def _write_answer(
    tx: Tx, tenant: str, run: JSONObject, state: JSONObject, ending: Answer, usage: Usage, at: int
) -> tuple[str, JSONObject, JSONObject]:
    message = answer(run, at, ending.texts, cut_short=ending.cut_short)
    tx.insert(
        messages,
        id=message["id"],
        tenant=tenant,
        body=message,
        thread_id=run["thread_id"],
        run_id=run["id"],
        answer_of_run=run["id"],
    )
    _add_step(tx, tenant, step(run, at, "message_creation", {"message_id": message["id"]}, ending.usage, "completed"))
    if ending.cut_short:
        details = {"reason": "max_completion_tokens"}
        return "incomplete", ended(run, "incomplete", at, incomplete_details=details, usage=usage.as_api()), state
    return "completed", ended(run, "completed", at, usage=usage.as_api()), state


def _add_step(tx: Tx, tenant: str, body: JSONObject) -> None:
    tx.insert(run_steps, id=body["id"], tenant=tenant, body=body, thread_id=body["thread_id"], run_id=body["run_id"])
