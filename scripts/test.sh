#!/usr/bin/env bash
# README's test command. Sets up everything on a fresh machine (venvs, Node 24 wheel, cdktf-cli, Terraform,
# providers, actionlint) and runs every check and test:
#
#   1. checks: ruff, mypy --strict and pyright (strict), shellcheck, actionlint (.github/workflows), the API
#      reference build
#   2. the primary Python (python3, or $PYTHON; venv .venv, with cdktf, cdktn and the gateway's extra): the unit,
#      typing, README, CDK Terrain and release tests, and meanwhile the waiter programs (tests/unit/test_waiter.py,
#      marker waiter_programs: python3 and sh, as Terraform runs them; they run once: the python3 and tools on
#      PATH run them, whichever Python runs pytest); then the local API and end-to-end suites (Terraform
#      $TERRAFORM_VERSION), and meanwhile the gateway's suite (SQLite, a PostgreSQL it starts, Terraform)
#   3. every other Python in OTR_PYTHON_VERSIONS (default "3.11 3.12 3.13"), found on PATH or under pyenv
#      (venv .venv-py3.X), all at once: the same tests but the waiter programs, the local API, end-to-end and
#      gateway suites. A version that is not installed is skipped with a note, and is an error under CI=true (found
#      before anything runs).
#   4. the examples, as the installed wheel synthesizes them on each Python (tests/release), must be identical
#   5. the end-to-end suite again on the newest Terraform on PATH (when it is not the pinned version) and on
#      OpenTofu (OPENTOFU_VERSION of versions.env, built from source), both at once, but the tests that run only
#      the cdktf CLI (marker synth_only); they read the stacks `cdktf synth` wrote in 2. (OTR_E2E_SYNTH_CACHE)
#      rather than running the cdktf CLI again for the same app and inputs
#   6. a summary: each suite, where it ran, and pytest's counts
#
# A failing check stops the run; a failing suite does not: the others still run, and the script exits 1.
#
# Extra arguments run only the checks and then pytest with those arguments on the primary Python:
#   scripts/test.sh -m "not e2e"        scripts/test.sh tests/unit -k messages
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT" || exit 1

require_python
require_go
require_c_toolchain

OTR_PYTHON_VERSIONS=${OTR_PYTHON_VERSIONS-3.11 3.12 3.13}
PRIMARY_VERSION=$(python_version "$PYTHON_BIN")
#: The tests that run on every Python version (unit, typing, README, CDK Terrain, release); the local API, e2e and
#: gateway suites run once. Every venv has cdktf and cdktn (the [cdktn] extra); the release tests install the
#: wheel without extras into a fresh venv, which proves cdktf alone is enough, and the gateway's extra into
#: another one. Only .venv has the [gateway] extra.
EVERY_VERSION=(tests --ignore=tests/e2e --ignore=tests/fake_api --ignore=tests/gateway -m "not waiter_programs")
#: The waiter programs, once, beside the primary Python's unit suite (see 2. above).
WAITER_PROGRAMS=(tests/unit/test_waiter.py -m waiter_programs)
#: The end-to-end suite on the second Terraform and on OpenTofu: all but what runs only the cdktf CLI.
SECOND_CLI=(tests/e2e -m "not synth_only")
#: tests/cdktn is an error, not a skip, where cdktn is missing.
export OTR_REQUIRE_CDKTN=1
SUMMARY=()
FAILED_SUITES=0
STARTED=$SECONDS
#: tests/release writes the sha256 of the examples the installed wheel synthesized here, one file per Python.
OTR_EXAMPLE_DIGESTS=$(mktemp -d)
export OTR_EXAMPLE_DIGESTS
#: The output, summary lines and pytest folders of the suites that run in the background (start_suite).
SUITES_DIR=$(mktemp -d)
#: What `cdktf synth` wrote in the first end-to-end suite, which the suites on the other CLIs read back
#: (tests/e2e/harness.py, synth_with_cli).
export OTR_E2E_SYNTH_CACHE="$SUITES_DIR/synth-cache"
declare -A SETUP_PIDS=()
SUITE_PIDS=()
SUITE_NAMES=()

in_ci() { [ -n "${CI:-}" ]; }

elapsed() { printf '%dm%02ds' $(((SECONDS - $1) / 60)) $(((SECONDS - $1) % 60)); }

