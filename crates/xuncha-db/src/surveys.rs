//! Surveys, their one-time codes (hashes) and answer sheets. Using a code
//! and storing its sheet happen in one transaction, and nothing links the
//! two afterwards.

use sqlx::QueryBuilder;
use xuncha_core::policy::Scope;
use xuncha_core::store::AuditMeta;
use xuncha_core::survey::{NewSurvey, Sheet, Survey, SurveyForm, SurveyKind, SurveyStatus};
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;
use crate::shared::{corrupt, push_scope};

#[derive(sqlx::FromRow)]
pub(crate) struct SurveyRow {
    id: i64,
    kind: String,
    status: String,
    round_id: Option<i64>,
    target_id: Option<i64>,
    unit_id: i64,
    unit_name: String,
    unit_path: String,
    form: String,
    issued: i64,
    returned: i64,
    version: i64,
}

impl TryFrom<SurveyRow> for Survey {
    type Error = StoreError;
    fn try_from(r: SurveyRow) -> Result<Self, StoreError> {
        let bad = || corrupt("survey", &r.id.to_string());
        Ok(Survey {
            id: r.id,
            kind: SurveyKind::parse(&r.kind).ok_or_else(bad)?,
            status: SurveyStatus::parse(&r.status).ok_or_else(bad)?,
            round_id: r.round_id,
            target_id: r.target_id,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            unit_path: r.unit_path,
            form: serde_json::from_str::<SurveyForm>(&r.form).map_err(|_| bad())?,
            issued: r.issued,
            returned: r.returned,
            version: r.version,
        })
    }
}

const SELECT: &str = "select s.id, s.kind, s.status, s.round_id, s.target_id, s.unit_id, \
     u.name as unit_name, s.unit_path, s.form, s.issued, s.returned, \
     s.version from surveys s join units u on u.id = s.unit_id";

fn image(s: &Survey) -> Option<serde_json::Value> {
    Some(serde_json::json!({
        "title": s.form.title, "kind": s.kind.as_str(), "status": s.status.as_str(),
        "unit_id": s.unit_id, "questions": s.form.questions.len(),
    }))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Other(e.into()))
}

