//! A cap on how deep markup nests, applied before parsing.
//!
//! html5ever's tree builder checks its stack of open elements on many start tags (is a
//! `<p>` open in button scope?), walking the whole stack each time: a page nested a
//! hundred thousand levels deep takes minutes to parse, and the selector and measure
//! walks after it grow the same way. Browsers cap the depth too (Blink nests no deeper
//! than 512 levels). This module scans the markup once, keeping a model of the open
//! elements (with the end tags a parser implies: a new `<p>` closes the open one, a `<li>`
//! the open `<li>`, and so on), and removes the start and end tags that would nest deeper
//! than [`MAX_DEPTH`]; the text inside them stays. Pages within the cap are not changed.
//!
//! The model is an estimate, not a parser: every step is constant time (amortised), so
//! the scan is linear in the page's size whatever its markup.

use std::collections::HashMap;
use std::hash::Hasher;

use crate::filters::line_index::FastMap;
use crate::text::FastHasher;

/// How deep elements may nest; tags deeper than this are removed before parsing.
pub const MAX_DEPTH: usize = 512;

/// Elements without an end tag.
const VOID: &[&[u8]] = &[
    b"area",
    b"base",
    b"basefont",
    b"bgsound",
    b"br",
    b"col",
    b"embed",
    b"frame",
    b"hr",
    b"image",
    b"img",
    b"input",
    b"keygen",
    b"link",
    b"meta",
    b"param",
    b"source",
    b"track",
    b"wbr",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&[u8]] = &[
    b"iframe",
    b"noembed",
    b"noframes",
    b"noscript",
    b"script",
    b"style",
    b"textarea",
    b"title",
    b"xmp",
];

/// Elements that bound the scope of an end tag: an end tag does not close an element
/// outside the nearest of them (the parser's "has an element in scope").
const SCOPE: &[&[u8]] = &[
    b"applet",
    b"button",
    b"caption",
    b"html",
    b"marquee",
    b"object",
    b"table",
    b"td",
    b"template",
    b"th",
];

/// Elements the parser treats as special (less `address`, `div` and `p`, and those that
/// never stay open): a new `<li>` closes the open `<li>` only when none of these is open
/// inside it, and likewise `<dd>` and `<dt>`.
const SPECIAL: &[&[u8]] = &[
    b"applet",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"button",
    b"caption",
    b"center",
    b"colgroup",
    b"dd",
    b"details",
    b"dir",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"frameset",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"header",
    b"hgroup",
    b"html",
    b"li",
    b"listing",
    b"main",
    b"marquee",
    b"menu",
    b"nav",
    b"object",
    b"ol",
    b"pre",
    b"search",
    b"section",
    b"select",
    b"summary",
    b"table",
    b"tbody",
    b"td",
    b"template",
    b"tfoot",
    b"th",
    b"thead",
    b"tr",
    b"ul",
];

/// Start tags that close an open `<p>`.
const CLOSES_P: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"center",
    b"dd",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"li",
    b"listing",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"search",
    b"section",
    b"summary",
    b"table",
    b"ul",
];

/// The result of capping a page's depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capped {
    /// The markup with the too-deep tags removed.
    pub markup: String,
    /// How deep the page nested, as estimated.
    pub depth: usize,
}

/// One open element of the model.
struct Open {
    name: usize,
    scope: bool,
    special: bool,
    /// Whether its tags stay in the markup (false: nested too deep, removed).
    kept: bool,
}

/// The model of the open elements, with each name's positions for constant-time lookup.
#[derive(Default)]
struct Model {
    names: HashMap<Vec<u8>, usize>,
    /// For each name, the stack positions where it is open, innermost last.
    at: Vec<Vec<usize>>,
    stack: Vec<Open>,
    /// Stack positions of the open scope-bounding elements, innermost last.
    scopes: Vec<usize>,
    /// Stack positions of the open [`SPECIAL`] elements, innermost last.
    specials: Vec<usize>,
    deepest: usize,
}

impl Model {
    fn id(&mut self, name: &[u8]) -> usize {
        if let Some(&id) = self.names.get(name) {
            return id;
        }
        let id = self.at.len();
        self.names.insert(name.to_vec(), id);
        self.at.push(Vec::new());
        id
    }

