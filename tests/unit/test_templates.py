"""Text as data: free text and ``parameters`` reach Terraform's evaluation exactly as written.

Terraform evaluates every string of a ``.tf.json`` file as a template, so free text is escaped
(:func:`~openai_thread_run.templates.escape_text`) and parameters holding tokens are written as ``jsonencode(...)``
(:func:`~openai_thread_run.templates.jsonencode_template`). These tests check that in pure Python (properties of
the escaping, and :mod:`tests.template_eval`, a small evaluator of the templates cdktf writes), and for real:
stacks whose outputs hold the text are synthesized by cdktf and applied by Terraform 1.5.7 (no provider is
needed for outputs), and ``terraform output -json`` must equal the intended text byte for byte. Those tests
are skipped when the Terraform binary is missing, and fail instead under CI, which builds it first.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cdktf import App, Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token
from hypothesis import given
from hypothesis import strategies as st

from openai_thread_run import OpenaiProvider, ThreadRunConstruct
from openai_thread_run.templates import escape_text, jsonencode_template
from tests.template_eval import LiveTemplate, evaluate, evaluate_literal_template

# -- the variables every stack here declares, and their values ---------------------------------------------------

#: A string variable whose value is itself full of template syntax: Terraform never evaluates a value again.
S_VALUE = 'say "hi" \\ ${x} %{if y}z%{endif} } $ $${a} %%{b}\n\u00e9\U0001f600'
N_VALUE = 42.5
I_VALUE = 7
L_VALUE = ["a", S_VALUE, ""]
M_VALUE = {"k": S_VALUE, "${k}": "%{v}"}
A_VALUE: dict[str, Any] = {"deep": [1, S_VALUE, None, True, {"x": 0.5}]}
TFVARS: dict[str, Any] = {"s": S_VALUE, "n": N_VALUE, "i": I_VALUE, "l": L_VALUE, "m": M_VALUE, "a": A_VALUE}
#: How Terraform writes a number variable inside text.
NUMBER_TEXT = {"var.n": "42.5", "var.i": "7"}


@dataclass
class Vars:
    """The variables of one stack; each property makes a fresh token, as user code does."""

    s: TerraformVariable
    n: TerraformVariable
    i: TerraformVariable
    l: TerraformVariable  # noqa: E741 - named after the Terraform variable
    m: TerraformVariable
    a: TerraformVariable

    @classmethod
    def declare(cls, stack: TerraformStack) -> Vars:
        return cls(
            s=TerraformVariable(stack, "s", type="string"),
            n=TerraformVariable(stack, "n", type="number"),
            i=TerraformVariable(stack, "i", type="number"),
            l=TerraformVariable(stack, "l", type="list(string)"),
            m=TerraformVariable(stack, "m", type="map(string)"),
            a=TerraformVariable(stack, "a", type="any"),
        )


def resolve_variable(expression: str) -> str:
    """What Terraform interpolates for a reference to one of :data:`TFVARS` (for :func:`template_eval.evaluate`)."""
    if expression in NUMBER_TEXT:
        return NUMBER_TEXT[expression]
    if expression == "var.s":
        return S_VALUE
    if expression == "lower(var.s)":
        return S_VALUE.lower()
    raise AssertionError(f"unexpected expression ${{{expression}}}")


# -- text cases: each a list of parts, literal strings and the names of tokens --------------------------------

STR, NUM, INT, LOWER = "<s>", "<n>", "<i>", "<lower>"


def token_text(part: str, variables: Vars) -> str:
    """The text a user's f-string puts in place of ``part`` (a fresh token each time)."""
    return {
        STR: lambda: variables.s.string_value,
        NUM: lambda: str(variables.n.number_value),
        INT: lambda: str(variables.i.number_value),
        LOWER: lambda: Fn.lower(variables.s.string_value),
    }.get(part, lambda: part)()


def intended(parts: list[str]) -> str:
    """The text Terraform must produce from ``parts``: the text with the values, in Unicode NFC (as every string)."""
    values = {STR: S_VALUE, NUM: "42.5", INT: "7", LOWER: S_VALUE.lower()}
    return unicodedata.normalize("NFC", "".join(values.get(part, part) for part in parts))


