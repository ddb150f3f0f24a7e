"""Logical ids computed in Python are the ones cdktf allocates, and the construct falls back to cdktf's otherwise."""

from __future__ import annotations

import json
from typing import Any

import constructs
from cdktf import TerraformLocal, TerraformStack, Testing
from hypothesis import given, settings
from hypothesis import strategies as st

from openai_thread_run import OpenaiProvider, OpenaiThread, ThreadRunConstruct
from openai_thread_run.logical_ids import make_unique_id, sanitized

#: Construct ids: plain, cdktf's special ones, what names cannot hold, separators, very long ones.
construct_ids = st.one_of(
    st.sampled_from(["Default", "Resource", "run", "thread", "a-b", "a_b", "x.y z", "é", "n/1", "line\nbreak"]),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.text("ab", min_size=250, max_size=300),
).filter(lambda text: text.strip() == text and text not in ("", "."))


@settings(max_examples=60, deadline=None)
@given(path=st.lists(construct_ids, min_size=1, max_size=4))
def test_the_python_logical_id_is_the_one_cdktf_allocates(path: list[str]) -> None:
    stack = TerraformStack(Testing.app(), "s")
    scope: constructs.Construct = stack
    for construct_id in path[:-1]:
        scope = constructs.Construct(scope, construct_id)
    if all(part == "Default" for part in map(sanitized, path)):
        return  # cdktf refuses to name an element all of whose ids are Default
    element = TerraformLocal(scope, path[-1], 1)
    assert make_unique_id([sanitized(part) for part in path]) == element.friendly_unique_id


def elements_of(construct: Any) -> list[Any]:
    found = [construct.prompt, construct.run, construct.waiter, construct.final_run, construct.thread_messages]
    return [*found, *([construct.thread] if construct.thread is not None else []), *construct.messages]


def test_the_elements_of_a_nested_construct_know_their_logical_ids() -> None:
    stack = TerraformStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    inner = constructs.Construct(constructs.Construct(stack, "team/a"), "Default")
    new = ThreadRunConstruct(inner, "new", assistant_id="asst_1")
    existing = ThreadRunConstruct(
        inner, "existing", assistant_id="asst_1", create_new_thread=False, existing_thread_id="thread_1",
        messages=[{"role": "user", "content": "hi"}],
    )  # fmt: skip
    for construct in (new, existing):
        for element in elements_of(construct):
            assert element._logical_id is not None and element._logical_id == element.friendly_unique_id


class RenamingStack(TerraformStack):
    """A stack that names its elements its own way (cdktf lets a subclass do that)."""

    def _allocate_logical_id(self, tf_element: Any) -> str:
        return "custom_" + str(tf_element.node.id).replace("-", "_")


def test_a_stack_that_names_elements_its_own_way_is_asked() -> None:
    stack = RenamingStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    construct = ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    mine = OpenaiThread(stack, "mine")
    assert all(element._logical_id is None for element in [*elements_of(construct), mine])
    document = json.loads(Testing.synth(stack, run_validations=True))
    run = document["resource"]["openai_thread_run"]["custom_run"]
    assert run["existing_thread_id"] == "${openai_thread.custom_thread.id}"
    assert run["lifecycle"]["replace_triggered_by"] == ["terraform_data.custom_prompt"]
    waiter = document["resource"]["terraform_data"]["custom_wait"]
    assert waiter["triggers_replace"] == "${openai_thread_run.custom_run.id}"


def test_an_element_created_straight_in_a_stack_knows_its_logical_id() -> None:
    stack = TerraformStack(Testing.app(), "s")
    thread = OpenaiThread(stack, "my thread/1")
    assert thread._logical_id == thread.friendly_unique_id == "mythread--1"
    nested = OpenaiThread(constructs.Construct(stack, "group"), "t")
    assert nested._logical_id is None, "a user's construct: its path is not known without asking jsii"


def test_a_logical_id_overridden_before_any_reference_is_what_references_use() -> None:
    stack = TerraformStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    construct = ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    assert construct.waiter is not None and construct.final_run is not None
    construct.waiter.override_logical_id("elsewhere")
    construct.waiter.reset_override_logical_id()  # cdktf keeps the id it has read (the override's check read it)
    assert construct.fqn == "terraform_data.elsewhere" == f"terraform_data.{construct.waiter.friendly_unique_id}"
    construct.final_run.override_logical_id("final")
    document = json.loads(Testing.synth(stack))
    assert document["data"]["openai_run"]["final"]["depends_on"] == ["terraform_data.elsewhere"]
    assert "elsewhere" in document["resource"]["terraform_data"]
