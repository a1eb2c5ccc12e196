//! Rows of text → a [`RawTable`]: the rules shared by every input format.
//!
//! * Cells lose trailing whitespace; a row whose cells are all empty is
//!   blank and dropped, but every kept row keeps its real row number.
//! * Leading title rows are skipped: when the first non-blank rows each have
//!   exactly one non-empty cell and one of the next rows (within the first
//!   [`TITLE_ROWS_MAX`] + 1 non-blank rows) has two or more, those
//!   one-cell rows are taken as a title (such as `2024年度人员名单`, often a
//!   merged cell) and the row after them is the header. A table with a
//!   single column has no title rows.
//! * The header row is the first remaining non-blank row, as written.
//! * Width: up to the header's last non-empty cell, widened with empty
//!   headers (`""`) when some data row has non-empty cells further right,
//!   so that no data is dropped. Every row is padded to that width.

use crate::{RawRow, RawTable, ReadError};

/// At most this many one-cell rows above the header are taken as a title.
pub(crate) const TITLE_ROWS_MAX: usize = 3;

/// Collects rows (1-based row number, cells) into a table.
#[derive(Debug, Default)]
pub(crate) struct TableBuilder {
    rows: Vec<RawRow>,
}

impl TableBuilder {
    /// A builder expecting about `capacity` rows.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        TableBuilder {
            rows: Vec::with_capacity(capacity),
        }
    }

    /// Adds one row; its cells are trimmed and a blank row is dropped.
    pub(crate) fn push(&mut self, line: usize, mut cells: Vec<String>) {
        let mut last = 0;
        for (i, c) in cells.iter_mut().enumerate() {
            let t = c.trim_end().len();
            c.truncate(t);
            if !c.is_empty() {
                last = i + 1;
            }
        }
        if last == 0 {
            return;
        }
        cells.truncate(last);
        self.rows.push(RawRow { line, cells });
    }

    /// The table; [`ReadError::Empty`] when no row had any text.
    pub(crate) fn finish(mut self) -> Result<RawTable, ReadError> {
        if self.rows.is_empty() {
            return Err(ReadError::Empty);
        }
        let skip = title_rows(&self.rows);
        let mut rows = self.rows.split_off(skip);
        let mut rest = rows.split_off(1);
        let header = rows.pop().ok_or(ReadError::Empty)?;
        let width = rest
            .iter()
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
            .max(header.cells.len());
        let mut headers = header.cells;
        headers.resize(width, String::new());
        for r in &mut rest {
            r.cells.resize(width, String::new());
        }
        Ok(RawTable {
            headers,
            rows: rest,
        })
    }
}

/// How many leading rows are a title; see the module docs.
fn title_rows(rows: &[RawRow]) -> usize {
    let non_empty = |r: &RawRow| r.cells.iter().filter(|c| !c.is_empty()).count();
    for (i, r) in rows.iter().take(TITLE_ROWS_MAX + 1).enumerate() {
        match non_empty(r) {
            1 => continue,
            _ => return i,
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(rows: &[(usize, &[&str])]) -> Result<RawTable, ReadError> {
        let mut b = TableBuilder::default();
        for (line, cells) in rows {
            b.push(*line, cells.iter().map(|s| s.to_string()).collect());
        }
        b.finish()
    }

    #[test]
    fn blank_rows_dropped_line_numbers_kept() {
        let t = build(&[
            (1, &["", ""]),
            (2, &["姓名", "身份证号"]),
            (3, &["张三", "110101199003077777"]),
            (4, &["  ", ""]),
            (5, &[]),
            (6, &["李四 ", "110101199003071234"]),
        ])
        .expect("table");
        assert_eq!(t.headers, ["姓名", "身份证号"]);
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6]);
        assert_eq!(t.rows[1].cells, ["李四", "110101199003071234"]);
    }

    #[test]
    fn rows_padded_and_extra_cells_kept_under_empty_headers() {
        let t = build(&[
            (1, &["姓名", "单位", "", ""]),
            (2, &["张三"]),
            (3, &["李四", "局", "", "备注在表头外"]),
        ])
        .expect("table");
        assert_eq!(t.headers, ["姓名", "单位", "", ""]);
        assert_eq!(t.rows[0].cells, ["张三", "", "", ""]);
        assert_eq!(t.rows[1].cells[3], "备注在表头外");
    }

    #[test]
    fn title_rows_above_the_header_are_skipped() {
        let t = build(&[
            (1, &["2024年度人员名单", "", ""]),
            (2, &["", "", "制表：办公室"]),
            (3, &["序号", "姓名", "职务"]),
            (4, &["1", "张三", "科员"]),
        ])
        .expect("table");
        assert_eq!(t.headers, ["序号", "姓名", "职务"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 4);
    }

    #[test]
    fn single_column_tables_have_no_title() {
        let t = build(&[(1, &["姓名"]), (2, &["张三"]), (3, &["李四"])]).expect("table");
        assert_eq!(t.headers, ["姓名"]);
        assert_eq!(t.rows.len(), 2);
    }

    #[test]
    fn header_only_and_empty() {
        let t = build(&[(1, &["a", "b"])]).expect("table");
        assert!(t.rows.is_empty());
        assert!(matches!(build(&[(1, &["", " "])]), Err(ReadError::Empty)));
    }
}
