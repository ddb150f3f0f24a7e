"""No secrets in the output: keys from the environment reach no written file, and a literal key warns.

The warning is a cdktf annotation on the provider (``warnings_of(provider)``, code
``[openai-thread-run:literal-secret]``), which ``cdktf synth`` shows and ``manifest.json`` records.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from cdktf import App, TerraformStack, TerraformVariable, Testing

from openai_thread_run import OpenaiProvider, ThreadRunConstruct, warnings_of
from tests.conftest import waiter, without_metadata
from tests.provider_schema import assert_matches_provider_schema

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Distinctive enough that finding it anywhere cannot be a coincidence.
FAKE_KEY = "sk-fake-5ecret-0f-otr-7f3a9c1e2b4d6f8091a3c5e7d9b1f2a4"
FAKE_ADMIN_KEY = "sk-admin-fake-5ecret-0f-otr-0b1c2d3e4f5a6b7c8d9e"
LITERAL_SECRET = "[openai-thread-run:literal-secret]"


def written_files(outdir: Path) -> dict[Path, bytes]:
    """Every file ``app.synth()`` wrote under ``outdir`` (manifest, stacks' cdk.tf.json, anything else)."""
    files = {path: path.read_bytes() for path in sorted(outdir.rglob("*")) if path.is_file()}
    assert files, f"nothing was written under {outdir}"
    return files


def stack_json(outdir: Path, stack: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((outdir / "stacks" / stack / "cdk.tf.json").read_text())
    return document


def manifest_warnings(outdir: Path, stack: str) -> list[str]:
    """The warning annotations ``manifest.json`` records for ``stack`` (what ``cdktf synth`` prints)."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    return [entry["message"] for entry in manifest["stacks"][stack]["annotations"] if entry["level"] == "@cdktf/warn"]


def secret_warnings(construct: Any) -> list[str]:
    return [warning for warning in warnings_of(construct) if LITERAL_SECRET in warning]


def providers_of(stack: TerraformStack) -> list[OpenaiProvider]:
    return [child for child in stack.node.find_all() if isinstance(child, OpenaiProvider)]


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
    for name in ("new_thread", "existing_thread"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    new_thread = importlib.import_module("new_thread")
    existing_thread = importlib.import_module("existing_thread")
    return new_thread.NewThreadStack, existing_thread.ExistingThreadStack


def test_keys_from_the_environment_reach_no_written_file(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    examples: tuple[type[TerraformStack], type[TerraformStack]],
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("OPENAI_ADMIN_KEY", FAKE_ADMIN_KEY)
    new_thread_stack, existing_thread_stack = examples
    app = App(outdir=str(tmp_path))
    stacks = [
        new_thread_stack(app, "new-thread"),
        existing_thread_stack(app, "existing-thread"),
        VariableKeyStack(app, "variable-key"),
    ]
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
        assert FAKE_ADMIN_KEY.encode() not in content, f"OPENAI_ADMIN_KEY leaked into {path}"

    for stack in stacks:
        providers = providers_of(stack)
        assert providers, f"no OpenaiProvider in {stack.node.id}"
        for provider in providers:
            assert secret_warnings(provider) == [], "none of these stacks passes a literal key"
        assert not any(LITERAL_SECRET in warning for warning in manifest_warnings(tmp_path, stack.node.id))

    for stack_name in ("new-thread", "existing-thread"):
        document = stack_json(tmp_path, stack_name)
        assert document["provider"]["openai"] == [{}], "the provider reads OPENAI_API_KEY itself at apply time"
        assert "api_key" not in json.dumps(document)
    document = stack_json(tmp_path, "variable-key")
    assert document["provider"]["openai"] == [
        {"api_key": "${var.openai_api_key}", "api_url": "https://api.example.com/v1"}
    ]
    assert document["variable"]["openai_api_key"] == {"type": "string", "sensitive": True}
    # The waiter calls the API with the provider's settings: the key as the same variable reference, never a value.
    environment = waiter(document, "run")["provisioner"][0]["local-exec"]["environment"]
    assert environment["OPENAI_API_KEY"] == "${var.openai_api_key}"
    assert_matches_provider_schema(without_metadata(document))


def test_the_scan_would_catch_a_leaked_key(tmp_path: Path) -> None:
    # The control for the test above: the same scan finds a key that really is written, and the warning that
    # comes with it is in the manifest the CLI prints from.
    app = App(outdir=str(tmp_path))
    stack = TerraformStack(app, "leaky")
    provider = OpenaiProvider(stack, "openai", api_key=FAKE_KEY)
    app.synth()
    leaked = [path for path, content in written_files(tmp_path).items() if FAKE_KEY.encode() in content]
    assert leaked == [tmp_path / "stacks" / "leaky" / "cdk.tf.json"]
    assert stack_json(tmp_path, "leaky")["provider"]["openai"] == [{"api_key": FAKE_KEY}]
    assert len(secret_warnings(provider)) == 1
    assert [warning for warning in manifest_warnings(tmp_path, "leaky") if LITERAL_SECRET in warning] == (
        secret_warnings(provider)
    )


def test_a_literal_api_key_warns_pointing_to_the_env_var_and_a_sensitive_variable() -> None:
    stack = TerraformStack(App(), "s")
    line = sys._getframe().f_lineno + 1
    provider = OpenaiProvider(stack, "openai", api_key="sk-literal")
    (message,) = secret_warnings(provider)
    assert "api_key" in message
    assert "OPENAI_API_KEY" in message
    assert "TerraformVariable" in message
    assert "sensitive=True" in message
    assert "clear text" in message
    assert message.endswith(f"(at {__file__}:{line})"), "the warning points at the caller's line"
    assert FAKE_KEY not in message and "sk-literal" not in message, "the warning must not repeat the key"


def test_a_literal_admin_key_warns_about_its_own_variable() -> None:
    stack = TerraformStack(App(), "s")
    provider = OpenaiProvider(stack, "openai", admin_key="sk-admin-literal")
    (message,) = secret_warnings(provider)
    assert "admin_key" in message
    assert "OPENAI_ADMIN_KEY" in message
    assert "sk-admin-literal" not in message


def test_both_literal_keys_warn_once_each() -> None:
    stack = TerraformStack(App(), "s")
    provider = OpenaiProvider(stack, "openai", api_key="sk-1", admin_key="sk-2")
    warnings = secret_warnings(provider)
    assert len(warnings) == 2
    assert sum("OPENAI_API_KEY" in warning for warning in warnings) == 1
    assert sum("OPENAI_ADMIN_KEY" in warning for warning in warnings) == 1


@pytest.mark.parametrize("kind", ["string_value", "text_with_token"])
def test_a_token_api_key_does_not_warn(kind: str) -> None:
    stack = TerraformStack(App(), "s")
    variable = TerraformVariable(stack, "openai_api_key", type="string", sensitive=True)
    api_key = variable.string_value if kind == "string_value" else f"sk-{variable.string_value}"
    provider = OpenaiProvider(stack, "openai", api_key=api_key, admin_key=variable.string_value)
    assert secret_warnings(provider) == []
    document = json.loads(Testing.synth(stack))
    assert document["provider"]["openai"][0]["api_key"] in ("${var.openai_api_key}", "sk-${var.openai_api_key}")


def test_no_api_key_means_no_api_key_attribute_and_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEY)
    stack = TerraformStack(App(), "s")
    provider = OpenaiProvider(stack, "openai", organization="org-1")
    ThreadRunConstruct(stack, "run", assistant_id="asst_1")
    assert secret_warnings(provider) == []
    document = json.loads(Testing.synth(stack))
    assert document["provider"]["openai"] == [{"organization": "org-1"}]
    assert FAKE_KEY not in json.dumps(document)
    environment = waiter(document)["provisioner"][0]["local-exec"]["environment"]
    assert "OPENAI_API_KEY" not in environment, "the waiter inherits the key from Terraform's environment"
