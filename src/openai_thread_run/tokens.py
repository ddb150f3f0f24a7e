"""Recognising cdktf/cdktn tokens in pure Python, and which Terraform type each one can stand for.

A token is a placeholder for a value Terraform only knows at apply time (``thread.id``, a variable, ``Fn.*``).
The frameworks encode tokens inside ordinary Python values; these checks read those encodings without a jsii
round trip:

- strings: ``${TfToken[TOKEN.n]}``, alone or inside other text (an f-string over ``variable.string_value``);
- numbers: a double whose top 16 bits are the marker 0xFDFF (a huge negative value, around -8e298); only
  that exact pattern is a token, so a literal such as ``1e300`` or ``inf`` is still checked as a number;
- lists: a single ``#{TfToken[...]}`` string, or a single double marked 0xFBFF (``Token.as_number_list``);
- maps: a key holding ``&{TfToken[...]}``;
- objects from the jsii kernel (``IResolvable``: ``TerraformVariable.value``, ``TerraformIterator.value``,
  ``Fn.*`` results, ...), whose type is not known without asking Terraform's configuration.

Text that merely contains ``${`` is *not* a token: Terraform would evaluate it, so free text is escaped before it
is written (:mod:`openai_thread_run.templates`). Inputs that name things (ids, ``model``) are not escaped, so a raw
Terraform expression such as ``"${var.assistant_id}"`` there is what a Terraform user means.
"""

from __future__ import annotations

import enum
import functools
import re
import struct
from collections.abc import Callable, Mapping
from typing import Any, TypeGuard, cast

import constructs
import jsii

from ._framework import framework_of_class

#: The top 16 bits (sign and exponent) of a double that encodes a number token in cdktf and cdktn (their
#: ``DOUBLE_TOKEN_MARKER_BITS``); the low 48 bits hold the token's index.
NUMBER_TOKEN_MARKER = 0xFDFF
#: The same for the one double of a number-list token (``Token.as_number_list``; ``DOUBLE_LIST_TOKEN_MARKER_BITS``).
NUMBER_LIST_TOKEN_MARKER = 0xFBFF
#: A string token as the frameworks encode it (their ``STRING_TOKEN_REGEX``).
STRING_TOKEN = re.compile(r"\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}")
#: A number token written into text (``str(number_token)``); cdktf resolves those inside strings too. Every such
#: double has the marker bits 0xFDFF on top, so its shortest text is ``-8.1...e+298`` to ``-8.3...e+298``.
NUMBER_IN_TEXT = re.compile(r"-8\.\d+e\+298")
LIST_TOKEN_MARKER = "#{TfToken["
MAP_TOKEN_MARKER = "&{TfToken["


class TokenKind(enum.Enum):
    """What a token can stand for, as far as can be told without Terraform."""

    STRING = "string"
    NUMBER = "number"
    BOOL = "bool"
    LIST = "list"
    MAP = "map"
    #: A kernel object of unknown type (it may stand for anything).
    ANY = "any"


#: For each Terraform type an input has, the token kinds Terraform can convert to it (as Terraform converts:
#: numbers and bools to strings and back, maps and objects to maps, lists, sets and tuples to lists).
CONVERTS_TO: dict[TokenKind, frozenset[TokenKind]] = {
    TokenKind.STRING: frozenset({TokenKind.STRING, TokenKind.NUMBER, TokenKind.BOOL, TokenKind.ANY}),
    TokenKind.NUMBER: frozenset({TokenKind.STRING, TokenKind.NUMBER, TokenKind.ANY}),
    TokenKind.BOOL: frozenset({TokenKind.STRING, TokenKind.BOOL, TokenKind.ANY}),
    TokenKind.LIST: frozenset({TokenKind.LIST, TokenKind.ANY}),
    TokenKind.MAP: frozenset({TokenKind.MAP, TokenKind.ANY}),
}


