//! Whole-line matching shared by the kinds whose rules name lines by phrases and patterns
//! (`drop-lines`, `cut-at-marker`), with one index over all the rules of a pipeline.
//!
//! A page has hundreds of lines and a kind has a dozen rules; matching every rule's regex
//! set on every line costs more than all the rest of the pipeline. The index holds every
//! rule's phrase keys in one map and the union of every rule's patterns in one set. A
//! line that hits neither (almost every line) is done with after one hash lookup and one
//! regex scan; only a hit asks the rules themselves.

use std::fmt;
use std::sync::Arc;

use regex::{RegexSet, RegexSetBuilder};
use serde_spanned::Spanned;

use super::Stage;
use crate::diag::Diag;
use crate::hash::FastMap;
use crate::spec::{self, Anchor, builder_pattern};
use crate::text::{phrase_key_into, without_bullet};

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

/// The line matches of several rules, indexed together: a stack of layers, each indexing
/// the rules that follow those of the layers below it. The layers are shared: a site's
/// pipeline that adds rules to the global ones keeps the global layer (compiled once) and
/// indexes its own rules alone on top of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    /// Each layer with the position of its first rule among all the rules.
    layers: Vec<(usize, Arc<Layer>)>,
}

/// One layer of a [`LineIndex`]: the rules it indexes, by their position in the layer.
#[derive(Debug, Default)]
struct Layer {
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
        index.push(0, rules);
        index
    }

    /// Adds a layer indexing `rules`, the first of which is rule `first` of the index.
    fn push<'a>(&mut self, first: usize, rules: impl IntoIterator<Item = &'a LineMatch>) {
        let layer = Layer::new(rules);
        if !layer.rules.is_empty() {
            self.layers.push((first, Arc::new(layer)));
        }
    }

    /// The rules (by position, in order) that match `line`, a line of `words` words. A
    /// list bullet before it is not part of it: a dumper that writes `* Share` for a
    /// list item holds the same widget as one that writes `Share`.
    #[cfg(test)]
    pub(crate) fn matches(&self, line: &str, words: usize) -> Vec<usize> {
        self.matches_with(line, words, &mut Scratch::default())
            .to_vec()
    }

    /// [`LineIndex::matches`], with buffers reused from one line to the next.
    pub(crate) fn matches_with<'s>(
        &self,
        line: &str,
        words: usize,
        scratch: &'s mut Scratch,
    ) -> &'s [usize] {
        let trimmed = without_bullet(line.trim());
        let Scratch { key, found } = scratch;
        found.clear();
        let mut keyed = false;
        for (first, layer) in &self.layers {
            layer.matches(trimmed, words, key, &mut keyed, |r| found.push(first + r));
        }
        found
    }
}

/// The buffers of [`LineIndex::matches_with`], kept from one line to the next so that
/// matching a line allocates nothing.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// The line's phrase key.
    key: String,
    /// The rules that match it.
    found: Vec<usize>,
}

