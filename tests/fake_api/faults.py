"""Fault injection: make chosen requests fail with an OpenAI-shaped error instead of being handled."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Fault:
    """Fail the ``nth`` .. ``nth + times - 1``-th requests matching ``method`` and ``pattern``."""

    method: str
    pattern: re.Pattern[str]
    status: int
    nth: int
    times: int
    seen: int = 0

    def count(self, method: str, path: str) -> bool:
        """Count the request if it matches; return whether it must be faulted."""
        if method != self.method or self.pattern.search(path) is None:
            return False
        self.seen += 1
        return self.nth <= self.seen < self.nth + self.times

    @property
    def exhausted(self) -> bool:
        """Whether no future request can be faulted by this fault any more."""
        return self.seen >= self.nth + self.times - 1


class FaultInjector:
    """The active faults of one fake API (not thread-safe: the server serialises access)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, method: str, path_regex: str, status: int, *, nth: int = 1, times: int = 1) -> None:
        """Register a fault; counting of matching requests starts now."""
        if nth < 1 or times < 1:
            raise ValueError(f"nth and times must be >= 1 (got nth={nth}, times={times})")
        if not 400 <= status <= 599:
            raise ValueError(f"a fault status must be an HTTP error status (got {status})")
        self._faults.append(Fault(method.upper(), re.compile(path_regex), status, nth, times))

    def check(self, method: str, path: str) -> int | None:
        """Count this request against every fault; return the status of the first that fires."""
        fired = [fault.status for fault in self._faults if fault.count(method, path)]
        self._faults = [fault for fault in self._faults if not fault.exhausted]
        return fired[0] if fired else None

    def clear(self) -> None:
        """Drop all faults."""
        self._faults.clear()
