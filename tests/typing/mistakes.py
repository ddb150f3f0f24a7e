"""User code with mistakes that mypy --strict and pyright (strict) must each report: see tests/unit/test_typing.py.

Every mistake follows a comment ``# expect:`` naming the errors it must cause, as ``mypy[<error code>]`` and
``pyright[<rule>]``; the test asserts each one at that line, and that nothing else is reported. This file is
excluded from the project's plain mypy and pyright runs (pyproject.toml), which would otherwise fail on it.
"""

from __future__ import annotations

import cdktn
from cdktf import App, TerraformStack

import openai_thread_run.cdktn as terrain
from openai_thread_run import (
    DataOpenaiMessages,
    MessageDict,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    ResponseFormatDict,
    ThreadRunConstruct,
    ToolDict,
)

stack = TerraformStack(App(), "stack")
run = OpenaiThreadRun(stack, "run", assistant_id="asst_1")
construct = ThreadRunConstruct(stack, "construct", assistant_id="asst_1")
thread = OpenaiThread(stack, "thread")
terrain_stack = cdktn.TerraformStack(cdktn.App(), "terrain")

# Inline inputs are TypedDicts: a misspelt key, a role or a tool type the API does not take.
# expect: mypy[typeddict-item] mypy[typeddict-unknown-key] pyright[reportArgumentType]
OpenaiThread(stack, "t", messages=[{"rol": "user", "content": "x"}])
# expect: mypy[typeddict-item] mypy[typeddict-unknown-key] pyright[reportAssignmentType]
misspelt: MessageDict = {"role": "user", "contents": "x"}
# expect: mypy[list-item] pyright[reportArgumentType]
ThreadRunConstruct(stack, "a", assistant_id="a", messages=[{"role": "system", "content": "x"}])
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
system: MessageDict = {"role": "system", "content": "x"}
# expect: mypy[list-item] pyright[reportArgumentType]
ThreadRunConstruct(stack, "b", assistant_id="a", tools=[{"type": "retrieval"}])
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
retrieval: ToolDict = {"type": "retrieval"}
# expect: mypy[typeddict-item] pyright[reportAssignmentType]
schema: ResponseFormatDict = {"type": "json_schema"}
# expect: mypy[arg-type] pyright[reportArgumentType]
ThreadRunConstruct(stack, "c", assistant_id="a", response_format="json")
# expect: mypy[arg-type] pyright[reportArgumentType]
ThreadRunConstruct(stack, "w", assistant_id="a", waiter="bash")

# usage is a map of apply-time numbers: read an entry with lookup(), never by index.
# expect: mypy[index] pyright[reportIndexIssue] pyright[reportUnknownVariableType]
run_total: float = run.usage["total_tokens"]
# expect: mypy[index] pyright[reportIndexIssue] pyright[reportUnknownVariableType]
construct_total: float = construct.usage["total_tokens"]

# Arguments: wrong types, unknown and missing ones.
# expect: mypy[arg-type] pyright[reportArgumentType]
OpenaiThreadRun(stack, "r1", assistant_id="a", temperature="hot")
# expect: mypy[call-arg] pyright[reportCallIssue]
OpenaiThreadRun(stack, "r2", assistant_id="a", temprature=0.5)
# expect: mypy[call-arg] pyright[reportCallIssue]
OpenaiThreadRun(stack, "r3")
# The construct refuses these at runtime too (a ValidationError naming the nearest input): checkers must still see them.
# expect: mypy[call-arg] pyright[reportCallIssue]
ThreadRunConstruct(stack, "d", assistant_id="a", temprature=0.5)
# expect: mypy[call-arg] pyright[reportCallIssue]
ThreadRunConstruct(stack, "e", assistant_id="a", for_each=[1])
# expect: mypy[call-arg] pyright[reportCallIssue]
ThreadRunConstruct(stack, "f")
# expect: mypy[arg-type] pyright[reportArgumentType]
OpenaiThreadRun(stack, "r4", assistant_id=None)
# expect: mypy[arg-type] pyright[reportArgumentType]
OpenaiThreadRun(stack, "r5", assistant_id="a", stream="no")
# expect: mypy[arg-type] pyright[reportArgumentType]
OpenaiProvider(stack, "p", alias="p", timeout="60")
# expect: mypy[arg-type] pyright[reportArgumentType]
DataOpenaiMessages(stack, "m", thread_id="thread_1", limit="5")

# Setters have the inputs' types; required inputs have no reset.
# expect: mypy[assignment] pyright[reportAttributeAccessIssue]
run.temperature = "hot"
# expect: mypy[typeddict-item] mypy[typeddict-unknown-key] pyright[reportAttributeAccessIssue]
thread.messages = [{"rol": "user", "content": "x"}]
# expect: mypy[attr-defined] pyright[reportAttributeAccessIssue] pyright[reportUnknownMemberType]
run.reset_assistant_id()

# The cdktf and cdktn classes are different types.
# expect: mypy[assignment] pyright[reportAssignmentType]
terrain_run: terrain.OpenaiThreadRun = construct.run
# expect: mypy[assignment] pyright[reportAssignmentType]
cdktf_run: OpenaiThreadRun = terrain.ThreadRunConstruct(terrain_stack, "c", assistant_id="a").run
