//! `drop-link-blocks`: HTML only: removes containers whose text is nearly all link text.
//!
//! Inside the article element sit blocks no class name gives away: a "More from this
//! section" list, a row of tag links, a "Read next" paragraph, a table of links to other
//! products. What they share is that almost all their text is the text of links, which
//! an article's paragraphs, however many links they cite, never is. Readability and
//! trafilatura both prune on link density; this kind does it with its thresholds in the
//! rule file.
//!
//! An element whose tag is in `tags` is removed with its subtree when at least
//! `min-link-density` of its visible text is inside `<a>` elements and it holds at most
//! `max-chars` bytes of text. The size bound keeps a page that is one long list of links
//! (an index, a catalogue) whole: the guard is in the rule, not in a guess. The content
//! root itself is never removed, and only the outermost matching element is listed.
//!
//! ```toml
//! [[drop-link-blocks]]
//! id = "link-lists"
//! tags = ["ul", "ol", "div", "p"]
//! min-link-density = 0.9
//! max-chars = 1000
//! ```

use crate::document::Body;
use std::collections::HashSet;
use std::sync::Arc;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use scraper::Node;
use serde::Deserialize;
use serde_spanned::Spanned;

use super::{Context, Example, Field, Filter, KindInfo};
use crate::diag::Diag;
use crate::document::{Reason, reason};
use crate::html::stats::Stats;
use crate::spec;

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "drop-link-blocks",
    summary: "HTML only: remove lists, divs and paragraphs whose text is nearly all link text (related lists, tag rows)",
    description: "Runs on HTML pages after the content root is picked. An element whose tag is \
listed is removed with its subtree when at least min-link-density of its text is link text and \
it holds at most max-chars bytes of text. The content root itself is never removed.",
    fields: &[
        Field {
            key: "tags",
            default: "required",
            meaning: "element names looked at (`\"ul\"`, `\"div\"`, `\"p\"`; names, not selectors)",
        },
        Field {
            key: "min-link-density",
            default: "0.9",
            meaning: "share of the element's text inside `<a>` from which it is removed",
        },
        Field {
            key: "max-chars",
            default: "1000",
            meaning: "an element holding more text (bytes) is kept: a page that is one long index stays whole",
        },
    ],
    configurable: true,
    example: Example {
        rules: r#"[[drop-link-blocks]]
id = "link-lists"
tags = ["ul", "p"]
min-link-density = 0.75
"#,
        input: "<!doctype html><html><body>\n\
<p>The council voted on Tuesday to close the old bridge to cars for the summer months.</p>\n\
<ul><li><a href=/a>Ferry times change in June</a></li><li><a href=/b>New cycle lane opens</a></li></ul>\n\
<p>Read next: <a href=/c>Why the bridge was built where it stands</a></p>\n\
<p>Repairs start in June, <a href=/d>the council said</a>, and last three months.</p>\n\
</body></html>\n",
        output: "The council voted on Tuesday to close the old bridge to cars for the summer months.\n\
Repairs start in June, the council said, and last three months.\n",
    },
};

fn default_min_link_density() -> Spanned<f64> {
    Spanned::new(0..0, 0.9)
}

fn default_max_chars() -> Spanned<usize> {
    Spanned::new(0..0, 1000)
}

/// A `[[drop-link-blocks]]` table.
/// Its keys, their defaults and what they do are written once, in [`KIND`]'s `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct Spec {
    pub id: Spanned<String>,
    pub tags: Vec<Spanned<String>>,
    #[serde(default = "default_min_link_density")]
    pub min_link_density: Spanned<f64>,
    #[serde(default = "default_max_chars")]
    pub max_chars: Spanned<usize>,
}

/// A compiled `drop-link-blocks` rule.
#[derive(Debug)]
pub(crate) struct Rule {
    pub id: String,
    tags: Vec<String>,
    min_link_density: f64,
    max_chars: usize,
}

impl Rule {
    fn matches(&self, name: &str, stats: &Stats, id: NodeId) -> bool {
        if !self.tags.iter().any(|t| t == name) {
            return false;
        }
        let s = stats.get(id);
        s.all > 0 && s.all <= self.max_chars && s.link_density() >= self.min_link_density
    }
}

impl Filter for Rule {
    type Spec = Spec;
    type Stage = Vec<Arc<Rule>>;

