"""CDK Terrain (cdktn): ``openai_thread_run.cdktn`` has the same classes, built on cdktn, writing the same JSON.

Runs where both frameworks are installed (the package depends on cdktf; the [cdktn] extra adds
cdktn and cdktn-provider-null), so each program can be built on both and the documents compared.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import cdktf
import cdktn
import pytest
from cdktn_provider_null.provider import NullProvider as CdktnNullProvider
from cdktn_provider_null.resource import Resource as CdktnNullResource
from jsii._kernel.providers.process import _NodeProcess

import openai_thread_run
import openai_thread_run.cdktn as terrain
from openai_thread_run.cdktn import (
    DataOpenaiMessages,
    DataOpenaiRun,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
    ThreadRunConstruct,
    ValidationError,
)
from openai_thread_run.construct import ThreadRunConstructBase
from tests.conftest import only, resources, without_metadata
from tests.provider_schema import assert_matches_provider_schema

BINDINGS = (
    "OpenaiProvider",
    "OpenaiAssistant",
    "OpenaiThread",
    "OpenaiMessage",
    "OpenaiThreadRun",
    "TerraformData",
    "DataOpenaiRun",
    "DataOpenaiMessages",
    "ThreadRunConstruct",
)
#: The module of this library and the CDK framework it is built on.
LIBRARIES: dict[str, tuple[ModuleType, ModuleType]] = {
    "cdktf": (openai_thread_run, cdktf),
    "cdktn": (terrain, cdktn),
}


def synth(fw: ModuleType, stack: Any) -> dict[str, Any]:
    """Synthesize ``stack`` with its framework's ``Testing`` (validations on) and check the provider schema."""
    document: dict[str, Any] = json.loads(fw.Testing.synth(stack, run_validations=True))
    assert_matches_provider_schema(document)
    return document


def full_program(framework: str, app: Any | None = None) -> tuple[Any, Any]:
    """One program, written once against either library: every binding, both modes of the construct, tokens."""
    lib, fw = LIBRARIES[framework]
    app = app if app is not None else fw.Testing.app()
    stack = fw.TerraformStack(app, "stack")
    lib.OpenaiProvider(stack, "openai", api_url="http://127.0.0.1:9/v1")
    second = lib.OpenaiProvider(stack, "second", alias="second", timeout=30)
    labels = fw.TerraformVariable(stack, "labels", type="map(string)")
    number = fw.TerraformVariable(stack, "number", type="number")
    assistant = lib.OpenaiAssistant(
        stack,
        "assistant",
        model="gpt-4o",
        instructions="echo ${HOME}",
        tools=[
            {"type": "code_interpreter"},
            {
                "type": "function",
                "function": [{"name": "f", "parameters": {"type": "object", "maximum": number.number_value}}],
            },
        ],
    )
    conversation = lib.OpenaiThread(stack, "conversation", messages=[{"role": "user", "content": "earlier"}])
    lib.OpenaiMessage(stack, "note", thread_id=conversation.id, role="user", content="%{x}", provider=second)
    run = lib.OpenaiThreadRun(stack, "direct", assistant_id=assistant.id, existing_thread_id=conversation.id)
    run.temperature = 0.4
    run.metadata = fw.Token.as_string_map(labels.value)
    lib.DataOpenaiRun(stack, "read", run_id=run.id, thread_id=run.thread_id)
    lib.DataOpenaiMessages(stack, "page", thread_id=conversation.id, limit=5)
    lib.TerraformData(stack, "data", input=[1, None, {"k": "v"}])
    new = lib.ThreadRunConstruct(
        stack,
        "new",
        assistant_id=assistant.id,
        messages=[{"role": "user", "content": "hello"}, {"role": "assistant", "content": "hi"}],
        thread_metadata={"purpose": "test"},
        model="gpt-4o",
        instructions="Be brief.",
        tools=[{"type": "code_interpreter"}],
        metadata={"team": "platform"},
        temperature=0.5,
        top_p=0.9,
        max_completion_tokens=512,
        response_format={"type": "json_object"},
        rerun_triggers={"prompt_version": "3"},
    )
    lib.ThreadRunConstruct(
        stack,
        "existing",
        assistant_id=assistant.id,
        create_new_thread=False,
        existing_thread_id=conversation.id,
        messages=[{"role": "user", "content": "one"}, {"role": "user", "content": "two", "metadata": {"n": "2"}}],
        rerun_triggers={"v": "1"},
        rerun_trigger_resource="terraform_data",
        wait_for_completion=False,
        provider=second,
    )
    lib.OpenaiThread.generate_config_for_import(stack, "imported", "thread_abc", second)
    for name in ("id", "thread_id", "status", "created_at", "completed_at", "usage", "response"):
        fw.TerraformOutput(stack, name, value=getattr(new, name))
    fw.TerraformOutput(stack, "total", value=new.usage.lookup("total_tokens"))
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


