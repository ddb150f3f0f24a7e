"""Waiting where ``terraform apply`` runs without python3, as on the runner images that lack it.

Terraform runs with a PATH that holds only ``sh``, ``curl`` and the tools waiter.sh needs (symlinks, see
:mod:`tests.waiter_kits`), and the construct's default ``waiter="auto"``: the sh waiter waits, the outputs are
final after one apply, a failure says what the Python waiter says, and a key from a sensitive variable is used and
not printed. With nothing to wait with, the apply fails before any poll, naming what to install.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openai_thread_run.waiter import USER_AGENT
from openai_thread_run.waiter_sources import NO_CLIENT_NOR_PYTHON
from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import (
    RUN_CREATE,
    RUN_GET,
    apply_once,
    assert_no_changes,
    assert_outputs_match_server,
    successful,
)
from tests.e2e.harness import Workspace
from tests.fake_api import FakeAssistantsAPI, RunOutcome
from tests.waiter_kits import SH_CURL, Kit, require

MESSAGES = [{"role": "user", "content": "What is a thread run?"}]
SH_AGENT = f"{USER_AGENT} (sh; curl)"


def without_python(workspace: Workspace, kit: Kit, folder: Path) -> None:
    """Run the workspace's Terraform commands with PATH = the kit's folder (no python3 on it)."""
    require(kit)
    workspace.extra_env["PATH"] = str(kit.folder(folder))


def waiter_polls(api: FakeAssistantsAPI) -> dict[str | None, int]:
    """How many polls of the run each User-Agent made (the provider's reads carry another)."""
    agents: dict[str | None, int] = {}
    for request in api.requests_matching("GET", RUN_GET):
        agent = request.header("user-agent")
        agents[agent] = agents.get(agent, 0) + 1
    return agents


def a_construct(api: FakeAssistantsAPI, **extra: Any) -> dict[str, Any]:
    assistant = api.store.create_assistant({"model": "gpt-4o"})
    return {"construct": {"assistant_id": assistant["id"], "messages": MESSAGES}, **extra}


@pytest.mark.fake_api(run_duration_s=3.0)
def test_without_python3_the_sh_waiter_waits_and_the_outputs_are_final(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, tmp_path: Path
) -> None:
    workspace = scenario(a_construct(fake_api))
    without_python(workspace, SH_CURL, tmp_path)
    outputs = apply_once(workspace)
    assert_outputs_match_server(outputs, fake_api)
    polls = waiter_polls(fake_api)
    assert polls.get(SH_AGENT, 0) >= 2 and USER_AGENT not in polls, polls
    assert_no_changes(workspace)
    workspace.destroy()


def test_without_python3_a_failure_reads_as_with_it_and_a_sensitive_key_is_used_not_printed(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, tmp_path: Path
) -> None:
    key = "sk-e2e-key-only-in-a-sensitive-variable"
    fake_api.script_run_outcomes(RunOutcome.failed("invalid_prompt", f'The prompt "{key[:6]}…" was rejected.'))
    workspace = scenario(a_construct(fake_api, api_key_variable=True))
    without_python(workspace, SH_CURL, tmp_path)
    workspace.extra_env.update({"OPENAI_API_KEY": "", "TF_VAR_openai_api_key": key})
    workspace.init()
    failed = workspace.apply(check=False)
    assert failed.returncode == 1
    printed = " ".join((failed.stdout + failed.stderr).split())  # Terraform wraps long lines
    [run] = [r.response_body for r in successful(fake_api, "POST", RUN_CREATE)]
    assert (
        f"OpenAI run {run['id']} on thread {run['thread_id']} ended with status failed: last_error invalid_prompt:"
        f' The prompt "sk-e2e…" was rejected. The run stays in Terraform state' in printed
    ), printed
    assert key not in printed
    assert "JSON_AWK=" not in printed and "def outcome_message" not in printed, "quiet: no program source is shown"
    polls = [r for r in fake_api.requests_matching("GET", RUN_GET) if r.header("user-agent") == SH_AGENT]
    assert polls and {r.header("authorization") for r in polls} == {f"Bearer {key}"}
    workspace.cleanup()


def test_with_nothing_to_wait_with_the_apply_fails_before_polling_and_the_next_one_checks_the_same_run(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, tmp_path: Path
) -> None:
    workspace = scenario(a_construct(fake_api))
    without_python(workspace, Kit("sh-only", {"sh": SH_CURL.programs["sh"]}), tmp_path)
    workspace.init()
    failed = workspace.apply(check=False)
    assert failed.returncode == 1
    assert NO_CLIENT_NOR_PYTHON in " ".join((failed.stdout + failed.stderr).split())
    agents = waiter_polls(fake_api)
    assert agents and SH_AGENT not in agents and USER_AGENT not in agents, f"only the provider read the run: {agents}"

    without_python(workspace, SH_CURL, tmp_path)  # curl installed: the next apply waits for the same run
    workspace.apply()
    assert_outputs_match_server(workspace.outputs(), fake_api)
    assert len(successful(fake_api, "POST", RUN_CREATE)) == 1
    assert_no_changes(workspace)
    workspace.destroy()
