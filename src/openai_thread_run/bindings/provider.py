"""Binding for the ``openai`` provider (``mkdev-me/openai``, pinned to ``>= 1.2.0, < 2.0.0``)."""

from __future__ import annotations

import re
from typing import Any, ClassVar, cast

import cdktf
import constructs
import jsii

from .._framework import stack_of
from ..annotations import warn
from ..errors import Problem, ValidationError
from ..normalize import plain
from ..stack_records import StackRecords
from ..templates import may_end_with
from ..tokens import token_kind
from ._base import PROVIDER_NAME, PROVIDER_SOURCE, Attribute, Inputs, generator_metadata, reset_method
from .schema import Number, String

#: The secret settings, and the environment variable the provider reads each from instead.
SECRETS = {"api_key": "OPENAI_API_KEY", "admin_key": "OPENAI_ADMIN_KEY"}
#: What Terraform accepts as a provider alias (an identifier).
ALIAS = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def check_provider_values(values: dict[str, Any], alias: Any) -> list[Problem]:
    """Return every problem with what the provider inputs mean (their types are checked by the Attributes)."""
    problems: list[Problem] = []
    # Read as plain values (a str or int subclass as its base value, an impostor as unreadable): the Attributes
    # report what cannot be read; here only the meaning of readable values is checked.
    values = {name: plain(value, name, []) for name, value in values.items()}
    alias = plain(alias, "alias", [])
    if alias is not None and not (isinstance(alias, str) and ALIAS.fullmatch(alias)):
        problems.append(
            Problem(
                "alias",
                "must be a literal Terraform identifier (letters, digits, _ and -, not starting with a digit or -)",
                alias,
                "a name such as 'secondary'",
            )
        )
    api_url = values.get("api_url")
    if isinstance(api_url, str) and not may_end_with(api_url.rstrip("/"), "/v1"):  # tokens aside, when there are
        problems.append(
            Problem(
                "api_url",
                "must end in /v1: provider 1.2.0 appends paths such as /threads straight to it",
                api_url,
                "a base URL ending in /v1, e.g. 'https://api.openai.com/v1'",
            )
        )
    timeout = values.get("timeout")
    if isinstance(timeout, int) and not isinstance(timeout, bool) and timeout <= 0:
        problems.append(Problem("timeout", "must be positive", timeout, "a positive whole number of seconds"))
    return problems


