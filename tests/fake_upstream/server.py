"""A local fake of a model API, OpenAI's Responses API or a Chat Completions API, as strict as the published spec.

Usage::

    with FakeUpstream("responses") as upstream:
        ...  # start the gateway with --upstream-url upstream.url
        upstream.script(Reply.answer("Hello."))     # the next request gets this answer
        upstream.received                            # the bodies it answered, in order

It serves ``POST /v1/responses`` or ``POST /v1/chat/completions`` (any other path is 404) and checks each request
as the real API does, in this order: the key (401: a bearer token, or the one ``key`` it was given, in
``Authorization: Bearer`` or in ``key_header`` as Azure OpenAI takes it), the JSON body (400), and the body against
the operation's request schema in OpenAI's published spec (``tests/fixtures/openai-model-apis/openapi.json``, used
as is; 400 with the schema's complaint). Then it answers the next scripted :class:`Reply` (by default an answer
that names the last user message), after ``latency_s``. Injected faults (:meth:`inject_fault`, e.g. a 429 with
``Retry-After``, or 500s until the test ends) are answered before any check. Every request is recorded.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import Any

from openai_thread_run.gateway.errors import (
    INVALID_API_KEY_MESSAGE,
    INVALID_JSON_MESSAGE,
    ApiError,
    bad_request,
    invalid_url,
    unauthorized,
)
from openai_thread_run.gateway.spec import OpenAPISpec, Operation, load_spec
from tests.fake_api.http import Incoming, LocalServer, Response

from .replies import JSONObject, Reply, chat_completion_body, responses_body

SPEC_PATH = Path(__file__).parents[1] / "fixtures" / "openai-model-apis" / "openapi.json"
API_PATHS = {"responses": "/responses", "chat-completions": "/chat/completions"}
NO_STREAMING = "The fake upstream does not stream (stream=true)."


def model_apis_spec() -> OpenAPISpec:
    """Return OpenAI's published spec of the model APIs (Responses, Conversations, Chat Completions)."""
    return load_spec(SPEC_PATH)


class FakeUpstream(LocalServer):
    """A fake model API on ``127.0.0.1`` (see the module docstring)."""

    name = "fake upstream"

    def __init__(
        self,
        api: str = "responses",
        *,
        max_lifetime_s: float = 900,
        port: int = 0,
        latency_s: float = 0.0,
        key: str | None = None,
        key_header: str = "authorization",
    ) -> None:
        """Serve ``api`` (``responses`` or ``chat-completions``), answering each request after ``latency_s``.

        ``key``: the only key accepted (by default any bearer token); ``key_header``: where it is sent
        (``authorization``: as ``Bearer KEY``; another header, such as ``api-key``: as its value).
        """
        super().__init__(max_lifetime_s, port=port)
        self.api = api
        self.path = API_PATHS[api]
        self.latency_s = latency_s
        self.key = key
        self.key_header = key_header.lower()
        self.spec = model_apis_spec()
        found = self.spec.find("POST", self.path)
        assert found is not None, self.path
        self.operation: Operation = found[0]
        self._script: deque[Reply] = deque()

    def script(self, *replies: Reply) -> None:
        """Answer the next requests with ``replies``, one each in order; later ones get the default answer."""
        with self._lock:
            self._script.extend(replies)

    @property
    def received(self) -> list[JSONObject]:
        """The bodies of the model requests answered 200, in arrival order."""
        return [request.body for request in self.requests_matching("POST", f"{self.path}$") if request.status == 200]

    def before(self, incoming: Incoming) -> None:
        """Take ``latency_s``, as a model does, before anything else (other requests are answered meanwhile)."""
        if self.latency_s:
            time.sleep(self.latency_s)

    def respond(self, incoming: Incoming) -> Response:
        """Check the request as the real API does, then answer the next reply."""
        try:
            body = self._checked(incoming)
        except ApiError as error:
            return Response.error(error)
        reply = self._script.popleft() if self._script else Reply()
        write = responses_body if self.api == "responses" else chat_completion_body
        return Response.json(200, write(reply, body, int(time.time())))

    def _checked(self, incoming: Incoming) -> JSONObject:
        if incoming.method != "POST" or incoming.path != f"/v1{self.path}":
            raise invalid_url(incoming.method, incoming.path)
        self._authenticate(incoming.headers)
        if not incoming.body_is_json or not isinstance(incoming.body, dict):
            raise bad_request(INVALID_JSON_MESSAGE)
        self.operation.validate_body(incoming.body)
        if incoming.body.get("stream"):
            raise bad_request(NO_STREAMING, "stream")
        body: dict[str, Any] = incoming.body
        return body

    def _authenticate(self, headers: dict[str, str]) -> None:
        sent = headers.get(self.key_header, "")
        if self.key_header == "authorization":
            scheme, _, token = sent.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise unauthorized()
            sent = token.strip()
        elif not sent:
            raise unauthorized()
        if self.key is not None and sent != self.key:
            raise unauthorized(INVALID_API_KEY_MESSAGE, code="invalid_api_key")
