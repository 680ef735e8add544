//! `pick-content`: HTML only: renders the element that holds the article, not the page.
//!
//! Most article pages wrap the story in `<article>`, `[itemprop=articleBody]`, `<main>` or
//! a CMS class such as `.entry-content`. When one of those holds the bulk of the page's
//! paragraph text, rendering it alone leaves out the menus, sidebars and footers around it
//! in one step. Candidates are tried in order; the first element that holds at least
//! `min-share` of the page's paragraph text (text inside `<p>`) is the content root.
//! When none does, the whole body is rendered: a page that has prose never comes out
//! empty because of a wrong guess. A site file pins its own root with one selector.
//!
//! A `<main>` or `<article>` often wraps more than the story: a "recent posts" list, an
//! author box, a tag cloud. With `narrow-share`, the picked root is narrowed step by step
//! to a child container (`div`, `section`, `article`, `main`) that holds at least that
//! share of the root's text outside links and at least half of all its text. Link lists
//! hardly count against the first test, so a wrapper is left for the story inside it,
//! while a story whose lead or list sits beside the body container keeps its wrapper.
//!
//! ```toml
//! [[pick-content]]
//! id = "article-root"
//! selectors = ["[itemprop=articleBody]", "article", "main"]
//! min-share = 0.6
//! narrow-share = 0.9
//! ```

use crate::document::Body;
use std::collections::HashSet;
use std::sync::Arc;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};
use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::html::stats::Stats;
use crate::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "pick-content",
    summary: "HTML only: render the element holding the article (article, main, articleBody), not the whole page",
    description: "Tries the selectors in order; the first element holding at least min-share of \
the page's paragraph text (text inside <p>) becomes the root that is rendered. With no such \
element the whole body is rendered. With narrow-share, the root is then narrowed to a child \
container holding that share of its text outside links.",
    fields: &[
        Field {
            key: "selectors",
            default: "required",
            meaning: "candidate content roots, best first",
        },
        Field {
            key: "min-share",
            default: "0.6",
            meaning: "share of the page's paragraph text (`<p>`) a candidate must hold",
        },
        Field {
            key: "narrow-share",
            default: "none",
            meaning: "narrow the root to a child `div`/`section`/`article`/`main` holding this share of its text outside links (and half of all its text)",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[pick-content]]
id = "article-root"
selectors = ["article"]
min-share = 0.6
"#,
        input: "<!doctype html><html><body><div class=\"menu\"><p>Home</p><p>News</p></div>\n\
<article><p>The council voted on Tuesday to close the old bridge to cars for the summer months.</p>\n\
<p>Repairs will start in June and last about three months, the council said.</p></article>\n\
<div class=\"footer\"><p>Contact us</p></div></body></html>\n",
        output: "The council voted on Tuesday to close the old bridge to cars for the summer months.\n\
Repairs will start in June and last about three months, the council said.\n",
    },
};

fn default_min_share() -> Spanned<f64> {
    Spanned::new(0..0, 0.6)
}

/// A `[[pick-content]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    pub selectors: Vec<Spanned<String>>,
    #[serde(default = "default_min_share")]
    pub min_share: Spanned<f64>,
    #[serde(default)]
    pub narrow_share: Option<Spanned<f64>>,
}

/// A compiled `pick-content` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    selectors: Vec<Selector>,
    min_share: f64,
    narrow_share: Option<f64>,
}

/// Containers a root may be narrowed to: never a paragraph, list or table on its own.
fn is_container(name: &str) -> bool {
    matches!(name, "div" | "section" | "article" | "main")
}

/// Walks down from `root` while one child container holds at least `share` of the text
/// outside links and at least half of all the text: the wrapper around the article body,
/// without the "recent posts" list or the tag cloud beside it.
fn narrow(doc: &Html, root: NodeId, stats: &Stats, share: f64) -> NodeId {
    let mut cur = root;
    let mut cur_stats = stats.get(root);
    while let Some(el) = doc.tree.get(cur).and_then(ElementRef::wrap) {
        let best = el
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| is_container(c.value().name()))
            .map(|c| (c.id(), stats.get(c.id())))
            .max_by_key(|(_, s)| s.plain);
        match best {
            Some((child, s))
                if s.plain > 0
                    && s.plain as f64 >= share * cur_stats.plain as f64
                    && s.all * 2 >= cur_stats.all =>
            {
                cur = child;
                cur_stats = s;
            }
            _ => break,
        }
    }
    cur
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        let selectors = spec::selectors(&spec.id, &spec.selectors, diag);
        let min_share = spec::check_range(&spec.min_share, "min-share", 0.0, 1.0, diag);
        let narrow_share = spec
            .narrow_share
            .as_ref()
            .map(|v| spec::check_range(v, "narrow-share", 0.0, 1.0, diag));
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            selectors,
            min_share,
            narrow_share,
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// Runs on the markup ([`super::markup::select`]), not on lines.
    type Memo = ();

    fn apply(_: &Self::Stage, _: &mut Body, _: &mut (), _: Context) {}
}

