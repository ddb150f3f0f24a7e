"""The gateway as a process: its command line and environment, its start line, secrets, its schema, a SIGKILL in
the middle of a run, and two processes sharing one PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import sqlalchemy

from openai_thread_run.gateway.keys import tenant_of
from openai_thread_run.gateway.tables import SCHEMA_VERSION
from tests.fake_upstream import FakeUpstream
from tests.gateway.client import Api
from tests.gateway.conftest import DATABASES, KEY, OTHER_KEY, UPSTREAM_KEY, GatewayFactory, api, gateway_env
from tests.gateway.processes import GatewayProcess, Postgres, run_gateway_command

HEADER_SECRET = "azure-header-secret-4711"


def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'gateway.db'}"


# -- the command ---------------------------------------------------------------------------------------------------


def test_the_url_is_the_first_line_and_one_line_says_where_it_listens_and_what_it_talks_to(
    start_gateway: GatewayFactory, tmp_path: Path, upstream: FakeUpstream
) -> None:
    gateway = start_gateway("--database", sqlite_url(tmp_path), "--upstream-url", upstream.url)
    assert gateway.url.startswith("http://127.0.0.1:") and gateway.url.endswith("/v1")
    port = int(gateway.url.removesuffix("/v1").rsplit(":", 1)[1])
    assert port > 0
    [start] = [line for line in gateway.log.splitlines() if "listening on" in line]
    assert f"listening on {gateway.url}" in start
    assert f"upstream: responses API at {upstream.url} (a key from OTR_UPSTREAM_API_KEY)" in start
    assert f"database: {sqlite_url(tmp_path)} (sqlite, schema {SCHEMA_VERSION}); 2 client key(s)" in start
    assert api(gateway).assistant()["object"] == "assistant"
    gateway.stop()
    assert "Finished server process" in gateway.log  # SIGTERM: a graceful stop


def test_every_option_has_its_environment_variable(tmp_path: Path, upstream: FakeUpstream) -> None:
    env = gateway_env() | {
        "OTR_GATEWAY_DATABASE": sqlite_url(tmp_path),
        "OTR_UPSTREAM_URL": upstream.url,
        "OTR_UPSTREAM_API": "chat-completions",
        "OTR_GATEWAY_RUN_EXPIRES_AFTER": "42",
        "OTR_GATEWAY_CONCURRENCY": "3",
    }
    gateway = GatewayProcess([], env, tmp_path / "gateway.log")
    try:
        assert "upstream: chat-completions API at" in gateway.log
        assert "up to 3 runs at once; runs expire after 42 s" in gateway.log
        client = api(gateway)
        run = client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"])
        assert run["expires_at"] == run["created_at"] + 42
    finally:
        gateway.kill()


def test_the_command_line_wins_over_the_environment(tmp_path: Path, upstream: FakeUpstream) -> None:
    env = gateway_env() | {"OTR_GATEWAY_DATABASE": "postgresql://nobody@/nothing", "OTR_UPSTREAM_URL": upstream.url}
    gateway = GatewayProcess(["--database", sqlite_url(tmp_path)], env, tmp_path / "gateway.log")
    try:
        assert "(sqlite, schema" in gateway.log
    finally:
        gateway.kill()


def test_without_client_keys_it_does_not_start_and_says_why() -> None:
    env = gateway_env(keys=())
    result = run_gateway_command(["--port", "0"], env)
    assert result.returncode == 2 and result.stdout == ""
    assert "OTR_GATEWAY_API_KEYS is not set" in result.stderr


def test_every_invalid_setting_is_listed_at_once() -> None:
    args = ["--port", "70000", "--upstream-api", "completions", "--concurrency", "none", "--upstream-url", "ftp://x"]
    result = run_gateway_command(args, gateway_env())
    assert result.returncode == 2
    for expected in (
        "--port (OTR_GATEWAY_PORT): must be from 0 to 65535 (got 70000)",
        "--upstream-api (OTR_UPSTREAM_API): must be one of chat-completions, responses (got 'completions')",
        "--concurrency (OTR_GATEWAY_CONCURRENCY): not an integer: 'none'",
        "--upstream-url: must be an http:// or https:// URL (got 'ftp://x')",
    ):
        assert expected in result.stderr, result.stderr


def test_help_names_every_environment_variable() -> None:
    result = run_gateway_command(["--help"], gateway_env())
    assert result.returncode == 0
    for variable in ("OTR_GATEWAY_HOST", "OTR_GATEWAY_PORT", "OTR_GATEWAY_DATABASE", "OTR_UPSTREAM_URL"):
        assert variable in result.stdout
    assert "OTR_UPSTREAM_API_KEY" in result.stdout and "OTR_GATEWAY_API_KEYS" in result.stdout


def test_a_database_it_cannot_use_stops_it_with_one_line(tmp_path: Path) -> None:
    result = run_gateway_command(["--port", "0", "--database", "mysql://x@y/z"], gateway_env())
    assert result.returncode == 1 and result.stdout == ""
    assert "unsupported database URL scheme 'mysql'" in result.stderr
    unreachable = "postgresql://gateway:db-password-4711@127.0.0.1:1/gateway"
    result = run_gateway_command(["--port", "0", "--database", unreachable], gateway_env())
    assert result.returncode == 1 and "cannot use the database" in result.stderr
    assert "db-password-4711" not in result.stderr


def test_sigterm_gives_the_runs_in_progress_back_at_once(start_gateway: GatewayFactory, tmp_path: Path) -> None:
    with FakeUpstream("responses", latency_s=2) as upstream:
        args = ["--database", sqlite_url(tmp_path), "--upstream-url", upstream.url, "--lease", "60"]
        first = start_gateway(*args, log="first.log")
        client = api(first)
        run = client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"])
        while upstream.arrivals < 1:
            time.sleep(0.01)
        first.stop()
        started = time.monotonic()
        done = api(start_gateway(*args, log="second.log")).wait(run, timeout=20)
    assert done["status"] == "completed"
    assert time.monotonic() - started < 15, "taken over at once, not after the 60 s lease"


def test_importing_the_gateway_starts_no_jsii_and_the_library_imports_no_gateway() -> None:
    probe = (
        "import sys, openai_thread_run.gateway.server\n"
        "print(sorted(m for m in ('cdktf', 'jsii', 'constructs') if m in sys.modules))\n"
    )
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"
    probe = (
        "import sys, openai_thread_run\n"
        "openai_thread_run.ThreadRunConstruct\n"
        "print(sorted(m for m in ('starlette', 'sqlalchemy', 'uvicorn', 'httpx') if m in sys.modules))\n"
    )
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout == "[]\n"


# -- secrets -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DATABASES)
def test_no_secret_reaches_the_log_or_the_database(
    kind: str, start_gateway: GatewayFactory, database_url: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with FakeUpstream("responses", key=HEADER_SECRET, key_header="api-key") as upstream:
        url = database_url(kind)
        env = gateway_env() | {"AZURE_OPENAI_API_KEY": HEADER_SECRET}
        gateway = start_gateway(
            "--database",
            url,
            "--upstream-url",
            upstream.url,
            "--upstream-header",
            "api-key=$AZURE_OPENAI_API_KEY",
            "--log-level",
            "debug",
            env=env,
        )
        client = api(gateway)
        run = client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]))
        assert run["status"] == "completed"
        [received] = upstream.requests
        assert received.header("api-key") == HEADER_SECRET
        assert received.header("authorization") == f"Bearer {UPSTREAM_KEY}"
        Api(gateway.url, "sk-wrong-key-that-must-not-be-logged").call("GET", "/assistants")
    log = gateway.log
    assert "api-key" in log  # the header's name is said, its value never
    stored = _database_text(kind, url, request)
    assert tenant_of(KEY) in stored
    for secret in (KEY, OTHER_KEY, UPSTREAM_KEY, HEADER_SECRET, "sk-wrong-key-that-must-not-be-logged"):
        assert secret not in log, secret
        assert secret not in stored, secret


def _database_text(kind: str, url: str, request: pytest.FixtureRequest) -> str:
    """Everything the database holds, as text (the SQLite file and its WAL; PostgreSQL's tables, dumped)."""
    if kind == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        return "".join(p.read_bytes().decode("latin-1") for p in path.parent.glob(path.name + "*"))
    server: Postgres = request.getfixturevalue("postgres")
    database = sqlalchemy.make_url(url).database or ""
    with psycopg.connect(server.dsn(database)) as connection:
        tables = [row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return "\n".join(str(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"'))


def test_upstream_headers_come_from_the_environment_too(start_gateway: GatewayFactory, tmp_path: Path) -> None:
    with FakeUpstream("chat-completions", key=HEADER_SECRET, key_header="api-key") as upstream:
        env = gateway_env(upstream_key=None) | {"OTR_UPSTREAM_HEADERS": f"api-key={HEADER_SECRET},x-team=plat%2Cform"}
        gateway = start_gateway(
            "--database",
            sqlite_url(tmp_path),
            "--upstream-url",
            upstream.url,
            "--upstream-api",
            "chat-completions",
            env=env,
        )
        client = api(gateway)
        assert client.wait(client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"]))["status"] == (
            "completed"
        )
        [received] = upstream.requests
    assert (received.header("api-key"), received.header("x-team")) == (HEADER_SECRET, "plat,form")
    assert received.header("authorization") is None
    assert "(no key; headers api-key, x-team)" in gateway.log and HEADER_SECRET not in gateway.log


# -- the schema ----------------------------------------------------------------------------------------------------


def test_the_schema_is_created_with_its_version_and_a_newer_one_is_refused(
    start_gateway: GatewayFactory, tmp_path: Path, upstream: FakeUpstream
) -> None:
    url = sqlite_url(tmp_path)
    start_gateway("--database", url, "--upstream-url", upstream.url).kill()
    engine = sqlalchemy.create_engine(url)
    with engine.begin() as connection:
        assert connection.execute(sqlalchemy.text("SELECT version FROM otr_gateway_schema")).scalars().all() == [
            SCHEMA_VERSION
        ]
        connection.execute(sqlalchemy.text("UPDATE otr_gateway_schema SET version = :v"), {"v": SCHEMA_VERSION + 1})
    engine.dispose()
    result = run_gateway_command(["--port", "0", "--database", url], gateway_env())
    assert result.returncode == 1 and result.stdout == ""
    assert f"schema version {SCHEMA_VERSION + 1}, newer than this gateway's {SCHEMA_VERSION}" in result.stderr


# -- where a run starts --------------------------------------------------------------------------------------------


def claims_of(database: str, run_ids: list[str]) -> list[Any]:
    """How many times a worker claimed each run (the ``claims`` column), read from the database."""
    engine = sqlalchemy.create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        found = {row.id: row.claims for row in connection.execute(sqlalchemy.text("SELECT id, claims FROM otr_runs"))}
    engine.dispose()
    return [found[run_id] for run_id in run_ids]


def test_a_run_created_here_is_claimed_with_its_creation(start_gateway: GatewayFactory, tmp_path: Path) -> None:
    """The run is in progress by the time its creation is answered: claimed in the creating transaction, once."""
    database = sqlite_url(tmp_path)
    with FakeUpstream("responses", latency_s=1) as upstream:
        gateway = start_gateway("--database", database, "--upstream-url", upstream.url, "--poll-interval", "3600")
        client = api(gateway)
        assistant = client.assistant()
        threads = [client.thread(("user", f"question {n}"))["id"] for n in range(5)]
        headers = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "assistants=v2"}
        seen, created_runs = [], []
        with httpx.Client(base_url=gateway.url, headers=headers, timeout=30) as http:  # one connection, kept alive
            for thread_id in threads:
                created = http.post(f"/threads/{thread_id}/runs", json={"assistant_id": assistant["id"]}).json()
                current = http.get(f"/threads/{thread_id}/runs/{created['id']}").json()
                seen.append((created["status"], current["status"], current["started_at"] is not None))
                created_runs.append(created)
        finished = [client.wait(run, timeout=20) for run in created_runs]
    assert seen == [("queued", "in_progress", True)] * 5, "answered as queued, already in progress when read"
    assert [run["status"] for run in finished] == ["completed"] * 5
    assert claims_of(database, [run["id"] for run in finished]) == [1] * 5, "claimed once, by its creation"
    assert len(upstream.requests) == 5


def test_a_run_without_a_free_slot_stays_queued_until_one_frees(start_gateway: GatewayFactory, tmp_path: Path) -> None:
    """With every slot busy a new run waits queued, and starts when a slot frees (not at the next poll: in an hour)."""
    database = sqlite_url(tmp_path)
    with FakeUpstream("responses", latency_s=1) as upstream:
        args = ["--database", database, "--upstream-url", upstream.url, "--poll-interval", "3600", "--concurrency", "1"]
        client = api(start_gateway(*args))
        assistant = client.assistant()
        first = client.run(client.thread(("user", "first"))["id"], assistant["id"])
        second = client.run(client.thread(("user", "second"))["id"], assistant["id"])
        waiting = client.ok("GET", f"/threads/{second['thread_id']}/runs/{second['id']}")
        done = [client.wait(run, timeout=20) for run in (first, second)]
    assert waiting["status"] == "queued"
    assert [run["status"] for run in done] == ["completed", "completed"]
    assert claims_of(database, [first["id"], second["id"]]) == [1, 1]
    assert [body["input"][-1]["content"] for body in upstream.received] == ["first", "second"]


def test_a_run_this_gateway_has_no_room_for_is_taken_by_another(
    start_gateway: GatewayFactory, postgres: Postgres
) -> None:
    """The database stays the source of truth: a run queued by a full gateway is claimed by another one's poll."""
    url = postgres.url(postgres.new_database())
    with FakeUpstream("responses", latency_s=2) as upstream:
        common = ["--database", url, "--upstream-url", upstream.url]
        full = start_gateway(*common, "--concurrency", "1", "--poll-interval", "3600", log="full.log")
        other = start_gateway(*common, "--poll-interval", "0.1", log="other.log")
        client = api(full)
        assistant = client.assistant()
        runs = [client.run(client.thread(("user", f"question {n}"))["id"], assistant["id"]) for n in range(2)]
        done = [client.wait(run, timeout=20) for run in runs]
    assert [run["status"] for run in done] == ["completed", "completed"]
    assert f"run {runs[0]['id']}: completed" in full.log, "the first run started where it was created"
    assert f"run {runs[1]['id']}: completed" in other.log, "the second waited for no slot there: the other took it"
    assert claims_of(url, [run["id"] for run in runs]) == [1, 1]


# -- crashes and several processes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DATABASES)
def test_a_gateway_killed_mid_run_finishes_the_run_after_a_restart_with_one_answer(
    kind: str, start_gateway: GatewayFactory, database_url: Any
) -> None:
    url = database_url(kind)
    with FakeUpstream("responses", latency_s=1.5) as upstream:
        args = ["--database", url, "--upstream-url", upstream.url, "--lease", "1", "--poll-interval", "0.2"]
        first = start_gateway(*args, log="first.log")
        client = api(first)
        run = client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"])
        while upstream.arrivals < 1:  # the upstream has the request, and takes 1.5 s to answer it
            time.sleep(0.01)
        first.kill()
        second = start_gateway(*args, log="second.log")
        done = api(second).wait(run, timeout=20)
        assert done["status"] == "completed"
        answers = api(second).ok("GET", f"/threads/{run['thread_id']}/messages?run_id={run['id']}")["data"]
    assert len(answers) == 1
    assert len(upstream.requests) == 2, "the killed gateway's request, and the one after the restart"


def test_two_gateways_on_one_postgresql_execute_each_run_once(
    start_gateway: GatewayFactory, postgres: Postgres
) -> None:
    url = postgres.url(postgres.new_database())
    with FakeUpstream("responses", latency_s=0.2) as upstream:
        args = ["--database", url, "--upstream-url", upstream.url, "--poll-interval", "0.1", "--concurrency", "8"]
        gateways = [start_gateway(*args, log=f"gateway-{n}.log") for n in range(2)]
        clients = [api(gateway) for gateway in gateways]
        assistant = clients[0].assistant()

        def one_run(n: int) -> dict[str, Any]:
            client = clients[n % 2]
            return client.run(client.thread(("user", f"question {n}"))["id"], assistant["id"])

        with ThreadPoolExecutor(8) as pool:
            runs = list(pool.map(one_run, range(40)))
        finished = [clients[1].wait(run, timeout=60) for run in runs]
        received = [body["input"][-1]["content"] for body in upstream.received]
    assert {run["status"] for run in finished} == {"completed"}
    assert sorted(received) == sorted(f"question {n}" for n in range(40)), "each run executed once upstream"
    executed_by = [sum("run run_" in line and ": completed" in line for line in g.log.splitlines()) for g in gateways]
    assert sum(executed_by) == 40 and min(executed_by) > 0, executed_by


def test_a_gateway_keeps_working_after_its_postgresql_restarted(
    start_gateway: GatewayFactory, postgres: Postgres
) -> None:
    """Pooled connections the restart closed are replaced: the requests after it succeed, and so does a run."""
    url = postgres.url(postgres.new_database())
    with FakeUpstream("responses") as upstream:
        # no poll: no transaction of the worker's own is open when the server stops (it would fail, and be retried)
        gateway = start_gateway("--database", url, "--upstream-url", upstream.url, "--poll-interval", "3600")
        client = api(gateway)
        assistant = client.assistant()
        with ThreadPoolExecutor(4) as pool:  # several connections in the pool, all closed by the restart
            before = list(
                pool.map(lambda n: client.run(client.thread(("user", f"before {n}"))["id"], assistant["id"]), range(4))
            )
        assert {client.wait(run, timeout=20)["status"] for run in before} == {"completed"}
        postgres.restart()
        with ThreadPoolExecutor(4) as pool:
            after = list(
                pool.map(lambda n: client.run(client.thread(("user", f"after {n}"))["id"], assistant["id"]), range(4))
            )
        assert {client.wait(run, timeout=20)["status"] for run in after} == {"completed"}
        received = sorted(body["input"][-1]["content"] for body in upstream.received)
    assert received == sorted(f"{when} {n}" for when in ("before", "after") for n in range(4)), "each run once"
    assert "Traceback" not in gateway.log, "no transaction failed on a connection the restart closed"


def test_a_run_cancelled_after_its_gateway_died_ends_cancelled_once_its_lease_expires(
    start_gateway: GatewayFactory, tmp_path: Path
) -> None:
    with FakeUpstream("responses", latency_s=2) as upstream:
        args = ["--database", sqlite_url(tmp_path), "--upstream-url", upstream.url, "--lease", "3"]
        args += ["--poll-interval", "0.2"]
        first = start_gateway(*args, log="first.log")
        client = api(first)
        run = client.run(client.thread(("user", "hi"))["id"], client.assistant()["id"])
        while upstream.arrivals < 1:
            time.sleep(0.01)
        first.kill()
        second = api(start_gateway(*args, log="second.log"))
        path = f"/threads/{run['thread_id']}/runs/{run['id']}"
        assert second.ok("POST", path + "/cancel")["status"] == "cancelling"  # its lease still runs: nobody stops it
        cancelled = second.wait(run, until=frozenset({"cancelled"}), timeout=15)
        time.sleep(2.5)  # the upstream's answer to the dead gateway would have come by now
        assert second.ok("GET", path)["status"] == "cancelled"
    assert cancelled["cancelled_at"] is not None
    assert second.ok("GET", f"/threads/{run['thread_id']}/messages?run_id={run['id']}")["data"] == []
    assert upstream.arrivals == 1, "nobody executed it again"
