"""How the gateway executes runs on each upstream kind: the request it sends (messages in order with their roles,
the run's settings mapped), and every way a run ends (completed, incomplete, requires_action, failed, cancelled,
expired), with retries of 429 and 5xx within the run's expiry."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.fake_upstream import FakeUpstream, Reply
from tests.gateway.client import Api
from tests.gateway.conftest import GatewayFactory, api

FUNCTION_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {"name": "lookup", "description": "Look a city up", "parameters": {"type": "object"}},
}
OVERRIDES: dict[str, Any] = {
    "model": "gpt-4.1-mini",
    "instructions": "Answer in French.",
    "additional_instructions": "Be brief.",
    "tools": [FUNCTION_TOOL, {"type": "code_interpreter"}],
    "temperature": 0.2,
    "top_p": 0.5,
    "max_completion_tokens": 512,
    "response_format": {"type": "json_object"},
    "tool_choice": "required",
    "parallel_tool_calls": False,
    "metadata": {"team": "qa"},
}
HISTORY = (("user", "The deploy failed."), ("assistant", "Was the migration running?"), ("user", "Yes."))


def gateway_on(start_gateway: GatewayFactory, upstream: FakeUpstream, tmp_path: Any, *args: str) -> Api:
    """A gateway on a new SQLite file whose upstream is ``upstream``; its client."""
    gateway = start_gateway(
        "--database",
        f"sqlite:///{tmp_path / 'gateway.db'}",
        "--upstream-url",
        upstream.url,
        "--upstream-api",
        upstream.api,
        "--poll-interval",
        "0.2",
        *args,
    )
    return api(gateway)


@pytest.fixture(params=["responses", "chat-completions"])
def any_upstream(request: pytest.FixtureRequest) -> Any:
    with FakeUpstream(request.param) as fake:
        yield fake


def answer_of(client: Api, run: dict[str, Any]) -> list[dict[str, Any]]:
    return client.ok("GET", f"/threads/{run['thread_id']}/messages?run_id={run['id']}")["data"]  # type: ignore[no-any-return]


# -- what the upstream is sent -------------------------------------------------------------------------------------


def test_responses_gets_the_messages_in_order_and_the_runs_settings(
    start_gateway: GatewayFactory, tmp_path: Any
) -> None:
    with FakeUpstream("responses") as upstream:
        client = gateway_on(start_gateway, upstream, tmp_path)
        assistant = client.assistant(instructions="Be helpful.")
        thread = client.thread(*HISTORY)
        done = client.wait(client.run(thread["id"], assistant["id"], **OVERRIDES))
        assert done["status"] == "completed"
        [sent] = upstream.received
    assert sent == {
        "model": "gpt-4.1-mini",
        "instructions": "Answer in French.\n\nBe brief.",
        "input": [{"role": role, "content": text} for role, text in HISTORY],
        "tools": [
            {
                "type": "function",
                "name": "lookup",
                "description": "Look a city up",
                "parameters": {"type": "object"},
                "strict": False,
            },
            {"type": "code_interpreter", "container": {"type": "auto"}},
        ],
        "temperature": 0.2,
        "top_p": 0.5,
        "max_output_tokens": 512,
        "text": {"format": {"type": "json_object"}},
        "tool_choice": "required",
        "parallel_tool_calls": False,
        "metadata": {"team": "qa"},
    }


def test_chat_completions_gets_the_messages_in_order_and_the_runs_settings(
    start_gateway: GatewayFactory, tmp_path: Any
) -> None:
    with FakeUpstream("chat-completions") as upstream:
        client = gateway_on(start_gateway, upstream, tmp_path)
        assistant = client.assistant(instructions="Be helpful.")
        thread = client.thread(*HISTORY)
        overrides = OVERRIDES | {"tools": [FUNCTION_TOOL]}
        done = client.wait(client.run(thread["id"], assistant["id"], **overrides))
        assert done["status"] == "completed"
        [sent] = upstream.received
    assert sent == {
        "model": "gpt-4.1-mini",
        "messages": [
            {"role": "system", "content": "Answer in French.\n\nBe brief."},
            *({"role": role, "content": text} for role, text in HISTORY),
        ],
        "tools": [{"type": "function", "function": FUNCTION_TOOL["function"] | {"strict": False}}],
        "temperature": 0.2,
        "top_p": 0.5,
        "max_completion_tokens": 512,
        "response_format": {"type": "json_object"},
        "tool_choice": "required",
        "parallel_tool_calls": False,
    }


def test_only_what_was_set_is_sent_and_the_assistant_settings_apply(
    start_gateway: GatewayFactory, tmp_path: Any, any_upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, any_upstream, tmp_path)
    plain = client.assistant()
    tuned = client.assistant(temperature=0.4, response_format={"type": "json_object"})
    for assistant in (plain, tuned):
        client.wait(client.run(client.thread(("user", "hi"))["id"], assistant["id"]))
    bare, with_settings = any_upstream.received
    assert {key for key in bare if key not in ("input", "messages")} == {"model"}
    assert with_settings["temperature"] == 0.4
    assert with_settings.get("text", with_settings.get("response_format")) in (
        {"format": {"type": "json_object"}},
        {"type": "json_object"},
    )


def test_truncation_to_the_last_messages(start_gateway: GatewayFactory, tmp_path: Any, upstream: FakeUpstream) -> None:
    client = gateway_on(start_gateway, upstream, tmp_path)
    thread = client.thread(*HISTORY)
    extra = [{"role": "user", "content": "And now?"}]
    truncation = {"type": "last_messages", "last_messages": 2}
    run = client.run(thread["id"], client.assistant()["id"], truncation_strategy=truncation, additional_messages=extra)
    client.wait(run)
    [sent] = upstream.received
    assert sent["input"] == [{"role": "user", "content": "Yes."}, {"role": "user", "content": "And now?"}]


# -- how runs end --------------------------------------------------------------------------------------------------


def test_the_answer_and_usage_come_from_the_upstream(
    start_gateway: GatewayFactory, tmp_path: Any, any_upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, any_upstream, tmp_path)
    any_upstream.script(Reply.answer("Forty-two.", usage=(31, 7)))
    run = client.wait(client.run(client.thread(("user", "Why?"))["id"], client.assistant()["id"]))
    assert run["status"] == "completed"
    assert run["usage"] == {"prompt_tokens": 31, "completion_tokens": 7, "total_tokens": 38}
    [message] = answer_of(client, run)
    assert (message["role"], message["content"][0]["text"]["value"]) == ("assistant", "Forty-two.")
    assert (message["assistant_id"], message["status"]) == (run["assistant_id"], "completed")


def test_a_token_cap_makes_the_run_incomplete(
    start_gateway: GatewayFactory, tmp_path: Any, any_upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, any_upstream, tmp_path)
    any_upstream.script(Reply.cut_short("The beginning of"))
    thread = client.thread(("user", "Tell me everything."))
    run = client.wait(client.run(thread["id"], client.assistant()["id"], max_completion_tokens=256))
    assert (run["status"], run["incomplete_details"]) == ("incomplete", {"reason": "max_completion_tokens"})
    [message] = answer_of(client, run)
    assert (message["status"], message["incomplete_details"]) == ("incomplete", {"reason": "max_tokens"})
    assert message["content"][0]["text"]["value"] == "The beginning of"


def test_a_function_call_requires_action_and_expires_unanswered(
    start_gateway: GatewayFactory, tmp_path: Any, any_upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, any_upstream, tmp_path, "--run-expires-after", "2")
    any_upstream.script(Reply.function_calls(("lookup", {"city": "Oslo"}), ("lookup", {"city": "Bergen"})))
    thread = client.thread(("user", "Weather?"))
    run = client.wait(client.run(thread["id"], client.assistant()["id"], tools=[FUNCTION_TOOL]))
    assert run["status"] == "requires_action"
    calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
    assert [call["function"]["arguments"] for call in calls] == ['{"city": "Oslo"}', '{"city": "Bergen"}']
    expired = client.wait(run, until=frozenset({"expired"}), timeout=10)
    assert expired["expires_at"] is not None and expired["required_action"] is None
    [step] = client.ok("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps")["data"]
    assert step["status"] == "expired" and step["expired_at"] is not None


def test_chat_completions_function_calls_continue_with_the_outputs(
    start_gateway: GatewayFactory, tmp_path: Any
) -> None:
    with FakeUpstream("chat-completions") as upstream:
        client = gateway_on(start_gateway, upstream, tmp_path)
        upstream.script(Reply.function_calls(("lookup", {"city": "Oslo"})), Reply.answer("Sunny."))
        thread = client.thread(("user", "Weather?"))
        run = client.wait(client.run(thread["id"], client.assistant()["id"], tools=[FUNCTION_TOOL]))
        [call] = run["required_action"]["submit_tool_outputs"]["tool_calls"]
        outputs = {"tool_outputs": [{"tool_call_id": call["id"], "output": "sunny"}]}
        client.ok("POST", f"/threads/{thread['id']}/runs/{run['id']}/submit_tool_outputs", outputs)
        assert client.wait(run)["status"] == "completed"
        _, second = upstream.received
    assert second["messages"] == [
        {"role": "user", "content": "Weather?"},
        {
            "role": "assistant",
            "tool_calls": [
                {"id": call["id"], "type": "function", "function": {"name": "lookup", "arguments": '{"city": "Oslo"}'}}
            ],
        },
        {"role": "tool", "tool_call_id": call["id"], "content": "sunny"},
    ]


def test_the_code_interpreter_runs_on_responses_and_leaves_a_step(
    start_gateway: GatewayFactory, tmp_path: Any, upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, upstream, tmp_path)
    upstream.script(Reply.code_interpreter("print(6 * 7)", "42\n", "It is 42."))
    thread = client.thread(("user", "Compute 6*7."))
    run = client.wait(client.run(thread["id"], client.assistant()["id"], tools=[{"type": "code_interpreter"}]))
    assert run["status"] == "completed"
    steps = client.ok("GET", f"/threads/{thread['id']}/runs/{run['id']}/steps?order=asc")["data"]
    assert [step["type"] for step in steps] == ["tool_calls", "message_creation"]
    [tool_call] = steps[0]["step_details"]["tool_calls"]
    assert tool_call["code_interpreter"] == {"input": "print(6 * 7)", "outputs": [{"type": "logs", "logs": "42\n"}]}
    assert answer_of(client, run)[0]["content"][0]["text"]["value"] == "It is 42."


def test_chat_completions_cannot_run_the_code_interpreter(start_gateway: GatewayFactory, tmp_path: Any) -> None:
    with FakeUpstream("chat-completions") as upstream:
        client = gateway_on(start_gateway, upstream, tmp_path)
        thread = client.thread(("user", "Compute 6*7."))
        run = client.wait(client.run(thread["id"], client.assistant()["id"], tools=[{"type": "code_interpreter"}]))
        assert upstream.requests == []
    assert run["status"] == "failed"
    assert run["last_error"]["code"] == "invalid_prompt"
    message = run["last_error"]["message"]
    assert f"Chat Completions API ({upstream.url})" in message and "no code interpreter" in message
    assert "--upstream-api responses" in message
    assert answer_of(client, run) == []


def test_an_upstream_that_refuses_the_request_fails_the_run_at_once(
    start_gateway: GatewayFactory, tmp_path: Any, any_upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, any_upstream, tmp_path)
    any_upstream.inject_fault("POST", ".", 400, message="The model `gpt-4o` does not exist.")
    run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]))
    assert run["status"] == "failed"
    assert run["last_error"] == {
        "code": "invalid_prompt",
        "message": "the upstream answered HTTP 400: The model `gpt-4o` does not exist.",
    }
    assert len(any_upstream.requests) == 1


def test_a_failed_response_fails_the_run_with_its_error(
    start_gateway: GatewayFactory, tmp_path: Any, upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, upstream, tmp_path)
    upstream.script(Reply.failed("rate_limit_exceeded", "Too many tokens."))
    run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]))
    assert run["last_error"] == {
        "code": "rate_limit_exceeded",
        "message": "the upstream's response failed (rate_limit_exceeded): Too many tokens.",
    }


def test_429_is_retried_after_the_wait_it_asks_for(
    start_gateway: GatewayFactory, tmp_path: Any, any_upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, any_upstream, tmp_path)
    any_upstream.inject_fault("POST", ".", 429, retry_after=2)
    run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]))
    assert run["status"] == "completed"
    first, second = any_upstream.requests
    assert (first.status, second.status) == (429, 200)
    assert second.answered_at - first.answered_at >= 2.0


def test_5xx_is_retried_until_the_run_expires_then_it_fails(
    start_gateway: GatewayFactory, tmp_path: Any, upstream: FakeUpstream
) -> None:
    client = gateway_on(start_gateway, upstream, tmp_path, "--run-expires-after", "3")
    upstream.inject_fault("POST", ".", 500, times=1000)
    started = time.monotonic()
    run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]), timeout=20)
    assert run["status"] == "failed" and run["failed_at"] is not None
    assert run["last_error"] == {
        "code": "server_error",
        "message": "the upstream answered HTTP 500: The server had an error while processing your request. Sorry about"
        " that!",
    }
    assert len(upstream.requests) >= 3 and {r.status for r in upstream.requests} == {500}
    assert time.monotonic() - started < 4  # it stops before the expiry, not after


def test_an_upstream_slower_than_the_expiry_expires_the_run(start_gateway: GatewayFactory, tmp_path: Any) -> None:
    with FakeUpstream("responses", latency_s=4) as upstream:
        client = gateway_on(start_gateway, upstream, tmp_path, "--run-expires-after", "1.5")
        run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]), timeout=10)
    assert run["status"] == "expired" and run["expires_at"] is not None
    assert answer_of(client, run) == []


def test_cancelling_a_run_in_progress_stops_it_without_an_answer(start_gateway: GatewayFactory, tmp_path: Any) -> None:
    with FakeUpstream("responses", latency_s=3) as upstream:
        client = gateway_on(start_gateway, upstream, tmp_path)
        run = client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"])
        client.wait(run, until=frozenset({"in_progress"}))
        modified = client.ok("POST", f"/threads/{run['thread_id']}/runs/{run['id']}", {"metadata": {"k": "v"}})
        assert (modified["status"], modified["metadata"]) == ("in_progress", {"k": "v"})
        cancelling = client.ok("POST", f"/threads/{run['thread_id']}/runs/{run['id']}/cancel")
        assert cancelling["status"] == "cancelling"
        started = time.monotonic()
        cancelled = client.wait(run, until=frozenset({"cancelled"}), timeout=10)
        assert time.monotonic() - started < 2, "the run stopped at once, not after the upstream answered"
        time.sleep(3)  # the upstream would have answered by now
        assert client.ok("GET", f"/threads/{run['thread_id']}/runs/{run['id']}")["status"] == "cancelled"
    assert cancelled["cancelled_at"] is not None
    assert answer_of(client, run) == []
