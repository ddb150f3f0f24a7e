"""Synth benchmark: N ThreadRunConstructs against the bare-cdktf floor, each point in a fresh process.

Run ``bash benchmarks/run.sh`` (or ``python -m benchmarks.synth_bench --sizes 1,10,100,1000 --runs 5``); a quick
check is ``--sizes 10 --runs 1``. For every size N, mode (``new``/``existing``), kind (``floor``/``construct``)
and repetition, a new Python process (so a new jsii Node kernel) imports cdktf, builds
``App -> TerraformStack -> provider + N thread-runs`` and calls ``app.synth()`` into a temporary outdir. It
reports:

- wall time from before ``App()`` to after ``app.synth()`` returned (build and synth also separately);
- CPU time of Python and of the Node kernel in that window, and how long both sat runnable but waiting for a
  CPU (``/proc/<pid>/task/*/schedstat``): on a shared machine the wall time swings with other load, CPU time
  much less;
- peak memory: the max RSS of the Python process plus the max RSS of its Node child (``getrusage``, after the
  kernel is stopped and waited for): the sum of the two peaks, an upper bound of the joint peak;
- jsii round trips in that window: every request the Python runtime sends to the kernel (create, invoke, get,
  set, and the ``complete`` that answers each callback from Node into Python), counted by wrapping
  ``_NodeProcess.send``;
- the import time of ``cdktf`` and, in construct processes, of ``openai_thread_run`` after ``cdktf``;
- the synthesized ``cdk.tf.json``: construct and floor must be byte-identical.

Floor and construct run back to back in each repetition (alternating which goes first), so each pair sees the
same machine load; the ratio is the median of the per-pair ratios. Small N are repeated more (``--small-n-factor``)
since a 30 ms point is at the mercy of the scheduler. Raw samples go to ``benchmarks/results/`` as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
DEFAULT_SIZES = (1, 10, 100, 1000)
DEFAULT_RUNS = 5
#: Sizes up to this many thread-runs are sampled ``small_n_factor`` times as often.
SMALL_N = 100
DEFAULT_SMALL_N_FACTOR = 3
MODES = ("new", "existing")
KINDS = ("floor", "construct")
#: The size of the baseline point (provider only): what a stack costs before any thread-run is added.
BASELINE_SIZE = 0
#: Speed-ups in openai_thread_run that a run can switch off again (``--ablate``), to measure what each one buys.
ABLATIONS = ("typechecks", "framework-walk", "metadata-cache")
#: The targets of the issue, checked in the report.
TARGET_RATIO = 1.2
TARGET_1000_S = 3.0
TARGET_IMPORT_S = 0.3


# -- worker: one point, in a fresh process ------------------------------------------------------------------


def patch(owner: Any, attribute: str, value: Any) -> None:
    """Replace ``owner.attribute`` with ``value``; fail loudly when it does not exist.

    A bare ``setattr`` would add a new attribute that nothing calls, and the benchmark would silently measure the
    unpatched code after a rename.
    """
    if not hasattr(owner, attribute):
        raise AttributeError(f"benchmark patch target {getattr(owner, '__name__', owner)!s}.{attribute} does not exist")
    setattr(owner, attribute, value)


def _count_round_trips() -> Counter[str]:
    """Wrap the jsii process provider's ``send`` so that every kernel request is counted, by request type."""
    from jsii._kernel.providers import process

    counts: Counter[str] = Counter()
    original = process._NodeProcess.send

    def send(self: Any, request: Any, response_type: Any) -> Any:
        counts[type(request).__name__.lstrip("_")] += 1
        return original(self, request, response_type)

    patch(process._NodeProcess, "send", send)
    return counts


def _kernel_process() -> Any:
    """The jsii runtime's ``_NodeProcess`` (started by ``import cdktf``)."""
    from jsii._runtime import kernel

    return kernel.provider._process  # type: ignore[attr-defined]


def _schedstat(pid: int) -> tuple[float, float]:
    """(CPU seconds, seconds runnable but waiting for a CPU) of all threads of ``pid`` so far; zeros without /proc."""
    cpu = wait = 0
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = (task / "schedstat").read_text().split()
                cpu, wait = cpu + int(fields[0]), wait + int(fields[1])
    return cpu / 1e9, wait / 1e9


