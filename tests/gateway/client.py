"""A small client of the gateway's Assistants API for the tests (httpx), with the headers provider 1.2.0 sends."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

TERMINAL = frozenset({"completed", "failed", "cancelled", "expired", "incomplete", "requires_action"})


@dataclass(frozen=True)
class Api:
    """The gateway at ``url`` (``http://.../v1``), called with the client key ``key``."""

    url: str
    key: str

    def call(
        self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        """Send one request; return (status, parsed JSON body)."""
        sent = {"Authorization": f"Bearer {self.key}", "OpenAI-Beta": "assistants=v2"} if headers is None else headers
        response = httpx.request(method, self.url + path, json=body, headers=sent, timeout=30)
        return response.status_code, response.json()

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        """Send one request that must succeed; return its body."""
        status, answer = self.call(method, path, body)
        assert status == 200, (method, path, status, answer)
        return answer

    def assistant(self, **fields: Any) -> dict[str, Any]:
        """Create an assistant (model gpt-4o unless given)."""
        created: dict[str, Any] = self.ok("POST", "/assistants", {"model": "gpt-4o", **fields})
        return created

    def thread(self, *messages: tuple[str, str], **fields: Any) -> dict[str, Any]:
        """Create a thread with ``(role, text)`` messages."""
        body = {"messages": [{"role": role, "content": text} for role, text in messages], **fields}
        created: dict[str, Any] = self.ok("POST", "/threads", body)
        return created

    def run(self, thread_id: str, assistant_id: str, **fields: Any) -> dict[str, Any]:
        """Start a run on a thread."""
        created: dict[str, Any] = self.ok(
            "POST", f"/threads/{thread_id}/runs", {"assistant_id": assistant_id, **fields}
        )
        return created

    def wait(self, run: dict[str, Any], *, until: frozenset[str] = TERMINAL, timeout: float = 30) -> dict[str, Any]:
        """Poll ``run`` until its status is one of ``until``; return it."""
        path = f"/threads/{run['thread_id']}/runs/{run['id']}"
        deadline = time.monotonic() + timeout
        while True:
            current: dict[str, Any] = self.ok("GET", path)
            if current["status"] in until:
                return current
            assert time.monotonic() < deadline, f"run still {current['status']} after {timeout} s"
            time.sleep(0.02)

    def messages(self, thread_id: str, query: str = "order=asc&limit=100") -> list[dict[str, Any]]:
        """The thread's messages (oldest first by default)."""
        listed: list[dict[str, Any]] = self.ok("GET", f"/threads/{thread_id}/messages?{query}")["data"]
        return listed
