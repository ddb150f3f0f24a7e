"""Binding for ``openai_message`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cdktf
import constructs

from ._base import ResourceBinding, copy_blocks, copy_value
from .blocks import AttachmentBlock


class MessageBody(ResourceBinding):
    """A message added to an existing thread."""

    resource_type = "openai_message"

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        thread_id: str,
        role: str,
        content: str,
        metadata: Mapping[str, str] | None = None,
        attachments: Sequence[AttachmentBlock] | None = None,
        depends_on: Sequence[Any] | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
    ) -> None:
        """Declare an ``openai_message``.

        :param thread_id: thread to add the message to. Required.
        :param role: ``user`` or ``assistant``. Required.
        :param content: the text. Required.
        :param metadata: up to 16 string pairs. Default: none.
        :param attachments: ``attachments`` blocks (file and tools). Default: none.
        :param depends_on: resources to create first, e.g. the previous message. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: an aliased ``OpenaiProvider``. Default: the stack's default provider.
        """
        self._register(
            scope,
            id,
            {
                "thread_id": thread_id,
                "role": role,
                "content": content,
                "metadata": copy_value(metadata),
                "attachments": copy_blocks(attachments),
            },
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
        )

    @property
    def id(self) -> str:
        """Token: the message id (``msg_...``)."""
        return self.get_string_attribute("id")

    @property
    def created_at(self) -> float:
        """Token: creation time, Unix seconds."""
        return self.get_number_attribute("created_at")

    @property
    def assistant_id(self) -> str:
        """Token: the assistant that wrote the message, if any."""
        return self.get_string_attribute("assistant_id")

    @property
    def run_id(self) -> str:
        """Token: the run that wrote the message, if any."""
        return self.get_string_attribute("run_id")


class OpenaiMessage(MessageBody, cdktf.TerraformResource):
    """``openai_message`` resource of provider mkdev-me/openai 1.2.0."""
