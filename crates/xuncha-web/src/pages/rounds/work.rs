//! The team's workspace on one unit: briefings, fieldwork, working papers,
//! clues, the report, feedback and transfers.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Form, Router};
use xuncha_core::inspection::fieldwork::{FieldworkInput, Method};
use xuncha_core::inspection::paper::{ClueGrade, PaperInput, PaperSource, PaperStep};
use xuncha_core::inspection::prepare::{BriefingInput, BriefingSource};
use xuncha_core::inspection::record::{Rec, RecordKind};
use xuncha_core::inspection::report::{FeedbackInput, Report, ReportKind, ReportStatus};
use xuncha_core::inspection::transfer::{propose, Receiver, Transfer};
use xuncha_core::inspection::TeamRole;
use xuncha_core::registry::PageRequest;
use xuncha_core::usecases::registry;
use xuncha_core::usecases::rounds::outcome::{self, TransferInput};
use xuncha_core::usecases::rounds::work::{self, ClueInput, Workspace};
use xuncha_core::CoreError;

use super::{field, id_field, Sticky};
use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::see_other;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/targets/{id}", get(target_page))
        .route("/records/{id}", get(record_page))
        .route("/targets/{id}/briefings", post(add_briefing))
        .route("/targets/{id}/lists", post(save_list))
        .route("/targets/{id}/fieldwork", post(add_fieldwork))
        .route("/targets/{id}/papers", post(create_paper))
        .route("/targets/{id}/clues", post(create_clue))
        .route("/targets/{id}/report", post(compose_report))
        .route("/targets/{id}/feedback", post(give_feedback))
        .route("/targets/{id}/declare", post(declare))
        .route("/targets/{id}/records/{rid}/{op}", post(record_op))
        .route("/targets/{id}/evidence/{rid}", post(evidence))
}

type Values = HashMap<String, String>;

#[derive(Template)]
#[template(path = "target.html")]
struct TargetPage {
    shell: Shell,
    ws: Workspace,
    reports: Vec<Rec<Report>>,
    transfers: Vec<Rec<Transfer>>,
    categories: Vec<String>,
    methods: Vec<(&'static str, &'static str)>,
    sources: Vec<(&'static str, &'static str)>,
    grades: Vec<(&'static str, &'static str)>,
    briefing_sources: Vec<(&'static str, &'static str)>,
    receivers: Vec<(&'static str, &'static str)>,
    list_kinds: Vec<(&'static str, &'static str)>,
    departments: Vec<(i64, String)>,
    sticky: Sticky,
}

impl TargetPage {
    /// The prepared list of a kind as textarea text.
    fn list_text(&self, kind: &str) -> String {
        if self.sticky.form == format!("list-{kind}") {
            return self.sticky.v(&format!("list-{kind}"), "text");
        }
        self.ws
            .lists
            .iter()
            .find(|l| l.data.list.as_str() == kind)
            .map(|l| l.data.items.join("\n"))
            .unwrap_or_default()
    }
    fn is_leader(&self) -> bool {
        self.ws.my_role == Some(TeamRole::Leader)
    }
    fn reviews(&self) -> bool {
        matches!(self.ws.my_role, Some(TeamRole::Leader | TeamRole::Deputy))
    }
    /// The receiver the rule proposes for a paper category or a clue.
    fn proposal(&self, kind: &str, category: &str) -> &'static str {
        let k = if kind == "clue" {
            RecordKind::Clue
        } else {
            RecordKind::Paper
        };
        propose(k, category).label()
    }
    fn transferred(&self, id: &i64) -> bool {
        self.transfers.iter().any(|t| t.data.item.id == *id)
    }
    fn method_label(&self, m: &Method) -> &'static str {
        m.label()
    }
}

pub(crate) async fn render(
    state: &AppState,
    auth: &Auth,
    id: i64,
    sticky: Sticky,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let ws = work::workspace(s, &auth.actor, id).await?;
    let reports = outcome_records::<Report>(state, auth, id).await?;
    let transfers = outcome_records::<Transfer>(state, auth, id).await?;
    let departments = if ws.can_edit {
        let units = registry::unit_tree(s, &auth.actor)
            .await
            .unwrap_or_default();
        crate::pages::unit_choices(&units)
    } else {
        Vec::new()
    };
    let title = ws.target.unit_name.clone();
    let failed = sticky.failed_any();
    super::answer(
        html(&TargetPage {
            shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/rounds", &title),
            categories: work::categories(s).await?,
            methods: Method::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            sources: PaperSource::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            grades: ClueGrade::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            briefing_sources: BriefingSource::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            receivers: Receiver::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            list_kinds: xuncha_core::inspection::prepare::ListKind::ALL
                .iter()
                .map(|m| (m.as_str(), m.label()))
                .collect(),
            departments,
            ws,
            reports,
            transfers,
            sticky,
        }),
        failed,
    )
}

