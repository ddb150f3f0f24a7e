"""openai-thread-run: the "OpenAI Thread Run" Terraform module as a typed, validated cdktf construct.

Start with :class:`ThreadRunConstruct` and :class:`OpenaiProvider`; the bindings (:class:`OpenaiThread`,
:class:`OpenaiThreadRun`, the data sources, ...) are there for what the construct does not cover. These classes
are built on cdktf; the same names built on CDK Terrain are in :mod:`openai_thread_run.cdktn`.
"""

from . import shared_names
from .annotations import install_cli_excepthook as _install_cli_excepthook
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

_install_cli_excepthook()

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
