"""The gateway's settings: command-line options, each with an environment variable, and secrets from the environment.

An option given on the command line wins over its environment variable, which wins over the default
(:data:`OPTIONS` lists them). Secrets come only from the environment: the upstream's key (``OTR_UPSTREAM_API_KEY``)
and the client keys (``OTR_GATEWAY_API_KEYS``, comma-separated, each a tenant). An upstream header's value may be
``$NAME``, read from the environment variable ``NAME``, so that no secret is written on a command line (which
other users of the machine can read).
"""

from __future__ import annotations

import argparse
import re
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from .keys import parse_keys
from .upstream import APIS

UPSTREAM_KEY_VAR = "OTR_UPSTREAM_API_KEY"
CLIENT_KEYS_VAR = "OTR_GATEWAY_API_KEYS"
HEADERS_VAR = "OTR_UPSTREAM_HEADERS"
HEADER_FLAG = "--upstream-header"
HEADER_HELP = (
    "a header sent with every upstream request (repeatable), such as Azure OpenAI's api-key; a VALUE of $VAR is read"
    " from the environment variable VAR. Its environment variable holds NAME=VALUE,NAME=VALUE with %-encoded values"
)
#: The settings only the environment gives (secrets), and what each is.
ENVIRONMENT_ONLY = (
    (
        CLIENT_KEYS_VAR,
        "the client keys, comma-separated: each is a tenant, and its clients send it as their OPENAI_API_KEY"
        " (required)",
    ),
    (UPSTREAM_KEY_VAR, "the upstream's key, sent as Authorization: Bearer (unset: no Authorization header)"),
)
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


@dataclass(frozen=True)
class Option:
    """One command-line option: its flag, environment variable, default and help."""

    flag: str
    env: str
    default: str
    help: str
    metavar: str


#: The options, in ``--help`` order.
OPTIONS: tuple[Option, ...] = (
    Option("--host", "OTR_GATEWAY_HOST", "127.0.0.1", "address to listen on (0.0.0.0: every interface)", "HOST"),
    Option("--port", "OTR_GATEWAY_PORT", "8080", "TCP port; 0 picks a free one (the URL line says which)", "PORT"),
    Option(
        "--database",
        "OTR_GATEWAY_DATABASE",
        "sqlite:///otr-gateway.db",
        "sqlite:///FILE (one machine), or postgresql://USER:PASSWORD@HOST:PORT/DB (several gateway processes)",
        "URL",
    ),
    Option("--upstream-url", "OTR_UPSTREAM_URL", "https://api.openai.com/v1", "base URL of the model API", "URL"),
    Option(
        "--upstream-api",
        "OTR_UPSTREAM_API",
        "responses",
        "which API the upstream speaks: responses (POST /responses) or chat-completions (POST /chat/completions)",
        "API",
    ),
    Option(
        "--upstream-timeout",
        "OTR_UPSTREAM_TIMEOUT",
        "600",
        "seconds one upstream request may take (a run's retries end at its expiry anyway)",
        "SECONDS",
    ),
    Option(
        "--run-expires-after",
        "OTR_GATEWAY_RUN_EXPIRES_AFTER",
        "600",
        "seconds after its creation a run expires (OpenAI: 600): the upstream is retried until then",
        "SECONDS",
    ),
    Option("--concurrency", "OTR_GATEWAY_CONCURRENCY", "32", "runs this process executes at once", "N"),
    Option(
        "--lease",
        "OTR_GATEWAY_LEASE_SECONDS",
        "30",
        "seconds a claimed run stays with this process without a renewal; a run whose process died is taken over"
        " after it",
        "SECONDS",
    ),
    Option(
        "--poll-interval",
        "OTR_GATEWAY_POLL_INTERVAL",
        "1",
        "seconds between looks for runs other processes queued, leases that expired, and runs to expire",
        "SECONDS",
    ),
    Option("--log-level", "OTR_GATEWAY_LOG_LEVEL", "info", "debug, info, warning or error", "LEVEL"),
    Option("--access-log", "OTR_GATEWAY_ACCESS_LOG", "on", "log each request (on or off)", "on/off"),
)


