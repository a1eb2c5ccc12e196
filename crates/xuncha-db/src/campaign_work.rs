//! The work of field campaigns: records (with the items confiscated and the
//! follow-ups raised, and every counter moved, in one transaction) and the
//! custody register. Follow-ups are in `campaign_followups`, their
//! counters in `campaign_counts`.

use sqlx::QueryBuilder;
use xuncha_core::campaign::custody::ItemReturn;
use xuncha_core::campaign::{
    CampaignRecord, Confiscation, FollowupStatus, ItemStatus, NewRecord, RecordData,
};
use xuncha_core::store::{AuditMeta, DayCount};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::campaigns::path_ids;
use crate::error::map;
use crate::shared::corrupt;

#[derive(sqlx::FromRow)]
pub(crate) struct RecordRow {
    id: i64,
    campaign_id: i64,
    target_id: i64,
    household_id: Option<i64>,
    team_id: Option<i64>,
    day: String,
    score: Option<i64>,
    data: String,
    photos: String,
    recorded_by: i64,
    recorder: Option<String>,
    recorded_at: i64,
}

impl TryFrom<RecordRow> for CampaignRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<Self, StoreError> {
        let bad = || corrupt("campaign record", &r.id.to_string());
        Ok(CampaignRecord {
            data: serde_json::from_str::<RecordData>(&r.data).map_err(|_| bad())?,
            photos: serde_json::from_str(&r.photos).map_err(|_| bad())?,
            id: r.id,
            campaign_id: r.campaign_id,
            target_id: r.target_id,
            household_id: r.household_id,
            team_id: r.team_id,
            day: r.day,
            score: r.score,
            recorded_by: r.recorded_by,
            recorder: r.recorder.unwrap_or_default(),
            recorded_at: r.recorded_at,
        })
    }
}

const RECORD_SELECT: &str = "select r.id, r.campaign_id, r.target_id, r.household_id, \
     r.team_id, r.day, r.score, r.data, r.photos, r.recorded_by, u.display_name as recorder, \
     r.recorded_at from campaign_records r left join users u on u.id = r.recorded_by";

/// The place of a target in words, from the target `t` and its parent and
/// grandparent (`p`, `g`): `1号楼 / 3层 / 301`.
pub(crate) const PLACE: &str =
    "coalesce(g.name || ' / ', '') || coalesce(p.name || ' / ', '') || t.name";
pub(crate) const PLACE_JOINS: &str = "join campaign_targets t on t.id = x.target_id \
     left join campaign_targets p on p.id = t.parent_id \
     left join campaign_targets g on g.id = p.parent_id";

#[derive(sqlx::FromRow)]
pub(crate) struct ItemRow {
    id: i64,
    campaign_id: i64,
    target_id: i64,
    place: String,
    team_id: Option<i64>,
    record_id: i64,
    item: String,
    owner: String,
    quantity: i64,
    photo: Option<String>,
    taken_by: String,
    taken_on: String,
    status: String,
    guarantee: Option<String>,
    guarantee_file: Option<String>,
    returned_to: Option<String>,
    returned_by: Option<String>,
    returned_on: Option<String>,
    version: i64,
}

impl ItemRow {
    fn into_item(self) -> Result<(Confiscation, Option<i64>), StoreError> {
        let status = ItemStatus::parse(&self.status)
            .ok_or_else(|| corrupt("campaign item", &self.id.to_string()))?;
        Ok((
            Confiscation {
                id: self.id,
                campaign_id: self.campaign_id,
                target_id: self.target_id,
                place: self.place,
                record_id: self.record_id,
                item: self.item,
                owner: self.owner,
                quantity: self.quantity,
                photo: self.photo,
                taken_by: self.taken_by,
                taken_on: self.taken_on,
                status,
                guarantee: self.guarantee,
                guarantee_file: self.guarantee_file,
                returned_to: self.returned_to,
                returned_by: self.returned_by,
                returned_on: self.returned_on,
                version: self.version,
            },
            self.team_id,
        ))
    }
}

fn item_select() -> String {
    format!(
        "select x.id, x.campaign_id, x.target_id, {PLACE} as place, t.team_id, x.record_id, \
         x.item, x.owner, x.quantity, x.photo, x.taken_by, x.taken_on, x.status, x.guarantee, \
         x.guarantee_file, x.returned_to, x.returned_by, x.returned_on, x.version \
         from campaign_items x {PLACE_JOINS}"
    )
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.into()))
}

