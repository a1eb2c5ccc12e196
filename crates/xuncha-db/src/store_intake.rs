//! The `IntakeStore` port (petitions, tips) implemented for both adapters.

use async_trait::async_trait;
use xuncha_core::intake::register::{Identity, NewPetition, Petition, PetitionData};
use xuncha_core::intake::supervision::{NewSupervision, Supervision};
use xuncha_core::intake::tip::{NewTip, Tip, TipOutcome};
use xuncha_core::policy::Scope;
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::{AuditMeta, IntakeStore, PetitionFilter, TipFilter};
use xuncha_core::StoreError;

use crate::connect::{PgStore, SqliteStore};
use crate::{petitions, supervisions, tips};

macro_rules! impl_intake_store {
    ($store:ty, $m:ident) => {
        #[async_trait]
        impl IntakeStore for $store {
            async fn create_petition(
                &self,
                new: &NewPetition,
                due_date: Option<&str>,
                meta: &AuditMeta,
            ) -> Result<Petition, StoreError> {
                petitions::$m::create(&self.pool, new, due_date, meta).await
            }
            async fn get_petition(&self, id: i64) -> Result<Petition, StoreError> {
                petitions::$m::get(&self.pool, id).await
            }
            async fn petition_identity(&self, id: i64) -> Result<Option<Identity>, StoreError> {
                petitions::$m::identity(&self.pool, id).await
            }
            async fn list_petitions(
                &self,
                filter: &PetitionFilter,
                page: PageRequest,
            ) -> Result<Page<Petition>, StoreError> {
                petitions::$m::list(&self.pool, filter, page).await
            }
            async fn update_petition(
                &self,
                id: i64,
                expected_version: i64,
                data: &PetitionData,
                due_date: Option<&str>,
                action: &str,
                meta: &AuditMeta,
            ) -> Result<Petition, StoreError> {
                petitions::$m::update(
                    &self.pool,
                    id,
                    expected_version,
                    data,
                    due_date,
                    action,
                    meta,
                )
                .await
            }
            async fn petition_texts(
                &self,
                unit_id: Option<i64>,
                limit: i64,
            ) -> Result<Vec<(i64, String)>, StoreError> {
                petitions::$m::texts(&self.pool, unit_id, limit).await
            }
            async fn create_supervision(
                &self,
                new: &NewSupervision,
                meta: &AuditMeta,
            ) -> Result<Supervision, StoreError> {
                supervisions::$m::create(&self.pool, new, meta).await
            }
            async fn get_supervision(&self, id: i64) -> Result<Supervision, StoreError> {
                supervisions::$m::get(&self.pool, id).await
            }
            async fn supervisions_of(
                &self,
                petition_ids: &[i64],
            ) -> Result<Vec<Supervision>, StoreError> {
                supervisions::$m::of(&self.pool, petition_ids).await
            }
            async fn update_supervision(
                &self,
                s: &Supervision,
                expected_version: i64,
                action: &str,
                meta: &AuditMeta,
            ) -> Result<Supervision, StoreError> {
                supervisions::$m::update(&self.pool, s, expected_version, action, meta).await
            }
            async fn count_overdue_supervisions(
                &self,
                scope: &Scope,
                today: &str,
            ) -> Result<i64, StoreError> {
                supervisions::$m::count_overdue(&self.pool, scope, today).await
            }
            async fn create_tip(&self, new: &NewTip, meta: &AuditMeta) -> Result<Tip, StoreError> {
                tips::$m::create(&self.pool, new, meta).await
            }
            async fn get_tip(&self, id: i64) -> Result<Tip, StoreError> {
                tips::$m::get(&self.pool, id).await
            }
            async fn tip_by_receipt(&self, hash: &str) -> Result<Option<Tip>, StoreError> {
                tips::$m::by_receipt(&self.pool, hash).await
            }
            async fn tip_identity(&self, id: i64) -> Result<Option<Identity>, StoreError> {
                tips::$m::identity(&self.pool, id).await
            }
            async fn list_tips(
                &self,
                filter: &TipFilter,
                page: PageRequest,
            ) -> Result<Page<Tip>, StoreError> {
                tips::$m::list(&self.pool, filter, page).await
            }
            async fn set_tip_outcome(
                &self,
                id: i64,
                expected_version: i64,
                outcome: &TipOutcome,
                meta: &AuditMeta,
            ) -> Result<Tip, StoreError> {
                tips::$m::set_outcome(&self.pool, id, expected_version, outcome, meta).await
            }
            async fn add_tip_message(
                &self,
                id: i64,
                author_id: Option<i64>,
                body: &str,
                date: &str,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                tips::$m::add_message(&self.pool, id, author_id, body, date, meta).await
            }
        }
    };
}

impl_intake_store!(SqliteStore, sqlite);
impl_intake_store!(PgStore, postgres);