def ablation_patches() -> dict[str, list[tuple[Any, str, Any]]]:
    """Return, per ablation, the ``(module, attribute, replacement)`` patches that switch a speed-up off.

    - ``typechecks``: bindings create resources through cdktf's type-checked ``TerraformResource.__init__``;
    - ``framework-walk``: a binding finds its framework by walking ``node.scope`` up through jsii every time;
    - ``metadata-cache``: a new ``TerraformProviderGeneratorMetadata`` struct for every resource.
    """
    from openai_thread_run import _framework
    from openai_thread_run.bindings import _base, provider

    def walk(scope: Any) -> Any:
        node = scope
        while node is not None:
            found = _framework.framework_of_class(type(node))
            if found is not None:
                return found
            node = node.node.scope
        return _framework.framework(_framework.DEFAULT_FRAMEWORK)

    def declined(*args: Any) -> bool:
        return False

    uncached_metadata = _base.generator_metadata.__wrapped__
    return {
        "typechecks": [(_base, "_create_prechecked", declined)],
        "framework-walk": [(_base, "framework_of", walk)],
        "metadata-cache": [
            (_base, "generator_metadata", uncached_metadata),
            (provider, "generator_metadata", uncached_metadata),
        ],
    }


def _ablate(names: Sequence[str]) -> None:
    """Switch off the named speed-ups of openai_thread_run in this process (construct workers only)."""
    patches = ablation_patches()
    for name in names:
        for module, attribute, value in patches[name]:
            patch(module, attribute, value)


def run_worker(kind: str, mode: str, n: int, json_out: Path | None, ablate: Sequence[str] = ()) -> dict[str, Any]:
    """Measure one point in this (fresh) process and return the sample; jsii is unusable afterwards."""
    counts = _count_round_trips()
    start = time.perf_counter()
    import cdktf

    import_cdktf_s = time.perf_counter() - start
    import_package_s: float | None = None
    if kind == "construct":
        start = time.perf_counter()
        import openai_thread_run  # noqa: F401

        import_package_s = time.perf_counter() - start
        _ablate(ablate)
    from benchmarks.workload import BUILDERS, STACK_NAME

    build = BUILDERS[kind]
    node_pid, python_pid = _kernel_process()._process.pid, os.getpid()
    with tempfile.TemporaryDirectory(prefix="otr-bench-") as outdir:
        before = counts.copy()
        node_before, python_before = _schedstat(node_pid), _schedstat(python_pid)
        start = time.perf_counter()
        app = cdktf.App(outdir=outdir)
        stack = cdktf.TerraformStack(app, STACK_NAME)
        build(stack, mode, n)
        built = time.perf_counter()
        app.synth()
        end = time.perf_counter()
        node_after, python_after = _schedstat(node_pid), _schedstat(python_pid)
        round_trips = counts - before
        document = (Path(outdir) / "stacks" / STACK_NAME / "cdk.tf.json").read_bytes()
    if json_out is not None:
        json_out.write_bytes(document)
    resources = json.loads(document).get("resource", {})
    _kernel_process().stop()  # waits for Node, so that RUSAGE_CHILDREN includes it
    rss_python_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_node_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu_python_s, cpu_node_s = python_after[0] - python_before[0], node_after[0] - node_before[0]
    return {
        "kind": kind,
        "mode": mode,
        "n": n,
        "optimize": sys.flags.optimize > 0,
        "ablate": list(ablate),
        "total_s": end - start,
        "build_s": built - start,
        "synth_s": end - built,
        "cpu_python_s": cpu_python_s,
        "cpu_node_s": cpu_node_s,
        "cpu_s": cpu_python_s + cpu_node_s,
        "runqueue_wait_s": python_after[1] - python_before[1] + node_after[1] - node_before[1],
        "import_cdktf_s": import_cdktf_s,
        "import_package_s": import_package_s,
        "round_trips": sum(round_trips.values()),
        "round_trips_by_type": dict(sorted(round_trips.items())),
        "rss_python_mb": rss_python_mb,
        "rss_node_mb": rss_node_mb,
        "peak_mb": rss_python_mb + rss_node_mb,
        "resources": {type_: len(by_id) for type_, by_id in sorted(resources.items())},
        "json_sha256": hashlib.sha256(document).hexdigest(),
        "json_bytes": len(document),
    }


# -- orchestration ------------------------------------------------------------------------------------------


