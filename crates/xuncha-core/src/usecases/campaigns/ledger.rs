//! Importing paper visit ledgers (走访台账): every row is checked first —
//! the village, the household (by ID number, else the head's name within
//! the village), the day, the cadre (a member of the village's team), who
//! was met, the demand — and any problem refuses the whole file, named by
//! row and column. A good file is stored visit by visit exactly as
//! `work::record_visit` stores one (counters, days, demands with their
//! deadline), each under a key derived from the row, so importing the same
//! ledger again stores nothing twice; the visits are then credited to the
//! cadres who went. The office imports for every village, a team's leader
//! (组长) for the team's villages.

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::auth::Actor;
use crate::campaign::followup::NewFollowup;
use crate::campaign::visit::{AreaRef, VisitResult};
use crate::campaign::visit_ledger::{cell_error, ledger_rows, LedgerRow, VISIT_LEDGER_FIELDS};
use crate::campaign::{
    CampaignKind, CampaignTeam, FollowupKind, Household, NewRecord, RecordData, TargetLevel,
};
use crate::clock::Clock;
use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::import::{map_fields, RawTable};
use crate::inspection::workdays::{add_days, iso, parse_iso};
use crate::policy;
use crate::store::Store;
use crate::usecases::import::finish;
use crate::usecases::meta;
use crate::usecases::rounds::plan::today;

use super::{ensure_active, hidden_targets, load, Loaded};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerReport {
    /// Visits stored.
    pub visits: usize,
    /// Rows stored already by an earlier import of the same ledger.
    pub already: usize,
    /// Demands raised.
    pub demands: usize,
    /// Headers that matched no column (ignored, unless a question's).
    pub unmapped_headers: Vec<String>,
}

/// The team whose villages the actor may import for (`None`: every
/// village), or `Forbidden`.
pub async fn scope(
    store: &dyn Store,
    actor: &Actor,
    l: &Loaded,
) -> Result<(Option<i64>, Vec<CampaignTeam>), CoreError> {
    let teams = store.campaign_teams(l.campaign.id).await?;
    let duty = teams
        .iter()
        .flat_map(|t| &t.members)
        .find(|m| m.user_id == actor.user_id)
        .map(|m| m.duty.as_str());
    let team = policy::campaign_ledger_scope(&l.access, duty)?;
    Ok((team, teams))
}

/// The key of a row: the same visit imported twice is stored once.
fn row_key(campaign_id: i64, household_id: i64, r: &LedgerRow) -> String {
    let mut h = Sha256::new();
    for part in [
        campaign_id.to_string(),
        household_id.to_string(),
        r.day.clone(),
        r.cadre.clone(),
        r.met.clone(),
        r.note.clone(),
    ] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    if let Some(d) = &r.demand {
        h.update(format!("{}\u{1f}{}\u{1f}{}", d.category, d.content, d.department).as_bytes());
    }
    format!("ledger-{}", &hex::encode(h.finalize())[..40])
}

