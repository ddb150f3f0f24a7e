"""Fuzzed validation: over the whole input space, ThreadRunConstruct raises ValidationError or emits what was meant.

Every keyword (and the construct id, its scope, and ``OpenaiProvider``'s settings) is drawn from valid values,
boundary values, wrong types, None, random unicode, huge strings, nested junk, the dataclass helpers, and:

- template text: ``${``, ``%{``, ``$${``, ``%%{`` and runs of ``$`` and ``%``, alone or around tokens;
- tokens of every kind (string, number, list, number list, map, kernel objects, functions, resource attributes,
  variables of a declared type), in text (an f-string), nested in ``parameters``, merged with literal keys or
  items, and of types Terraform converts to the input's or never can;
- enums (``IntEnum``, ``StrEnum``, plain ``Enum``), deep and recursive nesting, ids and nested scopes;
- hostile objects: a ``str`` whose ``__eq__`` always agrees, an ``int`` whose comparisons lie, a ``Mapping``
  that answers differently on each read or raises, an object answering every attribute, a ``Mock(spec=str)``,
  constructs passed as values.

The property: a :class:`ValidationError` whose problems each name a path that exists in what was passed, or a
synthesized document that passes the provider-schema check and whose free text evaluates (as Terraform would,
:mod:`tests.template_eval`) to exactly what was passed, tokens standing for their values; literal
``parameters`` decode to what was passed. Never another exception, at construction or at synth.

Tokens and provider configurations are drawn as placeholders (:class:`Tok`, :class:`TokText`, ...) and made
real in the example's own stack, so examples stay printable and shrinkable. Out of the space on purpose: text
that forges the frameworks' own token markers (``${TfToken[...]}`` and friends) or a number token's text, and
doubles carrying a token's bit pattern: those *are* tokens by the frameworks' definition.

The example count comes from the Hypothesis profile (tests/unit/conftest.py): 60 by default, 10,000 with
``HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest tests/unit/test_fuzz_validation.py``.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime
import decimal
import enum
import fractions
import inspect
import json
import math
import re
import struct
import types
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from unittest import mock

from cdktf import Fn, TerraformStack, TerraformVariable, Testing, Token
from cdktf_cdktf_provider_null.provider import NullProvider
from constructs import Construct
from hypothesis import event, given, note
from hypothesis import strategies as st

from openai_thread_run import (
    CodeInterpreterTool,
    FunctionDefinition,
    FunctionTool,
    Message,
    OpenaiAssistant,
    OpenaiProvider,
    TerraformData,
    ThreadRunConstruct,
    ValidationError,
    warnings_of,
)
from openai_thread_run.errors import MAX_SHOWN_VALUE, show
from openai_thread_run.stack_records import RECORDS_ID
from openai_thread_run.templates import fragments
from openai_thread_run.tokens import STRING_TOKEN, is_number_token, token_kind
from openai_thread_run.waiter_sources import WAITER_LOCAL, WAITER_SH_LOCAL
from tests.conftest import assert_bindings_accept_their_inputs
from tests.hostile import Agreeable, Anything, Exploding, Liar, NoRepr, Opaque, Shifty
from tests.provider_schema import assert_matches_provider_schema
from tests.template_eval import evaluate, evaluate_literal_template

KEYWORDS = tuple(inspect.signature(ThreadRunConstruct.__init__).parameters)[3:]
#: What a problem's path may start with: a keyword, or the construct's id or scope.
ROOTS = frozenset({"id", "scope", *KEYWORDS})
PROVIDER_SETTINGS = ("api_key", "admin_key", "api_url", "organization", "timeout", "alias")
#: Stands for the value of a token in evaluated text.
MARK = "\u27e6token\u27e7"
TERRAFORM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

# -- placeholders made real in the example's stack ----------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    """A token to create in the example's stack: ``kind`` says which (see :func:`make_token`)."""

    kind: str


@dataclass(frozen=True)
class TokText:
    """Text holding tokens, as an f-string makes it: literal parts and :class:`Tok` (string or number kinds)."""

    parts: tuple[str | Tok, ...]


@dataclass(frozen=True)
class Merged:
    """A map token merged with literal keys (``{**map_token, ...}``) or a list token with items."""

    kind: str
    extra: Any


@dataclass(frozen=True)
class Raw:
    """A value passed as it is, not walked for placeholders (a recursive or very deep structure)."""

    value: Any

    def __repr__(self) -> str:
        return f"Raw(<{type(self.value).__name__}>)"


@dataclass(frozen=True)
class Prov:
    """A construct to create: a provider configuration (``openai``, aliased; ``null``; the stack's ``default``), a
    ``variable``, a ``dependable`` resource, an ``earlier`` ThreadRunConstruct, or a resource ``elsewhere`` (in
    another stack)."""

    kind: str


STRING_TOKENS = ("string", "resource_string", "fn_string", "as_string", "typed_string")
NUMBER_TOKENS = ("number", "resource_number", "as_number", "typed_number")
MAP_TOKENS = ("map", "string_map", "any", "typed_map")
LIST_TOKENS = ("list", "number_list", "typed_list")
BOOL_TOKENS = ("bool", "typed_bool", "typed_bool_value")
OTHER_TOKENS = ("number_map",)
ALL_TOKENS = STRING_TOKENS + NUMBER_TOKENS + MAP_TOKENS + LIST_TOKENS + BOOL_TOKENS + OTHER_TOKENS
#: Token kinds that can stand inside text (an f-string over them).
TEXT_TOKENS = ("string", "resource_string", "fn_string", "as_string", "number", "resource_number", "as_number")


