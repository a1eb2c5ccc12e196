//! After fieldwork: the report and the 领导小组's decision, feedback,
//! transfers and their disposal, rectification and its verification,
//! accountability, and the circular.

mod desk;
mod rectify;
mod report;
mod transfer;

pub use desk::*;
pub use rectify::*;
pub use report::*;
pub use transfer::*;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::inspection::record::NewRecord;
use crate::inspection::Target;
use crate::store::Store;
use crate::usecases::meta;

pub(super) async fn insert_rec<T: crate::inspection::record::RecordData>(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    target: &Target,
    data: &T,
) -> Result<i64, CoreError> {
    let new = NewRecord::of(target, data)?;
    Ok(store.insert_record(&new, &meta(actor, clock)).await?.id)
}
