"""What every request to the Assistants API goes through before its handler, in the real API's order.

The ``/v1`` prefix, the ``Authorization: Bearer`` token (401), the route in the published spec (404), the
``OpenAI-Beta: assistants=v2`` header (400), the query parameters and the JSON body, both validated against the
operation's schema (400). Shared by the gateway and the tests' local Assistants API, so both are exactly as
strict as OpenAI's published spec.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from .errors import (
    INVALID_JSON_MESSAGE,
    MISSING_BETA_HEADER_MESSAGE,
    bad_request,
    invalid_url,
    unauthorized,
)
from .json_values import JSONObject
from .spec import OpenAPISpec, Operation

API_PREFIX = "/v1"
_BEARER = re.compile(r"Bearer\s+(\S+)\s*", re.IGNORECASE)
V1_BETA_MESSAGE = (
    "The v1 Assistants API has been deprecated. Please try again by setting the header 'OpenAI-Beta: assistants=v2'."
)

Caller = TypeVar("Caller")
Handler = TypeVar("Handler")


@dataclass(frozen=True)
class Call:
    """The validated inputs of one API call: path parameters, query parameters (defaults applied), body."""

    params: dict[str, str]
    query: JSONObject
    body: JSONObject


def resolve(
    spec: OpenAPISpec,
    served: Container[str],
    method: str,
    path: str,
    headers: Mapping[str, str],
    authenticate: Callable[[str], Caller],
) -> tuple[Operation, dict[str, str], Caller]:
    """Check prefix, bearer token (``authenticate`` turns it into the caller or raises 401), route and beta header.

    ``path`` is the request's path (``/v1/...``); ``headers`` have lower-case names; ``served`` holds the
    operationIds the server implements (any other is 404, like a path the spec does not have).
    """
    if not path.startswith(API_PREFIX + "/"):
        raise invalid_url(method, path)
    token = _BEARER.fullmatch(headers.get("authorization", ""))
    if token is None:
        raise unauthorized()
    caller = authenticate(token.group(1))
    found = spec.find(method, path[len(API_PREFIX) :])
    if found is None or found[0].operation_id not in served:
        raise invalid_url(method, path)
    check_beta_header(headers.get("openai-beta"))
    return found[0], found[1], caller


def bind_routes(spec: OpenAPISpec, routes: Mapping[tuple[str, str], Handler]) -> dict[str, Handler]:
    """Key ``routes`` ((method, spec path template) -> handler) by operationId; fail on a route the spec lacks."""
    bound: dict[str, Handler] = {}
    for (method, template), handler in routes.items():
        operation = next((op for op in spec.operations if (op.method, op.template) == (method, template)), None)
        if operation is None:
            raise RuntimeError(f"route {method} {template} is not an operation of the OpenAPI spec")
        bound[operation.operation_id] = handler
    return bound


def check_beta_header(value: str | None) -> None:
    """400 unless ``OpenAI-Beta`` (comma-separated) holds ``assistants=v2``."""
    betas = {part.strip() for part in (value or "").split(",")}
    if "assistants=v2" in betas:
        return
    raise bad_request(V1_BETA_MESSAGE if "assistants=v1" in betas else MISSING_BETA_HEADER_MESSAGE)


def parse_json(raw_body: bytes) -> tuple[Any, bool]:
    """Parse a JSON body: ``(parsed, True)``, ``(None, True)`` when empty, ``(None, False)`` when not JSON."""
    if not raw_body.strip():
        return None, True
    try:
        return json.loads(raw_body), True
    except (UnicodeDecodeError, ValueError):
        return None, False


def checked_call(
    operation: Operation, params: dict[str, str], query: Mapping[str, list[str]], body: Any, body_is_json: bool
) -> Call:
    """Return the :class:`Call` of ``operation``: query parameters coerced and validated, the body validated (400)."""
    return Call(params=params, query=operation.parse_query(query), body=_checked_body(operation, body, body_is_json))


def _checked_body(operation: Operation, body: Any, body_is_json: bool) -> JSONObject:
    """Return the validated request body (``{}`` when the operation takes none or none was sent)."""
    if operation.body_validator is None:
        return {}
    if not body_is_json:
        raise bad_request(INVALID_JSON_MESSAGE)
    checked: Any = {} if body is None else body
    operation.validate_body(checked)
    return cast(JSONObject, checked)
