"""No hidden names a user can hit, no call Python would refuse naming an internal class, overrides that take effect
or raise, provider topology Terraform would reject, and HCL output (issue 14, item 4).

What the real ``cdktf synth --hcl`` prints is in tests/e2e/test_cli_errors.py.
"""

from __future__ import annotations

import json
from typing import Any

import cdktn
import pytest
from cdktf import App, TerraformLocal, TerraformStack, Testing
from constructs import Construct

import openai_thread_run.cdktn as terrain
from openai_thread_run import (
    DataOpenaiRun,
    OpenaiProvider,
    OpenaiThread,
    ThreadRunConstruct,
    ValidationError,
)
from openai_thread_run.stack_records import RECORDS_ID
from openai_thread_run.waiter_sources import WAITER_LOCAL, WAITER_SH_LOCAL
from tests.conftest import Synth, logical_id, only, resources
from tests.unit.test_stack_checks import GeneratedOpenaiProvider, validation_errors

KEPT_FOR_STATE = "which openai-thread-run keeps for its per-stack state"


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(problem.path, problem.problem) for problem in error.value.problems]


# -- the library's own names -------------------------------------------------------------------------------------


def test_the_package_name_is_a_users_to_give(stack: TerraformStack, synth: Synth) -> None:
    Construct(stack, "openai-thread-run-group")
    ThreadRunConstruct(stack, "openai-thread-run", assistant_id="asst_1")
    synth(stack)


def test_a_user_construct_created_first_with_the_package_name_is_no_collision(bare_stack: TerraformStack) -> None:
    Construct(bare_stack, "openai-thread-run")
    OpenaiProvider(bare_stack, "openai")
    ThreadRunConstruct(bare_stack, "run", assistant_id="asst_1")
    Testing.synth(bare_stack, run_validations=True)


