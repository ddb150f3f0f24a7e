#!/usr/bin/env bash
# The waiting benchmark of BENCHMARKS.md: `terraform apply` of 10 waiting thread-runs whose runs take 5 s on the
# local Assistants API, and the waiter's polls for one 30 s run. Needs Terraform and the provider mirror that
# scripts/setup-tools.sh builds (built here when missing). Prints the markdown and writes the raw figures to
# benchmarks/results/ (gitignored). About 2 minutes.
#
#   bash benchmarks/wait.sh      # 5 applies of the stack, 2 of the long run
#   bash benchmarks/wait.sh --repetitions 1 --run-duration 1 --long-run-duration 2 --long-repetitions 1
# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_venv "$VENV"
use_node24 "$VENV"
if [ ! -f "$OTR_CACHE/tools/tools.env" ]; then
  bash "$REPO_ROOT/scripts/setup-tools.sh" >/dev/null
fi
cd "$REPO_ROOT" || exit 1
exec python -m benchmarks.wait_bench "$@"
