"""ThreadRunConstruct: the "OpenAI Thread Run" module as one cdktf/cdktn construct.

How the inputs (checked by :mod:`openai_thread_run.validation`) meet the bindings (:mod:`.bindings`):

- ``create_new_thread=True``: one ``openai_thread`` holding the messages, and one ``openai_thread_run`` on
  it. The thread is its own resource, not the run's inline ``thread`` block, so ``terraform destroy`` deletes
  it (the run's delete is a no-op) and changing a run setting replaces only the run.
- ``create_new_thread=False``: the run goes on ``existing_thread_id``; each message becomes an
  ``openai_message`` that depends on the previous one, and the run depends on the last. The existing thread is
  never changed or deleted.
- ``rerun_triggers``: a ``null_resource`` carries them as ``triggers`` (or a built-in ``terraform_data`` as
  ``triggers_replace``) and the run is replaced when it is (``lifecycle.replace_triggered_by``, Terraform
  >= 1.2; ``terraform_data`` needs >= 1.4).
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import constructs
import jsii

from ._framework import Framework, framework_of, remember_framework, stack_of
from .bindings.message import OpenaiMessage
from .bindings.provider import stack_has_provider
from .bindings.terraform_data import TerraformData
from .bindings.thread import OpenaiThread
from .bindings.thread_run import OpenaiThreadRun
from .inputs import MessageInput, ResponseFormatInput, ToolInput
from .tokens import is_jsii_object
from .validation import RerunTriggerResource, RunInputs, validate_inputs

#: Stacks that already carry the provider-presence check and, separately, a null provider.
_checked_stacks: weakref.WeakSet[Any] = weakref.WeakSet()
_stacks_with_null_provider: weakref.WeakSet[Any] = weakref.WeakSet()


@jsii.implements(constructs.IValidation)
class _RequireOpenaiProvider:
    """Synth-time check: the stack must declare an OpenaiProvider."""

    def __init__(self, stack: Any) -> None:
        self._stack = weakref.ref(stack)

    def validate(self) -> list[str]:
        stack = self._stack()
        if stack is None or stack_has_provider(stack):
            return []
        return [
            "ThreadRunConstruct needs an OpenaiProvider in this stack: add "
            "OpenaiProvider(stack, 'openai', api_url=...) from openai_thread_run (the API key comes from "
            "OPENAI_API_KEY)"
        ]


def _reference(resource: Any) -> str:
    """Return ``type.logical_id``: the bare reference Terraform's JSON syntax wants in replace_triggered_by.

    Passing the resource object would make cdktf write ``"${type.logical_id}"``, which Terraform rejects there
    ("Invalid character"), just as it would in depends_on.
    """
    return f"{resource.terraform_resource_type}.{resource.friendly_unique_id}"


class ThreadRunConstruct(constructs.Construct):
    """An OpenAI Assistants run on a new or an existing thread, with the run's attributes as tokens.

    Mirrors the HCL module "OpenAI Thread Run": same input names, same outputs. Inputs are validated when the
    construct is created; every problem is reported at once in a :class:`~openai_thread_run.ValidationError`.
    The stack must also declare an :class:`~openai_thread_run.OpenaiProvider`.
    """

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
        max_completion_tokens: int | None = None,
        stream: bool = False,
        response_format: ResponseFormatInput | None = None,
        rerun_triggers: Mapping[str, str] | None = None,
        rerun_trigger_resource: RerunTriggerResource = "null_resource",
    ) -> None:
        """Create a thread (or use an existing one) and start a run on it.

        :param assistant_id: assistant that executes the run. Required.
        :param create_new_thread: create a thread, or use ``existing_thread_id``. Default: ``True``.
        :param existing_thread_id: thread to run on when ``create_new_thread`` is False. Default: ``None``.
        :param messages: messages to add to the thread, in order. Default: ``()``.
        :param thread_metadata: metadata of the new thread. Default: ``None``.
        :param model: overrides the assistant's model. Default: ``None``.
        :param instructions: overrides the assistant's instructions for this run. Default: ``None``.
        :param tools: tools for this run (code_interpreter, function). Default: ``()``.
        :param metadata: metadata of the run. Default: ``None``.
        :param temperature: sampling temperature, 0.0-2.0. Default: ``None``.
        :param top_p: nucleus sampling, 0.0-1.0. Default: ``None``.
        :param max_completion_tokens: completion-token cap for the run, at least 256. Default: ``None``.
        :param stream: must stay False: Terraform cannot consume a stream. Default: ``False``.
        :param response_format: ``"auto"``, ``{"type": "text"}`` or ``{"type": "json_object"}``. Default: ``None``.
        :param rerun_triggers: str-to-str map; changing any value starts a new run. Default: ``None``.
        :param rerun_trigger_resource: what carries ``rerun_triggers``: ``"null_resource"`` (provider
            hashicorp/null) or ``"terraform_data"`` (built into Terraform >= 1.4, nothing to install; for
            air-gapped provider mirrors). Default: ``"null_resource"``.
        :raises ValidationError: listing every invalid input, before anything is added to the stack.
        """
        inputs = validate_inputs(
            f"ThreadRunConstruct {id!r}",
            {
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
            },
        )
        super().__init__(scope, id)
        fw = framework_of(scope)
        # the bindings below are created on this framework (FrameworkDispatch), found on their scope without a
        # walk up through jsii
        remember_framework(self, fw)
        stack = stack_of(scope, fw)
        self._require_provider(stack)

        self._thread: OpenaiThread | None = None
        self._messages: tuple[OpenaiMessage, ...] = ()
        if inputs.existing_thread_id is None:
            self._thread = OpenaiThread(self, "thread", messages=inputs.messages, metadata=inputs.thread_metadata)
            thread_id = self._thread.id
        else:
            thread_id = inputs.existing_thread_id
            self._messages = self._add_messages(thread_id, inputs)

        self._rerun_trigger = self._add_rerun_trigger(fw, stack, inputs)
        self._run = OpenaiThreadRun(
            self,
            "run",
            assistant_id=inputs.assistant_id,
            existing_thread_id=thread_id,
            model=inputs.model,
            instructions=inputs.instructions,
            tools=inputs.tools,
            metadata=inputs.metadata,
            temperature=inputs.temperature,
            top_p=inputs.top_p,
            max_completion_tokens=inputs.max_completion_tokens,
            response_format=inputs.response_format,
            depends_on=self._messages[-1:],
            lifecycle=(
                fw.core.TerraformResourceLifecycle(replace_triggered_by=[_reference(self._rerun_trigger)])
                if self._rerun_trigger is not None
                else None
            ),
        )
        self.node.default_child = self._run

    # -- building blocks ------------------------------------------------------------------------------------

    @staticmethod
    def _require_provider(stack: Any) -> None:
        if stack not in _checked_stacks:
            _checked_stacks.add(stack)
            stack.node.add_validation(_RequireOpenaiProvider(stack))

    def _add_messages(self, thread_id: str, inputs: RunInputs) -> tuple[OpenaiMessage, ...]:
        added: list[OpenaiMessage] = []
        for index, message in enumerate(inputs.messages):
            added.append(
                OpenaiMessage(
                    self,
                    f"message-{index}",
                    thread_id=thread_id,
                    role=message["role"],
                    content=message["content"],
                    metadata=message.get("metadata"),
                    depends_on=added[-1:],
                )
            )
        return tuple(added)

    def _add_rerun_trigger(self, fw: Framework, stack: Any, inputs: RunInputs) -> Any:
        triggers = inputs.rerun_triggers
        if triggers is None:
            return None
        if inputs.rerun_trigger_resource == "terraform_data":
            return TerraformData(self, "rerun-trigger", triggers_replace=triggers)
        if is_jsii_object(triggers):  # a map token: the prebuilt null binding wants it encoded as a dict
            triggers = fw.core.Token.as_string_map(triggers)
        null_provider, null_resource = fw.null_module()
        if stack not in _stacks_with_null_provider:
            _stacks_with_null_provider.add(stack)
            if not any(isinstance(child, null_provider) for child in stack.node.children):
                null_provider(stack, "null-provider")
        return null_resource(self, "rerun-trigger", triggers=triggers)

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
        """Token: the run status as last read (queued, in_progress, completed, failed, ...)."""
        return self._run.status

    @property
    def created_at(self) -> float:
        """Token: when the run was created, Unix seconds."""
        return self._run.created_at

    @property
    def started_at(self) -> float:
        """Token: when the run started, Unix seconds."""
        return self._run.started_at

    @property
    def completed_at(self) -> float:
        """Token: when the run completed, Unix seconds."""
        return self._run.completed_at

    @property
    def usage(self) -> Mapping[str, float]:
        """Token: prompt_tokens, completion_tokens and total_tokens of the run."""
        return self._run.usage

    # -- escape hatches -------------------------------------------------------------------------------------

    @property
    def run(self) -> OpenaiThreadRun:
        """The ``openai_thread_run`` resource (also ``node.default_child``)."""
        return self._run

    @property
    def thread(self) -> OpenaiThread | None:
        """The ``openai_thread`` resource, or None when running on an existing thread."""
        return self._thread

    @property
    def messages(self) -> tuple[OpenaiMessage, ...]:
        """The ``openai_message`` resources, in order (empty for a new thread: its messages are inline)."""
        return self._messages

    @property
    def rerun_trigger(self) -> Any:
        """The ``null_resource`` (or ``terraform_data``) carrying ``rerun_triggers``, or None."""
        return self._rerun_trigger
