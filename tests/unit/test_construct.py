"""ThreadRunConstruct: what it synthesizes in both modes, with and without waiting, and what it hands back."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path
from typing import Any, cast

import pytest
from cdktf import TerraformOutput, TerraformStack, TerraformVariable, Testing
from constructs import Construct

from openai_thread_run import (
    CodeInterpreterTool,
    DataOpenaiMessages,
    DataOpenaiRun,
    FunctionDefinition,
    FunctionTool,
    Message,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
    ThreadRunConstruct,
    ValidationError,
    warnings_of,
)
from openai_thread_run.annotations import notes_of
from openai_thread_run.bindings._base import inputs_prechecked
from openai_thread_run.construct import ThreadRunConstructBase, ThreadRunConstructInit
from openai_thread_run.elements import BindingClasses
from openai_thread_run.waiter import RUN_ID_VAR, THREAD_ID_VAR, TIMEOUT_VAR
from openai_thread_run.waiter_element import WAITER_COMMAND
from openai_thread_run.waiter_sources import (
    MODE_VAR,
    PYTHON_SOURCE_VAR,
    WAITER_LOCAL,
    WAITER_SH_LOCAL,
    Waiter,
    sh_waiter_source,
    waiter_source,
)
from tests.conftest import Synth, assert_bindings_accept_their_inputs, logical_id, only, resources
from tests.template_eval import evaluate_literal_template

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


def names(doc: dict[str, Any], type_: str, part: str) -> str:
    return logical_id(doc, type_, part)


def data(doc: dict[str, Any], type_: str) -> dict[str, Any]:
    [found] = doc.get("data", {}).get(type_, {}).values()
    return found  # type: ignore[no-any-return]


# -- the two modes ------------------------------------------------------------------------------------------


def test_new_thread_mode_emits_one_thread_and_one_run_on_it(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="asst_1",
        messages=[{"role": "user", "content": "first"}, {"role": "assistant", "content": "second"}],
        thread_metadata={"purpose": "test"},
    )
    doc = synth(stack)
    prompt = names(doc, "terraform_data", "tr_prompt")
    assert only(doc, "openai_thread") == {
        "messages": [{"role": "user", "content": "first"}, {"role": "assistant", "content": "second"}],
        "metadata": {"purpose": "test"},
        "lifecycle": {"replace_triggered_by": [f"terraform_data.{prompt}.triggers_replace.messages"]},
    }
    run = only(doc, "openai_thread_run")
    thread_name = names(doc, "openai_thread", "tr_thread")
    assert run == {
        "assistant_id": "asst_1",
        "existing_thread_id": f"${{openai_thread.{thread_name}.id}}",
        "lifecycle": {"ignore_changes": ["stream"], "replace_triggered_by": [f"terraform_data.{prompt}"]},
    }
    assert "openai_message" not in doc["resource"]


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
    by_content = {body["content"]: (name, body) for name, body in resources(doc, "openai_message").items()}
    assert sorted(by_content) == sorted(texts)
    previous = None
    for text in texts:
        name, body = by_content[text]
        assert (body["thread_id"], body["role"], body["metadata"]) == ("thread_abc", "user", {"n": text})
        assert body.get("depends_on") == ([f"openai_message.{previous}"] if previous else None)
        previous = name
    run = only(doc, "openai_thread_run")
    assert run["existing_thread_id"] == "thread_abc"
    assert run["depends_on"] == [f"openai_message.{previous}"]


def test_an_existing_thread_is_tracked_so_an_imported_run_keeps_its_address(
    stack: TerraformStack, synth: Synth
) -> None:
    """The run ignores existing_thread_id (an import does not read it back); the prompt replaces it instead."""
    ThreadRunConstruct(stack, "tr", assistant_id="a", create_new_thread=False, existing_thread_id="thread_x")
    doc = synth(stack)
    prompt = names(doc, "terraform_data", "tr_prompt")
    assert doc["resource"]["terraform_data"][prompt]["triggers_replace"]["run"]["existing_thread_id"] == "thread_x"
    assert only(doc, "openai_thread_run")["lifecycle"] == {
        "ignore_changes": ["stream", "existing_thread_id"],
        "replace_triggered_by": [f"terraform_data.{prompt}"],
    }


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_every_run_input_lands_in_its_attribute(stack: TerraformStack, synth: Synth, create_new_thread: bool) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"existing_thread_id": "thread_x"}
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", create_new_thread=create_new_thread, **extra, **FULL_INPUTS)
    run = only(synth(stack), "openai_thread_run")
    assert {key: run[key] for key in ("model", "instructions", "metadata", "temperature", "top_p")} == {
        "model": "gpt-4o",
        "instructions": "Be brief.",
        "metadata": {"team": "platform"},
        "temperature": 0.7,
        "top_p": 0.9,
    }
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
                    "parameters": '{"properties":{"topic":{"type":"string"}},"required":["topic"],"type":"object"}',
                }
            ],
        },
    ]
    assert "stream" not in run


def test_unset_optional_inputs_stay_out_of_the_json(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", response_format="auto")
    doc = synth(stack)
    assert set(only(doc, "openai_thread")) == {"lifecycle"}
    assert set(only(doc, "openai_thread_run")) == {"assistant_id", "existing_thread_id", "lifecycle"}
    assert "null_resource" not in doc["resource"]


def test_typed_helpers_and_plain_dicts_synthesize_identically(synth: Synth) -> None:
    def build(typed: bool) -> dict[str, Any]:
        stack = TerraformStack(Testing.app(), "s")
        OpenaiProvider(stack, "openai")
        if typed:
            messages: list[Any] = [Message("user", "hi", {"k": "v"})]
            tools: list[Any] = [CodeInterpreterTool(), FunctionTool(FunctionDefinition("f", "d", {"type": "object"}))]
        else:
            messages = [{"role": "user", "content": "hi", "metadata": {"k": "v"}}]
            tools = [
                {"type": "code_interpreter"},
                {"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object"}}},
            ]
        ThreadRunConstruct(stack, "tr", assistant_id="a", messages=messages, tools=tools)
        return synth(stack)

    assert build(typed=True) == build(typed=False)


def test_synth_is_byte_identical_and_holds_no_path_of_this_machine(tmp_path: Path) -> None:
    def once() -> str:
        stack = TerraformStack(Testing.app(), "s")
        OpenaiProvider(stack, "openai")
        ThreadRunConstruct(stack, "tr", assistant_id="a", rerun_triggers={"b": "2", "a": "1"}, **FULL_INPUTS)
        return str(Testing.synth(stack))

    first = once()
    assert first == once()
    for local_path in (str(Path.home()), str(Path(__file__).resolve().parents[2]), "site-packages"):
        assert local_path not in first


# -- waiting ------------------------------------------------------------------------------------------------


PYTHON_SOURCE = f"${{local.{WAITER_LOCAL}}}"
SH_SOURCE = f"${{local.{WAITER_SH_LOCAL}}}"
#: Each waiter's interpreter, and the variables it adds to the provisioner's environment.
WAITER_COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {
    "auto": (["sh", "-c", SH_SOURCE], {MODE_VAR: "auto", PYTHON_SOURCE_VAR: PYTHON_SOURCE}),
    "python": (["python3", "-c", PYTHON_SOURCE], {}),
    "sh": (["sh", "-c", SH_SOURCE], {MODE_VAR: "sh"}),
}


@pytest.mark.parametrize("waiter", [None, *WAITER_COMMANDS])
def test_waiting_adds_a_waiter_replaced_with_the_run_and_data_sources_read_after_it(
    bare_stack: TerraformStack, synth: Synth, waiter: Waiter | None
) -> None:
    stack = bare_stack
    OpenaiProvider(stack, "openai")  # no explicit settings: the waiter reads the environment, as the provider does
    if waiter is None:
        tr = ThreadRunConstruct(stack, "tr", assistant_id="a", wait_timeout_seconds=90)
    else:
        tr = ThreadRunConstruct(stack, "tr", assistant_id="a", wait_timeout_seconds=90, waiter=waiter)
    interpreter, program_environment = WAITER_COMMANDS[waiter or "auto"]
    doc = synth(stack)
    run = f"openai_thread_run.{names(doc, 'openai_thread_run', 'tr_')}"
    waiter_name = names(doc, "terraform_data", "tr_wait")
    waiter = doc["resource"]["terraform_data"][waiter_name]
    assert waiter == {
        "triggers_replace": f"${{{run}.id}}",
        "provisioner": [
            {
                "local-exec": {
                    "command": WAITER_COMMAND,
                    "interpreter": interpreter,
                    "environment": {
                        THREAD_ID_VAR: f"${{{run}.thread_id}}",
                        RUN_ID_VAR: f"${{{run}.id}}",
                        TIMEOUT_VAR: "90",
                        **program_environment,
                    },
                    "quiet": True,
                }
            }
        ],
    }
    after_waiter = [f"terraform_data.{waiter_name}"]
    assert data(doc, "openai_run") == {
        "run_id": f"${{{run}.id}}",
        "thread_id": f"${{{run}.thread_id}}",
        "depends_on": after_waiter,
    }
    assert data(doc, "openai_messages") == {
        "thread_id": f"${{{run}.thread_id}}",
        "limit": 100,
        "order": "desc",
        "depends_on": after_waiter,
    }
    assert isinstance(tr.waiter, TerraformData)
    assert isinstance(tr.final_run, DataOpenaiRun) and isinstance(tr.thread_messages, DataOpenaiMessages)


@pytest.mark.parametrize(
    ("waiters", "locals_"),
    [
        (["auto", "auto", "auto"], [WAITER_LOCAL, WAITER_SH_LOCAL]),
        (["python", "python"], [WAITER_LOCAL]),
        (["sh", "sh"], [WAITER_SH_LOCAL]),
        (["sh", "python", "auto"], [WAITER_LOCAL, WAITER_SH_LOCAL]),
    ],
)
def test_each_waiter_program_is_written_once_per_stack_as_text(
    stack: TerraformStack, synth: Synth, waiters: list[str], locals_: list[str]
) -> None:
    for index, waiter in enumerate(waiters):
        ThreadRunConstruct(stack, f"tr{index}", assistant_id="a", waiter=cast(Any, waiter))
    doc = synth(stack)
    sources = {WAITER_LOCAL: waiter_source(), WAITER_SH_LOCAL: sh_waiter_source()}
    assert sorted(doc["locals"]) == locals_
    for name in locals_:  # as text: the sh program is full of ${...}, which Terraform must not evaluate
        assert evaluate_literal_template(doc["locals"][name]) == sources[name]
    assert len([name for name in resources(doc, "terraform_data") if "_wait_" in name]) == len(waiters)


def test_the_stack_notes_once_what_terraform_apply_needs_where_it_runs(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "first", assistant_id="a")
    ThreadRunConstruct(stack, "second", assistant_id="a", waiter="python")
    ThreadRunConstruct(stack, "unwaited", assistant_id="a", waiter="sh", wait_for_completion=False)
    synth(stack)
    synth(stack)
    [note] = notes_of(stack)
    assert note == (
        "the thread-runs of this stack wait for their runs where terraform apply runs, which needs on PATH for"
        ' waiter="auto": python3 (3.9 or newer), or else sh with awk, date, mktemp, rm, sleep and curl or GNU Wget;'
        ' waiter="python": python3 (3.9 or newer) (wait_for_completion=False needs none; README, Where terraform'
        " apply runs) [openai-thread-run:apply-needs]"
    )


def test_a_stack_whose_runs_do_not_wait_notes_nothing(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "tr", assistant_id="a", wait_for_completion=False)
    synth(stack)
    assert notes_of(stack) == []


def test_without_waiting_there_is_no_waiter_and_no_data_source(stack: TerraformStack, synth: Synth) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a", wait_for_completion=False)
    doc = synth(stack)
    assert "data" not in doc and "locals" not in doc
    assert list(resources(doc, "terraform_data")) == [names(doc, "terraform_data", "tr_prompt")]
    assert tr.waiter is None and tr.final_run is None and tr.thread_messages is None


# -- outputs ------------------------------------------------------------------------------------------------

RUN_OUTPUTS = ("id", "thread_id", "created_at")
FINAL_OUTPUTS = ("status", "started_at", "completed_at", "usage")


def outputs_of(stack: TerraformStack, tr: ThreadRunConstruct, synth: Synth, names_: tuple[str, ...]) -> dict[str, Any]:
    for name in names_:
        TerraformOutput(stack, name, value=getattr(tr, name))
    doc = synth(stack)
    return {name: doc["output"][name]["value"] for name in names_}


def names_of_locals(doc: dict[str, Any], prefix: str) -> str:
    """The name of the one local whose name starts with ``prefix``."""
    [name] = [str(name) for name in doc["locals"] if name.startswith(prefix)]
    return name


def test_outputs_when_waiting_are_final_values_and_the_answer(stack: TerraformStack, synth: Synth) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a")
    every = (*RUN_OUTPUTS, *FINAL_OUTPUTS, "prompt_tokens", "completion_tokens", "total_tokens", "response")
    values = outputs_of(stack, tr, synth, every)
    doc = synth(stack)
    run = f"openai_thread_run.{names(doc, 'openai_thread_run', 'tr_')}"
    final = f"data.openai_run.{next(iter(doc['data']['openai_run']))}"
    replies = f"data.openai_messages.{next(iter(doc['data']['openai_messages']))}"
    for name in RUN_OUTPUTS:
        assert values[name] == f"${{{run}.{name}}}"
    for name in FINAL_OUTPUTS:
        assert values[name] == f"${{{final}.{name}}}"
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        assert values[name] == f'${{{final}.usage["{name}"]}}'
    response = names_of_locals(doc, "tr_response_")
    assert values["response"] == f"${{local.{response}}}", "a reference: a token that goes anywhere"
    assert doc["locals"][response] == (
        f'${{join("\\n\\n", reverse([for m in {replies}.messages : m.content if m.run_id == {run}.id'
        ' && m.role == "assistant" && m.content != null]))}'
    )


def test_outputs_without_waiting_are_the_runs_and_response_is_refused(stack: TerraformStack, synth: Synth) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a", wait_for_completion=False)
    values = outputs_of(stack, tr, synth, (*RUN_OUTPUTS, *FINAL_OUTPUTS, "total_tokens"))
    doc = synth(stack)
    run = f"openai_thread_run.{names(doc, 'openai_thread_run', 'tr_')}"
    for name in (*RUN_OUTPUTS, *FINAL_OUTPUTS):
        assert values[name] == f"${{{run}.{name}}}"
    total = names_of_locals(doc, "tr_total_tokens_")
    assert values["total_tokens"] == f"${{local.{total}}}"
    assert doc["locals"][total] == f'${{try({run}.usage["total_tokens"], null)}}', "usage is null until a refresh"
    with pytest.raises(ValueError, match="response needs wait_for_completion=True"):
        _ = tr.response


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
    assert isinstance(new.thread, OpenaiThread) and new.messages == ()
    assert isinstance(new.run, OpenaiThreadRun) and new.node.default_child is new.run
    assert existing.thread is None
    assert len(existing.messages) == 2 and all(isinstance(m, OpenaiMessage) for m in existing.messages)
    assert new.rerun_trigger is None
    new.run.add_override("metadata", {"overridden": "yes"})
    new.run.temperature = 0.5  # a setter on the escape hatch reaches the JSON too
    doc = synth(stack)
    run = doc["resource"]["openai_thread_run"][names(doc, "openai_thread_run", "new_")]
    assert (run["metadata"], run["temperature"]) == ({"overridden": "yes"}, 0.5)


def test_several_constructs_in_one_stack_stay_separate(stack: TerraformStack, synth: Synth) -> None:
    for index in range(3):
        ThreadRunConstruct(
            stack, f"tr{index}", assistant_id=f"asst_{index}", messages=[{"role": "user", "content": f"m{index}"}]
        )
    doc = synth(stack)
    runs = resources(doc, "openai_thread_run")
    assert len(resources(doc, "openai_thread")) == 3 == len(runs) == len(doc["data"]["openai_run"])
    for index in range(3):
        thread_name = names(doc, "openai_thread", f"tr{index}_thread")
        run = runs[names(doc, "openai_thread_run", f"tr{index}_")]
        assert run["assistant_id"] == f"asst_{index}"
        assert run["existing_thread_id"] == f"${{openai_thread.{thread_name}.id}}"


def test_constructs_nest_inside_other_constructs(stack: TerraformStack, synth: Synth) -> None:
    from constructs import Construct

    ThreadRunConstruct(Construct(stack, "group"), "tr", assistant_id="a")
    assert len(resources(synth(stack), "openai_thread_run")) == 1


# -- text and tokens ----------------------------------------------------------------------------------------


def test_free_text_is_written_so_that_terraform_reads_it_back_exactly(stack: TerraformStack, synth: Synth) -> None:
    text = 'echo ${HOME} %{ if x } $${lit} %%{lit} `${js}` ${file("x")} ends $'
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="${var.assistant}",  # an id: a raw Terraform expression stays one
        messages=[{"role": "user", "content": text, "metadata": {text[:60]: text}}],
        thread_metadata={"k": text},
        instructions=text,
        metadata={"k": text},
        rerun_triggers={"v": text},
        rerun_trigger_resource="terraform_data",
    )
    doc = synth(stack)
    thread = only(doc, "openai_thread")
    run = only(doc, "openai_thread_run")
    trigger = doc["resource"]["terraform_data"][names(doc, "terraform_data", "tr_rerun-trigger")]
    for written in (
        thread["messages"][0]["content"],
        thread["messages"][0]["metadata"][text[:60].replace("${", "$${").replace("%{", "%%{")],
        thread["metadata"]["k"],
        run["instructions"],
        run["metadata"]["k"],
        trigger["triggers_replace"]["v"],
    ):
        assert evaluate_literal_template(written) == text
    assert run["assistant_id"] == "${var.assistant}"


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
        messages=[{"role": "user", "content": f"About {model.string_value}."}],
        model=model.string_value,
        temperature=temperature.number_value,
        max_completion_tokens=temperature.number_value,
        metadata=labels.value,
        tools=[{"type": "function", "function": {"name": model.string_value, "parameters": model.string_value}}],
    )
    doc = synth(stack)
    run = only(doc, "openai_thread_run")
    assert run["assistant_id"] == "${openai_assistant.assistant.id}"
    assert run["existing_thread_id"] == "${openai_thread.conversation.id}"
    assert (run["model"], run["temperature"], run["metadata"]) == (
        "${var.model}",
        "${var.temperature}",
        "${var.labels}",
    )
    assert run["tools"][0]["function"][0] == {"name": "${var.model}", "parameters": "${var.model}"}
    assert only(doc, "openai_message")["content"] == "About ${var.model}."


def test_parameters_holding_tokens_go_through_jsonencode(stack: TerraformStack, synth: Synth) -> None:
    topic = TerraformVariable(stack, "topic", type="string")
    ThreadRunConstruct(
        stack,
        "tr",
        assistant_id="a",
        tools=[
            {
                "type": "function",
                "function": {"name": "f", "parameters": {"type": "object", "title": topic.string_value}},
            }
        ],
    )
    parameters = only(synth(stack), "openai_thread_run")["tools"][0]["function"][0]["parameters"]
    assert parameters == '${jsonencode({"type" = "object", "title" = /*${*/var.topic})}'


# -- warnings -----------------------------------------------------------------------------------------------


def test_zero_sampling_values_and_run_function_tools_warn_as_annotations(stack: TerraformStack) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a", temperature=0, top_p=0, tools=FULL_INPUTS["tools"])
    warnings = warnings_of(tr)
    assert [w.split("[openai-thread-run:")[1].split("]")[0] for w in warnings] == [
        "zero-sampling-value",
        "zero-sampling-value",
        "function-tool",
    ]
    assert all(f"(at {__file__}:" in warning for warning in warnings), "each names the user's line"
    assert warnings_of(ThreadRunConstruct(stack, "quiet", assistant_id="a", temperature=0.01)) == []


def test_the_synthesized_json_is_valid_for_the_provider_schema(stack: TerraformStack, synth: Synth) -> None:
    """Every document above is schema-checked by ``synth``; this one holds everything at once."""
    ThreadRunConstruct(stack, "a", assistant_id="asst_1", rerun_triggers={"v": "1"}, **FULL_INPUTS)
    ThreadRunConstruct(
        stack,
        "b",
        assistant_id="asst_1",
        create_new_thread=False,
        existing_thread_id="t",
        messages=[Message("user", "x")],
    )
    assert json.dumps(synth(stack))


# -- subclassing --------------------------------------------------------------------------------------------------


class TeamRun(ThreadRunConstruct):
    """A user's own construct built on ThreadRunConstruct, as CDK code often does."""

    def __init__(self, scope: TerraformStack, id: str, *, team: str) -> None:
        super().__init__(scope, id, assistant_id="asst_1", metadata={"team": team})


