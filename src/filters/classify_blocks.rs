//! `classify-blocks`: the general fallback for clutter that no rule names.
//!
//! Each live line is a block. Following jusText, a block is first classified on its own,
//! from its length, its stop-word density (the share of its words that are function words
//! such as "the", "of", "und", "que" of the page's language; numbers are not words here),
//! and its shape:
//!
//! * `bad`: a copyright line, a line of an HTML page with more than `max-link-density` of
//!   its text inside links, or a block whose stop-word density is below `stopwords-low`;
//! * `short`: shorter than `length-low` characters: not decidable alone;
//! * `near-good`: density between `stopwords-low` and `stopwords-high`, or not long enough
//!   to be good;
//! * `good`: longer than `length-high` with density of at least `stopwords-high`.
//!
//! Then the context decides what the block alone cannot: a short block between two good
//! ones is good (a subheading or a list item inside the article), between two bad ones
//! bad; a short block right before good text is a heading and stays; a near-good block
//! next to good text is good. The page start and end count as bad, so short lines in the
//! head and the tail of the page (menus, footers) go.
//!
//! With `keep-region` (the default), the article region then decides alone: the run of
//! blocks with the best score, where a block is worth its length when it is prose on its
//! own (good, or near-good and ending like a sentence) and costs a penalty otherwise. The
//! score is taken from each block's own class, before its neighbours revise it: a good
//! line above a menu (a publisher's blurb) promotes the menu's short lines, and the menu
//! must not join the article for that. Every block inside the region stays (its list
//! items, table rows and short lines too); every block outside it goes. Without a region,
//! only `good` blocks stay.
//!
//! A page may have no article to pick out: a product page, a listing, a forum thread of
//! short posts, whose text is short lines, specs and prices, with a little prose here and
//! there (a cookie notice, a blurb in the footer). When the page has less prose on its own
//! than `min-article-chars` and the best region holds less than `min-region-share` of the
//! page's text, that region is no article but one blurb among the page's lines: the
//! classifier then drops nothing, and the page keeps its lines (the other filters have
//! taken its widgets, menus and tail).
//!
//! The page's language is guessed from its words among `languages`. When no language fits
//! (`min-language-density`), stop words cannot help: blocks are judged by length and
//! sentence punctuation alone, so an unknown language degrades to a length filter. When
//! no block is good, only the bad ones go: a page keeps its sentences and short lines,
//! though a page whose every line is bad (one garbled run of letters) comes out empty.
//!
//! ```toml
//! [[classify-blocks]]
//! id = "paragraph-classes"
//! languages = ["en", "de", "fr"]
//! ```

use std::sync::Arc;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::hash::FastMap;
use crate::spec;
use crate::text::{ends_like_sentence, ends_like_statement, push_lower, title_case_ratio};

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "classify-blocks",
    summary: "keep article-like lines, drop the rest, judged by length, stop words and context (jusText-style)",
    description: "Classifies every line as bad, short, near-good or good from its length and \
stop-word density in the page's guessed language, then revises short and near-good lines from \
their neighbours (the page start and end count as bad) and keeps only good lines. A short line \
right before good text (a heading) and short lines between good ones (subheadings, list items) \
stay. With no recognisable language it judges by length and punctuation alone.",
    fields: &[
        Field {
            key: "languages",
            default: "[\"en\", \"de\", \"fr\", \"es\", \"it\", \"pt\", \"nl\"]",
            meaning: "stop-word languages (ISO 639-1; lists from the `stop-words` crate)",
        },
        Field {
            key: "length-low",
            default: "70",
            meaning: "shorter lines are `short`",
        },
        Field {
            key: "length-high",
            default: "200",
            meaning: "longer lines with enough stop words are `good`",
        },
        Field {
            key: "stopwords-low",
            default: "0.30",
            meaning: "below this stop-word density a line is `bad`",
        },
        Field {
            key: "stopwords-high",
            default: "0.32",
            meaning: "from this density a long line is `good`",
        },
        Field {
            key: "max-heading-distance",
            default: "200",
            meaning: "longest heading kept because good text follows it, in characters",
        },
        Field {
            key: "min-language-density",
            default: "0.15",
            meaning: "page-wide density under which the language counts as unknown",
        },
        Field {
            key: "max-link-density",
            default: "0.8",
            meaning: "HTML pages: a line with more of its text inside links is `bad`",
        },
        Field {
            key: "keep-region",
            default: "true",
            meaning: "keep every line of the article region",
        },
        Field {
            key: "title-lookback",
            default: "6",
            meaning: "lines before the region searched for its title (0: none)",
        },
        Field {
            key: "gap-penalty",
            default: "5",
            meaning: "what a line that is not prose on its own costs the region, in characters of good text",
        },
        Field {
            key: "menu-penalty",
            default: "20",
            meaning: "what a menu-like line (≤ 4 capitalised words) costs the region",
        },
        Field {
            key: "min-secondary-share",
            default: "0.25",
            meaning: "a second region is kept when it scores this share of the main one",
        },
        Field {
            key: "min-article-chars",
            default: "1000",
            meaning: "a page with less prose (characters of lines good on their own) may have no article: see `min-region-share`",
        },
        Field {
            key: "min-region-share",
            default: "0.3",
            meaning: "on such a page, a region holding less of the page's text is no article, and the classifier drops nothing (0: never)",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[classify-blocks]]
id = "paragraph-classes"
languages = ["en"]
"#,
        input: "Home\nNews\nSport\nBridge to close for the summer\n\
The council voted on Tuesday to close the old bridge to cars for the summer, after engineers \
found that two of its supports had been weakened by the spring floods and would need repairs.\n\
Repairs begin\n\
Work is expected to start in June and to last for about three months, according to the council, \
which said that buses would be sent on a longer route through the industrial estate.\n\
Privacy policy\nContact us\n",
        output: "Bridge to close for the summer\n\
The council voted on Tuesday to close the old bridge to cars for the summer, after engineers \
found that two of its supports had been weakened by the spring floods and would need repairs.\n\
Repairs begin\n\
Work is expected to start in June and to last for about three months, according to the council, \
which said that buses would be sent on a longer route through the industrial estate.\n",
    },
};

fn d_usize(v: usize) -> Spanned<usize> {
    Spanned::new(0..0, v)
}
fn d_f64(v: f64) -> Spanned<f64> {
    Spanned::new(0..0, v)
}
fn default_languages() -> Vec<Spanned<String>> {
    ["en", "de", "fr", "es", "it", "pt", "nl"]
        .iter()
        .map(|s| Spanned::new(0..0, (*s).to_string()))
        .collect()
}

