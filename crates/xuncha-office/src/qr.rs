//! QR codes for printed matter: the public tip page's poster and survey
//! slips. SVG for pages (sharp at any print size), PNG for Word files.

use std::io::Cursor;

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

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

/// A PNG QR code of `text` (`module` pixels a module, four modules of
/// quiet zone), with its pixel size.
pub fn png(text: &str, module: u32) -> Option<(Vec<u8>, (u32, u32))> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let n = code.width() as u32;
    let colors = code.to_colors();
    let side = (n + 8) * module;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / module, y / module);
        let dark = mx >= 4
            && my >= 4
            && mx < n + 4
            && my < n + 4
            && colors[((my - 4) * n + (mx - 4)) as usize] == Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some((out.into_inner(), (side, side)))
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

    #[test]
    fn a_code_becomes_a_png() {
        let (png, (w, h)) = super::png("http://xuncha.example/s/ABCDE12345", 4).expect("fits");
        assert!(png.starts_with(b"\x89PNG"));
        assert_eq!(w, h);
        assert!(w >= (21 + 8) * 4);
    }
}
