//! What the search index reads: the outbox and the searchable text of
//! persons and units, records, petitions, tips and campaign follow-ups.

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

/// A campaign follow-up: the row of the other types plus what decides its
/// readers (campaign and team, see `policy::campaign_doc_access`).
#[derive(sqlx::FromRow)]
pub(crate) struct FollowupSourceRow {
    #[sqlx(flatten)]
    row: SourceRow,
    campaign_id: i64,
    team_id: Option<i64>,
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

/// A demand or a hazard: what it is, its category and department, how it
/// was dealt with, where (the place and the household's head — never an ID
/// number). Its unit path is the registry unit of its target (a village),
/// else of the target's parent or grandparent, else the campaign's, so a
/// recusal from a village hides the village's demands as on the pages. The
/// kind is a literal per type so the statement stays static.
macro_rules! followup_select {
    ($kind:literal) => {
        concat!(
            "select x.id, coalesce(x.category || '：', '') || substr(x.content, 1, 30) as title, ",
            "x.content || ' ' || coalesce(g.name || ' / ', '') || coalesce(p.name || ' / ', '') || t.name ",
            "|| coalesce(' ' || h.head_name, '') || coalesce(' ' || x.department, '') ",
            "|| coalesce(' ' || x.resolution, '') as body, ",
            "coalesce(tu.path, pu.path, gu.path, c.unit_path) as unit_path, ",
            "cast(null as bigint) as round_id, r.day, cast(null as bigint) as at, x.status, ",
            "x.campaign_id, x.team_id from campaign_followups x ",
            "join campaigns c on c.id = x.campaign_id ",
            "join campaign_records r on r.id = x.record_id ",
            "join campaign_targets t on t.id = x.target_id ",
            "left join campaign_targets p on p.id = t.parent_id ",
            "left join campaign_targets g on g.id = p.parent_id ",
            "left join units tu on tu.id = t.unit_id ",
            "left join units pu on pu.id = p.unit_id ",
            "left join units gu on gu.id = g.unit_id ",
            "left join campaign_households h on h.id = x.household_id ",
            "where x.kind = '", $kind, "'"
        )
    };
}
const FOLLOWUP_KINDS: [&str; 2] = ["demand", "hazard"];
const FOLLOWUP_SELECT: [&str; 2] = [followup_select!("demand"), followup_select!("hazard")];

fn followup_sql(doc_type: &str) -> Option<&'static str> {
    Some(FOLLOWUP_SELECT[FOLLOWUP_KINDS.iter().position(|k| *k == doc_type)?])
}

fn into_followups(doc_type: &str, rows: Vec<FollowupSourceRow>) -> Vec<SearchSource> {
    rows.into_iter()
        .flat_map(|r| {
            let access = xuncha_core::policy::campaign_doc_access(r.campaign_id, r.team_id);
            into(doc_type, vec![r.row])
                .into_iter()
                .map(move |s| SearchSource {
                    access: access.clone(),
                    ..s
                })
        })
        .collect()
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
        "demand" | "hazard" => "x.id",
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
            access: Vec::new(),
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
            let Some(sql) = select(doc_type).or_else(|| followup_sql(doc_type)) else {
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
            fetch(pool, doc_type, qb).await
        }

        pub(crate) async fn sources_after(
            pool: &sqlx::Pool<Db>,
            doc_type: &str,
            after: i64,
            limit: i64,
        ) -> Result<Vec<SearchSource>, StoreError> {
            let Some(sql) = select(doc_type).or_else(|| followup_sql(doc_type)) else {
                return Ok(Vec::new());
            };
            let col = id_col(doc_type);
            let mut qb = QueryBuilder::<Db>::new(sql);
            qb.push(format!(" and {col} > "));
            qb.push_bind(after);
            qb.push(format!(" order by {col} limit "));
            qb.push_bind(limit);
            fetch(pool, doc_type, qb).await
        }

        /// Runs a built select: follow-ups with their access terms, the
        /// other types as they are.
        async fn fetch(
            pool: &sqlx::Pool<Db>,
            doc_type: &str,
            mut qb: QueryBuilder<'_, Db>,
        ) -> Result<Vec<SearchSource>, StoreError> {
            if followup_sql(doc_type).is_some() {
                let rows: Vec<FollowupSourceRow> =
                    qb.build_query_as().fetch_all(pool).await.map_err(map)?;
                return Ok(into_followups(doc_type, rows));
            }
            let rows: Vec<SourceRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            Ok(into(doc_type, rows))
        }
    };
}

for_each_backend!(feed_impl);
