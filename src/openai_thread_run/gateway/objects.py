"""The Assistants v2 objects as the API shows them: their fields, defaults, and how a request body sets them.

One place for these shapes, shared by the gateway and the tests' local Assistants API. Request bodies reaching
these functions have been validated against OpenAI's published spec (:mod:`.spec`), so the code relies on
their shape. Objects are plain JSON dicts; timestamps are whole unix seconds, as the API has them.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

from .json_values import JSONObject

#: A run that has not ended: it blocks new runs and new messages on its thread.
ACTIVE_RUN_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
#: How long OpenAI gave a run before it expired (10 minutes).
RUN_EXPIRY_S = 600
DEFAULT_TRUNCATION: JSONObject = {"type": "auto", "last_messages": None}
DEFAULT_FILE_SEARCH: JSONObject = {"ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0}}

#: The settable fields of each object and their defaults.
ASSISTANT_FIELDS: JSONObject = {
    "model": None,
    "name": None,
    "description": None,
    "instructions": None,
    "tools": [],
    "tool_resources": {},
    "metadata": {},
    "temperature": 1.0,
    "top_p": 1.0,
    "response_format": "auto",
    "reasoning_effort": None,
}
THREAD_FIELDS: JSONObject = {"metadata": {}, "tool_resources": {}}
MESSAGE_FIELDS: JSONObject = {"metadata": {}, "attachments": []}
RUN_FIELDS: JSONObject = {"metadata": {}}


def new_id(prefix: str) -> str:
    """Return a fresh object id such as ``thread_3f2a...`` (96 random bits)."""
    return f"{prefix}_{secrets.token_hex(12)}"


def deleted(object_id: str, object_type: str) -> JSONObject:
    """Return the ``Delete*Response`` body for ``object_type`` (e.g. ``thread.deleted``)."""
    return {"id": object_id, "object": object_type, "deleted": True}


def pick(body: JSONObject, fields: JSONObject) -> JSONObject:
    """Return the settable ``fields`` present in ``body``; ``null`` resets a field to its default."""
    return {
        key: copy.deepcopy(default if body[key] is None else body[key])
        for key, default in fields.items()
        if key in body
    }


def given(body: JSONObject, key: str, fallback: Any) -> Any:
    """``body[key]`` unless absent or ``null``, else ``fallback`` (both deep-copied)."""
    value = body.get(key)
    return copy.deepcopy(fallback if value is None else value)


def normalize_tool(tool: JSONObject) -> JSONObject:
    """Return a tool as the API echoes it back: only its type and that type's settings, defaults filled in.

    (The spec lets a tool carry other keys, e.g. the ``"function": []`` provider 1.2.0 adds to every
    tool; the API answers with the tool's own fields only.)
    """
    kind = tool["type"]
    normalized: JSONObject = {"type": kind}
    if kind in tool:
        normalized[kind] = copy.deepcopy(tool[kind])
    if kind == "function":
        normalized["function"].setdefault("strict", False)
    elif kind == "file_search":
        settings = normalized.setdefault("file_search", {})
        for key, value in DEFAULT_FILE_SEARCH.items():
            settings.setdefault(key, copy.deepcopy(value))
    return normalized


def text_part(value: str) -> JSONObject:
    """Return a ``MessageContentTextObject``."""
    return {"type": "text", "text": {"value": value, "annotations": []}}


def message_content(content: str | list[JSONObject]) -> list[JSONObject]:
    """Convert request content (string or parts) to the response's content parts."""
    if isinstance(content, str):
        return [text_part(content)]
    return [text_part(part["text"]) if part["type"] == "text" else copy.deepcopy(part) for part in content]


def message_texts(message: JSONObject) -> list[str]:
    """Return the text values of a message's content parts."""
    return [part["text"]["value"] for part in message["content"] if part["type"] == "text"]


def new_assistant(assistant_id: str, created_at: int, body: JSONObject) -> JSONObject:
    """Make an assistant from a ``CreateAssistantRequest``."""
    assistant: JSONObject = {"id": assistant_id, "object": "assistant", "created_at": created_at}
    assistant |= copy.deepcopy(ASSISTANT_FIELDS)
    return update_assistant(assistant, body)


def update_assistant(assistant: JSONObject, body: JSONObject) -> JSONObject:
    """Apply a ``CreateAssistantRequest`` or ``ModifyAssistantRequest`` to ``assistant`` (in place); return it."""
    assistant |= pick(body, ASSISTANT_FIELDS)
    assistant["tools"] = [normalize_tool(tool) for tool in assistant["tools"]]
    return assistant


def new_thread(thread_id: str, created_at: int, body: JSONObject) -> JSONObject:
    """Make a thread from a ``CreateThreadRequest`` (its ``messages`` are made apart, with :func:`new_message`)."""
    thread: JSONObject = {"id": thread_id, "object": "thread", "created_at": created_at}
    return thread | copy.deepcopy(THREAD_FIELDS) | pick(body, THREAD_FIELDS)


def new_message(message_id: str, thread_id: str, created_at: int, body: JSONObject, **overrides: Any) -> JSONObject:
    """Make a message from a ``CreateMessageRequest``; ``overrides`` set other fields (``run_id``, ...)."""
    message: JSONObject = {
        "id": message_id,
        "object": "thread.message",
        "created_at": created_at,
        "thread_id": thread_id,
        "status": "completed",
        "incomplete_details": None,
        "completed_at": None,
        "incomplete_at": None,
        "role": body["role"],
        "content": message_content(body["content"]),
        "assistant_id": None,
        "run_id": None,
    }
    return message | copy.deepcopy(MESSAGE_FIELDS) | pick(body, MESSAGE_FIELDS) | overrides


def new_run(run_id: str, thread_id: str, created_at: int, assistant: JSONObject, body: JSONObject) -> JSONObject:
    """Make a queued run from a ``CreateRunRequest`` (or ``CreateThreadAndRunRequest``) with ``assistant``."""
    run: JSONObject = {
        "id": run_id,
        "object": "thread.run",
        "created_at": created_at,
        "assistant_id": assistant["id"],
        "thread_id": thread_id,
        "status": "queued",
        "started_at": None,
        "expires_at": created_at + RUN_EXPIRY_S,
        "cancelled_at": None,
        "failed_at": None,
        "completed_at": None,
        "required_action": None,
        "last_error": None,
        "incomplete_details": None,
        "usage": None,
        "tool_resources": {},
    }
    return run | effective_run_settings(assistant, body)


def effective_run_settings(assistant: JSONObject, body: JSONObject) -> JSONObject:
    """Return what a new run uses: the request's values, else the assistant's, else API defaults."""
    instructions = given(body, "instructions", assistant["instructions"] or "")
    if body.get("additional_instructions"):
        instructions = "\n\n".join(filter(None, [instructions, body["additional_instructions"]]))
    tools = body.get("tools")
    return {
        "model": given(body, "model", assistant["model"]),
        "instructions": instructions,
        "tools": copy.deepcopy(assistant["tools"]) if tools is None else [normalize_tool(t) for t in tools],
        "metadata": given(body, "metadata", {}),
        "temperature": given(body, "temperature", assistant["temperature"]),
        "top_p": given(body, "top_p", assistant["top_p"]),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "truncation_strategy": given(body, "truncation_strategy", DEFAULT_TRUNCATION),
        "response_format": given(body, "response_format", assistant["response_format"]),
        "tool_choice": given(body, "tool_choice", "auto"),
        "parallel_tool_calls": given(body, "parallel_tool_calls", True),
        "reasoning_effort": given(body, "reasoning_effort", assistant["reasoning_effort"]),
    }


def paginate(items: list[JSONObject], query: JSONObject) -> JSONObject:
    """Return a ``List*Response`` page of ``items`` (oldest first) honouring limit, order, after and before.

    ``order`` (default ``desc``, newest first) orders the list; ``after`` and ``before`` are ids in it that the
    page starts after or ends before (an id not in the list is ignored). With ``before``, the page is the
    ``limit`` items closest to it. ``has_more``: more items lie beyond the page, away from the cursor.
    """
    ordered = items if query.get("order") == "asc" else items[::-1]
    ids = [item["id"] for item in ordered]
    limit = max(int(query.get("limit", 20)), 0)
    after, before = query.get("after"), query.get("before")
    start = ids.index(after) + 1 if after in ids else 0
    if before in ids:
        ordered = ordered[start : max(start, ids.index(before))]
        page = ordered[len(ordered) - limit :] if limit else []
    else:
        ordered = ordered[start:]
        page = ordered[:limit]
    return {
        "object": "list",
        "data": page,
        "first_id": page[0]["id"] if page else None,
        "last_id": page[-1]["id"] if page else None,
        "has_more": len(ordered) > len(page),
    }
