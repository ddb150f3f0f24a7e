"""The gateway's Assistants v2 surface over real HTTP, on SQLite and on a real PostgreSQL: every endpoint, the
checks (401, 400, 404 in OpenAI's shape), lists, tenants, and every answer against the spec's schemas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openai_thread_run.gateway.errors import (
    INVALID_API_KEY_MESSAGE,
    MISSING_API_KEY_MESSAGE,
    MISSING_BETA_HEADER_MESSAGE,
)
from openai_thread_run.gateway.spec import load_spec
from tests.fake_api.spec_checks import check_answer
from tests.fake_upstream import FakeUpstream, Reply
from tests.gateway.client import Api
from tests.gateway.conftest import DATABASES, KEY, OTHER_KEY, gateway_env
from tests.gateway.processes import GatewayProcess, Postgres

FUNCTION_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {"name": "lookup", "description": "Look a city up", "parameters": {"type": "object"}},
}


def invalid_request(message: str, param: str | None = None, code: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


class Recorded(Api):
    """A client that keeps every answer, to check them all against the spec at the end of the module."""

    answers: list[tuple[str, str, int, Any]]

    def call(
        self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        status, answer = super().call(method, path, body, headers=headers)
        ANSWERS.append((method, path.partition("?")[0], status, answer))
        return status, answer


ANSWERS: list[tuple[str, str, int, Any]] = []


@pytest.fixture(scope="module")
def module_upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream("responses") as fake:
        yield fake


@pytest.fixture(scope="module", params=DATABASES)
def gateway(
    request: pytest.FixtureRequest, module_upstream: FakeUpstream, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GatewayProcess]:
    """One gateway for the module, on each database."""
    folder = tmp_path_factory.mktemp(f"gateway-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'gateway.db'}"
    else:
        server: Postgres = request.getfixturevalue("postgres")
        url = server.url(server.new_database())
    args = ["--database", url, "--upstream-url", module_upstream.url, "--poll-interval", "0.2"]
    process = GatewayProcess(args, gateway_env(), folder / "gateway.log")
    yield process
    process.kill()


@pytest.fixture
def client(gateway: GatewayProcess, module_upstream: FakeUpstream) -> Recorded:
    module_upstream.forget()
    return Recorded(gateway.url, KEY)


@pytest.fixture
def other(gateway: GatewayProcess) -> Recorded:
    """The other tenant's client."""
    return Recorded(gateway.url, OTHER_KEY)


# -- keys and headers ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("authorization", [None, "Bearer", "Basic dXNlcjpwYXNz", KEY])
def test_a_request_without_a_bearer_key_is_401(client: Recorded, authorization: str | None) -> None:
    headers = {"OpenAI-Beta": "assistants=v2"} | ({} if authorization is None else {"Authorization": authorization})
    assert client.call("POST", "/assistants", {"model": "gpt-4o"}, headers=headers) == (
        401,
        invalid_request(MISSING_API_KEY_MESSAGE),
    )


def test_a_key_the_gateway_was_not_given_is_401_and_not_echoed(client: Recorded) -> None:
    wrong = Recorded(client.url, "sk-not-a-client-key")
    status, body = wrong.call("GET", "/assistants")
    assert (status, body) == (401, invalid_request(INVALID_API_KEY_MESSAGE, code="invalid_api_key"))
    assert "sk-not-a-client-key" not in str(body)


def test_the_assistants_beta_header_is_required(client: Recorded) -> None:
    headers = {"Authorization": f"Bearer {KEY}"}
    assert client.call("GET", "/assistants", headers=headers) == (400, invalid_request(MISSING_BETA_HEADER_MESSAGE))
    status, body = client.call("GET", "/assistants", headers=headers | {"OpenAI-Beta": "assistants=v1"})
    assert status == 400 and "v1 Assistants API has been deprecated" in body["error"]["message"]


@pytest.mark.parametrize(("method", "path"), [("GET", "/models"), ("PUT", "/threads"), ("GET", "/threads/runs/x/y")])
def test_a_path_the_api_does_not_have_is_404(client: Recorded, method: str, path: str) -> None:
    assert client.call(method, path, {} if method == "PUT" else None) == (
        404,
        invalid_request(f"Invalid URL ({method} /v1{path})"),
    )


