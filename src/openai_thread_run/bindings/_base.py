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
import jsii

from .._framework import Framework, framework_of, framework_of_class

PROVIDER_NAME = "openai"
PROVIDER_SOURCE = "mkdev-me/openai"
#: Provider 1.2.0 is the last release with openai_thread, openai_message and openai_thread_run; 2.0.0 removed them.
PROVIDER_VERSION_CONSTRAINT = ">= 1.2.0, < 2.0.0"

R = TypeVar("R")


def compact(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``attributes`` without the entries whose value is None (unset inputs stay out of the JSON)."""
    return {key: value for key, value in attributes.items() if value is not None}


def copy_value(value: Any) -> Any:
    """Return a deep copy of plain lists and dicts, so later changes by the caller do not leak in.

    Tokens and other values pass as they are.
    """
    if isinstance(value, Mapping):
        return {key: copy_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [copy_value(item) for item in value]
    return value


def copy_blocks(value: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]] | None:
    """Return nested blocks as a (deep-copied) list of dicts, or None for none (an empty list emits nothing)."""
    return copy_value(value) if value else None


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

    resource_type: ClassVar[str]
    """The Terraform resource type, e.g. ``openai_thread``."""
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
        depends = list(depends_on) if depends_on else None
        if _create_prechecked(self, fw, scope, id_, depends, lifecycle, provider):
            return
        super().__init__(  # type: ignore[call-arg]
            scope,
            id_,
            terraform_resource_type=self.resource_type,
            terraform_generator_metadata=generator_metadata(fw),
            depends_on=depends,
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


def _create_prechecked(
    obj: Any,
    fw: Framework,
    scope: Any,
    id_: Any,
    depends_on: list[Any] | None,
    lifecycle: Any | None,
    provider: Any | None,
) -> bool:
    """Create ``obj`` as the framework's ``TerraformResource.__init__`` would, minus its runtime type checks.

    The generated ``__init__`` runs ``typing.get_type_hints`` and typeguard on every argument and config field
    (under ``__debug__``): about 0.3 ms of CPU per resource, more than the jsii round trip that creates it. This
    sends the same ``create`` request without them, but only when every argument is of a kind those checks
    accept; anything else (a dict lifecycle, a non-resource in depends_on, a subclass with its own ``__init__``
    in between) returns False having done nothing, and takes the checked path, so errors stay as they were.
    """
    core = fw.core
    if not (
        _prechecked_path_ok(cast(Any, type(obj)), fw)
        and isinstance(scope, constructs.Construct)
        and isinstance(id_, str)
        and (lifecycle is None or isinstance(lifecycle, core.TerraformResourceLifecycle))
        and (provider is None or isinstance(provider, core.TerraformProvider))
        and (depends_on is None or all(isinstance(item, core.TerraformResource) for item in depends_on))
    ):
        return False
    config = core.TerraformResourceConfig.__new__(core.TerraformResourceConfig)
    config._values = compact(
        {
            "terraform_resource_type": obj.resource_type,
            "depends_on": depends_on,
            "lifecycle": lifecycle,
            "provider": provider,
            "terraform_generator_metadata": generator_metadata(fw),
        }
    )
    jsii.create(type(obj), obj, [scope, id_, config])
    return True


@functools.cache
def _prechecked_path_ok(cls: type, fw: Framework) -> bool:
    """Whether :func:`_create_prechecked` may stand in for ``TerraformResource.__init__`` on ``cls``.

    True when the next ``__init__`` after the binding body in ``cls``'s MRO is the framework's own
    ``TerraformResource.__init__`` and its config struct reads its fields from ``_values`` (the jsii-pacmak
    layout, probed once through the struct's own getters); otherwise bindings use the checked path.
    """
    mro = cls.__mro__
    after_body = mro[mro.index(ResourceBinding) + 1 :]
    next_init = next((klass for klass in after_body if "__init__" in vars(klass)), None)
    if next_init is not fw.core.TerraformResource:
        return False
    probe = fw.core.TerraformResourceConfig.__new__(fw.core.TerraformResourceConfig)
    probe._values = {"terraform_resource_type": "probe", "depends_on": ["probe"]}
    try:
        return bool(probe.terraform_resource_type == "probe" and probe.depends_on == ["probe"] and not probe.count)
    except Exception:  # pragma: no cover - a struct layout this code does not know: use the checked path
        return False


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
