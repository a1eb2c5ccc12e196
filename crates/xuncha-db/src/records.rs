//! The shared record table of the round's work (fieldwork, papers, clues,
//! reports, transfers, rectification items …).

use sqlx::QueryBuilder;
use xuncha_core::inspection::record::{
    NewRecord, RecordCount, RecordFilter, RecordKind, RecordMeta, RecordUpdate, StoredRecord,
};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{capped_page, close_capped_count, corrupt, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct RecordRow {
    id: i64,
    kind: String,
    round_id: i64,
    target_id: i64,
    unit_id: i64,
    unit_path: String,
    status: String,
    tag: Option<String>,
    due_date: Option<String>,
    version: i64,
    data: String,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<RecordRow> for StoredRecord {
    type Error = StoreError;
    fn try_from(r: RecordRow) -> Result<Self, StoreError> {
        Ok(StoredRecord {
            meta: RecordMeta {
                id: r.id,
                kind: RecordKind::parse(&r.kind).ok_or_else(|| corrupt("record kind", &r.kind))?,
                round_id: r.round_id,
                target_id: r.target_id,
                unit_id: r.unit_id,
                unit_path: r.unit_path,
                status: r.status,
                tag: r.tag,
                due_date: r.due_date,
                version: r.version,
                created_by: r.created_by,
                created_at: r.created_at,
                updated_at: r.updated_at,
            },
            data: r.data,
        })
    }
}

const COLUMNS: &str = "id, kind, round_id, target_id, unit_id, unit_path, status, tag, due_date, \
                       version, data, created_by, created_at, updated_at";

/// The audit after-image of a record: its envelope and content.
fn image(meta: &RecordMeta, data: &str) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "status": meta.status,
        "tag": meta.tag,
        "due_date": meta.due_date,
        "version": meta.version,
        "data": serde_json::from_str::<serde_json::Value>(data).ok(),
    }))
}

/// Appends the filter's conditions (after a `where 1 = 1`).
fn push_filter<'a, DB>(qb: &mut QueryBuilder<'a, DB>, f: &RecordFilter)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" and kind = ");
    qb.push_bind(f.kind.as_str().to_owned());
    if let Some(r) = f.round_id {
        qb.push(" and round_id = ");
        qb.push_bind(r);
    }
    if let Some(t) = f.target_id {
        qb.push(" and target_id = ");
        qb.push_bind(t);
    }
    if let Some(s) = &f.status {
        qb.push(" and status = ");
        qb.push_bind(s.clone());
    }
    if let Some(t) = &f.tag {
        qb.push(" and tag = ");
        qb.push_bind(t.clone());
    }
    if let Some(d) = &f.due_before {
        qb.push(" and due_date is not null and due_date < ");
        qb.push_bind(d.clone());
    }
    if let Some(id) = f.before_id {
        qb.push(" and id < ");
        qb.push_bind(id);
    }
    push_scope(qb, "unit_path", &f.scope);
}

