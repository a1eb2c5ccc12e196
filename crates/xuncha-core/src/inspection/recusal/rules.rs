//! The rules about people and places: kinship, the inspector's own unit,
//! home area and declared conflicts, with the context they share.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use super::{
    Conflict, ConflictKind, Declared, KinEdge, KinScope, RecusalFacts, RecusalRules, Severity,
    TargetFacts, TargetPerson, WorkPeriod,
};
use crate::i18n::{t, tf};
use crate::inspection::workdays::{parse_iso, sub_months};
use crate::registry::Kinship;

/// What every rule reads: the facts, today's date and the chain's first step.
pub(super) struct Ctx<'a> {
    pub(super) facts: &'a RecusalFacts,
    pub(super) today: Option<Date>,
    /// The chain's first step, 「张三（巡察干部）」.
    pub(super) inspector: String,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(facts: &'a RecusalFacts) -> Self {
        Ctx {
            facts,
            today: parse_iso(&facts.today),
            inspector: tf(
                "recusal.chain_inspector",
                &[("name", facts.inspector.name.as_str())],
            ),
        }
    }

    pub(super) fn target(&self) -> &TargetFacts {
        &self.facts.target
    }

    pub(super) fn name(&self) -> &str {
        &self.facts.inspector.name
    }

    /// Whether a unit is the target or inside its subtree.
    pub(super) fn in_target(&self, unit_id: i64, path: &str) -> bool {
        let target = self.target();
        if unit_id == target.unit_id {
            return true;
        }
        match (dir_path(&target.unit_path), dir_path(path)) {
            (Some(root), Some(p)) => p.starts_with(&root),
            _ => false,
        }
    }

    /// The people in the target, once each, never the inspector.
    pub(super) fn people(&self, leaders_only: bool) -> BTreeMap<i64, &TargetPerson> {
        let mut out = BTreeMap::new();
        for p in &self.target().people {
            if p.person_id == self.facts.inspector.person_id || (leaders_only && p.rank.is_none()) {
                continue;
            }
            out.entry(p.person_id).or_insert(p);
        }
        out
    }

    /// 「李四（城关镇 党委书记）」: the person's current unit inside the
    /// target (else the target) and title (else current position).
    pub(super) fn person_node(&self, p: &TargetPerson) -> String {
        let current = p
            .work
            .iter()
            .find(|w| w.to.is_none() && self.in_target(w.unit_id, &w.unit_path));
        let unit = current.map_or(self.target().unit_name.as_str(), |w| w.unit_name.as_str());
        let title = non_empty(p.title.as_deref())
            .or_else(|| current.and_then(|w| non_empty(w.position.as_deref())));
        match title {
            Some(title) => tf(
                "recusal.chain_person_titled",
                &[("name", p.name.as_str()), ("unit", unit), ("title", title)],
            ),
            None => tf(
                "recusal.chain_person",
                &[("name", p.name.as_str()), ("unit", unit)],
            ),
        }
    }

    pub(super) fn target_node(&self) -> String {
        tf(
            "recusal.chain_target",
            &[("unit", self.target().unit_name.as_str())],
        )
    }

    /// 「被巡察单位城关镇」 or 「被巡察单位城关镇的下属单位城关镇财政所」.
    pub(super) fn place(&self, unit_id: i64, unit_name: &str) -> String {
        let target = self.target().unit_name.as_str();
        if unit_id == self.target().unit_id {
            tf("recusal.place_target", &[("target", target)])
        } else {
            tf(
                "recusal.place_sub",
                &[("target", target), ("unit", unit_name)],
            )
        }
    }

    /// A period's first and last day; the last is today while current, and
    /// never after today. `None` when a date is unreadable or missing.
    pub(super) fn span(&self, w: &WorkPeriod) -> Option<(Date, Date)> {
        let from = parse_iso(&w.from)?;
        let to = match &w.to {
            Some(s) => parse_iso(s)?,
            None => self.today?,
        };
        let to = self.today.map_or(to, |today| to.min(today));
        (from <= to).then_some((from, to))
    }
}

