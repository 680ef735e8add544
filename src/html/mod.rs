//! HTML scrapes, once decoded ([`crate::decode`]): parse them with html5ever (through
//! scraper), read their metadata, and render them to text lines, one per block, for the
//! text filters. What to leave out and where to start is not decided here: the filters'
//! markup stages (`drop-elements`, `pick-content`, `drop-link-blocks`) select it, as a
//! `Selection`, and `render` follows it.
//!
//! Rendering walks the tree iteratively (open and close edges, no recursion), so a page
//! nested a hundred thousand levels deep cannot overflow the stack; and such a page is
//! flattened below [`MAX_DEPTH`] levels before parsing (see `depth`), so that parsing it
//! takes linear time.

use std::collections::HashSet;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use compact_str::CompactString;

use crate::document::{Block, BlockTag, Reason};

pub(crate) use depth::{MAX_ATTRIBUTES, MAX_DEPTH};

pub(crate) mod depth;
pub(crate) mod selector_set;
pub(crate) mod stats;

/// Tags whose elements site learning may find repeated across a site's pages.
const SIGNATURE_TAGS: &[&str] = &[
    "div", "section", "aside", "nav", "header", "footer", "ul", "ol", "dl", "form", "p", "span",
    "figure", "table",
];

/// Longest text, in bytes, of an element learned as a repeated block: a site's furniture
/// is small, and bounding it bounds the work per page.
const MAX_SIGNATURE_TEXT: usize = 4000;

/// The elements of a page site learning counts: each element of [`SIGNATURE_TAGS`] with a
/// stable class or id ([`signature`]) and some text, as its selector (`div.promo-box`,
/// `aside#newsletter`) and the key of its text ([`crate::hash::text_key`]).
pub(crate) fn element_signatures(doc: &Html) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if !SIGNATURE_TAGS.contains(&el.value().name()) {
            continue;
        }
        let Some(selector) = signature(el) else {
            continue;
        };
        let mut len = 0;
        let text = el.text().take_while(|t| {
            len += t.len();
            len <= MAX_SIGNATURE_TEXT
        });
        let Some(key) = crate::hash::text_key(text) else {
            continue;
        };
        if len <= MAX_SIGNATURE_TEXT {
            out.push((selector, key));
        }
    }
    out
}

/// A selector naming an element by what its site's template gives it: `tag#id`, else
/// `tag.class.class` (sorted). Names with digits (`post-4312`, `css-1x9k2`) change from
/// page to page or from build to build, and names that are not plain CSS identifiers would
/// need escaping: neither is used.
fn signature(el: ElementRef) -> Option<String> {
    let plain = |name: &str| {
        name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
    };
    let tag = el.value().name();
    if let Some(id) = el.value().id().filter(|id| plain(id)) {
        return Some(format!("{tag}#{id}"));
    }
    let mut classes: Vec<&str> = el.value().classes().filter(|c| plain(c)).collect();
    if classes.is_empty() {
        return None;
    }
    classes.sort_unstable();
    classes.dedup();
    Some(format!("{tag}.{}", classes.join(".")))
}

/// The markup up to the end of its `<head>` (up to 256 KB; all of it when shorter and no
/// end of head is found), for reading the page's metadata without parsing its body.
pub(crate) fn head(markup: &str) -> &str {
    const MAX_HEAD: usize = 256 * 1024;
    let mut end = markup.len().min(MAX_HEAD);
    while !markup.is_char_boundary(end) {
        end -= 1;
    }
    let window = &markup[..end];
    let found = memchr::memmem::find_iter(window.as_bytes(), b"</").find(|&at| {
        window.as_bytes()[at + 2..]
            .get(..4)
            .is_some_and(|tag| tag.eq_ignore_ascii_case(b"head"))
    });
    match found {
        Some(at) => &markup[..at],
        None => window,
    }
}

