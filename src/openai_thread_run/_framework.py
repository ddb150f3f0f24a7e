"""The two CDK frameworks this library is built on: cdktf (HashiCorp, deprecated) and cdktn (CDK Terrain).

Every public class exists once per framework: ``openai_thread_run`` holds the cdktf ones, ``openai_thread_run.cdktn``
the cdktn ones, both made from the same bodies. A class knows its framework from its base classes; a scope is
asked the same way, in pure Python, to catch a class of one framework used in a tree of the other.
"""

from __future__ import annotations

import contextlib
import importlib
import weakref
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from .errors import Problem, ValidationError

FRAMEWORKS = ("cdktf", "cdktn")


@dataclass(frozen=True)
class Framework:
    """A CDK framework: its name and its core module (``cdktf`` or ``cdktn``)."""

    name: str
    core: ModuleType

    def null_classes(self) -> tuple[Any, Any]:
        """Return the framework's prebuilt null-provider binding as ``(NullProvider, Resource)`` classes.

        cdktf uses ``cdktf-cdktf-provider-null``; cdktn uses ``cdktn-provider-null`` (the ``[cdktn]`` extra), so
        the default ``null_resource`` trigger synthesizes the same resource, with the same address, on both.
        """
        package = "cdktn_provider_null" if self.name == "cdktn" else "cdktf_cdktf_provider_null"
        try:
            provider_module = importlib.import_module(f"{package}.provider")
            resource_module = importlib.import_module(f"{package}.resource")
        except ImportError as exc:  # pragma: no cover - depends on what is installed
            raise ImportError(
                f"rerun_triggers with rerun_trigger_resource='null_resource' needs {package.replace('_', '-')}: "
                "pip install 'cdktf-openai-thread-run[cdktn]' for cdktn (or use "
                "rerun_trigger_resource='terraform_data', which needs no provider)"
            ) from exc
        return provider_module.NullProvider, resource_module.Resource


@cache
def framework(name: str) -> Framework:
    """Return the framework called ``name`` (``"cdktf"`` or ``"cdktn"``), importing it on first use."""
    if name not in FRAMEWORKS:
        raise ValueError(f"unknown CDK framework {name!r} (expected one of {', '.join(FRAMEWORKS)})")
    try:
        core = importlib.import_module(name)
    except ImportError as exc:  # pragma: no cover - depends on what is installed
        hint = "pip install 'cdktf-openai-thread-run[cdktn]'" if name == "cdktn" else "pip install cdktf"
        raise ImportError(f"{name} is not installed ({hint})") from exc
    return Framework(name=name, core=core)


def framework_of_class(cls: type) -> Framework | None:
    """Return the framework a class is built on, or None when it derives from neither.

    A class of this library may say so itself (``_otr_framework``); otherwise the first class in its MRO that
    comes from the ``cdktf`` or ``cdktn`` package decides.
    """
    declared = getattr(cls, "_otr_framework", None)
    if isinstance(declared, str):
        return framework(declared)
    for klass in cls.__mro__:
        top = klass.__module__.partition(".")[0]
        if top in FRAMEWORKS:
            return framework(top)
    return None


def framework_of_scope(scope: Any) -> Framework | None:
    """Return the framework of ``scope`` when its class tells (a stack, a resource, a construct of this library).

    A user's own ``constructs.Construct`` subclass does not tell; None then (no jsii round trip is spent on it).
    """
    return framework_of_class(scope.__class__)


def check_same_framework(cls: type, own: Framework, scope: Any) -> None:
    """Raise ``TypeError`` when ``scope`` belongs to the other framework, naming the class to import instead."""
    found = framework_of_scope(scope)
    if found is not None and found != own:
        module = "openai_thread_run.cdktn" if found.name == "cdktn" else "openai_thread_run"
        raise TypeError(
            f"{cls.__name__} from {cls.__module__} is built on {own.name}, but its scope belongs to a {found.name} "
            f"app: import {cls.__name__} from {module} instead"
        )


def refuse_hcl_output(scope: Any) -> None:
    """Raise ValidationError when the app writes HCL (``cdktf synth --hcl``, ``SYNTH_HCL_OUTPUT=true``).

    The bindings write their attributes as JSON only; cdktf's HCL would hold empty resources and the waiter's
    program as bare text. Asked once per app (a weak set remembers the apps that write JSON).
    """
    root = scope.node.root
    if root in _json_apps:
        return
    if getattr(root, "hcl_output", False) is True:
        raise ValidationError(
            "openai-thread-run",
            [
                Problem(
                    "hcl_output",
                    "is not supported: openai-thread-run writes JSON only (cdk.tf.json); run cdktf synth without "
                    "--hcl (and SYNTH_HCL_OUTPUT unset)",
                    True,
                    "JSON output",
                )
            ],
        )
    with contextlib.suppress(TypeError):  # a root that cannot be weakly referenced is simply asked again
        _json_apps.add(root)


#: The apps known to write JSON (see :func:`refuse_hcl_output`).
_json_apps: weakref.WeakSet[Any] = weakref.WeakSet()


def stack_of(scope: Any, fw: Framework) -> Any:
    """Return the ``TerraformStack`` that holds ``scope`` (no jsii round trip when ``scope`` is the stack)."""
    if isinstance(scope, fw.core.TerraformStack):
        return scope
    return fw.core.TerraformStack.of(scope)
