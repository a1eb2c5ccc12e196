//! The permission policy: the one place that decides who may see and do what.
//!
//! A decision depends on the actor's role, jurisdiction (a unit subtree) and
//! recusals (subtrees hidden from them). Pages, the API, exports and the CLI
//! all ask here; list queries receive a [`Scope`] so the filter is applied in
//! the query itself and counts and paging stay right.

use crate::auth::{Actor, Role};
use crate::error::CoreError;

/// Something a user may try to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Browse and search units, persons, leadership, work history.
    ViewRegistry,
    /// Create and edit units and persons.
    EditRegistry,
    /// Import registry files.
    ImportRegistry,
    /// Export registry lists.
    ExportRegistry,
    /// See ID numbers unmasked.
    ViewFullIdNumbers,
    /// See kinship relations between persons.
    ViewRelations,
    /// Manage users and their roles.
    ManageUsers,
    /// Read the county settings.
    ViewSettings,
    /// Change the county settings.
    EditSettings,
    /// Read the audit trail.
    ViewAudit,
    /// Upload an attachment.
    UploadAttachment,
    /// Read rounds, coverage and the target ranking.
    ViewRounds,
    /// Plan rounds: targets, teams, assignments, recusal decisions.
    PlanRounds,
    /// Read the work on a target unit (fieldwork, papers, clues, reports).
    ViewRoundWork,
    /// Record the work on a target unit.
    EditRoundWork,
    /// Approve or return reports (领导小组).
    DecideReports,
    /// Receive transfers and report their disposal (纪委监委, 组织部, departments).
    HandleTransfers,
    /// Submit the rectification plan and progress (the inspected unit).
    Rectify,
    /// Verify rectification items, rate rectification, record accountability.
    VerifyRectification,
    /// Read a round's circular.
    ViewCircular,
    /// Read petitions (信访件) about units in scope.
    ViewPetitions,
    /// Register petitions and move them through their lifecycle.
    HandlePetitions,
    /// See a petitioner's sealed identity (each view audited).
    ViewPetitionerIdentity,
    /// Put the handling of petitions under supervision (督办), record the
    /// handling unit's replies, close supervisions, print the notice.
    SupervisePetitions,
    /// Read the public tips (码上巡察) about units in scope.
    ViewTips,
    /// Triage tips and answer their senders.
    TriageTips,
    /// See a named tipster's sealed identity (each view audited): only the
    /// designated handlers, the office and the team's 组长.
    ViewTipsterIdentity,
    /// Build surveys, issue their codes, key in paper sheets.
    ManageSurveys,
    /// Read survey results.
    ViewSurveyResults,
    /// Import data sets and run cross-check rules (大数据碰撞); every run audited.
    RunCrossChecks,
    /// Read and triage cross-check hits.
    ViewCrossChecks,
    /// Set up field campaigns (checklist inspections, household visits):
    /// targets, teams, household lists; record on every target.
    ManageCampaigns,
    /// Read every team's work of the campaigns in the jurisdiction.
    ViewCampaigns,
}

impl Action {
    /// Every action, for the permission matrix tests.
    pub const ALL: [Action; 33] = [
        Action::ViewRegistry,
        Action::EditRegistry,
        Action::ImportRegistry,
        Action::ExportRegistry,
        Action::ViewFullIdNumbers,
        Action::ViewRelations,
        Action::ManageUsers,
        Action::ViewSettings,
        Action::EditSettings,
        Action::ViewAudit,
        Action::UploadAttachment,
        Action::ViewRounds,
        Action::PlanRounds,
        Action::ViewRoundWork,
        Action::EditRoundWork,
        Action::DecideReports,
        Action::HandleTransfers,
        Action::Rectify,
        Action::VerifyRectification,
        Action::ViewCircular,
        Action::ViewPetitions,
        Action::HandlePetitions,
        Action::ViewPetitionerIdentity,
        Action::SupervisePetitions,
        Action::ViewTips,
        Action::TriageTips,
        Action::ViewTipsterIdentity,
        Action::ManageSurveys,
        Action::ViewSurveyResults,
        Action::RunCrossChecks,
        Action::ViewCrossChecks,
        Action::ManageCampaigns,
        Action::ViewCampaigns,
    ];

    /// Actions on the work of a team, which team roles may perform only on
    /// the units assigned to their team.
    pub fn is_team_work(self) -> bool {
        matches!(
            self,
            Action::ViewRounds
                | Action::ViewRoundWork
                | Action::EditRoundWork
                | Action::VerifyRectification
                | Action::ViewCircular
                | Action::ViewPetitions
                | Action::ViewTips
                | Action::TriageTips
                | Action::ViewTipsterIdentity
                | Action::ManageSurveys
                | Action::ViewSurveyResults
        )
    }
}

