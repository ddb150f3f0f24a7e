"""openai-thread-run: the "OpenAI Thread Run" Terraform module as a typed, validated cdktf construct.

Start with :class:`ThreadRunConstruct` and :class:`OpenaiProvider`; the bindings (:class:`OpenaiThread`,
:class:`OpenaiThreadRun`, the data sources, ...) are there for what the construct does not cover. These classes
are built on cdktf; the same names built on CDK Terrain are in :mod:`openai_thread_run.cdktn`.

The names are imported on first use: importing cdktf starts jsii's Node.js kernel, which
``openai_thread_run.gateway`` (a server that needs none of it) must not pay for.
"""

from __future__ import annotations

import importlib
from importlib.util import find_spec
from typing import TYPE_CHECKING

from ._version import __version__ as __version__

if TYPE_CHECKING:  # what type checkers see; at run time, __getattr__ below imports the same names
    from .cdktf import *  # noqa: F403 - the classes built on cdktf, listed in cdktf.__all__
    from .shared_names import *  # noqa: F403 - and the names both frameworks share (mypy reads no __all__ +=)

    __all__: list[str]  # cdktf.__all__
else:

    def __getattr__(name: str) -> object:
        """Import the construct library (:mod:`.cdktf`) when one of its names, or ``__all__``, is first read."""
        if (name.startswith("_") and name != "__all__") or find_spec(f"{__name__}.{name}") is not None:
            # private names and submodules are never exports (``from . import go_json`` lands here first when that
            # submodule is not imported yet: Python imports it once this says there is no such attribute)
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        library = importlib.import_module(f"{__name__}.cdktf")
        namespace = globals()
        namespace.update({exported: getattr(library, exported) for exported in library.__all__})
        namespace["__all__"] = list(library.__all__)
        if name not in namespace:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return namespace[name]
