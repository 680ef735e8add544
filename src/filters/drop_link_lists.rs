//! `drop-link-lists`: removes runs of headline-like lines outside the article's prose.
//!
//! Menus, "recommended" blocks and "more stories" lists come out of a page as runs of
//! short lines that read like headlines: no sentence punctuation, most words capitalised,
//! or ending in a link arrow such as ` -` or ` »`. One such line may be a subheading; a run
//! of them before the first paragraph of prose or after the last one is a link list.
//!
//! A line is headline-like when it has at most `max-words` words and either ends with one
//! of `link-suffixes`, or does not end like a sentence and at least `min-title-case` of
//! its capitalisable words start with a capital. A run of at least `min-lines` such lines
//! (blank lines between them do not break it) goes when no prose line comes after it, or
//! none came before it. Runs inside the prose are left alone: lists in an article stay.
//!
//! On an HTML page the markup says which text is a link: there a line is a list item only
//! when at least `min-link-density` of its text is link text, so a plain list of catalogue
//! sections or a run of subheadings is never taken for a menu.
//!
//! A page with less prose than `min-prose-words` has no article for its lists to stand
//! around: a catalogue, an index, a grid of products is its lists, and they stay.
//!
//! ```toml
//! [[drop-link-lists]]
//! id = "headline-runs"
//! min-lines = 3
//! ```

use std::sync::Arc;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Block, Body, Line, reason};
use crate::spec;
use crate::text::{ends_like_sentence, has_inner_sentence_break, prose_words, title_case_ratio};

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-link-lists",
    summary: "remove runs of headline-like lines before or after the article's prose",
    description: "A line is headline-like when it has at most max-words words and either ends with \
one of link-suffixes or does not end like a sentence and at least min-title-case of its \
capitalisable words are capitalised. A run of min-lines or more such lines with no prose \
after it (the page tail) or none before it (the page head) is dropped. Runs between \
paragraphs of prose stay. A page with fewer than min-prose-words words of prose keeps its runs: \
they are its content.",
    fields: &[
        Field {
            key: "min-lines",
            default: "3",
            meaning: "shortest run that is a list",
        },
        Field {
            key: "max-words",
            default: "20",
            meaning: "longest headline-like line",
        },
        Field {
            key: "min-title-case",
            default: "0.75",
            meaning: "share of capitalised words that makes a line title case",
        },
        Field {
            key: "link-suffixes",
            default: "[\" -\", \" »\", \" ›\", \" →\", \" >>\"]",
            meaning: "line endings that mark a link",
        },
        Field {
            key: "min-link-density",
            default: "0.5",
            meaning: "HTML pages: share of a line's text inside links it needs to be a list item",
        },
        Field {
            key: "min-prose-words",
            default: "0",
            meaning: "a page with fewer words of prose (lines of 10+ words, or 5+ ending like a sentence) has no article, and keeps its runs",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[drop-link-lists]]
id = "headline-runs"
min-lines = 3
"#,
        input: "The council voted on Tuesday to close the old bridge to cars for the summer months.\n\
Local Team Wins Cup Final -\nTen Things To Do This Weekend -\nWhy Prices Keep Rising\n",
        output: "The council voted on Tuesday to close the old bridge to cars for the summer months.\n",
    },
};

fn default_min_lines() -> Spanned<usize> {
    Spanned::new(0..0, 3)
}
fn default_max_words() -> Spanned<usize> {
    Spanned::new(0..0, 20)
}
fn default_min_title_case() -> Spanned<f64> {
    Spanned::new(0..0, 0.75)
}
fn default_min_link_density() -> Spanned<f64> {
    Spanned::new(0..0, 0.5)
}
fn default_min_prose_words() -> Spanned<usize> {
    Spanned::new(0..0, 0)
}
fn default_suffixes() -> Vec<Spanned<String>> {
    [" -", " »", " ›", " →", " >>"]
        .iter()
        .map(|s| Spanned::new(0..0, (*s).to_string()))
        .collect()
}

/// A `[[drop-link-lists]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    #[serde(default = "default_min_lines")]
    pub min_lines: Spanned<usize>,
    #[serde(default = "default_max_words")]
    pub max_words: Spanned<usize>,
    #[serde(default = "default_min_title_case")]
    pub min_title_case: Spanned<f64>,
    #[serde(default = "default_suffixes")]
    pub link_suffixes: Vec<Spanned<String>>,
    #[serde(default = "default_min_link_density")]
    pub min_link_density: Spanned<f64>,
    #[serde(default = "default_min_prose_words")]
    pub min_prose_words: Spanned<usize>,
}

