//! `drop-elements`: removes non-content elements of an HTML page before it is rendered.
//!
//! Scripts, styles, navigation, asides, forms, dialogs, hidden elements, cookie banners,
//! share bars and "related" boxes are recognisable in the markup itself, by tag, ARIA
//! role, or class and id. Each rule lists CSS selectors (compiled once, when the rules
//! load); every element one of them matches is removed with its subtree.
//!
//! A guard keeps the page's text safe from a misleading class name: the `html`, `body`,
//! `main` and `article` elements are never removed, nor an element that contains one of
//! them (or `[role=main]`, `[itemprop=articleBody]`) holding at least half as much text as
//! the largest, nor one holding more than `max-text-share` of the page's visible text (a
//! content wrapper called `post-related-wrap`, a column called `sidebar-first-only`). A
//! list of comments that are each an `<article>` is not protected by them. Inside an
//! article, an element holding more than `max-text-share` of the article's text is its
//! body and stays too.
//!
//! ```toml
//! [[drop-elements]]
//! id = "share-bars"
//! selectors = ["[class*=share]", "nav", "aside"]
//! ```

use crate::document::Body;
use std::sync::{Arc, LazyLock};

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Reason, reason};
use crate::hash::FastMap;
use crate::html::selector_set::{self, SelectorSet};
use crate::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-elements",
    summary: "HTML only: remove elements matched by CSS selectors (nav, aside, share bars) before rendering",
    description: "Runs on HTML pages before they are rendered to text. Every element a selector \
matches is removed with its subtree. The html, body, main and article elements are never \
removed, nor an element holding more than max-text-share of the page's text.",
    fields: &[
        Field {
            key: "selectors",
            default: "required",
            meaning: "CSS selectors; every element matched is removed with its subtree",
        },
        Field {
            key: "max-text-share",
            default: "0.5",
            meaning: "an element holding more of the page's visible text is kept",
        },
    ],
    configurable: true,
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
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    pub selectors: Vec<Spanned<String>>,
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

/// A main-content element protects its ancestors when it holds at least this share of the
/// text of the largest one.
const MAIN_SHARE: f64 = 0.5;

/// Elements that hold the main content: never removed, nor anything containing them.
const MAIN_CONTENT: [&str; 4] = ["article", "main", "[role=main]", "[itemprop=articleBody]"];

static MAIN_SET: LazyLock<SelectorSet> = LazyLock::new(|| {
    SelectorSet::new(
        MAIN_CONTENT
            .iter()
            .filter_map(|s| Selector::parse(s).ok().map(|sel| (s.to_string(), sel)))
            .collect(),
    )
});

/// Whether an element has main content below it (itself not counted).
fn holds_main_content(el: ElementRef) -> bool {
    el.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .any(|e| MAIN_SET.matches(e))
}

/// What the guard asks of an element.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Measure {
    /// Its visible text length, as [`text_len`] counts it.
    text: usize,
    /// Whether main content is below it, as [`holds_main_content`] says.
    holds_main: bool,
}

impl Measure {
    fn of(el: ElementRef) -> Measure {
        Measure {
            text: text_len(el),
            holds_main: holds_main_content(el),
        }
    }
}

/// What one walk of the page learns for the guard.
struct Measures {
    /// The [`Measure`]s of the wanted elements.
    of: FastMap<NodeId, Measure>,
    /// The main-content elements (article, main, ...) with their text lengths.
    mains: Vec<(NodeId, usize)>,
}

/// The [`Measure`]s of the `wanted` elements, in one walk of the page (sums kept on a
/// stack, bottom-up), rather than a walk of each candidate's subtree. Elements the walk
/// does not reach (left outside the tree by the parser) get no entry.
fn measure(doc: &Html, wanted: &[NodeId]) -> Measures {
    let wanted: FastMap<NodeId, ()> = wanted.iter().map(|id| (*id, ())).collect();
    let mut out = FastMap::default();
    let mut mains: Vec<(NodeId, usize)> = Vec::new();
    let mut stack: Vec<Measure> = Vec::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(_) => stack.push(Measure::default()),
            Edge::Close(node) => {
                let below = stack.pop().unwrap_or_default();
                let mut is_main = false;
                let text = match node.value() {
                    Node::Text(t) => t.trim().len(),
                    Node::Element(e) => {
                        // An invisible element's text counts for nothing, its own included.
                        let text = if crate::html::stats::is_invisible(e.name()) {
                            0
                        } else {
                            below.text
                        };
                        if wanted.contains_key(&node.id()) {
                            let holds_main = below.holds_main;
                            out.insert(node.id(), Measure { text, holds_main });
                        }
                        is_main = ElementRef::wrap(node).is_some_and(|el| MAIN_SET.matches(el));
                        if is_main {
                            mains.push((node.id(), text));
                        }
                        text
                    }
                    _ => below.text,
                };
                if let Some(parent) = stack.last_mut() {
                    parent.text += text;
                    parent.holds_main |= below.holds_main || is_main;
                }
            }
        }
    }
    Measures { of: out, mains }
}