# -- the module and its classes ----------------------------------------------------------------------------------


def test_the_cdktn_module_exports_the_same_names() -> None:
    assert set(terrain.__all__) == set(openai_thread_run.__all__)
    for name in terrain.__all__:
        assert hasattr(terrain, name), name


@pytest.mark.parametrize("name", BINDINGS)
def test_each_class_is_its_own_class_on_cdktn(name: str) -> None:
    on_cdktn, on_cdktf = getattr(terrain, name), getattr(openai_thread_run, name)
    assert on_cdktn is not on_cdktf
    assert on_cdktn.__name__ == name
    assert on_cdktn.__module__ == "openai_thread_run.cdktn"
    assert getattr(on_cdktn, "TF_RESOURCE_TYPE", None) == getattr(on_cdktf, "TF_RESOURCE_TYPE", None)


@pytest.mark.parametrize("name", ["ValidationError", "Problem", "Message", "FunctionTool", "NumberMap", "warnings_of"])
def test_framework_free_names_are_shared(name: str) -> None:
    assert getattr(terrain, name) is getattr(openai_thread_run, name)


def test_bindings_are_instances_of_their_cdktn_classes(stack: Any) -> None:
    made = {
        OpenaiProvider: OpenaiProvider(stack, "second", alias="second"),
        OpenaiAssistant: OpenaiAssistant(stack, "assistant", model="gpt-4o"),
        OpenaiThread: OpenaiThread(stack, "thread"),
        OpenaiMessage: OpenaiMessage(stack, "message", thread_id="thread_1", role="user", content="x"),
        OpenaiThreadRun: OpenaiThreadRun(stack, "run", assistant_id="asst_1"),
        TerraformData: TerraformData(stack, "data", input="x"),
        DataOpenaiRun: DataOpenaiRun(stack, "read", run_id="run_1", thread_id="thread_1"),
        DataOpenaiMessages: DataOpenaiMessages(stack, "page", thread_id="thread_1"),
    }
    for cls, binding in made.items():
        assert type(binding) is cls
        assert isinstance(binding, cdktn.TerraformElement), cls
        assert not isinstance(binding, cdktf.TerraformElement), cls


def test_the_cdktn_construct_names_the_classes_it_is_typed_with() -> None:
    bases = typing.cast(tuple[Any, ...], vars(ThreadRunConstruct)["__orig_bases__"])
    (base,) = (base for base in bases if typing.get_origin(base) is ThreadRunConstructBase)
    assert typing.get_args(base) == dataclasses.astuple(ThreadRunConstruct._classes)


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_the_constructs_parts_are_instances_of_the_cdktn_classes(stack: Any, create_new_thread: bool) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"existing_thread_id": "thread_1"}
    construct = ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="asst_1",
        create_new_thread=create_new_thread,
        messages=[{"role": "user", "content": "hi"}],
        rerun_triggers={"v": "1"},
        **extra,
    )
    assert isinstance(construct, terrain.ThreadRunConstruct)
    assert isinstance(construct.run, terrain.OpenaiThreadRun)
    assert isinstance(construct.waiter, terrain.TerraformData)
    assert isinstance(construct.final_run, terrain.DataOpenaiRun)
    assert isinstance(construct.thread_messages, terrain.DataOpenaiMessages)
    if create_new_thread:
        assert isinstance(construct.thread, terrain.OpenaiThread)
    else:
        [message] = construct.messages
        assert isinstance(message, terrain.OpenaiMessage)
    assert isinstance(construct.rerun_trigger, CdktnNullResource)
    cdktf_elements = [node.node.path for node in stack.node.find_all() if isinstance(node, cdktf.TerraformElement)]
    assert cdktf_elements == [], "a cdktf element inside a cdktn stack breaks its synthesis"


# -- the wrong framework is refused, naming the module to import --------------------------------------------------


