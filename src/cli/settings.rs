//! From the low-level arguments clap parsed ([`super::args`]) to the library's resolved
//! [`Settings`]: every usage check of the command lives here, each a [`Usage`] error
//! (`declutr: MESSAGE`, exit 2).
//!
//! `declutr clean` resolves in three steps, in the order its checks have always run:
//! [`clean`] checks the flags against each other (no file is looked at), the caller then
//! loads the rules ([`CheckedClean::rules`]: a rule error is reported before any problem
//! of the inputs), and [`CheckedClean::resolve`] checks the inputs and the output and walks
//! the inputs into the [`Mode`]. `declutr learn` loads its rules first, then [`learn`].

use std::fmt;
use std::path::{Path, PathBuf};

use declutr::jsonl::{self, OnBadLine};
use declutr::run::settings::{AfterInterrupt, LearnSettings, WarcOutput};
use declutr::run::{Mode, Options, Outcome, RuleFiles, Settings};
use declutr::warc::clean as warc;
use declutr::{batch, escape};

use super::args::{BadLineAction, CleanArgs, Format, InputFormat, LearnArgs, RuleArgs};

/// A usage error: a combination of flags, inputs and output the command refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Usage(pub(crate) String);

impl Usage {
    fn new(message: impl fmt::Display) -> Self {
        Usage(message.to_string())
    }

    /// Reports the error on stderr as `declutr: MESSAGE`: [`Outcome::Refused`] (exit 2).
    pub(crate) fn report(&self) -> Outcome {
        eprintln!("declutr: {}", self.0);
        Outcome::Refused
    }
}

/// `--rules DIR…` and `--no-default-rules` (or the paths of `rules check`/`rules test`).
pub(crate) fn rule_files(paths: Vec<PathBuf>, no_default_rules: bool) -> RuleFiles {
    RuleFiles {
        paths,
        defaults: !no_default_rules,
    }
}

fn rule_args(args: &RuleArgs) -> RuleFiles {
    rule_files(args.rules.clone(), args.no_default_rules)
}

/// What `clean` reads and writes, as its flags say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Pages, to text (one file to stdout, or a batch under -o DIR).
    PagesToText,
    /// Pages, to JSON Lines.
    PagesToJsonl,
    /// A JSON Lines stream (`--input-format jsonl`).
    JsonlStream,
    /// WARC files (`--input-format warc`), to text files or JSON Lines.
    Warc {
        /// `--format jsonl`.
        jsonl: bool,
    },
}

/// A `declutr clean` whose flags go together; its inputs are not looked at yet.
#[derive(Debug)]
pub(crate) struct CheckedClean {
    args: CleanArgs,
    kind: Kind,
    /// A batch into a directory: `--resume` applies, and an interrupted run resumes.
    resumable: bool,
}

/// Checks that `clean`'s flags go together.
pub(crate) fn clean(args: CleanArgs) -> Result<CheckedClean, Usage> {
    let jsonl_in = args.input_format == InputFormat::Jsonl;
    if !jsonl_in
        && (args.text_field.is_some() || args.url_field.is_some() || args.on_bad_line.is_some())
    {
        return Err(Usage::new(
            "--text-field, --url-field and --on-bad-line apply to --input-format jsonl",
        ));
    }
    if jsonl_in && args.format == Some(Format::Txt) {
        return Err(Usage::new(
            "--input-format jsonl writes JSON Lines; --format txt does not apply",
        ));
    }
    let warc_in = args.input_format == InputFormat::Warc;
    if warc_in && args.explain {
        return Err(Usage::new(
            "--explain applies to pages, not to --input-format warc",
        ));
    }
    let jsonl_out = jsonl_in || args.format == Some(Format::Jsonl);
    if jsonl_out && (args.explain || args.no_header) {
        return Err(Usage::new(
            "--explain and --no-header apply to text output; a JSON record holds the body and the header apart",
        ));
    }
    let resumable = !(jsonl_out || args.explain || args.output.is_none());
    if args.resume && !resumable {
        return Err(Usage::new(
            "--resume applies to a batch cleaned into a directory: -o DIR",
        ));
    }
    let kind = match args.input_format {
        InputFormat::Jsonl => Kind::JsonlStream,
        InputFormat::Warc => Kind::Warc { jsonl: jsonl_out },
        InputFormat::Page if jsonl_out => Kind::PagesToJsonl,
        InputFormat::Page => Kind::PagesToText,
    };
    Ok(CheckedClean {
        args,
        kind,
        resumable,
    })
}

