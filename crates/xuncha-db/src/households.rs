//! The households of visit campaigns: imported lists (all rows or none; a
//! head already listed with the same ID number is skipped), found by the
//! head's name or ID number within a village or a team's villages. An
//! import recounts the campaign's tree from its households.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use xuncha_core::campaign::{CampaignTarget, Household, NewHousehold, TargetLevel};
use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::campaigns::path_ids;
use crate::error::map;

#[derive(sqlx::FromRow)]
pub(crate) struct HouseholdRow {
    id: i64,
    campaign_id: i64,
    area_id: i64,
    area_name: String,
    team_id: Option<i64>,
    head_name: String,
    id_number: Option<String>,
    address: String,
    members: Option<i64>,
    phone: String,
    visits: i64,
    last_visit: Option<String>,
}

impl From<HouseholdRow> for Household {
    fn from(r: HouseholdRow) -> Self {
        Household {
            id: r.id,
            campaign_id: r.campaign_id,
            area_id: r.area_id,
            area_name: r.area_name,
            team_id: r.team_id,
            head_name: r.head_name,
            id_number: r.id_number,
            address: r.address,
            members: r.members,
            phone: r.phone,
            visits: r.visits,
            last_visit: r.last_visit,
        }
    }
}

const SELECT: &str = "select h.id, h.campaign_id, h.area_id, a.name as area_name, a.team_id, \
     h.head_name, h.id_number, h.address, h.members, h.phone, h.visits, h.last_visit \
     from campaign_households h join campaign_targets a on a.id = h.area_id";

/// Rows per insert statement (7 values each, well under both databases'
/// limits on bound parameters).
const CHUNK: usize = 1000;

/// Counters from the leaves up: a room is one leaf, a village has as many
/// leaves as households; every other node sums its subtree.
pub(crate) fn sums(
    targets: &[CampaignTarget],
    villages: &HashMap<i64, (i64, i64)>,
) -> HashMap<i64, (i64, i64)> {
    let mut out: HashMap<i64, (i64, i64)> = targets.iter().map(|t| (t.id, (0, 0))).collect();
    for t in targets {
        let own = match t.level {
            TargetLevel::Village => villages.get(&t.id).copied().unwrap_or((0, 0)),
            l if l.is_leaf() => (1, t.done.min(1)),
            _ => continue,
        };
        for a in path_ids(&t.path) {
            if let Some(e) = out.get_mut(&a) {
                e.0 += own.0;
                e.1 += own.1;
            }
        }
    }
    out
}

