"""ThreadRunConstruct: the "OpenAI Thread Run" module as one construct, written once for cdktf and cdktn.

Each framework's module makes the class users create, as it makes the bindings (see :mod:`.bindings._base`)::

    class ThreadRunConstruct(ThreadRunConstructInit, cdktf.Construct, ThreadRunConstructBase[<its bindings>]): ...

- :class:`ThreadRunConstructInit`, before the framework's class: the typed constructor (written from
  :data:`.props.PROPS` by ``scripts/render_signatures.py``), and ``fqn``, the one member that overrides jsii's
  (what ``depends_on=[construct]`` names);
- :class:`ThreadRunConstructBase`, after it: the outputs (tokens) and the escape hatches (the elements), generic
  in the binding classes of one framework.

:func:`build` checks every input (:mod:`.props`) before anything is added to the stack, then adds the construct
and its elements (:mod:`.elements`: one named function per element, and the synth-time view the stack's checks
read, :mod:`.stack_checks`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Self, TypeVar, cast

import constructs

from . import stack_checks
from ._framework import Framework, check_same_framework, framework, framework_of_class, stack_of
from .annotations import warn_new
from .bindings._base import NumberMap, inputs_prechecked
from .bindings.data_sources import DataOpenaiMessagesBase, DataOpenaiRunBase
from .bindings.message import OpenaiMessageBase
from .bindings.terraform_data import TerraformDataBase
from .bindings.thread import OpenaiThreadBase
from .bindings.thread_run import OpenaiThreadRunBase
from .elements import BindingClasses, ThreadRunElements
from .errors import Problem, ValidationError, show
from .input_types import MessageInput, ResponseFormatInput, ToolInput
from .logical_ids import allocates_as_cdktf, remember_path, sanitized
from .ordering import dependable_classes
from .props import BY_NAME, validate_props
from .stack_records import StackRecords
from .tokens import unknown_marker
from .validation import RerunTriggerResource, Surroundings, call_problems, duplicate_id_problem
from .waiter_sources import Waiter

RunT = TypeVar("RunT", bound=OpenaiThreadRunBase)
ThreadT = TypeVar("ThreadT", bound=OpenaiThreadBase)
MessageT = TypeVar("MessageT", bound=OpenaiMessageBase)
DataT = TypeVar("DataT", bound=TerraformDataBase)
FinalRunT = TypeVar("FinalRunT", bound=DataOpenaiRunBase)
RepliesT = TypeVar("RepliesT", bound=DataOpenaiMessagesBase)


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


def _check_scope(cls: type, scope: Any, fw: Framework) -> Any:
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


def build(construct: ThreadRunConstructInit, scope: constructs.Construct, id: str, given: Mapping[str, Any]) -> None:
    """Check every input, then add the construct and its elements to ``scope`` (what its constructor does).

    :param given: the constructor's ``locals()``: every input under its name.
    """
    cls = type(construct)
    fw = framework(cls._otr_framework)  # pyright: ignore[reportPrivateUsage]
    stack = _check_scope(cls, scope, fw)
    subject = f"{cls.__name__} {show(id)}"
    scope_path = _path_under(scope, stack)
    props = validate_props(
        subject,
        {"id": id, **{name: given[name] for name in BY_NAME}},
        Surroundings(
            provider_class=fw.core.TerraformProvider,
            dependables=(ThreadRunConstructInit, *dependable_classes(fw)),
            in_stack=lambda other: stack_of(other, fw) is stack,
        ),
        stack=lambda: stack,
        unknown_marker=lambda value: unknown_marker(value, fw.core),
        scope_path=scope_path,
        id_in_use=lambda: scope.node.try_find_child(id) is not None,
    )
    try:
        cast(Any, super(ThreadRunConstructInit, construct)).__init__(scope, str.__str__(id))
    except RuntimeError as error:  # from the jsii kernel; asked here, not before, to spare a round trip
        if "There is already a Construct with name" not in str(error):
            raise
        raise ValidationError(subject, [duplicate_id_problem(id)]) from None
    if allocates_as_cdktf(stack.__class__, fw.core.TerraformStack):  # its elements then know their logical ids
        remember_path(construct, (*scope_path, sanitized(id)))
    records = StackRecords.of(stack, fw)
    records.install_once(stack_checks.CHECKS, stack_checks.install)
    with inputs_prechecked():  # what the bindings below receive was checked above, by the same rules
        elements = ThreadRunElements(cast(constructs.Construct, construct), cls._classes, fw, records, props)  # pyright: ignore[reportPrivateUsage]
    construct._elements = elements  # pyright: ignore[reportPrivateUsage]
    records.thread_runs.append(elements)
    for code, message in props.warnings:
        warn_new(elements.node, code, message)


class ThreadRunConstructInit:
    """How a ThreadRunConstruct is created, and what it overrides of jsii's: placed before the framework's class."""

    #: The binding classes it creates, all of one framework: each framework's class names them, the same as its
    #: type arguments (a test checks that they agree).
    _classes: ClassVar[BindingClasses]
    #: The framework they are built on (read by :func:`~openai_thread_run._framework.framework_of_class`).
    _otr_framework: ClassVar[str]
    _elements: ThreadRunElements

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        classes = cls.__dict__.get("_classes")
        if classes is not None:
            fw = framework_of_class(classes.run)
            assert fw is not None, f"{classes.run.__name__} is a binding base, not a binding class"
            cls._otr_framework = fw.name

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        """Refuse a call that Python would refuse with a TypeError naming this class rather than the construct's.

        That is: an unknown keyword (``count``, ``for_each``, a misspelt input), positional inputs, a missing
        required input. Type checkers see ``__init__``'s signature and report the same mistakes.
        """
        problems = call_problems(cls.__name__, _signature(cast(type, cls)), args, kwargs)
        if problems:
            id_ = args[1] if len(args) > 1 else kwargs.get("id")
            raise ValidationError(f"{cls.__name__} {show(id_)}", problems)
        return super().__new__(cls)

    # -- generated by scripts/render_signatures.py from props.PROPS: edit that, then run the script --------------------
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
        :param messages: messages to add to the thread, in order; their text is sent exactly as written. Default:
            ``()``.
        :param thread_metadata: metadata of the new thread. Default: ``None``.
        :param model: overrides the assistant's model. Default: ``None``.
        :param instructions: overrides the assistant's instructions for this run, sent exactly as written. Default:
            ``None``.
        :param tools: tools for this run (code_interpreter, function). Default: ``()``.
        :param metadata: metadata of the run. Default: ``None``.
        :param temperature: sampling temperature, 0.0-2.0. Default: ``None``.
        :param top_p: nucleus sampling, 0.0-1.0. Default: ``None``.
        :param max_completion_tokens: completion-token cap for the run, a whole number of at least 256 (``float`` in the
            signature only so that a number token type-checks). Default: ``None``.
        :param stream: must stay False: Terraform cannot consume a stream. Default: ``False``.
        :param response_format: ``"auto"``, ``{"type": "text"}`` or ``{"type": "json_object"}``. Default: ``None``.
        :param rerun_triggers: str-to-str map; changing any value starts a new run. Default: ``None``.
        :param rerun_trigger_resource: what carries ``rerun_triggers``: ``"null_resource"`` (provider hashicorp/null) or
            ``"terraform_data"`` (built into Terraform >= 1.4, nothing to install; for air-gapped provider mirrors).
            Default: ``"null_resource"``.
        :param wait_for_completion: wait inside ``terraform apply`` until the run finishes, so outputs hold final values
            and ``response`` the answer (needs ``python3``, or ``sh`` with ``curl``, where Terraform runs: see
            ``waiter``). Default: ``True``.
        :param wait_timeout_seconds: how long to wait, 1-86400 seconds; a run still unfinished then fails the apply, and
            once it has ended the next apply checks the same run again. Default: ``600``.
        :param waiter: the program that waits, where ``terraform apply`` runs: ``"python"`` (``python3`` >= 3.9),
            ``"sh"`` (POSIX ``sh``, ``awk``, ``date``, ``mktemp``, ``rm``, ``sleep`` and ``curl`` or GNU ``wget``), or
            ``"auto"``, which runs ``sh`` and hands over to ``python3`` where it is installed. Both programs poll, retry
            and report alike. Default: ``"auto"``.
        :param provider: the provider configuration for mkdev-me/openai to use (e.g. an aliased ``OpenaiProvider``);
            every resource and data source of the construct uses it, and ``None`` means the stack's default
            configuration. Default: ``None``.
        :param depends_on: what the construct waits for before it posts anything: resources, data sources, modules, or
            other ThreadRunConstructs (until their run has finished), of the same stack. A construct on a thread that
            another one runs on waits for that one without it. Default: ``None``.
        :raises ValidationError: listing every invalid input, before anything is added to the stack.
        """
        build(self, scope, id, locals())

    # -- end of generated code

    # -- ITerraformDependable -------------------------------------------------------------------------------

    @property
    def fqn(self) -> str:
        """What ``depends_on=[construct]`` names: the waiter when there is one (it finishes last), else the run.

        The bare ``type.name`` reference, read at synthesis: valid in every ``depends_on`` (cdktf writes an
        element's own ``fqn`` as ``${type.name}`` in an output's, which Terraform rejects there).
        """
        return self._elements.dependency_reference()


