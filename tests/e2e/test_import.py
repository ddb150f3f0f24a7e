"""Importing a run that already exists (``thread_id:run_id``) into a construct on an existing thread."""

from __future__ import annotations

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import RUN_CREATE, assert_no_changes, assert_outputs_match_server, successful
from tests.fake_api import FakeAssistantsAPI


def test_an_imported_run_on_an_existing_thread_plans_no_replacement(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    assistant = fake_api.store.create_assistant({"model": "gpt-4o", "instructions": "Be brief."})
    thread = fake_api.store.create_thread({"messages": [{"role": "user", "content": "Hello?"}]})
    run = fake_api.store.create_run(thread["id"], {"assistant_id": assistant["id"]})
    while fake_api.store.poll_run(thread["id"], run["id"])["status"] != "completed":
        pass
    workspace = scenario(
        {
            "construct": {
                "assistant_id": assistant["id"],
                "create_new_thread": False,
                "existing_thread_id": thread["id"],
            },
            "import_run": f"{thread['id']}:{run['id']}",
        }
    )
    workspace.init()
    code, plan = workspace.plan_exit_code()
    assert code == 2
    assert "# openai_thread_run.thread-run_" in plan and "will be imported" in plan, plan
    assert "must be replaced" not in plan and "forces replacement" not in plan, plan
    # what is added: the waiter and the existing thread's tracker (terraform_data), nothing of the API
    assert "Plan: 1 to import, 2 to add, 0 to change, 0 to destroy." in plan, plan

    workspace.apply()
    outputs = workspace.outputs()
    assert outputs["id"] == run["id"] and outputs["thread_id"] == thread["id"]
    assert_outputs_match_server(outputs, fake_api)
    assert not successful(fake_api, "POST", RUN_CREATE), "no run is created: the existing one is imported"
    assert_no_changes(workspace)
    workspace.destroy()
    assert fake_api.store.get_thread(thread["id"])["id"] == thread["id"], "the existing thread stays"
