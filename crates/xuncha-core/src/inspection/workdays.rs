//! Business-day and calendar-month arithmetic for deadlines (工作日、月计算).
//!
//! Statutory time limits are counted either in working days (工作日) or in
//! calendar months. Working days are Monday to Friday, minus the county's
//! public holidays, plus the make-up working days (调休) that the State Council
//! announces each year; both lists are kept as settings, one ISO date a line.
//!
//! Everything here is pure: "today" comes from the caller (see [`date_of_ms`]).

use std::collections::BTreeSet;

use time::{Date, Month, UtcOffset, Weekday};

use crate::i18n::tf;

/// A working-day calendar: weekends, public holidays and make-up working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Days off that would otherwise be working days (法定节假日).
    holidays: BTreeSet<Date>,
    /// Weekend days that are working days (调休上班).
    workdays: BTreeSet<Date>,
}

impl Calendar {
    /// Monday to Friday, with no holidays.
    pub fn weekends_only() -> Calendar {
        Calendar::default()
    }

    /// Builds a calendar from setting lines: one ISO date (`YYYY-MM-DD`) a
    /// line, optionally followed by whitespace and a note (`2026-10-01 国庆节`).
    /// Blank lines and lines starting with `#` are skipped.
    ///
    /// The error is a Chinese message naming the first bad line: one that is
    /// not a date, or a date listed both as a holiday and as a make-up day.
    pub fn from_lines(holidays: &[String], workdays: &[String]) -> Result<Calendar, String> {
        let holidays = parse_lines(holidays, "recusal.calendar_list_holidays")?;
        let workdays = parse_lines(workdays, "recusal.calendar_list_workdays")?;
        if let Some(both) = holidays.intersection(&workdays).next() {
            return Err(tf(
                "recusal.calendar_both",
                &[("date", iso(*both).as_str())],
            ));
        }
        Ok(Calendar { holidays, workdays })
    }

    /// Whether `d` is a working day: Monday to Friday unless a holiday;
    /// Saturday and Sunday only when listed as a make-up working day.
    pub fn is_workday(&self, d: Date) -> bool {
        if self.holidays.contains(&d) {
            return false;
        }
        is_weekday(d) || self.workdays.contains(&d)
    }

    /// The `n`-th working day after `start` (`start` itself is not counted);
    /// `start` when `n` is 0. Saturates at the last representable date.
    pub fn add_workdays(&self, start: Date, n: u32) -> Date {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            match d.next_day() {
                Some(next) => d = next,
                None => return d,
            }
            if self.is_workday(d) {
                left -= 1;
            }
        }
        d
    }

    /// The last day of a period of `n` calendar days from `start` (`start`
    /// itself not counted): `start + n`, moved to the next working day when
    /// it is a day off — a weekend not worked, or a public holiday
    /// (《民法典》第二百零三条: a period whose last day is a 法定休假日 ends on
    /// the day after the holiday). A make-up working day (调休) ends it.
    pub fn deadline(&self, start: Date, n: i64) -> Date {
        self.next_workday_from(add_days(start, n))
    }

    /// `d` if it is a working day, else the first working day after it.
    /// Saturates at the last representable date.
    pub fn next_workday_from(&self, d: Date) -> Date {
        let mut d = d;
        while !self.is_workday(d) {
            match d.next_day() {
                Some(next) => d = next,
                None => return d,
            }
        }
        d
    }

    /// The number of working days in `(from, to]`; negative (the count in
    /// `(to, from]`, negated) when `to` is before `from`.
    pub fn workdays_between(&self, from: Date, to: Date) -> i64 {
        if to < from {
            return -self.workdays_between(to, from);
        }
        // Weekdays by arithmetic, then the listed exceptions in the range.
        let mut n = weekdays_through(to) - weekdays_through(from);
        let after = |d: &&Date| **d > from;
        n -= self
            .holidays
            .range(..=to)
            .rev()
            .take_while(after)
            .filter(|d| is_weekday(**d))
            .count() as i64;
        n += self
            .workdays
            .range(..=to)
            .rev()
            .take_while(after)
            .filter(|d| !is_weekday(**d))
            .count() as i64;
        n
    }
}

