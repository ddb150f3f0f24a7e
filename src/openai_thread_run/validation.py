"""What users may pass to ThreadRunConstruct: every rule, checked in pure Python before anything is emitted.

:func:`validate_inputs` collects every broken rule and raises one :class:`ValidationError`, or returns the
inputs normalized into the shapes the bindings take (:class:`RunInputs`). A cdktf/cdktn token is never
rejected where a value from another resource could be valid; only values that decide the *structure* of what
is emitted (``create_new_thread``, the lists of messages and tools and their items) must be literal.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from ._warnings import warn_user
from .bindings.blocks import FunctionBlock, ResponseFormatBlock, ThreadMessageBlock, ToolBlock
from .errors import Problem, ValidationError
from .tokens import is_map_token, is_token

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
#: The largest integer a JavaScript number (and so jsii, on the way to the JSON) holds exactly: 2**53 - 1.
MAX_EXACT_INTEGER = 2**53 - 1
MAX_TOOLS = 20
FUNCTION_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
#: Why some tool types cannot be used, even though users know them from the API docs.
UNSUPPORTED_TOOL_TYPES = {
    "file_search": "provider 1.2.0 cannot send file_search tools (its openai_thread_run accepts only "
    "code_interpreter, retrieval and function)",
    "retrieval": "the Assistants v2 API rejects 'retrieval' (v2 replaced it with file_search)",
}
RerunTriggerResource: TypeAlias = Literal["null_resource", "terraform_data"]
RERUN_TRIGGER_RESOURCES: tuple[RerunTriggerResource, ...] = ("null_resource", "terraform_data")
#: Map keys that cannot reach the JSON, and why.
RESERVED_MAP_KEYS = {
    "__proto__": "the jsii kernel refuses it in maps, so it cannot be passed to cdktf",
    "//": "cdktf drops it from the JSON (it is the key of cdktf's comments), so the entry would be lost",
}
MESSAGE_KEYS = ("role", "content", "metadata")
FUNCTION_KEYS = ("name", "description", "parameters")


class ProviderDefectWarning(UserWarning):
    """An input is valid, but a known defect of provider 1.2.0 changes what reaches the API (see README)."""


class ZeroSamplingValueWarning(ProviderDefectWarning):
    """temperature=0 or top_p=0 was given: provider 1.2.0 does not send it, so the API default 1.0 applies."""


@dataclass(frozen=True)
class RunInputs:
    """The inputs of one ThreadRunConstruct after validation, in the shapes the bindings take."""

    assistant_id: str
    create_new_thread: bool
    existing_thread_id: str | None
    messages: list[ThreadMessageBlock]
    thread_metadata: dict[str, str] | None
    model: str | None
    instructions: str | None
    tools: list[ToolBlock]
    metadata: dict[str, str] | None
    temperature: float | None
    top_p: float | None
    max_completion_tokens: int | None
    response_format: ResponseFormatBlock | None
    rerun_triggers: dict[str, str] | None
    rerun_trigger_resource: RerunTriggerResource


class _Collector:
    """Accumulates problems so that every broken rule is reported in one error."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, problem: str, got: object, expected: str) -> None:
        self.problems.append(Problem(path, problem, got, expected))

    # -- scalar rules ---------------------------------------------------------------------------------------

    def string(self, path: str, value: Any, *, required: bool, non_empty: bool = True) -> str | None:
        """Check an optional or required string; tokens pass. Returns the value when it is usable."""
        if value is None:
            if required:
                self.add(path, "is required", value, "a non-empty string or a token")
            return None
        if not isinstance(value, str):
            self.add(path, "must be a string", value, "a non-empty string or a token")
            return None
        if non_empty and not value and not is_token(value):
            self.add(path, "must not be empty", value, "a non-empty string or a token")
            return None
        return value

    def number(self, path: str, value: Any, bounds: tuple[float, float]) -> float | None:
        """Check an optional number within ``bounds`` (inclusive); tokens pass."""
        low, high = bounds
        expected = f"a number from {low:g} to {high:g}, or a token"
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(path, "must be a number", value, expected)
            return None
        if is_token(value):
            return value
        # compared as is: float(value) would overflow for a huge int
        if (isinstance(value, float) and not math.isfinite(value)) or not low <= value <= high:
            self.add(path, f"must be between {low:g} and {high:g}", value, expected)
            return None
        return value

    def integer(self, path: str, value: Any, minimum: int, why: str) -> int | None:
        """Check an optional integer >= ``minimum``; number tokens pass."""
        expected = f"an integer >= {minimum}, or a token"
        if value is None:
            return None
        if isinstance(value, float) and is_token(value):
            return value  # type: ignore[return-value]  # an encoded number token stands for an integer
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, "must be an integer", value, expected)
            return None
        if value < minimum:
            self.add(path, f"must be at least {minimum} ({why})", value, expected)
            return None
        if value > MAX_EXACT_INTEGER:
            self.add(
                path,
                f"must be at most {MAX_EXACT_INTEGER}: larger integers lose precision on the way through jsii "
                "(JavaScript numbers) and overflow the provider's integer",
                value,
                expected,
            )
            return None
        return value

    # -- structured rules -----------------------------------------------------------------------------------

    def string_map(self, path: str, value: Any, *, limits: bool) -> dict[str, str] | None:
        """Check a str->str map; with ``limits``, also the API's metadata limits. Map tokens pass."""
        expected = (
            f"a map of up to {METADATA_MAX_KEYS} keys of at most {METADATA_MAX_KEY_LENGTH} characters to "
            f"strings of at most {METADATA_MAX_VALUE_LENGTH} characters"
            if limits
            else "a map of strings to strings"
        )
        if value is None:
            return None
        if is_map_token(value):
            if isinstance(value, Mapping) and not all(isinstance(item, str) for item in value.values()):
                self.add(path, "must be a map of strings, not a number map token", value, expected)
                return None
            return value  # type: ignore[no-any-return]  # a map token (from a variable or another resource)
        if is_token(value):
            self.add(
                path,
                "must be a map: a string, number or list token cannot stand for one (wrap a map value in "
                "Token.as_string_map)",
                value,
                expected,
            )
            return None
        if not isinstance(value, Mapping):
            self.add(path, "must be a map of strings", value, expected)
            return None
        ok = True
        if limits and len(value) > METADATA_MAX_KEYS:
            self.add(path, f"has {len(value)} keys, more than {METADATA_MAX_KEYS}", value, expected)
            ok = False
        for key, item in value.items():
            item_path = f"{path}[{key!r}]"
            if not isinstance(key, str) or not key:
                self.add(item_path, "key must be a non-empty string", key, expected)
                ok = False
                continue
            if key in RESERVED_MAP_KEYS:
                self.add(item_path, f"key cannot be used: {RESERVED_MAP_KEYS[key]}", key, expected)
                ok = False
                continue
            if limits and len(key) > METADATA_MAX_KEY_LENGTH and not is_token(key):
                self.add(item_path, f"key is longer than {METADATA_MAX_KEY_LENGTH} characters", key, expected)
                ok = False
            if not isinstance(item, str):
                self.add(item_path, "value must be a string", item, expected)
                ok = False
            elif limits and len(item) > METADATA_MAX_VALUE_LENGTH and not is_token(item):
                self.add(item_path, f"value is longer than {METADATA_MAX_VALUE_LENGTH} characters", item, expected)
                ok = False
        return dict(value) if ok else None

    def items(self, path: str, value: Any, what: str) -> list[Any]:
        """Check that ``value`` is a literal list (or tuple) of items; returns them, or [] on a problem."""
        if value is None:
            return []
        if is_token(value):
            self.add(
                path,
                f"must be a literal list: each {what} becomes its own Terraform block or resource, so a token "
                "cannot stand for the whole list",
                value,
                f"a list of {what}s",
            )
            return []
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            self.add(path, "must be a list", value, f"a list of {what}s")
            return []
        return list(value)

    def record(self, path: str, value: Any, what: str, keys: Sequence[str]) -> Mapping[str, Any] | None:
        """Check one list item: a dataclass helper or a mapping with only the known ``keys``."""
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        if not isinstance(value, Mapping) or is_token(value):
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

    def choice(self, path: str, value: Any, allowed: Sequence[str], reasons: Mapping[str, str]) -> str | None:
        """Check that ``value`` is one of ``allowed``; ``reasons`` explain well-known values that are not."""
        expected = " or ".join(repr(option) for option in allowed)
        if isinstance(value, str) and is_token(value):
            return value
        if value in allowed:
            return str(value)
        problem = reasons.get(value, "is not allowed") if isinstance(value, str) else "must be a string"
        self.add(path, problem, value, expected)
        return None


