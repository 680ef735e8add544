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

use serde::Deserialize;
use serde_spanned::Spanned;

use super::line_index::{Indexed, LineMatch, MatchesLines, Scratch};
use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-lines",
    summary: "remove whole lines that are widget labels or counters (\"Play\", \"Share\", \"COMMENT (14)\")",
    description: "Matches whole lines only. A phrase is compared with the line ignoring case, \
spacing and trailing punctuation; a pattern (a regex, case-insensitive) must match the whole \
trimmed line; lines of more than max-words words (default 40) are not looked at. A longer \
line that merely starts with a phrase is article text and stays.",
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
}

fn default_max_words() -> Spanned<usize> {
    Spanned::new(0..0, 40)
}

/// A compiled `drop-lines` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    lines: LineMatch,
}

/// The `drop-lines` rules of a pipeline, with one index over all of them.
pub(crate) type Stage = Indexed<Rule>;

/// Builds the stage of these rules alone (pipelines build theirs with [`Stage::build`]).
#[cfg(test)]
pub(crate) fn stage(rules: Vec<std::sync::Arc<Rule>>) -> Stage {
    Indexed::new(rules, |r| &r.lines)
}

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
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            lines,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// A line goes when its own text matches: nothing else is looked at.
    fn line_local(_: &Stage) -> bool {
        true
    }

    fn apply(stage: &Self::Stage, body: &mut Body, _: Context) {
        apply(stage, body);
    }
}

/// Drops every live line that one of the rules matches; the first matching rule is the reason.
pub(crate) fn apply(stage: &Stage, body: &mut Body) {
    if stage.rules.is_empty() {
        return;
    }
    let mut scratch = Scratch::default();
    for i in body.live() {
        let line = &body.lines[i];
        if let Some(&r) = stage
            .index
            .matches_with(&line.text, line.words as usize, &mut scratch)
            .first()
        {
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
            |b| apply(&stage(rules()), b),
        );
        assert_eq!(out, ["Real text stays here."]);
    }

    #[test]
    fn keeps_longer_lines_that_start_with_a_phrase() {
        let input = "Play resumed at 4.15pm.\nShare prices fell sharply on Monday.";
        assert_eq!(
            run(input, |b| apply(&stage(rules()), b)),
            [
                "Play resumed at 4.15pm.",
                "Share prices fell sharply on Monday."
            ]
        );
    }

    #[test]
    fn patterns_match_whole_lines_only() {
        let input = "COMMENT (14)\n36 Comments\nThere were 36 comments on the post.";
        assert_eq!(
            run(input, |b| apply(&stage(rules()), b)),
            ["There were 36 comments on the post."]
        );
    }

    #[test]
    fn a_second_run_over_what_it_kept_removes_nothing() {
        // What line_local promises the fixed point: a line's fate is its own.
        let input = "Play\nThe match resumed.\nShare\n12 comments\nA real line.\nPause";
        let stage = stage(rules());
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
