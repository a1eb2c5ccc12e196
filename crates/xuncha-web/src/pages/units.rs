//! Unit pages: the tree as a ledger, detail, create and edit, export.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use xuncha_core::i18n::t;
use xuncha_core::policy::{role_allows, Action};
use xuncha_core::registry::{
    LeadershipPost, NewUnit, PageRequest, PostRank, Unit, UnitFilter, UnitKind, UnitSort,
};
use xuncha_core::usecases::registry as uc;

use super::{form_errors, opt_id, see_other, unit_choices, FormErrors};
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell, SortLinks};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/units", get(list).post(create))
        .route("/units/new", get(new_form))
        .route("/units/export.xlsx", get(export))
        .route("/units/{id}", get(detail).post(update))
        .route("/units/{id}/edit", get(edit_form))
        .route("/units/{id}/leaders", axum::routing::post(add_leader))
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    UnitKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    /// `name`, `kind`, `budget`, or with `-` for descending.
    #[serde(default)]
    pub sort: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl ListQuery {
    pub(crate) fn filter(&self) -> UnitFilter {
        UnitFilter {
            q: Some(self.q.trim().to_owned()).filter(|s| !s.is_empty()),
            kind: UnitKind::parse(&self.kind),
            parent_id: None,
            sort: UnitSort::parse(crate::render::sort_param(&self.sort).0),
            desc: crate::render::sort_param(&self.sort).1,
        }
    }
}

#[derive(Template)]
#[template(path = "units.html")]
struct ListPage {
    shell: Shell,
    units: Vec<Unit>,
    pager: Pager,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    can_export: bool,
    sort: SortLinks,
}

async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = PageRequest::new(q.page, q.per_page);
    let result = uc::list_units(state.store.as_ref(), &auth.actor, &q.filter(), page).await?;
    let filters = [("q", q.q.clone()), ("kind", q.kind.clone())];
    let sort = SortLinks::new("/units", &filters, &q.sort);
    let params = [
        ("q", q.q.clone()),
        ("kind", q.kind.clone()),
        ("sort", q.sort.clone()),
    ];
    html(&ListPage {
        sort,
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/units",
            t("units.title"),
        ),
        pager: Pager::new("/units", &params, page.page, page.per_page, result.total),
        units: result.items,
        q: q.q,
        kind: q.kind,
        kinds: kinds(),
        can_edit: role_allows(auth.actor.role, Action::EditRegistry),
        can_export: role_allows(auth.actor.role, Action::ExportRegistry),
    })
}

#[derive(Template)]
#[template(path = "unit.html")]
struct DetailPage {
    shell: Shell,
    unit: Unit,
    parent: Option<Unit>,
    leaders: Vec<LeadershipPost>,
    children: Vec<Unit>,
    can_edit: bool,
    leader: LeaderForm,
    errors: FormErrors,
    ranks: Vec<(&'static str, &'static str)>,
    history: Vec<xuncha_core::audit::AuditRecord>,
    attachments: Vec<xuncha_core::store::Attachment>,
    can_upload: bool,
}

async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_detail(
        &state,
        &auth,
        id,
        LeaderForm::default(),
        FormErrors::default(),
    )
    .await
}

async fn render_detail(
    state: &AppState,
    auth: &Auth,
    id: i64,
    leader: LeaderForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let store = state.store.as_ref();
    let (unit, leaders) = uc::get_unit(store, &auth.actor, id).await?;
    let parent = match unit.parent_id {
        Some(pid) => uc::get_unit(store, &auth.actor, pid)
            .await
            .ok()
            .map(|(p, _)| p),
        None => None,
    };
    let children = uc::list_units(
        store,
        &auth.actor,
        &UnitFilter {
            parent_id: Some(id),
            ..Default::default()
        },
        PageRequest::new(Some(1), Some(500)),
    )
    .await?
    .items;
    let can_edit =
        xuncha_core::policy::check(&auth.actor, Action::EditRegistry, Some(&unit.path)).is_ok();
    let can_upload =
        xuncha_core::policy::check(&auth.actor, Action::UploadAttachment, Some(&unit.path)).is_ok();
    let history = uc::unit_history(store, &auth.actor, &unit).await?;
    let attachments = xuncha_core::usecases::attachments::of_unit(store, &auth.actor, id).await?;
    let invalid = !errors.is_empty();
    let mut res = html(&DetailPage {
        shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/units", &unit.name),
        unit,
        parent,
        leaders,
        children,
        can_edit,
        leader,
        errors,
        ranks: PostRank::ALL
            .iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
        history,
        attachments,
        can_upload,
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default, Clone)]
struct LeaderForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    rank: String,
}

