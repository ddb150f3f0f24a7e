"""A run on a Chat Completions API (``POST /chat/completions``), which any OpenAI-compatible server offers.

``messages`` are the run's instructions as a ``system`` message, then the thread's messages in order with their
roles (text as a string; images as content parts), then the function calls of earlier steps of the run (an
``assistant`` message with ``tool_calls``) and their outputs (``tool`` messages). The run's settings map as
follows: function tools -> ``{"type": "function", "function": {...}}``; ``temperature``, ``top_p``,
``max_completion_tokens``, ``response_format``, ``tool_choice``, ``parallel_tool_calls`` and ``reasoning_effort``
keep their names. A ``code_interpreter`` tool (or tool choice) cannot be carried: the run fails with that said
(:class:`.conversation.UnsupportedRequest`). ``metadata`` is not sent (OpenAI accepts it only on stored
completions).
"""

from __future__ import annotations

from typing import Any

from ..json_values import JSONObject, as_count, as_object, as_text, objects
from .conversation import (
    Answer,
    FunctionCall,
    Outcome,
    Refused,
    RunRequest,
    ToolCallsNeeded,
    Turn,
    UnsupportedRequest,
    Usage,
)

NAME = "chat-completions"
PATH = "/chat/completions"
NO_CODE_INTERPRETER = (
    "the gateway's upstream is a Chat Completions API ({url}), which has no code interpreter: give the run no"
    " code_interpreter tool, or start the gateway with --upstream-api responses"
)
_KEPT_SETTINGS = (
    "temperature",
    "top_p",
    "max_completion_tokens",
    "response_format",
    "tool_choice",
    "parallel_tool_calls",
    "reasoning_effort",
)


def request_body(run: RunRequest) -> JSONObject:
    """Return the ``CreateChatCompletionRequest`` body that asks the upstream for ``run``.

    Raises :class:`UnsupportedRequest` for a code interpreter (its message has a ``{url}`` placeholder).
    """
    if any(tool["type"] != "function" for tool in run.tools) or _names_a_hosted_tool(run.settings.get("tool_choice")):
        raise UnsupportedRequest(NO_CODE_INTERPRETER)
    messages: list[JSONObject] = []
    if run.instructions:
        messages.append({"role": "system", "content": run.instructions})
    messages.extend(_message(turn) for turn in run.turns)
    for tool_round in run.rounds:
        messages.append({"role": "assistant", "tool_calls": [_tool_call(call) for call in tool_round.calls]})
        messages.extend(
            {"role": "tool", "tool_call_id": call.call_id, "content": tool_round.outputs.get(call.call_id, "")}
            for call in tool_round.calls
        )
    body: JSONObject = {"model": run.model, "messages": messages}
    if run.tools:
        body["tools"] = [{"type": "function", "function": _function(tool["function"])} for tool in run.tools]
    body |= {name: run.settings[name] for name in _KEPT_SETTINGS if name in run.settings}
    if body.get("response_format") == "auto":
        del body["response_format"]
    return body


def outcome(completion: JSONObject) -> Outcome:
    """Read a ``CreateChatCompletionResponse`` as the run's outcome (its first choice)."""
    usage = _usage(as_object(completion.get("usage")))
    choices = objects(completion.get("choices"))
    if not choices:
        return Refused("server_error", "the upstream answered a chat completion without choices", usage)
    message = as_object(choices[0].get("message"))
    texts = tuple(text for text in (as_text(message.get("content")), as_text(message.get("refusal"))) if text)
    calls: list[FunctionCall] = []
    for call in objects(message.get("tool_calls")):
        function = as_object(call.get("function"))
        if call.get("type", "function") == "function":
            arguments = as_text(function.get("arguments")) or "{}"
            calls.append(FunctionCall(as_text(call.get("id")), as_text(function.get("name")), arguments))
    reason = choices[0].get("finish_reason")
    if reason == "content_filter":
        return Refused("invalid_prompt", "the upstream stopped its answer early (content_filter)", usage)
    if calls:
        return ToolCallsNeeded(tuple(calls), usage)
    return Answer(texts, usage, cut_short=reason == "length")


def _names_a_hosted_tool(choice: Any) -> bool:
    return bool(as_object(choice).get("type", "function") != "function")


def _message(turn: Turn) -> JSONObject:
    if turn.only_text or turn.role != "user":
        return {"role": turn.role, "content": "\n\n".join(turn.texts)}
    parts: list[JSONObject] = []
    for part in turn.content:
        if part["type"] == "text":
            parts.append({"type": "text", "text": part["text"]["value"]})
        else:
            image = part["image_url"]
            detail = image.get("detail") or "auto"
            parts.append({"type": "image_url", "image_url": {"url": image["url"], "detail": detail}})
    return {"role": turn.role, "content": parts}


def _tool_call(call: FunctionCall) -> JSONObject:
    return {"id": call.call_id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}


def _function(function: JSONObject) -> JSONObject:
    return {key: function[key] for key in ("name", "description", "parameters", "strict") if key in function}


def _usage(usage: JSONObject) -> Usage:
    return Usage(as_count(usage.get("prompt_tokens")), as_count(usage.get("completion_tokens")))