impl CheckedClean {
    /// Where the rules come from.
    pub(crate) fn rules(&self) -> RuleFiles {
        rule_args(&self.args.rules)
    }

    /// What an interrupted run says became of its output.
    pub(crate) fn after_interrupt(&self) -> AfterInterrupt {
        match &self.args.output {
            _ if self.args.explain => AfterInterrupt::Nothing,
            Some(_) if self.resumable => AfterInterrupt::Resume,
            Some(file) => AfterInterrupt::Rerun(file.clone()),
            None => AfterInterrupt::Nothing,
        }
    }

    /// Checks the inputs and the output (which must exist, or not, as the mode needs) and
    /// walks the inputs: the resolved settings.
    pub(crate) fn resolve(self) -> Result<Settings, Usage> {
        let mode = match self.kind {
            Kind::PagesToText => pages_to_text(&self.args)?,
            Kind::PagesToJsonl => pages_to_jsonl(&self.args)?,
            Kind::JsonlStream => jsonl_stream(&self.args)?,
            Kind::Warc { jsonl } => warc(&self.args, jsonl)?,
        };
        let args = self.args;
        let options = Options {
            rules: rule_args(&args.rules),
            site: args.site,
            max_bytes: args.max_bytes,
            header: !args.no_header,
            learn: !args.no_learn,
            resume: args.resume,
            quiet: args.quiet,
        };
        Ok(Settings { mode, options })
    }
}

fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Text output: stdin or one file to stdout, or a batch under -o DIR.
fn pages_to_text(args: &CleanArgs) -> Result<Mode, Usage> {
    let explain = args.explain;
    if args.inputs.iter().any(|p| is_stdin(p)) {
        if args.inputs.len() > 1 || args.output.is_some() {
            return Err(Usage::new("`-` (stdin) is cleaned alone, to stdout"));
        }
        return Ok(Mode::Page {
            input: None,
            explain,
        });
    }
    let Some(output) = &args.output else {
        // A file, or a pipe named on the command line (`<(cat page.txt)`, `/dev/stdin`).
        if args.inputs.len() == 1 && args.inputs[0].exists() && !args.inputs[0].is_dir() {
            return Ok(Mode::Page {
                input: Some(args.inputs[0].clone()),
                explain,
            });
        }
        if let Some(missing) = args.inputs.iter().find(|p| !p.exists()) {
            return Err(Usage::new(format_args!(
                "{}: no such file or directory",
                escape::path(missing)
            )));
        }
        return Err(Usage::new(
            "a directory or several inputs need an output directory: -o DIR",
        ));
    };
    let plan = batch::plan(&args.inputs, output, args.site.as_deref()).map_err(Usage::new)?;
    Ok(if explain {
        Mode::ExplainBatch(plan)
    } else {
        Mode::Batch(plan)
    })
}

/// `--format jsonl`: stdin alone, or the pages the walk finds, to stdout or -o FILE.
fn pages_to_jsonl(args: &CleanArgs) -> Result<Mode, Usage> {
    let stdin = args.inputs.iter().any(|p| is_stdin(p));
    if stdin && args.inputs.len() > 1 {
        return Err(Usage::new("`-` (stdin) is cleaned alone"));
    }
    if let Some(output) = &args.output {
        batch::check_output_file(&args.inputs, output).map_err(Usage::new)?;
    }
    let walk = if stdin {
        None
    } else {
        Some(batch::walk(&args.inputs, args.site.as_deref()).map_err(Usage::new)?)
    };
    Ok(Mode::PagesToJsonl {
        walk,
        several: args.inputs.len() > 1 || args.inputs.iter().any(|p| p.is_dir()),
        output: args.output.clone(),
    })
}

