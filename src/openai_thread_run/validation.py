"""The rules inputs are checked by, in pure Python before anything is emitted, and the pass that runs them.

:func:`check_inputs` reads every input once into plain values (:mod:`.normalize`), runs the rule each input is
declared with (:class:`Rule`: :class:`Text`, :class:`Sampling`, :class:`Messages`, ...; the declaration is
:mod:`.props`), walks every text for what Terraform does to strings (:class:`_TextRules`), and either raises one
:class:`ValidationError` listing every broken rule or returns the checked values and the warnings. Types are
checked by the same :mod:`.bindings.schema` types the bindings use; the rules add what the inputs *mean* (the
API's limits, allowed values, how inputs go together).

A token is never rejected where Terraform could convert its type to the input's; only the inputs that decide the
*structure* of what is emitted must be literal (their rules say so).
"""

from __future__ import annotations

import difflib
import inspect
import json
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeAlias

from .bindings.blocks import FunctionBlock, ResponseFormatBlock, ThreadMessageBlock, ToolBlock
from .bindings.schema import CheckContext, InputType, JsonText, Number, String, StringMap
from .errors import Problem, ValidationError, key_path
from .normalize import MAX_DEPTH, Unreadable, is_dict, is_list, plain
from .stack_records import RECORDS_ID
from .templates import fragments, has_token, least_length, may_equal
from .tokens import MAP_TOKEN_MARKER, has_string_token, is_kernel_token, is_list_or_tuple, token_kind

ROLES = ("user", "assistant")
TOOL_TYPES = ("code_interpreter", "function")
RESPONSE_FORMAT_TYPES = ("text", "json_object")
METADATA_MAX_KEYS = 16
METADATA_MAX_KEY_LENGTH = 64
METADATA_MAX_VALUE_LENGTH = 512
TEMPERATURE_RANGE = (0.0, 2.0)
TOP_P_RANGE = (0.0, 1.0)
#: The API's minimum for max_completion_tokens.
MIN_COMPLETION_TOKENS = 256
MAX_TOOLS = 20
#: How long ``wait_timeout_seconds`` may be: a day.
MAX_WAIT_SECONDS = 86_400
MAX_FUNCTION_NAME = 64
FUNCTION_NAME = re.compile(rf"[a-zA-Z0-9_-]{{1,{MAX_FUNCTION_NAME}}}")
#: What the literal parts of a function name with tokens may hold.
FUNCTION_NAME_CHARACTERS = re.compile(r"[a-zA-Z0-9_-]*")
#: What a Terraform name must look like once cdktf has dropped the characters it cannot use.
TERRAFORM_NAME_START = re.compile(r"[A-Za-z_]")
#: Why some tool types cannot be used, even though users know them from the API docs.
UNSUPPORTED_TOOL_TYPES = {
    "file_search": "provider 1.2.0 cannot send file_search tools (its openai_thread_run accepts only "
    "code_interpreter, retrieval and function)",
    "retrieval": "the Assistants v2 API rejects 'retrieval' (v2 replaced it with file_search)",
}
RerunTriggerResource: TypeAlias = Literal["null_resource", "terraform_data"]
RERUN_TRIGGER_RESOURCES: tuple[RerunTriggerResource, ...] = ("null_resource", "terraform_data")
MESSAGE_KEYS = ("role", "content", "metadata")
FUNCTION_KEYS = ("name", "description", "parameters")
TOOL_KEYS = ("type", "function")


#: How a length is counted, in a problem.
_AS_SENT = " as the API receives it (in Unicode NFC, tokens aside)"


@dataclass(frozen=True)
class Surroundings:
    """What the rules of inputs that are constructs need to know of the construct's stack."""

    #: The framework's ``TerraformProvider`` class.
    provider_class: type
    #: The classes of what ``depends_on`` may hold.
    dependables: tuple[type, ...] = ()
    #: Whether a construct (the provider, a dependency) is in the construct's stack.
    in_stack: Callable[[Any], bool] = lambda _: True