def token_kind(value: Any) -> TokenKind | None:
    """Return what ``value`` stands for when it is a token (or holds one, for text), else None."""
    if isinstance(value, str):
        return TokenKind.STRING if has_string_token(value) else None
    if isinstance(value, bool | int):
        return None
    if isinstance(value, float):
        return TokenKind.NUMBER if is_number_token(value) else None
    if is_list_or_tuple(value):
        return TokenKind.LIST if isinstance(value, list) and is_list_token(value) else None
    if is_mapping(value):
        return TokenKind.MAP if is_map_token(value) else None
    return TokenKind.ANY if is_kernel_token(value) else None


def has_string_token(text: str) -> bool:
    """Return True when ``text`` holds a string token (alone or inside other text)."""
    return "${TfToken[" in text and STRING_TOKEN.search(text) is not None


def number_token_spans(text: str) -> list[tuple[int, int]]:
    """Return where ``text`` holds number tokens written as text (an f-string over a number token)."""
    return [match.span() for match in NUMBER_IN_TEXT.finditer(text) if _is_number_token_text(match.group(0))]


def _is_number_token_text(text: str) -> bool:
    try:
        return is_number_token(float(text))
    except ValueError:
        return False


def is_list_token(value: list[Any]) -> bool:
    """Return True for a list that encodes a list token: one ``#{TfToken[...]}`` string or number-list double."""
    if len(value) != 1:
        return False
    item = value[0]
    if isinstance(item, str):
        return item.startswith(LIST_TOKEN_MARKER)
    return isinstance(item, float) and _top_bits(item) == NUMBER_LIST_TOKEN_MARKER


def is_map_token(value: Any) -> bool:
    """Return True for a map token: a dict with a ``&{TfToken[...]}`` key, or a kernel object."""
    if is_mapping(value):
        return any(isinstance(key, str) and MAP_TOKEN_MARKER in key for key in value)
    return not isinstance(value, str | bool | int | float | list) and is_kernel_token(value)


def is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    """Return True for any mapping (typed so that both mypy and pyright know its keys and values are Any)."""
    return isinstance(value, Mapping)


def is_list_or_tuple(value: object) -> TypeGuard[list[Any] | tuple[Any, ...]]:
    """Return True for a list or a tuple."""
    return isinstance(value, list | tuple)


def is_jsii_object(value: Any) -> bool:
    """Return True for an object that lives in the jsii kernel (an ``IResolvable``, a resource, ...).

    Its class is a jsii class (``jsii.JSIIMeta``) or the runtime's proxy of an interface, or the object holds the
    kernel reference jsii stores on it when it is created in or handed to the kernel. Only the object's own
    ``__dict__`` is read, so an object that answers any attribute (``__getattr__``, a ``Mock``) is not taken for
    one. ``tests/unit/test_tokens.py`` checks each kind, so a jsii release that changes them fails loudly there.
    """
    kind: type = type(cast(object, value))
    if isinstance(kind, jsii.JSIIMeta) or kind.__module__.startswith("jsii."):
        return True
    try:
        return "__jsii_ref__" in vars(value)
    except TypeError:  # no __dict__
        return False


def is_kernel_token(value: Any) -> bool:
    """Return True for a kernel object that stands for a value (``variable.value``, ``Fn.*``, ``Token.as_any``).

    A construct (a resource, a variable, a stack) is no value: cdktf cannot write one into an attribute.
    """
    return is_jsii_object(value) and not isinstance(value, constructs.Construct)


def is_number_token(value: float) -> bool:
    """Return True when the double ``value`` carries the frameworks' number-token marker (exactly as they test)."""
    return _top_bits(value) == NUMBER_TOKEN_MARKER


def _top_bits(value: float) -> int:
    (bits,) = struct.unpack("<Q", struct.pack("<d", value))
    return int(bits >> 48)


def converts_to(kind: TokenKind, target: TokenKind) -> bool:
    """Return True when Terraform can convert a value of ``kind`` to an input of type ``target``."""
    return kind in CONVERTS_TO[target]


#: ``${var.name}``: what a variable's ``value`` (or ``boolean_value``) resolves to.
_VARIABLE_REFERENCE = re.compile(r"^\$\{var\.([A-Za-z_][A-Za-z0-9_-]*)\}$")