class LabelledRun(OpenaiThreadRun):
    """A user's subclass of the run binding (the construct's class names what it creates)."""


class LabelledThreadRunConstruct(
    ThreadRunConstructInit,
    Construct,
    ThreadRunConstructBase[LabelledRun, OpenaiThread, OpenaiMessage, TerraformData, DataOpenaiRun, DataOpenaiMessages],
):
    """ThreadRunConstruct creating ``LabelledRun`` for its run."""

    _classes = BindingClasses(
        run=LabelledRun,
        thread=OpenaiThread,
        message=OpenaiMessage,
        terraform_data=TerraformData,
        data_run=DataOpenaiRun,
        data_messages=DataOpenaiMessages,
    )


def test_a_subclass_of_the_construct_creates_the_same_resources(stack: TerraformStack, synth: Synth) -> None:
    run = TeamRun(stack, "team", team="platform")
    assert type(run.run) is OpenaiThreadRun and isinstance(run.thread, OpenaiThread)
    assert only(synth(stack), "openai_thread_run")["metadata"] == {"team": "platform"}


def test_the_binding_classes_are_the_ones_the_class_names(stack: TerraformStack, synth: Synth) -> None:
    construct = LabelledThreadRunConstruct(stack, "labelled", assistant_id="asst_1")
    assert type(construct.run) is LabelledRun
    assert type(construct.thread) is OpenaiThread and type(construct.final_run) is DataOpenaiRun
    assert only(synth(stack), "openai_thread_run")["assistant_id"] == "asst_1"