/// A compiled `drop-link-lists` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    min_lines: usize,
    max_words: usize,
    min_title_case: f32,
    link_suffixes: Vec<String>,
    min_link_density: f32,
    min_prose_words: usize,
}

impl Rule {
    /// Whether a line can be an item of a link list: headline-like, and on an HTML page
    /// mostly link text.
    fn is_list_item(&self, line: &Line, text: &str, block: Option<Block>) -> bool {
        self.headline_like(text, line.words as usize)
            && block.is_none_or(|b| b.link_density >= self.min_link_density)
    }

    /// Whether a line reads like a headline or a link label.
    #[cfg(test)]
    fn is_headline_like(&self, line: &str) -> bool {
        self.headline_like(line, crate::text::word_count(line))
    }

    /// [`Rule::is_headline_like`] for a line of `words` words.
    fn headline_like(&self, line: &str, words: usize) -> bool {
        let t = line.trim();
        if words == 0 || words > self.max_words {
            return false;
        }
        if self
            .link_suffixes
            .iter()
            .any(|s| t.ends_with(s.as_str()) || t.ends_with(s.trim()))
            && words > 1
        {
            return true;
        }
        !ends_like_sentence(t)
            && !has_inner_sentence_break(t)
            && title_case_ratio(t).is_some_and(|r| r >= self.min_title_case)
    }
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        let min_lines = spec::check_range(&spec.min_lines, "min-lines", 2, 1000, diag);
        let max_words = spec::check_range(&spec.max_words, "max-words", 1, 1000, diag);
        let min_title_case =
            spec::check_range(&spec.min_title_case, "min-title-case", 0.0, 1.0, diag) as f32;
        let min_link_density =
            spec::check_range(&spec.min_link_density, "min-link-density", 0.0, 1.0, diag) as f32;
        let min_prose_words =
            spec::check_range(&spec.min_prose_words, "min-prose-words", 0, 100_000, diag);
        for s in &spec.link_suffixes {
            if s.get_ref().trim().is_empty() {
                diag.error(
                    Some(s.span()),
                    format!("link suffix {:?} has no visible character", s.get_ref()),
                );
            }
        }
        let link_suffixes = spec
            .link_suffixes
            .into_iter()
            .map(Spanned::into_inner)
            .collect();
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            min_lines,
            max_words,
            min_title_case,
            link_suffixes,
            min_link_density,
            min_prose_words,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// For each rule, what the first run found of the lines.
    type Memo = Vec<Kinds>;

    fn apply(stage: &Self::Stage, body: &mut Body, memo: &mut Vec<Kinds>, _: Context) {
        apply_with(stage, body, memo);
    }
}

/// A line that can be an item of a link list ([`Rule::is_list_item`]).
const LINK_ITEM: u8 = 1;
/// A line of prose ([`prose_words`]) that is not a link-list item.
const PROSE: u8 = 2;

/// What one rule's first run found of a body's lines.
#[derive(Debug, Default)]
pub(crate) struct Kinds {
    /// What each line is ([`LINK_ITEM`], [`PROSE`], 0 for neither or not live).
    of_line: Vec<u8>,
    /// The words of the [`PROSE`] lines: the page's prose, so that a later run decides
    /// as the first did.
    prose: usize,
}

/// Drops qualifying runs; each rule is applied in turn.
#[cfg(test)]
pub(crate) fn apply(rules: &[Arc<Rule>], body: &mut Body) {
    apply_with(rules, body, &mut Vec::new());
}

/// [`apply`], with what each rule found of the lines on the first run over the same body.
fn apply_with(rules: &[Arc<Rule>], body: &mut Body, memo: &mut Vec<Kinds>) {
    for (r, rule) in rules.iter().enumerate() {
        if memo.len() <= r {
            let mut prose = 0;
            let of_line = body
                .iter()
                .enumerate()
                .map(|(i, (line, text))| {
                    if !body.is_live(i) {
                        return 0;
                    }
                    if rule.is_list_item(line, text, body.block(i)) {
                        return LINK_ITEM;
                    }
                    let words = prose_words(text, line.words as usize);
                    prose += words;
                    if words > 0 { PROSE } else { 0 }
                })
                .collect();
            memo.push(Kinds { of_line, prose });
        }
        if let Some(kinds) = memo.get(r) {
            apply_one(rule, body, kinds);
        }
    }
}

