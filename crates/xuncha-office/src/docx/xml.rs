//! WordprocessingML fragments: escaped text, runs, paragraphs, tables.

use std::fmt::Write as _;

use super::parts::{CHAR_TWIPS, SIZE_4, SIZE_S4, TEXT_WIDTH_TWIPS};
use crate::width::{display_width, is_wide};

/// Text escaped for XML content and attributes; characters XML 1.0 forbids
/// (control characters other than tab and newlines) are dropped.
pub(super) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// One run of `text` with run properties `rpr` (may be empty); newlines
/// become line breaks and tabs tab characters.
pub(super) fn run(text: &str, rpr: &str) -> String {
    let mut out = String::from("<w:r>");
    if !rpr.is_empty() {
        let _ = write!(out, "<w:rPr>{rpr}</w:rPr>");
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        for (j, part) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !part.is_empty() {
                let _ = write!(out, r#"<w:t xml:space="preserve">{}</w:t>"#, escape(part));
            }
        }
    }
    out.push_str("</w:r>");
    out
}

/// A paragraph of style `style` with extra paragraph properties `ppr`
/// (already in schema order after `w:pStyle`).
pub(super) fn paragraph(style: &str, ppr: &str, text: &str, rpr: &str) -> String {
    let runs = if text.is_empty() {
        String::new()
    } else {
        run(text, rpr)
    };
    format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p>"#)
}

/// An empty line.
pub(super) const EMPTY_PARAGRAPH: &str = "<w:p/>";

/// A page break.
pub(super) const PAGE_BREAK: &str = r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#;

/// Width of text in 三号 characters: a CJK character is one, others half.
pub(super) fn chars_width(s: &str) -> f64 {
    s.chars().map(|c| if is_wide(c) { 1.0 } else { 0.5 }).sum()
}

/// Right indent of `chars` characters, as both character units and twips.
pub(super) fn right_indent(chars: f64) -> String {
    let chars = chars.max(0.0);
    format!(
        r#"<w:ind w:right="{}" w:rightChars="{}"/>"#,
        (chars * f64::from(CHAR_TWIPS)).round() as u32,
        (chars * 100.0).round() as u32
    )
}

/// A full-width table with single borders: a repeated header row (黑体)
/// and text cells, columns sized by their content. Rows shorter than the
/// widest are padded.
pub(super) fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([headers.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return String::new();
    }
    let size = if columns <= 5 { SIZE_4 } else { SIZE_S4 };
    let rpr = format!(r#"<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#);
    let widths = column_widths(headers, rows, columns);
    let border =
        |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>"#);
    let mut out = String::from("<w:tbl><w:tblPr>");
    let _ = write!(
        out,
        r#"<w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>"#,
        border("top"),
        border("left"),
        border("bottom"),
        border("right"),
        border("insideH"),
        border("insideV"),
    );
    for w in &widths {
        let _ = write!(out, r#"<w:gridCol w:w="{w}"/>"#);
    }
    out.push_str("</w:tblGrid>");
    let mut row_xml = |cells: &[String], header: bool| {
        out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if header {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
        let style = if header {
            "GwTableHeader"
        } else {
            "GwTableText"
        };
        for (c, w) in widths.iter().enumerate() {
            let text = cells.get(c).map_or("", String::as_str);
            let _ = write!(
                out,
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
                paragraph(style, "", text, &rpr)
            );
        }
        out.push_str("</w:tr>");
    };
    if !headers.is_empty() {
        row_xml(headers, true);
    }
    for r in rows {
        row_xml(r, false);
    }
    out.push_str("</w:tbl>");
    out
}

/// Column widths in twips summing to the type area, each in proportion to
/// its widest text (between 4 and 30 half-width units).
fn column_widths(headers: &[String], rows: &[Vec<String>], columns: usize) -> Vec<u32> {
    let mut weights = vec![4usize; columns];
    let texts = std::iter::once(headers).chain(rows.iter().map(Vec::as_slice));
    for cells in texts {
        for (c, t) in cells.iter().enumerate() {
            weights[c] = weights[c].max(display_width(t).min(30));
        }
    }
    let total: usize = weights.iter().sum();
    weights
        .iter()
        .map(|w| (TEXT_WIDTH_TWIPS as usize * w / total) as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_drops_invalid_characters() {
        assert_eq!(escape("a<b>&\"'\u{1}c"), "a&lt;b&gt;&amp;&quot;&apos;c");
    }

    #[test]
    fn runs_break_lines_and_tabs() {
        assert_eq!(
            run("一\n二\tx", ""),
            r#"<w:r><w:t xml:space="preserve">一</w:t><w:br/><w:t xml:space="preserve">二</w:t><w:tab/><w:t xml:space="preserve">x</w:t></w:r>"#
        );
    }

    #[test]
    fn table_columns_fill_the_type_area() {
        let headers = vec!["序号".to_owned(), "问题描述".to_owned()];
        let rows = vec![vec!["1".to_owned(), "很".repeat(40)]];
        let w = column_widths(&headers, &rows, 2);
        assert!(w[1] > w[0] * 5);
        assert!(w.iter().sum::<u32>() <= TEXT_WIDTH_TWIPS);
        assert!(table(&[], &[]).is_empty());
    }

    #[test]
    fn character_widths() {
        assert_eq!(chars_width("2024年1月5日"), 6.0);
        assert_eq!(
            right_indent(4.0),
            r#"<w:ind w:right="1280" w:rightChars="400"/>"#
        );
    }
}