class Checker:
    """Collects problems (and warnings) so that every broken rule is reported in one error."""

    def __init__(self, context: CheckContext, surroundings: Surroundings) -> None:
        self.problems: list[Problem] = []
        #: ``(code, message)`` of each warning to show (as an annotation on the construct).
        self.warnings: list[tuple[str, str]] = []
        self.context = context
        self.surroundings = surroundings

    def add(self, path: str, problem: str, got: object, expected: str) -> None:
        """Record a broken rule: where, what, the value, what is allowed."""
        self.problems.append(Problem(path, problem, got, expected))

    def warn(self, code: str, message: str) -> None:
        """Record a warning (shown as an annotation on the construct) by its code."""
        self.warnings.append((code, message))

    def fits(self, path: str, value: Any, type_: InputType) -> bool:
        """Check ``value`` against a binding input type; True when it added no problem."""
        before = len(self.problems)
        type_.check(value, path, self.problems, self.context)
        return len(self.problems) == before

    def string(self, path: str, value: Any, *, required: bool, non_empty: bool = True) -> Any:
        """Check a string (or a token Terraform converts to one); return it, or None when absent or invalid."""
        if value is None:
            if required:
                self.add(path, "is required", value, "a non-empty string or a token")
            return None
        if not self.fits(path, value, String()):
            return None
        if non_empty and value == "":
            self.add(path, "must not be empty", value, "a non-empty string or a token")
            return None
        return value

    def number(self, path: str, value: Any, bounds: tuple[float, float]) -> Any:
        """Check a number within ``bounds`` (inclusive), or a token."""
        if value is None or isinstance(value, Unreadable) or not self.fits(path, value, Number()):
            return None
        low, high = bounds
        if token_kind(value) is None and not low <= value <= high:
            self.add(
                path, f"must be between {low:g} and {high:g}", value, f"a number from {low:g} to {high:g}, or a token"
            )
            return None
        return value

    def integer(self, path: str, value: Any, minimum: int, why: str) -> Any:
        """Check an integer >= ``minimum``, or a token."""
        if value is None or isinstance(value, Unreadable) or not self.fits(path, value, Number(integer=True)):
            return None
        if token_kind(value) is None and value < minimum:
            self.add(path, f"must be at least {minimum} ({why})", value, f"an integer >= {minimum}, or a token")
            return None
        return value

    def metadata(self, path: str, value: Any) -> Any:
        """Check a metadata map against the API's limits (a map token passes)."""
        expected = (
            f"a map of up to {METADATA_MAX_KEYS} keys of at most {METADATA_MAX_KEY_LENGTH} characters to strings "
            f"of at most {METADATA_MAX_VALUE_LENGTH} characters, or a map token"
        )
        if value is None or not self.fits(path, value, StringMap(text=True)):
            return None
        if not is_dict(value) or any(MAP_TOKEN_MARKER in key for key in value):
            return value  # a map token
        ok = True
        if len(value) > METADATA_MAX_KEYS:
            self.add(path, f"has {len(value)} keys, more than {METADATA_MAX_KEYS}", value, expected)
            ok = False
        for key, item in value.items():  # lengths as the API gets them: in NFC, and tokens aside (least_length)
            if least_length(key) > METADATA_MAX_KEY_LENGTH:
                self.add(
                    key_path(path, key),
                    f"key is longer than {METADATA_MAX_KEY_LENGTH} characters{_AS_SENT}",
                    key,
                    expected,
                )
                ok = False
            if isinstance(item, str) and least_length(item) > METADATA_MAX_VALUE_LENGTH:
                self.add(
                    key_path(path, key),
                    f"value is longer than {METADATA_MAX_VALUE_LENGTH} characters{_AS_SENT}",
                    item,
                    expected,
                )
                ok = False
        return value if ok else None

    def literal_list(self, path: str, value: Any, what: str) -> list[Any]:
        """Check a literal list of items (each becomes a block or resource); return them, or [] on a problem."""
        if value is None or isinstance(value, Unreadable):
            return []
        if token_kind(value) is not None:
            self.add(
                path,
                f"must be a literal list: each {what} becomes its own Terraform block or resource, so a token "
                "cannot stand for the whole list",
                value,
                f"a list of {what}s",
            )
            return []
        if not is_list(value):
            self.add(path, "must be a list", value, f"a list of {what}s")
            return []
        return value

    def record(self, path: str, value: Any, what: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        """Check one list item: a mapping (a helper dataclass is one already) with only the known ``keys``."""
        if isinstance(value, Unreadable):
            return None
        if not is_dict(value) or token_kind(value) is not None:
            self.add(path, f"must be a {what} mapping", value, f"a mapping with keys {', '.join(keys)}")
            return None
        unknown = [key for key in value if key not in keys]
        if unknown:
            self.add(
                path,
                f"has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}",
                value,
                f"only the keys {', '.join(keys)}",
            )
        return value

    def choice(self, path: str, value: Any, allowed: Sequence[str], reasons: Mapping[str, str]) -> Any:
        """Check one of ``allowed`` (compared as plain text), or a token Terraform converts to a string."""
        expected = " or ".join(repr(option) for option in allowed)
        if isinstance(value, str) and value in allowed:
            return value
        if token_kind(value) is not None and not (isinstance(value, str) and token_kind(value) is None):
            if not self.fits(path, value, String()):
                return None
            if isinstance(value, str) and not may_equal(value, allowed):
                self.add(
                    path,
                    "cannot be one of them whatever its tokens hold: its literal parts do not fit",
                    value,
                    expected,
                )
                return None
            return value
        if isinstance(value, Unreadable):
            return None
        problem = reasons.get(value, "is not allowed") if isinstance(value, str) else "must be a string"
        self.add(path, problem, value, expected)
        return None

    def literal(self, path: str, value: Any, allowed: Sequence[Any], why: str) -> bool:
        """Check a literal from ``allowed`` (it decides the structure of the output, so no token)."""
        expected = " or ".join(map(repr, allowed))
        if isinstance(value, Unreadable):
            return False
        if token_kind(value) is not None:
            self.add(path, f"must be a literal: {why}", value, expected)
            return False
        if not any(value is option or (type(value) is type(option) and value == option) for option in allowed):
            self.add(path, "is not allowed", value, expected)
            return False
        return True


# -- per-input rules ----------------------------------------------------------------------------------------


def check_construct_id(kind: str, id_: Any, scope_path: Sequence[str] = ()) -> list[Problem]:
    """Problems with a construct id: its type, and the Terraform names cdktf derives from it.

    ``scope_path`` holds the ids of the constructs between the stack and the construct: cdktf starts the names
    of the construct's resources with the first of them (see :func:`terraform_name_start`).
    """
    expected = "a non-empty literal string that starts with a letter or _ once cdktf drops what names cannot hold"
    if not issubclass(type(id_), str):
        return [Problem("id", f"of the {kind} must be a string", id_, expected)]
    id_ = str.__str__(id_)
    if not id_:
        return [Problem("id", f"of the {kind} must not be empty", id_, expected)]
    if "TfToken[" in id_:
        return [
            Problem(
                "id",
                f"of the {kind} must be a literal string: the Terraform names cdktf derives from a token change with "
                "the token's number, and Terraform would replace the resources",
                id_,
                expected,
            )
        ]
    components = [*scope_path, re.sub(r"[/\n]", "--", id_), "run"]  # constructs writes / and newlines as --
    index, kept = terraform_name_start(components)
    if not kept or TERRAFORM_NAME_START.match(kept):
        return []
    if index == len(scope_path):
        return [
            Problem(
                "id",
                f"of the {kind} would make invalid Terraform names: cdktf keeps {kept!r} of it, and a Terraform name "
                "must start with a letter or _",
                id_,
                expected,
            )
        ]
    return [
        Problem(
            "scope",
            f"is inside the construct {components[index]!r}, whose id starts the Terraform names cdktf derives: "
            f"it keeps {kept!r} of it, and a Terraform name must start with a letter or _",
            "/".join(scope_path),
            "constructs whose ids start with a letter or _",
        )
    ]


def terraform_name_start(components: Sequence[str]) -> tuple[int, str]:
    """Return the index of the path component a Terraform name starts with, and what cdktf keeps of it.

    As cdktf's ``makeUniqueId`` does: ``Default`` is left out, a component the previous one ends with is
    dropped, ``Resource`` is hashed but not shown, and only letters, digits, ``_`` and ``-`` are kept. When
    nothing is kept of the first component, the name starts with the ``_`` that joins it to the next.
    """
    previous: str | None = None
    for index, component in enumerate(components):
        if component == "Default" or (previous is not None and previous.endswith(component)):
            continue
        previous = component
        if component != "Resource":
            return index, re.sub(r"[^A-Za-z0-9_-]", "", component)
    return len(components), ""


#: Meta-arguments of Terraform resources that a construct (a group of resources) cannot take, and what to do.
_NOT_FOR_A_CONSTRUCT = {
    "count": "make several with a Python loop (README, cdktf patterns)",
    "for_each": "make one per item with a Python loop, or pick an item of a list token with Fn.element (README, "
    "cdktf patterns)",
}


def call_problems(
    class_name: str, signature: inspect.Signature, args: Sequence[Any], kwargs: Mapping[str, Any]
) -> list[Problem]:
    """Problems with how a class was called, that Python would report as a TypeError naming ``__init__``'s class.

    An unknown keyword names the nearest input; ``count`` and ``for_each`` say what to do instead; inputs after
    ``scope`` and ``id`` are keyword-only; a required one must be given.
    """
    parameters = [p for p in signature.parameters.values() if p.name != "self"]
    positional = [p.name for p in parameters if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
    keywords = [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
    kinds = {p.kind for p in parameters}
    problems: list[Problem] = []
    if len(args) > len(positional) and inspect.Parameter.VAR_POSITIONAL not in kinds:
        problems.append(
            Problem(
                "inputs",
                f"are keyword-only: {len(args) - len(positional)} given by position after {' and '.join(positional)}",
                tuple(args[len(positional) :]),
                "keyword arguments, e.g. assistant_id='asst_...'",
            )
        )
    for name, value in kwargs.items():
        if name in positional or name in keywords or inspect.Parameter.VAR_KEYWORD in kinds:
            continue
        nearest = difflib.get_close_matches(name, keywords, n=1)
        if name in _NOT_FOR_A_CONSTRUCT:
            problem = f"is not an input of {class_name}, which is a group of resources: {_NOT_FOR_A_CONSTRUCT[name]}"
        else:
            problem = f"is not an input of {class_name}" + (f"; did you mean {nearest[0]!r}?" if nearest else "")
        expected = repr(nearest[0]) if nearest else f"one of its inputs: {', '.join(keywords)}"
        problems.append(Problem(name, problem, value, expected))
    given = {*positional[: len(args)], *kwargs}
    for parameter in parameters:
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if parameter.default is inspect.Parameter.empty and parameter.name not in given:
            problems.append(Problem(parameter.name, "is required", None, "a value"))
    return problems


def duplicate_id_problem(id_: str) -> Problem:
    """Return the problem of an id that another construct in the same scope already has."""
    problem = (
        "is the id openai-thread-run keeps for its per-stack state"
        if id_ == RECORDS_ID
        else "is already the id of another construct in this scope"
    )
    return Problem("id", problem, id_, "an id unique in its scope")


def _messages(check: Checker, value: Any) -> list[ThreadMessageBlock]:
    messages: list[ThreadMessageBlock] = []
    for index, item in enumerate(check.literal_list("messages", value, "message")):
        path = f"messages[{index}]"
        message = check.record(path, item, "message", MESSAGE_KEYS)
        if message is None:
            continue
        role = check.choice(f"{path}.role", message.get("role"), ROLES, {})
        content = check.string(f"{path}.content", message.get("content"), required=True)
        metadata = check.metadata(f"{path}.metadata", message.get("metadata"))
        if role is not None and content is not None:
            block: ThreadMessageBlock = {"role": role, "content": content}
            if metadata is not None:
                block["metadata"] = metadata
            messages.append(block)
    return messages


def _function(check: Checker, path: str, value: Any) -> FunctionBlock | None:
    function = check.record(path, value, "function", FUNCTION_KEYS)
    if function is None:
        return None
    name = function.get("name")
    if isinstance(name, Unreadable):
        name = None
    elif token_kind(name) is not None or (isinstance(name, str) and has_token(name)):
        if not check.fits(f"{path}.name", name, String()):  # a token: checked by Terraform's type
            name = None
        elif isinstance(name, str) and not _literal_parts_may_name(name):
            check.add(
                f"{path}.name",
                "cannot be a valid function name whatever its tokens hold: its literal parts break the pattern",
                name,
                f"a string matching ^{FUNCTION_NAME.pattern}$",
            )
            name = None
    elif not (isinstance(name, str) and FUNCTION_NAME.fullmatch(name)):
        check.add(f"{path}.name", "is not a valid function name", name, f"a string matching ^{FUNCTION_NAME.pattern}$")
        name = None
    description = check.string(f"{path}.description", function.get("description"), required=False, non_empty=False)
    parameters = function.get("parameters")
    if parameters is not None and not check.fits(f"{path}.parameters", parameters, JsonText()):
        parameters = None
    if name is None:
        return None
    block: FunctionBlock = {"name": name}
    if description is not None:
        block["description"] = description
    if parameters is not None:
        block["parameters"] = parameters
    return block


def _literal_parts_may_name(name: str) -> bool:
    """Whether a function name with tokens may match the pattern: its literal parts alone do, and are short enough."""
    literal = "".join(part for part, is_token in fragments(name) if not is_token)
    return FUNCTION_NAME_CHARACTERS.fullmatch(literal) is not None and least_length(name) <= MAX_FUNCTION_NAME


def _tools(check: Checker, value: Any) -> list[ToolBlock]:
    items = check.literal_list("tools", value, "tool")
    if len(items) > MAX_TOOLS:
        check.add("tools", f"has {len(items)} tools, more than {MAX_TOOLS}", len(items), f"at most {MAX_TOOLS} tools")
    tools: list[ToolBlock] = []
    for index, item in enumerate(items):
        path = f"tools[{index}]"
        tool = check.record(path, item, "tool", TOOL_KEYS)
        if tool is None:
            continue
        kind = check.choice(f"{path}.type", tool.get("type"), TOOL_TYPES, UNSUPPORTED_TOOL_TYPES)
        given = tool.get("function")
        if kind == "code_interpreter":
            if given is not None:
                check.add(
                    f"{path}.function", "only applies to function tools, not code_interpreter", given, "no function key"
                )
            else:
                tools.append({"type": kind})
            continue
        if given is None:
            if kind == "function":
                check.add(
                    f"{path}.function",
                    "is required for a function tool",
                    None,
                    "a mapping with name, description, parameters",
                )
            elif kind is not None:
                tools.append({"type": kind})  # a token type without a function: whatever it resolves to
            continue
        function = _function(check, f"{path}.function", given)  # checked even when the type is wrong
        if kind is not None and function is not None:
            tools.append({"type": kind, "function": [function]})
    return tools


def _response_format(check: Checker, value: Any) -> ResponseFormatBlock | None:
    expected = "'auto', {'type': 'text'} or {'type': 'json_object'}"
    if value is None or (isinstance(value, str) and value == "auto"):
        return None
    if isinstance(value, str):
        check.add("response_format", "must be 'auto' or a mapping", value, expected)
        return None
    fmt = check.record("response_format", value, "response format", ("type",))
    if fmt is None:
        return None
    reasons = {"json_schema": "provider 1.2.0 has no field for a json_schema response format"}
    kind = check.choice("response_format.type", fmt.get("type"), RESPONSE_FORMAT_TYPES, reasons)
    return {"type": kind} if kind is not None else None


def _thread_choice(check: Checker, create_new_thread: Any, existing_thread_id: Any, thread_metadata: Any) -> Any:
    """Check the thread inputs, together; returns the existing thread's id when one is used."""
    existing = check.string("existing_thread_id", existing_thread_id, required=False)
    if isinstance(create_new_thread, Unreadable):
        return None
    if not isinstance(create_new_thread, bool):
        check.add(
            "create_new_thread",
            "must be a literal bool: it decides which resources are created",
            create_new_thread,
            "True or False",
        )
        return None
    if create_new_thread:
        if existing_thread_id is not None:
            check.add(
                "existing_thread_id",
                "must not be set when create_new_thread is True (set create_new_thread=False to run on an existing "
                "thread)",
                existing_thread_id,
                "None",
            )
        return None
    if existing_thread_id is None:
        check.add(
            "existing_thread_id",
            "is required when create_new_thread is False",
            None,
            "the id of the thread, or a token",
        )
    if thread_metadata is not None:
        check.add(
            "thread_metadata",
            "only applies to a new thread: the construct never changes an existing thread",
            thread_metadata,
            "None when create_new_thread is False",
        )
    return existing


def _stream(check: Checker, value: Any) -> None:
    if value is False:
        return
    if value is True:
        check.add("stream", "is not supported: Terraform cannot consume a streamed response", value, "False")
    elif not isinstance(value, Unreadable):
        check.add("stream", "must be the literal False", value, "False")


def _wait_timeout(check: Checker, value: Any) -> int:
    expected = f"a literal whole number of seconds from 1 to {MAX_WAIT_SECONDS}"
    if isinstance(value, Unreadable):
        return 0
    if token_kind(value) is not None:
        check.add("wait_timeout_seconds", "must be a literal: it is written into the waiter's command", value, expected)
    elif isinstance(value, bool) or not isinstance(value, int):
        check.add("wait_timeout_seconds", "must be an integer", value, expected)
    elif not 1 <= value <= MAX_WAIT_SECONDS:
        check.add("wait_timeout_seconds", f"must be between 1 and {MAX_WAIT_SECONDS}", value, expected)
    else:
        return value
    return 0


def _provider(check: Checker, value: Any, provider_class: type, in_stack: Callable[[Any], bool]) -> Any:
    """Check a provider configuration for mkdev-me/openai (an OpenaiProvider, or one generated by cdktf get)."""
    expected = "an OpenaiProvider (or a provider generated for mkdev-me/openai) of this app's framework"
    if value is None or isinstance(value, Unreadable):
        return None
    if not isinstance(value, provider_class):
        check.add("provider", "must be a Terraform provider configuration", value, expected)
        return None
    resource_type = getattr(value.__class__, "TF_RESOURCE_TYPE", None) or getattr(
        value, "terraform_resource_type", None
    )
    if resource_type != "openai":
        check.add("provider", f"is a provider for {resource_type!r}, not mkdev-me/openai", value, expected)
        return None
    if not in_stack(value):
        check.add(
            "provider",
            f"is declared in another stack ({_path_of(value)}): each stack is its own Terraform configuration, "
            "which cannot use another's provider configurations",
            value,
            expected + ", in this stack",
        )
        return None
    return value


def _path_of(construct: Any) -> str:
    """Return a construct's path in the tree (``stack/construct``), for messages."""
    return str(construct.node.path)


def _depends_on(
    check: Checker, value: Any, dependables: tuple[type, ...], in_stack: Callable[[Any], bool]
) -> tuple[Any, ...]:
    """Check what the construct waits for: a literal list of what Terraform can depend on, in this stack."""
    expected = "resources, data sources, modules or ThreadRunConstructs of this stack"
    if value is None:
        return ()
    if not is_list_or_tuple(value):
        check.add("depends_on", "must be a list", value, f"a list of {expected}")
        return ()
    items: list[Any] = list(value)
    for index, item in enumerate(items):
        path = f"depends_on[{index}]"
        if not isinstance(item, dependables):
            check.add(path, "is nothing Terraform can depend on", item, expected)
        elif not in_stack(item):
            check.add(
                path,
                f"is in another stack ({_path_of(item)}): Terraform cannot depend on another configuration",
                item,
                expected,
            )
    return tuple(items)


class _TextRules:
    """What Terraform does to every string, checked over every input (lists and maps walked, JSON text decoded).

    - a token marker that no token of this program made is a problem: cdktf would fail, or put another value in
      its place (``unknown_marker`` asks the framework's kernel);
    - map keys that are the same text in Unicode NFC are a problem: Terraform normalizes every string to NFC, so
      they would become one key (``terraform validate``: duplicate attribute), or collide in JSON;
    - text that is not in NFC cannot reach the API as written: one warning names every such input.
    """

    def __init__(self, check: Checker, unknown_marker: Callable[[Any], str | None]) -> None:
        self.check = check
        self.unknown_marker = unknown_marker
        self.not_nfc: list[str] = []

    def walk(self, value: Any, path: str) -> None:
        if isinstance(value, str):  # most values: checked first
            self._leaf(value, path)
            if path.endswith(".parameters") and not has_string_token(value):
                self._json_text(value, path)
            return
        if value is None or isinstance(value, Unreadable | bool | int) or is_kernel_token(value):
            return
        if isinstance(value, float) or token_kind(value) is not None:
            self._leaf(value, path)
            return
        if is_dict(value):
            self._keys(value, path)
            for key, item in value.items():
                item_path = key_path(path, key)
                self.walk(key, item_path)
                self.walk(item, item_path)
        elif is_list(value):
            for index, item in enumerate(value):
                self.walk(item, f"{path}[{index}]")

    def warnings(self) -> list[tuple[str, str]]:
        if not self.not_nfc:
            return []
        return [
            (
                "not-nfc",
                f"{', '.join(dict.fromkeys(self.not_nfc))}: not in Unicode NFC. Terraform normalizes every string to "
                "NFC, so the API receives the NFC form: canonically equivalent text, but not the same code points "
                "(e.g. 'e' and a combining acute accent arrive as one 'é')",
            )
        ]

    def _leaf(self, value: Any, path: str) -> None:
        holds_marker = has_token(value) if isinstance(value, str) else token_kind(value) is not None
        marker = self.unknown_marker(value) if holds_marker else None
        if marker is not None:
            hint = (
                "text pasted from a log? To send such text as it is, build it in Terraform, e.g. "
                'Fn.join("", ["$", "{TfToken[...]}"])'
                if isinstance(value, str)
                else "a value that encodes a token of another program"
            )
            self.check.add(
                path,
                f"holds the token marker {marker!r}, which no token of this program made ({hint}): cdktf would fail "
                "on it, or put another value in its place",
                value,
                "no token markers but those of real tokens",
            )
        if isinstance(value, str) and not value.isascii() and not unicodedata.is_normalized("NFC", value):
            self.not_nfc.append(path)

    def _keys(self, value: dict[Any, Any], path: str) -> None:
        seen: dict[str, str] = {}
        for key in value:
            if not isinstance(key, str) or has_token(key):
                continue
            same = seen.setdefault(unicodedata.normalize("NFC", key), key)
            if same != key:
                self.check.add(
                    key_path(path, key),
                    f"is the same key as {same!a} once Terraform has normalized both to Unicode NFC "
                    f"({unicodedata.normalize('NFC', key)!a}), as it does every string: one would be lost",
                    key,
                    "keys that differ in Unicode NFC",
                )

    def _json_text(self, text: str, path: str) -> None:
        """Check the keys of a JSON document given as text (a function's ``parameters``)."""
        try:
            decoded = json.loads(text)
        except (ValueError, RecursionError):
            return  # reported by the parameters' own check
        self._json_keys(decoded, path)

    def _json_keys(self, value: Any, path: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            return  # too deep: reported by the parameters' own check (and deep enough to exhaust Python's stack)
        if is_dict(value):
            self._keys(value, path)
            for key, item in value.items():
                self._json_keys(item, key_path(path, key), depth + 1)
        elif is_list(value):
            for index, item in enumerate(value):
                self._json_keys(item, f"{path}[{index}]", depth + 1)


#: The order warnings are shown in, by code.
WARNING_ORDER = ("zero-sampling-value", "function-tool", "not-nfc")


def _function_tool_warning(check: Checker, tools: list[ToolBlock]) -> None:
    if any("function" in tool for tool in tools):
        check.warn(
            "function-tool",
            "function tools: provider 1.2.0 sends a run's function tool as a list holding a JSON string where the API "
            "wants an object, so the API rejects the run (400) at apply; see README, Known provider defects",
        )


# -- the rules an input is declared with (props.PROPS) -------------------------------------------------------


class Rule(Protocol):
    """How one input is checked: append problems (and warnings) to ``check``; return the value the bindings take.

    ``values`` holds every input as a plain value, for the rules that check how inputs go together.
    """

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check ``value``, the input ``name``; return what the bindings take (None for an invalid value)."""
        ...

    @property
    def takes_constructs(self) -> bool:
        """Whether the input holds constructs, which are checked as they are (not read into plain values)."""
        ...


@dataclass(frozen=True)
class Text:
    """A non-empty string, or a token Terraform converts to one."""

    required: bool = False
    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return check.string(name, value, required=self.required)


@dataclass(frozen=True)
class Sampling:
    """A number within ``bounds``, or a token; a literal 0 warns (provider 1.2.0 does not send it)."""

    bounds: tuple[float, float]
    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        checked = check.number(name, value, self.bounds)
        if value == 0 and token_kind(value) is None:
            check.warn(
                "zero-sampling-value",
                f"{name}=0: provider 1.2.0 treats 0 as unset and does not send it, so the API default {name}=1.0 "
                "applies; use a small positive value such as 0.01 instead",
            )
        return checked


@dataclass(frozen=True)
class AtLeast:
    """A whole number of at least ``minimum`` (``why`` says where the minimum comes from), or a token."""

    minimum: int
    why: str
    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return check.integer(name, value, self.minimum, self.why)


@dataclass(frozen=True)
class Metadata:
    """A metadata map within the API's limits, or a map token."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return check.metadata(name, value)


@dataclass(frozen=True)
class OneOf:
    """A literal from ``allowed``: the input decides the structure of the output (``why``), so no token."""

    allowed: tuple[Any, ...]
    why: str
    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return value if check.literal(name, value, self.allowed, self.why) else None


@dataclass(frozen=True)
class ThreadChoice:
    """``existing_thread_id``, checked together with ``create_new_thread`` and ``thread_metadata``.

    Returns the existing thread's id when one is used (None for a new thread).
    """

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        existing = _thread_choice(check, values["create_new_thread"], value, values["thread_metadata"])
        return None if values["create_new_thread"] is True else existing


@dataclass(frozen=True)
class CheckedWith:
    """An input checked by another input's rule (``create_new_thread``, by ``existing_thread_id``'s)."""

    other: str
    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return value


@dataclass(frozen=True)
class Messages:
    """A literal list of messages (role, content, metadata), each becoming a block or a resource."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return _messages(check, value)


@dataclass(frozen=True)
class Tools:
    """A literal list of at most 20 tools (code_interpreter, function); function tools warn."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        tools = _tools(check, value)
        _function_tool_warning(check, tools)
        return tools


@dataclass(frozen=True)
class ResponseFormat:
    """``"auto"`` (the API's default: nothing is sent), ``{"type": "text"}`` or ``{"type": "json_object"}``."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return _response_format(check, value)


@dataclass(frozen=True)
class NotStreamed:
    """The literal False: Terraform cannot consume a streamed response."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        _stream(check, value)


@dataclass(frozen=True)
class Triggers:
    """A map of strings (or a map token); an empty map is none."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return value or None if value is not None and check.fits(name, value, StringMap()) else None


@dataclass(frozen=True)
class Seconds:
    """A literal whole number of seconds from 1 to a day: it is written into the waiter's command."""

    takes_constructs: bool = False

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return _wait_timeout(check, value)


@dataclass(frozen=True)
class ProviderConfiguration:
    """A provider configuration for mkdev-me/openai of this app's framework, in the construct's stack."""

    takes_constructs: bool = True

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        return _provider(check, value, check.surroundings.provider_class, check.surroundings.in_stack)


@dataclass(frozen=True)
class Dependables:
    """A literal list of what Terraform can depend on, in the construct's stack."""

    takes_constructs: bool = True

    def __call__(self, check: Checker, name: str, value: Any, values: Mapping[str, Any]) -> Any:
        """Check the input; return what the bindings take."""
        surroundings = check.surroundings
        return _depends_on(check, value, surroundings.dependables, surroundings.in_stack)


@dataclass(frozen=True)
class Checked:
    """What :func:`check_inputs` returns: every input's checked value by name, and the warnings to show."""

    values: dict[str, Any]
    warnings: tuple[tuple[str, str], ...]


def check_inputs(
    subject: str,
    rules: Mapping[str, Rule],
    raw: Mapping[str, Any],
    surroundings: Surroundings,
    *,
    stack: Callable[[], Any] | None,
    unknown_marker: Callable[[Any], str | None] = lambda _: None,
    scope_path: Sequence[str] = (),
    id_in_use: Callable[[], bool] | None = None,
) -> Checked:
    """Check every input by its rule (in the order of ``rules``) and return them checked.

    :param subject: how the error names the construct, e.g. ``ThreadRunConstruct 'run'``.
    :param rules: each input's rule, by name (the declaration, :data:`~openai_thread_run.props.PROPS`).
    :param raw: the keyword arguments exactly as the user passed them (and ``id``).
    :param surroundings: what the rules of inputs that are constructs need to know.
    :param stack: returns the stack, to learn the declared type of a variable passed as a kernel token.
    :param unknown_marker: a token marker in a value that no token of the program made, or None
        (:func:`~openai_thread_run.tokens.unknown_marker`).
    :param scope_path: the ids of the constructs between the stack and the construct (see
        :func:`check_construct_id`).
    :param id_in_use: whether another construct in the scope has the id; asked only when there are other
        problems, so that the error lists them all (the construct catches a duplicate id otherwise).
    :raises ValidationError: listing every problem, each with its input path.
    """
    check = Checker(CheckContext(stack=stack), surroundings)
    check.problems.extend(check_construct_id("ThreadRunConstruct", raw["id"], scope_path))
    values = {
        name: raw[name] if rule.takes_constructs else plain(raw[name], name, check.problems)
        for name, rule in rules.items()
    }
    checked = {name: rule(check, name, values[name], values) for name, rule in rules.items()}
    text = _TextRules(check, unknown_marker)
    for name, rule in rules.items():
        if not rule.takes_constructs:
            text.walk(values[name], name)
    if check.problems:
        if id_in_use is not None and all(problem.path != "id" for problem in check.problems) and id_in_use():
            check.problems.insert(0, duplicate_id_problem(raw["id"]))
        raise ValidationError(subject, check.problems)
    warnings = sorted([*check.warnings, *text.warnings()], key=lambda warning: WARNING_ORDER.index(warning[0]))
    return Checked(checked, tuple(warnings))
