//! Rounds, teams, targets and recusals.

use xuncha_core::inspection::{
    Assignment, NewRecusal, NewRound, RecusalDecision, RecusalRecord, Round, RoundKind,
    RoundStatus, Stage, Target, TargetUpdate, Team, TeamMember, TeamRole,
};
use xuncha_core::store::{AuditMeta, Coverage, InspectorLink};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, json};

#[derive(sqlx::FromRow)]
pub(crate) struct RoundRow {
    id: i64,
    term: i64,
    number: i64,
    kind: String,
    title: String,
    start_date: String,
    end_date: Option<String>,
    status: String,
    created_at: i64,
}

impl TryFrom<RoundRow> for Round {
    type Error = StoreError;
    fn try_from(r: RoundRow) -> Result<Self, StoreError> {
        Ok(Round {
            id: r.id,
            term: r.term,
            number: r.number,
            kind: RoundKind::parse(&r.kind).ok_or_else(|| corrupt("round kind", &r.kind))?,
            title: r.title,
            start_date: r.start_date,
            end_date: r.end_date,
            status: RoundStatus::parse(&r.status)
                .ok_or_else(|| corrupt("round status", &r.status))?,
            created_at: r.created_at,
        })
    }
}

const SELECT_ROUND: &str = "select id, term, number, kind, title, start_date, end_date, status, \
                            created_at from rounds";

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    id: i64,
    team_id: i64,
    round_id: i64,
    inspector_id: i64,
    person_id: i64,
    name: String,
    user_id: Option<i64>,
    role: String,
    statement_at: Option<i64>,
    pledge_at: Option<i64>,
}

impl TryFrom<MemberRow> for TeamMember {
    type Error = StoreError;
    fn try_from(r: MemberRow) -> Result<Self, StoreError> {
        Ok(TeamMember {
            id: r.id,
            team_id: r.team_id,
            round_id: r.round_id,
            inspector_id: r.inspector_id,
            person_id: r.person_id,
            name: r.name,
            user_id: r.user_id,
            role: TeamRole::parse(&r.role).ok_or_else(|| corrupt("team role", &r.role))?,
            statement_at: r.statement_at,
            pledge_at: r.pledge_at,
        })
    }
}

const SELECT_MEMBER: &str = "select m.id, m.team_id, m.round_id, m.inspector_id, i.person_id, \
     p.name, i.user_id, m.role, m.statement_at, m.pledge_at from team_members m \
     join inspectors i on i.id = m.inspector_id join persons p on p.id = i.person_id";

#[derive(sqlx::FromRow)]
pub(crate) struct TargetRow {
    id: i64,
    round_id: i64,
    unit_id: i64,
    unit_name: String,
    unit_path: String,
    team_id: Option<i64>,
    stage: String,
    report_returns: i64,
    feedback_date: Option<String>,
    rect_rating: Option<String>,
}

impl TryFrom<TargetRow> for Target {
    type Error = StoreError;
    fn try_from(r: TargetRow) -> Result<Self, StoreError> {
        Ok(Target {
            id: r.id,
            round_id: r.round_id,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            team_id: r.team_id,
            stage: Stage::parse(&r.stage).ok_or_else(|| corrupt("stage", &r.stage))?,
            report_returns: r.report_returns,
            feedback_date: r.feedback_date,
            rect_rating: r.rect_rating,
        })
    }
}

const SELECT_TARGET: &str = "select t.id, t.round_id, t.unit_id, u.name as unit_name, \
     t.unit_path, t.team_id, t.stage, t.report_returns, t.feedback_date, t.rect_rating \
     from round_targets t join units u on u.id = t.unit_id";

#[derive(sqlx::FromRow)]
pub(crate) struct RecusalRow {
    id: i64,
    round_id: i64,
    inspector_id: i64,
    inspector_name: String,
    unit_id: i64,
    unit_name: String,
    unit_path: String,
    kind: String,
    severity: String,
    reason: String,
    chain_json: String,
    decision: String,
    decision_reason: Option<String>,
}

