//! Ledger-style (台账) `.xlsx` export.

use rust_xlsxwriter::{
    ColNum, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
};

use crate::cellfmt::number_text;
use crate::width::display_width;
use crate::WriteError;

/// Rows per sheet Excel allows.
const MAX_ROWS: usize = 1_048_576;
/// Columns per sheet Excel allows.
const MAX_COLUMNS: usize = 16_384;
/// Characters per cell Excel allows; longer text is cut.
const MAX_CELL_CHARS: usize = 32_767;
/// Integers beyond ±2^53 lose digits as Excel numbers and are written as text.
const MAX_EXACT_INT: i64 = 1 << 53;
/// Font of every cell: SimSun, what Chinese ledgers are printed in.
const FONT: &str = "宋体";
/// Height of one line of 11pt text, in points.
const LINE_HEIGHT: f64 = 15.0;
/// Excel's tallest row, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Automatic column widths stay within these (Excel character units).
const AUTO_WIDTH: (f64, f64) = (6.0, 50.0);

/// One worksheet of an export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// Sheet name; characters Excel forbids (`[]:*?/\`) become `_`, it is
    /// cut to 31 characters and made unique within the workbook.
    pub name: String,
    /// A title written above the header, merged across all columns.
    pub title: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Data rows; a row may be shorter or longer than the headers.
    pub rows: Vec<Vec<Cell>>,
    /// Column widths in Excel character units (a CJK character is about
    /// 2); columns without one are sized from their content.
    pub widths: Option<Vec<f64>>,
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, always stored as text (ID numbers, phone numbers and codes
    /// with leading zeros stay exactly as given). Over 32,767 characters it
    /// is cut, Excel's limit.
    Text(String),
    /// An integer; beyond ±2^53 it is written as text to keep every digit.
    Int(i64),
    /// A number, shown as Excel's General format does.
    Number(f64),
    /// A date `YYYY-MM-DD` (or `YYYY-MM-DD HH:MM[:SS]`), written as an
    /// Excel date so it sorts and filters; other text is written as text.
    Date(String),
    /// Nothing (the cell still gets the table's borders).
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Self {
        Cell::Int(i)
    }
}

impl From<f64> for Cell {
    fn from(f: f64) -> Self {
        Cell::Number(f)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// The formats of a ledger, made once per workbook.
struct Styles {
    title: Format,
    header: Format,
    text: Format,
    wrap: Format,
    int: Format,
    number: Format,
    date: Format,
    datetime: Format,
}

impl Styles {
    fn new() -> Self {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(11)
            .set_align(FormatAlign::VerticalCenter);
        let cell = base.clone().set_border(FormatBorder::Thin);
        Styles {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_text_wrap()
                .set_background_color(0xD9D9D9),
            text: cell.clone().set_num_format("@"),
            wrap: cell.clone().set_num_format("@").set_text_wrap(),
            int: cell.clone().set_num_format("0"),
            number: cell.clone(),
            date: cell.clone().set_num_format("yyyy-mm-dd"),
            datetime: cell.set_num_format("yyyy-mm-dd hh:mm"),
        }
    }
}

/// Writes sheets as one `.xlsx` workbook in ledger style: an optional title
/// row merged across the columns, a bold header with a light grey fill,
/// thin borders, the header frozen and filterable, SimSun 11pt, column
/// widths fitted to content (CJK counted double), A4 pages that repeat the
/// header and fit the columns to the page width.
///
/// Sheets are written in Excel's constant-memory mode, row by row through a
/// temporary file, so 200,000-row exports stay small in memory.
pub fn write_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let mut names: Vec<String> = Vec::with_capacity(sheets.len());
    for (i, sheet) in sheets.iter().enumerate() {
        let name = sheet_name(&sheet.name, i, &names);
        let ws = book.add_worksheet_with_constant_memory();
        ws.set_name(name.as_str())?;
        write_sheet(ws, sheet, &name, &styles)?;
        names.push(name);
    }
    Ok(book.save_to_buffer()?)
}

fn write_sheet(
    ws: &mut Worksheet,
    sheet: &Sheet,
    name: &str,
    styles: &Styles,
) -> Result<(), WriteError> {
    let columns = sheet
        .rows
        .iter()
        .map(Vec::len)
        .chain([sheet.headers.len(), 1])
        .max()
        .unwrap_or(1);
    if columns > MAX_COLUMNS {
        return Err(WriteError::TooManyColumns {
            sheet: name.to_owned(),
            columns,
        });
    }
    let header_row: usize = usize::from(sheet.title.is_some());
    if sheet.rows.len() + header_row + 1 > MAX_ROWS {
        return Err(WriteError::TooManyRows {
            sheet: name.to_owned(),
            rows: sheet.rows.len(),
        });
    }
    // Both fit: checked against Excel's limits above.
    let last_col = (columns - 1) as ColNum;
    let header_row = header_row as RowNum;
    let last_row = header_row + sheet.rows.len() as RowNum;

    // Constant-memory mode: column settings first, then rows in order.
    let widths = column_widths(sheet, columns);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    page_setup(ws, columns, header_row)?;

    if let Some(title) = &sheet.title {
        ws.set_row_height(0, 30)?;
        if last_col > 0 {
            ws.merge_range(0, 0, 0, last_col, title, &styles.title)?;
        } else {
            ws.write_string_with_format(0, 0, title, &styles.title)?;
        }
    }
    let header_lines = sheet
        .headers
        .iter()
        .zip(&widths)
        .map(|(h, w)| text_lines(h, *w))
        .max()
        .unwrap_or(1);
    ws.set_row_height(header_row, (LINE_HEIGHT * header_lines as f64).max(20.0))?;
    for c in 0..columns {
        let h = sheet.headers.get(c).map_or("", String::as_str);
        ws.write_string_with_format(header_row, c as ColNum, h, &styles.header)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = header_row + 1 + r as RowNum;
        // Neither Excel nor LibreOffice reliably grows a row for wrapped
        // text when it opens a file, so set the height here.
        let lines = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| match cell {
                Cell::Text(t) => text_lines(t, *w),
                _ => 1,
            })
            .max()
            .unwrap_or(1);
        if lines > 1 {
            ws.set_row_height(r, (LINE_HEIGHT * lines as f64).min(MAX_ROW_HEIGHT))?;
        }
        // `widths` has one entry per column.
        for (c, width) in widths.iter().enumerate() {
            let cell = row.get(c).unwrap_or(&Cell::Empty);
            write_cell(ws, r, c as ColNum, cell, *width, styles)?;
        }
    }
    ws.set_freeze_panes(header_row + 1, 0)?;
    ws.autofilter(header_row, 0, last_row, last_col)?;
    Ok(())
}

