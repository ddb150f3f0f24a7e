"""The hand-written bindings: exactly the attributes given, blocks as lists, attribute tokens, provider checks.

Everything synthesizes through the ``synth`` fixture, so every document is also checked against provider
1.2.0's schema.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from cdktf import App, TerraformOutput, TerraformResourceLifecycle, TerraformStack, TerraformVariable, Testing

from openai_thread_run import (
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
    ValidationError,
)
from tests.conftest import Synth

PARAMETERS = json.dumps({"type": "object", "properties": {"q": {"type": "string"}}})


def provider_config(synth: Synth, **kwargs: Any) -> dict[str, Any]:
    stack = TerraformStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai", **kwargs)
    document = synth(stack)
    [config] = document["provider"]["openai"]
    return config  # type: ignore[no-any-return]


def problems(**kwargs: Any) -> list[str]:
    stack = TerraformStack(Testing.app(), "s")
    with pytest.raises(ValidationError) as caught:
        OpenaiProvider(stack, "openai", **kwargs)
    assert caught.value.subject == "OpenaiProvider 'openai'"
    assert stack.node.try_find_child("openai") is None, "nothing is added to the stack on a validation error"
    return [str(problem) for problem in caught.value.problems]


# -- OpenaiProvider ------------------------------------------------------------------------------------------


def test_provider_pins_mkdev_me_openai_below_2(stack: TerraformStack, synth: Synth) -> None:
    document = synth(stack)
    assert document["terraform"]["required_providers"]["openai"] == {
        "source": "mkdev-me/openai",
        "version": ">= 1.2.0, < 2.0.0",
    }


def test_provider_emits_nothing_that_is_not_given(synth: Synth) -> None:
    assert provider_config(synth) == {}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("api_url", "https://api.example.com/v1"),
        ("organization", "org-123"),
        ("timeout", 60),
        ("timeout", 12.5),
    ],
)
def test_provider_emits_exactly_the_setting_given(synth: Synth, name: str, value: Any) -> None:
    assert provider_config(synth, **{name: value}) == {name: value}


def test_provider_emits_a_given_api_key_with_a_warning(synth: Synth) -> None:
    from openai_thread_run import LiteralApiKeyWarning

    with pytest.warns(LiteralApiKeyWarning):
        assert provider_config(synth, api_key="sk-1") == {"api_key": "sk-1"}


def test_provider_emits_every_setting_together(synth: Synth) -> None:
    config = provider_config(synth, api_url="http://127.0.0.1:8080/v1/", organization="org", timeout=5)
    assert config == {"api_url": "http://127.0.0.1:8080/v1/", "organization": "org", "timeout": 5}


def test_aliased_provider_is_emitted_and_referenced_by_resources(synth: Synth) -> None:
    stack = TerraformStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    second = OpenaiProvider(stack, "second", alias="second", api_url="https://other.example.com/v1")
    assert second.alias == "second"
    OpenaiThread(stack, "thread", provider=second)
    document = synth(stack)
    assert {"alias": "second", "api_url": "https://other.example.com/v1"} in document["provider"]["openai"]
    assert {} in document["provider"]["openai"]
    assert document["resource"]["openai_thread"]["thread"] == {"provider": "openai.second"}


def test_api_url_must_end_in_v1_and_the_error_says_why() -> None:
    [line] = problems(api_url="https://api.example.com")
    assert line.startswith("api_url: must end in /v1")
    assert "appends paths such as /threads" in line
    assert "'https://api.example.com'" in line


def test_a_token_api_url_is_accepted(synth: Synth) -> None:
    stack = TerraformStack(Testing.app(), "s")
    url = TerraformVariable(stack, "url", type="string")
    OpenaiProvider(stack, "openai", api_url=url.string_value)
    assert synth(stack)["provider"]["openai"] == [{"api_url": "${var.url}"}]


def test_token_timeout_and_organization_are_accepted(synth: Synth) -> None:
    stack = TerraformStack(Testing.app(), "s")
    seconds = TerraformVariable(stack, "seconds", type="number")
    org = TerraformVariable(stack, "org", type="string")
    OpenaiProvider(stack, "openai", timeout=seconds.number_value, organization=org.string_value)
    assert synth(stack)["provider"]["openai"] == [{"timeout": "${var.seconds}", "organization": "${var.org}"}]


def test_wrong_types_and_bad_values_are_all_reported_at_once() -> None:
    lines = problems(api_key=123, api_url=b"https://x/v1", organization=["org"], timeout="60", alias=7)
    assert [line.split(":")[0] for line in lines] == ["alias", "api_key", "organization", "api_url", "timeout"]
    assert all("(got " in line and "; expected " in line for line in lines)


@pytest.mark.parametrize("timeout", [0, -1, -0.5, 0.0])
def test_timeout_must_be_positive(timeout: float) -> None:
    [line] = problems(timeout=timeout)
    assert line.startswith("timeout: must be positive")


@pytest.mark.parametrize("timeout", [math.inf, -math.inf, math.nan, 10**400, 2**53])
def test_timeout_must_be_a_finite_number_the_json_can_carry(timeout: float) -> None:
    [line] = problems(timeout=timeout)
    assert line.startswith("timeout: must be a finite number of seconds")


@pytest.mark.parametrize("timeout", [True, "5", [5], object()])
def test_timeout_must_be_a_number(timeout: Any) -> None:
    [line] = problems(timeout=timeout)
    assert line.startswith("timeout: must be a number of seconds")


def test_bad_api_url_and_timeout_together_give_two_problems() -> None:
    lines = problems(api_url="https://api.example.com/v2", timeout=-3)
    assert [line.split(":")[0] for line in lines] == ["api_url", "timeout"]


# -- resource bindings: exactly the attributes given ---------------------------------------------------------

#: For each binding: (the class, its resource type, every input with a value, the JSON those inputs make).
FULL: dict[str, tuple[type[Any], str, dict[str, Any], dict[str, Any]]] = {
    "assistant": (
        OpenaiAssistant,
        "openai_assistant",
        {
            "model": "gpt-4o",
            "name": "helper",
            "description": "helps",
            "instructions": "Be brief.",
            "file_ids": ("file-1", "file-2"),
            "metadata": {"team": "platform"},
            "tools": [
                {"type": "code_interpreter"},
                {"type": "function", "function": [{"name": "f", "description": "d", "parameters": PARAMETERS}]},
            ],
        },
        {
            "model": "gpt-4o",
            "name": "helper",
            "description": "helps",
            "instructions": "Be brief.",
            "file_ids": ["file-1", "file-2"],
            "metadata": {"team": "platform"},
            "tools": [
                {"type": "code_interpreter"},
                {"type": "function", "function": [{"name": "f", "description": "d", "parameters": PARAMETERS}]},
            ],
        },
    ),
    "thread": (
        OpenaiThread,
        "openai_thread",
        {
            "messages": (
                {"role": "user", "content": "hi", "metadata": {"n": "1"}},
                {"role": "assistant", "content": "hello", "file_ids": ["file-1"]},
            ),
            "metadata": {"purpose": "test"},
        },
        {
            "messages": [
                {"role": "user", "content": "hi", "metadata": {"n": "1"}},
                {"role": "assistant", "content": "hello", "file_ids": ["file-1"]},
            ],
            "metadata": {"purpose": "test"},
        },
    ),
    "message": (
        OpenaiMessage,
        "openai_message",
        {
            "thread_id": "thread_1",
            "role": "user",
            "content": "look at this",
            "metadata": {"k": "v"},
            "attachments": [{"file_id": "file-1", "tools": [{"type": "code_interpreter"}]}],
        },
        {
            "thread_id": "thread_1",
            "role": "user",
            "content": "look at this",
            "metadata": {"k": "v"},
            "attachments": [{"file_id": "file-1", "tools": [{"type": "code_interpreter"}]}],
        },
    ),
    "run": (
        OpenaiThreadRun,
        "openai_thread_run",
        {
            "assistant_id": "asst_1",
            "thread": {
                "messages": [{"role": "user", "content": "hi", "attachments": [{"file_id": "file-1"}]}],
                "metadata": {"inline": "yes"},
            },
            "model": "gpt-4o",
            "instructions": "Be brief.",
            "tools": [{"type": "function", "function": [{"name": "f"}]}],
            "metadata": {"k": "v"},
            "temperature": 0.5,
            "top_p": 0.25,
            "max_completion_tokens": 300,
            "stream": False,
            "response_format": {"type": "json_object"},
        },
        {
            "assistant_id": "asst_1",
            "thread": [
                {
                    "messages": [{"role": "user", "content": "hi", "attachments": [{"file_id": "file-1"}]}],
                    "metadata": {"inline": "yes"},
                }
            ],
            "model": "gpt-4o",
            "instructions": "Be brief.",
            "tools": [{"type": "function", "function": [{"name": "f"}]}],
            "metadata": {"k": "v"},
            "temperature": 0.5,
            "top_p": 0.25,
            "max_completion_tokens": 300,
            "stream": False,
            "response_format": [{"type": "json_object"}],
        },
    ),
    "data": (
        TerraformData,
        "terraform_data",
        {"triggers_replace": {"v": "1"}, "input": ["a", 1]},
        {"triggers_replace": {"v": "1"}, "input": ["a", 1]},
    ),
}
#: The inputs each binding requires.
REQUIRED = {
    "assistant": ("model",),
    "thread": (),
    "message": ("thread_id", "role", "content"),
    "run": ("assistant_id",),
    "data": (),
}


@pytest.mark.parametrize("name", sorted(FULL))
def test_every_given_attribute_is_emitted_exactly(stack: TerraformStack, synth: Synth, name: str) -> None:
    cls, type_, inputs, expected = FULL[name]
    cls(stack, "it", **inputs)
    assert synth(stack)["resource"][type_]["it"] == expected


@pytest.mark.parametrize("name", sorted(FULL))
def test_unset_and_none_inputs_are_left_out(stack: TerraformStack, synth: Synth, name: str) -> None:
    cls, type_, inputs, expected = FULL[name]
    required = {key: inputs[key] for key in REQUIRED[name]}
    nones = {key: None for key in inputs if key not in required}
    cls(stack, "given-none", **required, **nones)
    cls(stack, "unset", **required)
    resources = synth(stack)["resource"][type_]
    assert resources["given-none"] == {key: expected[key] for key in REQUIRED[name]}
    assert resources["unset"] == resources["given-none"]


@pytest.mark.parametrize("name", sorted(FULL))
def test_later_changes_to_the_callers_collections_do_not_leak_in(
    stack: TerraformStack, synth: Synth, name: str
) -> None:
    cls, type_, inputs, expected = FULL[name]
    mutable = json.loads(json.dumps(inputs))  # fresh lists and dicts, the caller's own
    cls(stack, "it", **mutable)
    for value in mutable.values():
        if isinstance(value, dict):
            value["added-later"] = "x"
        elif isinstance(value, list):
            value.append({"type": "added-later"})
    assert synth(stack)["resource"][type_]["it"] == json.loads(json.dumps(expected))


@pytest.mark.parametrize("name", ["assistant", "thread", "message", "run"])
def test_meta_arguments_pass_through(stack: TerraformStack, synth: Synth, name: str) -> None:
    cls, type_, inputs, _ = FULL[name]
    required = {key: inputs[key] for key in REQUIRED[name]}
    first = OpenaiThread(stack, "first")
    second = OpenaiProvider(stack, "second", alias="second")
    cls(
        stack,
        "it",
        **required,
        depends_on=[first],
        lifecycle=TerraformResourceLifecycle(prevent_destroy=True),
        provider=second,
    )
    body = synth(stack)["resource"][type_]["it"]
    assert body["depends_on"] == ["openai_thread.first"]
    assert body["lifecycle"] == {"prevent_destroy": True}
    assert body["provider"] == "openai.second"


def test_terraform_data_depends_on_passes_through(stack: TerraformStack, synth: Synth) -> None:
    first = OpenaiThread(stack, "first")
    TerraformData(stack, "it", input="x", depends_on=[first])
    assert synth(stack)["resource"]["terraform_data"]["it"] == {"input": "x", "depends_on": ["openai_thread.first"]}


def test_attribute_values_may_be_tokens(stack: TerraformStack, synth: Synth) -> None:
    text = TerraformVariable(stack, "text", type="string")
    labels = TerraformVariable(stack, "labels", type="map(string)")
    assistant = OpenaiAssistant(stack, "assistant", model=text.string_value, metadata=labels.value)
    OpenaiMessage(stack, "message", thread_id=assistant.id, role="user", content=text.string_value)
    resources = synth(stack)["resource"]
    assert resources["openai_assistant"]["assistant"] == {"model": "${var.text}", "metadata": "${var.labels}"}
    assert resources["openai_message"]["message"] == {
        "thread_id": "${openai_assistant.assistant.id}",
        "role": "user",
        "content": "${var.text}",
    }


# -- typed attribute properties are tokens of `type.name.attr` ------------------------------------------------


def attribute_properties(cls: type[Any]) -> list[str]:
    """The attribute properties the binding itself defines (on its body class)."""
    body = cls.__bases__[0]
    return sorted(name for name, member in vars(body).items() if isinstance(member, property))


EXPECTED_PROPERTIES = {
    "assistant": ["created_at", "id"],
    "thread": ["created_at", "id"],
    "message": ["assistant_id", "created_at", "id", "run_id"],
    "run": ["completed_at", "created_at", "file_ids", "id", "object", "started_at", "status", "thread_id", "usage"],
    "data": ["id"],
}


@pytest.mark.parametrize("name", sorted(FULL))
def test_every_attribute_property_is_a_token_of_its_attribute(stack: TerraformStack, synth: Synth, name: str) -> None:
    cls, type_, inputs, _ = FULL[name]
    assert attribute_properties(cls) == EXPECTED_PROPERTIES[name]
    resource = cls(stack, "it", **{key: inputs[key] for key in REQUIRED[name]})
    for attribute in EXPECTED_PROPERTIES[name]:
        value = getattr(resource, attribute)
        TerraformOutput(stack, f"out-{attribute}", value=value)
    outputs = synth(stack)["output"]
    for attribute in EXPECTED_PROPERTIES[name]:
        assert outputs[f"out-{attribute}"]["value"] == f"${{{type_}.it.{attribute}}}"


@pytest.mark.parametrize(
    ("attribute", "kind"),
    [("id", str), ("created_at", float), ("usage", dict), ("file_ids", list), ("status", str)],
)
def test_attribute_properties_have_their_declared_python_types(attribute: str, kind: type[Any]) -> None:
    stack = TerraformStack(App(), "s")
    run = OpenaiThreadRun(stack, "run", assistant_id="a")
    assert isinstance(getattr(run, attribute), kind)


def test_one_resource_can_reference_anothers_attribute(stack: TerraformStack, synth: Synth) -> None:
    thread = OpenaiThread(stack, "thread")
    run = OpenaiThreadRun(stack, "run", assistant_id="a", existing_thread_id=thread.id)
    OpenaiMessage(stack, "reply", thread_id=run.thread_id, role="user", content="thanks")
    resources = synth(stack)["resource"]
    assert resources["openai_thread_run"]["run"]["existing_thread_id"] == "${openai_thread.thread.id}"
    assert resources["openai_message"]["reply"]["thread_id"] == "${openai_thread_run.run.thread_id}"
