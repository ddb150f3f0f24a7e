"""How a run changes as it executes: its API fields at each status, its answer message and its run steps.

Pure functions on JSON dicts, used by the API operations (:mod:`.service`) and the worker's transactions
(:mod:`.run_queue`). A run's ``state`` (kept beside it, not shown by the API) holds what the upstream is sent:
``settings``, the settings the run or its assistant set explicitly (:func:`upstream_settings`); ``rounds``, the
function calls of its earlier steps with their outputs; ``usage``, the tokens used so far.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import bad_request
from .json_values import JSONObject, as_count, as_object, objects
from .objects import new_id, text_part
from .upstream.conversation import CodeRun, FunctionCall, RunRequest, ToolRound, Turn, Usage

#: The run settings sent upstream only when set explicitly (by the run, else its assistant).
EXPLICIT_SETTINGS = ("temperature", "top_p", "response_format", "reasoning_effort")
#: Run settings only a run sets.
RUN_ONLY_SETTINGS = ("max_completion_tokens", "tool_choice", "parallel_tool_calls")
ENDED_AT = {"completed": "completed_at", "failed": "failed_at", "cancelled": "cancelled_at", "incomplete": None}
NO_FILES = "the gateway has no Files API or vector stores, so it cannot take {what}"


def assistant_settings(previous: Mapping[str, Any], body: JSONObject) -> JSONObject:
    """Return the settings an assistant has set explicitly after a create or modify request ``body``."""
    settings = dict(previous)
    for name in EXPLICIT_SETTINGS:
        if name in body:
            if body[name] is None or body[name] == "auto":
                settings.pop(name, None)
            else:
                settings[name] = copy.deepcopy(body[name])
    return settings


def upstream_settings(assistant: Mapping[str, Any], body: JSONObject, metadata: JSONObject) -> JSONObject:
    """Return what a new run sends upstream beyond model, instructions and tools (see :class:`RunRequest`)."""
    settings: JSONObject = {
        name: copy.deepcopy(body[name] if body.get(name) is not None else assistant[name])
        for name in EXPLICIT_SETTINGS
        if body.get(name) is not None or name in assistant
    }
    settings |= {name: copy.deepcopy(body[name]) for name in RUN_ONLY_SETTINGS if body.get(name) is not None}
    if settings.get("response_format") == "auto":
        del settings["response_format"]
    if metadata:
        settings["metadata"] = copy.deepcopy(metadata)
    return settings


def check_supported(body: JSONObject) -> None:
    """Refuse (400) what the gateway cannot do: streaming, ``file_search``, files in tools or messages.

    ``body`` is a request that creates or changes an assistant, thread, message or run.
    """
    if body.get("stream"):
        raise bad_request("The gateway does not stream (stream=true): poll the run instead.", "stream")
    for index, tool in enumerate(objects(body.get("tools"))):
        if tool.get("type") == "file_search":
            raise bad_request(NO_FILES.format(what="a file_search tool"), f"tools[{index}].type")
    if _holds_files(body.get("tool_resources")):
        raise bad_request(NO_FILES.format(what="tool_resources with files"), "tool_resources")
    thread = as_object(body.get("thread"))
    if _holds_files(thread.get("tool_resources")):
        raise bad_request(NO_FILES.format(what="tool_resources with files"), "thread.tool_resources")
    for where in ("messages", "additional_messages"):
        for index, message in enumerate(objects(body.get(where))):
            check_message_supported(message, f"{where}[{index}]")
    for index, message in enumerate(objects(thread.get("messages"))):
        check_message_supported(message, f"thread.messages[{index}]")


def check_message_supported(message: JSONObject, where: str = "") -> None:
    """Refuse (400) a message with attachments or ``image_file`` content: the gateway has no Files API."""
    prefix = f"{where}." if where else ""
    if message.get("attachments"):
        raise bad_request(NO_FILES.format(what="message attachments"), f"{prefix}attachments")
    for index, part in enumerate(objects(message.get("content"))):
        if part.get("type") == "image_file":
            raise bad_request(
                NO_FILES.format(what="image_file content (send an image_url)"), f"{prefix}content[{index}]"
            )


def _holds_files(resources: object) -> bool:
    kinds = [as_object(settings) for settings in as_object(resources).values()]
    return any(bool(value) for settings in kinds for value in settings.values())


def new_state(settings: JSONObject, truncation: JSONObject) -> JSONObject:
    """Return the ``state`` of a new run."""
    last = truncation.get("last_messages") if truncation.get("type") == "last_messages" else None
    return {"settings": settings, "rounds": [], "usage": Usage().as_api(), "last_messages": last}


def run_request(run: JSONObject, state: JSONObject, thread_messages: Sequence[JSONObject]) -> RunRequest:
    """Return what the upstream is asked for ``run``: its thread's messages (all, or the last N), its settings."""
    turns = [Turn(message["role"], tuple(message["content"])) for message in thread_messages]
    last = state.get("last_messages")
    if last:
        turns = turns[-last:]
    rounds = tuple(
        ToolRound(tuple(FunctionCall(**call) for call in tool_round["calls"]), dict(tool_round.get("outputs") or {}))
        for tool_round in state["rounds"]
    )
    return RunRequest(
        model=run["model"],
        instructions=run["instructions"] or "",
        turns=tuple(turns),
        tools=tuple(run["tools"]),
        settings=state["settings"],
        rounds=rounds,
    )


