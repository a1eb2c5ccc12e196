//! The work on a campaign's targets: a room rated against the checklist
//! (with hazards and confiscated items), a household visited (with its
//! demands), an item returned against a guarantee, a follow-up handled, and
//! a demand turned into a petition.

use crate::auth::Actor;
use crate::campaign::checklist::{rate, RoomRecordInput};
use crate::campaign::custody::{ItemReturn, NewConfiscation, ReturnInput};
use crate::campaign::followup::{FollowupUpdate, NewFollowup};
use crate::campaign::{
    CampaignKind, Confiscation, Followup, FollowupKind, ItemStatus, NewRecord, RecordData,
    VisitInput,
};
use crate::clock::Clock;
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::inspection::workdays::{add_days, iso, parse_iso};
use crate::intake::register::PetitionInput;
use crate::store::Store;

use super::{ensure_active, ensure_not_recused, load, Loaded};
use crate::usecases::meta;
use crate::usecases::rounds::plan::today;

/// Most photos per record.
pub const MAX_PHOTOS: usize = 9;

/// The day of the work: as typed, else today; never in the future.
fn work_day(raw: &str, clock: &dyn Clock) -> Result<String, CoreError> {
    let today = today(clock);
    match raw.trim() {
        "" => Ok(today),
        s => match parse_iso(s) {
            Some(d) if iso(d) <= today => Ok(iso(d)),
            _ => Err(CoreError::invalid("day", t("error.campaign_day"))),
        },
    }
}

fn deadline(day: &str, days: i64) -> String {
    parse_iso(day)
        .map(|d| iso(add_days(d, days)))
        .unwrap_or_else(|| day.to_owned())
}

fn client_key(raw: &str) -> Result<String, CoreError> {
    let k = raw.trim();
    if k.len() < 8 || k.len() > 64 || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(CoreError::invalid(
            "client_key",
            t("error.campaign_client_key"),
        ));
    }
    Ok(k.to_owned())
}

/// Every problem of a field form at once — its key's, its day's, its
/// body's and those found before — or the three values when there are none.
fn all_or_problems<T>(
    key: Result<String, CoreError>,
    day: Result<String, CoreError>,
    body: Result<T, Vec<FieldError>>,
    mut errors: Vec<FieldError>,
) -> Result<(String, String, T), CoreError> {
    match (key, day, body) {
        (Ok(k), Ok(d), Ok(b)) if errors.is_empty() => Ok((k, d, b)),
        (k, d, b) => {
            for e in [k.err(), d.err()].into_iter().flatten() {
                match e {
                    CoreError::Invalid(mut v) => errors.append(&mut v),
                    other => return Err(other),
                }
            }
            if let Err(mut v) = b {
                errors.append(&mut v);
            }
            Err(CoreError::Invalid(errors))
        }
    }
}