/// A `[[classify-blocks]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    #[serde(default = "default_languages")]
    pub languages: Vec<Spanned<String>>,
    #[serde(default = "length_low")]
    pub length_low: Spanned<usize>,
    #[serde(default = "length_high")]
    pub length_high: Spanned<usize>,
    #[serde(default = "stopwords_low")]
    pub stopwords_low: Spanned<f64>,
    #[serde(default = "stopwords_high")]
    pub stopwords_high: Spanned<f64>,
    #[serde(default = "max_heading_distance")]
    pub max_heading_distance: Spanned<usize>,
    #[serde(default = "min_language_density")]
    pub min_language_density: Spanned<f64>,
    #[serde(default = "max_link_density")]
    pub max_link_density: Spanned<f64>,
    #[serde(default = "default_true")]
    pub keep_region: bool,
    #[serde(default = "title_lookback")]
    pub title_lookback: Spanned<usize>,
    #[serde(default = "gap_penalty")]
    pub gap_penalty: Spanned<usize>,
    #[serde(default = "menu_penalty")]
    pub menu_penalty: Spanned<usize>,
    #[serde(default = "min_secondary_share")]
    pub min_secondary_share: Spanned<f64>,
    #[serde(default = "min_article_chars")]
    pub min_article_chars: Spanned<usize>,
    #[serde(default = "min_region_share")]
    pub min_region_share: Spanned<f64>,
}

fn gap_penalty() -> Spanned<usize> {
    d_usize(5)
}
fn menu_penalty() -> Spanned<usize> {
    d_usize(20)
}
fn min_secondary_share() -> Spanned<f64> {
    d_f64(0.25)
}
fn min_article_chars() -> Spanned<usize> {
    d_usize(1000)
}
fn min_region_share() -> Spanned<f64> {
    d_f64(0.3)
}

fn title_lookback() -> Spanned<usize> {
    d_usize(6)
}

fn default_true() -> bool {
    true
}

fn length_low() -> Spanned<usize> {
    d_usize(70)
}
fn length_high() -> Spanned<usize> {
    d_usize(200)
}
fn stopwords_low() -> Spanned<f64> {
    d_f64(0.30)
}
fn stopwords_high() -> Spanned<f64> {
    d_f64(0.32)
}
fn max_heading_distance() -> Spanned<usize> {
    d_usize(200)
}
fn min_language_density() -> Spanned<f64> {
    d_f64(0.15)
}
fn max_link_density() -> Spanned<f64> {
    d_f64(0.8)
}

/// A compiled `classify-blocks` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    languages: Vec<String>,
    /// Lowercased stop word → bit set of the languages (indices into `languages`) that have it.
    stopwords: FastMap<&'static str, u64>,
    /// Length in bytes of the longest stop word (lowercasing may lengthen a word a little,
    /// so words are compared with a margin).
    longest_stopword: usize,
    length_low: usize,
    length_high: usize,
    stopwords_low: f64,
    stopwords_high: f64,
    max_heading_distance: usize,
    min_language_density: f64,
    max_link_density: f64,
    keep_region: bool,
    title_lookback: usize,
    gap_penalty: usize,
    menu_penalty: usize,
    min_secondary_share: f64,
    min_article_chars: usize,
    min_region_share: f64,
}

/// Whether a stop-list entry is a word of letters. Some are not (the ISO Spanish list holds
/// the digits 0 to 9, the English one "10" and "39"), and a number is a function word of no
/// language: counted, it makes a page of amounts, scores or dates Spanish, and then its
/// English sentences have no stop words.
fn is_word_of_letters(w: &str) -> bool {
    w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_numeric)
}

/// The class of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Bad,
    Short,
    NearGood,
    Good,
}

/// Per-line measures (kept small: a page may have millions of lines).
#[derive(Debug, Clone, Copy)]
struct Block {
    chars: u32,
    words: u32,
    /// Words of two or more letters.
    letter_words: u32,
    /// Words of letters, without digits: the words a stop-word density is a share of.
    text_words: u32,
    /// Stop words of the page's language among its words (0 until the language is known).
    stop_words: u32,
    copyright: bool,
    sentence: bool,
    /// Ends in a full stop and has no digits: a statement, not a question, a call, a
    /// teaser, an address or a date.
    statement: bool,
    /// Starts like a byline ("By Jane Doe").
    byline: bool,
    /// Reads like a menu entry: a few capitalised words, no sentence, no digits.
    nav: bool,
    /// HTML pages: the share of the line's text inside links (0 for text input).
    link_density: f32,
}

/// A count as stored in a [`Block`] (saturating: no line has four billion words).
use crate::document::saturate as count;

/// The bit set of the languages `w` (a word trimmed of punctuation) is a stop word of.
fn stop_mask(rule: &Rule, w: &str, buf: &mut String) -> u64 {
    // No stop word is this long: skip the lookup for long words.
    if w.len() > rule.longest_stopword {
        return 0;
    }
    // Most words need no lowercasing: look those up as they are.
    let lower = if w.bytes().all(|b| !b.is_ascii_uppercase() && b.is_ascii()) {
        w
    } else {
        buf.clear();
        push_lower(buf, w);
        buf.as_str()
    };
    rule.stopwords.get(lower).copied().unwrap_or(0)
}

/// The words of `line`, trimmed of punctuation, empty ones left out.
fn words_of(line: &str) -> impl Iterator<Item = &str> {
    crate::text::split_words(line)
        .map(|raw| {
            if raw.is_ascii() {
                trim_ascii_punctuation(raw)
            } else {
                raw.trim_matches(|c: char| !c.is_alphanumeric())
            }
        })
        .filter(|w| !w.is_empty())
}

/// An ASCII word without the characters other than letters and digits at its ends (as
/// `trim_matches` by character, byte by byte).
fn trim_ascii_punctuation(word: &str) -> &str {
    let bytes = word.as_bytes();
    let Some(start) = bytes.iter().position(u8::is_ascii_alphanumeric) else {
        return "";
    };
    let end = bytes
        .iter()
        .rposition(u8::is_ascii_alphanumeric)
        .map_or(start, |e| e + 1);
    word.get(start..end).unwrap_or_default()
}

/// How many words of `line` are stop words of the language `bit`.
fn stop_words_of(rule: &Rule, line: &str, bit: usize, buf: &mut String) -> u32 {
    count(
        words_of(line)
            .filter(|w| stop_mask(rule, w, buf) & (1 << bit) != 0)
            .count(),
    )
}