/// Metadata read from the page, for its provenance header.
#[derive(Debug, Clone, Default)]
pub(crate) struct Meta {
    /// Canonical URL (`<link rel=canonical>`, else `og:url`).
    pub url: Option<String>,
    /// Title (`og:title`, else the first `h1`, else `<title>`).
    pub title: Option<String>,
    /// Publication date (`article:published_time`, JSON-LD `datePublished`, `<meta name=date>`,
    /// else a `<time datetime>`).
    pub date: Option<String>,
    /// Author (`<meta name=author>`, else the JSON-LD author's name).
    pub author: Option<String>,
    /// Site name (`og:site_name`, else the JSON-LD publisher's name).
    pub site_name: Option<String>,
}

impl Meta {
    /// The value of a header field (`url`, `title`, `date`, `author`, `site`).
    pub(crate) fn field(&self, key: &str) -> Option<&str> {
        match key {
            "url" => self.url.as_deref(),
            "title" => self.title.as_deref(),
            "date" => self.date.as_deref(),
            "author" => self.author.as_deref(),
            "site" => self.site_name.as_deref(),
            _ => None,
        }
    }
}

/// An element a markup stage decided on, and the rule that did: removed
/// (`drop-elements`, `drop-link-blocks`), or picked as the content root (`pick-content`).
#[derive(Debug, Clone)]
pub struct ElementDecision {
    /// A short description: tag, id and classes, and the start of its text.
    pub element: String,
    /// The rule that removed it, or picked it.
    pub reason: Reason,
}

/// A rendered page.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// Text lines, one per block.
    pub lines: Vec<CompactString>,
    /// For each line, its block's tag, whether it is inside `<pre>`, and its link density.
    pub blocks: Vec<Block>,
    /// Elements removed before rendering.
    pub removed: Vec<ElementDecision>,
    /// The node of each element of `removed`, in the same order.
    pub removed_nodes: Vec<NodeId>,
    /// The element rendered as the content root, when a pick-content rule chose one.
    pub root: Option<ElementDecision>,
}

/// What [`parse`] removed from a page's markup before parsing it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MarkupCaps {
    /// How deep the markup nested, when tags below [`MAX_DEPTH`] were removed.
    pub depth: Option<usize>,
    /// The most attributes one element had, when those after [`MAX_ATTRIBUTES`] were removed.
    pub attributes: Option<usize>,
}

/// Parses markup as a browser would, after removing the tags nested deeper than
/// [`MAX_DEPTH`] levels (their text kept) and the attributes of an element after its first
/// [`MAX_ATTRIBUTES`]: html5ever takes quadratic time on deep markup and on many
/// attributes. Returns the document and what was removed. Every parse of a page's markup
/// goes through here.
pub(crate) fn parse(markup: &str) -> (Html, MarkupCaps) {
    let capped = depth::cap(markup, MAX_DEPTH, MAX_ATTRIBUTES);
    let doc = Html::parse_document(capped.as_ref().map_or(markup, |c| c.markup.as_str()));
    let caps = capped.map_or(MarkupCaps::default(), |c| MarkupCaps {
        depth: c.depth,
        attributes: c.attributes,
    });
    (doc, caps)
}

/// What the markup stages chose on a page: the elements left out of its text, each with
/// the reason that removed it, and the element its text is rendered from.
#[derive(Debug, Default)]
pub(crate) struct Selection {
    /// The elements removed before rendering (each with its subtree), in the order they
    /// were selected.
    pub removed: Vec<(NodeId, Reason)>,
    /// The content root a rule chose, with its reason; `None` renders the whole document.
    pub root: Option<(NodeId, Reason)>,
}

/// Parses and renders `html` whole.
#[cfg(test)]
pub(crate) fn render_str(html: &str) -> Rendered {
    let doc = Html::parse_document(html);
    render(&doc, &Selection::default())
}

