"""What the gateway asks each upstream kind for what the end-to-end tests do not reach (images, a JSON schema,
reasoning effort, a named tool choice): the request bodies, checked against OpenAI's published spec."""

from __future__ import annotations

from typing import Any

import pytest

from openai_thread_run.gateway.upstream import APIS
from openai_thread_run.gateway.upstream.conversation import RunRequest, Turn, UnsupportedRequest
from tests.fake_upstream.server import model_apis_spec

IMAGE = {"type": "image_url", "image_url": {"url": "https://example.com/chart.png", "detail": "high"}}
TEXT = {"type": "text", "text": {"value": "What does the chart show?", "annotations": []}}
SCHEMA = {"name": "answer", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}, "strict": True}
SETTINGS: dict[str, Any] = {
    "response_format": {"type": "json_schema", "json_schema": SCHEMA},
    "reasoning_effort": "low",
    "tool_choice": {"type": "function", "function": {"name": "lookup"}},
}
FUNCTION = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}, "strict": False}}
RUN = RunRequest(
    model="gpt-4o",
    instructions="Be brief.",
    turns=(Turn("user", (TEXT, IMAGE)), Turn("assistant", (TEXT,))),
    tools=(FUNCTION,),
    settings=SETTINGS,
)


def test_responses() -> None:
    body = APIS["responses"].request_body(RUN)
    assert body["input"][0] == {
        "type": "message",
        "role": "user",
        "content": [
            {"type": "input_text", "text": "What does the chart show?"},
            {"type": "input_image", "image_url": "https://example.com/chart.png", "detail": "high"},
        ],
    }
    assert body["text"] == {"format": {"type": "json_schema", **SCHEMA}}
    assert (body["reasoning"], body["tool_choice"]) == ({"effort": "low"}, {"type": "function", "name": "lookup"})
    spec = model_apis_spec()
    # The published InputItem is a oneOf that a message with content parts matches twice (an easy input message
    # and an input message); the real API tells them apart by "type". Checked here against the one it names.
    spec.component_validator("InputMessage").validate(body["input"][0])
    rest = body | {"input": body["input"][1:]}
    spec.operation("createResponse").validate_body(rest)


def test_chat_completions() -> None:
    body = APIS["chat-completions"].request_body(RUN)
    assert body["messages"][1] == {
        "role": "user",
        "content": [
            {"type": "text", "text": "What does the chart show?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/chart.png", "detail": "high"}},
        ],
    }
    assert body["response_format"] == {"type": "json_schema", "json_schema": SCHEMA}
    assert (body["reasoning_effort"], body["tool_choice"]) == ("low", SETTINGS["tool_choice"])
    model_apis_spec().operation("createChatCompletion").validate_body(body)


@pytest.mark.parametrize(
    "run",
    [
        RunRequest("gpt-4o", "", (), tools=({"type": "code_interpreter"},)),
        RunRequest("gpt-4o", "", (), settings={"tool_choice": {"type": "code_interpreter"}}),
    ],
)
def test_chat_completions_has_no_code_interpreter(run: RunRequest) -> None:
    with pytest.raises(UnsupportedRequest, match="no code interpreter"):
        APIS["chat-completions"].request_body(run)
