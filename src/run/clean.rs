//! `declutr clean`: the run of each [`Mode`], from a cleaner with the loaded rules to what
//! is written and reported.
//!
//! A batch of several pages first learns what each site repeats across them (unless
//! `--no-learn`) and cleans with those learned site files added to the rules
//! (`learn_unless_off`). `--resume` keeps outputs newer than their input and than the
//! rules (`rules_changed`). An interrupt removes the outputs being written and says what
//! became of the rest ([`stop_cleanly_on_interrupt`]).

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::{Instant, SystemTime};

use crate::decode::Hints;
use crate::io::atomic::{self, Output};
use crate::io::gzip;
use crate::io::read::{self, ReadError};
use crate::learn::LearnedSite;
use crate::rules::Scope;
use crate::run::batch::{self, FileError};
use crate::run::jsonl::{self, OnBadLine, StreamError};
use crate::run::settings::{AfterInterrupt, Mode, Options, RuleFiles, Settings, WarcOutput};
use crate::run::summary::{Summary, learned_counts, report_file};
use crate::run::warc::clean as warc;
use crate::run::{Outcome, rules};
use crate::{Cleaner, DocumentInfo, RuleErrors, RuleSource, escape};

/// Cleans what `settings` say with `cleaner`; an error is a failure to write stdout (or
/// JSON Lines to it).
pub fn run(cleaner: &Cleaner, settings: Settings) -> io::Result<Outcome> {
    let Settings { mode, options } = settings;
    let options = &options;
    match mode {
        Mode::Page { input, explain } => {
            let read = match &input {
                None => read::read_stdin(options.max_bytes).map_err(FileError::from),
                Some(path) => read::read_input(path, options.max_bytes).map_err(FileError::from),
            };
            let name = input.as_deref().unwrap_or(Path::new("<stdin>"));
            match read {
                Ok(bytes) => page(cleaner, input.as_deref(), &bytes, explain, options),
                Err(e) => Ok(report_file(name, &e, options.quiet)),
            }
        }
        Mode::Batch(plan) => text_batch(cleaner, plan, false, options),
        Mode::ExplainBatch(plan) => text_batch(cleaner, plan, true, options),
        Mode::PagesToJsonl {
            walk,
            several,
            output,
        } => pages_to_jsonl(cleaner, walk, several, output.as_deref(), options),
        Mode::JsonlStream {
            input,
            output,
            text_field,
            url_field,
            on_bad_line,
        } => {
            let stream = jsonl::Options {
                text_field,
                url_field,
                site: options.site.clone(),
                on_bad_line,
                max_bytes: options.max_bytes,
                ..jsonl::Options::default()
            };
            jsonl_stream(
                cleaner,
                input.as_deref(),
                output.as_deref(),
                &stream,
                options,
            )
        }
        Mode::Warc { walk, output } => match output {
            WarcOutput::Jsonl(file) => warc_to_jsonl(cleaner, walk, file.as_deref(), options),
            WarcOutput::Dir(dir) => run_warc(cleaner, walk, &mut warc::Output::Dir(&dir), options),
        },
    }
}

/// On Ctrl-C or a termination signal, removes the outputs being written (outputs already
/// in place are complete), says `interrupted` followed by what became of the output and
/// how to finish, and exits with code 130.
pub fn stop_cleanly_on_interrupt(after: &AfterInterrupt) {
    let what_next = match after {
        AfterInterrupt::Nothing => String::new(),
        AfterInterrupt::Resume => {
            "; the outputs written so far are complete: rerun with --resume to finish".into()
        }
        AfterInterrupt::Rerun(file) => format!(
            "; {} was left as it was: rerun the command to write it",
            escape::path(file)
        ),
    };
    // Without a handler (one already set, say, by an embedding program) the default
    // applies: the process ends, and temporary files are removed by the next --resume.
    let _ = ctrlc::set_handler(move || {
        atomic::remove_partial_outputs(|| {
            eprintln!("declutr: interrupted{what_next}");
            std::process::exit(130)
        })
    });
}

/// When the rules last changed, for `--resume`: the newest of the `--rules` files and,
/// with the embedded rules, the declutr binary. Now, when a time cannot be read, so that
/// nothing counts as up to date.
pub(crate) fn rules_changed(files: &RuleFiles) -> SystemTime {
    let now = SystemTime::now();
    let mut newest = SystemTime::UNIX_EPOCH;
    if files.defaults {
        let exe = std::env::current_exe().and_then(|p| p.metadata()?.modified());
        newest = exe.unwrap_or(now);
    }
    for path in &files.paths {
        newest = newest.max(RuleSource::last_modified(path).unwrap_or(now));
    }
    newest
}

