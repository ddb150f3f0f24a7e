#!/usr/bin/env bash
# Builds the real tools the end-to-end tests use, once, into ~/.cache/openai-thread-run/tools (under
# $XDG_CACHE_HOME or $OTR_CACHE when set), from the Go module proxy (versions pinned in scripts/versions.env):
#   - Terraform CLI (go install github.com/hashicorp/terraform@v$TERRAFORM_VERSION)
#   - provider mkdev-me/openai (built from its tagged module source), laid out as a filesystem mirror
#   - provider hashicorp/null, when the module proxy serves it (see below)
# and writes a Terraform CLI config whose provider_installation uses only that mirror, so `terraform init`
# never reaches for the network. Prints the file of environment variables the tests read (tools.env).
# Idempotent: a tool already built is not built again.
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_go

TOOLS="$OTR_CACHE/tools"
MIRROR="$TOOLS/provider-mirror"
PLATFORM="$(go env GOOS)_$(go env GOARCH)"
TERRAFORM_BIN="$TOOLS/terraform-$TERRAFORM_VERSION/terraform"
OPENAI_DIR="$MIRROR/registry.terraform.io/mkdev-me/openai/$OPENAI_PROVIDER_VERSION/$PLATFORM"
NULL_DIR="$MIRROR/registry.terraform.io/hashicorp/null/$NULL_PROVIDER_VERSION/$PLATFORM"
NULL_NOTE="$TOOLS/null-provider-$NULL_PROVIDER_VERSION.unavailable"
mkdir -p "$TOOLS"

if [ ! -x "$TERRAFORM_BIN" ]; then
  log "building Terraform $TERRAFORM_VERSION (a few minutes, once)"
  GOBIN="$(dirname "$TERRAFORM_BIN")" go install "$TERRAFORM_MODULE@v$TERRAFORM_VERSION"
fi

if [ ! -x "$OPENAI_DIR/terraform-provider-openai_v$OPENAI_PROVIDER_VERSION" ]; then
  log "building provider mkdev-me/openai $OPENAI_PROVIDER_VERSION"
  # `go install module@version` also asks the proxy for the module's version list (a deprecation check),
  # which the proxy here refuses for this module; so download the tagged module, check its hash against
  # the pin, and build it with its own go.mod/go.sum.
  info=$(GONOSUMDB="$OPENAI_PROVIDER_MODULE" go mod download -json "$OPENAI_PROVIDER_MODULE@v$OPENAI_PROVIDER_VERSION")
  sum=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Sum": "\(.*\)",$/\1/p')
  dir=$(printf '%s' "$info" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  if [ "$sum" != "$OPENAI_PROVIDER_SUM" ]; then
    echo "provider module hash $sum does not match the pin $OPENAI_PROVIDER_SUM" >&2
    exit 1
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp -r "$dir/." "$work/" && chmod -R u+w "$work"
  mkdir -p "$OPENAI_DIR"
  (cd "$work" && GOFLAGS=-mod=mod go build -trimpath \
    -o "$OPENAI_DIR/terraform-provider-openai_v$OPENAI_PROVIDER_VERSION" .)
fi

if [ ! -x "$NULL_DIR/terraform-provider-null_v$NULL_PROVIDER_VERSION" ]; then
  rm -f "$NULL_NOTE"
  log "building provider hashicorp/null $NULL_PROVIDER_VERSION"
  if GOBIN="$NULL_DIR" go install "$NULL_PROVIDER_MODULE@v$NULL_PROVIDER_VERSION" 2>"$TOOLS/null-build.log"; then
    mv "$NULL_DIR/terraform-provider-null" "$NULL_DIR/terraform-provider-null_v$NULL_PROVIDER_VERSION"
  else
    # The provider's v3 tags have no /v3 module path, so Go cannot take them as module versions; the proxy
    # serves only v1.0.0 (2017, plugin protocol 4, which Terraform >= 0.12 cannot load).
    cp "$TOOLS/null-build.log" "$NULL_NOTE"
    log "hashicorp/null $NULL_PROVIDER_VERSION cannot be built here: $(tail -n 2 "$NULL_NOTE" | tr '\n' ' ')"
  fi
fi

cat >"$TOOLS/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path = "$MIRROR"
  }
}
RC

cat >"$TOOLS/tools.env" <<ENV
OTR_TERRAFORM=$TERRAFORM_BIN
OTR_TF_CLI_CONFIG_FILE=$TOOLS/terraformrc
OTR_PROVIDER_MIRROR=$MIRROR
OTR_NULL_PROVIDER_UNAVAILABLE=$(if [ -f "$NULL_NOTE" ]; then echo "$NULL_NOTE"; fi)
ENV
log "tools ready: $TOOLS/tools.env"
echo "$TOOLS/tools.env"
