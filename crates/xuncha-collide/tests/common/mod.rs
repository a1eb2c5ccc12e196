//! Helpers shared by the integration tests: valid ID numbers and CSV imports.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use xuncha_collide::{DataDir, Engine, Hit, ImportReport, ImportRequest, Kind};
use xuncha_text::IdNumber;

/// A valid 18-character ID number born on `birth` (`YYYYMMDD`).
pub fn id(birth: &str, seq: u16) -> String {
    IdNumber::from_parts("110101", birth, seq)
        .expect("valid parts")
        .as_str()
        .to_owned()
}

/// Imports CSV text (UTF-8) as a data set.
pub fn import_csv(dir: &DataDir, kind: &str, name: &str, csv: &str) -> ImportReport {
    import_bytes(dir, kind, name, csv.as_bytes(), "list.csv", &[])
}

/// Imports a file's bytes as a data set, with mapping overrides.
pub fn import_bytes(
    dir: &DataDir,
    kind: &str,
    name: &str,
    bytes: &[u8],
    file: &str,
    mapping: &[(&str, &str)],
) -> ImportReport {
    let table = xuncha_office::read_table(bytes, file).expect("readable");
    let req = ImportRequest {
        kind: Kind::parse(kind),
        name: name.to_owned(),
        source_department: Some("民政局".to_owned()),
        source_file: file.to_owned(),
        imported_by: "tester".to_owned(),
        imported_at: "2026-11-28 10:00".to_owned(),
        mapping: mapping
            .iter()
            .map(|(f, h)| (f.to_string(), h.to_string()))
            .collect(),
    };
    dir.import(
        &req,
        &table.headers,
        table.rows.into_iter().map(|r| (r.line, r.cells)),
    )
    .expect("imported")
}

/// Runs one rule with parameters and returns its hits.
pub fn run(dir: &DataDir, rule: &str, params: &[(&str, &str)]) -> Vec<Hit> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let engine = Engine::open(dir).await.expect("engine opens");
        let p: BTreeMap<String, String> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let out = engine
            .run_rule(rule, &p, Duration::from_secs(60))
            .await
            .expect("rule runs");
        assert!(out.skipped.is_none(), "{rule} skipped: {:?}", out.skipped);
        out.hits
    })
}

/// `(subject name, strength)` of each hit, sorted.
pub fn who(hits: &[Hit]) -> Vec<(String, &'static str)> {
    let mut v: Vec<_> = hits
        .iter()
        .map(|h| (h.subject_name.clone(), h.strength.as_str()))
        .collect();
    v.sort();
    v
}
