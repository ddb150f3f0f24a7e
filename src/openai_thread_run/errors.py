"""The one error users get for bad input, the problems it lists, and how the cdktf CLI shows it."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType

from .locations import user_location

#: Longest rendering of a bad value inside a message; longer ones are cut with an ellipsis.
MAX_SHOWN_VALUE = 80


def show(value: object) -> str:
    """Render ``value`` for an error message: ``repr``, cut to ``MAX_SHOWN_VALUE`` characters."""
    try:
        text = repr(value)
    except Exception:  # e.g. an int with more digits than int -> str allows, or a broken __repr__
        text = f"<{type(value).__name__} that cannot be shown>"
    if len(text) > MAX_SHOWN_VALUE:
        text = text[: MAX_SHOWN_VALUE - 3] + "..."
    return text


def key_path(path: str, key: object) -> str:
    """Return the path of ``key`` inside the dict at ``path``, as problems name it everywhere.

    ``messages[0].role`` for a key that is an identifier, ``metadata['a b']`` (its ``repr``) for any other.
    """
    if isinstance(key, str) and str.isidentifier(key):
        return f"{path}.{str.__str__(key)}"
    return f"{path}[{show(key)}]"


@dataclass(frozen=True)
class Problem:
    """One broken rule: where (an input path like ``messages[1].role``), what, the value and what is allowed.

    ``str(problem)`` is ``<path>: <problem> (got <got>; expected <expected>)``.

    :param path: the input, e.g. ``messages[1].role``.
    :param problem: what is wrong with it, e.g. ``is not allowed``.
    :param got: the value that was passed.
    :param expected: what would be valid, e.g. ``'user' or 'assistant'``.
    """

    path: str
    problem: str
    got: object
    expected: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem} (got {show(self.got)}; expected {self.expected})"


class ValidationError(ValueError, TypeError):
    """Raised at construction time when inputs are invalid; lists every problem at once.

    ``subject`` names what was validated (``ThreadRunConstruct 'run'``); ``problems`` holds each broken rule as a
    :class:`Problem`; ``str(error)`` shows the subject, then the problems one per line. It is a ``ValueError`` and,
    for code written against generated cdktf bindings (which raise ``TypeError`` for a wrong argument type), also
    a ``TypeError``.
    """

    def __init__(self, subject: str, problems: Sequence[Problem]) -> None:
        self.subject = subject
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        count = len(self.problems)
        super().__init__(f"{subject}: {count} invalid input{'s' if count != 1 else ''}\n{lines}")
        show_briefly_under_the_cli()


#: What Python calls for an exception nobody caught.
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def show_briefly_under_the_cli() -> None:
    """Under the cdktf CLI, show an uncaught ValidationError as its message and the user's line, no traceback.

    The CLI prints what the app writes to stderr twice when it fails (streamed, then in its summary); a
    traceback through jsii's frames twice buries the one line that matters. Installed as ``sys.excepthook`` when
    the first ValidationError is made, never on import; other exceptions are handed to the hook it replaced, and
    outside the CLI (``CDKTF_OUTDIR`` unset) nothing changes.
    """
    if os.environ.get("CDKTF_OUTDIR") and not getattr(sys.excepthook, "_otr", False):
        sys.excepthook = _brief_hook(sys.excepthook)


def _brief_hook(previous: ExceptHook) -> ExceptHook:
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if not isinstance(error, ValidationError):
            previous(kind, error, tb)
            return
        where = user_location(traceback.extract_tb(tb))
        print(f"{kind.__name__}: {error}" + (f"\n  at {where}" if where else ""), file=sys.stderr)

    hook._otr = True  # type: ignore[attr-defined]
    return hook
