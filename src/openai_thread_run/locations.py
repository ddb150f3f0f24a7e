"""Where in the user's program something happened: the innermost frame outside this package and the frameworks."""

from __future__ import annotations

import traceback
from pathlib import Path

import jsii

#: Files whose frames are not the user's: this package, the jsii runtime, and the frameworks' bindings.
_INTERNAL = tuple(str(Path(module_file).resolve().parent) for module_file in (__file__, jsii.__file__))
_FRAMEWORK_PACKAGES = ("cdktf", "cdktn", "constructs", "typeguard")


def _internal(filename: str) -> bool:
    if filename.startswith(_INTERNAL):
        return True
    parts = Path(filename).parts
    return any(part in _FRAMEWORK_PACKAGES for part in parts) and "site-packages" in parts


def user_location(frames: list[traceback.FrameSummary] | None = None) -> str | None:
    """Return ``file:line`` of the innermost frame of the user's program (outside this package and jsii)."""
    stack = frames if frames is not None else traceback.extract_stack()
    for frame in reversed(stack):
        if not _internal(frame.filename):
            return f"{frame.filename}:{frame.lineno}"
    return None
