"""Shared fixtures: a stack with an OpenaiProvider, and synthesis that always checks the provider schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from cdktf import App, TerraformStack, Testing

from openai_thread_run import OpenaiProvider
from openai_thread_run.bindings._base import CheckedAttributes
from tests.provider_schema import assert_matches_provider_schema

Synth = Callable[[TerraformStack], dict[str, Any]]


def synth_json(stack: TerraformStack) -> dict[str, Any]:
    """Synthesize ``stack`` (validations included) and check every openai_* resource against the schema."""
    document: dict[str, Any] = json.loads(Testing.synth(stack, run_validations=True))
    assert_matches_provider_schema(document)
    return document


@pytest.fixture
def app() -> App:
    return Testing.app()


@pytest.fixture
def bare_stack(app: App) -> TerraformStack:
    """A stack without a provider."""
    return TerraformStack(app, "test")


@pytest.fixture
def stack(bare_stack: TerraformStack) -> TerraformStack:
    """A stack with an OpenaiProvider pointed at a local URL."""
    OpenaiProvider(bare_stack, "openai", api_url="http://127.0.0.1:9/v1")
    return bare_stack


@pytest.fixture
def synth() -> Synth:
    return synth_json


def resources(document: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    """The resources of one type in a synthesized document, by logical id (in synthesis order)."""
    found: dict[str, dict[str, Any]] = document.get("resource", {}).get(type_, {})
    return found


def only(document: dict[str, Any], type_: str) -> dict[str, Any]:
    """The one resource of ``type_``; fails when there is not exactly one."""
    found = resources(document, type_)
    assert len(found) == 1, f"expected one {type_}, found {sorted(found)}"
    return next(iter(found.values()))


def logical_id(document: dict[str, Any], type_: str, construct_path_part: str) -> str:
    """The logical id of the resource of ``type_`` whose id contains ``construct_path_part``."""
    matches = [name for name in resources(document, type_) if construct_path_part in name]
    assert len(matches) == 1, f"expected one {type_} matching {construct_path_part!r}, found {matches}"
    return matches[0]


def waiter(document: dict[str, Any], construct_id: str = "") -> dict[str, Any]:
    """The waiter (``terraform_data`` ``<construct>_wait_...``) of the one construct, or of ``construct_id``."""
    return resources(document, "terraform_data")[logical_id(document, "terraform_data", f"{construct_id}_wait_")]


def without_metadata(value: Any) -> Any:
    """``value`` without the ``//`` metadata entries that ``App.synth()`` writes at every level."""
    if isinstance(value, dict):
        return {key: without_metadata(item) for key, item in value.items() if key != "//"}
    if isinstance(value, list):
        return [without_metadata(item) for item in value]
    return value


def assert_bindings_accept_their_inputs(construct: Any) -> int:
    """Run the own input checks of every binding ``construct`` created; return how many were checked.

    ThreadRunConstruct creates its bindings within ``inputs_prechecked`` (its validation already checked what it
    hands them), so their checks do not run then; here they do, and must find nothing.
    """
    checked = 0
    for child in construct.node.find_all():
        node_id = child.node.id
        if isinstance(child, CheckedAttributes) and child is not construct:
            inputs = child._inputs  # pyright: ignore[reportPrivateUsage]
            child._check_inputs(node_id, inputs, child)  # pyright: ignore[reportPrivateUsage]
            assert child._inputs == inputs  # pyright: ignore[reportPrivateUsage]
            checked += 1
    return checked
