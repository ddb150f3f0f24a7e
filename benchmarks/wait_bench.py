"""Waiting benchmark: ``terraform apply`` of a stack whose runs take seconds, and how often the waiter polls.

Run ``bash benchmarks/wait.sh`` (or ``python -m benchmarks.wait_bench``). It needs Terraform 1.5.7 and the
provider mirror that ``scripts/setup-tools.sh`` builds (read from its ``tools.env``).

Each repetition starts the local Assistants API (``tests.fake_api``) on 127.0.0.1 with ``run_duration_s`` set, so
every run ends that many seconds after it was created, creates an assistant there, and applies, in a fresh state:

- **the stack**: ``--stack-size`` ThreadRunConstructs (one message each, ``code_interpreter``), waiting for their
  runs (the default). Measured: the apply's wall time, the slowest run (created -> completed), where the rest of
  the apply goes (before the first run is created, between the last run's completion and its waiter seeing it,
  after that), and per run the API calls, with the waiter's polls (``User-Agent: openai-thread-run-waiter``)
  apart from the provider's own reads of the run;
- **one run** as long as the stack's (``--single-repetitions``): alone, its waiter starts sooner after the run is
  created than ten waiters starting at once do, so it polls at other moments of the run;
- **the long run**: one ThreadRunConstruct whose run takes ``--long-run-duration`` seconds: the waiter's polls.

The stacks are synthesized once (``App(outdir=...).synth()``) with the assistant id as a Terraform variable, and
initialized once; the API's URL and key reach the provider and the waiter through ``OPENAI_API_URL`` and
``OPENAI_API_KEY``, as in the end-to-end tests; the state is a file in the stack's folder. Medians; raw figures go to
``benchmarks/results/`` as JSON, the summary is printed as the markdown of BENCHMARKS.md. Nothing here asserts a
time: the targets are reported as met or missed.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.machine import load_average, machine_info
from openai_thread_run.waiter import USER_AGENT as WAITER_USER_AGENT
from tests.e2e.harness import API_KEY, terraform_env, tool_settings
from tests.fake_api import FakeAssistantsAPI, RecordedRequest

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
RUN_CREATE = re.compile(r"^/v1/threads/([^/]+)/runs$")
RUN_GET = re.compile(r"^/v1/threads/([^/]+)/runs/([^/]+)$")
STACK = "wait"
STATE = "terraform.tfstate"
#: The issue's targets: apply within the slowest run + 3 s; at most 10 polls for a 30 s run.
TARGET_APPLY_OVER_SLOWEST_S = 3.0
TARGET_LONG_RUN_S = 30.0
TARGET_LONG_RUN_POLLS = 10
COMMAND_TIMEOUT_S = 600


@dataclass(frozen=True)
class Tools:
    """Terraform and the CLI configuration that installs providers only from the local mirror."""

    terraform: Path
    cli_config: Path

    @classmethod
    def find(cls) -> Tools:
        """Read them from the environment or from ``tools.env`` (``scripts/setup-tools.sh`` writes it)."""
        values = tool_settings()
        try:
            tools = cls(Path(values["OTR_TERRAFORM"]), Path(values["OTR_TF_CLI_CONFIG_FILE"]))
        except KeyError as missing:
            raise SystemExit(f"{missing} is not set: run `bash scripts/setup-tools.sh` first") from None
        for path in (tools.terraform, tools.cli_config):
            if not path.exists():
                raise SystemExit(f"{path} is missing: run `bash scripts/setup-tools.sh` first")
        return tools


# -- the stacks ---------------------------------------------------------------------------------------------


def synthesize(outdir: Path, stack_size: int) -> Path:
    """Write a stack of ``stack_size`` waiting ThreadRunConstructs (assistant id: the variable ``assistant_id``)."""
    import cdktf

    from openai_thread_run import CodeInterpreterTool, OpenaiProvider, ThreadRunConstruct

    app = cdktf.App(outdir=str(outdir))
    stack = cdktf.TerraformStack(app, STACK)
    # in the stack's folder (cdktf's default is a path beside the app, shared by every stack of that name)
    cdktf.LocalBackend(stack, path=STATE)
    OpenaiProvider(stack, "openai")
    assistant_id = cdktf.TerraformVariable(stack, "assistant_id", type="string").string_value
    for index in range(stack_size):
        run = ThreadRunConstruct(
            stack,
            f"run-{index}",
            assistant_id=assistant_id,
            messages=[{"role": "user", "content": f"Question {index}: what does a waiter do?"}],
            tools=[CodeInterpreterTool()],
        )
        cdktf.TerraformOutput(stack, f"status-{index}", value=run.status)
    app.synth()
    return outdir / "stacks" / STACK


@dataclass
class Workspace:
    """A synthesized stack folder, initialized once, applied against a new local API each time."""

    tools: Tools
    directory: Path

    def terraform(self, api_url: str, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.tools.terraform), *args],
            cwd=self.directory,
            env=terraform_env(self.tools.cli_config, api_url),
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"terraform {' '.join(args[:2])} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
        return done

    def init(self) -> float:
        start = time.perf_counter()
        self.terraform("http://127.0.0.1:9/v1", "init", "-no-color", "-input=false")
        return time.perf_counter() - start

    def fresh_state(self) -> None:
        for name in (STATE, f"{STATE}.backup", f".{STATE}.lock.info"):
            (self.directory / name).unlink(missing_ok=True)


def create_assistant(api: FakeAssistantsAPI) -> str:
    """Create an assistant on the local API (outside the measured apply) and return its id."""
    request = urllib.request.Request(
        f"{api.url}/assistants",
        data=json.dumps({"model": "gpt-4o"}).encode(),
        headers={
            "Authorization": f"Bearer {API_KEY}",
            "OpenAI-Beta": "assistants=v2",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assistant_id: str = json.loads(response.read())["id"]
    return assistant_id


# -- one apply ----------------------------------------------------------------------------------------------


@dataclass
class RunTimeline:
    """One run, in seconds since the apply started (``time.monotonic`` of this process, as the API records)."""

    created_s: float
    completed_s: float
    #: When the waiter's poll that saw ``completed`` was answered.
    seen_s: float
    waiter_polls: int
    provider_reads: int
    #: created_at -> completed_at as the API reports them (whole seconds).
    api_duration_s: int


@dataclass
class ApplySample:
    """One apply of one stack against a fresh local API."""

    runs: int
    run_duration_s: float
    apply_s: float
    timelines: list[RunTimeline]
    #: Requests per run, by ``METHOD route`` (ids replaced by ``{id}``; run reads split into waiter and provider).
    calls_per_run: dict[str, float]
    load_average: str

    @property
    def slowest_run_s(self) -> float:
        return max(t.completed_s - t.created_s for t in self.timelines)

    @property
    def first_created_s(self) -> float:
        return min(t.created_s for t in self.timelines)

    @property
    def last_completed_s(self) -> float:
        return max(t.completed_s for t in self.timelines)

    @property
    def last_seen_s(self) -> float:
        return max(t.seen_s for t in self.timelines)


def _route(request: RecordedRequest) -> str:
    path = re.sub(r"/(thread|run|msg|asst)_[0-9a-f]+", r"/{\1}", request.path)
    if RUN_GET.match(request.path) and request.method == "GET":
        who = "waiter" if (request.header("user-agent") or "").startswith(WAITER_USER_AGENT) else "provider"
        return f"GET {path} ({who})"
    return f"{request.method} {path}"


def timelines(requests: Sequence[RecordedRequest], started: float, run_duration_s: float) -> list[RunTimeline]:
    """Each run's creation, completion and polls, from the requests the local API recorded."""
    found: list[RunTimeline] = []
    for created in requests:
        match = RUN_CREATE.match(created.path)
        if created.method != "POST" or match is None or created.status != 200:
            continue
        body = created.response_body
        path = f"{created.path}/{body['id']}"
        reads = [r for r in requests if r.method == "GET" and r.path == path and r.status == 200]
        polls = [r for r in reads if (r.header("user-agent") or "").startswith(WAITER_USER_AGENT)]
        seen = next((r for r in polls if r.response_body["status"] == "completed"), None)
        final = reads[-1].response_body if reads else body
        found.append(
            RunTimeline(
                created_s=created.answered_at - started,
                completed_s=created.answered_at + run_duration_s - started,
                seen_s=(seen.answered_at if seen is not None else float("nan")) - started,
                waiter_polls=len(polls),
                provider_reads=len(reads) - len(polls),
                api_duration_s=int(final.get("completed_at") or 0) - int(final["created_at"]),
            )
        )
    return found


