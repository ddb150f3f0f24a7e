"""Binding for ``openai_thread`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import cdktf
import constructs

from ._base import Attribute, ElementBody, reset_method
from .blocks import TEXT_MAP, THREAD_MESSAGES, ThreadMessageBlock


class ThreadBody(ElementBody):
    """An Assistants thread: a conversation that runs execute on. Deleted on ``terraform destroy``."""

    TF_RESOURCE_TYPE: ClassVar[str] = "openai_thread"
    """The Terraform type."""

    messages: Attribute[Sequence[ThreadMessageBlock] | None] = Attribute(THREAD_MESSAGES)
    metadata: Attribute[Mapping[str, str] | None] = Attribute(TEXT_MAP)
    reset_messages = reset_method(messages)
    reset_metadata = reset_method(metadata)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        messages: Sequence[ThreadMessageBlock] | None = None,
        metadata: Mapping[str, str] | None = None,
        connection: Any | None = None,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
        provisioners: Sequence[Any] | None = None,
    ) -> None:
        """Declare an ``openai_thread``.

        :param messages: ``messages`` blocks the thread starts with, in order; their ``content`` and ``metadata``
            are text, written exactly as given. Changing them replaces the thread. Default: none.
        :param metadata: up to 16 string pairs, written exactly as given. Default: none.
        :param connection: Terraform meta-argument. Default: none.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: resources (or constructs) to create first. Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: the ``mkdev-me/openai`` provider configuration to use. Default: the default one.
        :param provisioners: Terraform meta-argument. Default: none.
        :raises ValidationError: naming every input of the wrong type.
        """
        self._create(scope, id, locals())

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
