//! Field campaigns (Module 4): setting one up (`setup`), the work on its
//! targets (`work`), and what it shows — progress, rankings, coverage,
//! monthly comparison (`views`), the follow-up register a page at a time
//! (`register`). Every entry point decides access through
//! [`policy::campaign_access`], with the actor's team looked up here.

pub mod ledger;
pub mod lists;
pub mod register;
pub mod schedule;
pub mod setup;
pub mod views;
pub mod work;

use crate::auth::Actor;
use crate::campaign::{
    checklist, Campaign, CampaignInput, CampaignKind, CampaignStatus, TargetLevel,
};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::t;
use crate::policy::{self, Action, CampaignAccess};
use crate::store::{Store, TargetPath};

use super::meta;

/// A campaign with the actor's access to it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The campaign.
    pub campaign: Campaign,
    /// What the actor may do in it.
    pub access: CampaignAccess,
}

impl Loaded {
    /// Whether the actor may record work now on a target of `team`: their
    /// access reaches it and the campaign is still open.
    pub fn may_record(&self, team: Option<i64>) -> bool {
        self.access.may_record(team) && self.campaign.status == CampaignStatus::Active
    }
}

/// Loads a campaign the actor may see (`NotFound` otherwise).
pub async fn load(store: &dyn Store, actor: &Actor, id: i64) -> Result<Loaded, CoreError> {
    let campaign = store.get_campaign(id).await?;
    let team = store.campaign_membership(id, actor.user_id).await?;
    let access = policy::campaign_access(actor, &campaign.unit_path, team)?;
    Ok(Loaded { campaign, access })
}

/// The targets hidden from the actor by a recusal: those standing for a
/// registry unit the actor is recused from, and everything below them. A
/// recused person never sees that unit's villages, households or rooms,
/// whatever their role in the campaign.
pub async fn hidden_targets(
    store: &dyn Store,
    actor: &Actor,
    targets: &[crate::campaign::CampaignTarget],
) -> Result<std::collections::HashSet<i64>, CoreError> {
    let mut hidden = std::collections::HashSet::new();
    if actor.recused_paths.is_empty() {
        return Ok(hidden);
    }
    let mut roots = Vec::new();
    for t in targets {
        let Some(unit_id) = t.unit_id else {
            continue;
        };
        let unit = store.get_unit(unit_id).await?;
        if actor
            .recused_paths
            .iter()
            .any(|p| unit.path.starts_with(p.as_str()))
        {
            roots.push(t.path.clone());
        }
    }
    for t in targets {
        if roots.iter().any(|r| t.path.starts_with(r.as_str())) {
            hidden.insert(t.id);
        }
    }
    Ok(hidden)
}

/// Refuses a target (by its path in the tree) hidden by a recusal.
pub async fn ensure_not_recused(
    store: &dyn Store,
    actor: &Actor,
    target: &crate::campaign::CampaignTarget,
) -> Result<(), CoreError> {
    if actor.recused_paths.is_empty() {
        return Ok(());
    }
    let mut chain = Vec::new();
    for id in target.path.split('/').filter_map(|s| s.parse::<i64>().ok()) {
        chain.push(store.get_campaign_target(id).await?);
    }
    if hidden_targets(store, actor, &chain).await?.is_empty() {
        Ok(())
    } else {
        Err(CoreError::NotFound)
    }
}

/// Loads a campaign the actor manages.
pub(crate) async fn load_managed(
    store: &dyn Store,
    actor: &Actor,
    id: i64,
) -> Result<Loaded, CoreError> {
    let l = load(store, actor, id).await?;
    if !l.access.manage {
        return Err(CoreError::Forbidden);
    }
    Ok(l)
}

/// The campaigns the actor may see: those of the jurisdiction for the
/// office and the leading group, and those whose teams the actor is on.
pub async fn list(store: &dyn Store, actor: &Actor) -> Result<Vec<Campaign>, CoreError> {
    let scope = policy::scope(actor, Action::ViewCampaigns).ok();
    let all = store.list_campaigns(scope.as_ref(), actor.user_id).await?;
    // Recusal and team membership are decided per campaign by the policy.
    let mut out = Vec::with_capacity(all.len());
    for c in all {
        if load(store, actor, c.id).await.is_ok() {
            out.push(c);
        }
    }
    Ok(out)
}