fn write_cell(
    ws: &mut Worksheet,
    r: RowNum,
    c: ColNum,
    cell: &Cell,
    width: f64,
    s: &Styles,
) -> Result<(), WriteError> {
    match cell {
        Cell::Text(t) => write_text(ws, r, c, t, width, s)?,
        Cell::Int(i) if (-MAX_EXACT_INT..=MAX_EXACT_INT).contains(i) => {
            ws.write_number_with_format(r, c, *i as f64, &s.int)?;
        }
        Cell::Int(i) => {
            ws.write_string_with_format(r, c, i.to_string(), &s.text)?;
        }
        Cell::Number(f) if f.is_finite() => {
            ws.write_number_with_format(r, c, *f, &s.number)?;
        }
        Cell::Number(_) | Cell::Empty => {
            ws.write_blank(r, c, &s.text)?;
        }
        Cell::Date(d) => match parse_date(d) {
            Some((dt, has_time)) => {
                let f = if has_time { &s.datetime } else { &s.date };
                ws.write_datetime_with_format(r, c, &dt, f)?;
            }
            None => write_text(ws, r, c, d, width, s)?,
        },
    }
    Ok(())
}

fn write_text(
    ws: &mut Worksheet,
    r: RowNum,
    c: ColNum,
    text: &str,
    width: f64,
    s: &Styles,
) -> Result<(), WriteError> {
    let text = match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    if text.is_empty() {
        ws.write_blank(r, c, &s.text)?;
        return Ok(());
    }
    // Wrap what does not fit the column, so long remarks stay readable.
    let f = if text_lines(text, width) == 1 {
        &s.text
    } else {
        &s.wrap
    };
    ws.write_string_with_format(r, c, text, f)?;
    Ok(())
}

/// Lines `text` takes in a column `width` units wide when wrapped.
fn text_lines(text: &str, width: f64) -> usize {
    // Fast path: no newline and fewer bytes than the width (a CJK
    // character is 3 bytes and 2 units wide, so it fits).
    if (text.len() as f64) < width - 1.0 && !text.contains('\n') {
        return 1;
    }
    let usable = (width - 1.0).max(1.0);
    text.split('\n')
        .map(|line| ((display_width(line) as f64 / usable).ceil() as usize).max(1))
        .sum()
}

/// `YYYY-MM-DD` with an optional ` HH:MM[:SS]` (or `T`), strictly.
fn parse_date(s: &str) -> Option<(ExcelDateTime, bool)> {
    let s = s.trim();
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let y: u16 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1900..=9999).contains(&y) {
        return None;
    }
    let dt = ExcelDateTime::from_ymd(y, m, d).ok()?;
    if d > days_in_month(y, m) {
        return None;
    }
    let Some(time) = time else {
        return Some((dt, false));
    };
    let mut parts = time.split(':');
    let h: u16 = parts.next()?.parse().ok()?;
    let mi: u8 = parts.next()?.parse().ok()?;
    let sec: f64 = parts.next().map_or(Some(0.0), |p| p.parse().ok())?;
    let dt = dt.and_hms(h, mi, sec).ok()?;
    Some((dt, true))
}

