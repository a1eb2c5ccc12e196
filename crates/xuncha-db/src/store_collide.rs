//! The `CollideStore` port implemented for both adapters.

use async_trait::async_trait;
use xuncha_core::collide::{HitState, PlacedHit, RunSummary, StoredHit};
use xuncha_core::registry::{Page, PageRequest};
use xuncha_core::store::{AuditMeta, CollideStore, HitFilter};
use xuncha_core::StoreError;

use crate::collide;
use crate::connect::{PgStore, SqliteStore};

macro_rules! impl_collide_store {
    ($store:ty, $m:ident) => {
        #[async_trait]
        impl CollideStore for $store {
            async fn record_run(
                &self,
                scope_unit_id: i64,
                rules: &[String],
                hits: &[PlacedHit],
                meta: &AuditMeta,
            ) -> Result<RunSummary, StoreError> {
                collide::$m::record_run(&self.pool, scope_unit_id, rules, hits, meta).await
            }
            async fn list_hits(
                &self,
                filter: &HitFilter,
                page: PageRequest,
            ) -> Result<Page<StoredHit>, StoreError> {
                collide::$m::list(&self.pool, filter, page).await
            }
            async fn get_hit(&self, id: i64) -> Result<StoredHit, StoreError> {
                collide::$m::get(&self.pool, id).await
            }
            async fn update_hit(
                &self,
                id: i64,
                expected_version: i64,
                state: HitState,
                note: &str,
                clue_id: Option<i64>,
                meta: &AuditMeta,
            ) -> Result<StoredHit, StoreError> {
                collide::$m::update(&self.pool, id, expected_version, state, note, clue_id, meta)
                    .await
            }
            async fn confirmed_hits_by_unit(&self) -> Result<Vec<(String, i64)>, StoreError> {
                collide::$m::confirmed_by_unit(&self.pool).await
            }
        }
    };
}

impl_collide_store!(SqliteStore, sqlite);
impl_collide_store!(PgStore, postgres);