# shellcheck disable=SC2317  # run by the EXIT trap, which shellcheck does not follow
on_exit() {
  local status=$?
  local pid
  for pid in "${SETUP_PIDS[@]}" "${SUITE_PIDS[@]}"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true # the background builds and suites, when this run stops early
    fi
  done
  rm -rf "$OTR_EXAMPLE_DIGESTS" "$SUITES_DIR"
  [ "${#SUMMARY[@]}" -gt 0 ] || return 0
  {
    printf '\n==> summary (%s)%s\n' "$(elapsed "$STARTED")" "$([ "$status" = 0 ] || echo ", FAILED")"
    printf '  %s\n' "${SUMMARY[@]}"
  } >&2
}
trap on_exit EXIT

# run_suite LABEL PYTEST ARGS...: run pytest, keep its output in the log, and note its counts in the summary.
# A failure is counted (FAILED_SUITES), so that the other suites still run.
run_suite() {
  local label=$1 pytest=$2 output start=$SECONDS counts
  shift 2
  output=$(mktemp)
  log "$label: pytest $*"
  local status=0
  "$pytest" -p no:cacheprovider "$@" 2>&1 | tee "$output" || status=$?
  # pytest's last line: "== 227 passed, 1 deselected in 30.04s ==" -> "227 passed, 1 deselected"
  counts=$(grep -E '(passed|failed|skipped|error|deselected|no tests ran).* in [0-9.]+s' "$output" | tail -n 1 |
    sed -E 's/^=+ //; s/ =+$//; s/ in [0-9.]+s( \([0-9:]+\))?$//')
  rm -f "$output"
  if [ "$status" != 0 ]; then
    FAILED_SUITES=$((FAILED_SUITES + 1))
    SUMMARY+=("$label: FAILED (pytest exit $status): ${counts:-no summary line} ($(elapsed "$start"))")
  else
    SUMMARY+=("$label: ${counts:-no summary line} ($(elapsed "$start"))")
  fi
}

# start_suite NAME LABEL PYTEST ARGS...: run_suite in the background, with pytest's folders of its own; its output
# goes to a file, shown by finish_suites when it has ended.
# shellcheck disable=SC2030 # the subshell's own summary and count, which it writes out for finish_suites
start_suite() {
  local name=$1 label=$2 pytest=$3
  shift 3
  (
    trap - EXIT
    SUMMARY=()
    FAILED_SUITES=0
    run_suite "$label" "$pytest" --basetemp "$SUITES_DIR/$name.tmp" "$@" >"$SUITES_DIR/$name.log" 2>&1
    printf '%s\n' "${SUMMARY[@]}" >"$SUITES_DIR/$name.summary"
    exit "$FAILED_SUITES"
  ) &
  SUITE_PIDS+=("$!")
  SUITE_NAMES+=("$name")
}

# finish_suites: wait for the suites start_suite started; show each one's output; add its summary and failure.
# shellcheck disable=SC2031 # the parent's summary and count, which the suites' subshells left alone
finish_suites() {
  local index name status line
  for index in "${!SUITE_PIDS[@]}"; do
    name=${SUITE_NAMES[$index]}
    status=0
    wait "${SUITE_PIDS[$index]}" || status=$?
    cat "$SUITES_DIR/$name.log"
    if [ -f "$SUITES_DIR/$name.summary" ]; then
      while IFS= read -r line; do SUMMARY+=("$line"); done <"$SUITES_DIR/$name.summary"
    else
      SUMMARY+=("$name: FAILED (it ended without a summary, exit $status)")
    fi
    [ "$status" = 0 ] || FAILED_SUITES=$((FAILED_SUITES + 1))
  done
  SUITE_PIDS=()
  SUITE_NAMES=()
}

# skip_or_fail MESSAGE: a missing optional piece is a note locally and an error under CI=true.
skip_or_fail() {
  if in_ci; then
    SUMMARY+=("$1: missing, and CI=true makes that an error")
    die "$1 (CI=true: nothing may be skipped)"
  fi
  log "skipped: $1"
  SUMMARY+=("skipped: $1")
}