@dataclass
class Point:
    """One (N, mode) comparison, floor against construct: medians over the runs."""

    n: int
    mode: str
    runs: int
    floor_s: float
    construct_s: float
    #: Median of construct/floor over the back-to-back pairs (the headline ratio).
    ratio: float
    #: Ratio of the median times (for comparison; more exposed to load drift between pairs).
    ratio_of_medians: float
    floor_build_s: float
    floor_synth_s: float
    construct_build_s: float
    construct_synth_s: float
    floor_cpu_s: float
    construct_cpu_s: float
    cpu_ratio: float
    floor_runqueue_wait_s: float
    construct_runqueue_wait_s: float
    floor_peak_mb: float
    construct_peak_mb: float
    floor_rss_python_mb: float
    floor_rss_node_mb: float
    construct_rss_python_mb: float
    construct_rss_node_mb: float
    floor_round_trips: int
    construct_round_trips: int
    floor_round_trips_per_run: float | None
    construct_round_trips_per_run: float | None
    floor_round_trips_by_type: dict[str, int]
    construct_round_trips_by_type: dict[str, int]
    json_equal: bool


@dataclass
class Report:
    """Everything one benchmark invocation measured."""

    machine: dict[str, str]
    command: str
    sizes: list[int]
    runs: int
    small_n_factor: int
    optimize: bool
    ablate: list[str]
    points: list[Point] = field(default_factory=list)
    import_cdktf_s: float = 0.0
    import_package_s: float = 0.0
    memory_mb_per_1000: dict[str, dict[str, float]] = field(default_factory=dict)
    samples: list[dict[str, Any]] = field(default_factory=list)


def sample_point(
    kind: str, mode: str, n: int, *, optimize: bool, json_out: Path | None, ablate: Sequence[str] = ()
) -> dict[str, Any]:
    """Run one point in a fresh Python process (``python [-O] -m benchmarks.synth_bench --worker ...``)."""
    command = [sys.executable, *(["-O"] if optimize else []), "-m", "benchmarks.synth_bench"]
    command += ["--worker", kind, "--mode", mode, "--n", str(n)]
    if ablate:
        command += ["--ablate", ",".join(ablate)]
    if json_out is not None:
        command += ["--json-out", str(json_out)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])))
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark worker {kind}/{mode}/N={n} failed:\n{done.stderr}")
    sample: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return sample


def runs_for(n: int, runs: int, small_n_factor: int) -> int:
    """How many back-to-back pairs to sample at size ``n``."""
    return runs * small_n_factor if n <= SMALL_N else runs


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(
    sizes: Sequence[int],
    runs: int,
    *,
    modes: Sequence[str] = MODES,
    optimize: bool = False,
    baseline: bool = True,
    small_n_factor: int = DEFAULT_SMALL_N_FACTOR,
    ablate: Sequence[str] = (),
    quiet: bool = False,
) -> Report:
    """Sample every point (floor and construct back to back), check their JSON is equal, and summarize."""
    report = Report(
        machine=machine_info(),
        command=" ".join(
            ["python -m benchmarks.synth_bench", f"--sizes {','.join(map(str, sizes))}", f"--runs {runs}"]
            + ([f"--modes {','.join(modes)}"] if list(modes) != list(MODES) else [])
            + ([f"--small-n-factor {small_n_factor}"] if small_n_factor != DEFAULT_SMALL_N_FACTOR else [])
            + (["--optimize"] if optimize else [])
            + ([f"--ablate {','.join(ablate)}"] if ablate else [])
        ),
        sizes=list(sizes),
        runs=runs,
        small_n_factor=small_n_factor,
        optimize=optimize,
        ablate=list(ablate),
    )
    points = [(BASELINE_SIZE, MODES[0])] if baseline else []
    points += [(n, mode) for n in sizes for mode in modes]
    repetitions = max(runs_for(n, runs, small_n_factor) for n, _ in points)
    mismatches: list[str] = []
    with tempfile.TemporaryDirectory(prefix="otr-bench-json-") as scratch:
        for repetition in range(repetitions):
            # Alternate which kind goes first, so slow drift on a shared machine does not favour one of them.
            kinds = KINDS if repetition % 2 == 0 else tuple(reversed(KINDS))
            for n, mode in points:
                if repetition >= runs_for(n, runs, small_n_factor):
                    continue
                documents: dict[str, Path] = {}
                for kind in kinds:
                    documents[kind] = Path(scratch) / f"{kind}-{mode}-{n}.json"
                    sample = sample_point(kind, mode, n, optimize=optimize, json_out=documents[kind], ablate=ablate)
                    sample["repetition"] = repetition
                    report.samples.append(sample)
                    if not quiet:
                        _progress(
                            f"run {repetition + 1:>2}  N={n:<5} {mode:<8} {kind:<9} {sample['total_s']:7.3f} s  "
                            f"cpu {sample['cpu_s']:6.3f} s  {sample['peak_mb']:6.1f} MB  "
                            f"{sample['round_trips']:6d} round trips"
                        )
                same = documents["floor"].read_bytes() == documents["construct"].read_bytes()
                for sample in report.samples[-len(kinds) :]:
                    sample["json_equal"] = same
                if not same:
                    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
                    for kind, path in documents.items():
                        shutil.copy(path, RESULTS_DIR / f"mismatch-{kind}-{mode}-{n}.json")
                    mismatches.append(f"N={n} {mode}")
    summarize(report)
    if mismatches:
        raise AssertionError(
            f"construct and floor JSON differ for {', '.join(mismatches)} (both kept in {RESULTS_DIR}/mismatch-*)"
        )
    return report


