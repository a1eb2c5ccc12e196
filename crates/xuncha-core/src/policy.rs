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
}

impl Action {
    /// Every action, for the permission matrix tests.
    pub const ALL: [Action; 11] = [
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
    ];
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
    }
}

/// Which units a list query may return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Only units whose path starts with this prefix; `None` means all units.
    pub within: Option<String>,
    /// Units whose path starts with any of these are excluded (recusal).
    pub excluded: Vec<String>,
}

impl Scope {
    /// No restriction.
    pub fn all() -> Scope {
        Scope {
            within: None,
            excluded: Vec::new(),
        }
    }

    /// Whether a unit with this materialised path is inside the scope.
    pub fn contains(&self, path: &str) -> bool {
        let inside = self.within.as_deref().is_none_or(|p| path.starts_with(p));
        inside && !self.excluded.iter().any(|e| path.starts_with(e.as_str()))
    }

    /// Whether records that belong to no unit are visible (only to an
    /// unrestricted scope).
    pub fn sees_unattached(&self) -> bool {
        self.within.is_none()
    }
}

/// The scope in which the actor may perform `action`, or `Forbidden`.
pub fn scope(actor: &Actor, action: Action) -> Result<Scope, CoreError> {
    if !role_allows(actor.role, action) {
        return Err(CoreError::Forbidden);
    }
    let within = match (&actor.jurisdiction, actor.role) {
        (_, Role::Admin) => None,
        (Some(j), _) => Some(j.path.clone()),
        // A non-admin bound to no unit sees no unit: fail closed.
        (None, _) => Some("\u{0}none".to_owned()),
    };
    Ok(Scope {
        within,
        excluded: actor.recused_paths.clone(),
    })
}

/// Checks `action` on an object that belongs to the unit with `unit_path`
/// (or to no unit). Outside the scope the answer is `NotFound`, so a user
/// cannot learn that a hidden object exists.
pub fn check(actor: &Actor, action: Action, unit_path: Option<&str>) -> Result<(), CoreError> {
    let scope = scope(actor, action)?;
    let visible = match unit_path {
        Some(p) => scope.contains(p),
        None => scope.sees_unattached(),
    };
    if visible {
        Ok(())
    } else if check_visible_elsewhere(actor, unit_path) {
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

/// Whether the actor may see this unit's ID numbers unmasked.
pub fn sees_full_id_numbers(actor: &Actor) -> bool {
    role_allows(actor.role, Action::ViewFullIdNumbers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Jurisdiction;

    fn actor(role: Role, path: Option<&str>, recused: &[&str]) -> Actor {
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
    fn prefix_is_by_whole_segment() {
        // "/1/2/" must not match "/1/23/".
        let a = actor(Role::Office, Some("/1/2/"), &[]);
        assert!(check(&a, Action::ViewRegistry, Some("/1/23/")).is_err());
    }
}