/// `--resume`: when the rules last changed ([`rules_changed`]); `None` without it.
fn resume(options: &Options) -> Option<SystemTime> {
    options.resume.then(|| rules_changed(&options.rules))
}

/// What a batch learned of its sites, and the cleaner that drops it.
#[derive(Default)]
pub(crate) struct Learned {
    /// The sites learned, with what each repeats.
    pub(crate) sites: Vec<LearnedSite>,
    /// The rules with the learned site files added; `None` when nothing was learned.
    pub(crate) cleaner: Option<Cleaner>,
}

/// Learns the sites of a batch's pages (unless `--no-learn`) and loads what they learned as
/// site files after the cleaner's, exactly as `declutr learn` writes them.
pub(crate) fn learn_unless_off(
    cleaner: &Cleaner,
    pages: &[(&Path, Option<&str>)],
    options: &Options,
) -> Result<Learned, RuleErrors> {
    if !options.learn {
        return Ok(Learned::default());
    }
    let sites = crate::run::learn::learn_batch(cleaner, pages, options.max_bytes).sites;
    if sites.is_empty() {
        return Ok(Learned::default());
    }
    let learned = sites.iter().map(|site| RuleSource {
        name: format!("<learned>/{}", crate::run::learn::file_name(&site.host)),
        text: site.to_toml(&cleaner.rules().site_hosts(&site.host)),
        scope: Scope::Site {
            default_host: site.host.clone(),
        },
    });
    // Only the learned files are compiled, one at a time: the loaded rules are shared, as
    // if they and the learned files had been loaded together.
    let rules = cleaner.rules().with_site_files(learned)?;
    Ok(Learned {
        sites,
        cleaner: Some(Cleaner::new(rules)),
    })
}

/// One page to stdout: its text (`--no-header`: the body alone), or with `explain` its
/// encoding and every line's fate.
fn page(
    cleaner: &Cleaner,
    path: Option<&Path>,
    bytes: &[u8],
    explain: bool,
    options: &Options,
) -> io::Result<Outcome> {
    let name = path.unwrap_or(Path::new("<stdin>"));
    let info = DocumentInfo {
        site: options.site.clone(),
        ..DocumentInfo::default()
    };
    let hints = Hints {
        name: path,
        ..Hints::default()
    };
    let cleaned = match cleaner.clean_bytes(bytes, &hints, &info) {
        Ok(c) => c,
        Err(e) => return Ok(report_file(name, &e.into(), options.quiet)),
    };
    for notice in batch::notices(&cleaned).iter().filter(|_| !options.quiet) {
        eprintln!("{}: {notice}", escape::path(name));
    }
    let out = if explain {
        cleaned.explain()
    } else if !options.header {
        cleaned.body_text()
    } else {
        cleaned.text()
    };
    let mut stdout = io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(Outcome::Clean)
}

/// Pages into text files under a directory (or, with `explain`, each page's lines and
/// their fates to stdout), after learning their sites.
fn text_batch(
    cleaner: &Cleaner,
    plan: batch::Plan,
    explain: bool,
    options: &Options,
) -> io::Result<Outcome> {
    let started = Instant::now();
    // A pipe named on the command line can be read once: for cleaning, not for learning.
    let pages: Vec<_> = plan
        .jobs
        .iter()
        .filter(|j| read::is_regular_file(&j.input))
        .map(|j| (j.input.as_path(), j.site.as_deref()))
        .collect();
    let learned = match learn_unless_off(cleaner, &pages, options) {
        Ok(l) => l,
        Err(e) => return Ok(rules::report_errors(&e)),
    };
    let cleaner = learned.cleaner.as_ref().unwrap_or(cleaner);
    if explain {
        return explain_batch(cleaner, &plan, &learned, options);
    }
    let bar = progress_bar(!options.quiet, plan.jobs.len());
    let batch_options = batch::Options {
        header: options.header,
        max_bytes: options.max_bytes,
        resume: resume(options),
    };
    let summary = batch::run_with(cleaner, plan, batch_options, &|| bar.inc(1));
    bar.finish_and_clear();
    Ok(finish(
        &Summary::Files(&summary),
        &learned,
        !options.quiet,
        options.quiet,
        started,
    ))
}

/// Ends a run over many inputs: its inputs reported ([`Summary::print_inputs`]), then,
/// when `show_summary`, the summary with what was `learned`; the outcome (exit 1 when an
/// input failed).
fn finish(
    summary: &Summary<'_>,
    learned: &Learned,
    show_summary: bool,
    quiet: bool,
    started: Instant,
) -> Outcome {
    summary.print_inputs(quiet);
    if show_summary {
        summary.print(&learned.sites, started.elapsed().as_secs_f64());
    }
    summary.outcome()
}

