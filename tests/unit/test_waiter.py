"""The run waiters, run the way Terraform's local-exec provisioner runs them, against the local Assistants API.

Every behaviour test runs each program: ``python3 -c <waiter.py>``, and ``sh -c <waiter.sh>`` in three kits (a
PATH of symlinks holding only what the sh waiter may use, see :mod:`tests.waiter_kits`): dash + curl, dash + GNU
Wget, and BusyBox (sh, awk, tools) + curl. The same cases, the same expected text. Every run is also checked for
what must never happen: the API key in the output, or a traceback.

The programs run under the python3 and the tools on PATH, not under the Python running pytest, so scripts/test.sh
runs this module once (marker ``waiter_programs``), not once per Python version.
"""

from __future__ import annotations

import ast
import http.server
import itertools
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openai_thread_run import waiter
from openai_thread_run.waiter_sources import (
    MISSING_TOOLS,
    NO_CLIENT,
    NO_CLIENT_NOR_PYTHON,
    PYTHON,
    SH_WAITER_NEEDS,
    sh_waiter_source,
    waiter_source,
)
from tests.fake_api import FakeAssistantsAPI, RunOutcome
from tests.waiter_kits import BUSYBOX, PYTHON3, SH_CURL, SH_KITS, Kit, require

FAKE_KEY = "sk-waiter-test-5f0c1e7d9a2b4c6e8f1a3b5c"
RUN_STAYS = (
    "The run stays in Terraform state, and the next terraform apply checks it again instead of starting a new run"
)
RERUN = "to start a new run on purpose, change a value in rerun_triggers."
RUN_GET = r"^/v1/threads/[^/]+/runs/[^/]+$"
LABEL = "openai-thread-run-wait"

pytestmark = pytest.mark.waiter_programs


@dataclass(frozen=True)
class Program:
    """One way to run a waiter: its command line and PATH, and the User-Agent its polls carry."""

    name: str
    argv: list[str]
    path: str
    user_agent: str
    mode: str | None = None  # OTR_WAITER, for the sh program

    def run(self, env: dict[str, str], timeout: float = 60) -> Waited:
        """Run the waiter as Terraform does; fail on a leaked API key or a traceback."""
        env = {"PATH": self.path, **env}
        if self.mode is not None:
            env.setdefault("OTR_WAITER", self.mode)
        started = time.monotonic()
        done = subprocess.run(self.argv, env=env, capture_output=True, timeout=timeout, check=False)
        stdout, stderr = done.stdout.decode(), done.stderr.decode()
        waited = Waited(done.returncode, stdout, stderr, time.monotonic() - started)
        assert FAKE_KEY not in stdout + stderr
        assert "Traceback" not in stderr, stderr
        return waited


def python_program() -> Program:
    return Program("python", [PYTHON, "-c", waiter_source(), LABEL], os.environ["PATH"], waiter.USER_AGENT)


def sh_program(kit: Kit, folder: Path, mode: str = "sh") -> Program:
    client = "curl" if "curl" in kit.programs else "wget"
    path = str(kit.folder(folder))
    return Program(
        kit.name, [f"{path}/sh", "-c", sh_waiter_source(), LABEL], path, f"{waiter.USER_AGENT} (sh; {client})", mode
    )


@pytest.fixture(scope="session")
def kits(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("waiter-kits")


#: Every program, each behaviour test runs with.
PROGRAMS = ["python", *SH_KITS]


def only(*names: str) -> pytest.MarkDecorator:
    """Run a test with these programs only (where the others would run the same code on the same tools)."""
    return pytest.mark.parametrize("program", names, indirect=True)


@pytest.fixture(params=PROGRAMS)
def program(request: pytest.FixtureRequest, kits: Path) -> Program:
    name: str = request.param
    if name == "python":
        return python_program()
    require(SH_KITS[name])
    return sh_program(SH_KITS[name], kits)


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
            waiter.THREAD_ID_VAR: self.thread_id,
            waiter.RUN_ID_VAR: self.run_id,
            waiter.TIMEOUT_VAR: "30",
            waiter.API_KEY_VAR: FAKE_KEY,
            waiter.API_URL_VAR: self.api.url,
        }
        env |= overrides
        return {name: value for name, value in env.items() if value is not None}

    def polls(self) -> list[int]:
        """The statuses the fake API answered the waiter's polls with."""
        return [r.status for r in self.api.requests_matching("GET", RUN_GET)]


