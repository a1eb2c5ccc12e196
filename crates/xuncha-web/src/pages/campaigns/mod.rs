//! Field campaigns (检查活动、走访活动): the list and the builder (`mod.rs`),
//! the campaign page with progress, rankings and coverage (`overview.rs`),
//! setting up targets, teams and household lists (`setup.rs`), the phone
//! pages where teams record rooms and visits (`field.rs`), the custody
//! register and follow-ups (`registers.rs`), and paper visit ledgers
//! imported (`ledger.rs`).

mod exports;
mod field;
mod ledger;
mod overview;
mod registers;
mod setup;

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::campaign::{Campaign, CampaignInput, CampaignKind, CampaignStatus};
use xuncha_core::i18n::{t, tf};
use xuncha_core::policy::{self, Action};
use xuncha_core::usecases::campaigns as uc;
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::{CoreError, FieldError};

use super::rounds::field as get_field;
use super::see_other;
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route("/campaigns/new", get(new_page))
        .route("/campaigns/{id}/status", post(status))
        .merge(overview::router())
        .merge(exports::router())
        .merge(setup::router())
        .merge(field::router())
        .merge(registers::router())
        .merge(ledger::router())
}

type Values = HashMap<String, String>;

/// The shell of a campaign page.
fn shell(auth: &Auth, title: &str) -> Shell {
    Shell::new(&auth.actor, auth.csrf.as_deref(), "/campaigns", title)
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct ListPage {
    shell: Shell,
    campaigns: Vec<Campaign>,
    can_manage: bool,
}

async fn list(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let campaigns = uc::list(state.store.as_ref(), &auth.actor).await?;
    html(&ListPage {
        shell: shell(&auth, t("campaigns.title")),
        campaigns,
        can_manage: policy::role_allows(auth.actor.role, Action::ManageCampaigns),
    })
}

#[derive(Template)]
#[template(path = "campaign_form.html")]
struct FormPage {
    shell: Shell,
    input: CampaignInput,
    errors: Vec<FieldError>,
    units: Vec<(i64, String)>,
    earlier: Vec<Campaign>,
}

impl FormPage {
    fn err(&self, field: &str) -> String {
        crate::pages::error_of(&self.errors, field)
    }
    fn is_checklist(&self) -> bool {
        self.input.kind == CampaignKind::Checklist.as_str()
    }
    fn kind_label(&self) -> &'static str {
        CampaignKind::parse(&self.input.kind).map_or("", |k| k.label())
    }
    fn unit_selected(&self, id: &i64) -> bool {
        self.input.unit_id == id.to_string()
    }
    fn copy_selected(&self, id: &i64) -> bool {
        self.input.copy_from == id.to_string()
    }
}

async fn form_page(
    state: &AppState,
    auth: &Auth,
    input: CampaignInput,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let scope = policy::scope(&auth.actor, Action::ManageCampaigns)?;
    let units = super::unit_choices(&state.store.all_units(&scope).await?);
    let mut earlier = uc::list(state.store.as_ref(), &auth.actor).await?;
    earlier.retain(|c| c.kind.as_str() == input.kind);
    let failed = !errors.is_empty();
    super::rounds::answer(
        html(&FormPage {
            shell: shell(auth, t("campaigns.new")),
            input,
            errors,
            units,
            earlier,
        }),
        failed,
    )
}

#[derive(serde::Deserialize)]
struct NewQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    copy: String,
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    policy::scope(&auth.actor, Action::ManageCampaigns)?;
    let input = match super::opt_id(&q.copy) {
        Some(id) => {
            let l = uc::load(state.store.as_ref(), &auth.actor, id).await?;
            let mut input = uc::input_of(&l.campaign);
            let day = today(state.clock.as_ref());
            input.starts_on = day.clone();
            input.ends_on = day;
            input
        }
        None => {
            let kind = CampaignKind::parse(&q.kind).unwrap_or(CampaignKind::Checklist);
            let mut input = uc::template(kind, &today(state.clock.as_ref()));
            if let Some(j) = &auth.actor.jurisdiction {
                input.unit_id = j.unit_id.to_string();
            }
            input
        }
    };
    form_page(&state, &auth, input, Vec::new()).await
}

