"""What this library records per stack: one hidden child construct of the stack, which every layer writes into.

Per stack there is one hidden child construct, :data:`RECORDS_ID` (found with ``stack.node.try_find_child``, as
AWS CDK finds its singletons), an id no one would give a construct of their own; a construct that has it anyway
is a ValidationError, as is a ThreadRunConstruct given it. It lists what the library created in that stack, as it
is created: provider configurations and assistants (the bindings record themselves), thread-runs (the
construct), and the locals that hold the waiter programs.

This module is a leaf: it knows nothing of what records itself. The checks that read the records at synthesis
belong to the layer they are about and are installed by it, once per stack (:meth:`StackRecords.install_once`):
the provider configurations' own (:mod:`.bindings.provider`) and the thread-runs' (:mod:`.stack_checks`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import constructs

from ._framework import Framework, refuse_hcl_output
from .errors import Problem, ValidationError

#: The id of the library's per-stack records: not the package's name, which users give their own constructs.
RECORDS_ID = "openai-thread-run.stack-state"
#: The provider's local name (``required_providers.openai``), which every configuration of it has as its type.
OPENAI = "openai"


class RecordedThreadRun(Protocol):
    """What the stack's synth-time checks and the ordering of runs ask of one ThreadRunConstruct.

    The construct records an object with these members (:class:`~.elements.ThreadRunElements`); the modules that
    read them (:mod:`.stack_checks`, :mod:`.ordering`) never import the construct.
    """

    @property
    def construct(self) -> Any:
        """The ThreadRunConstruct (warnings go onto it; its path names it in messages)."""
        ...

    @property
    def given_dependencies(self) -> tuple[Any, ...]:
        """What its ``depends_on`` input named."""
        ...

    @property
    def existing_thread(self) -> Any:
        """The ``existing_thread_id`` it was given, or None on a new thread."""
        ...

    def uses_default_provider(self) -> bool:
        """Whether it uses the stack's default provider configuration (no ``provider=`` given)."""
        ...

    def needs_null_provider(self) -> bool:
        """Whether its rerun trigger is a ``null_resource`` (which needs provider hashicorp/null)."""
        ...

    def prepare_synthesis(self, default_provider: Any | None) -> None:
        """Bring what is derived from other elements up to date (the prompt; the waiter's provider settings)."""
        ...

    @property
    def given_assistant_id(self) -> str:
        """The ``assistant_id`` as passed (a token when it is another resource's attribute)."""
        ...

    def passes_no_tools(self) -> bool:
        """Whether its run passes no tools (so it runs with its assistant's)."""
        ...

    def waiter_kind(self) -> str | None:
        """Return its ``waiter`` input when it waits for its run, else None."""
        ...

    def dependency_reference(self) -> str:
        """Return ``type.name`` of what depending on it means (its waiter, or its run), as ``depends_on`` takes it."""
        ...

    def node_dependencies(self) -> list[Any]:
        """Return what ``construct.node.add_dependency(...)`` added."""
        ...

    def thread_names(self, resolve: Callable[[Any], str]) -> list[str]:
        """Return the expressions that name its run's thread (``resolve`` turns a token into its expression)."""
        ...

    def wait_for(self, references: list[str]) -> None:
        """Make the first of its elements that reaches the API wait for ``references`` (bare ``type.name``).

        Called at every synthesis with everything it must wait for besides its ``depends_on`` input; writes the
        element's ``depends_on`` only when that differs from what is written.
        """
        ...

    def last(self) -> Any:
        """Return the element that finishes last: its waiter when it waits, else its run."""
        ...