def _median(samples: Sequence[dict[str, Any]], key: str) -> float:
    return statistics.median(float(sample[key]) for sample in samples)


def _paired_ratio(floor: Sequence[dict[str, Any]], built: Sequence[dict[str, Any]], key: str) -> float:
    """Median over repetitions of construct/floor, each pair sampled back to back."""
    by_repetition = {sample["repetition"]: sample for sample in floor}
    ratios = [
        float(sample[key]) / float(by_repetition[sample["repetition"]][key])
        for sample in built
        if sample["repetition"] in by_repetition and by_repetition[sample["repetition"]][key] > 0
    ]
    return statistics.median(ratios) if ratios else float("nan")


def summarize(report: Report) -> None:
    """Fill ``report.points``, the import times and the memory growth from ``report.samples``."""

    def of(kind: str, mode: str, n: int) -> list[dict[str, Any]]:
        return [s for s in report.samples if s["kind"] == kind and s["mode"] == mode and s["n"] == n]

    baseline = {kind: of(kind, MODES[0], BASELINE_SIZE) for kind in KINDS}
    modes = sorted({s["mode"] for s in report.samples if s["n"] != BASELINE_SIZE}, key=MODES.index)

    def per_run(kind: str, samples: list[dict[str, Any]], n: int) -> float | None:
        """Round trips per thread-run: beyond the baseline stack (provider only), divided by N."""
        if not baseline[kind]:
            return None
        return float(samples[0]["round_trips"] - baseline[kind][0]["round_trips"]) / n

    report.points = []
    for n in report.sizes:
        for mode in modes:
            floor, built = of("floor", mode, n), of("construct", mode, n)
            if not floor or not built:
                continue
            report.points.append(
                Point(
                    n=n,
                    mode=mode,
                    runs=min(len(floor), len(built)),
                    floor_s=_median(floor, "total_s"),
                    construct_s=_median(built, "total_s"),
                    ratio=_paired_ratio(floor, built, "total_s"),
                    ratio_of_medians=_median(built, "total_s") / _median(floor, "total_s"),
                    floor_build_s=_median(floor, "build_s"),
                    floor_synth_s=_median(floor, "synth_s"),
                    construct_build_s=_median(built, "build_s"),
                    construct_synth_s=_median(built, "synth_s"),
                    floor_cpu_s=_median(floor, "cpu_s"),
                    construct_cpu_s=_median(built, "cpu_s"),
                    cpu_ratio=_paired_ratio(floor, built, "cpu_s"),
                    floor_runqueue_wait_s=_median(floor, "runqueue_wait_s"),
                    construct_runqueue_wait_s=_median(built, "runqueue_wait_s"),
                    floor_peak_mb=_median(floor, "peak_mb"),
                    construct_peak_mb=_median(built, "peak_mb"),
                    floor_rss_python_mb=_median(floor, "rss_python_mb"),
                    floor_rss_node_mb=_median(floor, "rss_node_mb"),
                    construct_rss_python_mb=_median(built, "rss_python_mb"),
                    construct_rss_node_mb=_median(built, "rss_node_mb"),
                    floor_round_trips=int(floor[0]["round_trips"]),
                    construct_round_trips=int(built[0]["round_trips"]),
                    floor_round_trips_per_run=per_run("floor", floor, n),
                    construct_round_trips_per_run=per_run("construct", built, n),
                    floor_round_trips_by_type=dict(floor[0]["round_trips_by_type"]),
                    construct_round_trips_by_type=dict(built[0]["round_trips_by_type"]),
                    json_equal=all(s.get("json_equal", False) for s in floor + built),
                )
            )
    report.import_cdktf_s = statistics.median(s["import_cdktf_s"] for s in report.samples)
    package_imports = [s["import_package_s"] for s in report.samples if s["import_package_s"] is not None]
    report.import_package_s = statistics.median(package_imports) if package_imports else 0.0
    # Memory growth: the slope of the median peak between the two largest sizes, in MB per 1000 thread-runs.
    report.memory_mb_per_1000 = {}
    sizes = sorted({p.n for p in report.points})
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        for mode in modes:
            by_n = {p.n: p for p in report.points if p.mode == mode}
            report.memory_mb_per_1000[mode] = {
                kind: (getattr(by_n[large], f"{kind}_peak_mb") - getattr(by_n[small], f"{kind}_peak_mb"))
                / (large - small)
                * 1000
                for kind in KINDS
            }


