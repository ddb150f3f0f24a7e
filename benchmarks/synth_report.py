"""The synth benchmark's summary: medians and paired ratios per point, the targets, and the markdown tables."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MODES = ("new", "existing")
#: The measured kinds (:data:`benchmarks.workload.BUILDERS`, which the tests check this against).
KINDS = ("construct", "floor", "minimal", "plain")
FLOORS = ("floor", "minimal", "plain")
#: The floors whose ``cdk.tf.json`` must be byte-identical to the construct's (the minimal floor's paths differ).
BYTE_IDENTICAL = ("floor", "plain")
#: The construct with ``--ablate`` applied (only in ablation runs; :data:`benchmarks.synth_worker.ABLATED`).
ABLATED = "ablated"
LABELS = {
    "construct": "construct",
    "floor": "floor",
    "minimal": "minimal floor",
    "plain": "plain floor",
    ABLATED: "construct, ablated",
}
#: The size of the baseline point (provider only): what a stack costs before any thread-run is added.
BASELINE_SIZE = 0
#: Sizes up to this many thread-runs are sampled ``small_n_factor`` times as often.
SMALL_N = 100
#: The targets of the issues, checked in the report.
TARGET_RATIO = 1.2
#: Issue 16: at N=1000, the construct costs at most this much against the plain floor (CPU and wall, paired).
TARGET_PLAIN_RATIO_1000 = 1.2
TARGET_1000_S = 3.0
TARGET_IMPORT_S = 0.3
#: "Neither ratio may grow": the previous BENCHMARKS.md (construct/floor, paired wall time, N=1000) and the
#: issue's measurement of construct/minimal floor (CPU time, N=1000, 1.18-1.33 over five runs).
PREVIOUS_FLOOR_RATIO_1000 = {"new": 1.10, "existing": 1.10}
PREVIOUS_MINIMAL_CPU_RATIO_1000 = 1.2


@dataclass
class KindStats:
    """One kind at one point: medians over its runs, and its jsii round trips (the same in every run)."""

    total_s: float
    build_s: float
    synth_s: float
    cpu_s: float
    cpu_python_s: float
    cpu_node_s: float
    runqueue_wait_s: float
    peak_mb: float
    rss_python_mb: float
    rss_node_mb: float
    round_trips: int
    #: Beyond the baseline stack (provider only), divided by N; None without the baseline point.
    round_trips_per_run: float | None
    round_trips_by_type: dict[str, int]


@dataclass
class Point:
    """One (N, mode): every kind, and the construct against each floor (paired medians)."""

    n: int
    mode: str
    runs: int
    kinds: dict[str, KindStats]
    #: Median over the repetitions of construct/floor, sampled in the same repetition (wall time, CPU time).
    ratio: dict[str, float]
    cpu_ratio: dict[str, float]
    #: The construct's ``cdk.tf.json`` is byte-identical to the floor's and the plain floor's in every run.
    json_equal: bool
    #: The construct's and the minimal floor's are the same JSON without cdktf's "//" metadata, in every run.
    json_equal_without_metadata: bool
    #: Ablation runs: the construct with the ablations applied, and ablated/construct (paired wall, CPU).
    ablated: KindStats | None = None
    ablation_ratio: float | None = None
    ablation_cpu_ratio: float | None = None


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
    #: Per mode and kind: the peak-memory slope between the two largest N, in MB per 1000 thread-runs.
    memory_mb_per_1000: dict[str, dict[str, float]] = field(default_factory=dict)
    samples: list[dict[str, Any]] = field(default_factory=list)


def _median(samples: Sequence[dict[str, Any]], key: str) -> float:
    return statistics.median(float(sample[key]) for sample in samples)


def paired_ratio(floor: Sequence[dict[str, Any]], built: Sequence[dict[str, Any]], key: str) -> float:
    """Median over repetitions of built/floor (e.g. construct/floor), each pair sampled in the same repetition."""
    by_repetition = {sample["repetition"]: sample for sample in floor}
    ratios = [
        float(sample[key]) / float(by_repetition[sample["repetition"]][key])
        for sample in built
        if sample["repetition"] in by_repetition and by_repetition[sample["repetition"]][key] > 0
    ]
    return statistics.median(ratios) if ratios else float("nan")


def _stats(samples: list[dict[str, Any]], baseline: list[dict[str, Any]], n: int) -> KindStats:
    keys = ("total_s", "build_s", "synth_s", "cpu_s", "cpu_python_s", "cpu_node_s", "runqueue_wait_s", "peak_mb")
    medians = {key: _median(samples, key) for key in (*keys, "rss_python_mb", "rss_node_mb")}
    round_trips = int(samples[0]["round_trips"])
    per_run = float(round_trips - baseline[0]["round_trips"]) / n if baseline else None
    return KindStats(
        **medians,
        round_trips=round_trips,
        round_trips_per_run=per_run,
        round_trips_by_type=dict(samples[0]["round_trips_by_type"]),
    )


def summarize(report: Report) -> None:
    """Fill ``report.points``, the import times and the memory growth from ``report.samples``."""

    def of(kind: str, mode: str, n: int) -> list[dict[str, Any]]:
        return [s for s in report.samples if s["kind"] == kind and s["mode"] == mode and s["n"] == n]

    baseline = {kind: of(kind, MODES[0], BASELINE_SIZE) for kind in (*KINDS, ABLATED)}
    modes = sorted({s["mode"] for s in report.samples if s["n"] != BASELINE_SIZE}, key=MODES.index)
    report.points = []
    for n in report.sizes:
        for mode in modes:
            samples = {kind: of(kind, mode, n) for kind in KINDS}
            if not all(samples.values()):
                continue
            built, ablated = samples["construct"], of(ABLATED, mode, n)
            report.points.append(
                Point(
                    n=n,
                    mode=mode,
                    runs=min(len(found) for found in samples.values()),
                    kinds={kind: _stats(found, baseline[kind], n) for kind, found in samples.items()},
                    ratio={floor: paired_ratio(samples[floor], built, "total_s") for floor in FLOORS},
                    cpu_ratio={floor: paired_ratio(samples[floor], built, "cpu_s") for floor in FLOORS},
                    json_equal=all(
                        s.get("json_equal", False)
                        for s in built + ablated + [s for floor in BYTE_IDENTICAL for s in samples[floor]]
                    ),
                    json_equal_without_metadata=all(
                        s.get("json_equal_without_metadata", False) for s in built + samples["minimal"]
                    ),
                    ablated=_stats(ablated, baseline[ABLATED], n) if ablated else None,
                    ablation_ratio=paired_ratio(built, ablated, "total_s") if ablated else None,
                    ablation_cpu_ratio=paired_ratio(built, ablated, "cpu_s") if ablated else None,
                )
            )
    report.import_cdktf_s = statistics.median(s["import_cdktf_s"] for s in report.samples)
    package_imports = [s["import_package_s"] for s in report.samples if s["import_package_s"] is not None]
    report.import_package_s = statistics.median(package_imports) if package_imports else 0.0
    report.memory_mb_per_1000 = {}
    sizes = sorted({p.n for p in report.points})
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        for mode in modes:
            by_n = {p.n: p for p in report.points if p.mode == mode}
            report.memory_mb_per_1000[mode] = {
                kind: (by_n[large].kinds[kind].peak_mb - by_n[small].kinds[kind].peak_mb) / (large - small) * 1000
                for kind in KINDS
            }


# -- output -------------------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


def _types(by_type: dict[str, int]) -> str:
    short = {"CreateRequest": "create", "InvokeRequest": "invoke", "StaticInvokeRequest": "sinvoke"}
    short |= {"GetRequest": "get", "SetRequest": "set", "CompleteRequest": "callback"}
    return ", ".join(f"{short.get(name, name)} {count}" for name, count in by_type.items())


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def targets(report: Report) -> list[str]:
    """The issues' targets, each with the measured value and whether it is met."""
    lines = []
    if report.points:
        worst = max(report.points, key=lambda p: p.ratio["floor"])
        lines.append(
            f"- ratio construct/floor <= {TARGET_RATIO} at every N: {_met(worst.ratio['floor'] <= TARGET_RATIO)} "
            f"(highest {worst.ratio['floor']:.2f}, N={worst.n} {worst.mode})"
        )
    for p in report.points:
        if p.n != 1000:
            continue
        previous = PREVIOUS_FLOOR_RATIO_1000[p.mode]
        lines.append(
            f"- N=1000 {p.mode}: construct/floor no higher than before ({previous:.2f}): "
            f"{_met(p.ratio['floor'] <= previous)} ({p.ratio['floor']:.2f}, CPU {p.cpu_ratio['floor']:.2f})"
        )
        lines.append(
            f"- N=1000 {p.mode}: construct/minimal floor CPU no higher than the issue's "
            f"{PREVIOUS_MINIMAL_CPU_RATIO_1000:.1f}: {_met(p.cpu_ratio['minimal'] <= PREVIOUS_MINIMAL_CPU_RATIO_1000)} "
            f"({p.cpu_ratio['minimal']:.2f}; wall {p.ratio['minimal']:.2f})"
        )
        lines.append(
            f"- N=1000 {p.mode}: construct/plain floor <= {TARGET_PLAIN_RATIO_1000} (CPU and wall): "
            f"{_met(max(p.cpu_ratio['plain'], p.ratio['plain']) <= TARGET_PLAIN_RATIO_1000)} "
            f"(CPU {p.cpu_ratio['plain']:.2f}, wall {p.ratio['plain']:.2f})"
        )
        built = p.kinds["construct"].total_s
        lines.append(
            f"- 1000 thread-runs ({p.mode}) in <= {TARGET_1000_S:g} s: {_met(built <= TARGET_1000_S)} "
            f"({built:.2f} s; floor {p.kinds['floor'].total_s:.2f} s, minimal floor {p.kinds['minimal'].total_s:.2f} s)"
        )
    lines.append(
        f"- `import openai_thread_run` adds <= {TARGET_IMPORT_S} s: "
        f"{_met(report.import_package_s <= TARGET_IMPORT_S)} ({report.import_package_s:.3f} s)"
    )
    return lines


