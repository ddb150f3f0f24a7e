"""ThreadRunConstruct: the "OpenAI Thread Run" module as one construct, written once for cdktf and cdktn.

How the inputs (checked by :mod:`openai_thread_run.validation`) meet the bindings (:mod:`.bindings`):

- ``create_new_thread=True``: one ``openai_thread`` holding the messages, and one ``openai_thread_run`` on
  it. The thread is its own resource, not the run's inline ``thread`` block, so ``terraform destroy`` deletes
  it (the run's delete is a no-op) and changing a run setting replaces only the run.
- ``create_new_thread=False``: the run goes on ``existing_thread_id``; each message becomes an
  ``openai_message`` that depends on the previous one, and the run depends on the last. The existing thread is
  never changed or deleted.
- The **prompt**, a ``terraform_data``, carries what the run answers as ``triggers_replace``: ``messages`` (each
  message's role, content and metadata) and ``run`` (every run setting, and the existing thread's id). The run
  is ``replace_triggered_by`` all of it, the new thread (or the existing thread's messages) by ``messages``: a
  changed message starts a new conversation and a new run, a changed setting a new run on the same thread.
  Provider 1.2.0 alone would update a thread's messages in place (sending nothing) and never replace a run
  whose messages changed. The run itself ignores ``existing_thread_id``, which an import does not read back.
- ``rerun_triggers``: a ``null_resource`` carries them as ``triggers`` (or a built-in ``terraform_data`` as
  ``triggers_replace``) and the run is replaced when it is (``lifecycle.replace_triggered_by``).
- ``wait_for_completion`` (default): a waiter and two data sources (:mod:`.waiter_element`), so that ``status``,
  ``completed_at``, ``usage`` and ``response`` hold the run's final values after one apply.

:class:`ThreadRunConstructBody` is the body; :class:`openai_thread_run.ThreadRunConstruct` (cdktf) and
:class:`openai_thread_run.cdktn.ThreadRunConstruct` (cdktn) are the classes users create.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

import cdktf
import constructs
import jsii

from ._framework import Framework, check_same_framework, framework, framework_of_class, stack_of
from .annotations import warn
from .bindings import _jsii_create
from .bindings._base import ElementBody, NumberMap, inputs_prechecked
from .bindings.data_sources import DataMessagesBody, DataOpenaiMessages, DataOpenaiRun, DataRunBody
from .bindings.message import MessageBody, OpenaiMessage
from .bindings.terraform_data import TerraformData, TerraformDataBody
from .bindings.thread import OpenaiThread, ThreadBody
from .bindings.thread_run import OpenaiThreadRun, ThreadRunBody
from .errors import Problem, ValidationError, show
from .inputs import MessageInput, ResponseFormatInput, ToolInput
from .ordering import dependable_classes, reference
from .stack_state import StackState
from .templates import escape_data
from .tokens import token_kind, unknown_marker
from .validation import RerunTriggerResource, RunInputs, call_problems, duplicate_id_problem, validate_inputs
from .waiter_element import MESSAGES_READ, provider_environment, response_expression, waiter_command, waiter_provisioner
from .waiter_sources import Waiter

#: The ``terraform_data`` that carries what the run answers (see ``ThreadRunConstructBody._prompt_value``).
PROMPT_ID = "prompt"
#: The part of it whose change replaces the new thread, or the existing thread's messages.
PROMPT_MESSAGES = "triggers_replace.messages"

RunT = TypeVar("RunT", bound=ThreadRunBody)
ThreadT = TypeVar("ThreadT", bound=ThreadBody)
MessageT = TypeVar("MessageT", bound=MessageBody)
DataT = TypeVar("DataT", bound=TerraformDataBody)
FinalRunT = TypeVar("FinalRunT", bound=DataRunBody)
RepliesT = TypeVar("RepliesT", bound=DataMessagesBody)


@dataclass(frozen=True)
class Kit:
    """The binding classes a ThreadRunConstruct creates, all on one framework."""

    run: type[ThreadRunBody]
    thread: type[ThreadBody]
    message: type[MessageBody]
    terraform_data: type[TerraformDataBody]
    data_run: type[DataRunBody]
    data_messages: type[DataMessagesBody]


def _kit_of(cls: type) -> Kit | None:
    """Return the Kit a class names as ``ThreadRunConstructBody[<binding classes>]``, or None when it names none."""
    for base in cls.__dict__.get("__orig_bases__", ()):
        if typing.get_origin(base) is ThreadRunConstructBody:
            classes = typing.get_args(base)
            if all(isinstance(klass, type) for klass in classes):
                return Kit(*classes)
    return None


def _path_under(scope: Any, stack: Any) -> tuple[str, ...]:
    """Return the ids of the constructs from ``stack`` (excluded) down to ``scope`` (included)."""
    if scope is stack:
        return ()
    below = scope.node.path[len(stack.node.path) :].strip("/")
    return tuple(below.split("/")) if below else ()


@functools.cache
def _signature(cls: type) -> inspect.Signature:
    """Return the signature of the ``__init__`` a class's instances are created with (read once per class)."""
    init = next(vars(klass)["__init__"] for klass in cls.__mro__ if "__init__" in vars(klass))
    return inspect.signature(init)


