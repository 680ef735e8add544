//! `normalize`: tidies whitespace: trims line ends and collapses runs of blank lines.
//!
//! Removing clutter leaves holes: a dropped widget between two blank lines becomes a run
//! of blank lines. This last stage keeps at most `max-blank-lines` blank lines in a row,
//! drops blank lines at the start and end of the body, and (with `trim`, the default)
//! trims whitespace at both ends of every kept line when the output is written.
//!
//! ```toml
//! [[normalize]]
//! id = "whitespace"
//! max-blank-lines = 1
//! ```

use std::sync::Arc;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "normalize",
    summary: "trim line ends and collapse runs of blank lines",
    description: "Keeps at most max-blank-lines blank lines in a row among the kept lines, drops \
blank lines at the start and end of the body, and with trim = true (the default) trims the \
whitespace around each kept line.",
    fields: &[
        Field {
            key: "max-blank-lines",
            default: "1",
            meaning: "blank lines kept in a row",
        },
        Field {
            key: "trim",
            default: "true",
            meaning: "trim whitespace around kept lines",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[normalize]]
id = "whitespace"
max-blank-lines = 1
"#,
        input: "\n\n  First paragraph.  \n\n\n\nSecond paragraph.\n\n",
        output: "First paragraph.\n\nSecond paragraph.\n",
    },
};

fn default_max_blank() -> Spanned<usize> {
    Spanned::new(0..0, 1)
}
fn default_true() -> bool {
    true
}

/// A `[[normalize]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    #[serde(default = "default_max_blank")]
    pub max_blank_lines: Spanned<usize>,
    #[serde(default = "default_true")]
    pub trim: bool,
}

/// A compiled `normalize` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    max_blank_lines: usize,
    pub(crate) trim: bool,
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        let max_blank_lines =
            spec::check_range(&spec.max_blank_lines, "max-blank-lines", 0, 100, diag);
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            max_blank_lines,
            trim: spec.trim,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    type Memo = ();

    fn apply(stage: &Self::Stage, body: &mut Body, _: &mut (), _: Context) {
        apply(stage, body);
    }
}

/// Drops excess blank lines; with several rules the last one decides.
pub(crate) fn apply(rules: &[Arc<Rule>], body: &mut Body) {
    let Some(rule) = rules.last() else { return };
    let why = reason(KIND.name, &rule.id);
    // One pass over the lines, no index of the kept ones: a long page is mostly lines.
    let kept = |line: &crate::document::Line| line.dropped.is_none();
    let text = |i: usize| kept(&body.lines[i]) && !body.is_blank(i);
    let first = (0..body.len()).position(text);
    let last = (0..body.len()).rposition(text);
    let (Some(first), Some(last)) = (first, last) else {
        for line in &mut body.lines {
            if kept(line) {
                line.dropped = Some(why.clone());
            }
        }
        return;
    };
    let mut run = 0;
    for i in 0..body.len() {
        if !kept(&body.lines[i]) {
            continue;
        }
        if !body.is_blank(i) {
            run = 0;
            continue;
        }
        run += 1;
        if i < first || i > last || run > rule.max_blank_lines {
            body.drop_line(i, &why);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::{compile_rules, run_keep_blank};

    fn rules(max: usize) -> Vec<Arc<Rule>> {
        compile_rules(
            &format!("[[normalize]]\nid = \"ws\"\nmax-blank-lines = {max}\n"),
            |c| match c {
                Compiled::Normalize(r) => Some(r),
                _ => None,
            },
        )
    }

    #[test]
    fn collapses_blank_runs_and_trims_the_ends() {
        let out = run_keep_blank("\n\nA\n\n\n\nB\n \n", |b| apply(&rules(1), b));
        assert_eq!(out, ["A", "", "B"]);
    }

    #[test]
    fn zero_blank_lines_joins_paragraphs() {
        let out = run_keep_blank("A\n\nB", |b| apply(&rules(0), b));
        assert_eq!(out, ["A", "B"]);
    }
}
