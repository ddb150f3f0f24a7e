"""The benchmarked stacks: N ThreadRunConstructs, and the three floors that emit the same JSON with bare cdktf.

The inputs of each thread-run are in :mod:`benchmarks.inputs`, the floors in :mod:`benchmarks.floors`. Every
run of the benchmark checks that the construct, the floor and the plain floor write byte-identical
``cdk.tf.json``, and that the minimal floor writes the same JSON once cdktf's ``"//"`` metadata is removed
(:func:`benchmarks.documents.same_without_metadata`).
"""

from __future__ import annotations

from collections.abc import Callable

import cdktf

from benchmarks.floors import build_floor_stack, build_minimal_floor_stack, build_plain_floor_stack
from benchmarks.inputs import (
    ASSISTANT_ID,
    EXISTING_THREAD_ID,
    FUNCTION_DESCRIPTION,
    FUNCTION_NAME,
    FUNCTION_PARAMETERS,
    MODES,
    PROVIDER_ID,
    STACK_NAME,
    TEMPERATURE,
    WAITER,
    construct_id,
    message_texts,
    run_metadata,
)

__all__ = ["BUILDERS", "KINDS", "MODES", "STACK_NAME", "build_construct_stack"]

#: What is measured: the construct, the floor (the construct's tree), the minimal floor (no wrappers) and the
#: plain floor (the construct's tree, no token built in Python).
KINDS = ("construct", "floor", "minimal", "plain")


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
                waiter=WAITER,
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
                waiter=WAITER,
            )


BUILDERS: dict[str, Callable[[cdktf.TerraformStack, str, int], None]] = {
    "construct": build_construct_stack,
    "floor": build_floor_stack,
    "minimal": build_minimal_floor_stack,
    "plain": build_plain_floor_stack,
}