# -- per-input rules ----------------------------------------------------------------------------------------


def _messages(check: _Collector, value: Any) -> list[ThreadMessageBlock]:
    messages: list[ThreadMessageBlock] = []
    for index, item in enumerate(check.items("messages", value, "message")):
        path = f"messages[{index}]"
        message = check.record(path, item, "message", MESSAGE_KEYS)
        if message is None:
            continue
        role = check.choice(f"{path}.role", message.get("role"), ROLES, {})
        content = check.string(f"{path}.content", message.get("content"), required=True)
        metadata = check.string_map(f"{path}.metadata", message.get("metadata"), limits=True)
        if role is not None and content is not None:
            block: ThreadMessageBlock = {"role": role, "content": content}
            if metadata is not None:
                block["metadata"] = metadata
            messages.append(block)
    return messages


def _parameters(check: _Collector, path: str, value: Any) -> str | None:
    """Return function parameters as the provider wants them: a JSON string of an object, keys sorted."""
    expected = "a JSON Schema object, as a dict or a JSON string"
    if value is None or (isinstance(value, str) and is_token(value)):
        return value
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError as exc:
            check.add(path, f"is not valid JSON ({exc})", value, expected)
            return None
        if not isinstance(decoded, dict):
            check.add(path, "must encode a JSON object", value, expected)
            return None
        return value
    if isinstance(value, Mapping):
        try:
            return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            check.add(path, f"cannot be encoded as JSON ({exc})", value, expected)
            return None
    check.add(path, "must be a dict or a JSON string", value, expected)
    return None