@dataclass(frozen=True)
class Settings:
    """Everything the gateway runs with. ``repr`` shows no secret."""

    host: str = "127.0.0.1"
    port: int = 8080
    database: str = "sqlite:///otr-gateway.db"
    upstream_url: str = "https://api.openai.com/v1"
    upstream_api: str = "responses"
    upstream_timeout_s: float = 600.0
    run_expires_after_s: float = 600.0
    concurrency: int = 32
    lease_s: float = 30.0
    poll_interval_s: float = 1.0
    log_level: str = "info"
    access_log: bool = True
    #: Extra headers sent upstream with every request (name, value).
    upstream_headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)
    upstream_api_key: str | None = field(default=None, repr=False)
    client_keys: tuple[str, ...] = field(default=(), repr=False)

    @property
    def secrets(self) -> list[str]:
        """Every secret value: the upstream key, the header values, the client keys and the database's password."""
        found = [value for _, value in self.upstream_headers] + list(self.client_keys)
        password = urllib.parse.urlsplit(self.database).password
        if password:
            found += [password, urllib.parse.quote(password, safe="")]
        return found + ([self.upstream_api_key] if self.upstream_api_key else [])

    @property
    def url(self) -> str:
        """The API's base URL for clients (``api_url``) on the configured port."""
        return base_url(self.host, self.port)


def base_url(host: str, port: int) -> str:
    """Return ``http://HOST:PORT/v1`` (an IPv6 address in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/v1"


def parser() -> argparse.ArgumentParser:
    """Return the command line's parser (every option defaults to None: :func:`parse` applies the environment)."""
    described = argparse.ArgumentParser(
        prog="openai-thread-run-gateway",
        description=(
            "Serve the Assistants v2 API that Terraform provider mkdev-me/openai 1.2.0 and ThreadRunConstruct use,"
            " and execute each run on a model API. Every option has an environment variable; secrets only come from"
            f" the environment: {UPSTREAM_KEY_VAR} (the upstream's key) and {CLIENT_KEYS_VAR} (comma-separated client"
            " keys, each a tenant)."
        ),
    )
    for option in OPTIONS:
        described.add_argument(
            option.flag,
            metavar=option.metavar,
            default=None,
            help=f"{option.help} [env {option.env}; default {option.default}]",
        )
    described.add_argument(
        HEADER_FLAG,
        action="append",
        default=None,
        metavar="NAME=VALUE",
        help=f"{HEADER_HELP.replace('%', '%%')} [env {HEADERS_VAR}]",
    )
    return described


def parse(argv: Sequence[str] | None, environ: Mapping[str, str]) -> Settings:
    """Return the settings of ``argv`` and ``environ``; exit with every problem listed (status 2) when invalid."""
    command_line = parser()
    given = vars(command_line.parse_args(argv))
    raw = {
        option.flag: given[_dest(option.flag)] if given[_dest(option.flag)] is not None else environ.get(option.env)
        for option in OPTIONS
    }
    values = {flag: value if value not in (None, "") else _default(flag) for flag, value in raw.items()}
    problems: list[str] = []
    headers = _headers(given["upstream_header"], environ, problems)
    settings = Settings(
        host=values["--host"],
        port=_number(values, "--port", int, problems, minimum=0, maximum=65535),
        database=values["--database"],
        upstream_url=values["--upstream-url"].rstrip("/"),
        upstream_api=_choice(values, "--upstream-api", sorted(APIS), problems),
        upstream_timeout_s=_number(values, "--upstream-timeout", float, problems, minimum=0.001),
        run_expires_after_s=_number(values, "--run-expires-after", float, problems, minimum=0.001),
        concurrency=_number(values, "--concurrency", int, problems, minimum=1),
        lease_s=_number(values, "--lease", float, problems, minimum=0.1),
        poll_interval_s=_number(values, "--poll-interval", float, problems, minimum=0.01),
        log_level=_choice(values, "--log-level", ["debug", "info", "warning", "error"], problems),
        access_log=_choice(values, "--access-log", ["on", "off"], problems) == "on",
        upstream_headers=headers,
        upstream_api_key=environ.get(UPSTREAM_KEY_VAR, "").strip() or None,
        client_keys=tuple(parse_keys(environ.get(CLIENT_KEYS_VAR, ""))),
    )
    if not settings.client_keys:
        problems.append(
            f"{CLIENT_KEYS_VAR} is not set: give the gateway at least one client key (comma-separated; each is a"
            " tenant, and clients send it as their OPENAI_API_KEY)"
        )
    scheme = urllib.parse.urlsplit(settings.upstream_url).scheme
    if scheme not in ("http", "https"):
        problems.append(f"--upstream-url: must be an http:// or https:// URL (got {settings.upstream_url!r})")
    if problems:
        command_line.error("\n  " + "\n  ".join(problems))
    return settings


