//! Petitions. The petitioner's identity is written to its own columns and
//! read only by `identity`; audit images and the search text leave it out.

use sqlx::QueryBuilder;
use xuncha_core::intake::petition::Category;
use xuncha_core::intake::register::{Identity, NewPetition, Petition, PetitionData};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::{AuditMeta, PetitionFilter};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{capped_page, close_capped_count, corrupt, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct PetitionRow {
    id: i64,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    unit_path: Option<String>,
    domain: Option<String>,
    title: String,
    anonymous: bool,
    duplicate_of: Option<i64>,
    due_date: Option<String>,
    data: String,
    version: i64,
}

impl TryFrom<PetitionRow> for Petition {
    type Error = StoreError;
    fn try_from(r: PetitionRow) -> Result<Self, StoreError> {
        let d: PetitionData =
            serde_json::from_str(&r.data).map_err(|_| corrupt("petition", &r.id.to_string()))?;
        Ok(Petition {
            id: r.id,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            channel: d.channel,
            domain: r.domain,
            title: r.title,
            content: d.content,
            persons: d.persons,
            anonymous: r.anonymous,
            representatives: d.representatives,
            duplicate_of: r.duplicate_of,
            lifecycle: d.lifecycle,
            due_date: r.due_date,
            version: r.version,
        })
    }
}

const SELECT: &str = "select p.id, p.unit_id, u.name as unit_name, p.unit_path, p.domain, \
     p.title, p.anonymous, p.duplicate_of, p.due_date, p.data, p.version \
     from petitions p left join units u on u.id = p.unit_id";

/// The audit image of a petition: never its identity.
fn image(p: &Petition) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "title": p.title, "status": p.lifecycle.status.as_str(), "unit_id": p.unit_id,
        "anonymous": p.anonymous, "duplicate_of": p.duplicate_of, "due_date": p.due_date,
        "steps": p.lifecycle.steps,
    }))
}

fn push_filter<'a, DB>(qb: &mut QueryBuilder<'a, DB>, f: &PetitionFilter)
where
    DB: sqlx::Database,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    if let Some(s) = &f.status {
        qb.push(" and p.status = ");
        qb.push_bind(s.clone());
    }
    if let Some(path) = &f.unit_path {
        qb.push(" and p.unit_path >= ");
        qb.push_bind(path.clone());
        qb.push(" and p.unit_path < ");
        qb.push_bind(crate::shared::prefix_upper(path));
    }
    if let Some(d) = &f.due_before {
        qb.push(" and p.due_date is not null and p.due_date < ");
        qb.push_bind(d.clone());
    }
    if let Some(d) = &f.from {
        qb.push(" and p.registered_date >= ");
        qb.push_bind(d.clone());
    }
    if let Some(d) = &f.to {
        qb.push(" and p.registered_date <= ");
        qb.push_bind(d.clone());
    }
    if let Some(d) = &f.supervision_due_before {
        qb.push(
            " and exists (select 1 from petition_supervisions s where s.petition_id = p.id \
             and s.state = 'open' and s.deadline < ",
        );
        qb.push_bind(d.clone());
        qb.push(")");
    }
    // Petitions about no unit are seen only by an unrestricted scope.
    if !f.scope.sees_unattached() {
        qb.push(" and p.unit_path is not null");
    }
    push_scope(qb, "p.unit_path", &f.scope);
}

macro_rules! petitions_impl {
    ($m:ident) => {
        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewPetition,
            due_date: Option<&str>,
            meta: &AuditMeta,
        ) -> Result<Petition, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let data = serde_json::to_string(&new.data).map_err(|e| StoreError::Other(e.into()))?;
            let category: Category = new.category;
            let id: i64 = sqlx::query_scalar(
                "insert into petitions (unit_id, unit_path, category, channel, status, domain, \
                 registered_date, due_date, title, body, petitioner_name, petitioner_contact, \
                 anonymous, duplicate_of, data, version, created_by, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17, $17) \
                 returning id",
            )
            .bind(new.unit_id)
            .bind(&new.unit_path)
            .bind(category.as_str())
            .bind(new.data.channel.as_str())
            .bind(new.data.lifecycle.status.as_str())
            .bind(&new.domain)
            .bind(&new.data.lifecycle.registered)
            .bind(due_date)
            .bind(&new.title)
            .bind(format!("{} {}", new.data.content, new.data.persons.join(" ")))
            .bind(new.identity.as_ref().map(|i| i.name.clone()))
            .bind(new.identity.as_ref().map(|i| i.contact.clone()))
            .bind(new.identity.is_none())
            .bind(new.duplicate_of)
            .bind(&data)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: PetitionRow = sqlx::query_as(&format!("{SELECT} where p.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let p = Petition::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "petition.create", "petition", Some(id.to_string()), None, image(&p)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "petition", &id.to_string(), "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(p)
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Petition, StoreError> {
            let row: PetitionRow = sqlx::query_as(&format!("{SELECT} where p.id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            Petition::try_from(row)
        }

        pub(crate) async fn identity(
            pool: &sqlx::Pool<Db>,
            id: i64,
        ) -> Result<Option<Identity>, StoreError> {
            let (name, contact): (Option<String>, Option<String>) = sqlx::query_as(
                "select petitioner_name, petitioner_contact from petitions where id = $1",
            )
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
            f: &PetitionFilter,
            page: PageRequest,
        ) -> Result<Page<Petition>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where 1 = 1"));
            push_filter(&mut qb, f);
            qb.push(" order by p.id desc limit ");
            qb.push_bind(page.limit());
            qb.push(" offset ");
            qb.push_bind(page.offset());
            let rows: Vec<PetitionRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            let items = rows
                .into_iter()
                .map(Petition::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            let mut qc = QueryBuilder::<Db>::new(
                "select count(*) from (select 1 from petitions p where 1 = 1",
            );
            push_filter(&mut qc, f);
            close_capped_count(&mut qc);
            let total: i64 = qc.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            Ok(capped_page(items, total))
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            data: &PetitionData,
            due_date: Option<&str>,
            action: &str,
            meta: &AuditMeta,
        ) -> Result<Petition, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let json = serde_json::to_string(data).map_err(|e| StoreError::Other(e.into()))?;
            let done = sqlx::query(
                "update petitions set status = $1, due_date = $2, data = $3, \
                 version = version + 1, updated_at = $4 where id = $5 and version = $6",
            )
            .bind(data.lifecycle.status.as_str())
            .bind(due_date)
            .bind(&json)
            .bind(meta.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("petition changed meanwhile".into()));
            }
            let row: PetitionRow = sqlx::query_as(&format!("{SELECT} where p.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let p = Petition::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, action, "petition", Some(id.to_string()), None, image(&p)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "petition", &id.to_string(), "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(p)
        }

        pub(crate) async fn texts(
            pool: &sqlx::Pool<Db>,
            unit_id: Option<i64>,
            limit: i64,
        ) -> Result<Vec<(i64, String)>, StoreError> {
            let rows: Vec<(i64, String)> = match unit_id {
                Some(u) => sqlx::query_as(
                    "select id, body from petitions where unit_id = $1 order by id desc limit $2",
                )
                .bind(u)
                .bind(limit),
                None => sqlx::query_as(
                    "select id, body from petitions where unit_id is null order by id desc limit $1",
                )
                .bind(limit),
            }
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows)
        }
    };
}

for_each_backend!(petitions_impl);
