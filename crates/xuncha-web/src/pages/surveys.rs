//! Surveys for staff: the list, the builder (from a template or typed), one
//! survey with its status, codes and preview, code slips (.docx), keying in
//! paper sheets, and the results (page, .xlsx, .docx).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::i18n::t;
use xuncha_core::inspection::Target;
use xuncha_core::policy::{self, Action};
use xuncha_core::survey::{Survey, SurveyInput, SurveyKind, SurveyStatus};
use xuncha_core::usecases::surveys as uc;
use xuncha_core::{CoreError, FieldError};

use super::rounds::Sticky;
use super::see_other;
use super::survey_view::AnswerForm;
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{download, html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(create))
        .route("/surveys/new", get(new_page))
        .route("/surveys/{id}", get(detail))
        .route("/surveys/{id}/edit", post(edit))
        .route("/surveys/{id}/status", post(status))
        .route("/surveys/{id}/codes", post(codes))
        .route("/surveys/{id}/key", get(key_page).post(key_in))
        .merge(super::survey_results::router())
}

type Values = HashMap<String, String>;

/// The targets of rounds the actor may plan surveys for.
async fn targets(state: &AppState, auth: &Auth) -> Result<Vec<Target>, AppError> {
    let Ok(scope) = policy::scope(&auth.actor, Action::ManageSurveys) else {
        return Ok(Vec::new());
    };
    Ok(state.store.targets_in(&scope).await?)
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    SurveyKind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label()))
        .collect()
}

#[derive(Template)]
#[template(path = "surveys.html")]
struct ListPage {
    shell: Shell,
    surveys: Vec<Survey>,
    can_manage: bool,
    kinds: Vec<(&'static str, &'static str)>,
    targets: Vec<Target>,
}

async fn list(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let surveys = uc::list(state.store.as_ref(), &auth.actor).await?;
    let can_manage = policy::role_allows(auth.actor.role, Action::ManageSurveys);
    html(&ListPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/surveys",
            t("surveys.title"),
        ),
        surveys,
        can_manage,
        kinds: kinds(),
        targets: targets(&state, &auth).await?,
    })
}

#[derive(Template)]
#[template(path = "survey_form.html")]
struct BuilderPage {
    shell: Shell,
    action: String,
    input: SurveyInput,
    version: i64,
    errors: Vec<FieldError>,
    scales: Vec<String>,
    kinds: Vec<(&'static str, &'static str)>,
    schemes: Vec<(&'static str, &'static str)>,
    targets: Vec<Target>,
}

impl BuilderPage {
    fn err(&self, f: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == f)
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("；")
    }
    fn is_target(&self, id: &i64) -> bool {
        self.input.target_id == Some(*id)
    }
}

async fn builder(
    state: &AppState,
    auth: &Auth,
    action: String,
    input: SurveyInput,
    version: i64,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    super::rounds::answer(
        html(&BuilderPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/surveys",
                t("surveys.new"),
            ),
            action,
            input,
            version,
            errors,
            scales: uc::scales(state.store.as_ref()).await?,
            kinds: kinds(),
            schemes: ["share", "coefficients", "points"]
                .into_iter()
                .map(|x| (x, super::label_of("survey_scheme", x)))
                .collect(),
            targets: targets(state, auth).await?,
        }),
        failed,
    )
}

#[derive(serde::Deserialize)]
struct NewQuery {
    #[serde(default)]
    kind: String,
    target_id: Option<String>,
    /// A checklist campaign whose residents are asked (宿舍住宿人员问卷).
    campaign: Option<String>,
}

async fn new_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    policy::scope(&auth.actor, Action::ManageSurveys)?;
    let kind = SurveyKind::parse(&q.kind).unwrap_or(SurveyKind::Evaluation);
    let target = q.target_id.as_deref().and_then(super::opt_id);
    let mut input = uc::template(state.store.as_ref(), kind, target).await?;
    if let Some(id) = q.campaign.as_deref().and_then(super::opt_id) {
        let l =
            xuncha_core::usecases::campaigns::load(state.store.as_ref(), &auth.actor, id).await?;
        let (title, questions) = xuncha_core::usecases::campaigns::resident_survey(&l.campaign);
        input.kind = SurveyKind::Questionnaire.as_str().to_owned();
        input.title = title;
        input.questions = questions;
        input.subjects.clear();
    }
    builder(&state, &auth, "/surveys".into(), input, 0, Vec::new()).await
}

fn input_of(v: &Values) -> SurveyInput {
    let get = |k: &str| v.get(k).cloned().unwrap_or_default();
    SurveyInput {
        kind: get("kind"),
        title: get("title"),
        intro: get("intro"),
        subjects: get("subjects"),
        scale: get("scale"),
        scheme: get("scheme"),
        values: get("values"),
        questions: get("questions"),
        target_id: v.get("target_id").and_then(|s| super::opt_id(s)),
    }
}

async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let input = input_of(&v);
    match uc::create(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        &input,
    )
    .await
    {
        Ok(s) => Ok(see_other(&format!("/surveys/{}", s.id))),
        Err(CoreError::Invalid(e)) => builder(&state, &auth, "/surveys".into(), input, 0, e).await,
        Err(e) => Err(e.into()),
    }
}

