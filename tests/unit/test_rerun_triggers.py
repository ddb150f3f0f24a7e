"""rerun_triggers: a trigger resource that replaces the run (and so its waiter) when any value changes."""

from __future__ import annotations

from typing import Any

import pytest
from cdktf import TerraformStack, TerraformVariable

from openai_thread_run import ThreadRunConstruct
from openai_thread_run.validation import RerunTriggerResource
from tests.conftest import Synth, logical_id, only


def test_null_resource_carries_the_triggers_and_replaces_the_run(stack: TerraformStack, synth: Synth) -> None:
    tr = ThreadRunConstruct(stack, "tr", assistant_id="a", rerun_triggers={"prompt_version": "3"})
    doc = synth(stack)
    trigger_name = logical_id(doc, "null_resource", "tr_rerun-trigger")
    assert doc["resource"]["null_resource"][trigger_name] == {"triggers": {"prompt_version": "3"}}
    prompt = logical_id(doc, "terraform_data", "tr_prompt")
    assert only(doc, "openai_thread_run")["lifecycle"]["replace_triggered_by"] == [
        f"null_resource.{trigger_name}",
        f"terraform_data.{prompt}",
    ]
    assert doc["terraform"]["required_providers"]["null"]["source"] in ("null", "hashicorp/null")
    assert tr.rerun_trigger is not None


def test_the_waiter_is_replaced_with_the_run(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "tr", assistant_id="a", rerun_triggers={"v": "1"})
    doc = synth(stack)
    run = logical_id(doc, "openai_thread_run", "tr_")
    waiter = doc["resource"]["terraform_data"][logical_id(doc, "terraform_data", "tr_wait")]
    assert waiter["triggers_replace"] == f"${{openai_thread_run.{run}.id}}", "a new run has a new id"


def test_no_trigger_without_triggers(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(stack, "a", assistant_id="a", rerun_triggers={})
    doc = synth(stack)
    assert "null" not in doc["provider"] and "null_resource" not in doc["resource"]
    prompt = logical_id(doc, "terraform_data", "a_prompt")
    assert only(doc, "openai_thread_run")["lifecycle"]["replace_triggered_by"] == [f"terraform_data.{prompt}"]


def test_terraform_data_carries_the_triggers_without_a_provider(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(
        stack, "tr", assistant_id="a", rerun_triggers={"v": "1"}, rerun_trigger_resource="terraform_data"
    )
    doc = synth(stack)
    name = logical_id(doc, "terraform_data", "tr_rerun-trigger")
    assert doc["resource"]["terraform_data"][name] == {"triggers_replace": {"v": "1"}}
    prompt = logical_id(doc, "terraform_data", "tr_prompt")
    assert only(doc, "openai_thread_run")["lifecycle"]["replace_triggered_by"] == [
        f"terraform_data.{name}",
        f"terraform_data.{prompt}",
    ]
    assert "null" not in doc["provider"] and "null" not in doc["terraform"]["required_providers"]


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_triggers_apply_in_both_modes(stack: TerraformStack, synth: Synth, create_new_thread: bool) -> None:
    extra: dict[str, Any] = {} if create_new_thread else {"existing_thread_id": "thread_1"}
    ThreadRunConstruct(
        stack, "tr", assistant_id="a", create_new_thread=create_new_thread, rerun_triggers={"v": "1"}, **extra
    )
    doc = synth(stack)
    trigger = f"null_resource.{logical_id(doc, 'null_resource', 'tr_rerun-trigger')}"
    assert trigger in only(doc, "openai_thread_run")["lifecycle"]["replace_triggered_by"]


@pytest.mark.parametrize("resource", ["null_resource", "terraform_data"])
def test_trigger_values_are_data_and_map_tokens_pass(
    stack: TerraformStack, synth: Synth, resource: RerunTriggerResource
) -> None:
    labels = TerraformVariable(stack, "labels", type="map(string)")
    ThreadRunConstruct(stack, "lit", assistant_id="a", rerun_triggers={"v": "${x}"}, rerun_trigger_resource=resource)
    ThreadRunConstruct(stack, "tok", assistant_id="a", rerun_triggers=labels.value, rerun_trigger_resource=resource)
    doc = synth(stack)
    key = "triggers" if resource == "null_resource" else "triggers_replace"
    literal = doc["resource"][resource][logical_id(doc, resource, "lit_rerun-trigger")]
    assert literal[key] == {"v": "$${x}"}, "Terraform evaluates it back to the text ${x}"
    assert doc["resource"][resource][logical_id(doc, resource, "tok_rerun-trigger")][key] == "${var.labels}"
