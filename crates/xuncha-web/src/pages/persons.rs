//! Person pages: ledger with search, detail (work history, relations),
//! create and edit, export; the inspector pool.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use xuncha_core::i18n::t;
use xuncha_core::policy::{self, role_allows, Action};
use xuncha_core::registry::{
    Kinship, NewPerson, NewRelation, PageRequest, PersonFilter, PersonInput, PersonSort, Skill,
    WorkHistory,
};
use xuncha_core::usecases::registry as uc;

use super::{form_errors, opt_id, see_other, unit_choices, FormErrors};
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell, SortLinks};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/persons", get(list).post(create))
        .route("/persons/new", get(new_form))
        .route("/persons/export.xlsx", get(export))
        .route("/persons/{id}", get(detail).post(update))
        .route("/persons/{id}/edit", get(edit_form))
        .route("/persons/{id}/relations", axum::routing::post(add_relation))
        .route("/persons/{id}/work", axum::routing::post(add_work))
        .route("/inspectors", get(inspectors).post(add_inspector))
        .route("/inspectors/export.xlsx", get(export_inspectors))
        .route("/inspectors/{id}/link", axum::routing::post(link_inspector))
}

#[derive(Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub unit: String,
    /// `name`, `birth_date`, `unit`, or with `-` for descending.
    #[serde(default)]
    pub sort: String,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

impl ListQuery {
    pub(crate) fn filter(&self) -> PersonFilter {
        PersonFilter {
            q: Some(self.q.trim().to_owned()).filter(|s| !s.is_empty()),
            unit_id: opt_id(&self.unit),
            sort: PersonSort::parse(crate::render::sort_param(&self.sort).0),
            desc: crate::render::sort_param(&self.sort).1,
        }
    }
}

/// A person as a row of the ledger, already masked for the viewer.
struct Row {
    id: i64,
    name: String,
    gender: String,
    id_number: String,
    birth_date: String,
    unit_name: String,
    position: String,
}

#[derive(Template)]
#[template(path = "persons.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<Row>,
    pager: Pager,
    q: String,
    unit: String,
    unit_name: String,
    capped: bool,
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
    let filter = q.filter();
    let result = uc::list_persons(state.store.as_ref(), &auth.actor, &filter, page).await?;
    let full = policy::sees_full_id_numbers(&auth.actor);
    let unit_name = match filter.unit_id {
        Some(id) => uc::get_unit(state.store.as_ref(), &auth.actor, id)
            .await
            .map(|(u, _)| u.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let filters = [("q", q.q.clone()), ("unit", q.unit.clone())];
    let sort = SortLinks::new("/persons", &filters, &q.sort);
    let params = [
        ("q", q.q.clone()),
        ("unit", q.unit.clone()),
        ("sort", q.sort.clone()),
    ];
    html(&ListPage {
        sort,
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/persons",
            t("persons.title"),
        ),
        pager: Pager::new("/persons", &params, page.page, page.per_page, result.total),
        rows: result
            .items
            .into_iter()
            .map(|p| Row {
                id: p.id,
                gender: p.gender.map(|g| g.label().to_owned()).unwrap_or_default(),
                id_number: p.id_number_for(full).unwrap_or_default(),
                birth_date: p.birth_date.clone().unwrap_or_default(),
                unit_name: p.unit_name.clone().unwrap_or_default(),
                position: p.position.clone().unwrap_or_default(),
                name: p.name,
            })
            .collect(),
        q: q.q,
        unit: q.unit,
        unit_name,
        capped: result.total_capped,
        can_edit: role_allows(auth.actor.role, Action::EditRegistry),
        can_export: role_allows(auth.actor.role, Action::ExportRegistry),
    })
}

#[derive(Template)]
#[template(path = "person.html")]
struct DetailPage {
    shell: Shell,
    p: Row,
    p_phone: String,
    unit_id: Option<i64>,
    work: Vec<WorkHistory>,
    relations: Vec<(i64, String, &'static str, String)>,
    relations_visible: bool,
    can_edit: bool,
    rel: RelationForm,
    work_form: WorkForm,
    errors: FormErrors,
    history: Vec<xuncha_core::audit::AuditRecord>,
    kinships: Vec<(&'static str, &'static str)>,
    mentions: Vec<xuncha_core::usecases::same_person::Mention>,
    /// Rows of the cross-check lists about the person (`None`: not for this user).
    dataset_rows: Option<Vec<xuncha_core::collide::DatasetRow>>,
}

impl DetailPage {
    fn mention_kind(&self, m: &xuncha_core::usecases::same_person::Mention) -> &'static str {
        xuncha_core::i18n::t(&format!("search.type_{}", m.doc_type))
    }
    fn strong(&self, m: &xuncha_core::usecases::same_person::Mention) -> bool {
        m.strength == xuncha_core::usecases::same_person::Strength::Strong
    }
    fn line(&self, r: &xuncha_core::collide::DatasetRow) -> String {
        xuncha_core::i18n::tf("persons.dataset_row_line", &[("row", &r.row.to_string())])
    }
}

