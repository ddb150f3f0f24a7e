"""Gateway benchmark: what the gateway adds to a run over calling the upstream directly, and 1,000 runs through it.

Run ``bash benchmarks/gateway.sh`` (or ``python -m benchmarks.gateway_bench``). Everything runs on this machine:
the fake Responses API (``tests.fake_upstream``, spec-strict, in a process of its own) answers each request after
``--latency`` seconds; the gateway runs as its command does (``python -m openai_thread_run.gateway``, defaults but
``--concurrency 64``) on a SQLite file, then on a PostgreSQL 15 started from the machine's binaries.

- **directly**: the client sends the request a run would make (``POST /v1/responses``) to the upstream, ``c`` at a
  time; the time of one call is the baseline. At one at a time each run through the gateway follows a direct call
  of its own, and those are its baseline (the same load as the run's; one measured beforehand drifts with it).
- **through the gateway**: each run has a thread of its own with one message (made beforehand, not timed); the
  client creates the run (``POST /threads/{id}/runs``), ``c`` at a time, and the run's time is from sending that
  request until the run is ``completed`` in the gateway's database (a thread reads the database every millisecond:
  that is when a client's ``GET`` of the run would see it). **Added** = a run's time minus the median direct call at
  the same concurrency. The gateway's CPU time per run is measured over each series.
- **1,000 runs**: the same at ``--big-concurrency`` in flight: throughput (runs per second, wall time of the
  batch), added latency p50/p99, the gateway's peak memory (VmHWM), and runs lost (not completed, or not answered
  exactly once).
- **where the time goes** (p50 of each phase of a run): *create* (the ``POST`` of the run, until its answer),
  *dispatch* (until the upstream has the request), *upstream* (the upstream's own time), *finish* (from the
  upstream's answer until the run is completed in the database). The upstream writes when each request arrived
  and was answered (``--records``); the clocks are the same (``CLOCK_MONOTONIC``, one machine).

Medians and percentiles; raw figures go to ``benchmarks/results/`` as JSON, the summary is printed as markdown.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy

from benchmarks.machine import load_average, machine_info
from tests.gateway.conftest import KEY, gateway_env
from tests.gateway.processes import GatewayProcess, Postgres, dies_with_us

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
TARGET_ADDED_P50_MS = 10.0
DIRECT_BODY = {"model": "gpt-4o", "input": [{"role": "user", "content": "Question"}], "instructions": "Be brief."}


@dataclass
class Series:
    """Times (seconds) of one measurement; ``sent`` and ``answered``: per question, when the run was sent and its
    creation answered (``time.monotonic()``)."""

    name: str
    concurrency: int
    times: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    sent: dict[str, float] = field(default_factory=dict)
    answered: dict[str, float] = field(default_factory=dict)
    done: dict[str, float] = field(default_factory=dict)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def start_upstream(latency_s: float, records: Path) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "tests.fake_upstream", "--latency", str(latency_s), "--max-lifetime", "3600"]
    command += ["--records", str(records)]
    process = subprocess.Popen(dies_with_us(command), stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


async def direct(url: str, concurrency: int, count: int) -> Series:
    series = Series("direct", concurrency)
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one() -> None:
            async with limit:
                series.times.append(await direct_call(client, url))

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        series.wall_s = time.perf_counter() - began
    return series


async def direct_call(client: httpx.AsyncClient, url: str) -> float:
    """Send the request a run makes to the upstream; return how long its answer took (seconds)."""
    started = time.perf_counter()
    answer = await client.post(url + "/responses", json=DIRECT_BODY, headers={"Authorization": "Bearer k"})
    answer.raise_for_status()
    return time.perf_counter() - started


class Completions:
    """Watches the gateway's database: when each run the client waits for became ``completed``.

    A thread asks the database every millisecond, over one connection of its own, which of the runs waited for
    are completed: by id, and only runs whose upstream answer may have come (``not_before``: a run cannot end
    before the upstream's latency has passed since its creation), so that watching costs the machine little CPU
    (the client, the gateway, the upstream and PostgreSQL share its cores).
    """

    def __init__(self, database_url: str) -> None:
        url = sqlalchemy.make_url(database_url)
        if url.get_backend_name() == "sqlite":
            self._connection: Any = sqlite3.connect(url.database or "", isolation_level=None, check_same_thread=False)
            self._placeholder = "?"
        else:
            import psycopg

            self._connection = psycopg.connect(database_url, autocommit=True)
            self._placeholder = "%s"
        self._waiting: dict[str, tuple[float, asyncio.AbstractEventLoop, asyncio.Future[float]]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            with self._lock:
                waited = [run_id for run_id, (not_before, _, _) in self._waiting.items() if not_before <= now]
            if waited:
                marks = ", ".join([self._placeholder] * len(waited))
                query = f"SELECT id FROM otr_runs WHERE status = 'completed' AND id IN ({marks})"
                done = [row[0] for row in self._connection.execute(query, waited).fetchall()]
                now = time.monotonic()
                with self._lock:
                    for run_id in done:
                        _, loop, future = self._waiting.pop(run_id)
                        loop.call_soon_threadsafe(future.set_result, now)
            time.sleep(0.001)

    async def completed(self, run_id: str, not_before: float) -> float:
        """Wait until the run is seen ``completed`` (not looked for before ``not_before``); return when.

        Both times are ``time.monotonic()``.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[float] = loop.create_future()
        with self._lock:
            self._waiting[run_id] = (not_before, loop, future)
        return await future

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._connection.close()


async def through(
    gateway: GatewayProcess,
    completions: Completions,
    concurrency: int,
    count: int,
    label: str,
    upstream_url: str,
    latency_s: float,
) -> Series:
    """Runs through the gateway, ``concurrency`` at a time; one at a time, each after a direct call of its own."""
    series = Series(label, concurrency)
    direct_times: list[float] = []
    series.extra["direct_times"] = direct_times
    async with (
        httpx.AsyncClient(
            base_url=gateway.url, headers=HEADERS, timeout=60, limits=httpx.Limits(max_connections=concurrency)
        ) as client,
        httpx.AsyncClient(timeout=60) as direct_client,
    ):
        assistant = (await client.post("/assistants", json={"model": "gpt-4o", "instructions": "Be brief."})).json()
        threads = []
        for index in range(count):
            question = f"{label} {index}"
            body = {"messages": [{"role": "user", "content": question}]}
            threads.append((question, (await client.post("/threads", json=body)).json()["id"]))
        limit = asyncio.Semaphore(concurrency)

        async def one(question: str, thread_id: str) -> None:
            async with limit:
                if concurrency == 1:  # the baseline under the same load as the run
                    direct_times.append(await direct_call(direct_client, upstream_url))
                started = time.monotonic()
                run = (await client.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant["id"]})).json()
                series.sent[question], series.answered[question] = started, time.monotonic()
                series.done[question] = await completions.completed(run["id"], started + latency_s)

        began, cpu = time.perf_counter(), cpu_seconds(gateway.process.pid)  # (direct calls cost the gateway none)
        with contextlib.suppress(TimeoutError):  # what is not done by then is lost
            await asyncio.wait_for(asyncio.gather(*(one(*thread) for thread in threads)), timeout=600)
        series.wall_s = time.perf_counter() - began
        series.extra["gateway_cpu_ms_per_run"] = (cpu_seconds(gateway.process.pid) - cpu) * 1000 / count
    series.times = [series.done[question] - series.sent[question] for question in series.done]
    series.extra["lost"] = count - len(series.times)
    return series