pub(super) fn conflict(
    severity: Severity,
    kind: ConflictKind,
    person_id: Option<i64>,
    chain: Vec<String>,
    reason: String,
) -> Conflict {
    Conflict {
        severity,
        kind,
        person_id,
        chain,
        reason,
    }
}

/// The path with exactly one trailing slash, so `/1/5` never matches `/1/50/`;
/// `None` when empty.
fn dir_path(p: &str) -> Option<String> {
    let p = p.trim().trim_end_matches('/');
    (!p.is_empty()).then(|| format!("{p}/"))
}

pub(super) fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A region code as digits only; `None` when missing or malformed.
pub(super) fn region(code: Option<&str>) -> Option<&str> {
    non_empty(code).filter(|c| c.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) fn period_node(w: &WorkPeriod) -> String {
    let to = w.to.as_deref().unwrap_or(t("recusal.now"));
    match non_empty(w.position.as_deref()) {
        Some(position) => tf(
            "recusal.chain_period_position",
            &[
                ("unit", w.unit_name.as_str()),
                ("position", position),
                ("from", w.from.as_str()),
                ("to", to),
            ],
        ),
        None => tf(
            "recusal.chain_period",
            &[
                ("unit", w.unit_name.as_str()),
                ("from", w.from.as_str()),
                ("to", to),
            ],
        ),
    }
}

/// Kin of the people in scope; the closest class when several are recorded.
pub(super) fn kinship(ctx: &Ctx, rules: &RecusalRules, out: &mut Vec<Conflict>) {
    let people = ctx.people(rules.kin_scope == KinScope::Leadership);
    let closeness = |k: Kinship| Kinship::ALL.iter().position(|x| *x == k);
    let mut closest: BTreeMap<i64, &KinEdge> = BTreeMap::new();
    for edge in &ctx.facts.kin {
        if !people.contains_key(&edge.other_person_id) {
            continue;
        }
        let entry = closest.entry(edge.other_person_id).or_insert(edge);
        if closeness(edge.kind) < closeness(entry.kind) {
            *entry = edge;
        }
    }
    for (id, edge) in closest {
        let Some(person) = people.get(&id) else {
            continue;
        };
        let label = edge.kind.label();
        let relation = match non_empty(edge.detail.as_deref()) {
            Some(detail) => tf(
                "recusal.chain_relation",
                &[("relation", label), ("detail", detail)],
            ),
            None => label.to_owned(),
        };
        let person_node = ctx.person_node(person);
        let reason = tf(
            "recusal.reason_kinship",
            &[
                ("inspector", ctx.name()),
                ("person", person_node.as_str()),
                ("relation", relation.as_str()),
            ],
        );
        out.push(conflict(
            Severity::Hard,
            ConflictKind::Kinship,
            Some(id),
            vec![ctx.inspector.clone(), relation, person_node],
            reason,
        ));
    }
}

/// The inspector's own unit: current work, or work that ended within the
/// window, in the target or its subtree. Reports one conflict (a current
/// period, else the source unit, else the latest period) and returns the
/// indices of every period it covers, which long service then leaves out.
pub(super) fn former_unit(
    ctx: &Ctx,
    rules: &RecusalRules,
    out: &mut Vec<Conflict>,
) -> BTreeSet<usize> {
    let inspector = &ctx.facts.inspector;
    let bound = ctx
        .today
        .map(|today| sub_months(today, rules.work_years.saturating_mul(12)));
    let mut covered = BTreeSet::new();
    let mut current: Option<&WorkPeriod> = None;
    let mut latest: Option<(Date, &WorkPeriod)> = None;
    for (i, w) in inspector.work.iter().enumerate() {
        if !ctx.in_target(w.unit_id, &w.unit_path) {
            continue;
        }
        match &w.to {
            None => {
                covered.insert(i);
                if current.is_none_or(|c| w.from > c.from) {
                    current = Some(w);
                }
            }
            Some(to) => {
                let Some(to) = parse_iso(to) else { continue };
                let in_window = rules.work_years > 0 && bound.is_none_or(|b| to >= b);
                if in_window {
                    covered.insert(i);
                    if latest.is_none_or(|(d, _)| to > d) {
                        latest = Some((to, w));
                    }
                }
            }
        }
    }
    let source = inspector
        .source_unit
        .as_ref()
        .filter(|(id, _, path)| ctx.in_target(*id, path));

    let (step, reason) = if let Some(w) = current {
        let place = ctx.place(w.unit_id, &w.unit_name);
        let reason = tf(
            "recusal.reason_former_unit_current",
            &[("inspector", ctx.name()), ("place", place.as_str())],
        );
        (period_node(w), reason)
    } else if let Some((id, name, _)) = source {
        let place = ctx.place(*id, name);
        let reason = tf(
            "recusal.reason_former_unit_current",
            &[("inspector", ctx.name()), ("place", place.as_str())],
        );
        let step = tf("recusal.chain_source_unit", &[("unit", name.as_str())]);
        (step, reason)
    } else if let Some((_, w)) = latest {
        let place = ctx.place(w.unit_id, &w.unit_name);
        let years = rules.work_years.to_string();
        let reason = tf(
            "recusal.reason_former_unit_past",
            &[
                ("inspector", ctx.name()),
                ("from", w.from.as_str()),
                ("to", w.to.as_deref().unwrap_or_default()),
                ("place", place.as_str()),
                ("years", years.as_str()),
            ],
        );
        (period_node(w), reason)
    } else {
        return covered;
    };
    out.push(conflict(
        Severity::Hard,
        ConflictKind::FormerUnit,
        None,
        vec![ctx.inspector.clone(), step, ctx.target_node()],
        reason,
    ));
    covered
}

/// Upbringing or origin in the target's township or village. County codes
/// (6 digits) never match: everyone lives in the county.
pub(super) fn home_area(ctx: &Ctx, out: &mut Vec<Conflict>) {
    let (Some(home), Some(code)) = (
        region(ctx.facts.inspector.home_region.as_deref()),
        region(ctx.target().region_code.as_deref()),
    ) else {
        return;
    };
    if home.len() < 9 || code.len() < 9 || !(home.starts_with(code) || code.starts_with(home)) {
        return;
    }
    let target = ctx.target().unit_name.as_str();
    out.push(conflict(
        Severity::Hard,
        ConflictKind::HomeArea,
        None,
        vec![
            ctx.inspector.clone(),
            tf("recusal.chain_home", &[("code", home)]),
            tf(
                "recusal.chain_target_region",
                &[("unit", target), ("code", code)],
            ),
        ],
        tf(
            "recusal.reason_home_area",
            &[
                ("inspector", ctx.name()),
                ("home", home),
                ("target", target),
                ("code", code),
            ],
        ),
    ));
}

/// Conflicts the inspector declared for this unit: hard, the inspector's word
/// suffices. Several declarations make one conflict.
pub(super) fn declared(ctx: &Ctx, out: &mut Vec<Conflict>) {
    let target = ctx.target();
    let mine: Vec<&Declared> = ctx
        .facts
        .declared
        .iter()
        .filter(|d| d.unit_id == target.unit_id)
        .collect();
    if mine.is_empty() {
        return;
    }
    let mut reasons: Vec<&str> = Vec::new();
    for d in &mine {
        let r = d.reason.trim();
        if !r.is_empty() && !reasons.contains(&r) {
            reasons.push(r);
        }
    }
    let reasons = if reasons.is_empty() {
        t("recusal.declared_no_reason").to_owned()
    } else {
        reasons.join(t("recusal.reason_separator"))
    };
    out.push(conflict(
        Severity::Hard,
        ConflictKind::Declared,
        None,
        vec![
            ctx.inspector.clone(),
            tf("recusal.chain_declared", &[("reason", reasons.as_str())]),
            ctx.target_node(),
        ],
        tf(
            "recusal.reason_declared",
            &[
                ("inspector", ctx.name()),
                ("target", target.unit_name.as_str()),
                ("reasons", reasons.as_str()),
            ],
        ),
    ));
}
