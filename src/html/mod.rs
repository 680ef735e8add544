//! HTML scrapes: recognise them, decode their charset, parse them with html5ever (through
//! scraper), drop the non-content elements the `[[drop-elements]]` rules name, and render
//! what is left to text lines, one per block, for the text filters.
//!
//! Rendering walks the tree iteratively (open and close edges, no recursion), so a page
//! nested a hundred thousand levels deep cannot overflow the stack.

use std::collections::HashSet;
use std::path::Path;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use crate::document::{Reason, reason};
use crate::filters::{drop_elements, drop_link_blocks, pick_content};

pub(crate) mod selector_set;
pub(crate) mod stats;

/// Whether a document is HTML: by its file extension, else by its first bytes.
pub fn is_html(path: Option<&Path>, bytes: &[u8]) -> bool {
    path.is_some_and(has_html_extension) || sniff(bytes)
}

/// Whether a file name ends in `.html`, `.htm` or `.xhtml` (any case).
pub fn has_html_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["html", "htm", "xhtml"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// `<!doctype html` or `<html` at the start, after a BOM, whitespace and comments.
fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut t = text.trim_start();
    while let Some(rest) = t.strip_prefix("<!--") {
        t = rest
            .split_once("-->")
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || t.starts_with("<?xml") && text.contains("<html")
}

/// Decodes HTML bytes to UTF-8: the byte-order mark, then a `<meta charset>` (or
/// http-equiv) declaration, then detection; returns the text and the encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    let encoding = encoding_rs::Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| declared_charset(bytes))
        .unwrap_or_else(|| {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Allow)
        });
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), used.name())
}

/// The charset a `<meta>` tag in the first 4 KB declares.
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let at = head.find("charset=")?;
    let value: String = head[at + 8..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(value.as_bytes())
}

/// Metadata read from the page, for its provenance header.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Canonical URL (`<link rel=canonical>`, else `og:url`).
    pub url: Option<String>,
    /// Title (`og:title`, else the first `h1`, else `<title>`).
    pub title: Option<String>,
    /// Publication date (`article:published_time`, else a `<time datetime>`).
    pub date: Option<String>,
    /// Author (`<meta name=author>`).
    pub author: Option<String>,
    /// Site name (`og:site_name`).
    pub site_name: Option<String>,
}

impl Meta {
    /// The metadata as `key: value` header lines.
    pub fn header_lines(&self) -> Vec<String> {
        [
            ("url", &self.url),
            ("title", &self.title),
            ("date", &self.date),
            ("author", &self.author),
            ("site", &self.site_name),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect()
    }
}

/// An element the DOM stage removed.
#[derive(Debug, Clone)]
pub struct RemovedElement {
    /// A short description: tag, id and classes, and the start of its text.
    pub element: String,
    /// The rule that removed it.
    pub reason: Reason,
}

/// A rendered page.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// Text lines, one per block.
    pub lines: Vec<String>,
    /// For each line, whether it comes from a `<pre>` block.
    pub preformatted: Vec<bool>,
    /// Elements removed before rendering.
    pub removed: Vec<RemovedElement>,
    /// The element rendered as the content root, when a pick-content rule chose one.
    pub root: Option<RemovedElement>,
}

/// Block-level elements: each starts and ends a line.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
    "caption",
    "option",
    "legend",
];

/// Parses and renders `html`, removing what the drop-elements rules name.
#[cfg(test)]
pub(crate) fn render_str(html: &str, rules: &[std::sync::Arc<drop_elements::Rule>]) -> Rendered {
    let doc = Html::parse_document(html);
    render(&doc, rules, &[], &[])
}

