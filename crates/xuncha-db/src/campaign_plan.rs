//! The planned day of a campaign's targets (buildings, floors, units,
//! villages), kept beside the target tree so that the counters' code is not
//! touched by planning.

use xuncha_core::store::AuditMeta;
use xuncha_core::StoreError;

use crate::audit::entry;
use crate::error::map;

macro_rules! campaign_plan_impl {
    ($m:ident) => {
        pub(crate) async fn set(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
            target_ids: &[i64],
            day: Option<&str>,
            meta: &AuditMeta,
        ) -> Result<(), StoreError> {
            let _write = write_lock().await;
            let mut tx = pool.begin_with(BEGIN).await.map_err(map)?;
            for id in target_ids {
                let done = sqlx::query(
                    "update campaign_targets set planned_on = $1 where id = $2 and campaign_id = $3",
                )
                .bind(day)
                .bind(id)
                .bind(campaign_id)
                .execute(&mut *tx)
                .await
                .map_err(map)?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            let after = serde_json::json!({ "campaign_id": campaign_id, "targets": target_ids, "planned_on": day });
            crate::audit::$m::write(
                &mut tx,
                &entry(meta, "campaign.plan", "campaign", Some(campaign_id.to_string()), None, Some(after)),
            )
            .await?;
            tx.commit().await.map_err(map)
        }

        pub(crate) async fn get(
            pool: &sqlx::Pool<Db>,
            campaign_id: i64,
        ) -> Result<Vec<(i64, String)>, StoreError> {
            sqlx::query_as(
                "select id, planned_on from campaign_targets \
                 where campaign_id = $1 and planned_on is not null order by planned_on, path",
            )
            .bind(campaign_id)
            .fetch_all(pool)
            .await
            .map_err(map)
        }
    };
}

for_each_backend!(campaign_plan_impl);
