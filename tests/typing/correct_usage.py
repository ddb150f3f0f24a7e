"""User code that must type-check clean under mypy --strict and pyright (strict): checked by tests/unit/test_typing.py.

Each line is something a user writes and relies on the type checker to accept, and (by annotation) to type as
stated: a wrong type here, an ``Any`` leaking out, or a binding typed as something else is a failure.
"""

from __future__ import annotations

import cdktn
from cdktf import App, ImportableResource, TerraformIterator, TerraformStack, TerraformVariable, Token

import openai_thread_run.cdktn as terrain
from openai_thread_run import (
    CodeInterpreterTool,
    DataOpenaiMessages,
    DataOpenaiRun,
    FunctionDefinition,
    FunctionTool,
    Message,
    MessageDict,
    NumberMap,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
    ThreadMessageBlock,
    ThreadRunConstruct,
    ToolDict,
    ValidationError,
)

stack = TerraformStack(App(), "stack")

# Every binding is typed as itself.
provider: OpenaiProvider = OpenaiProvider(stack, "openai", api_url="http://127.0.0.1:9/v1", timeout=60)
secondary: OpenaiProvider = OpenaiProvider(stack, "secondary", alias="secondary")
alias: str | None = secondary.alias
assistant: OpenaiAssistant = OpenaiAssistant(
    stack,
    "assistant",
    model="gpt-4o",
    tools=[
        {"type": "code_interpreter"},
        {"type": "function", "function": [{"name": "f", "parameters": {"type": "object"}}]},
    ],
)
opening: ThreadMessageBlock = {"role": "user", "content": "Hello", "metadata": {"k": "v"}}
thread: OpenaiThread = OpenaiThread(stack, "thread", messages=[opening], provider=secondary)
message: OpenaiMessage = OpenaiMessage(stack, "message", thread_id=thread.id, role="user", content="More")
run: OpenaiThreadRun = OpenaiThreadRun(
    stack,
    "run",
    assistant_id=assistant.id,
    existing_thread_id=thread.id,
    temperature=0.5,
    response_format={"type": "json_object"},
    depends_on=[message],
)
final: DataOpenaiRun = DataOpenaiRun(stack, "final", run_id=run.id, thread_id=run.thread_id)
replies: DataOpenaiMessages = DataOpenaiMessages(stack, "replies", thread_id=run.thread_id, limit=5, order="desc")
data: TerraformData = TerraformData(stack, "data", input={"any": ["json", 1, True, None]})

# Inputs are settable and readable with their types, and optional ones resettable.
run.temperature = 0.9
temperature: float | None = run.temperature
run.reset_temperature()
run.metadata = {"team": "platform"}
thread.messages = [{"role": "assistant", "content": "Hi"}]
run.response_format = {"type": "text"}
run.tools = [{"type": "function", "function": [{"name": "f", "description": "d"}]}]
assistant.tools = [{"type": "code_interpreter"}]
message.attachments = [{"file_id": "file_1", "tools": [{"type": "code_interpreter"}]}]
inline: OpenaiThreadRun = OpenaiThreadRun(stack, "inline", assistant_id="asst_1")
inline.thread = {"messages": [{"role": "user", "content": "Hi", "attachments": [{"file_id": "file_1"}]}]}
assistant_id: str = run.assistant_id
provider.timeout = 30
provider.reset_timeout()

# Outputs are typed tokens; usage is a map read with lookup().
usage: NumberMap = run.usage
total: float = run.usage.lookup("total_tokens")
status: str = final.status
final_total: float = final.usage.lookup("total_tokens")
thread_created: float = thread.created_at
first_reply: str = replies.first_id

# Testing and import parity with generated bindings.
resource_type: str = OpenaiThreadRun.TF_RESOURCE_TYPE
data_source_type: str = DataOpenaiRun.TF_RESOURCE_TYPE
imported: ImportableResource = OpenaiThread.generate_config_for_import(stack, "imported", "thread_abc")
run.import_from("thread_abc/run_abc", secondary)

# Tokens of every kind fit the declared types.
number = TerraformVariable(stack, "number", type="number")
flag = TerraformVariable(stack, "flag", type="bool")
labels = TerraformVariable(stack, "labels", type="map(string)")
ids = TerraformVariable(stack, "ids", type="list(string)")
iterator = TerraformIterator.from_list(["asst_1", "asst_2"])
OpenaiThreadRun(
    stack,
    "tokens",
    assistant_id=iterator.value,
    for_each=iterator,
    temperature=number.number_value,
    top_p=number.value,
    max_completion_tokens=number.number_value,
    stream=flag.boolean_value,
    metadata=Token.as_string_map(labels.value),
)
run.stream = flag.boolean_value
run.max_completion_tokens = number.number_value
OpenaiProvider(stack, "timed", alias="timed", timeout=number.number_value)
DataOpenaiMessages(stack, "page", thread_id=thread.id, limit=number.number_value)
OpenaiAssistant(stack, "listed", model="gpt-4o", file_ids=ids.list_value)

# The construct: typed helpers and TypedDicts, typed escape hatches and outputs.
tools: list[ToolDict] = [{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]
greeting: MessageDict = {"role": "user", "content": "Hi"}
construct = ThreadRunConstruct(
    stack,
    "construct",
    assistant_id=assistant.id,
    messages=[greeting, Message(role="assistant", content="Hello")],
    tools=[*tools, CodeInterpreterTool(), FunctionTool(FunctionDefinition(name="f"))],
    response_format={"type": "text"},
    waiter="sh",
    provider=secondary,
)
construct_run: OpenaiThreadRun = construct.run
construct.run.temperature = 0.2
construct_thread: OpenaiThread | None = construct.thread
construct_messages: tuple[OpenaiMessage, ...] = construct.messages
construct_waiter: TerraformData | None = construct.waiter
construct_final: DataOpenaiRun | None = construct.final_run
construct_replies: DataOpenaiMessages | None = construct.thread_messages
construct_total: float = construct.usage.lookup("total_tokens")
total_tokens: float = construct.total_tokens
response: str = construct.response
OpenaiThreadRun(stack, "after", assistant_id="asst_1", depends_on=[construct])

# A ValidationError is a ValueError and a TypeError.
error: ValueError = ValidationError("subject", [])
type_error: TypeError = ValidationError("subject", [])

# CDK Terrain: the same names, typed as the cdktn classes.
terrain_stack = cdktn.TerraformStack(cdktn.App(), "terrain")
terrain.OpenaiProvider(terrain_stack, "openai")
terrain_thread: terrain.OpenaiThread = terrain.OpenaiThread(terrain_stack, "thread")
terrain_construct: terrain.ThreadRunConstruct = terrain.ThreadRunConstruct(
    terrain_stack, "construct", assistant_id="asst_1", messages=[{"role": "user", "content": "Hi"}]
)
terrain_run: terrain.OpenaiThreadRun = terrain_construct.run
terrain_run.temperature = 0.3
terrain_thread_of_construct: terrain.OpenaiThread | None = terrain_construct.thread
terrain_final: terrain.DataOpenaiRun | None = terrain_construct.final_run
terrain_total: float = terrain_construct.usage.lookup("total_tokens")
terrain_resource: cdktn.TerraformResource = terrain_run
terrain_imported: cdktn.ImportableResource = terrain.OpenaiThread.generate_config_for_import(
    terrain_stack, "imported", "thread_abc"
)