/// Renders a parsed page, removing what the drop-elements rules name.
pub(crate) fn render(
    doc: &Html,
    rules: &[std::sync::Arc<drop_elements::Rule>],
    roots: &[std::sync::Arc<pick_content::Rule>],
    link_blocks: &[std::sync::Arc<drop_link_blocks::Rule>],
) -> Rendered {
    let mut out = Rendered::default();
    let mut removed = drop_elements::select(doc, rules);
    let mut removed_ids: HashSet<NodeId> = removed.iter().map(|(id, _)| *id).collect();
    let stats = stats::Stats::collect(doc, &removed_ids);
    let root = match pick_content::pick(doc, roots, &removed_ids, &stats) {
        Some((id, rule)) => {
            if let Some(el) = doc.tree.get(id).and_then(ElementRef::wrap) {
                out.root = Some(RemovedElement {
                    element: describe(el),
                    reason: reason(pick_content::KIND.name, rule),
                });
            }
            doc.tree.get(id).unwrap_or_else(|| doc.tree.root())
        }
        None => doc.tree.root(),
    };
    let dense = drop_link_blocks::select(root, link_blocks, &removed_ids, &stats);
    removed_ids.extend(dense.iter().map(|(id, _)| *id));
    removed.extend(dense);
    for (id, reason) in &removed {
        if let Some(el) = doc.tree.get(*id).and_then(ElementRef::wrap) {
            out.removed.push(RemovedElement {
                element: describe(el),
                reason: reason.clone(),
            });
        }
    }

    let mut line = String::new();
    let mut skip_until: Option<NodeId> = None;
    let mut pre_depth = 0usize;
    // Lines inside <pre> keep their leading whitespace and are marked preformatted.
    let flush = |line: &mut String, out: &mut Rendered, pre: bool| {
        let t = if pre { line.trim_end() } else { line.trim() };
        if !t.trim_start().is_empty() {
            out.lines.push(t.to_string());
            out.preformatted.push(pre);
        }
        line.clear();
    };
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
                        if name == "br" {
                            flush(&mut line, &mut out, pre_depth > 0);
                        } else if BLOCKS.contains(&name) {
                            flush(&mut line, &mut out, pre_depth > 0);
                            if name == "pre" {
                                pre_depth += 1;
                            }
                        } else if name == "img" && line.is_empty() {
                            // Images carry no text of their own here (alt text is caption material).
                        }
                    }
                    Node::Text(text) => {
                        if pre_depth > 0 {
                            let mut parts = text.split('\n');
                            if let Some(first) = parts.next() {
                                line.push_str(first);
                            }
                            for part in parts {
                                flush(&mut line, &mut out, pre_depth > 0);
                                line.push_str(part);
                            }
                        } else {
                            push_collapsed(&mut line, text);
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
                    if BLOCKS.contains(&name) {
                        flush(&mut line, &mut out, pre_depth > 0);
                        if name == "pre" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                    } else if matches!(name, "td" | "th") {
                        line.push(' ');
                    }
                }
            }
        }
    }
    flush(&mut line, &mut out, pre_depth > 0);
    out
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
    let sel = |s: &str| scraper::Selector::parse(s).ok();
    let attr = |selector: &str, name: &str| -> Option<String> {
        let s = sel(selector)?;
        doc.select(&s)
            .find_map(|e| e.value().attr(name))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let text = |selector: &str| -> Option<String> {
        let s = sel(selector)?;
        doc.select(&s)
            .map(|e| {
                e.text()
                    .flat_map(|t| t.split_whitespace())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .find(|t| !t.is_empty())
    };
    Meta {
        url: attr("link[rel=canonical]", "href")
            .or_else(|| attr("meta[property='og:url']", "content")),
        title: attr("meta[property='og:title']", "content")
            .or_else(|| text("h1"))
            .or_else(|| text("title")),
        date: attr("meta[property='article:published_time']", "content")
            .or_else(|| attr("meta[name=date]", "content"))
            .or_else(|| attr("time[datetime]", "datetime")),
        author: attr("meta[name=author]", "content"),
        site_name: attr("meta[property='og:site_name']", "content"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_html() {
        assert!(is_html(None, b"  <!DOCTYPE html><html>"));
        assert!(is_html(None, b"<!-- saved --><html lang=en>"));
        assert!(is_html(Some(Path::new("a/page.HTM")), b"hello"));
        assert!(!is_html(
            Some(Path::new("a/page.txt")),
            b"url: x\n\n<p>not html"
        ));
    }

    #[test]
    fn decodes_declared_and_detected_charsets() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        let (text, enc) = decode(latin1);
        assert!(text.contains("café"), "{text}");
        assert_eq!(enc, "windows-1252");
        let (utf8, _) = decode("<p>naïve</p>".as_bytes());
        assert!(utf8.contains("naïve"));
    }

    #[test]
    fn renders_blocks_inline_spacing_and_breaks() {
        let html = "<html><body><h1>Title</h1><p>One <b>bold</b>word and <a href=x>a link</a>.<br>Next line</p>\
<ul><li>first</li><li>second</li></ul><table><tr><td>a</td><td>b</td></tr></table><script>x()</script></body></html>";
        let r = render_str(html, &[]);
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
    fn preformatted_lines_keep_their_indentation() {
        let r = render_str(
            "<html><body><p>Config:</p><pre>server {\n    listen 80;\n}</pre></body></html>",
            &[],
        );
        assert_eq!(r.lines, ["Config:", "server {", "    listen 80;", "}"]);
        assert_eq!(r.preformatted, [false, true, true, true]);
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
        let r = render(&doc, &[], &[], &[]);
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
}
