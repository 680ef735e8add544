//! `drop-elements`: removes non-content elements of an HTML page before it is rendered.
//!
//! Scripts, styles, navigation, asides, forms, dialogs, hidden elements, cookie banners,
//! share bars and "related" boxes are recognisable in the markup itself, by tag, ARIA
//! role, or class and id. Each rule lists CSS selectors (compiled once, when the rules
//! load); every element one of them matches is removed with its subtree.
//!
//! A guard keeps the page's text safe from a misleading class name: the `html`, `body`,
//! `main` and `article` elements are never removed, nor an element that contains one of
//! them (or `[role=main]`, `[itemprop=articleBody]`), nor one holding more than
//! `max-text-share` of the page's visible text (a content wrapper called
//! `post-related-wrap`, a column called `sidebar-first-only`).
//!
//! ```toml
//! [[drop-elements]]
//! id = "share-bars"
//! selectors = ["[class*=share]", "nav", "aside"]
//! ```

use std::sync::{Arc, LazyLock};

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use crate::html::selector_set::{self, SelectorSet};
use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Example, KindInfo};
use crate::document::{Reason, reason};
use crate::rules::diag::Diag;
use crate::rules::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-elements",
    summary: "HTML only: remove elements matched by CSS selectors (nav, aside, share bars) before rendering",
    description: "Runs on HTML pages before they are rendered to text. Every element a selector \
matches is removed with its subtree. The html, body, main and article elements are never \
removed, nor an element holding more than max-text-share of the page's text.",
    example: Example {
        rules: r#"[[drop-elements]]
id = "page-furniture"
selectors = ["nav", "[class*=share]"]
"#,
        input: "<!doctype html><html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav>\n\
<p>The council voted on Tuesday to close the old bridge to cars for the summer months.</p>\n\
<div class=\"share-bar\">Share on Facebook</div></body></html>\n",
        output: "The council voted on Tuesday to close the old bridge to cars for the summer months.\n",
    },
};

fn default_max_text_share() -> Spanned<f64> {
    Spanned::new(0..0, 0.5)
}

/// A `[[drop-elements]]` table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    /// Stable id, named in `--explain` and in `disable` lists.
    pub id: Spanned<String>,
    /// Why the rule exists (optional).
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "read by people reviewing the rule file, not by the filter"
    )]
    pub description: Option<String>,
    /// CSS selectors of the elements to remove.
    pub selectors: Vec<Spanned<String>>,
    /// An element holding more than this share of the page's text is kept (default 0.5).
    #[serde(default = "default_max_text_share")]
    pub max_text_share: Spanned<f64>,
}

/// A compiled `drop-elements` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    selectors: SelectorSet,
    max_text_share: f64,
}

impl Rule {
    pub(crate) fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        let selectors = spec::selectors(&spec.id, &spec.selectors, diag);
        let max_text_share =
            spec::check_range(&spec.max_text_share, "max-text-share", 0.0, 1.0, diag);
        (diag.errors.len() == before).then(|| {
            // No errors: one compiled selector per source, in order.
            let sources = spec.selectors.iter().map(|s| s.get_ref().clone());
            Rule {
                id: spec.id.into_inner(),
                selectors: SelectorSet::new(sources.zip(selectors).collect()),
                max_text_share,
            }
        })
    }
}

/// Visible text length (in bytes) of an element's subtree: scripts, styles and form
/// field contents (a textarea holding a copy of the article's markup) left out.
fn text_len(el: ElementRef) -> usize {
    // One walk; the subtrees of invisible elements are skipped as a whole.
    let mut len = 0;
    let mut skip_until = None;
    for edge in el.traverse() {
        match edge {
            Edge::Open(node) if skip_until.is_none() => match node.value() {
                Node::Element(e) if crate::html::stats::is_invisible(e.name()) => {
                    skip_until = Some(node.id());
                }
                Node::Text(t) => len += t.trim().len(),
                _ => {}
            },
            Edge::Close(node) if skip_until == Some(node.id()) => skip_until = None,
            _ => {}
        }
    }
    len
}

/// Elements that hold the main content: never removed, nor anything containing them.
static MAIN_CONTENT: LazyLock<Option<Selector>> =
    LazyLock::new(|| Selector::parse("article, main, [role=main], [itemprop=articleBody]").ok());

fn holds_main_content(el: ElementRef) -> bool {
    MAIN_CONTENT
        .as_ref()
        .is_some_and(|sel| el.select(sel).next().is_some())
}

/// The elements the rules remove, each with the first rule that names it: by rule, then
/// selector, then in the order `Html::select` finds them.
pub(crate) fn select(doc: &Html, rules: &[Arc<Rule>]) -> Vec<(NodeId, Reason)> {
    let sets: Vec<&SelectorSet> = rules.iter().map(|r| &r.selectors).collect();
    let matches = selector_set::first_matches(doc, &sets);
    if matches.is_empty() {
        return Vec::new();
    }
    let total = text_len(doc.root_element()).max(1);
    let reasons: Vec<Reason> = rules.iter().map(|r| reason(KIND.name, &r.id)).collect();
    let mut out: Vec<(NodeId, Reason)> = Vec::new();
    for m in matches {
        let (Some(rule), Some(why)) = (rules.get(m.set), reasons.get(m.set)) else {
            continue;
        };
        let el = m.element;
        if matches!(el.value().name(), "html" | "body" | "main" | "article") {
            continue;
        }
        if holds_main_content(el) || text_len(el) as f64 > rule.max_text_share * total as f64 {
            continue;
        }
        out.push((el.id(), why.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::compile_rules;

    fn rules(selectors: &str) -> Vec<Arc<Rule>> {
        compile_rules(
            &format!("[[drop-elements]]\nid = \"x\"\nselectors = {selectors}\n"),
            |c| match c {
                Compiled::DropElements(r) => Some(r),
                _ => None,
            },
        )
    }

    #[test]
    fn removes_matched_elements_with_their_text() {
        let html = "<html><body><nav>Home News</nav><p>Body text here for the page.</p><aside>Ad</aside></body></html>";
        let r = crate::html::render_str(html, &rules("[\"nav\", \"aside\"]"));
        assert_eq!(r.lines, ["Body text here for the page."]);
        assert_eq!(r.removed.len(), 2);
    }

    #[test]
    fn never_removes_an_element_holding_the_article() {
        let html = "<html><body><nav>Home</nav><nav>A</nav><div class=\"col sidebar-x\"><article><p>Short story.</p></article></div></body></html>";
        let r = crate::html::render_str(html, &rules("[\"[class*=sidebar]\", \"nav\"]"));
        assert_eq!(r.lines, ["Short story."]);
    }

    #[test]
    fn never_removes_the_content_wrapper() {
        let html = "<html><body><div class=\"related-wrap\"><p>The whole article is in here, long enough.</p></div>\
<div class=\"related\">Other</div></body></html>";
        let r = crate::html::render_str(html, &rules("[\"[class*=related]\", \"body\"]"));
        assert_eq!(r.lines, ["The whole article is in here, long enough."]);
    }
}
