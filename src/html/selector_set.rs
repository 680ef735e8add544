//! A compiled set of CSS selectors, matched in one pass over a page instead of one walk
//! per selector.
//!
//! The `drop-elements` rules name their elements with many small selectors: a bare tag
//! (`nav`, `aside`), or one attribute test (`[class*=share]`, `[id=sidebar]`,
//! `[role=navigation]`). Running each of them as its own `select` walk over the tree
//! costs one full walk per selector, and most of the time goes into the generic matcher
//! asking every element for the same few attributes again and again.
//!
//! A [`SelectorSet`] sorts each selector into one of three buckets when the rule compiles:
//!
//! - **tags**: a bare type selector, looked up by the element's name;
//! - **attribute tests**: an optional tag and one attribute test (`=`, `~=`, `|=`, `^=`,
//!   `$=`, `*=` or a bare `[name]`), grouped by attribute name. The values tested on one
//!   attribute are joined into one literal search, a prefilter: every one of these
//!   operators, with a non-empty value, needs the value somewhere in the attribute, so an
//!   attribute that contains none of them is done with in one scan;
//! - **generic**: everything else (combinators, pseudo-classes, namespaces, case flags),
//!   left to scraper's own matcher.
//!
//! Which bucket a selector goes to is read from scraper's canonical serialization of the
//! parsed selector (`[class*="share"]`), not from the rule's text, so quoting and spacing
//! variants are read the way the CSS parser read them. Anything not plainly of a simple
//! form (an escape, an upper-case name, an `i`/`s` flag, an attribute whose value HTML
//! compares case-insensitively such as `type` or `lang`) stays generic: the fast buckets
//! reproduce the matcher's case-sensitive comparisons exactly, and nothing else.
//!
//! [`first_matches`] then reports, for every element some selector matches, the first
//! selector (in set order, then selector order) that does, listed in the order separate
//! `select` walks would have found them: by set, by selector, then in the order
//! `Html::select` visits elements (the order the parser created them, which is not
//! always document order).

use std::collections::hash_map::Entry;

use ego_tree::NodeId;
use regex::Regex;
use scraper::node::Element;
use scraper::selector::ToCss;
use scraper::{ElementRef, Html, Selector};

use crate::hash::FastMap;

/// How an attribute test compares the attribute's value with the selector's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `[name]`: the attribute is present.
    Exists,
    /// `[name=v]`: the value is `v`.
    Equal,
    /// `[name~=v]`: one of the whitespace-separated words is `v`.
    Includes,
    /// `[name|=v]`: the value is `v` or starts with `v-`.
    DashMatch,
    /// `[name^=v]`: the value starts with `v`.
    Prefix,
    /// `[name$=v]`: the value ends with `v`.
    Suffix,
    /// `[name*=v]`: the value contains `v`.
    Substring,
}

/// The whitespace `~=` splits on (CSS Selectors, section 4).
const SELECTOR_WHITESPACE: &[char] = &[' ', '\t', '\n', '\r', '\x0C'];

impl Op {
    /// Whether `value` passes the test against `wanted`: the comparisons of the CSS
    /// matcher for a case-sensitive attribute.
    fn eval(self, value: &str, wanted: &str) -> bool {
        let (e, s) = (value.as_bytes(), wanted.as_bytes());
        match self {
            Op::Exists => true,
            Op::Equal => e == s,
            Op::Includes => !s.is_empty() && value.split(SELECTOR_WHITESPACE).any(|w| w == wanted),
            Op::DashMatch => e == s || (e.get(s.len()) == Some(&b'-') && e.starts_with(s)),
            Op::Prefix => !s.is_empty() && e.starts_with(s),
            Op::Suffix => !s.is_empty() && e.ends_with(s),
            Op::Substring => !s.is_empty() && value.contains(wanted),
        }
    }
}

