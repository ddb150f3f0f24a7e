"""Every ```python block of README.md runs, as written, and synthesizes JSON that matches the provider's schema.

A block may assume names an earlier block defined (``stack``, ``assistant``, ...). What each block assumes is
its *preamble* in ``PREAMBLES`` below, keyed by the heading above the block (``"Heading #2"`` for a second block
under the same heading). A block runs as ``preamble + block + app.synth()`` in a fresh Python process whose
working directory is an empty temporary folder, so ``App()`` writes ``cdktf.out/`` there.

A new block without a preamble, or a preamble whose block is gone, fails with the line to add or remove.
Blocks that import ``cdktn`` run in the CDK Terrain venv (scripts/test.sh); elsewhere they are skipped.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import tool_settings
from tests.provider_schema import assert_matches_provider_schema

pytestmark = pytest.mark.readme

README = Path(__file__).resolve().parents[2] / "README.md"
THIS = "tests/unit/test_readme.py"

#: A stack with a provider and an assistant, as "A new thread" sets up: what the later usage blocks build on.
STACK_WITH_ASSISTANT = """\
from cdktf import App, TerraformStack
from openai_thread_run import OpenaiAssistant, OpenaiProvider, OpenaiThread, ThreadRunConstruct

app = App()
stack = TerraformStack(app, "readme")
OpenaiProvider(stack, "openai", api_url="https://assistants.example.internal/v1")
assistant = OpenaiAssistant(stack, "assistant", model="gpt-4o")
"""

#: What each README block assumes, by the heading above it. A whole app (its own imports, App and synth) needs "".
PREAMBLES: dict[str, str] = {
    "A new thread": "",
    "An existing thread": STACK_WITH_ASSISTANT,
    "Waiting for the run": STACK_WITH_ASSISTANT,
    "Starting a new run on purpose: `rerun_triggers`": STACK_WITH_ASSISTANT,
    "Another provider configuration: `provider=`": STACK_WITH_ASSISTANT,
    "Depending on a run": STACK_WITH_ASSISTANT,
    "CDK Terrain (`cdktn`)": "",
    "Text and expressions": STACK_WITH_ASSISTANT,
    "The bindings": STACK_WITH_ASSISTANT,
    "Testing your stack": STACK_WITH_ASSISTANT,
    "Many runs: a Python loop, or `Fn.element`": STACK_WITH_ASSISTANT,
    "Chaining runs": STACK_WITH_ASSISTANT,
    "Several runs on one thread": STACK_WITH_ASSISTANT,
    "Moving addresses: `moved` blocks": STACK_WITH_ASSISTANT,
    "Testing: escaped text, and `to_be_valid_terraform` offline": STACK_WITH_ASSISTANT,
}

#: Blocks that run Terraform: cdktf checks its version at synth for moved blocks; to_be_valid_terraform runs it.
#: They get the built Terraform and its provider mirror (offline), as the README tells users to set them up.
NEEDS_TERRAFORM = frozenset(
    {"Moving addresses: `moved` blocks", "Testing: escaped text, and `to_be_valid_terraform` offline"}
)

#: Appended to every block: blocks that are a whole app synthesize again, which is harmless.
SYNTH = "\napp.synth()\n"
CDKTN_IMPORT = re.compile(r"^\s*(from|import) cdktn\b", re.MULTILINE)
CDKTN_MISSING = importlib.util.find_spec("cdktn") is None


def python_blocks(markdown: str) -> dict[str, str]:
    """Return the ```python blocks of ``markdown`` by the heading above them (``"Heading #2"`` for a second one)."""
    blocks: dict[str, str] = {}
    heading, fence, block = "(before any heading)", "", list[str]()
    for line in markdown.splitlines():
        if fence and line.strip() == "```":
            if fence == "```python":
                key, number = heading, 2
                while key in blocks:
                    key, number = f"{heading} #{number}", number + 1
                blocks[key] = textwrap.dedent("\n".join(block)) + "\n"
            fence, block = "", []
        elif fence:
            block.append(line)
        elif line.strip().startswith("```"):
            fence = line.strip()
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
    assert not fence, f"README.md: the {fence} block under {heading!r} is never closed"
    return blocks


BLOCKS = python_blocks(README.read_text())


