"""The run's life cycle under change: a changed prompt starts a new run that answers it, in both modes.

One stack holds a construct on a new thread (``fresh``) and one on an existing thread (``kept``); the test
changes their messages, then their instructions, applying after each change, and checks what the local API
received, that ``response`` is the new run's answer, and that the plan straight after each apply is clean.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import RUN_CREATE, apply_once, assert_no_changes, assert_outputs_match_server, successful
from tests.e2e.harness import Workspace
from tests.fake_api import FakeAssistantsAPI

THREAD_CREATE = r"^/v1/threads$"


def test_a_changed_prompt_starts_a_new_run_that_answers_it(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    assistant = fake_api.store.create_assistant({"model": "gpt-4o"})
    existing = fake_api.store.create_thread({})
    messages_path = rf"^/v1/threads/{existing['id']}/messages$"

    def synth(question: str, instructions: str) -> Workspace:
        common: dict[str, Any] = {"assistant_id": assistant["id"], "instructions": instructions}
        return scenario(
            {
                "constructs": {
                    "fresh": {**common, "messages": [{"role": "user", "content": f"Fresh: {question}"}]},
                    "kept": {
                        **common,
                        "create_new_thread": False,
                        "existing_thread_id": existing["id"],
                        "messages": [
                            {"role": "user", "content": "Context."},
                            {"role": "user", "content": f"Kept: {question}"},
                        ],
                    },
                }
            }
        )

    def answers(outputs: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Each construct's run on the server; its outputs (response included) must match it."""
        return {name: assert_outputs_match_server(outputs, fake_api, prefix=f"{name}_") for name in ("fresh", "kept")}

    workspace = synth("What is one?", "Be brief.")
    first = apply_once(workspace)
    runs = answers(first)
    assert first["fresh_response"] == "Fake reply to: Fresh: What is one?"
    assert first["kept_response"] == "Fake reply to: Kept: What is one?"
    assert_no_changes(workspace)

    # A changed message: a new thread for `fresh`, the messages posted again on `kept`'s thread, new runs.
    workspace = synth("What is two?", "Be brief.")
    workspace.apply()
    second = workspace.outputs()
    answers(second)
    assert second["fresh_response"] == "Fake reply to: Fresh: What is two?"
    assert second["kept_response"] == "Fake reply to: Kept: What is two?"
    threads = [r.body for r in successful(fake_api, "POST", THREAD_CREATE)]
    assert [t["messages"][0]["content"] for t in threads] == ["Fresh: What is one?", "Fresh: What is two?"]
    assert second["fresh_thread_id"] != first["fresh_thread_id"], "a changed message starts a new conversation"
    posted = [r.body["content"] for r in successful(fake_api, "POST", messages_path)]
    assert posted == ["Context.", "Kept: What is one?", "Context.", "Kept: What is two?"], "posted again, in order"
    assert second["kept_thread_id"] == existing["id"]
    assert {second["fresh_id"], second["kept_id"]}.isdisjoint({runs["fresh"]["id"], runs["kept"]["id"]})
    assert_no_changes(workspace)

    # A changed run setting: new runs on the same threads, nothing posted again.
    workspace = synth("What is two?", "Be thorough.")
    workspace.apply()
    third = workspace.outputs()
    answers(third)
    assert (third["fresh_thread_id"], third["kept_thread_id"]) == (second["fresh_thread_id"], existing["id"])
    assert third["fresh_id"] != second["fresh_id"] and third["kept_id"] != second["kept_id"]
    created = [(r.path, r.body["instructions"]) for r in successful(fake_api, "POST", RUN_CREATE)]
    assert len(created) == 6
    assert sorted(created[-2:]) == sorted(
        [
            (f"/v1/threads/{second['fresh_thread_id']}/runs", "Be thorough."),
            (f"/v1/threads/{existing['id']}/runs", "Be thorough."),
        ]
    )
    assert len(successful(fake_api, "POST", THREAD_CREATE)) == 2
    assert len(successful(fake_api, "POST", messages_path)) == 4
    assert third["fresh_response"] == "Fake reply to: Fresh: What is two?"
    assert_no_changes(workspace)
    workspace.destroy()


def test_runs_compose_a_second_run_on_the_same_thread_receives_the_first_answer(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI
) -> None:
    """Two runs on one thread in one apply: the second waits for the first (automatically) and quotes its answer."""
    workspace = scenario(
        {
            "assistant": {"model": "gpt-4o"},
            "constructs": {
                "first": {"messages": [{"role": "user", "content": "Name a colour."}]},
                "second": {
                    "create_new_thread": False,
                    "existing_thread_id": "<<run.first.thread_id>>",
                    "messages": [{"role": "user", "content": "Summarize ${this}: <<run.first.response>>"}],
                    "instructions": "Answer <<run.first.total_tokens>> times.",
                },
            },
        }
    )
    outputs = apply_once(workspace)
    first = assert_outputs_match_server(outputs, fake_api, prefix="first_")
    second = assert_outputs_match_server(outputs, fake_api, prefix="second_")
    assert outputs["second_thread_id"] == outputs["first_thread_id"]
    first_answer = "Fake reply to: Name a colour."
    assert outputs["first_response"] == first_answer
    [posted] = successful(fake_api, "POST", rf"^/v1/threads/{outputs['first_thread_id']}/messages$")
    assert posted.body["content"] == f"Summarize ${{this}}: {first_answer}", "the first answer, as text"
    first_done = next(
        index
        for index, request in enumerate(fake_api.requests)
        if request.method == "GET"
        and request.path.endswith(f"/runs/{first['id']}")
        and request.response_body["status"] == "completed"
    )
    assert fake_api.requests.index(posted) > first_done, "posted once the first run had finished"
    assert successful(fake_api, "POST", RUN_CREATE)[-1].body["instructions"] == (
        f"Answer {first['usage']['total_tokens']} times."
    )
    assert second["status"] == "completed"
    assert outputs["second_response"] == f"Fake reply to: Summarize ${{this}}: {first_answer}"
    assert_no_changes(workspace)
    workspace.destroy()
