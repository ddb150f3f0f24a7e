"""Provider 1.2.0 defects, kept visible: each test states the correct behaviour and is a strict xfail.

Each xfail accepts only :class:`ProviderDefect`, raised when the defect's exact symptom shows, so a test that
fails for another reason fails the build. When a provider release fixes a defect, its test passes, the strict
xfail fails the build, and README's "Known provider defects" needs updating.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import (
    RUN_CREATE,
    ProviderDefect,
    apply_once,
    assert_no_changes,
    assert_outputs_match_server,
    bodies,
    provider_defect,
    successful,
)
from tests.fake_api import FakeAssistantsAPI, RunOutcome

FUNCTION = {"name": "fetch_examples", "description": "Fetch examples.", "parameters": {"type": "object"}}
ASSISTANT_FUNCTION_TOOLS: list[dict[str, Any]] = [
    {"type": "function", "function": [{**FUNCTION, "parameters": '{"type": "object"}'}]}
]
#: What the local API (OpenAI's spec, via jsonschema) says about the provider's function tool body.
FUNCTION_TOOL_REJECTED = "is not of type 'object'"
FUNCTION_TOOL_DEFECT = (
    "provider 1.2.0 sends a run's function tool as {'type': 'function', 'function': [{..., 'parameters': "
    "'<JSON string>'}]} (a list holding a string) where OpenAI's spec wants an object holding an object, so the "
    "API answers 400 and the apply fails"
)


@pytest.mark.xfail(strict=True, raises=ProviderDefect, reason=FUNCTION_TOOL_DEFECT)
def test_a_function_tool_on_the_run_is_sent_as_the_spec_wants(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    workspace = scenario(
        {"assistant": {"model": "gpt-4o"}, "construct": {"tools": [{"type": "function", "function": FUNCTION}]}}
    )
    try:
        with provider_defect(FUNCTION_TOOL_REJECTED):
            apply_once(workspace)
        [run_body] = bodies(fake_api, "POST", RUN_CREATE)
        assert run_body["tools"] == [{"type": "function", "function": FUNCTION}]
    finally:
        workspace.cleanup()


@pytest.mark.xfail(
    strict=True,
    raises=ProviderDefect,
    reason="provider 1.2.0 treats temperature = 0 and top_p = 0 as unset (schema.ResourceData.GetOk) and leaves "
    "them out of the request, so the API default 1.0 applies",
)
@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_a_zero_sampling_value_is_sent(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workspace = scenario({"assistant": {"model": "gpt-4o"}, "construct": {name: 0}})
    try:
        apply_once(workspace)
        [run_body] = bodies(fake_api, "POST", RUN_CREATE)
        if name not in run_body:
            raise ProviderDefect(f"{name} = 0 was not sent: {run_body}")
        assert run_body[name] == 0
    finally:
        workspace.cleanup()


@pytest.mark.xfail(
    strict=True,
    raises=ProviderDefect,
    reason="after creating a run, provider 1.2.0 copies the run's effective tools into its 'tools' block, whose "
    "'function' is a list; a function tool the run inherits from its assistant arrives as an object, setting "
    "the state fails ('error setting tools'), and the apply errors although the run was created",
)
def test_a_run_whose_assistant_has_function_tools(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI) -> None:
    workspace = scenario({"assistant": {"model": "gpt-4o", "tools": ASSISTANT_FUNCTION_TOOLS}, "construct": {}})
    try:
        with provider_defect("error setting tools"):
            outputs = apply_once(workspace)
        assert_outputs_match_server(outputs, fake_api)
    finally:
        workspace.cleanup()


def test_the_documented_recovery_from_inherited_function_tools(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    """README: the run is stuck tainted; give it non-function tools, then `terraform apply -refresh=false`."""
    assistant = {"model": "gpt-4o", "tools": ASSISTANT_FUNCTION_TOOLS}
    workspace = scenario({"assistant": assistant, "construct": {}})
    workspace.init()
    failed = workspace.apply(check=False)
    assert failed.returncode == 1 and "error setting tools" in failed.stderr
    stuck = workspace.terraform("plan", "-no-color", "-input=false", check=False)
    assert stuck.returncode == 1 and "error setting tools" in stuck.stderr, "every later plan fails the same way"

    fixed = scenario({"assistant": assistant, "construct": {"tools": [{"type": "code_interpreter"}]}})
    fixed.apply("-refresh=false")  # replaces the tainted run without reading it
    outputs = fixed.outputs()
    assert_outputs_match_server(outputs, fake_api)
    assert len(successful(fake_api, "POST", RUN_CREATE)) == 2, "the stuck run is replaced by a new one"
    assert_no_changes(fixed)
    fixed.destroy()


@pytest.mark.xfail(
    strict=True,
    raises=ProviderDefect,
    reason="provider 1.2.0 still sends the Assistants v1 field 'file_ids' on openai_assistant (and on openai_thread "
    "messages); the v2 API has no such field and rejects the request (400)",
)
def test_assistant_file_ids_are_sent_in_the_v2_shape(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI) -> None:
    workspace = scenario({"assistant": {"model": "gpt-4o", "file_ids": ["file-abc"]}, "construct": {}})
    try:
        with provider_defect("'file_ids' was unexpected"):
            apply_once(workspace)
    finally:
        workspace.cleanup()


@pytest.mark.fake_api(run_duration_s=30.0)
@pytest.mark.xfail(
    strict=True,
    raises=ProviderDefect,
    reason="provider 1.2.0 stores a run's usage only once the API reports it (a terminal status); until then the "
    "SDK plans the never-set computed map as unknown, an in-place update the resource cannot apply ('doesn't "
    "support update'), so a run still queued or in progress cannot be planned",
)
def test_a_run_still_in_progress_plans_no_change(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI) -> None:
    fake_api.script_run_outcomes(RunOutcome.never_finishes("in_progress"))
    assistant = fake_api.store.create_assistant({"model": "gpt-4o"})
    workspace = scenario({"construct": {"assistant_id": assistant["id"], "wait_timeout_seconds": 2}})
    try:
        workspace.init()
        assert workspace.apply(check=False).returncode == 1  # the waiter times out
        plan = workspace.terraform("plan", "-no-color", "-input=false", check=False).stdout
        if "openai_thread_run" in plan and "will be updated in-place" in plan and "+ usage" in plan:
            raise ProviderDefect("the run plans an in-place update of usage")
        assert "openai_thread_run" not in plan.split(f"{workspace.tools.cli.name} will perform")[-1]
    finally:
        workspace.cleanup()
