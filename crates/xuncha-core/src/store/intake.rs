//! The storage port of intake: petitions.

use async_trait::async_trait;

use super::AuditMeta;
use crate::error::StoreError;
use crate::intake::register::{Identity, NewPetition, Petition, PetitionData};
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
        }
    }
}

/// Petitions.
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
}
