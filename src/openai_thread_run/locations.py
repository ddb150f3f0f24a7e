"""Where in the user's program something happened: the innermost frame outside this package and the frameworks."""

from __future__ import annotations

import functools
import inspect
import traceback
from pathlib import Path
from types import FrameType

import jsii

#: Files whose frames are not the user's: this package, the jsii runtime, and the frameworks' bindings.
_INTERNAL = tuple(str(Path(module_file).resolve().parent) for module_file in (__file__, jsii.__file__))
_FRAMEWORK_PACKAGES = ("cdktf", "cdktn", "constructs", "typeguard")


@functools.lru_cache(maxsize=256)
def _internal(filename: str) -> bool:
    if filename.startswith(_INTERNAL):
        return True
    parts = Path(filename).parts
    return any(part in _FRAMEWORK_PACKAGES for part in parts) and "site-packages" in parts


def user_location(frames: list[traceback.FrameSummary] | None = None) -> str | None:
    """Return ``file:line`` of the innermost frame of the user's program (outside this package and jsii).

    ``frames``: a traceback's (an exception's); by default the frames of this call, walked without reading
    source lines.
    """
    if frames is not None:
        return next((f"{f.filename}:{f.lineno}" for f in reversed(frames) if not _internal(f.filename)), None)
    frame: FrameType | None = inspect.currentframe()
    while frame is not None:
        if not _internal(frame.f_code.co_filename):
            return f"{frame.f_code.co_filename}:{frame.f_lineno}"
        frame = frame.f_back
    return None
