"""What each benchmarked thread-run is made of: the same inputs for the construct and for both floors.

Each of the N points is one "thread-run" of an evaluation suite: 2 messages, 2 tools (code_interpreter and a
function with a JSON-schema ``parameters``), run metadata and a temperature, in one of two modes (``new``: a new
thread holding the messages; ``existing``: the messages added to an existing thread).
"""

from __future__ import annotations

import json
from typing import Any, Final, Literal

MODES = ("new", "existing")
STACK_NAME = "bench"
PROVIDER_ID = "openai"

ASSISTANT_ID = "asst_benchmark"
EXISTING_THREAD_ID = "thread_benchmark"
TEMPERATURE = 0.7
#: The waiter program of every thread-run: the Python one, whose single local per stack the floors write.
WAITER: Final = "python"
FUNCTION_NAME = "fetch_examples"
FUNCTION_DESCRIPTION = "Fetch code examples for a topic."
FUNCTION_PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {"topic": {"type": "string"}, "limit": {"type": "integer", "minimum": 1}},
    "required": ["topic"],
}
#: What the provider wants in ``tools[].function[].parameters``: the schema as a JSON string, keys sorted.
FUNCTION_PARAMETERS_JSON = json.dumps(FUNCTION_PARAMETERS, sort_keys=True, separators=(",", ":"))


def construct_id(index: int) -> str:
    """The construct id of the ``index``-th thread-run (also the first part of its elements' logical ids)."""
    return f"run-{index}"


#: A message's author, as ``Message(role=...)`` takes it.
Role = Literal["user", "assistant"]


def message_texts(index: int) -> list[tuple[Role, str]]:
    """The (role, content) of the two messages of the ``index``-th thread-run."""
    return [
        ("user", f"Case {index}: the deploy of service A failed with a timeout. What happened?"),
        ("user", f"Case {index}: answer in two sentences."),
    ]


def run_metadata(index: int) -> dict[str, str]:
    """The run metadata of the ``index``-th thread-run."""
    return {"suite": "nightly", "case": str(index)}
