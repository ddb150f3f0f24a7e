"""One pass that turns what users pass into plain built-in values, before anything is checked.

What is checked must be what is emitted, so every input is read exactly once and copied into ``str``, ``int``,
``float``, ``bool``, ``None``, ``list`` and ``dict`` (and tokens, kept as they are):

- subclasses become their base type (a ``str`` subclass whose ``__eq__`` always answers True is then compared
  as the text it holds; an ``IntEnum`` becomes its ``int``); types are read with ``type()``, so an object whose
  ``__class__`` pretends to be another type is a problem, not a value the checks would believe;
- a construct (a resource, a variable) passed where a value belongs is a problem naming the input;
- a ``Mapping`` is read once (one that answers differently on each read cannot slip past the checks);
- the typed helpers (``Message``, ``FunctionTool``, ...) become the dicts of the HCL shape;
- nesting deeper than :data:`MAX_DEPTH` is a problem, not a ``RecursionError``;
- an exception raised by a user's object while it is read becomes a problem naming the input.

Values of other types are kept as they are, for the checks to report.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final, TypeGuard, cast

import constructs

from .errors import Problem, key_path
from .tokens import is_jsii_object, is_list_or_tuple, is_mapping

#: How deep lists and maps may nest (a function's JSON Schema ``parameters`` is the deepest input).
MAX_DEPTH: Final = 64


class Unreadable:
    """Stands for a value that could not be read; the problem is already recorded."""

    def __repr__(self) -> str:
        return "<unreadable>"


UNREADABLE: Final = Unreadable()


def plain(value: Any, path: str, problems: list[Problem], depth: int = 0) -> Any:
    """Return ``value`` as plain built-in values; problems (unreadable, too deep) are appended to ``problems``."""
    try:
        return _plain(value, path, problems, depth)
    except RecursionError:  # pragma: no cover - MAX_DEPTH stops long before Python's limit
        problems.append(Problem(path, "is nested too deeply", "<deep value>", f"at most {MAX_DEPTH} levels"))
    except Exception as exc:
        problems.append(Problem(path, f"could not be read ({type(exc).__name__}: {exc})", value, "a plain value"))
    return UNREADABLE


def _plain(value: Any, path: str, problems: list[Problem], depth: int) -> Any:
    if value is None or value is True or value is False:
        return value
    kind = type(cast(object, value))  # not value.__class__, which an object can make say anything
    if kind is str or kind is int or kind is float:
        return value
    if issubclass(kind, str):
        return str.__str__(value)
    if issubclass(kind, int):
        return int.__int__(value)
    if issubclass(kind, float):
        return float.__float__(value)
    if is_jsii_object(value):
        if isinstance(value, constructs.Construct):
            problems.append(
                Problem(
                    path,
                    f"is a construct ({kind.__name__}), not a value: pass one of its attributes, such as its .id, or a "
                    "variable's .string_value, .number_value or .value",
                    value,
                    "a value or a token",
                )
            )
            return UNREADABLE
        return value  # a kernel token: kept, it is resolved by the framework
    if value.__class__ is not kind:  # e.g. a Mock(spec=str): isinstance() would believe it
        problems.append(
            Problem(
                path,
                f"claims to be of type {value.__class__.__name__} but is a {kind.__name__}",
                value,
                "a plain value",
            )
        )
        return UNREADABLE
    if depth >= MAX_DEPTH:
        problems.append(Problem(path, f"is nested more than {MAX_DEPTH} levels deep", "<deep value>", "less nesting"))
        return UNREADABLE
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if is_mapping(value):
        copied: dict[Any, Any] = {}
        for key, item in list(value.items()):
            key = str.__str__(key) if isinstance(key, str) else key
            copied[key] = plain(item, key_path(path, key), problems, depth + 1)
        return copied
    if is_list_or_tuple(value):
        return [plain(item, f"{path}[{index}]", problems, depth + 1) for index, item in enumerate(list(value))]
    return value


def is_dict(value: object) -> TypeGuard[dict[Any, Any]]:
    """Return True for a dict (what every mapping is after :func:`plain`)."""
    return isinstance(value, dict)


def is_list(value: object) -> TypeGuard[list[Any]]:
    """Return True for a list (what every list or tuple is after :func:`plain`)."""
    return isinstance(value, list)
