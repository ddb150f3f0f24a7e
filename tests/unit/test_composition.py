"""Runs compose: every output is a real token, and constructs wait for what they must (depends_on, node
dependencies, an earlier construct on the same thread).

End to end (a second run on the first's thread quoting its answer, in one apply) in tests/e2e/test_lifecycle.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from cdktf import Fn, TerraformHclModule, TerraformOutput, TerraformStack, Testing
from constructs import Construct

from openai_thread_run import (
    DataOpenaiRun,
    OpenaiProvider,
    OpenaiThread,
    TerraformData,
    ThreadRunConstruct,
    ValidationError,
)
from tests.conftest import Synth, logical_id, resources
from tests.construct_outputs import OUTPUTS
from tests.template_eval import evaluate

#: A bare Terraform reference: what a real token resolves to in an expression.
REFERENCE = re.compile(r"(local|openai_thread_run|data\.openai_run)\.[\w-]+(\.\w+)*(\[\"\w+\"\])?")
SCALARS = [name for name in OUTPUTS if name != "usage"]


def run_in(stack: TerraformStack, construct_id: str = "first", **inputs: Any) -> ThreadRunConstruct:
    return ThreadRunConstruct(
        stack, construct_id, assistant_id="asst_1", messages=[{"role": "user", "content": "Hi."}], **inputs
    )


def expressions_in(template: str) -> list[str]:
    """The expressions ``template`` interpolates (quoted literals aside, which the evaluator reads itself)."""
    found: list[str] = []

    def note(expression: str) -> str:
        found.append(expression)
        return ""

    evaluate(template, note)
    return found


def referenced(template: str) -> str:
    """The one expression ``template`` (``prefix ${expression}``) interpolates; fails unless it is a reference."""
    found = expressions_in(template)
    assert len(found) == 1, template
    assert REFERENCE.fullmatch(found[0]), f"not a reference: {found[0]}"
    return found[0]


@pytest.mark.parametrize("wait", [True, False])
@pytest.mark.parametrize("name", SCALARS)
def test_every_output_goes_into_another_constructs_text_and_parameters_as_a_reference(
    stack: TerraformStack, synth: Synth, name: str, wait: bool
) -> None:
    first = run_in(stack, wait_for_completion=wait)
    if name == "response" and not wait:
        with pytest.raises(ValueError, match="response needs wait_for_completion=True"):
            _ = first.response
        return
    value = getattr(first, name)
    ThreadRunConstruct(
        stack,
        "second",
        assistant_id="asst_1",
        messages=[{"role": "user", "content": f"Summarize ${{this}}: {value}"}],
        instructions=f"{value}",
        tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "object", "title": value}}}],
    )
    document = synth(stack)
    second = resources(document, "openai_thread")[logical_id(document, "openai_thread", "second_thread")]
    content = second["messages"][0]["content"]
    expression = referenced(content)
    assert evaluate(content, lambda _: "VALUE") == "Summarize ${this}: VALUE"
    [second_run] = [r for n, r in resources(document, "openai_thread_run").items() if n.startswith("second_")]
    assert referenced(second_run["instructions"]) == expression
    parameters = second_run["tools"][0]["function"][0]["parameters"]
    assert parameters.startswith("${jsonencode(") and f"/*${{*/{expression}" in parameters


@pytest.mark.parametrize("wait", [True, False])
def test_every_output_goes_into_terraform_functions(stack: TerraformStack, synth: Synth, wait: bool) -> None:
    first = run_in(stack, wait_for_completion=wait)
    for name in SCALARS:
        if name != "response" or wait:
            TerraformOutput(stack, f"fn_{name}", value=Fn.tostring(getattr(first, name)))
    TerraformOutput(stack, "fn_usage", value=Fn.lookup(first.usage, "total_tokens", 0))
    TerraformOutput(stack, "fn_sum", value=Fn.sum([first.prompt_tokens, first.completion_tokens]))
    outputs = synth(stack)["output"]
    for name, output in outputs.items():
        value = output["value"]
        found = expressions_in(value)
        assert len(found) == 1 and (re.fullmatch(r"\w+\(.*\)", found[0]) or REFERENCE.fullmatch(found[0])), value
        assert "${" not in found[0], f"{name}: an expression pasted into a function call: {value}"


def test_the_response_is_one_local_per_construct_created_when_read(stack: TerraformStack, synth: Synth) -> None:
    first = run_in(stack)
    assert first.response == first.response, "the same token every time"
    run_in(stack, "unread")
    locals_ = synth(stack)["locals"]
    [response] = [name for name in locals_ if name.startswith("first_response_")]
    assert locals_[response].startswith('${join("\\n\\n", reverse([for m in data.openai_messages.first_replies_')
    assert not [name for name in locals_ if name.startswith("unread_")], "no local for what nobody reads"


# -- what a construct waits for -------------------------------------------------------------------------------


def first_element_depends_on(document: dict[str, Any], construct_id: str) -> list[str]:
    """``depends_on`` of the construct's first element that reaches the API (its thread, first message or run)."""
    for type_, part in (("openai_thread", "thread"), ("openai_message", "message-0"), ("openai_thread_run", "run")):
        named = [name for name in resources(document, type_) if name.startswith(f"{construct_id}_{part}_")]
        if named:
            depends_on: list[str] = resources(document, type_)[named[0]].get("depends_on", [])
            return depends_on
    raise AssertionError(f"no element of {construct_id}")


