"""A run on OpenAI's Responses API (``POST /responses``), and the response read back as the run's outcome.

The request is stateless: the thread's messages, in order and with their roles, are the ``input`` (a message that
is only text is sent as a string; one with images as input parts), followed by the function calls of earlier steps
of the run and their outputs. The run's settings map as follows:

- ``instructions`` (the assistant's or the run's, with ``additional_instructions``) -> ``instructions``;
- function tools -> ``{"type": "function", "name", "description", "parameters", "strict"}``; ``code_interpreter``
  -> ``{"type": "code_interpreter", "container": {"type": "auto"}}`` (an automatic container);
- ``max_completion_tokens`` -> ``max_output_tokens``; ``response_format`` -> ``text.format``;
  ``reasoning_effort`` -> ``reasoning.effort``; ``temperature``, ``top_p``, ``metadata``, ``tool_choice`` and
  ``parallel_tool_calls`` keep their names (a tool choice naming a function is flattened).
"""

from __future__ import annotations

from typing import Any

from ..json_values import JSONObject, as_count, as_object, as_text, objects
from .conversation import (
    Answer,
    CodeRun,
    FunctionCall,
    Outcome,
    Refused,
    RunRequest,
    ToolCallsNeeded,
    Turn,
    Usage,
)

NAME = "responses"
PATH = "/responses"
_FAILURE_CODES = frozenset({"server_error", "rate_limit_exceeded", "invalid_prompt"})


def request_body(run: RunRequest) -> JSONObject:
    """Return the ``CreateResponse`` body that asks the upstream for ``run``."""
    body: JSONObject = {"model": run.model, "input": _input(run)}
    if run.instructions:
        body["instructions"] = run.instructions
    if run.tools:
        body["tools"] = [_tool(tool) for tool in run.tools]
    settings = run.settings
    for name in ("temperature", "top_p", "metadata", "parallel_tool_calls"):
        if name in settings:
            body[name] = settings[name]
    if "max_completion_tokens" in settings:
        body["max_output_tokens"] = settings["max_completion_tokens"]
    if "response_format" in settings:
        body["text"] = {"format": _text_format(settings["response_format"])}
    if "tool_choice" in settings:
        body["tool_choice"] = _tool_choice(settings["tool_choice"])
    if "reasoning_effort" in settings:
        body["reasoning"] = {"effort": settings["reasoning_effort"]}
    return body


def outcome(response: JSONObject) -> Outcome:
    """Read a ``Response`` object as the run's outcome."""
    texts: list[str] = []
    calls: list[FunctionCall] = []
    code_runs: list[CodeRun] = []
    for item in objects(response.get("output")):
        kind = item.get("type")
        if kind == "message":
            for part in objects(item.get("content")):
                if part.get("type") == "output_text":
                    texts.append(as_text(part.get("text")))
                elif part.get("type") == "refusal":
                    texts.append(as_text(part.get("refusal")))
        elif kind == "function_call":
            arguments = as_text(item.get("arguments")) or "{}"
            calls.append(FunctionCall(as_text(item.get("call_id")), as_text(item.get("name")), arguments))
        elif kind == "code_interpreter_call":
            outputs = objects(item.get("outputs"))
            logs = tuple(as_text(out.get("logs")) for out in outputs if out.get("type") == "logs")
            code_runs.append(CodeRun(as_text(item.get("id")), as_text(item.get("code")), logs))
    usage = _usage(as_object(response.get("usage")))
    status = response.get("status")
    if status == "failed":
        error = as_object(response.get("error"))
        code = as_text(error.get("code"))
        message = as_text(error.get("message"), "no message")
        reported = f"the upstream's response failed ({code or 'no code'}): {message}"
        return Refused(code if code in _FAILURE_CODES else "server_error", reported, usage)
    if status == "incomplete":
        reason = as_text(as_object(response.get("incomplete_details")).get("reason"))
        if reason == "max_output_tokens":
            return Answer(tuple(texts), usage, cut_short=True, code_runs=tuple(code_runs))
        stopped = f"the upstream stopped its answer early ({reason or 'no reason given'})"
        return Refused("invalid_prompt", stopped, usage)
    if calls:
        return ToolCallsNeeded(tuple(calls), usage, tuple(code_runs))
    if status not in (None, "completed"):
        return Refused("server_error", f"the upstream answered a response in status {status!r}", usage)
    return Answer(tuple(texts), usage, code_runs=tuple(code_runs))


def _input(run: RunRequest) -> list[JSONObject]:
    items: list[JSONObject] = [_message(turn) for turn in run.turns]
    for tool_round in run.rounds:
        for call in tool_round.calls:
            items.append(
                {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments}
            )
        for call in tool_round.calls:
            output = tool_round.outputs.get(call.call_id, "")
            items.append({"type": "function_call_output", "call_id": call.call_id, "output": output})
    return items


def _message(turn: Turn) -> JSONObject:
    if turn.only_text or turn.role != "user":
        return {"role": turn.role, "content": "\n\n".join(turn.texts)}
    return {"type": "message", "role": turn.role, "content": [_input_part(part) for part in turn.content]}


def _input_part(part: JSONObject) -> JSONObject:
    if part["type"] == "text":
        return {"type": "input_text", "text": part["text"]["value"]}
    image = part["image_url"]
    return {"type": "input_image", "image_url": image["url"], "detail": image.get("detail") or "auto"}


def _tool(tool: JSONObject) -> JSONObject:
    if tool["type"] == "code_interpreter":
        return {"type": "code_interpreter", "container": {"type": "auto"}}
    function = tool["function"]
    converted: JSONObject = {
        "type": "function",
        "name": function["name"],
        "parameters": function.get("parameters") or {"type": "object", "properties": {}},
        "strict": bool(function.get("strict")),
    }
    if function.get("description"):
        converted["description"] = function["description"]
    return converted


def _text_format(response_format: Any) -> JSONObject:
    """Return ``text.format`` for the Assistants API's ``response_format`` (``json_schema``'s settings flattened)."""
    settings = as_object(response_format)
    if settings.get("type") != "json_schema":
        return {"type": as_text(settings.get("type"), "text")}
    schema = as_object(settings.get("json_schema"))
    return {"type": "json_schema", **schema, "schema": as_object(schema.get("schema"))}


def _tool_choice(choice: Any) -> Any:
    named = as_object(choice)
    if named.get("type") == "function":
        return {"type": "function", "name": as_text(as_object(named.get("function")).get("name"))}
    return choice


def _usage(usage: JSONObject) -> Usage:
    return Usage(as_count(usage.get("input_tokens")), as_count(usage.get("output_tokens")))
