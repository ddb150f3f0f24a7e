"""What a run asks of a model, and what the model answered, independent of the upstream API that carries it.

The worker builds a :class:`RunRequest` from the thread's messages and the run's settings; an upstream API module
(:mod:`.responses`, :mod:`.chat_completions`) turns it into its own request body and turns the upstream's answer
into an :data:`Outcome`: an :class:`Answer` (the run completes, or is ``incomplete`` when the token cap cut it),
:class:`ToolCallsNeeded` (the run requires action), or :class:`Refused` (the run fails). Errors talking to the
upstream are :class:`UpstreamError`; a request the upstream API cannot carry is :class:`UnsupportedRequest`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..json_values import JSONObject


@dataclass(frozen=True)
class Turn:
    """One message of the thread: its role (``user`` or ``assistant``) and its content parts, as the API has them."""

    role: str
    content: tuple[JSONObject, ...]

    @property
    def texts(self) -> list[str]:
        """The text of each text part."""
        return [part["text"]["value"] for part in self.content if part["type"] == "text"]

    @property
    def only_text(self) -> bool:
        """Whether every part is text."""
        return all(part["type"] == "text" for part in self.content)


@dataclass(frozen=True)
class FunctionCall:
    """A call of one of the run's function tools, as the model asked for it."""

    call_id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ToolRound:
    """Function calls the model asked for, and the outputs the client submitted (call id -> output)."""

    calls: tuple[FunctionCall, ...]
    outputs: Mapping[str, str]


@dataclass(frozen=True)
class RunRequest:
    """Everything the upstream is asked for one run.

    ``settings`` holds only what the run (or its assistant) set explicitly, in the Assistants API's names and
    shapes: ``temperature``, ``top_p``, ``max_completion_tokens``, ``response_format``, ``tool_choice``,
    ``parallel_tool_calls``, ``reasoning_effort``, ``metadata``; left out, the upstream's defaults apply (some
    models refuse a ``temperature`` at all). ``tools`` are in the Assistants API's shape. ``rounds`` are the
    function calls of earlier steps of this run with their outputs, oldest first.
    """

    model: str
    instructions: str
    turns: tuple[Turn, ...]
    tools: tuple[JSONObject, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict[str, Any])
    rounds: tuple[ToolRound, ...] = ()


@dataclass(frozen=True)
class Usage:
    """Token counts the upstream reported for one request."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        """Prompt and completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        """Add up the counts of two requests (a run that called tools made several)."""
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)

    def as_api(self) -> JSONObject:
        """Return the Assistants API's ``usage`` object."""
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }


@dataclass(frozen=True)
class CodeRun:
    """Code the upstream's code interpreter ran while answering, and the logs it printed."""

    call_id: str
    code: str
    logs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """The model answered: the run completes, or is incomplete when ``cut_short`` by the completion-token cap."""

    texts: tuple[str, ...]
    usage: Usage
    cut_short: bool = False
    code_runs: tuple[CodeRun, ...] = ()


@dataclass(frozen=True)
class ToolCallsNeeded:
    """The model asked for function calls: the run requires action (the client submits their outputs)."""

    calls: tuple[FunctionCall, ...]
    usage: Usage
    code_runs: tuple[CodeRun, ...] = ()


@dataclass(frozen=True)
class Refused:
    """The upstream answered, but with no usable answer: the run fails with ``last_error`` ``{code, message}``."""

    code: str
    message: str
    usage: Usage = Usage()


Outcome = Answer | ToolCallsNeeded | Refused


class UpstreamError(Exception):
    """A request to the upstream failed: an HTTP error status, or no answer at all (``status`` None)."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        """``retry_after``: the seconds the upstream asked to wait before trying again, if it said."""
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after

    @property
    def retriable(self) -> bool:
        """Whether trying again may succeed: no answer, 408, 409, 429 and 5xx (as OpenAI's SDKs retry)."""
        return self.status is None or self.status in (408, 409, 429) or self.status >= 500

    @property
    def code(self) -> str:
        """The run's ``last_error.code`` when this error ends it.

        ``rate_limit_exceeded`` for 429; ``invalid_prompt`` for a request the upstream refused as invalid (400,
        413, 422); ``server_error`` otherwise, including the gateway's own configuration (a wrong upstream key is
        401, an unknown model 404).
        """
        if self.status == 429:
            return "rate_limit_exceeded"
        if self.status in (400, 413, 422):
            return "invalid_prompt"
        return "server_error"


class UnsupportedRequest(Exception):
    """The run asks for something the upstream API cannot do (a code interpreter on chat completions)."""