class StackRecords(constructs.Construct):
    """The library's records of one stack: a hidden child construct that emits nothing."""

    def __init__(self, stack: Any, fw: Framework) -> None:
        refuse_hcl_output(stack)
        try:
            super().__init__(stack, RECORDS_ID)
        except RuntimeError as error:  # from constructs, which sees the id taken: that can only be a user's
            if "There is already a Construct with name" not in str(error):
                raise
            raise _taken(stack) from None
        self.fw = fw
        self.stack = stack
        self.thread_runs: list[RecordedThreadRun] = []
        self.providers: list[Any] = []
        self.assistants: list[Any] = []
        #: The locals holding the waiters' sources, as string tokens by program (see waiter_element.waiter_script).
        self.waiter_scripts: dict[str, str] = {}
        #: Whether the note on what terraform apply needs has been added (once per stack).
        self.apply_needs_noted = False
        #: The thread-run created last on each existing thread given by a literal id (see ordering).
        self.last_on_thread: dict[str, RecordedThreadRun] = {}
        #: ``(thread-run, assistant)`` pairs whose inherited-function-tools warning was added (once each).
        self.inherited_tools_warned: set[tuple[int, int]] = set()
        #: The checks installed on the stack so far, by name (each layer installs its own once).
        self._installed: set[str] = set()
        #: The constructs of the stack this library did not create, walked once per synthesis.
        self._foreign: list[Any] | None = None
        _known[stack] = self

    @staticmethod
    def of(stack: Any, fw: Framework) -> StackRecords:
        """Return the stack's records, created on first use."""
        known = StackRecords.existing(stack)
        if known is not None:
            return known
        found = stack.node.try_find_child(RECORDS_ID)
        if found is not None and not isinstance(found, StackRecords):
            raise _taken(stack)
        return found if isinstance(found, StackRecords) else StackRecords(stack, fw)

    @staticmethod
    def existing(stack: Any) -> StackRecords | None:
        """Return the stack's records if this library has made them, else None (no jsii round trip).

        A memo of the tree query :meth:`of` makes, kept in a weak map keyed by the stack object (so nothing is
        stored on jsii's objects, and a stack that is gone takes its entry with it).
        """
        return _known.get(stack)

    def install_once(self, name: str, install: Callable[[StackRecords], None]) -> None:
        """Run ``install(self)`` unless a check of this ``name`` was installed on the stack already."""
        if name not in self._installed:
            self._installed.add(name)
            install(self)

    # -- provider configurations ------------------------------------------------------------------------------

    def openai_providers(self) -> list[Any]:
        """Return every provider configuration for mkdev-me/openai in the stack (this library's and generated)."""
        found = list(self.providers)
        for node in self.foreign_nodes():
            if (
                isinstance(node, self.fw.core.TerraformProvider)
                and node not in found
                and getattr(node, "terraform_resource_type", None) == OPENAI
            ):
                found.append(node)
        return found

    def known_default_provider(self) -> Any | None:
        """Return the default configuration among this library's OpenaiProviders declared so far (no walk)."""
        return next((p for p in self.providers if not p.alias), None)

    def default_provider(self) -> Any | None:
        """Return the stack's default (unaliased) configuration of mkdev-me/openai, if any (asked at synthesis)."""
        return next((p for p in self.openai_providers() if not getattr(p, "alias", None)), None)

    # -- the rest of the tree -----------------------------------------------------------------------------------

    def foreign_nodes(self) -> list[Any]:
        """Return the constructs of the stack this library did not create (walked once per synthesis)."""
        if self._foreign is None:
            self._foreign = list(self._walk_foreign(self.stack))
        return self._foreign

    def forget_foreign_nodes(self) -> None:
        """Walk the tree again when next asked (it may have grown since the last synthesis)."""
        self._foreign = None

    def _walk_foreign(self, root: Any, own: set[int] | None = None) -> Iterator[Any]:
        own = own if own is not None else {id(self), *(id(run.construct) for run in self.thread_runs)}
        for child in root.node.children:
            if id(child) in own:  # this library's subtrees: the records, and every thread-run
                continue
            yield child
            yield from self._walk_foreign(child, own)

    def app_thread_runs(self) -> dict[int, RecordedThreadRun]:
        """Return the record of every ThreadRunConstruct of the app, by ``id()`` of the construct."""
        return {id(run.construct): run for records in self.app_records() for run in records.thread_runs}

    def app_records(self) -> Iterator[StackRecords]:
        """Yield the records of every stack of the app this library has made records for."""
        for stack in self.stack.node.root.node.children:
            found = StackRecords.existing(stack)
            if found is not None:
                yield found


#: Every stack's records, by stack object (see :meth:`StackRecords.existing`).
_known: weakref.WeakKeyDictionary[Any, StackRecords] = weakref.WeakKeyDictionary()


def _taken(stack: Any) -> ValidationError:
    """Return the error for a stack in which a construct of the user's has the id of the library's records."""
    return ValidationError(
        f"openai-thread-run in {stack.node.path}",
        [
            Problem(
                "scope",
                f"already holds a construct with the id {RECORDS_ID!r}, which openai-thread-run keeps for its "
                "per-stack state",
                f"{stack.node.path}/{RECORDS_ID}",
                "another id for that construct",
            )
        ],
    )
