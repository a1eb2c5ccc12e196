//! Kinds of data set and the fields each expects.
//!
//! A field has a machine key (the column name in the stored Parquet file and
//! in rule SQL), a Chinese label and header aliases from the catalogue
//! (`[collide_field]`, `[collide_alias]`), and a type that decides how its
//! cells are read and which derived columns it adds (see [`FieldType`]).

use xuncha_core::i18n::{has, t};

/// What a data set is a list of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Subsidy recipients (低保, 特困供养, 危房改造, 惠农补贴 …).
    Subsidy,
    /// Public-payroll staff (财政供养人员).
    Payroll,
    /// Village cadres (村两委成员).
    VillageCadre,
    /// Deceased persons (死亡人员).
    Deceased,
    /// Vehicle owners (车辆登记).
    Vehicle,
    /// Property owners (不动产登记).
    Property,
    /// Company registrations: legal representatives and shareholders.
    Company,
    /// Relations between two persons (亲属关系).
    Relatives,
    /// Any other list: every column kept under its header.
    Generic,
}

/// Every kind, in the order they are listed to users.
pub const ALL_KINDS: [Kind; 9] = [
    Kind::Subsidy,
    Kind::Payroll,
    Kind::VillageCadre,
    Kind::Deceased,
    Kind::Vehicle,
    Kind::Property,
    Kind::Company,
    Kind::Relatives,
    Kind::Generic,
];

impl Kind {
    /// Parses a `--kind` identifier (`subsidy`, `village-cadre` …).
    pub fn parse(s: &str) -> Option<Kind> {
        ALL_KINDS.into_iter().find(|k| k.id() == s.trim())
    }

    /// The command-line identifier.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Subsidy => "subsidy",
            Kind::Payroll => "payroll",
            Kind::VillageCadre => "village-cadre",
            Kind::Deceased => "deceased",
            Kind::Vehicle => "vehicle",
            Kind::Property => "property",
            Kind::Company => "company",
            Kind::Relatives => "relatives",
            Kind::Generic => "generic",
        }
    }

    /// The SQL table holding every data set of this kind (`None` for
    /// generic lists, whose columns differ from one list to the next).
    pub fn table(self) -> Option<&'static str> {
        match self {
            Kind::Generic => None,
            Kind::VillageCadre => Some("village_cadre"),
            k => Some(k.id()),
        }
    }

    /// The Chinese name of the kind.
    pub fn label(self) -> &'static str {
        t(&format!(
            "collide_kind.{}",
            self.table().unwrap_or("generic")
        ))
    }

    /// The fields this kind expects, in storage order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Subsidy => SUBSIDY,
            Kind::Payroll => PAYROLL,
            Kind::VillageCadre => VILLAGE_CADRE,
            Kind::Deceased => DECEASED,
            Kind::Vehicle => VEHICLE,
            Kind::Property => PROPERTY,
            Kind::Company => COMPANY,
            Kind::Relatives => RELATIVES,
            Kind::Generic => GENERIC,
        }
    }
}

/// How a field's cells are read and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text as written (trimmed).
    Text,
    /// Text plus a `<key>_key` matching form (normalised: traditional →
    /// simplified, variants, spaces and punctuation dropped) — names,
    /// villages, townships.
    Keyed,
    /// A citizen ID number: validated (GB 11643), upgraded to 18 characters,
    /// plus an integer `<key>` with `id_number` replaced by `id_key` for
    /// fast joins (`None` when invalid; the problem is reported).
    IdNumber,
    /// A date (`YYYY-MM-DD`, `YYYYMMDD`, `2024年3月1日`, Excel dates).
    Date,
    /// A month (`2024-03`, `202403`, `2024年3月`), stored as its first day.
    Month,
    /// A number (amounts in 元, areas in m²); thousands separators allowed.
    Number,
}

/// One field a kind of data set expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Machine name: the column in storage and in rule SQL.
    pub key: &'static str,
    /// How it is read.
    pub ty: FieldType,
    /// Whether a column for it must be present.
    pub required: bool,
}

