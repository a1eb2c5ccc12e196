//! Relations, work history, leadership posts and the inspector pool.

use sqlx::QueryBuilder;
use xuncha_core::import::ImportReport;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{
    Inspector, Kinship, LeadershipPost, NewInspector, NewRelation, NewWorkHistory, PostRank,
    Relation, Skill, WorkHistory,
};
use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, json, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct RelationRow {
    id: i64,
    person_a_id: i64,
    person_a_name: String,
    person_b_id: i64,
    person_b_name: String,
    kind: String,
    detail: Option<String>,
}

impl TryFrom<RelationRow> for Relation {
    type Error = StoreError;
    fn try_from(r: RelationRow) -> Result<Self, StoreError> {
        Ok(Relation {
            id: r.id,
            person_a_id: r.person_a_id,
            person_a_name: r.person_a_name,
            person_b_id: r.person_b_id,
            person_b_name: r.person_b_name,
            kind: Kinship::parse(&r.kind).ok_or_else(|| corrupt("kinship", &r.kind))?,
            detail: r.detail,
        })
    }
}

const SELECT_RELATION: &str = "select r.id, r.person_a_id, a.name as person_a_name, \
     r.person_b_id, b.name as person_b_name, r.kind, r.detail from relations r \
     join persons a on a.id = r.person_a_id join persons b on b.id = r.person_b_id";

#[derive(sqlx::FromRow)]
pub(crate) struct WorkRow {
    id: i64,
    person_id: i64,
    unit_id: i64,
    unit_name: String,
    position: Option<String>,
    from_date: String,
    to_date: Option<String>,
}

impl From<WorkRow> for WorkHistory {
    fn from(r: WorkRow) -> Self {
        WorkHistory {
            id: r.id,
            person_id: r.person_id,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            position: r.position,
            from_date: r.from_date,
            to_date: r.to_date,
        }
    }
}

const SELECT_WORK: &str = "select w.id, w.person_id, w.unit_id, u.name as unit_name, w.position, \
     w.from_date, w.to_date from work_history w join units u on u.id = w.unit_id";

#[derive(sqlx::FromRow)]
pub(crate) struct PostRow {
    id: i64,
    unit_id: i64,
    person_id: i64,
    person_name: String,
    title: String,
    rank: String,
}

impl TryFrom<PostRow> for LeadershipPost {
    type Error = StoreError;
    fn try_from(r: PostRow) -> Result<Self, StoreError> {
        Ok(LeadershipPost {
            id: r.id,
            unit_id: r.unit_id,
            person_id: r.person_id,
            person_name: r.person_name,
            title: r.title,
            rank: PostRank::parse(&r.rank).ok_or_else(|| corrupt("post rank", &r.rank))?,
        })
    }
}

const SELECT_POST: &str = "select l.id, l.unit_id, l.person_id, p.name as person_name, l.title, \
     l.rank from leadership_posts l join persons p on p.id = l.person_id";

#[derive(sqlx::FromRow)]
pub(crate) struct InspectorRow {
    id: i64,
    person_id: i64,
    person_name: String,
    source_unit_id: Option<i64>,
    source_unit_name: Option<String>,
    skills: String,
    rounds_served: i64,
    user_id: Option<i64>,
    home_region_code: Option<String>,
}

impl From<InspectorRow> for Inspector {
    fn from(r: InspectorRow) -> Self {
        Inspector {
            id: r.id,
            person_id: r.person_id,
            person_name: r.person_name,
            source_unit_id: r.source_unit_id,
            source_unit_name: r.source_unit_name,
            skills: r.skills.split(',').filter_map(Skill::parse).collect(),
            rounds_served: r.rounds_served as i32,
            user_id: r.user_id,
            home_region_code: r.home_region_code,
        }
    }
}

const SELECT_INSPECTOR: &str = "select i.id, i.person_id, p.name as person_name, \
     i.source_unit_id, u.name as source_unit_name, i.skills, i.rounds_served, i.user_id, \
     i.home_region_code from inspectors i \
     join persons p on p.id = i.person_id left join units u on u.id = i.source_unit_id";

/// Relations are stored with the smaller person id first, so a pair is one row.
fn ordered(r: &NewRelation) -> (i64, i64) {
    (
        r.person_a_id.min(r.person_b_id),
        r.person_a_id.max(r.person_b_id),
    )
}

