"""Typed, hand-written bindings for provider mkdev-me/openai 1.2.0 (the resources this library uses)."""

from .assistant import OpenaiAssistant
from .message import OpenaiMessage
from .provider import LiteralApiKeyWarning, OpenaiProvider
from .terraform_data import TerraformData
from .thread import OpenaiThread
from .thread_run import OpenaiThreadRun

__all__ = [
    "LiteralApiKeyWarning",
    "OpenaiAssistant",
    "OpenaiMessage",
    "OpenaiProvider",
    "OpenaiThread",
    "OpenaiThreadRun",
    "TerraformData",
]
