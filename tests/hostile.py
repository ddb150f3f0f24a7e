"""Hostile and odd Python values: objects that lie about their type, their equality or their contents.

Shared by the validation tests and the fuzz properties: the construct must read each as the plain value it
holds, or report it as a problem naming the input.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any


class Agreeable(str):
    """A str whose ``__eq__`` agrees with everything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = str.__hash__

    def __repr__(self) -> str:
        return f"Agreeable({str.__repr__(self)})"


class Liar(int):
    """An int whose comparisons say whatever passes a range check."""

    def __lt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return True

    def __gt__(self, other: object) -> bool:
        return False

    def __ge__(self, other: object) -> bool:
        return True

    def __repr__(self) -> str:
        return f"Liar({int.__repr__(self)})"


class Shifty(Mapping[str, Any]):
    """A mapping whose value for a key is the next of its answers on each read; remembers the first read."""

    def __init__(self, answers: Mapping[str, Sequence[Any]]) -> None:
        self.answers = dict(answers)
        self.first: dict[str, Any] = {}
        self.reads = dict.fromkeys(self.answers, 0)

    def __getitem__(self, key: str) -> Any:
        answers = self.answers[key]
        answer = answers[min(self.reads[key], len(answers) - 1)]
        self.first.setdefault(key, answer)
        self.reads[key] += 1
        return answer

    def __iter__(self) -> Iterator[str]:
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.answers)

    def __repr__(self) -> str:
        return f"Shifty({self.answers!r})"


class Exploding(Mapping[str, Any]):
    """A mapping that raises while it is read (``__iter__``, ``__getitem__`` or ``__len__``)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def _maybe(self, where: str) -> None:
        if self.where == where:
            raise RuntimeError(f"{where} exploded")

    def __getitem__(self, key: str) -> Any:
        self._maybe("getitem")
        return "v"

    def __iter__(self) -> Iterator[str]:
        self._maybe("iter")
        return iter(["k"])

    def __len__(self) -> int:
        self._maybe("len")
        return 1

    def __repr__(self) -> str:
        return f"Exploding({self.where!r})"


class Anything:
    """Answers every attribute with 1 (so ``hasattr`` says yes to everything)."""

    def __getattr__(self, name: str) -> Any:
        return 1

    def __repr__(self) -> str:
        return "Anything()"


class NoRepr:
    """An object whose ``__repr__`` raises."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class Opaque:
    """An arbitrary object that is nothing the construct knows."""

    def __repr__(self) -> str:
        return "Opaque()"
