//! Backups: one `.tar` holding a consistent snapshot of the SQLite database
//! (`VACUUM INTO`, safe while the server writes) and the attachments. For
//! PostgreSQL the database is backed up with pg_dump (see the README) and
//! the file holds the attachments only.

use std::fs::File;
use std::path::Path;

use anyhow::Context;
use xuncha_core::i18n::{t, tf};
use xuncha_db::Opened;

const DB_ENTRY: &str = "xuncha.db";
const ATTACHMENTS: &str = "attachments";
const MANIFEST: &str = "manifest.json";

/// Writes a backup of the installation to `out`; returns a summary line.
pub async fn create(opened: &Opened, attachments: &Path, out: &Path) -> anyhow::Result<String> {
    let work = tempdir_near(out)?;
    let mut manifest = serde_json::json!({
        "format": 1,
        "created_at": time_now(),
        "database": "postgres",
    });
    let snapshot = work.join(DB_ENTRY);
    if let Opened::Sqlite(s) = opened {
        s.snapshot_to(&snapshot)
            .await
            .context(t("cli.snapshot_failed"))?;
        manifest["database"] = "sqlite".into();
    }
    let file = File::create(out)
        .with_context(|| tf("cli.create_file", &[("path", &out.display().to_string())]))?;
    let mut tar = tar::Builder::new(file);
    let mut files = 0usize;
    if snapshot.exists() {
        tar.append_path_with_name(&snapshot, DB_ENTRY)?;
    }
    if attachments.exists() {
        for entry in walk(attachments)? {
            let rel = entry.strip_prefix(attachments)?;
            if rel
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
            {
                continue; // an upload still being written
            }
            tar.append_path_with_name(&entry, Path::new(ATTACHMENTS).join(rel))?;
            files += 1;
        }
    }
    manifest["attachments"] = files.into();
    let bytes = serde_json::to_vec_pretty(&manifest)?;
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, bytes.as_slice())?;
    tar.finish()?;
    std::fs::remove_dir_all(&work).ok();
    Ok(tf(
        "cli.backup_done",
        &[
            ("path", &out.display().to_string()),
            (
                "database",
                t(if snapshot.exists() {
                    "cli.backup_sqlite"
                } else {
                    "cli.backup_postgres"
                }),
            ),
            ("files", &files.to_string()),
        ],
    ))
}

/// Restores a backup into `data` (which must not hold a database yet).
pub fn restore(file: &Path, data: &Path) -> anyhow::Result<String> {
    let db = data.join(DB_ENTRY);
    anyhow::ensure!(
        !db.exists(),
        "{}",
        tf(
            "cli.restore_not_empty",
            &[("path", &db.display().to_string())]
        )
    );
    std::fs::create_dir_all(data)?;
    let mut archive = tar::Archive::new(
        File::open(file)
            .with_context(|| tf("cli.open_file", &[("path", &file.display().to_string())]))?,
    );
    let mut n = 0usize;
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.into_owned();
        // Only our own entries, never an absolute path or `..`.
        let ok = path == Path::new(DB_ENTRY)
            || path == Path::new(MANIFEST)
            || (path.starts_with(ATTACHMENTS)
                && path
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_))));
        anyhow::ensure!(
            ok,
            "{}",
            tf(
                "cli.restore_bad_entry",
                &[("path", &path.display().to_string())]
            )
        );
        if path == Path::new(MANIFEST) {
            continue;
        }
        entry.unpack_in(data)?;
        n += 1;
    }
    Ok(tf(
        "cli.restore_done",
        &[
            ("file", &file.display().to_string()),
            ("path", &data.display().to_string()),
            ("n", &n.to_string()),
        ],
    ))
}

fn walk(dir: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn tempdir_near(out: &Path) -> anyhow::Result<std::path::PathBuf> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = parent.join(format!(".xuncha-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let snap = dir.join(DB_ENTRY);
    if snap.exists() {
        std::fs::remove_file(&snap)?;
    }
    Ok(dir)
}

fn time_now() -> i64 {
    use xuncha_core::clock::Clock;
    xuncha_core::clock::SystemClock.now_ms()
}
