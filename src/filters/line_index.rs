//! Whole-line matching shared by the kinds whose rules name lines by phrases and patterns
//! (`drop-lines`, `cut-at-marker`), with one index over all the rules of a pipeline.
//!
//! A page has hundreds of lines and a kind has a dozen rules; matching every rule's regex
//! set on every line costs more than all the rest of the pipeline. The index holds every
//! rule's phrase keys in one map and the union of every rule's patterns in one set. A
//! line that hits neither (almost every line) is done with after one hash lookup and one
//! regex scan; only a hit asks the rules themselves.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use regex::{RegexSet, RegexSetBuilder};
use serde_spanned::Spanned;

use crate::rules::diag::Diag;
use crate::rules::spec::{self, Anchor, builder_pattern};
use crate::text::{FastHasher, phrase_key};

/// A map with the fast hasher used for short keys.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The line-matching part of a rule: whole-line phrases and patterns, and the longest line
/// (in words) it looks at.
#[derive(Debug, Clone)]
pub(crate) struct LineMatch {
    phrases: Vec<String>,
    sources: Vec<String>,
    patterns: Option<RegexSet>,
    max_words: usize,
}

impl LineMatch {
    /// Compiles the phrases and patterns of the rule `id`, reporting every problem.
    pub(crate) fn compile(
        id: &Spanned<String>,
        phrases: &[Spanned<String>],
        patterns: &[Spanned<String>],
        max_words: &Spanned<usize>,
        max_words_limit: usize,
        diag: &mut Diag,
    ) -> LineMatch {
        if phrases.is_empty() && patterns.is_empty() {
            diag.error(
                Some(id.span()),
                format!("rule {:?} has neither phrases nor patterns", id.get_ref()),
            );
        }
        LineMatch {
            phrases: spec::phrase_keys(phrases, diag).into_iter().collect(),
            sources: patterns.iter().map(|p| p.get_ref().clone()).collect(),
            patterns: spec::regex_set(patterns, Anchor::WholeLine, diag),
            max_words: spec::check_range(max_words, "max-words", 1, max_words_limit, diag),
        }
    }
}

/// The line matches of several rules, indexed together.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    rules: Vec<LineMatch>,
    /// Phrase key → the rules (by position) that have it, in order.
    phrases: FastMap<String, Vec<usize>>,
    /// The union of all the rules' patterns; `None` when there are none.
    any_pattern: Option<RegexSet>,
    /// Whether the union could not be built (too large): every rule is asked.
    no_prefilter: bool,
    /// Lines with more words are looked at by no rule.
    longest_words: usize,
    /// Lines longer than this, in bytes, cannot be a phrase (lowercasing may change a
    /// character's length in bytes, hence a margin).
    longest_phrase: usize,
}

impl LineIndex {
    /// Indexes the rules, in order.
    pub(crate) fn new<'a>(rules: impl IntoIterator<Item = &'a LineMatch>) -> Self {
        let mut index = LineIndex::default();
        let mut patterns = Vec::new();
        for (r, rule) in rules.into_iter().enumerate() {
            for p in &rule.phrases {
                index.phrases.entry(p.clone()).or_default().push(r);
                index.longest_phrase = index.longest_phrase.max(p.len() * 3 + 8);
            }
            patterns.extend(
                rule.sources
                    .iter()
                    .map(|p| builder_pattern(p, Anchor::WholeLine)),
            );
            index.longest_words = index.longest_words.max(rule.max_words);
            index.rules.push(rule.clone());
        }
        if !patterns.is_empty() {
            match RegexSetBuilder::new(&patterns)
                .case_insensitive(true)
                .size_limit(64 << 20)
                .dfa_size_limit(32 << 20)
                .build()
            {
                Ok(set) => index.any_pattern = Some(set),
                Err(_) => index.no_prefilter = true,
            }
        }
        index
    }

    /// The rules (by position, in order) that match `line`, a line of `words` words.
    pub(crate) fn matches(&self, line: &str, words: usize) -> Vec<usize> {
        let trimmed = line.trim();
        if words > self.longest_words {
            return Vec::new();
        }
        let key = if trimmed.len() <= self.longest_phrase {
            phrase_key(trimmed)
        } else {
            String::new()
        };
        let by_phrase = self.phrases.get(&key).map_or(&[][..], Vec::as_slice);
        let by_pattern = self.no_prefilter
            || self
                .any_pattern
                .as_ref()
                .is_some_and(|s| s.is_match(trimmed));
        if by_phrase.is_empty() && !by_pattern {
            return Vec::new();
        }
        (0..self.rules.len())
            .filter(|&r| {
                let rule = &self.rules[r];
                words <= rule.max_words
                    && (by_phrase.contains(&r)
                        || by_pattern
                            && rule.patterns.as_ref().is_some_and(|p| p.is_match(trimmed)))
            })
            .collect()
    }
}

/// The rules of one whole-line kind in a pipeline, with one index over all of them.
#[derive(Debug)]
pub(crate) struct Indexed<R> {
    pub(crate) rules: Vec<Arc<R>>,
    pub(crate) index: LineIndex,
}

// Not derived: the rules are shared behind `Arc`, so `R` itself need not be `Clone`.
impl<R> Clone for Indexed<R> {
    fn clone(&self) -> Self {
        Indexed {
            rules: self.rules.clone(),
            index: self.index.clone(),
        }
    }
}

impl<R> Default for Indexed<R> {
    fn default() -> Self {
        Indexed {
            rules: Vec::new(),
            index: LineIndex::default(),
        }
    }
}

impl<R> Indexed<R> {
    /// Indexes `rules` by the line matches `lines` reads from each.
    pub(crate) fn new(rules: Vec<Arc<R>>, lines: impl Fn(&R) -> &LineMatch) -> Self {
        let index = LineIndex::new(rules.iter().map(|r| lines(r)));
        Indexed { rules, index }
    }
}
