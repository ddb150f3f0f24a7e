"""Example (b): a run on an existing thread that summarizes the conversation so far.

As in the HCL module's own example, the thread is made elsewhere (here with the ``openai_thread`` binding) and
passed by id; the construct adds one message to it and runs on it, and never changes or deletes the thread.
"""

from __future__ import annotations

import constructs
from cdktf import TerraformStack

from openai_thread_run import Message, OpenaiAssistant, OpenaiProvider, OpenaiThread, ThreadRunConstruct

try:  # run as a script from examples/, or imported as examples.existing_thread
    from new_thread import add_run_outputs
except ImportError:  # pragma: no cover
    from examples.new_thread import add_run_outputs  # type: ignore[no-redef]


class ExistingThreadStack(TerraformStack):
    """A conversation that already exists, and a summarizing run on it."""

    def __init__(self, scope: constructs.Construct, id: str) -> None:
        super().__init__(scope, id)
        OpenaiProvider(self, "openai")
        assistant = OpenaiAssistant(
            self,
            "assistant",
            name="summarizer",
            model="gpt-4o-mini",
            instructions="You summarize conversations for the on-call engineer.",
        )
        conversation = OpenaiThread(
            self,
            "conversation",
            messages=[
                {"role": "user", "content": "The deploy of service A failed at 14:02 with a timeout."},
                {"role": "assistant", "content": "Was the database migration still running at that time?"},
                {"role": "user", "content": "Yes, it finished at 14:05 and the retry at 14:06 succeeded."},
            ],
            metadata={"incident": "INC-1042"},
        )
        run = ThreadRunConstruct(
            self,
            "summary",
            assistant_id=assistant.id,
            create_new_thread=False,
            existing_thread_id=conversation.id,
            messages=[Message(role="user", content="Summarize this conversation in two sentences.")],
            instructions="Summarize the conversation: what failed, why, and how it was resolved.",
            metadata={"kind": "summary"},
            top_p=0.9,
            response_format={"type": "text"},
        )
        add_run_outputs(self, run)
