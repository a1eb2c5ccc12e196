//! Importing a paper visit ledger (走访台账) into a visit campaign: the
//! upload form, and the result — what was stored, or every problem by row
//! and column with nothing applied. For the office and team leaders (组长).

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::campaign::{Campaign, CampaignKind};
use xuncha_core::i18n::{t, tf};
use xuncha_core::usecases::campaigns::{self as uc, ledger};
use xuncha_core::{CoreError, FieldError};

use super::{read_upload, shell};
use crate::auth::Auth;
use crate::error::AppError;
use crate::render::{html, Shell};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns/{id}/ledger", get(page).post(upload))
}

#[derive(Template)]
#[template(path = "campaign_ledger.html")]
struct LedgerPage {
    shell: Shell,
    c: Campaign,
    errors: Vec<FieldError>,
    done: String,
    unmapped: Vec<String>,
}

/// The campaign, once the actor is known to import into it.
async fn allowed(state: &AppState, auth: &Auth, id: i64) -> Result<Campaign, AppError> {
    let s = state.store.as_ref();
    let l = uc::load(s, &auth.actor, id).await?;
    if l.campaign.kind != CampaignKind::Visit {
        return Err(AppError::NotFound);
    }
    ledger::scope(s, &auth.actor, &l).await?;
    Ok(l.campaign)
}

fn render(
    c: Campaign,
    auth: &Auth,
    errors: Vec<FieldError>,
    done: String,
    unmapped: Vec<String>,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    crate::pages::rounds::answer(
        html(&LedgerPage {
            shell: shell(auth, t("campaign.ledger_title")),
            c,
            errors,
            done,
            unmapped,
        }),
        failed,
    )
}

async fn page(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let c = allowed(&state, &auth, id).await?;
    render(c, &auth, Vec::new(), String::new(), Vec::new())
}

async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Result<Response, AppError> {
    let c = allowed(&state, &auth, id).await?;
    // Ledgers are lists: allow ten times the photo limit, as household lists.
    let max = super::max_upload(&state).await? * 10;
    let up = match read_upload(mp, max).await {
        Ok(u) => u,
        Err(e) => return render(c, &auth, vec![e], String::new(), Vec::new()),
    };
    auth.check_csrf(&up.get("csrf"))?;
    let Some((_, name, bytes)) = up.files("file").first().map(|f| (*f).clone()) else {
        let e = FieldError::field("file", t("import.no_file"));
        return render(c, &auth, vec![e], String::new(), Vec::new());
    };
    let table =
        match tokio::task::spawn_blocking(move || xuncha_office::read_table(&bytes, &name)).await {
            Ok(Ok(t)) => t,
            Ok(Err(e)) => {
                let e = FieldError::field("file", e.to_string());
                return render(c, &auth, vec![e], String::new(), Vec::new());
            }
            Err(_) => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "reading the ledger failed"
                )))
            }
        };
    let (s, clock) = (state.store.as_ref(), state.clock.as_ref());
    match ledger::import_visits(s, clock, &auth.actor, id, &table).await {
        Ok(r) => {
            let done = tf(
                "campaign.ledger_done",
                &[
                    ("visits", &r.visits.to_string()),
                    ("demands", &r.demands.to_string()),
                    ("already", &r.already.to_string()),
                ],
            );
            render(c, &auth, Vec::new(), done, r.unmapped_headers)
        }
        Err(CoreError::Invalid(e)) => render(c, &auth, e, String::new(), Vec::new()),
        Err(e) => Err(e.into()),
    }
}
