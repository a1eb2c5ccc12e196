//! Attachments: type sniffing and the rules of what may be uploaded and who
//! may download it. The bytes are stored by the caller's blob store.

use crate::auth::Actor;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::i18n::tf;
use crate::policy::{self, Action};
use crate::store::{Attachment, Store};

/// Media types accepted for upload, by sniffed content.
pub const ALLOWED: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "text/plain",
];

/// The media type of `bytes` by their first bytes (never by the file name or
/// the browser's claim). Office Open XML files are ZIPs told apart by name.
pub fn sniff(bytes: &[u8], file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_lowercase();
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"PK\x03\x04") {
        Some(if lower.ends_with(".docx") {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        } else if lower.ends_with(".xlsx") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "application/zip"
        })
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Some("application/msword")
    } else if std::str::from_utf8(bytes).is_ok()
        && !bytes.is_empty()
        && !looks_like_markup(bytes)
        && (lower.ends_with(".txt") || lower.ends_with(".csv"))
    {
        Some("text/plain")
    } else {
        None
    }
}

fn looks_like_markup(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    head.contains("<html")
        || head.contains("<script")
        || head.contains("<svg")
        || head.contains("<!doctype")
}

/// Checks an upload and returns its metadata (without storing anything).
pub fn check_upload(
    actor: &Actor,
    clock: &dyn Clock,
    bytes: &[u8],
    file_name: &str,
    sha256: &str,
    max_bytes: usize,
    unit: Option<(i64, &str)>,
) -> Result<Attachment, CoreError> {
    match unit {
        Some((_, path)) => policy::check(actor, Action::UploadAttachment, Some(path))?,
        None => {
            policy::scope(actor, Action::UploadAttachment)?;
        }
    }
    if bytes.len() > max_bytes {
        return Err(CoreError::invalid(
            "file",
            tf(
                "error.upload_too_large",
                &[("mb", &(max_bytes / 1024 / 1024).to_string())],
            ),
        ));
    }
    let mime = sniff(bytes, file_name)
        .filter(|m| ALLOWED.contains(m))
        .ok_or_else(|| CoreError::invalid("file", crate::i18n::t("error.upload_type")))?;
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\'))
        .take(200)
        .collect();
    Ok(Attachment {
        sha256: sha256.to_owned(),
        size: bytes.len() as i64,
        mime: mime.to_owned(),
        original_name: if name.is_empty() {
            "附件".into()
        } else {
            name
        },
        unit_id: unit.map(|(id, _)| id),
        created_by: actor.user_id,
        created_at: clock.now_ms(),
    })
}

/// Records an upload whose bytes the caller stored.
pub async fn record(
    store: &dyn Store,
    clock: &dyn Clock,
    actor: &Actor,
    a: &Attachment,
) -> Result<(), CoreError> {
    Ok(store
        .record_attachment(a, &super::meta(actor, clock))
        .await?)
}

/// The attachment's metadata if the actor may download it: one of its upload
/// records must allow it (the actor uploaded it, or may see its unit).
pub async fn authorize_download(
    store: &dyn Store,
    actor: &Actor,
    sha256: &str,
) -> Result<Attachment, CoreError> {
    for a in store.attachments(sha256).await? {
        if a.created_by == actor.user_id && actor.user_id != 0 {
            return Ok(a);
        }
        let path = match a.unit_id {
            Some(uid) => Some(store.get_unit(uid).await?.path),
            None => None,
        };
        if policy::check(actor, Action::ViewRegistry, path.as_deref()).is_ok() {
            return Ok(a);
        }
    }
    Err(CoreError::NotFound)
}

/// The attachments of a unit the actor may see.
pub async fn of_unit(
    store: &dyn Store,
    actor: &Actor,
    unit_id: i64,
) -> Result<Vec<Attachment>, CoreError> {
    let unit = store.get_unit(unit_id).await?;
    policy::check(actor, Action::ViewRegistry, Some(&unit.path))?;
    Ok(store.unit_attachments(unit_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nxxxx", "a.txt"), Some("image/png"));
        assert_eq!(sniff(b"<html><script>", "a.txt"), None);
        assert_eq!(sniff(b"hello", "a.html"), None);
        assert_eq!(sniff(b"hello", "a.txt"), Some("text/plain"));
        assert_eq!(sniff(b"MZ\x90\x00", "a.exe"), None);
    }
}