@pytest.mark.parametrize("name", BINDINGS)
def test_a_cdktf_class_in_a_cdktn_app_raises_naming_openai_thread_run_cdktn(stack: Any, name: str) -> None:
    cls = getattr(openai_thread_run, name)
    arguments = {
        "OpenaiProvider": {"alias": "x"},
        "OpenaiAssistant": {"model": "gpt-4o"},
        "OpenaiMessage": {"thread_id": "t", "role": "user", "content": "x"},
        "OpenaiThreadRun": {"assistant_id": "asst_1"},
        "DataOpenaiRun": {"run_id": "r", "thread_id": "t"},
        "DataOpenaiMessages": {"thread_id": "t"},
        "ThreadRunConstruct": {"assistant_id": "asst_1"},
    }.get(name, {})
    with pytest.raises(TypeError, match=rf"import {name} from openai_thread_run\.cdktn instead"):
        cls(stack, "wrong", **arguments)
    assert stack.node.try_find_child("wrong") is None


@pytest.mark.parametrize("name", ["OpenaiThread", "ThreadRunConstruct"])
def test_a_cdktn_class_in_a_cdktf_app_raises_naming_openai_thread_run(name: str) -> None:
    cdktf_stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    arguments = {"assistant_id": "asst_1"} if name == "ThreadRunConstruct" else {}
    with pytest.raises(TypeError, match=rf"import {name} from openai_thread_run instead"):
        getattr(terrain, name)(cdktf_stack, "wrong", **arguments)


def test_a_subclass_of_a_cdktf_binding_is_refused_in_a_cdktn_app(stack: Any) -> None:
    class MyThread(openai_thread_run.OpenaiThread):
        pass

    with pytest.raises(TypeError, match=r"MyThread .* is built on cdktf.*openai_thread_run\.cdktn"):
        MyThread(stack, "t")


def test_a_subclass_of_a_cdktn_binding_works_in_a_cdktn_app(stack: Any) -> None:
    class MyThread(OpenaiThread):
        pass

    MyThread(stack, "t", metadata={"k": "v"})
    assert only(synth(cdktn, stack), "openai_thread") == {"metadata": {"k": "v"}}


# -- the same JSON ----------------------------------------------------------------------------------------------


def test_cdktn_and_cdktf_synthesize_the_same_document_but_for_the_null_provider_pin() -> None:
    on_cdktn = synth(cdktn, full_program("cdktn")[1])
    on_cdktf = synth(cdktf, full_program("cdktf")[1])
    assert without_null_pin(on_cdktn) == without_null_pin(on_cdktf)
    # What legitimately differs: each prebuilt null binding writes the hashicorp/null version it was generated
    # from (and cdktf's writes the short source "null", which Terraform expands to hashicorp/null).
    cdktn_null = on_cdktn["terraform"]["required_providers"]["null"]
    cdktf_null = on_cdktf["terraform"]["required_providers"]["null"]
    assert cdktn_null["source"] == "hashicorp/null"
    assert cdktf_null["source"] in ("null", "hashicorp/null")
    assert cdktn_null["version"] and cdktf_null["version"]


def test_the_program_uses_every_part_on_cdktn() -> None:
    """Guards the comparison above: the program does reach every binding and feature on cdktn."""
    document = synth(cdktn, full_program("cdktn")[1])
    assert set(document["resource"]) == {
        "openai_assistant",
        "openai_thread",
        "openai_message",
        "openai_thread_run",
        "terraform_data",
        "null_resource",
    }
    assert set(document["data"]) == {"openai_run", "openai_messages"}
    assert {"alias": "second", "timeout": 30} in document["provider"]["openai"]
    assert document["import"] == [{"to": "openai_thread.imported", "id": "thread_abc", "provider": "openai.second"}]
    direct = resources(document, "openai_thread_run")["direct"]
    assert direct["temperature"] == 0.4 and direct["metadata"] == "${var.labels}"
    assert resources(document, "openai_message")["note"] == {
        "thread_id": "${openai_thread.conversation.id}",
        "role": "user",
        "content": "%%{x}",
        "provider": "openai.second",
    }
    assert resources(document, "terraform_data")["data"] == {"input": [1, "${null}", {"k": "v"}]}
    assert resources(document, "openai_assistant")["assistant"]["tools"][1]["function"][0]["parameters"] == (
        '${jsonencode({"type" = "object", "maximum" = /*${*/var.number})}'
    )
    assert document["output"]["total"]["value"].endswith('.usage["total_tokens"]}')


