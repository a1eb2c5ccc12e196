#!/usr/bin/env bash
# Near-duplicate grouping: xuncha-text (MinHash, 128 permutations, LSH, threshold 0.8) against
# PyPI datasketch MinHashLSH(threshold=0.8, num_perm=128) on the same petition corpus with
# planted re-sends, same session. Prints time, the ratio, and recall/precision of both, scored
# by the same code (bench_dedup --eval).
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS="${DOCS:-200000}"
THRESHOLD=0.8
DIR=target/bench/dedup
VENV=target/bench/venv
EX="${CARGO_TARGET_DIR:-target}/release/examples"
mkdir -p "$DIR"

[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import opencc, datasketch' 2>/dev/null ||
  "$VENV/bin/pip" install -q "opencc==1.4.2" "datasketch==2.0.0"
cargo build --release -q -p xuncha-search --example bench_corpus
cargo build --release -q -p xuncha-text --example bench_dedup
PY="$VENV/bin/python"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load average $(cut -d' ' -f1-3 /proc/loadavg); datasketch $("$PY" -c 'import importlib.metadata as m; print(m.version("datasketch"))'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)')"

# Traditional forms for the planted re-sends: OpenCC s2t of every character the generator writes.
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
echo "== corpus: $EX/bench_corpus --docs $DOCS --out $DIR --s2t $DIR/s2t.tsv --queries 0 --targets 0"
"$EX/bench_corpus" --docs "$DOCS" --out "$DIR" --s2t "$DIR/s2t.tsv" --queries 0 --targets 0

echo "== xuncha-text: $EX/bench_dedup --corpus $DIR/corpus.tsv --truth $DIR/truth.tsv --threshold $THRESHOLD --groups-out $DIR/groups_xuncha.txt"
/usr/bin/time -f '%M' -o "$DIR/xuncha.rss" "$EX/bench_dedup" --corpus "$DIR/corpus.tsv" \
  --truth "$DIR/truth.tsv" --threshold "$THRESHOLD" --groups-out "$DIR/groups_xuncha.txt" |
  tee "$DIR/xuncha.log"
echo "   peak resident memory $(($(cat "$DIR/xuncha.rss") / 1024)) MB"

echo "== datasketch MinHashLSH(threshold=$THRESHOLD, num_perm=128): same corpus"
# Shingles as a datasketch user makes them: the body lower-cased, runs of non-word characters
# (punctuation, spaces; Python's \W) removed, the set of 3-character substrings, UTF-8 encoded
# (xuncha also shingles 3 characters of letters and digits, but of the normalised text:
# traditional, variant and look-alike characters folded). MinHash.bulk (the fast path), an
# insertion session, then each petition queried; candidates joined by union-find, either as
# the LSH gives them (datasketch's documented use) or verified by estimated Jaccard >= the
# threshold (as xuncha does). Timed from the bodies in memory to the groups.
/usr/bin/time -f '%M' -o "$DIR/datasketch.rss" "$PY" - "$DIR/corpus.tsv" "$THRESHOLD" \
  "$DIR/groups_datasketch.txt" "$DIR/groups_datasketch_verified.txt" <<'PY' | tee "$DIR/datasketch.log"
import re, sys, time
from datasketch import MinHash, MinHashLSH
corpus, threshold, out_raw, out_ver = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
docs = []
with open(corpus, encoding="utf-8") as f:
    for line in f:
        i, _title, body, _path = line.rstrip("\n").split("\t")
        docs.append((int(i), body))
ids = [i for i, _ in docs]
t0 = time.perf_counter()
nonword = re.compile(r"\W+")
sets = []
for _, body in docs:
    s = nonword.sub("", body.lower())
    sh = {s[k:k + 3] for k in range(len(s) - 2)} if len(s) >= 3 else ({s} if s else set())
    sets.append([x.encode("utf-8") for x in sh])
t1 = time.perf_counter()
mhs = MinHash.bulk(sets, num_perm=128)
t2 = time.perf_counter()
lsh = MinHashLSH(threshold=threshold, num_perm=128)
with lsh.insertion_session() as session:
    for i, m in zip(ids, mhs):
        session.insert(i, m)
t3 = time.perf_counter()
cand = []
for i, m in zip(ids, mhs):
    for c in lsh.query(m):
        if c > i:
            cand.append((i, c))
t4 = time.perf_counter()

def groups(pairs):
    parent = {}
    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    out = {}
    for x in parent:
        out.setdefault(find(x), []).append(x)
    return [sorted(g) for g in out.values() if len(g) > 1]

g_raw = groups(cand)
t5 = time.perf_counter()
by_id = dict(zip(ids, mhs))
verified = [(a, b) for a, b in cand if by_id[a].jaccard(by_id[b]) >= threshold]
g_ver = groups(verified)
t6 = time.perf_counter()
for path, gs in ((out_raw, g_raw), (out_ver, g_ver)):
    with open(path, "w") as f:
        for g in gs:
            f.write(" ".join(map(str, g)) + "\n")
common = t4 - t0
n = len(docs)
print(f"datasketch: {n} petitions, MinHashLSH b={lsh.b} bands x r={lsh.r} rows")
print(f"datasketch: shingles {t1 - t0:.2f} s, MinHash.bulk {t2 - t1:.2f} s, LSH insert {t3 - t2:.2f} s, "
      f"LSH query {t4 - t3:.2f} s; {len(cand)} candidate pairs")
print(f"datasketch: LSH candidates as groups: {common + t5 - t4:.2f} s = {n / (common + t5 - t4):.0f} docs/s")
print(f"datasketch: candidates verified: {common + t6 - t5:.2f} s = {n / (common + t6 - t5):.0f} docs/s "
      f"({len(verified)} of {len(cand)} pairs kept)")
print(f"TIME_RAW={common + t5 - t4:.4f}")
print(f"TIME_VERIFIED={common + t6 - t5:.4f}")
PY
echo "   peak resident memory $(($(cat "$DIR/datasketch.rss") / 1024)) MB"

echo "== scores of datasketch's groups (same scoring code as above)"
"$EX/bench_dedup" --corpus "$DIR/corpus.tsv" --truth "$DIR/truth.tsv" \
  --eval "$DIR/groups_datasketch.txt" --label "datasketch" | tee "$DIR/score_datasketch.log"
"$EX/bench_dedup" --corpus "$DIR/corpus.tsv" --truth "$DIR/truth.tsv" \
  --eval "$DIR/groups_datasketch_verified.txt" --label "datasketch+verify" |
  tee "$DIR/score_datasketch_verified.log"

echo "== figures (same machine, same session; load average now $(cut -d' ' -f1-3 /proc/loadavg))"
"$PY" - "$DIR" <<'PY'
import re, sys
d = sys.argv[1]
def read(name):
    return open(f"{d}/{name}", encoding="utf-8").read()
x = read("xuncha.log")
ds = read("datasketch.log")
tx = float(re.search(r"group_near_duplicates\(threshold [\d.]+\) on \d+ petitions: ([\d.]+) s", x).group(1))
traw = float(re.search(r"TIME_RAW=([\d.]+)", ds).group(1))
tver = float(re.search(r"TIME_VERIFIED=([\d.]+)", ds).group(1))
def recall(text, label):
    m = re.search(label + r": pair recall ([\d.]+)% .*?pair precision ([\d.]+)%", text)
    return float(m.group(1)), float(m.group(2))
rx, px = recall(x, "xuncha")
rr, pr = recall(read("score_datasketch.log"), "datasketch")
rv, pv = recall(read("score_datasketch_verified.log"), "datasketch\\+verify")
n = int(re.search(r"on (\d+) petitions", x).group(1))
print(f"{n} petitions, threshold 0.8, 128 permutations, one thread each:")
print(f"  xuncha-text group_near_duplicates      {tx:8.2f} s   pair recall {rx:6.2f}%   pair precision {px:6.2f}%")
print(f"  datasketch, LSH candidates as groups   {traw:8.2f} s   pair recall {rr:6.2f}%   pair precision {pr:6.2f}%   xuncha {traw / tx:.2f}x as fast")
print(f"  datasketch, candidates verified        {tver:8.2f} s   pair recall {rv:6.2f}%   pair precision {pv:6.2f}%   xuncha {tver / tx:.2f}x as fast")
print(f"  target: >= 10x as fast at equal or better recall")
PY
