"""ThreadRunConstruct inside a CDK Terrain (cdktn) app: same construct, same JSON as on cdktf.

Runs in .venv-cdktn, where both frameworks are installed (the package depends on cdktf; the [cdktn] extra adds
cdktn and cdktn-provider-null), so each test can also build the cdktf twin of its stack and compare.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import cdktf
import cdktn
import constructs
import pytest
from cdktn_provider_null.provider import NullProvider as CdktnNullProvider
from cdktn_provider_null.resource import Resource as CdktnNullResource

from openai_thread_run import (
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
    ThreadRunConstruct,
    ValidationError,
)
from openai_thread_run._framework import framework, framework_of
from tests.conftest import logical_id, only, resources, without_metadata
from tests.provider_schema import assert_matches_provider_schema

OUTPUTS = ("id", "thread_id", "status", "created_at", "started_at", "completed_at", "usage")


def synth(fw: ModuleType, stack: Any) -> dict[str, Any]:
    """Synthesize ``stack`` with its framework's ``Testing`` (validations on) and check the provider schema."""
    document: dict[str, Any] = json.loads(fw.Testing.synth(stack, run_validations=True))
    assert_matches_provider_schema(document)
    return document


def full_stack(fw: ModuleType, app: Any | None = None) -> tuple[Any, Any]:
    """An app (``Testing.app()`` unless given) and a stack on ``fw`` with every part of the construct."""
    app = app if app is not None else fw.Testing.app()
    stack = fw.TerraformStack(app, "stack")
    OpenaiProvider(stack, "openai", api_url="http://127.0.0.1:9/v1")
    assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o", tools=[{"type": "code_interpreter"}])
    conversation = OpenaiThread(stack, "conversation", messages=[{"role": "user", "content": "earlier"}])
    new = ThreadRunConstruct(
        stack,
        "new",
        assistant_id=assistant.id,
        messages=[{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}],
        thread_metadata={"purpose": "test"},
        model="gpt-4o",
        instructions="Be brief.",
        tools=[
            {"type": "code_interpreter"},
            {"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object"}}},
        ],
        metadata={"team": "platform"},
        temperature=0.5,
        top_p=0.9,
        max_completion_tokens=512,
        response_format={"type": "json_object"},
        rerun_triggers={"prompt_version": "3"},
    )
    ThreadRunConstruct(
        stack,
        "existing",
        assistant_id=assistant.id,
        create_new_thread=False,
        existing_thread_id=conversation.id,
        messages=[{"role": "user", "content": "one"}, {"role": "user", "content": "two", "metadata": {"n": "2"}}],
        rerun_triggers={"v": "1"},
        rerun_trigger_resource="terraform_data",
    )
    for name in OUTPUTS:
        fw.TerraformOutput(stack, name, value=getattr(new, name))
    return app, stack


