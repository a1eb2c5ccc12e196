//! Reading an uploaded file into a [`RawTable`].

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

use crate::cellfmt::cell_text;
use crate::table::TableBuilder;
use crate::{delimited, RawTable, ReadError};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const ODS_MIMETYPE: &[u8] = b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet";

/// What a file is, by content first and name second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xlsb,
    Ods,
    Xls,
    Text,
}

/// Reads the first sheet with data of a spreadsheet, or a delimited text
/// file, into a table of text cells.
///
/// **Format.** Sniffed from the content first: a zip package is `.xlsx`
/// (`.ods` by its mimetype, `.xlsb` by its name), an OLE compound file is
/// `.xls`. Other content goes by `file_name`'s extension, and anything
/// else that is text is read as CSV, so a tab-separated file named `.xls`
/// (some systems export those) reads too. Web pages and Excel 2003 XML
/// saved as `.xls`, Word files, PDFs and pictures are refused with a
/// message saying what they are.
///
/// **Text files.** Decoded as UTF-8 (with or without BOM) when the bytes
/// are valid UTF-8, as UTF-16 when they start with its BOM (Excel's
/// "Unicode text"), else as GB18030 (a superset of GBK and GB2312). The
/// delimiter, comma, tab or semicolon, is the one the header line has most
/// of outside quotes. Quoted cells may hold delimiters, `""` and newlines;
/// `="0123"` (Excel's way to keep digits as text in a CSV) reads `0123`.
///
/// **Cells** become text as a user sees them: integers without `.0`,
/// other numbers to Excel's 15 significant digits (`0.1+0.2` reads `0.3`),
/// date cells `YYYY-MM-DD` (`YYYY-MM-DD HH:MM[:SS]` when they carry a time,
/// `HH:MM` for a bare time), booleans 是/否, error values (`#N/A`) empty.
/// Trailing whitespace is trimmed; leading whitespace is kept.
///
/// **Rows.** [`RawRow::line`] is the row number the user sees in Excel
/// (for a CSV: blank lines count, a quoted cell spanning lines does not
/// add rows). Rows whose cells are all empty are dropped. The header is
/// the first non-blank row, as written, except that up to three leading
/// rows with a single non-empty cell (a title such as `2024年度人员名单`,
/// usually merged across the columns) are skipped when a row with two or
/// more cells follows them. The table is as wide as the header up to its
/// last non-empty cell, widened with empty headers (`""`) where data rows
/// have non-empty cells further right, so that nothing is lost; every row
/// is padded to that width.
///
/// [`RawRow::line`]: crate::RawRow::line
pub fn read_table(bytes: &[u8], file_name: &str) -> Result<RawTable, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    match sniff(bytes, file_name)? {
        Format::Xlsx => {
            let book = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsxError::Password => ReadError::Encrypted,
                calamine::XlsxError::Zip(e) => corrupt(ZIP_BROKEN, e),
                e @ (calamine::XlsxError::FileNotFound(_)
                | calamine::XlsxError::RelationshipNotFound) => other_package(bytes).map_or_else(
                    || corrupt("文件中没有 Excel 工作簿内容", e),
                    ReadError::NotSpreadsheet,
                ),
                e => corrupt(UNREADABLE, e),
            })?;
            from_workbook(book)
        }
        Format::Xlsb => {
            let book = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsbError::Password => ReadError::Encrypted,
                calamine::XlsbError::Zip(e) => corrupt(ZIP_BROKEN, e),
                e => corrupt(UNREADABLE, e),
            })?;
            from_workbook(book)
        }
        Format::Ods => {
            let book = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::OdsError::Password => ReadError::Encrypted,
                calamine::OdsError::Zip(e) => corrupt(ZIP_BROKEN, e),
                e => corrupt(UNREADABLE, e),
            })?;
            from_workbook(book)
        }
        Format::Xls => {
            let book = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => ReadError::Encrypted,
                // Other OLE files: an encrypted .xlsx is stored in one, and
                // so is a Word 97-2003 document.
                _ if contains_utf16(bytes, "EncryptedPackage") => ReadError::Encrypted,
                _ if contains_utf16(bytes, "WordDocument") => {
                    ReadError::NotSpreadsheet("Word 97-2003 文档（.doc）")
                }
                e @ calamine::XlsError::Cfb(_) => corrupt("Excel 97-2003 文件结构已损坏", e),
                e => corrupt(UNREADABLE, e),
            })?;
            from_workbook(book)
        }
        Format::Text => delimited::read(bytes),
    }
}

const ZIP_BROKEN: &str = "文件不完整或压缩结构已损坏（可能是上传或下载中断）";
const UNREADABLE: &str = "工作簿内容无法解析";

fn corrupt(reason: &'static str, e: impl std::fmt::Display) -> ReadError {
    ReadError::Corrupt {
        reason,
        detail: e.to_string(),
    }
}

/// A zip package of another office kind: `Some(what it is)`.
fn other_package(bytes: &[u8]) -> Option<&'static str> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if has(b"word/document.xml") {
        Some("Word 文档")
    } else if has(b"ppt/presentation.xml") {
        Some("PowerPoint 演示文稿")
    } else {
        None
    }
}