/// One attribute test of a simple selector.
#[derive(Debug)]
struct Test {
    /// Position of the selector in the set.
    index: usize,
    /// The element name the selector also requires, if any.
    tag: Option<Box<str>>,
    op: Op,
    value: Box<str>,
}

/// The tests on one attribute name, each list in selector order.
#[derive(Debug)]
struct AttrTests {
    name: Box<str>,
    /// Tests with a non-empty value: each needs its value somewhere in the attribute.
    filtered: Vec<Test>,
    /// Whether any value of `filtered` occurs in a string (`None`: none could be built,
    /// every test is tried).
    prefilter: Option<Regex>,
    /// Tests that need no value in the attribute: `[name]`, `[name=""]`, `[name|=""]`.
    unfiltered: Vec<Test>,
}

impl AttrTests {
    /// The first test (by selector position, below `below`) that `value` passes on an
    /// element called `tag`.
    fn first(&self, tag: &str, value: &str, below: usize) -> Option<usize> {
        let first_in = |tests: &[Test], below: usize| {
            tests
                .iter()
                .take_while(|t| t.index < below)
                .find(|t| t.tag.as_deref().is_none_or(|n| n == tag) && t.op.eval(value, &t.value))
                .map(|t| t.index)
        };
        let a = first_in(&self.unfiltered, below);
        let below = a.unwrap_or(below);
        if self.filtered.first().is_none_or(|t| t.index >= below) {
            return a;
        }
        if self
            .prefilter
            .as_ref()
            .is_some_and(|re| !re.is_match(value))
        {
            return a;
        }
        first_in(&self.filtered, below).or(a)
    }
}

/// A simple selector, as read from its canonical serialization.
#[derive(Debug, PartialEq, Eq)]
enum Simple {
    /// `nav`
    Tag(String),
    /// `div[class*="share"]`, `[hidden]`
    Attr {
        tag: Option<String>,
        name: String,
        op: Op,
        value: String,
    },
}

/// Attributes whose values HTML compares ASCII-case-insensitively when no flag is given
/// (the list the CSS matcher uses); selectors testing them stay generic.
fn case_insensitive_in_html(name: &str) -> bool {
    matches!(
        name,
        "accept"
            | "accept-charset"
            | "align"
            | "alink"
            | "axis"
            | "bgcolor"
            | "charset"
            | "checked"
            | "clear"
            | "codetype"
            | "color"
            | "compact"
            | "declare"
            | "defer"
            | "dir"
            | "direction"
            | "disabled"
            | "enctype"
            | "face"
            | "frame"
            | "hreflang"
            | "http-equiv"
            | "lang"
            | "language"
            | "link"
            | "media"
            | "method"
            | "multiple"
            | "nohref"
            | "noresize"
            | "noshade"
            | "nowrap"
            | "readonly"
            | "rel"
            | "rev"
            | "rules"
            | "scope"
            | "scrolling"
            | "selected"
            | "shape"
            | "target"
            | "text"
            | "type"
            | "valign"
            | "valuetype"
            | "vlink"
    )
}

/// A name as the serializer writes it unescaped: lower-case ASCII letters, digits, `-`
/// and `_`, starting with a letter. Its length in `s`.
fn name_len(s: &str) -> usize {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_lowercase) {
        return 0;
    }
    b.iter()
        .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_'))
        .count()
}

/// Reads a selector list's canonical serialization (`nav, [class*="share"]`) when every
/// selector in it is simple; `None` otherwise.
fn parse_canonical(css: &str) -> Option<Vec<Simple>> {
    let mut out = Vec::new();
    let mut rest = css;
    loop {
        let (simple, after) = parse_compound(rest)?;
        out.push(simple);
        if after.is_empty() {
            return Some(out);
        }
        rest = after.strip_prefix(", ")?;
    }
}

