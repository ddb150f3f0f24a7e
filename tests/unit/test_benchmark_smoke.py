"""The synth benchmark still runs, compares like with like, and the speed-ups it led to keep behaviour.

Not a timed test: nothing here asserts how fast anything is.
"""

from __future__ import annotations

import json
from typing import Any

import cdktf
import pytest

from benchmarks import synth_bench, workload
from openai_thread_run import OpenaiMessage, OpenaiProvider, OpenaiThread, ThreadRunConstruct
from openai_thread_run.bindings import _base


@pytest.mark.parametrize("mode", workload.MODES)
def test_floor_and_construct_synthesize_the_same_json(mode: str) -> None:
    """In process: the floor stack is the construct stack, so the ratio compares like with like."""
    documents = {}
    for kind, build in workload.BUILDERS.items():
        app = cdktf.Testing.app()
        stack = cdktf.TerraformStack(app, workload.STACK_NAME)
        build(stack, mode, 3)
        documents[kind] = json.loads(cdktf.Testing.synth(stack, run_validations=True))
    assert documents["construct"] == documents["floor"]
    resources = documents["construct"]["resource"]
    expected = {"openai_thread": 3} if mode == "new" else {"openai_message": 6}
    assert {type_: len(found) for type_, found in resources.items()} == {**expected, "openai_thread_run": 3}


def test_benchmark_runs_at_n10_in_both_modes() -> None:
    """The benchmark itself, at N=10, one run per point, each in a fresh process (as CI runs it)."""
    report = synth_bench.measure([10], 1, small_n_factor=1, quiet=True)

    points = {(point.n, point.mode): point for point in report.points}
    assert set(points) == {(10, "new"), (10, "existing")}
    for point in points.values():
        assert point.floor_s > 0 and point.construct_s > 0
        assert point.floor_peak_mb > 0 and point.construct_peak_mb > 0
        assert point.json_equal, f"construct and floor JSON differ in {point.mode} mode"
        assert point.construct_round_trips > 0 and point.floor_round_trips > 0
        assert point.construct_round_trips_per_run is not None
    samples = [s for s in report.samples if s["n"] == 10]
    assert {(s["kind"], s["mode"]) for s in samples} == {
        (kind, mode) for kind in workload.KINDS for mode in workload.MODES
    }
    for sample in samples:
        assert sample["json_equal"] is True
        assert sample["total_s"] > 0
        expected = {"openai_thread": 10} if sample["mode"] == "new" else {"openai_message": 20}
        assert sample["resources"] == {**expected, "openai_thread_run": 10}
    assert report.import_package_s > 0
    assert "| 10 | new |" in synth_bench.markdown(report)


# -- the prechecked creation path (bindings skip cdktf's runtime type checks for arguments they know) ----------


def _stack_with_everything() -> cdktf.TerraformStack:
    """Both modes, rerun triggers on both trigger resources (a lifecycle), an aliased provider, depends_on."""
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    secondary = OpenaiProvider(stack, "secondary", alias="secondary")
    ThreadRunConstruct(stack, "new", assistant_id="asst_1", messages=[{"role": "user", "content": "hi"}])
    ThreadRunConstruct(
        stack,
        "existing",
        assistant_id="asst_1",
        create_new_thread=False,
        existing_thread_id="thread_1",
        messages=[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}],
        rerun_triggers={"v": "1"},
    )
    ThreadRunConstruct(
        stack, "data", assistant_id="asst_1", rerun_triggers={"v": "2"}, rerun_trigger_resource="terraform_data"
    )
    thread = OpenaiThread(stack, "thread", provider=secondary)
    OpenaiMessage(stack, "message", thread_id=thread.id, role="user", content="c", depends_on=[thread])
    return stack


def test_prechecked_creation_emits_what_the_checked_path_emits(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    original = _base._create_prechecked

    def spy(*args: Any) -> bool:
        taken.append(original(*args))
        return taken[-1]

    monkeypatch.setattr(_base, "_create_prechecked", spy)
    fast = json.loads(cdktf.Testing.synth(_stack_with_everything(), run_validations=True))
    assert taken and all(taken), "every openai_* binding above should take the prechecked path"

    monkeypatch.setattr(_base, "_create_prechecked", lambda *args: False)
    checked = json.loads(cdktf.Testing.synth(_stack_with_everything(), run_validations=True))
    assert fast == checked


def _error_of(id_: Any, **kwargs: Any) -> tuple[type[BaseException], str]:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    with pytest.raises(Exception) as caught:
        OpenaiThread(stack, id_, **kwargs)
    return caught.type, str(caught.value).split("\n")[0]


@pytest.mark.parametrize(
    ("id_", "kwargs"),
    [
        ("t", {"provider": "not a provider"}),
        ("t", {"depends_on": ["not a resource"]}),
        ("t", {"lifecycle": "not a lifecycle"}),
        (42, {}),
    ],
)
def test_arguments_outside_the_prechecked_kinds_fail_exactly_as_before(
    monkeypatch: pytest.MonkeyPatch, id_: Any, kwargs: dict[str, Any]
) -> None:
    error = _error_of(id_, **kwargs)
    monkeypatch.setattr(_base, "_create_prechecked", lambda *args: False)
    assert error == _error_of(id_, **kwargs)


def test_a_dict_lifecycle_still_goes_through_cdktf() -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiThread(stack, "ok", lifecycle={"create_before_destroy": True})
    document = json.loads(cdktf.Testing.synth(stack))
    (body,) = document["resource"]["openai_thread"].values()
    assert body["lifecycle"] == {"create_before_destroy": True}
