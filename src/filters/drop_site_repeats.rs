//! `drop-site-repeats`: removes the lines a site repeats across its pages.
//!
//! Whatever a site prints on page after page (its menus, footer, "More from" lists,
//! newsletter boxes, legal lines) is boilerplate even when no rule names it. These lines
//! are learned from the site's own pages ([`crate::learn`]): in a batch before it is
//! cleaned, or once by `declutr learn`, which writes them into a site file for review.
//! A line matches when it is the same as a learned line with case, digits, punctuation
//! and spacing folded ("© 2024 The Gazette" matches "© 2025 the gazette.").
//!
//! Long lines are sentences, and two articles may quote the same one: a line of many
//! words is learned into `lines` only when nearly every page holds it, and otherwise into
//! `run-lines`, which are dropped only inside a run of `min-run` repeated lines (a
//! newsletter box), never alone. A line of `lines` standing alone between two lines of the
//! page's own is a heading the site's template repeats ("Pros", "Specifications") and
//! stays; menus, footers and boxes come in runs, or at the top or bottom of the page.
//!
//! Shared text is sometimes the article (syndicated copies of one story, recrawls of one
//! page): on a page where these rules would remove most of its sentence-like text, they do
//! not apply, whatever else does (the article guard, `crate::guard`).
//!
//! ```toml
//! [[drop-site-repeats]]
//! id = "site-repeat"
//! pages = 20
//! lines = ["Subscribe to the Gazette", "© 2025 The Gazette. All rights reserved."]
//! run-lines = ["Get the morning briefing in your inbox, every weekday, free of charge."]
//! ```

use std::collections::HashSet;
use std::sync::Arc;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::hash::line_key;
use crate::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-site-repeats",
    summary: "remove the lines a site repeats across its pages (learned: menus, footers, newsletter boxes)",
    description: "Lines are compared with case, digits, punctuation and spacing folded. \
`lines` are dropped next to another learned line or at the top or bottom of the page; alone \
between two lines of the page's own they are a repeated section heading and stay. `run-lines` \
(sentence-like lines most but not all of the site's pages hold, and lines whose digits change \
from page to page) go only inside a run of at least min-run (default 3) learned lines, so a \
sentence two articles share is never dropped alone. Written by \
`declutr learn` into a site file, or learned in memory for a batch; `pages` records how many \
pages the lines were learned from.",
    fields: &[
        Field {
            key: "pages",
            default: "none",
            meaning: "pages the lines were learned from (for the reader)",
        },
        Field {
            key: "lines",
            default: "[]",
            meaning: "lines dropped wherever they stand",
        },
        Field {
            key: "run-lines",
            default: "[]",
            meaning: "lines dropped only inside a run of `min-run` learned lines",
        },
        Field {
            key: "min-run",
            default: "3",
            meaning: "learned lines in a row that make a run",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[drop-site-repeats]]
id = "site-repeat"
pages = 20
lines = ["Subscribe to the Gazette", "Most read", "© 2025 The Gazette"]
run-lines = ["Get the morning briefing in your inbox every weekday, free of charge."]
"#,
        input: "Council votes to keep the library open\n\
The council voted on Tuesday to keep the library open on Sundays.\n\
Get the morning briefing in your inbox every weekday, free of charge.\n\
Most read\n\
Subscribe to the Gazette\n\
© 2024 The Gazette\n",
        output: "Council votes to keep the library open\n\
The council voted on Tuesday to keep the library open on Sundays.\n",
    },
};

/// A `[[drop-site-repeats]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    #[serde(default)]
    pub pages: Option<Spanned<u64>>,
    #[serde(default)]
    pub lines: Vec<Spanned<String>>,
    #[serde(default)]
    pub run_lines: Vec<Spanned<String>>,
    #[serde(default = "default_min_run")]
    pub min_run: Spanned<usize>,
}

fn default_min_run() -> Spanned<usize> {
    Spanned::new(0..0, 3)
}

/// A compiled `drop-site-repeats` rule: the folded lines' keys.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    lines: HashSet<u64>,
    run_lines: HashSet<u64>,
    min_run: usize,
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        if spec.lines.is_empty() && spec.run_lines.is_empty() {
            diag.error(
                Some(spec.id.span()),
                format!(
                    "rule {:?} has neither lines nor run-lines",
                    spec.id.get_ref()
                ),
            );
        }
        let mut keys = |list: &[Spanned<String>]| -> HashSet<u64> {
            list.iter()
                .filter_map(|l| {
                    let key = line_key(l.get_ref());
                    if key.is_none() {
                        diag.error(
                            Some(l.span()),
                            format!(
                                "line {:?} has no letter: it would match nothing",
                                l.get_ref()
                            ),
                        );
                    }
                    key
                })
                .collect()
        };
        let lines = keys(&spec.lines);
        let run_lines = keys(&spec.run_lines);
        let min_run = spec::check_range(&spec.min_run, "min-run", 1, 100, diag);
        if let Some(pages) = &spec.pages {
            spec::check_range(pages, "pages", 1, u64::MAX, diag);
        }
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            lines,
            run_lines,
            min_run,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    type Memo = ();

    fn apply(stage: &Self::Stage, body: &mut Body, _: &mut (), cx: Context) {
        if !cx.without_learned {
            apply(stage, body);
        }
    }
}

