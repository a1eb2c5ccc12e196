//! The storage port of surveys: forms, one-time codes (hashes only) and
//! answer sheets that cannot be traced back to a code.

use async_trait::async_trait;

use super::AuditMeta;
use crate::error::StoreError;
use crate::policy::Scope;
use crate::survey::{NewSurvey, Sheet, Survey, SurveyForm, SurveyStatus};

/// Surveys.
#[async_trait]
pub trait SurveyStore: Send + Sync {
    /// Stores a new survey (a draft).
    async fn create_survey(&self, new: &NewSurvey, meta: &AuditMeta) -> Result<Survey, StoreError>;
    /// One survey with its issued and returned counts.
    async fn get_survey(&self, id: i64) -> Result<Survey, StoreError>;
    /// The surveys of units in a scope, newest first.
    async fn list_surveys(&self, scope: &Scope) -> Result<Vec<Survey>, StoreError>;
    /// Changes form and status if the survey is still at `expected_version`.
    async fn update_survey(
        &self,
        id: i64,
        expected_version: i64,
        form: &SurveyForm,
        status: SurveyStatus,
        meta: &AuditMeta,
    ) -> Result<Survey, StoreError>;
    /// Adds one-time codes (their hashes).
    async fn add_survey_codes(
        &self,
        survey_id: i64,
        hashes: &[String],
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// The survey a code belongs to, and whether it was used.
    async fn survey_of_code(&self, hash: &str) -> Result<Option<(i64, bool)>, StoreError>;
    /// Uses a code up and stores its sheet, in one transaction; the sheet
    /// keeps no link to the code. `Conflict` when the code was used already.
    async fn answer_survey(
        &self,
        code_hash: &str,
        sheet: &Sheet,
        keyed: bool,
        date: &str,
        meta: &AuditMeta,
    ) -> Result<i64, StoreError>;
    /// Every sheet of a survey (choices, texts).
    async fn survey_sheets(&self, survey_id: i64) -> Result<Vec<Sheet>, StoreError>;
}
