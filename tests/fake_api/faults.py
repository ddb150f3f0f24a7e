"""Fault injection: answer chosen requests with an OpenAI-shaped error, or stop listening after them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus

from openai_thread_run.gateway.errors import INVALID_REQUEST, ApiError

_FAULT_ERRORS: dict[int, tuple[str, str, str | None]] = {
    500: (
        "The server had an error while processing your request. Sorry about that!",
        "server_error",
        None,
    ),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


def fault_error(status: int, message: str | None = None) -> ApiError:
    """The error the real API answers for an injected fault with this HTTP status (``message`` overrides its text)."""
    known = _FAULT_ERRORS.get(status)
    if known is not None:
        default_message, error_type, code = known
        return ApiError(status, message or default_message, error_type=error_type, code=code)
    error_type = "server_error" if status >= 500 else INVALID_REQUEST
    return ApiError(status, message or _status_phrase(status), error_type=error_type)


def _status_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


@dataclass
class RequestCounter:
    """Fires on the ``nth`` .. ``nth + times - 1``-th requests matching ``method`` and ``pattern``."""

    method: str
    pattern: re.Pattern[str]
    nth: int
    times: int
    seen: int = 0

    @classmethod
    def create(cls, method: str, path_regex: str, nth: int, times: int) -> RequestCounter:
        """A counter starting now (``nth`` and ``times`` must be >= 1)."""
        if nth < 1 or times < 1:
            raise ValueError(f"nth and times must be >= 1 (got nth={nth}, times={times})")
        return cls(method.upper(), re.compile(path_regex), nth, times)

    def count(self, method: str, path: str) -> bool:
        """Count the request if it matches; return whether it fires."""
        if method != self.method or self.pattern.search(path) is None:
            return False
        self.seen += 1
        return self.nth <= self.seen < self.nth + self.times

    @property
    def exhausted(self) -> bool:
        """Whether it cannot fire any more."""
        return self.seen >= self.nth + self.times - 1


@dataclass
class Fault:
    """Answer the requests its counter fires on with ``status`` (optionally ``message``, ``Retry-After``)."""

    counter: RequestCounter
    status: int
    message: str | None
    retry_after: int | str | None

    def answer(self) -> tuple[ApiError, dict[str, str]]:
        """The error to answer and its extra headers (``Retry-After`` on 429 unless ``retry_after`` is None)."""
        headers = {"Retry-After": str(self.retry_after)} if self.status == 429 and self.retry_after is not None else {}
        return fault_error(self.status, self.message), headers


@dataclass
class Refusal:
    """After answering the request its counter fires on, refuse connections for ``seconds``."""

    counter: RequestCounter
    seconds: float


class FaultInjector:
    """The active faults and refusals of one fake API (not thread-safe: the server serialises access)."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._refusals: list[Refusal] = []

    def add(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        nth: int = 1,
        times: int = 1,
        message: str | None = None,
        retry_after: int | str | None = 1,
    ) -> None:
        """Register a fault; counting of matching requests starts now."""
        counter = RequestCounter.create(method, path_regex, nth, times)
        if not 400 <= status <= 599:
            raise ValueError(f"a fault status must be an HTTP error status (got {status})")
        self._faults.append(Fault(counter, status, message, retry_after))

    def add_refusal(self, method: str, path_regex: str, *, nth: int = 1, seconds: float) -> None:
        """Register a refusal of connections after the ``nth`` matching request; counting starts now."""
        if seconds <= 0:
            raise ValueError(f"seconds must be > 0 (got {seconds})")
        self._refusals.append(Refusal(RequestCounter.create(method, path_regex, nth, 1), seconds))

    def check(self, method: str, path: str) -> Fault | None:
        """Count this request against every fault; return the first that fires."""
        fired = [fault for fault in self._faults if fault.counter.count(method, path)]
        self._faults = [fault for fault in self._faults if not fault.counter.exhausted]
        return fired[0] if fired else None

    def refusal_after(self, method: str, path: str) -> float | None:
        """Count this request against every refusal; return for how long to refuse once it is answered."""
        fired = [refusal.seconds for refusal in self._refusals if refusal.counter.count(method, path)]
        self._refusals = [refusal for refusal in self._refusals if not refusal.counter.exhausted]
        return max(fired, default=None)

    def clear(self) -> None:
        """Drop all faults and refusals."""
        self._faults.clear()
        self._refusals.clear()
