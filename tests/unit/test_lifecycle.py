"""The run's life cycle under change: the prompt carries what the run answers, and replaces what depends on it.

End to end (a changed message, a changed setting, applied against the local API) in tests/e2e/test_lifecycle.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from cdktf import TerraformStack, TerraformVariable

from openai_thread_run import MessageDict, ThreadRunConstruct
from tests.conftest import Synth, logical_id, only, resources
from tests.unit.test_construct import FULL_INPUTS


def prompt_of(document: dict[str, Any], construct_id: str = "tr") -> tuple[str, Any]:
    """``terraform_data.<name>`` of the construct's prompt, and what it carries."""
    name = logical_id(document, "terraform_data", f"{construct_id}_prompt")
    return f"terraform_data.{name}", resources(document, "terraform_data")[name]["triggers_replace"]


def test_the_prompt_carries_the_messages_and_every_run_setting_as_terraform_receives_them(
    stack: TerraformStack, synth: Synth
) -> None:
    topic = TerraformVariable(stack, "topic", type="string")
    messages: list[MessageDict] = [
        {"role": "user", "content": f"About {topic.string_value}: ${{x}}", "metadata": {"k": "%{v}"}},
        {"role": "assistant", "content": "An answer."},
    ]
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", messages=messages, **FULL_INPUTS)
    document = synth(stack)
    reference, prompt = prompt_of(document)
    thread, run = only(document, "openai_thread"), only(document, "openai_thread_run")
    assert prompt["messages"] == thread["messages"], "escaped as the thread's, tokens live"
    assert prompt["messages"][0] == {
        "role": "user",
        "content": 'About ${var.topic}: ${"$"}{x}',
        "metadata": {"k": "%%{v}"},
    }
    settings = {name: value for name, value in run.items() if name not in ("existing_thread_id", "lifecycle")}
    assert prompt["run"] == settings
    assert set(settings) == {"assistant_id", *FULL_INPUTS}, "every run setting"
    assert thread["lifecycle"] == {"replace_triggered_by": [f"{reference}.triggers_replace.messages"]}
    assert run["lifecycle"]["replace_triggered_by"] == [reference]
    assert "openai_thread" not in str(prompt), "the prompt never refers to the thread it replaces (a cycle)"


def test_on_an_existing_thread_every_message_is_posted_again_when_one_changes(
    stack: TerraformStack, synth: Synth
) -> None:
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="asst_1",
        create_new_thread=False,
        existing_thread_id="thread_1",
        messages=[{"role": "user", "content": "one"}, {"role": "user", "content": "two", "metadata": {"n": "2"}}],
        instructions="Be brief.",
    )
    document = synth(stack)
    reference, prompt = prompt_of(document)
    assert prompt == {
        "messages": [{"role": "user", "content": "one"}, {"role": "user", "content": "two", "metadata": {"n": "2"}}],
        "run": {"assistant_id": "asst_1", "existing_thread_id": "thread_1", "instructions": "Be brief."},
    }
    posted = resources(document, "openai_message")
    assert len(posted) == 2
    for message in posted.values():
        assert message["lifecycle"] == {"replace_triggered_by": [f"{reference}.triggers_replace.messages"]}
    assert only(document, "openai_thread_run")["lifecycle"]["replace_triggered_by"] == [reference]


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_changes_through_the_escape_hatches_reach_the_prompt(
    stack: TerraformStack, synth: Synth, create_new_thread: bool
) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"create_new_thread": False, "existing_thread_id": "t_1"}
    construct = ThreadRunConstruct(
        stack, "tr", assistant_id="asst_1", messages=[{"role": "user", "content": "one"}], **extra
    )
    construct.run.tools = [{"type": "function", "function": [{"name": "f", "description": "${d}"}]}]
    if construct.thread is not None:
        construct.thread.messages = [{"role": "user", "content": "changed"}]
    else:
        construct.messages[0].content = "changed"
    _, prompt = prompt_of(synth(stack))
    assert prompt["messages"] == [{"role": "user", "content": "changed"}]
    assert prompt["run"]["tools"] == [{"type": "function", "function": [{"name": "f", "description": "$${d}"}]}]