/// `--input-format jsonl`: one file, or stdin.
fn jsonl_stream(args: &CleanArgs) -> Result<Mode, Usage> {
    let [input] = args.inputs.as_slice() else {
        return Err(Usage::new(
            "--input-format jsonl reads one file, or `-` for stdin",
        ));
    };
    let stdin = is_stdin(input);
    if !stdin && !input.exists() {
        return Err(Usage::new(format_args!(
            "{}: no such file or directory",
            escape::path(input)
        )));
    }
    if input.is_dir() {
        return Err(Usage::new(format_args!(
            "{}: is a directory; --input-format jsonl reads one file, or `-` for stdin",
            escape::path(input)
        )));
    }
    if let Some(output) = &args.output {
        batch::check_output_file(&args.inputs, output).map_err(Usage::new)?;
    }
    let defaults = jsonl::Options::default();
    Ok(Mode::JsonlStream {
        input: (!stdin).then(|| input.clone()),
        output: args.output.clone(),
        text_field: args.text_field.clone().unwrap_or(defaults.text_field),
        url_field: args.url_field.clone().unwrap_or(defaults.url_field),
        on_bad_line: match args.on_bad_line {
            None | Some(BadLineAction::Pass) => OnBadLine::Pass,
            Some(BadLineAction::Skip) => OnBadLine::Skip,
            Some(BadLineAction::Fail) => OnBadLine::Fail,
        },
    })
}

/// `--input-format warc`: the WARC files the walk finds (or stdin alone), to JSON Lines
/// (`jsonl`: stdout or -o FILE) or to text files under -o DIR.
fn warc(args: &CleanArgs, jsonl: bool) -> Result<Mode, Usage> {
    if args.inputs.len() > 1 && args.inputs.iter().any(|p| is_stdin(p)) {
        return Err(Usage::new("`-` (stdin) is read alone"));
    }
    let walk = warc::walk(&args.inputs).map_err(Usage::new)?;
    let output = if jsonl {
        if let Some(output) = &args.output {
            batch::check_output_file(&args.inputs, output).map_err(Usage::new)?;
        }
        WarcOutput::Jsonl(args.output.clone())
    } else {
        let Some(dir) = &args.output else {
            return Err(Usage::new(
                "--input-format warc writes one text file per record under -o DIR, or JSON Lines with --format jsonl",
            ));
        };
        warc::check_output_dir(&args.inputs, &walk, dir).map_err(Usage::new)?;
        WarcOutput::Dir(dir.clone())
    };
    Ok(Mode::Warc { walk, output })
}

/// Where `learn`'s rules come from (loaded before [`learn`] checks its inputs).
pub(crate) fn learn_rules(args: &LearnArgs) -> RuleFiles {
    rule_args(&args.rules)
}

/// Checks `learn`'s output and inputs, and walks the inputs.
pub(crate) fn learn(args: LearnArgs) -> Result<LearnSettings, Usage> {
    if args.output.exists() && !args.output.is_dir() {
        return Err(Usage::new(format_args!(
            "{}: output exists and is not a directory",
            escape::path(&args.output)
        )));
    }
    if let Some(pipe) = args
        .inputs
        .iter()
        .find(|p| p.exists() && !p.is_dir() && !batch::is_regular_file(p))
    {
        return Err(Usage::new(format_args!(
            "{}: not a regular file; learning reads its pages more than once, a pipe can be read once: save it to a file",
            escape::path(pipe)
        )));
    }
    let walk = batch::walk(&args.inputs, args.site.as_deref()).map_err(Usage::new)?;
    Ok(LearnSettings {
        walk,
        output: args.output,
        max_bytes: args.max_bytes,
        force: args.force,
        quiet: args.quiet,
    })
}