def variable_kind(value: Any, stack: Any) -> TokenKind:
    """Return the kind of a kernel token when it is a variable of ``stack`` with a declared type, else ANY.

    ``TerraformVariable(type="bool").boolean_value`` and ``.value`` are kernel objects that say nothing about
    their type; resolving one gives ``${var.name}``, and the variable's declared ``type`` tells. Costs a few jsii
    round trips, so it is asked only for kernel tokens, which are rare.
    """
    try:
        resolved = resolve(value, stack)
    except Exception:
        return TokenKind.ANY
    match = _VARIABLE_REFERENCE.match(resolved) if isinstance(resolved, str) else None
    if match is None:
        return TokenKind.ANY
    variable = stack.node.try_find_child(match.group(1))
    declared = getattr(variable, "type", None) if variable is not None else None
    return type_kind(declared) if isinstance(declared, str) else TokenKind.ANY


#: What the kernel says of a marker that no token of the app made.
_UNRECOGNIZED = re.compile(r"Unrecognized Token Key '([^']+)'")


def unknown_marker(value: Any, core: Any) -> str | None:
    """Return a token marker in ``value`` that no token of this program made, or None.

    Such a marker is text that looks like a token (pasted from a log or another program's output): cdktf would
    fail on it at synthesis, or, when a token of this program happens to have its number, put that token's value
    in its place. The kernel knows every token it made; it is asked only about values that hold a marker (one
    round trip each). ``core`` is the framework's module (``cdktf`` or ``cdktn``).
    """
    tokenization = core.Tokenization
    asks: list[tuple[str, Callable[[], Any]]] = []  # (the marker as the message shows it, the question)
    if isinstance(value, str):
        if has_string_token(value):
            asks.append(("${TfToken[%s]}", lambda: tokenization.reverse_string(value)))
        for start, end in number_token_spans(value):
            number = value[start:end]
            asks.append((number, functools.partial(tokenization.reverse_number, float(number))))
    elif isinstance(value, float) and is_number_token(value):
        asks.append((repr(value), lambda: tokenization.reverse_number(value)))
    elif is_list_or_tuple(value) and isinstance(value, list) and is_list_token(value):
        if isinstance(value[0], str):
            asks.append(("#{TfToken[%s]}", lambda: tokenization.reverse_list(value)))
        else:
            asks.append((repr(value[0]), lambda: tokenization.reverse_number_list(value)))
    elif is_mapping(value) and is_map_token(value):
        asks.append(("&{TfToken[%s]}", lambda: tokenization.reverse_map(dict(value))))
    for marker, ask in asks:
        try:
            ask()
        except RuntimeError as error:  # from the kernel: "Unrecognized Token Key 'TOKEN.9'", or an unknown number
            if "%s" not in marker:
                return marker
            found = _UNRECOGNIZED.search(str(error))
            if found is None:
                raise
            return marker % found.group(1)
    return None


def resolve(value: Any, stack: Any) -> Any:
    """Resolve ``value`` in ``stack`` as synthesis would (not preparing: no cross-stack outputs are created).

    Stacks have no ``resolve`` method in cdktf 0.21 or cdktn 0.24; ``Tokenization.resolve`` is their way.
    """
    fw = framework_of_class(stack.__class__)
    if fw is None:
        return None
    core = fw.core
    return core.Tokenization.resolve(value, scope=stack, resolver=core.DefaultTokenResolver(core.StringConcat()))


def type_kind(type_expression: str) -> TokenKind:
    """Return the kind a Terraform type constraint (``string``, ``map(string)``, ``object({...})``) describes."""
    head = type_expression.strip().split("(", 1)[0].strip()
    return {
        "string": TokenKind.STRING,
        "number": TokenKind.NUMBER,
        "bool": TokenKind.BOOL,
        "list": TokenKind.LIST,
        "set": TokenKind.LIST,
        "tuple": TokenKind.LIST,
        "map": TokenKind.MAP,
        "object": TokenKind.MAP,
    }.get(head, TokenKind.ANY)
