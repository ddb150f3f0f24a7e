"""Each input is declared once (props.PROPS); the typed signature editors read cannot drift from the declaration.

scripts/render_signatures.py writes ``ThreadRunConstruct.__init__`` (signature and docstring) from the
declaration; these tests check that the file holds what it writes, that the class's signature is the
declaration's, and that every declared input reaches validation and the JSON.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cdktf import TerraformStack

import openai_thread_run.cdktn as terrain
from openai_thread_run import OpenaiThreadRun, ThreadRunConstruct
from openai_thread_run import props as declaration
from openai_thread_run.bindings._base import Attribute
from openai_thread_run.props import PROPS, REQUIRED, RUN_SETTINGS, ValidatedProps
from tests.conftest import Synth, only, resources

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "render_signatures.py"


def load_renderer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_signatures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["render_signatures"] = module
    spec.loader.exec_module(module)
    return module


renderer = load_renderer()


# -- the generated signature is the declaration's ---------------------------------------------------------------


def test_the_files_hold_what_the_renderer_writes() -> None:
    for path, (current, wanted) in renderer.rendered().items():
        assert current == wanted, f"{path} is stale: run `python scripts/render_signatures.py --write`"


def test_the_check_command_passes_on_the_repository() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("cls", [ThreadRunConstruct, terrain.ThreadRunConstruct])
def test_the_constructs_signature_is_the_declarations(cls: type[Any]) -> None:
    assert inspect.signature(cls.__init__) == declaration.signature()


def test_a_changed_declaration_makes_the_file_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = dataclasses.replace(PROPS[-2], default="elsewhere", doc="a changed text.")
    monkeypatch.setattr(declaration, "PROPS", (*PROPS[:-2], changed, PROPS[-1]))
    current, wanted = renderer.rendered()[renderer.SOURCE / "construct.py"]
    assert current != wanted
    assert '        provider: constructs.Construct | None = "elsewhere",' in wanted
    assert '        :param provider: a changed text. Default: ``"elsewhere"``.' in wanted


def test_a_file_without_its_markers_is_an_error(tmp_path: Path) -> None:
    copy = tmp_path / "construct.py"
    copy.write_text("class Nothing:\n    pass\n")
    region = renderer.Region(copy, "props.PROPS", renderer.construct_init)
    with pytest.raises(renderer.RenderError, match="must contain the line"):
        renderer.rendered([region])


def test_every_input_has_a_param_line_with_its_declared_text_and_default() -> None:
    docstring = inspect.cleandoc(ThreadRunConstruct.__init__.__doc__ or "")
    flat = " ".join(docstring.split())
    for prop in PROPS:
        stated = "Required." if prop.default is REQUIRED else f"Default: ``{renderer.python_literal(prop.default)}``."
        assert f":param {prop.name}: {' '.join(prop.doc.split())} {stated}" in flat, prop.name


# -- every declared input is used ----------------------------------------------------------------------------------


def test_every_input_is_a_run_setting_or_a_field_of_the_validated_props() -> None:
    fields = {field.name for field in dataclasses.fields(ValidatedProps)}
    for prop in PROPS:
        assert prop.run_setting != (prop.name in fields) or prop.name in ("create_new_thread", "stream"), prop.name
    assert fields - {prop.name for prop in PROPS} == {"run_settings", "warnings"}


def test_every_run_setting_is_an_attribute_of_the_run_binding() -> None:
    for name in RUN_SETTINGS:
        assert isinstance(inspect.getattr_static(OpenaiThreadRun, name), Attribute), name


SETTINGS: dict[str, Any] = {
    "assistant_id": "asst_1",
    "model": "gpt-4o",
    "instructions": "Be brief.",
    "tools": [{"type": "code_interpreter"}],
    "metadata": {"k": "v"},
    "temperature": 0.5,
    "top_p": 0.9,
    "max_completion_tokens": 512,
    "response_format": {"type": "json_object"},
}


def test_every_run_setting_reaches_the_run_and_the_prompt(stack: TerraformStack, synth: Synth) -> None:
    assert set(SETTINGS) == set(RUN_SETTINGS), "give every run setting a value here"
    ThreadRunConstruct(stack, "tr", **SETTINGS)
    document = synth(stack)
    run = only(document, "openai_thread_run")
    (prompt,) = (body for name, body in resources(document, "terraform_data").items() if "_prompt_" in name)
    for name in RUN_SETTINGS:
        assert name in run, name
        assert prompt["triggers_replace"]["run"][name] == run[name], name