    fn compile(spec: Spec, diag: &mut Diag) -> Option<Rule> {
        let before = diag.errors.len();
        if spec.tags.is_empty() {
            diag.error(
                Some(spec.id.span()),
                "`tags` must name at least one element",
            );
        }
        let mut tags = Vec::new();
        for tag in &spec.tags {
            let name = tag.get_ref();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                diag.error(
                    Some(tag.span()),
                    format!("{name:?} is not an element name (write tag names such as \"ul\", not selectors)"),
                );
            } else {
                tags.push(name.to_ascii_lowercase());
            }
        }
        let min_link_density =
            spec::check_range(&spec.min_link_density, "min-link-density", 0.0, 1.0, diag);
        (diag.errors.len() == before).then(|| Rule {
            id: spec.id.into_inner(),
            tags,
            min_link_density,
            max_chars: *spec.max_chars.get_ref(),
        })
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// Runs on the markup ([`super::markup::select`]), not on lines.
    type Memo = ();

    fn apply(_: &Self::Stage, _: &mut Body, _: &mut (), _: Context) {}
}

/// The outermost elements under `root` (not `root` itself) that a rule removes, each with
/// the first rule that names it. `removed` subtrees are not entered.
pub(crate) fn select(
    root: NodeRef<Node>,
    rules: &[Arc<Rule>],
    removed: &HashSet<NodeId>,
    stats: &Stats,
) -> Vec<(NodeId, Reason)> {
    let mut out = Vec::new();
    if rules.is_empty() {
        return out;
    }
    let mut skip: Option<NodeId> = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() || node.id() == root.id() {
                    continue;
                }
                let Node::Element(e) = node.value() else {
                    continue;
                };
                if removed.contains(&node.id()) {
                    skip = Some(node.id());
                } else if let Some(rule) =
                    rules.iter().find(|r| r.matches(e.name(), stats, node.id()))
                {
                    out.push((node.id(), reason(KIND.name, &rule.id)));
                    skip = Some(node.id());
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::compile_rules;
    use scraper::Html;

    fn rules(extra: &str) -> Vec<Arc<Rule>> {
        compile_rules(
            &format!("[[drop-link-blocks]]\nid = \"x\"\ntags = [\"ul\", \"div\", \"p\"]\n{extra}"),
            |c| match c {
                Compiled::DropLinkBlocks(r) => Some(r),
                _ => None,
            },
        )
    }

    fn dropped(html: &str, extra: &str) -> Vec<String> {
        let doc = Html::parse_document(html);
        let none = HashSet::new();
        let stats = Stats::collect(&doc, &none);
        select(doc.tree.root(), &rules(extra), &none, &stats)
            .into_iter()
            .filter_map(|(id, _)| doc.tree.get(id).and_then(scraper::ElementRef::wrap))
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    #[test]
    fn removes_a_list_of_links_but_not_a_paragraph_that_cites_one() {
        let html = "<body><p>The report, <a href=/r>published on Monday</a>, found that most \
of the town's bridges need repairs within ten years.</p>\
<ul><li><a href=/1>One</a></li><li><a href=/2>Two</a></li></ul></body>";
        assert_eq!(dropped(html, ""), ["OneTwo"]);
    }

    #[test]
    fn lists_only_the_outermost_element() {
        let html = "<body><div><ul><li><a href=/1>One story</a></li></ul>\
<p><a href=/2>Another story</a></p></div></body>";
        assert_eq!(dropped(html, ""), ["One storyAnother story"]);
    }

    #[test]
    fn keeps_a_long_index_of_links_whole() {
        let items: String = (0..40)
            .map(|i| format!("<li><a href=/{i}>Catalogue section number {i}</a></li>"))
            .collect();
        let html = format!("<body><ul>{items}</ul></body>");
        assert!(dropped(&html, "max-chars = 500").is_empty());
    }

    #[test]
    fn rejects_a_selector_where_a_tag_name_belongs() {
        let toml = "[[drop-link-blocks]]\nid = \"x\"\ntags = [\"ul.related\"]\n";
        let doc = toml_edit::ImDocument::parse(toml.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let mut diag = Diag::new("t.toml", toml);
        let table = doc
            .get("drop-link-blocks")
            .and_then(|i| i.as_array_of_tables())
            .and_then(|a| a.get(0))
            .unwrap_or_else(|| panic!("no table"));
        assert!(crate::filters::compile("drop-link-blocks", table, &mut diag).is_none());
        assert!(
            diag.errors
                .iter()
                .any(|e| e.to_string().contains("not an element name"))
        );
    }
}
