"""The elements of one ThreadRunConstruct, each added by a named function, and what the stack asks of them.

- :func:`add_prompt`: the **prompt**, a ``terraform_data`` whose ``triggers_replace`` carries what the run answers:
  ``messages`` (each message's role, content and metadata) and ``run`` (every run setting, and the existing
  thread's id). The run is ``replace_triggered_by`` all of it, the new thread (or the existing thread's messages)
  by ``messages``: a changed message starts a new conversation and a new run, a changed setting a new run on the
  same thread. Provider 1.2.0 alone would update a thread's messages in place (sending nothing) and never
  replace a run whose messages changed.
- :func:`add_thread` (``create_new_thread=True``): one ``openai_thread`` holding the messages. A resource of its
  own, not the run's inline ``thread`` block, so ``terraform destroy`` deletes it (the run's delete is a no-op)
  and changing a run setting replaces only the run.
- :func:`add_messages` (``create_new_thread=False``): one ``openai_message`` per message on
  ``existing_thread_id``, each depending on the previous one; the existing thread is never changed or deleted.
- :func:`add_rerun_trigger` (``rerun_triggers``): a ``null_resource`` carrying them as ``triggers`` (or a built-in
  ``terraform_data`` as ``triggers_replace``); the run is replaced when it is.
- :func:`add_run`: the ``openai_thread_run``, which ignores ``existing_thread_id`` (an import does not read it
  back; on an existing thread it is in the prompt).
- :class:`~.waiter_element.Waiting` (``wait_for_completion``): the waiter and the data sources read after it.

:class:`ThreadRunElements` holds them (every field is set in its ``__init__``), keeps the prompt up to date, and
is what the construct records for the stack's synth-time checks (:class:`~.stack_records.RecordedThreadRun`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import constructs

from ._framework import Framework
from .bindings._base import ElementBase, inputs_prechecked, synthesized
from .bindings.data_sources import DataOpenaiMessagesInit, DataOpenaiRunBase, DataOpenaiRunInit
from .bindings.message import OpenaiMessageBase, OpenaiMessageInit
from .bindings.terraform_data import TerraformDataBase, TerraformDataInit
from .bindings.thread import OpenaiThreadBase, OpenaiThreadInit
from .bindings.thread_run import OpenaiThreadRunBase, OpenaiThreadRunInit
from .ordering import previous_on_literal_thread, reference
from .props import ValidatedProps
from .stack_records import StackRecords
from .templates import escape_data
from .tokens import token_kind
from .waiter_element import Waiting, response_expression
from .waiter_sources import Waiter

#: The ``terraform_data`` that carries what the run answers (see :func:`prompt_value`).
PROMPT_ID = "prompt"
#: The part of it whose change replaces the new thread, or the existing thread's messages.
PROMPT_MESSAGES = "triggers_replace.messages"


@dataclass(frozen=True)
class BindingClasses:
    """The binding classes a ThreadRunConstruct creates, all of one framework (each framework's class names them)."""

    run: type[OpenaiThreadRunInit]
    thread: type[OpenaiThreadInit]
    message: type[OpenaiMessageInit]
    terraform_data: type[TerraformDataInit]
    data_run: type[DataOpenaiRunInit]
    data_messages: type[DataOpenaiMessagesInit]


def add_prompt(construct: constructs.Construct, classes: BindingClasses) -> TerraformDataBase:
    """Add the prompt, empty: its value is written once the elements it describes exist (:func:`prompt_value`)."""
    return classes.terraform_data(construct, PROMPT_ID)


def add_thread(
    construct: constructs.Construct,
    classes: BindingClasses,
    inputs: ValidatedProps,
    lifecycle: Any,
    routed: Mapping[str, Any],
) -> OpenaiThreadBase:
    """Add the new thread holding the messages; it waits for what the construct's ``depends_on`` names."""
    return classes.thread(
        construct,
        "thread",
        messages=inputs.messages or None,
        metadata=inputs.thread_metadata,
        depends_on=list(inputs.depends_on) or None,
        lifecycle=lifecycle,
        **routed,
    )


def add_messages(
    construct: constructs.Construct,
    classes: BindingClasses,
    inputs: ValidatedProps,
    waits_for: list[Any],
    lifecycle: Any,
    routed: Mapping[str, Any],
) -> tuple[OpenaiMessageBase, ...]:
    """Add one message per input message on the existing thread, each after the previous one.

    The first one waits for ``waits_for``: what ``depends_on`` named, and the construct before it on the thread.
    """
    added: list[OpenaiMessageBase] = []
    for index, message in enumerate(inputs.messages):
        added.append(
            classes.message(
                construct,
                f"message-{index}",
                thread_id=cast(str, inputs.existing_thread_id),
                role=message["role"],
                content=message["content"],
                metadata=message.get("metadata"),
                depends_on=added[-1:] or waits_for or None,
                lifecycle=lifecycle,
                **routed,
            )
        )
    return tuple(added)


def add_rerun_trigger(
    construct: constructs.Construct, classes: BindingClasses, fw: Framework, inputs: ValidatedProps
) -> Any:
    """Add what carries ``rerun_triggers`` (a ``null_resource``, or a ``terraform_data``), or return None."""
    triggers = inputs.rerun_triggers
    if triggers is None:
        return None
    if inputs.rerun_trigger_resource == "terraform_data":
        return classes.terraform_data(construct, "rerun-trigger", triggers_replace=escape_data(triggers))
    # The prebuilt binding wants a dict of strings: a map token (a kernel object, a number map) becomes a string
    # map token, and a number or kernel token in the dict the string token of the same value.
    token = fw.core.Token
    values = cast(Mapping[str, Any], triggers)  # typed str -> str, but a value may be a token of another type
    if token_kind(values) is not None:
        triggers = token.as_string_map(values)
    else:
        triggers = {key: item if isinstance(item, str) else token.as_string(item) for key, item in values.items()}
    _, null_resource = fw.null_classes()
    return null_resource(construct, "rerun-trigger", triggers=escape_data(triggers))


def add_run(
    construct: constructs.Construct,
    classes: BindingClasses,
    inputs: ValidatedProps,
    *,
    thread_id: str,
    depends_on: Sequence[Any] | None,
    lifecycle: Any,
    routed: Mapping[str, Any],
) -> OpenaiThreadRunBase:
    """Add the run on ``thread_id``, with every run setting of ``inputs`` (each an attribute of the same name)."""
    return classes.run(
        construct,
        "run",
        existing_thread_id=thread_id,
        depends_on=depends_on,
        lifecycle=lifecycle,
        **inputs.run_settings,
        **routed,
    )


def prompt_value(
    thread: OpenaiThreadBase | None, messages: Sequence[OpenaiMessageBase], run: OpenaiThreadRunBase
) -> dict[str, Any]:
    """Return what the run answers, as Terraform receives it: the prompt's ``triggers_replace``.

    ``messages``: each message's role, content and metadata (a change replaces the new thread, or posts the
    existing thread's messages again); ``run``: every setting of the run, and the existing thread's id.
    """
    if thread is not None:
        written = list(synthesized(thread).get("messages", []))
        run_excluded: tuple[str, ...] = ("stream", "existing_thread_id")  # the new thread's id: a cycle
    else:
        written = [
            {name: value for name, value in attributes.items() if name != "thread_id"}
            for attributes in (synthesized(message) for message in messages)
        ]
        run_excluded = ("stream",)
    settings = synthesized(run)
    return {"messages": written, "run": {name: value for name, value in settings.items() if name not in run_excluded}}


def _refer_to(element: Any) -> str:
    """Return ``type.name`` of an element the construct refers to as text: fixed from then on, as a token would."""
    if isinstance(element, ElementBase):
        return element._refer()  # pyright: ignore[reportPrivateUsage]
    return reference(element)  # another framework binding (null_resource): reading its logical id fixes it


class ThreadRunElements:
    """The elements of one ThreadRunConstruct, and what the stack's synth-time checks ask of them."""

    def __init__(
        self,
        construct: constructs.Construct,
        classes: BindingClasses,
        fw: Framework,
        records: StackRecords,
        inputs: ValidatedProps,
    ) -> None:
        """Add every element of the construct, in the order Terraform needs them."""
        routed = {"provider": inputs.provider} if inputs.provider is not None else {}
        lifecycle = fw.core.TerraformResourceLifecycle
        self._construct = construct
        self.fw = fw
        self.inputs = inputs
        self.prompt = add_prompt(construct, classes)
        prompt = self.prompt._refer()  # pyright: ignore[reportPrivateUsage]
        new_messages = lifecycle(replace_triggered_by=[f"{prompt}.{PROMPT_MESSAGES}"])
        # on an existing thread it waits for the construct created before it on that thread, if known now
        previous = previous_on_literal_thread(inputs.existing_thread_id, records)
        waits_for = [*inputs.depends_on, *([previous.last()] if previous is not None else [])]
        if inputs.existing_thread_id is None:
            self.thread: OpenaiThreadBase | None = add_thread(construct, classes, inputs, new_messages, routed)
            self.messages: tuple[OpenaiMessageBase, ...] = ()
            thread_id = self.thread._refer("id")  # pyright: ignore[reportPrivateUsage]
            ignored = ["stream"]
        else:
            self.thread = None
            self.messages = add_messages(construct, classes, inputs, waits_for, new_messages, routed)
            thread_id = inputs.existing_thread_id
            # on an existing thread, existing_thread_id is in the prompt (which replaces the run); the provider does
            # not read it back on import, so without this an imported run would plan a replacement
            ignored = ["stream", "existing_thread_id"]
        self.rerun_trigger = add_rerun_trigger(construct, classes, fw, inputs)
        replace_on = [_refer_to(self.rerun_trigger)] if self.rerun_trigger is not None else []
        self.run = add_run(
            construct,
            classes,
            inputs,
            thread_id=thread_id,
            depends_on=self.messages[-1:] or (waits_for or None if self.thread is None else None),
            lifecycle=lifecycle(replace_triggered_by=[*replace_on, prompt], ignore_changes=ignored),
            routed=routed,
        )
        #: The construct's node (asked once: every read of ``node`` is a jsii round trip).
        self.node = construct.node
        self.node.default_child = cast(constructs.IConstruct, self.run)
        #: The prompt's value as last written (see :meth:`write_prompt`).
        self.prompt_written: dict[str, Any] | None = None
        self.write_prompt()
        self.waiting = (
            Waiting(
                construct,
                classes,
                records,
                inputs.waiter,
                inputs.wait_timeout_seconds,
                (self.run._refer("id"), self.run._refer("thread_id")),  # pyright: ignore[reportPrivateUsage]
                inputs.provider,
            )
            if inputs.wait_for_completion
            else None
        )
        #: Tokens of the construct's locals by name (``response``, token counts), made on first use.
        self.expression_tokens: dict[str, Any] = {}
        #: What the first element waits for besides the ``depends_on`` input, as written (see :meth:`wait_for`).
        self.waits_written = [previous.dependency_reference()] if previous is not None else []
        #: What ``depends_on=`` gave the first element, asked once when :meth:`wait_for` first needs it.
        self.given_written: list[str] | None = None
        if isinstance(inputs.existing_thread_id, str) and token_kind(inputs.existing_thread_id) is None:
            records.last_on_thread[inputs.existing_thread_id] = self

    def write_prompt(self) -> None:
        """Write the prompt's value, unless it is what was written last (its parts may have changed since)."""
        value = prompt_value(self.thread, self.messages, self.run)
        if value != self.prompt_written:
            with inputs_prechecked():  # every part was checked by the element it comes from
                self.prompt.triggers_replace = value
            self.prompt_written = value

    # -- outputs ---------------------------------------------------------------------------------------------------

    def read(self) -> DataOpenaiRunBase | OpenaiThreadRunBase:
        """Return where the run's final attributes are read: after waiting, else the run as created."""
        return self.waiting.final_run if self.waiting is not None else self.run

    def token_count(self, key: str) -> float:
        """Return a token for one entry of the run's ``usage`` (null until a refresh without waiting)."""
        count = self.read().usage.lookup(key)
        if self.waiting is not None:
            return count  # read after the run finished: usage is set
        # read right after creation, usage is null: indexing it would fail the apply
        expression = "${try(" + self.fw.core.Token.as_string(count) + ", null)}"
        return cast(float, self.expression_token(key, expression, number=True))

    def response(self) -> str:
        """Return a token for the text of the assistant messages the run added (only when waiting)."""
        if self.waiting is None:
            raise ValueError(
                f"{self.node.path}: response needs wait_for_completion=True (without waiting, the run has not "
                "answered when Terraform applies)"
            )
        expression = response_expression(self.waiting.replies.messages, self.run.id, self.fw)
        return cast(str, self.expression_token("response", expression))

    def expression_token(self, name: str, expression: str, *, number: bool = False) -> Any:
        """Return a token for a Terraform ``expression``: a reference to the construct's local ``name``.

        A token, unlike the expression's text, can go anywhere a value can: into another construct's text (which
        is escaped, tokens aside), ``Fn.*``, ``jsonencode`` parameters. The local is created on first use.
        """
        found = self.expression_tokens.get(name)
        if found is None:
            local = self.fw.core.TerraformLocal(self._construct, name, expression)
            found = local.as_number if number else local.as_string
            self.expression_tokens[name] = found
        return found

    def last(self) -> OpenaiThreadRunBase | TerraformDataBase:
        """Return what finishes last: the waiter when there is one, else the run."""
        return self.waiting.element if self.waiting is not None else self.run

    # -- RecordedThreadRun: what the stack's synth-time checks ask ----------------------------------------------

    @property
    def construct(self) -> constructs.Construct:
        """The ThreadRunConstruct."""
        return self._construct

    @property
    def given_dependencies(self) -> tuple[Any, ...]:
        """What the construct's ``depends_on`` input named."""
        return self.inputs.depends_on

    @property
    def existing_thread(self) -> Any:
        """The ``existing_thread_id`` the construct was given, or None on a new thread."""
        return self.inputs.existing_thread_id

    @property
    def given_assistant_id(self) -> str:
        """The ``assistant_id`` as passed (a token when it is another resource's attribute)."""
        return cast(str, self.inputs.run_settings["assistant_id"])

    def uses_default_provider(self) -> bool:
        """Whether the construct uses the stack's default provider configuration (no ``provider=`` given)."""
        return self.inputs.provider is None

    def needs_null_provider(self) -> bool:
        """Whether the construct's rerun trigger is a ``null_resource`` (which needs provider hashicorp/null)."""
        return self.rerun_trigger is not None and self.inputs.rerun_trigger_resource == "null_resource"

    def passes_no_tools(self) -> bool:
        """Whether the run passes no tools (so it runs with its assistant's)."""
        return "tools" not in self.inputs.run_settings

    def waiter_kind(self) -> Waiter | None:
        """Return the construct's ``waiter`` input when it waits for its run, else None."""
        return self.inputs.waiter if self.waiting is not None else None

    def prepare_synthesis(self, default_provider: Any | None) -> None:
        """Bring what is derived from other elements up to date before synthesis.

        The prompt (its elements may have been changed through their setters) and the waiter's provisioner (a
        provider may be declared or changed later).
        """
        self.write_prompt()
        if self.waiting is not None:
            provider = self.inputs.provider if self.inputs.provider is not None else default_provider
            self.waiting.write_provisioner(provider)

    def dependency_reference(self) -> str:
        """Return ``type.name`` of what depending on the construct means, as ``depends_on`` takes it (at synth)."""
        return reference(self.last())

    def node_dependencies(self) -> list[Any]:
        """Return what ``construct.node.add_dependency(...)`` added (one jsii round trip)."""
        return list(self.node.dependencies)

    def thread_names(self, resolve: Callable[[Any], str]) -> list[str]:
        """Return the expressions that name the run's thread (``resolve`` turns a token into its expression)."""
        names = ["${" + reference(self.run) + ".thread_id}"]
        if self.thread is not None:
            names.append("${" + reference(self.thread) + ".id}")
        else:
            given = self.inputs.existing_thread_id
            names.append(resolve(given) if token_kind(given) is not None else str(given))
        return names

    def wait_for(self, references: list[str]) -> None:
        """Make the first element that reaches the API wait for ``references`` (bare ``type.name``) too.

        Besides what the ``depends_on`` input named; writes ``depends_on`` only when it changes (at creation the
        construct already waits for the one before it on a thread given by a literal id, which is usually it).
        """
        wanted = list(dict.fromkeys(references))
        if wanted == self.waits_written:
            return
        first: ElementBase = self.thread if self.thread is not None else (self.messages or (self.run,))[0]
        if self.given_written is None:  # what depends_on= gave it at creation (asked once, if anything)
            given = len(self.inputs.depends_on)
            self.given_written = list(first.depends_on or [])[:given] if given else []
        self.waits_written = wanted
        first.depends_on = [*self.given_written, *wanted]
