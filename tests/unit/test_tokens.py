"""Recognising tokens in pure Python: every kind cdktf makes, what Terraform converts, and variables' types."""

from __future__ import annotations

import math
import struct
from typing import Any
from unittest import mock

import cdktf
import jsii
import pytest
from cdktf import Fn, TerraformIterator, TerraformLocal, TerraformStack, TerraformVariable, Testing, Token

from openai_thread_run.tokens import (
    CONVERTS_TO,
    NUMBER_TOKEN_MARKER,
    TokenKind,
    converts_to,
    has_string_token,
    is_jsii_object,
    is_kernel_token,
    is_list_token,
    is_map_token,
    is_number_token,
    token_kind,
    type_kind,
    variable_kind,
)

STRING, NUMBER, BOOL, LIST, MAP, ANY = (
    TokenKind.STRING,
    TokenKind.NUMBER,
    TokenKind.BOOL,
    TokenKind.LIST,
    TokenKind.MAP,
    TokenKind.ANY,
)


@pytest.fixture
def stack() -> TerraformStack:
    return TerraformStack(Testing.app(), "tokens")


def _double(bits: int) -> float:
    value: float = struct.unpack("<d", struct.pack("<Q", bits))[0]
    return value


# -- token_kind: every kind cdktf makes -------------------------------------------------------------------------


def test_string_tokens_alone_and_inside_text(stack: TerraformStack) -> None:
    text = TerraformVariable(stack, "text", type="string")
    assert token_kind(text.string_value) is STRING
    assert token_kind(f"Hello {text.string_value}!") is STRING
    assert token_kind(Token.as_string(text.value)) is STRING
    assert token_kind(Fn.upper(text.string_value)) is STRING
    # cdktf makes every Fn.* result typed any (Fn.merge, Fn.lookup, ...) a string token
    assert token_kind(Fn.merge([{"a": "b"}])) is STRING


def test_number_tokens(stack: TerraformStack) -> None:
    number = TerraformVariable(stack, "number", type="number")
    assert token_kind(number.number_value) is NUMBER
    assert token_kind(Token.as_number(number.value)) is NUMBER
    assert token_kind(Fn.length_of(["a"])) is NUMBER


def test_list_tokens(stack: TerraformStack) -> None:
    items = TerraformVariable(stack, "items", type="list(string)")
    assert token_kind(items.list_value) is LIST
    assert token_kind(Token.as_list(items.value)) is LIST
    assert token_kind(Fn.tolist(items.value)) is LIST


def test_map_tokens(stack: TerraformStack) -> None:
    labels = TerraformVariable(stack, "labels", type="map(string)")
    assert token_kind(Token.as_string_map(labels.value)) is MAP
    assert token_kind(Token.as_number_map(labels.value)) is MAP
    assert is_map_token(Token.as_string_map(labels.value))


def test_kernel_objects_are_tokens_of_unknown_type(stack: TerraformStack) -> None:
    variable = TerraformVariable(stack, "anything")
    local = TerraformLocal(stack, "local", {"a": 1})
    iterator = TerraformIterator.from_list(["a", "b"])
    flag = TerraformVariable(stack, "flag", type="bool")
    for value in (variable.value, local.expression, iterator.value, flag.boolean_value):
        assert token_kind(value) is ANY, value
    assert is_map_token(variable.value), "a kernel object may stand for a map"


def test_objects_of_the_jsii_kernel_are_told_from_look_alikes(stack: TerraformStack) -> None:
    """Every kind of kernel object, through public jsii API; objects that answer any attribute are none."""

    @jsii.implements(cdktf.IResolvable)
    class Resolvable:
        @property
        def creation_stack(self) -> list[str]:
            return []

        def resolve(self, context: cdktf.IResolveContext) -> Any:
            return "x"

    handed_over = Resolvable()
    Token.as_string(handed_over)  # now a kernel object too
    variable = TerraformVariable(stack, "anything")
    iterator = TerraformIterator.from_list(["a"])
    kernel_values = [variable.value, iterator.value, Token.as_any("x"), handed_over]
    for value in kernel_values:
        assert is_jsii_object(value) and is_kernel_token(value), value
    assert is_jsii_object(stack) and is_jsii_object(variable), "constructs live in the kernel"
    assert not is_kernel_token(variable), "a construct is no value"

    class AnswersEverything:
        def __getattr__(self, name: str) -> Any:
            return name

    for look_alike in (mock.Mock(), mock.MagicMock(), AnswersEverything(), Resolvable(), object(), {"a": 1}, "s"):
        assert not is_jsii_object(look_alike), look_alike


@pytest.mark.parametrize(
    "value",
    [
        "plain text",
        "${var.raw_expression}",  # Terraform syntax the user wrote, not a cdktf token
        "${TfToken[not closed",
        "",
        0,
        -8,
        True,
        False,
        None,
        1.5,
        1e300,
        -1e300,
        math.inf,
        -math.inf,
        math.nan,
        [],
        ["a", "b"],
        ("a",),
        ["#{TfToken[TOKEN.1]}", "second item"],
        {},
        {"key": "value"},
        object(),
    ],
)
def test_plain_values_are_no_tokens(value: Any) -> None:
    assert token_kind(value) is None


