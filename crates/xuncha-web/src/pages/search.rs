//! The search page: one box over everything the user may see. The
//! permission scope goes into the index query itself, so counts and paging
//! never reveal hidden documents.

use askama::Template;
use axum::extract::{Path, Query, State};
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
    Router::new()
        .route("/search", get(search))
        .route("/similar/{doc_type}/{id}", get(similar))
}

#[derive(Deserialize, Default)]
struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    r#type: String,
    page: Option<u32>,
    #[serde(flatten)]
    filters: FilterForm,
}

/// The filters as typed (page form and API query alike).
#[derive(Deserialize, Default, Clone)]
pub(crate) struct FilterForm {
    /// A unit (its subtree).
    #[serde(default)]
    pub unit: String,
    /// A round.
    #[serde(default)]
    pub round: String,
    /// From this day.
    #[serde(default)]
    pub from: String,
    /// To this day.
    #[serde(default)]
    pub to: String,
    /// A status identifier of the chosen type.
    #[serde(default)]
    pub status: String,
}

impl FilterForm {
    /// The index's filters; a unit is named by id and searched by its path.
    async fn resolve(&self, state: &AppState) -> xuncha_search::Filters {
        let unit = match self.unit.trim().parse::<i64>() {
            Ok(id) => state.store.get_unit(id).await.ok().map(|u| u.path),
            Err(_) => None,
        };
        xuncha_search::Filters {
            unit,
            round_id: self.round.trim().parse().ok(),
            from: xuncha_search::day_number(self.from.trim()),
            to: xuncha_search::day_number(self.to.trim()),
            status: Some(self.status.trim().to_owned()).filter(|s| !s.is_empty()),
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        [
            ("unit", &self.unit),
            ("round", &self.round),
            ("from", &self.from),
            ("to", &self.to),
            ("status", &self.status),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.clone()))
        .collect()
    }
}

/// The statuses a document type can be filtered by.
fn statuses(doc_type: &str) -> Vec<(&'static str, &'static str)> {
    use xuncha_core::inspection::{paper, rectification, report, transfer};
    fn pairs<T: Copy>(
        all: &[T],
        f: impl Fn(T) -> (&'static str, &'static str),
    ) -> Vec<(&'static str, &'static str)> {
        all.iter().map(|x| f(*x)).collect()
    }
    match doc_type {
        "petition" => pairs(xuncha_core::intake::petition::Status::ALL, |s| {
            (s.as_str(), s.label())
        }),
        "tip" => pairs(xuncha_core::intake::tip::TipStatus::ALL, |s| {
            (s.as_str(), s.label())
        }),
        "paper" => pairs(paper::PaperStatus::ALL, |s| (s.as_str(), s.label())),
        "report" => pairs(report::ReportStatus::ALL, |s| (s.as_str(), s.label())),
        "transfer" => pairs(transfer::TransferStatus::ALL, |s| (s.as_str(), s.label())),
        "rect-item" => pairs(rectification::RectStatus::ALL, |s| (s.as_str(), s.label())),
        "demand" | "hazard" => pairs(xuncha_core::campaign::FollowupStatus::ALL, |s| {
            (s.as_str(), s.label())
        }),
        _ => Vec::new(),
    }
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
    filters: FilterForm,
    units: Vec<(i64, String)>,
    rounds: Vec<(i64, String)>,
    statuses: Vec<(&'static str, &'static str)>,
}

impl SearchPage {
    fn is_unit(&self, id: &i64) -> bool {
        self.filters.unit == id.to_string()
    }
    fn is_round(&self, id: &i64) -> bool {
        self.filters.round == id.to_string()
    }
}

const PER_PAGE: u32 = 20;

/// Where a hit is shown.
fn href(doc_type: &str, doc_id: &str) -> String {
    match doc_type {
        "person" | "unit" | "petition" | "tip" => format!("/{doc_type}s/{doc_id}"),
        "demand" | "hazard" => format!("/campaigns/followups/{doc_id}"),
        _ => format!("/records/{doc_id}"),
    }
}

