"""The hand-written bindings, held to what generated cdktf bindings do (and the issue asked for).

For each of OpenaiProvider, OpenaiAssistant, OpenaiThread, OpenaiMessage, OpenaiThreadRun, TerraformData,
DataOpenaiRun and DataOpenaiMessages: exactly the inputs given are emitted; every input of a wrong type and every
missing required input raises a ValidationError naming it, all at once, before anything is added to the stack and
without a jsii round trip; nested inputs are copied; every input has a checked setter (and the optional ones a
``reset_*``); ``TF_RESOURCE_TYPE``, ``cdktf.Testing`` matchers, ``generate_config_for_import`` and
``import_from`` work as on generated bindings; provider aliases route resources; tokens of every kind are taken
where Terraform converts them and refused where it never does; ``usage`` is a number map; free text reaches
Terraform as written; function ``parameters`` are the provider's canonical JSON.

Everything synthesizes through the ``synth`` fixture, so every document is also checked against provider 1.2.0's
schema (resources and data sources).
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cdktf
import pytest
from cdktf import (
    App,
    Fn,
    NumberMap,
    TerraformIterator,
    TerraformLocal,
    TerraformOutput,
    TerraformResourceLifecycle,
    TerraformStack,
    TerraformVariable,
    Testing,
    Token,
)
from jsii._kernel.providers.process import _NodeProcess

from openai_thread_run import (
    DataOpenaiMessages,
    DataOpenaiRun,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
    ThreadMessageBlock,
    ThreadRunConstruct,
    ToolBlock,
    ValidationError,
    warnings_of,
)
from openai_thread_run.bindings._base import attributes_of
from openai_thread_run.bindings.schema import Bool, Number, String, StringList, StringMap
from openai_thread_run.tokens import TokenKind, token_kind
from tests.conftest import Synth, logical_id

PARAMETERS = {"type": "object", "properties": {"q": {"type": "string"}}}
PARAMETERS_JSON = '{"properties":{"q":{"type":"string"}},"type":"object"}'


@dataclass(frozen=True)
class Binding:
    """How to exercise one binding: valid values for every input, and a wrong-typed value for each."""

    cls: type[Any]
    section: str  # where its body is in the document: "resource", "data" or "provider"
    required: dict[str, Any]
    optional: dict[str, Any]
    wrong: dict[str, Any]
    #: Other valid values for the required inputs (what a setter changes them to).
    replacement: dict[str, Any] = field(default_factory=dict)
    #: How a value appears in the JSON when it is not as given (blocks of one item are lists, parameters text).
    emitted: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.cls.__name__)

    @property
    def inputs(self) -> dict[str, Any]:
        return {**self.required, **self.optional}

    def json_of(self, name: str, value: Any) -> Any:
        return self.emitted[name] if name in self.emitted and value == self.inputs.get(name) else value

    def __str__(self) -> str:
        return self.name


BINDINGS = [
    Binding(
        OpenaiProvider,
        "provider",
        required={},
        optional={
            "api_key": "sk-test",
            "admin_key": "sk-admin-test",
            "api_url": "http://127.0.0.1:9/v1",
            "organization": "org-1",
            "timeout": 60,
        },
        wrong={"api_key": 1, "admin_key": ["k"], "api_url": 3, "organization": True, "timeout": "60"},
    ),
    Binding(
        OpenaiAssistant,
        "resource",
        required={"model": "gpt-4o"},
        optional={
            "name": "Helper",
            "description": "Answers briefly.",
            "instructions": "Be brief.",
            "file_ids": ["file_1"],
            "metadata": {"team": "platform"},
            "tools": [
                {"type": "code_interpreter"},
                {"type": "function", "function": [{"name": "f", "description": "d", "parameters": PARAMETERS}]},
            ],
        },
        wrong={
            "model": 5,
            "name": 1,
            "description": ["d"],
            "instructions": {"text": "x"},
            "file_ids": "file_1",
            "metadata": ["team"],
            "tools": {"type": "code_interpreter"},
        },
        replacement={"model": "gpt-4o-mini"},
        emitted={
            "tools": [
                {"type": "code_interpreter"},
                {"type": "function", "function": [{"name": "f", "description": "d", "parameters": PARAMETERS_JSON}]},
            ]
        },
    ),
    Binding(
        OpenaiThread,
        "resource",
        required={},
        optional={
            "messages": [
                {"role": "user", "content": "Hi", "metadata": {"k": "v"}},
                {"role": "assistant", "content": "Yo"},
            ],
            "metadata": {"purpose": "test"},
        },
        wrong={"messages": "Hi", "metadata": 1},
    ),
    Binding(
        OpenaiMessage,
        "resource",
        required={"thread_id": "thread_1", "role": "user", "content": "Hi"},
        optional={
            "metadata": {"k": "v"},
            "attachments": [{"file_id": "file_1", "tools": [{"type": "code_interpreter"}]}],
        },
        wrong={"thread_id": 1, "role": 2, "content": 3.5, "metadata": "k=v", "attachments": {"file_id": "file_1"}},
        replacement={"thread_id": "thread_2", "role": "assistant", "content": "Bye"},
    ),
    Binding(
        OpenaiThreadRun,
        "resource",
        required={"assistant_id": "asst_1"},
        optional={
            "existing_thread_id": "thread_1",
            "thread": {
                "messages": [{"role": "user", "content": "Hi", "attachments": [{"file_id": "file_1"}]}],
                "metadata": {"k": "v"},
            },
            "model": "gpt-4o",
            "instructions": "Be brief.",
            "tools": [{"type": "function", "function": [{"name": "f", "parameters": PARAMETERS}]}],
            "metadata": {"team": "platform"},
            "temperature": 0.5,
            "top_p": 0.9,
            "max_completion_tokens": 512,
            "stream": False,
            "response_format": {"type": "json_object"},
        },
        wrong={
            "assistant_id": 1,
            "existing_thread_id": 2,
            "thread": "thread_1",
            "model": 3,
            "instructions": 4,
            "tools": "code_interpreter",
            "metadata": 5,
            "temperature": "hot",
            "top_p": True,
            "max_completion_tokens": 1.5,
            "stream": "no",
            "response_format": "json_object",
        },
        replacement={"assistant_id": "asst_2"},
        emitted={
            "thread": [
                {
                    "messages": [{"role": "user", "content": "Hi", "attachments": [{"file_id": "file_1"}]}],
                    "metadata": {"k": "v"},
                }
            ],
            "tools": [{"type": "function", "function": [{"name": "f", "parameters": PARAMETERS_JSON}]}],
            "response_format": [{"type": "json_object"}],
        },
    ),
    Binding(
        TerraformData,
        "resource",
        required={},
        optional={"triggers_replace": {"v": "1"}, "input": ["x", 1, {"nested": [True, None]}]},
        wrong={"triggers_replace": object(), "input": float("nan")},
        # cdktf drops None inside lists and maps; "${null}" is what Terraform evaluates to null
        emitted={"input": ["x", 1, {"nested": [True, "${null}"]}]},
    ),
    Binding(
        DataOpenaiRun,
        "data",
        required={"run_id": "run_1", "thread_id": "thread_1"},
        optional={},
        wrong={"run_id": 1, "thread_id": ["thread_1"]},
        replacement={"run_id": "run_2", "thread_id": "thread_2"},
    ),
    Binding(
        DataOpenaiMessages,
        "data",
        required={"thread_id": "thread_1"},
        optional={"limit": 5, "order": "asc", "after": "msg_1", "before": "msg_9"},
        wrong={"thread_id": 1, "limit": "5", "order": 1, "after": 2, "before": 3},
        replacement={"thread_id": "thread_2"},
    ),
]
RESOURCES = [b for b in BINDINGS if b.section == "resource"]
DATA_SOURCES = [b for b in BINDINGS if b.section == "data"]
ELEMENTS = RESOURCES + DATA_SOURCES
BY_CLASS = {b.cls: b for b in BINDINGS}


def each_input(bindings: list[Binding], which: str = "inputs") -> list[Any]:
    return [pytest.param(b, name, id=f"{b}.{name}") for b in bindings for name in getattr(b, which)]


def _with(binding: Binding, **inputs: Any) -> dict[str, Any]:
    """The binding's required inputs, then ``inputs``; for a provider, an alias (the stack has a default one)."""
    extra = {"alias": "extra"} if binding.section == "provider" else {}
    return {**copy.deepcopy(binding.required), **extra, **inputs}