class ThreadRunConstructBase(Generic[RunT, ThreadT, MessageT, DataT, FinalRunT, RepliesT]):
    """The outputs and escape hatches of ThreadRunConstruct, generic in the binding classes of one framework."""

    _elements: ThreadRunElements

    if TYPE_CHECKING:

        @property
        def node(self) -> constructs.Node:
            """The construct's node (``constructs.Construct``'s, which stands before this class)."""
            ...

    # -- outputs (tokens) -----------------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """Token: the run id (``run_...``)."""
        return self._elements.run.id

    @property
    def thread_id(self) -> str:
        """Token: the id of the thread the run executes on."""
        return self._elements.run.thread_id

    @property
    def status(self) -> str:
        """Token: the run's final status (``completed``); without waiting, as read right after creation."""
        return self._elements.read().status

    @property
    def created_at(self) -> float:
        """Token: when the run was created, Unix seconds."""
        return self._elements.run.created_at

    @property
    def started_at(self) -> float:
        """Token: when the run started, Unix seconds; without waiting, unset until a later refresh."""
        return self._elements.read().started_at

    @property
    def completed_at(self) -> float:
        """Token: when the run completed, Unix seconds; without waiting, unset until a later refresh."""
        return self._elements.read().completed_at

    @property
    def usage(self) -> NumberMap:
        """Token map of the run's token usage (``prompt_tokens``, ``completion_tokens``, ``total_tokens``)."""
        return self._elements.read().usage

    @property
    def prompt_tokens(self) -> float:
        """Token: the prompt tokens the run used (without waiting, null until a later refresh)."""
        return self._elements.token_count("prompt_tokens")

    @property
    def completion_tokens(self) -> float:
        """Token: the completion tokens the run used (without waiting, null until a later refresh)."""
        return self._elements.token_count("completion_tokens")

    @property
    def total_tokens(self) -> float:
        """Token: all tokens the run used (without waiting, null until a later refresh)."""
        return self._elements.token_count("total_tokens")

    @property
    def response(self) -> str:
        """Token: the text of the assistant messages the run added, oldest first, joined by a blank line.

        Only with ``wait_for_completion=True``; without waiting there is no answer yet at apply time, so reading
        it raises ``ValueError``.
        """
        return self._elements.response()

    # -- escape hatches -------------------------------------------------------------------------------------

    @property
    def run(self) -> RunT:
        """The ``openai_thread_run`` resource (also ``node.default_child``)."""
        return cast(RunT, self._elements.run)

    @property
    def thread(self) -> ThreadT | None:
        """The ``openai_thread`` resource, or None when running on an existing thread."""
        return cast("ThreadT | None", self._elements.thread)

    @property
    def messages(self) -> tuple[MessageT, ...]:
        """The ``openai_message`` resources, in order (empty for a new thread: its messages are inline)."""
        return cast("tuple[MessageT, ...]", self._elements.messages)

    @property
    def prompt(self) -> DataT:
        """The ``terraform_data`` carrying what the run answers; a change to it replaces the run (see README)."""
        return cast(DataT, self._elements.prompt)

    @property
    def rerun_trigger(self) -> Any:
        """The ``null_resource`` (or ``terraform_data``) carrying ``rerun_triggers``, or None."""
        return self._elements.rerun_trigger

    @property
    def waiter(self) -> DataT | None:
        """The ``terraform_data`` that waits for the run, or None without waiting."""
        waiting = self._elements.waiting
        return cast(DataT, waiting.element) if waiting is not None else None

    @property
    def final_run(self) -> FinalRunT | None:
        """The ``data "openai_run"`` read after waiting, or None without waiting."""
        waiting = self._elements.waiting
        return cast(FinalRunT, waiting.final_run) if waiting is not None else None

    @property
    def thread_messages(self) -> RepliesT | None:
        """The ``data "openai_messages"`` read after waiting (the newest 100), or None without waiting."""
        waiting = self._elements.waiting
        return cast(RepliesT, waiting.replies) if waiting is not None else None


#: A ThreadRunConstruct of either framework.
AnyThreadRun = ThreadRunConstructBase[Any, Any, Any, Any, Any, Any]
