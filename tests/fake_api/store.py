"""In-memory Assistants v2 objects (assistants, threads, messages, runs) and their behaviour.

Objects are plain JSON dicts shaped like the real API's responses. Request bodies
reaching this module have already been validated against the OpenAPI spec, so the
code relies on their shape. The store is not thread-safe: the HTTP server serialises
access to it.

Runs go ``queued`` -> ``in_progress`` -> their outcome (``completed`` unless scripted otherwise,
see :class:`.outcomes.RunOutcome`), driven either by retrievals (``GET`` of the run; one step per
retrieval, the default) or, with ``run_duration_s``, by the time elapsed since the run was created:
``queued`` for the first quarter of the duration (at most :data:`MAX_QUEUED_S`), then ``in_progress``,
then the outcome at ``created + run_duration_s``. A cancelled run answers ``cancelling`` and is
``cancelled`` at its next retrieval. Completing a run appends an assistant message to its thread and
sets ``usage``; runs that end otherwise add no message.
"""

from __future__ import annotations

import copy
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import JSONObject, bad_request, not_found
from .outcomes import COMPLETED, RunOutcome

ACTIVE_RUN_STATUSES = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
RUN_EXPIRY_S = 600
MAX_QUEUED_S = 0.5
DEFAULT_TRUNCATION: JSONObject = {"type": "auto", "last_messages": None}
DEFAULT_FILE_SEARCH: JSONObject = {"ranking_options": {"ranker": "default_2024_08_21", "score_threshold": 0.0}}

