//! Spreadsheet cell values as the text a user sees.

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};

/// Days from 1899-12-30 (Excel's day 0 in the 1900 date system, after its
/// leap-year bug) to 1970-01-01.
const EXCEL_TO_UNIX_DAYS: i64 = 25_569;
/// Days between the 1900 and 1904 date systems.
const DAYS_1904: f64 = 1_462.0;

/// The text of a cell: integers without ".0", other numbers to Excel's 15
/// significant digits in their shortest form, dates `YYYY-MM-DD` (with
/// ` HH:MM[:SS]` when they carry a time), booleans 是/否, errors empty.
/// Trailing whitespace is trimmed.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim_end().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => excel_datetime_text(dt),
        Data::DateTimeIso(s) => iso_datetime_text(s),
        Data::DurationIso(s) => s.trim().to_owned(),
    }
}

/// A number as Excel shows it in a General cell, without grouping.
pub(crate) fn number_text(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        // Exact: |v| < 1e15 < 2^63.
        return format!("{}", v as i64);
    }
    // Excel keeps 15 significant digits, so 0.1 + 0.2 shows as 0.3.
    let rounded: f64 = format!("{v:.14e}").parse().unwrap_or(v);
    format!("{rounded}")
}

fn excel_datetime_text(dt: &ExcelDateTime) -> String {
    let v = dt.as_f64();
    // calamine 0.26 only exposes the kind and date system behind its
    // `dates` feature (chrono); equality with rebuilt values recovers them.
    let is = |kind, is_1904| *dt == ExcelDateTime::new(v, kind, is_1904);
    if is(ExcelDateTimeType::TimeDelta, false) || is(ExcelDateTimeType::TimeDelta, true) {
        return duration_text(v);
    }
    serial_text(v, is(ExcelDateTimeType::DateTime, true))
}

/// An Excel serial date as text; see [`cell_text`].
pub(crate) fn serial_text(serial: f64, is_1904: bool) -> String {
    if !(0.0..=2_958_466.0).contains(&serial) {
        return number_text(serial);
    }
    let mut days = serial.floor() as i64;
    let mut secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if secs >= 86_400 {
        days += 1;
        secs = 0;
    }
    if !is_1904 && days == 0 {
        return time_text(secs);
    }
    let mut days = if is_1904 {
        days + DAYS_1904 as i64
    } else {
        days
    };
    if !is_1904 && days < 60 {
        // Excel counts a 29 February 1900 that never was.
        days += 1;
    }
    let (y, m, d) = civil_from_days(days - EXCEL_TO_UNIX_DAYS);
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {}", time_text(secs))
    }
}

fn time_text(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

fn duration_text(days: f64) -> String {
    let secs = (days * 86_400.0).round() as i64;
    let sign = if secs < 0 { "-" } else { "" };
    let secs = secs.abs();
    format!(
        "{sign}{}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `2024-01-05T00:00:00` → `2024-01-05`; `…T08:30:00` → `… 08:30`.
fn iso_datetime_text(s: &str) -> String {
    let s = s.trim();
    match s.split_once('T') {
        Some((date, time)) => {
            let time = time.split('.').next().unwrap_or(time);
            let time = time.strip_suffix(":00").unwrap_or(time);
            if time.is_empty() || time == "00:00" {
                date.to_owned()
            } else {
                format!("{date} {time}")
            }
        }
        None => s.to_owned(),
    }
}

/// (year, month, day) of a day count from 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(-42.0), "-42");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(1234.5678), "1234.5678");
        assert_eq!(number_text(13_800_138_000.0), "13800138000");
        assert_eq!(number_text(f64::NAN), "");
    }

    #[test]
    fn serial_dates_become_iso_dates() {
        assert_eq!(serial_text(45_296.0, false), "2024-01-05");
        assert_eq!(serial_text(25_569.0, false), "1970-01-01");
        assert_eq!(serial_text(1.0, false), "1900-01-01");
        assert_eq!(serial_text(61.0, false), "1900-03-01");
        assert_eq!(serial_text(45_296.5, false), "2024-01-05 12:00");
        assert_eq!(serial_text(45_296.999_999_9, false), "2024-01-06");
        assert_eq!(serial_text(0.354_166_666_7, false), "08:30");
        assert_eq!(serial_text(43_834.0, true), "2024-01-05");
    }

    #[test]
    fn calamine_cells_become_text() {
        assert_eq!(cell_text(&Data::String("张三  ".into())), "张三");
        assert_eq!(cell_text(&Data::String("  前导保留".into())), "  前导保留");
        assert_eq!(cell_text(&Data::Bool(true)), "是");
        assert_eq!(cell_text(&Data::Bool(false)), "否");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::Div0)), "");
        let dt = ExcelDateTime::new(45_296.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(dt)), "2024-01-05");
        let dt = ExcelDateTime::new(43_834.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(cell_text(&Data::DateTime(dt)), "2024-01-05");
        let dt = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(cell_text(&Data::DateTime(dt)), "36:00:00");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-01-05T00:00:00".into())),
            "2024-01-05"
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-01-05T08:30:00".into())),
            "2024-01-05 08:30"
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-01-05".into())),
            "2024-01-05"
        );
    }
}