class ProviderBody(Inputs):
    """Body of :class:`OpenaiProvider`, mixed in before the framework's ``TerraformProvider``."""

    TF_RESOURCE_TYPE: ClassVar[str] = PROVIDER_NAME
    """The provider's local name in ``required_providers`` (and the prefix of its resources)."""

    api_key: Attribute[str | None] = Attribute(String())
    admin_key: Attribute[str | None] = Attribute(String())
    api_url: Attribute[str | None] = Attribute(String())
    organization: Attribute[str | None] = Attribute(String())
    timeout: Attribute[int | float | None] = Attribute(Number(integer=True))
    reset_api_key = reset_method(api_key)
    reset_admin_key = reset_method(admin_key)
    reset_api_url = reset_method(api_url)
    reset_organization = reset_method(organization)
    reset_timeout = reset_method(timeout)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        api_key: str | None = None,
        admin_key: str | None = None,
        api_url: str | None = None,
        organization: str | None = None,
        timeout: int | float | None = None,
        alias: str | None = None,
    ) -> None:
        """Declare provider ``mkdev-me/openai`` (``>= 1.2.0, < 2.0.0``) in the stack.

        :param api_key: API key. Default: none, and the provider reads ``OPENAI_API_KEY`` (recommended). A
            literal string is written into ``cdk.tf.json`` in clear text, so it warns; pass a sensitive
            ``TerraformVariable``'s value instead.
        :param admin_key: admin API key (organization endpoints; this library does not need it). Default: none,
            and the provider reads ``OPENAI_ADMIN_KEY``. A literal string warns like ``api_key``.
        :param api_url: base URL of an Assistants-v2-compatible API, ending in ``/v1``. Default: the provider
            reads ``OPENAI_API_URL``, else ``https://api.openai.com/v1``.
        :param organization: organization id. Default: the provider reads ``OPENAI_ORGANIZATION``.
        :param timeout: whole seconds per API call. Default: the provider reads ``OPENAI_TIMEOUT``, else 300.
        :param alias: provider alias, for a second configuration (pass the provider as ``provider=`` to what
            should use it). Default: none (the default configuration).
        :raises ValidationError: listing every invalid input.
        """
        given = {
            "api_key": api_key,
            "admin_key": admin_key,
            "api_url": api_url,
            "organization": organization,
            "timeout": timeout,
        }
        try:
            self._check_inputs(id, given, scope)
            problems: list[Problem] = []
        except ValidationError as error:
            problems = list(error.problems)
        problems[:0] = check_provider_values({k: v for k, v in given.items() if v is not None}, alias)
        self._check_scope(scope)
        fw = self._own_framework()
        stack = stack_of(scope, fw)
        # Only peeked at here: creating the state costs jsii round trips, and nothing is created on an error.
        known = StackRecords.existing(stack)
        default = known.known_default_provider() if known is not None else None
        if alias is None and default is not None:
            problems.append(
                Problem(
                    "alias",
                    f"is required: the stack already has a default configuration ({default.node.path}), and Terraform "
                    "rejects two (Duplicate provider configuration)",
                    alias,
                    "a name such as 'secondary'",
                )
            )
        namesake = next((p for p in known.providers if alias and p.alias == alias), None) if known else None
        if namesake is not None:
            problems.append(
                Problem(
                    "alias",
                    f"is already the alias of {namesake.node.path}, and Terraform rejects two configurations with one "
                    "alias (Duplicate provider configuration)",
                    alias,
                    "an alias of its own",
                )
            )
        if problems:
            raise ValidationError(f"{type(self).__name__} {id!r}", problems)
        self._alias = alias
        cast(Any, super()).__init__(
            scope,
            id,
            terraform_resource_type=PROVIDER_NAME,
            terraform_generator_metadata=generator_metadata(fw),
            terraform_provider_source=PROVIDER_SOURCE,
        )
        records = StackRecords.of(stack, fw)
        records.providers.append(self)
        records.install_once(PROVIDER_CHECKS, _install_alias_check)
        for name in SECRETS:
            self._warn_if_literal_secret(name, given[name])

    def _set_input(self, attribute: Attribute[Any], value: Any) -> None:
        super()._set_input(attribute, value)
        if attribute.name in SECRETS:
            self._warn_if_literal_secret(attribute.name, value)

    def _warn_if_literal_secret(self, name: str, value: Any) -> None:
        if isinstance(value, str) and token_kind(value) is None:
            warn(
                self,
                "literal-secret",
                f"a literal {name} is written in clear text into cdk.tf.json; set the {SECRETS[name]} environment "
                "variable instead, or pass the value of a TerraformVariable declared with sensitive=True",
            )

    # The framework's TerraformProvider.alias is a stub that always reads undefined (generated providers
    # override it); overriding it here is what puts "alias" into the JSON and into ``provider=`` references.
    @property
    def alias(self) -> str | None:
        """The provider alias, or None for the default configuration."""
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        problems = check_provider_values({}, value)  # a second default, or alias, is caught at synthesis
        if problems:
            raise ValidationError(self._subject, problems)
        self._alias = value


#: The name :meth:`StackRecords.install_once` knows the provider configurations' check by.
PROVIDER_CHECKS = "providers"


def _install_alias_check(records: StackRecords) -> None:
    records.stack.node.add_validation(_AliasCheck(records))


@jsii.implements(constructs.IValidation)
class _AliasCheck:
    """Synth-time validation: no two of the stack's OpenaiProviders have one alias.

    An alias set later (``provider.alias = ...``) is checked here, since the setter cannot see the stack. With
    thread-runs in the stack, their check (:mod:`openai_thread_run.stack_checks`) covers this and generated
    providers too.
    """

    def __init__(self, records: StackRecords) -> None:
        self.records = records

    def validate(self) -> list[str]:
        if self.records.thread_runs:
            return []
        return duplicate_aliases(self.records.providers)


def duplicate_aliases(providers: list[Any]) -> list[str]:
    """Return an error for each alias that more than one of ``providers`` has."""
    grouped: dict[str, list[Any]] = {}
    for provider in providers:
        alias = getattr(provider, "alias", None)
        if alias:
            grouped.setdefault(str(alias), []).append(provider)
    return [
        f"the stack has more than one provider configuration for mkdev-me/openai with the alias {alias!r} ("
        + ", ".join(p.node.path for p in same)
        + "), which Terraform rejects (Duplicate provider configuration): give each its own alias"
        for alias, same in grouped.items()
        if len(same) > 1
    ]


class OpenaiProvider(ProviderBody, cdktf.TerraformProvider):
    """Provider ``mkdev-me/openai``, pinned to ``>= 1.2.0, < 2.0.0`` (2.0.0 removed the thread resources)."""
