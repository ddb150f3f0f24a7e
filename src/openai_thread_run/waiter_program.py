"""The waiter (:mod:`openai_thread_run.waiter`) as a ``local-exec`` provisioner runs it.

The provisioner's ``interpreter`` is ``python3 -c <the waiter's source>`` (the source is a local of the stack,
see :mod:`openai_thread_run.waiting`) and its ``command`` a short label, which Python passes to the program as
``sys.argv[1]`` and the waiter ignores. The inputs go in the provisioner's ``environment``, named by
``waiter.*_VAR``.
"""

from __future__ import annotations

import functools
from importlib import resources

PYTHON = "python3"


@functools.cache
def waiter_source() -> str:
    """Return the waiter's source text, as embedded in the synthesized configuration."""
    return resources.files(__package__ or "openai_thread_run").joinpath("waiter.py").read_text(encoding="utf-8")
