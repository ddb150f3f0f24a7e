"""How a run of the fake ends: completed (the default), another terminal status, or never.

Script the next runs with :meth:`FakeAssistantsAPI.script_run_outcomes`, e.g.::

    api.script_run_outcomes(RunOutcome.failed("rate_limit_exceeded", "You exceeded your current quota."))

The fields each outcome sets follow the spec's ``RunObject`` (e.g. ``last_error.code`` is one of
``server_error``, ``rate_limit_exceeded``, ``invalid_prompt``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openai_thread_run.gateway.json_values import JSONObject

ENDED_AT_FIELD = {"completed": "completed_at", "failed": "failed_at", "cancelled": "cancelled_at"}
STUCK_STATUSES = frozenset({"queued", "in_progress"})


@dataclass(frozen=True)
class RunOutcome:
    """The status a run ends in, with the details that status carries."""

    status: str
    last_error: JSONObject | None = None
    incomplete_details: JSONObject | None = None
    tool_calls: tuple[tuple[str, str], ...] = ()  # (function name, JSON arguments)

    @classmethod
    def completed(cls) -> RunOutcome:
        """The run completes: usage is set and the assistant's reply is added to the thread."""
        return cls("completed")

    @classmethod
    def failed(cls, code: str = "server_error", message: str = "Sorry, something went wrong.") -> RunOutcome:
        """The run fails with ``last_error`` ``{code, message}``."""
        return cls("failed", last_error={"code": code, "message": message})

    @classmethod
    def cancelled(cls) -> RunOutcome:
        """The run is cancelled (by someone else)."""
        return cls("cancelled")

    @classmethod
    def expired(cls) -> RunOutcome:
        """The run expires (``expires_at`` becomes the moment it did)."""
        return cls("expired")

    @classmethod
    def incomplete(cls, reason: str = "max_completion_tokens") -> RunOutcome:
        """The run stops early with ``incomplete_details.reason`` (it still has usage)."""
        return cls("incomplete", incomplete_details={"reason": reason})

    @classmethod
    def requires_action(cls, *calls: tuple[str, Any]) -> RunOutcome:
        """The run waits for the outputs of function calls, given as ``(name, arguments)`` pairs."""
        if not calls:
            raise ValueError("requires_action needs at least one (function name, arguments) tool call")
        return cls("requires_action", tool_calls=tuple((name, json.dumps(arguments)) for name, arguments in calls))

    @classmethod
    def never_finishes(cls, stuck_in: str = "in_progress") -> RunOutcome:
        """The run stays ``queued`` or ``in_progress`` forever (for timeouts)."""
        if stuck_in not in STUCK_STATUSES:
            raise ValueError(f"a run can be stuck in {sorted(STUCK_STATUSES)}, not {stuck_in!r}")
        return cls(stuck_in)

    @property
    def finishes(self) -> bool:
        """Whether the run reaches this outcome's status at all (it does unless it is stuck)."""
        return self.status not in STUCK_STATUSES

    @property
    def has_usage(self) -> bool:
        """Whether a run ending this way reports token usage: every terminal status does.

        OpenAI documents ``usage`` as "null if the run is not in a terminal state (i.e. in_progress, queued,
        etc.)"; ``requires_action`` is not terminal (the run waits for tool outputs).
        """
        return self.status in {"completed", "incomplete", "failed", "cancelled", "expired"}

    def end_fields(self, at: int, new_id: Callable[[str], str]) -> JSONObject:
        """The run fields that change when it ends this way at unix time ``at`` (``new_id`` makes call ids)."""
        fields: JSONObject = {
            "status": self.status,
            "expires_at": None,
            "required_action": None,
            "last_error": copy.deepcopy(self.last_error),
            "incomplete_details": copy.deepcopy(self.incomplete_details),
        }
        if self.status in ENDED_AT_FIELD:
            fields[ENDED_AT_FIELD[self.status]] = at
        elif self.status == "expired":
            fields["expires_at"] = at
        elif self.status == "requires_action":
            del fields["expires_at"]  # still waiting: it expires as planned
            calls = [
                {"id": new_id("call"), "type": "function", "function": {"name": name, "arguments": arguments}}
                for name, arguments in self.tool_calls
            ]
            fields["required_action"] = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": calls}}
        return fields


COMPLETED = RunOutcome.completed()
