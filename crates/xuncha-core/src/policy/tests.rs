//! The permission matrix and the policy's special cases.

use super::*;
use crate::auth::Jurisdiction;

fn actor(role: Role, path: Option<&str>, recused: &[&str]) -> Actor {
    // Team roles are assigned to the same subtree as their jurisdiction,
    // so the matrix reads the same for every role.
    let assignments = if is_team_role(role) {
        path.map(|p| crate::inspection::Assignment {
            round_id: 1,
            team_id: 1,
            role: crate::inspection::TeamRole::Member,
            unit_paths: vec![p.to_owned()],
        })
        .into_iter()
        .collect()
    } else {
        Vec::new()
    };
    Actor {
        user_id: 1,
        username: "u".into(),
        display_name: "u".into(),
        role,
        jurisdiction: path.map(|p| Jurisdiction {
            unit_id: 1,
            path: p.into(),
        }),
        recused_paths: recused.iter().map(|s| s.to_string()).collect(),
        assignments,
    }
}

/// The whole matrix: every role × action × inside/outside jurisdiction ×
/// recused or not, against the role table.
#[test]
fn matrix() {
    for role in Role::ALL {
        for action in Action::ALL {
            let a = actor(role, Some("/1/2/"), &["/1/2/9/"]);
            let inside = check(&a, action, Some("/1/2/3/"));
            let outside = check(&a, action, Some("/1/4/"));
            let recused = check(&a, action, Some("/1/2/9/10/"));
            let allowed = role_allows(role, action);
            assert_eq!(inside.is_ok(), allowed, "{role:?} {action:?} inside");
            if role == Role::Admin {
                // The administrator's jurisdiction is the whole registry.
                assert_eq!(outside.is_ok(), allowed, "{role:?} {action:?} outside");
            } else {
                assert!(outside.is_err(), "{role:?} {action:?} outside");
            }
            assert!(recused.is_err(), "{role:?} {action:?} recused");
            if role != Role::Admin {
                assert!(
                    check(&a, action, None).is_err(),
                    "{role:?} {action:?} on unattached"
                );
            }
        }
    }
}

#[test]
fn outside_is_not_found_not_forbidden() {
    let a = actor(Role::Office, Some("/1/2/"), &[]);
    assert!(matches!(
        check(&a, Action::ViewRegistry, Some("/1/4/")),
        Err(CoreError::NotFound)
    ));
    let t = actor(Role::TeamMember, Some("/1/2/"), &[]);
    assert!(matches!(
        check(&t, Action::EditRegistry, Some("/1/2/")),
        Err(CoreError::Forbidden)
    ));
}

#[test]
fn admin_sees_all_but_recusal_still_applies() {
    let a = actor(Role::Admin, None, &["/1/7/"]);
    assert!(check(&a, Action::EditRegistry, Some("/1/4/")).is_ok());
    assert!(check(&a, Action::ViewRegistry, Some("/1/7/8/")).is_err());
}

#[test]
fn unbound_non_admin_sees_nothing() {
    let a = actor(Role::Office, None, &[]);
    assert!(check(&a, Action::ViewRegistry, Some("/1/")).is_err());
}

#[test]
fn teams_work_on_their_assigned_units_not_their_jurisdiction() {
    let mut a = actor(Role::TeamMember, Some("/1/3/"), &["/1/2/5/9/"]);
    a.assignments = vec![crate::inspection::Assignment {
        round_id: 1,
        team_id: 1,
        role: crate::inspection::TeamRole::Member,
        unit_paths: vec!["/1/2/5/".into()],
    }];
    assert!(check(&a, Action::ViewRoundWork, Some("/1/2/5/")).is_ok());
    assert!(check(&a, Action::EditRoundWork, Some("/1/2/5/7/")).is_ok());
    assert!(
        check(&a, Action::ViewRoundWork, Some("/1/2/5/9/")).is_err(),
        "recused"
    );
    assert!(
        check(&a, Action::ViewRoundWork, Some("/1/3/")).is_err(),
        "own office"
    );
    assert!(
        check(&a, Action::ViewRoundWork, Some("/1/2/6/")).is_err(),
        "other target"
    );
    assert!(
        check(&a, Action::ViewRegistry, Some("/1/2/5/")).is_err(),
        "registry stays jurisdiction"
    );
    // Unassigned team members see no round work at all.
    a.assignments.clear();
    assert!(check(&a, Action::ViewRoundWork, Some("/1/2/5/")).is_err());
    assert!(!scope(&a, Action::ViewRoundWork)
        .expect("allowed")
        .sees_unattached());
}

