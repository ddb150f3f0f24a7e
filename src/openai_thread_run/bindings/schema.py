"""The types of binding inputs, as provider mkdev-me/openai 1.2.0's schema gives them.

Each type says how an input is checked and how it is written into the JSON.

A binding checks every input when it is set (in its constructor or through a setter), like a generated cdktf
binding does: a wrong type, a missing required input, or a value the JSON cannot carry is a
:class:`~openai_thread_run.ValidationError` naming the input. Tokens are accepted wherever Terraform could convert
their type to the input's (:data:`~openai_thread_run.tokens.CONVERTS_TO`). What the inputs *mean* (ranges,
allowed values) is checked by :class:`~openai_thread_run.ThreadRunConstruct`'s validation.

At synthesis, free text (``text=True``) is escaped so Terraform evaluates it back to exactly what was written
(:mod:`openai_thread_run.templates`); function ``parameters`` become the provider's canonical JSON, or
``jsonencode(...)`` when they hold tokens.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import go_json, templates
from ..errors import Problem, key_path
from ..normalize import MAX_DEPTH, Unreadable, is_dict, is_list
from ..tokens import (
    LIST_TOKEN_MARKER,
    MAP_TOKEN_MARKER,
    STRING_TOKEN,
    TokenKind,
    converts_to,
    token_kind,
    variable_kind,
)

#: Map keys that cannot reach the JSON, and why.
RESERVED_MAP_KEYS = {
    "__proto__": "the jsii kernel refuses it in maps, so it cannot be passed to cdktf",
    "//": "cdktf drops it from the JSON (it is the key of cdktf's comments), so the entry would be lost",
}


@dataclass
class CheckContext:
    """What a check may need beyond the value: the stack, to learn a kernel token's type (asked lazily)."""

    stack: Callable[[], Any] | None = None

    def kernel_kind(self, value: Any) -> TokenKind:
        """Return the kind of a kernel token: a variable's declared type, else ANY."""
        return variable_kind(value, self.stack()) if self.stack is not None else TokenKind.ANY


#: Turns a non-string token (number, list, map, kernel object) into a string token for the same value
#: (``Token.as_string``), which cdktf writes bare inside ``jsonencode(...)``, so the value keeps its type.
TokenEncoder = Callable[[Any], str]


