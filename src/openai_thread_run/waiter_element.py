"""Waiting for a run inside ``terraform apply``: the waiter resource, and the data sources read after it.

- The **waiter** is Terraform's built-in ``terraform_data``, replaced whenever the run is (``triggers_replace =
  run.id``), with a ``local-exec`` provisioner that runs one of the programs of :mod:`.waiter_sources`: the
  construct's ``waiter`` input picks ``python3 -c <waiter.py>``, ``sh -c <waiter.sh>`` or (``"auto"``) the sh
  program that hands over to python3 where it is installed. Each program's source is written once per stack, as
  the local ``openai_thread_run_waiter`` (Python) or ``openai_thread_run_waiter_sh`` (escaped, so Terraform reads
  it as text). A run that ends other than ``completed`` fails the provisioner, and so the apply; Terraform then
  marks the waiter tainted, so the next apply checks the same run again instead of starting another.
- The waiter reaches the API as the provider does: ``OPENAI_API_KEY``, ``OPENAI_API_URL`` and
  ``OPENAI_ORGANIZATION`` from Terraform's environment, and whatever the provider configuration sets explicitly
  (``api_url``, ``organization``, ``api_key``) through the provisioner's ``environment``. The provisioner is
  written at synthesis (:meth:`Waiting.write_provisioner`), when the provider configurations are final.
- ``data "openai_run"`` and ``data "openai_messages"`` depend on the waiter, so Terraform reads them after it:
  the run's final status, timestamps, usage and the assistant's answer are known after one apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import constructs

from ._framework import Framework
from .stack_records import StackRecords
from .templates import escape_text
from .waiter import API_KEY_VAR, API_URL_VAR, ORGANIZATION_VAR, RUN_ID_VAR, THREAD_ID_VAR, TIMEOUT_VAR
from .waiter_sources import MODE_VAR, PROGRAMS, PYTHON, PYTHON_SOURCE_VAR, SH, Waiter

#: What Terraform shows as the waiter's command (``Error running command 'openai-thread-run-wait'``).
WAITER_COMMAND = "openai-thread-run-wait"
#: How many messages ``data "openai_messages"`` reads (the provider's maximum), newest first.
MESSAGES_READ = 100
#: Provider settings the waiter must share, and the environment variable each becomes.
PROVIDER_ENVIRONMENT = {"api_url": API_URL_VAR, "organization": ORGANIZATION_VAR, "api_key": API_KEY_VAR}


class Waiting:
    """What a ThreadRunConstruct adds to wait for its run: the waiter and the two data sources read after it."""

    def __init__(
        self,
        construct: constructs.Construct,
        classes: Any,
        records: StackRecords,
        kind: Waiter,
        timeout_seconds: int,
        run_tokens: tuple[str, str],
        provider: Any | None,
    ) -> None:
        """Add the waiter and the data sources to ``construct``.

        :param classes: the framework's binding classes (``terraform_data``, ``data_run``, ``data_messages``).
        :param run_tokens: the run's ``id`` and ``thread_id`` tokens.
        :param provider: the provider configuration the construct was given, or None.
        """
        run_id, thread_id = run_tokens
        self.kind = kind
        self.timeout_seconds = timeout_seconds
        self.run_tokens = run_tokens
        #: The interpreter line and the environment the program needs (its local is written now, once per stack).
        self.command = waiter_command(records, records.fw, kind)
        self.element = classes.terraform_data(construct, "wait", triggers_replace=run_id)
        self.final_run = classes.data_run(
            construct, "final-run", run_id=run_id, thread_id=thread_id, depends_on=[self.element], provider=provider
        )
        self.replies = classes.data_messages(
            construct,
            "replies",
            thread_id=thread_id,
            limit=MESSAGES_READ,
            order="desc",
            depends_on=[self.element],
            provider=provider,
        )
        #: The provisioner block last written (None before the first synthesis).
        self.written: dict[str, Any] | None = None

    def write_provisioner(self, provider: Any | None) -> None:
        """Write the waiter's ``provisioner`` block for ``provider``, unless it is the block written last.

        An override: cdktf's provisioner struct has no ``quiet``.
        """
        block = provisioner(self.command, self.run_tokens, self.timeout_seconds, provider)
        if block != self.written:
            self.element.add_override("provisioner", [block])
            self.written = block


def waiter_script(records: StackRecords, fw: Framework, program: str = PYTHON) -> str:
    """Return the stack's local holding ``program``'s source (:data:`PYTHON` or :data:`SH`) as a string token.

    The local is created on first use; its token is kept with the stack's records, so every waiter of the stack
    shares it (one jsii round trip per stack, not one per waiter).
    """
    if program not in records.waiter_scripts:
        construct_id, name, source = PROGRAMS[program]
        local = fw.core.TerraformLocal(records, construct_id, escape_text(source()))
        local.override_logical_id(name)
        records.waiter_scripts[program] = local.as_string
    return records.waiter_scripts[program]


def waiter_command(records: StackRecords, fw: Framework, waiter: Waiter) -> tuple[list[str], dict[str, str]]:
    """Return the provisioner's ``interpreter`` for ``waiter``, and the environment variables it adds."""
    if waiter == "python":
        return [PYTHON, "-c", waiter_script(records, fw, PYTHON)], {}
    environment: dict[str, str] = {MODE_VAR: waiter}
    if waiter == "auto":
        environment[PYTHON_SOURCE_VAR] = waiter_script(records, fw, PYTHON)
    return [SH, "-c", waiter_script(records, fw, SH)], environment


def provider_environment(provider: Any | None) -> dict[str, Any]:
    """Return the provider configuration's explicit settings the waiter needs, as environment variables.

    Read through the provider's public attributes: an OpenaiProvider's, or those ``cdktf get`` generates.
    """
    if provider is None:
        return {}
    settings = {name: getattr(provider, name, None) for name in PROVIDER_ENVIRONMENT}
    return {env: settings[name] for name, env in PROVIDER_ENVIRONMENT.items() if settings[name] is not None}


def provisioner(
    command: tuple[list[str], Mapping[str, str]], run_tokens: tuple[str, str], timeout_seconds: int, provider: Any
) -> dict[str, Any]:
    """Return the waiter's ``provisioner`` block (Terraform JSON): a ``local-exec`` that waits for the run.

    ``command`` is :func:`waiter_command`'s, ``run_tokens`` the run's ``id`` and ``thread_id`` tokens.
    """
    interpreter, program_environment = command
    run_id, thread_id = run_tokens
    environment = {THREAD_ID_VAR: thread_id, RUN_ID_VAR: run_id, TIMEOUT_VAR: str(timeout_seconds)}
    environment.update(provider_environment(provider))
    environment.update(program_environment)
    return {
        "local-exec": {
            "command": WAITER_COMMAND,
            "interpreter": interpreter,
            "environment": environment,
            # Terraform would otherwise print the whole interpreter line, the waiter's source included.
            "quiet": True,
        }
    }


def response_expression(messages: Any, run_id: str, fw: Framework) -> str:
    """Terraform expression: the text of the assistant messages ``run_id`` added, oldest first, blank-line joined.

    ``data "openai_messages"`` lists them newest first with each message's first text part as ``content``.
    """
    listed = cast(str, fw.core.Token.as_string(messages))
    return (
        '${join("\\n\\n", reverse([for m in '
        + listed
        + " : m.content if m.run_id == "
        + run_id
        + ' && m.role == "assistant" && m.content != null]))}'
    )
