"""rerun_triggers: a trigger resource that replaces the run when any value changes."""

from __future__ import annotations

from typing import Any

import pytest
from cdktf import TerraformStack
from cdktf_cdktf_provider_null.provider import NullProvider

from openai_thread_run import ThreadRunConstruct
from tests.conftest import Synth, logical_id, only, resources


def test_null_resource_carries_the_triggers_and_replaces_the_run(stack: TerraformStack, synth: Synth) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a", rerun_triggers={"prompt_version": "3"})
    doc = synth(stack)
    trigger_name = logical_id(doc, "null_resource", "tr_rerun-trigger")
    assert doc["resource"]["null_resource"][trigger_name] == {"triggers": {"prompt_version": "3"}}
    run = only(doc, "openai_thread_run")
    assert run["lifecycle"] == {"replace_triggered_by": [f"null_resource.{trigger_name}"]}
    assert doc["terraform"]["required_providers"]["null"]["source"] in ("null", "hashicorp/null")
    assert doc["provider"]["null"] == [{}]
    assert tr.rerun_trigger is not None


def test_null_provider_is_added_once_per_stack(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    ThreadRunConstruct(stack, "b", assistant_id="a", rerun_triggers={"v": "2"})
    doc = synth(stack)
    assert len(doc["provider"]["null"]) == 1
    assert len(resources(doc, "null_resource")) == 2


def test_a_users_own_null_provider_is_reused(stack: TerraformStack, synth: Synth) -> None:
    NullProvider(stack, "my-null", alias=None)
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={"v": "1"})
    assert len(synth(stack)["provider"]["null"]) == 1


def test_no_null_provider_without_triggers(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={})
    doc = synth(stack)
    assert "null" not in doc["provider"]
    assert "lifecycle" not in only(doc, "openai_thread_run")


def test_terraform_data_carries_the_triggers_without_a_provider(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(
        stack, "tr", assistant_id="a", rerun_triggers={"v": "1"}, rerun_trigger_resource="terraform_data"
    )
    doc = synth(stack)
    name = logical_id(doc, "terraform_data", "tr_rerun-trigger")
    assert doc["resource"]["terraform_data"][name] == {"triggers_replace": {"v": "1"}}
    assert only(doc, "openai_thread_run")["lifecycle"] == {"replace_triggered_by": [f"terraform_data.{name}"]}
    assert "null" not in doc["provider"]
    assert "null" not in doc["terraform"]["required_providers"]


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_triggers_apply_in_both_modes(stack: TerraformStack, synth: Synth, create_new_thread: bool) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"existing_thread_id": "thread_1"}
    ThreadRunConstruct(
        stack, "tr", assistant_id="a", create_new_thread=create_new_thread, rerun_triggers={"v": "1"}, **extra
    )
    assert "replace_triggered_by" in only(synth(stack), "openai_thread_run")["lifecycle"]