def without_null_pin(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` without the null provider's ``required_providers`` entry (each prebuilt binding pins its own)."""
    document = copy.deepcopy(document)
    del document["terraform"]["required_providers"]["null"]
    return document


@pytest.fixture
def stack() -> Any:
    """A cdktn stack with an OpenaiProvider."""
    stack = cdktn.TerraformStack(cdktn.Testing.app(), "test")
    OpenaiProvider(stack, "openai", api_url="http://127.0.0.1:9/v1")
    return stack


# -- the framework is read off the scope -----------------------------------------------------------------------


def test_cdktn_scopes_get_cdktn_and_cdktf_stays_the_default() -> None:
    cdktn_stack = cdktn.TerraformStack(cdktn.App(), "s")
    cdktf_stack = cdktf.TerraformStack(cdktf.App(), "s")
    assert framework_of(cdktn_stack) == framework("cdktn")
    assert framework_of(constructs.Construct(cdktn_stack, "group")) == framework("cdktn")
    assert framework_of(cdktf_stack) == framework("cdktf")
    assert framework_of(constructs.Construct(cdktf_stack, "group")) == framework("cdktf")


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_every_element_in_a_cdktn_stack_is_a_cdktn_element(stack: Any, create_new_thread: bool) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"existing_thread_id": "thread_1"}
    tr = ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="asst_1",
        create_new_thread=create_new_thread,
        messages=[{"role": "user", "content": "hi"}],
        rerun_triggers={"v": "1"},
        **extra,
    )
    elements = [
        node for node in stack.node.find_all() if isinstance(node, cdktn.TerraformElement | cdktf.TerraformElement)
    ]
    assert len(elements) >= 4
    cdktf_elements = [node.node.path for node in elements if isinstance(node, cdktf.TerraformElement)]
    assert cdktf_elements == [], "a cdktf element inside a cdktn stack breaks its synthesis"
    assert isinstance(tr.run, cdktn.TerraformResource)
    assert type(tr.run).__name__ == "OpenaiThreadRun"
    if create_new_thread:
        assert isinstance(tr.thread, cdktn.TerraformResource)
    else:
        assert len(tr.messages) == 1 and isinstance(tr.messages[0], cdktn.TerraformResource)


def test_public_binding_classes_follow_the_scope(stack: Any) -> None:
    made = {
        "provider": OpenaiProvider(stack, "second", alias="second"),
        "assistant": OpenaiAssistant(stack, "assistant", model="gpt-4o"),
        "thread": OpenaiThread(stack, "thread"),
        "message": OpenaiMessage(stack, "message", thread_id="thread_1", role="user", content="x"),
        "run": OpenaiThreadRun(stack, "run", assistant_id="asst_1", existing_thread_id="thread_1"),
        "data": TerraformData(stack, "data", input="x"),
    }
    for name, binding in made.items():
        assert isinstance(binding, cdktn.TerraformElement), name
        assert not isinstance(binding, cdktf.TerraformElement), name
    # on cdktf the public classes are themselves (unchanged behaviour)
    cdktf_stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    assert type(OpenaiThread(cdktf_stack, "t")) is OpenaiThread
    assert type(OpenaiProvider(cdktf_stack, "p")) is OpenaiProvider
    doc = synth(cdktn, stack)
    assert resources(doc, "openai_message")["message"] == {"thread_id": "thread_1", "role": "user", "content": "x"}
    assert sorted(doc["provider"]["openai"], key=len) == [{"api_url": "http://127.0.0.1:9/v1"}, {"alias": "second"}]
    assert only(doc, "terraform_data") == {"input": "x"}


def test_a_subclass_of_a_cdktf_binding_is_refused_in_a_cdktn_app_with_a_clear_error(stack: Any) -> None:
    class MyThread(OpenaiThread):
        pass

    with pytest.raises(TypeError, match=r"MyThread is built on cdktf.*cdktn app"):
        MyThread(stack, "t")


# -- synthesis ---------------------------------------------------------------------------------------------------


def test_full_stack_synthesizes_on_cdktn_and_passes_the_schema_check() -> None:
    _, stack = full_stack(cdktn)
    doc = synth(cdktn, stack)
    run = resources(doc, "openai_thread_run")[logical_id(doc, "openai_thread_run", "new_run")]
    thread_name = logical_id(doc, "openai_thread", "new_thread")
    trigger_name = logical_id(doc, "null_resource", "new_rerun-trigger")
    assert run["existing_thread_id"] == f"${{openai_thread.{thread_name}.id}}"
    assert run["assistant_id"] == "${openai_assistant.assistant.id}"
    assert run["lifecycle"] == {"replace_triggered_by": [f"null_resource.{trigger_name}"]}
    assert doc["resource"]["null_resource"][trigger_name] == {"triggers": {"prompt_version": "3"}}
    existing = resources(doc, "openai_thread_run")[logical_id(doc, "openai_thread_run", "existing_run")]
    data_name = logical_id(doc, "terraform_data", "existing_rerun-trigger")
    assert existing["lifecycle"] == {"replace_triggered_by": [f"terraform_data.{data_name}"]}
    assert existing["existing_thread_id"] == "${openai_thread.conversation.id}"
    last_message = logical_id(doc, "openai_message", "existing_message-1")
    assert existing["depends_on"] == [f"openai_message.{last_message}"]
    assert len(resources(doc, "openai_message")) == 2
    for name in OUTPUTS:
        assert (
            doc["output"][name]["value"]
            == f"${{openai_thread_run.{logical_id(doc, 'openai_thread_run', 'new_run')}.{name}}}"
        )
    assert doc["terraform"]["required_providers"]["openai"] == {
        "source": "mkdev-me/openai",
        "version": ">= 1.2.0, < 2.0.0",
    }


def test_cdktn_and_cdktf_synthesize_the_same_document_but_for_the_null_provider_pin() -> None:
    on_cdktn = synth(cdktn, full_stack(cdktn)[1])
    on_cdktf = synth(cdktf, full_stack(cdktf)[1])
    assert without_null_pin(on_cdktn) == without_null_pin(on_cdktf)
    # What legitimately differs: each prebuilt null binding writes the hashicorp/null version it was generated
    # from (and cdktf's writes the short source "null", which Terraform expands to hashicorp/null).
    cdktn_null = on_cdktn["terraform"]["required_providers"]["null"]
    cdktf_null = on_cdktf["terraform"]["required_providers"]["null"]
    assert cdktn_null["source"] == "hashicorp/null"
    assert cdktf_null["source"] in ("null", "hashicorp/null")
    assert cdktn_null["version"] and cdktf_null["version"]


def test_written_cdk_tf_json_differs_from_cdktf_only_in_metadata_and_the_null_pin(tmp_path: Path) -> None:
    written: dict[str, dict[str, Any]] = {}
    for fw in (cdktn, cdktf):
        outdir = tmp_path / fw.__name__
        app, _ = full_stack(fw, fw.App(outdir=str(outdir)))
        app.synth()
        written[fw.__name__] = json.loads((outdir / "stacks" / "stack" / "cdk.tf.json").read_text())
    cdktn_doc, cdktf_doc = written["cdktn"], written["cdktf"]
    # "//" holds the framework's own metadata (its version, the stack name, the construct paths of resources)
    assert cdktn_doc["//"]["metadata"]["version"] != cdktf_doc["//"]["metadata"]["version"]
    assert without_null_pin(without_metadata(cdktn_doc)) == without_null_pin(without_metadata(cdktf_doc))
    assert_matches_provider_schema(without_metadata(cdktn_doc))


# -- tokens from cdktn -------------------------------------------------------------------------------------------


def test_cdktn_tokens_are_accepted_everywhere_a_value_from_another_resource_fits(stack: Any) -> None:
    text = cdktn.TerraformVariable(stack, "text", type="string")
    number = cdktn.TerraformVariable(stack, "number", type="number")
    labels = cdktn.TerraformVariable(stack, "labels", type="map(string)")
    thread = OpenaiThread(stack, "conversation")
    tr = ThreadRunConstruct(
        stack,
        "tr",
        assistant_id=cdktn.Fn.lookup(labels.value, "assistant", "asst_default"),
        create_new_thread=False,
        existing_thread_id=thread.id,
        messages=[{"role": text.string_value, "content": text.string_value, "metadata": labels.value}],
        model=text.string_value,
        instructions=cdktn.Fn.join(",", ["a", text.string_value]),
        tools=[{"type": text.string_value, "function": {"name": text.string_value, "parameters": text.string_value}}],
        metadata=cdktn.Token.as_string_map(labels.value),
        temperature=number.number_value,
        top_p=cdktn.Token.as_number(number.value),
        max_completion_tokens=number.number_value,
        response_format={"type": text.string_value},
        rerun_triggers=labels.value,
    )
    cdktn.TerraformOutput(stack, "thread", value=tr.thread_id)
    doc = synth(cdktn, stack)
    run = only(doc, "openai_thread_run")
    assert run["existing_thread_id"] == "${openai_thread.conversation.id}"
    assert run["assistant_id"] == '${lookup(var.labels, "assistant", "asst_default")}'
    assert run["model"] == "${var.text}"
    assert run["temperature"] == "${var.number}"
    assert run["top_p"] == "${var.number}"
    assert run["max_completion_tokens"] == "${var.number}"
    assert run["metadata"] == "${var.labels}"
    assert run["response_format"] == [{"type": "${var.text}"}]
    assert run["tools"] == [{"type": "${var.text}", "function": [{"name": "${var.text}", "parameters": "${var.text}"}]}]
    assert only(doc, "openai_message") == {
        "thread_id": "${openai_thread.conversation.id}",
        "role": "${var.text}",
        "content": "${var.text}",
        "metadata": "${var.labels}",
    }
    assert only(doc, "null_resource") == {"triggers": "${var.labels}"}
    assert doc["output"]["thread"]["value"].startswith("${openai_thread_run.")


def test_validation_still_rejects_bad_literals_next_to_cdktn_tokens(stack: Any) -> None:
    number = cdktn.TerraformVariable(stack, "number", type="number")
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(stack, "tr", assistant_id="a", temperature=number.number_value, top_p=3, stream=True)
    assert {problem.path for problem in caught.value.problems} == {"top_p", "stream"}


def test_a_cdktn_list_token_cannot_stand_for_the_messages(stack: Any) -> None:
    items = cdktn.TerraformVariable(stack, "items", type="list(string)")
    with pytest.raises(ValidationError, match="must be a literal list"):
        ThreadRunConstruct(stack, "tr", assistant_id="a", messages=items.list_value)


# -- provider checks -------------------------------------------------------------------------------------------


def test_missing_provider_validation_fires_on_cdktn() -> None:
    bare = cdktn.TerraformStack(cdktn.Testing.app(), "bare")
    ThreadRunConstruct(bare, "tr", assistant_id="a")
    with pytest.raises(RuntimeError, match=r"ThreadRunConstruct needs an OpenaiProvider in this stack"):
        cdktn.Testing.synth(bare, run_validations=True)


def test_provider_declared_after_the_construct_is_enough_on_cdktn() -> None:
    bare = cdktn.TerraformStack(cdktn.Testing.app(), "bare")
    ThreadRunConstruct(bare, "tr", assistant_id="a")
    OpenaiProvider(bare, "openai")
    assert synth(cdktn, bare)["provider"]["openai"] == [{}]


def test_the_auto_added_null_provider_and_resource_are_cdktn_provider_nulls(stack: Any) -> None:
    first = ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    second = ThreadRunConstruct(stack, "b", assistant_id="a", rerun_triggers={"v": "2"})
    assert isinstance(first.rerun_trigger, CdktnNullResource)
    assert isinstance(second.rerun_trigger, CdktnNullResource)
    null_providers = [child for child in stack.node.children if isinstance(child, CdktnNullProvider)]
    assert len(null_providers) == 1
    doc = synth(cdktn, stack)
    assert doc["provider"]["null"] == [{}]
    assert len(resources(doc, "null_resource")) == 2


def test_a_users_own_cdktn_null_provider_is_reused(stack: Any) -> None:
    CdktnNullProvider(stack, "my-null")
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    assert [child.node.id for child in stack.node.children if isinstance(child, CdktnNullProvider)] == ["my-null"]
    assert len(synth(cdktn, stack)["provider"]["null"]) == 1


def test_terraform_data_trigger_needs_no_null_provider_on_cdktn(stack: Any) -> None:
    tr = ThreadRunConstruct(
        stack, "a", assistant_id="a", rerun_triggers={"v": "1"}, rerun_trigger_resource="terraform_data"
    )
    assert isinstance(tr.rerun_trigger, cdktn.TerraformResource)
    doc = synth(cdktn, stack)
    assert "null" not in doc["provider"]
    assert "null" not in doc["terraform"]["required_providers"]
    assert only(doc, "terraform_data") == {"triggers_replace": {"v": "1"}}
