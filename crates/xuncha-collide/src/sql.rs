//! Building blocks of the templates' SQL.
//!
//! Rules are plain SQL over the kind tables (`subsidy`, `payroll` …) so the
//! text printed by `xuncha collide rules --sql` runs unchanged on DuckDB or
//! a cluster engine (Spark SQL, Trino) over the same Parquet files. Only
//! portable constructs are used: joins, `UNION ALL`, `CASE`, `COALESCE`,
//! `CAST(… AS VARCHAR)`, `||`, `GROUP BY`/`HAVING`, `string_agg`.

use xuncha_core::i18n::t;

/// A SQL string literal (single quotes doubled).
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A catalogue message as a SQL string expression, its `{name}`
/// placeholders replaced by SQL expressions (each wrapped in `COALESCE(…,
/// '')` so a missing value does not make the whole text NULL).
pub fn text(key: &str, args: &[(&str, &str)]) -> String {
    let mut template = t(key).to_owned();
    let mut parts: Vec<String> = Vec::new();
    // Split the template at each placeholder, in the order they appear.
    loop {
        let next = args
            .iter()
            .filter_map(|(n, e)| template.find(&format!("{{{n}}}")).map(|i| (i, *n, *e)))
            .min_by_key(|(i, _, _)| *i);
        let Some((i, name, expr)) = next else {
            break;
        };
        if i > 0 {
            parts.push(lit(&template[..i]));
        }
        parts.push(format!("COALESCE(CAST({expr} AS VARCHAR), '')"));
        template = template[i + name.len() + 2..].to_owned();
    }
    if !template.is_empty() || parts.is_empty() {
        parts.push(lit(&template));
    }
    parts.join(" || ")
}

/// `<data set>第<row>行` for the row of table alias `alias`.
pub fn row_ref(alias: &str) -> String {
    text(
        "collide_sql.row_ref",
        &[
            ("set", &format!("{alias}._dataset")),
            ("row", &format!("{alias}._row")),
        ],
    )
}

/// Joins an evidence list with the catalogue's separator.
pub fn join(parts: &[String]) -> String {
    parts.join(&format!(" || {} || ", lit(t("collide_sql.sep"))))
}

/// Who the row of `alias` is, for match keys: the ID number, else the name
/// key with the birth date or village.
pub fn person_of(alias: &str) -> String {
    format!(
        "COALESCE({alias}.id_number, {alias}.name_key || '|' || \
         COALESCE(CAST({alias}.birth_date AS VARCHAR), {alias}.village_key, ''))"
    )
}

/// Where the row of `alias` lives as its list says — `乡镇/村`, or the one
/// of the two it gives — so a hit can be attributed to a unit of the
/// registry (village names repeat across townships).
pub fn place_of(alias: &str) -> String {
    format!(
        "CASE WHEN {alias}.village IS NULL THEN {alias}.township \
         WHEN {alias}.township IS NULL THEN {alias}.village \
         ELSE {alias}.township || '/' || {alias}.village END"
    )
}

/// Which kind tables may hold rows without a valid ID number. The weak
/// branches of a rule match such rows only, so where every row of a table
/// has an ID number they can never match and are left out of the SQL (as a
/// planner prunes an empty input). The engine knows this from the import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Gaps {
    complete: Vec<String>,
}

impl Gaps {
    /// Nothing known: every table may lack ID numbers (the full SQL).
    pub fn unknown() -> Self {
        Gaps::default()
    }

    /// These tables have an ID number on every row.
    pub fn complete<I: IntoIterator<Item = S>, S: Into<String>>(tables: I) -> Self {
        Gaps {
            complete: tables.into_iter().map(Into::into).collect(),
        }
    }

    /// Whether `table` may hold rows without an ID number.
    pub fn may_lack(&self, table: &str) -> bool {
        !self.complete.iter().any(|t| t == table)
    }
}

