//! Field campaigns in the JSON API: the campaigns the caller sees, one
//! campaign's coverage and progress, a team's targets and households, a
//! household visit and a room inspection recorded (the same use cases and
//! re-send key as the phone pages), and the demands and hazards handled.
//! Photos are taken on the pages; the API records text.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use xuncha_core::campaign::checklist::RoomRecordInput;
use xuncha_core::campaign::followup::FollowupUpdate;
use xuncha_core::campaign::{
    CampaignKind, ConfiscationInput, DemandInput, Followup, FollowupKind, FollowupStatus,
    Household, VisitInput,
};
use xuncha_core::policy;
use xuncha_core::registry::PageRequest;
use xuncha_core::usecases::campaigns::lists::{self, FollowupFilter};
use xuncha_core::usecases::campaigns::{self as uc, views, work};
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::CoreError;

use super::{check_write, ApiJson};
use crate::auth::Auth;
use crate::error::AppError;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list))
        .route("/campaigns/{id}", get(coverage))
        .route("/campaigns/{id}/targets", get(targets))
        .route("/campaigns/{id}/households", get(households))
        .route("/campaigns/{id}/followups", get(followups))
        .route(
            "/campaigns/targets/{id}/inspections",
            axum::routing::post(inspect),
        )
        .route(
            "/campaigns/households/{id}/visits",
            axum::routing::post(visit),
        )
        .route(
            "/campaigns/followups/{id}",
            get(followup).post(update_followup),
        )
}

type ApiResult = Result<Response, AppError>;

fn err(e: CoreError) -> AppError {
    AppError::from(e).json()
}

fn j<T: Serialize>(v: Result<T, CoreError>) -> ApiResult {
    v.map(|v| Json(v).into_response()).map_err(err)
}

async fn list(State(s): State<AppState>, auth: Auth) -> ApiResult {
    j(uc::list(s.store.as_ref(), &auth.actor).await)
}

