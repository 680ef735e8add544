//! Small text measures shared by the filters: word counts, phrase keys, line shapes, and
//! the one rule that splits a text into lines ([`lines`]).
//!
//! Everything else here works on one line of text and allocates at most one string.

use crate::hash::FastHasher;

/// Characters trimmed from the end of a line before phrase matching, so that
/// "Share:" and "Share" or "Advertisement." and "Advertisement" are the same phrase.
const TRAILING_PUNCT: &[char] = &[
    '.', ',', ':', ';', '!', '?', '…', '-', '–', '—', '|', '»', '›', '>', '*', '·', '•',
];

/// The key a whole-line phrase is matched by: lowercased, inner whitespace squeezed to one
/// space, surrounding whitespace and trailing punctuation removed.
pub(crate) fn phrase_key(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    phrase_key_into(line, &mut out);
    out
}

/// [`phrase_key`] written into `out` (cleared first), which keeps its allocation from one
/// line to the next.
pub(crate) fn phrase_key_into(line: &str, out: &mut String) {
    out.clear();
    for word in line.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        push_lower(out, word);
    }
    let kept = out
        .trim_end_matches(|c: char| TRAILING_PUNCT.contains(&c) || c.is_whitespace())
        .len();
    out.truncate(kept);
}

/// `line` without a leading list bullet (`* `, `- `, `• `, `· `, `– `, `+ `): how a dumper
/// marks a list item is not part of the item. The bullet must stand apart (`-5°C` and
/// `*Terms apply` keep their first character), and only one is removed.
pub(crate) fn without_bullet(line: &str) -> &str {
    let mut chars = line.chars();
    match (chars.next(), chars.next()) {
        (Some('*' | '-' | '•' | '·' | '–' | '+'), Some(c)) if c.is_whitespace() => {
            chars.as_str().trim_start()
        }
        _ => line,
    }
}

/// The key used to decide that two lines are copies of each other: like [`phrase_key`],
/// and also ignoring leading bullets and all punctuation, so typographic quotes or a
/// trailing full stop do not hide a repeat.
#[cfg(test)]
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
    if line.is_ascii() {
        // Most lines: bytes, no decoding, the same steps.
        for b in line.bytes() {
            if b.is_ascii_alphanumeric() {
                if space && started {
                    emit(' ');
                }
                space = false;
                started = true;
                emit(char::from(b.to_ascii_lowercase()));
            } else if is_ascii_space(b) {
                space = true;
            }
        }
        return;
    }
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

/// Whether an ASCII byte is whitespace as [`char::is_whitespace`] says (which counts the
/// vertical tab, unlike [`u8::is_ascii_whitespace`]).
fn is_ascii_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'\x0b'
}

/// The whitespace-separated words of `line`, as [`str::split_whitespace`] gives them,
/// reading an ASCII line byte by byte (no character decoding).
pub(crate) fn split_words(line: &str) -> SplitWords<'_> {
    if line.is_ascii() {
        SplitWords::Ascii { line, at: 0 }
    } else {
        SplitWords::Other(line.split_whitespace())
    }
}

/// The iterator of [`split_words`].
pub(crate) enum SplitWords<'t> {
    /// An ASCII line and where the next word is looked for.
    Ascii {
        line: &'t str,
        at: usize,
    },
    Other(std::str::SplitWhitespace<'t>),
}

impl<'t> Iterator for SplitWords<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        match self {
            SplitWords::Other(words) => words.next(),
            SplitWords::Ascii { line, at } => {
                let bytes = line.as_bytes();
                let start = *at + bytes.get(*at..)?.iter().position(|&b| !is_ascii_space(b))?;
                let end = bytes[start..]
                    .iter()
                    .position(|&b| is_ascii_space(b))
                    .map_or(bytes.len(), |n| start + n);
                *at = end;
                line.get(start..end)
            }
        }
    }
}