/// `--explain` over a batch: what was learned, then each page's encoding and lines with
/// their fates, to stdout.
fn explain_batch(
    cleaner: &Cleaner,
    plan: &batch::Plan,
    learned: &Learned,
    options: &Options,
) -> io::Result<Outcome> {
    let mut stdout = io::stdout().lock();
    for site in &learned.sites {
        writeln!(
            stdout,
            "# learned: {} across {} pages of {}",
            learned_counts(std::slice::from_ref(site)),
            site.pages,
            site.host
        )?;
    }
    let mut failed = false;
    for (path, cause) in &plan.walk_errors {
        failed |= report_file(path, cause, options.quiet) != Outcome::Clean;
    }
    for job in &plan.jobs {
        let bytes = match read::read_input(&job.input, options.max_bytes).map_err(FileError::from) {
            Ok(b) => b,
            Err(e) => {
                failed |= report_file(&job.input, &e, options.quiet) != Outcome::Clean;
                continue;
            }
        };
        let info = DocumentInfo {
            site: job.site.clone(),
            ..DocumentInfo::default()
        };
        let hints = Hints {
            name: Some(&job.input),
            ..Hints::default()
        };
        match cleaner.clean_bytes(&bytes, &hints, &info) {
            Ok(cleaned) => writeln!(
                stdout,
                "==> {} <==\n{}",
                escape::path(&job.input),
                cleaned.explain()
            )?,
            Err(e) => {
                failed |= report_file(&job.input, &e.into(), options.quiet) != Outcome::Clean;
            }
        }
    }
    Ok(Outcome::failed_if(failed))
}

/// `--format jsonl`: one record per page, to stdout or to the file `output`; the pages are
/// stdin (`walk` is `None`) or what the walk found.
fn pages_to_jsonl(
    cleaner: &Cleaner,
    walk: Option<batch::Walk>,
    several: bool,
    output: Option<&Path>,
    options: &Options,
) -> io::Result<Outcome> {
    let out_name = output.map(|p| escape::path(p).to_string());
    let write_failed = |e| write_failed(out_name.as_deref(), e);
    let mut out = match Output::open(output) {
        Ok(o) => o,
        Err(e) => return write_failed(e),
    };

    let Some(walk) = walk else {
        let stdin_name = Path::new("<stdin>");
        let info = DocumentInfo {
            site: options.site.clone(),
            ..DocumentInfo::default()
        };
        let read = read::read_stdin(options.max_bytes)
            .map_err(FileError::from)
            .and_then(|bytes| Ok(cleaner.clean_bytes(&bytes, &Hints::default(), &info)?));
        let cleaned = match read {
            Ok(c) => c,
            Err(e) => {
                // Nothing to write: a skipped input leaves the output empty.
                let outcome = report_file(stdin_name, &e, options.quiet);
                if let Err(e) = out.finish() {
                    return write_failed(e);
                }
                return Ok(outcome);
            }
        };
        for notice in batch::notices(&cleaned).iter().filter(|_| !options.quiet) {
            eprintln!("{}: {notice}", escape::path(stdin_name));
        }
        let line = jsonl::Record::new(None, &cleaned).to_line();
        if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.finish()) {
            return write_failed(e);
        }
        return Ok(Outcome::Clean);
    };

    let started = Instant::now();
    // A pipe named on the command line can be read once: for cleaning, not for learning.
    let pages: Vec<_> = walk
        .inputs
        .iter()
        .filter(|i| read::is_regular_file(&i.path))
        .map(|i| (i.path.as_path(), i.site.as_deref()))
        .collect();
    let learned = if several {
        match learn_unless_off(cleaner, &pages, options) {
            Ok(l) => l,
            Err(e) => return Ok(rules::report_errors(&e)),
        }
    } else {
        Learned::default()
    };
    let cleaner = learned.cleaner.as_ref().unwrap_or(cleaner);
    let bar = progress_bar(several && !options.quiet, walk.inputs.len());
    let summary =
        match jsonl::write_files(cleaner, walk, options.max_bytes, &mut out, &|| bar.inc(1)) {
            Ok(s) => s,
            Err(e) => return write_failed(e),
        };
    bar.finish_and_clear();
    if let Err(e) = out.finish() {
        return write_failed(e);
    }
    Ok(finish(
        &Summary::Files(&summary),
        &learned,
        several && !options.quiet,
        options.quiet,
        started,
    ))
}

