"""How the fake upstream answers a model request: scripted replies, written in each API's published shape.

A :class:`Reply` is one answer: text (the default echoes the last user message), function calls, an answer the
token cap cut short, code the code interpreter ran, or a failed response. :func:`responses_body` and
:func:`chat_completion_body` write it as the Responses API's ``Response`` object and the Chat Completions API's
``CreateChatCompletionResponse``; the fake's own tests check both against the published spec.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

JSONObject = dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """One answer of the upstream (see the module docstring). ``usage`` is (input, output) tokens, or None to count
    about four characters per token of what was sent and answered."""

    kind: str = "text"
    text: str | None = None
    calls: tuple[tuple[str, str], ...] = ()  # (function name, JSON arguments)
    code: str = ""
    logs: str = ""
    error_code: str = "server_error"
    usage: tuple[int, int] | None = None

    @classmethod
    def answer(cls, text: str, usage: tuple[int, int] | None = None) -> Reply:
        """The model answers ``text``."""
        return cls("text", text, usage=usage)

    @classmethod
    def function_calls(cls, *calls: tuple[str, Any]) -> Reply:
        """The model calls functions, given as ``(name, arguments)``."""
        return cls("calls", calls=tuple((name, json.dumps(arguments)) for name, arguments in calls))

    @classmethod
    def cut_short(cls, text: str) -> Reply:
        """The answer stops at the token cap (Responses: ``incomplete``; chat: ``finish_reason`` ``length``)."""
        return cls("cut_short", text)

    @classmethod
    def code_interpreter(cls, code: str, logs: str, text: str) -> Reply:
        """The code interpreter runs ``code`` (printing ``logs``), then the model answers ``text`` (Responses)."""
        return cls("code", text, code=code, logs=logs)

    @classmethod
    def failed(cls, code: str, message: str) -> Reply:
        """The response fails (Responses: ``status`` ``failed`` with ``error``)."""
        return cls("failed", message, error_code=code)


def default_text(body: JSONObject) -> str:
    """Return the default answer: it names the last user message of a Responses or chat request."""
    items = body.get("input") if "input" in body else body.get("messages")
    texts = [
        _text(item.get("content")) for item in items or [] if isinstance(item, dict) and item.get("role") == "user"
    ]
    return f"Upstream answer to: {texts[-1]}" if texts else "Upstream answer."


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return " ".join(part.get("text", "") for part in content or [] if isinstance(part, dict))


def _usage(reply: Reply, body: JSONObject, text: str) -> tuple[int, int]:
    if reply.usage is not None:
        return reply.usage
    sent = len(json.dumps(body.get("input") or body.get("messages") or "")) + len(str(body.get("instructions") or ""))
    return 1 + sent // 4, 1 + len(text) // 4


def responses_body(reply: Reply, body: JSONObject, created_at: int) -> JSONObject:
    """Write ``reply`` to the ``CreateResponse`` ``body`` as a ``Response`` object."""
    text = reply.text if reply.text is not None else default_text(body)
    output: list[JSONObject] = []
    if reply.kind == "code":
        output.append(
            {
                "type": "code_interpreter_call",
                "id": f"ci_{secrets.token_hex(8)}",
                "status": "completed",
                "container_id": f"cntr_{secrets.token_hex(8)}",
                "code": reply.code,
                "outputs": [{"type": "logs", "logs": reply.logs}],
            }
        )
    if reply.kind == "calls":
        output += [
            {
                "type": "function_call",
                "id": f"fc_{secrets.token_hex(8)}",
                "call_id": f"call_{secrets.token_hex(8)}",
                "name": name,
                "arguments": arguments,
                "status": "completed",
            }
            for name, arguments in reply.calls
        ]
    elif reply.kind != "failed":
        output.append(
            {
                "type": "message",
                "id": f"msg_{secrets.token_hex(8)}",
                "status": "incomplete" if reply.kind == "cut_short" else "completed",
                "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": [], "logprobs": []}],
            }
        )
    prompt, completion = _usage(reply, body, "" if reply.kind == "failed" else text)
    status = {"cut_short": "incomplete", "failed": "failed"}.get(reply.kind, "completed")
    return {
        "id": f"resp_{secrets.token_hex(12)}",
        "object": "response",
        "created_at": created_at,
        "status": status,
        "error": {"code": reply.error_code, "message": text} if reply.kind == "failed" else None,
        "incomplete_details": {"reason": "max_output_tokens"} if reply.kind == "cut_short" else None,
        "instructions": body.get("instructions"),
        "max_output_tokens": body.get("max_output_tokens"),
        "model": body["model"],
        "output": output,
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "previous_response_id": None,
        "temperature": body.get("temperature", 1.0),
        "top_p": body.get("top_p", 1.0),
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools", []),
        "metadata": body.get("metadata", {}),
        "text": body.get("text", {"format": {"type": "text"}}),
        "usage": {
            "input_tokens": prompt,
            "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
            "output_tokens": completion,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": prompt + completion,
        },
    }


def chat_completion_body(reply: Reply, body: JSONObject, created_at: int) -> JSONObject:
    """Write ``reply`` to the ``CreateChatCompletionRequest`` ``body`` as a ``CreateChatCompletionResponse``."""
    text = reply.text if reply.text is not None else default_text(body)
    message: JSONObject = {"role": "assistant", "content": text, "refusal": None, "annotations": []}
    finish_reason = {"cut_short": "length", "calls": "tool_calls"}.get(reply.kind, "stop")
    if reply.kind == "calls":
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": f"call_{secrets.token_hex(8)}",
                "type": "function",
                "function": {"name": name, "arguments": arguments},
            }
            for name, arguments in reply.calls
        ]
    prompt, completion = _usage(reply, body, text if reply.kind != "calls" else "")
    return {
        "id": f"chatcmpl-{secrets.token_hex(12)}",
        "object": "chat.completion",
        "created": created_at,
        "model": body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    }
