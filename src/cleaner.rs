//! The cleaning pipeline for one document, in its fixed order, from its bytes
//! ([`Cleaner::clean_bytes`], the one entry every caller takes):
//!
//! 1. decode: a binary input refused, its kind (plain text or HTML) and encoding found,
//!    its text decoded to UTF-8 ([`crate::decode`]);
//! 2. split off the provenance header (kept verbatim: no filter sees it);
//! 3. resolve the site whose rules apply (header, caller, then an HTML page's metadata);
//! 4. HTML pages: parse, the markup stages (drop-elements, pick-content,
//!    drop-link-blocks), render to lines, drop the lines repeating the header's title and
//!    date;
//! 5. the text filters, in the order [`crate::filters::KINDS`] lists, under the article
//!    guard, then normalise;
//! 6. the [`Cleaned`] document: header verbatim, blank line, body; its encoding and every
//!    line's fate for `--explain`.
//!
//! Text that is already a string (a JSON record's field, a rule file's `[[test]]` input)
//! enters at step 2 ([`Cleaner::clean`]): it has no bytes to decode.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use crate::decode::{self, DecodeError, EncodingUsed, Hints, Kind};
use crate::document::{Body, Reason};
use crate::filters::{self, Context, Pipeline};
use crate::guard::{self, LearnedHeld};
use crate::html::{self, ElementDecision};
use crate::rules::{RuleErrors, RuleTest, Rules};
use crate::site;

/// Cleans documents with a fixed set of compiled rules. Cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: Arc<Rules>,
}

/// What is known of a document besides its text.
#[derive(Debug, Clone, Default)]
pub struct DocumentInfo {
    /// A site to use when neither the header nor [`DocumentInfo::url`] names one
    /// (`--site`, or a host-named directory).
    pub site: Option<String>,
    /// The URL the page was fetched from, when the caller knows it (a JSONL record's URL
    /// field). A URL in the document's own header takes precedence; this one comes before
    /// [`DocumentInfo::site`] and, for HTML pages, before the page's metadata.
    pub url: Option<String>,
    /// Where and when the page was captured, when an archive says (a WARC record): the
    /// provenance its header is written from; see [`Capture`].
    pub capture: Option<Capture>,
}

/// Where and when a page was captured, as the archive holding it says (a WARC record's
/// `WARC-Target-URI` and `WARC-Date`): its provenance, as a scraper writes in `url:` and
/// `date:` lines.
///
/// An HTML page without a header of its own takes its header's `url` and `date` fields
/// from the capture instead of its metadata (the other fields, title, author and site,
/// still come from the metadata; the rule file's `html-fields` and `html-format` still
/// choose and write them). A plain-text page gets `url: …` and `date: …` lines first in its
/// header, before any header lines of its own. The capture's URL names the page's site
/// when its own header names none, as [`DocumentInfo::url`] does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capture {
    /// The URL the page was fetched from.
    pub url: Option<String>,
    /// When it was fetched, as the archive writes it (`2025-04-02T08:30:00Z`).
    pub date: Option<String>,
}

impl Capture {
    /// The value of a header field the capture knows: `url` or `date`.
    fn field(&self, key: &str) -> Option<&str> {
        match key {
            "url" => self.url.as_deref(),
            "date" => self.date.as_deref(),
            _ => None,
        }
        .map(str::trim)
        .filter(|v| !v.is_empty())
    }

    /// The capture as plain-text header lines: `url: …`, `date: …`.
    fn text_header(&self) -> impl Iterator<Item = String> + '_ {
        ["url", "date"]
            .into_iter()
            .filter_map(|k| self.field(k).map(|v| format!("{k}: {v}")))
    }
}

