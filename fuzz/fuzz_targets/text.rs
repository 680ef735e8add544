//! Fuzz target for the text pipeline: arbitrary bytes, decoded as the command line decodes
//! a plain-text file, cleaned with the default rules.
//!
//! Besides "never panic", it checks what text mode promises for every input: the
//! provenance header is made of input lines, verbatim and in order, and is written first;
//! every body line that is kept is its input line (or, when a header shared that line, the
//! rest of it), unchanged but for surrounding whitespace; `--explain` works.

#![no_main]

use std::sync::LazyLock;

use declutr::__internals::{decode, notices};
use declutr::{Cleaner, DocumentInfo, Hints, Kind};
use libfuzzer_sys::fuzz_target;

static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| {
    Cleaner::with_default_rules().unwrap_or_else(|e| panic!("default rules:\n{e}"))
});

fuzz_target!(|bytes: &[u8]| {
    // A binary file is refused, as the command line refuses it.
    let hints = Hints {
        kind: Some(Kind::Text),
        ..Hints::default()
    };
    let Ok(cleaned) = CLEANER.clean_bytes(bytes, &hints, &DocumentInfo::default()) else {
        return;
    };
    // The text the cleaner saw, to compare its lines with.
    let Ok(decoded) = decode(bytes, &hints) else {
        panic!("decoded once, refused the second time");
    };
    let text = decoded.text;
    let out = cleaned.text();

    // The header is written first, each line as it was found.
    let mut head = String::new();
    for h in &cleaned.header {
        head.push_str(h);
        head.push('\n');
    }
    assert!(out.starts_with(&head), "header not at the top: {out:?}");

    // The header is made of input lines, in order: each header line is the start of an
    // input line (leading whitespace aside), each from its own line. `\r\n`, `\n` and a
    // lone `\r` all end a line.
    let line_ends = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let input: Vec<&str> = line_ends.lines().collect();
    let mut next = 0;
    for h in &cleaned.header {
        let found = input[next..]
            .iter()
            .position(|l| l.trim_start().starts_with(h.trim_start()));
        match found {
            Some(p) => next += p + 1,
            None => panic!("header line {h:?} is not an input line"),
        }
    }

    // Every kept body line is its input line, or the rest of it after a header.
    let kept: Vec<_> = cleaned
        .body
        .lines()
        .iter()
        .filter(|l| l.dropped.is_none())
        .collect();
    let written: Vec<&str> = cleaned.kept_lines().collect();
    assert_eq!(kept.len(), written.len());
    for (line, w) in kept.iter().zip(&written) {
        let w = w.trim();
        if w.is_empty() {
            continue;
        }
        let Some(source) = (line.number as usize)
            .checked_sub(1)
            .and_then(|i| input.get(i))
        else {
            panic!("kept line {w:?} has no input line {}", line.number);
        };
        let source = source.trim();
        assert!(
            source == w || source.ends_with(w),
            "kept line {w:?} is not input line {} {source:?}",
            line.number
        );
    }

    let _ = cleaned.explain();
    let _ = cleaned.body_text();
    let _ = notices(&cleaned);
});
