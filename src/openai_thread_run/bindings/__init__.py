"""Typed, hand-written bindings for provider mkdev-me/openai 1.2.0 (what this library uses) and terraform_data."""

from .assistant import OpenaiAssistant
from .data_sources import DataOpenaiMessages, DataOpenaiRun
from .message import OpenaiMessage
from .provider import OpenaiProvider
from .terraform_data import TerraformData
from .thread import OpenaiThread
from .thread_run import OpenaiThreadRun

__all__ = [
    "DataOpenaiMessages",
    "DataOpenaiRun",
    "OpenaiAssistant",
    "OpenaiMessage",
    "OpenaiProvider",
    "OpenaiThread",
    "OpenaiThreadRun",
    "TerraformData",
]
