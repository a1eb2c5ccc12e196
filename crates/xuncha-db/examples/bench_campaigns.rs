//! Field campaign benchmark (issue: field campaigns, household visits):
//! 1,000,000 households and 2,000,000 visit records, on SQLite or
//! PostgreSQL. Used by `bench/campaigns.sh`; prints figures, asserts no
//! timings.
//!
//! ```text
//! bench_campaigns sqlite WORK_DIR            a fresh WORK_DIR/xuncha.db
//! bench_campaigns postgres://…/db WORK_DIR   a fresh database beside db, dropped at the end
//! ```
//!
//! Environment (defaults in brackets): `HOUSEHOLDS` [1000000], `VISITS`
//! [2000000], `SAMPLE` [2000] visits through the use case, `CALLS` [200]
//! per page, `TOWNSHIPS` [20], `VILLAGES` [100] per township, `CADRES`
//! [200] (one team each), `KEEP=1` keeps the PostgreSQL database,
//! `REUSE=1` measures the pages again on the data of an earlier run (the
//! SQLite file in WORK_DIR, or the database kept by `KEEP=1`), `EXPLAIN=1`
//! prints the query plans of the page queries.
//!
//! 1. Registry: a county, its townships and villages (`import_units`), an
//!    office user and the visiting cadres (users, as team members must be).
//! 2. A household list as a UTF-8 CSV file (ordered by township and
//!    village; 90 % with a valid 18-digit ID number, 10 % blank), imported
//!    the product's way: `xuncha_office::read_table`, then
//!    `setup::import_households` (validation, then one store transaction).
//! 3. One team of one cadre per 10 villages (`setup::add_team`,
//!    `setup::assign`).
//! 4. `SAMPLE` visits through `work::record_visit` (one in ten with a
//!    demand); the rest of `VISITS` are *data generation* with plain SQL —
//!    records, one demand per 20 records, household visit counts, the daily,
//!    per-member and open follow-up counters — and then the store's own
//!    recount of the tree (`import_households` with no rows), checked
//!    against the rows, and a village added late (`add_campaign_targets`).
//! 5. Page latency over `CALLS` calls each: the coverage page and its store
//!    calls apart, the overview (office: the whole campaign; a cadre: their
//!    team), the desk's count, the follow-up register a page at a time, the
//!    coverage table, household searches by name prefix within a team, and
//!    one village's households.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::Connection;
use xuncha_core::auth::{Actor, Jurisdiction, Role};
use xuncha_core::campaign::visit::{household_rows, AreaRef, VisitResult, HOUSEHOLD_FIELDS};
use xuncha_core::campaign::{CampaignKind, DemandInput, RecordData, TargetLevel, VisitInput};
use xuncha_core::clock::{Clock, ManualClock};
use xuncha_core::import::map_fields;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{NewUnit, Unit, UnitKind, UnitName};
use xuncha_core::store::{AuditMeta, ImportParent, ImportUnit, NewUser, Store};
use xuncha_core::usecases::campaigns::{self as uc, register, setup, views, work};
use xuncha_db::{PgStore, SqliteStore};
use xuncha_text::IdNumber;

/// 2026-11-28T01:30:00Z: "today" for the visits recorded through the use case.
const NOW: i64 = 1_795_829_400_000;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Raw SQL beside the store, for data generation and checks.
enum Raw {
    Sqlite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

impl Raw {
    async fn exec(&self, sql: &str) -> u64 {
        let r = match self {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
            Raw::Pg(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
        };
        r.unwrap_or_else(|e| panic!("{e}\n{sql}"))
    }
    async fn scalar(&self, sql: &str) -> i64 {
        let r = match self {
            Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await,
            Raw::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await,
        };
        r.unwrap_or_else(|e| panic!("{e}\n{sql}"))
    }
    /// One text value, when there is a row.
    async fn text(&self, sql: &str) -> Option<String> {
        let r = match self {
            Raw::Sqlite(p) => sqlx::query_scalar(sql).fetch_optional(p).await,
            Raw::Pg(p) => sqlx::query_scalar(sql).fetch_optional(p).await,
        };
        r.unwrap_or_else(|e| panic!("{e}\n{sql}"))
    }
    /// The query plan, one line per row of EXPLAIN's answer.
    async fn explain(&self, sql: &str) -> Vec<String> {
        match self {
            Raw::Sqlite(p) => {
                let rows: Vec<(i64, i64, i64, String)> =
                    sqlx::query_as(&format!("explain query plan {sql}"))
                        .fetch_all(p)
                        .await
                        .unwrap();
                rows.into_iter().map(|r| r.3).collect()
            }
            Raw::Pg(p) => sqlx::query_scalar(&format!("explain (analyze, buffers) {sql}"))
                .fetch_all(p)
                .await
                .unwrap(),
        }
    }
    fn is_pg(&self) -> bool {
        matches!(self, Raw::Pg(_))
    }
}

/// Percentiles of a set of durations, in milliseconds.
struct Stats {
    n: usize,
    p50: f64,
    p99: f64,
    max: f64,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        let i = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
        ms(v[i])
    };
    Stats {
        n: v.len(),
        p50: at(0.50),
        p99: at(0.99),
        max: ms(*v.last().unwrap()),
    }
}

fn report(label: &str, s: &Stats, extra: &str) {
    println!(
        "  {label:<44} n={:<5} p50 {:>8.2} ms   p99 {:>8.2} ms   max {:>8.2} ms{extra}",
        s.n, s.p50, s.p99, s.max
    );
}

/// A deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Surnames with their weight in tenths of a percent (roughly the national
/// shares; 王, 李 and 张 are about 7 % each).
const SURNAMES: &[(&str, u64)] = &[
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 19),
    ("周", 19),
    ("徐", 15),
    ("孙", 15),
    ("马", 13),
    ("朱", 13),
    ("胡", 12),
    ("郭", 11),
    ("何", 11),
    ("高", 11),
    ("林", 10),
    ("罗", 9),
    ("郑", 9),
    ("梁", 8),
    ("谢", 7),
    ("宋", 7),
    ("唐", 7),
    ("许", 7),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 6),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 5),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
];

