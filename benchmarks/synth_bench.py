"""Synth benchmark: N ThreadRunConstructs against two bare-cdktf floors, each point in a fresh process.

Run ``bash benchmarks/run.sh`` (or ``python -m benchmarks.synth_bench --sizes 1,10,100,1000 --runs 5``); a quick
check is ``--sizes 10 --runs 1``. For every size N, mode (``new``/``existing``), kind and repetition, a new
Python process (so a new jsii Node kernel) measures one point (:mod:`benchmarks.synth_worker`). The kinds
(:mod:`benchmarks.workload`):

- ``construct``: an OpenaiProvider and N ThreadRunConstructs, as a user writes them;
- ``floor``: the same construct tree from bare cdktf, which must write a byte-identical ``cdk.tf.json``;
- ``plain``: the construct tree again, with no token built in Python (references written as literal
  ``"${type.name.attribute}"`` text), which must write a byte-identical ``cdk.tf.json`` too;
- ``minimal``: the same elements created straight in the stack under their final logical ids (no wrapper
  constructs), which must write the same JSON apart from cdktf's ``"//"`` metadata;
- with ``--ablate``, also ``ablated``: the construct with the named speed-ups or checks switched off, measured in
  the same repetitions as the construct (so their ratio is paired too), and byte-identical to it.

The three kinds run back to back in each repetition (rotating which goes first), so each comparison sees the same
machine load; each ratio is the median of the per-repetition ratios. Small N are repeated more
(``--small-n-factor``), since a 30 ms point is at the mercy of the scheduler. The documents are compared on every
run. Raw samples go to ``benchmarks/results/`` as JSON; the summary (:mod:`benchmarks.synth_report`) is printed as
the markdown of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks.documents import same_without_metadata
from benchmarks.machine import machine_info
from benchmarks.synth_report import BASELINE_SIZE, KINDS, MODES, SMALL_N, Report, markdown, summarize
from benchmarks.synth_worker import ABLATED, ABLATIONS, run_worker

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
DEFAULT_SIZES = (1, 10, 100, 1000)
DEFAULT_RUNS = 5
DEFAULT_SMALL_N_FACTOR = 3


def sample_point(
    kind: str, mode: str, n: int, *, optimize: bool, json_out: Path | None, ablate: Sequence[str] = ()
) -> dict[str, Any]:
    """Run one point in a fresh Python process (``python [-O] -m benchmarks.synth_bench --worker ...``)."""
    command = [sys.executable, *(["-O"] if optimize else []), "-m", "benchmarks.synth_bench"]
    command += ["--worker", kind, "--mode", mode, "--n", str(n)]
    if ablate and kind == ABLATED:
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
    """How many repetitions to sample at size ``n``."""
    return runs * small_n_factor if n <= SMALL_N else runs


def kinds_in(repetition: int, kinds: Sequence[str] = KINDS) -> tuple[str, ...]:
    """The order of the kinds in a repetition: rotated each time, so that no kind always runs first or last."""
    shift = repetition % len(kinds)
    return (*kinds[shift:], *kinds[:shift])


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _command(
    sizes: Sequence[int], runs: int, modes: Sequence[str], small_n_factor: int, optimize: bool, ablate: Sequence[str]
) -> str:
    return " ".join(
        ["python -m benchmarks.synth_bench", f"--sizes {','.join(map(str, sizes))}", f"--runs {runs}"]
        + ([f"--modes {','.join(modes)}"] if list(modes) != list(MODES) else [])
        + ([f"--small-n-factor {small_n_factor}"] if small_n_factor != DEFAULT_SMALL_N_FACTOR else [])
        + (["--optimize"] if optimize else [])
        + ([f"--ablate {','.join(ablate)}"] if ablate else [])
    )


def _compare(documents: dict[str, Path], samples: list[dict[str, Any]]) -> list[str]:
    """Mark the samples of one repetition with the comparisons; return what differs from the construct."""
    construct = documents["construct"].read_bytes()
    equal = {
        kind: documents[kind].read_bytes() == construct for kind in ("floor", "plain", ABLATED) if kind in documents
    }
    same_json = same_without_metadata(documents["minimal"].read_bytes(), construct)
    for sample in samples:
        kind = sample["kind"]
        if kind in equal:
            sample["json_equal"] = equal[kind]
        if kind == "construct":
            sample["json_equal"] = all(equal.values())
        if kind in ("construct", "minimal"):
            sample["json_equal_without_metadata"] = same_json
    return [f"{kind} (bytes)" for kind, same in equal.items() if not same] + (
        ["minimal floor (JSON)"] if not same_json else []
    )


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
    """Sample every point (all kinds back to back in each repetition), compare their JSON, and summarize."""
    report = Report(
        machine=machine_info(),
        command=_command(sizes, runs, modes, small_n_factor, optimize, ablate),
        sizes=list(sizes),
        runs=runs,
        small_n_factor=small_n_factor,
        optimize=optimize,
        ablate=list(ablate),
    )
    points = [(BASELINE_SIZE, MODES[0])] if baseline else []
    points += [(n, mode) for n in sizes for mode in modes]
    repetitions = max(runs_for(n, runs, small_n_factor) for n, _ in points)
    kinds = (*KINDS, ABLATED) if ablate else KINDS
    mismatches: list[str] = []
    with tempfile.TemporaryDirectory(prefix="otr-bench-json-") as scratch:
        for repetition in range(repetitions):
            for n, mode in points:
                if repetition >= runs_for(n, runs, small_n_factor):
                    continue
                documents: dict[str, Path] = {}
                for kind in kinds_in(repetition, kinds):
                    documents[kind] = Path(scratch) / f"{kind}-{mode}-{n}.json"
                    sample = sample_point(kind, mode, n, optimize=optimize, json_out=documents[kind], ablate=ablate)
                    sample["repetition"] = repetition
                    report.samples.append(sample)
                    if not quiet:
                        _progress(
                            f"run {repetition + 1:>2}  N={n:<5} {mode:<8} {kind:<9} {sample['total_s']:7.3f} s  "
                            f"cpu {sample['cpu_s']:6.3f} s  wait {sample['runqueue_wait_s']:6.3f} s  "
                            f"{sample['peak_mb']:6.1f} MB  {sample['round_trips']:6d} round trips"
                        )
                differing = _compare(documents, report.samples[-len(kinds) :])
                if differing:
                    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
                    for kind, path in documents.items():
                        shutil.copy(path, RESULTS_DIR / f"mismatch-{kind}-{mode}-{n}.json")
                    mismatches.append(f"N={n} {mode}: {', '.join(differing)}")
    summarize(report)
    if mismatches:
        raise AssertionError(
            f"the construct's JSON differs from {'; '.join(mismatches)} (all kept in {RESULTS_DIR}/mismatch-*)"
        )
    return report


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
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="repetitions per point (median)")
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
        help=f"switch off speed-ups or checks of openai_thread_run, to measure them: {', '.join(ABLATIONS)}",
    )
    parser.add_argument("--out", type=Path, default=None, help="results JSON (default: benchmarks/results/)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the N=0 point (round trips per run)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--worker", choices=(*KINDS, ABLATED), help=argparse.SUPPRESS)
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
