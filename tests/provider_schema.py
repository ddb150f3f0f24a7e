"""Checks synthesized Terraform JSON against provider mkdev-me/openai 1.2.0's real schema.

The schema is ``tests/fixtures/provider-schema.json``: the output of ``terraform providers schema -json`` for
the built provider, cut to the provider config and the resources and data sources this library binds (see
``tests/e2e/test_provider_schema_fixture.py``, which keeps it equal to a fresh dump).

A value is checked the way Terraform would: unknown names, required attributes and blocks, attribute vs block
(a block is a list of objects in JSON syntax), computed-only attributes, and the type of every value. A
Terraform interpolation string (``${...}``) is accepted for any attribute type, as Terraform would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).parent / "fixtures" / "provider-schema.json"
PROVIDER_ADDRESS = "registry.terraform.io/mkdev-me/openai"
#: Terraform meta-arguments: allowed on every resource, not part of the provider's schema.
META_ARGUMENTS = {"depends_on", "lifecycle", "provider", "count", "for_each", "connection", "provisioner"}
#: The meta-arguments of a data source (no provisioners, no connection).
DATA_META_ARGUMENTS = {"depends_on", "lifecycle", "provider", "count", "for_each"}


@cache
def provider_schema() -> dict[str, Any]:
    """The provider's schema: ``{"provider": {...}, "resource_schemas": {...}, "data_source_schemas": {...}}``."""
    document = json.loads(SCHEMA_PATH.read_text())
    return document["provider_schemas"][PROVIDER_ADDRESS]  # type: ignore[no-any-return]


