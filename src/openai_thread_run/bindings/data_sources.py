"""Bindings for the data sources ``openai_run`` and ``openai_messages`` (provider mkdev-me/openai 1.2.0).

ThreadRunConstruct reads a finished run's final attributes with ``openai_run`` and the assistant's answer with
``openai_messages``; both are public for stacks that read runs and threads they do not manage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import cdktf
import constructs

from ._base import Attribute, ElementBody, reset_method
from .run_attributes import RunAttributes
from .schema import Number, String


class DataRunBody(RunAttributes):
    """A run as the API has it now: status, timestamps and usage."""

    TF_RESOURCE_TYPE: ClassVar[str] = "openai_run"
    """The Terraform type."""

    run_id: Attribute[str] = Attribute(String(), required=True)
    thread_id: Attribute[str] = Attribute(String(), required=True)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        run_id: str,
        thread_id: str,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
    ) -> None:
        """Declare a ``data "openai_run"``.

        :param run_id: the run to read. Required.
        :param thread_id: the thread the run belongs to. Required.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: what to wait for before reading (Terraform reads it at apply time then). Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings (postconditions). Default: none.
        :param provider: the ``mkdev-me/openai`` provider configuration to use. Default: the default one.
        :raises ValidationError: naming every missing input and every input of the wrong type.
        """
        self._create(scope, id, locals())

    @property
    def assistant_id(self) -> str:
        """Token: the assistant that executed the run."""
        return self.get_string_attribute("assistant_id")

    @property
    def model(self) -> str:
        """Token: the model the run used."""
        return self.get_string_attribute("model")

    @property
    def instructions(self) -> str:
        """Token: the instructions the run used."""
        return self.get_string_attribute("instructions")


class DataOpenaiRun(DataRunBody, cdktf.TerraformDataSource):
    """``data "openai_run"`` of provider mkdev-me/openai 1.2.0."""


class DataMessagesBody(ElementBody):
    """The messages of a thread, newest first by default (at most 100 per read)."""

    TF_RESOURCE_TYPE: ClassVar[str] = "openai_messages"
    """The Terraform type."""

    thread_id: Attribute[str] = Attribute(String(), required=True)
    limit: Attribute[int | float | None] = Attribute(Number(integer=True))
    order: Attribute[str | None] = Attribute(String())
    after: Attribute[str | None] = Attribute(String())
    before: Attribute[str | None] = Attribute(String())
    reset_limit = reset_method(limit)
    reset_order = reset_method(order)
    reset_after = reset_method(after)
    reset_before = reset_method(before)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        thread_id: str,
        limit: int | float | None = None,
        order: str | None = None,
        after: str | None = None,
        before: str | None = None,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
    ) -> None:
        """Declare a ``data "openai_messages"``.

        :param thread_id: the thread to read. Required.
        :param limit: how many messages, 1-100. Default: 20 (the provider's).
        :param order: ``desc`` (newest first) or ``asc``. Default: ``desc``.
        :param after: a message id to start after (paging). Default: none.
        :param before: a message id to end before (paging). Default: none.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: what to wait for before reading (Terraform reads it at apply time then). Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings (postconditions). Default: none.
        :param provider: the ``mkdev-me/openai`` provider configuration to use. Default: the default one.
        :raises ValidationError: naming every missing input and every input of the wrong type.
        """
        self._create(scope, id, locals())

    @property
    def messages(self) -> Any:
        """Token: the messages, each with ``id``, ``role``, ``content`` (its first text part), ``run_id``, ..."""
        return self.interpolation_for_attribute("messages")

    @property
    def has_more(self) -> Any:
        """Token: whether more messages exist beyond this page."""
        return self.interpolation_for_attribute("has_more")

    @property
    def first_id(self) -> str:
        """Token: the id of the first message of the page."""
        return self.get_string_attribute("first_id")

    @property
    def last_id(self) -> str:
        """Token: the id of the last message of the page."""
        return self.get_string_attribute("last_id")


class DataOpenaiMessages(DataMessagesBody, cdktf.TerraformDataSource):
    """``data "openai_messages"`` of provider mkdev-me/openai 1.2.0."""
