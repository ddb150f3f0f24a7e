"""What the tests' local HTTP servers share: lifecycle, request recording, fault injection and the socket layer.

A :class:`LocalServer` listens on ``127.0.0.1`` (an ephemeral port by default) in daemon threads, stops by itself
after ``max_lifetime_s``, records every request with what it answered, answers chosen requests with injected
faults and can stop listening for a while. Subclasses answer requests in :meth:`LocalServer.respond` (one at a
time, under a lock) and may delay them first in :meth:`LocalServer.before` (without the lock).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, cast
from urllib.parse import parse_qs, urlsplit

from openai_thread_run.gateway.checks import API_PREFIX, parse_json
from openai_thread_run.gateway.errors import ApiError
from openai_thread_run.gateway.json_values import JSONObject

from .faults import FaultInjector

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecordedRequest:
    """One request a local server received, and what it answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int
    response_body: Any = None
    #: When it was answered (``time.monotonic()``), to tell how long a client waited between requests.
    answered_at: float = 0.0
    #: When it arrived (``time.monotonic()``), before any latency the server adds.
    received_at: float = 0.0

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Response:
    """A JSON response of a local server."""

    status: int
    payload: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, body: JSONObject, headers: dict[str, str] | None = None) -> Response:
        """Serialise ``body`` (immediately, so later state changes cannot leak into it)."""
        return cls(status, json.dumps(body).encode("utf-8"), headers or {})

    @classmethod
    def error(cls, error: ApiError, headers: dict[str, str] | None = None) -> Response:
        """The OpenAI error envelope for ``error``."""
        return cls.json(error.status, error.body(), headers)


