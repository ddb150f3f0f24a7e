"""Binding for ``openai_assistant`` (provider mkdev-me/openai 1.2.0)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import cdktf
import constructs

from .._framework import stack_of
from ..stack_records import StackRecords
from ._base import Attribute, ElementBody, reset_method
from .blocks import TEXT, TEXT_MAP, ToolBlock, tool_blocks
from .schema import String, StringList


class AssistantBody(ElementBody):
    """An OpenAI assistant: a model with instructions and tools that runs execute."""

    TF_RESOURCE_TYPE: ClassVar[str] = "openai_assistant"
    """The Terraform type."""

    model: Attribute[str] = Attribute(String(), required=True)
    name: Attribute[str | None] = Attribute(TEXT)
    description: Attribute[str | None] = Attribute(TEXT)
    instructions: Attribute[str | None] = Attribute(TEXT)
    file_ids: Attribute[Sequence[str] | None] = Attribute(StringList())
    metadata: Attribute[Mapping[str, str] | None] = Attribute(TEXT_MAP)
    tools: Attribute[Sequence[ToolBlock] | None] = Attribute(tool_blocks(parameters_required=True))
    reset_name = reset_method(name)
    reset_description = reset_method(description)
    reset_instructions = reset_method(instructions)
    reset_file_ids = reset_method(file_ids)
    reset_metadata = reset_method(metadata)
    reset_tools = reset_method(tools)

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
        connection: Any | None = None,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
        provisioners: Sequence[Any] | None = None,
    ) -> None:
        """Declare an ``openai_assistant``.

        :param model: model id, e.g. ``gpt-4o``. Required.
        :param name: display name, written exactly as given. Default: none.
        :param description: description, written exactly as given. Default: none.
        :param instructions: system instructions, written exactly as given. Default: none.
        :param file_ids: the Assistants v1 field, which provider 1.2.0 still sends and the v2 API rejects; leave
            it unset. Default: none.
        :param metadata: up to 16 string pairs, written exactly as given. Default: none.
        :param tools: ``tools`` blocks; a function's ``parameters`` (required here) is a dict or a JSON string,
            written as the compact, key-sorted JSON the provider reads back, so plans stay quiet. Default: none.
        :param connection: Terraform meta-argument. Default: none.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: resources (or constructs) to create first. Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: the ``mkdev-me/openai`` provider configuration to use. Default: the default one.
        :param provisioners: Terraform meta-argument. Default: none.
        :raises ValidationError: naming every missing input and every input of the wrong type.
        """
        self._create(scope, id, locals())
        fw = self._own_framework()
        StackRecords.of(stack_of(scope, fw), fw).assistants.append(self)
        self._id_token: str | None = None

    @property
    def id(self) -> str:
        """Token: the assistant id (``asst_...``)."""
        if self._id_token is None:  # one token, so that a run can tell it was given this assistant's id
            self._id_token = self.get_string_attribute("id")
        return self._id_token

    def issued_id(self, value: object) -> bool:
        """Whether ``value`` is this assistant's ``id`` token."""
        return self._id_token is not None and value == self._id_token

    def has_function_tools(self) -> bool:
        """Whether the assistant has a function tool (as configured now)."""
        return any(tool.get("type") == "function" for tool in self._inputs.get("tools") or ())

    @property
    def created_at(self) -> float:
        """Token: creation time, Unix seconds."""
        return self.get_number_attribute("created_at")


class OpenaiAssistant(AssistantBody, cdktf.TerraformResource):
    """``openai_assistant`` resource of provider mkdev-me/openai 1.2.0."""
