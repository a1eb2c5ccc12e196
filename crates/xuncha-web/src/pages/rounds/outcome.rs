//! After fieldwork: reports awaiting the 领导小组, the transfer inbox of the
//! receiving bodies, rectification, and the circular with its exports.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::i18n::t;
use xuncha_core::inspection::record::{Rec, RecordKind};
use xuncha_core::inspection::rectification::{AccountAction, RectItemInput, RectKind, RectRating};
use xuncha_core::inspection::report::Report;
use xuncha_core::inspection::transfer::{Disposal, FourForms, Transfer};
use xuncha_core::policy::{role_allows, Action};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::usecases::rounds::outcome::{
    self, AccountabilityInput, CircularView, Rectification,
};
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::CoreError;

use super::{field, id_field, Sticky};
use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::see_other;
use crate::render::{html, Pager, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(reports_page))
        .route("/reports/{rid}/decide", post(decide_report))
        .route("/transfers", get(transfers_page))
        .route("/transfers/{rid}/{op}", post(transfer_op))
        .route("/rectification", get(rect_list))
        .route("/targets/{id}/rectification", get(rect_page))
        .route("/targets/{id}/rectification/{op}", post(rect_op))
        .route("/rounds/{id}/circular", get(circular_page))
        .route("/rounds/{id}/circular.docx", get(circular_docx))
        .route("/rounds/{id}/ledger/{kind}", get(ledger_xlsx))
}

type Values = HashMap<String, String>;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    shell: Shell,
    reports: Vec<Rec<Report>>,
    names: HashMap<i64, String>,
    sticky: Sticky,
}

async fn render_reports(
    state: &AppState,
    auth: &Auth,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let reports = outcome::reports_to_decide(state.store.as_ref(), &auth.actor).await?;
    let mut names = HashMap::new();
    for r in &reports {
        let tg = state
            .store
            .get_target(r.meta.target_id)
            .await
            .map_err(CoreError::from)?;
        names.insert(r.meta.id, tg.unit_name);
    }
    let failed = sticky.failed_any();
    super::answer(
        html(&ReportsPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/reports",
                t("reports.title"),
            ),
            reports,
            names,
            sticky,
        }),
        failed,
    )
}

async fn reports_page(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    render_reports(&state, &auth, Sticky::default()).await
}