/// Whether the role is a member of an inspection team.
pub fn is_team_role(role: Role) -> bool {
    matches!(role, Role::TeamLeader | Role::TeamDeputy | Role::TeamMember)
}

/// Whether the role may perform the action at all (somewhere).
pub fn role_allows(role: Role, action: Action) -> bool {
    use Action::*;
    use Role::*;
    match action {
        ViewRegistry => !matches!(role, VisitingCadre | Checker),
        EditRegistry | ImportRegistry => matches!(role, Admin | Office | Organisation),
        ExportRegistry => matches!(
            role,
            Admin | Office | LeadingGroup | Organisation | Discipline | TeamLeader
        ),
        ViewFullIdNumbers | ViewRelations => matches!(
            role,
            Admin | Office | LeadingGroup | Discipline | Organisation
        ),
        ManageUsers | EditSettings | ViewAudit => matches!(role, Admin),
        ViewSettings => matches!(role, Admin | Office | LeadingGroup),
        // Every role produces evidence: photos, scans, rectification proofs.
        UploadAttachment => true,
        ViewRounds => matches!(
            role,
            Admin | Office | LeadingGroup | TeamLeader | TeamDeputy | TeamMember
        ),
        PlanRounds => matches!(role, Admin | Office),
        ViewRoundWork | EditRoundWork | VerifyRectification => {
            matches!(role, Admin | Office | TeamLeader | TeamDeputy | TeamMember)
                || (action == ViewRoundWork && role == LeadingGroup)
        }
        DecideReports => matches!(role, Admin | LeadingGroup),
        HandleTransfers => matches!(role, Discipline | Organisation | Department),
        Rectify => matches!(role, Admin | Office | InspectedUnit),
        ViewCircular => matches!(
            role,
            Admin | Office | LeadingGroup | Discipline | Organisation | TeamLeader
        ),
        ViewPetitions => matches!(
            role,
            Admin | Office | LeadingGroup | Discipline | TeamLeader | TeamDeputy | TeamMember
        ),
        HandlePetitions | ViewPetitionerIdentity => matches!(role, Admin | Office),
        // 督办 is the office's (巡察办/信访 staff) in its jurisdiction; the
        // discipline commission handles accusations but does not supervise.
        SupervisePetitions => matches!(role, Admin | Office),
        ViewTips => matches!(role, Admin | Office | TeamLeader | TeamDeputy | TeamMember),
        TriageTips => matches!(role, Admin | Office | TeamLeader | TeamDeputy),
        // The system administrator keeps the machine, not the cases.
        ViewTipsterIdentity => matches!(role, Office | TeamLeader),
        ManageSurveys => matches!(role, Admin | Office | TeamLeader | TeamDeputy),
        ViewSurveyResults => matches!(
            role,
            Admin | Office | LeadingGroup | TeamLeader | TeamDeputy | TeamMember
        ),
        // Rolls of subsidies, payroll and deaths are sensitive: the office
        // and the discipline commission, in their jurisdiction.
        RunCrossChecks => matches!(role, Admin | Office | Discipline),
        ViewCrossChecks => matches!(role, Admin | Office | LeadingGroup | Discipline),
        // Members of a campaign's teams (any role, 走访干部 and 检查员
        // included) reach their own team's targets through
        // [`campaign_access`], not through these.
        ManageCampaigns => matches!(role, Admin | Office),
        ViewCampaigns => matches!(role, Admin | Office | LeadingGroup),
    }
}

/// Which units a list query may return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Only units whose path starts with this prefix; `None` means all units.
    pub within: Option<String>,
    /// Units whose path starts with any of these are excluded (recusal).
    pub excluded: Vec<String>,
    /// When set, only units under one of these paths (a team's assigned
    /// targets); an empty list matches nothing.
    pub any_of: Option<Vec<String>>,
}

impl Scope {
    /// No restriction.
    pub fn all() -> Scope {
        Scope {
            within: None,
            excluded: Vec::new(),
            any_of: None,
        }
    }

    /// Whether a unit with this materialised path is inside the scope.
    pub fn contains(&self, path: &str) -> bool {
        let inside = self.within.as_deref().is_none_or(|p| path.starts_with(p));
        let assigned = self
            .any_of
            .as_ref()
            .is_none_or(|a| a.iter().any(|p| path.starts_with(p.as_str())));
        inside && assigned && !self.excluded.iter().any(|e| path.starts_with(e.as_str()))
    }

    /// Whether records that belong to no unit are visible (only to an
    /// unrestricted scope).
    pub fn sees_unattached(&self) -> bool {
        self.within.is_none() && self.any_of.is_none()
    }
}

