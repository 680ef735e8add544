//! `drop-captions`: removes image captions and photo credits, in every copy.
//!
//! A scraped page carries the caption of each picture, often twice (the image's alt text
//! and the visible caption), next to a credit such as "(Picture: Agency)", "Photograph:
//! Name/Agency", "via REUTERS" or "Getty Images". A caption is not article text even the
//! first time it appears, so unlike `drop-repeats` this filter removes every copy.
//!
//! A line is a credit when one of the rule's `patterns` is found in it (patterns are
//! searched, so anchor them with `^` or `$` to the start or end of the line, where
//! credits sit: "Getty Images said on Monday…" is news, not a credit). With
//! `repeated-neighbours` (default on), a line that touches a credit line (no blank line
//! between) and appears more than once in the page is the caption of that credit, and
//! all its copies go too.
//!
//! ```toml
//! [[drop-captions]]
//! id = "photo-credits"
//! patterns = ['\((?:picture|photo|image)s?:[^)]*\)$']
//! ```

use std::sync::Arc;

use crate::prefilter::Patterns;
use regex::Regex;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::hash::FastMap;
use crate::spec::{self, Anchor};
use crate::text::repeat_fingerprint;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-captions",
    summary: "remove image captions and photo credits (\"(Picture: …)\", \"via REUTERS\") in every copy",
    description: "A line in which one of the patterns is found (case-insensitive, searched: anchor \
with ^ or $) is a credit and goes. With repeated-neighbours = true (the default), a line \
directly next to a credit line that appears more than once in the page is that credit's caption: \
every copy of it goes too.",
    fields: &[
        Field {
            key: "patterns",
            default: "required",
            meaning: "regexes **searched** in the line (anchor them with `^`/`$`): a match makes the line a credit",
        },
        Field {
            key: "repeated-neighbours",
            default: "true",
            meaning: "a line touching a credit line that appears more than once in the page is its caption: every copy goes",
        },
        Field {
            key: "max-words",
            default: "80",
            meaning: "longer lines are not credits",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[drop-captions]]
id = "photo-credits"
patterns = ['\((?:picture|photo|image)s?:[^)]*\)$']
"#,
        input: "A crowd waits outside the stadium gates\nFans queued for hours (Picture: Jo Bloggs)\n\
Tickets sold out within ten minutes of going on sale on Friday morning.\n\
A crowd waits outside the stadium gates\n",
        output: "Tickets sold out within ten minutes of going on sale on Friday morning.\n",
    },
};

fn default_true() -> bool {
    true
}

/// A `[[drop-captions]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    pub patterns: Vec<Spanned<String>>,
    #[serde(default = "default_true")]
    pub repeated_neighbours: bool,
    #[serde(default = "default_max_words")]
    pub max_words: Spanned<usize>,
}

fn default_max_words() -> Spanned<usize> {
    Spanned::new(0..0, 80)
}

/// A compiled `drop-captions` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    /// Each pattern alone, not as a set (the regex engine runs a pattern anchored at the
    /// line end backwards from the end, which a set cannot do), after one pass over the
    /// line for the words their matches hold.
    patterns: Patterns,
    repeated_neighbours: bool,
    max_words: usize,
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        if spec.patterns.is_empty() {
            diag.error(
                Some(spec.id.span()),
                format!("rule {:?} has no patterns", spec.id.get_ref()),
            );
        }
        let patterns: Vec<Option<(Regex, String)>> = spec
            .patterns
            .iter()
            .map(|p| {
                let re = spec::compile_one(p, Anchor::Search, diag)?;
                Some((re, spec::builder_pattern(p.get_ref(), Anchor::Search)))
            })
            .collect();
        let max_words = spec::check_range(&spec.max_words, "max-words", 1, 100_000, diag);
        match patterns.into_iter().collect::<Option<Vec<_>>>() {
            Some(patterns) if diag.errors.len() == before && !patterns.is_empty() => Some(Rule {
                id: spec.id.into_inner(),
                patterns: Patterns::new(patterns),
                repeated_neighbours: spec.repeated_neighbours,
                max_words,
            }),
            _ => None,
        }
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// The credit lines of the first run (by index in the body) and their rules.
    type Memo = Option<Vec<(usize, usize)>>;

    fn apply(
        stage: &Self::Stage,
        body: &mut Body,
        memo: &mut Option<Vec<(usize, usize)>>,
        _: Context,
    ) {
        apply_with(stage, body, memo);
    }
}

/// Drops credit lines and the repeated captions next to them.
#[cfg(test)]
pub(crate) fn apply(rules: &[Arc<Rule>], body: &mut Body) {
    apply_with(rules, body, &mut None);
}