def _comparison_table(report: Report, floor: str) -> list[str]:
    name = LABELS[floor]
    equal = "JSON byte-identical" if floor in BYTE_IDENTICAL else 'JSON equal without "//"'
    lines = [
        f"| N | mode | {name} s | construct s | ratio | CPU s {name} / construct | CPU ratio "
        f"| peak MB {name} / construct | jsii round trips per thread-run, {name} / construct | {equal} |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for p in report.points:
        base, built = p.kinds[floor], p.kinds["construct"]
        same = p.json_equal if floor in BYTE_IDENTICAL else p.json_equal_without_metadata
        lines.append(
            f"| {p.n} | {p.mode} | {base.total_s:.3f} | {built.total_s:.3f} | **{p.ratio[floor]:.2f}** "
            f"| {base.cpu_s:.3f} / {built.cpu_s:.3f} | **{p.cpu_ratio[floor]:.2f}** "
            f"| {base.peak_mb:.0f} / {built.peak_mb:.0f} "
            f"| {_fmt(base.round_trips_per_run)} / {_fmt(built.round_trips_per_run)} | {'yes' if same else 'NO'} |"
        )
    return lines


def _ablation_table(report: Report) -> list[str]:
    if not report.ablate:
        return []
    lines = [
        f"The construct with {', '.join(report.ablate)} switched off (`ablated`), against the construct itself, "
        "measured in the same repetitions:",
        "",
        "| N | mode | construct s | ablated s | ratio ablated / construct | CPU s construct / ablated | CPU ratio "
        "| jsii round trips per thread-run, construct / ablated |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for p in report.points:
        if p.ablated is None or p.ablation_ratio is None or p.ablation_cpu_ratio is None:
            continue
        built = p.kinds["construct"]
        lines.append(
            f"| {p.n} | {p.mode} | {built.total_s:.3f} | {p.ablated.total_s:.3f} | **{p.ablation_ratio:.3f}** "
            f"| {built.cpu_s:.3f} / {p.ablated.cpu_s:.3f} | **{p.ablation_cpu_ratio:.3f}** "
            f"| {_fmt(built.round_trips_per_run)} / {_fmt(p.ablated.round_trips_per_run)} |"
        )
    return [*lines, ""]


def markdown(report: Report) -> str:
    """The report as the markdown of BENCHMARKS.md."""
    lines = [
        f"`{report.command}`"
        + (" (workers under python -O)" if report.optimize else "")
        + (f" (switched off in the construct: {', '.join(report.ablate)})" if report.ablate else ""),
        "",
        f"Each point: a fresh process per kind; medians of {report.runs} runs (N <= {SMALL_N}: "
        f"{report.runs * report.small_n_factor} runs). Time: `App()` to `app.synth()` returned. Ratios: median of "
        "construct/floor over the repetitions (the kinds run back to back in each, in rotating order). "
        "CPU: Python + Node in that window.",
        "",
        "Against the floor (the construct's tree):",
        "",
        *_comparison_table(report, "floor"),
        "",
        "Against the minimal floor (no wrapper constructs):",
        "",
        *_comparison_table(report, "minimal"),
        "",
        "Against the plain floor (the construct's tree, no token built in Python):",
        "",
        *_comparison_table(report, "plain"),
        "",
        *_ablation_table(report),
        "Targets:",
        *targets(report),
        "",
        "| N | mode | build + synth s: construct / floor / minimal / plain "
        "| run-queue wait s: construct / floor / minimal / plain "
        "| peak MB (Python + Node): construct / floor / minimal / plain |",
        "|---:|---|---:|---:|---:|",
    ]
    for p in report.points:
        stats = [p.kinds[kind] for kind in KINDS]
        lines.append(
            f"| {p.n} | {p.mode} | "
            + " / ".join(f"{s.build_s:.3f} + {s.synth_s:.3f}" for s in stats)
            + " | "
            + " / ".join(f"{s.runqueue_wait_s:.3f}" for s in stats)
            + " | "
            + " / ".join(f"{s.rss_python_mb:.0f} + {s.rss_node_mb:.0f}" for s in stats)
            + " |"
        )
    lines += [""]
    largest = max((p.n for p in report.points), default=None)
    for p in report.points:
        if p.n == largest:
            lines.append(
                f"jsii round trips at N={p.n} {p.mode}: "
                + "; ".join(
                    f"{LABELS[kind]} {p.kinds[kind].round_trips} ({_types(p.kinds[kind].round_trips_by_type)})"
                    for kind in KINDS
                )
                + "."
            )
    lines.append(
        f"Import: `import cdktf` {report.import_cdktf_s:.3f} s; `import openai_thread_run` after it "
        f"{report.import_package_s:.3f} s (medians)."
    )
    if report.memory_mb_per_1000:
        lines.append(
            "Memory growth, peak MB per 1000 thread-runs between the two largest N: "
            + "; ".join(
                f"{mode}: " + ", ".join(f"{LABELS[kind]} {growth[kind]:.0f}" for kind in KINDS)
                for mode, growth in report.memory_mb_per_1000.items()
            )
            + "."
        )
    lines += ["", "Machine: " + ", ".join(f"{key} {value}" for key, value in report.machine.items()) + "."]
    return "\n".join(lines)
