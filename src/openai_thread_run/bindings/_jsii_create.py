"""Creating jsii objects of this library without jsii discovering their overrides anew for every instance.

On every ``create``, the jsii runtime lists which members of the Python class override members of the jsii
class or its interfaces (``jsii._kernel._get_overides``): it walks the class's MRO up to the jsii class and looks
each member name up on the jsii class and on every interface. The answer depends only on the class, but it is
computed per instance, and this library's classes have dozens of members (a binding's inputs, reset methods and
attribute getters; ThreadRunConstruct's outputs): 60-160 µs per object, more than half of what creating a
resource costs in Python.

Within :func:`overrides_remembered`, jsii's discovery runs once per class for instances of that class, and the
remembered answer is handed to jsii's own ``create``; any other object jsii creates meanwhile is asked as usual,
and the discovery is restored afterwards. If a jsii release no longer has the private function, every create
simply runs jsii's discovery, as before.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Generator
from typing import Any, cast

import jsii

#: jsii's kernel module, which holds the override discovery ``create`` calls.
_KERNEL_MODULE = importlib.import_module("jsii._kernel")
_DISCOVERY = "_get_overides"  # sic: jsii's spelling
#: Per class: the overrides jsii discovered for its first instance.
_known: dict[type, list[Any]] = {}


@contextlib.contextmanager
def overrides_remembered(cls: type) -> Generator[None]:
    """Within: jsii discovers the overrides of instances of exactly ``cls`` once, and remembers them."""
    discover = getattr(_KERNEL_MODULE, _DISCOVERY, None)
    if discover is None:  # pragma: no cover - a jsii release without it: discover per instance
        yield
        return

    def remembered(klass: Any, instance: Any) -> Any:
        if klass is not cls or type(instance) is not cls:
            return discover(klass, instance)
        known = _known.get(cls)
        if known is None:
            known = _known[cls] = list(discover(klass, instance))
        return list(known)

    setattr(_KERNEL_MODULE, _DISCOVERY, remembered)
    try:
        yield
    finally:
        setattr(_KERNEL_MODULE, _DISCOVERY, discover)


def create(cls: type, obj: Any, args: list[Any]) -> None:
    """``jsii.create(cls, obj, args)``, with the overrides of ``cls`` discovered once per class."""
    with overrides_remembered(cls):
        cast(Any, jsii).create(cls, obj, args)
