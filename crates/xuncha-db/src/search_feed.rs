//! What the search index reads: the outbox and the searchable text of
//! persons and units.

use sqlx::QueryBuilder;
use xuncha_core::store::{OutboxItem, SearchSource};
use xuncha_core::StoreError;

use xuncha_core::inspection::workdays::{date_of_ms, iso};

use crate::error::map;

#[derive(sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: i64,
    doc_type: String,
    doc_id: String,
    op: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct SourceRow {
    id: i64,
    title: String,
    body: String,
    unit_path: Option<String>,
    round_id: Option<i64>,
    day: Option<String>,
    at: Option<i64>,
    status: Option<String>,
}

/// The searchable text of each type: name as title; position and unit (never
/// the ID number, which some readers may only see masked) as body.
fn select(doc_type: &str) -> Option<&'static str> {
    // A team's records: the title and body the record wrote for the index
    // (sealed fields never reach them).
    if xuncha_core::policy::WORK_DOC_TYPES.contains(&doc_type) {
        return Some(RECORD_SELECT[RECORD_KINDS.iter().position(|k| *k == doc_type)?]);
    }
    match doc_type {
        "person" => Some(
            "select p.id, p.name as title, \
             coalesce(p.position, '') || ' ' || coalesce(u.name, '') as body, p.unit_path, \
             cast(null as bigint) as round_id, null as day, cast(null as bigint) as at, null as status \
             from persons p left join units u on u.id = p.unit_id where 1 = 1",
        ),
        // The petition's content and the persons named, never the
        // petitioner (sealed in its own columns).
        "petition" => {
            Some(
                "select p.id, p.title, p.body, p.unit_path, cast(null as bigint) as round_id, \
                 p.registered_date as day, cast(null as bigint) as at, p.status from petitions p where 1 = 1",
            )
        }
        // A tip's text only: never a named tipster (sealed) or the receipt.
        "tip" => Some(
            "select p.id, substr(p.body, 1, 30) as title, p.body, p.unit_path, p.round_id, \
             p.received_date as day, cast(null as bigint) as at, p.status from tips p where 1 = 1",
        ),
        "unit" => Some(
            "select u.id, u.name as title, coalesce(u.region_code, '') as body, \
             u.path as unit_path, cast(null as bigint) as round_id, null as day, cast(null as bigint) as at, null as status \
             from units u where 1 = 1",
        ),
        _ => None,
    }
}

/// The record kinds and their selects, one per kind (the kind is a literal
/// so the statement stays static).
const RECORD_KINDS: [&str; 10] = [
    "fieldwork",
    "paper",
    "clue",
    "report",
    "feedback",
    "transfer",
    "rect-item",
    "accountability",
    "briefing",
    "prep-list",
];
const RECORD_SELECT: [&str; 10] = [
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'fieldwork'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'paper'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'clue'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'report'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'feedback'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'transfer'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'rect-item'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'accountability'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'briefing'",
    "select r.id, r.title, r.body, r.unit_path, r.round_id, null as day, r.created_at as at, r.status from records r where r.kind = 'prep-list'",
];

fn id_col(doc_type: &str) -> &'static str {
    match doc_type {
        "person" | "petition" | "tip" => "p.id",
        "unit" => "u.id",
        _ => "r.id",
    }
}

fn into(doc_type: &str, rows: Vec<SourceRow>) -> Vec<SearchSource> {
    rows.into_iter()
        .map(|r| SearchSource {
            doc_type: doc_type.to_owned(),
            id: r.id,
            title: r.title,
            body: r.body,
            unit_path: r.unit_path,
            round_id: r.round_id,
            // Records carry the time they were written; the others a day.
            day: r.day.or_else(|| r.at.map(|ms| iso(date_of_ms(ms)))),
            status: r.status,
        })
        .collect()
}

macro_rules! feed_impl {
    ($m:ident) => {
        pub(crate) async fn outbox_after(
            pool: &sqlx::Pool<Db>,
            cursor: i64,
            limit: i64,
        ) -> Result<Vec<OutboxItem>, StoreError> {
            let rows: Vec<OutboxRow> = sqlx::query_as(
                "select id, doc_type, doc_id, op from search_outbox where id > $1 order by id limit $2",
            )
            .bind(cursor)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows
                .into_iter()
                .map(|r| OutboxItem { id: r.id, doc_type: r.doc_type, doc_id: r.doc_id, op: r.op })
                .collect())
        }

        pub(crate) async fn sources(
            pool: &sqlx::Pool<Db>,
            doc_type: &str,
            ids: &[i64],
        ) -> Result<Vec<SearchSource>, StoreError> {
            let Some(sql) = select(doc_type) else {
                return Ok(Vec::new());
            };
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let mut qb = QueryBuilder::<Db>::new(sql);
            qb.push(format!(" and {} in (", id_col(doc_type)));
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(")");
            let rows: Vec<SourceRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            Ok(into(doc_type, rows))
        }

        pub(crate) async fn sources_after(
            pool: &sqlx::Pool<Db>,
            doc_type: &str,
            after: i64,
            limit: i64,
        ) -> Result<Vec<SearchSource>, StoreError> {
            let Some(sql) = select(doc_type) else {
                return Ok(Vec::new());
            };
            let col = id_col(doc_type);
            let mut qb = QueryBuilder::<Db>::new(sql);
            qb.push(format!(" and {col} > "));
            qb.push_bind(after);
            qb.push(format!(" order by {col} limit "));
            qb.push_bind(limit);
            let rows: Vec<SourceRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            Ok(into(doc_type, rows))
        }
    };
}

for_each_backend!(feed_impl);
