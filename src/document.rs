//! The body of a document as the filters see it: its lines, each with a fate.
//!
//! Filters never delete a line; they mark it dropped with a [`Reason`], so `--explain` can
//! show every input line and the rule that decided it, and the summary can count removals.

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

/// One line of a document body.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the input file.
    pub number: usize,
    /// The text of the line, without its line ending.
    pub text: String,
    /// `None` while the line is kept; the reason once a filter dropped it.
    pub dropped: Option<Reason>,
    /// Number of words of `text`, counted once: every filter asks for it.
    pub words: usize,
    /// A line of an HTML `<pre>` block: code or verse, kept as it is; no filter sees it.
    pub preformatted: bool,
    /// For a line rendered from HTML: what the markup says of it (`None` for text input).
    pub block: Option<Block>,
}

/// What the markup says of a line rendered from an HTML page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Block {
    /// The innermost block element holding the line: `p`, `li`, `h2`, `td`'s row `tr`,
    /// `div`...; `body` for text outside any block.
    pub tag: &'static str,
    /// The share of the line's text inside links to other pages, from 0 to 1.
    pub link_density: f32,
}

impl Line {
    /// Whether the line is still in the output and has visible text.
    pub fn is_live(&self) -> bool {
        self.dropped.is_none() && !self.preformatted && !self.text.trim().is_empty()
    }

    /// Whether the line is blank (whitespace only).
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// The body of a document: every line after the provenance header.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The lines, in input order, dropped ones included.
    pub lines: Vec<Line>,
}

impl Line {
    /// A kept line of plain text.
    fn new(number: usize, text: String) -> Line {
        let words = word_count(&text);
        Line {
            number,
            text,
            dropped: None,
            words,
            preformatted: false,
            block: None,
        }
    }
}

impl Body {
    /// A body from `(line number, text)` pairs.
    pub fn new(lines: impl IntoIterator<Item = (usize, String)>) -> Self {
        Body {
            lines: lines
                .into_iter()
                .map(|(number, text)| Line::new(number, text))
                .collect(),
        }
    }

    /// A body of `count` lines borrowed from `(line number, text)` pairs: the lines are
    /// allocated once, at their size (a blank line costs no text allocation).
    pub(crate) fn with_lines<'t>(
        count: usize,
        lines: impl IntoIterator<Item = (usize, &'t str)>,
    ) -> Self {
        let mut out = Vec::with_capacity(count);
        out.extend(
            lines
                .into_iter()
                .map(|(number, text)| Line::new(number, text.to_string())),
        );
        Body { lines: out }
    }

    /// Indices of the live lines (kept and not blank), in order.
    pub(crate) fn live(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|&i| self.lines[i].is_live())
            .collect()
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
        self.lines[a + 1..b].iter().any(Line::is_blank)
    }
}

/// Builds a [`Reason`] for a filter kind and a rule id.
pub(crate) fn reason(filter: &'static str, rule: &str) -> Reason {
    Reason(Arc::new(ReasonOf {
        filter,
        rule: Arc::from(rule),
    }))
}
