//! The storage port of cross-check hits.

use async_trait::async_trait;

use super::AuditMeta;
use crate::collide::{HitState, PlacedHit, RunSummary, StoredHit};
use crate::error::StoreError;
use crate::policy::Scope;
use crate::registry::{Page, PageRequest};

/// Which hits a list returns.
#[derive(Debug, Clone)]
pub struct HitFilter {
    /// Units the actor may see.
    pub scope: Scope,
    /// Of this rule.
    pub rule: Option<String>,
    /// In this state.
    pub state: Option<String>,
    /// With this change at the last run.
    pub change: Option<String>,
}

/// Cross-check runs and hits.
#[async_trait]
pub trait CollideStore: Send + Sync {
    /// Stores a run of `rules` over the lists of the jurisdiction
    /// `scope_unit_id`: hits seen before keep their verification and become
    /// `unchanged`, others are `new`, and earlier hits of these rules not
    /// found now become `gone`.
    async fn record_run(
        &self,
        scope_unit_id: i64,
        rules: &[String],
        hits: &[PlacedHit],
        meta: &AuditMeta,
    ) -> Result<RunSummary, StoreError>;
    /// A page of hits, newest first.
    async fn list_hits(
        &self,
        filter: &HitFilter,
        page: PageRequest,
    ) -> Result<Page<StoredHit>, StoreError>;
    /// One hit.
    async fn get_hit(&self, id: i64) -> Result<StoredHit, StoreError>;
    /// Stores a verification (and the clue made from it) if the hit is still
    /// at `expected_version`.
    async fn update_hit(
        &self,
        id: i64,
        expected_version: i64,
        state: HitState,
        note: &str,
        clue_id: Option<i64>,
        meta: &AuditMeta,
    ) -> Result<StoredHit, StoreError>;
    /// Confirmed hits (or turned into clues) per unit path (the risk score
    /// of round planning sums them over each unit's subtree).
    async fn confirmed_hits_by_unit(&self) -> Result<Vec<(String, i64)>, StoreError>;
}
