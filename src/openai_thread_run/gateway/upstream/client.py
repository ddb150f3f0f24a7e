"""Sending a run to the upstream over HTTP (httpx), retrying what may pass, until the run's deadline.

A request that fails in a way that may pass (no answer, 408, 409, 429, 5xx) is sent again after a backoff that
doubles from :data:`FIRST_BACKOFF_S` up to :data:`MAX_BACKOFF_S` (with jitter), or after the wait the upstream
asked for (``retry-after-ms`` or ``Retry-After``) when that is longer, as long as the next attempt can start
before the run's deadline; then the last error ends the run. An attempt still waiting for its answer at the
deadline ends it too (:class:`DeadlineReached`: the run expires).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Mapping

import httpx

from ..._version import __version__
from ...waiter import retry_after_seconds
from . import UpstreamApi
from .conversation import Outcome, RunRequest, UpstreamError

FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 20.0
USER_AGENT = f"openai-thread-run-gateway/{__version__}"
#: How much of an upstream's error answer a run's ``last_error`` keeps.
MAX_ERROR_CHARS = 1000


class DeadlineReached(Exception):
    """The run's deadline passed before the upstream answered."""


def backoff_s(attempt: int) -> float:
    """Return the wait before retry number ``attempt`` (0 first): doubling from 0.5 s, at most 20 s, half jittered."""
    ceiling = min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2**attempt)
    return float(ceiling / 2 + random.uniform(0, ceiling / 2))


class UpstreamClient:
    """The gateway's connection pool to its upstream, and how one run is sent there."""

    def __init__(
        self,
        api: UpstreamApi,
        base_url: str,
        *,
        api_key: str | None,
        headers: Mapping[str, str],
        timeout_s: float,
        max_connections: int,
        redact: Callable[[str], str],
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """Talk to ``api`` at ``base_url`` (ending in ``/v1`` or wherever the API's paths start).

        ``api_key`` is sent as ``Authorization: Bearer``, ``headers`` with every request (they may set
        ``Authorization`` themselves). ``timeout_s`` bounds one request; ``redact`` removes secrets from the
        upstream's error messages before a run keeps them.
        """
        self.api = api
        self.base_url = base_url
        self._redact = redact
        self._timeout_s = timeout_s
        self._clock = clock
        self._sleep = sleep
        sent = {"User-Agent": USER_AGENT}
        if api_key:
            sent["Authorization"] = f"Bearer {api_key}"
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers=sent | dict(headers),
            timeout=timeout_s,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
        )

    async def execute(self, run: RunRequest, deadline: float) -> Outcome:
        """Ask the upstream for ``run``; return its outcome.

        Raises :class:`UpstreamError` (the last one) when retrying cannot help or cannot start before ``deadline``,
        :class:`DeadlineReached` when the deadline passes first, and :class:`.conversation.UnsupportedRequest` for a
        run this API cannot carry.
        """
        body = self.api.request_body(run)
        attempt = 0
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise DeadlineReached()
            try:
                return await self._attempt(body, min(self._timeout_s, remaining))
            except httpx.TimeoutException:
                if self._clock() >= deadline:
                    raise DeadlineReached() from None
                error = UpstreamError(f"the upstream did not answer within {self._timeout_s:g} s")
            except httpx.TransportError as failure:
                reason = self._redact(str(failure)) or type(failure).__name__
                error = UpstreamError(f"could not reach the upstream: {reason}")
            except UpstreamError as failure:
                error = failure
            if not error.retriable:
                raise error
            delay = max(error.retry_after or 0.0, backoff_s(attempt))
            if self._clock() + delay >= deadline:
                raise error
            await self._sleep(delay)
            attempt += 1

    async def _attempt(self, body: Mapping[str, object], timeout_s: float) -> Outcome:
        response = await self._http.post(self.api.path, json=body, timeout=timeout_s)
        if response.status_code >= 400:
            raise self._error(response)
        try:
            return self.api.outcome(response.json())
        except (ValueError, KeyError, TypeError, AttributeError) as failure:
            raise UpstreamError(
                f"the upstream answered HTTP {response.status_code} with a body the gateway cannot read"
                f" ({type(failure).__name__})",
                status=response.status_code,
            ) from None

    def _error(self, response: httpx.Response) -> UpstreamError:
        try:
            detail = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            detail = response.text.strip() or response.reason_phrase
        detail = self._redact(str(detail))[:MAX_ERROR_CHARS]
        return UpstreamError(
            f"the upstream answered HTTP {response.status_code}: {detail}",
            status=response.status_code,
            retry_after=_retry_after(response.headers),
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()


def _retry_after(headers: httpx.Headers) -> float | None:
    """Return the wait the upstream asked for: ``retry-after-ms`` (OpenAI's), else ``Retry-After``; None if neither."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    return retry_after_seconds(value) if value else None
