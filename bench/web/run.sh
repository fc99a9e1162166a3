#!/usr/bin/env bash
# Load benchmark for `verdict serve` on loopback, all targets in one run.
#
#   bench/web/run.sh [ROUNDS] [SECONDS]
#
# Starts the release binary, then for each round runs wrk (1 thread, 32
# connections) against: a hello-world route in the same binary (baseline),
# a comparison page as a browser requests it, a personalised comparison
# whose weights no earlier request used, and the API comparison. Prints the
# median requests/s and p99 per target and the ratio to the baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
SECS=${2:-10}
BIN=${VERDICT_BIN:-target/release/verdict}
PORT=${PORT:-18181}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$BIN" ] || cargo build --release -p verdict-cli
DB_ARGS=()
if "$BIN" serve --help | grep -q -- '--database'; then DB_ARGS=(--database "$(mktemp -d)/bench.db"); fi
VERDICT_LOG=warn "$BIN" serve --addr 127.0.0.1:$PORT "${DB_ARGS[@]}" >/tmp/verdict-bench.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
PAIR="/compare/django-vs-flask"
# Warm the page cache once.
curl -sf -H 'Accept-Encoding: br' "$BASE$PAIR" -o /dev/null
curl -sf "$BASE/api/v1/comparisons/django-vs-flask" -o /dev/null

run() { # name url [script]
  local out
  if [ -n "${3:-}" ]; then
    out=$(wrk -t1 -c32 -d"${SECS}s" --latency -s "$3" "$2")
  else
    out=$(wrk -t1 -c32 -d"${SECS}s" --latency "$2")
  fi
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' <<<"$out" | awk '{print $NF}' || true)
  echo "$1 $rps $p99 ${errors:-0}"
}

RESULTS=$(mktemp)
for r in $(seq "$ROUNDS"); do
  run hello "$BASE/healthz/live" >>"$RESULTS"
  run page "$BASE$PAIR" bench/web/browser.lua >>"$RESULTS"
  run personal "$BASE$PAIR" bench/web/personal.lua >>"$RESULTS"
  run api "$BASE/api/v1/comparisons/django-vs-flask" bench/web/browser.lua >>"$RESULTS"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "rounds: $ROUNDS x ${SECS}s, wrk -t1 -c32, loopback"
python3 - "$RESULTS" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
def ms(v):
    n = float(v[:-2]) if v.endswith("ms") else float(v[:-2]) / 1000 if v.endswith("us") else float(v[:-1]) * 1000
    return n
by = {}
for name, rps, p99, err in rows:
    by.setdefault(name, []).append((float(rps), ms(p99), int(err)))
base = statistics.median(r for r, _, _ in by["hello"])
print("| target | requests/s (median) | p99 ms (median) | ratio to hello | non-2xx |")
print("|---|---:|---:|---:|---:|")
for name in ["hello", "page", "personal", "api"]:
    v = by[name]
    rps = statistics.median(r for r, _, _ in v)
    p99 = statistics.median(p for _, p, _ in v)
    print(f"| {name} | {rps:,.0f} | {p99:.2f} | {rps / base:.2f} | {sum(e for _, _, e in v)} |")
PY
