#!/usr/bin/env bash
# Round benchmark (issue: 巡察 round end to end). 1,000 rounds of history —
# 200,000 working papers, 50,000 clues, 500,000 rectification items — then
# every ledger page and the circular under load (p50/p99), and the export of
# the 200,000-row problem ledger to .xlsx. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-1000}"
DATA="target/bench/rounds"
PORT=8095
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-4}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

echo "== build (release)"
cargo build --release -q -p xuncha --example bench_rounds --bin xuncha
BIN=target/release/xuncha

echo "== data: demo county + $ROUNDS rounds of history"
rm -rf "$DATA"
mkdir -p "$DATA"
/usr/bin/time -f "generated in %es, max RSS %MKB" target/release/examples/bench_rounds "$DATA" "$ROUNDS"
OFFICE=$($BIN --data "$DATA" token create --username office)
LEADER=$($BIN --data "$DATA" token create --username leader)
JIWEI=$($BIN --data "$DATA" token create --username jiwei)
UNIT=$($BIN --data "$DATA" token create --username beixuncha)

echo "== export of the whole problem ledger (every round) to .xlsx"
/usr/bin/time -f "export_papers_seconds %e   max RSS %MKB" $BIN --data "$DATA" export paper --out "$DATA/papers.xlsx"
ls -l "$DATA/papers.xlsx" | awk '{printf "papers.xlsx %d bytes\n", $5}'
/usr/bin/time -f "export_rect_items_seconds %e   max RSS %MKB" $BIN --data "$DATA" export rect-item --out "$DATA/rect.xlsx"

if curl -s "http://127.0.0.1:$PORT/" >/dev/null 2>&1; then
  echo "port $PORT is already in use: stop what listens there first" >&2
  exit 1
fi
$BIN --data "$DATA" serve --listen 127.0.0.1:$PORT >"$DATA/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
kill -0 $SERVE || { echo "xuncha serve did not start:" >&2; cat "$DATA/serve.log" >&2; exit 1; }

# The history's rounds come after the demo's two; pick one in the middle and
# one of its targets.
ROUND=$(curl -s -H "Authorization: Bearer $OFFICE" "http://127.0.0.1:$PORT/api/v1/rounds" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[len(r)//2]["id"])')
TARGET=$(curl -s -H "Authorization: Bearer $OFFICE" "http://127.0.0.1:$PORT/api/v1/rounds/$ROUND" | python3 -c 'import json,sys; print(json.load(sys.stdin)["targets"][0]["id"])')
echo "round $ROUND, target $TARGET"

run() { # name token path
  local out rps p50 p99 non2xx
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $2" "http://127.0.0.1:$PORT$3")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-36s rps %9s   p50 %8s   p99 %8s %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:+  NON-2XX: $non2xx}"
}

echo "== load (wrk -t2 -c$CONNS -d$DURATION, loopback)"
run page_rounds_list "$OFFICE" "/rounds"
run page_round "$OFFICE" "/rounds/$ROUND"
run page_circular "$OFFICE" "/rounds/$ROUND/circular"
run api_circular "$OFFICE" "/api/v1/rounds/$ROUND/circular"
run api_ledger_papers_p1 "$OFFICE" "/api/v1/rounds/$ROUND/ledger/paper"
run api_ledger_rect_p1 "$OFFICE" "/api/v1/rounds/$ROUND/ledger/rect-item"
run api_ledger_rect_p10 "$OFFICE" "/api/v1/rounds/$ROUND/ledger/rect-item?page=10"
run api_ledger_clues "$OFFICE" "/api/v1/rounds/$ROUND/ledger/clue"
run page_workspace "$OFFICE" "/targets/$TARGET"
run page_rectification "$OFFICE" "/targets/$TARGET/rectification"
run page_transfers_office "$OFFICE" "/transfers"
run page_transfers_office_p100 "$OFFICE" "/transfers?page=100"
run page_transfers_jiwei "$JIWEI" "/transfers"
run page_reports_leader "$LEADER" "/reports"
run page_home_office_alerts "$OFFICE" "/"
run page_rectification_list_unit "$UNIT" "/rectification"
run page_coverage_ranking "$OFFICE" "/coverage"
echo "== export of one round's ledger through the web"
curl -s -o /dev/null -w "web_round_ledger_xlsx %{time_total}s\n" -H "Authorization: Bearer $OFFICE" "http://127.0.0.1:$PORT/rounds/$ROUND/ledger/rect-item.xlsx"
echo "== memory"
# RssFile counts the SQLite file mapped by each pooled connection (shared
# page cache, counted once per mapping); RssAnon is the process's own memory.
grep -E "RssAnon|RssFile" /proc/$SERVE/status