@dataclass(frozen=True)
class Incoming:
    """A received request, parsed once for both processing and recording."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    body_is_json: bool
    received_at: float = 0.0

    @classmethod
    def parse(cls, method: str, target: str, headers: dict[str, str], raw_body: bytes) -> Incoming:
        """Split the target into path and query, lower-case header names, parse the JSON body."""
        split = urlsplit(target)
        body, body_is_json = parse_json(raw_body)
        return cls(
            method=method.upper(),
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers={name.lower(): value for name, value in headers.items()},
            body=body,
            body_is_json=body_is_json,
            received_at=time.monotonic(),
        )

    def record(self, response: Response) -> RecordedRequest:
        """The :class:`RecordedRequest` of this request answered by ``response``."""
        return RecordedRequest(
            method=self.method,
            path=self.path,
            query=self.query,
            headers=self.headers,
            body=self.body,
            status=response.status,
            response_body=json.loads(response.payload),
            answered_at=time.monotonic(),
            received_at=self.received_at,
        )


class LocalServer:
    """A local HTTP server for tests (see the module docstring); subclasses implement :meth:`respond`."""

    #: What logs and errors call it.
    name = "local server"

    def __init__(self, max_lifetime_s: float, *, port: int = 0) -> None:
        """Listen on ``port`` (0: ephemeral) once started; stop by itself after ``max_lifetime_s``."""
        self.max_lifetime_s = max_lifetime_s
        self._requested_port = port
        self._lock = threading.Lock()
        self._lifecycle = threading.Lock()
        self._faults = FaultInjector()
        self._requests: list[RecordedRequest] = []
        self._arrivals = 0
        self._alive = False
        self._server: ThreadingHTTPServer | None = None
        self._timer: threading.Timer | None = None
        self._resume_timer: threading.Timer | None = None
        self._port: int | None = None
        self._stopped = threading.Event()

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind ``127.0.0.1`` (ephemeral port by default) and serve in a daemon thread."""
        with self._lifecycle:
            if self._alive:
                raise RuntimeError(f"the {self.name} is already running")
            self._listen(self._requested_port)
            self._alive = True
            self._stopped.clear()
            self._timer = _daemon_timer(self.max_lifetime_s, self._expire)
        logger.info("%s listening on %s", self.name, self.url)
        return self

    def stop(self) -> None:
        """Stop serving (idempotent, also during a refusal; also called by the lifetime timer)."""
        with self._lifecycle:
            self._alive = False
            server, self._server = self._server, None
            timers = (self._timer, self._resume_timer)
            self._timer = self._resume_timer = None
        for timer in timers:
            if timer is not None:
                timer.cancel()
        if server is not None:
            server.shutdown()
            server.server_close()
        self._stopped.set()

    def wait_until_stopped(self, timeout: float | None = None) -> bool:
        """Block until the server has stopped (or ``timeout``); return whether it has."""
        return self._stopped.wait(timeout)

    @property
    def is_running(self) -> bool:
        """Whether the server currently accepts connections (not while stopped or refusing them)."""
        return self._server is not None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _expire(self) -> None:
        logger.warning("%s reached its max lifetime of %ss; stopping", self.name, self.max_lifetime_s)
        self.stop()

    def _listen(self, port: int) -> None:
        """Bind ``127.0.0.1:port`` and serve it in a daemon thread (call with the lifecycle lock held)."""
        server = _HTTPServer(("127.0.0.1", port), _RequestHandler, self)
        self._server, self._port = server, server.server_address[1]
        threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name=self.name, daemon=True
        ).start()

    def _refuse_for(self, seconds: float) -> None:
        """Close the listening socket (new connections are refused) and listen again after ``seconds``.

        Runs in a request's handler thread before that request is answered, so its client can only
        connect again once connections are refused.
        """
        with self._lifecycle:
            server, self._server = self._server, None
            if server is None:
                return
            server.shutdown()
            server.socket.close()  # not server_close(): that would join this handler thread
            self._resume_timer = _daemon_timer(seconds, self._resume)
        logger.info("%s refuses connections for %ss", self.name, seconds)

    def _resume(self) -> None:
        with self._lifecycle:
            if not self._alive or self._server is not None:
                return
            self._resume_timer = None
            try:
                self._listen(self.port)
            except OSError:
                logger.exception("%s could not listen on port %s again; stopping", self.name, self.port)
                self._alive = False
        if not self._alive:
            self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port."""
        if self._port is None:
            raise RuntimeError(f"the {self.name} has not been started")
        return self._port

    @property
    def url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:54321/v1``."""
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def arrivals(self) -> int:
        """How many requests have arrived so far, answered or not (a request is recorded once answered)."""
        with self._lock:
            return self._arrivals

    @property
    def requests(self) -> list[RecordedRequest]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_matching(self, method: str, path_regex: str) -> list[RecordedRequest]:
        """Recorded requests with this method whose path (``/v1/...``) matches ``re.search(path_regex)``."""
        pattern = re.compile(path_regex)
        return [r for r in self.requests if r.method == method.upper() and pattern.search(r.path)]

    def inject_fault(
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
        """Answer the ``nth`` (and the next ``times - 1``) matching requests with ``status``.

        Matching requests are counted from now on; ``path_regex`` is searched in the path
        (``/v1/...``, no query). Faulted requests change no state and are still recorded.
        ``message`` replaces the error's message; ``retry_after`` is the ``Retry-After`` header of
        429 answers (seconds, or an HTTP date as a string; None sends none).
        """
        with self._lock:
            self._faults.add(method, path_regex, status, nth=nth, times=times, message=message, retry_after=retry_after)

    def refuse_connections_after(self, method: str, path_regex: str, *, nth: int = 1, seconds: float) -> None:
        """Once the ``nth`` matching request (counted from now) is answered, refuse connections for ``seconds``.

        The server stops listening (new connections get ``ECONNREFUSED``), then listens again on the
        same port with its state intact. :meth:`stop` and the max lifetime still stop it meanwhile.
        """
        with self._lock:
            self._faults.add_refusal(method, path_regex, nth=nth, seconds=seconds)

    def forget(self) -> None:
        """Forget recorded requests, pending faults and refusals (a subclass resets its own state too)."""
        with self._lock:
            self._requests.clear()
            self._arrivals = 0
            self._faults.clear()

    # -- request processing -----------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], raw_body: bytes) -> Response:
        """Process one HTTP request (independent of the socket layer) and record it."""
        incoming = Incoming.parse(method, target, headers, raw_body)
        with self._lock:
            self._arrivals += 1
        self.before(incoming)
        with self._lock:
            fault = self._faults.check(incoming.method, incoming.path)
            response = self.respond(incoming) if fault is None else Response.error(*fault.answer())
            response.headers.setdefault("x-request-id", f"req_{secrets.token_hex(16)}")
            self._requests.append(incoming.record(response))
            refuse_s = self._faults.refusal_after(incoming.method, incoming.path)
        if refuse_s is not None:
            self._refuse_for(refuse_s)
        return response

    def before(self, incoming: Incoming) -> None:
        """Run before a request is answered, without the lock (e.g. to take time): nothing by default."""

    def respond(self, incoming: Incoming) -> Response:
        """Answer one request (called with the lock held)."""
        raise NotImplementedError


def _daemon_timer(seconds: float, function: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(seconds, function)
    timer.daemon = True
    timer.start()
    return timer


class _HTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that knows the local server it serves."""

    daemon_threads = True
    #: Connections waiting to be accepted (socketserver's default, 5, resets clients that open 50 at once).
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], api: LocalServer):
        self.api = api
        super().__init__(address, handler)


class _RequestHandler(BaseHTTPRequestHandler):
    """Adapts HTTP requests to :meth:`LocalServer.handle` (one request per connection)."""

    server_version = "FakeOpenAI/1.0"

    def _dispatch(self) -> None:
        api = cast(_HTTPServer, self.server).api
        response = api.handle(self.command, self.path, self._headers(), self._read_body())
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(response.payload)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.payload)

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _dispatch

    def _headers(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return merged

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _read_chunked(self) -> bytes:
        chunks = []
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline().strip():  # trailers, up to the blank line
            pass
        return b"".join(chunks)

    def log_message(self, format: str, *args: Any) -> None:
        """Route the stdlib access log to :mod:`logging` instead of stderr."""
        logger.debug("%s - %s", self.address_string(), format % args)