TEXT_CASES: dict[str, list[str]] = {
    "literal template syntax": ["a ${b} %{c} $${d} %%{e} $$${f} %%%{g} f$"],
    "directive": ["%{ if true }yes%{ endif }"],
    "lone markers": ["${", " %{ ", "$", "%", "{", "}"],
    "our own escapes as text": ['${"$"}{ ${"$$"} $${"$"}'],
    "literal ${ then a token": ["pre ${ ", STR, " $"],
    "dollars before a token": ["$$", STR, "$$"],
    "one dollar before a token": ["{$", STR],
    "token then ${": [STR, "${x}", NUM, "%{"],
    "${ around a token": ["$$${", STR, "} and } ", NUM, "$"],
    "%{ around a token": ["%{", STR, "}%%{ "],
    "percent before a token": ["%", STR, "%%{"],
    "adjacent tokens": [STR, STR, NUM, INT],
    "dollar around a number": ["$", NUM, "$", INT, "$"],
    "only a number token": [NUM],
    "only a string token": [STR],
    "function token": ["lower: ${", LOWER, "}"],
    "quotes, backslashes and unicode": ['\\${"', STR, '"\\\n\t\u2028\u00e9\U0001f600 %{'],
    "a trailing run of dollars": [STR, " costs $$$"],
    "number tokens next to number characters": [NUM, "-", INT, ".", NUM, "e", INT, "+1|", NUM, "5 1", INT, NUM],
    "digits before a number token": ["v1.", INT, " 2e", NUM, " 3-", INT],
    "a leading byte order mark": ["\ufeffhello ${x}"],
    "only a byte order mark": ["\ufeff"],
    "a byte order mark before a token": ["\ufeff", STR, "\ufeff"],
    "text Terraform normalizes to NFC": ["cafe\u0301 ", STR, " \u0958 e\u0301"],
}


def random_text_cases(count: int, seed: int) -> dict[str, list[str]]:
    """Texts made of template-ish atoms and tokens, drawn with a fixed seed (the same every run)."""
    atoms = ["$", "$$", "%", "{", "}", "${", "%{", "$${", "%%{", '"', "\\", "\n", "x", "\u00e9", "1", "-", ".", "e"]
    atoms += [STR, NUM, INT]
    chooser = random.Random(seed)
    return {f"random {index}": chooser.choices(atoms, k=chooser.randint(1, 12)) for index in range(count)}


ALL_TEXT_CASES = {**TEXT_CASES, **random_text_cases(40, seed=20261124)}


# -- jsonencode cases: each a function of the variables giving (value with tokens, intended JSON value) ----------

#: Literal strings that are hard to write as JSON and as Terraform templates, placed beside a token.
HOSTILE_LITERALS = {
    "quotes": 'a "b" \\"c\\"',
    "backslashes": "\\ \\\\ \\n \\u0041",
    "templates": "${x} %{y} $${z} %%{w} $",
    "controls": "\x00\x01\x1f\x7f\u2028\u2029\ufeff\n\r\t",
    "unicode": "\u00e9\U0001f600\u202e",
    "braces": "}{ {} }}",
}
JSON_CASES: dict[str, Callable[[Vars], tuple[Any, Any]]] = {
    "string token": lambda v: ({"x": v.s.string_value}, {"x": S_VALUE}),
    "number token": lambda v: ({"x": v.n.number_value}, {"x": N_VALUE}),
    "integer token": lambda v: ({"x": v.i.number_value}, {"x": I_VALUE}),
    "list token": lambda v: ({"x": v.l.list_value}, {"x": L_VALUE}),
    "number list token": lambda v: ({"x": Token.as_number_list(v.l.value)}, {"x": L_VALUE}),
    "map token": lambda v: ({"x": Token.as_string_map(v.m.value)}, {"x": M_VALUE}),
    "kernel token": lambda v: ({"x": v.a.value}, {"x": A_VALUE}),
    "function token": lambda v: ({"x": Fn.lookup(v.m.value, "k", "-")}, {"x": S_VALUE}),
    "the whole value a map token": lambda v: (Token.as_string_map(v.m.value), M_VALUE),
    "token in text": lambda v: (
        {"x": f'q"\\ ${{ %{{ }}{v.s.string_value}\u2028\x01 \u00e9$'},
        {"x": f'q"\\ ${{ %{{ }}{S_VALUE}\u2028\x01 \u00e9$'},
    ),
    "number token in text": lambda v: ({"x": f"n=${v.n.number_value}$"}, {"x": "n=$42.5$"}),
    "only a number token as text": lambda v: ({"x": f"{v.i.number_value}"}, {"x": "7"}),
    "} right before a token": lambda v: ({"x": f"}}{v.s.string_value}}}"}, {"x": f"}}{S_VALUE}}}"}),
    "token in a key": lambda v: ({f"k-{v.s.string_value}": 1}, {f"k-{S_VALUE}": 1}),
    "nested": lambda v: (
        {"type": "object", "properties": {"a": [{"x": v.s.string_value, "y": [v.n.number_value, None, True]}]}},
        {"type": "object", "properties": {"a": [{"x": S_VALUE, "y": [N_VALUE, None, True]}]}},
    ),
    "hostile literal strings beside a token": lambda v: (
        {**HOSTILE_LITERALS, "token": v.s.string_value},
        {**HOSTILE_LITERALS, "token": S_VALUE},
    ),
    "numbers and literals": lambda v: (
        {"t": v.i.number_value, "f": 0.1, "tiny": 1e-7, "big": 2**53, "neg": -3, "no": False, "null": None, "e": {}},
        {"t": I_VALUE, "f": 0.1, "tiny": 1e-7, "big": 2**53, "neg": -3, "no": False, "null": None, "e": {}},
    ),
}


