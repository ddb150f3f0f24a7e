"""The real tools, driven as a user would: the cdktf CLI to synthesize, Terraform to init/plan/apply/destroy.

Tool locations come from the environment that ``scripts/setup-tools.sh`` prepares (``tools.env``):
``OTR_TERRAFORM``, ``OTR_TF_CLI_CONFIG_FILE`` (a provider_installation that uses only the local mirror, so
``terraform init`` never reaches for the network) and ``OTR_CDKTF_CLI``. ``OTR_TERRAFORM`` may name OpenTofu's
``tofu`` too (scripts/test.sh runs the suite on it): :class:`Cli` says which one it is, and what differs.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Where scripts/setup-tools.sh writes tools.env: scripts/lib.sh's OTR_CACHE, which follows XDG_CACHE_HOME.
XDG_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
CACHE = Path(os.environ.get("OTR_CACHE") or XDG_CACHE / "openai-thread-run")
TOOLS_ENV = CACHE / "tools" / "tools.env"
SCENARIO_APP = Path(__file__).with_name("scenario_app.py")
#: A fake key: the local API only checks that one is sent.
API_KEY = "sk-e2e-local-test-key"
#: Per command; Terraform plus the provider's start-up takes a few seconds here.
COMMAND_TIMEOUT_S = 300


def tool_settings() -> dict[str, str]:
    """The environment, completed from ``tools.env`` (which ``scripts/setup-tools.sh`` writes) unless it names the
    tools itself (``OTR_TERRAFORM`` set)."""
    values = dict(os.environ)
    if "OTR_TERRAFORM" not in values and TOOLS_ENV.exists():
        for line in TOOLS_ENV.read_text().splitlines():
            key, _, value = line.partition("=")
            values.setdefault(key, value)
    return values


def terraform_env(cli_config: Path, api_url: str) -> dict[str, str]:
    """The environment of a Terraform command against the local API at ``api_url``: providers only from the
    mirror of ``cli_config``, no prompts or update checks, and the fake key for the provider and the waiter."""
    return {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "TF_INPUT": "0",
        "CHECKPOINT_DISABLE": "1",
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_API_URL": api_url,
    }


@dataclass(frozen=True)
class Cli:
    """Terraform or OpenTofu: what the suite reads differently from each."""

    #: The product's name, as its messages write it ("Terraform will perform the following actions").
    name: str
    #: The registry a provider source without a host (``mkdev-me/openai``) means.
    registry: str
    version: str

    @classmethod
    def of(cls, binary: Path) -> Cli:
        """Ask ``binary version -json`` (both write ``terraform_version``); ``tofu`` is OpenTofu."""
        opentofu = binary.name.startswith("tofu")
        found = subprocess.run(
            [str(binary), "version", "-json"], capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=True
        )
        version = str(json.loads(found.stdout)["terraform_version"])
        if opentofu:
            return cls("OpenTofu", "registry.opentofu.org", version)
        return cls("Terraform", "registry.terraform.io", version)


@dataclass(frozen=True)
class Tools:
    """Paths of the built tools."""

    terraform: Path
    cli_config: Path
    cdktf: Path
    null_provider_unavailable: str | None

    @functools.cached_property
    def cli(self) -> Cli:
        """Which CLI ``terraform`` is (Terraform or OpenTofu), and its version."""
        return Cli.of(self.terraform)

    @classmethod
    def find(cls) -> Tools | str:
        """Return the tools, or the reason they cannot be used."""
        values = tool_settings()
        required = ("OTR_TERRAFORM", "OTR_TF_CLI_CONFIG_FILE", "OTR_CDKTF_CLI")
        missing = [name for name in required if not values.get(name)]
        if missing:
            return f"e2e tools not set up ({', '.join(missing)} unset): run scripts/test.sh, or scripts/setup-tools.sh"
        tools = cls(
            terraform=Path(values["OTR_TERRAFORM"]),
            cli_config=Path(values["OTR_TF_CLI_CONFIG_FILE"]),
            cdktf=Path(values["OTR_CDKTF_CLI"]),
            null_provider_unavailable=values.get("OTR_NULL_PROVIDER_UNAVAILABLE") or None,
        )
        absent = [str(path) for path in (tools.terraform, tools.cli_config, tools.cdktf) if not path.exists()]
        if absent:
            return f"e2e tools missing: {', '.join(absent)} (run scripts/setup-tools.sh)"
        return tools


class CommandFailed(Exception):
    """A tool exited non-zero; carries its output. Not an AssertionError, so a test's xfail on a wrong *result*
    (raises=AssertionError) is never satisfied by a command that failed for another reason."""

    def __init__(self, args: list[str], result: subprocess.CompletedProcess[str]) -> None:
        self.result = result
        self.output = result.stdout + result.stderr
        super().__init__(
            f"{' '.join(args[:3])} failed with exit code {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-6000:]}\n--- stderr ---\n{result.stderr[-6000:]}"
        )


def _run(args: list[str], cwd: Path, env: dict[str, str], check: bool) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL
    )
    if check and result.returncode != 0:
        raise CommandFailed(args, result)
    return result


#: What jsii prints on an end-of-life Node.js; the scripts run jsii on Node 24, so it must never show.
NODE_BANNER = "end-of-life and not supported"


def run_cdktf_synth(
    tools: Tools, project: Path, app: str, env_extra: dict[str, str] | None = None, *options: str
) -> subprocess.CompletedProcess[str]:
    """Run the real ``cdktf synth [OPTIONS]`` for ``app`` in ``project`` (output in ``project/cdktf.out``)."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "cdktf.json").write_text(
        json.dumps({"language": "python", "app": app, "sendCrashReports": "false", "terraformProviders": []})
    )
    env = {**os.environ, "CHECKPOINT_DISABLE": "1", "PYTHONPATH": str(REPO_ROOT), **(env_extra or {})}
    # the app runs with this interpreter (the venv's), whatever `python3` is first on PATH
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return _run([str(tools.cdktf), "synth", "--output", "cdktf.out", *options], cwd=project, env=env, check=False)


