//! Official documents (公文) as Word `.docx` files, laid out after
//! GB/T 9704-2012 《党政机关公文格式》.
//!
//! * A4 paper; margins top 37mm, bottom 35mm, left 28mm, right 26mm
//!   (a 156mm × 225mm type area); lines exactly 28.95pt apart (22 a page).
//! * Title in 方正小标宋简体 二号 (22pt), centred; an optional 发文字号
//!   above it and subtitle below it; a blank line, then the 主送机关.
//! * Body in 仿宋_GB2312 三号 (16pt), first line indented two characters;
//!   level-1 headings (`一、`) in 黑体, level-2 (`（一）`) in 楷体_GB2312,
//!   level-3 (`1.`) in bold 仿宋; headings carry outline levels, so Word's
//!   navigation pane lists them.
//! * 发文机关署名 centred over the 成文日期, which sits four characters in
//!   from the right, after two blank lines (room for the seal).
//! * Page numbers `— 1 —` in 宋体 四号 at the foot, odd pages on the right
//!   and even pages on the left, one character in.
//!
//! Fonts are named as Chinese government machines have them; the package's
//! font table tells Word to use 仿宋, 楷体 and 华文中宋 where the
//! `_GB2312` and 方正 fonts are not installed.
//!
//! The package is written by hand (plain OOXML parts in a zip), with no
//! timestamps, so the same document always gives the same bytes.

mod parts;
mod xml;

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::WriteError;
use parts::{LINE_TWIPS, NS, RID_FOOTER_EVEN, RID_FOOTER_ODD};
use xml::{chars_width, paragraph, right_indent, EMPTY_PARAGRAPH, PAGE_BREAK};

/// An official document: title block, body and signature.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The title; a newline splits it into centred lines.
    pub title: String,
    /// 发文字号, e.g. `X巡发〔2024〕3号`, centred above the title.
    pub doc_number: Option<String>,
    /// A subtitle, centred below the title in 楷体.
    pub subtitle: Option<String>,
    /// 主送机关, the recipient line; a full-width colon is added when it
    /// does not end with one.
    pub recipient: Option<String>,
    /// The body.
    pub blocks: Vec<Block>,
    /// 发文机关署名, the issuing body, right of the end of the body.
    pub signature: Option<String>,
    /// 成文日期: `YYYY-MM-DD` is written `2024年1月5日`, anything else as
    /// given.
    pub date: Option<String>,
}

/// One block of a document's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A level-1 heading in 黑体; the text carries its number (`一、概况`).
    Heading1(String),
    /// A level-2 heading in 楷体_GB2312 (`（一）存在的问题`).
    Heading2(String),
    /// A level-3 heading in bold 仿宋 (`1.组织建设方面`).
    Heading3(String),
    /// Body text; each line (split at newlines) is its own paragraph,
    /// first line indented two characters. An empty one is a blank line.
    Paragraph(String),
    /// A full-width table with a header row repeated on every page.
    Table {
        /// Column headers (may be empty for a table without a header).
        headers: Vec<String>,
        /// Rows of cell text; a newline in a cell breaks the line.
        rows: Vec<Vec<String>>,
    },
    /// A picture (PNG or JPEG bytes), centred, `width_mm` wide with its
    /// aspect kept; a caption in the body font below it, if given.
    Image {
        /// The encoded image.
        bytes: Vec<u8>,
        /// Its pixel size (for the aspect ratio).
        pixels: (u32, u32),
        /// Printed width, millimetres.
        width_mm: f64,
        /// A line under it.
        caption: Option<String>,
    },
    /// Starts a new page.
    PageBreak,
}

