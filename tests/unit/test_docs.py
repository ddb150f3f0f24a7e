"""README's inputs and outputs tables are rendered from ThreadRunConstruct and cannot drift from it."""

from __future__ import annotations

import importlib.util
import inspect
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import constructs
import pytest

from openai_thread_run import ThreadRunConstruct
from openai_thread_run.waiter_sources import NO_CLIENT_NOR_PYTHON, SH_WAITER_NEEDS
from tests.construct_outputs import OUTPUTS

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "render_docs.py"
README = REPO / "README.md"
ESCAPE_HATCHES = ["run", "thread", "messages", "prompt", "rerun_trigger", "waiter", "final_run", "thread_messages"]


def load_renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["render_docs"] = module
    spec.loader.exec_module(module)
    return module


docs = load_renderer()


def table_rows(table: str) -> dict[str, list[str]]:
    """The rows of a Markdown table by their first cell (without backquotes), each as its cells."""
    rows: dict[str, list[str]] = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        rows[cells[0].strip("`")] = cells
    return rows


def readme_section(start: str, end: str) -> str:
    text = README.read_text()
    assert text.count(start) == 1 and text.count(end) == 1, f"README.md must contain {start} and {end} once"
    return text.split(start, 1)[1].split(end, 1)[0].strip()


# -- README is what the renderer makes ------------------------------------------------------------------------


def test_readme_tables_equal_the_rendered_ones() -> None:
    current = README.read_text()
    assert docs.render(current) == current, "README's tables are stale: run `python scripts/render_docs.py --write`"


def test_readme_inputs_table_lists_every_keyword_parameter_in_order() -> None:
    table = readme_section(*docs.MARKERS["inputs"])
    assert table == docs.inputs_table(ThreadRunConstruct)
    keywords = [
        p.name
        for p in inspect.signature(ThreadRunConstruct.__init__).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    ]
    assert len(keywords) == 21
    assert list(table_rows(table)) == keywords


def test_readme_outputs_table_lists_the_outputs_then_the_escape_hatches() -> None:
    table = readme_section(*docs.MARKERS["outputs"])
    assert table == docs.outputs_table(ThreadRunConstruct)
    rows = table_rows(table)
    assert list(rows) == [*OUTPUTS, *ESCAPE_HATCHES]
    assert rows["usage"][1] == "`NumberMap`"
    assert rows["thread"][1] == r"`OpenaiThread \| None`", "the generic body's type variables, as the cdktf classes"
    assert rows["final_run"][1] == r"`DataOpenaiRun \| None`"


# -- the single source of truth is complete ------------------------------------------------------------------


def test_every_parameter_has_a_param_line_with_a_default_unless_required() -> None:
    # Read independently of the renderer: the docstring's own ":param name:" entries.
    docstring = inspect.cleandoc(ThreadRunConstruct.__init__.__doc__ or "")
    entries = dict(re.findall(r"^:param (\w+):(.*?)(?=^:|\Z)", docstring, re.MULTILINE | re.DOTALL))
    signature = inspect.signature(ThreadRunConstruct.__init__)
    for parameter in signature.parameters.values():
        if parameter.name in ("self", "scope", "id"):
            continue
        assert parameter.name in entries, f"{parameter.name} has no :param line"
        text = " ".join(entries[parameter.name].split())
        if parameter.default is inspect.Parameter.empty:
            assert text.endswith("Required."), f"{parameter.name} is required; its :param line must say so"
        else:
            assert "Default:" in text, f"{parameter.name} has a default; its :param line must state it"
    assert set(entries) <= set(signature.parameters)


def test_stated_defaults_equal_the_signature_defaults() -> None:
    params = docs.parse_params(ThreadRunConstruct.__init__.__doc__)
    rows = table_rows(docs.inputs_table(ThreadRunConstruct))
    for parameter in inspect.signature(ThreadRunConstruct.__init__).parameters.values():
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if parameter.default is inspect.Parameter.empty:
            assert params[parameter.name].default is None
            assert rows[parameter.name][2] == "required"
        else:
            assert rows[parameter.name][2] == f"`{docs.python_literal(parameter.default)}`"


def test_every_output_property_has_a_docstring_and_a_return_annotation() -> None:
    properties = docs.output_properties(ThreadRunConstruct)
    assert [name for name, _ in properties] == [*OUTPUTS, *ESCAPE_HATCHES]
    for name, member in properties:
        assert member.fget is not None and member.fget.__doc__, name
        assert inspect.signature(member.fget).return_annotation is not inspect.Signature.empty, name


# -- the renderer catches drift --------------------------------------------------------------------------------


class Documented(constructs.Construct):
    """A stand-in construct whose signature and docstring the tests vary."""

    def __init__(self, scope: constructs.Construct, id: str, *, name: str, size: int = 3, tags: Any = None) -> None:
        """Make one.

        :param name: what it is called. Required.
        :param size: how big, at least 1. Default: ``3``.
        :param tags: labels. Default: ``None``.
        """

    @property
    def id(self) -> str:
        """Token: the id."""
        return ""

    @property
    def things(self) -> Mapping[str, int]:
        """Token: the things.

        More words that are not in the table.
        """
        return {}


