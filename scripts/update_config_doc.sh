#!/usr/bin/env bash
# Replaces the key table in docs/config.md with the one the code documents
# (`pinnkit list keys`), so the doc cannot drift from the schema. The test
# ConfigReference.* fails until this has been run after a schema change.
#   usage: scripts/update_config_doc.sh [PINNKIT_BINARY]   (default build/pinnkit)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$repo/build/pinnkit}
doc=$repo/docs/config.md
table=$(mktemp)
trap 'rm -f "$table" "$doc.new"' EXIT
"$bin" list keys >"$table"
# The table is the block of lines from its header row to the last "| " row
# that follows it without a break.
python3 - "$doc" "$table" <<'PY'
import sys
doc_path, table_path = sys.argv[1], sys.argv[2]
lines = open(doc_path).read().split("\n")
table = open(table_path).read().rstrip("\n").split("\n")
start = next(i for i, l in enumerate(lines) if l.startswith("| key | accepts"))
end = start
while end < len(lines) and lines[end].startswith("|"):
    end += 1
open(doc_path + ".new", "w").write("\n".join(lines[:start] + table + lines[end:]))
PY
mv "$doc.new" "$doc"
echo "docs/config.md: key table refreshed from $bin"