/// The records of one kind on the target, as the workspace reads them.
async fn outcome_records<T: xuncha_core::inspection::record::RecordData>(
    state: &AppState,
    auth: &Auth,
    target_id: i64,
) -> Result<Vec<Rec<T>>, AppError> {
    let target = state
        .store
        .get_target(target_id)
        .await
        .map_err(CoreError::from)?;
    let page = outcome::ledger(
        state.store.as_ref(),
        &auth.actor,
        Some(target.round_id),
        T::KIND,
        PageRequest::new(Some(1), Some(500)),
    )
    .await?;
    page.items
        .into_iter()
        .filter(|r| r.meta.target_id == target_id)
        .map(|r| Rec::decode(r).map_err(|e| AppError::from(CoreError::from(e))))
        .collect()
}

/// A record found by search: redirects to the page that shows it.
async fn record_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (kind, target) = work::locate_record(state.store.as_ref(), &auth.actor, id).await?;
    let to = match kind {
        RecordKind::RectItem | RecordKind::Feedback | RecordKind::Accountability => {
            format!("/targets/{target}/rectification#rec-{id}")
        }
        RecordKind::Transfer => format!("/targets/{target}#rec-{id}"),
        _ => format!("/targets/{target}#rec-{id}"),
    };
    Ok(see_other(&to))
}

async fn target_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render(&state, &auth, id, Sticky::default()).await
}