/// Renders a parsed page from the selection's root, leaving out the elements it removed.
pub(crate) fn render(doc: &Html, selection: &Selection) -> Rendered {
    let mut out = Rendered::default();
    let root = match &selection.root {
        Some((id, reason)) => {
            if let Some(el) = doc.tree.get(*id).and_then(ElementRef::wrap) {
                out.root = Some(ElementDecision {
                    element: describe(el),
                    reason: reason.clone(),
                });
            }
            doc.tree.get(*id).unwrap_or_else(|| doc.tree.root())
        }
        None => doc.tree.root(),
    };
    let removed_ids: HashSet<NodeId> = selection.removed.iter().map(|(id, _)| *id).collect();
    for (id, reason) in &selection.removed {
        if let Some(el) = doc.tree.get(*id).and_then(ElementRef::wrap) {
            out.removed.push(ElementDecision {
                element: describe(el),
                reason: reason.clone(),
            });
            out.removed_nodes.push(*id);
        }
    }

    let mut line = LineBuf::default();
    let mut skip_until: Option<NodeId> = None;
    let mut pre_depth = 0usize;
    // The open block elements, innermost last: the tag each line is filed under.
    let mut blocks: Vec<BlockTag> = Vec::new();
    // How many links ([`stats::is_link`]) and headings the walk is inside.
    let mut links = 0usize;
    let mut headings = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip_until.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(el) => {
                        let name = el.name();
                        if stats::is_invisible(name) || removed_ids.contains(&node.id()) {
                            skip_until = Some(node.id());
                            continue;
                        }
                        if stats::is_heading(name) {
                            headings += 1;
                        }
                        if stats::is_link(el, headings > 0) {
                            links += 1;
                        }
                        if name == "br" {
                            line.flush(&mut out, pre_depth > 0, &blocks);
                        } else if let Some(tag) = block_tag(name) {
                            line.flush(&mut out, pre_depth > 0, &blocks);
                            blocks.push(tag);
                            if name == "pre" {
                                pre_depth += 1;
                            }
                        }
                    }
                    Node::Text(text) => {
                        let in_link = links > 0;
                        if pre_depth > 0 {
                            let mut parts = text.split('\n');
                            if let Some(first) = parts.next() {
                                line.push_raw(first, in_link);
                            }
                            for part in parts {
                                line.flush(&mut out, true, &blocks);
                                line.push_raw(part, in_link);
                            }
                        } else {
                            line.push_collapsed(text, in_link);
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip_until {
                    if id == node.id() {
                        skip_until = None;
                    }
                    continue;
                }
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if stats::is_link(el, headings > 0) {
                        links = links.saturating_sub(1);
                    }
                    if stats::is_heading(name) {
                        headings = headings.saturating_sub(1);
                    }
                    if block_tag(name).is_some() {
                        line.flush(&mut out, pre_depth > 0, &blocks);
                        blocks.pop();
                        if name == "pre" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                    } else if matches!(name, "td" | "th") {
                        line.text.push(' ');
                    }
                }
            }
        }
    }
    line.flush(&mut out, pre_depth > 0, &blocks);
    out
}

/// The words of the sentence-like lines ([`crate::text::prose_words`]) of some elements
/// (an element inside another counted once): what they would have added to the page's
/// prose had they not been removed before rendering.
pub(crate) fn prose_words(doc: &Html, nodes: &[NodeId]) -> usize {
    let set: HashSet<NodeId> = nodes.iter().copied().collect();
    nodes
        .iter()
        .filter_map(|&n| doc.tree.get(n))
        .filter(|n| !n.ancestors().any(|a| set.contains(&a.id())))
        .map(element_prose_words)
        .sum()
}

