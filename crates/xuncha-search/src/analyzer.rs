//! The analyzer: normalise → tokens (CJK unigrams and bigrams, long jieba words, latin/digit
//! runs, and the pinyin of personal names), each carrying the byte range of the **original**
//! text it came from.
//!
//! Matching is done on characters, not on jieba's words, because jieba cuts the same string
//! differently depending on its neighbours: a query for `巡察组` must find `第一巡察组长` even
//! when jieba cut the document as `巡察/组长`. So every CJK run is indexed as its single
//! characters and its overlapping character bigrams; a query must contain all of its bigrams
//! (or its single character, for a one-character run). Jieba's words of three or more
//! characters are indexed too (the shorter ones are already bigrams or unigrams): a query
//! that contains such a word gets it as an optional clause, so whole-word matches rank first.
//!
//! Personal names found in the text ([`xuncha_text::Segmenter::index_words`]) are also
//! indexed as their pinyin — full (`zhangjianguo`), initials (`zjg`) and initials with
//! `zh`/`ch`/`sh` (`zhjg`) — so a pinyin query finds a name inside a body, not only in a title.
//!
//! Indexing is the hot path (a million petitions are ~700 million tokens), so the tokenizer
//! that tantivy calls works in buffers it keeps between documents and hands tokens over
//! without allocating; [`Analyzer::analyze`] (queries, highlights) builds the same tokens with
//! their offsets in the original text.

use std::ops::Range;
use std::sync::Arc;

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};
use xuncha_text::{IndexWordKind, Normalizer, Segmenter};

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
    /// A pinyin key of a personal name found in the text.
    Pinyin,
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

/// Which tokens to produce beyond bigrams, alnum runs and the unigram that ends each CJK run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Features {
    /// Jieba's words of three or more characters.
    pub words: bool,
    /// Pinyin of personal names.
    pub names: bool,
    /// The unigram of every CJK character. The index leaves out those that start a bigram
    /// (all but the last of a run): a character is found by the terms that **start** with it
    /// (see `SearchIndex::char_query`), which saves about 40 % of the tokens. Highlights and
    /// queries want them all.
    pub all_unigrams: bool,
}

impl Features {
    /// Everything, every unigram included (queries, highlights, [`Analyzer::analyze`]).
    pub const ALL: Features = Features {
        words: true,
        names: true,
        all_unigrams: true,
    };

    /// What the index holds.
    const INDEX: Features = Features {
        all_unigrams: false,
        ..Features::ALL
    };
}

/// A token before it is handed out: where its text is, and where it came from.
#[derive(Debug, Clone)]
struct Piece {
    /// Byte range in the normalised text it came from.
    src: Range<u32>,
    /// The text, when it is not `norm[src]` (pinyin): a byte range of `Pieces::extra`.
    text: Option<Range<u32>>,
    kind: TokenKind,
    run: u32,
}

/// The pieces of one text, in buffers reused from one document to the next.
#[derive(Debug, Clone, Default)]
struct Pieces {
    norm: String,
    list: Vec<Piece>,
    extra: String,
}

impl Pieces {
    fn text(&self, p: &Piece) -> &str {
        match &p.text {
            Some(r) => &self.extra[r.start as usize..r.end as usize],
            None => &self.norm[p.src.start as usize..p.src.end as usize],
        }
    }
}

/// The shared analyzer (cheap to clone: the segmenter is behind an `Arc`).
#[derive(Clone)]
pub struct Analyzer {
    segmenter: Arc<Segmenter>,
    /// The tokenizer's buffers (each clone has its own; tantivy clones one per indexing thread).
    scratch: Pieces,
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

/// Byte offsets as stored in a [`Piece`] (texts of the index are far below 4 GiB).
fn r32(r: Range<usize>) -> Range<u32> {
    r.start as u32..r.end as u32
}

/// Cuts the normalised text `out.norm` into `out.list` (in order of runs; inside a CJK run,
/// unigrams and bigrams first, then words and names).
fn cut(segmenter: &Segmenter, features: Features, out: &mut Pieces) {
    let Pieces { norm, list, extra } = out;
    list.clear();
    extra.clear();
    let mut run = 0u32;
    let mut chars = norm.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let cls = class(c);
        if cls == Class::Other {
            continue;
        }
        let mut end = start + c.len_utf8();
        match cls {
            Class::Alnum => {
                while let Some(&(b, d)) = chars.peek() {
                    if class(d) != Class::Alnum {
                        break;
                    }
                    end = b + d.len_utf8();
                    chars.next();
                }
                list.push(Piece {
                    src: r32(start..end),
                    text: None,
                    kind: TokenKind::Alnum,
                    run,
                });
            }
            Class::Cjk => {
                let mut prev = start;
                let mut count = 1;
                let unigram = |src: Range<usize>| Piece {
                    src: r32(src),
                    text: None,
                    kind: TokenKind::Unigram,
                    run,
                };
                if features.all_unigrams {
                    list.push(unigram(start..end));
                }
                while let Some(&(b, d)) = chars.peek() {
                    if !is_cjk(d) {
                        break;
                    }
                    chars.next();
                    end = b + d.len_utf8();
                    count += 1;
                    list.push(Piece {
                        src: r32(prev..end),
                        text: None,
                        kind: TokenKind::Bigram,
                        run,
                    });
                    if features.all_unigrams {
                        list.push(unigram(b..end));
                    }
                    prev = b;
                }
                if !features.all_unigrams {
                    list.push(unigram(prev..end));
                }
                let wanted = (features.words && count >= 3) || (features.names && count >= 2);
                if wanted {
                    segmenter.index_words(&norm[start..end], |w| {
                        let src = r32(start + w.range.start..start + w.range.end);
                        match w.kind {
                            IndexWordKind::Word if features.words => list.push(Piece {
                                src,
                                text: None,
                                kind: TokenKind::Word,
                                run,
                            }),
                            IndexWordKind::Name if features.names => {
                                let name = &norm[src.start as usize..src.end as usize];
                                for key in crate::pinyin::name_keys(name) {
                                    let at = extra.len();
                                    extra.push_str(&key);
                                    list.push(Piece {
                                        src: src.clone(),
                                        text: Some(r32(at..extra.len())),
                                        kind: TokenKind::Pinyin,
                                        run,
                                    });
                                }
                            }
                            _ => {}
                        }
                    });
                }
            }
            Class::Other => {}
        }
        run += 1;
    }
}

