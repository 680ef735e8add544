//! The markup stages of an HTML page, in the order they run, before it is rendered to text:
//!
//! 1. `drop-elements` removes the non-content elements its selectors name;
//! 2. `pick-content` chooses the element holding the article (the content root), among
//!    what is left;
//! 3. `drop-link-blocks` removes, inside that root, the blocks that are mostly links.
//!
//! The text measures the last two need ([`Stats`]) are taken once, after the first. The
//! stages only select nodes: [`select`] returns them as an [`Selection`] (each
//! removed node with its reason, and the root), and [`crate::html::render`] renders the page
//! from it.

use std::collections::HashSet;
use std::sync::Arc;

use ego_tree::NodeId;
use scraper::Html;

use super::{drop_elements, drop_link_blocks, pick_content, trace};
use crate::document::reason;
use crate::html::{Selection, stats::Stats};

/// Runs the three markup stages on a parsed page, with the rules of each.
pub(crate) fn select(
    doc: &Html,
    drop_elements: &[Arc<drop_elements::Rule>],
    pick_content: &[Arc<pick_content::Rule>],
    drop_link_blocks: &[Arc<drop_link_blocks::Rule>],
) -> Selection {
    trace(&drop_elements::KIND);
    let mut removed = drop_elements::select(doc, drop_elements);
    let removed_ids: HashSet<NodeId> = removed.iter().map(|(id, _)| *id).collect();
    let stats = Stats::collect(doc, &removed_ids);
    trace(&pick_content::KIND);
    let root = pick_content::pick(doc, pick_content, &removed_ids, &stats)
        .map(|(id, rule)| (id, reason(pick_content::KIND.name, rule)));
    let root_node = root
        .as_ref()
        .and_then(|(id, _)| doc.tree.get(*id))
        .unwrap_or_else(|| doc.tree.root());
    trace(&drop_link_blocks::KIND);
    let dense = drop_link_blocks::select(root_node, drop_link_blocks, &removed_ids, &stats);
    removed.extend(dense);
    Selection { removed, root }
}

/// Parses `html` and renders it without what the drop-elements rules remove.
#[cfg(test)]
pub(crate) fn render_str(html: &str, rules: &[Arc<drop_elements::Rule>]) -> crate::html::Rendered {
    let doc = Html::parse_document(html);
    crate::html::render(&doc, &select(&doc, rules, &[], &[]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::Compiled;
    use crate::filters::testing::compile_rules;

    const RULES: &str = "[[drop-elements]]\nid = \"furniture\"\nselectors = [\"aside\"]\n\
[[pick-content]]\nid = \"story\"\nselectors = [\"article\"]\nmin-share = 0.5\n\
[[drop-link-blocks]]\nid = \"link-lists\"\ntags = [\"ul\"]\n";

    const PAGE: &str = "<html><body><ul class=menu><li><a href=/>Home</a></li>\
<li><a href=/news>News</a></li></ul><article><p>The ferry to the island runs again from \
Monday, after the harbour wall was repaired over the winter months.</p>\
<aside><p>Sign up for the harbour newsletter and read every story about the island first.</p></aside>\
<ul><li><a href=/a>Tide tables</a></li><li><a href=/b>Ferry times</a></li></ul></article></body></html>";

    #[test]
    fn stages_run_in_order_and_say_why() {
        let doc = Html::parse_document(PAGE);
        let selection = select(
            &doc,
            &compile_rules(RULES, |c| match c {
                Compiled::DropElements(r) => Some(r),
                _ => None,
            }),
            &compile_rules(RULES, |c| match c {
                Compiled::PickContent(r) => Some(r),
                _ => None,
            }),
            &compile_rules(RULES, |c| match c {
                Compiled::DropLinkBlocks(r) => Some(r),
                _ => None,
            }),
        );
        let rendered = crate::html::render(&doc, &selection);
        // The root is chosen once the aside is gone, and link blocks are looked for only
        // inside it: the menu is outside the root, so it is neither rendered nor removed.
        assert_eq!(
            rendered.lines,
            [
                "The ferry to the island runs again from Monday, after the harbour wall was \
repaired over the winter months."
            ]
        );
        let why: Vec<(&str, String)> = rendered
            .removed
            .iter()
            .map(|r| (r.element.as_str(), r.reason.to_string()))
            .collect();
        assert_eq!(why.len(), 2, "{why:?}");
        assert!(why[0].0.starts_with("aside"), "{why:?}");
        assert_eq!(why[0].1, "drop-elements/furniture");
        assert!(why[1].0.starts_with("ul"), "{why:?}");
        assert_eq!(why[1].1, "drop-link-blocks/link-lists");
        let root = rendered.root.map(|r| (r.element, r.reason.to_string()));
        assert!(
            root.as_ref()
                .is_some_and(|(e, why)| e.starts_with("article") && why == "pick-content/story"),
            "{root:?}"
        );
    }
}
