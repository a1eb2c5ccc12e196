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
            out.insert(format!("{section}.{}", k.trim()), v);
        }
    }
    out
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
    fn catalogue_is_valid_toml_without_duplicates() {
        let parsed: toml::Table = toml::from_str(ZH_CN).expect("zh-CN.toml is valid TOML");
        let n: usize = parsed
            .values()
            .map(|v| v.as_table().map(|t| t.len()).unwrap_or(1))
            .sum();
        assert_eq!(n, CATALOGUE.len());
    }
}
