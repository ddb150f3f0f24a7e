"""Binding for Terraform's built-in ``terraform_data`` resource (Terraform >= 1.4, no provider to install)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import cdktf
import constructs

from .._framework import Framework
from ._base import Attribute, ElementBody, reset_method
from .schema import Anything


class TerraformDataBody(ElementBody):
    """Body of :class:`TerraformData`, mixed in before the framework's ``TerraformResource``."""

    TF_RESOURCE_TYPE: ClassVar[str] = "terraform_data"
    """The Terraform type."""

    triggers_replace: Attribute[Any] = Attribute(Anything())
    input: Attribute[Any] = Attribute(Anything())
    reset_triggers_replace = reset_method(triggers_replace)
    reset_input = reset_method(input)

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        triggers_replace: Any | None = None,
        input: Any | None = None,
        connection: Any | None = None,
        count: Any | None = None,
        depends_on: Sequence[Any] | None = None,
        for_each: Any | None = None,
        lifecycle: Any | None = None,
        provider: Any | None = None,
        provisioners: Sequence[Any] | None = None,
    ) -> None:
        """Declare a ``terraform_data`` resource.

        :param triggers_replace: any value; when it changes, the resource is replaced (and so is every resource
            whose ``lifecycle.replace_triggered_by`` names it). Default: none.
        :param input: any value, echoed as ``output``. Default: none.
        :param connection: Terraform meta-argument. Default: none.
        :param count: Terraform meta-argument. Default: none.
        :param depends_on: resources (or constructs) to create first. Default: none.
        :param for_each: Terraform meta-argument. Default: none.
        :param lifecycle: Terraform lifecycle settings. Default: none.
        :param provider: Terraform meta-argument (``terraform_data`` needs none). Default: none.
        :param provisioners: provisioners run when it is created (e.g. ``local-exec``). Default: none.
        :raises ValidationError: naming every input that cannot be written as JSON.
        """
        self._create(scope, id, locals())

    def _generator_metadata(self, fw: Framework) -> Any:
        return None  # built into Terraform: no provider to declare

    @property
    def id(self) -> str:
        """Token: the resource id (a new one on every replacement)."""
        return self.get_string_attribute("id")

    @property
    def output(self) -> Any:
        """Token: the value of ``input``."""
        return self.interpolation_for_attribute("output")


class TerraformData(TerraformDataBody, cdktf.TerraformResource):
    """Terraform's built-in ``terraform_data`` resource."""