macro_rules! surveys_impl {
    ($m:ident) => {
        async fn one(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: i64,
        ) -> Result<Survey, StoreError> {
            let row: SurveyRow = sqlx::query_as(&format!("{SELECT} where s.id = $1"))
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .map_err(map)?;
            Survey::try_from(row)
        }

        pub(crate) async fn create(
            pool: &sqlx::Pool<Db>,
            new: &NewSurvey,
            meta: &AuditMeta,
        ) -> Result<Survey, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let id: i64 = sqlx::query_scalar(
                "insert into surveys (kind, status, round_id, target_id, unit_id, unit_path, \
                 title, form, issued, returned, version, created_by, created_at, updated_at) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, 1, $9, $10, $10) returning id",
            )
            .bind(new.kind.as_str())
            .bind(SurveyStatus::Draft.as_str())
            .bind(new.round_id)
            .bind(new.target_id)
            .bind(new.unit_id)
            .bind(&new.unit_path)
            .bind(&new.form.title)
            .bind(to_json(&new.form)?)
            .bind(meta.actor_id)
            .bind(meta.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(map)?;
            let s = one(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "survey.create", "survey", Some(id.to_string()), None, image(&s)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(s)
        }

        pub(crate) async fn get(pool: &sqlx::Pool<Db>, id: i64) -> Result<Survey, StoreError> {
            let mut conn = pool.acquire().await.map_err(map)?;
            one(&mut conn, id).await
        }

        pub(crate) async fn list(
            pool: &sqlx::Pool<Db>,
            scope: &Scope,
        ) -> Result<Vec<Survey>, StoreError> {
            let mut qb = QueryBuilder::<Db>::new(format!("{SELECT} where 1 = 1"));
            push_scope(&mut qb, "s.unit_path", scope);
            qb.push(" order by s.id desc limit 1000");
            let rows: Vec<SurveyRow> = qb.build_query_as().fetch_all(pool).await.map_err(map)?;
            rows.into_iter().map(Survey::try_from).collect()
        }

        pub(crate) async fn update(
            pool: &sqlx::Pool<Db>,
            id: i64,
            expected_version: i64,
            form: &SurveyForm,
            status: SurveyStatus,
            meta: &AuditMeta,
        ) -> Result<Survey, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            let done = sqlx::query(
                "update surveys set form = $1, title = $2, status = $3, version = version + 1, \
                 updated_at = $4 where id = $5 and version = $6",
            )
            .bind(to_json(form)?)
            .bind(&form.title)
            .bind(status.as_str())
            .bind(meta.at)
            .bind(id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict("survey changed meanwhile".into()));
            }
            let s = one(&mut tx, id).await?;
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "survey.update", "survey", Some(id.to_string()), None, image(&s)),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(s)
        }

        pub(crate) async fn add_codes(
            pool: &sqlx::Pool<Db>,
            survey_id: i64,
            hashes: &[String],
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            for chunk in hashes.chunks(500) {
                let mut qb = QueryBuilder::<Db>::new(
                    "insert into survey_codes (survey_id, code_hash, used) ",
                );
                qb.push_values(chunk, |mut b, h| {
                    b.push_bind(survey_id).push_bind(h.clone()).push_bind(false);
                });
                qb.build().execute(&mut *tx).await.map_err(map)?;
            }
            sqlx::query("update surveys set issued = issued + $1 where id = $2")
                .bind(hashes.len() as i64)
                .bind(survey_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            let after = serde_json::json!({ "codes": hashes.len() });
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "survey.codes",
                    "survey",
                    Some(survey_id.to_string()),
                    None,
                    Some(after),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(())
        }

        pub(crate) async fn of_code(
            pool: &sqlx::Pool<Db>,
            hash: &str,
        ) -> Result<Option<(i64, bool)>, StoreError> {
            sqlx::query_as("select survey_id, used from survey_codes where code_hash = $1")
                .bind(hash)
                .fetch_optional(pool)
                .await
                .map_err(map)
        }

        pub(crate) async fn answer(
            pool: &sqlx::Pool<Db>,
            code_hash: &str,
            sheet: &Sheet,
            keyed: bool,
            date: &str,
            meta: &AuditMeta,
        ) -> Result<i64, StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            // The conditional update is the lock: of two sheets sent with one
            // code at once, exactly one finds it unused.
            let survey_id: Option<i64> = sqlx::query_scalar(
                "update survey_codes set used = true where code_hash = $1 and used = false \
                 returning survey_id",
            )
            .bind(code_hash)
            .fetch_optional(&mut *tx)
            .await
            .map_err(map)?;
            let Some(survey_id) = survey_id else {
                return Err(StoreError::Conflict("survey code used".into()));
            };
            let texts = if sheet.texts.is_empty() {
                None
            } else {
                Some(to_json(&sheet.texts)?)
            };
            sqlx::query(
                "insert into survey_sheets (survey_id, choices, texts, keyed, submitted_date) \
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(survey_id)
            .bind(&sheet.choices)
            .bind(texts)
            .bind(keyed)
            .bind(date)
            .execute(&mut *tx)
            .await
            .map_err(map)?;
            sqlx::query("update surveys set returned = returned + 1 where id = $1")
                .bind(survey_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            let action = if keyed { "survey.keyed" } else { "survey.answer" };
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, action, "survey", Some(survey_id.to_string()), None, None),
            )
            .await?;
            tx.commit().await.map_err(map)?;
            Ok(survey_id)
        }

        pub(crate) async fn sheets(
            pool: &sqlx::Pool<Db>,
            survey_id: i64,
        ) -> Result<Vec<Sheet>, StoreError> {
            let rows: Vec<(String, Option<String>)> = sqlx::query_as(
                "select choices, texts from survey_sheets where survey_id = $1 order by id",
            )
            .bind(survey_id)
            .fetch_all(pool)
            .await
            .map_err(map)?;
            rows.into_iter()
                .map(|(choices, texts)| {
                    let texts = match texts {
                        Some(t) => serde_json::from_str(&t)
                            .map_err(|_| corrupt("survey_sheet", &survey_id.to_string()))?,
                        None => Vec::new(),
                    };
                    Ok(Sheet { choices, texts })
                })
                .collect()
        }
    };
}

for_each_backend!(surveys_impl);
