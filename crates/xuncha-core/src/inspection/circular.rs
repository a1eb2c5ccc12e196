//! The circular (通报) of a round: every number computed from the records,
//! never typed in.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::fieldwork::{FieldworkEntry, Method};
use super::paper::{Clue, PaperStatus, WorkingPaper};
use super::record::{Rec, RecordKind, StoredRecord};
use super::rectification::{AccountAction, Accountability, RectItem, RectStatus};
use super::transfer::{Disposal, Receiver, Transfer};
use super::Target;
use crate::error::StoreError;
use crate::registry::PostRank;

/// The figures of a round's circular.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Circular {
    /// Units inspected.
    pub units: i64,
    /// Problems found (approved working papers).
    pub problems: i64,
    /// Problems by first-level category.
    pub problems_by_category: BTreeMap<String, i64>,
    /// Clues.
    pub clues: i64,
    /// Distinct persons named in clues.
    pub clue_persons: i64,
    /// Petitions received on site.
    pub petitions: i64,
    /// Petitions by domain.
    pub petitions_by_domain: BTreeMap<String, i64>,
    /// Principal leaders talked with (distinct persons).
    pub principals_talked: i64,
    /// Deputy leaders talked with (distinct persons).
    pub deputies_talked: i64,
    /// Talks in all.
    pub talks: i64,
    /// Units criticised (通报批评).
    pub units_criticised: i64,
    /// Cadres removed (免职).
    pub cadres_removed: i64,
    /// Persons held accountable (any action against a named person).
    pub persons_accountable: i64,
    /// Discipline cases filed (transfers disposed as 立案, and 党纪立案 actions).
    pub cases_filed: i64,
    /// Reports returned by the 领导小组.
    pub reports_returned: i64,
    /// Transfers by receiver.
    pub transfers_by_receiver: BTreeMap<String, i64>,
    /// Rectification items, and how many were accepted.
    pub rect_items: i64,
    /// Accepted items.
    pub rect_accepted: i64,
    /// Items past their deadline on the day computed.
    pub rect_overdue: i64,
}

