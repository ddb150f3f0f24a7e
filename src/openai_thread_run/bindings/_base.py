"""What every hand-written binding shares: how it registers with cdktf/cdktn and how it synthesizes.

A binding keeps its Terraform attributes in one Python dict, built once in its constructor, and hands that dict
to the framework when the stack synthesizes (``_synthesize_attributes``, the jsii name that cdktf calls). No
property is set through jsii one by one, so a binding costs one jsii round trip to create, plus one for each
attribute token read.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

import constructs

from .._framework import Framework, framework_of, framework_of_class

PROVIDER_NAME = "openai"
PROVIDER_SOURCE = "mkdev-me/openai"
#: Provider 1.2.0 is the last release with openai_thread, openai_message and openai_thread_run; 2.0.0 removed them.
PROVIDER_VERSION_CONSTRAINT = ">= 1.2.0, < 2.0.0"

R = TypeVar("R")


def compact(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``attributes`` without the entries whose value is None (unset inputs stay out of the JSON)."""
    return {key: value for key, value in attributes.items() if value is not None}


def copy_map(value: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Return a copy of a map input, so later changes by the caller do not leak in; tokens pass as they are."""
    if value is None or not isinstance(value, Mapping):
        return value
    return dict(value)


def copy_blocks(value: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Return nested blocks as a list of dicts, or None for none (an empty list emits nothing)."""
    return [dict(block) for block in value] if value else None


@functools.cache
def generator_metadata(fw: Framework) -> Any:
    """Return the framework's ``TerraformProviderGeneratorMetadata`` for provider mkdev-me/openai.

    Built once per framework and shared (a struct is a value; building one runs cdktf's type checks).
    """
    return fw.core.TerraformProviderGeneratorMetadata(
        provider_name=PROVIDER_NAME, provider_version_constraint=PROVIDER_VERSION_CONSTRAINT
    )


def own_framework(obj: object) -> Framework:
    """Return the framework the binding ``obj`` was built on (cdktf or cdktn)."""
    found = framework_of_class(type(obj))
    if found is None:  # pragma: no cover - every binding class derives from a framework class
        raise TypeError(f"{type(obj).__name__} does not derive from a cdktf or cdktn class")
    return found


class FrameworkDispatch:
    """Makes a binding class follow its scope's framework: ``OpenaiThread(cdktn_stack, ...)`` is cdktn's variant.

    The public binding classes are built on cdktf. Created in a scope that belongs to cdktn, they hand over to
    their cdktn :func:`variant` (same body, cdktn base class): a cdktf element inside a cdktn stack would break
    its synthesis. In a cdktf scope nothing changes.
    """

    def __new__(cls, scope: Any = None, *args: Any, **kwargs: Any) -> Any:
        # jsii calls ``cls.__new__(cls)`` without arguments when it wraps an object; that never dispatches.
        if isinstance(scope, constructs.Construct):
            target = variant(cls, framework_of(scope))
            if target is not cls:
                # Not an instance of ``cls``, so Python skips ``cls.__init__``: the variant ran its own.
                return target(scope, *args, **kwargs)
        return super().__new__(cls)


class ResourceBinding(FrameworkDispatch):
    """Body shared by the resource bindings; mixed in before the framework's ``TerraformResource``."""

    #: The Terraform resource type, e.g. ``openai_thread``.
    resource_type: ClassVar[str]
    _attributes: dict[str, Any]

    def _register(
        self,
        scope: constructs.Construct,
        id_: str,
        attributes: Mapping[str, Any],
        *,
        depends_on: Sequence[Any] | None,
        lifecycle: Any | None,
        provider: Any | None,
    ) -> None:
        """Create the framework resource and remember ``attributes`` (None values dropped) for synthesis."""
        self._attributes = compact(attributes)
        fw = own_framework(self)
        super().__init__(  # type: ignore[call-arg]
            scope,
            id_,
            terraform_resource_type=self.resource_type,
            terraform_generator_metadata=generator_metadata(fw),
            depends_on=list(depends_on) if depends_on else None,
            lifecycle=lifecycle,
            provider=provider,
        )

    def _synthesize_attributes(self) -> Mapping[str, Any]:
        return self._attributes

    if TYPE_CHECKING:
        # The framework base class implements these; declared so the typed properties of bindings check.
        def get_string_attribute(self, name: str) -> str: ...
        def get_number_attribute(self, name: str) -> float: ...
        def get_number_map_attribute(self, name: str) -> Mapping[str, float]: ...
        def get_list_attribute(self, name: str) -> list[str]: ...


def variant(cls: type[R], fw: Framework) -> type[R]:
    """Return ``cls`` rebuilt on ``fw``'s base class (e.g. a cdktn ``OpenaiThread``); ``cls`` itself for cdktf.

    A binding is written once as a body mixed in before the framework base class
    (``class OpenaiThread(ThreadBody, cdktf.TerraformResource)``). The cdktf classes are the public ones; a
    cdktn variant is made from the same body and cdktn's class of the same name on first use.
    """
    return cast("type[R]", _variant(cast(type, cls), fw))


@functools.cache
def _variant(cls: type, fw: Framework) -> type:
    own = framework_of_class(cls)
    if own == fw:
        return cls
    if len(cls.__bases__) != 2:
        raise TypeError(
            f"{cls.__qualname__} is built on {own.name if own else 'no framework'}, so it cannot be used in a "
            f"{fw.name} app; derive from variant(<binding>, framework({fw.name!r})) instead"
        )
    body, framework_base = cls.__bases__
    new_base = getattr(fw.core, framework_base.__name__)
    return type(cls.__name__, (body, new_base), {"__module__": cls.__module__, "__doc__": cls.__doc__})
