"""What the library asks of a stack at synthesis: provider configurations, the null provider, dependencies on a
construct, and the warning about inherited function tools."""

from __future__ import annotations

from typing import Any

import cdktf
import constructs
import pytest
from cdktf import TerraformOutput, TerraformStack, TerraformVariable, Testing
from cdktf_cdktf_provider_null.provider import NullProvider
from cdktf_cdktf_provider_null.resource import Resource as NullResource

from openai_thread_run import (
    OpenaiAssistant,
    OpenaiProvider,
    OpenaiThread,
    TerraformData,
    ThreadRunConstruct,
    ValidationError,
    warnings_of,
)
from openai_thread_run.stack_records import RECORDS_ID
from tests.conftest import Synth, logical_id, only, resources


class GeneratedOpenaiProvider(cdktf.TerraformProvider):
    """What ``cdktf get`` generates for mkdev-me/openai, reduced to what matters here."""

    def __init__(self, scope: constructs.Construct, id: str, *, api_url: str | None = None, alias: str | None = None):
        super().__init__(
            scope,
            id,
            terraform_resource_type="openai",
            terraform_generator_metadata=cdktf.TerraformProviderGeneratorMetadata(provider_name="openai"),
            terraform_provider_source="mkdev-me/openai",
        )
        self._api_url, self._alias = api_url, alias

    @property
    def alias(self) -> str | None:
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        self._alias = value

    @property
    def api_url(self) -> str | None:
        return self._api_url

    def _synthesize_attributes(self) -> dict[str, Any]:
        return {key: value for key, value in (("api_url", self._api_url), ("alias", self._alias)) if value}


def validation_errors(stack: TerraformStack) -> str:
    with pytest.raises(RuntimeError) as caught:
        Testing.synth(stack, run_validations=True)
    return str(caught.value)


def waiter_environment(doc: dict[str, Any], construct_id: str) -> dict[str, str]:
    waiter = doc["resource"]["terraform_data"][logical_id(doc, "terraform_data", f"{construct_id}_wait")]
    environment: dict[str, str] = waiter["provisioner"][0]["local-exec"]["environment"]
    return environment


# -- provider configurations --------------------------------------------------------------------------------


def test_state_lives_in_the_tree_as_one_hidden_child_per_stack(stack: TerraformStack) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="x")
    ThreadRunConstruct(stack, "b", assistant_id="x")
    found = stack.node.try_find_child(RECORDS_ID)
    assert found is not None
    assert [c.node.id for c in stack.node.children].count(RECORDS_ID) == 1


def test_a_stack_without_an_openai_provider_fails_naming_it(bare_stack: TerraformStack) -> None:
    ThreadRunConstruct(bare_stack, "tr", assistant_id="a")
    assert "ThreadRunConstruct test/tr needs an OpenaiProvider in this stack" in validation_errors(bare_stack)


def test_a_stack_whose_only_providers_are_aliased_fails_unless_provider_is_passed(
    bare_stack: TerraformStack, synth: Synth
) -> None:
    eu = OpenaiProvider(bare_stack, "eu", alias="eu", api_url="https://eu.example.com/v1")
    ThreadRunConstruct(bare_stack, "lost", assistant_id="a")
    errors = validation_errors(bare_stack)
    assert "test/lost: the stack's provider configurations for mkdev-me/openai are all aliased (eu)" in errors
    assert "pass provider=" in errors

    stack = TerraformStack(Testing.app(), "ok")
    eu = OpenaiProvider(stack, "eu", alias="eu", api_url="https://eu.example.com/v1")
    ThreadRunConstruct(stack, "routed", assistant_id="a", provider=eu)
    assert synth(stack)


