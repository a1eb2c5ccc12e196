//! The tantivy index: schema, writing, querying.

use std::collections::HashSet;
use std::ops::Bound;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TantivyDocument, TextFieldIndexing, TextOptions, Value,
    INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::analyzer::{Analyzer, Features, TokenKind, ANALYZER_NAME};
use crate::{
    canonical_prefix, pinyin, scope_terms, snippet, Filters, Hit, ScopeGroup, SearchDoc,
    SearchError, SearchQuery, SearchResults, PERSON_DOC_TYPE, UNATTACHED, UNIT_DOC_TYPE,
};

/// Memory budget of the index writer (split between its threads).
const WRITER_MEMORY: usize = 256 * 1024 * 1024;
/// Characters of a snippet.
const SNIPPET_CHARS: usize = 120;
/// Boost of a title match over a body match.
const TITLE_BOOST: f32 = 2.0;
/// Boost of a pinyin match.
const PINYIN_BOOST: f32 = 3.0;

#[derive(Debug, Clone, Copy)]
struct Fields {
    key: Field,
    doc_type: Field,
    doc_id: Field,
    title: Field,
    body: Field,
    text: Field,
    pinyin: Field,
    scope: Field,
    unit_path: Field,
    date: Field,
    status: Field,
    round: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER_NAME)
        .set_index_option(IndexRecordOption::WithFreqs);
    let title = TextOptions::default()
        .set_stored()
        .set_indexing_options(analyzed.clone());
    let text = TextOptions::default().set_indexing_options(analyzed);
    let raw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        doc_type: b.add_text_field("doc_type", STRING | STORED),
        doc_id: b.add_text_field("doc_id", STRING | STORED),
        title: b.add_text_field("title", title),
        body: b.add_text_field("body", STORED),
        // Title and body analysed together: every required term of a query is one term of
        // one field (an intersection of posting lists, no union per term); the title field
        // is indexed too, for the boost of a title that holds the whole query.
        text: b.add_text_field("text", text),
        pinyin: b.add_text_field("pinyin", raw.clone()),
        scope: b.add_text_field("scope", raw),
        unit_path: b.add_text_field("unit_path", STORED),
        date: b.add_i64_field("date", INDEXED | STORED),
        status: b.add_text_field("status", STRING | STORED),
        round: b.add_i64_field("round", INDEXED | STORED),
    };
    (b.build(), fields)
}

/// An access term as indexed: a prefix no unit path or `unattached` has.
fn access_term(t: &str) -> String {
    format!("\u{2}{t}")
}

fn key(doc_type: &str, doc_id: &str) -> String {
    format!("{doc_type}\u{1f}{doc_id}")
}

