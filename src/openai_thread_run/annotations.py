"""Warnings as cdktf annotations.

Every warning of this library is an annotation on the construct it is about (``Annotations.of(c).add_warning``,
level ``@cdktf/warn`` in ``manifest.json``), which ``cdktf synth`` prints as a warning. Python's ``warnings``
are not used: the CLI prints everything a synthesizing app writes to stderr as a red ``[ERROR]`` line. Each
message ends with a code (``[openai-thread-run:zero-sampling-value]``) that tests and log filters can match,
and the place in the user's program that caused it.
"""

from __future__ import annotations

from typing import Any

from ._framework import framework, framework_of_class
from .locations import user_location

CODE_PREFIX = "openai-thread-run"
#: The metadata type of a warning annotation, in cdktf and cdktn alike (``AnnotationMetadataEntryType.WARN``).
WARNING = "@cdktf/warn"


def warn(construct: Any, code: str, message: str) -> None:
    """Add a warning annotation to ``construct`` (a construct of this library, on cdktf or cdktn)."""
    fw = framework_of_class(construct.__class__) or framework("cdktf")
    fw.core.Annotations.of(construct).add_warning(_text(code, message))


def warn_new(node: Any, code: str, message: str) -> None:
    """Add a warning annotation to the ``node`` of a construct just created (one jsii round trip).

    What ``Annotations.add_warning`` writes, but for the JavaScript stack trace, which the cdktf CLI prints for
    errors only; no check for an equal warning, since a new construct has none.
    """
    node.add_metadata(WARNING, _text(code, message))


def _text(code: str, message: str) -> str:
    where = user_location()
    return f"{message} [{CODE_PREFIX}:{code}]" + (f" (at {where})" if where else "")


def note(construct: Any, code: str, message: str, fw: Any) -> None:
    """Add an info annotation to ``construct`` (any construct of framework ``fw``), which ``cdktf synth`` prints."""
    fw.core.Annotations.of(construct).add_info(f"{message} [{CODE_PREFIX}:{code}]")


def notes_of(construct: Any) -> list[str]:
    """Return the info annotations on ``construct``."""
    return [str(entry.data) for entry in construct.node.metadata if entry.type == "@cdktf/info"]


def warnings_of(construct: Any) -> list[str]:
    """Return the warning annotations on ``construct`` (for tests: ``assert any(... in w for w in ...)``)."""
    return [str(entry.data) for entry in construct.node.metadata if entry.type == WARNING]
