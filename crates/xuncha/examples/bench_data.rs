//! Generates the benchmark installation: 10,000 units and N persons
//! (default 1,000,000) in a SQLite data directory, plus a 100,000-row .xlsx
//! of further persons for the import benchmark. Used by `bench/registry.sh`.
//!
//! `cargo run --release -p xuncha --example bench_data -- DATA_DIR [PERSONS]`

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;

use xuncha_core::registry::{NewPerson, NewUnit};
use xuncha_core::store::{AuditMeta, ImportParent, ImportUnit};
use xuncha_db::DatabaseUrl;
use xuncha_office::{write_xlsx, Cell, Sheet};
use xuncha_text::IdNumber;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "平", "建国", "志强", "海燕", "春梅",
];

/// A deterministic xorshift generator (no dependency, same data every run).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[(self.next() % v.len() as u64) as usize]
    }
}

/// The n-th distinct valid ID number (1,000 birth dates × 1,000 sequences per region).
fn id_number(n: u64) -> IdNumber {
    let region = 530000 + (n / 1_000_000) % 9999;
    let day = (n / 1000) % 1000;
    let (y, m, d) = (1950 + day / 300, 1 + (day % 300) / 25, 1 + day % 25);
    IdNumber::from_parts(
        &format!("{region:06}"),
        &format!("{y:04}{m:02}{d:02}"),
        (n % 1000) as u16,
    )
    .unwrap()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().expect("usage: bench_data DATA_DIR [PERSONS]"));
    let persons: u64 = args.next().map(|s| s.parse().unwrap()).unwrap_or(1_000_000);
    let opened = xuncha_db::connect(&DatabaseUrl::Sqlite(data.join("xuncha.db"))).await?;
    let store = opened.store();
    let meta = AuditMeta {
        actor_id: 0,
        actor_name: "bench".into(),
        at: 1_795_000_000_000,
    };

    let t = std::time::Instant::now();
    let mut rows = vec![ImportUnit {
        unit: NewUnit::parse(None, "中共基准县委", "county", "530000", "")?,
        parent: ImportParent::None,
    }];
    for town in 0..100 {
        let town_row = rows.len();
        rows.push(ImportUnit {
            unit: NewUnit::parse(None, &format!("第{town}镇"), "township", "", "50000000")?,
            parent: ImportParent::Row(0),
        });
        for v in 0..99 {
            rows.push(ImportUnit {
                unit: NewUnit::parse(None, &format!("第{town}镇第{v}村"), "village", "", "")?,
                parent: ImportParent::Row(town_row),
            });
        }
    }
    store.import_units(&rows, &meta).await?;
    let units = store.all_units(&xuncha_core::policy::Scope::all()).await?;
    println!(
        "units: {} in {:.1}s",
        units.len(),
        t.elapsed().as_secs_f64()
    );

    let t = std::time::Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut batch = Vec::with_capacity(100_000);
    for n in 0..persons {
        let id = id_number(n);
        batch.push(NewPerson {
            name: format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)),
            gender: Some(id.gender().into()),
            birth_date: Some(id.birth_date_iso()),
            id_number: Some(id),
            unit_id: Some(units[(rng.next() % units.len() as u64) as usize].id),
            position: Some("干部".into()),
            phone: None,
        });
        if batch.len() == 100_000 {
            store.import_people(&batch, &meta).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        store.import_people(&batch, &meta).await?;
    }
    println!("persons: {persons} in {:.1}s", t.elapsed().as_secs_f64());

    // The import benchmark's file: 100,000 new persons in existing villages.
    let headers = ["姓名", "公民身份号码", "工作单位", "现任职务", "联系电话"]
        .map(String::from)
        .to_vec();
    let rows = (0..100_000u64)
        .map(|i| {
            let unit = &units[1 + (i as usize % (units.len() - 1))];
            vec![
                Cell::Text(format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))),
                Cell::Text(id_number(persons + i).to_string()),
                Cell::Text(unit.name.clone()),
                Cell::Text("村民".into()),
                Cell::Text(format!("139{:08}", i)),
            ]
        })
        .collect();
    let xlsx = write_xlsx(&[Sheet {
        name: "人员".into(),
        title: None,
        headers,
        rows,
        widths: None,
    }])
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(data.join("import-100k.xlsx"), xlsx)?;
    println!("wrote {}", data.join("import-100k.xlsx").display());
    opened.close().await;
    Ok(())
}