def test_a_body_larger_than_8_mib_is_413(client: Recorded) -> None:
    thread = client.thread()
    huge = {"role": "user", "content": "x" * (8 * 1024 * 1024)}
    status, body = client.call("POST", f"/threads/{thread['id']}/messages", huge)
    assert status == 413 and "larger than the gateway reads" in body["error"]["message"]
    assert client.messages(thread["id"]) == []


def test_health_needs_no_key(gateway: GatewayProcess) -> None:
    import httpx

    answer = httpx.get(gateway.url.removesuffix("/v1") + "/health", timeout=10)
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


# -- the spec's checks ---------------------------------------------------------------------------------------------


def test_bodies_are_checked_against_the_published_spec(client: Recorded) -> None:
    assistant, thread = client.assistant(), client.thread(("user", "hi"))
    tools = [{"type": "function", "function": [{"name": "f", "parameters": "{}"}]}]
    status, body = client.call(
        "POST", f"/threads/{thread['id']}/runs", {"assistant_id": assistant["id"], "tools": tools}
    )
    message = "tools[0].function: [{'name': 'f', 'parameters': '{}'}] is not of type 'object'"
    assert (status, body) == (400, invalid_request(message, "tools[0].function"))
    status, body = client.call("POST", "/threads", {"messages": [], "file_ids": []})
    assert (status, body) == (400, invalid_request("Additional properties are not allowed ('file_ids' was unexpected)"))
    status, body = client.call("POST", "/assistants", {"name": "no model"})
    assert (status, body) == (400, invalid_request("'model' is a required property"))
    status, body = client.call("GET", "/assistants?order=sideways")
    assert (status, body) == (
        400,
        invalid_request("Invalid 'order': 'sideways' is not one of ['asc', 'desc']", "order"),
    )
    assert client.ok("GET", f"/threads/{thread['id']}/runs")["data"] == []


def test_what_the_gateway_cannot_do_is_refused_with_the_reason(client: Recorded) -> None:
    assistant, thread = client.assistant(), client.thread(("user", "hi"))
    run_path = f"/threads/{thread['id']}/runs"
    status, body = client.call("POST", run_path, {"assistant_id": assistant["id"], "stream": True})
    assert (status, body["error"]["param"]) == (400, "stream") and "does not stream" in body["error"]["message"]
    status, body = client.call("POST", "/assistants", {"model": "gpt-4o", "tools": [{"type": "file_search"}]})
    assert (status, body["error"]["param"]) == (400, "tools[0].type") and "file_search" in body["error"]["message"]
    image_file = {"role": "user", "content": [{"type": "image_file", "image_file": {"file_id": "file-1"}}]}
    status, body = client.call("POST", f"/threads/{thread['id']}/messages", image_file)
    assert (status, body["error"]["param"]) == (400, "content[0]") and "image_url" in body["error"]["message"]
    resources = {"code_interpreter": {"file_ids": ["file-1"]}}
    status, body = client.call("POST", "/threads", {"tool_resources": resources})
    assert (status, body["error"]["param"]) == (400, "tool_resources")


# -- every endpoint ------------------------------------------------------------------------------------------------


def test_assistants_create_get_update_list_delete(client: Recorded) -> None:
    created = client.assistant(name="helper", instructions="Be brief.", tools=[FUNCTION_TOOL], metadata={"a": "b"})
    assert created["tools"] == [{"type": "function", "function": {**FUNCTION_TOOL["function"], "strict": False}}]
    path = f"/assistants/{created['id']}"
    assert client.ok("GET", path) == created
    updated = client.ok("POST", path, {"name": "renamed", "temperature": 0.3})
    assert (updated["name"], updated["temperature"], updated["instructions"]) == ("renamed", 0.3, "Be brief.")
    assert client.ok("GET", path) == updated
    assert created["id"] in [a["id"] for a in client.ok("GET", "/assistants?limit=100")["data"]]
    assert client.ok("DELETE", path) == {"id": created["id"], "object": "assistant.deleted", "deleted": True}
    assert client.call("GET", path) == (404, invalid_request(f"No assistant found with id '{created['id']}'."))


