"""The floors: bare cdktf emitting exactly what the construct emits, with nothing of openai_thread_run in between.

Per thread-run the construct emits, in ``new`` mode, the prompt (a ``terraform_data`` carrying the messages
and the run's settings), an ``openai_thread`` (holding the messages, ``replace_triggered_by`` the prompt's
messages), an ``openai_thread_run`` on it (``lifecycle.ignore_changes``, ``replace_triggered_by`` the prompt),
the waiter (a ``terraform_data`` replaced with the run, whose ``local-exec`` provisioner is written with
``add_override``: cdktf's provisioner struct has no ``quiet``), and ``data "openai_run"`` and
``data "openai_messages"`` read after the waiter. In ``existing`` mode two ``openai_message`` (the second
``depends_on`` the first, both ``replace_triggered_by`` the prompt's messages) replace the thread, the prompt also
carries the thread id, and the run ``depends_on`` the last message; every thread-run is on the same thread, so the
first message of each ``depends_on`` the waiter of the one before. Per stack: the provider and one local holding
the waiter's source (the workload's constructs run the Python waiter, ``waiter="python"``; the default ``"auto"``
adds a second local per stack, the sh program).

Every floor builds that from a minimal ``TerraformResource``/``TerraformDataSource`` subclass that synthesizes a
dict it was handed (one jsii ``create``, one callback per synthesis pass), cdktf's own ``TerraformLocal`` and
cdktf's meta-arguments (``depends_on``, ``lifecycle``). No validation, no bindings.

- :func:`build_floor_stack` builds the construct's tree (a bare ``constructs.Construct`` per thread-run, and
  one for the library's per-stack state), so the logical ids and cdktf's ``"//"`` metadata match: its
  ``cdk.tf.json`` must be byte-identical to the construct's.
  It reads one token per referenced attribute (``thread.id``, ``run.id``, ``run.thread_id`` and the local).
- :func:`build_plain_floor_stack` builds the same tree, but builds **no token in Python**: every reference is
  the literal text ``"${type.name.attribute}"``, its logical id computed as cdktf allocates it
  (:func:`~openai_thread_run.logical_ids.make_unique_id`). What remains per element is its ``create`` and its
  synthesis callbacks, and per waiter the ``add_override`` of its provisioner (which cdktf records in the
  document's metadata, so the document needs it). Its ``cdk.tf.json`` must be byte-identical to the construct's.
- :func:`build_minimal_floor_stack` creates every element straight in the stack, under the logical id the
  construct's element gets (:func:`~openai_thread_run.logical_ids.make_unique_id`): no wrapper constructs at all. Its
  JSON differs from the construct's only in cdktf's ``"//"`` metadata (element paths).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import cdktf
import constructs

from benchmarks.inputs import (
    ASSISTANT_ID,
    EXISTING_THREAD_ID,
    FUNCTION_DESCRIPTION,
    FUNCTION_NAME,
    FUNCTION_PARAMETERS_JSON,
    PROVIDER_ID,
    TEMPERATURE,
    construct_id,
    message_texts,
    run_metadata,
)
from openai_thread_run.logical_ids import make_unique_id

#: The construct's per-stack state (a hidden child of the stack) and the local under it with the waiter source.
STATE_ID = "openai-thread-run.stack-state"
WAITER_LOCAL_ID = "waiter-script"
WAITER_LOCAL = "openai_thread_run_waiter"
#: What the waiter's provisioner looks like (see openai_thread_run.waiter_element).
WAITER_COMMAND = "openai-thread-run-wait"
WAIT_TIMEOUT = "600"
MESSAGES_READ = 100

#: The run's ``tools`` blocks, exactly as the construct emits them (shared: the floors never copy anything).
FLOOR_TOOLS: list[dict[str, Any]] = [
    {"type": "code_interpreter"},
    {
        "type": "function",
        "function": [
            {"name": FUNCTION_NAME, "description": FUNCTION_DESCRIPTION, "parameters": FUNCTION_PARAMETERS_JSON}
        ],
    },
]


class FloorProvider(cdktf.TerraformProvider):
    """The same ``provider`` block and ``required_providers`` entry as OpenaiProvider, with nothing else."""

    def __init__(self, scope: constructs.Construct, id: str) -> None:
        super().__init__(
            scope,
            id,
            terraform_resource_type="openai",
            terraform_provider_source="mkdev-me/openai",
            terraform_generator_metadata=cdktf.TerraformProviderGeneratorMetadata(
                provider_name="openai", provider_version_constraint=">= 1.2.0, < 2.0.0"
            ),
        )


class FloorResource(cdktf.TerraformResource):
    """A resource that synthesizes a dict it was handed: one jsii ``create``, one callback per synthesis pass."""

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        resource_type: str,
        attributes: Mapping[str, Any],
        *,
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
        lifecycle: cdktf.TerraformResourceLifecycle | None = None,
    ) -> None:
        #: What it synthesizes; may be set after it is created (the prompt, whose value the run's reference needs).
        self.attributes = attributes
        #: Its Terraform type, kept in Python (``terraform_resource_type`` is a jsii round trip).
        self.terraform_resource_type_name = resource_type
        super().__init__(scope, id, terraform_resource_type=resource_type, depends_on=depends_on, lifecycle=lifecycle)

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self.attributes


class FloorDataSource(cdktf.TerraformDataSource):
    """A data source that synthesizes a dict it was handed, like :class:`FloorResource`."""

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        data_source_type: str,
        attributes: Mapping[str, Any],
        *,
        depends_on: Sequence[cdktf.ITerraformDependable] | None = None,
    ) -> None:
        self._attributes = attributes
        super().__init__(scope, id, terraform_resource_type=data_source_type, depends_on=depends_on)

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self._attributes


@functools.cache
def waiter_source() -> str:
    """The waiter's source, read from the installed package without importing it (the floors import nothing of
    openai_thread_run). It holds nothing Terraform reads as a template, so it is written as it is."""
    spec = importlib.util.find_spec("openai_thread_run")
    if spec is None or spec.origin is None:
        raise RuntimeError("openai_thread_run is not installed")
    text = (Path(spec.origin).parent / "waiter.py").read_text(encoding="utf-8")
    if "${" in text or "%{" in text:
        raise RuntimeError("the waiter's source now needs escaping: escape it here as openai_thread_run does")
    return text


def _provisioner(run_id: str, thread_id: str, script: str) -> list[dict[str, Any]]:
    return [
        {
            "local-exec": {
                "command": WAITER_COMMAND,
                "interpreter": ["python3", "-c", script],
                "environment": {"OTR_THREAD_ID": thread_id, "OTR_RUN_ID": run_id, "OTR_TIMEOUT_SECONDS": WAIT_TIMEOUT},
                "quiet": True,
            }
        }
    ]


class References:
    """How a floor refers to an element's attribute: through a token (``floor``), or as literal text (``plain``)."""

    def __init__(self, *, tokens: bool) -> None:
        self.tokens = tokens

    def attribute(self, element: FloorResource, logical_id: str, name: str) -> str:
        """``${type.name.attribute}`` of a resource, as cdktf resolves ``element.get_string_attribute(name)``."""
        if self.tokens:
            return element.get_string_attribute(name)
        return "${" + f"{element.terraform_resource_type_name}.{logical_id}.{name}" + "}"


