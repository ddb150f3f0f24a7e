"""Warnings that point at the user's line, not at this package or the jsii runtime between them."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import jsii

_INTERNAL = (str(Path(__file__).resolve().parent), str(Path(jsii.__file__).resolve().parent))


def warn_user(message: str, category: type[Warning]) -> None:
    """Issue ``message`` attributed to the first caller outside this package and the jsii runtime."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        level, frame = level + 1, frame.f_back  # type: ignore[assignment]
    warnings.warn(message, category, stacklevel=level + 1)