/// `--input-format jsonl`: a stream of records from one file (`input`) or stdin, cleaned
/// in place, to stdout or the file `output`.
fn jsonl_stream(
    cleaner: &Cleaner,
    input: Option<&Path>,
    output: Option<&Path>,
    stream: &jsonl::Options,
    options: &Options,
) -> io::Result<Outcome> {
    let name = match input {
        None => "<stdin>".to_string(),
        Some(input) => escape::path(input).to_string(),
    };
    // Gzip is decompressed as it streams: by its name, or on stdin by its first bytes.
    let reader: Box<dyn BufRead> = match input {
        None => match gzip::sniff(io::stdin().lock()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{name}: {}", ReadError::Io(e));
                return Ok(Outcome::SomeFailed);
            }
        },
        Some(input) => match std::fs::File::open(input) {
            Ok(f) => gzip::by_name(input, f),
            Err(e) => {
                eprintln!("{name}: {}", ReadError::Io(e));
                return Ok(Outcome::SomeFailed);
            }
        },
    };
    let out_name = output.map(|p| escape::path(p).to_string());
    let mut out = match Output::open(output) {
        Ok(o) => o,
        Err(e) => return write_failed(out_name.as_deref(), e),
    };
    let started = Instant::now();
    let result = jsonl::clean_stream(reader, &mut out, cleaner, stream, |bad| {
        eprintln!("{name}:{}: {}", bad.line, bad.problem);
    });
    let summary = match result {
        Ok(s) => s,
        Err(StreamError::Write(e)) => return write_failed(out_name.as_deref(), e),
        Err(e) => {
            // What was written goes to stdout; an output file is not written.
            drop(out);
            let fail = matches!(e, StreamError::Stopped(_)).then_some(" (--on-bad-line fail)");
            let not_written = out_name.map(|o| format!("; {o} is not written"));
            eprintln!(
                "{name}: {e}{}{}",
                fail.unwrap_or_default(),
                not_written.unwrap_or_default()
            );
            return Ok(Outcome::SomeFailed);
        }
    };
    if let Err(e) = out.finish() {
        return write_failed(out_name.as_deref(), e);
    }
    let summary = Summary::Stream {
        summary: &summary,
        name: &name,
        bad_lines_skipped: stream.on_bad_line == OnBadLine::Skip,
    };
    Ok(finish(
        &summary,
        &Learned::default(),
        !options.quiet,
        options.quiet,
        started,
    ))
}

/// `--input-format warc --format jsonl`: to stdout or the file `output`.
fn warc_to_jsonl(
    cleaner: &Cleaner,
    walk: warc::Walk,
    output: Option<&Path>,
    options: &Options,
) -> io::Result<Outcome> {
    let out_name = output.map(|p| escape::path(p).to_string());
    let mut out = match Output::open(output) {
        Ok(o) => o,
        Err(e) => return write_failed(out_name.as_deref(), e),
    };
    let mut sink = warc::Output::Jsonl(&mut out);
    let outcome = match run_warc(cleaner, walk, &mut sink, options) {
        Ok(outcome) => outcome,
        Err(e) => return write_failed(out_name.as_deref(), e),
    };
    if let Err(e) = out.finish() {
        return write_failed(out_name.as_deref(), e);
    }
    Ok(outcome)
}

/// Cleans the WARC files `walk` found into `out`, with a progress bar (in bytes read) and a
/// summary; an error is a failure to write JSON Lines.
fn run_warc(
    cleaner: &Cleaner,
    walk: warc::Walk,
    out: &mut warc::Output<'_>,
    options: &Options,
) -> io::Result<Outcome> {
    let warc_options = warc::Options {
        header: options.header,
        max_bytes: options.max_bytes,
        site: options.site.clone(),
        resume: resume(options),
    };
    let sizes = walk
        .inputs
        .iter()
        .map(|i| i.path.as_ref().map(std::fs::metadata));
    let total = sizes
        .map(|m| m.and_then(Result::ok).map_or(0, |m| m.len()))
        .sum();
    // Stdin has no size to measure progress against.
    let bar = progress_bar(!options.quiet && total > 0, 0);
    bar.set_length(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} read {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    let started = Instant::now();
    let summary = warc::run(cleaner, walk, &warc_options, out, &|n| {
        bar.set_position(n);
    })?;
    bar.finish_and_clear();
    Ok(finish(
        &Summary::Warc(&summary),
        &Learned::default(),
        !options.quiet,
        options.quiet,
        started,
    ))
}

/// A failure to write JSON Lines: to an output file, reported and exit 1; to stdout, an
/// error for the caller (a closed pipe exits 0).
fn write_failed(out_name: Option<&str>, e: io::Error) -> io::Result<Outcome> {
    match out_name {
        Some(name) => {
            eprintln!("{name}: cannot write: {e}");
            Ok(Outcome::SomeFailed)
        }
        None => Err(e),
    }
}

/// A progress bar on stderr when `show` and stderr is a terminal, else a hidden one.
fn progress_bar(show: bool, len: usize) -> indicatif::ProgressBar {
    if !show || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len as u64);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}