def waiter_reference(document: dict[str, Any], construct_id: str) -> str:
    return "terraform_data." + logical_id(document, "terraform_data", f"{construct_id}_wait")


@pytest.mark.parametrize("create_new_thread", [True, False])
@pytest.mark.parametrize("with_messages", [True, False])
def test_depends_on_makes_the_first_element_wait(
    stack: TerraformStack, synth: Synth, create_new_thread: bool, with_messages: bool
) -> None:
    first = run_in(stack)
    unwaited = run_in(stack, "unwaited", wait_for_completion=False)
    resource = TerraformData(stack, "resource", input="x")
    data_source = DataOpenaiRun(stack, "data-source", run_id="run_1", thread_id="thread_1")
    module = TerraformHclModule(stack, "module", source="example/module/registry")
    extra: dict[str, Any] = {} if create_new_thread else {"create_new_thread": False, "existing_thread_id": "t_1"}
    ThreadRunConstruct(
        stack,
        "second",
        assistant_id="asst_1",
        messages=[{"role": "user", "content": "one"}, {"role": "user", "content": "two"}] if with_messages else (),
        depends_on=[first, unwaited, resource, data_source, module],
        **extra,
    )
    document = synth(stack)
    assert first_element_depends_on(document, "second") == [
        waiter_reference(document, "first"),
        "openai_thread_run." + logical_id(document, "openai_thread_run", "unwaited_run"),
        "terraform_data.resource",
        "data.openai_run.data-source",
        "module.module",
    ]


def test_node_dependencies_of_a_construct_are_honoured(stack: TerraformStack, synth: Synth) -> None:
    first = run_in(stack)
    group = Construct(stack, "group")
    TerraformData(group, "inside", input="x")
    second = run_in(stack, "second")
    second.node.add_dependency(first)
    second.node.add_dependency(group)
    document = synth(stack)
    inside = "terraform_data." + logical_id(document, "terraform_data", "group_inside")
    assert first_element_depends_on(document, "second") == [waiter_reference(document, "first"), inside]
    assert first_element_depends_on(synth(stack), "second") == [waiter_reference(document, "first"), inside], (
        "a second synthesis adds nothing twice"
    )


def test_a_construct_on_another_constructs_thread_waits_for_it(stack: TerraformStack, synth: Synth) -> None:
    first = run_in(stack)
    second = run_in(stack, "second", create_new_thread=False, existing_thread_id=first.thread_id)
    run_in(stack, "third", create_new_thread=False, existing_thread_id=second.thread_id)
    assert first.thread is not None
    run_in(stack, "fourth", create_new_thread=False, existing_thread_id=first.thread.id)
    run_in(stack, "elsewhere", create_new_thread=False, existing_thread_id="thread_other")
    document = synth(stack)
    assert first_element_depends_on(document, "first") == []
    assert first_element_depends_on(document, "second") == [waiter_reference(document, "first")]
    assert first_element_depends_on(document, "third") == [waiter_reference(document, "second")]
    assert first_element_depends_on(document, "fourth") == [waiter_reference(document, "third")]
    assert first_element_depends_on(document, "elsewhere") == []


