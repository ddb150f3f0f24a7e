"""Typed shapes of the nested blocks of the bindings, exactly as provider mkdev-me/openai 1.2.0 names them.

Each is a ``TypedDict``: editors complete the keys, and a plain dict in the HCL shape is the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict


class FunctionBlock(TypedDict):
    """``tools[].function`` of ``openai_assistant`` and ``openai_thread_run``: a function the model may call."""

    name: str
    description: NotRequired[str]
    #: The JSON Schema of the arguments, JSON-encoded. Required on openai_assistant, optional on runs.
    parameters: NotRequired[str]


class ToolBlock(TypedDict):
    """``tools[]``: ``type`` is code_interpreter or function (with one ``function`` block)."""

    type: str
    function: NotRequired[Sequence[FunctionBlock]]


class ThreadMessageBlock(TypedDict):
    """``openai_thread.messages[]``: a message the thread starts with."""

    role: str
    content: str
    #: The Assistants v1 field: provider 1.2.0 still sends it and the v2 API rejects it; leave it unset.
    file_ids: NotRequired[Sequence[str]]
    metadata: NotRequired[Mapping[str, str]]


class RunThreadAttachmentBlock(TypedDict):
    """``openai_thread_run.thread.messages[].attachments[]``."""

    file_id: str


class RunThreadMessageBlock(TypedDict):
    """``openai_thread_run.thread.messages[]``."""

    role: str
    content: str
    metadata: NotRequired[Mapping[str, str]]
    attachments: NotRequired[Sequence[RunThreadAttachmentBlock]]


class RunThreadBlock(TypedDict):
    """``openai_thread_run.thread``: the inline thread (the construct uses a separate openai_thread instead)."""

    messages: NotRequired[Sequence[RunThreadMessageBlock]]
    metadata: NotRequired[Mapping[str, str]]


class ResponseFormatBlock(TypedDict):
    """``openai_thread_run.response_format``: ``type`` is text or json_object."""

    type: str


class AttachmentToolBlock(TypedDict):
    """``openai_message.attachments[].tools[]``."""

    type: str


class AttachmentBlock(TypedDict):
    """``openai_message.attachments[]``: a file and the tools that may use it."""

    file_id: str
    tools: Sequence[AttachmentToolBlock]
