#!/usr/bin/env bash
# Sets up everything on a fresh machine (venv, Node 24 wheel, cdktf-cli) and synthesizes the examples with
# the real `cdktf synth`. Output: cdktf.out/stacks/<stack>/cdk.tf.json for each example stack.
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv "$VENV"
use_node24 "$VENV"
ensure_cdktf_cli
cd "$REPO_ROOT" || exit 1
"$CDKTF_CLI" synth "$@"
for stack in cdktf.out/stacks/*/; do
  log "synthesized ${stack}cdk.tf.json"
done
