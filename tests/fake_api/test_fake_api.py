"""Tests of the fake Assistants API over real HTTP on 127.0.0.1 (urllib only)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any, Protocol

import pytest

from openai_thread_run.gateway.errors import MISSING_API_KEY_MESSAGE, MISSING_BETA_HEADER_MESSAGE
from openai_thread_run.gateway.spec import load_spec

from . import FakeAssistantsAPI, RecordedRequest, RunOutcome
from .routes import ROUTES
from .spec_checks import check_answer

HEADERS = {
    "Authorization": "Bearer test-key",
    "OpenAI-Beta": "assistants=v2",
    "Content-Type": "application/json",
}
SERVER_ERROR = {
    "error": {
        "message": "The server had an error while processing your request. Sorry about that!",
        "type": "server_error",
        "param": None,
        "code": None,
    }
}
RATE_LIMITED = {
    "error": {
        "message": "Rate limit reached for requests",
        "type": "requests",
        "param": None,
        "code": "rate_limit_exceeded",
    }
}
FUNCTION_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {"name": "get_time", "description": "Tell the time", "parameters": {"type": "object"}},
}

Reply = tuple[int, Any]


class Served(Protocol):
    """Where requests go: a :class:`FakeAssistantsAPI`, or a :class:`Remote` one (another process)."""

    @property
    def url(self) -> str: ...


@dataclass(frozen=True)
class Remote:
    """A fake API served by another process, known by its URL."""

    url: str


@pytest.fixture(scope="module")
def shared_fake_api_server() -> Iterator[FakeAssistantsAPI]:
    """One running fake API for this module (starting one per test costs more than the tests)."""
    with FakeAssistantsAPI(max_lifetime_s=120) as api:
        yield api


@pytest.fixture
def fake_api_server(shared_fake_api_server: FakeAssistantsAPI) -> FakeAssistantsAPI:
    """The module's fake API, reset: no objects, no recorded requests, no faults."""
    shared_fake_api_server.reset()
    return shared_fake_api_server