# -- pure Python: the escaping itself ------------------------------------------------------------------------

TEMPLATE_TEXT = st.text(
    st.sampled_from([*"$%{}\"'\\\n\tx e", "\u00e9", "\U0001f600", "\u2028", "\x00", "\ufeff", "\u0301"])
)


@given(text=TEMPLATE_TEXT)
def test_escaped_text_evaluates_back_to_the_text(text: str) -> None:
    escaped = escape_text(text)
    assert evaluate_literal_template(escaped) == text
    nfc = unicodedata.normalize("NFC", text)
    assert evaluate(escaped, resolve_variable) == nfc, "an independent evaluator agrees (Terraform normalizes)"


@given(text=st.text())
def test_text_without_template_syntax_is_written_unchanged(text: str) -> None:
    if "${" not in text and "%{" not in text and not text.startswith("\ufeff"):
        assert escape_text(text) == text


@pytest.mark.parametrize("text", ["\ufeff", "\ufeffhello", "\ufeff${x}", "\ufeff\ufeff"])
def test_a_leading_byte_order_mark_is_kept_as_an_interpolation(text: str) -> None:
    escaped = escape_text(text)
    assert escaped.startswith('${"\ufeff"}')
    assert evaluate(escaped, resolve_variable) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("${", "$${"),
        ("%{", "%%{"),
        ("$${", "$$${"),
        ("%%{", "%%%{"),
        ("echo ${HOME}", "echo $${HOME}"),
        ("`${a}` and %{ if x }", "`$${a}` and %%{ if x }"),
        ("$ % { } $$ %%", "$ % { } $$ %%"),
    ],
)
def test_literal_template_syntax_is_escaped(text: str, escaped: str) -> None:
    assert escape_text(text) == escaped


@pytest.mark.parametrize("live", ["${var.x}", "a %{ if true }b%{ endif }", "x ${"])
def test_the_evaluators_do_not_take_live_template_syntax_for_text(live: str) -> None:
    # The control for the round trips: unescaped text must not pass as evaluated.
    with pytest.raises(ValueError):
        evaluate_literal_template(live)
    try:
        result = evaluate(live, lambda expression: f"<{expression}>")
    except LiveTemplate:
        return
    assert result != live


def synthesized_outputs(build: Callable[[TerraformStack, Vars], dict[str, str]]) -> tuple[dict[str, Any], Any]:
    """Synthesize a stack with the variables and the outputs ``build`` returns (name -> value)."""
    stack = TerraformStack(Testing.app(), "templates")
    variables = Vars.declare(stack)
    for name, value in build(stack, variables).items():
        TerraformOutput(stack, name, value=value)
    document = json.loads(Testing.synth(stack))
    return document, variables


def text_outputs(stack: TerraformStack, variables: Vars) -> dict[str, str]:
    return {
        output_name(name): escape_text("".join(token_text(part, variables) for part in parts))
        for name, parts in ALL_TEXT_CASES.items()
    }


