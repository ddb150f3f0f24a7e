"""Both usage modes end to end: cdktf synth → terraform init/validate/plan/apply/plan/destroy against the local API."""

from __future__ import annotations

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import (
    RUN_CREATE,
    apply_once,
    assert_no_changes,
    assert_outputs_match_server,
    bodies,
    index_of_first,
    successful,
)
from tests.fake_api import FakeAssistantsAPI

MESSAGES = [
    {"role": "user", "content": "First question.", "metadata": {"n": "1"}},
    {"role": "assistant", "content": "An earlier answer."},
    {"role": "user", "content": "Second question."},
]


def test_new_thread_sends_every_input_exactly_and_destroy_deletes_the_thread(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    workspace = scenario(
        {
            "assistant": {"model": "gpt-4o", "name": "e2e"},
            "construct": {
                "messages": MESSAGES,
                "thread_metadata": {"purpose": "e2e"},
                "model": "gpt-4o-mini",
                "instructions": "Answer briefly.",
                "tools": [{"type": "code_interpreter"}],
                "metadata": {"team": "platform"},
                "temperature": 0.7,
                "top_p": 0.5,
                "max_completion_tokens": 2048,
                "response_format": {"type": "json_object"},
            },
        }
    )
    outputs = apply_once(workspace)
    run = assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)

    [thread_body] = bodies(fake_api, "POST", r"^/v1/threads$")
    assert thread_body == {"messages": MESSAGES, "metadata": {"purpose": "e2e"}}
    [run_body] = bodies(fake_api, "POST", RUN_CREATE)
    assert run_body["assistant_id"] == run["assistant_id"]
    assert {key: value for key, value in run_body.items() if key not in ("assistant_id", "tools")} == {
        "model": "gpt-4o-mini",
        "instructions": "Answer briefly.",
        "metadata": {"team": "platform"},
        "temperature": 0.7,
        "top_p": 0.5,
        "max_completion_tokens": 2048,
        "response_format": {"type": "json_object"},
    }
    assert [tool["type"] for tool in run_body["tools"]] == ["code_interpreter"]
    thread_id = outputs["thread_id"]
    assert successful(fake_api, "POST", RUN_CREATE)[0].path == f"/v1/threads/{thread_id}/runs"
    assert not fake_api.requests_matching("POST", r"/messages$"), "a new thread gets its messages inline"

    workspace.destroy()
    assert [r.path for r in successful(fake_api, "DELETE", r"^/v1/threads/")] == [f"/v1/threads/{thread_id}"]


def test_existing_thread_gets_messages_in_order_then_the_run_and_is_never_changed(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    assistant = fake_api.store.create_assistant({"model": "gpt-4o", "instructions": "Be helpful."})
    thread = fake_api.store.create_thread({"metadata": {"owner": "someone-else"}})
    workspace = scenario(
        {
            "construct": {
                "assistant_id": assistant["id"],
                "create_new_thread": False,
                "existing_thread_id": thread["id"],
                "messages": MESSAGES,
                "instructions": "Summarize.",
            }
        }
    )
    outputs = apply_once(workspace)
    assert outputs["thread_id"] == thread["id"]
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)

    messages_path = rf"^/v1/threads/{thread['id']}/messages$"
    assert bodies(fake_api, "POST", messages_path) == MESSAGES
    received = fake_api.requests
    last_message = max(i for i, r in enumerate(received) if r.method == "POST" and "messages" in r.path)
    assert index_of_first(fake_api, "POST", RUN_CREATE) > last_message, "the run starts after the last message"
    [run_request] = successful(fake_api, "POST", RUN_CREATE)
    assert run_request.path == f"/v1/threads/{thread['id']}/runs"
    assert run_request.body == {"assistant_id": assistant["id"], "instructions": "Summarize."}

    workspace.destroy()
    touching_thread = [
        r for r in fake_api.requests if r.path == f"/v1/threads/{thread['id']}" and r.method in ("POST", "DELETE")
    ]
    assert touching_thread == [], "the existing thread must never be modified or deleted"
    assert fake_api.store.get_thread(thread["id"])["metadata"] == {"owner": "someone-else"}


def test_existing_thread_without_messages_only_starts_a_run(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    assistant = fake_api.store.create_assistant({"model": "gpt-4o"})
    thread = fake_api.store.create_thread({"messages": [{"role": "user", "content": "Already here."}]})
    workspace = scenario(
        {
            "construct": {
                "assistant_id": assistant["id"],
                "create_new_thread": False,
                "existing_thread_id": thread["id"],
            }
        }
    )
    outputs = apply_once(workspace)
    assert outputs["thread_id"] == thread["id"]
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)
    assert not fake_api.requests_matching("POST", r"/messages$")
    assert [r.path for r in successful(fake_api, "POST", RUN_CREATE)] == [f"/v1/threads/{thread['id']}/runs"]
    workspace.destroy()
    assert not fake_api.requests_matching("DELETE", r"^/v1/threads/")
    assert fake_api.store.get_thread(thread["id"])["id"] == thread["id"]
