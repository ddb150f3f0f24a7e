"""Fuzzed validation: over the whole input space, ThreadRunConstruct raises ValidationError or emits valid JSON.

Every keyword is drawn from valid values, boundary values, wrong types, None, random unicode (no lone
surrogates), huge strings, nested junk, the dataclass helpers of :mod:`openai_thread_run.inputs`, and tokens
from a ``TerraformVariable`` or a resource in the same stack. Tokens are drawn as :class:`Tok` placeholders and
made real in the example's own stack, so examples stay printable and shrinkable.

Out of the space on purpose: strings that forge the frameworks' own token markers (``${TfToken[...]}``,
``#{TfToken[...]}``, ``&{TfToken[...]}``) and doubles carrying the number-token bit pattern (0xFDFF): those
*are* tokens by the frameworks' definition, and a forged one fails inside cdktf itself.

The example count comes from the Hypothesis profile (tests/unit/conftest.py): 60 by default, 10,000 with
``HYPOTHESIS_PROFILE=fuzz .venv/bin/pytest tests/unit/test_fuzz_validation.py``.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import fractions
import json
import math
import types
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cdktf import Fn, TerraformStack, TerraformVariable, Testing, Token
from hypothesis import event, given, note
from hypothesis import strategies as st

from openai_thread_run import (
    CodeInterpreterTool,
    FunctionDefinition,
    FunctionTool,
    Message,
    OpenaiAssistant,
    OpenaiProvider,
    ThreadRunConstruct,
    ValidationError,
    ZeroSamplingValueWarning,
)
from openai_thread_run.tokens import is_number_token
from tests.provider_schema import assert_matches_provider_schema

KEYWORDS = (
    "assistant_id",
    "create_new_thread",
    "existing_thread_id",
    "messages",
    "thread_metadata",
    "model",
    "instructions",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "max_completion_tokens",
    "stream",
    "response_format",
    "rerun_triggers",
    "rerun_trigger_resource",
)

# -- tokens --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tok:
    """A token to create in the example's stack: ``kind`` says which (see :func:`make_token`)."""

    kind: str


STRING_TOKENS = ("string", "resource_string", "fn_string", "as_string")
NUMBER_TOKENS = ("number", "resource_number", "as_number")
MAP_TOKENS = ("map", "string_map", "any")
LIST_TOKENS = ("list",)
OTHER_TOKENS = ("number_map", "number_list", "bool")
ALL_TOKENS = STRING_TOKENS + NUMBER_TOKENS + MAP_TOKENS + LIST_TOKENS + OTHER_TOKENS


def make_token(stack: TerraformStack, kind: str, cache: dict[str, Any]) -> Any:
    """Return a real token of ``kind`` from a variable (or the assistant resource) in ``stack``."""
    if kind in cache:
        return cache[kind]
    if "variable" not in cache:
        cache["variable"] = TerraformVariable(stack, "fuzz-any", type="any")
        cache["assistant"] = OpenaiAssistant(stack, "fuzz-assistant", model="gpt-4o")
    variable: TerraformVariable = cache["variable"]
    assistant: OpenaiAssistant = cache["assistant"]
    makers: dict[str, Callable[[], Any]] = {
        "string": lambda: variable.string_value,
        "resource_string": lambda: assistant.id,
        "fn_string": lambda: Fn.lookup(variable.value, "key", "default"),
        "as_string": lambda: Token.as_string(variable.value),
        "number": lambda: variable.number_value,
        "resource_number": lambda: assistant.created_at,
        "as_number": lambda: Token.as_number(variable.value),
        "map": lambda: variable.value,
        "string_map": lambda: Token.as_string_map(variable.value),
        "any": lambda: Token.as_any(variable.value),
        "list": lambda: variable.list_value,
        "number_map": lambda: Token.as_number_map(variable.value),
        "number_list": lambda: Token.as_number_list(variable.value),
        "bool": lambda: variable.boolean_value,
    }
    cache[kind] = makers[kind]()
    return cache[kind]