macro_rules! extra_impl {
    ($m:ident) => {
        pub(crate) async fn add_relation(
            pool: &sqlx::Pool<Db>,
            new: &NewRelation,
            meta: &AuditMeta,
        ) -> Result<Relation, StoreError> {
            let (a, b) = ordered(new);
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into relations (person_a_id, person_b_id, kind, detail, created_at) \
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(a)
            .bind(b)
            .bind(new.kind.as_str())
            .bind(&new.detail)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: RelationRow = sqlx::query_as(&format!("{SELECT_RELATION} where r.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let rel = Relation::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "relation.create", "relation", Some(id.to_string()), None, json(&rel)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(rel)
        }

        pub(crate) async fn import_relations(
            pool: &sqlx::Pool<Db>,
            rows: &[NewRelation],
            meta: &AuditMeta,
        ) -> Result<ImportReport, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let mut created = 0usize;
            for r in rows {
                let (a, b) = ordered(r);
                let done = sqlx::query(
                    "insert into relations (person_a_id, person_b_id, kind, detail, created_at) \
                     values ($1, $2, $3, $4, $5) on conflict do nothing",
                )
                .bind(a)
                .bind(b)
                .bind(r.kind.as_str())
                .bind(&r.detail)
                .bind(meta.at)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                created += done.rows_affected() as usize;
            }
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "import.relations",
                    "relation",
                    None,
                    None,
                    Some(serde_json::json!({ "created": created, "rows": rows.len() })),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(ImportReport {
                skipped: 0,
                created,
                updated: 0,
                unmapped_headers: Vec::new(),
            })
        }

        pub(crate) async fn relations_of(
            pool: &sqlx::Pool<Db>,
            person_id: i64,
        ) -> Result<Vec<Relation>, StoreError> {
            let rows: Vec<RelationRow> = sqlx::query_as(&format!(
                "{SELECT_RELATION} where r.person_a_id = $1 or r.person_b_id = $1 order by r.id"
            ))
            .bind(person_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter().map(Relation::try_from).collect()
        }

        pub(crate) async fn relations_in(
            pool: &sqlx::Pool<Db>,
            scope: &Scope,
        ) -> Result<Vec<Relation>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT_RELATION} where (1 = 1"));
            push_scope(&mut qb, "a.unit_path", scope);
            qb.push(") or (1 = 1");
            push_scope(&mut qb, "b.unit_path", scope);
            qb.push(") order by r.id");
            let rows: Vec<RelationRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Relation::try_from).collect()
        }

        pub(crate) async fn add_work(
            pool: &sqlx::Pool<Db>,
            new: &NewWorkHistory,
            meta: &AuditMeta,
        ) -> Result<WorkHistory, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into work_history (person_id, unit_id, position, from_date, to_date, \
                 created_at) values ($1, $2, $3, $4, $5, $6) returning id",
            )
            .bind(new.person_id)
            .bind(new.unit_id)
            .bind(&new.position)
            .bind(&new.from_date)
            .bind(&new.to_date)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: WorkRow = sqlx::query_as(&format!("{SELECT_WORK} where w.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let w = WorkHistory::from(row);
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "work_history.create", "work_history", Some(id.to_string()), None, json(&w)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(w)
        }

        pub(crate) async fn work_of(
            pool: &sqlx::Pool<Db>,
            person_id: i64,
        ) -> Result<Vec<WorkHistory>, StoreError> {
            let rows: Vec<WorkRow> = sqlx::query_as(&format!(
                "{SELECT_WORK} where w.person_id = $1 order by w.from_date desc"
            ))
            .bind(person_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows.into_iter().map(Into::into).collect())
        }

        pub(crate) async fn add_post(
            pool: &sqlx::Pool<Db>,
            unit_id: i64,
            person_id: i64,
            title: &str,
            rank: PostRank,
            meta: &AuditMeta,
        ) -> Result<LeadershipPost, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into leadership_posts (unit_id, person_id, title, rank, created_at) \
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(unit_id)
            .bind(person_id)
            .bind(title)
            .bind(rank.as_str())
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: PostRow = sqlx::query_as(&format!("{SELECT_POST} where l.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let post = LeadershipPost::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "leadership.create", "leadership_post", Some(id.to_string()), None, json(&post)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(post)
        }

        pub(crate) async fn leadership_of(
            pool: &sqlx::Pool<Db>,
            unit_id: i64,
        ) -> Result<Vec<LeadershipPost>, StoreError> {
            // dialect-neutral ordering: principal, deputy, member.
            let rows: Vec<PostRow> = sqlx::query_as(&format!(
                "{SELECT_POST} where l.unit_id = $1 order by case l.rank when 'principal' then 0 \
                 when 'deputy' then 1 else 2 end, l.id"
            ))
            .bind(unit_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter().map(LeadershipPost::try_from).collect()
        }

        pub(crate) async fn add_inspector(
            pool: &sqlx::Pool<Db>,
            new: &NewInspector,
            meta: &AuditMeta,
        ) -> Result<Inspector, StoreError> {
            let skills: Vec<&str> = new.skills.iter().map(|s| s.as_str()).collect();
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into inspectors (person_id, source_unit_id, skills, rounds_served, \
                 created_at) values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(new.person_id)
            .bind(new.source_unit_id)
            .bind(skills.join(","))
            .bind(i64::from(new.rounds_served))
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: InspectorRow = sqlx::query_as(&format!("{SELECT_INSPECTOR} where i.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let ins = Inspector::from(row);
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "inspector.create", "inspector", Some(id.to_string()), None, json(&ins)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(ins)
        }

        pub(crate) async fn inspectors(pool: &sqlx::Pool<Db>) -> Result<Vec<Inspector>, StoreError> {
            let rows: Vec<InspectorRow> =
                sqlx::query_as(&format!("{SELECT_INSPECTOR} order by i.id"))
                    .fetch_all(pool)
                    .await
                    .map_err(map)?;
            Ok(rows.into_iter().map(Into::into).collect())
        }
    };
}

for_each_backend!(extra_impl);
