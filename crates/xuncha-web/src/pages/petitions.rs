//! Petitions (信访): the register with its deadlines and supervisions,
//! registration (with the duplicate check), one petition with its history,
//! lifecycle steps and supervisions (督办, see `petition_supervision`), and
//! the sealed identity revealed on request (audited).

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::i18n::t;
use xuncha_core::intake::petition::{Category, Channel, Event, Outcome, Satisfaction};
use xuncha_core::intake::register::{Identity, Petition, PetitionInput};
use xuncha_core::intake::supervision::{self, Level, ReplyKind, Supervision};
use xuncha_core::policy::{role_allows, Action};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::usecases::petitions::Show;
use xuncha_core::usecases::{petitions as uc, registry, settings, supervisions};
use xuncha_core::CoreError;

use super::rounds::{field, id_field, Sticky};
use super::{see_other, unit_choices};
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Pager, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/petitions", get(list_page).post(register))
        .route("/petitions/export.xlsx", get(export))
        .route("/petitions/{id}", get(detail))
        .route("/petitions/{id}/notice.docx", get(notice))
        .route("/petitions/{id}/step", post(step))
}

type Values = HashMap<String, String>;

#[derive(Template)]
#[template(path = "petitions.html")]
struct ListPage {
    shell: Shell,
    page: Page<Petition>,
    pager: Pager,
    today: String,
    can_handle: bool,
    show: Show,
    /// Petitions of the page with a supervision unanswered past its deadline.
    supervision_late: HashSet<i64>,
    /// Petitions of the page under supervision (any state).
    supervised: HashSet<i64>,
    units: Vec<(i64, String)>,
    channels: Vec<(&'static str, &'static str)>,
    categories: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
}

impl ListPage {
    fn late(&self, p: &Petition) -> bool {
        p.overdue(&self.today)
    }
    fn supervision_late(&self, p: &Petition) -> bool {
        self.supervision_late.contains(&p.id)
    }
    fn supervised(&self, p: &Petition) -> bool {
        self.supervised.contains(&p.id)
    }
    fn showing(&self, which: &str) -> bool {
        matches!(
            (self.show, which),
            (Show::All, "all")
                | (Show::Overdue, "overdue")
                | (Show::SupervisionOverdue, "supervision")
        )
    }
}

#[derive(serde::Deserialize, Default)]
struct ListQuery {
    page: Option<u32>,
    /// `1`: petitions past a statutory deadline (kept for old links).
    overdue: Option<String>,
    /// `overdue` or `supervision` (a supervision unanswered past its deadline).
    show: Option<String>,
}

impl ListQuery {
    fn show(&self) -> Show {
        match (&self.show, &self.overdue) {
            (Some(s), _) => Show::parse(s),
            (None, Some(_)) => Show::Overdue,
            (None, None) => Show::All,
        }
    }
}

async fn render_list(
    state: &AppState,
    auth: &Auth,
    q: ListQuery,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let c = state.clock.as_ref();
    let req = PageRequest::new(q.page, Some(50));
    let show = q.show();
    let page = uc::list(s, c, &auth.actor, None, show, req).await?;
    let today = xuncha_core::usecases::rounds::plan::today(c);
    let mut supervision_late = HashSet::new();
    let mut supervised = HashSet::new();
    for (id, list) in supervisions::of_petitions(s, &page.items).await? {
        supervised.insert(id);
        if list.iter().any(|x| x.overdue(&today)) {
            supervision_late.insert(id);
        }
    }
    let can_handle = role_allows(auth.actor.role, Action::HandlePetitions);
    let units = if can_handle {
        unit_choices(&registry::unit_tree(s, &auth.actor).await?)
    } else {
        Vec::new()
    };
    let params = match show {
        Show::All => Vec::new(),
        Show::Overdue => vec![("show", "overdue".to_owned())],
        Show::SupervisionOverdue => vec![("show", "supervision".to_owned())],
    };
    let failed = sticky.failed_any();
    super::rounds::answer(
        html(&ListPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/petitions",
                t("petitions.title"),
            ),
            pager: Pager::new("/petitions", &params, req.page, req.per_page, page.total),
            page,
            today,
            can_handle,
            show,
            supervision_late,
            supervised,
            units,
            channels: Channel::ALL
                .iter()
                .map(|x| (x.as_str(), x.label()))
                .collect(),
            categories: Category::ALL
                .iter()
                .map(|x| (x.as_str(), x.label()))
                .collect(),
            sticky,
        }),
        failed,
    )
}

