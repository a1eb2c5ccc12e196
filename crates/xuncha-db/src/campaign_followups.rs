//! Follow-ups of field campaigns (hazards, demands): the register read a
//! page at a time in deadline order, one follow-up, its handling (which
//! moves the open counters in the same transaction) and the petition a
//! demand became.

use sqlx::QueryBuilder;
use xuncha_core::campaign::followup::FollowupChange;
use xuncha_core::campaign::{Followup, FollowupKind, FollowupStatus, Satisfaction};
use xuncha_core::store::{AuditMeta, FollowupFilter};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::campaign_work::{PLACE, PLACE_JOINS};
use crate::error::map;
use crate::shared::corrupt;

#[derive(sqlx::FromRow)]
pub(crate) struct FollowupRow {
    id: i64,
    campaign_id: i64,
    kind: String,
    target_id: i64,
    place: String,
    household_id: Option<i64>,
    record_id: i64,
    team_id: Option<i64>,
    category: Option<String>,
    department: Option<String>,
    content: String,
    deadline: String,
    status: String,
    resolution: Option<String>,
    satisfaction: Option<String>,
    petition_id: Option<i64>,
    version: i64,
}

impl TryFrom<FollowupRow> for Followup {
    type Error = StoreError;
    fn try_from(r: FollowupRow) -> Result<Self, StoreError> {
        let bad = || corrupt("campaign follow-up", &r.id.to_string());
        Ok(Followup {
            kind: FollowupKind::parse(&r.kind).ok_or_else(bad)?,
            status: FollowupStatus::parse(&r.status).ok_or_else(bad)?,
            satisfaction: match r.satisfaction.as_deref() {
                Some(s) => Some(Satisfaction::parse(s).ok_or_else(bad)?),
                None => None,
            },
            id: r.id,
            campaign_id: r.campaign_id,
            target_id: r.target_id,
            place: r.place,
            household_id: r.household_id,
            record_id: r.record_id,
            team_id: r.team_id,
            category: r.category,
            department: r.department,
            content: r.content,
            deadline: r.deadline,
            resolution: r.resolution,
            petition_id: r.petition_id,
            version: r.version,
        })
    }
}

fn followup_select() -> String {
    format!(
        "select x.id, x.campaign_id, x.kind, x.target_id, \
         {PLACE} || coalesce(' / ' || h.head_name, '') as place, x.household_id, x.record_id, \
         x.team_id, x.category, x.department, x.content, x.deadline, x.status, x.resolution, \
         x.satisfaction, x.petition_id, x.version from campaign_followups x {PLACE_JOINS} \
         left join campaign_households h on h.id = x.household_id"
    )
}

