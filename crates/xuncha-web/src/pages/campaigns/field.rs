//! The pages teams use on their phones: their targets (rooms, or households
//! found by name or ID number), the room form (checklist, photos, hazards,
//! people present, items confiscated) and the visit form (questions, people
//! met, photos, position with consent, demands). A form carries a key, so
//! sending it again after a lost answer stores it once; `app.js` keeps an
//! unsent form on the page and in the phone until it gets through.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::campaign::checklist::{points, ItemKind, RoomRecordInput};
use xuncha_core::campaign::{
    Campaign, CampaignKind, CampaignRecord, CampaignTarget, ConfiscationInput, DemandInput,
    Followup, Household, RecordData, VisitInput,
};
use xuncha_core::i18n::t;
use xuncha_core::usecases::campaigns::{views, work};
use xuncha_core::usecases::rounds::plan::today;
use xuncha_core::{CoreError, FieldError};

use super::{client_key, read_upload, shell, store_photos, Upload, Values};
use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::see_other;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/go", get(go))
        .route("/campaigns/targets/{id}", get(room_page).post(record_room))
        .route("/campaigns/targets/{id}/photos/{rid}/{n}", get(room_photo))
        .route(
            "/campaigns/households/{id}",
            get(household_page).post(record_visit),
        )
        .route(
            "/campaigns/households/{id}/photos/{rid}/{n}",
            get(visit_photo),
        )
}

/// Rows of confiscated items on the room form.
const ITEM_ROWS: usize = 3;
/// Rows of demands on the visit form.
const DEMAND_ROWS: usize = 2;

#[derive(serde::Deserialize, Default)]
struct GoQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    saved: String,
    #[serde(default)]
    again: String,
}

#[derive(Template)]
#[template(path = "campaign_go.html")]
struct GoPage {
    shell: Shell,
    c: Campaign,
    rooms: Vec<(i64, String, i64, String, bool)>,
    villages: Vec<(i64, String)>,
    households: Vec<Household>,
    q: GoQuery,
    saved: String,
}

impl GoPage {
    fn checklist(&self) -> bool {
        self.c.kind == CampaignKind::Checklist
    }
    fn area_selected(&self, id: &i64) -> bool {
        self.q.area == id.to_string()
    }
}

async fn go(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<GoQuery>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let ov = views::coverage(s, state.clock.as_ref(), &auth.actor, id).await?;
    let access = ov.loaded.access;
    let c = ov.loaded.campaign.clone();
    let mine = |t: &&CampaignTarget| access.may_see(t.team_id);
    let places = views::Places::new(&ov.targets);
    let rooms = ov
        .targets
        .iter()
        .filter(|t| t.level.is_leaf())
        .filter(mine)
        .map(|t| {
            (
                t.id,
                places.of(t.id),
                t.parent_id.unwrap_or(0),
                t.score.map(points).unwrap_or_default(),
                t.done > 0,
            )
        })
        .collect();
    let villages = ov
        .targets
        .iter()
        .filter(|t| t.level == xuncha_core::campaign::TargetLevel::Village)
        .filter(mine)
        .map(|t| (t.id, places.of(t.id)))
        .collect();
    let households =
        if c.kind == CampaignKind::Visit && (!q.q.trim().is_empty() || !q.area.is_empty()) {
            let area = crate::pages::opt_id(&q.area);
            views::households(s, &auth.actor, id, area, &q.q).await?.1
        } else {
            Vec::new()
        };
    let saved = match (q.saved.is_empty(), q.again.is_empty()) {
        (true, _) => String::new(),
        (false, true) => t("campaign.saved").to_owned(),
        (false, false) => t("campaign.saved_before").to_owned(),
    };
    html(&GoPage {
        shell: shell(&auth, &c.title),
        rooms,
        villages,
        households,
        q,
        saved,
        c,
    })
}

/// A record as shown on the target and household pages.
struct Shown {
    id: i64,
    day: String,
    recorder: String,
    score: String,
    lines: Vec<String>,
    photos: usize,
}

