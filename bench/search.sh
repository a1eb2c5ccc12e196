#!/usr/bin/env bash
# Search: xuncha-search (tantivy with xuncha's analyzer) against SQLite FTS5 with the trigram
# tokenizer (Python's sqlite3), on the same petition corpus and the same queries, same session.
# Prints index build time, query p50/p99 per kind, and recall@20 of queries written as the
# petition has it, in traditional characters, with look-alikes, and in pinyin.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${DOCS:-1000000}"     # petitions
QUERIES="${QUERIES:-1000}"  # latency queries (names, places, phrases), plus 12 two-character words
TARGETS="${TARGETS:-500}"   # recall targets (each queried in 5 spellings)
TITLE="${TITLE:-subject}"   # petition title: subject line (as the register has it) or "name"
LIMIT=20
DIR=target/bench/search
VENV=target/bench/venv
EX="${CARGO_TARGET_DIR:-target}/release/examples"
mkdir -p "$DIR"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import opencc, datasketch' 2>/dev/null ||
  "$VENV/bin/pip" install -q "opencc==1.4.2" "datasketch==2.0.0"
cargo build --release -q -p xuncha-search --example bench_corpus --example bench_search
PY="$VENV/bin/python"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg); sqlite $("$PY" -c 'import sqlite3; print(sqlite3.sqlite_version)'); OpenCC $("$PY" -c 'import importlib.metadata as m; print(m.version("opencc"))')"

# Traditional forms for the planted re-sends: OpenCC s2t of every character the generator
# writes. Traditional queries: OpenCC s2t (phrase level) of each simplified recall query.
"$EX/bench_corpus" --charset >"$DIR/chars.txt"
"$PY" - "$DIR/chars.txt" "$DIR/s2t.tsv" <<'PY'
import sys, opencc
c = opencc.OpenCC("s2t")
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for ch in open(sys.argv[1], encoding="utf-8").read().strip():
        t = c.convert(ch)
        if t != ch:
            out.write(f"{ch}\t{t}\n")
PY
echo "== corpus: $EX/bench_corpus --docs $DOCS --out $DIR --s2t $DIR/s2t.tsv --queries $QUERIES --targets $TARGETS --title $TITLE"
/usr/bin/time -f '%e' -o "$DIR/gen.time" "$EX/bench_corpus" --docs "$DOCS" --out "$DIR" \
  --s2t "$DIR/s2t.tsv" --queries "$QUERIES" --targets "$TARGETS" --title "$TITLE"
echo "   generated in $(cat "$DIR/gen.time") s: $(du -m "$DIR/corpus.tsv" | cut -f1) MB"
"$PY" - "$DIR/queries.tsv" "$DIR/queries_all.tsv" <<'PY'
import sys, opencc
c = opencc.OpenCC("s2t")
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
qid = max(int(l.split("\t")[0]) for l in lines)
out = list(lines)
for l in lines:
    _, qset, kind, target, text = l.split("\t", 4)
    if qset == "recall" and kind == "simplified":
        qid += 1
        out.append(f"{qid}\trecall\ttraditional\t{target}\t{c.convert(text)}")
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY

echo "== xuncha-search: $EX/bench_search --corpus $DIR/corpus.tsv --queries $DIR/queries_all.tsv --index-dir $DIR/index --results $DIR/results_xuncha.tsv"
/usr/bin/time -f '%M' -o "$DIR/xuncha.rss" "$EX/bench_search" --corpus "$DIR/corpus.tsv" \
  --queries "$DIR/queries_all.tsv" --index-dir "$DIR/index" --results "$DIR/results_xuncha.tsv" \
  --limit "$LIMIT" | tee "$DIR/xuncha.log"
echo "   peak resident memory $(($(cat "$DIR/xuncha.rss") / 1024)) MB"

echo "== SQLite FTS5 trigram (Python sqlite3): same corpus, same queries"
# Each query: whitespace-separated terms of 3+ characters go to MATCH as quoted strings
# (substring match, implicit AND), ranked by bm25 (ORDER BY rank). Terms under 3 characters
# cannot use the trigram index (and LIKE with such a pattern returns no rows on a trigram
# table in SQLite 3.40), so, as FTS5 users do, they become instr() filters: a scan, unranked.
/usr/bin/time -f '%M' -o "$DIR/fts5.rss" "$PY" - "$DIR/corpus.tsv" "$DIR/queries_all.tsv" \
  "$DIR/fts5.db" "$DIR/results_fts5.tsv" "$LIMIT" <<'PY' | tee "$DIR/fts5.log"
import os, sqlite3, sys, time
corpus, queries_path, db_path, results_path, limit = sys.argv[1:5] + [int(sys.argv[5])]
rows = []
with open(corpus, encoding="utf-8") as f:
    for line in f:
        i, title, body, _path = line.rstrip("\n").split("\t")
        rows.append((int(i), title, body))
queries = []
with open(queries_path, encoding="utf-8") as f:
    for line in f:
        qid, qset, kind, target, text = line.rstrip("\n").split("\t", 4)
        queries.append((int(qid), int(target), text))
print(f"corpus: {len(rows)} documents (read, not timed)")
for p in (db_path, db_path + "-journal", db_path + "-wal"):
    if os.path.exists(p):
        os.remove(p)
con = sqlite3.connect(db_path)
con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
t0 = time.perf_counter()
with con:
    con.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", rows)
build = time.perf_counter() - t0
del rows
n = con.execute("SELECT count(*) FROM docs").fetchone()[0]
print(f"FTS5 build: {n} documents in {build:.1f} s = {n / build:.0f} docs/s "
      f"(one transaction of INSERTs, until committed)")
