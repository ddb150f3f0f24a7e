"""Typed helpers for the nested inputs of :class:`~openai_thread_run.ThreadRunConstruct`.

Every nested input is either a frozen dataclass (``Message``, ``FunctionTool``, ...) or a plain dict in the HCL
module's shape, typed by a ``TypedDict`` (``MessageDict``, ...): editors complete the keys, and mypy or pyright
reject a misspelt key, a role other than ``"user"``/``"assistant"`` or an unknown tool type. A value from
another resource (a token) for ``role`` or ``type`` is accepted at runtime; type it with ``typing.cast``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, NotRequired, TypeAlias, TypedDict

Role: TypeAlias = Literal["user", "assistant"]
"""Who wrote a message the thread starts with."""


@dataclass(frozen=True)
class Message:
    """A message to add to the thread before the run starts.

    :param role: ``"user"`` or ``"assistant"``.
    :param content: the text, sent exactly as written; must not be empty.
    :param metadata: up to 16 string pairs (keys up to 64 characters, values up to 512). Default: none.
    """

    role: Role
    content: str
    metadata: Mapping[str, str] | None = None


class MessageDict(TypedDict):
    """A message in the HCL module's shape: ``{"role": ..., "content": ..., "metadata": {...}}``."""

    role: Role
    content: str
    metadata: NotRequired[Mapping[str, str]]


@dataclass(frozen=True)
class FunctionDefinition:
    """A function the model may call.

    :param name: 1-64 characters from ``a-z A-Z 0-9 _ -``.
    :param description: what the function does, for the model, sent exactly as written. Default: none.
    :param parameters: JSON Schema object of the arguments, as a dict or a JSON string. Default: none.
    """

    name: str
    description: str | None = None
    parameters: Mapping[str, Any] | str | None = None


@dataclass(frozen=True)
class FunctionTool:
    """A function tool for the run: ``{"type": "function", "function": {...}}``."""

    function: FunctionDefinition
    type: Literal["function"] = "function"


@dataclass(frozen=True)
class CodeInterpreterTool:
    """The code interpreter tool for the run: ``{"type": "code_interpreter"}``."""

    type: Literal["code_interpreter"] = "code_interpreter"


class FunctionDict(TypedDict):
    """A function definition in the HCL module's shape: ``{"name": ..., "description": ..., "parameters": ...}``."""

    name: str
    description: NotRequired[str]
    parameters: NotRequired[Mapping[str, Any] | str]


class CodeInterpreterToolDict(TypedDict):
    """``{"type": "code_interpreter"}``."""

    type: Literal["code_interpreter"]


class FunctionToolDict(TypedDict):
    """``{"type": "function", "function": {"name": ..., "description": ..., "parameters": ...}}``."""

    type: Literal["function"]
    function: FunctionDict


ToolDict: TypeAlias = CodeInterpreterToolDict | FunctionToolDict
"""A tool in the HCL module's shape."""


class ResponseFormatDict(TypedDict):
    """A response format: ``{"type": "text"}`` or ``{"type": "json_object"}``."""

    type: Literal["text", "json_object"]


MessageInput: TypeAlias = Message | MessageDict
"""A message: a :class:`Message` or a dict in the HCL shape."""

ToolInput: TypeAlias = CodeInterpreterTool | FunctionTool | CodeInterpreterToolDict | FunctionToolDict
"""A tool: a :class:`CodeInterpreterTool`, a :class:`FunctionTool` or a dict in the HCL shape."""

ResponseFormatInput: TypeAlias = Literal["auto"] | ResponseFormatDict
"""A response format: ``"auto"``, ``{"type": "text"}`` or ``{"type": "json_object"}``."""