fn shown(c: &Campaign, r: &CampaignRecord) -> Shown {
    let mut lines = Vec::new();
    match &r.data {
        RecordData::Room(x) => {
            if !x.failed.is_empty() {
                lines.push(format!("{}{}", t("campaign.failed"), x.failed.join("、")));
            }
            if !x.hazards.is_empty() {
                lines.push(format!("{}{}", t("campaign.hazards"), x.hazards.join("、")));
            }
            for (k, v) in [
                ("campaign.present", &x.present),
                ("campaign.outsiders", &x.outsiders),
                ("campaign.note", &x.note),
            ] {
                if !v.is_empty() {
                    lines.push(format!("{}：{v}", t(k)));
                }
            }
        }
        RecordData::Visit(x) => {
            lines.push(format!("{}：{}", t("campaign.met"), x.met));
            for (q, a) in c.spec.questions.iter().zip(&x.answers) {
                lines.push(format!("{q} {a}"));
            }
            if !x.note.is_empty() {
                lines.push(format!("{}：{}", t("campaign.note"), x.note));
            }
            if let Some((lat, lon)) = x.position {
                lines.push(format!("{}：{lat:.5}, {lon:.5}", t("campaign.position")));
            }
        }
    }
    Shown {
        id: r.id,
        day: r.day.clone(),
        recorder: r.recorder.clone(),
        score: r.score.map(points).unwrap_or_default(),
        lines,
        photos: r.photos.len(),
    }
}

#[derive(Template)]
#[template(path = "campaign_room.html")]
struct RoomPage {
    shell: Shell,
    c: Campaign,
    target: CampaignTarget,
    place: String,
    may_record: bool,
    records: Vec<Shown>,
    values: Values,
    errors: Vec<FieldError>,
    had_photos: bool,
    today: String,
}

impl RoomPage {
    fn v(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }
    fn mark_is(&self, i: &usize, value: &str) -> bool {
        self.values.get(&format!("mark_{i}")).map(String::as_str) == Some(value)
    }
    fn mark(&self, i: &usize) -> String {
        self.v(&format!("mark_{i}"))
    }
    fn err(&self, field: &str) -> String {
        crate::pages::error_of(&self.errors, field)
    }
    fn err_mark(&self, i: &usize) -> String {
        self.err(&format!("mark_{i}"))
    }
    fn kind_of(&self, i: &usize) -> &'static str {
        match self.c.spec.checklist.get(*i).map(|x| x.kind) {
            Some(ItemKind::Score { .. }) => "score",
            Some(ItemKind::Hazard) => "hazard",
            _ => "check",
        }
    }
    fn max_of(&self, i: &usize) -> u32 {
        match self.c.spec.checklist.get(*i).map(|x| x.kind) {
            Some(ItemKind::Score { max }) => max,
            _ => 0,
        }
    }
    fn item_rows(&self) -> std::ops::Range<usize> {
        0..ITEM_ROWS
    }
    fn item_v(&self, k: &str, i: &usize) -> String {
        self.v(&format!("{k}_{i}"))
    }
    fn item_err(&self, i: &usize) -> String {
        ["item", "owner", "quantity", "item_photo"]
            .iter()
            .map(|k| self.err(&format!("{k}_{i}")))
            .filter(|e| !e.is_empty())
            .collect::<Vec<_>>()
            .join("；")
    }
    fn may_record(&self) -> bool {
        self.may_record
    }
}

async fn room(
    state: &AppState,
    auth: &Auth,
    id: i64,
    values: Values,
    errors: Vec<FieldError>,
    had_photos: bool,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let (l, target, records) = views::target(s, &auth.actor, id).await?;
    if !target.level.is_leaf() {
        return Err(AppError::NotFound);
    }
    let all = s.campaign_targets(target.campaign_id, None).await?;
    let mut values = values;
    values.entry("client_key".into()).or_insert_with(client_key);
    let failed = !errors.is_empty();
    crate::pages::rounds::answer(
        html(&RoomPage {
            shell: shell(auth, &target.name),
            place: views::place(&all, id),
            records: records.iter().map(|r| shown(&l.campaign, r)).collect(),
            may_record: l.may_record(target.team_id),
            c: l.campaign,
            target,
            values,
            errors,
            had_photos,
            today: today(state.clock.as_ref()),
        }),
        failed,
    )
}

