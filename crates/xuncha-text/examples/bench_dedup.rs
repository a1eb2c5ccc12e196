//! Near-duplicate benchmark (`bench/dedup.sh`): groups the petition corpus of
//! `bench_corpus` (crates/xuncha-search/examples) with xuncha-text's MinHash/LSH and scores
//! the groups against the planted re-sends.
//!
//! ```sh
//! # group with xuncha-text, score, write the groups:
//! cargo run --release -p xuncha-text --example bench_dedup -- \
//!     --corpus DIR/corpus.tsv --truth DIR/truth.tsv [--threshold 0.8] [--groups-out FILE]
//! # score a groups file written by another tool (one group a line, ids separated by spaces):
//! cargo run --release -p xuncha-text --example bench_dedup -- \
//!     --corpus DIR/corpus.tsv --truth DIR/truth.tsv --eval FILE --label NAME
//! ```
//!
//! Grouping is `group_near_duplicates(docs, threshold)`, the library's one call: 128
//! permutations, 3-character shingles of the normalised text, LSH banding for the threshold
//! (16 bands × 8 rows at 0.8), candidates verified by estimated Jaccard ≥ threshold, then
//! union-find. Timed from the bodies in memory to the groups; reading the file is not timed.
//!
//! Scores (the same code scores every tool's groups):
//! - pair recall: planted pairs (any two petitions of one planted group) that end up in one
//!   group; pair precision: pairs of a found group that are planted pairs;
//! - planted groups found exactly;
//! - copy recall per edit kind: copies grouped with their original, by the edits they carry;
//! - the exact Jaccard of each (original, copy) pair, on xuncha's shingles (normalised text)
//!   and on raw shingles (lower-cased, non-word characters dropped, as the datasketch side
//!   does): the share at or above the threshold is what a perfect index could find.

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use xuncha_text::{group_near_duplicates, normalize, MinHash};

struct Truth {
    /// doc id → planted group
    group_of: HashMap<u64, u64>,
    /// planted group → original id
    original: HashMap<u64, u64>,
    /// copy id → edit tags
    edits: HashMap<u64, Vec<String>>,
    groups: BTreeMap<u64, Vec<u64>>,
}

fn read_truth(path: &PathBuf) -> Truth {
    let mut t = Truth {
        group_of: HashMap::new(),
        original: HashMap::new(),
        edits: HashMap::new(),
        groups: BTreeMap::new(),
    };
    for l in BufReader::new(std::fs::File::open(path).unwrap()).lines() {
        let l = l.unwrap();
        let f: Vec<&str> = l.split('\t').collect();
        let (g, id): (u64, u64) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        t.group_of.insert(id, g);
        t.groups.entry(g).or_default().push(id);
        if f[2] == "orig" {
            t.original.insert(g, id);
        } else {
            t.edits
                .insert(id, f[3].split(',').map(str::to_owned).collect());
        }
    }
    for g in t.groups.values_mut() {
        g.sort_unstable();
    }
    t
}

fn pairs(n: usize) -> u64 {
    (n as u64) * (n as u64).saturating_sub(1) / 2
}

/// Prints the scores of `found` (groups of two or more ids) against the planted groups.
fn score(label: &str, truth: &Truth, found: &[Vec<u64>]) {
    let planted_pairs: u64 = truth.groups.values().map(|g| pairs(g.len())).sum();
    let found_pairs: u64 = found.iter().map(|g| pairs(g.len())).sum();
    let mut found_group_of: HashMap<u64, usize> = HashMap::new();
    let mut true_pairs = 0u64;
    for (i, g) in found.iter().enumerate() {
        let mut per_planted: HashMap<u64, usize> = HashMap::new();
        for id in g {
            found_group_of.insert(*id, i);
            if let Some(pg) = truth.group_of.get(id) {
                *per_planted.entry(*pg).or_default() += 1;
            }
        }
        true_pairs += per_planted.values().map(|&n| pairs(n)).sum::<u64>();
    }
    let exact: HashSet<&Vec<u64>> = found.iter().collect();
    let exact_found = truth.groups.values().filter(|g| exact.contains(g)).count();
    let largest = found.iter().map(Vec::len).max().unwrap_or(0);
    println!(
        "{label}: {} groups found ({} documents, largest {largest}); planted: {} groups, {} pairs",
        found.len(),
        found.iter().map(Vec::len).sum::<usize>(),
        truth.groups.len(),
        planted_pairs
    );
    println!(
        "{label}: pair recall {:.2}% ({true_pairs}/{planted_pairs}), pair precision {:.2}% \
         ({true_pairs}/{found_pairs}), planted groups found exactly {:.2}% ({exact_found}/{})",
        100.0 * true_pairs as f64 / planted_pairs.max(1) as f64,
        100.0 * true_pairs as f64 / found_pairs.max(1) as f64,
        100.0 * exact_found as f64 / truth.groups.len().max(1) as f64,
        truth.groups.len()
    );
    let mut by_tag: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (copy, tags) in &truth.edits {
        let orig = truth.original[&truth.group_of[copy]];
        let joined = matches!(
            (found_group_of.get(copy), found_group_of.get(&orig)),
            (Some(a), Some(b)) if a == b
        );
        for tag in tags.iter().map(String::as_str).chain(["all copies"]) {
            let e = by_tag.entry(tag).or_default();
            e.0 += 1;
            e.1 += usize::from(joined);
        }
    }
    let line: Vec<String> = by_tag
        .iter()
        .map(|(tag, (n, ok))| format!("{tag} {:.1}% (n={n})", 100.0 * *ok as f64 / *n as f64))
        .collect();
    println!(
        "{label}: copy grouped with its original, by edit: {}",
        line.join(", ")
    );
}

