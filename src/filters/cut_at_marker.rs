//! `cut-at-marker`: a marker line ends the article; it and everything after it go.
//!
//! The tail of a page after the article is a stack of widgets: "Leave a Reply" and the
//! comment form, "Join Our Newsletter", "Related posts", "Most Read", "More from …".
//! Their first line is a reliable marker, and whatever follows is not article text.
//!
//! A marker only cuts when it is a short line of its own (`max-words`) **and** enough
//! article prose came before it (`min-words-before`), and the prose after it is small next
//! to the prose before (`max-after-ratio`): a "Newsletter" link in the top menu, or a
//! "Related" box in the middle of a long article, must not wipe the page. With `drop-box`,
//! such a marker that cannot cut is dropped together with the headline-like lines right
//! after it (up to a blank line, a sentence or the next marker): the box goes, the article
//! stays.
//!
//! A recurring shape (`min-matches` above 1) that already holds before the page has
//! `min-words-before` words of prose is the page's own structure, not a tail after an
//! article: a forum thread whose first post is short, a listing of dated items. Its rule
//! does not cut on that page.
//!
//! A marker heads the page's tail once. With `max-lines`, a rule matching more lines of
//! the page than that cuts at none of them: a line repeated down the page is a control of
//! each item ("Add a comment" under every answer of a Q&A page, "3 comments" under every
//! teaser of a listing), and what lies between its copies is the page's content.
//!
//! ```toml
//! [[cut-at-marker]]
//! id = "comment-form"
//! phrases = ["Leave a Reply"]
//! min-words-before = 40
//! ```

use serde::Deserialize;
use serde_spanned::Spanned;

use super::line_index::{Indexed, LineMatch, MatchesLines, Scratch};
use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Body, reason};
use crate::spec;
use crate::text::{ends_like_sentence, prose_words};

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "cut-at-marker",
    summary: "end the article at a marker line (\"Leave a Reply\", \"Most Read\") and drop everything after it",
    description: "A marker is a whole line matched like drop-lines (phrases ignore case, spacing and \
trailing punctuation; patterns match the whole line). It cuts only when it has at most max-words \
words, at least min-words-before words of prose (lines of 10+ words, or 5+ ending like a \
sentence) came before it, and the prose after it is at most max-after-ratio times the prose \
before. With min-matches above 1, at least that many lines from the marker to the end must \
match the rule within match-window lines (a recurring shape such as a comment thread's \
\"Name says:\" lines); a shape that already holds before min-words-before words of prose is \
the page's own structure (a thread, a dated listing), and its rule does not cut there. The first marker that qualifies cuts. With drop-box = true, a marker \
that cannot cut is dropped with the headline-like lines right after it (up to a blank line, \
a sentence or the next marker): a \"Related\" box in the page head or inside the article. \
With max-lines, a rule matching more lines of the page than that (a control repeated under \
every post or teaser) neither cuts nor drops a box there.",
    fields: &[
        Field {
            key: "phrases",
            default: "[]",
            meaning: "whole-line marker phrases",
        },
        Field {
            key: "patterns",
            default: "[]",
            meaning: "whole-line marker regexes",
        },
        Field {
            key: "max-words",
            default: "8",
            meaning: "a marker has at most this many words",
        },
        Field {
            key: "min-words-before",
            default: "60",
            meaning: "prose words (lines of 10+ words, or 5+ ending like a sentence) needed before the marker",
        },
        Field {
            key: "max-after-ratio",
            default: "0.5",
            meaning: "prose after the marker may be at most this times the prose before",
        },
        Field {
            key: "min-matches",
            default: "1",
            meaning: "lines matching the rule needed within `match-window` lines from the marker (a recurring shape such as a comment thread)",
        },
        Field {
            key: "match-window",
            default: "20",
            meaning: "see `min-matches`",
        },
        Field {
            key: "max-lines",
            default: "none",
            meaning: "a rule matching more lines of one page cuts at none of them there",
        },
        Field {
            key: "drop-box",
            default: "false",
            meaning: "where the marker cannot cut, drop it with the headline-like lines right after it",
        },
        Field {
            key: "max-box-lines",
            default: "12",
            meaning: "most lines of such a box",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[cut-at-marker]]
id = "comment-form"
phrases = ["Leave a Reply"]
min-words-before = 20
"#,
        input: "Leave a Reply\nThe council voted on Tuesday to close the old bridge to cars for the summer.\n\
The decision follows two years of debate about traffic in the town centre and its shops.\n\
Leave a Reply\nYour email address will not be published.\n",
        output: "Leave a Reply\nThe council voted on Tuesday to close the old bridge to cars for the summer.\n\
The decision follows two years of debate about traffic in the town centre and its shops.\n",
    },
};

