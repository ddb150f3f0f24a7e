"""The Terraform life cycle every end-to-end test goes through, and readers of what the local API received."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.e2e.harness import CommandFailed, Workspace
from tests.fake_api import FakeAssistantsAPI, RecordedRequest

RUN_CREATE = r"^/v1/threads/[^/]+/runs$"
RUN_GET = r"^/v1/threads/[^/]+/runs/[^/]+$"


def apply_once(workspace: Workspace) -> dict[str, Any]:
    """init, validate, plan (changes), ONE apply; return the outputs, which must already be final.

    The construct waits for the run inside the apply and reads its final attributes afterwards, so no refresh
    or second apply is needed; :func:`assert_no_changes` right after proves it.
    """
    workspace.init()
    workspace.validate()
    code, plan = workspace.plan_exit_code()
    assert code == 2, f"the first plan must propose changes:\n{plan}"
    workspace.apply()
    return workspace.outputs()


def assert_no_changes(workspace: Workspace) -> None:
    """A second ``plan -detailed-exitcode`` reports no changes (exit code 0)."""
    code, plan = workspace.plan_exit_code()
    assert code == 0, f"the second plan must report no changes, got exit code {code}:\n{plan}"


def assert_outputs_match_server(outputs: dict[str, Any], api: FakeAssistantsAPI, prefix: str = "") -> dict[str, Any]:
    """The outputs carry the run's final id, thread id, status, timestamps, usage and answer, as the server has them."""
    out = {name[len(prefix) :]: value for name, value in outputs.items() if name.startswith(prefix)}
    run = api.store.get_run(out["thread_id"], out["id"])
    assert out["id"].startswith("run_") and out["thread_id"].startswith("thread_")
    assert out["status"] == run["status"] == "completed"
    for name in ("created_at", "started_at", "completed_at"):
        assert out[name] == run[name] and run[name] > 0, name
    assert out["usage"] == run["usage"]
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        if name in out:  # every scenario outputs them; the examples only total_tokens
            assert out[name] == run["usage"][name] > 0, name
    answers = [
        " ".join(part["text"]["value"] for part in message["content"] if part["type"] == "text")
        for message in api.store.list_messages(out["thread_id"])
        if message["run_id"] == run["id"] and message["role"] == "assistant"
    ]
    assert answers, "the fake API answers every completed run"
    assert out["response"] == "\n\n".join(answers)
    return run


def successful(api: FakeAssistantsAPI, method: str, path_regex: str) -> list[RecordedRequest]:
    """Requests received with ``method`` on paths matching ``path_regex`` and answered 200, in arrival order."""
    return [r for r in api.requests_matching(method, path_regex) if r.status == 200]


def bodies(api: FakeAssistantsAPI, method: str, path_regex: str) -> list[Any]:
    """Bodies of the :func:`successful` requests."""
    return [r.body for r in successful(api, method, path_regex)]


def index_of_first(api: FakeAssistantsAPI, method: str, path_regex: str) -> int:
    """Position, among all requests received, of the first successful one matching; fails when there is none."""
    matching = successful(api, method, path_regex)
    for index, request in enumerate(api.requests):
        if request in matching:
            return index
    raise AssertionError(f"no successful {method} {path_regex} was received")


class ProviderDefect(Exception):
    """A known provider 1.2.0 defect showed its exact symptom (the ``raises=`` of the defects' strict xfails)."""


@contextmanager
def provider_defect(symptom: str) -> Iterator[None]:
    """Turn a failed command whose output contains ``symptom`` into :class:`ProviderDefect`.

    A command failing for any other reason stays a :class:`CommandFailed`, which a defect's xfail does not
    accept: the test then fails, instead of passing as "expected" for the wrong reason.
    """
    try:
        yield
    except CommandFailed as failure:
        if symptom in failure.output:
            raise ProviderDefect(symptom) from failure
        raise
