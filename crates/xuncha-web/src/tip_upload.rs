//! A public tip with photos, as the public page and the public API both
//! receive it (`multipart/form-data`): the text fields, then each photo
//! checked against the limits (count, size) and re-encoded without metadata
//! (`xuncha_office::photo`), then the proof of work — all before anything is
//! stored, so a refused tip leaves nothing behind. Nothing about the sender
//! (address, user agent, headers) is read here.

use std::collections::HashMap;

use axum::extract::Multipart;
use xuncha_core::i18n::{t, tf};
use xuncha_core::intake::tip::{TipInput, MAX_PHOTOS};
use xuncha_core::usecases::settings;
use xuncha_core::{CoreError, FieldError};
use xuncha_office::photo::CleanPhoto;

use crate::error::AppError;
use crate::AppState;

/// The fields and photos of a submitted tip.
#[derive(Debug, Default)]
pub(crate) struct Submitted {
    /// Text fields by name.
    pub fields: HashMap<String, String>,
    /// Photos as sent: (file name, bytes).
    pub photos: Vec<(String, Vec<u8>)>,
}

impl Submitted {
    /// A text field ("" when absent).
    pub fn get(&self, k: &str) -> &str {
        self.fields.get(k).map(String::as_str).unwrap_or_default()
    }

    /// The tip's text as the use case takes it.
    pub fn input(&self) -> TipInput {
        TipInput {
            body: self.get("body").to_owned(),
            named: self.get("named").to_owned(),
            name: self.get("name").to_owned(),
            contact: self.get("contact").to_owned(),
        }
    }
}

/// The largest photo the settings allow, bytes.
pub(crate) async fn max_photo_bytes(state: &AppState) -> Result<usize, AppError> {
    let mb = settings::effective(state.store.as_ref())
        .await?
        .get_int("upload.max_mb")
        .max(1) as usize;
    Ok(mb * 1024 * 1024)
}

/// Reads a multipart body: photos from the `photos` parts (empty ones
/// skipped, each at most `max_bytes`), every other part as text. A file
/// sent under another name is refused, naming that field.
pub(crate) async fn read_multipart(
    mut mp: Multipart,
    max_bytes: usize,
) -> Result<Submitted, Vec<FieldError>> {
    let mut out = Submitted::default();
    let fail = |e: axum::extract::multipart::MultipartError| {
        vec![FieldError::field(
            "photos",
            tf("import.upload_failed", &[("why", &e.body_text())]),
        )]
    };
    while let Some(field) = mp.next_field().await.map_err(fail)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        if name == "photos" {
            let file_name = file_name.unwrap_or_default();
            let bytes = field.bytes().await.map_err(fail)?;
            if bytes.is_empty() {
                continue;
            }
            if bytes.len() > max_bytes {
                let mb = (max_bytes / 1024 / 1024).to_string();
                return Err(vec![FieldError::field(
                    "photos",
                    tf("error.tip_photo_big", &[("name", &file_name), ("mb", &mb)]),
                )]);
            }
            out.photos.push((file_name, bytes.to_vec()));
        } else if file_name.is_some() {
            return Err(vec![FieldError::field(&name, t("error.tip_photo_field"))]);
        } else {
            let value = field.text().await.map_err(fail)?;
            out.fields.insert(name, value);
        }
    }
    Ok(out)
}

/// Checks the text, the photos (at most [`MAX_PHOTOS`], each an image,
/// re-encoded without metadata) and last the proof of work; every problem is
/// named by its field.
pub(crate) async fn check(
    state: &AppState,
    sub: &Submitted,
) -> Result<Vec<CleanPhoto>, Vec<FieldError>> {
    let mut errors = match sub.input().validate() {
        Ok(_) => Vec::new(),
        Err(CoreError::Invalid(v)) => v,
        Err(_) => Vec::new(),
    };
    if sub.photos.len() > MAX_PHOTOS {
        errors.push(FieldError::field("photos", t("error.tip_photos_many")));
    }
    let mut clean = Vec::new();
    for (name, bytes) in sub.photos.iter().take(MAX_PHOTOS) {
        let bytes = bytes.clone();
        let done = tokio::task::spawn_blocking(move || xuncha_office::photo::clean(&bytes)).await;
        match done {
            Ok(Ok(c)) => clean.push(c),
            Ok(Err(why)) => errors.push(FieldError::field(
                "photos",
                tf(
                    "error.tip_photo",
                    &[("name", name), ("why", &why.to_string())],
                ),
            )),
            Err(_) => errors.push(FieldError::field("photos", t("error_page.internal"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // The proof last: a form with a typo keeps its challenge's work useful
    // for nothing, but a valid one is never refused for a used challenge.
    state
        .guard
        .verify(
            sub.get("pow_token"),
            sub.get("pow_nonce"),
            state.clock.now_ms(),
        )
        .map_err(|e| vec![FieldError::field("pow", t(e.message_key()))])?;
    Ok(clean)
}

/// Stores the cleaned photos as blobs; their SHA-256 names.
pub(crate) async fn store_photos(
    state: &AppState,
    clean: &[CleanPhoto],
) -> Result<Vec<String>, AppError> {
    let mut shas = Vec::new();
    for c in clean {
        shas.push(
            state
                .blobs
                .put(&c.bytes)
                .await
                .map_err(AppError::Internal)?,
        );
    }
    Ok(shas)
}
