"""Every validation rule of ThreadRunConstruct: the problem it reports, at construction, with its input path."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from cdktf import TerraformStack, TerraformVariable

from openai_thread_run import (
    FunctionDefinition,
    FunctionTool,
    Message,
    ProviderDefectWarning,
    ThreadRunConstruct,
    ValidationError,
    ZeroSamplingValueWarning,
)


def problems_of(stack: TerraformStack, **inputs: Any) -> list[str]:
    """Construct with ``inputs`` (assistant_id defaults to a valid one) and return the problems as strings."""
    inputs.setdefault("assistant_id", "asst_1")
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(stack, "tr", **inputs)
    assert isinstance(caught.value, ValueError)
    lines = [str(problem) for problem in caught.value.problems]
    assert str(caught.value).count("\n  - ") == len(lines)
    return lines


def only_problem(stack: TerraformStack, **inputs: Any) -> str:
    lines = problems_of(stack, **inputs)
    assert len(lines) == 1, lines
    return lines[0]


def accepts(stack: TerraformStack, **inputs: Any) -> ThreadRunConstruct:
    inputs.setdefault("assistant_id", "asst_1")
    return ThreadRunConstruct(stack, "tr", **inputs)  # warnings from here point at this line


# -- assistant and thread choice ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", None, 42])
def test_assistant_id_must_be_a_non_empty_string(stack: TerraformStack, value: Any) -> None:
    assert only_problem(stack, assistant_id=value).startswith("assistant_id: ")


def test_existing_thread_needs_an_id(stack: TerraformStack) -> None:
    line = only_problem(stack, create_new_thread=False)
    assert line.startswith("existing_thread_id: is required when create_new_thread is False")


def test_existing_thread_id_must_not_be_empty(stack: TerraformStack) -> None:
    assert only_problem(stack, create_new_thread=False, existing_thread_id="").startswith(
        "existing_thread_id: must not be empty"
    )


def test_existing_thread_id_with_a_new_thread_is_an_error(stack: TerraformStack) -> None:
    line = only_problem(stack, existing_thread_id="thread_1")
    assert line.startswith("existing_thread_id: must not be set when create_new_thread is True")


def test_thread_metadata_with_an_existing_thread_is_an_error(stack: TerraformStack) -> None:
    line = only_problem(stack, create_new_thread=False, existing_thread_id="thread_1", thread_metadata={"a": "b"})
    assert line.startswith("thread_metadata: only applies to a new thread")


def test_create_new_thread_must_be_a_literal_bool(stack: TerraformStack) -> None:
    flag = TerraformVariable(stack, "flag", type="bool")
    assert only_problem(stack, create_new_thread=flag.boolean_value).startswith(
        "create_new_thread: must be a literal bool"
    )
    assert only_problem(stack, create_new_thread="yes").startswith("create_new_thread: must be a literal bool")


# -- messages ------------------------------------------------------------------------------------------------------


def test_message_role_must_be_user_or_assistant(stack: TerraformStack) -> None:
    line = only_problem(stack, messages=[{"role": "user", "content": "ok"}, {"role": "system", "content": "nope"}])
    assert line == "messages[1].role: is not allowed (got 'system'; expected 'user' or 'assistant')"


@pytest.mark.parametrize("content", ["", None, 7])
def test_message_content_must_be_a_non_empty_string(stack: TerraformStack, content: Any) -> None:
    assert only_problem(stack, messages=[{"role": "user", "content": content}]).startswith("messages[0].content: ")


def test_message_unknown_keys_and_non_mappings_are_reported(stack: TerraformStack) -> None:
    lines = problems_of(stack, messages=[{"role": "user", "content": "x", "file_ids": ["f"]}, "hello"])
    assert lines[0].startswith("messages[0]: has unknown key 'file_ids'")
    assert lines[1].startswith("messages[1]: must be a message mapping")


def test_messages_must_be_a_list(stack: TerraformStack) -> None:
    assert only_problem(stack, messages="hi").startswith("messages: must be a list")
    listed = TerraformVariable(stack, "msgs", type="list(string)")
    assert only_problem(stack, messages=listed.list_value).startswith("messages: must be a literal list")


def test_message_metadata_is_checked_with_its_path(stack: TerraformStack) -> None:
    line = only_problem(stack, messages=[Message("user", "x", {"k": "v" * 513})])
    assert line.startswith("messages[0].metadata['k']: value is longer than 512 characters")


# -- metadata maps (metadata, thread_metadata, message metadata) ---------------------------------------------------


@pytest.mark.parametrize("name", ["metadata", "thread_metadata"])
def test_metadata_limits(stack: TerraformStack, name: str) -> None:
    assert only_problem(stack, **{name: {f"k{i}": "v" for i in range(17)}}).startswith(
        f"{name}: has 17 keys, more than 16"
    )
    assert only_problem(stack, **{name: {"k" * 65: "v"}}).startswith(f"{name}['{'k' * 65}']: key is longer than 64")
    assert only_problem(stack, **{name: {"k": "v" * 513}}).startswith(f"{name}['k']: value is longer than 512")
    assert only_problem(stack, **{name: {"k": 1}}).startswith(f"{name}['k']: value must be a string")
    assert only_problem(stack, **{name: ["k"]}).startswith(f"{name}: must be a map of strings")


def test_metadata_at_the_limits_is_accepted(stack: TerraformStack) -> None:
    accepts(stack, metadata={("k" * 63 + str(i % 10)): "v" * 512 for i in range(16)})


# -- sampling and limits -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "ok"), [(0.0, True), (2, True), (2.01, False), (-0.1, False), (float("nan"), False)])
def test_temperature_range(stack: TerraformStack, value: float, ok: bool) -> None:
    if ok:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ZeroSamplingValueWarning)
            accepts(stack, temperature=value)
    else:
        assert only_problem(stack, temperature=value).startswith("temperature: must be between 0 and 2")


@pytest.mark.parametrize(("value", "ok"), [(1, True), (0.5, True), (1.5, False), (-1, False)])
def test_top_p_range(stack: TerraformStack, value: float, ok: bool) -> None:
    if ok:
        accepts(stack, top_p=value)
    else:
        assert only_problem(stack, top_p=value).startswith("top_p: must be between 0 and 1")


@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_sampling_values_must_be_numbers(stack: TerraformStack, name: str) -> None:
    assert only_problem(stack, **{name: "0.5"}).startswith(f"{name}: must be a number")
    assert only_problem(stack, **{name: True}).startswith(f"{name}: must be a number")


@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_zero_is_accepted_with_a_warning_that_the_provider_drops_it(stack: TerraformStack, name: str) -> None:
    with pytest.warns(ZeroSamplingValueWarning, match=rf"{name}=0: provider 1.2.0 treats 0 as unset"):
        accepts(stack, **{name: 0})


def test_no_warning_for_non_zero_sampling(stack: TerraformStack) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        accepts(stack, temperature=0.2, top_p=0.3)


def test_max_completion_tokens_minimum_and_type(stack: TerraformStack) -> None:
    assert only_problem(stack, max_completion_tokens=255).startswith(
        "max_completion_tokens: must be at least 256 (the API's minimum)"
    )
    assert only_problem(stack, max_completion_tokens=300.0).startswith("max_completion_tokens: must be an integer")
    assert only_problem(stack, max_completion_tokens=True).startswith("max_completion_tokens: must be an integer")
    accepts(stack, max_completion_tokens=256)


def test_stream_true_is_rejected_with_the_reason(stack: TerraformStack) -> None:
    assert only_problem(stack, stream=True) == (
        "stream: is not supported: Terraform cannot consume a streamed response (got True; expected False)"
    )
    assert only_problem(stack, stream="no").startswith("stream: must be a bool")


# -- tools --------------------------------------------------------------------------------------------------------


def test_at_most_20_tools(stack: TerraformStack) -> None:
    line = only_problem(stack, tools=[{"type": "code_interpreter"}] * 21)
    assert line.startswith("tools: has 21 tools, more than 20")
    accepts(stack, tools=[{"type": "code_interpreter"}] * 20)


def test_file_search_and_retrieval_say_why_they_are_not_possible(stack: TerraformStack) -> None:
    lines = problems_of(stack, tools=[{"type": "file_search"}, {"type": "retrieval"}, {"type": "browser"}])
    assert lines[0].startswith("tools[0].type: provider 1.2.0 cannot send file_search tools")
    assert lines[1].startswith("tools[1].type: the Assistants v2 API rejects 'retrieval'")
    assert lines[2] == "tools[2].type: is not allowed (got 'browser'; expected 'code_interpreter' or 'function')"


@pytest.mark.parametrize("name", ["", "has space", "x" * 65, "dot.ted", None])
def test_function_name_pattern(stack: TerraformStack, name: Any) -> None:
    line = only_problem(stack, tools=[{"type": "function", "function": {"name": name}}])
    assert line.startswith("tools[0].function.name: is not a valid function name")
    assert "^[a-zA-Z0-9_-]{1,64}$" in line


def test_function_name_at_the_limit_is_accepted(stack: TerraformStack) -> None:
    accepts(stack, tools=[FunctionTool(FunctionDefinition(name="a-Z_9" + "x" * 59))])


@pytest.mark.parametrize(
    ("parameters", "problem"),
    [
        ("[1, 2]", "must encode a JSON object"),
        ("{not json", "is not valid JSON"),
        (42, "must be a dict or a JSON string"),
        ({"bad": {1, 2}}, "cannot be encoded as JSON"),
    ],
)
def test_function_parameters_must_be_a_json_object(stack: TerraformStack, parameters: Any, problem: str) -> None:
    line = only_problem(stack, tools=[{"type": "function", "function": {"name": "f", "parameters": parameters}}])
    assert line.startswith(f"tools[0].function.parameters: {problem}")


def test_function_tool_needs_its_function_and_others_must_not_have_one(stack: TerraformStack) -> None:
    lines = problems_of(
        stack, tools=[{"type": "function"}, {"type": "code_interpreter", "function": {"name": "f"}}, {"kind": "x"}]
    )
    assert lines[0].startswith("tools[0].function: is required for a function tool")
    assert lines[1].startswith("tools[1].function: only applies to function tools")
    assert lines[2].startswith("tools[2]: has unknown key 'kind'")
    assert lines[3].startswith("tools[2].type: must be a string")


def test_function_unknown_keys_are_reported(stack: TerraformStack) -> None:
    line = only_problem(stack, tools=[{"type": "function", "function": {"name": "f", "strict": True}}])
    assert line.startswith("tools[0].function: has unknown key 'strict'")


# -- response format -------------------------------------------------------------------------------------------------


def test_response_format_json_schema_says_the_provider_has_no_field(stack: TerraformStack) -> None:
    line = only_problem(stack, response_format={"type": "json_schema"})
    assert line.startswith("response_format.type: provider 1.2.0 has no field for a json_schema response format")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("text", "response_format: must be 'auto' or a mapping (got 'text'; "),
        ({"type": "xml"}, "response_format.type: is not allowed (got 'xml'; expected 'text' or 'json_object')"),
        ({"type": "text", "schema": {}}, "response_format: has unknown key 'schema' ("),
    ],
)
def test_response_format_other_values(stack: TerraformStack, value: Any, problem: str) -> None:
    assert only_problem(stack, response_format=value).startswith(problem)


@pytest.mark.parametrize("value", ["auto", {"type": "text"}, {"type": "json_object"}])
def test_response_format_allowed_values(stack: TerraformStack, value: Any) -> None:
    accepts(stack, response_format=value)


# -- rerun triggers ------------------------------------------------------------------------------------------------


def test_rerun_triggers_must_map_strings_to_strings(stack: TerraformStack) -> None:
    assert only_problem(stack, rerun_triggers={"v": 1}).startswith("rerun_triggers['v']: value must be a string")
    assert only_problem(stack, rerun_triggers="v1").startswith("rerun_triggers: must be a map of strings")
    assert only_problem(stack, rerun_trigger_resource="local_exec").startswith("rerun_trigger_resource: is not allowed")


# -- all at once, tokens, nothing emitted ---------------------------------------------------------------------------


def test_every_problem_is_reported_at_once_and_nothing_is_added(stack: TerraformStack) -> None:
    lines = problems_of(
        stack,
        assistant_id="",
        messages=[{"role": "bot", "content": ""}],
        temperature=9,
        top_p=-1,
        max_completion_tokens=1,
        stream=True,
        tools=[{"type": "retrieval"}],
        response_format={"type": "json_schema"},
    )
    paths = [line.split(":")[0] for line in lines]
    assert paths == [
        "assistant_id",
        "messages[0].role",
        "messages[0].content",
        "tools[0].type",
        "temperature",
        "top_p",
        "max_completion_tokens",
        "stream",
        "response_format.type",
    ]
    assert all("(got " in line and "; expected " in line for line in lines)
    assert stack.node.try_find_child("tr") is None


def test_tokens_are_never_rejected(stack: TerraformStack) -> None:
    text = TerraformVariable(stack, "text", type="string").string_value
    number = TerraformVariable(stack, "number", type="number").number_value
    labels = TerraformVariable(stack, "labels", type="map(string)").value
    accepts(
        stack,
        assistant_id=text,
        create_new_thread=False,
        existing_thread_id=text,
        messages=[{"role": text, "content": text, "metadata": labels}],
        model=text,
        instructions=text,
        tools=[{"type": text, "function": {"name": text, "description": text, "parameters": text}}],
        metadata={"k": text},
        temperature=number,
        top_p=number,
        max_completion_tokens=number,
        rerun_triggers={"v": text},
    )


def test_message_and_thread_metadata_map_tokens_are_accepted(stack: TerraformStack) -> None:
    labels = TerraformVariable(stack, "labels", type="map(string)").value
    accepts(stack, thread_metadata=labels, metadata=labels, rerun_triggers=labels)


def test_function_tools_warn_about_the_provider_defect(stack: TerraformStack) -> None:
    with pytest.warns(ProviderDefectWarning, match="provider 1.2.0 sends a run's function tool") as caught:
        accepts(stack, tools=[{"type": "function", "function": {"name": "f"}}])
    assert caught[0].filename == __file__, "the warning points at the caller's line"


def test_code_interpreter_alone_does_not_warn(stack: TerraformStack) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        accepts(stack, tools=[{"type": "code_interpreter"}])
