//! The audit chain and the search outbox, written inside the transaction of
//! each change.

use xuncha_core::audit::{chain_hash, AuditEntry, AuditRecord};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::error::map;

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    seq: i64,
    at: i64,
    actor_id: i64,
    actor_name: String,
    action: String,
    object_type: String,
    object_id: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditRecord {
    fn from(r: AuditRow) -> Self {
        AuditRecord {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            action: r.action,
            object_type: r.object_type,
            object_id: r.object_id,
            before: r.before_json,
            after: r.after_json,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Builds the entry of a change made by `meta`'s actor.
pub(crate) fn entry(
    meta: &AuditMeta,
    action: &str,
    object_type: &str,
    object_id: Option<String>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    AuditEntry {
        actor_id: meta.actor_id,
        actor_name: meta.actor_name.clone(),
        action: action.to_owned(),
        object_type: object_type.to_owned(),
        object_id,
        before,
        after,
        at: meta.at,
    }
}

const SELECT: &str = "select seq, at, actor_id, actor_name, action, object_type, object_id, \
                      before_json, after_json, prev_hash, hash from audit_log";

macro_rules! audit_impl {
    ($m:ident) => {
        /// Appends an audit record inside `tx`. Taking the head row first
        /// (an UPDATE) locks it, so concurrent writers chain one after another.
        pub(crate) async fn write(
            tx: &mut sqlx::Transaction<'_, Db>,
            e: &AuditEntry,
        ) -> Result<(), StoreError> {
            let (seq, prev): (i64, String) = sqlx::query_as(
                "update audit_head set seq = seq + 1 where id = 1 returning seq, hash",
            )
            .fetch_one(&mut **tx)
            .await
            .map_err(map)?;
            let before = e.before.as_ref().map(|v| v.to_string());
            let after = e.after.as_ref().map(|v| v.to_string());
            let hash = chain_hash(
                &prev,
                seq,
                e.at,
                e.actor_id,
                &e.actor_name,
                &e.action,
                &e.object_type,
                e.object_id.as_deref(),
                before.as_deref(),
                after.as_deref(),
            );
            sqlx::query(
                "insert into audit_log (seq, at, actor_id, actor_name, action, object_type, \
                 object_id, before_json, after_json, prev_hash, hash) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(seq)
            .bind(e.at)
            .bind(e.actor_id)
            .bind(&e.actor_name)
            .bind(&e.action)
            .bind(&e.object_type)
            .bind(&e.object_id)
            .bind(&before)
            .bind(&after)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut **tx)
            .await
            .map_err(map)?;
            sqlx::query("update audit_head set hash = $1 where id = 1")
                .bind(&hash)
                .execute(&mut **tx)
                .await
                .map_err(map)?;
            Ok(())
        }

        /// Queues a document for the search index.
        pub(crate) async fn outbox(
            tx: &mut sqlx::Transaction<'_, Db>,
            doc_type: &str,
            doc_id: &str,
            op: &str,
            at: i64,
        ) -> Result<(), StoreError> {
            sqlx::query(
                "insert into search_outbox (doc_type, doc_id, op, created_at) values ($1, $2, $3, $4)",
            )
            .bind(doc_type)
            .bind(doc_id)
            .bind(op)
            .bind(at)
            .execute(&mut **tx)
            .await
            .map_err(map)?;
            Ok(())
        }

        pub(crate) async fn record(pool: &sqlx::Pool<Db>, e: &AuditEntry) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            write(&mut tx, e).await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn page(
            pool: &sqlx::Pool<Db>,
            page: PageRequest,
        ) -> Result<Page<AuditRecord>, StoreError> {
            let total: i64 = sqlx::query_scalar("select seq from audit_head where id = 1")
                .fetch_one(pool)
                .await
                .map_err(map)?;
            let rows: Vec<AuditRow> =
                sqlx::query_as(&format!("{SELECT} order by seq desc limit $1 offset $2"))
                    .bind(page.limit())
                    .bind(page.offset())
                    .fetch_all(pool)
                    .await
                    .map_err(map)?;
            Ok(Page {
                items: rows.into_iter().map(Into::into).collect(),
                total,
                total_capped: false,
            })
        }

        pub(crate) async fn after(
            pool: &sqlx::Pool<Db>,
            after: i64,
            limit: i64,
        ) -> Result<Vec<AuditRecord>, StoreError> {
            let rows: Vec<AuditRow> =
                sqlx::query_as(&format!("{SELECT} where seq > $1 order by seq limit $2"))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(pool)
                    .await
                    .map_err(map)?;
            Ok(rows.into_iter().map(Into::into).collect())
        }

        pub(crate) async fn of(
            pool: &sqlx::Pool<Db>,
            object_type: &str,
            object_id: &str,
            limit: i64,
        ) -> Result<Vec<AuditRecord>, StoreError> {
            let rows: Vec<AuditRow> = sqlx::query_as(&format!(
                "{SELECT} where object_type = $1 and object_id = $2 order by seq desc limit $3"
            ))
            .bind(object_type)
            .bind(object_id)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows.into_iter().map(Into::into).collect())
        }

        pub(crate) async fn head(pool: &sqlx::Pool<Db>) -> Result<(i64, String), StoreError> {
            sqlx::query_as("select seq, hash from audit_head where id = 1")
                .fetch_one(pool)
                .await
                .map_err(map)
        }
    };
}

for_each_backend!(audit_impl);
