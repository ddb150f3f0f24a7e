"""Binding for ``openai_thread_run`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cdktf
import constructs

from ._base import ResourceBinding, copy_blocks, copy_value
from .blocks import ResponseFormatBlock, RunThreadBlock, ToolBlock


class ThreadRunBody(ResourceBinding):
    """A run: an assistant executing on a thread. Any change to its settings starts a new run."""

    resource_type = "openai_thread_run"

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
        max_completion_tokens: int | None = None,
        stream: bool | None = None,
        response_format: ResponseFormatBlock | None = None,
        depends_on: Sequence[Any] | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
    ) -> None:
        """Declare an ``openai_thread_run``.

        :param assistant_id: assistant that executes the run. Required.
        :param existing_thread_id: thread to run on; conflicts with ``thread``. Default: none.
        :param thread: inline ``thread`` block (the run then creates the thread, and never deletes it).
            Default: none.
        :param model: overrides the assistant's model. Default: the assistant's.
        :param instructions: overrides the assistant's instructions. Default: the assistant's.
        :param tools: ``tools`` blocks; a function's ``parameters`` is a JSON string. Default: the assistant's.
        :param metadata: up to 16 string pairs. Default: none.
        :param temperature: 0-2; the provider does not send 0. Default: API default (1).
        :param top_p: 0-1; the provider does not send 0. Default: API default (1).
        :param max_completion_tokens: completion-token cap. Default: none.
        :param stream: must be false or unset. Default: unset (false).
        :param response_format: ``{"type": "text" | "json_object"}``. Default: API default (auto).
        :param depends_on: resources to create first. Default: none.
        :param lifecycle: Terraform lifecycle settings, e.g. ``replace_triggered_by``. Default: none.
        :param provider: an aliased ``OpenaiProvider``. Default: the stack's default provider.
        """
        self._register(
            scope,
            id,
            {
                "assistant_id": assistant_id,
                "existing_thread_id": existing_thread_id,
                "thread": [dict(thread)] if thread is not None else None,
                "model": model,
                "instructions": instructions,
                "tools": copy_blocks(tools),
                "metadata": copy_value(metadata),
                "temperature": temperature,
                "top_p": top_p,
                "max_completion_tokens": max_completion_tokens,
                "stream": stream,
                "response_format": [dict(response_format)] if response_format is not None else None,
            },
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
        )

    @property
    def id(self) -> str:
        """Token: the run id (``run_...``)."""
        return self.get_string_attribute("id")

    @property
    def thread_id(self) -> str:
        """Token: the thread the run executes on."""
        return self.get_string_attribute("thread_id")

    @property
    def status(self) -> str:
        """Token: queued, in_progress, requires_action, cancelling, cancelled, failed, completed or expired."""
        return self.get_string_attribute("status")

    @property
    def object(self) -> str:
        """Token: the object type, ``thread.run``."""
        return self.get_string_attribute("object")

    @property
    def created_at(self) -> float:
        """Token: creation time, Unix seconds."""
        return self.get_number_attribute("created_at")

    @property
    def started_at(self) -> float:
        """Token: start time, Unix seconds (unset until the run started)."""
        return self.get_number_attribute("started_at")

    @property
    def completed_at(self) -> float:
        """Token: completion time, Unix seconds (unset until the run completed)."""
        return self.get_number_attribute("completed_at")

    @property
    def usage(self) -> Mapping[str, float]:
        """Token: prompt_tokens, completion_tokens and total_tokens (unset until the run completed)."""
        return self.get_number_map_attribute("usage")

    @property
    def file_ids(self) -> list[str]:
        """Token: files the run has access to."""
        return self.get_list_attribute("file_ids")


class OpenaiThreadRun(ThreadRunBody, cdktf.TerraformResource):
    """``openai_thread_run`` resource of provider mkdev-me/openai 1.2.0."""
