//! Reading and changing the county settings.

use std::collections::BTreeMap;

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::inspection::workdays::Calendar;
use crate::policy::{self, Action};
use crate::settings::{check_calendar, validate, Settings, HOLIDAYS, WORKDAYS};
use crate::store::Store;

/// The effective settings (for any use case that needs a value).
pub async fn effective(store: &dyn Store) -> Result<Settings, CoreError> {
    Ok(Settings::from_stored(store.settings().await?))
}

/// The county's working-day calendar (weekends, holidays, make-up days), for
/// every clock counted in days or working days.
pub async fn calendar(store: &dyn Store) -> Result<Calendar, CoreError> {
    Ok(effective(store).await?.calendar())
}

/// The settings, for the settings page.
pub async fn view(store: &dyn Store, actor: &Actor) -> Result<Settings, CoreError> {
    policy::scope(actor, Action::ViewSettings)?;
    effective(store).await
}

/// Changes settings after validating every value; nothing is stored when any
/// value is invalid.
pub async fn update(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    changes: &BTreeMap<String, String>,
) -> Result<(), CoreError> {
    policy::scope(actor, Action::EditSettings)?;
    let valid = validate(changes)?;
    let current = effective(store).await?;
    // The two calendar lists must agree with each other as they will be.
    let after = |k: &str| valid.get(k).cloned().unwrap_or_else(|| current.get(k));
    check_calendar(&after(HOLIDAYS), &after(WORKDAYS)).map_err(|e| CoreError::Invalid(vec![e]))?;
    let changed: BTreeMap<String, String> = valid
        .into_iter()
        .filter(|(k, v)| current.get(k) != *v)
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    store
        .update_settings(&changed, &super::meta(actor, clock))
        .await?;
    Ok(())
}
