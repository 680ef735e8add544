//! `drop-lines`: removes whole lines that are widget labels or counters, not text.
//!
//! Pages are full of one-line controls: "Listen to this article", "Play", "Pause",
//! "text size", "Share", "Copy link", "Advertisement", "COMMENT (14)". They are
//! recognisable by their whole text, so this filter matches **whole lines only**: a
//! phrase is compared with the line ignoring case, spacing and trailing punctuation, and
//! a pattern must match the whole trimmed line. "Play resumed at 4.15pm." is article text
//! and stays, because it is not the whole-line phrase "Play".
//!
//! ```toml
//! [[drop-lines]]
//! id = "audio-player"
//! phrases = ["Listen to this article", "Play", "Pause"]
//! patterns = ['\d+:\d\d / \d+:\d\d']
//! ```
//!
//! Input `Play` / `Play resumed at 4.15pm.` / `3:10 / 4:05` keeps only the middle line.
//!
//! A widget stands once or twice on a page. With `max-lines`, a rule that matches more
//! lines than that on one page (dropped or not) drops none of them there: a shape repeated
//! down the page is the page's content, such as a list of books each with an `Author: …`
//! line, or a list of stories each with a `By … • date` line, not the byline above one
//! article.

use serde::Deserialize;
use serde_spanned::Spanned;

use super::line_index::{Indexed, LineMatch, MatchesLines, Scratch};
use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-lines",
    summary: "remove whole lines that are widget labels or counters (\"Play\", \"Share\", \"COMMENT (14)\")",
    description: "Matches whole lines only. A phrase is compared with the line ignoring case, \
spacing and trailing punctuation; a pattern (a regex, case-insensitive) must match the whole \
trimmed line; lines of more than max-words words (default 40) are not looked at. A longer \
line that merely starts with a phrase is article text and stays. With max-lines, a rule that \
matches more lines than that in one page drops none of them there (a byline shape repeated \
down a list of stories is the list's text).",
    fields: &[
        Field {
            key: "phrases",
            default: "[]",
            meaning: "whole-line phrases",
        },
        Field {
            key: "patterns",
            default: "[]",
            meaning: "whole-line regexes",
        },
        Field {
            key: "max-words",
            default: "40",
            meaning: "longer lines are not looked at",
        },
        Field {
            key: "max-lines",
            default: "none",
            meaning: "a rule matching more lines of one page drops none of them there",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[drop-lines]]
id = "audio-player"
phrases = ["Listen to this article", "Play", "Pause"]
patterns = ['\d+:\d\d / \d+:\d\d']
"#,
        input: "Listen to this article\nPlay\nPlay resumed at 4.15pm after the rain cleared.\n3:10 / 4:05\n",
        output: "Play resumed at 4.15pm after the rain cleared.\n",
    },
};

/// A `[[drop-lines]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    #[serde(default)]
    pub phrases: Vec<Spanned<String>>,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    #[serde(default = "default_max_words")]
    pub max_words: Spanned<usize>,
    #[serde(default)]
    pub max_lines: Option<Spanned<usize>>,
}

fn default_max_words() -> Spanned<usize> {
    Spanned::new(0..0, 40)
}

/// A compiled `drop-lines` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    lines: LineMatch,
    max_lines: Option<usize>,
}

/// The `drop-lines` rules of a pipeline, with one index over all of them.
pub(crate) type Stage = Indexed<Rule>;

impl MatchesLines for Rule {
    fn lines(&self) -> &LineMatch {
        &self.lines
    }
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Stage;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        let lines = LineMatch::compile(
            &spec.id,
            &spec.phrases,
            &spec.patterns,
            &spec.max_words,
            100_000,
            diag,
        );
        let max_lines = spec
            .max_lines
            .as_ref()
            .map(|v| spec::check_range(v, "max-lines", 1, 100_000, diag));
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            lines,
            max_lines,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// A line goes when its own text matches, and `max-lines` counts the page's matching
    /// lines, dropped ones included: a second run over what was kept decides the same.
    fn line_local(_: &Stage) -> bool {
        true
    }

    type Memo = ();

    fn apply(stage: &Self::Stage, body: &mut Body, _: &mut (), _: Context) {
        apply(stage, body);
    }
}

