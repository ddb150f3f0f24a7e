#!/usr/bin/env bash
# The gateway benchmark of BENCHMARKS.md: what the gateway adds to a run over calling a fake upstream (answering in
# 50 ms) directly, at 1 and 50 concurrent runs, on SQLite and on PostgreSQL 15 (started from the machine's
# binaries), and 1,000 runs through one gateway. Prints the markdown and writes the raw figures to
# benchmarks/results/ (gitignored). About a minute.
#
#   bash benchmarks/gateway.sh
#   bash benchmarks/gateway.sh --big-runs 200 --databases sqlite
# shellcheck source=../scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_venv "$VENV" cdktn,gateway
cd "$REPO_ROOT" || exit 1
exec "$VENV/bin/python" -m benchmarks.gateway_bench "$@"
