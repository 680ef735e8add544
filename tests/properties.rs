//! Properties that hold for every input, checked on generated pages (proptest): the
//! provenance header comes out unchanged; in text mode every output line is an input line,
//! whether lines end in `\n`, `\r\n` or `\r`; cleaning a cleaned page changes nothing; no
//! input makes the cleaner panic.
//!
//! Pages are assembled from pieces a scrape is made of (header lines, prose, widget
//! labels, headlines, captions, blank lines) and from arbitrary text, so the filters meet
//! both the shapes they were written for and shapes nobody thought of.

use std::sync::OnceLock;

use declutr::{Cleaner, DocumentInfo};
use proptest::prelude::*;

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        Cleaner::with_default_rules().unwrap_or_else(|e| panic!("default rules:\n{e}"))
    })
}

/// Header lines as scrapers write them.
fn header_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{3,10}".prop_map(|p| format!("url: https://news.example.com/{p}")),
        "[a-z]{3,10}".prop_map(|p| format!("source: {p}")),
        (1u32..=12, 1u32..=28).prop_map(|(m, d)| format!("date: 2025-{m:02}-{d:02}")),
    ]
}

const WORDS: &[&str] = &[
    "the",
    "council",
    "of",
    "and",
    "bridge",
    "to",
    "river",
    "was",
    "in",
    "a",
    "summer",
    "repairs",
    "that",
    "for",
    "engineers",
    "on",
    "village",
    "with",
    "said",
    "it",
    "flood",
];

/// A sentence of 6-30 words from a small vocabulary.
fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 6..30).prop_map(|w| {
        let mut s = w.join(" ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s.push('.');
        s
    })
}

/// A body line of any kind a scrape holds.
fn body_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prose(),
        1 => prop::sample::select(&[
            "Share", "Listen to this article", "Play", "Advertisement", "Most Read",
            "Leave a Reply", "COMMENT (14)", "Related stories", "Sign up for our newsletter",
            "© 2025 Example Media. All rights reserved.", "- Crowds stay put -", "2-1",
        ][..]).prop_map(str::to_string),
        1 => "[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8}){2,6}",
        1 => "The [a-z]{3,8} at dawn \\(Photo: [A-Z][a-z]{3,8}/Getty Images\\)",
        1 => Just(String::new()),
        1 => "\\PC{0,80}",
    ]
}

/// A page: optional header lines, a blank line, then body lines.
fn page() -> impl Strategy<Value = (Vec<String>, Vec<String>)> {
    (
        prop::collection::vec(header_line(), 0..4),
        prop::collection::vec(body_line(), 0..40),
    )
}

fn assemble(header: &[String], body: &[String]) -> String {
    let mut text = String::new();
    for h in header {
        text.push_str(h);
        text.push('\n');
    }
    if !header.is_empty() {
        text.push('\n');
    }
    for b in body {
        text.push_str(b);
        text.push('\n');
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_header_comes_out_unchanged((header, body) in page()) {
        let text = assemble(&header, &body);
        let cleaned = cleaner().clean_text(&text, &DocumentInfo::default());
        // The body may itself start with a header-like line; the header found is never
        // shorter than the one written.
        prop_assert!(cleaned.header.len() >= header.len(), "{:?}", cleaned.header);
        prop_assert_eq!(&cleaned.header[..header.len()], &header[..]);
        let out = cleaned.text();
        for h in &header {
            prop_assert!(out.starts_with(&header[0]) && out.contains(h.as_str()));
        }
    }

    #[test]
    fn every_output_line_is_an_input_line((header, body) in page()) {
        let text = assemble(&header, &body);
        let cleaned = cleaner().clean_text(&text, &DocumentInfo::default());
        let inputs: Vec<&str> = text.lines().map(str::trim).collect();
        for line in cleaned.body_text().lines().filter(|l| !l.trim().is_empty()) {
            // A header sharing its line with text leaves the rest of the line as text.
            prop_assert!(
                inputs.iter().any(|i| *i == line.trim() || i.ends_with(line.trim())),
                "not an input line: {line:?}"
            );
        }
    }

    #[test]
    fn lines_may_end_in_cr_lf_or_cr_alone(
        (header, body) in page(),
        end in prop::sample::select(&["\r\n", "\r"][..]),
    ) {
        let text = assemble(&header, &body);
        let lf = cleaner().clean_text(&text, &DocumentInfo::default()).text();
        let other = cleaner().clean_text(&text.replace('\n', end), &DocumentInfo::default());
        prop_assert_eq!(lf, other.text());
    }

    #[test]
    fn cleaning_a_cleaned_page_changes_nothing((header, body) in page()) {
        let once = cleaner().clean_text(&assemble(&header, &body), &DocumentInfo::default()).text();
        let twice = cleaner().clean_text(&once, &DocumentInfo::default()).text();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn no_text_makes_the_cleaner_panic(text in "\\PC{0,400}") {
        let _ = cleaner().clean(&text, &DocumentInfo::default()).text();
    }

    #[test]
    fn no_markup_makes_the_cleaner_panic(
        parts in prop::collection::vec(prop_oneof![
            Just("<p>".to_string()), Just("</p>".to_string()), Just("<div class=share>".to_string()),
            Just("</div>".to_string()), Just("<article>".to_string()), Just("<nav>".to_string()),
            Just("<pre>".to_string()), Just("<a href=/x>".to_string()), Just("</a>".to_string()),
            Just("<table><tr><td>".to_string()), Just("<br>".to_string()),
            Just("<script>".to_string()), Just("<!--".to_string()), prose(), "\\PC{0,30}",
        ], 0..60)
    ) {
        let html = format!("<!doctype html><html><body>{}</body></html>", parts.concat());
        let _ = cleaner().clean_html(&html, &DocumentInfo::default()).text();
    }
}
