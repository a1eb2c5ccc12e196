//! Persons.

use std::collections::HashMap;

use sqlx::QueryBuilder;
use xuncha_core::import::ImportReport;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{
    Gender, NewPerson, Page, PageRequest, Person, PersonFilter, PersonSort, COUNT_CAP,
};
use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{json, push_prefix, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct PersonRow {
    id: i64,
    name: String,
    id_number: Option<String>,
    gender: Option<String>,
    birth_date: Option<String>,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    unit_path: Option<String>,
    position: Option<String>,
    phone: Option<String>,
    created_at: i64,
    updated_at: i64,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        Person {
            id: r.id,
            name: r.name,
            id_number: r.id_number,
            gender: r.gender.as_deref().and_then(Gender::parse),
            birth_date: r.birth_date,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            position: r.position,
            phone: r.phone,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

const SELECT: &str = "select p.id, p.name, p.id_number, p.gender, p.birth_date, p.unit_id, \
                      u.name as unit_name, p.unit_path, p.position, p.phone, p.created_at, \
                      p.updated_at from persons p left join units u on u.id = p.unit_id";

/// Refreshes planner statistics after a bulk load (both dialects accept it
/// inside a transaction).
const ANALYZE_PERSONS: &str = "analyze persons";

const INSERT: &str = "insert into persons (name, id_number, gender, birth_date, unit_id, \
                      unit_path, position, phone, created_at, updated_at) \
                      values ($1, $2, $3, $4, $5, (select path from units where id = $5), \
                      $6, $7, $8, $8)";

macro_rules! persons_impl {
    ($m:ident) => {
        async fn get_in(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Person, StoreError> {
            let row: PersonRow = sqlx::query_as(&format!("{SELECT} where p.id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            Ok(row.into())
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Person, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            get_in(&mut conn, id).await
        }

        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewPerson,
            meta: &AuditMeta,
        ) -> Result<Person, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(&format!("{INSERT} returning id"))
                .bind(&new.name)
                .bind(new.id_number.as_ref().map(|i| i.as_str().to_owned()))
                .bind(new.gender.map(|g| g.as_str()))
                .bind(&new.birth_date)
                .bind(new.unit_id)
                .bind(&new.position)
                .bind(&new.phone)
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            bump_count(&mut tx, new.unit_id, 1).await?;
            let person = get_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "person.create", "person", Some(id.to_string()), None, json(&person)),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "person", &id.to_string(), "upsert", meta.at)
                .await?;
            tx.commit().await.map_err(map)?;
            Ok(person)
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            id: i64,
            new: &NewPerson,
            meta: &AuditMeta,
        ) -> Result<Person, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before = get_in(&mut tx, id).await?;
            sqlx::query(
                "update persons set name = $1, id_number = $2, gender = $3, birth_date = $4, \
                 unit_id = $5, unit_path = (select path from units where id = $5), \
                 position = $6, phone = $7, updated_at = $8 where id = $9",
            )
            .bind(&new.name)
            .bind(new.id_number.as_ref().map(|i| i.as_str().to_owned()))
            .bind(new.gender.map(|g| g.as_str()))
            .bind(&new.birth_date)
            .bind(new.unit_id)
            .bind(&new.position)
            .bind(&new.phone)
            .bind(meta.at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if before.unit_id != new.unit_id {
                bump_count(&mut tx, before.unit_id, -1).await?;
                bump_count(&mut tx, new.unit_id, 1).await?;
            }
            let after = get_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "person.update",
                    "person",
                    Some(id.to_string()),
                    json(&before),
                    json(&after),
                ),
            )
            .await?;
            crate::audit::$m::outbox(&mut tx, "person", &id.to_string(), "upsert", meta.at)
                .await?;
            tx.commit().await.map_err(map)?;
            Ok(after)
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            scope: &Scope,
            filter: &PersonFilter,
            page: PageRequest,
        ) -> Result<Page<Person>, StoreError> {
            let build = |select: &str| {
                let mut qb = QueryBuilder::<Db>::new(select);
                qb.push(" where 1 = 1");
                push_scope(&mut qb, "p.unit_path", scope);
                if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                    if q.bytes().all(|b| b.is_ascii_digit() || b == b'X' || b == b'x') {
                        push_prefix(&mut qb, "p.id_number", &q.to_uppercase());
                    } else {
                        push_prefix(&mut qb, "p.name", q);
                    }
                }
                if let Some(u) = filter.unit_id {
                    qb.push(" and p.unit_id = ");
                    qb.push_bind(u);
                }
                qb
            };
            let q = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
            let (total, total_capped) = if q.is_none() && filter.unit_id.is_none() {
                // Unfiltered: sum the per-unit counters instead of counting rows.
                let mut qb = QueryBuilder::<Db>::new(
                    "select cast(coalesce(sum(person_count), 0) as bigint) from units where 1 = 1",
                );
                push_scope(&mut qb, "path", scope);
                let in_units: i64 = qb.build_query_scalar().fetch_one(pool).await.map_err(map)?;
                let unattached: i64 = if scope.sees_unattached() {
                    sqlx::query_scalar("select count(*) from persons where unit_id is null")
                        .fetch_one(pool)
                        .await
                        .map_err(map)?
                } else {
                    0
                };
                (in_units + unattached, false)
            } else {
                // A search counts at most COUNT_CAP + 1 matches.
                let mut qb = build("select count(*) from (select 1 from persons p");
                qb.push(" limit ");
                qb.push_bind(COUNT_CAP + 1);
                qb.push(") c");
                let n: i64 = qb.build_query_scalar().fetch_one(pool).await.map_err(map)?;
                (n.min(COUNT_CAP), n > COUNT_CAP)
            };
            // Order by the column the filter ranges over, so the index gives
            // the order and no sort of all matches is needed.
            let dir = if filter.desc { "desc" } else { "asc" };
            let order = match (filter.sort, q) {
                (PersonSort::Name, _) => format!("p.name {dir}, p.id {dir}"),
                (PersonSort::BirthDate, _) => format!("p.birth_date {dir}, p.id {dir}"),
                (PersonSort::Unit, _) => format!("p.unit_path {dir}, p.id {dir}"),
                (PersonSort::Auto, Some(q))
                    if q.bytes().all(|b| b.is_ascii_digit() || b == b'X' || b == b'x') =>
                {
                    format!("p.id_number {dir}, p.id {dir}")
                }
                (PersonSort::Auto, Some(_)) => format!("p.name {dir}, p.id {dir}"),
                (PersonSort::Auto, None) if filter.unit_id.is_some() => format!("p.id {dir}"),
                (PersonSort::Auto, None) => format!("p.unit_path {dir}, p.id {dir}"),
            };
            // First the page's ids from the index alone (skipping `offset`
            // entries costs little there), then their rows with the join.
            let mut qb = build("select p.id from persons p");
            qb.push(format!(" order by {order} limit "));
            qb.push_bind(page.limit());
            qb.push(" offset ");
            qb.push_bind(page.offset());
            let ids: Vec<i64> = qb.build_query_scalar().fetch_all(pool).await.map_err(map)?;
            let mut rows: Vec<PersonRow> = if ids.is_empty() {
                Vec::new()
            } else {
                let mut qb = QueryBuilder::<Db>::new(SELECT);
                qb.push(" where p.id in (");
                let mut sep = qb.separated(", ");
                for id in &ids {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as().fetch_all(pool).await.map_err(map)?
            };
            let rank: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            rows.sort_by_key(|r| rank.get(&r.id).copied().unwrap_or(usize::MAX));
            Ok(Page {
                items: rows.into_iter().map(Into::into).collect(),
                total,
                total_capped,
            })
        }

        pub(crate) async fn import(
            pool: &sqlx::Pool<Db>,
            rows: &[NewPerson],
            meta: &AuditMeta,
        ) -> Result<ImportReport, StoreError> {
            let mut seen = std::collections::HashSet::new();
            for p in rows {
                if let Some(n) = &p.id_number {
                    if !seen.insert(n.as_str()) {
                        return Err(StoreError::Conflict(format!("repeated id number {n}")));
                    }
                }
            }
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            // Unit paths are looked up once, not per row.
            let paths: HashMap<i64, String> = sqlx::query_as::<_, (i64, String)>("select id, path from units")
                .fetch_all(&mut *tx)
                .await
                .map_err(map)?
                .into_iter()
                .collect();
            let mut created = 0usize;
            let mut updated = 0usize;
            // Units whose person count may change: the rows' units and the
            // units that updated persons leave.
            let mut touched: std::collections::BTreeSet<i64> =
                rows.iter().filter_map(|p| p.unit_id).collect();
            for chunk in rows.chunks(500) {
                let numbers: Vec<String> = chunk
                    .iter()
                    .filter_map(|p| p.id_number.as_ref().map(|i| i.as_str().to_owned()))
                    .collect();
                let existing = existing_numbers(&mut tx, &numbers).await?;
                touched.extend(existing.values().flatten());
                let mut qb = QueryBuilder::<Db>::new(
                    "insert into persons (name, id_number, gender, birth_date, unit_id, unit_path, \
                     position, phone, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, p| {
                    let number = p.id_number.as_ref().map(|i| i.as_str().to_owned());
                    b.push_bind(p.name.clone())
                        .push_bind(number)
                        .push_bind(p.gender.map(|g| g.as_str().to_owned()))
                        .push_bind(p.birth_date.clone())
                        .push_bind(p.unit_id)
                        .push_bind(p.unit_id.and_then(|u| paths.get(&u).cloned()))
                        .push_bind(p.position.clone())
                        .push_bind(p.phone.clone())
                        .push_bind(meta.at)
                        .push_bind(meta.at);
                });
                qb.push(
                    " on conflict (id_number) do update set name = excluded.name, \
                     gender = excluded.gender, birth_date = excluded.birth_date, \
                     unit_id = excluded.unit_id, unit_path = excluded.unit_path, \
                     position = excluded.position, phone = excluded.phone, \
                     updated_at = excluded.updated_at",
                );
                qb.build().execute(&mut *tx).await.map_err(map)?;
                let n_existing = numbers.iter().filter(|n| existing.contains_key(*n)).count();
                updated += n_existing;
                created += chunk.len() - n_existing;
            }
            // Recount the touched units once each.
            let touched: Vec<i64> = touched.into_iter().collect();
            for chunk in touched.chunks(500) {
                let mut qb = QueryBuilder::<Db>::new(
                    "update units set person_count = \
                     (select count(*) from persons p where p.unit_id = units.id) where id in (",
                );
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                qb.build().execute(&mut *tx).await.map_err(map)?;
            }
            crate::audit::$m::outbox(&mut tx, "person", "*", "reindex", meta.at).await?;
            // Fresh statistics let the planner pick the right index for
            // scoped searches after a bulk load.
            sqlx::query(ANALYZE_PERSONS).execute(&mut *tx).await.map_err(map)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "import.people",
                    "person",
                    None,
                    None,
                    Some(serde_json::json!({ "created": created, "updated": updated })),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(ImportReport {
                skipped: 0,
                created,
                updated,
                unmapped_headers: Vec::new(),
            })
        }

        async fn bump_count(
            tx: &mut sqlx::Transaction<'_, Db>,
            unit_id: Option<i64>,
            by: i64,
        ) -> Result<(), StoreError> {
            if let Some(u) = unit_id {
                sqlx::query("update units set person_count = person_count + $1 where id = $2")
                    .bind(by)
                    .bind(u)
                    .execute(&mut **tx)
                    .await
                    .map_err(map)?;
            }
            Ok(())
        }

        /// The numbers among `numbers` already registered, with their current unit.
        async fn existing_numbers(
            tx: &mut sqlx::Transaction<'_, Db>,
            numbers: &[String],
        ) -> Result<HashMap<String, Option<i64>>, StoreError> {
            if numbers.is_empty() {
                return Ok(Default::default());
            }
            let mut qb =
                QueryBuilder::<Db>::new("select id_number, unit_id from persons where id_number in (");
            let mut sep = qb.separated(", ");
            for n in numbers {
                sep.push_bind(n.clone());
            }
            qb.push(")");
            let found: Vec<(String, Option<i64>)> =
                qb.build_query_as().fetch_all(&mut **tx).await.map_err(map)?;
            Ok(found.into_iter().collect())
        }

        pub(crate) async fn by_id_numbers(
            pool: &sqlx::Pool<Db>,
            numbers: &[String],
        ) -> Result<HashMap<String, (i64, Option<String>)>, StoreError> {
            let mut out = HashMap::new();
            for chunk in numbers.chunks(500) {
                let mut qb = QueryBuilder::<Db>::new(
                    "select id_number, id, unit_path from persons where id_number in (",
                );
                let mut sep = qb.separated(", ");
                for n in chunk {
                    sep.push_bind(n.clone());
                }
                qb.push(")");
                let rows: Vec<(String, i64, Option<String>)> =
                    qb.build_query_as().fetch_all(pool).await.map_err(map)?;
                for (n, id, path) in rows {
                    out.insert(n, (id, path));
                }
            }
            Ok(out)
        }
    };
}

for_each_backend!(persons_impl);