const GIVEN: &[char] = &[
    '建', '国', '华', '明', '文', '军', '平', '志', '伟', '红', '英', '秀', '兰', '芳', '玉', '春',
    '海', '林', '德', '成', '福', '贵', '荣', '忠', '学', '云', '桂', '凤', '金', '永', '光', '强',
    '东', '生', '祥', '富', '琼', '丽', '珍', '洪', '发', '宝', '顺', '才', '友', '正', '良', '山',
    '水', '清',
];

const TOWNSHIPS: &[&str] = &[
    "城关镇",
    "青石镇",
    "河口镇",
    "龙泉乡",
    "白沙镇",
    "松林乡",
    "马街镇",
    "新华乡",
    "东山镇",
    "西河乡",
    "南屏镇",
    "北岭乡",
    "太平镇",
    "长乐乡",
    "金鸡镇",
    "石门乡",
    "清水镇",
    "凤凰乡",
    "永安镇",
    "黄泥乡",
];

fn township_name(i: usize) -> String {
    match TOWNSHIPS.get(i) {
        Some(n) => (*n).to_owned(),
        None => format!("第{}镇", i + 1),
    }
}

/// Village names repeat across townships (as they do), so a list row's
/// township tells them apart.
fn village_name(i: usize) -> String {
    const A: &[char] = &['大', '小', '上', '下', '新', '老', '东', '西', '南', '北'];
    const B: &[char] = &['河', '山', '坪', '寨', '沟', '湾', '坝', '林', '田', '桥'];
    if i < 100 {
        format!("{}{}村", A[i / 10], B[i % 10])
    } else {
        format!("第{}村", i + 1)
    }
}

fn weighted_surname(rng: &mut Rng) -> &'static str {
    let total: u64 = SURNAMES.iter().map(|s| s.1).sum();
    // A third of the people carry one of many rarer surnames: drawn here
    // from the same list's tail to keep the file simple.
    let mut x = rng.below(total);
    for (s, w) in SURNAMES {
        if x < *w {
            return s;
        }
        x -= w;
    }
    SURNAMES[0].0
}

fn person_name(rng: &mut Rng) -> String {
    let mut s = weighted_surname(rng).to_owned();
    let n = if rng.below(10) < 7 { 2 } else { 1 };
    for _ in 0..n {
        s.push(GIVEN[rng.below(GIVEN.len() as u64) as usize]);
    }
    s
}

/// (year, month, day) of a day count since 1970-01-01.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The `n`-th of a series of distinct valid ID numbers: birth dates over
/// 68 years from 1940, three digits of sequence.
fn id_number_of(n: usize) -> String {
    let (y, m, d) = civil(-10_957 + (n % 25_000) as i64);
    let region = ["530102", "530111", "530112", "530113", "530124"][(n / 25_000) % 5];
    IdNumber::from_parts(region, &format!("{y:04}{m:02}{d:02}"), (n / 125_000) as u16)
        .unwrap()
        .as_str()
        .to_owned()
}

/// Writes the household list; returns the surnames' first row counts.
fn write_csv(path: &Path, households: usize, towns: usize, villages: usize) -> u64 {
    let f = std::fs::File::create(path).unwrap();
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    writeln!(w, "乡镇,村（社区）,户主姓名,身份证号码,家庭住址,家庭人口").unwrap();
    let mut rng = Rng(20_261_128);
    let areas = towns * villages;
    for n in 0..households {
        let a = n * areas / households;
        let (t, v) = (a / villages, a % villages);
        let town = township_name(t);
        let village = village_name(v);
        let id = if n % 10 == 9 {
            String::new()
        } else {
            id_number_of(n)
        };
        writeln!(
            w,
            "{town},{village},{},{id},{town}{village}{}组{}号,{}",
            person_name(&mut rng),
            1 + rng.below(12),
            1 + rng.below(120),
            1 + rng.below(8),
        )
        .unwrap();
    }
    w.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn actor_of(user_id: i64, username: &str, role: Role, unit: &Unit) -> Actor {
    Actor {
        user_id,
        username: username.to_owned(),
        display_name: format!("{username} 姓名"),
        role,
        jurisdiction: Some(Jurisdiction {
            unit_id: unit.id,
            path: unit.path.clone(),
        }),
        recused_paths: Vec::new(),
        assignments: Vec::new(),
    }
}

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: bench_campaigns sqlite|postgres://ADMIN_URL WORK_DIR");
        std::process::exit(2);
    }
    let work_dir = PathBuf::from(&args[2]);
    std::fs::create_dir_all(&work_dir).unwrap();
    let reuse = std::env::var("REUSE").as_deref() == Ok("1");
    if args[1] == "sqlite" {
        let path = work_dir.join("xuncha.db");
        for ext in ["", "-wal", "-shm"] {
            if !reuse {
                let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
            }
        }
        let store = SqliteStore::open(&path).await.unwrap();
        let raw = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(&path)
                    .busy_timeout(Duration::from_secs(60)),
            )
            .await
            .unwrap();
        println!("backend: SQLite {}", path.display());
        run(Arc::new(store), Raw::Sqlite(raw), work_dir).await;
    } else {
        let admin_url = args[1].clone();
        let name = "xuncha_bench_campaigns";
        let mut admin = sqlx::PgConnection::connect(&admin_url).await.unwrap();
        if !reuse {
            sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&mut admin)
                .await
                .unwrap();
            sqlx::query(&format!("create database {name}"))
                .execute(&mut admin)
                .await
                .unwrap();
        }
        let url = with_database(&admin_url, name);
        let store = PgStore::connect(&url).await.unwrap();
        let raw = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .unwrap();
        let version: String = sqlx::query_scalar("show server_version")
            .fetch_one(&raw)
            .await
            .unwrap();
        println!("backend: PostgreSQL {version}, database {name}");
        // A panic inside still drops the database (the task is awaited).
        let job = tokio::spawn(run(Arc::new(store.clone()), Raw::Pg(raw.clone()), work_dir));
        let outcome = job.await;
        raw.close().await;
        store.close().await;
        if std::env::var("KEEP").as_deref() == Ok("1") {
            println!("kept database {name}");
        } else {
            sqlx::query(&format!("drop database if exists {name} with (force)"))
                .execute(&mut admin)
                .await
                .unwrap();
        }
        if let Err(e) = outcome {
            std::panic::resume_unwind(e.into_panic());
        }
    }
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

