//! Persons (人员), their leadership posts, kinship relations, work history,
//! and the inspector pool (巡察干部人才库).

use serde::Serialize;
use xuncha_text::IdNumber;

use crate::error::{CoreError, FieldError};
use crate::i18n::{t, tf};
use crate::labels::labelled_enum;

labelled_enum!(
    /// Gender as recorded.
    Gender, "gender", { /// 男
    Male = "male", /// 女
    Female = "female" }
);

labelled_enum!(
    /// The kinship classes that recusal uses (公务员回避的亲属关系).
    Kinship, "kinship", {
    /// 夫妻关系
    Spouse = "spouse",
    /// 直系血亲关系
    Lineal = "lineal",
    /// 三代以内旁系血亲关系
    Collateral = "collateral",
    /// 近姻亲关系
    InLaw = "in-law",
    }
);

labelled_enum!(
    /// Rank of a leadership post.
    PostRank, "post_rank", {
    /// 主要负责人（书记、主任、局长 …）
    Principal = "principal",
    /// 副职（副书记、副局长 …）
    Deputy = "deputy",
    /// 其他班子成员
    Member = "member",
    }
);

labelled_enum!(
    /// Skills of an inspector in the pool.
    Skill, "skill", {
    /// 纪检监察
    Discipline = "discipline",
    /// 组织人事
    Organisation = "organisation",
    /// 财务
    Finance = "finance",
    /// 审计
    Audit = "audit",
    /// 法律
    Law = "law",
    /// 其他
    Other = "other",
    }
);

impl From<xuncha_text::Gender> for Gender {
    fn from(g: xuncha_text::Gender) -> Self {
        match g {
            xuncha_text::Gender::Male => Gender::Male,
            xuncha_text::Gender::Female => Gender::Female,
        }
    }
}

/// A person as stored, with the unit's name for display.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    /// Id.
    pub id: i64,
    /// Name as written.
    pub name: String,
    /// 18-character ID number, when known.
    pub id_number: Option<String>,
    /// Gender.
    pub gender: Option<Gender>,
    /// Birth date `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// Current unit.
    pub unit_id: Option<i64>,
    /// Current unit's name.
    pub unit_name: Option<String>,
    /// Current unit's path (for permission checks).
    #[serde(skip)]
    pub unit_path: Option<String>,
    /// Current position (职务).
    pub position: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
}

impl Person {
    /// The ID number as the actor may see it: in full, or masked.
    pub fn id_number_for(&self, full: bool) -> Option<String> {
        self.id_number.as_ref().map(|n| {
            if full {
                n.clone()
            } else {
                IdNumber::parse(n)
                    .map(|i| i.masked())
                    .unwrap_or_else(|_| "****".into())
            }
        })
    }
}

/// A validated new person (or new values of an edited one).
#[derive(Debug, Clone)]
pub struct NewPerson {
    /// Name.
    pub name: String,
    /// Validated ID number.
    pub id_number: Option<IdNumber>,
    /// Gender (from the ID number when not given).
    pub gender: Option<Gender>,
    /// Birth date (from the ID number when not given).
    pub birth_date: Option<String>,
    /// Unit.
    pub unit_id: Option<i64>,
    /// Position.
    pub position: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// Raw values of a person form or import row.
#[derive(Debug, Clone, Default)]
pub struct PersonInput<'a> {
    /// 姓名
    pub name: &'a str,
    /// 身份证号
    pub id_number: &'a str,
    /// 性别
    pub gender: &'a str,
    /// 出生日期
    pub birth_date: &'a str,
    /// 职务
    pub position: &'a str,
    /// 联系电话
    pub phone: &'a str,
}

impl NewPerson {
    /// Validates raw values; the unit is resolved by the caller.
    pub fn parse(input: &PersonInput<'_>, unit_id: Option<i64>) -> Result<NewPerson, CoreError> {
        let mut errors = Vec::new();
        let name = xuncha_text::name::normalize_name(input.name);
        if name.is_empty() {
            errors.push(FieldError::field("name", t("error.name_empty")));
        } else if name.chars().count() > 50 {
            errors.push(FieldError::field("name", t("error.name_too_long")));
        }
        let id_number = if input.id_number.trim().is_empty() {
            None
        } else {
            match IdNumber::parse(input.id_number) {
                Ok(id) => Some(id),
                Err(e) => {
                    errors.push(FieldError::field("id_number", e.to_string()));
                    None
                }
            }
        };
        let gender = if input.gender.trim().is_empty() {
            id_number.as_ref().map(|i| i.gender().into())
        } else {
            match Gender::parse(input.gender) {
                Some(g) => {
                    if let Some(i) = &id_number {
                        if Gender::from(i.gender()) != g {
                            errors.push(FieldError::field("gender", t("error.gender_mismatch")));
                        }
                    }
                    Some(g)
                }
                None => {
                    errors.push(FieldError::field("gender", t("error.gender")));
                    None
                }
            }
        };
        let birth_date = if input.birth_date.trim().is_empty() {
            id_number.as_ref().map(|i| i.birth_date_iso())
        } else {
            match crate::registry::parse_date(input.birth_date) {
                Some(d) => {
                    if let Some(i) = &id_number {
                        if i.birth_date_iso() != d {
                            errors.push(FieldError::field(
                                "birth_date",
                                tf("error.birth_mismatch", &[("date", &i.birth_date_iso())]),
                            ));
                        }
                    }
                    Some(d)
                }
                None => {
                    errors.push(FieldError::field("birth_date", t("error.date")));
                    None
                }
            }
        };
        let phone = input.phone.trim();
        if !phone.is_empty()
            && (phone.len() > 20
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | ' ')))
        {
            errors.push(FieldError::field("phone", t("error.phone")));
        }
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        let opt = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_owned())
        };
        Ok(NewPerson {
            name,
            id_number,
            gender,
            birth_date,
            unit_id,
            position: opt(input.position),
            phone: opt(phone),
        })
    }
}

