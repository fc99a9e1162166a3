#!/usr/bin/env bash
# The long tail: `verdict serve` on a generated catalog of 10,000 topics.
#
#   bench/web/longtail.sh [ROUNDS] [SECONDS] [TOPICS]
#
# Measures, each against the hello-world route of the same server in the
# same run (wrk, 1 thread, 32 connections, loopback):
#   load    catalog load: `verdict compare A B --content DIR` (hyperfine
#           median) and its peak RSS; the server's time from start until it
#           answers, and its RSS then
#   cold    random comparison pages no earlier request asked for
#   warm    random pages from a set that fits the caches, asked for before
#           (a priming pass, not counted, asks for each once more first)
#   memory  RSS after at least 100,000 distinct pairs, against the cache
#           budget (--cache-mb) plus the RSS at start
# and prints a Markdown table of medians over ROUNDS rounds.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
SECS=${2:-10}
TOPICS=${3:-10000}
BIN=${VERDICT_BIN:-target/release/verdict}
GEN=${GEN_BIN:-target/release/gen-catalog}
PORT=${PORT:-18182}
CACHE_MB=${CACHE_MB:-256}
DISTINCT=${DISTINCT:-100000}
# A warm set must fit the cache that holds comparison pages: with votes on
# (as here) that is 24 % of --cache-mb (61 MiB at 256), and a page asked for
# twice keeps its pieces plain and compressed, about 40 KB, so about 1,500
# fit. Before 2026-12-07 this was 4,000, which did not fit: that "warm" pass
# mostly rebuilt evicted pages.
WARM_SET=${WARM_SET:-1200}
for tool in wrk hyperfine curl python3; do
  command -v $tool >/dev/null || { echo "$tool is not installed (apt-get install $tool)" >&2; exit 2; }
done
[ -x "$BIN" ] && [ -x "$GEN" ] || cargo build --release -p verdict-cli -p verdict-export --bins
# Generated once into tmpfs (see MEASURED.md on file churn); the same
# arguments always write the same bytes.
DIR=/dev/shm/verdict-longtail-$TOPICS
[ -f "$DIR/criteria.toml" ] || "$GEN" --topics "$TOPICS" --out "$DIR" >/dev/null
WORK=$(mktemp -d)
PAIRS=$WORK/pairs.txt
# Distinct random pairs in canonical (sorted) order, from a fixed seed.
python3 - "$DIR" "$PAIRS" <<'PY'
import os, random, sys
root, out = sys.argv[1], sys.argv[2]
slugs = sorted(f[:-5] for _, _, fs in os.walk(os.path.join(root, "topics")) for f in fs if f.endswith(".toml"))
rng = random.Random(2026)
seen, lines = set(), []
while len(lines) < 1_500_000:
    a, b = rng.sample(slugs, 2)
    key = tuple(sorted((a, b)))
    if key not in seen:
        seen.add(key)
        lines.append(f"/compare/{key[0]}-vs-{key[1]}")
open(out, "w").write("\n".join(lines) + "\n")
PY
A=$(head -1 "$PAIRS" | sed 's|/compare/||; s|-vs-.*||')
B=$(head -1 "$PAIRS" | sed 's|.*-vs-||')

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
RESULTS=$WORK/results.txt

# Catalog load, outside the server.
hyperfine -N --warmup 1 --runs 5 --export-json "$WORK/load.json" \
  "$BIN compare $A $B --content $DIR" >/dev/null
LOAD_MS=$(python3 -c "import json,sys,statistics; r=json.load(open(sys.argv[1]))['results'][0]; print(round(statistics.median(r['times'])*1000))" "$WORK/load.json")
LOAD_RSS=$(/usr/bin/time -f '%M' "$BIN" compare "$A" "$B" --content "$DIR" 2>&1 >/dev/null | tail -1)

PID=
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true; PID=; }
trap 'stop; [ -n "${KEEP_RESULTS:-}" ] && cp "$RESULTS" "$KEEP_RESULTS"; rm -rf "$WORK"' EXIT
start() {
  local t0 t1
  t0=$(date +%s%N)
  VERDICT_LOG=warn "$BIN" serve --content "$DIR" --addr 127.0.0.1:$PORT --cache-mb "$CACHE_MB" \
    --database "$WORK/votes.db" --public-metrics >"$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$PORT/healthz/live" >/dev/null && break; sleep 0.01; done
  t1=$(date +%s%N)
  echo "ready $(( (t1 - t0) / 1000000 )) $(rss_kb $PID)" >>"$RESULTS"
}
BASE="http://127.0.0.1:$PORT"

