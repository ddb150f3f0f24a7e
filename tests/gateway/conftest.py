"""Fixtures of the gateway's tests: fake upstreams, databases (SQLite files, a real PostgreSQL), gateway processes.

PostgreSQL is started once per session from the machine's binaries (``processes.POSTGRES_BIN``); where they are
missing its tests are skipped, and under ``CI=true`` that is an error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import tools  # noqa: F401 - the e2e suite's fixture: the built tools, or a skip (CI: fail)
from tests.fake_upstream import FakeUpstream
from tests.gateway.client import Api
from tests.gateway.processes import GatewayProcess, Postgres, postgres_missing

#: The client keys every test gateway accepts: two tenants.
KEY = "sk-gateway-test-tenant-one"
OTHER_KEY = "sk-gateway-test-tenant-two"
UPSTREAM_KEY = "sk-upstream-test-secret-value"
DATABASES = ["sqlite", "postgresql"]

GatewayFactory = Callable[..., GatewayProcess]


def gateway_env(upstream_key: str | None = UPSTREAM_KEY, keys: tuple[str, ...] = (KEY, OTHER_KEY)) -> dict[str, str]:
    """The environment a test gateway starts with: this one without any OTR_ or OPENAI_ setting, and the keys."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("OTR_", "OPENAI_"))}
    env["OTR_GATEWAY_API_KEYS"] = ",".join(keys)
    if upstream_key is not None:
        env["OTR_UPSTREAM_API_KEY"] = upstream_key
    return env


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    missing = postgres_missing()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the gateway's PostgreSQL tests must run in CI: {missing}")
        pytest.skip(missing)
    server = Postgres()
    yield server
    server.stop()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """Make an empty database of a kind (``sqlite`` or ``postgresql``); return its URL."""

    made = 0

    def make(kind: str) -> str:
        nonlocal made
        made += 1
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'gateway-{made}.db'}"
        server: Postgres = request.getfixturevalue("postgres")
        return server.url(server.new_database())

    return make


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    """A fake Responses API."""
    with FakeUpstream("responses") as fake:
        yield fake


@pytest.fixture
def start_gateway(tmp_path: Path) -> Iterator[GatewayFactory]:
    """Start gateway processes (``--port 0``); every one still running at the end is killed."""
    started: list[GatewayProcess] = []

    def start(*args: str, env: dict[str, str] | None = None, log: str = "gateway.log") -> GatewayProcess:
        process = GatewayProcess(args, gateway_env() if env is None else env, tmp_path / log)
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()


def api(gateway: GatewayProcess, key: str = KEY) -> Api:
    """The client of ``gateway`` with ``key``."""
    return Api(gateway.url, key)
