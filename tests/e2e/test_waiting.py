"""Waiting inside ``terraform apply``: final outputs after ONE apply, and a plain plan right after shows nothing.

Every scenario runs the real cdktf CLI, Terraform and provider 1.2.0 against the local API; the plan is taken
straight after the first apply (no refresh in between).
"""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import (
    RUN_CREATE,
    RUN_GET,
    apply_once,
    assert_no_changes,
    assert_outputs_match_server,
    bodies,
    successful,
)
from tests.fake_api import FakeAssistantsAPI

MESSAGES = [{"role": "user", "content": "What is a thread run?"}]


def test_without_waiting_outputs_are_as_read_right_after_creation(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    """wait_for_completion=False keeps the provider's behaviour, as README documents it."""
    workspace = scenario(
        {"assistant": {"model": "gpt-4o"}, "construct": {"messages": MESSAGES, "wait_for_completion": False}}
    )
    outputs = apply_once(workspace)
    assert outputs["status"] == "in_progress", "the provider reads the run once, right after creating it"
    assert "completed_at" not in outputs and "usage" not in outputs, "unset until a later read"
    assert not fake_api.requests_matching("GET", r"/messages$"), "no answer is read without waiting"
    assert len(fake_api.requests_matching("GET", RUN_GET)) == 1, "nothing polls the run"

    code, plan = workspace.plan_exit_code()
    assert code == 2 and 'status             = "in_progress" -> "completed"' in plan, plan
    workspace.refresh()
    assert workspace.outputs()["status"] == "completed"
    workspace.destroy()


@pytest.mark.fake_api(run_duration_s=3.0)
def test_a_run_that_takes_seconds_is_waited_for(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI) -> None:
    workspace = scenario({"assistant": {"model": "gpt-4o"}, "construct": {"messages": MESSAGES}})
    outputs = apply_once(workspace)
    run = assert_outputs_match_server(outputs, fake_api)
    assert run["completed_at"] - run["created_at"] >= 2
    polls = [r for r in successful(fake_api, "GET", RUN_GET) if r.response_body["status"] != "completed"]
    assert polls, "the waiter saw the run unfinished before it completed"
    assert_no_changes(workspace)
    workspace.destroy()


def test_two_constructs_in_one_stack_each_wait_for_their_run(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    assistant = fake_api.store.create_assistant({"model": "gpt-4o"})
    existing = fake_api.store.create_thread({"messages": [{"role": "user", "content": "Earlier."}]})
    workspace = scenario(
        {
            "constructs": {
                "first": {"assistant_id": assistant["id"], "messages": MESSAGES},
                "second": {
                    "assistant_id": assistant["id"],
                    "create_new_thread": False,
                    "existing_thread_id": existing["id"],
                    "messages": [{"role": "user", "content": "And another question."}],
                },
            }
        }
    )
    outputs = apply_once(workspace)
    first = assert_outputs_match_server(outputs, fake_api, prefix="first_")
    second = assert_outputs_match_server(outputs, fake_api, prefix="second_")
    assert second["thread_id"] == existing["id"] != first["thread_id"]
    assert_no_changes(workspace)
    workspace.destroy()


def test_an_assistant_with_function_tools_plans_clean(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI) -> None:
    """Function parameters are written as the provider reads them back: compact, sorted, Go's escapes."""
    parameters = (
        '{ "type": "object",\n  "properties": {"b": {"type": "number", "maximum": 1.0},\n'
        ' "a": {"description": "<tag> & co"}} }'
    )
    function = {"name": "lookup", "description": "Look something up.", "parameters": parameters}
    workspace = scenario(
        {
            "assistant": {"model": "gpt-4o", "tools": [{"type": "function", "function": [function]}]},
            # the run passes its own tools, so it does not inherit the assistant's (a provider defect)
            "construct": {"messages": MESSAGES, "tools": [{"type": "code_interpreter"}]},
        }
    )
    outputs = apply_once(workspace)
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)
    [assistant] = bodies(fake_api, "POST", r"^/v1/assistants$")
    assert assistant["tools"][0]["function"]["parameters"] == json.loads(parameters)
    workspace.destroy()


def test_an_aliased_provider_serves_every_resource_and_the_waiter(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    """provider= reaches the thread, the run, the waiter and the data sources; nothing uses the default."""
    assistant = fake_api.store.create_assistant({"model": "gpt-4o"})
    nowhere = "http://127.0.0.1:9/v1"
    workspace = scenario(
        {
            "api_url": nowhere,
            "aliased_providers": {"local": {"api_url": fake_api.url}},
            "construct": {"assistant_id": assistant["id"], "messages": MESSAGES, "provider": "local"},
        }
    )
    workspace.extra_env["OPENAI_API_URL"] = nowhere  # the waiter must take the alias's api_url, not this
    outputs = apply_once(workspace)
    assert_outputs_match_server(outputs, fake_api)
    assert_no_changes(workspace)
    workspace.destroy()


def test_depending_on_the_construct_waits_for_the_run(scenario: ScenarioFactory, fake_api: FakeAssistantsAPI) -> None:
    """depends_on=[construct] and node.add_dependency(construct) both order after the waiter."""
    workspace = scenario({"assistant": {"model": "gpt-4o"}, "construct": {"messages": MESSAGES}, "dependent": True})
    outputs = apply_once(workspace)
    assert outputs["after_run"] == outputs["after_run_output"] == "done"
    edges = workspace.graph_edges()
    (waiter,) = {to for _, to in edges if re.fullmatch(r"terraform_data\.thread-run_wait_[0-9A-F]+", to)}
    for dependent in ("after-run", "after-run-node"):
        assert (f"terraform_data.{dependent}", waiter) in edges, f"{dependent} does not depend on the waiter"
    assert_no_changes(workspace)
    assert len(successful(fake_api, "POST", RUN_CREATE)) == 1
    workspace.destroy()
