"""Render README's tables from the code they describe, the one source of truth each.

- Inputs: the keyword parameters of ``ThreadRunConstruct.__init__`` (name, annotation, default) and the
  ``:param name: text Default: ...`` lines of its docstring. A parameter without a ``:param`` line, a
  ``:param`` line for no parameter, a missing ``Default:`` or one that differs from the signature's is an error.
- Outputs: the public properties ThreadRunConstruct defines (the run's attributes, then the escape hatches),
  with their return annotations and docstrings.
- The gateway's settings: its options (flag, environment variable, default, help) and the settings only the
  environment gives, from ``openai_thread_run.gateway.settings`` (which imports nothing outside the stdlib).

Usage (with the venv's python)::

    python scripts/render_docs.py            # print both tables
    python scripts/render_docs.py --check    # exit 1 with a diff when README.md's tables differ
    python scripts/render_docs.py --write    # rewrite the tables in README.md between their markers
"""

from __future__ import annotations

import argparse
import ast
import difflib
import inspect
import re
import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
MARKERS = {
    "inputs": ("<!-- inputs-table:start -->", "<!-- inputs-table:end -->"),
    "outputs": ("<!-- outputs-table:start -->", "<!-- outputs-table:end -->"),
    "gateway": ("<!-- gateway-settings:start -->", "<!-- gateway-settings:end -->"),
}
REQUIRED = "required"
_PARAM_LINE = re.compile(r"^:param (?P<name>\w+):(?P<text>.*)$")
_DEFAULT = re.compile(r"\s*Default:\s*(?P<default>.+?)\.?\s*$")
_REQUIRED_MARK = re.compile(r"\s*Required\.\s*$")


class DocsError(Exception):
    """The construct's signature and docstring disagree, or something is undocumented."""


@dataclass(frozen=True)
class ParamDoc:
    """One ``:param`` entry: its description and the default it states (None when it says ``Required.``)."""

    description: str
    default: str | None


def _construct() -> type[Any]:
    sys.path.insert(0, str(REPO / "src"))
    from openai_thread_run import ThreadRunConstruct

    return ThreadRunConstruct


def parse_params(docstring: str) -> dict[str, ParamDoc]:
    """Parse the ``:param name: text`` entries of ``docstring`` (continuation lines are indented)."""
    entries: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in inspect.cleandoc(docstring).splitlines():
        line = raw.strip()
        match = _PARAM_LINE.match(line)
        if match:
            if match["name"] in entries:
                raise DocsError(f":param {match['name']} is documented twice")
            current = entries[match["name"]] = [match["text"].strip()]
        elif line.startswith(":") or not line:
            current = None
        elif current is not None and raw.startswith((" ", "\t")):
            current.append(line)
    params: dict[str, ParamDoc] = {}
    for name, parts in entries.items():
        text = " ".join(parts)
        default_at = text.rfind("Default:")
        if default_at >= 0:
            description, default = text[:default_at].strip(), _DEFAULT.match(text[default_at:])
            if default is None:  # pragma: no cover - the regex matches anything after "Default:"
                raise DocsError(f":param {name}: cannot read its Default")
            params[name] = ParamDoc(description, default["default"].strip())
        elif _REQUIRED_MARK.search(text):
            params[name] = ParamDoc(_REQUIRED_MARK.sub("", text).strip(), None)
        else:
            raise DocsError(f":param {name}: says neither 'Default: ...' nor 'Required.'")
    return params


def _literal(text: str) -> str:
    """Return the value inside a ``literal`` (RST double backquotes), or ``text`` as written."""
    match = re.fullmatch(r"``(.+)``", text)
    return match[1] if match else text


def markdown(text: str) -> str:
    """Convert RST inline markup to Markdown that is safe inside a table cell."""
    text = re.sub(r":(?:class|func|meth|attr|mod):`~?([\w.]+)`", lambda m: f"`{m[1].rsplit('.', 1)[-1]}`", text)
    text = re.sub(r"``(.+?)``", r"`\1`", text)
    return text.replace("|", "\\|")


