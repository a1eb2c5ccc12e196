//! The storage port. One method per use-case query; adapters (SQLite,
//! PostgreSQL) live in `xuncha-db`. Every method that changes data takes an
//! [`AuditMeta`] and writes the change, its audit record and its search-outbox
//! row in one transaction.

mod campaigns;
mod collide;
mod intake;
mod rounds;
mod surveys;

pub use campaigns::{CampaignStore, CampaignTally, DayCount, FollowupFilter, TargetPath};
pub use collide::{CollideStore, HitFilter};
pub use intake::{IntakeStore, PetitionFilter, TipFilter};
pub use rounds::{Coverage, InspectorLink, RoundStore};
pub use surveys::SurveyStore;

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use serde::Serialize;

use crate::audit::{AuditEntry, AuditRecord};
use crate::auth::{Role, User, UserCredentials};
use crate::error::StoreError;
use crate::import::ImportReport;
use crate::policy::Scope;
use crate::registry::{
    Inspector, LeadershipPost, NewInspector, NewPerson, NewRelation, NewUnit, NewWorkHistory, Page,
    PageRequest, Person, PersonFilter, PostRank, Relation, Unit, UnitFilter, WorkHistory,
};

/// Who makes a change and when; the adapter turns it into the audit record.
#[derive(Debug, Clone)]
pub struct AuditMeta {
    /// Acting user (0 for the system).
    pub actor_id: i64,
    /// Their login name.
    pub actor_name: String,
    /// When (ms); also used for `created_at`/`updated_at`.
    pub at: i64,
}

/// Which database an adapter talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite.
    Sqlite,
    /// PostgreSQL (and compatible servers).
    Postgres,
}

/// A unit row of an import, with its parent given either as an existing unit
/// or as an earlier row of the same file.
#[derive(Debug, Clone)]
pub struct ImportUnit {
    /// The validated unit (its `parent_id` is ignored; see `parent`).
    pub unit: NewUnit,
    /// Where the parent is.
    pub parent: ImportParent,
}

/// The parent of an imported unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportParent {
    /// No parent (a root).
    None,
    /// An existing unit.
    Existing(i64),
    /// The unit created by an earlier row (index into the import's rows).
    Row(usize),
}

/// A new user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Jurisdiction root.
    pub unit_id: Option<i64>,
    /// argon2id PHC hash.
    pub password_hash: String,
}

/// A live session as read back.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// The user.
    pub user: User,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// Expiry (ms).
    pub expires_at: i64,
}

/// An attachment's metadata (the bytes live in the blob store).
#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// Sniffed media type.
    pub mime: String,
    /// File name as uploaded.
    pub original_name: String,
    /// Unit the attachment belongs to (for permission checks), if any.
    pub unit_id: Option<i64>,
    /// Uploader.
    pub created_by: i64,
    /// Upload time (ms).
    pub created_at: i64,
}

/// Counts for the home page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// Units in scope.
    pub units: i64,
    /// Persons in scope.
    pub persons: i64,
    /// Inspectors in the pool.
    pub inspectors: i64,
    /// Users.
    pub users: i64,
    /// Audit records.
    pub audit_records: i64,
}

