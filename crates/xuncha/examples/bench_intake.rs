//! The intake benchmark (`bench/intake.sh`): public tips and survey answers
//! sent to a running `xuncha serve` over loopback HTTP, and the tabulation
//! of 100,000 answer sheets.
//!
//! * `prepare DATA SHEETS CODES` — loads the demo county, creates and opens
//!   an evaluation of a round-2 unit, stores SHEETS answered sheets (plain
//!   SQL in one transaction: sheets returned earlier) and issues CODES codes
//!   for the load; writes `DATA/bench-intake.txt` (target, survey, codes).
//! * `load URL DATA KIND CONNS SECONDS` — KIND `tip` (challenge, proof of
//!   work, multipart POST) or `survey` (one code each); prints
//!   submissions/s and latency percentiles of the POSTs.
//! * `tabulate DATA` — reads and tabulates the survey's sheets 5 times
//!   through the use case; prints each time.
//!
//! The HTTP client is a few lines over a TCP stream (keep-alive, one request
//! at a time per connection): it measures the server, not a client library.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use xuncha_core::auth::Actor;
use xuncha_core::clock::SystemClock;
use xuncha_core::intake::guard::{solve, Challenge};
use xuncha_core::policy::Scope;
use xuncha_core::store::Store;
use xuncha_core::survey::{SurveyInput, SurveyStatus};
use xuncha_core::usecases::surveys as uc;
use xuncha_db::DatabaseUrl;

async fn actor(store: &dyn Store, username: &str) -> Actor {
    let user = store
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.username == username)
        .unwrap();
    xuncha_core::usecases::auth::actor_for(store, &user)
        .await
        .unwrap()
}

async fn prepare(data: PathBuf, sheets: usize, codes: usize) -> anyhow::Result<()> {
    std::fs::create_dir_all(&data)?;
    let file = data.join("xuncha.db");
    let opened = xuncha_db::connect(&DatabaseUrl::Sqlite(file.clone())).await?;
    let store = opened.store();
    let s = store.as_ref();
    let clock = SystemClock;
    let county = xuncha_core::demo::generate(xuncha_core::demo::DEFAULT_SEED);
    xuncha_core::demo::load(s, &county, clock_now()).await?;
    let admin = actor(s, "admin").await;
    let office = actor(s, "office").await;
    // A sustained flow of 500 a minute and more is what this measures, so
    // the surge threshold is raised; the base proof of work stays at its
    // default.
    let mut changes = std::collections::BTreeMap::new();
    changes.insert("tips.surge_per_minute".to_owned(), "1000000".to_owned());
    xuncha_core::usecases::settings::update(s, &clock, &admin, &changes).await?;
    let target = s
        .targets_in(&Scope::all())
        .await?
        .into_iter()
        .find(|t| t.unit_name == "云岭县民政局")
        .unwrap();
    let input = SurveyInput {
        kind: "evaluation".into(),
        title: "民政局领导班子和领导干部民主测评".into(),
        subjects: "领导班子\n局长\n副局长甲\n副局长乙\n纪检组长".into(),
        scale: "好/较好/一般/差/不了解".into(),
        scheme: "coefficients".into(),
        values: "1,0.8,0.6,0".into(),
        questions: "评价：政治建设（权重2）\n评价：从严治党\n评价：贯彻落实\n评价：组织路线\n\
                    评价：整改落实\n评价：廉洁自律\n多选：突出问题｜形式主义/违规吃喝/选人用人/其他\n\
                    填空：意见建议（选答）"
            .into(),
        target_id: Some(target.id),
        ..SurveyInput::default()
    };
    let survey = uc::create(s, &clock, &office, &input).await?;
    uc::set_status(s, &clock, &office, survey.id, SurveyStatus::Open).await?;
    let (_, plain) =
        uc::issue_codes(s, &clock, &office, survey.id, codes.min(uc::MAX_CODES)).await?;
    let mut all = plain;
    while all.len() < codes {
        let n = (codes - all.len()).min(uc::MAX_CODES);
        all.extend(uc::issue_codes(s, &clock, &office, survey.id, n).await?.1);
    }
    opened.close().await;

    // Sheets returned earlier, written in one transaction.
    use sqlx::{Connection, SqliteConnection};
    let mut c =
        SqliteConnection::connect_with(&sqlx::sqlite::SqliteConnectOptions::new().filename(&file))
            .await?;
    let started = Instant::now();
    let mut tx = c.begin().await?;
    for i in 0..sheets {
        // 5 subjects × 6 ratings, then 4 ticks.
        let choices: String = (0..34)
            .map(|k| {
                if k < 30 {
                    (b'a' + ((i * 7 + k * 3) % 5) as u8) as char
                } else if (i + k) % 3 == 0 {
                    '1'
                } else {
                    '0'
                }
            })
            .collect();
        sqlx::query(
            "insert into survey_sheets (survey_id, choices, texts, keyed, submitted_date) \
             values ($1, $2, null, false, '2026-11-20')",
        )
        .bind(survey.id)
        .bind(choices)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("update surveys set returned = returned + $1 where id = $2")
        .bind(sheets as i64)
        .bind(survey.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    println!(
        "prepared: target {}, survey {}, {sheets} sheets in {:.1}s, {} codes",
        target.id,
        survey.id,
        started.elapsed().as_secs_f64(),
        all.len()
    );
    std::fs::write(
        data.join("bench-intake.txt"),
        format!("{}\n{}\n{}\n", target.id, survey.id, all.join("\n")),
    )?;
    Ok(())
}

fn clock_now() -> i64 {
    use xuncha_core::clock::Clock;
    SystemClock.now_ms()
}

/// One HTTP/1.1 exchange on a kept-alive connection: status and body.
async fn exchange(
    conn: &mut BufReader<TcpStream>,
    head: &str,
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    let mut req = head.as_bytes().to_vec();
    req.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    req.extend_from_slice(body);
    conn.get_mut().write_all(&req).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut len = 0usize;
    let mut chunked = false;
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut out = Vec::new();
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut chunk = vec![0; n + 2];
            conn.read_exact(&mut chunk).await?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
        }
    } else {
        out.resize(len, 0);
        conn.read_exact(&mut out).await?;
    }
    Ok((status, out))
}

