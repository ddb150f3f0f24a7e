"""Paired synth benchmark: the working tree's construct against the plain floor and, optionally, a git ref's construct.

Run ``python -m benchmarks.synth_paired --n 1000 --reps 3`` (add ``--ref main`` to compare with another commit, and
``--ref-ablate typechecks`` to switch off the named speed-ups in the ref's construct, as its ``--ablate`` knows
them). Each repetition runs every kind once, back to back, each in a fresh Python process (a fresh jsii kernel),
and rotates which kind goes first, so that every ratio compares points measured under the same machine load. The
ref is written to a temporary directory with ``git archive`` and imported from there, with this tree's virtual
environment. The kinds:

- ``construct``: the working tree's ThreadRunConstructs (:mod:`benchmarks.workload`);
- ``plain``: the working tree's plain floor, cdktf writing the same document from plain dicts, the denominator;
- ``ref``: the ref's ThreadRunConstructs, and ``ref-ablated`` the same with ``--ref-ablate``.

It prints each repetition (its load average and every kind's CPU) as it goes, then per mode the median of the
per-repetition ratios of CPU (Python + Node), wall time and Python CPU to the plain floor, every repetition's
CPU ratio, and the round trips per thread-run. The working tree's construct must write the plain floor's
document byte for byte (the run fails otherwise); the ref's is not compared, since it names the ref's directory.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.inputs import MODES
from benchmarks.synth_bench import kinds_in

REPO_ROOT = Path(__file__).resolve().parent.parent
PLAIN = "plain"


@dataclass(frozen=True)
class Kind:
    """One kind of point: which tree it runs from and its worker arguments."""

    name: str
    tree: Path
    worker: tuple[str, ...]


@dataclass
class Repetition:
    """One repetition of every kind in one mode: the samples by kind, and the load average around them."""

    samples: dict[str, dict[str, Any]]
    load_before: float
    load_after: float


@dataclass
class ModeResult:
    """Every repetition of one mode."""

    mode: str
    repetitions: list[Repetition] = field(default_factory=list[Repetition])


def sample(kind: Kind, mode: str, n: int) -> dict[str, Any]:
    """Run one point of ``kind`` in a fresh process, from its tree, and return the worker's sample."""
    command = [sys.executable, "-m", "benchmarks.synth_bench", *kind.worker, "--mode", mode, "--n", str(n)]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(kind.tree / "src"), str(kind.tree)]))
    done = subprocess.run(command, cwd=kind.tree, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmark worker {kind.name}/{mode}/N={n} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def ratios(mode: ModeResult, kind: str, key: str) -> list[float]:
    """Return ``kind``'s ``key`` over the plain floor's, one per repetition."""
    return [rep.samples[kind][key] / rep.samples[PLAIN][key] for rep in mode.repetitions]


def summary(mode: ModeResult, kinds: Sequence[str], n: int) -> list[str]:
    """Return the lines that summarize one mode: the median ratios to the plain floor of every kind but it."""
    loads = [load for rep in mode.repetitions for load in (rep.load_before, rep.load_after)]
    lines = [f"{mode.mode}: load average (1 min) {min(loads):.1f}-{max(loads):.1f}"]
    for kind in kinds:
        if kind == PLAIN:
            continue
        cpu = ratios(mode, kind, "cpu_s")
        lines.append(
            f"  {kind}: CPU/plain median {statistics.median(cpu):.3f} "
            f"(min {min(cpu):.3f}, max {max(cpu):.3f}; each {[round(r, 3) for r in cpu]}), "
            f"wall/plain {statistics.median(ratios(mode, kind, 'total_s')):.3f}, "
            f"Python CPU/plain {statistics.median(ratios(mode, kind, 'cpu_python_s')):.3f}, "
            f"round trips per thread-run {mode.repetitions[0].samples[kind]['round_trips'] / n:.2f} "
            f"(plain {mode.repetitions[0].samples[PLAIN]['round_trips'] / n:.2f})"
        )
    return lines


@contextmanager
def checked_out(ref: str | None) -> Generator[Path | None, None, None]:
    """Yield a temporary directory holding ``ref``'s files (``git archive``), or None without a ref."""
    if ref is None:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="otr-paired-") as directory:
        archive = subprocess.run(["git", "archive", ref], cwd=REPO_ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", directory], input=archive, check=True)
        yield Path(directory)


def kinds_for(ref_tree: Path | None, ref_ablate: str | None) -> list[Kind]:
    """Return the kinds measured: the working tree's construct and plain floor, and the ref's when there is one."""
    kinds = [Kind("construct", REPO_ROOT, ("--worker", "construct")), Kind(PLAIN, REPO_ROOT, ("--worker", PLAIN))]
    if ref_tree is not None:
        kinds.append(Kind("ref", ref_tree, ("--worker", "construct")))
        if ref_ablate:
            kinds.append(Kind("ref-ablated", ref_tree, ("--worker", "ablated", "--ablate", ref_ablate)))
    return kinds


def measure(kinds: Sequence[Kind], modes: Sequence[str], n: int, reps: int) -> list[ModeResult]:
    """Sample every kind ``reps`` times per mode, back to back in rotating order; print each repetition."""
    by_name = {kind.name: kind for kind in kinds}
    results: list[ModeResult] = []
    for mode in modes:
        result = ModeResult(mode)
        for index in range(reps):
            load_before = os.getloadavg()[0]
            samples = {name: sample(by_name[name], mode, n) for name in kinds_in(index, tuple(by_name))}
            rep = Repetition(samples, load_before, os.getloadavg()[0])
            result.repetitions.append(rep)
            cpu = {name: round(s["cpu_s"], 2) for name, s in samples.items()}
            print(f"{mode} #{index + 1}: load {load_before:.1f} -> {rep.load_after:.1f}, CPU s {cpu}", flush=True)
            if samples["construct"]["json_sha256"] != samples[PLAIN]["json_sha256"]:
                raise RuntimeError(f"{mode}: the construct's document differs from the plain floor's")
        results.append(result)
    return results


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=1000, help="thread-runs per stack (default 1000)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per mode (default 3)")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated modes (default new,existing)")
    parser.add_argument("--ref", default=None, help="a git ref whose construct is measured too (default: none)")
    parser.add_argument("--ref-ablate", default=None, help="also the ref's construct with these --ablate names")
    parser.add_argument("--out", type=Path, default=None, help="write every sample here as JSON (default: none)")
    args = parser.parse_args(argv)
    args.modes = [mode for mode in args.modes.split(",") if mode]
    if unknown := set(args.modes) - set(MODES):
        parser.error(f"unknown modes: {sorted(unknown)}")
    if args.n < 1 or args.reps < 1:
        parser.error("--n and --reps must be at least 1")
    if args.ref_ablate and not args.ref:
        parser.error("--ref-ablate needs --ref")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with checked_out(args.ref) as ref_tree:
        kinds = kinds_for(ref_tree, args.ref_ablate)
        results = measure(kinds, args.modes, args.n, args.reps)
    for result in results:
        print("\n".join(summary(result, [kind.name for kind in kinds], args.n)))
    if args.out is not None:
        args.out.write_text(
            json.dumps(
                {
                    r.mode: [{"load": [rep.load_before, rep.load_after], **rep.samples} for rep in r.repetitions]
                    for r in results
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