def output_name(case: str) -> str:
    """A Terraform output name for a case, unique for each case name."""
    return "o_" + hashlib.sha256(case.encode()).hexdigest()[:16]


@pytest.mark.parametrize("case", list(ALL_TEXT_CASES))
def test_text_with_tokens_evaluates_to_the_text_with_the_values(case: str) -> None:
    # cdktf resolves the tokens in the escaped text; what it writes must evaluate to the text with their values.
    document, _ = synthesized_outputs(
        lambda stack, variables: {
            "o": escape_text("".join(token_text(part, variables) for part in ALL_TEXT_CASES[case]))
        }
    )
    written = document["output"]["o"]["value"]
    assert evaluate(written, resolve_variable) == intended(ALL_TEXT_CASES[case])


@given(
    parts=st.lists(
        st.sampled_from(["$", "$$", "%", "{", "}", "${", "%{", "$${", "%%{", "x", "1", "-", ".", "e", STR, NUM, INT]),
        max_size=8,
    )
)
def test_any_mix_of_template_syntax_and_tokens_evaluates_to_the_text(parts: list[str]) -> None:
    document, _ = synthesized_outputs(
        lambda stack, variables: {"o": escape_text("".join(token_text(part, variables) for part in parts))}
    )
    assert evaluate(document["output"]["o"]["value"], resolve_variable) == intended(parts)


def test_jsonencode_template_quotes_literals_and_writes_tokens_bare() -> None:
    document, _ = synthesized_outputs(
        lambda stack, variables: {
            "o": jsonencode_template({"lit": "${x} %{y}", "s": variables.s.string_value}, Token.as_string)
        }
    )
    assert document["output"]["o"]["value"] == '${jsonencode({"lit" = "$${x} %%{y}", "s" = /*${*/var.s})}'


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_jsonencode_template_refuses_numbers_json_cannot_carry(bad: float) -> None:
    with pytest.raises(ValueError):
        jsonencode_template({"x": bad}, Token.as_string)


# -- real Terraform ------------------------------------------------------------------------------------------


def find_terraform() -> Path | str:
    """Return the Terraform binary ``scripts/setup-tools.sh`` builds, or why it cannot be used."""
    path = os.environ.get("OTR_TERRAFORM")
    if not path:
        cache = Path(os.environ.get("OTR_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"))
        tools_env = (cache if os.environ.get("OTR_CACHE") else cache / "openai-thread-run") / "tools" / "tools.env"
        if tools_env.exists():
            for line in tools_env.read_text().splitlines():
                key, _, value = line.partition("=")
                if key == "OTR_TERRAFORM":
                    path = value
    if not path:
        return "Terraform is not set up (OTR_TERRAFORM unset, no tools.env): run scripts/setup-tools.sh"
    if not Path(path).is_file():
        return f"Terraform binary missing: {path} (run scripts/setup-tools.sh)"
    return Path(path)


@pytest.fixture(scope="module")
def terraform() -> Path:
    found = find_terraform()
    if isinstance(found, str):
        if os.environ.get("CI"):
            pytest.fail(f"CI builds Terraform before the tests run: {found}")
        pytest.skip(found)
    return found


