"""Types as users' tools see them: mypy --strict and pyright (strict) over the user code in tests/typing/.

- ``correct_usage.py`` must type-check clean (every binding typed as itself, setters, typed outputs, cdktn);
- ``mistakes.py``: every mistake is reported by both tools exactly as its ``# expect:`` comment says, and
  nothing else is;
- ``reveal.py``: ``reveal_type`` shows each class (pyright's ``information: Type of ... is "OpenaiThread"``).

The checkers run from the interpreter in ``OTR_TYPECHECK_PYTHON`` (default: this one), which needs mypy,
pyright, cdktf and cdktn (every venv of scripts/test.sh). Without them the tests skip, saying so; under
``CI=true`` they fail.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[2]
TYPING = ROOT / "tests" / "typing"
CORRECT = TYPING / "correct_usage.py"
MISTAKES = TYPING / "mistakes.py"
REVEAL = TYPING / "reveal.py"
FILES = (CORRECT, MISTAKES, REVEAL)

#: ``# expect: mypy[arg-type] pyright[reportArgumentType]`` before the line that must cause those errors.
EXPECT = re.compile(r"^\s*# expect: (?P<items>.+)$")
EXPECT_ITEM = re.compile(r"(?P<tool>mypy|pyright)\[(?P<rule>[\w-]+)\]")
#: ``# reveals: openai_thread_run.cdktn.OpenaiThread`` before a ``reveal_type(...)`` line.
REVEALS = re.compile(r"^\s*# reveals: (?P<type>.+)$")
#: One mypy diagnostic: ``tests/typing/mistakes.py:12: error: Message  [code]`` (or a note).
MYPY_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+): (?P<severity>error|note): (?P<message>.*?)(?:  \[(?P<rule>[\w-]+)\])?$"
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding of a type checker: where, how severe, which rule (mypy's error code), and what it says."""

    tool: str
    file: str
    line: int
    severity: str
    rule: str
    message: str = ""

    def key(self) -> tuple[str, str, int, str]:
        return (self.tool, self.file, self.line, self.rule)


def marked_lines(path: Path, marker: re.Pattern[str]) -> Iterator[tuple[int, re.Match[str]]]:
    """Yield ``(line number of the statement, match)`` for each marker comment: it applies to the next line."""
    lines = path.read_text().splitlines()
    for index, text in enumerate(lines):
        found = marker.match(text)
        if found:
            assert index + 1 < len(lines) and lines[index + 1].strip(), f"{path.name}:{index + 1}: nothing to mark"
            yield index + 2, found


def expected_errors() -> list[Diagnostic]:
    expected = [
        Diagnostic(item["tool"], MISTAKES.name, line, "error", item["rule"])
        for line, found in marked_lines(MISTAKES, EXPECT)
        for item in EXPECT_ITEM.finditer(found["items"])
    ]
    assert expected, "mistakes.py has no # expect: comments"
    return expected


def expected_reveals() -> list[tuple[int, str]]:
    return [(line, found["type"].strip()) for line, found in marked_lines(REVEAL, REVEALS)]


