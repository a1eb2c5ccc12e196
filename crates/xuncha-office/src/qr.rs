//! QR codes for printed matter: the public tip page's poster and survey
//! slips. SVG for pages (sharp at any print size).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code of `text` (medium error correction, which survives a
/// creased or smudged print), `size` pixels square at least.
pub fn svg(text: &str, size: u32) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(size, size)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_url_becomes_an_svg() {
        let s = super::svg("http://xuncha.example/tip/12", 200).expect("fits");
        assert!(s.starts_with("<?xml"));
        assert!(s.contains("<svg"));
        assert!(s.contains("width=\""));
    }
}