/// A cleaned document: its header, its body with every line's fate, and its site.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// The provenance header lines, verbatim.
    pub header: Vec<String>,
    /// Every body line, kept or dropped with its reason.
    pub body: Body,
    /// The site whose rules were used, if one was known.
    pub site: Option<String>,
    /// The page's URL, if one is known: the first http(s) URL in its header, else
    /// [`DocumentInfo::url`], else (HTML pages) the canonical URL of its metadata.
    pub url: Option<String>,
    /// HTML pages: the elements removed before rendering.
    pub removed_elements: Vec<ElementDecision>,
    /// HTML pages: the element rendered as the content root, when one was picked.
    pub content_root: Option<ElementDecision>,
    /// HTML pages nested deeper than 512 levels: how deep they nested. The tags below that
    /// depth were removed before parsing and their text kept.
    pub markup_depth: Option<usize>,
    /// Set when the site's learned rules were not applied to the page because they would
    /// have removed most of its sentence-like text (the article guard): how much.
    pub learned_held: Option<LearnedHeld>,
    /// HTML pages with an element of more than 1000 attributes: the most one element had.
    /// The attributes after that many were removed before parsing.
    pub markup_attributes: Option<usize>,
    /// The encoding the document's bytes were decoded from, how it was found and how many
    /// invalid bytes were replaced; `None` when it came as text ([`Cleaner::clean`]).
    pub encoding: Option<EncodingUsed>,
    trim: bool,
}

impl Cleaner {
    /// A cleaner using `rules`.
    pub fn new(rules: Rules) -> Self {
        Cleaner {
            rules: Arc::new(rules),
        }
    }

    /// A cleaner with the embedded default rules.
    pub fn with_default_rules() -> Result<Self, RuleErrors> {
        Ok(Cleaner::new(Rules::embedded()?))
    }

    /// The rules in use.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Cleans one document from its bytes: the one entry from bytes to a cleaned
    /// document, which every input (a file, stdin, a JSON Lines batch, a WARC record, site
    /// learning, the samples) goes through. Its steps, in order (the module docs say more):
    /// decode, then the page's own pipeline, as text or as HTML.
    ///
    /// `hints` says what is known of the bytes (their file name, a kind and charset their
    /// transport declared). A binary input (a NUL byte near its start) is an error.
    pub fn clean_bytes(
        &self,
        bytes: &[u8],
        hints: &Hints<'_>,
        info: &DocumentInfo,
    ) -> Result<Cleaned, DecodeError> {
        // 1. Decode: binary refused, kind and encoding found, text in UTF-8.
        let decoded = decode::decode(bytes, hints)?;
        // 2–6. Header, site, (HTML: parse, markup stages, render), text stages.
        let cleaned = self.clean_as(&decoded.text, decoded.kind, info);
        Ok(Cleaned {
            encoding: Some(decoded.encoding),
            ..cleaned
        })
    }

    /// Cleans one document that is already text, HTML or plain text as its first bytes
    /// say: [`Cleaner::clean_bytes`] after its decoding step. A string has no encoding to
    /// find: a `<meta charset>` in it is not followed, a byte-order mark or a NUL byte in
    /// it is not judged (a JSON record's text field, a rule file's `[[test]]` input).
    pub fn clean(&self, text: &str, info: &DocumentInfo) -> Cleaned {
        self.clean_as(text, decode::kind_of(None, text.as_bytes()), info)
    }

    /// Cleans one document that is already text, as the `kind` given.
    fn clean_as(&self, text: &str, kind: Kind, info: &DocumentInfo) -> Cleaned {
        match kind {
            Kind::Text => self.clean_text(text, info),
            Kind::Html => self.clean_html(text, info),
        }
    }

    /// Cleans a string as a plain-text document (its kind not guessed):
    /// [`Cleaner::clean_bytes`]'s steps after decoding, for text.
    pub fn clean_text(&self, text: &str, info: &DocumentInfo) -> Cleaned {
        // 2. The provenance header, and what a capture adds before it.
        let split = self.rules.header().split(text);
        let mut body = Body::with_lines(split.body_len(), split.body());
        let mut header = split.header;
        if let Some(capture) = &info.capture {
            header.splice(0..0, capture.text_header());
        }
        // 3. The site, and its pipeline.
        let (url, site) = page_url_and_site(&header, info);
        let pipeline = self.rules.pipeline(site.as_deref());
        // 5. The text stages, under the article guard.
        let learned_held = filter_guarded(
            pipeline,
            &mut body,
            |b| b,
            Context::default(),
            None,
            |before, body| (before.restore(body), Context::default()),
        );
        Cleaned {
            header,
            body,
            site,
            url,
            removed_elements: Vec::new(),
            content_root: None,
            markup_depth: None,
            learned_held,
            markup_attributes: None,
            encoding: None,
            trim: pipeline.trims(),
        }
    }

