//! The home page with real counts.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::i18n::t;
use xuncha_core::policy::{self, Action};
use xuncha_core::store::Counts;
use xuncha_core::usecases::settings;

use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    county: String,
    counts: Counts,
    show_admin: bool,
    show_registry: bool,
    campaigns_overdue: i64,
    alerts: xuncha_core::usecases::rounds::outcome::Alerts,
    today: String,
}

impl HomePage {
    fn late(&self, due: &str) -> String {
        crate::pages::rounds::overdue_days(&Some(due.to_owned()), &self.today)
    }
}

async fn home(State(state): State<AppState>, auth: Auth) -> Result<Response, AppError> {
    let counts = match policy::scope(&auth.actor, Action::ViewRegistry) {
        Ok(scope) => state.store.counts(&scope).await?,
        Err(_) => Counts::default(),
    };
    let county = settings::effective(state.store.as_ref())
        .await?
        .get("county.name");
    let (s, c) = (state.store.as_ref(), state.clock.as_ref());
    let alerts = xuncha_core::usecases::rounds::outcome::alerts(s, c, &auth.actor).await?;
    let campaigns_overdue =
        xuncha_core::usecases::campaigns::overdue_count(s, c, &auth.actor).await?;
    html(&HomePage {
        alerts,
        today: xuncha_core::usecases::rounds::plan::today(c),
        shell: Shell::new(&auth.actor, auth.csrf.as_deref(), "/", t("home.title")),
        county,
        counts,
        show_admin: policy::role_allows(auth.actor.role, Action::ManageUsers),
        show_registry: policy::role_allows(auth.actor.role, Action::ViewRegistry),
        campaigns_overdue,
    })
}
