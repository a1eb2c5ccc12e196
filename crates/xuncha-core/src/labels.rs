//! Enumerations with a stable identifier (database, API, command line) and a
//! Chinese label from the catalogue, parsed from either or from an alias.

/// Declares such an enumeration: `labelled_enum!(Name, "catalogue_section", { Variant = "id", … })`.
/// Labels come from `section.id`, aliases (separated by `|`) from `section_alias.id`.
macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal, { $($(#[$vm:meta])* $v:ident = $id:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $id)] $v),+ }

        impl $name {
            /// Every value, in UI order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            /// Stable identifier.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $id),+ } }
            /// Chinese label from the catalogue.
            pub fn label(self) -> &'static str { $crate::i18n::t(&format!("{}.{}", $prefix, self.as_str())) }
            /// Parses the identifier, the label, or an alias from the catalogue.
            pub fn parse(raw: &str) -> Option<$name> {
                let s = raw.trim();
                Self::ALL.iter().copied().find(|v| {
                    v.as_str() == s || v.label() == s
                        || $crate::i18n::t(&format!("{}_alias.{}", $prefix, v.as_str())).split('|').any(|a| a == s)
                })
            }
        }
    };
}
pub(crate) use labelled_enum;
