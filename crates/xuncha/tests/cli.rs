//! The binary as an operator uses it: demo data, users from stdin, tokens,
//! imports that apply all or nothing, audit verification that catches
//! tampering, and the server's health check.

#![allow(clippy::unwrap_used, missing_docs)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn xuncha(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_xuncha"));
    cmd.arg("--data").arg(data).args(args);
    cmd.env_remove("XUNCHA_DATABASE_URL")
        .env_remove("XUNCHA_DATA");
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn operator_commands_work_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();

    let demo = xuncha(data, &["demo"], None);
    assert!(demo.status.success(), "{}", text(&demo));
    assert!(text(&demo).contains("Xuncha@2026"));
    // A second demo load is refused: the database is not empty.
    assert_eq!(xuncha(data, &["demo"], None).status.code(), Some(2));

    let add = xuncha(
        data,
        &[
            "user",
            "add",
            "--username",
            "auditor1",
            "--role",
            "office",
            "--unit",
            "云岭县审计局",
            "--password-stdin",
        ],
        Some("Audit-2026\n"),
    );
    assert!(add.status.success(), "{}", text(&add));
    let weak = xuncha(
        data,
        &[
            "user",
            "add",
            "--username",
            "weak",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("123\n"),
    );
    assert_eq!(weak.status.code(), Some(2));
    assert!(text(&weak).contains("密码至少8位"), "{}", text(&weak));

    let token = xuncha(data, &["token", "create", "--username", "auditor1"], None);
    assert!(token.status.success(), "{}", text(&token));
    assert!(String::from_utf8_lossy(&token.stdout)
        .trim()
        .starts_with("xc_"));

    // An import with a bad row applies nothing and names the row.
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "姓名,身份证号码,所在单位\n甲,11010519491231002X,云岭县审计局\n乙,110105194912310021,云岭县审计局\n").unwrap();
    let bad = xuncha(data, &["import", "people", csv.to_str().unwrap()], None);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("第3行"), "{}", text(&bad));
    std::fs::write(
        &csv,
        "姓名,身份证号码,所在单位\n甲,11010519491231002X,云岭县审计局\n",
    )
    .unwrap();
    let good = xuncha(data, &["import", "people", csv.to_str().unwrap()], None);
    assert!(good.status.success(), "{}", text(&good));
    assert!(text(&good).contains("新增1条"));

    let out = dir.path().join("people.xlsx");
    let export = xuncha(
        data,
        &["export", "people", "--out", out.to_str().unwrap()],
        None,
    );
    assert!(export.status.success(), "{}", text(&export));
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000);

    let ok = xuncha(data, &["audit", "verify"], None);
    assert!(ok.status.success(), "{}", text(&ok));
}

#[test]
fn audit_verify_names_a_tampered_record() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    assert!(xuncha(data, &["migrate"], None).status.success());
    let csv = dir.path().join("units.csv");
    std::fs::write(&csv, "单位名称,单位类型\n中共甲县委,县委\n").unwrap();
    assert!(
        xuncha(data, &["import", "units", csv.to_str().unwrap()], None)
            .status
            .success()
    );
    std::fs::write(
        &csv,
        "单位名称,上级单位,单位类型\n甲县财政局,中共甲县委,县级机关部门\n",
    )
    .unwrap();
    assert!(
        xuncha(data, &["import", "units", csv.to_str().unwrap()], None)
            .status
            .success()
    );

    // Alter the first record behind xuncha's back.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool =
            sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("xuncha.db").display()))
                .await
                .unwrap();
        sqlx::query("update audit_log set actor_name = 'mallory' where seq = 1")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let bad = xuncha(data, &["audit", "verify"], None);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(text(&bad).contains("第1条"), "{}", text(&bad));
}

#[test]
fn serve_answers_the_health_check() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuncha"))
        .args([
            "--data",
            dir.path().to_str().unwrap(),
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut answer = String::new();
    for _ in 0..100 {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::Read;
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            s.read_to_string(&mut answer).unwrap();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn text_normalize_maps_character_for_character() {
    let dir = tempfile::tempdir().unwrap();
    let input = "國家巡察組：樶近芣要嘫①２３　ＡＢＣ\n";
    let out = xuncha(dir.path(), &["text", "normalize"], Some(input));
    assert!(out.status.success(), "{}", text(&out));
    let got = String::from_utf8(out.stdout).unwrap();
    assert_eq!(got, "国家巡察组:最近不要然123 ABC\n");
    assert_eq!(got.chars().count(), input.chars().count());

    let out = xuncha(dir.path(), &["text", "pinyin"], Some("张三\n单雄信\n"));
    let got = String::from_utf8(out.stdout).unwrap();
    assert!(got.contains("张三\tzhangsan\tzs"), "{got}");
    assert!(got.contains("单雄信\tshanxiongxin\tsxx"), "{got}");
}