    /// Cleans a string as an HTML page (its kind not guessed): [`Cleaner::clean_bytes`]'s
    /// steps after decoding, for HTML: parse, remove non-content elements, render to text
    /// lines, then the text filters. A provenance header written before the markup is kept;
    /// without one, the header is built from the page's metadata. Tags nested deeper than
    /// 512 levels are removed before parsing, their text kept ([`Cleaned::markup_depth`]
    /// tells), and so are the attributes of an element after its first 1000
    /// ([`Cleaned::markup_attributes`] tells).
    pub fn clean_html(&self, text: &str, info: &DocumentInfo) -> Cleaned {
        self.clean_html_in(text, info, None)
    }

    /// [`Cleaner::clean_html`]; for site learning (`learning` given), the body is the
    /// lines the markup renders to before any text filter and without the learned element
    /// rules, and the page's element signatures are added to `learning`.
    fn clean_html_in(
        &self,
        text: &str,
        info: &DocumentInfo,
        learning: Option<&mut Vec<(String, u64)>>,
    ) -> Cleaned {
        // 2. The provenance header before the markup, if any; the markup parsed.
        let (header, markup) = self.rules.header().split_markup(text);
        let (doc, caps) = html::parse(&markup);
        // 3. The site (the header's, the caller's, else the metadata's), its pipeline,
        // and the header: the page's own, else written from its capture and metadata.
        let meta = html::meta(&doc);
        let (url, site) = page_url_and_site(&header, info);
        let url = url.or_else(|| meta.url.clone());
        let site = site.or_else(|| {
            meta.url
                .as_ref()
                .and_then(|u| site::from_header(std::slice::from_ref(u)))
        });
        let pipeline = self.rules.pipeline(site.as_deref());
        let header = match &info.capture {
            None if header.is_empty() => self.rules.header().html_header(|k| meta.field(k)),
            Some(c) if header.is_empty() => self
                .rules
                .header()
                .html_header(|k| c.field(k).or_else(|| meta.field(k))),
            Some(c) => c.text_header().chain(header).collect(),
            None => header,
        };
        // 4–5. The markup stages and rendering, then the text stages under the guard.
        let page = match learning {
            None => {
                let page = html_body(&doc, &meta, &header, &pipeline.drop_elements, pipeline);
                filter_html(&doc, &meta, &header, pipeline, page)
            }
            Some(elements) => {
                elements.extend(html::element_signatures(&doc));
                // What learning found must not hide what it counts; and it counts the
                // lines before any text filter.
                html_body(&doc, &meta, &header, &unlearned(pipeline), pipeline)
            }
        };
        Cleaned {
            header,
            body: page.body,
            site,
            url,
            removed_elements: page.removed,
            content_root: page.root,
            markup_depth: caps.depth,
            markup_attributes: caps.attributes,
            learned_held: page.learned_held,
            encoding: None,
            trim: pipeline.trims(),
        }
    }
}

/// An HTML page rendered to lines, before or after the text filters.
struct HtmlPage {
    body: Body,
    /// The elements removed before rendering, and their nodes.
    removed: Vec<ElementDecision>,
    removed_nodes: Vec<ego_tree::NodeId>,
    root: Option<ElementDecision>,
    title_in_header: bool,
    learned_held: Option<LearnedHeld>,
}

impl HtmlPage {
    fn context(&self) -> Context {
        Context {
            located: self.root.is_some(),
            title_in_header: self.title_in_header,
            without_learned: false,
        }
    }
}

/// The drop-elements rules of `pipeline` but the learned one.
fn unlearned(pipeline: &Pipeline) -> Vec<Arc<crate::filters::drop_elements::Rule>> {
    pipeline
        .drop_elements
        .iter()
        .filter(|r| r.id != crate::filters::drop_elements::LEARNED_RULE_ID)
        .cloned()
        .collect()
}