def missing_preamble_message(keys: list[str]) -> str:
    lines = "\n".join(f'    "{key}": "",  # or STACK_WITH_ASSISTANT, or what the block assumes' for key in keys)
    return (
        f"README.md has Python blocks without a preamble; add to PREAMBLES in {THIS}:\n{lines}\n"
        '("" when the block is a whole app with its own imports, App() and app.synth())'
    )


def test_every_block_has_a_preamble() -> None:
    missing = [key for key in BLOCKS if key not in PREAMBLES]
    assert not missing, missing_preamble_message(missing)


def test_every_preamble_has_a_block() -> None:
    stale = [key for key in PREAMBLES if key not in BLOCKS]
    assert not stale, (
        f"PREAMBLES in {THIS} has entries for blocks README.md no longer has; remove: {stale} "
        f"(README's blocks are under: {list(BLOCKS)})"
    )


def test_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 2, BLOCKS


def test_blocks_are_keyed_by_the_heading_above_them() -> None:
    markdown = "# A\n```python\nx = 1\n```\n## B\n```bash\n# not a heading\n```\n```python\ny = 2\n```\n"
    markdown += "  ```python\n  z = 3\n  ```\n"
    assert python_blocks(markdown) == {"A": "x = 1\n", "B": "y = 2\n", "B #2": "z = 3\n"}


def test_a_missing_preamble_says_what_to_add() -> None:
    assert '    "Rotating keys": "",  # or STACK_WITH_ASSISTANT' in missing_preamble_message(["Rotating keys"])


def offline_terraform() -> dict[str, str] | str:
    """``TERRAFORM_BINARY_NAME`` and ``TF_CLI_CONFIG_FILE`` of the built tools, or why there are none."""
    settings = tool_settings()
    terraform, config = settings.get("OTR_TERRAFORM", ""), settings.get("OTR_TF_CLI_CONFIG_FILE", "")
    if not (terraform and config and Path(terraform).is_file() and Path(config).is_file()):
        return "Terraform and its provider mirror are not set up (run scripts/setup-tools.sh)"
    return {"TERRAFORM_BINARY_NAME": terraform, "TF_CLI_CONFIG_FILE": config}


def block_params() -> list[Any]:
    params = []
    for key, code in BLOCKS.items():
        marks = [pytest.mark.cdktn] if CDKTN_IMPORT.search(code) else []
        params.append(pytest.param(key, code, id=re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-"), marks=marks))
    return params


@pytest.mark.parametrize(("heading", "code"), block_params())
def test_readme_block_runs_and_synthesizes(heading: str, code: str, tmp_path: Path) -> None:
    assert heading in PREAMBLES, missing_preamble_message([heading])
    if CDKTN_IMPORT.search(code) and CDKTN_MISSING:
        if os.environ.get("OTR_REQUIRE_CDKTN") == "1":
            pytest.fail(f"OTR_REQUIRE_CDKTN=1 but cdktn is not installed: the block under {heading!r} needs it")
        pytest.skip("imports cdktn, which is not installed here; it runs in the CDK Terrain venv (scripts/test.sh)")
    script = PREAMBLES[heading] + code + SYNTH
    (tmp_path / "block.py").write_text(script)
    env = {key: value for key, value in os.environ.items() if not key.startswith("CDKTF_")}
    env.pop("TF_CLI_CONFIG_FILE", None)
    if heading in NEEDS_TERRAFORM:
        terraform = offline_terraform()
        if isinstance(terraform, str):
            if os.environ.get("CI"):
                pytest.fail(f"CI builds Terraform before the tests run: {terraform}")
            pytest.skip(terraform)
        env.update(terraform)
    result = subprocess.run(
        [sys.executable, "block.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    numbered = "\n".join(f"{number:3} {line}" for number, line in enumerate(script.splitlines(), 1))
    assert result.returncode == 0, f"README block under {heading!r} failed:\n{numbered}\n--- stderr\n{result.stderr}"

    documents = sorted((tmp_path / "cdktf.out" / "stacks").glob("*/cdk.tf.json"))
    assert documents, f"README block under {heading!r} synthesized no stack"
    for path in documents:
        document = json.loads(path.read_text())
        assert_matches_provider_schema(document)