/// Measures `line`, and appends to `stops` how many of its words are stop words of each
/// of the rule's languages (saturated at [`u8::MAX`], where [`stop_words_of`] counts
/// again: few lines have that many).
fn measure(rule: &Rule, line: &str, buf: &mut String, stops: &mut Vec<u8>) -> Block {
    let from = stops.len();
    stops.resize(from + rule.languages.len(), 0);
    let own = &mut stops[from..];
    let mut words = 0;
    let mut letter_words = 0;
    let mut text_words = 0;
    for w in words_of(line) {
        words += 1;
        let (letters, text_word) = if w.is_ascii() {
            let letters = w.bytes().filter(u8::is_ascii_alphabetic).count();
            (
                letters,
                letters > 0 && !w.bytes().any(|b| b.is_ascii_digit()),
            )
        } else {
            let letters = w.chars().filter(|c| c.is_alphabetic()).count();
            (letters, is_word_of_letters(w))
        };
        letter_words += usize::from(letters >= 2);
        text_words += usize::from(text_word);
        let mut mask = stop_mask(rule, w, buf);
        while mask != 0 {
            if let Some(o) = own.get_mut(mask.trailing_zeros() as usize) {
                *o = o.saturating_add(1);
            }
            mask &= mask - 1;
        }
    }
    let lower_start = line
        .trim_start()
        .get(..9)
        .is_some_and(|s| s.eq_ignore_ascii_case("copyright"));
    Block {
        chars: count(if line.is_ascii() {
            line.trim().len()
        } else {
            line.trim().chars().count()
        }),
        words: count(words),
        stop_words: 0,
        copyright: line.contains('©') || lower_start,
        sentence: ends_like_sentence(line),
        // A line with digits (an address, a date) is no closing sentence.
        statement: ends_like_statement(line) && !line.bytes().any(|b| b.is_ascii_digit()),
        byline: line
            .trim_start()
            .get(..3)
            .is_some_and(|s| s.eq_ignore_ascii_case("by ")),
        nav: words <= 4
            && !ends_like_sentence(line)
            && !line.bytes().any(|b| b.is_ascii_digit())
            && (title_case_ratio(line).is_some_and(|r| r >= 0.75)
                || !line.chars().any(char::is_lowercase)),
        letter_words: count(letter_words),
        text_words: count(text_words),
        link_density: 0.0,
    }
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        if spec.languages.len() > 64 {
            diag.error(Some(spec.id.span()), "at most 64 languages per rule");
        }
        let mut stopwords: FastMap<&'static str, u64> = FastMap::default();
        let mut languages = Vec::new();
        for (bit, code) in spec.languages.iter().take(64).enumerate() {
            match stop_words::lookup(code.get_ref()) {
                Some(words) => {
                    for w in words.iter().filter(|w| is_word_of_letters(w)) {
                        *stopwords.entry(w).or_default() |= 1 << bit;
                    }
                    languages.push(code.get_ref().clone());
                }
                None => diag.error(
                    Some(code.span()),
                    format!("no stop-word list for language {:?} (use an ISO 639-1 code such as \"en\")", code.get_ref()),
                ),
            }
        }
        let longest_stopword = stopwords.keys().map(|w| w.len()).max().unwrap_or(0) + 4;
        let length_low = spec::check_range(&spec.length_low, "length-low", 1, 100_000, diag);
        let length_high = spec::check_range(&spec.length_high, "length-high", 1, 100_000, diag);
        if length_high < length_low {
            diag.error(
                Some(spec.length_high.span()),
                format!("length-high = {length_high} is below length-low = {length_low}"),
            );
        }
        let stopwords_low = spec::check_range(&spec.stopwords_low, "stopwords-low", 0.0, 1.0, diag);
        let stopwords_high =
            spec::check_range(&spec.stopwords_high, "stopwords-high", 0.0, 1.0, diag);
        let max_heading_distance = spec::check_range(
            &spec.max_heading_distance,
            "max-heading-distance",
            0,
            100_000,
            diag,
        );
        let min_language_density = spec::check_range(
            &spec.min_language_density,
            "min-language-density",
            0.0,
            1.0,
            diag,
        );
        let max_link_density =
            spec::check_range(&spec.max_link_density, "max-link-density", 0.0, 1.0, diag);
        let title_lookback =
            spec::check_range(&spec.title_lookback, "title-lookback", 0, 1000, diag);
        let gap_penalty = spec::check_range(&spec.gap_penalty, "gap-penalty", 0, 100_000, diag);
        let menu_penalty = spec::check_range(&spec.menu_penalty, "menu-penalty", 0, 100_000, diag);
        let min_secondary_share = spec::check_range(
            &spec.min_secondary_share,
            "min-secondary-share",
            0.0,
            1.0,
            diag,
        );
        let min_article_chars = spec::check_range(
            &spec.min_article_chars,
            "min-article-chars",
            0,
            10_000_000,
            diag,
        );
        let min_region_share =
            spec::check_range(&spec.min_region_share, "min-region-share", 0.0, 1.0, diag);
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            languages,
            stopwords,
            longest_stopword,
            length_low,
            length_high,
            stopwords_low,
            stopwords_high,
            max_heading_distance,
            min_language_density,
            max_link_density,
            keep_region: spec.keep_region,
            title_lookback,
            gap_penalty,
            menu_penalty,
            min_secondary_share,
            min_article_chars,
            min_region_share,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    type Memo = Vec<Measured>;

    fn apply(stage: &Self::Stage, body: &mut Body, memo: &mut Vec<Measured>, cx: Context) {
        // Once the markup has located the article, the general classifier's job
        // (finding it among a page's blocks) is done; inside an article it would cut at
        // code blocks, tables and long lists, which it cannot tell from menus.
        if !cx.located {
            apply_with(stage, body, memo, cx.title_in_header);
        }
    }
}

/// What a rule measured of the lines live on its first run: each line's [`Block`] and its
/// stop-word counts in each of the rule's languages. A later run reads the lines still
/// live from it and measures nothing again.
#[derive(Debug, Default)]
pub(crate) struct Measured {
    /// The lines measured (by index in the body), in order.
    lines: Vec<usize>,
    blocks: Vec<Block>,
    /// Each line's stop-word counts in every language, side by side, a byte each
    /// (saturated at [`u8::MAX`], where [`stop_words_of`] counts again).
    stops: Vec<u8>,
}

impl Measured {
    fn of(rule: &Rule, body: &Body, live: &[usize]) -> Measured {
        let mut buf = String::new();
        let mut stops = Vec::with_capacity(live.len() * rule.languages.len());
        let blocks = live
            .iter()
            .map(|&i| {
                let mut b = measure(rule, body.text(i), &mut buf, &mut stops);
                b.link_density = body.block(i).map_or(0.0, |k| k.link_density);
                b
            })
            .collect();
        Measured {
            lines: live.to_vec(),
            blocks,
            stops,
        }
    }

    /// Where each line of `live` is among the measured lines (all of them are: lines only
    /// leave the live ones).
    fn positions(&self, live: &[usize]) -> Vec<usize> {
        let mut at = Vec::with_capacity(live.len());
        let mut k = 0;
        for &i in live {
            while self.lines.get(k).is_some_and(|&l| l < i) {
                k += 1;
            }
            debug_assert_eq!(self.lines.get(k), Some(&i), "line {i} was not measured");
            at.push(k);
        }
        at
    }
}

