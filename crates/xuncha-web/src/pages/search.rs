//! The search page: one box over everything the user may see. The
//! permission scope goes into the index query itself, so counts and paging
//! never reveal hidden documents.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use xuncha_core::i18n::t;
use xuncha_core::policy;

use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

#[derive(Deserialize, Default)]
struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    r#type: String,
    page: Option<u32>,
}

/// One result, ready for the template.
struct Row {
    href: String,
    kind: &'static str,
    title: String,
    /// Escaped by the search crate; only `<mark>` is markup.
    snippet_html: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    shell: Shell,
    q: String,
    doc_type: String,
    rows: Vec<Row>,
    pager: Pager,
    enabled: bool,
    searched: bool,
}

const PER_PAGE: u32 = 20;

/// Runs a search for `actor`: the permission scope decided by the policy
/// goes into the index query, so hidden documents are neither listed nor
/// counted. A blank query or a node without an index finds nothing.
pub(crate) async fn run(
    state: &AppState,
    actor: &xuncha_core::auth::Actor,
    q: &str,
    doc_type: &str,
    page: u32,
    per_page: u32,
) -> Result<xuncha_search::SearchResults, AppError> {
    let groups: Vec<xuncha_search::ScopeGroup> = policy::search_scopes(actor)
        .into_iter()
        .map(|(types, scope)| xuncha_search::ScopeGroup {
            doc_types: types.iter().map(|t| (*t).to_owned()).collect(),
            include_unattached: scope.sees_unattached(),
            within: scope.within,
            any_of: scope.any_of,
            excluded: scope.excluded,
        })
        .collect();
    if groups.is_empty() {
        return Err(AppError::Forbidden);
    }
    let (Some(index), false) = (&state.search, q.trim().is_empty()) else {
        return Ok(xuncha_search::SearchResults {
            total: 0,
            hits: Vec::new(),
        });
    };
    let query = xuncha_search::SearchQuery {
        text: q.trim().to_owned(),
        doc_types: if policy::REGISTRY_DOC_TYPES.contains(&doc_type)
            || policy::WORK_DOC_TYPES.contains(&doc_type)
            || policy::PETITION_DOC_TYPES.contains(&doc_type)
            || policy::TIP_DOC_TYPES.contains(&doc_type)
        {
            vec![doc_type.to_owned()]
        } else {
            Vec::new()
        },
        limit: per_page as usize,
        offset: (page.max(1) - 1) as usize * per_page as usize,
        groups,
        ..xuncha_search::SearchQuery::default()
    };
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.search(&query))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))
}

async fn search(
    State(state): State<AppState>,
    auth: Auth,
    Query(f): Query<SearchForm>,
) -> Result<Response, AppError> {
    let page = f.page.unwrap_or(1).max(1);
    let q = f.q.trim().to_owned();
    let found = run(&state, &auth.actor, &q, &f.r#type, page, PER_PAGE).await?;
    let total = found.total as i64;
    let rows = found
        .hits
        .into_iter()
        .map(|h| Row {
            href: match h.doc_type.as_str() {
                "person" | "unit" | "petition" | "tip" => {
                    format!("/{}s/{}", h.doc_type, h.doc_id)
                }
                _ => format!("/records/{}", h.doc_id),
            },
            kind: t(&format!("search.type_{}", h.doc_type)),
            title: h.title,
            snippet_html: h.snippet_html,
        })
        .collect();
    let params = [("q", q.clone()), ("type", f.r#type.clone())];
    html(&SearchPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/search",
            t("search.title"),
        ),
        pager: Pager::new("/search", &params, page, PER_PAGE, total),
        searched: !q.is_empty(),
        q,
        doc_type: f.r#type,
        rows,
        enabled: state.search.is_some(),
    })
}
