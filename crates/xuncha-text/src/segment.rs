//! Word segmentation with jieba and xuncha's domain dictionary.
//!
//! The segmenter is [`jieba_rs`] (MIT; it embeds jieba's 350 000-word dictionary) plus
//! `data/domain_dict.txt`: terms of Party and government work, inspection (巡察组, 纪委监委,
//! 问题线索, 民主测评 …) and welfare programmes (低保, 特困供养, 危房改造 …) that the general
//! dictionary splits or does not know. Words can be added at run time, e.g. the place names
//! and unit names of the county registry, with [`Segmenter::add_word`].
//!
//! Building the dictionary takes a few hundred milliseconds, so it is built **once** per process
//! (on first use) and every [`Segmenter::new`] starts from a clone of it. Create one segmenter
//! for the application and share it (`Arc<Segmenter>`): it is `Send + Sync`, cutting takes a
//! read lock and adding a word a write lock.
//!
//! The dictionaries are in simplified characters: segment text that went through
//! [`crate::normalize()`]. Every token borrows from the input, and [`Segmenter::tokens`] gives
//! byte ranges, which [`crate::normalize::original_span`] carries back to the original text.

use std::ops::Range;
use std::sync::{LazyLock, PoisonError, RwLock};

use jieba_rs::Jieba;

/// The domain dictionary compiled into the binary.
const DOMAIN_DICT: &str = include_str!("../data/domain_dict.txt");

/// jieba's default dictionary plus the domain dictionary, built once.
static BASE: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for (word, freq, tag) in domain_entries(DOMAIN_DICT) {
        jieba.add_word(word, freq, tag);
    }
    jieba
});

/// Entries of a user dictionary: `word [freq] [tag]` lines, `#` comments.
fn domain_entries(text: &str) -> impl Iterator<Item = (&str, Option<usize>, Option<&str>)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            let word = parts.next()?;
            let mut freq = None;
            let mut tag = None;
            for p in parts {
                match p.parse::<usize>() {
                    Ok(n) => freq = Some(n),
                    Err(_) => tag = Some(p),
                }
            }
            Some((word, freq, tag))
        })
}

/// How finely [`Segmenter::tokens`] cuts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutMode {
    /// Each character belongs to exactly one token (for display, keywords, analysis).
    Default,
    /// Also emits the dictionary words inside long words (巡察工作领导小组 → 巡察, 工作,
    /// 领导, 小组, …): what an index wants, so that a query for a part finds the whole.
    Search,
}

/// One token and where it is in the segmented text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word, borrowed from the input.
    pub word: &'a str,
    /// Byte range of the word in the input.
    pub range: Range<usize>,
}

/// What [`Segmenter::index_words`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexWordKind {
    /// A word of three or more characters.
    Word,
    /// Probably a personal name: two or three characters starting with a common surname.
    Name,
}

/// A word for an index, with its byte range in the segmented text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexWord {
    /// Byte range in the input.
    pub range: Range<usize>,
    /// Word or name.
    pub kind: IndexWordKind,
}

/// Whether a dictionary word is tagged as a personal name (`nr`): jieba's dictionary holds
/// many common names (张建国, 李秀英).
fn is_name_in_dictionary(jieba: &Jieba, word: &str) -> bool {
    jieba
        .tag(word, false)
        .first()
        .is_some_and(|t| t.word == word && t.tag == "nr")
}

