//! The string catalogue. Every user-facing string (UI, errors, exports) is
//! looked up here by key, so an English catalogue can sit beside the Chinese
//! one (`locales/<lang>.toml`). Keys are `section.name`; values may hold
//! `{placeholders}` filled by [`tf`].

use std::collections::HashMap;
use std::sync::LazyLock;

/// The Simplified-Chinese catalogue, embedded in the binary.
const ZH_CN: &str = include_str!("../locales/zh-CN.toml");

static CATALOGUE: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| flatten(ZH_CN));

fn flatten(src: &'static str) -> HashMap<String, &'static str> {
    // The catalogue is parsed by hand (it is `key = "value"` lines under
    // `[section]` headers) so values can be borrowed as `&'static str`.
    let mut out = HashMap::new();
    let mut section = String::new();
    for line in src.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.trim().to_owned();
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            out.insert(format!("{section}.{}", k.trim()), unescape(v));
        }
    }
    out
}

/// A TOML basic string's escapes (`\n`, `\t`, `\"`, `\\`) as the characters they stand
/// for; a value without any is borrowed as it is. The few escaped values are leaked once, at
/// start-up, to stay `&'static str` like the rest.
fn unescape(v: &'static str) -> &'static str {
    if !v.contains('\\') {
        return v;
    }
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Box::leak(out.into_boxed_str())
}

/// The string for `key`; the key itself when missing (a test keeps that from
/// shipping, see `every_used_key_exists`).
pub fn t(key: &str) -> &'static str {
    match CATALOGUE.get(key) {
        Some(v) => v,
        None => Box::leak(key.to_owned().into_boxed_str()),
    }
}

/// The string for `key` with `{name}` placeholders replaced.
pub fn tf(key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(key).to_owned();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// Whether the catalogue has `key` (used by tests of other crates).
pub fn has(key: &str) -> bool {
    CATALOGUE.contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_and_fills() {
        assert_eq!(t("app.name"), "巡察工作平台");
        assert!(tf("error.role_unknown", &[("role", "x"), ("roles", "a")]).contains('x'));
    }

    #[test]
    fn escapes_are_read_as_toml_reads_them() {
        assert_eq!(unescape(r#"名称\t类型\n\"x\"\\"#), "名称\t类型\n\"x\"\\");
        assert_eq!(t("collide.header_rules").matches('\t').count(), 4);
    }

    #[test]
    fn catalogue_is_valid_toml_without_duplicates() {
        let parsed: toml::Table = toml::from_str(ZH_CN).expect("zh-CN.toml is valid TOML");
        let n: usize = parsed
            .values()
            .map(|v| v.as_table().map(|t| t.len()).unwrap_or(1))
            .sum();
        assert_eq!(n, CATALOGUE.len());
        // Every value reads as TOML reads it (escapes included).
        for (section, table) in &parsed {
            for (key, value) in table.as_table().into_iter().flatten() {
                let key = format!("{section}.{key}");
                assert_eq!(Some(t(&key)), value.as_str(), "{key}");
            }
        }
    }
}
