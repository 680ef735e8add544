//! The `declutr` command line: parses arguments, calls the library, maps outcomes to exit
//! codes (0 all cleaned, 1 some inputs failed, 2 usage or rule error).

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};
use declutr::batch::{self, FileError, Size};
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
    /// Clean files, directories (mirrored under -o DIR) or stdin (`-`).
    Clean(CleanArgs),
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
struct CleanArgs {
    /// Files or directories to clean; `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Write outputs under DIR, mirroring the input tree (needed for directories).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// The site (host) to use when a document's header names none.
    #[arg(long, value_name = "HOST")]
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
    /// No progress bar, no summary, and no notices of skipped binary files.
    #[arg(short, long)]
    quiet: bool,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
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

/// Loads the rules, printing every problem; `None` means exit 2.
fn load_rules(args: &RuleArgs) -> Result<Rules, RuleErrors> {
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
    match Rules::load(&sources) {
        Ok(rules) if errors.errors.is_empty() => Ok(rules),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.errors.extend(e.errors);
            Err(errors)
        }
    }
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

fn clean(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let rules = match load_rules(&args.rules) {
        Ok(r) => r,
        Err(e) => return Ok(report_rule_errors(&e)),
    };
    let cleaner = Cleaner::new(rules);
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin {
        if args.inputs.len() > 1 || args.output.is_some() {
            eprintln!("declutr: `-` (stdin) is cleaned alone, to stdout");
            return Ok(ExitCode::from(2));
        }
        let bytes = match batch::read_limited(io::stdin().lock(), args.max_bytes, 0) {
            Ok(b) => b,
            Err(e) => return Ok(report_file(Path::new("<stdin>"), &e, args.quiet)),
        };
        return single(&cleaner, None, &bytes, args.site.clone(), &args);
    }
    let Some(output) = args.output.clone() else {
        if args.inputs.len() == 1 && args.inputs[0].is_file() {
            let path = &args.inputs[0];
            let bytes = match batch::read_input(path, args.max_bytes) {
                Ok(b) => b,
                Err(e) => return Ok(report_file(path, &e, args.quiet)),
            };
            return single(&cleaner, Some(path), &bytes, args.site.clone(), &args);
        }
        if let Some(missing) = args.inputs.iter().find(|p| !p.exists()) {
            eprintln!("declutr: {}: no such file or directory", missing.display());
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
    if args.explain {
        return explain_batch(&cleaner, &plan, &args);
    }
    let started = Instant::now();
    let bar = if !args.quiet && io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(plan.jobs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} files {per_sec} eta {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let options = batch::Options {
        header: !args.no_header,
        max_bytes: args.max_bytes,
    };
    let summary = batch::run_with(&cleaner, plan, options, &|| bar.inc(1));
    bar.finish_and_clear();
    if !args.quiet {
        for (path, cause) in &summary.skipped_files {
            eprintln!("{}: {cause}", path.display());
        }
        for (path, notice) in &summary.notices {
            eprintln!("{}: {notice}", path.display());
        }
    }
    for (path, cause) in &summary.failures {
        eprintln!("{}: {cause}", path.display());
    }
    if !args.quiet {
        print_summary(&summary, started.elapsed().as_secs_f64());
    }
    Ok(if summary.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Reports a file that was not cleaned: a failure (exit 1) always, a skip (exit 0) unless
/// `quiet`.
fn report_file(path: &Path, e: &FileError, quiet: bool) -> ExitCode {
    if e.is_failure() {
        eprintln!("{}: {e}", path.display());
        ExitCode::from(1)
    } else {
        if !quiet {
            eprintln!("{}: {e}", path.display());
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
    let cleaned = batch::clean_document(cleaner, &text, html, &DocumentInfo { site });
    if let Some(notice) = batch::notice(&cleaned).filter(|_| !args.quiet) {
        eprintln!("{}: {notice}", name.display());
    }
    let out = if args.explain {
        cleaned.explain()
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

fn explain_batch(
    cleaner: &Cleaner,
    plan: &batch::Plan,
    args: &CleanArgs,
) -> anyhow::Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    let mut failed = false;
    for (path, cause) in &plan.walk_errors {
        failed |= report_file(path, cause, args.quiet) != ExitCode::SUCCESS;
    }
    for job in &plan.jobs {
        let bytes = match batch::read_input(&job.input, args.max_bytes) {
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
                };
                let cleaned = batch::clean_document(cleaner, &text, html, &info);
                writeln!(
                    stdout,
                    "==> {} <==\n{}",
                    job.input.display(),
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
    let binary = s
        .skipped_files
        .iter()
        .filter(|(_, e)| matches!(e, FileError::Binary { .. }))
        .count();
    let loops = s.skipped_files.len() - binary;
    let mut parts = Vec::new();
    if binary > 0 {
        parts.push(format!("{binary} binary"));
    }
    if loops > 0 {
        parts.push(format!(
            "{loops} symlink loop{}",
            if loops == 1 { "" } else { "s" }
        ));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn print_summary(s: &batch::Summary, secs: f64) {
    eprintln!(
        "cleaned {} file{}, {} skipped{}, {} failed: {} in, {} out ({:.0}% kept) in {:.2}s",
        s.cleaned,
        if s.cleaned == 1 { "" } else { "s" },
        s.skipped + s.skipped_files.len(),
        skipped_detail(s),
        s.failures.len(),
        Size(s.bytes_in),
        Size(s.bytes_out),
        if s.bytes_in == 0 {
            100.0
        } else {
            100.0 * s.bytes_out as f64 / s.bytes_in as f64
        },
        secs,
    );
    if !s.removed.is_empty() {
        let parts: Vec<String> = filters::KINDS
            .iter()
            .filter_map(|k| s.removed.get(k.name).map(|n| format!("{} {n}", k.name)))
            .collect();
        eprintln!("lines removed: {}", parts.join(", "));
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
