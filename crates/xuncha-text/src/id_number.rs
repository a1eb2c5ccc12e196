//! Citizen identity numbers (公民身份号码) per GB 11643-1999.
//!
//! An 18-character number is 6 digits of region code, 8 digits of birth date
//! (YYYYMMDD), 3 digits of sequence (odd for men, even for women) and one
//! check character computed with ISO 7064 MOD 11-2 (`X` stands for 10).
//! Older 15-digit numbers (before 1999) carry a 2-digit year and no check
//! character; they are upgraded by inserting `19` and computing the check.

use std::fmt;

/// Weights of ISO 7064 MOD 11-2 for the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each remainder 0..=10.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Why a string is not a valid identity number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Neither 15 nor 18 characters after trimming.
    #[error("身份证号应为18位（或旧式15位），实际为{0}位")]
    Length(usize),
    /// A character other than a digit (or a final X) was found.
    #[error("身份证号含有非法字符")]
    Characters,
    /// The birth-date part is not a real calendar date.
    #[error("身份证号中的出生日期无效")]
    BirthDate,
    /// The check character does not match the first 17 digits.
    #[error("身份证号校验位错误，应为{expected}")]
    Checksum {
        /// The check character the first 17 digits call for.
        expected: char,
    },
}

/// Gender encoded in the sequence part of the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// 男 (odd sequence).
    Male,
    /// 女 (even sequence).
    Female,
}

impl Gender {
    /// The Chinese word used in forms and exports.
    pub fn as_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// A validated 18-character identity number, upper-case `X`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdNumber(String);

impl IdNumber {
    /// Parses an 18-character number (checking its checksum) or upgrades a
    /// 15-digit one. Surrounding whitespace, full-width digits and a lower-case
    /// `x` are tolerated because they are common in hand-kept spreadsheets.
    pub fn parse(raw: &str) -> Result<Self, IdNumberError> {
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                'x' | 'ｘ' | 'Ｘ' => 'X',
                _ => c,
            })
            .collect();
        let len = cleaned.chars().count();
        match len {
            18 => {
                let bytes = cleaned.as_bytes();
                if !bytes[..17].iter().all(u8::is_ascii_digit)
                    || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
                {
                    return Err(IdNumberError::Characters);
                }
                check_birth_date(&cleaned[6..14])?;
                let expected = check_char(&cleaned[..17]);
                if bytes[17] as char != expected {
                    return Err(IdNumberError::Checksum { expected });
                }
                Ok(IdNumber(cleaned))
            }
            15 => {
                if !cleaned.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(IdNumberError::Characters);
                }
                let first17 = format!("{}19{}", &cleaned[..6], &cleaned[6..]);
                check_birth_date(&first17[6..14])?;
                let check = check_char(&first17);
                Ok(IdNumber(format!("{first17}{check}")))
            }
            n => Err(IdNumberError::Length(n)),
        }
    }

    /// Builds a valid number from its parts (used by the demo generator and tests).
    /// `region` must be 6 digits, `birth` `YYYYMMDD`, `sequence` 0..=999.
    pub fn from_parts(region: &str, birth: &str, sequence: u16) -> Result<Self, IdNumberError> {
        let first17 = format!("{region}{birth}{:03}", sequence % 1000);
        if region.len() != 6
            || birth.len() != 8
            || first17.len() != 17
            || !first17.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(IdNumberError::Characters);
        }
        check_birth_date(birth)?;
        let check = check_char(&first17);
        Ok(IdNumber(format!("{first17}{check}")))
    }

    /// The 18-character form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit administrative region code of the issuing place.
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// Birth date as (year, month, day).
    pub fn birth_date(&self) -> (u16, u8, u8) {
        let d = &self.0[6..14];
        // The digits were checked by `parse`, so these conversions cannot fail.
        let y = d[..4].parse().unwrap_or(0);
        let m = d[4..6].parse().unwrap_or(0);
        let day = d[6..8].parse().unwrap_or(0);
        (y, m, day)
    }

    /// Birth date as `YYYY-MM-DD`.
    pub fn birth_date_iso(&self) -> String {
        let (y, m, d) = self.birth_date();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Gender from the parity of the sequence digit.
    pub fn gender(&self) -> Gender {
        let seq_last = self.0.as_bytes()[16] - b'0';
        if seq_last % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// The number with the middle hidden, as the UI shows it to users not
    /// entitled to the full number: `530102**********1234` style keeps the
    /// region and the last four characters.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..4], "*".repeat(10), &self.0[14..])
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The check character for 17 ASCII digits.
fn check_char(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS.iter())
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS[(sum % 11) as usize]
}

fn check_birth_date(yyyymmdd: &str) -> Result<(), IdNumberError> {
    let y: u32 = yyyymmdd[..4]
        .parse()
        .map_err(|_| IdNumberError::BirthDate)?;
    let m: u32 = yyyymmdd[4..6]
        .parse()
        .map_err(|_| IdNumberError::BirthDate)?;
    let d: u32 = yyyymmdd[6..8]
        .parse()
        .map_err(|_| IdNumberError::BirthDate)?;
    if !(1850..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return Err(IdNumberError::BirthDate);
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if leap => 29,
        _ => 28,
    };
    if d > days {
        return Err(IdNumberError::BirthDate);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_standard_example() {
        // The worked example of GB 11643-1999, Annex A.
        let id = IdNumber::parse("11010519491231002X").expect("valid");
        assert_eq!(id.birth_date(), (1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.region_code(), "110105");
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdNumberError::Checksum { expected: 'X' })
        );
    }

    #[test]
    fn upgrades_fifteen_digits() {
        let id = IdNumber::parse("110105491231002").expect("valid");
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn tolerates_full_width_and_lower_case() {
        let id = IdNumber::parse(" １１０１０５１９４９１２３１００２x ").expect("valid");
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn rejects_impossible_dates_and_bad_lengths() {
        assert_eq!(
            IdNumber::parse("110105194902300020"),
            Err(IdNumberError::BirthDate)
        );
        assert_eq!(IdNumber::parse("1234"), Err(IdNumberError::Length(4)));
        assert_eq!(
            IdNumber::parse("11010519491231A02X"),
            Err(IdNumberError::Characters)
        );
    }

    #[test]
    fn from_parts_always_round_trips() {
        for seq in 0..1000u16 {
            let id = IdNumber::from_parts("530102", "19800229", seq).expect("valid");
            assert_eq!(IdNumber::parse(id.as_str()), Ok(id));
        }
    }

    #[test]
    fn masks_the_middle() {
        let id = IdNumber::parse("11010519491231002X").expect("valid");
        assert_eq!(id.masked(), "1101**********002X");
    }
}