def answered_once(database_url: str) -> dict[str, int]:
    engine = sqlalchemy.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        answers = connection.execute(
            sqlalchemy.text("SELECT count(*) FROM otr_messages WHERE run_id IS NOT NULL")
        ).scalar()
        runs = connection.execute(sqlalchemy.text("SELECT count(*) FROM otr_runs")).scalar()
        completed = connection.execute(
            sqlalchemy.text("SELECT count(*) FROM otr_runs WHERE status = 'completed'")
        ).scalar()
    engine.dispose()
    return {"runs": int(runs or 0), "completed": int(completed or 0), "answers": int(answers or 0)}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used, from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def small_series(args: argparse.Namespace) -> list[tuple[int, int]]:
    """The (concurrency, runs) of the small series: 1 at a time, and 50 at a time unless ``--only-one``."""
    return [(1, args.small_runs)] + ([] if args.only_one else [(50, args.small_runs * 5)])


def run_database(kind: str, url: str, upstream_url: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    gateway_args = ["--database", url, "--upstream-url", upstream_url, "--concurrency", "64"]
    gateway = GatewayProcess(gateway_args, gateway_env(), folder / f"gateway-{kind}.log")
    completions = Completions(url)
    try:
        results: dict[str, Any] = {"start_rss_mib": peak_memory_mib(gateway.process.pid)}
        for concurrency, count in small_series(args):
            label = f"{kind}-c{concurrency}"
            results[f"c{concurrency}"] = asyncio.run(
                through(gateway, completions, concurrency, count, label, upstream_url, args.latency)
            )
        if args.big_runs:
            label = f"{kind}-big"
            results["big"] = asyncio.run(
                through(gateway, completions, args.big_concurrency, args.big_runs, label, upstream_url, args.latency)
            )
        results["peak_rss_mib"] = peak_memory_mib(gateway.process.pid)
        results["check"] = answered_once(url)
    finally:
        completions.close()
        gateway.kill()
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gateway_bench", description=__doc__)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the fake upstream takes per answer")
    parser.add_argument("--small-runs", type=int, default=40, help="runs at concurrency 1 (x5 at concurrency 50)")
    parser.add_argument("--big-runs", type=int, default=1000, help="0: none")
    parser.add_argument("--only-one", action="store_true", help="no series at 50 at a time (to iterate on latency)")
    parser.add_argument("--big-concurrency", type=int, default=50)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    load_before = load_average()
    folder = Path(tempfile.mkdtemp(prefix="otr-gateway-bench-"))
    records = folder / "upstream-records.json"
    upstream, upstream_url = start_upstream(args.latency, records)
    postgres: Postgres | None = None
    try:
        baseline = {c: asyncio.run(direct(upstream_url, c, n)) for c, n in small_series(args)}
        if args.big_runs:
            baseline[args.big_concurrency] = asyncio.run(
                direct(upstream_url, args.big_concurrency, args.small_runs * 5)
            )
        measured: dict[str, dict[str, Any]] = {}
        for kind in args.databases.split(","):
            if kind == "sqlite":
                url = f"sqlite:///{folder / 'gateway.db'}"
            else:
                postgres = postgres or Postgres()
                url = postgres.url(postgres.new_database())
            measured[kind] = run_database(kind, url, upstream_url, args, folder)
    finally:
        upstream.terminate()
        upstream.wait(30)
        if postgres is not None:
            postgres.stop()
    upstream_times = {record["text"]: record for record in json.loads(records.read_text())}
    report(baseline, measured, args, (load_before, load_average()), upstream_times)