class Materializer:
    """Makes placeholders real in one stack (each variable and resource once)."""

    def __init__(self, stack: TerraformStack) -> None:
        self.stack = stack
        self.cache: dict[str, Any] = {}

    def variable(self, type_: str) -> TerraformVariable:
        key = f"variable-{type_}"
        if key not in self.cache:
            name = "fuzz-" + re.sub(r"[^a-z]", "", type_)
            self.cache[key] = TerraformVariable(self.stack, name, type=type_)
        variable: TerraformVariable = self.cache[key]
        return variable

    def assistant(self) -> OpenaiAssistant:
        if "assistant" not in self.cache:
            self.cache["assistant"] = OpenaiAssistant(self.stack, "fuzz-assistant", model="gpt-4o")
        assistant: OpenaiAssistant = self.cache["assistant"]
        return assistant

    def token(self, kind: str) -> Any:
        """A fresh token of ``kind``, as user code makes one."""
        anything = self.variable("any")
        makers: dict[str, Callable[[], Any]] = {
            "string": lambda: anything.string_value,
            "resource_string": lambda: self.assistant().id,
            "fn_string": lambda: Fn.lookup(anything.value, "key", "default"),
            "as_string": lambda: Token.as_string(anything.value),
            "typed_string": lambda: self.variable("string").value,
            "number": lambda: anything.number_value,
            "resource_number": lambda: self.assistant().created_at,
            "as_number": lambda: Token.as_number(anything.value),
            "typed_number": lambda: self.variable("number").value,
            "map": lambda: anything.value,
            "string_map": lambda: Token.as_string_map(anything.value),
            "any": lambda: Token.as_any(anything.value),
            "typed_map": lambda: self.variable("map(string)").value,
            "list": lambda: anything.list_value,
            "number_list": lambda: Token.as_number_list(anything.value),
            "typed_list": lambda: self.variable("list(string)").value,
            "bool": lambda: anything.boolean_value,
            "typed_bool": lambda: self.variable("bool").boolean_value,
            "typed_bool_value": lambda: self.variable("bool").value,
            "number_map": lambda: Token.as_number_map(anything.value),
        }
        return makers[kind]()

    def provider(self, kind: str) -> Any:
        if kind not in self.cache:
            makers: dict[str, Callable[[], Any]] = {
                "openai": lambda: OpenaiProvider(self.stack, "fuzz-secondary", alias="secondary"),
                "null": lambda: NullProvider(self.stack, "fuzz-null"),
                "default": lambda: self.stack.node.find_child("openai"),
                "variable": lambda: self.variable("string"),
                "dependable": lambda: TerraformData(self.stack, "fuzz-dependable", input="x"),
                "earlier": lambda: ThreadRunConstruct(
                    self.stack, "fuzz-earlier", assistant_id="asst_1", wait_for_completion=False
                ),
                "elsewhere": lambda: TerraformData(TerraformStack(Testing.app(), "fuzz-other"), "elsewhere"),
            }
            self.cache[kind] = makers[kind]()
        return self.cache[kind]

    def real(self, value: Any) -> Any:
        """``value`` with every placeholder replaced by the real thing (inside containers too)."""
        if isinstance(value, Tok):
            return self.token(value.kind)
        if isinstance(value, TokText):
            return "".join(part if isinstance(part, str) else str(self.token(part.kind)) for part in value.parts)
        if isinstance(value, Merged):
            if value.kind == "map":
                return {**Token.as_string_map(self.variable("map(string)").value), **self.real(value.extra)}
            return [*self.variable("list(string)").list_value, *self.real(value.extra)]
        if isinstance(value, Prov):
            return self.provider(value.kind)
        if isinstance(value, Raw):
            return value.value
        if type(value) is list:
            return [self.real(item) for item in value]
        if type(value) is tuple:
            return tuple(self.real(item) for item in value)
        if isinstance(value, types.MappingProxyType):
            return types.MappingProxyType({key: self.real(item) for key, item in value.items()})
        if type(value) is dict:
            return {self.real(key): self.real(item) for key, item in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type) and type(value).__module__ != __name__:
            changes = {field.name: self.real(getattr(value, field.name)) for field in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return value


def tokens(*kinds: str) -> st.SearchStrategy[Tok]:
    return st.sampled_from(kinds).map(Tok)


# -- hostile and odd Python values --------------------------------------------------------------------------------


class Budget(enum.IntEnum):
    SMALL = 10
    LARGE = 4096


class Role(enum.StrEnum):
    USER = "user"
    SYSTEM = "system"


class Color(enum.Enum):
    RED = "user"


def recursive_list() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def nested(depth: int, leaf: Any, shape: str) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"k": value} if shape == "dict" else [value]
    return value


hostile = st.one_of(
    st.sampled_from(["user", "system", "code_interpreter", "retrieval", "text", "1run", "x"]).map(Agreeable),
    st.integers(-5, 5000).map(Liar),
    st.sampled_from(["iter", "getitem", "len"]).map(Exploding),
    st.builds(Anything),
    st.builds(NoRepr),
    st.builds(lambda: mock.Mock(spec=str)),
    st.builds(lambda: mock.MagicMock()),
    st.sampled_from([Budget.SMALL, Budget.LARGE, Role.USER, Role.SYSTEM, Color.RED]),
    st.builds(recursive_list).map(Raw),
    st.tuples(st.integers(30, 400), st.sampled_from(["dict", "list"])).map(
        lambda spec: Raw(nested(spec[0], "x", spec[1]))
    ),
    st.sampled_from([Prov("null"), Prov("variable")]),
)

# -- building blocks -----------------------------------------------------------------------------------------------

#: Every unicode character except lone surrogates, and no text that forges the frameworks' token markers.
CHARACTERS = st.characters(codec="utf-8")
text = st.text(CHARACTERS, max_size=40).filter(lambda s: "TfToken[" not in s)
non_empty_text = st.text(CHARACTERS, min_size=1, max_size=40).filter(lambda s: "TfToken[" not in s)
#: Long strings without generating them character by character: a short seed repeated.
huge_text = st.builds(
    lambda seed, count: (seed or "x") * count, st.text(CHARACTERS, max_size=4), st.integers(600, 40_000)
)
TEMPLATE_ATOMS = [
    "${",
    "%{",
    "$${",
    "%%{",
    "$",
    "$$",
    "%",
    "{",
    "}",
    '"',
    "\\",
    "\n",
    "x",
    " ",
    "\u00e9",
    "1",
    "-",
    "e",
    # what Terraform changes: a U+FEFF at the start (dropped), text that is not in Unicode NFC (normalized)
    "\ufeff",
    "e\u0301",
    "\u0301",
    "\u0958",
]
#: Text made of template syntax: what Terraform would evaluate if it were not escaped.
template_text = st.lists(st.sampled_from(TEMPLATE_ATOMS), max_size=12).map("".join)
#: Text with tokens in it, as an f-string over string and number tokens makes it.
token_text = st.lists(st.one_of(st.sampled_from(TEMPLATE_ATOMS), tokens(*TEXT_TOKENS)), min_size=1, max_size=8).map(
    lambda parts: TokText(tuple(parts))
)
#: Map keys that are special somewhere on the way to the JSON.
special_keys = st.sampled_from(["__proto__", "constructor", "toString", "$jsii.byref", "//", ""])
interpolation = st.sampled_from(["${var.other}", 'x-${upper("a")}-y', "${", "a${b}c", "$${literal}", "%{ if x }"])
#: Token markers no token made (pasted from a log): a string marker, and a number marker written as text.
PASTED_MARKERS = ("${TfToken[TOKEN.999999999]}", str(struct.unpack("<d", struct.pack("<Q", 0xFDFF << 48 | 999999))[0]))
pasted_marker_text = st.tuples(text, st.sampled_from(PASTED_MARKERS), text).map("".join)
free_text = st.one_of(text, non_empty_text, template_text, token_text, interpolation, pasted_marker_text)
some_text = st.one_of(free_text, huge_text)

