"""Build the API reference (HTML, with pdoc) from the package's docstrings; fail on a warning or a gap.

    python scripts/build_api_docs.py --output build/api

One page documents what ``openai_thread_run.__all__`` exports (``build/api/openai_thread_run.html``, with pdoc's
index and search). Docstrings are reStructuredText (``:param name:`` lines, ``:class:`` references). The build
fails, one line per problem, when pdoc warns (a reference it cannot resolve, an annotation it cannot evaluate,
...) or when the reference would show a public name without documentation:

- an exported class, function or alias without a docstring;
- a public method or property of an exported class without one;
- a parameter of a hand-written constructor, a dataclass or TypedDict field, or an instance attribute that has no
  docstring of its own and is not named in its class's or constructor's docstring.

Two things pdoc does not do on its own, done here so the page shows what users need: members an exported class
inherits from the package's own unexported bases (the bindings keep their constructor and attributes in a shared,
framework-neutral base) are documented as the class's own, and an exported alias re-exported from a submodule
keeps the docstring it has there.

Importing the package starts the jsii kernel: run this with Node.js on PATH or JSII_NODE set (scripts/test.sh
does).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import inspect
import os
import re
import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, is_typeddict

# pdoc refuses subprocesses while it imports a module; importing the package starts jsii's Node kernel.
os.environ.setdefault("PDOC_ALLOW_EXEC", "1")

import pdoc
import pdoc.doc
import pdoc.render

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "openai_thread_run"
DEFAULT_OUTPUT = REPO / "build" / "api"
#: Constructor parameters every construct has (documented by the constructs library), and ``self``.
CONSTRUCT_PARAMETERS = {"self", "scope", "id"}


def alias_docstring(package: ModuleType, name: str) -> str:
    """Return the docstring ``name`` has in a submodule that holds the very object the package exports, or ""."""
    value = getattr(package, name)
    for module_name, module in sorted(sys.modules.items()):
        if module_name.startswith(f"{package.__name__}.") and module is not None and vars(module).get(name) is value:
            member = pdoc.doc.Module(module).members.get(name)
            if member is not None and member.docstring:
                return member.docstring
    return ""


def adopt_alias_docstrings(module: pdoc.doc.Module) -> None:
    """Give exported aliases (``MessageInput = ...``, ``__version__``) the docstring they have where defined."""
    for name in module.obj.__all__:
        member = module.members.get(name)
        if isinstance(member, pdoc.doc.Variable) and not member.docstring:
            member.docstring = alias_docstring(module.obj, name)


def adopt_inherited_members(cls: pdoc.doc.Class, exported: set[type], package: str) -> None:
    """Document the members ``cls`` inherits from unexported bases inside the package as its own.

    pdoc lists inherited members only as links to their base's page, and there is no page for an unexported base.
    Must run before ``cls.members`` is first read.
    """
    own = (cls.obj.__module__, cls.obj.__qualname__)
    # Read the members first, as pdoc does: that can add __annotations__ to the class, which must be declared too.
    _ = cls._member_objects
    declarations = dict(cls._declarations)
    for name, (module, qualname) in cls._declarations.items():
        declared_by = [
            base for base in cls.obj.__mro__ if (base.__module__, f"{base.__qualname__}.{name}") == (module, qualname)
        ]
        owner = declared_by[0] if declared_by else None
        if owner is not None and owner not in exported and module.startswith(f"{package}."):
            declarations[name] = (own[0], f"{own[1]}.{name}")
    cls.__dict__["_declarations"] = declarations


def public_members(cls: pdoc.doc.Class) -> Iterator[pdoc.doc.Doc[Any]]:
    """Yield the members of ``cls`` the reference shows: its own, public ones, and its constructor."""
    for member in cls.own_members:
        if not member.name.startswith("_") or member.name == "__init__":
            yield member


def mentions(text: str, name: str) -> bool:
    """Tell whether ``text`` names ``name`` as a word (``name``, ``:param name:``, ``.name``)."""
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


def class_gaps(cls: pdoc.doc.Class) -> Iterator[str]:
    """Yield one line per undocumented public name of ``cls``."""
    where = cls.fullname
    described = cls.docstring
    for member in public_members(cls):
        if member.name == "__init__" and isinstance(member, pdoc.doc.Function):
            described += "\n" + member.docstring
    # A dataclass's or TypedDict's constructor is its fields (checked below); a Protocol is never constructed.
    generated = dataclasses.is_dataclass(cls.obj) or is_typeddict(cls.obj) or getattr(cls.obj, "_is_protocol", False)
    for member in public_members(cls):
        name = member.name
        if isinstance(member, pdoc.doc.Function) and name == "__init__":
            if generated:
                continue
            for parameter in inspect.signature(member.obj).parameters.values():
                passed_on = parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
                known = parameter.name in CONSTRUCT_PARAMETERS or passed_on
                if not known and not mentions(described, parameter.name):
                    yield f"{where}: constructor parameter {parameter.name!r} is not documented"
        elif isinstance(member, pdoc.doc.Function):
            if not member.docstring:
                yield f"{where}.{name}: no docstring"
        elif isinstance(member, pdoc.doc.Variable):
            is_property = isinstance(inspect.getattr_static(cls.obj, name, None), property | functools.cached_property)
            if is_property and not member.docstring:
                yield f"{where}.{name}: property without a docstring"
            elif not is_property and not member.docstring and not mentions(described, name):
                yield f"{where}.{name}: attribute neither has a docstring nor is named in the class docstring"


def gaps(module: pdoc.doc.Module) -> list[str]:
    """Return one line per public name the reference would show without documentation."""
    found: list[str] = []
    for name in module.obj.__all__:
        member = module.members.get(name)
        if member is None:
            found.append(f"{module.modulename}.{name}: in __all__ but not documented (not found)")
            continue
        if not member.docstring.strip():
            found.append(f"{module.modulename}.{name}: no docstring")
        if isinstance(member, pdoc.doc.Class):
            found.extend(class_gaps(member))
    return found


def document(package: str = PACKAGE) -> pdoc.doc.Module:
    """Return pdoc's documentation tree for ``package``, with the adoptions described in this module's docstring."""
    module = pdoc.doc.Module.from_name(package)
    exported = {member.obj for member in module.members.values() if isinstance(member, pdoc.doc.Class)}
    for name in module.obj.__all__:
        member = module.members.get(name)
        if isinstance(member, pdoc.doc.Class):
            adopt_inherited_members(member, exported, package)
    adopt_alias_docstrings(module)
    return module


def build(output: Path, package: str = PACKAGE) -> list[str]:
    """Write the reference to ``output`` (replacing it); return the problems, which leave nothing written."""
    pdoc.render.configure(
        docformat="restructuredtext",
        footer_text=f"{package} API reference",
        show_source=True,
        search=True,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = document(package)
        problems = gaps(module)
        all_modules = {module.modulename: module}
        pages = {
            f"{module.modulename.replace('.', '/')}.html": pdoc.render.html_module(module, all_modules),
            "index.html": pdoc.render.html_index(all_modules),
            "search.js": pdoc.render.search_index(all_modules),
        }
    problems += [
        f"pdoc warned: {warning.message} ({Path(warning.filename).name}:{warning.lineno})"
        for warning in caught
        if Path(warning.filename).resolve().is_relative_to(Path(pdoc.__file__).resolve().parent)
    ]
    if problems:
        return problems
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    for name, text in pages.items():
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_text(text)
    return []


def main(argv: list[str] | None = None) -> int:
    """Command line: build the reference, or list why it cannot be built."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"default: {DEFAULT_OUTPUT}")
    parser.add_argument("--package", default=PACKAGE, help=f"the package to document (default: {PACKAGE})")
    args = parser.parse_args(argv)
    problems = build(args.output, args.package)
    if problems:
        for problem in problems:
            print(f"build_api_docs: {problem}", file=sys.stderr)
        print(f"build_api_docs: {len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    print(f"build_api_docs: wrote {args.output / args.package.replace('.', '/')}.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