/// The id of the `drop-elements` rule site learning writes in a site file: the learned
/// selectors, which the article guard may hold back from a page (`crate::guard`).
pub(crate) const LEARNED_RULE_ID: &str = "site-repeat-elements";

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
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

    fn id(&self) -> &str {
        &self.id
    }

    /// Runs on the markup ([`super::markup::select`]), not on lines.
    type Memo = ();

    fn apply(_: &Self::Stage, _: &mut Body, _: &mut (), _: Context) {}
}

/// The elements the rules remove, each with the first rule that names it: by rule, then
/// selector, then in the order `Html::select` finds them.
pub(crate) fn select(doc: &Html, rules: &[Arc<Rule>]) -> Vec<(NodeId, Reason)> {
    let sets: Vec<&SelectorSet> = rules.iter().map(|r| &r.selectors).collect();
    let mut matches = selector_set::first_matches(doc, &sets);
    matches.retain(|m| {
        !matches!(
            m.element.value().name(),
            "html" | "body" | "main" | "article"
        )
    });
    if matches.is_empty() {
        return Vec::new();
    }
    let root = doc.root_element();
    let mut wanted: Vec<NodeId> = matches.iter().map(|m| m.element.id()).collect();
    wanted.push(root.id());
    let measures = measure(doc, &wanted);
    let measure_of = |el: ElementRef| {
        measures
            .of
            .get(&el.id())
            .copied()
            .unwrap_or_else(|| Measure::of(el))
    };
    // The ancestors of a main-content element are never removed, unless that element is
    // small beside the largest one: a list of comments that are each an <article>, a
    // grid of "more stories" cards, is not protected by them.
    let largest = measures.mains.iter().map(|m| m.1).max().unwrap_or(0);
    let protected: FastMap<NodeId, ()> = measures
        .mains
        .iter()
        .filter(|(_, t)| *t as f64 >= MAIN_SHARE * largest as f64)
        .filter_map(|(id, _)| doc.tree.get(*id))
        .flat_map(|n| n.ancestors().map(|a| (a.id(), ())))
        .collect();
    // The text of the nearest main-content element around an element (no limit without
    // one): a wrapper inside the article holding most of its text is the article's body,
    // whatever its class says (`rich-text-newsletter-cms`).
    let main_text: FastMap<NodeId, usize> = measures.mains.iter().copied().collect();
    let article_text = |el: ElementRef| {
        el.ancestors()
            .find_map(|a| main_text.get(&a.id()).copied())
            .unwrap_or(usize::MAX)
    };
    let holds_principal = |el: ElementRef, seen: Measure| {
        if measures.of.contains_key(&el.id()) {
            protected.contains_key(&el.id())
        } else {
            seen.holds_main
        }
    };
    let total = measure_of(root).text.max(1);
    let reasons: Vec<Reason> = rules.iter().map(|r| reason(KIND.name, &r.id)).collect();
    let mut out: Vec<(NodeId, Reason)> = Vec::new();
    for m in matches {
        let (Some(rule), Some(why)) = (rules.get(m.set), reasons.get(m.set)) else {
            continue;
        };
        let seen = measure_of(m.element);
        if holds_principal(m.element, seen)
            || seen.text as f64 > rule.max_text_share * total as f64
            || seen.text as f64 > rule.max_text_share * article_text(m.element) as f64
        {
            continue;
        }
        out.push((m.element.id(), why.clone()));
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
        let r = crate::filters::markup::render_str(html, &rules("[\"nav\", \"aside\"]"));
        assert_eq!(r.lines, ["Body text here for the page."]);
        assert_eq!(r.removed.len(), 2);
    }

    #[test]
    fn never_removes_an_element_holding_the_article() {
        let html = "<html><body><nav>Home</nav><nav>A</nav><div class=\"col sidebar-x\"><article><p>Short story.</p></article></div></body></html>";
        let r = crate::filters::markup::render_str(html, &rules("[\"[class*=sidebar]\", \"nav\"]"));
        assert_eq!(r.lines, ["Short story."]);
    }

    #[test]
    fn main_content_set_matches_as_the_selector_would() {
        assert!(MAIN_SET.generic().is_empty());
        let sel = Selector::parse(&MAIN_CONTENT.join(", ")).unwrap_or_else(|e| panic!("{e:?}"));
        let doc = Html::parse_document(
            "<html><body><div role=main></div><div role=Main></div><div itemprop=articleBody>\
</div><div itemprop=articlebody></div><main></main><article></article><svg><main/></svg></body></html>",
        );
        let mut hits = 0;
        for el in doc.tree.nodes().filter_map(ElementRef::wrap) {
            assert_eq!(MAIN_SET.matches(el), sel.matches(&el), "{:?}", el.value());
            hits += usize::from(sel.matches(&el));
        }
        assert_eq!(hits, 5);
    }

    /// The one-walk measures equal walking each element's subtree.
    #[test]
    fn measures_equal_subtree_walks() {
        let html = "<html><head><title>T</title><script>var x;</script></head><body>\
<div id=a> one <span>two</span><script>x()</script><noscript><article>n</article></noscript></div>\
<div id=b role=main>three<p>four <b>five</b></p></div>\
<section><div><div itemprop=articleBody>six</div></div><textarea>&lt;p&gt;copy</textarea></section>\
<button>Go <main>m</main></button><table><tr><td>cell</td></tr><p>fostered</p></table>\
<p><b>bold<p>para</b></p><svg><text>s</text></svg></body></html>";
        let doc = Html::parse_document(html);
        let ids: Vec<NodeId> = doc
            .tree
            .nodes()
            .filter(|n| n.value().is_element())
            .map(|n| n.id())
            .collect();
        let measures = measure(&doc, &ids);
        let mut reached = 0;
        for el in doc.tree.nodes().filter_map(ElementRef::wrap) {
            if let Some(m) = measures.of.get(&el.id()) {
                assert_eq!(*m, Measure::of(el), "{:?}", el.value());
                reached += 1;
            }
        }
        assert!(reached > 20, "{reached}");
        let root = doc.root_element();
        assert_eq!(
            measures.of.get(&root.id()).map(|m| m.text),
            Some(text_len(root))
        );
        assert!(measures.of.values().any(|m| m.holds_main));
        assert!(measures.of.values().any(|m| !m.holds_main && m.text > 0));
    }

    #[test]
    fn an_element_that_is_main_content_itself_can_go() {
        // Only main content below an element protects it, as before.
        let html = "<html><body><div role=main class=promo-box>Buy now</div>\
<p>The story itself, long enough to be most of the text on this page.</p></body></html>";
        let r = crate::filters::markup::render_str(html, &rules("[\"[class*=promo]\"]"));
        assert_eq!(r.removed.len(), 1);
    }

    #[test]
    fn a_list_of_comment_articles_is_not_protected_by_them() {
        let story =
            "The council voted on Tuesday to close the old bridge to cars for the summer months. "
                .repeat(4);
        let html = format!(
            "<html><body><div class=story-wrap><article><p>{story}</p></article></div>\
<ol class=\"comments-list\"><li><article><p>Great piece, thanks.</p></article></li>\
<li><article><p>I cross that bridge every day.</p></article></li></ol></body></html>"
        );
        let r = crate::filters::markup::render_str(
            &html,
            &rules("[\"[class*=comments]\", \"[class*=story]\"]"),
        );
        assert_eq!(r.lines, [story.trim()]);
    }

    #[test]
    fn keeps_the_article_body_whatever_its_class() {
        let story =
            "The council voted on Tuesday to close the old bridge to cars for the summer months. "
                .repeat(3);
        // The story is under half the page's text (the menu holds nearly as much), but
        // most of its article's.
        let menu = "<li>Home</li><li>News</li><li>Sport</li><li>Weather</li>".repeat(12);
        let html = format!(
            "<html><body><ul>{menu}</ul><article><div class=\"newsletter-richtext\"><p>{story}</p></div>\
<div class=newsletter-signup>Sign up for the weekly newsletter today</div></article></body></html>"
        );
        let r =
            crate::filters::markup::render_str(&html, &rules("[\"[class*=newsletter]\", \"ul\"]"));
        assert_eq!(r.lines, [story.trim()]);
    }

    #[test]
    fn never_removes_the_content_wrapper() {
        let html = "<html><body><div class=\"related-wrap\"><p>The whole article is in here, long enough.</p></div>\
<div class=\"related\">Other</div></body></html>";
        let r =
            crate::filters::markup::render_str(html, &rules("[\"[class*=related]\", \"body\"]"));
        assert_eq!(r.lines, ["The whole article is in here, long enough."]);
    }
}
