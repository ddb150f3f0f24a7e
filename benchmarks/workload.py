"""The benchmarked stacks: N ThreadRunConstructs, and the floor that emits the very same JSON with bare cdktf.

Each of the N points is one "thread-run" of an evaluation suite: 2 messages, 2 tools (code_interpreter and a
function), run metadata and a temperature, in one of two modes:

- ``new``: the construct emits an ``openai_thread`` (holding the messages) and an ``openai_thread_run`` whose
  ``existing_thread_id`` references the thread's id;
- ``existing``: two ``openai_message`` on an existing thread (the second ``depends_on`` the first) and an
  ``openai_thread_run`` that ``depends_on`` the last message.

The floor builds the same construct tree (so logical ids match) out of a minimal ``TerraformResource`` subclass
that returns a dict built by hand: no validation, no bindings, nothing but what cdktf itself needs. The
benchmark checks that both stacks synthesize to byte-identical ``cdk.tf.json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import cdktf
import constructs

MODES = ("new", "existing")
KINDS = ("floor", "construct")
STACK_NAME = "bench"
PROVIDER_ID = "openai"

ASSISTANT_ID = "asst_benchmark"
EXISTING_THREAD_ID = "thread_benchmark"
TEMPERATURE = 0.7
FUNCTION_NAME = "fetch_examples"
FUNCTION_DESCRIPTION = "Fetch code examples for a topic."
FUNCTION_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {"topic": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
    "required": ["topic"],
}
#: What the provider wants in ``tools[].function[].parameters``: the schema as a JSON string, keys sorted.
FUNCTION_PARAMETERS_JSON = json.dumps(FUNCTION_PARAMETERS, sort_keys=True, separators=(",", ":"))


def construct_id(index: int) -> str:
    """The construct id of the ``index``-th thread-run (also the first part of its resources' logical ids)."""
    return f"run-{index}"


def message_texts(index: int) -> list[tuple[str, str]]:
    """The (role, content) of the two messages of the ``index``-th thread-run."""
    return [
        ("user", f"Case {index}: the deploy of service A failed with a timeout. What happened?"),
        ("user", f"Case {index}: answer in two sentences."),
    ]


def run_metadata(index: int) -> dict[str, str]:
    """The run metadata of the ``index``-th thread-run."""
    return {"suite": "nightly", "case": str(index)}


# -- the construct --------------------------------------------------------------------------------------------


def build_construct_stack(stack: cdktf.TerraformStack, mode: str, n: int) -> None:
    """Add an OpenaiProvider and ``n`` ThreadRunConstructs in ``mode`` to ``stack``, as a user would write it."""
    from openai_thread_run import (
        CodeInterpreterTool,
        FunctionDefinition,
        FunctionTool,
        Message,
        OpenaiProvider,
        ThreadRunConstruct,
    )

    OpenaiProvider(stack, PROVIDER_ID)
    tools: list[CodeInterpreterTool | FunctionTool] = [
        CodeInterpreterTool(),
        FunctionTool(
            FunctionDefinition(name=FUNCTION_NAME, description=FUNCTION_DESCRIPTION, parameters=FUNCTION_PARAMETERS)
        ),
    ]
    for index in range(n):
        messages = [Message(role=role, content=content) for role, content in message_texts(index)]
        if mode == "new":
            ThreadRunConstruct(
                stack,
                construct_id(index),
                assistant_id=ASSISTANT_ID,
                messages=messages,
                tools=tools,
                metadata=run_metadata(index),
                temperature=TEMPERATURE,
            )
        else:
            ThreadRunConstruct(
                stack,
                construct_id(index),
                assistant_id=ASSISTANT_ID,
                create_new_thread=False,
                existing_thread_id=EXISTING_THREAD_ID,
                messages=messages,
                tools=tools,
                metadata=run_metadata(index),
                temperature=TEMPERATURE,
            )


# -- the floor ------------------------------------------------------------------------------------------------


class FloorProvider(cdktf.TerraformProvider):
    """The same ``provider`` block and ``required_providers`` entry as OpenaiProvider, with nothing else."""

    def __init__(self, scope: constructs.Construct, id: str) -> None:
        super().__init__(
            scope,
            id,
            terraform_resource_type="openai",
            terraform_provider_source="mkdev-me/openai",
            terraform_generator_metadata=cdktf.TerraformProviderGeneratorMetadata(
                provider_name="openai", provider_version_constraint=">= 1.2.0, < 2.0.0"
            ),
        )


class FloorResource(cdktf.TerraformResource):
    """A resource that synthesizes a dict it was handed: one jsii ``create``, one callback per synthesis pass."""

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        resource_type: str,
        attributes: Mapping[str, Any],
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
    ) -> None:
        self._attributes = attributes
        super().__init__(scope, id, terraform_resource_type=resource_type, depends_on=depends_on)

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self._attributes


#: The run's ``tools`` blocks, exactly as the construct emits them (shared: the floor never copies anything).
FLOOR_TOOLS: list[dict[str, Any]] = [
    {"type": "code_interpreter"},
    {
        "type": "function",
        "function": [
            {"name": FUNCTION_NAME, "description": FUNCTION_DESCRIPTION, "parameters": FUNCTION_PARAMETERS_JSON}
        ],
    },
]


def build_floor_stack(stack: cdktf.TerraformStack, mode: str, n: int) -> None:
    """Add the floor's provider and ``n`` thread-runs in ``mode`` to ``stack``: same tree, same JSON."""
    FloorProvider(stack, PROVIDER_ID)
    for index in range(n):
        scope = constructs.Construct(stack, construct_id(index))
        texts = message_texts(index)
        depends_on: list[cdktf.ITerraformDependable] | None = None
        if mode == "new":
            thread = FloorResource(
                scope,
                "thread",
                "openai_thread",
                {"messages": [{"role": role, "content": content} for role, content in texts]},
            )
            thread_id = thread.get_string_attribute("id")
        else:
            thread_id = EXISTING_THREAD_ID
            previous: FloorResource | None = None
            for position, (role, content) in enumerate(texts):
                previous = FloorResource(
                    scope,
                    f"message-{position}",
                    "openai_message",
                    {"thread_id": thread_id, "role": role, "content": content},
                    depends_on=[previous] if previous is not None else None,
                )
            depends_on = [previous] if previous is not None else None
        FloorResource(
            scope,
            "run",
            "openai_thread_run",
            {
                "assistant_id": ASSISTANT_ID,
                "existing_thread_id": thread_id,
                "tools": FLOOR_TOOLS,
                "metadata": run_metadata(index),
                "temperature": TEMPERATURE,
            },
            depends_on=depends_on,
        )


BUILDERS: dict[str, Callable[[cdktf.TerraformStack, str, int], None]] = {
    "floor": build_floor_stack,
    "construct": build_construct_stack,
}