async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let input = input_of(&v);
    let version = v.get("version").and_then(|x| x.parse().ok()).unwrap_or(0);
    let s = state.store.as_ref();
    match uc::edit(s, state.clock.as_ref(), &auth.actor, id, version, &input).await {
        Ok(_) => Ok(see_other(&format!("/surveys/{id}"))),
        Err(CoreError::Invalid(e)) => {
            builder(
                &state,
                &auth,
                format!("/surveys/{id}/edit"),
                input,
                version,
                e,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "survey.html")]
struct DetailPage {
    shell: Shell,
    survey: Survey,
    can_manage: bool,
    ans: AnswerForm,
    questions_text: String,
    sticky: Sticky,
}

/// The builder's text of a stored form (for editing a draft).
fn questions_text(s: &Survey) -> String {
    use xuncha_core::survey::QuestionKind;
    s.form
        .questions
        .iter()
        .map(|q| {
            let (head, opts) = match &q.kind {
                QuestionKind::Rate => ("评价", String::new()),
                QuestionKind::Single { options } => ("单选", format!("｜{}", options.join("/"))),
                QuestionKind::Multi { options } => ("多选", format!("｜{}", options.join("/"))),
                QuestionKind::Text => ("填空", String::new()),
            };
            let mut line = format!("{head}：{}{opts}", q.text);
            if q.weight != 1.0 {
                line.push_str(&format!("（权重{}）", q.weight));
            }
            let default_required = q.kind != QuestionKind::Text;
            if q.required != default_required && !q.required {
                line.push_str("（选答）");
            }
            if let Some(c) = &q.show_if {
                let opt = s
                    .form
                    .questions
                    .get(c.question)
                    .map(|p| s.form.options(p))
                    .and_then(|o| o.get(c.option))
                    .cloned()
                    .unwrap_or_default();
                line.push_str(&format!("（第{}题选“{opt}”时）", c.question + 1));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn render_detail(
    state: &AppState,
    auth: &Auth,
    id: i64,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let survey = uc::get(state.store.as_ref(), &auth.actor, id).await?;
    let can_manage =
        policy::check(&auth.actor, Action::ManageSurveys, Some(&survey.unit_path)).is_ok();
    let failed = sticky.failed_any();
    super::rounds::answer(
        html(&DetailPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/surveys",
                &survey.form.title,
            ),
            ans: AnswerForm::new(&survey.form, &HashMap::new(), &[]),
            questions_text: questions_text(&survey),
            can_manage,
            survey,
            sticky,
        }),
        failed,
    )
}

async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_detail(&state, &auth, id, Sticky::default()).await
}

async fn status(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let to = SurveyStatus::parse(v.get("to").map(String::as_str).unwrap_or_default())
        .ok_or(AppError::NotFound)?;
    let s = state.store.as_ref();
    match uc::set_status(s, state.clock.as_ref(), &auth.actor, id, to).await {
        Ok(_) => Ok(see_other(&format!("/surveys/{id}"))),
        Err(CoreError::Invalid(e)) => {
            render_detail(&state, &auth, id, Sticky::failed("status", v, e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) const DOCX: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Issues codes and answers with their slips at once: the codes exist in
/// plain text only in this document.
async fn codes(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let n = v
        .get("count")
        .and_then(|x| x.trim().parse::<usize>().ok())
        .unwrap_or(0);
    let s = state.store.as_ref();
    let (survey, plain) = match uc::issue_codes(s, state.clock.as_ref(), &auth.actor, id, n).await {
        Ok(x) => x,
        Err(CoreError::Invalid(e)) => {
            return render_detail(&state, &auth, id, Sticky::failed("codes", v, e)).await
        }
        Err(e) => return Err(e.into()),
    };
    let base = super::public_base(&state, &headers).await?;
    let slips: Vec<(String, String)> = plain
        .iter()
        .map(|c| {
            (
                xuncha_core::survey::show_code(c),
                format!("{base}/s/{}", xuncha_core::survey::show_code(c)),
            )
        })
        .collect();
    let doc = xuncha_office::surveys::slips_document(&survey, &slips);
    let bytes = xuncha_office::docx::write_docx(&doc).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        DOCX,
        "slips.docx",
        &format!("{}-{}.docx", survey.form.title, t("surveys.slips")),
    ))
}

#[derive(Template)]
#[template(path = "survey_key.html")]
struct KeyPage {
    shell: Shell,
    survey: Survey,
    ans: AnswerForm,
    code: String,
    code_error: String,
    saved: bool,
}

#[derive(serde::Deserialize, Default)]
struct KeyQuery {
    saved: Option<String>,
}

async fn render_key(
    state: &AppState,
    auth: &Auth,
    id: i64,
    values: &Values,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Response, AppError> {
    let survey = uc::get(state.store.as_ref(), &auth.actor, id).await?;
    policy::check(&auth.actor, Action::ManageSurveys, Some(&survey.unit_path))?;
    let failed = !errors.is_empty();
    super::rounds::answer(
        html(&KeyPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/surveys",
                t("surveys.key"),
            ),
            ans: AnswerForm::new(&survey.form, values, &errors),
            code: values.get("code").cloned().unwrap_or_default(),
            code_error: errors
                .iter()
                .filter(|e| e.field == "code")
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("；"),
            survey,
            saved,
        }),
        failed,
    )
}

async fn key_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<KeyQuery>,
) -> Result<Response, AppError> {
    render_key(
        &state,
        &auth,
        id,
        &Values::new(),
        Vec::new(),
        q.saved.is_some(),
    )
    .await
}

async fn key_in(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(v): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&super::rounds::field(&v, "csrf"))?;
    let code = v.get("code").cloned().unwrap_or_default();
    let s = state.store.as_ref();
    match uc::key_in(s, state.clock.as_ref(), &auth.actor, id, &code, &v).await {
        Ok(()) => Ok(see_other(&format!("/surveys/{id}/key?saved=1"))),
        Err(CoreError::Invalid(e)) => render_key(&state, &auth, id, &v, e, false).await,
        Err(e) => Err(e.into()),
    }
}
