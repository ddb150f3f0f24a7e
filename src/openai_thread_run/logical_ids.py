"""cdktf's logical ids, computed in Python: the ``name`` of ``type.name`` that a stack gives an element.

A stack names an element after the ids of the constructs from the stack (excluded) down to the element
(cdktf's and cdktn's ``TerraformStack.allocateLogicalId`` and ``makeUniqueId``): one id is kept as it is, minus
the characters a name cannot hold; several are joined with ``_`` (``Default`` left out, ``Resource`` hidden, a
component the previous one ends with dropped) and followed by ``_`` and the first 8 hex digits, upper-case, of
the md5 of the ids joined with ``/``.

Knowing it in Python spares a jsii round trip per reference (``run.id`` is a token the kernel makes; the text
``${openai_thread_run.<name>.id}`` is the same reference). It is known for an element created straight in a stack
or in a construct whose path under its stack was recorded (:func:`remember_path`: a ThreadRunConstruct), when the
stack allocates names as cdktf does (a subclass may override ``allocate_logical_id``; then it is asked).
``tests/unit/test_logical_ids.py`` checks the computation against cdktf's own.
"""

from __future__ import annotations

import functools
import hashlib
import re
import weakref
from collections.abc import Sequence
from typing import Any

#: A component with this id is left out of the logical id altogether.
HIDDEN_ID = "Default"
#: A component with this id is left out of the human-readable part, but still hashed.
HIDDEN_FROM_HUMAN_ID = "Resource"
HASH_LEN = 8
MAX_HUMAN_LEN = 240
MAX_ID_LEN = 255
_DISALLOWED = re.compile(r"[^A-Za-z0-9_-]")
#: What constructs replaces in an id (its ``sanitizeId``): path separators become ``--``.
_SEPARATORS = re.compile(r"[/\n]")


def sanitized(construct_id: str) -> str:
    """Return ``construct_id`` as constructs keeps it (``/`` and newlines written as ``--``)."""
    return _SEPARATORS.sub("--", construct_id)


def make_unique_id(components: Sequence[str]) -> str:
    """Return the logical id cdktf allocates to an element whose scopes below the stack have ``components`` ids."""
    parts = [component for component in components if component != HIDDEN_ID]
    if not parts:
        raise ValueError("a logical id needs at least one path component")
    if len(parts) == 1:
        candidate = _DISALLOWED.sub("", parts[0])
        if len(candidate) <= MAX_ID_LEN:
            return candidate
    digest = hashlib.md5("/".join(parts).encode("utf-8"), usedforsecurity=False).hexdigest()
    human = "_".join(_DISALLOWED.sub("", part) for part in _without_dupes(parts) if part != HIDDEN_FROM_HUMAN_ID)
    return f"{human[:MAX_HUMAN_LEN]}_{digest[:HASH_LEN].upper()}"


def _without_dupes(parts: Sequence[str]) -> list[str]:
    """Drop each component that the previous kept one ends with (cdktf's ``removeDupes``)."""
    kept: list[str] = []
    for part in parts:
        if not kept or not kept[-1].endswith(part):
            kept.append(part)
    return kept


def allocates_as_cdktf(stack_class: type, base: type) -> bool:
    """Whether ``stack_class`` (a subclass of the framework's ``TerraformStack``, ``base``) keeps its naming."""
    return _allocates_as_cdktf(stack_class, base)


@functools.cache
def _allocates_as_cdktf(stack_class: Any, base: Any) -> bool:
    return all(
        getattr(stack_class, name, None) is getattr(base, name, None)
        for name in ("_allocate_logical_id", "get_logical_id")
    )


#: The ids from their stack down to constructs this library created, by construct (see :func:`remember_path`).
_paths: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()


def remember_path(construct: Any, path: tuple[str, ...]) -> None:
    """Record the ids from ``construct``'s stack (excluded) down to it (included): elements in it then know theirs."""
    _paths[construct] = path


def path_under_stack(scope: Any, stack_base: type) -> tuple[str, ...] | None:
    """Return the ids from the stack (excluded) down to ``scope`` (included), when known without asking jsii.

    ``()`` for a stack that names elements as cdktf does; the recorded path of a construct of this library; else
    None.
    """
    if isinstance(scope, stack_base):
        return () if allocates_as_cdktf(scope.__class__, stack_base) else None
    return _paths.get(scope)
