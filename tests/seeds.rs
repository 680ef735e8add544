//! The user's example scrapes (`../shared/seeds/`, beside the project, not part of it):
//! cleaned with the default rules alone, each loses exactly the lines the user listed as
//! clutter, and nothing else. The lines are named by their input line numbers so that no
//! text of the seeds is copied into the project. Skipped when the seeds are not there.

use std::path::{Path, PathBuf};

use declutr::{Cleaner, DocumentInfo};

/// Seed file name prefix → the input line numbers that must be dropped.
const EXPECTED_DROPS: &[(&str, &[usize])] = &[
    // Nothing is clutter; only the header is split off the first line.
    ("000_", &[]),
    // The lone "-" line and the sixteen recommended headlines after the article.
    (
        "001_",
        &[
            8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
        ],
    ),
    // "text size", the title's second copy, the audio widget (3 lines), both copies of the
    // photo caption, the feedback prompt and the comment counter.
    ("002_", &[2, 4, 6, 7, 8, 9, 10, 44, 45]),
    // The title's second copy, "Leave a Reply" and the comment form's notice.
    ("003_", &[3, 37, 39]),
    // Both copies of the caption and of its credit, the category label above the title,
    // the newsletter prompt and the video list after it.
    ("004_", &[1, 2, 3, 7, 8, 40, 42, 44, 46, 48]),
];

fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
}

#[test]
fn seeds_lose_exactly_the_clutter_lines() {
    let dir = seeds_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: no seeds at {}", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    files.sort();
    let cleaner = Cleaner::with_default_rules().unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    let mut seen = 0;
    for (prefix, expected) in EXPECTED_DROPS {
        let Some(path) = files.iter().find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        }) else {
            problems.push(format!("no seed file starting with {prefix}"));
            continue;
        };
        seen += 1;
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cleaned = cleaner.clean_text(&text, &DocumentInfo::default());
        let dropped: Vec<usize> = cleaned
            .body
            .iter()
            .filter(|(l, text)| !text.trim().is_empty() && l.dropped.is_some())
            .map(|(l, _)| l.number as usize)
            .collect();
        if dropped != *expected {
            let why: Vec<String> = cleaned
                .body
                .iter()
                .filter(|(l, text)| {
                    !text.trim().is_empty()
                        && (l.dropped.is_some() != expected.contains(&(l.number as usize)))
                })
                .map(|(l, _)| match &l.dropped {
                    Some(r) => format!("line {} dropped by {r}", l.number),
                    None => format!("line {} kept", l.number),
                })
                .collect();
            problems.push(format!("{}: {}", path.display(), why.join("; ")));
        }
        // Every kept body line is an input line, unchanged but for surrounding whitespace.
        let input: Vec<&str> = text.lines().map(str::trim).collect();
        for line in cleaned.kept_lines().filter(|l| !l.is_empty()) {
            let whole = input.contains(&line);
            let split_first = cleaned
                .header
                .first()
                .is_some_and(|h| input[0] == format!("{h} {line}"));
            if !whole && !split_first {
                problems.push(format!(
                    "{}: output line not in the input: {line:?}",
                    path.display()
                ));
            }
        }
    }
    // The first seed's header shares its line with text: it is split off and kept first.
    if let Some(path) = files.iter().find(|p| p.to_string_lossy().contains("000_")) {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let out = cleaner.clean_text(&text, &DocumentInfo::default()).text();
        let first_input = text.lines().next().unwrap_or_default().trim();
        let mut lines = out.lines();
        let header = lines.next().unwrap_or_default();
        assert!(
            first_input.starts_with(header)
                && header.starts_with("date ")
                && lines.next() == Some(""),
            "header {header:?} not split off the first line and followed by a blank line"
        );
        assert_eq!(
            lines.next(),
            Some(first_input[header.len()..].trim()),
            "the rest of line 1 must open the body"
        );
    }
    assert!(
        problems.is_empty(),
        "{} of {seen} seeds:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
