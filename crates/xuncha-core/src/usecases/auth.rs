//! Logging in and out, sessions, API tokens, password changes, and turning a
//! stored user into an [`Actor`].

use std::collections::HashMap;
use std::sync::Mutex;

use crate::auth::{
    random_secret, secret_hash, verify_password, Actor, Jurisdiction, Password, User,
};
use crate::clock::{Clock, Millis};
use crate::error::{CoreError, StoreError};
use crate::store::{AuditMeta, Store};

/// How long a session lasts without logging in again.
pub const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;
/// Failed attempts allowed per login name in [`THROTTLE_WINDOW_MS`].
pub const MAX_FAILURES: usize = 5;
/// The throttling window.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// Counts failed logins per login name; after [`MAX_FAILURES`] in the window
/// further attempts are refused until it passes, whatever the password.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Millis>>>,
}

impl LoginThrottle {
    fn blocked(&self, username: &str, now: Millis) -> bool {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let list = map.entry(username.to_owned()).or_default();
        list.retain(|t| now - *t < THROTTLE_WINDOW_MS);
        list.len() >= MAX_FAILURES
    }
    fn fail(&self, username: &str, now: Millis) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(username.to_owned()).or_default().push(now);
        // Keep the map bounded under a flood of random names.
        if map.len() > 100_000 {
            map.retain(|_, v| v.iter().any(|t| now - *t < THROTTLE_WINDOW_MS));
        }
    }
    fn clear(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(username);
    }
}

/// A new session: the secret for the cookie and the CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The cookie value (only its hash is stored).
    pub token: String,
    /// The CSRF token bound to the session.
    pub csrf_token: String,
    /// The user.
    pub user: User,
}

/// Checks credentials and opens a session.
pub async fn login(
    store: &dyn Store,
    clock: &dyn Clock,
    throttle: &LoginThrottle,
    username: &str,
    password: &str,
) -> Result<NewSession, CoreError> {
    let now = clock.now_ms();
    let username = username.trim();
    if throttle.blocked(username, now) {
        return Err(CoreError::Throttled);
    }
    let creds = match store.user_credentials(username).await {
        Ok(c) => Some(c),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let ok = match &creds {
        Some(c) => c.user.active && verify_password(password, &c.password_hash),
        None => {
            // Spend the same time as a real check so timing does not reveal
            // which login names exist.
            let _ = verify_password(password, DUMMY_HASH);
            false
        }
    };
    let Some(creds) = creds.filter(|_| ok) else {
        throttle.fail(username, now);
        return Err(CoreError::BadCredentials);
    };
    throttle.clear(username);
    let token = random_secret();
    let csrf_token = random_secret();
    let meta = AuditMeta {
        actor_id: creds.user.id,
        actor_name: creds.user.username.clone(),
        at: now,
    };
    store
        .create_session(
            &secret_hash(&token),
            creds.user.id,
            &csrf_token,
            now + SESSION_TTL_MS,
            &meta,
        )
        .await?;
    Ok(NewSession {
        token,
        csrf_token,
        user: creds.user,
    })
}

/// A valid argon2id hash of a random password, used to equalise timing.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Xl6H5gKqKcGJ7q0oUqDbp1wVDm3T0bDJ1K0KUpNfV7A";

/// The actor behind a session cookie, with the session's CSRF token.
pub async fn session_actor(
    store: &dyn Store,
    clock: &dyn Clock,
    token: &str,
) -> Result<(Actor, String), CoreError> {
    let info = store.session(&secret_hash(token), clock.now_ms()).await?;
    Ok((actor_for(store, &info.user).await?, info.csrf_token))
}

/// The actor behind an API bearer token.
pub async fn token_actor(store: &dyn Store, token: &str) -> Result<Actor, CoreError> {
    let user = store.user_by_token(&secret_hash(token)).await?;
    actor_for(store, &user).await
}

/// Ends a session.
pub async fn logout(store: &dyn Store, token: &str) -> Result<(), CoreError> {
    store.delete_session(&secret_hash(token)).await?;
    Ok(())
}

/// Builds the actor (jurisdiction path, recusals) of a stored user.
pub async fn actor_for(store: &dyn Store, user: &User) -> Result<Actor, CoreError> {
    let jurisdiction = match user.unit_id {
        Some(id) => {
            let unit = store.get_unit(id).await?;
            Some(Jurisdiction {
                unit_id: unit.id,
                path: unit.path,
            })
        }
        None => None,
    };
    // Recusals bind the person, whatever their role: a recused inspector
    // who also works in the office still sees nothing of that unit.
    let (assignments, recused_paths) = store.assignments_of_user(user.id).await?;
    Ok(Actor {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        jurisdiction,
        recused_paths,
        assignments,
    })
}

/// Changes the actor's own password after checking the current one; other
/// sessions of the user end.
pub async fn change_password(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    current: &str,
    new: &str,
    confirm: &str,
    keep_session_token: Option<&str>,
) -> Result<(), CoreError> {
    let creds = store.user_credentials(&actor.username).await?;
    if !verify_password(current, &creds.password_hash) {
        return Err(CoreError::invalid(
            "current",
            crate::i18n::t("error.password_wrong"),
        ));
    }
    if new != confirm {
        return Err(CoreError::invalid(
            "confirm",
            crate::i18n::t("error.password_confirm"),
        ));
    }
    let hash = Password::parse(new)?.hash()?;
    let keep = keep_session_token.map(secret_hash);
    store
        .set_password(
            actor.user_id,
            &hash,
            keep.as_deref(),
            &super::meta(actor, clock),
        )
        .await?;
    Ok(())
}

/// Issues a personal API token for a user (operator command).
pub async fn create_token(
    store: &dyn Store,
    clock: &dyn Clock,
    username: &str,
    name: &str,
) -> Result<String, CoreError> {
    let creds = store.user_credentials(username).await?;
    let token = format!("xc_{}", random_secret());
    let meta = super::meta(&Actor::system(), clock);
    store
        .create_api_token(creds.user.id, &secret_hash(&token), name, &meta)
        .await?;
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_hash_parses() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!verify_password("x", DUMMY_HASH));
    }

    #[test]
    fn throttle_blocks_after_five_failures_and_forgets_later() {
        let t = LoginThrottle::default();
        for i in 0..MAX_FAILURES {
            assert!(!t.blocked("a", i as i64));
            t.fail("a", i as i64);
        }
        assert!(t.blocked("a", 10));
        assert!(!t.blocked("b", 10));
        assert!(!t.blocked("a", THROTTLE_WINDOW_MS + 10));
    }
}