/// [`apply`], with the credit lines found on the first run over the same body.
fn apply_with(rules: &[Arc<Rule>], body: &mut Body, memo: &mut Option<Vec<(usize, usize)>>) {
    if rules.is_empty() {
        return;
    }
    // Credit lines first: most pages have none, and then nothing else needs doing. They
    // are found once, on the first run: a credit is a credit whatever else was removed.
    let most_words = rules.iter().map(|r| r.max_words).max().unwrap_or(0);
    let mut seen = Vec::new();
    let credits = memo.get_or_insert_with(|| {
        body.live()
            .into_iter()
            .filter_map(|i| {
                let text = body.text(i);
                let words = body.lines[i].words as usize;
                if words > most_words {
                    return None;
                }
                rules
                    .iter()
                    .position(|r| words <= r.max_words && r.patterns.is_match(text, &mut seen))
                    .map(|r| (i, r))
            })
            .collect()
    });
    if !credits.iter().any(|&(i, _)| body.is_live(i)) {
        return;
    }
    let live = body.live();
    let mut credit_rule: Vec<Option<&Rule>> = vec![None; live.len()];
    for &(i, r) in credits.iter() {
        if let (Ok(pos), Some(rule)) = (live.binary_search(&i), rules.get(r)) {
            credit_rule[pos] = Some(&**rule);
        }
    }
    // Lines compare by their repeat keys' fingerprints: no key is built.
    let keys: Vec<(u64, usize)> = live
        .iter()
        .map(|&i| repeat_fingerprint(body.text(i)))
        .collect();
    let mut counts: FastMap<u64, usize> = FastMap::default();
    for &(k, _) in &keys {
        *counts.entry(k).or_default() += 1;
    }
    let mut caption_keys: FastMap<u64, &Rule> = FastMap::default();
    for (pos, rule) in credit_rule.iter().enumerate() {
        let Some(rule) = *rule else { continue };
        caption_keys.insert(keys[pos].0, rule);
        if !rule.repeated_neighbours {
            continue;
        }
        let neighbours = [pos.checked_sub(1), Some(pos + 1)];
        for n in neighbours.into_iter().flatten().filter(|&n| n < live.len()) {
            let (a, b) = (live[pos.min(n)], live[pos.max(n)]);
            let (key, chars) = keys[n];
            if !body.blank_between(a, b) && counts.get(&key).copied().unwrap_or(0) > 1 && chars > 0
            {
                caption_keys.insert(key, rule);
            }
        }
    }
    for (pos, &i) in live.iter().enumerate() {
        if let Some(rule) = caption_keys.get(&keys[pos].0) {
            body.drop_line(i, &reason(KIND.name, &rule.id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::{compile_rules, run};

    fn rules() -> Vec<Arc<Rule>> {
        compile_rules(
            "[[drop-captions]]\nid = \"credits\"\npatterns = ['\\((?:picture|photo):[^)]*\\)$', 'via reuters\\)?$', '^getty images$']\n",
            |c| match c {
                Compiled::DropCaptions(r) => Some(r),
                _ => None,
            },
        )
    }

    #[test]
    fn drops_every_copy_of_a_credited_caption() {
        let input = "Soldiers walk a ruined street (Photo: Ministry via REUTERS)\nBody text one.\n\
Soldiers walk a ruined street (Photo: Ministry via REUTERS)";
        assert_eq!(run(input, |b| apply(&rules(), b)), ["Body text one."]);
    }

    #[test]
    fn drops_repeated_alt_text_next_to_a_credit() {
        let input = "A man sweeps debris\nTroops advance (Picture: Agency)\nLabel\n\n\
 A man sweeps debris\nTroops advance (Picture: Agency)\n\nThe article starts here.";
        assert_eq!(
            run(input, |b| apply(&rules(), b)),
            ["Label", "The article starts here."]
        );
    }

    #[test]
    fn keeps_a_credit_word_inside_prose() {
        let input = "Getty Images said on Monday it would buy a rival agency.\nGetty Images";
        assert_eq!(
            run(input, |b| apply(&rules(), b)),
            ["Getty Images said on Monday it would buy a rival agency."]
        );
    }

    #[test]
    fn keeps_a_line_next_to_a_credit_when_it_appears_once() {
        let input =
            "The mayor opened the new library on Saturday.\nCrowds at the door (Picture: Agency)";
        assert_eq!(
            run(input, |b| apply(&rules(), b)),
            ["The mayor opened the new library on Saturday."]
        );
    }
}
