"""Gateway benchmark: what the gateway adds to a run over calling the upstream directly, and 1,000 runs through it.

Run ``bash benchmarks/gateway.sh`` (or ``python -m benchmarks.gateway_bench``). Everything runs on this machine:
the fake Responses API (``tests.fake_upstream``, spec-strict, in a process of its own) answers each request after
``--latency`` seconds; the gateway runs as its command does (``python -m openai_thread_run.gateway``, defaults but
``--concurrency 64``) on a SQLite file, then on a PostgreSQL 15 started from the machine's binaries.

- **directly**: the client sends the request a run would make (``POST /v1/responses``) to the upstream, ``c`` at a
  time; the time of one call is the baseline.
- **through the gateway**: each run has a thread of its own with one message (made beforehand, not timed); the
  client creates the run (``POST /threads/{id}/runs``), ``c`` at a time, and the run's time is from sending that
  request until the run is ``completed`` in the gateway's database (a thread reads the database every 2 ms: that
  is when a client's ``GET`` of the run would see it). **Added** = a run's time minus the median direct call at
  the same concurrency.
- **1,000 runs**: the same at ``--big-concurrency`` in flight: throughput (runs per second, wall time of the
  batch), added latency p50/p99, the gateway's peak memory (VmHWM), and runs lost (not completed, or not answered
  exactly once).

Medians and percentiles; raw figures go to ``benchmarks/results/`` as JSON, the summary is printed as markdown.
Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
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
    """Times (seconds) of one measurement."""

    name: str
    concurrency: int
    times: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def start_upstream(latency_s: float) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "tests.fake_upstream", "--latency", str(latency_s), "--max-lifetime", "3600"]
    process = subprocess.Popen(dies_with_us(command), stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


async def direct(url: str, concurrency: int, count: int) -> Series:
    series = Series("direct", concurrency)
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:

        async def one() -> None:
            async with limit:
                started = time.perf_counter()
                answer = await client.post(url + "/responses", json=DIRECT_BODY, headers={"Authorization": "Bearer k"})
                answer.raise_for_status()
                series.times.append(time.perf_counter() - started)

        began = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        series.wall_s = time.perf_counter() - began
    return series


class Completions:
    """Watches the gateway's database: when each run became ``completed`` (a thread reading every 2 ms)."""

    def __init__(self, database_url: str) -> None:
        self.engine = sqlalchemy.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
        self.seen: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        query = sqlalchemy.text("SELECT id FROM otr_runs WHERE status = 'completed'")
        while not self._stop.is_set():
            with self.engine.connect() as connection:
                done = connection.execute(query).scalars().all()
            now = time.perf_counter()
            for run_id in done:
                self.seen.setdefault(run_id, now)
            time.sleep(0.002)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.engine.dispose()


