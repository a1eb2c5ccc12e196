//! Custody of confiscated items (暂扣物品): who took what from which room and
//! whose it is; it goes back only against a written guarantee (保证书: typed
//! text, or a photo of the signed paper or of a signature) and the record of
//! who handed it back to whom.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::{t, tf};
use crate::labels::labelled_enum;

labelled_enum!(
    /// Where an item is.
    ItemStatus, "item_status", {
        /// Held by the organiser.
        Held = "held",
        /// Given back after a guarantee.
        Returned = "returned",
    }
);

/// An item as typed on the room form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfiscationInput {
    /// What (电饭锅, 电磁炉).
    pub item: String,
    /// Whose.
    pub owner: String,
    /// How many.
    pub quantity: String,
    /// Its photo (a stored blob), if taken.
    pub photo: Option<String>,
}

/// A validated item to store with the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConfiscation {
    /// What.
    pub item: String,
    /// Whose.
    pub owner: String,
    /// How many.
    pub quantity: i64,
    /// Photo blob.
    pub photo: Option<String>,
}

impl ConfiscationInput {
    /// Whether the row was left empty on the form.
    pub fn is_blank(&self) -> bool {
        self.item.trim().is_empty() && self.owner.trim().is_empty() && self.photo.is_none()
    }

    /// Validates row `i` of the form (fields `item_i`, `owner_i`, `quantity_i`).
    pub fn parse(&self, i: usize) -> Result<NewConfiscation, Vec<FieldError>> {
        let mut errors = Vec::new();
        let item = self.item.trim();
        if item.is_empty() || item.chars().count() > 50 {
            errors.push(FieldError::field(
                &format!("item_{i}"),
                t("error.custody_item"),
            ));
        }
        let owner = self.owner.trim();
        if owner.is_empty() || owner.chars().count() > 50 {
            errors.push(FieldError::field(
                &format!("owner_{i}"),
                t("error.custody_owner"),
            ));
        }
        let quantity = match self.quantity.trim() {
            "" => 1,
            s => match s.parse::<i64>() {
                Ok(n) if (1..=99).contains(&n) => n,
                _ => {
                    errors.push(FieldError::field(
                        &format!("quantity_{i}"),
                        tf("error.custody_quantity", &[("max", "99")]),
                    ));
                    1
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewConfiscation {
            item: item.to_owned(),
            owner: owner.to_owned(),
            quantity,
            photo: self.photo.clone(),
        })
    }
}

/// A confiscated item as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confiscation {
    /// Id.
    pub id: i64,
    /// Campaign.
    pub campaign_id: i64,
    /// The room it was taken from.
    pub target_id: i64,
    /// The room's full name (1号楼 / 3层 / 301).
    pub place: String,
    /// The record it was taken with.
    pub record_id: i64,
    /// What.
    pub item: String,
    /// Whose.
    pub owner: String,
    /// How many.
    pub quantity: i64,
    /// Photo blob.
    pub photo: Option<String>,
    /// Who took it (the recorder's display name).
    pub taken_by: String,
    /// Day it was taken.
    pub taken_on: String,
    /// Held or returned.
    pub status: ItemStatus,
    /// The guarantee's text.
    pub guarantee: Option<String>,
    /// The guarantee's scan or signature (blob).
    pub guarantee_file: Option<String>,
    /// To whom it was returned.
    pub returned_to: Option<String>,
    /// Who returned it.
    pub returned_by: Option<String>,
    /// Day it was returned.
    pub returned_on: Option<String>,
    /// Version for optimistic concurrency.
    pub version: i64,
}

/// The return form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ReturnInput {
    /// The guarantee as written by the owner.
    #[serde(default)]
    pub guarantee: String,
    /// To whom it is handed.
    #[serde(default)]
    pub returned_to: String,
    /// The version read.
    #[serde(default)]
    pub version: String,
}

/// A validated return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemReturn {
    /// Guarantee text.
    pub guarantee: Option<String>,
    /// Guarantee scan or signature (blob).
    pub guarantee_file: Option<String>,
    /// To whom.
    pub returned_to: String,
    /// Who returned it (display name).
    pub returned_by: String,
    /// Day.
    pub returned_on: String,
}

impl ReturnInput {
    /// Validates: a guarantee (text, or a scan/signature) and who receives it.
    pub fn parse(&self, file: Option<String>) -> Result<(Option<String>, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let text = self.guarantee.trim();
        if text.is_empty() && file.is_none() {
            errors.push(FieldError::field("guarantee", t("error.custody_guarantee")));
        }
        if text.chars().count() > 2000 {
            errors.push(FieldError::field(
                "guarantee",
                tf("error.too_long_n", &[("max", "2000")]),
            ));
        }
        let to = self.returned_to.trim();
        if to.is_empty() || to.chars().count() > 50 {
            errors.push(FieldError::field(
                "returned_to",
                t("error.custody_returned_to"),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(((!text.is_empty()).then(|| text.to_owned()), to.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_need_what_and_whose() {
        let ok = ConfiscationInput {
            item: "电饭锅".into(),
            owner: "李明".into(),
            ..Default::default()
        };
        assert_eq!(ok.parse(0).expect("valid").quantity, 1);
        let bad = ConfiscationInput {
            item: "电磁炉".into(),
            quantity: "0".into(),
            ..Default::default()
        };
        let e = bad.parse(2).expect_err("invalid");
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["owner_2", "quantity_2"]);
        assert!(ConfiscationInput::default().is_blank());
    }

    #[test]
    fn a_return_needs_a_guarantee() {
        let r = ReturnInput {
            returned_to: "李明".into(),
            ..Default::default()
        };
        assert_eq!(
            r.parse(None).expect_err("no guarantee")[0].field,
            "guarantee"
        );
        assert!(r.parse(Some("abc".into())).is_ok());
        let r = ReturnInput {
            guarantee: "保证不再使用违规电器".into(),
            ..Default::default()
        };
        assert_eq!(r.parse(None).expect_err("to whom")[0].field, "returned_to");
    }
}
