//! The storage port of intake: petitions, their supervision and public tips.

use async_trait::async_trait;

use super::AuditMeta;
use crate::error::StoreError;
use crate::intake::register::{Identity, NewPetition, Petition, PetitionData};
use crate::intake::supervision::{NewSupervision, Supervision};
use crate::intake::tip::{NewTip, Tip, TipOutcome};
use crate::policy::Scope;
use crate::registry::{Page, PageRequest};

/// Which petitions a list returns.
#[derive(Debug, Clone)]
pub struct PetitionFilter {
    /// Units the actor may see.
    pub scope: Scope,
    /// In this state.
    pub status: Option<String>,
    /// About this unit's subtree.
    pub unit_path: Option<String>,
    /// Due before this day (overdue).
    pub due_before: Option<String>,
    /// Registered on or after this day.
    pub from: Option<String>,
    /// Registered on or before this day.
    pub to: Option<String>,
    /// With a supervision (督办) still unanswered whose deadline is before
    /// this day.
    pub supervision_due_before: Option<String>,
}

impl PetitionFilter {
    /// Every petition in a scope.
    pub fn new(scope: Scope) -> PetitionFilter {
        PetitionFilter {
            scope,
            status: None,
            unit_path: None,
            due_before: None,
            from: None,
            to: None,
            supervision_due_before: None,
        }
    }
}

/// Which tips an inbox lists.
#[derive(Debug, Clone)]
pub struct TipFilter {
    /// Units the actor may see.
    pub scope: Scope,
    /// In this state.
    pub status: Option<String>,
    /// Of this round.
    pub round_id: Option<i64>,
}

/// Petitions and tips.
#[async_trait]
pub trait IntakeStore: Send + Sync {
    /// Registers a petition (identity in its sealed columns).
    async fn create_petition(
        &self,
        new: &NewPetition,
        due_date: Option<&str>,
        meta: &AuditMeta,
    ) -> Result<Petition, StoreError>;
    /// One petition, without its identity.
    async fn get_petition(&self, id: i64) -> Result<Petition, StoreError>;
    /// The sealed identity of a petition (the caller audits the view).
    async fn petition_identity(&self, id: i64) -> Result<Option<Identity>, StoreError>;
    /// A page of petitions, newest first.
    async fn list_petitions(
        &self,
        filter: &PetitionFilter,
        page: PageRequest,
    ) -> Result<Page<Petition>, StoreError>;
    /// Stores a lifecycle step if the petition is still at `expected_version`.
    async fn update_petition(
        &self,
        id: i64,
        expected_version: i64,
        data: &PetitionData,
        due_date: Option<&str>,
        action: &str,
        meta: &AuditMeta,
    ) -> Result<Petition, StoreError>;
    /// (id, content) of the petitions about a unit, newest first (duplicate
    /// checks at registration).
    async fn petition_texts(
        &self,
        unit_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<(i64, String)>, StoreError>;
    /// Puts a petition's handling under supervision (督办).
    async fn create_supervision(
        &self,
        new: &NewSupervision,
        meta: &AuditMeta,
    ) -> Result<Supervision, StoreError>;
    /// One supervision.
    async fn get_supervision(&self, id: i64) -> Result<Supervision, StoreError>;
    /// The supervisions of these petitions, by petition then oldest first.
    async fn supervisions_of(&self, petition_ids: &[i64]) -> Result<Vec<Supervision>, StoreError>;
    /// Stores a supervision's step (a reply, the closing) if it is still at
    /// `expected_version`; `action` names the audit record.
    async fn update_supervision(
        &self,
        s: &Supervision,
        expected_version: i64,
        action: &str,
        meta: &AuditMeta,
    ) -> Result<Supervision, StoreError>;
    /// How many supervisions of petitions in `scope` are unanswered with a
    /// deadline before `today`.
    async fn count_overdue_supervisions(
        &self,
        scope: &Scope,
        today: &str,
    ) -> Result<i64, StoreError>;
    /// Stores a public tip (identity in its sealed columns, the receipt code
    /// only as its hash).
    async fn create_tip(&self, new: &NewTip, meta: &AuditMeta) -> Result<Tip, StoreError>;
    /// One tip with its messages, without its identity.
    async fn get_tip(&self, id: i64) -> Result<Tip, StoreError>;
    /// The tip a receipt code's hash belongs to.
    async fn tip_by_receipt(&self, receipt_hash: &str) -> Result<Option<Tip>, StoreError>;
    /// The sealed identity of a named tip (the caller audits the view).
    async fn tip_identity(&self, id: i64) -> Result<Option<Identity>, StoreError>;
    /// A page of tips, newest first (messages not filled).
    async fn list_tips(
        &self,
        filter: &TipFilter,
        page: PageRequest,
    ) -> Result<Page<Tip>, StoreError>;
    /// Stores the triage outcome if the tip is still at `expected_version`.
    async fn set_tip_outcome(
        &self,
        id: i64,
        expected_version: i64,
        outcome: &TipOutcome,
        meta: &AuditMeta,
    ) -> Result<Tip, StoreError>;
    /// Appends a message to a tip's exchange (`author_id` `None`: the tipster).
    async fn add_tip_message(
        &self,
        id: i64,
        author_id: Option<i64>,
        body: &str,
        date: &str,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
}