    fn push(&mut self, name: usize, scope: bool, special: bool, max: usize) -> bool {
        let kept = self.stack.len() < max;
        if let Some(at) = self.at.get_mut(name) {
            at.push(self.stack.len());
        }
        if scope {
            self.scopes.push(self.stack.len());
        }
        if special {
            self.specials.push(self.stack.len());
        }
        self.stack.push(Open {
            name,
            scope,
            special,
            kept,
        });
        self.deepest = self.deepest.max(self.stack.len());
        kept
    }

    /// Pops down to and including position `pos`; returns whether that element's tags
    /// were kept.
    fn pop_to(&mut self, pos: usize) -> bool {
        let mut kept = true;
        while self.stack.len() > pos {
            let Some(open) = self.stack.pop() else { break };
            if let Some(at) = self.at.get_mut(open.name) {
                at.pop();
            }
            if open.scope {
                self.scopes.pop();
            }
            if open.special {
                self.specials.pop();
            }
            kept = open.kept;
        }
        kept
    }

    /// Where `name` is open inside the current scope (above the innermost scope-bounding
    /// element, or that element itself when `name` is one), if it is.
    fn open_in_scope(&self, name: usize, is_scope: bool) -> Option<usize> {
        let pos = *self.at.get(name)?.last()?;
        let bound = self.scopes.last().copied().unwrap_or(0);
        (is_scope || pos >= bound).then_some(pos)
    }

    /// Where `name` is open, if it is the innermost special element open.
    fn innermost_special(&self, name: usize) -> Option<usize> {
        let pos = *self.at.get(name)?.last()?;
        (self.specials.last() == Some(&pos)).then_some(pos)
    }

    /// Where `name` is open, if it is the current element.
    fn is_current(&self, name: usize) -> Option<usize> {
        let top = self.stack.len().checked_sub(1)?;
        (self.stack.get(top)?.name == name).then_some(top)
    }
}

/// Removes the tags of `markup` that nest deeper than `max` levels, keeping their text.
/// `None` when the page stays within `max` (nothing to change).
pub fn cap_depth(markup: &str, max: usize) -> Option<Capped> {
    let bytes = markup.as_bytes();
    if !may_nest_deeper(bytes, max) {
        return None;
    }
    let mut model = Model::default();
    // Byte ranges of the tags to remove, in order.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut name = Vec::new();
    let p = model.id(b"p");
    let li = model.id(b"li");
    let dd = model.id(b"dd");
    let dt = model.id(b"dt");
    let td = model.id(b"td");
    let th = model.id(b"th");
    let tr = model.id(b"tr");
    let option = model.id(b"option");
    let mut tags = Tags::new(bytes);
    while let Some(t) = tags.next() {
        name.clear();
        name.extend(t.name.iter().map(u8::to_ascii_lowercase));
        let (end_tag, self_closing) = (t.end_tag, t.self_closing);
        let tag = (t.start, t.close);
        let id = model.id(&name);
        let is_scope = SCOPE.contains(&name.as_slice());
        if end_tag {
            if let Some(pos) = model.open_in_scope(id, is_scope)
                && !model.pop_to(pos)
            {
                cuts.push(tag);
            }
            continue;
        }
        if VOID.contains(&name.as_slice()) {
            continue;
        }
        if RAW_TEXT.contains(&name.as_slice()) {
            // Its text runs to its end tag; it holds no elements.
            if !self_closing {
                tags.skip_text_of(&name);
            }
            continue;
        }
        let foreign = matches!(name.as_slice(), b"svg" | b"math") || model.in_foreign();
        if self_closing && foreign {
            continue;
        }
        // The end tags this start tag implies.
        let (list, cells): (&[usize], &[usize]) = match name.as_slice() {
            b"li" => (&[li], &[]),
            b"dd" | b"dt" => (&[dd, dt], &[]),
            b"tr" => (&[], &[td, th, tr]),
            b"td" | b"th" => (&[], &[td, th]),
            _ => (&[], &[]),
        };
        for &other in list {
            if let Some(pos) = model.innermost_special(other) {
                model.pop_to(pos);
            }
        }
        for &other in cells {
            if let Some(pos) = model.open_in_scope(other, false) {
                model.pop_to(pos);
            }
        }
        if matches!(name.as_slice(), b"option" | b"optgroup")
            && let Some(pos) = model.is_current(option)
        {
            model.pop_to(pos);
        }
        if CLOSES_P.contains(&name.as_slice())
            && let Some(pos) = model.open_in_scope(p, false)
        {
            model.pop_to(pos);
        }
        if matches!(
            name.as_slice(),
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6"
        ) {
            for h in [b"h1", b"h2", b"h3", b"h4", b"h5", b"h6"] {
                let h = model.id(h);
                if let Some(pos) = model.is_current(h) {
                    model.pop_to(pos);
                }
            }
        }
        let special = SPECIAL.contains(&name.as_slice());
        if !model.push(id, is_scope, special, max) {
            cuts.push(tag);
        }
    }
    if cuts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(markup.len());
    let mut from = 0;
    for (s, e) in cuts {
        out.push_str(markup.get(from..s).unwrap_or_default());
        from = e;
    }
    out.push_str(markup.get(from..).unwrap_or_default());
    Some(Capped {
        markup: out,
        depth: model.deepest,
    })
}

