//! Public tips and their follow-up exchange. A named tipster's identity is
//! written to its own columns and read only by `identity`; audit images, the
//! search text and lists leave it out, and the receipt code exists here only
//! as its hash.

use sqlx::QueryBuilder;
use xuncha_core::intake::register::Identity;
use xuncha_core::intake::tip::{NewTip, Tip, TipMessage, TipOutcome, TipStatus};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::{AuditMeta, TipFilter};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{capped_page, close_capped_count, corrupt, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct TipRow {
    id: i64,
    round_id: i64,
    target_id: i64,
    unit_id: i64,
    unit_name: String,
    unit_path: String,
    status: String,
    received_date: String,
    body: String,
    photos: String,
    anonymous: bool,
    outcome: Option<String>,
    version: i64,
}

impl TryFrom<TipRow> for Tip {
    type Error = StoreError;
    fn try_from(r: TipRow) -> Result<Self, StoreError> {
        let bad = || corrupt("tip", &r.id.to_string());
        let outcome = match &r.outcome {
            Some(o) => Some(serde_json::from_str::<TipOutcome>(o).map_err(|_| bad())?),
            None => None,
        };
        Ok(Tip {
            id: r.id,
            round_id: r.round_id,
            target_id: r.target_id,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            status: TipStatus::parse(&r.status).ok_or_else(bad)?,
            received_date: r.received_date,
            photos: serde_json::from_str(&r.photos).map_err(|_| bad())?,
            body: r.body,
            anonymous: r.anonymous,
            outcome,
            messages: Vec::new(),
            version: r.version,
        })
    }
}

const SELECT: &str = "select p.id, p.round_id, p.target_id, p.unit_id, u.name as unit_name, \
     p.unit_path, p.status, p.received_date, p.body, p.photos, p.anonymous, p.outcome, \
     p.version from tips p join units u on u.id = p.unit_id";

/// The audit image of a tip: never its identity, text or receipt.
fn image(t: &Tip) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "round_id": t.round_id, "unit_id": t.unit_id, "status": t.status.as_str(),
        "anonymous": t.anonymous, "photos": t.photos.len(), "outcome": t.outcome,
    }))
}

fn push_filter<'a, DB>(qb: &mut QueryBuilder<'a, DB>, f: &TipFilter)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(s) = &f.status {
        qb.push(" and p.status = ");
        qb.push_bind(s.clone());
    }
    if let Some(r) = f.round_id {
        qb.push(" and p.round_id = ");
        qb.push_bind(r);
    }
    push_scope(qb, "p.unit_path", &f.scope);
}

macro_rules! tips_impl {
    ($m:ident) => {
        async fn one(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Tip, StoreError> {
            let row: TipRow = sqlx::query_as(&format!("{SELECT} where p.id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            Tip::try_from(row)
        }

        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewTip,
            meta: &AuditMeta,
        ) -> Result<Tip, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let photos =
                serde_json::to_string(&new.photos).map_err(|e| StoreError::Other(e.into()))?;
            let id: i64 = sqlx::query_scalar(
                "insert into tips (round_id, target_id, unit_id, unit_path, status, \
                 received_date, body, photos, tipster_name, tipster_contact, anonymous, \
                 receipt_hash, outcome, version, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, null, 1, $13, $13) \
                 returning id",
            )
            .bind(new.round_id)
            .bind(new.target_id)
            .bind(new.unit_id)
            .bind(&new.unit_path)
            .bind(TipStatus::New.as_str())
            .bind(&new.received_date)
            .bind(&new.body)
            .bind(&photos)
            .bind(new.identity.as_ref().map(|i| i.name.clone()))
            .bind(new.identity.as_ref().map(|i| i.contact.clone()))
            .bind(new.identity.is_none())
            .bind(&new.receipt_hash)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let t = one(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "tip.create", "tip", Some(id.to_string()), None, image(&t)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "tip", &id.to_string(), "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(t)
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Tip, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            let mut t = one(&mut conn, id).await?;
            let rows: Vec<(bool, String, String)> = sqlx::query_as(
                "select from_tipster, body, created_date from tip_messages \
                 where tip_id = $1 order by id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .map_err(map)?;
            t.messages = rows
                .into_iter()
                .map(|(from_tipster, body, date)| TipMessage { from_tipster, body, date })
                .collect();
            Ok(t)
        }

        pub(crate) async fn by_receipt(
            pool: &sqlx::Pool<Db>,
            hash: &str,
        ) -> Result<Option<Tip>, StoreError> {
            let row: Option<TipRow> =
                sqlx::query_as(&format!("{SELECT} where p.receipt_hash = $1"))
                    .bind(hash)
                    .fetch_optional(pool)
                    .await
                    .map_err(map)?;
            row.map(Tip::try_from).transpose()
        }

        pub(crate) async fn identity(
            pool: &sqlx::Pool<Db>,
            id: i64,
        ) -> Result<Option<Identity>, StoreError> {
            let (name, contact): (Option<String>, Option<String>) =
                sqlx::query_as("select tipster_name, tipster_contact from tips where id = $1")
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .map_err(map)?;
            Ok(name.map(|name| Identity {
                name,
                contact: contact.unwrap_or_default(),
            }))
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            f: &TipFilter,
            page: PageRequest,
        ) -> Result<Page<Tip>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where 1 = 1"));
            push_filter(&mut qb, f);
            qb.push(" order by p.id desc limit ");
            qb.push_bind(page.limit());
            qb.push(" offset ");
            qb.push_bind(page.offset());
            let rows: Vec<TipRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            let items = rows
                .into_iter()
                .map(Tip::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            let mut qc =
                QueryBuilder::<Db>::new("select count(*) from (select 1 from tips p where 1 = 1");
            push_filter(&mut qc, f);
            close_capped_count(&mut qc);
            let total: i64 = qc.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            Ok(capped_page(items, total))
        }

        pub(crate) async fn set_outcome(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            outcome: &TipOutcome,
            meta: &AuditMeta,
        ) -> Result<Tip, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let json = serde_json::to_string(outcome).map_err(|e| StoreError::Other(e.into()))?;
            let done = sqlx::query(
                "update tips set status = $1, outcome = $2, version = version + 1, \
                 updated_at = $3 where id = $4 and version = $5",
            )
            .bind(outcome.status().as_str())
            .bind(&json)
            .bind(meta.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("tip changed meanwhile".into()));
            }
            let t = one(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "tip.triage", "tip", Some(id.to_string()), None, image(&t)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "tip", &id.to_string(), "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(t)
        }

        pub(crate) async fn add_message(
            pool: &sqlx::Pool<Db>,
            id: i64,
            author_id: Option<i64>,
            body: &str,
            date: &str,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            sqlx::query(
                "insert into tip_messages (tip_id, from_tipster, author_id, body, \
                 created_date, created_at) values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(author_id.is_none())
            .bind(author_id)
            .bind(body)
            .bind(date)
            .bind(meta.at)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            let action = if author_id.is_some() { "tip.reply" } else { "tip.tipster_message" };
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, action, "tip", Some(id.to_string()), None, None),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(())
        }
    };
}

for_each_backend!(tips_impl);