macro_rules! campaign_followups_impl {
    ($m:ident) => {
        /// The filter's conditions, after `where x.campaign_id = …`.
        fn push_filter(qb: &mut QueryBuilder<'_, Db>, f: &FollowupFilter) {
            if let Some(t) = f.team {
                qb.push(" and x.team_id = ");
                qb.push_bind(t);
            }
            if let Some(k) = f.kind {
                qb.push(" and x.kind = ");
                qb.push_bind(k.as_str());
            }
            if let Some(s) = f.status {
                qb.push(" and x.status = ");
                qb.push_bind(s.as_str());
            }
            if let Some(day) = &f.overdue_on {
                qb.push(" and x.status <> ");
                qb.push_bind(FollowupStatus::Done.as_str());
                qb.push(" and x.deadline < ");
                qb.push_bind(day.clone());
            }
            if let Some(h) = f.household {
                qb.push(" and x.household_id = ");
                qb.push_bind(h);
            }
            if !f.hidden.is_empty() {
                qb.push(" and x.target_id not in (");
                let mut sep = qb.separated(", ");
                for id in &f.hidden {
                    sep.push_bind(*id);
                }
                qb.push(")");
            }
        }

        /// A page of the register in (deadline, id) order, starting after
        /// `after`: the index on (campaign, deadline, id) or (campaign,
        /// team, deadline, id) is read from there and stops at `limit`, so a
        /// page costs the same on the first page and the hundredth.
        pub(crate) async fn page(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            filter: &FollowupFilter,
            after: Option<(String, i64)>,
            limit: i64,
        ) -> Result<Vec<Followup>, StoreError> {
            let mut qb =
                QueryBuilder::<Db>::new(format!("{} where x.campaign_id = ", followup_select()));
            qb.push_bind(campaign_id);
            push_filter(&mut qb, filter);
            if let Some((deadline, id)) = after {
                // A row value, which both databases read as where to start
                // in the (…, deadline, id) index; with `deadline > d or
                // (deadline = d and id > i)` PostgreSQL scanned the
                // campaign's follow-ups from the first (51 ms a page from
                // the middle of 99,900). The plain bound on the deadline
                // keeps a range for a plan through the status index.
                qb.push(" and x.deadline >= ");
                qb.push_bind(deadline.clone());
                qb.push(" and (x.deadline, x.id) > (");
                qb.push_bind(deadline);
                qb.push(", ");
                qb.push_bind(id);
                qb.push(")");
            }
            qb.push(" order by x.deadline, x.id limit ");
            qb.push_bind(limit);
            let rows: Vec<FollowupRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Followup::try_from).collect()
        }

        pub(crate) async fn followups(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
            kind: Option<FollowupKind>,
        ) -> Result<Vec<Followup>, StoreError> {
            let mut qb =
                QueryBuilder::<Db>::new(format!("{} where x.campaign_id = ", followup_select()));
            qb.push_bind(campaign_id);
            if let Some(t) = team {
                qb.push(" and x.team_id = ");
                qb.push_bind(t);
            }
            if let Some(k) = kind {
                qb.push(" and x.kind = ");
                qb.push_bind(k.as_str());
            }
            qb.push(" order by x.deadline, x.id limit 5000");
            let rows: Vec<FollowupRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Followup::try_from).collect()
        }

        async fn followup_one(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Followup, StoreError> {
            let row: FollowupRow =
                sqlx::query_as(&format!("{} where x.id = $1", followup_select()))
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(map)?;
            Followup::try_from(row)
        }

        pub(crate) async fn followup(pool: &sqlx::Pool<Db>, id: i64) -> Result<Followup, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            followup_one(&mut conn, id).await
        }

        pub(crate) async fn update_followup(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            change: &FollowupChange,
            meta: &AuditMeta,
        ) -> Result<Followup, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before = followup_one(&mut tx, id).await?;
            // The open counters move by the status read here, so it must be
            // the one the update replaces: a version read earlier than the
            // expected one fails here, a change committed after this read
            // fails the update's own version check.
            if before.version != expected_version {
                return Err(StoreError::Conflict("follow-up changed meanwhile".into()));
            }
            let done = sqlx::query(
                "update campaign_followups set status = $1, \
                 department = coalesce($2, department), resolution = coalesce($3, resolution), \
                 satisfaction = coalesce($4, satisfaction), version = version + 1, \
                 updated_at = $5 where id = $6 and version = $7",
            )
            .bind(change.status.as_str())
            .bind(&change.department)
            .bind(&change.resolution)
            .bind(change.satisfaction.map(|s| s.as_str()))
            .bind(meta.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("follow-up changed meanwhile".into()));
            }
            let open = |s: FollowupStatus| i64::from(s != FollowupStatus::Done);
            let delta = open(change.status) - open(before.status);
            if delta != 0 {
                crate::campaign_counts::$m::move_open(
                    &mut tx,
                    before.campaign_id,
                    before.team_id,
                    &before.deadline,
                    delta,
                )
                .await?;
            }
            let f = followup_one(&mut tx, id).await?;
            let image = |f: &Followup| {
                Some(serde_json::json!({
                    "status": f.status.as_str(), "department": f.department,
                    "resolution": f.resolution, "satisfaction": f.satisfaction.map(|s| s.as_str()),
                }))
            };
            crate::audit::$m::outbox(&mut tx, f.kind.as_str(), &id.to_string(), "upsert", meta.at).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.followup", "campaign_followup", Some(id.to_string()), image(&before), image(&f)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(f)
        }

        pub(crate) async fn link_petition(
            pool: &sqlx::Pool<Db>,
            id: i64,
            petition_id: i64,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            sqlx::query(
                "update campaign_followups set petition_id = $1, version = version + 1, \
                 updated_at = $2 where id = $3",
            )
            .bind(petition_id)
            .bind(meta.at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            let after = serde_json::json!({ "petition_id": petition_id });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.followup_petition", "campaign_followup", Some(id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(())
        }

    };
}

for_each_backend!(campaign_followups_impl);