def create(binding: Binding, stack: TerraformStack, id_: str = "it", /, **inputs: Any) -> Any:
    return binding.cls(stack, id_, **_with(binding, **inputs))


def body(document: dict[str, Any], binding: Binding, id_: str = "it", /) -> dict[str, Any]:
    """The JSON body of the element ``id_`` (for a provider: its configuration, without the alias)."""
    if binding.section == "provider":
        [config] = [c for c in document["provider"]["openai"] if c.get("alias") == "extra"]
        return {key: value for key, value in config.items() if key != "alias"}
    found: dict[str, Any] = document[binding.section][binding.cls.TF_RESOURCE_TYPE][id_]
    return found


def expected_body(binding: Binding, **inputs: Any) -> dict[str, Any]:
    given = {**binding.required, **inputs}
    return {name: binding.json_of(name, value) for name, value in given.items()}


class KernelCalls:
    """Counts the requests sent to the jsii kernel (each one a round trip to Node.js)."""

    def __init__(self) -> None:
        self.requests: list[str] = []


@contextmanager
def kernel_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[KernelCalls]:
    calls = KernelCalls()
    send = _NodeProcess.send

    def counting(self: Any, request: Any, response_type: Any) -> Any:
        calls.requests.append(type(request).__name__)
        return send(self, request, response_type)

    monkeypatch.setattr(_NodeProcess, "send", counting)
    try:
        yield calls
    finally:
        monkeypatch.setattr(_NodeProcess, "send", send)


