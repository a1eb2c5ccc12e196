//! Search benchmark (`bench/search.sh`): indexes the petition corpus of `bench_corpus` with
//! xuncha-search, then runs its queries.
//!
//! ```sh
//! cargo run --release -p xuncha-search --example bench_search -- \
//!     --corpus DIR/corpus.tsv --queries DIR/queries_all.tsv \
//!     [--index-dir DIR/index] [--results DIR/results_xuncha.tsv] [--limit 20]
//! ```
//!
//! 1. Reads the corpus into memory (not timed), then times `SearchIndex::reindex` into an
//!    on-disk index (`--index-dir`, emptied first; a temporary directory without it): the
//!    time until every document is committed and searchable.
//! 2. Closes the index, prints its size on disk and segment count, and reopens it.
//! 3. Runs every query once untimed (warm-up), then once timed, one at a time on one thread:
//!    `SearchIndex::search` with `limit` 20 (top 20 by score, with the total count, stored
//!    fields and snippets: what a results page needs).
//! 4. Writes `qid  latency_us  found  hits  total` per query to `--results` (`found`: the
//!    query's target document is among the hits; `-` for queries without a target) and prints
//!    p50/p99 per query kind and recall per spelling.

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use xuncha_search::{SearchDoc, SearchIndex, SearchQuery};

struct Query {
    qid: u64,
    set: String,
    kind: String,
    target: u64,
    text: String,
}

fn read_queries(path: &Path) -> Vec<Query> {
    BufReader::new(std::fs::File::open(path).unwrap())
        .lines()
        .map(|l| {
            let l = l.unwrap();
            let f: Vec<&str> = l.splitn(5, '\t').collect();
            Query {
                qid: f[0].parse().unwrap(),
                set: f[1].to_owned(),
                kind: f[2].to_owned(),
                target: f[3].parse().unwrap(),
                text: f[4].to_owned(),
            }
        })
        .collect()
}

fn read_corpus(path: &Path) -> Vec<SearchDoc> {
    BufReader::with_capacity(1 << 20, std::fs::File::open(path).unwrap())
        .lines()
        .map(|l| {
            let l = l.unwrap();
            let f: Vec<&str> = l.splitn(4, '\t').collect();
            SearchDoc {
                doc_type: "petition".to_owned(),
                doc_id: f[0].to_owned(),
                title: f[1].to_owned(),
                body: f[2].to_owned(),
                unit_path: Some(f[3].to_owned()),
                ..SearchDoc::default()
            }
        })
        .collect()
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn main() {
    let mut corpus = PathBuf::new();
    let mut queries_path = PathBuf::new();
    let mut index_dir: Option<PathBuf> = None;
    let mut results: Option<PathBuf> = None;
    let mut limit = 20;
    let mut reuse = false;
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--corpus" => corpus = v.into(),
            "--queries" => queries_path = v.into(),
            "--index-dir" => index_dir = Some(v.into()),
            "--results" => results = Some(v.into()),
            "--limit" => limit = v.parse().unwrap(),
            "--reuse-index" => reuse = v == "yes",
            _ => panic!("unknown argument {k}"),
        }
    }

    if reuse {
        // Queries only, on the index a previous run left in `--index-dir` (for profiling).
        let dir = index_dir.expect("--reuse-index needs --index-dir");
        let index = SearchIndex::open(&dir).unwrap();
        return run_queries(&index, &queries_path, results.as_deref(), limit);
    }
    let t = Instant::now();
    let docs = read_corpus(&corpus);
    let n = docs.len();
    let chars: usize = docs.iter().map(|d| d.body.chars().count()).sum();
    println!(
        "corpus: {n} documents, {:.0} characters a body on average (read in {:.1} s, not timed)",
        chars as f64 / n as f64,
        t.elapsed().as_secs_f64()
    );

    let _tmp;
    let dir = match index_dir {
        Some(d) => {
            if d.exists() {
                std::fs::remove_dir_all(&d).unwrap();
            }
            d
        }
        None => {
            _tmp = tempfile::tempdir().unwrap();
            _tmp.path().to_path_buf()
        }
    };
    let index = SearchIndex::open(&dir).unwrap();
    let t = Instant::now();
    let indexed = index.reindex(docs.into_iter()).unwrap();
    let build = t.elapsed().as_secs_f64();
    let t = Instant::now();
    drop(index);
    let close = t.elapsed().as_secs_f64();
    println!(
        "xuncha build: {indexed} documents in {build:.1} s = {:.0} docs/s (reindex until \
         committed; closing the writer took {close:.1} s more)",
        indexed as f64 / build
    );
    let index = SearchIndex::open(&dir).unwrap();
    let segments = index
        .tantivy_index()
        .searchable_segment_metas()
        .unwrap()
        .len();
    println!(
        "xuncha index: {:.0} MB on disk, {segments} segments, {} documents",
        dir_size(&dir) as f64 / 1e6,
        index.doc_count()
    );

    run_queries(&index, &queries_path, results.as_deref(), limit);
}

