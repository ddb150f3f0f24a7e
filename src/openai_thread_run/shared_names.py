"""The public names that are the same on cdktf and cdktn: input and block types, errors, ``NumberMap``, ...

:mod:`openai_thread_run` and :mod:`openai_thread_run.cdktn` both re-export everything here, next to their own
framework's classes.
"""

from ._version import __version__
from .annotations import warnings_of
from .bindings._base import NumberMap
from .bindings.blocks import (
    AttachmentBlock,
    FunctionBlock,
    ResponseFormatBlock,
    RunThreadBlock,
    ThreadMessageBlock,
    ToolBlock,
)
from .errors import Problem, ValidationError
from .input_types import (
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

__all__ = [
    "AttachmentBlock",
    "CodeInterpreterTool",
    "CodeInterpreterToolDict",
    "FunctionBlock",
    "FunctionDefinition",
    "FunctionDict",
    "FunctionTool",
    "FunctionToolDict",
    "Message",
    "MessageDict",
    "MessageInput",
    "NumberMap",
    "Problem",
    "ResponseFormatBlock",
    "ResponseFormatDict",
    "ResponseFormatInput",
    "Role",
    "RunThreadBlock",
    "ThreadMessageBlock",
    "ToolBlock",
    "ToolDict",
    "ToolInput",
    "ValidationError",
    "__version__",
    "warnings_of",
]
