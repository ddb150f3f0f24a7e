"""End-to-end fixtures: the built tools, a local Assistants API per test, and synthesized workspaces."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import REPO_ROOT, SCENARIO_APP, Tools, Workspace, synth_with_cli
from tests.fake_api import FakeAssistantsAPI

ScenarioFactory = Callable[[dict[str, Any]], Workspace]
ExampleFactory = Callable[[str], Workspace]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def tools() -> Tools:
    found = Tools.find()
    if isinstance(found, str):
        if os.environ.get("CI"):
            pytest.fail(f"end-to-end tests must run in CI: {found}")
        pytest.skip(found)
    return found


@pytest.fixture
def fake_api(request: pytest.FixtureRequest) -> Iterator[FakeAssistantsAPI]:
    """The local Assistants API; ``@pytest.mark.fake_api(run_duration_s=...)`` sets how long runs take."""
    marker = request.node.get_closest_marker("fake_api")
    settings = dict(marker.kwargs) if marker is not None else {}
    with FakeAssistantsAPI(max_lifetime_s=900, **settings) as api:
        yield api


@pytest.fixture
def scenario(tools: Tools, fake_api: FakeAssistantsAPI, tmp_path: Path) -> ScenarioFactory:
    """Synthesize a scenario (see scenario_app.py) with the real cdktf CLI; return its Terraform workspace."""

    def make(spec: dict[str, Any]) -> Workspace:
        spec = {"api_url": fake_api.url, **spec}
        stacks = synth_with_cli(
            tools,
            tmp_path / "project",
            f"python3 {SCENARIO_APP}",
            {"OTR_E2E_SCENARIO": json.dumps(spec)},
            api_url=fake_api.url,
        )
        return Workspace(tools, stacks / "e2e", fake_api.url)

    return make


@pytest.fixture
def example(tools: Tools, fake_api: FakeAssistantsAPI, tmp_path: Path) -> ExampleFactory:
    """Synthesize the examples app (examples/app.py) with the real cdktf CLI; return one stack's workspace."""

    def make(stack: str) -> Workspace:
        stacks = synth_with_cli(tools, tmp_path / "project", f"python3 {REPO_ROOT / 'examples' / 'app.py'}")
        return Workspace(tools, stacks / stack, fake_api.url)

    return make