/// Records the inspection of a room (or unit checked as a whole). Returns
/// the record's id, and `false` when the same form had been stored already
/// (a re-send after a lost answer).
pub async fn record_room(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target_id: i64,
    input: &RoomRecordInput,
    photos: Vec<String>,
) -> Result<(i64, bool), CoreError> {
    let target = store.get_campaign_target(target_id).await?;
    let Loaded { campaign, access } = load(store, actor, target.campaign_id).await?;
    if !access.may_see(target.team_id) {
        return Err(CoreError::NotFound);
    }
    ensure_not_recused(store, actor, &target).await?;
    if !access.may_record(target.team_id) {
        return Err(CoreError::Forbidden);
    }
    ensure_active(&campaign)?;
    if campaign.kind != CampaignKind::Checklist || !target.level.is_leaf() {
        return Err(CoreError::NotFound);
    }
    let mut errors = Vec::new();
    let key = client_key(&input.client_key);
    let day = work_day(&input.day, clock);
    let rated = rate(&campaign.spec.checklist, input);
    let mut items: Vec<NewConfiscation> = Vec::new();
    for (i, item) in input.items.iter().enumerate() {
        if item.is_blank() {
            continue;
        }
        match item.parse(i) {
            Ok(x) => items.push(x),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if photos.len() > MAX_PHOTOS {
        errors.push(FieldError::field("photos", t("error.campaign_photos_many")));
    }
    let (key, day, (result, score)) = all_or_problems(key, day, rated, errors)?;
    let due = deadline(&day, campaign.spec.followup_days);
    let followups = result
        .hazards
        .iter()
        .map(|h| NewFollowup {
            kind: FollowupKind::Hazard,
            category: None,
            department: None,
            content: h.clone(),
            deadline: due.clone(),
        })
        .collect();
    let record = NewRecord {
        campaign_id: campaign.id,
        target_id,
        household_id: None,
        team_id: target.team_id,
        day,
        score,
        data: RecordData::Room(result),
        photos,
        client_key: key,
        items,
        followups,
    };
    Ok(store
        .add_campaign_record(&record, &meta(actor, clock))
        .await?)
}

/// Records a household visit with the demands raised.
pub async fn record_visit(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    household_id: i64,
    input: &VisitInput,
    photos: Vec<String>,
) -> Result<(i64, bool), CoreError> {
    let household = store.get_household(household_id).await?;
    let area = store.get_campaign_target(household.area_id).await?;
    let Loaded { campaign, access } = load(store, actor, household.campaign_id).await?;
    if !access.may_see(area.team_id) {
        return Err(CoreError::NotFound);
    }
    ensure_not_recused(store, actor, &area).await?;
    if !access.may_record(area.team_id) {
        return Err(CoreError::Forbidden);
    }
    ensure_active(&campaign)?;
    let mut errors = Vec::new();
    let key = client_key(&input.client_key);
    let day = work_day(&input.day, clock);
    let parsed = input.parse(
        &campaign.spec.questions,
        &campaign.spec.categories,
        &household.head_name,
    );
    if photos.len() > MAX_PHOTOS {
        errors.push(FieldError::field("photos", t("error.campaign_photos_many")));
    }
    let (key, day, (result, demands)) = all_or_problems(key, day, parsed, errors)?;
    let due = deadline(&day, campaign.spec.followup_days);
    let followups = demands
        .into_iter()
        .map(|d| NewFollowup {
            kind: FollowupKind::Demand,
            category: Some(d.category),
            department: (!d.department.is_empty()).then_some(d.department),
            content: d.content,
            deadline: due.clone(),
        })
        .collect();
    let record = NewRecord {
        campaign_id: campaign.id,
        target_id: area.id,
        household_id: Some(household.id),
        team_id: area.team_id,
        day,
        score: None,
        data: RecordData::Visit(result),
        photos,
        client_key: key,
        items: Vec::new(),
        followups,
    };
    Ok(store
        .add_campaign_record(&record, &meta(actor, clock))
        .await?)
}

/// One confiscated item the actor may see, with the campaign's access.
pub async fn item(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(Confiscation, Loaded, Option<i64>), CoreError> {
    let (item, team) = store.get_campaign_item(id).await?;
    let l = load(store, actor, item.campaign_id).await?;
    if !l.access.may_see(team) {
        return Err(CoreError::NotFound);
    }
    let target = store.get_campaign_target(item.target_id).await?;
    ensure_not_recused(store, actor, &target).await?;
    Ok((item, l, team))
}

/// Returns a confiscated item against a guarantee (text, or a scan or
/// signature stored as `file`).
pub async fn return_item(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &ReturnInput,
    file: Option<String>,
) -> Result<Confiscation, CoreError> {
    let (item, l, team) = item(store, actor, id).await?;
    if !l.access.may_record(team) {
        return Err(CoreError::Forbidden);
    }
    if item.status == ItemStatus::Returned {
        return Err(CoreError::Conflict(t("error.custody_returned").to_owned()));
    }
    let version = input.version.trim().parse::<i64>().unwrap_or(item.version);
    let (guarantee, returned_to) = input.parse(file.clone()).map_err(CoreError::Invalid)?;
    let ret = ItemReturn {
        guarantee,
        guarantee_file: file,
        returned_to,
        returned_by: actor.display_name.clone(),
        returned_on: today(clock),
    };
    Ok(store
        .return_campaign_item(id, version, &ret, &meta(actor, clock))
        .await?)
}

/// One follow-up the actor may see.
pub async fn followup(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<(Followup, Loaded), CoreError> {
    let f = store.get_followup(id).await?;
    let l = load(store, actor, f.campaign_id).await?;
    if !l.access.may_see(f.team_id) {
        return Err(CoreError::NotFound);
    }
    let target = store.get_campaign_target(f.target_id).await?;
    ensure_not_recused(store, actor, &target).await?;
    Ok((f, l))
}

/// Moves a hazard or demand on (taken up, dealt with, satisfaction).
pub async fn update_followup(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    input: &FollowupUpdate,
) -> Result<Followup, CoreError> {
    let (f, l) = followup(store, actor, id).await?;
    if !l.access.may_record(f.team_id) {
        return Err(CoreError::Forbidden);
    }
    let change = input.parse(f.kind).map_err(CoreError::Invalid)?;
    let version = input.version.trim().parse::<i64>().unwrap_or(f.version);
    Ok(store
        .update_followup(id, version, &change, &meta(actor, clock))
        .await?)
}

/// Registers a demand as a petition (申诉求决类, channel 走访收集) about the
/// village's registry unit, and links the two. Only those who register
/// petitions may (the office).
pub async fn demand_to_petition(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
) -> Result<i64, CoreError> {
    let (f, l) = followup(store, actor, id).await?;
    if f.kind != FollowupKind::Demand {
        return Err(CoreError::NotFound);
    }
    if let Some(p) = f.petition_id {
        return Ok(p);
    }
    let area = store.get_campaign_target(f.target_id).await?;
    let household = match f.household_id {
        Some(h) => Some(store.get_household(h).await?),
        None => None,
    };
    let form = PetitionInput {
        channel: crate::intake::petition::Channel::FieldVisit.as_str().into(),
        category: crate::intake::petition::Category::Appeal.as_str().into(),
        title: format!(
            "{}：{}",
            f.category.clone().unwrap_or_default(),
            f.content.chars().take(20).collect::<String>()
        ),
        content: format!("{}（{}，{}）", f.content, l.campaign.title, f.place),
        date: today(clock),
        name: household
            .as_ref()
            .map(|h| h.head_name.clone())
            .unwrap_or_default(),
        contact: household
            .as_ref()
            .map(|h| {
                if h.phone.is_empty() {
                    h.address.clone()
                } else {
                    h.phone.clone()
                }
            })
            .unwrap_or_default(),
        ..PetitionInput::default()
    };
    let p = crate::usecases::petitions::register(
        store,
        clock,
        actor,
        area.unit_id.or(Some(l.campaign.unit_id)),
        &form,
    )
    .await?;
    store
        .link_followup_petition(id, p.id, &meta(actor, clock))
        .await?;
    Ok(p.id)
}
