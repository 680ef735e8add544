//! Text amounts per element, computed in one walk of the page: how much visible text an
//! element holds, and how much of it is outside links. `pick-content` narrows its root
//! with them and `drop-link-blocks` finds link-dense containers with them.

use std::collections::HashSet;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::hash::FastMap;

/// Text held by one element's subtree, in bytes of trimmed text nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TextStats {
    /// All visible text.
    pub all: usize,
    /// Visible text outside links to other pages (see [`is_link`]).
    pub plain: usize,
    /// Visible text inside `<p>` elements.
    pub para: usize,
}

impl TextStats {
    /// The share of the text that is link text (0 when there is no text).
    pub(crate) fn link_density(self) -> f64 {
        if self.all == 0 {
            0.0
        } else {
            (self.all - self.plain) as f64 / self.all as f64
        }
    }
}

/// Elements whose content is never visible text; their subtrees count for nothing.
pub(crate) fn is_invisible(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "textarea"
            | "select"
            | "button"
            | "svg"
            | "math"
            | "head"
            | "title"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
    )
}

/// Whether an element counts as a link: an `<a href>`, except a `#section` permalink
/// inside a heading (`in_heading`), which is the heading's own text. A table of contents
/// made of `#` links does count: it is navigation.
pub(crate) fn is_link(el: &scraper::node::Element, in_heading: bool) -> bool {
    el.name() == "a"
        && el
            .attr("href")
            .is_some_and(|h| !(in_heading && h.trim_start().starts_with('#')))
}

/// Whether an element is a heading (`h1` to `h6`).
pub(crate) fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// [`TextStats`] for every element of the page, leaving out the `removed` subtrees (which
/// get no entry) and invisible elements.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    map: FastMap<NodeId, TextStats>,
}

impl Stats {
    /// Walks the page once, bottom-up sums kept on a stack (no recursion).
    pub(crate) fn collect(doc: &Html, removed: &HashSet<NodeId>) -> Stats {
        let mut map = FastMap::default();
        let mut stack: Vec<TextStats> = Vec::new();
        let mut links = 0usize;
        let mut headings = 0usize;
        let mut paragraphs = 0usize;
        let mut skip: Option<NodeId> = None;
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Element(e) => {
                            if removed.contains(&node.id()) || is_invisible(e.name()) {
                                skip = Some(node.id());
                                continue;
                            }
                            if is_heading(e.name()) {
                                headings += 1;
                            }
                            if is_link(e, headings > 0) {
                                links += 1;
                            }
                            if e.name() == "p" {
                                paragraphs += 1;
                            }
                            stack.push(TextStats::default());
                        }
                        Node::Text(t) => {
                            if let Some(top) = stack.last_mut() {
                                let n = t.trim().len();
                                top.all += n;
                                if links == 0 {
                                    top.plain += n;
                                }
                                if paragraphs > 0 {
                                    top.para += n;
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if let Node::Element(e) = node.value() {
                        if is_link(e, headings > 0) {
                            links = links.saturating_sub(1);
                        }
                        if is_heading(e.name()) {
                            headings = headings.saturating_sub(1);
                        }
                        if e.name() == "p" {
                            paragraphs = paragraphs.saturating_sub(1);
                        }
                        let mine = stack.pop().unwrap_or_default();
                        if let Some(parent) = stack.last_mut() {
                            parent.all += mine.all;
                            parent.plain += mine.plain;
                            parent.para += mine.para;
                        }
                        map.insert(node.id(), mine);
                    }
                }
            }
        }
        Stats { map }
    }

    /// The element's text amounts; zero for a removed or unknown element.
    pub(crate) fn get(&self, id: NodeId) -> TextStats {
        self.map.get(&id).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Selector;

    fn stats_of(html: &str, sel: &str) -> TextStats {
        let doc = Html::parse_document(html);
        let stats = Stats::collect(&doc, &HashSet::new());
        let sel = Selector::parse(sel).unwrap_or_else(|e| panic!("{e:?}"));
        let el = doc
            .select(&sel)
            .next()
            .unwrap_or_else(|| panic!("no match"));
        stats.get(el.id())
    }

    #[test]
    fn counts_text_inside_and_outside_links() {
        let s = stats_of(
            "<div id=x><h2><a href=#s>ab</a></h2><p>abcd <a href=/>efgh</a> <a href=#t>ij</a></p></div>",
            "#x",
        );
        // The heading's permalink is its own text; the `#t` link in the paragraph is a link.
        assert_eq!(
            s,
            TextStats {
                all: 12,
                plain: 6,
                para: 10
            }
        );
        assert!((s.link_density() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn removed_subtrees_count_for_nothing() {
        let doc = Html::parse_document("<div id=x><p>kept</p><aside>gone</aside></div>");
        let aside = Selector::parse("aside").unwrap_or_else(|e| panic!("{e:?}"));
        let x = Selector::parse("#x").unwrap_or_else(|e| panic!("{e:?}"));
        let removed: HashSet<NodeId> = doc.select(&aside).map(|e| e.id()).collect();
        let stats = Stats::collect(&doc, &removed);
        let id = doc.select(&x).next().map(|e| e.id());
        assert_eq!(
            id.map(|id| stats.get(id)),
            Some(TextStats {
                all: 4,
                plain: 4,
                para: 4
            })
        );
    }
}