floats = st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not is_number_token(f))
#: Integers beyond what a double holds exactly or at all, as (base, exponent, offset): shown compactly.
huge_ints = st.sampled_from(
    [(2, 53, 0), (2, 53, 1), (2, 63, 0), (2, 64, 1), (10, 308, 0), (10, 400, 0), (-10, 401, 0), (10, 4000, 0)]
).map(lambda spec: spec[0] ** spec[1] + spec[2])
numbers = st.one_of(floats, st.integers(), huge_ints)

scalar_junk = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    text,
    st.binary(max_size=8),
    st.just(Opaque()),
    st.just(object),
    st.just(Message),
    st.just(len),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True),
    st.fractions(),
    st.just(datetime.date(2026, 11, 23)),
    st.just(decimal.Decimal("1e999")),
    st.just(fractions.Fraction(1, 3)),
    tokens(*ALL_TOKENS),
    hostile,
)
junk = st.recursive(
    scalar_junk,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(st.one_of(text, st.integers(), st.none()), children, max_size=4),
        st.frozensets(st.integers(), max_size=3),
        st.sets(text, max_size=3),
        st.dictionaries(text, children, max_size=3).map(types.MappingProxyType),
    ),
    max_leaves=8,
)


def mixed(*valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid values (drawn most often), else junk."""
    return st.one_of(*valid, *valid, junk)


# -- per-keyword strategies ----------------------------------------------------------------------------------------

string_input = mixed(non_empty_text, tokens(*STRING_TOKENS, *NUMBER_TOKENS), interpolation, huge_text, st.just(""))
text_input = mixed(free_text, tokens(*STRING_TOKENS, *NUMBER_TOKENS, *BOOL_TOKENS), huge_text, st.just(""))


def string_maps(max_keys: int, *, long_keys: bool) -> st.SearchStrategy[Any]:
    """str->str maps: valid ones, boundary sizes (16/17 keys, 64/65-character keys, 512/513 values), junk."""
    key = st.one_of(non_empty_text, template_text, st.text("k", min_size=64, max_size=65) if long_keys else text)
    value = st.one_of(
        free_text, st.text("v", min_size=512, max_size=513), tokens(*STRING_TOKENS, *NUMBER_TOKENS), huge_text
    )
    return st.one_of(
        st.dictionaries(key, value, max_size=max_keys),
        st.dictionaries(st.text("abcdefghijklmnopq", min_size=1, max_size=3), st.just("v"), min_size=15, max_size=18),
        st.dictionaries(st.one_of(text, st.integers(), st.none(), special_keys), st.one_of(text, junk), max_size=3),
        st.dictionaries(text, st.tuples(text, text), min_size=1, max_size=2).map(Shifty),
        st.dictionaries(st.text("ab", min_size=1, max_size=2), st.just("v"), max_size=2).map(
            lambda extra: Merged("map", extra)
        ),
        st.just({"e\u0301": "decomposed", "\u00e9": "composed"}),  # one key once Terraform normalizes them
        tokens(*MAP_TOKENS, *BOOL_TOKENS, "list", "string", "number_map"),
        st.just({}),
        st.none(),
        junk,
    )


metadata_input = string_maps(4, long_keys=True)

ROLES = st.one_of(
    st.sampled_from(["user", "assistant"]),
    st.sampled_from(["system", "tool", "User", "${var.role}"]),
    st.sampled_from([Role.USER, Role.SYSTEM, Agreeable("system")]),
    tokens(*STRING_TOKENS, *NUMBER_TOKENS, "list"),
    junk,
)


@st.composite
def message_item(draw: st.DrawFn) -> Any:
    role: Any = draw(ROLES)
    content = draw(st.one_of(non_empty_text, free_text, huge_text, tokens(*STRING_TOKENS), st.just(""), junk))
    metadata = draw(st.one_of(st.none(), metadata_input))
    shape = draw(st.sampled_from(["dataclass", "dict", "dict", "dict-extra", "dict-missing", "shifty", "junk"]))
    if shape == "dataclass":
        return Message(role=role, content=content, metadata=metadata)
    if shape == "junk":
        return draw(junk)
    if shape == "shifty":
        return Shifty({"role": (role, draw(ROLES)), "content": (content, "changed")})
    item: dict[Any, Any] = {"role": role, "content": content}
    if metadata is not None or draw(st.booleans()):
        item["metadata"] = metadata
    if shape == "dict-extra":
        item[draw(st.one_of(text, st.integers()))] = draw(junk)
    if shape == "dict-missing":
        item.pop(draw(st.sampled_from(["role", "content"])))
    return item


def sequences(items: st.SearchStrategy[Any], max_size: int) -> st.SearchStrategy[Any]:
    """Lists and tuples of ``items``, and everything that is not a literal list."""
    return st.one_of(
        st.lists(items, max_size=max_size),
        st.lists(items, max_size=max_size).map(tuple),
        st.just(()),
        st.just([]),
        tokens("list", "any", "string", "typed_list"),
        st.lists(items, max_size=2).map(lambda extra: Merged("list", extra)),
        st.none(),
        junk,
    )


messages_input = sequences(message_item(), 4)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
    template_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(text, children, max_size=3)),
    max_leaves=6,
)


def json_with_tokens(*, merged: bool) -> st.SearchStrategy[Any]:
    """JSON-like values with tokens nested at any depth: leaves, text, keys; ``merged``: merged maps and lists."""

    def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        shapes: list[st.SearchStrategy[Any]] = [
            st.lists(children, max_size=3),
            st.dictionaries(st.one_of(text, token_text), children, max_size=3),
        ]
        if merged:
            shapes.append(
                st.dictionaries(st.text("ab", min_size=1, max_size=2), children, max_size=2).map(
                    lambda extra: Merged("map", extra)
                )
            )
            shapes.append(st.lists(children, max_size=2).map(lambda extra: Merged("list", extra)))
        return st.one_of(*shapes)

    return st.recursive(st.one_of(json_scalars, tokens(*ALL_TOKENS), token_text), containers, max_leaves=6)


parameters_input = st.one_of(
    st.none(),
    st.dictionaries(text, json_values, max_size=3),
    st.dictionaries(text, json_values, max_size=3).map(lambda value: json.dumps(value, indent=1)),
    st.dictionaries(text, json_with_tokens(merged=True), max_size=3),
    json_values.map(json.dumps),
    text,
    st.sampled_from(['{"max": Infinity}', '{"max": NaN}', '{"max": -Infinity}', '{"max": 1e400}', "[" * 5000]),
    st.just({"type": "object", "bad": float("nan")}),
    st.just({"type": "object", "bad": {1, 2}}),
    st.just({1: "non-string key"}),
    st.just({"type": "object", "bytes": b"x"}),
    st.just({"big": 2**53 + 1}),
    st.tuples(st.integers(30, 1200), st.sampled_from(["dict", "list"])).map(
        lambda spec: Raw({"type": "object", "deep": nested(spec[0], 1, spec[1])})
    ),
    tokens(*ALL_TOKENS),
    junk,
)
function_name = st.one_of(
    st.from_regex(r"\A[a-zA-Z0-9_-]{1,64}\Z"),
    st.sampled_from(["f\n", "${not a name}", "a b", "", "a" * 65, "n\u00e4me"]),
    text,
    template_text,
    tokens(*STRING_TOKENS, *NUMBER_TOKENS, "list"),
    token_text,
    junk,
)


@st.composite
def function_input(draw: st.DrawFn) -> Any:
    name = draw(function_name)
    description: Any = draw(st.one_of(st.none(), free_text, huge_text, tokens(*STRING_TOKENS), junk))
    parameters = draw(parameters_input)
    if draw(st.booleans()):
        return FunctionDefinition(name=name, description=description, parameters=parameters)
    item: dict[Any, Any] = {"name": name}
    if description is not None:
        item["description"] = description
    if parameters is not None:
        item["parameters"] = parameters
    if draw(st.integers(0, 9)) == 0:
        item["extra"] = "x"
    return item


TOOL_TYPES = st.one_of(
    st.sampled_from(["code_interpreter", "function", "file_search", "retrieval", "web", "${var.type}"]),
    st.sampled_from([Agreeable("retrieval"), Agreeable("function")]),
    tokens(*STRING_TOKENS),
    junk,
)


@st.composite
def tool_item(draw: st.DrawFn) -> Any:
    shape = draw(st.sampled_from(["code", "code-dataclass", "function", "function-dataclass", "dict", "junk"]))
    if shape == "code":
        return {"type": "code_interpreter"}
    if shape == "code-dataclass":
        return CodeInterpreterTool()
    if shape == "function-dataclass":
        return FunctionTool(function=draw(function_input()))
    if shape == "junk":
        return draw(junk)
    item: dict[Any, Any] = {"type": draw(TOOL_TYPES)}
    if shape == "function" or draw(st.booleans()):
        item["function"] = draw(st.one_of(function_input(), st.none(), junk))
    if draw(st.integers(0, 9)) == 0:
        item["extra"] = 1
    return item


tools_input = st.one_of(
    sequences(tool_item(), 4),
    st.integers(19, 22).map(lambda count: [{"type": "code_interpreter"}] * count),
)

response_format_input = st.one_of(
    st.none(),
    st.just("auto"),
    st.sampled_from(["text", "json_object", "json_schema", "AUTO"]),
    st.sampled_from(["text", "json_object", "json_schema", ""]).map(lambda kind: {"type": kind}),
    tokens(*STRING_TOKENS).map(lambda token: {"type": token}),
    st.just({"type": Agreeable("json_schema")}),
    st.just({"type": "text", "json_schema": {}}),
    st.just({}),
    tokens(*MAP_TOKENS, *STRING_TOKENS),
    junk,
)


def sampling(high: float) -> st.SearchStrategy[Any]:
    boundary = [0, 0.0, -0.0, high, float(high), 5e-324, -5e-324, math.nextafter(high, math.inf), 1e300, -1e300]
    return st.one_of(
        st.none(),
        st.floats(0.0, high),
        st.sampled_from(boundary),
        tokens(*NUMBER_TOKENS, *STRING_TOKENS, *BOOL_TOKENS, "list", "typed_map"),
        st.integers(-3, 5).map(Liar),
        numbers,
        junk,
    )


max_tokens_input = st.one_of(
    st.none(),
    st.integers(256, 1_000_000),
    st.sampled_from([255, 256, 257, 0, -1, 256.0, 2**31, 2**53 - 1, 2**53, Budget.LARGE, Budget.SMALL]),
    huge_ints,
    tokens(*NUMBER_TOKENS, *STRING_TOKENS, "list"),
    numbers,
    junk,
)

triggers_input = string_maps(6, long_keys=False)

wait_timeout_input = st.one_of(
    st.integers(1, 86_400),
    st.sampled_from([0, -1, 86_400, 86_401, 600.0, 1.5, True, "600", Budget.LARGE]),
    st.integers(-5, 100_000).map(Liar),
    tokens(*NUMBER_TOKENS, *STRING_TOKENS),
    junk,
)

provider_input = st.one_of(
    st.none(), st.sampled_from([Prov("openai"), Prov("default"), Prov("null"), Prov("variable")]), junk
)

valid_depends_on = st.one_of(st.none(), st.lists(st.sampled_from([Prov("dependable"), Prov("earlier")]), max_size=2))
depends_on_input = st.one_of(
    valid_depends_on,
    st.lists(st.one_of(st.sampled_from([Prov("elsewhere"), Prov("null"), Prov("variable")]), junk), max_size=3),
    st.sampled_from([Prov("dependable"), Prov("earlier")]),
    junk,
)


# -- valid inputs only ---------------------------------------------------------------------------------------------

short_text = st.text(CHARACTERS, min_size=1, max_size=20).filter(lambda s: "TfToken[" not in s)
valid_free_text = st.one_of(short_text, template_text.filter(bool), token_text)
#: A valid map key: any non-empty text but "__proto__" (the jsii kernel refuses it) and "//" (cdktf drops it).
valid_key = st.one_of(short_text, template_text.filter(bool)).filter(lambda s: s not in ("__proto__", "//"))
valid_string = st.one_of(short_text, tokens(*STRING_TOKENS, *NUMBER_TOKENS))
valid_metadata = st.one_of(
    st.none(),
    st.dictionaries(
        st.one_of(st.text(CHARACTERS, min_size=1, max_size=64), template_text.filter(bool)).filter(
            lambda s: "TfToken[" not in s and s not in ("__proto__", "//")
        ),
        st.one_of(st.text(CHARACTERS, max_size=512).filter(lambda s: "TfToken[" not in s), template_text, token_text),
        max_size=16,
    ),
    tokens("map", "string_map", "typed_map"),
)
valid_message = st.builds(
    lambda role, content, metadata, typed: (
        Message(role, content, metadata)
        if typed
        else {"role": role, "content": content, **({"metadata": metadata} if metadata is not None else {})}
    ),
    st.one_of(st.sampled_from(["user", "assistant", Role.USER]), tokens(*STRING_TOKENS)),
    st.one_of(valid_free_text, tokens(*STRING_TOKENS)),
    valid_metadata,
    st.booleans(),
)
valid_function = st.builds(
    FunctionDefinition,
    name=st.one_of(st.from_regex(r"\A[a-zA-Z0-9_-]{1,64}\Z"), tokens(*STRING_TOKENS, *NUMBER_TOKENS)),
    description=st.one_of(st.none(), valid_free_text),
    parameters=st.one_of(
        st.none(),
        st.dictionaries(valid_key, json_values, max_size=3),
        st.dictionaries(valid_key, json_values, max_size=3).map(json.dumps),
        st.dictionaries(valid_key, json_with_tokens(merged=False), max_size=3),
        tokens(*STRING_TOKENS),
    ),
)
valid_tool = st.one_of(
    st.just(CodeInterpreterTool()),
    st.just({"type": "code_interpreter"}),
    st.builds(FunctionTool, function=valid_function),
    valid_function.map(
        lambda function: {
            "type": "function",
            "function": {field.name: getattr(function, field.name) for field in dataclasses.fields(function)},
        }
    ),
)


#: Valid values of every keyword but the thread choice (create_new_thread, existing_thread_id, thread_metadata).
VALID: dict[str, st.SearchStrategy[Any]] = {
    "messages": st.lists(valid_message, max_size=3),
    "model": st.one_of(st.none(), valid_string),
    "instructions": st.one_of(st.none(), valid_free_text, huge_text, tokens(*STRING_TOKENS)),
    "tools": st.lists(valid_tool, max_size=20),
    "metadata": valid_metadata,
    "temperature": st.one_of(st.none(), st.floats(0.0, 2.0), st.integers(0, 2), tokens(*NUMBER_TOKENS)),
    "top_p": st.one_of(st.none(), st.floats(0.0, 1.0), st.integers(0, 1), tokens(*NUMBER_TOKENS, "string")),
    "max_completion_tokens": st.one_of(
        st.none(), st.integers(256, 2**53 - 1), st.just(Budget.LARGE), tokens("number", "as_number", "typed_number")
    ),
    "stream": st.just(False),
    "response_format": st.one_of(
        st.none(), st.just("auto"), st.sampled_from(["text", "json_object"]).map(lambda kind: {"type": kind})
    ),
    "rerun_triggers": st.one_of(
        st.none(),
        st.dictionaries(valid_key, st.one_of(st.text(CHARACTERS, max_size=30), template_text), max_size=4),
        tokens("map", "string_map", "typed_map"),
    ),
    "rerun_trigger_resource": st.sampled_from(["null_resource", "terraform_data"]),
    "wait_for_completion": st.booleans(),
    "wait_timeout_seconds": st.one_of(st.integers(1, 86_400), st.just(Budget.LARGE)),
    "waiter": st.sampled_from(["auto", "python", "sh"]),
    "provider": st.sampled_from([None, Prov("openai"), Prov("default")]),
    "depends_on": valid_depends_on,
}


@st.composite
def valid_thread_choice(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.booleans()):
        return {"create_new_thread": True, "thread_metadata": draw(valid_metadata)}
    return {"create_new_thread": False, "existing_thread_id": draw(valid_string)}


@st.composite
def valid_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Every keyword given, each with a valid value (literals, tokens and dataclass helpers)."""
    inputs: dict[str, Any] = {"assistant_id": draw(valid_string), **draw(valid_thread_choice())}
    for name, strategy in VALID.items():
        inputs[name] = draw(strategy)
    return inputs


#: Any value of every keyword but the thread choice: valid, boundary, wrong type, token, junk.
ANY: dict[str, st.SearchStrategy[Any]] = {
    "messages": messages_input,
    "model": string_input,
    "instructions": text_input,
    "tools": tools_input,
    "metadata": metadata_input,
    "temperature": sampling(2.0),
    "top_p": sampling(1.0),
    "max_completion_tokens": max_tokens_input,
    "stream": st.one_of(st.just(False), st.just(True), junk),
    "response_format": response_format_input,
    "rerun_triggers": triggers_input,
    "rerun_trigger_resource": mixed(
        st.sampled_from(["null_resource", "terraform_data", Agreeable("null_resource")]), tokens(*STRING_TOKENS)
    ),
    "wait_for_completion": mixed(st.booleans(), tokens(*BOOL_TOKENS), st.sampled_from([0, 1, "yes"])),
    "wait_timeout_seconds": wait_timeout_input,
    "waiter": mixed(st.sampled_from(["auto", "python", "sh", "bash", Agreeable("sh")]), tokens(*STRING_TOKENS)),
    "provider": provider_input,
    "depends_on": depends_on_input,
}
assert set(ANY) | {"assistant_id", "create_new_thread", "existing_thread_id", "thread_metadata"} == set(KEYWORDS)


@st.composite
def any_thread_choice(draw: st.DrawFn) -> dict[str, Any]:
    choice: dict[str, Any] = {}
    for name, strategy in (
        ("create_new_thread", st.one_of(st.booleans(), tokens(*BOOL_TOKENS), junk)),
        ("existing_thread_id", string_input),
        ("thread_metadata", metadata_input),
    ):
        if draw(st.booleans()):
            choice[name] = draw(strategy)
    return choice


@st.composite
def construct_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Keyword arguments for ThreadRunConstruct from the whole input space.

    A few keywords (none to all) are drawn from everything they could be; the others are left at their
    defaults or given a valid value, so that both single problems and successful syntheses are explored.
    """
    corrupt = draw(st.sets(st.sampled_from(["assistant_id", "thread", *ANY]), max_size=len(ANY) + 2))
    inputs: dict[str, Any] = {"assistant_id": draw(string_input if "assistant_id" in corrupt else valid_string)}
    inputs.update(draw(any_thread_choice() if "thread" in corrupt else valid_thread_choice()))
    for name in ANY:
        if name in corrupt:
            inputs[name] = draw(ANY[name])
        elif draw(st.booleans()):
            inputs[name] = draw(VALID[name])
    return inputs


#: Ids of constructs between the stack and the ThreadRunConstruct (never those of the stack's own children).
#: Ids the library uses for what it adds (its per-stack state, the waiters' locals) or once used.
LIBRARY_IDS = (
    RECORDS_ID,
    "openai-thread-run",
    WAITER_LOCAL,
    WAITER_SH_LOCAL,
    "waiter-script",
    "waiter-sh-script",
    "synth",
)
scope_id = st.one_of(
    st.sampled_from(["group", "_g", "Default", "Resource", "1st", "-x", "a/b", "!!!", *LIBRARY_IDS[1:]]),
    st.text(CHARACTERS, min_size=1, max_size=8).filter(lambda s: "TfToken[" not in s),
).filter(lambda s: s not in ("openai", RECORDS_ID) and not s.startswith("fuzz-"))  # the stack has those already
construct_id = st.one_of(
    st.sampled_from(["tr", "run", "_", "Run-1", "1run", "-run", "9", "!!!", "\u00fc-run", "Default", "a/b", "", " "]),
    st.sampled_from(LIBRARY_IDS),
    st.text(CHARACTERS, max_size=12).filter(lambda s: "TfToken[" not in s),
    st.sampled_from(["1run", "run"]).map(Agreeable),
    tokens("string", "number"),
    st.none(),
    st.integers(),
    st.builds(NoRepr),
)

# -- what was passed, as plain values ------------------------------------------------------------------------------


def as_plain(value: Any) -> Any:
    """What the construct must have read from ``value``: base types, a Shifty mapping's first answers."""
    if isinstance(value, Shifty):
        assert all(count == 1 for count in value.reads.values()), f"{value!r} was read {value.reads} times"
        return {as_plain(key): as_plain(item) for key, item in value.first.items()}
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: as_plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Mapping) and token_kind(value) is None:
        return {as_plain(key): as_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple) and token_kind(list(value)) is None:
        return [as_plain(item) for item in value]
    return value


