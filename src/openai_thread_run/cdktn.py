"""The same public API built on CDK Terrain (``cdktn``), the maintained fork of cdktf.

Import from here in a cdktn app (``pip install 'cdktf-openai-thread-run[cdktn]'``)::

    from cdktn import App, TerraformStack
    from openai_thread_run.cdktn import OpenaiProvider, ThreadRunConstruct

Every class here is the cdktf class's body on cdktn's base classes: the same inputs, checks, outputs and JSON.
``isinstance`` and type annotations hold for the cdktn classes (``construct.run`` is this module's
``OpenaiThreadRun``). A class from ``openai_thread_run`` created in a cdktn app raises a ``TypeError`` that
names this module. Inputs, errors and block types are shared, and re-exported here.
"""

from __future__ import annotations

import cdktn
import jsii

from . import shared_names
from .bindings.assistant import AssistantBody
from .bindings.data_sources import DataMessagesBody, DataRunBody
from .bindings.message import MessageBody
from .bindings.provider import ProviderBody
from .bindings.terraform_data import TerraformDataBody
from .bindings.thread import ThreadBody
from .bindings.thread_run import ThreadRunBody
from .construct import ThreadRunConstructBody
from .elements import BindingClasses
from .shared_names import *  # noqa: F403 - the names both frameworks share


class OpenaiProvider(ProviderBody, cdktn.TerraformProvider):
    """Provider ``mkdev-me/openai``, pinned to ``>= 1.2.0, < 2.0.0`` (2.0.0 removed the thread resources)."""


class OpenaiAssistant(AssistantBody, cdktn.TerraformResource):
    """``openai_assistant`` resource of provider mkdev-me/openai 1.2.0."""


class OpenaiThread(ThreadBody, cdktn.TerraformResource):
    """``openai_thread`` resource of provider mkdev-me/openai 1.2.0."""


class OpenaiMessage(MessageBody, cdktn.TerraformResource):
    """``openai_message`` resource of provider mkdev-me/openai 1.2.0."""


class OpenaiThreadRun(ThreadRunBody, cdktn.TerraformResource):
    """``openai_thread_run`` resource of provider mkdev-me/openai 1.2.0."""


class TerraformData(TerraformDataBody, cdktn.TerraformResource):
    """Terraform's built-in ``terraform_data`` resource."""


class DataOpenaiRun(DataRunBody, cdktn.TerraformDataSource):
    """``data "openai_run"`` of provider mkdev-me/openai 1.2.0."""


class DataOpenaiMessages(DataMessagesBody, cdktn.TerraformDataSource):
    """``data "openai_messages"`` of provider mkdev-me/openai 1.2.0."""


@jsii.implements(cdktn.ITerraformDependable)
class ThreadRunConstruct(
    ThreadRunConstructBody[
        OpenaiThreadRun, OpenaiThread, OpenaiMessage, TerraformData, DataOpenaiRun, DataOpenaiMessages
    ]
):
    """An OpenAI Assistants run on a new or an existing thread, in a CDK Terrain app.

    The same construct as :class:`openai_thread_run.ThreadRunConstruct` (see there), built on cdktn.
    """

    _classes = BindingClasses(
        run=OpenaiThreadRun,
        thread=OpenaiThread,
        message=OpenaiMessage,
        terraform_data=TerraformData,
        data_run=DataOpenaiRun,
        data_messages=DataOpenaiMessages,
    )


__all__ = [
    "DataOpenaiMessages",
    "DataOpenaiRun",
    "OpenaiAssistant",
    "OpenaiMessage",
    "OpenaiProvider",
    "OpenaiThread",
    "OpenaiThreadRun",
    "TerraformData",
    "ThreadRunConstruct",
]
__all__ += shared_names.__all__