/// Drops the learned lines: `lines` wherever they stand, `run-lines` inside a run of at
/// least `min-run` live lines that are all learned.
pub(crate) fn apply(rules: &[std::sync::Arc<Rule>], body: &mut Body) {
    for rule in rules {
        let live = body.live();
        // 0: not learned, 1: a run line, 2: a line dropped anywhere.
        let learned: Vec<u8> = live
            .iter()
            .map(|&i| match line_key(body.text(i)) {
                Some(k) if rule.lines.contains(&k) => 2,
                Some(k) if rule.run_lines.contains(&k) => 1,
                _ => 0,
            })
            .collect();
        let why = reason(KIND.name, &rule.id);
        let mut start = 0;
        while start < live.len() {
            if learned[start] == 0 {
                start += 1;
                continue;
            }
            let end = (start..live.len())
                .find(|&j| learned[j] == 0)
                .unwrap_or(live.len());
            let len = end - start;
            // A learned line alone between two lines of the page's own is a heading the
            // site's template repeats over page-specific text ("Pros", "Specifications"):
            // it stays. At the top or the bottom of the page it is the site's furniture.
            let alone_inside = len == 1 && start > 0 && end < live.len();
            for j in start..end {
                if (learned[j] == 2 && !alone_inside) || len >= rule.min_run {
                    body.drop_line(live[j], &why);
                }
            }
            start = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::{compile_rules, run};

    fn rules(toml: &str) -> Vec<std::sync::Arc<Rule>> {
        compile_rules(toml, |c| match c {
            Compiled::DropSiteRepeats(r) => Some(r),
            _ => None,
        })
    }

    const QUOTE: &str = "We will not let this bridge fall down, whatever the cost to the town.";

    #[test]
    fn lines_match_with_case_digits_and_punctuation_folded() {
        let r = rules(
            "[[drop-site-repeats]]\nid = \"s\"\nlines = [\"© 2024 The Gazette\", \"COMMENTS (3)\"]\n",
        );
        let input = "© 2025 the gazette.\nComments (14)\nComments are closed on this story.\n";
        // Together at the top: both go.
        assert_eq!(
            run(input, |b| apply(&r, b)),
            ["Comments are closed on this story."]
        );
    }

    #[test]
    fn a_learned_heading_between_lines_of_the_page_stays() {
        let r =
            rules("[[drop-site-repeats]]\nid = \"s\"\nlines = [\"Pros\", \"Home\", \"News\"]\n");
        let input = "Home\nNews\nThe camera is small and light.\nPros\nBattery lasts two days\n";
        assert_eq!(
            run(input, |b| apply(&r, b)),
            [
                "The camera is small and light.",
                "Pros",
                "Battery lasts two days"
            ]
        );
    }

    #[test]
    fn a_run_line_alone_stays_and_goes_inside_a_run() {
        let toml = format!(
            "[[drop-site-repeats]]\nid = \"s\"\nlines = [\"Newsletter\", \"Sign up\"]\nrun-lines = [\"{QUOTE}\"]\n"
        );
        let r = rules(&toml);
        // Quoted in an article: the line stands among the article's own lines.
        let alone = format!("The mayor spoke at the quay.\n{QUOTE}\nThe vote is on Friday.\n");
        assert_eq!(run(&alone, |b| apply(&r, b)).len(), 3);
        // Inside the site's newsletter box: a run of three learned lines.
        let boxed = format!("The vote is on Friday.\nNewsletter\n{QUOTE}\nSign up\n");
        assert_eq!(run(&boxed, |b| apply(&r, b)), ["The vote is on Friday."]);
    }

    #[test]
    fn a_rule_without_lines_or_with_a_line_of_punctuation_is_an_error() {
        for toml in [
            "[[drop-site-repeats]]\nid = \"s\"\n",
            "[[drop-site-repeats]]\nid = \"s\"\nlines = [\"---\"]\n",
        ] {
            let doc =
                toml_edit::ImDocument::parse(toml.to_string()).unwrap_or_else(|e| panic!("{e}"));
            let mut diag = Diag::new("t.toml", toml);
            let table = doc
                .get("drop-site-repeats")
                .and_then(|i| i.as_array_of_tables())
                .and_then(|t| t.get(0));
            let compiled =
                table.and_then(|t| crate::filters::compile("drop-site-repeats", t, &mut diag));
            assert!(compiled.is_none() && !diag.errors.is_empty(), "{toml}");
        }
    }
}