#: Where ``cdktf synth``'s stacks are kept for the other suites of one ``scripts/test.sh`` run (unset: no cache).
SYNTH_CACHE_VAR = "OTR_E2E_SYNTH_CACHE"
#: What stands for the local API's URL (its port differs from run to run) and for the project folder (cdktf writes
#: the state file's absolute path into the backend block) in a cached stack.
URL_PLACEHOLDER = "http://otr-e2e-local-api.invalid/v1"
PROJECT_PLACEHOLDER = "/otr-e2e-project.invalid"


def synth_with_cli(
    tools: Tools, project: Path, app: str, env_extra: dict[str, str] | None = None, *, api_url: str | None = None
) -> Path:
    """Run the real ``cdktf synth``, which must succeed without jsii's Node banner; return the stacks folder.

    ``scripts/test.sh`` runs the end-to-end suite on several CLIs (Terraform 1.5.7, the newest Terraform, OpenTofu)
    with the same Python and source tree, and ``cdktf synth`` writes the same stacks for each: what it wrote first
    is kept in ``$OTR_E2E_SYNTH_CACHE`` (the local API's ``api_url`` and the project folder in it replaced by
    placeholders), and later synths of the same app and inputs read it back with their own ``api_url`` and folder,
    instead of running the cdktf CLI (seconds of Node.js and jsii) again.
    """
    cached = _synth_cache_entry(app, env_extra, api_url)
    stacks = project / "cdktf.out" / "stacks"
    placeholders = {URL_PLACEHOLDER: api_url, PROJECT_PLACEHOLDER: str(project)}
    if cached is not None and cached.is_dir():
        _copy_stacks(cached, stacks, placeholders)
        return stacks
    result = run_cdktf_synth(tools, project, app, env_extra)
    if result.returncode != 0:
        raise CommandFailed(["cdktf", "synth"], result)
    assert NODE_BANNER not in result.stdout + result.stderr, "jsii's Node.js end-of-life banner reached the user"
    if cached is not None:
        staged = Path(tempfile.mkdtemp(dir=cached.parent))
        _copy_stacks(stacks, staged / "stacks", {value: key for key, value in placeholders.items() if value})
        with contextlib.suppress(OSError):  # another suite kept the same stacks meanwhile
            (staged / "stacks").rename(cached)
        shutil.rmtree(staged, ignore_errors=True)
    return stacks