fn sniff(bytes: &[u8], file_name: &str) -> Result<Format, ReadError> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return Ok(
            if bytes.get(30..).is_some_and(|b| b.starts_with(ODS_MIMETYPE)) {
                Format::Ods
            } else if ext == "xlsb" {
                Format::Xlsb
            } else if ext == "ods" {
                Format::Ods
            } else {
                Format::Xlsx
            },
        );
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Ok(Format::Xls);
    }
    if let Some(what) = disguise(bytes) {
        return Err(ReadError::Disguised(what));
    }
    let binary = is_binary(bytes);
    match ext.as_str() {
        // Not a zip or OLE file: a broken spreadsheet, or text saved under
        // a spreadsheet's name (some systems export tab-separated ".xls").
        "xlsx" | "xlsm" | "xlsb" | "ods" | "xls" | "et" if binary => Err(corrupt(
            "文件内容不是电子表格格式",
            format!("no zip or OLE signature in .{ext}"),
        )),
        _ if binary => Err(ReadError::UnknownFormat),
        _ => Ok(Format::Text),
    }
}

/// A file that other programs call a spreadsheet but that is really
/// something else; `Some(what it is)`.
fn disguise(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let head = &head[start..];
    if !head.starts_with(b"<") {
        return None;
    }
    let lower = head.to_ascii_lowercase();
    let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
    if has(b"urn:schemas-microsoft-com:office:spreadsheet") {
        Some("XML 表格（Excel 2003 XML 格式）")
    } else if has(b"<html") || has(b"<table") || has(b"<!doctype html") {
        Some("网页（HTML）")
    } else {
        None
    }
}

/// Text has no NUL bytes (UTF-16 text starts with a BOM and is let through)
/// and none of the common binary signatures.
fn is_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return false;
    }
    const SIGNATURES: &[&[u8]] = &[
        b"%PDF",
        b"\x89PNG",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"Rar!",
        b"7z\xBC\xAF",
        b"\x1F\x8B",
        b"{\\rtf",
    ];
    SIGNATURES.iter().any(|s| bytes.starts_with(s)) || bytes[..bytes.len().min(8192)].contains(&0)
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let needle: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The first worksheet that has any non-blank cell; visible sheets before
/// hidden ones (templates hide their lookup lists), chart sheets skipped.
fn from_workbook<R, W>(mut book: W) -> Result<RawTable, ReadError>
where
    R: std::io::Read + std::io::Seek,
    W: Reader<R>,
    W::Error: std::fmt::Display,
{
    let sheets = book.sheets_metadata();
    let mut order: Vec<usize> = (0..sheets.len())
        .filter(|&i| sheets[i].typ != SheetType::ChartSheet)
        .collect();
    order.sort_by_key(|&i| sheets[i].visible != SheetVisible::Visible);
    let mut first_error = None;
    for i in order {
        match book.worksheet_range_at(i) {
            Some(Ok(range)) => match from_range(&range) {
                Err(ReadError::Empty) => continue,
                other => return other,
            },
            Some(Err(e)) => {
                first_error.get_or_insert_with(|| corrupt("工作表内容无法解析", e));
            }
            None => {}
        }
    }
    Err(first_error.unwrap_or(ReadError::Empty))
}

fn from_range(range: &Range<Data>) -> Result<RawTable, ReadError> {
    // The range starts at the first used column: a table that begins in
    // column C has no empty columns A and B.
    let Some((row0, _)) = range.start() else {
        return Err(ReadError::Empty);
    };
    let mut table = TableBuilder::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        table.push(row0 as usize + i + 1, row.iter().map(cell_text).collect());
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_then_name() {
        let s = |b: &[u8], n: &str| sniff(b, n).ok();
        assert_eq!(s(b"PK\x03\x04rest", "a.csv"), Some(Format::Xlsx));
        assert_eq!(s(b"PK\x03\x04rest", "a.xlsb"), Some(Format::Xlsb));
        assert_eq!(s(OLE_MAGIC, "upload"), Some(Format::Xls));
        assert_eq!(
            s("姓名\t单位\n".as_bytes(), "export.xls"),
            Some(Format::Text)
        );
        assert_eq!(s(b"a,b\n", "noext"), Some(Format::Text));
        assert!(matches!(
            sniff(b"%PDF-1.7", "x.pdf"),
            Err(ReadError::UnknownFormat)
        ));
        assert!(matches!(
            sniff(b"\0\0\0", "x.xlsx"),
            Err(ReadError::Corrupt { .. })
        ));
        assert!(matches!(
            sniff(b"<html><table><tr><td>1</td></tr></table></html>", "x.xls"),
            Err(ReadError::Disguised(_))
        ));
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert!(matches!(read_table(b"", "a.csv"), Err(ReadError::Empty)));
        assert!(matches!(
            read_table(b" \r\n", "a.xlsx"),
            Err(ReadError::Empty)
        ));
    }
}