def post(api: FakeAssistantsAPI, path: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": "Bearer sk-setup", "OpenAI-Beta": "assistants=v2", "Content-Type": "application/json"}
    request = urllib.request.Request(api.url + path, data=json.dumps(body).encode(), method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=5) as response:
        result: dict[str, Any] = json.load(response)
        return result


def start_run(api: FakeAssistantsAPI, outcome: RunOutcome | None = None, **run: Any) -> Run:
    """Start a run on a new thread, which ends as ``outcome`` (default: it completes); ``run`` adds to its body."""
    if outcome is not None:
        api.script_run_outcomes(outcome)
    assistant = post(api, "/assistants", {"model": "gpt-4o"})
    thread = {"messages": [{"role": "user", "content": "Summarize the plan."}]}
    created = post(api, "/threads/runs", {"assistant_id": assistant["id"], "thread": thread, **run})
    return Run(api, created["thread_id"], created["id"])


@pytest.fixture
def api() -> Iterator[FakeAssistantsAPI]:
    """A fake API whose runs end as soon as they are retrieved (``run_duration_s=0``)."""
    with FakeAssistantsAPI(max_lifetime_s=120, run_duration_s=0) as fake:
        yield fake


# -- outcomes ---------------------------------------------------------------------------------------------


def test_a_completed_run_exits_0_with_one_line_on_stdout(program: Program) -> None:
    with FakeAssistantsAPI(max_lifetime_s=120) as stepwise:  # in_progress at the first poll, completed at the second
        run = start_run(stepwise)
        waited = program.run(run.env(OPENAI_API_URL=stepwise.url + "/"))
        requests = stepwise.requests_matching("GET", RUN_GET)
    assert (waited.exit_code, waited.stderr) == (0, "")
    line = one_line(waited.stdout)
    assert re.fullmatch(rf"{re.escape(run.where)} completed after \d+\.\d s and 2 polls\.", line), line
    assert [r.status for r in requests] == [200, 200] and waited.seconds >= waiter.FIRST_DELAY_S
    headers = requests[0].headers
    assert headers["authorization"] == f"Bearer {FAKE_KEY}" and headers["openai-beta"] == "assistants=v2"
    assert headers["accept"] == "application/json" and headers["user-agent"] == program.user_agent
    assert "openai-organization" not in headers


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
    program: Program, api: FakeAssistantsAPI, outcome: RunOutcome, details: str
) -> None:
    run = start_run(api, outcome)
    waited = program.run(run.env())
    assert waited.exit_code == 1
    assert waited.error == f"{run.where} ended with status {outcome.status}{details} {RUN_STAYS}; {RERUN}"


def test_a_run_that_requires_action_names_the_tool_calls_and_what_to_do(
    program: Program, api: FakeAssistantsAPI
) -> None:
    calls: list[tuple[str, dict[str, str]]] = [("get_weather", {"city": "Paris", "unit": "celsius"}), ("get_time", {})]
    run = start_run(api, RunOutcome.requires_action(*calls))
    waited = program.run(run.env())
    assert waited.exit_code == 1
    assert waited.error == (
        f"{run.where} is waiting for the outputs of the tool calls"
        ' get_weather({"city": "Paris", "unit": "celsius"}), get_time({}).'
        " Terraform cannot answer tool calls, so give the run only tools that need no answers"
        " (code_interpreter) or no tools. The run keeps its thread busy until it expires (10 minutes on OpenAI);"
        " until then provider 1.2.0 cannot plan it (README, Known provider defects)."
        f" {RUN_STAYS}; {RERUN}"
    )


HOSTILE_TEXT = "He said \"stop\" \\ then 'left'; ${HOME} $(id) `id` %{x} caf\u00e9 \U0001f600 \u2028 tab\there"


def test_text_the_api_sends_is_printed_as_it_decodes_whatever_it_holds(
    program: Program, api: FakeAssistantsAPI
) -> None:
    """Escaped quotes, backslashes, shell syntax, UTF-8 and \\u escapes, a newline; and a run whose instructions and
    metadata hold "status" keys of their own, which must not be taken for the run's."""
    arguments = {"query": HOSTILE_TEXT, "nested": {"list": [1, {"status": "completed"}]}}
    outcome = RunOutcome.failed("server_error", f"{HOSTILE_TEXT}\nsecond line")
    decoy = {"instructions": '{"status": "completed"} "status": "completed"', "metadata": {"status": "completed"}}
    run = start_run(api, outcome, **decoy)
    waited = program.run(run.env())
    assert waited.exit_code == 1 and waited.stdout == ""
    assert waited.stderr == (
        f"{run.where} ended with status failed: last_error server_error: {HOSTILE_TEXT}\nsecond line. {RUN_STAYS};"
        f" {RERUN}\n"
    )
    run = start_run(api, RunOutcome.requires_action(("lookup", arguments)), **decoy)
    waited = program.run(run.env())
    assert f"tool calls lookup({json.dumps(arguments)})." in waited.error  # the arguments' JSON text, \\u escapes kept


def test_a_run_that_does_not_finish_in_time_times_out_naming_its_last_status(
    program: Program, api: FakeAssistantsAPI
) -> None:
    run = start_run(api, RunOutcome.never_finishes("queued"))
    waited = program.run(run.env(OTR_TIMEOUT_SECONDS="1"))
    assert waited.exit_code == 1 and waited.seconds >= 1
    assert waited.error == (
        f"Timed out after 1 s waiting for {run.where} (last status: queued). The run stays in Terraform state"
        " and may still finish: once it has ended, the next terraform apply checks the same run again instead of"
        " starting a new one (provider 1.2.0 cannot plan a run that is still queued or in progress; README, Known"
        " provider defects)."
    )
    assert set(run.polls()) == {200}