/// The live lines' blocks and stop-word counts, as [`apply_one`] reads them.
struct LiveBlocks<'m> {
    /// The blocks, in the order of the live lines.
    blocks: &'m mut [Block],
    /// Each line's stop-word counts in every language, side by side.
    stops: &'m [u8],
    /// Where each live line's counts are in `stops`; `None` when the lines are all
    /// those measured, in order.
    at: Option<&'m [usize]>,
    languages: usize,
}

/// Classifies the live lines and drops those that do not end up good; with
/// `title_in_header`, no line before the region is kept as its title.
#[cfg(test)]
pub(crate) fn apply(rules: &[Arc<Rule>], body: &mut Body, title_in_header: bool) {
    apply_with(rules, body, &mut Vec::new(), title_in_header);
}

/// [`apply`], with what each rule measured on the runs before over the same body.
fn apply_with(
    rules: &[Arc<Rule>],
    body: &mut Body,
    memo: &mut Vec<Measured>,
    title_in_header: bool,
) {
    for (r, rule) in rules.iter().enumerate() {
        let live = body.live();
        if live.is_empty() {
            return;
        }
        if memo.len() <= r {
            memo.push(Measured::of(rule, body, &live));
        }
        let Some(measured) = memo.get_mut(r) else {
            continue;
        };
        // While every measured line is live (the first run), the blocks are read where
        // they are; later, the live ones are copied out.
        let at = (measured.lines.len() != live.len()).then(|| measured.positions(&live));
        let Measured { blocks, stops, .. } = measured;
        let mut copied: Vec<Block>;
        let blocks: &mut [Block] = match &at {
            None => blocks,
            Some(at) => {
                copied = at.iter().filter_map(|&k| blocks.get(k).copied()).collect();
                &mut copied
            }
        };
        let live_blocks = LiveBlocks {
            blocks,
            stops,
            at: at.as_deref(),
            languages: rule.languages.len(),
        };
        apply_one(rule, body, &live, live_blocks, title_in_header);
    }
}

/// The stop words of the live lines in each language (a line's count saturated in its
/// byte is counted again).
fn page_stop_words<'s>(
    rule: &Rule,
    body: &Body,
    live: &[usize],
    stops_at: impl Fn(usize) -> &'s [u8],
    buf: &mut String,
) -> Vec<usize> {
    let mut totals = vec![0usize; rule.languages.len()];
    for (k, &i) in live.iter().enumerate() {
        for (bit, (t, &n)) in totals.iter_mut().zip(stops_at(k)).enumerate() {
            *t += match n {
                u8::MAX => stop_words_of(rule, body.text(i), bit, buf) as usize,
                n => usize::from(n),
            };
        }
    }
    totals
}

fn apply_one(
    rule: &Rule,
    body: &mut Body,
    live: &[usize],
    live_blocks: LiveBlocks<'_>,
    title_in_header: bool,
) {
    let mut buf = String::new();
    // The stop words of the whole page in each language: its language is the one with
    // the most; each block then keeps its own count in that language alone.
    let LiveBlocks {
        blocks,
        stops,
        at,
        languages,
    } = live_blocks;
    let stops_at = |k: usize| -> &[u8] {
        let m = at.map_or(k, |at| at[k]);
        stops.get(m * languages..(m + 1) * languages).unwrap_or(&[])
    };
    let totals = page_stop_words(rule, body, live, stops_at, &mut buf);
    let total_words: usize = blocks.iter().map(|b| b.text_words as usize).sum();
    let lang = totals
        .iter()
        .copied()
        .enumerate()
        .max_by_key(|&(_, n)| n)
        .filter(|&(_, n)| {
            total_words > 0 && n as f64 / total_words as f64 >= rule.min_language_density
        })
        .map(|(bit, _)| bit);
    // Every run sets each block's count anew: the blocks may be the memo's own.
    for (k, (b, &i)) in blocks.iter_mut().zip(live).enumerate() {
        b.stop_words = match lang {
            None => 0,
            Some(bit) => match stops_at(k).get(bit) {
                Some(&u8::MAX) => stop_words_of(rule, body.text(i), bit, &mut buf),
                Some(&n) => u32::from(n),
                None => 0,
            },
        };
    }
    let blocks: &[Block] = blocks;

    // When the guessed language finds no good block (a wrong guess, or a page of another
    // language), judge again by length and punctuation alone.
    let (mut own, mut classes) = decide(rule, blocks, lang);
    if lang.is_some() && !classes.contains(&Class::Good) {
        (own, classes) = decide(rule, blocks, None);
    }
    // Never empty a page that has text: when nothing survives, drop only the bad blocks.
    let fallback = !classes.contains(&Class::Good);
    let initial: Vec<Class> = if fallback {
        blocks
            .iter()
            .map(|b| initial_class(rule, b, None))
            .collect()
    } else {
        Vec::new()
    };
    let keep = |k: usize| {
        if fallback {
            initial[k] != Class::Bad
        } else {
            classes[k] == Class::Good
        }
    };

    let region = if rule.keep_region {
        region(rule, blocks, &own, lang, title_in_header)
    } else {
        None
    };
    let mask = region.as_ref().map(|r| r.mask(blocks.len()));
    if mask
        .as_ref()
        .is_some_and(|m| no_article(rule, blocks, &own, m))
    {
        return;
    }
    let inside = |k: usize| mask.as_ref().is_some_and(|m| m[k]);
    // With a region, it alone decides: good blocks far from the article (a promotion in a
    // menu, a blurb in the footer) go too.
    let keep = |k: usize| if region.is_some() { inside(k) } else { keep(k) };
    let why = reason(KIND.name, &rule.id);
    for (k, &i) in live.iter().enumerate() {
        if !keep(k) {
            body.drop_line(i, &why);
        }
    }
}