async fn list_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    render_list(&state, &auth, q, Sticky::default()).await
}

fn input(f: &Values) -> PetitionInput {
    PetitionInput {
        channel: field(f, "channel"),
        category: field(f, "category"),
        domain: field(f, "domain"),
        title: field(f, "title"),
        content: field(f, "content"),
        persons: field(f, "persons"),
        date: field(f, "date"),
        name: field(f, "name"),
        contact: field(f, "contact"),
        representatives: field(f, "representatives"),
    }
}

/// Registers a petition; a team registering on site comes from its
/// workspace (`back`) and returns there.
async fn register(
    State(state): State<AppState>,
    auth: Auth,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let back = field(&f, "back");
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match uc::register(s, c, &auth.actor, id_field(&f, "unit_id"), &input(&f)).await {
        Ok(p) if back.starts_with("/targets/") => {
            Ok(see_other(&format!("{back}#petitions-{}", p.id)))
        }
        Ok(p) => Ok(see_other(&format!("/petitions/{}", p.id))),
        Err(CoreError::Invalid(v)) if back.starts_with("/targets/") => {
            let target = id_field(&f, "target_id").unwrap_or(0);
            super::rounds::work::render(&state, &auth, target, Sticky::failed("petition", f, v))
                .await
        }
        Err(CoreError::Invalid(v)) => {
            render_list(
                &state,
                &auth,
                ListQuery::default(),
                Sticky::failed("register", f, v),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "petition.html")]
struct DetailPage {
    shell: Shell,
    p: Petition,
    identity: Option<Option<Identity>>,
    can_handle: bool,
    can_reveal: bool,
    due: Option<(String, String)>,
    window: Option<String>,
    outcomes: Vec<(&'static str, &'static str)>,
    ratings: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
    today: String,
    supervisions: Vec<Supervision>,
    /// The actor supervises this petition (the office in its jurisdiction).
    can_supervise: bool,
    /// Its state allows a new supervision.
    supervisable: bool,
    levels: Vec<(&'static str, &'static str)>,
    reply_kinds: Vec<(&'static str, &'static str)>,
}

impl DetailPage {
    /// A supervision form's typed value (`op` is `reply` or `close`).
    fn sv(&self, op: &str, sid: &i64, field: &str) -> String {
        self.sticky
            .v(&super::petition_supervision::form_name(op, *sid), field)
    }
    /// A supervision form's error.
    fn sv_err(&self, op: &str, sid: &i64, field: &str) -> String {
        self.sticky
            .err(&super::petition_supervision::form_name(op, *sid), field)
    }
    /// Whether a supervision form failed (its messages shown beside it).
    fn sv_failed(&self, op: &str, sid: &i64) -> bool {
        self.sticky
            .has(&super::petition_supervision::form_name(op, *sid))
    }
    fn sv_all(&self, op: &str, sid: &i64) -> Vec<String> {
        self.sticky
            .all(&super::petition_supervision::form_name(op, *sid))
    }
}

#[derive(serde::Deserialize, Default)]
struct DetailQuery {
    reveal: Option<String>,
}

/// The petition page, with the form that failed (if any) kept.
pub(super) async fn render_detail(
    state: &AppState,
    auth: &Auth,
    id: i64,
    reveal: bool,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let p = uc::get(s, &auth.actor, id).await?;
    let can_reveal = role_allows(auth.actor.role, Action::ViewPetitionerIdentity) && !p.anonymous;
    let identity = if reveal && can_reveal {
        Some(uc::reveal_identity(s, c, &auth.actor, id).await?)
    } else {
        None
    };
    let cal = settings::calendar(s).await?;
    let due = p
        .lifecycle
        .due(&cal)
        .map(|d| (t(d.what).to_owned(), d.date));
    let window = p.lifecycle.review_window(&cal);
    let supervisions = supervisions::of_petition(s, &auth.actor, id).await?;
    let can_supervise = xuncha_core::policy::check(
        &auth.actor,
        Action::SupervisePetitions,
        p.unit_path.as_deref(),
    )
    .is_ok();
    let title = p.title.clone();
    let failed = sticky.failed_any();
    super::rounds::answer(
        html(&DetailPage {
            shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/petitions", &title),
            can_handle: xuncha_core::policy::check_handle_petition(
                &auth.actor,
                p.lifecycle.category == Category::Accusation,
                p.unit_path.as_deref(),
            )
            .is_ok(),
            can_reveal,
            identity,
            due,
            window,
            outcomes: Outcome::ALL
                .iter()
                .map(|x| (x.as_str(), x.label()))
                .collect(),
            ratings: Satisfaction::ALL
                .iter()
                .map(|x| (x.as_str(), x.label()))
                .collect(),
            today: xuncha_core::usecases::rounds::plan::today(c),
            supervisions,
            can_supervise,
            supervisable: supervision::supervisable(p.lifecycle.status),
            levels: Level::ALL.iter().map(|x| (x.as_str(), x.label())).collect(),
            reply_kinds: ReplyKind::ALL
                .iter()
                .map(|x| (x.as_str(), x.label()))
                .collect(),
            p,
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

async fn step(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let reason = field(&f, "reason");
    let op = field(&f, "op");
    let event = match op.as_str() {
        "forward" => Some(Event::Forward(field(&f, "to"))),
        "object" => Some(Event::Object(reason)),
        "accept" => Some(Event::Accept),
        "not-accept" => Some(Event::NotAccept(reason)),
        "extend" => field(&f, "days")
            .trim()
            .parse()
            .ok()
            .map(|d| Event::Extend(d, reason)),
        "reply" => {
            Outcome::parse(&field(&f, "outcome")).map(|o| Event::Reply(o, field(&f, "text")))
        }
        "request-review" => Some(Event::RequestReview),
        "hearing" => field(&f, "days").trim().parse().ok().map(Event::Hearing),
        "close" => Some(Event::Close),
        "rate" => Satisfaction::parse(&field(&f, "rating")).map(Event::Rate),
        _ => None,
    };
    let Some(event) = event else {
        let err = vec![xuncha_core::FieldError::field(
            "op",
            t("error.petition_step"),
        )];
        return render_detail(&state, &auth, id, false, Sticky::failed(&op, f, err)).await;
    };
    match uc::step(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        id,
        event,
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/petitions/{id}"))),
        Err(CoreError::Invalid(v)) => {
            render_detail(&state, &auth, id, false, Sticky::failed(&op, f, v)).await
        }
        Err(CoreError::Conflict(m)) => {
            let v = vec![xuncha_core::FieldError::field("form", m)];
            render_detail(&state, &auth, id, false, Sticky::failed(&op, f, v)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The petition register in scope as .xlsx (no petitioner).
async fn export(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let mut all = Vec::new();
    let mut page = 1;
    loop {
        let p = uc::list(
            s,
            c,
            &auth.actor,
            None,
            Show::All,
            PageRequest::new(Some(page), Some(500)),
        )
        .await?;
        let n = p.items.len();
        all.extend(p.items);
        if n < 500 {
            break;
        }
        page += 1;
    }
    all.reverse();
    let supervised = supervisions::of_petitions(s, &all).await?;
    let today = xuncha_core::usecases::rounds::plan::today(c);
    let sheet = xuncha_office::petitions::petitions_sheet(&all, &supervised, &today);
    let bytes = xuncha_office::write_xlsx(&[sheet])
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(super::import::xlsx_response(
        bytes,
        t("petitions.register_sheet"),
    ))
}

/// The written notice of acceptance to the petitioner (.docx); it names the
/// petitioner, so only the handlers print it, and the view is audited.
async fn notice(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let p = uc::get(s, &auth.actor, id).await?;
    if !role_allows(auth.actor.role, Action::HandlePetitions) {
        return Err(AppError::Forbidden);
    }
    let identity = if p.anonymous {
        None
    } else {
        uc::reveal_identity(s, c, &auth.actor, id).await?
    };
    let county = xuncha_core::usecases::settings::effective(s)
        .await?
        .get("county.name");
    let doc = xuncha_office::petitions::acceptance_notice(
        &p,
        identity.as_ref().map(|i| i.name.as_str()),
        &xuncha_core::i18n::tf("petitions.notice_signature", &[("county", &county)]),
        &xuncha_core::usecases::rounds::plan::today(c),
    );
    let bytes = xuncha_office::docx::write_docx(&doc)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("docx: {e}")))?;
    let disposition = format!(
        "attachment; filename=\"notice.docx\"; filename*=UTF-8''{}",
        crate::render::urlencode(&format!("{}.docx", t("petitions.notice_title")))
    );
    Ok(axum::response::IntoResponse::into_response((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )))
}
