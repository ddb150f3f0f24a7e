"""No secrets in the output: OPENAI_API_KEY never reaches cdk.tf.json, and a literal api_key warns."""

from __future__ import annotations

import importlib
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from cdktf import App, TerraformStack, TerraformVariable, Testing

from openai_thread_run import LiteralApiKeyWarning, OpenaiProvider, ThreadRunConstruct
from tests.conftest import without_metadata
from tests.provider_schema import assert_matches_provider_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Distinctive enough that finding it anywhere cannot be a coincidence.
FAKE_KEY = "sk-fake-5ecret-0f-otr-7f3a9c1e2b4d6f8091a3c5e7d9b1f2a4"


def written_files(outdir: Path) -> dict[Path, bytes]:
    """Every file ``app.synth()`` wrote under ``outdir`` (manifest, stacks' cdk.tf.json, anything else)."""
    files = {path: path.read_bytes() for path in sorted(outdir.rglob("*")) if path.is_file()}
    assert files, f"nothing was written under {outdir}"
    return files


def stack_json(outdir: Path, stack: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())
    return document


class VariableKeyStack(TerraformStack):
    """A stack whose provider takes api_key from a sensitive variable, as the warning recommends."""

    def __init__(self, scope: App, id: str) -> None:
        super().__init__(scope, id)
        api_key = TerraformVariable(self, "openai_api_key", type="string", sensitive=True)
        OpenaiProvider(self, "openai", api_key=api_key.string_value, api_url="https://api.example.com/v1")
        ThreadRunConstruct(self, "run", assistant_id="asst_1", rerun_triggers={"v": "1"})


@pytest.fixture
def examples(monkeypatch: pytest.MonkeyPatch) -> tuple[type[TerraformStack], type[TerraformStack]]:
    """The example stacks, imported the way examples/app.py imports them (examples/ on sys.path)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    new_thread = importlib.import_module("new_thread")
    existing_thread = importlib.import_module("existing_thread")
    return new_thread.NewThreadStack, existing_thread.ExistingThreadStack


def test_openai_api_key_from_the_environment_reaches_no_written_file(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    examples: tuple[type[TerraformStack], type[TerraformStack]],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    new_thread_stack, existing_thread_stack = examples
    app = App(outdir=str(tmp_path))
    new_thread_stack(app, "new-thread")
    existing_thread_stack(app, "existing-thread")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LiteralApiKeyWarning)  # none of these stacks passes a literal key
        VariableKeyStack(app, "variable-key")
    app.synth()

    files = written_files(tmp_path)
    assert {path.relative_to(tmp_path).as_posix() for path in files} >= {
        "manifest.json",
        "stacks/new-thread/cdk.tf.json",
        "stacks/existing-thread/cdk.tf.json",
        "stacks/variable-key/cdk.tf.json",
    }
    for path, content in files.items():
        assert FAKE_KEY.encode() not in content, f"OPENAI_API_KEY leaked into {path}"

    for stack in ("new-thread", "existing-thread"):
        document = stack_json(tmp_path, stack)
        assert document["provider"]["openai"] == [{}], "the provider reads OPENAI_API_KEY itself at apply time"
        assert "api_key" not in json.dumps(document)
    document = stack_json(tmp_path, "variable-key")
    assert document["provider"]["openai"] == [
        {"api_key": "${var.openai_api_key}", "api_url": "https://api.example.com/v1"}
    ]
    assert document["variable"]["openai_api_key"] == {"type": "string", "sensitive": True}
    assert_matches_provider_schema(without_metadata(document))


def test_the_scan_would_catch_a_leaked_key(tmp_path: Path) -> None:
    # The control for the test above: the same scan finds a key that really is written.
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "leaky")
    with pytest.warns(LiteralApiKeyWarning):
        OpenaiProvider(stack, "openai", api_key=FAKE_KEY)
    app.synth()
    leaked = [path for path, content in written_files(tmp_path).items() if FAKE_KEY.encode() in content]
    assert leaked == [tmp_path / "stacks" / "leaky" / "cdk.tf.json"]
    assert stack_json(tmp_path, "leaky")["provider"]["openai"] == [{"api_key": FAKE_KEY}]


def test_a_literal_api_key_warns_pointing_to_the_env_var_and_a_sensitive_variable() -> None:
    stack = TerraformStack(App(), "s")
    with pytest.warns(LiteralApiKeyWarning) as caught:
        OpenaiProvider(stack, "openai", api_key="sk-literal")
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "OPENAI_API_KEY" in message
    assert "TerraformVariable" in message
    assert "sensitive=True" in message
    assert "clear text" in message
    assert caught[0].filename == __file__, "the warning points at the caller's line"


@pytest.mark.parametrize("kind", ["string_value", "token_string"])
def test_a_token_api_key_does_not_warn(kind: str) -> None:
    stack = TerraformStack(App(), "s")
    variable = TerraformVariable(stack, "openai_api_key", type="string", sensitive=True)
    api_key = variable.string_value if kind == "string_value" else f"sk-${{{variable.fqn}}}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        OpenaiProvider(stack, "openai", api_key=api_key)
    assert [warning for warning in caught if issubclass(warning.category, LiteralApiKeyWarning)] == []


def test_no_api_key_means_no_api_key_attribute_and_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    stack = TerraformStack(App(), "s")
    with warnings.catch_warnings():
        warnings.simplefilter("error", LiteralApiKeyWarning)
        OpenaiProvider(stack, "openai", organization="org-1")
    document = json.loads(Testing.synth(stack))
    assert document["provider"]["openai"] == [{"organization": "org-1"}]
    assert FAKE_KEY not in json.dumps(document)