/// Number of whitespace-separated words (as `split_whitespace` counts them, in one pass
/// without the iterator machinery: every filter asks this of every line).
pub(crate) fn word_count(line: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    if line.is_ascii() {
        // Most lines: bytes, no decoding.
        for b in line.bytes() {
            let space = is_ascii_space(b);
            words += usize::from(!space && !in_word);
            in_word = !space;
        }
        return words;
    }
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

/// Whether the line ends like a sentence: `.`, `!`, `?`, `…` (or their CJK forms),
/// possibly followed by closing quotes, brackets or a `*`. A `:` does not end a sentence:
/// it introduces what follows (a list, a quote).
pub(crate) fn ends_like_sentence(line: &str) -> bool {
    without_closers(line, true).ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// Whether the line ends in one full stop, closing quotes and brackets after it allowed: a
/// statement, not a question, a call, or an ellipsis trailing off a teaser or a loading
/// widget.
pub(crate) fn ends_like_statement(line: &str) -> bool {
    let t = without_closers(line, false);
    t.ends_with(['.', '。']) && !t.ends_with("..")
}

/// `line` without the whitespace, closing quotes and brackets (and, with `star`, the
/// footnote stars) after its last word.
fn without_closers(line: &str, star: bool) -> &str {
    line.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']')
            || (star && c == '*')
    })
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

/// A calendar date read from the start of an ISO 8601 value (`2025-02-03`,
/// `2025-02-03T10:00:00Z`): year, month, day.
pub(crate) fn iso_date(value: &str) -> Option<(u32, u32, u32)> {
    let v = value.trim();
    let (y, rest) = v.split_at_checked(4)?;
    let rest = rest.strip_prefix('-')?;
    let (m, rest) = rest.split_at_checked(2)?;
    let rest = rest.strip_prefix('-')?;
    let d = rest.get(..2)?;
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The month a word names (`February`, `Feb`, `Sept.`), 1 to 12.
fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    let w = w.trim_end_matches('.');
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (m.starts_with(w) && w.len() <= 4))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Whether a line is nothing but the given date, written out: `3 February 2025`,
/// `February 3, 2025`, `Mon, Feb 3rd 2025`, `2025-02-03`, `03.02.2025`, optionally after a
/// `Published` / `Updated` / `Posted on` label. Anything more (an author, a place, a time)
/// and it is not.
pub(crate) fn is_date_line(line: &str, (year, month, day): (u32, u32, u32)) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() > 7 {
        return false;
    }
    let mut rest = words.as_slice();
    while let Some((first, tail)) = rest.split_first() {
        let f = first.to_lowercase();
        if matches!(
            f.as_str(),
            "published" | "updated" | "posted" | "on" | "date"
        ) || WEEKDAYS
            .iter()
            .any(|d| *d == f || (d.starts_with(&f) && f.len() == 3))
        {
            rest = tail;
        } else {
            break;
        }
    }
    let [a, b, c] = rest else {
        return false;
    };
    let num = |w: &str| {
        let digits = w.trim_end_matches(|ch: char| ch.is_ascii_alphabetic());
        let suffix = &w[digits.len()..];
        (matches!(suffix, "" | "st" | "nd" | "rd" | "th") && !digits.is_empty())
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    };
    let is_year = |w: &str| w.len() == 4 && num(w) == Some(year);
    let is_day = |w: &str| num(w) == Some(day);
    let is_month =
        |w: &str| month_number(w) == Some(month) || (w.len() <= 2 && num(w) == Some(month));
    // Year first (ISO), or year last with day and month in either order.
    (is_year(a) && is_month(b) && is_day(c))
        || (is_year(c) && ((is_day(a) && is_month(b)) || (is_month(a) && is_day(b))))
}

/// The lines of `text`, each without its line end. A line ends at `\r\n`, `\n`, or a
/// `\r` alone (the line end of old Mac OS files, and of some exports): a file whose lines
/// end in `\r` alone is as many lines as its `\n` twin, not one. As with [`str::lines`], a
/// line end at the very end does not start an empty last line, and an empty text has no
/// lines. The lines are slices of `text`.
pub(crate) fn lines(text: &str) -> Lines<'_> {
    Lines { rest: text }
}

/// The iterator [`lines`] returns.
#[derive(Debug, Clone)]
pub(crate) struct Lines<'t> {
    rest: &'t str,
}