impl Layer {
    fn new<'a>(rules: impl IntoIterator<Item = &'a LineMatch>) -> Self {
        let mut index = Layer::default();
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
        let mut with_patterns = index.rules.iter().filter(|r| r.patterns.is_some());
        if let (Some(only), None) = (with_patterns.next(), with_patterns.next()) {
            // One rule's patterns: its own set is the union, already compiled.
            index.any_pattern = only.patterns.clone();
        } else if !patterns.is_empty() {
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

    /// Calls `found` with each rule of the layer (by position, in order) that matches
    /// `trimmed`, a line of `words` words; `key` is the line's phrase key, computed by the
    /// first layer that needs it (`keyed` says whether it was).
    fn matches(
        &self,
        trimmed: &str,
        words: usize,
        key: &mut String,
        keyed: &mut bool,
        mut found: impl FnMut(usize),
    ) {
        if words > self.longest_words {
            return;
        }
        let key = if trimmed.len() <= self.longest_phrase {
            if !*keyed {
                phrase_key_into(trimmed, key);
                *keyed = true;
            }
            key.as_str()
        } else {
            ""
        };
        let by_phrase = self.phrases.get(key).map_or(&[][..], Vec::as_slice);
        let by_pattern = self.no_prefilter
            || self
                .any_pattern
                .as_ref()
                .is_some_and(|s| s.is_match(trimmed));
        if by_phrase.is_empty() && !by_pattern {
            return;
        }
        for (r, rule) in self.rules.iter().enumerate() {
            if words <= rule.max_words
                && (by_phrase.contains(&r)
                    || by_pattern && rule.patterns.as_ref().is_some_and(|p| p.is_match(trimmed)))
            {
                found(r);
            }
        }
    }
}

/// The rules of one whole-line kind in a pipeline, with one index over all of them.
#[derive(Debug)]
pub(crate) struct Indexed<R> {
    pub(crate) rules: Vec<Arc<R>>,
    pub(crate) index: LineIndex,
}

/// A rule that matches whole lines: what [`Indexed`] indexes it by.
pub(crate) trait MatchesLines {
    /// The rule's phrases and patterns.
    fn lines(&self) -> &LineMatch;
}

impl<R: MatchesLines + fmt::Debug + Send + Sync> Stage<R> for Indexed<R> {
    fn build(base: &Self, rules: Vec<Arc<R>>) -> Self {
        Indexed::on(base, rules, R::lines)
    }
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

#[cfg(test)]
impl<R: MatchesLines> Indexed<R> {
    /// The stage of these rules alone (pipelines build theirs with [`Stage::build`]).
    pub(crate) fn of(rules: Vec<Arc<R>>) -> Self {
        Indexed::new(rules, R::lines)
    }
}

impl<R> Indexed<R> {
    /// Indexes `rules` by the line matches `lines` reads from each.
    pub(crate) fn new(rules: Vec<Arc<R>>, lines: impl Fn(&R) -> &LineMatch) -> Self {
        let index = LineIndex::new(rules.iter().map(|r| lines(r)));
        Indexed { rules, index }
    }

    /// Indexes `rules` on top of `base`: when the first of `rules` are `base`'s own (the
    /// same compiled rules, as when a site file adds rules to the global ones), `base`'s
    /// index is shared and only the rules after them are indexed; otherwise (a rule of
    /// `base` replaced or disabled) all of them are.
    pub(crate) fn on(base: &Self, rules: Vec<Arc<R>>, lines: impl Fn(&R) -> &LineMatch) -> Self {
        let shared = base.rules.len() <= rules.len()
            && base
                .rules
                .iter()
                .zip(&rules)
                .all(|(a, b)| Arc::ptr_eq(a, b));
        if !shared {
            return Indexed::new(rules, lines);
        }
        let mut index = base.index.clone();
        let first = base.rules.len();
        index.push(first, rules[first..].iter().map(|r| lines(r)));
        Indexed { rules, index }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::drop_lines::{self, Rule};
    use crate::filters::testing::compile_rules;

    fn rules(toml: &str) -> Vec<Arc<Rule>> {
        compile_rules(toml, |c| match c {
            crate::filters::Compiled::DropLines(r) => Some(r),
            _ => None,
        })
    }

    const GLOBAL: &str = r#"[[drop-lines]]
id = "player"
phrases = ["Play", "Pause"]
patterns = ['\d+:\d\d / \d+:\d\d']

[[drop-lines]]
id = "counter"
patterns = ['comments?\s*\(\d+\)']
max-words = 3
"#;

    const SITE: &str = r#"[[drop-lines]]
id = "site-box"
phrases = ["Play", "Read the print edition"]
patterns = ['issue \d+']
"#;

    #[test]
    fn a_layer_on_top_matches_as_one_index_over_all_the_rules() {
        let global = rules(GLOBAL);
        let site: Vec<_> = global.iter().cloned().chain(rules(SITE)).collect();
        let base = drop_lines::Stage::of(global);
        let layered = Stage::build(&base, site.clone());
        let whole = drop_lines::Stage::of(site);
        assert_eq!(layered.index.layers.len(), 2);
        assert!(Arc::ptr_eq(
            &layered.index.layers[0].1,
            &base.index.layers[0].1
        ));
        for line in [
            "play",
            "3:10 / 4:05",
            "Comments (12)",
            "Read the print edition",
            "Issue 14",
            "Play resumed at 4.15pm.",
            "",
        ] {
            let words = crate::text::word_count(line);
            assert_eq!(
                layered.index.matches(line, words),
                whole.index.matches(line, words),
                "{line:?}"
            );
        }
        assert_eq!(layered.index.matches("Play", 1), [0, 2]);
    }

    #[test]
    fn a_replaced_rule_is_indexed_again_with_the_others() {
        let global = rules(GLOBAL);
        let base = drop_lines::Stage::of(global.clone());
        // The site's own "player" rule replaces the global one: nothing can be shared.
        let mut site = global;
        site[0] = rules("[[drop-lines]]\nid = \"player\"\nphrases = [\"Stop\"]\n")[0].clone();
        let rebuilt = Stage::build(&base, site);
        assert_eq!(rebuilt.index.layers.len(), 1);
        assert!(!Arc::ptr_eq(
            &rebuilt.index.layers[0].1,
            &base.index.layers[0].1
        ));
        assert_eq!(rebuilt.index.matches("Stop", 1), [0]);
        assert!(rebuilt.index.matches("Play", 1).is_empty());
    }
}