/// Renders a parsed page without the elements `drop_elements` names, and drops the lines
/// near the top that repeat the header's title and date.
fn html_body(
    doc: &scraper::Html,
    meta: &html::Meta,
    header: &[String],
    drop_elements: &[Arc<crate::filters::drop_elements::Rule>],
    pipeline: &Pipeline,
) -> HtmlPage {
    let selection = crate::filters::markup::select(
        doc,
        drop_elements,
        &pipeline.pick_content,
        &pipeline.drop_link_blocks,
    );
    let rendered = html::render(doc, &selection);
    let mut body = Body::new(
        rendered
            .lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (i + 1, l)),
    );
    body.set_blocks(rendered.blocks);
    // The header stage: the lines repeating the header's title and date.
    let title_in_header = filters::header::apply(&mut body, meta, header);
    HtmlPage {
        body,
        removed: rendered.removed,
        removed_nodes: rendered.removed_nodes,
        root: rendered.root,
        title_in_header,
        learned_held: None,
    }
}

/// Runs the text filters over a rendered page under the article guard; when the learned
/// rules would take most of its prose, the page is rendered again without the learned
/// element rule (if it removed anything) and filtered without the learned lines.
fn filter_html(
    doc: &scraper::Html,
    meta: &html::Meta,
    header: &[String],
    pipeline: &Pipeline,
    mut page: HtmlPage,
) -> HtmlPage {
    let learned_nodes: Vec<ego_tree::NodeId> = page
        .removed
        .iter()
        .zip(&page.removed_nodes)
        .filter(|(e, _)| guard::is_learned(&e.reason))
        .map(|(_, n)| *n)
        .collect();
    let learned_elements =
        (!learned_nodes.is_empty()).then(|| html::prose_words(doc, &learned_nodes));
    let cx = page.context();
    page.learned_held = filter_guarded(
        pipeline,
        &mut page,
        |p| &mut p.body,
        cx,
        learned_elements,
        |before, page| {
            let again = match learned_elements {
                None => HtmlPage {
                    body: before.restore(&page.body),
                    removed: page.removed.clone(),
                    removed_nodes: page.removed_nodes.clone(),
                    root: page.root.clone(),
                    title_in_header: page.title_in_header,
                    learned_held: None,
                },
                Some(_) => html_body(doc, meta, header, &unlearned(pipeline), pipeline),
            };
            let cx = again.context();
            (again, cx)
        },
    );
    page
}

/// Runs the text filters over a page (its body reached through `body`) under the article
/// guard ([`guard`]), the one place where learned rules meet a page. When the learned
/// rules may have taken most of the page's prose (`learned_elements`: the prose of the
/// elements a learned rule removed before rendering, if it removed any), `without` gives
/// the page as it was before the filters, without what the learned rules did, and it is
/// filtered without them; if they did take most of it, that page replaces `page` and the
/// verdict is returned.
fn filter_guarded<P>(
    pipeline: &Pipeline,
    page: &mut P,
    body: fn(&mut P) -> &mut Body,
    cx: Context,
    learned_elements: Option<usize>,
    without: impl FnOnce(&guard::Before, &P) -> (P, Context),
) -> Option<LearnedHeld> {
    let before = (pipeline.has_learned_lines() || learned_elements.is_some())
        .then(|| guard::Before::of(body(page), learned_elements.unwrap_or(0)));
    pipeline.run_with(body(page), cx);
    let before = before.filter(|b| b.suspects(body(page), learned_elements.is_some()))?;
    let (mut again, cx) = without(&before, page);
    pipeline.run_with(
        body(&mut again),
        Context {
            without_learned: true,
            ..cx
        },
    );
    let held = guard::verdict(body(page), body(&mut again))?;
    *page = again;
    Some(held)
}

impl Cleaner {
    /// Runs one rule-file test case, its input cleaned as HTML or plain text as its first
    /// bytes say ([`Cleaner::clean`]); the problems found, empty when it passes.
    pub fn run_test(&self, test: &RuleTest) -> Vec<String> {
        let info = DocumentInfo {
            site: test.site.clone(),
            url: None,
            capture: None,
        };
        // The input is cleaned as a page of its kind: an HTML input is parsed as HTML. It is
        // text already (a TOML string), so it enters the pipeline after decoding.
        let cleaned = self.clean(&test.input, &info);
        let kept: HashSet<&str> = cleaned.kept_lines().map(str::trim).collect();
        let mut problems = Vec::new();
        for line in &test.keep {
            if !kept.contains(line.trim()) {
                problems.push(format!(
                    "should keep {:?}, but it was dropped or missing",
                    line.trim()
                ));
            }
        }
        for line in &test.drop {
            if kept.contains(line.trim()) {
                problems.push(format!("should drop {:?}, but it was kept", line.trim()));
            }
        }
        problems
    }
}