def test_threads_create_with_messages_and_metadata_get_update_delete(client: Recorded) -> None:
    thread = client.thread(("user", "one"), ("assistant", "two"), metadata={"team": "platform"})
    path = f"/threads/{thread['id']}"
    assert thread["metadata"] == {"team": "platform"}
    assert client.ok("GET", path) == thread
    assert client.ok("POST", path, {"metadata": {"team": "infra"}})["metadata"] == {"team": "infra"}
    assert [(m["role"], m["content"][0]["text"]["value"]) for m in client.messages(thread["id"])] == [
        ("user", "one"),
        ("assistant", "two"),
    ]
    assert client.ok("DELETE", path) == {"id": thread["id"], "object": "thread.deleted", "deleted": True}
    assert client.call("GET", path)[0] == 404
    assert client.call("GET", path + "/messages")[0] == 404


def test_messages_create_list_get_update_delete(client: Recorded) -> None:
    thread = client.thread()
    created = client.ok("POST", f"/threads/{thread['id']}/messages", {"role": "user", "content": "Hello ${x} %{y}"})
    assert created["content"] == [{"type": "text", "text": {"value": "Hello ${x} %{y}", "annotations": []}}]
    path = f"/threads/{thread['id']}/messages/{created['id']}"
    assert client.ok("GET", path) == created
    assert client.ok("POST", path, {"metadata": {"k": "v"}})["metadata"] == {"k": "v"}
    assert client.ok("DELETE", path) == {"id": created["id"], "object": "thread.message.deleted", "deleted": True}
    assert client.call("GET", path) == (404, invalid_request(f"No message found with id '{created['id']}'."))


def test_message_lists_page_by_order_limit_after_and_before(client: Recorded) -> None:
    thread = client.thread(*[("user", str(n)) for n in range(5)])
    ids = [m["id"] for m in client.messages(thread["id"])]
    base = f"/threads/{thread['id']}/messages"
    newest = client.ok("GET", f"{base}?limit=2")
    assert [m["id"] for m in newest["data"]] == ids[::-1][:2] and newest["has_more"] is True
    assert (newest["first_id"], newest["last_id"]) == (ids[4], ids[3])
    after = client.ok("GET", f"{base}?limit=2&after={newest['last_id']}")
    assert [m["id"] for m in after["data"]] == [ids[2], ids[1]] and after["has_more"] is True
    oldest = client.ok("GET", f"{base}?order=asc&limit=10")
    assert [m["id"] for m in oldest["data"]] == ids and oldest["has_more"] is False
    before = client.ok("GET", f"{base}?order=asc&limit=2&before={ids[3]}")
    assert [m["id"] for m in before["data"]] == [ids[1], ids[2]] and before["has_more"] is True
    between = client.ok("GET", f"{base}?order=asc&after={ids[0]}&before={ids[3]}")
    assert [m["id"] for m in between["data"]] == [ids[1], ids[2]] and between["has_more"] is False


def test_runs_create_get_list_update_and_the_run_id_filter(client: Recorded, module_upstream: FakeUpstream) -> None:
    assistant = client.assistant(instructions="Be brief.")
    thread = client.thread(("user", "first"))
    run = client.run(thread["id"], assistant["id"], metadata={"kind": "test"})
    assert (run["status"], run["metadata"], run["instructions"]) == ("queued", {"kind": "test"}, "Be brief.")
    assert run["expires_at"] == run["created_at"] + 600
    done = client.wait(run)
    assert done["status"] == "completed" and done["completed_at"] >= done["started_at"] >= run["created_at"]
    path = f"/threads/{thread['id']}/runs/{run['id']}"
    assert client.ok("GET", path) == done
    assert [r["id"] for r in client.ok("GET", f"/threads/{thread['id']}/runs")["data"]] == [run["id"]]
    changed = client.ok("POST", path, {"metadata": {"kind": "changed"}})
    assert changed == done | {"metadata": {"kind": "changed"}}
    second = client.wait(client.run(thread["id"], assistant["id"]))
    by_run = client.ok("GET", f"/threads/{thread['id']}/messages?run_id={second['id']}")["data"]
    assert [(m["role"], m["run_id"]) for m in by_run] == [("assistant", second["id"])]
    assert len(client.messages(thread["id"])) == 3


