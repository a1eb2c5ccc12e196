//! Administration: users, county settings, the audit trail.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use xuncha_core::audit::AuditRecord;
use xuncha_core::auth::{Role, User};
use xuncha_core::i18n::t;
use xuncha_core::policy::{role_allows, Action};
use xuncha_core::registry::PageRequest;
use xuncha_core::settings::{SettingKind, DEFINITIONS};
use xuncha_core::usecases::{audit, registry, settings, users};

use super::{form_errors, opt_id, see_other, unit_choices, FormErrors};
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(add_user))
        .route("/admin/settings", get(settings_page).post(save_settings))
        .route("/admin/audit", get(audit_page))
}

#[derive(Deserialize, Default, Clone)]
struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    password: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    shell: Shell,
    users: Vec<User>,
    form: UserForm,
    errors: FormErrors,
    roles: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
}

async fn render_users(
    state: &AppState,
    auth: &Auth,
    form: UserForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let list = users::list(state.store.as_ref(), &auth.actor).await?;
    let units = registry::unit_tree(state.store.as_ref(), &auth.actor).await?;
    let invalid = !errors.is_empty();
    let mut res = html(&UsersPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/admin/users",
            t("users.title"),
        ),
        users: list,
        form: UserForm {
            password: String::new(),
            ..form
        },
        errors,
        roles: Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect(),
        units: unit_choices(&units),
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn users_page(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let form = UserForm {
        role: Role::Office.as_str().into(),
        ..Default::default()
    };
    render_users(&state, &auth, form, FormErrors::default()).await
}

async fn add_user(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let input = users::UserInput {
        username: &form.username,
        display_name: &form.display_name,
        role: &form.role,
        unit_id: opt_id(&form.unit_id),
        password: &form.password,
    };
    match users::add_user(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        &input,
    )
    .await
    {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(e) => render_users(&state, &auth, form, form_errors(e)?).await,
    }
}

/// One setting as shown on the page.
struct SettingItem {
    key: &'static str,
    label: &'static str,
    help: &'static str,
    value: String,
    lines: bool,
    choices: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    shell: Shell,
    items: Vec<SettingItem>,
    errors: FormErrors,
    editable: bool,
    saved: bool,
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<u8>,
}

async fn render_settings(
    state: &AppState,
    auth: &Auth,
    typed: Option<&BTreeMap<String, String>>,
    errors: FormErrors,
    saved: bool,
) -> Result<Response, AppError> {
    let current = settings::view(state.store.as_ref(), &auth.actor).await?;
    let items = DEFINITIONS
        .iter()
        .map(|d| SettingItem {
            key: d.key,
            label: d.label(),
            help: d.help(),
            value: typed
                .and_then(|m| m.get(d.key).cloned())
                .unwrap_or_else(|| current.get(d.key)),
            lines: matches!(d.kind, SettingKind::Lines | SettingKind::Dates),
            choices: match d.kind {
                SettingKind::Choice(c) => c
                    .iter()
                    .map(|v| (*v, t(&format!("setting_choice.{v}"))))
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect();
    let invalid = !errors.is_empty();
    let mut res = html(&SettingsPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/admin/settings",
            t("settings.title"),
        ),
        items,
        errors,
        editable: role_allows(auth.actor.role, Action::EditSettings),
        saved,
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn settings_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    render_settings(
        &state,
        &auth,
        None,
        FormErrors::default(),
        q.saved.is_some(),
    )
    .await
}

async fn save_settings(
    State(state): State<AppState>,
    auth: Auth,
    Form(mut form): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let csrf = form.remove("csrf").unwrap_or_default();
    auth.check_csrf(&csrf)?;
    match settings::update(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        &form,
    )
    .await
    {
        Ok(()) => Ok(see_other("/admin/settings?saved=1")),
        Err(e) => render_settings(&state, &auth, Some(&form), form_errors(e)?, false).await,
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    records: Vec<AuditRecord>,
    pager: Pager,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

async fn audit_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    let page = PageRequest::new(q.page, Some(100));
    let records = audit::page(state.store.as_ref(), &auth.actor, page).await?;
    html(&AuditPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/admin/audit",
            t("audit.title"),
        ),
        pager: Pager::new("/admin/audit", &[], page.page, page.per_page, records.total),
        records: records.items,
    })
}