impl Cleaner {
    /// The site of a document as cleaning will find it, cheaply: from its header and what
    /// the caller knows, else, for an HTML page, from the canonical URL (or `og:url`) in
    /// its `<head>`, which alone is parsed. Used to group a batch's pages for learning.
    /// `text` and `kind` are the document decoded as [`Cleaner::clean_bytes`] decodes it
    /// ([`crate::decode::decode`]).
    pub fn site_of(&self, text: &str, kind: Kind, info: &DocumentInfo) -> Option<String> {
        if kind == Kind::Text {
            let header = self.rules.header().header_of(text);
            return page_url_and_site(&header, info).1;
        }
        let (header, markup) = self.rules.header().split_markup(text);
        if let Some(site) = page_url_and_site(&header, info).1 {
            return Some(site);
        }
        let (doc, _) = html::parse(html::head(&markup));
        html::meta(&doc)
            .url
            .and_then(|u| site::from_header(std::slice::from_ref(&u)))
    }

    /// The lines of a document that site learning counts: the body lines before the text
    /// filters (for an HTML page, the lines its markup renders to once the non-content
    /// elements are gone). Whatever else the filters remove, a repeated line is learned,
    /// so that dropping it cannot change what the other filters decide and learning again
    /// finds the same lines.
    ///
    /// For an HTML page, also its element signatures: each element with a stable class or
    /// id, as its selector and the key of its text (`hash::text_key`). `text` and `kind`
    /// are the document decoded as [`Cleaner::clean_bytes`] decodes it.
    pub(crate) fn learning_view(
        &self,
        text: &str,
        kind: Kind,
        info: &DocumentInfo,
    ) -> crate::learn::PageView {
        if kind == Kind::Html {
            let mut elements = Vec::new();
            let cleaned = self.clean_html_in(text, info, Some(&mut elements));
            let body = &cleaned.body;
            let lines = (0..body.len())
                .filter(|&i| body.is_live(i))
                .map(|i| body.text(i).to_string())
                .collect();
            return crate::learn::PageView { lines, elements };
        }
        let lines = self
            .rules
            .header()
            .split(text)
            .body()
            .map(|(_, line)| line)
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect();
        crate::learn::PageView {
            lines,
            elements: Vec::new(),
        }
    }
}

/// The page's URL and site from its header and what the caller knows: the header's URL,
/// else the caller's URL; the site from the first of them with a host, else the caller's
/// site.
fn page_url_and_site(header: &[String], info: &DocumentInfo) -> (Option<String>, Option<String>) {
    let header_url = site::url_in_header(header);
    let captured_url = info.capture.as_ref().and_then(|c| c.field("url"));
    let given_url = info
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .or(captured_url);
    let site = header_url
        .and_then(site::from_url)
        .or_else(|| given_url.and_then(site::from_url))
        .or_else(|| info.site.as_deref().map(site::normalize_host));
    (header_url.or(given_url).map(str::to_string), site)
}

