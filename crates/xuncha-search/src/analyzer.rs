//! The analyzer: normalise → tokens (CJK unigrams and bigrams, long jieba words, latin/digit
//! runs), each carrying the byte range of the **original** text it came from.
//!
//! Matching is done on characters, not on jieba's words, because jieba cuts the same string
//! differently depending on its neighbours: a query for `巡察组` must find `第一巡察组长` even
//! when jieba cut the document as `巡察/组长`. So every CJK run is indexed as its single
//! characters and its overlapping character bigrams; a query must contain all of its bigrams
//! (or its single character, for a one-character run). Jieba's search-mode words of three or
//! more characters are indexed too (the shorter ones are already bigrams or unigrams): a query
//! that contains such a word gets it as an optional clause, so whole-word matches rank first.

use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};
use xuncha_text::{CutMode, Segmenter};

/// Name under which the analyzer is registered in the index.
pub(crate) const ANALYZER_NAME: &str = "xuncha_cjk";

/// What kind of token an [`AnalyzedToken`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// One CJK character.
    Unigram,
    /// Two adjacent CJK characters.
    Bigram,
    /// A jieba word of three or more CJK characters.
    Word,
    /// A run of letters and digits (lower-cased).
    Alnum,
}

/// One token of the analyzed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    /// The term as indexed (normalised, lower-cased).
    pub text: String,
    /// Byte range in the original text.
    pub original: Range<usize>,
    /// What kind of token this is.
    pub kind: TokenKind,
    /// Index of the CJK or alnum run (in the normalised text) the token belongs to.
    pub run: usize,
}

/// Whether `c` is a CJK ideograph (the blocks the index cuts into characters).
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0x3007)
}

/// The shared analyzer (cheap to clone: the segmenter is behind an `Arc`).
#[derive(Clone)]
pub struct Analyzer {
    segmenter: Arc<Segmenter>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").finish_non_exhaustive()
    }
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Class {
    Cjk,
    Alnum,
    Other,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Alnum
    } else {
        Class::Other
    }
}

impl Analyzer {
    /// A new analyzer with its own segmenter (xuncha-text's dictionaries).
    pub fn new() -> Self {
        Analyzer {
            segmenter: Arc::new(Segmenter::new()),
        }
    }

    /// The segmenter, to add domain words (unit names, places) at run time.
    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// Analyzes `text`: the tokens in order of their start in the text.
    pub fn analyze(&self, text: &str) -> Vec<AnalyzedToken> {
        let (norm, offsets) = xuncha_text::normalize_with_offsets(text);
        let chars: Vec<(usize, char)> = norm.char_indices().collect();
        // original byte range of normalised chars a..b
        let span = |a: usize, b: usize| -> Range<usize> {
            let start = offsets.get(a).copied().unwrap_or(text.len());
            let end = offsets
                .get(b.saturating_sub(1))
                .map(|&o| o + text[o..].chars().next().map_or(0, char::len_utf8))
                .unwrap_or(text.len());
            start..end.max(start)
        };
        let byte_to_char = |byte: usize| -> usize { chars.partition_point(|&(b, _)| b < byte) };
        let mut out = Vec::new();
        let mut i = 0;
        let mut run = 0;
        while i < chars.len() {
            let cls = class(chars[i].1);
            if cls == Class::Other {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < chars.len() && class(chars[j].1) == cls {
                j += 1;
            }
            match cls {
                Class::Alnum => {
                    let s = &norm[chars[i].0..chars.get(j).map_or(norm.len(), |c| c.0)];
                    out.push(AnalyzedToken {
                        text: s.to_lowercase(),
                        original: span(i, j),
                        kind: TokenKind::Alnum,
                        run,
                    });
                }
                Class::Cjk => {
                    for k in i..j {
                        let c = chars[k].1;
                        out.push(AnalyzedToken {
                            text: c.to_string(),
                            original: span(k, k + 1),
                            kind: TokenKind::Unigram,
                            run,
                        });
                        if k + 1 < j {
                            let mut s = c.to_string();
                            s.push(chars[k + 1].1);
                            out.push(AnalyzedToken {
                                text: s,
                                original: span(k, k + 2),
                                kind: TokenKind::Bigram,
                                run,
                            });
                        }
                    }
                    if j - i >= 3 {
                        let start_byte = chars[i].0;
                        let end_byte = chars.get(j).map_or(norm.len(), |c| c.0);
                        let piece = &norm[start_byte..end_byte];
                        for t in self.segmenter.tokens(piece, CutMode::Search) {
                            if t.word.chars().count() < 3 {
                                continue;
                            }
                            let a = byte_to_char(start_byte + t.range.start);
                            let b = byte_to_char(start_byte + t.range.end);
                            out.push(AnalyzedToken {
                                text: t.word.to_owned(),
                                original: span(a, b),
                                kind: TokenKind::Word,
                                run,
                            });
                        }
                    }
                }
                Class::Other => {}
            }
            run += 1;
            i = j;
        }
        out.sort_by_key(|t| (t.original.start, t.original.end));
        out
    }
}

impl Tokenizer for Analyzer {
    type TokenStream<'a> = AnalyzedStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalyzedStream {
        let tokens = self
            .analyze(text)
            .into_iter()
            .enumerate()
            .map(|(position, t)| TantivyToken {
                offset_from: t.original.start,
                offset_to: t.original.end,
                position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        AnalyzedStream {
            tokens,
            next: 0,
            current: TantivyToken::default(),
        }
    }
}

/// Token stream over pre-computed tokens.
pub struct AnalyzedStream {
    tokens: Vec<TantivyToken>,
    next: usize,
    current: TantivyToken,
}

impl TokenStream for AnalyzedStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get_mut(self.next) {
            Some(t) => {
                self.current = std::mem::take(t);
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &TantivyToken {
        &self.current
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[AnalyzedToken], kind: TokenKind) -> Vec<&str> {
        tokens
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.text.as_str())
            .collect()
    }

    #[test]
    fn traditional_text_is_normalised_and_offsets_point_at_the_original() {
        let a = Analyzer::new();
        let text = "關於國家巡察 ABC12";
        let tokens = a.analyze(text);
        assert!(texts(&tokens, TokenKind::Bigram).contains(&"国家"));
        let guo_jia = tokens.iter().find(|t| t.text == "国家").unwrap();
        assert_eq!(&text[guo_jia.original.clone()], "國家");
        let alnum = tokens.iter().find(|t| t.kind == TokenKind::Alnum).unwrap();
        assert_eq!(alnum.text, "abc12");
        assert_eq!(&text[alnum.original.clone()], "ABC12");
    }

    #[test]
    fn long_runs_also_get_jieba_words() {
        let a = Analyzer::new();
        let tokens = a.analyze("巡察工作领导小组");
        let words = texts(&tokens, TokenKind::Word);
        assert!(!words.is_empty(), "{tokens:?}");
        assert!(words.iter().all(|w| w.chars().count() >= 3));
    }

    #[test]
    fn tokens_come_in_text_order() {
        let a = Analyzer::new();
        let tokens = a.analyze("中华人民共和国国务院");
        assert!(tokens
            .windows(2)
            .all(|w| w[0].original.start <= w[1].original.start));
    }
}