def apply_once(workspace: Workspace, run_duration_s: float) -> ApplySample:
    """Apply the stack in a fresh state against a new local API whose runs take ``run_duration_s``."""
    workspace.fresh_state()
    with FakeAssistantsAPI(max_lifetime_s=COMMAND_TIMEOUT_S, run_duration_s=run_duration_s) as api:
        assistant_id = create_assistant(api)
        before = len(api.requests)
        load = load_average()
        started = time.monotonic()
        workspace.terraform(
            api.url, "apply", "-no-color", "-input=false", "-auto-approve", f"-var=assistant_id={assistant_id}"
        )
        apply_s = time.monotonic() - started
        requests = api.requests[before:]
    found = timelines(requests, started, run_duration_s)
    if not found or any(t.seen_s != t.seen_s for t in found):  # NaN: a waiter never saw its run completed
        raise RuntimeError(f"{len(found)} runs, not all seen completed by their waiters")
    calls = Counter(_route(r) for r in requests)
    return ApplySample(
        runs=len(found),
        run_duration_s=run_duration_s,
        apply_s=apply_s,
        timelines=found,
        calls_per_run={route: count / len(found) for route, count in sorted(calls.items())},
        load_average=load,
    )


# -- the report ---------------------------------------------------------------------------------------------


@dataclass
class Report:
    machine: dict[str, str]
    command: str
    stack_size: int
    run_duration_s: float
    long_run_duration_s: float
    init_s: float = 0.0
    stack: list[ApplySample] = field(default_factory=list)
    #: One run as long as the stack's: the waiter starts sooner after its run than ten at once do.
    single_run: list[ApplySample] = field(default_factory=list)
    long_run: list[ApplySample] = field(default_factory=list)


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def _row(name: str, samples: Sequence[ApplySample]) -> str:
    runs = [t for s in samples for t in s.timelines]
    polls = [t.waiter_polls for t in runs]
    return (
        f"| {name} | {_median([s.apply_s for s in samples]):.2f} | {_median([s.slowest_run_s for s in samples]):.2f} "
        f"| **{_median([s.apply_s - s.slowest_run_s for s in samples]):.2f}** "
        f"| {_median([float(p) for p in polls]):g} ({min(polls)}-{max(polls)}) "
        f"| {_median([float(t.provider_reads) for t in runs]):g} "
        f"| {_median([sum(s.calls_per_run.values()) for s in samples]):.1f} |"
    )


