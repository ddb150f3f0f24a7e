"""The construct library's public names, which :mod:`openai_thread_run` imports on first use of one of them.

Importing this module imports cdktf (and starts jsii's Node.js kernel); it changes nothing else.
"""

from . import shared_names
from .bindings import (
    DataOpenaiMessages,
    DataOpenaiRun,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
)
from .construct import ThreadRunConstruct
from .shared_names import *  # noqa: F403 - the names both frameworks share, listed in shared_names.__all__

__all__ = [
    "DataOpenaiMessages",
    "DataOpenaiRun",
    "OpenaiAssistant",
    "OpenaiMessage",
    "OpenaiProvider",
    "OpenaiThread",
    "OpenaiThreadRun",
    "TerraformData",
    "ThreadRunConstruct",
]
__all__ += shared_names.__all__
