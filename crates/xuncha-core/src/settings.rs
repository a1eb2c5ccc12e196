//! County-level settings (time limits, the recusal window, rating scales,
//! category taxonomies …): stored in the database, edited by the admin in the
//! browser, audited. Later modules add their entries to [`DEFINITIONS`]
//! instead of hard-coding values.

use std::collections::BTreeMap;

use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::inspection::workdays::Calendar;

/// The public holidays (法定节假日) that fall on weekdays: days off.
pub const HOLIDAYS: &str = "calendar.holidays";
/// The weekend days worked instead (调休上班).
pub const WORKDAYS: &str = "calendar.workdays";

/// The type and bounds of a setting's value.
#[derive(Debug, Clone, Copy)]
pub enum SettingKind {
    /// A whole number within bounds.
    Int {
        /// Lowest allowed.
        min: i64,
        /// Highest allowed.
        max: i64,
    },
    /// One of fixed choices (identifiers; labels in the catalogue).
    Choice(&'static [&'static str]),
    /// A list of labels, one per line (scales, categories).
    Lines,
    /// One line of text that may be left empty (an address, a prefix).
    OptionalLine,
    /// Dates, one ISO date a line with an optional note after it; may be
    /// empty (the holiday calendar: [`Calendar::from_lines`]).
    Dates,
}

/// One setting: key, kind and default. Its label and help text are in the
/// catalogue under `setting.<key>` and `setting_help.<key>`.
#[derive(Debug, Clone, Copy)]
pub struct SettingDef {
    /// Stable key.
    pub key: &'static str,
    /// Kind.
    pub kind: SettingKind,
    /// Default value as text.
    pub default: &'static str,
}

impl SettingDef {
    /// Label shown in the settings page.
    pub fn label(&self) -> &'static str {
        t(&format!("setting.{}", self.key.replace('.', "_")))
    }
    /// Help text.
    pub fn help(&self) -> &'static str {
        t(&format!("setting_help.{}", self.key.replace('.', "_")))
    }
}

/// Every setting xuncha knows, in display order.
pub const DEFINITIONS: &[SettingDef] = &[
    SettingDef {
        key: "county.name",
        kind: SettingKind::Lines,
        default: "示范县",
    },
    SettingDef {
        key: "recusal.work_years",
        kind: SettingKind::Int { min: 0, max: 30 },
        default: "3",
    },
    SettingDef {
        key: "recusal.kin_scope",
        kind: SettingKind::Choice(&["leadership", "unit"]),
        default: "leadership",
    },
    SettingDef {
        key: "recusal.long_service_years",
        kind: SettingKind::Int { min: 0, max: 30 },
        default: "5",
    },
    SettingDef {
        key: "fieldwork.personal_report_checks",
        kind: SettingKind::Int { min: 0, max: 20 },
        default: "3",
    },
    SettingDef {
        key: "transfer.feedback_months",
        kind: SettingKind::Int { min: 1, max: 12 },
        default: "3",
    },
    SettingDef {
        key: "rectification.months",
        kind: SettingKind::Int { min: 1, max: 12 },
        default: "3",
    },
    SettingDef {
        key: "petition.handling_days",
        kind: SettingKind::Int { min: 1, max: 365 },
        default: "60",
    },
    // No official dates are shipped: the State Council announces them each
    // year, and the county enters them (empty: Monday to Friday).
    SettingDef {
        key: HOLIDAYS,
        kind: SettingKind::Dates,
        default: "",
    },
    SettingDef {
        key: WORKDAYS,
        kind: SettingKind::Dates,
        default: "",
    },
    SettingDef {
        key: "rating.scale",
        kind: SettingKind::Lines,
        default: "好\n较好\n一般\n差",
    },
    SettingDef {
        key: "paper.categories",
        kind: SettingKind::Lines,
        default: "四个落实/落实党的路线方针政策和党中央决策部署\n\
                  四个落实/落实全面从严治党战略部署\n\
                  四个落实/落实新时代党的组织路线\n\
                  四个落实/落实巡察整改\n\
                  三个聚焦/群众身边腐败问题和不正之风\n\
                  三个聚焦/基层党组织软弱涣散、组织力欠缺\n\
                  三个聚焦/惠民富民、促进共同富裕政策落实\n\
                  六项纪律/政治纪律\n\
                  六项纪律/组织纪律\n\
                  六项纪律/廉洁纪律\n\
                  六项纪律/群众纪律\n\
                  六项纪律/工作纪律\n\
                  六项纪律/生活纪律",
    },
    SettingDef {
        key: "upload.max_mb",
        kind: SettingKind::Int { min: 1, max: 1024 },
        default: "20",
    },
    SettingDef {
        key: "survey.scales",
        kind: SettingKind::Lines,
        default: "好/较好/一般/差/不了解\n\
                  优秀/良好/一般/较差/不了解\n\
                  满意/基本满意/不满意/不了解",
    },
    SettingDef {
        key: "survey.invalid_options",
        kind: SettingKind::Lines,
        default: "不了解\n弃权",
    },
    SettingDef {
        key: "tips.pow_bits",
        kind: SettingKind::Int { min: 0, max: 24 },
        default: "12",
    },
    SettingDef {
        key: "tips.surge_per_minute",
        kind: SettingKind::Int {
            min: 1,
            max: 1_000_000,
        },
        default: "600",
    },
    SettingDef {
        key: "tips.public_url",
        kind: SettingKind::OptionalLine,
        default: "",
    },
];

