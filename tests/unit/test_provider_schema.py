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


def _data_document(type_: str, **body: Any) -> dict[str, Any]:
    return {"data": {type_: {"d": body}}}


RUN_IDS = {"run_id": "run_1", "thread_id": "thread_1"}


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (_data_document("openai_run", thread_id="thread_1"), "data.openai_run.d.run_id: required attribute is missing"),
        (_data_document("openai_run", **RUN_IDS, runid="x"), "data.openai_run.d.runid: unknown name"),
        (_data_document("openai_run", **RUN_IDS, status="completed"), "data.openai_run.d.status: is computed"),
        (_data_document("openai_run", run_id=1, thread_id="thread_1"), "data.openai_run.d.run_id: expected a string"),
        (
            _data_document("openai_messages", thread_id="t", limit="ten"),
            "data.openai_messages.d.limit: expected a number",
        ),
        (_data_document("openai_messages", limit=5), "data.openai_messages.d.thread_id: required attribute is missing"),
        (
            _data_document("openai_messages", thread_id="t", messages=[{"id": "m", "colour": "x"}]),
            "data.openai_messages.d.messages[0].colour: not an attribute",
        ),
        (_data_document("openai_run", **RUN_IDS, provisioner=[]), "data.openai_run.d.provisioner: unknown name"),
        (
            _data_document("openai_run", **RUN_IDS, depends_on=["${terraform_data.w}"]),
            "data.openai_run.d.depends_on[0]: '${terraform_data.w}' is not a bare reference",
        ),
        (_data_document("openai_files", file_id="f"), "data type openai_files is not bound"),
    ],
)
def test_each_kind_of_data_source_mismatch_is_caught(document: dict[str, Any], expected: str) -> None:
    errors = document_errors(document)
    assert any(expected in error for error in errors), errors


def test_valid_data_sources_pass() -> None:
    document = {
        "data": {
            "openai_run": {"d": {**RUN_IDS, "depends_on": ["terraform_data.w"], "provider": "openai.second"}},
            "openai_messages": {"m": {"thread_id": "${var.t}", "limit": 100, "order": "desc", "after": "msg_1"}},
            "external": {"other": {"program": ["x"]}},
        }
    }
    assert document_errors(document) == []
