"""One point of the synth benchmark, measured in a fresh process (so a fresh jsii Node kernel).

:func:`run_worker` imports cdktf, builds ``App -> TerraformStack -> provider + N thread-runs`` of one kind
(:data:`benchmarks.workload.BUILDERS`) and calls ``app.synth()`` into a temporary outdir, and returns the sample:
wall and CPU time (Python and Node, from ``/proc/<pid>/task/*/schedstat``, which also gives the time both sat
runnable waiting for a CPU), peak memory (``getrusage`` of Python and, once the kernel is stopped, of Node), the
jsii round trips (every request sent to the kernel, counted by wrapping ``_NodeProcess.send``) and the document.

An ``ablated`` worker builds the construct with speed-ups or checks of openai_thread_run switched off
(``--ablate``, :func:`ablation_patches`).
Every patch goes through :func:`patch`, which fails loudly when its target was renamed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Speed-ups and checks of openai_thread_run that a run can switch off (``--ablate``), to measure their cost.
ABLATIONS = ("metadata-cache", "prechecked-inputs")
#: The kind of worker that builds the construct with the ablations applied (measured beside the plain construct).
ABLATED = "ablated"


def patch(owner: Any, attribute: str, value: Any) -> None:
    """Replace ``owner.attribute`` with ``value``; fail loudly when it does not exist.

    A bare ``setattr`` would add a new attribute that nothing calls, and the benchmark would silently measure the
    unpatched code after a rename.
    """
    if not hasattr(owner, attribute):
        raise AttributeError(f"benchmark patch target {getattr(owner, '__name__', owner)!s}.{attribute} does not exist")
    setattr(owner, attribute, value)


def count_round_trips() -> Counter[str]:
    """Wrap the jsii process provider's ``send`` so that every kernel request is counted, by request type."""
    from jsii._kernel.providers import process

    counts: Counter[str] = Counter()
    original = process._NodeProcess.send

    def send(self: Any, request: Any, response_type: Any) -> Any:
        counts[type(request).__name__.lstrip("_")] += 1
        return original(self, request, response_type)

    patch(process._NodeProcess, "send", send)
    return counts


def _kernel_process() -> Any:
    """The jsii runtime's ``_NodeProcess`` (started by ``import cdktf``)."""
    from jsii._runtime import kernel

    return kernel.provider._process  # type: ignore[attr-defined]


def schedstat(pid: int) -> tuple[float, float]:
    """(CPU seconds, seconds runnable but waiting for a CPU) of all threads of ``pid`` so far; zeros without /proc."""
    cpu = wait = 0
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = (task / "schedstat").read_text().split()
                cpu, wait = cpu + int(fields[0]), wait + int(fields[1])
    return cpu / 1e9, wait / 1e9


def ablation_patches() -> dict[str, list[tuple[Any, str, Any]]]:
    """Return, per ablation, the ``(module, attribute, replacement)`` patches that switch it off.

    - ``metadata-cache``: a new ``TerraformProviderGeneratorMetadata`` struct for every resource;
    - ``prechecked-inputs``: the construct's bindings check their inputs again (normalizing and type-checking each
      one), although the construct's validation already did, to measure what handing them the checked values saves.
    """
    from openai_thread_run import construct
    from openai_thread_run.bindings import _base, provider

    uncached_metadata = _base.generator_metadata.__wrapped__
    return {
        "metadata-cache": [
            (_base, "generator_metadata", uncached_metadata),
            (provider, "generator_metadata", uncached_metadata),
        ],
        "prechecked-inputs": [(construct, "inputs_prechecked", contextlib.nullcontext)],
    }


def ablate(names: Sequence[str]) -> None:
    """Switch off the named speed-ups or checks of openai_thread_run in this process (``ablated`` workers)."""
    patches = ablation_patches()
    for name in names:
        for module, attribute, value in patches[name]:
            patch(module, attribute, value)


def run_worker(kind: str, mode: str, n: int, json_out: Path | None, ablations: Sequence[str] = ()) -> dict[str, Any]:
    """Measure one point in this (fresh) process and return the sample; jsii is unusable afterwards."""
    counts = count_round_trips()
    start = time.perf_counter()
    import cdktf

    import_cdktf_s = time.perf_counter() - start
    import_package_s: float | None = None
    if kind in ("construct", ABLATED):
        start = time.perf_counter()
        # The package imports its construct library on first use of a public name (so that the gateway never
        # loads cdktf): use one, so that the library's import is measured here and not in the build.
        from openai_thread_run import ThreadRunConstruct  # noqa: F401

        import_package_s = time.perf_counter() - start
        if kind == ABLATED:
            ablate(ablations)
    from benchmarks.workload import BUILDERS, STACK_NAME

    build = BUILDERS["construct" if kind == ABLATED else kind]
    node_pid, python_pid = _kernel_process()._process.pid, os.getpid()
    with tempfile.TemporaryDirectory(prefix="otr-bench-") as outdir:
        before = counts.copy()
        node_before, python_before = schedstat(node_pid), schedstat(python_pid)
        start = time.perf_counter()
        app = cdktf.App(outdir=outdir)
        stack = cdktf.TerraformStack(app, STACK_NAME)
        build(stack, mode, n)
        built = time.perf_counter()
        app.synth()
        end = time.perf_counter()
        node_after, python_after = schedstat(node_pid), schedstat(python_pid)
        round_trips = counts - before
        document = (Path(outdir) / "stacks" / STACK_NAME / "cdk.tf.json").read_bytes()
    if json_out is not None:
        json_out.write_bytes(document)
    parsed = json.loads(document)
    elements = {**parsed.get("resource", {}), **{f"data.{t}": v for t, v in parsed.get("data", {}).items()}}
    _kernel_process().stop()  # waits for Node, so that RUSAGE_CHILDREN includes it
    rss_python_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_node_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu_python_s, cpu_node_s = python_after[0] - python_before[0], node_after[0] - node_before[0]
    return {
        "kind": kind,
        "mode": mode,
        "n": n,
        "optimize": sys.flags.optimize > 0,
        "ablate": list(ablations) if kind == ABLATED else [],
        "total_s": end - start,
        "build_s": built - start,
        "synth_s": end - built,
        "cpu_python_s": cpu_python_s,
        "cpu_node_s": cpu_node_s,
        "cpu_s": cpu_python_s + cpu_node_s,
        "runqueue_wait_s": python_after[1] - python_before[1] + node_after[1] - node_before[1],
        "import_cdktf_s": import_cdktf_s,
        "import_package_s": import_package_s,
        "round_trips": sum(round_trips.values()),
        "round_trips_by_type": dict(sorted(round_trips.items())),
        "rss_python_mb": rss_python_mb,
        "rss_node_mb": rss_node_mb,
        "peak_mb": rss_python_mb + rss_node_mb,
        "resources": {type_: len(by_id) for type_, by_id in sorted(elements.items())},
        "json_sha256": hashlib.sha256(document).hexdigest(),
        "json_bytes": len(document),
    }
