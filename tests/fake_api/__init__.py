"""A fake of OpenAI's Assistants v2 API for end-to-end tests of the Terraform provider.

Request bodies are validated against OpenAI's published OpenAPI document
(``tests/fixtures/openai-assistants-api/openapi.json``), used as-is.
"""

from .outcomes import RunOutcome
from .server import FakeAssistantsAPI, RecordedRequest

__all__ = ["FakeAssistantsAPI", "RecordedRequest", "RunOutcome"]
