"""go_json.canonical writes exactly what Go's encoding/json writes back (what provider 1.2.0 stores).

The reference is real Go: a tiny program, built once with ``go build`` into the user cache (never the repo),
reads one JSON document per line, ``json.Unmarshal``s it into ``interface{}`` and prints ``json.Marshal`` of it,
as the provider does with a function's ``parameters``. Every generated value must come out of
:func:`canonical` byte for byte the same. Without ``go`` the comparison skips, saying so; under ``CI=true`` it
fails.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NoReturn

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openai_thread_run.go_json import MAX_EXACT_INTEGER, canonical, go_float, go_string

GO_PROGRAM = """\
package main

import (
	"bufio"
	"encoding/json"
	"os"
)

// One JSON document per input line; for each, one output line: what encoding/json writes back after
// decoding it into interface{} (as provider mkdev-me/openai normalizes a function's parameters), or
// "ERROR <message>".
func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	for in.Scan() {
		var value interface{}
		if err := json.Unmarshal(in.Bytes(), &value); err != nil {
			out.WriteString("ERROR " + err.Error() + "\\n")
		} else if encoded, err := json.Marshal(value); err != nil {
			out.WriteString("ERROR " + err.Error() + "\\n")
		} else {
			out.Write(encoded)
			out.WriteString("\\n")
		}
		out.Flush()
	}
}
"""
CACHE = Path(os.environ.get("OTR_CACHE", Path.home() / ".cache" / "openai-thread-run"))


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the Go reference cannot run under CI=true: {reason}")
    pytest.skip(reason)


def _build(go: str) -> Path:
    """Build the Go program into the cache (once per source version); return the binary."""
    digest = hashlib.sha256(GO_PROGRAM.encode()).hexdigest()[:16]
    directory = CACHE / "go-json" / digest
    binary = directory / "go-json-roundtrip"
    if binary.exists():
        return binary
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.go").write_text(GO_PROGRAM)
    partial = directory / f"go-json-roundtrip.{os.getpid()}.partial"
    environment = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-buildvcs=false", "GO111MODULE": "off"}
    result = subprocess.run(
        [go, "build", "-o", str(partial), "main.go"],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"go build failed:\n{result.stdout}{result.stderr}")
    partial.replace(binary)  # atomic: a parallel run sees the whole binary or none
    return binary


class GoJson:
    """The running Go program: one document in, its Go re-encoding out."""

    def __init__(self, binary: Path) -> None:
        self.process = subprocess.Popen(
            [str(binary)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )

    def _pipes(self) -> tuple[IO[str], IO[str]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        return self.process.stdin, self.process.stdout

    def roundtrip_many(self, values: list[Any]) -> list[str]:
        """Return Go's re-encoding of each value (sent as Python's JSON, ASCII-only: one line each)."""
        stdin, stdout = self._pipes()
        results: list[str] = []
        for value in values:
            stdin.write(json.dumps(value, ensure_ascii=True, allow_nan=False) + "\n")
            stdin.flush()
            line = stdout.readline()
            assert line.endswith("\n"), f"the Go program stopped (exit code {self.process.poll()})"
            assert not line.startswith("ERROR "), f"Go could not round-trip {value!r}: {line}"
            results.append(line[:-1])
        return results

    def roundtrip(self, value: Any) -> str:
        return self.roundtrip_many([value])[0]

    def close(self) -> None:
        stdin, _ = self._pipes()
        stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def go_json() -> Iterator[GoJson]:
    go = shutil.which("go")
    if go is None:
        _unavailable("go is not on PATH: canonical() cannot be compared with Go's encoding/json")
    program = GoJson(_build(go))
    yield program
    program.close()


# -- generated values ---------------------------------------------------------------------------------------------

#: Characters that Go escapes or that sort differently as UTF-16 and UTF-8, mixed into generated text.
SPECIAL_TEXT = ["<", ">", "&", "\u2028", "\u2029", "\x00", "\x1f", "\x7f", '"', "\\", "/", "\ufeff", "\U0001f600", "é"]
TEXT = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(SPECIAL_TEXT)), max_size=12)
FLOATS = st.floats(allow_nan=False, allow_infinity=False)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-MAX_EXACT_INTEGER, max_value=MAX_EXACT_INTEGER),
    FLOATS,
    st.sampled_from([0.0, -0.0, 1e-7, 1e-6, 9.99e-7, 1e20, 1e21, 123456789e12, 5e-324, 1.7976931348623157e308]),
    TEXT,
)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(TEXT, children, max_size=4)),
    max_leaves=20,
)


def seeded_values(count: int, seed: int = 20240601) -> list[Any]:
    """``count`` nested values from a fixed seed: objects, lists, unicode, floats across every magnitude."""
    rng = random.Random(seed)

    def number() -> float | int:
        choice = rng.randrange(5)
        if choice == 0:
            return rng.randint(-MAX_EXACT_INTEGER, MAX_EXACT_INTEGER)
        if choice == 1:
            return rng.randint(-1000, 1000)
        if choice == 2:
            return float(rng.randint(-(10**6), 10**6))  # 1.0 is written as 1
        mantissa = rng.uniform(1, 10) * rng.choice((1, -1))
        return float(mantissa * 10.0 ** rng.randint(-30, 30))

    def text() -> str:
        pool = [chr(rng.randrange(0x20, 0x7F)) for _ in range(4)] + [
            rng.choice(SPECIAL_TEXT),
            chr(rng.randrange(0x80, 0xD800)),
            chr(rng.randrange(0xE000, 0x110000)),
            chr(rng.randrange(0, 0x20)),
        ]
        return "".join(rng.choice(pool) for _ in range(rng.randrange(0, 8)))

    def value(depth: int) -> Any:
        kind = rng.randrange(8 if depth < 4 else 5)
        if kind == 0:
            return rng.choice([None, True, False])
        if kind in (1, 2):
            return number()
        if kind in (3, 4):
            return text()
        if kind in (5, 6):
            return {text(): value(depth + 1) for _ in range(rng.randrange(0, 5))}
        return [value(depth + 1) for _ in range(rng.randrange(0, 5))]

    return [value(0) for _ in range(count)]


# -- against Go ---------------------------------------------------------------------------------------------------


def test_the_reference_is_real_go_encoding(go_json: GoJson) -> None:
    """Guards the comparison itself: Go sorts keys, escapes HTML characters and writes 1.0 as 1."""
    assert go_json.roundtrip({"b": 1.0, "a": "<&>\u2028"}) == '{"a":"\\u003c\\u0026\\u003e\\u2028","b":1}'


def test_canonical_equals_go_on_seeded_values(go_json: GoJson) -> None:
    values = seeded_values(3000)
    expected = go_json.roundtrip_many(values)
    mismatches = [(value, want, canonical(value)) for value, want in zip(values, expected, strict=True)]
    mismatches = [entry for entry in mismatches if entry[1] != entry[2]]
    assert mismatches == [], "\n".join(f"{v!r}: go {g} != ours {o}" for v, g, o in mismatches[:5])


@given(JSON_VALUES)
def test_canonical_equals_go_on_generated_values(go_json: GoJson, value: Any) -> None:
    assert canonical(value) == go_json.roundtrip(value)


@pytest.mark.parametrize(
    "number",
    [
        0.0,
        -0.0,
        1.0,
        -1.5,
        0.1,
        1e-7,
        -1e-7,
        1e-6,
        9.999999e-7,
        123456.789,
        1e20,
        1e21,
        -1e21,
        1.5e300,
        5e-324,
        2.2250738585072014e-308,
        1.7976931348623157e308,
        float(2**53),
        2**53,
        -(2**53),
        0.30000000000000004,
        100,
        12345678901234567890.0,
    ],
)
def test_canonical_numbers_equal_go(go_json: GoJson, number: float) -> None:
    assert canonical(number) == go_json.roundtrip(number)
    assert canonical({"n": [number]}) == go_json.roundtrip({"n": [number]})


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        "<script>&</script>",
        "\u2028\u2029",
        "\x00\x01\x1f\x7f",
        'quote " backslash \\ slash /',
        "\U0001f600",
    ],
)
def test_canonical_strings_equal_go(go_json: GoJson, text: str) -> None:
    assert canonical(text) == go_json.roundtrip(text)
    assert canonical({text: text}) == go_json.roundtrip({text: text})


def test_keys_sort_by_code_point_as_go_sorts_utf8_bytes(go_json: GoJson) -> None:
    """UTF-16 order (JavaScript's) would put U+1F600 before U+FFFD; Go and Python put it after."""
    value = {"\U0001f600": 1, "\ufffd": 2, "z": 3, "é": 4, "Z": 5, "": 6}
    assert canonical(value) == go_json.roundtrip(value)
    assert list(json.loads(canonical(value))) == ["", "Z", "z", "é", "\ufffd", "\U0001f600"]


# -- what canonical refuses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [2**53 + 1, -(2**53) - 1, 2**64, 10**30])
def test_integers_beyond_2_53_raise_value_error(number: int) -> None:
    with pytest.raises(ValueError, match=r"beyond 2\*\*53"):
        canonical(number)
    with pytest.raises(ValueError, match=r"beyond 2\*\*53"):
        canonical({"nested": [number]})


def test_the_largest_exact_integers_are_accepted() -> None:
    assert canonical(2**53) == "9007199254740992"
    assert canonical(-(2**53)) == "-9007199254740992"


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_nan_and_infinities_raise_value_error(number: float) -> None:
    with pytest.raises(ValueError, match="no JSON encoding"):
        canonical(number)
    with pytest.raises(ValueError, match="no JSON encoding"):
        canonical([1, {"x": number}])


def test_non_json_values_raise_type_error() -> None:
    with pytest.raises(TypeError, match="set is not a JSON value"):
        canonical({"x": {1, 2}})


# -- the pieces, pinned (these run without Go) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "written"),
    [(1.0, "1"), (-0.0, "-0"), (1e-7, "1e-7"), (1e-6, "0.000001"), (1e21, "1e+21"), (1e20, "100000000000000000000")],
)
def test_go_float_forms(number: float, written: str) -> None:
    assert go_float(number) == written


def test_go_string_escapes_html_and_line_separators_but_not_other_unicode() -> None:
    assert go_string("<>&\u2028\u2029é\U0001f600\x01\n") == '"\\u003c\\u003e\\u0026\\u2028\\u2029é\U0001f600\\u0001\\n"'


def test_canonical_is_compact_and_sorted() -> None:
    assert canonical({"b": [1, 2.5, None], "a": {"d": True, "c": "x"}}) == '{"a":{"c":"x","d":true},"b":[1,2.5,null]}'
