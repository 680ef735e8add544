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

use declutr::__internals::{decode, learning_view, notices};
use declutr::{Cleaner, DocumentInfo, Hints, Kind};
use libfuzzer_sys::fuzz_target;

static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::with_default_rules().unwrap_or_else(|e| panic!("default rules:\n{e}"))
});

fuzz_target!(|bytes: &[u8]| {
    // A binary file is refused, as the command line refuses it.
    let hints = Hints {
        name: Some(Path::new("page.html")),
        ..Hints::default()
    };
    let Ok(decoded) = decode(bytes, &hints) else {
        return;
    };
    assert_eq!(decoded.kind, Kind::Html, "a .html file is read as HTML");
    let Ok(cleaned) = CLEANER.clean_bytes(bytes, &hints, &DocumentInfo::default()) else {
        panic!("decoded, then refused");
    };
    let out = cleaned.text();
    // Site learning reads the same page twice more: its <head> for its site, and its
    // rendered lines and element signatures.
    let text = &decoded.text;
    let _ = CLEANER.site_of(text, Kind::Html, &DocumentInfo::default());
    let _ = learning_view(&CLEANER, text, Kind::Html, &DocumentInfo::default());

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
            .lines()
            .iter()
            .filter(|l| l.dropped.is_none())
            .count()
    );

    let _ = cleaned.explain();
    let _ = cleaned.body_text();
    let _ = cleaned.removed_by_filter();
    let _ = notices(&cleaned);
});