def python_literal(value: Any) -> str:
    """Return ``value`` as Python source, strings in double quotes as the docstrings write them."""
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _code(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def _annotation(annotation: Any) -> str:
    if annotation is inspect.Parameter.empty:
        raise DocsError("an annotation is missing")
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def inputs_table(cls: type[Any]) -> str:
    """Render the inputs table: one row per keyword parameter of ``cls.__init__``, in signature order."""
    signature = inspect.signature(cls.__init__)
    params = parse_params(cls.__init__.__doc__ or "")
    keywords = [p for p in signature.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]
    undocumented = [p.name for p in keywords if p.name not in params]
    if undocumented:
        raise DocsError(f"{cls.__name__}.__init__ has no :param line for {', '.join(undocumented)}")
    unknown = sorted(set(params) - {p.name for p in keywords})
    if unknown:
        raise DocsError(f"{cls.__name__}.__init__ documents parameters it does not have: {', '.join(unknown)}")
    rows = ["| input | type | default | description |", "|---|---|---|---|"]
    for parameter in keywords:
        doc = params[parameter.name]
        required = parameter.default is inspect.Parameter.empty
        if required:
            if doc.default is not None:
                raise DocsError(f":param {parameter.name}: is required, but its docstring states a Default")
            default = REQUIRED
        else:
            if doc.default is None:
                raise DocsError(f":param {parameter.name}: has a default, but its docstring says Required")
            stated = _literal(doc.default)
            try:
                agrees = ast.literal_eval(stated) == parameter.default
            except (ValueError, SyntaxError):
                agrees = False
            if not agrees:
                raise DocsError(
                    f":param {parameter.name}: states Default {doc.default}, but the signature's default is "
                    f"{parameter.default!r}"
                )
            default = _code(python_literal(parameter.default))
        rows.append(
            f"| `{parameter.name}` | {_code(_annotation(parameter.annotation))} | {default} | "
            f"{markdown(doc.description)} |"
        )
    return "\n".join(rows)


#: Public properties that are no outputs: ``fqn`` makes the construct a dependable (``depends_on=[construct]``).
NOT_OUTPUTS = frozenset({"fqn"})


def output_properties(cls: type[Any]) -> list[tuple[str, property]]:
    """Return the public properties of ``cls`` and its bases but the frameworks' own, in definition order."""
    found: dict[str, property] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.partition(".")[0] in FRAMEWORK_PACKAGES:
            continue  # constructs.Construct, and what it derives from
        for name, member in vars(klass).items():
            if isinstance(member, property) and name[0] != "_" and name not in NOT_OUTPUTS:
                found[name] = member
    return list(found.items())


#: The packages whose classes a construct derives from, which say nothing about its outputs.
FRAMEWORK_PACKAGES = ("constructs", "cdktf", "cdktn", "typing", "builtins")


def type_arguments(cls: type[Any]) -> dict[str, str]:
    """Return the names of the type variables of ``cls``'s generic bases with the classes ``cls`` gives them."""
    found: dict[str, str] = {}
    for base in getattr(cls, "__orig_bases__", ()):
        origin = typing.get_origin(base)
        for variable, argument in zip(getattr(origin, "__parameters__", ()), typing.get_args(base), strict=False):
            found[variable.__name__] = getattr(argument, "__name__", str(argument))
    return found


def outputs_table(cls: type[Any]) -> str:
    """Render the outputs table: one row per public property of ``cls``, in definition order."""
    rows = ["| attribute | type | description |", "|---|---|---|"]
    concrete = type_arguments(cls)
    properties = output_properties(cls)
    if not properties:
        raise DocsError(f"{cls.__name__} defines no output properties")
    for name, member in properties:
        if member.fget is None or not member.fget.__doc__:
            raise DocsError(f"{cls.__name__}.{name} has no docstring")
        returns = inspect.signature(member.fget).return_annotation
        if returns is inspect.Signature.empty:
            raise DocsError(f"{cls.__name__}.{name} has no return annotation")
        summary = " ".join(inspect.cleandoc(member.fget.__doc__).split("\n\n", 1)[0].split())
        annotation = re.sub(r"\w+", lambda m: concrete.get(m[0], m[0]), _annotation(returns))
        rows.append(f"| `{name}` | {_code(annotation)} | {markdown(summary)} |")
    return "\n".join(rows)


def gateway_settings_table() -> str:
    """Return the gateway's settings table: every option with its environment variable, then the secrets."""
    sys.path.insert(0, str(REPO / "src"))
    from openai_thread_run.gateway import settings

    rows = ["| option | environment variable | default | what it sets |", "|---|---|---|---|"]
    rows += [
        f"| `{option.flag} {option.metavar}` | `{option.env}` | `{option.default}` | {markdown(option.help)} |"
        for option in settings.OPTIONS
    ]
    rows.append(
        f"| `{settings.HEADER_FLAG} NAME=VALUE` | `{settings.HEADERS_VAR}` | none | {markdown(settings.HEADER_HELP)} |"
    )
    rows += [f"| (none: a secret) | `{name}` | | {markdown(text)} |" for name, text in settings.ENVIRONMENT_ONLY]
    return "\n".join(rows)


def replace_between(text: str, start: str, end: str, body: str) -> str:
    """Return ``text`` with everything between the ``start`` and ``end`` markers replaced by ``body``."""
    if text.count(start) != 1 or text.count(end) != 1 or text.index(start) > text.index(end):
        raise DocsError(f"README must contain {start} and then {end}, once each")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    return f"{before}{start}\n{body}\n{end}{after}"


def render(readme: str, cls: type[Any] | None = None) -> str:
    """Return ``readme`` with both tables rendered from ``cls`` (default: ThreadRunConstruct)."""
    cls = cls or _construct()
    text = replace_between(readme, *MARKERS["inputs"], inputs_table(cls))
    text = replace_between(text, *MARKERS["outputs"], outputs_table(cls))
    return replace_between(text, *MARKERS["gateway"], gateway_settings_table())


def main(argv: list[str] | None = None) -> int:
    """Command line: print, ``--check`` or ``--write`` README's tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 with a diff when README's tables differ")
    mode.add_argument("--write", action="store_true", help="rewrite README's tables in place")
    parser.add_argument("--readme", type=Path, default=README, help="the README to check or write")
    args = parser.parse_args(argv)
    try:
        if not (args.check or args.write):
            cls = _construct()
            print(f"{inputs_table(cls)}\n\n{outputs_table(cls)}\n\n{gateway_settings_table()}")
            return 0
        current = args.readme.read_text()
        wanted = render(current)
    except DocsError as error:
        print(f"render_docs: {error}", file=sys.stderr)
        return 2
    if args.write:
        if wanted != current:
            args.readme.write_text(wanted)
            print(f"render_docs: updated the tables in {args.readme}")
        return 0
    if wanted != current:
        diff = difflib.unified_diff(
            current.splitlines(keepends=True),
            wanted.splitlines(keepends=True),
            fromfile=f"{args.readme} (current)",
            tofile=f"{args.readme} (rendered)",
        )
        sys.stdout.writelines(diff)
        print(f"render_docs: the tables in {args.readme} are out of date; run scripts/render_docs.py --write")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
