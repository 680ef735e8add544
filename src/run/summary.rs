//! What a run reports on stderr when it ends, whichever inputs it read: the files and
//! records it skipped, told of or failed on, then the summary (what was learned, pages the
//! article guard held learned rules off, temporaries `--resume` removed, the `cleaned …`
//! line, what the filters removed). One [`Summary`] holds the outcome of a text batch, a
//! batch to JSON Lines, a JSON Lines stream or a WARC run, and prints it in that one order.

use std::collections::BTreeMap;
use std::path::Path;

use crate::io::read::Size;
use crate::learn::LearnedSite;
use crate::run::Outcome;
use crate::run::batch::{self, FileError};
use crate::run::jsonl::StreamSummary;
use crate::run::warc::clean as warc;
use crate::{escape, filters};

/// The outcome of a run over many inputs, to report.
#[derive(Debug)]
pub(crate) enum Summary<'a> {
    /// Pages, into a directory or to JSON Lines.
    Files(&'a batch::Summary),
    /// A JSON Lines stream.
    Stream {
        /// What the stream did.
        summary: &'a StreamSummary,
        /// The input's name, before `:LINE` (`<stdin>` for stdin).
        name: &'a str,
        /// Bad lines were left out (`--on-bad-line skip`), not passed through.
        bad_lines_skipped: bool,
    },
    /// The pages of WARC records.
    Warc(&'a warc::Summary),
}

impl Summary<'_> {
    /// Whether an input failed (exit 1): a file or record, or a bad JSON line.
    pub(crate) fn failed(&self) -> bool {
        match self {
            Summary::Files(s) => !s.failures.is_empty(),
            Summary::Stream { summary, .. } => summary.bad_lines > 0,
            Summary::Warc(s) => !s.failures.is_empty() || s.unlisted_failures > 0,
        }
    }

    /// The exit outcome: [`Outcome::SomeFailed`] when [`Summary::failed`].
    pub(crate) fn outcome(&self) -> Outcome {
        if self.failed() {
            Outcome::SomeFailed
        } else {
            Outcome::Clean
        }
    }

    /// One line per input skipped with a notice, per notice and per warning (unless
    /// `quiet`), then one per failure (always).
    pub(crate) fn print_inputs(&self, quiet: bool) {
        match self {
            Summary::Files(s) => {
                if !quiet {
                    for (path, cause) in &s.skipped_files {
                        eprintln!("{}: {cause}", escape::path(path));
                    }
                    for (path, notice) in &s.notices {
                        eprintln!("{}: {notice}", escape::path(path));
                    }
                }
                for (path, cause) in &s.failures {
                    eprintln!("{}: {cause}", escape::path(path));
                }
            }
            Summary::Stream { summary, name, .. } => {
                if !quiet {
                    for (line, notice) in &summary.notices {
                        eprintln!("{name}:{line}: {notice}");
                    }
                }
            }
            Summary::Warc(s) => {
                if !quiet {
                    for (at, cause) in &s.skipped {
                        eprintln!("{at}: {cause}");
                    }
                    for (at, notice) in &s.notices {
                        eprintln!("{at}: {notice}");
                    }
                    for (at, warning) in &s.warnings {
                        eprintln!("{at}: warning: {warning}");
                    }
                }
                for (at, cause) in &s.failures {
                    eprintln!("{at}: {cause}");
                }
            }
        }
    }

    /// The summary: what `learned` (sites a batch learned), the pages the article guard
    /// held learned rules off, the temporaries `--resume` removed, the `cleaned …` line
    /// (taking `secs`), and the removals per filter kind.
    pub(crate) fn print(&self, learned: &[LearnedSite], secs: f64) {
        print_learned(learned);
        let notices: Vec<&batch::Notice> = match self {
            Summary::Files(s) => s.notices.iter().map(|(_, n)| n).collect(),
            Summary::Stream { summary, .. } => summary.notices.iter().map(|(_, n)| n).collect(),
            Summary::Warc(s) => s.notices.iter().map(|(_, n)| n).collect(),
        };
        print_held(notices.into_iter());
        match self {
            Summary::Files(s) => print_files(s, secs),
            Summary::Stream {
                summary,
                bad_lines_skipped,
                ..
            } => print_stream(summary, *bad_lines_skipped, secs),
            Summary::Warc(s) => print_warc(s, secs),
        }
    }
}

