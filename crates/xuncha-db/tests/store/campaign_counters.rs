//! The maintained counters of field campaigns checked against a recount of
//! the rows (used after each write in the campaign tests), and the
//! follow-up register read a page at a time with its filters, on both
//! backends.

use crate::helpers::TestDb;

/// Rows whose maintained counter differs from a recount of the rows, in
/// each counter table (every campaign): zero when every write path moved
/// them in step.
pub async fn counter_errors(ctx: &TestDb) -> Vec<(&'static str, i64)> {
    // A target's subtree: the targets whose path starts with its path.
    let under = |t: &str, l: &str| format!("substr({l}.path, 1, length({t}.path)) = {t}.path");
    let checks: Vec<(&'static str, String)> = vec![
        (
            "campaign_open_days",
            "select count(*) from (select campaign_id, deadline from (\
             select campaign_id, deadline, 1 as n from campaign_followups where status <> 'done' \
             union all select campaign_id, deadline, -followups from campaign_open_days) u \
             group by campaign_id, deadline having sum(n) <> 0) d"
                .into(),
        ),
        (
            "campaign_open_team_days",
            "select count(*) from (select campaign_id, team_id, deadline from (\
             select campaign_id, coalesce(team_id, 0) as team_id, deadline, 1 as n \
             from campaign_followups where status <> 'done' \
             union all select campaign_id, team_id, deadline, -followups \
             from campaign_open_team_days) u \
             group by campaign_id, team_id, deadline having sum(n) <> 0) d"
                .into(),
        ),
        (
            "campaign_daily_totals",
            "select count(*) from (select campaign_id, day from (\
             select campaign_id, day, records as r, firsts as f from campaign_daily \
             union all select campaign_id, day, -records, -firsts from campaign_daily_totals) u \
             group by campaign_id, day having sum(r) <> 0 or sum(f) <> 0) d"
                .into(),
        ),
        (
            "campaign_daily",
            "select count(*) from (select campaign_id, day from (\
             select campaign_id, day, 1 as r from campaign_records \
             union all select campaign_id, day, -records from campaign_daily) u \
             group by campaign_id, day having sum(r) <> 0) d"
                .into(),
        ),
        (
            "campaign_targets.leaves",
            format!(
                "select count(*) from campaign_targets t where t.leaves <> \
                 (select count(*) from campaign_targets l where l.campaign_id = t.campaign_id \
                  and {} and l.level in ('room', 'unit')) + \
                 (select count(*) from campaign_households h \
                  join campaign_targets v on v.id = h.area_id \
                  where v.campaign_id = t.campaign_id and {})",
                under("t", "l"),
                under("t", "v")
            ),
        ),
        (
            "campaign_targets.done",
            format!(
                "select count(*) from campaign_targets t where t.done <> \
                 (select count(*) from campaign_targets l where l.campaign_id = t.campaign_id \
                  and {} and l.level in ('room', 'unit') and l.done > 0) + \
                 (select count(*) from campaign_households h \
                  join campaign_targets v on v.id = h.area_id \
                  where v.campaign_id = t.campaign_id and {} and h.visits > 0)",
                under("t", "l"),
                under("t", "v")
            ),
        ),
    ];
    let mut out = Vec::new();
    for (name, sql) in checks {
        let n = ctx.scalar(&sql).await;
        if n != 0 {
            out.push((name, n));
        }
    }
    out
}

/// Asserts that the counters equal a recount from the rows.
pub async fn assert_counters(ctx: &TestDb, when: &str) {
    assert_eq!(counter_errors(ctx).await, vec![], "counters {when}");
}

/// The desk's count as a recount from the rows: overdue follow-ups of the
/// active campaigns under `path`, or of `member`'s teams.
pub async fn overdue_rows(ctx: &TestDb, path: Option<&str>, member: i64, day: &str) -> i64 {
    let office = match path {
        Some(p) => format!("substr(c.unit_path, 1, {}) = '{p}' or ", p.len()),
        None => String::new(),
    };
    ctx.scalar(&format!(
        "select count(*) from campaign_followups x join campaigns c on c.id = x.campaign_id \
         where x.status <> 'done' and c.status = 'active' and x.deadline < '{day}' and \
         ({office}x.team_id in (select team_id from campaign_members where user_id = {member}))"
    ))
    .await
}