fn shingles(chars: &[char]) -> HashSet<&[char]> {
    if chars.len() < 3 {
        return std::iter::once(chars).filter(|c| !c.is_empty()).collect();
    }
    chars.windows(3).collect()
}

fn jaccard(a: &[char], b: &[char]) -> f64 {
    let (a, b) = (shingles(a), shingles(b));
    let inter = a.intersection(&b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// xuncha's shingle text: normalised, letters and digits only, ASCII lower-cased.
fn ours(text: &str) -> Vec<char> {
    normalize(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The datasketch side's shingle text: lower-cased, word characters only (`\W+` removed).
fn raw(text: &str) -> Vec<char> {
    text.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

fn reachable(truth: &Truth, bodies: &HashMap<u64, &str>, threshold: f64) {
    let mut n = 0;
    let (mut ok_ours, mut ok_raw) = (0, 0);
    for copy in truth.edits.keys() {
        let orig = truth.original[&truth.group_of[copy]];
        let (a, b) = (bodies[&orig], bodies[copy]);
        n += 1;
        ok_ours += usize::from(jaccard(&ours(a), &ours(b)) >= threshold);
        ok_raw += usize::from(jaccard(&raw(a), &raw(b)) >= threshold);
    }
    println!(
        "planted (original, copy) pairs with exact Jaccard ≥ {threshold}: {:.1}% on xuncha's \
         normalised shingles, {:.1}% on raw shingles (n={n})",
        100.0 * ok_ours as f64 / n as f64,
        100.0 * ok_raw as f64 / n as f64
    );
}

fn read_groups(path: &PathBuf) -> Vec<Vec<u64>> {
    let mut out: Vec<Vec<u64>> = BufReader::new(std::fs::File::open(path).unwrap())
        .lines()
        .map(|l| {
            let mut g: Vec<u64> = l
                .unwrap()
                .split_whitespace()
                .map(|x| x.parse().unwrap())
                .collect();
            g.sort_unstable();
            g
        })
        .filter(|g| g.len() > 1)
        .collect();
    out.sort_unstable();
    out
}

fn main() {
    let mut corpus = PathBuf::new();
    let mut truth_path = PathBuf::new();
    let mut threshold = 0.8;
    let mut groups_out: Option<PathBuf> = None;
    let mut eval: Option<PathBuf> = None;
    let mut label = String::from("xuncha");
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--corpus" => corpus = v.into(),
            "--truth" => truth_path = v.into(),
            "--threshold" => threshold = v.parse().unwrap(),
            "--groups-out" => groups_out = Some(v.into()),
            "--eval" => eval = Some(v.into()),
            "--label" => label = v,
            _ => panic!("unknown argument {k}"),
        }
    }
    let truth = read_truth(&truth_path);
    if let Some(path) = eval {
        score(&label, &truth, &read_groups(&path));
        return;
    }

    let text = std::fs::read_to_string(&corpus).unwrap();
    let docs: Vec<(u64, &str)> = text
        .lines()
        .map(|l| {
            let mut f = l.split('\t');
            let id = f.next().unwrap().parse().unwrap();
            let _title = f.next();
            (id, f.next().unwrap())
        })
        .collect();
    println!(
        "corpus: {} petitions, {:.0} characters a body on average",
        docs.len(),
        docs.iter().map(|d| d.1.chars().count()).sum::<usize>() as f64 / docs.len() as f64
    );

    let t = Instant::now();
    let groups = group_near_duplicates(&docs, threshold);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: group_near_duplicates(threshold {threshold}) on {} petitions: {secs:.2} s \
         = {:.0} docs/s (one thread)",
        docs.len(),
        docs.len() as f64 / secs
    );
    let t = Instant::now();
    let mh = MinHash::default();
    let mut empty = 0;
    for (_, body) in &docs {
        empty += usize::from(mh.signature(body).is_empty());
    }
    println!(
        "{label}: of which signatures alone (a separate pass): {:.2} s ({empty} empty)",
        t.elapsed().as_secs_f64()
    );
    if let Some(path) = groups_out {
        let mut w = BufWriter::new(std::fs::File::create(path).unwrap());
        for g in &groups {
            let ids: Vec<String> = g.iter().map(u64::to_string).collect();
            writeln!(w, "{}", ids.join(" ")).unwrap();
        }
        w.flush().unwrap();
    }
    score(&label, &truth, &groups);
    let bodies: HashMap<u64, &str> = docs.iter().copied().collect();
    reachable(&truth, &bodies, threshold);
}
