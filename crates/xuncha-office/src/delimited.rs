//! CSV and other delimited text: encoding and delimiter detection.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};

use crate::table::TableBuilder;
use crate::{RawTable, ReadError};

/// Decodes text: UTF-8 (a BOM is dropped) when the bytes are valid UTF-8,
/// UTF-16 when they start with its BOM (Excel's "Unicode text"), else
/// GB18030, the superset of GBK and GB2312 that Chinese Excel and WPS write.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReadError> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        if enc == UTF_16LE || enc == UTF_16BE {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
            return if had_errors {
                Err(ReadError::Encoding)
            } else {
                Ok(text)
            };
        }
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(Cow::Borrowed(s));
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(body);
    if had_errors {
        return Err(ReadError::Encoding);
    }
    Ok(text)
}

/// The delimiter of the first non-empty line: whichever of comma, tab and
/// semicolon occurs most often outside quotes (comma on a tie or none).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let line = text
        .split(['\n', '\r'])
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let (mut comma, mut tab, mut semi) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => comma += 1,
            '\t' if !quoted => tab += 1,
            ';' if !quoted => semi += 1,
            _ => {}
        }
    }
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma && semi > tab {
        b';'
    } else {
        b','
    }
}

/// Reads delimited text into a table. A record's row number is the one a
/// spreadsheet program shows when it opens the file: blank lines count as
/// rows, and a quoted cell spanning several lines is still one row.
pub(crate) fn read(bytes: &[u8]) -> Result<RawTable, ReadError> {
    let text = decode(bytes)?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut table = TableBuilder::with_capacity(text.len() / 64);
    let mut record = csv::StringRecord::new();
    let bytes = text.as_bytes();
    let mut row = 0usize;
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| csv_error(&e, row))?;
        if !more {
            break;
        }
        // The parser skips empty lines before a record without counting
        // them (and its line numbers lag on CRLF), so count them here.
        let start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        row += 1 + blank_lines_at(bytes, start);
        table.push(row, record.iter().map(unwrap_formula_text).collect());
    }
    table.finish()
}

/// Line breaks (CRLF, CR or LF) at `start`, not counting the LF of a CRLF
/// that began before it: the empty lines before a record.
fn blank_lines_at(bytes: &[u8], start: usize) -> usize {
    let mut breaks = 0;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' if i > 0 && bytes[i - 1] == b'\r' => {}
            b'\n' | b'\r' => breaks += 1,
            _ => break,
        }
        i += 1;
    }
    breaks
}

/// `="0123"`, Excel's trick for keeping digits as text in a CSV, → `0123`.
fn unwrap_formula_text(field: &str) -> String {
    field
        .strip_prefix("=\"")
        .and_then(|f| f.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'))
        .unwrap_or(field)
        .to_owned()
}

fn csv_error(e: &csv::Error, row: usize) -> ReadError {
    let line = e
        .position()
        .map_or(row + 1, |p| usize::try_from(p.line()).unwrap_or(row + 1));
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "含有无法识别的字符".to_owned(),
        csv::ErrorKind::UnequalLengths { .. } => "列数与表头不一致".to_owned(),
        _ => format!("无法解析（{e}）"),
    };
    ReadError::Csv { line, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_from_the_header_line() {
        assert_eq!(sniff_delimiter("a,b,c\n1\t2"), b',');
        assert_eq!(sniff_delimiter("\n\na\tb\tc\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b;c"), b';');
        assert_eq!(sniff_delimiter("\"a,b\";c"), b';');
        assert_eq!(sniff_delimiter("姓名"), b',');
    }

    #[test]
    fn decodes_utf8_bom_gbk_and_utf16() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").expect("utf8"), "abc");
        let (gbk, _, _) = GB18030.encode("姓名,单位");
        assert_eq!(decode(&gbk).expect("gbk"), "姓名,单位");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "姓名\t单位".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).expect("utf16"), "姓名\t单位");
    }

    #[test]
    fn row_numbers_count_blank_lines_and_multiline_cells_once() {
        let csv = "姓名,备注\n张三,\"第一行\n第二行\"\n\n,\n李四,无\n";
        let t = read(csv.as_bytes()).expect("table");
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 5]);
        assert_eq!(t.rows[0].cells[1], "第一行\n第二行");
    }

    #[test]
    fn blank_lines_with_any_line_ending() {
        for text in [
            "a,b\n1,2\n\n3,4\n",
            "a,b\r\n1,2\r\n\r\n3,4\r\n",
            "a,b\r1,2\r\r3,4\r",
        ] {
            let t = read(text.as_bytes()).expect("table");
            let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 4], "{text:?}");
        }
        let t = read(b"\n\r\n\na,b\n1,2").expect("table");
        assert_eq!(t.rows[0].line, 5);
    }

    #[test]
    fn crlf_and_formula_text() {
        let csv = "姓名,身份证号\r\n张三,=\"011010199003077777\"\r\n\r\n李四,x\r\n";
        let t = read(csv.as_bytes()).expect("table");
        assert_eq!(t.rows[0].cells[1], "011010199003077777");
        assert_eq!(t.rows[1].line, 4);
    }
}
