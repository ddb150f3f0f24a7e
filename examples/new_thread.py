"""Example (a): a new thread with two user messages, and a run on it with tools and sampling settings.

The assistant is created with the ``openai_assistant`` binding. Nothing secret or environment-specific is
synthesized: the provider reads OPENAI_API_KEY and OPENAI_API_URL when Terraform runs.
"""

from __future__ import annotations

import constructs
from cdktf import TerraformOutput, TerraformStack

from openai_thread_run import (
    CodeInterpreterTool,
    FunctionDefinition,
    FunctionTool,
    Message,
    OpenaiAssistant,
    OpenaiProvider,
    ThreadRunConstruct,
)

FETCH_EXAMPLES = FunctionDefinition(
    name="fetch_examples",
    description="Fetch code examples for a topic from the team's example repository.",
    parameters={
        "type": "object",
        "properties": {
            "topic": {"type": "string", "description": "What the examples should show."},
            "limit": {"type": "integer", "minimum": 1, "maximum": 10},
        },
        "required": ["topic"],
    },
)


class NewThreadStack(TerraformStack):
    """A thread created for the run; ``terraform destroy`` deletes it."""

    def __init__(self, scope: constructs.Construct, id: str, *, with_function_tool: bool = True) -> None:
        super().__init__(scope, id)
        OpenaiProvider(self, "openai")
        assistant = OpenaiAssistant(
            self,
            "assistant",
            name="examples-helper",
            model="gpt-4o",
            instructions="You help platform engineers find and explain code examples.",
            tools=[{"type": "code_interpreter"}],
        )
        tools: list[CodeInterpreterTool | FunctionTool] = [CodeInterpreterTool()]
        if with_function_tool:
            tools.append(FunctionTool(FETCH_EXAMPLES))
        run = ThreadRunConstruct(
            self,
            "thread-run",
            assistant_id=assistant.id,
            messages=[
                Message(role="user", content="Show me how to create an OpenAI assistant with Terraform."),
                Message(role="user", content="Then explain how to start a run on a thread."),
            ],
            thread_metadata={"purpose": "examples", "team": "platform"},
            model="gpt-4o",
            instructions="Answer with short, runnable examples.",
            tools=tools,
            temperature=0.7,
            max_completion_tokens=2048,
        )
        add_run_outputs(self, run)


def add_run_outputs(stack: TerraformStack, run: ThreadRunConstruct) -> None:
    """Expose the module's outputs: id, thread_id, status, timestamps and token usage."""
    TerraformOutput(stack, "id", value=run.id)
    TerraformOutput(stack, "thread_id", value=run.thread_id)
    TerraformOutput(stack, "status", value=run.status)
    TerraformOutput(stack, "created_at", value=run.created_at)
    TerraformOutput(stack, "started_at", value=run.started_at)
    TerraformOutput(stack, "completed_at", value=run.completed_at)
    TerraformOutput(stack, "usage", value=run.usage)
