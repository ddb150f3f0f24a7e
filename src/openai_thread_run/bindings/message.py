"""Binding for ``openai_message`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import cdktf
import constructs

from ._base import Attribute, ElementBody, reset_method
from .blocks import ATTACHMENTS, TEXT, TEXT_MAP, AttachmentBlock
from .schema import String


class MessageBody(ElementBody):
    """A message added to an existing thread."""

    TF_RESOURCE_TYPE: ClassVar[str] = "openai_message"
    """The Terraform type."""

    thread_id: Attribute[str] = Attribute(String(), required=True)
    role: Attribute[str] = Attribute(String(), required=True)
    content: Attribute[str] = Attribute(TEXT, required=True)
    metadata: Attribute[Mapping[str, str] | None] = Attribute(TEXT_MAP)
    attachments: Attribute[Sequence[AttachmentBlock] | None] = Attribute(ATTACHMENTS)
    reset_metadata = reset_method(metadata)
    reset_attachments = reset_method(attachments)

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
        connection: Any | None = None,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
        provisioners: Sequence[Any] | None = None,
    ) -> None:
        """Declare an ``openai_message``.

        :param thread_id: thread to add the message to. Required.
        :param role: ``user`` or ``assistant``. Required.
        :param content: the text, written exactly as given. Required.
        :param metadata: up to 16 string pairs, written exactly as given. Default: none.
        :param attachments: ``attachments`` blocks (file and tools). Default: none.
        :param connection: Terraform meta-argument. Default: none.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: resources (or constructs) to create first, e.g. the previous message. Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: the ``mkdev-me/openai`` provider configuration to use. Default: the default one.
        :param provisioners: Terraform meta-argument. Default: none.
        :raises ValidationError: naming every missing input and every input of the wrong type.
        """
        self._create(scope, id, locals())

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