def materialize(value: Any, stack: TerraformStack, cache: dict[str, Any]) -> Any:
    """``value`` with every :class:`Tok` replaced by a real token from ``stack`` (inside containers too)."""
    if isinstance(value, Tok):
        return make_token(stack, value.kind, cache)
    if isinstance(value, list):
        return [materialize(item, stack, cache) for item in value]
    if isinstance(value, tuple):
        return tuple(materialize(item, stack, cache) for item in value)
    if isinstance(value, types.MappingProxyType):
        return types.MappingProxyType({key: materialize(item, stack, cache) for key, item in value.items()})
    if isinstance(value, dict):
        return {key: materialize(item, stack, cache) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: materialize(getattr(value, field.name), stack, cache) for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    return value


def tokens(*kinds: str) -> st.SearchStrategy[Tok]:
    return st.sampled_from(kinds).map(Tok)


# -- building blocks -----------------------------------------------------------------------------------------

#: Every unicode character except lone surrogates (no valid UTF-8) and the frameworks' token marker texts.
CHARACTERS = st.characters(exclude_categories=["Cs"])
text = st.text(CHARACTERS, max_size=40).filter(lambda s: "TfToken[" not in s)
non_empty_text = st.text(CHARACTERS, min_size=1, max_size=40).filter(lambda s: "TfToken[" not in s)
#: Long strings without generating them character by character: a short seed repeated.
huge_text = st.builds(
    lambda seed, count: (seed or "x") * count, st.text(CHARACTERS, max_size=4), st.integers(600, 40_000)
)
#: Map keys that are special somewhere on the way to the JSON.
special_keys = st.sampled_from(["__proto__", "constructor", "toString", "$jsii.byref", "//", ""])
interpolation = st.sampled_from(["${var.other}", 'x-${upper("a")}-y', "${", "a${b}c", "$${literal}"])
some_text = st.one_of(text, non_empty_text, huge_text, interpolation)

floats = st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not is_number_token(f))
#: Integers beyond what a double holds exactly or at all, as (base, exponent, offset): shown compactly.
huge_ints = st.sampled_from(
    [(2, 53, 0), (2, 53, 1), (2, 63, 0), (2, 64, 1), (10, 308, 0), (10, 400, 0), (-10, 401, 0), (10, 4000, 0)]
).map(lambda spec: spec[0] ** spec[1] + spec[2])
numbers = st.one_of(floats, st.integers(), huge_ints)


class Opaque:
    """An arbitrary object that is nothing the construct knows."""

    def __repr__(self) -> str:
        return "Opaque()"


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


# -- per-keyword strategies ----------------------------------------------------------------------------------

string_input = mixed(non_empty_text, tokens(*STRING_TOKENS), interpolation, huge_text, st.just(""), st.none())


def string_maps(max_keys: int, *, long_keys: bool) -> st.SearchStrategy[Any]:
    """str->str maps: valid ones, boundary sizes (16/17 keys, 64/65-character keys, 512/513 values), junk."""
    key = st.one_of(non_empty_text, st.text("k", min_size=64, max_size=65) if long_keys else non_empty_text)
    value = st.one_of(text, st.text("v", min_size=512, max_size=513), tokens(*STRING_TOKENS), huge_text)
    return st.one_of(
        st.dictionaries(key, value, max_size=max_keys),
        st.dictionaries(st.text("abcdefghijklmnopq", min_size=1, max_size=3), st.just("v"), min_size=15, max_size=18),
        st.dictionaries(st.one_of(text, st.integers(), st.none(), special_keys), st.one_of(text, junk), max_size=3),
        tokens(*MAP_TOKENS),
        tokens("list", "string", "number_map"),
        st.just({}),
        st.none(),
        junk,
    )


metadata_input = string_maps(4, long_keys=True)