def deep_mutate(value: Any) -> None:
    """Change, in place, every string at every depth of ``value`` (and so every list and dict in it)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str):
                value[key] = item + " (changed)"
            else:
                deep_mutate(item)
        value["added"] = "later"
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                value[index] = item + " (changed)"
            else:
                deep_mutate(item)
        value.append("later")


def nested(binding: Binding) -> list[str]:
    return [name for name, value in binding.inputs.items() if isinstance(value, list | dict)]


def test_each_binding_spec_covers_every_input() -> None:
    """Guards this file: an input added to a binding without a test here fails."""
    for binding in BINDINGS:
        inputs = {attribute.name for attribute in attributes_of(binding.cls)}
        assert inputs == set(binding.inputs) == set(binding.wrong), binding.name
        assert set(binding.replacement) == set(binding.required), binding.name


# -- exactly what is given is emitted -------------------------------------------------------------------------


@pytest.mark.parametrize("binding", BINDINGS, ids=str)
def test_only_required_inputs_emit_only_them(stack: TerraformStack, synth: Synth, binding: Binding) -> None:
    create(binding, stack)
    assert body(synth(stack), binding) == binding.required


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS, "optional"))
def test_each_optional_input_alone_is_emitted_exactly(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str
) -> None:
    create(binding, stack, **{name: binding.optional[name]})
    assert body(synth(stack), binding) == expected_body(binding, **{name: binding.optional[name]})


@pytest.mark.parametrize("binding", BINDINGS, ids=str)
def test_every_input_together_is_emitted_exactly(stack: TerraformStack, synth: Synth, binding: Binding) -> None:
    create(binding, stack, **copy.deepcopy(binding.optional))
    assert body(synth(stack), binding) == expected_body(binding, **binding.optional)


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS, "optional"))
def test_none_is_the_same_as_not_given(stack: TerraformStack, synth: Synth, binding: Binding, name: str) -> None:
    create(binding, stack, **{name: None})
    assert body(synth(stack), binding) == binding.required


# -- runtime checks -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS))
def test_a_wrong_type_raises_naming_the_input_before_anything_is_created(
    stack: TerraformStack, monkeypatch: pytest.MonkeyPatch, binding: Binding, name: str
) -> None:
    with kernel_calls(monkeypatch) as calls, pytest.raises(ValidationError) as caught:
        create(binding, stack, "bad", **{name: binding.wrong[name]})
    assert calls.requests == [], "the checks are pure Python"
    assert [problem.path for problem in caught.value.problems] == [name]
    assert caught.value.subject == f"{binding.name} 'bad'"
    assert str(caught.value).splitlines()[1].startswith(f"  - {name}: ")
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, ValueError)
    assert stack.node.try_find_child("bad") is None


@pytest.mark.parametrize("binding", BINDINGS, ids=str)
def test_every_problem_is_reported_at_once(
    stack: TerraformStack, monkeypatch: pytest.MonkeyPatch, binding: Binding
) -> None:
    with kernel_calls(monkeypatch) as calls, pytest.raises(ValidationError) as caught:
        create(binding, stack, "bad", **binding.wrong)
    assert calls.requests == []
    assert {problem.path for problem in caught.value.problems} == set(binding.wrong)
    assert f"{len(binding.wrong)} invalid input" in str(caught.value)
    assert stack.node.try_find_child("bad") is None


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS, "required"))
def test_a_required_input_given_as_none_raises_naming_it(
    stack: TerraformStack, monkeypatch: pytest.MonkeyPatch, binding: Binding, name: str
) -> None:
    with kernel_calls(monkeypatch) as calls, pytest.raises(ValidationError) as caught:
        create(binding, stack, "bad", **{name: None})
    assert calls.requests == []
    [problem] = caught.value.problems
    assert (problem.path, problem.problem) == (name, "is required")
    assert stack.node.try_find_child("bad") is None


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS, "required"))
def test_a_required_input_left_out_is_a_type_error_naming_it(
    stack: TerraformStack, binding: Binding, name: str
) -> None:
    inputs = {key: value for key, value in binding.required.items() if key != name}
    with pytest.raises(TypeError, match=name):
        binding.cls(stack, "bad", **inputs)
    assert stack.node.try_find_child("bad") is None


def test_the_issues_example_names_both_problems(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as caught:
        OpenaiThreadRun(stack, "r", assistant_id=None, temperature="hot")  # type: ignore[arg-type]
    assert [str(problem) for problem in caught.value.problems] == [
        "assistant_id: is required (got None; expected a string or a token)",
        "temperature: must be a number (got 'hot'; expected a number or a token)",
    ]


@pytest.mark.parametrize(
    ("inputs", "path", "problem"),
    [
        ({"messages": [{"rol": "user", "content": "x"}]}, "messages[0].rol", "is not a key of this block"),
        ({"messages": [{"content": "x"}]}, "messages[0].role", "is required"),
        ({"messages": [{"role": "user", "content": 1}]}, "messages[0].content", "must be a string"),
        ({"metadata": {"k": 1}}, "metadata.k", "must be a string"),
        ({"metadata": {"a b": 1}}, "metadata['a b']", "must be a string"),
        ({"metadata": {1: "v"}}, "metadata[1]", "key must be a string"),
        ({"metadata": {"__proto__": "v"}}, "metadata.__proto__", "key cannot be used"),
    ],
)
def test_nested_problems_name_their_path(
    stack: TerraformStack, inputs: dict[str, Any], path: str, problem: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        OpenaiThread(stack, "t", **inputs)
    found = {p.path: p.problem for p in caught.value.problems}
    assert found[path].startswith(problem), found


def _function(**function: Any) -> list[dict[str, Any]]:
    return [{"type": "function", "function": [function]}]


@pytest.mark.parametrize(
    ("tools", "path"),
    [
        (_function(name="f"), "tools[0].function[0].parameters"),
        (_function(name="f", parameters="{not json"), "tools[0].function[0].parameters"),
        (_function(name="f", parameters="[1, 2]"), "tools[0].function[0].parameters"),
        (_function(name="f", parameters={"n": float("inf")}), "tools[0].function[0].parameters.n"),
        (_function(name="f", parameters={"n": 2**60}), "tools[0].function[0].parameters.n"),
        (_function(name=7, parameters={}), "tools[0].function[0].name"),
        ([{"function": []}], "tools[0].type"),
    ],
)
def test_tool_problems_name_their_path(stack: TerraformStack, tools: list[Any], path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        OpenaiAssistant(stack, "a", model="gpt-4o", tools=tools)
    assert path in [problem.path for problem in caught.value.problems]


# -- nested inputs are copied ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("binding", "name"), [pytest.param(b, n, id=f"{b}.{n}") for b in BINDINGS for n in nested(b)])
def test_changing_a_nested_input_after_construction_changes_nothing(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str
) -> None:
    given = copy.deepcopy(binding.inputs[name])
    element = create(binding, stack, **{name: given})
    deep_mutate(given)
    assert body(synth(stack), binding) == expected_body(binding, **{name: binding.inputs[name]})
    assert getattr(element, name) == binding.inputs[name]


@pytest.mark.parametrize(("binding", "name"), [pytest.param(b, n, id=f"{b}.{n}") for b in BINDINGS for n in nested(b)])
def test_changing_a_nested_input_after_a_setter_changes_nothing(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str
) -> None:
    element = create(binding, stack)
    given = copy.deepcopy(binding.inputs[name])
    setattr(element, name, given)
    deep_mutate(given)
    assert body(synth(stack), binding) == expected_body(binding, **{name: binding.inputs[name]})


@pytest.mark.parametrize(("binding", "name"), [pytest.param(b, n, id=f"{b}.{n}") for b in BINDINGS for n in nested(b)])
def test_changing_what_a_getter_returned_changes_nothing(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str
) -> None:
    """Else ``run.metadata["k"] = 5`` would reach the JSON unchecked."""
    element = create(binding, stack, **{name: copy.deepcopy(binding.inputs[name])})
    deep_mutate(getattr(element, name))
    assert body(synth(stack), binding) == expected_body(binding, **{name: binding.inputs[name]})


# -- setters and resets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS))
def test_every_input_has_a_setter_reflected_in_the_json(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str
) -> None:
    value = binding.replacement.get(name, binding.inputs[name])
    element = create(binding, stack)
    setattr(element, name, copy.deepcopy(value))
    assert getattr(element, name) == value
    assert body(synth(stack), binding) == {**expected_body(binding), name: binding.json_of(name, value)}


def test_a_setter_after_a_synthesis_changes_the_next_one(stack: TerraformStack, synth: Synth) -> None:
    run = OpenaiThreadRun(stack, "it", assistant_id="asst_1", temperature=0.5)
    assert synth(stack)["resource"]["openai_thread_run"]["it"]["temperature"] == 0.5
    run.temperature = 0.9
    run.instructions = "echo ${HOME}"
    assert synth(stack)["resource"]["openai_thread_run"]["it"] == {
        "assistant_id": "asst_1",
        "temperature": 0.9,
        "instructions": "echo $${HOME}",
    }


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS, "optional"))
def test_each_optional_input_resets_and_unsets_with_none(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str
) -> None:
    first = create(binding, stack, "first", **{name: copy.deepcopy(binding.optional[name])})
    getattr(first, f"reset_{name}")()
    assert getattr(first, name) is None
    if binding.section != "provider":
        second = create(binding, stack, "second", **{name: copy.deepcopy(binding.optional[name])})
        setattr(second, name, None)
        assert body(synth(stack), binding, "second") == binding.required
    assert body(synth(stack), binding, "first") == binding.required


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS, "required"))
def test_required_inputs_have_no_reset_and_refuse_none(stack: TerraformStack, binding: Binding, name: str) -> None:
    element = create(binding, stack)
    assert not hasattr(element, f"reset_{name}")
    with pytest.raises(ValidationError, match=f"{name}: is required"):
        setattr(element, name, None)
    assert getattr(element, name) == binding.required[name]


@pytest.mark.parametrize(("binding", "name"), each_input(BINDINGS))
def test_setters_run_the_same_checks(
    stack: TerraformStack, synth: Synth, monkeypatch: pytest.MonkeyPatch, binding: Binding, name: str
) -> None:
    element = create(binding, stack, **copy.deepcopy(binding.optional))
    before = body(synth(stack), binding)
    with kernel_calls(monkeypatch) as calls, pytest.raises(ValidationError) as caught:
        setattr(element, name, binding.wrong[name])
    assert calls.requests == []
    assert [problem.path for problem in caught.value.problems] == [name]
    assert getattr(element, name) == binding.inputs[name], "a refused value changes nothing"
    assert body(synth(stack), binding) == before


def test_a_setter_refuses_a_token_terraform_cannot_convert(stack: TerraformStack) -> None:
    run = OpenaiThreadRun(stack, "r", assistant_id="asst_1")
    items = TerraformVariable(stack, "items", type="list(string)")
    with pytest.raises(ValidationError, match="temperature: is a list token"):
        run.temperature = items.list_value  # type: ignore[assignment]


# -- TF_RESOURCE_TYPE and cdktf.Testing ----------------------------------------------------------------------


@pytest.mark.parametrize("binding", ELEMENTS, ids=str)
def test_tf_resource_type_is_the_type_in_the_json(stack: TerraformStack, synth: Synth, binding: Binding) -> None:
    element = create(binding, stack)
    assert element.terraform_resource_type == binding.cls.TF_RESOURCE_TYPE
    assert list(synth(stack)[binding.section]) == [binding.cls.TF_RESOURCE_TYPE]


def test_tf_resource_types_are_the_providers_names() -> None:
    assert {binding.name: binding.cls.TF_RESOURCE_TYPE for binding in BINDINGS} == {
        "OpenaiProvider": "openai",
        "OpenaiAssistant": "openai_assistant",
        "OpenaiThread": "openai_thread",
        "OpenaiMessage": "openai_message",
        "OpenaiThreadRun": "openai_thread_run",
        "TerraformData": "terraform_data",
        "DataOpenaiRun": "openai_run",
        "DataOpenaiMessages": "openai_messages",
    }


def test_testing_matchers_work_with_tf_resource_type(stack: TerraformStack, synth: Synth) -> None:
    run = OpenaiThreadRun(stack, "run", assistant_id="asst_1", temperature=0.5)
    DataOpenaiRun(stack, "final", run_id=run.id, thread_id=run.thread_id)
    synth(stack)
    synthesized = Testing.synth(stack)
    assert Testing.to_have_resource(synthesized, OpenaiThreadRun.TF_RESOURCE_TYPE)
    assert not Testing.to_have_resource(synthesized, OpenaiThread.TF_RESOURCE_TYPE)
    assert Testing.to_have_resource_with_properties(
        synthesized, OpenaiThreadRun.TF_RESOURCE_TYPE, {"assistant_id": "asst_1", "temperature": 0.5}
    )
    assert not Testing.to_have_resource_with_properties(
        synthesized, OpenaiThreadRun.TF_RESOURCE_TYPE, {"temperature": 0.9}
    )
    assert Testing.to_have_data_source(synthesized, DataOpenaiRun.TF_RESOURCE_TYPE)
    assert not Testing.to_have_data_source(synthesized, DataOpenaiMessages.TF_RESOURCE_TYPE)
    assert Testing.to_have_data_source_with_properties(
        synthesized, DataOpenaiRun.TF_RESOURCE_TYPE, {"run_id": "${openai_thread_run.run.id}"}
    )
    assert Testing.to_have_provider(synthesized, OpenaiProvider.TF_RESOURCE_TYPE)
    assert Testing.to_have_provider_with_properties(
        synthesized, OpenaiProvider.TF_RESOURCE_TYPE, {"api_url": "http://127.0.0.1:9/v1"}
    )


# -- importing ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("binding", RESOURCES, ids=str)
def test_generate_config_for_import_writes_the_import_block_cdktf_writes(
    stack: TerraformStack, synth: Synth, binding: Binding
) -> None:
    importable = binding.cls.generate_config_for_import(stack, "imported", "existing_1")
    assert isinstance(importable, cdktf.ImportableResource)
    assert synth(stack)["import"] == [{"to": f"{binding.cls.TF_RESOURCE_TYPE}.imported", "id": "existing_1"}]


def test_generate_config_for_import_with_an_aliased_provider(stack: TerraformStack, synth: Synth) -> None:
    second = OpenaiProvider(stack, "second", alias="second")
    OpenaiThread.generate_config_for_import(stack, "imported", "thread_abc", second)
    assert synth(stack)["import"] == [{"to": "openai_thread.imported", "id": "thread_abc", "provider": "openai.second"}]


def test_generate_config_for_import_asks_the_cli_to_generate_configuration(tmp_path: Path) -> None:
    """What makes ``cdktf plan`` write the configuration: the id in the stack's importsGeneratingConfiguration."""
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "s")
    OpenaiProvider(stack, "openai")
    OpenaiAssistant.generate_config_for_import(stack, "imported", "asst_abc")
    app.synth()
    document = json.loads((tmp_path / "stacks" / "s" / "cdk.tf.json").read_text())
    assert document["//"]["metadata"]["importsGeneratingConfiguration"] == ["imported"]
    assert document["import"] == [{"to": "openai_assistant.imported", "id": "asst_abc"}]


