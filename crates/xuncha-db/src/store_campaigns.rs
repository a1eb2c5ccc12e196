//! The `CampaignStore` port implemented for both adapters.

use async_trait::async_trait;
use xuncha_core::campaign::custody::ItemReturn;
use xuncha_core::campaign::followup::FollowupChange;
use xuncha_core::campaign::{
    Campaign, CampaignRecord, CampaignStatus, CampaignTarget, CampaignTeam, Confiscation, Followup,
    FollowupKind, Household, ItemStatus, NewCampaign, NewHousehold, NewRecord,
};
use xuncha_core::policy::Scope;
use xuncha_core::store::{
    AuditMeta, CampaignStore, CampaignTally, DayCount, FollowupFilter, TargetPath,
};
use xuncha_core::StoreError;

use crate::connect::{PgStore, SqliteStore};
use crate::{
    campaign_counts as counts, campaign_followups as fu, campaign_ledger, campaign_plan,
    campaign_work as work, campaigns, households,
};

macro_rules! impl_campaign_store {
    ($store:ty, $m:ident) => {
        #[async_trait]
        impl CampaignStore for $store {
            async fn create_campaign(
                &self,
                new: &NewCampaign,
                meta: &AuditMeta,
            ) -> Result<Campaign, StoreError> {
                campaigns::$m::create(&self.pool, new, meta).await
            }
            async fn get_campaign(&self, id: i64) -> Result<Campaign, StoreError> {
                campaigns::$m::get(&self.pool, id).await
            }
            async fn list_campaigns(
                &self,
                scope: Option<&Scope>,
                member: i64,
            ) -> Result<Vec<Campaign>, StoreError> {
                campaigns::$m::list(&self.pool, scope, member).await
            }
            async fn set_campaign_status(
                &self,
                id: i64,
                expected_version: i64,
                status: CampaignStatus,
                meta: &AuditMeta,
            ) -> Result<Campaign, StoreError> {
                campaigns::$m::set_status(&self.pool, id, expected_version, status, meta).await
            }
            async fn add_campaign_team(
                &self,
                campaign_id: i64,
                name: &str,
                members: &[(i64, String)],
                meta: &AuditMeta,
            ) -> Result<i64, StoreError> {
                campaigns::$m::add_team(&self.pool, campaign_id, name, members, meta).await
            }
            async fn campaign_teams(
                &self,
                campaign_id: i64,
            ) -> Result<Vec<CampaignTeam>, StoreError> {
                campaigns::$m::teams(&self.pool, campaign_id).await
            }
            async fn campaign_membership(
                &self,
                campaign_id: i64,
                user_id: i64,
            ) -> Result<Option<i64>, StoreError> {
                campaigns::$m::membership(&self.pool, campaign_id, user_id).await
            }
            async fn add_campaign_targets(
                &self,
                campaign_id: i64,
                paths: &[TargetPath],
                meta: &AuditMeta,
            ) -> Result<usize, StoreError> {
                campaigns::$m::add_targets(&self.pool, campaign_id, paths, meta).await
            }
            async fn campaign_targets(
                &self,
                campaign_id: i64,
                team: Option<i64>,
            ) -> Result<Vec<CampaignTarget>, StoreError> {
                campaigns::$m::targets(&self.pool, campaign_id, team).await
            }
            async fn get_campaign_target(&self, id: i64) -> Result<CampaignTarget, StoreError> {
                campaigns::$m::target(&self.pool, id).await
            }
            async fn assign_campaign_targets(
                &self,
                campaign_id: i64,
                target_ids: &[i64],
                team_id: Option<i64>,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                campaigns::$m::assign(&self.pool, campaign_id, target_ids, team_id, meta).await
            }
            async fn import_households(
                &self,
                campaign_id: i64,
                rows: &[NewHousehold],
                meta: &AuditMeta,
            ) -> Result<usize, StoreError> {
                households::$m::import(&self.pool, campaign_id, rows, meta).await
            }
            async fn finish_visit_import(
                &self,
                campaign_id: i64,
                credits: &[(i64, i64)],
                summary: &serde_json::Value,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                campaign_ledger::$m::finish(&self.pool, campaign_id, credits, summary, meta).await
            }
            async fn plan_campaign_targets(
                &self,
                campaign_id: i64,
                target_ids: &[i64],
                day: Option<&str>,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                campaign_plan::$m::set(&self.pool, campaign_id, target_ids, day, meta).await
            }
            async fn campaign_plan(
                &self,
                campaign_id: i64,
            ) -> Result<Vec<(i64, String)>, StoreError> {
                campaign_plan::$m::get(&self.pool, campaign_id).await
            }
            async fn find_households(
                &self,
                campaign_id: i64,
                team: Option<i64>,
                area: Option<i64>,
                query: &str,
                limit: i64,
            ) -> Result<Vec<Household>, StoreError> {
                households::$m::find(&self.pool, campaign_id, team, area, query, limit).await
            }
            async fn get_household(&self, id: i64) -> Result<Household, StoreError> {
                households::$m::get(&self.pool, id).await
            }
            async fn add_campaign_record(
                &self,
                record: &NewRecord,
                meta: &AuditMeta,
            ) -> Result<(i64, bool), StoreError> {
                work::$m::add_record(&self.pool, record, meta).await
            }
            async fn campaign_records(
                &self,
                campaign_id: i64,
                target_id: Option<i64>,
                household_id: Option<i64>,
                team: Option<i64>,
                limit: i64,
            ) -> Result<Vec<CampaignRecord>, StoreError> {
                work::$m::records(
                    &self.pool,
                    campaign_id,
                    target_id,
                    household_id,
                    team,
                    limit,
                )
                .await
            }
            async fn campaign_days(&self, campaign_id: i64) -> Result<Vec<DayCount>, StoreError> {
                work::$m::days(&self.pool, campaign_id).await
            }
            async fn campaign_day_totals(
                &self,
                campaign_id: i64,
                team: Option<i64>,
            ) -> Result<Vec<DayCount>, StoreError> {
                work::$m::day_totals(&self.pool, campaign_id, team).await
            }
            async fn campaign_tally(
                &self,
                campaign_id: i64,
                team: Option<i64>,
                today: &str,
            ) -> Result<CampaignTally, StoreError> {
                counts::$m::tally(&self.pool, campaign_id, team, today).await
            }
            async fn campaign_tally_within(
                &self,
                campaign_id: i64,
                team: Option<i64>,
                today: &str,
                targets: &[i64],
            ) -> Result<CampaignTally, StoreError> {
                counts::$m::tally_within(&self.pool, campaign_id, team, today, targets).await
            }
            async fn campaign_items(
                &self,
                campaign_id: i64,
                team: Option<i64>,
                status: Option<ItemStatus>,
            ) -> Result<Vec<Confiscation>, StoreError> {
                work::$m::items(&self.pool, campaign_id, team, status).await
            }
            async fn get_campaign_item(
                &self,
                id: i64,
            ) -> Result<(Confiscation, Option<i64>), StoreError> {
                work::$m::item(&self.pool, id).await
            }
            async fn return_campaign_item(
                &self,
                id: i64,
                expected_version: i64,
                ret: &ItemReturn,
                meta: &AuditMeta,
            ) -> Result<Confiscation, StoreError> {
                work::$m::return_item(&self.pool, id, expected_version, ret, meta).await
            }
            async fn campaign_followups(
                &self,
                campaign_id: i64,
                team: Option<i64>,
                kind: Option<FollowupKind>,
            ) -> Result<Vec<Followup>, StoreError> {
                fu::$m::followups(&self.pool, campaign_id, team, kind).await
            }
            async fn campaign_followup_page(
                &self,
                campaign_id: i64,
                filter: &FollowupFilter,
                after: Option<(String, i64)>,
                limit: i64,
            ) -> Result<Vec<Followup>, StoreError> {
                fu::$m::page(&self.pool, campaign_id, filter, after, limit).await
            }
            async fn get_followup(&self, id: i64) -> Result<Followup, StoreError> {
                fu::$m::followup(&self.pool, id).await
            }
            async fn update_followup(
                &self,
                id: i64,
                expected_version: i64,
                change: &FollowupChange,
                meta: &AuditMeta,
            ) -> Result<Followup, StoreError> {
                fu::$m::update_followup(&self.pool, id, expected_version, change, meta).await
            }
            async fn link_followup_petition(
                &self,
                id: i64,
                petition_id: i64,
                meta: &AuditMeta,
            ) -> Result<(), StoreError> {
                fu::$m::link_petition(&self.pool, id, petition_id, meta).await
            }
            async fn overdue_followups(
                &self,
                scope: Option<&Scope>,
                member: i64,
                today: &str,
            ) -> Result<i64, StoreError> {
                counts::$m::overdue(&self.pool, scope, member, today).await
            }
        }
    };
}

impl_campaign_store!(SqliteStore, sqlite);
impl_campaign_store!(PgStore, postgres);
