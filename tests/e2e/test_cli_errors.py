"""What a user sees from the real ``cdktf synth``: warnings as warnings, invalid input once and without a traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from openai_thread_run.waiter_sources import apply_needs
from tests.e2e.harness import NODE_BANNER, SCENARIO_APP, Tools, run_cdktf_synth

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: Only the cdktf CLI runs here: the suite's runs on other Terraform versions and on OpenTofu leave these out.
pytestmark = pytest.mark.synth_only


def synth_scenario(tools: Tools, project: Path, scenario: dict[str, Any], *options: str) -> tuple[int, str]:
    result = run_cdktf_synth(
        tools, project, f"python3 {SCENARIO_APP}", {"OTR_E2E_SCENARIO": json.dumps(scenario)}, *options
    )
    return result.returncode, ANSI.sub("", result.stdout + result.stderr)


def test_a_validation_error_reaches_the_user_without_a_traceback_and_nothing_is_written(
    tools: Tools, tmp_path: Path
) -> None:
    scenario = {
        "construct": {
            "assistant_id": "asst_1",
            "messages": [{"role": "system", "content": "hi"}],
            "max_completion_tokens": 100,
        }
    }
    code, output = synth_scenario(tools, tmp_path / "project", scenario)
    assert code != 0
    assert "ValidationError: ThreadRunConstruct 'thread-run': 2 invalid inputs" in output
    assert "messages[0].role: is not allowed (got 'system'; expected 'user' or 'assistant')" in output
    assert "max_completion_tokens: must be at least 256" in output
    assert f"at {SCENARIO_APP}:" in output, "the user's line is named"
    assert "Traceback" not in output, "no traceback through jsii's frames"
    assert NODE_BANNER not in output
    assert not (tmp_path / "project" / "cdktf.out" / "stacks" / "e2e" / "cdk.tf.json").exists()


def test_warnings_are_cdktf_warnings_not_errors(tools: Tools, tmp_path: Path) -> None:
    """temperature=0 and inherited function tools warn: as WARN lines of the CLI, recorded in manifest.json; what
    terraform apply needs is an INFO line, once for the stack."""
    function = {"name": "lookup", "parameters": {"type": "object"}}
    scenario = {
        "assistant": {"model": "gpt-4o", "tools": [{"type": "function", "function": [function]}]},
        "construct": {"temperature": 0},
    }
    code, output = synth_scenario(tools, tmp_path / "project", scenario)
    assert code == 0, output
    assert "[ERROR]" not in output, "nothing on stderr, which the CLI would show as an error"
    assert "WARN [e2e/thread-run]: temperature=0: provider 1.2.0 treats 0 as unset" in output
    assert "[openai-thread-run:zero-sampling-value]" in output
    assert (
        "WARN [e2e/thread-run]: the run passes no tools, so it inherits the function tools of e2e/assistant" in output
    )
    assert "Pass tools=[CodeInterpreterTool()]" in output
    manifest = json.loads((tmp_path / "project" / "cdktf.out" / "manifest.json").read_text())
    levels = [(a["constructPath"], a["level"]) for a in manifest["stacks"]["e2e"]["annotations"]]
    assert sorted(set(levels)) == [("e2e", "@cdktf/info"), ("e2e/thread-run", "@cdktf/warn")]
    assert levels.count(("e2e", "@cdktf/info")) == 1
    needs = apply_needs({"auto"})
    assert f"INFO [e2e]: {needs} [openai-thread-run:apply-needs]" in output
    assert "python3 (3.9 or newer), or else sh with awk, date, mktemp, rm, sleep and curl or GNU Wget" in needs


def test_a_stack_without_openai_provider_fails_synth_naming_it(tools: Tools, tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(
        "from cdktf import App, TerraformStack\n"
        "from openai_thread_run import ThreadRunConstruct\n"
        "app = App()\n"
        "ThreadRunConstruct(TerraformStack(app, 'e2e'), 'run', assistant_id='asst_1')\n"
        "app.synth()\n"
    )
    result = run_cdktf_synth(tools, tmp_path / "project", f"python3 {app}")
    assert result.returncode != 0
    assert "ThreadRunConstruct e2e/run needs an OpenaiProvider in this stack" in result.stdout + result.stderr


def test_hcl_output_fails_synth_with_one_line_saying_json_is_required(tools: Tools, tmp_path: Path) -> None:
    scenario = {"construct": {"assistant_id": "asst_1", "messages": [{"role": "user", "content": "hi"}]}}
    code, output = synth_scenario(tools, tmp_path / "project", scenario, "--hcl")
    assert code != 0
    assert (
        "hcl_output: is not supported: openai-thread-run writes JSON only (cdk.tf.json); run cdktf synth without "
        "--hcl (and SYNTH_HCL_OUTPUT unset)"
    ) in output
    assert "Traceback" not in output
    assert not list((tmp_path / "project").glob("cdktf.out/stacks/e2e/cdk.tf*")), "no HCL, no JSON"
