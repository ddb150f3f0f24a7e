"""Real processes for the gateway's tests: the gateway itself, and a PostgreSQL server started from the machine's
binaries. Both die with the test process (Linux's parent-death signal), even when it is killed.

- :class:`GatewayProcess` runs ``python -m openai_thread_run.gateway --port 0 ...`` and reads the URL it prints as
  its first stdout line; its log (stderr) goes to a file the test can read; :meth:`GatewayProcess.kill` sends
  SIGKILL, :meth:`GatewayProcess.stop` SIGTERM.
- :class:`Postgres` runs ``initdb`` into a temporary folder and ``postgres`` listening only on a Unix socket in it
  (no TCP port at all); :meth:`Postgres.new_database` makes an empty database and returns its URL;
  :meth:`Postgres.restart` stops the server (its connections closed) and starts it again on the same data.
"""

from __future__ import annotations

import os
import pwd
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

REPO = Path(__file__).resolve().parents[2]


def _postgres_bin() -> Path:
    """Where PostgreSQL's programs are: ``OTR_POSTGRES_BIN``, else the newest ``/usr/lib/postgresql/N/bin`` (Debian
    and Ubuntu: 15 on the project's machines, 16 on GitHub's ubuntu-24.04), else the one of 15 (to name it)."""
    if os.environ.get("OTR_POSTGRES_BIN"):
        return Path(os.environ["OTR_POSTGRES_BIN"])
    found = [path for path in Path("/usr/lib/postgresql").glob("*/bin") if (path / "initdb").exists()]
    newest = sorted(found, key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)
    return newest[-1] if newest else Path("/usr/lib/postgresql/15/bin")


POSTGRES_BIN = _postgres_bin()
START_TIMEOUT_S = 30.0
#: Runs in the child before it becomes the program: it dies with the process that started it (SIGKILL), and when
#: started as root for PostgreSQL, first becomes the user named in OTR_RUN_AS (initdb and postgres refuse root).
_LAUNCHER = """
import ctypes, os, signal, sys
parent = int(sys.argv[1])
user = os.environ.pop("OTR_RUN_AS", "")
if user:
    import pwd
    entry = pwd.getpwnam(user)
    os.setgid(entry.pw_gid)
    os.initgroups(user, entry.pw_gid)
    os.setuid(entry.pw_uid)
    os.environ["HOME"] = entry.pw_dir
ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
if os.getppid() != parent:
    sys.exit(1)
os.execvp(sys.argv[2], sys.argv[2:])
"""


def dies_with_us(command: Sequence[str]) -> list[str]:
    """Return ``command`` wrapped so that it is killed when this process ends."""
    return [sys.executable, "-c", _LAUNCHER, str(os.getpid()), *command]


class GatewayProcess:
    """One ``openai-thread-run-gateway`` process (see the module docstring)."""

    def __init__(
        self, args: Sequence[str], env: Mapping[str, str], log_path: Path, *, program: Sequence[str] = ()
    ) -> None:
        """Start the gateway with ``args`` (``--port 0`` first) and exactly the environment ``env``.

        ``program``: how to start it (default: ``python -m openai_thread_run.gateway`` on this interpreter).
        """
        self.args = list(args)
        self.log_path = log_path
        command = [*(program or (sys.executable, "-m", "openai_thread_run.gateway")), "--port", "0", *args]
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            dies_with_us(command),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._log,
            env=dict(env),
            cwd=log_path.parent,
        )
        self.url = self._first_line()

    def _first_line(self) -> str:
        assert self.process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            ready, _, _ = select.select([self.process.stdout], [], [], max(remaining, 0))
            if not ready:
                self.kill()
                raise AssertionError(f"the gateway printed no URL within {START_TIMEOUT_S} s:\n{self.log}")
            chunk = os.read(self.process.stdout.fileno(), 1)
            if not chunk:
                self.process.wait(5)
                raise AssertionError(f"the gateway exited {self.process.returncode} before its URL:\n{self.log}")
            line += chunk
        return line.decode().strip()

    @property
    def log(self) -> str:
        """What the gateway has logged so far (its stderr)."""
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the gateway (it gets no chance to clean up) and wait for it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self._log.close()

    def stop(self) -> int:
        """SIGTERM the gateway and wait for it to stop; return its exit status (uvicorn ends by the signal)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(30)
        self._log.close()
        return status


def run_gateway_command(
    args: Sequence[str], env: Mapping[str, str], timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run the gateway's command to its end (for ``--help`` and refused settings)."""
    return subprocess.run(
        dies_with_us([sys.executable, "-m", "openai_thread_run.gateway", *args]),
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


class Postgres:
    """A PostgreSQL server of this test session (see the module docstring)."""

    def __init__(self) -> None:
        """Initialise a cluster in a new temporary folder and start it; raise when that fails."""
        self.root = Path(tempfile.mkdtemp(prefix="otr-pg-"))  # short: a Unix socket path holds at most 107 bytes
        self.data = self.root / "data"
        self.user = "postgres" if os.getuid() == 0 else pwd.getpwuid(os.getuid()).pw_name
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        if os.getuid() == 0:
            shutil.chown(self.root, user="postgres")
            env["OTR_RUN_AS"] = "postgres"
        self._env = env
        initdb = [str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust", "--no-sync"]
        subprocess.run(dies_with_us(initdb), env=env, check=True, capture_output=True, timeout=120)
        settings = {
            "listen_addresses": "",
            "unix_socket_directories": str(self.root),
            "fsync": "off",
            "max_connections": "200",
        }
        self._options = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
        self._log = (self.root / "postgres.log").open("ab")
        self._start()
        self._databases = 0

    def _start(self) -> None:
        self.process = subprocess.Popen(
            dies_with_us([str(POSTGRES_BIN / "postgres"), "-D", str(self.data), *self._options]),
            env=self._env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )
        self._wait_until_ready()

    def restart(self) -> None:
        """Stop the server (fast shutdown: its connections are closed) and start it again on the same data."""
        self._shut_down()
        self._start()

    def _wait_until_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "PostgreSQL did not start:\n" + (self.root / "postgres.log").read_text(errors="replace")
                    ) from None
                time.sleep(0.1)

    def dsn(self, database: str) -> str:
        """Return psycopg's connection string for ``database``."""
        return f"host={self.root} user={self.user} dbname={database}"

    def url(self, database: str) -> str:
        """Return the gateway's ``--database`` URL for ``database``."""
        return f"postgresql://{self.user}@/{database}?host={self.root}"

    def new_database(self) -> str:
        """Create an empty database; return its name."""
        self._databases += 1
        name = f"gateway_{self._databases}"
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        self._shut_down()
        self._log.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def _shut_down(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def postgres_missing() -> str | None:
    """Say why PostgreSQL cannot be started here, or None when it can."""
    for program in ("initdb", "postgres"):
        if not (POSTGRES_BIN / program).exists():
            return f"PostgreSQL's {program} is not in {POSTGRES_BIN} (on Debian/Ubuntu: apt-get install postgresql-15)"
    if os.getuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no 'postgres' user to run PostgreSQL as"
    return None
