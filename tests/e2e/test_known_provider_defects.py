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
    apply_and_settle,
    assert_outputs_match_server,
    bodies,
    provider_defect,
)
from tests.fake_api import FakeAssistantsAPI

FUNCTION = {"name": "fetch_examples", "description": "Fetch examples.", "parameters": {"type": "object"}}
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
            apply_and_settle(workspace)
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
        apply_and_settle(workspace)
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
    assistant_tools: list[dict[str, Any]] = [
        {"type": "function", "function": [{**FUNCTION, "parameters": '{"type": "object"}'}]}
    ]
    workspace = scenario({"assistant": {"model": "gpt-4o", "tools": assistant_tools}, "construct": {}})
    try:
        with provider_defect("error setting tools"):
            outputs = apply_and_settle(workspace)
        assert_outputs_match_server(outputs, fake_api)
    finally:
        workspace.cleanup()


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
            apply_and_settle(workspace)
    finally:
        workspace.cleanup()
