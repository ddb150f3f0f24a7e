"""PATHs that hold exactly the programs a waiter may use: a folder of symlinks per kit, for the unit and e2e tests.

A kit names each program as the waiter calls it (``sh``, ``curl``, ``awk``, ...) and the host program that plays
it: a program found on PATH (``dash``, ``mawk``), or ``busybox``, whose applet is chosen by the link's name. The
sh kits hold ``sh``, one HTTP client and :data:`~openai_thread_run.waiter_sources.SH_WAITER_NEEDS`, nothing more:
a test that passes with one proves the waiter needs no other program (python3 least of all).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from openai_thread_run.waiter_sources import SH_WAITER_NEEDS

BUSYBOX = "busybox"


@dataclass(frozen=True)
class Kit:
    """Programs by the name the waiter calls them, each played by a host program (see the module docstring)."""

    name: str
    programs: Mapping[str, str]

    def missing(self) -> list[str]:
        """The host programs this machine lacks."""
        return sorted({host for host in self.programs.values() if shutil.which(host) is None})

    def folder(self, parent: Path) -> Path:
        """Make ``parent/<name>``, a folder of symlinks to use as PATH (once; later calls return it)."""
        folder = parent / self.name
        if not folder.exists():
            folder.mkdir(parents=True)
            for name, host in self.programs.items():
                found = shutil.which(host)
                assert found is not None, f"{host} is not installed"
                (folder / name).symlink_to(found)
        return folder

    def plus(self, name: str, **programs: str) -> Kit:
        """This kit with more (or other) programs."""
        return Kit(name, {**self.programs, **programs})

    def without(self, name: str, *programs: str) -> Kit:
        """This kit without some programs."""
        return Kit(name, {key: host for key, host in self.programs.items() if key not in programs})


def sh_kit(name: str, sh: str, client: str, needs: str | None = None) -> Kit:
    """``sh`` played by ``sh``, the HTTP client ``client``, and each of SH_WAITER_NEEDS (by ``needs`` when given)."""
    return Kit(name, {"sh": sh, client: client, **{tool: needs or tool for tool in SH_WAITER_NEEDS}})


#: Debian's sh (dash), curl, mawk and coreutils.
SH_CURL = sh_kit("sh-curl", "dash", "curl").plus("sh-curl", awk="mawk")
#: The same with GNU Wget instead of curl.
SH_WGET = sh_kit("sh-wget", "dash", "wget").plus("sh-wget", awk="mawk")
#: An Alpine image with curl (Atlantis's): BusyBox's sh, awk and tools, and curl.
BUSYBOX_CURL = sh_kit("busybox-curl", BUSYBOX, "curl", needs=BUSYBOX)
SH_KITS = {kit.name: kit for kit in (SH_CURL, SH_WGET, BUSYBOX_CURL)}
#: python3 as a kit program: the interpreter running the tests (its standard library is all the waiter needs).
PYTHON3 = os.path.realpath(sys.executable)


def require(kit: Kit) -> None:
    """Skip a test whose kit this machine lacks; under CI that is a failure (.ci/run installs every one)."""
    missing = kit.missing()
    if not missing:
        return
    reason = f"the {kit.name} kit needs {', '.join(missing)} (on Debian: apt-get install {' '.join(missing)})"
    if os.environ.get("CI"):
        pytest.fail(f"waiter kits must run in CI: {reason}")
    pytest.skip(reason)
