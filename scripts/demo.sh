#!/usr/bin/env bash
# The README's first command: encrypt a sample file with the bundled TEST-ONLY age key,
# show the encrypted file, then decrypt it again. Never use that key for real secrets.
set -euo pipefail
cd "$(dirname "$0")/.."
KEY=fixtures/keys/age-test-key.txt
RECIPIENT=$(grep -o 'age1[0-9a-z]*' "$KEY" | head -1)
OUT=$(mktemp -d)/app.enc.yaml
echo "\$ sobre encrypt --age $RECIPIENT examples/app.yaml > $OUT"
node bin/sobre.js encrypt --age "$RECIPIENT" examples/app.yaml > "$OUT"
cat "$OUT"
echo
echo "\$ SOPS_AGE_KEY_FILE=$KEY sobre decrypt $OUT"
SOPS_AGE_KEY_FILE="$KEY" node bin/sobre.js decrypt "$OUT"
