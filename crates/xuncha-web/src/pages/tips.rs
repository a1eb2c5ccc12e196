//! The handlers' side of 码上巡察: the inbox of the tips about the units a
//! user may see, one tip with its photos and exchange, triage, replies, the
//! sealed identity of a named tipster (audited), and the printable poster
//! with the public page's QR code.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::i18n::t;
use xuncha_core::inspection::paper::ClueGrade;
use xuncha_core::intake::petition::Category;
use xuncha_core::intake::register::Identity;
use xuncha_core::intake::tip::{Tip, TipStatus};
use xuncha_core::policy::{self, Action};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::usecases::tips as uc;
use xuncha_core::CoreError;

use super::rounds::Sticky;
use super::see_other;
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tips", get(inbox))
        .route("/tips/{id}", get(detail))
        .route("/tips/{id}/photos/{n}", get(photo))
        .route("/tips/{id}/reply", post(reply))
        .route("/tips/{id}/triage", post(triage))
        .route("/tips/poster/{target_id}", get(poster))
}

#[derive(Template)]
#[template(path = "tips.html")]
struct InboxPage {
    shell: Shell,
    page: Page<Tip>,
    pager: Pager,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(serde::Deserialize, Default)]
struct InboxQuery {
    page: Option<u32>,
    #[serde(default)]
    status: String,
}

async fn inbox(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let req = PageRequest::new(q.page, Some(50));
    let status = TipStatus::parse(&q.status);
    let page = uc::inbox(state.store.as_ref(), &auth.actor, status, None, req).await?;
    let params = [("status", q.status.clone())];
    html(&InboxPage {
        shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/tips", t("tips.inbox")),
        pager: Pager::new("/tips", &params, req.page, req.per_page, page.total),
        page,
        status: status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        statuses: TipStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "tip.html")]
struct DetailPage {
    shell: Shell,
    tip: Tip,
    identity: Option<Option<Identity>>,
    can_reveal: bool,
    can_triage: bool,
    categories: Vec<(&'static str, &'static str)>,
    grades: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
}

#[derive(serde::Deserialize, Default)]
struct DetailQuery {
    reveal: Option<String>,
}

async fn render_detail(
    state: &AppState,
    auth: &Auth,
    id: i64,
    reveal: bool,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let tip = uc::get(s, &auth.actor, id).await?;
    let allowed = |a: Action| policy::check(&auth.actor, a, Some(&tip.unit_path)).is_ok();
    let can_reveal = !tip.anonymous && allowed(Action::ViewTipsterIdentity);
    let identity = if reveal && can_reveal {
        Some(uc::reveal_identity(s, state.clock.as_ref(), &auth.actor, id).await?)
    } else {
        None
    };
    let failed = sticky.failed_any();
    super::rounds::answer(
        html(&DetailPage {
            shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/tips", t("tips.inbox")),
            can_triage: allowed(Action::TriageTips),
            tip,
            identity,
            can_reveal,
            categories: Category::ALL
                .iter()
                .map(|c| (c.as_str(), c.label()))
                .collect(),
            grades: ClueGrade::ALL
                .iter()
                .map(|c| (c.as_str(), c.label()))
                .collect(),
            sticky,
        }),
        failed,
    )
}

async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, AppError> {
    render_detail(&state, &auth, id, q.reveal.is_some(), Sticky::default()).await
}

/// A photo of a tip, to those who may read the tip. Stored photos were
/// re-encoded on arrival, so they are plain images and may show inline.
async fn photo(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, n)): Path<(i64, usize)>,
) -> Result<Response, AppError> {
    let tip = uc::get(state.store.as_ref(), &auth.actor, id).await?;
    let sha = tip.photos.get(n).ok_or(AppError::NotFound)?;
    let bytes = state.blobs.get(sha).await.map_err(AppError::Internal)?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(xuncha_office::photo::mime_of(&bytes)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    Ok((headers, bytes).into_response())
}

type Values = HashMap<String, String>;

async fn reply(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let body = v.get("message").cloned().unwrap_or_default();
    match uc::reply(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        id,
        &body,
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!("/tips/{id}"))),
        Err(CoreError::Invalid(e)) => {
            render_detail(&state, &auth, id, false, Sticky::failed("reply", v, e)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn triage(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    let input = uc::TriageInput {
        to: get("to"),
        category: get("category"),
        grade: get("grade"),
        persons: get("persons"),
        reason: get("reason"),
        version: get("version").parse().unwrap_or(0),
    };
    match uc::triage(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        id,
        &input,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/tips/{id}"))),
        Err(CoreError::Invalid(e)) => {
            render_detail(&state, &auth, id, false, Sticky::failed("triage", v, e)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "tip_poster.html")]
struct PosterPage {
    round_title: String,
    unit_name: String,
    url: String,
    qr_svg: String,
}

impl PosterPage {
    fn lead(&self) -> String {
        xuncha_core::i18n::tf(
            "tips.poster_lead",
            &[("round", &self.round_title), ("unit", &self.unit_name)],
        )
    }
}

/// The printable poster of a unit's public page (staff only).
async fn poster(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(target_id): Path<i64>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let p = uc::poster_target(s, &auth.actor, target_id).await?;
    let base = super::public_base(&state, &headers).await?;
    let url = format!("{base}/tip/{target_id}");
    let qr_svg = xuncha_office::qr::svg(&url, 320).ok_or(AppError::NotFound)?;
    html(&PosterPage {
        round_title: p.round.title,
        unit_name: p.target.unit_name,
        url,
        qr_svg,
    })
}