/// The summary's line on learning:
/// `learned: 41 repeated lines, 3 selectors on 3 sites (news.example 20, …)`.
fn print_learned(sites: &[LearnedSite]) {
    if sites.is_empty() {
        return;
    }
    // A crawl may learn thousands of sites: the line names the first few.
    const NAMED: usize = 10;
    let mut named: Vec<String> = sites
        .iter()
        .take(NAMED)
        .map(|s| format!("{} {}", s.host, s.len()))
        .collect();
    if sites.len() > NAMED {
        named.push(format!("and {} more", sites.len() - NAMED));
    }
    eprintln!(
        "learned: {} on {} site{} ({})",
        learned_counts(sites),
        sites.len(),
        if sites.len() == 1 { "" } else { "s" },
        named.join(", ")
    );
}

/// The summary's line on the article guard, when it kept learned rules off some pages:
/// `learned rules not applied to 3 pages: they would have removed most of the article`.
fn print_held<'a>(notices: impl Iterator<Item = &'a batch::Notice>) {
    let held = notices
        .filter(|n| matches!(n, batch::Notice::LearnedHeld(_)))
        .count();
    if held > 0 {
        eprintln!(
            "learned rules not applied to {held} page{}: they would have removed most of the article",
            if held == 1 { "" } else { "s" }
        );
    }
}

/// `41 repeated lines, 3 selectors`: what sites learned.
pub(crate) fn learned_counts(sites: &[LearnedSite]) -> String {
    let lines: usize = sites
        .iter()
        .map(|s| s.lines.len() + s.run_lines.len())
        .sum();
    let selectors: usize = sites.iter().map(|s| s.elements.len()).sum();
    let mut out = format!("{lines} repeated line{}", if lines == 1 { "" } else { "s" });
    if selectors > 0 {
        out.push_str(&format!(
            ", {selectors} selector{}",
            if selectors == 1 { "" } else { "s" }
        ));
    }
    out
}

/// Reports a file that was not cleaned: a failure ([`Outcome::SomeFailed`]) always, a skip
/// ([`Outcome::Clean`]) unless `quiet`.
pub(crate) fn report_file(path: &Path, e: &FileError, quiet: bool) -> Outcome {
    if e.is_failure() {
        eprintln!("{}: {e}", escape::path(path));
        Outcome::SomeFailed
    } else {
        if !quiet {
            eprintln!("{}: {e}", escape::path(path));
        }
        Outcome::Clean
    }
}

/// `cleaned 12 files, 2 skipped (1 binary), 0 failed: …`, then the removals.
fn print_files(s: &batch::Summary, secs: f64) {
    print_stale_temporaries(s.stale_temporaries);
    eprintln!(
        "cleaned {} file{}{}, {} skipped{}, {} failed: {} in, {} out ({:.0}% kept) in {:.2}s",
        s.cleaned,
        if s.cleaned == 1 { "" } else { "s" },
        if s.up_to_date > 0 {
            format!(", {} up to date", s.up_to_date)
        } else {
            String::new()
        },
        s.skipped + s.skipped_files.len(),
        skipped_detail(s),
        s.failures.len(),
        Size(s.bytes_in),
        Size(s.bytes_out),
        kept_percent(s.bytes_in, s.bytes_out),
        secs,
    );
    print_removed(&s.removed);
}

/// `cleaned 40 records of 41 lines, 1 bad line passed through in 0.20s`, then the removals.
fn print_stream(summary: &StreamSummary, bad_lines_skipped: bool, secs: f64) {
    let bad = match summary.bad_lines {
        0 => String::new(),
        n => format!(
            ", {n} bad line{} {}",
            if n == 1 { "" } else { "s" },
            if bad_lines_skipped {
                "skipped"
            } else {
                "passed through"
            }
        ),
    };
    eprintln!(
        "cleaned {} record{} of {} line{}{bad} in {:.2}s",
        summary.cleaned,
        if summary.cleaned == 1 { "" } else { "s" },
        summary.lines,
        if summary.lines == 1 { "" } else { "s" },
        secs,
    );
    print_removed(&summary.removed);
}