/// The scope in which the actor may perform `action`, or `Forbidden`.
pub fn scope(actor: &Actor, action: Action) -> Result<Scope, CoreError> {
    if !role_allows(actor.role, action) {
        return Err(CoreError::Forbidden);
    }
    let team_work = is_team_role(actor.role) && action.is_team_work();
    let within = match (&actor.jurisdiction, actor.role) {
        (_, Role::Admin) => None,
        // A team works on the units assigned to it, wherever they are.
        _ if team_work => None,
        (Some(j), _) => Some(j.path.clone()),
        // A non-admin bound to no unit sees no unit: fail closed.
        (None, _) => Some("\u{0}none".to_owned()),
    };
    let any_of = team_work.then(|| {
        actor
            .assignments
            .iter()
            .flat_map(|a| a.unit_paths.iter().cloned())
            .collect()
    });
    Ok(Scope {
        within,
        excluded: actor.recused_paths.clone(),
        any_of,
    })
}

/// Checks `action` on an object that belongs to the unit with `unit_path`
/// (or to no unit). Outside the scope the answer is `NotFound`, so a user
/// cannot learn that a hidden object exists; a team's work on units not
/// assigned to it is always `NotFound` (another team's target is not the
/// member's business, even where the registry shows the unit).
pub fn check(actor: &Actor, action: Action, unit_path: Option<&str>) -> Result<(), CoreError> {
    let scope = scope(actor, action)?;
    let visible = match unit_path {
        Some(p) => scope.contains(p),
        None => scope.sees_unattached(),
    };
    if visible {
        Ok(())
    } else if scope.any_of.is_none() && check_visible_elsewhere(actor, unit_path) {
        Err(CoreError::Forbidden)
    } else {
        Err(CoreError::NotFound)
    }
}

/// Whether the actor can at least see the object (so a refusal may say
/// "forbidden" rather than "not found").
fn check_visible_elsewhere(actor: &Actor, unit_path: Option<&str>) -> bool {
    match scope(actor, Action::ViewRegistry) {
        Ok(s) => match unit_path {
            Some(p) => s.contains(p),
            None => s.sees_unattached(),
        },
        Err(_) => false,
    }
}

/// The search index's document types of the registry.
pub const REGISTRY_DOC_TYPES: &[&str] = &["person", "unit"];
/// The document types of a team's records (the record kinds).
pub const WORK_DOC_TYPES: &[&str] = &[
    "fieldwork",
    "paper",
    "clue",
    "report",
    "feedback",
    "transfer",
    "rect-item",
    "accountability",
    "briefing",
    "prep-list",
];
/// Petitions in the search index.
pub const PETITION_DOC_TYPES: &[&str] = &["petition"];
/// Public tips in the search index (their text, never a tipster's identity).
pub const TIP_DOC_TYPES: &[&str] = &["tip"];
/// A field campaign's follow-ups in the search index: household demands
/// (诉求) and hazards found in inspections (隐患), the follow-up kinds.
pub const CAMPAIGN_DOC_TYPES: &[&str] = &["demand", "hazard"];
/// What an inspected unit may find of its own rectification.
pub const RECTIFY_DOC_TYPES: &[&str] = &["rect-item", "feedback", "accountability"];

/// Every document type the search index holds, in feeding order.
pub fn all_doc_types() -> impl Iterator<Item = &'static str> {
    [
        REGISTRY_DOC_TYPES,
        WORK_DOC_TYPES,
        PETITION_DOC_TYPES,
        TIP_DOC_TYPES,
        CAMPAIGN_DOC_TYPES,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// The scopes in which the actor may find documents, per group of document
/// types: the same decisions as the pages (registry by jurisdiction, a
/// team's records by assignment, recusal everywhere), for the search index
/// to apply inside its query.
pub fn search_scopes(actor: &Actor) -> Vec<(&'static [&'static str], Scope)> {
    let mut out = Vec::new();
    for (types, action) in [
        (REGISTRY_DOC_TYPES, Action::ViewRegistry),
        (WORK_DOC_TYPES, Action::ViewRoundWork),
        (RECTIFY_DOC_TYPES, Action::Rectify),
        (PETITION_DOC_TYPES, Action::ViewPetitions),
        (TIP_DOC_TYPES, Action::ViewTips),
    ] {
        if let Ok(s) = scope(actor, action) {
            out.push((types, s));
        }
    }
    out
}

