//! The body of a document as the filters see it: its lines, each with a fate.
//!
//! Filters never delete a line; they mark it dropped with a [`Reason`], so `--explain` can
//! show every input line and the rule that decided it, and the summary can count removals.

use std::num::NonZeroU8;
use std::sync::Arc;

use crate::text::word_count;

/// Why a line left the output: the filter kind and the id of the rule that removed it.
///
/// Shared, not copied: every line a rule drops holds the same reason, so a line pays for
/// one pointer, not for the names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(Arc<ReasonOf>);

/// What a [`Reason`] says (its fields read through the reason: `reason.filter`).
#[derive(Debug, PartialEq, Eq)]
pub struct ReasonOf {
    /// The filter kind, e.g. `drop-lines`.
    pub filter: &'static str,
    /// The id of the rule inside that kind, as written in the rule file.
    pub rule: Arc<str>,
}

impl std::ops::Deref for Reason {
    type Target = ReasonOf;

    fn deref(&self) -> &ReasonOf {
        &self.0
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.filter, self.rule)
    }
}

/// One line of a document body; its text is the body's ([`Body::text`]).
///
/// Kept small (24 bytes on 64-bit targets, no allocation of its own): a long input is
/// mostly short and blank lines, and the body holds them all. The lines' texts sit end to
/// end in one string of the body, so a line records only where its text starts.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the input file (saturating at `u32::MAX`: a body of more
    /// than four billion lines numbers the rest of its lines `u32::MAX`).
    pub number: u32,
    /// Number of words of the line's text, counted once: every filter asks for it
    /// (saturating).
    pub words: u32,
    /// Where the line's text starts in the body's text; it ends where the next line's
    /// starts.
    start: usize,
    /// `None` while the line is kept; the reason once a filter dropped it.
    pub dropped: Option<Reason>,
}

// A body holds every line of its input: keep the record from growing unnoticed.
const _: () = assert!(std::mem::size_of::<Line>() <= 24);

/// What the markup says of a line rendered from an HTML page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block {
    /// The innermost block element holding the line: `p`, `li`, `h2`, `td`'s row `tr`,
    /// `div`...; `body` for text outside any block.
    pub tag: BlockTag,
    /// A line of an HTML `<pre>` block: code or verse, kept as it is; no filter sees it.
    pub preformatted: bool,
    /// The share of the line's text inside links to other pages, from 0 to 1.
    pub link_density: f32,
}

/// The name of a block element (`p`, `h2`, `li`, `td`, …), stored in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockTag(NonZeroU8);

/// The block-level elements: each starts and ends a rendered line.
pub(crate) const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "caption",
    "option",
    "legend",
];

impl BlockTag {
    /// `body`: the tag of text outside any block element.
    pub const BODY: BlockTag = BlockTag(NonZeroU8::MIN.saturating_add(4));

    /// The tag of a block element named `name`; `None` for any other element.
    pub fn new(name: &str) -> Option<BlockTag> {
        let i = BLOCK_TAGS.iter().position(|b| *b == name)?;
        u8::try_from(i + 1)
            .ok()
            .and_then(NonZeroU8::new)
            .map(BlockTag)
    }

    /// The element's name, e.g. `p`.
    pub fn as_str(self) -> &'static str {
        BLOCK_TAGS
            .get(usize::from(self.0.get()) - 1)
            .copied()
            .unwrap_or("body")
    }
}

impl std::fmt::Display for BlockTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of a document: every line after the provenance header, and their texts.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The lines, in input order, dropped ones included.
    pub(crate) lines: Vec<Line>,
    /// The lines' texts, end to end, without line endings between them.
    text: String,
    /// For a body rendered from HTML: what the markup says of each line, in the lines'
    /// order (`None` for a line of text among them); empty for text input.
    blocks: Vec<Option<Block>>,
}

