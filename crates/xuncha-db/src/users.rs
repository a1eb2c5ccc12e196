//! Users, sessions, API tokens, settings, attachments and counts.

use std::collections::BTreeMap;

use sqlx::QueryBuilder;
use xuncha_core::auth::{Role, User, UserCredentials};
use xuncha_core::policy::Scope;
use xuncha_core::store::{Attachment, AuditMeta, Counts, NewUser, SessionInfo};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, json, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    active: bool,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: Role::parse(&r.role).map_err(|_| corrupt("role", &r.role))?,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            active: r.active,
            created_at: r.created_at,
        })
    }
}

const SELECT_USER: &str = "select s.id, s.username, s.display_name, s.role, s.unit_id, \
     u.name as unit_name, s.active, s.created_at from users s left join units u on u.id = s.unit_id";

#[derive(sqlx::FromRow)]
pub(crate) struct AttachmentRow {
    sha256: String,
    size: i64,
    mime: String,
    original_name: String,
    unit_id: Option<i64>,
    created_by: i64,
    created_at: i64,
}

impl From<AttachmentRow> for Attachment {
    fn from(r: AttachmentRow) -> Self {
        Attachment {
            sha256: r.sha256,
            size: r.size,
            mime: r.mime,
            original_name: r.original_name,
            unit_id: r.unit_id,
            created_by: r.created_by,
            created_at: r.created_at,
        }
    }
}

