//! Benchmark driver for `bench/collide.sh`.
//!
//! ```text
//! bench_collide gen --dir DIR --recipients N --others M   generate and import the lists
//! bench_collide sql --dir DIR --out FILE                  the templates' SQL, for the peer
//! bench_collide run --dir DIR                             run every template that applies
//! bench_collide explain --dir DIR (--rule ID | --sql FILE) EXPLAIN ANALYZE of a template or query
//! bench_collide time --dir DIR --sql FILE                 a query three times in one session
//! ```
//!
//! `gen` builds deterministic lists (same arguments, same data) and imports
//! them through the same converter as `xuncha collide import` (rows of text
//! cells; reading the .xlsx/.csv file itself is left out): N subsidy rows
//! (低保, one payment month), and M payroll, deceased and vehicle rows each.
//! Planted: 2 % of the payroll, 3 % of the deceased (died before the month;
//! 1 % more died after it, which must not hit) and 2.5 % of the vehicle
//! owners are recipients; 0.05 % of the recipients appear twice (another
//! village, another programme).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use xuncha_collide::templates::TEMPLATES;
use xuncha_collide::values::civil_from_days;
use xuncha_collide::{DataDir, Engine, ImportRequest, Kind};
use xuncha_text::IdNumber;

const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文福林海波荣新春金凤云山成";

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// Person `i`: a deterministic name and a valid, unique ID number.
fn person(i: u64) -> (String, String) {
    let s: Vec<char> = SURNAMES.chars().collect();
    let g: Vec<char> = GIVEN.chars().collect();
    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let name: String = [
        s[(h % s.len() as u64) as usize],
        g[((h >> 20) % g.len() as u64) as usize],
        g[((h >> 40) % g.len() as u64) as usize],
    ]
    .iter()
    .collect();
    // 23,000 birth days from 1940 × 1,000 sequence numbers per region code.
    let day = (i % 23_000) as i32 - 10_957; // days since 1970 → from 1940-01-01
    let seq = ((i / 23_000) % 1_000) as u16;
    let region = 530_102 + i / 23_000_000;
    let birth = civil_from_days(day).replace('-', "");
    let id = IdNumber::from_parts(&region.to_string(), &birth, seq).expect("valid parts");
    (name, id.as_str().to_owned())
}

fn import(
    dir: &DataDir,
    kind: Kind,
    name: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) {
    let t = Instant::now();
    let req = ImportRequest {
        kind: Some(kind),
        name: name.to_owned(),
        source_department: Some("bench".into()),
        source_file: format!("{name}.csv"),
        imported_by: "bench".into(),
        imported_at: String::new(),
        mapping: Vec::new(),
    };
    let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
    let r = dir
        .import(&req, &headers, rows.enumerate().map(|(i, r)| (i + 2, r)))
        .expect("import");
    println!(
        "import {name}: {} rows in {:.1} s ({} problems)",
        r.dataset.rows,
        t.elapsed().as_secs_f64(),
        r.problems.len()
    );
}

fn gen(dir: &DataDir, n: u64, m: u64) {
    let villages = [
        "石桥村",
        "河口村",
        "青石村",
        "城关社区",
        "松林村",
        "白沙村",
        "龙潭村",
        "新民村",
    ];
    let dup = n / 2_000; // 0.05 %: the last `dup` rows repeat the first persons
    import(
        dir,
        Kind::Subsidy,
        "低保",
        &["姓名", "身份证号", "救助类别", "金额", "发放月份", "村"],
        (0..n).map(move |i| {
            let (p, prog, v) = if i >= n - dup {
                (i - (n - dup), "城市低保", "城关社区")
            } else {
                (i, "农村低保", villages[(i % 7) as usize])
            };
            let (name, id) = person(p);
            vec![
                name,
                id,
                prog.into(),
                "560".into(),
                "2024-03".into(),
                v.into(),
            ]
        }),
    );
    // Others come from persons n.. (not recipients) except the planted share.
    let planted = |i: u64, share_per_mille: u64, stride: u64| -> u64 {
        if i < m * share_per_mille / 1000 {
            (i * stride) % (n - dup)
        } else {
            n + i + m * stride
        }
    };
    import(
        dir,
        Kind::Payroll,
        "财政供养人员",
        &["姓名", "身份证号", "工作单位", "职务"],
        (0..m).map(move |i| {
            let (name, id) = person(planted(i, 20, 401));
            vec![name, id, "县某局".into(), "科员".into()]
        }),
    );
    import(
        dir,
        Kind::Deceased,
        "死亡人员",
        &["姓名", "身份证号", "死亡日期"],
        (0..m).map(move |i| {
            let (name, id) = person(planted(i, 40, 331));
            // The first 3 % died before March 2024; the next 1 % after it.
            let date = if i < m * 30 / 1000 {
                "2023-12-20"
            } else {
                "2024-06-02"
            };
            vec![name, id, date.into()]
        }),
    );
    import(
        dir,
        Kind::Vehicle,
        "车辆登记",
        &["车主", "身份证号", "号牌号码", "购置价格"],
        (0..m).map(move |i| {
            let (name, id) = person(planted(i, 25, 277));
            vec![
                name,
                id,
                format!("云A{:05}", i % 100_000),
                (5_000 + (i * 7919) % 300_000).to_string(),
            ]
        }),
    );
}

