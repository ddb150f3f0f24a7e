"""openai-thread-run: the "OpenAI Thread Run" Terraform module as a typed, validated cdktf construct.

Start with :class:`ThreadRunConstruct` and :class:`OpenaiProvider`; the bindings (:class:`OpenaiThread`,
:class:`OpenaiThreadRun`, the data sources, ...) are there for what the construct does not cover. These classes
are built on cdktf; the same names built on CDK Terrain are in :mod:`openai_thread_run.cdktn`.
"""

from ._version import __version__
from .annotations import install_cli_excepthook as _install_cli_excepthook
from .annotations import warnings_of
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
from .bindings._base import NumberMap
from .bindings.blocks import (
    AttachmentBlock,
    FunctionBlock,
    ResponseFormatBlock,
    RunThreadBlock,
    ThreadMessageBlock,
    ToolBlock,
)
from .construct import ThreadRunConstruct
from .errors import Problem, ValidationError
from .inputs import (
    CodeInterpreterTool,
    CodeInterpreterToolDict,
    FunctionDefinition,
    FunctionDict,
    FunctionTool,
    FunctionToolDict,
    Message,
    MessageDict,
    MessageInput,
    ResponseFormatDict,
    ResponseFormatInput,
    Role,
    ToolDict,
    ToolInput,
)

_install_cli_excepthook()

__all__ = [
    "AttachmentBlock",
    "CodeInterpreterTool",
    "CodeInterpreterToolDict",
    "DataOpenaiMessages",
    "DataOpenaiRun",
    "FunctionBlock",
    "FunctionDefinition",
    "FunctionDict",
    "FunctionTool",
    "FunctionToolDict",
    "Message",
    "MessageDict",
    "MessageInput",
    "NumberMap",
    "OpenaiAssistant",
    "OpenaiMessage",
    "OpenaiProvider",
    "OpenaiThread",
    "OpenaiThreadRun",
    "Problem",
    "ResponseFormatBlock",
    "ResponseFormatDict",
    "ResponseFormatInput",
    "Role",
    "RunThreadBlock",
    "TerraformData",
    "ThreadMessageBlock",
    "ThreadRunConstruct",
    "ToolBlock",
    "ToolDict",
    "ToolInput",
    "ValidationError",
    "__version__",
    "warnings_of",
]