/// The article region: the runs of blocks that score best, scored from each block's own
/// class (`own`, before the neighbours revised it), so that a line promoted by its
/// neighbours may stay inside the region but cannot widen it. Every block of a run stays
/// (lists, table rows and short lines inside the article are its text); the runs are
/// widened over the short sentences that open or close them, and back to the title when
/// one stands within `title-lookback` blocks before the best one.
fn region(
    rule: &Rule,
    blocks: &[Block],
    own: &[Class],
    lang: Option<usize>,
    title_in_header: bool,
) -> Option<Region> {
    // Prose blocks (good ones, and near-good ones that end like a sentence) count their
    // length; any other block costs a gap penalty, a menu-like one (a few capitalised
    // words) more, so a long menu splits two regions while a list or a table inside the
    // article does not.
    let scores: Vec<i64> = blocks
        .iter()
        .zip(own)
        .map(|(b, &c)| {
            if c == Class::Good || (c == Class::NearGood && b.sentence) {
                i64::from(b.chars)
            } else if b.nav {
                -(rule.menu_penalty as i64)
            } else {
                -(rule.gap_penalty as i64)
            }
        })
        .collect();
    let mut segments = Vec::new();
    let mut finder = Finder::new(&scores);
    let main = finder.best(0, scores.len())?;
    let min_score = (main.2 as f64 * rule.min_secondary_share) as i64;
    let mut todo = vec![(0, main.0), (main.1 + 1, scores.len())];
    segments.push(main.0..=main.1);
    while let Some((lo, hi)) = todo.pop() {
        if let Some((a, b, sum)) = finder.best(lo, hi) {
            if sum >= min_score.max(1) {
                segments.push(a..=b);
                todo.push((lo, a));
                todo.push((b + 1, hi));
            }
        }
    }
    segments.sort_by_key(|r| *r.start());
    let sentence_like = |b: &Block| {
        let density = match lang {
            Some(_) if b.text_words > 0 => b.stop_words as f64 / b.text_words as f64,
            Some(_) => 0.0,
            None => 1.0,
        };
        b.sentence
            && b.letter_words >= 4
            && density >= rule.stopwords_low
            && !b.copyright
            && f64::from(b.link_density) <= rule.max_link_density
    };
    for seg in &mut segments {
        let (mut first, mut last) = (*seg.start(), *seg.end());
        while first > 0 && sentence_like(&blocks[first - 1]) {
            first -= 1;
        }
        while last + 1 < blocks.len() && sentence_like(&blocks[last + 1]) {
            last += 1;
        }
        // A short sentence right after the run, and last on the page once the tail
        // rules have cut, ends the article ("Entry is free."): the last line of its last
        // paragraph, too short to be good on its own.
        if last + 2 == blocks.len() && closing_sentence(rule, &blocks[last + 1]) {
            last += 1;
        }
        // A heading right before good text opens the run, as it does for the classes.
        if first > 0
            && own[first] == Class::Good
            && is_heading(rule, &blocks[first - 1], own[first - 1])
        {
            first -= 1;
        }
        *seg = first..=last;
    }
    // The title: the longest title-like block shortly before the article.
    let title_like = |b: &Block| {
        b.letter_words >= 3
            && b.words <= 30
            && !b.byline
            && !b.copyright
            && f64::from(b.link_density) <= rule.max_link_density
            && !(b.sentence && b.words > 20)
    };
    let lookback = if title_in_header {
        0
    } else {
        rule.title_lookback
    };
    // The title stands before the main run (the one that scored best), not before a
    // secondary run above it (a blurb, a teaser).
    let start = segments
        .iter()
        .find(|s| s.contains(&main.0))
        .map_or(main.0, |s| *s.start());
    let from = start.saturating_sub(lookback);
    // Only the title joins the region, not the byline and dates between it and the text.
    let title = (from..start)
        .filter(|&k| title_like(&blocks[k]))
        .max_by_key(|&k| (blocks[k].letter_words, k));
    Some(Region { segments, title })
}

/// Whether a page has no article for `region` to be: little prose on its own (under
/// `min-article-chars` characters of lines good on their own) and a region (each block
/// inside it or not) holding under
/// `min-region-share` of the page's text. Such a region is one blurb among the lines of a
/// product page, a listing or a thread (a cookie notice, the footer's few sentences), and
/// keeping it alone would lose the page's text.
fn no_article(rule: &Rule, blocks: &[Block], own: &[Class], region: &[bool]) -> bool {
    let chars = |k: usize| u64::from(blocks[k].chars);
    let prose: u64 = (0..blocks.len())
        .filter(|&k| own[k] == Class::Good)
        .map(chars)
        .sum();
    if prose >= rule.min_article_chars as u64 {
        return false;
    }
    let total: u64 = (0..blocks.len()).map(chars).sum();
    let inside: u64 = (0..blocks.len()).filter(|&k| region[k]).map(chars).sum();
    (inside as f64) < rule.min_region_share * total as f64
}

/// Whether a block can close the article as its short last sentence: a statement of two
/// to nine words, at least two of them words of letters, without digits, not a menu entry,
/// a copyright or byline line, or a link.
fn closing_sentence(rule: &Rule, b: &Block) -> bool {
    b.statement
        && !b.nav
        && (2..10).contains(&b.words)
        && b.letter_words >= 2
        && !b.copyright
        && !b.byline
        && f64::from(b.link_density) <= rule.max_link_density
}

/// Finds the best segments of ranges of one score list: by scanning the range (linear
/// in its length) for the first few, then with a [`SegmentTree`] (logarithmic). A page of
/// many short runs (prose, a menu, prose, a menu...) asks as many ranges as it has runs,
/// which scanning would answer in quadratic time; most pages ask a handful, for which the
/// tree is not worth its memory.
enum Finder<'s> {
    Scan { scores: &'s [i64], asked: usize },
    Tree(SegmentTree),
}

/// The ranges a [`Finder`] scans before it builds its tree.
const SCANS_BEFORE_TREE: usize = 32;

impl<'s> Finder<'s> {
    fn new(scores: &'s [i64]) -> Self {
        Finder::Scan { scores, asked: 0 }
    }

    /// The segment of `lo..hi` with the largest positive sum ([`best_segment`]).
    fn best(&mut self, lo: usize, hi: usize) -> Option<(usize, usize, i64)> {
        match self {
            Finder::Scan { scores, asked } if *asked >= SCANS_BEFORE_TREE => {
                let tree = SegmentTree::new(scores);
                let best = tree.best(lo, hi);
                *self = Finder::Tree(tree);
                best
            }
            Finder::Scan { scores, asked } => {
                *asked += 1;
                best_segment(scores, lo, hi)
            }
            Finder::Tree(tree) => tree.best(lo, hi),
        }
    }
}

/// The segment of `scores[lo..hi]` with the largest positive sum: (start, end inclusive,
/// sum); of equal sums, the one that ends first, then the shortest (Kadane's scan).
fn best_segment(scores: &[i64], lo: usize, hi: usize) -> Option<(usize, usize, i64)> {
    let mut best: Option<(usize, usize, i64)> = None;
    let (mut start, mut sum) = (lo, 0i64);
    for (k, &score) in scores.iter().enumerate().take(hi).skip(lo) {
        if sum <= 0 {
            start = k;
            sum = 0;
        }
        sum += score;
        if sum > 0 && best.is_none_or(|b| sum > b.2) {
            best = Some((start, k, sum));
        }
    }
    best
}

/// Best-segment queries over ranges of one score list, each in O(log n) and answered as
/// [`best_segment`] answers: a segment tree
/// whose nodes keep their range's sum, best prefix, best suffix and best segment.
struct SegmentTree {
    /// The number of scores.
    len: usize,
    /// The nodes in preorder, `2n - 1` of them: node `0` covers every score; a node at
    /// `i` covering `lo..hi` (split at `mid`) has its children at `i + 1` (`lo..mid`) and
    /// `i + 2 (mid - lo)` (`mid..hi`).
    nodes: Vec<Span>,
}

