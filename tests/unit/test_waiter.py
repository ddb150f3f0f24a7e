"""The run waiter, run the way Terraform's local-exec provisioner runs it, against the local Assistants API.

Each test starts ``python3 -c <waiter source> waiter-label`` with the environment Terraform would give it.
Every run is also checked for what must never happen: the API key in the output, or a traceback.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest

from openai_thread_run import waiter
from openai_thread_run.waiter_program import PYTHON, waiter_source
from tests.fake_api import FakeAssistantsAPI, RunOutcome

FAKE_KEY = "sk-waiter-test-5f0c1e7d9a2b4c6e8f1a3b5c"
RUN_STAYS = (
    "The run stays in Terraform state, and the next terraform apply checks it again instead of starting a new run"
)
RERUN = "to start a new run on purpose, change a value in rerun_triggers."
RUN_GET = r"^/v1/threads/[^/]+/runs/[^/]+$"


@dataclass(frozen=True)
class Waited:
    """What one waiter process did."""

    exit_code: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def error(self) -> str:
        """The one message on stderr (nothing on stdout), without its newline."""
        assert self.stdout == "", self.stdout
        return one_line(self.stderr)


def one_line(output: str) -> str:
    assert output.endswith("\n") and output.count("\n") == 1, f"expected one line, got {output!r}"
    return output[:-1]


@dataclass(frozen=True)
class Run:
    """A run started on the fake API, and the waiter's environment for it."""

    api: FakeAssistantsAPI
    thread_id: str
    run_id: str

    @property
    def where(self) -> str:
        return f"OpenAI run {self.run_id} on thread {self.thread_id}"

    def env(self, **overrides: str | None) -> dict[str, str]:
        """The waiter's environment (``None`` leaves a variable out)."""
        env: dict[str, str | None] = {
            "PATH": os.environ["PATH"],
            waiter.THREAD_ID_VAR: self.thread_id,
            waiter.RUN_ID_VAR: self.run_id,
            waiter.TIMEOUT_VAR: "30",
            waiter.API_KEY_VAR: FAKE_KEY,
            waiter.API_URL_VAR: self.api.url,
        }
        env |= overrides
        return {name: value for name, value in env.items() if value is not None}

    def wait(self, **overrides: str | None) -> Waited:
        return run_waiter(self.env(**overrides))

    def polls(self) -> list[int]:
        """The statuses the fake API answered the waiter's polls with."""
        return [r.status for r in self.api.requests_matching("GET", RUN_GET)]


