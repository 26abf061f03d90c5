#!/usr/bin/env bash
# Install real KMS emulators for the env-gated interop tests (test/interop/kms-moto.test.ts).
# Idempotent and quiet; never fails the build: if something cannot be installed, the
# interop tests skip with a reason.
#
# - moto[server] (PyPI) into a private venv: AWS KMS + STS emulator.
# Not available here: local-kms and OpenBao are refused by the Go module proxy; a
# HashiCorp Vault build from source is too large for CI (and BUSL-licensed).
set -u
MOTO_VERSION="5.2.5"
DIR="${SOBRE_KMS_PEERS_DIR:-${HOME}/.cache/sobre-kms-peers}"
VENV="$DIR/moto-venv"

if [ -x "$VENV/bin/moto_server" ] && "$VENV/bin/python" -c "import moto, sys; sys.exit(0 if moto.__version__ == '$MOTO_VERSION' else 1)" 2>/dev/null; then
  exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "install-kms-peers: python3 not found; skipping moto (interop KMS tests will skip)" >&2
  exit 0
fi
mkdir -p "$DIR"
if python3 -m venv "$VENV" >/dev/null 2>&1 &&
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >/dev/null 2>&1; then
  exit 0
fi
echo "install-kms-peers: could not install moto[server]==$MOTO_VERSION; interop KMS tests will skip" >&2
exit 0
