//! Throughput of `xuncha_text::normalize` (no criterion: a plain timed loop).
//!
//! ```text
//! CARGO_TARGET_DIR=target-text cargo bench -p xuncha-text --bench normalize_throughput -j 1
//! XT_BENCH_MB=100 ... (size of each corpus, default 100)
//! ```
//!
//! Three synthetic corpora of mostly-Chinese text are built in memory from a fixed seed:
//! simplified official prose (almost nothing to change), the same prose in traditional
//! characters with full-width digits and odd spaces (much to change), and a mix with random
//! characters from the whole URO block (cold table lookups). ferrous-opencc's t2s is timed on
//! a slice of the traditional corpus for a same-machine reference.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

const SIMPLIFIED: &[&str] = &[
    "根据县委巡察工作领导小组的统一部署，县委第三巡察组对城关镇党委开展了常规巡察。",
    "巡察组通过个别谈话、民主测评、调阅资料、走访群众等方式，发现问题线索十二条。",
    "低保、特困供养、危房改造等民生资金的管理使用情况是本轮巡察的重点。",
    "村两委班子成员和驻村第一书记参加了反馈会议，表示将认真抓好整改落实。",
    "对巡察发现的问题，被巡察党组织要在两个月内报送整改进展情况。",
    "纪委监委将对问题线索进行分类处置，对违反中央八项规定精神的问题严肃问责。",
    "2024年共收到群众来信来访137件次，其中涉及基层干部作风问题的有46件。",
    "Hello world, this line is ASCII so the fast path copies it in bulk 0123456789.",
];
const TRADITIONAL: &[&str] = &[
    "根據縣委巡察工作領導小組的統一部署，縣委第三巡察組對城關鎮黨委開展了常規巡察。",
    "巡察組通過個別談話、民主測評、調閱資料、走訪群眾等方式，發現問題線索十二條。",
    "低保、特困供養、危房改造等民生資金的管理使用情況是本輪巡察的重點。",
    "村兩委班子成員和駐村第一書記參加了反饋會議，表示將認真抓好整改落實。",
    "對巡察發現的問題，被巡察黨組織要在兩個月內報送整改進展情況。\u{3000}\u{3000}",
    "紀委監委將對問題線索進行分類處置，對違反中央八項規定精神的問題嚴肅問責。",
    "２０２４年共收到群眾來信來訪１３７件次，其中涉及基層幹部作風問題的有４６件。",
    "①②③ 嘫后樶好芣要\u{200B}錯過",
];

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn corpus(bytes: usize, sentences: &[&str], random_share: u64, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut s = String::with_capacity(bytes + 256);
    while s.len() < bytes {
        if rng.next() % 100 < random_share {
            for _ in 0..20 {
                let c = char::from_u32(0x4E00 + (rng.next() % 0x51A6) as u32).unwrap();
                s.push(c);
            }
            s.push('。');
        } else {
            s.push_str(sentences[(rng.next() % sentences.len() as u64) as usize]);
        }
        if rng.next() % 8 == 0 {
            s.push('\n');
        }
    }
    s
}

/// Cuts `text` into pieces of about `size` bytes at character boundaries.
fn split_docs(text: &str, size: usize) -> Vec<&str> {
    let mut docs = Vec::with_capacity(text.len() / size + 1);
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + size).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        docs.push(&text[start..end]);
        start = end;
    }
    docs
}

/// CPU time of this thread in seconds (Linux: utime + stime from /proc, 100 ticks a second),
/// so that a busy shared machine does not count other processes' time against us.
fn thread_cpu_s() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after_comm = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Best of `rounds`: (MB/s by wall clock, MB/s by this thread's CPU time).
fn time_mb_per_s(text: &str, rounds: usize, mut f: impl FnMut(&str) -> usize) -> (f64, f64) {
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let cpu = thread_cpu_s();
        let start = Instant::now();
        black_box(f(black_box(text)));
        best_wall = best_wall.min(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu, thread_cpu_s()) {
            best_cpu = best_cpu.min((b - a).max(0.01));
        }
    }
    let mb = text.len() as f64 / 1e6;
    (mb / best_wall, mb / best_cpu)
}

fn main() {
    let mb: usize = std::env::var("XT_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let size = mb * 1_000_000;
    // The one-off costs: parsing the table, building the segmenter's dictionary.
    let start = Instant::now();
    let _ = xuncha_text::normalize("國");
    let table_ms = start.elapsed().as_secs_f64() * 1e3;
    let start = Instant::now();
    let first = xuncha_text::Segmenter::new();
    let seg_first_ms = start.elapsed().as_secs_f64() * 1e3;
    let start = Instant::now();
    let second = xuncha_text::Segmenter::new();
    let seg_next_ms = start.elapsed().as_secs_f64() * 1e3;
    drop((first, second));
    println!(
        "fold table parse: {table_ms:.1} ms; Segmenter::new: first {seg_first_ms:.0} ms, \
         next {seg_next_ms:.0} ms"
    );
    let normalizer = xuncha_text::Normalizer::default();
    let mut buf = String::new();
    let corpora = [
        ("simplified", corpus(size, SIMPLIFIED, 0, 1)),
        ("traditional", corpus(size, TRADITIONAL, 0, 2)),
        (
            "mixed+random",
            corpus(size, &[SIMPLIFIED, TRADITIONAL].concat(), 30, 3),
        ),
    ];
    for (name, text) in &corpora {
        let fresh = time_mb_per_s(text, 3, |t| xuncha_text::normalize(t).len());
        let reuse = time_mb_per_s(text, 3, |t| {
            buf.clear();
            normalizer.normalize_into(t, &mut buf);
            buf.len()
        });
        // The indexing pattern: many documents of about 1 KB, a new String for each.
        let docs = split_docs(text, 1000);
        let per_doc = time_mb_per_s(text, 3, |_| {
            docs.iter().map(|d| xuncha_text::normalize(d).len()).sum()
        });
        let offsets = time_mb_per_s(text, 1, |t| normalizer.normalize_with_offsets(t).1.len());
        println!(
            "normalize {name:>13} ({} MB), MB/s wall (cpu): 1 KB documents {:.0} ({:.0}) | one \
             big String {:.0} ({:.0}) | reused buffer {:.0} ({:.0}) | with offsets {:.0} ({:.0})",
            text.len() / 1_000_000,
            per_doc.0,
            per_doc.1,
            fresh.0,
            fresh.1,
            reuse.0,
            reuse.1,
            offsets.0,
            offsets.1
        );
    }
    let opencc =
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).unwrap();
    let trad = &corpora[1].1;
    let mut end = 10_000_000.min(trad.len());
    while !trad.is_char_boundary(end) {
        end -= 1;
    }
    let slice = &trad[..end];
    let (wall, cpu) = time_mb_per_s(slice, 1, |t| opencc.convert(t).len());
    println!("ferrous-opencc t2s (reference, traditional, 10 MB): {wall:.0} ({cpu:.0}) MB/s");
}
