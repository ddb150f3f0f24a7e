"""A cdktf app for one end-to-end scenario, run by the real ``cdktf synth`` (see harness.synth_with_cli).

The scenario arrives as JSON in ``OTR_E2E_SCENARIO``:

- ``construct``: keyword arguments of ThreadRunConstruct (plain dicts in the HCL shape), or ``constructs``: a map
  of construct id to keyword arguments, for several in one stack;
- ``assistant``: keyword arguments of an OpenaiAssistant whose id becomes ``assistant_id`` (where not given);
- ``api_url``: written into the default provider block (else the provider reads OPENAI_API_URL at apply time);
- ``api_key_variable``: the default provider's ``api_key`` is the sensitive string variable ``openai_api_key``
  (set it with ``TF_VAR_openai_api_key``);
- ``aliased_providers``: alias -> OpenaiProvider keyword arguments; a construct's ``"provider": "<alias>"``
  names one of them;
- ``dependent``: a ``terraform_data`` that depends on the first construct, through ``depends_on`` and through
  ``node.add_dependency``;
- ``import_run``: ``thread_id:run_id`` of an existing run the first construct's run is imported from;
- ``variables``: name -> default of string variables; ``<<var.NAME>>`` in any string of ``construct`` or
  ``assistant`` becomes that variable's token (an f-string over ``variable.string_value``);
- ``<<run.ID.ATTRIBUTE>>`` in a string of a construct's keyword arguments becomes that attribute of the construct
  ``ID`` created before it (``<<run.first.response>>``, ``<<run.first.thread_id>>``).

The stack is called ``e2e``. With one construct it has one output per attribute
(:data:`tests.construct_outputs.OUTPUTS`; ``response`` only when the construct waits); with several,
``<id>_<attribute>``.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cdktf import App, TerraformOutput, TerraformStack, TerraformVariable

from openai_thread_run import OpenaiAssistant, OpenaiProvider, TerraformData, ThreadRunConstruct
from tests.construct_outputs import OUTPUTS


def with_tokens(value: Any, tokens: dict[str, str]) -> Any:
    """``value`` with ``<<NAME>>`` in its strings replaced by ``tokens[NAME]``."""
    if isinstance(value, str):
        for name, token in tokens.items():
            value = value.replace(f"<<{name}>>", token)
        return value
    if isinstance(value, dict):
        return {with_tokens(key, tokens): with_tokens(item, tokens) for key, item in value.items()}
    if isinstance(value, list):
        return [with_tokens(item, tokens) for item in value]
    return value


def run_tokens(spec: str, runs: list[ThreadRunConstruct]) -> dict[str, str]:
    """The attributes of earlier constructs that ``<<run.ID.ATTRIBUTE>>`` placeholders in ``spec`` name."""
    found = {}
    for run in runs:
        for name in OUTPUTS:
            placeholder = f"run.{run.node.id}.{name}"
            if f"<<{placeholder}>>" in spec:
                found[placeholder] = str(getattr(run, name))
    return found


def main() -> None:
    scenario: dict[str, Any] = json.loads(os.environ["OTR_E2E_SCENARIO"])
    app = App()
    stack = TerraformStack(app, "e2e")
    tokens = {
        f"var.{name}": TerraformVariable(stack, name, type="string", default=default).string_value
        for name, default in scenario.get("variables", {}).items()
    }
    scenario = with_tokens(scenario, tokens)
    api_key = None
    if scenario.get("api_key_variable"):
        api_key = TerraformVariable(stack, "openai_api_key", type="string", sensitive=True).string_value
    OpenaiProvider(stack, "openai", api_url=scenario.get("api_url"), api_key=api_key)
    aliased = {
        alias: OpenaiProvider(stack, f"openai-{alias}", alias=alias, **settings)
        for alias, settings in scenario.get("aliased_providers", {}).items()
    }
    assistant_id = None
    if "assistant" in scenario:
        assistant_id = OpenaiAssistant(stack, "assistant", **scenario["assistant"]).id
    specs = scenario.get("constructs") or {"thread-run": scenario["construct"]}
    runs: list[ThreadRunConstruct] = []
    for construct_id, spec in specs.items():
        kwargs = with_tokens(dict(spec), run_tokens(json.dumps(spec), runs))
        kwargs.setdefault("assistant_id", assistant_id)
        if isinstance(kwargs.get("provider"), str):
            kwargs["provider"] = aliased[kwargs["provider"]]
        run = ThreadRunConstruct(stack, construct_id, **kwargs)
        runs.append(run)
        prefix = "" if len(specs) == 1 else f"{construct_id}_"
        for name in OUTPUTS:
            if name != "response" or kwargs.get("wait_for_completion", True):
                TerraformOutput(stack, f"{prefix}{name}", value=getattr(run, name))
    if scenario.get("import_run"):
        runs[0].run.import_from(scenario["import_run"])
    if scenario.get("dependent"):
        after = TerraformData(stack, "after-run", input="done", depends_on=[runs[0]])
        TerraformData(stack, "after-run-node", input="done").node.add_dependency(runs[0])
        TerraformOutput(stack, "after_run", value=after.output)
        TerraformOutput(stack, "after_run_output", value="done", depends_on=[runs[0]])
    app.synth()


if __name__ == "__main__":
    main()
