#!/usr/bin/env bash
# Sets up everything on a fresh machine (venv, Node 24 wheel, cdktf-cli, Terraform, providers) and runs
# every check: ruff, mypy --strict, then pytest (unit, schema, end-to-end). Extra arguments go to pytest,
# e.g. `scripts/test.sh -m "not e2e"` or `scripts/test.sh tests/unit -k messages`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
use_node24
ensure_cdktf_cli
tools_env=$(bash "$REPO_ROOT/scripts/setup-tools.sh" | tail -n 1)
set -a
# shellcheck disable=SC1090
source "$tools_env"
set +a
export OTR_CDKTF_CLI="$CDKTF_CLI"
cd "$REPO_ROOT"

log "ruff check and format check"
ruff check .
ruff format --check .
log "mypy --strict src"
mypy --strict
log "pytest tests/cdktn in .venv-cdktn (CDK Terrain: cdktn + cdktn-provider-null, separate from cdktf's venv)"
ensure_venv "$REPO_ROOT/.venv-cdktn" "cdktn,test"
# OTR_REQUIRE_CDKTN=1: a missing cdktn is an error there, not a skip. Fails this script (set -e) on failure.
OTR_REQUIRE_CDKTN=1 "$REPO_ROOT/.venv-cdktn/bin/pytest" tests/cdktn -q -p no:cacheprovider
log "pytest"
pytest "$@"