/// Runs a change on the target; back to the workspace (with any warnings as
/// a notice), or the workspace again with the form's errors.
async fn change<F, Fut>(
    state: &AppState,
    auth: &Auth,
    id: i64,
    form: &str,
    values: Values,
    run: F,
) -> Result<Response, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>, CoreError>>,
{
    auth.check_csrf(&field(&values, "csrf"))?;
    match run().await {
        Ok(warnings) if warnings.is_empty() => Ok(see_other(&format!("/targets/{id}#{form}"))),
        Ok(warnings) => {
            let sticky = Sticky {
                notice: warnings,
                ..Sticky::default()
            };
            render(state, auth, id, sticky).await
        }
        Err(CoreError::Invalid(v)) => {
            render(state, auth, id, Sticky::failed(form, values, v)).await
        }
        Err(CoreError::Conflict(m)) => {
            let err = vec![xuncha_core::FieldError::field("form", m)];
            render(state, auth, id, Sticky::failed(form, values, err)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn add_briefing(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let input = BriefingInput {
        source: field(&f, "source"),
        requested: field(&f, "requested"),
        received: field(&f, "received"),
        content: field(&f, "content"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, "briefing", f.clone(), || async {
        work::add_briefing(s, c, &auth.actor, id, &input)
            .await
            .map(|_| Vec::new())
    })
    .await
}

async fn save_list(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (list, text) = (field(&f, "list"), field(&f, "text"));
    let form = format!("list-{list}");
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, &form, f.clone(), || async {
        work::save_list(s, c, &auth.actor, id, &list, &text)
            .await
            .map(|_| Vec::new())
    })
    .await
}

async fn add_fieldwork(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let input = FieldworkInput {
        method: field(&f, "method"),
        date: field(&f, "date"),
        place: field(&f, "place"),
        participants: field(&f, "participants"),
        notes: field(&f, "notes"),
        talked_name: field(&f, "talked_name"),
        petition_count: field(&f, "petition_count"),
        petition_domain: field(&f, "petition_domain"),
        undercover: f.get("undercover").cloned(),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, "fieldwork", f.clone(), || async {
        work::add_fieldwork(s, c, &auth.actor, id, &input)
            .await
            .map(|(_, w)| w)
    })
    .await
}

fn paper_input(f: &Values) -> PaperInput {
    PaperInput {
        category: field(f, "category"),
        source: field(f, "source"),
        summary: field(f, "summary"),
        facts: field(f, "facts"),
        basis: field(f, "basis"),
    }
}

async fn create_paper(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let input = paper_input(&f);
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, "paper", f.clone(), || async {
        work::create_paper(s, c, &auth.actor, id, &input)
            .await
            .map(|_| Vec::new())
    })
    .await
}

async fn create_clue(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let input = ClueInput {
        title: field(&f, "title"),
        summary: field(&f, "summary"),
        grade: field(&f, "grade"),
        persons: field(&f, "persons"),
        paper_id: id_field(&f, "paper_id"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, "clue", f.clone(), || async {
        work::create_clue(s, c, &auth.actor, id, &input)
            .await
            .map(|_| Vec::new())
    })
    .await
}

async fn compose_report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let kind = ReportKind::parse(&field(&f, "kind")).unwrap_or(ReportKind::Final);
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, "report", f.clone(), || async {
        outcome::compose_report(s, c, &auth.actor, id, kind)
            .await
            .map(|_| Vec::new())
    })
    .await
}

async fn give_feedback(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let input = FeedbackInput {
        opinion: field(&f, "opinion"),
        principal_date: field(&f, "principal_date"),
        team_date: field(&f, "team_date"),
        receipt_by: field(&f, "receipt_by"),
        receipt_date: field(&f, "receipt_date"),
    };
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    change(&state, &auth, id, "feedback", f.clone(), || async {
        outcome::give_feedback(s, c, &auth.actor, id, &input)
            .await
            .map(|_| Vec::new())
    })
    .await
}

async fn declare(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    auth.check_csrf(&field(&f, "csrf"))?;
    let reason = field(&f, "reason");
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match xuncha_core::usecases::rounds::plan::declare_conflict(s, c, &auth.actor, id, &reason)
        .await
    {
        // The unit is now hidden from the declarant: back to the round list.
        Ok(()) => Ok(see_other("/rounds")),
        Err(CoreError::Invalid(v)) => {
            render(&state, &auth, id, Sticky::failed("declare", f, v)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The steps on one record of the workspace: sign-off of a paper, approval
/// of an undercover visit, the report's edit and submission, a transfer.
async fn record_op(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, rid, op)): Path<(i64, i64, String)>,
    Form(f): Form<Values>,
) -> Result<Response, AppError> {
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let a = &auth.actor;
    let form = format!("rec-{rid}");
    let reason = field(&f, "reason");
    change(&state, &auth, id, &form, f.clone(), || async {
        match op.as_str() {
            "sign" => work::paper_step(s, c, a, rid, PaperStep::Sign).await,
            "review" => work::paper_step(s, c, a, rid, PaperStep::Review).await,
            "approve" => work::paper_step(s, c, a, rid, PaperStep::Approve).await,
            "return" => work::paper_step(s, c, a, rid, PaperStep::Return(reason)).await,
            "edit" => work::edit_paper(s, c, a, rid, &paper_input(&f)).await,
            "approve-visit" => work::approve_undercover(s, c, a, rid).await,
            "report-edit" => outcome::edit_report(s, c, a, rid, &field(&f, "body")).await,
            "report-submit" => outcome::submit_report(s, c, a, rid).await,
            "transfer" => {
                let input = TransferInput {
                    record_id: rid,
                    receiver: field(&f, "receiver"),
                    receiver_unit_id: id_field(&f, "receiver_unit_id"),
                    change_reason: field(&f, "change_reason"),
                };
                outcome::transfer(s, c, a, &input).await.map(|_| ())
            }
            _ => Err(CoreError::NotFound),
        }
        .map(|_| Vec::new())
    })
    .await
}

/// Attaches an uploaded file to a working paper (the team) or to a
/// rectification item (the unit), then back to the page that shows it.
async fn evidence(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, rid)): Path<(i64, i64)>,
    mp: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let up = crate::pages::import::read_multipart(mp).await?;
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let target = s.get_target(id).await.map_err(CoreError::from)?;
    let stored = s.get_record(rid).await.map_err(CoreError::from)?;
    if stored.meta.target_id != id {
        return Err(AppError::NotFound);
    }
    let unit = Some((target.unit_id, target.unit_path.as_str()));
    let form = format!("rec-{rid}");
    let stored_upload = crate::pages::files::store_upload(&state, &auth, &up, unit).await;
    let result = match stored_upload {
        Ok(meta) => match stored.meta.kind {
            RecordKind::Paper => {
                work::add_paper_evidence(s, c, &auth.actor, rid, &meta.sha256).await
            }
            RecordKind::RectItem => {
                outcome::add_rect_evidence(
                    s,
                    c,
                    &auth.actor,
                    rid,
                    &meta.sha256,
                    &meta.original_name,
                )
                .await
            }
            _ => Err(CoreError::NotFound),
        },
        Err(AppError::Invalid(v)) => Err(CoreError::Invalid(v)),
        Err(e) => return Err(e),
    };
    let back = if stored.meta.kind == RecordKind::RectItem {
        format!("/targets/{id}/rectification#{form}")
    } else {
        format!("/targets/{id}#{form}")
    };
    match result {
        Ok(()) => Ok(see_other(&back)),
        Err(CoreError::Invalid(v)) if stored.meta.kind == RecordKind::Paper => {
            render(&state, &auth, id, Sticky::failed(&form, HashMap::new(), v)).await
        }
        Err(CoreError::Invalid(v)) => Err(AppError::Invalid(v)),
        Err(e) => Err(e.into()),
    }
}

/// Whether a report may still be edited (for the template).
pub fn report_open(r: &Report) -> bool {
    matches!(r.status, ReportStatus::Draft | ReportStatus::Returned)
}
