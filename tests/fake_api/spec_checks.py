"""Checking answers against the response schemas of OpenAI's published spec (for the local API's and the gateway's
tests)."""

from __future__ import annotations

from typing import Any

from openai_thread_run.gateway.spec import OpenAPISpec


def spec_shaped(body: Any) -> Any:
    """An empty list page has ``first_id``/``last_id`` null like the real API, the spec says string.

    That is the one known divergence: it is asserted here, then strings are put in their place.
    """
    if body.get("object") != "list" or body["data"]:
        return body
    assert (body["first_id"], body["last_id"]) == (None, None)
    return {**body, "first_id": "", "last_id": ""}


def check_answer(spec: OpenAPISpec, method: str, path: str, status: int, body: Any) -> str | None:
    """Validate one answer of ``method path`` (without ``/v1``) against the spec; return its operationId.

    A 200 must match the operation's response schema (OpenAPI's ``nullable`` honoured), an error
    ``ErrorResponse``; a path the spec does not have (None is returned) must be a 404.
    """
    found = spec.find(method, path)
    if found is None:
        assert status == 404, (method, path, status)
        spec.component_validator("ErrorResponse").validate(body)
        return None
    operation = found[0]
    if status != 200:
        spec.component_validator("ErrorResponse").validate(body)
    else:
        assert operation.response_validator is not None
        operation.response_validator.validate(spec_shaped(body))
    return operation.operation_id
