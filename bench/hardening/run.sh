#!/usr/bin/env bash
# Liveness under attack: /healthz/live latency (wrk, 1 thread, 8
# connections) alone, then while SLOW clients trickle headers that never end
# and LONG loops request a 30,000-character topic name, all in one run on
# loopback against a release build. Prints a Markdown table for
# docs/BENCHMARKS.md.
#
#   bench/hardening/run.sh              # 20 s per measurement
#   DURATION=30 SLOW=100 LONG=20 bench/hardening/run.sh
#
# Bounded: every phase lasts DURATION seconds and only 127.0.0.1 is used.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-20}
SLOW=${SLOW:-100}
LONG=${LONG:-20}
PORT=${PORT:-18490}
TARGET=${CARGO_TARGET_DIR:-target}
BASE=http://127.0.0.1:$PORT

command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cargo build --release -p verdict-cli --quiet
BIN=$TARGET/release/verdict
WORK=$(mktemp -d)
PID=""
cleanup() {
  if [[ -n $PID ]]; then kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

VERDICT_LOG=warn "$BIN" serve --addr "127.0.0.1:$PORT" --database "$WORK/votes.db" >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do curl -sf "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# Prints "requests/s p50 p99" for /healthz/live.
live() {
  wrk -t1 -c8 -d"${DURATION}s" --latency "$BASE/healthz/live" | awk '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    END {print rps, p50, p99}'
}

echo "machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | xargs)" >&2
read -r base_rps base_p50 base_p99 < <(live)
python3 bench/hardening/attackers.py "$PORT" "$((DURATION + 4))" "$SLOW" "$LONG" 2>"$WORK/attackers.log" &
ATTACK=$!
sleep 2
read -r hit_rps hit_p50 hit_p99 < <(live)
wait "$ATTACK"
cat "$WORK/attackers.log" >&2
kill -0 "$PID" || { echo "bench: the server died; log:" >&2; cat "$WORK/server.log" >&2; exit 1; }

cat <<TABLE
| /healthz/live (wrk -t1 -c8, ${DURATION} s) | requests/s | p50 | p99 |
|---|---:|---:|---:|
| alone | $base_rps | $base_p50 | $base_p99 |
| with $SLOW slow clients and $LONG loops of 30,000-character names | $hit_rps | $hit_p50 | $hit_p99 |
TABLE
