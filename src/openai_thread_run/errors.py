"""The one error users get for bad input, and the problems it lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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