macro_rules! records_impl {
    ($m:ident) => {
        pub(crate) async fn insert(
            pool: &sqlx::Pool<Db>,
            new: &NewRecord,
            meta: &AuditMeta,
        ) -> Result<RecordMeta, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into records (kind, round_id, target_id, unit_id, unit_path, status, tag, \
                 due_date, title, body, version, data, created_by, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $13, $13) returning id",
            )
            .bind(new.kind.as_str())
            .bind(new.round_id)
            .bind(new.target_id)
            .bind(new.unit_id)
            .bind(&new.unit_path)
            .bind(&new.status)
            .bind(&new.tag)
            .bind(&new.due_date)
            .bind(&new.search.0)
            .bind(&new.search.1)
            .bind(&new.data)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let rec = get_in(&mut tx, id).await?;
            let kind = new.kind.as_str();
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, &format!("{kind}.create"), kind, Some(id.to_string()), None, image(&rec.meta, &rec.data)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, kind, &id.to_string(), "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(rec.meta)
        }

        async fn get_in(
            tx: &mut sqlx::Transaction<'_, Db>,
            id: i64,
        ) -> Result<StoredRecord, StoreError> {
            let row: RecordRow = sqlx::query_as(&format!("select {COLUMNS} from records where id = $1"))
                .bind(id)
                .fetch_one(&mut **tx)
                .await
                .map_err(map)?;
            StoredRecord::try_from(row)
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            id: i64,
            u: &RecordUpdate,
            meta: &AuditMeta,
        ) -> Result<RecordMeta, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before = get_in(&mut tx, id).await?;
            let done = sqlx::query(
                "update records set status = $1, tag = $2, due_date = $3, data = $4, \
                 title = $5, body = $6, version = version + 1, updated_at = $7 \
                 where id = $8 and version = $9",
            )
            .bind(&u.status)
            .bind(&u.tag)
            .bind(&u.due_date)
            .bind(&u.data)
            .bind(&u.search.0)
            .bind(&u.search.1)
            .bind(meta.at)
            .bind(id)
            .bind(u.expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("record changed meanwhile".into()));
            }
            let after = get_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    &u.action,
                    before.meta.kind.as_str(),
                    Some(id.to_string()),
                    image(&before.meta, &before.data),
                    image(&after.meta, &after.data),
                ),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, after.meta.kind.as_str(), &id.to_string(), "upsert", meta.at)
                .await?;
            tx.commit().await.map_err(map)?;
            Ok(after.meta)
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<StoredRecord, StoreError> {
            let row: RecordRow = sqlx::query_as(&format!("select {COLUMNS} from records where id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            StoredRecord::try_from(row)
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            f: &RecordFilter,
            page: PageRequest,
        ) -> Result<Page<StoredRecord>, StoreError> {
            // Ids first (from an index), then the rows: a deep page then
            // skips index entries instead of whole rows with their JSON.
            let mut qb = QueryBuilder::<Db>::new("select id from records where 1 = 1");
            push_filter(&mut qb, f);
            qb.push(if f.due_first {
                " order by due_date, id limit "
            } else {
                " order by id desc limit "
            });
            qb.push_bind(page.limit());
            qb.push(" offset ");
            qb.push_bind(page.offset());
            let ids: Vec<i64> = qb.build_query_scalar().fetch_all(pool).await.map_err(map)?;
            let mut rows: Vec<RecordRow> = Vec::with_capacity(ids.len());
            if !ids.is_empty() {
                let mut qr = QueryBuilder::<Db>::new(format!("select {COLUMNS} from records where id in ("));
                let mut sep = qr.separated(", ");
                for id in &ids {
                    sep.push_bind(*id);
                }
                qr.push(")");
                let mut found: Vec<RecordRow> = qr.build_query_as().fetch_all(pool).await.map_err(map)?;
                for id in &ids {
                    if let Some(i) = found.iter().position(|r| r.id == *id) {
                        rows.push(found.swap_remove(i));
                    }
                }
            }
            let items = rows
                .into_iter()
                .map(StoredRecord::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            // Count up to the cap only: a ledger of 500,000 rows needs no exact
            // total on every page turn.
            let mut qc = QueryBuilder::<Db>::new("select count(*) from (select 1 from records where 1 = 1");
            push_filter(&mut qc, f);
            close_capped_count(&mut qc);
            let total: i64 = qc.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            Ok(capped_page(items, total))
        }

        pub(crate) async fn of_round(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
        ) -> Result<Vec<StoredRecord>, StoreError> {
            let rows: Vec<RecordRow> = sqlx::query_as(&format!(
                "select {COLUMNS} from records where round_id = $1 order by id"
            ))
            .bind(round_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter().map(StoredRecord::try_from).collect()
        }

        pub(crate) async fn unit_counts(
            pool: &sqlx::Pool<Db>,
            f: &RecordFilter,
        ) -> Result<Vec<(i64, String, i64)>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new("select unit_id, status, count(*) from records where 1 = 1");
            push_filter(&mut qb, f);
            qb.push(" group by unit_id, status");
            qb.build_query_as().fetch_all(pool).await.map_err(map)
        }

        pub(crate) async fn counts(
            pool: &sqlx::Pool<Db>,
            f: &RecordFilter,
        ) -> Result<Vec<RecordCount>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new("select kind, status, tag, count(*) from records where 1 = 1");
            push_filter(&mut qb, f);
            qb.push(" group by kind, status, tag order by kind, status, tag");
            let rows: Vec<(String, String, Option<String>, i64)> =
                qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter()
                .map(|(kind, status, tag, count)| {
                    Ok(RecordCount {
                        kind: RecordKind::parse(&kind).ok_or_else(|| corrupt("record kind", &kind))?,
                        status,
                        tag,
                        count,
                    })
                })
                .collect()
        }
    };
}

for_each_backend!(records_impl);