async fn room_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    room(&state, &auth, id, HashMap::new(), Vec::new(), false).await
}

fn room_input(up: &Upload, item_photos: &HashMap<usize, String>) -> RoomRecordInput {
    let marks: BTreeMap<usize, String> = up
        .fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("mark_")?.parse().ok()?, v.clone())))
        .collect();
    RoomRecordInput {
        client_key: up.get("client_key"),
        day: up.get("day"),
        marks,
        other_hazard: up.get("other_hazard"),
        present: up.get("present"),
        outsiders: up.get("outsiders"),
        note: up.get("note"),
        items: (0..ITEM_ROWS)
            .map(|i| ConfiscationInput {
                item: up.get(&format!("item_{i}")),
                owner: up.get(&format!("owner_{i}")),
                quantity: up.get(&format!("quantity_{i}")),
                photo: item_photos.get(&i).cloned(),
            })
            .collect(),
    }
}

async fn record_room(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let max = super::max_upload(&state).await?;
    let up = match read_upload(mp, max).await {
        Ok(u) => u,
        Err(e) => return room(&state, &auth, id, HashMap::new(), vec![e], true).await,
    };
    auth.check_csrf(&up.get("csrf"))?;
    let had_photos = !up.files.is_empty();
    let photos = match store_photos(&state, &up.files("photos"), "photos").await {
        Ok(p) => p,
        Err(e) => return room(&state, &auth, id, up.fields, e, had_photos).await,
    };
    let mut item_photos = HashMap::new();
    for i in 0..ITEM_ROWS {
        let name = format!("item_photo_{i}");
        match store_photos(&state, &up.files(&name), &name).await {
            Ok(p) => {
                if let Some(sha) = p.into_iter().next() {
                    item_photos.insert(i, sha);
                }
            }
            Err(e) => return room(&state, &auth, id, up.fields, e, had_photos).await,
        }
    }
    let input = room_input(&up, &item_photos);
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match work::record_room(s, c, &auth.actor, id, &input, photos).await {
        Ok((_, created)) => {
            let target = s.get_campaign_target(id).await?;
            Ok(see_other(&format!(
                "/campaigns/{}/go?saved={id}{}",
                target.campaign_id,
                if created { "" } else { "&again=1" }
            )))
        }
        Err(CoreError::Invalid(e)) => room(&state, &auth, id, up.fields, e, had_photos).await,
        Err(e) => Err(e.into()),
    }
}

async fn room_photo(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, rid, n)): Path<(i64, i64, usize)>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let (_, target, _) = views::target(s, &auth.actor, id).await?;
    let records = s
        .campaign_records(target.campaign_id, Some(id), None, None, 1000)
        .await?;
    let r = records
        .iter()
        .find(|r| r.id == rid)
        .ok_or(AppError::NotFound)?;
    let sha = r.photos.get(n).ok_or(AppError::NotFound)?;
    super::photo_response(&state, sha).await
}

#[derive(Template)]
#[template(path = "campaign_household.html")]
struct HouseholdPage {
    shell: Shell,
    c: Campaign,
    h: Household,
    may_record: bool,
    visits: Vec<Shown>,
    demands: Vec<Followup>,
    values: Values,
    errors: Vec<FieldError>,
    had_photos: bool,
    today: String,
    saved: bool,
}