/// The words of an element's sentence-like lines, its text split into lines where
/// rendering splits it (block elements and `<br>`); invisible elements (scripts, styles,
/// forms' option lists) are left out.
fn element_prose_words(root: ego_tree::NodeRef<'_, Node>) -> usize {
    let mut total = 0;
    let mut line = String::new();
    let mut flush = |line: &mut String| {
        total += crate::text::prose_words(line, crate::text::word_count(line));
        line.clear();
    };
    let mut skip_until: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(n) if skip_until.is_none() => match n.value() {
                Node::Element(el) if stats::is_invisible(el.name()) => skip_until = Some(n.id()),
                Node::Element(el) if el.name() == "br" || block_tag(el.name()).is_some() => {
                    flush(&mut line);
                }
                Node::Text(text) => push_collapsed(&mut line, text),
                _ => {}
            },
            Edge::Open(_) => {}
            Edge::Close(n) => {
                if skip_until == Some(n.id()) {
                    skip_until = None;
                } else if skip_until.is_none()
                    && n.value()
                        .as_element()
                        .is_some_and(|el| block_tag(el.name()).is_some())
                {
                    flush(&mut line);
                }
            }
        }
    }
    flush(&mut line);
    total
}

/// The static name of a block-level element, `None` for an inline one.
fn block_tag(name: &str) -> Option<BlockTag> {
    BlockTag::new(name)
}

/// The tag of text outside any block element.
const BODY: BlockTag = BlockTag::BODY;

/// The line being rendered, with how much of its text is link text.
#[derive(Default)]
struct LineBuf {
    text: String,
    /// Bytes of (non-blank) text pushed, and how many of them were inside links.
    all: usize,
    link: usize,
}

impl LineBuf {
    fn count(&mut self, text: &str, in_link: bool) {
        let n = text.trim().len();
        self.all += n;
        if in_link {
            self.link += n;
        }
    }

    /// Preformatted text, as it is.
    fn push_raw(&mut self, text: &str, in_link: bool) {
        self.count(text, in_link);
        self.text.push_str(text);
    }

    /// Appends text with runs of whitespace collapsed to one space, keeping a space
    /// between inline pieces that had one.
    fn push_collapsed(&mut self, text: &str, in_link: bool) {
        self.count(text, in_link);
        push_collapsed(&mut self.text, text);
    }

    /// Ends the line: a non-blank line goes to `out` with its block's tag and link
    /// density. Lines inside `<pre>` keep their leading whitespace.
    fn flush(&mut self, out: &mut Rendered, pre: bool, blocks: &[BlockTag]) {
        let t = if pre {
            self.text.trim_end()
        } else {
            self.text.trim()
        };
        if !t.trim_start().is_empty() {
            out.lines.push(CompactString::new(t));
            let link_density = if self.all == 0 {
                0.0
            } else {
                self.link as f32 / self.all as f32
            };
            out.blocks.push(Block {
                tag: blocks.last().copied().unwrap_or(BODY),
                preformatted: pre,
                link_density,
            });
        }
        self.text.clear();
        self.all = 0;
        self.link = 0;
    }
}

/// Appends text with runs of whitespace collapsed to one space, keeping a space between
/// inline pieces that had one.
fn push_collapsed(line: &mut String, text: &str) {
    let mut space = text.starts_with(char::is_whitespace);
    for word in text.split_whitespace() {
        if space && !line.is_empty() && !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(word);
        space = true;
    }
    if text.ends_with(char::is_whitespace) && !line.is_empty() && !line.ends_with(' ') {
        line.push(' ');
    }
}

/// `tag#id.class1.class2 "start of its text…"`.
fn describe(el: ElementRef) -> String {
    let v = el.value();
    let mut d = v.name().to_string();
    if let Some(id) = v.id() {
        d.push('#');
        d.push_str(id);
    }
    for c in v.classes().take(3) {
        d.push('.');
        d.push_str(c);
    }
    let text: String = el
        .text()
        .flat_map(|t| t.split_whitespace())
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    if !text.is_empty() {
        d.push_str(&format!(" \"{text}\""));
    }
    d
}