impl Cleaned {
    /// The kept body lines alone, without the header (`--no-header`).
    pub fn body_text(&self) -> String {
        let mut out = String::new();
        for line in self.kept_lines() {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The output text: the header, a blank line, then the kept body lines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for h in &self.header {
            out.push_str(h);
            out.push('\n');
        }
        let mut body = self.kept_lines().peekable();
        if !self.header.is_empty() && body.peek().is_some() {
            out.push('\n');
        }
        for line in body {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// The kept body lines, as they are written.
    pub fn kept_lines(&self) -> impl Iterator<Item = &str> {
        self.body
            .iter()
            .enumerate()
            .filter(|(_, (l, _))| l.dropped.is_none())
            .map(|(i, (_, text))| {
                if self.body.preformatted(i) {
                    text.trim_end()
                } else if self.trim {
                    text.trim()
                } else {
                    text.trim_end_matches(['\r', '\n'])
                }
            })
    }

    /// Non-blank lines (and HTML elements) removed, counted by filter kind.
    pub fn removed_by_filter(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for e in &self.removed_elements {
            *counts.entry(e.reason.filter).or_default() += 1;
        }
        for r in self.removed() {
            *counts.entry(r.filter).or_default() += 1;
        }
        counts
    }

    /// The reasons of the removed non-blank lines, in order.
    pub fn removed(&self) -> impl Iterator<Item = &Reason> {
        let body = &self.body;
        (0..body.len())
            .filter(|&i| !body.is_blank(i))
            .filter_map(|i| body.lines[i].dropped.as_ref())
    }

    /// Every input line with its fate, for `--explain`: the encoding its bytes were
    /// decoded from (when they were), its site, header lines, then body lines.
    pub fn explain(&self) -> String {
        let width = self
            .body
            .lines
            .iter()
            .map(|l| l.number)
            .max()
            .unwrap_or(1)
            .to_string()
            .len()
            .max(3);
        let mut out = String::new();
        if let Some(encoding) = &self.encoding {
            out.push_str(&format!("# encoding: {encoding}\n"));
        }
        if let Some(site) = &self.site {
            out.push_str(&format!("# site: {site}\n"));
        }
        if let Some(held) = &self.learned_held {
            out.push_str(&format!(
                "# article-guard: {held} ({} of {} words)\n",
                held.removed_words(),
                held.prose_words
            ));
        }
        for h in &self.header {
            out.push_str(&format!("{:>width$}  {:<36} | {h}\n", "", "header"));
        }
        if let Some(root) = &self.content_root {
            out.push_str(&format!(
                "{:>width$}  {:<36} | <{}>\n",
                "",
                format!("root {}", root.reason),
                root.element
            ));
        }
        for e in &self.removed_elements {
            out.push_str(&format!(
                "{:>width$}  {:<36} | <{}>\n",
                "",
                format!("drop {}", e.reason),
                e.element
            ));
        }
        for (i, (line, text)) in self.body.iter().enumerate() {
            if self.body.is_blank(i) {
                continue;
            }
            let fate = match &line.dropped {
                None => "keep".to_string(),
                Some(r) => format!("drop {r}"),
            };
            out.push_str(&format!(
                "{:>width$}  {fate:<36} | {}\n",
                line.number,
                text.trim()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default rules compile once for all the tests (slow in a debug build).
    fn cleaner() -> &'static Cleaner {
        static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
        CLEANER.get_or_init(|| Cleaner::with_default_rules().unwrap_or_else(|e| panic!("{e}")))
    }

    fn info(url: Option<&str>, site: Option<&str>) -> DocumentInfo {
        DocumentInfo {
            site: site.map(str::to_string),
            url: url.map(str::to_string),
            capture: None,
        }
    }

    /// The public documentation gives the caps as numbers (their constants are the crate's).
    #[test]
    fn the_documented_caps_are_the_caps() {
        assert_eq!(
            html::MAX_DEPTH,
            512,
            "Cleaner::clean_html, Cleaned::markup_depth"
        );
        assert_eq!(html::MAX_ATTRIBUTES, 1000, "Cleaned::markup_attributes");
        assert_eq!(
            crate::decode::BINARY_CHECK_BYTES,
            8192,
            "DecodeError::Binary"
        );
    }

    #[test]
    fn the_stages_run_in_the_order_the_registry_lists_them() {
        use crate::filters::{KINDS, testing::stages_run};
        let html = "<html><head><title>Bridge to close</title></head><body><h1>Bridge to \
close</h1><article><p>The council voted on Tuesday to close the old bridge to cars for the \
summer, after engineers found its supports weakened.</p></article></body></html>";
        let ran = stages_run(|| {
            cleaner().clean_html(html, &DocumentInfo::default());
        });
        let all: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        assert_eq!(ran, all, "an HTML page runs every stage, in KINDS order");
        // A plain-text page runs the text stages alone, in the same order.
        let ran = stages_run(|| {
            cleaner().clean_text(
                "Bridge to close\nThe council voted.\n",
                &DocumentInfo::default(),
            );
        });
        let first_text = KINDS
            .iter()
            .position(|k| k.name == "cut-at-marker")
            .unwrap_or_else(|| panic!("cut-at-marker is a kind"));
        assert_eq!(ran, all[first_text..]);
    }

    #[test]
    fn the_later_runs_read_the_memos_and_decide_as_if_they_measured_again() {
        // Every bundled sample of a text page, whose cleaning takes several runs of the
        // stages: the memoized runs drop exactly the lines, with the reasons, of runs that
        // measure every line afresh.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut pages = 0;
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path().join("input.txt")) else {
                continue;
            };
            let split = cleaner().rules.header().split(&text);
            let body = Body::with_lines(split.body_len(), split.body());
            let pipeline = cleaner().rules.pipeline(None);
            let (mut memoized, mut fresh) = (body.clone(), body);
            pipeline.run_with(&mut memoized, Context::default());
            pipeline.run_unmemoized(&mut fresh, Context::default());
            let fates = |b: &Body| -> Vec<Option<String>> {
                b.lines
                    .iter()
                    .map(|l| l.dropped.as_ref().map(ToString::to_string))
                    .collect()
            };
            assert_eq!(
                fates(&memoized),
                fates(&fresh),
                "{}",
                entry.path().display()
            );
            pages += 1;
        }
        assert!(pages >= 10, "only {pages} text samples were read");
    }

    #[test]
    fn url_and_site_come_from_the_header_first() {
        let page = "url: https://News.Example/a\n\nSome text.\n";
        let c = cleaner().clean_text(
            page,
            &info(Some("https://other.example/b"), Some("x.example")),
        );
        assert_eq!(c.url.as_deref(), Some("https://News.Example/a"));
        assert_eq!(c.site.as_deref(), Some("news.example"));
    }

    #[test]
    fn the_callers_url_names_the_site_when_the_header_does_not() {
        let page = "Some text.\n";
        let c = cleaner().clean_text(
            page,
            &info(Some(" https://www.news.example/b "), Some("x.example")),
        );
        assert_eq!(c.url.as_deref(), Some("https://www.news.example/b"));
        assert_eq!(c.site.as_deref(), Some("www.news.example"));

        // A URL without a host still is the page's URL, but the site falls back.
        let c = cleaner().clean_text(page, &info(Some("page-17"), Some("X.Example")));
        assert_eq!(c.url.as_deref(), Some("page-17"));
        assert_eq!(c.site.as_deref(), Some("x.example"));

        let c = cleaner().clean_text(page, &info(None, None));
        assert_eq!((c.url, c.site), (None, None));
    }

    fn captured(url: &str, date: &str) -> DocumentInfo {
        DocumentInfo {
            capture: Some(Capture {
                url: Some(url.to_string()),
                date: Some(date.to_string()),
            }),
            ..DocumentInfo::default()
        }
    }

    #[test]
    fn a_capture_heads_a_text_page() {
        let info = captured("https://www.news.example/a", "2025-04-02T08:30:00Z");
        let c = cleaner().clean_text("Some text.\n", &info);
        assert_eq!(
            c.header,
            [
                "url: https://www.news.example/a",
                "date: 2025-04-02T08:30:00Z"
            ]
        );
        assert_eq!(c.site.as_deref(), Some("www.news.example"));
        assert_eq!(c.body_text(), "Some text.\n");
        // The page's own header lines follow.
        let c = cleaner().clean_text("source: Wire\n\nSome text.\n", &info);
        assert_eq!(c.header.len(), 3);
        assert_eq!(c.header[2], "source: Wire");
    }

    #[test]
    fn a_capture_gives_an_html_header_its_url_and_date() {
        let page = "<!doctype html><html><head><title>Bridge closes</title>\
<link rel=canonical href=\"https://meta.example/story\">\
<meta property=\"article:published_time\" content=\"2025-03-30\">\
<meta name=author content=\"A. Writer\"></head><body><article><h1>Bridge closes</h1>\
<p>30 March 2025</p><p>The council voted on Tuesday to close the old bridge to cars for \
the summer, after engineers found that two of its supports had been weakened.</p>\
</article></body></html>";
        let c = cleaner().clean(
            page,
            &captured("https://fetched.example/s", "2025-04-02T08:30:00Z"),
        );
        assert_eq!(
            c.header,
            [
                "url: https://fetched.example/s",
                "title: Bridge closes",
                "date: 2025-04-02T08:30:00Z",
                "author: A. Writer",
            ]
        );
        assert_eq!(c.url.as_deref(), Some("https://fetched.example/s"));
        assert_eq!(c.site.as_deref(), Some("fetched.example"));
        // The publication date is not in the header: its line stays in the body.
        assert!(
            c.body_text().starts_with("30 March 2025\n"),
            "{}",
            c.body_text()
        );
        let alone = cleaner().clean(page, &DocumentInfo::default());
        assert_eq!(alone.header[2], "date: 2025-03-30");
        assert!(!alone.body_text().contains("30 March 2025"));
    }

    /// Bytes named `name`.
    fn named(name: &str) -> Hints<'_> {
        Hints {
            name: Some(std::path::Path::new(name)),
            ..Hints::default()
        }
    }

    #[test]
    fn bytes_are_decoded_then_cleaned_and_explain_tells_the_encoding() {
        let page = b"url: https://news.example/a\n\nThe caf\xe9 on the pier opens again.\n";
        let c = cleaner().clean_bytes(page, &named("a.txt"), &DocumentInfo::default());
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.body_text(), "The café on the pier opens again.\n");
        let explain = c.explain();
        assert!(
            explain.starts_with("# encoding: windows-1252 (detected)\n# site: news.example\n"),
            "{explain}"
        );
        // The same text given as a string: the same page, with no encoding to tell.
        let text = "url: https://news.example/a\n\nThe café on the pier opens again.\n";
        let s = cleaner().clean(text, &DocumentInfo::default());
        assert_eq!(s.text(), c.text());
        assert!(s.explain().starts_with("# site: "), "{}", s.explain());
    }

    #[test]
    fn the_name_or_the_first_bytes_make_a_page_html() {
        let page = b"<p>The ferry sails at six.</p>\n";
        let as_html = cleaner().clean_bytes(page, &named("a.html.gz"), &DocumentInfo::default());
        let as_text = cleaner().clean_bytes(page, &named("a.txt"), &DocumentInfo::default());
        assert_eq!(
            as_html.map(|c| c.body_text()).ok().as_deref(),
            Some("The ferry sails at six.\n")
        );
        assert_eq!(
            as_text.map(|c| c.body_text()).ok().as_deref(),
            Some("<p>The ferry sails at six.</p>\n")
        );
    }

    #[test]
    fn binary_bytes_are_refused() {
        let r = cleaner().clean_bytes(b"PK\x03\x04\0\0", &named("a.txt"), &DocumentInfo::default());
        assert_eq!(r.err(), Some(DecodeError::Binary { offset: 4 }));
    }

    #[test]
    fn a_string_is_text_already() {
        // Its `<meta charset>` is not followed: it is not decoded a second time.
        let page = "<html><head><meta charset=\"iso-8859-1\"></head>\
<body><p>The café on the pier opens again.</p></body></html>";
        let c = cleaner().clean(page, &DocumentInfo::default());
        assert_eq!(c.body_text(), "The café on the pier opens again.\n");
        // A NUL character in it is no sign of a binary file.
        let c = cleaner().clean("The ferry\0 sails at six.\n", &DocumentInfo::default());
        assert_eq!(c.encoding, None);
        assert!(c.body_text().contains("sails at six."), "{}", c.body_text());
    }

    #[test]
    fn html_metadata_url_comes_last() {
        let page = "<!doctype html><html><head>\
<link rel=canonical href=\"https://meta.example/story\"></head>\
<body><p>Some text.</p></body></html>";
        let c = cleaner().clean(page, &info(None, None));
        assert_eq!(c.url.as_deref(), Some("https://meta.example/story"));
        assert_eq!(c.site.as_deref(), Some("meta.example"));

        let c = cleaner().clean(page, &info(Some("https://fetched.example/s"), None));
        assert_eq!(c.url.as_deref(), Some("https://fetched.example/s"));
        assert_eq!(c.site.as_deref(), Some("fetched.example"));
    }
}
