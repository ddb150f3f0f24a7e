"""The Terraform life cycle every end-to-end test goes through, and readers of what the local API received."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.e2e.harness import CommandFailed, Workspace
from tests.fake_api import FakeAssistantsAPI, RecordedRequest

RUN_ATTRIBUTES = ("id", "thread_id", "status", "created_at", "started_at", "completed_at", "usage")
RUN_CREATE = r"^/v1/threads/[^/]+/runs$"


def apply_and_settle(workspace: Workspace) -> dict[str, Any]:
    """init, validate, plan (changes), apply, then read the run again until it completed; return the outputs.

    The provider reads a run once right after creating it, and the local API (like the real one) answers
    ``in_progress`` then; ``apply -refresh-only`` reads it again, as a user would, and it has completed.
    """
    workspace.init()
    workspace.validate()
    code, plan = workspace.plan_exit_code()
    assert code == 2, f"the first plan must propose changes:\n{plan}"
    workspace.apply()
    workspace.refresh()
    return workspace.outputs()


def assert_no_changes(workspace: Workspace) -> None:
    """A second ``plan -detailed-exitcode`` reports no changes (exit code 0)."""
    code, plan = workspace.plan_exit_code()
    assert code == 0, f"the second plan must report no changes, got exit code {code}:\n{plan}"


def assert_outputs_match_server(outputs: dict[str, Any], api: FakeAssistantsAPI) -> dict[str, Any]:
    """The outputs carry the run's id, thread id, status, timestamps and usage, as the server has them."""
    run = api.store.get_run(outputs["thread_id"], outputs["id"])
    assert outputs["id"].startswith("run_") and outputs["thread_id"].startswith("thread_")
    assert outputs["status"] == run["status"] == "completed"
    for name in ("created_at", "started_at", "completed_at"):
        assert outputs[name] == run[name] and run[name] > 0, name
    assert outputs["usage"] == run["usage"]
    assert outputs["usage"]["total_tokens"] == outputs["usage"]["prompt_tokens"] + outputs["usage"]["completion_tokens"]
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