def apply_outputs(terraform: Path, document: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """``terraform init`` + ``apply`` of ``document`` (variables from :data:`TFVARS`); return each output's value."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "main.tf.json").write_text(json.dumps(document))
    (workdir / "terraform.tfvars.json").write_text(json.dumps(TFVARS))
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(workdir),  # no ~/.terraformrc; outputs need no provider
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
    }
    for command in (["init", "-input=false"], ["apply", "-auto-approve", "-input=false"], ["output", "-json"]):
        result = subprocess.run(
            [str(terraform), *command, "-no-color"],
            cwd=workdir,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"terraform {command[0]} failed:\n{result.stdout}\n{result.stderr}"
    return {name: output["value"] for name, output in json.loads(result.stdout).items()}


@pytest.fixture(scope="module")
def applied_text(terraform: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    document, _ = synthesized_outputs(text_outputs)
    yield apply_outputs(terraform, document, tmp_path_factory.mktemp("text"))


@pytest.mark.parametrize("case", list(ALL_TEXT_CASES))
def test_terraform_evaluates_escaped_text_to_exactly_the_text(applied_text: dict[str, Any], case: str) -> None:
    assert as_text(applied_text[output_name(case)]) == intended(ALL_TEXT_CASES[case])


def as_text(value: Any) -> str:
    """An output as a string attribute would hold it: an output of one number token is a number, 42.5 -> "42.5"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    assert isinstance(value, str), value
    return value


@pytest.fixture(scope="module")
def applied_json(terraform: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    document, _ = synthesized_outputs(
        lambda stack, variables: {
            output_name(name): jsonencode_template(make(variables)[0], Token.as_string)
            for name, make in JSON_CASES.items()
        }
    )
    yield apply_outputs(terraform, document, tmp_path_factory.mktemp("json"))


@pytest.mark.parametrize("case", list(JSON_CASES))
def test_terraform_jsonencode_gives_exactly_the_intended_json(applied_json: dict[str, Any], case: str) -> None:
    stack = TerraformStack(App(), "intended")
    _, want = JSON_CASES[case](Vars.declare(stack))
    produced = applied_json[output_name(case)]
    assert json.loads(produced) == want
    assert json.loads(produced, parse_constant=lambda name: pytest.fail(f"{name} in {produced}"))


#: Free text in every input of the construct that takes it, with template syntax and tokens.
CONTENT_PARTS = ["Explain ${var.x} and %{ if true }x%{ endif } to ", STR, " (", NUM, " points) $${lit} %%{lit} $"]
DESCRIPTION_PARTS = ["Runs `echo ${HOME}` in ", STR, "; cost: $", INT]


@pytest.fixture(scope="module")
def construct_emitted(terraform: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Synthesize a ThreadRunConstruct, copy what it wrote for each free-text input into outputs, apply them."""
    stack = TerraformStack(Testing.app(), "construct")
    variables = Vars.declare(stack)
    OpenaiProvider(stack, "openai")

    def text(parts: list[str]) -> str:
        return "".join(token_text(part, variables) for part in parts)

    ThreadRunConstruct(
        stack,
        "run",
        assistant_id="asst_1",
        create_new_thread=False,
        existing_thread_id="thread_1",
        messages=[{"role": "user", "content": text(CONTENT_PARTS), "metadata": {text(["${k}"]): text(["%{v}", STR])}}],
        instructions=text(["${not.a.reference}", STR]),
        metadata={"${key}": text([NUM, "${"])},
        tools=[
            {
                "type": "function",
                "function": {
                    "name": "echo",
                    "description": text(DESCRIPTION_PARTS),
                    "parameters": {"type": "object", "description": "${x}", "default": variables.s.string_value},
                },
            }
        ],
    )
    resources = json.loads(Testing.synth(stack))["resource"]
    (message,) = resources["openai_message"].values()
    (run,) = resources["openai_thread_run"].values()
    function = run["tools"][0]["function"][0]
    emitted = {
        "content": message["content"],
        "message_metadata": message["metadata"],  # map keys are templates too: each map is an object output
        "instructions": run["instructions"],
        "metadata": run["metadata"],
        "description": function["description"],
        "parameters": function["parameters"],
    }
    document = {"variable": ALL_VARIABLES, "output": {name: {"value": value} for name, value in emitted.items()}}
    return apply_outputs(terraform, document, tmp_path_factory.mktemp("construct"))


#: Declarations of every variable in :data:`TFVARS` (terraform.tfvars.json sets them all).
ALL_VARIABLES = {
    "s": {"type": "string"},
    "n": {"type": "number"},
    "i": {"type": "number"},
    "l": {"type": "list(string)"},
    "m": {"type": "map(string)"},
    "a": {"type": "any"},
}


def test_terraform_sends_the_constructs_free_text_exactly_as_written(construct_emitted: dict[str, Any]) -> None:
    assert construct_emitted["content"] == intended(CONTENT_PARTS)
    assert construct_emitted["message_metadata"] == {"${k}": "%{v}" + S_VALUE}
    assert construct_emitted["instructions"] == "${not.a.reference}" + S_VALUE
    assert construct_emitted["metadata"] == {"${key}": "42.5${"}
    assert construct_emitted["description"] == intended(DESCRIPTION_PARTS)
    assert json.loads(construct_emitted["parameters"]) == {"type": "object", "description": "${x}", "default": S_VALUE}