fn applicable(dir: &DataDir) -> Vec<&'static str> {
    let m = dir.manifest().unwrap();
    let kinds: Vec<Kind> = m.datasets.iter().filter_map(|d| d.kind()).collect();
    TEMPLATES
        .iter()
        .filter(|t| t.needs.iter().all(|k| kinds.contains(k)))
        .map(|t| t.id)
        .collect()
}

fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = DataDir::new(&PathBuf::from(arg(&args, "--dir").expect("--dir")));
    match args.get(1).map(String::as_str) {
        Some("gen") => {
            let n = arg(&args, "--recipients").map_or(10_000_000, |v| v.parse().unwrap());
            let m = arg(&args, "--others").map_or(1_000_000, |v| v.parse().unwrap());
            gen(&dir, n, m);
        }
        Some("sql") => {
            let out = arg(&args, "--out").expect("--out");
            let mut f = std::fs::File::create(out).unwrap();
            // The text the engine runs, weak branches pruned the same way.
            let gaps = xuncha_collide::engine::gaps(&dir.manifest().unwrap());
            for id in applicable(&dir) {
                let tpl = xuncha_collide::templates::template(id).unwrap();
                let sql = tpl.sql(&BTreeMap::new(), &gaps).unwrap();
                // One statement per record: id, a tab, the SQL on one line.
                writeln!(f, "{id}\t{}", sql.replace('\n', " ")).unwrap();
            }
        }
        Some("run") => {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let t = Instant::now();
                let engine = Engine::open(&dir).await.unwrap();
                let open = t.elapsed();
                println!("open: {:.3} s", open.as_secs_f64());
                let mut total = open;
                for id in applicable(&dir) {
                    let out = engine
                        .run_rule(id, &BTreeMap::new(), Duration::from_secs(3600))
                        .await
                        .unwrap();
                    total += out.elapsed;
                    println!(
                        "{id}: {} hits in {:.3} s",
                        out.hits.len(),
                        out.elapsed.as_secs_f64()
                    );
                }
                println!("total: {:.3} s", total.as_secs_f64());
                println!("peak resident memory: {} MB", peak_rss_mb());
            });
        }
        Some("explain") => {
            let sql = if let Some(f) = arg(&args, "--sql") {
                std::fs::read_to_string(f).unwrap()
            } else {
                let rule = arg(&args, "--rule").expect("--rule or --sql");
                xuncha_collide::templates::template(&rule)
                    .expect("a template")
                    .sql(
                        &BTreeMap::new(),
                        &xuncha_collide::engine::gaps(&dir.manifest().unwrap()),
                    )
                    .unwrap()
            };
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let engine = Engine::open(&dir).await.unwrap();
                println!("{}", engine.explain_analyze(&sql).await.unwrap());
            });
        }
        Some("time") => {
            let sql = std::fs::read_to_string(arg(&args, "--sql").expect("--sql")).unwrap();
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async {
                let engine = Engine::open(&dir).await.unwrap();
                for _ in 0..3 {
                    let t = Instant::now();
                    let hits = engine
                        .run_custom("sql", &sql, Duration::from_secs(3600))
                        .await
                        .unwrap();
                    println!("{} hits in {:.3} s", hits.len(), t.elapsed().as_secs_f64());
                }
            });
        }
        _ => eprintln!("usage: bench_collide gen|sql|run|explain|time --dir DIR [...]"),
    }
}
