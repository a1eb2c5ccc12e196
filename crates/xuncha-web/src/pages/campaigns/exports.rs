//! A campaign's ledgers (.xlsx) and report (.docx), with what the actor may
//! see: a team exports its own rooms or villages.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use xuncha_core::campaign::CampaignKind;
use xuncha_core::i18n::t;
use xuncha_core::usecases::campaigns::views;
use xuncha_core::usecases::rounds::plan::today;

use crate::auth::Auth;
use crate::error::AppError;
use crate::render::download;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/export.xlsx", get(workbook))
        .route("/campaigns/{id}/report.docx", get(report))
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async fn workbook(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = views::export_data(state.store.as_ref(), &auth.actor, id).await?;
    let day = today(state.clock.as_ref());
    let c = &d.loaded.campaign;
    let bytes = match c.kind {
        CampaignKind::Checklist => xuncha_office::campaigns::checklist_workbook(
            c,
            &d.targets,
            &d.teams,
            &d.records,
            &d.items,
            &d.followups,
            &day,
        ),
        CampaignKind::Visit => {
            xuncha_office::campaigns::visit_workbook(c, &d.targets, &d.teams, &d.followups, &day)
        }
    }
    .map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        XLSX,
        "campaign.xlsx",
        &format!("{}-{}.xlsx", c.title, t("campaign.ledger")),
    ))
}

async fn report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = views::export_data(state.store.as_ref(), &auth.actor, id).await?;
    let day = today(state.clock.as_ref());
    let c = &d.loaded.campaign;
    let bytes = match c.kind {
        CampaignKind::Checklist => {
            // The first photos of the latest records, with where and when.
            let places = views::Places::new(&d.targets);
            let mut photos = Vec::new();
            'records: for r in &d.records {
                for sha in &r.photos {
                    if photos.len() >= xuncha_office::campaigns::MAX_PHOTOS {
                        break 'records;
                    }
                    if let Ok(bytes) = state.blobs.get(sha).await {
                        photos.push((format!("{}（{}）", places.of(r.target_id), r.day), bytes));
                    }
                }
            }
            xuncha_office::campaigns::checklist_report(
                c,
                &d.targets,
                &d.teams,
                &d.records,
                &d.items,
                &d.followups,
                &photos,
                &day,
            )
        }
        CampaignKind::Visit => {
            xuncha_office::campaigns::visit_report(c, &d.targets, &d.teams, &d.followups, &day)
        }
    }
    .map_err(|e| AppError::Internal(e.into()))?;
    Ok(download(
        bytes,
        DOCX,
        "campaign-report.docx",
        &format!("{}-{}.docx", c.title, t("campaign.report")),
    ))
}