def _dest(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def _default(flag: str) -> str:
    return next(option.default for option in OPTIONS if option.flag == flag)


def _env_of(flag: str) -> str:
    return next(option.env for option in OPTIONS if option.flag == flag)


Number = TypeVar("Number", int, float)


def _number(
    values: Mapping[str, str],
    flag: str,
    kind: Callable[[str], Number],
    problems: list[str],
    *,
    minimum: float,
    maximum: float | None = None,
) -> Number:
    """Read a number option (``kind``: int or float), within its bounds; on a problem note it and return 0."""
    text = values[flag]
    try:
        value = kind(text)
    except ValueError:
        problems.append(f"{flag} ({_env_of(flag)}): not a{'n integer' if kind is int else ' number'}: {text!r}")
        return kind("0")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum:g} to {maximum:g}" if maximum is not None else f"at least {minimum:g}"
        problems.append(f"{flag} ({_env_of(flag)}): must be {bound} (got {text})")
    return value


def _choice(values: Mapping[str, str], flag: str, allowed: list[str], problems: list[str]) -> str:
    value = values[flag].strip().lower()
    if value not in allowed:
        problems.append(f"{flag} ({_env_of(flag)}): must be one of {', '.join(allowed)} (got {values[flag]!r})")
    return value


def _headers(flags: list[str] | None, environ: Mapping[str, str], problems: list[str]) -> tuple[tuple[str, str], ...]:
    """Read ``OTR_UPSTREAM_HEADERS``, then the ``--upstream-header`` flags (a flag wins over a header of its name)."""
    headers: dict[str, tuple[str, str]] = {}
    for item in parse_keys(environ.get(HEADERS_VAR, "")):
        name, _, value = item.partition("=")
        _add_header(headers, name.strip(), urllib.parse.unquote(value.strip()), HEADERS_VAR, problems)
    for item in flags or []:
        name, equals, value = item.partition("=")
        if not equals:
            problems.append(f"--upstream-header: expected NAME=VALUE (got a value without '=' for {name.strip()!r})")
            continue
        if value.startswith("$$"):
            value = value[1:]
        elif value.startswith("$"):
            variable = value[1:]
            if variable not in environ:
                problems.append(f"--upstream-header {name.strip()}: the environment variable {variable} is not set")
                continue
            value = environ[variable]
        _add_header(headers, name.strip(), value, "--upstream-header", problems)
    return tuple(headers.values())


def _add_header(headers: dict[str, tuple[str, str]], name: str, value: str, source: str, problems: list[str]) -> None:
    if not _HEADER_NAME.fullmatch(name):
        problems.append(f"{source}: {name!r} is not a header name")
    elif any(character in value for character in "\r\n\0"):
        problems.append(f"{source}: the value of {name} holds a line break or NUL")
    else:
        headers[name.lower()] = (name, value)