fn default_max_words() -> Spanned<usize> {
    Spanned::new(0..0, 8)
}
fn default_min_words_before() -> Spanned<usize> {
    Spanned::new(0..0, 60)
}
fn default_max_after_ratio() -> Spanned<f64> {
    Spanned::new(0..0, 0.5)
}
fn default_min_matches() -> Spanned<usize> {
    Spanned::new(0..0, 1)
}
fn default_match_window() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}
fn default_max_box_lines() -> Spanned<usize> {
    Spanned::new(0..0, 12)
}

/// A `[[cut-at-marker]]` table.
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
    #[serde(default = "default_min_words_before")]
    pub min_words_before: Spanned<usize>,
    #[serde(default = "default_max_after_ratio")]
    pub max_after_ratio: Spanned<f64>,
    #[serde(default = "default_min_matches")]
    pub min_matches: Spanned<usize>,
    #[serde(default = "default_match_window")]
    pub match_window: Spanned<usize>,
    #[serde(default)]
    pub max_lines: Option<Spanned<usize>>,
    #[serde(default)]
    pub drop_box: bool,
    #[serde(default = "default_max_box_lines")]
    pub max_box_lines: Spanned<usize>,
}

/// A compiled `cut-at-marker` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    lines: LineMatch,
    min_words_before: usize,
    max_after_ratio: f64,
    min_matches: usize,
    match_window: usize,
    max_lines: Option<usize>,
    drop_box: bool,
    max_box_lines: usize,
}

/// The `cut-at-marker` rules of a pipeline, with one index over all of them.
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
            100,
            diag,
        );
        let min_words_before =
            spec::check_range(&spec.min_words_before, "min-words-before", 0, 100_000, diag);
        let max_after_ratio =
            spec::check_range(&spec.max_after_ratio, "max-after-ratio", 0.0, 1000.0, diag);
        let min_matches = spec::check_range(&spec.min_matches, "min-matches", 1, 10_000, diag);
        let match_window = spec::check_range(&spec.match_window, "match-window", 1, 100_000, diag);
        let max_box_lines = spec::check_range(&spec.max_box_lines, "max-box-lines", 1, 1000, diag);
        let max_lines = spec
            .max_lines
            .as_ref()
            .map(|v| spec::check_range(v, "max-lines", 1, 100_000, diag));
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            lines,
            min_words_before,
            max_after_ratio,
            min_matches,
            match_window,
            max_lines,
            drop_box: spec.drop_box,
            max_box_lines,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    type Memo = Option<Measured>;

    fn apply(stage: &Self::Stage, body: &mut Body, memo: &mut Option<Measured>, _: Context) {
        apply_with(stage, body, memo);
    }
}

/// Cuts the body at the first marker that qualifies under its rule.
#[cfg(test)]
pub(crate) fn apply(stage: &Stage, body: &mut Body) {
    apply_with(stage, body, &mut None);
}

