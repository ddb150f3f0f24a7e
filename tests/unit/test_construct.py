"""ThreadRunConstruct: what it synthesizes in both modes, and what it hands back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cdktf import TerraformStack, TerraformVariable, Testing

from openai_thread_run import (
    CodeInterpreterTool,
    FunctionDefinition,
    FunctionTool,
    Message,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiThread,
    OpenaiThreadRun,
    ThreadRunConstruct,
)
from tests.conftest import Synth, logical_id, only, resources

FULL_INPUTS: dict[str, Any] = {
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "tools": [
        {"type": "code_interpreter"},
        {
            "type": "function",
            "function": {
                "name": "fetch_examples",
                "description": "Fetch examples.",
                "parameters": {"type": "object", "required": ["topic"], "properties": {"topic": {"type": "string"}}},
            },
        },
    ],
    "metadata": {"team": "platform"},
    "temperature": 0.7,
    "top_p": 0.9,
    "max_completion_tokens": 2048,
    "response_format": {"type": "json_object"},
}


def test_new_thread_mode_emits_one_thread_and_one_run_on_it(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="asst_1",
        messages=[{"role": "user", "content": "first"}, {"role": "assistant", "content": "second"}],
        thread_metadata={"purpose": "test"},
    )
    doc = synth(stack)
    thread = only(doc, "openai_thread")
    run = only(doc, "openai_thread_run")
    assert thread == {
        "messages": [{"role": "user", "content": "first"}, {"role": "assistant", "content": "second"}],
        "metadata": {"purpose": "test"},
    }
    thread_name = logical_id(doc, "openai_thread", "tr_thread")
    assert run == {"assistant_id": "asst_1", "existing_thread_id": f"${{openai_thread.{thread_name}.id}}"}
    assert "openai_message" not in doc["resource"]
    assert "thread" not in run, "the run must not use its inline thread block (destroy would leak it)"


def test_existing_thread_mode_chains_messages_in_order_before_the_run(stack: TerraformStack, synth: Synth) -> None:
    texts = ["one", "two", "three"]
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="asst_1",
        create_new_thread=False,
        existing_thread_id="thread_abc",
        messages=[{"role": "user", "content": text, "metadata": {"n": text}} for text in texts],
    )
    doc = synth(stack)
    assert "openai_thread" not in doc["resource"], "an existing thread is never owned by the construct"
    messages = resources(doc, "openai_message")
    by_content = {body["content"]: (name, body) for name, body in messages.items()}
    assert sorted(by_content) == sorted(texts)
    previous = None
    for text in texts:
        name, body = by_content[text]
        assert body["thread_id"] == "thread_abc"
        assert body["role"] == "user"
        assert body["metadata"] == {"n": text}
        if previous is None:
            assert "depends_on" not in body
        else:
            assert body["depends_on"] == [f"openai_message.{previous}"]
        previous = name
    run = only(doc, "openai_thread_run")
    assert run["existing_thread_id"] == "thread_abc"
    assert run["depends_on"] == [f"openai_message.{previous}"]


def test_existing_thread_without_messages_has_no_dependencies(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", create_new_thread=False, existing_thread_id="thread_x")
    doc = synth(stack)
    assert "openai_message" not in doc["resource"]
    assert only(doc, "openai_thread_run") == {"assistant_id": "asst_1", "existing_thread_id": "thread_x"}


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_every_run_input_lands_in_its_attribute(stack: TerraformStack, synth: Synth, create_new_thread: bool) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"existing_thread_id": "thread_x"}
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", create_new_thread=create_new_thread, **extra, **FULL_INPUTS)
    run = only(synth(stack), "openai_thread_run")
    parameters = {"properties": {"topic": {"type": "string"}}, "required": ["topic"], "type": "object"}
    assert run["model"] == "gpt-4o"
    assert run["instructions"] == "Be brief."
    assert run["metadata"] == {"team": "platform"}
    assert run["temperature"] == 0.7
    assert run["top_p"] == 0.9
    assert run["max_completion_tokens"] == 2048
    assert run["response_format"] == [{"type": "json_object"}]
    assert run["tools"] == [
        {"type": "code_interpreter"},
        {
            "type": "function",
            "function": [
                {
                    "name": "fetch_examples",
                    "description": "Fetch examples.",
                    "parameters": json.dumps(parameters, sort_keys=True, separators=(",", ":")),
                }
            ],
        },
    ]
    assert "stream" not in run


def test_unset_optional_inputs_stay_out_of_the_json(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    doc = synth(stack)
    assert only(doc, "openai_thread") == {}
    assert set(only(doc, "openai_thread_run")) == {"assistant_id", "existing_thread_id"}
    assert "null_resource" not in doc["resource"]


def test_response_format_auto_is_the_api_default_and_emits_nothing(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", response_format="auto")
    assert "response_format" not in only(synth(stack), "openai_thread_run")


def test_parameters_given_as_a_string_are_kept_verbatim(stack: TerraformStack, synth: Synth) -> None:
    raw = '{"type": "object", "properties": {}}'
    ThreadRunConstruct(
        stack, "tr", assistant_id="a", tools=[{"type": "function", "function": {"name": "f", "parameters": raw}}]
    )
    assert only(synth(stack), "openai_thread_run")["tools"][0]["function"][0]["parameters"] == raw


def test_typed_helpers_and_plain_dicts_synthesize_identically(synth: Synth) -> None:
    def build(typed: bool) -> dict[str, Any]:
        app = Testing.app()
        stack = TerraformStack(app, "s")
        from openai_thread_run import OpenaiProvider

        OpenaiProvider(stack, "openai")
        if typed:
            messages: list[Any] = [Message("user", "hi", {"k": "v"})]
            tools: list[Any] = [
                CodeInterpreterTool(),
                FunctionTool(FunctionDefinition("f", "d", {"type": "object"})),
            ]
        else:
            messages = [{"role": "user", "content": "hi", "metadata": {"k": "v"}}]
            tools = [
                {"type": "code_interpreter"},
                {"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object"}}},
            ]
        ThreadRunConstruct(stack, "tr", assistant_id="a", messages=messages, tools=tools)
        return synth(stack)

    assert build(typed=True) == build(typed=False)


def test_synth_is_byte_identical_run_after_run() -> None:
    def once() -> str:
        app = Testing.app()
        stack = TerraformStack(app, "s")
        from openai_thread_run import OpenaiProvider

        OpenaiProvider(stack, "openai")
        ThreadRunConstruct(stack, "tr", assistant_id="a", rerun_triggers={"b": "2", "a": "1"}, **FULL_INPUTS)
        result: str = Testing.synth(stack)
        return result

    first, second = once(), once()
    assert first == second
    # parameters were given with keys out of order; the encoding sorts them
    assert '\\"properties\\":{\\"topic\\"' in first and first.index("properties") < first.index("required")


def test_tokens_from_other_resources_are_accepted_and_referenced(stack: TerraformStack, synth: Synth) -> None:
    assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o")
    thread = OpenaiThread(stack, "conversation")
    temperature = TerraformVariable(stack, "temperature", type="number")
    model = TerraformVariable(stack, "model", type="string")
    labels = TerraformVariable(stack, "labels", type="map(string)")
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id=assistant.id,
        create_new_thread=False,
        existing_thread_id=thread.id,
        messages=[{"role": "user", "content": model.string_value}],
        model=model.string_value,
        temperature=temperature.number_value,
        max_completion_tokens=temperature.number_value,  # type: ignore[arg-type]  # a number token is a float
        metadata=labels.value,
        tools=[{"type": "function", "function": {"name": model.string_value, "parameters": model.string_value}}],
    )
    doc = synth(stack)
    run = only(doc, "openai_thread_run")
    assert run["assistant_id"] == "${openai_assistant.assistant.id}"
    assert run["existing_thread_id"] == "${openai_thread.conversation.id}"
    assert run["model"] == "${var.model}"
    assert run["temperature"] == "${var.temperature}"
    assert run["metadata"] == "${var.labels}"
    assert run["tools"][0]["function"][0] == {"name": "${var.model}", "parameters": "${var.model}"}
    assert only(doc, "openai_message")["content"] == "${var.model}"


def test_outputs_are_tokens_of_the_run_attributes(stack: TerraformStack, synth: Synth) -> None:
    from cdktf import TerraformOutput

    tr = ThreadRunConstruct(stack, "tr", assistant_id="a")
    for name in ("id", "thread_id", "status", "created_at", "started_at", "completed_at", "usage"):
        TerraformOutput(stack, name, value=getattr(tr, name))
    doc = synth(stack)
    run_name = logical_id(doc, "openai_thread_run", "tr_run")
    for name in ("id", "thread_id", "status", "created_at", "started_at", "completed_at", "usage"):
        assert doc["output"][name]["value"] == f"${{openai_thread_run.{run_name}.{name}}}"


def test_escape_hatches_expose_the_underlying_resources(stack: TerraformStack, synth: Synth) -> None:
    new = ThreadRunConstruct(stack, "new", assistant_id="a", messages=[{"role": "user", "content": "x"}])
    existing = ThreadRunConstruct(
        stack,
        "existing",
        assistant_id="a",
        create_new_thread=False,
        existing_thread_id="thread_1",
        messages=[{"role": "user", "content": "x"}, {"role": "user", "content": "y"}],
    )
    assert isinstance(new.thread, OpenaiThread)
    assert new.messages == ()
    assert isinstance(new.run, OpenaiThreadRun)
    assert new.node.default_child is new.run
    assert existing.thread is None
    assert len(existing.messages) == 2 and all(isinstance(m, OpenaiMessage) for m in existing.messages)
    assert new.rerun_trigger is None
    # an override through the escape hatch reaches the JSON
    new.run.add_override("metadata", {"overridden": "yes"})
    doc = synth(stack)
    run_name = logical_id(doc, "openai_thread_run", "new_run")
    assert doc["resource"]["openai_thread_run"][run_name]["metadata"] == {"overridden": "yes"}


def test_several_constructs_in_one_stack_stay_separate(stack: TerraformStack, synth: Synth) -> None:
    for index in range(3):
        ThreadRunConstruct(
            stack, f"tr{index}", assistant_id=f"asst_{index}", messages=[{"role": "user", "content": f"m{index}"}]
        )
    doc = synth(stack)
    threads = resources(doc, "openai_thread")
    runs = resources(doc, "openai_thread_run")
    assert len(threads) == 3 and len(runs) == 3
    for index in range(3):
        thread_name = logical_id(doc, "openai_thread", f"tr{index}_thread")
        run = runs[logical_id(doc, "openai_thread_run", f"tr{index}_run")]
        assert run["assistant_id"] == f"asst_{index}"
        assert run["existing_thread_id"] == f"${{openai_thread.{thread_name}.id}}"
        assert threads[thread_name]["messages"] == [{"role": "user", "content": f"m{index}"}]


def test_constructs_nest_inside_other_constructs(stack: TerraformStack, synth: Synth) -> None:
    from constructs import Construct

    group = Construct(stack, "group")
    ThreadRunConstruct(group, "tr", assistant_id="a")
    doc = synth(stack)
    assert len(resources(doc, "openai_thread_run")) == 1


def test_missing_provider_fails_synth_naming_openai_provider(bare_stack: TerraformStack) -> None:
    ThreadRunConstruct(bare_stack, "tr", assistant_id="a")
    with pytest.raises(RuntimeError, match=r"OpenaiProvider\(stack, 'openai'"):
        Testing.synth(bare_stack, run_validations=True)


def test_provider_declared_after_the_construct_is_enough(bare_stack: TerraformStack, synth: Synth) -> None:
    from openai_thread_run import OpenaiProvider

    ThreadRunConstruct(bare_stack, "tr", assistant_id="a")
    OpenaiProvider(bare_stack, "openai")
    assert "openai" in synth(bare_stack)["provider"]