async fn add_leader(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(form): Form<LeaderForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let store = state.store.as_ref();
    let run = async {
        let person =
            uc::person_by_id_number(store, &auth.actor, "id_number", &form.id_number).await?;
        let rank = PostRank::parse(&form.rank)
            .ok_or_else(|| xuncha_core::CoreError::invalid("rank", t("error.rank")))?;
        uc::add_leadership_post(
            store,
            state.clock.as_ref(),
            &auth.actor,
            id,
            person.id,
            &form.title,
            rank,
        )
        .await
    };
    match run.await {
        Ok(_) => Ok(see_other(&format!("/units/{id}"))),
        Err(e) => {
            let errors = form_errors(e)?;
            render_detail(&state, &auth, id, form, errors).await
        }
    }
}

#[derive(Deserialize, Default, Clone)]
struct UnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    parent_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    budget_yuan: String,
}

#[derive(Template)]
#[template(path = "unit_form.html")]
struct FormPage {
    shell: Shell,
    action: String,
    editing: bool,
    form: UnitForm,
    errors: FormErrors,
    parents: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
}

async fn render_form(
    state: &AppState,
    auth: &Auth,
    form: UnitForm,
    errors: FormErrors,
    editing: Option<i64>,
) -> Result<Response, AppError> {
    let units = uc::unit_tree(state.store.as_ref(), &auth.actor).await?;
    let title = if editing.is_some() {
        t("units.edit")
    } else {
        t("units.new")
    };
    let invalid = !errors.is_empty();
    let mut res = html(&FormPage {
        shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/units", title),
        action: editing
            .map(|id| format!("/units/{id}"))
            .unwrap_or_else(|| "/units".into()),
        editing: editing.is_some(),
        form,
        errors,
        parents: unit_choices(&units),
        kinds: kinds(),
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize)]
struct NewQuery {
    parent: Option<i64>,
}

async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    xuncha_core::policy::scope(&auth.actor, Action::EditRegistry)?;
    let form = UnitForm {
        parent_id: q.parent.map(|p| p.to_string()).unwrap_or_default(),
        kind: UnitKind::GovDept.as_str().into(),
        ..Default::default()
    };
    render_form(&state, &auth, form, FormErrors::default(), None).await
}

fn parse(form: &UnitForm, parent: Option<i64>) -> Result<NewUnit, xuncha_core::CoreError> {
    NewUnit::parse(
        parent,
        &form.name,
        &form.kind,
        &form.region_code,
        &form.budget_yuan,
    )
}

async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<UnitForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let result = match parse(&form, opt_id(&form.parent_id)) {
        Ok(new) => {
            uc::create_unit(
                state.store.as_ref(),
                state.clock.as_ref(),
                &auth.actor,
                &new,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(unit) => Ok(see_other(&format!("/units/{}", unit.id))),
        Err(e) => render_form(&state, &auth, form, form_errors(e)?, None).await,
    }
}

async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (unit, _) = uc::get_unit(state.store.as_ref(), &auth.actor, id).await?;
    xuncha_core::policy::check(&auth.actor, Action::EditRegistry, Some(&unit.path))?;
    let form = UnitForm {
        csrf: String::new(),
        parent_id: unit.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        name: unit.name,
        kind: unit.kind.as_str().into(),
        region_code: unit.region_code.unwrap_or_default(),
        budget_yuan: unit.budget_yuan.map(|b| b.to_string()).unwrap_or_default(),
    };
    render_form(&state, &auth, form, FormErrors::default(), Some(id)).await
}

async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(form): Form<UnitForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let result = match parse(&form, None) {
        Ok(new) => {
            uc::update_unit(
                state.store.as_ref(),
                state.clock.as_ref(),
                &auth.actor,
                id,
                &new,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/units/{id}"))),
        Err(e) => render_form(&state, &auth, form, form_errors(e)?, Some(id)).await,
    }
}

async fn export(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    xuncha_core::policy::scope(&auth.actor, Action::ExportRegistry)?;
    let bytes =
        crate::pages::import::units_xlsx(state.store.as_ref(), &auth.actor, &q.filter()).await?;
    Ok(crate::pages::import::xlsx_response(
        bytes,
        t("export.units_file"),
    ))
}
