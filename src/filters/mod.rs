//! The filter kinds, their registry, and the fixed order in which they run.
//!
//! Every kind lives in its own file with its docs, its rule-file spec, its compiled rule
//! and its tests. [`KINDS`] lists them in pipeline order; it drives `declutr filters` and
//! `declutr explain KIND`, and a test checks that each kind's example does what it says.

use std::sync::Arc;

use crate::diag::Diag;
use crate::document::Body;
use crate::spec;

pub(crate) mod classify_blocks;
pub(crate) mod cut_at_marker;
pub(crate) mod drop_captions;
pub(crate) mod drop_elements;
pub(crate) mod drop_lines;
pub(crate) mod drop_link_blocks;
pub(crate) mod drop_link_lists;
pub(crate) mod drop_repeats;
pub(crate) mod drop_site_repeats;
pub(crate) mod line_index;
pub(crate) mod markup;
pub(crate) mod normalize;
pub(crate) mod pick_content;

/// What the registry knows of a filter kind.
#[derive(Debug)]
pub struct KindInfo {
    /// The kind's name, which is also its table name in rule files (`[[drop-lines]]`).
    pub name: &'static str,
    /// One line: what it removes.
    pub summary: &'static str,
    /// A paragraph: how it decides, and its safeguards.
    pub description: &'static str,
    /// A worked example.
    pub example: Example,
}

/// A worked example of a filter kind: rules, an input body, and the body it leaves.
#[derive(Debug)]
pub struct Example {
    /// The rule table(s), as TOML.
    pub rules: &'static str,
    /// The input body.
    pub input: &'static str,
    /// What the example's rules alone leave of it.
    pub output: &'static str,
}

/// Every filter kind, in the order the pipeline runs them.
pub const KINDS: [&KindInfo; 11] = [
    &drop_elements::KIND,
    &pick_content::KIND,
    &drop_link_blocks::KIND,
    &cut_at_marker::KIND,
    &drop_lines::KIND,
    &drop_site_repeats::KIND,
    &drop_captions::KIND,
    &drop_repeats::KIND,
    &drop_link_lists::KIND,
    &classify_blocks::KIND,
    &normalize::KIND,
];

/// Looks up a kind by name.
pub fn kind(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// One compiled rule of some kind.
#[derive(Debug, Clone)]
pub(crate) enum Compiled {
    DropElements(Arc<drop_elements::Rule>),
    PickContent(Arc<pick_content::Rule>),
    DropLinkBlocks(Arc<drop_link_blocks::Rule>),
    DropLines(Arc<drop_lines::Rule>),
    DropSiteRepeats(Arc<drop_site_repeats::Rule>),
    CutAtMarker(Arc<cut_at_marker::Rule>),
    DropCaptions(Arc<drop_captions::Rule>),
    DropRepeats(Arc<drop_repeats::Rule>),
    DropLinkLists(Arc<drop_link_lists::Rule>),
    ClassifyBlocks(Arc<classify_blocks::Rule>),
    Normalize(Arc<normalize::Rule>),
}

impl Compiled {
    /// The rule's id.
    pub(crate) fn id(&self) -> &str {
        match self {
            Compiled::DropElements(r) => &r.id,
            Compiled::PickContent(r) => &r.id,
            Compiled::DropLinkBlocks(r) => &r.id,
            Compiled::DropLines(r) => &r.id,
            Compiled::DropSiteRepeats(r) => &r.id,
            Compiled::CutAtMarker(r) => &r.id,
            Compiled::DropCaptions(r) => &r.id,
            Compiled::DropRepeats(r) => &r.id,
            Compiled::DropLinkLists(r) => &r.id,
            Compiled::ClassifyBlocks(r) => &r.id,
            Compiled::Normalize(r) => &r.id,
        }
    }

    /// The rule's kind name.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Compiled::DropElements(_) => drop_elements::KIND.name,
            Compiled::PickContent(_) => pick_content::KIND.name,
            Compiled::DropLinkBlocks(_) => drop_link_blocks::KIND.name,
            Compiled::DropLines(_) => drop_lines::KIND.name,
            Compiled::DropSiteRepeats(_) => drop_site_repeats::KIND.name,
            Compiled::CutAtMarker(_) => cut_at_marker::KIND.name,
            Compiled::DropCaptions(_) => drop_captions::KIND.name,
            Compiled::DropRepeats(_) => drop_repeats::KIND.name,
            Compiled::DropLinkLists(_) => drop_link_lists::KIND.name,
            Compiled::ClassifyBlocks(_) => classify_blocks::KIND.name,
            Compiled::Normalize(_) => normalize::KIND.name,
        }
    }
}

