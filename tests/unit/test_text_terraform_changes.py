"""Text Terraform would change is refused or kept, never silently changed.

Terraform normalizes every string to Unicode NFC and drops a U+FEFF at the start of a template (both measured
with Terraform 1.5.7 in tests/unit/test_templates.py, whose real-Terraform cases include them, and end to end in
tests/e2e/test_text.py). cdktf takes any ``${TfToken[...]}`` in text for a token.
"""

from __future__ import annotations

import struct
from typing import Any

import pytest
from cdktf import Fn, TerraformStack, TerraformVariable, Testing, Token

from openai_thread_run import OpenaiProvider, ThreadRunConstruct, ValidationError, warnings_of
from openai_thread_run.errors import key_path
from tests.conftest import Synth, only
from tests.template_eval import evaluate, evaluate_literal_template

DECOMPOSED = "cafe\u0301"  # "café" with a combining accent: NFC makes it 4 code points
DEVANAGARI_QA = "\u0958"  # a composition exclusion: NFC makes it 2 code points (U+0915 U+093C)


def construct(stack: TerraformStack, **inputs: Any) -> ThreadRunConstruct:
    return ThreadRunConstruct(stack, "tr", assistant_id="asst_1", **inputs)


def problems(stack: TerraformStack, **inputs: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as raised:
        construct(stack, **inputs)
    return [(problem.path, problem.problem) for problem in raised.value.problems]


# -- Unicode NFC ------------------------------------------------------------------------------------------------


def test_text_that_is_not_nfc_warns_naming_every_input(stack: TerraformStack) -> None:
    tr = construct(
        stack,
        messages=[{"role": "user", "content": f"Order a {DECOMPOSED}.", "metadata": {DECOMPOSED: "x"}}],
        instructions="Plain.",
        metadata={"k": DEVANAGARI_QA},
    )
    [warning] = [w for w in warnings_of(tr) if "[openai-thread-run:not-nfc]" in w]
    assert warning.startswith(
        "messages[0].content, messages[0].metadata.cafe\u0301, metadata.k: not in Unicode NFC. Terraform "
        "normalizes every string to NFC, so the API receives the NFC form"
    )


def test_nfc_text_does_not_warn(stack: TerraformStack) -> None:
    tr = construct(stack, messages=[{"role": "user", "content": "caf\u00e9 \U0001f600 \u0915\u093c"}])
    assert warnings_of(tr) == []


@pytest.mark.parametrize(
    ("metadata", "path", "problem"),
    [
        ({"k": DEVANAGARI_QA * 512}, "metadata.k", "value is longer than 512 characters as the API receives it"),
        ({DEVANAGARI_QA * 33: "v"}, key_path("metadata", DEVANAGARI_QA * 33), "key is longer than 64 characters"),
    ],
)
def test_metadata_limits_count_what_terraform_sends(
    stack: TerraformStack, metadata: dict[str, str], path: str, problem: str
) -> None:
    [(found_path, found_problem)] = problems(stack, metadata=metadata)
    assert found_path == path and found_problem.startswith(problem)


def test_nfc_text_at_the_limits_is_accepted(stack: TerraformStack, synth: Synth) -> None:
    construct(stack, metadata={"k" * 64: DECOMPOSED * 102 + "v" * 4})  # 510 + 4 code points once composed
    assert only(synth(stack), "openai_thread_run")["metadata"] == {"k" * 64: DECOMPOSED * 102 + "v" * 4}


@pytest.mark.parametrize(
    "inputs",
    [
        {"metadata": {"e\u0301": "1", "\u00e9": "2"}},
        {"thread_metadata": {"\u00e9": "1", "e\u0301": "2"}},
        {"messages": [{"role": "user", "content": "c", "metadata": {"e\u0301": "1", "\u00e9": "2"}}]},
        {"rerun_triggers": {"e\u0301": "1", "\u00e9": "2"}},
        {"tools": [{"type": "function", "function": {"name": "f", "parameters": {"e\u0301": 1, "\u00e9": 2}}}]},
        {
            "tools": [
                {"type": "function", "function": {"name": "f", "parameters": '{"a": {"e\u0301": 1, "\u00e9": 2}}'}}
            ]
        },
    ],
)
def test_keys_that_are_the_same_in_nfc_are_refused(stack: TerraformStack, inputs: dict[str, Any]) -> None:
    [(path, problem)] = problems(stack, **inputs)
    assert path.split(".")[0].split("[")[0] in inputs
    assert problem.startswith("is the same key as ") and "once Terraform has normalized both to Unicode NFC" in problem


# -- a leading U+FEFF -----------------------------------------------------------------------------------------


def test_a_leading_byte_order_mark_is_kept(stack: TerraformStack, synth: Synth) -> None:
    variable = TerraformVariable(stack, "v", type="string")
    construct(
        stack,
        messages=[{"role": "user", "content": "\ufeffhello ${x}"}],
        instructions="\ufeff",
        metadata={"\ufeffkey": f"\ufeff{variable.string_value}"},
    )
    document = synth(stack)
    run = only(document, "openai_thread_run")
    assert evaluate_literal_template(run["instructions"]) == "\ufeff", "not unset: the provider would send nothing"
    assert evaluate_literal_template(only(document, "openai_thread")["messages"][0]["content"]) == "\ufeffhello ${x}"
    [(key, value)] = run["metadata"].items()
    assert evaluate(key, lambda _: "") == "\ufeffkey"
    assert evaluate(value, lambda expression: f"<{expression}>") == "\ufeff<var.v>"


# -- token markers that no token made ---------------------------------------------------------------------------


def number_marker(index: int, top: int = 0xFDFF) -> float:
    """A double that carries cdktf's number-token marker, for token number ``index``."""
    (value,) = struct.unpack("<d", struct.pack("<Q", (top << 48) | index))
    return float(value)


@pytest.mark.parametrize(
    ("inputs", "path", "marker"),
    [
        ({"messages": [{"role": "user", "content": "Why ${TfToken[TOKEN.99999]}?"}]}, "messages[0].content", None),
        ({"instructions": "see ${TfToken[TOKEN.99999]}"}, "instructions", None),
        ({"metadata": {"${TfToken[TOKEN.99999]}": "v"}}, "metadata['${TfToken[TOKEN.99999]}']", None),
        ({"assistant_id": "${TfToken[TOKEN.99999]}"}, "assistant_id", None),
        ({"instructions": f"n={number_marker(99999)}"}, "instructions", repr(number_marker(99999))),
        ({"temperature": number_marker(99999)}, "temperature", repr(number_marker(99999))),
        ({"rerun_triggers": {"&{TfToken[TOKEN.99999]}": "v"}}, "rerun_triggers", "&{TfToken[TOKEN.99999]}"),
    ],
)
def test_a_token_marker_no_token_made_is_refused(
    stack: TerraformStack, inputs: dict[str, Any], path: str, marker: str | None
) -> None:
    inputs = {"assistant_id": "asst_1", **inputs}
    with pytest.raises(ValidationError) as raised:
        ThreadRunConstruct(stack, "tr", **inputs)
    found = [p for p in raised.value.problems if "which no token of this program made" in p.problem]
    assert [p.path for p in found] == [path]
    assert f"holds the token marker {marker or '${TfToken[TOKEN.99999]}'!r}" in found[0].problem


def test_a_marker_in_a_list_of_the_wrong_shape_is_refused_too(stack: TerraformStack) -> None:
    with pytest.raises(ValidationError, match="holds the placeholder of a list or map token as text"):
        construct(stack, instructions="#{TfToken[TOKEN.99999]}")


def test_real_tokens_of_every_kind_pass(stack: TerraformStack, synth: Synth) -> None:
    variable = TerraformVariable(stack, "any", type="any")
    construct(
        stack,
        messages=[{"role": "user", "content": f"{variable.string_value} {variable.number_value} {Fn.upper('x')}"}],
        temperature=variable.number_value,
        metadata=Token.as_string_map(variable.value),
        rerun_triggers={"list": Fn.join(",", variable.list_value)},
    )
    synth(stack)


def test_text_from_terraform_that_looks_like_a_marker_is_the_way_to_send_one(stack: TerraformStack) -> None:
    construct(stack, messages=[{"role": "user", "content": Fn.join("", ["$", "{TfToken[TOKEN.99999]}"])}])
    output = only(__import__("json").loads(Testing.synth(stack)), "openai_thread")["messages"][0]["content"]
    assert output == '${join("", ["$", "{TfToken[TOKEN.99999]}"])}'


# -- literal parts around tokens --------------------------------------------------------------------------------


def test_literal_parts_around_tokens_are_checked_where_they_alone_break_a_rule(stack: TerraformStack) -> None:
    token = TerraformVariable(stack, "v", type="string").string_value
    found = problems(
        stack,
        metadata={"long": "x" * 600 + token, "k" * 65 + token: "v"},
        tools=[{"type": "function", "function": {"name": "not valid!" + token}}],
    )
    assert [path for path, _ in found] == [
        "tools[0].function.name",
        "metadata.long",
        key_path("metadata", "k" * 65 + token),
    ]
    assert (
        found[0][1] == "cannot be a valid function name whatever its tokens hold: its literal parts break the pattern"
    )


def test_literal_parts_that_may_still_fit_pass(stack: TerraformStack, synth: Synth) -> None:
    token = TerraformVariable(stack, "v", type="string").string_value
    construct(
        stack,
        # a token may stand for nothing; or compose with the non-ASCII text after it (é once with the accent)
        metadata={"k": "x" * 512 + token, "e" * 64 + token: "v", "k2": token + "\u0301" + "x" * 511},
        tools=[{"type": "function", "function": {"name": "lookup_" + token}}],
    )
    synth(stack)


def test_a_choice_whose_literal_parts_fit_no_option_is_refused(stack: TerraformStack) -> None:
    token = TerraformVariable(stack, "v", type="string").string_value
    found = problems(
        stack,
        messages=[{"role": f"x{token}", "content": "c"}],
        tools=[{"type": f"file_{token}"}],
        response_format={"type": f"{token}_schema"},
    )
    assert [path for path, _ in found] == ["messages[0].role", "tools[0].type", "response_format.type"]
    assert {problem for _, problem in found} == {
        "cannot be one of them whatever its tokens hold: its literal parts do not fit"
    }


def test_a_choice_whose_literal_parts_may_fit_passes(stack: TerraformStack, synth: Synth) -> None:
    token = TerraformVariable(stack, "v", type="string").string_value
    construct(
        stack,
        messages=[{"role": f"us{token}", "content": "c"}],
        tools=[{"type": f"code_{token}"}],
        response_format={"type": token},
    )
    synth(stack)


@pytest.mark.parametrize(
    ("template", "valid"),
    [("{}/v2", False), ("https://api.example.com/{}/v1beta", False), ("{}/v1/", True), ("{}1", True), ("x/{}", True)],
)
def test_an_api_url_whose_literal_end_cannot_be_v1_is_refused(template: str, valid: bool) -> None:
    stack = TerraformStack(Testing.app(), "s")
    api_url = template.format(TerraformVariable(stack, "url", type="string").string_value)
    if valid:
        OpenaiProvider(stack, "openai", api_url=api_url)
        return
    with pytest.raises(ValidationError, match="api_url: must end in /v1"):
        OpenaiProvider(stack, "openai", api_url=api_url)