macro_rules! users_impl {
    ($m:ident) => {
        async fn user_in(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<User, StoreError> {
            let row: UserRow = sqlx::query_as(&format!("{SELECT_USER} where s.id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            row.try_into()
        }

        pub(crate) async fn create_user(
            pool: &sqlx::Pool<Db>,
            new: &NewUser,
            meta: &AuditMeta,
        ) -> Result<User, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into users (username, display_name, role, unit_id, password_hash, active, \
                 created_at, updated_at) values ($1, $2, $3, $4, $5, true, $6, $6) returning id",
            )
            .bind(&new.username)
            .bind(&new.display_name)
            .bind(new.role.as_str())
            .bind(new.unit_id)
            .bind(&new.password_hash)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let user = user_in(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "user.create", "user", Some(id.to_string()), None, json(&user)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(user)
        }

        pub(crate) async fn credentials(
            pool: &sqlx::Pool<Db>,
            username: &str,
        ) -> Result<UserCredentials, StoreError> {
            let (id, hash): (i64, String) =
                sqlx::query_as("select id, password_hash from users where username = $1")
                    .bind(username)
                    .fetch_one(pool)
                    .await
                    .map_err(map)?;
            let mut conn = pool.acquire().await.map_err(map)?;
            Ok(UserCredentials {
                user: user_in(&mut conn, id).await?,
                password_hash: hash,
            })
        }

        pub(crate) async fn get_user(pool: &sqlx::Pool<Db>, id: i64) -> Result<User, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            user_in(&mut conn, id).await
        }

        pub(crate) async fn list_users(pool: &sqlx::Pool<Db>) -> Result<Vec<User>, StoreError> {
            let rows: Vec<UserRow> = sqlx::query_as(&format!("{SELECT_USER} order by s.id"))
                .fetch_all(pool)
                .await
                .map_err(map)?;
            rows.into_iter().map(User::try_from).collect()
        }

        pub(crate) async fn users_named(
            pool: &sqlx::Pool<Db>,
            logins: &[String],
        ) -> Result<Vec<User>, StoreError> {
            let mut out = Vec::new();
            // Through the unique login index, a few hundred names a statement.
            for chunk in logins.chunks(500) {
                let mut qb = QueryBuilder::<Db>::new(format!("{SELECT_USER} where s.username in ("));
                let mut sep = qb.separated(", ");
                for l in chunk {
                    sep.push_bind(l.clone());
                }
                qb.push(") order by s.id");
                let rows: Vec<UserRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
                for r in rows {
                    out.push(User::try_from(r)?);
                }
            }
            Ok(out)
        }

        pub(crate) async fn set_password(
            pool: &sqlx::Pool<Db>,
            user_id: i64,
            hash: &str,
            keep_session: Option<&str>,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query("update users set password_hash = $1, updated_at = $2 where id = $3")
                .bind(hash)
                .bind(meta.at)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("delete from sessions where user_id = $1 and token_hash <> $2")
                .bind(user_id)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "user.password", "user", Some(user_id.to_string()), None, None),
            )
            .await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn create_session(
            pool: &sqlx::Pool<Db>,
            token_hash: &str,
            user_id: i64,
            csrf: &str,
            expires_at: i64,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            sqlx::query("delete from sessions where expires_at < $1")
                .bind(meta.at)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            sqlx::query(
                "insert into sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(meta.at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "user.login", "user", Some(user_id.to_string()), None, None),
            )
            .await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn session(
            pool: &sqlx::Pool<Db>,
            token_hash: &str,
            now: i64,
        ) -> Result<SessionInfo, StoreError> {
            let (user_id, csrf, expires_at): (i64, String, i64) = sqlx::query_as(
                "select s.user_id, s.csrf_token, s.expires_at from sessions s \
                 join users u on u.id = s.user_id \
                 where s.token_hash = $1 and s.expires_at > $2 and u.active",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_one(pool)
            .await
            .map_err(map)?;
            Ok(SessionInfo {
                user: get_user(pool, user_id).await?,
                csrf_token: csrf,
                expires_at,
            })
        }

        pub(crate) async fn delete_session(pool: &sqlx::Pool<Db>, token_hash: &str) -> Result<(), StoreError> {
            sqlx::query("delete from sessions where token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map_err(map)?;
            Ok(())
        }

        pub(crate) async fn create_token(
            pool: &sqlx::Pool<Db>,
            user_id: i64,
            token_hash: &str,
            name: &str,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            sqlx::query(
                "insert into api_tokens (token_hash, user_id, name, created_at) values ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(name)
            .bind(meta.at)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "token.create",
                    "user",
                    Some(user_id.to_string()),
                    None,
                    Some(serde_json::json!({ "name": name })),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn user_by_token(pool: &sqlx::Pool<Db>, token_hash: &str) -> Result<User, StoreError> {
            let user_id: i64 = sqlx::query_scalar(
                "select t.user_id from api_tokens t join users u on u.id = t.user_id \
                 where t.token_hash = $1 and u.active",
            )
            .bind(token_hash)
            .fetch_one(pool)
            .await
            .map_err(map)?;
            get_user(pool, user_id).await
        }

        pub(crate) async fn settings(pool: &sqlx::Pool<Db>) -> Result<BTreeMap<String, String>, StoreError> {
            let rows: Vec<(String, String)> = sqlx::query_as("select key, value from settings")
                .fetch_all(pool)
                .await
                .map_err(map)?;
            Ok(rows.into_iter().collect())
        }

        pub(crate) async fn update_settings(
            pool: &sqlx::Pool<Db>,
            changes: &BTreeMap<String, String>,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let before: BTreeMap<String, String> =
                sqlx::query_as::<_, (String, String)>("select key, value from settings")
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(map)?
                    .into_iter()
                    .filter(|(k, _)| changes.contains_key(k))
                    .collect();
            for (k, v) in changes {
                sqlx::query(
                    "insert into settings (key, value, updated_at, updated_by) values ($1, $2, $3, $4) \
                     on conflict (key) do update set value = excluded.value, \
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                )
                .bind(k)
                .bind(v)
                .bind(meta.at)
                .bind(meta.actor_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            }
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "settings.update", "settings", None, json(&before), json(changes)),
            )
            .await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn record_attachment(
            pool: &sqlx::Pool<Db>,
            a: &Attachment,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            sqlx::query(
                "insert into attachments (sha256, size, mime, original_name, unit_id, created_by, \
                 created_at) values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&a.sha256)
            .bind(a.size)
            .bind(&a.mime)
            .bind(&a.original_name)
            .bind(a.unit_id)
            .bind(a.created_by)
            .bind(a.created_at)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "attachment.upload", "attachment", Some(a.sha256.clone()), None, json(a)),
            )
            .await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn unit_attachments(
            pool: &sqlx::Pool<Db>,
            unit_id: i64,
        ) -> Result<Vec<Attachment>, StoreError> {
            let rows: Vec<AttachmentRow> = sqlx::query_as(
                "select sha256, size, mime, original_name, unit_id, created_by, created_at \
                 from attachments where unit_id = $1 order by id desc",
            )
            .bind(unit_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows.into_iter().map(Into::into).collect())
        }

        pub(crate) async fn attachments(pool: &sqlx::Pool<Db>, sha: &str) -> Result<Vec<Attachment>, StoreError> {
            let rows: Vec<AttachmentRow> = sqlx::query_as(
                "select sha256, size, mime, original_name, unit_id, created_by, created_at \
                 from attachments where sha256 = $1 order by id",
            )
            .bind(sha)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            Ok(rows.into_iter().map(Into::into).collect())
        }

        pub(crate) async fn counts(pool: &sqlx::Pool<Db>, scope: &Scope) -> Result<Counts, StoreError> {
            let count = |table: &str, col: &str| {
                let mut qb = QueryBuilder::<Db>::new(format!("select count(*) from {table} where 1 = 1"));
                push_scope(&mut qb, col, scope);
                qb
            };
            let units: i64 = count("units", "path").build_query_scalar().fetch_one(pool).await.map_err(map)?;
            let mut qb = QueryBuilder::<Db>::new(
                "select cast(coalesce(sum(person_count), 0) as bigint) from units where 1 = 1",
            );
            push_scope(&mut qb, "path", scope);
            let mut persons: i64 = qb.build_query_scalar().fetch_one(pool).await.map_err(map)?;
            if scope.sees_unattached() {
                let n: i64 = sqlx::query_scalar("select count(*) from persons where unit_id is null")
                    .fetch_one(pool)
                    .await
                    .map_err(map)?;
                persons += n;
            }
            let inspectors: i64 = sqlx::query_scalar("select count(*) from inspectors")
                .fetch_one(pool)
                .await
                .map_err(map)?;
            let users: i64 = sqlx::query_scalar("select count(*) from users")
                .fetch_one(pool)
                .await
                .map_err(map)?;
            let audit_records: i64 = sqlx::query_scalar("select seq from audit_head where id = 1")
                .fetch_one(pool)
                .await
                .map_err(map)?;
            Ok(Counts { units, persons, inspectors, users, audit_records })
        }
    };
}

for_each_backend!(users_impl);
