"""The release artifacts: sdist and wheel build, pass ``twine check``, carry the right metadata, and work installed.

One build per module (module-scoped fixture): ``python -m build``, which builds the sdist and then the wheel from
the unpacked sdist, as the release workflow does. The sdist carries no tests (they need the repository's scripts
and tools); a test proves it has none and builds the same wheel as the repository. The install test makes a fresh
venv without the system's or this repository's packages, installs the wheel there (dependencies from the package
index), copies the examples to a directory outside the repository and synthesizes them, and checks the package was
imported from the venv. Runs on every Python version scripts/test.sh tests.
"""

from __future__ import annotations

import email.message
import email.parser
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from openai_thread_run._version import __version__

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PACKAGE_FILES = sorted(
    path.relative_to(REPO / "src").as_posix()
    for path in (REPO / "src" / "openai_thread_run").rglob("*")
    if path.is_file() and "__pycache__" not in path.parts
)
EXAMPLES = ("app.py", "new_thread.py", "existing_thread.py")
EXAMPLE_STACKS = ("new-thread", "existing-thread")
#: The Python versions the package is tested on and classified for: scripts/test.sh's default
#: OTR_PYTHON_VERSIONS and the CI workflow's matrix list exactly these, and requires-python starts at the first.
TESTED_PYTHONS = ("3.11", "3.12", "3.13")
#: What the sdist holds at its top level: the wheel's sources and what README links to (hatchling always adds
#: .gitignore), and nothing else.
SDIST_TOP_LEVEL = {"PKG-INFO", "pyproject.toml", ".gitignore", "src", "examples", "cdktf.json", "README.md"}
SDIST_TOP_LEVEL |= {"CHANGELOG.md", "LICENSE"}


@dataclass(frozen=True)
class Dist:
    """The two artifacts of one ``python -m build``."""

    sdist: Path
    wheel: Path


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run ``command``; fail the test with its output when it fails. Returns stdout."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, (
        f"{' '.join(command)} exited {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    outdir = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(outdir), str(REPO)], cwd=REPO)
    sdists = sorted(outdir.glob("*.tar.gz"))
    wheels = sorted(outdir.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, f"expected one sdist and one wheel, got {sorted(outdir.iterdir())}"
    return Dist(sdist=sdists[0], wheel=wheels[0])


def wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        [name] = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        return email.parser.Parser().parsestr(archive.read(name).decode())


def test_artifacts_are_named_for_the_distribution_and_version(dist: Dist) -> None:
    assert dist.sdist.name == f"cdktf_openai_thread_run-{__version__}.tar.gz"
    assert dist.wheel.name == f"cdktf_openai_thread_run-{__version__}-py3-none-any.whl"


def test_twine_check_passes_on_both_artifacts(dist: Dist) -> None:
    output = run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist.sdist), str(dist.wheel)], cwd=dist.wheel.parent
    )
    assert output.count("PASSED") == 2, output


def test_wheel_holds_the_whole_package_with_py_typed_and_nothing_else(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as archive:
        names = archive.namelist()
    package = sorted(name for name in names if not name.startswith("cdktf_openai_thread_run-"))
    assert "openai_thread_run/py.typed" in package
    assert "openai_thread_run/bindings/__init__.py" in package
    # the gateway serves OpenAI's Assistants spec, which is MIT: its license goes with it
    spec = "openai_thread_run/gateway/openai-assistants-api/"
    assert {spec + "openapi.json", spec + "LICENSE"} <= set(package)
    with zipfile.ZipFile(dist.wheel) as archive:
        assert archive.read(spec + "LICENSE") == (REPO / "src" / spec / "LICENSE").read_bytes()
        assert b"MIT License" in archive.read(spec + "LICENSE")
    assert {"openai_thread_run/bindings/thread_run.py", "openai_thread_run/bindings/provider.py"} <= set(package)
    assert package == [name for name in PACKAGE_FILES if not name.endswith((".pyc", ".pyo"))]
    assert f"cdktf_openai_thread_run-{__version__}.dist-info/licenses/LICENSE" in names


def test_sdist_holds_the_sources_docs_and_changelog(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for required in ("pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE", "src/openai_thread_run/py.typed"):
        assert required in names, required
    assert {f"examples/{example}" for example in EXAMPLES} <= names
    assert {f"src/{name}" for name in PACKAGE_FILES if not name.endswith((".pyc", ".pyo"))} <= names


def test_sdist_carries_no_tests_and_nothing_they_would_need(dist: Dist) -> None:
    # Self-consistent by carrying no tests: tests/ would need scripts/, benchmarks/ and the tools scripts/test.sh
    # builds, so a packager running them from the sdist would fail at collection.
    with tarfile.open(dist.sdist) as archive:
        top_level = {name.split("/")[1] for name in archive.getnames() if "/" in name}
    assert top_level == SDIST_TOP_LEVEL


def test_the_wheel_built_from_the_sdist_equals_the_one_built_from_the_repository(
    dist: Dist, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # dist.wheel was built from the unpacked sdist (python -m build does that); this one straight from the tree.
    outdir = tmp_path_factory.mktemp("wheel-from-tree")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(REPO)], cwd=REPO)
    [from_tree] = outdir.glob("*.whl")
    assert from_tree.name == dist.wheel.name
    from_sdist, from_repository = wheel_files(dist.wheel), wheel_files(from_tree)
    assert sorted(from_sdist) == sorted(from_repository)
    assert [name for name in from_sdist if from_sdist[name] != from_repository[name]] == []


def test_the_build_backend_floor_writes_the_license_expression(tmp_path_factory: pytest.TempPathFactory) -> None:
    # pyproject.toml's `license` + `license-files` need hatchling >= 1.27: 1.21 to 1.25 refuse license-files,
    # 1.26 builds without License-Expression. Build with exactly the floor build-system.requires states.
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    [requirement] = pyproject["build-system"]["requires"]
    floor = re.fullmatch(r"hatchling>=([0-9.]+)", requirement)
    assert floor, f"build-system.requires should be one hatchling>= floor, not {requirement!r}"
    root = tmp_path_factory.mktemp("floor")
    run([sys.executable, "-m", "venv", str(root / "venv")], cwd=root)
    python = str(root / "venv" / "bin" / "python")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    run([python, "-m", "pip", "install", "--quiet", f"hatchling=={floor[1]}"], cwd=root, env=env)
    wheels = root / "wheels"
    run(
        [python, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)],
        cwd=root,
        env=env,
    )
    [wheel] = wheels.glob("*.whl")
    meta = wheel_metadata(wheel)
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta.get_all("License-File") == ["LICENSE"]


