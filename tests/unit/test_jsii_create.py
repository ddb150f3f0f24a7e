"""Bindings are created with their overrides discovered once per class, and exactly the ones jsii would find."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import cdktf
import jsii
import pytest

from openai_thread_run import OpenaiProvider, OpenaiThread, TerraformData, ThreadRunConstruct
from openai_thread_run.bindings import _jsii_create

KERNEL = _jsii_create._KERNEL_MODULE


@pytest.fixture
def discoveries(monkeypatch: pytest.MonkeyPatch) -> list[type]:
    """Every class jsii's own override discovery runs for, from now on (the cache starts empty)."""
    monkeypatch.setattr(_jsii_create, "_known", {})
    original = KERNEL._get_overides
    seen: list[type] = []

    def counting(klass: Any, obj: Any) -> Any:
        seen.append(type(obj))
        return original(klass, obj)

    monkeypatch.setattr(KERNEL, "_get_overides", counting)
    return seen


def test_overrides_are_discovered_once_per_binding_class(discoveries: list[type]) -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    for index in range(3):
        OpenaiThread(stack, f"thread-{index}", metadata={"n": str(index)})
        TerraformData(stack, f"data-{index}", input=index)

    assert discoveries.count(OpenaiThread) == 1 and discoveries.count(TerraformData) == 1
    document = json.loads(cdktf.Testing.synth(stack))
    # the one override every binding has, synthesizeAttributes, reached jsii for every instance
    assert document["resource"]["openai_thread"]["thread-2"]["metadata"] == {"n": "2"}
    assert document["resource"]["terraform_data"]["data-2"]["input"] == 2


def test_a_thread_run_constructs_overrides_are_discovered_once(discoveries: list[type]) -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    runs = [ThreadRunConstruct(stack, f"run-{index}", assistant_id="asst_1") for index in range(3)]
    assert discoveries.count(ThreadRunConstruct) == 1
    # its one override, fqn (ITerraformDependable), still reaches jsii: depends_on names the waiter
    TerraformData(stack, "after", depends_on=[runs[2]])
    after = json.loads(cdktf.Testing.synth(stack))["resource"]["terraform_data"]["after"]
    waiter = runs[2].waiter
    assert waiter is not None
    assert after["depends_on"] == [f"terraform_data.{waiter.friendly_unique_id}"]


def test_the_remembered_overrides_are_what_jsii_discovers() -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiThread(stack, "thread")
    obj = OpenaiThread.__new__(OpenaiThread)
    assert _jsii_create._known[OpenaiThread] == KERNEL._get_overides(OpenaiThread, obj)


def test_jsii_discovery_is_restored_after_each_create(discoveries: list[type]) -> None:
    before = KERNEL._get_overides
    OpenaiThread(cdktf.TerraformStack(cdktf.Testing.app(), "s"), "thread")
    assert KERNEL._get_overides is before


def test_objects_jsii_creates_meanwhile_are_discovered_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the class being created gets the remembered answer; anything else is asked of jsii."""
    monkeypatch.setattr(_jsii_create, "_known", {OpenaiThread: ["remembered"]})
    other = TerraformData.__new__(TerraformData)
    answers: dict[str, Any] = {}

    def fake_create(cls: type, obj: Any, args: list[Any]) -> None:
        answers["own"] = KERNEL._get_overides(cls, obj)
        answers["other"] = KERNEL._get_overides(TerraformData, other)

    monkeypatch.setattr(jsii, "create", fake_create)
    _jsii_create.create(OpenaiThread, OpenaiThread.__new__(OpenaiThread), [])
    assert answers["own"] == ["remembered"]
    assert [o.method for o in answers["other"]] == ["overrideLogicalId", "synthesizeAttributes"]


class _Renamed(OpenaiThread):
    """A user's subclass with an override of its own: discovered for the subclass, not taken from its parent."""

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return {"metadata": {"from": "subclass"}}


def test_a_subclass_gets_its_own_discovery(discoveries: list[type]) -> None:
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "s")
    OpenaiThread(stack, "parent")
    _Renamed(stack, "child")
    assert [cls for cls in discoveries if issubclass(cls, OpenaiThread)] == [OpenaiThread, _Renamed]
    resources = json.loads(cdktf.Testing.synth(stack))["resource"]["openai_thread"]
    assert resources["child"] == {"metadata": {"from": "subclass"}}
    assert "metadata" not in resources["parent"]
