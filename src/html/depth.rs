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
//! The same scan caps the attributes of one element at [`MAX_ATTRIBUTES`]: html5ever checks
//! each new attribute of a tag against the ones before it, so one element with a hundred
//! thousand attributes takes minutes. The attributes after the first [`MAX_ATTRIBUTES`] of
//! a tag are removed (the parser keeps the first of duplicates, so the first ones are the
//! ones it would keep); no real page comes near the cap.
//!
//! The model is an estimate, not a parser: every step is constant time (amortised), so
//! the scan is linear in the page's size whatever its markup.

use std::collections::HashMap;
use std::hash::Hasher;

use crate::hash::{FastHasher, FastMap};

/// How deep elements may nest; tags deeper than this are removed before parsing. (The
/// documentation of `Cleaner::clean_html` and `Cleaned::markup_depth` gives the number.)
pub(crate) const MAX_DEPTH: usize = 512;

/// How many attributes one element may have; the ones after these are removed before
/// parsing. (The documentation of `Cleaner::clean_html` and `Cleaned::markup_attributes`
/// gives the number.)
pub(crate) const MAX_ATTRIBUTES: usize = 1000;

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

/// The result of capping a page's depth and attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Capped {
    /// The markup with the too-deep tags and the attributes over the cap removed.
    pub markup: String,
    /// How deep the page nested, as estimated, when tags were removed for it.
    pub depth: Option<usize>,
    /// The most attributes one element had, when attributes were removed for it.
    pub attributes: Option<usize>,
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

/// Removes the tags of `markup` that nest deeper than `max` levels, keeping their text, and
/// the attributes of a tag after its first `max_attributes`. `None` when the page stays
/// within both (nothing to change).
pub(crate) fn cap(markup: &str, max: usize, max_attributes: usize) -> Option<Capped> {
    let bytes = markup.as_bytes();
    let (deep, most_attributes) = quick_look(bytes, max, max_attributes);
    if !deep && most_attributes <= max_attributes {
        return None;
    }
    let mut model = Model::default();
    // Byte ranges of the tags (or of their attributes over the cap) to remove, in order.
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut deep_cuts = false;
    let mut name = Vec::new();
    let p = model.id(b"p");
    let li = model.id(b"li");
    let dd = model.id(b"dd");
    let dt = model.id(b"dt");
    let td = model.id(b"td");
    let th = model.id(b"th");
    let tr = model.id(b"tr");
    let option = model.id(b"option");
    let mut tags = Tags::new(bytes, max_attributes);
    while let Some(t) = tags.next() {
        name.clear();
        name.extend(t.name.iter().map(u8::to_ascii_lowercase));
        let (end_tag, self_closing) = (t.end_tag, t.self_closing);
        let tag = (t.start, t.close);
        // The tag's attributes over the cap go, unless the whole tag does.
        let mut cut_tag = |cuts: &mut Vec<(usize, usize)>, whole: bool| match (whole, t.extra) {
            (true, _) => {
                cuts.push(tag);
                deep_cuts = true;
            }
            (false, Some(extra)) => cuts.push(extra),
            (false, None) => {}
        };
        let id = model.id(&name);
        let is_scope = SCOPE.contains(&name.as_slice());
        if end_tag {
            let whole = model
                .open_in_scope(id, is_scope)
                .is_some_and(|pos| !model.pop_to(pos));
            cut_tag(&mut cuts, whole);
            continue;
        }
        cut_tag(&mut cuts, false);
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
            // The attributes over the cap were cut above: the rest of the tag goes now.
            if t.extra.is_some() && cuts.last().copied() == t.extra {
                cuts.pop();
            }
            cuts.push(tag);
            deep_cuts = true;
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
        depth: deep_cuts.then_some(model.deepest),
        attributes: (most_attributes > max_attributes).then_some(most_attributes),
    })
}

