//! The end of a paper visit ledger's import: the visits, stored one by one
//! under the importer, are credited to the cadres who went, and the import
//! is audited — in one transaction.

use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;

macro_rules! campaign_ledger_impl {
    ($m:ident) => {
        pub(crate) async fn finish(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            credits: &[(i64, i64)],
            summary: &serde_json::Value,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            for (user_id, n) in credits {
                // A non-member (the office) has no counter: nothing to move.
                sqlx::query(
                    "update campaign_members set records = records + $1 \
                     where campaign_id = $2 and user_id = $3",
                )
                .bind(n)
                .bind(campaign_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
            }
            crate::audit::$m::write(
                &mut tx,
                &entry(
                    meta,
                    "campaign.visits_import",
                    "campaign",
                    Some(campaign_id.to_string()),
                    None,
                    Some(summary.clone()),
                ),
            )
            .await?;
            tx.commit().await.map_err(map)
        }
    };
}

for_each_backend!(campaign_ledger_impl);