/// Looks up a definition.
pub fn definition(key: &str) -> Option<&'static SettingDef> {
    DEFINITIONS.iter().find(|d| d.key == key)
}

/// The effective settings: stored values over defaults.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    stored: BTreeMap<String, String>,
}

impl Settings {
    /// Builds from what the store holds (unknown keys are kept but unused).
    pub fn from_stored(stored: BTreeMap<String, String>) -> Settings {
        Settings { stored }
    }

    /// The value as text (stored, else default).
    pub fn get(&self, key: &str) -> String {
        self.stored
            .get(key)
            .cloned()
            .or_else(|| definition(key).map(|d| d.default.to_owned()))
            .unwrap_or_default()
    }

    /// The value as a number (default when unparsable).
    pub fn get_int(&self, key: &str) -> i64 {
        let d = definition(key)
            .and_then(|d| d.default.parse().ok())
            .unwrap_or(0);
        self.get(key).parse().unwrap_or(d)
    }

    /// A `Lines` value as a list.
    pub fn get_lines(&self, key: &str) -> Vec<String> {
        self.get(key)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The working-day calendar of the county: weekends, the holidays and
    /// the make-up working days of the settings. Stored values were
    /// validated; should they fail anyway, weekends alone are used.
    pub fn calendar(&self) -> Calendar {
        Calendar::from_lines(&self.get_lines(HOLIDAYS), &self.get_lines(WORKDAYS))
            .unwrap_or_default()
    }
}

/// Checks the holiday and make-up lists together (a bad line, or a day in
/// both), naming the field at fault in Chinese.
pub fn check_calendar(holidays: &str, workdays: &str) -> Result<(), FieldError> {
    let lines = |v: &str| v.lines().map(str::to_owned).collect::<Vec<_>>();
    let (h, w) = (lines(holidays), lines(workdays));
    if let Err(m) = Calendar::from_lines(&h, &[]) {
        return Err(FieldError::field(HOLIDAYS, m));
    }
    Calendar::from_lines(&h, &w)
        .map(|_| ())
        .map_err(|m| FieldError::field(WORKDAYS, m))
}

/// Validates new values for the settings named in `changes`.
pub fn validate(changes: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, CoreError> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (key, raw) in changes {
        let Some(def) = definition(key) else {
            errors.push(FieldError::field(
                key,
                tf("error.setting_unknown", &[("key", key)]),
            ));
            continue;
        };
        let value = raw.replace("\r\n", "\n").trim().to_owned();
        let ok = match def.kind {
            SettingKind::Int { min, max } => match value.parse::<i64>() {
                Ok(v) if (min..=max).contains(&v) => true,
                _ => {
                    errors.push(FieldError::field(
                        key,
                        tf(
                            "error.setting_range",
                            &[("min", &min.to_string()), ("max", &max.to_string())],
                        ),
                    ));
                    false
                }
            },
            SettingKind::Choice(choices) => {
                let ok = choices.contains(&value.as_str());
                if !ok {
                    errors.push(FieldError::field(key, t("error.setting_choice")));
                }
                ok
            }
            SettingKind::OptionalLine => {
                let ok = !value.contains('\n') && value.chars().count() <= 500;
                if !ok {
                    errors.push(FieldError::field(key, t("error.setting_line")));
                }
                ok
            }
            SettingKind::Dates => {
                let (h, w) = if key == WORKDAYS {
                    ("", value.as_str())
                } else {
                    (value.as_str(), "")
                };
                match check_calendar(h, w) {
                    Ok(()) if value.chars().count() <= 20_000 => true,
                    Ok(()) => {
                        errors.push(FieldError::field(key, t("error.setting_lines")));
                        false
                    }
                    Err(e) => {
                        errors.push(FieldError::field(key, e.message));
                        false
                    }
                }
            }
            SettingKind::Lines => {
                let ok = !value.is_empty() && value.chars().count() <= 10_000;
                if !ok {
                    errors.push(FieldError::field(key, t("error.setting_lines")));
                }
                ok
            }
        };
        if ok {
            out.insert(key.clone(), value);
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(CoreError::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_and_stored_values_win() {
        let mut m = BTreeMap::new();
        m.insert("recusal.work_years".to_owned(), "5".to_owned());
        let s = Settings::from_stored(m);
        assert_eq!(s.get_int("recusal.work_years"), 5);
        assert_eq!(s.get_int("rectification.months"), 3);
        assert_eq!(s.get_lines("rating.scale"), ["好", "较好", "一般", "差"]);
    }

    #[test]
    fn validation_names_each_bad_key() {
        let mut m = BTreeMap::new();
        m.insert("recusal.work_years".to_owned(), "99".to_owned());
        m.insert("recusal.kin_scope".to_owned(), "everyone".to_owned());
        m.insert("nope".to_owned(), "1".to_owned());
        match validate(&m) {
            Err(CoreError::Invalid(v)) => assert_eq!(v.len(), 3),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_calendar_comes_from_the_two_lists() {
        let mut m = BTreeMap::new();
        m.insert(
            HOLIDAYS.to_owned(),
            "2026-10-01 国庆节\n2026-10-02".to_owned(),
        );
        m.insert(WORKDAYS.to_owned(), "# 调休\n2026-10-10".to_owned());
        assert!(validate(&m).is_ok());
        let cal = Settings::from_stored(m).calendar();
        let d = |s| crate::inspection::workdays::parse_iso(s).expect("date");
        assert!(!cal.is_workday(d("2026-10-01")));
        assert!(cal.is_workday(d("2026-10-10")), "make-up Saturday");
        assert_eq!(
            Settings::default().calendar(),
            Calendar::weekends_only(),
            "empty by default"
        );
    }

    #[test]
    fn a_bad_calendar_line_is_named_and_nothing_passes() {
        let mut m = BTreeMap::new();
        m.insert(HOLIDAYS.to_owned(), "2026-10-01\n十月二日".to_owned());
        m.insert(WORKDAYS.to_owned(), "2026-10-10".to_owned());
        match validate(&m) {
            Err(CoreError::Invalid(v)) => {
                assert_eq!(v.len(), 1);
                assert_eq!(v[0].field, HOLIDAYS);
                assert!(
                    v[0].message.contains("第2行") && v[0].message.contains("十月二日"),
                    "{}",
                    v[0].message
                );
            }
            other => panic!("{other:?}"),
        }
        let both = check_calendar("2026-10-10", "2026-10-10").unwrap_err();
        assert_eq!(both.field, WORKDAYS);
        assert!(both.message.contains("2026-10-10"), "{}", both.message);
    }

    #[test]
    fn every_definition_has_a_label_and_a_valid_default() {
        for d in DEFINITIONS {
            assert!(
                crate::i18n::has(&format!("setting.{}", d.key.replace('.', "_"))),
                "{}",
                d.key
            );
            let mut m = BTreeMap::new();
            m.insert(d.key.to_owned(), d.default.to_owned());
            assert!(validate(&m).is_ok(), "{}", d.key);
        }
    }
}