def test_the_state_id_itself_is_refused_either_way(bare_stack: TerraformStack, stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as taken:
        ThreadRunConstruct(stack, RECORDS_ID, assistant_id="asst_1")
    assert problems_of(taken) == [("id", "is the id openai-thread-run keeps for its per-stack state")]
    other = TerraformStack(Testing.app(), "other")
    Construct(other, RECORDS_ID)
    with pytest.raises(ValidationError) as first:
        OpenaiProvider(other, "openai")
    [(path, problem)] = problems_of(first)
    assert (path, problem) == ("scope", f"already holds a construct with the id {RECORDS_ID!r}, {KEPT_FOR_STATE}")


@pytest.mark.parametrize("local", [WAITER_LOCAL, WAITER_SH_LOCAL])
def test_a_user_local_named_as_a_waiters_program_fails_synth_naming_it(stack: TerraformStack, local: str) -> None:
    TerraformLocal(stack, local, "mine")
    ThreadRunConstruct(stack, "run", assistant_id="asst_1")  # waiter="auto" writes both programs
    assert f"s/{local}: the local {local!r} is one openai-thread-run writes a waiter's program" in validation_errors(
        stack
    ).replace("test/", "s/")


def test_a_user_local_named_as_a_program_this_stack_does_not_write_is_fine(stack: TerraformStack, synth: Synth) -> None:
    TerraformLocal(stack, WAITER_SH_LOCAL, "mine")
    ThreadRunConstruct(stack, "run", assistant_id="asst_1", waiter="python")
    assert synth(stack)["locals"][WAITER_SH_LOCAL] == "mine"


def test_a_user_local_of_that_name_is_fine_when_nothing_waits(stack: TerraformStack, synth: Synth) -> None:
    TerraformLocal(stack, WAITER_LOCAL, "mine")
    ThreadRunConstruct(stack, "run", assistant_id="asst_1", wait_for_completion=False)
    assert synth(stack)["locals"] == {WAITER_LOCAL: "mine"}


# -- how the construct is called ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "path", "problem"),
    [
        ({"temprature": 0.5}, "temprature", "is not an input of ThreadRunConstruct; did you mean 'temperature'?"),
        ({"mesages": []}, "mesages", "is not an input of ThreadRunConstruct; did you mean 'messages'?"),
        ({"for_each": ["a"]}, "for_each", "is not an input of ThreadRunConstruct, which is a group of resources"),
        ({"count": 2}, "count", "is not an input of ThreadRunConstruct, which is a group of resources"),
        ({"zzz": 1}, "zzz", "is not an input of ThreadRunConstruct"),
    ],
)
def test_an_unknown_keyword_is_a_validation_error_naming_the_nearest_input(
    stack: TerraformStack, extra: dict[str, Any], path: str, problem: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ThreadRunConstruct(stack, "tr", assistant_id="asst_1", **extra)
    [(found_path, found_problem)] = problems_of(raised)
    assert found_path == path and found_problem.startswith(problem)
    assert raised.value.subject == "ThreadRunConstruct 'tr'"
    assert "ThreadRunConstructBase" not in str(raised.value)
    assert stack.node.try_find_child("tr") is None, "nothing was added to the stack"


def test_positional_and_missing_inputs_are_validation_errors(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as raised:
        ThreadRunConstruct(stack, "tr", "asst_1")  # type: ignore[call-arg]
    assert [path for path, _ in problems_of(raised)] == ["inputs", "assistant_id"]
    with pytest.raises(ValidationError, match="scope: is required"):
        ThreadRunConstruct(id="tr", assistant_id="asst_1")  # type: ignore[call-arg]


def test_cdktn_names_its_own_class() -> None:
    stack = cdktn.TerraformStack(cdktn.App(), "terrain")
    terrain.OpenaiProvider(stack, "openai")
    with pytest.raises(ValidationError) as raised:
        terrain.ThreadRunConstruct(stack, "tr", assistant_id="a", count=2)  # type: ignore[call-arg]
    assert problems_of(raised)[0][1].startswith("is not an input of ThreadRunConstruct")


# -- override_logical_id -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("element", ["run", "thread", "prompt"])
def test_overriding_an_element_the_construct_refers_to_raises(stack: TerraformStack, element: str) -> None:
    construct = ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    with pytest.raises(ValidationError) as raised:
        getattr(construct, element).override_logical_id("renamed")
    [(path, problem)] = problems_of(raised)
    assert path == "new_logical_id" and problem.startswith("cannot take effect: the logical id 'tr_")
    assert "move_from_id" in problem


def test_an_override_of_an_element_nothing_refers_to_yet_takes_effect(stack: TerraformStack, synth: Synth) -> None:
    construct = ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    assert construct.waiter is not None and construct.final_run is not None
    construct.waiter.override_logical_id("waiter")
    construct.final_run.override_logical_id("final")
    mine = OpenaiThread(stack, "mine")
    mine.override_logical_id("conversation")
    document = synth(stack)
    assert "waiter" in resources(document, "terraform_data") and "conversation" in resources(document, "openai_thread")
    assert document["data"]["openai_run"]["final"]["depends_on"] == ["terraform_data.waiter"]
    run = logical_id(document, "openai_thread_run", "tr_run")
    assert resources(document, "terraform_data")["waiter"]["triggers_replace"] == f"${{openai_thread_run.{run}.id}}"


def test_an_override_after_a_reference_raises_on_any_binding(stack: TerraformStack) -> None:
    thread = OpenaiThread(stack, "mine")
    _ = thread.id
    with pytest.raises(ValidationError, match="new_logical_id: cannot take effect"):
        thread.override_logical_id("conversation")
    data = DataOpenaiRun(stack, "d", run_id="r", thread_id="t")
    OpenaiThread(stack, "after", depends_on=[data])
    _ = data.fqn
    with pytest.raises(ValidationError, match="new_logical_id: cannot take effect"):
        data.override_logical_id("renamed")


# -- provider topology ---------------------------------------------------------------------------------------------


def test_a_provider_from_another_stack_is_refused(stack: TerraformStack) -> None:
    other = TerraformStack(stack.node.scope, "other")  # type: ignore[arg-type]
    elsewhere = OpenaiProvider(other, "openai")
    with pytest.raises(ValidationError) as raised:
        ThreadRunConstruct(stack, "tr", assistant_id="asst_1", provider=elsewhere)
    assert problems_of(raised) == [
        (
            "provider",
            "is declared in another stack (other/openai): each stack is its own Terraform configuration, which "
            "cannot use another's provider configurations",
        )
    ]


def test_two_configurations_with_one_alias_are_refused(bare_stack: TerraformStack) -> None:
    OpenaiProvider(bare_stack, "first", alias="eu")
    with pytest.raises(ValidationError) as raised:
        OpenaiProvider(bare_stack, "second", alias="eu")
    [(path, problem)] = problems_of(raised)
    assert path == "alias" and problem.startswith("is already the alias of test/first")
    GeneratedOpenaiProvider(bare_stack, "generated", alias="eu")
    OpenaiProvider(bare_stack, "default")
    ThreadRunConstruct(bare_stack, "tr", assistant_id="asst_1")
    assert "more than one provider configuration for mkdev-me/openai with the alias 'eu'" in validation_errors(
        bare_stack
    )


def test_an_alias_set_later_to_one_in_use_fails_synth(bare_stack: TerraformStack) -> None:
    OpenaiProvider(bare_stack, "first", alias="eu")
    second = OpenaiProvider(bare_stack, "second", alias="us")
    second.alias = "eu"
    assert "with the alias 'eu' (test/first, test/second)" in validation_errors(bare_stack)


# -- HCL output ----------------------------------------------------------------------------------------------------


def test_hcl_output_is_refused_with_one_problem_saying_json_is_required(tmp_path: Any) -> None:
    stack = TerraformStack(App(outdir=str(tmp_path), hcl_output=True), "hcl")
    for create in (lambda: OpenaiProvider(stack, "openai"), lambda: OpenaiThread(stack, "thread")):
        with pytest.raises(ValidationError) as raised:
            create()
        assert problems_of(raised) == [
            (
                "hcl_output",
                "is not supported: openai-thread-run writes JSON only (cdk.tf.json); run cdktf synth without --hcl "
                "(and SYNTH_HCL_OUTPUT unset)",
            )
        ]


def test_json_output_is_what_the_construct_writes(tmp_path: Any) -> None:
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "json")
    OpenaiProvider(stack, "openai")
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    app.synth()
    document = json.loads((tmp_path / "stacks" / "json" / "cdk.tf.json").read_text())
    assert only(document, "openai_thread_run")["assistant_id"] == "asst_1"
