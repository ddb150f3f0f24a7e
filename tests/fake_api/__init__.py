"""A fake of OpenAI's Assistants v2 API for end-to-end tests of the Terraform provider.

Request bodies are validated against OpenAI's published OpenAPI document
(``openai_thread_run/gateway/openai-assistants-api/openapi.json``, the one the gateway serves), used as-is,
with the gateway's own checks (:mod:`openai_thread_run.gateway.checks`).
"""

from .http import RecordedRequest
from .outcomes import RunOutcome
from .server import FakeAssistantsAPI

__all__ = ["FakeAssistantsAPI", "RecordedRequest", "RunOutcome"]
