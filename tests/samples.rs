//! The bundled samples: every folder under `samples/` holds a scrape (`input.txt`, or an
//! HTML page `input.html`) and what a careful reader says its clean text is
//! (`expected.out`). Each input is cleaned with the embedded default rules (site files
//! included) and compared with its expectation. HTML pages are read as bytes and decoded
//! the way the CLI decodes them (byte-order mark, `<meta charset>`, else detection).
//!
//! Cases the tool is known to get wrong are listed in `samples/known-failures.list`, one folder
//! name per line, each under a `# reason` comment line. A listed case that fails is
//! reported but does not fail the test; a listed case that passes does, so the list cannot
//! go stale.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use declutr::{Cleaner, DocumentInfo};

const KNOWN_FAILURES: &str = "known-failures.list";

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The clean text of a case's input: `input.html` when the folder holds one (decoded from
/// its bytes and cleaned as HTML), else `input.txt` cleaned as text.
fn clean_case(cleaner: &Cleaner, case: &Path) -> Result<String, String> {
    let html = case.join("input.html");
    if html.is_file() {
        let bytes =
            std::fs::read(&html).map_err(|e| format!("cannot read {}: {e}", html.display()))?;
        let (text, is_html) = declutr::run::batch::read_document(Some(&html), &bytes)
            .map_err(|e| format!("cannot decode {}: {e}", html.display()))?;
        return Ok(declutr::run::batch::clean_document(
            cleaner,
            &text,
            is_html,
            &DocumentInfo::default(),
        )
        .text());
    }
    let input = read(&case.join("input.txt"))?;
    Ok(cleaner.clean_text(&input, &DocumentInfo::default()).text())
}

/// The case folders under `samples/`, sorted by name.
fn case_names(dir: &Path) -> Vec<String> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The names listed in `samples/known-failures.list`, and the problems of the file itself
/// (a name without a `# reason` comment above it, a name listed twice).
fn known_failures(dir: &Path) -> (BTreeSet<String>, Vec<String>) {
    let path = dir.join(KNOWN_FAILURES);
    let mut names = BTreeSet::new();
    let mut problems = Vec::new();
    let Ok(text) = std::fs::read_to_string(&path) else {
        return (names, problems);
    };
    let mut commented = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            commented = false;
        } else if line.starts_with('#') {
            commented = true;
        } else {
            if !commented {
                problems.push(format!(
                    "samples/{KNOWN_FAILURES}:{}: {line} has no `# reason` comment line above it",
                    i + 1
                ));
            }
            if !names.insert(line.to_string()) {
                problems.push(format!(
                    "samples/{KNOWN_FAILURES}:{}: {line} is listed twice",
                    i + 1
                ));
            }
            commented = false;
        }
    }
    (names, problems)
}

/// A line diff of `expected` against `actual`: the lines of a longest common subsequence
/// are shared; `-` marks an expected line that is missing, `+` a line that appeared
/// although it was not expected. Shared lines are shown only next to a change.
fn line_diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // (marker, expected line number, actual line number, text)
    let mut ops: Vec<(char, usize, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i + 1, j + 1, a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(('+', i, j + 1, b[j]));
            j += 1;
        } else {
            ops.push(('-', i + 1, j, a[i]));
            i += 1;
        }
    }
    let changed: Vec<bool> = ops.iter().map(|op| op.0 != ' ').collect();
    let near_change = |k: usize| {
        let lo = k.saturating_sub(1);
        let hi = (k + 1).min(changed.len() - 1);
        changed[lo..=hi].iter().any(|&c| c)
    };
    let mut out = String::new();
    let mut skipped = false;
    for (k, &(mark, ei, ai, text)) in ops.iter().enumerate() {
        if !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("      ...\n");
            skipped = false;
        }
        let text = if text.trim().is_empty() {
            "(blank line)"
        } else {
            text
        };
        let _ = match mark {
            '-' => writeln!(out, "    - expected line {ei} missing: {text}"),
            '+' => writeln!(out, "    + extra line {ai} in output: {text}"),
            _ => writeln!(out, "      {text}"),
        };
    }
    out
}

#[test]
fn samples_clean_to_their_expected_text() {
    let dir = samples_dir();
    let cleaner = Cleaner::with_default_rules()
        .unwrap_or_else(|e| panic!("the embedded rules are broken:\n{e}"));
    let names = case_names(&dir);
    assert!(!names.is_empty(), "no sample folders in {}", dir.display());
    let (known, mut problems) = known_failures(&dir);

    let mut failed = Vec::new();
    let mut known_failed = Vec::new();
    let mut report = String::new();
    for name in &names {
        let case = dir.join(name);
        let outcome = clean_case(&cleaner, &case).and_then(|actual| {
            let expected = read(&case.join("expected.out"))?;
            let same = expected.lines().eq(actual.lines());
            Ok((!same).then(|| line_diff(&expected, &actual)))
        });
        let diff = match outcome {
            Ok(None) => {
                if known.contains(name) {
                    problems.push(format!(
                        "{name} passes now: remove {name} from samples/{KNOWN_FAILURES}"
                    ));
                }
                continue;
            }
            Ok(Some(diff)) => diff,
            Err(e) => format!("    {e}\n"),
        };
        if known.contains(name) {
            known_failed.push(name.as_str());
            let _ = writeln!(report, "known failure {name}:\n{diff}");
        } else {
            failed.push(name.as_str());
            let _ = writeln!(report, "FAILED {name}:\n{diff}");
        }
    }
    for name in &known {
        if !names.contains(name) {
            problems.push(format!(
                "{name} is listed in samples/{KNOWN_FAILURES} but there is no such sample folder"
            ));
        }
    }

    let mut summary = format!(
        "{} samples: {} passed, {} known failures, {} failed",
        names.len(),
        names.len() - failed.len() - known_failed.len(),
        known_failed.len(),
        failed.len()
    );
    if !known_failed.is_empty() {
        let _ = write!(summary, "\nknown failures: {}", known_failed.join(", "));
    }
    if !failed.is_empty() {
        problems.push(format!(
            "{} sample(s) do not clean to their expected.out: {}",
            failed.len(),
            failed.join(", ")
        ));
    }
    assert!(
        problems.is_empty(),
        "{report}{summary}\n\n{}",
        problems.join("\n")
    );
    println!("{report}{summary}");
}
