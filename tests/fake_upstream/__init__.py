"""Local fakes of the model APIs the gateway executes runs on (Responses, Chat Completions), spec-strict."""

from .replies import Reply
from .server import FakeUpstream

__all__ = ["FakeUpstream", "Reply"]