wrk_run() { # name url [env...] -- runs wrk with the pairs script, appends a result line
  local name=$1 url=$2 out rps p99 sent errors
  shift 2
  if [ "$name" = hello ]; then
    out=$(wrk -t1 -c32 -d"${SECS}s" --latency "$url")
  else
    out=$(env PAIRS="$PAIRS" "$@" wrk -t1 -c32 -d"${SECS}s" --latency -s bench/web/longtail.lua "$url")
  fi
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  sent=$(awk '/^SENT/ {print $2}' <<<"$out")
  errors=$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+' <<<"$out" | awk '{print $NF}' || true)
  echo "$name $rps $p99 ${errors:-0} ${sent:-0}" >>"$RESULTS"
  echo "${sent:-0}"
}

NEXT=1
for r in $(seq "$ROUNDS"); do
  start
  wrk_run hello "$BASE/healthz/live" >/dev/null
  # Cold: every request a pair nobody asked for before (a fresh server).
  sent=$(wrk_run cold "$BASE" START=$NEXT)
  COLD_START=$NEXT
  NEXT=$((NEXT + sent + 64))
  # Warm: the first pairs of that pass again, a set that fits the caches.
  # Asked for a second time, a page is compressed off the request path; the
  # priming pass (not counted) does that, then the measured pass reads
  # pages that have been asked for before, as a popular page is.
  SECS_SAVED=$SECS; SECS=4
  wrk_run prime "$BASE" START=$COLD_START LIMIT=$WARM_SET >/dev/null
  SECS=$SECS_SAVED
  sleep 2
  wrk_run warm "$BASE" START=$COLD_START LIMIT=$WARM_SET >/dev/null
  # Memory: walk on until the server has seen DISTINCT pairs.
  seen=$sent
  while [ "$seen" -lt "$DISTINCT" ]; do
    sent=$(wrk_run fill "$BASE" START=$NEXT)
    NEXT=$((NEXT + sent + 64))
    seen=$((seen + sent))
  done
  metric=$(curl -sf "$BASE/metrics" | awk '/^process_resident_memory_bytes/ {print $2}')
  echo "memory $seen $(rss_kb $PID) ${metric:-0}" >>"$RESULTS"
  stop
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "catalog: $TOPICS generated topics in $DIR; rounds: $ROUNDS x ${SECS}s, wrk -t1 -c32, loopback; --cache-mb $CACHE_MB"
python3 - "$RESULTS" "$LOAD_MS" "$LOAD_RSS" "$CACHE_MB" <<'PY'
import sys, statistics
results, load_ms, load_rss_kb, cache_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def ms(v):
    if v.endswith("ms"): return float(v[:-2])
    if v.endswith("us"): return float(v[:-2]) / 1000
    return float(v[:-1]) * 1000
by, ready, memory = {}, [], []
for line in open(results):
    f = line.split()
    if f[0] == "ready": ready.append((int(f[1]), int(f[2])))
    elif f[0] == "memory": memory.append((int(f[1]), int(f[2]), int(f[3])))
    else: by.setdefault(f[0], []).append((float(f[1]), ms(f[2]), int(f[3])))
med = statistics.median
base = med(r for r, _, _ in by["hello"])
print(f"| catalog load (`verdict compare`, hyperfine median) | {load_ms} ms, peak RSS {load_rss_kb / 1024:.0f} MB |")
print(f"| server start until it answers (median) | {med(t for t, _ in ready)} ms, RSS {med(k for _, k in ready) / 1024:.0f} MB |")
print()
print("| target | requests/s (median) | p99 ms (median) | ratio to hello | non-2xx |")
print("|---|---:|---:|---:|---:|")
for name in ["hello", "cold", "warm"]:
    v = by[name]
    print(f"| {name} | {med(r for r, _, _ in v):,.0f} | {med(p for _, p, _ in v):.2f} | {med(r for r, _, _ in v) / base:.2f} | {sum(e for _, _, e in v)} |")
print()
start_mb = med(k for _, k in ready) / 1024
for seen, rss_kb, metric in memory:
    print(f"memory: RSS {rss_kb / 1024:.0f} MB after {seen:,} distinct pairs (/metrics says {metric / 2**20:.0f} MB); bound: {cache_mb} MB of caches + {start_mb:.0f} MB at start = {cache_mb + start_mb:.0f} MB")
PY