/// Reads the page's metadata.
pub(crate) fn meta(doc: &Html) -> Meta {
    // One walk over the elements, keeping the first of each kind of tag.
    let mut found = Found::default();
    let mut ld = LinkedData::default();
    for el in doc.tree.root().descendants().filter_map(ElementRef::wrap) {
        let v = el.value();
        let attr = |name: &str| {
            v.attr(name)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match v.name() {
            "meta" => {
                let key = v.attr("property").or_else(|| v.attr("name")).unwrap_or("");
                let slot = match key.to_ascii_lowercase().as_str() {
                    "og:url" => &mut found.og_url,
                    "og:title" => &mut found.og_title,
                    "og:site_name" => &mut found.og_site_name,
                    "article:published_time" => &mut found.published_time,
                    "date" => &mut found.meta_date,
                    "author" => &mut found.author,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = attr("content");
                }
            }
            "link"
                if found.canonical.is_none()
                    && v.attr("rel").is_some_and(|r| {
                        r.split_ascii_whitespace()
                            .any(|t| t.eq_ignore_ascii_case("canonical"))
                    }) =>
            {
                found.canonical = attr("href");
            }
            "script"
                if v.attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json")) =>
            {
                ld.read(&el.text().collect::<String>());
            }
            "time" if found.time.is_none() => found.time = attr("datetime"),
            "h1" if found.h1.is_none() => found.h1 = squeezed_text(el),
            "title" if found.title.is_none() => found.title = squeezed_text(el),
            _ => {}
        }
    }
    Meta {
        url: found.canonical.or(found.og_url),
        title: found.og_title.or(found.h1).or(found.title),
        date: found
            .published_time
            .or(ld.date_published)
            .or(found.meta_date)
            .or(found.time),
        author: found.author.or(ld.author),
        site_name: found.og_site_name.or(ld.publisher),
    }
}

/// The first value of each metadata source met in the page.
#[derive(Default)]
struct Found {
    canonical: Option<String>,
    og_url: Option<String>,
    og_title: Option<String>,
    og_site_name: Option<String>,
    published_time: Option<String>,
    meta_date: Option<String>,
    author: Option<String>,
    time: Option<String>,
    h1: Option<String>,
    title: Option<String>,
}

/// An element's text with whitespace squeezed; `None` when blank.
fn squeezed_text(el: ElementRef) -> Option<String> {
    let t = el
        .text()
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ");
    (!t.is_empty()).then_some(t)
}

/// What a page's JSON-LD (`<script type="application/ld+json">`, schema.org) says of it:
/// the first `datePublished`, author name and publisher name found, in any object of the
/// blocks or their `@graph`s. Malformed JSON is ignored.
#[derive(Debug, Default)]
struct LinkedData {
    date_published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
}

impl LinkedData {
    fn read(&mut self, json: &str) {
        use serde_json::Value;
        let Ok(root) = serde_json::from_str::<Value>(json) else {
            return;
        };
        // An explicit stack: nesting depth is the page's choice, not the call stack's.
        let mut todo = vec![&root];
        while let Some(v) = todo.pop() {
            match v {
                Value::Array(items) => todo.extend(items.iter().rev()),
                Value::Object(map) => {
                    if self.date_published.is_none() {
                        self.date_published = map
                            .get("datePublished")
                            .and_then(Value::as_str)
                            .map(|s| s.trim().to_string())
                            .filter(|s| !s.is_empty());
                    }
                    if self.author.is_none() {
                        self.author = map.get("author").and_then(name_of);
                    }
                    if self.publisher.is_none() {
                        self.publisher = map.get("publisher").and_then(name_of);
                    }
                    if let Some(graph) = map.get("@graph") {
                        todo.push(graph);
                    }
                }
                _ => {}
            }
        }
    }
}

/// A schema.org person or organisation's name: a string, `{"name": …}`, or the first of
/// a list of either.
fn name_of(v: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let v = match v {
        Value::Array(items) => items.first()?,
        other => other,
    };
    let name = match v {
        Value::String(s) => s.as_str(),
        Value::Object(map) => map.get("name").and_then(Value::as_str)?,
        _ => return None,
    };
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_blocks_inline_spacing_and_breaks() {
        let html = "<html><body><h1>Title</h1><p>One <b>bold</b>word and <a href=x>a link</a>.<br>Next line</p>\
<ul><li>first</li><li>second</li></ul><table><tr><td>a</td><td>b</td></tr></table><script>x()</script></body></html>";
        let r = render_str(html);
        assert_eq!(
            r.lines,
            [
                "Title",
                "One boldword and a link.",
                "Next line",
                "first",
                "second",
                "a b"
            ]
        );
    }

    #[test]
    fn each_line_keeps_its_block_tag_and_link_density() {
        let r = render_str(
            "<html><body><h2><a href=#why>Why</a></h2><p>abcd <a href=/x>efgh</a></p>\
<ul><li><a href=/a>Other story</a></li></ul><div>loose</div></body></html>",
        );
        let got: Vec<(&str, f32)> = r
            .blocks
            .iter()
            .map(|b| (b.tag.as_str(), b.link_density))
            .collect();
        // A heading's own permalink is not a link away; the paragraph is half link text.
        assert_eq!(got, [("h2", 0.0), ("p", 0.5), ("li", 1.0), ("div", 0.0)]);
    }

    #[test]
    fn preformatted_lines_keep_their_indentation() {
        let r = render_str(
            "<html><body><p>Config:</p><pre>server {\n    listen 80;\n}</pre></body></html>",
        );
        assert_eq!(r.lines, ["Config:", "server {", "    listen 80;", "}"]);
        let pre: Vec<bool> = r.blocks.iter().map(|b| b.preformatted).collect();
        assert_eq!(pre, [false, true, true, true]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        // Built directly rather than parsed: the parser's own cost on such a page is its
        // business; what is tested here is that rendering does not recurse.
        let mut doc = Html::parse_document("<html><body><div>deep</div></body></html>");
        let div = doc
            .tree
            .root()
            .descendants()
            .find(|n| n.value().as_element().is_some_and(|e| e.name() == "div"));
        let (Some(div_id), Some(text)) = (
            div.map(|n| n.id()),
            div.and_then(|n| n.first_child()).map(|t| t.value().clone()),
        ) else {
            panic!("no div in the test page");
        };
        let div_node = doc
            .tree
            .get(div_id)
            .map(|n| n.value().clone())
            .unwrap_or_else(|| panic!("no div"));
        let mut id = div_id;
        for _ in 0..100_000 {
            let Some(mut node) = doc.tree.get_mut(id) else {
                break;
            };
            id = node.append(div_node.clone()).id();
        }
        if let Some(mut node) = doc.tree.get_mut(id) {
            node.append(text);
        }
        let r = render(&doc, &Selection::default());
        assert_eq!(r.lines.iter().filter(|l| *l == "deep").count(), 2);
    }

    #[test]
    fn reads_metadata() {
        let html = "<html><head><title>T</title><link rel=canonical href='https://ex.com/a'>\
<meta property='article:published_time' content='2025-03-09'></head><body><h1>Head</h1></body></html>";
        let m = meta(&Html::parse_document(html));
        assert_eq!(m.url.as_deref(), Some("https://ex.com/a"));
        assert_eq!(m.title.as_deref(), Some("Head"));
        assert_eq!(m.date.as_deref(), Some("2025-03-09"));
    }

    #[test]
    fn reads_json_ld_when_the_meta_tags_say_nothing() {
        let html = r#"<html><head><script type="application/ld+json">{"@context":"https://schema.org",
"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","datePublished":"2025-04-22T08:00:00Z",
"author":[{"@type":"Person","name":"Ann Lee"}],"publisher":{"name":"Eastfold Weekly"}}]}</script>
<script type="application/ld+json">{ not json</script></head><body><p>x</p></body></html>"#;
        let m = meta(&Html::parse_document(html));
        assert_eq!(m.date.as_deref(), Some("2025-04-22T08:00:00Z"));
        assert_eq!(m.author.as_deref(), Some("Ann Lee"));
        assert_eq!(m.site_name.as_deref(), Some("Eastfold Weekly"));
    }
}
