//! The storage port of the 巡察 round: rounds, teams, targets, recusals and
//! the shared record table.

use async_trait::async_trait;

use super::AuditMeta;
use crate::error::StoreError;
use crate::inspection::record::{
    NewRecord, RecordCount, RecordFilter, RecordMeta, RecordUpdate, StoredRecord,
};
use crate::inspection::{
    Assignment, NewRecusal, NewRound, RecusalDecision, RecusalRecord, Round, RoundStatus, Target,
    TargetUpdate, Team, TeamMember, TeamRole,
};
use crate::registry::{Page, PageRequest};

/// One past inspection of a unit, for the coverage (全覆盖) view.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Coverage {
    /// The unit.
    pub unit_id: i64,
    /// The round.
    pub round_id: i64,
    /// The round's first day.
    pub start_date: String,
    /// The unit's rectification rating in that round.
    pub rect_rating: Option<String>,
}

/// An inspector's link to a user account and home area.
#[derive(Debug, Clone, Default)]
pub struct InspectorLink {
    /// The inspector.
    pub inspector_id: i64,
    /// The user account of the inspector.
    pub user_id: Option<i64>,
    /// 成长地 region code.
    pub home_region_code: Option<String>,
}

/// Rounds, teams, targets, recusals and records.
#[async_trait]
pub trait RoundStore: Send + Sync {
    /// Creates a round.
    async fn create_round(&self, new: &NewRound, meta: &AuditMeta) -> Result<Round, StoreError>;
    /// One round.
    async fn get_round(&self, id: i64) -> Result<Round, StoreError>;
    /// Every round, newest first.
    async fn list_rounds(&self) -> Result<Vec<Round>, StoreError>;
    /// Changes a round's status.
    async fn set_round_status(
        &self,
        id: i64,
        status: RoundStatus,
        meta: &AuditMeta,
    ) -> Result<Round, StoreError>;

    /// Creates a team in a round.
    async fn create_team(
        &self,
        round_id: i64,
        name: &str,
        meta: &AuditMeta,
    ) -> Result<Team, StoreError>;
    /// One team.
    async fn get_team(&self, id: i64) -> Result<Team, StoreError>;
    /// The teams of a round.
    async fn teams_of(&self, round_id: i64) -> Result<Vec<Team>, StoreError>;
    /// Adds an inspector to a team (one team per round).
    async fn add_team_member(
        &self,
        team_id: i64,
        inspector_id: i64,
        role: TeamRole,
        meta: &AuditMeta,
    ) -> Result<TeamMember, StoreError>;
    /// Removes a member.
    async fn remove_team_member(&self, member_id: i64, meta: &AuditMeta) -> Result<(), StoreError>;
    /// Every member of every team of a round.
    async fn members_of_round(&self, round_id: i64) -> Result<Vec<TeamMember>, StoreError>;
    /// Records the member's signature of the recusal statement (`statement`)
    /// or the confidentiality pledge.
    async fn sign_member(
        &self,
        member_id: i64,
        statement: bool,
        meta: &AuditMeta,
    ) -> Result<TeamMember, StoreError>;
    /// Links an inspector to a user account and records their home area.
    async fn link_inspector(
        &self,
        link: &InspectorLink,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// The inspector linked to a user account.
    async fn inspector_link_of_user(
        &self,
        user_id: i64,
    ) -> Result<Option<InspectorLink>, StoreError>;
    /// The link of an inspector.
    async fn inspector_link(&self, inspector_id: i64) -> Result<InspectorLink, StoreError>;

    /// Adds a unit to a round.
    async fn add_target(
        &self,
        round_id: i64,
        unit_id: i64,
        meta: &AuditMeta,
    ) -> Result<Target, StoreError>;
    /// The targets of a round.
    async fn targets_of(&self, round_id: i64) -> Result<Vec<Target>, StoreError>;
    /// Every target whose unit is in the scope, newest round first.
    async fn targets_in(&self, scope: &crate::policy::Scope) -> Result<Vec<Target>, StoreError>;
    /// One target.
    async fn get_target(&self, id: i64) -> Result<Target, StoreError>;
    /// Changes a target (team, stage, returns, feedback day, rating).
    async fn update_target(
        &self,
        id: i64,
        update: &TargetUpdate,
        action: &str,
        meta: &AuditMeta,
    ) -> Result<Target, StoreError>;
    /// Every inspection of every unit (round start dates), for coverage.
    async fn coverage(&self) -> Result<Vec<Coverage>, StoreError>;

    /// Records conflicts found or declared.
    async fn record_recusals(
        &self,
        rows: &[NewRecusal],
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// The conflicts of a round.
    async fn recusals_of_round(&self, round_id: i64) -> Result<Vec<RecusalRecord>, StoreError>;
    /// Decides a pending (soft) conflict.
    async fn decide_recusal(
        &self,
        id: i64,
        decision: RecusalDecision,
        reason: &str,
        meta: &AuditMeta,
    ) -> Result<RecusalRecord, StoreError>;
    /// What a user's account is assigned to, and the unit paths hidden from
    /// them by recusal (in any round).
    async fn assignments_of_user(
        &self,
        user_id: i64,
    ) -> Result<(Vec<Assignment>, Vec<String>), StoreError>;

    /// Inserts a record (with its audit entry and search-outbox row).
    async fn insert_record(
        &self,
        new: &NewRecord,
        meta: &AuditMeta,
    ) -> Result<RecordMeta, StoreError>;
    /// Changes a record if it is still at the expected version.
    async fn update_record(
        &self,
        id: i64,
        update: &RecordUpdate,
        meta: &AuditMeta,
    ) -> Result<RecordMeta, StoreError>;
    /// One record.
    async fn get_record(&self, id: i64) -> Result<StoredRecord, StoreError>;
    /// A page of records, newest first.
    async fn list_records(
        &self,
        filter: &RecordFilter,
        page: PageRequest,
    ) -> Result<Page<StoredRecord>, StoreError>;
    /// Every record of a round (the circular), oldest first.
    async fn records_of_round(&self, round_id: i64) -> Result<Vec<StoredRecord>, StoreError>;
    /// Counts per unit × status of the records matching a filter (its
    /// scope, kind, tag and due date; risk ranking).
    async fn unit_record_counts(
        &self,
        filter: &RecordFilter,
    ) -> Result<Vec<(i64, String, i64)>, StoreError>;
    /// Counts by kind × status × tag.
    async fn record_counts(&self, filter: &RecordFilter) -> Result<Vec<RecordCount>, StoreError>;
}
