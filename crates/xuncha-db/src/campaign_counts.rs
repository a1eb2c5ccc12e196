//! The counters of open follow-ups (`campaign_open_days`, per campaign and
//! deadline, and `campaign_open_team_days`, per team too), moved in the
//! transaction of every write that opens or closes a follow-up, and what
//! is read from them: a campaign's tally and the desk's overdue count. A
//! sum over deadline days replaces a count over the follow-ups (66,800 open
//! at a million households, `bench/campaigns.sh`).

use sqlx::QueryBuilder;
use xuncha_core::campaign::{FollowupStatus, ItemStatus};
use xuncha_core::policy::Scope;
use xuncha_core::store::CampaignTally;
use xuncha_core::StoreError;

use crate::error::map;
use crate::shared::push_scope;

/// Targets per `in (…)` list (bound parameters stay well under both
/// databases' limits).
const CHUNK: usize = 500;

macro_rules! campaign_counts_impl {
    ($m:ident) => {
        /// Moves the open count of a follow-up's campaign, team and deadline
        /// by `delta` (+1 opened, −1 done, +1 reopened).
        pub(crate) async fn move_open(
            conn: &mut <Db as sqlx::Database>::Connection,
            campaign_id: i64,
            team_id: Option<i64>,
            deadline: &str,
            delta: i64,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "insert into campaign_open_days (campaign_id, deadline, followups) \
                 values ($1, $2, $3) on conflict (campaign_id, deadline) do update \
                 set followups = campaign_open_days.followups + excluded.followups",
            )
            .bind(campaign_id)
            .bind(deadline)
            .bind(delta)
            .execute(&mut *conn)
            .await
            .map_err(map)?;
            sqlx::query(
                "insert into campaign_open_team_days (campaign_id, team_id, deadline, followups) \
                 values ($1, $2, $3, $4) on conflict (campaign_id, team_id, deadline) do update \
                 set followups = campaign_open_team_days.followups + excluded.followups",
            )
            .bind(campaign_id)
            .bind(team_id.unwrap_or(0))
            .bind(deadline)
            .bind(delta)
            .execute(&mut *conn)
            .await
            .map_err(map)?;
            Ok(())
        }

        /// Held items of the campaign (or team), optionally only of some
        /// targets: the custody register is small (items are taken in
        /// rooms, a few per sweep), so it is counted from its rows.
        async fn held(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
            within: Option<&[i64]>,
        ) -> Result<i64, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(
                "select count(*) from campaign_items x \
                 join campaign_targets t on t.id = x.target_id where x.campaign_id = ",
            );
            qb.push_bind(campaign_id);
            qb.push(" and x.status = ");
            qb.push_bind(ItemStatus::Held.as_str());
            if let Some(t) = team {
                qb.push(" and t.team_id = ");
                qb.push_bind(t);
            }
            if let Some(ids) = within {
                qb.push(" and x.target_id in (");
                let mut sep = qb.separated(", ");
                for id in ids {
                    sep.push_bind(*id);
                }
                qb.push(")");
            }
            qb.build_query_scalar().fetch_one(pool).await.map_err(map)
        }

        pub(crate) async fn tally(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
            today: &str,
        ) -> Result<CampaignTally, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(
                "select cast(coalesce(sum(followups), 0) as bigint), \
                 cast(coalesce(sum(case when deadline < ",
            );
            qb.push_bind(today.to_owned());
            match team {
                None => {
                    qb.push(
                        " then followups else 0 end), 0) as bigint) \
                         from campaign_open_days where campaign_id = ",
                    );
                    qb.push_bind(campaign_id);
                }
                Some(t) => {
                    qb.push(
                        " then followups else 0 end), 0) as bigint) \
                         from campaign_open_team_days where campaign_id = ",
                    );
                    qb.push_bind(campaign_id);
                    qb.push(" and team_id = ");
                    qb.push_bind(t);
                }
            }
            let (open, overdue): (i64, i64) =
                qb.build_query_as().fetch_one(pool).await.map_err(map)?;
            Ok(CampaignTally {
                open_followups: open,
                overdue_followups: overdue,
                held_items: held(pool, campaign_id, team, None).await?,
            })
        }

        /// The tally of some targets only, counted from the rows (through
        /// the follow-ups' target index): what a recusal hides, taken from
        /// the counters' tally by the caller.
        pub(crate) async fn tally_within(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
            today: &str,
            targets: &[i64],
        ) -> Result<CampaignTally, StoreError> {
            let mut out = CampaignTally::default();
            for chunk in targets.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Db>::new(
                    "select count(*), \
                     cast(coalesce(sum(case when x.deadline < ",
                );
                qb.push_bind(today.to_owned());
                qb.push(
                    " then 1 else 0 end), 0) as bigint) from campaign_followups x \
                     where x.campaign_id = ",
                );
                qb.push_bind(campaign_id);
                if let Some(t) = team {
                    qb.push(" and x.team_id = ");
                    qb.push_bind(t);
                }
                qb.push(" and x.status <> ");
                qb.push_bind(FollowupStatus::Done.as_str());
                qb.push(" and x.target_id in (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let (open, overdue): (i64, i64) =
                    qb.build_query_as().fetch_one(pool).await.map_err(map)?;
                out.open_followups += open;
                out.overdue_followups += overdue;
                out.held_items += held(pool, campaign_id, team, Some(chunk)).await?;
            }
            Ok(out)
        }

        /// The desk's count: overdue follow-ups of the active campaigns in
        /// `scope` (every team's), and of `member`'s teams in the others.
        pub(crate) async fn overdue(
            pool: &sqlx::Pool<Db>,
            scope: Option<&Scope>,
            member: i64,
            today: &str,
        ) -> Result<i64, StoreError> {
            let mut qb = QueryBuilder::<Db>::new("select cast(coalesce(sum(n), 0) as bigint) from (");
            if let Some(scope) = scope {
                qb.push(
                    "select o.followups as n from campaign_open_days o \
                     join campaigns c on c.id = o.campaign_id \
                     where c.status = 'active' and o.deadline < ",
                );
                qb.push_bind(today.to_owned());
                qb.push(" and (1 = 1");
                push_scope(&mut qb, "c.unit_path", scope);
                qb.push(") union all ");
            }
            qb.push(
                "select o.followups as n from campaign_members m \
                 join campaigns c on c.id = m.campaign_id \
                 join campaign_open_team_days o \
                 on o.campaign_id = m.campaign_id and o.team_id = m.team_id \
                 where m.user_id = ",
            );
            qb.push_bind(member);
            qb.push(" and c.status = 'active' and o.deadline < ");
            qb.push_bind(today.to_owned());
            if let Some(scope) = scope {
                // Counted whole above.
                qb.push(" and not (1 = 1");
                push_scope(&mut qb, "c.unit_path", scope);
                qb.push(")");
            }
            qb.push(") s");
            let n: i64 = qb.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            Ok(n)
        }
    };
}

for_each_backend!(campaign_counts_impl);
