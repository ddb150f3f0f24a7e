"""Example (a): a new thread with two user messages, and a run on it with tools and sampling settings.

The assistant is created with the ``openai_assistant`` binding and knows the ``fetch_examples`` function, as in
the HCL module's example. The run itself is given the code interpreter only: provider 1.2.0 cannot send a
function tool on a run, nor store the function tools a run inherits from its assistant (README, "Known provider
defects"), and Terraform could not answer the run's tool calls anyway.

Nothing secret or environment-specific is synthesized: the provider reads OPENAI_API_KEY and OPENAI_API_URL when
Terraform runs, and so does the waiter that ``terraform apply`` runs until the run has finished.
"""

from __future__ import annotations

import constructs
from cdktf import TerraformOutput, TerraformStack

from openai_thread_run import (
    CodeInterpreterTool,
    FunctionDefinition,
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

    def __init__(self, scope: constructs.Construct, id: str) -> None:
        super().__init__(scope, id)
        OpenaiProvider(self, "openai")
        assistant = OpenaiAssistant(
            self,
            "assistant",
            name="examples-helper",
            model="gpt-4o",
            instructions="You help platform engineers find and explain code examples.",
            tools=[
                {"type": "code_interpreter"},
                {
                    "type": "function",
                    "function": [
                        {
                            "name": FETCH_EXAMPLES.name,
                            "description": FETCH_EXAMPLES.description or "",
                            "parameters": FETCH_EXAMPLES.parameters or {},
                        }
                    ],
                },
            ],
        )
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
            tools=[CodeInterpreterTool()],
            temperature=0.7,
            max_completion_tokens=2048,
        )
        add_run_outputs(self, run)


def add_run_outputs(stack: TerraformStack, run: ThreadRunConstruct) -> None:
    """Expose the module's outputs, final after one apply: ids, status, timestamps, usage and the answer."""
    TerraformOutput(stack, "id", value=run.id)
    TerraformOutput(stack, "thread_id", value=run.thread_id)
    TerraformOutput(stack, "status", value=run.status)
    TerraformOutput(stack, "created_at", value=run.created_at)
    TerraformOutput(stack, "started_at", value=run.started_at)
    TerraformOutput(stack, "completed_at", value=run.completed_at)
    TerraformOutput(stack, "usage", value=run.usage)
    TerraformOutput(stack, "total_tokens", value=run.total_tokens)
    TerraformOutput(stack, "response", value=run.response)