def test_provider_reaches_every_resource_and_data_source_and_the_waiter(
    bare_stack: TerraformStack, synth: Synth
) -> None:
    stack = bare_stack
    OpenaiProvider(stack, "default", api_url="https://default.example.com/v1")
    key = TerraformVariable(stack, "key", type="string", sensitive=True)
    eu = OpenaiProvider(
        stack, "eu", alias="eu", api_url="https://eu.example.com/v1", organization="org-eu", api_key=key.string_value
    )
    ThreadRunConstruct(stack, "new", assistant_id="a", provider=eu, rerun_triggers={"v": "1"})
    ThreadRunConstruct(
        stack,
        "old",
        assistant_id="a",
        create_new_thread=False,
        existing_thread_id="t",
        messages=[{"role": "user", "content": "m"}],
        provider=eu,
    )
    doc = synth(stack)
    routed = [*resources(doc, "openai_thread").values(), *resources(doc, "openai_message").values()]
    routed += [*resources(doc, "openai_thread_run").values(), *doc["data"]["openai_run"].values()]
    routed += [*doc["data"]["openai_messages"].values()]
    assert len(routed) == 8 and all(element["provider"] == "openai.eu" for element in routed)
    for construct_id in ("new", "old"):
        environment = waiter_environment(doc, construct_id)
        assert environment["OPENAI_API_URL"] == "https://eu.example.com/v1"
        assert environment["OPENAI_ORGANIZATION"] == "org-eu"
        assert environment["OPENAI_API_KEY"] == "${var.key}"


def test_the_waiter_gets_the_default_providers_settings_even_when_declared_later(
    bare_stack: TerraformStack, synth: Synth
) -> None:
    ThreadRunConstruct(bare_stack, "tr", assistant_id="a")
    provider = OpenaiProvider(bare_stack, "openai", api_url="https://first.example.com/v1")
    provider.api_url = "https://later.example.com/v1"
    environment = waiter_environment(synth(bare_stack), "tr")
    assert environment["OPENAI_API_URL"] == "https://later.example.com/v1"
    assert "OPENAI_API_KEY" not in environment and "OPENAI_ORGANIZATION" not in environment


def test_a_generated_provider_counts_and_no_second_one_is_added(bare_stack: TerraformStack, synth: Synth) -> None:
    GeneratedOpenaiProvider(bare_stack, "generated", api_url="https://gen.example.com/v1")
    ThreadRunConstruct(bare_stack, "tr", assistant_id="a")
    doc = synth(bare_stack)
    assert doc["provider"]["openai"] == [{"api_url": "https://gen.example.com/v1"}]
    assert waiter_environment(doc, "tr")["OPENAI_API_URL"] == "https://gen.example.com/v1"


def test_a_generated_provider_can_be_passed_as_provider(bare_stack: TerraformStack, synth: Synth) -> None:
    OpenaiProvider(bare_stack, "openai")
    generated = GeneratedOpenaiProvider(bare_stack, "gen", alias="gen", api_url="https://gen.example.com/v1")
    ThreadRunConstruct(bare_stack, "tr", assistant_id="a", provider=generated)
    doc = synth(bare_stack)
    assert only(doc, "openai_thread_run")["provider"] == "openai.gen"
    assert waiter_environment(doc, "tr")["OPENAI_API_URL"] == "https://gen.example.com/v1"


def test_two_default_configurations_are_refused(bare_stack: TerraformStack) -> None:
    OpenaiProvider(bare_stack, "first")
    with pytest.raises(ValidationError, match="alias: is required: the stack already has a default configuration"):
        OpenaiProvider(bare_stack, "second")
    GeneratedOpenaiProvider(bare_stack, "generated")
    ThreadRunConstruct(bare_stack, "tr", assistant_id="a")
    assert "more than one default (unaliased) provider configuration" in validation_errors(bare_stack)


def test_provider_must_be_an_openai_provider_configuration(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match=r"provider: is a provider for 'null', not mkdev-me/openai"):
        ThreadRunConstruct(stack, "tr", assistant_id="a", provider=NullProvider(stack, "null"))
    with pytest.raises(ValidationError, match="provider: must be a Terraform provider configuration"):
        ThreadRunConstruct(stack, "tr2", assistant_id="a", provider=OpenaiThread(stack, "thread"))


