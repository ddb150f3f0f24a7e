"""What a user sees from the real ``cdktf synth`` when an input is wrong or the provider is missing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.harness import NODE_BANNER, SCENARIO_APP, Tools, run_cdktf_synth


def test_a_validation_error_reaches_the_user_whole_and_nothing_is_written(tools: Tools, tmp_path: Path) -> None:
    scenario = {
        "construct": {
            "assistant_id": "asst_1",
            "messages": [{"role": "system", "content": "hi"}],
            "max_completion_tokens": 100,
        }
    }
    result = run_cdktf_synth(
        tools, tmp_path / "project", f"python3 {SCENARIO_APP}", {"OTR_E2E_SCENARIO": json.dumps(scenario)}
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ThreadRunConstruct 'thread-run': 2 invalid inputs" in output
    assert "messages[0].role: is not allowed (got 'system'; expected 'user' or 'assistant')" in output
    assert "max_completion_tokens: must be at least 256" in output
    assert NODE_BANNER not in output
    assert not (tmp_path / "project" / "cdktf.out" / "stacks" / "e2e" / "cdk.tf.json").exists()


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
    assert "ThreadRunConstruct needs an OpenaiProvider in this stack" in result.stdout + result.stderr
