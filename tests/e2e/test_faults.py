"""A failing run creation (500, or 429) fails the apply with the API's message; the next apply converges."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import RUN_CREATE, assert_no_changes, assert_outputs_match_server, successful
from tests.fake_api import FakeAssistantsAPI

API_MESSAGES = {500: "The server had an error while processing your request", 429: "Rate limit reached for requests"}
MESSAGES = [{"role": "user", "content": "one"}, {"role": "user", "content": "two"}]


@pytest.mark.parametrize("status", [500, 429])
@pytest.mark.parametrize("mode", ["new thread", "existing thread"])
def test_a_failed_run_creation_converges_on_the_next_apply(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, status: int, mode: str
) -> None:
    assistant = fake_api.store.create_assistant({"model": "gpt-4o"})
    construct = {"assistant_id": assistant["id"], "messages": MESSAGES}
    if mode == "existing thread":
        existing = fake_api.store.create_thread({})
        construct |= {"create_new_thread": False, "existing_thread_id": existing["id"]}
    workspace = scenario({"construct": construct})
    workspace.init()
    fake_api.inject_fault("POST", RUN_CREATE, status)

    failed = workspace.apply(check=False)
    assert failed.returncode != 0
    assert f"status code: {status}" in failed.stderr and API_MESSAGES[status] in failed.stderr

    workspace.apply()
    outputs = workspace.outputs()
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)

    thread_id = outputs["thread_id"]
    if mode == "new thread":
        assert len(successful(fake_api, "POST", r"^/v1/threads$")) == 1, "exactly one thread"
        created_messages = fake_api.store.get_thread(thread_id) and [
            m for m in fake_api.store.list_messages(thread_id) if m["role"] == "user"
        ]
    else:
        assert thread_id == existing["id"]
        created_messages = [m for m in fake_api.store.list_messages(thread_id) if m["role"] == "user"]
    assert len(created_messages) == len(MESSAGES), "no duplicate messages"
    assert len(fake_api.store.list_runs(thread_id)) == 1, "exactly one run"
    assert [r.status for r in fake_api.requests_matching("POST", RUN_CREATE)] == [status, 200]
    workspace.destroy()
