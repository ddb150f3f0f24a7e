"""Every validation rule of ThreadRunConstruct: the problem it reports, with its input path, all at once.

Also the findings of the adversarial fuzz run that led to the core rewrite, one test each (the ``finding``
section): each of those failed on the code before it.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from cdktf import App, Fn, TerraformStack, TerraformVariable, Testing, Token
from cdktf_cdktf_provider_null.provider import NullProvider
from constructs import Construct

from openai_thread_run import (
    CodeInterpreterTool,
    FunctionDefinition,
    FunctionTool,
    Message,
    OpenaiProvider,
    Problem,
    ThreadRunConstruct,
    ValidationError,
    warnings_of,
)
from tests.conftest import Synth, only, resources, waiter
from tests.hostile import Agreeable, Anything, Exploding, Liar, NoRepr, Shifty
from tests.template_eval import evaluate, evaluate_literal_template

FUNCTION = {"name": "get_weather", "description": "Weather.", "parameters": {"type": "object"}}
#: What Terraform accepts as a resource or data source name.
TERRAFORM_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"


def error_of(stack: TerraformStack, id: Any = "tr", **inputs: Any) -> ValidationError:
    """Construct with ``inputs`` (assistant_id defaults to a valid one); return the ValidationError it raises."""
    inputs.setdefault("assistant_id", "asst_1")
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(stack, id, **inputs)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.problems, "a ValidationError lists at least one problem"
    assert str(error).count("\n  - ") == len(error.problems), "one line per problem"
    return error


def problems_of(stack: TerraformStack, **inputs: Any) -> tuple[Problem, ...]:
    return error_of(stack, **inputs).problems


def paths_of(stack: TerraformStack, **inputs: Any) -> list[str]:
    return [problem.path for problem in problems_of(stack, **inputs)]


def only_problem(stack: TerraformStack, **inputs: Any) -> Problem:
    found = problems_of(stack, **inputs)
    assert len(found) == 1, [str(problem) for problem in found]
    return found[0]


def accepts(stack: TerraformStack, **inputs: Any) -> ThreadRunConstruct:
    inputs.setdefault("assistant_id", "asst_1")
    return ThreadRunConstruct(stack, "tr", **inputs)


def run_of(document: dict[str, Any]) -> dict[str, Any]:
    return only(document, "openai_thread_run")


def function_tool(**function: Any) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {**FUNCTION, **function}}]


def emitted_function(document: dict[str, Any]) -> dict[str, Any]:
    function: dict[str, Any] = run_of(document)["tools"][0]["function"][0]
    return function


def is_path_into(path: str, *steps: str | int) -> bool:
    """Whether ``path`` leads into the value at ``steps`` (name, then .key and [index], as every check writes)."""
    pattern = "".join(
        rf"\[{step}\]" if isinstance(step, int) else rf"\.{step}" if position else step
        for position, step in enumerate(steps)
    )
    return re.match(pattern + r"(?:[.\[]|$)", path) is not None


def names_in(document: dict[str, Any]) -> list[str]:
    """Every resource and data source name in a synthesized document."""
    return [name for section in ("resource", "data") for kind in document.get(section, {}).values() for name in kind]


# -- the finding of each kind, as the issue lists them ------------------------------------------------------------


class TestFindings:
    """One test per finding of the fuzz run on the code before the rewrite; each failed there."""

    def test_free_text_is_not_a_template(self, stack: TerraformStack, synth: Synth) -> None:
        # Terraform evaluated ${...} and %{...} in prompts: ${var.x} became the variable's value, $${lit} lost a $.
        TerraformVariable(stack, "x", type="string", default="INJECTED")
        text = 'Explain ${var.x} please; `echo ${HOME}`; $${lit} %{ if true }x%{ endif } %%{y} ${file("/etc/passwd")}'
        accepts(
            stack,
            create_new_thread=False,
            existing_thread_id="thread_1",
            messages=[{"role": "user", "content": text, "metadata": {"${k}": text}}],
            instructions=text,
            metadata={"note": text},
            tools=function_tool(description=text),
        )
        document = synth(stack)
        message = only(document, "openai_message")
        run = run_of(document)
        written = [
            message["content"],
            message["metadata"]["$${k}"],
            run["instructions"],
            run["metadata"]["note"],
            emitted_function(document)["description"],
        ]
        assert [evaluate_literal_template(value) for value in written] == [text] * 5
        assert "INJECTED" not in json.dumps(document["resource"])

    def test_a_raw_interpolation_is_no_function_name(self, stack: TerraformStack) -> None:
        # A string holding ${ counted as a token, so the name check was skipped.
        problem = only_problem(stack, tools=function_tool(name="${not a name}"))
        assert problem.path == "tools[0].function.name"

    def test_tokens_inside_parameters_go_through_jsonencode(self, stack: TerraformStack, synth: Synth) -> None:
        # A string variable was spliced raw into the JSON text, a map token became cdktf's placeholder text.
        text = TerraformVariable(stack, "text", type="string")
        table = TerraformVariable(stack, "table", type="map(string)")
        accepts(
            stack,
            tools=function_tool(parameters={"type": "object", "default": text.string_value, "enum": table.value}),
        )
        parameters = emitted_function(synth(stack))["parameters"]
        assert parameters == (
            '${jsonencode({"type" = "object", "default" = /*${*/var.text, "enum" = /*${*/var.table})}'
        )
        assert "TfToken" not in parameters and "Token Value" not in parameters

    def test_a_map_token_merged_with_literal_keys_is_a_validation_error(self, stack: TerraformStack) -> None:
        # It failed inside jsii at synth.
        labels = TerraformVariable(stack, "labels", type="map(string)")
        problem = only_problem(stack, metadata={**Token.as_string_map(labels.value), "team": "x"})
        assert problem.path == "metadata"
        assert "Fn.merge" in problem.problem

    def test_a_map_token_for_the_provider_timeout_is_a_validation_error(self) -> None:
        stack = TerraformStack(Testing.app(), "s")
        settings = TerraformVariable(stack, "settings", type="map(string)")
        with pytest.raises(ValidationError) as caught:
            OpenaiProvider(stack, "openai", timeout=Token.as_string_map(settings.value))  # type: ignore[arg-type]
        assert [problem.path for problem in caught.value.problems] == ["timeout"]

    def test_an_int_enum_is_its_integer(self, stack: TerraformStack, synth: Synth) -> None:
        # AttributeError: __jsii_type__ at synth.
        class Budget(enum.IntEnum):
            LARGE = 4096

        accepts(stack, max_completion_tokens=Budget.LARGE)
        emitted = run_of(synth(stack))["max_completion_tokens"]
        assert emitted == 4096 and type(emitted) is int

    @pytest.mark.parametrize("form", ["dict", "json"])
    def test_parameters_nested_a_thousand_deep_are_a_validation_error(self, stack: TerraformStack, form: str) -> None:
        # RecursionError.
        deep: dict[str, Any] = {"type": "string"}
        for _ in range(1000):
            deep = {"type": "object", "properties": {"x": deep}}
        text = '{"type": "object", "properties": {"x": ' * 1000 + '{"type": "string"}' + "}}" * 1000
        problem = only_problem(stack, tools=function_tool(parameters=deep if form == "dict" else text))
        assert is_path_into(problem.path, "tools", 0, "function", "parameters")
        assert "nested more than 64 levels deep" in problem.problem

    @pytest.mark.parametrize("form", ["dict", "json"])
    def test_parameters_too_deep_are_one_problem_at_the_first_container_too_deep(
        self, stack: TerraformStack, form: str
    ) -> None:
        # 40 schema levels are 80 JSON levels: every Python parses that, so the depth check (not a RecursionError
        # of the JSON parser, as at 1,000 levels on Python 3.11) finds it; a sibling leaf is no second problem.
        deep: dict[str, Any] = {"type": "string"}
        for _ in range(40):
            deep = {"type": "object", "properties": {"x": deep}}
        problem = only_problem(stack, tools=function_tool(parameters=deep if form == "dict" else json.dumps(deep)))
        assert is_path_into(problem.path, "tools", 0, "function", "parameters")
        assert "nested more than 64 levels deep" in problem.problem

    @pytest.mark.parametrize("bad_id", ["", None])
    def test_an_empty_or_missing_id_is_a_validation_error(self, stack: TerraformStack, bad_id: Any) -> None:
        assert only_problem(stack, id=bad_id).path == "id"

    def test_a_fractional_provider_timeout_is_a_validation_error(self) -> None:
        # The provider's timeout is whole seconds: Terraform rejected 1.5 at plan.
        with pytest.raises(ValidationError) as caught:
            OpenaiProvider(TerraformStack(Testing.app(), "s"), "openai", timeout=1.5)
        assert [problem.path for problem in caught.value.problems] == ["timeout"]

    def test_a_function_name_with_a_trailing_newline_is_a_validation_error(self, stack: TerraformStack) -> None:
        # re.match with $ accepted "f\n".
        assert only_problem(stack, tools=function_tool(name="f\n")).path == "tools[0].function.name"

    @pytest.mark.parametrize("number", ["Infinity", "-Infinity", "NaN", "1e400"])
    def test_parameters_with_numbers_json_has_not_are_a_validation_error(
        self, stack: TerraformStack, number: str
    ) -> None:
        # Python's lenient JSON parser accepted them; the provider did not.
        problem = only_problem(stack, tools=function_tool(parameters=f'{{"type": "object", "max": {number}}}'))
        assert problem.path.startswith("tools[0].function.parameters")

    @pytest.mark.parametrize("alias", ["1a", "a b", "-a"])
    def test_a_provider_alias_that_is_no_identifier_is_a_validation_error(self, alias: str) -> None:
        with pytest.raises(ValidationError) as caught:
            OpenaiProvider(TerraformStack(Testing.app(), "s"), "openai", alias=alias)
        assert [problem.path for problem in caught.value.problems] == ["alias"]

    def test_a_second_default_provider_is_a_validation_error(self) -> None:
        # Terraform: Duplicate provider configuration.
        stack = TerraformStack(Testing.app(), "s")
        OpenaiProvider(stack, "openai")
        with pytest.raises(ValidationError) as caught:
            OpenaiProvider(stack, "openai2")
        (problem,) = caught.value.problems
        assert problem.path == "alias"
        assert "Duplicate provider configuration" in problem.problem

    @pytest.mark.parametrize("bad_id", ["1run", "-run", "9"])
    def test_an_id_that_makes_invalid_terraform_names_is_a_validation_error(
        self, stack: TerraformStack, bad_id: str
    ) -> None:
        assert only_problem(stack, id=bad_id).path == "id"

    def test_the_thread_choice_reports_every_problem(self, stack: TerraformStack) -> None:
        # Only the first was reported.
        paths = paths_of(stack, create_new_thread="no", existing_thread_id=123)
        assert sorted(paths) == ["create_new_thread", "existing_thread_id"]

    def test_a_tool_of_a_wrong_type_still_has_its_function_checked(self, stack: TerraformStack) -> None:
        paths = paths_of(stack, tools=[{"type": "web", "function": {"name": "bad name", "parameters": "[]"}}])
        assert paths == ["tools[0].type", "tools[0].function.name", "tools[0].function.parameters"]

    def test_a_number_token_is_accepted_where_terraform_converts_it_to_a_string(
        self, stack: TerraformStack, synth: Synth
    ) -> None:
        model = TerraformVariable(stack, "model_version", type="number")
        accepts(stack, model=model.number_value)
        assert run_of(synth(stack))["model"] == "${var.model_version}"

    @pytest.mark.parametrize("attribute", ["value", "boolean_value"])
    def test_a_bool_variable_is_no_metadata(self, stack: TerraformStack, attribute: str) -> None:
        flag = TerraformVariable(stack, "flag", type="bool")
        problem = only_problem(stack, metadata=getattr(flag, attribute))
        assert problem.path == "metadata"
        assert "bool" in problem.problem

    def test_a_str_whose_eq_always_agrees_is_compared_as_its_text(self, stack: TerraformStack) -> None:
        # It passed role and type checks, and "system" was emitted.
        paths = paths_of(
            stack,
            messages=[{"role": Agreeable("system"), "content": "hi"}],
            tools=[{"type": Agreeable("retrieval")}],
        )
        assert paths == ["messages[0].role", "tools[0].type"]

    def test_a_mapping_that_changes_is_read_once_and_emitted_as_checked(
        self, stack: TerraformStack, synth: Synth
    ) -> None:
        # It was checked once, then read again for the JSON, where it held something else.
        changing = Shifty({"team": ["platform", "x" * 600]})
        accepts(stack, metadata=changing)
        assert run_of(synth(stack))["metadata"] == {"team": "platform"}
        assert changing.reads == {"team": 1}


# -- construct id and scope ------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", [None, 42, b"tr", ("t", "r")])
def test_id_must_be_a_string(stack: TerraformStack, bad_id: Any) -> None:
    problem = only_problem(stack, id=bad_id)
    assert (problem.path, problem.problem) == ("id", "of the ThreadRunConstruct must be a string")


def test_id_must_not_be_empty(stack: TerraformStack) -> None:
    problem = only_problem(stack, id="")
    assert (problem.path, problem.problem) == ("id", "of the ThreadRunConstruct must not be empty")


@pytest.mark.parametrize(
    ("bad_id", "kept"), [("1run", "1run"), ("-run", "-run"), ("\u00fc-run", "-run"), (".9", "9"), ("\n", "--")]
)
def test_id_must_not_start_terraform_names_with_a_digit_or_dash(stack: TerraformStack, bad_id: str, kept: str) -> None:
    problem = only_problem(stack, id=bad_id)
    assert problem.path == "id"
    assert f"cdktf keeps {kept!r} of it" in problem.problem
    assert "must start with a letter or _" in problem.problem


@pytest.mark.parametrize("good_id", ["run", "_run", "Run-1", "a/b", ".run", "!!!", "\u00fc", "Default", "Resource"])
def test_ids_cdktf_turns_into_valid_terraform_names_are_accepted(good_id: str, synth: Synth) -> None:
    # An id of only characters cdktf drops ("!!!") is fine: the names then start with the _ that joins the parts.
    stack = TerraformStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    ThreadRunConstruct(stack, good_id, assistant_id="asst_1", create_new_thread=False, existing_thread_id="t")
    names = names_in(synth(stack))
    assert names
    for name in names:
        assert re.fullmatch(TERRAFORM_NAME, name), name


def test_a_token_id_is_rejected(stack: TerraformStack) -> None:
    variable = TerraformVariable(stack, "name", type="string")
    problem = only_problem(stack, id=variable.string_value)
    assert problem.path == "id"
    assert "literal" in problem.problem


def test_a_str_subclass_id_is_checked_as_its_text(stack: TerraformStack) -> None:
    class Disguised(str):
        def replace(self, *args: Any, **kwargs: Any) -> str:
            return "run"

    assert only_problem(stack, id=Disguised("1run")).path == "id"


def test_a_scope_whose_id_starts_names_with_a_digit_is_rejected(stack: TerraformStack) -> None:
    group = Construct(stack, "1st-group")
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(Construct(group, "inner"), "tr", assistant_id="asst_1")
    (problem,) = caught.value.problems
    assert problem.path == "scope"
    assert "'1st-group'" in problem.problem


def test_a_nested_scope_with_valid_ids_is_accepted(stack: TerraformStack, synth: Synth) -> None:
    ThreadRunConstruct(Construct(Construct(stack, "group"), "1-inner"), "tr", assistant_id="asst_1")
    assert all(name.startswith("group_1-inner_tr_") for name in names_in(synth(stack)))


def test_a_duplicate_id_is_rejected(stack: TerraformStack) -> None:
    accepts(stack)
    problem = only_problem(stack)
    assert (problem.path, problem.problem) == ("id", "is already the id of another construct in this scope")


def test_a_duplicate_id_is_listed_with_the_other_problems(stack: TerraformStack) -> None:
    accepts(stack)
    assert paths_of(stack, temperature=3) == ["id", "temperature"]


@pytest.mark.parametrize("scope", ["stack", None, 42])
def test_scope_must_be_a_construct(scope: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(scope, "tr", assistant_id="asst_1")
    assert [(problem.path, problem.problem) for problem in caught.value.problems] == [("scope", "must be a construct")]


@pytest.mark.parametrize("where", ["app", "free construct"])
def test_scope_must_be_inside_a_stack(where: str) -> None:
    scope = Testing.app() if where == "app" else Construct(App(), "loose")
    with pytest.raises(ValidationError) as caught:
        ThreadRunConstruct(scope, "tr", assistant_id="asst_1")
    assert [(problem.path, problem.problem) for problem in caught.value.problems] == [
        ("scope", "is not inside a TerraformStack")
    ]


# -- assistant and thread choice --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "must not be empty"), (None, "is required"), (42, "must be a string"), (["a"], "must be a string")],
)
def test_assistant_id_must_be_a_non_empty_string(stack: TerraformStack, value: Any, message: str) -> None:
    problem = only_problem(stack, assistant_id=value)
    assert (problem.path, problem.problem) == ("assistant_id", message)


def test_a_raw_interpolation_in_an_id_is_a_terraform_expression(stack: TerraformStack, synth: Synth) -> None:
    # Inputs that name things keep ${...} as an expression, the escape hatch of Terraform users.
    TerraformVariable(stack, "assistant", type="string")
    TerraformVariable(stack, "thread", type="string")
    accepts(
        stack,
        assistant_id="${var.assistant}",
        create_new_thread=False,
        existing_thread_id="${var.thread}",
        model="gpt-${var.assistant}",
    )
    run = run_of(synth(stack))
    assert (run["assistant_id"], run["existing_thread_id"], run["model"]) == (
        "${var.assistant}",
        "${var.thread}",
        "gpt-${var.assistant}",
    )


def test_existing_thread_needs_an_id(stack: TerraformStack) -> None:
    problem = only_problem(stack, create_new_thread=False)
    assert (problem.path, problem.problem) == ("existing_thread_id", "is required when create_new_thread is False")


def test_existing_thread_id_must_not_be_empty(stack: TerraformStack) -> None:
    problem = only_problem(stack, create_new_thread=False, existing_thread_id="")
    assert (problem.path, problem.problem) == ("existing_thread_id", "must not be empty")


def test_existing_thread_id_with_a_new_thread_is_an_error(stack: TerraformStack) -> None:
    problem = only_problem(stack, existing_thread_id="thread_1")
    assert problem.path == "existing_thread_id"
    assert problem.problem.startswith("must not be set when create_new_thread is True")


def test_thread_metadata_with_an_existing_thread_is_an_error(stack: TerraformStack) -> None:
    problem = only_problem(stack, create_new_thread=False, existing_thread_id="thread_1", thread_metadata={"a": "b"})
    assert problem.path == "thread_metadata"
    assert problem.problem.startswith("only applies to a new thread")


@pytest.mark.parametrize("flag", ["yes", 1, None, "token"])
def test_create_new_thread_must_be_a_literal_bool(stack: TerraformStack, flag: Any) -> None:
    if flag == "token":
        flag = TerraformVariable(stack, "flag", type="bool").boolean_value
    problem = only_problem(stack, create_new_thread=flag)
    assert problem.path == "create_new_thread"
    assert problem.problem.startswith("must be a literal bool")


# -- messages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "message"), [("system", "is not allowed"), ("User", "is not allowed"), (1, "must be a string")]
)
def test_message_role_must_be_user_or_assistant(stack: TerraformStack, role: Any, message: str) -> None:
    problem = only_problem(stack, messages=[{"role": "user", "content": "a"}, {"role": role, "content": "b"}])
    assert (problem.path, problem.problem, problem.expected) == ("messages[1].role", message, "'user' or 'assistant'")


def test_a_raw_interpolation_is_no_role(stack: TerraformStack) -> None:
    problem = only_problem(stack, messages=[{"role": "${var.role}", "content": "b"}])
    assert problem.path == "messages[0].role"


def test_a_token_role_is_accepted(stack: TerraformStack, synth: Synth) -> None:
    role = TerraformVariable(stack, "role", type="string")
    accepts(stack, messages=[{"role": role.string_value, "content": "hi"}])
    assert only(synth(stack), "openai_thread")["messages"][0]["role"] == "${var.role}"


@pytest.mark.parametrize(
    ("message", "path", "problem"),
    [
        ({"role": "user", "content": ""}, "messages[0].content", "must not be empty"),
        ({"role": "user"}, "messages[0].content", "is required"),
        ({"role": "user", "content": 7}, "messages[0].content", "must be a string"),
        ({"role": "user", "content": b"hi"}, "messages[0].content", "must be a string"),
        ({"role": "user", "content": "a", "text": "b"}, "messages[0]", "has unknown key 'text'"),
        ("hello", "messages[0]", "must be a message mapping"),
    ],
)
def test_each_message_is_checked(stack: TerraformStack, message: Any, path: str, problem: str) -> None:
    found = only_problem(stack, messages=[message])
    assert (found.path, found.problem) == (path, problem)


@pytest.mark.parametrize("messages", ["hello", {"role": "user", "content": "a"}, 3])
def test_messages_must_be_a_list(stack: TerraformStack, messages: Any) -> None:
    problem = only_problem(stack, messages=messages)
    assert (problem.path, problem.problem) == ("messages", "must be a list")


def test_messages_must_be_a_literal_list(stack: TerraformStack) -> None:
    listed = TerraformVariable(stack, "messages", type="list(string)")
    problem = only_problem(stack, messages=listed.list_value)
    assert problem.path == "messages"
    assert problem.problem.startswith("must be a literal list")


def test_message_dataclasses_and_tuples_are_accepted(stack: TerraformStack, synth: Synth) -> None:
    accepts(stack, messages=(Message("user", "a", {"k": "v"}), {"role": "assistant", "content": "b"}))
    assert only(synth(stack), "openai_thread")["messages"] == [
        {"role": "user", "content": "a", "metadata": {"k": "v"}},
        {"role": "assistant", "content": "b"},
    ]


# -- metadata maps ---------------------------------------------------------------------------------------------

METADATA_INPUTS = ["metadata", "thread_metadata", "messages[0].metadata"]


def with_metadata(where: str, value: Any) -> dict[str, Any]:
    if where == "messages[0].metadata":
        return {"messages": [{"role": "user", "content": "c", "metadata": value}]}
    return {where: value}


@pytest.mark.parametrize("where", METADATA_INPUTS)
@pytest.mark.parametrize(
    ("value", "path", "problem"),
    [
        ({f"k{n}": "v" for n in range(17)}, "", "has 17 keys, more than 16"),
        ({"k" * 65: "v"}, "." + "k" * 65, "key is longer than 64 characters"),
        ({"k": "v" * 513}, ".k", "value is longer than 512 characters"),
        ({"__proto__": "v"}, ".__proto__", "key cannot be used"),
        ({"//": "v"}, "['//']", "key cannot be used"),
        ({1: "v"}, "[1]", "key must be a string"),
        ({"k": 1}, ".k", "must be a string"),
        ("k=v", "", "must be a map of strings"),
    ],
)
def test_metadata_limits(stack: TerraformStack, where: str, value: Any, path: str, problem: str) -> None:
    found = only_problem(stack, **with_metadata(where, value))
    assert found.path == where + path
    assert found.problem.startswith(problem), found.problem


@pytest.mark.parametrize("where", METADATA_INPUTS)
def test_metadata_at_the_limits_is_accepted(stack: TerraformStack, synth: Synth, where: str) -> None:
    value = {f"k{n}": "v" for n in range(15)} | {"k" * 64: "v" * 512}
    accepts(stack, **with_metadata(where, value))
    document = synth(stack)
    emitted = {
        "metadata": lambda: run_of(document)["metadata"],
        "thread_metadata": lambda: only(document, "openai_thread")["metadata"],
        "messages[0].metadata": lambda: only(document, "openai_thread")["messages"][0]["metadata"],
    }[where]()
    assert emitted == value


# -- tools ------------------------------------------------------------------------------------------------------


def test_at_most_twenty_tools(stack: TerraformStack) -> None:
    accepts(stack, tools=[{"type": "code_interpreter"}] * 20)
    problem = only_problem(TerraformStack(Testing.app(), "s"), tools=[{"type": "code_interpreter"}] * 21)
    assert (problem.path, problem.problem) == ("tools", "has 21 tools, more than 20")


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("file_search", "provider 1.2.0 cannot send file_search tools"),
        ("retrieval", "the Assistants v2 API rejects 'retrieval'"),
        ("web", "is not allowed"),
        ("${var.type}", "is not allowed"),
        (3, "must be a string"),
    ],
)
def test_tool_type_is_code_interpreter_or_function(stack: TerraformStack, kind: Any, problem: str) -> None:
    found = only_problem(stack, tools=[{"type": kind}])
    assert found.path == "tools[0].type"
    assert found.problem.startswith(problem)


@pytest.mark.parametrize(
    ("tool", "path", "problem"),
    [
        ({"type": "code_interpreter", "function": FUNCTION}, "tools[0].function", "only applies to function tools"),
        ({"type": "function"}, "tools[0].function", "is required for a function tool"),
        ({"type": "code_interpreter", "extra": 1}, "tools[0]", "has unknown key 'extra'"),
        ({"type": "function", "function": {**FUNCTION, "strict": True}}, "tools[0].function", "has unknown key"),
        ({"type": "function", "function": "get_weather"}, "tools[0].function", "must be a function mapping"),
        ("code_interpreter", "tools[0]", "must be a tool mapping"),
    ],
)
def test_each_tool_is_checked(stack: TerraformStack, tool: Any, path: str, problem: str) -> None:
    found = only_problem(stack, tools=[tool])
    assert found.path == path
    assert found.problem.startswith(problem)


def test_tools_must_be_a_literal_list(stack: TerraformStack) -> None:
    listed = TerraformVariable(stack, "tools", type="list(string)")
    assert only_problem(stack, tools=listed.list_value).problem.startswith("must be a literal list")
    assert only_problem(TerraformStack(Testing.app(), "s"), tools="code_interpreter").problem == "must be a list"


@pytest.mark.parametrize("name", ["f\n", "${not a name}", "", "a b", "a" * 65, "n\u00e4me", 42, None])
def test_function_name_must_match_the_pattern(stack: TerraformStack, name: Any) -> None:
    problem = only_problem(stack, tools=function_tool(name=name))
    assert (problem.path, problem.problem) == ("tools[0].function.name", "is not a valid function name")


@pytest.mark.parametrize("name", ["f", "get_weather-2", "a" * 64, "0"])
def test_function_names_matching_the_pattern_are_accepted(stack: TerraformStack, synth: Synth, name: str) -> None:
    accepts(stack, tools=[FunctionTool(FunctionDefinition(name=name))])
    assert emitted_function(synth(stack))["name"] == name


@pytest.mark.parametrize("kind", ["string", "number"])
def test_a_token_function_name_is_accepted(stack: TerraformStack, synth: Synth, kind: str) -> None:
    variable = TerraformVariable(stack, "name", type=kind)
    name = variable.string_value if kind == "string" else variable.number_value
    accepts(stack, tools=function_tool(name=name))
    assert emitted_function(synth(stack))["name"] == "${var.name}"


def test_a_list_token_is_no_function_name(stack: TerraformStack) -> None:
    names = TerraformVariable(stack, "names", type="list(string)")
    problem = only_problem(stack, tools=function_tool(name=names.list_value))
    assert problem.path == "tools[0].function.name"
    assert "list token" in problem.problem


def test_function_description_must_be_a_string(stack: TerraformStack) -> None:
    problem = only_problem(stack, tools=function_tool(description=["d"]))
    assert (problem.path, problem.problem) == ("tools[0].function.description", "must be a string")


@pytest.mark.parametrize(
    ("parameters", "path", "problem"),
    [
        ("[1]", "", "must be a JSON object"),
        ('"x"', "", "must be a JSON object"),
        ("1", "", "must be a JSON object"),
        ("{", "", "is not valid JSON"),
        ('{"max": Infinity}', "", "is not valid JSON (Infinity is not JSON)"),
        ('{"max": NaN}', "", "is not valid JSON (NaN is not JSON)"),
        ('{"max": 1e400}', ".max", "must be finite"),
        ({"max": float("inf")}, ".max", "must be finite"),
        ({"max": 2**53 + 1}, ".max", "is an integer beyond 2**53"),
        ({1: "x"}, "[1]", "key must be a string"),
        ({"x": {1, 2}}, ".x", "set is not a JSON value"),
        (["type", "object"], "", "must be a dict or a JSON string"),
        (7, "", "must be a dict or a JSON string"),
        ("[" * 100_000, "", "is nested more than 64 levels deep"),
    ],
)
def test_function_parameters_must_be_a_json_object(
    stack: TerraformStack, parameters: Any, path: str, problem: str
) -> None:
    found = only_problem(stack, tools=function_tool(parameters=parameters))
    assert found.path == "tools[0].function.parameters" + path
    assert found.problem.startswith(problem), found.problem


@pytest.mark.parametrize("depth", [100, 1_500, 5_000])
def test_parameters_text_nested_past_the_limit_is_one_problem(stack: TerraformStack, depth: int) -> None:
    """However deep the JSON text (Python 3.12+ parses thousands of levels; 3.11 stops near 1,000), every check
    stops at the limit: one problem, never a RecursionError."""
    found = only_problem(stack, tools=function_tool(parameters='{"k":' * depth + "1" + "}" * depth))
    assert found.path.startswith("tools[0].function.parameters"), found.path
    assert found.problem.startswith("is nested more than 64 levels deep"), found.problem


def test_a_recursive_parameters_value_is_a_validation_error(stack: TerraformStack) -> None:
    loop: list[Any] = []
    loop.append(loop)
    problem = only_problem(stack, tools=function_tool(parameters={"type": "array", "items": loop}))
    assert is_path_into(problem.path, "tools", 0, "function", "parameters", "items")
    assert "nested" in problem.problem


@pytest.mark.parametrize("form", ["dict", "json"])
def test_deep_but_reasonable_parameters_are_accepted(stack: TerraformStack, synth: Synth, form: str) -> None:
    deep: dict[str, Any] = {"type": "string"}
    for _ in range(20):
        deep = {"type": "object", "properties": {"x": deep}}
    accepts(stack, tools=function_tool(parameters=deep if form == "dict" else json.dumps(deep)))
    assert json.loads(emitted_function(synth(stack))["parameters"]) == deep


def test_literal_parameters_are_compact_sorted_json(stack: TerraformStack, synth: Synth) -> None:
    parameters = {"type": "object", "properties": {"b": {"type": "string"}, "a": {"enum": [1, 2.5, None, True]}}}
    accepts(stack, tools=function_tool(parameters=parameters))
    emitted = emitted_function(synth(stack))["parameters"]
    assert emitted == '{"properties":{"a":{"enum":[1,2.5,null,true]},"b":{"type":"string"}},"type":"object"}'
    assert json.loads(emitted) == parameters


def test_a_map_token_merged_into_parameters_is_rejected(stack: TerraformStack) -> None:
    extra = TerraformVariable(stack, "extra", type="map(string)")
    problem = only_problem(
        stack, tools=function_tool(parameters={"type": "object", "x": {**Token.as_string_map(extra.value), "a": "b"}})
    )
    assert problem.path == "tools[0].function.parameters.x"
    assert "Fn.merge" in problem.problem


def test_a_list_tokens_placeholder_in_text_is_rejected(stack: TerraformStack) -> None:
    names = TerraformVariable(stack, "names", type="list(string)")
    paths = paths_of(
        stack,
        instructions=f"use {names.list_value[0]}",
        tools=function_tool(parameters={"type": "object", "enum": [*names.list_value, "b"]}),
    )
    assert paths == ["instructions", "tools[0].function.parameters.enum[0]"]


# -- sampling and limits ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("temperature", -0.1, "must be between 0 and 2"),
        ("temperature", 2.01, "must be between 0 and 2"),
        ("temperature", float("nan"), "must be finite"),
        ("temperature", float("inf"), "must be finite"),
        ("temperature", "0.5", "must be a number"),
        ("temperature", True, "must be a number"),
        ("top_p", 1.5, "must be between 0 and 1"),
        ("top_p", -1, "must be between 0 and 1"),
        ("max_completion_tokens", 255, "must be at least 256 (the API's minimum)"),
        ("max_completion_tokens", 256.0, "must be a whole number"),
        ("max_completion_tokens", True, "must be an integer"),
        ("max_completion_tokens", 2**53 + 1, "must be at most 9007199254740992 in size"),
    ],
)
def test_sampling_and_limit_rules(stack: TerraformStack, name: str, value: Any, problem: str) -> None:
    found = only_problem(stack, **{name: value})
    assert found.path == name
    assert found.problem.startswith(problem), found.problem
    assert str(found)  # renders, even for an integer too long for str()


def test_numbers_and_json_numbers_share_one_bound_for_exact_integers(app: App, synth: Synth) -> None:
    """2**53 and every integer below it are exact in a JavaScript number and a float64, in an input or in JSON."""
    largest = 2**53
    accepted = TerraformStack(app, "accepted")
    OpenaiProvider(accepted, "openai")
    accepts(accepted, max_completion_tokens=largest, tools=function_tool(parameters={"max": largest}))
    run = only(synth(accepted), "openai_thread_run")
    assert run["max_completion_tokens"] == largest
    assert json.loads(run["tools"][0]["function"][0]["parameters"]) == {"max": largest}
    stack = TerraformStack(app, "refused")
    OpenaiProvider(stack, "openai")
    for value in (largest + 1, -largest - 1):
        assert only_problem(stack, max_completion_tokens=value).problem.startswith(f"must be at most {largest} in size")
        assert "beyond 2**53" in only_problem(stack, tools=function_tool(parameters={"max": value})).problem


@pytest.mark.parametrize("name", ["temperature", "top_p", "max_completion_tokens"])
def test_an_integer_too_long_to_print_is_rejected_with_a_readable_error(stack: TerraformStack, name: str) -> None:
    # 10**5000 has more digits than int -> str allows by default (4300).
    error = error_of(stack, **{name: 10**5000})
    assert [problem.path for problem in error.problems] == [name]
    assert f"{name}: " in str(error)


@pytest.mark.parametrize(
    ("name", "value"),
    [("temperature", 0.0), ("temperature", 2), ("top_p", 1.0), ("max_completion_tokens", 256), ("top_p", 5e-324)],
)
def test_values_at_the_bounds_are_accepted(stack: TerraformStack, synth: Synth, name: str, value: Any) -> None:
    accepts(stack, **{name: value})
    emitted = run_of(synth(stack)).get(name)
    assert emitted == value or (value == 0 and emitted is None)


@pytest.mark.parametrize("name", ["temperature", "top_p"])
def test_a_zero_sampling_value_warns(stack: TerraformStack, name: str) -> None:
    run = accepts(stack, **{name: 0})
    (warning,) = [w for w in warnings_of(run) if "[openai-thread-run:zero-sampling-value]" in w]
    assert f"{name}=0" in warning
    assert "0.01" in warning


def test_no_zero_warning_for_small_values_or_tokens(stack: TerraformStack) -> None:
    number = TerraformVariable(stack, "t", type="number")
    run = accepts(stack, temperature=0.01, top_p=number.number_value)
    assert not [w for w in warnings_of(run) if "zero-sampling-value" in w]


def test_a_function_tool_warns_about_the_provider_defect(stack: TerraformStack) -> None:
    run = accepts(stack, tools=[CodeInterpreterTool(), *function_tool()])
    assert len([w for w in warnings_of(run) if "[openai-thread-run:function-tool]" in w]) == 1
    other = accepts(TerraformStack(Testing.app(), "s"), tools=[CodeInterpreterTool()])
    assert not [w for w in warnings_of(other) if "function-tool" in w]


@pytest.mark.parametrize(("value", "problem"), [(True, "is not supported"), ("no", "must be the literal False")])
def test_stream_must_stay_false(stack: TerraformStack, value: Any, problem: str) -> None:
    found = only_problem(stack, stream=value)
    assert found.path == "stream"
    assert found.problem.startswith(problem)


# -- response format, rerun triggers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "path", "problem"),
    [
        ("text", "response_format", "must be 'auto' or a mapping"),
        ({"type": "json_schema"}, "response_format.type", "provider 1.2.0 has no field for a json_schema"),
        ({"type": "xml"}, "response_format.type", "is not allowed"),
        ({"type": "text", "schema": {}}, "response_format", "has unknown key 'schema'"),
        (["text"], "response_format", "must be a response format mapping"),
    ],
)
def test_response_format_rules(stack: TerraformStack, value: Any, path: str, problem: str) -> None:
    found = only_problem(stack, response_format=value)
    assert found.path == path
    assert found.problem.startswith(problem)


@pytest.mark.parametrize(("value", "emitted"), [("auto", None), ({"type": "json_object"}, [{"type": "json_object"}])])
def test_valid_response_formats(stack: TerraformStack, synth: Synth, value: Any, emitted: Any) -> None:
    accepts(stack, response_format=value)
    assert run_of(synth(stack)).get("response_format") == emitted


@pytest.mark.parametrize(
    ("value", "path", "problem"),
    [
        ({"a": 1}, "rerun_triggers.a", "must be a string"),
        ("v1", "rerun_triggers", "must be a map of strings"),
        ({"__proto__": "x"}, "rerun_triggers.__proto__", "key cannot be used"),
    ],
)
def test_rerun_triggers_are_a_map_of_strings(stack: TerraformStack, value: Any, path: str, problem: str) -> None:
    found = only_problem(stack, rerun_triggers=value)
    assert found.path == path
    assert found.problem.startswith(problem)


@pytest.mark.parametrize("value", ["null", "terraform-data", None, "token"])
def test_rerun_trigger_resource_is_a_literal_choice(stack: TerraformStack, value: Any) -> None:
    if value == "token":
        value = TerraformVariable(stack, "kind", type="string").string_value
    found = only_problem(stack, rerun_triggers={"v": "1"}, rerun_trigger_resource=value)
    assert found.path == "rerun_trigger_resource"


# -- waiting ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, "yes", None, "token"])
def test_wait_for_completion_must_be_a_literal_bool(stack: TerraformStack, value: Any) -> None:
    if value == "token":
        value = TerraformVariable(stack, "wait", type="bool").boolean_value
    found = only_problem(stack, wait_for_completion=value)
    assert found.path == "wait_for_completion"
    assert found.problem in ("is not allowed", "must be a literal: it decides which resources are created")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("bash", "is not allowed"),
        ("Python", "is not allowed"),
        (None, "is not allowed"),
        ("token", "must be a literal: it decides which program waits for the run"),
    ],
)
def test_the_waiter_is_a_literal_choice(stack: TerraformStack, value: Any, problem: str) -> None:
    if value == "token":
        value = TerraformVariable(stack, "waiter", type="string").string_value
    found = only_problem(stack, waiter=value)
    assert (found.path, found.problem, found.expected) == ("waiter", problem, "'auto' or 'python' or 'sh'")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (True, "must be an integer"),
        (1.5, "must be an integer"),
        (600.0, "must be an integer"),
        ("600", "must be an integer"),
        (0, "must be between 1 and 86400"),
        (-1, "must be between 1 and 86400"),
        (86_401, "must be between 1 and 86400"),
        ("token", "must be a literal: it is written into the waiter's command"),
    ],
)
def test_wait_timeout_seconds_is_a_literal_whole_number_up_to_a_day(
    stack: TerraformStack, value: Any, problem: str
) -> None:
    if value == "token":
        value = TerraformVariable(stack, "timeout", type="number").number_value
    found = only_problem(stack, wait_timeout_seconds=value)
    assert (found.path, found.problem) == ("wait_timeout_seconds", problem)


@pytest.mark.parametrize("seconds", [1, 86_400])
def test_wait_timeout_at_the_bounds_reaches_the_waiter(stack: TerraformStack, synth: Synth, seconds: int) -> None:
    accepts(stack, wait_timeout_seconds=seconds)
    assert waiter(synth(stack))["provisioner"][0]["local-exec"]["environment"]["OTR_TIMEOUT_SECONDS"] == str(seconds)


def test_no_waiting_means_no_waiter(stack: TerraformStack, synth: Synth) -> None:
    accepts(stack, wait_for_completion=False, wait_timeout_seconds=5)
    document = synth(stack)
    assert [name for name in resources(document, "terraform_data") if "_wait_" in name] == []
    assert "data" not in document


# -- provider ------------------------------------------------------------------------------------------------------


def test_provider_must_be_a_provider_configuration(stack: TerraformStack) -> None:
    found = only_problem(stack, provider="openai")
    assert (found.path, found.problem) == ("provider", "must be a Terraform provider configuration")


def test_provider_must_be_for_mkdev_me_openai(stack: TerraformStack) -> None:
    found = only_problem(stack, provider=NullProvider(stack, "null"))
    assert (found.path, found.problem) == ("provider", "is a provider for 'null', not mkdev-me/openai")


def test_an_aliased_provider_is_used_by_every_resource(stack: TerraformStack, synth: Synth) -> None:
    secondary = OpenaiProvider(stack, "secondary", alias="secondary")
    accepts(stack, provider=secondary)
    document = synth(stack)
    openai_elements = [
        body
        for section in ("resource", "data")
        for kind, bodies in document.get(section, {}).items()
        if kind.startswith("openai_")
        for body in bodies.values()
    ]
    assert len(openai_elements) == 4
    assert all(body["provider"] == "openai.secondary" for body in openai_elements)


@pytest.mark.parametrize(
    ("settings", "paths"),
    [
        ({"timeout": 1.5}, ["timeout"]),
        ({"timeout": 0}, ["timeout"]),
        ({"timeout": "30"}, ["timeout"]),
        ({"api_url": "https://api.openai.com"}, ["api_url"]),
        ({"alias": ""}, ["alias"]),
        ({"alias": "1a", "timeout": 2.5, "api_url": "http://x"}, ["alias", "api_url", "timeout"]),
    ],
)
def test_provider_settings_are_checked_all_at_once(settings: dict[str, Any], paths: list[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        OpenaiProvider(TerraformStack(Testing.app(), "s"), "openai", **settings)
    assert sorted(problem.path for problem in caught.value.problems) == paths


@pytest.mark.parametrize("setting", ["api_key", "api_url", "organization", "timeout", "alias"])
def test_provider_settings_that_pretend_to_be_text_are_rejected(setting: str) -> None:
    with pytest.raises(ValidationError) as caught:
        OpenaiProvider(TerraformStack(Testing.app(), "s"), "openai", **{setting: mock.Mock(spec=str)})
    assert [problem.path for problem in caught.value.problems] == [setting]


def test_a_second_provider_with_an_alias_is_accepted() -> None:
    stack = TerraformStack(Testing.app(), "s")
    OpenaiProvider(stack, "openai")
    OpenaiProvider(stack, "other", alias="other_1")
    providers = json.loads(Testing.synth(stack))["provider"]["openai"]
    assert providers == [{}, {"alias": "other_1"}]


# -- tokens -------------------------------------------------------------------------------------------------------


def test_tokens_of_a_convertible_type_are_accepted(stack: TerraformStack, synth: Synth) -> None:
    text = TerraformVariable(stack, "text", type="string")
    number = TerraformVariable(stack, "number", type="number")
    flag = TerraformVariable(stack, "flag", type="bool")
    table = TerraformVariable(stack, "table", type="map(string)")
    anything = TerraformVariable(stack, "anything")
    accepts(
        stack,
        model=number.number_value,  # number -> string
        instructions=flag.boolean_value,  # bool -> string
        temperature=text.string_value,  # string -> number
        top_p=anything.value,  # of unknown type
        max_completion_tokens=Fn.tonumber(text.string_value),
        metadata=table.value,
        rerun_triggers=Token.as_string_map(anything.value),
    )
    run = run_of(synth(stack))
    assert run["model"] == "${var.number}"
    assert run["instructions"] == "${var.flag}"
    assert run["temperature"] == "${var.text}"
    assert run["metadata"] == "${var.table}"


@pytest.mark.parametrize("carrier", ["null_resource", "terraform_data"])
def test_rerun_trigger_values_may_be_tokens_of_any_type_that_converts_to_text(
    stack: TerraformStack, synth: Synth, carrier: str
) -> None:
    # The prebuilt null_resource binding takes only strings: number and kernel tokens reach it as string tokens.
    anything = TerraformVariable(stack, "anything")
    text = TerraformVariable(stack, "text", type="string")
    number = TerraformVariable(stack, "number", type="number")
    flag = TerraformVariable(stack, "flag", type="bool")
    triggers = {
        "any": anything.value,
        "text": text.value,
        "number": number.number_value,
        "flag": flag.boolean_value,
        "mixed": f"v{number.number_value}-${{x}}",
    }
    accepts(stack, rerun_triggers=triggers, rerun_trigger_resource=carrier)
    (trigger,) = [body for name, body in resources(synth(stack), carrier).items() if "rerun-trigger" in name]
    written = trigger["triggers" if carrier == "null_resource" else "triggers_replace"]
    assert {key: evaluate(value, lambda expression: f"<{expression}>") for key, value in written.items()} == {
        "any": "<var.anything>",
        "text": "<var.text>",
        "number": "<var.number>",
        "flag": "<var.flag>",
        "mixed": "v<var.number>-${x}",
    }


@pytest.mark.parametrize("carrier", ["null_resource", "terraform_data"])
@pytest.mark.parametrize("kind", ["value", "string_map", "number_map", "any"])
def test_rerun_triggers_may_be_a_map_token_of_any_kind(
    stack: TerraformStack, synth: Synth, carrier: str, kind: str
) -> None:
    labels = TerraformVariable(stack, "labels")
    makers: dict[str, Callable[[], Any]] = {
        "value": lambda: labels.value,
        "string_map": lambda: Token.as_string_map(labels.value),
        "number_map": lambda: Token.as_number_map(labels.value),
        "any": lambda: Token.as_any(labels.value),
    }
    accepts(stack, rerun_triggers=makers[kind](), rerun_trigger_resource=carrier)
    (trigger,) = [body for name, body in resources(synth(stack), carrier).items() if "rerun-trigger" in name]
    assert trigger["triggers" if carrier == "null_resource" else "triggers_replace"] == "${var.labels}"


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("metadata", lambda v: v.boolean_value, "bool"),
        ("metadata", lambda v: v.value, "bool"),
        ("rerun_triggers", lambda v: v.value, "bool"),
        ("metadata", lambda v: v.string_value, "string"),
        ("model", lambda v: v.list_value, "list"),
        ("instructions", lambda v: Token.as_string_map(v.value), "map"),
        ("temperature", lambda v: v.list_value, "list"),
        ("rerun_triggers", lambda v: v.number_value, "number"),
    ],
)
def test_tokens_terraform_cannot_convert_are_rejected(stack: TerraformStack, name: str, make: Any, kind: str) -> None:
    variable = TerraformVariable(stack, "v", type="bool")
    found = only_problem(stack, **{name: make(variable)})
    assert found.path == name
    assert found.problem.startswith(f"is a {kind} token, which Terraform cannot convert")


def test_a_construct_is_no_value(stack: TerraformStack) -> None:
    variable = TerraformVariable(stack, "v", type="string")
    other = NullProvider(stack, "null")
    found = problems_of(stack, assistant_id=variable, temperature=variable, metadata=other)
    assert [problem.path for problem in found] == ["assistant_id", "metadata", "temperature"]
    assert all("is a construct" in problem.problem for problem in found)


# -- hostile and odd Python values ---------------------------------------------------------------------------------


def test_an_int_subclass_is_compared_as_its_number(stack: TerraformStack) -> None:
    assert paths_of(stack, max_completion_tokens=Liar(5), wait_timeout_seconds=Liar(0)) == [
        "max_completion_tokens",
        "wait_timeout_seconds",
    ]


def test_a_role_that_changes_on_each_read_is_checked_as_emitted(stack: TerraformStack, synth: Synth) -> None:
    message = Shifty({"role": ["user", "system"], "content": ["hi"]})
    accepts(stack, messages=[message])
    assert only(synth(stack), "openai_thread")["messages"] == [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize("where", ["iter", "getitem"])
def test_a_mapping_that_raises_is_a_validation_error_naming_the_input(stack: TerraformStack, where: str) -> None:
    found = only_problem(stack, metadata=Exploding(where))
    assert found.path == "metadata"
    assert found.problem.startswith("could not be read")


def test_an_object_whose_items_raises_is_a_validation_error(stack: TerraformStack) -> None:
    class Broken(dict[str, str]):
        def items(self) -> Any:
            raise OSError("disk on fire")

    found = only_problem(stack, rerun_triggers=Broken(a="b"))
    assert found.path == "rerun_triggers"
    assert "OSError: disk on fire" in found.problem


def test_impostors_are_rejected(stack: TerraformStack) -> None:
    found = problems_of(stack, model=mock.Mock(spec=str), instructions=Anything(), metadata=mock.MagicMock())
    assert sorted(problem.path for problem in found) == ["instructions", "metadata", "model"]
    assert {problem.path: problem.problem for problem in found}["model"] == "claims to be of type str but is a Mock"


def test_unprintable_values_still_make_a_readable_error(stack: TerraformStack) -> None:
    error = error_of(stack, model=NoRepr())
    assert "model: must be a string (got <NoRepr that cannot be shown>" in str(error)


def test_nesting_deeper_than_the_limit_in_any_input_is_a_validation_error(stack: TerraformStack) -> None:
    deep: Any = "v"
    for _ in range(200):
        deep = {"k": deep}
    found = problems_of(stack, messages=[{"role": "user", "content": "c", "metadata": deep}], rerun_triggers=deep)
    nesting = [problem for problem in found if "nested more than 64 levels" in problem.problem]
    assert len(nesting) == 2
    assert is_path_into(nesting[0].path, "messages", 0, "metadata", "k")
    assert is_path_into(nesting[1].path, "rerun_triggers", "k")


def test_lone_surrogates_are_rejected(stack: TerraformStack) -> None:
    found = only_problem(stack, instructions="bad \ud800 text")
    assert (found.path, found.problem) == ("instructions", "is not valid Unicode text (it holds a lone surrogate)")


# -- all at once ---------------------------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once(stack: TerraformStack) -> None:
    paths = paths_of(
        stack,
        id="1tr",
        assistant_id="",
        create_new_thread=False,
        messages=[{"role": "system", "content": ""}, {"role": "user", "content": "ok", "metadata": {"k": 1}}],
        thread_metadata={"a": "b"},
        model=3,
        instructions=None,
        tools=[{"type": "retrieval", "function": {"name": "f\n"}}, {"type": "function"}],
        metadata={"k" * 65: "v"},
        temperature=3,
        top_p=-1,
        max_completion_tokens=10,
        stream=True,
        response_format={"type": "json_schema"},
        rerun_triggers={"a": 1},
        rerun_trigger_resource="null",
        wait_for_completion="yes",
        wait_timeout_seconds=0,
        waiter="bash",
        provider="openai",
    )
    assert paths == [
        "id",
        "assistant_id",
        "existing_thread_id",
        "thread_metadata",
        "messages[0].role",
        "messages[0].content",
        "messages[1].metadata.k",
        "model",
        "tools[0].type",
        "tools[0].function.name",
        "tools[1].function",
        "metadata." + "k" * 65,
        "temperature",
        "top_p",
        "max_completion_tokens",
        "stream",
        "response_format.type",
        "rerun_triggers.a",
        "rerun_trigger_resource",
        "wait_for_completion",
        "wait_timeout_seconds",
        "waiter",
        "provider",
    ]


def test_an_invalid_construct_adds_nothing_to_the_stack(stack: TerraformStack) -> None:
    # Nothing is added to the stack before the inputs are checked.
    before = len(stack.node.children)
    error_of(stack, temperature=9)
    assert len(stack.node.children) == before
