//! Data cross-checks (大数据碰撞) for xuncha.
//!
//! * **Data sets** ([`DataDir`]): lists read from .xlsx/.csv (by
//!   `xuncha-office`), their headers mapped onto the fields of a [`Kind`]
//!   ([`map_headers`]), each row validated on its own (ID numbers checked and
//!   upgraded, names normalised, dates and amounts read) and stored as one
//!   Parquet file per data set under `DATA/collide/`, with a manifest
//!   (provenance, mapping, counts) and the problems found.
//! * **Rules**: built-in [`templates`] and saved custom rules, all SQL over
//!   the kind tables, run by Apache DataFusion ([`Engine`]) — columnar,
//!   vectorised, multi-threaded, reading only the columns a rule uses.
//! * **Hits** ([`Hit`]): subject, strength, evidence, and a stable key so a
//!   re-run can mark hits new, unchanged or gone ([`compare_runs`]).
//!
//! No HTTP, no database: the web and CLI layers call this crate.

pub mod engine;
mod error;
pub mod hit;
pub mod import;
pub mod kind;
pub mod mapping;
pub mod person;
pub mod port;
pub mod rules;
pub mod sql;
pub mod store;
pub mod templates;
pub mod values;

pub use engine::{
    check_read_only, check_rule_id, list_rules, validate_rule, Engine, RuleInfo, RuleOutcome,
};
pub use error::{CollideError, Result};
pub use hit::{compare_runs, merge_hits, Hit, HitChanges, HitKey, Strength};
pub use import::Problem;
pub use kind::{Kind, ALL_KINDS};
pub use mapping::{map_headers, suggest_mapping, Mapping};
pub use port::DirEngine;
pub use store::{DataDir, Dataset, ImportReport, ImportRequest, Manifest, SavedRule};

/// The CSV header of `xuncha collide run`.
pub const HITS_CSV_HEADER: &str = "rule,subject_id_number,subject_name,strength,evidence";

/// One hit as a CSV line (RFC 4180 quoting), without the line end.
pub fn hit_csv_line(h: &Hit) -> String {
    [
        h.rule.as_str(),
        h.subject_id_number.as_deref().unwrap_or(""),
        &h.subject_name,
        h.strength.as_str(),
        &h.evidence,
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_quote_what_needs_it() {
        let h = Hit {
            rule: "r".into(),
            subject_id_number: None,
            subject_name: "张三".into(),
            strength: Strength::Weak,
            evidence: "a,\"b\"".into(),
            match_key: String::new(),
            place: None,
        };
        assert_eq!(hit_csv_line(&h), "r,,张三,weak,\"a,\"\"b\"\"\"");
    }
}
