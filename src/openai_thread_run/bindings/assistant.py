"""Binding for ``openai_assistant`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cdktf
import constructs

from ._base import ResourceBinding, copy_blocks, copy_value
from .blocks import ToolBlock


class AssistantBody(ResourceBinding):
    """An OpenAI assistant: a model with instructions and tools that runs execute."""

    resource_type = "openai_assistant"

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        model: str,
        name: str | None = None,
        description: str | None = None,
        instructions: str | None = None,
        file_ids: Sequence[str] | None = None,
        metadata: Mapping[str, str] | None = None,
        tools: Sequence[ToolBlock] | None = None,
        depends_on: Sequence[Any] | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
    ) -> None:
        """Declare an ``openai_assistant``.

        :param model: model id, e.g. ``gpt-4o``. Required.
        :param name: display name. Default: none.
        :param description: description. Default: none.
        :param instructions: system instructions. Default: none.
        :param file_ids: the Assistants v1 field, which provider 1.2.0 still sends and the v2 API rejects; leave
            it unset. Default: none.
        :param metadata: up to 16 string pairs. Default: none.
        :param tools: ``tools`` blocks; a function tool's ``parameters`` is a JSON string (required here).
            Default: none.
        :param depends_on: resources to create first. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: an aliased ``OpenaiProvider``. Default: the stack's default provider.
        """
        self._register(
            scope,
            id,
            {
                "model": model,
                "name": name,
                "description": description,
                "instructions": instructions,
                "file_ids": list(file_ids) if file_ids is not None else None,
                "metadata": copy_value(metadata),
                "tools": copy_blocks(tools),
            },
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
        )

    @property
    def id(self) -> str:
        """Token: the assistant id (``asst_...``)."""
        return self.get_string_attribute("id")

    @property
    def created_at(self) -> float:
        """Token: creation time, Unix seconds."""
        return self.get_number_attribute("created_at")


class OpenaiAssistant(AssistantBody, cdktf.TerraformResource):
    """``openai_assistant`` resource of provider mkdev-me/openai 1.2.0."""