async fn run(store: Arc<dyn Store>, raw: Raw, work_dir: PathBuf) {
    let households = env_usize("HOUSEHOLDS", 1_000_000);
    // The generator gives at most two visits per household on average.
    let visits = env_usize("VISITS", 2_000_000).min(2 * households);
    let sample = env_usize("SAMPLE", 2_000).min(visits);
    let calls = env_usize("CALLS", 200);
    let towns = env_usize("TOWNSHIPS", 20);
    let villages = env_usize("VILLAGES", 100);
    let s = store.as_ref();
    let clock = ManualClock::new(NOW);
    let meta = || AuditMeta {
        actor_id: 0,
        actor_name: "system".into(),
        at: clock.now_ms(),
    };

    let reuse = std::env::var("REUSE").as_deref() == Ok("1");
    let Setup {
        cid,
        campaign,
        office,
        cadre_actors,
        team_ids,
        team_villages,
    } = if reuse {
        println!("== REUSE=1: pages only, on the data of an earlier run");
        rediscover(s).await
    } else {
        let cadres = env_usize("CADRES", 200);
        // 1. Registry -----------------------------------------------------------
        println!("== 1. registry: 1 county, {towns} townships × {villages} villages, 1 office user, {cadres} cadres");
        let t = Instant::now();
        let unit = |name: &str, kind| NewUnit {
            parent_id: None,
            name: UnitName::parse(name).unwrap(),
            kind,
            region_code: None,
            budget_yuan: None,
        };
        let mut rows = vec![ImportUnit {
            unit: unit("示范县", UnitKind::County),
            parent: ImportParent::None,
        }];
        for ti in 0..towns {
            let town_row = rows.len();
            rows.push(ImportUnit {
                unit: unit(&township_name(ti), UnitKind::Township),
                parent: ImportParent::Row(0),
            });
            for vi in 0..villages {
                rows.push(ImportUnit {
                    unit: unit(&village_name(vi), UnitKind::Village),
                    parent: ImportParent::Row(town_row),
                });
            }
        }
        s.import_units(&rows, &meta()).await.unwrap();
        let units = s.all_units(&Scope::all()).await.unwrap();
        let county = units
            .iter()
            .find(|u| u.kind == UnitKind::County)
            .unwrap()
            .clone();
        let mut town_units: Vec<Unit> = units
            .iter()
            .filter(|u| u.kind == UnitKind::Township)
            .cloned()
            .collect();
        town_units.sort_by_key(|u| u.id);
        let new_user = |login: String, role, unit_id| NewUser {
            display_name: format!("{login} 姓名"),
            username: login,
            role,
            unit_id: Some(unit_id),
            password_hash: "x".into(),
        };
        let u = s
            .create_user(
                &new_user("office1".into(), Role::Office, county.id),
                &meta(),
            )
            .await
            .unwrap();
        let office = actor_of(u.id, "office1", Role::Office, &county);
        let areas_total = towns * villages;
        let per_team = areas_total.div_ceil(cadres);
        let mut cadre_actors = Vec::new();
        for i in 0..cadres {
            // The cadre belongs to the township of their first village.
            let town = &town_units[((i * per_team) / villages).min(towns - 1)];
            let login = format!("zoufang{:03}", i + 1);
            let u = s
                .create_user(
                    &new_user(login.clone(), Role::VisitingCadre, town.id),
                    &meta(),
                )
                .await
                .unwrap();
            cadre_actors.push(actor_of(u.id, &login, Role::VisitingCadre, town));
        }
        println!(
            "  {} units, {} users in {:.2} s",
            rows.len(),
            cadres + 1,
            t.elapsed().as_secs_f64()
        );

        let mut input = uc::template(CampaignKind::Visit, "2026-11-01");
        input.unit_id = county.id.to_string();
        input.title = "2026年冬季民情大走访".into();
        input.ends_on = "2026-12-31".into();
        let campaign = uc::create(s, &clock, &office, &input).await.unwrap();
        let cid = campaign.id;
        let t = Instant::now();
        let town_ids: Vec<i64> = town_units.iter().map(|u| u.id).collect();
        setup::add_units(s, &clock, &office, cid, &town_ids)
            .await
            .unwrap();
        println!(
            "  campaign {cid}: add_units of {} townships → {} targets in {:.2} s",
            town_ids.len(),
            s.campaign_targets(cid, None).await.unwrap().len(),
            t.elapsed().as_secs_f64()
        );

        // 2. Household list ---------------------------------------------------------
        println!("== 2. household list: {households} rows (CSV, UTF-8), read + validate + store");
        let csv = work_dir.join("households.csv");
        let t = Instant::now();
        let size = write_csv(&csv, households, towns, villages);
        println!(
            "  generated {} ({:.1} MB) in {:.2} s (not part of the import)",
            csv.display(),
            size as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let t_all = Instant::now();
        let bytes = std::fs::read(&csv).unwrap();
        let table = xuncha_office::read_table(&bytes, "households.csv").unwrap();
        drop(bytes);
        let t_read = t_all.elapsed();
        let t = Instant::now();
        let report_ = setup::import_households(s, &clock, &office, cid, &table)
            .await
            .unwrap();
        let t_import = t.elapsed();
        let total = t_all.elapsed();
        assert_eq!(report_.created, households);
        // Validation alone (the same pure function the use case calls), to split
        // the use case's time into validation and store.
        let t = Instant::now();
        let mapping = map_fields(HOUSEHOLD_FIELDS, &table.headers).unwrap();
        let targets = s.campaign_targets(cid, None).await.unwrap();
        let name_of: HashMap<i64, &str> = targets.iter().map(|t| (t.id, t.name.as_str())).collect();
        let areas: Vec<AreaRef> = targets
            .iter()
            .filter(|t| t.level == TargetLevel::Village)
            .map(|t| AreaRef {
                id: t.id,
                village: t.name.clone(),
                township: t
                    .parent_id
                    .and_then(|p| name_of.get(&p))
                    .map(|s| (*s).to_owned())
                    .unwrap_or_default(),
            })
            .collect();
        let (checked, errors) = household_rows(&table, &mapping, &areas);
        let t_validate = t.elapsed();
        assert!(errors.is_empty() && checked.len() == households);
        drop((checked, table));
        let secs = total.as_secs_f64();
        println!(
            "  import total {:.2} s = {:.0} rows/s  (target < 60 s)",
            secs,
            households as f64 / secs
        );
        println!(
            "    read_table (file → RawTable)          {:>7.2} s",
            t_read.as_secs_f64()
        );
        println!(
            "    import_households (validate + store)  {:>7.2} s  (validation alone, measured apart: {:.2} s; store ≈ {:.2} s)",
            t_import.as_secs_f64(),
            t_validate.as_secs_f64(),
            (t_import.saturating_sub(t_validate)).as_secs_f64()
        );

        // 3. Teams --------------------------------------------------------------
        println!("== 3. teams: {cadres} teams of 1 cadre, {per_team} villages each");
        let t = Instant::now();
        let village_targets: Vec<i64> = {
            let mut v: Vec<_> = targets
                .iter()
                .filter(|t| t.level == TargetLevel::Village)
                .map(|t| t.id)
                .collect();
            v.sort();
            v
        };
        let mut team_ids = Vec::new();
        let mut team_villages: Vec<Vec<i64>> = Vec::new();
        for (i, a) in cadre_actors.iter().enumerate() {
            let team = setup::add_team(
                s,
                &clock,
                &office,
                cid,
                &format!("走访第{:03}组", i + 1),
                &format!("{} 走访记录", a.username),
            )
            .await
            .unwrap();
            let mine: Vec<i64> = village_targets
                .iter()
                .skip(i * per_team)
                .take(per_team)
                .copied()
                .collect();
            if !mine.is_empty() {
                setup::assign(s, &clock, &office, cid, &mine, Some(team))
                    .await
                    .unwrap();
            }
            team_ids.push(team);
            team_villages.push(mine);
        }
        println!(
            "  {} add_team + assign in {:.2} s",
            cadres,
            t.elapsed().as_secs_f64()
        );

        // 4. Visits ---------------------------------------------------------------
        println!("== 4. visits: {sample} through work::record_visit, the rest of {visits} generated with SQL");
        let questions = campaign.spec.questions.len();
        let mut picks: Vec<(usize, i64)> = Vec::new();
        let per_cadre = sample.div_ceil(cadres.max(1));
        for (i, team) in team_ids.iter().enumerate() {
            let found = s
                .find_households(cid, Some(*team), None, "", per_cadre as i64)
                .await
                .unwrap();
            picks.extend(found.iter().map(|h| (i, h.id)));
        }
        picks.truncate(sample);
        let mut times = Vec::with_capacity(picks.len());
        let t = Instant::now();
        for (n, (cadre, household)) in picks.iter().enumerate() {
            let mut v = VisitInput {
                client_key: format!("sample-visit-{n:06}"),
                day: format!("2026-11-{:02}", 1 + n % 27),
                met: "户主本人".into(),
                ..Default::default()
            };
            for q in 0..questions {
                v.answers.insert(q, "无".into());
            }
            if n % 10 == 0 {
                v.demands.push(DemandInput {
                    category: "基础设施".into(),
                    content: "村道破损，雨天难行".into(),
                    department: "县交通运输局".into(),
                });
            }
            let one = Instant::now();
            let (_, created) =
                work::record_visit(s, &clock, &cadre_actors[*cadre], *household, &v, vec![])
                    .await
                    .unwrap();
            times.push(one.elapsed());
            assert!(created);
        }
        let wall = t.elapsed().as_secs_f64();
        let st = stats(times);
        report(
            "work::record_visit (one at a time)",
            &st,
            &format!("   {:.0} visits/s", st.n as f64 / wall),
        );

        // Data generation: plain SQL, not the product's path.
        let bulk = visits - picks.len();
        let t = Instant::now();
        let placeholder = "@@HEAD_NAME@@";
        let data = serde_json::to_string(&RecordData::Visit(VisitResult {
            head_name: placeholder.into(),
            answers: vec!["无".into(); questions],
            met: "户主本人".into(),
            note: String::new(),
            position: None,
        }))
        .unwrap();
        let (pre, post) = data.split_once(placeholder).unwrap();
        let day_of = |e: &str| {
            format!(
                "case when {e} < 10 then '2026-11-0' || cast({e} as text) \
                 else '2026-11-' || cast({e} as text) end"
            )
        };
        let day = day_of("(1 + (h.id + n.k * 9) % 27)");
        let inserted = raw
            .exec(&format!(
                "insert into campaign_records (campaign_id, target_id, household_id, team_id, day, \
                 score, data, photos, client_key, recorded_by, recorded_at) \
                 select h.campaign_id, h.area_id, h.id, a.team_id, {day}, null, \
                 {} || h.head_name || {}, '[]', \
                 'bulk-' || cast(h.id as text) || '-' || cast(n.k as text), m.user_id, {NOW} \
                 from campaign_households h \
                 join campaign_targets a on a.id = h.area_id \
                 join campaign_members m on m.campaign_id = h.campaign_id and m.team_id = a.team_id \
                 join (select 1 as k union all select 2 union all select 3) n \
                   on (n.k <= 2 and h.id % 10 < 8) or (n.k = 3 and h.id % 10 < 4) \
                 where h.campaign_id = {cid} limit {bulk}",
                lit(pre),
                lit(post)
            ))
            .await;
        let t_records = t.elapsed().as_secs_f64();
        let demands = raw
            .exec(&format!(
                "insert into campaign_followups (campaign_id, kind, target_id, household_id, \
                 record_id, team_id, category, department, content, deadline, status, resolution, \
                 satisfaction, petition_id, version, created_at, updated_at) \
                 select r.campaign_id, 'demand', r.target_id, r.household_id, r.id, r.team_id, \
                 case r.id % 3 when 0 then '基础设施' when 1 then '住房安全' else '社会保障' end, \
                 '县交通运输局', '村道破损，雨天难行，请求硬化', \
                 '2026-12-0' || cast(1 + r.id % 9 as text), \
                 case r.id % 3 when 0 then 'done' when 1 then 'doing' else 'open' end, \
                 null, null, null, 1, {NOW}, {NOW} \
                 from campaign_records r \
                 where r.campaign_id = {cid} and r.id % 20 = 0 and r.client_key like 'bulk-%'"
            ))
            .await;
        raw.exec(&format!(
            "update campaign_households set visits = x.n, last_visit = x.d \
             from (select household_id, count(*) as n, max(day) as d from campaign_records \
                   where campaign_id = {cid} group by household_id) x \
             where campaign_households.id = x.household_id"
        ))
        .await;
        raw.exec(&format!(
            "update campaign_targets set last_day = x.d \
             from (select target_id, max(day) as d from campaign_records \
                   where campaign_id = {cid} group by target_id) x \
             where campaign_targets.id = x.target_id"
        ))
        .await;
        raw.exec(&format!(
            "delete from campaign_daily where campaign_id = {cid}"
        ))
        .await;
        raw.exec(&format!(
            "insert into campaign_daily (campaign_id, day, team_id, records, firsts) \
             select r.campaign_id, r.day, coalesce(r.team_id, 0), count(*), \
             cast(sum(case when r.id = f.first_id then 1 else 0 end) as bigint) \
             from campaign_records r \
             join (select household_id, min(id) as first_id from campaign_records \
                   where campaign_id = {cid} group by household_id) f \
               on f.household_id = r.household_id \
             where r.campaign_id = {cid} group by r.campaign_id, r.day, coalesce(r.team_id, 0)"
        ))
        .await;
        raw.exec(&format!(
            "insert into campaign_daily_totals (campaign_id, day, records, firsts) \
             select campaign_id, day, sum(records), sum(firsts) from campaign_daily \
             where campaign_id = {cid} group by campaign_id, day \
             on conflict (campaign_id, day) do update \
             set records = excluded.records, firsts = excluded.firsts"
        ))
        .await;
        for sql in [
            "delete from campaign_open_days where campaign_id = {cid}",
            "delete from campaign_open_team_days where campaign_id = {cid}",
            "insert into campaign_open_days (campaign_id, deadline, followups) \
             select campaign_id, deadline, count(*) from campaign_followups \
             where campaign_id = {cid} and status <> 'done' group by campaign_id, deadline",
            "insert into campaign_open_team_days (campaign_id, team_id, deadline, followups) \
             select campaign_id, coalesce(team_id, 0), deadline, count(*) \
             from campaign_followups where campaign_id = {cid} and status <> 'done' \
             group by campaign_id, coalesce(team_id, 0), deadline",
        ] {
            raw.exec(&sql.replace("{cid}", &cid.to_string())).await;
        }
        raw.exec(&format!(
            "update campaign_members set records = x.n \
             from (select recorded_by, count(*) as n from campaign_records \
                   where campaign_id = {cid} group by recorded_by) x \
             where campaign_members.campaign_id = {cid} and campaign_members.user_id = x.recorded_by"
        ))
        .await;
        let t_gen = t.elapsed().as_secs_f64();
        println!(
            "  data generation (plain SQL, not the product's path): {inserted} records in {t_records:.1} s, \
             {demands} demands, household/daily/member/open counters; {t_gen:.1} s in all"
        );
        let t = Instant::now();
        s.import_households(cid, &[], &meta()).await.unwrap();
        println!(
            "  store recount of the tree (import_households with no rows): {:.2} s",
            t.elapsed().as_secs_f64()
        );
        // A village added late: the counters of its path move, nothing is
        // recounted.
        let t = Instant::now();
        let late = xuncha_core::store::TargetPath {
            nodes: vec![
                (township_name(0), TargetLevel::Township, None),
                ("新增村".to_owned(), TargetLevel::Village, None),
            ],
        };
        s.add_campaign_targets(cid, &[late], &meta()).await.unwrap();
        println!(
            "  add_campaign_targets, one village added late: {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
        // The counters must agree with the rows.
        let records = raw
            .scalar(&format!(
                "select count(*) from campaign_records where campaign_id = {cid}"
            ))
            .await;
        let visited = raw
            .scalar(&format!(
                "select count(*) from campaign_households where campaign_id = {cid} and visits > 0"
            ))
            .await;
        let distinct = raw
            .scalar(&format!(
                "select count(distinct household_id) from campaign_records where campaign_id = {cid}"
            ))
            .await;
        let targets = s.campaign_targets(cid, None).await.unwrap();
        let tops = targets.iter().filter(|t| t.parent_id.is_none());
        let (leaves, done) = tops.fold((0, 0), |(l, d), t| (l + t.leaves, d + t.done));
        let vill = targets.iter().filter(|t| t.level == TargetLevel::Village);
        let (vl, vd) = vill.fold((0, 0), |(l, d), t| (l + t.leaves, d + t.done));
        assert_eq!(records as usize, visits, "records");
        assert_eq!(visited, distinct, "household visit counts");
        assert_eq!(
            (leaves, done),
            (households as i64, visited),
            "township counters"
        );
        assert_eq!((vl, vd), (leaves, done), "village counters");
        let open_off = raw
            .scalar(&format!(
                "select count(*) from (select deadline from (\
                 select deadline, 1 as n from campaign_followups \
                 where campaign_id = {cid} and status <> 'done' \
                 union all select deadline, -followups from campaign_open_days \
                 where campaign_id = {cid}) u group by deadline having sum(n) <> 0) d"
            ))
            .await;
        assert_eq!(open_off, 0, "open follow-up counters");
        println!(
            "  checked: {records} records, {visited} households visited; the counters \
             (townships and villages: {leaves} leaves, {done} done; open follow-ups per \
             deadline) agree with the rows"
        );
        if raw.is_pg() {
            // What autovacuum does after a bulk load (statistics, and the
            // visibility map that index-only scans need); done here because
            // test servers often run without it, and so that the figures do
            // not depend on when it wakes up.
            let t = Instant::now();
            raw.exec("vacuum analyze").await;
            println!(
                "  vacuum analyze (PostgreSQL, as autovacuum would): {:.1} s",
                t.elapsed().as_secs_f64()
            );
        }

        Setup {
            cid,
            campaign,
            office,
            cadre_actors,
            team_ids,
            team_villages,
        }
    };
    let cadres = cadre_actors.len();
    let households = raw
        .scalar(&format!(
            "select count(*) from campaign_households where campaign_id = {cid}"
        ))
        .await as usize;

    // 5. Pages ----------------------------------------------------------------
    println!("== 5. pages: {calls} calls each (after 5 untimed)");
    let office_ov = views::overview(s, &office, cid).await.unwrap();
    println!(
        "  office overview holds {} targets, {} teams, {} day rows, {} items held, {} follow-ups",
        office_ov.targets.len(),
        office_ov.teams.len(),
        office_ov.days.len(),
        office_ov.held.len(),
        office_ov.followups.len()
    );
    let timed = |label: &'static str| (label, Vec::<Duration>::with_capacity(calls));
    // The coverage view: the overview without its registers (counted).
    for (label, office_view) in [
        ("views::coverage (office, whole campaign)", true),
        ("views::coverage (cadre, own team)", false),
    ] {
        let mut v = Vec::with_capacity(calls);
        let mut open = 0;
        for i in 0..calls + 5 {
            let a = if office_view {
                &office
            } else {
                &cadre_actors[(i * 37) % cadres]
            };
            let t = Instant::now();
            let c = views::coverage(s, &clock, a, cid).await.unwrap();
            if i >= 5 {
                v.push(t.elapsed());
            }
            open = open.max(c.tally.open_followups);
            std::hint::black_box(c);
        }
        report(
            label,
            &stats(v),
            &format!("   (≤ {open} open follow-ups counted)"),
        );
    }

    let mut ov_office = timed("views::overview (office, whole campaign)");
    for i in 0..calls + 5 {
        let t = Instant::now();
        let ov = views::overview(s, &office, cid).await.unwrap();
        if i >= 5 {
            ov_office.1.push(t.elapsed());
        }
        std::hint::black_box(ov);
    }
    report(ov_office.0, &stats(ov_office.1), "");
    // Its parts, to see what dominates.
    let mut parts: Vec<(&str, Vec<Duration>)> = vec![
        ("  of which load (campaign + membership)", vec![]),
        ("  of which campaign_targets", vec![]),
        ("  of which campaign_teams", vec![]),
        ("  of which campaign_days", vec![]),
        ("  of which campaign_items (held)", vec![]),
        ("  of which campaign_followups (≤ 5000)", vec![]),
        ("  coverage's campaign_day_totals instead", vec![]),
        ("  coverage's campaign_tally instead", vec![]),
    ];
    for _ in 0..calls {
        let t = Instant::now();
        uc::load(s, &office, cid).await.unwrap();
        parts[0].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(s.campaign_targets(cid, None).await.unwrap());
        parts[1].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(s.campaign_teams(cid).await.unwrap());
        parts[2].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(s.campaign_days(cid).await.unwrap());
        parts[3].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(
            s.campaign_items(cid, None, Some(xuncha_core::campaign::ItemStatus::Held))
                .await
                .unwrap(),
        );
        parts[4].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(s.campaign_followups(cid, None, None).await.unwrap());
        parts[5].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(s.campaign_day_totals(cid, None).await.unwrap());
        parts[6].1.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(s.campaign_tally(cid, None, "2026-12-05").await.unwrap());
        parts[7].1.push(t.elapsed());
    }
    for (label, v) in parts {
        report(label, &stats(v), "");
    }

    // The desk's badge: overdue follow-ups of every campaign in scope (on
    // 2026-12-05 about half of the open demands are past their deadline).
    for (label, office_view) in [
        ("store.overdue_followups (office's desk)", true),
        ("store.overdue_followups (cadre's desk)", false),
    ] {
        let mut v = Vec::with_capacity(calls);
        let mut n = 0;
        for i in 0..calls + 5 {
            let a = if office_view {
                &office
            } else {
                &cadre_actors[(i * 37) % cadres]
            };
            let scope =
                xuncha_core::policy::scope(a, xuncha_core::policy::Action::ViewCampaigns).ok();
            let t = Instant::now();
            n = s
                .overdue_followups(scope.as_ref(), a.user_id, "2026-12-05")
                .await
                .unwrap();
            if i >= 5 {
                v.push(t.elapsed());
            }
        }
        report(label, &stats(v), &format!("   ({n} overdue)"));
    }

    // The follow-up register, a page (100 rows) at a time: the first page,
    // open ones past their deadline, a page from the middle of the register
    // (its cursor found by plain SQL), and a cadre's first page, on
    // 2026-12-05 like the desk's count.
    let later = ManualClock::new(NOW + 7 * 86_400_000);
    let middle: i64 = raw
        .scalar(&format!(
            "select count(*) from campaign_followups where campaign_id = {cid}"
        ))
        .await
        / 2;
    let (mid_deadline, mid_id): (String, i64) = {
        let sql = format!(
            "select deadline || '|' || cast(id as text) from campaign_followups \
             where campaign_id = {cid} order by deadline, id limit 1 offset {middle}"
        );
        let v = raw
            .text(&sql)
            .await
            .unwrap_or_else(|| "0000-00-00|0".into());
        let (d, i) = v.split_once('|').unwrap();
        (d.to_owned(), i.parse().unwrap())
    };
    for (label, query, office_view) in [
        (
            "register::followups (office, first page)",
            register::FollowupQuery::default(),
            true,
        ),
        (
            "register::followups (office, overdue, first page)",
            register::FollowupQuery {
                overdue: true,
                ..Default::default()
            },
            true,
        ),
        (
            "register::followups (office, open, mid-register page)",
            register::FollowupQuery {
                status: Some(xuncha_core::campaign::FollowupStatus::Open),
                after: Some((mid_deadline.clone(), mid_id)),
                ..Default::default()
            },
            true,
        ),
        (
            "register::followups (cadre, first page)",
            register::FollowupQuery::default(),
            false,
        ),
    ] {
        let mut v = Vec::with_capacity(calls);
        let mut rows = 0;
        for i in 0..calls + 5 {
            let a = if office_view {
                &office
            } else {
                &cadre_actors[(i * 37) % cadres]
            };
            let t = Instant::now();
            let p = register::followups(s, &later, a, cid, &query, register::FOLLOWUP_PAGE)
                .await
                .unwrap();
            if i >= 5 {
                v.push(t.elapsed());
            }
            rows = rows.max(p.followups.len());
        }
        report(label, &stats(v), &format!("   ({rows} rows)"));
    }

    let mut ov_cadre = timed("views::overview (cadre, own team)");
    let mut cadre_followups = 0;
    for i in 0..calls + 5 {
        let a = &cadre_actors[(i * 37) % cadres];
        let t = Instant::now();
        let ov = views::overview(s, a, cid).await.unwrap();
        if i >= 5 {
            ov_cadre.1.push(t.elapsed());
        }
        cadre_followups = cadre_followups.max(ov.followups.len());
        std::hint::black_box(ov);
    }
    report(
        ov_cadre.0,
        &stats(ov_cadre.1),
        &format!("   (≤ {cadre_followups} follow-ups each)"),
    );

    let mut cov = timed("views::team_coverage (office overview's data)");
    let mut rows_ = 0;
    for i in 0..calls + 5 {
        let t = Instant::now();
        let c = views::team_coverage(campaign.kind, &office_ov.targets, &office_ov.teams);
        if i >= 5 {
            cov.1.push(t.elapsed());
        }
        rows_ = c.len();
        std::hint::black_box(c);
    }
    report(cov.0, &stats(cov.1), &format!("   ({rows_} rows)"));

    // Household searches.
    let one_char: Vec<&str> = SURNAMES.iter().map(|s| s.0).collect();
    for (label, two, office_view) in [
        ("views::households (team, surname: 1 char)", false, false),
        (
            "views::households (team, name prefix: 2 chars)",
            true,
            false,
        ),
        ("views::households (office, surname: 1 char)", false, true),
        (
            "views::households (office, name prefix: 2 chars)",
            true,
            true,
        ),
    ] {
        let mut v = Vec::with_capacity(calls);
        let mut found = 0usize;
        for i in 0..calls + 5 {
            let a = if office_view {
                &office
            } else {
                &cadre_actors[(i * 53) % cadres]
            };
            let mut q = one_char[i % 10].to_owned();
            if two {
                q.push(GIVEN[i % GIVEN.len()]);
            }
            let t = Instant::now();
            let (_, hs) = views::households(s, a, cid, None, &q).await.unwrap();
            if i >= 5 {
                v.push(t.elapsed());
                found += hs.len();
            }
        }
        report(
            label,
            &stats(v),
            &format!("   ({:.1} rows per call)", found as f64 / calls as f64),
        );
    }
    {
        let mut v = Vec::with_capacity(calls);
        let mut found = 0usize;
        for i in 0..calls + 5 {
            let n = (i * 7919) % households;
            if n % 10 == 9 {
                continue;
            }
            let id = id_number_of(n);
            let t = Instant::now();
            let (_, hs) = views::households(s, &office, cid, None, &id).await.unwrap();
            if i >= 5 {
                v.push(t.elapsed());
                found += hs.len();
            }
        }
        let n = v.len();
        report(
            "views::households (office, full ID number)",
            &stats(v),
            &format!("   ({:.1} rows per call)", found as f64 / n as f64),
        );
    }
    for (label, office_view, whole_team) in [
        (
            "views::households (cadre, one village, no query)",
            false,
            false,
        ),
        (
            "views::households (office, one village, no query)",
            true,
            false,
        ),
        (
            "views::households (cadre, whole team, no query)",
            false,
            true,
        ),
    ] {
        let mut v = Vec::with_capacity(calls);
        let mut found = 0usize;
        for i in 0..calls + 5 {
            let c = (i * 61) % cadres;
            let village = team_villages[c][i % team_villages[c].len()];
            let a = if office_view {
                &office
            } else {
                &cadre_actors[c]
            };
            let area = (!whole_team).then_some(village);
            let t = Instant::now();
            let (_, hs) = views::households(s, a, cid, area, "").await.unwrap();
            if i >= 5 {
                v.push(t.elapsed());
                found += hs.len();
            }
        }
        report(
            label,
            &stats(v),
            &format!("   ({:.1} rows per call)", found as f64 / calls as f64),
        );
    }

    if std::env::var("EXPLAIN").as_deref() == Ok("1") {
        let team = team_ids[0];
        let village = team_villages[0][0];
        let sel = "select h.id, h.head_name from campaign_households h \
                   join campaign_targets a on a.id = h.area_id";
        for (what, sql) in [
            (
                "name prefix within a team (households.rs, find)",
                format!(
                    "{sel} where a.campaign_id = {cid} and h.area_id in \
                     (select id from campaign_targets where campaign_id = {cid} and team_id = {team}) \
                     and a.team_id = {team} and h.head_name >= '王' and h.head_name < '王\u{10FFFF}' \
                     order by h.head_name, h.id limit 50"
                ),
            ),
            (
                "name prefix in the whole campaign (households.rs, find)",
                format!(
                    "{sel} where a.campaign_id = {cid} and h.campaign_id = {cid} \
                     and h.head_name >= '王' and h.head_name < '王\u{10FFFF}' \
                     order by h.head_name, h.id limit 50"
                ),
            ),
            (
                "one village (households.rs, find)",
                format!(
                    "{sel} where a.campaign_id = {cid} and h.area_id = {village} \
                     and a.team_id = {team} order by h.id limit 50"
                ),
            ),
            (
                "follow-ups of the whole campaign (campaign_work.rs, followups)",
                format!(
                    "select x.id, x.content from campaign_followups x where x.campaign_id = {cid} \
                     order by x.deadline, x.id limit 5000"
                ),
            ),
            (
                "follow-ups of a team",
                format!(
                    "select x.id, x.content from campaign_followups x where x.campaign_id = {cid} \
                     and x.team_id = {team} order by x.deadline, x.id limit 5000"
                ),
            ),
            (
                "open and overdue follow-ups (campaign_work.rs, tally)",
                format!(
                    "select count(*), sum(case when x.deadline < '2026-12-05' then 1 else 0 end) \
                     from campaign_followups x where x.campaign_id = {cid} \
                     and x.status in ('open', 'doing')"
                ),
            ),
        ] {
            println!("  EXPLAIN {what}:");
            for line in raw.explain(&sql).await {
                println!("    {line}");
            }
        }
    }
}

/// What the page measurements need from the set-up.
struct Setup {
    cid: i64,
    campaign: xuncha_core::campaign::Campaign,
    office: Actor,
    cadre_actors: Vec<Actor>,
    team_ids: Vec<i64>,
    team_villages: Vec<Vec<i64>>,
}

/// The set-up of an earlier run (`KEEP=1` on PostgreSQL; the SQLite file
/// stays in WORK_DIR), for `REUSE=1`.
async fn rediscover(s: &dyn Store) -> Setup {
    let units = s.all_units(&Scope::all()).await.unwrap();
    let unit_of = |id: Option<i64>| units.iter().find(|u| Some(u.id) == id).unwrap();
    let users = s.list_users().await.unwrap();
    let o = users.iter().find(|u| u.username == "office1").unwrap();
    let office = actor_of(o.id, &o.username, o.role, unit_of(o.unit_id));
    let campaign = uc::list(s, &office)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CampaignKind::Visit)
        .unwrap();
    let cid = campaign.id;
    let teams = s.campaign_teams(cid).await.unwrap();
    let targets = s.campaign_targets(cid, None).await.unwrap();
    let mut cadre_actors = Vec::new();
    let mut team_ids = Vec::new();
    let mut team_villages = Vec::new();
    for t in &teams {
        let m = &t.members[0];
        let u = users.iter().find(|u| u.id == m.user_id).unwrap();
        cadre_actors.push(actor_of(u.id, &u.username, u.role, unit_of(u.unit_id)));
        team_ids.push(t.id);
        let mut mine: Vec<i64> = targets
            .iter()
            .filter(|x| x.level == TargetLevel::Village && x.team_id == Some(t.id))
            .map(|x| x.id)
            .collect();
        mine.sort();
        team_villages.push(mine);
    }
    Setup {
        cid,
        campaign,
        office,
        cadre_actors,
        team_ids,
        team_villages,
    }
}