def _synth_cache_entry(app: str, env_extra: dict[str, str] | None, api_url: str | None) -> Path | None:
    """The cache folder of ``app`` with ``env_extra`` (see :func:`synth_with_cli`), or None without a cache."""
    folder = os.environ.get(SYNTH_CACHE_VAR)
    if not folder:
        return None
    inputs = json.dumps([app, env_extra or {}], sort_keys=True)
    if api_url is not None:
        inputs = inputs.replace(api_url, URL_PLACEHOLDER)
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder) / hashlib.sha256(inputs.encode()).hexdigest()


def _copy_stacks(source: Path, target: Path, replacements: dict[str, str | None]) -> None:
    """Copy the stacks folder ``source`` to ``target``, each key of ``replacements`` replaced by its value."""
    for path in source.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for old, new in replacements.items():
                if new is not None:
                    text = text.replace(old, new)
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            (target / path.relative_to(source)).write_text(text, encoding="utf-8")


@dataclass
class Workspace:
    """One synthesized stack folder and the Terraform commands run in it against ``api_url``."""

    tools: Tools
    directory: Path
    api_url: str
    log: list[str] = field(default_factory=list)
    #: Set or override environment variables of every Terraform command (e.g. a wrong OPENAI_API_URL).
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {**terraform_env(self.tools.cli_config, self.api_url), **self.extra_env}

    def terraform(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``terraform ARGS`` in the stack folder (no colour, no input)."""
        self.log.append(" ".join(args))
        return _run([str(self.tools.terraform), *args], cwd=self.directory, env=self.env, check=check)

    def init(self) -> None:
        self.terraform("init", "-no-color", "-input=false")

    def validate(self) -> None:
        self.terraform("validate", "-no-color")

    def plan_exit_code(self) -> tuple[int, str]:
        """``plan -detailed-exitcode``: 0 no changes, 2 changes (1 is an error and fails here)."""
        result = self.terraform("plan", "-no-color", "-input=false", "-detailed-exitcode", check=False)
        if result.returncode == 1:
            raise AssertionError(f"terraform plan failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        return result.returncode, result.stdout

    def apply(self, *extra: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.terraform("apply", "-no-color", "-input=false", "-auto-approve", *extra, check=check)

    def refresh(self) -> None:
        """``apply -refresh-only``: read the run again (the provider does not wait for it to finish)."""
        self.apply("-refresh-only")

    def destroy(self) -> None:
        self.terraform("destroy", "-no-color", "-input=false", "-auto-approve")

    def cleanup(self) -> None:
        """Best-effort destroy after a failure, without refreshing (so it cannot mask the failure)."""
        self.terraform("destroy", "-no-color", "-input=false", "-auto-approve", "-refresh=false", check=False)

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self.terraform("output", "-no-color", "-json").stdout)
        return {name: value["value"] for name, value in raw.items()}

    def graph_edges(self) -> set[tuple[str, str]]:
        """``terraform graph`` as (dependent, dependency) address pairs: ``("terraform_data.a", "openai_thread.b")``.

        Terraform 1.5 writes an edge as ``"[root] A (expand)" -> "[root] B (expand)"``, 1.7 and later (a simpler
        graph) as ``"A" -> "B";``; both read the same here.
        """
        edges = set()
        for line in self.terraform("graph").stdout.splitlines():
            found = re.fullmatch(r'\s*"([^"]+)" -> "([^"]+)";?\s*', line)
            if found:
                edges.add((_graph_address(found.group(1)), _graph_address(found.group(2))))
        return edges

    def state_resources(self) -> list[dict[str, Any]]:
        result = self.terraform("show", "-no-color", "-json")
        values = json.loads(result.stdout).get("values") or {}
        resources: list[dict[str, Any]] = values.get("root_module", {}).get("resources", [])
        return resources

    def synthesized(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads((self.directory / "cdk.tf.json").read_text())
        return document


def _graph_address(node: str) -> str:
    """The resource address of a ``terraform graph`` node, without Terraform 1.5's ``[root] `` and `` (expand)``."""
    return node.removeprefix("[root] ").removesuffix(" (expand)")
