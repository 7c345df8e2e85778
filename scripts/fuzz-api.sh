#!/usr/bin/env bash
# API fuzz: schemathesis against the server's own OpenAPI document (GET /api/openapi.json).
#
#   bash scripts/fuzz-api.sh [--max-examples N] [--min-cases N] [--seed N]
#
# Starts the real server (server/main.ts) on a free port over the index of the shipped corpus/,
# runs every operation of the document through all of schemathesis's phases and checks, and fails
# on any finding (a 5xx, an answer that does not match its schema, status or content type, a
# schema-invalid request that is accepted, ...) or when fewer than --min-cases cases ran. Stops the
# server by its pid. schemathesis is installed (pinned) in .venv-schemathesis on first use.
#
# One check is left out: positive_data_acceptance ("every schema-valid request gets a 2xx"). A
# query can be valid as a string and still have nothing to search for ("-school", only filters)
# or ask for from > to; those are 400s naming the parameter, which the document says, but no
# JSON Schema can tell them apart.
set -euo pipefail
cd "$(dirname "$0")/.."

ST_VERSION=4.32.5
VENV=.venv-schemathesis
WORK=test/.tmp/fuzz-api
INDEX=test/.tmp/corpus-index
max_examples=700
min_cases=5000
seed=""

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  echo "  --max-examples N   cases per operation and phase (default $max_examples)"
  echo "  --min-cases N      fail when fewer cases ran in all (default $min_cases)"
  echo "  --seed N           schemathesis seed, to replay a run"
  echo "  -h, --help         show this help"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --max-examples) max_examples=$2; shift 2 ;;
    --min-cases) min_cases=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "error: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$ST_VERSION"; then
  echo "fuzz: installing schemathesis $ST_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

rm -rf "$WORK"
mkdir -p "$WORK"
echo "fuzz: index of corpus/ in $INDEX"
node --import tsx indexer/cli.ts --corpus corpus --index "$INDEX" > "$WORK/index.log" 2>&1 || { cat "$WORK/index.log"; exit 1; }

# The server takes a free port (PORT=0) and names it in its first log line (JSON logs).
LOG_FORMAT=json INDEX_DIR="$INDEX" CORPUS_DIR=corpus HOST=127.0.0.1 PORT=0 RATE_LIMIT=0 \
  node --import tsx server/main.ts > "$WORK/server.log" 2>&1 &
server_pid=$!
stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT
url=""
for _ in $(seq 1 300); do
  url=$(grep -o '"url":"http://127\.0\.0\.1:[0-9]*"' "$WORK/server.log" | head -n 1 | cut -d'"' -f4 || true)
  [ -n "$url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then echo "fuzz: the server did not start"; cat "$WORK/server.log"; exit 1; fi
  sleep 0.5
done
[ -n "$url" ] || { echo "fuzz: the server did not listen within 150 s"; cat "$WORK/server.log"; exit 1; }
echo "fuzz: server $url (pid $server_pid); schemathesis $ST_VERSION, --max-examples $max_examples"

t0=$(date +%s)
set +e
"$VENV/bin/schemathesis" run "$url/api/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$max_examples" --workers 2 --request-timeout 30 \
  --generation-database none ${seed:+--seed "$seed"} \
  --report junit --report-junit-path "$WORK/junit.xml" \
  --no-color --output-truncate true > "$WORK/schemathesis.log" 2>&1
st_rc=$?
set -e
seconds=$(( $(date +%s) - t0 ))
sed -n '/^=* SUMMARY =*$/,$p' "$WORK/schemathesis.log"

# What the server answered, from its request log: status counts per route; any 5xx fails.
node -e '
  const lines = require("node:fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  const by = {}; let errors = 0;
  for (const l of lines) {
    let r; try { r = JSON.parse(l); } catch { console.log(`fuzz: not a JSON log line: ${l.slice(0, 200)}`); errors++; continue; }
    if (r.level === "error") { console.log(`fuzz: server error: ${r.msg}`); errors++; }
    if (typeof r.status !== "number" || !r.method) continue;
    const route = r.path.startsWith("/files/") ? "/files/*" : r.path.startsWith("/api/documents/") ? "/api/documents/{id}" : r.path.startsWith("/api/councils/") ? "/api/councils/{name}" : r.path.startsWith("/api/") ? r.path : "(other paths)";
    const key = r.method === "GET" || r.method === "HEAD" ? `${r.method} ${route}` : "(other methods)";
    by[key] ??= {};
    by[key][r.status] = (by[key][r.status] ?? 0) + 1;
    if (r.status >= 500) errors++;
  }
  for (const [k, v] of Object.entries(by).sort()) console.log(`fuzz: ${k.padEnd(26)} ${Object.entries(v).map(([s, n]) => `${s}: ${n}`).join(", ")}`);
  process.exit(errors ? 1 : 0);
' "$WORK/server.log" || { echo "fuzz: FAILED: the server answered 5xx or logged an error ($WORK/server.log)"; exit 1; }

cases=$(grep -Eo '[0-9]+ generated' "$WORK/schemathesis.log" | tail -n 1 | cut -d' ' -f1)
echo "fuzz: $cases cases in ${seconds}s (log: $WORK/schemathesis.log)"
if [ "$st_rc" -ne 0 ]; then echo "fuzz: FAILED: schemathesis exit $st_rc; details in $WORK/schemathesis.log"; exit 1; fi
if [ -z "$cases" ] || [ "$cases" -lt "$min_cases" ]; then echo "fuzz: FAILED: ${cases:-no} cases, fewer than $min_cases"; exit 1; fi
echo "fuzz: passed"
