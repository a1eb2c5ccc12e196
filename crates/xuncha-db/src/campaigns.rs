//! Field campaigns: the campaign, its teams and members, and the target tree
//! with its counters. Records, items and follow-ups are in
//! `campaign_work.rs`, households in `households.rs`.

use std::collections::{HashMap, HashSet};

use sqlx::QueryBuilder;
use xuncha_core::campaign::{
    Campaign, CampaignKind, CampaignMember, CampaignSpec, CampaignStatus, CampaignTarget,
    CampaignTeam, NewCampaign, TargetLevel,
};
use xuncha_core::policy::Scope;
use xuncha_core::store::{AuditMeta, TargetPath};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, prefix_upper, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct CampaignRow {
    id: i64,
    kind: String,
    status: String,
    unit_id: i64,
    unit_name: String,
    unit_path: String,
    title: String,
    series: String,
    spec: String,
    starts_on: String,
    ends_on: String,
    version: i64,
}

impl TryFrom<CampaignRow> for Campaign {
    type Error = StoreError;
    fn try_from(r: CampaignRow) -> Result<Self, StoreError> {
        let bad = || corrupt("campaign", &r.id.to_string());
        Ok(Campaign {
            id: r.id,
            kind: CampaignKind::parse(&r.kind).ok_or_else(bad)?,
            status: CampaignStatus::parse(&r.status).ok_or_else(bad)?,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            title: r.title,
            series: r.series,
            spec: serde_json::from_str::<CampaignSpec>(&r.spec).map_err(|_| bad())?,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            version: r.version,
        })
    }
}

const SELECT: &str = "select c.id, c.kind, c.status, c.unit_id, u.name as unit_name, \
     c.unit_path, c.title, c.series, c.spec, c.starts_on, c.ends_on, c.version \
     from campaigns c join units u on u.id = c.unit_id";

#[derive(sqlx::FromRow)]
pub(crate) struct TargetRow {
    id: i64,
    campaign_id: i64,
    parent_id: Option<i64>,
    level: String,
    name: String,
    path: String,
    unit_id: Option<i64>,
    team_id: Option<i64>,
    leaves: i64,
    done: i64,
    score: Option<i64>,
    last_day: Option<String>,
}

impl TryFrom<TargetRow> for CampaignTarget {
    type Error = StoreError;
    fn try_from(r: TargetRow) -> Result<Self, StoreError> {
        Ok(CampaignTarget {
            level: TargetLevel::parse(&r.level)
                .ok_or_else(|| corrupt("campaign target", &r.id.to_string()))?,
            id: r.id,
            campaign_id: r.campaign_id,
            parent_id: r.parent_id,
            name: r.name,
            path: r.path,
            unit_id: r.unit_id,
            team_id: r.team_id,
            leaves: r.leaves,
            done: r.done,
            score: r.score,
            last_day: r.last_day,
        })
    }
}

pub(crate) const TARGET_SELECT: &str = "select id, campaign_id, parent_id, level, name, path, \
     unit_id, team_id, leaves, done, score, last_day from campaign_targets";

/// The ids along a materialised path (`/3/9/` → [3, 9]).
pub(crate) fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// Tree order with siblings by id (creation order: 101 before 110), which
/// the text order of paths does not give.
fn tree_order(mut v: Vec<CampaignTarget>) -> Vec<CampaignTarget> {
    v.sort_by_cached_key(|t| path_ids(&t.path));
    v
}

fn image(c: &Campaign) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "title": c.title, "kind": c.kind.as_str(), "status": c.status.as_str(),
        "unit_id": c.unit_id, "starts_on": c.starts_on, "ends_on": c.ends_on,
    }))
}

