//! Reading and verifying the audit trail.

use crate::audit::{AuditRecord, ChainError, ChainVerifier};
use crate::auth::Actor;
use crate::error::CoreError;
use crate::policy::{self, Action};
use crate::registry::{Page, PageRequest};
use crate::store::Store;

/// A page of the audit trail, newest first.
pub async fn page(
    store: &dyn Store,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<AuditRecord>, CoreError> {
    policy::scope(actor, Action::ViewAudit)?;
    Ok(store.audit_page(page).await?)
}

/// The outcome of a verification.
#[derive(Debug)]
pub enum Verification {
    /// Every record chains; this many were checked.
    Intact(i64),
    /// The first problem found.
    Broken(ChainError),
}

/// Walks the whole chain in batches and checks every link.
pub async fn verify(store: &dyn Store) -> Result<Verification, CoreError> {
    // Read the head first: records written while we walk come after it.
    let (head_seq, head_hash) = store.audit_head().await?;
    let mut v = ChainVerifier::default();
    let mut after = 0;
    loop {
        let batch = store.audit_after(after, 5_000).await?;
        if batch.is_empty() {
            break;
        }
        for r in &batch {
            if r.seq > head_seq {
                break;
            }
            if let Err(e) = v.push(r) {
                return Ok(Verification::Broken(e));
            }
        }
        let last = batch.last().map(|r| r.seq).unwrap_or(after);
        if last >= head_seq {
            break;
        }
        after = last;
    }
    Ok(match v.finish(head_seq, &head_hash) {
        Ok(n) => Verification::Intact(n),
        Err(e) => Verification::Broken(e),
    })
}