/// [`apply`], with the lines as measured on the first run over the same body.
fn apply_with(stage: &Stage, body: &mut Body, memo: &mut Option<Measured>) {
    if stage.rules.is_empty() {
        return;
    }
    // What each pass needs of a line is measured once, on the first run: a cut only
    // removes lines.
    let lines = memo.get_or_insert_with(|| Measured::of(stage, body));
    // A cut leaves less prose after the markers before it, so one of them may now end
    // the article: cut again until none does. Cleaning a cleaned page then cuts nothing.
    for _ in 0..MAX_PASSES {
        if !cut_once(stage, body, lines) {
            break;
        }
    }
}

/// What the passes of [`apply`] read of the body's lines, measured once.
#[derive(Debug)]
pub(crate) struct Measured {
    /// Each marker line (by index in the body) and the rule it is a marker of, in order.
    marks: Vec<(usize, usize)>,
    /// The prose words of each live line of the body ([`prose_words`]; 0 for a dropped
    /// one), as a line stores its word count.
    prose: Vec<u32>,
}

impl Measured {
    fn of(stage: &Stage, body: &Body) -> Measured {
        let mut marks = Vec::new();
        let mut scratch = Scratch::default();
        for i in body.live() {
            let line = &body.lines[i];
            for &r in stage
                .index
                .matches_with(body.text(i), line.words as usize, &mut scratch)
            {
                marks.push((i, r));
            }
        }
        // Dropped lines are never read: a pass looks at live lines only.
        let prose = body
            .iter()
            .enumerate()
            .map(|(i, (l, text))| {
                if body.is_live(i) {
                    crate::document::saturate(prose_words(text, l.words as usize))
                } else {
                    0
                }
            })
            .collect();
        Measured { marks, prose }
    }
}

/// Most passes of [`apply`]; each one cuts the body shorter, so few are ever needed.
const MAX_PASSES: usize = 16;

/// One pass: drops the boxes met on the way and the tail from the first marker that ends
/// the article; whether it cut a tail.
fn cut_once(stage: &Stage, body: &mut Body, lines: &Measured) -> bool {
    let rules = &stage.rules;
    let live = body.live();
    // The lines each rule matches on the page, as first measured: a rule matching more
    // than its `max-lines` takes no part.
    let mut counts = vec![0usize; rules.len()];
    for &(_, r) in &lines.marks {
        counts[r] += 1;
    }
    // For each rule, whether each live line is one of its markers.
    let mut hits: Vec<Vec<bool>> = vec![vec![false; live.len()]; rules.len()];
    for &(i, r) in &lines.marks {
        if rules[r].max_lines.is_some_and(|n| counts[r] > n) {
            continue;
        }
        if let Ok(k) = live.binary_search(&i) {
            hits[r][k] = true;
        }
    }
    let prose: Vec<usize> = live.iter().map(|&i| lines.prose[i] as usize).collect();
    // A recurring shape that already holds before the page has its article's prose is the
    // page's own structure (a forum thread, a listing of dated items), not a tail.
    for (r, rule) in rules.iter().enumerate() {
        if rule.min_matches > 1 {
            let start = (0..live.len()).find(|&k| marks_at(rule, &hits[r], k));
            if start.is_some_and(|k| prose[..k].iter().sum::<usize>() < rule.min_words_before) {
                hits[r].fill(false);
            }
        }
    }
    let total: usize = prose.iter().sum();
    let mut before = 0usize;
    let mut k = 0;
    while k < live.len() {
        let i = live[k];
        let after = total - before - prose[k];
        let hit = rules.iter().enumerate().find(|&(r, rule)| {
            marks_at(rule, &hits[r], k)
                && before >= rule.min_words_before
                && (after as f64) <= rule.max_after_ratio * before as f64
        });
        if let Some((_, rule)) = hit {
            let why = reason(KIND.name, &rule.id);
            for j in i..body.lines.len() {
                body.drop_line(j, &why);
            }
            return true;
        }
        let boxed = rules
            .iter()
            .enumerate()
            .find(|&(r, rule)| hits[r][k] && rule.drop_box);
        if let Some((_, rule)) = boxed {
            let marker = |j: usize| hits.iter().any(|h| h[j]);
            let end = box_end(body, &live, k, rule.max_box_lines, marker);
            if end > k + 1 {
                let why = reason(KIND.name, &rule.id);
                for &j in &live[k..end] {
                    body.drop_line(j, &why);
                    before += lines.prose[j] as usize;
                }
                k = end;
                continue;
            }
        }
        before += prose[k];
        k += 1;
    }
    false
}