# -- the machine ----------------------------------------------------------------------------------------------


def _first_line(command: Sequence[str]) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError, IndexError):
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    return "unknown"


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_total() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, str]:
    """Where the benchmark ran: CPU, memory, OS, Python, Node and the cdktf/jsii stack versions."""
    return {
        "nproc": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "memory": _memory_total(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "node": _first_line([os.environ.get("JSII_NODE", "node"), "--version"]),
        "cdktf": _version("cdktf"),
        "jsii": _version("jsii"),
        "constructs": _version("constructs"),
        "typeguard": _version("typeguard"),
        "openai_thread_run": _version("cdktf-openai-thread-run"),
        "load average at start": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


# -- output -------------------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _types(by_type: dict[str, int]) -> str:
    short = {"CreateRequest": "create", "InvokeRequest": "invoke", "StaticInvokeRequest": "sinvoke"}
    short |= {"GetRequest": "get", "SetRequest": "set", "CompleteRequest": "callback"}
    return ", ".join(f"{short.get(name, name)} {count}" for name, count in by_type.items())


def targets(report: Report) -> list[str]:
    """The issue's targets, each with the measured value and whether it is met."""
    lines = []
    if report.points:
        worst = max(report.points, key=lambda p: p.ratio)
        lines.append(
            f"- ratio construct/floor <= {TARGET_RATIO} at every N: "
            f"{'met' if worst.ratio <= TARGET_RATIO else 'MISSED'} "
            f"(highest {worst.ratio:.2f}, N={worst.n} {worst.mode})"
        )
    for p in report.points:
        if p.n == 1000:
            lines.append(
                f"- 1000 thread-runs ({p.mode}) in <= {TARGET_1000_S:g} s: "
                f"{'met' if p.construct_s <= TARGET_1000_S else 'MISSED'} "
                f"({p.construct_s:.2f} s; floor {p.floor_s:.2f} s)"
            )
    lines.append(
        f"- `import openai_thread_run` adds <= {TARGET_IMPORT_S} s: "
        f"{'met' if report.import_package_s <= TARGET_IMPORT_S else 'MISSED'} ({report.import_package_s:.3f} s)"
    )
    return lines


def markdown(report: Report) -> str:
    """The report as the markdown of BENCHMARKS.md."""
    lines = [
        f"`{report.command}`"
        + (" (workers under python -O)" if report.optimize else "")
        + (f" (speed-ups switched off: {', '.join(report.ablate)})" if report.ablate else ""),
        "",
        f"Each point: a fresh process; medians of {report.runs} runs (N <= {SMALL_N}: "
        f"{report.runs * report.small_n_factor} runs). Time: `App()` to `app.synth()` returned. Ratio: median of "
        "construct/floor over back-to-back pairs. CPU: Python + Node in that window.",
        "",
        "| N | mode | floor s | construct s | ratio | CPU s floor / construct | CPU ratio "
        "| peak MB floor / construct | jsii round trips per thread-run, floor / construct | JSON equal |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in report.points:
        lines.append(
            f"| {p.n} | {p.mode} | {p.floor_s:.3f} | {p.construct_s:.3f} | **{p.ratio:.2f}** "
            f"| {p.floor_cpu_s:.3f} / {p.construct_cpu_s:.3f} | {p.cpu_ratio:.2f} "
            f"| {p.floor_peak_mb:.0f} / {p.construct_peak_mb:.0f} "
            f"| {_fmt(p.floor_round_trips_per_run)} / {_fmt(p.construct_round_trips_per_run)} "
            f"| {'yes' if p.json_equal else 'NO'} |"
        )
    lines += ["", "Targets:", *targets(report), ""]
    lines += [
        "| N | mode | floor build + synth s | construct build + synth s | run-queue wait s floor / construct "
        "| peak MB (Python + Node) floor | construct |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for p in report.points:
        lines.append(
            f"| {p.n} | {p.mode} | {p.floor_build_s:.3f} + {p.floor_synth_s:.3f} "
            f"| {p.construct_build_s:.3f} + {p.construct_synth_s:.3f} "
            f"| {p.floor_runqueue_wait_s:.3f} / {p.construct_runqueue_wait_s:.3f} "
            f"| {p.floor_rss_python_mb:.0f} + {p.floor_rss_node_mb:.0f} "
            f"| {p.construct_rss_python_mb:.0f} + {p.construct_rss_node_mb:.0f} |"
        )
    lines += [""]
    largest = max((p.n for p in report.points), default=None)
    for p in report.points:
        if p.n == largest:
            lines.append(
                f"jsii round trips at N={p.n} {p.mode}: floor {p.floor_round_trips} "
                f"({_types(p.floor_round_trips_by_type)}); construct {p.construct_round_trips} "
                f"({_types(p.construct_round_trips_by_type)})."
            )
    lines.append(
        f"Import: `import cdktf` {report.import_cdktf_s:.3f} s; `import openai_thread_run` after it "
        f"{report.import_package_s:.3f} s (medians)."
    )
    if report.memory_mb_per_1000:
        lines.append(
            "Memory growth, peak MB per 1000 thread-runs between the two largest N: "
            + "; ".join(
                f"{mode}: floor {growth['floor']:.0f}, construct {growth['construct']:.0f}"
                for mode, growth in report.memory_mb_per_1000.items()
            )
            + "."
        )
    lines += ["", "Machine: " + ", ".join(f"{key} {value}" for key, value in report.machine.items()) + "."]
    return "\n".join(lines)


def write_results(report: Report, path: Path | None) -> Path:
    """Write the report (with every raw sample) as JSON; by default to benchmarks/results/synth-<time>.json."""
    if path is None:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"synth-{time.strftime('%Y%m%d-%H%M%S')}{'-O' if report.optimize else ''}.json"
    path.write_text(json.dumps(asdict(report), indent=2) + "\n")
    return path


# -- command line -------------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive integers, e.g. 1,10,100,1000")
    return sizes


def _modes(text: str) -> list[str]:
    modes = [part.strip() for part in text.split(",") if part.strip()]
    if not modes or any(mode not in MODES for mode in modes):
        raise argparse.ArgumentTypeError(f"modes must be among {', '.join(MODES)}")
    return modes


def _ablations(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if any(name not in ABLATIONS for name in names):
        raise argparse.ArgumentTypeError(f"ablations must be among {', '.join(ABLATIONS)}")
    return names


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synth_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default=list(DEFAULT_SIZES), help="comma-separated N values")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="back-to-back pairs per point (median)")
    parser.add_argument(
        "--small-n-factor",
        type=int,
        default=DEFAULT_SMALL_N_FACTOR,
        help=f"sample N <= {SMALL_N} this many times as often (default {DEFAULT_SMALL_N_FACTOR}; 1 for exactly --runs)",
    )
    parser.add_argument("--modes", type=_modes, default=list(MODES), help="new,existing")
    parser.add_argument("-O", "--optimize", action="store_true", help="run the workers with python -O")
    parser.add_argument(
        "--ablate",
        type=_ablations,
        default=[],
        help=f"switch off speed-ups of openai_thread_run, to measure them: {', '.join(ABLATIONS)}",
    )
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default: benchmarks/results/)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the N=0 point (round trips per run)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--worker", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=MODES, default=MODES[0], help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--json-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1 or args.small_n_factor < 1:
        parser.error("--runs and --small-n-factor must be at least 1")
    return args


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Keep the worker's stdout for its one JSON line (anything printed while building goes to stderr)."""
    stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        sys.stdout = stdout


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        with _stdout_to_stderr():
            sample = run_worker(args.worker, args.mode, args.n, args.json_out, args.ablate)
        print(json.dumps(sample))
        return 0
    report = measure(
        args.sizes,
        args.runs,
        modes=args.modes,
        optimize=args.optimize,
        baseline=not args.no_baseline,
        small_n_factor=args.small_n_factor,
        ablate=args.ablate,
        quiet=args.quiet,
    )
    path = write_results(report, args.out)
    print(markdown(report))
    print(f"\nRaw samples: {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
