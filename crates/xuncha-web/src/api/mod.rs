//! The JSON API under `/api/v1/`. Same use cases and permission checks as
//! the pages; session cookie (with `X-CSRF-Token` on writes) or
//! `Authorization: Bearer TOKEN`.

mod campaigns;
mod collide;
mod intake;
mod openapi;
mod rounds;

use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use xuncha_core::policy;
use xuncha_core::registry::{
    NewPerson, NewUnit, Page, PageRequest, Person, PersonFilter, PersonInput, PersonSort, Unit,
    UnitFilter, UnitKind, UnitSort,
};
use xuncha_core::usecases::registry as uc;
use xuncha_core::CoreError;

use crate::auth::Auth;
use crate::error::AppError;
use crate::AppState;

pub use openapi::ROUTES;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/units", get(list_units).post(create_unit))
        .route("/units/{id}", get(get_unit))
        .route("/persons", get(list_persons).post(create_person))
        .route("/persons/{id}", get(get_person))
        .route("/search", get(search))
        .merge(rounds::router())
        .merge(intake::router())
        .merge(collide::router())
        .merge(campaigns::router())
        .fallback(|| async { AppError::NoRoute.json() })
}

/// JSON body extractor whose rejections answer in our error format.
pub struct ApiJson<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(AppError::Invalid(vec![xuncha_core::FieldError::field(
                "body",
                format!(
                    "{}{}",
                    xuncha_core::i18n::t("api.bad_json"),
                    rej.body_text()
                ),
            )])
            .json()),
        }
    }
}

/// What a handler answers: JSON, or an error in the API's format.
type ApiResult = Result<Response, AppError>;

/// A use case's value as JSON (200).
fn j<T: serde::Serialize>(v: Result<T, CoreError>) -> ApiResult {
    v.map(|v| Json(v).into_response())
        .map_err(|e| AppError::from(e).json())
}

/// A use case's new record as JSON (201).
fn created<T: serde::Serialize>(v: Result<T, CoreError>) -> ApiResult {
    v.map(|v| (StatusCode::CREATED, Json(v)).into_response())
        .map_err(|e| AppError::from(e).json())
}

/// `{"ok": true}` when the use case succeeded.
fn done(v: Result<(), CoreError>) -> ApiResult {
    j(v.map(|()| serde_json::json!({ "ok": true })))
}

/// Writes with a session cookie must carry the session's CSRF token.
fn check_write(auth: &Auth, headers: &axum::http::HeaderMap) -> Result<(), AppError> {
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    auth.check_csrf(sent).map_err(AppError::json)
}

#[derive(Deserialize)]
struct UnitQuery {
    q: Option<String>,
    kind: Option<String>,
    parent_id: Option<i64>,
    sort: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

async fn list_units(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<UnitQuery>,
) -> Result<Json<Page<Unit>>, AppError> {
    let filter = UnitFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        kind: q.kind.as_deref().and_then(UnitKind::parse),
        parent_id: q.parent_id,
        sort: UnitSort::parse(crate::render::sort_param(q.sort.as_deref().unwrap_or("")).0),
        desc: crate::render::sort_param(q.sort.as_deref().unwrap_or("")).1,
    };
    let page = PageRequest::new(q.page, q.per_page);
    Ok(Json(
        uc::list_units(state.store.as_ref(), &auth.actor, &filter, page)
            .await
            .map_err(|e| AppError::from(e).json())?,
    ))
}

async fn get_unit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Unit>, AppError> {
    let (unit, _) = uc::get_unit(state.store.as_ref(), &auth.actor, id)
        .await
        .map_err(|e| AppError::from(e).json())?;
    Ok(Json(unit))
}

#[derive(Deserialize)]
struct UnitBody {
    parent_id: Option<i64>,
    name: String,
    kind: String,
    #[serde(default)]
    region_code: String,
    budget_yuan: Option<i64>,
}

async fn create_unit(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    ApiJson(body): ApiJson<UnitBody>,
) -> Result<Response, AppError> {
    check_write(&auth, &headers)?;
    let budget = body.budget_yuan.map(|b| b.to_string()).unwrap_or_default();
    let run = async {
        let new = NewUnit::parse(
            body.parent_id,
            &body.name,
            &body.kind,
            &body.region_code,
            &budget,
        )?;
        uc::create_unit(
            state.store.as_ref(),
            state.clock.as_ref(),
            &auth.actor,
            &new,
        )
        .await
    };
    let unit = run.await.map_err(|e| AppError::from(e).json())?;
    Ok((StatusCode::CREATED, Json(unit)).into_response())
}

