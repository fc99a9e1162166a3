#!/usr/bin/env bash
# Reader-votes benchmark: acknowledged (committed) votes per second over HTTP
# on loopback, for SQLite and for PostgreSQL, measured in one run beside the
# comparison-page baseline. Prints a Markdown table for docs/BENCHMARKS.md.
#
#   bench/votes/run.sh                 # 10 s per measurement
#   DURATION=20 CONNS=128 bench/votes/run.sh
#
# Bounded: every wrk run lasts DURATION seconds against 127.0.0.1 only.
# The server runs with --vote-rate-limit 0 (all load comes from one
# address) and VERDICT_LOG=warn (no per-request log line); the
# one-vote-per-reader-per-day limit stays on. A reader is an address, so
# the server reads it from X-Forwarded-For (--client-ip-header), and
# votes.lua sends each vote as one of TOKENS benchmark addresses
# (198.18.0.0/15, only ever a header value) with that address's vote
# token, fetched first by tokens.py: every vote is a distinct reader.
# PostgreSQL: $VERDICT_BENCH_DATABASE_URL, else $VERDICT_TEST_DATABASE_URL,
# else postgres://postgres@127.0.0.1:5432/test; a fresh schema per run.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
TOKENS=${TOKENS:-12000}
PORT=${PORT:-18480}
PG_URL=${VERDICT_BENCH_DATABASE_URL:-${VERDICT_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}
TARGET=${CARGO_TARGET_DIR:-target}
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cargo build --release -p verdict-cli --quiet
BIN=$TARGET/release/verdict

# On disk, not tmpfs: the fsync at each commit is what is being measured.
WORK=$(mktemp -d /var/tmp/verdict-bench.XXXXXX)
SCHEMA=""
PID=""
cleanup() {
  if [[ -n $PID ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  if [[ -n $SCHEMA ]]; then psql "$PG_URL" -qc "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start() {
  VERDICT_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --database "$1" --vote-rate-limit 0 \
    --client-ip-header X-Forwarded-For >>"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 300); do
    curl -sf "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "bench: the server did not start; log:" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

stop() {
  kill -TERM "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
}

# Requests/s of a GET, as a browser asks for it.
page() {
  wrk -t1 -c32 -d"${DURATION}s" -H 'Accept-Encoding: gzip, deflate, br' "$BASE$1" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}

# Runs the vote load; prints "acked other votes/s p50 p99".
votes() {
  python3 bench/votes/tokens.py "$PORT" "$TOKENS" >"$WORK/tokens.txt"
  BENCH_TOKENS="$WORK/tokens.txt" BENCH_RUN="$1" wrk -t1 -c"$CONNS" -d"${DURATION}s" --timeout 10s -s bench/votes/votes.lua "$BASE" \
    | tee -a "$WORK/wrk.log" | awk '/^ACKED/ {print $2, $4, $8, $10, $12}'
}

stored() {
  "$BIN" votes export --format csv --database "$1" | tail -n +2 | wc -l
}

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r)" >&2
echo "SQLite file on $(df -T "$WORK" | awk 'NR==2 {print $2, $1}'); wrk -c$CONNS, ${DURATION}s each" >&2

# --- SQLite (and the page baselines, on the same server) ---------------------
SQLITE="$WORK/votes.db"
start "$SQLITE"
curl -sf "$BASE/compare/go-vs-rust" >/dev/null   # warm the page caches
curl -sf "$BASE/topics/rust" >/dev/null
compare_rps=$(page /compare/go-vs-rust)
topic_rps=$(page /topics/rust)
read -r s_acked s_other s_rate s_p50 s_p99 < <(votes "sqlite-$$")
compare_after=$(page /compare/go-vs-rust)
stop
s_stored=$(stored "$SQLITE")

# --- PostgreSQL --------------------------------------------------------------
SCHEMA="verdict_bench_$$"
psql "$PG_URL" -qc "CREATE SCHEMA $SCHEMA" >/dev/null
sep='?'; [[ $PG_URL == *\?* ]] && sep='&'
PG="$PG_URL${sep}options[search_path]=$SCHEMA"
start "$PG"
read -r p_acked p_other p_rate p_p50 p_p99 < <(votes "pg-$$")
stop
p_stored=$(stored "$PG")

check() { # acknowledged votes must all be stored
  if (( $2 < $1 )); then echo "bench: $3 stored $2 votes but acknowledged $1" >&2; exit 1; fi
}
check "$s_acked" "$s_stored" SQLite
check "$p_acked" "$p_stored" PostgreSQL

cat <<TABLE
| measurement | result |
|---|---|
| comparison page \`/compare/go-vs-rust\` (gzip, votes block spliced in), before / after the vote load | $compare_rps / $compare_after req/s |
| topic page \`/topics/rust\` (plain ready-made bytes), for scale | $topic_rps req/s |
| votes, SQLite (WAL, synchronous=FULL, group commit) | **$s_rate acknowledged votes/s**; p50 $s_p50 ms, p99 $s_p99 ms; $s_acked acknowledged, $s_other not, $s_stored stored |
| votes, PostgreSQL (4 writer connections, group commit) | **$p_rate acknowledged votes/s**; p50 $p_p50 ms, p99 $p_p99 ms; $p_acked acknowledged, $p_other not, $p_stored stored |
TABLE