impl Circular {
    /// Computes the circular of a round from its targets and all its
    /// records, as of `today`.
    pub fn compute(
        targets: &[Target],
        records: &[StoredRecord],
        today: &str,
    ) -> Result<Circular, StoreError> {
        let mut c = Circular {
            units: targets.len() as i64,
            reports_returned: targets.iter().map(|t| t.report_returns).sum(),
            ..Circular::default()
        };
        let mut clue_people = BTreeSet::new();
        let mut principals = BTreeSet::new();
        let mut deputies = BTreeSet::new();
        let mut criticised = BTreeSet::new();
        let mut accountable = BTreeSet::new();
        for r in records {
            match r.meta.kind {
                RecordKind::Paper => {
                    let p = Rec::<WorkingPaper>::decode(r.clone())?;
                    if p.data.status == PaperStatus::Approved {
                        c.problems += 1;
                        let top = p.data.category.split('/').next().unwrap_or_default();
                        *c.problems_by_category.entry(top.to_owned()).or_default() += 1;
                    }
                }
                RecordKind::Clue => {
                    let k = Rec::<Clue>::decode(r.clone())?;
                    c.clues += 1;
                    for p in &k.data.persons {
                        clue_people.insert(person_key(p.person_id, &p.name, r.meta.unit_id));
                    }
                }
                RecordKind::Fieldwork => {
                    let f = Rec::<FieldworkEntry>::decode(r.clone())?;
                    if let Some((n, domain)) = &f.data.petitions {
                        c.petitions += n;
                        let d = if domain.is_empty() {
                            crate::i18n::t("circular.domain_unspecified")
                        } else {
                            domain
                        };
                        *c.petitions_by_domain.entry(d.to_owned()).or_default() += n;
                    }
                    if f.data.method == Method::Talk {
                        c.talks += 1;
                        if let Some(t) = &f.data.talked {
                            let key = person_key(t.person_id, &t.name, r.meta.unit_id);
                            match t.rank {
                                Some(PostRank::Principal) => {
                                    principals.insert(key);
                                }
                                Some(PostRank::Deputy) => {
                                    deputies.insert(key);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                RecordKind::Accountability => {
                    let a = Rec::<Accountability>::decode(r.clone())?;
                    match a.data.action {
                        AccountAction::Criticise => {
                            criticised.insert(r.meta.unit_id);
                        }
                        AccountAction::Removal => c.cadres_removed += 1,
                        AccountAction::DisciplineCase => c.cases_filed += 1,
                        _ => {}
                    }
                    if !a.data.person_name.is_empty() {
                        accountable.insert(person_key(
                            a.data.person_id,
                            &a.data.person_name,
                            r.meta.unit_id,
                        ));
                    }
                }
                RecordKind::Transfer => {
                    let t = Rec::<Transfer>::decode(r.clone())?;
                    *c.transfers_by_receiver
                        .entry(t.data.receiver.label().to_owned())
                        .or_default() += 1;
                    if t.data.disposal == Some(Disposal::CaseFiled)
                        && t.data.receiver == Receiver::Discipline
                    {
                        c.cases_filed += 1;
                    }
                }
                RecordKind::RectItem => {
                    let i = Rec::<RectItem>::decode(r.clone())?;
                    c.rect_items += 1;
                    if i.data.status == RectStatus::Accepted {
                        c.rect_accepted += 1;
                    }
                    if i.data.overdue(today) {
                        c.rect_overdue += 1;
                    }
                }
                // Report returns are counted on the target (they survive edits).
                RecordKind::Report
                | RecordKind::Feedback
                | RecordKind::Briefing
                | RecordKind::PrepList => {}
            }
        }
        c.clue_persons = clue_people.len() as i64;
        c.principals_talked = principals.len() as i64;
        c.deputies_talked = deputies.len() as i64;
        c.units_criticised = criticised.len() as i64;
        c.persons_accountable = accountable.len() as i64;
        Ok(c)
    }
}

/// A person counted once: by registry id, else by name within the unit.
fn person_key(id: Option<i64>, name: &str, unit_id: i64) -> String {
    match id {
        Some(id) => format!("#{id}"),
        None => format!("{unit_id}:{name}"),
    }
}

/// A team's record in a round (巡察组考核): what it found and how fast.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TeamScore {
    /// The team.
    pub team_id: i64,
    /// Its name.
    pub name: String,
    /// Units it inspected.
    pub targets: i64,
    /// Working papers written.
    pub papers: i64,
    /// Of them approved (problems found).
    pub problems: i64,
    /// Clues.
    pub clues: i64,
    /// Clues and papers transferred.
    pub transferred: i64,
    /// Transfers that became discipline cases.
    pub cases: i64,
    /// Reports returned by the 领导小组.
    pub returns: i64,
    /// Targets whose feedback was given by the round's end date (timeliness).
    pub on_time: i64,
}

/// Scores each team of a round from its targets' records.
pub fn team_scores(
    teams: &[super::Team],
    targets: &[Target],
    records: &[StoredRecord],
    round_end: Option<&str>,
) -> Result<Vec<TeamScore>, StoreError> {
    let mut out: Vec<TeamScore> = teams
        .iter()
        .map(|t| TeamScore {
            team_id: t.id,
            name: t.name.clone(),
            ..TeamScore::default()
        })
        .collect();
    let team_of = |target_id: i64| {
        targets
            .iter()
            .find(|t| t.id == target_id)
            .and_then(|t| t.team_id)
    };
    for t in targets {
        if let Some(s) = out.iter_mut().find(|s| Some(s.team_id) == t.team_id) {
            s.targets += 1;
            s.returns += t.report_returns;
            let in_time = match (t.feedback_date.as_deref(), round_end) {
                (Some(f), Some(end)) => f <= end,
                _ => false,
            };
            s.on_time += i64::from(in_time);
        }
    }
    for r in records {
        let Some(s) =
            team_of(r.meta.target_id).and_then(|id| out.iter_mut().find(|s| s.team_id == id))
        else {
            continue;
        };
        match r.meta.kind {
            RecordKind::Paper => {
                s.papers += 1;
                if r.meta.status == PaperStatus::Approved.as_str() {
                    s.problems += 1;
                }
            }
            RecordKind::Clue => s.clues += 1,
            RecordKind::Transfer => {
                s.transferred += 1;
                let t = Rec::<Transfer>::decode(r.clone())?;
                if t.data.disposal == Some(Disposal::CaseFiled) {
                    s.cases += 1;
                }
            }
            _ => {}
        }
    }
    Ok(out)
}
