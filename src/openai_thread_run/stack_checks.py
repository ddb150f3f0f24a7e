"""What a stack with ThreadRunConstructs runs at synthesis: installed by the construct, once per stack.

- a **synth aspect** on a childless node of the stack's records, so it runs once per stack (not once per node):
  it brings each thread-run's derived elements up to date (the prompt, the waiter's provider settings), adds the
  null provider where ``null_resource`` triggers need one, orders the runs (:mod:`.ordering`: ``depends_on``,
  ``node.add_dependency``, runs on one thread), warns about runs that would inherit an assistant's function
  tools, and notes what the machine running ``terraform apply`` needs;
- a **validation**: every thread-run needs a provider configuration for mkdev-me/openai (the default one, or the
  one passed as ``provider=``); a stack has at most one default configuration and one of each alias; no element
  of the user's has a name the library took.

It reads the thread-runs through their records (:class:`~.stack_records.RecordedThreadRun`), never the
construct's class.
"""

from __future__ import annotations

from typing import Any

import constructs
import jsii

from .annotations import note, warn
from .bindings.provider import duplicate_aliases
from .ordering import order_thread_runs
from .stack_records import StackRecords
from .waiter_sources import PROGRAMS, apply_needs

#: The name :meth:`StackRecords.install_once` knows these checks by.
CHECKS = "thread-runs"


def install(records: StackRecords) -> None:
    """Add the thread-runs' validation and synth aspect to the stack of ``records``."""
    records.stack.node.add_validation(_ThreadRunCheck(records))
    records.fw.core.Aspects.of(constructs.Construct(records, "synth")).add(_make_synth_aspect(records))


def synthesize(records: StackRecords) -> None:
    """Run the synth-time work, once per stack, before validation and before the JSON is written."""
    records.forget_foreign_nodes()  # the tree may have grown since the last synthesis
    if not records.thread_runs:
        return
    default = None
    for run in records.thread_runs:
        if run.uses_default_provider():
            default = default if default is not None else records.default_provider()
        run.prepare_synthesis(default)
    _add_null_provider(records)
    thread_runs = records.app_thread_runs()
    order_thread_runs(records.thread_runs, records.fw, records.stack, thread_runs)
    _honour_node_dependencies(records, thread_runs)
    _warn_inherited_function_tools(records)
    _note_apply_needs(records)


def _add_null_provider(records: StackRecords) -> None:
    if not any(run.needs_null_provider() for run in records.thread_runs):
        return
    null_provider, _ = records.fw.null_classes()
    if not any(isinstance(child, null_provider) for child in records.stack.node.children):
        null_provider(records.stack, "null-provider")


def _honour_node_dependencies(records: StackRecords, thread_runs: dict[int, Any]) -> None:
    """``element.node.add_dependency(thread_run)``: cdktf ignores node dependencies; write ``depends_on``."""
    own = {id(run.construct) for run in records.thread_runs}
    core = records.fw.core
    for node in records.foreign_nodes():
        if not isinstance(
            node, core.TerraformResource | core.TerraformDataSource | core.TerraformOutput | core.TerraformModule
        ):
            continue
        targets = [dep for dep in node.node.dependencies if id(dep) in own]
        if not targets:
            continue
        existing = list(node.depends_on or [])
        if isinstance(node, core.TerraformOutput):  # an output's depends_on takes dependables
            node.depends_on = existing + [target for target in targets if target not in existing]
        else:  # a resource's, data source's or module's takes references (type.name)
            wanted = [thread_runs[id(target)].dependency_reference() for target in targets]
            node.depends_on = existing + [ref for ref in wanted if ref not in existing]


