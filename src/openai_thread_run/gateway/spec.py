"""OpenAI's published OpenAPI documents, and validating requests against them exactly as published.

The gateway serves the Assistants v2 document that ships with it (``openai-assistants-api/openapi.json``, MIT,
its license beside it); the tests' local servers load others (the model APIs') with the same class. The
document is used exactly as published: request bodies are validated with a plain
JSON Schema 2020-12 validator, so OpenAPI-only keywords such as ``nullable`` are ignored
there, like any other unknown keyword. ``$ref``s such as ``#/components/schemas/...``
resolve against the whole document through a :class:`referencing.Registry`.

Response bodies are checked (by the tests) with :func:`openapi_validator_class`, which
additionally honours OpenAPI 3.0's ``nullable: true`` because the response schemas
(e.g. ``RunObject.completed_at``) declare nullability only through that keyword.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator, validators  # type: ignore[import-untyped,unused-ignore]
from jsonschema.exceptions import ValidationError, best_match  # type: ignore[import-untyped,unused-ignore]
from jsonschema.protocols import Validator  # type: ignore[import-untyped,unused-ignore]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .errors import bad_request
from .json_values import JSONObject

#: OpenAI's Assistants v2 OpenAPI document, as published (package data, with its MIT license beside it).
SPEC_PATH = Path(__file__).with_name("openai-assistants-api") / "openapi.json"
_HTTP_METHODS = ("get", "post", "delete", "put", "patch")
_JSON_CONTENT = "application/json"


def _nullable_aware(keyword_validator: Any) -> Any:
    """Wrap a keyword so that ``None`` passes wherever the schema says ``nullable: true``."""

    def validate(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if instance is None and isinstance(schema, Mapping) and cast(Mapping[str, Any], schema).get("nullable") is True:
            return iter(())
        return iter(keyword_validator(validator, value, instance, schema) or ())

    return validate


@functools.cache
def openapi_validator_class() -> type[Validator]:
    """Return a Draft 2020-12 validator class that also implements OpenAPI 3.0 ``nullable: true``.

    Only meant for checking *responses* (in tests); requests use the spec as-is.
    """
    wrapped = {name: _nullable_aware(fn) for name, fn in Draft202012Validator.VALIDATORS.items()}
    cls = validators.extend(Draft202012Validator, wrapped)  # type: ignore[no-untyped-call,unused-ignore]
    return cast(type[Validator], cls)


def json_path(parts: Iterable[str | int]) -> str:
    """Render a jsonschema error path as ``tools[0].function`` (empty string for the root)."""
    rendered = ""
    for part in parts:
        if isinstance(part, int):
            rendered += f"[{part}]"
        else:
            rendered += f".{part}" if rendered else str(part)
    return rendered


def _pointer(*segments: str) -> str:
    escaped = (segment.replace("~", "~0").replace("/", "~1") for segment in segments)
    return "#/" + "/".join(escaped)


@dataclass(frozen=True)
class QueryParam:
    """A query parameter declared by an operation, with its precompiled validator."""

    name: str
    schema: JSONObject
    validator: Validator

    def coerce(self, raw_values: list[str]) -> Any:
        """Convert the raw query-string values to the JSON type the schema declares."""
        declared = self.schema.get("type")
        if declared == "array":
            return raw_values
        value = raw_values[-1]
        if declared == "integer":
            try:
                return int(value)
            except ValueError as exc:
                raise bad_request(
                    f"Invalid '{self.name}': expected an integer, but got '{value}' instead.", self.name
                ) from exc
        return value


@dataclass(frozen=True)
class Operation:
    """One (method, path template) operation of the spec with precompiled validators."""

    method: str
    template: str
    operation_id: str
    pattern: re.Pattern[str]
    body_validator: Validator | None
    query_params: tuple[QueryParam, ...]
    response_validator: Validator | None

    def match(self, path: str) -> dict[str, str] | None:
        """Return the path parameters if ``path`` (without ``/v1``) matches this template."""
        found = self.pattern.fullmatch(path)
        return None if found is None else found.groupdict()

    def validate_body(self, body: Any) -> None:
        """Raise a 400 :class:`ApiError` if ``body`` does not satisfy the request schema."""
        if self.body_validator is None:
            return
        error = _first_error(self.body_validator, body)
        if error is None:
            return
        where = json_path(error.absolute_path)
        message = f"{where}: {error.message}" if where else error.message
        raise bad_request(message, where or None)

    def parse_query(self, query: Mapping[str, list[str]]) -> JSONObject:
        """Coerce and validate the declared query parameters; apply schema defaults."""
        parsed: JSONObject = {}
        for param in self.query_params:
            if param.name not in query:
                if "default" in param.schema:
                    parsed[param.name] = param.schema["default"]
                continue
            value = param.coerce(query[param.name])
            error = _first_error(param.validator, value)
            if error is not None:
                raise bad_request(f"Invalid '{param.name}': {error.message}", param.name)
            parsed[param.name] = value
        return parsed


class OpenAPISpec:
    """The operations of an OpenAPI document, ready for routing and validation."""

    def __init__(self, document: JSONObject, uri: str = "urn:openai-spec:openapi.json") -> None:
        """``uri`` names the document inside the validators' registry (``$ref``s resolve against it)."""
        self.document = document
        self.uri = uri
        self.registry: Registry[Any] = Registry[Any]().with_resource(
            uri, Resource.from_contents(document, default_specification=DRAFT202012)
        )
        operations = [
            self._build_operation(method, template, operation)
            for template, path_item in document["paths"].items()
            for method, operation in path_item.items()
            if method in _HTTP_METHODS
        ]
        # Literal segments win over parameters: POST /threads/runs is not POST /threads/{thread_id}.
        self.operations: tuple[Operation, ...] = tuple(sorted(operations, key=lambda op: op.template.count("{")))

    def validator(self, pointer: str, *, nullable_aware: bool = False) -> Validator:
        """Return a validator for the schema at ``pointer`` (``#/...``) inside the document."""
        cls = openapi_validator_class() if nullable_aware else Draft202012Validator
        return cls({"$ref": self.uri + pointer}, registry=self.registry)

    def component_validator(self, name: str, *, nullable_aware: bool = False) -> Validator:
        """Return a validator for ``#/components/schemas/<name>``."""
        return self.validator(_pointer("components", "schemas", name), nullable_aware=nullable_aware)

    def find(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """Find the operation serving ``method path`` (path without the ``/v1`` prefix)."""
        for operation in self.operations:
            if operation.method != method:
                continue
            params = operation.match(path)
            if params is not None:
                return operation, params
        return None

    def operation(self, operation_id: str) -> Operation:
        """Look an operation up by its ``operationId``."""
        for operation in self.operations:
            if operation.operation_id == operation_id:
                return operation
        raise KeyError(operation_id)

    def _build_operation(self, method: str, template: str, operation: JSONObject) -> Operation:
        base = ("paths", template, method)
        body = operation.get("requestBody", {})
        body_validator = None
        if _JSON_CONTENT in body.get("content", {}):
            body_validator = self.validator(_pointer(*base, "requestBody", "content", _JSON_CONTENT, "schema"))
        response = operation.get("responses", {}).get("200", {})
        response_validator = None
        if _JSON_CONTENT in response.get("content", {}):
            response_validator = self.validator(
                _pointer(*base, "responses", "200", "content", _JSON_CONTENT, "schema"), nullable_aware=True
            )
        return Operation(
            method=method.upper(),
            template=template,
            operation_id=operation["operationId"],
            pattern=_template_pattern(template),
            body_validator=body_validator,
            query_params=self._query_params(base, operation),
            response_validator=response_validator,
        )

    def _query_params(self, base: tuple[str, ...], operation: JSONObject) -> tuple[QueryParam, ...]:
        return tuple(
            QueryParam(
                name=param["name"],
                schema=param.get("schema", {}),
                validator=self.validator(_pointer(*base, "parameters", str(index), "schema")),
            )
            for index, param in enumerate(operation.get("parameters", []))
            if param.get("in") == "query"
        )


def _first_error(validator: Validator, instance: Any) -> ValidationError | None:
    """Return the error jsonschema rates most relevant, or None when ``instance`` is valid."""
    return cast("ValidationError | None", best_match(validator.iter_errors(instance)))


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(f"(?P<{part}>[^/]+)" if index % 2 else re.escape(part) for index, part in enumerate(parts))
    return re.compile(regex)


@functools.cache
def load_spec(path: Path = SPEC_PATH) -> OpenAPISpec:
    """Load (once per process and path) an OpenAPI document; by default the Assistants v2 one."""
    with path.open(encoding="utf-8") as handle:
        document: JSONObject = json.load(handle)
    return OpenAPISpec(document, f"urn:openai-spec:{path.parent.name}/{path.name}")


__all__ = ["SPEC_PATH", "OpenAPISpec", "Operation", "QueryParam", "json_path", "load_spec"]