fn json_field<'a>(body: &'a str, key: &str) -> &'a str {
    let at = body.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
    let rest = body[at..].trim_start_matches('"');
    let end = rest.find(['"', ',', '}']).unwrap();
    &rest[..end]
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn load(
    url: String,
    data: PathBuf,
    kind: String,
    conns: usize,
    seconds: u64,
) -> anyhow::Result<()> {
    let info = std::fs::read_to_string(data.join("bench-intake.txt"))?;
    let mut lines = info.lines();
    let target: i64 = lines.next().unwrap().parse()?;
    let _survey: i64 = lines.next().unwrap().parse()?;
    let codes: Arc<Vec<String>> = Arc::new(lines.map(str::to_owned).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let addr = url.trim_start_matches("http://").to_owned();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (addr, kind, codes, next) = (addr.clone(), kind.clone(), codes.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = BufReader::new(TcpStream::connect(&addr).await.unwrap());
            let mut lat = Vec::new();
            let mut failed = 0usize;
            while Instant::now() < deadline {
                let (head, body) = if kind == "tip" {
                    let (st, c) = exchange(
                        &mut conn,
                        &format!("GET /tip/challenge HTTP/1.1\r\nHost: {addr}\r\n"),
                        b"",
                    )
                    .await
                    .unwrap();
                    assert_eq!(st, 200);
                    let c = String::from_utf8(c).unwrap();
                    let challenge = Challenge {
                        token: json_field(&c, "token").to_owned(),
                        bits: json_field(&c, "bits").parse().unwrap(),
                    };
                    // The browser's work, done here before the clock starts.
                    let nonce = solve(&challenge);
                    let b = "----xb";
                    let mut body = String::new();
                    for (k, v) in [
                        ("body", "村里的低保名额被村干部的亲属占用，群众意见很大，请巡察组核实处理。"),
                        ("pow_token", challenge.token.as_str()),
                        ("pow_nonce", nonce.as_str()),
                    ] {
                        body.push_str(&format!(
                            "--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                        ));
                    }
                    body.push_str(&format!("--{b}--\r\n"));
                    (
                        format!(
                            "POST /tip/{target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary={b}\r\n"
                        ),
                        body.into_bytes(),
                    )
                } else {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(code) = codes.get(i) else { break };
                    let mut body = format!("code={code}");
                    for q in 0..6 {
                        for s in 0..5 {
                            body.push_str(&format!("&q{q}s{s}={}", (i + q + s) % 5));
                        }
                    }
                    body.push_str("&q6o0=1");
                    (
                        format!(
                            "POST /s/answer HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        ),
                        body.into_bytes(),
                    )
                };
                let t = Instant::now();
                let (st, _) = exchange(&mut conn, &head, &body).await.unwrap();
                lat.push(t.elapsed());
                if st != 200 {
                    failed += 1;
                }
            }
            (lat, failed)
        }));
    }
    let mut all = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (l, f) = t.await?;
        all.extend(l);
        failed += f;
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort();
    println!(
        "{kind:<7} submissions {:>7}  per_s {:>8.1}  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  failed {failed}",
        all.len(),
        all.len() as f64 / secs,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&all, 1.0),
    );
    Ok(())
}

async fn tabulate(data: PathBuf) -> anyhow::Result<()> {
    let info = std::fs::read_to_string(data.join("bench-intake.txt"))?;
    let survey: i64 = info.lines().nth(1).unwrap().parse()?;
    let opened = xuncha_db::connect(&DatabaseUrl::Sqlite(data.join("xuncha.db"))).await?;
    let store = opened.store();
    let office = actor(store.as_ref(), "office").await;
    for run in 1..=5 {
        let t = Instant::now();
        let (_, r) = uc::results(store.as_ref(), &office, survey).await?;
        println!(
            "tabulate run {run}: {} sheets ({} valid) read and tabulated in {:.3} s",
            r.sheets,
            r.valid_sheets,
            t.elapsed().as_secs_f64()
        );
    }
    opened.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).cloned().unwrap_or_default();
    match arg(0).as_str() {
        "prepare" => prepare(arg(1).into(), arg(2).parse()?, arg(3).parse()?).await,
        "load" => {
            load(
                arg(1),
                arg(2).into(),
                arg(3),
                arg(4).parse()?,
                arg(5).parse()?,
            )
            .await
        }
        "tabulate" => tabulate(arg(1).into()).await,
        _ => {
            eprintln!("usage: bench_intake prepare DATA SHEETS CODES | load URL DATA tip|survey CONNS SECONDS | tabulate DATA");
            std::process::exit(2)
        }
    }
}
