//! What a `declutr clean` or `declutr learn` run does, resolved: the [`Mode`] (what is read,
//! what is written, with the inputs already walked) and the options every mode shares.
//!
//! The command line builds these after checking every combination of its flags (the
//! binary's `cli::settings`); a run never meets a combination it has to refuse.

use std::path::PathBuf;

use crate::run::batch;
use crate::run::jsonl::OnBadLine;
use crate::run::warc::clean as warc;

/// Where the rules come from: the embedded ones unless `defaults` is off, then the files
/// of each path (a directory of rule files or one file), in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFiles {
    /// `--rules DIR` (or the paths of `rules check`/`rules test`).
    pub paths: Vec<PathBuf>,
    /// The embedded default rules first (not `--no-default-rules`).
    pub defaults: bool,
}

/// A resolved `declutr clean`: what it reads and writes, and how.
#[derive(Debug)]
pub struct Settings {
    /// What is read and what is written.
    pub mode: Mode,
    /// How, in every mode.
    pub options: Options,
}

/// The options every [`Mode`] shares (each mode reads those that apply to it; the
/// command line refuses the others).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Where the rules come from (also what `--resume` compares outputs with).
    pub rules: RuleFiles,
    /// The site when a page's header (or a record's URL) names none (`--site`).
    pub site: Option<String>,
    /// Inputs (files, WARC records, JSON lines) larger than this are not read
    /// (`--max-bytes`).
    pub max_bytes: u64,
    /// Text output: the provenance header before the body (not `--no-header`).
    pub header: bool,
    /// Learn each site's repeated lines across a batch before cleaning it (not
    /// `--no-learn`; only batches of several pages learn).
    pub learn: bool,
    /// `--resume`: outputs newer than their input and the rules are kept, not rewritten.
    pub resume: bool,
    /// No progress bar, no summary, no notices (`--quiet`); failures are still reported.
    pub quiet: bool,
}

/// What a `declutr clean` reads and writes.
#[derive(Debug)]
pub enum Mode {
    /// One page to stdout: a file (or a pipe named on the command line), or stdin
    /// (`None`). With `explain`, every line's fate instead of the text.
    Page {
        /// The file; `None` for stdin.
        input: Option<PathBuf>,
        /// `--explain`.
        explain: bool,
    },
    /// Pages cleaned into text files mirroring the input tree under a directory.
    Batch(batch::Plan),
    /// `--explain` over several pages: each page's lines with their fates, to stdout.
    ExplainBatch(batch::Plan),
    /// Pages to JSON Lines, one record each, to stdout or a file.
    PagesToJsonl {
        /// The pages: stdin (`None`), or what the walk of the inputs found.
        walk: Option<batch::Walk>,
        /// A directory or several inputs: the batch learns, and has a progress bar and a
        /// summary.
        several: bool,
        /// The file to write; `None` for stdout.
        output: Option<PathBuf>,
    },
    /// A JSON Lines stream, each record's text field cleaned in place.
    JsonlStream {
        /// The file to read (gzip by its name); `None` for stdin (gzip by its first bytes).
        input: Option<PathBuf>,
        /// The file to write; `None` for stdout.
        output: Option<PathBuf>,
        /// `--text-field`.
        text_field: String,
        /// `--url-field`.
        url_field: String,
        /// `--on-bad-line`.
        on_bad_line: OnBadLine,
    },
    /// The pages of WARC records.
    Warc {
        /// The WARC files the walk of the inputs found (or stdin).
        walk: warc::Walk,
        /// Where the cleaned pages go.
        output: WarcOutput,
    },
}

/// Where the pages of WARC records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WarcOutput {
    /// JSON Lines, to stdout (`None`) or this file.
    Jsonl(Option<PathBuf>),
    /// One text file per record under this directory.
    Dir(PathBuf),
}

/// What an interrupted `clean` says became of its output, after `declutr: interrupted`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterInterrupt {
    /// Nothing to add (stdout, `--explain`).
    Nothing,
    /// A directory batch: what is in place is complete; `--resume` finishes it.
    Resume,
    /// One output file, written whole or not at all: it was left as it was.
    Rerun(PathBuf),
}

/// A resolved `declutr learn`.
#[derive(Debug)]
pub struct LearnSettings {
    /// The pages the walk of the inputs found.
    pub walk: batch::Walk,
    /// The directory to write one `HOST.toml` per site into.
    pub output: PathBuf,
    /// Pages larger than this are not read (`--max-bytes`).
    pub max_bytes: u64,
    /// Overwrite site files edited by hand (`--force`).
    pub force: bool,
    /// Print nothing but problems (`--quiet`).
    pub quiet: bool,
}