/// Whether the actor may move a petition through its lifecycle: the office
/// for every petition in its jurisdiction, and the discipline commission
/// (纪委监委) for the accusations (检举控告类) it receives by rule (《信访工作
/// 条例》第三十条), in its jurisdiction.
pub fn check_handle_petition(
    actor: &Actor,
    accusation: bool,
    unit_path: Option<&str>,
) -> Result<(), CoreError> {
    if accusation && actor.role == Role::Discipline {
        check(actor, Action::ViewPetitions, unit_path)
    } else {
        check(actor, Action::HandlePetitions, unit_path)
    }
}

/// How far an actor reaches into one field campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CampaignAccess {
    /// Sees every team's targets and work.
    pub sees_all: bool,
    /// Sets the campaign up and records on any target.
    pub manage: bool,
    /// The team the actor is on, if any.
    pub team: Option<i64>,
}

impl CampaignAccess {
    /// The team a list is limited to (`None`: every team).
    pub fn team_filter(&self) -> Option<i64> {
        if self.sees_all {
            None
        } else {
            // A member sees their team's work; `-1` matches no team.
            Some(self.team.unwrap_or(-1))
        }
    }

    /// Whether the actor may record work on a target assigned to `team`.
    pub fn may_record(&self, team: Option<i64>) -> bool {
        self.manage || (self.team.is_some() && self.team == team)
    }

    /// Whether the actor may see a target assigned to `team`.
    pub fn may_see(&self, team: Option<i64>) -> bool {
        self.sees_all || (self.team.is_some() && self.team == team)
    }
}

/// Decides an actor's access to a campaign of the unit at `unit_path`, given
/// the team they are on in it (if any). The office manages the campaigns in
/// its jurisdiction, the leading group reads them, and a team member —
/// whatever their role, 走访干部 and 检查员 included — works on the
/// targets assigned to their team only. A recusal from the organising unit
/// hides the campaign; anything else outside reach is *not found*.
pub fn campaign_access(
    actor: &Actor,
    unit_path: &str,
    membership: Option<i64>,
) -> Result<CampaignAccess, CoreError> {
    if actor
        .recused_paths
        .iter()
        .any(|p| unit_path.starts_with(p.as_str()))
    {
        return Err(CoreError::NotFound);
    }
    let reaches = |action| check(actor, action, Some(unit_path)).is_ok();
    let manage = reaches(Action::ManageCampaigns);
    let sees_all = manage || reaches(Action::ViewCampaigns);
    if !sees_all && membership.is_none() {
        return Err(CoreError::NotFound);
    }
    Ok(CampaignAccess {
        sees_all,
        manage,
        team: membership,
    })
}

/// Whether a campaign team member's duty makes them the team's leader
/// (组长, 队长): duties are free text set per campaign, and a leader may
/// import their team's paper visit ledgers.
pub fn leads_campaign_team(duty: &str) -> bool {
    duty.contains("组长") || duty.contains("队长")
}

/// Who may import paper visit ledgers into a campaign: those who manage it,
/// for every village, and a team's leader, for the team's villages
/// (`Some(team)`); anyone else is refused.
pub fn campaign_ledger_scope(
    access: &CampaignAccess,
    duty: Option<&str>,
) -> Result<Option<i64>, CoreError> {
    if access.manage {
        return Ok(None);
    }
    match (access.team, duty) {
        (Some(team), Some(d)) if leads_campaign_team(d) => Ok(Some(team)),
        _ => Err(CoreError::Forbidden),
    }
}

/// The access terms a campaign follow-up is indexed with: its campaign, and
/// the team whose target it was found on.
pub fn campaign_doc_access(campaign_id: i64, team_id: Option<i64>) -> Vec<String> {
    let mut out = vec![format!("campaign:{campaign_id}")];
    if let Some(t) = team_id {
        out.push(format!("team:{t}"));
    }
    out
}

/// The access terms under which the actor finds campaign follow-ups, given
/// their [`campaign_access`] to each campaign they may see: a whole
/// campaign where they see every team's work (the office, the leading
/// group), else their own team only — exactly what the campaign pages show.
/// A recusal hides a village by its unit path, so search excludes the
/// actor's recused subtrees as the pages do (see
/// `usecases::campaigns::hidden_targets`).
pub fn campaign_search_grants(visible: &[(i64, CampaignAccess)]) -> Vec<String> {
    let mut out = Vec::new();
    for (campaign_id, access) in visible {
        if access.sees_all {
            out.push(format!("campaign:{campaign_id}"));
        } else if let Some(t) = access.team {
            out.push(format!("team:{t}"));
        }
    }
    out
}

/// Whether the actor may see this unit's ID numbers unmasked.
pub fn sees_full_id_numbers(actor: &Actor) -> bool {
    role_allows(actor.role, Action::ViewFullIdNumbers)
}

#[cfg(test)]
mod tests;
