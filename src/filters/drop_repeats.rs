//! `drop-repeats`: removes later copies of a line already seen (a title printed twice).
//!
//! Scrapes repeat things: the headline in the page title and again above the article,
//! a teaser in a sidebar and again as a paragraph. The first copy is kept and every later
//! copy of the same line (compared ignoring case, spacing and punctuation) goes when it
//! comes within `max-distance` lines of the earlier copy. Lines shorter than `min-chars`
//! are left alone: short real lines ("Yes.", a score, a chorus line) may legitimately
//! repeat; and far copies are usually something else (a table-of-contents entry and the
//! heading it points to).
//!
//! ```toml
//! [[drop-repeats]]
//! id = "repeated-lines"
//! min-chars = 20
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::spec;
use crate::text::repeat_fingerprint;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-repeats",
    summary: "remove later copies of a line already seen (a title printed twice)",
    description: "Keeps the first copy of each line and drops later copies, comparing lines \
ignoring case, spacing and punctuation, when the earlier copy is at most max-distance \
non-blank lines before. Lines shorter than min-chars characters (after that folding) may \
repeat and are never dropped.",
    fields: &[
        Field {
            key: "min-chars",
            default: "20",
            meaning: "shorter lines may repeat (after folding case and punctuation)",
        },
        Field {
            key: "max-distance",
            default: "3",
            meaning: "a copy counts only within this many non-blank lines of the earlier one",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[drop-repeats]]
id = "repeated-lines"
min-chars = 20
"#,
        input: "Council votes to close the old bridge\nCouncil votes to close the old bridge\nYes.\nYes.\n",
        output: "Council votes to close the old bridge\nYes.\nYes.\n",
    },
};

fn default_min_chars() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}
fn default_max_distance() -> Spanned<usize> {
    Spanned::new(0..0, 3)
}

/// A `[[drop-repeats]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    #[serde(default = "default_min_chars")]
    pub min_chars: Spanned<usize>,
    #[serde(default = "default_max_distance")]
    pub max_distance: Spanned<usize>,
}

/// A compiled `drop-repeats` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    min_chars: usize,
    max_distance: usize,
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        let min_chars = spec::check_range(&spec.min_chars, "min-chars", 1, 10_000, diag);
        let max_distance =
            spec::check_range(&spec.max_distance, "max-distance", 1, 1_000_000, diag);
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            min_chars,
            max_distance,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// The lines long enough to be repeats (by index in the body) and their
    /// fingerprints, as the first run found them.
    type Memo = Option<Vec<(usize, u64)>>;

    fn apply(stage: &Self::Stage, body: &mut Body, memo: &mut Self::Memo, _: Context) {
        apply_with(stage, body, memo);
    }
}

/// Drops later copies of lines; with several rules the smallest `min-chars` applies.
#[cfg(test)]
pub(crate) fn apply(rules: &[Arc<Rule>], body: &mut Body) {
    apply_with(rules, body, &mut None);
}

/// [`apply`], with the fingerprints taken on the first run over the same body.
fn apply_with(rules: &[Arc<Rule>], body: &mut Body, memo: &mut Option<Vec<(usize, u64)>>) {
    let Some(rule) = rules.iter().min_by_key(|r| r.min_chars) else {
        return;
    };
    let why = reason(KIND.name, &rule.id);
    let candidates = memo.get_or_insert_with(|| {
        body.iter()
            .enumerate()
            // The key is never longer than the line it comes from.
            .filter(|&(i, (_, text))| text.len() >= rule.min_chars && body.is_live(i))
            .filter_map(|(i, (_, text))| {
                let (key, chars) = repeat_fingerprint(text);
                (chars >= rule.min_chars).then_some((i, key))
            })
            .collect()
    });
    // Position (among live lines) where each line was last seen: lines other stages
    // removed do not count, so the distance is the one in the output.
    let mut seen: HashMap<u64, usize> = HashMap::new();
    let mut pos = 0usize;
    let mut next = candidates.iter().peekable();
    for i in 0..body.lines.len() {
        if !body.is_live(i) {
            continue;
        }
        pos += 1;
        while next.next_if(|&&(c, _)| c < i).is_some() {}
        let Some(&(_, key)) = next.next_if(|&&(c, _)| c == i) else {
            continue;
        };
        if let Some(prev) = seen.insert(key, pos) {
            if pos - prev <= rule.max_distance {
                body.drop_line(i, &why);
            }
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
            "[[drop-repeats]]\nid = \"r\"\nmin-chars = 20\n",
            |c| match c {
                Compiled::DropRepeats(r) => Some(r),
                _ => None,
            },
        )
    }

    #[test]
    fn distance_counts_only_lines_still_kept() {
        let title = "Bridge to close for the whole summer";
        let lines = [title, "Share", "Listen", "Play", "Advertisement", title];
        let mut body = Body::new(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        );
        let widget = crate::document::reason("drop-lines", "widgets");
        for i in 1..5 {
            body.drop_line(i, &widget);
        }
        apply(&rules(), &mut body);
        // Four lines apart in the input, adjacent in the output: a repeat.
        assert!(!body.is_live(5));
    }

    #[test]
    fn keeps_first_copy_of_a_repeated_title() {
        let input = "Russia Presses On In The North\n\nRussia presses on in the north.\nBody.";
        assert_eq!(
            run(input, |b| apply(&rules(), b)),
            ["Russia Presses On In The North", "Body."]
        );
    }

    #[test]
    fn far_copies_are_not_repeats() {
        let input = "What is a mesh router?\nHow much does it cost?\nIntro.\nMore text.\nAnother line.\nWhat is a mesh router?\nBody.";
        assert_eq!(run(input, |b| apply(&rules(), b)).len(), 7);
    }

    #[test]
    fn short_lines_may_repeat() {
        let input = "Chorus\nLa la la\nChorus\nLa la la";
        assert_eq!(run(input, |b| apply(&rules(), b)).len(), 4);
    }
}
