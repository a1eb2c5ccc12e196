//! 督办 of petitions: supervisions with their replies; each change written
//! with its audit record (about the petition, so the petition's timeline
//! shows it) in one transaction.

use sqlx::QueryBuilder;
use xuncha_core::intake::supervision::{
    Level, NewSupervision, State, Supervision, SupervisionData,
};
use xuncha_core::policy::Scope;
use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct SupervisionRow {
    id: i64,
    petition_id: i64,
    level: String,
    state: String,
    issued_date: String,
    deadline: String,
    data: String,
    version: i64,
}

impl TryFrom<SupervisionRow> for Supervision {
    type Error = StoreError;
    fn try_from(r: SupervisionRow) -> Result<Self, StoreError> {
        let bad = || corrupt("supervision", &r.id.to_string());
        let data: SupervisionData = serde_json::from_str(&r.data).map_err(|_| bad())?;
        Ok(Supervision {
            id: r.id,
            petition_id: r.petition_id,
            level: Level::parse(&r.level).ok_or_else(bad)?,
            state: State::parse(&r.state).ok_or_else(bad)?,
            issued: r.issued_date,
            deadline: r.deadline,
            data,
            version: r.version,
        })
    }
}

const SELECT: &str = "select id, petition_id, level, state, issued_date, deadline, data, version \
     from petition_supervisions";

/// The audit image of a supervision (no petitioner is ever in it).
fn image(s: &Supervision) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "supervision_id": s.id, "level": s.level.as_str(), "state": s.state.as_str(),
        "deadline": s.deadline, "requirement": s.data.requirement,
        "replies": s.data.replies, "closing": s.data.closing,
    }))
}

fn to_json(d: &SupervisionData) -> Result<String, StoreError> {
    serde_json::to_string(d).map_err(|e| StoreError::Other(e.into()))
}

macro_rules! supervisions_impl {
    ($m:ident) => {
        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewSupervision,
            meta: &AuditMeta,
        ) -> Result<Supervision, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into petition_supervisions (petition_id, level, state, issued_date, \
                 deadline, data, version, created_by, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8) returning id",
            )
            .bind(new.petition_id)
            .bind(new.level.as_str())
            .bind(State::Open.as_str())
            .bind(&new.issued)
            .bind(&new.deadline)
            .bind(to_json(&new.data)?)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: SupervisionRow = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let s = Supervision::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "petition.supervise",
                    "petition",
                    Some(s.petition_id.to_string()),
                    None,
                    image(&s),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(s)
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Supervision, StoreError> {
            let row: SupervisionRow = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            Supervision::try_from(row)
        }

        pub(crate) async fn of(
            pool: &sqlx::Pool<Db>,
            petition_ids: &[i64],
        ) -> Result<Vec<Supervision>, StoreError> {
            if petition_ids.is_empty() {
                return Ok(Vec::new());
            }
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where petition_id in ("));
            let mut list = qb.separated(", ");
            for id in petition_ids {
                list.push_bind(*id);
            }
            qb.push(") order by petition_id, id");
            let rows: Vec<SupervisionRow> =
                qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Supervision::try_from).collect()
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            s: &Supervision,
            expected_version: i64,
            action: &str,
            meta: &AuditMeta,
        ) -> Result<Supervision, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before: SupervisionRow = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(s.id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let before = Supervision::try_from(before)?;
            let done = sqlx::query(
                "update petition_supervisions set state = $1, data = $2, \
                 version = version + 1, updated_at = $3 where id = $4 and version = $5",
            )
            .bind(s.state.as_str())
            .bind(to_json(&s.data)?)
            .bind(meta.at)
            .bind(s.id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("supervision changed meanwhile".into()));
            }
            let row: SupervisionRow = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(s.id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let after = Supervision::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    action,
                    "petition",
                    Some(after.petition_id.to_string()),
                    image(&before),
                    image(&after),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(after)
        }

        pub(crate) async fn count_overdue(
            pool: &sqlx::Pool<Db>,
            scope: &Scope,
            today: &str,
        ) -> Result<i64, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(
                "select count(*) from petition_supervisions s \
                 join petitions p on p.id = s.petition_id where s.state = ",
            );
            qb.push_bind(State::Open.as_str().to_owned());
            qb.push(" and s.deadline < ");
            qb.push_bind(today.to_owned());
            if !scope.sees_unattached() {
                qb.push(" and p.unit_path is not null");
            }
            push_scope(&mut qb, "p.unit_path", scope);
            let n: i64 = qb.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            Ok(n)
        }
    };
}

for_each_backend!(supervisions_impl);
