"""The two example apps (examples/app.py), synthesized by the real cdktf CLI and applied against the local API."""

from __future__ import annotations

from tests.e2e.conftest import ExampleFactory
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


def test_existing_thread_example(example: ExampleFactory, fake_api: FakeAssistantsAPI) -> None:
    workspace = example("existing-thread")
    outputs = apply_once(workspace)
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)

    [conversation] = bodies(fake_api, "POST", r"^/v1/threads$")
    assert [m["role"] for m in conversation["messages"]] == ["user", "assistant", "user"]
    assert conversation["metadata"] == {"incident": "INC-1042"}
    thread_id = outputs["thread_id"]
    assert bodies(fake_api, "POST", rf"^/v1/threads/{thread_id}/messages$") == [
        {"role": "user", "content": "Summarize this conversation in two sentences."}
    ]
    assert index_of_first(fake_api, "POST", RUN_CREATE) > index_of_first(fake_api, "POST", r"/messages$")
    [run_body] = bodies(fake_api, "POST", RUN_CREATE)
    [assistant] = successful(fake_api, "POST", r"^/v1/assistants$")
    assert run_body == {
        "assistant_id": assistant.response_body["id"],
        "instructions": "Summarize the conversation: what failed, why, and how it was resolved.",
        "metadata": {"kind": "summary"},
        "top_p": 0.9,
        "response_format": {"type": "text"},
    }
    workspace.destroy()
    assert not fake_api.store.list_assistants()


def test_new_thread_example(example: ExampleFactory, fake_api: FakeAssistantsAPI) -> None:
    """Example (a): the assistant knows the fetch_examples function; the run uses the code interpreter."""
    workspace = example("new-thread")
    outputs = apply_once(workspace)
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)

    [assistant] = bodies(fake_api, "POST", r"^/v1/assistants$")
    [function_tool] = [tool for tool in assistant["tools"] if tool["type"] == "function"]
    assert function_tool["function"]["name"] == "fetch_examples"
    [thread] = bodies(fake_api, "POST", r"^/v1/threads$")
    assert [m["content"] for m in thread["messages"]] == [
        "Show me how to create an OpenAI assistant with Terraform.",
        "Then explain how to start a run on a thread.",
    ]
    [run_body] = bodies(fake_api, "POST", RUN_CREATE)
    assert [tool["type"] for tool in run_body["tools"]] == ["code_interpreter"]
    assert outputs["response"] == "Fake reply to: Then explain how to start a run on a thread."
    workspace.destroy()