/// Writes `doc` as a `.docx` file.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, WriteError> {
    // Images become parts of their own, numbered in document order.
    let images: Vec<(String, &[u8])> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Image { bytes, .. } => Some(bytes.as_slice()),
            _ => None,
        })
        .enumerate()
        .map(|(n, bytes)| {
            let ext = if bytes.starts_with(b"\x89PNG") {
                "png"
            } else {
                "jpeg"
            };
            (format!("media/image{n}.{ext}"), bytes)
        })
        .collect();
    let targets: Vec<String> = images.iter().map(|(t, _)| t.clone()).collect();
    let parts: [(&str, String); 10] = [
        ("[Content_Types].xml", parts::content_types()),
        ("_rels/.rels", parts::package_rels()),
        (
            "docProps/core.xml",
            parts::core_props(&doc.title.replace('\n', "")),
        ),
        ("docProps/app.xml", parts::app_props()),
        (
            "word/_rels/document.xml.rels",
            parts::document_rels(&targets),
        ),
        ("word/document.xml", document_xml(doc)),
        ("word/styles.xml", parts::styles()),
        ("word/settings.xml", parts::settings()),
        ("word/fontTable.xml", parts::font_table()),
        ("word/footer1.xml", parts::footer(true)),
    ];
    let footer_even = ("word/footer2.xml", parts::footer(false));
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let zip_err = |e: zip::result::ZipError| WriteError::Docx(e.to_string());
    let io_err = |e: std::io::Error| WriteError::Docx(e.to_string());
    for (name, body) in parts.iter().chain([&footer_even]) {
        zip.start_file(*name, options).map_err(zip_err)?;
        zip.write_all(body.as_bytes()).map_err(io_err)?;
    }
    // Already compressed: stored as they are.
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    for (target, bytes) in &images {
        zip.start_file(format!("word/{target}"), stored)
            .map_err(zip_err)?;
        zip.write_all(bytes).map_err(io_err)?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

/// An inline picture in a centred paragraph whose line height follows the
/// picture (the body's exact line spacing would clip it).
fn image_paragraph(n: usize, pixels: (u32, u32), width_mm: f64) -> String {
    // DrawingML measures in EMU: 36,000 a millimetre.
    let cx = (width_mm * 36_000.0).round() as u64;
    let cy = (cx as f64 * f64::from(pixels.1.max(1)) / f64::from(pixels.0.max(1))).round() as u64;
    let rid = parts::image_rid(n);
    let id = n + 1;
    format!(
        r#"<w:p><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="图片{id}"/><wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="{id}" name="image{n}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"#
    )
}

fn document_xml(doc: &Document) -> String {
    let mut body = String::new();
    if let Some(n) = non_empty(&doc.doc_number) {
        body.push_str(&paragraph("GwDocNumber", "", n, ""));
        body.push_str(EMPTY_PARAGRAPH);
    }
    if !doc.title.trim().is_empty() {
        body.push_str(&paragraph("Title", "", doc.title.trim(), ""));
    }
    if let Some(s) = non_empty(&doc.subtitle) {
        body.push_str(&paragraph("Subtitle", "", s, ""));
    }
    if !doc.title.trim().is_empty() || doc.subtitle.is_some() {
        body.push_str(EMPTY_PARAGRAPH);
    }
    if let Some(r) = non_empty(&doc.recipient) {
        let r = if r.ends_with('：') || r.ends_with(':') {
            r.to_owned()
        } else {
            format!("{r}：")
        };
        body.push_str(&paragraph("Normal", "", &r, ""));
    }
    let mut image_n = 0;
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Image {
                pixels,
                width_mm,
                caption,
                ..
            } => {
                body.push_str(&image_paragraph(image_n, *pixels, *width_mm));
                image_n += 1;
                if let Some(c) = caption.as_deref().filter(|c| !c.trim().is_empty()) {
                    let ppr = r#"<w:ind w:firstLine="0"/><w:jc w:val="center"/>"#;
                    body.push_str(&paragraph("GwBody", ppr, c.trim(), ""));
                }
            }
            Block::Heading1(t) => body.push_str(&paragraph("Heading1", "", t, "")),
            Block::Heading2(t) => body.push_str(&paragraph("Heading2", "", t, "")),
            Block::Heading3(t) => body.push_str(&paragraph("Heading3", "", t, "")),
            Block::Paragraph(t) if t.trim().is_empty() => body.push_str(EMPTY_PARAGRAPH),
            Block::Paragraph(t) => {
                for line in t.lines() {
                    body.push_str(&paragraph("GwBody", "", line, ""));
                }
            }
            Block::Table { headers, rows } => {
                body.push_str(&xml::table(headers, rows));
                // Word joins adjacent tables and wants a paragraph at the end.
                let next_is_table = matches!(doc.blocks.get(i + 1), Some(Block::Table { .. }));
                if next_is_table || i + 1 == doc.blocks.len() {
                    body.push_str(EMPTY_PARAGRAPH);
                }
            }
            Block::PageBreak => body.push_str(PAGE_BREAK),
        }
    }
    signature(doc, &mut body);
    format!(
        r#"{}<w:document {NS}><w:body>{body}{}</w:body></w:document>"#,
        parts::DECL,
        section()
    )
}