fn is_han(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A jieba segmenter with xuncha's domain dictionary and any words added at run time.
pub struct Segmenter {
    jieba: RwLock<Jieba>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter").finish_non_exhaustive()
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// A segmenter with jieba's dictionary and the domain dictionary. The first call in a
    /// process builds them (a few hundred milliseconds); later calls clone the result.
    pub fn new() -> Self {
        Segmenter {
            jieba: RwLock::new(BASE.clone()),
        }
    }

    /// Adds a word (a place name, a unit, a person's title) so that it is kept whole. Its
    /// frequency is chosen just high enough for that (jieba's `suggest_freq`). Blank input is
    /// ignored; surrounding whitespace is trimmed.
    pub fn add_word(&self, word: &str) {
        let word = word.trim();
        if word.is_empty() {
            return;
        }
        self.write().add_word(word, None, None);
    }

    /// Adds several words under one lock.
    pub fn add_words<'w>(&self, words: impl IntoIterator<Item = &'w str>) {
        let mut jieba = self.write();
        for word in words.into_iter().map(str::trim).filter(|w| !w.is_empty()) {
            jieba.add_word(word, None, None);
        }
    }

    /// Whether `word` is in the dictionary.
    pub fn has_word(&self, word: &str) -> bool {
        self.read().has_word(word)
    }

    /// Cuts `text` into words (each character in exactly one word; unknown words found by
    /// jieba's HMM).
    pub fn cut<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.read()
            .cut(text, true)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// Cuts `text` for an index: the words of [`Self::cut`] plus the dictionary words inside
    /// long ones.
    pub fn cut_for_search<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.read()
            .cut_for_search(text, true)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// The tokens of `text` with their byte ranges.
    pub fn tokens<'a>(&self, text: &'a str, mode: CutMode) -> Vec<Token<'a>> {
        let jieba = self.read();
        let tokens = match mode {
            CutMode::Default => jieba.cut(text, true),
            CutMode::Search => jieba.cut_for_search(text, true),
        };
        tokens
            .into_iter()
            .map(|t| Token {
                word: t.word,
                range: t.byte_start..t.byte_end,
            })
            .collect()
    }

    /// What a search index wants from `text`, in one pass of jieba (default cut with HMM),
    /// handed to `emit` in order:
    ///
    /// - every word of three or more characters, and the dictionary words of three characters
    ///   inside longer ones (what search mode adds at that length; shorter words an index of
    ///   characters and bigrams already holds);
    /// - likely **personal names**, so that their pinyin can be indexed: a word of two or
    ///   three characters that starts with a common surname and is either not in the
    ///   dictionary (the HMM found it: 孙海涛) or in it as a name (张建国), or a common surname cut alone followed by a word of one or two
    ///   Chinese characters (张/建国, 王/某某). Names that read as ordinary words (王法) are
    ///   missed, and some ordinary words are taken for names: the pinyin of such a word
    ///   only makes it findable by its own pinyin.
    pub fn index_words(&self, text: &str, mut emit: impl FnMut(IndexWord)) {
        let jieba = self.read();
        let tokens = jieba.cut(text, true);
        for (k, t) in tokens.iter().enumerate() {
            let chars = t.end - t.start;
            let word = |range: Range<usize>| IndexWord {
                range,
                kind: IndexWordKind::Word,
            };
            if chars >= 3 {
                emit(word(t.byte_start..t.byte_end));
            }
            if chars >= 4 {
                let bounds: Vec<usize> = t
                    .word
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain([t.word.len()])
                    .collect();
                for w in bounds.windows(4) {
                    if jieba.has_word(&t.word[w[0]..w[3]]) {
                        emit(word(t.byte_start + w[0]..t.byte_start + w[3]));
                    }
                }
            }
            if !t
                .word
                .chars()
                .next()
                .is_some_and(crate::name::is_common_surname)
            {
                continue;
            }
            let name = match chars {
                2 | 3 if !jieba.has_word(t.word) || is_name_in_dictionary(&jieba, t.word) => {
                    Some(t.byte_start..t.byte_end)
                }
                1 => tokens
                    .get(k + 1)
                    .filter(|n| matches!(n.end - n.start, 1 | 2) && n.word.chars().all(is_han))
                    .map(|n| t.byte_start..n.byte_end),
                _ => None,
            };
            if let Some(range) = name {
                emit(IndexWord {
                    range,
                    kind: IndexWordKind::Name,
                });
            }
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Jieba> {
        // A panic while adding a word leaves a usable dictionary behind; keep serving.
        self.jieba.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Jieba> {
        self.jieba.write().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// One segmenter for all tests (building one costs time).
    fn seg() -> &'static Segmenter {
        static SEG: OnceLock<Segmenter> = OnceLock::new();
        SEG.get_or_init(Segmenter::new)
    }

    #[test]
    fn domain_terms_stay_whole() {
        let cases: &[(&str, &[&str])] = &[
            (
                "县委巡察组进驻后，巡察办收到问题线索三条",
                &["巡察组", "巡察办", "问题线索"],
            ),
            ("纪委监委组织民主测评", &["纪委监委", "民主测评"]),
            ("核查低保和特困供养对象", &["低保", "特困供养"]),
            ("推进危房改造和整改落实", &["危房改造", "整改落实"]),
            ("村两委和第一书记参会", &["村两委", "第一书记"]),
        ];
        for (text, words) in cases {
            let cut = seg().cut(text);
            for w in *words {
                assert!(cut.contains(w), "{w} not in {cut:?}");
            }
            assert_eq!(cut.concat(), *text, "cut covers the text");
        }
    }

    #[test]
    fn every_domain_entry_is_a_word() {
        let missing: Vec<&str> = domain_entries(DOMAIN_DICT)
            .map(|(w, _, _)| w)
            .filter(|w| !seg().has_word(w))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
    }

    #[test]
    fn words_added_at_run_time_are_kept_whole() {
        let s = Segmenter::new();
        let text = "走访了岔河口村和老鹰嘴社区";
        assert!(!s.cut(text).contains(&"老鹰嘴社区"));
        s.add_words(["岔河口村", "老鹰嘴社区", "  "]);
        s.add_word("");
        let cut = s.cut(text);
        assert!(
            cut.contains(&"岔河口村") && cut.contains(&"老鹰嘴社区"),
            "{cut:?}"
        );
        // The shared base is not changed by another segmenter's words.
        assert!(!seg().has_word("老鹰嘴社区"));
    }

    fn index_words(text: &str, kind: IndexWordKind) -> Vec<&str> {
        let mut out = Vec::new();
        seg().index_words(text, |w| {
            if w.kind == kind {
                out.push(&text[w.range]);
            }
        });
        out
    }

    #[test]
    fn index_words_are_long_words_and_their_inner_three_character_words() {
        let words = index_words(
            "县委巡察工作领导小组办公室收到问题线索",
            IndexWordKind::Word,
        );
        assert!(words.contains(&"问题线索"), "{words:?}");
        assert!(words.iter().all(|w| w.chars().count() >= 3), "{words:?}");
        let search: Vec<&str> = seg()
            .cut_for_search("县委巡察工作领导小组办公室收到问题线索")
            .into_iter()
            .filter(|w| w.chars().count() >= 3)
            .collect();
        for w in &search {
            assert!(
                words.contains(w),
                "{w} of search mode missing from {words:?}"
            );
        }
    }

    #[test]
    fn index_words_find_names_in_running_text() {
        let names = index_words(
            "反映村支书张建国和会计王某某优亲厚友，李秀英的低保被取消",
            IndexWordKind::Name,
        );
        for n in ["张建国", "王某某", "李秀英"] {
            assert!(names.contains(&n), "{n} not in {names:?}");
        }
        assert!(
            names.iter().all(|n| matches!(n.chars().count(), 2 | 3)),
            "{names:?}"
        );
        let none = index_words("关于加强基层党组织建设的通知", IndexWordKind::Name);
        assert!(none.is_empty(), "{none:?}");
    }

    #[test]
    fn search_mode_adds_inner_words_and_ranges_are_exact() {
        let text = "县委巡察工作领导小组办公室";
        let search = seg().cut_for_search(text);
        assert!(
            search.contains(&"巡察") && search.contains(&"领导"),
            "{search:?}"
        );
        for mode in [CutMode::Default, CutMode::Search] {
            for t in seg().tokens(text, mode) {
                assert_eq!(&text[t.range.clone()], t.word);
            }
        }
    }
}
