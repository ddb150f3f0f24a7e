"""Binding for the ``openai`` provider (``mkdev-me/openai``, pinned to ``>= 1.2.0, < 2.0.0``)."""

from __future__ import annotations

import math
import weakref
from typing import Any

import cdktf
import constructs

from .._framework import stack_of
from .._warnings import warn_user
from ..errors import Problem, ValidationError
from ..tokens import is_token
from ._base import (
    PROVIDER_NAME,
    PROVIDER_SOURCE,
    FrameworkDispatch,
    compact,
    generator_metadata,
    own_framework,
)

#: The largest timeout accepted: 2**53 - 1 seconds, the largest integer the JSON carries exactly through jsii.
MAX_TIMEOUT = 2**53 - 1
#: Stacks that hold an OpenaiProvider; read by ThreadRunConstruct's synth-time check (no jsii round trip).
_stacks_with_provider: weakref.WeakSet[Any] = weakref.WeakSet()


class LiteralApiKeyWarning(UserWarning):
    """A literal ``api_key`` was passed: it would be written in clear text into ``cdk.tf.json``."""


def stack_has_provider(stack: Any) -> bool:
    """Return True when an :class:`OpenaiProvider` was declared in ``stack``."""
    return stack in _stacks_with_provider


def check_provider_inputs(
    api_key: Any, api_url: Any, organization: Any, timeout: Any, alias: Any = None
) -> list[Problem]:
    """Return every problem with the provider inputs (tokens are never problems)."""
    problems: list[Problem] = []
    if alias is not None and (not isinstance(alias, str) or not alias or is_token(alias)):
        problems.append(Problem("alias", "must be a non-empty literal string", alias, "a name such as 'secondary'"))
    for name, value in (("api_key", api_key), ("organization", organization), ("api_url", api_url)):
        if value is not None and not isinstance(value, str):
            problems.append(Problem(name, "must be a string", value, "a string or a token"))
    if isinstance(api_url, str) and not is_token(api_url) and not api_url.rstrip("/").endswith("/v1"):
        problems.append(
            Problem(
                "api_url",
                "must end in /v1: provider 1.2.0 appends paths such as /threads straight to it",
                api_url,
                "a base URL ending in /v1, e.g. 'https://api.openai.com/v1'",
            )
        )
    if timeout is not None and not is_token(timeout):
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            problems.append(Problem("timeout", "must be a number of seconds", timeout, "a positive number"))
        elif (isinstance(timeout, float) and not math.isfinite(timeout)) or timeout > MAX_TIMEOUT:
            # NaN, infinities and integers past 2**53 cannot be written into the JSON as the number given
            problems.append(Problem("timeout", "must be a finite number of seconds", timeout, f"at most {MAX_TIMEOUT}"))
        elif timeout <= 0:
            problems.append(Problem("timeout", "must be positive", timeout, "a positive number of seconds"))
    return problems


class ProviderBody(FrameworkDispatch):
    """Body of :class:`OpenaiProvider`, mixed in before the framework's ``TerraformProvider``."""

    _attributes: dict[str, Any]

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        api_key: str | None = None,
        api_url: str | None = None,
        organization: str | None = None,
        timeout: float | None = None,
        alias: str | None = None,
    ) -> None:
        """Declare provider ``mkdev-me/openai`` (``>= 1.2.0, < 2.0.0``) in the stack.

        :param api_key: API key. Default: none, and the provider reads ``OPENAI_API_KEY`` (recommended). A
            literal string is written into ``cdk.tf.json`` in clear text, so it warns; pass a sensitive
            ``TerraformVariable``'s value instead.
        :param api_url: base URL of an Assistants-v2-compatible API, ending in ``/v1``. Default: the provider
            reads ``OPENAI_API_URL``, else ``https://api.openai.com/v1``.
        :param organization: organization id. Default: the provider reads ``OPENAI_ORGANIZATION``.
        :param timeout: seconds per API call. Default: the provider reads ``OPENAI_TIMEOUT``, else 300.
        :param alias: provider alias, for a second configuration. Default: none (the default provider).
        :raises ValidationError: listing every invalid input.
        """
        problems = check_provider_inputs(api_key, api_url, organization, timeout, alias)
        if problems:
            raise ValidationError(f"OpenaiProvider {id!r}", problems)
        if isinstance(api_key, str) and not is_token(api_key):
            warn_user(
                "OpenaiProvider: a literal api_key is written in clear text into cdk.tf.json; set the "
                "OPENAI_API_KEY environment variable instead, or pass the value of a TerraformVariable "
                "declared with sensitive=True",
                LiteralApiKeyWarning,
            )
        self._attributes = compact(
            {"api_key": api_key, "api_url": api_url, "organization": organization, "timeout": timeout}
        )
        self._alias = alias
        fw = own_framework(self)
        super().__init__(  # type: ignore[call-arg]
            scope,
            id,
            terraform_resource_type=PROVIDER_NAME,
            terraform_generator_metadata=generator_metadata(fw),
            terraform_provider_source=PROVIDER_SOURCE,
        )
        _stacks_with_provider.add(stack_of(scope, fw))

    # The framework's TerraformProvider.alias is a stub that always reads undefined (generated providers
    # override it); overriding it here is what puts "alias" into the JSON and into ``provider=`` references.
    @property
    def alias(self) -> str | None:
        """The provider alias, or None for the default configuration."""
        return self._alias

    @alias.setter
    def alias(self, value: str | None) -> None:
        self._alias = value

    def _synthesize_attributes(self) -> dict[str, Any]:
        return self._attributes


class OpenaiProvider(ProviderBody, cdktf.TerraformProvider):
    """Provider ``mkdev-me/openai``, pinned to ``>= 1.2.0, < 2.0.0`` (2.0.0 removed the thread resources)."""
