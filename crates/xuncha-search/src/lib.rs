//! xuncha-search: the full-text index (tantivy). It is **derived**: everything in it can be
//! rebuilt from the database at any time ([`SearchIndex::reindex`]), and nothing reads it as
//! the source of truth. No HTTP, no SQL here.
//!
//! # Analyzer
//!
//! Text goes through `xuncha_text::normalize_with_offsets` (traditional → simplified,
//! look-alikes, full-width → ASCII), then is cut into CJK unigrams, CJK bigrams, jieba
//! search-mode words of ≥ 3 characters, and lower-cased letter/digit runs; each token keeps
//! the byte range of the *original* text, so snippets mark the characters as written.
//! Queries go through the same pipeline: `國家巡察` finds `国家巡察` and vice versa. See
//! [`analyzer`] for why matching is on characters rather than on jieba's words.
//!
//! # Pinyin
//!
//! Titles (names of persons and units) also get pinyin terms, expanded at index time so that
//! `zhangsan`, `zs`, `zhs`, `zhangs` all find `张三` by exact term lookup (see [`pinyin`]).
//!
//! # Permissions
//!
//! Every document carries scope terms: each ancestor prefix of its unit path (`/`, `/1/`,
//! `/1/5/`, `/1/5/23/`), or `unattached`. [`SearchQuery::within`] is a required term and each
//! of [`SearchQuery::excluded`] a prohibited one, so the filter is part of the query: totals
//! and paging never count a document the user may not see.

pub mod analyzer;
mod index;
pub mod pinyin;
pub mod snippet;

pub use analyzer::{AnalyzedToken, Analyzer, TokenKind};
pub use index::SearchIndex;

/// One document to index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchDoc {
    /// Kind of record: `"person"`, `"unit"`, later `"petition"`, …
    pub doc_type: String,
    /// Id of the record, unique within its `doc_type`.
    pub doc_id: String,
    /// Name of the person or unit, or the record's title.
    pub title: String,
    /// Other searchable text.
    pub body: String,
    /// Materialised path of the unit the record belongs to (`/1/5/23/`); `None` when it
    /// belongs to no unit.
    pub unit_path: Option<String>,
    /// Its day as the number `YYYYMMDD` (see [`day_number`]).
    pub date: Option<i64>,
    /// A status code.
    pub status: Option<String>,
    /// The round it belongs to.
    pub round_id: Option<i64>,
    /// Access terms beside the unit path (`campaign:3`, `team:12`): who may
    /// see a document whose readers are not a unit subtree, such as a
    /// campaign team's follow-ups. Matched by [`ScopeGroup::access_any`].
    pub access: Vec<String>,
}

/// `2026-11-28` → `20261128`, the form days are indexed and filtered in.
pub fn day_number(iso: &str) -> Option<i64> {
    let digits: String = iso.chars().filter(char::is_ascii_digit).collect();
    (digits.len() == 8).then(|| digits.parse().ok()).flatten()
}

/// Filters a user sets on a search, on top of the permission scope.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    /// Only documents in this unit subtree (path prefix).
    pub unit: Option<String>,
    /// Only documents of this round.
    pub round_id: Option<i64>,
    /// Only documents of this day or later (`YYYYMMDD`).
    pub from: Option<i64>,
    /// Only documents of this day or earlier (`YYYYMMDD`).
    pub to: Option<i64>,
    /// Only documents with this status.
    pub status: Option<String>,
}

/// The `doc_type` whose titles are read as personal names (surname readings for pinyin).
pub const PERSON_DOC_TYPE: &str = "person";

/// The `doc_type` of units: like persons, their titles are names that users type in pinyin
/// from the start (`ylx` for 云岭县…), so both get every prefix combination indexed.
pub const UNIT_DOC_TYPE: &str = "unit";

