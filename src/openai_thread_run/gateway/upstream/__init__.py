"""The model APIs a run executes on: OpenAI's Responses API, or any Chat Completions API.

:data:`APIS` maps each ``--upstream-api`` name to its module (:mod:`.responses`, :mod:`.chat_completions`), which
turns a :class:`.conversation.RunRequest` into a request body and the upstream's answer into an outcome;
:class:`.client.UpstreamClient` sends it, with retries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..json_values import JSONObject
from . import chat_completions, responses
from .conversation import Outcome, RunRequest


@dataclass(frozen=True)
class UpstreamApi:
    """One kind of upstream API: where a run is sent, how it is asked, how its answer is read."""

    name: str
    path: str
    request_body: Callable[[RunRequest], JSONObject]
    outcome: Callable[[JSONObject], Outcome]


APIS: dict[str, UpstreamApi] = {
    module.NAME: UpstreamApi(module.NAME, module.PATH, module.request_body, module.outcome)
    for module in (responses, chat_completions)
}
