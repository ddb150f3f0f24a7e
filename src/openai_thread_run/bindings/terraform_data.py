"""Binding for Terraform's built-in ``terraform_data`` resource (Terraform >= 1.4, no provider to install)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import cdktf
import constructs

from ._base import FrameworkDispatch, compact, copy_value


class TerraformDataBody(FrameworkDispatch):
    """Body of :class:`TerraformData`, mixed in before the framework's ``TerraformResource``."""

    _attributes: dict[str, Any]

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        triggers_replace: Any | None = None,
        input: Any | None = None,
        depends_on: Sequence[Any] | None = None,
    ) -> None:
        """Declare a ``terraform_data`` resource.

        :param triggers_replace: any value; when it changes, the resource is replaced (and so is every resource
            whose ``lifecycle.replace_triggered_by`` names it). Default: none.
        :param input: any value, echoed as ``output``. Default: none.
        :param depends_on: resources to create first. Default: none.
        """
        self._attributes = compact({"triggers_replace": copy_value(triggers_replace), "input": copy_value(input)})
        super().__init__(  # type: ignore[call-arg]
            scope,
            id,
            terraform_resource_type="terraform_data",
            depends_on=list(depends_on) if depends_on else None,
        )

    def _synthesize_attributes(self) -> dict[str, Any]:
        return self._attributes

    @property
    def id(self) -> str:
        """Token: the resource id (a new one on every replacement)."""
        return self.get_string_attribute("id")  # type: ignore[attr-defined,no-any-return]


class TerraformData(TerraformDataBody, cdktf.TerraformResource):
    """Terraform's built-in ``terraform_data`` resource."""
