//! "Similar documents" (相似文档) of a petition, a public tip or a working
//! paper: the near-duplicates among every petition, tip and paper the user
//! may read, by MinHash of the normalised text (a re-sent letter in other
//! words or another script is caught). The web layer adds the documents the
//! search index finds related by score.

use serde::Serialize;

use crate::auth::Actor;
use crate::error::CoreError;
use crate::inspection::paper::WorkingPaper;
use crate::inspection::record::{Rec, RecordFilter, RecordKind};
use crate::policy::{self, Action};
use crate::registry::PageRequest;
use crate::store::{PetitionFilter, Store, TipFilter};

/// Estimated similarity from which a document is listed.
pub const LISTED: f64 = 0.3;
/// Estimated similarity from which it is called a near-duplicate (重复件).
pub const DUPLICATE: f64 = 0.8;
/// How many recent documents of each type are compared.
const CANDIDATES: i64 = 2000;

/// The document whose similar documents are asked for.
#[derive(Debug, Clone, Serialize)]
pub struct Subject {
    /// `petition`, `tip` or `paper`.
    pub doc_type: &'static str,
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// The text compared.
    #[serde(skip)]
    pub text: String,
}

/// One similar document.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarDoc {
    /// `petition`, `tip` or `paper`.
    pub doc_type: &'static str,
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Estimated Jaccard similarity of the normalised texts.
    pub similarity: f64,
}

impl SimilarDoc {
    /// Where the document is shown.
    pub fn href(&self) -> String {
        match self.doc_type {
            "paper" => format!("/records/{}", self.id),
            t => format!("/{t}s/{}", self.id),
        }
    }
    /// Whether it is a near-duplicate.
    pub fn duplicate(&self) -> bool {
        self.similarity >= DUPLICATE
    }
}

/// Reads the subject, if the actor may read it.
pub async fn subject(
    store: &dyn Store,
    actor: &Actor,
    doc_type: &str,
    id: i64,
) -> Result<Subject, CoreError> {
    Ok(match doc_type {
        "petition" => {
            let p = super::petitions::get(store, actor, id).await?;
            Subject {
                doc_type: "petition",
                id,
                title: p.title,
                text: p.content,
            }
        }
        "tip" => {
            let t = super::tips::get(store, actor, id).await?;
            Subject {
                doc_type: "tip",
                id,
                title: t.title(),
                text: t.body,
            }
        }
        "paper" => {
            let r = super::rounds::work::get_record(store, actor, id).await?;
            let p = Rec::<WorkingPaper>::decode(r).map_err(|_| CoreError::NotFound)?;
            Subject {
                doc_type: "paper",
                id,
                text: format!("{}\n{}", p.data.summary, p.data.facts),
                title: p.data.summary,
            }
        }
        _ => return Err(CoreError::NotFound),
    })
}

/// The documents of the three types the actor may read, newest first.
async fn candidates(
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<(&'static str, i64, String, String)>, CoreError> {
    let page = PageRequest::new(Some(1), Some(CANDIDATES as u32));
    let mut out = Vec::new();
    if let Ok(scope) = policy::scope(actor, Action::ViewPetitions) {
        for p in store
            .list_petitions(&PetitionFilter::new(scope), page)
            .await?
            .items
        {
            out.push(("petition", p.id, p.title, p.content));
        }
    }
    if let Ok(scope) = policy::scope(actor, Action::ViewTips) {
        let f = TipFilter {
            scope,
            status: None,
            round_id: None,
        };
        for t in store.list_tips(&f, page).await?.items {
            out.push(("tip", t.id, t.title(), t.body));
        }
    }
    if let Ok(scope) = policy::scope(actor, Action::ViewRoundWork) {
        let f = RecordFilter::new(RecordKind::Paper, scope);
        for r in store.list_records(&f, page).await?.items {
            if let Ok(p) = Rec::<WorkingPaper>::decode(r) {
                let text = format!("{}\n{}", p.data.summary, p.data.facts);
                out.push(("paper", p.meta.id, p.data.summary, text));
            }
        }
    }
    Ok(out)
}

/// The near-duplicates of the subject among what the actor may read, most
/// similar first (at most `limit`).
pub async fn near_duplicates(
    store: &dyn Store,
    actor: &Actor,
    subject: &Subject,
    limit: usize,
) -> Result<Vec<SimilarDoc>, CoreError> {
    let minhash = xuncha_text::MinHash::default();
    let mine = minhash.signature(&subject.text);
    let mut found: Vec<SimilarDoc> = candidates(store, actor)
        .await?
        .into_iter()
        .filter(|(t, id, _, _)| !(*t == subject.doc_type && *id == subject.id))
        .filter_map(|(doc_type, id, title, text)| {
            let similarity = mine.jaccard(&minhash.signature(&text));
            (similarity >= LISTED).then_some(SimilarDoc {
                doc_type,
                id,
                title,
                similarity,
            })
        })
        .collect();
    found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    found.truncate(limit);
    Ok(found)
}
