"""The API reference (scripts/build_api_docs.py) builds from the docstrings, and refuses to build with gaps."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_api_docs", REPO / "scripts" / "build_api_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_api_docs"] = module
    spec.loader.exec_module(module)
    return module


api_docs = load_builder()

#: A stand-in package with one of each gap the builder must report, and what it must adopt.
STAND_IN = {
    "__init__.py": '''
        """A stand-in package."""

        from ._body import Alias, Plain, Shaped, Widget, undocumented_function

        __all__ = ["Alias", "Plain", "Shaped", "Widget", "undocumented_function"]
    ''',
    "_body.py": '''
        """Private implementation."""

        from typing import Protocol


        class _Body:
            """Shared by the public classes, and not exported itself."""

            def __init__(self, *, size: int) -> None:
                """Make one.

                :param size: how big.
                """

            @property
            def area(self) -> int:
                """The area of the widget."""
                return 0

            @property
            def colourless(self) -> int:
                return 0


        class Widget(_Body):
            """A widget."""


        class Plain:
            """A plain thing."""

            def __init__(self, colour: str) -> None:
                self.colour = colour


        class Shaped(Protocol):
            """Anything with an area; a protocol is never constructed."""

            def area(self) -> int:
                """The area."""
                ...


        def undocumented_function() -> None:
            pass


        Alias = int | str
        """An alias, documented where it is defined."""
    ''',
}


@pytest.fixture
def stand_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    package = tmp_path / "docs_stand_in"
    package.mkdir()
    for name, source in STAND_IN.items():
        (package / name).write_text(textwrap.dedent(source).lstrip())
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "docs_stand_in"
    for name in [name for name in sys.modules if name.startswith("docs_stand_in")]:
        del sys.modules[name]


def test_every_gap_is_reported_one_per_line_and_nothing_is_written(stand_in: str, tmp_path: Path) -> None:
    problems = api_docs.build(tmp_path / "out", package=stand_in)
    assert sorted(problems) == [
        "docs_stand_in.Plain.colour: attribute neither has a docstring nor is named in the class docstring",
        "docs_stand_in.Plain: constructor parameter 'colour' is not documented",
        "docs_stand_in.Widget.colourless: property without a docstring",
        "docs_stand_in.undocumented_function: no docstring",
    ]
    assert not (tmp_path / "out").exists()


def test_inherited_members_and_alias_docstrings_are_adopted(stand_in: str) -> None:
    module = api_docs.document(stand_in)
    widget = module.members["Widget"]
    own = {member.name: member for member in widget.own_members}
    assert {"__init__", "area", "colourless"} <= set(own)
    assert own["area"].docstring == "The area of the widget."
    assert module.members["Alias"].docstring == "An alias, documented where it is defined."


def test_the_package_reference_builds_without_gaps(tmp_path: Path) -> None:
    assert api_docs.build(tmp_path) == []
    page = (tmp_path / "openai_thread_run.html").read_text()
    for shown in ("ThreadRunConstruct", "assistant_id", "rerun_trigger_resource", "ValidationError", "Problem"):
        assert shown in page, shown
    # adopted from the bindings' shared bodies and the submodules that define the aliases
    assert 'id="OpenaiThreadRun.__init__"' in page
    assert 'id="OpenaiThreadRun.thread_id"' in page
    assert "A message: a" in page
    assert (tmp_path / "index.html").is_file() and (tmp_path / "search.js").is_file()


def test_the_command_line_exits_1_and_lists_the_problems(
    stand_in: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert api_docs.main(["--package", stand_in, "--output", str(tmp_path / "out")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert "build_api_docs: docs_stand_in.undocumented_function: no docstring" in lines
    assert lines[-1] == "build_api_docs: 4 problem(s); nothing written"
