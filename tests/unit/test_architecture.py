"""The package's dependencies point one way: no import cycle, no import that dodges one, each layer on the ones below.

The import graph is read from the source with ``ast``: every ``import`` and ``from ... import`` of a module of the
package, wherever it stands (at the top, in a function, under ``if TYPE_CHECKING:``). ARCHITECTURE.md names the
same layers.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = "openai_thread_run"
SOURCE = Path(__file__).resolve().parents[2] / "src" / PACKAGE

#: The layers, lowest first; a module may import from its own layer and the ones below (never from above).
LAYERS: list[tuple[str, set[str]]] = [
    (
        "foundation: values, tokens, text, errors, the two frameworks, the waiter programs",
        {
            "_version",
            "errors",
            "normalize",
            "tokens",
            "templates",
            "go_json",
            "_framework",
            "annotations",
            "input_types",
            "locations",
            "logical_ids",
            "waiter",
            "waiter_sources",
        },
    ),
    ("records: what the library records per stack (a leaf the bindings write into)", {"stack_records"}),
    ("bindings: what Terraform sees", {"bindings"}),
    (
        "the inputs and the synth-time work: their declaration and rules, ordering, the waiter, the stack's checks",
        {"props", "validation", "ordering", "waiter_element", "stack_checks", "shared_names"},
    ),
    ("the construct's elements", {"elements"}),
    ("the construct", {"construct"}),
    ("the public modules of each framework", {"cdktf", "cdktn"}),
    ("the package, which imports the construct library lazily", {"__init__"}),
]
#: The gateway stands apart: it may use the foundation's waiter program (its retry schedule) and the version.
GATEWAY_MAY_IMPORT = {"_version", "waiter"}


def module_name(path: Path) -> str:
    """``openai_thread_run.bindings._base`` for ``src/openai_thread_run/bindings/_base.py``."""
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def imports_of(module: str) -> Iterator[tuple[str, ast.AST, bool]]:
    """Yield ``(imported module, statement, inside a function)`` for each import of a module of the package."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            source = ".".join(filter(None, [base, node.module or ""]))
            if node.module:
                targets.append(source)
            targets += [f"{source}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        for target in targets:
            if target in MODULES and target != module:
                yield target, node, id(node) in in_function


GRAPH = {module: {target for target, _, _ in imports_of(module)} for module in MODULES}


def layer_of(module: str) -> int | None:
    """The index of the layer ``module`` belongs to (its first component below the package), or None (gateway)."""
    parts = module.split(".")
    key = "__init__" if len(parts) == 1 else parts[1]
    return next((index for index, (_, members) in enumerate(LAYERS) if key in members), None)


def find_cycle() -> list[str] | None:
    """Return one cycle of the import graph (its modules, the first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(GRAPH[module]):
            found = visit(target)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    return next((cycle for module in sorted(GRAPH) if (cycle := visit(module))), None)


def test_the_import_graph_has_no_cycle() -> None:
    assert find_cycle() is None, " -> ".join(find_cycle() or [])


def test_the_cycle_finder_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = {module: set(targets) for module, targets in GRAPH.items()}
    graph[f"{PACKAGE}.stack_records"].add(f"{PACKAGE}.construct")  # the import issue 16 removed, back
    monkeypatch.setattr(__import__(__name__, fromlist=["GRAPH"]), "GRAPH", graph)
    cycle = find_cycle()
    assert cycle is not None and cycle[0] == cycle[-1] and f"{PACKAGE}.construct" in cycle


def test_no_module_imports_a_module_of_the_package_inside_a_function() -> None:
    """An import inside a function is how a cycle hides; the package's lazy names use importlib, not an import."""
    found = [
        f"{module}:{getattr(statement, 'lineno', 0)} imports {target}"
        for module in MODULES
        for target, statement, in_function in imports_of(module)
        if in_function
    ]
    assert found == []


def test_every_module_belongs_to_a_layer_or_to_the_gateway() -> None:
    strays = [module for module in MODULES if layer_of(module) is None and not module.startswith(f"{PACKAGE}.gateway")]
    assert strays == [], "add them to a layer here and in ARCHITECTURE.md"


def test_each_module_imports_only_from_its_own_layer_and_the_ones_below() -> None:
    upward = []
    for module, targets in GRAPH.items():
        own = layer_of(module)
        if own is None:
            continue
        for target in sorted(targets):
            theirs = layer_of(target)
            if theirs is None or theirs > own:
                upward.append(f"{module} ({LAYERS[own][0]}) imports {target}")
    assert upward == []


def test_the_bindings_import_nothing_above_the_records() -> None:
    allowed = LAYERS[0][1] | {"stack_records", "bindings"}
    for module, targets in GRAPH.items():
        if module.startswith(f"{PACKAGE}.bindings"):
            above = sorted(target for target in targets if target.split(".")[1] not in allowed)
            assert above == [], f"{module} imports {above}"


def test_the_gateway_imports_nothing_of_the_construct_library() -> None:
    for module, targets in GRAPH.items():
        if module.startswith(f"{PACKAGE}.gateway"):
            outside = sorted(
                target
                for target in targets
                if not target.startswith(f"{PACKAGE}.gateway") and target.split(".")[1] not in GATEWAY_MAY_IMPORT
            )
            assert outside == [], f"{module} imports {outside}"


#: Imports each module named on the command line first, in one interpreter: before each, every module of the package
#: is dropped from ``sys.modules`` (the frameworks stay loaded: their Node.js kernel starts once). Prints one line per
#: module, ``ok``, ``skip`` (a gateway module whose extra is not installed) or the error.
IMPORT_EACH_FIRST = """
import importlib, sys, traceback
package = sys.argv[1]
for module in sys.argv[2:]:
    for loaded in [name for name in sys.modules if name == package or name.startswith(package + ".")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] == package.split(".")[0] or ".gateway" not in module:
            print(module, "FAILED", repr(error), flush=True)
        else:
            print(module, "skip", error.name, flush=True)
    except BaseException as error:
        print(module, "FAILED", "".join(traceback.format_exception_only(error)).strip(), flush=True)
    else:
        print(module, "ok", flush=True)
"""


def import_each_first(package: str, modules: list[str], path: Path | None = None) -> dict[str, str]:
    """Import each of ``modules`` as the first module of ``package`` (see IMPORT_EACH_FIRST); outcome by module."""
    environment = dict(os.environ)
    if path is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(path), environment.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EACH_FIRST, package, *modules],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=environment,
    )
    assert done.returncode == 0, done.stderr
    outcomes = dict(line.split(" ", 1) for line in done.stdout.splitlines() if line.split(" ", 1)[0] in modules)
    assert sorted(outcomes) == sorted(modules), done.stdout + done.stderr
    return outcomes


def test_every_module_imports_first_in_a_fresh_package() -> None:
    """A cycle the static graph could miss (an import through ``importlib``, a name a submodule shadows) fails here."""
    modules = [module for module in MODULES if not module.endswith("__main__")]  # __main__ starts the gateway
    outcomes = import_each_first(PACKAGE, modules)
    failed = {module: outcome for module, outcome in outcomes.items() if not outcome.startswith(("ok", "skip"))}
    assert failed == {}
    assert all(outcomes[module] == "ok" for module in modules if ".gateway" not in module)


def test_importing_each_module_first_finds_a_cycle(tmp_path: Path) -> None:
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text("from .second import SECOND\nFIRST = 1\n")
    (package / "second.py").write_text("from .first import FIRST\nSECOND = 2\n")
    (package / "alone.py").write_text("ALONE = 0\n")
    outcomes = import_each_first("cyclic", ["cyclic.alone", "cyclic.first", "cyclic.second"], tmp_path)
    assert outcomes["cyclic.alone"] == "ok"
    assert "partially initialized module" in outcomes["cyclic.first"]
    assert "partially initialized module" in outcomes["cyclic.second"]