macro_rules! campaigns_impl {
    ($m:ident) => {
        async fn one(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Campaign, StoreError> {
            let row: CampaignRow = sqlx::query_as(&format!("{SELECT} where c.id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            Campaign::try_from(row)
        }

        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewCampaign,
            meta: &AuditMeta,
        ) -> Result<Campaign, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let spec = serde_json::to_string(&new.spec).map_err(|e| StoreError::Other(e.into()))?;
            let id: i64 = sqlx::query_scalar(
                "insert into campaigns (kind, status, unit_id, unit_path, title, series, spec, \
                 starts_on, ends_on, version, created_by, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11) returning id",
            )
            .bind(new.kind.as_str())
            .bind(CampaignStatus::Active.as_str())
            .bind(new.unit_id)
            .bind(&new.unit_path)
            .bind(&new.title)
            .bind(&new.series)
            .bind(spec)
            .bind(&new.starts_on)
            .bind(&new.ends_on)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let c = one(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.create", "campaign", Some(id.to_string()), None, image(&c)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(c)
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Campaign, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            one(&mut conn, id).await
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            scope: Option<&Scope>,
            member: i64,
        ) -> Result<Vec<Campaign>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where "));
            if let Some(scope) = scope {
                qb.push("(1 = 1");
                push_scope(&mut qb, "c.unit_path", scope);
                qb.push(") or ");
            }
            qb.push("c.id in (select campaign_id from campaign_members where user_id = ");
            qb.push_bind(member);
            qb.push(") order by c.id desc limit 500");
            let rows: Vec<CampaignRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Campaign::try_from).collect()
        }

        pub(crate) async fn set_status(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            status: CampaignStatus,
            meta: &AuditMeta,
        ) -> Result<Campaign, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before = one(&mut tx, id).await?;
            let done = sqlx::query(
                "update campaigns set status = $1, version = version + 1, updated_at = $2 \
                 where id = $3 and version = $4",
            )
            .bind(status.as_str())
            .bind(meta.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("campaign changed meanwhile".into()));
            }
            let c = one(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "campaign.status",
                    "campaign",
                    Some(id.to_string()),
                    image(&before),
                    image(&c),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(c)
        }

        pub(crate) async fn add_team(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            name: &str,
            members: &[(i64, String)],
            meta: &AuditMeta,
        ) -> Result<i64, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into campaign_teams (campaign_id, name) values ($1, $2) returning id",
            )
            .bind(campaign_id)
            .bind(name)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            for (user, duty) in members {
                // A person is on one team of a campaign: joining another
                // moves them (their record count stays with them).
                sqlx::query(
                    "insert into campaign_members (campaign_id, team_id, user_id, duty, records) \
                     values ($1, $2, $3, $4, 0) on conflict (campaign_id, user_id) \
                     do update set team_id = excluded.team_id, duty = excluded.duty",
                )
                .bind(campaign_id)
                .bind(id)
                .bind(user)
                .bind(duty)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            }
            let after = serde_json::json!({
                "campaign_id": campaign_id, "name": name,
                "members": members.iter().map(|(u, d)| serde_json::json!([u, d])).collect::<Vec<_>>(),
            });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.team", "campaign_team", Some(id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(id)
        }

        pub(crate) async fn teams(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
        ) -> Result<Vec<CampaignTeam>, StoreError> {
            let teams: Vec<(i64, String)> = sqlx::query_as(
                "select id, name from campaign_teams where campaign_id = $1 order by id",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            let members: Vec<(i64, i64, String, String, String, i64)> = sqlx::query_as(
                "select m.team_id, m.user_id, u.username, u.display_name, m.duty, m.records \
                 from campaign_members m join users u on u.id = m.user_id \
                 where m.campaign_id = $1 order by m.team_id, u.username",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            // Grouped once (in the query's order), not filtered per team:
            // at thousands of teams a scan per team is quadratic.
            let mut by_team: HashMap<i64, Vec<CampaignMember>> = HashMap::new();
            for m in members {
                by_team.entry(m.0).or_default().push(CampaignMember {
                    team_id: m.0,
                    user_id: m.1,
                    username: m.2,
                    display_name: m.3,
                    duty: m.4,
                    records: m.5,
                });
            }
            Ok(teams
                .into_iter()
                .map(|(id, name)| CampaignTeam {
                    id,
                    campaign_id,
                    name,
                    members: by_team.remove(&id).unwrap_or_default(),
                })
                .collect())
        }

        pub(crate) async fn membership(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            user_id: i64,
        ) -> Result<Option<i64>, StoreError> {
            sqlx::query_scalar(
                "select team_id from campaign_members where campaign_id = $1 and user_id = $2",
            )
            .bind(campaign_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
            .map_err(map)
        }

        pub(crate) async fn all_targets(
            conn: &mut <Db as sqlx::Database>::Connection,
            campaign_id: i64,
        ) -> Result<Vec<CampaignTarget>, StoreError> {
            let rows: Vec<TargetRow> =
                sqlx::query_as(&format!("{TARGET_SELECT} where campaign_id = $1"))
                    .bind(campaign_id)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(map)?;
            let v = rows
                .into_iter()
                .map(CampaignTarget::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(tree_order(v))
        }

        pub(crate) async fn add_targets(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            paths: &[TargetPath],
            meta: &AuditMeta,
        ) -> Result<usize, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let existing = all_targets(&mut tx, campaign_id).await?;
            // (parent, name) → (id, path) of every node, old and new.
            let mut nodes: HashMap<(Option<i64>, String), (i64, String)> = existing
                .iter()
                .map(|t| ((t.parent_id, t.name.clone()), (t.id, t.path.clone())))
                .collect();
            let mut new_leaves = 0usize;
            // Leaves added above each node: a new room counts in every node
            // on its path (a new village starts without households), so
            // only those nodes move — no recount of the whole campaign,
            // which at a million households held the write lock 2.6 s.
            let mut added: HashMap<i64, i64> = HashMap::new();
            for p in paths {
                let mut parent: Option<(i64, String)> = None;
                for (name, level, unit_id) in &p.nodes {
                    let key = (parent.as_ref().map(|x| x.0), name.clone());
                    if let Some(found) = nodes.get(&key) {
                        parent = Some(found.clone());
                        continue;
                    }
                    let leaf = level.is_leaf();
                    let id: i64 = sqlx::query_scalar(
                        "insert into campaign_targets (campaign_id, parent_id, level, name, path, \
                         unit_id, team_id, leaves, done, score, last_day) \
                         values ($1, $2, $3, $4, '', $5, \
                         (select team_id from campaign_targets where id = $2), $6, 0, null, null) \
                         returning id",
                    )
                    .bind(campaign_id)
                    .bind(parent.as_ref().map(|x| x.0))
                    .bind(level.as_str())
                    .bind(name)
                    .bind(unit_id)
                    .bind(i64::from(leaf))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(map)?;
                    let path = format!(
                        "{}{id}/",
                        parent.as_ref().map(|x| x.1.as_str()).unwrap_or("/")
                    );
                    sqlx::query("update campaign_targets set path = $1 where id = $2")
                        .bind(&path)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(map)?;
                    if leaf {
                        new_leaves += 1;
                        for a in path_ids(&path).into_iter().filter(|a| *a != id) {
                            *added.entry(a).or_default() += 1;
                        }
                    }
                    nodes.insert(key, (id, path.clone()));
                    parent = Some((id, path));
                }
            }
            for (id, n) in &added {
                sqlx::query("update campaign_targets set leaves = leaves + $1 where id = $2")
                    .bind(n)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map)?;
            }
            let after = serde_json::json!({ "campaign_id": campaign_id, "paths": paths.len(), "new_leaves": new_leaves });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.targets", "campaign", Some(campaign_id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(new_leaves)
        }

        pub(crate) async fn targets(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            team: Option<i64>,
        ) -> Result<Vec<CampaignTarget>, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            let Some(team) = team else {
                return all_targets(&mut conn, campaign_id).await;
            };
            // The team's targets, then the ancestors their paths name that
            // are not the team's (a township above a team's villages): a
            // team's page reads its own rows, not the whole campaign's.
            let rows: Vec<TargetRow> = sqlx::query_as(&format!(
                "{TARGET_SELECT} where campaign_id = $1 and team_id = $2"
            ))
            .bind(campaign_id)
            .bind(team)
            .fetch_all(&mut *conn)
            .await
            .map_err(map)?;
            let mut v = rows
                .into_iter()
                .map(CampaignTarget::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            let have: HashSet<i64> = v.iter().map(|t| t.id).collect();
            let above: Vec<i64> = v
                .iter()
                .flat_map(|t| path_ids(&t.path))
                .filter(|id| !have.contains(id))
                .collect::<std::collections::BTreeSet<i64>>()
                .into_iter()
                .collect();
            for chunk in above.chunks(500) {
                let mut qb = QueryBuilder::<Db>::new(format!(
                    "{TARGET_SELECT} where campaign_id = "
                ));
                qb.push_bind(campaign_id);
                qb.push(" and id in (");
                let mut sep = qb.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                qb.push(")");
                let rows: Vec<TargetRow> =
                    qb.build_query_as().fetch_all(&mut *conn).await.map_err(map)?;
                for r in rows {
                    v.push(CampaignTarget::try_from(r)?);
                }
            }
            Ok(tree_order(v))
        }

        pub(crate) async fn target(
            pool: &sqlx::Pool<Db>,
            id: i64,
        ) -> Result<CampaignTarget, StoreError> {
            let row: TargetRow = sqlx::query_as(&format!("{TARGET_SELECT} where id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            CampaignTarget::try_from(row)
        }

        pub(crate) async fn assign(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            target_ids: &[i64],
            team_id: Option<i64>,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            for id in target_ids {
                let path: Option<String> = sqlx::query_scalar(
                    "select path from campaign_targets where id = $1 and campaign_id = $2",
                )
                .bind(id)
                .bind(campaign_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map)?;
                let Some(path) = path else {
                    return Err(StoreError::NotFound);
                };
                sqlx::query(
                    "update campaign_targets set team_id = $1 \
                     where campaign_id = $2 and path >= $3 and path < $4",
                )
                .bind(team_id)
                .bind(campaign_id)
                .bind(&path)
                .bind(prefix_upper(&path))
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            }
            let after = serde_json::json!({ "campaign_id": campaign_id, "targets": target_ids, "team_id": team_id });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.assign", "campaign", Some(campaign_id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(())
        }
    };
}

for_each_backend!(campaigns_impl);
