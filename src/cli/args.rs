//! The command line as clap parses it: the subcommands, their flags, help texts and value
//! parsers. Nothing here is checked beyond what clap checks; [`super::settings`] resolves
//! these low-level arguments into the library's [`declutr::run::Settings`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use declutr::run;

/// Strip boilerplate from scraped web pages and emit clean article text.
#[derive(Debug, Parser)]
#[command(name = "declutr", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Clean files, directories (mirrored under -o DIR) or stdin (`-`); or JSON Lines.
    Clean(CleanArgs),
    /// Learn each site's repeated lines from a scrape and write them as site rule files.
    Learn(LearnArgs),
    /// Check or test rule files.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// List the filter kinds, one line each.
    Filters,
    /// Show a filter kind's documentation, keys and example; or where a rule is defined.
    Explain {
        /// A filter kind (drop-link-lists), or a rule: KIND/ID (cut-at-marker/related-content)
        /// or its ID alone.
        #[arg(value_name = "KIND|KIND/ID|ID")]
        target: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
}

#[derive(Debug, Args)]
pub(crate) struct RuleArgs {
    /// Add rules from DIR (DIR/*.toml for all pages, DIR/sites/*.toml per site) or a file.
    #[arg(long = "rules", value_name = "DIR")]
    pub(crate) rules: Vec<PathBuf>,
    /// Start without the embedded default rules.
    #[arg(long)]
    pub(crate) no_default_rules: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LearnArgs {
    /// Files or directories of scraped pages.
    #[arg(required = true, value_name = "INPUT")]
    pub(crate) inputs: Vec<PathBuf>,
    /// The directory to write one `HOST.toml` per site into (e.g. `rules/sites`).
    #[arg(short, long, value_name = "DIR")]
    pub(crate) output: PathBuf,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// The site (host) to use when a document's header names none.
    #[arg(long, value_name = "HOST", value_parser = site_value)]
    pub(crate) site: Option<String>,
    /// Skip files larger than SIZE without reading them (as for `clean`).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = run::parse_size)]
    pub(crate) max_bytes: u64,
    /// Overwrite site files that were edited by hand.
    #[arg(long)]
    pub(crate) force: bool,
    /// Print nothing but problems.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CleanArgs {
    /// Files or directories to clean; `-` reads stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub(crate) inputs: Vec<PathBuf>,
    /// Text output: the directory to write under, mirroring the input tree (needed for
    /// directories and several inputs). JSON Lines output: the one file to write (default:
    /// stdout).
    #[arg(short, long, value_name = "PATH")]
    pub(crate) output: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) rules: RuleArgs,
    /// The site (host) to use when a document's header names none.
    #[arg(long, value_name = "HOST", value_parser = site_value)]
    pub(crate) site: Option<String>,
    /// Print every input line with its fate and the rule that decided it, instead of the text.
    #[arg(long)]
    pub(crate) explain: bool,
    /// Write the cleaned body alone, without the provenance header.
    #[arg(long)]
    pub(crate) no_header: bool,
    /// Skip files larger than SIZE without reading them: bytes, or with a unit, K, M, G
    /// (1000s) or KiB, MiB, GiB (1024s).
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = run::parse_size)]
    pub(crate) max_bytes: u64,
    /// Do not learn the lines each site repeats across the batch's pages (learning needs
    /// a directory or several inputs; see `declutr learn`).
    #[arg(long)]
    pub(crate) no_learn: bool,
    /// Directory batch: skip inputs whose output is newer than the input and the rules
    /// (the output of an interrupted run with the same options), and remove the temporary
    /// files a killed run left.
    #[arg(long)]
    pub(crate) resume: bool,
    /// No progress bar, no summary, and no notices of skipped binary files.
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// What to write for each document [default: txt; jsonl for --input-format jsonl].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub(crate) format: Option<Format>,
    /// What the inputs are.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = InputFormat::Page)]
    pub(crate) input_format: InputFormat,
    /// JSONL input: the field holding the page's text, replaced by the cleaned body
    /// [default: text].
    #[arg(long, value_name = "NAME")]
    pub(crate) text_field: Option<String>,
    /// JSONL input: the field holding the page's URL, which names its site when its header
    /// does not [default: url].
    #[arg(long, value_name = "NAME")]
    pub(crate) url_field: Option<String>,
    /// JSONL input: what to do with a line that is not a JSON object with a string text
    /// field, once reported as FILE:LINE on stderr; any bad line makes the exit code 1
    /// [default: pass].
    #[arg(long, value_enum, value_name = "ACTION")]
    pub(crate) on_bad_line: Option<BadLineAction>,
}

/// What `clean` writes for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// The cleaned text: header, blank line, body (a file per input, or stdout).
    Txt,
    /// One JSON record per document, in input order, to stdout or to the file -o FILE.
    Jsonl,
}

/// What `clean` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum InputFormat {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BadLineAction {
    /// Write the line to the output unchanged.
    Pass,
    /// Leave the line out of the output.
    Skip,
    /// Stop at the line (exit 1); an output file is then not written.
    Fail,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
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
pub(crate) fn site_value(value: &str) -> Result<String, declutr::HostError> {
    declutr::parse_host(value)
}