/// One simple selector at the start of `s`, and what follows it.
fn parse_compound(s: &str) -> Option<(Simple, &str)> {
    let n = name_len(s);
    let tag = (n > 0).then(|| s[..n].to_string());
    let rest = &s[n..];
    let Some(rest) = rest.strip_prefix('[') else {
        return tag.map(|t| (Simple::Tag(t), rest));
    };
    let n = name_len(rest);
    if n == 0 {
        return None;
    }
    let name = rest[..n].to_string();
    if case_insensitive_in_html(&name) {
        return None;
    }
    let rest = &rest[n..];
    if let Some(after) = rest.strip_prefix(']') {
        let op = Op::Exists;
        let value = String::new();
        return Some((
            Simple::Attr {
                tag,
                name,
                op,
                value,
            },
            after,
        ));
    }
    let (op, rest) = [
        ("=", Op::Equal),
        ("~=", Op::Includes),
        ("|=", Op::DashMatch),
        ("^=", Op::Prefix),
        ("$=", Op::Suffix),
        ("*=", Op::Substring),
    ]
    .into_iter()
    .find_map(|(text, op)| rest.strip_prefix(text).map(|r| (op, r)))?;
    // The value is a double-quoted string; one with an escape in it stays generic.
    let rest = rest.strip_prefix('"')?;
    let end = rest.find(['"', '\\'])?;
    if rest.as_bytes().get(end) != Some(&b'"') {
        return None;
    }
    let value = rest[..end].to_string();
    let after = rest[end + 1..].strip_prefix(']')?;
    Some((
        Simple::Attr {
            tag,
            name,
            op,
            value,
        },
        after,
    ))
}

/// The simple selectors a parsed selector stands for, or `None` when it is not simple.
/// `source` is the rule's text: an escape in it could put characters in a name that the
/// serializer writes unescaped, so a source with one stays generic.
fn simple_parts(source: &str, selector: &Selector) -> Option<Vec<Simple>> {
    if source.contains('\\') {
        return None;
    }
    parse_canonical(&selector.to_css_string())
}

/// Compiled selectors, matched together in one pass (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct SelectorSet {
    /// Element name → the first selector that is that bare name.
    tags: FastMap<Box<str>, usize>,
    /// Attribute tests, by attribute name.
    attrs: Vec<AttrTests>,
    /// Selectors matched by scraper, with their positions.
    generic: Vec<(usize, Selector)>,
}

impl SelectorSet {
    /// Sorts selectors (their rule text and parsed form, in order) into buckets.
    pub(crate) fn new(selectors: Vec<(String, Selector)>) -> SelectorSet {
        let mut set = SelectorSet::default();
        for (index, (source, selector)) in selectors.into_iter().enumerate() {
            let Some(parts) = simple_parts(&source, &selector) else {
                set.generic.push((index, selector));
                continue;
            };
            for part in parts {
                set.add(index, part);
            }
        }
        for a in &mut set.attrs {
            a.prefilter = prefilter(&a.filtered);
        }
        set
    }

    fn add(&mut self, index: usize, simple: Simple) {
        match simple {
            Simple::Tag(name) => {
                // The first selector naming a tag is the one reported.
                if let Entry::Vacant(e) = self.tags.entry(name.into_boxed_str()) {
                    e.insert(index);
                }
            }
            Simple::Attr {
                tag,
                name,
                op,
                value,
            } => {
                let at = match self.attrs.iter().position(|a| *a.name == name) {
                    Some(at) => at,
                    None => {
                        self.attrs.push(AttrTests {
                            name: name.into_boxed_str(),
                            filtered: Vec::new(),
                            prefilter: None,
                            unfiltered: Vec::new(),
                        });
                        self.attrs.len() - 1
                    }
                };
                let test = Test {
                    index,
                    tag: tag.map(String::into_boxed_str),
                    op,
                    value: value.into_boxed_str(),
                };
                let a = &mut self.attrs[at];
                if test.value.is_empty() {
                    a.unfiltered.push(test);
                } else {
                    a.filtered.push(test);
                }
            }
        }
    }

