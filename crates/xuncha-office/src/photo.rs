//! Photos sent by the public or taken in the field: decoded and encoded
//! again, which drops every byte of metadata (EXIF with GPS and the camera's
//! serial number, XMP, IPTC, comments, thumbnails) because only pixels
//! survive the round trip. The EXIF orientation is applied first so the
//! picture still stands the right way up, and the long side is capped.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

/// Longest side of a stored photo, pixels.
pub const MAX_SIDE: u32 = 2560;

/// A photo ready to store.
#[derive(Debug, Clone)]
pub struct CleanPhoto {
    /// The encoded bytes.
    pub bytes: Vec<u8>,
    /// Its MIME type (`image/jpeg` or `image/png`).
    pub mime: &'static str,
    /// Width and height.
    pub size: (u32, u32),
}

/// Why a file is not a photo we accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// Not a JPEG, PNG or WebP image.
    #[error("照片格式不支持（只接受 JPEG、PNG、WebP 图片）")]
    NotAnImage,
    /// The file claims to be an image but does not decode.
    #[error("照片文件已损坏，无法读取")]
    Corrupt,
    /// The picture is too large to decode safely.
    #[error("照片尺寸过大")]
    TooLarge,
}

/// Decodes, orients, shrinks and re-encodes a photo. Photographs become
/// JPEG; PNG (screenshots, where JPEG would blur the text) stays PNG.
pub fn clean(bytes: &[u8]) -> Result<CleanPhoto, PhotoError> {
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // A 30-megapixel phone photo fits; a decompression bomb does not.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Corrupt)?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge,
        _ => PhotoError::Corrupt,
    })?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    if img.width() > MAX_SIDE || img.height() > MAX_SIDE {
        img = img.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let mut out = Cursor::new(Vec::new());
    let mime = if format == ImageFormat::Png {
        img.write_to(&mut out, ImageFormat::Png)
            .map_err(|_| PhotoError::Corrupt)?;
        "image/png"
    } else {
        let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
        let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
        rgb.write_with_encoder(enc)
            .map_err(|_| PhotoError::Corrupt)?;
        "image/jpeg"
    };
    Ok(CleanPhoto {
        bytes: out.into_inner(),
        mime,
        size: (img.width(), img.height()),
    })
}

/// The MIME type of stored photo bytes (as written by [`clean`]).
pub fn mime_of(bytes: &[u8]) -> &'static str {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Png) => "image/png",
        _ => "image/jpeg",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG with an APP1 (EXIF) segment carrying a GPS-like marker string,
    /// inserted right after SOI as cameras do.
    fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
        let img =
            DynamicImage::ImageRgb8(image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 30])));
        let mut plain = Cursor::new(Vec::new());
        img.write_to(&mut plain, ImageFormat::Jpeg).expect("encode");
        let plain = plain.into_inner();
        let payload = b"Exif\0\0GPSLatitude=24.1234;SerialNumber=CAM-998877";
        let len = (payload.len() + 2) as u16;
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_does_not_survive() {
        let raw = jpeg_with_exif(64, 48);
        assert!(contains(&raw, b"GPSLatitude"));
        let c = clean(&raw).expect("a photo");
        assert_eq!(c.mime, "image/jpeg");
        assert_eq!(c.size, (64, 48));
        assert!(!contains(&c.bytes, b"GPSLatitude"));
        assert!(!contains(&c.bytes, b"CAM-998877"));
        assert!(!contains(&c.bytes, b"Exif"));
    }

    #[test]
    fn big_photos_shrink_and_screenshots_stay_png() {
        let big = DynamicImage::ImageRgb8(image::RgbImage::new(4000, 1000));
        let mut b = Cursor::new(Vec::new());
        big.write_to(&mut b, ImageFormat::Png).expect("encode");
        let c = clean(b.get_ref()).expect("a photo");
        assert_eq!(c.mime, "image/png");
        assert_eq!(c.size, (MAX_SIDE, 640));
        assert_eq!(mime_of(&c.bytes), "image/png");
    }

    #[test]
    fn other_files_are_refused_by_content() {
        assert_eq!(
            clean(b"%PDF-1.7 not a photo").unwrap_err(),
            PhotoError::NotAnImage
        );
        let mut broken = jpeg_with_exif(16, 16);
        broken.truncate(120);
        assert_eq!(clean(&broken).unwrap_err(), PhotoError::Corrupt);
        assert!(PhotoError::NotAnImage.to_string().contains("JPEG"));
    }
}