def call(
    api: Served,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> Reply:
    """Send one request to ``api.url + path``; return (status, parsed JSON body)."""
    status, _, reply = call_with_headers(api, method, path, body, headers=headers, raw=raw)
    return status, reply


def call_with_headers(
    api: Served,
    method: str,
    path: str,
    body: Any = None,
    *,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> tuple[int, Message, Any]:
    """Like :func:`call`, also returning the response headers."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(
        api.url + path, data=data, method=method, headers=HEADERS if headers is None else headers
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, json.load(error)


def ok(reply: Reply) -> Any:
    """The body of a 200 reply (fails the test otherwise)."""
    status, body = reply
    assert status == 200, body
    return body


def invalid_request(message: str, param: str | None = None) -> dict[str, Any]:
    """The expected envelope of an ``invalid_request_error``."""
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}}


def make_assistant(api: Served, **fields: Any) -> dict[str, Any]:
    """Create an assistant (model gpt-4o unless given)."""
    result: dict[str, Any] = ok(call(api, "POST", "/assistants", {"model": "gpt-4o", **fields}))
    return result


def make_thread(api: Served, *texts: str) -> dict[str, Any]:
    """Create a thread with one user message per text."""
    messages = [{"role": "user", "content": text} for text in texts]
    result: dict[str, Any] = ok(call(api, "POST", "/threads", {"messages": messages}))
    return result


def start_run(api: Served, thread_id: str, assistant_id: str, **fields: Any) -> dict[str, Any]:
    """Create a run on an existing thread."""
    body = {"assistant_id": assistant_id, **fields}
    result: dict[str, Any] = ok(call(api, "POST", f"/threads/{thread_id}/runs", body))
    return result


# -- authentication and headers -------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer ", "Bearer", "Basic dXNlcjpwYXNz", "test-key"])
def test_requests_without_a_bearer_token_are_401(fake_api_server: FakeAssistantsAPI, authorization: str | None) -> None:
    headers = {"OpenAI-Beta": "assistants=v2"}
    if authorization is not None:
        headers["Authorization"] = authorization
    status, body = call(fake_api_server, "POST", "/assistants", {"model": "gpt-4o"}, headers=headers)
    assert (status, body) == (401, invalid_request(MISSING_API_KEY_MESSAGE))
    assert fake_api_server.store.assistants == {}


def test_missing_beta_header_is_400(fake_api_server: FakeAssistantsAPI) -> None:
    headers = {"Authorization": "Bearer test-key"}
    status, body = call(fake_api_server, "POST", "/assistants", {"model": "gpt-4o"}, headers=headers)
    assert (status, body) == (400, invalid_request(MISSING_BETA_HEADER_MESSAGE))
    v1_status, v1_body = call(
        fake_api_server, "GET", "/assistants", headers={**headers, "OpenAI-Beta": "assistants=v1"}
    )
    assert v1_status == 400
    assert "v1 Assistants API has been deprecated" in v1_body["error"]["message"]
    assert fake_api_server.store.assistants == {}


# -- validation against the published spec --------------------------------------------------------


def test_function_tool_given_as_a_list_is_rejected_by_the_spec(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    tools = [{"type": "function", "function": [{"name": "f", "parameters": "{}"}]}]
    body = {"assistant_id": assistant["id"], "tools": tools}
    status, reply = call(fake_api_server, "POST", f"/threads/{thread['id']}/runs", body)
    message = "tools[0].function: [{'name': 'f', 'parameters': '{}'}] is not of type 'object'"
    assert (status, reply) == (400, invalid_request(message, "tools[0].function"))
    assert fake_api_server.store.runs[thread["id"]] == {}


def test_max_completion_tokens_below_the_spec_minimum_is_rejected(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    body = {"assistant_id": assistant["id"], "max_completion_tokens": 100}
    status, reply = call(fake_api_server, "POST", f"/threads/{thread['id']}/runs", body)
    message = "max_completion_tokens: 100 is less than the minimum of 256"
    assert (status, reply) == (400, invalid_request(message, "max_completion_tokens"))
    run = start_run(fake_api_server, thread["id"], assistant["id"], max_completion_tokens=256)
    assert run["max_completion_tokens"] == 256


def test_unknown_field_is_rejected(fake_api_server: FakeAssistantsAPI) -> None:
    status, reply = call(fake_api_server, "POST", "/threads", {"messages": [], "file_ids": []})
    message = "Additional properties are not allowed ('file_ids' was unexpected)"
    assert (status, reply) == (400, invalid_request(message))
    assert fake_api_server.store.threads == {}


def test_nested_unknown_field_is_reported_with_its_path(fake_api_server: FakeAssistantsAPI) -> None:
    message = {"role": "user", "content": "hi", "file_ids": ["file-1"]}
    status, reply = call(fake_api_server, "POST", "/threads", {"messages": [message]})
    expected = "messages[0]: Additional properties are not allowed ('file_ids' was unexpected)"
    assert (status, reply) == (400, invalid_request(expected, "messages[0]"))


def test_spec_is_used_as_is_so_openapi_nullable_does_not_admit_null(
    fake_api_server: FakeAssistantsAPI,
) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server)
    body = {"assistant_id": assistant["id"], "max_completion_tokens": None}
    status, reply = call(fake_api_server, "POST", f"/threads/{thread['id']}/runs", body)
    message = "max_completion_tokens: None is not of type 'integer'"
    assert (status, reply) == (400, invalid_request(message, "max_completion_tokens"))


def test_missing_required_field_is_rejected(fake_api_server: FakeAssistantsAPI) -> None:
    status, reply = call(fake_api_server, "POST", "/assistants", {"name": "no model"})
    assert (status, reply) == (400, invalid_request("'model' is a required property"))


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe", b"[1,"])
def test_invalid_json_is_400(fake_api_server: FakeAssistantsAPI, raw: bytes) -> None:
    status, reply = call(fake_api_server, "POST", "/assistants", raw=raw)
    assert status == 400
    assert reply["error"]["message"].startswith("We could not parse the JSON body of your request.")
    assert fake_api_server.requests[-1].body is None


def test_valid_full_run_body_is_accepted_and_reflected(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    overrides = {
        "model": "gpt-4o-mini",
        "instructions": "Be brief.",
        "additional_messages": [{"role": "user", "content": [{"type": "text", "text": "more"}]}],
        "tools": [FUNCTION_TOOL, {"type": "code_interpreter"}],
        "metadata": {"team": "qa"},
        "temperature": 0.2,
        "top_p": 0.5,
        "max_completion_tokens": 512,
        "max_prompt_tokens": 1024,
        "truncation_strategy": {"type": "last_messages", "last_messages": 3},
        "response_format": {"type": "json_object"},
        "tool_choice": "required",
        "parallel_tool_calls": False,
    }
    run = start_run(fake_api_server, thread["id"], assistant["id"], **overrides)
    for key in ("model", "instructions", "metadata", "temperature", "top_p", "max_completion_tokens"):
        assert run[key] == overrides[key]
    assert run["tools"][0]["function"] == {**FUNCTION_TOOL["function"], "strict": False}
    assert run["tools"][1] == {"type": "code_interpreter"}
    for key in ("truncation_strategy", "response_format", "tool_choice", "parallel_tool_calls"):
        assert run[key] == overrides[key]
    texts = [m["content"][0]["text"]["value"] for m in fake_api_server.store.list_messages(thread["id"])]
    assert texts == ["hi", "more"]


def test_tools_are_echoed_in_the_api_shape(fake_api_server: FakeAssistantsAPI) -> None:
    # The spec (as-is) lets a tool carry extra keys, such as the "function": [] provider 1.2.0 sends.
    tools = [{"type": "code_interpreter", "function": []}, {"type": "file_search"}, FUNCTION_TOOL]
    assistant = make_assistant(fake_api_server, tools=tools)
    assert assistant["tools"] == [
        {"type": "code_interpreter"},
        {
            "type": "file_search",
            "file_search": {"ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0}},
        },
        {"type": "function", "function": {**FUNCTION_TOOL["function"], "strict": False}},
    ]


def test_query_parameters_are_validated_against_the_spec(fake_api_server: FakeAssistantsAPI) -> None:
    status, reply = call(fake_api_server, "GET", "/assistants?limit=many")
    assert status == 400 and reply["error"]["param"] == "limit"
    status, reply = call(fake_api_server, "GET", "/assistants?order=sideways")
    assert (status, reply) == (
        400,
        invalid_request("Invalid 'order': 'sideways' is not one of ['asc', 'desc']", "order"),
    )


# -- not found --------------------------------------------------------------------------------------


def test_unknown_ids_are_404_in_the_api_shape(fake_api_server: FakeAssistantsAPI) -> None:
    thread = make_thread(fake_api_server, "hi")
    tid = thread["id"]
    cases = [
        ("GET", "/assistants/asst_nope", "No assistant found with id 'asst_nope'."),
        ("DELETE", "/assistants/asst_nope", "No assistant found with id 'asst_nope'."),
        ("GET", "/threads/thread_nope", "No thread found with id 'thread_nope'."),
        ("DELETE", "/threads/thread_nope", "No thread found with id 'thread_nope'."),
        ("GET", "/threads/thread_nope/messages", "No thread found with id 'thread_nope'."),
        ("GET", f"/threads/{tid}/messages/msg_nope", "No message found with id 'msg_nope'."),
        ("DELETE", f"/threads/{tid}/messages/msg_nope", "No message found with id 'msg_nope'."),
        ("GET", f"/threads/{tid}/runs/run_nope", "No run found with id 'run_nope'."),
        ("POST", f"/threads/{tid}/runs/run_nope/cancel", "No run found with id 'run_nope'."),
    ]
    for method, path, message in cases:
        assert call(fake_api_server, method, path) == (404, invalid_request(message)), path


@pytest.mark.parametrize(("method", "path"), [("GET", "/models"), ("PUT", "/threads"), ("GET", "/threads/runs/x/y")])
def test_unknown_paths_are_404(fake_api_server: FakeAssistantsAPI, method: str, path: str) -> None:
    expected = invalid_request(f"Invalid URL ({method} /v1{path})")
    assert call(fake_api_server, method, path, {} if method == "PUT" else None) == (404, expected)


def test_run_requires_an_existing_assistant(fake_api_server: FakeAssistantsAPI) -> None:
    thread = make_thread(fake_api_server, "hi")
    reply = call(fake_api_server, "POST", f"/threads/{thread['id']}/runs", {"assistant_id": "asst_gone"})
    assert reply == (404, invalid_request("No assistant found with id 'asst_gone'."))
    reply = call(fake_api_server, "POST", "/threads/runs", {"assistant_id": "asst_gone", "thread": {}})
    assert reply == (404, invalid_request("No assistant found with id 'asst_gone'."))
    assert list(fake_api_server.store.threads) == [thread["id"]]


# -- runs -------------------------------------------------------------------------------------------


def test_run_status_advances_on_each_retrieval(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hello there")
    run = start_run(fake_api_server, thread["id"], assistant["id"])
    assert (run["status"], run["started_at"], run["completed_at"], run["usage"]) == (
        "queued",
        None,
        None,
        None,
    )
    path = f"/threads/{thread['id']}/runs/{run['id']}"
    first = ok(call(fake_api_server, "GET", path))
    assert first["status"] == "in_progress"
    assert isinstance(first["started_at"], int) and first["completed_at"] is None
    second = ok(call(fake_api_server, "GET", path))
    assert second["status"] == "completed"
    assert isinstance(second["completed_at"], int) and second["expires_at"] is None
    usage = second["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert ok(call(fake_api_server, "GET", path)) == second
    listed = ok(call(fake_api_server, "GET", f"/threads/{thread['id']}/runs"))
    assert [r["id"] for r in listed["data"]] == [run["id"]]


def test_run_uses_the_assistants_settings_and_api_defaults(fake_api_server: FakeAssistantsAPI) -> None:
    assistant = make_assistant(fake_api_server, instructions="Be helpful.", tools=[FUNCTION_TOOL])
    thread = make_thread(fake_api_server, "hi")
    run = start_run(fake_api_server, thread["id"], assistant["id"])
    assert run["model"] == "gpt-4o" and run["instructions"] == "Be helpful."
    assert run["tools"] == assistant["tools"] != []
    assert (run["temperature"], run["top_p"], run["response_format"]) == (1.0, 1.0, "auto")
    assert (run["tool_choice"], run["parallel_tool_calls"], run["metadata"]) == ("auto", True, {})
    assert run["truncation_strategy"] == {"type": "auto", "last_messages": None}
    assert run["max_completion_tokens"] is None and run["max_prompt_tokens"] is None
    assert run["expires_at"] == run["created_at"] + 600
    for key in ("required_action", "last_error", "incomplete_details", "failed_at", "cancelled_at"):
        assert run[key] is None


def test_completed_run_appends_an_assistant_message(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "first", "second")
    run = start_run(fake_api_server, thread["id"], assistant["id"])
    for _ in range(2):
        ok(call(fake_api_server, "GET", f"/threads/{thread['id']}/runs/{run['id']}"))
    messages = ok(call(fake_api_server, "GET", f"/threads/{thread['id']}/messages"))["data"]
    assert [m["role"] for m in messages] == ["assistant", "user", "user"]
    reply = messages[0]
    assert (reply["assistant_id"], reply["run_id"], reply["thread_id"]) == (
        assistant["id"],
        run["id"],
        thread["id"],
    )
    assert reply["content"] == [{"type": "text", "text": {"value": "Fake reply to: second", "annotations": []}}]
    by_run = ok(call(fake_api_server, "GET", f"/threads/{thread['id']}/messages?run_id={run['id']}"))
    assert [m["id"] for m in by_run["data"]] == [reply["id"]]


def test_active_run_blocks_new_runs_and_messages(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    tid = thread["id"]
    run = start_run(fake_api_server, tid, assistant["id"])
    for _ in range(2):  # queued, then in_progress: both active
        reply = call(fake_api_server, "POST", f"/threads/{tid}/runs", {"assistant_id": assistant["id"]})
        assert reply == (400, invalid_request(f"Thread {tid} already has an active run {run['id']}."))
        reply = call(fake_api_server, "POST", f"/threads/{tid}/messages", {"role": "user", "content": "more"})
        assert reply == (
            400,
            invalid_request(f"Can't add messages to {tid} while a run {run['id']} is active."),
        )
        ok(call(fake_api_server, "GET", f"/threads/{tid}/runs/{run['id']}"))
    ok(call(fake_api_server, "POST", f"/threads/{tid}/messages", {"role": "user", "content": "more"}))
    assert start_run(fake_api_server, tid, assistant["id"])["status"] == "queued"


def test_create_thread_and_run(fake_api_server: FakeAssistantsAPI) -> None:
    assistant = make_assistant(fake_api_server, tools=[{"type": "code_interpreter"}])
    body = {
        "assistant_id": assistant["id"],
        "thread": {"messages": [{"role": "user", "content": "hi"}], "metadata": {"k": "v"}},
        "metadata": {"run": "1"},
    }
    run = ok(call(fake_api_server, "POST", "/threads/runs", body))
    thread = ok(call(fake_api_server, "GET", f"/threads/{run['thread_id']}"))
    assert thread["metadata"] == {"k": "v"} and run["metadata"] == {"run": "1"}
    assert run["tools"] == [{"type": "code_interpreter"}]
    messages = ok(call(fake_api_server, "GET", f"/threads/{run['thread_id']}/messages"))["data"]
    assert [m["content"][0]["text"]["value"] for m in messages] == ["hi"]


def test_cancel_run(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    run = start_run(fake_api_server, thread["id"], assistant["id"])
    path = f"/threads/{thread['id']}/runs/{run['id']}"
    assert ok(call(fake_api_server, "POST", path + "/cancel"))["status"] == "cancelling"
    cancelled = ok(call(fake_api_server, "GET", path))
    assert cancelled["status"] == "cancelled" and isinstance(cancelled["cancelled_at"], int)
    reply = call(fake_api_server, "POST", path + "/cancel")
    assert reply == (400, invalid_request("Cannot cancel run with status 'cancelled'."))


def test_list_pagination(fake_api_server: FakeAssistantsAPI) -> None:
    ids = [make_assistant(fake_api_server, name=str(i))["id"] for i in range(3)]
    page = ok(call(fake_api_server, "GET", "/assistants?limit=2"))
    assert [a["id"] for a in page["data"]] == ids[::-1][:2] and page["has_more"] is True
    assert (page["first_id"], page["last_id"]) == (ids[2], ids[1])
    rest = ok(call(fake_api_server, "GET", f"/assistants?limit=2&after={page['last_id']}"))
    assert [a["id"] for a in rest["data"]] == [ids[0]] and rest["has_more"] is False
    ascending = ok(call(fake_api_server, "GET", "/assistants?order=asc"))
    assert [a["id"] for a in ascending["data"]] == ids


def test_modify_and_delete(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    modified = ok(call(fake_api_server, "POST", f"/assistants/{assistant['id']}", {"name": "renamed"}))
    assert modified["name"] == "renamed" and modified["model"] == "gpt-4o"
    assert ok(call(fake_api_server, "DELETE", f"/threads/{thread['id']}")) == {
        "id": thread["id"],
        "object": "thread.deleted",
        "deleted": True,
    }
    assert call(fake_api_server, "GET", f"/threads/{thread['id']}")[0] == 404


# -- time-based runs and scripted outcomes ----------------------------------------------------------


class ManualClock:
    """A clock the test moves by hand (unix seconds)."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def run_path(run: dict[str, Any]) -> str:
    return f"/threads/{run['thread_id']}/runs/{run['id']}"


def new_run(api: Served, text: str = "hi") -> dict[str, Any]:
    """A run on a new thread with one user message, by a new assistant."""
    return start_run(api, make_thread(api, text)["id"], make_assistant(api)["id"])


def assistant_replies(api: FakeAssistantsAPI, thread_id: str) -> list[dict[str, Any]]:
    messages = ok(call(api, "GET", f"/threads/{thread_id}/messages"))["data"]
    return [m for m in messages if m["role"] == "assistant"]


def test_timed_run_status_follows_the_elapsed_time() -> None:
    clock = ManualClock(1_700_000_000.75)
    with FakeAssistantsAPI(max_lifetime_s=60, run_duration_s=8, clock=clock) as api:
        run = new_run(api, "what time is it")
        assert (run["status"], run["created_at"], run["expires_at"]) == ("queued", 1_700_000_000, 1_700_000_600)
        path = run_path(run)
        statuses = []
        for elapsed in (0.0, 0.49, 0.5, 3.0, 7.99):
            clock.now = 1_700_000_000.75 + elapsed
            statuses.append(ok(call(api, "GET", path))["status"])
        assert statuses == ["queued", "queued", "in_progress", "in_progress", "in_progress"]
        assert ok(call(api, "GET", path))["started_at"] == 1_700_000_001  # int(created + 0.5)
        assert assistant_replies(api, run["thread_id"]) == []
        clock.now = 1_700_000_000.75 + 8
        completed = ok(call(api, "GET", path))
        assert (completed["status"], completed["completed_at"], completed["expires_at"]) == (
            "completed",
            1_700_000_008,
            None,
        )
        assert completed["usage"]["total_tokens"] > 0
        [reply] = assistant_replies(api, run["thread_id"])
        assert (reply["created_at"], reply["run_id"]) == (1_700_000_008, run["id"])
        assert reply["content"][0]["text"]["value"] == "Fake reply to: what time is it"


def test_timed_run_catches_up_on_any_read_and_blocks_its_thread_until_done() -> None:
    clock = ManualClock(1_700_000_000.0)
    with FakeAssistantsAPI(max_lifetime_s=60, run_duration_s=0, clock=clock) as api:
        assistant, thread = make_assistant(api), make_thread(api, "hi")
        run = start_run(api, thread["id"], assistant["id"])
        assert run["status"] == "queued", "creation answers queued even for a zero duration"
        [listed] = ok(call(api, "GET", f"/threads/{thread['id']}/runs"))["data"]
        assert (listed["status"], listed["started_at"], listed["completed_at"]) == (
            "completed",
            1_700_000_000,
            1_700_000_000,
        )
        assert start_run(api, thread["id"], assistant["id"])["status"] == "queued"


def test_sub_second_run_duration_ends_by_real_elapsed_time() -> None:
    with FakeAssistantsAPI(max_lifetime_s=60, run_duration_s=0.3) as api:
        assistant, thread = make_assistant(api), make_thread(api, "hi")
        before_creation = time.monotonic()
        run = start_run(api, thread["id"], assistant["id"])
        seen = [run["status"]]
        while seen[-1] != "completed" and time.monotonic() - before_creation < 10:
            time.sleep(0.02)
            seen.append(ok(call(api, "GET", run_path(run)))["status"])
        completed_after = time.monotonic() - before_creation
    assert seen[-1] == "completed" and completed_after >= 0.3
    order = ["queued", "in_progress", "completed"]
    assert [order.index(status) for status in seen] == sorted(order.index(status) for status in seen)


RUN_ENDINGS: list[tuple[RunOutcome, dict[str, Any]]] = [
    (
        RunOutcome.failed("rate_limit_exceeded", "You exceeded your current quota."),
        {"last_error": {"code": "rate_limit_exceeded", "message": "You exceeded your current quota."}},
    ),
    (RunOutcome.cancelled(), {}),
    (RunOutcome.expired(), {}),
    (RunOutcome.incomplete("max_prompt_tokens"), {"incomplete_details": {"reason": "max_prompt_tokens"}}),
]


@pytest.mark.parametrize(("outcome", "details"), RUN_ENDINGS, ids=[o.status for o, _ in RUN_ENDINGS])
def test_scripted_run_ends_with_its_status_and_details(
    fake_api_server: FakeAssistantsAPI, outcome: RunOutcome, details: dict[str, Any]
) -> None:
    fake_api_server.script_run_outcomes(outcome)
    run = new_run(fake_api_server)
    path = run_path(run)
    assert ok(call(fake_api_server, "GET", path))["status"] == "in_progress"
    ended = ok(call(fake_api_server, "GET", path))
    assert ended["status"] == outcome.status
    ended_at = {"failed": "failed_at", "cancelled": "cancelled_at", "expired": "expires_at"}.get(outcome.status)
    for field in ("completed_at", "failed_at", "cancelled_at", "expires_at"):
        assert isinstance(ended[field], int) if field == ended_at else ended[field] is None, field
    expected = {"last_error": None, "incomplete_details": None, "required_action": None} | details
    assert {key: ended[key] for key in expected} == expected
    # terminal statuses report usage (OpenAI: "null if the run is not in a terminal state"); no reply was written
    assert ended["usage"] is not None and ended["usage"]["completion_tokens"] == 1
    assert assistant_replies(fake_api_server, run["thread_id"]) == []
    assert ok(call(fake_api_server, "GET", path)) == ended


def test_requires_action_run_lists_its_tool_calls_and_keeps_the_thread_busy(
    fake_api_server: FakeAssistantsAPI,
) -> None:
    fake_api_server.script_run_outcomes(RunOutcome.requires_action(("get_weather", {"city": "Paris"}), ("now", {})))
    run = new_run(fake_api_server)
    path = run_path(run)
    ok(call(fake_api_server, "GET", path))
    waiting = ok(call(fake_api_server, "GET", path))
    assert (waiting["status"], waiting["expires_at"], waiting["usage"]) == ("requires_action", run["expires_at"], None)
    action = waiting["required_action"]
    assert action["type"] == "submit_tool_outputs"
    calls = action["submit_tool_outputs"]["tool_calls"]
    assert [(c["type"], c["function"]) for c in calls] == [
        ("function", {"name": "get_weather", "arguments": '{"city": "Paris"}'}),
        ("function", {"name": "now", "arguments": "{}"}),
    ]
    assert all(c["id"].startswith("call_") for c in calls) and calls[0]["id"] != calls[1]["id"]
    thread_id = run["thread_id"]
    reply = call(fake_api_server, "POST", f"/threads/{thread_id}/messages", {"role": "user", "content": "more"})
    assert reply == (400, invalid_request(f"Can't add messages to {thread_id} while a run {run['id']} is active."))
    reply = call(fake_api_server, "POST", f"{path}/submit_tool_outputs", {"tool_outputs": []})
    assert reply == (400, invalid_request("The fake Assistants API does not implement submitting tool outputs."))
    assert assistant_replies(fake_api_server, thread_id) == []


def test_scripted_outcomes_apply_to_the_next_runs_in_order(fake_api_server: FakeAssistantsAPI) -> None:
    fake_api_server.script_run_outcomes(RunOutcome.expired(), RunOutcome.cancelled())
    runs = [new_run(fake_api_server) for _ in range(3)]
    for run in runs:
        ok(call(fake_api_server, "GET", run_path(run)))
    ended = [ok(call(fake_api_server, "GET", run_path(run)))["status"] for run in runs]
    assert ended == ["expired", "cancelled", "completed"]
    fake_api_server.script_run_outcomes(RunOutcome.failed())
    fake_api_server.reset()
    run = new_run(fake_api_server)
    statuses = [ok(call(fake_api_server, "GET", run_path(run)))["status"] for _ in range(2)]
    assert statuses == ["in_progress", "completed"], "reset forgets scripted outcomes"


@pytest.mark.parametrize("stuck_in", ["queued", "in_progress"])
def test_a_run_that_never_finishes_stays_in_its_status(fake_api_server: FakeAssistantsAPI, stuck_in: str) -> None:
    fake_api_server.script_run_outcomes(RunOutcome.never_finishes(stuck_in))
    run = new_run(fake_api_server)
    statuses = {ok(call(fake_api_server, "GET", run_path(run)))["status"] for _ in range(6)}
    assert statuses == {stuck_in}


def test_a_timed_run_that_never_finishes_stays_in_progress() -> None:
    clock = ManualClock(1_700_000_000.0)
    with FakeAssistantsAPI(max_lifetime_s=60, run_duration_s=1, clock=clock) as api:
        api.script_run_outcomes(RunOutcome.never_finishes())
        run = new_run(api)
        clock.now += 86_400
        assert ok(call(api, "GET", run_path(run)))["status"] == "in_progress"


def test_outcome_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="stuck in"):
        RunOutcome.never_finishes("completed")
    with pytest.raises(ValueError, match="at least one"):
        RunOutcome.requires_action()
    with pytest.raises(ValueError, match="run_duration_s"):
        FakeAssistantsAPI(run_duration_s=-1)


# -- faults, recording, lifecycle -------------------------------------------------------------------


def test_fault_injection_nth_and_times(fake_api_server: FakeAssistantsAPI) -> None:
    thread = make_thread(fake_api_server, "hi")
    path = f"/threads/{thread['id']}"
    fake_api_server.inject_fault("GET", r"/threads/thread_[^/]+$", 500, nth=2, times=2)
    replies = [call(fake_api_server, "GET", path) for _ in range(4)]
    assert [status for status, _ in replies] == [200, 500, 500, 200]
    assert replies[1][1] == replies[2][1] == SERVER_ERROR
    statuses = [r.status for r in fake_api_server.requests_matching("GET", r"/threads/thread_[^/]+$")]
    assert statuses == [200, 500, 500, 200]


def test_faulted_request_changes_no_state(fake_api_server: FakeAssistantsAPI) -> None:
    fake_api_server.inject_fault("post", "/assistants$", 429)
    assert call(fake_api_server, "POST", "/assistants", {"model": "gpt-4o"}) == (429, RATE_LIMITED)
    assert fake_api_server.store.assistants == {}
    assert ok(call(fake_api_server, "GET", "/assistants"))["data"] == []
    make_assistant(fake_api_server)
    assert len(fake_api_server.store.assistants) == 1
    recorded = fake_api_server.requests_matching("POST", "/assistants$")
    assert [(r.status, r.body) for r in recorded] == [(429, {"model": "gpt-4o"}), (200, {"model": "gpt-4o"})]


def test_fault_arguments_are_checked(fake_api_server: FakeAssistantsAPI) -> None:
    with pytest.raises(ValueError):
        fake_api_server.inject_fault("GET", ".*", 500, nth=0)
    with pytest.raises(ValueError):
        fake_api_server.inject_fault("GET", ".*", 200)


def test_requests_are_recorded(fake_api_server: FakeAssistantsAPI) -> None:
    before = time.monotonic()
    call(fake_api_server, "GET", "/assistants?limit=5&order=asc")
    call(fake_api_server, "POST", "/threads", {"metadata": {"a": "b"}}, headers={"Authorization": "Bearer x"})
    first, second = fake_api_server.requests
    assert first == RecordedRequest(
        method="GET",
        path="/v1/assistants",
        query={"limit": ["5"], "order": ["asc"]},
        headers=first.headers,
        body=None,
        status=200,
        response_body=first.response_body,
        answered_at=first.answered_at,
        received_at=first.received_at,
    )
    assert before <= first.received_at <= first.answered_at <= second.received_at <= second.answered_at
    assert second.answered_at <= time.monotonic()
    assert fake_api_server.arrivals == 2
    assert first.headers["openai-beta"] == "assistants=v2" and first.header("Authorization") == "Bearer test-key"
    assert (second.method, second.path, second.body, second.status) == (
        "POST",
        "/v1/threads",
        {"metadata": {"a": "b"}},
        400,
    )
    assert fake_api_server.requests_matching("POST", r"^/v1/threads$") == [second]
    assert fake_api_server.requests_matching("GET", r"^/v1/threads$") == []


def test_reset_forgets_requests_objects_and_faults(fake_api_server: FakeAssistantsAPI) -> None:
    make_assistant(fake_api_server)
    fake_api_server.inject_fault("GET", ".*", 500)
    fake_api_server.reset()
    assert fake_api_server.requests == []
    assert ok(call(fake_api_server, "GET", "/assistants"))["data"] == []


def test_rate_limit_faults_send_the_retry_after_header_they_are_given(fake_api_server: FakeAssistantsAPI) -> None:
    http_date = "Wed, 21 Oct 2015 07:28:00 GMT"
    for retry_after, expected in ((7, "7"), (http_date, http_date), (None, None)):
        fake_api_server.inject_fault("GET", "/assistants$", 429, retry_after=retry_after)
        status, headers, body = call_with_headers(fake_api_server, "GET", "/assistants")
        assert (status, body, headers["Retry-After"]) == (429, RATE_LIMITED, expected)
    fake_api_server.inject_fault("GET", "/assistants$", 429)
    assert call_with_headers(fake_api_server, "GET", "/assistants")[1]["Retry-After"] == "1"
    fake_api_server.inject_fault("GET", "/assistants$", 503, retry_after=7)
    assert call_with_headers(fake_api_server, "GET", "/assistants")[1]["Retry-After"] is None


def test_a_fault_can_carry_its_own_message(fake_api_server: FakeAssistantsAPI) -> None:
    message = "Incorrect API key provided: sk-test. You can find your API key at https://platform.openai.com."
    fake_api_server.inject_fault("GET", "/assistants$", 401, message=message)
    assert call(fake_api_server, "GET", "/assistants") == (401, invalid_request(message))


def refused(api: FakeAssistantsAPI, path: str = "/assistants") -> bool:
    """Whether a new connection to the API is refused (any other outcome: False)."""
    try:
        call(api, "GET", path)
    except urllib.error.URLError as error:
        return isinstance(error.reason, ConnectionRefusedError)
    return False


def test_connections_are_refused_for_a_while_after_the_nth_matching_request() -> None:
    with FakeAssistantsAPI(max_lifetime_s=60) as api:
        port = api.port
        api.refuse_connections_after("POST", r"^/v1/threads$", nth=2, seconds=0.5)
        make_thread(api)
        assert not refused(api)
        thread = make_thread(api, "kept")  # the second: answered, then the server stops listening
        outage_began = time.monotonic()
        assert refused(api) and not api.is_running
        while refused(api) and time.monotonic() - outage_began < 10:
            time.sleep(0.05)
        assert time.monotonic() - outage_began >= 0.5
        assert api.is_running and api.port == port
        assert ok(call(api, "GET", f"/threads/{thread['id']}/messages"))["data"][0]["content"][0]["text"]["value"] == (
            "kept"
        )
        make_thread(api)
        assert not refused(api), "the refusal happens once"
        assert [r.status for r in api.requests_matching("POST", r"^/v1/threads$")] == [200, 200, 200]


def test_stop_during_a_refusal_stops_for_good() -> None:
    api = FakeAssistantsAPI(max_lifetime_s=60).start()
    try:
        api.refuse_connections_after("GET", "/assistants$", seconds=0.3)
        assert not refused(api)
        api.stop()
        assert api.wait_until_stopped(timeout=0)
        time.sleep(0.5)
        assert refused(api) and not api.is_running
    finally:
        api.stop()


def test_max_lifetime_stops_the_server_during_a_refusal() -> None:
    api = FakeAssistantsAPI(max_lifetime_s=0.5).start()
    try:
        api.refuse_connections_after("GET", "/assistants$", seconds=60)
        assert not refused(api)
        assert refused(api)
        assert api.wait_until_stopped(timeout=5)
    finally:
        api.stop()


def test_refusal_arguments_are_checked(fake_api_server: FakeAssistantsAPI) -> None:
    with pytest.raises(ValueError):
        fake_api_server.refuse_connections_after("GET", ".*", seconds=0)
    with pytest.raises(ValueError):
        fake_api_server.refuse_connections_after("GET", ".*", nth=0, seconds=1)


def test_server_stops_by_itself_after_max_lifetime() -> None:
    api = FakeAssistantsAPI(max_lifetime_s=0.3).start()
    try:
        assert call(api, "GET", "/assistants")[0] == 200
        assert api.wait_until_stopped(timeout=3)
        assert not api.is_running
        with pytest.raises(urllib.error.URLError):
            call(api, "GET", "/assistants")
    finally:
        api.stop()


def test_context_manager_starts_and_stops() -> None:
    with FakeAssistantsAPI() as api:
        assert api.is_running and api.url.startswith("http://127.0.0.1:") and api.url.endswith("/v1")
    assert not api.is_running and api.wait_until_stopped(timeout=0)


def test_command_line_run_duration_makes_runs_end_by_time() -> None:
    repo = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "tests.fake_api", "--run-duration", "0", "--max-lifetime", "30"]
    with subprocess.Popen(command, cwd=repo, stdout=subprocess.PIPE, text=True) as server:
        try:
            assert server.stdout is not None
            url = server.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:") and url.endswith("/v1"), url
            api = Remote(url)
            run = new_run(api)
            assert ok(call(api, "GET", run_path(run)))["status"] == "completed"
        finally:
            server.terminate()


