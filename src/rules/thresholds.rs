//! The `[learn]` table of the global rules: the thresholds site learning uses. The rules
//! parse and check it, so that a bad value is reported with every other rule-file problem;
//! site learning only reads it.

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diag::Diag;
use crate::spec;

/// The `[learn]` table of the global rules: when a line counts as repeated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Thresholds {
    /// A site needs this many pages to learn from, and a line must be on this many (3).
    pub min_pages: u64,
    /// Share of a site's pages a line must be on (0.3).
    pub min_share: f64,
    /// A line of this many words or more is sentence-like and needs stronger evidence (12).
    pub long_words: usize,
    /// Share of the pages a sentence-like line must be on to be dropped anywhere (0.8);
    /// below that it is dropped only inside a run of learned lines.
    pub long_min_share: f64,
    /// How many learned lines in a row make a run (3).
    pub min_run: usize,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            min_pages: 3,
            min_share: 0.3,
            long_words: 12,
            long_min_share: 0.8,
            min_run: 3,
        }
    }
}

/// The `[learn]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct ThresholdsSpec {
    #[serde(default)]
    min_pages: Option<Spanned<u64>>,
    #[serde(default)]
    min_share: Option<Spanned<f64>>,
    #[serde(default)]
    long_words: Option<Spanned<usize>>,
    #[serde(default)]
    long_min_share: Option<Spanned<f64>>,
    #[serde(default)]
    min_run: Option<Spanned<usize>>,
}

impl Thresholds {
    /// Applies a `[learn]` table, each value checked against its range.
    pub(crate) fn set(&mut self, spec: ThresholdsSpec, diag: &mut Diag) {
        if let Some(v) = spec.min_pages {
            self.min_pages = spec::check_range(&v, "min-pages", 2, 1_000_000, diag);
        }
        if let Some(v) = spec.min_share {
            self.min_share = spec::check_range(&v, "min-share", 0.01, 1.0, diag);
        }
        if let Some(v) = spec.long_words {
            self.long_words = spec::check_range(&v, "long-words", 1, 10_000, diag);
        }
        if let Some(v) = spec.long_min_share {
            self.long_min_share = spec::check_range(&v, "long-min-share", 0.01, 1.0, diag);
        }
        if let Some(v) = spec.min_run {
            self.min_run = spec::check_range(&v, "min-run", 1, 100, diag);
        }
    }
}