/// What a node of a [`SegmentTree`] knows of its range.
#[derive(Debug, Clone, Copy)]
struct Span {
    sum: i64,
    /// The best non-empty prefix: its sum and last index (of equal sums, the shortest).
    prefix: (i64, usize),
    /// The best non-empty suffix: its sum and first index (of equal sums, the shortest).
    suffix: (i64, usize),
    /// The best non-empty segment: sum, first and last index (of equal sums, the one
    /// ending first, then the shortest).
    best: (i64, usize, usize),
}

impl Span {
    fn leaf(k: usize, score: i64) -> Span {
        Span {
            sum: score,
            prefix: (score, k),
            suffix: (score, k),
            best: (score, k, k),
        }
    }

    /// The span of `a`'s range followed by `b`'s.
    fn join(a: Span, b: Span) -> Span {
        let prefix = (a.sum + b.prefix.0, b.prefix.1);
        let suffix = (b.sum + a.suffix.0, a.suffix.1);
        let across = (a.suffix.0 + b.prefix.0, a.suffix.1, b.prefix.1);
        // Larger sum first; then the earlier end; then the later start.
        let better = |x: (i64, usize, usize), y: (i64, usize, usize)| {
            (x.0, std::cmp::Reverse(x.2), x.1) > (y.0, std::cmp::Reverse(y.2), y.1)
        };
        let mut best = a.best;
        for c in [across, b.best] {
            if better(c, best) {
                best = c;
            }
        }
        Span {
            sum: a.sum + b.sum,
            prefix: if prefix.0 > a.prefix.0 {
                prefix
            } else {
                a.prefix
            },
            suffix: if suffix.0 > b.suffix.0 {
                suffix
            } else {
                b.suffix
            },
            best,
        }
    }
}

impl SegmentTree {
    fn new(scores: &[i64]) -> SegmentTree {
        let mut tree = SegmentTree {
            len: scores.len(),
            nodes: vec![Span::leaf(0, 0); (2 * scores.len()).saturating_sub(1)],
        };
        if !scores.is_empty() {
            tree.build(0, 0, scores.len(), scores);
        }
        tree
    }

    fn build(&mut self, node: usize, lo: usize, hi: usize, scores: &[i64]) {
        if hi - lo == 1 {
            self.nodes[node] = Span::leaf(lo, scores[lo]);
            return;
        }
        let mid = lo + (hi - lo) / 2;
        let (left, right) = (node + 1, node + 2 * (mid - lo));
        self.build(left, lo, mid, scores);
        self.build(right, mid, hi, scores);
        self.nodes[node] = Span::join(self.nodes[left], self.nodes[right]);
    }

    /// The span of `lo..hi` (not empty) within node `node`, which covers `from..to`.
    fn span(&self, node: usize, from: usize, to: usize, lo: usize, hi: usize) -> Span {
        if lo <= from && to <= hi {
            return self.nodes[node];
        }
        let mid = from + (to - from) / 2;
        let (left, right) = (node + 1, node + 2 * (mid - from));
        if hi <= mid {
            self.span(left, from, mid, lo, hi)
        } else if lo >= mid {
            self.span(right, mid, to, lo, hi)
        } else {
            Span::join(
                self.span(left, from, mid, lo, hi),
                self.span(right, mid, to, lo, hi),
            )
        }
    }

    /// The segment of `lo..hi` with the largest positive sum, as [`best_segment`] finds
    /// it: (start, end inclusive, sum).
    fn best(&self, lo: usize, hi: usize) -> Option<(usize, usize, i64)> {
        if lo >= hi || hi > self.len {
            return None;
        }
        let (sum, start, end) = self.span(0, 0, self.len, lo, hi).best;
        (sum > 0).then_some((start, end, sum))
    }
}

/// The blocks of the article region.
struct Region {
    segments: Vec<std::ops::RangeInclusive<usize>>,
    title: Option<usize>,
}

impl Region {
    /// Whether each of `len` blocks is inside the region, in one pass.
    fn mask(&self, len: usize) -> Vec<bool> {
        let mut inside = vec![false; len];
        for s in &self.segments {
            for k in s.clone().take_while(|&k| k < len) {
                inside[k] = true;
            }
        }
        if let Some(t) = self.title.filter(|&t| t < len) {
            inside[t] = true;
        }
        inside
    }
}

/// The class of every block on its own and its final class after the neighbours revised
/// it, for one language guess.
fn decide(rule: &Rule, blocks: &[Block], lang: Option<usize>) -> (Vec<Class>, Vec<Class>) {
    let mut classes: Vec<Class> = blocks
        .iter()
        .map(|b| initial_class(rule, b, lang))
        .collect();
    // A page without one good block (a short article, a page of short paragraphs): its
    // best blocks are the near-good ones, so they stand in for good ones.
    if !classes.contains(&Class::Good) {
        classes
            .iter_mut()
            .filter(|c| **c == Class::NearGood)
            .for_each(|c| *c = Class::Good);
    }
    let own = classes.clone();
    revise(rule, blocks, &mut classes);
    (own, classes)
}

fn initial_class(rule: &Rule, b: &Block, lang: Option<usize>) -> Class {
    if b.copyright || f64::from(b.link_density) > rule.max_link_density {
        return Class::Bad;
    }
    // Unknown language: a sentence-like line stands in for enough stop words.
    let density = match lang {
        Some(_) if b.text_words > 0 => b.stop_words as f64 / b.text_words as f64,
        Some(_) => 0.0,
        None if b.sentence => 1.0,
        None => 0.0,
    };
    if (b.chars as usize) < rule.length_low {
        return Class::Short;
    }
    if density >= rule.stopwords_high && b.chars as usize > rule.length_high {
        Class::Good
    } else if density >= rule.stopwords_low {
        Class::NearGood
    } else {
        Class::Bad
    }
}

/// For every block, the nearest class before it (or after it, with `forward`), skipping
/// short blocks and, with `skip_near`, near-good ones; the page edge counts as bad. One
/// pass over the page, so that revising every block is linear in their number.
fn neighbours(classes: &[Class], forward: bool, skip_near: bool) -> Vec<Class> {
    let skip = |c: Class| c == Class::Short || (skip_near && c == Class::NearGood);
    let mut out = vec![Class::Bad; classes.len()];
    let mut last = Class::Bad;
    let mut visit = |k: usize| {
        out[k] = last;
        if !skip(classes[k]) {
            last = classes[k];
        }
    };
    if forward {
        (0..classes.len()).rev().for_each(&mut visit);
    } else {
        (0..classes.len()).for_each(&mut visit);
    }
    out
}

/// Whether a block of class `class` is a heading when good text follows it: short, of two
/// or more words, and within `max-heading-distance` characters of that text.
fn is_heading(rule: &Rule, b: &Block, class: Class) -> bool {
    class == Class::Short && b.words >= 2 && b.chars as usize <= rule.max_heading_distance
}

