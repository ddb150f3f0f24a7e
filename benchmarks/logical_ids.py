"""cdktf's logical ids, computed in Python: what ``TerraformStack.allocateLogicalId`` gives an element.

cdktf names an element after the ids of its scopes below the stack (``makeUniqueId`` in cdktf's
``lib/private/unique.ts``): a single component is kept as it is (minus disallowed characters); several are
joined with ``_`` and followed by ``_`` and the first 8 hex digits, upper-case, of the md5 of the components
joined with ``/``. The minimal floor creates its elements straight in the stack under these ids, so that they
keep the logical ids the construct's elements get (checked against the construct's JSON on every run).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

#: A component with this id is left out of the logical id altogether.
HIDDEN_ID = "Default"
#: A component with this id is left out of the human-readable part, but still hashed.
HIDDEN_FROM_HUMAN_ID = "Resource"
HASH_LEN = 8
MAX_HUMAN_LEN = 240
MAX_ID_LEN = 255
_DISALLOWED = re.compile(r"[^A-Za-z0-9_-]")


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