def run_waiter(env: dict[str, str]) -> Waited:
    """Run the waiter as Terraform does; fail on a leaked API key or a traceback."""
    started = time.monotonic()
    done = subprocess.run(
        [PYTHON, "-c", waiter_source(), "waiter-label"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    waited = Waited(done.returncode, done.stdout, done.stderr, time.monotonic() - started)
    assert FAKE_KEY not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return waited


def post(api: FakeAssistantsAPI, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": "Bearer sk-setup", "OpenAI-Beta": "assistants=v2", "Content-Type": "application/json"}
    request = urllib.request.Request(api.url + path, data=json.dumps(body).encode(), method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        result: dict[str, Any] = json.load(response)
        return result


def start_run(api: FakeAssistantsAPI, outcome: RunOutcome | None = None) -> Run:
    """Start a run on a new thread, which ends as ``outcome`` (default: it completes)."""
    if outcome is not None:
        api.script_run_outcomes(outcome)
    assistant = post(api, "/assistants", {"model": "gpt-4o"})
    thread = {"messages": [{"role": "user", "content": "Summarize the plan."}]}
    run = post(api, "/threads/runs", {"assistant_id": assistant["id"], "thread": thread})
    return Run(api, run["thread_id"], run["id"])


@pytest.fixture
def api() -> Iterator[FakeAssistantsAPI]:
    """A fake API whose runs end as soon as they are retrieved (``run_duration_s=0``)."""
    with FakeAssistantsAPI(max_lifetime_s=120, run_duration_s=0) as fake:
        yield fake


# -- outcomes ---------------------------------------------------------------------------------------------


def test_a_completed_run_exits_0_with_one_line_on_stdout() -> None:
    with FakeAssistantsAPI(max_lifetime_s=120) as stepwise:  # in_progress at the first poll, completed at the second
        run = start_run(stepwise)
        waited = run.wait(OPENAI_API_URL=stepwise.url + "/")
        requests = stepwise.requests_matching("GET", RUN_GET)
    assert (waited.exit_code, waited.stderr) == (0, "")
    line = one_line(waited.stdout)
    assert re.fullmatch(rf"{re.escape(run.where)} completed after \d+\.\d s and 2 polls\.", line), line
    assert [r.status for r in requests] == [200, 200] and waited.seconds >= waiter.FIRST_DELAY_S
    headers = requests[0].headers
    assert headers["authorization"] == f"Bearer {FAKE_KEY}" and headers["openai-beta"] == "assistants=v2"
    assert "openai-thread-run" in headers["user-agent"] and "openai-organization" not in headers


ENDINGS = [
    (
        RunOutcome.failed("rate_limit_exceeded", "You exceeded your current quota, please check your plan."),
        ": last_error rate_limit_exceeded: You exceeded your current quota, please check your plan.",
    ),
    (RunOutcome.cancelled(), "."),
    (RunOutcome.expired(), "."),
    (RunOutcome.incomplete("max_prompt_tokens"), ": incomplete_details.reason is max_prompt_tokens."),
]


@pytest.mark.parametrize(("outcome", "details"), ENDINGS, ids=[outcome.status for outcome, _ in ENDINGS])
def test_a_run_that_ends_otherwise_exits_1_with_its_details(
    api: FakeAssistantsAPI, outcome: RunOutcome, details: str
) -> None:
    run = start_run(api, outcome)
    waited = run.wait()
    assert waited.exit_code == 1
    assert waited.error == f"{run.where} ended with status {outcome.status}{details} {RUN_STAYS}; {RERUN}"


def test_a_run_that_requires_action_names_the_tool_calls_and_what_to_do(api: FakeAssistantsAPI) -> None:
    calls: list[tuple[str, dict[str, str]]] = [("get_weather", {"city": "Paris", "unit": "celsius"}), ("get_time", {})]
    run = start_run(api, RunOutcome.requires_action(*calls))
    waited = run.wait()
    assert waited.exit_code == 1
    assert waited.error == (
        f"{run.where} is waiting for the outputs of the tool calls"
        ' get_weather({"city": "Paris", "unit": "celsius"}), get_time({}).'
        " Terraform cannot answer tool calls, so give the run only tools that need no answers"
        " (code_interpreter) or no tools. The run keeps its thread busy until it expires (10 minutes on OpenAI);"
        " until then provider 1.2.0 cannot plan it (README, Known provider defects)."
        f" {RUN_STAYS}; {RERUN}"
    )


def test_a_run_that_does_not_finish_in_time_times_out_naming_its_last_status(api: FakeAssistantsAPI) -> None:
    run = start_run(api, RunOutcome.never_finishes("queued"))
    waited = run.wait(OTR_TIMEOUT_SECONDS="1")
    assert waited.exit_code == 1 and waited.seconds >= 1
    assert waited.error == (
        f"Timed out after 1 s waiting for {run.where} (last status: queued). The run stays in Terraform state"
        " and may still finish: once it has ended, the next terraform apply checks the same run again instead of"
        " starting a new one (provider 1.2.0 cannot plan a run that is still queued or in progress; README, Known"
        " provider defects)."
    )
    assert set(run.polls()) == {200}


# -- what the waiter retries, and what it does not ---------------------------------------------------------


def test_server_errors_are_retried(api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    api.inject_fault("GET", RUN_GET, 500, times=2)
    waited = run.wait()
    assert waited.exit_code == 0 and one_line(waited.stdout).endswith(" and 3 polls.")
    assert run.polls() == [500, 500, 200]


def test_a_rate_limit_is_retried_no_sooner_than_retry_after(api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    api.inject_fault("GET", RUN_GET, 429, retry_after=2)
    waited = run.wait()
    assert waited.exit_code == 0 and run.polls() == [429, 200]
    assert waited.seconds >= 2  # the backoff alone would have polled again after 1 s


def test_refused_connections_are_retried_until_the_api_listens_again(api: FakeAssistantsAPI) -> None:
    api.refuse_connections_after("POST", r"^/v1/threads/runs$", seconds=2)
    run = start_run(api)  # answered, then nothing listens for 2 s
    waited = run.wait()
    assert waited.exit_code == 0 and waited.seconds >= 2
    polls = int(re.findall(r"and (\d+) polls\.$", one_line(waited.stdout))[0])
    assert run.polls() == [200] and polls >= 2, "the refused polls were counted and retried"


def test_an_authentication_error_fails_at_once_with_the_api_message_and_no_key(api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    message = f"Incorrect API key provided: {FAKE_KEY}. You can find your API key at https://platform.openai.com."
    api.inject_fault("GET", RUN_GET, 401, message=message)
    waited = run.wait()  # run_waiter checks that the key the API echoed is not printed
    assert waited.exit_code == 1 and run.polls() == [401]
    assert waited.error == (
        f"{run.where}: the OpenAI API answered HTTP 401: Incorrect API key provided: [redacted]."
        f" You can find your API key at https://platform.openai.com. {RUN_STAYS}."
    )


def test_an_unknown_run_fails_at_once_with_the_api_message(api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    waited = run.wait(OTR_RUN_ID="run_gone")
    assert waited.exit_code == 1 and run.polls() == [404]
    assert waited.error == (
        f"OpenAI run run_gone on thread {run.thread_id}: the OpenAI API answered HTTP 404:"
        f" No run found with id 'run_gone'. {RUN_STAYS}."
    )


# -- inputs -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "  "])
def test_a_missing_api_key_is_one_clear_error(api: FakeAssistantsAPI, key: str | None) -> None:
    run = start_run(api)
    waited = run.wait(OPENAI_API_KEY=key)
    assert waited.exit_code == 2
    assert waited.error == (
        f"OPENAI_API_KEY is not set: the waiter needs the provider's API key to check run {run.run_id}"
        f" on thread {run.thread_id}."
    )
    assert run.polls() == []


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"OTR_TIMEOUT_SECONDS": "0"}, "OTR_TIMEOUT_SECONDS must be a positive whole number of seconds, not '0'."),
        ({"OTR_TIMEOUT_SECONDS": "1.5"}, "OTR_TIMEOUT_SECONDS must be a positive whole number of seconds, not '1.5'."),
        ({"OTR_RUN_ID": None}, "OTR_RUN_ID is not set: the waiter of an OpenAI run needs it."),
        ({"OPENAI_API_URL": "127.0.0.1:9/v1"}, "OPENAI_API_URL must be an http(s) URL, not '127.0.0.1:9/v1'."),
        (
            {"OPENAI_API_KEY": f"{FAKE_KEY}\nX-Injected: 1"},
            "OPENAI_API_KEY must be one line without control characters.",
        ),
    ],
    ids=["zero-timeout", "fractional-timeout", "no-run-id", "url-without-scheme", "key-with-a-newline"],
)
def test_invalid_inputs_are_one_clear_error(api: FakeAssistantsAPI, overrides: dict[str, str], error: str) -> None:
    run = start_run(api)
    waited = run.wait(**overrides)
    assert (waited.exit_code, waited.error) == (2, error)
    assert run.polls() == []


def test_the_organization_is_sent_as_a_header(api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    assert run.wait(OPENAI_ORGANIZATION="org-waiter").exit_code == 0
    [poll] = api.requests_matching("GET", RUN_GET)
    assert poll.header("OpenAI-Organization") == "org-waiter"


# -- pure helpers and the embedded source ----------------------------------------------------------------


def test_the_delays_start_at_one_second_and_grow_to_a_cap_of_ten() -> None:
    schedule = list(itertools.islice(waiter.delays(), 12))
    assert schedule[0] == 1.0
    growing = schedule[: schedule.index(10.0)]
    assert all(later > earlier for earlier, later in itertools.pairwise(growing))
    assert len(growing) >= 4 and schedule[len(growing) :] == [10.0] * (12 - len(growing))


def test_a_30_second_run_takes_at_most_10_polls() -> None:
    polled_at = [0.0, *itertools.accumulate(itertools.islice(waiter.delays(), 100))]
    polls_until_done = next(index + 1 for index, at in enumerate(polled_at) if at >= 30)
    assert polls_until_done <= 10


def test_retry_after_is_read_as_seconds_or_as_an_http_date() -> None:
    now = 1_700_000_000.0
    in_five_seconds = format_datetime(datetime.fromtimestamp(now + 5, tz=UTC), usegmt=True)
    assert waiter.retry_after_seconds("2", now) == 2.0
    assert waiter.retry_after_seconds(in_five_seconds, now) == 5.0
    for ignored in (None, "", "-3", "soon", "Wed, 21 Oct 2015 07:28:00 GMT"):
        assert waiter.retry_after_seconds(ignored, now) == 0.0, ignored


def test_the_embedded_source_is_the_waiter_module_without_terraform_template_sequences() -> None:
    source = waiter_source()
    assert source == Path(waiter.__file__).read_text(encoding="utf-8")
    assert "${" not in source and "%{" not in source


def test_the_embedded_source_is_python_3_9_and_imports_only_the_standard_library() -> None:
    tree = ast.parse(waiter_source(), feature_version=(3, 9))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert all(node.level == 0 for node in ast.walk(tree) if isinstance(node, ast.ImportFrom))
    assert {name.split(".")[0] for name in imported} <= sys.stdlib_module_names | {"__future__"}
