"""A cdktf app for one end-to-end scenario, run by the real ``cdktf synth`` (see harness.synth_with_cli).

The scenario arrives as JSON in ``OTR_E2E_SCENARIO``:

- ``construct``: keyword arguments of ThreadRunConstruct (plain dicts in the HCL shape);
- ``assistant``: keyword arguments of an OpenaiAssistant whose id becomes ``assistant_id``;
- ``api_url``: written into the provider block (else the provider reads OPENAI_API_URL at apply time).

The stack is called ``e2e`` and has one output for each of the construct's attributes.
"""

from __future__ import annotations

import json
import os

from cdktf import App, TerraformOutput, TerraformStack

from openai_thread_run import OpenaiAssistant, OpenaiProvider, ThreadRunConstruct

OUTPUTS = ("id", "thread_id", "status", "created_at", "started_at", "completed_at", "usage")


def main() -> None:
    scenario = json.loads(os.environ["OTR_E2E_SCENARIO"])
    app = App()
    stack = TerraformStack(app, "e2e")
    OpenaiProvider(stack, "openai", api_url=scenario.get("api_url"))
    kwargs = dict(scenario["construct"])
    if "assistant" in scenario:
        kwargs["assistant_id"] = OpenaiAssistant(stack, "assistant", **scenario["assistant"]).id
    run = ThreadRunConstruct(stack, "thread-run", **kwargs)
    for name in OUTPUTS:
        TerraformOutput(stack, name, value=getattr(run, name))
    app.synth()


if __name__ == "__main__":
    main()