def expected_text(value: Any) -> str:
    """What Terraform must evaluate free text ``value`` to, with :data:`MARK` for the value of each token."""
    if not isinstance(value, str):
        assert token_kind(value) is not None, f"{value!r} is neither text nor a token"
        return MARK
    return unicodedata.normalize("NFC", "".join(MARK if is_token else part for part, is_token in fragments(value)))


def evaluated(template: str) -> str:
    """What Terraform evaluates ``template`` to, with :data:`MARK` for each expression (a token's value)."""
    return evaluate(template, lambda expression: MARK)


def check_text(emitted: Any, passed: Any, where: str) -> None:
    assert isinstance(emitted, str), f"{where}: {emitted!r}"
    assert evaluated(emitted) == expected_text(passed), f"{where}: {emitted!r} does not evaluate to {passed!r}"
    if isinstance(passed, str) and not any(is_token for _, is_token in fragments(passed)):
        assert evaluate_literal_template(emitted) == passed, where


def check_text_map(emitted: Any, passed: Any, where: str) -> None:
    """A map of free text: each key and value evaluates to what was passed."""
    if passed is None:
        assert emitted is None, f"{where}: {emitted!r} emitted for None"
        return
    if not isinstance(passed, dict) or token_kind(passed) is not None:
        assert isinstance(emitted, str) and emitted.startswith("${"), f"{where}: a token becomes an expression"
        return
    if not passed:
        assert emitted in (None, {}), where
        return
    assert isinstance(emitted, dict), where
    assert sorted(evaluated(key) for key in emitted) == sorted(expected_text(key) for key in passed), where
    by_key = {evaluated(key): item for key, item in emitted.items()}
    for key, item in passed.items():
        if not any(is_token for _, is_token in fragments(key)):  # keys with tokens may coincide once evaluated
            check_text(by_key[expected_text(key)], item, f"{where}[{key!r}]")