def test_import_from_imports_into_the_resource(stack: TerraformStack, synth: Synth) -> None:
    second = OpenaiProvider(stack, "second", alias="second")
    thread = OpenaiThread(stack, "thread")
    thread.import_from("thread_1")
    run = OpenaiThreadRun(stack, "run", assistant_id="asst_1", provider=second)
    run.import_from("thread_1/run_1", second)
    assert synth(stack)["import"] == [
        {"to": "openai_thread.thread", "id": "thread_1"},
        {"to": "openai_thread_run.run", "id": "thread_1/run_1", "provider": "openai.second"},
    ]


# -- the provider: alias, routing, its own rules ---------------------------------------------------------------


@pytest.mark.parametrize("alias", ["second", "_x", "a-b_1", "A1"])
def test_an_identifier_alias_is_emitted(bare_stack: TerraformStack, synth: Synth, alias: str) -> None:
    provider = OpenaiProvider(bare_stack, "p", alias=alias)
    assert provider.alias == alias
    assert synth(bare_stack)["provider"]["openai"] == [{"alias": alias}]


@pytest.mark.parametrize("alias", ["1a", "-a", "has space", "", "a.b", "é", "${var.alias}"])
def test_an_alias_that_is_no_identifier_is_refused(
    bare_stack: TerraformStack, monkeypatch: pytest.MonkeyPatch, alias: str
) -> None:
    with kernel_calls(monkeypatch) as calls, pytest.raises(ValidationError) as caught:
        OpenaiProvider(bare_stack, "p", alias=alias)
    assert calls.requests == []
    assert [problem.path for problem in caught.value.problems] == ["alias"]
    assert "must be a literal Terraform identifier" in str(caught.value)
    assert bare_stack.node.try_find_child("p") is None


def test_a_token_alias_is_refused(bare_stack: TerraformStack) -> None:
    name = TerraformVariable(bare_stack, "name", type="string")
    with pytest.raises(ValidationError, match="alias: must be a literal Terraform identifier"):
        OpenaiProvider(bare_stack, "p", alias=name.string_value)


def test_the_alias_setter_is_checked_and_emitted(stack: TerraformStack, synth: Synth) -> None:
    provider = OpenaiProvider(stack, "p", alias="second")
    provider.alias = "third"
    with pytest.raises(ValidationError, match="alias: must be a literal Terraform identifier"):
        provider.alias = "not valid"
    assert provider.alias == "third"
    assert {"alias": "third"} in synth(stack)["provider"]["openai"]


def test_a_second_default_provider_is_refused_naming_the_first(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError) as caught:
        OpenaiProvider(stack, "again")
    [problem] = caught.value.problems
    assert problem.path == "alias"
    assert "already has a default configuration (test/openai)" in problem.problem
    assert stack.node.try_find_child("again") is None


