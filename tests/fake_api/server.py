"""A local HTTP server imitating OpenAI's Assistants v2 API, validating bodies against the spec.

Usage::

    with FakeAssistantsAPI() as api:
        ...  # point a client (e.g. the Terraform provider's ``api_url``) at ``api.url``
        api.requests_matching("POST", r"/threads/[^/]+/runs$")

Every request is processed in this order: fault injection, ``/v1`` prefix, ``Authorization``
bearer token (401), route lookup in the spec (404), ``OpenAI-Beta: assistants=v2`` (400),
query parameters, JSON body parsed and validated against the operation's request schema
(400), then the handler. Requests are processed one at a time.

Runs advance one step per retrieval, or with ``run_duration_s`` by elapsed time (see
:mod:`.store`); :meth:`FakeAssistantsAPI.script_run_outcomes` says how the next runs end.
:meth:`FakeAssistantsAPI.inject_fault` answers chosen requests with an error, and
:meth:`FakeAssistantsAPI.refuse_connections_after` stops listening for a while after one.
"""

from __future__ import annotations

from openai_thread_run.gateway.checks import bind_routes, checked_call, resolve
from openai_thread_run.gateway.errors import ApiError
from openai_thread_run.gateway.spec import OpenAPISpec, load_spec

from .http import Incoming, LocalServer, Response
from .outcomes import RunOutcome
from .routes import ROUTES
from .store import Clock, Store


class FakeAssistantsAPI(LocalServer):
    """A fake of OpenAI's Assistants v2 API served on ``127.0.0.1`` (see the module docstring)."""

    name = "fake Assistants API"

    def __init__(
        self,
        max_lifetime_s: float = 1800,
        *,
        port: int = 0,
        spec: OpenAPISpec | None = None,
        run_duration_s: float | None = None,
        clock: Clock | None = None,
    ) -> None:
        """``run_duration_s``: None advances runs one step per retrieval; a number makes them end that many
        seconds after creation. ``clock``: unix seconds as a float (default: follows ``time.monotonic``).
        """
        super().__init__(max_lifetime_s, port=port)
        self.run_duration_s = run_duration_s
        self.spec = spec or load_spec()
        self._routes = bind_routes(self.spec, ROUTES)
        self._clock = clock
        self._store = Store(clock, run_duration_s=run_duration_s)

    # -- introspection and control ----------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The in-memory objects (read them only while no request is in flight)."""
        return self._store

    def script_run_outcomes(self, *outcomes: RunOutcome) -> None:
        """Make the next runs created end as ``outcomes``, one each in creation order; later runs complete."""
        with self._lock:
            self._store.script_outcomes(*outcomes)

    def reset(self) -> None:
        """Forget recorded requests, all objects, pending faults, refusals and scripted outcomes."""
        self.forget()
        with self._lock:
            self._store = Store(self._clock, run_duration_s=self.run_duration_s)

    # -- request processing -----------------------------------------------------------------------

    def respond(self, incoming: Incoming) -> Response:
        """Answer a request as the Assistants API does (see the module docstring)."""
        try:
            operation, params, _ = resolve(
                self.spec, self._routes, incoming.method, incoming.path, incoming.headers, _any_key
            )
            call = checked_call(operation, params, incoming.query, incoming.body, incoming.body_is_json)
            return Response.json(200, self._routes[operation.operation_id](self._store, call))
        except ApiError as error:
            return Response.error(error)


def _any_key(token: str) -> None:
    """The fake accepts any bearer token."""