def variant(doc: str | None = None, **members: Any) -> type[Any]:
    """A subclass of :class:`Documented` with another ``__init__`` docstring and/or extra members."""
    namespace: dict[str, Any] = dict(members)
    if doc is not None:

        def __init__(
            self: Any, scope: constructs.Construct, id: str, *, name: str, size: int = 3, tags: Any = None
        ) -> None:
            pass

        __init__.__doc__ = doc
        namespace["__init__"] = __init__
    return type("Variant", (Documented,), namespace)


def test_the_stand_in_renders() -> None:
    inputs = docs.inputs_table(Documented)
    assert table_rows(inputs) == {
        "name": ["`name`", "`str`", "required", "what it is called."],
        "size": ["`size`", "`int`", "`3`", "how big, at least 1."],
        "tags": ["`tags`", "`Any`", "`None`", "labels."],
    }
    assert table_rows(docs.outputs_table(Documented)) == {
        "id": ["`id`", "`str`", "Token: the id."],
        "things": ["`things`", "`Mapping[str, int]`", "Token: the things."],
    }


def test_a_changed_description_changes_the_table() -> None:
    doc = (Documented.__init__.__doc__ or "").replace("how big, at least 1.", "how big, at least 2.")
    before, after = docs.inputs_table(Documented), docs.inputs_table(variant(doc))
    assert before != after
    assert "at least 2" in after


def test_a_readme_with_a_stale_table_renders_differently() -> None:
    current = README.read_text()
    start, end = docs.MARKERS["inputs"]
    stale = docs.replace_between(current, start, end, docs.inputs_table(Documented))
    assert docs.render(stale) == current
    assert docs.render(stale) != stale


def test_an_undocumented_input_is_an_error() -> None:
    def __init__(self: Any, scope: Any, id: str, *, name: str, size: int = 3, tags: Any = None, new: int = 0) -> None:
        pass

    __init__.__doc__ = Documented.__init__.__doc__
    with pytest.raises(docs.DocsError, match="no :param line for new"):
        docs.inputs_table(type("Undocumented", (Documented,), {"__init__": __init__}))


def test_a_param_line_for_a_parameter_that_does_not_exist_is_an_error() -> None:
    doc = (Documented.__init__.__doc__ or "") + "    :param gone: removed long ago. Default: ``1``.\n"
    with pytest.raises(docs.DocsError, match="does not have: gone"):
        docs.inputs_table(variant(doc))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Default: ``3``", "Default: ``4``", "states Default ``4``, but the signature's default is 3"),
        ("Default: ``3``.", "", "says neither"),
        ("Default: ``3``", "Required", "has a default, but its docstring says Required"),
        ("Required.", "Default: ``None``.", "is required, but its docstring states a Default"),
    ],
)
def test_a_wrong_or_missing_default_is_an_error(old: str, new: str, message: str) -> None:
    doc = (Documented.__init__.__doc__ or "").replace(old, new, 1)
    assert doc != Documented.__init__.__doc__
    with pytest.raises(docs.DocsError, match=re.escape(message)):
        docs.inputs_table(variant(doc))


def test_a_new_output_property_appears_and_an_undocumented_one_is_an_error() -> None:
    def extra(self: Any) -> float:
        """Token: a new attribute."""
        return 0.0

    def bare(self: Any) -> float:
        return 0.0

    def unannotated(self: Any):  # type: ignore[no-untyped-def]
        """Token: no annotation."""

    assert "| `extra` | `float` | Token: a new attribute. |" in docs.outputs_table(variant(extra=property(extra)))
    with pytest.raises(docs.DocsError, match="has no docstring"):
        docs.outputs_table(variant(bare=property(bare)))
    with pytest.raises(docs.DocsError, match="has no return annotation"):
        docs.outputs_table(variant(unannotated=property(unannotated)))


def test_pipes_in_types_and_text_are_escaped_for_markdown() -> None:
    assert docs.markdown("a | b ``c | d``") == r"a \| b `c \| d`"
    assert docs.markdown(":class:`~openai_thread_run.ValidationError`") == "`ValidationError`"


# -- the command line --------------------------------------------------------------------------------------------


def run_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False, cwd=REPO)


def test_check_passes_on_the_repository_readme() -> None:
    result = run_script("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_fails_with_a_diff_and_write_repairs_a_stale_copy(tmp_path: Path) -> None:
    copy = tmp_path / "README.md"
    start, end = docs.MARKERS["outputs"]
    copy.write_text(docs.replace_between(README.read_text(), start, end, "| attribute | type | description |"))

    check = run_script("--check", "--readme", str(copy))
    assert check.returncode == 1
    assert "+| `usage` | `NumberMap` |" in check.stdout
    assert "--write" in check.stdout

    write = run_script("--write", "--readme", str(copy))
    assert write.returncode == 0, write.stderr
    assert copy.read_text() == README.read_text()
    assert run_script("--check", "--readme", str(copy)).returncode == 0


def test_missing_markers_are_reported(tmp_path: Path) -> None:
    copy = tmp_path / "README.md"
    copy.write_text("# no tables here\n")
    result = run_script("--check", "--readme", str(copy))
    assert result.returncode == 2
    assert "inputs-table:start" in result.stderr


def test_readme_quotes_the_message_of_nothing_to_wait_with_and_names_what_the_sh_waiter_needs() -> None:
    readme = " ".join(README.read_text().split())
    assert NO_CLIENT_NOR_PYTHON in readme, "README's 'Where terraform apply runs' quotes the message word for word"
    for needed in SH_WAITER_NEEDS:
        assert f"`{needed}`" in readme, needed