def baseline_p50(series: Series, baseline: dict[int, Series]) -> float:
    """The median direct call to compare ``series`` with: its own interleaved calls, else those made beforehand."""
    interleaved: list[float] = series.extra.get("direct_times") or []
    return statistics.median(interleaved or baseline[series.concurrency].times)


def phases(series: Series, upstream: dict[str, dict[str, float]]) -> dict[str, float]:
    """The p50 of each phase of the series' runs (seconds): create, dispatch, upstream, finish."""
    found: dict[str, list[float]] = {"create": [], "dispatch": [], "upstream": [], "finish": []}
    for question, done in series.done.items():
        record = upstream.get(question)
        if record is None:
            continue
        found["create"].append(series.answered[question] - series.sent[question])
        found["dispatch"].append(record["received_at"] - series.answered[question])
        found["upstream"].append(record["answered_at"] - record["received_at"])
        found["finish"].append(done - record["answered_at"])
    return {name: statistics.median(values) for name, values in found.items() if values}


def report(
    baseline: dict[int, Series],
    measured: dict[str, dict[str, Any]],
    args: argparse.Namespace,
    load: tuple[str, str],
    upstream: dict[str, dict[str, float]],
) -> None:
    lines = [
        f"Fake upstream answering in {args.latency * 1000:.0f} ms; load average at the start {load[0]}, at the end"
        f" {load[1]}.",
        "",
        "| | concurrency | runs | direct call p50 (ms) | through the gateway p50 / p99 (ms) | added p50 / p99 (ms) |"
        " gateway CPU per run (ms) |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, results in measured.items():
        for key in ("c1", "c50"):
            if key not in results:
                continue
            series: Series = results[key]
            direct_p50 = baseline_p50(series, baseline)
            lines.append(
                f"| {kind} | {series.concurrency} | {len(series.times)} | {ms(direct_p50)} |"
                f" {ms(series.percentile(0.5))} / {ms(series.percentile(0.99))} |"
                f" {ms(series.percentile(0.5) - direct_p50)} / {ms(series.percentile(0.99) - direct_p50)} |"
                f" {series.extra['gateway_cpu_ms_per_run']:.1f} |"
            )
    if args.big_runs:
        lines += [
            "",
            f"{args.big_runs} runs, {args.big_concurrency} in flight:",
            "",
            "| | throughput (runs/s) | added p50 / p99 (ms) | gateway CPU per run (ms) | gateway memory, start / peak"
            " (MiB) | lost |",
            "|---|---|---|---|---|---|",
        ]
        for kind, results in measured.items():
            big: Series = results["big"]
            direct_p50 = statistics.median(baseline[args.big_concurrency].times)
            check = results["check"]
            lost = big.extra["lost"] + (check["runs"] - check["completed"]) + abs(check["completed"] - check["answers"])
            lines.append(
                f"| {kind} | {len(big.times) / big.wall_s:.0f} |"
                f" {ms(big.percentile(0.5) - direct_p50)} / {ms(big.percentile(0.99) - direct_p50)} |"
                f" {big.extra['gateway_cpu_ms_per_run']:.1f} |"
                f" {results['start_rss_mib']:.0f} / {results['peak_rss_mib']:.0f} | {lost} |"
            )
    lines += [
        "",
        "Where a run's time goes (p50, ms):",
        "",
        "| | concurrency | create | dispatch | upstream | finish |",
        "|---|---|---|---|---|---|",
    ]
    for kind, results in measured.items():
        for key in ("c1", "c50", "big"):
            if key not in results:
                continue
            split = phases(results[key], upstream)
            lines.append(
                f"| {kind} | {results[key].concurrency}{' (1,000 runs)' if key == 'big' else ''} |"
                f" {ms(split['create'])} | {ms(split['dispatch'])} | {ms(split['upstream'])} | {ms(split['finish'])} |"
            )
    met = all(
        results["c1"].percentile(0.5) - baseline_p50(results["c1"], baseline) < TARGET_ADDED_P50_MS / 1000
        for results in measured.values()
    )
    lines += [
        "",
        f"Target (added p50 under {TARGET_ADDED_P50_MS:.0f} ms at concurrency 1): {'met' if met else 'missed'}.",
    ]
    print("\n".join(lines))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    raw = {
        "machine": machine_info({"load average": load[0], "load average at the end": load[1]}),
        "args": vars(args),
        "baseline": {c: asdict(s) for c, s in baseline.items()},
        "measured": {
            kind: {key: asdict(value) if isinstance(value, Series) else value for key, value in results.items()}
            for kind, results in measured.items()
        },
    }
    path = RESULTS_DIR / f"gateway-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(raw, indent=1, default=str))
    print(f"\nraw figures: {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