@only("python", "sh-curl", "busybox-curl")  # sh-wget: the same sh and sleep as sh-curl
def test_polls_come_1_then_1_3_then_1_69_seconds_apart(program: Program, api: FakeAssistantsAPI) -> None:
    run = start_run(api, RunOutcome.never_finishes())
    api.inject_fault("GET", RUN_GET, 404, nth=4)  # ends the wait at the fourth poll
    assert program.run(run.env()).exit_code == 1
    polled_at = [r.answered_at for r in api.requests_matching("GET", RUN_GET)]
    gaps = [later - earlier for earlier, later in itertools.pairwise(polled_at)]
    assert len(gaps) == 3, gaps
    for gap, planned in zip(gaps, (1.0, 1.3, 1.69), strict=True):
        assert planned - 0.05 <= gap <= planned + 0.5, gaps


# -- what the waiter retries, and what it does not ---------------------------------------------------------


def test_server_errors_are_retried(program: Program, api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    api.inject_fault("GET", RUN_GET, 500, times=2)
    waited = program.run(run.env())
    assert waited.exit_code == 0 and one_line(waited.stdout).endswith(" and 3 polls.")
    assert run.polls() == [500, 500, 200]


def test_a_rate_limit_is_retried_no_sooner_than_retry_after(program: Program, api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    api.inject_fault("GET", RUN_GET, 429, retry_after=2)
    waited = program.run(run.env())
    assert waited.exit_code == 0 and run.polls() == [429, 200]
    assert waited.seconds >= 2  # the backoff alone would have polled again after 1 s


@only("python", "sh-curl", "busybox-curl")  # sh-wget: the same awk reads the date as for sh-curl
def test_a_retry_after_date_is_waited_for_too(program: Program, api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    in_three_seconds = format_datetime(datetime.fromtimestamp(time.time() + 3, tz=UTC), usegmt=True)
    api.inject_fault("GET", RUN_GET, 429, retry_after=in_three_seconds)
    waited = program.run(run.env())
    assert waited.exit_code == 0 and run.polls() == [429, 200]
    assert waited.seconds >= 1.9  # at least 2 s, as the date is given to the second


def test_refused_connections_are_retried_until_the_api_listens_again(program: Program, api: FakeAssistantsAPI) -> None:
    api.refuse_connections_after("POST", r"^/v1/threads/runs$", seconds=2)
    run = start_run(api)  # answered, then nothing listens for 2 s
    waited = program.run(run.env())
    assert waited.exit_code == 0 and waited.seconds >= 2
    polls = int(re.findall(r"and (\d+) polls\.$", one_line(waited.stdout))[0])
    assert run.polls() == [200] and polls >= 2, "the refused polls were counted and retried"


def test_a_timeout_after_refused_connections_names_the_clients_error(program: Program, api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    waited = program.run(run.env(OPENAI_API_URL="http://127.0.0.1:9/v1", OTR_TIMEOUT_SECONDS="1"))
    assert waited.exit_code == 1
    refused = {
        "python": "ConnectionRefusedError: [Errno 111] Connection refused",
        "sh-wget": "wget: failed: Connection refused.",
    }.get(program.name, "curl: (7) Failed to connect to 127.0.0.1 port 9")
    assert waited.error.startswith(f"Timed out after 1 s waiting for {run.where} (last status: none seen; last error:")
    assert refused in waited.error


def test_an_authentication_error_fails_at_once_with_the_api_message_and_no_key(
    program: Program, api: FakeAssistantsAPI
) -> None:
    run = start_run(api)
    message = f"Incorrect API key provided: {FAKE_KEY}. You can find your API key at https://platform.openai.com."
    api.inject_fault("GET", RUN_GET, 401, message=message)
    waited = program.run(run.env())  # Program.run checks that the key the API echoed is not printed
    assert waited.exit_code == 1 and run.polls() == [401]
    # GNU Wget does not keep the body of a 401 answer: its waiter names the status line's reason instead
    shown = (
        "Unauthorized"
        if program.name == "sh-wget"
        else "Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com"
    )
    assert waited.error == f"{run.where}: the OpenAI API answered HTTP 401: {shown}. {RUN_STAYS}."


def test_an_unknown_run_fails_at_once_with_the_api_message(program: Program, api: FakeAssistantsAPI) -> None:
    run = start_run(api)
    waited = program.run(run.env(OTR_RUN_ID="run_gone"))
    assert waited.exit_code == 1 and run.polls() == [404]
    assert waited.error == (
        f"OpenAI run run_gone on thread {run.thread_id}: the OpenAI API answered HTTP 404:"
        f" No run found with id 'run_gone'. {RUN_STAYS}."
    )


# -- inputs -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "  "])
def test_a_missing_api_key_is_one_clear_error(program: Program, api: FakeAssistantsAPI, key: str | None) -> None:
    run = start_run(api)
    waited = program.run(run.env(OPENAI_API_KEY=key))
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
        (
            {"OTR_TIMEOUT_SECONDS": "it's\t1"},
            'OTR_TIMEOUT_SECONDS must be a positive whole number of seconds, not "it\'s\\t1".',
        ),
        ({"OTR_RUN_ID": None}, "OTR_RUN_ID is not set: the waiter of an OpenAI run needs it."),
        ({"OTR_THREAD_ID": " "}, "OTR_THREAD_ID is not set: the waiter of an OpenAI run needs it."),
        ({"OPENAI_API_URL": "127.0.0.1:9/v1"}, "OPENAI_API_URL must be an http(s) URL, not '127.0.0.1:9/v1'."),
        (
            {"OPENAI_API_KEY": f"{FAKE_KEY}\nX-Injected: 1"},
            "OPENAI_API_KEY must be one line without control characters.",
        ),
        ({"OPENAI_ORGANIZATION": "org\r1"}, "OPENAI_ORGANIZATION must be one line without control characters."),
    ],
    ids=[
        "zero-timeout",
        "fractional-timeout",
        "quoted-timeout",
        "no-run-id",
        "blank-thread-id",
        "url-without-scheme",
        "key-with-a-newline",
        "organization-with-a-return",
    ],
)
def test_invalid_inputs_are_one_clear_error(
    program: Program, api: FakeAssistantsAPI, overrides: dict[str, str], error: str
) -> None:
    run = start_run(api)
    waited = program.run(run.env(**overrides))
    assert (waited.exit_code, waited.error) == (2, error)
    assert run.polls() == []


def test_the_organization_is_sent_as_a_header_and_ids_are_sent_percent_encoded(
    program: Program, api: FakeAssistantsAPI
) -> None:
    run = start_run(api)
    assert program.run(run.env(OPENAI_ORGANIZATION=" org-waiter ")).exit_code == 0
    [poll] = api.requests_matching("GET", RUN_GET)
    assert poll.header("OpenAI-Organization") == "org-waiter"
    waited = program.run(run.env(OTR_RUN_ID="run /é?#"))
    assert waited.exit_code == 1 and api.requests[-1].path == f"/v1/threads/{run.thread_id}/runs/run%20%2F%C3%A9%3F%23"


# -- the sh waiter: secrecy, what it needs, and the hand-over to python3 ------------------------------------


@pytest.mark.parametrize("name", SH_KITS)
def test_the_sh_waiter_never_puts_the_key_on_a_command_line_and_leaves_no_file(
    name: str, api: FakeAssistantsAPI, kits: Path, tmp_path: Path
) -> None:
    """Each program the waiter starts is a spy that logs its command line, then runs the real one."""
    kit = SH_KITS[name]
    require(kit)
    spies = tmp_path / "bin"
    spies.mkdir()
    log = tmp_path / "command-lines"
    real = kit.folder(kits)
    for program in kit.programs:
        if program != "sh":
            spy = spies / program
            spy.write_text(f'#!{real}/sh\nprintf "%s\\n" "$0 $*" >>"{log}"\nexec "{real}/{program}" "$@"\n')
            spy.chmod(0o700)
    (spies / "sh").symlink_to(real / "sh")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    run = start_run(api, RunOutcome.failed("server_error", f"It echoes {FAKE_KEY}"))
    spied = Program(name, [str(spies / "sh"), "-c", sh_waiter_source(), LABEL], str(spies), "", "sh")
    waited = spied.run({**run.env(OPENAI_ORGANIZATION="org-1"), "TMPDIR": str(temporary)})
    assert waited.exit_code == 1 and "It echoes [redacted]." in waited.error
    command_lines = log.read_text()
    assert ("/curl " if "curl" in kit.programs else "/wget ") in command_lines and "/awk " in command_lines
    assert FAKE_KEY not in command_lines
    assert [poll.header("authorization") for poll in api.requests_matching("GET", RUN_GET)] == [f"Bearer {FAKE_KEY}"]
    assert list(temporary.iterdir()) == [], "the request's settings and the answers are removed"


def waits_with(kit: Kit, kits: Path, mode: str, api: FakeAssistantsAPI) -> tuple[Waited, list[str | None]]:
    run = start_run(api)
    before = len(api.requests_matching("GET", RUN_GET))
    program = sh_program(kit, kits, mode)
    waited = program.run({**run.env(), "OTR_WAITER_PYTHON": waiter_source()})
    return waited, [r.header("user-agent") for r in api.requests_matching("GET", RUN_GET)[before:]]


def test_auto_hands_over_to_python3_where_it_is_installed(api: FakeAssistantsAPI, kits: Path) -> None:
    require(SH_CURL)
    waited, agents = waits_with(SH_CURL.plus("sh-curl-python3", python3=PYTHON3), kits, "auto", api)
    assert waited.exit_code == 0 and agents == [waiter.USER_AGENT]


@pytest.mark.parametrize("python3", [None, "too-old"])
def test_auto_runs_the_sh_waiter_without_a_python3_it_can_use(
    api: FakeAssistantsAPI, kits: Path, tmp_path: Path, python3: str | None
) -> None:
    require(SH_CURL)
    kit = SH_CURL
    if python3 == "too-old":  # a python3 that fails the version check (3.8 exits 1 there, as this one does)
        old = tmp_path / "python3"
        old.write_text(f"#!{SH_CURL.folder(kits)}/sh\nexit 1\n")
        old.chmod(0o700)
        kit = SH_CURL.plus("sh-curl-old-python3", python3=str(old))
    waited, agents = waits_with(kit, kits, "auto", api)
    assert waited.exit_code == 0 and agents == [f"{waiter.USER_AGENT} (sh; curl)"]


def test_the_sh_waiter_ignores_python3(api: FakeAssistantsAPI, kits: Path) -> None:
    require(SH_CURL)
    waited, agents = waits_with(SH_CURL.plus("sh-curl-python3", python3=PYTHON3), kits, "sh", api)
    assert waited.exit_code == 0 and agents == [f"{waiter.USER_AGENT} (sh; curl)"]


@pytest.mark.parametrize(
    ("mode", "extra", "error"),
    [
        ("auto", {}, NO_CLIENT_NOR_PYTHON),
        ("sh", {"python3": PYTHON3}, NO_CLIENT),
    ],
    ids=["auto-with-sh-only", "sh-with-python3-only"],
)
def test_with_nothing_to_wait_with_it_fails_before_polling_naming_what_to_install(
    api: FakeAssistantsAPI, kits: Path, mode: str, extra: dict[str, str], error: str
) -> None:
    require(SH_CURL)
    kit = Kit(f"sh-only-{mode}", {"sh": SH_CURL.programs["sh"], **extra})
    waited, agents = waits_with(kit, kits, mode, api)
    assert (waited.exit_code, waited.error, agents) == (2, error, [])
    assert "install one" in error and "wait_for_completion=False" in error


@pytest.mark.parametrize("missing", SH_WAITER_NEEDS)
def test_without_one_of_the_tools_it_needs_the_sh_waiter_names_it(
    api: FakeAssistantsAPI, kits: Path, missing: str
) -> None:
    require(SH_CURL)
    waited, agents = waits_with(SH_CURL.without(f"sh-curl-no-{missing}", missing), kits, "sh", api)
    assert (waited.exit_code, agents) == (2, [])
    assert waited.error == f"{MISSING_TOOLS} {missing}. {waiter.CHECKED_AGAIN}"


# -- pure helpers and the embedded sources ---------------------------------------------------------------


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


def test_the_configuration_embeds_the_waiter_module_verbatim() -> None:
    """What Terraform runs (the stack's local) is, byte for byte, the module these tests exercise in process.

    It holds no Terraform template sequence, so it is written as it is (the sh program is escaped instead).
    """
    import cdktf

    from openai_thread_run import OpenaiProvider, ThreadRunConstruct
    from openai_thread_run.waiter_sources import WAITER_LOCAL

    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", waiter="python")
    embedded = json.loads(cdktf.Testing.synth(stack))["locals"][WAITER_LOCAL]
    module_text = Path(waiter.__file__).read_text(encoding="utf-8")
    assert embedded == module_text
    assert "${" not in module_text and "%{" not in module_text
    assert waiter.main.__code__.co_filename == waiter.__file__, "the tests exercise that very file"


def test_the_embedded_python_source_is_python_3_9_and_imports_only_the_standard_library() -> None:
    tree = ast.parse(waiter_source(), feature_version=(3, 9))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert all(node.level == 0 for node in ast.walk(tree) if isinstance(node, ast.ImportFrom))
    assert {name.split(".")[0] for name in imported} <= sys.stdlib_module_names | {"__future__"}


def test_the_sh_source_is_waiter_sh_with_every_value_filled_in_from_waiter_py() -> None:
    source = sh_waiter_source()
    template = (Path(waiter.__file__).parent / "waiter.sh").read_text(encoding="utf-8")
    assert re.search(r"@[A-Z_]+@", source) is None and re.search(r"@[A-Z_]+@", template) is not None
    assert f"CHECKED_AGAIN='{waiter.CHECKED_AGAIN}'\n" in source and "DELAY_FACTOR_PERCENT=130\n" in source
    assert len(source.splitlines()) == len(template.splitlines())


def test_the_sh_source_reads_the_same_environment_variables_as_the_python_one() -> None:
    read = set(re.findall(r"\$\{((?:OTR|OPENAI)_[A-Z_]+)-", sh_waiter_source()))
    names = {waiter.THREAD_ID_VAR, waiter.RUN_ID_VAR, waiter.TIMEOUT_VAR, waiter.API_KEY_VAR, waiter.API_URL_VAR}
    assert read == names | {waiter.ORGANIZATION_VAR, "OTR_WAITER", "OTR_WAITER_PYTHON"}


# -- the JSON both waiters read: answers no spec-strict API sends, served as they are -------------------------


class _Canned(http.server.BaseHTTPRequestHandler):
    server: CannedAPI

    def do_GET(self) -> None:
        status, body = self.server.answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class CannedAPI(http.server.ThreadingHTTPServer):
    """Answers every GET with ``answer`` (status, body bytes); on 127.0.0.1, and it stops by itself after a minute."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Canned)
        self.answer: tuple[int, bytes] = (200, b"{}")
        self.url = f"http://127.0.0.1:{self.server_address[1]}/v1"

    def __enter__(self) -> CannedAPI:
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        self._stop = threading.Timer(60, self.shutdown)
        self._stop.daemon = True
        self._stop.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.cancel()
        self.shutdown()
        self.server_close()


WHERE = "OpenAI run run_1 on thread thread_1"
ENDED = f"{RUN_STAYS}; {RERUN}"
TOOLS_TAIL = (
    " Terraform cannot answer tool calls, so give the run only tools that need no answers (code_interpreter) or no"
    " tools. The run keeps its thread busy until it expires (10 minutes on OpenAI); until then provider 1.2.0 cannot"
    f" plan it (README, Known provider defects). {ENDED}"
)


def failed(last_error: Any, **more: Any) -> bytes:
    return json.dumps({"id": "run_1", "status": "failed", "last_error": last_error, **more}).encode()


def needs_tools(tool_calls: Any) -> bytes:
    action = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": tool_calls}}
    return json.dumps({"status": "requires_action", "required_action": action}).encode()


#: (id, HTTP status, body as sent, the one message both waiters print on stderr)
ANSWERS: list[tuple[str, int, bytes, str]] = [
    (
        "nested-objects-in-last-error",
        200,
        failed(
            {
                "code": "server_error",
                "details": {"status": "completed", "list": [[], {}, [{"a": None}]]},
                "message": "m",
            }
        ),
        f"{WHERE} ended with status failed: last_error server_error: m. {ENDED}",
    ),
    (
        "details-that-are-no-strings",
        200,
        failed({"code": None, "message": 42}),
        f"{WHERE} ended with status failed: last_error None: None. {ENDED}",
    ),
    ("no-last-error", 200, failed(None), f"{WHERE} ended with status failed: last_error None: None. {ENDED}"),
    (
        "escapes",
        200,
        b'{"status": "failed", "last_error": {"code": "a\\"b\\\\c\\/d", "message": "\\u00e9\\u20ac\\ud83d\\ude00'
        b' \\ud800 \\udc00\\ud800x \\u0000 \\b\\f\\t \xc3\xa9 \x7f"}}',
        f'{WHERE} ended with status failed: last_error a"b\\c/d: \u00e9\u20ac\U0001f600 \ufffd \ufffd\ufffdx \ufffd'
        f" \b\f\t \u00e9 \x7f. {ENDED}",
    ),
    (
        "crlf-tabs-and-a-bom",
        200,
        b'\xef\xbb\xbf{\r\n\t"status" :\t"cancelled" ,\r\n\t"n": [ 1 , -2.5e3 , true , false , null, NaN,'
        b" -Infinity ]\r\n}\r\n",
        f"{WHERE} ended with status cancelled. {ENDED}",
    ),
    (
        "the-last-of-duplicate-keys-counts",
        200,
        b'{"status": "completed", "last_error": {"code": "a", "message": "b"}, "status": "failed", "last_error": null}',
        f"{WHERE} ended with status failed: last_error None: None. {ENDED}",
    ),
    (
        "decoys-before-the-status",
        200,
        json.dumps(
            {
                "instructions": '"status": "completed"} {"status": "completed"',
                "metadata": {"status": "completed"},
                "tools": [{"status": "completed"}],
                "status": "expired",
            }
        ).encode(),
        f"{WHERE} ended with status expired. {ENDED}",
    ),
    ("an-escaped-key", 200, b'{"st\\u0061tus": "expired"}', f"{WHERE} ended with status expired. {ENDED}"),
    (
        "no-incomplete-details",
        200,
        b'{"status": "incomplete", "incomplete_details": {"why": "x"}}',
        f"{WHERE} ended with status incomplete: incomplete_details.reason is None. {ENDED}",
    ),
    (
        "tool-call-arguments-and-odd-calls",
        200,
        needs_tools(
            [
                {"function": {"name": "f", "arguments": json.dumps({"q": 'say "hi" \\ \u00e9', "n": [1, {"a": {}}]})}},
                {"function": {"name": 7, "arguments": {"not": "a string"}}},
                {"type": "function"},
                "not a call",
            ]
        ),
        f'{WHERE} is waiting for the outputs of the tool calls f({{"q": "say \\"hi\\" \\\\ \\u00e9", "n": [1, {{"a":'
        " {}}]}), None(None), None(None), None(None)." + TOOLS_TAIL,
    ),
    (
        "tool-calls-that-are-no-list",
        200,
        needs_tools({"0": {"function": {"name": "f", "arguments": "{}"}}}),
        f"{WHERE} is waiting for the outputs of the tool calls (none listed)." + TOOLS_TAIL,
    ),
    (
        "a-message-ending-in-whitespace-or-its-own-stop",
        200,
        failed({"code": "x", "message": "Really!  \n\t"}),
        f"{WHERE} ended with status failed: last_error x: Really! {ENDED}",
    ),
    (
        "the-key-echoed-twice",
        200,
        failed({"code": "x", "message": f"{FAKE_KEY}{FAKE_KEY} and {FAKE_KEY[:-1]}"}),
        f"{WHERE} ended with status failed: last_error x: [redacted][redacted] and {FAKE_KEY[:-1]}. {ENDED}",
    ),
    (
        "deep-nesting",
        200,
        b'{"deep": ' + b"[" * 200 + b"]" * 200 + b', "status": "expired"}',
        f"{WHERE} ended with status expired. {ENDED}",
    ),
    (
        "an-error-message-with-quotes-and-unicode",
        403,
        json.dumps({"error": {"message": 'You can\'t "do" that \u2014 sorry', "type": "x"}}).encode(),
        f'{WHERE}: the OpenAI API answered HTTP 403: You can\'t "do" that \u2014 sorry. {RUN_STAYS}.',
    ),
    (
        "an-error-without-a-message",
        404,
        b'{"error": {"message": ""}}',
        f"{WHERE}: the OpenAI API answered HTTP 404: Not Found. {RUN_STAYS}.",
    ),
    (
        "an-error-that-is-no-envelope",
        400,
        b'["error", {"message": "no"}]',
        f"{WHERE}: the OpenAI API answered HTTP 400: Bad Request. {RUN_STAYS}.",
    ),
]
#: sh with each awk the waiter meets: mawk (Debian, Ubuntu), gawk (Fedora, RHEL), the one-true-awk (BSD, macOS),
#: BusyBox's (Alpine).
AWKS = {
    "mawk": SH_CURL,
    **{awk: SH_CURL.plus(f"sh-curl-{awk}", awk=awk) for awk in ("gawk", "original-awk", BUSYBOX)},
}
#: Awks that end a string at a NUL byte (C strings), and so read a body only up to one; no JSON holds one.
NUL_BLIND = {"original-awk", BUSYBOX}


@pytest.fixture
def canned() -> Iterator[CannedAPI]:
    with CannedAPI() as server:
        yield server


def canned_env(server: CannedAPI, **more: str) -> dict[str, str]:
    env = {"OTR_THREAD_ID": "thread_1", "OTR_RUN_ID": "run_1", "OTR_TIMEOUT_SECONDS": "5"}
    return {**env, "OPENAI_API_KEY": FAKE_KEY, "OPENAI_API_URL": server.url, **more}


@pytest.mark.parametrize(("status", "body", "message"), [a[1:] for a in ANSWERS], ids=[a[0] for a in ANSWERS])
def test_both_waiters_read_hard_json_alike(
    program: Program, canned: CannedAPI, status: int, body: bytes, message: str
) -> None:
    canned.answer = (status, body)
    waited = program.run(canned_env(canned))
    assert (waited.exit_code, waited.stdout, waited.stderr) == (1, "", message + "\n")


@pytest.mark.parametrize("awk", AWKS)
def test_every_awk_reads_the_hard_json_alike(awk: str, canned: CannedAPI, kits: Path) -> None:
    kit = AWKS[awk]
    require(kit)
    program = sh_program(kit, kits)
    for _, status, body, message in ANSWERS:
        canned.answer = (status, body)
        waited = program.run(canned_env(canned))
        assert (waited.exit_code, waited.stderr) == (1, message + "\n"), body


def test_what_is_no_json_run_object_is_retried_until_the_timeout(program: Program, canned: CannedAPI) -> None:
    canned.answer = (200, b'{"status": "failed",}')
    waited = program.run(canned_env(canned, OTR_TIMEOUT_SECONDS="1"))
    assert waited.exit_code == 1
    assert waited.error == (
        f"Timed out after 1 s waiting for {WHERE} (last status: none seen; last error: the answer is not a run"
        f" object).{waiter.STILL_RUNNING}"
    )


# -- the awk reader alone: it takes a body for a run exactly when Python's json does ---------------------------

#: Bodies around every rule of JSON (RFC 8259) and of Python's json.loads on bytes (NaN and Infinity; UTF-8 as
#: decoded with surrogatepass; a BOM); each either a run object with a status, or not one.
DOCUMENTS = [
    *(
        b'{"status": "s", "n": %s}' % number
        for number in (
            b"0",
            b"-0",
            b"1.5",
            b"-1.5e-3",
            b"1E+2",
            b"NaN",
            b"Infinity",
            b"-Infinity",
            b"01",
            b"1.",
            b".5",
            b"+1",
            b"1e",
            b"1e+",
            b"-",
            b"--1",
            b"0x1",
            b"-NaN",
            b"infinity",
            b"1 2",
        )
    ),
    *(b'{"status": "s", "x": %s}' % literal for literal in (b"true", b"false", b"null", b"tru", b"nulls", b"True")),
    b'{"status": "s"}',
    b' \t\r\n{"status":"s"}\n ',
    b'\xef\xbb\xbf{"status": "s"}',
    b'{"status": "s"}\x00',
    b'{"status": "s",}',
    b'{"status": "s" "x": 1}',
    b'{"status" "s"}',
    b"{'status': 's'}",
    b'{status: "s"}',
    b'{"status": "s"}}',
    b'{"status": "s"',
    b'{"status": "s',
    b'{"status": "s"} {}',
    b"",
    b"  ",
    b"[]",
    b'"s"',
    b'{"status": 1}',
    b'{"status": null}',
    b'{"status": ["s"]}',
    b'{"a": [1, 2,]}',
    b'{"a": [,]}',
    b'{"a": {"b"}}',
    b'{"status": "a\tb"}',
    b'{"status": "a\nb"}',
    b'{"status": "a\x1fb"}',
    b'{"status": "a\x7fb"}',
    b'{"status": "\\x"}',
    b'{"status": "\\u12"}',
    b'{"status": "\\u12G4"}',
    b'{"status": "\\"}',
    b'{"status": "\\\\"}',
    b'{"status": "\\""}',
    b'{"st\\u0061tus": "s"}',
    b'{"status": "\\ud800"}',
    b'{"status": "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"}',
    b'{"status": "\xed\xa0\x80"}',
    b'{"status": "\x80"}',
    b'{"status": "\xc0\x80"}',
    b'{"status": "\xe2\x82"}',
    b'{"status": "\xf5\x80\x80\x80"}',
    b'{"status": "\xf4\x90\x80\x80"}',
    b'{"status": "\xe0\x80\xaf"}',
    b'{"x": "\xff", "status": "s"}',
    b'{"status": "s", "status": "t"}',
    b'{"status": "s", "status": 1}',
    b'{"status": 1, "status": "s"}',
    b'{"d": ' + b"[" * 300 + b"]" * 300 + b', "status": "s"}',
    b'{"d": ' + b"[" * 300 + b"]" * 299 + b', "status": "s"}',
]


def awk_reader() -> str:
    """The awk program the sh waiter reads JSON with."""
    found = re.search(r"^JSON_AWK='\n(.*?)\n'$", sh_waiter_source(), re.MULTILINE | re.DOTALL)
    assert found is not None
    return found.group(1)


def read_with_awk(awk: str, body: bytes) -> dict[str, str]:
    """What the awk reader makes of ``body`` (mode run): the sh variables it sets."""
    done = subprocess.run(
        [awk, "-v", "mode=run", awk_reader()], input=body, capture_output=True, env={"LC_ALL": "C"}, check=True
    )
    return dict(item.split("=", 1) for item in shlex.split(done.stdout.decode("utf-8", "surrogateescape")))


def read_with_python(body: bytes) -> dict[str, str]:
    """What the Python waiter makes of ``body``: the status of the run object, or no status when it is none."""
    try:
        run = json.loads(body)
    except (ValueError, RecursionError):
        return {"run_ok": ""}
    if not isinstance(run, dict) or not isinstance(run.get("status"), str):
        return {"run_ok": ""}
    return {"run_ok": "yes", "run_status": waiter.UNPRINTABLE.sub("\ufffd", run["status"])}


@pytest.mark.parametrize("awk", AWKS)
def test_the_awk_reader_takes_a_body_for_a_run_exactly_when_python_does(awk: str, kits: Path) -> None:
    require(AWKS[awk])
    differ = []
    for body in DOCUMENTS:
        if b"\x00" in body and awk in NUL_BLIND:
            continue
        read = read_with_awk(str(AWKS[awk].folder(kits) / "awk"), body)
        expected = read_with_python(body)
        if {name: read.get(name) for name in expected} != expected:
            differ.append((body, read, expected))
    assert differ == []
    assert sum(read_with_python(body)["run_ok"] == "yes" for body in DOCUMENTS) > 20, "both kinds are tried"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
tricky_text = st.text(st.characters(codec=None) | st.sampled_from('"\\/\b\f\n\r\t\x00\x7f\u2028\ud800\udc00\U0001f600'))


@st.composite
def run_bodies(draw: st.DrawFn) -> bytes:
    """A run object's JSON, written in any of the ways json.dumps can, and sometimes damaged by one byte."""
    run: dict[str, Any] = {
        "status": draw(st.sampled_from(["failed", "incomplete", "expired"]) | tricky_text),
        "last_error": draw(st.fixed_dictionaries({"code": tricky_text, "message": tricky_text}) | json_values),
        "incomplete_details": draw(st.fixed_dictionaries({"reason": tricky_text | json_values}) | st.none()),
    }
    run.update(draw(st.dictionaries(st.text(max_size=12), json_values, max_size=3)))
    text = json.dumps(
        run,
        ensure_ascii=draw(st.booleans()),
        indent=draw(st.sampled_from([None, 0, 2, "\t"])),
        sort_keys=draw(st.booleans()),
    )
    body = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(body)))
        edit = draw(st.sampled_from(["delete", "insert", "replace"]))
        byte = bytes([draw(st.integers(1, 255))])
        body = body[:at] + (b"" if edit == "delete" else byte) + body[at + (edit != "insert") :]
    return body


@given(body=run_bodies())
def test_the_awk_reader_and_python_agree_on_any_run_body(body: bytes, kits: Path) -> None:
    require(SH_CURL)
    read = read_with_awk(str(SH_CURL.folder(kits) / "awk"), body)
    expected = read_with_python(body)
    assert read["run_ok"] == expected["run_ok"], body
    if expected["run_ok"]:
        run = json.loads(body)
        for name, keys in (
            ("error_code", ("last_error", "code")),
            ("error_message", ("last_error", "message")),
            ("incomplete_reason", ("incomplete_details", "reason")),
        ):
            expected[name] = waiter.UNPRINTABLE.sub("\ufffd", waiter._text(run, *keys))  # pyright: ignore[reportPrivateUsage]
        assert {name: read[name] for name in expected} == expected