/// Step 3 and 4: the queries, once untimed and once timed; figures per kind.
fn run_queries(index: &SearchIndex, queries_path: &Path, results: Option<&Path>, limit: usize) {
    let queries = read_queries(queries_path);
    let run = |q: &Query| {
        let t = Instant::now();
        let r = index
            .search(&SearchQuery {
                limit,
                ..SearchQuery::text(q.text.clone())
            })
            .unwrap();
        let us = t.elapsed().as_secs_f64() * 1e6;
        let target = q.target.to_string();
        let found = r.hits.iter().any(|h| h.doc_id == target);
        (us, found, r.hits.len(), r.total)
    };
    let t = Instant::now();
    for q in &queries {
        run(q);
    }
    let warm = t.elapsed().as_secs_f64();
    let mut out: Option<BufWriter<std::fs::File>> =
        results.map(|p| BufWriter::new(std::fs::File::create(p).unwrap()));
    // (set, kind) → latencies (ms), found count, total of totals
    let mut by_kind: BTreeMap<(String, String), (Vec<f64>, usize, usize)> = BTreeMap::new();
    let t = Instant::now();
    for q in &queries {
        let (us, found, hits, total) = run(q);
        if let Some(o) = out.as_mut() {
            let f = if q.target == 0 {
                "-"
            } else if found {
                "1"
            } else {
                "0"
            };
            writeln!(o, "{}\t{us:.1}\t{f}\t{hits}\t{total}", q.qid).unwrap();
        }
        let e = by_kind.entry((q.set.clone(), q.kind.clone())).or_default();
        e.0.push(us / 1000.0);
        e.1 += usize::from(found);
        e.2 += total;
    }
    if let Some(mut o) = out {
        o.flush().unwrap();
    }
    println!(
        "xuncha queries: {} (warm-up pass {warm:.1} s, timed pass {:.1} s), limit {limit}",
        queries.len(),
        t.elapsed().as_secs_f64()
    );
    let mut all: Vec<f64> = Vec::new();
    for ((set, kind), (lat, found, total)) in &mut by_kind {
        lat.sort_by(f64::total_cmp);
        if set == "latency" {
            all.extend(lat.iter());
        }
        let recall = if set == "recall" {
            format!(
                "  recall@{limit} {:.1}%",
                100.0 * *found as f64 / lat.len() as f64
            )
        } else {
            String::new()
        };
        println!(
            "  {set:8} {kind:16} n={:5}  p50 {:7.2} ms  p99 {:7.2} ms  mean total {:8.0}{recall}",
            lat.len(),
            percentile(lat, 0.5),
            percentile(lat, 0.99),
            *total as f64 / lat.len() as f64
        );
    }
    all.sort_by(f64::total_cmp);
    println!(
        "  latency set, all kinds: n={}  p50 {:.2} ms  p99 {:.2} ms",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99)
    );
}
