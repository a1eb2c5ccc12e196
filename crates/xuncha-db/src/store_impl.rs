//! The `Store` port implemented for both adapters by delegating to the
//! per-backend query modules.

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use xuncha_core::audit::{AuditEntry, AuditRecord};
use xuncha_core::auth::{User, UserCredentials};
use xuncha_core::import::ImportReport;
use xuncha_core::policy::Scope;
use xuncha_core::registry::{
    Inspector, LeadershipPost, NewInspector, NewPerson, NewRelation, NewUnit, NewWorkHistory, Page,
    PageRequest, Person, PersonFilter, PostRank, Relation, Unit, UnitFilter, WorkHistory,
};
use xuncha_core::store::{
    Attachment, AuditMeta, Backend, Counts, ImportUnit, NewUser, OutboxItem, SearchFeed,
    SearchSource, SessionInfo, Store,
};
use xuncha_core::StoreError;

use crate::connect::{PgStore, SqliteStore};
use crate::error::map;
use crate::{audit, persons, registry_extra as extra, search_feed, units, users};

macro_rules! impl_store {
    ($store:ty, $m:ident, $backend:expr) => {
        #[async_trait]
        impl Store for $store {
            fn backend(&self) -> Backend {
                $backend
            }
            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query("select 1")
                    .execute(&self.pool)
                    .await
                    .map_err(map)?;
                Ok(())
            }
            async fn create_unit(
                &self,
                new: &NewUnit,
                meta: &AuditMeta,
            ) -> Result<Unit, StoreError> {
                units::$m::create(&self.pool, new, meta).await
            }
            async fn update_unit(
                &self,
                id: i64,
                new: &NewUnit,
                meta: &AuditMeta,
            ) -> Result<Unit, StoreError> {
                units::$m::update(&self.pool, id, new, meta).await
            }
            async fn get_unit(&self, id: i64) -> Result<Unit, StoreError> {
                units::$m::get(&self.pool, id).await
            }
            async fn list_units(
                &self,
                scope: &Scope,
                filter: &UnitFilter,
                page: PageRequest,
            ) -> Result<Page<Unit>, StoreError> {
                units::$m::list(&self.pool, scope, filter, page).await
            }
            async fn all_units(&self, scope: &Scope) -> Result<Vec<Unit>, StoreError> {
                units::$m::all(&self.pool, scope).await
            }
            async fn import_units(
                &self,
                rows: &[ImportUnit],
                meta: &AuditMeta,
            ) -> Result<ImportReport, StoreError> {
                units::$m::import(&self.pool, rows, meta).await
            }
            async fn create_person(
                &self,
                new: &NewPerson,
                meta: &AuditMeta,
            ) -> Result<Person, StoreError> {
                persons::$m::create(&self.pool, new, meta).await
            }
            async fn update_person(
                &self,
                id: i64,
                new: &NewPerson,
                meta: &AuditMeta,
            ) -> Result<Person, StoreError> {
                persons::$m::update(&self.pool, id, new, meta).await
            }
            async fn get_person(&self, id: i64) -> Result<Person, StoreError> {
                persons::$m::get(&self.pool, id).await
            }
            async fn list_persons(
                &self,
                scope: &Scope,
                filter: &PersonFilter,
                page: PageRequest,
            ) -> Result<Page<Person>, StoreError> {
                persons::$m::list(&self.pool, scope, filter, page).await
            }
            async fn import_people(
                &self,
                rows: &[NewPerson],
                meta: &AuditMeta,
            ) -> Result<ImportReport, StoreError> {
                persons::$m::import(&self.pool, rows, meta).await
            }
            async fn persons_by_id_numbers(
                &self,
                numbers: &[String],
            ) -> Result<HashMap<String, (i64, Option<String>)>, StoreError> {
                persons::$m::by_id_numbers(&self.pool, numbers).await
            }
            async fn add_relation(
                &self,
                new: &NewRelation,
                meta: &AuditMeta,
            ) -> Result<Relation, StoreError> {
                extra::$m::add_relation(&self.pool, new, meta).await
            }
            async fn import_relations(
                &self,
                rows: &[NewRelation],
                meta: &AuditMeta,
            ) -> Result<ImportReport, StoreError> {
                extra::$m::import_relations(&self.pool, rows, meta).await
            }
            async fn relations_of(&self, person_id: i64) -> Result<Vec<Relation>, StoreError> {
                extra::$m::relations_of(&self.pool, person_id).await
            }
            async fn relations_in(&self, scope: &Scope) -> Result<Vec<Relation>, StoreError> {
                extra::$m::relations_in(&self.pool, scope).await
            }
            async fn add_work_history(
                &self,
                new: &NewWorkHistory,
                meta: &AuditMeta,
            ) -> Result<WorkHistory, StoreError> {
                extra::$m::add_work(&self.pool, new, meta).await
            }
            async fn work_history_of(
                &self,
                person_id: i64,
            ) -> Result<Vec<WorkHistory>, StoreError> {
                extra::$m::work_of(&self.pool, person_id).await
            }
            async fn add_leadership_post(
                &self,
                unit_id: i64,
                person_id: i64,
                title: &str,
                rank: PostRank,
                meta: &AuditMeta,
            ) -> Result<LeadershipPost, StoreError> {
                extra::$m::add_post(&self.pool, unit_id, person_id, title, rank, meta).await
            }
            async fn leadership_of(&self, unit_id: i64) -> Result<Vec<LeadershipPost>, StoreError> {
                extra::$m::leadership_of(&self.pool, unit_id).await
            }
            async fn add_inspector(
                &self,
                new: &NewInspector,
                meta: &AuditMeta,
            ) -> Result<Inspector, StoreError> {
                extra::$m::add_inspector(&self.pool, new, meta).await
            }
            async fn list_inspectors(&self) -> Result<Vec<Inspector>, StoreError> {
                extra::$m::inspectors(&self.pool).await
            }
            async fn create_user(
                &self,
                new: &NewUser,
                meta: &AuditMeta,
            ) -> Result<User, StoreError> {
                users::$m::create_user(&self.pool, new, meta).await
            }
            async fn user_credentials(
                &self,
                username: &str,
            ) -> Result<UserCredentials, StoreError> {
                users::$m::credentials(&self.pool, username).await
            }
            async fn get_user(&self, id: i64) -> Result<User, StoreError> {
                users::$m::get_user(&self.pool, id).await
            }
            async fn list_users(&self) -> Result<Vec<User>, StoreError> {
                users::$m::list_users(&self.pool).await
            }
            async fn users_named(&self, logins: &[String]) -> Result<Vec<User>, StoreError> {
                users::$m::users_named(&self.pool, logins).await
            }
            async fn set_password(
                &self,
                user_id: i64,
                password_hash: &str,
                keep_session: Option<&str>,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                users::$m::set_password(&self.pool, user_id, password_hash, keep_session, meta)
                    .await
            }
            async fn create_session(
                &self,
                token_hash: &str,
                user_id: i64,
                csrf_token: &str,
                expires_at: i64,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                users::$m::create_session(
                    &self.pool, token_hash, user_id, csrf_token, expires_at, meta,
                )
                .await
            }
            async fn session(&self, token_hash: &str, now: i64) -> Result<SessionInfo, StoreError> {
                users::$m::session(&self.pool, token_hash, now).await
            }
            async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                users::$m::delete_session(&self.pool, token_hash).await
            }
            async fn create_api_token(
                &self,
                user_id: i64,
                token_hash: &str,
                name: &str,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                users::$m::create_token(&self.pool, user_id, token_hash, name, meta).await
            }
            async fn user_by_token(&self, token_hash: &str) -> Result<User, StoreError> {
                users::$m::user_by_token(&self.pool, token_hash).await
            }
            async fn record_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
                audit::$m::record(&self.pool, entry).await
            }
            async fn audit_page(&self, page: PageRequest) -> Result<Page<AuditRecord>, StoreError> {
                audit::$m::page(&self.pool, page).await
            }
            async fn audit_after(
                &self,
                after: i64,
                limit: i64,
            ) -> Result<Vec<AuditRecord>, StoreError> {
                audit::$m::after(&self.pool, after, limit).await
            }
            async fn audit_head(&self) -> Result<(i64, String), StoreError> {
                audit::$m::head(&self.pool).await
            }
            async fn settings(&self) -> Result<BTreeMap<String, String>, StoreError> {
                users::$m::settings(&self.pool).await
            }
            async fn update_settings(
                &self,
                changes: &BTreeMap<String, String>,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                users::$m::update_settings(&self.pool, changes, meta).await
            }
            async fn record_attachment(
                &self,
                a: &Attachment,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                users::$m::record_attachment(&self.pool, a, meta).await
            }
            async fn unit_attachments(&self, unit_id: i64) -> Result<Vec<Attachment>, StoreError> {
                users::$m::unit_attachments(&self.pool, unit_id).await
            }
            async fn audit_of(
                &self,
                object_type: &str,
                object_id: &str,
                limit: i64,
            ) -> Result<Vec<AuditRecord>, StoreError> {
                audit::$m::of(&self.pool, object_type, object_id, limit).await
            }
            async fn attachments(&self, sha256: &str) -> Result<Vec<Attachment>, StoreError> {
                users::$m::attachments(&self.pool, sha256).await
            }
            async fn counts(&self, scope: &Scope) -> Result<Counts, StoreError> {
                users::$m::counts(&self.pool, scope).await
            }
        }
    };
}

macro_rules! impl_feed {
    ($store:ty, $m:ident) => {
        #[async_trait]
        impl SearchFeed for $store {
            async fn outbox_after(
                &self,
                cursor: i64,
                limit: i64,
            ) -> Result<Vec<OutboxItem>, StoreError> {
                search_feed::$m::outbox_after(&self.pool, cursor, limit).await
            }
            async fn search_sources(
                &self,
                doc_type: &str,
                ids: &[i64],
            ) -> Result<Vec<SearchSource>, StoreError> {
                search_feed::$m::sources(&self.pool, doc_type, ids).await
            }
            async fn search_sources_after(
                &self,
                doc_type: &str,
                after: i64,
                limit: i64,
            ) -> Result<Vec<SearchSource>, StoreError> {
                search_feed::$m::sources_after(&self.pool, doc_type, after, limit).await
            }
        }
    };
}

impl_feed!(SqliteStore, sqlite);
impl_feed!(PgStore, postgres);
impl_store!(SqliteStore, sqlite, Backend::Sqlite);
impl_store!(PgStore, postgres, Backend::Postgres);
