//! Attachments: upload (multipart) and download through the permission
//! check; never served inline, so an uploaded page cannot run in our origin.

use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use sha2::{Digest, Sha256};
use xuncha_core::usecases::{attachments as uc, settings};
use xuncha_core::FieldError;

use crate::auth::Auth;
use crate::error::AppError;
use crate::pages::import::read_multipart;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/attachments", post(upload))
        .route("/attachments/{sha}", get(download))
}

/// Where a plain HTML form asked to go after the upload (a local path only).
fn local_redirect(fields: &std::collections::HashMap<String, String>) -> Option<String> {
    fields
        .get("redirect")
        .filter(|r| r.starts_with('/') && !r.starts_with("//") && !r.contains('\\'))
        .cloned()
}

/// Stores one uploaded file of a form (checked by the policy for the unit,
/// sniffed by content, size-limited) and records it; returns its metadata.
pub(crate) async fn store_upload(
    state: &AppState,
    auth: &Auth,
    up: &crate::pages::import::Upload,
    unit: Option<(i64, &str)>,
) -> Result<xuncha_core::store::Attachment, AppError> {
    auth.check_csrf(&up.csrf)?;
    let (name, bytes) = up
        .file
        .clone()
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| {
            AppError::Invalid(vec![FieldError::field(
                "file",
                xuncha_core::i18n::t("import.file_missing"),
            )])
        })?;
    let store = state.store.as_ref();
    let max = settings::effective(store).await?.get_int("upload.max_mb") as usize * 1024 * 1024;
    let sha = hex::encode(Sha256::digest(&bytes));
    let meta = uc::check_upload(
        &auth.actor,
        state.clock.as_ref(),
        &bytes,
        &name,
        &sha,
        max,
        unit,
    )?;
    state.blobs.put(&bytes).await.map_err(AppError::Internal)?;
    uc::record(store, state.clock.as_ref(), &auth.actor, &meta).await?;
    Ok(meta)
}

async fn upload(
    State(state): State<AppState>,
    auth: Auth,
    mp: Multipart,
) -> Result<Response, AppError> {
    let up = read_multipart(mp).await.map_err(AppError::json)?;
    // A plain HTML form names where to go back to; scripts get JSON.
    let back = local_redirect(&up.fields);
    let wrap = |e: AppError| if back.is_some() { e } else { e.json() };
    auth.check_csrf(&up.csrf).map_err(wrap)?;
    let (name, bytes) = up
        .file
        .clone()
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| {
            wrap(AppError::Invalid(vec![FieldError::field(
                "file",
                xuncha_core::i18n::t("import.file_missing"),
            )]))
        })?;
    let store = state.store.as_ref();
    let unit = match up.fields.get("unit_id").and_then(|s| s.parse::<i64>().ok()) {
        Some(id) => Some(store.get_unit(id).await.map_err(|e| wrap(e.into()))?),
        None => None,
    };
    let max = settings::effective(store).await?.get_int("upload.max_mb") as usize * 1024 * 1024;
    let sha = hex::encode(Sha256::digest(&bytes));
    let meta = uc::check_upload(
        &auth.actor,
        state.clock.as_ref(),
        &bytes,
        &name,
        &sha,
        max,
        unit.as_ref().map(|u| (u.id, u.path.as_str())),
    )
    .map_err(|e| wrap(e.into()))?;
    state
        .blobs
        .put(&bytes)
        .await
        .map_err(|e| wrap(AppError::Internal(e)))?;
    uc::record(store, state.clock.as_ref(), &auth.actor, &meta)
        .await
        .map_err(|e| wrap(e.into()))?;
    if let Some(to) = back {
        return Ok(crate::pages::see_other(&to));
    }
    Ok((axum::http::StatusCode::CREATED, Json(meta)).into_response())
}

async fn download(
    State(state): State<AppState>,
    auth: Auth,
    Path(sha): Path<String>,
) -> Result<Response, AppError> {
    let meta = uc::authorize_download(state.store.as_ref(), &auth.actor, &sha).await?;
    let bytes = state
        .blobs
        .get(&meta.sha256)
        .await
        .map_err(AppError::Internal)?;
    let disposition = format!(
        "attachment; filename=\"file\"; filename*=UTF-8''{}",
        crate::render::urlencode(&meta.original_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, meta.mime.clone()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
