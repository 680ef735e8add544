//! The `declutr` command line: parses arguments, calls the library, maps outcomes to exit
//! codes (0 all cleaned, 1 some inputs failed, 2 usage or rule error).

use std::collections::BTreeMap;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, SystemTime};

use clap::{Args, Parser, Subcommand, ValueEnum};
use declutr::escape;
use declutr::io::atomic::{self, Output};
use declutr::io::gzip;
use declutr::io::read::{self, ReadError, Size};
use declutr::rules::Scope;
use declutr::run::batch::{self, FileError};
use declutr::run::jsonl::{self, OnBadLine, StreamError};
use declutr::run::learn;
use declutr::{Cleaner, DocumentInfo, RuleErrors, RuleSource, Rules, filters};

/// Strip boilerplate from scraped web pages and emit clean article text.
#[derive(Parser)]
#[command(name = "declutr", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Clean files, directories (mirrored under -o DIR) or stdin (`-`); or JSON Lines.
    Clean(CleanArgs),
    /// Learn each site's repeated lines from a scrape and write them as site rule files.
    Learn(LearnArgs),
    /// Check or test rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// List the filter kinds, one line each.
    Filters,
    /// Show one filter kind's documentation and a TOML example.
    Explain {
        /// The filter kind, e.g. drop-link-lists.
        kind: String,
    },
}

#[derive(Args)]
struct RuleArgs {
    /// Add rules from DIR (DIR/*.toml for all pages, DIR/sites/*.toml per site) or a file.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Start without the embedded default rules.
    #[arg(long)]
    no_default_rules: bool,
}

#[derive(Args)]
struct LearnArgs {
    /// Files or directories of scraped pages.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// The directory to write one `HOST.toml` per site into (e.g. `rules/sites`).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    #[command(flatten)]
    rules: RuleArgs,
    /// The site (host) to use when a document's header names none.
    #[arg(long, value_name = "HOST", value_parser = site_value)]
    site: Option<String>,
    /// Skip files larger than SIZE without reading them (as for `clean`).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = batch::parse_size)]
    max_bytes: u64,
    /// Overwrite site files that were edited by hand.
    #[arg(long)]
    force: bool,
    /// Print nothing but problems.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct CleanArgs {
    /// Files or directories to clean; `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Text output: the directory to write under, mirroring the input tree (needed for
    /// directories and several inputs). JSON Lines output: the one file to write (default:
    /// stdout).
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// The site (host) to use when a document's header names none.
    #[arg(long, value_name = "HOST", value_parser = site_value)]
    site: Option<String>,
    /// Print every input line with its fate and the rule that decided it, instead of the text.
    #[arg(long)]
    explain: bool,
    /// Write the cleaned body alone, without the provenance header.
    #[arg(long)]
    no_header: bool,
    /// Skip files larger than SIZE without reading them: bytes, or with a unit, K, M, G
    /// (1000s) or KiB, MiB, GiB (1024s).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = batch::parse_size)]
    max_bytes: u64,
    /// Do not learn the lines each site repeats across the batch's pages (learning needs
    /// a directory or several inputs; see `declutr learn`).
    #[arg(long)]
    no_learn: bool,
    /// Directory batch: skip inputs whose output is newer than the input and the rules
    /// (the output of an interrupted run with the same options), and remove the temporary
    /// files a killed run left.
    #[arg(long)]
    resume: bool,
    /// No progress bar, no summary, and no notices of skipped binary files.
    #[arg(short, long)]
    quiet: bool,
    /// What to write for each document [default: txt; jsonl for --input-format jsonl].
    #[arg(long, value_enum, value_name = "FORMAT")]
    format: Option<Format>,
    /// What the inputs are.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Page)]
    input_format: InputFormat,
    /// JSONL input: the field holding the page's text, replaced by the cleaned body
    /// [default: text].
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,
    /// JSONL input: the field holding the page's URL, which names its site when its header
    /// does not [default: url].
    #[arg(long, value_name = "NAME")]
    url_field: Option<String>,
    /// JSONL input: what to do with a line that is not a JSON object with a string text
    /// field, once reported as FILE:LINE on stderr; any bad line makes the exit code 1
    /// [default: pass].
    #[arg(long, value_enum, value_name = "ACTION")]
    on_bad_line: Option<BadLineAction>,
}

/// What `clean` writes for each document.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// The cleaned text: header, blank line, body (a file per input, or stdout).
    Txt,
    /// One JSON record per document, in input order, to stdout or to the file -o FILE.
    Jsonl,
}