def test_create_thread_and_run(client: Recorded, module_upstream: FakeUpstream) -> None:
    assistant = client.assistant(tools=[{"type": "code_interpreter"}])
    body = {
        "assistant_id": assistant["id"],
        "thread": {"messages": [{"role": "user", "content": "hi"}], "metadata": {"k": "v"}},
        "metadata": {"run": "1"},
    }
    run = client.ok("POST", "/threads/runs", body)
    assert client.ok("GET", f"/threads/{run['thread_id']}")["metadata"] == {"k": "v"}
    assert client.wait(run)["status"] == "completed"
    [request] = module_upstream.received
    assert request["tools"] == [{"type": "code_interpreter", "container": {"type": "auto"}}]


def test_run_steps_list_and_get(client: Recorded) -> None:
    run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]))
    base = f"/threads/{run['thread_id']}/runs/{run['id']}/steps"
    [step] = client.ok("GET", base)["data"]
    [answer] = client.ok("GET", f"/threads/{run['thread_id']}/messages?run_id={run['id']}")["data"]
    assert step["type"] == "message_creation" and step["status"] == "completed"
    assert step["step_details"] == {"type": "message_creation", "message_creation": {"message_id": answer["id"]}}
    assert step["usage"] == run["usage"]
    assert client.ok("GET", f"{base}/{step['id']}") == step
    assert client.call("GET", f"{base}/step_nope") == (404, invalid_request("No run step found with id 'step_nope'."))


def test_an_active_run_blocks_new_runs_and_messages(client: Recorded, module_upstream: FakeUpstream) -> None:
    assistant, thread = client.assistant(), client.thread(("user", "hi"))
    module_upstream.script(Reply.function_calls(("lookup", {"city": "Oslo"})))
    run = client.wait(client.run(thread["id"], assistant["id"], tools=[FUNCTION_TOOL]))
    assert run["status"] == "requires_action"
    tid = thread["id"]
    status, body = client.call("POST", f"/threads/{tid}/runs", {"assistant_id": assistant["id"]})
    assert (status, body) == (400, invalid_request(f"Thread {tid} already has an active run {run['id']}."))
    status, body = client.call("POST", f"/threads/{tid}/messages", {"role": "user", "content": "more"})
    assert (status, body) == (400, invalid_request(f"Can't add messages to {tid} while a run {run['id']} is active."))
    cancelled = client.ok("POST", f"/threads/{tid}/runs/{run['id']}/cancel")
    assert cancelled["status"] == "cancelled" and cancelled["cancelled_at"] is not None
    status, body = client.call("POST", f"/threads/{tid}/runs/{run['id']}/cancel")
    assert (status, body) == (400, invalid_request("Cannot cancel run with status 'cancelled'."))
    client.ok("POST", f"/threads/{tid}/messages", {"role": "user", "content": "more"})


def test_submit_tool_outputs_continues_the_run(client: Recorded, module_upstream: FakeUpstream) -> None:
    assistant, thread = client.assistant(tools=[FUNCTION_TOOL]), client.thread(("user", "Weather in Oslo?"))
    module_upstream.script(Reply.function_calls(("lookup", {"city": "Oslo"})), Reply.answer("Sunny in Oslo."))
    run = client.wait(client.run(thread["id"], assistant["id"]))
    [call] = run["required_action"]["submit_tool_outputs"]["tool_calls"]
    assert call["function"] == {"name": "lookup", "arguments": '{"city": "Oslo"}'}
    path = f"/threads/{thread['id']}/runs/{run['id']}/submit_tool_outputs"
    status, body = client.call("POST", path, {"tool_outputs": [{"tool_call_id": "call_other", "output": "x"}]})
    assert (status, body) == (
        400,
        invalid_request(f"Expected tool outputs for call_ids ['{call['id']}'], got ['call_other'].", "tool_outputs"),
    )
    queued = client.ok("POST", path, {"tool_outputs": [{"tool_call_id": call["id"], "output": "sunny"}]})
    assert queued["status"] == "queued" and queued["required_action"] is None
    done = client.wait(queued)
    assert done["status"] == "completed"
    answers = client.ok("GET", f"/threads/{thread['id']}/messages?run_id={run['id']}")["data"]
    assert [m["content"][0]["text"]["value"] for m in answers] == ["Sunny in Oslo."]
    _, second = module_upstream.received
    assert second["input"] == [
        {"role": "user", "content": "Weather in Oslo?"},
        {"type": "function_call", "call_id": call["id"], "name": "lookup", "arguments": '{"city": "Oslo"}'},
        {"type": "function_call_output", "call_id": call["id"], "output": "sunny"},
    ]
    usage = {key: first_usage + second_usage for key, first_usage, second_usage in _usages(module_upstream)}
    assert done["usage"] == usage
    steps = client.ok("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps?order=asc")["data"]
    assert [(s["type"], s["status"]) for s in steps] == [("tool_calls", "completed"), ("message_creation", "completed")]
    assert steps[0]["step_details"]["tool_calls"][0]["function"]["output"] == "sunny"