@st.composite
def message_item(draw: st.DrawFn) -> Any:
    role = draw(
        st.one_of(
            st.sampled_from(["user", "assistant"]),
            st.sampled_from(["system", "tool", "User"]),
            tokens(*STRING_TOKENS),
            junk,
        )
    )
    content = draw(st.one_of(non_empty_text, huge_text, tokens(*STRING_TOKENS), st.just(""), junk))
    metadata = draw(st.one_of(st.none(), metadata_input))
    shape = draw(st.sampled_from(["dataclass", "dict", "dict", "dict-extra", "dict-missing", "junk"]))
    if shape == "dataclass":
        return Message(role=role, content=content, metadata=metadata)  # type: ignore[arg-type]  # any type, on purpose
    if shape == "junk":
        return draw(junk)
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
        tokens("list", "any", "string"),
        st.none(),
        junk,
    )


messages_input = sequences(message_item(), 4)

json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False, allow_infinity=False), text
    ),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(text, children, max_size=3)),
    max_leaves=6,
)
parameters_input = st.one_of(
    st.none(),
    st.dictionaries(text, json_values, max_size=3),
    st.dictionaries(text, json_values, max_size=3).map(json.dumps),
    json_values.map(json.dumps),
    text,
    st.just({"type": "object", "bad": float("nan")}),
    st.just({"type": "object", "bad": {1, 2}}),
    st.just({1: "non-string key"}),
    st.just({"type": "object", "bytes": b"x"}),
    tokens(*STRING_TOKENS),
    junk,
)
function_name = st.one_of(
    st.from_regex(r"\A[a-zA-Z0-9_-]{1,64}\Z"),
    st.text("a", min_size=65, max_size=65),
    st.just(""),
    text,
    tokens(*STRING_TOKENS),
    junk,
)


@st.composite
def function_input(draw: st.DrawFn) -> Any:
    name = draw(function_name)
    description = draw(st.one_of(st.none(), text, huge_text, tokens(*STRING_TOKENS), junk))
    parameters = draw(parameters_input)
    if draw(st.booleans()):
        return FunctionDefinition(name=name, description=description, parameters=parameters)  # type: ignore[arg-type]
    item: dict[Any, Any] = {"name": name}
    if description is not None:
        item["description"] = description
    if parameters is not None:
        item["parameters"] = parameters
    if draw(st.integers(0, 9)) == 0:
        item["extra"] = "x"
    return item


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
    kind = draw(
        st.one_of(
            st.sampled_from(["code_interpreter", "function", "file_search", "retrieval", "web"]),
            tokens(*STRING_TOKENS),
            junk,
        )
    )
    item: dict[Any, Any] = {"type": kind}
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
        tokens(*NUMBER_TOKENS),
        tokens("string", "list"),
        numbers,
        junk,
    )


max_tokens_input = st.one_of(
    st.none(),
    st.integers(256, 1_000_000),
    st.sampled_from([255, 256, 257, 0, -1, 256.0, 2**31, 2**53 - 1, 2**53]),
    huge_ints,
    tokens(*NUMBER_TOKENS),
    tokens("string"),
    numbers,
    junk,
)

triggers_input = string_maps(6, long_keys=False)


# -- valid inputs only ---------------------------------------------------------------------------------------

