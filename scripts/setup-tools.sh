#!/usr/bin/env bash
# Builds the real tools the end-to-end tests use, once, into ~/.cache/openai-thread-run/tools (under
# $XDG_CACHE_HOME or $OTR_CACHE when set), from the Go module proxy (versions pinned in scripts/versions.env):
#   - Terraform CLI (go install github.com/hashicorp/terraform@v$TERRAFORM_VERSION)
#   - provider mkdev-me/openai (built from its tagged module source), laid out as a filesystem mirror for both
#     registries: registry.terraform.io (Terraform) and registry.opentofu.org (OpenTofu)
#   - provider hashicorp/null, when the module proxy serves it (see below)
#   - OpenTofu CLI (built from its tagged module source, as its releases are)
# and writes a CLI config whose provider_installation uses only that mirror, so `terraform init` and `tofu init`
# never reach for the network. Prints the file of environment variables the tests read (tools.env).
# Idempotent: a tool already built is not built again.
#
#   scripts/setup-tools.sh            everything
#   scripts/setup-tools.sh terraform  all but OpenTofu
#   scripts/setup-tools.sh opentofu   OpenTofu only (scripts/test.sh builds it while the first suites run)
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_go

PART=${1:-all}
case $PART in
all | terraform | opentofu) ;;
*) die "usage: scripts/setup-tools.sh [all|terraform|opentofu]" ;;
esac
TOOLS="$OTR_CACHE/tools"
MIRROR="$TOOLS/provider-mirror"
REGISTRIES=(registry.terraform.io registry.opentofu.org)
PLATFORM="$(go env GOOS)_$(go env GOARCH)"
TERRAFORM_BIN="$TOOLS/terraform-$TERRAFORM_VERSION/terraform"
OPENAI_PATH="mkdev-me/openai/$OPENAI_PROVIDER_VERSION/$PLATFORM/terraform-provider-openai_v$OPENAI_PROVIDER_VERSION"
NULL_PATH="hashicorp/null/$NULL_PROVIDER_VERSION/$PLATFORM/terraform-provider-null_v$NULL_PROVIDER_VERSION"
NULL_NOTE="$TOOLS/null-provider-$NULL_PROVIDER_VERSION.unavailable"
mkdir -p "$TOOLS"
WORKDIRS=()
trap 'rm -rf "${WORKDIRS[@]}"' EXIT

# build_pinned MODULE VERSION SUM PACKAGE OUTPUT [GO BUILD FLAGS...]: download the tagged module from the proxy,
# check its hash against the pin, and build PACKAGE with the module's own go.mod/go.sum into OUTPUT. For modules
# that `go install module@version` cannot build: it also asks the proxy for the version list (a deprecation check),
# which the proxy refuses for some modules, and it refuses a go.mod with replace directives.
build_pinned() {
  local module=$1 version=$2 pinned=$3 package=$4 output=$5 info sum dir work
  shift 5
  info=$(go mod download -json "$module@v$version")
  sum=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p')
  dir=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ "$sum" != "$pinned" ]; then
    echo "$module v$version: module hash $sum does not match the pin $pinned" >&2
    exit 1
  fi
  work=$(mktemp -d)
  WORKDIRS+=("$work")
  cp -r "$dir/." "$work/" && chmod -R u+w "$work"
  mkdir -p "$(dirname "$output")"
  (cd "$work" && go build -trimpath "$@" -o "$output.partial" "$package")
  mv "$output.partial" "$output"
  rm -rf "$work"
}

# in_every_registry PATH: the provider binary at registry.terraform.io/PATH, linked under every other registry.
in_every_registry() {
  local registry
  for registry in "${REGISTRIES[@]:1}"; do
    mkdir -p "$(dirname "$MIRROR/$registry/$1")"
    ln -f "$MIRROR/${REGISTRIES[0]}/$1" "$MIRROR/$registry/$1"
  done
}

