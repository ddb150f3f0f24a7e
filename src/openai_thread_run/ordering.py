"""What a ThreadRunConstruct waits for, as Terraform's ``depends_on`` writes it.

A construct waits for what its ``depends_on`` input names, for what ``construct.node.add_dependency(...)`` added
(cdktf itself ignores node dependencies), and for the construct created before it on the same thread: the API
refuses a message while a run is active on its thread, so two runs on one thread must not overlap. What it waits
for is written into the ``depends_on`` of its first element that reaches the API (the new thread, the first
message, or the run); everything else of the construct comes after that element.

Terraform's ``depends_on`` takes bare references (``type.name``, ``data.type.name``, ``module.name``), read at
synthesis: a logical id may be overridden until then.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ._framework import Framework
from .bindings._base import ElementBody
from .tokens import resolve, token_kind

if TYPE_CHECKING:
    from .construct import AnyThreadRun


def dependable_classes(fw: Framework) -> tuple[type, ...]:
    """Return the framework classes of what Terraform can depend on (besides ThreadRunConstructs)."""
    core = fw.core
    return (core.TerraformResource, core.TerraformDataSource, core.TerraformModule)


def reference(element: Any) -> str:
    """Return the bare reference to a resource (``type.name``), as ``depends_on`` and ``replace_triggered_by`` take it.

    Passing the resource object would make cdktf write ``"${type.name}"`` in ``replace_triggered_by``, which
    Terraform rejects there ("Invalid character"). A binding of this library knows its type in Python (no jsii
    round trip); the logical id is asked, since it may have been overridden.
    """
    resource_type = element.TF_RESOURCE_TYPE if isinstance(element, ElementBody) else element.terraform_resource_type
    return f"{resource_type}.{element.friendly_unique_id}"


def dependency_references(target: Any, fw: Framework) -> Iterator[str]:
    """Yield the bare references that depending on ``target`` means.

    A ThreadRunConstruct: what finishes last (its waiter, or its run); a resource, data source or module: itself;
    any other construct: every one of those in it (constructs' meaning of a dependency on a construct).
    """
    from .construct import ThreadRunConstructBody  # a cycle at import time otherwise

    core = fw.core
    if isinstance(target, ThreadRunConstructBody):
        yield target._dependency_reference()  # pyright: ignore[reportPrivateUsage]
    elif isinstance(target, core.TerraformDataSource):
        yield "data." + reference(target)
    elif isinstance(target, core.TerraformModule):
        yield f"module.{target.friendly_unique_id}"
    elif isinstance(target, core.TerraformResource):
        yield reference(target)
    else:
        for child in target.node.children:
            yield from dependency_references(child, fw)


def order_thread_runs(runs: Sequence[AnyThreadRun], fw: Framework, stack: Any) -> None:
    """Make each construct of a stack wait for its node dependencies and for the one before it on its thread."""
    after = _previous_on_same_thread(runs, stack)
    given = {id(run): list(run._inputs.depends_on) for run in runs}  # pyright: ignore[reportPrivateUsage]
    added = {id(run): _new(run._node_dependencies(), given[id(run)]) for run in runs}  # pyright: ignore[reportPrivateUsage]
    for run in runs:
        previous = after.get(id(run))
        if (
            previous is not None
            and not any(previous is t for t in (*given[id(run)], *added[id(run)]))
            and not any(run is t for t in (*given[id(previous)], *added[id(previous)]))  # never reverse an order
        ):
            added[id(run)].append(previous)
        if added[id(run)]:  # what depends_on= named is written already (at creation)
            run._wait_for([ref for target in added[id(run)] for ref in dependency_references(target, fw)])  # pyright: ignore[reportPrivateUsage]


def _new(found: list[Any], known: list[Any]) -> list[Any]:
    """Return the items of ``found`` that are not (the very objects) in ``known``."""
    return [item for item in found if not any(item is other for other in known)]


def _previous_on_same_thread(runs: Sequence[AnyThreadRun], stack: Any) -> dict[int, AnyThreadRun]:
    """Map each construct on an existing thread to the construct created before it on that thread, if any.

    A thread is known by every expression that names it: a literal id, the new thread's ``id``, a run's
    ``thread_id`` (so a construct on ``first.thread_id`` runs after ``first``). Tokens are resolved only when an
    existing thread is given as one; literal ids are compared as they are.
    """
    existing = [run for run in runs if _existing_thread(run) is not None]
    if not existing or len(runs) < 2:
        return {}
    names: dict[int, list[str]]
    if all(token_kind(_existing_thread(run)) is None for run in existing):
        names = {id(run): [str(_existing_thread(run))] for run in existing}  # only a literal id names it so
    else:
        names = {id(run): run._thread_names(lambda value: str(resolve(value, stack))) for run in runs}  # pyright: ignore[reportPrivateUsage]
    thread_of: dict[str, str] = {}  # every name of a thread -> the first name it was known by (one per thread)

    def thread(name: str) -> str:
        while thread_of.setdefault(name, name) != name:
            name = thread_of[name]
        return name

    last_on: dict[str, AnyThreadRun] = {}
    previous: dict[int, AnyThreadRun] = {}
    for run in runs:
        own = [thread(name) for name in names.get(id(run), [])]
        before = next((last_on[name] for name in own if name in last_on), None)
        if before is not None and _existing_thread(run) is not None:
            previous[id(run)] = before
        for name in own:  # all of them name one thread: merge what was known of each
            thread_of[name] = own[0]
        if own:
            last_on[own[0]] = run
    return previous


def _existing_thread(run: AnyThreadRun) -> Any:
    """Return the ``existing_thread_id`` a construct was given, or None for a construct on a new thread."""
    return run._inputs.existing_thread_id  # pyright: ignore[reportPrivateUsage]