/// A search, with the caller's permission scope already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed (Chinese in any script, or pinyin). Blank: every visible document.
    pub text: String,
    /// Only these document types; empty: all.
    pub doc_types: Vec<String>,
    /// Only documents in this unit subtree (path prefix, `/1/5/`). Unattached documents are
    /// then never returned.
    pub within: Option<String>,
    /// Hide documents in these subtrees (recusal).
    pub excluded: Vec<String>,
    /// Return documents that belong to no unit (only has an effect when `within` is `None`).
    pub include_unattached: bool,
    /// Page size (0: count only).
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Per-type permission scopes. When any is given, a document is visible
    /// if it matches one group (its type and scope), and `within`,
    /// `excluded` and `include_unattached` above are not used.
    pub groups: Vec<ScopeGroup>,
    /// The user's filters.
    pub filters: Filters,
}

/// The scope in which some document types are visible (the policy gives a
/// different one for registry entries and for a team's records).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScopeGroup {
    /// The document types this scope applies to.
    pub doc_types: Vec<String>,
    /// Only documents in this subtree.
    pub within: Option<String>,
    /// When set, only documents in one of these subtrees (assigned units);
    /// an empty list matches nothing.
    pub any_of: Option<Vec<String>>,
    /// Hidden subtrees (recusal).
    pub excluded: Vec<String>,
    /// Whether documents of no unit are visible.
    pub include_unattached: bool,
    /// When set, only documents carrying one of these access terms (see
    /// [`SearchDoc::access`]); an empty list matches nothing.
    pub access_any: Option<Vec<String>>,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            text: String::new(),
            doc_types: Vec::new(),
            within: None,
            excluded: Vec::new(),
            include_unattached: false,
            limit: 20,
            offset: 0,
            groups: Vec::new(),
            filters: Filters::default(),
        }
    }
}

impl SearchQuery {
    /// A query for `text` with no scope restriction (unattached documents excluded).
    pub fn text(text: impl Into<String>) -> Self {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
    }
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Kind of record.
    pub doc_type: String,
    /// Id of the record.
    pub doc_id: String,
    /// Title as stored (original characters).
    pub title: String,
    /// Relevance (higher is better).
    pub score: f32,
    /// HTML: part of the body (or the title when the body does not match) with `<mark>`
    /// around matched spans of the original text; everything else escaped.
    pub snippet_html: String,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// How many visible documents match in all.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
}

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index directory could not be created or read.
    #[error("search index io: {0}")]
    Io(#[from] std::io::Error),
    /// The index directory could not be opened.
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// Tantivy failed.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A thread panicked while holding the index writer.
    #[error("search index writer lock poisoned")]
    Poisoned,
}

/// Scope terms of a unit path: every ancestor prefix, `/` included (`/1/5/` → `/`, `/1/`,
/// `/1/5/`); `unattached` for `None` or a path with no segments.
pub fn scope_terms(unit_path: Option<&str>) -> Vec<String> {
    let segments: Vec<&str> = unit_path
        .map(|p| p.split('/').filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    if segments.is_empty() {
        return vec![UNATTACHED.to_owned()];
    }
    let mut terms = vec!["/".to_owned()];
    let mut prefix = String::from("/");
    for s in segments {
        prefix.push_str(s);
        prefix.push('/');
        terms.push(prefix.clone());
    }
    terms
}

/// A path prefix in canonical form (`1/5` → `/1/5/`; blank → `/`).
pub fn canonical_prefix(path: &str) -> String {
    let mut out = String::from("/");
    for s in path.split('/').filter(|s| !s.is_empty()) {
        out.push_str(s);
        out.push('/');
    }
    out
}

pub(crate) const UNATTACHED: &str = "unattached";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<SearchIndex>();
    }

    #[test]
    fn scope_terms_are_ancestor_prefixes() {
        assert_eq!(
            scope_terms(Some("/1/5/23/")),
            ["/", "/1/", "/1/5/", "/1/5/23/"]
        );
        assert_eq!(scope_terms(Some("1/5")), ["/", "/1/", "/1/5/"]);
        assert_eq!(scope_terms(None), ["unattached"]);
        assert_eq!(scope_terms(Some("/")), ["unattached"]);
        assert_eq!(canonical_prefix("1/5"), "/1/5/");
        assert_eq!(canonical_prefix(""), "/");
    }
}
