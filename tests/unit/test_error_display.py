"""How an uncaught ValidationError shows under the cdktf CLI, and that importing the library changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

PROGRAM = textwrap.dedent(
    """
    import sys
    import openai_thread_run
    from openai_thread_run import ThreadRunConstruct  # the construct library, imported on first use
    from cdktf import App, TerraformStack

    print("hook replaced on import:", sys.excepthook is not sys.__excepthook__, flush=True)
    ThreadRunConstruct(TerraformStack(App(), "s"), "tr", assistant_id="asst_1", temperature=5)
    """
)


def run(program: str, *, under_cli: bool, tmp_path: object) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if key != "CDKTF_OUTDIR"}
    if under_cli:
        environment["CDKTF_OUTDIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.mark.parametrize("under_cli", [True, False])
def test_importing_the_library_leaves_the_excepthook_alone(under_cli: bool, tmp_path: object) -> None:
    done = run(PROGRAM, under_cli=under_cli, tmp_path=tmp_path)
    assert "hook replaced on import: False" in done.stdout
    assert done.returncode == 1


def test_under_the_cli_an_uncaught_validation_error_shows_its_message_and_the_users_line(tmp_path: object) -> None:
    done = run(PROGRAM, under_cli=True, tmp_path=tmp_path)
    assert "Traceback" not in done.stderr
    assert "ValidationError: ThreadRunConstruct 'tr': 1 invalid input" in done.stderr
    assert "temperature: must be between 0 and 2" in done.stderr
    assert "\n  at <string>:8" in done.stderr


def test_outside_the_cli_the_error_has_its_traceback(tmp_path: object) -> None:
    done = run(PROGRAM, under_cli=False, tmp_path=tmp_path)
    assert "Traceback (most recent call last)" in done.stderr
    assert "temperature: must be between 0 and 2" in done.stderr


def test_other_exceptions_keep_their_traceback_under_the_cli(tmp_path: object) -> None:
    program = PROGRAM.replace(
        'ThreadRunConstruct(TerraformStack(App(), "s"), "tr", assistant_id="asst_1", temperature=5)',
        "try:\n"
        '    ThreadRunConstruct(TerraformStack(App(), "s"), "tr", assistant_id="asst_1", temperature=5)\n'
        "except openai_thread_run.ValidationError:\n"
        '    print("hook replaced after an error:", sys.excepthook is not sys.__excepthook__, flush=True)\n'
        "raise KeyError('other')",
    )
    done = run(program, under_cli=True, tmp_path=tmp_path)
    assert "hook replaced after an error: True" in done.stdout
    assert "Traceback (most recent call last)" in done.stderr and "KeyError: 'other'" in done.stderr