    /// The selectors left to scraper's matcher, with their positions.
    pub(crate) fn generic(&self) -> &[(usize, Selector)] {
        &self.generic
    }

    /// The first selector of the fast buckets that matches an element, if any.
    fn first_fast(&self, el: &Element) -> Option<usize> {
        let tag = el.name();
        let mut best = self.tags.get(tag).copied();
        if self.attrs.is_empty() {
            return best;
        }
        for (key, value) in el.attrs.iter() {
            // Attribute selectors without a namespace test attributes without one.
            if !key.ns.is_empty() {
                continue;
            }
            let name: &str = &key.local;
            let Some(tests) = self.attrs.iter().find(|a| *a.name == *name) else {
                continue;
            };
            if let Some(i) = tests.first(tag, value, best.unwrap_or(usize::MAX)) {
                best = Some(i);
            }
        }
        best
    }

    /// Whether some selector of the set matches an element.
    pub(crate) fn matches(&self, el: ElementRef) -> bool {
        self.first_fast(el.value()).is_some()
            || self.generic.iter().any(|(_, sel)| sel.matches(&el))
    }
}

/// The union of the tests' values, as a literal search.
fn prefilter(tests: &[Test]) -> Option<Regex> {
    if tests.is_empty() {
        return None;
    }
    let mut values: Vec<&str> = tests.iter().map(|t| &*t.value).collect();
    values.sort_unstable();
    values.dedup();
    let pattern = values
        .iter()
        .map(|v| regex::escape(v))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&pattern).ok()
}

/// An element and the first selector that matches it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Match<'a> {
    /// Position of the set in the list given to [`first_matches`].
    pub set: usize,
    /// Position of the selector in its set.
    pub selector: usize,
    /// The element.
    pub element: ElementRef<'a>,
}

/// Every element of `doc` that a selector of `sets` matches, with the first set and, in
/// it, the first selector that does. Listed by set, then selector, then in the order
/// `Html::select` visits elements: what running `doc.select` for each selector in turn
/// and keeping each element's first appearance would give.
///
/// The fast buckets are tried in one walk over the elements. Generic selectors run as
/// their own `select` walks (few of them, and scraper shares its sibling-index cache
/// within a walk, which matching element by element would rebuild each time).
pub(crate) fn first_matches<'a>(doc: &'a Html, sets: &[&SelectorSet]) -> Vec<Match<'a>> {
    let mut generic: FastMap<NodeId, (usize, usize)> = FastMap::default();
    for (s, set) in sets.iter().enumerate() {
        for (i, sel) in set.generic() {
            for el in doc.select(sel) {
                let key = (s, *i);
                generic
                    .entry(el.id())
                    .and_modify(|k| *k = (*k).min(key))
                    .or_insert(key);
            }
        }
    }
    let mut out = Vec::new();
    // `Html::select` visits the node arena in order, elements with a parent only.
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if node.parent().is_none() {
            continue;
        }
        let mut best = if generic.is_empty() {
            None
        } else {
            generic.get(&node.id()).copied()
        };
        for (s, set) in sets.iter().enumerate() {
            if best.is_some_and(|(bs, _)| bs < s) {
                break;
            }
            if let Some(i) = set.first_fast(el.value()) {
                if best.is_none_or(|b| (s, i) < b) {
                    best = Some((s, i));
                }
                break;
            }
        }
        if let Some((set, selector)) = best {
            out.push(Match {
                set,
                selector,
                element: el,
            });
        }
    }
    // Stable: within one selector, the walk's order is kept.
    out.sort_by_key(|m| (m.set, m.selector));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(sources: &[&str]) -> SelectorSet {
        SelectorSet::new(
            sources
                .iter()
                .map(|s| {
                    let sel = Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
                    (s.to_string(), sel)
                })
                .collect(),
        )
    }

    /// A page with attribute values in several cases and spacings, namespaced attributes
    /// (SVG's xlink:href) and elements the parser moves around.
    const PAGE: &str = r##"<!doctype html><html><head><title>t</title></head><body>