# -- shape fidelity ---------------------------------------------------------------------------------


def test_route_table_serves_every_operation_of_the_spec() -> None:
    spec_operations = {(op.method, op.template) for op in load_spec().operations}
    assert set(ROUTES) == spec_operations


def exercise_every_operation(api: FakeAssistantsAPI) -> None:
    """Drive every endpoint through successful calls (and a few errors)."""
    assistant = make_assistant(api, name="a", tools=[FUNCTION_TOOL, {"type": "file_search"}], metadata={"k": "v"})
    aid = assistant["id"]
    ok(call(api, "GET", f"/assistants/{aid}"))
    ok(call(api, "POST", f"/assistants/{aid}", {"description": "d", "top_p": 0.5}))
    ok(call(api, "GET", "/assistants"))
    thread = make_thread(api, "one", "two")
    tid = thread["id"]
    ok(call(api, "GET", f"/threads/{tid}"))
    ok(call(api, "POST", f"/threads/{tid}", {"metadata": {"x": "y"}}))
    content = [
        {"type": "text", "text": "three"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
        {"type": "image_file", "image_file": {"file_id": "file-1"}},
    ]
    attachments = [{"file_id": "file-2", "tools": [{"type": "file_search"}]}]
    message = ok(
        call(
            api,
            "POST",
            f"/threads/{tid}/messages",
            {"role": "user", "content": content, "attachments": attachments},
        )
    )
    ok(call(api, "GET", f"/threads/{tid}/messages/{message['id']}"))
    ok(call(api, "POST", f"/threads/{tid}/messages/{message['id']}", {"metadata": {"m": "n"}}))
    run = start_run(api, tid, aid)
    run_path = f"/threads/{tid}/runs/{run['id']}"
    ok(call(api, "POST", run_path, {"metadata": {"r": "s"}}))
    ok(call(api, "GET", f"{run_path}/steps"))
    for _ in range(3):
        ok(call(api, "GET", run_path))
    call(api, "POST", f"{run_path}/submit_tool_outputs", {"tool_outputs": []})
    call(api, "GET", f"{run_path}/steps/step_1")
    ok(call(api, "GET", f"/threads/{tid}/runs"))
    ok(call(api, "GET", f"/threads/{tid}/messages"))
    ok(call(api, "DELETE", f"/threads/{tid}/messages/{message['id']}"))
    other = ok(
        call(
            api,
            "POST",
            "/threads/runs",
            {"assistant_id": aid, "thread": {"messages": [{"role": "user", "content": "x"}]}},
        )
    )
    ok(call(api, "POST", f"/threads/{other['thread_id']}/runs/{other['id']}/cancel"))
    ok(call(api, "GET", f"/threads/{other['thread_id']}/runs/{other['id']}"))
    api.script_run_outcomes(*ALL_OUTCOMES)
    for _ in ALL_OUTCOMES:
        ended = new_run(api)
        for _ in range(2):
            ok(call(api, "GET", f"/threads/{ended['thread_id']}/runs/{ended['id']}"))
    ok(call(api, "DELETE", f"/threads/{tid}"))
    ok(call(api, "DELETE", f"/assistants/{aid}"))
    call(api, "GET", f"/threads/{tid}")
    call(api, "POST", "/assistants", {"model": 1})


ALL_OUTCOMES = [
    RunOutcome.failed(),
    RunOutcome.cancelled(),
    RunOutcome.expired(),
    RunOutcome.incomplete(),
    RunOutcome.requires_action(("lookup", {"q": "x"})),
    RunOutcome.never_finishes("queued"),
]


def test_every_response_matches_the_spec_response_schemas(fake_api_server: FakeAssistantsAPI) -> None:
    exercise_every_operation(fake_api_server)
    spec = load_spec()
    validated: set[str] = set()
    for request in fake_api_server.requests:
        path = request.path.removeprefix("/v1")
        operation_id = check_answer(spec, request.method, path, request.status, request.response_body)
        if request.status == 200 and operation_id is not None:
            validated.add(operation_id)
    never_200 = {"getRunStep", "submitToolOuputsToRun"}
    assert validated == {op.operation_id for op in spec.operations} - never_200
    run_statuses = {r.response_body["status"] for r in fake_api_server.requests_matching("GET", r"/runs/run_[^/]+$")}
    statuses = load_spec().document["components"]["schemas"]["RunObject"]["properties"]["status"]["enum"]
    assert run_statuses == set(statuses) - {"cancelling"}  # cancelling is the answer to the cancel request
    assert {r.status for r in fake_api_server.requests} >= {200, 400, 404}


def test_response_schema_check_is_not_vacuous(fake_api_server: FakeAssistantsAPI) -> None:
    assistant, thread = make_assistant(fake_api_server), make_thread(fake_api_server, "hi")
    run = start_run(fake_api_server, thread["id"], assistant["id"])
    validator = load_spec().operation("getRun").response_validator
    assert validator is not None
    validator.validate(run)
    for broken in (
        {**run, "status": "sleeping"},
        {**run, "usage": {"total_tokens": 1}},
        {**run, "tools": "none"},
    ):
        assert not validator.is_valid(broken)
    without_required = dict(run)
    del without_required["last_error"]
    assert not validator.is_valid(without_required)
