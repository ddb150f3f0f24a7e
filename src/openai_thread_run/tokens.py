"""Recognising cdktf/cdktn tokens in pure Python, so validation never rejects a value from another resource.

A token is a placeholder for a value Terraform only knows at apply time (``thread.id``, a variable, ``Fn.*``).
The frameworks encode tokens inside ordinary Python values; these checks read those encodings without a jsii
round trip:

- strings: ``${TfToken[TOKEN.n]}`` (any ``${...}`` is a Terraform interpolation, so it counts too);
- numbers: a huge negative double (around -1e298);
- lists: a single ``#{TfToken[...]}`` string;
- maps: a key holding ``&{TfToken[...]}``;
- objects from the jsii kernel (``IResolvable`` and other proxies).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Doubles at or beyond this magnitude are cdktf's encoded number tokens; no real input comes near it.
NUMBER_TOKEN_MAGNITUDE = 1e290
_STRING_MARKERS = ("${", "#{TfToken[", "&{TfToken[")


def is_token(value: Any) -> bool:
    """Return True when ``value`` is, or is entirely, an unresolved cdktf/cdktn token."""
    if isinstance(value, str):
        return any(marker in value for marker in _STRING_MARKERS)
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return abs(value) >= NUMBER_TOKEN_MAGNITUDE
    if isinstance(value, list):
        return len(value) == 1 and isinstance(value[0], str) and value[0].startswith("#{TfToken[")
    if isinstance(value, Mapping):
        return any(isinstance(key, str) and "&{TfToken[" in key for key in value)
    return is_jsii_object(value)


def is_jsii_object(value: Any) -> bool:
    """Return True for an object that lives in the jsii kernel (an ``IResolvable``, a resource, ...)."""
    return hasattr(value, "__jsii_ref__") or type(value).__module__.startswith("jsii.")
