"""Binding for ``openai_thread`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import cdktf
import constructs

from ._base import ResourceBinding, copy_blocks, copy_value
from .blocks import ThreadMessageBlock


class ThreadBody(ResourceBinding):
    """An Assistants thread: a conversation that runs execute on. Deleted on ``terraform destroy``."""

    resource_type = "openai_thread"

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        messages: Sequence[ThreadMessageBlock] | None = None,
        metadata: Mapping[str, str] | None = None,
        depends_on: Sequence[Any] | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
    ) -> None:
        """Declare an ``openai_thread``.

        :param messages: ``messages`` blocks the thread starts with, in order. Changing them replaces the
            thread. Default: none.
        :param metadata: up to 16 string pairs. Default: none.
        :param depends_on: resources to create first. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: an aliased ``OpenaiProvider``. Default: the stack's default provider.
        """
        self._register(
            scope,
            id,
            {
                "messages": copy_blocks(messages),
                "metadata": copy_value(metadata),
            },
            depends_on=depends_on,
            lifecycle=lifecycle,
            provider=provider,
        )

    @property
    def id(self) -> str:
        """Token: the thread id (``thread_...``)."""
        return self.get_string_attribute("id")

    @property
    def created_at(self) -> float:
        """Token: creation time, Unix seconds."""
        return self.get_number_attribute("created_at")


class OpenaiThread(ThreadBody, cdktf.TerraformResource):
    """``openai_thread`` resource of provider mkdev-me/openai 1.2.0."""
