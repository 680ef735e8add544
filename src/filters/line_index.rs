//! One index over the whole-line rules of a filter kind, so that each line is looked up
//! once per kind instead of once per rule.
//!
//! A page has hundreds of lines and a kind has a dozen rules; matching every rule's regex
//! set on every line costs more than all the rest of the pipeline. The index holds every
//! rule's phrase keys in one map and the union of every rule's patterns in one set. A
//! line that hits neither (almost every line) is done with after one hash lookup and one
//! regex scan; only a hit asks the rules themselves.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use regex::{RegexSet, RegexSetBuilder};

use crate::rules::spec::{Anchor, builder_pattern};
use crate::text::FastHasher;

/// A map with the fast hasher used for short keys.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Phrase keys and patterns of several rules, indexed together.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    /// Phrase key → the rules (by position) that have it, in order.
    phrases: FastMap<String, Vec<usize>>,
    /// The union of all the rules' patterns; `None` when there are none.
    any_pattern: Option<RegexSet>,
    /// Whether a union could not be built (too large): every rule is asked.
    no_prefilter: bool,
}

impl LineIndex {
    /// Indexes `rules`, each given as its phrase keys and its pattern sources.
    pub(crate) fn new<'a>(
        rules: impl IntoIterator<Item = (&'a [String], &'a [String])>,
        anchor: Anchor,
    ) -> Self {
        let mut index = LineIndex::default();
        let mut patterns = Vec::new();
        for (r, (phrases, pats)) in rules.into_iter().enumerate() {
            for p in phrases {
                index.phrases.entry(p.clone()).or_default().push(r);
            }
            patterns.extend(pats.iter().map(|p| builder_pattern(p, anchor)));
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

    /// The rules whose phrases include `key`.
    pub(crate) fn phrase_rules(&self, key: &str) -> &[usize] {
        self.phrases.get(key).map_or(&[], Vec::as_slice)
    }

    /// Whether some rule's pattern may match `line` (false means none does).
    pub(crate) fn pattern_may_match(&self, line: &str) -> bool {
        self.no_prefilter || self.any_pattern.as_ref().is_some_and(|s| s.is_match(line))
    }
}