#: Where one thread-run's elements go: ``(scope, id)`` for an element named ``name`` of the ``index``-th run.
Placement = Callable[[int, str], tuple[constructs.Construct, str]]


def add_thread_run(
    place: Placement,
    mode: str,
    index: int,
    script: str,
    after: FloorResource | None = None,
    references: References | None = None,
) -> FloorResource:
    """Add the elements of the ``index``-th thread-run where ``place`` puts them, as the construct emits them.

    ``after``: the waiter of the thread-run before it on the same (existing) thread, which its first message waits
    for. ``references``: how the elements refer to each other's attributes. Returns its own waiter.
    """

    references = references or References(tokens=True)

    def logical_id(name: str) -> str:
        return make_unique_id([construct_id(index), name])

    messages = [{"role": role, "content": content} for role, content in message_texts(index)]
    settings: dict[str, Any] = {
        "assistant_id": ASSISTANT_ID,
        "tools": FLOOR_TOOLS,
        "metadata": run_metadata(index),
        "temperature": TEMPERATURE,
    }
    prompt = FloorResource(*place(index, "prompt"), "terraform_data", {})
    prompt_reference = "terraform_data." + logical_id("prompt")
    new_messages = cdktf.TerraformResourceLifecycle(
        replace_triggered_by=[f"{prompt_reference}.triggers_replace.messages"]
    )
    depends_on: list[cdktf.ITerraformDependable] | None = None
    if mode == "new":
        thread = FloorResource(*place(index, "thread"), "openai_thread", {"messages": messages}, lifecycle=new_messages)
        thread_id = references.attribute(thread, logical_id("thread"), "id")
        ignored = ["stream"]
        prompt.attributes = {"triggers_replace": {"messages": messages, "run": settings}}
    else:
        thread_id = EXISTING_THREAD_ID
        previous: FloorResource | None = None
        for position, message in enumerate(messages):
            previous = FloorResource(
                *place(index, f"message-{position}"),
                "openai_message",
                {"thread_id": thread_id, **message},
                depends_on=[previous] if previous is not None else [after] if after is not None else None,
                lifecycle=new_messages,
            )
        depends_on = [previous] if previous is not None else None
        ignored = ["stream", "existing_thread_id"]
        prompt.attributes = {
            "triggers_replace": {"messages": messages, "run": {**settings, "existing_thread_id": thread_id}}
        }
    run = FloorResource(
        *place(index, "run"),
        "openai_thread_run",
        {**settings, "existing_thread_id": thread_id},
        depends_on=depends_on,
        lifecycle=cdktf.TerraformResourceLifecycle(ignore_changes=ignored, replace_triggered_by=[prompt_reference]),
    )
    run_id = references.attribute(run, logical_id("run"), "id")
    run_thread_id = references.attribute(run, logical_id("run"), "thread_id")
    waiter = FloorResource(*place(index, "wait"), "terraform_data", {"triggers_replace": run_id})
    waiter.add_override("provisioner", _provisioner(run_id, run_thread_id, script))
    FloorDataSource(
        *place(index, "final-run"), "openai_run", {"run_id": run_id, "thread_id": run_thread_id}, depends_on=[waiter]
    )
    FloorDataSource(
        *place(index, "replies"),
        "openai_messages",
        {"thread_id": run_thread_id, "limit": MESSAGES_READ, "order": "desc"},
        depends_on=[waiter],
    )
    return waiter