def test_metadata_has_readme_version_classifiers_and_urls(dist: Dist) -> None:
    meta = wheel_metadata(dist.wheel)
    assert meta["Name"] == "cdktf-openai-thread-run"
    assert meta["Version"] == __version__
    assert meta["Description-Content-Type"] == "text/markdown"
    readme = (REPO / "README.md").read_text()
    long_description = meta.get_payload()
    assert isinstance(long_description, str)
    assert long_description.strip() == readme.strip()
    assert meta["Requires-Python"] == ">=3.11"
    assert meta["License-Expression"] == "Apache-2.0"

    classifiers = meta.get_all("Classifier") or []
    versions = [c for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert versions == [f"Programming Language :: Python :: {version}" for version in TESTED_PYTHONS]
    assert "Typing :: Typed" in classifiers

    urls = dict(entry.split(", ", 1) for entry in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls), urls
    assert all(url.startswith("https://") for url in urls.values())

    assert "cdktn" in (meta.get_all("Provides-Extra") or [])
    requires = meta.get_all("Requires-Dist") or []
    assert any(req.startswith("cdktf") and "extra" not in req for req in requires)
    assert any(req.startswith("cdktn") and "extra == 'cdktn'" in req for req in requires)
    assert "gateway" in (meta.get_all("Provides-Extra") or [])
    gateway = {req.split("<")[0].split(">")[0].split("[")[0] for req in requires if "extra == 'gateway'" in req}
    assert {"starlette", "uvicorn", "httpx", "sqlalchemy", "psycopg", "jsonschema"} <= gateway


def test_the_classified_python_versions_are_the_tested_ones() -> None:
    test_sh = (REPO / "scripts" / "test.sh").read_text()
    default = re.search(r"^OTR_PYTHON_VERSIONS=\$\{OTR_PYTHON_VERSIONS-([0-9. ]+)\}$", test_sh, re.MULTILINE)
    assert default, "scripts/test.sh no longer sets a default OTR_PYTHON_VERSIONS"
    assert tuple(default[1].split()) == TESTED_PYTHONS
    workflow = (REPO / ".github" / "workflows" / "ci.yml").read_text()
    matrix = re.search(r"^ +python: \[(.*)\]$", workflow, re.MULTILINE)
    assert matrix, "ci.yml has no `python: [...]` matrix"
    assert tuple(version.strip().strip('"') for version in matrix[1].split(",")) == TESTED_PYTHONS
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == f">={TESTED_PYTHONS[0]}"


def test_the_version_has_one_source() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "src/openai_thread_run/_version.py"
    assert re.search(rf"^## \[{re.escape(__version__)}\]", (REPO / "CHANGELOG.md").read_text(), re.MULTILINE), (
        "CHANGELOG.md has no entry for the package version"
    )


def synthesized(app_dir: Path, stack: str) -> str:
    """The cdk.tf.json of ``stack`` that the app in ``app_dir`` wrote, with that folder's path as ``<app>``."""
    text = (app_dir / "cdktf.out" / "stacks" / stack / "cdk.tf.json").read_text()
    return text.replace(str(app_dir.resolve()), "<app>").replace(str(app_dir), "<app>")


def test_the_installed_wheel_synthesizes_the_examples_outside_the_repository(
    dist: Dist, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("installed")
    assert REPO not in root.parents
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    python = venv / "bin" / "python"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "CDKTF_OUTDIR", "PYTHONSTARTUP")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run([str(python), "-m", "pip", "install", "--quiet", str(dist.wheel)], cwd=root, env=env)

    app_dir = root / "app"
    app_dir.mkdir()
    for example in EXAMPLES:
        shutil.copy(REPO / "examples" / example, app_dir / example)
    run([str(python), "app.py"], cwd=app_dir, env=env)  # JSII_NODE (if set) passes through with the environment
    for stack in EXAMPLE_STACKS:
        written = app_dir / "cdktf.out" / "stacks" / stack / "cdk.tf.json"
        assert written.is_file(), f"{written} was not written"
        assert '"openai_thread_run"' in written.read_text()

    # The installed wheel synthesizes exactly what the source tree does, on this Python (the local backend's state
    # path is the only place the app's folder appears).
    tree_dir = root / "from-tree"
    tree_dir.mkdir()
    run([sys.executable, str(REPO / "examples" / "app.py")], cwd=tree_dir)
    installed = {stack: synthesized(app_dir, stack) for stack in EXAMPLE_STACKS}
    assert installed == {stack: synthesized(tree_dir, stack) for stack in EXAMPLE_STACKS}
    # scripts/test.sh collects these from every Python it runs on, and fails unless they are all the same.
    if digests_dir := os.environ.get("OTR_EXAMPLE_DIGESTS"):
        digests = {stack: hashlib.sha256(text.encode()).hexdigest() for stack, text in installed.items()}
        record = Path(digests_dir, f"python-{platform.python_version()}.json")
        record.write_text(json.dumps(digests, sort_keys=True) + "\n")

    probe = (
        "import sys, sysconfig, openai_thread_run\n"
        "print(openai_thread_run.__file__)\n"
        "print(sysconfig.get_paths()['purelib'])\n"
        "print(openai_thread_run.__version__)\n"
        "print('\\n'.join(sys.path))\n"
    )
    module_file, purelib, version, *search_path = run([str(python), "-c", probe], cwd=app_dir, env=env).splitlines()
    assert Path(module_file).is_relative_to(Path(purelib)), f"imported from {module_file}, not the venv {purelib}"
    assert not Path(module_file).is_relative_to(REPO)
    assert version == __version__
    assert not any(entry and Path(entry).resolve().is_relative_to(REPO) for entry in search_path), search_path
    assert not list(Path(purelib).glob("*.pth")) or not any(
        str(REPO) in pth.read_text() for pth in Path(purelib).glob("*.pth")
    ), "an editable install of the repository leaked into the fresh venv"


def test_the_gateway_starts_from_the_installed_package(tmp_path_factory: pytest.TempPathFactory) -> None:
    """``pip install ".[gateway]"``, then the ``openai-thread-run-gateway`` command serves the API, outside the
    repository, and neither the command nor ``python -m openai_thread_run.gateway`` imports cdktf."""
    root = tmp_path_factory.mktemp("gateway-installed")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP") and not key.startswith("OTR_")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", ".[gateway]"], cwd=REPO, env=env)
    env["OTR_GATEWAY_API_KEYS"] = "sk-release-test"
    probe = "import openai_thread_run.gateway as g, sys; print(g.__file__); print('cdktf' in sys.modules)"
    module_file, cdktf_imported = run([str(venv / "bin" / "python"), "-c", probe], cwd=root, env=env).splitlines()
    assert Path(module_file).is_relative_to(venv) and cdktf_imported == "False"
    assert "OTR_GATEWAY_API_KEYS" in run(
        [str(venv / "bin" / "python"), "-m", "openai_thread_run.gateway", "--help"], cwd=root, env=env
    )

    from tests.gateway.processes import GatewayProcess

    args = ["--database", f"sqlite:///{root / 'gateway.db'}", "--upstream-url", "http://127.0.0.1:9/v1"]
    gateway = GatewayProcess(args, env, root / "gateway.log", program=[str(venv / "bin" / "openai-thread-run-gateway")])
    try:
        request = urllib.request.Request(
            gateway.url + "/assistants",
            data=json.dumps({"model": "gpt-4o"}).encode(),
            headers={"Authorization": "Bearer sk-release-test", "OpenAI-Beta": "assistants=v2"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert json.load(answer)["object"] == "assistant"
    finally:
        gateway.stop()
    assert "listening on " + gateway.url in gateway.log
