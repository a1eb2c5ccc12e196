//! Units: the tree with materialised paths.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use xuncha_core::import::ImportReport;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{NewUnit, Page, PageRequest, Unit, UnitFilter, UnitKind, UnitSort};
use xuncha_core::store::{AuditMeta, ImportParent, ImportUnit};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, json, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct UnitRow {
    id: i64,
    parent_id: Option<i64>,
    name: String,
    kind: String,
    region_code: Option<String>,
    path: String,
    depth: i64,
    budget_yuan: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<UnitRow> for Unit {
    type Error = StoreError;
    fn try_from(r: UnitRow) -> Result<Self, StoreError> {
        let kind = UnitKind::parse(&r.kind).ok_or_else(|| corrupt("unit kind", &r.kind))?;
        Ok(Unit {
            id: r.id,
            parent_id: r.parent_id,
            name: r.name,
            kind,
            region_code: r.region_code,
            path: r.path,
            depth: r.depth as i32,
            budget_yuan: r.budget_yuan,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

pub(crate) const SELECT: &str = "select id, parent_id, name, kind, region_code, path, depth, \
                                 budget_yuan, created_at, updated_at from units";

fn rows_to_units(rows: Vec<UnitRow>) -> Result<Vec<Unit>, StoreError> {
    rows.into_iter().map(Unit::try_from).collect()
}

macro_rules! units_impl {
    ($m:ident) => {
        pub(crate) async fn get_in(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Unit, StoreError> {
            let row: UnitRow = sqlx::query_as(&format!("{SELECT} where id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            row.try_into()
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Unit, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            get_in(&mut conn, id).await
        }

        /// Inserts a unit under `parent` (or as a root) and sets its path.
        async fn insert(
            tx: &mut sqlx::Transaction<'_, Db>,
            new: &NewUnit,
            parent: Option<&Unit>,
            at: i64,
        ) -> Result<Unit, StoreError> {
            let depth = parent.map(|p| i64::from(p.depth) + 1).unwrap_or(0);
            let id: i64 = sqlx::query_scalar(
                "insert into units (parent_id, name, kind, region_code, path, depth, budget_yuan, \
                 created_at, updated_at) values ($1, $2, $3, $4, '', $5, $6, $7, $7) returning id",
            )
            .bind(parent.map(|p| p.id))
            .bind(new.name.as_str())
            .bind(new.kind.as_str())
            .bind(&new.region_code)
            .bind(depth)
            .bind(new.budget_yuan)
            .bind(at)
            .fetch_one(&mut **tx)
            .await
            .map_err(map)?;
            let path = format!("{}{id}/", parent.map(|p| p.path.as_str()).unwrap_or("/"));
            sqlx::query("update units set path = $1 where id = $2")
                .bind(&path)
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(map)?;
            Ok(Unit {
                id,
                parent_id: parent.map(|p| p.id),
                name: new.name.as_str().to_owned(),
                kind: new.kind,
                region_code: new.region_code.clone(),
                path,
                depth: depth as i32,
                budget_yuan: new.budget_yuan,
                created_at: at,
                updated_at: at,
            })
        }

        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewUnit,
            meta: &AuditMeta,
        ) -> Result<Unit, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let parent = match new.parent_id {
                Some(pid) => Some(get_in(&mut tx, pid).await?),
                None => None,
            };
            let unit = insert(&mut tx, new, parent.as_ref(), meta.at).await?;
            let id = unit.id.to_string();
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "unit.create", "unit", Some(id.clone()), None, json(&unit)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "unit", &id, "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(unit)
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            id: i64,
            new: &NewUnit,
            meta: &AuditMeta,
        ) -> Result<Unit, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before = get_in(&mut tx, id).await?;
            sqlx::query(
                "update units set name = $1, kind = $2, region_code = $3, budget_yuan = $4, \
                 updated_at = $5 where id = $6",
            )
            .bind(new.name.as_str())
            .bind(new.kind.as_str())
            .bind(&new.region_code)
            .bind(new.budget_yuan)
            .bind(meta.at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            let after = get_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "unit.update",
                    "unit",
                    Some(id.to_string()),
                    json(&before),
                    json(&after),
                ),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "unit", &id.to_string(), "upsert", meta.at).await?;
            tx.commit().await.map_err(map)?;
            Ok(after)
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            scope: &Scope,
            filter: &UnitFilter,
            page: PageRequest,
        ) -> Result<Page<Unit>, StoreError> {
            let build = |select: &str| {
                let mut qb = QueryBuilder::<Db>::new(select);
                qb.push(" where 1 = 1");
                push_scope(&mut qb, "path", scope);
                if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
                    qb.push(" and name like ");
                    qb.push_bind(format!("%{}%", q.replace(['%', '_'], "")));
                }
                if let Some(k) = filter.kind {
                    qb.push(" and kind = ");
                    qb.push_bind(k.as_str().to_owned());
                }
                if let Some(p) = filter.parent_id {
                    qb.push(" and parent_id = ");
                    qb.push_bind(p);
                }
                qb
            };
            let total: i64 = build("select count(*) from units")
                .build_query_scalar()
                .fetch_one(pool)
                .await
                .map_err(map)?;
            let mut qb = build(SELECT);
            let dir = if filter.desc { "desc" } else { "asc" };
            let order = match filter.sort {
                UnitSort::Tree => format!("path {dir}"),
                UnitSort::Name => format!("name {dir}, id {dir}"),
                UnitSort::Kind => format!("kind {dir}, name {dir}"),
                UnitSort::Budget => format!("budget_yuan {dir}, name {dir}"),
            };
            qb.push(format!(" order by {order} limit "));
            qb.push_bind(page.limit());
            qb.push(" offset ");
            qb.push_bind(page.offset());
            let rows: Vec<UnitRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            Ok(Page {
                items: rows_to_units(rows)?,
                total,
                total_capped: false,
            })
        }

        pub(crate) async fn all(pool: &sqlx::Pool<Db>, scope: &Scope) -> Result<Vec<Unit>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(SELECT);
            qb.push(" where 1 = 1");
            push_scope(&mut qb, "path", scope);
            qb.push(" order by path");
            let rows: Vec<UnitRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows_to_units(rows)
        }

        pub(crate) async fn import(
            pool: &sqlx::Pool<Db>,
            rows: &[ImportUnit],
            meta: &AuditMeta,
        ) -> Result<ImportReport, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let mut created: Vec<Unit> = Vec::with_capacity(rows.len());
            let mut parents: HashMap<i64, Unit> = HashMap::new();
            for row in rows {
                let parent = match row.parent {
                    ImportParent::None => None,
                    ImportParent::Row(i) => Some(
                        created
                            .get(i)
                            .cloned()
                            .ok_or_else(|| StoreError::Conflict("parent row".into()))?,
                    ),
                    ImportParent::Existing(pid) => {
                        if !parents.contains_key(&pid) {
                            let p = get_in(&mut tx, pid).await?;
                            parents.insert(pid, p);
                        }
                        parents.get(&pid).cloned()
                    }
                };
                let unit = insert(&mut tx, &row.unit, parent.as_ref(), meta.at).await?;
                crate::audit::$m::outbox(&mut tx, "unit", &unit.id.to_string(), "upsert", meta.at)
                    .await?;
                created.push(unit);
            }
            let ids: Vec<i64> = created.iter().map(|u| u.id).collect();
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "import.units",
                    "unit",
                    None,
                    None,
                    Some(serde_json::json!({ "created": ids.len(), "ids": ids })),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(ImportReport {
                skipped: 0,
                created: created.len(),
                updated: 0,
                unmapped_headers: Vec::new(),
            })
        }
    };
}

for_each_backend!(units_impl);