def _inside(scope: constructs.Construct) -> Placement:
    """Place every element of a thread-run in ``scope``, under its own name (cdktf derives the logical id)."""

    def place(index: int, name: str) -> tuple[constructs.Construct, str]:
        return scope, name

    return place


def build_floor_stack(stack: cdktf.TerraformStack, mode: str, n: int) -> None:
    """Add the floor's provider and ``n`` thread-runs to ``stack``: the construct's tree, the construct's JSON."""
    _build_tree(stack, mode, n, References(tokens=True))


def build_plain_floor_stack(stack: cdktf.TerraformStack, mode: str, n: int) -> None:
    """The same as :func:`build_floor_stack`, with every reference written as literal text: no token built."""
    _build_tree(stack, mode, n, References(tokens=False))


def _build_tree(stack: cdktf.TerraformStack, mode: str, n: int, references: References) -> None:
    FloorProvider(stack, PROVIDER_ID)
    script = ""
    waiter: FloorResource | None = None
    for index in range(n):
        scope = constructs.Construct(stack, construct_id(index))
        if index == 0:  # the local, in a construct standing for the library's per-stack state, with the first waiter
            local = cdktf.TerraformLocal(constructs.Construct(stack, STATE_ID), WAITER_LOCAL_ID, waiter_source())
            local.override_logical_id(WAITER_LOCAL)
            script = local.as_string if references.tokens else "${local." + WAITER_LOCAL + "}"
        waiter = add_thread_run(
            _inside(scope), mode, index, script, waiter if mode == "existing" else None, references=references
        )


def build_minimal_floor_stack(stack: cdktf.TerraformStack, mode: str, n: int) -> None:
    """Add the provider, the local and ``n`` thread-runs' elements straight to ``stack``, under final logical ids."""
    FloorProvider(stack, PROVIDER_ID)
    script = cdktf.TerraformLocal(stack, WAITER_LOCAL, waiter_source()).as_string if n else ""

    def place(index: int, name: str) -> tuple[constructs.Construct, str]:
        return stack, make_unique_id([construct_id(index), name])

    waiter: FloorResource | None = None
    for index in range(n):
        waiter = add_thread_run(place, mode, index, script, waiter if mode == "existing" else None)