class ThreadRunConstructBody(constructs.Construct, Generic[RunT, ThreadT, MessageT, DataT, FinalRunT, RepliesT]):
    """Body of ThreadRunConstruct, generic in the binding classes of one framework (see the concrete classes)."""

    #: The binding classes it creates: the type arguments of a concrete subclass (``ThreadRunConstruct``).
    _kit: ClassVar[Kit]
    #: The framework they are built on (read by :func:`~openai_thread_run._framework.framework_of_class`).
    _otr_framework: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        kit = _kit_of(cls)
        if kit is not None:
            fw = framework_of_class(kit.run)
            assert fw is not None, f"{kit.run.__name__} is a binding body, not a binding class"
            cls._kit = kit
            cls._otr_framework = fw.name

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        """Refuse a call that Python would refuse with a TypeError naming this body rather than the class.

        That is: an unknown keyword (``count``, ``for_each``, a misspelt input), positional inputs, a missing
        required input. Type checkers see ``__init__``'s signature and report the same mistakes.
        """
        problems = call_problems(cls.__name__, _signature(cls), args, kwargs)
        if problems:
            id_ = args[1] if len(args) > 1 else kwargs.get("id")
            raise ValidationError(f"{cls.__name__} {show(id_)}", problems)
        return super().__new__(cls)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        assistant_id: str,
        create_new_thread: bool = True,
        existing_thread_id: str | None = None,
        messages: Sequence[MessageInput] = (),
        thread_metadata: Mapping[str, str] | None = None,
        model: str | None = None,
        instructions: str | None = None,
        tools: Sequence[ToolInput] = (),
        metadata: Mapping[str, str] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_completion_tokens: int | float | None = None,
        stream: bool = False,
        response_format: ResponseFormatInput | None = None,
        rerun_triggers: Mapping[str, str] | None = None,
        rerun_trigger_resource: RerunTriggerResource = "null_resource",
        wait_for_completion: bool = True,
        wait_timeout_seconds: int = 600,
        waiter: Waiter = "auto",
        provider: constructs.Construct | None = None,
        depends_on: Sequence[constructs.IConstruct] | None = None,
    ) -> None:
        """Create a thread (or use an existing one), start a run on it and, by default, wait for it to finish.

        :param assistant_id: assistant that executes the run. Required.
        :param create_new_thread: create a thread, or use ``existing_thread_id``. Default: ``True``.
        :param existing_thread_id: thread to run on when ``create_new_thread`` is False. Default: ``None``.
        :param messages: messages to add to the thread, in order; their text is sent exactly as written.
            Default: ``()``.
        :param thread_metadata: metadata of the new thread. Default: ``None``.
        :param model: overrides the assistant's model. Default: ``None``.
        :param instructions: overrides the assistant's instructions for this run, sent exactly as written.
            Default: ``None``.
        :param tools: tools for this run (code_interpreter, function). Default: ``()``.
        :param metadata: metadata of the run. Default: ``None``.
        :param temperature: sampling temperature, 0.0-2.0. Default: ``None``.
        :param top_p: nucleus sampling, 0.0-1.0. Default: ``None``.
        :param max_completion_tokens: completion-token cap for the run, a whole number of at least 256 (``float``
            in the signature only so that a number token type-checks). Default: ``None``.
        :param stream: must stay False: Terraform cannot consume a stream. Default: ``False``.
        :param response_format: ``"auto"``, ``{"type": "text"}`` or ``{"type": "json_object"}``. Default: ``None``.
        :param rerun_triggers: str-to-str map; changing any value starts a new run. Default: ``None``.
        :param rerun_trigger_resource: what carries ``rerun_triggers``: ``"null_resource"`` (provider
            hashicorp/null) or ``"terraform_data"`` (built into Terraform >= 1.4, nothing to install; for
            air-gapped provider mirrors). Default: ``"null_resource"``.
        :param wait_for_completion: wait inside ``terraform apply`` until the run finishes, so outputs hold final
            values and ``response`` the answer (needs ``python3``, or ``sh`` with ``curl``, where Terraform runs: see
            ``waiter``). Default: ``True``.
        :param wait_timeout_seconds: how long to wait, 1-86400 seconds; a run still unfinished then fails the
            apply, and once it has ended the next apply checks the same run again. Default: ``600``.
        :param waiter: the program that waits, where ``terraform apply`` runs: ``"python"`` (``python3`` >= 3.9),
            ``"sh"`` (POSIX ``sh``, ``awk``, ``date``, ``mktemp``, ``rm``, ``sleep`` and ``curl`` or GNU ``wget``),
            or ``"auto"``, which runs ``sh`` and hands over to ``python3`` where it is installed. Both programs
            poll, retry and report alike. Default: ``"auto"``.
        :param provider: the provider configuration for mkdev-me/openai to use (e.g. an aliased
            ``OpenaiProvider``); every resource and data source of the construct uses it, and ``None`` means the
            stack's default configuration. Default: ``None``.
        :param depends_on: what the construct waits for before it posts anything: resources, data sources,
            modules, or other ThreadRunConstructs (until their run has finished), of the same stack. A construct on
            a thread that another one runs on waits for that one without it. Default: ``None``.
        :raises ValidationError: listing every invalid input, before anything is added to the stack.
        """
        fw = framework(type(self)._otr_framework)
        stack = self._check_scope(scope, fw)
        subject = f"{type(self).__name__} {show(id)}"
        inputs = validate_inputs(
            subject,
            {
                "id": id,
                "assistant_id": assistant_id,
                "create_new_thread": create_new_thread,
                "existing_thread_id": existing_thread_id,
                "messages": messages,
                "thread_metadata": thread_metadata,
                "model": model,
                "instructions": instructions,
                "tools": tools,
                "metadata": metadata,
                "temperature": temperature,
                "top_p": top_p,
                "max_completion_tokens": max_completion_tokens,
                "stream": stream,
                "response_format": response_format,
                "rerun_triggers": rerun_triggers,
                "rerun_trigger_resource": rerun_trigger_resource,
                "wait_for_completion": wait_for_completion,
                "wait_timeout_seconds": wait_timeout_seconds,
                "waiter": waiter,
                "provider": provider,
                "depends_on": depends_on,
            },
            stack=lambda: stack,
            provider_class=fw.core.TerraformProvider,
            dependables=(ThreadRunConstructBody, *dependable_classes(fw)),
            in_stack=lambda other: stack_of(other, fw) is stack,
            unknown_marker=lambda value: unknown_marker(value, fw.core),
            scope_path=_path_under(scope, stack),
            id_in_use=lambda: scope.node.try_find_child(id) is not None,
        )
        try:
            with _jsii_create.overrides_remembered(type(self)):  # jsii's scan of this class's members: once per class
                super().__init__(scope, str.__str__(id))
        except RuntimeError as error:  # from the jsii kernel; asked here, not before, to spare a round trip
            if "There is already a Construct with name" not in str(error):
                raise
            raise ValidationError(subject, [duplicate_id_problem(id)]) from None
        self._fw = fw
        self._inputs = inputs
        self._expression_tokens: dict[str, Any] = {}
        #: What :meth:`_wait_for` added, at synthesis (kept, so a second synthesis adds nothing twice).
        self._waited_for: list[str] = []
        self._given_dependencies: list[str] | None = None
        self._provider = inputs.provider
        state = StackState.of(stack, fw)
        state.thread_runs.append(self)
        self._state = state
        with inputs_prechecked():  # what the bindings below receive was checked above, by the same rules
            self._build(fw, state, inputs)
        for code, message in inputs.warnings:
            warn(self, code, message)

    # -- building blocks ------------------------------------------------------------------------------------

    def _build(self, fw: Framework, state: StackState, inputs: RunInputs) -> None:
        """Create the thread (or the existing thread's messages), the run and, when waiting, the waiter."""
        kit = type(self)._kit
        routed = {"provider": self._provider} if self._provider is not None else {}
        lifecycle = fw.core.TerraformResourceLifecycle

        # What the run answers: replaced (with what names it in replace_triggered_by) whenever that changes.
        self._prompt = kit.terraform_data(self, PROMPT_ID)
        prompt = reference(self._prompt)
        new_messages = lifecycle(replace_triggered_by=[f"{prompt}.{PROMPT_MESSAGES}"])

        self._thread: ThreadBody | None = None
        self._messages: tuple[MessageBody, ...] = ()
        waits_for = list(inputs.depends_on) or None  # given to the first element that reaches the API
        if inputs.existing_thread_id is None:
            self._thread = kit.thread(
                self,
                "thread",
                messages=inputs.messages or None,
                metadata=inputs.thread_metadata,
                depends_on=waits_for,
                lifecycle=new_messages,
                **routed,
            )
            thread_id = self._thread.id
        else:
            thread_id = inputs.existing_thread_id
            self._messages = self._add_messages(kit, thread_id, inputs, waits_for, new_messages, routed)

        self._rerun_trigger = self._add_rerun_trigger(kit, inputs)
        replace_on = [reference(self._rerun_trigger)] if self._rerun_trigger is not None else []
        self._run = kit.run(
            self,
            "run",
            assistant_id=inputs.assistant_id,
            existing_thread_id=thread_id,
            model=inputs.model,
            instructions=inputs.instructions,
            tools=inputs.tools or None,
            metadata=inputs.metadata,
            temperature=inputs.temperature,
            top_p=inputs.top_p,
            max_completion_tokens=inputs.max_completion_tokens,
            response_format=inputs.response_format,
            depends_on=self._messages[-1:] or (waits_for if self._thread is None else None),
            lifecycle=lifecycle(
                replace_triggered_by=[*replace_on, prompt],
                # stream is always false here. On an existing thread, existing_thread_id is in the prompt (which
                # replaces the run); the provider does not read either back on import, so without this an
                # imported run would plan a replacement.
                ignore_changes=["stream", "existing_thread_id"] if self._thread is None else ["stream"],
            ),
            **routed,
        )
        #: The construct's node (asked once: every read of ``node`` is a jsii round trip).
        self._tree_node = self.node
        self._tree_node.default_child = cast(constructs.IConstruct, self._run)
        self._prompt_set: dict[str, Any] | None = None
        self._set_prompt()

        self._waiter: TerraformDataBody | None = None
        self._final_run: DataRunBody | None = None
        self._thread_messages: DataMessagesBody | None = None
        self._waiter_environment: dict[str, Any] | None = None
        if inputs.wait_for_completion:
            self._add_waiting(kit, state)

    def _set_prompt(self) -> None:
        """Write the prompt's value, unless it is what was written last."""
        value = self._prompt_value()
        if value != self._prompt_set:
            with inputs_prechecked():  # every part was checked by the element it comes from
                self._prompt.triggers_replace = value
            self._prompt_set = value

    def _prompt_value(self) -> dict[str, Any]:
        """Return what the run answers, as Terraform receives it: the prompt's ``triggers_replace``.

        ``messages``: each message's role, content and metadata (a change replaces the new thread, or posts the
        existing thread's messages again); ``run``: every setting of the run, and the existing thread's id.
        """
        if self._thread is not None:
            messages = list(self._thread._synthesize_attributes().get("messages", []))  # pyright: ignore[reportPrivateUsage]
            run_excluded: tuple[str, ...] = ("stream", "existing_thread_id")  # the new thread's id: a cycle
        else:
            messages = [
                {name: value for name, value in written.items() if name != "thread_id"}
                for written in (message._synthesize_attributes() for message in self._messages)  # pyright: ignore[reportPrivateUsage]
            ]
            run_excluded = ("stream",)
        written = self._run._synthesize_attributes()  # pyright: ignore[reportPrivateUsage]
        run = {name: value for name, value in written.items() if name not in run_excluded}
        return {"messages": messages, "run": run}

    @classmethod
    def _check_scope(cls, scope: Any, fw: Framework) -> Any:
        """Return the stack that holds ``scope``; raise ValidationError when there is none."""
        expected = "a TerraformStack, or a construct in one"
        if not isinstance(scope, constructs.Construct):
            raise ValidationError("ThreadRunConstruct", [Problem("scope", "must be a construct", scope, expected)])
        check_same_framework(cls, fw, scope)
        try:
            return stack_of(scope, fw)
        except RuntimeError:  # the kernel's "No stack could be identified for the construct at path ..."
            raise ValidationError(
                "ThreadRunConstruct", [Problem("scope", "is not inside a TerraformStack", scope, expected)]
            ) from None

    def _add_messages(
        self,
        kit: Kit,
        thread_id: str,
        inputs: RunInputs,
        waits_for: list[Any] | None,
        lifecycle: Any,
        routed: Mapping[str, Any],
    ) -> tuple[MessageBody, ...]:
        added: list[MessageBody] = []
        for index, message in enumerate(inputs.messages):
            added.append(
                kit.message(
                    self,
                    f"message-{index}",
                    thread_id=thread_id,
                    role=message["role"],
                    content=message["content"],
                    metadata=message.get("metadata"),
                    depends_on=added[-1:] or waits_for,
                    lifecycle=lifecycle,
                    **routed,
                )
            )
        return tuple(added)

    def _add_rerun_trigger(self, kit: Kit, inputs: RunInputs) -> Any:
        triggers = inputs.rerun_triggers
        if triggers is None:
            return None
        if inputs.rerun_trigger_resource == "terraform_data":
            return kit.terraform_data(self, "rerun-trigger", triggers_replace=escape_data(triggers))
        # The prebuilt binding wants a dict of strings: a map token (a kernel object, a number map) becomes a string
        # map token, and a number or kernel token in the dict the string token of the same value.
        token = self._fw.core.Token
        values = cast(Mapping[str, Any], triggers)  # typed str -> str, but a value may be a token of another type
        if token_kind(values) is not None:
            triggers = token.as_string_map(values)
        else:
            triggers = {key: item if isinstance(item, str) else token.as_string(item) for key, item in values.items()}
        _, null_resource = self._fw.null_classes()
        return null_resource(self, "rerun-trigger", triggers=escape_data(triggers))

    def _add_waiting(self, kit: Kit, state: StackState) -> None:
        # One token per run attribute, shared by everything below (each read of run.id is a jsii round trip).
        self._run_tokens = (self._run.id, self._run.thread_id)
        run_id, thread_id = self._run_tokens
        self._waiter = kit.terraform_data(self, "wait", triggers_replace=run_id)
        self._set_provisioner(self._provider if self._provider is not None else state.known_default_provider())
        provider = self._provider
        self._final_run = kit.data_run(
            self,
            "final-run",
            run_id=run_id,
            thread_id=thread_id,
            depends_on=[self._waiter],
            provider=provider,
        )
        self._thread_messages = kit.data_messages(
            self,
            "replies",
            thread_id=thread_id,
            limit=MESSAGES_READ,
            order="desc",
            depends_on=[self._waiter],
            provider=provider,
        )

    def _set_provisioner(self, provider: Any | None) -> None:
        """Write the waiter's ``provisioner`` block (an override: cdktf's provisioner struct has no ``quiet``)."""
        assert self._waiter is not None
        self._waiter_environment = provider_environment(provider)
        command = waiter_command(self._state, self._fw, self._inputs.waiter)
        run_id, thread_id = self._run_tokens
        block = waiter_provisioner(command, run_id, thread_id, self._inputs.wait_timeout_seconds, provider)
        self._waiter.add_override("provisioner", [block])

    # -- what the stack's synth-time checks ask (stack_state, a collaborator of this class) ------------------

    def _uses_default_provider(self) -> bool:
        """Whether the construct uses the stack's default provider configuration (no ``provider=`` given)."""
        return self._provider is None

    def _needs_null_provider(self) -> bool:
        """Whether the construct's rerun trigger is a ``null_resource`` (which needs provider hashicorp/null)."""
        return self._rerun_trigger is not None and self._inputs.rerun_trigger_resource == "null_resource"

    def _inherits_assistant_tools(self) -> bool:
        """Whether the run passes no tools (so it runs with its assistant's)."""
        return not self._inputs.tools

    def _waiter_kind(self) -> Waiter | None:
        """Return the construct's ``waiter`` input when it waits for its run, else None."""
        return self._inputs.waiter if self._waiter is not None else None

    def _assistant_id_given(self) -> str:
        """Return the ``assistant_id`` as passed (a token when it is another resource's attribute)."""
        return self._inputs.assistant_id

    def _prepare_synthesis(self, default_provider: Any | None) -> None:
        """Bring what is derived from other elements up to date before synthesis.

        The prompt (its elements may have been changed through their setters) and the waiter's provider settings
        (a provider may be declared or changed later).
        """
        self._set_prompt()
        if self._waiter is None:
            return
        provider = self._provider if self._provider is not None else default_provider
        if provider_environment(provider) != self._waiter_environment:
            self._set_provisioner(provider)

    def _thread_names(self, resolve: Callable[[Any], str]) -> list[str]:
        """Return the expressions that name the run's thread (``resolve`` turns a token into its expression)."""
        names = ["${" + reference(self._run) + ".thread_id}"]
        if self._thread is not None:
            names.append("${" + reference(self._thread) + ".id}")
        else:
            given = self._inputs.existing_thread_id
            names.append(resolve(given) if token_kind(given) is not None else str(given))
        return names

    def _node_dependencies(self) -> list[constructs.IConstruct]:
        """Return what ``construct.node.add_dependency(...)`` added (one jsii round trip)."""
        return list(self._tree_node.dependencies)

    def _wait_for(self, references: Sequence[str]) -> None:
        """Add ``references`` (bare, ``type.name``) to the ``depends_on`` of the first element that reaches the API."""
        new = [ref for ref in dict.fromkeys(references) if ref not in self._waited_for]
        if not new:
            return
        first: ElementBody = self._thread if self._thread is not None else (self._messages or (self._run,))[0]
        if self._given_dependencies is None:  # what depends_on= gave it at creation (asked once, if anything)
            self._given_dependencies = list(first.depends_on or []) if self._inputs.depends_on else []
        self._waited_for.extend(new)
        first.depends_on = [*self._given_dependencies, *self._waited_for]

    # -- ITerraformDependable -------------------------------------------------------------------------------

    @property
    def fqn(self) -> str:
        """What ``depends_on=[construct]`` names: the waiter when there is one (it finishes last), else the run.

        The bare ``type.name`` reference, read at synthesis: valid in every ``depends_on`` (cdktf writes an
        element's own ``fqn`` as ``${type.name}`` in an output's, which Terraform rejects there).
        """
        return self._dependency_reference()

    def _dependency_reference(self) -> str:
        """Return ``type.name`` of what depending on the construct means, as ``depends_on`` takes it (at synth)."""
        return reference(self._last())

    def _last(self) -> ThreadRunBody | TerraformDataBody:
        return self._waiter if self._waiter is not None else self._run

    # -- outputs (tokens) -----------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """Token: the run id (``run_...``)."""
        return self._run.id

    @property
    def thread_id(self) -> str:
        """Token: the id of the thread the run executes on."""
        return self._run.thread_id

    @property
    def status(self) -> str:
        """Token: the run's final status (``completed``); without waiting, as read right after creation."""
        return self._final_run.status if self._final_run is not None else self._run.status

    @property
    def created_at(self) -> float:
        """Token: when the run was created, Unix seconds."""
        return self._run.created_at

    @property
    def started_at(self) -> float:
        """Token: when the run started, Unix seconds; without waiting, unset until a later refresh."""
        return self._final_run.started_at if self._final_run is not None else self._run.started_at

    @property
    def completed_at(self) -> float:
        """Token: when the run completed, Unix seconds; without waiting, unset until a later refresh."""
        return self._final_run.completed_at if self._final_run is not None else self._run.completed_at

    @property
    def usage(self) -> NumberMap:
        """Token map of the run's token usage (``prompt_tokens``, ``completion_tokens``, ``total_tokens``)."""
        return self._final_run.usage if self._final_run is not None else self._run.usage

    @property
    def prompt_tokens(self) -> float:
        """Token: the prompt tokens the run used (without waiting, null until a later refresh)."""
        return self._token_count("prompt_tokens")

    @property
    def completion_tokens(self) -> float:
        """Token: the completion tokens the run used (without waiting, null until a later refresh)."""
        return self._token_count("completion_tokens")

    @property
    def total_tokens(self) -> float:
        """Token: all tokens the run used (without waiting, null until a later refresh)."""
        return self._token_count("total_tokens")

    def _token_count(self, key: str) -> float:
        count = self.usage.lookup(key)
        if self._final_run is not None:
            return count  # read after the run finished: usage is set
        # read right after creation, usage is null: indexing it would fail the apply
        expression = "${try(" + self._fw.core.Token.as_string(count) + ", null)}"
        return cast(float, self._expression_token(key, expression, number=True))

    @property
    def response(self) -> str:
        """Token: the text of the assistant messages the run added, oldest first, joined by a blank line.

        Only with ``wait_for_completion=True``; without waiting there is no answer yet at apply time, so reading
        it raises ``ValueError``.
        """
        if self._thread_messages is None:
            raise ValueError(
                f"{self.node.path}: response needs wait_for_completion=True (without waiting, the run has not "
                "answered when Terraform applies)"
            )
        return cast(
            str,
            self._expression_token(
                "response", response_expression(self._thread_messages.messages, self._run.id, self._fw)
            ),
        )

    def _expression_token(self, name: str, expression: str, *, number: bool = False) -> Any:
        """Return a token for a Terraform ``expression``: a reference to the construct's local ``name``.

        A token, unlike the expression's text, can go anywhere a value can: into another construct's text (which
        is escaped, tokens aside), ``Fn.*``, ``jsonencode`` parameters. The local is created on first use.
        """
        found = self._expression_tokens.get(name)
        if found is None:
            local = self._fw.core.TerraformLocal(self, name, expression)
            found = local.as_number if number else local.as_string
            self._expression_tokens[name] = found
        return found

    # -- escape hatches -------------------------------------------------------------------------------------

    @property
    def run(self) -> RunT:
        """The ``openai_thread_run`` resource (also ``node.default_child``)."""
        return cast(RunT, self._run)

    @property
    def thread(self) -> ThreadT | None:
        """The ``openai_thread`` resource, or None when running on an existing thread."""
        return cast("ThreadT | None", self._thread)

    @property
    def messages(self) -> tuple[MessageT, ...]:
        """The ``openai_message`` resources, in order (empty for a new thread: its messages are inline)."""
        return cast("tuple[MessageT, ...]", self._messages)

    @property
    def prompt(self) -> DataT:
        """The ``terraform_data`` carrying what the run answers; a change to it replaces the run (see README)."""
        return cast(DataT, self._prompt)

    @property
    def rerun_trigger(self) -> Any:
        """The ``null_resource`` (or ``terraform_data``) carrying ``rerun_triggers``, or None."""
        return self._rerun_trigger

    @property
    def waiter(self) -> DataT | None:
        """The ``terraform_data`` that waits for the run, or None without waiting."""
        return cast("DataT | None", self._waiter)

    @property
    def final_run(self) -> FinalRunT | None:
        """The ``data "openai_run"`` read after waiting, or None without waiting."""
        return cast("FinalRunT | None", self._final_run)

    @property
    def thread_messages(self) -> RepliesT | None:
        """The ``data "openai_messages"`` read after waiting (the newest 100), or None without waiting."""
        return cast("RepliesT | None", self._thread_messages)


#: A ThreadRunConstruct of either framework.
AnyThreadRun = ThreadRunConstructBody[Any, Any, Any, Any, Any, Any]


@jsii.implements(cdktf.ITerraformDependable)
class ThreadRunConstruct(
    ThreadRunConstructBody[
        OpenaiThreadRun, OpenaiThread, OpenaiMessage, TerraformData, DataOpenaiRun, DataOpenaiMessages
    ]
):
    """An OpenAI Assistants run on a new or an existing thread, with the run's attributes as tokens.

    Mirrors the HCL module "OpenAI Thread Run": same input names, same outputs, and more: by default it waits
    for the run inside ``terraform apply``, so ``status``, ``usage`` and ``response`` (the assistant's answer)
    are final after one apply. Inputs are validated when the construct is created; every problem is reported at
    once in a :class:`~openai_thread_run.ValidationError`. The stack needs an
    :class:`~openai_thread_run.OpenaiProvider` (or ``provider=``). ``depends_on=[construct]`` waits for the run.
    """