class InputType(Protocol):
    """The type of one binding input."""

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        ...

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` (already plain, see :mod:`..normalize`) does not fit."""
        ...

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        ...


def _token_problem(
    value: Any, target: TokenKind, path: str, problems: list[Problem], context: CheckContext, expected: str
) -> bool | None:
    """Check a token against the input type ``target``: None when ``value`` is no token, else whether it fits."""
    kind = token_kind(value)
    if kind is None:
        return None
    if kind is TokenKind.ANY:
        kind = context.kernel_kind(value)
    if converts_to(kind, target):
        return True
    problems.append(
        Problem(
            path,
            f"is a {kind.value} token, which Terraform cannot convert to a {target.value}"
            + _CAST_HINTS.get((kind, target), ""),
            value,
            expected,
        )
    )
    return False


#: cdktf encodes every ``Fn.*`` result of type ``any`` (``Fn.merge``, ``Fn.concat``, ...) as a string token.
_CAST_HINTS = {
    (TokenKind.STRING, TokenKind.MAP): (
        "; if it stands for a map (an Fn.* result such as Fn.merge), pass Token.as_string_map(<it>)"
    ),
    (TokenKind.STRING, TokenKind.LIST): (
        "; if it stands for a list (an Fn.* result such as Fn.concat), pass Token.as_list(<it>)"
    ),
}


def _valid_text(text: str, path: str, problems: list[Problem], expected: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        problems.append(Problem(path, "is not valid Unicode text (it holds a lone surrogate)", text, expected))
        return False
    if LIST_TOKEN_MARKER in text or MAP_TOKEN_MARKER in text:
        problems.append(
            Problem(
                path,
                "holds the placeholder of a list or map token as text (an item of [*<list token>, ...], a key of a "
                "map token), which cdktf cannot write; build the value in Terraform instead: Fn.concat, Fn.merge, "
                "Fn.element, Fn.lookup or Fn.join",
                text,
                expected,
            )
        )
        return False
    return True


@dataclass(frozen=True)
class String:
    """A string attribute. ``text``: free text, escaped when written; else a name or id (expressions allowed)."""

    text: bool = False

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return "a string or a token"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, Unreadable):
            return
        if isinstance(value, str):
            _valid_text(value, path, problems, self.expected)
            return
        if _token_problem(value, TokenKind.STRING, path, problems, context, self.expected) is None:
            problems.append(Problem(path, "must be a string", value, self.expected))

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        return templates.escape_text(value) if self.text and isinstance(value, str) else value


@dataclass(frozen=True)
class Number:
    """A number attribute; ``integer`` for the provider's whole-number (TypeInt) attributes."""

    integer: bool = False

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return f"{'an integer' if self.integer else 'a number'} or a token"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, Unreadable):
            return
        fits = _token_problem(value, TokenKind.NUMBER, path, problems, context, self.expected)
        if fits is not None:
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(
                Problem(path, f"must be {'an integer' if self.integer else 'a number'}", value, self.expected)
            )
        elif self.integer and not isinstance(value, int):
            problems.append(
                Problem(path, "must be a whole number (the provider's type is an integer)", value, self.expected)
            )
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(path, "must be finite (JSON has no NaN or infinity)", value, self.expected))
        elif isinstance(value, int) and abs(value) > go_json.MAX_EXACT_INTEGER:
            problems.append(
                Problem(
                    path,
                    f"must be at most {go_json.MAX_EXACT_INTEGER} in size: larger integers lose precision on the way "
                    "through jsii (JavaScript numbers) and the provider (float64)",
                    value,
                    self.expected,
                )
            )

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        return value


@dataclass(frozen=True)
class Bool:
    """A bool attribute."""

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return "True, False or a token"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, (Unreadable, bool)):
            return
        if _token_problem(value, TokenKind.BOOL, path, problems, context, self.expected) is None:
            problems.append(Problem(path, "must be a bool", value, self.expected))

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        return value


def _map_token_problem(value: Mapping[Any, Any], path: str, problems: list[Problem], expected: str) -> bool:
    """Check a dict for a map token: fine alone, a problem when merged with other keys. False if it has none."""
    token_keys = [key for key in value if isinstance(key, str) and MAP_TOKEN_MARKER in key]
    if not token_keys:
        return False
    if len(value) > 1:
        problems.append(
            Problem(
                path,
                "merges a map token with other keys, which cdktf cannot write; merge them in Terraform instead: "
                "Token.as_string_map(Fn.merge([<the map token>, {...}]))",
                value,
                expected,
            )
        )
    return True


@dataclass(frozen=True)
class StringMap:
    """A map of strings (``metadata``, ``triggers``). ``text``: keys and values are free text."""

    text: bool = False

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return "a map of strings to strings, or a map token"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, Unreadable):
            return
        if is_dict(value):
            if _map_token_problem(value, path, problems, self.expected):
                return
            for key, item in value.items():
                item_path = key_path(path, key)
                if not isinstance(key, str):
                    problems.append(Problem(item_path, "key must be a string", key, self.expected))
                    continue
                if key in RESERVED_MAP_KEYS:
                    problems.append(
                        Problem(item_path, f"key cannot be used: {RESERVED_MAP_KEYS[key]}", key, self.expected)
                    )
                    continue
                _valid_text(key, item_path, problems, self.expected)
                String(self.text).check(item, item_path, problems, context)
            return
        if _token_problem(value, TokenKind.MAP, path, problems, context, self.expected) is None:
            problems.append(Problem(path, "must be a map of strings", value, self.expected))

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        if not (self.text and is_dict(value)):
            return value
        return {templates.escape_text(key): String(True).emit(item, encode) for key, item in value.items()}


@dataclass(frozen=True)
class StringList:
    """A list of strings (ids)."""

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return "a list of strings, or a list token"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, Unreadable):
            return
        if is_list(value) and not (value and isinstance(value[0], str) and value[0].startswith(LIST_TOKEN_MARKER)):
            for index, item in enumerate(value):
                String().check(item, f"{path}[{index}]", problems, context)
            return
        if _token_problem(value, TokenKind.LIST, path, problems, context, self.expected) is None:
            problems.append(Problem(path, "must be a list of strings", value, self.expected))

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        return value


@dataclass(frozen=True)
class JsonText:
    """A JSON document held in a string attribute (a function's ``parameters``): a dict or a JSON string.

    Written as the provider's canonical JSON (compact, keys sorted, Go's escapes), which is what the provider
    reads back, so plans stay quiet; with tokens inside, as ``jsonencode(...)`` of the value, so the provider
    receives valid JSON whatever the tokens hold.
    """

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return "a JSON object, as a dict or a JSON string"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, Unreadable):
            return
        if isinstance(value, str):
            if token_kind(value) is not None and _whole_token(value):
                return  # a token for the whole JSON text
            decoded = _decode_json(value, path, problems, self.expected)
            if decoded is not None:
                _check_json_value(decoded, path, problems, context, self.expected, top=True)
            return
        if is_dict(value):
            _check_json_value(value, path, problems, context, self.expected, top=True)
            return
        if _token_problem(value, TokenKind.STRING, path, problems, context, self.expected) is None:
            problems.append(Problem(path, "must be a dict or a JSON string", value, self.expected))

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        if isinstance(value, str):
            if token_kind(value) is not None and _whole_token(value):
                return value
            value = json.loads(value, parse_constant=_refuse_constant)
        if not is_dict(value):
            return value  # a kernel token for the whole document
        if _holds_token(value):
            return templates.jsonencode_template(value, encode)
        return templates.escape_text(go_json.canonical(value))


def _whole_token(text: str) -> bool:
    return STRING_TOKEN.fullmatch(text) is not None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _decode_json(text: str, path: str, problems: list[Problem], expected: str) -> Any:
    try:
        decoded = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        problems.append(Problem(path, f"is nested more than {MAX_DEPTH} levels deep", text, expected))
        return None
    except ValueError as exc:
        problems.append(Problem(path, f"is not valid JSON ({exc})", text, expected))
        return None
    return decoded


def _check_json_value(
    value: Any,
    path: str,
    problems: list[Problem],
    context: CheckContext,
    expected: str,
    *,
    top: bool = False,
    depth: int = 0,
) -> None:
    """Check a decoded JSON value (or a dict from Python) whose leaves may be tokens."""
    if is_dict(value) and _map_token_problem(value, path, problems, expected):
        return  # a map token: written through jsonencode, it keeps its type (merged with other keys: a problem)
    if top and not (is_dict(value) and token_kind(value) is None):
        problems.append(Problem(path, "must be a JSON object", value, expected))
        return
    if isinstance(value, Unreadable) or value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        _valid_text(value, path, problems, expected)
        return
    if token_kind(value) is not None:
        return  # any token: written through jsonencode, it keeps its type
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(path, "must be finite (JSON has no NaN or infinity)", value, expected))
        elif isinstance(value, int) and abs(value) > go_json.MAX_EXACT_INTEGER:
            problems.append(
                Problem(path, "is an integer beyond 2**53, which the provider would round (float64)", value, expected)
            )
        return
    if (is_dict(value) or is_list(value)) and depth > MAX_DEPTH:  # one problem for the container, not per item
        problems.append(Problem(path, f"is nested more than {MAX_DEPTH} levels deep", "<deep value>", expected))
        return
    if is_dict(value):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.append(Problem(key_path(path, key), "key must be a string", key, expected))
                continue
            _valid_text(key, key_path(path, key), problems, expected)
            _check_json_value(item, key_path(path, key), problems, context, expected, depth=depth + 1)
        return
    if is_list(value):
        for index, item in enumerate(value):
            _check_json_value(item, f"{path}[{index}]", problems, context, expected, depth=depth + 1)
        return
    problems.append(Problem(path, f"{type(value).__name__} is not a JSON value", value, expected))


def _holds_token(value: Any) -> bool:
    if isinstance(value, str):
        return templates.has_token(value)  # number tokens in text too (an f-string over a number)
    if is_dict(value):
        return token_kind(value) is not None or any(_holds_token(k) or _holds_token(v) for k, v in value.items())
    if is_list(value):
        return token_kind(value) is not None or any(_holds_token(item) for item in value)
    return token_kind(value) is not None


@dataclass(frozen=True)
class Field:
    """One key of a nested block."""

    type: InputType
    required: bool = False


@dataclass(frozen=True)
class Blocks:
    """Nested blocks: a literal list of dicts with the given keys (each becomes a Terraform block).

    ``single``: the Python input is one dict (``response_format``, the run's inline ``thread``), written as the
    one-element list Terraform's JSON syntax wants for a block with at most one item.
    """

    fields: Mapping[str, Field]
    single: bool = False
    max_items: int | None = None
    name: str = field(default="block")

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        keys = ", ".join(self.fields)
        shape = f"a dict with keys {keys}"
        return shape if self.single else f"a list of {self.name}s ({shape} each)"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        if isinstance(value, Unreadable):
            return
        if self.single:
            self._check_block(value, path, problems, context)
            return
        if token_kind(value) is not None or not is_list(value):
            problems.append(
                Problem(
                    path,
                    "must be a literal list: each item becomes a Terraform block, so a token cannot stand for it"
                    if token_kind(value) is not None
                    else "must be a list",
                    value,
                    self.expected,
                )
            )
            return
        if self.max_items is not None and len(value) > self.max_items:
            problems.append(
                Problem(path, f"has {len(value)} items, more than {self.max_items}", len(value), self.expected)
            )
        for index, item in enumerate(value):
            self._check_block(item, f"{path}[{index}]", problems, context)

    def _check_block(self, block: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        if isinstance(block, Unreadable):
            return
        if not is_dict(block) or token_kind(block) is not None:
            problems.append(Problem(path, f"must be a literal {self.name} dict", block, self.expected))
            return
        for key in block:
            if key not in self.fields:
                problems.append(
                    Problem(key_path(path, key), "is not a key of this block", key, f"one of {', '.join(self.fields)}")
                )
        for key, spec in self.fields.items():
            item = block.get(key)
            if item is None:
                if spec.required:
                    problems.append(Problem(key_path(path, key), "is required", None, spec.type.expected))
                continue
            spec.type.check(item, key_path(path, key), problems, context)

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON."""
        blocks = [value] if self.single else value
        return [self._emit_block(block, encode) for block in blocks]

    def _emit_block(self, block: Mapping[str, Any], encode: TokenEncoder) -> dict[str, Any]:
        return {key: self.fields[key].type.emit(item, encode) for key, item in block.items() if item is not None}


@dataclass(frozen=True)
class Anything:
    """Any JSON-like value (``terraform_data``'s ``input`` and ``triggers_replace``), written as given."""

    @property
    def expected(self) -> str:
        """What is allowed, for error messages."""
        return "any JSON-like value or token"

    def check(self, value: Any, path: str, problems: list[Problem], context: CheckContext) -> None:
        """Append a problem for each way ``value`` does not fit."""
        _check_json_value(value, path, problems, context, self.expected)

    def emit(self, value: Any, encode: TokenEncoder) -> Any:
        """Return ``value`` as it is written into the JSON.

        cdktf drops ``None`` inside lists and maps (``[1, None]`` would reach Terraform as ``[1]``); a nested
        ``None`` is written as the expression ``${null}``, which Terraform evaluates to null.
        """
        return _nulls_as_expressions(value)


#: What Terraform evaluates to null: a template that is one interpolation yields the value itself.
NULL_EXPRESSION = "${null}"


def _nulls_as_expressions(value: Any) -> Any:
    if is_dict(value) and token_kind(value) is None:
        return {key: NULL_EXPRESSION if item is None else _nulls_as_expressions(item) for key, item in value.items()}
    if is_list(value) and token_kind(value) is None:
        return [NULL_EXPRESSION if item is None else _nulls_as_expressions(item) for item in value]
    return value
