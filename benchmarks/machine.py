"""Where a benchmark ran: CPU, memory, OS, Python, Node and the versions of the cdktf/jsii stack."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import subprocess
from collections.abc import Sequence
from pathlib import Path


def _first_line(command: Sequence[str]) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError, IndexError):
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=30)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    return "unknown"


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_total() -> str:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. ``"0.28 0.40 0.51"``."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine_info(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Where the benchmark ran: CPU, memory, OS, Python, Node and the cdktf/jsii stack versions (+ ``extra``)."""
    return {
        "nproc": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "memory": _memory_total(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "node": _first_line([os.environ.get("JSII_NODE", "node"), "--version"]),
        "cdktf": _version("cdktf"),
        "jsii": _version("jsii"),
        "constructs": _version("constructs"),
        "typeguard": _version("typeguard"),
        "openai_thread_run": _version("cdktf-openai-thread-run"),
        **(extra or {}),
        "load average at start": load_average(),
    }