def json_equal(emitted: Any, passed: Any) -> bool:
    """Equal as JSON values: the same kind (bool is no number), containers item by item, numbers as the
    provider reads them (float64: the canonical text of 6.5e16 is 65000000000000000, which reads back the same)."""
    if passed is None or isinstance(passed, bool):
        return emitted is passed
    if isinstance(passed, int | float):
        return isinstance(emitted, int | float) and not isinstance(emitted, bool) and float(emitted) == float(passed)
    if isinstance(passed, str):
        return isinstance(emitted, str) and emitted == passed
    if isinstance(passed, list):
        return (
            isinstance(emitted, list)
            and len(emitted) == len(passed)
            and all(json_equal(a, b) for a, b in zip(emitted, passed, strict=True))
        )
    if isinstance(passed, dict):
        return (
            isinstance(emitted, dict)
            and emitted.keys() == passed.keys()
            and all(json_equal(emitted[key], item) for key, item in passed.items())
        )
    raise AssertionError(f"{passed!r} is no JSON value")


def holds_token(value: Any) -> bool:
    if isinstance(value, str):
        return any(is_token for _, is_token in fragments(value))
    if token_kind(value) is not None:
        return True
    if isinstance(value, dict):
        return any(holds_token(key) or holds_token(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_token(item) for item in value)
    return False


def check_parameters(emitted: Any, passed: Any, where: str) -> None:
    assert isinstance(emitted, str), where
    if isinstance(passed, str):
        if STRING_TOKEN.fullmatch(passed):
            assert evaluated(emitted) == MARK, where
            return
        passed = json.loads(passed)
    if not isinstance(passed, dict) or holds_token(passed):
        assert emitted.startswith("${") and emitted.endswith("}"), f"{where}: {emitted!r}"
        return
    decoded = json.loads(evaluate_literal_template(emitted))
    assert json_equal(decoded, passed), f"{where}: {decoded!r} != {passed!r}"


def own(resources: Mapping[str, Any], type_: str) -> list[dict[str, Any]]:
    """The bodies of the resources of ``type_`` that the construct under test (``tr``) created."""
    return [body for name, body in resources.get(type_, {}).items() if name.startswith("tr_")]


def check_document(document: dict[str, Any], real: Mapping[str, Any]) -> None:
    """Every free text and literal parameters of the synthesized document evaluate to what was passed."""
    passed = {name: as_plain(value) for name, value in real.items() if name not in ("provider", "depends_on")}
    resources = document["resource"]
    (run,) = own(resources, "openai_thread_run")
    if passed.get("instructions") is not None:
        check_text(run["instructions"], passed["instructions"], "instructions")
    else:
        assert "instructions" not in run
    check_text_map(run.get("metadata"), passed.get("metadata"), "metadata")
    messages = list(passed.get("messages") or [])
    new_thread = passed.get("create_new_thread", True)
    if new_thread:
        (thread,) = own(resources, "openai_thread")
        emitted_messages = thread.get("messages", [])
        check_text_map(thread.get("metadata"), passed.get("thread_metadata"), "thread_metadata")
    else:
        by_index = {
            int(re.search(r"_message-(\d+)_", name).group(1)): body  # type: ignore[union-attr]
            for name, body in resources.get("openai_message", {}).items()
            if name.startswith("tr_")
        }
        emitted_messages = [by_index[index] for index in sorted(by_index)]
    assert len(emitted_messages) == len(messages)
    for index, (emitted, message) in enumerate(zip(emitted_messages, messages, strict=True)):
        check_text(emitted["content"], message["content"], f"messages[{index}].content")
        check_text_map(emitted.get("metadata"), message.get("metadata"), f"messages[{index}].metadata")
    tools = list(passed.get("tools") or [])
    emitted_tools = run.get("tools", [])
    assert len(emitted_tools) == len(tools)
    for index, (emitted, tool) in enumerate(zip(emitted_tools, tools, strict=True)):
        function = tool.get("function")
        if function is None:
            assert "function" not in emitted
            continue
        (emitted_function,) = emitted["function"]
        if function.get("description") is not None:
            check_text(emitted_function["description"], function["description"], f"tools[{index}].description")
        if function.get("parameters") is not None:
            check_parameters(emitted_function["parameters"], function["parameters"], f"tools[{index}].parameters")


def strings_in(value: Any) -> Iterator[str]:
    """Every string in ``value`` (map keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def check_nfc_warning(construct: ThreadRunConstruct, real: Mapping[str, Any]) -> None:
    """Text Terraform will normalize (not in Unicode NFC) warns, and only such text."""
    passed = [as_plain(value) for name, value in real.items() if name not in ("provider", "depends_on")]
    normalized = all(unicodedata.is_normalized("NFC", text) for text in strings_in(passed))
    warned = any("[openai-thread-run:not-nfc]" in warning for warning in warnings_of(construct))
    assert warned is not normalized, "a warning names the text Terraform normalizes, and nothing else warns so"


def path_exists(path: str, real: Mapping[str, Any]) -> bool:
    """Whether a problem's ``path`` names a place in what was passed (the last step may be a missing key)."""
    steps = parse_path(path)
    root = steps[0]
    if root not in ROOTS:
        return False
    if root in ("id", "scope"):
        return len(steps) == 1
    value = real.get(root)
    for position, step in enumerate(steps[1:], start=2):
        last = position == len(steps)
        try:
            value = step_into(value, step)
        except LookupError:
            return last
        except Exception:  # a hostile object raised while we walked it: the path led to it
            return True
    return True


#: An identifier is Python's (``str.isidentifier``, as :func:`~openai_thread_run.errors.key_path` writes it): any
#: text up to the next step, since no identifier holds ``.`` or ``[`` (``re``'s ``\w`` misses some identifier
#: characters, such as U+00B7 in ``A·``).
_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[")


def parse_path(path: str) -> list[Any]:
    """``messages[0].metadata['k']`` -> ``["messages", 0, "metadata", ("repr", "'k'")]``."""
    match = re.match(r"[A-Za-z_][A-Za-z0-9_]*", path)
    assert match, path
    steps: list[Any] = [match.group(0)]
    position = match.end()
    while position < len(path):
        step = _STEP.match(path, position)
        assert step, f"cannot read {path!r} at {position}"
        if step.group(1) is not None:
            steps.append(step.group(1))
            position = step.end()
        elif step.group(2) is not None:
            steps.append(int(step.group(2)))
            position = step.end()
        else:
            end = _bracket_end(path, position + 1)
            steps.append(("repr", path[position + 1 : end]))
            position = end + 1
    return steps


def _bracket_end(path: str, position: int) -> int:
    """The index of the ``]`` that closes a repr'd key starting at ``position`` (quotes and nesting aware).

    A long key is shown cut to :data:`~openai_thread_run.errors.MAX_SHOWN_VALUE` characters, the last three
    ``...`` (:func:`openai_thread_run.errors.show`), so its quotes or escapes may be open.
    """
    cut_end = position + MAX_SHOWN_VALUE
    if path[cut_end - 3 : cut_end + 1] == "...]":
        return cut_end
    depth = 0
    quote: str | None = None
    while position < len(path):
        char = path[position]
        if quote:
            if char == "\\":
                position += 1
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")}":
            depth -= 1
        elif char == "]":
            if depth == 0:
                return position
            depth -= 1
        position += 1
    raise AssertionError(f"unclosed [ in {path!r}")


def step_into(value: Any, step: Any) -> Any:
    if isinstance(step, int) and isinstance(value, list | tuple):
        return value[step]
    if isinstance(step, int):
        raise TypeError(f"index into {type(value).__name__}")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = step if isinstance(step, str) else ast.literal_eval(step[1])  # a repr'd field name: 'role'
        return getattr(value, name)
    if isinstance(value, Mapping):
        for key in list(value):
            if (isinstance(step, str) and type(key) is str and key == step) or (
                isinstance(step, tuple) and _shown(key) == step[1]
            ):
                return value[key]
        raise KeyError(step)
    raise TypeError(f"step {step!r} into {type(value).__name__}")


def _shown(key: Any) -> str:
    """``key`` as a problem's path shows it (:func:`openai_thread_run.errors.show`: a long one cut)."""
    return show(str.__str__(key) if isinstance(key, str) else key)


# -- the properties --------------------------------------------------------------------------------------------------


def fresh_stack() -> tuple[TerraformStack, Materializer]:
    stack = TerraformStack(Testing.app(), "fuzz")
    OpenaiProvider(stack, "openai")
    return stack, Materializer(stack)


def synthesize(stack: TerraformStack) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(Testing.synth(stack, run_validations=True))
    assert_matches_provider_schema(document)
    return document


def assert_names_input(error: ValidationError, real: Mapping[str, Any]) -> None:
    note(str(error))
    event("ValidationError", "several problems" if len(error.problems) > 1 else "one problem")
    assert error.problems, "a ValidationError must list at least one problem"
    for problem in error.problems:
        assert str(problem)
        assert path_exists(problem.path, real), f"problem path {problem.path!r} names nothing that was passed"


@given(inputs=construct_inputs())
def test_any_input_raises_validation_error_or_synthesizes_what_was_meant(inputs: dict[str, Any]) -> None:
    stack, materializer = fresh_stack()
    real = materializer.real(inputs)
    try:
        construct = ThreadRunConstruct(stack, "tr", **real)
    except ValidationError as error:
        assert_names_input(error, real)
        return
    # Anything else raised above or below (TypeError, RecursionError, a jsii RuntimeError, ...) fails the property.
    event("synthesized", "new thread" if construct.thread is not None else "existing thread")
    assert_bindings_accept_their_inputs(construct)
    document = synthesize(stack)
    assert bool(own(document["resource"], "openai_thread")) is real.get("create_new_thread", True)
    check_document(document, real)
    check_nfc_warning(construct, real)


def literal(value: Any) -> bool:
    """True for a plain string or number (not a token), which the JSON must carry unchanged."""
    if isinstance(value, str):
        return token_kind(value) is None
    return isinstance(value, int | float) and not isinstance(value, bool) and not is_number_token(float(value))


@given(inputs=valid_inputs())
def test_valid_input_never_raises_and_lands_in_the_json(inputs: dict[str, Any]) -> None:
    stack, materializer = fresh_stack()
    real = materializer.real(inputs)
    construct = ThreadRunConstruct(stack, "tr", **real)
    assert_bindings_accept_their_inputs(construct)
    document = synthesize(stack)
    check_document(document, real)
    check_nfc_warning(construct, real)
    (run,) = own(document["resource"], "openai_thread_run")
    for name in ("model", "temperature", "top_p", "max_completion_tokens"):
        value = as_plain(real[name])
        if value is None or (name in ("temperature", "top_p") and value == 0):
            assert name not in run or run[name] == value
        elif literal(value):
            assert json_equal(run[name], value), name
    assert "stream" not in run
    assert len(construct.messages) == (0 if real["create_new_thread"] else len(real["messages"]))
    triggers = real["rerun_triggers"]
    replace = run.get("lifecycle", {}).get("replace_triggered_by", [])
    assert (len(replace) > 1) is (triggers is not None and triggers != {}), "the rerun trigger, besides the prompt"
    assert ("data" in document) is real["wait_for_completion"]
    provider = real["provider"]
    expected_provider = None if provider is None else "openai.secondary" if provider.alias else "openai"
    assert run.get("provider") == expected_provider


@given(
    field=st.sampled_from(["metadata", "thread_metadata", "message metadata", "rerun_triggers"]),
    value=st.dictionaries(
        st.one_of(text, template_text, special_keys), st.one_of(text, template_text, special_keys), max_size=5
    ),
)
def test_a_literal_map_lands_in_the_json_unchanged_or_is_rejected(field: str, value: dict[str, str]) -> None:
    # No entry may be lost or altered on the way: a key cdktf or jsii cannot carry must be a ValidationError.
    stack, _ = fresh_stack()
    inputs: dict[str, Any] = {"assistant_id": "a", "wait_for_completion": False}
    if field == "message metadata":
        inputs.update(create_new_thread=False, existing_thread_id="t", messages=[{"role": "user", "content": "c"}])
        inputs["messages"][0]["metadata"] = value
    else:
        inputs[field] = value
    try:
        ThreadRunConstruct(stack, "tr", **inputs)
    except ValidationError as error:
        assert_names_input(error, inputs)
        return
    resources = synthesize(stack)["resource"]
    if not value:
        return
    landed = {
        "metadata": lambda: next(iter(resources["openai_thread_run"].values()))["metadata"],
        "thread_metadata": lambda: next(iter(resources["openai_thread"].values()))["metadata"],
        "message metadata": lambda: next(iter(resources["openai_message"].values()))["metadata"],
        "rerun_triggers": lambda: next(iter(resources["null_resource"].values()))["triggers"],
    }[field]()
    assert {evaluate_literal_template(key): evaluate_literal_template(item) for key, item in landed.items()} == value


@given(value=numbers)
def test_literal_numbers_outside_their_ranges_are_rejected(value: float) -> None:
    # Only an encoded token may bypass a range check: 1e300, inf or 10**400 are literals like any other.
    ranges = {"temperature": (0, 2), "top_p": (0, 1), "max_completion_tokens": (256, 2**53)}
    for name, (low, high) in ranges.items():
        nan = isinstance(value, float) and math.isnan(value)
        if name == "max_completion_tokens":
            accepted = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        else:
            accepted = not nan and low <= value <= high
        stack, _ = fresh_stack()
        inputs: dict[str, Any] = {"assistant_id": "a", name: value}
        if accepted:
            ThreadRunConstruct(stack, "tr", **inputs)
            continue
        try:
            ThreadRunConstruct(stack, "tr", **inputs)
        except ValidationError as error:
            assert [problem.path for problem in error.problems] == [name]
            assert str(error)
        else:
            raise AssertionError(f"{name}={value!r} is outside {low}..{high} but was accepted")


@given(id_=construct_id, scope_ids=st.lists(scope_id, max_size=2, unique=True))
def test_any_id_and_scope_give_valid_terraform_names_or_a_validation_error(id_: Any, scope_ids: list[str]) -> None:
    stack, materializer = fresh_stack()
    real_id = materializer.real(id_)
    scope: Construct = stack
    for name in scope_ids:
        scope = Construct(scope, name)
    inputs: dict[str, Any] = {
        "assistant_id": "asst_1",
        "create_new_thread": False,
        "existing_thread_id": "thread_1",
        "messages": [{"role": "user", "content": "hi"}],
        "rerun_triggers": {"v": "1"},
        "rerun_trigger_resource": "terraform_data",
    }
    try:
        ThreadRunConstruct(scope, real_id, **inputs)
    except ValidationError as error:
        assert_names_input(error, inputs)
        assert {problem.path for problem in error.problems} <= {"id", "scope"}
        return
    document = synthesize(stack)
    names = [name for section in ("resource", "data") for kind in document[section].values() for name in kind]
    assert len(names) == 7  # a message, the run, the prompt, the trigger, the waiter, two data sources
    for name in names:
        assert TERRAFORM_NAME.fullmatch(name), f"{name!r} is no Terraform name"


provider_setting = st.one_of(
    st.none(),
    short_text,
    interpolation,
    st.sampled_from(["https://api.openai.com/v1", "http://127.0.0.1:9/v1/", "https://x", "secondary", "1a", "a b"]),
    st.integers(-2, 600),
    st.floats(allow_nan=True),
    tokens(*STRING_TOKENS, *NUMBER_TOKENS, *MAP_TOKENS, "list"),
    junk,
)


@given(settings=st.dictionaries(st.sampled_from(PROVIDER_SETTINGS), provider_setting, max_size=4))
def test_any_provider_settings_raise_validation_error_or_synthesize_schema_valid_json(
    settings: dict[str, Any],
) -> None:
    stack = TerraformStack(Testing.app(), "fuzz")
    real = Materializer(stack).real(settings)
    try:
        provider = OpenaiProvider(stack, "openai", **real)
    except ValidationError as error:
        note(str(error))
        assert error.problems
        for problem in error.problems:
            assert str(problem)
            assert parse_path(problem.path)[0] in settings, f"{problem.path!r} names no setting that was passed"
        return
    ThreadRunConstruct(stack, "tr", assistant_id="asst_1", provider=provider)
    document = synthesize(stack)
    (emitted,) = document["provider"]["openai"]
    for name, value in real.items():
        if value is None:
            assert name not in emitted
        elif literal(value) or name == "alias":
            assert emitted[name] == as_plain(value), name


def test_problem_paths_are_read_back_whatever_identifier_characters_a_key_holds() -> None:
    assert parse_path("assistant_id.A·[0].x_1['a b']") == ["assistant_id", "A·", 0, "x_1", ("repr", "'a b'")]
