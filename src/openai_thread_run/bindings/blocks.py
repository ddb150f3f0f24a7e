"""Nested blocks of the bindings, exactly as provider mkdev-me/openai 1.2.0 names them.

Each block has a ``TypedDict`` (what editors complete and type checkers check; a plain dict in the HCL shape is
the same thing) and a :class:`~.schema.Blocks` spec (what is checked at runtime and how it is written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, NotRequired, TypedDict

from .schema import Blocks, Field, JsonText, String, StringList, StringMap


class FunctionBlock(TypedDict):
    """``tools[].function``: a function the model may call."""

    name: str
    """The function name: a-z, A-Z, 0-9, _ and -, at most 64 characters."""
    description: NotRequired[str]
    """What the function does, for the model to decide when to call it."""
    parameters: NotRequired[Mapping[str, Any] | str]
    """The JSON Schema of the arguments: a dict, or a JSON string. Required on openai_assistant, optional on runs."""


class ToolBlock(TypedDict):
    """``tools[]``: ``type`` is code_interpreter or function (with one ``function`` block)."""

    type: Literal["code_interpreter", "function", "retrieval"] | str
    function: NotRequired[Sequence[FunctionBlock]]


class ThreadMessageBlock(TypedDict):
    """``openai_thread.messages[]``: a message the thread starts with."""

    role: Literal["user", "assistant"] | str
    """``user`` or ``assistant``."""
    content: str
    """The text, written exactly as given."""
    file_ids: NotRequired[Sequence[str]]
    """The Assistants v1 field: provider 1.2.0 still sends it and the v2 API rejects it; leave it unset."""
    metadata: NotRequired[Mapping[str, str]]
    """Up to 16 string pairs, written exactly as given."""


class RunThreadAttachmentBlock(TypedDict):
    """``openai_thread_run.thread.messages[].attachments[]``."""

    file_id: str


class RunThreadMessageBlock(TypedDict):
    """``openai_thread_run.thread.messages[]``."""

    role: Literal["user"] | str
    content: str
    metadata: NotRequired[Mapping[str, str]]
    attachments: NotRequired[Sequence[RunThreadAttachmentBlock]]


class RunThreadBlock(TypedDict):
    """``openai_thread_run.thread``: the inline thread (the construct uses a separate openai_thread instead)."""

    messages: NotRequired[Sequence[RunThreadMessageBlock]]
    """The messages the thread starts with, in order."""
    metadata: NotRequired[Mapping[str, str]]
    """Up to 16 string pairs, written exactly as given."""


class ResponseFormatBlock(TypedDict):
    """``openai_thread_run.response_format``: ``type`` is text or json_object."""

    type: Literal["text", "json_object"] | str


class AttachmentToolBlock(TypedDict):
    """``openai_message.attachments[].tools[]``."""

    type: str


class AttachmentBlock(TypedDict):
    """``openai_message.attachments[]``: a file and the tools that may use it."""

    file_id: str
    """The uploaded file (``file-...``)."""
    tools: Sequence[AttachmentToolBlock]


TEXT = String(text=True)
TEXT_MAP = StringMap(text=True)


def function_blocks(*, parameters_required: bool) -> Blocks:
    """Return the ``function`` block of a tool (``parameters`` is required on an assistant, optional on a run)."""
    return Blocks(
        {
            "name": Field(String(), required=True),
            "description": Field(TEXT),
            "parameters": Field(JsonText(), required=parameters_required),
        },
        max_items=1,
        name="function",
    )


def tool_blocks(*, parameters_required: bool) -> Blocks:
    """Return the ``tools`` blocks of an assistant or a run."""
    return Blocks(
        {
            "type": Field(String(), required=True),
            "function": Field(function_blocks(parameters_required=parameters_required)),
        },
        name="tool",
    )


THREAD_MESSAGES = Blocks(
    {
        "role": Field(String(), required=True),
        "content": Field(TEXT, required=True),
        "file_ids": Field(StringList()),
        "metadata": Field(TEXT_MAP),
    },
    name="message",
)
RUN_THREAD = Blocks(
    {
        "messages": Field(
            Blocks(
                {
                    "role": Field(String(), required=True),
                    "content": Field(TEXT, required=True),
                    "metadata": Field(TEXT_MAP),
                    "attachments": Field(Blocks({"file_id": Field(String(), required=True)}, name="attachment")),
                },
                name="message",
            )
        ),
        "metadata": Field(TEXT_MAP),
    },
    single=True,
    name="thread",
)
RESPONSE_FORMAT = Blocks({"type": Field(String(), required=True)}, single=True, name="response format")
ATTACHMENTS = Blocks(
    {
        "file_id": Field(String(), required=True),
        "tools": Field(Blocks({"type": Field(String(), required=True)}, name="tool"), required=True),
    },
    name="attachment",
)
