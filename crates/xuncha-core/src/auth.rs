//! Who is acting: roles, jurisdictions, the authenticated actor, passwords
//! and tokens.

use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// The roles of product.md. Each user has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 系统管理员: users, settings, backups; sees everything.
    Admin,
    /// 巡察办: plans rounds, keeps the registry, tracks everything in its jurisdiction.
    Office,
    /// 巡察工作领导小组: reviews and approves; reads everything in its jurisdiction.
    LeadingGroup,
    /// 巡察组组长.
    TeamLeader,
    /// 巡察组副组长.
    TeamDeputy,
    /// 巡察组组员.
    TeamMember,
    /// 纪委监委: receives discipline clues.
    Discipline,
    /// 组织部: receives selection and organisational problems; keeps cadre data.
    Organisation,
    /// 职能部门: receives other transferred problems.
    Department,
    /// 被巡察单位: sees its own feedback and rectification.
    InspectedUnit,
    /// 走访干部: household visit campaigns.
    VisitingCadre,
    /// 检查员: checklist inspections.
    Checker,
}

impl Role {
    /// Every role, in the order the UI lists them.
    pub const ALL: [Role; 12] = [
        Role::Admin,
        Role::Office,
        Role::LeadingGroup,
        Role::TeamLeader,
        Role::TeamDeputy,
        Role::TeamMember,
        Role::Discipline,
        Role::Organisation,
        Role::Department,
        Role::InspectedUnit,
        Role::VisitingCadre,
        Role::Checker,
    ];

    /// The stable identifier used on the command line, in the database and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::LeadingGroup => "leading-group",
            Role::TeamLeader => "team-leader",
            Role::TeamDeputy => "team-deputy",
            Role::TeamMember => "team-member",
            Role::Discipline => "discipline",
            Role::Organisation => "organisation",
            Role::Department => "department",
            Role::InspectedUnit => "inspected-unit",
            Role::VisitingCadre => "visiting-cadre",
            Role::Checker => "checker",
        }
    }

    /// Parses the identifier of [`Role::as_str`].
    pub fn parse(s: &str) -> Result<Role, CoreError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                CoreError::invalid(
                    "role",
                    crate::i18n::tf(
                        "error.role_unknown",
                        &[("role", s), ("roles", &names.join(", "))],
                    ),
                )
            })
    }

    /// The Chinese name shown in the UI.
    pub fn label(self) -> &'static str {
        crate::i18n::t(&format!("role.{}", self.as_str()))
    }

    /// Whether users of this role must be bound to a unit (their jurisdiction).
    pub fn needs_unit(self) -> bool {
        !matches!(self, Role::Admin)
    }
}

/// The subtree of units a user works in: the root unit and its materialised path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    /// The root unit of the subtree.
    pub unit_id: i64,
    /// The root's materialised path (`/1/5/`); every unit below starts with it.
    pub path: String,
}

/// The authenticated user on whose behalf a use case runs.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's id.
    pub user_id: i64,
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// The role.
    pub role: Role,
    /// The unit subtree; `None` means the whole registry (admin, or a role
    /// bound to no unit, which the policy then treats per role).
    pub jurisdiction: Option<Jurisdiction>,
    /// Paths of units the user is recused from; nothing under them is visible.
    pub recused_paths: Vec<String>,
    /// The teams the user is on and the units those teams inspect.
    pub assignments: Vec<crate::inspection::Assignment>,
}

impl Actor {
    /// The built-in actor used by operator commands run on the server itself
    /// (`xuncha import`, `xuncha demo`): an administrator, recorded as `system`.
    pub fn system() -> Actor {
        Actor {
            user_id: 0,
            username: "system".into(),
            display_name: "系统".into(),
            role: Role::Admin,
            jurisdiction: None,
            recused_paths: Vec::new(),
            assignments: Vec::new(),
        }
    }
}

/// A user as stored (without secrets).
#[derive(Debug, Clone, Serialize)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Unique login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Jurisdiction root unit, if bound.
    pub unit_id: Option<i64>,
    /// Jurisdiction root unit's name, for display.
    pub unit_name: Option<String>,
    /// Whether the account may log in.
    pub active: bool,
    /// Creation time (ms).
    pub created_at: i64,
}

/// A user with the password hash, as read for login.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    /// The user.
    pub user: User,
    /// PHC string of the argon2id hash.
    pub password_hash: String,
}

/// A validated login name: 2–32 characters of letters, digits, `_`, `-`, `.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    /// Validates a login name.
    pub fn parse(raw: &str) -> Result<Username, CoreError> {
        let s = raw.trim();
        let ok_len = (2..=32).contains(&s.chars().count());
        let ok_chars = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if ok_len && ok_chars {
            Ok(Username(s.to_owned()))
        } else {
            Err(CoreError::invalid(
                "username",
                crate::i18n::t("error.username_format"),
            ))
        }
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that meets the policy (at least 8 characters, not all one kind).
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    /// Validates a new password.
    pub fn parse(raw: &str) -> Result<Password, CoreError> {
        let n = raw.chars().count();
        let kinds = [
            raw.chars().any(|c| c.is_ascii_digit()),
            raw.chars().any(|c| c.is_ascii_lowercase()),
            raw.chars().any(|c| c.is_ascii_uppercase()),
            raw.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if !(8..=128).contains(&n) || kinds < 2 {
            return Err(CoreError::invalid(
                "password",
                crate::i18n::t("error.password_policy"),
            ));
        }
        Ok(Password(raw.to_owned()))
    }

    /// Hashes with argon2id and a fresh salt, as a PHC string.
    pub fn hash(&self) -> Result<String, CoreError> {
        use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut OsRng);
        argon2::Argon2::default()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| CoreError::Internal(anyhow::anyhow!("argon2: {e}")))
    }
}

/// Checks a password against a stored PHC hash.
pub fn verify_password(candidate: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    match PasswordHash::new(phc) {
        Ok(parsed) => argon2::Argon2::default()
            .verify_password(candidate.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A fresh random secret (session id, API token, CSRF token) as 43 URL-safe
/// characters (256 bits).
pub fn random_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The SHA-256 of a secret, hex: only this is stored for sessions and tokens,
/// so a copy of the database does not let anyone log in.
pub fn secret_hash(secret: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).ok(), Some(r));
            assert!(!r.label().is_empty());
        }
        assert!(Role::parse("boss").is_err());
    }

    #[test]
    fn password_policy_and_hashing() {
        assert!(Password::parse("short1").is_err());
        assert!(Password::parse("alllowercase").is_err());
        let p = Password::parse("Xuncha-2026").expect("valid");
        let h = p.hash().expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("Xuncha-2026", &h));
        assert!(!verify_password("xuncha-2026", &h));
    }

    #[test]
    fn usernames() {
        assert!(Username::parse("office1").is_ok());
        assert!(Username::parse("a").is_err());
        assert!(Username::parse("张三").is_err());
    }
}
