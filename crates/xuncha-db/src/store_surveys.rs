//! The `SurveyStore` port implemented for both adapters.

use async_trait::async_trait;
use xuncha_core::policy::Scope;
use xuncha_core::store::{AuditMeta, SurveyStore};
use xuncha_core::survey::{NewSurvey, Sheet, Survey, SurveyForm, SurveyStatus};
use xuncha_core::StoreError;

use crate::connect::{PgStore, SqliteStore};
use crate::surveys;

macro_rules! impl_survey_store {
    ($store:ty, $m:ident) => {
        #[async_trait]
        impl SurveyStore for $store {
            async fn create_survey(
                &self,
                new: &NewSurvey,
                meta: &AuditMeta,
            ) -> Result<Survey, StoreError> {
                surveys::$m::create(&self.pool, new, meta).await
            }
            async fn get_survey(&self, id: i64) -> Result<Survey, StoreError> {
                surveys::$m::get(&self.pool, id).await
            }
            async fn list_surveys(&self, scope: &Scope) -> Result<Vec<Survey>, StoreError> {
                surveys::$m::list(&self.pool, scope).await
            }
            async fn update_survey(
                &self,
                id: i64,
                expected_version: i64,
                form: &SurveyForm,
                status: SurveyStatus,
                meta: &AuditMeta,
            ) -> Result<Survey, StoreError> {
                surveys::$m::update(&self.pool, id, expected_version, form, status, meta).await
            }
            async fn add_survey_codes(
                &self,
                survey_id: i64,
                hashes: &[String],
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                surveys::$m::add_codes(&self.pool, survey_id, hashes, meta).await
            }
            async fn survey_of_code(&self, hash: &str) -> Result<Option<(i64, bool)>, StoreError> {
                surveys::$m::of_code(&self.pool, hash).await
            }
            async fn answer_survey(
                &self,
                code_hash: &str,
                sheet: &Sheet,
                keyed: bool,
                date: &str,
                meta: &AuditMeta,
            ) -> Result<i64, StoreError> {
                surveys::$m::answer(&self.pool, code_hash, sheet, keyed, date, meta).await
            }
            async fn survey_sheets(&self, survey_id: i64) -> Result<Vec<Sheet>, StoreError> {
                surveys::$m::sheets(&self.pool, survey_id).await
            }
        }
    };
}

impl_survey_store!(SqliteStore, sqlite);
impl_survey_store!(PgStore, postgres);