macro_rules! campaign_work_impl {
    ($m:ident) => {
        /// Adds one to `done` of each target in `ids`.
        async fn bump_done(
            conn: &mut <Db as sqlx::Database>::Connection,
            ids: &[i64],
        ) -> Result<(), StoreError> {
            if ids.is_empty() {
                return Ok(());
            }
            let mut qb = QueryBuilder::<Db>::new(
                "update campaign_targets set done = done + 1 where id in (",
            );
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build().execute(&mut *conn).await.map_err(map)?;
            Ok(())
        }

        pub(crate) async fn add_record(
            pool: &sqlx::Pool<Db>,
            rec: &NewRecord,
            meta: &AuditMeta,
        ) -> Result<(i64, bool), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let existing: Option<i64> = sqlx::query_scalar(
                "select id from campaign_records where campaign_id = $1 and client_key = $2",
            )
            .bind(rec.campaign_id)
            .bind(&rec.client_key)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map)?;
            if let Some(id) = existing {
                return Ok((id, false));
            }
            let id: i64 = sqlx::query_scalar(
                "insert into campaign_records (campaign_id, target_id, household_id, team_id, \
                 day, score, data, photos, client_key, recorded_by, recorded_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
            )
            .bind(rec.campaign_id)
            .bind(rec.target_id)
            .bind(rec.household_id)
            .bind(rec.team_id)
            .bind(&rec.day)
            .bind(rec.score)
            .bind(to_json(&rec.data)?)
            .bind(to_json(&rec.photos)?)
            .bind(&rec.client_key)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let (path, done): (String, i64) =
                sqlx::query_as("select path, done from campaign_targets where id = $1")
                    .bind(rec.target_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map)?;
            let first = match rec.household_id {
                None => {
                    // A room: the latest score stands; the first record marks
                    // it and its building and floor one further done.
                    sqlx::query(
                        "update campaign_targets set score = $1, last_day = $2 where id = $3",
                    )
                    .bind(rec.score)
                    .bind(&rec.day)
                    .bind(rec.target_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map)?;
                    done == 0
                }
                Some(h) => {
                    let visits: i64 = sqlx::query_scalar(
                        "update campaign_households set visits = visits + 1, last_visit = $1 \
                         where id = $2 returning visits",
                    )
                    .bind(&rec.day)
                    .bind(h)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map)?;
                    sqlx::query("update campaign_targets set last_day = $1 where id = $2")
                        .bind(&rec.day)
                        .bind(rec.target_id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map)?;
                    visits == 1
                }
            };
            if first {
                bump_done(&mut tx, &path_ids(&path)).await?;
            }
            sqlx::query(
                "update campaign_members set records = records + 1 \
                 where campaign_id = $1 and user_id = $2",
            )
            .bind(rec.campaign_id)
            .bind(meta.actor_id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            sqlx::query(
                "insert into campaign_daily (campaign_id, day, team_id, records, firsts) \
                 values ($1, $2, $3, 1, $4) on conflict (campaign_id, day, team_id) do update \
                 set records = campaign_daily.records + 1, \
                 firsts = campaign_daily.firsts + excluded.firsts",
            )
            .bind(rec.campaign_id)
            .bind(&rec.day)
            .bind(rec.team_id.unwrap_or(0))
            .bind(i64::from(first))
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            sqlx::query(
                "insert into campaign_daily_totals (campaign_id, day, records, firsts) \
                 values ($1, $2, 1, $3) on conflict (campaign_id, day) do update \
                 set records = campaign_daily_totals.records + 1, \
                 firsts = campaign_daily_totals.firsts + excluded.firsts",
            )
            .bind(rec.campaign_id)
            .bind(&rec.day)
            .bind(i64::from(first))
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            let taken_by: String =
                sqlx::query_scalar::<_, String>("select display_name from users where id = $1")
                    .bind(meta.actor_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(map)?
                    .unwrap_or_else(|| meta.actor_name.clone());
            for it in &rec.items {
                sqlx::query(
                    "insert into campaign_items (campaign_id, target_id, record_id, item, owner, \
                     quantity, photo, taken_by, taken_on, status, version) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1)",
                )
                .bind(rec.campaign_id)
                .bind(rec.target_id)
                .bind(id)
                .bind(&it.item)
                .bind(&it.owner)
                .bind(it.quantity)
                .bind(&it.photo)
                .bind(&taken_by)
                .bind(&rec.day)
                .bind(ItemStatus::Held.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            }
            for f in &rec.followups {
                sqlx::query(
                    "insert into campaign_followups (campaign_id, kind, target_id, household_id, \
                     record_id, team_id, category, department, content, deadline, status, \
                     resolution, satisfaction, petition_id, version, created_at, updated_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, null, null, null, 1, \
                     $12, $12)",
                )
                .bind(rec.campaign_id)
                .bind(f.kind.as_str())
                .bind(rec.target_id)
                .bind(rec.household_id)
                .bind(id)
                .bind(rec.team_id)
                .bind(&f.category)
                .bind(&f.department)
                .bind(&f.content)
                .bind(&f.deadline)
                .bind(FollowupStatus::Open.as_str())
                .bind(meta.at)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                crate::campaign_counts::$m::move_open(
                    &mut tx,
                    rec.campaign_id,
                    rec.team_id,
                    &f.deadline,
                    1,
                )
                .await?;
            }
            // The record's follow-ups go to the search index (their kind is
            // their document type: demand, hazard).
            sqlx::query(
                "insert into search_outbox (doc_type, doc_id, op, created_at) \
                 select kind, cast(id as text), 'upsert', $1 from campaign_followups where record_id = $2",
            )
            .bind(meta.at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            let after = serde_json::json!({
                "campaign_id": rec.campaign_id, "target_id": rec.target_id,
                "household_id": rec.household_id, "day": rec.day, "score": rec.score,
                "photos": rec.photos.len(), "items": rec.items.len(),
                "followups": rec.followups.len(),
            });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.record", "campaign_record", Some(id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok((id, true))
        }

        pub(crate) async fn records(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            target_id: Option<i64>,
            household_id: Option<i64>,
            team: Option<i64>,
            limit: i64,
        ) -> Result<Vec<CampaignRecord>, StoreError> {
            let mut qb =
                QueryBuilder::<Db>::new(format!("{RECORD_SELECT} where r.campaign_id = "));
            qb.push_bind(campaign_id);
            if let Some(t) = target_id {
                qb.push(" and r.target_id = ");
                qb.push_bind(t);
            }
            if let Some(h) = household_id {
                qb.push(" and r.household_id = ");
                qb.push_bind(h);
            }
            if let Some(t) = team {
                qb.push(" and r.team_id = ");
                qb.push_bind(t);
            }
            qb.push(" order by r.id desc limit ");
            qb.push_bind(limit);
            let rows: Vec<RecordRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(CampaignRecord::try_from).collect()
        }

        pub(crate) async fn days(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
        ) -> Result<Vec<DayCount>, StoreError> {
            let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
                "select day, team_id, records, firsts from campaign_daily \
                 where campaign_id = $1 order by day, team_id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows
                .into_iter()
                .map(|(day, team_id, records, firsts)| DayCount {
                    day,
                    team_id,
                    records,
                    firsts,
                })
                .collect())
        }

        pub(crate) async fn day_totals(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
        ) -> Result<Vec<DayCount>, StoreError> {
            // The whole campaign from its own rows (one a day), a team from
            // its rows of `campaign_daily`: nothing is summed.
            let mut qb = QueryBuilder::<Db>::new("select day, records, firsts from ");
            match team {
                None => {
                    qb.push("campaign_daily_totals where campaign_id = ");
                    qb.push_bind(campaign_id);
                }
                Some(t) => {
                    qb.push("campaign_daily where campaign_id = ");
                    qb.push_bind(campaign_id);
                    qb.push(" and team_id = ");
                    qb.push_bind(t);
                }
            }
            qb.push(" order by day");
            let rows: Vec<(String, i64, i64)> =
                qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            Ok(rows
                .into_iter()
                .map(|(day, records, firsts)| DayCount {
                    day,
                    team_id: team.unwrap_or(0),
                    records,
                    firsts,
                })
                .collect())
        }

        pub(crate) async fn items(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
            status: Option<ItemStatus>,
        ) -> Result<Vec<Confiscation>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{} where x.campaign_id = ", item_select()));
            qb.push_bind(campaign_id);
            if let Some(t) = team {
                qb.push(" and t.team_id = ");
                qb.push_bind(t);
            }
            if let Some(s) = status {
                qb.push(" and x.status = ");
                qb.push_bind(s.as_str());
            }
            qb.push(" order by x.id limit 5000");
            let rows: Vec<ItemRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(|r| r.into_item().map(|x| x.0)).collect()
        }

        async fn item_one(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<(Confiscation, Option<i64>), StoreError> {
            let row: ItemRow = sqlx::query_as(&format!("{} where x.id = $1", item_select()))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            row.into_item()
        }

        pub(crate) async fn item(
            pool: &sqlx::Pool<Db>,
            id: i64,
        ) -> Result<(Confiscation, Option<i64>), StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            item_one(&mut conn, id).await
        }

        pub(crate) async fn return_item(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            ret: &ItemReturn,
            meta: &AuditMeta,
        ) -> Result<Confiscation, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query(
                "update campaign_items set status = $1, guarantee = $2, guarantee_file = $3, \
                 returned_to = $4, returned_by = $5, returned_on = $6, version = version + 1 \
                 where id = $7 and version = $8 and status = $9",
            )
            .bind(ItemStatus::Returned.as_str())
            .bind(&ret.guarantee)
            .bind(&ret.guarantee_file)
            .bind(&ret.returned_to)
            .bind(&ret.returned_by)
            .bind(&ret.returned_on)
            .bind(id)
            .bind(expected_version)
            .bind(ItemStatus::Held.as_str())
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("item changed meanwhile".into()));
            }
            let (item, _) = item_one(&mut tx, id).await?;
            let after = serde_json::json!({
                "item": item.item, "owner": item.owner, "returned_to": ret.returned_to,
                "guarantee": ret.guarantee.is_some(), "guarantee_file": ret.guarantee_file,
            });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.item_return", "campaign_item", Some(id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(item)
        }

    };
}

for_each_backend!(campaign_work_impl);