checks() {
  local start=$SECONDS
  log "ruff check and format check"
  "$VENV/bin/ruff" check .
  "$VENV/bin/ruff" format --check .
  log "mypy --strict (the files of pyproject.toml's [tool.mypy])"
  "$VENV/bin/mypy"
  log "pyright, strict (the files of pyproject.toml's [tool.pyright]), as VS Code's Pylance checks"
  "$VENV/bin/pyright" --pythonpath "$VENV/bin/python"
  log "shellcheck (the scripts, and the sh waiter as the stacks embed it: POSIX sh)"
  if command -v shellcheck >/dev/null; then
    shellcheck -x scripts/*.sh benchmarks/*.sh .ci/run
    "$VENV/bin/python" -c 'from openai_thread_run.waiter_sources import sh_waiter_source as s; print(s(), end="")' |
      shellcheck --shell=sh -
  else
    skip_or_fail "shellcheck is not installed (on Debian/Ubuntu: apt-get install shellcheck)"
  fi
  ensure_actionlint
  log "actionlint $ACTIONLINT_VERSION (.github/workflows)"
  "$ACTIONLINT"
  log "API reference (pdoc; warnings and undocumented public names are errors)"
  "$VENV/bin/python" scripts/build_api_docs.py --output build/api
  SUMMARY+=("checks: ruff, mypy --strict, pyright, shellcheck, actionlint, API reference: passed ($(elapsed "$start"))")
}

# start_setup PART: scripts/setup-tools.sh PART in the background (its output and log in files of SUITES_DIR).
start_setup() {
  bash "$REPO_ROOT/scripts/setup-tools.sh" "$1" >"$SUITES_DIR/setup-$1.out" 2>"$SUITES_DIR/setup-$1.log" &
  SETUP_PIDS[$1]=$!
}

# wait_setup PART: wait for start_setup PART, show its log, and set TOOLS_ENV to the tools.env it wrote.
wait_setup() {
  local status=0
  wait "${SETUP_PIDS[$1]}" || status=$?
  unset "SETUP_PIDS[$1]"
  cat "$SUITES_DIR/setup-$1.log" >&2
  [ "$status" = 0 ] || die "scripts/setup-tools.sh $1 failed (exit $status; its output is above)"
  TOOLS_ENV=$(tail -n 1 "$SUITES_DIR/setup-$1.out")
}

# start_tools: build Terraform and the providers in the background: on a fresh machine that takes minutes of Go,
# which then overlap with the venvs, cdktf-cli, the checks and the first suite.
start_tools() { start_setup terraform; }

# use_tools: wait for start_tools, and export what the e2e tests read (tools.env).
use_tools() {
  wait_setup terraform
  set -a
  # shellcheck source=/dev/null
  source "$TOOLS_ENV"
  set +a
  export OTR_CDKTF_CLI="$CDKTF_CLI"
}

# start_opentofu: build OpenTofu in the background, once Terraform is built: on a fresh machine its minutes of Go
# overlap with the first end-to-end suite and the other Pythons.
start_opentofu() { start_setup opentofu; }

# use_opentofu: wait for start_opentofu, and check that it built OPENTOFU_BIN (lib.sh; not read from tools.env,
# which a checkout sharing the cache may rewrite meanwhile).
use_opentofu() {
  wait_setup opentofu
  [ -x "$OPENTOFU_BIN" ] || die "scripts/setup-tools.sh opentofu built no $OPENTOFU_BIN"
}

# find_other_pythons: the interpreters of the other versions in OTR_PYTHON_VERSIONS, found before anything
# runs, so that a missing one fails a CI run at once (and is a note in the summary locally).
find_other_pythons() {
  local want python
  OTHER_PYTHONS=()
  for want in $OTR_PYTHON_VERSIONS; do
    [ "$want" != "${PRIMARY_VERSION%.*}" ] || continue
    if python=$(find_python "$want"); then
      OTHER_PYTHONS+=("$python")
    else
      skip_or_fail "Python $want is not installed (on PATH as python$want, or under pyenv: pyenv install $want)"
    fi
  done
}

# other_venv PYTHON: the venv of another Python of OTR_PYTHON_VERSIONS.
other_venv() {
  local version
  version=$(python_version "$1")
  printf '%s\n' "$REPO_ROOT/.venv-py${version%.*}"
}

# make_other_venvs: the venvs of OTHER_PYTHONS, made while the tools build in the background.
make_other_venvs() {
  local python
  for python in "${OTHER_PYTHONS[@]}"; do
    ensure_venv "$(other_venv "$python")" cdktn dev "$python"
  done
}

# other_pythons: the suites of EVERY_VERSION on each of OTHER_PYTHONS (their venvs made by make_other_venvs), all
# at once: each keeps about one core busy (Python and jsii's Node.js take turns).
other_pythons() {
  local python version venv
  for python in "${OTHER_PYTHONS[@]}"; do
    version=$(python_version "$python")
    venv=$(other_venv "$python")
    start_suite "python-$version" "Python $version unit + typing + CDK Terrain + release" "$venv/bin/pytest" \
      "${EVERY_VERSION[@]}"
  done
  finish_suites
}

# cli_version CLI: the version terraform or tofu reports (`version -json`: both write terraform_version).
cli_version() {
  "$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'
}

# newest_terraform: print "VERSION PATH" of the newest terraform on PATH; nothing when there is none.
newest_terraform() {
  local path version
  while IFS= read -r path; do
    version=$(cli_version "$path") || true
    [ -z "$version" ] || printf '%s %s\n' "$version" "$path"
  done < <(type -ap terraform | awk '!seen[$0]++') | sort -V | tail -n 1
}

# same_examples_everywhere: the installed wheel synthesized byte-identical examples on every Python tested.
same_examples_everywhere() {
  local versions
  versions=$(find "$OTR_EXAMPLE_DIGESTS" -name 'python-*.json' | sed -E 's|.*/python-(.*)\.json|\1|' | sort -V |
    paste -sd ' ' -)
  if [ -z "$versions" ]; then
    SUMMARY+=("examples from the installed wheel: no Python recorded them (tests/release did not run)")
  elif [ "$(sha256sum "$OTR_EXAMPLE_DIGESTS"/python-*.json | cut -d ' ' -f 1 | sort -u | wc -l)" = 1 ]; then
    SUMMARY+=("examples from the installed wheel: byte-identical on Python $versions")
  else
    FAILED_SUITES=$((FAILED_SUITES + 1))
    SUMMARY+=("examples from the installed wheel: DIFFER between Python $versions")
    head -n 100 "$OTR_EXAMPLE_DIGESTS"/python-*.json >&2
  fi
}