short_text = st.text(CHARACTERS, min_size=1, max_size=20).filter(lambda s: "TfToken[" not in s)
#: A valid map key: any non-empty text but "__proto__" (the jsii kernel refuses it) and "//" (cdktf drops it).
valid_key = short_text.filter(lambda s: s not in ("__proto__", "//"))
valid_string = st.one_of(short_text, tokens(*STRING_TOKENS))
valid_metadata = st.one_of(
    st.none(),
    st.dictionaries(
        st.text(CHARACTERS, min_size=1, max_size=64).filter(
            lambda s: "TfToken[" not in s and s not in ("__proto__", "//")
        ),
        st.text(CHARACTERS, max_size=512).filter(lambda s: "TfToken[" not in s),
        max_size=16,
    ),
    tokens("map", "string_map"),
)
valid_message = st.builds(
    lambda role, content, metadata, typed: (
        Message(role, content, metadata)
        if typed
        else {"role": role, "content": content, **({"metadata": metadata} if metadata is not None else {})}
    ),
    st.one_of(st.sampled_from(["user", "assistant"]), tokens(*STRING_TOKENS)),
    valid_string,
    valid_metadata,
    st.booleans(),
)
valid_function = st.builds(
    FunctionDefinition,
    name=st.one_of(st.from_regex(r"\A[a-zA-Z0-9_-]{1,64}\Z"), tokens(*STRING_TOKENS)),
    description=st.one_of(st.none(), short_text),
    parameters=st.one_of(st.none(), st.dictionaries(short_text, json_values, max_size=3), tokens(*STRING_TOKENS)),
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
    "instructions": st.one_of(st.none(), valid_string, huge_text),
    "tools": st.lists(valid_tool, max_size=20),
    "metadata": valid_metadata,
    "temperature": st.one_of(st.none(), st.floats(0.0, 2.0), st.integers(0, 2), tokens(*NUMBER_TOKENS)),
    "top_p": st.one_of(st.none(), st.floats(0.0, 1.0), st.integers(0, 1), tokens(*NUMBER_TOKENS)),
    "max_completion_tokens": st.one_of(st.none(), st.integers(256, 2**53 - 1), tokens("number", "as_number")),
    "stream": st.just(False),
    "response_format": st.one_of(
        st.none(), st.just("auto"), st.sampled_from(["text", "json_object"]).map(lambda kind: {"type": kind})
    ),
    "rerun_triggers": st.one_of(
        st.none(),
        st.dictionaries(valid_key, st.text(CHARACTERS, max_size=30), max_size=4),
        tokens("map", "string_map"),
    ),
    "rerun_trigger_resource": st.sampled_from(["null_resource", "terraform_data"]),
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
    "instructions": string_input,
    "tools": tools_input,
    "metadata": metadata_input,
    "temperature": sampling(2.0),
    "top_p": sampling(1.0),
    "max_completion_tokens": max_tokens_input,
    "stream": st.one_of(st.just(False), st.just(True), junk),
    "response_format": response_format_input,
    "rerun_triggers": triggers_input,
    "rerun_trigger_resource": mixed(st.sampled_from(["null_resource", "terraform_data"]), tokens(*STRING_TOKENS)),
}