/// The storage port.
#[async_trait]
pub trait Store:
    RoundStore + IntakeStore + SurveyStore + CollideStore + CampaignStore + Send + Sync
{
    /// Which database this is.
    fn backend(&self) -> Backend;
    /// Checks the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    // --- units -------------------------------------------------------------
    /// Creates a unit under its parent.
    async fn create_unit(&self, new: &NewUnit, meta: &AuditMeta) -> Result<Unit, StoreError>;
    /// Changes a unit's name, kind, region code and budget (not its parent).
    async fn update_unit(
        &self,
        id: i64,
        new: &NewUnit,
        meta: &AuditMeta,
    ) -> Result<Unit, StoreError>;
    /// One unit.
    async fn get_unit(&self, id: i64) -> Result<Unit, StoreError>;
    /// A page of units in scope.
    async fn list_units(
        &self,
        scope: &Scope,
        filter: &UnitFilter,
        page: PageRequest,
    ) -> Result<Page<Unit>, StoreError>;
    /// Every unit in scope, in path order (for trees and name resolution).
    async fn all_units(&self, scope: &Scope) -> Result<Vec<Unit>, StoreError>;
    /// Imports units in one transaction.
    async fn import_units(
        &self,
        rows: &[ImportUnit],
        meta: &AuditMeta,
    ) -> Result<ImportReport, StoreError>;

    // --- persons -----------------------------------------------------------
    /// Creates a person.
    async fn create_person(&self, new: &NewPerson, meta: &AuditMeta) -> Result<Person, StoreError>;
    /// Replaces a person's fields.
    async fn update_person(
        &self,
        id: i64,
        new: &NewPerson,
        meta: &AuditMeta,
    ) -> Result<Person, StoreError>;
    /// One person.
    async fn get_person(&self, id: i64) -> Result<Person, StoreError>;
    /// A page of persons whose unit is in scope.
    async fn list_persons(
        &self,
        scope: &Scope,
        filter: &PersonFilter,
        page: PageRequest,
    ) -> Result<Page<Person>, StoreError>;
    /// Imports persons in one transaction; rows whose ID number exists update
    /// that person.
    async fn import_people(
        &self,
        rows: &[NewPerson],
        meta: &AuditMeta,
    ) -> Result<ImportReport, StoreError>;
    /// Persons by ID number: number → (person id, unit path).
    async fn persons_by_id_numbers(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, (i64, Option<String>)>, StoreError>;

    // --- relations, work history, leadership, inspectors ---------------------
    /// Records a kinship relation.
    async fn add_relation(
        &self,
        new: &NewRelation,
        meta: &AuditMeta,
    ) -> Result<Relation, StoreError>;
    /// Imports relations in one transaction (duplicates are skipped).
    async fn import_relations(
        &self,
        rows: &[NewRelation],
        meta: &AuditMeta,
    ) -> Result<ImportReport, StoreError>;
    /// Relations in which the person takes part.
    async fn relations_of(&self, person_id: i64) -> Result<Vec<Relation>, StoreError>;
    /// Every relation in which a person of a unit in scope takes part.
    async fn relations_in(&self, scope: &Scope) -> Result<Vec<Relation>, StoreError>;
    /// Records a period of work.
    async fn add_work_history(
        &self,
        new: &NewWorkHistory,
        meta: &AuditMeta,
    ) -> Result<WorkHistory, StoreError>;
    /// A person's work history, newest first.
    async fn work_history_of(&self, person_id: i64) -> Result<Vec<WorkHistory>, StoreError>;
    /// Adds a post to a unit's leadership team.
    async fn add_leadership_post(
        &self,
        unit_id: i64,
        person_id: i64,
        title: &str,
        rank: PostRank,
        meta: &AuditMeta,
    ) -> Result<LeadershipPost, StoreError>;
    /// A unit's leadership team, principal first.
    async fn leadership_of(&self, unit_id: i64) -> Result<Vec<LeadershipPost>, StoreError>;
    /// Adds a person to the inspector pool.
    async fn add_inspector(
        &self,
        new: &NewInspector,
        meta: &AuditMeta,
    ) -> Result<Inspector, StoreError>;
    /// The inspector pool.
    async fn list_inspectors(&self) -> Result<Vec<Inspector>, StoreError>;

    // --- users, sessions, tokens ----------------------------------------------
    /// Creates a user.
    async fn create_user(&self, new: &NewUser, meta: &AuditMeta) -> Result<User, StoreError>;
    /// A user with the password hash, by login name.
    async fn user_credentials(&self, username: &str) -> Result<UserCredentials, StoreError>;
    /// One user.
    async fn get_user(&self, id: i64) -> Result<User, StoreError>;
    /// Every user.
    async fn list_users(&self) -> Result<Vec<User>, StoreError>;
    /// The users with these login names (unknown names are left out).
    async fn users_named(&self, logins: &[String]) -> Result<Vec<User>, StoreError>;
    /// Sets a new password hash and ends the user's other sessions.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_session: Option<&str>,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// Stores a session (by the hash of its token).
    async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: i64,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// A live session by the hash of its token.
    async fn session(&self, token_hash: &str, now: i64) -> Result<SessionInfo, StoreError>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Stores an API token (by hash).
    async fn create_api_token(
        &self,
        user_id: i64,
        token_hash: &str,
        name: &str,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// The user owning an API token.
    async fn user_by_token(&self, token_hash: &str) -> Result<User, StoreError>;

    // --- audit ------------------------------------------------------------------
    /// Records an event that changes nothing else (login, view of sealed data).
    async fn record_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    /// A page of audit records, newest first.
    async fn audit_page(&self, page: PageRequest) -> Result<Page<AuditRecord>, StoreError>;
    /// Up to `limit` records with `seq > after`, in order (for verification).
    async fn audit_after(&self, after: i64, limit: i64) -> Result<Vec<AuditRecord>, StoreError>;
    /// The newest `limit` records about one object (its timeline).
    async fn audit_of(
        &self,
        object_type: &str,
        object_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError>;
    /// The chain head: (last seq, last hash).
    async fn audit_head(&self) -> Result<(i64, String), StoreError>;

    // --- settings ---------------------------------------------------------------
    /// Stored settings.
    async fn settings(&self) -> Result<BTreeMap<String, String>, StoreError>;
    /// Stores validated settings.
    async fn update_settings(
        &self,
        changes: &BTreeMap<String, String>,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;

    // --- attachments ----------------------------------------------------------------
    /// Records one upload (the same content may be recorded by several uploads).
    async fn record_attachment(&self, a: &Attachment, meta: &AuditMeta) -> Result<(), StoreError>;
    /// Every upload record of the content, oldest first.
    async fn attachments(&self, sha256: &str) -> Result<Vec<Attachment>, StoreError>;
    /// The attachments of a unit, newest first.
    async fn unit_attachments(&self, unit_id: i64) -> Result<Vec<Attachment>, StoreError>;

    // --- statistics -----------------------------------------------------------------
    /// Counts for the home page.
    async fn counts(&self, scope: &Scope) -> Result<Counts, StoreError>;
}

/// Where attachment bytes live (content-addressed by SHA-256).
#[async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores bytes and returns their SHA-256 (hex).
    async fn put(&self, bytes: &[u8]) -> anyhow::Result<String>;
    /// Reads the bytes of a stored blob.
    async fn get(&self, sha256: &str) -> anyhow::Result<Vec<u8>>;
}

/// A row of the search outbox: a document to (re)index or remove.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    /// Position in the outbox (increasing).
    pub id: i64,
    /// Document type (`person`, `unit` …).
    pub doc_type: String,
    /// Document id (`*` with op `reindex`: every document of the type).
    pub doc_id: String,
    /// `upsert`, `delete` or `reindex`.
    pub op: String,
}

/// The searchable text of one document as the database holds it.
#[derive(Debug, Clone)]
pub struct SearchSource {
    /// Document type.
    pub doc_type: String,
    /// Numeric id (for paging through a type).
    pub id: i64,
    /// Title (a person's or unit's name).
    pub title: String,
    /// Other searchable text (never sealed fields or ID numbers).
    pub body: String,
    /// Path of the unit the document belongs to.
    pub unit_path: Option<String>,
    /// The round it belongs to (a team's records, tips).
    pub round_id: Option<i64>,
    /// Its day (`YYYY-MM-DD`): received, registered or written.
    pub day: Option<String>,
    /// Its status identifier.
    pub status: Option<String>,
    /// Access terms beside the unit path (a campaign follow-up's
    /// `campaign:{id}` and `team:{id}`, see [`crate::policy::campaign_search_grants`]).
    pub access: Vec<String>,
}

/// What the search index is fed from. Each node keeps its own cursor, so
/// several web nodes can follow one database.
#[async_trait]
pub trait SearchFeed: Send + Sync {
    /// Outbox rows after `cursor`, oldest first.
    async fn outbox_after(&self, cursor: i64, limit: i64) -> Result<Vec<OutboxItem>, StoreError>;
    /// The documents of a type with ids in `ids`.
    async fn search_sources(
        &self,
        doc_type: &str,
        ids: &[i64],
    ) -> Result<Vec<SearchSource>, StoreError>;
    /// Up to `limit` documents of a type with id > `after`, by id.
    async fn search_sources_after(
        &self,
        doc_type: &str,
        after: i64,
        limit: i64,
    ) -> Result<Vec<SearchSource>, StoreError>;
}
