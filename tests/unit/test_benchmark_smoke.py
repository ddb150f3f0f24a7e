"""The synth benchmark still runs, compares like with like, and the speed-ups it led to keep behaviour.

Not a timed test: nothing here asserts how fast anything is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cdktf
import constructs
import pytest

from benchmarks import synth_bench, synth_report, synth_worker, workload
from benchmarks.documents import same_without_metadata
from openai_thread_run import OpenaiThread, logical_ids

#: Per thread-run, what the construct (and so each floor) emits in each mode.
ELEMENTS = {
    "new": {"openai_thread": 1, "openai_thread_run": 1, "terraform_data": 2},
    "existing": {"openai_message": 2, "openai_thread_run": 1, "terraform_data": 2},
}
DATA_SOURCES = {"openai_run": 1, "openai_messages": 1}


def _synthesized(kind: str, mode: str, n: int, outdir: Path) -> bytes:
    """``cdk.tf.json`` of ``kind`` as the benchmark writes it: ``App(outdir).synth()``, metadata comments included."""
    app = cdktf.App(outdir=str(outdir))
    stack = cdktf.TerraformStack(app, workload.STACK_NAME)
    workload.BUILDERS[kind](stack, mode, n)
    app.synth()
    return (outdir / "stacks" / workload.STACK_NAME / "cdk.tf.json").read_bytes()


@pytest.mark.parametrize("mode", workload.MODES)
def test_every_floor_synthesizes_the_constructs_json(mode: str, tmp_path: Path) -> None:
    """In process: the floor and the plain floor are the construct's JSON byte for byte, the minimal floor apart
    from "//" comments."""
    documents = {kind: _synthesized(kind, mode, 12, tmp_path / kind) for kind in workload.BUILDERS}

    assert documents["floor"] == documents["construct"]
    assert documents["plain"] == documents["construct"]
    assert documents["minimal"] != documents["construct"], "the minimal floor's paths differ from the construct's"
    assert same_without_metadata(documents["minimal"], documents["construct"])
    parsed = json.loads(documents["construct"])
    assert {type_: len(found) for type_, found in parsed["resource"].items()} == {
        type_: 12 * count for type_, count in ELEMENTS[mode].items()
    }
    assert {type_: len(found) for type_, found in parsed["data"].items()} == {
        type_: 12 * count for type_, count in DATA_SOURCES.items()
    }
    assert list(parsed["locals"]) == ["openai_thread_run_waiter"]


def test_the_minimal_floor_uses_the_logical_ids_cdktf_allocates() -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), workload.STACK_NAME)
    scope = constructs.Construct(stack, "run-7")
    nested = constructs.Construct(scope, "Default")
    for name in ("run", "existing-thread", "Resource", "x.y z"):
        element = cdktf.TerraformLocal(nested, name, 1)
        assert element.friendly_unique_id == logical_ids.make_unique_id(["run-7", "Default", name]), name
    assert cdktf.TerraformLocal(stack, "top-level", 1).friendly_unique_id == logical_ids.make_unique_id(["top-level"])


def test_a_difference_in_the_metadata_comments_alone_is_the_same_json() -> None:
    first = json.dumps({"//": {"path": "a"}, "resource": {"t": {"x": {"//": 1, "v": [{"//": 2, "k": 1}]}}}})
    second = json.dumps({"//": {"path": "b"}, "resource": {"t": {"x": {"v": [{"k": 1}]}}}})
    assert same_without_metadata(first.encode(), second.encode())
    assert not same_without_metadata(first.encode(), second.replace('"k": 1', '"k": 2').encode())


def test_the_report_knows_every_kind_the_workload_builds() -> None:
    assert synth_report.KINDS == workload.KINDS == tuple(workload.BUILDERS)
    assert synth_report.MODES == workload.MODES
    assert synth_report.ABLATED == synth_worker.ABLATED


def test_benchmark_runs_at_n10_in_both_modes() -> None:
    """The benchmark itself, at N=10, one run per point, each in a fresh process (as CI runs it)."""
    report = synth_bench.measure([10], 1, small_n_factor=1, quiet=True)

    points = {(point.n, point.mode): point for point in report.points}
    assert set(points) == {(10, "new"), (10, "existing")}
    for point in points.values():
        assert point.json_equal, f"construct and floor JSON differ in {point.mode} mode"
        assert point.json_equal_without_metadata, f"construct and minimal floor JSON differ in {point.mode} mode"
        assert set(point.kinds) == set(workload.KINDS)
        assert set(point.ratio) == set(point.cpu_ratio) == {"floor", "minimal", "plain"}
        for stats in point.kinds.values():
            assert stats.total_s > 0 and stats.cpu_s > 0 and stats.peak_mb > 0
            assert stats.round_trips > 0 and stats.round_trips_per_run is not None
    samples = [s for s in report.samples if s["n"] == 10]
    assert sorted((s["kind"], s["mode"]) for s in samples) == sorted(
        (kind, mode) for kind in workload.KINDS for mode in workload.MODES
    )
    for sample in samples:
        assert sample["total_s"] > 0
        elements = ELEMENTS[sample["mode"]] | {f"data.{type_}": count for type_, count in DATA_SOURCES.items()}
        assert sample["resources"] == {type_: 10 * count for type_, count in sorted(elements.items())}
        if sample["kind"] != "minimal":
            assert sample["json_equal"] is True
        if sample["kind"] in ("construct", "minimal"):
            assert sample["json_equal_without_metadata"] is True
    assert report.import_package_s > 0
    text = synth_report.markdown(report)
    assert "| 10 | new |" in text and "Against the minimal floor" in text and "Against the plain floor" in text


def test_an_ablation_run_measures_the_ablated_construct_beside_the_construct() -> None:
    report = synth_bench.measure(
        [10], 1, modes=["new"], small_n_factor=1, ablate=["prechecked-inputs"], baseline=False, quiet=True
    )

    (point,) = report.points
    assert point.ablated is not None and point.ablation_ratio is not None and point.ablation_cpu_ratio is not None
    assert point.json_equal, "checking the inputs again must not change the JSON"
    assert {s["kind"] for s in report.samples} == {*workload.KINDS, "ablated"}
    assert [s["ablate"] for s in report.samples if s["kind"] == "ablated"] == [["prechecked-inputs"]]
    assert "prechecked-inputs switched off" in synth_report.markdown(report)


# -- bindings created by user code go through cdktf as generated bindings do ---------------------------------


def test_a_dict_lifecycle_still_goes_through_cdktf() -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiThread(stack, "ok", lifecycle={"create_before_destroy": True})
    document = json.loads(cdktf.Testing.synth(stack))
    (body,) = document["resource"]["openai_thread"].values()
    assert body["lifecycle"] == {"create_before_destroy": True}


def test_the_plain_floor_builds_no_token_in_python(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its references are literal text: no attribute token and no local's token is read while it is built."""
    read: list[str] = []
    for owner, name in (
        (cdktf.TerraformResource, "get_string_attribute"),
        (cdktf.TerraformResource, "interpolation_for_attribute"),
        (cdktf.TerraformResource, "fqn"),
        (cdktf.TerraformLocal, "as_string"),
    ):
        original = getattr(owner, name)
        is_property = isinstance(original, property)

        def spy(*args: Any, _name: str = name, _read: Any = original.fget if is_property else original) -> Any:
            read.append(_name)
            return _read(*args)

        monkeypatch.setattr(owner, name, property(spy) if is_property else spy)
    for mode in workload.MODES:
        workload.BUILDERS["plain"](cdktf.TerraformStack(cdktf.Testing.app(), workload.STACK_NAME), mode, 3)
    assert read == []
    workload.BUILDERS["floor"](cdktf.TerraformStack(cdktf.Testing.app(), workload.STACK_NAME), "new", 1)
    assert "get_string_attribute" in read and "as_string" in read, "the spies must see the token floor's reads"
