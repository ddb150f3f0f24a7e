"""The two example apps (examples/app.py), synthesized by the real cdktf CLI and applied against the local API."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ExampleFactory
from tests.e2e.flows import (
    RUN_CREATE,
    ProviderDefect,
    apply_and_settle,
    assert_no_changes,
    assert_outputs_match_server,
    bodies,
    index_of_first,
    provider_defect,
    successful,
)
from tests.e2e.test_known_provider_defects import FUNCTION_TOOL_DEFECT, FUNCTION_TOOL_REJECTED
from tests.fake_api import FakeAssistantsAPI


def test_existing_thread_example(example: ExampleFactory, fake_api: FakeAssistantsAPI) -> None:
    workspace = example("existing-thread")
    outputs = apply_and_settle(workspace)
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


@pytest.mark.xfail(strict=True, raises=ProviderDefect, reason=FUNCTION_TOOL_DEFECT)
def test_new_thread_example(example: ExampleFactory, fake_api: FakeAssistantsAPI) -> None:
    """Example (a) runs with the fetch_examples function tool, which provider 1.2.0 cannot send."""
    workspace = example("new-thread")
    try:
        with provider_defect(FUNCTION_TOOL_REJECTED):
            outputs = apply_and_settle(workspace)
        assert_outputs_match_server(outputs, fake_api)
        assert_no_changes(workspace)
    finally:
        workspace.cleanup()