/// A quick first look: whether the markup may nest deeper than `max`. Start tags (void
/// and raw-text elements aside) count one level in, an end tag one level out only when an
/// element of its name is open; the parser closes at least as much, so this over-counts
/// and never misses a deep page. Most pages stay far under the cap and skip the model.
fn may_nest_deeper(bytes: &[u8], max: usize) -> bool {
    let mut open: FastMap<u64, u32> = FastMap::default();
    let mut depth = 0usize;
    let mut tags = Tags::new(bytes);
    while let Some(t) = tags.next() {
        let mut key = FastHasher::default();
        for &c in t.name {
            key.write_u8(c.to_ascii_lowercase());
        }
        let key = key.finish();
        let is = |list: &[&[u8]]| list.iter().any(|n| n.eq_ignore_ascii_case(t.name));
        if t.end_tag {
            if let Some(n) = open.get_mut(&key).filter(|n| **n > 0) {
                *n -= 1;
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if is(VOID) {
            continue;
        }
        if is(RAW_TEXT) {
            // Even after `<script/>`: the parser reads its text as script all the same.
            tags.skip_text_of(&t.name.to_ascii_lowercase());
            continue;
        }
        *open.entry(key).or_default() += 1;
        depth += 1;
        if depth > max {
            return true;
        }
    }
    false
}

/// A start or end tag found by [`Tags`].
struct Tag<'a> {
    /// Where its `<` is.
    start: usize,
    /// Just past its `>`.
    close: usize,
    /// An end tag (`</p>`).
    end_tag: bool,
    /// It ends in `/>`.
    self_closing: bool,
    /// Its name, as written.
    name: &'a [u8],
}

/// The tags of a page in order, comments, doctypes and lone `<`s passed over: the one
/// tokenizer both scans share.
struct Tags<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Tags<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Tags { bytes, at: 0 }
    }

    /// Skips the text of a raw-text element (`script`, `style`, ...; `name` lowercase)
    /// whose start tag was the last one returned, up to its end tag.
    fn skip_text_of(&mut self, name: &[u8]) {
        self.at = find_end_tag(self.bytes, self.at, name).unwrap_or(self.bytes.len());
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        let bytes = self.bytes;
        loop {
            let start = self.at + memchr::memchr(b'<', bytes.get(self.at..)?)?;
            let rest = bytes.get(start..).unwrap_or_default();
            if rest.starts_with(b"<!--") {
                self.at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
                continue;
            }
            let end_tag = rest.get(1) == Some(&b'/');
            let name_at = start + if end_tag { 2 } else { 1 };
            if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
                // `<!doctype>`, `<?xml ?>`, `</ >` or a lone `<`: no element.
                self.at = if matches!(rest.get(1), Some(b'!' | b'?' | b'/')) {
                    find(bytes, start + 1, b">").map_or(bytes.len(), |e| e + 1)
                } else {
                    start + 1
                };
                continue;
            }
            let name_end = bytes
                .get(name_at..)
                .and_then(|b| {
                    b.iter()
                        .position(|&c| c.is_ascii_whitespace() || c == b'/' || c == b'>')
                })
                .map_or(bytes.len(), |k| name_at + k);
            let (close, self_closing) = tag_end(bytes, name_end);
            self.at = close;
            return Some(Tag {
                start,
                close,
                end_tag,
                self_closing,
                name: bytes.get(name_at..name_end).unwrap_or_default(),
            });
        }
    }
}

impl Model {
    /// Whether an `<svg>` or `<math>` element is open (foreign content, where `/>` closes).
    fn in_foreign(&self) -> bool {
        [b"svg".as_slice(), b"math"].iter().any(|n| {
            self.names
                .get(*n)
                .and_then(|&id| self.at.get(id))
                .is_some_and(|at| !at.is_empty())
        })
    }
}

