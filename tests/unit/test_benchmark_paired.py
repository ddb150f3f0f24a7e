"""The paired synth benchmark rotates the kinds, compares against the plain floor, and measures a git ref's code.

Not a timed test: nothing here asserts how fast anything is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import synth_paired


def _sample(cpu_s: float, sha: str = "same", round_trips: int = 20) -> dict[str, Any]:
    return {
        "cpu_s": cpu_s,
        "total_s": 2 * cpu_s,
        "cpu_python_s": cpu_s / 2,
        "round_trips": round_trips,
        "json_sha256": sha,
    }


def test_each_repetition_runs_every_kind_in_rotated_order(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str]] = []

    def fake(kind: synth_paired.Kind, mode: str, n: int) -> dict[str, Any]:
        calls.append((kind.name, mode))
        return _sample(1.0)

    monkeypatch.setattr(synth_paired, "sample", fake)
    kinds = synth_paired.kinds_for(Path("/ref"), "typechecks")
    synth_paired.measure(kinds, ["new"], 5, 2)

    names = [kind.name for kind in kinds]
    assert names == ["construct", "plain", "ref", "ref-ablated"]
    assert [name for name, _ in calls] == [*names, *names[1:], names[0]]


def test_a_construct_document_unlike_the_plain_floors_fails_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(kind: synth_paired.Kind, mode: str, n: int) -> dict[str, Any]:
        return _sample(1.0, sha="other" if kind.name == "construct" else "plain")

    monkeypatch.setattr(synth_paired, "sample", fake)
    with pytest.raises(RuntimeError, match="differs from the plain floor"):
        synth_paired.measure(synth_paired.kinds_for(None, None), ["existing"], 5, 1)


def test_the_summary_gives_the_median_and_every_repetition_of_the_ratio_to_the_plain_floor() -> None:
    result = synth_paired.ModeResult("new")
    for construct, plain in ((1.2, 1.0), (3.0, 2.0), (1.1, 1.0)):
        samples = {"construct": _sample(construct, round_trips=48), "plain": _sample(plain, round_trips=40)}
        result.repetitions.append(synth_paired.Repetition(samples, 0.5, 2.5))

    lines = synth_paired.summary(result, ["construct", "plain"], 2)

    assert lines[0] == "new: load average (1 min) 0.5-2.5"
    assert len(lines) == 2
    assert "CPU/plain median 1.200 (min 1.100, max 1.500; each [1.2, 1.5, 1.1])" in lines[1]
    assert "round trips per thread-run 24.00 (plain 20.00)" in lines[1]


def test_a_git_ref_is_measured_from_its_own_files(capsys: pytest.CaptureFixture[str]) -> None:
    """The real thing, at N=1 and one repetition: the working tree, the plain floor and HEAD's construct."""
    assert synth_paired.main(["--n", "1", "--reps", "1", "--modes", "new", "--ref", "HEAD"]) == 0

    out = capsys.readouterr().out
    assert "new #1: load" in out
    assert "  construct: CPU/plain median" in out
    assert "  ref: CPU/plain median" in out
