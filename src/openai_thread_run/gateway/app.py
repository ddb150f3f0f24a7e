"""The gateway's ASGI app (Starlette): thin routes that check a request against the spec and call the service.

Every request under ``/v1`` goes through :mod:`.checks` in the real API's order (prefix, bearer key -> tenant
(401), route (404), ``OpenAI-Beta`` (400), query and body against the spec (400)) and then the
:class:`.service.Service` operation of its route, in a worker thread (the store is synchronous). Errors are
answered in OpenAI's shape. ``GET /health`` (no key) answers 200 while the database answers.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .checks import Call, bind_routes, checked_call, parse_json, resolve
from .errors import ApiError, error_body, invalid_url
from .json_values import JSONObject
from .keys import ClientKeys
from .service import Service
from .spec import OpenAPISpec

logger = logging.getLogger(__name__)

Operation = Callable[[Service, str, Call], JSONObject]
SERVER_ERROR_MESSAGE = "The gateway had an error while processing your request; its log says which."
#: The largest request body the gateway reads (a message's content is at most 256k characters on OpenAI).
MAX_BODY_BYTES = 8 * 1024 * 1024
_METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH"]

#: (method, spec path template) -> the service operation serving it: every operation of the Assistants v2 spec.
ROUTES: dict[tuple[str, str], Operation] = {
    ("GET", "/assistants"): Service.list_assistants,
    ("POST", "/assistants"): Service.create_assistant,
    ("GET", "/assistants/{assistant_id}"): Service.get_assistant,
    ("POST", "/assistants/{assistant_id}"): Service.modify_assistant,
    ("DELETE", "/assistants/{assistant_id}"): Service.delete_assistant,
    ("POST", "/threads"): Service.create_thread,
    ("GET", "/threads/{thread_id}"): Service.get_thread,
    ("POST", "/threads/{thread_id}"): Service.modify_thread,
    ("DELETE", "/threads/{thread_id}"): Service.delete_thread,
    ("GET", "/threads/{thread_id}/messages"): Service.list_messages,
    ("POST", "/threads/{thread_id}/messages"): Service.create_message,
    ("GET", "/threads/{thread_id}/messages/{message_id}"): Service.get_message,
    ("POST", "/threads/{thread_id}/messages/{message_id}"): Service.modify_message,
    ("DELETE", "/threads/{thread_id}/messages/{message_id}"): Service.delete_message,
    ("POST", "/threads/runs"): Service.create_thread_and_run,
    ("GET", "/threads/{thread_id}/runs"): Service.list_runs,
    ("POST", "/threads/{thread_id}/runs"): Service.create_run,
    ("GET", "/threads/{thread_id}/runs/{run_id}"): Service.get_run,
    ("POST", "/threads/{thread_id}/runs/{run_id}"): Service.modify_run,
    ("POST", "/threads/{thread_id}/runs/{run_id}/cancel"): Service.cancel_run,
    ("POST", "/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"): Service.submit_tool_outputs,
    ("GET", "/threads/{thread_id}/runs/{run_id}/steps"): Service.list_run_steps,
    ("GET", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}"): Service.get_run_step,
}


def create_app(
    service: Service,
    keys: ClientKeys,
    spec: OpenAPISpec,
    lifespan: Callable[[Starlette], AbstractAsyncContextManager[None]] | None = None,
) -> Starlette:
    """Return the app serving ``service`` to the holders of ``keys``, as strict as ``spec``."""
    operations = bind_routes(spec, ROUTES)

    def handle(method: str, path: str, headers: Mapping[str, str], query: dict[str, list[str]], raw: bytes) -> Any:
        operation, params, tenant = resolve(spec, operations, method, path, headers, keys.tenant)
        body, body_is_json = parse_json(raw)
        call = checked_call(operation, params, query, body, body_is_json)
        return operations[operation.operation_id](service, tenant, call)

    async def api(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_BODY_BYTES:
            return _answer(413, _too_large().body())
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > MAX_BODY_BYTES:
                return _answer(413, _too_large().body())
        query = parse_qs(request.url.query, keep_blank_values=True)
        headers = dict(request.headers)  # lower-case names; a repeated header keeps its last value
        try:
            result = await run_in_threadpool(handle, request.method, request.url.path, headers, query, raw)
        except ApiError as error:
            return _answer(error.status, error.body())
        except Exception:
            logger.exception("%s %s failed", request.method, request.url.path)
            return _answer(500, error_body(SERVER_ERROR_MESSAGE, "server_error"))
        return _answer(200, result)

    async def health(request: Request) -> Response:
        try:
            await run_in_threadpool(_ping, service)
        except Exception:
            logger.exception("health check: the database does not answer")
            return _answer(503, {"status": "unavailable"})
        return _answer(200, {"status": "ok"})

    async def elsewhere(request: Request) -> Response:
        return _answer(404, invalid_url(request.method, request.url.path).body())

    return Starlette(
        routes=[
            Route("/health", health, methods=["GET"]),
            Route("/v1/{path:path}", api, methods=_METHODS),
            Route("/{path:path}", elsewhere, methods=_METHODS),
        ],
        lifespan=lifespan,
    )


def _too_large() -> ApiError:
    return ApiError(413, f"The request body is larger than the gateway reads ({MAX_BODY_BYTES} bytes).")


def _answer(status: int, body: JSONObject) -> Response:
    return JSONResponse(body, status_code=status, headers={"x-request-id": f"req_{secrets.token_hex(16)}"})


def _ping(service: Service) -> None:
    with service.store.transaction() as tx:
        tx.execute(text("SELECT 1"))
