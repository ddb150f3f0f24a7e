"""Starting the gateway: settings -> store, service, worker and app -> uvicorn on a socket bound first.

:func:`serve` is what the command runs. It prepares the database before it listens (a database it cannot use
stops it with one line), binds the socket itself so that ``--port 0`` can print the port it got, prints the URL
as the first line on stdout, logs one start line (where it listens, what upstream and database it uses; no
secret), and serves until SIGINT or SIGTERM. On stop, the runs it was executing go back to the queue.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import uvicorn
from starlette.applications import Starlette

from .._version import __version__
from .app import create_app
from .keys import ClientKeys, RedactingFilter, Redactor
from .run_queue import RunQueue
from .service import Service
from .settings import Settings, base_url
from .spec import load_spec
from .store import DatabaseError, Store, open_store
from .upstream import APIS
from .upstream.client import UpstreamClient
from .worker import Worker

logger = logging.getLogger("openai_thread_run.gateway")
LISTEN_BACKLOG = 2048
KEEP_ALIVE_S = 120


@dataclass
class Gateway:
    """One gateway process's parts: its store, service, worker and ASGI app."""

    settings: Settings
    store: Store
    service: Service
    worker: Worker
    upstream: UpstreamClient
    app: Starlette


def build(settings: Settings, store: Store, redact: Redactor) -> Gateway:
    """Assemble the gateway for ``settings`` on a prepared ``store``."""
    upstream = UpstreamClient(
        APIS[settings.upstream_api],
        settings.upstream_url,
        api_key=settings.upstream_api_key,
        headers=dict(settings.upstream_headers),
        timeout_s=settings.upstream_timeout_s,
        max_connections=settings.concurrency,
        redact=redact,
    )
    worker = Worker(
        RunQueue(store),
        upstream,
        concurrency=settings.concurrency,
        lease_s=settings.lease_s,
        poll_interval_s=settings.poll_interval_s,
    )
    service = Service(
        store,
        run_expires_after_s=settings.run_expires_after_s,
        dispatch_run=worker.dispatch_run,
        on_run_cancelling=worker.cancel_run,
    )

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncGenerator[None]:
        worker.start()
        try:
            yield
        finally:
            await worker.stop()
            await upstream.aclose()

    app = create_app(service, ClientKeys(settings.client_keys), load_spec(), lifespan)
    return Gateway(settings, store, service, worker, upstream, app)


def configure_logging(level: str, redact: Redactor) -> None:
    """Log to stderr at ``level``, every line through ``redact``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(redact))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    if level != "debug":  # httpx logs every upstream request at info; the worker logs each run's end instead
        logging.getLogger("httpx").setLevel(logging.WARNING)


def listen(host: str, port: int) -> socket.socket:
    """Return a listening TCP socket on ``host:port`` (port 0: one the system picks)."""
    family, kind, protocol, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    server = socket.socket(family, kind, protocol)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(address)
    server.listen(LISTEN_BACKLOG)
    return server


def start_line(settings: Settings, store: Store, url: str, schema: int) -> str:
    """Return the one line logged on start: where the gateway listens and what it talks to (no secret)."""
    key = "a key from OTR_UPSTREAM_API_KEY" if settings.upstream_api_key else "no key"
    headers = ", ".join(name for name, _ in settings.upstream_headers)
    return (
        f"openai-thread-run-gateway {__version__} listening on {url}; upstream: {settings.upstream_api} API at"
        f" {settings.upstream_url} ({key}{'; headers ' + headers if headers else ''}); database: {store.url}"
        f" ({store.kind}, schema {schema}); {len(settings.client_keys)} client key(s); up to"
        f" {settings.concurrency} runs at once; runs expire after {settings.run_expires_after_s:g} s"
    )


def serve(settings: Settings) -> int:
    """Run the gateway until it is stopped; return the exit status."""
    redact = Redactor(settings.secrets)
    configure_logging(settings.log_level, redact)
    try:
        store = open_store(settings.database)
        schema = store.prepare()
    except DatabaseError as error:
        logger.error("cannot use the database: %s", error)
        return 1
    except Exception as error:  # the driver's own errors: refused connections, bad credentials, ...
        logger.error("cannot use the database: %s", error)  # (its URL's password is redacted from the log)
        return 1
    try:
        sock = listen(settings.host, settings.port)
    except OSError as error:
        logger.error("cannot listen on %s port %s: %s", settings.host, settings.port, error)
        store.close()
        return 1
    url = base_url(settings.host, sock.getsockname()[1])
    logger.info("%s", start_line(settings, store, url, schema))
    print(url, flush=True)
    gateway = build(settings, store, redact)
    config = uvicorn.Config(
        gateway.app,
        log_config=None,
        access_log=settings.access_log,
        lifespan="on",
        timeout_graceful_shutdown=10,
        # longer than clients keep idle connections (Go's default, which the provider uses, is 90 s), so that a
        # client never sends a request on a connection the gateway is closing at that moment
        timeout_keep_alive=KEEP_ALIVE_S,
        server_header=False,
    )
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        store.close()
    return 0