build_terraform_and_providers() {
  if [ ! -x "$TERRAFORM_BIN" ]; then
    log "building Terraform $TERRAFORM_VERSION (a few minutes, once)"
    GOBIN="$(dirname "$TERRAFORM_BIN")" go install "$TERRAFORM_MODULE@v$TERRAFORM_VERSION"
  fi

  if [ ! -x "$MIRROR/${REGISTRIES[0]}/$OPENAI_PATH" ]; then
    log "building provider mkdev-me/openai $OPENAI_PROVIDER_VERSION"
    # the checksum database does not list this module: the pin is what guarantees we build the tagged source
    GONOSUMDB="$OPENAI_PROVIDER_MODULE" build_pinned "$OPENAI_PROVIDER_MODULE" "$OPENAI_PROVIDER_VERSION" \
      "$OPENAI_PROVIDER_SUM" . "$MIRROR/${REGISTRIES[0]}/$OPENAI_PATH" -mod=mod
  fi
  in_every_registry "$OPENAI_PATH"

  local null_bin="$MIRROR/${REGISTRIES[0]}/$NULL_PATH"
  if [ ! -x "$null_bin" ]; then
    rm -f "$NULL_NOTE"
    log "building provider hashicorp/null $NULL_PROVIDER_VERSION"
    if GOBIN="$(dirname "$null_bin")" go install "$NULL_PROVIDER_MODULE@v$NULL_PROVIDER_VERSION" 2>"$TOOLS/null-build.log"; then
      mv "$(dirname "$null_bin")/terraform-provider-null" "$null_bin"
    else
      # The provider's v3 tags have no /v3 module path, so Go cannot take them as module versions; the proxy
      # serves only v1.0.0 (2017, plugin protocol 4, which Terraform >= 0.12 cannot load).
      cp "$TOOLS/null-build.log" "$NULL_NOTE"
      log "hashicorp/null $NULL_PROVIDER_VERSION cannot be built here: $(tail -n 2 "$NULL_NOTE" | tr '\n' ' ')"
    fi
  fi
  if [ -x "$null_bin" ]; then in_every_registry "$NULL_PATH"; fi

  cat >"$TOOLS/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path = "$MIRROR"
  }
}
RC
}

build_opentofu() {
  if [ ! -x "$OPENTOFU_BIN" ]; then
    log "building OpenTofu $OPENTOFU_VERSION (a few minutes, once)"
    # as OpenTofu's releases are built (.goreleaser.yaml): no cgo, stripped, not marked a -dev build
    CGO_ENABLED=0 build_pinned "$OPENTOFU_MODULE" "$OPENTOFU_VERSION" "$OPENTOFU_SUM" ./cmd/tofu "$OPENTOFU_BIN" \
      -mod=readonly -ldflags "-s -w -X 'github.com/opentofu/opentofu/version.dev=no'"
  fi
}

# write_tools_env: the tools built so far (both parts write it, each at its end; written whole, then renamed).
write_tools_env() {
  cat >"$TOOLS/tools.env.$$" <<ENV
OTR_TERRAFORM=$(if [ -x "$TERRAFORM_BIN" ]; then echo "$TERRAFORM_BIN"; fi)
OTR_TOFU=$(if [ -x "$OPENTOFU_BIN" ]; then echo "$OPENTOFU_BIN"; fi)
OTR_TF_CLI_CONFIG_FILE=$TOOLS/terraformrc
OTR_PROVIDER_MIRROR=$MIRROR
OTR_NULL_PROVIDER_UNAVAILABLE=$(if [ -f "$NULL_NOTE" ]; then echo "$NULL_NOTE"; fi)
ENV
  mv "$TOOLS/tools.env.$$" "$TOOLS/tools.env"
}

if [ "$PART" != opentofu ]; then build_terraform_and_providers; fi
if [ "$PART" != terraform ]; then build_opentofu; fi
write_tools_env
log "tools ready ($PART): $TOOLS/tools.env"
echo "$TOOLS/tools.env"
