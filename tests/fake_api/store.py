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

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openai_thread_run.gateway.errors import bad_request, not_found
from openai_thread_run.gateway.json_values import JSONObject
from openai_thread_run.gateway.objects import (
    ACTIVE_RUN_STATUSES,
    MESSAGE_FIELDS,
    RUN_FIELDS,
    THREAD_FIELDS,
    deleted,
    message_texts,
    new_assistant,
    new_id,
    new_message,
    new_run,
    new_thread,
    pick,
    update_assistant,
)

from .outcomes import COMPLETED, RunOutcome

MAX_QUEUED_S = 0.5
Clock = Callable[[], float]


class MonotonicClock:
    """Unix time in (fractional) seconds that advances with :func:`time.monotonic`, so never jumps."""

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def __call__(self) -> float:
        return self._offset + time.monotonic()


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
        assistant = new_assistant(new_id("asst"), self._timestamp(), body)
        self.assistants[assistant["id"]] = assistant
        return assistant

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
        return update_assistant(self.get_assistant(assistant_id), body)

    def delete_assistant(self, assistant_id: str) -> JSONObject:
        """Delete an assistant (its past runs are kept, like the real API)."""
        self.get_assistant(assistant_id)
        del self.assistants[assistant_id]
        return deleted(assistant_id, "assistant.deleted")

    # -- threads ----------------------------------------------------------------------------------

    def create_thread(self, body: JSONObject) -> JSONObject:
        """Create a thread from a ``CreateThreadRequest`` (with its initial messages)."""
        thread = new_thread(new_id("thread"), self._timestamp(), body)
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
        thread |= pick(body, THREAD_FIELDS)
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
        message |= pick(body, {"metadata": MESSAGE_FIELDS["metadata"]})
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
        created_at = overrides.pop("created_at", None) or self._timestamp()
        message = new_message(new_id("msg"), thread_id, created_at, body, **overrides)
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
        run |= pick(body, RUN_FIELDS)
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
        run = new_run(new_id("run"), thread_id, created_at, assistant, body)
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
