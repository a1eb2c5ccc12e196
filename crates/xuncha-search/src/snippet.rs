//! Snippets built from the analyzer's original-text offsets, so highlights land on the
//! characters as written (a query `国家` marks `國家` in a traditional-script original).

use std::collections::HashSet;
use std::ops::Range;

use crate::analyzer::{Analyzer, Features};

/// Characters of context shown before the first highlight.
const LEAD_CHARS: usize = 20;

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Byte ranges of `text` whose tokens are in `terms`, merged when they overlap or touch.
pub fn matched_ranges(
    analyzer: &Analyzer,
    text: &str,
    terms: &HashSet<String>,
) -> Vec<Range<usize>> {
    // Every word's characters are matched by its bigrams too, so jieba is only needed when
    // a latin term may be the pinyin of a name in the text.
    let features = Features {
        words: false,
        names: terms
            .iter()
            .any(|t| t.chars().any(|c| c.is_ascii_alphabetic())),
        all_unigrams: true,
    };
    let mut ranges: Vec<Range<usize>> = analyzer
        .analyze_with(text, features)
        .into_iter()
        .filter(|t| terms.contains(&t.text) && !t.original.is_empty())
        .map(|t| t.original)
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// HTML of a window of at most `max_chars` characters of `text` around its first match, with
/// `<mark>` around the matched spans and everything else escaped. `None` when nothing matches.
pub fn highlight(
    analyzer: &Analyzer,
    text: &str,
    terms: &HashSet<String>,
    max_chars: usize,
) -> Option<String> {
    let ranges = matched_ranges(analyzer, text, terms);
    let first = ranges.first()?.start;
    // Window start: LEAD_CHARS characters before the first match.
    let before: Vec<usize> = text[..first].char_indices().map(|(i, _)| i).collect();
    let start = before
        .len()
        .checked_sub(LEAD_CHARS)
        .and_then(|k| before.get(k).copied())
        .unwrap_or(0);
    let end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| start + i);
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    let mut at = start;
    for r in ranges {
        if r.start >= end {
            break;
        }
        let r = r.start.max(at)..r.end.min(end);
        if r.is_empty() {
            continue;
        }
        escape_html(&text[at..r.start], &mut html);
        html.push_str("<mark>");
        escape_html(&text[r.clone()], &mut html);
        html.push_str("</mark>");
        at = r.end;
    }
    escape_html(&text[at..end], &mut html);
    if end < text.len() {
        html.push('…');
    }
    Some(html)
}

/// The first `max_chars` characters of `text`, escaped (a snippet without highlights).
pub fn plain(text: &str, max_chars: usize) -> String {
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let mut html = String::new();
    escape_html(&text[..end], &mut html);
    if end < text.len() {
        html.push('…');
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_original_characters_and_escapes_the_rest() {
        let a = Analyzer::new();
        let terms: HashSet<String> = ["国家".to_owned()].into();
        let html = highlight(&a, "<b>關於國家&巡察</b>", &terms, 100).unwrap();
        assert_eq!(html, "&lt;b&gt;關於<mark>國家</mark>&amp;巡察&lt;/b&gt;");
    }

    #[test]
    fn adjacent_bigrams_merge_into_one_mark() {
        let a = Analyzer::new();
        let terms: HashSet<String> =
            ["国家".to_owned(), "家巡".to_owned(), "巡察".to_owned()].into();
        let html = highlight(&a, "开展國家巡察工作", &terms, 100).unwrap();
        assert_eq!(html, "开展<mark>國家巡察</mark>工作");
    }

    #[test]
    fn long_text_is_windowed() {
        let a = Analyzer::new();
        let terms: HashSet<String> = ["巡察".to_owned()].into();
        let text = format!("{}巡察{}", "甲".repeat(50), "乙".repeat(50));
        let html = highlight(&a, &text, &terms, 30).unwrap();
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>巡察</mark>"));
        assert_eq!(highlight(&a, "无关", &terms, 30), None);
    }
}
