//! The storage port of field campaigns: campaigns, teams, the target tree
//! with its done/leaf counters, households, records (with their custody
//! items and follow-ups, in one transaction) and per-day counts.

use async_trait::async_trait;

use super::AuditMeta;
use crate::campaign::custody::ItemReturn;
use crate::campaign::followup::FollowupChange;
use crate::campaign::{
    Campaign, CampaignRecord, CampaignStatus, CampaignTarget, CampaignTeam, Confiscation, Followup,
    FollowupKind, FollowupStatus, Household, ItemStatus, NewCampaign, NewHousehold, NewRecord,
    TargetLevel,
};
use crate::error::StoreError;
use crate::policy::Scope;

/// A target to create: names from the top with each node's level, and the
/// registry unit of each node where it stands for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetPath {
    /// (name, level, registry unit) from the top; the last is the new node.
    pub nodes: Vec<(String, TargetLevel, Option<i64>)>,
}

/// Records of one day (and team).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayCount {
    /// Day.
    pub day: String,
    /// Team (0: none).
    pub team_id: i64,
    /// Records made.
    pub records: i64,
    /// Of those, the first record of their leaf (a room or household done).
    pub firsts: i64,
}

/// What a campaign page counts in its registers, counted by the database
/// (the registers may hold more rows than a page loads).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignTally {
    /// Follow-ups not done.
    pub open_followups: i64,
    /// Of those, past their deadline.
    pub overdue_followups: i64,
    /// Confiscated items still held.
    pub held_items: i64,
}

/// Which follow-ups a page of the register shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowupFilter {
    /// Of one team.
    pub team: Option<i64>,
    /// Hazards or demands.
    pub kind: Option<FollowupKind>,
    /// In one status.
    pub status: Option<FollowupStatus>,
    /// Not done and due before this day.
    pub overdue_on: Option<String>,
    /// Of one household.
    pub household: Option<i64>,
    /// Targets whose follow-ups are left out (hidden by a recusal).
    pub hidden: Vec<i64>,
}

/// Field campaigns.
#[async_trait]
pub trait CampaignStore: Send + Sync {
    /// Stores a new campaign (active).
    async fn create_campaign(
        &self,
        new: &NewCampaign,
        meta: &AuditMeta,
    ) -> Result<Campaign, StoreError>;
    /// One campaign.
    async fn get_campaign(&self, id: i64) -> Result<Campaign, StoreError>;
    /// Campaigns of units in `scope` (when given) and those `member` is on a
    /// team of, newest first.
    async fn list_campaigns(
        &self,
        scope: Option<&Scope>,
        member: i64,
    ) -> Result<Vec<Campaign>, StoreError>;
    /// Opens or closes a campaign read at `expected_version`.
    async fn set_campaign_status(
        &self,
        id: i64,
        expected_version: i64,
        status: CampaignStatus,
        meta: &AuditMeta,
    ) -> Result<Campaign, StoreError>;

    /// Adds a team with its members (user id, duty).
    async fn add_campaign_team(
        &self,
        campaign_id: i64,
        name: &str,
        members: &[(i64, String)],
        meta: &AuditMeta,
    ) -> Result<i64, StoreError>;
    /// The teams of a campaign with their members and record counts.
    async fn campaign_teams(&self, campaign_id: i64) -> Result<Vec<CampaignTeam>, StoreError>;
    /// The team a user is on in a campaign.
    async fn campaign_membership(
        &self,
        campaign_id: i64,
        user_id: i64,
    ) -> Result<Option<i64>, StoreError>;