async fn decide_report(
    State(state): State<AppState>,
    auth: Auth,
    Path(rid): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let approve = field(&f, "decision") == "approve";
    let reason = field(&f, "reason");
    match outcome::decide_report(
        state.store.as_ref(),
        state.clock.as_ref(),
        &auth.actor,
        rid,
        approve,
        &reason,
    )
    .await
    {
        Ok(()) => Ok(see_other("/reports")),
        Err(CoreError::Invalid(v)) => {
            render_reports(&state, &auth, Sticky::failed(&format!("rec-{rid}"), f, v)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "transfers.html")]
struct TransfersPage {
    shell: Shell,
    page: Page<Rec<Transfer>>,
    pager: Pager,
    receiver: bool,
    today: String,
    disposals: Vec<(&'static str, &'static str)>,
    forms: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
}

impl TransfersPage {
    /// Feedback still due and past its day (the core's due date is none once reported).
    fn is_late(&self, x: &Transfer) -> bool {
        use xuncha_core::inspection::record::RecordData;
        x.due_date().is_some_and(|d| d < self.today)
    }
    fn late(&self, due: &str) -> String {
        super::overdue_days(&Some(due.to_owned()), &self.today)
    }
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    page: Option<u32>,
}

async fn render_transfers(
    state: &AppState,
    auth: &Auth,
    page_no: Option<u32>,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let req = PageRequest::new(page_no, Some(50));
    let page = outcome::transfers(state.store.as_ref(), &auth.actor, req).await?;
    let pager = Pager::new("/transfers", &[], req.page, req.per_page, page.total);
    let failed = sticky.failed_any();
    super::answer(
        html(&TransfersPage {
            shell: Shell::new(
                &auth.actor,
                auth.csrf.as_deref(),
                "/transfers",
                t("transfers.title"),
            ),
            pager,
            page,
            receiver: role_allows(auth.actor.role, Action::HandleTransfers),
            today: today(state.clock.as_ref()),
            disposals: Disposal::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            forms: FourForms::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            sticky,
        }),
        failed,
    )
}

async fn transfers_page(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    render_transfers(&state, &auth, q.page, Sticky::default()).await
}

async fn transfer_op(
    State(state): State<AppState>,
    auth: Auth,
    Path((rid, op)): Path<(i64, String)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let done = match op.as_str() {
        "receive" => outcome::receive_transfer(s, c, &auth.actor, rid).await,
        "report" => {
            outcome::report_transfer(
                s,
                c,
                &auth.actor,
                rid,
                &field(&f, "disposal"),
                &field(&f, "four_forms"),
                &field(&f, "feedback"),
            )
            .await
        }
        _ => Err(CoreError::NotFound),
    };
    match done {
        Ok(()) => Ok(see_other("/transfers")),
        Err(CoreError::Invalid(v)) => {
            render_transfers(
                &state,
                &auth,
                None,
                Sticky::failed(&format!("rec-{rid}"), f, v),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "rect_list.html")]
struct RectListPage {
    shell: Shell,
    rows: Vec<(
        xuncha_core::inspection::Target,
        xuncha_core::inspection::Round,
    )>,
}

async fn rect_list(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let rows = outcome::rectification_targets(state.store.as_ref(), &auth.actor).await?;
    html(&RectListPage {
        shell: Shell::new(
            &auth.actor,
            auth.csrf.as_deref(),
            "/rectification",
            t("rect.title"),
        ),
        rows,
    })
}

#[derive(Template)]
#[template(path = "rectification.html")]
struct RectPage {
    shell: Shell,
    r: Rectification,
    kinds: Vec<(&'static str, &'static str)>,
    ratings: Vec<(&'static str, &'static str)>,
    actions: Vec<(&'static str, &'static str)>,
    sticky: Sticky,
}

impl RectPage {
    /// The item is late by the core's rule (reported or accepted items are not).
    fn overdue(&self, item: &xuncha_core::inspection::rectification::RectItem) -> bool {
        item.overdue(&self.r.today)
    }
    fn overdue_days(&self, deadline: &str) -> String {
        super::overdue_days(&Some(deadline.to_owned()), &self.r.today)
    }
}

async fn render_rect(
    state: &AppState,
    auth: &Auth,
    id: i64,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let r =
        outcome::rectification(state.store.as_ref(), state.clock.as_ref(), &auth.actor, id).await?;
    let title = format!("{} · {}", r.target.unit_name, t("rect.title"));
    let failed = sticky.failed_any();
    super::answer(
        html(&RectPage {
            shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/rectification", &title),
            r,
            kinds: RectKind::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            ratings: RectRating::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            actions: AccountAction::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            sticky,
        }),
        failed,
    )
}

async fn rect_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_rect(&state, &auth, id, Sticky::default()).await
}

async fn rect_op(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, op)): Path<(i64, String)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let (s, c, a) = (state.store.as_ref(), state.clock.as_ref(), &auth.actor);
    let rid = id_field(&f, "record_id");
    let form = match rid {
        Some(r) if op != "item" => format!("rec-{r}"),
        _ => op.clone(),
    };
    let done = match op.as_str() {
        "item" => {
            let input = RectItemInput {
                problem: field(&f, "problem"),
                measures: field(&f, "measures"),
                responsible: field(&f, "responsible"),
                kind: field(&f, "kind"),
                deadline: field(&f, "deadline"),
            };
            outcome::add_rect_item(s, c, a, id, id_field(&f, "paper_id"), &input)
                .await
                .map(|_| ())
        }
        "progress" => {
            let done = f.contains_key("done");
            outcome::report_progress(
                s,
                c,
                a,
                rid.unwrap_or(0),
                &field(&f, "note"),
                Vec::new(),
                done,
            )
            .await
        }
        "verify" => {
            let accept = field(&f, "decision") == "accept";
            outcome::verify_item(s, c, a, rid.unwrap_or(0), accept, &field(&f, "reason")).await
        }
        "rate" => outcome::rate(s, c, a, id, &field(&f, "rating")).await,
        "disclose" => {
            outcome::set_disclosure(s, c, a, rid.unwrap_or(0), field(&f, "disclose") == "yes").await
        }
        "accountability" => {
            let input = AccountabilityInput {
                action: field(&f, "action"),
                person_name: field(&f, "person_name"),
                position: field(&f, "position"),
                paper_id: id_field(&f, "paper_id"),
                date: field(&f, "date"),
                note: field(&f, "note"),
            };
            outcome::add_accountability(s, c, a, id, &input)
                .await
                .map(|_| ())
        }
        _ => Err(CoreError::NotFound),
    };
    match done {
        Ok(()) => Ok(see_other(&format!("/targets/{id}/rectification"))),
        Err(CoreError::Invalid(v)) => {
            render_rect(&state, &auth, id, Sticky::failed(&form, f, v)).await
        }
        Err(CoreError::Conflict(m)) => {
            let v = vec![xuncha_core::FieldError::field("form", m)];
            render_rect(&state, &auth, id, Sticky::failed(&form, f, v)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "circular.html")]
struct CircularPage {
    shell: Shell,
    v: CircularView,
    lines: Vec<(String, i64)>,
    bars: Vec<(String, i64, u32)>,
    domains: Vec<(String, i64, u32)>,
}

/// Rows of a bar chart: label, value, bar length in the SVG's units.
fn bars(items: &std::collections::BTreeMap<String, i64>) -> Vec<(String, i64, u32)> {
    let max = items.values().copied().max().unwrap_or(0).max(1);
    items
        .iter()
        .map(|(k, v)| (k.clone(), *v, (*v * 400 / max) as u32))
        .collect()
}

async fn circular_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = outcome::circular(state.store.as_ref(), state.clock.as_ref(), &auth.actor, id).await?;
    let title = format!("{} · {}", v.round.title, t("circular.title"));
    html(&CircularPage {
        shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/rounds", &title),
        lines: xuncha_office::rounds::circular_lines(&v.circular),
        bars: bars(&v.circular.problems_by_category),
        domains: bars(&v.circular.petitions_by_domain),
        v,
    })
}

async fn circular_docx(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let v = outcome::circular(s, state.clock.as_ref(), &auth.actor, id).await?;
    let county = xuncha_core::usecases::settings::effective(s)
        .await?
        .get("county.name");
    let doc = xuncha_office::rounds::circular_document(
        &county,
        &v.round,
        &v.circular,
        &v.targets,
        &today(state.clock.as_ref()),
    );
    let bytes = xuncha_office::docx::write_docx(&doc)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("docx: {e}")))?;
    let name = format!("{}{}.docx", v.round.title, t("circular.title"));
    let disposition = format!(
        "attachment; filename=\"circular.docx\"; filename*=UTF-8''{}",
        crate::render::urlencode(&name)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// A ledger of the round as .xlsx (`paper.xlsx`, `clue.xlsx`, `transfer.xlsx`,
/// `rect-item.xlsx`), every row the actor may see, paged through the store.
async fn ledger_xlsx(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let kind = file
        .strip_suffix(".xlsx")
        .and_then(RecordKind::parse)
        .filter(|k| {
            matches!(
                k,
                RecordKind::Paper | RecordKind::Clue | RecordKind::Transfer | RecordKind::RectItem
            )
        })
        .ok_or(AppError::NotFound)?;
    let s = state.store.as_ref();
    let round = s.get_round(id).await.map_err(CoreError::from)?;
    let names: HashMap<i64, String> = s
        .targets_of(id)
        .await
        .map_err(CoreError::from)?
        .into_iter()
        .map(|t| (t.unit_id, t.unit_name))
        .collect();
    let records = outcome::ledger_all(s, &auth.actor, Some(id), kind).await?;
    let sheet = xuncha_office::rounds::ledger_sheet(kind, records, |u| {
        names.get(&u).cloned().unwrap_or_default()
    })
    .map_err(CoreError::from)?;
    let bytes = xuncha_office::write_xlsx(&[sheet])
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::pages::import::xlsx_response(
        bytes,
        &format!("{}{}", round.title, kind.label()),
    ))
}
