"""Recognising cdktf/cdktn tokens in pure Python, so validation never rejects a value from another resource.

A token is a placeholder for a value Terraform only knows at apply time (``thread.id``, a variable, ``Fn.*``).
The frameworks encode tokens inside ordinary Python values; these checks read those encodings without a jsii
round trip:

- strings: ``${TfToken[TOKEN.n]}`` (any ``${...}`` is a Terraform interpolation, so it counts too);
- numbers: a double whose top 16 bits are the marker 0xFDFF (a huge negative value, around -8e298); only
  that exact pattern is a token, so a literal such as ``1e300`` or ``inf`` is still checked as a number;
- lists: a single ``#{TfToken[...]}`` string;
- maps: a key holding ``&{TfToken[...]}``;
- objects from the jsii kernel (``IResolvable`` and other proxies).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from typing import Any

#: The top 16 bits (sign and exponent) of a double that encodes a number token in cdktf and cdktn (their
#: ``DOUBLE_TOKEN_MARKER_BITS``); the low 48 bits hold the token's index.
NUMBER_TOKEN_MARKER = 0xFDFF
_STRING_MARKERS = ("${", "#{TfToken[", "&{TfToken[")


def is_token(value: Any) -> bool:
    """Return True when ``value`` is, or is entirely, an unresolved cdktf/cdktn token."""
    if isinstance(value, str):
        return any(marker in value for marker in _STRING_MARKERS)
    if isinstance(value, bool):
        return False
    if isinstance(value, float):
        return is_number_token(value)
    if isinstance(value, list):
        return len(value) == 1 and isinstance(value[0], str) and value[0].startswith("#{TfToken[")
    if isinstance(value, Mapping):
        return is_map_token(value)
    return is_jsii_object(value)


def is_map_token(value: Any) -> bool:
    """Return True for a token that stands for a map: a dict with a ``&{TfToken[...]}`` key, or a kernel object."""
    if isinstance(value, Mapping):
        return any(isinstance(key, str) and "&{TfToken[" in key for key in value)
    return not isinstance(value, str | bool | int | float | list) and is_jsii_object(value)


def is_jsii_object(value: Any) -> bool:
    """Return True for an object that lives in the jsii kernel (an ``IResolvable``, a resource, ...)."""
    return hasattr(value, "__jsii_ref__") or type(value).__module__.startswith("jsii.")


def is_number_token(value: float) -> bool:
    """Return True when the double ``value`` carries the frameworks' number-token marker (exactly as they test)."""
    (bits,) = struct.unpack("<Q", struct.pack("<d", value))
    return bool(bits >> 48 == NUMBER_TOKEN_MARKER)
