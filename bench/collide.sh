#!/usr/bin/env bash
# Data cross-checks: xuncha-collide (DataFusion over the data sets' Parquet files) against
# DuckDB (PyPI) running the same template SQL over the same files, same session. Prints the
# time of each built-in template that applies, the total, the ratio and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
RECIPIENTS="${RECIPIENTS:-10000000}"  # subsidy rows
OTHERS="${OTHERS:-1000000}"           # payroll, deceased and vehicle rows (each)
ROUNDS="${ROUNDS:-3}"                 # each engine runs ROUNDS times, alternating; best time counts
DUCKDB_VERSION="${DUCKDB_VERSION:-2.0.1}"
DIR="target/bench/collide/r${RECIPIENTS}-o${OTHERS}"
VENV=target/bench/venv
EX="${CARGO_TARGET_DIR:-target}/release/examples"
mkdir -p "$DIR"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import duckdb' 2>/dev/null || "$VENV/bin/pip" install -q "duckdb==$DUCKDB_VERSION"
PY="$VENV/bin/python"
cargo build --release -q -p xuncha-collide --example bench_collide
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg); duckdb $("$PY" -c 'import duckdb; print(duckdb.__version__)')"

if [ ! -f "$DIR/data/collide/manifest.json" ]; then
  echo "== data: $EX/bench_collide gen --dir $DIR/data --recipients $RECIPIENTS --others $OTHERS"
  rm -rf "$DIR/data"
  /usr/bin/time -f '%e s, peak %M KB' "$EX/bench_collide" gen --dir "$DIR/data" \
    --recipients "$RECIPIENTS" --others "$OTHERS"
else
  echo "== data: reusing $DIR/data (delete it to regenerate)"
fi
echo "   Parquet on disk: $(du -sm "$DIR/data/collide/sets" | cut -f1) MB"
"$EX/bench_collide" sql --dir "$DIR/data" --out "$DIR/rules.tsv"

cat >"$DIR/duckdb_run.py" <<'PY'
import os, sys, time, duckdb
sets, rules = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
con = duckdb.connect()
# The kind tables, as xuncha registers them: every data set of a kind, read in place.
for kind in sorted(os.listdir(sets)):
    table = kind.replace("-", "_")
    con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{sets}/{kind}/*.parquet')")
print(f"open: {time.perf_counter() - t0:.3f} s")
total = time.perf_counter() - t0
for line in open(rules, encoding="utf-8"):
    rule, sql = line.rstrip("\n").split("\t", 1)
    t = time.perf_counter()
    rows = con.execute(sql).fetchall()
    dt = time.perf_counter() - t
    total += dt
    print(f"{rule}: {len(rows)} hits in {dt:.3f} s")
print(f"total: {total:.3f} s")
PY
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round/$ROUNDS: xuncha-collide (DataFusion): $EX/bench_collide run --dir $DIR/data"
  /usr/bin/time -f '%M' -o "$DIR/xuncha.rss.$round" "$EX/bench_collide" run --dir "$DIR/data" | tee "$DIR/xuncha.log.$round"
  echo "== round $round/$ROUNDS: DuckDB $DUCKDB_VERSION, the same SQL over the same Parquet files: $PY $DIR/duckdb_run.py"
  /usr/bin/time -f '%M' -o "$DIR/duckdb.rss.$round" "$PY" "$DIR/duckdb_run.py" "$DIR/data/collide/sets" "$DIR/rules.tsv" | tee "$DIR/duckdb.log.$round"
done

echo "== figures (same machine, same session; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
"$PY" - "$DIR" "$RECIPIENTS" "$OTHERS" "$ROUNDS" <<'PY'
import re, sys
d, n, m, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def parse(name):
    """Best (lowest) time of each line over the rounds; hits from the first round."""
    best = {}
    for r in range(1, rounds + 1):
        for k, (h, t) in parse_one(f"{name}.{r}").items():
            best[k] = (best.get(k, (h, t))[0], min(t, best.get(k, (h, t))[1]))
    return best
def parse_one(name):
    out = {}
    for line in open(f"{d}/{name}", encoding="utf-8"):
        r = re.match(r"([\w-]+): (\d+) hits in ([\d.]+) s", line)
        if r:
            out[r.group(1)] = (int(r.group(2)), float(r.group(3)))
        r = re.match(r"(open|total): ([\d.]+) s", line)
        if r:
            out[r.group(1)] = (None, float(r.group(2)))
    return out
x, k = parse("xuncha.log"), parse("duckdb.log")
rss = lambda name: max(int(open(f"{d}/{name}.{r}").read().split()[-1]) for r in range(1, rounds + 1)) / 1024
print(f"{n:,} recipients against {m:,} payroll, deceased and vehicle rows each (best of {rounds} rounds):")
print(f"  {'template':36} {'xuncha':>9} {'duckdb':>9} {'ratio':>6}  hits (xuncha / duckdb)")
for rule in [r for r in x if r not in ("open", "total")] + ["open", "total"]:
    hx, tx = x[rule]
    hk, tk = k.get(rule, (None, float("nan")))
    hits = "" if hx is None else f"{hx} / {hk}"
    print(f"  {rule:36} {tx:8.3f}s {tk:8.3f}s {tk / tx if tx else float('nan'):5.2f}x  {hits}")
print(f"  peak resident memory: xuncha {rss('xuncha.rss'):.0f} MB, duckdb (python process) {rss('duckdb.rss'):.0f} MB")
print("  ratio = DuckDB time / xuncha time (above 1: xuncha faster); target: xuncha total <= DuckDB's, memory < 8 GiB")
PY
