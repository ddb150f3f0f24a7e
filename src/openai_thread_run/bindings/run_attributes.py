"""The attributes a run has both as the resource ``openai_thread_run`` and as the data source ``openai_run``."""

from __future__ import annotations

from ._base import ElementBase, NumberMap


class RunAttributes(ElementBase):
    """A run's id, status, timestamps and token usage (tokens Terraform knows once the run is created or read)."""

    @property
    def id(self) -> str:
        """Token: the run id (``run_...``)."""
        return self.get_string_attribute("id")

    @property
    def status(self) -> str:
        """Token: the run status as last read (queued, in_progress, completed, failed, expired, ...)."""
        return self.get_string_attribute("status")

    @property
    def created_at(self) -> float:
        """Token: creation time, Unix seconds."""
        return self.get_number_attribute("created_at")

    @property
    def started_at(self) -> float:
        """Token: start time, Unix seconds (unset until the run started)."""
        return self.get_number_attribute("started_at")

    @property
    def completed_at(self) -> float:
        """Token: completion time, Unix seconds (unset until the run completed)."""
        return self.get_number_attribute("completed_at")

    @property
    def usage(self) -> NumberMap:
        """Token map: ``prompt_tokens``, ``completion_tokens``, ``total_tokens``; read one with ``.lookup(key)``."""
        return self._number_map("usage")