/// Imports a ledger; see the module's description.
pub async fn import_visits(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    table: &RawTable,
) -> Result<LedgerReport, CoreError> {
    let l = load(store, actor, id).await?;
    let (only_team, teams) = scope(store, actor, &l).await?;
    ensure_active(&l.campaign)?;
    let campaign = &l.campaign;
    if campaign.kind != CampaignKind::Visit {
        return Err(CoreError::invalid(
            "file",
            t("error.campaign_households_kind"),
        ));
    }
    if table.rows.is_empty() {
        return Err(CoreError::invalid("file", t("import.no_rows")));
    }
    let mapping = map_fields(VISIT_LEDGER_FIELDS, &table.headers).map_err(CoreError::Invalid)?;
    let targets = store.campaign_targets(id, None).await?;
    let hidden = hidden_targets(store, actor, &targets).await?;
    let by_id: HashMap<i64, _> = targets.iter().map(|t| (t.id, t)).collect();
    // A recused village is not offered: its rows read as an unknown village.
    let areas: Vec<AreaRef> = targets
        .iter()
        .filter(|t| t.level == TargetLevel::Village && !hidden.contains(&t.id))
        .map(|t| AreaRef {
            id: t.id,
            village: t.name.clone(),
            township: t
                .parent_id
                .and_then(|p| by_id.get(&p))
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    if areas.is_empty() {
        return Err(CoreError::invalid("file", t("error.campaign_no_villages")));
    }
    let day = today(clock);
    let (rows, mut errors) = ledger_rows(table, &mapping, &areas, &campaign.spec.categories, &day);
    // Answers to the campaign's questions, where the ledger has a column
    // headed by the question; the others read as not recorded on paper.
    let question_cols: Vec<Option<usize>> = campaign
        .spec
        .questions
        .iter()
        .map(|q| table.headers.iter().position(|h| h.trim() == q.trim()))
        .collect();
    let mut found: Vec<(&LedgerRow, Household, i64, Option<i64>)> = Vec::new();
    for r in &rows {
        let Some(raw) = table.rows.iter().find(|x| x.line == r.line) else {
            continue;
        };
        let err = |field: &str, message: String| cell_error(table, &mapping, raw, field, message);
        let area = by_id.get(&r.area_id).copied();
        let team = area.and_then(|a| a.team_id);
        if only_team.is_some() && team != only_team {
            errors.push(err(
                "village",
                tf("error.ledger_village_team", &[("name", &r.village)]),
            ));
            continue;
        }
        let vars = [
            ("village", r.village.as_str()),
            ("name", r.head_name.as_str()),
        ];
        let household = match &r.id_number {
            Some(n) => {
                let hs = store
                    .find_households(id, None, Some(r.area_id), n, 2)
                    .await?;
                match hs
                    .into_iter()
                    .find(|h| h.id_number.as_deref() == Some(n.as_str()))
                {
                    Some(h) => Some(h),
                    None => {
                        errors.push(err("id_number", tf("error.ledger_household_id", &vars)));
                        None
                    }
                }
            }
            None => {
                let hs = store
                    .find_households(id, None, Some(r.area_id), &r.head_name, 50)
                    .await?;
                let mut same: Vec<Household> = hs
                    .into_iter()
                    .filter(|h| h.head_name == r.head_name)
                    .collect();
                match same.len() {
                    1 => same.pop(),
                    0 => {
                        errors.push(err("head_name", tf("error.ledger_household", &vars)));
                        None
                    }
                    _ => {
                        errors.push(err("head_name", tf("error.ledger_household_many", &vars)));
                        None
                    }
                }
            }
        };
        let cadre = teams
            .iter()
            .filter(|t| Some(t.id) == team)
            .flat_map(|t| &t.members)
            .find(|m| m.username == r.cadre || m.display_name == r.cadre)
            .map(|m| m.user_id);
        if cadre.is_none() {
            errors.push(err(
                "visit_cadre",
                tf(
                    "error.ledger_cadre",
                    &[("name", r.cadre.as_str()), ("village", r.village.as_str())],
                ),
            ));
        }
        if let (Some(h), Some(c)) = (household, cadre) {
            found.push((r, h, c, team));
        }
    }
    errors.sort_by_key(|e: &FieldError| e.row);
    finish(Vec::<()>::new(), errors)?;

    let mut report = LedgerReport {
        unmapped_headers: mapping
            .unmapped
            .iter()
            .filter(|h| !campaign.spec.questions.iter().any(|q| q.trim() == h.trim()))
            .cloned()
            .collect(),
        ..LedgerReport::default()
    };
    let m = meta(actor, clock);
    let mut credits: BTreeMap<i64, i64> = BTreeMap::new();
    for (r, h, cadre, team) in found {
        let raw = table.rows.iter().find(|x| x.line == r.line);
        let answers = question_cols
            .iter()
            .map(|c| {
                c.and_then(|i| raw.and_then(|x| x.cells.get(i)))
                    .map(|s| s.trim().to_owned())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| t("campaign.ledger_no_answer").to_owned())
            })
            .collect();
        let deadline = parse_iso(&r.day)
            .map(|d| iso(add_days(d, campaign.spec.followup_days)))
            .unwrap_or_else(|| r.day.clone());
        let followups = r
            .demand
            .iter()
            .map(|d| NewFollowup {
                kind: FollowupKind::Demand,
                category: Some(d.category.clone()),
                department: (!d.department.is_empty()).then(|| d.department.clone()),
                content: d.content.clone(),
                deadline: deadline.clone(),
            })
            .collect::<Vec<_>>();
        let demands = followups.len();
        // Who went is kept with what was found: the record's author is
        // the importer, who typed the paper in.
        let note = tf(
            "campaign.ledger_note",
            &[("cadre", r.cadre.as_str()), ("note", r.note.as_str())],
        );
        let record = NewRecord {
            campaign_id: id,
            target_id: r.area_id,
            household_id: Some(h.id),
            team_id: team,
            day: r.day.clone(),
            score: None,
            data: RecordData::Visit(VisitResult {
                head_name: h.head_name.clone(),
                answers,
                met: r.met.clone(),
                note,
                position: None,
            }),
            photos: Vec::new(),
            client_key: row_key(id, h.id, r),
            items: Vec::new(),
            followups,
        };
        let (_, created) = store.add_campaign_record(&record, &m).await?;
        if created {
            report.visits += 1;
            report.demands += demands;
            *credits.entry(cadre).or_default() += 1;
            *credits.entry(actor.user_id).or_default() -= 1;
        } else {
            report.already += 1;
        }
    }
    let credits: Vec<(i64, i64)> = credits.into_iter().filter(|(_, n)| *n != 0).collect();
    let summary = serde_json::json!({
        "campaign_id": id, "rows": table.rows.len(), "visits": report.visits,
        "already": report.already, "demands": report.demands,
    });
    store
        .finish_visit_import(id, &credits, &summary, &m)
        .await?;
    Ok(report)
}