def test_written_cdk_tf_json_differs_from_cdktf_only_in_metadata_and_the_null_pin(tmp_path: Path) -> None:
    written: dict[str, dict[str, Any]] = {}
    for framework in ("cdktn", "cdktf"):
        outdir = tmp_path / framework
        app, _ = full_program(framework, LIBRARIES[framework][1].App(outdir=str(outdir)))
        app.synth()
        written[framework] = json.loads((outdir / "stacks" / "stack" / "cdk.tf.json").read_text())
    cdktn_doc, cdktf_doc = written["cdktn"], written["cdktf"]
    # "//" holds the framework's own metadata (its version, the stack name, the construct paths of resources)
    assert cdktn_doc["//"]["metadata"]["version"] != cdktf_doc["//"]["metadata"]["version"]
    assert cdktn_doc["//"]["metadata"]["importsGeneratingConfiguration"] == ["imported"]
    assert without_null_pin(without_metadata(cdktn_doc)) == without_null_pin(without_metadata(cdktf_doc))
    assert_matches_provider_schema(without_metadata(cdktn_doc))


# -- bindings on cdktn: checks, setters, tokens ------------------------------------------------------------------


def test_checks_raise_before_anything_is_created_and_without_a_jsii_round_trip(
    stack: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests: list[str] = []
    send = _NodeProcess.send

    def counting(self: Any, request: Any, response_type: Any) -> Any:
        requests.append(type(request).__name__)
        return send(self, request, response_type)

    monkeypatch.setattr(_NodeProcess, "send", counting)
    with pytest.raises(ValidationError) as caught:
        OpenaiThreadRun(stack, "r", assistant_id=None, temperature="hot")  # type: ignore[arg-type]
    monkeypatch.setattr(_NodeProcess, "send", send)
    assert requests == []
    assert [problem.path for problem in caught.value.problems] == ["assistant_id", "temperature"]
    assert stack.node.try_find_child("r") is None


def test_setters_and_resets_are_reflected_in_the_json(stack: Any) -> None:
    run = OpenaiThreadRun(stack, "r", assistant_id="asst_1", top_p=0.5)
    run.temperature = 0.9
    run.response_format = {"type": "text"}
    run.reset_top_p()
    with pytest.raises(ValidationError, match="temperature: must be a number"):
        run.temperature = "hot"  # type: ignore[assignment]
    assert only(synth(cdktn, stack), "openai_thread_run") == {
        "assistant_id": "asst_1",
        "temperature": 0.9,
        "response_format": [{"type": "text"}],
    }


def test_cdktn_tokens_of_every_kind_are_taken(stack: Any) -> None:
    text = cdktn.TerraformVariable(stack, "text", type="string")
    number = cdktn.TerraformVariable(stack, "number", type="number")
    flag = cdktn.TerraformVariable(stack, "flag", type="bool")
    labels = cdktn.TerraformVariable(stack, "labels", type="map(string)")
    items = cdktn.TerraformVariable(stack, "items", type="list(string)")
    local = cdktn.TerraformLocal(stack, "local", "x")
    iterator = cdktn.TerraformIterator.from_list(["asst_1", "asst_2"])
    OpenaiThreadRun(
        stack,
        "r",
        for_each=iterator,
        assistant_id=iterator.value,
        model=text.string_value,
        instructions=cdktn.Fn.join(",", items.list_value),
        temperature=number.number_value,
        top_p=number.value,
        stream=flag.boolean_value,
        metadata=cdktn.Token.as_string_map(labels.value),
        existing_thread_id=local.as_string,
    )
    OpenaiAssistant(stack, "a", model="gpt-4o", file_ids=items.list_value, metadata=labels.value)
    document = synth(cdktn, stack)
    assert resources(document, "openai_thread_run")["r"] == {
        "for_each": '${toset(["asst_1", "asst_2"])}',
        "assistant_id": "${each.value}",
        "model": "${var.text}",
        "instructions": '${join(",", var.items)}',
        "temperature": "${var.number}",
        "top_p": "${var.number}",
        "stream": "${var.flag}",
        "metadata": "${var.labels}",
        "existing_thread_id": "${local.local}",
    }
    assert resources(document, "openai_assistant")["a"] == {
        "model": "gpt-4o",
        "file_ids": "${var.items}",
        "metadata": "${var.labels}",
    }


@pytest.mark.parametrize(
    ("name", "declared", "kind", "target"),
    [("metadata", "bool", "bool", "map"), ("temperature", "list(number)", "list", "number")],
)
def test_a_cdktn_variables_declared_type_is_read(stack: Any, name: str, declared: str, kind: str, target: str) -> None:
    variable = cdktn.TerraformVariable(stack, "v", type=declared)
    message = f"{name}: is a {kind} token, which Terraform cannot convert to a {target}"
    with pytest.raises(ValidationError, match=message):
        OpenaiThreadRun(stack, "r", assistant_id="asst_1", **{name: variable.value})


def test_usage_is_a_cdktn_number_map(stack: Any) -> None:
    run = OpenaiThreadRun(stack, "r", assistant_id="asst_1")
    read = DataOpenaiRun(stack, "d", run_id=run.id, thread_id=run.thread_id)
    assert isinstance(run.usage, cdktn.NumberMap) and isinstance(read.usage, cdktn.NumberMap)
    cdktn.TerraformOutput(stack, "run", value=run.usage.lookup("total_tokens"))
    cdktn.TerraformOutput(stack, "read", value=read.usage.lookup("total_tokens"))
    outputs = synth(cdktn, stack)["output"]
    assert outputs["run"]["value"] == '${openai_thread_run.r.usage["total_tokens"]}'
    assert outputs["read"]["value"] == '${data.openai_run.d.usage["total_tokens"]}'


def test_generate_config_for_import_and_testing_matchers_on_cdktn(stack: Any) -> None:
    importable = OpenaiThreadRun.generate_config_for_import(stack, "imported", "thread_1/run_1")
    assert isinstance(importable, cdktn.ImportableResource)
    DataOpenaiRun(stack, "d", run_id="run_1", thread_id="thread_1")
    TerraformData(stack, "t", input="x")
    document = synth(cdktn, stack)
    assert document["import"] == [{"to": "openai_thread_run.imported", "id": "thread_1/run_1"}]
    synthesized = cdktn.Testing.synth(stack)
    assert cdktn.Testing.to_have_data_source_with_properties(
        synthesized, DataOpenaiRun.TF_RESOURCE_TYPE, {"run_id": "run_1"}
    )
    assert cdktn.Testing.to_have_resource(synthesized, TerraformData.TF_RESOURCE_TYPE)
    assert cdktn.Testing.to_have_provider(synthesized, OpenaiProvider.TF_RESOURCE_TYPE)


# -- the construct on cdktn ------------------------------------------------------------------------------------


def test_missing_provider_validation_fires_on_cdktn() -> None:
    bare = cdktn.TerraformStack(cdktn.Testing.app(), "bare")
    ThreadRunConstruct(bare, "tr", assistant_id="a")
    with pytest.raises(RuntimeError, match=r"ThreadRunConstruct .* needs an OpenaiProvider in this stack"):
        cdktn.Testing.synth(bare, run_validations=True)


def test_provider_declared_after_the_construct_is_enough_on_cdktn() -> None:
    bare = cdktn.TerraformStack(cdktn.Testing.app(), "bare")
    ThreadRunConstruct(bare, "tr", assistant_id="a")
    OpenaiProvider(bare, "openai")
    assert synth(cdktn, bare)["provider"]["openai"] == [{}]


def test_the_auto_added_null_provider_is_cdktn_provider_nulls_and_added_once(stack: Any) -> None:
    first = ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    second = ThreadRunConstruct(stack, "b", assistant_id="a", rerun_triggers={"v": "2"})
    assert isinstance(first.rerun_trigger, CdktnNullResource)
    assert isinstance(second.rerun_trigger, CdktnNullResource)
    document = synth(cdktn, stack)
    assert [child for child in stack.node.children if isinstance(child, CdktnNullProvider)]
    assert document["provider"]["null"] == [{}]
    assert len(resources(document, "null_resource")) == 2


def test_terraform_data_trigger_needs_no_null_provider_on_cdktn(stack: Any) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"}, rerun_trigger_resource="terraform_data")
    document = synth(cdktn, stack)
    assert "null" not in document["provider"]
    assert "null" not in document["terraform"]["required_providers"]


def test_validation_still_rejects_bad_literals_next_to_cdktn_tokens(stack: Any) -> None:
    number = cdktn.TerraformVariable(stack, "number", type="number")
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(stack, "tr", assistant_id="a", temperature=number.number_value, top_p=3, stream=True)
    assert {problem.path for problem in caught.value.problems} == {"top_p", "stream"}