# e2e_on_second_clis: the end-to-end suite again on the newest Terraform on PATH and on OpenTofu, both at once:
# their tests mostly wait for runs, and share nothing (each has its own local API, ports and folders).
e2e_on_second_clis() {
  local found version path start=$SECONDS
  found=$(newest_terraform)
  if [ -z "$found" ]; then
    log "no terraform on PATH: the end-to-end suite runs on Terraform $TERRAFORM_VERSION and OpenTofu only"
    SUMMARY+=("end-to-end on a second Terraform: none on PATH")
  else
    read -r version path <<<"$found"
    if [ "$version" = "$TERRAFORM_VERSION" ]; then
      SUMMARY+=("end-to-end on a second Terraform: $path is the pinned $TERRAFORM_VERSION")
    else
      OTR_TERRAFORM=$path start_suite newest-terraform \
        "Python $PRIMARY_VERSION end-to-end (Terraform $version, $path)" "$VENV/bin/pytest" "${SECOND_CLI[@]}"
    fi
  fi
  use_opentofu
  OTR_TERRAFORM=$OPENTOFU_BIN start_suite opentofu \
    "Python $PRIMARY_VERSION end-to-end (OpenTofu $(cli_version "$OPENTOFU_BIN"))" \
    "$VENV/bin/pytest" "${SECOND_CLI[@]}"
  finish_suites
  SUMMARY+=("end-to-end on the second Terraform and OpenTofu, at once: $(elapsed "$start")")
}

OTHER_PYTHONS=()
[ "$#" -gt 0 ] || find_other_pythons
start_tools
ensure_venv "$VENV" cdktn,gateway
use_node24 "$VENV"
ensure_cdktf_cli
checks
if [ "$#" -gt 0 ]; then
  use_tools
  run_suite "Python $PRIMARY_VERSION" "$VENV/bin/pytest" "$@"
  exit $((FAILED_SUITES > 0))
fi
make_other_venvs
# The unit suite needs Terraform too (tests/unit/test_templates.py evaluates escaped text with it), so the tools
# must be built before any suite runs; the venvs above are made while they build.
use_tools
start_opentofu
start_suite waiter-programs "Python $PRIMARY_VERSION waiter programs (python3 and sh, at once with the next)" \
  "$VENV/bin/pytest" "${WAITER_PROGRAMS[@]}"
run_suite "Python $PRIMARY_VERSION unit + typing + CDK Terrain + release" "$VENV/bin/pytest" "${EVERY_VERSION[@]}"
finish_suites
# Each of these keeps about one core busy (a Terraform command, then the provider, then the local API), so two
# run at once.
start_suite gateway "Python $PRIMARY_VERSION gateway (SQLite, PostgreSQL, Terraform $TERRAFORM_VERSION)" \
  "$VENV/bin/pytest" tests/gateway
run_suite "Python $PRIMARY_VERSION local API + end-to-end (Terraform $TERRAFORM_VERSION)" \
  "$VENV/bin/pytest" tests/fake_api tests/e2e
finish_suites
other_pythons
same_examples_everywhere
e2e_on_second_clis
exit $((FAILED_SUITES > 0))
