"""JSON values read from outside (an upstream's answer, a stored object): typed accessors that never raise.

Parsed JSON is ``Any``; these helpers give each value the type the code expects, or an empty one when the value
is of another type, so that an answer of an unexpected shape is handled, not a crash.
"""

from __future__ import annotations

from typing import Any, cast

JSONObject = dict[str, Any]


def as_object(value: object) -> JSONObject:
    """Return ``value`` if it is a JSON object, else ``{}``."""
    return cast(JSONObject, value) if isinstance(value, dict) else {}


def objects(value: object) -> list[JSONObject]:
    """Return the JSON objects in ``value`` if it is a list (other items dropped), else ``[]``."""
    if not isinstance(value, list):
        return []
    return [cast(JSONObject, item) for item in cast(list[object], value) if isinstance(item, dict)]


def as_text(value: object, default: str = "") -> str:
    """Return ``value`` if it is a string, else ``default``."""
    return value if isinstance(value, str) else default


def as_count(value: object) -> int:
    """Return ``value`` as a whole number of tokens (0 unless it is a non-negative number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return 0
    return int(value)