/// Coverage and progress: the tree as the caller may see it (with its
/// counters), each team's share, the records per day, and the registers
/// counted.
async fn coverage(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    let c = views::coverage(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id)
        .await
        .map_err(err)?;
    let plan = uc::schedule::plan_days(s.store.as_ref(), s.clock.as_ref(), id, &c.targets)
        .await
        .map_err(err)?;
    let teams = views::team_coverage(c.loaded.campaign.kind, &c.targets, &c.teams);
    let a = c.loaded.access;
    let tops = c.targets.iter().filter(|t| t.parent_id.is_none());
    let (mut leaves, mut done) = tops.fold((0, 0), |(l, d), t| (l + t.leaves, d + t.done));
    if c.loaded.campaign.kind == CampaignKind::Checklist && !a.sees_all {
        // A team sees the rooms assigned to it, not whole buildings (as the
        // campaign page counts them).
        let mine = c.targets.iter().filter(|t| t.level.is_leaf());
        (leaves, done) = mine.fold((0, 0), |(l, d), t| (l + 1, d + t.done.min(1)));
    }
    Ok(Json(json!({
        "campaign": c.loaded.campaign,
        "access": { "sees_all": a.sees_all, "manage": a.manage, "team": a.team },
        "leaves": leaves,
        "done": done,
        "teams": teams,
        "days": c.days.iter().map(|d| json!({
            "day": d.day, "team_id": d.team_id, "records": d.records, "firsts": d.firsts,
        })).collect::<Vec<_>>(),
        "open_followups": c.tally.open_followups,
        "overdue_followups": c.tally.overdue_followups,
        "held_items": c.tally.held_items,
        "plan": plan,
        "targets": c.targets,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    team: Option<i64>,
    area: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    overdue: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

impl ListQuery {
    fn page(&self) -> PageRequest {
        PageRequest::new(self.page, self.per_page)
    }
}

async fn targets(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    j(
        lists::targets(s.store.as_ref(), &auth.actor, id, q.team, q.page())
            .await
            .map(|(_, page)| page),
    )
}

/// A household with the head's ID number masked unless the caller may see
/// ID numbers in full.
fn masked(h: Household, full: bool) -> Household {
    Household {
        id_number: h.id_number_for(full),
        ..h
    }
}

async fn households(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let (_, page) = lists::households(
        s.store.as_ref(),
        &auth.actor,
        id,
        q.team,
        q.area,
        &q.q,
        q.page(),
    )
    .await
    .map_err(err)?;
    let full = policy::sees_full_id_numbers(&auth.actor);
    Ok(Json(lists::Listed {
        items: page.items.into_iter().map(|h| masked(h, full)).collect(),
        ..page
    })
    .into_response())
}

/// A follow-up with whether it is past its deadline.
#[derive(Serialize)]
struct FollowupOut {
    #[serde(flatten)]
    f: Followup,
    overdue: bool,
}

async fn followups(
    State(s): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> ApiResult {
    let day = today(s.clock.as_ref());
    let filter = FollowupFilter {
        kind: FollowupKind::parse(&q.kind),
        status: FollowupStatus::parse(&q.status),
        overdue_on: matches!(q.overdue.as_str(), "1" | "true").then(|| day.clone()),
        team: q.team,
    };
    let (_, page) = lists::followups(s.store.as_ref(), &auth.actor, id, &filter, q.page())
        .await
        .map_err(err)?;
    Ok(Json(lists::Listed {
        items: page
            .items
            .into_iter()
            .map(|f| FollowupOut {
                overdue: f.overdue(&day),
                f,
            })
            .collect(),
        page: page.page,
        per_page: page.per_page,
        has_more: page.has_more,
    })
    .into_response())
}

async fn followup(State(s): State<AppState>, auth: Auth, Path(id): Path<i64>) -> ApiResult {
    let day = today(s.clock.as_ref());
    j(work::followup(s.store.as_ref(), &auth.actor, id)
        .await
        .map(|(f, _)| FollowupOut {
            overdue: f.overdue(&day),
            f,
        }))
}

#[derive(Deserialize, Default)]
struct FollowupBody {
    #[serde(default)]
    status: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    resolution: String,
    #[serde(default)]
    satisfaction: String,
    /// The version read; a change made meanwhile answers 409.
    version: Option<i64>,
}

async fn update_followup(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<FollowupBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let input = FollowupUpdate {
        status: b.status,
        department: b.department,
        resolution: b.resolution,
        satisfaction: b.satisfaction,
        version: b.version.map(|v| v.to_string()).unwrap_or_default(),
    };
    let day = today(s.clock.as_ref());
    j(
        work::update_followup(s.store.as_ref(), s.clock.as_ref(), &auth.actor, id, &input)
            .await
            .map(|f| FollowupOut {
                overdue: f.overdue(&day),
                f,
            }),
    )
}

/// A number or a string as the form would send it (a mark, a quantity).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[derive(Deserialize, Default)]
struct ItemBody {
    #[serde(default)]
    item: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    quantity: Value,
}

#[derive(Deserialize, Default)]
struct RoomBody {
    #[serde(default)]
    client_key: String,
    #[serde(default)]
    day: String,
    /// One mark per checklist item, in the checklist's order (a score, or
    /// 1/0 for pass/fail and hazard items).
    #[serde(default)]
    marks: Vec<Value>,
    #[serde(default)]
    other_hazard: String,
    #[serde(default)]
    present: String,
    #[serde(default)]
    outsiders: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    items: Vec<ItemBody>,
}

/// The answer to a recorded form: `201` the first time, `200` when the same
/// key had been stored already (a re-send after a lost answer).
fn recorded(v: Result<(i64, bool), CoreError>) -> ApiResult {
    let (id, created) = v.map_err(err)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "record_id": id, "created": created }))).into_response())
}

async fn inspect(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RoomBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let input = RoomRecordInput {
        client_key: b.client_key,
        day: b.day,
        marks: b
            .marks
            .iter()
            .enumerate()
            .map(|(i, m)| (i, text(m)))
            .filter(|(_, m)| !m.is_empty())
            .collect(),
        other_hazard: b.other_hazard,
        present: b.present,
        outsiders: b.outsiders,
        note: b.note,
        items: b
            .items
            .iter()
            .map(|i| ConfiscationInput {
                item: i.item.clone(),
                owner: i.owner.clone(),
                quantity: text(&i.quantity),
                // A photo is a stored upload, taken on the page only: a
                // caller cannot name another record's blob.
                photo: None,
            })
            .collect(),
    };
    recorded(
        work::record_room(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            &input,
            Vec::new(),
        )
        .await,
    )
}

#[derive(Deserialize, Default)]
struct DemandBody {
    #[serde(default)]
    category: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    department: String,
}

#[derive(Deserialize, Default)]
struct VisitBody {
    #[serde(default)]
    client_key: String,
    #[serde(default)]
    day: String,
    /// One answer per question, in the campaign's order.
    #[serde(default)]
    answers: Vec<String>,
    #[serde(default)]
    met: String,
    #[serde(default)]
    note: String,
    /// The household agreed to record the position.
    #[serde(default)]
    consent: bool,
    lat: Option<f64>,
    lon: Option<f64>,
    #[serde(default)]
    demands: Vec<DemandBody>,
}

async fn visit(
    State(s): State<AppState>,
    auth: Auth,
    h: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<VisitBody>,
) -> ApiResult {
    check_write(&auth, &h)?;
    let coord = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let input = VisitInput {
        client_key: b.client_key,
        day: b.day,
        answers: b.answers.into_iter().enumerate().collect(),
        met: b.met,
        note: b.note,
        consent: b.consent,
        lat: coord(b.lat),
        lon: coord(b.lon),
        demands: b
            .demands
            .into_iter()
            .map(|d| DemandInput {
                category: d.category,
                content: d.content,
                department: d.department,
            })
            .collect(),
    };
    recorded(
        work::record_visit(
            s.store.as_ref(),
            s.clock.as_ref(),
            &auth.actor,
            id,
            &input,
            Vec::new(),
        )
        .await,
    )
}
