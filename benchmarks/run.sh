#!/usr/bin/env bash
# The synth benchmark of BENCHMARKS.md: ThreadRunConstruct against two bare-cdktf floors (the construct's tree,
# and the minimal one without wrappers), N = 1, 10, 100, 1000, both modes, median of 5 runs, each point in a fresh
# process. Prints the markdown tables and writes every raw sample to benchmarks/results/ (gitignored).
#
#   bash benchmarks/run.sh                        # the full tables (about 14 minutes on 2 cores)
#   bash benchmarks/run.sh --sizes 10 --runs 1    # quick check that it still works
#   bash benchmarks/run.sh --optimize             # the same under python -O (no cdktf runtime type checks)
#   bash benchmarks/run.sh --sizes 100,1000 --runs 3 --ablate prechecked-inputs  # what checking twice would cost
# The waiting benchmark has its own script: benchmarks/wait.sh.
# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_venv "$VENV"
use_node24 "$VENV"
cd "$REPO_ROOT" || exit 1
exec python -m benchmarks.synth_bench --sizes 1,10,100,1000 --runs 5 "$@"