@pytest.mark.parametrize("thread", ["literal", "binding"])
def test_constructs_on_the_same_existing_thread_run_in_the_order_they_were_created(
    stack: TerraformStack, synth: Synth, thread: str
) -> None:
    def thread_id() -> str:
        return "thread_abc" if thread == "literal" else conversation.id

    conversation = OpenaiThread(stack, "conversation")
    for name in ("a", "b", "c"):
        run_in(stack, name, create_new_thread=False, existing_thread_id=thread_id(), wait_for_completion=name != "b")
    document = synth(stack)
    assert first_element_depends_on(document, "a") == []
    assert first_element_depends_on(document, "b") == [waiter_reference(document, "a")]
    b_run = "openai_thread_run." + logical_id(document, "openai_thread_run", "b_run")
    assert first_element_depends_on(document, "c") == [b_run], "without a waiter, the run"


def test_an_explicit_order_is_never_reversed(stack: TerraformStack, synth: Synth) -> None:
    first = run_in(stack, "first", create_new_thread=False, existing_thread_id="thread_abc")
    second = run_in(stack, "second", create_new_thread=False, existing_thread_id="thread_abc")
    first.node.add_dependency(second)
    document = synth(stack)
    assert first_element_depends_on(document, "first") == [waiter_reference(document, "second")]
    assert first_element_depends_on(document, "second") == [], "no cycle"


def test_a_construct_on_a_literal_thread_waits_for_the_one_before_it_once_however_it_is_named(
    stack: TerraformStack, synth: Synth
) -> None:
    """It waits for the one before it from creation; naming that one in depends_on too, or synthesizing twice,
    or renaming that one's waiter before synthesis writes the dependency once, under its final name."""
    first = run_in(stack, "first", create_new_thread=False, existing_thread_id="thread_abc")
    run_in(stack, "second", create_new_thread=False, existing_thread_id="thread_abc", depends_on=[first])
    third = run_in(stack, "third", create_new_thread=False, existing_thread_id="thread_abc")
    assert first.waiter is not None
    first.waiter.override_logical_id("first_waiter_renamed")
    synth(stack)
    document = synth(stack)
    assert first_element_depends_on(document, "second") == ["terraform_data.first_waiter_renamed"]
    assert first_element_depends_on(document, "third") == [waiter_reference(document, "second")]
    assert third.node.dependencies == []


def test_depends_on_is_checked(stack: TerraformStack) -> None:
    other = TerraformStack(Testing.app(), "other")
    OpenaiProvider(other, "openai")
    elsewhere = TerraformData(other, "elsewhere", input="x")
    with pytest.raises(ValidationError) as raised:
        run_in(stack, depends_on=["terraform_data.x", Construct(stack, "plain"), elsewhere])
    assert [(p.path, p.problem) for p in raised.value.problems] == [
        ("depends_on[0]", "is nothing Terraform can depend on"),
        ("depends_on[1]", "is nothing Terraform can depend on"),
        ("depends_on[2]", "is in another stack (other/elsewhere): Terraform cannot depend on another configuration"),
    ]
    with pytest.raises(ValidationError, match=r"depends_on: must be a list"):
        run_in(stack, "single", depends_on=elsewhere)


def test_depends_on_and_node_dependencies_together_are_written_once_each(stack: TerraformStack, synth: Synth) -> None:
    first = run_in(stack)
    other = TerraformData(stack, "other", input="x")
    second = run_in(stack, "second", create_new_thread=False, existing_thread_id=first.thread_id, depends_on=[other])
    second.node.add_dependency(other)
    second.node.add_dependency(first)
    synth(stack)
    document = synth(stack)
    assert first_element_depends_on(document, "second") == ["terraform_data.other", waiter_reference(document, "first")]
