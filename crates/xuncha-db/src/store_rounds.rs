//! The `RoundStore` port implemented for both adapters by delegating to the
//! per-backend query modules.

use async_trait::async_trait;
use xuncha_core::inspection::record::{
    NewRecord, RecordCount, RecordFilter, RecordMeta, RecordUpdate, StoredRecord,
};
use xuncha_core::inspection::{
    Assignment, NewRecusal, NewRound, RecusalDecision, RecusalRecord, Round, RoundStatus, Target,
    TargetUpdate, Team, TeamMember, TeamRole,
};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::{AuditMeta, Coverage, InspectorLink, RoundStore};
use xuncha_core::StoreError;

use crate::connect::{PgStore, SqliteStore};
use crate::{records, rounds};

macro_rules! impl_round_store {
    ($store:ty, $m:ident) => {
        #[async_trait]
        impl RoundStore for $store {
            async fn create_round(
                &self,
                new: &NewRound,
                meta: &AuditMeta,
            ) -> Result<Round, StoreError> {
                rounds::$m::create_round(&self.pool, new, meta).await
            }
            async fn get_round(&self, id: i64) -> Result<Round, StoreError> {
                rounds::$m::get_round(&self.pool, id).await
            }
            async fn list_rounds(&self) -> Result<Vec<Round>, StoreError> {
                rounds::$m::list_rounds(&self.pool).await
            }
            async fn set_round_status(
                &self,
                id: i64,
                status: RoundStatus,
                meta: &AuditMeta,
            ) -> Result<Round, StoreError> {
                rounds::$m::set_round_status(&self.pool, id, status, meta).await
            }
            async fn create_team(
                &self,
                round_id: i64,
                name: &str,
                meta: &AuditMeta,
            ) -> Result<Team, StoreError> {
                rounds::$m::create_team(&self.pool, round_id, name, meta).await
            }
            async fn get_team(&self, id: i64) -> Result<Team, StoreError> {
                rounds::$m::get_team(&self.pool, id).await
            }
            async fn teams_of(&self, round_id: i64) -> Result<Vec<Team>, StoreError> {
                rounds::$m::teams_of(&self.pool, round_id).await
            }
            async fn add_team_member(
                &self,
                team_id: i64,
                inspector_id: i64,
                role: TeamRole,
                meta: &AuditMeta,
            ) -> Result<TeamMember, StoreError> {
                rounds::$m::add_member(&self.pool, team_id, inspector_id, role, meta).await
            }
            async fn remove_team_member(
                &self,
                member_id: i64,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                rounds::$m::remove_member(&self.pool, member_id, meta).await
            }
            async fn members_of_round(&self, round_id: i64) -> Result<Vec<TeamMember>, StoreError> {
                rounds::$m::members_of_round(&self.pool, round_id).await
            }
            async fn sign_member(
                &self,
                member_id: i64,
                statement: bool,
                meta: &AuditMeta,
            ) -> Result<TeamMember, StoreError> {
                rounds::$m::sign_member(&self.pool, member_id, statement, meta).await
            }
            async fn link_inspector(
                &self,
                link: &InspectorLink,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                rounds::$m::link_inspector(&self.pool, link, meta).await
            }
            async fn inspector_link_of_user(
                &self,
                user_id: i64,
            ) -> Result<Option<InspectorLink>, StoreError> {
                rounds::$m::inspector_link_of_user(&self.pool, user_id).await
            }
            async fn inspector_link(&self, inspector_id: i64) -> Result<InspectorLink, StoreError> {
                rounds::$m::inspector_link(&self.pool, inspector_id).await
            }
            async fn add_target(
                &self,
                round_id: i64,
                unit_id: i64,
                meta: &AuditMeta,
            ) -> Result<Target, StoreError> {
                rounds::$m::add_target(&self.pool, round_id, unit_id, meta).await
            }
            async fn targets_of(&self, round_id: i64) -> Result<Vec<Target>, StoreError> {
                rounds::$m::targets_of(&self.pool, round_id).await
            }
            async fn targets_in(
                &self,
                scope: &xuncha_core::policy::Scope,
            ) -> Result<Vec<Target>, StoreError> {
                rounds::$m::targets_in(&self.pool, scope).await
            }
            async fn get_target(&self, id: i64) -> Result<Target, StoreError> {
                rounds::$m::get_target(&self.pool, id).await
            }
            async fn update_target(
                &self,
                id: i64,
                update: &TargetUpdate,
                action: &str,
                meta: &AuditMeta,
            ) -> Result<Target, StoreError> {
                rounds::$m::update_target(&self.pool, id, update, action, meta).await
            }
            async fn coverage(&self) -> Result<Vec<Coverage>, StoreError> {
                rounds::$m::coverage(&self.pool).await
            }
            async fn record_recusals(
                &self,
                rows: &[NewRecusal],
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                rounds::$m::record_recusals(&self.pool, rows, meta).await
            }
            async fn recusals_of_round(
                &self,
                round_id: i64,
            ) -> Result<Vec<RecusalRecord>, StoreError> {
                rounds::$m::recusals_of_round(&self.pool, round_id).await
            }
            async fn decide_recusal(
                &self,
                id: i64,
                decision: RecusalDecision,
                reason: &str,
                meta: &AuditMeta,
            ) -> Result<RecusalRecord, StoreError> {
                rounds::$m::decide_recusal(&self.pool, id, decision, reason, meta).await
            }
            async fn assignments_of_user(
                &self,
                user_id: i64,
            ) -> Result<(Vec<Assignment>, Vec<String>), StoreError> {
                rounds::$m::assignments_of_user(&self.pool, user_id).await
            }
            async fn insert_record(
                &self,
                new: &NewRecord,
                meta: &AuditMeta,
            ) -> Result<RecordMeta, StoreError> {
                records::$m::insert(&self.pool, new, meta).await
            }
            async fn update_record(
                &self,
                id: i64,
                update: &RecordUpdate,
                meta: &AuditMeta,
            ) -> Result<RecordMeta, StoreError> {
                records::$m::update(&self.pool, id, update, meta).await
            }
            async fn get_record(&self, id: i64) -> Result<StoredRecord, StoreError> {
                records::$m::get(&self.pool, id).await
            }
            async fn list_records(
                &self,
                filter: &RecordFilter,
                page: PageRequest,
            ) -> Result<Page<StoredRecord>, StoreError> {
                records::$m::list(&self.pool, filter, page).await
            }
            async fn records_of_round(
                &self,
                round_id: i64,
            ) -> Result<Vec<StoredRecord>, StoreError> {
                records::$m::of_round(&self.pool, round_id).await
            }
            async fn unit_record_counts(
                &self,
                filter: &RecordFilter,
            ) -> Result<Vec<(i64, String, i64)>, StoreError> {
                records::$m::unit_counts(&self.pool, filter).await
            }
            async fn record_counts(
                &self,
                filter: &RecordFilter,
            ) -> Result<Vec<RecordCount>, StoreError> {
                records::$m::counts(&self.pool, filter).await
            }
        }
    };
}

impl_round_store!(SqliteStore, sqlite);
impl_round_store!(PgStore, postgres);
