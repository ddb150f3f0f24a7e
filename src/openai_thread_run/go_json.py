"""JSON exactly as provider mkdev-me/openai 1.2.0 writes it back, so plans stay quiet.

After reading an assistant, the provider normalizes each function's ``parameters``: Go's ``json.Unmarshal`` into
``interface{}`` (every number becomes a float64) and ``json.Marshal`` (object keys sorted, no whitespace,
``<``, ``>``, ``&``, U+2028 and U+2029 escaped, floats in Go's shortest form). A configuration that holds the
same text plans no change; anything else shows ``# whitespace changes`` on every plan. :func:`canonical` writes
that text.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from .normalize import is_dict, is_list

#: The largest integer size a float64 holds exactly, and every integer up to it: what a JavaScript number (jsii, on
#: the way to the JSON) and the provider (Go's float64) keep. One bound for every number this library writes.
MAX_EXACT_INTEGER = 2**53
_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_HTML_AND_SEPARATORS = {"<", ">", "&", "\u2028", "\u2029"}


def canonical(value: Any) -> str:
    """Return ``value`` (decoded JSON: dict, list, str, int, float, bool, None) as Go's ``json.Marshal`` writes it.

    :raises ValueError: for a number JSON cannot carry (NaN, infinities) or an integer a float64 cannot hold
        exactly (the provider would change it).
    """
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if abs(value) > MAX_EXACT_INTEGER:
            raise ValueError(f"the integer {value} is beyond 2**53: the provider would round it (float64)")
        return go_float(float(value))
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_string(value)
    if is_dict(value):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(f"{go_string(key)}:{canonical(item)}" for key, item in items) + "}"
    if is_list(value):
        return "[" + ",".join(canonical(item) for item in value) + "]"
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def go_string(text: str) -> str:
    """Return ``text`` as a JSON string the way Go's encoder (HTML-safe, Go >= 1.22) writes it."""
    out = ['"']
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif ord(char) < 0x20 or char in _HTML_AND_SEPARATORS:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def go_float(number: float) -> str:
    """Return ``number`` as Go's ``encoding/json`` writes a float64 (``strconv.FormatFloat``, 'f' or 'e', -1)."""
    if not math.isfinite(number):
        raise ValueError(f"{number!r} has no JSON encoding")
    if number == 0:
        return "-0" if math.copysign(1.0, number) < 0 else "0"
    shortest = Decimal(repr(number))  # Python's repr is the shortest round-tripping form, as Go's -1 precision
    if 1e-6 <= abs(number) < 1e21:
        text = format(shortest, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    sign, digits, exponent = shortest.normalize().as_tuple()
    assert isinstance(exponent, int)
    mantissa = "".join(map(str, digits))
    power = exponent + len(digits) - 1
    text = ("-" if sign else "") + mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    # Go writes at least two exponent digits and then drops the leading zero of a negative one (e-07 -> e-7)
    return f"{text}e{'-' if power < 0 else '+'}{abs(power):02d}".replace("e-0", "e-")