async def through(gateway: GatewayProcess, completions: Completions, concurrency: int, count: int) -> Series:
    series = Series("gateway", concurrency)
    async with httpx.AsyncClient(
        base_url=gateway.url, headers=HEADERS, timeout=60, limits=httpx.Limits(max_connections=concurrency)
    ) as client:
        assistant = (await client.post("/assistants", json={"model": "gpt-4o", "instructions": "Be brief."})).json()
        threads = []
        for index in range(count):
            body = {"messages": [{"role": "user", "content": f"Question {index}"}]}
            threads.append((await client.post("/threads", json=body)).json()["id"])
        limit = asyncio.Semaphore(concurrency)
        sent: dict[str, float] = {}

        async def one(thread_id: str) -> None:
            async with limit:
                started = time.perf_counter()
                run = (await client.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant["id"]})).json()
                sent[run["id"]] = started
                while run["id"] not in completions.seen:
                    await asyncio.sleep(0.002)

        began = time.perf_counter()
        with contextlib.suppress(TimeoutError):  # what is not done by then is lost
            await asyncio.wait_for(asyncio.gather(*(one(thread) for thread in threads)), timeout=600)
        series.wall_s = time.perf_counter() - began
    series.times = [
        completions.seen[run_id] - started for run_id, started in sent.items() if run_id in completions.seen
    ]
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


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def run_database(kind: str, url: str, upstream_url: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    gateway_args = ["--database", url, "--upstream-url", upstream_url, "--concurrency", "64"]
    gateway = GatewayProcess(gateway_args, gateway_env(), folder / f"gateway-{kind}.log")
    completions = Completions(url)
    try:
        results: dict[str, Any] = {"start_rss_mib": peak_memory_mib(gateway.process.pid)}
        for concurrency, count in ((1, args.small_runs), (50, args.small_runs * 5)):
            results[f"c{concurrency}"] = asyncio.run(through(gateway, completions, concurrency, count))
        results["big"] = asyncio.run(through(gateway, completions, args.big_concurrency, args.big_runs))
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
    parser.add_argument("--big-runs", type=int, default=1000)
    parser.add_argument("--big-concurrency", type=int, default=50)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    load_before = load_average()
    upstream, upstream_url = start_upstream(args.latency)
    folder = Path(tempfile.mkdtemp(prefix="otr-gateway-bench-"))
    postgres: Postgres | None = None
    try:
        baseline = {
            c: asyncio.run(direct(upstream_url, c, n)) for c, n in ((1, args.small_runs), (50, args.small_runs * 5))
        }
        baseline[args.big_concurrency] = asyncio.run(direct(upstream_url, args.big_concurrency, args.small_runs * 5))
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
        if postgres is not None:
            postgres.stop()
    report(baseline, measured, args, load_before)


def report(
    baseline: dict[int, Series], measured: dict[str, dict[str, Any]], args: argparse.Namespace, load: str
) -> None:
    lines = [
        f"Fake upstream answering in {args.latency * 1000:.0f} ms; load average at the start {load}.",
        "",
        "| | concurrency | runs | direct call p50 (ms) | through the gateway p50 / p99 (ms) | added p50 / p99 (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for kind, results in measured.items():
        for key in ("c1", "c50"):
            series: Series = results[key]
            direct_p50 = statistics.median(baseline[series.concurrency].times)
            lines.append(
                f"| {kind} | {series.concurrency} | {len(series.times)} | {ms(direct_p50)} |"
                f" {ms(series.percentile(0.5))} / {ms(series.percentile(0.99))} |"
                f" {ms(series.percentile(0.5) - direct_p50)} / {ms(series.percentile(0.99) - direct_p50)} |"
            )
    lines += [
        "",
        f"{args.big_runs} runs, {args.big_concurrency} in flight:",
        "",
        "| | throughput (runs/s) | added p50 / p99 (ms) | gateway memory, start / peak (MiB) | lost |",
        "|---|---|---|---|---|",
    ]
    for kind, results in measured.items():
        big: Series = results["big"]
        direct_p50 = statistics.median(baseline[args.big_concurrency].times)
        check = results["check"]
        lost = big.extra["lost"] + (check["runs"] - check["completed"]) + abs(check["completed"] - check["answers"])
        lines.append(
            f"| {kind} | {len(big.times) / big.wall_s:.0f} |"
            f" {ms(big.percentile(0.5) - direct_p50)} / {ms(big.percentile(0.99) - direct_p50)} |"
            f" {results['start_rss_mib']:.0f} / {results['peak_rss_mib']:.0f} | {lost} |"
        )
    met = all(
        results["c1"].percentile(0.5) - statistics.median(baseline[1].times) < TARGET_ADDED_P50_MS / 1000
        for results in measured.values()
    )
    lines += [
        "",
        f"Target (added p50 under {TARGET_ADDED_P50_MS:.0f} ms at concurrency 1): {'met' if met else 'missed'}.",
    ]
    print("\n".join(lines))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    raw = {
        "machine": machine_info({"load average": load}),
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