/// The content root the rules pick, with the id of the rule that picked it.
pub(crate) fn pick<'r>(
    doc: &Html,
    rules: &'r [Arc<Rule>],
    removed: &HashSet<NodeId>,
    stats: &Stats,
) -> Option<(NodeId, &'r str)> {
    if rules.is_empty() {
        return None;
    }
    let total = stats.get(doc.root_element().id()).para;
    if total == 0 {
        return None;
    }
    for rule in rules {
        for sel in &rule.selectors {
            let best = doc
                .select(sel)
                .filter(|e| !removed.contains(&e.id()))
                .map(|e| (e.id(), stats.get(e.id()).para))
                .max_by_key(|&(_, n)| n);
            if let Some((id, n)) = best {
                if n as f64 >= rule.min_share * total as f64 && n > 0 {
                    let id = match rule.narrow_share {
                        Some(share) => narrow(doc, id, stats, share),
                        None => id,
                    };
                    return Some((id, rule.id.as_str()));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::compile_rules;

    fn rules(min_share: f64) -> Vec<Arc<Rule>> {
        let toml = format!(
            "[[pick-content]]\nid = \"root\"\nselectors = [\"article\", \"main\"]\nmin-share = {min_share}\n"
        );
        compile_rules(&toml, |c| match c {
            Compiled::PickContent(r) => Some(r),
            _ => None,
        })
    }

    fn stats_of(doc: &Html) -> Stats {
        Stats::collect(doc, &HashSet::new())
    }

    const PAGE: &str = "<html><body><div><p>Menu one</p><p>Menu two</p></div><main><article>\
<p>A long first paragraph of the article, with enough words to count.</p><p>A second one.</p></article></main></body></html>";

    #[test]
    fn picks_the_first_candidate_holding_the_prose() {
        let doc = Html::parse_document(PAGE);
        let rules = rules(0.6);
        let (id, rule) = pick(&doc, &rules, &HashSet::new(), &stats_of(&doc))
            .unwrap_or_else(|| panic!("no root"));
        assert_eq!(rule, "root");
        assert_eq!(
            doc.tree
                .get(id)
                .and_then(|n| n.value().as_element())
                .map(|e| e.name()),
            Some("article")
        );
    }

    fn narrowed(html: &str) -> Option<String> {
        let toml = "[[pick-content]]\nid = \"root\"\nselectors = [\"main\"]\nnarrow-share = 0.9\n";
        let rules = compile_rules(toml, |c| match c {
            Compiled::PickContent(r) => Some(r),
            _ => None,
        });
        let doc = Html::parse_document(html);
        let stats = Stats::collect(&doc, &HashSet::new());
        let (id, _) = pick(&doc, &rules, &HashSet::new(), &stats)?;
        doc.tree
            .get(id)
            .and_then(ElementRef::wrap)
            .and_then(|e| e.value().attr("class").map(str::to_string))
    }

    const STORY: &str = "<p>A long first paragraph of the article, with enough words to count for something.</p>\
<p>A second paragraph that carries on with the story for a good few words more.</p>";

    #[test]
    fn narrows_to_the_story_beside_a_list_of_links() {
        let html = format!(
            "<body><main class=m><div class=story>{STORY}</div><div class=recent><ul>\
<li><a href=/1>Another story from this week about something else</a></li>\
<li><a href=/2>And one more story to read after this one</a></li></ul></div></main></body>"
        );
        assert_eq!(narrowed(&html).as_deref(), Some("story"));
    }

    #[test]
    fn keeps_the_wrapper_when_prose_sits_beside_the_body() {
        let html = format!(
            "<body><main class=m><div class=lead><p>The lead paragraph sits outside the body \
container but is part of the article all the same.</p></div><div class=story>{STORY}</div></main></body>"
        );
        assert_eq!(narrowed(&html).as_deref(), Some("m"));
    }

    #[test]
    fn falls_back_to_the_page_when_no_candidate_holds_enough() {
        let doc = Html::parse_document(PAGE);
        assert!(pick(&doc, &rules(0.99), &HashSet::new(), &stats_of(&doc)).is_none());
        let empty = Html::parse_document("<html><body><div>no paragraphs</div></body></html>");
        assert!(pick(&empty, &rules(0.1), &HashSet::new(), &stats_of(&empty)).is_none());
    }
}
