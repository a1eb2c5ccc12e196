#!/usr/bin/env bash
# Registry benchmark: see bench/README.md. Prints figures and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
PERSONS="${PERSONS:-1000000}"
DATA="target/bench/registry"
PORT=8097
HELLO_PORT=8098
DURATION="${DURATION:-10s}"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

echo "== build (release)"
cargo build --release -q -p xuncha -p xuncha-web --example bench_data --example hello --bin xuncha
BIN=target/release/xuncha

echo "== data: 10,000 units and $PERSONS persons"
rm -rf "$DATA"
mkdir -p "$DATA"
/usr/bin/time -f "generated in %es, max RSS %MKB" target/release/examples/bench_data "$DATA" "$PERSONS"
printf 'Bench-2026!\n' | $BIN --data "$DATA" user add --username bench --role admin --password-stdin >/dev/null
printf 'Bench-2026!\n' | $BIN --data "$DATA" user add --username town --role office --unit 第7镇 --password-stdin >/dev/null
ADMIN=$($BIN --data "$DATA" token create --username bench)
TOWN=$($BIN --data "$DATA" token create --username town)

echo "== import of a 100,000-row .xlsx"
start=$(date +%s.%N)
$BIN --data "$DATA" import people "$DATA/import-100k.xlsx"
end=$(date +%s.%N)
printf 'import_100k_seconds %.2f\n' "$(echo "$end - $start" | bc)"

for p in $PORT $HELLO_PORT; do
  if curl -s "http://127.0.0.1:$p/" >/dev/null 2>&1; then
    echo "port $p is already in use: stop what listens there first" >&2
    exit 1
  fi
done
$BIN --data "$DATA" serve --listen 127.0.0.1:$PORT >"$DATA/serve.log" 2>&1 &
SERVE=$!
target/release/examples/hello 127.0.0.1:$HELLO_PORT &
HELLO=$!
trap 'kill $SERVE $HELLO 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
kill -0 $SERVE || { echo "xuncha serve did not start:" >&2; cat "$DATA/serve.log" >&2; exit 1; }

run() { # name token path   (uses $CONNS connections)
  local out rps p50 p99
  out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "Authorization: Bearer $2" "http://127.0.0.1:$PORT$3")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  printf '%-34s rps %9s   p50 %8s   p99 %8s %s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:+  NON-2XX: $non2xx}"
  echo "$rps" > "$DATA/rps-c$CONNS-$1"
}

Q=$(python3 -c 'import urllib.parse;print(urllib.parse.quote("王"))')
for CONNS in ${CONNECTIONS:-4 32}; do
echo "== load (wrk -t2 -c$CONNS -d$DURATION, loopback)"
run api_persons_page1_admin "$ADMIN" "/api/v1/persons"
run api_persons_page100_admin "$ADMIN" "/api/v1/persons?page=100"
run api_persons_search_admin "$ADMIN" "/api/v1/persons?q=$Q"
run api_persons_idprefix_admin "$ADMIN" "/api/v1/persons?q=5300001950"
run api_persons_scoped_town "$TOWN" "/api/v1/persons"
run api_units_admin "$ADMIN" "/api/v1/units"
run api_unit_detail "$ADMIN" "/api/v1/units/500"
run api_person_detail "$ADMIN" "/api/v1/persons/123456"
run page_persons_admin "$ADMIN" "/persons"
run page_persons_search_town "$TOWN" "/persons?q=$Q"
run page_units_admin "$ADMIN" "/units"
run page_person_detail "$ADMIN" "/persons/4242"

out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "http://127.0.0.1:$HELLO_PORT/")
hello=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
printf '%-34s rps %9s   p50 %8s   p99 %8s\n' "axum_hello_ceiling" "$hello" "$(echo "$out" | awk '$1=="50%" {print $2}')" "$(echo "$out" | awk '$1=="99%" {print $2}')"
echo "== ratio to the bare axum ceiling (c$CONNS)"
for f in "$DATA"/rps-c$CONNS-*; do
  printf '%-34s %.3f\n' "${f##*/rps-c$CONNS-}" "$(echo "$(cat "$f") / $hello" | bc -l)"
done
done
echo "== memory"
grep VmRSS /proc/$SERVE/status
