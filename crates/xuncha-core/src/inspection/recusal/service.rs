//! The rules measured in time: long service in the target's township and
//! former colleagues among its leadership.

use std::collections::{BTreeMap, BTreeSet};

use time::Date;

use super::rules::{conflict, non_empty, period_node, region, Ctx};
use super::{Conflict, ConflictKind, RecusalRules, Severity, WorkPeriod};
use crate::i18n::{t, tf};
use crate::inspection::workdays::iso;

/// Days that make `years` years of service: 365 a year plus a leap day every
/// four, so any span of N whole calendar years (1901–2099) reaches it.
fn service_threshold_days(years: u32) -> i64 {
    i64::from(years) * 365 + i64::from(years / 4)
}

/// Long-term work in the target's township: the union of the periods in
/// units of that township (concurrent posts counted once), leaving out those
/// already reported as the inspector's own unit.
pub(super) fn long_service(
    ctx: &Ctx,
    rules: &RecusalRules,
    covered: &BTreeSet<usize>,
    out: &mut Vec<Conflict>,
) {
    if rules.long_service_years == 0 {
        return;
    }
    let Some(code) = region(ctx.target().region_code.as_deref()).filter(|c| c.len() >= 9) else {
        return;
    };
    let township = &code[..9];
    let mut counted: Vec<(Date, Date, &WorkPeriod)> = Vec::new();
    for (i, w) in ctx.facts.inspector.work.iter().enumerate() {
        let here = region(w.region_code.as_deref())
            .is_some_and(|r| r.len() >= 9 && r.starts_with(township));
        if !here || covered.contains(&i) {
            continue;
        }
        if let Some((from, to)) = ctx.span(w) {
            counted.push((from, to, w));
        }
    }
    counted.sort_by_key(|(from, to, _)| (*from, *to));
    let mut total = 0_i64;
    let mut run: Option<(Date, Date)> = None;
    for (from, to, _) in &counted {
        run = match run {
            Some((start, end)) if *from <= end => Some((start, end.max(*to))),
            Some((start, end)) => {
                total += (end - start).whole_days() + 1;
                Some((*from, *to))
            }
            None => Some((*from, *to)),
        };
    }
    if let Some((start, end)) = run {
        total += (end - start).whole_days() + 1;
    }
    if total < service_threshold_days(rules.long_service_years) {
        return;
    }
    let days = total.to_string();
    let years = format!("{:.1}", total as f64 / 365.25);
    let limit = rules.long_service_years.to_string();
    let mut chain = vec![ctx.inspector.clone()];
    chain.extend(counted.iter().map(|(_, _, w)| period_node(w)));
    chain.push(tf(
        "recusal.chain_total",
        &[("days", days.as_str()), ("years", years.as_str())],
    ));
    chain.push(ctx.target_node());
    let reason = tf(
        "recusal.reason_long_service",
        &[
            ("inspector", ctx.name()),
            ("target", ctx.target().unit_name.as_str()),
            ("township", township),
            ("days", days.as_str()),
            ("years", years.as_str()),
            ("limit", limit.as_str()),
        ],
    );
    out.push(conflict(
        Severity::Hard,
        ConflictKind::LongService,
        None,
        chain,
        reason,
    ));
}

/// Two periods in the same unit that share at least one day.
struct Overlap<'a> {
    mine: &'a WorkPeriod,
    theirs: &'a WorkPeriod,
    start: Date,
    end: Date,
    /// Both periods are current: the overlap runs on.
    open: bool,
}

impl Overlap<'_> {
    fn days(&self) -> i64 {
        (self.end - self.start).whole_days() + 1
    }
}

fn overlap<'a>(ctx: &Ctx, mine: &'a WorkPeriod, theirs: &'a WorkPeriod) -> Option<Overlap<'a>> {
    if mine.unit_id != theirs.unit_id {
        return None;
    }
    let (a_from, a_to) = ctx.span(mine)?;
    let (b_from, b_to) = ctx.span(theirs)?;
    let start = a_from.max(b_from);
    let end = a_to.min(b_to);
    (start <= end).then_some(Overlap {
        mine,
        theirs,
        start,
        end,
        open: mine.to.is_none() && theirs.to.is_none(),
    })
}

/// Whether a position is a leading post (书记, 局长 …, from the catalogue).
fn is_leading(position: Option<&str>) -> bool {
    let Some(position) = non_empty(position) else {
        return false;
    };
    t("recusal.leading_titles")
        .split('|')
        .any(|title| !title.is_empty() && position.contains(title))
}

/// Former colleagues among the leadership: one soft conflict per person, for
/// the longest overlap; other shared units are named in the reason.
pub(super) fn colleagues(ctx: &Ctx, out: &mut Vec<Conflict>) {
    for (id, person) in ctx.people(true) {
        // Longest overlap per unit; ties keep the earliest found.
        let mut per_unit: BTreeMap<i64, Overlap> = BTreeMap::new();
        for mine in &ctx.facts.inspector.work {
            for theirs in &person.work {
                let Some(o) = overlap(ctx, mine, theirs) else {
                    continue;
                };
                match per_unit.get(&mine.unit_id) {
                    Some(best) if best.days() >= o.days() => {}
                    _ => {
                        per_unit.insert(mine.unit_id, o);
                    }
                }
            }
        }
        let Some(best_unit) = per_unit
            .iter()
            .min_by_key(|(unit, o)| (-o.days(), o.start, **unit))
            .map(|(unit, _)| *unit)
        else {
            continue;
        };
        let Some(best) = per_unit.remove(&best_unit) else {
            continue;
        };
        let mut others: Vec<&Overlap> = per_unit.values().collect();
        others.sort_by_key(|o| (o.start, o.mine.unit_id));

        let from = iso(best.start);
        let to = if best.open {
            t("recusal.now").to_owned()
        } else {
            iso(best.end)
        };
        let unit = best.mine.unit_name.as_str();
        let superior = is_leading(best.mine.position.as_deref())
            != is_leading(best.theirs.position.as_deref());
        let (step_key, reason_key) = if superior {
            ("recusal.chain_superior", "recusal.reason_superior")
        } else {
            ("recusal.chain_colleague", "recusal.reason_colleague")
        };
        let unknown = t("recusal.position_unknown");
        let mut reason = tf(
            reason_key,
            &[
                ("inspector", ctx.name()),
                (
                    "position",
                    non_empty(best.mine.position.as_deref()).unwrap_or(unknown),
                ),
                ("person", person.name.as_str()),
                (
                    "other_position",
                    non_empty(best.theirs.position.as_deref()).unwrap_or(unknown),
                ),
                ("unit", unit),
                ("from", from.as_str()),
                ("to", to.as_str()),
            ],
        );
        if !others.is_empty() {
            let units: Vec<&str> = others.iter().map(|o| o.mine.unit_name.as_str()).collect();
            reason.push_str(&tf(
                "recusal.reason_more_units",
                &[("units", units.join(t("recusal.separator")).as_str())],
            ));
        }
        let step = tf(
            step_key,
            &[("unit", unit), ("from", from.as_str()), ("to", to.as_str())],
        );
        out.push(conflict(
            Severity::Soft,
            ConflictKind::FormerColleague,
            Some(id),
            vec![ctx.inspector.clone(), step, ctx.person_node(person)],
            reason,
        ));
    }
}