fn input_of(v: &Values) -> CampaignInput {
    let get = |k: &str| get_field(v, k);
    CampaignInput {
        kind: get("kind"),
        unit_id: get("unit_id"),
        title: get("title"),
        series: get("series"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        checklist: get("checklist"),
        questions: get("questions"),
        duties: get("duties"),
        categories: get("categories"),
        followup_days: get("followup_days"),
        copy_from: get("copy_from"),
    }
}

async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&get_field(&v, "csrf"))?;
    let input = input_of(&v);
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match uc::create(s, c, &auth.actor, &input).await {
        Ok(x) if input.copy_from.trim().is_empty() => {
            Ok(see_other(&format!("/campaigns/{}/setup", x.id)))
        }
        Ok(x) => Ok(see_other(&format!("/campaigns/{}", x.id))),
        Err(CoreError::Invalid(e)) => form_page(&state, &auth, input, e).await,
        Err(e) => Err(e.into()),
    }
}

async fn status(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&get_field(&v, "csrf"))?;
    let status = CampaignStatus::parse(&get_field(&v, "status")).ok_or(AppError::NotFound)?;
    let version = super::rounds::id_field(&v, "version").unwrap_or(0);
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    uc::set_status(s, c, &auth.actor, id, version, status).await?;
    Ok(see_other(&format!("/campaigns/{id}")))
}

/// What a multipart form sent: its text fields and its files (field name,
/// file name, bytes; empty file inputs dropped).
pub(super) struct Upload {
    pub fields: Values,
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl Upload {
    pub fn get(&self, k: &str) -> String {
        get_field(&self.fields, k)
    }
    /// The files sent under `name`.
    pub fn files(&self, name: &str) -> Vec<&(String, String, Vec<u8>)> {
        self.files.iter().filter(|f| f.0 == name).collect()
    }
}

/// Reads a multipart form; a file over `max_bytes` is refused by name.
pub(super) async fn read_upload(mut mp: Multipart, max_bytes: usize) -> Result<Upload, FieldError> {
    let mut out = Upload {
        fields: HashMap::new(),
        files: Vec::new(),
    };
    let fail = |e: axum::extract::multipart::MultipartError| {
        FieldError::field(
            "photos",
            tf("import.upload_failed", &[("why", &e.body_text())]),
        )
    };
    while let Some(field) = mp.next_field().await.map_err(fail)? {
        let name = field.name().unwrap_or_default().to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(fail)?;
                if bytes.is_empty() {
                    continue;
                }
                if bytes.len() > max_bytes {
                    let mb = (max_bytes / 1024 / 1024).to_string();
                    return Err(FieldError::field(
                        &name,
                        tf("error.tip_photo_big", &[("name", &file_name), ("mb", &mb)]),
                    ));
                }
                out.files.push((name, file_name, bytes.to_vec()));
            }
            None => {
                let value = field.text().await.map_err(fail)?;
                out.fields.insert(name, value);
            }
        }
    }
    Ok(out)
}

/// The upload limit from the settings, in bytes.
pub(super) async fn max_upload(state: &AppState) -> Result<usize, AppError> {
    Ok(
        xuncha_core::usecases::settings::effective(state.store.as_ref())
            .await?
            .get_int("upload.max_mb")
            .max(1) as usize
            * 1024
            * 1024,
    )
}

/// Cleans photos (metadata dropped, resized) and stores them; every bad file
/// is named under `field`. Nothing is stored when one fails.
pub(super) async fn store_photos(
    state: &AppState,
    files: &[&(String, String, Vec<u8>)],
    field: &str,
) -> Result<Vec<String>, Vec<FieldError>> {
    let mut clean = Vec::new();
    let mut errors = Vec::new();
    for (_, name, bytes) in files {
        let bytes = bytes.clone();
        match tokio::task::spawn_blocking(move || xuncha_office::photo::clean(&bytes)).await {
            Ok(Ok(c)) => clean.push(c),
            Ok(Err(why)) => errors.push(FieldError::field(
                field,
                tf(
                    "error.tip_photo",
                    &[("name", name), ("why", &why.to_string())],
                ),
            )),
            Err(_) => errors.push(FieldError::field(field, t("error_page.internal"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut shas = Vec::with_capacity(clean.len());
    for c in clean {
        match state.blobs.put(&c.bytes).await {
            Ok(sha) => shas.push(sha),
            Err(_) => return Err(vec![FieldError::field(field, t("error_page.internal"))]),
        }
    }
    Ok(shas)
}

/// A random key for a field form, so a re-sent form is stored once.
pub(super) fn client_key() -> String {
    xuncha_core::codes::random(24)
}

/// Serves a stored photo to someone the caller has checked.
pub(super) async fn photo_response(state: &AppState, sha: &str) -> Result<Response, AppError> {
    use axum::http::{header, HeaderMap, HeaderValue};
    use axum::response::IntoResponse;
    let bytes = state.blobs.get(sha).await.map_err(|_| AppError::NotFound)?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(xuncha_office::photo::mime_of(&bytes)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok((headers, bytes).into_response())
}
