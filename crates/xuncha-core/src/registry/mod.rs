//! The organisation registry: units (a tree), persons, leadership posts,
//! kinship relations, work history and the inspector pool.

mod person;
mod unit;

pub use person::{
    Gender, Inspector, Kinship, LeadershipPost, NewInspector, NewPerson, NewRelation,
    NewWorkHistory, Person, PersonFilter, PersonInput, PersonSort, PostRank, Relation, Skill,
    WorkHistory,
};
pub use unit::{NewUnit, Unit, UnitFilter, UnitKind, UnitName, UnitSort};

use serde::Serialize;

/// One page of a list, with the total count matching the filter.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items match in all (at least this many when `total_capped`).
    pub total: i64,
    /// A broad search stopped counting at [`COUNT_CAP`]: `total` is a lower bound.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total_capped: bool,
}

/// Searches count matches only up to this many: telling "10,000+" from
/// "312,417" is not worth scanning a million index entries per keystroke.
pub const COUNT_CAP: i64 = 10_000;

/// Which page of a list to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based page number.
    pub page: u32,
    /// Items per page (1..=500).
    pub per_page: u32,
}

impl PageRequest {
    /// Clamps raw numbers into a valid request (default 50 per page).
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> PageRequest {
        PageRequest {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(50).clamp(1, 500),
        }
    }
    /// Rows to skip.
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
    /// Rows to return.
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
}

/// Validates an ISO date `YYYY-MM-DD` (or `YYYY-MM`, completed to the 1st).
pub fn parse_date(raw: &str) -> Option<String> {
    let s = raw
        .trim()
        .replace(['/', '.', '年', '月'], "-")
        .replace('日', "");
    let s = s.trim_end_matches('-');
    let parts: Vec<&str> = s.split('-').collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (
            y.parse::<i32>().ok()?,
            m.parse::<u8>().ok()?,
            d.parse::<u8>().ok()?,
        ),
        [y, m] => (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?, 1),
        _ => return None,
    };
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    if !(1850..=2100).contains(&y) {
        return None;
    }
    Some(format!("{:04}-{:02}-{:02}", date.year(), m, date.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_office_spellings() {
        assert_eq!(parse_date("2020-3-5").as_deref(), Some("2020-03-05"));
        assert_eq!(parse_date("2020/03/05").as_deref(), Some("2020-03-05"));
        assert_eq!(parse_date("2020年3月5日").as_deref(), Some("2020-03-05"));
        assert_eq!(parse_date("2020.03").as_deref(), Some("2020-03-01"));
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(parse_date("abc"), None);
    }

    #[test]
    fn page_requests_are_clamped() {
        let p = PageRequest::new(Some(0), Some(10_000));
        assert_eq!((p.page, p.per_page), (1, 500));
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
    }
}