/// The access terms under which the actor finds campaign follow-ups in the
/// search index (see [`policy::campaign_search_grants`]); empty when they
/// see no campaign.
pub async fn search_grants(store: &dyn Store, actor: &Actor) -> Result<Vec<String>, CoreError> {
    let scope = policy::scope(actor, Action::ViewCampaigns).ok();
    let mut visible = Vec::new();
    for c in store.list_campaigns(scope.as_ref(), actor.user_id).await? {
        if let Ok(l) = load(store, actor, c.id).await {
            visible.push((c.id, l.access));
        }
    }
    Ok(policy::campaign_search_grants(&visible))
}

/// A filled-in form to start from: the dormitory sweep's checklist, or the
/// 民情十问 and the usual demand categories.
pub fn template(kind: CampaignKind, today: &str) -> CampaignInput {
    let title = match kind {
        CampaignKind::Checklist => "campaign.template_checklist_title",
        CampaignKind::Visit => "campaign.template_visit_title",
    };
    // The catalogue keeps one line per `|`.
    let lines = |key: &str| t(key).replace('|', "\n");
    CampaignInput {
        kind: kind.as_str().to_owned(),
        title: t(title).to_owned(),
        starts_on: today.to_owned(),
        ends_on: today.to_owned(),
        checklist: lines("campaign.template_checklist"),
        questions: lines("campaign.template_questions"),
        duties: lines(match kind {
            CampaignKind::Checklist => "campaign.template_duties_checklist",
            CampaignKind::Visit => "campaign.template_duties_visit",
        }),
        categories: lines("campaign.template_categories"),
        followup_days: "7".to_owned(),
        ..CampaignInput::default()
    }
}

/// The form of an existing campaign, to repeat it (next month's sweep).
pub fn input_of(c: &Campaign) -> CampaignInput {
    CampaignInput {
        kind: c.kind.as_str().to_owned(),
        unit_id: c.unit_id.to_string(),
        title: c.title.clone(),
        series: c.series.clone(),
        starts_on: c.starts_on.clone(),
        ends_on: c.ends_on.clone(),
        checklist: checklist::items_text(&c.spec.checklist),
        questions: c.spec.questions.join("\n"),
        duties: c.spec.duties.join("\n"),
        categories: c.spec.categories.join("\n"),
        followup_days: c.spec.followup_days.to_string(),
        copy_from: c.id.to_string(),
    }
}

/// Creates a campaign of a unit in the actor's jurisdiction. With
/// `copy_from`, the earlier campaign's targets, teams and assignments are
/// copied (a monthly repeat keeps its rooms and people).
pub async fn create(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &CampaignInput,
) -> Result<Campaign, CoreError> {
    policy::scope(actor, Action::ManageCampaigns)?;
    let mut new = input.parse()?;
    let unit = store
        .get_unit(new.unit_id)
        .await
        .map_err(|_| CoreError::invalid("unit_id", t("error.unit_missing")))?;
    policy::check(actor, Action::ManageCampaigns, Some(&unit.path))
        .map_err(|_| CoreError::invalid("unit_id", t("error.unit_missing")))?;
    new.unit_path = unit.path.clone();
    let source = match input.copy_from.trim() {
        "" => None,
        s => {
            let id = s.parse::<i64>().map_err(|_| CoreError::NotFound)?;
            let l = load_managed(store, actor, id).await?;
            if l.campaign.kind != new.kind {
                return Err(CoreError::invalid("kind", t("error.campaign_copy_kind")));
            }
            Some(l.campaign)
        }
    };
    let m = meta(actor, clock);
    let c = store.create_campaign(&new, &m).await?;
    if let Some(src) = source {
        copy_setup(store, &src, &c, &m).await?;
    }
    Ok(c)
}