impl HouseholdPage {
    fn v(&self, k: &str) -> String {
        self.values.get(k).cloned().unwrap_or_default()
    }
    fn answer(&self, i: &usize) -> String {
        self.v(&format!("answer_{i}"))
    }
    fn err(&self, field: &str) -> String {
        crate::pages::error_of(&self.errors, field)
    }
    fn err_answer(&self, i: &usize) -> String {
        self.err(&format!("answer_{i}"))
    }
    fn demand_rows(&self) -> std::ops::Range<usize> {
        0..DEMAND_ROWS
    }
    fn dv(&self, k: &str, i: &usize) -> String {
        self.v(&format!("{k}_{i}"))
    }
    fn demand_err(&self, i: &usize) -> String {
        ["category", "content", "department"]
            .iter()
            .map(|k| self.err(&format!("{k}_{i}")))
            .filter(|e| !e.is_empty())
            .collect::<Vec<_>>()
            .join("；")
    }
    fn category_selected(&self, i: &usize, c: &str) -> bool {
        self.dv("category", i) == c
    }
}

#[derive(serde::Deserialize, Default)]
struct SavedQuery {
    #[serde(default)]
    saved: String,
}

async fn household(
    state: &AppState,
    auth: &Auth,
    id: i64,
    values: Values,
    errors: Vec<FieldError>,
    had_photos: bool,
    saved: bool,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let (l, h, visits, demands) = views::household(s, &auth.actor, id).await?;
    let mut values = values;
    values.entry("client_key".into()).or_insert_with(client_key);
    let failed = !errors.is_empty();
    crate::pages::rounds::answer(
        html(&HouseholdPage {
            shell: shell(auth, &h.head_name),
            may_record: l.may_record(h.team_id),
            visits: visits.iter().map(|r| shown(&l.campaign, r)).collect(),
            c: l.campaign,
            h,
            demands,
            values,
            errors,
            had_photos,
            today: today(state.clock.as_ref()),
            saved,
        }),
        failed,
    )
}

async fn household_page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    household(
        &state,
        &auth,
        id,
        HashMap::new(),
        Vec::new(),
        false,
        !q.saved.is_empty(),
    )
    .await
}

fn visit_input(up: &Upload) -> VisitInput {
    VisitInput {
        client_key: up.get("client_key"),
        day: up.get("day"),
        answers: up
            .fields
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("answer_")?.parse().ok()?, v.clone())))
            .collect(),
        met: up.get("met"),
        note: up.get("note"),
        consent: up.get("consent") == "1",
        lat: up.get("lat"),
        lon: up.get("lon"),
        demands: (0..DEMAND_ROWS)
            .map(|i| DemandInput {
                category: up.get(&format!("category_{i}")),
                content: up.get(&format!("content_{i}")),
                department: up.get(&format!("department_{i}")),
            })
            .collect(),
    }
}

async fn record_visit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let max = super::max_upload(&state).await?;
    let up = match read_upload(mp, max).await {
        Ok(u) => u,
        Err(e) => return household(&state, &auth, id, HashMap::new(), vec![e], true, false).await,
    };
    auth.check_csrf(&up.get("csrf"))?;
    let had_photos = !up.files.is_empty();
    let photos = match store_photos(&state, &up.files("photos"), "photos").await {
        Ok(p) => p,
        Err(e) => return household(&state, &auth, id, up.fields, e, had_photos, false).await,
    };
    let input = visit_input(&up);
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    match work::record_visit(s, c, &auth.actor, id, &input, photos).await {
        Ok(_) => Ok(see_other(&format!("/campaigns/households/{id}?saved=1"))),
        Err(CoreError::Invalid(e)) => {
            household(&state, &auth, id, up.fields, e, had_photos, false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn visit_photo(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, rid, n)): Path<(i64, i64, usize)>,
) -> Result<Response, AppError> {
    let s = state.store.as_ref();
    let (_, _, visits, _) = views::household(s, &auth.actor, id).await?;
    let r = visits
        .iter()
        .find(|r| r.id == rid)
        .ok_or(AppError::NotFound)?;
    let sha = r.photos.get(n).ok_or(AppError::NotFound)?;
    super::photo_response(&state, sha).await
}