/// Runs a search for `actor`: the permission scope decided by the policy
/// goes into the index query, so hidden documents are neither listed nor
/// counted. A blank query or a node without an index finds nothing.
pub(crate) async fn run(
    state: &AppState,
    actor: &xuncha_core::auth::Actor,
    q: &str,
    doc_type: &str,
    filters: &FilterForm,
    page: u32,
    per_page: u32,
) -> Result<xuncha_search::SearchResults, AppError> {
    let mut groups: Vec<xuncha_search::ScopeGroup> = policy::search_scopes(actor)
        .into_iter()
        .map(|(types, scope)| xuncha_search::ScopeGroup {
            doc_types: types.iter().map(|t| (*t).to_owned()).collect(),
            include_unattached: scope.sees_unattached(),
            within: scope.within,
            any_of: scope.any_of,
            excluded: scope.excluded,
            access_any: None,
        })
        .collect();
    // Campaign follow-ups: the campaigns (or the team) the actor works in,
    // decided per campaign as on the campaign pages; a recusal hides a
    // village's demands.
    let grants =
        xuncha_core::usecases::campaigns::search_grants(state.store.as_ref(), actor).await?;
    if !grants.is_empty() {
        groups.push(xuncha_search::ScopeGroup {
            doc_types: policy::CAMPAIGN_DOC_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
            excluded: actor.recused_paths.clone(),
            access_any: Some(grants),
            ..xuncha_search::ScopeGroup::default()
        });
    }
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
            || policy::CAMPAIGN_DOC_TYPES.contains(&doc_type)
        {
            vec![doc_type.to_owned()]
        } else {
            Vec::new()
        },
        limit: per_page as usize,
        offset: (page.max(1) - 1) as usize * per_page as usize,
        groups,
        filters: filters.resolve(state).await,
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
    let found = run(
        &state,
        &auth.actor,
        &q,
        &f.r#type,
        &f.filters,
        page,
        PER_PAGE,
    )
    .await?;
    let total = found.total as i64;
    let rows = found
        .hits
        .into_iter()
        .map(|h| Row {
            href: href(&h.doc_type, &h.doc_id),
            kind: t(&format!("search.type_{}", h.doc_type)),
            title: h.title,
            snippet_html: h.snippet_html,
        })
        .collect();
    let mut params = vec![("q", q.clone()), ("type", f.r#type.clone())];
    params.extend(f.filters.params());
    let s = state.store.as_ref();
    let units = xuncha_core::usecases::registry::unit_tree(s, &auth.actor)
        .await
        .map(|u| super::unit_choices(&u))
        .unwrap_or_default();
    let rounds = xuncha_core::usecases::rounds::plan::list_rounds(s, &auth.actor)
        .await
        .map(|r| r.into_iter().map(|r| (r.id, r.title)).collect())
        .unwrap_or_default();
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
        statuses: statuses(&f.r#type),
        doc_type: f.r#type,
        rows,
        enabled: state.search.is_some(),
        filters: f.filters,
        units,
        rounds,
    })
}

#[derive(Template)]
#[template(path = "similar.html")]
struct SimilarPage {
    shell: Shell,
    subject: xuncha_core::usecases::similar::Subject,
    duplicates: Vec<xuncha_core::usecases::similar::SimilarDoc>,
    related: Vec<Row>,
}

impl SimilarPage {
    fn kind(&self, doc_type: &str) -> &'static str {
        t(&format!("search.type_{doc_type}"))
    }
    fn percent(&self, v: &f64) -> String {
        format!("{:.0}%", v * 100.0)
    }
}

/// The near-duplicates of a petition, tip or working paper among what the
/// user may read (by fingerprint), then documents the index finds related
/// to its title (by score).
async fn similar(
    State(state): State<AppState>,
    auth: Auth,
    Path((doc_type, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    use xuncha_core::usecases::similar as uc;
    let s = state.store.as_ref();
    let subject = uc::subject(s, &auth.actor, &doc_type, id).await?;
    let duplicates = uc::near_duplicates(s, &auth.actor, &subject, 20).await?;
    let known = |t: &str, i: &str| {
        (t == subject.doc_type && i == subject.id.to_string())
            || duplicates
                .iter()
                .any(|d| d.doc_type == t && d.id.to_string() == i)
    };
    let found = run(
        &state,
        &auth.actor,
        &subject.title,
        "",
        &FilterForm::default(),
        1,
        20,
    )
    .await?;
    let related = found
        .hits
        .into_iter()
        .filter(|h| !known(&h.doc_type, &h.doc_id))
        .take(10)
        .map(|h| Row {
            href: href(&h.doc_type, &h.doc_id),
            kind: t(&format!("search.type_{}", h.doc_type)),
            title: h.title,
            snippet_html: h.snippet_html,
        })
        .collect();
    html(&SimilarPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/search",
            t("search.similar"),
        ),
        subject,
        duplicates,
        related,
    })
}