/// Copies targets, teams and assignments (not households, records or
/// follow-ups) from one campaign to another.
async fn copy_setup(
    store: &dyn Store,
    from: &Campaign,
    to: &Campaign,
    m: &crate::store::AuditMeta,
) -> Result<(), CoreError> {
    let targets = store.campaign_targets(from.id, None).await?;
    let by_id: std::collections::HashMap<i64, &crate::campaign::CampaignTarget> =
        targets.iter().map(|t| (t.id, t)).collect();
    let chain = |t: &crate::campaign::CampaignTarget| {
        t.path
            .split('/')
            .filter_map(|s| s.parse::<i64>().ok())
            .filter_map(|id| by_id.get(&id))
            .map(|n| (n.name.clone(), n.level, n.unit_id))
            .collect::<Vec<_>>()
    };
    let paths: Vec<TargetPath> = targets
        .iter()
        .filter(|t| t.level.is_leaf() || t.level == TargetLevel::Village)
        .map(|t| TargetPath { nodes: chain(t) })
        .collect();
    store.add_campaign_targets(to.id, &paths, m).await?;
    let copied = store.campaign_targets(to.id, None).await?;
    let key = |chain: Vec<(String, TargetLevel, Option<i64>)>| {
        chain.into_iter().map(|n| n.0).collect::<Vec<_>>().join("/")
    };
    let new_by_key: std::collections::HashMap<String, i64> = {
        let by_id: std::collections::HashMap<i64, &crate::campaign::CampaignTarget> =
            copied.iter().map(|t| (t.id, t)).collect();
        copied
            .iter()
            .map(|t| {
                let k = t
                    .path
                    .split('/')
                    .filter_map(|s| s.parse::<i64>().ok())
                    .filter_map(|id| by_id.get(&id))
                    .map(|n| n.name.clone())
                    .collect::<Vec<_>>()
                    .join("/");
                (k, t.id)
            })
            .collect()
    };
    for team in store.campaign_teams(from.id).await? {
        let members: Vec<(i64, String)> = team
            .members
            .iter()
            .map(|m| (m.user_id, m.duty.clone()))
            .collect();
        let new_team = store
            .add_campaign_team(to.id, &team.name, &members, m)
            .await?;
        // Assign the top-most targets of the old team.
        let ids: Vec<i64> = targets
            .iter()
            .filter(|t| t.team_id == Some(team.id))
            .filter(|t| {
                t.parent_id
                    .and_then(|p| by_id.get(&p))
                    .is_none_or(|p| p.team_id != Some(team.id))
            })
            .filter_map(|t| new_by_key.get(&key(chain(t))).copied())
            .collect();
        if !ids.is_empty() {
            store
                .assign_campaign_targets(to.id, &ids, Some(new_team), m)
                .await?;
        }
    }
    Ok(())
}

/// Closes or reopens a campaign.
pub async fn set_status(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    id: i64,
    version: i64,
    status: CampaignStatus,
) -> Result<Campaign, CoreError> {
    load_managed(store, actor, id).await?;
    Ok(store
        .set_campaign_status(id, version, status, &meta(actor, clock))
        .await?)
}

/// Hazards and demands past their deadline in the campaigns the actor
/// oversees or works in (for the desk).
pub async fn overdue_count(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
) -> Result<i64, CoreError> {
    let scope = policy::scope(actor, Action::ViewCampaigns).ok();
    let day = crate::usecases::rounds::plan::today(clock);
    Ok(store
        .overdue_followups(scope.as_ref(), actor.user_id, &day)
        .await?)
}

/// The resident questionnaire of a checklist campaign, for the survey
/// builder: the campaign's title and the usual questions to residents.
pub fn resident_survey(c: &Campaign) -> (String, String) {
    (
        crate::i18n::tf("campaign.resident_title", &[("title", &c.title)]),
        t("campaign.resident_questions").replace('|', "\n"),
    )
}

/// Refuses work on a closed campaign.
pub(crate) fn ensure_active(c: &Campaign) -> Result<(), CoreError> {
    if c.status == CampaignStatus::Closed {
        return Err(CoreError::Conflict(t("error.campaign_closed").to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{SurveyForm, SurveyInput};

    #[test]
    fn templates_parse() {
        for kind in CampaignKind::ALL {
            let mut input = template(*kind, "2026-11-28");
            input.unit_id = "1".into();
            let new = input.parse().expect("the template is valid");
            match kind {
                CampaignKind::Checklist => assert_eq!(new.spec.checklist.len(), 9),
                CampaignKind::Visit => assert_eq!(new.spec.questions.len(), 10),
            }
        }
    }

    #[test]
    fn the_resident_questionnaire_is_a_valid_survey() {
        let mut input = template(CampaignKind::Checklist, "2026-11-28");
        input.unit_id = "1".into();
        let new = input.parse().expect("valid");
        let c = Campaign {
            id: 1,
            kind: new.kind,
            status: CampaignStatus::Active,
            unit_id: 1,
            unit_name: "公司".into(),
            unit_path: "/1/".into(),
            title: "11月宿舍检查".into(),
            series: new.series,
            spec: new.spec,
            starts_on: new.starts_on,
            ends_on: new.ends_on,
            version: 1,
        };
        let (title, questions) = resident_survey(&c);
        let form = SurveyForm::parse(
            &SurveyInput {
                kind: "questionnaire".into(),
                scheme: "share".into(),
                title,
                questions,
                ..SurveyInput::default()
            },
            &[],
        )
        .expect("the questions parse");
        assert_eq!(form.questions.len(), 5);
        assert!(form.title.contains("11月宿舍检查"));
    }
}