/// A quick first look: whether the markup may nest deeper than `max`, and the most
/// attributes a tag has. Start tags (void and raw-text elements aside) count one level in,
/// an end tag one level out only when an element of its name is open; the parser closes at
/// least as much, so this over-counts and never misses a deep page. Most pages stay far
/// under both caps and skip the model.
fn quick_look(bytes: &[u8], max: usize, max_attributes: usize) -> (bool, usize) {
    let mut open: FastMap<u64, u32> = FastMap::default();
    let mut depth = 0usize;
    let mut deep = false;
    let mut most_attributes = 0;
    let mut tags = Tags::new(bytes, max_attributes);
    while let Some(t) = tags.next() {
        most_attributes = most_attributes.max(t.attributes);
        if deep {
            // Only the attributes are left to count.
            if !t.end_tag && RAW_TEXT.iter().any(|n| n.eq_ignore_ascii_case(t.name)) {
                tags.skip_text_of(&t.name.to_ascii_lowercase());
            }
            continue;
        }
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
        deep = depth > max;
    }
    (deep, most_attributes)
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
    /// How many attributes it has (duplicates counted).
    attributes: usize,
    /// The bytes of its attributes after the first `max_attributes`, when it has more.
    extra: Option<(usize, usize)>,
}

/// The tags of a page in order, comments, doctypes and lone `<`s passed over: the one
/// tokenizer both scans share.
struct Tags<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Attributes after this many in a tag are reported as [`Tag::extra`].
    max_attributes: usize,
}

