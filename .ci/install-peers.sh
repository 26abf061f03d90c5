#!/usr/bin/env bash
# Installs the real peers the interop suite runs against: SOPS (from the Go module proxy)
# and age. Idempotent and quiet; never fails the build — the interop suite reports what
# is missing loudly and skips those cases.
set -u
SOPS_VERSION="${SOPS_VERSION:-v3.13.3}"
AGE_VERSION="${AGE_VERSION:-v1.3.1}"
if ! command -v go >/dev/null 2>&1; then
  echo "install-peers: NOTICE: no Go toolchain; the interop suite will skip the real-sops cases" >&2
  exit 0
fi
GOBIN="$(go env GOPATH)/bin"
if ! "$GOBIN/sops" --version 2>/dev/null | grep -q "${SOPS_VERSION#v}"; then
  echo "install-peers: go install github.com/getsops/sops/v3/cmd/sops@${SOPS_VERSION}" >&2
  go install "github.com/getsops/sops/v3/cmd/sops@${SOPS_VERSION}" >/dev/null 2>&1 || echo "install-peers: NOTICE: sops install failed" >&2
fi
if ! "$GOBIN/age" --version 2>/dev/null | grep -q "${AGE_VERSION#v}"; then
  echo "install-peers: go install filippo.io/age/cmd/...@${AGE_VERSION}" >&2
  go install "filippo.io/age/cmd/...@${AGE_VERSION}" >/dev/null 2>&1 || echo "install-peers: NOTICE: age install failed" >&2
fi
if ! command -v gpg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq gnupg) >/dev/null 2>&1 || echo "install-peers: NOTICE: gpg install failed" >&2
fi
"$GOBIN/sops" --version 2>/dev/null | head -1 | sed 's/^/install-peers: /' >&2 || true
"$GOBIN/age" --version 2>/dev/null | sed 's/^/install-peers: age /' >&2 || true
exit 0