def _warn_inherited_function_tools(records: StackRecords) -> None:
    """Warn, once per run and assistant, about a run that passes no tools and so inherits function tools."""
    candidates = [run for run in records.thread_runs if run.passes_no_tools()]
    if not candidates:
        return
    with_functions = [a for stack in records.app_records() for a in stack.assistants if a.has_function_tools()]
    for run in candidates:
        assistant = next((a for a in with_functions if a.issued_id(run.given_assistant_id)), None)
        if assistant is None or (id(run), id(assistant)) in records.inherited_tools_warned:
            continue
        records.inherited_tools_warned.add((id(run), id(assistant)))
        warn(
            run.construct,
            "inherited-function-tools",
            f"the run passes no tools, so it inherits the function tools of {assistant.node.path}; provider "
            "1.2.0 cannot store them after creating the run ('error setting tools'), the apply fails and the "
            "run stays tainted. Pass tools=[CodeInterpreterTool()] (or other non-function tools) to the "
            "run; see README, Known provider defects",
        )


def _note_apply_needs(records: StackRecords) -> None:
    """Say once per stack, as an info annotation, what the machine running ``terraform apply`` needs."""
    kinds = {kind for run in records.thread_runs if (kind := run.waiter_kind()) is not None}
    if kinds and not records.apply_needs_noted:
        note(records.stack, "apply-needs", apply_needs(kinds), records.fw)
        records.apply_needs_noted = True


@jsii.implements(constructs.IValidation)
class _ThreadRunCheck:
    """Synth-time validation of a stack's provider configurations and the names the library takes.

    Every thread-run has a provider configuration; a stack has at most one default, and one of each alias; no
    element of the user's has a name the library took.
    """

    def __init__(self, records: StackRecords) -> None:
        self.records = records

    def validate(self) -> list[str]:
        records = self.records
        errors = _taken_names(records)
        if not records.thread_runs:
            return errors
        providers = records.openai_providers()
        errors += duplicate_aliases(providers)
        defaults = [p for p in providers if not getattr(p, "alias", None)]
        if len(defaults) > 1:
            errors.append(
                "the stack has more than one default (unaliased) provider configuration for mkdev-me/openai ("
                + ", ".join(p.node.path for p in defaults)
                + "), which Terraform rejects (Duplicate provider configuration): give all but one an alias"
            )
        needing = [run for run in records.thread_runs if run.uses_default_provider()]
        if needing and not defaults:
            paths = ", ".join(run.construct.node.path for run in needing)
            if providers:
                aliases = ", ".join(str(p.alias) for p in providers)
                errors.append(
                    f"ThreadRunConstruct {paths}: the stack's provider configurations for mkdev-me/openai are all "
                    f"aliased ({aliases}), so Terraform would use an unconfigured default one: pass provider=<one of "
                    "them> to the construct, or declare an OpenaiProvider without alias"
                )
            else:
                errors.append(
                    f"ThreadRunConstruct {paths} needs an OpenaiProvider in this stack: add "
                    "OpenaiProvider(stack, 'openai', api_url=...) from openai_thread_run (the API key comes from "
                    "OPENAI_API_KEY), or pass provider=<a provider configuration for mkdev-me/openai>"
                )
        return errors


def _taken_names(records: StackRecords) -> list[str]:
    """Errors for elements of the user's named as the library names its own: a local like a waiter's program."""
    written = {PROGRAMS[program].local for program in records.waiter_scripts}
    if not written:
        return []
    return [
        f"{node.node.path}: the local {node.friendly_unique_id!r} is one openai-thread-run writes a waiter's program "
        "into, and one of the two would replace the other: give yours another name"
        for node in records.foreign_nodes()
        if isinstance(node, records.fw.core.TerraformLocal) and node.friendly_unique_id in written
    ]


def _make_synth_aspect(records: StackRecords) -> Any:
    @jsii.implements(records.fw.core.IAspect)
    class SynthAspect:
        """Runs :func:`synthesize` when cdktf invokes aspects on the records' childless node."""

        def visit(self, node: constructs.IConstruct) -> None:
            synthesize(records)

    return SynthAspect()