<header id="top" class="site-header">Head</header>
<nav role="navigation" class="Main-Nav">n</nav>
<div class="share-bar social" id="Sidebar">a</div>
<div class="SHARE">b</div>
<div class="post sidebar  widget-area">c</div>
<div class="sidebar-first">d</div>
<div class="x" id="sidebar" hidden>e</div>
<div id="S:1" hidden>f</div>
<div style="display:none">g</div>
<div style="DISPLAY:NONE" aria-hidden="true">h</div>
<p lang="en-GB" data-lang="en-GB" data-x="" title="a b">i</p>
<p lang="EN">j</p>
<input type="Hidden" value="1">
<section class="comments-area"><aside class="widget">k</aside></section>
<svg><a xlink:href="#share" href="other-link"><text class="share">s</text></a></svg>
<table><tr><td>1</td></tr><span class="related">fostered</span></table>
<p><b class="promo">bold<p>para</b></p>
<footer class="footer">f</footer>
</body></html>"##;

    fn elements(doc: &Html) -> Vec<ElementRef<'_>> {
        doc.tree.nodes().filter_map(ElementRef::wrap).collect()
    }

    /// Each selector alone: the set matches exactly the elements scraper matches, and
    /// lands in the bucket expected. Returns how many elements it matches.
    fn check(source: &str, fast: bool) -> usize {
        let doc = Html::parse_document(PAGE);
        let s = set(&[source]);
        assert_eq!(s.generic.is_empty(), fast, "{source}: bucket");
        let sel = Selector::parse(source).unwrap_or_else(|e| panic!("{source}: {e:?}"));
        let mut hits = 0;
        for el in elements(&doc) {
            assert_eq!(
                s.matches(el),
                sel.matches(&el),
                "{source} on {:?}",
                el.value()
            );
            hits += usize::from(sel.matches(&el));
        }
        hits
    }

    /// Checks each selector; all but `misses` of them match something in the page.
    fn check_all(sources: &[&str], fast: bool, misses: usize) {
        let hit = sources.iter().filter(|s| check(s, fast) > 0).count();
        assert_eq!(hit + misses, sources.len(), "{sources:?}");
    }

    #[test]
    fn bare_tags() {
        check_all(
            &[
                "nav", "aside", "footer", "input", "text", "span", "td", "dialog",
            ],
            true,
            1,
        );
    }

    #[test]
    fn substring_prefix_suffix_and_exact_are_case_sensitive() {
        let sources = [
            "[class*=share]",
            "[class*=SHARE]",
            "[class*=Nav]",
            "[style*='display:none']",
            "[style*=\"DISPLAY:NONE\"]",
            "[class^=sidebar]",
            "[class$=area]",
            "[id=sidebar]",
            "[id=Sidebar]",
            "[id^='S:']",
            "[role=navigation]",
            "[aria-hidden=true]",
            "[title='a b']",
            "[data-x='']",
            "[data-lang|=en]",
            "[data-lang|=en-GB]",
            "[data-x|='']",
            "[data-x='']",
            "div[class*=share]",
            "p[class*=promo]",
            "b[class*=promo]",
            "span[class*=related]",
            "[href*=link]",
            // The universal type adds nothing; it is not even serialized.
            "*[class*=share]",
        ];
        // The parser re-creates <b class="promo"> inside the second <p>: no <p> has it.
        check_all(&sources, true, 1);
    }

    #[test]
    fn word_match_splits_on_whitespace() {
        let sources = [
            "[class~=sidebar]",
            "[class~=widget-area]",
            "[class~=post]",
            "[class~=share]",
            "[class~=widget]",
            "aside[class~=widget]",
        ];
        check_all(&sources, true, 0);
        // Never match: an empty word, a word with a space in it.
        let doc = Html::parse_document(PAGE);
        for s in [
            "[class~='']",
            "[title~='a b']",
            "[class*='']",
            "[class^='']",
        ] {
            let fast = set(&[s]);
            assert!(fast.generic.is_empty(), "{s}");
            let sel = Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
            for el in elements(&doc) {
                assert!(!fast.matches(el) && !sel.matches(&el), "{s}");
            }
        }
    }

    #[test]
    fn namespaced_attributes_are_not_tested() {
        let doc = Html::parse_document(PAGE);
        let fast = set(&["[href*=share]"]);
        assert!(fast.generic.is_empty());
        let sel = Selector::parse("[href*=share]").unwrap_or_else(|e| panic!("{e:?}"));
        let xlink = elements(&doc)
            .into_iter()
            .find(|el| el.value().attrs().any(|(_, v)| v == "#share"))
            .unwrap_or_else(|| panic!("no xlink:href in the page"));
        assert!(!sel.matches(&xlink));
        assert!(!fast.matches(xlink));
    }

    #[test]
    fn presence() {
        check_all(&["[hidden]", "div[hidden]", "[aria-hidden]"], true, 0);
    }

    #[test]
    fn lists_of_simple_selectors() {
        check_all(
            &["nav, [class*=share], footer", "[class*='a, b'], nav"],
            true,
            0,
        );
    }

    #[test]
    fn everything_else_is_generic() {
        let sources = [
            "body > header",
            "[hidden]:not([id^='S:'])",
            "section aside",
            ".share-bar",
            "#sidebar",
            "[class*=share i]",
            "[class*=share s]",
            "[lang=en]",
            "[type=hidden]",
            "NAV",
            "[CLASS*=share]",
            "header:first-child",
            "n\\61v",
            "nav, body > header",
        ];
        check_all(&sources, false, 0);
    }

    #[test]
    fn canonical_form_is_read_as_expected() {
        assert_eq!(
            parse_canonical("div[class*=\"a, b\"], nav"),
            Some(vec![
                Simple::Attr {
                    tag: Some("div".into()),
                    name: "class".into(),
                    op: Op::Substring,
                    value: "a, b".into()
                },
                Simple::Tag("nav".into()),
            ])
        );
        let sel = Selector::parse("[ class *= 'share' ]").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(sel.to_css_string(), "[class*=\"share\"]");
        assert_eq!(parse_canonical("[class*=\"a\\\"b\"]"), None);
        assert_eq!(parse_canonical("nav > a"), None);
    }

    /// The one-pass result equals separate `select` walks, each element kept at its
    /// first appearance: same elements, same first selector, same order.
    #[test]
    fn first_matches_equal_separate_walks() {
        let doc = Html::parse_document(PAGE);
        let rules: [&[&str]; 3] = [
            &["footer", "body > header", "[hidden]:not([id^='S:'])", "nav"],
            &[
                "[class*=share]",
                "[class~=sidebar]",
                "[id=sidebar]",
                "[class*=related]",
                "nav",
                "[class*=promo]",
                "b",
                "section aside",
            ],
            &["div", "[class*=share]", "p"],
        ];
        let sets: Vec<SelectorSet> = rules.iter().map(|r| set(r)).collect();
        let refs: Vec<&SelectorSet> = sets.iter().collect();
        let got: Vec<(usize, usize, NodeId)> = first_matches(&doc, &refs)
            .iter()
            .map(|m| (m.set, m.selector, m.element.id()))
            .collect();
        let mut want = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (r, sources) in rules.iter().enumerate() {
            for (i, s) in sources.iter().enumerate() {
                let sel = Selector::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"));
                for el in doc.select(&sel) {
                    if seen.insert(el.id()) {
                        want.push((r, i, el.id()));
                    }
                }
            }
        }
        assert!(want.len() > 10, "{want:?}");
        assert_eq!(got, want);
    }
}