/// Decodes and compiles one rule table of kind `kind`; `None` (with the problem recorded)
/// when the table is wrong. Unknown kinds are reported by the caller.
pub(crate) fn compile(kind: &str, table: &toml_edit::Table, diag: &mut Diag) -> Option<Compiled> {
    Some(match kind {
        "drop-elements" => Compiled::DropElements(Arc::new(drop_elements::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "pick-content" => Compiled::PickContent(Arc::new(pick_content::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "drop-link-blocks" => Compiled::DropLinkBlocks(Arc::new(drop_link_blocks::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "drop-lines" => Compiled::DropLines(Arc::new(drop_lines::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "drop-site-repeats" => Compiled::DropSiteRepeats(Arc::new(
            drop_site_repeats::Rule::compile(spec::decode(table, diag)?, diag)?,
        )),
        "cut-at-marker" => Compiled::CutAtMarker(Arc::new(cut_at_marker::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "drop-captions" => Compiled::DropCaptions(Arc::new(drop_captions::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "drop-repeats" => Compiled::DropRepeats(Arc::new(drop_repeats::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "drop-link-lists" => Compiled::DropLinkLists(Arc::new(drop_link_lists::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "classify-blocks" => Compiled::ClassifyBlocks(Arc::new(classify_blocks::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        "normalize" => Compiled::Normalize(Arc::new(normalize::Rule::compile(
            spec::decode(table, diag)?,
            diag,
        )?)),
        _ => return None,
    })
}

/// Most runs of the stages over one body (see [`Pipeline::run_with`]).
const MAX_RUNS: usize = 4;

/// What is known of a document beyond its lines (from an HTML page's markup).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context {
    /// The body is the article's element alone (an HTML content root was picked).
    pub located: bool,
    /// The header already carries the title, so no body line is kept as the title.
    pub title_in_header: bool,
    /// The site's learned rules (`drop-site-repeats`) do not apply to this page: they
    /// would take its article ([`crate::guard`]).
    pub without_learned: bool,
}

/// The compiled rules for one site, grouped by kind, run in the fixed order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Pipeline {
    drop_elements: Vec<Arc<drop_elements::Rule>>,
    pick_content: Vec<Arc<pick_content::Rule>>,
    drop_link_blocks: Vec<Arc<drop_link_blocks::Rule>>,
    drop_lines: drop_lines::Stage,
    drop_site_repeats: Vec<Arc<drop_site_repeats::Rule>>,
    cut_at_marker: cut_at_marker::Stage,
    drop_captions: Vec<Arc<drop_captions::Rule>>,
    drop_repeats: Vec<Arc<drop_repeats::Rule>>,
    drop_link_lists: Vec<Arc<drop_link_lists::Rule>>,
    classify_blocks: Vec<Arc<classify_blocks::Rule>>,
    normalize: Vec<Arc<normalize::Rule>>,
}

impl Pipeline {
    /// Groups compiled rules by kind, keeping their order within a kind.
    pub(crate) fn new<'a>(rules: impl IntoIterator<Item = &'a Compiled>) -> Self {
        Pipeline::on(&Pipeline::default(), rules)
    }

    /// [`Pipeline::new`], sharing what it can with `base`: where the rules of a kind begin
    /// with `base`'s rules of that kind (a site file adding rules to the global ones), the
    /// index `base` built over them is reused and only the rules after them are indexed.
    /// No pattern is compiled again for a site.
    pub(crate) fn on<'a>(base: &Pipeline, rules: impl IntoIterator<Item = &'a Compiled>) -> Self {
        let mut p = Pipeline::default();
        let mut drop_lines = Vec::new();
        let mut cut_at_marker = Vec::new();
        for rule in rules {
            match rule.clone() {
                Compiled::DropElements(r) => p.drop_elements.push(r),
                Compiled::PickContent(r) => p.pick_content.push(r),
                Compiled::DropLinkBlocks(r) => p.drop_link_blocks.push(r),
                Compiled::DropLines(r) => drop_lines.push(r),
                Compiled::DropSiteRepeats(r) => p.drop_site_repeats.push(r),
                Compiled::CutAtMarker(r) => cut_at_marker.push(r),
                Compiled::DropCaptions(r) => p.drop_captions.push(r),
                Compiled::DropRepeats(r) => p.drop_repeats.push(r),
                Compiled::DropLinkLists(r) => p.drop_link_lists.push(r),
                Compiled::ClassifyBlocks(r) => p.classify_blocks.push(r),
                Compiled::Normalize(r) => p.normalize.push(r),
            }
        }
        p.drop_lines = drop_lines::stage_on(&base.drop_lines, drop_lines);
        p.cut_at_marker = cut_at_marker::stage_on(&base.cut_at_marker, cut_at_marker);
        p
    }

    /// Runs every stage over the body, in the one fixed order: the tail after a marker
    /// (first, so that a comment counter can mark where comments start), widgets, the
    /// site's learned repeats, captions, repeats, link lists, the general classifier, then
    /// whitespace; with what is known of the page from its markup.
    ///
    /// The output must be what cleaning it again would give. Several stages judge a line
    /// by its neighbours (the prose after a marker, a run of headlines, the distance
    /// between repeats, the best article region), and a later stage's removals change
    /// those; so the stages run again over what they kept until a run removes nothing (at
    /// most [`MAX_RUNS`] runs). Cleaning a cleaned page changes nothing.
    pub(crate) fn run_with(&self, body: &mut Body, cx: Context) {
        let live = |b: &Body| b.lines.iter().filter(|l| l.is_live()).count();
        for _ in 0..MAX_RUNS {
            let before = live(body);
            self.run_stages(body, cx);
            if live(body) == before {
                break;
            }
        }
    }

    /// One run of every stage, in the fixed order.
    fn run_stages(&self, body: &mut Body, cx: Context) {
        cut_at_marker::apply(&self.cut_at_marker, body);
        drop_lines::apply(&self.drop_lines, body);
        if !cx.without_learned {
            drop_site_repeats::apply(&self.drop_site_repeats, body);
        }
        drop_captions::apply(&self.drop_captions, body);
        drop_repeats::apply(&self.drop_repeats, body);
        drop_link_lists::apply(&self.drop_link_lists, body);
        // Once the markup has located the article, the general classifier's job (finding
        // it among a page's blocks) is done; inside an article it would cut at code
        // blocks, tables and long lists, which it cannot tell from menus.
        if !cx.located {
            classify_blocks::apply(&self.classify_blocks, body, cx.title_in_header);
        }
        normalize::apply(&self.normalize, body);
    }

    /// Whether the pipeline has learned line rules (`drop-site-repeats`), which the
    /// article guard checks on every page ([`crate::guard`]).
    pub(crate) fn has_learned_lines(&self) -> bool {
        !self.drop_site_repeats.is_empty()
    }

    /// The rules of the DOM stage (HTML pages only).
    pub(crate) fn drop_elements(&self) -> &[Arc<drop_elements::Rule>] {
        &self.drop_elements
    }

    /// The content-root rules (HTML pages only).
    pub(crate) fn pick_content(&self) -> &[Arc<pick_content::Rule>] {
        &self.pick_content
    }

    /// The link-density rules (HTML pages only).
    pub(crate) fn drop_link_blocks(&self) -> &[Arc<drop_link_blocks::Rule>] {
        &self.drop_link_blocks
    }

    /// Whether kept lines are trimmed when written (the last `normalize` rule's `trim`).
    pub(crate) fn trims(&self) -> bool {
        self.normalize.last().is_some_and(|r| r.trim)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the filters' unit tests.
    use super::*;
    use crate::diag::Diag;
    use crate::document::Body;

    /// Compiles every table of a TOML snippet and keeps the rules `pick` selects; panics
    /// with the diagnostics when the snippet is wrong (tests only).
    pub(crate) fn compile_rules<T>(
        toml: &str,
        pick: impl Fn(Compiled) -> Option<Arc<T>>,
    ) -> Vec<Arc<T>> {
        let doc = toml_edit::ImDocument::parse(toml.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let mut diag = Diag::new("test.toml", toml);
        let mut out = Vec::new();
        for (kind, item) in doc.iter() {
            let Some(tables) = item.as_array_of_tables() else {
                continue;
            };
            for table in tables.iter() {
                if let Some(c) = compile(kind, table, &mut diag) {
                    out.extend(pick(c));
                }
            }
        }
        assert!(diag.errors.is_empty(), "{:?}", diag.errors);
        out
    }

    /// Runs `f` over a body made of `input`'s lines and returns the kept non-blank lines.
    pub(crate) fn run(input: &str, f: impl FnOnce(&mut Body)) -> Vec<String> {
        let mut body = Body::new(
            input
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        );
        f(&mut body);
        body.lines
            .into_iter()
            .filter(|l| l.is_live())
            .map(|l| l.text.into_string())
            .collect()
    }

    /// Like [`run`], but keeps blank lines and trims each kept line.
    pub(crate) fn run_keep_blank(input: &str, f: impl FnOnce(&mut Body)) -> Vec<String> {
        let mut body = Body::new(
            input
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        );
        f(&mut body);
        body.lines
            .into_iter()
            .filter(|l| l.dropped.is_none())
            .map(|l| l.text.trim().to_string())
            .collect()
    }
}