impl Field {
    /// The field's Chinese label.
    pub fn label(&self) -> &'static str {
        t(&format!("collide_field.{}", self.key))
    }

    /// Accepted header spellings, the label first.
    pub fn aliases(&self) -> Vec<&'static str> {
        let mut v = vec![self.label()];
        let key = format!("collide_alias.{}", self.key);
        if has(&key) {
            v.extend(t(&key).split('|'));
        }
        v
    }

    /// The derived matching column, if the type adds one.
    pub fn derived_key(&self) -> Option<String> {
        match self.ty {
            FieldType::Keyed => Some(format!("{}_key", self.key)),
            FieldType::IdNumber => Some(self.key.replace("id_number", "id_key")),
            _ => None,
        }
    }
}

const fn f(key: &'static str, ty: FieldType, required: bool) -> Field {
    Field { key, ty, required }
}

use FieldType::{Date, IdNumber, Keyed, Month, Number, Text};

// `name`, `id_number` and `birth_date` come first in every kind: the rules'
// person matching relies on `name_key`, `id_key` and `birth_date` existing.
const SUBSIDY: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("programme", Text, true),
    f("amount", Number, false),
    f("pay_month", Month, false),
    f("period_start", Date, false),
    f("period_end", Date, false),
    f("household_head", Text, false),
    f("relation_to_head", Text, false),
    f("township", Keyed, false),
    f("village", Keyed, false),
    f("approver", Keyed, false),
    f("approver_id_number", IdNumber, false),
];

const PAYROLL: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("unit", Text, false),
    f("post", Text, false),
    f("township", Keyed, false),
    f("village", Keyed, false),
];

const VILLAGE_CADRE: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("township", Keyed, false),
    f("village", Keyed, true),
    f("post", Text, false),
];

const DECEASED: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("death_date", Date, true),
    f("township", Keyed, false),
    f("village", Keyed, false),
];

const VEHICLE: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("plate", Text, false),
    f("vehicle_type", Text, false),
    f("value", Number, false),
    f("registered_on", Date, false),
    f("village", Keyed, false),
];

const PROPERTY: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("address", Text, false),
    f("area", Number, false),
    f("value", Number, false),
    f("village", Keyed, false),
];

const COMPANY: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("company", Text, true),
    f("credit_code", Text, false),
    f("role", Text, false),
    f("village", Keyed, false),
];

const RELATIVES: &[Field] = &[
    f("name", Keyed, true),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("relative_name", Keyed, true),
    f("relative_id_number", IdNumber, false),
    f("relation", Text, false),
    f("village", Keyed, false),
];

const GENERIC: &[Field] = &[
    f("name", Keyed, false),
    f("id_number", IdNumber, false),
    f("birth_date", Date, false),
    f("village", Keyed, false),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_back_and_has_labels() {
        for k in ALL_KINDS {
            assert_eq!(Kind::parse(k.id()), Some(k));
            assert!(!k.label().starts_with("collide_kind."), "{k:?}");
            for f in k.fields() {
                assert!(!f.label().starts_with("collide_field."), "{}", f.key);
            }
            // Person matching relies on these three leading columns.
            let keys: Vec<_> = k.fields().iter().take(3).map(|f| f.key).collect();
            assert_eq!(keys, ["name", "id_number", "birth_date"]);
        }
        assert_eq!(Kind::parse("village-cadre"), Some(Kind::VillageCadre));
        assert_eq!(Kind::parse("x"), None);
    }

    #[test]
    fn derived_columns() {
        let id = f("approver_id_number", IdNumber, false);
        assert_eq!(id.derived_key().as_deref(), Some("approver_id_key"));
        assert_eq!(SUBSIDY[0].derived_key().as_deref(), Some("name_key"));
        assert_eq!(SUBSIDY[1].derived_key().as_deref(), Some("id_key"));
    }
}