# -- running the checkers --------------------------------------------------------------------------------------


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"type checks cannot run under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def checker_python() -> str:
    """The interpreter that has mypy, pyright, cdktf and cdktn (``OTR_TYPECHECK_PYTHON``, else this one)."""
    python = os.environ.get("OTR_TYPECHECK_PYTHON", sys.executable)
    probe = subprocess.run(
        [python, "-c", "import cdktf, cdktn, mypy, pyright"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        missing = probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else f"{python} did not run"
        _unavailable(
            f"{python} cannot run the type checks ({missing}); set OTR_TYPECHECK_PYTHON to an interpreter with "
            "mypy, pyright, cdktf and cdktn, e.g. .venv/bin/python after scripts/test.sh"
        )
    return python


@pytest.fixture(scope="module")
def mypy_diagnostics(checker_python: str) -> list[Diagnostic]:
    """mypy --strict (the project's configuration) over the three files, passed explicitly."""
    result = subprocess.run(
        [
            checker_python,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--show-error-codes",
            "--no-error-summary",
            "--no-color-output",
            "--no-pretty",
            *(str(path.relative_to(ROOT)) for path in FILES),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    found: list[Diagnostic] = []
    for text in result.stdout.splitlines():
        parsed = MYPY_LINE.match(text)
        assert parsed, f"unexpected mypy output line: {text!r}\n{result.stdout}{result.stderr}"
        found.append(
            Diagnostic(
                "mypy",
                Path(parsed["file"]).name,
                int(parsed["line"]),
                parsed["severity"],
                parsed["rule"] or "",
                parsed["message"],
            )
        )
    assert result.returncode in (0, 1), f"mypy crashed:\n{result.stdout}{result.stderr}"
    return found


@pytest.fixture(scope="module")
def pyright_diagnostics(checker_python: str, tmp_path_factory: pytest.TempPathFactory) -> list[Diagnostic]:
    """pyright over the three files, with a configuration that extends the project's ``[tool.pyright]``.

    The project's configuration excludes mistakes.py and reveal.py (its plain runs must stay clean), and pyright
    skips excluded files even when they are named on the command line; so this one includes them.
    """
    config_dir = tmp_path_factory.mktemp("pyright")
    relative = Path(os.path.relpath(ROOT, config_dir))
    config = {
        "extends": str(relative / "pyproject.toml"),
        "include": [str(relative / path.relative_to(ROOT)) for path in FILES],
        "exclude": [],
    }
    (config_dir / "pyrightconfig.json").write_text(json.dumps(config))
    result = subprocess.run(
        [
            checker_python,
            "-m",
            "pyright",
            "--outputjson",
            "--pythonpath",
            checker_python,
            "--project",
            str(config_dir / "pyrightconfig.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"pyright did not report JSON:\n{result.stdout}{result.stderr}")
    assert report["summary"]["filesAnalyzed"] == len(FILES), report["summary"]
    return [
        Diagnostic(
            "pyright",
            Path(item["file"]).name,
            item["range"]["start"]["line"] + 1,
            item["severity"],
            item.get("rule", ""),
            item["message"],
        )
        for item in report["generalDiagnostics"]
    ]


@pytest.fixture(scope="module")
def diagnostics(mypy_diagnostics: list[Diagnostic], pyright_diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return mypy_diagnostics + pyright_diagnostics


def _show(found: list[Diagnostic]) -> str:
    return "\n".join(f"  {d.tool} {d.file}:{d.line} {d.severity} [{d.rule}] {d.message}" for d in sorted(found))


# -- correct code ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", ["mypy", "pyright"])
def test_correct_usage_type_checks_clean(diagnostics: list[Diagnostic], tool: str) -> None:
    found = [d for d in diagnostics if d.tool == tool and d.file == CORRECT.name]
    assert found == [], f"{tool} reports on correct code:\n{_show(found)}"


# -- mistakes ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("expected", expected_errors(), ids=lambda e: f"{e.tool}-line{e.line}-{e.rule}")
def test_each_mistake_is_reported(diagnostics: list[Diagnostic], expected: Diagnostic) -> None:
    at_line = [
        d for d in diagnostics if d.tool == expected.tool and d.file == MISTAKES.name and d.line == expected.line
    ]
    assert expected.key() in {d.key() for d in at_line if d.severity == "error"}, (
        f"{expected.tool} does not report [{expected.rule}] at {MISTAKES.name}:{expected.line}; it reports:\n"
        + (_show(at_line) or "  nothing")
    )


@pytest.mark.parametrize("tool", ["mypy", "pyright"])
def test_mistakes_cause_no_other_error(diagnostics: list[Diagnostic], tool: str) -> None:
    expected = {e.key() for e in expected_errors() if e.tool == tool}
    unexpected = [
        d
        for d in diagnostics
        if d.tool == tool and d.file == MISTAKES.name and d.severity == "error" and d.key() not in expected
    ]
    assert unexpected == [], f"{tool} reports errors no # expect: comment names:\n{_show(unexpected)}"


def test_every_line_after_the_setup_of_mistakes_is_a_marked_mistake() -> None:
    """A mistake without its comment would go unchecked: after the first one, every code line must be marked."""
    lines = MISTAKES.read_text().splitlines()
    marked = {line for line, _ in marked_lines(MISTAKES, EXPECT)}
    unmarked = [
        f"{number}: {text}"
        for number, text in enumerate(lines, start=1)
        if number > min(marked) and text.strip() and not text.lstrip().startswith("#") and number not in marked
    ]
    assert unmarked == []


# -- revealed types ----------------------------------------------------------------------------------------------


def _short(type_text: str) -> str:
    """``openai_thread_run.cdktn.OpenaiThread | None`` as pyright writes it: ``OpenaiThread | None``."""
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", type_text)


@pytest.mark.parametrize(("line", "revealed"), expected_reveals())
def test_pyright_reveals_each_type(pyright_diagnostics: list[Diagnostic], line: int, revealed: str) -> None:
    messages = [
        d.message
        for d in pyright_diagnostics
        if d.file == REVEAL.name and d.line == line and d.severity == "information"
    ]
    assert len(messages) == 1, messages
    assert messages[0].startswith("Type of ") and messages[0].endswith(f' is "{_short(revealed)}"'), messages[0]


@pytest.mark.parametrize(("line", "revealed"), expected_reveals())
def test_mypy_reveals_each_type(mypy_diagnostics: list[Diagnostic], line: int, revealed: str) -> None:
    messages = [d.message for d in mypy_diagnostics if d.file == REVEAL.name and d.line == line]
    assert messages == [f'Revealed type is "{revealed}"']


def test_reveal_type_of_a_binding_is_the_binding_in_pyright(pyright_diagnostics: list[Diagnostic]) -> None:
    """The report of the issue, verbatim: ``reveal_type(OpenaiThread(stack, "t"))`` was ``Any`` in pyright."""
    assert any(
        d.severity == "information" and d.message == 'Type of "OpenaiThread(stack, "t")" is "OpenaiThread"'
        for d in pyright_diagnostics
    ), _show([d for d in pyright_diagnostics if d.file == REVEAL.name])


def test_reveal_file_has_no_errors(diagnostics: list[Diagnostic]) -> None:
    errors = [d for d in diagnostics if d.file == REVEAL.name and d.severity == "error"]
    assert errors == [], _show(errors)