fn parse_lines(lines: &[String], list_key: &str) -> Result<BTreeSet<Date>, String> {
    let mut out = BTreeSet::new();
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let first = line.split_whitespace().next().unwrap_or_default();
        match parse_iso(first) {
            Some(d) => {
                out.insert(d);
            }
            None => {
                return Err(tf(
                    "recusal.calendar_bad_line",
                    &[
                        ("list", crate::i18n::t(list_key)),
                        ("n", (i + 1).to_string().as_str()),
                        ("line", line),
                    ],
                ))
            }
        }
    }
    Ok(out)
}

fn is_weekday(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Monday–Friday days from a fixed Monday through `d`: a running count whose
/// differences give the weekdays in a half-open range.
fn weekdays_through(d: Date) -> i64 {
    // Julian day 0 (24 November 4714 BC, proleptic Gregorian) was a Monday.
    let offset = i64::from(d.to_julian_day());
    let weeks = offset.div_euclid(7);
    let into_week = offset.rem_euclid(7); // 0 = Monday … 6 = Sunday
    weeks * 5 + (into_week + 1).min(5)
}

/// `start` plus `n` calendar days (negative goes back); saturates at the ends
/// of the representable range.
pub fn add_days(start: Date, n: i64) -> Date {
    from_julian(i64::from(start.to_julian_day()).saturating_add(n))
}

/// The date of a Julian day number, saturating at the representable ends.
fn from_julian(jd: i64) -> Date {
    match i32::try_from(jd).map(Date::from_julian_day) {
        Ok(Ok(d)) => d,
        _ if jd < 0 => Date::MIN,
        _ => Date::MAX,
    }
}

/// `start` plus `n` calendar months, clamped to the month's end
/// (31 January + 1 month = 28 or 29 February). Saturates at the last
/// representable date.
pub fn add_months(start: Date, n: u32) -> Date {
    shift_months(start, i64::from(n))
}

/// `start` minus `n` calendar months, clamped to the month's end
/// (31 March − 1 month = 28 or 29 February). Saturates at the first
/// representable date.
pub fn sub_months(start: Date, n: u32) -> Date {
    shift_months(start, -i64::from(n))
}

fn shift_months(start: Date, n: i64) -> Date {
    let index = i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1 + n;
    let year = index.div_euclid(12);
    let month = (index.rem_euclid(12) + 1) as u8; // 1..=12 by construction
    let year = match i32::try_from(year) {
        Ok(y) if (Date::MIN.year()..=Date::MAX.year()).contains(&y) => y,
        _ => return if n < 0 { Date::MIN } else { Date::MAX },
    };
    let Ok(month) = Month::try_from(month) else {
        return start;
    };
    let day = start.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(start)
}

/// Parses a strict ISO date `YYYY-MM-DD` (four-digit year, two-digit month
/// and day); `None` for anything else, including impossible dates.
pub fn parse_iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
    let day = u8::try_from(digits(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// The date in China Standard Time (UTC+8) of a millisecond Unix timestamp.
/// Saturates at the ends of the representable range.
pub fn date_of_ms(ms: i64) -> Date {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    let local_ms = ms.saturating_add(i64::from(offset.whole_seconds()) * 1000);
    /// Julian day number of 1970-01-01.
    const UNIX_EPOCH_JD: i64 = 2_440_588;
    from_julian(UNIX_EPOCH_JD + local_ms.div_euclid(86_400_000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    /// 国庆 2026 as test data: 1–7 October off, Sunday 27 September and
    /// Saturday 10 October worked.
    fn guoqing_2026() -> Calendar {
        Calendar::from_lines(
            &lines(&[
                "2026-10-01 国庆节",
                "2026-10-02",
                "2026-10-03",
                "2026-10-04",
                "2026-10-05",
                "2026-10-06",
                "2026-10-07",
            ]),
            &lines(&["2026-09-27", "", "# 调休", "2026-10-10"]),
        )
        .expect("valid calendar")
    }

    #[test]
    fn weekends_are_off_and_weekdays_work() {
        let c = Calendar::weekends_only();
        // 2026-06-15 is a Monday.
        let cases = [
            (date!(2026 - 06 - 15), true),
            (date!(2026 - 06 - 16), true),
            (date!(2026 - 06 - 17), true),
            (date!(2026 - 06 - 18), true),
            (date!(2026 - 06 - 19), true),
            (date!(2026 - 06 - 20), false),
            (date!(2026 - 06 - 21), false),
        ];
        for (d, want) in cases {
            assert_eq!(c.is_workday(d), want, "{d}");
        }
    }

    #[test]
    fn holidays_and_make_up_days_override_the_week() {
        let c = guoqing_2026();
        let cases = [
            (date!(2026 - 09 - 26), false), // Saturday
            (date!(2026 - 09 - 27), true),  // Sunday, make-up day
            (date!(2026 - 09 - 30), true),  // Wednesday
            (date!(2026 - 10 - 01), false), // Thursday, holiday
            (date!(2026 - 10 - 02), false), // Friday, holiday
            (date!(2026 - 10 - 05), false), // Monday, holiday
            (date!(2026 - 10 - 07), false), // Wednesday, holiday
            (date!(2026 - 10 - 08), true),  // Thursday
            (date!(2026 - 10 - 10), true),  // Saturday, make-up day
            (date!(2026 - 10 - 11), false), // Sunday
        ];
        for (d, want) in cases {
            assert_eq!(c.is_workday(d), want, "{d}");
        }
    }

    #[test]
    fn add_workdays_skips_weekends() {
        let c = Calendar::weekends_only();
        let fri = date!(2026 - 06 - 19);
        let cases = [
            (fri, 0, fri),
            (fri, 1, date!(2026 - 06 - 22)),
            (fri, 5, date!(2026 - 06 - 26)),
            (fri, 6, date!(2026 - 06 - 29)),
            (date!(2026 - 06 - 20), 1, date!(2026 - 06 - 22)), // from a Saturday
            (date!(2026 - 06 - 15), 10, date!(2026 - 06 - 29)),
        ];
        for (start, n, want) in cases {
            assert_eq!(c.add_workdays(start, n), want, "{start} + {n}");
        }
    }

    #[test]
    fn add_workdays_across_guoqing() {
        let c = guoqing_2026();
        let cases = [
            (date!(2026 - 09 - 25), 1, date!(2026 - 09 - 27)), // Fri → make-up Sunday
            (date!(2026 - 09 - 30), 1, date!(2026 - 10 - 08)),
            (date!(2026 - 09 - 30), 2, date!(2026 - 10 - 09)),
            (date!(2026 - 09 - 30), 3, date!(2026 - 10 - 10)), // make-up Saturday
            (date!(2026 - 09 - 30), 4, date!(2026 - 10 - 12)),
            (date!(2026 - 09 - 25), 5, date!(2026 - 10 - 08)),
            (date!(2026 - 09 - 25), 6, date!(2026 - 10 - 09)),
            (date!(2026 - 10 - 03), 1, date!(2026 - 10 - 08)), // from inside the holiday
        ];
        for (start, n, want) in cases {
            assert_eq!(c.add_workdays(start, n), want, "{start} + {n}");
        }
    }

    #[test]
    fn a_period_ending_on_a_day_off_ends_on_the_next_working_day() {
        let c = guoqing_2026();
        let cases = [
            // 15 days from 20 September end on 5 October, inside 国庆.
            (date!(2026 - 09 - 20), 15, date!(2026 - 10 - 08)),
            // Ending on the make-up Saturday: that day is worked.
            (date!(2026 - 09 - 30), 10, date!(2026 - 10 - 10)),
            // Ending on a plain Saturday: the Monday after.
            (date!(2026 - 10 - 02), 15, date!(2026 - 10 - 19)),
            // Ending on a working day: unchanged.
            (date!(2026 - 10 - 08), 5, date!(2026 - 10 - 13)),
            // Ending on the make-up Sunday before the holiday.
            (date!(2026 - 09 - 12), 15, date!(2026 - 09 - 27)),
        ];
        for (start, n, want) in cases {
            assert_eq!(c.deadline(start, n), want, "{start} + {n} days");
        }
        let plain = Calendar::weekends_only();
        assert_eq!(
            plain.deadline(date!(2026 - 09 - 20), 15),
            date!(2026 - 10 - 05),
            "without the holiday list 5 October is a Monday like any other"
        );
    }

    #[test]
    fn workdays_between_counts_the_half_open_range() {
        let c = guoqing_2026();
        let cases = [
            (date!(2026 - 09 - 30), date!(2026 - 09 - 30), 0),
            (date!(2026 - 09 - 30), date!(2026 - 10 - 08), 1),
            (date!(2026 - 09 - 30), date!(2026 - 10 - 12), 4),
            (date!(2026 - 09 - 25), date!(2026 - 10 - 09), 6),
            (date!(2026 - 09 - 26), date!(2026 - 09 - 27), 1), // make-up Sunday
            (date!(2026 - 09 - 30), date!(2026 - 10 - 10), 3), // make-up Saturday
            (date!(2026 - 10 - 12), date!(2026 - 09 - 30), -4),
            (date!(2026 - 10 - 01), date!(2026 - 10 - 07), 0),
        ];
        for (from, to, want) in cases {
            assert_eq!(c.workdays_between(from, to), want, "{from}..{to}");
        }
    }

    #[test]
    fn workdays_between_agrees_with_add_workdays() {
        let cals = [Calendar::weekends_only(), guoqing_2026()];
        for c in &cals {
            let mut start = date!(2026 - 09 - 01);
            while start < date!(2026 - 10 - 20) {
                for n in 0..25 {
                    let end = c.add_workdays(start, n);
                    assert_eq!(
                        c.workdays_between(start, end),
                        i64::from(n),
                        "{start} + {n}"
                    );
                    assert_eq!(c.workdays_between(end, start), -i64::from(n));
                }
                start = add_days(start, 1);
            }
        }
    }

    #[test]
    fn workdays_between_over_long_spans_matches_counting() {
        let c = guoqing_2026();
        let from = date!(2019 - 12 - 29);
        let to = date!(2027 - 03 - 02);
        let mut count = 0;
        let mut d = from;
        while d < to {
            d = add_days(d, 1);
            if c.is_workday(d) {
                count += 1;
            }
        }
        assert_eq!(c.workdays_between(from, to), count);
    }

    #[test]
    fn bad_lines_are_named_in_chinese() {
        let err = Calendar::from_lines(&lines(&["2026-10-01", "2026-13-01"]), &[]).unwrap_err();
        assert!(err.contains("第2行"), "{err}");
        assert!(err.contains("2026-13-01"), "{err}");
        assert!(err.contains("节假日"), "{err}");

        let err = Calendar::from_lines(&[], &lines(&["", "10月10日"])).unwrap_err();
        assert!(err.contains("第2行") && err.contains("10月10日"), "{err}");
        assert!(err.contains("调休"), "{err}");

        let err =
            Calendar::from_lines(&lines(&["2026-10-10"]), &lines(&["2026-10-10"])).unwrap_err();
        assert!(err.contains("2026-10-10"), "{err}");
    }

    #[test]
    fn months_clamp_to_the_month_end() {
        let cases = [
            (date!(2026 - 01 - 31), 1, date!(2026 - 02 - 28)),
            (date!(2028 - 01 - 31), 1, date!(2028 - 02 - 29)), // leap year
            (date!(2028 - 02 - 29), 12, date!(2029 - 02 - 28)),
            (date!(2028 - 02 - 29), 48, date!(2032 - 02 - 29)),
            (date!(2026 - 03 - 31), 1, date!(2026 - 04 - 30)),
            (date!(2026 - 11 - 30), 3, date!(2027 - 02 - 28)),
            (date!(2026 - 12 - 15), 1, date!(2027 - 01 - 15)),
            (date!(2026 - 06 - 15), 0, date!(2026 - 06 - 15)),
            (date!(2026 - 06 - 15), 6, date!(2026 - 12 - 15)),
        ];
        for (start, n, want) in cases {
            assert_eq!(add_months(start, n), want, "{start} + {n} months");
        }
        assert_eq!(add_months(date!(2026 - 06 - 15), u32::MAX), Date::MAX);
    }

    #[test]
    fn months_back_clamp_too() {
        let cases = [
            (date!(2026 - 03 - 31), 1, date!(2026 - 02 - 28)),
            (date!(2028 - 03 - 31), 1, date!(2028 - 02 - 29)),
            (date!(2028 - 02 - 29), 12, date!(2027 - 02 - 28)),
            (date!(2026 - 01 - 15), 1, date!(2025 - 12 - 15)),
            (date!(2026 - 06 - 15), 36, date!(2023 - 06 - 15)),
        ];
        for (start, n, want) in cases {
            assert_eq!(sub_months(start, n), want, "{start} - {n} months");
        }
        assert_eq!(sub_months(date!(2026 - 06 - 15), u32::MAX), Date::MIN);
    }

    #[test]
    fn add_days_goes_both_ways() {
        assert_eq!(add_days(date!(2026 - 02 - 27), 2), date!(2026 - 03 - 01));
        assert_eq!(add_days(date!(2028 - 02 - 27), 2), date!(2028 - 02 - 29));
        assert_eq!(add_days(date!(2026 - 01 - 01), -1), date!(2025 - 12 - 31));
        assert_eq!(add_days(date!(2026 - 01 - 01), i64::MAX), Date::MAX);
        assert_eq!(add_days(date!(2026 - 01 - 01), i64::MIN), Date::MIN);
    }

    #[test]
    fn iso_round_trips_and_rejects_loose_spellings() {
        assert_eq!(parse_iso("2026-10-01"), Some(date!(2026 - 10 - 01)));
        assert_eq!(iso(date!(2026 - 10 - 01)), "2026-10-01");
        assert_eq!(parse_iso("2028-02-29"), Some(date!(2028 - 02 - 29)));
        for bad in [
            "",
            "2026-1-01",
            "2026/10/01",
            "2026-02-29",
            "2026-00-10",
            "2026-10-32",
            "２０２６-10-01",
            "+026-10-01",
            "2026-10-01 ",
            "2026-1a-01",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn date_of_ms_uses_china_standard_time() {
        // 2026-06-14T16:00:00Z is midnight of 15 June in UTC+8.
        let midnight_cst = 1_781_452_800_000_i64;
        let cases = [
            (midnight_cst - 1, date!(2026 - 06 - 14)),
            (midnight_cst, date!(2026 - 06 - 15)),
            (midnight_cst + 86_400_000 - 1, date!(2026 - 06 - 15)),
            (midnight_cst + 86_400_000, date!(2026 - 06 - 16)),
            (0, date!(1970 - 01 - 01)),
            (-8 * 3_600_000, date!(1970 - 01 - 01)),
            (-8 * 3_600_000 - 1, date!(1969 - 12 - 31)),
            (i64::MAX, Date::MAX),
            (i64::MIN, Date::MIN),
        ];
        for (ms, want) in cases {
            assert_eq!(date_of_ms(ms), want, "{ms}");
        }
    }
}