print(f"FTS5 index: {os.path.getsize(db_path) / 1e6:.0f} MB on disk")
print(f"BUILD_SECONDS={build:.4f}")
SHORT = "(instr(title, ?) > 0 OR instr(body, ?) > 0)"
def plan(text):
    terms = text.split()
    long = [t for t in terms if len(t) >= 3]
    short = [t for t in terms if len(t) < 3]
    params = [x for t in short for x in (t, t)]
    if long:
        match = " ".join('"' + t.replace('"', '""') + '"' for t in long)
        sql = "SELECT rowid FROM docs WHERE docs MATCH ?" + "".join(" AND " + SHORT for _ in short)
        return sql + f" ORDER BY rank LIMIT {limit}", [match] + params
    return "SELECT rowid FROM docs WHERE " + " AND ".join(SHORT for _ in short) + f" LIMIT {limit}", params
plans = [plan(q[2]) for q in queries]
t0 = time.perf_counter()
for sql, params in plans:
    con.execute(sql, params).fetchall()
warm = time.perf_counter() - t0
t0 = time.perf_counter()
with open(results_path, "w") as out:
    for (qid, target, _), (sql, params) in zip(queries, plans):
        t = time.perf_counter()
        ids = [r[0] for r in con.execute(sql, params).fetchall()]
        us = (time.perf_counter() - t) * 1e6
        found = "-" if target == 0 else ("1" if target in ids else "0")
        out.write(f"{qid}\t{us:.1f}\t{found}\t{len(ids)}\t-\n")
print(f"FTS5 queries: {len(queries)} (warm-up pass {warm:.1f} s, timed pass {time.perf_counter() - t0:.1f} s), limit {limit}")
PY
echo "   peak resident memory $(($(cat "$DIR/fts5.rss") / 1024)) MB"

echo "== figures (same machine, same session; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
"$PY" - "$DIR" "$LIMIT" <<'PY'
import math, re, sys
d, limit = sys.argv[1], int(sys.argv[2])
log_x = open(f"{d}/xuncha.log", encoding="utf-8").read()
log_f = open(f"{d}/fts5.log", encoding="utf-8").read()
n = int(re.search(r"xuncha build: (\d+) documents", log_x).group(1))
bx = float(re.search(r"xuncha build: \d+ documents in ([\d.]+) s", log_x).group(1))
bf = float(re.search(r"BUILD_SECONDS=([\d.]+)", log_f).group(1))
mx = float(re.search(r"xuncha index: (\d+) MB", log_x).group(1))
mf = float(re.search(r"FTS5 index: (\d+) MB", log_f).group(1))
print(f"index build, {n} petitions: xuncha {bx:.1f} s ({n / bx:,.0f} docs/s), "
      f"FTS5 {bf:.1f} s ({n / bf:,.0f} docs/s); xuncha builds {bf / bx:.2f}x as fast as FTS5 (target >= 3x)")
print(f"index on disk: xuncha {mx:.0f} MB, FTS5 {mf:.0f} MB (both store the text)")
queries = {}
for l in open(f"{d}/queries_all.tsv", encoding="utf-8"):
    qid, qset, kind, target, text = l.rstrip("\n").split("\t", 4)
    queries[qid] = (qset, kind)
def load(path):
    r = {}
    for l in open(path):
        qid, us, found, hits, total = l.rstrip("\n").split("\t")
        r[qid] = (float(us) / 1000, found, int(hits))
    return r
rx, rf = load(f"{d}/results_xuncha.tsv"), load(f"{d}/results_fts5.tsv")
def pct(v, p):
    v = sorted(v)
    return v[min(len(v), max(1, math.ceil(p * len(v)))) - 1]
groups = {}
for qid, key in queries.items():
    groups.setdefault(key, []).append(qid)
print(f"\nquery latency in ms (one query at a time, after a warm-up pass; limit {limit}):")
print(f"{'set':8} {'kind':16} {'n':>5} | {'xuncha p50':>10} {'p99':>8} | {'FTS5 p50':>10} {'p99':>8} | {'p99 FTS5/xuncha':>15}")
def row(label, kind, ids):
    lx = [rx[q][0] for q in ids]
    lf = [rf[q][0] for q in ids]
    print(f"{label:8} {kind:16} {len(ids):5} | {pct(lx, .5):10.2f} {pct(lx, .99):8.2f} | "
          f"{pct(lf, .5):10.2f} {pct(lf, .99):8.2f} | {pct(lf, .99) / pct(lx, .99):14.2f}x")
for (qset, kind), ids in sorted(groups.items()):
    row(qset, kind, ids)
lat = [q for q, (s, _) in queries.items() if s == "latency"]
row("latency", "all kinds", lat)
row("latency", "3+ characters", [q for q in lat if queries[q][1] != "short"])
row("all", "all queries", list(queries))
print(f"  FTS5 'short' (2-character) queries are unranked instr() scans stopping at {limit} rows.")
print(f"\nrecall@{limit}: share of queries whose target petition is among the first {limit} hits")
print(f"{'spelling':16} {'n':>5} | {'xuncha':>8} | {'FTS5':>8} | {'xuncha hits/q':>13} | {'FTS5 hits/q':>11}")
for kind in ["simplified", "traditional", "lookalike", "pinyin_initials", "pinyin_full"]:
    ids = groups.get(("recall", kind), [])
    if not ids:
        continue
    fx = sum(rx[q][1] == "1" for q in ids) / len(ids)
    ff = sum(rf[q][1] == "1" for q in ids) / len(ids)
    hx = sum(rx[q][2] for q in ids) / len(ids)
    hf = sum(rf[q][2] for q in ids) / len(ids)
    print(f"{kind:16} {len(ids):5} | {100 * fx:7.1f}% | {100 * ff:7.1f}% | {hx:13.1f} | {hf:11.1f}")
PY