/// Drops every live line that one of the rules matches; the first matching rule is the
/// reason. A rule with `max-lines` that matches more lines of the page than that takes part
/// in none of it: its lines stay unless another rule matches them. The page's lines are
/// counted whether or not a filter has dropped them, so that the count, and the lines
/// kept, do not change when the pipeline runs again.
pub(crate) fn apply(stage: &Stage, body: &mut Body) {
    if stage.rules.is_empty() {
        return;
    }
    let limited = stage.rules.iter().any(|r| r.max_lines.is_some());
    let mut counts = vec![0usize; stage.rules.len()];
    let mut hits = Vec::new();
    let mut scratch = Scratch::default();
    for (i, (line, text)) in body.iter().enumerate() {
        let live = body.is_live(i);
        if !live && (!limited || body.preformatted(i)) {
            continue;
        }
        let rules = stage
            .index
            .matches_with(text, line.words as usize, &mut scratch);
        if rules.is_empty() {
            continue;
        }
        for &r in rules {
            counts[r] += 1;
        }
        if live {
            hits.push((i, rules.to_vec()));
        }
    }
    let applies = |r: usize| stage.rules[r].max_lines.is_none_or(|n| counts[r] <= n);
    for (i, rules) in hits {
        if let Some(&r) = rules.iter().find(|&&r| applies(r)) {
            body.drop_line(i, &reason(KIND.name, &stage.rules[r].id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::testing::{compile_rules, run};
    use std::sync::Arc;

    fn rules() -> Vec<Arc<Rule>> {
        compile_rules(
            r#"[[drop-lines]]
id = "widgets"
phrases = ["Listen to this article", "Play", "Pause", "text size", "Share"]
patterns = ['comments?\s*\(\d+\)', '\d+\s+comments?']
"#,
            |c| match c {
                crate::filters::Compiled::DropLines(r) => Some(r),
                _ => None,
            },
        )
    }

    #[test]
    fn drops_whole_line_phrases_in_any_case_and_spacing() {
        let out = run(
            "Listen  to this ARTICLE\nplay\nPause.\nShare:\nReal text stays here.",
            |b| apply(&Stage::of(rules()), b),
        );
        assert_eq!(out, ["Real text stays here."]);
    }

    #[test]
    fn keeps_longer_lines_that_start_with_a_phrase() {
        let input = "Play resumed at 4.15pm.\nShare prices fell sharply on Monday.";
        assert_eq!(
            run(input, |b| apply(&Stage::of(rules()), b)),
            [
                "Play resumed at 4.15pm.",
                "Share prices fell sharply on Monday."
            ]
        );
    }

    #[test]
    fn a_rule_matching_more_than_max_lines_drops_none_of_them() {
        let rules = compile_rules(
            r#"[[drop-lines]]
id = "bylines"
patterns = ['by [A-Z][a-z]+ [A-Z][a-z]+']
max-lines = 2

[[drop-lines]]
id = "names"
phrases = ["By Ann Lee"]
"#,
            |c| match c {
                crate::filters::Compiled::DropLines(r) => Some(r),
                _ => None,
            },
        );
        let article = "By Ann Lee\nThe bridge reopened on Monday after two years of repairs.";
        assert_eq!(
            run(article, |b| apply(&Stage::of(rules.clone()), b)),
            ["The bridge reopened on Monday after two years of repairs."]
        );
        // Three matches: the byline rule stands down, the other rule still applies.
        let list =
            "The Winter Garden\nBy Ann Lee\nSalt and Stone\nBy Ben Moss\nNorth Light\nBy Cara Diaz";
        assert_eq!(
            run(list, |b| apply(&Stage::of(rules.clone()), b)),
            [
                "The Winter Garden",
                "Salt and Stone",
                "By Ben Moss",
                "North Light",
                "By Cara Diaz"
            ]
        );
    }

    #[test]
    fn lines_another_filter_dropped_still_count_towards_max_lines() {
        let rules = compile_rules(
            "[[drop-lines]]\nid = \"bylines\"\npatterns = ['by [A-Z][a-z]+ [A-Z][a-z]+']\nmax-lines = 2\n",
            |c| match c {
                crate::filters::Compiled::DropLines(r) => Some(r),
                _ => None,
            },
        );
        // A later filter dropped the third byline: running the stage again must not now
        // take the two that are left, or cleaning would depend on how often it ran.
        let list = "By Ann Lee\nSalt and Stone\nBy Ben Moss\nNorth Light\nBy Cara Diaz";
        let out = run(list, |b| {
            b.drop_line(4, &reason("classify-blocks", "x"));
            apply(&Stage::of(rules.clone()), b);
        });
        assert_eq!(
            out,
            ["By Ann Lee", "Salt and Stone", "By Ben Moss", "North Light"]
        );
    }

    #[test]
    fn patterns_match_whole_lines_only() {
        let input = "COMMENT (14)\n36 Comments\nThere were 36 comments on the post.";
        assert_eq!(
            run(input, |b| apply(&Stage::of(rules()), b)),
            ["There were 36 comments on the post."]
        );
    }

    #[test]
    fn a_second_run_over_what_it_kept_removes_nothing() {
        // What line_local promises the fixed point: a line's fate is its own.
        let input = "Play\nThe match resumed.\nShare\n12 comments\nA real line.\nPause";
        let stage = Stage::of(rules());
        let once = run(input, |b| apply(&stage, b));
        let twice = run(input, |b| {
            apply(&stage, b);
            let live = b.live().len();
            apply(&stage, b);
            assert_eq!(b.live().len(), live);
        });
        assert_eq!(once, twice);
        assert_eq!(once, ["The match resumed.", "A real line."]);
    }
}