def _function(check: _Collector, path: str, value: Any) -> FunctionBlock | None:
    if value is None:
        check.add(path, "is required for a function tool", value, "a mapping with name, description, parameters")
        return None
    function = check.record(path, value, "function", FUNCTION_KEYS)
    if function is None:
        return None
    name = function.get("name")
    if not (isinstance(name, str) and is_token(name)) and not (isinstance(name, str) and FUNCTION_NAME.match(name)):
        check.add(f"{path}.name", "is not a valid function name", name, f"a string matching {FUNCTION_NAME.pattern}")
        name = None
    description = check.string(f"{path}.description", function.get("description"), required=False, non_empty=False)
    parameters = _parameters(check, f"{path}.parameters", function.get("parameters"))
    if name is None:
        return None
    block: FunctionBlock = {"name": name}
    if description is not None:
        block["description"] = description
    if parameters is not None:
        block["parameters"] = parameters
    return block


def _tools(check: _Collector, value: Any) -> list[ToolBlock]:
    items = check.items("tools", value, "tool")
    if len(items) > MAX_TOOLS:
        check.add(
            "tools",
            f"has {len(items)} tools, more than {MAX_TOOLS}",
            len(items),
            f"at most {MAX_TOOLS} tools",
        )
    tools: list[ToolBlock] = []
    for index, item in enumerate(items):
        path = f"tools[{index}]"
        tool = check.record(path, item, "tool", ("type", "function"))
        if tool is None:
            continue
        kind = check.choice(f"{path}.type", tool.get("type"), TOOL_TYPES, UNSUPPORTED_TOOL_TYPES)
        if kind is None:
            continue
        given = tool.get("function")
        # a token type may well be "function": then a given function block is checked and kept
        if kind == "function" or (is_token(kind) and given is not None):
            function = _function(check, f"{path}.function", given)
            if function is not None:
                tools.append({"type": kind, "function": [function]})
        elif given is not None:
            check.add(f"{path}.function", f"only applies to function tools, not {kind}", given, "no function key")
        else:
            tools.append({"type": kind})
    return tools


def _response_format(check: _Collector, value: Any) -> ResponseFormatBlock | None:
    expected = "'auto', {'type': 'text'} or {'type': 'json_object'}"
    if value is None or value == "auto":
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


def _thread_choice(check: _Collector, create_new_thread: Any, existing_thread_id: Any, thread_metadata: Any) -> bool:
    """Check the thread inputs against each other; returns create_new_thread (True when it is unusable)."""
    if not isinstance(create_new_thread, bool):
        check.add(
            "create_new_thread",
            "must be a literal bool: it decides which resources are created",
            create_new_thread,
            "True or False",
        )
        return True
    if create_new_thread:
        if existing_thread_id is not None:
            check.add(
                "existing_thread_id",
                "must not be set when create_new_thread is True (set "
                "create_new_thread=False to run on an existing thread)",
                existing_thread_id,
                "None",
            )
    else:
        if existing_thread_id is None:
            check.add(
                "existing_thread_id",
                "is required when create_new_thread is False",
                None,
                "the id of the thread to run on, or a token",
            )
        else:
            check.string("existing_thread_id", existing_thread_id, required=True)
        if thread_metadata is not None:
            check.add(
                "thread_metadata",
                "only applies to a new thread: the construct never changes an existing thread",
                thread_metadata,
                "None when create_new_thread is False",
            )
    return create_new_thread


