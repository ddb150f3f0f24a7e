"""The schema check itself: it passes the examples, and it catches each kind of mismatch with provider 1.2.0."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from cdktf import Testing

from tests.provider_schema import assert_matches_provider_schema, document_errors

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def example_documents() -> dict[str, dict[str, Any]]:
    sys.path.insert(0, str(EXAMPLES))
    try:
        from existing_thread import ExistingThreadStack
        from new_thread import NewThreadStack
    finally:
        sys.path.remove(str(EXAMPLES))
    documents = {}
    for name, stack_class in (("new-thread", NewThreadStack), ("existing-thread", ExistingThreadStack)):
        stack = stack_class(Testing.app(), name)
        documents[name] = json.loads(Testing.synth(stack, run_validations=True))
    return documents


@pytest.mark.parametrize("name", ["new-thread", "existing-thread"])
def test_examples_match_the_provider_schema(example_documents: dict[str, dict[str, Any]], name: str) -> None:
    document = example_documents[name]
    assert document["resource"]["openai_thread_run"], "the example has a run"
    assert_matches_provider_schema(document)


def _run_document(**body: Any) -> dict[str, Any]:
    return {"resource": {"openai_thread_run": {"run": {"assistant_id": "asst_1", **body}}}}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_run_document(temprature=0.5), "openai_thread_run.run.temprature: unknown name"),
        ({"resource": {"openai_thread_run": {"run": {}}}}, "openai_thread_run.run.assistant_id: required attribute"),
        (_run_document(response_format="text"), "openai_thread_run.run.response_format: is a block"),
        (_run_document(tools=[{"type": "function", "function": {"name": 1}}]), "function[0].name: expected a string"),
        (_run_document(temperature="warm"), "openai_thread_run.run.temperature: expected a number"),
        (_run_document(stream="no"), "openai_thread_run.run.stream: expected a bool"),
        (_run_document(metadata={"k": 1}), "openai_thread_run.run.metadata['k']: expected a string"),
        (_run_document(status="completed"), "openai_thread_run.run.status: is computed by the provider"),
        (_run_document(response_format=[{"type": "text"}, {"type": "json_object"}]), "at most 1 block"),
        (_run_document(depends_on=["${openai_message.m}"]), "is not a bare reference"),
        (
            _run_document(lifecycle={"replace_triggered_by": ["${null_resource.t}"]}),
            "openai_thread_run.run.lifecycle[0]: '${null_resource.t}' is not a bare reference",
        ),
        ({"resource": {"openai_vector_store": {"v": {}}}}, "openai_vector_store is not bound"),
        ({"provider": {"openai": [{"api_token": "x"}]}}, "provider.openai[0].api_token: unknown name"),
    ],
)
def test_each_kind_of_mismatch_is_caught(document: dict[str, Any], expected: str) -> None:
    errors = document_errors(document)
    assert any(expected in error for error in errors), errors


def test_tokens_pass_for_any_attribute_type() -> None:
    document = _run_document(temperature="${var.t}", stream="${var.s}", metadata="${var.m}")
    assert document_errors(document) == []