_ASSISTANT_FIELDS: JSONObject = {
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
_THREAD_FIELDS: JSONObject = {"metadata": {}, "tool_resources": {}}
_MESSAGE_FIELDS: JSONObject = {"metadata": {}, "attachments": []}
_RUN_FIELDS: JSONObject = {"metadata": {}}


def new_id(prefix: str) -> str:
    """A fresh object id such as ``thread_3f2a...``."""
    return f"{prefix}_{secrets.token_hex(12)}"


Clock = Callable[[], float]


class MonotonicClock:
    """Unix time in (fractional) seconds that advances with :func:`time.monotonic`, so never jumps."""

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def __call__(self) -> float:
        return self._offset + time.monotonic()


def deleted(object_id: str, object_type: str) -> JSONObject:
    """The ``Delete*Response`` body for ``object_type`` (e.g. ``thread.deleted``)."""
    return {"id": object_id, "object": object_type, "deleted": True}


def _pick(body: JSONObject, fields: JSONObject) -> JSONObject:
    """The settable ``fields`` present in ``body``; ``null`` resets a field to its default."""
    return {
        key: copy.deepcopy(default if body[key] is None else body[key])
        for key, default in fields.items()
        if key in body
    }


def _given(body: JSONObject, key: str, fallback: Any) -> Any:
    """``body[key]`` unless absent or ``null``, else ``fallback`` (both deep-copied)."""
    value = body.get(key)
    return copy.deepcopy(fallback if value is None else value)


def normalize_tool(tool: JSONObject) -> JSONObject:
    """A tool as the API echoes it back: only its type and that type's settings, defaults filled in.

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
    """A ``MessageContentTextObject``."""
    return {"type": "text", "text": {"value": value, "annotations": []}}


def message_content(content: str | list[JSONObject]) -> list[JSONObject]:
    """Convert request content (string or parts) to the response's content parts."""
    if isinstance(content, str):
        return [text_part(content)]
    return [text_part(part["text"]) if part["type"] == "text" else copy.deepcopy(part) for part in content]


def message_texts(message: JSONObject) -> list[str]:
    """The text values of a message's content parts."""
    return [part["text"]["value"] for part in message["content"] if part["type"] == "text"]


class Store:
    """All objects of one fake API instance, keyed by id (insertion order = creation order)."""

    def __init__(self, clock: Clock | None = None, *, run_duration_s: float | None = None) -> None:
        if run_duration_s is not None and run_duration_s < 0:
            raise ValueError(f"run_duration_s must be >= 0 or None (got {run_duration_s})")
        self._clock = clock or MonotonicClock()
        self.run_duration_s = run_duration_s
        self.assistants: dict[str, JSONObject] = {}
        self.threads: dict[str, JSONObject] = {}
        self.messages: dict[str, dict[str, JSONObject]] = {}
        self.runs: dict[str, dict[str, JSONObject]] = {}
        self._plans: dict[str, _RunPlan] = {}
        self._scripted: deque[RunOutcome] = deque()

    def _timestamp(self) -> int:
        """Now, in unix seconds (the API's timestamp unit)."""
        return int(self._clock())

    # -- assistants -------------------------------------------------------------------------------

    def create_assistant(self, body: JSONObject) -> JSONObject:
        """Create an assistant from a ``CreateAssistantRequest``."""
        assistant: JSONObject = {"id": new_id("asst"), "object": "assistant", "created_at": self._timestamp()}
        assistant |= copy.deepcopy(_ASSISTANT_FIELDS)
        self.assistants[assistant["id"]] = assistant
        return self._update_assistant(assistant, body)

    def get_assistant(self, assistant_id: str) -> JSONObject:
        """Retrieve an assistant or raise 404."""
        if assistant_id not in self.assistants:
            raise not_found("assistant", assistant_id)
        return self.assistants[assistant_id]

    def list_assistants(self) -> list[JSONObject]:
        """All assistants, oldest first."""
        return list(self.assistants.values())

    def modify_assistant(self, assistant_id: str, body: JSONObject) -> JSONObject:
        """Apply a ``ModifyAssistantRequest``."""
        return self._update_assistant(self.get_assistant(assistant_id), body)

    def delete_assistant(self, assistant_id: str) -> JSONObject:
        """Delete an assistant (its past runs are kept, like the real API)."""
        self.get_assistant(assistant_id)
        del self.assistants[assistant_id]
        return deleted(assistant_id, "assistant.deleted")

    @staticmethod
    def _update_assistant(assistant: JSONObject, body: JSONObject) -> JSONObject:
        assistant |= _pick(body, _ASSISTANT_FIELDS)
        assistant["tools"] = [normalize_tool(tool) for tool in assistant["tools"]]
        return assistant

    # -- threads ----------------------------------------------------------------------------------

    def create_thread(self, body: JSONObject) -> JSONObject:
        """Create a thread from a ``CreateThreadRequest`` (with its initial messages)."""
        thread: JSONObject = {"id": new_id("thread"), "object": "thread", "created_at": self._timestamp()}
        thread |= copy.deepcopy(_THREAD_FIELDS) | _pick(body, _THREAD_FIELDS)
        self.threads[thread["id"]] = thread
        self.messages[thread["id"]] = {}
        self.runs[thread["id"]] = {}
        for message in body.get("messages", []):
            self._add_message(thread["id"], message)
        return thread

    def get_thread(self, thread_id: str) -> JSONObject:
        """Retrieve a thread or raise 404."""
        if thread_id not in self.threads:
            raise not_found("thread", thread_id)
        return self.threads[thread_id]

    def modify_thread(self, thread_id: str, body: JSONObject) -> JSONObject:
        """Apply a ``ModifyThreadRequest``."""
        thread = self.get_thread(thread_id)
        thread |= _pick(body, _THREAD_FIELDS)
        return thread

    def delete_thread(self, thread_id: str) -> JSONObject:
        """Delete a thread together with its messages and runs."""
        self.get_thread(thread_id)
        for table in (self.threads, self.messages, self.runs):
            del table[thread_id]
        return deleted(thread_id, "thread.deleted")

    # -- messages ---------------------------------------------------------------------------------

    def create_message(self, thread_id: str, body: JSONObject) -> JSONObject:
        """Add a message (``CreateMessageRequest``) unless a run is active on the thread."""
        self.get_thread(thread_id)
        active = self.active_run(thread_id)
        if active is not None:
            raise bad_request(f"Can't add messages to {thread_id} while a run {active['id']} is active.")
        return self._add_message(thread_id, body)

    def get_message(self, thread_id: str, message_id: str) -> JSONObject:
        """Retrieve a message of a thread or raise 404."""
        self.get_thread(thread_id)
        if message_id not in self.messages[thread_id]:
            raise not_found("message", message_id)
        return self.messages[thread_id][message_id]

    def modify_message(self, thread_id: str, message_id: str, body: JSONObject) -> JSONObject:
        """Apply a ``ModifyMessageRequest`` (metadata only)."""
        message = self.get_message(thread_id, message_id)
        message |= _pick(body, {"metadata": {}})
        return message

    def delete_message(self, thread_id: str, message_id: str) -> JSONObject:
        """Delete a message from its thread."""
        self.get_message(thread_id, message_id)
        del self.messages[thread_id][message_id]
        return deleted(message_id, "thread.message.deleted")

    def list_messages(self, thread_id: str) -> list[JSONObject]:
        """The thread's messages, oldest first."""
        self.get_thread(thread_id)
        return list(self.messages[thread_id].values())

    def _add_message(self, thread_id: str, body: JSONObject, **overrides: Any) -> JSONObject:
        message: JSONObject = {
            "id": new_id("msg"),
            "object": "thread.message",
            "created_at": self._timestamp(),
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
        message |= copy.deepcopy(_MESSAGE_FIELDS) | _pick(body, _MESSAGE_FIELDS) | overrides
        self.messages[thread_id][message["id"]] = message
        return message

    # -- runs -------------------------------------------------------------------------------------

    def create_run(self, thread_id: str, body: JSONObject) -> JSONObject:
        """Start a run (``CreateRunRequest``) on an existing thread."""
        self.get_thread(thread_id)
        assistant = self.get_assistant(body["assistant_id"])
        active = self.active_run(thread_id)
        if active is not None:
            raise bad_request(f"Thread {thread_id} already has an active run {active['id']}.")
        _reject_streaming(body)
        for message in body.get("additional_messages") or []:
            self._add_message(thread_id, message)
        return self._add_run(thread_id, assistant, body)

    def create_thread_and_run(self, body: JSONObject) -> JSONObject:
        """Create a thread (``body["thread"]``) and start a run on it."""
        assistant = self.get_assistant(body["assistant_id"])
        _reject_streaming(body)
        thread = self.create_thread(body.get("thread", {}))
        return self._add_run(thread["id"], assistant, body)

    def get_run(self, thread_id: str, run_id: str) -> JSONObject:
        """Retrieve a run of a thread or raise 404 (brought up to date, but not advanced a step)."""
        self.get_thread(thread_id)
        if run_id not in self.runs[thread_id]:
            raise not_found("run", run_id)
        return self._catch_up(self.runs[thread_id][run_id])

    def poll_run(self, thread_id: str, run_id: str) -> JSONObject:
        """Retrieve a run; a cancelling run becomes cancelled, and without a run duration it advances a step."""
        run = self.get_run(thread_id, run_id)
        plan = self._plans[run["id"]]
        if run["status"] == "cancelling":
            self._end(run, RunOutcome.cancelled(), self._clock())
        elif self.run_duration_s is None and run["status"] == "queued" and plan.outcome.status != "queued":
            self._start(run, self._clock())
        elif self.run_duration_s is None and run["status"] == "in_progress" and plan.outcome.finishes:
            self._end(run, plan.outcome, self._clock())
        return run

    def list_runs(self, thread_id: str) -> list[JSONObject]:
        """The thread's runs, oldest first."""
        self.get_thread(thread_id)
        return [self._catch_up(run) for run in self.runs[thread_id].values()]

    def modify_run(self, thread_id: str, run_id: str, body: JSONObject) -> JSONObject:
        """Apply a ``ModifyRunRequest`` (metadata only)."""
        run = self.get_run(thread_id, run_id)
        run |= _pick(body, _RUN_FIELDS)
        return run

    def cancel_run(self, thread_id: str, run_id: str) -> JSONObject:
        """Ask an active run to cancel: it answers ``cancelling``, the next retrieval ``cancelled``."""
        run = self.get_run(thread_id, run_id)
        if run["status"] not in ACTIVE_RUN_STATUSES - {"cancelling"}:
            raise bad_request(f"Cannot cancel run with status '{run['status']}'.")
        run["status"] = "cancelling"
        return run

    def submit_tool_outputs(self, thread_id: str, run_id: str) -> JSONObject:
        """Tool outputs are always refused (the fake cannot continue a run that requires action)."""
        run = self.get_run(thread_id, run_id)
        if run["status"] == "requires_action":
            raise bad_request("The fake Assistants API does not implement submitting tool outputs.")
        raise bad_request(f'Runs in status "{run["status"]}" do not accept tool outputs.')

    def active_run(self, thread_id: str) -> JSONObject | None:
        """The thread's queued/in-progress/requires-action/cancelling run, if any."""
        return next((run for run in self.list_runs(thread_id) if run["status"] in ACTIVE_RUN_STATUSES), None)

    def script_outcomes(self, *outcomes: RunOutcome) -> None:
        """Make the next runs end as ``outcomes`` (one each, in creation order); later runs complete."""
        self._scripted.extend(outcomes)

    def _add_run(self, thread_id: str, assistant: JSONObject, body: JSONObject) -> JSONObject:
        created = self._clock()
        created_at = int(created)
        run: JSONObject = {
            "id": new_id("run"),
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
        run |= _effective_run_settings(assistant, body)
        self.runs[thread_id][run["id"]] = run
        outcome = self._scripted.popleft() if self._scripted else COMPLETED
        self._plans[run["id"]] = _RunPlan(outcome, created)
        return run

    def _catch_up(self, run: JSONObject) -> JSONObject:
        """With a run duration: move a queued or in-progress run to where the elapsed time puts it."""
        duration = self.run_duration_s
        if duration is None or run["status"] not in {"queued", "in_progress"}:
            return run
        plan, now = self._plans[run["id"]], self._clock()
        started, ends = plan.created + min(MAX_QUEUED_S, duration / 4), plan.created + duration
        if run["status"] == "queued" and plan.outcome.status != "queued" and now >= started:
            self._start(run, started)
        if run["status"] == "in_progress" and plan.outcome.finishes and now >= ends:
            self._end(run, plan.outcome, ends)
        return run

    def _start(self, run: JSONObject, at: float) -> None:
        run["status"] = "in_progress"
        run["started_at"] = int(at)

    def _end(self, run: JSONObject, outcome: RunOutcome, at: float) -> None:
        """End ``run`` with ``outcome`` at clock time ``at``: its fields, usage, and the reply if it completed."""
        history = list(self.messages[run["thread_id"]].values())
        reply = _reply_text(history)
        run |= outcome.end_fields(int(at), new_id)
        if outcome.has_usage:  # a run that did not complete wrote no reply
            run["usage"] = _usage(run["instructions"], history, reply if outcome.status == "completed" else "")
        if outcome.status == "completed":
            self._add_message(
                run["thread_id"],
                {"role": "assistant", "content": reply},
                assistant_id=run["assistant_id"],
                run_id=run["id"],
                created_at=int(at),
                completed_at=int(at),
            )


@dataclass(frozen=True)
class _RunPlan:
    """What the store knows about a run that the API does not show: how it ends and when it was created."""

    outcome: RunOutcome
    created: float


def _reject_streaming(body: JSONObject) -> None:
    if body.get("stream"):
        raise bad_request("The fake Assistants API does not implement streaming (stream=true).", "stream")


def _effective_run_settings(assistant: JSONObject, body: JSONObject) -> JSONObject:
    """What a new run uses: the request's values, else the assistant's, else API defaults."""
    instructions = _given(body, "instructions", assistant["instructions"] or "")
    if body.get("additional_instructions"):
        instructions = "\n\n".join(filter(None, [instructions, body["additional_instructions"]]))
    tools = body.get("tools")
    return {
        "model": _given(body, "model", assistant["model"]),
        "instructions": instructions,
        "tools": copy.deepcopy(assistant["tools"]) if tools is None else [normalize_tool(t) for t in tools],
        "metadata": _given(body, "metadata", {}),
        "temperature": _given(body, "temperature", assistant["temperature"]),
        "top_p": _given(body, "top_p", assistant["top_p"]),
        "max_completion_tokens": body.get("max_completion_tokens"),
        "max_prompt_tokens": body.get("max_prompt_tokens"),
        "truncation_strategy": _given(body, "truncation_strategy", DEFAULT_TRUNCATION),
        "response_format": _given(body, "response_format", assistant["response_format"]),
        "tool_choice": _given(body, "tool_choice", "auto"),
        "parallel_tool_calls": _given(body, "parallel_tool_calls", True),
        "reasoning_effort": _given(body, "reasoning_effort", assistant["reasoning_effort"]),
    }


def _reply_text(history: list[JSONObject]) -> str:
    """The fake assistant's deterministic answer: it echoes the latest user message."""
    user_texts = [" ".join(message_texts(m)) for m in history if m["role"] == "user"]
    return f"Fake reply to: {user_texts[-1]}" if user_texts else "Fake reply."


def _usage(instructions: str, history: list[JSONObject], reply: str) -> JSONObject:
    """Deterministic, nonzero token counts (about four characters per token)."""
    prompt_chars = len(instructions) + sum(len(text) for m in history for text in message_texts(m))
    prompt_tokens = 1 + prompt_chars // 4
    completion_tokens = 1 + len(reply) // 4
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