# -- number tokens: only the exact marker --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        1e300,
        -1e300,
        -math.inf,
        math.inf,
        math.nan,
        -8e298,  # the same magnitude as number tokens, other bits
        -1.7976931348623157e308,
        _double((NUMBER_TOKEN_MARKER << 48) - 1),  # the last double below the marker
        _double((NUMBER_TOKEN_MARKER + 1) << 48),  # the first double above it
    ],
)
def test_numbers_near_the_marker_are_no_tokens(number: float) -> None:
    assert not is_number_token(number)
    assert token_kind(number) is None


@pytest.mark.parametrize("low_bits", [0, 1, 12345, 2**48 - 1])
def test_every_double_with_the_marker_bits_is_a_number_token(low_bits: int) -> None:
    assert is_number_token(_double((NUMBER_TOKEN_MARKER << 48) | low_bits))


def test_number_token_of_cdktf_carries_the_marker(stack: TerraformStack) -> None:
    number = TerraformVariable(stack, "number", type="number").number_value
    (bits,) = struct.unpack("<Q", struct.pack("<d", number))
    assert bits >> 48 == NUMBER_TOKEN_MARKER


# -- the small predicates -------------------------------------------------------------------------------------------


def test_has_string_token(stack: TerraformStack) -> None:
    token = TerraformVariable(stack, "text", type="string").string_value
    assert has_string_token(f"a {token} b")
    assert not has_string_token("${var.x}")


def test_is_list_token_needs_exactly_one_marker_item() -> None:
    assert is_list_token(["#{TfToken[TOKEN.7]}"])
    assert not is_list_token(["#{TfToken[TOKEN.7]}", "x"])
    assert not is_list_token(["plain"])
    assert not is_list_token([])


# -- what Terraform converts ------------------------------------------------------------------------------------

#: For each input type, the token kinds Terraform converts to it: primitive types into each other (a string
#: only when its text fits, so allowed), except bool and number, which never convert into each other; a list,
#: set or tuple only to a list; a map or object only to a map; an unknown type may be anything.
TERRAFORM_CONVERSIONS = {
    STRING: {STRING, NUMBER, BOOL, ANY},
    NUMBER: {STRING, NUMBER, ANY},
    BOOL: {STRING, BOOL, ANY},
    LIST: {LIST, ANY},
    MAP: {MAP, ANY},
}


@pytest.mark.parametrize("target", list(TERRAFORM_CONVERSIONS))
@pytest.mark.parametrize("kind", list(TokenKind))
def test_converts_to_is_terraforms_conversion_table(kind: TokenKind, target: TokenKind) -> None:
    assert converts_to(kind, target) is (kind in TERRAFORM_CONVERSIONS[target])


def test_the_table_has_every_input_type() -> None:
    assert set(CONVERTS_TO) == set(TERRAFORM_CONVERSIONS)


# -- a variable's declared type --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "kind"),
    [
        ("string", STRING),
        ("number", NUMBER),
        ("bool", BOOL),
        ("list(string)", LIST),
        ("set(number)", LIST),
        ("tuple([string, number])", LIST),
        ("map(string)", MAP),
        ("object({ name = string })", MAP),
        ("any", ANY),
        (None, ANY),
    ],
)
def test_variable_kind_reads_the_declared_type(stack: TerraformStack, declared: str | None, kind: TokenKind) -> None:
    variable = TerraformVariable(stack, "v", type=declared)
    assert variable_kind(variable.value, stack) is kind


def test_variable_kind_of_a_bool_variables_boolean_value(stack: TerraformStack) -> None:
    flag = TerraformVariable(stack, "flag", type="bool")
    assert variable_kind(flag.boolean_value, stack) is BOOL


def test_variable_kind_of_other_kernel_tokens_is_any(stack: TerraformStack) -> None:
    iterator = TerraformIterator.from_list(["a"]).value
    local = TerraformLocal(stack, "local", "x").expression
    function = Token.as_any(Fn.upper("x"))
    for value in (iterator, local, function):
        assert variable_kind(value, stack) is ANY, value


def test_variable_kind_does_not_confuse_a_local_with_a_variable_of_the_same_name(stack: TerraformStack) -> None:
    TerraformVariable(stack, "same", type="bool")
    local = TerraformLocal(TerraformStack(Testing.app(), "other"), "same", "x")
    assert variable_kind(local.expression, stack) is ANY


@pytest.mark.parametrize(
    ("expression", "kind"),
    [(" map( string ) ", MAP), ("list(object({a=string}))", LIST), ("number", NUMBER), ("dynamic", ANY), ("", ANY)],
)
def test_type_kind_reads_the_outer_type(expression: str, kind: TokenKind) -> None:
    assert type_kind(expression) is kind
