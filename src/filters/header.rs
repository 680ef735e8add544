//! `header`: the lines of an HTML page that repeat its provenance header.
//!
//! An HTML page's header is written from its metadata (or given by the page or its
//! capture), and its title and publication date then stand in the header. The page's
//! markup prints them again near the top of the article: the headline, and often the date
//! on a line of its own. This built-in stage drops those copies from the rendered lines,
//! once each, before the text stages run; rule files do not configure it.
//!
//! The title may follow a strapline or a category label, so the first
//! [`SEARCH_LINES`] lines are searched, and only a line that is the title, whole, goes.
//! The date goes only when a line near the top is that date alone, in whatever format
//! ([`crate::text::is_date_line`]). Plain-text pages keep their first lines: their header
//! is the dump's own, and `drop-repeats` takes a title printed twice.

use super::{Example, KindInfo, trace};
use crate::document::{Body, reason};
use crate::html::Meta;
use crate::text::{is_date_line, iso_date};

/// Registry entry.
pub(crate) const KIND: KindInfo = KindInfo {
    name: "header",
    summary: "HTML pages: remove the title and date lines that repeat the provenance header",
    description: "Built in: it always runs on HTML pages, after the markup stages and before \
the text stages, and rule files do not configure it. When the page's header carries its title, \
the first line among the top 20 that is the title, whole, goes; when the header carries the \
publication date, the first line near the top that is that date alone, in any format, goes. \
Plain-text pages are not touched.",
    fields: &[],
    configurable: false,
    example: Example {
        rules: "[header]\nhtml-fields = [\"title\"]\n",
        input: "<html><head><title>Bridge to close for the summer</title></head><body>\
<h1>Bridge to close for the summer</h1><p>The council voted on Tuesday to close the old \
bridge to cars for the summer.</p></body></html>\n",
        output: "The council voted on Tuesday to close the old bridge to cars for the summer.\n",
    },
};

/// How many rendered lines from the top of an HTML page are searched for the title and
/// date that the header already carries.
pub(crate) const SEARCH_LINES: usize = 20;

/// Drops the rendered lines near the top that repeat the header's title and date (what
/// the page's metadata gave, when the header holds it); whether the title is in the
/// header, so that no later stage keeps a body line as the title.
pub(crate) fn apply(body: &mut Body, meta: &Meta, header: &[String]) -> bool {
    trace(&KIND);
    let title = meta
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| header.iter().any(|h| h.contains(t)));
    if let Some(title) = title {
        drop_top_line(body, "title", |text| text.trim() == title);
    }
    let date = meta
        .date
        .as_deref()
        .filter(|d| header.iter().any(|h| h.contains(d.trim())))
        .and_then(iso_date);
    if let Some(date) = date {
        drop_top_line(body, "date", |text| is_date_line(text, date));
    }
    title.is_some()
}

/// Drops the first kept line among the first [`SEARCH_LINES`] that `is_copy` says
/// repeats a header field, with the reason `header/<field>`.
fn drop_top_line(body: &mut Body, field: &str, is_copy: impl Fn(&str) -> bool) {
    let found = body
        .iter()
        .take(SEARCH_LINES)
        .position(|(l, text)| l.dropped.is_none() && is_copy(text));
    if let Some(i) = found {
        body.drop_line(i, &reason(KIND.name, field));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(lines: &[&str]) -> Body {
        Body::new(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        )
    }

    fn kept(body: &Body) -> Vec<&str> {
        (0..body.len())
            .filter(|&i| body.is_live(i))
            .map(|i| body.text(i))
            .collect()
    }

    fn meta(title: &str, date: &str) -> Meta {
        Meta {
            title: Some(title.into()),
            date: Some(date.into()),
            ..Meta::default()
        }
    }

    #[test]
    fn the_title_and_date_in_the_header_go_once_each() {
        let mut b = body(&[
            "News",
            "Bridge to close",
            "9 March 2025",
            "The council voted to close the bridge.",
            "Bridge to close",
        ]);
        let header = [
            "title: Bridge to close".to_string(),
            "date: 2025-03-09".into(),
        ];
        assert!(apply(
            &mut b,
            &meta("Bridge to close", "2025-03-09"),
            &header
        ));
        // The category label stays; the later copy of the title is another stage's call.
        assert_eq!(
            kept(&b),
            [
                "News",
                "The council voted to close the bridge.",
                "Bridge to close"
            ]
        );
        let why: Vec<String> = b
            .lines
            .iter()
            .filter_map(|l| l.dropped.as_ref().map(|r| r.to_string()))
            .collect();
        assert_eq!(why, ["header/title", "header/date"]);
    }

    #[test]
    fn what_the_header_does_not_hold_stays() {
        let mut b = body(&["Bridge to close", "9 March 2025", "The council voted."]);
        let header = ["url: https://example.com/bridge".to_string()];
        assert!(!apply(
            &mut b,
            &meta("Bridge to close", "2025-03-09"),
            &header
        ));
        assert_eq!(kept(&b).len(), 3);
    }

    #[test]
    fn a_line_that_only_starts_with_the_title_stays() {
        let mut b = body(&["Bridge to close: what it means for you", "Text."]);
        let header = ["title: Bridge to close".to_string()];
        apply(&mut b, &meta("Bridge to close", ""), &header);
        assert_eq!(kept(&b).len(), 2);
    }
}
