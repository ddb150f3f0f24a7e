"""openai-thread-run: the "OpenAI Thread Run" Terraform module as a typed, validated cdktf/cdktn construct.

Start with :class:`ThreadRunConstruct` and :class:`OpenaiProvider`; the resource bindings
(:class:`OpenaiThread`, :class:`OpenaiThreadRun`, ...) are there for what the construct does not cover.
"""

from ._version import __version__
from .bindings import (
    LiteralApiKeyWarning,
    OpenaiAssistant,
    OpenaiMessage,
    OpenaiProvider,
    OpenaiThread,
    OpenaiThreadRun,
    TerraformData,
)
from .construct import ThreadRunConstruct
from .errors import Problem, ValidationError
from .inputs import (
    CodeInterpreterTool,
    FunctionDefinition,
    FunctionDict,
    FunctionTool,
    Message,
    MessageDict,
    MessageInput,
    ResponseFormatDict,
    ResponseFormatInput,
    ToolDict,
    ToolInput,
)
from .validation import ProviderDefectWarning, ZeroSamplingValueWarning

__all__ = [
    "CodeInterpreterTool",
    "FunctionDefinition",
    "FunctionDict",
    "FunctionTool",
    "LiteralApiKeyWarning",
    "Message",
    "MessageDict",
    "MessageInput",
    "OpenaiAssistant",
    "OpenaiMessage",
    "OpenaiProvider",
    "OpenaiThread",
    "OpenaiThreadRun",
    "Problem",
    "ProviderDefectWarning",
    "ResponseFormatDict",
    "ResponseFormatInput",
    "TerraformData",
    "ThreadRunConstruct",
    "ToolDict",
    "ToolInput",
    "ValidationError",
    "ZeroSamplingValueWarning",
    "__version__",
]
