//! Cross-check runs and hits. A run is one transaction: the run row, every
//! hit upserted by its key (verification kept), the hits it no longer
//! finds marked gone, and one audit record naming the rules.

use sqlx::QueryBuilder;
use xuncha_core::collide::{HitChange, HitState, PlacedHit, RunSummary, StoredHit};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::{AuditMeta, HitFilter};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{capped_page, close_capped_count, corrupt, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct HitRow {
    id: i64,
    unit_id: i64,
    unit_path: String,
    data: String,
    state: String,
    note: String,
    change: String,
    clue_id: Option<i64>,
    version: i64,
}

impl TryFrom<HitRow> for StoredHit {
    type Error = StoreError;
    fn try_from(r: HitRow) -> Result<Self, StoreError> {
        let bad = || corrupt("collide_hit", &r.id.to_string());
        Ok(StoredHit {
            id: r.id,
            hit: serde_json::from_str(&r.data).map_err(|_| bad())?,
            unit_id: r.unit_id,
            unit_path: r.unit_path,
            state: HitState::parse(&r.state).ok_or_else(bad)?,
            note: r.note,
            change: HitChange::parse(&r.change).ok_or_else(bad)?,
            clue_id: r.clue_id,
            version: r.version,
        })
    }
}

const SELECT: &str = "select h.id, h.unit_id, h.unit_path, h.data, h.state, h.note, h.change, \
     h.clue_id, h.version from collide_hits h";

fn push_filter<'a, DB>(qb: &mut QueryBuilder<'a, DB>, f: &HitFilter)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    for (col, v) in [
        ("h.rule", &f.rule),
        ("h.state", &f.state),
        ("h.change", &f.change),
    ] {
        if let Some(v) = v {
            qb.push(format!(" and {col} = "));
            qb.push_bind(v.clone());
        }
    }
    push_scope(qb, "h.unit_path", &f.scope);
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.into()))
}

macro_rules! collide_impl {
    ($m:ident) => {
        pub(crate) async fn record_run(
            pool: &sqlx::Pool<Db>,
            scope_unit_id: i64,
            rules: &[String],
            hits: &[PlacedHit],
            meta: &AuditMeta,
        ) -> Result<RunSummary, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let run_id: i64 = sqlx::query_scalar(
                "insert into collide_runs (unit_id, rules, hits, created_by, created_at) \
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(scope_unit_id)
            .bind(rules.join(","))
            .bind(hits.len() as i64)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let (mut new, mut unchanged) = (0i64, 0i64);
            for PlacedHit { hit: h, unit_id, unit_path } in hits {
                let updated = sqlx::query(
                    "update collide_hits set last_run = $1, change = $2, data = $3, \
                     unit_id = $4, unit_path = $5, updated_at = $6 \
                     where scope_unit_id = $7 and hit_key = $8",
                )
                .bind(run_id)
                .bind(HitChange::Unchanged.as_str())
                .bind(to_json(h)?)
                .bind(unit_id)
                .bind(unit_path)
                .bind(meta.at)
                .bind(scope_unit_id)
                .bind(&h.key)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                if updated.rows_affected() > 0 {
                    unchanged += 1;
                    continue;
                }
                sqlx::query(
                    "insert into collide_hits (scope_unit_id, unit_id, unit_path, rule, hit_key, \
                     subject_id_number, subject_name, strong, data, state, note, change, \
                     clue_id, first_run, last_run, version, updated_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11, null, $12, $12, 1, $13)",
                )
                .bind(scope_unit_id)
                .bind(unit_id)
                .bind(unit_path)
                .bind(&h.rule)
                .bind(&h.key)
                .bind(&h.subject_id_number)
                .bind(&h.subject_name)
                .bind(h.strong)
                .bind(to_json(h)?)
                .bind(HitState::Pending.as_str())
                .bind(HitChange::New.as_str())
                .bind(run_id)
                .bind(meta.at)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                new += 1;
            }
            let mut gone = 0i64;
            for rule in rules {
                gone += sqlx::query(
                    "update collide_hits set change = $1, updated_at = $2 \
                     where scope_unit_id = $3 and rule = $4 and last_run <> $5 and change <> $1",
                )
                .bind(HitChange::Gone.as_str())
                .bind(meta.at)
                .bind(scope_unit_id)
                .bind(rule)
                .bind(run_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?
                .rows_affected() as i64;
            }
            let summary = RunSummary {
                run_id,
                new,
                unchanged,
                gone,
            };
            let after = serde_json::json!({
                "unit_id": scope_unit_id, "rules": rules, "new": new, "unchanged": unchanged, "gone": gone,
            });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "collide.run", "collide_run", Some(run_id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(summary)
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            f: &HitFilter,
            page: PageRequest,
        ) -> Result<Page<StoredHit>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where 1 = 1"));
            push_filter(&mut qb, f);
            qb.push(" order by h.id desc limit ");
            qb.push_bind(page.limit());
            qb.push(" offset ");
            qb.push_bind(page.offset());
            let rows: Vec<HitRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            let items = rows
                .into_iter()
                .map(StoredHit::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            let mut qc = QueryBuilder::<Db>::new(
                "select count(*) from (select 1 from collide_hits h where 1 = 1",
            );
            push_filter(&mut qc, f);
            close_capped_count(&mut qc);
            let total: i64 = qc.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            Ok(capped_page(items, total))
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<StoredHit, StoreError> {
            let row: HitRow = sqlx::query_as(&format!("{SELECT} where h.id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            StoredHit::try_from(row)
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            state: HitState,
            note: &str,
            clue_id: Option<i64>,
            meta: &AuditMeta,
        ) -> Result<StoredHit, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query(
                "update collide_hits set state = $1, note = $2, clue_id = coalesce($3, clue_id), \
                 version = version + 1, updated_at = $4 where id = $5 and version = $6",
            )
            .bind(state.as_str())
            .bind(note)
            .bind(clue_id)
            .bind(meta.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("hit changed meanwhile".into()));
            }
            let row: HitRow = sqlx::query_as(&format!("{SELECT} where h.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let hit = StoredHit::try_from(row)?;
            let after = serde_json::json!({
                "state": hit.state.as_str(), "clue_id": hit.clue_id, "rule": hit.hit.rule,
            });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "collide.triage", "collide_hit", Some(id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(hit)
        }

        pub(crate) async fn confirmed_by_unit(
            pool: &sqlx::Pool<Db>,
        ) -> Result<Vec<(String, i64)>, StoreError> {
            sqlx::query_as(
                "select unit_path, count(*) from collide_hits \
                 where state in ('confirmed', 'clue') group by unit_path",
            )
            .fetch_all(pool)
            .await
            .map_err(map)
        }
    };
}

for_each_backend!(collide_impl);
