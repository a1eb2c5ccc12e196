//! Every catalogue key written literally in the code or templates exists in
//! the Simplified-Chinese catalogue, so no page ever shows a raw key.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("rs" | "html")) {
            out.push(p);
        }
    }
}

/// Literal keys in calls such as `t("nav.home")` or `tf("import.done", …)`.
fn keys(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for pat in ["t(\"", "tf(\""] {
        let mut rest = text;
        while let Some(i) = rest.find(pat) {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + pat.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // e.g. `format("` or `print("`
            }
            let key: String = rest.chars().take_while(|c| *c != '"').collect();
            let is_key = key.contains('.')
                && key.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
                });
            if is_key {
                found.push(key);
            }
        }
    }
    found
}

#[test]
fn every_literal_key_is_in_the_catalogue() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut all = Vec::new();
    files(crates, &mut all);
    let mut missing = Vec::new();
    let mut checked = 0;
    for f in &all {
        for k in keys(&std::fs::read_to_string(f).unwrap()) {
            checked += 1;
            if !xuncha_core::i18n::has(&k) {
                missing.push(format!("{}: {k}", f.display()));
            }
        }
    }
    assert!(
        checked > 100,
        "scanned too few keys ({checked}): is the scan broken?"
    );
    assert!(
        missing.is_empty(),
        "keys missing from zh-CN.toml:\n{}",
        missing.join("\n")
    );
}
