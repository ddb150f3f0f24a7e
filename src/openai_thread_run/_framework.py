"""Which CDK framework a scope belongs to: cdktf (HashiCorp, the default) or cdktn (CDK Terrain).

An app cannot mix both, so the framework is read off the scope the user passes: the first class in its MRO
(or in its parents' MROs) that comes from the ``cdktf`` or ``cdktn`` package decides. Everything here is pure
Python; no call crosses into the jsii kernel except walking up ``node.scope`` for a bare ``constructs.Construct``
(once per construct: the answer is remembered).
"""

from __future__ import annotations

import contextlib
import importlib
import weakref
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

import constructs

FRAMEWORKS = ("cdktf", "cdktn")
DEFAULT_FRAMEWORK = "cdktf"


@dataclass(frozen=True)
class Framework:
    """A CDK framework: its name and its core module (``cdktf`` or ``cdktn``)."""

    name: str
    core: ModuleType

    def null_module(self) -> tuple[Any, Any]:
        """Return the framework's prebuilt null-provider binding as ``(NullProvider, Resource)`` classes.

        cdktf uses ``cdktf-cdktf-provider-null``; cdktn uses ``cdktn-provider-null`` (the ``[cdktn]`` extra), so
        the default ``null_resource`` trigger synthesizes the same resource, with the same address, on both.
        """
        if self.name == "cdktn":
            try:
                provider_mod = importlib.import_module("cdktn_provider_null.provider")
                resource_mod = importlib.import_module("cdktn_provider_null.resource")
            except ImportError as exc:  # pragma: no cover - depends on what is installed
                raise ImportError(
                    "rerun_triggers with rerun_trigger_resource='null_resource' in a cdktn app needs "
                    "cdktn-provider-null: pip install 'cdktf-openai-thread-run[cdktn]' (or use "
                    "rerun_trigger_resource='terraform_data', which needs no provider)"
                ) from exc
        else:
            provider_mod = importlib.import_module("cdktf_cdktf_provider_null.provider")
            resource_mod = importlib.import_module("cdktf_cdktf_provider_null.resource")
        return provider_mod.NullProvider, resource_mod.Resource


@cache
def framework(name: str) -> Framework:
    """Return the framework called ``name`` (``"cdktf"`` or ``"cdktn"``), importing it on first use."""
    if name not in FRAMEWORKS:
        raise ValueError(f"unknown CDK framework {name!r} (expected one of {', '.join(FRAMEWORKS)})")
    try:
        core = importlib.import_module(name)
    except ImportError as exc:  # pragma: no cover - depends on what is installed
        hint = "pip install 'cdktf-openai-thread-run[cdktn]'" if name == "cdktn" else "pip install cdktf"
        raise ImportError(f"the scope belongs to {name}, which is not installed ({hint})") from exc
    return Framework(name=name, core=core)


def framework_of_class(cls: type) -> Framework | None:
    """Return the framework a class derives from, or None when it derives from neither."""
    for klass in cls.__mro__:
        top = klass.__module__.partition(".")[0]
        if top in FRAMEWORKS:
            return framework(top)
    return None


#: The framework of scopes whose class is a bare ``constructs.Construct`` (such as ThreadRunConstruct), found
#: once: walking up ``node.scope`` costs two jsii round trips per level. A construct never changes its scope.
_framework_of_scope: weakref.WeakKeyDictionary[Any, Framework] = weakref.WeakKeyDictionary()


def remember_framework(scope: constructs.IConstruct, fw: Framework) -> None:
    """Record that ``scope`` belongs to ``fw`` (already known to its creator), so :func:`framework_of` is free."""
    with contextlib.suppress(TypeError):  # an unhashable or non-weakrefable scope is simply not cached
        _framework_of_scope[scope] = fw


def framework_of(scope: constructs.IConstruct) -> Framework:
    """Return the framework of ``scope``: that of the nearest scope whose class comes from cdktf or cdktn.

    A scope tree made only of bare ``constructs.Construct`` objects (no app or stack yet) gets the default,
    cdktf.
    """
    walked: list[constructs.IConstruct] = []
    node: constructs.IConstruct | None = scope
    found: Framework | None = None
    while node is not None:
        found = framework_of_class(type(node))
        if found is None:
            with contextlib.suppress(TypeError):
                found = _framework_of_scope.get(node)
        if found is not None:
            break
        walked.append(node)
        node = node.node.scope
    if found is None:
        found = framework(DEFAULT_FRAMEWORK)
    for visited in walked:
        remember_framework(visited, found)
    return found


def stack_of(scope: constructs.IConstruct, fw: Framework) -> Any:
    """Return the ``TerraformStack`` that holds ``scope`` (no jsii round trip when ``scope`` is the stack)."""
    if isinstance(scope, fw.core.TerraformStack):
        return scope
    return fw.core.TerraformStack.of(scope)