@st.composite
def any_thread_choice(draw: st.DrawFn) -> dict[str, Any]:
    choice: dict[str, Any] = {}
    for name, strategy in (
        ("create_new_thread", st.one_of(st.booleans(), junk)),
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


# -- the properties ------------------------------------------------------------------------------------------


def fresh_stack() -> TerraformStack:
    stack = TerraformStack(Testing.app(), "fuzz")
    OpenaiProvider(stack, "openai")
    return stack


def construct(stack: TerraformStack, inputs: Mapping[str, Any]) -> tuple[ThreadRunConstruct, dict[str, Any]]:
    """Make the tokens real, then build the construct (ZeroSamplingValueWarning is expected and ignored)."""
    real = materialize(dict(inputs), stack, {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZeroSamplingValueWarning)
        return ThreadRunConstruct(stack, "tr", **real), real


def synthesize(stack: TerraformStack) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(Testing.synth(stack, run_validations=True))
    assert_matches_provider_schema(document)
    runs = document["resource"]["openai_thread_run"]
    assert len(runs) == 1, runs
    return document


@given(inputs=construct_inputs())
def test_any_input_raises_validation_error_or_synthesizes_schema_valid_json(inputs: dict[str, Any]) -> None:
    stack = fresh_stack()
    try:
        tr, real = construct(stack, inputs)
    except ValidationError as error:
        note(str(error))
        event("ValidationError", "several problems" if len(error.problems) > 1 else "one problem")
        assert error.problems, "a ValidationError must list at least one problem"
        for problem in error.problems:
            root = problem.path.split("[", 1)[0].split(".", 1)[0]
            assert root in KEYWORDS, f"problem path {problem.path!r} names no input"
            assert f"\n  - {problem}" in str(error), f"the error message does not list {problem}"
        return
    # Anything else raised above (TypeError, OverflowError, a jsii RuntimeError, ...) fails the property.
    event("synthesized", "new thread" if tr.thread is not None else "existing thread")
    document = synthesize(stack)
    new_thread = real.get("create_new_thread", True)
    assert ("openai_thread" in document["resource"]) is new_thread
    assert (tr.thread is not None) is new_thread


def literal(value: Any) -> bool:
    """True for a plain string or number (not a token), which the JSON must carry unchanged."""
    if isinstance(value, str):
        return "${" not in value
    return isinstance(value, int | float) and not isinstance(value, bool) and not is_number_token(float(value))


@given(inputs=valid_inputs())
def test_valid_input_never_raises_and_lands_in_the_json(inputs: dict[str, Any]) -> None:
    stack = fresh_stack()
    tr, real = construct(stack, inputs)
    document = synthesize(stack)
    run = next(iter(document["resource"]["openai_thread_run"].values()))
    for name in ("model", "instructions", "temperature", "top_p", "max_completion_tokens"):
        value = real[name]
        if value is None:
            assert name not in run
        elif literal(value):
            assert run[name] == value
    assert len(run.get("tools", [])) == len(real["tools"])
    assert "stream" not in run
    if real["create_new_thread"]:
        thread = next(iter(document["resource"]["openai_thread"].values()))
        assert len(thread.get("messages", [])) == len(real["messages"])
    else:
        assert len(document["resource"].get("openai_message", {})) == len(real["messages"])
        assert len(tr.messages) == len(real["messages"])
    triggers = real["rerun_triggers"]
    assert ("lifecycle" in run) is (triggers is not None and triggers != {})


@given(
    field=st.sampled_from(["metadata", "thread_metadata", "message metadata", "rerun_triggers"]),
    value=st.dictionaries(st.one_of(text, special_keys), st.one_of(text, special_keys), max_size=5),
)
def test_a_literal_map_lands_in_the_json_unchanged_or_is_rejected(field: str, value: dict[str, str]) -> None:
    # No entry may be lost or altered on the way: a key cdktf or jsii cannot carry must be a ValidationError.
    stack = fresh_stack()
    inputs: dict[str, Any] = {"assistant_id": "a"}
    if field == "message metadata":
        inputs.update(create_new_thread=False, existing_thread_id="t", messages=[{"role": "user", "content": "c"}])
        inputs["messages"][0]["metadata"] = value
    else:
        inputs[field] = value
    try:
        construct(stack, inputs)
    except ValidationError as error:
        assert error.problems
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
    assert landed == value


#: What the problem for a rejected number says is allowed.
EXPECTED_NUMBERS = {
    "temperature": "a number from 0 to 2, or a token",
    "top_p": "a number from 0 to 1, or a token",
    "max_completion_tokens": "an integer >= 256, or a token",
}


@given(value=numbers)
def test_literal_numbers_outside_their_ranges_are_rejected(value: float) -> None:
    # Only an encoded token may bypass a range check: 1e300, inf or 10**400 are literals like any other.
    ranges = {"temperature": (0, 2), "top_p": (0, 1), "max_completion_tokens": (256, 2**53 - 1)}
    for name, (low, high) in ranges.items():
        nan = isinstance(value, float) and math.isnan(value)
        if name == "max_completion_tokens":
            accepted = isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
        else:
            accepted = not nan and low <= value <= high
        stack = fresh_stack()
        if accepted:
            construct(stack, {"assistant_id": "a", name: value})
            continue
        try:
            construct(stack, {"assistant_id": "a", name: value})
        except ValidationError as error:
            assert [problem.path for problem in error.problems] == [name]
            assert error.problems[0].got is value
            assert error.problems[0].expected == EXPECTED_NUMBERS[name]
        else:
            raise AssertionError(f"{name}={value!r} is outside {low}..{high} but was accepted")


def test_an_integer_too_long_to_print_is_rejected_with_a_readable_error() -> None:
    # 10**5000 has more digits than int -> str allows by default (4300): the error message must still render.
    for name in ("temperature", "top_p", "max_completion_tokens"):
        stack = fresh_stack()
        try:
            construct(stack, {"assistant_id": "a", name: 10**5000})
        except ValidationError as error:
            assert [problem.path for problem in error.problems] == [name]
            assert name in str(error)
        else:
            raise AssertionError(f"{name}=10**5000 was accepted")