impl<'a> Tags<'a> {
    fn new(bytes: &'a [u8], max_attributes: usize) -> Self {
        Tags {
            bytes,
            at: 0,
            max_attributes,
        }
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
            let end = tag_end(bytes, name_end, self.max_attributes);
            self.at = end.close;
            return Some(Tag {
                start,
                close: end.close,
                end_tag,
                self_closing: end.self_closing,
                name: bytes.get(name_at..name_end).unwrap_or_default(),
                attributes: end.attributes,
                extra: end.extra,
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

/// What [`tag_end`] finds of a tag.
struct TagEnd {
    /// Just past its `>`.
    close: usize,
    /// It ends in `/>`.
    self_closing: bool,
    /// How many attributes it has.
    attributes: usize,
    /// The bytes of its attributes after the first `max_attributes`, when it has more.
    extra: Option<(usize, usize)>,
}

/// Reads the attributes of the tag whose name ends at `j`, as the HTML tokenizer does
/// (a quote opens a value only after `=`; `/` right before `>` closes the tag), up to just
/// past its `>`.
fn tag_end(bytes: &[u8], mut j: usize, max_attributes: usize) -> TagEnd {
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r');
    let mut end = TagEnd {
        close: bytes.len(),
        self_closing: false,
        attributes: 0,
        extra: None,
    };
    let mut extra_from = None;
    let done = |mut end: TagEnd, close: usize, self_closing: bool, extra_from: Option<usize>| {
        end.close = close;
        end.self_closing = self_closing;
        // The attributes over the cap run up to the `/>` or `>`.
        let stop = close - if self_closing { 2 } else { 1 };
        end.extra = extra_from.map(|from: usize| (from, stop.max(from)));
        end
    };
    while let Some(&c) = bytes.get(j) {
        match c {
            b'>' => return done(end, j + 1, false, extra_from),
            b'/' if bytes.get(j + 1) == Some(&b'>') => {
                return done(end, j + 2, true, extra_from);
            }
            b'/' => j += 1,
            c if space(c) => j += 1,
            _ => {
                // An attribute name (its first character may be `=` or a quote).
                end.attributes += 1;
                if end.attributes == max_attributes + 1 {
                    extra_from = Some(j);
                }
                j += 1;
                while bytes
                    .get(j)
                    .is_some_and(|&c| !space(c) && !matches!(c, b'/' | b'>' | b'='))
                {
                    j += 1;
                }
                while bytes.get(j).is_some_and(|&c| space(c)) {
                    j += 1;
                }
                if bytes.get(j) != Some(&b'=') {
                    continue;
                }
                j += 1;
                while bytes.get(j).is_some_and(|&c| space(c)) {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        j = memchr::memchr(q, bytes.get(j + 1..).unwrap_or_default())
                            .map_or(bytes.len(), |k| j + 1 + k + 1);
                    }
                    _ => {
                        while bytes.get(j).is_some_and(|&c| !space(c) && c != b'>') {
                            j += 1;
                        }
                    }
                }
            }
        }
    }
    // The tag runs to the end of the page (the parser reads its attributes all the same).
    end.extra = extra_from.map(|from| (from, bytes.len()));
    end
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

    fn cap_depth(markup: &str, max: usize) -> Option<Capped> {
        cap(markup, max, MAX_ATTRIBUTES)
    }

    fn may_nest_deeper(bytes: &[u8], max: usize) -> bool {
        quick_look(bytes, max, MAX_ATTRIBUTES).0
    }

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
            "<path d='x'/>".repeat(1000),
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
        assert_eq!(capped.depth, Some(12));
        assert_eq!(capped.attributes, None);
    }

    #[test]
    fn end_tags_outside_a_table_cell_do_not_close_into_it() {
        // `</b>` inside a cell closes nothing outside it: each round nests deeper.
        let page = format!("<b>{}", "<table><tr><td></b>".repeat(100));
        let capped = cap_depth(&page, 50).and_then(|c| c.depth);
        assert!(capped.is_some_and(|d| d > 200), "{capped:?}");
    }

    #[test]
    fn a_list_item_does_not_close_one_outside_its_section() {
        let page = "<ul><li><section>".repeat(100);
        let capped = cap_depth(&page, 50).and_then(|c| c.depth);
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

    fn tag(name: &str, attributes: usize) -> String {
        let attrs: String = (0..attributes).map(|i| format!(" a{i}=\"{i}\"")).collect();
        format!("<{name}{attrs}>")
    }

    #[test]
    fn attributes_over_the_cap_are_removed_and_the_first_kept() {
        let page = format!("<html><body>{}text</p><br/></body></html>", tag("p", 12));
        let Some(capped) = cap(&page, 512, 10) else {
            panic!("not capped");
        };
        let kept = tag("p", 10);
        assert_eq!(
            capped.markup,
            format!(
                "<html><body>{} >text</p><br/></body></html>",
                &kept[..kept.len() - 1]
            )
        );
        assert_eq!((capped.depth, capped.attributes), (None, Some(12)));
        // Within the cap nothing changes; nor does a self-closing tag lose its `/>`.
        assert_eq!(cap(&page, 512, 12), None);
        let svg = format!("<svg><path{}/></svg>", " d='x'".repeat(5));
        let capped = cap(&svg, 512, 2).map(|c| c.markup);
        assert_eq!(capped.as_deref(), Some("<svg><path d='x' d='x' /></svg>"));
    }

    #[test]
    fn a_quote_opens_a_value_only_after_an_equals_sign() {
        // `a"b` is one attribute name: the quote hides nothing from the count.
        let page = format!("<p a\"b{}>x</p>\"", " c".repeat(20));
        let capped = cap(&page, 512, 10).and_then(|c| c.attributes);
        assert_eq!(capped, Some(21));
        // A `>` inside a quoted value does not end the tag.
        let page = format!("<p title=\"a>b\"{}>x</p>", " c".repeat(20));
        let capped = cap(&page, 512, 10).and_then(|c| c.attributes);
        assert_eq!(capped, Some(21));
    }

    #[test]
    fn a_tag_cut_off_by_the_end_of_the_page_is_capped_too() {
        let page = format!("<p>x</p><div{}", " a".repeat(30));
        let capped = cap(&page, 512, 10);
        assert_eq!(
            capped.map(|c| c.markup),
            Some(format!("<p>x</p><div{} ", " a".repeat(10)))
        );
    }

    #[test]
    fn a_deep_tag_with_many_attributes_is_removed_whole() {
        let page = format!("{}{}x", "<div>".repeat(5), tag("div", 20));
        let capped = cap(&page, 5, 10);
        assert_eq!(
            capped.map(|c| (c.markup, c.depth, c.attributes)),
            Some((format!("{}x", "<div>".repeat(5)), Some(6), Some(20)))
        );
    }
}