def _usages(upstream: FakeUpstream) -> list[tuple[str, int, int]]:
    first, second = (r.response_body["usage"] for r in upstream.requests if r.status == 200)
    return [
        ("prompt_tokens", first["input_tokens"], second["input_tokens"]),
        ("completion_tokens", first["output_tokens"], second["output_tokens"]),
        ("total_tokens", first["total_tokens"], second["total_tokens"]),
    ]


# -- tenants -------------------------------------------------------------------------------------------------------


def test_another_key_sees_none_of_a_tenants_objects(client: Recorded, other: Recorded) -> None:
    assistant = client.assistant()
    thread = client.thread(("user", "mine"))
    run = client.wait(client.run(thread["id"], assistant["id"]))
    [message] = client.messages(thread["id"])[:1]
    step = client.ok("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps")["data"][0]
    tid = thread["id"]
    for method, path, kind, object_id in [
        ("GET", f"/assistants/{assistant['id']}", "assistant", assistant["id"]),
        ("DELETE", f"/assistants/{assistant['id']}", "assistant", assistant["id"]),
        ("GET", f"/threads/{tid}", "thread", tid),
        ("POST", f"/threads/{tid}", "thread", tid),
        ("DELETE", f"/threads/{tid}", "thread", tid),
        ("GET", f"/threads/{tid}/messages", "thread", tid),
        ("GET", f"/threads/{tid}/messages/{message['id']}", "thread", tid),
        ("GET", f"/threads/{tid}/runs", "thread", tid),
        ("GET", f"/threads/{tid}/runs/{run['id']}", "thread", tid),
        ("GET", f"/threads/{tid}/runs/{run['id']}/steps/{step['id']}", "thread", tid),
    ]:
        body: dict[str, Any] | None = {} if method == "POST" else None
        assert other.call(method, path, body) == (404, invalid_request(f"No {kind} found with id '{object_id}'.")), path
    assert other.call("POST", f"/threads/{tid}/runs", {"assistant_id": assistant["id"]})[0] == 404
    mine = other.thread(("user", "theirs"))
    assert other.call("POST", f"/threads/{mine['id']}/runs", {"assistant_id": assistant["id"]}) == (
        404,
        invalid_request(f"No assistant found with id '{assistant['id']}'."),
    )
    assert assistant["id"] not in [a["id"] for a in other.ok("GET", "/assistants?limit=100")["data"]]
    assert client.ok("GET", f"/threads/{tid}")["id"] == tid  # untouched


# -- the spec's response schemas -----------------------------------------------------------------------------------


def test_every_answer_matches_the_spec(client: Recorded) -> None:
    """Runs last in the module: every answer the module's tests got (on both databases) against the spec."""
    spec = load_spec()
    checked = {check_answer(spec, method, path, status, body) for method, path, status, body in ANSWERS}
    statuses = {status for _, _, status, _ in ANSWERS}
    assert statuses >= {200, 400, 401, 404}
    assert checked - {None} == {op.operation_id for op in spec.operations}


def test_module_has_a_log(gateway: GatewayProcess) -> None:
    assert "listening on" in gateway.log
    assert Path(gateway.log_path).exists()