/// Filters of the person list.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// Name prefix, or a full or partial ID number.
    pub q: Option<String>,
    /// Only persons of this unit.
    pub unit_id: Option<i64>,
    /// Order of the list.
    pub sort: PersonSort,
    /// Descending instead of ascending.
    pub desc: bool,
}

/// How a person list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PersonSort {
    /// The order that suits the filter (unit tree; name or ID number when searching).
    #[default]
    Auto,
    /// By name.
    Name,
    /// By birth date.
    BirthDate,
    /// By unit (tree order).
    Unit,
}

impl PersonSort {
    /// Parses `name`, `birth_date`, `unit` (anything else: automatic).
    pub fn parse(s: &str) -> PersonSort {
        match s {
            "name" => PersonSort::Name,
            "birth_date" => PersonSort::BirthDate,
            "unit" => PersonSort::Unit,
            _ => PersonSort::Auto,
        }
    }
}

/// A kinship relation between two persons (stored once, read both ways).
#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    /// Id.
    pub id: i64,
    /// One person.
    pub person_a_id: i64,
    /// Their name.
    pub person_a_name: String,
    /// The other person.
    pub person_b_id: i64,
    /// Their name.
    pub person_b_name: String,
    /// Class of relation.
    pub kind: Kinship,
    /// The precise relation as said (父子, 兄妹, 岳父 …).
    pub detail: Option<String>,
}

/// A validated new relation.
#[derive(Debug, Clone)]
pub struct NewRelation {
    /// One person.
    pub person_a_id: i64,
    /// The other person.
    pub person_b_id: i64,
    /// Class.
    pub kind: Kinship,
    /// Precise relation.
    pub detail: Option<String>,
}

/// A period of work in a unit.
#[derive(Debug, Clone, Serialize)]
pub struct WorkHistory {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The unit's name.
    pub unit_name: String,
    /// Position held.
    pub position: Option<String>,
    /// From `YYYY-MM-DD`.
    pub from_date: String,
    /// To `YYYY-MM-DD`; `None` while current.
    pub to_date: Option<String>,
}

/// A validated new work-history entry.
#[derive(Debug, Clone)]
pub struct NewWorkHistory {
    /// The person.
    pub person_id: i64,
    /// The unit.
    pub unit_id: i64,
    /// Position held.
    pub position: Option<String>,
    /// From.
    pub from_date: String,
    /// To.
    pub to_date: Option<String>,
}

/// A post in a unit's leadership team (领导班子).
#[derive(Debug, Clone, Serialize)]
pub struct LeadershipPost {
    /// Id.
    pub id: i64,
    /// The unit.
    pub unit_id: i64,
    /// The person.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// Title (党委书记, 局长 …).
    pub title: String,
    /// Rank.
    pub rank: PostRank,
}

/// A member of the inspector pool.
#[derive(Debug, Clone, Serialize)]
pub struct Inspector {
    /// Id.
    pub id: i64,
    /// The person.
    pub person_id: i64,
    /// Their name.
    pub person_name: String,
    /// The department they are seconded from.
    pub source_unit_id: Option<i64>,
    /// Its name.
    pub source_unit_name: Option<String>,
    /// Skills.
    pub skills: Vec<Skill>,
    /// Rounds served (experience).
    pub rounds_served: i32,
    /// The user account the inspector logs in with (team assignments and
    /// recusals follow it).
    pub user_id: Option<i64>,
    /// 成长地/籍贯 as a region code (recusal by home area).
    pub home_region_code: Option<String>,
}

/// A validated new inspector.
#[derive(Debug, Clone)]
pub struct NewInspector {
    /// The person.
    pub person_id: i64,
    /// Source department.
    pub source_unit_id: Option<i64>,
    /// Skills.
    pub skills: Vec<Skill>,
    /// Rounds served.
    pub rounds_served: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_takes_birth_and_gender_from_the_id() {
        let p = NewPerson::parse(
            &PersonInput {
                name: " 张 三",
                id_number: "11010519491231002x",
                ..Default::default()
            },
            None,
        )
        .expect("valid");
        assert_eq!(p.name, "张三");
        assert_eq!(p.birth_date.as_deref(), Some("1949-12-31"));
        assert_eq!(p.gender, Some(Gender::Female));
    }

    #[test]
    fn person_reports_every_bad_field() {
        let r = NewPerson::parse(
            &PersonInput {
                name: "",
                id_number: "110105194912310021",
                gender: "男",
                birth_date: "1950-01-01",
                phone: "call me",
                ..Default::default()
            },
            None,
        );
        match r {
            Err(CoreError::Invalid(v)) => {
                let f: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["name", "id_number", "phone"]);
            }
            other => panic!("expected invalid: {other:?}"),
        }
    }

    #[test]
    fn kinship_parses_labels_and_aliases() {
        for k in Kinship::ALL {
            assert_eq!(Kinship::parse(k.label()), Some(*k));
        }
        assert_eq!(Kinship::parse("夫妻"), Some(Kinship::Spouse));
    }
}