/// A rule matching a subject table `a` with a person table `b`: by ID number
/// (`strong`), and where one side lacks an ID number by normalised name plus
/// birth date, or name plus village when a birth date is missing (`weak`,
/// with the reason in the evidence). `on_b` is a condition over `b` alone (a
/// vehicle's value), `extra` one over `a` and `b`; `evidence` is an SQL
/// expression over them, `key_prefix` one over `b` that starts the match key
/// (the matched person's ID number follows, or for a weak match the name
/// with birth date or village).
pub fn person_pair(
    gaps: &Gaps,
    a: &str,
    b: &str,
    on_b: &str,
    extra: &str,
    evidence: &str,
    key_prefix: &str,
) -> String {
    let extra = format!("{on_b} AND {extra}");
    // Equal id_keys mean equal ID numbers, so a strong match takes the ID
    // number from the smaller list and the roll's text column is not read.
    let select = |strength: &str, reason: Option<&str>| {
        // A strong match's key needs only b's ID number: fewer columns in
        // the hash table built from b.
        let (evidence, id, person) = match reason {
            Some(r) => (format!("{} || {evidence}", lit(t(r))), "a", person_of("b")),
            None => (evidence.to_owned(), "b", "b.id_number".to_owned()),
        };
        let match_key = format!("{key_prefix} || {person}");
        let place = place_of("a");
        format!(
            "SELECT {id}.id_number AS subject_id_number, a.name AS subject_name, \
             '{strength}' AS strength, {evidence} AS evidence, {match_key} AS match_key, \
             {place} AS place"
        )
    };
    let with_id = |t: &str| format!("(SELECT * FROM {t} WHERE id_key IS NOT NULL)");
    let without_id = |t: &str| format!("(SELECT * FROM {t} WHERE id_key IS NULL)");
    let by_birth = "a.name_key = b.name_key AND a.birth_date = b.birth_date";
    let by_village = "a.name_key = b.name_key AND a.village_key = b.village_key";
    let strong = select("strong", None);
    let birth = select("weak", Some("collide_sql.weak_birth"));
    let village = select("weak", Some("collide_sql.weak_village"));
    // The roll is cut down to the persons on the register first (a
    // semi-join: its hash table holds the register's ID keys and nothing
    // else), then the few rows left are joined with the register's whole
    // rows. Joined directly, every column the evidence needs from the
    // register (a million rows of text) goes into the hash table first.
    // `on_b` is repeated inside so that the planner, guessing how many
    // register rows a filter keeps, still sees the roll's rows as the fewer.
    let mut branches = vec![format!(
        "{strong}\nFROM (SELECT * FROM {a} WHERE id_key IN (SELECT id_key FROM {b} b WHERE {on_b})) a \
         JOIN {b} b ON a.id_key = b.id_key\nWHERE {extra}"
    )];
    if gaps.may_lack(a) {
        branches.push(format!(
            "{birth}\nFROM {} a JOIN {b} b ON {by_birth}\nWHERE {extra}",
            without_id(a)
        ));
        branches.push(format!(
            "{village}\nFROM {} a JOIN {b} b ON {by_village}\n\
             WHERE (a.birth_date IS NULL OR b.birth_date IS NULL) AND {extra}",
            without_id(a)
        ));
    }
    if gaps.may_lack(b) {
        branches.push(format!(
            "{birth}\nFROM {} a JOIN {} b ON {by_birth}\nWHERE {extra}",
            with_id(a),
            without_id(b)
        ));
        branches.push(format!(
            "{village}\nFROM {} a JOIN {} b ON {by_village}\n\
             WHERE b.birth_date IS NULL AND {extra}",
            with_id(a),
            without_id(b)
        ));
    }
    branches.join("\nUNION ALL\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_splits_placeholders_into_sql() {
        let s = row_ref("a");
        assert!(
            s.contains("COALESCE(CAST(a._dataset AS VARCHAR), '')"),
            "{s}"
        );
        assert!(s.contains("'第'"), "{s}");
        assert_eq!(lit("O'Brien"), "'O''Brien'");
    }

    #[test]
    fn weak_branches_only_where_ids_may_be_missing() {
        let all = person_pair(&Gaps::unknown(), "s", "p", "TRUE", "TRUE", "''", "''");
        assert_eq!(all.matches("UNION ALL").count(), 4);
        let none = person_pair(
            &Gaps::complete(["s", "p"]),
            "s",
            "p",
            "TRUE",
            "TRUE",
            "''",
            "''",
        );
        assert!(!none.contains("UNION ALL") && none.contains("a.id_key = b.id_key"));
        assert!(
            none.contains("WHERE id_key IN (SELECT id_key FROM p b WHERE TRUE)"),
            "{none}"
        );
        let one = person_pair(&Gaps::complete(["p"]), "s", "p", "TRUE", "TRUE", "''", "''");
        // The roll may lack ID numbers: its birth-date and village branches stay.
        assert_eq!(one.matches("UNION ALL").count(), 2);
        assert!(one.contains("FROM (SELECT * FROM s WHERE id_key IS NULL) a"));
    }
}