@pytest.mark.parametrize("binding", ELEMENTS, ids=str)
def test_provider_routes_a_resource_or_data_source_to_an_alias(
    stack: TerraformStack, synth: Synth, binding: Binding
) -> None:
    second = OpenaiProvider(stack, "second", alias="second")
    create(binding, stack, provider=second)
    assert body(synth(stack), binding) == {**binding.required, "provider": "openai.second"}


@pytest.mark.parametrize(
    ("inputs", "problem"),
    [
        ({"api_url": "https://api.example.com"}, "api_url: must end in /v1"),
        ({"timeout": 0}, "timeout: must be positive"),
        ({"timeout": 1.5}, "timeout: must be a whole number"),
    ],
)
def test_provider_values_are_checked(bare_stack: TerraformStack, inputs: dict[str, Any], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        OpenaiProvider(bare_stack, "p", **inputs)


@pytest.mark.parametrize("name", ["api_key", "admin_key"])
def test_a_literal_key_is_emitted_with_a_warning_and_a_token_without(
    bare_stack: TerraformStack, synth: Synth, name: str
) -> None:
    literal_key: dict[str, Any] = {name: "sk-1"}
    literal = OpenaiProvider(bare_stack, "literal", **literal_key)
    secret = TerraformVariable(bare_stack, "secret", type="string", sensitive=True)
    variable_key: dict[str, Any] = {name: secret.string_value}
    from_variable = OpenaiProvider(bare_stack, "variable", alias="v", **variable_key)
    assert [w for w in warnings_of(literal) if "literal-secret" in w and name in w]
    assert warnings_of(from_variable) == []
    assert {name: "sk-1"} in synth(bare_stack)["provider"]["openai"]


def test_provider_pins_mkdev_me_openai_below_2(stack: TerraformStack, synth: Synth) -> None:
    assert synth(stack)["terraform"]["required_providers"]["openai"] == {
        "source": "mkdev-me/openai",
        "version": ">= 1.2.0, < 2.0.0",
    }


def test_terraform_data_needs_no_provider(bare_stack: TerraformStack, synth: Synth) -> None:
    TerraformData(bare_stack, "d", input="x")
    document = synth(bare_stack)
    assert "required_providers" not in document.get("terraform", {})


# -- meta-arguments -------------------------------------------------------------------------------------------


def test_meta_arguments_pass_through(stack: TerraformStack, synth: Synth) -> None:
    thread = OpenaiThread(stack, "thread")
    OpenaiThreadRun(
        stack,
        "run",
        assistant_id="asst_1",
        depends_on=[thread],
        count=2,
        lifecycle=TerraformResourceLifecycle(create_before_destroy=True, ignore_changes=["stream"]),
    )
    DataOpenaiRun(stack, "final", run_id="run_1", thread_id="thread_1", depends_on=[thread])
    document = synth(stack)
    assert document["resource"]["openai_thread_run"]["run"] == {
        "assistant_id": "asst_1",
        "depends_on": ["openai_thread.thread"],
        "count": 2,
        "lifecycle": {"create_before_destroy": True, "ignore_changes": ["stream"]},
    }
    assert document["data"]["openai_run"]["final"]["depends_on"] == ["openai_thread.thread"]


def test_depends_on_a_thread_run_construct_waits_for_it(stack: TerraformStack, synth: Synth) -> None:
    construct = ThreadRunConstruct(stack, "tr", assistant_id="asst_1")
    OpenaiThreadRun(stack, "after", assistant_id="asst_1", depends_on=[construct])
    document = synth(stack)
    wait = logical_id(document, "terraform_data", "tr_wait")
    assert document["resource"]["openai_thread_run"]["after"]["depends_on"] == [f"terraform_data.{wait}"]


# -- tokens ---------------------------------------------------------------------------------------------------

#: For each scalar input type: the variable type whose tokens fit it, and how to take a token of it.
TOKEN_OF_TYPE: dict[type[Any], tuple[str, Callable[[TerraformVariable], Any]]] = {
    String: ("string", lambda v: v.string_value),
    Number: ("number", lambda v: v.number_value),
    Bool: ("bool", lambda v: v.boolean_value),
    StringMap: ("map(string)", lambda v: Token.as_string_map(v.value)),
    StringList: ("list(string)", lambda v: v.list_value),
}


def scalar_inputs() -> list[Any]:
    return [
        pytest.param(binding, attribute.name, type(attribute.type), id=f"{binding}.{attribute.name}")
        for binding in BINDINGS
        for attribute in attributes_of(binding.cls)
        if type(attribute.type) in TOKEN_OF_TYPE
    ]


@pytest.mark.parametrize(("binding", "name", "kind"), scalar_inputs())
def test_every_scalar_input_takes_a_token_of_its_type(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str, kind: type[Any]
) -> None:
    declared, take = TOKEN_OF_TYPE[kind]
    variable = TerraformVariable(stack, "v", type=declared)
    create(binding, stack, **{name: take(variable)})
    assert body(synth(stack), binding) == {**binding.required, name: "${var.v}"}


@pytest.mark.parametrize(("binding", "name", "kind"), scalar_inputs())
def test_every_scalar_setter_takes_a_token_of_its_type(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str, kind: type[Any]
) -> None:
    declared, take = TOKEN_OF_TYPE[kind]
    variable = TerraformVariable(stack, "v", type=declared)
    element = create(binding, stack)
    setattr(element, name, take(variable))
    assert body(synth(stack), binding) == {**binding.required, name: "${var.v}"}


@pytest.mark.parametrize(("binding", "name", "kind"), scalar_inputs())
def test_every_scalar_input_takes_a_typed_variables_value(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str, kind: type[Any]
) -> None:
    """``TerraformVariable(type=...).value`` is a kernel object; its declared type fits."""
    declared, _ = TOKEN_OF_TYPE[kind]
    variable = TerraformVariable(stack, "v", type=declared)
    create(binding, stack, **{name: variable.value})
    assert body(synth(stack), binding) == {**binding.required, name: "${var.v}"}


@pytest.mark.parametrize(
    ("name", "declared", "take"),
    [
        ("model", "number", lambda v: v.number_value),  # Terraform converts numbers and bools to strings
        ("model", "bool", lambda v: v.value),
        ("temperature", "string", lambda v: v.string_value),  # and numeric strings to numbers
        ("stream", "string", lambda v: v.value),
        ("metadata", None, lambda v: v.value),  # an untyped variable may be anything
        ("max_completion_tokens", "any", lambda v: v.value),
    ],
)
def test_tokens_terraform_converts_are_accepted(
    stack: TerraformStack, synth: Synth, name: str, declared: str | None, take: Callable[[TerraformVariable], Any]
) -> None:
    variable = TerraformVariable(stack, "v", type=declared)
    OpenaiThreadRun(stack, "r", assistant_id="asst_1", **{name: take(variable)})
    assert synth(stack)["resource"]["openai_thread_run"]["r"][name] == "${var.v}"


@pytest.mark.parametrize(
    ("name", "declared", "take", "kind", "target"),
    [
        ("model", "list(string)", lambda v: v.list_value, "list", "string"),
        ("model", "map(string)", lambda v: Token.as_string_map(v.value), "map", "string"),
        ("metadata", "bool", lambda v: v.value, "bool", "map"),
        ("metadata", "string", lambda v: v.string_value, "string", "map"),
        ("temperature", "list(number)", lambda v: v.value, "list", "number"),
        ("temperature", "bool", lambda v: v.boolean_value, "bool", "number"),
        ("stream", "number", lambda v: v.number_value, "number", "bool"),
        ("max_completion_tokens", "map(number)", lambda v: v.value, "map", "number"),
    ],
)
def test_tokens_terraform_never_converts_are_refused_naming_input_and_kind(
    stack: TerraformStack,
    name: str,
    declared: str,
    take: Callable[[TerraformVariable], Any],
    kind: str,
    target: str,
) -> None:
    variable = TerraformVariable(stack, "v", type=declared)
    with pytest.raises(ValidationError) as caught:
        OpenaiThreadRun(stack, "r", assistant_id="asst_1", **{name: take(variable)})
    [problem] = caught.value.problems
    assert problem.path == name
    assert problem.problem.startswith(f"is a {kind} token, which Terraform cannot convert to a {target}")
    assert stack.node.try_find_child("r") is None


def test_an_fn_result_for_a_map_is_refused_with_how_to_pass_it(stack: TerraformStack, synth: Synth) -> None:
    labels = TerraformVariable(stack, "labels", type="map(string)")
    with pytest.raises(ValidationError, match=r"pass Token\.as_string_map\(<it>\)"):
        OpenaiThread(stack, "refused", metadata=Fn.merge([labels.value, {"a": "b"}]))
    OpenaiThread(stack, "t", metadata=Token.as_string_map(Fn.merge([labels.value, {"a": "b"}])))
    assert synth(stack)["resource"]["openai_thread"]["t"] == {"metadata": '${merge(var.labels, {"a" = "b"})}'}


def test_a_map_token_merged_with_literal_keys_is_refused(stack: TerraformStack) -> None:
    labels = TerraformVariable(stack, "labels", type="map(string)")
    with pytest.raises(ValidationError, match="metadata: merges a map token with other keys"):
        OpenaiThread(stack, "t", metadata={**Token.as_string_map(labels.value), "a": "b"})


def test_an_iterator_value_in_a_for_each_resource(stack: TerraformStack, synth: Synth) -> None:
    assistants = TerraformIterator.from_list(["asst_1", "asst_2"])
    OpenaiThreadRun(stack, "runs", for_each=assistants, assistant_id=assistants.value, model=assistants.value)
    threads = TerraformIterator.from_map({"a": "thread_a"})
    DataOpenaiMessages(stack, "replies", for_each=threads, thread_id=threads.value, order=threads.key)
    document = synth(stack)
    assert document["resource"]["openai_thread_run"]["runs"] == {
        "for_each": '${toset(["asst_1", "asst_2"])}',
        "assistant_id": "${each.value}",
        "model": "${each.value}",
    }
    assert document["data"]["openai_messages"]["replies"] == {
        "for_each": {"a": "thread_a"},
        "thread_id": "${each.value}",
        "order": "${each.key}",
    }


def test_locals_of_every_kind(stack: TerraformStack, synth: Synth) -> None:
    local = TerraformLocal(stack, "settings", {"model": "gpt-4o"})
    OpenaiThreadRun(
        stack,
        "r",
        assistant_id=local.as_string,
        temperature=local.as_number,
        stream=local.as_boolean,
        metadata=local.as_string_map,
        model=local.expression,
    )
    OpenaiAssistant(stack, "a", model="gpt-4o", file_ids=local.as_list)
    document = synth(stack)
    assert document["resource"]["openai_thread_run"]["r"] == {
        "assistant_id": "${local.settings}",
        "temperature": "${local.settings}",
        "stream": "${local.settings}",
        "metadata": "${local.settings}",
        "model": "${local.settings}",
    }
    assert document["resource"]["openai_assistant"]["a"]["file_ids"] == "${local.settings}"


def test_fn_results(stack: TerraformStack, synth: Synth) -> None:
    labels = TerraformVariable(stack, "labels", type="map(string)")
    ids = TerraformVariable(stack, "ids", type="list(string)")
    OpenaiThreadRun(
        stack,
        "r",
        assistant_id=Fn.lookup(labels.value, "assistant", "asst_default"),
        temperature=Fn.max([0.2, 0.5]),
        max_completion_tokens=Fn.length_of(ids.value),
        instructions=Fn.join(", ", ids.list_value),
    )
    OpenaiAssistant(stack, "a", model="gpt-4o", file_ids=Fn.tolist(ids.value))
    document = synth(stack)
    assert document["resource"]["openai_thread_run"]["r"] == {
        "assistant_id": '${lookup(var.labels, "assistant", "asst_default")}',
        "temperature": "${max(0.2, 0.5)}",
        "max_completion_tokens": "${length(var.ids)}",
        "instructions": '${join(", ", var.ids)}',
    }
    assert document["resource"]["openai_assistant"]["a"]["file_ids"] == "${tolist(var.ids)}"


def test_tokens_inside_blocks(stack: TerraformStack, synth: Synth) -> None:
    text = TerraformVariable(stack, "text", type="string")
    labels = TerraformVariable(stack, "labels", type="map(string)")
    message: ThreadMessageBlock = {"role": text.string_value, "content": text.string_value, "metadata": labels.value}
    OpenaiThread(stack, "t", messages=[message])
    OpenaiThreadRun(stack, "r", assistant_id="asst_1", response_format={"type": text.value})
    document = synth(stack)
    assert document["resource"]["openai_thread"]["t"]["messages"] == [
        {"role": "${var.text}", "content": "${var.text}", "metadata": "${var.labels}"}
    ]
    assert document["resource"]["openai_thread_run"]["r"]["response_format"] == [{"type": "${var.text}"}]


def test_a_list_token_cannot_stand_for_blocks(stack: TerraformStack) -> None:
    items = TerraformVariable(stack, "items", type="list(string)")
    with pytest.raises(ValidationError, match="messages: must be a literal list"):
        OpenaiThread(stack, "t", messages=items.list_value)  # type: ignore[arg-type]


def test_one_binding_takes_anothers_attributes(stack: TerraformStack, synth: Synth) -> None:
    assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o")
    thread = OpenaiThread(stack, "thread")
    run = OpenaiThreadRun(stack, "run", assistant_id=assistant.id, existing_thread_id=thread.id)
    DataOpenaiRun(stack, "final", run_id=run.id, thread_id=run.thread_id)
    OpenaiMessage(stack, "message", thread_id=thread.id, role="user", content=Token.as_string(run.created_at))
    document = synth(stack)
    assert document["resource"]["openai_thread_run"]["run"] == {
        "assistant_id": "${openai_assistant.assistant.id}",
        "existing_thread_id": "${openai_thread.thread.id}",
    }
    assert document["data"]["openai_run"]["final"] == {
        "run_id": "${openai_thread_run.run.id}",
        "thread_id": "${openai_thread_run.run.thread_id}",
    }
    assert document["resource"]["openai_message"]["message"]["content"] == "${openai_thread_run.run.created_at}"


# -- outputs --------------------------------------------------------------------------------------------------

OUTPUTS = {
    OpenaiAssistant: {"id": TokenKind.STRING, "created_at": TokenKind.NUMBER},
    OpenaiThread: {"id": TokenKind.STRING, "created_at": TokenKind.NUMBER},
    OpenaiMessage: {
        "id": TokenKind.STRING,
        "created_at": TokenKind.NUMBER,
        "assistant_id": TokenKind.STRING,
        "run_id": TokenKind.STRING,
    },
    OpenaiThreadRun: {
        "id": TokenKind.STRING,
        "thread_id": TokenKind.STRING,
        "status": TokenKind.STRING,
        "object": TokenKind.STRING,
        "created_at": TokenKind.NUMBER,
        "started_at": TokenKind.NUMBER,
        "completed_at": TokenKind.NUMBER,
        "file_ids": TokenKind.LIST,
    },
    TerraformData: {"id": TokenKind.STRING, "output": TokenKind.ANY},
    DataOpenaiRun: {
        "id": TokenKind.STRING,
        "status": TokenKind.STRING,
        "assistant_id": TokenKind.STRING,
        "model": TokenKind.STRING,
        "instructions": TokenKind.STRING,
        "created_at": TokenKind.NUMBER,
        "started_at": TokenKind.NUMBER,
        "completed_at": TokenKind.NUMBER,
    },
    DataOpenaiMessages: {
        "messages": TokenKind.ANY,
        "has_more": TokenKind.ANY,
        "first_id": TokenKind.STRING,
        "last_id": TokenKind.STRING,
    },
}


@pytest.mark.parametrize(
    ("binding", "name", "kind"),
    [
        pytest.param(BY_CLASS[cls], name, kind, id=f"{cls.__name__}.{name}")
        for cls, outputs in OUTPUTS.items()
        for name, kind in outputs.items()
    ],
)
def test_each_output_is_a_token_of_its_attribute(
    stack: TerraformStack, synth: Synth, binding: Binding, name: str, kind: TokenKind
) -> None:
    element = create(binding, stack)
    value = getattr(element, name)
    assert token_kind(value) is kind
    TerraformOutput(stack, "out", value=value)
    prefix = "data." if binding.section == "data" else ""
    assert synth(stack)["output"]["out"]["value"] == f"${{{prefix}{binding.cls.TF_RESOURCE_TYPE}.it.{name}}}"


@pytest.mark.parametrize(
    ("cls", "reference"),
    [(OpenaiThreadRun, "openai_thread_run.it"), (DataOpenaiRun, "data.openai_run.it")],
)
def test_usage_is_a_number_map_read_with_lookup(
    stack: TerraformStack, synth: Synth, cls: type[Any], reference: str
) -> None:
    element = create(BY_CLASS[cls], stack)
    assert isinstance(element.usage, NumberMap)
    total = element.usage.lookup("total_tokens")
    assert token_kind(total) is TokenKind.NUMBER
    TerraformOutput(stack, "total", value=total)
    TerraformOutput(stack, "usage", value=element.usage)
    outputs = synth(stack)["output"]
    assert outputs["total"]["value"] == f'${{{reference}.usage["total_tokens"]}}'
    assert outputs["usage"]["value"] == f"${{{reference}.usage}}"
    with pytest.raises(TypeError):
        element.usage["total_tokens"]  # type: ignore[index]


# -- free text and names --------------------------------------------------------------------------------------

TEMPLATE_TEXT = "echo ${HOME} %{if x}"
ESCAPED_TEXT = "echo $${HOME} %%{if x}"


def test_free_text_reaches_terraform_as_written(stack: TerraformStack, synth: Synth) -> None:
    OpenaiAssistant(
        stack,
        "a",
        model="gpt-4o",
        name=TEMPLATE_TEXT,
        description=TEMPLATE_TEXT,
        instructions=TEMPLATE_TEXT,
        metadata={TEMPLATE_TEXT: TEMPLATE_TEXT},
        tools=[{"type": "function", "function": [{"name": "f", "description": TEMPLATE_TEXT, "parameters": {}}]}],
    )
    OpenaiThread(stack, "t", messages=[{"role": "user", "content": TEMPLATE_TEXT, "metadata": {"k": TEMPLATE_TEXT}}])
    OpenaiMessage(stack, "m", thread_id="thread_1", role="user", content="echo ${HOME} %{x}")
    OpenaiThreadRun(stack, "r", assistant_id="asst_1", instructions=TEMPLATE_TEXT)
    document = synth(stack)["resource"]
    assistant = document["openai_assistant"]["a"]
    assert assistant["name"] == assistant["description"] == assistant["instructions"] == ESCAPED_TEXT
    assert assistant["metadata"] == {ESCAPED_TEXT: ESCAPED_TEXT}
    assert assistant["tools"][0]["function"][0]["description"] == ESCAPED_TEXT
    assert document["openai_thread"]["t"]["messages"] == [
        {"role": "user", "content": ESCAPED_TEXT, "metadata": {"k": ESCAPED_TEXT}}
    ]
    assert document["openai_message"]["m"]["content"] == "echo $${HOME} %%{x}"
    assert document["openai_thread_run"]["r"]["instructions"] == ESCAPED_TEXT


def test_names_and_ids_keep_raw_terraform_expressions(stack: TerraformStack, synth: Synth) -> None:
    OpenaiThreadRun(stack, "r", assistant_id="${var.assistant}", model="${var.model}", existing_thread_id="${local.t}")
    OpenaiMessage(stack, "m", thread_id="${var.thread}", role="${var.role}", content="x")
    document = synth(stack)["resource"]
    assert document["openai_thread_run"]["r"] == {
        "assistant_id": "${var.assistant}",
        "model": "${var.model}",
        "existing_thread_id": "${local.t}",
    }
    assert document["openai_message"]["m"] == {"thread_id": "${var.thread}", "role": "${var.role}", "content": "x"}


def test_a_token_inside_free_text_stays_live_next_to_escaped_text(stack: TerraformStack, synth: Synth) -> None:
    name = TerraformVariable(stack, "name", type="string")
    OpenaiThreadRun(stack, "r", assistant_id="asst_1", instructions=f"Hi {name.string_value}, echo ${{HOME}} %{{x}}")
    assert synth(stack)["resource"]["openai_thread_run"]["r"]["instructions"] == (
        'Hi ${var.name}, echo ${"$"}{HOME} %%{x}'
    )


# -- function parameters --------------------------------------------------------------------------------------


def _parameters(synth: Synth, stack: TerraformStack, parameters: Any, cls: type[Any] = OpenaiAssistant) -> Any:
    tools: list[ToolBlock] = [{"type": "function", "function": [{"name": "f", "parameters": parameters}]}]
    if cls is OpenaiAssistant:
        OpenaiAssistant(stack, "it", model="gpt-4o", tools=tools)
    else:
        OpenaiThreadRun(stack, "it", assistant_id="asst_1", tools=tools)
    return synth(stack)["resource"][cls.TF_RESOURCE_TYPE]["it"]["tools"][0]["function"][0]["parameters"]


CANONICAL = '{"a":"\\u003cx\\u003e \\u0026","b":1,"c":[1e+21,1e-7,0.5],"d":{"e":null,"f":true}}'


@pytest.mark.parametrize("cls", [OpenaiAssistant, OpenaiThreadRun])
@pytest.mark.parametrize(
    "parameters",
    [
        {"b": 1.0, "d": {"f": True, "e": None}, "a": "<x> &", "c": [1e21, 1e-7, 0.5]},
        '{\n  "d": {"f": true, "e": null},\n  "b": 1.0,\n  "c": [1e21, 0.0000001, 5e-1],\n  "a": "<x> &"\n}',
    ],
    ids=["dict", "json-string"],
)
def test_parameters_are_the_providers_canonical_json(
    stack: TerraformStack, synth: Synth, cls: type[Any], parameters: Any
) -> None:
    assert _parameters(synth, stack, parameters, cls) == CANONICAL


def test_template_syntax_in_parameters_is_escaped(stack: TerraformStack, synth: Synth) -> None:
    written = _parameters(synth, stack, {"description": "use ${HOME} or %{x}"})
    assert written == '{"description":"use $${HOME} or %%{x}"}'


def test_a_token_for_the_whole_parameters_is_passed_as_it_is(stack: TerraformStack, synth: Synth) -> None:
    schema = TerraformVariable(stack, "schema", type="string")
    assert _parameters(synth, stack, schema.string_value) == "${var.schema}"


def _parameters_with_tokens(stack: TerraformStack) -> dict[str, Any]:
    text = TerraformVariable(stack, "text", type="string", default="words")
    number = TerraformVariable(stack, "number", type="number", default=5)
    labels = TerraformVariable(stack, "labels", type="map(string)", default={"k": "v"})
    items = TerraformVariable(stack, "items", type="list(string)", default=["a"])
    return {
        "type": "object",
        "properties": {
            "q": {"type": "string", "description": f"about {text.string_value}", "enum": ["<", 1.0]},
            "n": {"type": "number", "maximum": number.number_value, "title": f"n={number.number_value}"},
            text.string_value: {"const": Token.as_string_map(labels.value)},
        },
        "required": items.list_value,
    }


def test_parameters_with_tokens_are_written_through_jsonencode(stack: TerraformStack, synth: Synth) -> None:
    written = _parameters(synth, stack, _parameters_with_tokens(stack))
    assert written == (
        '${jsonencode({"type" = "object", "properties" = {'
        '"q" = {"type" = "string", "description" = join("", ["about ", /*${*/var.text]), "enum" = ["<", 1.0]}, '
        '"n" = {"type" = "number", "maximum" = /*${*/var.number, "title" = join("", ["n=", /*${*/var.number])}, '
        '(/*${*/var.text) = {"const" = /*${*/var.labels}}, '
        '"required" = /*${*/var.items})}'
    )


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH to evaluate the expression")
def test_parameters_with_tokens_evaluate_to_json_with_each_tokens_value_and_type(
    stack: TerraformStack, synth: Synth, tmp_path: Path
) -> None:
    """What the provider receives: ``terraform console`` evaluates what was written, with the variables' defaults."""
    written = _parameters(synth, stack, _parameters_with_tokens(stack))
    configuration = {"variable": synth(stack)["variable"], "locals": {"p": written}}
    (tmp_path / "main.tf.json").write_text(json.dumps(configuration))
    evaluated = subprocess.run(
        ["terraform", "console"],
        input="local.p\n",
        cwd=tmp_path,
        env={**os.environ, "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert evaluated.returncode == 0, evaluated.stderr
    received = json.loads(json.loads(evaluated.stdout.strip().splitlines()[-1]))
    assert received == {
        "type": "object",
        "properties": {
            "q": {"type": "string", "description": "about words", "enum": ["<", 1]},
            "n": {"type": "number", "maximum": 5, "title": "n=5"},
            "words": {"const": {"k": "v"}},
        },
        "required": ["a"],
    }


def test_a_literal_secret_set_later_warns_like_one_given_at_construction() -> None:
    from openai_thread_run import warnings_of

    stack = TerraformStack(Testing.app(), "s")
    provider = OpenaiProvider(stack, "openai")
    assert warnings_of(provider) == []
    provider.api_key = "sk-literal"
    provider.admin_key = TerraformVariable(stack, "admin", type="string", sensitive=True).string_value
    [warning] = warnings_of(provider)
    assert "a literal api_key is written in clear text" in warning and "[openai-thread-run:literal-secret]" in warning


# -- jsii sees only what overrides its own ---------------------------------------------------------------------

#: What the classes before the framework's may hold besides dunders: the members that override the framework's,
#: what the construct's class names (its bindings, its framework), and what ABCMeta (TerraformProvider's) adds.
OVERRIDES = {"_synthesize_attributes", "override_logical_id", "reset_override_logical_id", "alias", "fqn"}
CLASS_FACTS = {"_classes", "_otr_framework", "_abc_impl"}
PUBLIC_CLASSES = [*(binding.name for binding in BINDINGS), "ThreadRunConstruct"]


@pytest.mark.parametrize("library", ["openai_thread_run", "openai_thread_run.cdktn"])
@pytest.mark.parametrize("name", PUBLIC_CLASSES)
def test_the_framework_class_stands_between_its_overrides_and_everything_else(library: str, name: str) -> None:
    """jsii inspects every member before the framework's class on each create; after it, nothing may hide one."""
    cls = getattr(importlib.import_module(library), name)
    mro = cls.__mro__
    framework_class = next(k for k in mro if k.__module__.partition(".")[0] in ("cdktf", "cdktn", "constructs"))
    before, after = mro[: mro.index(framework_class)], mro[mro.index(framework_class) + 1 :]
    inspected = {member for klass in before for member in vars(klass) if not member.startswith("__")}
    assert inspected <= OVERRIDES | CLASS_FACTS, sorted(inspected - OVERRIDES - CLASS_FACTS)
    for member in inspected & OVERRIDES:
        assert hasattr(framework_class, member) or member == "fqn", f"{member} overrides nothing of {framework_class}"
    ours = [klass for klass in after if klass.__module__.startswith("openai_thread_run")]
    assert ours, "the base comes after the framework's class"
    hidden = {member for klass in ours for member in vars(klass) if not member.startswith("__")}
    hidden = {member for member in hidden if hasattr(framework_class, member)}
    assert hidden == set(), f"{framework_class.__name__} has these too, and its own would win: {sorted(hidden)}"