/// A person as the API shows it: the ID number masked unless the caller may
/// see it in full.
#[derive(Serialize)]
struct PersonOut {
    #[serde(flatten)]
    person: Person,
}

fn mask(p: Person, full: bool) -> PersonOut {
    let id_number = p.id_number_for(full);
    PersonOut {
        person: Person { id_number, ..p },
    }
}

#[derive(Deserialize)]
struct PersonQuery {
    q: Option<String>,
    unit_id: Option<i64>,
    sort: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

#[derive(Serialize)]
struct PersonPage {
    items: Vec<PersonOut>,
    total: i64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    total_capped: bool,
}

async fn list_persons(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PersonQuery>,
) -> Result<Json<PersonPage>, AppError> {
    let filter = PersonFilter {
        q: q.q.filter(|s| !s.trim().is_empty()),
        unit_id: q.unit_id,
        sort: PersonSort::parse(crate::render::sort_param(q.sort.as_deref().unwrap_or("")).0),
        desc: crate::render::sort_param(q.sort.as_deref().unwrap_or("")).1,
    };
    let page = PageRequest::new(q.page, q.per_page);
    let result = uc::list_persons(state.store.as_ref(), &auth.actor, &filter, page)
        .await
        .map_err(|e| AppError::from(e).json())?;
    let full = policy::sees_full_id_numbers(&auth.actor);
    Ok(Json(PersonPage {
        items: result.items.into_iter().map(|p| mask(p, full)).collect(),
        total: result.total,
        total_capped: result.total_capped,
    }))
}

async fn get_person(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<PersonOut>, AppError> {
    let d = uc::get_person(state.store.as_ref(), &auth.actor, id)
        .await
        .map_err(|e| AppError::from(e).json())?;
    Ok(Json(mask(
        d.person,
        policy::sees_full_id_numbers(&auth.actor),
    )))
}

#[derive(Deserialize)]
struct PersonBody {
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    birth_date: String,
    unit_id: Option<i64>,
    #[serde(default)]
    position: String,
    #[serde(default)]
    phone: String,
}

async fn create_person(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<Response, AppError> {
    check_write(&auth, &headers)?;
    let run = async {
        let new = NewPerson::parse(
            &PersonInput {
                name: &b.name,
                id_number: &b.id_number,
                gender: &b.gender,
                birth_date: &b.birth_date,
                position: &b.position,
                phone: &b.phone,
            },
            b.unit_id,
        )?;
        uc::create_person(
            state.store.as_ref(),
            state.clock.as_ref(),
            &auth.actor,
            &new,
        )
        .await
    };
    let p = run.await.map_err(|e| AppError::from(e).json())?;
    let full = policy::sees_full_id_numbers(&auth.actor);
    Ok((StatusCode::CREATED, Json(mask(p, full))).into_response())
}

#[derive(Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    r#type: String,
    page: Option<u32>,
    per_page: Option<u32>,
    #[serde(flatten)]
    filters: crate::pages::search::FilterForm,
}

#[derive(Serialize)]
struct SearchHit {
    doc_type: String,
    doc_id: String,
    title: String,
    snippet_html: String,
}

#[derive(Serialize)]
struct SearchPage {
    items: Vec<SearchHit>,
    total: usize,
}

async fn search(
    State(state): State<AppState>,
    auth: Auth,
    Query(p): Query<SearchParams>,
) -> Result<Json<SearchPage>, AppError> {
    let per_page = p.per_page.unwrap_or(20).clamp(1, 100);
    let found = crate::pages::search::run(
        &state,
        &auth.actor,
        &p.q,
        &p.r#type,
        &p.filters,
        p.page.unwrap_or(1),
        per_page,
    )
    .await
    .map_err(AppError::json)?;
    Ok(Json(SearchPage {
        total: found.total,
        items: found
            .hits
            .into_iter()
            .map(|h| SearchHit {
                doc_type: h.doc_type,
                doc_id: h.doc_id,
                title: h.title,
                snippet_html: h.snippet_html,
            })
            .collect(),
    }))
}