/// A line number or word count as a [`Line`] stores it: saturating at `u32::MAX`.
pub(crate) fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Body {
    /// A body from `(line number, text)` pairs.
    pub fn new<T: AsRef<str>>(lines: impl IntoIterator<Item = (usize, T)>) -> Self {
        let mut body = Body::default();
        for (number, text) in lines {
            body.push(number, text.as_ref());
        }
        body
    }

    /// A body of `count` lines borrowed from `(line number, text)` pairs: the line table
    /// is allocated once, at its size.
    pub(crate) fn with_lines<'t>(
        count: usize,
        lines: impl IntoIterator<Item = (usize, &'t str)>,
    ) -> Self {
        let mut body = Body {
            lines: Vec::with_capacity(count),
            ..Body::default()
        };
        for (number, text) in lines {
            body.push(number, text);
        }
        body
    }

    /// Appends a kept line of plain text.
    fn push(&mut self, number: usize, text: &str) {
        self.lines.push(Line {
            number: saturate(number),
            words: saturate(word_count(text)),
            start: self.text.len(),
            dropped: None,
        });
        self.text.push_str(text);
    }

    /// The number of lines, dropped ones included.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether the body has no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines, in input order, dropped ones included.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// The text of line `i`, without its line ending (empty past the last line).
    pub fn text(&self, i: usize) -> &str {
        let Some(line) = self.lines.get(i) else {
            return "";
        };
        let end = self.lines.get(i + 1).map_or(self.text.len(), |l| l.start);
        self.text.get(line.start..end).unwrap_or_default()
    }

    /// What the markup says of line `i`, for a line rendered from HTML (`None` for text
    /// input).
    pub fn block(&self, i: usize) -> Option<Block> {
        self.blocks.get(i).copied().flatten()
    }

    /// Gives the lines what the markup says of them, in order (a body rendered from HTML).
    pub(crate) fn set_blocks(&mut self, blocks: Vec<Block>) {
        self.blocks = blocks.into_iter().map(Some).collect();
    }

    /// Gives line `i` what the markup says of it (a test's HTML line among text ones).
    #[cfg(test)]
    pub(crate) fn set_block(&mut self, i: usize, block: Block) {
        if self.blocks.len() < self.lines.len() {
            self.blocks.resize(self.lines.len(), None);
        }
        if let Some(b) = self.blocks.get_mut(i) {
            *b = Some(block);
        }
    }

    /// Whether line `i` comes from an HTML `<pre>` block: code or verse, kept as it is;
    /// no filter sees it.
    pub fn preformatted(&self, i: usize) -> bool {
        self.block(i).is_some_and(|b| b.preformatted)
    }

    /// Each line with its text, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Line, &str)> + ExactSizeIterator {
        self.lines
            .iter()
            .enumerate()
            .map(|(i, line)| (line, self.text(i)))
    }

    /// Whether line `i` is blank (whitespace only).
    pub fn is_blank(&self, i: usize) -> bool {
        // A line with a word is not blank: no need to look at its text.
        self.lines.get(i).is_none_or(|l| l.words == 0) && self.text(i).trim().is_empty()
    }

    /// Whether line `i` is still in the output and has visible text (and is not
    /// preformatted: no filter sees those).
    pub fn is_live(&self, i: usize) -> bool {
        self.lines.get(i).is_some_and(|l| l.dropped.is_none())
            && !self.preformatted(i)
            && !self.is_blank(i)
    }

    /// Indices of the live lines (kept and not blank), in order.
    pub(crate) fn live(&self) -> Vec<usize> {
        (0..self.lines.len()).filter(|&i| self.is_live(i)).collect()
    }

    /// Marks line `i` dropped unless an earlier filter already did.
    pub(crate) fn drop_line(&mut self, i: usize, reason: &Reason) {
        if let Some(line) = self.lines.get_mut(i) {
            if line.dropped.is_none() {
                line.dropped = Some(reason.clone());
            }
        }
    }

    /// Whether a blank (or dropped-blank) line separates live lines `a` and `b` (`a < b`).
    pub(crate) fn blank_between(&self, a: usize, b: usize) -> bool {
        (a + 1..b).any(|i| self.is_blank(i))
    }
}

/// Builds a [`Reason`] for a filter kind and a rule id.
pub(crate) fn reason(filter: &'static str, rule: &str) -> Reason {
    Reason(Arc::new(ReasonOf {
        filter,
        rule: Arc::from(rule),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_tags_name_their_element() {
        for name in BLOCK_TAGS {
            assert_eq!(BlockTag::new(name).map(BlockTag::as_str), Some(*name));
        }
        assert_eq!(BlockTag::BODY.as_str(), "body");
        assert_eq!(BlockTag::new("span"), None);
    }

    #[test]
    fn a_line_holds_its_text_and_counts_its_words() {
        let long = "a line longer than the twenty-four bytes kept inline";
        let body = Body::new([(1, "two words".to_string()), (2, long.to_string())]);
        assert_eq!(body.text(0), "two words");
        assert_eq!(body.lines[0].words, 2);
        assert_eq!(body.text(1), long);
        assert_eq!(body.text(2), "");
        assert_eq!(body.lines[1].number, 2);
    }

    #[test]
    fn line_numbers_past_u32_saturate() {
        let far = usize::try_from(u64::from(u32::MAX) + 5).unwrap_or(usize::MAX);
        let body = Body::new([(far, "x")]);
        assert_eq!(body.lines[0].number, u32::MAX);
    }

    #[test]
    fn live_lists_kept_lines_with_text() {
        let mut body = Body::new([(1, "a"), (2, " "), (3, "b"), (4, "c")]);
        body.drop_line(3, &reason("drop-lines", "x"));
        assert_eq!(body.live(), [0, 2]);
    }
}