/// The end of the tag whose name ends at `j` (just past its `>`, quoted attribute values
/// skipped), and whether it ends in `/>`.
fn tag_end(bytes: &[u8], mut j: usize) -> (usize, bool) {
    let mut quote = None;
    let mut last = 0u8;
    while let Some(&c) = bytes.get(j) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return (j + 1, last == b'/'),
            None => {}
        }
        if !c.is_ascii_whitespace() {
            last = c;
        }
        j += 1;
    }
    (bytes.len(), false)
}

/// The position of `needle` in `bytes` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = bytes.get(from..)?;
    let first = *needle.first()?;
    let mut k = 0;
    while let Some(off) = hay.get(k..)?.iter().position(|&c| c == first) {
        let at = k + off;
        if hay.get(at..)?.starts_with(needle) {
            return Some(from + at);
        }
        k = at + 1;
    }
    None
}

/// The position of `</name` (any case) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut k = from;
    loop {
        let at = find(bytes, k, b"</")?;
        let candidate = bytes.get(at + 2..at + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(at);
        }
        k = at + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(tag: &str, n: usize, inner: &str) -> String {
        format!(
            "{}{inner}{}",
            format!("<{tag}>").repeat(n),
            format!("</{tag}>").repeat(n)
        )
    }

    #[test]
    fn the_quick_count_lets_wide_pages_through_and_stops_deep_ones() {
        let wide = "<div><p>x</p><img src=a><br></div>".repeat(5000);
        assert!(!may_nest_deeper(wide.as_bytes(), 512));
        // End tags of elements never opened do not count a level out.
        let deep = "<div></span>".repeat(600);
        assert!(may_nest_deeper(deep.as_bytes(), 512));
        // Nor does markup inside a script.
        let script = format!(
            "<script>{}</script>{}",
            "</div>".repeat(600),
            "<div>".repeat(600)
        );
        assert!(may_nest_deeper(script.as_bytes(), 512));
    }

    #[test]
    fn pages_within_the_cap_are_untouched() {
        let page = format!(
            "<!doctype html><html><body>{}<p>one<p>two<ul><li>a<li>b</ul>\
<table><tr><td>x<td>y<tr><td>z</table><script>if (a<b) {{}}</script><br><img src=x>\
<svg>{}</svg><!-- <div><div> --></body></html>",
            nested("div", 100, "deep"),
            "<path d=x/>".repeat(1000),
        );
        assert_eq!(cap_depth(&page, 128), None);
    }

    #[test]
    fn unclosed_paragraphs_and_list_items_do_not_add_up() {
        let page = format!(
            "<html><body>{}<ul>{}</ul><table>{}</table></body></html>",
            "<p>text".repeat(1000),
            "<li>item".repeat(1000),
            "<tr><td>a<td>b".repeat(1000)
        );
        assert_eq!(cap_depth(&page, 16), None);
    }

    #[test]
    fn tags_below_the_cap_are_removed_and_their_text_kept() {
        let page = format!(
            "<html><body>{}<p>after</p></body></html>",
            nested("div", 10, "deep")
        );
        let Some(capped) = cap_depth(&page, 5) else {
            panic!("not capped");
        };
        // html and body take two of the five levels.
        assert_eq!(
            capped.markup,
            format!(
                "<html><body>{}<p>after</p></body></html>",
                nested("div", 3, "deep")
            )
        );
        assert_eq!(capped.depth, 12);
    }

    #[test]
    fn end_tags_outside_a_table_cell_do_not_close_into_it() {
        // `</b>` inside a cell closes nothing outside it: each round nests deeper.
        let page = format!("<b>{}", "<table><tr><td></b>".repeat(100));
        let capped = cap_depth(&page, 50).map(|c| c.depth);
        assert!(capped.is_some_and(|d| d > 200), "{capped:?}");
    }

    #[test]
    fn a_list_item_does_not_close_one_outside_its_section() {
        let page = "<ul><li><section>".repeat(100);
        let capped = cap_depth(&page, 50).map(|c| c.depth);
        assert_eq!(capped, Some(300));
    }

    #[test]
    fn odd_markup_does_not_panic() {
        for page in [
            "<",
            "</",
            "<a",
            "<a href='x",
            "<!--",
            "<script>",
            "</ >",
            "<é>",
            "<a/",
        ] {
            assert_eq!(cap_depth(page, 1), None, "{page}");
        }
        assert!(cap_depth("<div><div", 1).is_some());
    }
}