impl<'t> Lines<'t> {
    /// The text not yet split: from the line [`Iterator::next`] gives next on ("" past the
    /// end).
    pub(crate) fn rest(&self) -> &'t str {
        self.rest
    }
}

impl<'t> Iterator for Lines<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        if self.rest.is_empty() {
            return None;
        }
        let bytes = self.rest.as_bytes();
        let Some(end) = memchr::memchr2(b'\n', b'\r', bytes) else {
            return Some(std::mem::take(&mut self.rest));
        };
        let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        // `end` and `next` are at ASCII bytes, so both are character boundaries.
        let line = &self.rest[..end];
        self.rest = &self.rest[next..];
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_bullet_is_not_part_of_the_line() {
        assert_eq!(without_bullet("* Share on Facebook"), "Share on Facebook");
        assert_eq!(without_bullet("- Share"), "Share");
        assert_eq!(without_bullet("•  Play"), "Play");
        // Only a bullet standing apart, and only one.
        assert_eq!(without_bullet("-5°C overnight"), "-5°C overnight");
        assert_eq!(without_bullet("*Terms apply"), "*Terms apply");
        assert_eq!(without_bullet("* * Share"), "* Share");
        assert_eq!(without_bullet("*"), "*");
        assert_eq!(without_bullet(""), "");
    }

    #[test]
    fn every_line_end_ends_a_line() {
        fn split(text: &str) -> Vec<&str> {
            lines(text).collect()
        }
        for (text, want) in [
            ("", vec![]),
            ("a", vec!["a"]),
            ("a\nb\n", vec!["a", "b"]),
            ("a\r\nb\r\n", vec!["a", "b"]),
            ("a\rb\r", vec!["a", "b"]),
            ("a\r\rb", vec!["a", "", "b"]),
            ("a\n\rb", vec!["a", "", "b"]),
            ("a\r\n\nb", vec!["a", "", "b"]),
            ("\n", vec![""]),
            ("\r", vec![""]),
            ("\n\n", vec!["", ""]),
            ("é\rü\r\nß", vec!["é", "ü", "ß"]),
        ] {
            assert_eq!(split(text), want, "{text:?}");
        }
        // Without a lone `\r`, the lines are those of `str::lines`.
        for text in ["a\nb", "a\r\n\r\nb\n", "\n x \n\n", "tail"] {
            assert_eq!(split(text), text.lines().collect::<Vec<_>>(), "{text:?}");
        }
    }

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
    fn split_words_agrees_with_split_whitespace() {
        for s in [
            "",
            "  ",
            "one",
            " two  words ",
            "tab\tand\nnewline\x0bvertical\x0cfeed\rreturn",
            "non\u{a0}breaking space",
            "“quoted” — dash",
            "trailing space ",
        ] {
            assert_eq!(
                split_words(s).collect::<Vec<_>>(),
                s.split_whitespace().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
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

    #[test]
    fn reads_iso_dates() {
        assert_eq!(iso_date("2025-02-03"), Some((2025, 2, 3)));
        assert_eq!(iso_date("2025-02-03T10:00:00+01:00"), Some((2025, 2, 3)));
        assert_eq!(iso_date("2025-13-03"), None);
        assert_eq!(iso_date("yesterday"), None);
    }

    #[test]
    fn recognises_a_line_that_is_only_a_date() {
        let d = (2025, 2, 3);
        for yes in [
            "3 February 2025",
            "February 3, 2025",
            "Mon, Feb 3rd 2025",
            "2025-02-03",
            "03.02.2025",
            "Published 3 Feb 2025",
            "Updated on Monday, February 3, 2025",
        ] {
            assert!(is_date_line(yes, d), "{yes}");
        }
        for no in [
            "4 February 2025",
            "3 February 2024",
            "LONDON, 3 February 2025",
            "By Ann Lee, 3 February 2025",
            "3 February 2025, 10:45",
            "February 2025",
            "The vote on 3 February 2025 was close.",
        ] {
            assert!(!is_date_line(no, d), "{no}");
        }
    }
}