#[test]
fn campaign_members_reach_their_team_only() {
    let office = actor(Role::Office, Some("/1/2/"), &[]);
    let a = campaign_access(&office, "/1/2/5/", None).expect("office");
    assert!(a.manage && a.may_record(Some(7)) && a.team_filter().is_none());
    assert!(campaign_access(&office, "/1/4/", None).is_err(), "outside");
    let lg = actor(Role::LeadingGroup, Some("/1/"), &[]);
    let a = campaign_access(&lg, "/1/2/", None).expect("reads");
    assert!(a.sees_all && !a.manage && !a.may_record(Some(7)));
    for role in [Role::Checker, Role::VisitingCadre, Role::TeamMember] {
        let c = actor(role, Some("/1/9/"), &[]);
        assert!(campaign_access(&c, "/1/2/", None).is_err(), "{role:?}");
        let a = campaign_access(&c, "/1/2/", Some(7)).expect("member");
        assert!(a.may_record(Some(7)) && !a.may_record(Some(8)) && !a.may_record(None));
        assert!(a.may_see(Some(7)) && !a.may_see(Some(8)));
        assert_eq!(a.team_filter(), Some(7));
    }
    let recused = actor(Role::Office, Some("/1/"), &["/1/2/"]);
    assert!(campaign_access(&recused, "/1/2/5/", Some(7)).is_err());
}

#[test]
fn ledgers_are_imported_by_the_office_and_team_leaders() {
    let office = actor(Role::Office, Some("/1/"), &[]);
    let member = actor(Role::VisitingCadre, Some("/1/9/"), &[]);
    let a = campaign_access(&office, "/1/2/", None).expect("office");
    assert_eq!(campaign_ledger_scope(&a, None).ok(), Some(None));
    let m = campaign_access(&member, "/1/2/", Some(7)).expect("member");
    assert_eq!(campaign_ledger_scope(&m, Some("组长")).ok(), Some(Some(7)));
    assert_eq!(
        campaign_ledger_scope(&m, Some("副队长")).ok(),
        Some(Some(7))
    );
    assert!(matches!(
        campaign_ledger_scope(&m, Some("记录")),
        Err(CoreError::Forbidden)
    ));
    assert!(campaign_ledger_scope(&m, None).is_err());
}

#[test]
fn search_grants_follow_campaign_access() {
    let office = actor(Role::Office, Some("/1/2/"), &[]);
    let member = actor(Role::VisitingCadre, Some("/1/9/"), &[]);
    let seen = [
        (3, campaign_access(&office, "/1/2/", None).expect("office")),
        (
            4,
            campaign_access(&member, "/1/2/", Some(7)).expect("member"),
        ),
    ];
    // The office reaches the whole campaign, the member only their team.
    assert_eq!(campaign_search_grants(&seen), ["campaign:3", "team:7"]);
    // A follow-up carries both terms, so either grant finds it.
    assert_eq!(campaign_doc_access(4, Some(7)), ["campaign:4", "team:7"]);
    assert_eq!(campaign_doc_access(4, None), ["campaign:4"]);
    assert!(campaign_search_grants(&[]).is_empty());
}

#[test]
fn checkers_and_visiting_cadres_see_no_inspection_data() {
    use Action::*;
    for role in [Role::Checker, Role::VisitingCadre] {
        for action in [
            ViewRegistry,
            ViewRounds,
            ViewRoundWork,
            ViewPetitions,
            ViewTips,
            ViewSurveyResults,
            ViewCrossChecks,
            ViewCircular,
            ViewCampaigns,
            ManageCampaigns,
        ] {
            assert!(!role_allows(role, action), "{role:?} {action:?}");
        }
    }
}

#[test]
fn only_the_office_supervises_petition_handling() {
    for role in Role::ALL {
        let expected = matches!(role, Role::Admin | Role::Office);
        assert_eq!(
            role_allows(role, Action::SupervisePetitions),
            expected,
            "{role:?}"
        );
    }
    let office = actor(Role::Office, Some("/1/2/"), &["/1/2/9/"]);
    assert!(check(&office, Action::SupervisePetitions, Some("/1/2/3/")).is_ok());
    assert!(matches!(
        check(&office, Action::SupervisePetitions, Some("/1/4/")),
        Err(CoreError::NotFound)
    ));
    assert!(check(&office, Action::SupervisePetitions, Some("/1/2/9/")).is_err());
    assert!(!Action::SupervisePetitions.is_team_work());
}

#[test]
fn prefix_is_by_whole_segment() {
    // "/1/2/" must not match "/1/23/".
    let a = actor(Role::Office, Some("/1/2/"), &[]);
    assert!(check(&a, Action::ViewRegistry, Some("/1/23/")).is_err());
}
