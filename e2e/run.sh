#!/usr/bin/env bash
# Real-browser end-to-end tests of `verdict serve`.
#
# Needs a release build of the CLI (cargo build --release -p verdict-cli, or
# VERDICT_BIN=/path/to/verdict), Node.js with npm, and Debian's chromium
# (/usr/bin/chromium, or CHROMIUM=/path/to/chromium; installed with apt-get
# when missing and run as root). Installs the npm dependencies from
# package-lock.json when they are missing or not the locked version, then
# runs the tests with Node's built-in runner; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

# A new machine has no browser until the project installs one: Debian's
# chromium (playwright-core cannot download its own here).
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

want="$(node -p 'require(process.argv[1]).packages["node_modules/playwright-core"].version' "$here/package-lock.json")"
have="$(node -p 'require(process.argv[1]).version' "$here/node_modules/playwright-core/package.json" 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

cd "$root"
exec node --test e2e/compare.test.mjs e2e/watch.test.mjs