/// `cleaned 4 of 11 records in 1 WARC file, 3 skipped (1 not 2xx, 2 not HTML or text), 0
/// failed: …`, then the removals.
fn print_warc(s: &warc::Summary, secs: f64) {
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    print_stale_temporaries(s.stale_temporaries);
    let mut why = Vec::new();
    if s.not_success > 0 {
        why.push(format!("{} not 2xx", s.not_success));
    }
    if s.not_page > 0 {
        why.push(format!("{} not HTML or text", s.not_page));
    }
    why.extend(skip_causes(s.skipped.iter().filter_map(|(_, e)| match e {
        warc::RecordError::File(e) => Some(e),
        _ => None,
    })));
    if s.skipped_files > 0 {
        why.push(format!(
            "{} file{} not WARC",
            s.skipped_files,
            plural(s.skipped_files as u64)
        ));
    }
    if s.up_to_date > 0 {
        why.push(format!("{} up to date", s.up_to_date));
    }
    let skipped =
        s.not_success + s.not_page + s.up_to_date + s.skipped.len() as u64 + s.skipped_files as u64;
    eprintln!(
        "cleaned {} of {} record{} in {} WARC file{}, {skipped} skipped{}, {} failed: {} in, {} out ({:.0}% kept) in {secs:.2}s",
        s.cleaned,
        s.records,
        plural(s.records),
        s.files,
        plural(s.files as u64),
        if why.is_empty() {
            String::new()
        } else {
            format!(" ({})", why.join(", "))
        },
        s.failures.len() as u64 + s.unlisted_failures,
        Size(s.bytes_in),
        Size(s.bytes_out),
        kept_percent(s.bytes_in, s.bytes_out),
    );
    let unlisted = s.unlisted_warnings + s.unlisted_failures;
    if unlisted > 0 {
        eprintln!(
            "{unlisted} more problem{} in damaged WARC data not listed ({} failure{}, {} warning{}): 100 are listed a file",
            plural(unlisted),
            s.unlisted_failures,
            plural(s.unlisted_failures),
            s.unlisted_warnings,
            plural(s.unlisted_warnings)
        );
    }
    if s.skipped_bytes > 0 {
        eprintln!(
            "skipped {} of damaged WARC data ({} record{} lost) to read the records after it",
            Size(s.skipped_bytes),
            s.lost_records,
            plural(s.lost_records)
        );
    }
    print_removed(&s.removed);
}

/// ` (2 binary, 1 symlink loop)`: the files skipped with a notice, by cause.
fn skipped_detail(s: &batch::Summary) -> String {
    let parts = skip_causes(s.skipped_files.iter().map(|(_, e)| e));
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

/// `["2 binary", "1 symlink loop", "3 special files"]`: files skipped with a notice,
/// counted by cause ([`FileError::skip_cause`]).
fn skip_causes<'a>(errors: impl Iterator<Item = &'a FileError>) -> Vec<String> {
    let causes: Vec<&str> = errors.filter_map(FileError::skip_cause).collect();
    batch::SKIP_CAUSES
        .into_iter()
        .filter_map(|cause| {
            let n = causes.iter().filter(|c| **c == cause).count();
            Some(match (cause, n) {
                (_, 0) => return None,
                ("binary", n) | (_, n @ 1) => format!("{n} {cause}"),
                (_, n) => format!("{n} {cause}s"),
            })
        })
        .collect()
}

/// `removed 2 temporary files left by an interrupted run`, when `--resume` removed some.
fn print_stale_temporaries(n: usize) {
    if n > 0 {
        eprintln!(
            "removed {n} temporary file{} left by an interrupted run",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// The share of the bytes read that were written, in percent (100 when nothing was read).
fn kept_percent(bytes_in: u64, bytes_out: u64) -> f64 {
    if bytes_in == 0 {
        100.0
    } else {
        100.0 * bytes_out as f64 / bytes_in as f64
    }
}

/// The summary's last line: removals per filter kind, in pipeline order (lines; elements
/// for the HTML stages drop-elements and drop-link-blocks).
fn print_removed(removed: &BTreeMap<&'static str, usize>) {
    if !removed.is_empty() {
        let parts: Vec<String> = filters::KINDS
            .iter()
            .filter_map(|k| removed.get(k.name).map(|n| format!("{} {n}", k.name)))
            .collect();
        eprintln!("removed: {}", parts.join(", "));
    }
}
