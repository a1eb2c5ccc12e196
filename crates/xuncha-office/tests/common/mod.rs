//! What the tests that open our files in LibreOffice share. They run only
//! when `XUNCHA_TEST_LIBREOFFICE=1` (CI sets it after installing
//! `libreoffice-writer-nogui` and `libreoffice-calc-nogui`); otherwise each
//! prints that it was skipped.

// Each test binary includes this module and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether LibreOffice tests run; prints why `test` is skipped when not.
pub fn libreoffice_enabled(test: &str) -> bool {
    let on = std::env::var("XUNCHA_TEST_LIBREOFFICE").is_ok_and(|v| v == "1");
    if !on {
        println!("skipped {test}: set XUNCHA_TEST_LIBREOFFICE=1 to run it with LibreOffice");
    }
    on
}

/// Converts `file` with `libreoffice --headless --convert-to <to>` into the
/// same directory, with a private profile so tests can run side by side;
/// the converted file, checked to be there and not empty.
pub fn convert(file: &Path, to: &str) -> PathBuf {
    let dir = file.parent().expect("file in a directory");
    let ext = to.split(':').next().unwrap_or(to);
    let profile = dir.join(format!("profile-{ext}"));
    let status = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .arg(file)
        .status()
        .expect("run libreoffice (is it installed?)");
    assert!(status.success(), "libreoffice failed on {}", file.display());
    let out = file.with_extension(ext);
    let len = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    assert!(len > 0, "{} missing or empty", out.display());
    out
}

/// Converts `file` to PDF and checks the PDF has pages in it (more than a
/// kilobyte: an empty document's PDF is smaller).
pub fn convert_to_pdf(file: &Path) -> PathBuf {
    let pdf = convert(file, "pdf");
    let len = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    assert!(len > 1000, "{} has {len} bytes", pdf.display());
    pdf
}
