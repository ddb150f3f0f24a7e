"""What a ThreadRunConstruct waits for, as Terraform's ``depends_on`` writes it.

A construct waits for what its ``depends_on`` input names, for what ``construct.node.add_dependency(...)`` added
(cdktf itself ignores node dependencies), and for the construct created before it on the same thread: the API
refuses a message while a run is active on its thread, so two runs on one thread must not overlap. What it waits
for is written into the ``depends_on`` of its first element that reaches the API (the new thread, the first
message, or the run); everything else of the construct comes after that element.

Terraform's ``depends_on`` takes bare references (``type.name``, ``data.type.name``, ``module.name``), read at
synthesis: a logical id may be overridden until then. The constructs are known by their records
(:class:`~.stack_records.RecordedThreadRun`): this module never imports the construct.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ._framework import Framework
from .bindings._base import ElementBase
from .stack_records import RecordedThreadRun, StackRecords
from .tokens import resolve, token_kind


def dependable_classes(fw: Framework) -> tuple[type, ...]:
    """Return the framework classes of what Terraform can depend on (besides ThreadRunConstructs)."""
    core = fw.core
    return (core.TerraformResource, core.TerraformDataSource, core.TerraformModule)


def reference(element: Any) -> str:
    """Return the bare reference to a resource (``type.name``), as ``depends_on`` and ``replace_triggered_by`` take it.

    Passing the resource object would make cdktf write ``"${type.name}"`` in ``replace_triggered_by``, which
    Terraform rejects there ("Invalid character"). This library's bindings answer in Python when they know their
    logical id; a class that states its type (``TF_RESOURCE_TYPE``, as cdktf's generated ones do) is asked the
    type in Python and the logical id through jsii (it may have been overridden).
    """
    if isinstance(element, ElementBase):
        return element._address()  # pyright: ignore[reportPrivateUsage]
    resource_type = getattr(element.__class__, "TF_RESOURCE_TYPE", None) or element.terraform_resource_type
    return f"{resource_type}.{element.friendly_unique_id}"


def dependency_references(target: Any, fw: Framework, thread_runs: Mapping[int, RecordedThreadRun]) -> Iterator[str]:
    """Yield the bare references that depending on ``target`` means.

    A ThreadRunConstruct (found in ``thread_runs``, by ``id()``): what finishes last (its waiter, or its run); a
    resource, data source or module: itself; any other construct: every one of those in it (constructs' meaning
    of a dependency on a construct).
    """
    core = fw.core
    recorded = thread_runs.get(id(target))
    if recorded is not None:
        yield recorded.dependency_reference()
    elif isinstance(target, core.TerraformDataSource):
        yield "data." + reference(target)
    elif isinstance(target, core.TerraformModule):
        yield f"module.{target.friendly_unique_id}"
    elif isinstance(target, core.TerraformResource):
        yield reference(target)
    else:
        for child in target.node.children:
            yield from dependency_references(child, fw, thread_runs)


def previous_on_literal_thread(thread_id: Any, records: StackRecords) -> RecordedThreadRun | None:
    """Return the construct created last on ``thread_id`` when that is a literal id, else None.

    What :func:`order_thread_runs` will find in the common case, known at creation: the construct then waits for it
    from the start, and synthesis rewrites nothing unless the order turns out otherwise.
    """
    return (
        records.last_on_thread.get(thread_id) if isinstance(thread_id, str) and token_kind(thread_id) is None else None
    )


def order_thread_runs(
    runs: Sequence[RecordedThreadRun], fw: Framework, stack: Any, thread_runs: Mapping[int, RecordedThreadRun]
) -> None:
    """Make each construct of a stack wait for its node dependencies and for the one before it on its thread.

    ``thread_runs``: every ThreadRunConstruct of the app, by ``id()`` of the construct (a dependency may name one).
    """
    after = _previous_on_same_thread(runs, stack)
    given = {id(run): list(run.given_dependencies) for run in runs}
    added = {id(run): _new(run.node_dependencies(), given[id(run)]) for run in runs}
    for run in runs:
        previous = after.get(id(run))
        if (
            previous is not None
            and not any(previous.construct is t for t in (*given[id(run)], *added[id(run)]))
            and not any(run.construct is t for t in (*given[id(previous)], *added[id(previous)]))  # never reverse
        ):
            added[id(run)].append(previous.construct)
        # what depends_on= named is written already (at creation); the rest is written when it changed
        run.wait_for([ref for target in added[id(run)] for ref in dependency_references(target, fw, thread_runs)])


def _new(found: list[Any], known: list[Any]) -> list[Any]:
    """Return the items of ``found`` that are not (the very objects) in ``known``."""
    return [item for item in found if not any(item is other for other in known)]


def _previous_on_same_thread(runs: Sequence[RecordedThreadRun], stack: Any) -> dict[int, RecordedThreadRun]:
    """Map each construct on an existing thread to the construct created before it on that thread, if any.

    A thread is known by every expression that names it: a literal id, the new thread's ``id``, a run's
    ``thread_id`` (so a construct on ``first.thread_id`` runs after ``first``). Tokens are resolved only when an
    existing thread is given as one; literal ids are compared as they are.
    """
    existing = [run for run in runs if run.existing_thread is not None]
    if not existing or len(runs) < 2:
        return {}
    names: dict[int, list[str]]
    if all(token_kind(run.existing_thread) is None for run in existing):
        names = {id(run): [str(run.existing_thread)] for run in existing}  # only a literal id names it so
    else:
        names = {id(run): run.thread_names(lambda value: str(resolve(value, stack))) for run in runs}
    thread_of: dict[str, str] = {}  # every name of a thread -> the first name it was known by (one per thread)

    def thread(name: str) -> str:
        while thread_of.setdefault(name, name) != name:
            name = thread_of[name]
        return name

    last_on: dict[str, RecordedThreadRun] = {}
    previous: dict[int, RecordedThreadRun] = {}
    for run in runs:
        own = [thread(name) for name in names.get(id(run), [])]
        before = next((last_on[name] for name in own if name in last_on), None)
        if before is not None and run.existing_thread is not None:
            previous[id(run)] = before
        for name in own:  # all of them name one thread: merge what was known of each
            thread_of[name] = own[0]
        if own:
            last_on[own[0]] = run
    return previous