def _stream(check: _Collector, value: Any) -> None:
    if value is False:
        return
    if value is True:
        check.add("stream", "is not supported: Terraform cannot consume a streamed response", value, "False")
    else:
        check.add("stream", "must be a bool", value, "False")


def _rerun_trigger_resource(check: _Collector, value: Any) -> RerunTriggerResource | None:
    if is_token(value):
        check.add(
            "rerun_trigger_resource",
            "must be a literal: it decides which resource carries the triggers",
            value,
            " or ".join(map(repr, RERUN_TRIGGER_RESOURCES)),
        )
        return None
    return check.choice("rerun_trigger_resource", value, RERUN_TRIGGER_RESOURCES, {})  # type: ignore[return-value]


def _warn_zero(name: str, value: float | None) -> None:
    if value == 0 and not is_token(value):
        warn_user(
            f"{name}=0: provider 1.2.0 treats 0 as unset and does not send it, so the API default {name}=1.0 "
            "applies; use a small positive value such as 0.01 instead",
            ZeroSamplingValueWarning,
        )


def _warn_function_tools(tools: list[ToolBlock]) -> None:
    if any("function" in tool for tool in tools):
        warn_user(
            "function tools: provider 1.2.0 sends a run's function tool as a list holding a JSON string where the "
            "API wants an object, so the API rejects the run (400) at apply; see README, Known provider defects",
            ProviderDefectWarning,
        )


def validate_inputs(subject: str, raw: Mapping[str, Any]) -> RunInputs:
    """Check every input of ThreadRunConstruct and return them normalized.

    :param subject: how the error names the construct, e.g. ``ThreadRunConstruct 'run'``.
    :param raw: the keyword arguments exactly as the user passed them.
    :raises ValidationError: listing every problem, each with its input path.
    """
    check = _Collector()
    assistant_id = check.string("assistant_id", raw["assistant_id"], required=True)
    create_new_thread = _thread_choice(
        check, raw["create_new_thread"], raw["existing_thread_id"], raw["thread_metadata"]
    )
    rules: dict[str, Callable[[], Any]] = {
        "messages": lambda: _messages(check, raw["messages"]),
        "thread_metadata": lambda: check.string_map("thread_metadata", raw["thread_metadata"], limits=True),
        "model": lambda: check.string("model", raw["model"], required=False),
        "instructions": lambda: check.string("instructions", raw["instructions"], required=False),
        "tools": lambda: _tools(check, raw["tools"]),
        "metadata": lambda: check.string_map("metadata", raw["metadata"], limits=True),
        "temperature": lambda: check.number("temperature", raw["temperature"], TEMPERATURE_RANGE),
        "top_p": lambda: check.number("top_p", raw["top_p"], TOP_P_RANGE),
        "max_completion_tokens": lambda: check.integer(
            "max_completion_tokens", raw["max_completion_tokens"], MIN_COMPLETION_TOKENS, "the API's minimum"
        ),
        "stream": lambda: _stream(check, raw["stream"]),
        "response_format": lambda: _response_format(check, raw["response_format"]),
        "rerun_triggers": lambda: check.string_map("rerun_triggers", raw["rerun_triggers"], limits=False),
        "rerun_trigger_resource": lambda: _rerun_trigger_resource(check, raw["rerun_trigger_resource"]),
    }
    values = {name: rule() for name, rule in rules.items()}
    if check.problems:
        raise ValidationError(subject, check.problems)
    _warn_zero("temperature", values["temperature"])
    _warn_zero("top_p", values["top_p"])
    _warn_function_tools(values["tools"])
    return RunInputs(
        assistant_id=assistant_id,  # type: ignore[arg-type]  # checked: required
        create_new_thread=create_new_thread,
        existing_thread_id=None if create_new_thread else raw["existing_thread_id"],
        messages=values["messages"],
        thread_metadata=values["thread_metadata"],
        model=values["model"],
        instructions=values["instructions"],
        tools=values["tools"],
        metadata=values["metadata"],
        temperature=values["temperature"],
        top_p=values["top_p"],
        max_completion_tokens=values["max_completion_tokens"],
        response_format=values["response_format"],
        rerun_triggers=values["rerun_triggers"] or None,
        rerun_trigger_resource=values["rerun_trigger_resource"],
    )