def used(state: JSONObject, more: Usage) -> Usage:
    """Return the tokens a run has used: what its state counted, and ``more``."""
    counted = as_object(state.get("usage"))
    return Usage(as_count(counted.get("prompt_tokens")), as_count(counted.get("completion_tokens"))) + more


def ended(run: JSONObject, status: str, at: int, **fields: Any) -> JSONObject:
    """Return ``run`` ended with ``status`` at unix time ``at`` (``fields``: ``last_error``, ``usage``, ...)."""
    changed = dict(run) | {"status": status, "expires_at": at if status == "expired" else None, "required_action": None}
    if ENDED_AT.get(status):
        changed[ENDED_AT[status]] = at  # type: ignore[index]
    return changed | fields


def step(run: JSONObject, at: int, kind: str, details: JSONObject, usage: Usage | None, status: str) -> JSONObject:
    """Return a run step of ``run``: ``kind`` ``message_creation`` or ``tool_calls``, with ``details``."""
    return {
        "id": new_id("step"),
        "object": "thread.run.step",
        "created_at": at,
        "assistant_id": run["assistant_id"],
        "thread_id": run["thread_id"],
        "run_id": run["id"],
        "type": kind,
        "status": status,
        "step_details": {"type": kind, kind: details} if kind == "message_creation" else {"type": kind} | details,
        "last_error": None,
        "expired_at": None,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": at if status == "completed" else None,
        "metadata": {},
        "usage": None if usage is None else usage.as_api(),
    }


def code_step(run: JSONObject, at: int, code_runs: Sequence[CodeRun]) -> JSONObject:
    """Return the completed ``tool_calls`` step of the code the upstream's interpreter ran."""
    calls = [
        {
            "id": code_run.call_id or new_id("call"),
            "type": "code_interpreter",
            "code_interpreter": {
                "input": code_run.code,
                "outputs": [{"type": "logs", "logs": log} for log in code_run.logs],
            },
        }
        for code_run in code_runs
    ]
    return step(run, at, "tool_calls", {"tool_calls": calls}, None, "completed")


def function_step(run: JSONObject, at: int, calls: Sequence[FunctionCall], usage: Usage) -> JSONObject:
    """Return the in-progress ``tool_calls`` step of function calls the client has to answer."""
    details = [
        {
            "id": call.call_id,
            "type": "function",
            "function": {"name": call.name, "arguments": call.arguments, "output": None},
        }
        for call in calls
    ]
    return step(run, at, "tool_calls", {"tool_calls": details}, usage, "in_progress")


def required_action(calls: Sequence[FunctionCall]) -> JSONObject:
    """Return a run's ``required_action``: the function calls whose outputs it waits for."""
    tool_calls = [
        {"id": call.call_id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}
        for call in calls
    ]
    return {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": tool_calls}}


def answer(run: JSONObject, at: int, texts: Sequence[str], *, cut_short: bool) -> JSONObject:
    """Return the assistant message that answers ``run`` (``incomplete`` when the token cap cut it)."""
    return {
        "id": new_id("msg"),
        "object": "thread.message",
        "created_at": at,
        "thread_id": run["thread_id"],
        "status": "incomplete" if cut_short else "completed",
        "incomplete_details": {"reason": "max_tokens"} if cut_short else None,
        "completed_at": None if cut_short else at,
        "incomplete_at": at if cut_short else None,
        "role": "assistant",
        "content": [text_part(text) for text in texts] or [text_part("")],
        "assistant_id": run["assistant_id"],
        "run_id": run["id"],
        "attachments": [],
        "metadata": {},
    }


def submitted(run: JSONObject, state: JSONObject, outputs: Sequence[JSONObject]) -> tuple[JSONObject, dict[str, str]]:
    """Check the ``tool_outputs`` of a run that requires action (400 unless they answer each call exactly once).

    Returns the state with the outputs recorded, and the outputs by call id.
    """
    pending = [call["call_id"] for call in state["rounds"][-1]["calls"]]
    given = [output["tool_call_id"] for output in outputs if "tool_call_id" in output]
    if sorted(given) != sorted(pending) or len(given) != len(outputs):
        raise bad_request(f"Expected tool outputs for call_ids {pending}, got {given}.", "tool_outputs")
    by_call = {output["tool_call_id"]: output.get("output") or "" for output in outputs}
    changed = copy.deepcopy(state)
    changed["rounds"][-1]["outputs"] = by_call
    return changed, by_call
