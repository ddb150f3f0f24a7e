"""rerun_triggers end to end: changing a trigger value and applying starts a new run on the same thread."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import RUN_CREATE, apply_once, assert_no_changes, assert_outputs_match_server, successful
from tests.e2e.harness import Tools
from tests.fake_api import FakeAssistantsAPI


@pytest.mark.parametrize("trigger_resource", ["terraform_data", "null_resource"])
def test_changing_a_trigger_starts_a_new_run_on_the_same_thread(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, tools: Tools, trigger_resource: str
) -> None:
    if trigger_resource == "null_resource" and tools.null_provider_unavailable:
        pytest.skip(
            "hashicorp/null 3.2.4 is not in the provider mirror: Go cannot build it from the module proxy here "
            f"(its v3 tags have no /v3 module path; see {tools.null_provider_unavailable})"
        )

    def synth(version: str):  # type: ignore[no-untyped-def]
        return scenario(
            {
                "assistant": {"model": "gpt-4o"},
                "construct": {
                    "messages": [{"role": "user", "content": "Run me."}],
                    "rerun_triggers": {"prompt_version": version},
                    "rerun_trigger_resource": trigger_resource,
                },
            }
        )

    first = apply_once(synth("1"))
    assert_outputs_match_server(first, fake_api)

    workspace = synth("2")  # same project folder, so the same state
    workspace.apply()
    second = workspace.outputs()
    assert_outputs_match_server(second, fake_api)
    assert second["thread_id"] == first["thread_id"]
    assert second["id"] != first["id"]
    runs = successful(fake_api, "POST", RUN_CREATE)
    assert [r.path for r in runs] == [f"/v1/threads/{first['thread_id']}/runs"] * 2
    assert len(successful(fake_api, "POST", r"^/v1/threads$")) == 1, "the thread stays; only the run is replaced"
    assert_no_changes(workspace)
    workspace.destroy()