fn days_in_month(y: u16, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Given widths where set, else the widest of the header (bold, so a bit
/// wider) and the cells, plus padding, within [`AUTO_WIDTH`].
fn column_widths(sheet: &Sheet, columns: usize) -> Vec<f64> {
    let mut content = vec![0usize; columns];
    for (c, h) in sheet.headers.iter().enumerate() {
        content[c] = display_width(h) * 11 / 10;
    }
    for row in &sheet.rows {
        for (c, cell) in row.iter().enumerate() {
            let w = match cell {
                Cell::Text(t) => display_width(t),
                Cell::Int(i) => i.to_string().len(),
                Cell::Number(f) => number_text(*f).len(),
                Cell::Date(d) => d.len(),
                Cell::Empty => 0,
            };
            content[c] = content[c].max(w);
        }
    }
    let given = sheet.widths.as_deref().unwrap_or(&[]);
    content
        .iter()
        .enumerate()
        .map(|(c, w)| match given.get(c) {
            Some(g) if g.is_finite() && *g > 0.0 => g.min(255.0),
            _ => (*w as f64 + 2.0).clamp(AUTO_WIDTH.0, AUTO_WIDTH.1),
        })
        .collect()
}

fn page_setup(ws: &mut Worksheet, columns: usize, header_row: RowNum) -> Result<(), WriteError> {
    ws.set_paper_size(9); // A4
    if columns > 8 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, header_row)?;
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A name Excel accepts, unique (ignoring case) among `taken`.
fn sheet_name(wanted: &str, index: usize, taken: &[String]) -> String {
    let cleaned: String = wanted
        .trim()
        .trim_matches('\'')
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut base = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        format!("Sheet{}", index + 1)
    } else {
        cleaned
    };
    base = truncate_chars(&base, 31);
    let is_taken = |n: &str| taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    let mut name = base.clone();
    let mut k = 2;
    while is_taken(&name) {
        let suffix = format!("({k})");
        name = truncate_chars(&base, 31 - suffix.chars().count()) + &suffix;
        k += 1;
    }
    name
}

fn truncate_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let taken = vec!["人员".to_owned()];
        assert_eq!(sheet_name("人员", 1, &taken), "人员(2)");
        assert_eq!(sheet_name("a/b:c", 0, &[]), "a_b_c");
        assert_eq!(sheet_name("  ", 2, &[]), "Sheet3");
        assert_eq!(sheet_name("'x'", 0, &[]), "x");
        let long = "很".repeat(40);
        assert_eq!(sheet_name(&long, 0, &[]).chars().count(), 31);
        let taken = vec![sheet_name(&long, 0, &[])];
        let second = sheet_name(&long, 1, &taken);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("(2)"));
    }

    #[test]
    fn limits_are_checked_before_writing() {
        let sheet = Sheet {
            name: "大表".into(),
            headers: vec!["a".into()],
            rows: vec![Vec::new(); MAX_ROWS],
            ..Sheet::default()
        };
        let e = write_xlsx(&[sheet]).expect_err("too many rows");
        assert!(matches!(e, WriteError::TooManyRows { rows: MAX_ROWS, .. }));
        assert!(e.to_string().contains("“大表”"), "{e}");
        let wide = Sheet {
            headers: vec![String::new(); MAX_COLUMNS + 1],
            ..Sheet::default()
        };
        let e = write_xlsx(&[wide]).expect_err("too many columns");
        assert!(matches!(e, WriteError::TooManyColumns { .. }));
    }

    #[test]
    fn no_sheets_still_makes_a_workbook() {
        let bytes = write_xlsx(&[]).expect("write");
        assert!(bytes.starts_with(b"PK"));
    }

    #[test]
    fn wrapped_text_lines() {
        assert_eq!(text_lines("短", 10.0), 1);
        assert_eq!(text_lines("", 10.0), 1);
        assert_eq!(text_lines("一\n二", 10.0), 2);
        assert_eq!(text_lines(&"很".repeat(20), 11.0), 4);
        assert_eq!(text_lines("a\n\nb", 10.0), 3);
    }

    #[test]
    fn dates_are_parsed_strictly() {
        assert!(matches!(parse_date("2024-01-05"), Some((_, false))));
        assert!(matches!(parse_date("2024-02-29"), Some((_, false))));
        assert!(matches!(parse_date("2024-01-05 08:30"), Some((_, true))));
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2024-13-01").is_none());
        assert!(parse_date("2024年1月5日").is_none());
        assert!(parse_date("").is_none());
    }

    #[test]
    fn widths_fit_cjk_and_respect_given() {
        let sheet = Sheet {
            name: "s".into(),
            headers: vec!["姓名".into(), "身份证号".into(), "备注".into()],
            rows: vec![vec![
                Cell::from("欧阳娜娜"),
                Cell::from("110101199003077777"),
                Cell::from("很".repeat(100)),
            ]],
            widths: Some(vec![12.5]),
            ..Sheet::default()
        };
        let w = column_widths(&sheet, 3);
        assert_eq!(w, [12.5, 20.0, 50.0]);
    }
}