macro_rules! households_impl {
    ($m:ident) => {
        /// Recomputes every counter of a campaign from its leaves and
        /// households, writing only the rows that change.
        async fn recount(
            conn: &mut <Db as sqlx::Database>::Connection,
            campaign_id: i64,
        ) -> Result<(), StoreError> {
            let targets = crate::campaigns::$m::all_targets(&mut *conn, campaign_id).await?;
            let per_village: Vec<(i64, i64, i64)> = sqlx::query_as(
                "select area_id, count(*), \
                 cast(sum(case when visits > 0 then 1 else 0 end) as bigint) \
                 from campaign_households where campaign_id = $1 group by area_id",
            )
            .bind(campaign_id)
            .fetch_all(&mut *conn)
            .await
            .map_err(map)?;
            let villages: HashMap<i64, (i64, i64)> =
                per_village.into_iter().map(|(a, l, d)| (a, (l, d))).collect();
            let sums = sums(&targets, &villages);
            for t in &targets {
                let (leaves, done) = sums.get(&t.id).copied().unwrap_or((0, 0));
                if (leaves, done) != (t.leaves, t.done) {
                    sqlx::query("update campaign_targets set leaves = $1, done = $2 where id = $3")
                        .bind(leaves)
                        .bind(done)
                        .bind(t.id)
                        .execute(&mut *conn)
                        .await
                        .map_err(map)?;
                }
            }
            Ok(())
        }

        pub(crate) async fn import(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            rows: &[NewHousehold],
            meta: &AuditMeta,
        ) -> Result<usize, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let mut created = 0u64;
            for chunk in rows.chunks(CHUNK) {
                let mut qb = QueryBuilder::<Db>::new(
                    "insert into campaign_households (campaign_id, area_id, head_name, id_number, \
                     address, members, phone, visits, last_visit) ",
                );
                qb.push_values(chunk, |mut b, h| {
                    b.push_bind(campaign_id)
                        .push_bind(h.area_id)
                        .push_bind(h.head_name.clone())
                        .push_bind(h.id_number.clone())
                        .push_bind(h.address.clone())
                        .push_bind(h.members)
                        .push_bind(h.phone.clone())
                        .push("0")
                        .push("null");
                });
                qb.push(
                    " on conflict (campaign_id, id_number) where id_number is not null do nothing",
                );
                created += qb
                    .build()
                    .execute(&mut *tx)
                    .await
                    .map_err(map)?
                    .rows_affected();
            }
            recount(&mut tx, campaign_id).await?;
            let after = serde_json::json!({
                "campaign_id": campaign_id, "rows": rows.len(), "created": created,
            });
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "campaign.households",
                    "campaign",
                    Some(campaign_id.to_string()),
                    None,
                    Some(after),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(created as usize)
        }

        pub(crate) async fn find(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
            area: Option<i64>,
            query: &str,
            limit: i64,
        ) -> Result<Vec<Household>, StoreError> {
            let by_id_number = !query.is_empty()
                && query.bytes().all(|b| b.is_ascii_digit() || b == b'X' || b == b'x');
            // The campaign is named on the village (`a`), so that the rows
            // of a village or of a team's villages are read through
            // (area_id, head_name) — a few thousand at most — and not
            // through (campaign_id, head_name), which would walk every
            // household of the campaign with that name (SQLite, without
            // statistics, cannot tell the two indexes apart).
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where a.campaign_id = "));
            qb.push_bind(campaign_id);
            match (area, team) {
                (Some(a), _) => {
                    qb.push(" and h.area_id = ");
                    qb.push_bind(a);
                }
                (None, Some(t)) if !by_id_number => {
                    qb.push(
                        " and h.area_id in (select id from campaign_targets where campaign_id = ",
                    );
                    qb.push_bind(campaign_id);
                    qb.push(" and team_id = ");
                    qb.push_bind(t);
                    qb.push(")");
                }
                // The whole campaign, or an ID number: (campaign_id, …).
                _ => {
                    qb.push(" and h.campaign_id = ");
                    qb.push_bind(campaign_id);
                }
            }
            if let Some(t) = team {
                qb.push(" and a.team_id = ");
                qb.push_bind(t);
            }
            if !query.is_empty() {
                // A prefix as a range, so both databases use the index.
                let col = if by_id_number {
                    "h.id_number"
                } else {
                    "h.head_name"
                };
                let q = query.to_uppercase();
                qb.push(format!(" and {col} >= "));
                qb.push_bind(q.clone());
                qb.push(format!(" and {col} < "));
                qb.push_bind(format!("{q}\u{10FFFF}"));
            }
            // Without a query, list order; with one, the order of the
            // index the prefix is read through, so that a search of the
            // whole campaign stops after `limit` rows (7 % of households
            // have the surname 王: ordered by id, every one of them would be
            // read and sorted).
            qb.push(if query.is_empty() {
                " order by h.id"
            } else if by_id_number {
                " order by h.id_number"
            } else {
                " order by h.head_name, h.id"
            });
            qb.push(" limit ");
            qb.push_bind(limit);
            let rows: Vec<HouseholdRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            Ok(rows.into_iter().map(Household::from).collect())
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Household, StoreError> {
            let row: HouseholdRow = sqlx::query_as(&format!("{SELECT} where h.id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            Ok(row.into())
        }
    };
}

for_each_backend!(households_impl);
