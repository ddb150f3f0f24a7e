"""The route table: (method, spec path template) -> handler.

Path templates are the spec's own (without the ``/v1`` prefix the server adds), so the
spec is the single source of truth for routing; :mod:`.server` checks at start-up that
every route names an operation of the spec.
"""

from __future__ import annotations

from collections.abc import Callable

from openai_thread_run.gateway.checks import Call
from openai_thread_run.gateway.errors import not_found
from openai_thread_run.gateway.json_values import JSONObject
from openai_thread_run.gateway.objects import paginate

from .store import Store

Handler = Callable[[Store, Call], JSONObject]


def _list_messages(store: Store, call: Call) -> JSONObject:
    messages = store.list_messages(call.params["thread_id"])
    run_id = call.query.get("run_id")
    if run_id is not None:
        messages = [message for message in messages if message["run_id"] == run_id]
    return paginate(messages, call.query)


def _list_run_steps(store: Store, call: Call) -> JSONObject:
    store.get_run(call.params["thread_id"], call.params["run_id"])
    return paginate([], call.query)  # the fake's runs have no (observable) steps


def _get_run_step(store: Store, call: Call) -> JSONObject:
    store.get_run(call.params["thread_id"], call.params["run_id"])
    raise not_found("run step", call.params["step_id"])


def _thread_run(call: Call) -> tuple[str, str]:
    return call.params["thread_id"], call.params["run_id"]


def _thread_message(call: Call) -> tuple[str, str]:
    return call.params["thread_id"], call.params["message_id"]


ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/assistants"): lambda s, c: paginate(s.list_assistants(), c.query),
    ("POST", "/assistants"): lambda s, c: s.create_assistant(c.body),
    ("GET", "/assistants/{assistant_id}"): lambda s, c: s.get_assistant(c.params["assistant_id"]),
    ("POST", "/assistants/{assistant_id}"): lambda s, c: s.modify_assistant(c.params["assistant_id"], c.body),
    ("DELETE", "/assistants/{assistant_id}"): lambda s, c: s.delete_assistant(c.params["assistant_id"]),
    ("POST", "/threads"): lambda s, c: s.create_thread(c.body),
    ("GET", "/threads/{thread_id}"): lambda s, c: s.get_thread(c.params["thread_id"]),
    ("POST", "/threads/{thread_id}"): lambda s, c: s.modify_thread(c.params["thread_id"], c.body),
    ("DELETE", "/threads/{thread_id}"): lambda s, c: s.delete_thread(c.params["thread_id"]),
    ("GET", "/threads/{thread_id}/messages"): _list_messages,
    ("POST", "/threads/{thread_id}/messages"): lambda s, c: s.create_message(c.params["thread_id"], c.body),
    ("GET", "/threads/{thread_id}/messages/{message_id}"): lambda s, c: s.get_message(*_thread_message(c)),
    ("POST", "/threads/{thread_id}/messages/{message_id}"): lambda s, c: s.modify_message(*_thread_message(c), c.body),
    ("DELETE", "/threads/{thread_id}/messages/{message_id}"): lambda s, c: s.delete_message(*_thread_message(c)),
    ("POST", "/threads/runs"): lambda s, c: s.create_thread_and_run(c.body),
    ("GET", "/threads/{thread_id}/runs"): lambda s, c: paginate(s.list_runs(c.params["thread_id"]), c.query),
    ("POST", "/threads/{thread_id}/runs"): lambda s, c: s.create_run(c.params["thread_id"], c.body),
    ("GET", "/threads/{thread_id}/runs/{run_id}"): lambda s, c: s.poll_run(*_thread_run(c)),
    ("POST", "/threads/{thread_id}/runs/{run_id}"): lambda s, c: s.modify_run(*_thread_run(c), c.body),
    ("POST", "/threads/{thread_id}/runs/{run_id}/cancel"): lambda s, c: s.cancel_run(*_thread_run(c)),
    ("POST", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"): lambda s, c: s.submit_tool_outputs(
        *_thread_run(c)
    ),
    ("GET", "/threads/{thread_id}/runs/{run_id}/steps"): _list_run_steps,
    ("GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}"): _get_run_step,
}