@pytest.mark.parametrize("cls", [ThreadRunConstruct, LabelledThreadRunConstruct])
def test_the_classes_a_construct_names_are_its_type_arguments(cls: type[Any]) -> None:
    """What the escape hatches are typed as (the type arguments) is what the construct creates (``_classes``)."""
    (base,) = (base for base in cls.__orig_bases__ if typing.get_origin(base) is ThreadRunConstructBase)
    assert typing.get_args(base) == dataclasses.astuple(cls._classes)


# -- the bindings trust the construct's validation ---------------------------------------------------------------


def test_the_bindings_own_checks_accept_what_the_construct_hands_them(stack: TerraformStack) -> None:
    variable = TerraformVariable(stack, "topic", type="string")
    new = ThreadRunConstruct(
        stack,
        "new",
        assistant_id="asst_1",
        messages=[Message("user", f"About {variable.string_value}: ${{x}}", metadata={"k": "v"})],
        thread_metadata={"team": "platform"},
        rerun_triggers={"v": "1"},
        **FULL_INPUTS,
    )
    existing = ThreadRunConstruct(
        stack,
        "existing",
        assistant_id="asst_1",
        create_new_thread=False,
        existing_thread_id="thread_1",
        messages=[Message("user", "a"), Message("assistant", "b")],
        rerun_triggers={"v": variable.string_value},
        rerun_trigger_resource="terraform_data",
    )
    # new: prompt, thread, run, rerun trigger is null_resource (not ours), waiter, two data sources
    assert assert_bindings_accept_their_inputs(new) == 6
    # existing: prompt, two messages, rerun trigger, run, waiter, two data sources
    assert assert_bindings_accept_their_inputs(existing) == 8


def test_within_the_construct_bindings_skip_their_checks(stack: TerraformStack) -> None:
    """What ThreadRunConstruct hands its bindings is not checked twice; a binding made by hand is checked."""
    with inputs_prechecked():
        OpenaiThreadRun(stack, "unchecked", assistant_id="asst_1", temperature=cast(float, "hot"))
    with pytest.raises(ValidationError):
        OpenaiThreadRun(stack, "checked", assistant_id="asst_1", temperature=cast(float, "hot"))