    /// Adds targets, creating the missing nodes of each path; returns how
    /// many leaves were new.
    async fn add_campaign_targets(
        &self,
        campaign_id: i64,
        paths: &[TargetPath],
        meta: &AuditMeta,
    ) -> Result<usize, StoreError>;
    /// The targets of a campaign in tree order; with `team`, only those
    /// assigned to it (and their ancestors, for context).
    async fn campaign_targets(
        &self,
        campaign_id: i64,
        team: Option<i64>,
    ) -> Result<Vec<CampaignTarget>, StoreError>;
    /// One target.
    async fn get_campaign_target(&self, id: i64) -> Result<CampaignTarget, StoreError>;
    /// Assigns targets and everything below them to a team (or none).
    async fn assign_campaign_targets(
        &self,
        campaign_id: i64,
        target_ids: &[i64],
        team_id: Option<i64>,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;

    /// Ends the import of a paper visit ledger, whose visits were stored
    /// one by one under the importer: credits each visit to the cadre who
    /// went (`credits`: user id, visits) instead of the importer, and audits
    /// the import with `summary`.
    async fn finish_visit_import(
        &self,
        campaign_id: i64,
        credits: &[(i64, i64)],
        summary: &serde_json::Value,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// Sets (or, with `None`, clears) the planned day of targets.
    async fn plan_campaign_targets(
        &self,
        campaign_id: i64,
        target_ids: &[i64],
        day: Option<&str>,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// The planned days of a campaign's targets: (target id, day).
    async fn campaign_plan(&self, campaign_id: i64) -> Result<Vec<(i64, String)>, StoreError>;

    /// Adds households to villages (all or none) and updates the counters.
    async fn import_households(
        &self,
        campaign_id: i64,
        rows: &[NewHousehold],
        meta: &AuditMeta,
    ) -> Result<usize, StoreError>;
    /// Households of a campaign by the head's name (prefix) or ID number,
    /// in a village and/or a team's villages: in list order without a
    /// query, else in the order of the name or number searched.
    async fn find_households(
        &self,
        campaign_id: i64,
        team: Option<i64>,
        area: Option<i64>,
        query: &str,
        limit: i64,
    ) -> Result<Vec<Household>, StoreError>;
    /// One household.
    async fn get_household(&self, id: i64) -> Result<Household, StoreError>;

    /// Stores a record with its items and follow-ups and moves the counters.
    /// A record whose `client_key` was stored already is not stored again:
    /// the answer is its id and `false`.
    async fn add_campaign_record(
        &self,
        record: &NewRecord,
        meta: &AuditMeta,
    ) -> Result<(i64, bool), StoreError>;
    /// Records of a campaign, newest first, optionally of one target,
    /// household or team.
    async fn campaign_records(
        &self,
        campaign_id: i64,
        target_id: Option<i64>,
        household_id: Option<i64>,
        team: Option<i64>,
        limit: i64,
    ) -> Result<Vec<CampaignRecord>, StoreError>;
    /// Records per day and team.
    async fn campaign_days(&self, campaign_id: i64) -> Result<Vec<DayCount>, StoreError>;
    /// Records per day of the whole campaign (`team_id` 0) or of one team,
    /// summed by the database.
    async fn campaign_day_totals(
        &self,
        campaign_id: i64,
        team: Option<i64>,
    ) -> Result<Vec<DayCount>, StoreError>;
    /// Open and overdue follow-ups (deadline before `today`) and held items,
    /// optionally of a team: the follow-ups from counters kept with each
    /// write, not from their rows.
    async fn campaign_tally(
        &self,
        campaign_id: i64,
        team: Option<i64>,
        today: &str,
    ) -> Result<CampaignTally, StoreError>;
    /// The same counts of some targets only (those a recusal hides, to be
    /// taken from the whole), counted from the rows.
    async fn campaign_tally_within(
        &self,
        campaign_id: i64,
        team: Option<i64>,
        today: &str,
        targets: &[i64],
    ) -> Result<CampaignTally, StoreError>;

    /// Confiscated items, optionally of a team and in a status.
    async fn campaign_items(
        &self,
        campaign_id: i64,
        team: Option<i64>,
        status: Option<ItemStatus>,
    ) -> Result<Vec<Confiscation>, StoreError>;
    /// One item with the team of its room.
    async fn get_campaign_item(&self, id: i64) -> Result<(Confiscation, Option<i64>), StoreError>;
    /// Records the return of an item read at `expected_version`.
    async fn return_campaign_item(
        &self,
        id: i64,
        expected_version: i64,
        ret: &ItemReturn,
        meta: &AuditMeta,
    ) -> Result<Confiscation, StoreError>;

    /// Follow-ups, optionally of a team and a kind, by deadline.
    async fn campaign_followups(
        &self,
        campaign_id: i64,
        team: Option<i64>,
        kind: Option<FollowupKind>,
    ) -> Result<Vec<Followup>, StoreError>;
    /// A page of follow-ups in (deadline, id) order, after `after` (the
    /// last row of the previous page).
    async fn campaign_followup_page(
        &self,
        campaign_id: i64,
        filter: &FollowupFilter,
        after: Option<(String, i64)>,
        limit: i64,
    ) -> Result<Vec<Followup>, StoreError>;
    /// One follow-up.
    async fn get_followup(&self, id: i64) -> Result<Followup, StoreError>;
    /// Changes a follow-up read at `expected_version`.
    async fn update_followup(
        &self,
        id: i64,
        expected_version: i64,
        change: &FollowupChange,
        meta: &AuditMeta,
    ) -> Result<Followup, StoreError>;
    /// Links a demand to the petition it became.
    async fn link_followup_petition(
        &self,
        id: i64,
        petition_id: i64,
        meta: &AuditMeta,
    ) -> Result<(), StoreError>;
    /// Open follow-ups past their deadline in campaigns of `scope` or of
    /// `member`'s teams.
    async fn overdue_followups(
        &self,
        scope: Option<&Scope>,
        member: i64,
        today: &str,
    ) -> Result<i64, StoreError>;
}
