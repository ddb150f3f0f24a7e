"""The waiting benchmark runs end to end, with short runs (no timing is asserted: the benchmark only measures)."""

from __future__ import annotations

import os

import pytest

from benchmarks import wait_bench


def test_the_waiting_benchmark_measures_every_apply() -> None:
    try:
        wait_bench.Tools.find()
    except SystemExit as missing:
        if os.environ.get("CI"):
            pytest.fail(f"the waiting benchmark must run in CI: {missing}")
        pytest.skip(str(missing))
    report = wait_bench.measure(
        repetitions=1,
        stack_size=2,
        run_duration_s=1.0,
        long_run_duration_s=2.0,
        single_repetitions=1,
        long_repetitions=1,
        command="test",
        quiet=True,
    )

    for samples, runs in ((report.stack, 2), (report.single_run, 1), (report.long_run, 1)):
        (sample,) = samples
        assert sample.runs == runs
        for run in sample.timelines:
            assert 0 < run.created_s < run.seen_s <= sample.apply_s
            assert run.waiter_polls >= 2, "the waiter saw each run unfinished, then completed"
            assert run.provider_reads >= 1
        assert sample.calls_per_run["POST /v1/threads/{thread}/runs"] == 1
    text = wait_bench.markdown(report)
    assert "| 2 runs of 1 s |" in text and "| 1 run of 2 s |" in text
    assert "polls for a 30 s run: n/a" in text
