//! User management (administrator and operator commands).

use crate::auth::{Actor, Password, Role, User, Username};
use crate::clock::Clock;
use crate::error::{CoreError, StoreError};
use crate::i18n::t;
use crate::policy::{self, Action};
use crate::store::{NewUser, Store};

/// The raw values of a new account.
#[derive(Debug, Clone)]
pub struct UserInput<'a> {
    /// Login name.
    pub username: &'a str,
    /// Display name (defaults to the login name).
    pub display_name: &'a str,
    /// Role identifier.
    pub role: &'a str,
    /// Jurisdiction unit id.
    pub unit_id: Option<i64>,
    /// Initial password.
    pub password: &'a str,
}

/// Creates an account. Every role but the administrator must be bound to a unit.
pub async fn add_user(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    input: &UserInput<'_>,
) -> Result<User, CoreError> {
    policy::scope(actor, Action::ManageUsers)?;
    let mut errors = Vec::new();
    let username = Username::parse(input.username)
        .map_err(|e| push(e, &mut errors))
        .ok();
    let role = Role::parse(input.role.trim())
        .map_err(|e| push(e, &mut errors))
        .ok();
    let password = Password::parse(input.password)
        .map_err(|e| push(e, &mut errors))
        .ok();
    if let Some(r) = role {
        if r.needs_unit() && input.unit_id.is_none() {
            errors.push(crate::FieldError::field(
                "unit_id",
                t("error.unit_required_for_role"),
            ));
        }
    }
    if let Some(uid) = input.unit_id {
        if store.get_unit(uid).await.is_err() {
            errors.push(crate::FieldError::field("unit_id", t("error.unit_missing")));
        }
    }
    let (Some(username), Some(role), Some(password)) = (username, role, password) else {
        return Err(CoreError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let display = input.display_name.trim();
    let new = NewUser {
        username: username.as_str().to_owned(),
        display_name: if display.is_empty() {
            username.as_str()
        } else {
            display
        }
        .to_owned(),
        role,
        unit_id: input.unit_id,
        password_hash: password.hash()?,
    };
    store
        .create_user(&new, &super::meta(actor, clock))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => CoreError::invalid("username", t("error.username_taken")),
            e => e.into(),
        })
}

fn push(e: CoreError, into: &mut Vec<crate::FieldError>) {
    if let CoreError::Invalid(v) = e {
        into.extend(v);
    }
}

/// Every account (administrator only).
pub async fn list(store: &dyn Store, actor: &Actor) -> Result<Vec<User>, CoreError> {
    policy::scope(actor, Action::ManageUsers)?;
    Ok(store.list_users().await?)
}
