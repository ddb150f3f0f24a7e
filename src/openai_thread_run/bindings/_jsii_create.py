"""Creating a binding's jsii object without jsii discovering its overrides anew for every instance.

On every ``create``, the jsii runtime lists which members of the Python class override members of the jsii
class or its interfaces (``jsii._kernel._get_overides``): it walks the class's MRO up to the jsii class and looks
each member name up on the jsii class and on every interface. The answer depends only on the class, but it is
computed per instance, and a binding has dozens of members (inputs, reset methods, attribute getters): about
80-160 µs per resource, more than half of what creating it costs in Python.

:func:`create` asks jsii once per binding class and hands the remembered answer to jsii's own ``create`` for
that class alone (any other object jsii creates meanwhile is asked as usual). If a jsii release no longer has
the private function, every create simply runs jsii's discovery, as before.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

import jsii

#: jsii's kernel module, which holds the override discovery ``create`` calls.
_KERNEL_MODULE = importlib.import_module("jsii._kernel")
_DISCOVERY = "_get_overides"  # sic: jsii's spelling
#: Per binding class: the overrides jsii discovered for its first instance.
_known: dict[type, list[Any]] = {}


def create(cls: type, obj: Any, args: list[Any]) -> None:
    """``jsii.create(cls, obj, args)``, with the overrides of ``cls`` discovered once per class."""
    discover = getattr(_KERNEL_MODULE, _DISCOVERY, None)
    if discover is None:  # pragma: no cover - a jsii release without it: discover per instance
        cast(Any, jsii).create(cls, obj, args)
        return
    known = _known.get(cls)
    if known is None:
        known = _known[cls] = list(discover(cls, obj))

    def remembered(klass: Any, instance: Any) -> Any:
        if klass is cls and type(instance) is cls:
            return list(known)
        return discover(klass, instance)

    setattr(_KERNEL_MODULE, _DISCOVERY, remembered)
    try:
        cast(Any, jsii).create(cls, obj, args)
    finally:
        setattr(_KERNEL_MODULE, _DISCOVERY, discover)