/// What was typed into the forms of the person page (kept on errors).
#[derive(Default)]
struct Extras {
    rel: RelationForm,
    work: WorkForm,
    errors: FormErrors,
}

async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_detail(&state, &auth, id, Extras::default()).await
}

async fn render_detail(
    state: &AppState,
    auth: &Auth,
    id: i64,
    extras: Extras,
) -> Result<Response, AppError> {
    let d = uc::get_person(state.store.as_ref(), &auth.actor, id).await?;
    let full = policy::sees_full_id_numbers(&auth.actor);
    let p = d.person;
    let can_edit = policy::check(&auth.actor, Action::EditRegistry, p.unit_path.as_deref()).is_ok();
    let history = uc::person_history(state.store.as_ref(), &auth.actor, &p).await?;
    let mentions =
        xuncha_core::usecases::same_person::mentions(state.store.as_ref(), &auth.actor, &p).await?;
    let dataset_rows = match &state.collide {
        Some(checks) => {
            xuncha_core::usecases::same_person::dataset_rows(
                state.store.as_ref(),
                state.clock.as_ref(),
                checks.engine.as_ref(),
                &auth.actor,
                &p,
            )
            .await?
        }
        None => None,
    };
    let relations = d
        .relations
        .iter()
        .map(|r| {
            let (oid, oname) = if r.person_a_id == id {
                (r.person_b_id, r.person_b_name.clone())
            } else {
                (r.person_a_id, r.person_a_name.clone())
            };
            (
                oid,
                oname,
                r.kind.label(),
                r.detail.clone().unwrap_or_default(),
            )
        })
        .collect();
    let invalid = !extras.errors.is_empty();
    let mut res = html(&DetailPage {
        shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/persons", &p.name),
        rel: extras.rel,
        work_form: extras.work,
        errors: extras.errors,
        history,
        kinships: Kinship::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        p_phone: p.phone.clone().unwrap_or_default(),
        unit_id: p.unit_id,
        p: Row {
            id: p.id,
            gender: p.gender.map(|g| g.label().to_owned()).unwrap_or_default(),
            id_number: p.id_number_for(full).unwrap_or_default(),
            birth_date: p.birth_date.clone().unwrap_or_default(),
            unit_name: p.unit_name.clone().unwrap_or_default(),
            position: p.position.clone().unwrap_or_default(),
            name: p.name.clone(),
        },
        work: d.work_history,
        relations,
        relations_visible: d.relations_visible,
        can_edit,
        mentions,
        dataset_rows,
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

#[derive(Deserialize, Default, Clone)]
struct RelationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    other_id_number: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    detail: String,
}

/// Prefixes field names so each form on the page shows its own errors.
fn prefixed(e: xuncha_core::CoreError, prefix: &str) -> Result<FormErrors, AppError> {
    match e {
        xuncha_core::CoreError::Invalid(v) => Ok(FormErrors::from(
            v.into_iter()
                .map(|mut f| {
                    f.field = format!("{prefix}.{}", f.field);
                    f
                })
                .collect::<Vec<_>>(),
        )),
        e => Err(e.into()),
    }
}

async fn add_relation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(form): Form<RelationForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let store = state.store.as_ref();
    let run = async {
        let other =
            uc::person_by_id_number(store, &auth.actor, "other_id_number", &form.other_id_number)
                .await?;
        let kind = Kinship::parse(&form.kind)
            .ok_or_else(|| xuncha_core::CoreError::invalid("kind", t("error.kinship")))?;
        let new = NewRelation {
            person_a_id: id,
            person_b_id: other.id,
            kind,
            detail: Some(form.detail.trim().to_owned()).filter(|d| !d.is_empty()),
        };
        uc::add_relation(store, state.clock.as_ref(), &auth.actor, &new).await
    };
    match run.await {
        Ok(_) => Ok(see_other(&format!("/persons/{id}#relations"))),
        Err(e) => {
            let errors = prefixed(e, "rel")?;
            render_detail(
                &state,
                &auth,
                id,
                Extras {
                    rel: form,
                    errors,
                    ..Default::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize, Default, Clone)]
struct WorkForm {
    #[serde(default)]
    csrf: String,
    /// The unit's name as typed.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    from_date: String,
    #[serde(default)]
    to_date: String,
}

async fn add_work(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(form): Form<WorkForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let run = async {
        let unit =
            uc::unit_by_name(state.store.as_ref(), &auth.actor, "unit_id", &form.unit).await?;
        let new = uc::parse_work_history(
            id,
            unit.map(|u| u.id),
            &form.position,
            &form.from_date,
            &form.to_date,
        )?;
        uc::add_work_history(
            state.store.as_ref(),
            state.clock.as_ref(),
            &auth.actor,
            &new,
        )
        .await
    };
    match run.await {
        Ok(_) => Ok(see_other(&format!("/persons/{id}#work"))),
        Err(e) => {
            let errors = prefixed(e, "work")?;
            render_detail(
                &state,
                &auth,
                id,
                Extras {
                    work: form,
                    errors,
                    ..Default::default()
                },
            )
            .await
        }
    }
}

#[derive(Deserialize, Default, Clone)]
struct PersonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    birth_date: String,
    /// The unit's name as typed (or `上级/名称`).
    #[serde(default)]
    unit: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    phone: String,
}

impl PersonForm {
    /// Validates the fields and resolves the unit name; every problem is reported.
    async fn parse(
        &self,
        state: &AppState,
        auth: &Auth,
    ) -> Result<NewPerson, xuncha_core::CoreError> {
        let unit = uc::unit_by_name(state.store.as_ref(), &auth.actor, "unit_id", &self.unit).await;
        let person = NewPerson::parse(
            &PersonInput {
                name: &self.name,
                id_number: &self.id_number,
                gender: &self.gender,
                birth_date: &self.birth_date,
                position: &self.position,
                phone: &self.phone,
            },
            unit.as_ref().ok().and_then(|u| u.as_ref().map(|u| u.id)),
        );
        // Merge the unit's problem with the other fields' problems.
        match (person, unit) {
            (Ok(p), Ok(_)) => Ok(p),
            (
                Err(xuncha_core::CoreError::Invalid(mut v)),
                Err(xuncha_core::CoreError::Invalid(u)),
            ) => {
                v.extend(u);
                Err(xuncha_core::CoreError::Invalid(v))
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct FormPage {
    shell: Shell,
    action: String,
    form: PersonForm,
    errors: FormErrors,
}

async fn render_form(
    auth: &Auth,
    form: PersonForm,
    errors: FormErrors,
    editing: Option<i64>,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let mut res = html(&FormPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/persons",
            if editing.is_some() {
                t("persons.edit")
            } else {
                t("persons.new")
            },
        ),
        action: editing
            .map(|id| format!("/persons/{id}"))
            .unwrap_or_else(|| "/persons".into()),
        form,
        errors,
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn new_form(auth: Auth) -> Result<Response, AppError> {
    policy::scope(&auth.actor, Action::EditRegistry)?;
    render_form(&auth, PersonForm::default(), FormErrors::default(), None).await
}

async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let result = match form.parse(&state, &auth).await {
        Ok(new) => {
            uc::create_person(
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
        Ok(p) => Ok(see_other(&format!("/persons/{}", p.id))),
        Err(e) => render_form(&auth, form, form_errors(e)?, None).await,
    }
}

async fn edit_form(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = uc::get_person(state.store.as_ref(), &auth.actor, id).await?;
    let p = d.person;
    policy::check(&auth.actor, Action::EditRegistry, p.unit_path.as_deref())?;
    let form = PersonForm {
        csrf: String::new(),
        name: p.name,
        id_number: p.id_number.unwrap_or_default(),
        gender: p.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        birth_date: p.birth_date.unwrap_or_default(),
        unit: p.unit_name.unwrap_or_default(),
        position: p.position.unwrap_or_default(),
        phone: p.phone.unwrap_or_default(),
    };
    render_form(&auth, form, FormErrors::default(), Some(id)).await
}

async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    auth.check_csrf(&form.csrf)?;
    let result = match form.parse(&state, &auth).await {
        Ok(new) => {
            uc::update_person(
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
        Ok(_) => Ok(see_other(&format!("/persons/{id}"))),
        Err(e) => render_form(&auth, form, form_errors(e)?, Some(id)).await,
    }
}

async fn export(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let bytes =
        crate::pages::import::persons_xlsx(state.store.as_ref(), &auth.actor, &q.filter()).await?;
    Ok(crate::pages::import::xlsx_response(
        bytes,
        t("export.persons_file"),
    ))
}

async fn export_inspectors(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<Response, AppError> {
    let bytes = crate::pages::import::inspectors_xlsx(state.store.as_ref(), &auth.actor).await?;
    Ok(crate::pages::import::xlsx_response(
        bytes,
        t("export.inspectors_file"),
    ))
}

#[derive(Template)]
#[template(path = "inspectors.html")]
struct InspectorsPage {
    shell: Shell,
    rows: Vec<(i64, String, String, String, i32)>,
    pool: Vec<xuncha_core::registry::Inspector>,
    accounts: Vec<(i64, String)>,
    can_plan: bool,
    can_edit: bool,
    can_export: bool,
    form: std::collections::BTreeMap<String, String>,
    errors: FormErrors,
    skills: Vec<(&'static str, &'static str)>,
    units: Vec<(i64, String)>,
}

impl InspectorsPage {
    fn typed(&self, key: &str) -> String {
        self.form.get(key).cloned().unwrap_or_default()
    }
}

async fn inspectors(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    render_inspectors(&state, &auth, Default::default(), FormErrors::default()).await
}

async fn render_inspectors(
    state: &AppState,
    auth: &Auth,
    form: std::collections::BTreeMap<String, String>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let list = uc::list_inspectors(state.store.as_ref(), &auth.actor).await?;
    let can_edit = role_allows(auth.actor.role, Action::EditRegistry);
    let units = if can_edit {
        unit_choices(&uc::unit_tree(state.store.as_ref(), &auth.actor).await?)
    } else {
        Vec::new()
    };
    let invalid = !errors.is_empty();
    let can_plan = role_allows(auth.actor.role, Action::PlanRounds);
    let accounts = if can_plan {
        xuncha_core::usecases::rounds::plan::team_accounts(state.store.as_ref(), &auth.actor)
            .await?
            .into_iter()
            .map(|u| (u.id, format!("{}（{}）", u.display_name, u.username)))
            .collect()
    } else {
        Vec::new()
    };
    let pool = list.clone();
    let mut res = html(&InspectorsPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/inspectors",
            t("inspectors.title"),
        ),
        rows: list
            .into_iter()
            .map(|i| {
                let skills: Vec<&str> = i.skills.iter().map(|s| s.label()).collect();
                (
                    i.person_id,
                    i.person_name,
                    i.source_unit_name.unwrap_or_default(),
                    skills.join("、"),
                    i.rounds_served,
                )
            })
            .collect(),
        pool,
        accounts,
        can_plan,
        can_edit,
        can_export: role_allows(auth.actor.role, Action::ExportRegistry),
        form,
        errors,
        skills: Skill::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        units,
    })?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn add_inspector(
    State(state): State<AppState>,
    auth: Auth,
    Form(form): Form<std::collections::BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    auth.check_csrf(form.get("csrf").map(String::as_str).unwrap_or_default())?;
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    let store = state.store.as_ref();
    let run = async {
        let person =
            uc::person_by_id_number(store, &auth.actor, "id_number", field("id_number")).await?;
        let skills: Vec<Skill> = Skill::ALL
            .iter()
            .copied()
            .filter(|s| form.contains_key(&format!("skill_{}", s.as_str())))
            .collect();
        let new = uc::parse_inspector(
            person.id,
            opt_id(field("source_unit_id")),
            skills,
            field("rounds_served"),
        )?;
        uc::add_inspector(store, state.clock.as_ref(), &auth.actor, &new).await
    };
    match run.await {
        Ok(_) => Ok(see_other("/inspectors")),
        Err(e) => {
            let errors = form_errors(e)?;
            render_inspectors(&state, &auth, form, errors).await
        }
    }
}

/// Links an inspector to a user account and records their home area (for
/// team assignments and recusal).
async fn link_inspector(
    State(state): State<AppState>,
    auth: Auth,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<std::collections::BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    auth.check_csrf(form.get("csrf").map(String::as_str).unwrap_or_default())?;
    let link = xuncha_core::store::InspectorLink {
        inspector_id: id,
        user_id: form.get("user_id").and_then(|v| v.trim().parse().ok()),
        home_region_code: form
            .get("home_region_code")
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty()),
    };
    match xuncha_core::usecases::rounds::plan::link_inspector(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        &link,
    )
    .await
    {
        Ok(()) => Ok(see_other("/inspectors")),
        Err(e) => render_inspectors(&state, &auth, form, form_errors(e)?).await,
    }
}
