//! The targets of a campaign. A checklist campaign's are typed one line per
//! group of rooms — `1号宿舍楼/1层/101-112`, `3号楼（场外）/2层/201,203` —
//! or taken from the registry (a unit's sub-units); a visit campaign's are
//! the townships and villages of the registry, with households imported.

use crate::error::FieldError;
use crate::i18n::tf;
use crate::labels::labelled_enum;

labelled_enum!(
    /// The level of a target in its tree.
    TargetLevel, "target_level", {
        /// A building.
        Building = "building",
        /// A floor of a building.
        Floor = "floor",
        /// A room (a leaf).
        Room = "room",
        /// A registry unit checked as a whole (a leaf).
        Unit = "unit",
        /// A township (its villages below).
        Township = "township",
        /// A village or community, whose households are visited.
        Village = "village",
    }
);

impl TargetLevel {
    /// Whether records are made on the target itself.
    pub fn is_leaf(self) -> bool {
        matches!(self, TargetLevel::Room | TargetLevel::Unit)
    }
}

/// One target to create: its names from the top (building, floor, room).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLine {
    /// Names from the top; the last is the leaf.
    pub names: Vec<String>,
}

/// Most rooms one campaign may list.
pub const MAX_ROOMS: usize = 20_000;

/// Parses target lines into leaf paths. A line has one to three parts
/// separated by `/`; the last part lists rooms separated by `,`, `，` or
/// `、`, each a name or a numeric range `101-112` (leading zeros kept).
pub fn parse_lines(text: &str) -> Result<Vec<TargetLine>, Vec<FieldError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split(['/', '／']).map(str::trim).collect();
        let bad = |why: &str| {
            FieldError::field(
                "targets",
                tf(
                    "error.target_line",
                    &[("line", &(i + 1).to_string()), ("text", line), ("why", why)],
                ),
            )
        };
        if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            errors.push(bad(crate::i18n::t("error.target_parts")));
            continue;
        }
        let (prefix, last) = parts.split_at(parts.len() - 1);
        for piece in last[0].split([',', '，', '、']).map(str::trim) {
            if piece.is_empty() {
                continue;
            }
            match expand(piece) {
                Some(names) => {
                    for n in names {
                        let mut names: Vec<String> =
                            prefix.iter().map(|s| (*s).to_owned()).collect();
                        names.push(n);
                        out.push(TargetLine { names });
                    }
                }
                None => errors.push(bad(crate::i18n::t("error.target_range"))),
            }
            if out.len() > MAX_ROOMS {
                errors.push(bad(&MAX_ROOMS.to_string()));
                return Err(errors);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// `101-105` → 101…105 (same width kept: `01-03` → 01, 02, 03); anything
/// else is one name. A reversed or huge range is refused.
fn expand(piece: &str) -> Option<Vec<String>> {
    let Some((a, b)) = piece.split_once(['-', '－', '~', '～']) else {
        return Some(vec![piece.to_owned()]);
    };
    let (a, b) = (a.trim(), b.trim());
    // A name that merely contains a dash is a name.
    if !a.bytes().all(|c| c.is_ascii_digit()) || !b.bytes().all(|c| c.is_ascii_digit()) {
        return Some(vec![piece.to_owned()]);
    }
    let (x, y) = (a.parse::<u32>().ok()?, b.parse::<u32>().ok()?);
    if y < x || y - x > 999 {
        return None;
    }
    let width = a.len();
    Some((x..=y).map(|n| format!("{n:0width$}")).collect())
}

/// Where each leaf of a parsed list sits: the levels of a one-, two- and
/// three-part line.
pub fn levels_of(parts: usize) -> &'static [TargetLevel] {
    match parts {
        1 => &[TargetLevel::Room],
        2 => &[TargetLevel::Building, TargetLevel::Room],
        _ => &[TargetLevel::Building, TargetLevel::Floor, TargetLevel::Room],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_lists() {
        let t = parse_lines("1号楼/1层/101-103\n3号楼（场外）／2层／201，203、A-1\n\n门卫室")
            .expect("valid");
        let names: Vec<String> = t.iter().map(|l| l.names.join("/")).collect();
        assert_eq!(
            names,
            vec![
                "1号楼/1层/101",
                "1号楼/1层/102",
                "1号楼/1层/103",
                "3号楼（场外）/2层/201",
                "3号楼（场外）/2层/203",
                "3号楼（场外）/2层/A-1",
                "门卫室"
            ]
        );
        assert_eq!(
            parse_lines("B/01-02").expect("valid")[1].names,
            vec!["B", "02"]
        );
    }

    #[test]
    fn bad_lines_are_named() {
        let e = parse_lines("1号楼/1层/105-101\na/b/c/d").expect_err("invalid");
        assert_eq!(e.len(), 2);
        assert!(e[0].message.contains("第1行"), "{}", e[0].message);
        assert!(e[1].message.contains("第2行"), "{}", e[1].message);
    }
}
