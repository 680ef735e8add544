//! Small text measures shared by the filters: word counts, phrase keys, line shapes.
//!
//! Everything here works on one line of text and allocates at most one string.

/// FNV-1a, a fast hash for the short keys of phrase and stop-word maps (the default
/// SipHash guards against hash flooding, which rule files and page words do not need).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Default for FastHasher {
    fn default() -> Self {
        FastHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Characters trimmed from the end of a line before phrase matching, so that
/// "Share:" and "Share" or "Advertisement." and "Advertisement" are the same phrase.
const TRAILING_PUNCT: &[char] = &[
    '.', ',', ':', ';', '!', '?', '…', '-', '–', '—', '|', '»', '›', '>', '*', '·', '•',
];

/// The key a whole-line phrase is matched by: lowercased, inner whitespace squeezed to one
/// space, surrounding whitespace and trailing punctuation removed.
pub(crate) fn phrase_key(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        push_lower(&mut out, word);
    }
    let trimmed = out.trim_end_matches(|c: char| TRAILING_PUNCT.contains(&c) || c.is_whitespace());
    trimmed.to_string()
}

/// The key used to decide that two lines are copies of each other: like [`phrase_key`],
/// and also ignoring leading bullets and all punctuation, so typographic quotes or a
/// trailing full stop do not hide a repeat.
pub(crate) fn repeat_key(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for_each_repeat_char(line, |c| out.push(c));
    out
}

/// A fingerprint of [`repeat_key`]`(line)` and the key's length in characters, computed
/// without building the key: lines with equal keys have equal fingerprints.
pub(crate) fn repeat_fingerprint(line: &str) -> (u64, usize) {
    use std::hash::Hasher as _;
    let mut hasher = FastHasher::default();
    let mut chars = 0;
    for_each_repeat_char(line, |c| {
        hasher.write_u32(u32::from(c));
        chars += 1;
    });
    (hasher.finish(), chars)
}

/// Calls `emit` with each character of the line's repeat key: letters and digits
/// lowercased, runs of whitespace between words as one space, everything else left out.
fn for_each_repeat_char(line: &str, mut emit: impl FnMut(char)) {
    let mut space = false;
    let mut started = false;
    for c in line.chars() {
        if c.is_ascii_alphanumeric() || !c.is_ascii() && c.is_alphanumeric() {
            if space && started {
                emit(' ');
            }
            space = false;
            started = true;
            if c.is_ascii() {
                emit(c.to_ascii_lowercase());
            } else {
                c.to_lowercase().for_each(&mut emit);
            }
        } else if c.is_whitespace() {
            space = true;
        }
    }
}

/// Appends `word` lowercased to `out`, with a fast path for ASCII text.
pub(crate) fn push_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Number of whitespace-separated words (as `split_whitespace` counts them, in one pass
/// without the iterator machinery: every filter asks this of every line).
pub(crate) fn word_count(line: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in line.chars() {
        let space = if c.is_ascii() {
            c.is_ascii_whitespace() || c == '\x0b'
        } else {
            c.is_whitespace()
        };
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// Whether the line ends like a sentence: `.`, `!`, `?`, `…` or `:`, possibly followed by
/// closing quotes or brackets.
pub(crate) fn ends_like_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*')
    });
    t.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// Whether the line contains sentence punctuation followed by more text, i.e. holds at
/// least one full sentence boundary inside it.
pub(crate) fn has_inner_sentence_break(line: &str) -> bool {
    let b = line.as_bytes();
    let mut i = 0;
    while i + 2 < b.len() {
        if matches!(b[i], b'.' | b'!' | b'?') && b[i + 1] == b' ' && b[i + 2].is_ascii_uppercase() {
            return true;
        }
        i += 1;
    }
    false
}

/// Share of the capitalisable words that start with an uppercase letter, ignoring short
/// function words ("of", "in", "a") that title case leaves lowercase. `None` when the line
/// has no word that could be capitalised.
pub(crate) fn title_case_ratio(line: &str) -> Option<f32> {
    let mut upper = 0u32;
    let mut total = 0u32;
    for word in line.split_whitespace() {
        let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = word.chars().next() else {
            continue;
        };
        if !first.is_alphabetic() || !(first.is_uppercase() || first.is_lowercase()) {
            continue;
        }
        if first.is_lowercase() && word.chars().count() <= 3 {
            continue;
        }
        total += 1;
        if first.is_uppercase() {
            upper += 1;
        }
    }
    (total > 0).then(|| upper as f32 / total as f32)
}

/// The words a line of `words` words contributes as article prose: all of them for a line
/// of ten or more words, or of five or more that ends like a sentence; none for shorter
/// lines.
pub(crate) fn prose_words(line: &str, words: usize) -> usize {
    if words >= 10 || (words >= 5 && ends_like_sentence(line)) {
        words
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrase_key_ignores_case_spacing_and_trailing_punctuation() {
        assert_eq!(
            phrase_key("  Listen   to this ARTICLE. "),
            "listen to this article"
        );
        assert_eq!(phrase_key("Share:"), "share");
        assert_eq!(phrase_key("COMMENT (14)"), "comment (14)");
        assert_eq!(phrase_key("..."), "");
    }

    #[test]
    fn repeat_key_ignores_punctuation_and_quotes() {
        assert_eq!(
            repeat_key("“Hello,” she said."),
            repeat_key("\"Hello\" she said")
        );
        assert_eq!(repeat_key(" A man cleans"), "a man cleans");
    }

    #[test]
    fn word_count_agrees_with_split_whitespace() {
        for s in [
            "",
            "  ",
            "one",
            " two  words ",
            "tab\tand\nnewline",
            "non\u{a0}breaking space",
            "“quoted” — dash",
        ] {
            assert_eq!(word_count(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    #[test]
    fn fingerprints_follow_repeat_keys() {
        let (a, n) = repeat_fingerprint("“Hello,” she said.");
        assert_eq!((a, n), repeat_fingerprint("\"Hello\" she  said"));
        assert_eq!(n, repeat_key("\"Hello\" she said").chars().count());
        assert_ne!(a, repeat_fingerprint("Hello, he said.").0);
    }

    #[test]
    fn sentence_endings() {
        assert!(ends_like_sentence("He left."));
        assert!(ends_like_sentence("“Go home,” he said.”"));
        assert!(ends_like_sentence("Why?"));
        assert!(!ends_like_sentence("Most Read"));
        assert!(!ends_like_sentence("Read more -"));
    }

    #[test]
    fn inner_sentence_break() {
        assert!(has_inner_sentence_break("It rained. Then it stopped"));
        assert!(!has_inner_sentence_break("U.S. talks"));
    }

    #[test]
    fn title_case() {
        assert_eq!(
            title_case_ratio("Keke Palmer On Managing Growing Career"),
            Some(1.0)
        );
        let r = title_case_ratio("the talks broke down on Sunday").unwrap_or(1.0);
        assert!(r < 0.5, "{r}");
        assert_eq!(title_case_ratio("123 456"), None);
    }
}
