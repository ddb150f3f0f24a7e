"""Free text reaches the API exactly as written: Terraform's template syntax in it stays text, tokens stay live."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ScenarioFactory
from tests.e2e.flows import RUN_CREATE, apply_once, assert_no_changes, bodies
from tests.fake_api import FakeAssistantsAPI

#: Text a prompt may well hold: shell and JavaScript code, Terraform's own syntax and its escapes, a trailing $.
HOSTILE = (
    'echo ${HOME} %{ if x }y%{ endif } $${lit} %%{lit} $$${x} `${js}` ${file("/etc/passwd")} {"a": 1} \\ "q" ends $'
)
#: Terraform drops a U+FEFF at the start of a string; escaped, it reaches the API.
LEADING_BOM = "\ufeff" + HOSTILE
TOPIC = "Terraform ${not.a.variable}"
#: With the variable's value in the middle, right after a "$", and after a literal "${".
WITH_TOKEN = "cost $<<var.topic>> for ${<<var.topic>>} and <<var.topic>>%{"
WITH_TOKEN_SENT = f"cost ${TOPIC} for ${{{TOPIC}}} and {TOPIC}%{{"


@pytest.mark.parametrize("create_new_thread", [True, False])
def test_text_with_template_syntax_reaches_the_api_byte_for_byte(
    scenario: ScenarioFactory, fake_api: FakeAssistantsAPI, create_new_thread: bool
) -> None:
    function = {
        "name": "lookup",
        "description": HOSTILE,
        "parameters": {"type": "object", "description": HOSTILE, "title": WITH_TOKEN},
    }
    construct: dict[str, object] = {
        "messages": [{"role": "user", "content": LEADING_BOM, "metadata": {HOSTILE[:60]: HOSTILE[:500]}}],
        "instructions": WITH_TOKEN,
        "metadata": {"note": HOSTILE[:500], "${key}": WITH_TOKEN},
        "tools": [{"type": "code_interpreter"}],
    }
    if not create_new_thread:
        existing = fake_api.store.create_thread({})
        construct |= {"create_new_thread": False, "existing_thread_id": existing["id"]}
    else:
        construct["thread_metadata"] = {"topic": WITH_TOKEN}
    workspace = scenario(
        {
            "variables": {"topic": TOPIC},
            "assistant": {
                "model": "gpt-4o",
                "instructions": HOSTILE,
                "tools": [{"type": "function", "function": [function]}],
            },
            "construct": construct,
        }
    )
    apply_once(workspace)
    assert_no_changes(workspace)

    [assistant] = bodies(fake_api, "POST", r"^/v1/assistants$")
    assert assistant["instructions"] == HOSTILE
    sent_function = assistant["tools"][0]["function"]
    assert sent_function["description"] == HOSTILE
    assert sent_function["parameters"] == {"type": "object", "description": HOSTILE, "title": WITH_TOKEN_SENT}
    message = {"role": "user", "content": LEADING_BOM, "metadata": {HOSTILE[:60]: HOSTILE[:500]}}
    if create_new_thread:
        [thread] = bodies(fake_api, "POST", r"^/v1/threads$")
        assert thread == {"messages": [message], "metadata": {"topic": WITH_TOKEN_SENT}}
    else:
        assert bodies(fake_api, "POST", r"/messages$") == [message]
    [run] = bodies(fake_api, "POST", RUN_CREATE)
    assert run["instructions"] == WITH_TOKEN_SENT
    assert run["metadata"] == {"note": HOSTILE[:500], "${key}": WITH_TOKEN_SENT}
    workspace.destroy()
