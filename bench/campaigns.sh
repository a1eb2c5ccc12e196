#!/usr/bin/env bash
# Field campaign benchmark (issue: field campaigns, household visits):
# 1,000,000 households and 2,000,000 visit records. Times the import of a
# household list (CSV read + validation + store), visits recorded through the
# use case, and the coverage pages (p50/p99), on SQLite in a temp directory
# and on PostgreSQL when XUNCHA_BENCH_POSTGRES_URL is set (a database of its
# own is created there and dropped afterwards). See bench/README.md.
#
#   bench/campaigns.sh                                   # full size
#   HOUSEHOLDS=100000 VISITS=200000 bench/campaigns.sh   # a quick run
#   XUNCHA_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bench/campaigns.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-target}"
EX="$TARGET/release/examples/bench_campaigns"

echo "== build (release, -j 1)"
cargo build --release -j 1 -q -p xuncha-db --example bench_campaigns

WORK="$(mktemp -d "${TMPDIR:-/tmp}/xuncha-bench-campaigns.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "=== SQLite"
/usr/bin/time -f "  (whole run: %es, max RSS %MKB)" "$EX" sqlite "$WORK/sqlite"
rm -rf "$WORK/sqlite"

if [ -n "${XUNCHA_BENCH_POSTGRES_URL:-}" ]; then
  echo
  echo "=== PostgreSQL"
  /usr/bin/time -f "  (whole run: %es, max RSS %MKB of the client)" \
    "$EX" "$XUNCHA_BENCH_POSTGRES_URL" "$WORK/postgres"
else
  echo
  echo "(PostgreSQL skipped: set XUNCHA_BENCH_POSTGRES_URL to an admin URL, e.g. postgres://postgres@127.0.0.1:5432/test)"
fi
