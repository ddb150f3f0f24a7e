"""ThreadRunConstruct's inputs, each declared once: name, type, default, what it does, and the rule it is checked by.

As AWS CDK's props (``QueueProps``), one declaration is the single source of everything about an input:

- the construct's typed ``__init__`` signature and its docstring (written from :data:`PROPS` into
  ``construct.py`` by ``scripts/render_signatures.py``, and checked by ``tests/unit/test_signatures.py``), and
  README's inputs table (``scripts/render_docs.py``, from that signature and docstring);
- how the construct's ``__new__`` refuses an unknown, positional or missing input (from that signature);
- validation (each input's :class:`~openai_thread_run.validation.Rule`, run in declaration order);
- what reaches the JSON: a :attr:`Prop.run_setting` goes to the run binding's attribute of the same name, and so
  into the prompt's ``run`` (:mod:`.elements`); the other inputs shape what the construct adds
  (:class:`ValidatedProps`).

A new run setting is one :class:`Prop` here, the attribute it lands in on the run binding
(:mod:`.bindings.thread_run`), and a test.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from .bindings.blocks import ThreadMessageBlock
from .validation import (
    MIN_COMPLETION_TOKENS,
    RERUN_TRIGGER_RESOURCES,
    TEMPERATURE_RANGE,
    TOP_P_RANGE,
    AtLeast,
    CheckedWith,
    Dependables,
    Messages,
    Metadata,
    NotStreamed,
    OneOf,
    ProviderConfiguration,
    RerunTriggerResource,
    ResponseFormat,
    Rule,
    Sampling,
    Seconds,
    Surroundings,
    Text,
    ThreadChoice,
    Tools,
    Triggers,
    check_inputs,
)
from .waiter_sources import WAITERS, Waiter


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


#: The default of an input that has none: it must be given.
REQUIRED: Final[Any] = _Required()


@dataclass(frozen=True)
class Prop:
    """One input of ThreadRunConstruct."""

    #: The keyword, as the HCL module names it.
    name: str
    #: Its type, as the signature writes it (names ``construct.py`` imports).
    annotation: str
    #: Its default, or :data:`REQUIRED`.
    default: Any
    #: What it does, for the docstring and README (reStructuredText; the default is added from :attr:`default`).
    doc: str
    #: How it is checked (:mod:`.validation`), which also gives the value the bindings take.
    rule: Rule
    #: An attribute of the run of the same name: handed to the run binding as checked, and in the prompt's ``run``.
    run_setting: bool = False


PROPS: tuple[Prop, ...] = (
    Prop("assistant_id", "str", REQUIRED, "assistant that executes the run.", Text(required=True), run_setting=True),
    Prop(
        "create_new_thread",
        "bool",
        True,
        "create a thread, or use ``existing_thread_id``.",
        CheckedWith("existing_thread_id"),
    ),
    Prop(
        "existing_thread_id",
        "str | None",
        None,
        "thread to run on when ``create_new_thread`` is False.",
        ThreadChoice(),
    ),
    Prop(
        "messages",
        "Sequence[MessageInput]",
        (),
        "messages to add to the thread, in order; their text is sent exactly as written.",
        Messages(),
    ),
    Prop("thread_metadata", "Mapping[str, str] | None", None, "metadata of the new thread.", Metadata()),
    Prop("model", "str | None", None, "overrides the assistant's model.", Text(), run_setting=True),
    Prop(
        "instructions",
        "str | None",
        None,
        "overrides the assistant's instructions for this run, sent exactly as written.",
        Text(),
        run_setting=True,
    ),
    Prop(
        "tools",
        "Sequence[ToolInput]",
        (),
        "tools for this run (code_interpreter, function).",
        Tools(),
        run_setting=True,
    ),
    Prop("metadata", "Mapping[str, str] | None", None, "metadata of the run.", Metadata(), run_setting=True),
    Prop(
        "temperature",
        "float | None",
        None,
        "sampling temperature, 0.0-2.0.",
        Sampling(TEMPERATURE_RANGE),
        run_setting=True,
    ),
    Prop("top_p", "float | None", None, "nucleus sampling, 0.0-1.0.", Sampling(TOP_P_RANGE), run_setting=True),
    Prop(
        "max_completion_tokens",
        "int | float | None",
        None,
        f"completion-token cap for the run, a whole number of at least {MIN_COMPLETION_TOKENS} (``float`` in the "
        "signature only so that a number token type-checks).",
        AtLeast(MIN_COMPLETION_TOKENS, "the API's minimum"),
        run_setting=True,
    ),
    Prop("stream", "bool", False, "must stay False: Terraform cannot consume a stream.", NotStreamed()),
    Prop(
        "response_format",
        "ResponseFormatInput | None",
        None,
        '``"auto"``, ``{"type": "text"}`` or ``{"type": "json_object"}``.',
        ResponseFormat(),
        run_setting=True,
    ),
    Prop(
        "rerun_triggers",
        "Mapping[str, str] | None",
        None,
        "str-to-str map; changing any value starts a new run.",
        Triggers(),
    ),
    Prop(
        "rerun_trigger_resource",
        "RerunTriggerResource",
        "null_resource",
        'what carries ``rerun_triggers``: ``"null_resource"`` (provider hashicorp/null) or ``"terraform_data"`` '
        "(built into Terraform >= 1.4, nothing to install; for air-gapped provider mirrors).",
        OneOf(RERUN_TRIGGER_RESOURCES, "it decides which resource carries the triggers"),
    ),
    Prop(
        "wait_for_completion",
        "bool",
        True,
        "wait inside ``terraform apply`` until the run finishes, so outputs hold final values and ``response`` the "
        "answer (needs ``python3``, or ``sh`` with ``curl``, where Terraform runs: see ``waiter``).",
        OneOf((True, False), "it decides which resources are created"),
    ),
    Prop(
        "wait_timeout_seconds",
        "int",
        600,
        "how long to wait, 1-86400 seconds; a run still unfinished then fails the apply, and once it has ended the "
        "next apply checks the same run again.",
        Seconds(),
    ),
    Prop(
        "waiter",
        "Waiter",
        "auto",
        'the program that waits, where ``terraform apply`` runs: ``"python"`` (``python3`` >= 3.9), ``"sh"`` (POSIX '
        '``sh``, ``awk``, ``date``, ``mktemp``, ``rm``, ``sleep`` and ``curl`` or GNU ``wget``), or ``"auto"``, '
        "which runs ``sh`` and hands over to ``python3`` where it is installed. Both programs poll, retry and report "
        "alike.",
        OneOf(WAITERS, "it decides which program waits for the run"),
    ),
    Prop(
        "provider",
        "constructs.Construct | None",
        None,
        "the provider configuration for mkdev-me/openai to use (e.g. an aliased ``OpenaiProvider``); every resource "
        "and data source of the construct uses it, and ``None`` means the stack's default configuration.",
        ProviderConfiguration(),
    ),
    Prop(
        "depends_on",
        "Sequence[constructs.IConstruct] | None",
        None,
        "what the construct waits for before it posts anything: resources, data sources, modules, or other "
        "ThreadRunConstructs (until their run has finished), of the same stack. A construct on a thread that another "
        "one runs on waits for that one without it.",
        Dependables(),
    ),
)
#: Each input's declaration, by name.
BY_NAME: dict[str, Prop] = {prop.name: prop for prop in PROPS}
#: The run settings, in declaration order: what the run binding takes from the construct.
RUN_SETTINGS: tuple[str, ...] = tuple(prop.name for prop in PROPS if prop.run_setting)


@dataclass(frozen=True)
class ValidatedProps:
    """The inputs of one ThreadRunConstruct after validation, in the shapes the bindings take.

    The run settings are one mapping, handed to the run binding as they are; the other inputs are fields named as
    the inputs (a test checks that every input is one or the other).
    """

    #: Every run setting that is set (not None, not empty), by name: the run binding's keyword arguments.
    run_settings: dict[str, Any]
    existing_thread_id: str | None
    messages: list[ThreadMessageBlock]
    thread_metadata: dict[str, str] | None
    rerun_triggers: dict[str, str] | None
    rerun_trigger_resource: RerunTriggerResource
    wait_for_completion: bool
    wait_timeout_seconds: int
    waiter: Waiter
    provider: Any | None
    #: What the construct waits for (``depends_on``): resources, data sources, modules, other thread-runs.
    depends_on: tuple[Any, ...]
    #: ``(code, message)`` of each warning to show (as an annotation on the construct).
    warnings: tuple[tuple[str, str], ...]


#: The inputs that are fields of :class:`ValidatedProps` (the rest are run settings, or decide nothing further).
_FIELDS = {field.name for field in dataclasses.fields(ValidatedProps)}


def validate_props(
    subject: str,
    given: Mapping[str, Any],
    surroundings: Surroundings,
    *,
    stack: Callable[[], Any] | None,
    unknown_marker: Callable[[Any], str | None] = lambda _: None,
    scope_path: Sequence[str] = (),
    id_in_use: Callable[[], bool] | None = None,
) -> ValidatedProps:
    """Check every input of a ThreadRunConstruct by its declared rule; return them as the construct uses them.

    :param given: the keyword arguments exactly as the user passed them, and ``id``.
    :raises ValidationError: listing every invalid input.

    The other parameters are :func:`~openai_thread_run.validation.check_inputs`'.
    """
    checked = check_inputs(
        subject,
        {prop.name: prop.rule for prop in PROPS},
        given,
        surroundings,
        stack=stack,
        unknown_marker=unknown_marker,
        scope_path=scope_path,
        id_in_use=id_in_use,
    )
    values = checked.values
    return ValidatedProps(
        run_settings={name: values[name] for name in RUN_SETTINGS if values[name] not in (None, [])},
        warnings=checked.warnings,
        **{name: values[name] for name in _FIELDS if name in BY_NAME},
    )


def signature() -> inspect.Signature:
    """Return the construct's ``__init__`` signature as the declaration gives it (annotations as text)."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature(
        [
            inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("scope", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="constructs.Construct"),
            inspect.Parameter("id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="str"),
            *(
                inspect.Parameter(
                    prop.name,
                    keyword,
                    annotation=prop.annotation,
                    default=inspect.Parameter.empty if prop.default is REQUIRED else prop.default,
                )
                for prop in PROPS
            ),
        ],
        return_annotation="None",
    )