def _timeline(report: Report) -> list[str]:
    """Where the stack's apply goes, and every route the API saw, per run."""
    stack = report.stack
    lags = [t.seen_s - t.completed_s for s in stack for t in s.timelines]
    typical = sorted(stack, key=lambda s: s.apply_s)[len(stack) // 2]
    return [
        f"Where the stack's apply goes (medians): {_median([s.first_created_s for s in stack]):.2f} s until the "
        "first run is created (Terraform starts, plans, starts the provider, creates the threads); the runs are "
        f"created within {_median([max(t.created_s for t in s.timelines) - s.first_created_s for s in stack]):.2f} s "
        f"of each other; the last run completes {report.run_duration_s:g} s after its creation and its waiter sees "
        f"it {_median([s.last_seen_s - s.last_completed_s for s in stack]):.2f} s later (over every run: median "
        f"{_median(lags):.2f} s, at most {max(lags):.2f} s: the wait for the next poll); "
        f"{_median([s.apply_s - s.last_seen_s for s in stack]):.2f} s remain (the data sources are read, Terraform "
        "writes the state and exits).",
        "",
        "API calls per run (the median apply): "
        + ", ".join(f"`{route}` {count:g}" for route, count in typical.calls_per_run.items())
        + ".",
    ]


def targets(report: Report) -> list[str]:
    """The issue's targets, measured."""
    lines = []
    for name, samples in ((f"{report.stack_size} runs", report.stack), ("1 run", report.single_run)):
        if not samples:
            continue
        apply_s = _median([s.apply_s for s in samples])
        slowest_s = _median([s.slowest_run_s for s in samples])
        over_s = _median([s.apply_s - s.slowest_run_s for s in samples])
        lines.append(
            f"- apply <= slowest run + {TARGET_APPLY_OVER_SLOWEST_S:g} s ({name}): "
            f"{_met(over_s <= TARGET_APPLY_OVER_SLOWEST_S)} ({apply_s:.2f} s, slowest run {slowest_s:.2f} s: "
            f"+{over_s:.2f} s)"
        )
    if report.long_run:
        worst = max(t.waiter_polls for s in report.long_run for t in s.timelines)
        verdict = _met(worst <= TARGET_LONG_RUN_POLLS) if report.long_run_duration_s >= TARGET_LONG_RUN_S else "n/a"
        lines.append(
            f"- <= {TARGET_LONG_RUN_POLLS} polls for a {TARGET_LONG_RUN_S:g} s run: {verdict} "
            f"(at most {worst} polls for a {report.long_run_duration_s:g} s run)"
        )
    return lines


def markdown(report: Report) -> str:
    """The summary as the markdown of BENCHMARKS.md."""
    lines = [
        f"`{report.command}`",
        "",
        f"{len(report.stack)} applies of {report.stack_size} thread-runs whose runs take {report.run_duration_s:g} s "
        f"on the local API, {len(report.single_run)} of one such run and {len(report.long_run)} of one "
        f"{report.long_run_duration_s:g} s run, each in a fresh "
        f"state against a fresh API (`terraform init` once, {report.init_s:.1f} s). Medians; polls: median (range).",
        "",
        "| apply | wall s | slowest run s | wall - slowest run s | waiter polls per run | provider reads of the "
        "run, per run | API calls per run |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    if report.stack:
        lines.append(_row(f"{report.stack_size} runs of {report.run_duration_s:g} s", report.stack))
    if report.single_run:
        lines.append(_row(f"1 run of {report.run_duration_s:g} s", report.single_run))
    if report.long_run:
        lines.append(_row(f"1 run of {report.long_run_duration_s:g} s", report.long_run))
    if report.stack:
        lines += ["", *_timeline(report)]
    lines += ["", "Targets:", *targets(report)]
    lines += ["", "Machine: " + ", ".join(f"{key} {value}" for key, value in report.machine.items()) + "."]
    return "\n".join(lines)


def write_results(report: Report, path: Path | None) -> Path:
    if path is None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"wait-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(asdict(report), indent=2) + "\n")
    return path


# -- command line -------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.wait_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=5, help="applies of the stack (median)")
    parser.add_argument("--stack-size", type=int, default=10, help="thread-runs in the stack")
    parser.add_argument("--run-duration", type=float, default=5.0, help="seconds each run of the stack takes")
    parser.add_argument("--long-run-duration", type=float, default=30.0, help="seconds the long run takes")
    parser.add_argument("--single-repetitions", type=int, default=3, help="applies of one short run (0: none)")
    parser.add_argument("--long-repetitions", type=int, default=2, help="applies of the long run (0: none)")
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default: benchmarks/results/)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    if args.repetitions < 1 or args.stack_size < 1 or min(args.single_repetitions, args.long_repetitions) < 0:
        parser.error("--repetitions and --stack-size must be at least 1, the other repetitions at least 0")
    return args


def measure(
    *,
    repetitions: int,
    stack_size: int,
    run_duration_s: float,
    long_run_duration_s: float,
    single_repetitions: int,
    long_repetitions: int,
    command: str,
    quiet: bool = False,
) -> Report:
    """Synthesize and initialize both stacks once, then apply each the given number of times."""
    tools = Tools.find()
    report = Report(
        machine=machine_info({"terraform": _terraform_version(tools)}),
        command=command,
        stack_size=stack_size,
        run_duration_s=run_duration_s,
        long_run_duration_s=long_run_duration_s,
    )
    with tempfile.TemporaryDirectory(prefix="otr-wait-bench-") as scratch:
        stack = Workspace(tools, synthesize(Path(scratch) / "stack", stack_size))
        one_run = Workspace(tools, synthesize(Path(scratch) / "one", 1))
        report.init_s = stack.init()
        # the same provider: the one-run workspace reuses the stack's plugins
        shutil.copytree(stack.directory / ".terraform", one_run.directory / ".terraform")
        shutil.copy(stack.directory / ".terraform.lock.hcl", one_run.directory / ".terraform.lock.hcl")
        plan = [(stack, run_duration_s, report.stack)] * repetitions
        plan += [(one_run, run_duration_s, report.single_run)] * single_repetitions
        plan += [(one_run, long_run_duration_s, report.long_run)] * long_repetitions
        for number, (workspace, duration, samples) in enumerate(plan, start=1):
            sample = apply_once(workspace, duration)
            samples.append(sample)
            if not quiet:
                print(
                    f"apply {number}/{len(plan)}: {sample.runs} runs of {duration:g} s: {sample.apply_s:.2f} s "
                    f"(slowest run {sample.slowest_run_s:.2f} s), waiter polls per run "
                    f"{[t.waiter_polls for t in sample.timelines]}, load {sample.load_average}",
                    file=sys.stderr,
                    flush=True,
                )
    return report


def _terraform_version(tools: Tools) -> str:
    done = subprocess.run([str(tools.terraform), "version"], capture_output=True, text=True, check=False)
    return (done.stdout.splitlines() or ["unknown"])[0].removeprefix("Terraform ").strip()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = " ".join(["python -m benchmarks.wait_bench", *(argv if argv is not None else sys.argv[1:])])
    report = measure(
        repetitions=args.repetitions,
        stack_size=args.stack_size,
        run_duration_s=args.run_duration,
        long_run_duration_s=args.long_run_duration,
        single_repetitions=args.single_repetitions,
        long_repetitions=args.long_repetitions,
        command=command.strip(),
        quiet=args.quiet,
    )
    path = write_results(report, args.out)
    print(markdown(report))
    print(f"\nRaw figures: {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
