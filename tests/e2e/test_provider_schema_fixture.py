"""The schema fixture the synth tests check against is the real provider's: equal to a fresh dump."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.e2e.harness import COMMAND_TIMEOUT_S, Tools
from tests.provider_schema import PROVIDER_ADDRESS, SCHEMA_PATH

BOUND_RESOURCES = ("openai_assistant", "openai_message", "openai_thread", "openai_thread_run")
BOUND_DATA_SOURCES = ("openai_messages", "openai_run")


def dump_schema(tools: Tools, directory: Path) -> dict[str, object]:
    """``terraform providers schema -json`` of provider 1.2.0, cut to the provider and what is bound.

    OpenTofu names the provider after its own registry; the fixture keeps Terraform's address, as the synth tests
    look it up.
    """
    (directory / "main.tf.json").write_text(
        json.dumps({"terraform": {"required_providers": {"openai": {"source": "mkdev-me/openai", "version": "1.2.0"}}}})
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tools.cli_config), "CHECKPOINT_DISABLE": "1"}
    run = {"cwd": directory, "env": env, "capture_output": True, "text": True, "timeout": COMMAND_TIMEOUT_S}
    subprocess.run([str(tools.terraform), "init", "-no-color", "-input=false"], check=True, **run)  # type: ignore[call-overload]
    dumped = subprocess.run([str(tools.terraform), "providers", "schema", "-json"], check=True, **run)  # type: ignore[call-overload]
    full = json.loads(dumped.stdout)
    provider = full["provider_schemas"][PROVIDER_ADDRESS.replace("registry.terraform.io", tools.cli.registry)]
    return {
        "format_version": full["format_version"],
        "provider_schemas": {
            PROVIDER_ADDRESS: {
                "provider": provider["provider"],
                "resource_schemas": {name: provider["resource_schemas"][name] for name in BOUND_RESOURCES},
                "data_source_schemas": {name: provider["data_source_schemas"][name] for name in BOUND_DATA_SOURCES},
            }
        },
    }


def test_committed_fixture_equals_a_fresh_dump_of_the_built_provider(tools: Tools, tmp_path: Path) -> None:
    fresh = dump_schema(tools, tmp_path)
    committed = json.loads(SCHEMA_PATH.read_text())
    assert committed == fresh, (
        "tests/fixtures/provider-schema.json differs from the built provider's schema; regenerate it with "
        "`python -m tests.e2e.test_provider_schema_fixture`"
    )


if __name__ == "__main__":  # regenerate the fixture from the built provider
    import tempfile

    found = Tools.find()
    if isinstance(found, str):
        raise SystemExit(found)
    with tempfile.TemporaryDirectory() as scratch:
        SCHEMA_PATH.write_text(json.dumps(dump_schema(found, Path(scratch)), indent=2, sort_keys=True) + "\n")
    print(f"wrote {SCHEMA_PATH}")