fn revise(rule: &Rule, blocks: &[Block], classes: &mut [Class]) {
    let initial = classes.to_vec();
    // Headings: a short block of two or more words right before good text (within
    // max-heading-distance characters of it), such as a title or a subheading.
    let mut heading = vec![false; classes.len()];
    for k in 0..classes.len().saturating_sub(1) {
        heading[k] = initial[k + 1] == Class::Good && is_heading(rule, &blocks[k], initial[k]);
    }
    // Short blocks take their class from their neighbours.
    let mut revised = initial.clone();
    let (before, after) = (
        neighbours(&initial, false, true),
        neighbours(&initial, true, true),
    );
    let (before_near, after_near) = (
        neighbours(&initial, false, false),
        neighbours(&initial, true, false),
    );
    for k in 0..classes.len() {
        if initial[k] != Class::Short {
            continue;
        }
        let (prev, next) = (before[k], after[k]);
        revised[k] = if prev == Class::Good && next == Class::Good {
            Class::Good
        } else if prev == Class::Bad && next == Class::Bad {
            Class::Bad
        } else if (prev == Class::Bad && before_near[k] == Class::NearGood)
            || (next == Class::Bad && after_near[k] == Class::NearGood)
        {
            Class::Good
        } else {
            Class::Bad
        };
    }
    // Near-good blocks are good unless bad text surrounds them.
    let (before, after) = (
        neighbours(&revised, false, true),
        neighbours(&revised, true, true),
    );
    for k in 0..classes.len() {
        if revised[k] != Class::NearGood {
            continue;
        }
        revised[k] = if before[k] == Class::Bad && after[k] == Class::Bad {
            Class::Bad
        } else {
            Class::Good
        };
    }
    for k in 0..classes.len() {
        classes[k] = if heading[k] && revised[k] == Class::Bad {
            Class::Good
        } else {
            revised[k]
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::{compile_rules, run};

    fn rules() -> Vec<Arc<Rule>> {
        compile_rules("[[classify-blocks]]\nid = \"c\"\n", |c| match c {
            Compiled::ClassifyBlocks(r) => Some(r),
            _ => None,
        })
    }

    const P1: &str = "The council voted on Tuesday to close the old bridge to cars for the summer, after engineers \
found that two of its supports had been weakened by the spring floods and would need repairs.";
    const P2: &str = "Work is expected to start in June and to last for about three months, according to the council, \
which said that buses would be sent on a longer route through the industrial estate.";

    #[test]
    fn drops_menus_in_head_and_tail_and_keeps_subheadings() {
        let input = format!("Home\nNews\n{P1}\nRepairs begin\n{P2}\nPrivacy policy\nContact us");
        assert_eq!(
            run(&input, |b| apply(&rules(), b, false)),
            [P1, "Repairs begin", P2]
        );
    }

    #[test]
    fn keeps_a_heading_right_before_the_article() {
        let input = format!("Menu\nBridge to close for the summer\n{P1}\n{P2}");
        assert_eq!(
            run(&input, |b| apply(&rules(), b, false)),
            ["Bridge to close for the summer", P1, P2]
        );
    }

    #[test]
    fn a_promoted_menu_does_not_widen_the_region() {
        // A publisher's blurb above the site menu: the neighbour step promotes the menu
        // lines between it and the article, but the region is scored from each line's own
        // class, so the menu stays out. The blurb, prose on its own, is a second region.
        let blurb = "Harbour Town Weekly has reported on the people, the council and the businesses \
of the harbour towns since it was founded by a group of local reporters, and it is still owned by \
the people who write for it.";
        let menu = "News Local Council Courts Schools Business Farming Property Jobs Sport \
Football Rugby Cricket Sailing Racing Culture Music Film Theatre Books Food Recipes Travel \
Weather Tides Opinion Letters Obituaries Puzzles Archive";
        let mut input = format!("{blurb}\n");
        for m in menu.split(' ') {
            input.push_str(m);
            input.push('\n');
        }
        input.push_str(&format!(
            "Bridge to close for the summer\n{P1}\nRepairs begin\n{P2}\nPrivacy policy\nContact us"
        ));
        assert_eq!(
            run(&input, |b| apply(&rules(), b, false)),
            [
                blurb,
                "Bridge to close for the summer",
                P1,
                "Repairs begin",
                P2
            ]
        );
    }

    #[test]
    fn a_page_without_an_article_keeps_its_lines() {
        // A product page: its name, price, specs and a short description are short lines;
        // the one long paragraph is the shop's blurb in the footer. That blurb is no
        // article, and keeping it alone would lose the product.
        let product = [
            "Linen Summer Dress",
            "$89.00",
            "A light dress for hot days, cut loose with two deep pockets.",
            "Size: XS, S, M, L, XL",
            "Colour: Sand, Olive",
            "Material: 100% linen, 160 gsm",
            "Length: 112 cm (size M)",
            "Fit: Relaxed, true to size",
            "Lining: Cotton voile",
            "Origin: Sewn in Portugal",
            "Care: Machine wash cold. Do not tumble dry.",
            "Made to order: ships in 8 to 14 days.",
            "Free returns within 30 days",
            "Reviews (12)",
            "Lovely fabric, fits as described.",
            "Runs a little large, order one size down.",
            "The olive colour is darker than in the photos.",
        ];
        let blurb = "We are a small family shop that has been selling clothes made from natural \
fibres since the year that we opened our first market stall, and we still pack every order by hand \
in the same workshop where our dresses are sewn.";
        let menu =
            "Home\nNew In\nDresses\nTops\nTrousers\nSkirts\nKnitwear\nAccessories\nSale\nAbout\n";
        let footer =
            "Shipping\nReturns\nSize Guide\nGift Cards\nStockists\nCareers\nPress\nContact\n";
        let mut input = String::from(menu);
        for line in product {
            input.push_str(line);
            input.push('\n');
        }
        input.push_str(footer);
        input.push_str(blurb);
        input.push_str("\nPrivacy Policy\nTerms of Service\n");
        let out = run(&input, |b| apply(&rules(), b, false));
        for line in product {
            assert!(out.iter().any(|l| l == line), "{line:?} lost: {out:?}");
        }
    }

    #[test]
    fn an_article_with_little_prose_is_still_picked_out() {
        // Two short paragraphs are little prose, but they are most of the page's text:
        // the region is the article and the menus around it go.
        let input = format!("Home\nNews\n{P1}\nRepairs begin\n{P2}\nPrivacy policy\nContact us");
        assert_eq!(
            run(&input, |b| apply(&rules(), b, false)),
            [P1, "Repairs begin", P2]
        );
    }

    #[test]
    fn a_list_inside_the_article_stays() {
        // List items read like menu entries and cost the region a little each, but a
        // list between two paragraphs does not split the article.
        let items = [
            "Main Street",
            "Harbour Road",
            "Mill Lane",
            "Station Hill",
            "Church Walk",
        ];
        let input = format!(
            "Home\nNews\n{P1}\nThe roads closed to cars:\n{}\n{P2}\nContact us",
            items.join("\n")
        );
        let mut want = vec![P1, "The roads closed to cars:"];
        want.extend(items);
        want.push(P2);
        assert_eq!(run(&input, |b| apply(&rules(), b, false)), want);
    }

    #[test]
    fn the_segment_tree_finds_the_segment_kadanes_scan_finds() {
        // Random scores, with many ties (few distinct values, zeros) and every range.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        for _ in 0..200 {
            let len = 1 + next(24) as usize;
            let scores: Vec<i64> = (0..len).map(|_| next(7) as i64 - 3).collect();
            let tree = SegmentTree::new(&scores);
            for lo in 0..=len {
                for hi in lo..=len {
                    assert_eq!(
                        tree.best(lo, hi),
                        best_segment(&scores, lo, hi),
                        "{scores:?} {lo}..{hi}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_short_last_sentence_closes_the_article_but_a_question_or_a_teaser_does_not() {
        let para = "The night market opens on Friday in the old square, with forty stalls of food and crafts, and it stays open until midnight every weekend of the summer.";
        for (last, kept) in [
            ("Entry is free.", true),
            ("Entrée libre.", true),
            ("Need help?", false),
            ("Load more stories...", false),
            ("Call 555 0100.", false),
        ] {
            let input = format!("Home\nNews\n{para}\n{para} Again.\n{last}");
            let out = run(&input, |b| apply(&rules(), b, true));
            assert_eq!(out.iter().any(|l| l == last), kept, "{last:?}: {out:?}");
        }
        // Not last on the page: a short line between the article and more lines is not
        // known to close it.
        let input = format!("{para}\n{para} Again.\nEntry is free.\nAbout us\nContact");
        let out = run(&input, |b| apply(&rules(), b, true));
        assert!(!out.iter().any(|l| l == "Entry is free."), "{out:?}");
    }

    #[test]
    fn unknown_language_never_empties_the_page() {
        let input = "Kotoba no nai sekai de, watashitachi wa nani o shinjireba ii no darou ka to kangaete imashita. \
Sore demo asa wa kuru shi, hito wa aruite iku.\nLink\nLink";
        let out = run(input, |b| apply(&rules(), b, false));
        assert_eq!(out.len(), 1, "{out:?}");
    }

    #[test]
    fn a_count_past_16_bits_is_counted_again() {
        let rule = &rules()[0];
        let line = "the river and the bridge ".repeat(30_000);
        let mut stops = Vec::new();
        let block = measure(rule, &line, &mut String::new(), &mut stops);
        assert_eq!(block.words, 150_000);
        let en = rule.languages.iter().position(|l| l == "en").unwrap_or(0);
        // "the" and "and": 90,000 stop words, more than a byte holds.
        let body = Body::new([(1, line.clone())]);
        let totals = page_stop_words(rule, &body, &[0], |_| &stops, &mut String::new());
        assert_eq!(totals[en], 90_000);
        assert_eq!(stops[en], u8::MAX);
        assert_eq!(stop_words_of(rule, &line, en, &mut String::new()), 90_000);
    }

    #[test]
    fn numbers_do_not_make_an_english_page_spanish() {
        // A meal plan: English sentences full of amounts. Numbers are stop words of no
        // language, though the ISO Spanish list holds the digits 0 to 9.
        let intro = "This plan is meant for one person who cooks on a small budget, and each day below lists \
what to eat and how much of it to buy, so that the shopping can be done once for the whole week.";
        let days = [
            "Day 1: 2 eggs, 1 slice of toast, 1 apple, 2 cups of tea, 3 crackers, 1 spoon of jam, 4 dates, 5 nuts, 1 glass of milk, 2 carrots, 1 pear and 6 olives.",
            "Day 2: 1 bowl of oats, 2 plums, 3 figs, 1 cup of coffee, 2 slices of ham, 4 tomatoes, 1 roll, 2 pickles, 1 yoghurt, 3 prunes and 2 oranges.",
            "Day 3: 2 pancakes, 1 banana, 3 spoons of honey, 1 tin of beans, 2 potatoes, 4 sprouts, 1 fillet of fish, 2 lemons, 1 peach and 5 grapes.",
            "Day 4: 3 boiled eggs, 2 crackers, 1 cup of soup, 2 rolls, 1 leek, 3 mushrooms, 1 chop, 2 beets, 4 radishes, 1 kiwi and 2 biscuits.",
            "Day 5: 1 omelette of 2 eggs, 2 slices of rye, 1 cup of tea, 3 apricots, 1 pepper, 2 onions, 4 sardines, 1 mango, 2 rice cakes and 1 cookie.",
            "Day 6: 2 waffles, 1 pear, 3 walnuts, 1 cup of cocoa, 2 wraps, 1 avocado, 4 shrimps, 2 courgettes, 1 lime, 3 cherries and 1 muffin.",
            "Day 7: 1 bagel, 2 spoons of butter, 1 melon, 2 cups of juice, 3 sausages, 1 cabbage, 2 parsnips, 1 steak, 4 apples and 2 scones.",
        ];
        let outro = "Most of the food keeps for the whole week in a cool cupboard, and what is left over at the \
end of it can be frozen, or cooked into a soup for the first day of the next plan.";
        let mut input = format!("Home\nRecipes\nContact\n{intro}\n");
        for d in days {
            input.push_str(d);
            input.push('\n');
        }
        input.push_str(outro);
        input.push_str("\nPrivacy policy\n");
        let rule = &rules()[0];
        for number in ["0", "7", "10", "39"] {
            assert_eq!(stop_mask(rule, number, &mut String::new()), 0, "{number}");
        }
        // Nor do numbers count among a line's words when its density is taken.
        let block = measure(
            rule,
            "Day 1: 2 eggs, 1 slice of toast",
            &mut String::new(),
            &mut Vec::new(),
        );
        assert_eq!((block.words, block.text_words), (8, 5));
        let out = run(&input, |b| apply(&rules(), b, false));
        let mut want = vec![intro];
        want.extend(days);
        want.push(outro);
        assert_eq!(out, want);
    }

    #[test]
    fn a_link_line_on_an_html_page_is_bad() {
        use crate::document::Block;
        let rule = rules();
        let long = "The council said on Tuesday that the bridge will close to cars for the whole of the summer, because two of its supports were weakened by the floods in the spring and need to be repaired before the autumn.";
        let mut body = Body::new([(1, long.to_string()), (2, long.to_string())]);
        body.set_block(
            1,
            Block {
                tag: crate::document::BlockTag::new("li")
                    .unwrap_or(crate::document::BlockTag::BODY),
                preformatted: false,
                link_density: 1.0,
            },
        );
        apply(&rule, &mut body, false);
        assert!(body.is_live(0));
        assert!(!body.is_live(1));
    }
}
