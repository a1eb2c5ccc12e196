//! Reading single cells: dates, months, numbers, matching keys, ID keys.

use xuncha_text::IdNumber;

/// Days from 1970-01-01 to a calendar date (proleptic Gregorian), the
/// Arrow `Date32` representation.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    // Howard Hinnant's days_from_civil, in whole-era arithmetic.
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a `Date32` day number, as `YYYY-MM-DD`.
pub fn civil_from_days(z: i32) -> String {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

/// A written date (`2024-03-01`, `20240301`, `2024/3/1`, `2024年3月1日`,
/// with an optional time after a space) as a `Date32` day number.
pub fn parse_date(raw: &str) -> Option<i32> {
    let raw = raw.trim();
    let date_part = raw.split_once(' ').map_or(raw, |(d, _)| d);
    let iso = xuncha_text::person::parse_date(date_part)?;
    let y = iso.get(0..4)?.parse().ok()?;
    let m = iso.get(5..7)?.parse().ok()?;
    let d = iso.get(8..10)?.parse().ok()?;
    Some(days_from_civil(y, m, d))
}

/// A written month (`2024-03`, `202403`, `2024/3`, `2024年3月`, or a full
/// date) as the `Date32` day number of its first day.
pub fn parse_month(raw: &str) -> Option<i32> {
    let text = xuncha_text::normalize(raw.trim());
    let text = text.trim().trim_end_matches('份');
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let all_digits = text.chars().all(|c| c.is_ascii_digit());
    let (y, m) = if all_digits && digits.len() == 6 {
        (digits[..4].parse().ok()?, digits[4..].parse().ok()?)
    } else {
        let parts: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .collect();
        match parts.as_slice() {
            [y, m] => (y.parse().ok()?, m.parse().ok()?),
            [_, _, _] => {
                let day = parse_date(raw)?;
                let iso = civil_from_days(day);
                (iso[..4].parse().ok()?, iso[5..7].parse().ok()?)
            }
            _ => return None,
        }
    };
    ((1900..=2100).contains(&y) && (1..=12).contains(&m)).then(|| days_from_civil(y, m, 1))
}

/// A written number: thousands separators, `元`, `¥` and spaces ignored.
pub fn parse_number(raw: &str) -> Option<f64> {
    let cleaned: String = xuncha_text::normalize(raw)
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | '元' | '¥' | '￥' | '㎡') && !c.is_whitespace())
        .collect();
    let cleaned = cleaned
        .strip_suffix("平方米")
        .or_else(|| cleaned.strip_suffix("万"))
        .map_or(cleaned.as_str(), |s| s);
    let v: f64 = cleaned.parse().ok()?;
    let v = if raw.trim_end().ends_with('万') {
        v * 10_000.0
    } else {
        v
    };
    v.is_finite().then_some(v)
}

/// The matching form of a name, village or township: normalised (see
/// `xuncha_text::normalize`), whitespace and punctuation dropped, the
/// middle dot of minority names kept.
pub fn match_key(raw: &str) -> String {
    xuncha_text::normalize(&xuncha_text::name::normalize_name(raw))
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '·')
        .collect()
}

/// The integer join key of a valid ID number: its first 17 digits (the
/// 18th is their check character, so they identify the number alone).
/// Integers hash and compare much faster than 18-byte strings in joins.
pub fn id_key(id: &IdNumber) -> i64 {
    id.as_str()[..17]
        .bytes()
        .fold(0i64, |acc, b| acc * 10 + i64::from(b - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 3, 1), 19_783);
        assert_eq!(civil_from_days(19_783), "2024-03-01");
        assert_eq!(civil_from_days(days_from_civil(1900, 2, 28)), "1900-02-28");
        assert_eq!(parse_date("2024年3月1日"), Some(19_783));
        assert_eq!(parse_date("2024-03-01 08:30"), Some(19_783));
        assert_eq!(parse_date("2023-02-29"), None);
    }

    #[test]
    fn months_and_numbers() {
        let march = Some(days_from_civil(2024, 3, 1));
        for m in [
            "2024-03",
            "202403",
            "2024年3月",
            "2024/3",
            "2024-03-15",
            "2024年03月份",
        ] {
            assert_eq!(parse_month(m), march, "{m}");
        }
        assert_eq!(parse_month("2024-13"), None);
        assert_eq!(parse_number("1,234.5元"), Some(1234.5));
        assert_eq!(parse_number("12万"), Some(120_000.0));
        assert_eq!(parse_number("约五百"), None);
    }

    #[test]
    fn keys() {
        assert_eq!(match_key(" 張 三 "), "张三");
        assert_eq!(match_key("买买提•艾力"), "买买提·艾力");
        let id = IdNumber::parse("11010519491231002X").expect("valid");
        assert_eq!(id_key(&id), 11_010_519_491_231_002);
    }
}
