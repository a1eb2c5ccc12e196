//! A petition's content and its registration form.

use serde::{Deserialize, Serialize};

use super::petition::{check_representatives, Category, Channel, Lifecycle, Status};
use crate::error::{CoreError, FieldError};
use crate::i18n::t;
use crate::registry::parse_date;

/// The petitioner's identity: sealed (only the handlers see it, every view
/// is audited, it never reaches lists, search or exports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Name.
    pub name: String,
    /// Phone or address.
    pub contact: String,
}

/// A petition as stored (identity left out; see [`Identity`]).
#[derive(Debug, Clone, Serialize)]
pub struct Petition {
    /// Id.
    pub id: i64,
    /// The unit concerned.
    pub unit_id: Option<i64>,
    /// Its name.
    pub unit_name: Option<String>,
    /// Its path (permission checks).
    #[serde(skip)]
    pub unit_path: Option<String>,
    /// Channel.
    pub channel: Channel,
    /// Domain (低保, 扶贫, 土地 …).
    pub domain: Option<String>,
    /// Title.
    pub title: String,
    /// What the petitioner wrote or said.
    pub content: String,
    /// Persons concerned, as named.
    pub persons: Vec<String>,
    /// Anonymous (no identity recorded).
    pub anonymous: bool,
    /// Representatives of a collective visit.
    pub representatives: Option<u32>,
    /// An earlier petition this one repeats (flagged at registration).
    pub duplicate_of: Option<i64>,
    /// Lifecycle.
    pub lifecycle: Lifecycle,
    /// What is due next.
    pub due_date: Option<String>,
    /// Version read (for updates).
    pub version: i64,
}

/// The content stored as JSON beside the lifecycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PetitionData {
    /// Channel.
    pub channel: Channel,
    /// Content.
    pub content: String,
    /// Persons concerned.
    pub persons: Vec<String>,
    /// Representatives.
    pub representatives: Option<u32>,
    /// Lifecycle.
    pub lifecycle: Lifecycle,
}

/// The raw registration form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PetitionInput {
    /// Channel identifier or label.
    #[serde(default)]
    pub channel: String,
    /// Category identifier or label.
    #[serde(default)]
    pub category: String,
    /// Domain.
    #[serde(default)]
    pub domain: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Content.
    #[serde(default)]
    pub content: String,
    /// Persons concerned, separated by 、 or commas.
    #[serde(default)]
    pub persons: String,
    /// Day received.
    #[serde(default)]
    pub date: String,
    /// Petitioner's name (empty: anonymous).
    #[serde(default)]
    pub name: String,
    /// Petitioner's phone or address.
    #[serde(default)]
    pub contact: String,
    /// Representatives of a collective visit.
    #[serde(default)]
    pub representatives: String,
}

/// A validated registration.
#[derive(Debug, Clone)]
pub struct NewPetition {
    /// The unit concerned.
    pub unit_id: Option<i64>,
    /// Its path.
    pub unit_path: Option<String>,
    /// Category (kept in the lifecycle too).
    pub category: Category,
    /// Domain.
    pub domain: Option<String>,
    /// Title.
    pub title: String,
    /// Content and lifecycle.
    pub data: PetitionData,
    /// Identity, unless anonymous.
    pub identity: Option<Identity>,
    /// Flagged duplicate.
    pub duplicate_of: Option<i64>,
}

impl NewPetition {
    /// Validates a form, reporting every bad field.
    pub fn parse(i: &PetitionInput, unit: Option<(i64, String)>) -> Result<NewPetition, CoreError> {
        let mut errors = Vec::new();
        let channel = Channel::parse(&i.channel);
        if channel.is_none() {
            errors.push(FieldError::field("channel", t("error.petition_channel")));
        }
        let category = Category::parse(&i.category);
        if category.is_none() {
            errors.push(FieldError::field("category", t("error.petition_category")));
        }
        let title = i.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            errors.push(FieldError::field("title", t("error.required")));
        }
        let content = i.content.trim();
        if content.is_empty() {
            errors.push(FieldError::field("content", t("error.required")));
        } else if content.chars().count() > 20_000 {
            errors.push(FieldError::field("content", t("error.too_long")));
        }
        let date = parse_date(&i.date);
        if date.is_none() {
            errors.push(FieldError::field("date", t("error.date")));
        }
        let representatives = match i.representatives.trim() {
            "" => None,
            n => match n.parse::<u32>() {
                Ok(n) => match check_representatives(n) {
                    Ok(()) => Some(n),
                    Err(CoreError::Invalid(v)) => {
                        errors.extend(v);
                        None
                    }
                    Err(_) => None,
                },
                Err(_) => {
                    errors.push(FieldError::field(
                        "representatives",
                        t("error.positive_number"),
                    ));
                    None
                }
            },
        };
        if representatives.is_some() && channel != Some(Channel::Visit) {
            errors.push(FieldError::field(
                "representatives",
                t("error.petition_collective_visit"),
            ));
        }
        let (Some(channel), Some(category), Some(date)) = (channel, category, date) else {
            return Err(CoreError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(CoreError::Invalid(errors));
        }
        let name = i.name.trim();
        let identity = (!name.is_empty()).then(|| Identity {
            name: name.to_owned(),
            contact: i.contact.trim().to_owned(),
        });
        let persons = i
            .persons
            .split(['、', ',', '，', ';', '；', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        let (unit_id, unit_path) = match unit {
            Some((id, path)) => (Some(id), Some(path)),
            None => (None, None),
        };
        Ok(NewPetition {
            unit_id,
            unit_path,
            category,
            domain: Some(i.domain.trim().to_owned()).filter(|d| !d.is_empty()),
            title: title.to_owned(),
            data: PetitionData {
                channel,
                content: content.to_owned(),
                persons,
                representatives,
                lifecycle: Lifecycle::new(category, &date),
            },
            identity,
            duplicate_of: None,
        })
    }
}

impl Petition {
    /// Whether the petition is past the deadline of its next step on `today`.
    pub fn overdue(&self, today: &str) -> bool {
        self.due_date.as_deref().is_some_and(|d| d < today)
            && !matches!(self.lifecycle.status, Status::Closed | Status::NotAccepted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PetitionInput {
        PetitionInput {
            channel: "来信".into(),
            category: "申诉求决类".into(),
            domain: "低保".into(),
            title: "反映低保评定不公".into(),
            content: "村干部优亲厚友，将不符合条件的亲属纳入低保".into(),
            persons: "王五、赵六".into(),
            date: "2026-03-02".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_letter_without_a_name_is_anonymous() {
        let p = NewPetition::parse(&input(), None).expect("valid");
        assert!(p.identity.is_none());
        assert_eq!(p.data.persons, ["王五", "赵六"]);
        assert_eq!(p.data.lifecycle.status, Status::Registered);
    }

    #[test]
    fn collective_visits_only_with_five_representatives_at_most() {
        let mut i = input();
        i.representatives = "6".into();
        let err = NewPetition::parse(&i, None);
        assert!(
            matches!(err, Err(CoreError::Invalid(v)) if v.iter().any(|e| e.field == "representatives"))
        );
        i.channel = "visit".into();
        i.representatives = "5".into();
        assert_eq!(
            NewPetition::parse(&i, None)
                .expect("valid")
                .data
                .representatives,
            Some(5)
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let r = NewPetition::parse(&PetitionInput::default(), None);
        match r {
            Err(CoreError::Invalid(v)) => {
                let f: Vec<&str> = v.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, ["channel", "category", "title", "content", "date"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
