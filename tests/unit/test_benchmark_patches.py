"""The benchmark's monkeypatches fail loudly when what they patch is renamed, instead of measuring unpatched code."""

from __future__ import annotations

import types
from typing import Any

import cdktf
import pytest
from jsii._kernel.providers import process

from benchmarks import synth_worker, workload
from openai_thread_run import construct
from openai_thread_run.bindings import _base


def test_every_ablation_patches_attributes_that_exist() -> None:
    patches = synth_worker.ablation_patches()
    assert sorted(patches) == sorted(synth_worker.ABLATIONS)
    for name, targets in patches.items():
        assert targets, name
        for owner, attribute, _ in targets:
            assert hasattr(owner, attribute), f"--ablate {name}: {owner.__name__}.{attribute} no longer exists"


def test_the_prechecked_inputs_ablation_keeps_the_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the bindings checking again what the construct checked, the construct emits the same JSON."""
    prechecked = _construct_document("existing")
    for owner, attribute, value in synth_worker.ablation_patches()["prechecked-inputs"]:
        monkeypatch.setattr(owner, attribute, value)
    assert _construct_document("existing") == prechecked


def test_the_prechecked_inputs_ablation_reaches_the_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patch must make the construct's bindings run their checks (without it, only the provider's run)."""
    calls: list[str] = []
    original = _base._checked

    def counted(attribute: Any, *args: Any) -> Any:
        calls.append(attribute.name)
        return original(attribute, *args)

    monkeypatch.setattr(_base, "_checked", counted)
    construct_inputs = {"assistant_id", "messages", "run_id"}
    _construct_document("new")
    assert calls and not construct_inputs & set(calls), calls
    for owner, attribute, value in synth_worker.ablation_patches()["prechecked-inputs"]:
        monkeypatch.setattr(owner, attribute, value)
    _construct_document("new")
    assert construct_inputs <= set(calls), calls


def _construct_document(mode: str) -> str:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), workload.STACK_NAME)
    workload.build_construct_stack(stack, mode, 2)
    return cdktf.Testing.synth(stack)


def test_an_ablation_whose_target_was_renamed_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(construct, "inputs_prechecked")
    with pytest.raises(AttributeError, match=r"openai_thread_run\.construct\.inputs_prechecked does not exist"):
        synth_worker.ablate(["prechecked-inputs"])
    assert not hasattr(construct, "inputs_prechecked")


def test_a_patch_sets_an_existing_attribute_and_refuses_a_missing_one() -> None:
    owner = types.SimpleNamespace(present=1)
    synth_worker.patch(owner, "present", 2)
    assert owner.present == 2
    with pytest.raises(AttributeError, match=r"\.missing does not exist"):
        synth_worker.patch(owner, "missing", 3)
    assert not hasattr(owner, "missing")


def test_the_round_trip_counter_counts_the_kernel_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    # Restored after the test: the counter replaces jsii's send for the rest of the (worker) process.
    monkeypatch.setattr(process._NodeProcess, "send", process._NodeProcess.send)
    counts = synth_worker.count_round_trips()
    stack = cdktf.TerraformStack(cdktf.Testing.app(), workload.STACK_NAME)
    workload.build_construct_stack(stack, "new", 1)
    cdktf.Testing.synth(stack)
    assert counts["CreateRequest"] > 0 and counts["InvokeRequest"] > 0, counts
