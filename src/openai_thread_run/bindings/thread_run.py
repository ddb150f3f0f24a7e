"""Binding for ``openai_thread_run`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import cdktf
import constructs

from ._base import Attribute, Resolvable, reset_method
from .blocks import (
    RESPONSE_FORMAT,
    RUN_THREAD,
    TEXT,
    TEXT_MAP,
    ResponseFormatBlock,
    RunThreadBlock,
    ToolBlock,
    tool_blocks,
)
from .run_attributes import RunAttributes
from .schema import Bool, Number, String


class ThreadRunBody(RunAttributes):
    """A run: an assistant executing on a thread. Any change to its settings starts a new run."""

    TF_RESOURCE_TYPE: ClassVar[str] = "openai_thread_run"
    """The Terraform type."""

    assistant_id: Attribute[str] = Attribute(String(), required=True)
    existing_thread_id: Attribute[str | None] = Attribute(String())
    thread: Attribute[RunThreadBlock | None] = Attribute(RUN_THREAD)
    model: Attribute[str | None] = Attribute(String())
    instructions: Attribute[str | None] = Attribute(TEXT)
    tools: Attribute[Sequence[ToolBlock] | None] = Attribute(tool_blocks(parameters_required=False))
    metadata: Attribute[Mapping[str, str] | None] = Attribute(TEXT_MAP)
    temperature: Attribute[float | None] = Attribute(Number())
    top_p: Attribute[float | None] = Attribute(Number())
    max_completion_tokens: Attribute[int | float | None] = Attribute(Number(integer=True))
    stream: Attribute[bool | Resolvable | None] = Attribute(Bool())
    response_format: Attribute[ResponseFormatBlock | None] = Attribute(RESPONSE_FORMAT)
    reset_existing_thread_id = reset_method(existing_thread_id)
    reset_thread = reset_method(thread)
    reset_model = reset_method(model)
    reset_instructions = reset_method(instructions)
    reset_tools = reset_method(tools)
    reset_metadata = reset_method(metadata)
    reset_temperature = reset_method(temperature)
    reset_top_p = reset_method(top_p)
    reset_max_completion_tokens = reset_method(max_completion_tokens)
    reset_stream = reset_method(stream)
    reset_response_format = reset_method(response_format)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        assistant_id: str,
        existing_thread_id: str | None = None,
        thread: RunThreadBlock | None = None,
        model: str | None = None,
        instructions: str | None = None,
        tools: Sequence[ToolBlock] | None = None,
        metadata: Mapping[str, str] | None = None,
        temperature: float | None = None,
        top_p: float | None = None,
        max_completion_tokens: int | float | None = None,
        stream: bool | Resolvable | None = None,
        response_format: ResponseFormatBlock | None = None,
        connection: Any | None = None,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
        provisioners: Sequence[Any] | None = None,
    ) -> None:
        """Declare an ``openai_thread_run``.

        :param assistant_id: assistant that executes the run. Required.
        :param existing_thread_id: thread to run on; conflicts with ``thread``. Default: none.
        :param thread: inline ``thread`` block (the run then creates the thread, and never deletes it).
            Default: none.
        :param model: overrides the assistant's model. Default: the assistant's.
        :param instructions: overrides the assistant's instructions, written exactly as given. Default: the
            assistant's.
        :param tools: ``tools`` blocks; a function's ``parameters`` is a dict or a JSON string. Default: the
            assistant's.
        :param metadata: up to 16 string pairs, written exactly as given. Default: none.
        :param temperature: 0-2; the provider does not send 0. Default: API default (1).
        :param top_p: 0-1; the provider does not send 0. Default: API default (1).
        :param max_completion_tokens: completion-token cap. Default: none.
        :param stream: must be false or unset. Default: unset (false).
        :param response_format: ``{"type": "text" | "json_object"}``. Default: API default (auto).
        :param connection: Terraform meta-argument. Default: none.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: resources (or constructs) to create first. Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings, e.g. ``replace_triggered_by``. Default: none.
        :param provider: the ``mkdev-me/openai`` provider configuration to use. Default: the default one.
        :param provisioners: Terraform meta-argument. Default: none.
        :raises ValidationError: naming every missing input and every input of the wrong type.
        """
        self._create(scope, id, locals())

    @property
    def thread_id(self) -> str:
        """Token: the thread the run executes on."""
        return self.get_string_attribute("thread_id")

    @property
    def object(self) -> str:
        """Token: the object type, ``thread.run``."""
        return self.get_string_attribute("object")

    @property
    def file_ids(self) -> list[str]:
        """Token: files the run has access to."""
        return self.get_list_attribute("file_ids")


class OpenaiThreadRun(ThreadRunBody, cdktf.TerraformResource):
    """``openai_thread_run`` resource of provider mkdev-me/openai 1.2.0."""