/// 署名 centred over 成文日期; the date four characters in from the right.
fn signature(doc: &Document, body: &mut String) {
    let sig = non_empty(&doc.signature);
    let date = non_empty(&doc.date).map(chinese_date);
    if sig.is_none() && date.is_none() {
        return;
    }
    body.push_str(EMPTY_PARAGRAPH);
    body.push_str(EMPTY_PARAGRAPH);
    let date_right = 4.0;
    if let Some(s) = sig {
        let right = match &date {
            Some(d) => date_right + (chars_width(d) - chars_width(s)) / 2.0,
            None => date_right,
        };
        let ppr = format!(r#"{}<w:jc w:val="right"/>"#, right_indent(right));
        body.push_str(&paragraph("Normal", &ppr, s, ""));
    }
    if let Some(d) = date {
        let ppr = format!(r#"{}<w:jc w:val="right"/>"#, right_indent(date_right));
        body.push_str(&paragraph("Normal", &ppr, &d, ""));
    }
}

/// `2024-01-05` → `2024年1月5日`; other text unchanged.
pub(crate) fn chinese_date(s: &str) -> String {
    let parts: Vec<&str> = s.trim().split('-').collect();
    if let [y, m, d] = parts.as_slice() {
        if let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u16>(), m.parse::<u8>(), d.parse::<u8>()) {
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return format!("{y}年{m}月{d}日");
            }
        }
    }
    s.trim().to_owned()
}

/// A4 page, GB/T 9704 margins, 22-line grid, odd/even page-number footers.
fn section() -> String {
    // Millimetres to twips.
    let mm = |v: f64| (v * 1440.0 / 25.4).round() as u32;
    format!(
        r#"<w:sectPr><w:footerReference w:type="default" r:id="{RID_FOOTER_ODD}"/><w:footerReference w:type="even" r:id="{RID_FOOTER_EVEN}"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="851" w:footer="{}" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="{LINE_TWIPS}"/></w:sectPr>"#,
        mm(37.0),
        mm(26.0),
        mm(35.0),
        mm(28.0),
        // The page number sits 7mm under the type area: its line (4号)
        // ends about 22mm above the paper's edge.
        mm(22.0),
    )
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_chinese_way() {
        assert_eq!(chinese_date("2024-01-05"), "2024年1月5日");
        assert_eq!(chinese_date("2024年1月5日"), "2024年1月5日");
        assert_eq!(chinese_date("2024-13-05"), "2024-13-05");
    }

    #[test]
    fn document_xml_has_the_layout() {
        let doc = Document {
            title: "关于巡察情况的报告".into(),
            recipient: Some("县委巡察工作领导小组".into()),
            blocks: vec![
                Block::Heading1("一、基本情况".into()),
                Block::Paragraph("第一段。\n第二段 <&>".into()),
                Block::Table {
                    headers: vec!["序号".into(), "问题".into()],
                    rows: vec![vec!["1".into(), "台账不全".into()]],
                },
            ],
            signature: Some("县委第一巡察组".into()),
            date: Some("2024-01-05".into()),
            ..Document::default()
        };
        let x = document_xml(&doc);
        assert!(x.contains("县委巡察工作领导小组："));
        assert!(x.contains("第二段 &lt;&amp;&gt;"));
        assert!(x.contains("2024年1月5日"));
        assert!(x.contains(r#"w:top="2098""#));
        assert!(x.contains(r#"w:left="1587""#));
        assert_eq!(x.matches(r#"<w:pStyle w:val="GwBody"/>"#).count(), 2);
        assert!(x.contains("<w:tblHeader/>"));
    }

    #[test]
    fn same_document_same_bytes() {
        let doc = Document {
            title: "标题".into(),
            ..Document::default()
        };
        let a = write_docx(&doc).expect("docx");
        let b = write_docx(&doc).expect("docx");
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK\x03\x04"));
    }
}