/// What `clean` reads.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// Pages: text dumps or HTML, one per file.
    Page,
    /// One JSON object per line, from one file or stdin, written back with its text field
    /// cleaned and a `declutr` field added.
    Jsonl,
    /// WARC files (.warc, .warc.gz; or directories of them; or stdin): the HTML and text
    /// pages of their records, to JSON Lines or one text file per record under -o DIR.
    Warc,
}

/// `--on-bad-line`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BadLineAction {
    /// Write the line to the output unchanged.
    Pass,
    /// Leave the line out of the output.
    Skip,
    /// Stop at the line (exit 1); an output file is then not written.
    Fail,
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Validate rule files; every problem is reported as file:line:column.
    Check {
        /// Rule directories or files to check (with the embedded rules unless --no-default-rules).
        #[arg(value_name = "DIR")]
        paths: Vec<PathBuf>,
        /// Check without the embedded default rules.
        #[arg(long)]
        no_default_rules: bool,
    },
    /// Run the [[test]] cases of the rule files.
    Test {
        /// Rule directories or files whose tests to run, with the embedded rules.
        #[arg(value_name = "DIR")]
        paths: Vec<PathBuf>,
        /// Test without the embedded default rules.
        #[arg(long)]
        no_default_rules: bool,
    },
}

/// `--site`: a host name ([`declutr::parse_host`]), normalised; anything else is a usage
/// error (exit 2).
fn site_value(value: &str) -> Result<String, declutr::HostError> {
    declutr::parse_host(value)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Learn(args) => learn(&args),
        Command::Rules(RulesCommand::Check {
            paths,
            no_default_rules,
        }) => check_rules(&RuleArgs {
            rules: paths,
            no_default_rules,
        }),
        Command::Rules(RulesCommand::Test {
            paths,
            no_default_rules,
        }) => test_rules(&RuleArgs {
            rules: paths,
            no_default_rules,
        }),
        Command::Filters => list_filters(),
        Command::Explain { kind } => explain_kind(&kind),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("declutr: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The rule files to load: the embedded ones (unless `--no-default-rules`), then each
/// `--rules` path's.
fn rule_sources(args: &RuleArgs) -> Result<Vec<RuleSource>, RuleErrors> {
    let mut sources = if args.no_default_rules {
        Vec::new()
    } else {
        RuleSource::embedded()
    };
    let mut errors = RuleErrors::default();
    for path in &args.rules {
        match RuleSource::from_path(path) {
            Ok(s) => sources.extend(s),
            Err(e) => errors.errors.extend(e.errors),
        }
    }
    if errors.errors.is_empty() {
        Ok(sources)
    } else {
        // The files that could be read are still checked, so every problem shows at once.
        match Rules::load(&sources) {
            Ok(_) => Err(errors),
            Err(e) => {
                errors.errors.extend(e.errors);
                Err(errors)
            }
        }
    }
}

/// Loads the rules; every problem is returned at once (exit 2).
fn load_rules(args: &RuleArgs) -> Result<Rules, RuleErrors> {
    Rules::load(&rule_sources(args)?)
}

fn report_rule_errors(e: &RuleErrors) -> ExitCode {
    eprintln!("{e}");
    let n = e.errors.len();
    eprintln!(
        "declutr: {n} problem{} in rule files; nothing was cleaned",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::from(2)
}

/// A usage error: the message on stderr, exit code 2.
fn usage(message: impl std::fmt::Display) -> anyhow::Result<ExitCode> {
    eprintln!("declutr: {message}");
    Ok(ExitCode::from(2))
}

fn clean(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let jsonl_in = args.input_format == InputFormat::Jsonl;
    if !jsonl_in
        && (args.text_field.is_some() || args.url_field.is_some() || args.on_bad_line.is_some())
    {
        return usage("--text-field, --url-field and --on-bad-line apply to --input-format jsonl");
    }
    if jsonl_in && args.format == Some(Format::Txt) {
        return usage("--input-format jsonl writes JSON Lines; --format txt does not apply");
    }
    let warc_in = args.input_format == InputFormat::Warc;
    if warc_in && args.explain {
        return usage("--explain applies to pages, not to --input-format warc");
    }
    let jsonl_out = jsonl_in || args.format == Some(Format::Jsonl);
    if jsonl_out && (args.explain || args.no_header) {
        return usage(
            "--explain and --no-header apply to text output; a JSON record holds the body and the header apart",
        );
    }
    let resumable = !(jsonl_out || args.explain || args.output.is_none());
    if args.resume && !resumable {
        return usage("--resume applies to a batch cleaned into a directory: -o DIR");
    }
    let sources = match rule_sources(&args.rules) {
        Ok(s) => s,
        Err(e) => return Ok(report_rule_errors(&e)),
    };
    let rules = match Rules::load(&sources) {
        Ok(r) => r,
        Err(e) => return Ok(report_rule_errors(&e)),
    };
    let cleaner = Cleaner::new(rules);
    stop_cleanly_on_interrupt(match &args.output {
        _ if args.explain => String::new(),
        Some(_) if resumable => {
            "; the outputs written so far are complete: rerun with --resume to finish".into()
        }
        Some(file) => format!(
            "; {} was left as it was: rerun the command to write it",
            escape::path(file)
        ),
        None => String::new(),
    });
    if jsonl_in {
        return clean_jsonl_stream(&cleaner, &args);
    }
    if warc_in {
        return clean_warc(&cleaner, &args);
    }
    if jsonl_out {
        return clean_to_jsonl(&cleaner, &args);
    }
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin {
        if args.inputs.len() > 1 || args.output.is_some() {
            eprintln!("declutr: `-` (stdin) is cleaned alone, to stdout");
            return Ok(ExitCode::from(2));
        }
        let bytes = match read::read_stdin(args.max_bytes).map_err(FileError::from) {
            Ok(b) => b,
            Err(e) => return Ok(report_file(Path::new("<stdin>"), &e, args.quiet)),
        };
        return single(&cleaner, None, &bytes, args.site.clone(), &args);
    }
    let Some(output) = args.output.clone() else {
        // A file, or a pipe named on the command line (`<(cat page.txt)`, `/dev/stdin`).
        if args.inputs.len() == 1 && args.inputs[0].exists() && !args.inputs[0].is_dir() {
            let path = &args.inputs[0];
            let bytes = match read::read_input(path, args.max_bytes).map_err(FileError::from) {
                Ok(b) => b,
                Err(e) => return Ok(report_file(path, &e, args.quiet)),
            };
            return single(&cleaner, Some(path), &bytes, args.site.clone(), &args);
        }
        if let Some(missing) = args.inputs.iter().find(|p| !p.exists()) {
            eprintln!(
                "declutr: {}: no such file or directory",
                escape::path(missing)
            );
        } else {
            eprintln!("declutr: a directory or several inputs need an output directory: -o DIR");
        }
        return Ok(ExitCode::from(2));
    };
    let plan = match batch::plan(&args.inputs, &output, args.site.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("declutr: {e}");
            return Ok(ExitCode::from(2));
        }
    };
    let started = Instant::now();
    // A pipe named on the command line can be read once: for cleaning, not for learning.
    let pages: Vec<_> = plan
        .jobs
        .iter()
        .filter(|j| read::is_regular_file(&j.input))
        .map(|j| (j.input.as_path(), j.site.as_deref()))
        .collect();
    let learned = match learn_unless_off(&cleaner, &pages, &args) {
        Ok(l) => l,
        Err(e) => return Ok(report_rule_errors(&e)),
    };
    let cleaner = learned.cleaner.as_ref().unwrap_or(&cleaner);
    if args.explain {
        return explain_batch(cleaner, &plan, &learned, &args);
    }
    let bar = progress_bar(!args.quiet, plan.jobs.len());
    let options = batch::Options {
        header: !args.no_header,
        max_bytes: args.max_bytes,
        resume: args.resume.then(|| rules_changed(&args.rules)),
    };
    let summary = batch::run_with(cleaner, plan, options, &|| bar.inc(1));
    bar.finish_and_clear();
    Ok(finish_batch(
        &summary,
        &learned,
        !args.quiet,
        args.quiet,
        started,
    ))
}

/// What a batch learned of its sites, and the cleaner that drops it.
#[derive(Default)]
struct Learned {
    sites: Vec<declutr::learn::LearnedSite>,
    /// The rules with the learned site files added; `None` when nothing was learned.
    cleaner: Option<Cleaner>,
}

/// Learns the sites of a batch's pages (unless `--no-learn`) and loads what they learned as
/// site files after the cleaner's, exactly as `declutr learn` writes them.
fn learn_unless_off(
    cleaner: &Cleaner,
    pages: &[(&Path, Option<&str>)],
    args: &CleanArgs,
) -> Result<Learned, RuleErrors> {
    if args.no_learn {
        return Ok(Learned::default());
    }
    let sites = learn::learn_batch(cleaner, pages, args.max_bytes).sites;
    if sites.is_empty() {
        return Ok(Learned::default());
    }
    let learned = sites.iter().map(|site| RuleSource {
        name: format!("<learned>/{}", learn::file_name(&site.host)),
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

/// The summary's line on learning:
/// `learned: 41 repeated lines, 3 selectors on 3 sites (news.example 20, …)`.
fn print_learned(learned: &Learned) {
    if learned.sites.is_empty() {
        return;
    }
    // A crawl may learn thousands of sites: the line names the first few.
    const NAMED: usize = 10;
    let mut named: Vec<String> = learned
        .sites
        .iter()
        .take(NAMED)
        .map(|s| format!("{} {}", s.host, s.len()))
        .collect();
    if learned.sites.len() > NAMED {
        named.push(format!("and {} more", learned.sites.len() - NAMED));
    }
    eprintln!(
        "learned: {} on {} site{} ({})",
        learned_counts(&learned.sites),
        learned.sites.len(),
        if learned.sites.len() == 1 { "" } else { "s" },
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
fn learned_counts(sites: &[declutr::learn::LearnedSite]) -> String {
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

/// `declutr learn`: counts the batch's lines per site and writes one file per site.
fn learn(args: &LearnArgs) -> anyhow::Result<ExitCode> {
    let rules = match load_rules(&args.rules) {
        Ok(r) => r,
        Err(e) => return Ok(report_rule_errors(&e)),
    };
    if args.output.exists() && !args.output.is_dir() {
        return usage(format_args!(
            "{}: output exists and is not a directory",
            escape::path(&args.output)
        ));
    }
    if let Some(pipe) = args
        .inputs
        .iter()
        .find(|p| p.exists() && !p.is_dir() && !read::is_regular_file(p))
    {
        return usage(format_args!(
            "{}: not a regular file; learning reads its pages more than once, a pipe can be read once: save it to a file",
            escape::path(pipe)
        ));
    }
    let walk = match batch::walk(&args.inputs, args.site.as_deref()) {
        Ok(w) => w,
        Err(e) => return usage(e),
    };
    let cleaner = Cleaner::new(rules);
    let thresholds = cleaner.rules().learn_thresholds();
    let pages: Vec<_> = walk
        .inputs
        .iter()
        .map(|i| (i.path.as_path(), i.site.as_deref()))
        .collect();
    let learning = learn::learn_batch(&cleaner, &pages, args.max_bytes);
    let sites = learning.sites;
    let written = learn::write_site_files(
        &args.output,
        &sites,
        |host| cleaner.rules().site_hosts(host),
        args.force,
    );
    let mut kept = 0;
    let mut failed = 0;
    for (site, result) in sites.iter().zip(&written) {
        let (path, how) = match result {
            Ok(w) => w,
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e}", escape::text(&site.host));
                continue;
            }
        };
        let what = match how {
            learn::Written::Created => "written",
            learn::Written::Updated => "updated",
            learn::Written::Unchanged => "unchanged",
            learn::Written::KeptEdited => {
                kept += 1;
                eprintln!(
                    "{}: edited by hand, not overwritten: use --force to replace it",
                    escape::path(path)
                );
                continue;
            }
        };
        if !args.quiet {
            eprintln!(
                "{}: {} across {} pages of {} ({what})",
                escape::path(path),
                learned_counts(std::slice::from_ref(site)),
                site.pages,
                site.host
            );
        }
    }
    if !args.quiet {
        eprintln!(
            "learned from {} pages of {} site{} with {}+ pages: {} site file{}",
            learning.pages,
            learning.sites_counted,
            if learning.sites_counted == 1 { "" } else { "s" },
            thresholds.min_pages,
            sites.len() - kept - failed,
            if sites.len() - kept - failed == 1 {
                ""
            } else {
                "s"
            }
        );
    }
    Ok(if kept == 0 && failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// On Ctrl-C or a termination signal, removes the outputs being written (outputs already
/// in place are complete), says `interrupted` followed by `what_next` (what became of the
/// output and how to finish) and exits with code 130.
fn stop_cleanly_on_interrupt(what_next: String) {
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
fn rules_changed(args: &RuleArgs) -> SystemTime {
    let now = SystemTime::now();
    let mut newest = SystemTime::UNIX_EPOCH;
    if !args.no_default_rules {
        let exe = std::env::current_exe().and_then(|p| p.metadata()?.modified());
        newest = exe.unwrap_or(now);
    }
    for path in &args.rules {
        newest = newest.max(RuleSource::last_modified(path).unwrap_or(now));
    }
    newest
}

/// Ends a batch: its files reported ([`report_summary_files`]), then, when `summary`, what
/// was learned and the summary; the exit code (1 when a file failed).
fn finish_batch(
    s: &batch::Summary,
    learned: &Learned,
    summary: bool,
    quiet: bool,
    started: Instant,
) -> ExitCode {
    report_summary_files(s, quiet);
    if summary {
        print_learned(learned);
        print_held(s.notices.iter().map(|(_, n)| n));
        print_summary(s, started.elapsed().as_secs_f64());
    }
    if s.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Reports a batch's files on stderr: those skipped with a notice and the notices of
/// cleaned files (unless `quiet`), then the failures.
fn report_summary_files(summary: &batch::Summary, quiet: bool) {
    if !quiet {
        for (path, cause) in &summary.skipped_files {
            eprintln!("{}: {cause}", escape::path(path));
        }
        for (path, notice) in &summary.notices {
            eprintln!("{}: {notice}", escape::path(path));
        }
    }
    for (path, cause) in &summary.failures {
        eprintln!("{}: {cause}", escape::path(path));
    }
}

/// Reports a file that was not cleaned: a failure (exit 1) always, a skip (exit 0) unless
/// `quiet`.
fn report_file(path: &Path, e: &FileError, quiet: bool) -> ExitCode {
    if e.is_failure() {
        eprintln!("{}: {e}", escape::path(path));
        ExitCode::from(1)
    } else {
        if !quiet {
            eprintln!("{}: {e}", escape::path(path));
        }
        ExitCode::SUCCESS
    }
}

fn single(
    cleaner: &Cleaner,
    path: Option<&Path>,
    bytes: &[u8],
    site: Option<String>,
    args: &CleanArgs,
) -> anyhow::Result<ExitCode> {
    let name = path.unwrap_or(Path::new("<stdin>"));
    let (text, html) = match batch::read_document(path, bytes) {
        Ok(t) => t,
        Err(e) => return Ok(report_file(name, &e, args.quiet)),
    };
    let cleaned = batch::clean_document(
        cleaner,
        &text,
        html,
        &DocumentInfo {
            site,
            url: None,
            capture: None,
        },
    );
    for notice in batch::notices(&cleaned).iter().filter(|_| !args.quiet) {
        eprintln!("{}: {notice}", escape::path(name));
    }
    let out = if args.explain {
        format!(
            "# encoding: {}\n{}",
            batch::describe_encoding(path, bytes),
            cleaned.explain()
        )
    } else if args.no_header {
        cleaned.body_text()
    } else {
        cleaned.text()
    };
    let mut stdout = io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `--format jsonl`: one record per document, to stdout or to the file -o FILE.
fn clean_to_jsonl(cleaner: &Cleaner, args: &CleanArgs) -> anyhow::Result<ExitCode> {
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin && args.inputs.len() > 1 {
        return usage("`-` (stdin) is cleaned alone");
    }
    if let Some(output) = &args.output {
        if let Err(e) = batch::check_output_file(&args.inputs, output) {
            return usage(e);
        }
    }
    let walk = if stdin {
        None
    } else {
        match batch::walk(&args.inputs, args.site.as_deref()) {
            Ok(w) => Some(w),
            Err(e) => return usage(e),
        }
    };
    let out_name = args.output.as_ref().map(|p| escape::path(p).to_string());
    let write_failed = |e| write_failed(out_name.as_deref(), e);
    let mut out = match Output::open(args.output.as_deref()) {
        Ok(o) => o,
        Err(e) => return write_failed(e),
    };

    let Some(walk) = walk else {
        let stdin_name = Path::new("<stdin>");
        let read = read::read_stdin(args.max_bytes)
            .map_err(FileError::from)
            .and_then(|bytes| batch::read_document(None, &bytes));
        let (text, html) = match read {
            Ok(t) => t,
            Err(e) => {
                // Nothing to write: a skipped input leaves the output empty.
                let code = report_file(stdin_name, &e, args.quiet);
                if let Err(e) = out.finish() {
                    return write_failed(e);
                }
                return Ok(code);
            }
        };
        let info = DocumentInfo {
            site: args.site.clone(),
            url: None,
            capture: None,
        };
        let cleaned = batch::clean_document(cleaner, &text, html, &info);
        for notice in batch::notices(&cleaned).iter().filter(|_| !args.quiet) {
            eprintln!("{}: {notice}", escape::path(stdin_name));
        }
        let line = jsonl::Record::new(None, &cleaned).to_line();
        if let Err(e) = out.write_all(line.as_bytes()).and_then(|()| out.finish()) {
            return write_failed(e);
        }
        return Ok(ExitCode::SUCCESS);
    };

    let several = args.inputs.len() > 1 || args.inputs.iter().any(|p| p.is_dir());
    let started = Instant::now();
    // A pipe named on the command line can be read once: for cleaning, not for learning.
    let pages: Vec<_> = walk
        .inputs
        .iter()
        .filter(|i| read::is_regular_file(&i.path))
        .map(|i| (i.path.as_path(), i.site.as_deref()))
        .collect();
    let learned = if several {
        match learn_unless_off(cleaner, &pages, args) {
            Ok(l) => l,
            Err(e) => return Ok(report_rule_errors(&e)),
        }
    } else {
        Learned::default()
    };
    let cleaner = learned.cleaner.as_ref().unwrap_or(cleaner);
    let bar = progress_bar(several && !args.quiet, walk.inputs.len());
    let summary = match jsonl::write_files(cleaner, walk, args.max_bytes, &mut out, &|| bar.inc(1))
    {
        Ok(s) => s,
        Err(e) => return write_failed(e),
    };
    bar.finish_and_clear();
    if let Err(e) = out.finish() {
        return write_failed(e);
    }
    Ok(finish_batch(
        &summary,
        &learned,
        several && !args.quiet,
        args.quiet,
        started,
    ))
}

/// `--input-format jsonl`: a stream of records from one file or stdin, cleaned in place.
fn clean_jsonl_stream(cleaner: &Cleaner, args: &CleanArgs) -> anyhow::Result<ExitCode> {
    let [input] = args.inputs.as_slice() else {
        return usage("--input-format jsonl reads one file, or `-` for stdin");
    };
    let stdin = input.as_os_str() == "-";
    if !stdin && !input.exists() {
        return usage(format_args!(
            "{}: no such file or directory",
            escape::path(input)
        ));
    }
    if input.is_dir() {
        return usage(format_args!(
            "{}: is a directory; --input-format jsonl reads one file, or `-` for stdin",
            escape::path(input)
        ));
    }
    if let Some(output) = &args.output {
        if let Err(e) = batch::check_output_file(&args.inputs, output) {
            return usage(e);
        }
    }
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        escape::path(input).to_string()
    };
    // Gzip is decompressed as it streams: by its name, or on stdin by its first bytes.
    let reader: Box<dyn BufRead> = if stdin {
        match gzip::sniff(io::stdin().lock()) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{name}: {}", ReadError::Io(e));
                return Ok(ExitCode::from(1));
            }
        }
    } else {
        match std::fs::File::open(input) {
            Ok(f) => gzip::by_name(input, f),
            Err(e) => {
                eprintln!("{name}: {}", ReadError::Io(e));
                return Ok(ExitCode::from(1));
            }
        }
    };
    let defaults = jsonl::Options::default();
    let options = jsonl::Options {
        text_field: args.text_field.clone().unwrap_or(defaults.text_field),
        url_field: args.url_field.clone().unwrap_or(defaults.url_field),
        site: args.site.clone(),
        on_bad_line: match args.on_bad_line {
            None | Some(BadLineAction::Pass) => OnBadLine::Pass,
            Some(BadLineAction::Skip) => OnBadLine::Skip,
            Some(BadLineAction::Fail) => OnBadLine::Fail,
        },
        max_bytes: args.max_bytes,
        ..defaults
    };
    let out_name = args.output.as_ref().map(|p| escape::path(p).to_string());
    let mut out = match Output::open(args.output.as_deref()) {
        Ok(o) => o,
        Err(e) => return write_failed(out_name.as_deref(), e),
    };
    let started = Instant::now();
    let result = jsonl::clean_stream(reader, &mut out, cleaner, &options, |bad| {
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
            return Ok(ExitCode::from(1));
        }
    };
    if let Err(e) = out.finish() {
        return write_failed(out_name.as_deref(), e);
    }
    if !args.quiet {
        for (line, notice) in &summary.notices {
            eprintln!("{name}:{line}: {notice}");
        }
        let bad = match summary.bad_lines {
            0 => String::new(),
            n => format!(
                ", {n} bad line{} {}",
                if n == 1 { "" } else { "s" },
                if options.on_bad_line == OnBadLine::Skip {
                    "skipped"
                } else {
                    "passed through"
                }
            ),
        };
        print_held(summary.notices.iter().map(|(_, n)| n));
        eprintln!(
            "cleaned {} record{} of {} line{}{bad} in {:.2}s",
            summary.cleaned,
            if summary.cleaned == 1 { "" } else { "s" },
            summary.lines,
            if summary.lines == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64(),
        );
        print_removed(&summary.removed);
    }
    Ok(if summary.bad_lines == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--input-format warc`: the pages WARC records hold, to JSON Lines (stdout or -o FILE) or
/// to one text file per record under -o DIR.
fn clean_warc(cleaner: &Cleaner, args: &CleanArgs) -> anyhow::Result<ExitCode> {
    use declutr::run::warc::clean::{self as warc, Output as WarcOutput};
    if args.inputs.len() > 1 && args.inputs.iter().any(|p| p.as_os_str() == "-") {
        return usage("`-` (stdin) is read alone");
    }
    let walk = match warc::walk(&args.inputs) {
        Ok(w) => w,
        Err(e) => return usage(e),
    };
    if args.format == Some(Format::Jsonl) {
        return clean_warc_to_jsonl(cleaner, args, walk);
    }
    let Some(dir) = args.output.as_deref() else {
        return usage(
            "--input-format warc writes one text file per record under -o DIR, or JSON Lines with --format jsonl",
        );
    };
    if let Err(e) = warc::check_output_dir(&args.inputs, &walk, dir) {
        return usage(e);
    }
    run_warc(cleaner, args, walk, &mut WarcOutput::Dir(dir))
}

/// `--input-format warc --format jsonl`.
fn clean_warc_to_jsonl(
    cleaner: &Cleaner,
    args: &CleanArgs,
    walk: declutr::run::warc::clean::Walk,
) -> anyhow::Result<ExitCode> {
    if let Some(output) = &args.output {
        if let Err(e) = batch::check_output_file(&args.inputs, output) {
            return usage(e);
        }
    }
    let out_name = args.output.as_ref().map(|p| escape::path(p).to_string());
    let mut out = match Output::open(args.output.as_deref()) {
        Ok(o) => o,
        Err(e) => return write_failed(out_name.as_deref(), e),
    };
    let mut sink = declutr::run::warc::clean::Output::Jsonl(&mut out);
    let code = match run_warc(cleaner, args, walk, &mut sink) {
        Ok(code) => code,
        Err(e) => match e.downcast::<io::Error>() {
            Ok(e) => return write_failed(out_name.as_deref(), e),
            Err(e) => return Err(e),
        },
    };
    if let Err(e) = out.finish() {
        return write_failed(out_name.as_deref(), e);
    }
    Ok(code)
}

/// Cleans the WARC files `walk` found into `out`, with a progress bar (in bytes read) and a
/// summary; an error is a failure to write JSON Lines.
fn run_warc(
    cleaner: &Cleaner,
    args: &CleanArgs,
    walk: declutr::run::warc::clean::Walk,
    out: &mut declutr::run::warc::clean::Output<'_>,
) -> anyhow::Result<ExitCode> {
    let options = declutr::run::warc::clean::Options {
        header: !args.no_header,
        max_bytes: args.max_bytes,
        site: args.site.clone(),
        resume: args.resume.then(|| rules_changed(&args.rules)),
    };
    let sizes = walk
        .inputs
        .iter()
        .map(|i| i.path.as_ref().map(std::fs::metadata));
    let total = sizes
        .map(|m| m.and_then(Result::ok).map_or(0, |m| m.len()))
        .sum();
    // Stdin has no size to measure progress against.
    let bar = progress_bar(!args.quiet && total > 0, 0);
    bar.set_length(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} read {bytes_per_sec} eta {eta}",
    ) {
        bar.set_style(style);
    }
    let started = Instant::now();
    let summary = declutr::run::warc::clean::run(cleaner, walk, &options, out, &|n| {
        bar.set_position(n);
    })?;
    bar.finish_and_clear();
    if !args.quiet {
        for (at, cause) in &summary.skipped {
            eprintln!("{at}: {cause}");
        }
        for (at, notice) in &summary.notices {
            eprintln!("{at}: {notice}");
        }
        for (at, warning) in &summary.warnings {
            eprintln!("{at}: warning: {warning}");
        }
    }
    for (at, cause) in &summary.failures {
        eprintln!("{at}: {cause}");
    }
    if !args.quiet {
        print_held(summary.notices.iter().map(|(_, n)| n));
        print_warc_summary(&summary, started.elapsed().as_secs_f64());
    }
    Ok(
        if summary.failures.is_empty() && summary.unlisted_failures == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

/// `cleaned 4 of 11 records in 1 WARC file, 3 skipped (1 not 2xx, 2 not HTML or text), 0
/// failed: …`, then the removals.
fn print_warc_summary(s: &declutr::run::warc::clean::Summary, secs: f64) {
    use declutr::run::warc::clean::RecordError;
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
        RecordError::File(e) => Some(e),
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

/// A failure to write JSON Lines: to an output file, reported and exit 1; to stdout, an
/// error for `main` (a closed pipe exits 0).
fn write_failed(out_name: Option<&str>, e: io::Error) -> anyhow::Result<ExitCode> {
    match out_name {
        Some(name) => {
            eprintln!("{name}: cannot write: {e}");
            Ok(ExitCode::from(1))
        }
        None => Err(e.into()),
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

fn explain_batch(
    cleaner: &Cleaner,
    plan: &batch::Plan,
    learned: &Learned,
    args: &CleanArgs,
) -> anyhow::Result<ExitCode> {
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
        failed |= report_file(path, cause, args.quiet) != ExitCode::SUCCESS;
    }
    for job in &plan.jobs {
        let bytes = match read::read_input(&job.input, args.max_bytes).map_err(FileError::from) {
            Ok(b) => b,
            Err(e) => {
                failed |= report_file(&job.input, &e, args.quiet) != ExitCode::SUCCESS;
                continue;
            }
        };
        match batch::read_document(Some(&job.input), &bytes) {
            Ok((text, html)) => {
                let info = DocumentInfo {
                    site: job.site.clone(),
                    url: None,
                    capture: None,
                };
                let cleaned = batch::clean_document(cleaner, &text, html, &info);
                writeln!(
                    stdout,
                    "==> {} <==\n# encoding: {}\n{}",
                    escape::path(&job.input),
                    batch::describe_encoding(Some(&job.input), &bytes),
                    cleaned.explain()
                )?;
            }
            Err(e) => failed |= report_file(&job.input, &e, args.quiet) != ExitCode::SUCCESS,
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
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

fn print_summary(s: &batch::Summary, secs: f64) {
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

/// The share of the bytes read that were written, in percent (100 when nothing was read).
fn kept_percent(bytes_in: u64, bytes_out: u64) -> f64 {
    if bytes_in == 0 {
        100.0
    } else {
        100.0 * bytes_out as f64 / bytes_in as f64
    }
}

/// The summary's second line: removals per filter kind, in pipeline order (lines; elements
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

fn check_rules(args: &RuleArgs) -> anyhow::Result<ExitCode> {
    match load_rules(args) {
        Ok(rules) => {
            println!(
                "ok: {} rule file{}, {} global rules, {} site rule set{}, {} test case{}",
                rules.file_count(),
                if rules.file_count() == 1 { "" } else { "s" },
                rules.global_rule_ids().len(),
                rules.site_count(),
                if rules.site_count() == 1 { "" } else { "s" },
                rules.tests().len(),
                if rules.tests().len() == 1 { "" } else { "s" },
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Ok(report_rule_errors(&e)),
    }
}

fn test_rules(args: &RuleArgs) -> anyhow::Result<ExitCode> {
    let rules = match load_rules(args) {
        Ok(r) => r,
        Err(e) => return Ok(report_rule_errors(&e)),
    };
    let cleaner = Cleaner::new(rules);
    let mut failed = 0;
    let tests = cleaner.rules().tests().to_vec();
    for t in &tests {
        let problems = declutr::rules::run_test(&cleaner, t);
        if problems.is_empty() {
            println!("ok    {}", t.name);
        } else {
            failed += 1;
            println!("FAIL  {} ({})", t.name, t.location);
            for p in problems {
                println!("      {p}");
            }
        }
    }
    println!("{} passed, {} failed", tests.len() - failed, failed);
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn list_filters() -> anyhow::Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    for k in filters::KINDS {
        writeln!(stdout, "{:<16} {}", k.name, k.summary)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn explain_kind(name: &str) -> anyhow::Result<ExitCode> {
    let Some(k) = filters::kind(name) else {
        let names: Vec<&str> = filters::KINDS.iter().map(|k| k.name).collect();
        eprintln!(
            "declutr: unknown filter kind {name:?}; the kinds are: {}",
            names.join(", ")
        );
        return Ok(ExitCode::from(2));
    };
    let indent = |s: &str| {
        s.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "{}: {}\n\n{}\n\nExample rules:\n\n{}\n\nInput:\n\n{}\n\nOutput:\n\n{}",
        k.name,
        k.summary,
        k.description,
        indent(k.example.rules.trim_end()),
        indent(k.example.input.trim_end()),
        indent(k.example.output.trim_end()),
    )?;
    Ok(ExitCode::SUCCESS)
}