fn apply_one(rule: &Rule, body: &mut Body, kinds: &Kinds) {
    if kinds.prose < rule.min_prose_words {
        return;
    }
    let kinds = &kinds.of_line;
    let live = body.live();
    let headline = |k: usize| kinds[live[k]] == LINK_ITEM;
    let first_prose = live.iter().position(|&i| kinds[i] == PROSE);
    let last_prose = live.iter().rposition(|&i| kinds[i] == PROSE);
    let why = reason(KIND.name, &rule.id);
    let mut k = 0;
    while k < live.len() {
        if !headline(k) {
            k += 1;
            continue;
        }
        let start = k;
        while k < live.len() && headline(k) {
            k += 1;
        }
        let before_prose = first_prose.is_none_or(|f| f > start);
        let after_prose = last_prose.is_none_or(|l| l < start);
        if k - start >= rule.min_lines && (before_prose || after_prose) {
            for &i in &live[start..k] {
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
        compile_rules("[[drop-link-lists]]\nid = \"lists\"\n", |c| match c {
            Compiled::DropLinkLists(r) => Some(r),
            _ => None,
        })
    }

    const PROSE: &str =
        "The river rose by two metres overnight and flooded the lower streets of the town.";

    #[test]
    fn drops_a_headline_run_after_the_article() {
        let input = format!(
            "{PROSE}\nSinger Opens Up About Her Tour -\nTen Cheap Holidays -\nWhy Did The Firm Quit? -\nLast One Without Dash"
        );
        assert_eq!(run(&input, |b| apply(&rules(), b)), [PROSE]);
    }

    #[test]
    fn on_html_pages_only_link_text_makes_a_list_item() {
        use crate::document::{Block, Body};
        let lines = [
            "Local Team Wins Cup Final",
            "Ten Things To Do This Weekend",
            "Why Prices Keep Rising",
        ];
        for (density, kept) in [(1.0, 0), (0.0, 3)] {
            let mut body = Body::new(
                std::iter::once(PROSE)
                    .chain(lines)
                    .enumerate()
                    .map(|(i, l)| (i + 1, l.to_string())),
            );
            for i in 1..body.len() {
                body.set_block(
                    i,
                    Block {
                        tag: crate::document::BlockTag::new("li")
                            .unwrap_or(crate::document::BlockTag::BODY),
                        preformatted: false,
                        link_density: density,
                    },
                );
            }
            apply(&rules(), &mut body);
            assert_eq!((1..body.len()).filter(|&i| body.is_live(i)).count(), kept);
        }
    }

    #[test]
    fn keeps_a_list_between_paragraphs() {
        let input = format!("{PROSE}\nApples\nPears\nPlums\n{PROSE}");
        assert_eq!(run(&input, |b| apply(&rules(), b)).len(), 5);
    }

    #[test]
    fn keeps_short_runs_and_sentence_lines() {
        let input = format!("{PROSE}\nUS Negotiators\nTalks begin on Monday.");
        assert_eq!(run(&input, |b| apply(&rules(), b)).len(), 3);
    }

    #[test]
    fn a_page_with_too_little_prose_keeps_its_lists() {
        let rules = compile_rules(
            "[[drop-link-lists]]\nid = \"lists\"\nmin-prose-words = 20\n",
            |c| match c {
                Compiled::DropLinkLists(r) => Some(r),
                _ => None,
            },
        );
        let catalogue = "Garden Chairs\nFolding Tables\nParasols And Stands\nOutdoor Cushions";
        assert_eq!(run(catalogue, |b| apply(&rules, b)).len(), 4);
        // With an article's worth of prose, the same run after it is a link list.
        let page = format!("{PROSE}\n{PROSE}\n{catalogue}");
        assert_eq!(run(&page, |b| apply(&rules, b)), [PROSE, PROSE]);
    }

    #[test]
    fn headline_shapes() {
        let r = &rules()[0];
        assert!(r.is_headline_like("Key Details From The Heist Revealed -"));
        assert!(r.is_headline_like("Home"));
        assert!(!r.is_headline_like("The talks broke down on Sunday."));
        assert!(!r.is_headline_like("-"));
    }
}
