"""The two waiter programs, as a ``local-exec`` provisioner runs them, and what the machine running them needs.

- ``waiter="python"``: the provisioner's ``interpreter`` is ``python3 -c <waiter.py's source>`` and its
  ``command`` a short label, which Python passes to the program as ``sys.argv[1]`` and the waiter ignores.
- ``waiter="sh"``: ``sh -c <waiter.sh's source>``: POSIX sh, awk and curl (or GNU Wget), no Python.
- ``waiter="auto"`` (the default): the same ``sh -c``, which hands over to ``python3`` (3.9 or newer) when it
  is on PATH, with waiter.py's source from the environment variable :data:`PYTHON_SOURCE_VAR`, and runs the sh
  waiter otherwise.

The inputs go in the provisioner's ``environment``, named by ``waiter.*_VAR``. The sh waiter's texts and
numbers are waiter.py's constants, filled into waiter.sh here (:func:`sh_waiter_source`), so both say the same.
"""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable, Container
from importlib import resources
from typing import Literal, NamedTuple, TypeAlias

from . import waiter

PYTHON = "python3"
SH = "sh"
Waiter: TypeAlias = Literal["auto", "python", "sh"]
WAITERS: tuple[Waiter, ...] = ("auto", "python", "sh")
#: Tells the sh program whether to hand over to python3 ("auto") or not ("sh").
MODE_VAR = "OTR_WAITER"
#: waiter.py's source, for the sh program of ``waiter="auto"`` to hand over to python3.
PYTHON_SOURCE_VAR = "OTR_WAITER_PYTHON"
#: What the sh waiter needs besides sh, and the HTTP clients it can use (the first found on PATH).
SH_WAITER_NEEDS = ("awk", "date", "mktemp", "rm", "sleep")
SH_WAITER_CLIENTS = ("curl", "GNU Wget 1.x")
#: How to install a client, for the messages that say one is missing.
INSTALL_CURL = "apk add curl, apt-get install curl, dnf install curl"
NO_WAIT = "or pass wait_for_completion=False to the ThreadRunConstruct (its outputs are then not final)."
NO_CLIENT = (
    f'The waiter of an OpenAI run (waiter="sh") found neither curl nor GNU Wget on PATH where terraform apply runs:'
    f' install one ({INSTALL_CURL}), or python3 (3.9 or newer) and use waiter="auto", {NO_WAIT}'
    f" {waiter.CHECKED_AGAIN}"
)
NO_CLIENT_NOR_PYTHON = (
    "The waiter of an OpenAI run found neither python3 (3.9 or newer) nor curl or GNU Wget on PATH where terraform"
    f" apply runs: install one of them ({INSTALL_CURL}), {NO_WAIT} {waiter.CHECKED_AGAIN}"
)
MISSING_TOOLS = (
    f"The waiter of an OpenAI run without python3 needs {', '.join(SH_WAITER_NEEDS)} on PATH where terraform apply"
    f" runs, and this machine has not got all of them: install them, or python3 (3.9 or newer), {NO_WAIT} Missing:"
)
_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
#: The locals that hold the waiters' sources, once per stack: the Python program, and the sh program.
WAITER_LOCAL = "openai_thread_run_waiter"
WAITER_SH_LOCAL = "openai_thread_run_waiter_sh"


class Program(NamedTuple):
    """How a waiter program is written into a stack: the id of its local's construct, the local, its source."""

    construct_id: str
    local: str
    source: Callable[[], str]


@functools.cache
def waiter_source() -> str:
    """Return the Python waiter's source text, as embedded in the synthesized configuration."""
    return _package_file("waiter.py")


@functools.cache
def sh_waiter_source() -> str:
    """Return the sh waiter's source text (waiter.sh with waiter.py's texts and numbers filled in)."""
    values: dict[str, str | int] = {
        "CHECKED_AGAIN": waiter.CHECKED_AGAIN,
        "RUN_STAYS": waiter.RUN_STAYS,
        "CANNOT_ANSWER_TOOLS": waiter.CANNOT_ANSWER_TOOLS,
        "STILL_RUNNING": waiter.STILL_RUNNING,
        "DEFAULT_API_URL": waiter.DEFAULT_API_URL,
        "USER_AGENT": waiter.USER_AGENT,
        "FIRST_DELAY_MS": round(waiter.FIRST_DELAY_S * 1000),
        "DELAY_FACTOR_PERCENT": round(waiter.DELAY_FACTOR * 100),
        "MAX_DELAY_MS": round(waiter.MAX_DELAY_S * 1000),
        "REQUEST_TIMEOUT_MS": round(waiter.REQUEST_TIMEOUT_S * 1000),
        "MIN_REQUEST_TIMEOUT_MS": round(waiter.MIN_REQUEST_TIMEOUT_S * 1000),
        "EXIT_COMPLETED": waiter.EXIT_COMPLETED,
        "EXIT_FAILED": waiter.EXIT_FAILED,
        "EXIT_BAD_INPUT": waiter.EXIT_BAD_INPUT,
        "SH_WAITER_NEEDS": " ".join(SH_WAITER_NEEDS),
        "NO_CLIENT": NO_CLIENT,
        "NO_CLIENT_NOR_PYTHON": NO_CLIENT_NOR_PYTHON,
        "MISSING_TOOLS": MISSING_TOOLS,
    }
    return _PLACEHOLDER.sub(lambda match: shlex.quote(str(values[match.group(1)])), _package_file("waiter.sh"))


def apply_needs(waiters: Container[str]) -> str:
    """Return what the machine running ``terraform apply`` needs on PATH for waiters of these kinds (a note)."""
    sh = f"sh with {', '.join(SH_WAITER_NEEDS)} and curl or GNU Wget"
    needs = {"python": f"{PYTHON} (3.9 or newer)", "sh": sh, "auto": f"{PYTHON} (3.9 or newer), or else {sh}"}
    listed = "; ".join(f'waiter="{kind}": {needs[kind]}' for kind in WAITERS if kind in waiters)
    return (
        f"the thread-runs of this stack wait for their runs where terraform apply runs, which needs on PATH for"
        f" {listed} (wait_for_completion=False needs none; README, Where terraform apply runs)"
    )


def _package_file(name: str) -> str:
    return resources.files(__package__ or "openai_thread_run").joinpath(name).read_text(encoding="utf-8")


#: Each program, by the interpreter that runs it.
PROGRAMS = {
    PYTHON: Program("waiter-script", WAITER_LOCAL, waiter_source),
    SH: Program("waiter-sh-script", WAITER_SH_LOCAL, sh_waiter_source),
}
