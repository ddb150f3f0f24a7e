"""Warnings as cdktf annotations, and what the cdktf CLI shows for invalid input.

Every warning of this library is an annotation on the construct it is about (``Annotations.of(c).add_warning``,
level ``@cdktf/warn`` in ``manifest.json``), which ``cdktf synth`` prints as a warning. Python's ``warnings``
are not used: the CLI prints everything a synthesizing app writes to stderr as a red ``[ERROR]`` line. Each
message ends with a code (``[openai-thread-run:zero-sampling-value]``) that tests and log filters can match,
and the place in the user's program that caused it.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

import jsii

from ._framework import framework, framework_of_class
from .errors import ValidationError

#: Files whose frames are not the user's: this package, the jsii runtime, and the frameworks' bindings.
_INTERNAL = tuple(str(Path(module_file).resolve().parent) for module_file in (__file__, jsii.__file__))
_FRAMEWORK_PACKAGES = ("cdktf", "cdktn", "constructs", "typeguard")
CODE_PREFIX = "openai-thread-run"


def _internal(filename: str) -> bool:
    if filename.startswith(_INTERNAL):
        return True
    parts = Path(filename).parts
    return any(part in _FRAMEWORK_PACKAGES for part in parts) and "site-packages" in parts


def user_location(frames: list[traceback.FrameSummary] | None = None) -> str | None:
    """Return ``file:line`` of the innermost frame of the user's program (outside this package and jsii)."""
    stack = frames if frames is not None else traceback.extract_stack()
    for frame in reversed(stack):
        if not _internal(frame.filename):
            return f"{frame.filename}:{frame.lineno}"
    return None


def warn(construct: Any, code: str, message: str) -> None:
    """Add a warning annotation to ``construct`` (a construct of this library, on cdktf or cdktn)."""
    where = user_location()
    text = f"{message} [{CODE_PREFIX}:{code}]" + (f" (at {where})" if where else "")
    fw = framework_of_class(construct.__class__) or framework("cdktf")
    fw.core.Annotations.of(construct).add_warning(text)


def note(construct: Any, code: str, message: str, fw: Any) -> None:
    """Add an info annotation to ``construct`` (any construct of framework ``fw``), which ``cdktf synth`` prints."""
    fw.core.Annotations.of(construct).add_info(f"{message} [{CODE_PREFIX}:{code}]")


def notes_of(construct: Any) -> list[str]:
    """Return the info annotations on ``construct``."""
    return [str(entry.data) for entry in construct.node.metadata if entry.type == "@cdktf/info"]


def warnings_of(construct: Any) -> list[str]:
    """Return the warning annotations on ``construct`` (for tests: ``assert any(... in w for w in ...)``)."""
    return [str(entry.data) for entry in construct.node.metadata if entry.type == "@cdktf/warn"]


def _excepthook(
    previous: Any,
) -> Any:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(error, ValidationError):
            previous(kind, error, tb)
            return
        where = user_location(traceback.extract_tb(tb))
        print(f"{kind.__name__}: {error}" + (f"\n  at {where}" if where else ""), file=sys.stderr)

    return hook


def install_cli_excepthook() -> None:
    """Under the cdktf CLI, show a ValidationError as its message and the user's line, without a traceback.

    The CLI prints what the app writes to stderr twice when it fails (streamed, then in its summary); a
    traceback through jsii's frames twice buries the one line that matters. Other exceptions are untouched,
    and outside the CLI (``CDKTF_OUTDIR`` unset) nothing changes.
    """
    if os.environ.get("CDKTF_OUTDIR") and not getattr(sys.excepthook, "_otr", False):
        hook = _excepthook(sys.excepthook)
        hook._otr = True
        sys.excepthook = hook