/// The search index: one writer, one reader, the analyzer.
///
/// Writes are serialised by an internal lock and each one commits; searches read the last
/// commit. Only one `SearchIndex` may be open on a directory at a time (tantivy's writer lock);
/// share it behind an `Arc`.
pub struct SearchIndex {
    index: Index,
    fields: Fields,
    analyzer: Analyzer,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if missing.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = match Index::open_or_create(MmapDirectory::open(dir)?, schema.clone()) {
            Ok(index) => index,
            // An index written by an older version with other fields: it is
            // derived data, so it is emptied and rebuilt from the database.
            Err(tantivy::TantivyError::SchemaError(_)) => {
                for e in std::fs::read_dir(dir)?.flatten() {
                    if e.path().is_file() {
                        std::fs::remove_file(e.path())?;
                    }
                }
                Index::create_in_dir(dir, schema)?
            }
            Err(e) => return Err(e.into()),
        };
        Self::with_index(index, fields)
    }

    /// An index held in memory (tests, tools).
    pub fn open_in_ram() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        let analyzer = Analyzer::new();
        index.tokenizers().register(ANALYZER_NAME, analyzer.clone());
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let writer = index.writer_with_num_threads(threads, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            fields,
            analyzer,
            reader,
            writer: Mutex::new(writer),
        })
    }

    /// The analyzer (its segmenter takes domain words at run time; re-index afterwards).
    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter<TantivyDocument>>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    fn commit(&self, writer: &mut IndexWriter<TantivyDocument>) -> Result<(), SearchError> {
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn to_document(&self, d: &SearchDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, key(&d.doc_type, &d.doc_id));
        doc.add_text(f.doc_type, &d.doc_type);
        doc.add_text(f.doc_id, &d.doc_id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.body, &d.body);
        doc.add_text(f.text, format!("{}\n{}", d.title, d.body));
        let person = d.doc_type == PERSON_DOC_TYPE;
        let expand = person || d.doc_type == UNIT_DOC_TYPE;
        for t in pinyin::pinyin_terms(&d.title, person, expand) {
            doc.add_text(f.pinyin, t);
        }
        for t in scope_terms(d.unit_path.as_deref()) {
            doc.add_text(f.scope, t);
        }
        // Access terms share the scope field: they never start with `/` and
        // are never `unattached`, so they cannot be taken for a unit path.
        for t in &d.access {
            doc.add_text(f.scope, access_term(t));
        }
        if let Some(p) = &d.unit_path {
            doc.add_text(f.unit_path, p);
        }
        if let Some(date) = d.date {
            doc.add_i64(f.date, date);
        }
        if let Some(s) = &d.status {
            doc.add_text(f.status, s);
        }
        if let Some(r) = d.round_id {
            doc.add_i64(f.round, r);
        }
        doc
    }

    /// Adds or replaces documents (by `(doc_type, doc_id)`) and commits.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let mut writer = self.writer()?;
        for d in docs {
            writer.delete_term(Term::from_field_text(
                self.fields.key,
                &key(&d.doc_type, &d.doc_id),
            ));
            if let Err(e) = writer.add_document(self.to_document(d)) {
                writer.rollback()?;
                return Err(e.into());
            }
        }
        self.commit(&mut writer)
    }

    /// Removes one document (no error when it is absent) and commits.
    pub fn delete(&self, doc_type: &str, doc_id: &str) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        writer.delete_term(Term::from_field_text(
            self.fields.key,
            &key(doc_type, doc_id),
        ));
        self.commit(&mut writer)
    }

    /// Removes every document and commits.
    pub fn clear(&self) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        writer.delete_all_documents()?;
        self.commit(&mut writer)
    }

    /// Replaces the whole content with `docs` in one commit: searchers see the old content
    /// until the new one is complete. On error nothing is committed.
    pub fn reindex(&self, docs: impl Iterator<Item = SearchDoc>) -> Result<usize, SearchError> {
        let mut writer = self.writer()?;
        let result = (|| {
            writer.delete_all_documents()?;
            let mut n = 0;
            for d in docs {
                writer.add_document(self.to_document(&d))?;
                n += 1;
            }
            Ok::<usize, SearchError>(n)
        })();
        match result {
            Ok(n) => {
                self.commit(&mut writer)?;
                Ok(n)
            }
            Err(e) => {
                writer.rollback()?;
                Err(e)
            }
        }
    }

    /// Number of documents in the index (committed).
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn term(&self, field: Field, text: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))
    }

    /// A term anywhere in the title or the body.
    fn anywhere(&self, text: &str) -> Box<dyn Query> {
        self.term(self.fields.text, text)
    }

    /// A lone character of the query. The index holds the unigram of a character only where
    /// it ends a CJK run; elsewhere it starts a bigram (or a word). So the character is found
    /// by every term that starts with it: a range of the term dictionary. Such a clause scores
    /// as a constant (a lone character says little about relevance anyway).
    fn char_query(&self, c: &str) -> Box<dyn Query> {
        let next = c
            .chars()
            .next()
            .and_then(|ch| char::from_u32(u32::from(ch) + 1))
            .map(String::from);
        let field = self.fields.text;
        let upper = match &next {
            Some(n) => Bound::Excluded(Term::from_field_text(field, n)),
            None => Bound::Unbounded,
        };
        Box::new(RangeQuery::new(
            Bound::Included(Term::from_field_text(field, c)),
            upper,
        ))
    }

    /// A latin term of the query: written in the text or the title, or the pinyin of a title
    /// (the `pinyin` field) or of a name inside a text (pinyin tokens of title and body).
    fn latin(&self, text: &str) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, self.anywhere(text)),
            (
                Occur::Should,
                Box::new(BoostQuery::new(
                    self.term(self.fields.pinyin, text),
                    PINYIN_BOOST,
                )),
            ),
        ]))
    }

    /// The matching part of the query, and the terms to highlight.
    ///
    /// Each CJK bigram (or lone character) and each latin/digit run of the query is required;
    /// jieba's long words are optional (they rank whole-word matches first). A run with
    /// letters also matches as pinyin, so `zhangsan 低保` finds 张三's petitions about 低保.
    /// A query that is all latin (`zhang san`) may also match as one pinyin key.
    fn text_query(&self, text: &str) -> (Box<dyn Query>, HashSet<String>) {
        let tokens = self.analyzer.analyze_with(
            text,
            Features {
                words: true,
                names: false,
                all_unigrams: true,
            },
        );
        let mut required: Vec<(String, TokenKind)> = Vec::new();
        let mut optional: Vec<String> = Vec::new();
        let runs_with_bigrams: HashSet<usize> = tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Bigram)
            .map(|t| t.run)
            .collect();
        for t in &tokens {
            match t.kind {
                TokenKind::Alnum | TokenKind::Bigram => {}
                TokenKind::Unigram if !runs_with_bigrams.contains(&t.run) => {}
                TokenKind::Unigram | TokenKind::Pinyin => continue,
                TokenKind::Word => {
                    if !optional.contains(&t.text) {
                        optional.push(t.text.clone());
                    }
                    continue;
                }
            }
            if !required.iter().any(|(r, _)| r == &t.text) {
                required.push((t.text.clone(), t.kind));
            }
        }
        let mut highlight: HashSet<String> = required
            .iter()
            .map(|(t, _)| t.clone())
            .chain(optional.iter().cloned())
            .collect();
        let joined = pinyin::query_term(text);
        if required.is_empty() && joined.is_none() {
            return (Box::new(AllQuery), highlight);
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = required
            .iter()
            .map(|(t, kind)| {
                let q = match kind {
                    TokenKind::Unigram => self.char_query(t),
                    TokenKind::Alnum if t.chars().any(char::is_alphabetic) => self.latin(t),
                    _ => self.anywhere(t),
                };
                (Occur::Must, q)
            })
            .collect();
        clauses.extend(optional.iter().map(|t| (Occur::Should, self.anywhere(t))));
        // A title that holds every term ranks first: one optional intersection over the
        // title field (lone characters, matched by a range, are left out of it).
        let in_title: Vec<(Occur, Box<dyn Query>)> = required
            .iter()
            .filter(|(_, kind)| *kind != TokenKind::Unigram)
            .map(|(t, _)| (Occur::Must, self.term(self.fields.title, t)))
            .collect();
        if !in_title.is_empty() {
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(BooleanQuery::new(in_title)),
                    TITLE_BOOST,
                )),
            ));
        }
        let words: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        let query = match joined {
            Some(p) if required.len() != 1 || required[0].0 != p => {
                let q = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, words),
                    (Occur::Should, self.latin(&p)),
                ]));
                highlight.insert(p);
                q
            }
            _ => words,
        };
        (query, highlight)
    }

    fn filtered(&self, q: &SearchQuery, text_query: Box<dyn Query>) -> Box<dyn Query> {
        let scope = self.fields.scope;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        if !q.doc_types.is_empty() {
            let types = q
                .doc_types
                .iter()
                .map(|t| (Occur::Should, self.term(self.fields.doc_type, t)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(types))));
        }
        self.push_filters(&q.filters, &mut clauses);
        if !q.groups.is_empty() {
            let groups = q
                .groups
                .iter()
                .map(|g| (Occur::Should, self.group(g)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(groups))));
            return Box::new(BooleanQuery::new(clauses));
        }
        match &q.within {
            Some(w) => clauses.push((Occur::Must, self.term(scope, &canonical_prefix(w)))),
            None if !q.include_unattached => {
                clauses.push((Occur::MustNot, self.term(scope, UNATTACHED)));
            }
            None => {}
        }
        for e in &q.excluded {
            clauses.push((Occur::MustNot, self.term(scope, &canonical_prefix(e))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The user's filters, as required clauses.
    fn push_filters(&self, f: &Filters, clauses: &mut Vec<(Occur, Box<dyn Query>)>) {
        let fl = &self.fields;
        if let Some(u) = &f.unit {
            clauses.push((Occur::Must, self.term(fl.scope, &canonical_prefix(u))));
        }
        if let Some(r) = f.round_id {
            let t = Term::from_field_i64(fl.round, r);
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(t, IndexRecordOption::Basic)),
            ));
        }
        if f.from.is_some() || f.to.is_some() {
            let bound = |v: Option<i64>| match v {
                Some(d) => Bound::Included(Term::from_field_i64(fl.date, d)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(f.from), bound(f.to))),
            ));
        }
        if let Some(s) = &f.status {
            clauses.push((Occur::Must, self.term(fl.status, s)));
        }
    }

    /// One permission group: its types, and its scope on the unit path.
    fn group(&self, g: &ScopeGroup) -> Box<dyn Query> {
        let scope = self.fields.scope;
        let types = g
            .doc_types
            .iter()
            .map(|t| (Occur::Should, self.term(self.fields.doc_type, t)))
            .collect();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(types)))];
        match &g.within {
            Some(w) => clauses.push((Occur::Must, self.term(scope, &canonical_prefix(w)))),
            None if !g.include_unattached => {
                clauses.push((Occur::MustNot, self.term(scope, UNATTACHED)));
            }
            None => {}
        }
        if let Some(any) = &g.any_of {
            let paths = any
                .iter()
                .map(|p| (Occur::Should, self.term(scope, &canonical_prefix(p))))
                .collect::<Vec<_>>();
            // No assigned unit: the group matches nothing (a `Must` on an
            // empty disjunction would match everything in tantivy).
            let assigned: Box<dyn Query> = if paths.is_empty() {
                self.term(scope, "\u{0}none")
            } else {
                Box::new(BooleanQuery::new(paths))
            };
            clauses.push((Occur::Must, assigned));
        }
        if let Some(any) = &g.access_any {
            let terms = any
                .iter()
                .map(|a| (Occur::Should, self.term(scope, &access_term(a))))
                .collect::<Vec<_>>();
            let granted: Box<dyn Query> = if terms.is_empty() {
                self.term(scope, "\u{0}none")
            } else {
                Box::new(BooleanQuery::new(terms))
            };
            clauses.push((Occur::Must, granted));
        }
        for e in &g.excluded {
            clauses.push((Occur::MustNot, self.term(scope, &canonical_prefix(e))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Runs `q`: the visible matches, best first, with the total count.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let (text_query, highlight) = self.text_query(&q.text);
        let query = self.filtered(q, text_query);
        let searcher = self.reader.searcher();
        let total;
        let mut page = Vec::new();
        if q.limit == 0 {
            total = searcher.search(&*query, &Count)?;
        } else {
            let top = TopDocs::with_limit(q.limit)
                .and_offset(q.offset)
                .order_by_score();
            (total, page) = searcher.search(&*query, &(Count, top))?;
        }
        let f = &self.fields;
        let mut hits = Vec::with_capacity(page.len());
        for (score, address) in page {
            let doc: TantivyDocument = searcher.doc(address)?;
            let get = |field: Field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            let title = get(f.title);
            let body = get(f.body);
            let snippet_html = snippet::highlight(&self.analyzer, &body, &highlight, SNIPPET_CHARS)
                .or_else(|| snippet::highlight(&self.analyzer, &title, &highlight, SNIPPET_CHARS))
                .unwrap_or_else(|| snippet::plain(&body, SNIPPET_CHARS));
            hits.push(Hit {
                doc_type: get(f.doc_type),
                doc_id: get(f.doc_id),
                title,
                score,
                snippet_html,
            });
        }
        Ok(SearchResults { total, hits })
    }

    /// The underlying tantivy index (for tools and diagnostics).
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }
}
