#!/usr/bin/env bash
# Normalisation throughput: `xuncha text normalize` (traditional → simplified,
# variants, look-alikes, full-width, circled numerals, invisible characters)
# against OpenCC's C++ t2s (PyPI `opencc`) on the same file, same session.
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${MB:-100}"
DIR=target/bench/normalize
mkdir -p "$DIR"

python3 -c 'import opencc' 2>/dev/null || pip install -q opencc >/dev/null
cargo build --release -q -p xuncha
BIN=target/release/xuncha

echo "== corpus: $MB MB of traditional-script inspection prose (with look-alikes, full-width digits, circled numerals)"
python3 - "$DIR/corpus.txt" "$MB" <<'PY'
import random, sys
T = ["根據縣委巡察工作領導小組的統一部署，縣委第三巡察組對城關鎮黨委開展了常規巡察。",
     "巡察組通過個別談話、民主測評、調閱資料、走訪群眾等方式，發現問題線索十二條。",
     "低保、特困供養、危房改造等民生資金的管理使用情況是本輪巡察的重點。",
     "村兩委班子成員和駐村第一書記參加了反饋會議，表示將認真抓好整改落實。",
     "對巡察發現的問題，被巡察黨組織要在兩個月內報送整改進展情況。\u3000\u3000",
     "紀委監委將對問題線索進行分類處置，對違反中央八項規定精神的問題嚴肅問責。",
     "２０２４年共收到群眾來信來訪１３７件次，其中涉及基層幹部作風問題的有４６件。",
     "①②③ 嘫后樶好芣要\u200b錯過"]
r = random.Random(2); out = []; n = 0; limit = int(sys.argv[2]) * 1_000_000
while n < limit:
    s = r.choice(T); out.append(s); n += len(s.encode())
    if r.random() < 0.125: out.append("\n")
open(sys.argv[1], "w", encoding="utf-8").write("".join(out))
PY
BYTES=$(stat -c %s "$DIR/corpus.txt")

best() { # command… → best wall seconds of 3 runs
  local b=999999 t
  for _ in 1 2 3; do
    t=$( { /usr/bin/time -f %e "$@" >/dev/null; } 2>&1 | tail -1)
    b=$(echo "if ($t < $b) $t else $b" | bc -l)
  done
  echo "$b"
}

XT=$(best sh -c "$BIN text normalize < $DIR/corpus.txt")
OC=$(best python3 -c "import opencc,sys; c=opencc.OpenCC('t2s'); t=open('$DIR/corpus.txt',encoding='utf-8').read(); c.convert(t)")
OC_LOAD=$(best python3 -c "import opencc,sys; c=opencc.OpenCC('t2s'); t=open('$DIR/corpus.txt',encoding='utf-8').read()")
OC_NET=$(echo "$OC - $OC_LOAD" | bc -l)

mbps() { echo "scale=1; $BYTES / 1000000 / $1" | bc -l; }
echo "xuncha text normalize (whole command, read+write)   $(mbps "$XT") MB/s  ($XT s)"
echo "OpenCC t2s, PyPI opencc (convert only, file load excluded) $(mbps "$OC_NET") MB/s  ($OC_NET s)"
echo "ratio xuncha / OpenCC: $(echo "scale=2; $OC_NET / $XT" | bc -l)"
echo "in-process figures (no IO): cargo bench -p xuncha-text --bench normalize_throughput"