impl TryFrom<RecusalRow> for RecusalRecord {
    type Error = StoreError;
    fn try_from(r: RecusalRow) -> Result<Self, StoreError> {
        Ok(RecusalRecord {
            id: r.id,
            round_id: r.round_id,
            inspector_id: r.inspector_id,
            inspector_name: r.inspector_name,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            kind: r.kind,
            severity: r.severity,
            reason: r.reason,
            chain: serde_json::from_str(&r.chain_json)
                .map_err(|_| corrupt("recusal chain", &r.chain_json))?,
            decision: RecusalDecision::parse(&r.decision)
                .ok_or_else(|| corrupt("recusal decision", &r.decision))?,
            decision_reason: r.decision_reason,
        })
    }
}

const SELECT_RECUSAL: &str = "select r.id, r.round_id, r.inspector_id, p.name as inspector_name, \
     r.unit_id, u.name as unit_name, r.unit_path, r.kind, r.severity, r.reason, r.chain_json, \
     r.decision, r.decision_reason from recusals r join inspectors i on i.id = r.inspector_id \
     join persons p on p.id = i.person_id join units u on u.id = r.unit_id";

macro_rules! rounds_impl {
    ($m:ident) => {
        pub(crate) async fn create_round(
            pool: &sqlx::Pool<Db>,
            new: &NewRound,
            meta: &AuditMeta,
        ) -> Result<Round, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into rounds (term, number, kind, title, start_date, end_date, status, \
                 created_by, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 returning id",
            )
            .bind(new.term)
            .bind(new.number)
            .bind(new.kind.as_str())
            .bind(&new.title)
            .bind(&new.start_date)
            .bind(&new.end_date)
            .bind(RoundStatus::Planning.as_str())
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: RoundRow = sqlx::query_as(&format!("{SELECT_ROUND} where id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let round = Round::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "round.create", "round", Some(id.to_string()), None, json(&round)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(round)
        }

        pub(crate) async fn get_round(pool: &sqlx::Pool<Db>, id: i64) -> Result<Round, StoreError> {
            let row: RoundRow = sqlx::query_as(&format!("{SELECT_ROUND} where id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            Round::try_from(row)
        }

        pub(crate) async fn list_rounds(pool: &sqlx::Pool<Db>) -> Result<Vec<Round>, StoreError> {
            let rows: Vec<RoundRow> =
                sqlx::query_as(&format!("{SELECT_ROUND} order by start_date desc, id desc"))
                    .fetch_all(pool)
                    .await
                    .map_err(map)?;
            rows.into_iter().map(Round::try_from).collect()
        }

        pub(crate) async fn set_round_status(
            pool: &sqlx::Pool<Db>,
            id: i64,
            status: RoundStatus,
            meta: &AuditMeta,
        ) -> Result<Round, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query("update rounds set status = $1, updated_at = $2 where id = $3")
                .bind(status.as_str())
                .bind(meta.at)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "round.status",
                    "round",
                    Some(id.to_string()),
                    None,
                    Some(serde_json::json!({ "status": status.as_str() })),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            get_round(pool, id).await
        }

        pub(crate) async fn create_team(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
            name: &str,
            meta: &AuditMeta,
        ) -> Result<Team, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into teams (round_id, name, created_at) values ($1, $2, $3) returning id",
            )
            .bind(round_id)
            .bind(name)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let team = Team { id, round_id, name: name.to_owned() };
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "team.create", "team", Some(id.to_string()), None, json(&team)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(team)
        }

        pub(crate) async fn get_team(pool: &sqlx::Pool<Db>, id: i64) -> Result<Team, StoreError> {
            let (id, round_id, name): (i64, i64, String) =
                sqlx::query_as("select id, round_id, name from teams where id = $1")
                    .bind(id)
                    .fetch_one(pool)
                    .await
                    .map_err(map)?;
            Ok(Team { id, round_id, name })
        }

        pub(crate) async fn teams_of(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
        ) -> Result<Vec<Team>, StoreError> {
            let rows: Vec<(i64, i64, String)> = sqlx::query_as(
                "select id, round_id, name from teams where round_id = $1 order by id",
            )
            .bind(round_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows
                .into_iter()
                .map(|(id, round_id, name)| Team { id, round_id, name })
                .collect())
        }

        pub(crate) async fn add_member(
            pool: &sqlx::Pool<Db>,
            team_id: i64,
            inspector_id: i64,
            role: TeamRole,
            meta: &AuditMeta,
        ) -> Result<TeamMember, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let round_id: i64 = sqlx::query_scalar("select round_id from teams where id = $1")
                .bind(team_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into team_members (team_id, round_id, inspector_id, role, created_at) \
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(team_id)
            .bind(round_id)
            .bind(inspector_id)
            .bind(role.as_str())
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let row: MemberRow = sqlx::query_as(&format!("{SELECT_MEMBER} where m.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let member = TeamMember::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "team.member_add", "team_member", Some(id.to_string()), None, json(&member)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(member)
        }

        pub(crate) async fn remove_member(
            pool: &sqlx::Pool<Db>,
            id: i64,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let row: MemberRow = sqlx::query_as(&format!("{SELECT_MEMBER} where m.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let before = TeamMember::try_from(row)?;
            sqlx::query("delete from team_members where id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "team.member_remove", "team_member", Some(id.to_string()), json(&before), None),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(())
        }

        pub(crate) async fn members_of_round(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
        ) -> Result<Vec<TeamMember>, StoreError> {
            let rows: Vec<MemberRow> = sqlx::query_as(&format!(
                "{SELECT_MEMBER} where m.round_id = $1 order by m.team_id, m.id"
            ))
            .bind(round_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter().map(TeamMember::try_from).collect()
        }

        pub(crate) async fn sign_member(
            pool: &sqlx::Pool<Db>,
            id: i64,
            statement: bool,
            meta: &AuditMeta,
        ) -> Result<TeamMember, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let col = if statement { "statement_at" } else { "pledge_at" };
            let done = sqlx::query(&format!("update team_members set {col} = $1 where id = $2"))
                .bind(meta.at)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let row: MemberRow = sqlx::query_as(&format!("{SELECT_MEMBER} where m.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let member = TeamMember::try_from(row)?;
            let action = if statement { "team.sign_statement" } else { "team.sign_pledge" };
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, action, "team_member", Some(id.to_string()), None, json(&member)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(member)
        }

        pub(crate) async fn link_inspector(
            pool: &sqlx::Pool<Db>,
            link: &InspectorLink,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query(
                "update inspectors set user_id = $1, home_region_code = $2 where id = $3",
            )
            .bind(link.user_id)
            .bind(&link.home_region_code)
            .bind(link.inspector_id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "inspector.link",
                    "inspector",
                    Some(link.inspector_id.to_string()),
                    None,
                    Some(serde_json::json!({ "user_id": link.user_id, "home_region_code": link.home_region_code })),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(())
        }

        pub(crate) async fn inspector_link_of_user(
            pool: &sqlx::Pool<Db>,
            user_id: i64,
        ) -> Result<Option<InspectorLink>, StoreError> {
            let row: Option<(i64, Option<i64>, Option<String>)> = sqlx::query_as(
                "select id, user_id, home_region_code from inspectors where user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(pool)
            .await
            .map_err(map)?;
            Ok(row.map(|(inspector_id, user_id, home_region_code)| InspectorLink {
                inspector_id,
                user_id,
                home_region_code,
            }))
        }

        pub(crate) async fn inspector_link(
            pool: &sqlx::Pool<Db>,
            inspector_id: i64,
        ) -> Result<InspectorLink, StoreError> {
            let (inspector_id, user_id, home_region_code): (i64, Option<i64>, Option<String>) =
                sqlx::query_as("select id, user_id, home_region_code from inspectors where id = $1")
                    .bind(inspector_id)
                    .fetch_one(pool)
                    .await
                    .map_err(map)?;
            Ok(InspectorLink { inspector_id, user_id, home_region_code })
        }

        pub(crate) async fn add_target(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
            unit_id: i64,
            meta: &AuditMeta,
        ) -> Result<Target, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let path: String = sqlx::query_scalar("select path from units where id = $1")
                .bind(unit_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into round_targets (round_id, unit_id, unit_path, stage, created_at, \
                 updated_at) values ($1, $2, $3, $4, $5, $5) returning id",
            )
            .bind(round_id)
            .bind(unit_id)
            .bind(&path)
            .bind(Stage::Plan.as_str())
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let target = target_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "target.add", "target", Some(id.to_string()), None, json(&target)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(target)
        }

        async fn target_in(
            tx: &mut sqlx::Transaction<'_, Db>,
            id: i64,
        ) -> Result<Target, StoreError> {
            let row: TargetRow = sqlx::query_as(&format!("{SELECT_TARGET} where t.id = $1"))
                .bind(id)
                .fetch_one(&mut **tx)
                .await
                .map_err(map)?;
            Target::try_from(row)
        }

        pub(crate) async fn targets_of(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
        ) -> Result<Vec<Target>, StoreError> {
            let rows: Vec<TargetRow> = sqlx::query_as(&format!(
                "{SELECT_TARGET} where t.round_id = $1 order by t.unit_path"
            ))
            .bind(round_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter().map(Target::try_from).collect()
        }

        pub(crate) async fn targets_in(
            pool: &sqlx::Pool<Db>,
            scope: &xuncha_core::policy::Scope,
        ) -> Result<Vec<Target>, StoreError> {
            let mut qb = sqlx::QueryBuilder::<Db>::new(format!("{SELECT_TARGET} where 1 = 1"));
            crate::shared::push_scope(&mut qb, "t.unit_path", scope);
            qb.push(" order by t.round_id desc, t.unit_path limit 1000");
            let rows: Vec<TargetRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Target::try_from).collect()
        }

        pub(crate) async fn get_target(pool: &sqlx::Pool<Db>, id: i64) -> Result<Target, StoreError> {
            let row: TargetRow = sqlx::query_as(&format!("{SELECT_TARGET} where t.id = $1"))
                .bind(id)
                .fetch_one(pool)
                .await
                .map_err(map)?;
            Target::try_from(row)
        }

        pub(crate) async fn update_target(
            pool: &sqlx::Pool<Db>,
            id: i64,
            u: &TargetUpdate,
            action: &str,
            meta: &AuditMeta,
        ) -> Result<Target, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before = target_in(&mut tx, id).await?;
            let team_id = match u.team_id {
                Some(t) => t,
                None => before.team_id,
            };
            let stage = u.stage.unwrap_or(before.stage);
            let returns = before.report_returns + i64::from(u.add_report_return);
            let feedback = u.feedback_date.clone().or(before.feedback_date.clone());
            let rating = u.rect_rating.clone().or(before.rect_rating.clone());
            sqlx::query(
                "update round_targets set team_id = $1, stage = $2, report_returns = $3, \
                 feedback_date = $4, rect_rating = $5, updated_at = $6 where id = $7",
            )
            .bind(team_id)
            .bind(stage.as_str())
            .bind(returns)
            .bind(&feedback)
            .bind(&rating)
            .bind(meta.at)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            let after = target_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, action, "target", Some(id.to_string()), json(&before), json(&after)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(after)
        }

        pub(crate) async fn coverage(pool: &sqlx::Pool<Db>) -> Result<Vec<Coverage>, StoreError> {
            let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
                "select t.unit_id, t.round_id, r.start_date, t.rect_rating from round_targets t \
                 join rounds r on r.id = t.round_id",
            )
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows
                .into_iter()
                .map(|(unit_id, round_id, start_date, rect_rating)| Coverage {
                    unit_id,
                    round_id,
                    start_date,
                    rect_rating,
                })
                .collect())
        }

        pub(crate) async fn record_recusals(
            pool: &sqlx::Pool<Db>,
            rows: &[NewRecusal],
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            if rows.is_empty() {
                return Ok(());
            }
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            for r in rows {
                // The same conflict found again (a member re-added) is kept once.
                let exists: Option<i64> = sqlx::query_scalar(
                    "select id from recusals where round_id = $1 and inspector_id = $2 \
                     and unit_id = $3 and kind = $4 and reason = $5",
                )
                .bind(r.round_id)
                .bind(r.inspector_id)
                .bind(r.unit_id)
                .bind(&r.kind)
                .bind(&r.reason)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map)?;
                if exists.is_some() {
                    continue;
                }
                let chain = serde_json::to_string(&r.chain).map_err(|e| StoreError::Other(e.into()))?;
                let id: i64 = sqlx::query_scalar(
                    "insert into recusals (round_id, inspector_id, unit_id, unit_path, kind, \
                     severity, reason, chain_json, decision, created_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id",
                )
                .bind(r.round_id)
                .bind(r.inspector_id)
                .bind(r.unit_id)
                .bind(&r.unit_path)
                .bind(&r.kind)
                .bind(&r.severity)
                .bind(&r.reason)
                .bind(&chain)
                .bind(r.decision.as_str())
                .bind(meta.at)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
                crate::audit::$m::write(
                    &mut tx,
                    &entry(
                        meta,
                        "recusal.record",
                        "recusal",
                        Some(id.to_string()),
                        None,
                        Some(serde_json::json!({
                            "inspector_id": r.inspector_id, "unit_id": r.unit_id,
                            "kind": r.kind, "severity": r.severity, "reason": r.reason,
                            "chain": r.chain, "decision": r.decision.as_str(),
                        })),
                    ),
                )
                .await?;
            }
            tx.commit().await.map_err(map)?;
            Ok(())
        }

        pub(crate) async fn recusals_of_round(
            pool: &sqlx::Pool<Db>,
            round_id: i64,
        ) -> Result<Vec<RecusalRecord>, StoreError> {
            let rows: Vec<RecusalRow> = sqlx::query_as(&format!(
                "{SELECT_RECUSAL} where r.round_id = $1 order by r.id"
            ))
            .bind(round_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter().map(RecusalRecord::try_from).collect()
        }

        pub(crate) async fn decide_recusal(
            pool: &sqlx::Pool<Db>,
            id: i64,
            decision: RecusalDecision,
            reason: &str,
            meta: &AuditMeta,
        ) -> Result<RecusalRecord, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query(
                "update recusals set decision = $1, decision_reason = $2, decided_by = $3 \
                 where id = $4 and decision = 'pending'",
            )
            .bind(decision.as_str())
            .bind(reason)
            .bind(meta.actor_id)
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("recusal already decided".into()));
            }
            let row: RecusalRow = sqlx::query_as(&format!("{SELECT_RECUSAL} where r.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(map)?;
            let rec = RecusalRecord::try_from(row)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "recusal.decide", "recusal", Some(id.to_string()), None, json(&rec)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(rec)
        }

        pub(crate) async fn assignments_of_user(
            pool: &sqlx::Pool<Db>,
            user_id: i64,
        ) -> Result<(Vec<Assignment>, Vec<String>), StoreError> {
            let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
                "select m.round_id, m.team_id, m.role, t.unit_path from team_members m \
                 join inspectors i on i.id = m.inspector_id \
                 left join round_targets t on t.team_id = m.team_id \
                 where i.user_id = $1 order by m.round_id, m.team_id",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            let mut out: Vec<Assignment> = Vec::new();
            for (round_id, team_id, role, path) in rows {
                let role = TeamRole::parse(&role).ok_or_else(|| corrupt("team role", &role))?;
                match out.iter_mut().find(|a| a.team_id == team_id) {
                    Some(a) => a.unit_paths.extend(path),
                    None => out.push(Assignment {
                        round_id,
                        team_id,
                        role,
                        unit_paths: path.into_iter().collect(),
                    }),
                }
            }
            let recused: Vec<String> = sqlx::query_scalar(
                "select distinct r.unit_path from recusals r join inspectors i on i.id = r.inspector_id \
                 where i.user_id = $1 and r.decision <> 'allowed'",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok((out, recused))
        }
    };
}

for_each_backend!(rounds_impl);