def _is_interpolation(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


#: What a JSON value of each primitive schema type is, and how the message names it.
_PRIMITIVES: dict[str, tuple[str, Any]] = {
    "string": ("a string", lambda value: isinstance(value, str)),
    "number": ("a number", lambda value: isinstance(value, int | float) and not isinstance(value, bool)),
    "bool": ("a bool", lambda value: isinstance(value, bool)),
}


def _type_errors(path: str, value: Any, type_: Any) -> Iterator[str]:
    if _is_interpolation(value):
        return
    if isinstance(type_, str) and type_ in _PRIMITIVES:
        what, fits = _PRIMITIVES[type_]
        if not fits(value):
            yield f"{path}: expected {what}, got {value!r}"
    elif isinstance(type_, list) and type_[0] in ("list", "set", "map", "object"):
        yield from _collection_errors(path, value, type_[0], type_[1])
    else:  # pragma: no cover - the bound resources use no other types
        yield f"{path}: unsupported schema type {type_!r}"


def _collection_errors(path: str, value: Any, kind: str, inner: Any) -> Iterator[str]:
    """Errors of a ``list``/``set`` of ``inner``, a ``map`` of ``inner``, or an ``object`` with ``inner`` attributes."""
    if kind in ("list", "set"):
        if not isinstance(value, list):
            yield f"{path}: expected a {kind}, got {value!r}"
            return
        for index, item in enumerate(value):
            yield from _type_errors(f"{path}[{index}]", item, inner)
        return
    if not isinstance(value, dict):
        yield f"{path}: expected {'a map' if kind == 'map' else 'an object'}, got {value!r}"
        return
    for key, item in value.items():
        if kind == "map":
            yield from _type_errors(f"{path}[{key!r}]", item, inner)
        elif key not in inner:
            yield f"{path}.{key}: not an attribute of this object type"
        else:
            yield from _type_errors(f"{path}.{key}", item, inner[key])


def block_errors(
    path: str, body: Any, block: dict[str, Any], *, meta: bool = False, meta_arguments: set[str] = META_ARGUMENTS
) -> Iterator[str]:
    """Yield every way ``body`` (one JSON object) breaks the schema ``block``.

    ``meta``: ``body`` is a resource or data source, which may also hold ``meta_arguments`` and cdktf's ``//``.
    """
    if not isinstance(body, dict):
        yield f"{path}: expected an object, got {body!r}"
        return
    attributes: dict[str, Any] = block.get("attributes", {})
    blocks: dict[str, Any] = block.get("block_types", {})
    for name, value in body.items():
        where = f"{path}.{name}"
        if meta and name == "//":  # cdktf's metadata comment (construct path), which Terraform ignores
            continue
        if meta and name in meta_arguments:
            yield from _meta_errors(where, name, value)
            continue
        if name in attributes:
            spec = attributes[name]
            if spec.get("computed") and not spec.get("optional") and not spec.get("required"):
                yield f"{where}: is computed by the provider and cannot be set"
            yield from _type_errors(where, value, spec["type"])
        elif name in blocks:
            yield from _nested_errors(where, value, blocks[name])
        else:
            yield f"{where}: unknown name (the schema has {sorted([*attributes, *blocks])})"
    for name, spec in attributes.items():
        if spec.get("required") and name not in body:
            yield f"{path}.{name}: required attribute is missing"
    for name, spec in blocks.items():
        if spec.get("min_items", 0) > 0 and name not in body:
            yield f"{path}.{name}: required block is missing"


#: How Terraform's JSON syntax wants a reference in depends_on and replace_triggered_by: bare, no "${...}".
BARE_REFERENCE = re.compile(r"^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+$")


def _meta_errors(path: str, name: str, value: Any) -> Iterator[str]:
    references: Any = value if name == "depends_on" else None
    if name == "lifecycle" and isinstance(value, dict):
        references = value.get("replace_triggered_by")
    for index, reference in enumerate(references or []):
        if not isinstance(reference, str) or not BARE_REFERENCE.match(reference):
            yield f"{path}[{index}]: {reference!r} is not a bare reference such as 'type.name' (Terraform rejects it)"


def _nested_errors(path: str, value: Any, spec: dict[str, Any]) -> Iterator[str]:
    items = value if isinstance(value, list) else [value]
    if spec["nesting_mode"] not in ("list", "set", "single"):  # pragma: no cover
        yield f"{path}: unsupported nesting mode {spec['nesting_mode']}"
    if isinstance(value, str):
        yield f"{path}: is a block, so it must be an object or a list of objects, not {value!r}"
        return
    if spec.get("max_items") is not None and len(items) > spec["max_items"]:
        yield f"{path}: at most {spec['max_items']} block(s) allowed, got {len(items)}"
    if len(items) < spec.get("min_items", 0):
        yield f"{path}: at least {spec['min_items']} block(s) required, got {len(items)}"
    for index, item in enumerate(items):
        yield from block_errors(f"{path}[{index}]", item, spec["block"])


def document_errors(document: dict[str, Any]) -> list[str]:
    """Return every schema violation of the ``openai_*`` resources, data sources and ``openai`` provider."""
    schema = provider_schema()
    errors: list[str] = []
    for section, schemas, prefix, meta_arguments in (
        ("resource", schema["resource_schemas"], "", META_ARGUMENTS),
        ("data", schema["data_source_schemas"], "data.", DATA_META_ARGUMENTS),
    ):
        for type_, elements in document.get(section, {}).items():
            if not type_.startswith("openai_"):
                continue
            if type_ not in schemas:
                errors.append(f"{section} type {type_} is not bound by this library's schema fixture")
                continue
            for name, body in elements.items():
                errors.extend(
                    block_errors(
                        f"{prefix}{type_}.{name}",
                        body,
                        schemas[type_]["block"],
                        meta=True,
                        meta_arguments=meta_arguments,
                    )
                )
    for index, config in enumerate(document.get("provider", {}).get("openai", [])):
        config = {key: value for key, value in config.items() if key != "alias"}
        errors.extend(block_errors(f"provider.openai[{index}]", config, schema["provider"]["block"]))
    return errors


def assert_matches_provider_schema(document: dict[str, Any]) -> None:
    """Fail with every violation listed when ``document`` does not match the provider schema."""
    errors = document_errors(document)
    assert not errors, "synthesized JSON does not match provider 1.2.0's schema:\n" + "\n".join(errors)
