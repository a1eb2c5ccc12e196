//! Reading an uploaded file into a [`RawTable`].

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, Xls, Xlsb, Xlsx};

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
/// The format is sniffed from the content (a zip package is `.xlsx`, or
/// `.ods`/`.xlsb` by its mimetype or name; an OLE compound file is `.xls`),
/// then taken from `file_name`'s extension, and anything else that is text
/// is read as CSV. Text is decoded as UTF-8 (with or without BOM) when
/// valid, UTF-16 with a BOM, or else GB18030/GBK; the delimiter (comma, tab
/// or semicolon) is taken from the header line.
///
/// Cells become text as a user sees them: integers without `.0`, other
/// numbers to 15 significant digits, dates `YYYY-MM-DD` (`YYYY-MM-DD HH:MM`
/// when they have a time), booleans 是/否, error values empty, trailing
/// whitespace trimmed. Blank rows are dropped but [`RawRow::line`] stays the
/// row number the user sees; title rows above the header are skipped; cells
/// right of the last header are kept under empty headers. See the `table`
/// module for the exact rules.
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
                e => ReadError::Corrupt(e.to_string()),
            })?;
            from_workbook(book)
        }
        Format::Xlsb => {
            let book = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsbError::Password => ReadError::Encrypted,
                e => ReadError::Corrupt(e.to_string()),
            })?;
            from_workbook(book)
        }
        Format::Ods => {
            let book = Ods::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::OdsError::Password => ReadError::Encrypted,
                e => ReadError::Corrupt(e.to_string()),
            })?;
            from_workbook(book)
        }
        Format::Xls => {
            if contains_utf16(bytes, "EncryptedPackage") {
                // An encrypted .xlsx is stored inside an OLE file.
                return Err(ReadError::Encrypted);
            }
            let book = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => ReadError::Encrypted,
                e => ReadError::Corrupt(e.to_string()),
            })?;
            from_workbook(book)
        }
        Format::Text => delimited::read(bytes),
    }
}

fn sniff(bytes: &[u8], file_name: &str) -> Result<Format, ReadError> {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return Ok(if bytes.get(30..).is_some_and(|b| b.starts_with(ODS_MIMETYPE)) {
            Format::Ods
        } else if ext == "xlsb" {
            Format::Xlsb
        } else if ext == "ods" {
            Format::Ods
        } else {
            Format::Xlsx
        });
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
        "xlsx" | "xlsm" | "xlsb" | "ods" | "xls" | "et" if binary => Err(ReadError::Corrupt(
            "文件内容不是电子表格格式".to_owned(),
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
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0);
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
    SIGNATURES.iter().any(|s| bytes.starts_with(s))
        || bytes[..bytes.len().min(8192)].contains(&0)
}

fn contains_utf16(bytes: &[u8], needle: &str) -> bool {
    let needle: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The first sheet that has any non-blank cell.
fn from_workbook<R, W>(mut book: W) -> Result<RawTable, ReadError>
where
    R: std::io::Read + std::io::Seek,
    W: Reader<R>,
    W::Error: std::fmt::Display,
{
    let count = book.sheet_names().len();
    let mut first_error = None;
    for i in 0..count {
        match book.worksheet_range_at(i) {
            Some(Ok(range)) => match from_range(&range) {
                Err(ReadError::Empty) => continue,
                other => return other,
            },
            Some(Err(e)) => {
                first_error.get_or_insert_with(|| e.to_string());
            }
            None => {}
        }
    }
    match first_error {
        Some(e) => Err(ReadError::Corrupt(e)),
        None => Err(ReadError::Empty),
    }
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
        assert_eq!(s("姓名\t单位\n".as_bytes(), "export.xls"), Some(Format::Text));
        assert_eq!(s(b"a,b\n", "noext"), Some(Format::Text));
        assert!(matches!(sniff(b"%PDF-1.7", "x.pdf"), Err(ReadError::UnknownFormat)));
        assert!(matches!(sniff(b"\0\0\0", "x.xlsx"), Err(ReadError::Corrupt(_))));
        assert!(matches!(
            sniff(b"<html><table><tr><td>1</td></tr></table></html>", "x.xls"),
            Err(ReadError::Disguised(_))
        ));
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert!(matches!(read_table(b"", "a.csv"), Err(ReadError::Empty)));
        assert!(matches!(read_table(b" \r\n", "a.xlsx"), Err(ReadError::Empty)));
    }
}
