//! Fuzz target for the HTML pipeline: arbitrary bytes read as a `.html` file (charset
//! sniffing and decoding included), cleaned with the default rules.
//!
//! It checks that no page makes the cleaner panic, that the output and `--explain` can be
//! written, and that the header comes first. Slow pages are caught by libFuzzer's
//! `-timeout` (`make fuzz` sets it): deep nesting, long runs of tags and large inputs must
//! be cleaned in reasonable time.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use declutr::run::batch;
use declutr::{Cleaner, DocumentInfo};
use libfuzzer_sys::fuzz_target;

static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::with_default_rules().unwrap_or_else(|e| panic!("default rules:\n{e}"))
});

fuzz_target!(|bytes: &[u8]| {
    // A binary file is refused, as the command line refuses it.
    let Ok((text, html)) = batch::read_document(Some(Path::new("page.html")), bytes) else {
        return;
    };
    assert!(html, "a .html file is read as HTML");
    let cleaned = CLEANER.clean_html(&text, &DocumentInfo::default());
    let out = cleaned.text();
    // Site learning reads the same page twice more: its <head> for its site, and its
    // rendered lines and element signatures.
    let _ = CLEANER.site_of(&text, true, &DocumentInfo::default());
    let _ = CLEANER.learning_view(&text, true, &DocumentInfo::default());

    let mut head = String::new();
    for h in &cleaned.header {
        head.push_str(h);
        head.push('\n');
    }
    assert!(out.starts_with(&head), "header not at the top: {out:?}");
    assert_eq!(
        cleaned.kept_lines().count(),
        cleaned
            .body
            .lines
            .iter()
            .filter(|l| l.dropped.is_none())
            .count()
    );

    let _ = cleaned.explain();
    let _ = cleaned.body_text();
    let _ = cleaned.removed_by_filter();
    let _ = batch::notices(&cleaned);
});
