#!/usr/bin/env bash
# Intake benchmark (issue: petitions, public tips, surveys). The demo county
# plus one open evaluation (5 subjects × 6 ratings) with 100,000 sheets
# already returned; then, against `xuncha serve` over loopback, public tips
# (challenge, proof of work at the default 12 bits solved by the client,
# multipart POST) and survey answers (one code each) from several
# connections; then the tabulation of the 100,000+ sheets. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SHEETS="${SHEETS:-100000}"
CODES="${CODES:-30000}"
CONNS="${CONNS:-8}"
SECONDS_EACH="${SECONDS_EACH:-15}"
DATA="target/bench/intake"
PORT=8096

echo "== build (release)"
cargo build --release -q -p xuncha --example bench_intake --bin xuncha
BIN="${CARGO_TARGET_DIR:-target}/release/xuncha"
EX="${CARGO_TARGET_DIR:-target}/release/examples/bench_intake"

echo "== data: demo county, an open evaluation with $SHEETS sheets, $CODES codes"
rm -rf "$DATA"
/usr/bin/time -f "prepared in %es, max RSS %MKB" $EX prepare "$DATA" "$SHEETS" "$CODES"

if curl -s "http://127.0.0.1:$PORT/" >/dev/null 2>&1; then
  echo "port $PORT is already in use: stop what listens there first" >&2
  exit 1
fi
$BIN --data "$DATA" serve --listen 127.0.0.1:$PORT >"$DATA/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
kill -0 $SERVE || { echo "xuncha serve did not start:" >&2; cat "$DATA/serve.log" >&2; exit 1; }

echo "== load: $CONNS connections, ${SECONDS_EACH}s each (client and server share this machine's cores)"
$EX load "http://127.0.0.1:$PORT" "$DATA" tip "$CONNS" "$SECONDS_EACH"
$EX load "http://127.0.0.1:$PORT" "$DATA" survey "$CONNS" "$SECONDS_EACH"
echo "== memory"
grep -E "RssAnon" /proc/$SERVE/status
kill $SERVE; wait $SERVE 2>/dev/null || true
trap - EXIT

echo "== tabulation (read every sheet from SQLite, count, score)"
$EX tabulate "$DATA"
