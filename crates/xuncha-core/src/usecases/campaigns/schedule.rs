//! The plan of a campaign by day, as progress shows it: of the targets the
//! actor may see (a coverage or overview's tree), what was planned for each
//! day, what is complete, and what is overdue.

use crate::campaign::plan::{by_day, PlanDay};
use crate::campaign::CampaignTarget;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::store::Store;
use crate::usecases::rounds::plan::today;

use super::views::Places;

/// The plan by day of `targets` (already limited to what the actor sees:
/// a plan never reveals a hidden target), each named by its place
/// (1号楼 / 3层, 青石镇 / 青石村).
pub async fn plan_days(
    store: &dyn Store,
    clock: &dyn Clock,
    campaign_id: i64,
    targets: &[CampaignTarget],
) -> Result<Vec<PlanDay>, CoreError> {
    let plan = store.campaign_plan(campaign_id).await?;
    if plan.is_empty() {
        return Ok(Vec::new());
    }
    let mut days = by_day(targets, &plan, &today(clock));
    let places = Places::new(targets);
    for d in &mut days {
        for t in &mut d.targets {
            t.name = places.of(t.id);
        }
    }
    Ok(days)
}