/// Whether live line `k` is a marker of `rule` (`hits`: whether each live line matches
/// it) where it counts: with `min-matches`, the first of that many within the window.
fn marks_at(rule: &Rule, hits: &[bool], k: usize) -> bool {
    if !hits[k] {
        return false;
    }
    let end = (k + rule.match_window).min(hits.len());
    rule.min_matches == 1 || hits[k..end].iter().filter(|&&x| x).count() >= rule.min_matches
}

/// The end (exclusive, in `live`) of the box whose marker is `live[k]`: the headline-like
/// lines (no sentence ending, at most 20 words) right after it, up to a blank line or the
/// next marker line (`marker`, by position in `live`), which starts a widget of its own.
fn box_end(
    body: &Body,
    live: &[usize],
    k: usize,
    max_lines: usize,
    marker: impl Fn(usize) -> bool,
) -> usize {
    let mut end = k + 1;
    while end < live.len() && end - k <= max_lines {
        let line = &body.lines[live[end]];
        let headline = !ends_like_sentence(body.text(live[end])) && line.words <= 20;
        if !headline || marker(end) || body.blank_between(live[end - 1], live[end]) && end > k + 1 {
            break;
        }
        end += 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::{compile_rules, run};
    use std::sync::Arc;

    fn rules(extra: &str) -> Vec<Arc<Rule>> {
        let toml = format!(
            "[[cut-at-marker]]\nid = \"tail\"\nphrases = [\"Leave a Reply\", \"Newsletter\"]\n{extra}"
        );
        compiled(&toml)
    }

    /// The `cut-at-marker` rules of a rule file.
    fn compiled(toml: &str) -> Vec<Arc<Rule>> {
        compile_rules(toml, |c| match c {
            Compiled::CutAtMarker(r) => Some(r),
            _ => None,
        })
    }

    const PROSE: &str =
        "The river rose by two metres overnight and flooded the lower streets of the town.";

    #[test]
    fn cuts_marker_and_everything_after() {
        let input = format!("{PROSE}\n{PROSE}\nLeave a Reply\nName\nEmail\nPost comment");
        let out = run(&input, |b| {
            apply(&Stage::of(rules("min-words-before = 20")), b)
        });
        assert_eq!(out, [PROSE, PROSE]);
    }

    #[test]
    fn a_marker_in_the_top_menu_does_not_wipe_the_page() {
        let input = format!("Home\nNewsletter\n{PROSE}\n{PROSE}");
        let out = run(&input, |b| {
            apply(&Stage::of(rules("min-words-before = 20")), b)
        });
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn a_marker_with_much_prose_after_it_stays() {
        let input = format!("{PROSE}\nNewsletter\n{PROSE}\n{PROSE}\n{PROSE}");
        let out = run(&input, |b| {
            apply(&Stage::of(rules("min-words-before = 10")), b)
        });
        assert_eq!(out.len(), 5);
    }

    #[test]
    fn a_recurring_shape_cuts_at_its_first_line() {
        let toml = "[[cut-at-marker]]\nid = \"thread\"\npatterns = ['.{1,40} says:?']\nmin-matches = 2\nmatch-window = 3\nmin-words-before = 10\nmax-after-ratio = 100.0\n";
        let rules = compiled(toml);
        let input = format!(
            "{PROSE}\nThe mayor says:\n{PROSE}\n{PROSE}\nAmy says\nGreat piece.\nBen says:\nAgreed."
        );
        let out = run(&input, |b| apply(&Stage::of(rules.clone()), b));
        assert_eq!(out, [PROSE, "The mayor says:", PROSE, PROSE]);
    }

    #[test]
    fn a_box_that_cannot_cut_is_dropped_alone() {
        let rules = rules("min-words-before = 10\ndrop-box = true");
        let input = format!(
            "{PROSE}\nNewsletter\nSign Up Today\nFree Weekly Digest\n\n{PROSE}\n{PROSE}\n{PROSE}"
        );
        assert_eq!(
            run(&input, |b| apply(&Stage::of(rules.clone()), b)),
            [PROSE, PROSE, PROSE, PROSE]
        );
    }

    #[test]
    fn a_box_ends_at_the_next_marker_which_can_then_cut() {
        let toml = "[[cut-at-marker]]\nid = \"related\"\nphrases = [\"Related\"]\nmin-words-before = 10\ndrop-box = true\n\n[[cut-at-marker]]\nid = \"appeal\"\nphrases = [\"Support us\", \"Donate now\"]\nmin-words-before = 10\n";
        let rules = compiled(toml);
        // "Related" cannot cut (the appeal and the comment after it are too much prose),
        // so its box goes; the box stops at "Support us", which ends the article once
        // "Donate now" has cut the comment away.
        let input = format!(
            "{PROSE}\n{PROSE}\nRelated\nFloods Close The Old Road\nSupport us\n{PROSE}\nDonate now\n{PROSE}"
        );
        let out = run(&input, |b| apply(&Stage::of(rules.clone()), b));
        assert_eq!(out, [PROSE, PROSE]);
    }

    #[test]
    fn a_long_line_is_never_a_marker() {
        let input = format!(
            "{PROSE}\n{PROSE}\nLeave a reply below if you saw the flood yourself and want to tell us."
        );
        let out = run(&input, |b| {
            apply(&Stage::of(rules("min-words-before = 10")), b)
        });
        assert_eq!(out.len(), 3);
    }

    #[test]
    fn a_shape_that_starts_before_the_prose_is_the_page_and_stays() {
        let toml = "[[cut-at-marker]]\nid = \"thread\"\npatterns = ['\\d+ days ago']\nmin-matches = 2\nmatch-window = 4\nmin-words-before = 20\nmax-after-ratio = 100.0\n";
        let rules = compiled(toml);
        // A listing: each item has its date from the top of the page on.
        let listing = format!(
            "Harbour Cleanup Finds Old Anchor\n2 days ago\nNew Ferry Timetable Starts Monday\n3 days ago\n{PROSE}\n{PROSE}\nCouncil Approves Budget\n4 days ago\nMarket Moves To The Quay\n5 days ago"
        );
        let out = run(&listing, |b| apply(&Stage::of(rules.clone()), b));
        assert_eq!(out.len(), 10);
        // After an article's prose, the same shape is a thread under it, and goes.
        let article = format!("{PROSE}\n{PROSE}\nAnn\n2 days ago\nGreat news.\nBen\n3 days ago");
        let out = run(&article, |b| apply(&Stage::of(rules.clone()), b));
        assert_eq!(out, [PROSE, PROSE, "Ann"]);
    }

    #[test]
    fn a_marker_repeated_under_every_post_cuts_nowhere() {
        let toml = "[[cut-at-marker]]\nid = \"form\"\nphrases = [\"Add a comment\"]\nmin-words-before = 10\nmax-after-ratio = 100.0\nmax-lines = 2\n";
        let rules = compiled(toml);
        let answer = "Mount the backup read-only first, then copy the files you need out of it.";
        let thread =
            format!("{PROSE}\nAdd a comment\n{answer}\nAdd a comment\n{answer}\nAdd a comment");
        let out = run(&thread, |b| apply(&Stage::of(rules.clone()), b));
        assert_eq!(out.len(), 6);
        // Once or twice on a page, it is the form that ends the article.
        let article = format!("{PROSE}\n{PROSE}\nAdd a comment\nName\nEmail");
        let out = run(&article, |b| apply(&Stage::of(rules.clone()), b));
        assert_eq!(out, [PROSE, PROSE]);
    }
}