impl Analyzer {
    /// A new analyzer with its own segmenter (xuncha-text's dictionaries).
    pub fn new() -> Self {
        Analyzer {
            segmenter: Arc::new(Segmenter::new()),
            scratch: Pieces::default(),
        }
    }

    /// The segmenter, to add domain words (unit names, places) at run time.
    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// Analyzes `text`: the tokens in order of their start in the text.
    pub fn analyze(&self, text: &str) -> Vec<AnalyzedToken> {
        self.analyze_with(text, Features::ALL)
    }

    /// [`Self::analyze`], producing only the costlier tokens asked for.
    pub(crate) fn analyze_with(&self, text: &str, features: Features) -> Vec<AnalyzedToken> {
        let (norm, offsets) = xuncha_text::normalize_with_offsets(text);
        let mut pieces = Pieces {
            norm,
            ..Pieces::default()
        };
        cut(&self.segmenter, features, &mut pieces);
        let starts: Vec<usize> = pieces.norm.char_indices().map(|(b, _)| b).collect();
        let to_char = |byte: u32| starts.partition_point(|&b| b < byte as usize);
        let mut out: Vec<AnalyzedToken> = pieces
            .list
            .iter()
            .map(|p| {
                let chars = to_char(p.src.start)..to_char(p.src.end);
                let mut term = pieces.text(p).to_owned();
                if p.kind == TokenKind::Alnum {
                    term = term.to_lowercase();
                }
                AnalyzedToken {
                    text: term,
                    original: xuncha_text::normalize::original_span(text, &offsets, chars),
                    kind: p.kind,
                    run: p.run as usize,
                }
            })
            .collect();
        out.sort_by_key(|t| (t.original.start, t.original.end));
        out
    }
}

/// The tokenizer tantivy runs on every indexed text field. The index keeps term frequencies
/// only (no positions, no offsets), so tokens come in the order they are cut and their
/// offsets are byte ranges of the **normalised** text, not of the original: highlights are
/// made with [`Analyzer::analyze`].
impl Tokenizer for Analyzer {
    type TokenStream<'a> = AnalyzedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalyzedStream<'a> {
        let pieces = &mut self.scratch;
        pieces.norm.clear();
        Normalizer::default().normalize_into(text, &mut pieces.norm);
        cut(&self.segmenter, Features::INDEX, pieces);
        AnalyzedStream {
            pieces,
            next: 0,
            token: TantivyToken::default(),
        }
    }
}

/// Token stream over the pieces of one text.
pub struct AnalyzedStream<'a> {
    pieces: &'a Pieces,
    next: usize,
    token: TantivyToken,
}

impl TokenStream for AnalyzedStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(p) = self.pieces.list.get(self.next) else {
            return false;
        };
        let text = self.pieces.text(p);
        let t = &mut self.token;
        t.text.clear();
        if p.kind == TokenKind::Alnum && !text.is_ascii() {
            t.text.push_str(&text.to_lowercase());
        } else {
            t.text.push_str(text);
            if p.kind == TokenKind::Alnum {
                t.text.make_ascii_lowercase();
            }
        }
        t.offset_from = p.src.start as usize;
        t.offset_to = p.src.end as usize;
        t.position = self.next;
        t.position_length = 1;
        self.next += 1;
        true
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
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
    fn names_in_the_text_get_their_pinyin() {
        let a = Analyzer::new();
        let text = "反映村支书張建国优亲厚友";
        let tokens = a.analyze(text);
        let keys = texts(&tokens, TokenKind::Pinyin);
        for k in ["zhangjianguo", "zjg", "zhjg"] {
            assert!(keys.contains(&k), "{k} not in {keys:?}");
        }
        let t = tokens.iter().find(|t| t.text == "zhangjianguo").unwrap();
        assert_eq!(&text[t.original.clone()], "張建国");
    }

    #[test]
    fn the_tokenizer_gives_the_same_terms_as_analyze() {
        let mut a = Analyzer::new();
        let text = "關於ＡＢＣ公司和村支书張建国的問題，①反映３次 Ünïcode";
        let index_features = Features::INDEX;
        let mut want: Vec<String> = a
            .analyze_with(text, index_features)
            .into_iter()
            .map(|t| t.text)
            .collect();
        let mut got = Vec::new();
        let mut stream = a.token_stream(text);
        while stream.advance() {
            got.push(stream.token().text.clone());
        }
        want.sort();
        got.sort();
        assert_eq!(got, want);
        assert!(got.contains(&"abc".to_owned()) && got.contains(&"ünïcode".to_owned()));
        // Unigrams: only the last character of each CJK run (関於 → 于, not 关).
        assert!(got.contains(&"于".to_owned()) && !got.contains(&"关".to_owned()));
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