# -- the null provider ----------------------------------------------------------------------------------------


def test_null_resource_triggers_bring_one_null_provider_at_synth(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    ThreadRunConstruct(stack, "b", assistant_id="a", rerun_triggers={"v": "2"})
    doc = synth(stack)
    assert doc["provider"]["null"] == [{}] and len(resources(doc, "null_resource")) == 2


def test_a_null_provider_declared_after_the_construct_is_reused(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    NullProvider(stack, "my-null")
    assert synth(stack)["provider"]["null"] == [{}]


def test_no_null_provider_without_null_triggers(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"}, rerun_trigger_resource="terraform_data")
    assert "null" not in synth(stack)["provider"]


# -- depending on a construct ---------------------------------------------------------------------------------


@pytest.mark.parametrize("wait", [True, False])
def test_depends_on_and_node_add_dependency_name_the_waiter_or_the_run(
    stack: TerraformStack, synth: Synth, wait: bool
) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a", wait_for_completion=wait)
    NullProvider(stack, "null")
    TerraformData(stack, "by-argument", input="x", depends_on=[tr])
    NullResource(stack, "prebuilt", depends_on=[tr])
    TerraformData(stack, "by-node", input="x").node.add_dependency(tr)
    NullResource(stack, "prebuilt-by-node").node.add_dependency(tr)
    output = TerraformOutput(stack, "out", value="x")
    output.node.add_dependency(tr)
    doc = synth(stack)
    last = (
        f"terraform_data.{logical_id(doc, 'terraform_data', 'tr_wait')}"
        if wait
        else f"openai_thread_run.{logical_id(doc, 'openai_thread_run', 'tr_')}"
    )
    for type_, name in (("terraform_data", "by-argument"), ("terraform_data", "by-node")):
        assert doc["resource"][type_][name]["depends_on"] == [last]
    for name in ("prebuilt", "prebuilt-by-node"):
        assert doc["resource"]["null_resource"][name]["depends_on"] == [last]
    assert doc["output"]["out"]["depends_on"] == [last]


# -- inherited function tools ---------------------------------------------------------------------------------

FUNCTION_TOOLS: list[Any] = [{"type": "function", "function": [{"name": "f", "parameters": {"type": "object"}}]}]


def test_a_run_that_would_inherit_function_tools_warns_at_synth_naming_the_fix(stack: TerraformStack) -> None:
    assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o", tools=FUNCTION_TOOLS)
    inherits = ThreadRunConstruct(stack, "inherits", assistant_id=assistant.id)
    own_tools = ThreadRunConstruct(stack, "own-tools", assistant_id=assistant.id, tools=[{"type": "code_interpreter"}])
    other = ThreadRunConstruct(stack, "other", assistant_id="asst_elsewhere")
    assert warnings_of(inherits) == []  # the check runs at synth, when the assistant's tools are final
    Testing.synth(stack)
    [warning] = warnings_of(inherits)
    assert "inherits the function tools of test/assistant" in warning
    assert "Pass tools=[CodeInterpreterTool()]" in warning and "[openai-thread-run:inherited-function-tools]" in warning
    assert warnings_of(own_tools) == [] and warnings_of(other) == []


def test_the_inherited_function_tools_warning_is_added_once_however_often_the_stack_synthesizes(
    stack: TerraformStack,
) -> None:
    assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o", tools=FUNCTION_TOOLS)
    run = ThreadRunConstruct(stack, "run", assistant_id=assistant.id)
    for _ in range(3):
        Testing.synth(stack)
    assert len(warnings_of(run)) == 1


def test_the_inheritance_check_sees_tools_set_after_the_construct(stack: TerraformStack) -> None:
    assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o")
    run = ThreadRunConstruct(stack, "run", assistant_id=assistant.id)
    assistant.tools = FUNCTION_TOOLS
    Testing.synth(stack)
    assert len(warnings_of(run)) == 1
