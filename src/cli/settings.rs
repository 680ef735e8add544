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
use declutr::run::{
    self, AfterInterrupt, LearnSettings, Mode, Options, Outcome, RuleFiles, Settings, WarcOutput,
    escape_path,
};

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
                escape_path(missing)
            )));
        }
        return Err(Usage::new(
            "a directory or several inputs need an output directory: -o DIR",
        ));
    };
    let plan = run::plan(&args.inputs, output, args.site.as_deref()).map_err(Usage::new)?;
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
        run::check_output_file(&args.inputs, output).map_err(Usage::new)?;
    }
    let walk = if stdin {
        None
    } else {
        Some(run::walk(&args.inputs, args.site.as_deref()).map_err(Usage::new)?)
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
            escape_path(input)
        )));
    }
    if input.is_dir() {
        return Err(Usage::new(format_args!(
            "{}: is a directory; --input-format jsonl reads one file, or `-` for stdin",
            escape_path(input)
        )));
    }
    if let Some(output) = &args.output {
        run::check_output_file(&args.inputs, output).map_err(Usage::new)?;
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
    let walk = run::walk_warc(&args.inputs).map_err(Usage::new)?;
    let output = if jsonl {
        if let Some(output) = &args.output {
            run::check_output_file(&args.inputs, output).map_err(Usage::new)?;
        }
        WarcOutput::Jsonl(args.output.clone())
    } else {
        let Some(dir) = &args.output else {
            return Err(Usage::new(
                "--input-format warc writes one text file per record under -o DIR, or JSON Lines with --format jsonl",
            ));
        };
        run::check_warc_output_dir(&args.inputs, &walk, dir).map_err(Usage::new)?;
        WarcOutput::Dir(dir.clone())
    };
    Ok(Mode::Warc { walk, output })
}

/// Where `learn`'s rules come from (loaded before [`learn`] checks its inputs).
/// The rule files `explain` reads rule ids from.
pub(crate) fn explain_rules(args: &RuleArgs) -> RuleFiles {
    rule_args(args)
}

pub(crate) fn learn_rules(args: &LearnArgs) -> RuleFiles {
    rule_args(&args.rules)
}

/// Checks `learn`'s output and inputs, and walks the inputs.
pub(crate) fn learn(args: LearnArgs) -> Result<LearnSettings, Usage> {
    if args.output.exists() && !args.output.is_dir() {
        return Err(Usage::new(format_args!(
            "{}: output exists and is not a directory",
            escape_path(&args.output)
        )));
    }
    if let Some(pipe) = args
        .inputs
        .iter()
        .find(|p| p.exists() && !p.is_dir() && !run::is_regular_file(p))
    {
        return Err(Usage::new(format_args!(
            "{}: not a regular file; learning reads its pages more than once, a pipe can be read once: save it to a file",
            escape_path(pipe)
        )));
    }
    let walk = run::walk(&args.inputs, args.site.as_deref()).map_err(Usage::new)?;
    Ok(LearnSettings {
        walk,
        output: args.output,
        max_bytes: args.max_bytes,
        force: args.force,
        quiet: args.quiet,
    })
}

#[cfg(test)]
mod tests {
    use std::fs;

    use clap::Parser;

    use super::*;
    use crate::cli::args::{Cli, Command};

    /// A scratch directory with `page.txt` (a file) and `pages/` (a directory of one page).
    struct Scratch {
        dir: tempfile::TempDir,
    }

    impl Scratch {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let pages = dir.path().join("pages");
            fs::create_dir(&pages).unwrap_or_else(|e| panic!("{e}"));
            for file in [dir.path().join("page.txt"), pages.join("a.txt")] {
                fs::write(file, "A line of a page.\n").unwrap_or_else(|e| panic!("{e}"));
            }
            Scratch { dir }
        }

        /// `name` in the scratch directory, as an argument.
        fn path(&self, name: &str) -> String {
            self.dir.path().join(name).display().to_string()
        }
    }

    fn parse(argv: &[&str]) -> Command {
        let argv = ["declutr"].iter().chain(argv);
        Cli::try_parse_from(argv)
            .unwrap_or_else(|e| panic!("{e}"))
            .command
    }

    fn clean_args(argv: &[&str]) -> CleanArgs {
        match parse(&[&["clean"], argv].concat()) {
            Command::Clean(args) => args,
            _ => panic!("not clean"),
        }
    }

    /// `declutr clean ARGV…`, resolved as the command does (without the rules).
    fn resolve(argv: &[&str]) -> Result<Settings, Usage> {
        clean(clean_args(argv))?.resolve()
    }

    /// The message of the usage error `declutr clean ARGV…` is.
    fn refused(argv: &[&str]) -> String {
        match resolve(argv) {
            Ok(settings) => panic!("resolved: {settings:?}"),
            Err(usage) => {
                assert_eq!(usage.clone().report(), Outcome::Refused);
                usage.0
            }
        }
    }

    /// The message of the usage error of the flags alone (no file is looked at).
    fn refused_flags(argv: &[&str]) -> String {
        match clean(clean_args(argv)) {
            Ok(checked) => panic!("accepted: {checked:?}"),
            Err(usage) => usage.0,
        }
    }

    #[test]
    fn jsonl_field_flags_need_jsonl_input() {
        for flag in [
            &["--text-field", "body"][..],
            &["--url-field", "link"],
            &["--on-bad-line", "skip"],
        ] {
            assert_eq!(
                refused_flags(&[&["page.txt"], flag].concat()),
                "--text-field, --url-field and --on-bad-line apply to --input-format jsonl"
            );
        }
    }

    #[test]
    fn jsonl_input_refuses_text_output() {
        assert_eq!(
            refused_flags(&["--input-format", "jsonl", "--format", "txt", "in.jsonl"]),
            "--input-format jsonl writes JSON Lines; --format txt does not apply"
        );
    }

    #[test]
    fn warc_input_refuses_explain() {
        assert_eq!(
            refused_flags(&["--input-format", "warc", "--explain", "crawl.warc"]),
            "--explain applies to pages, not to --input-format warc"
        );
    }

    #[test]
    fn json_output_refuses_explain_and_no_header() {
        for argv in [
            &["--format", "jsonl", "--explain", "page.txt"][..],
            &["--format", "jsonl", "--no-header", "page.txt"],
            &["--input-format", "jsonl", "--no-header", "in.jsonl"],
        ] {
            assert_eq!(
                refused_flags(argv),
                "--explain and --no-header apply to text output; a JSON record holds the body and the header apart"
            );
        }
    }

    #[test]
    fn resume_needs_a_batch_into_a_directory() {
        for argv in [
            &["--resume", "pages"][..],
            &["--resume", "--explain", "pages", "-o", "out"],
            &["--resume", "--format", "jsonl", "pages", "-o", "out.jsonl"],
        ] {
            assert_eq!(
                refused_flags(argv),
                "--resume applies to a batch cleaned into a directory: -o DIR"
            );
        }
        let checked = clean(clean_args(&["--resume", "pages", "-o", "out"]));
        assert!(checked.is_ok());
    }

    #[test]
    fn stdin_is_cleaned_alone_to_stdout() {
        let s = Scratch::new();
        let message = "`-` (stdin) is cleaned alone, to stdout";
        assert_eq!(refused(&["-", &s.path("page.txt")]), message);
        assert_eq!(refused(&["-", "-o", &s.path("out")]), message);
        assert!(matches!(
            resolve(&["-"]).map(|s| s.mode),
            Ok(Mode::Page { input: None, .. })
        ));
    }

    #[test]
    fn text_output_without_a_directory_takes_one_existing_file() {
        let s = Scratch::new();
        let missing = s.path("missing.txt");
        assert_eq!(
            refused(&[&s.path("page.txt"), &missing]),
            format!(
                "{}: no such file or directory",
                escape_path(Path::new(&missing))
            )
        );
        assert_eq!(
            refused(&[&s.path("pages")]),
            "a directory or several inputs need an output directory: -o DIR"
        );
        let page = resolve(&["--explain", &s.path("page.txt")]).map(|s| s.mode);
        assert!(
            matches!(page, Ok(Mode::Page { input: Some(ref p), explain: true }) if p.ends_with("page.txt"))
        );
    }

    #[test]
    fn a_batch_refuses_an_output_inside_its_input() {
        let s = Scratch::new();
        let message = refused(&[&s.path("pages"), "-o", &s.path("pages/out")]);
        assert!(
            message.starts_with("output directory ") && message.contains("is inside input"),
            "{message}"
        );
        let batch = resolve(&[&s.path("pages"), "-o", &s.path("out")]).map(|s| s.mode);
        assert!(matches!(batch, Ok(Mode::Batch(ref plan)) if plan.files() == 1));
        let explain = resolve(&["--explain", &s.path("pages"), "-o", &s.path("out")]);
        assert!(matches!(explain.map(|s| s.mode), Ok(Mode::ExplainBatch(_))));
    }

    #[test]
    fn pages_to_json_lines_check_stdin_the_output_file_and_the_inputs() {
        let s = Scratch::new();
        let jsonl = ["--format", "jsonl"];
        assert_eq!(
            refused(&[&jsonl[..], &["-", &s.path("page.txt")]].concat()),
            "`-` (stdin) is cleaned alone"
        );
        let message =
            refused(&[&jsonl[..], &[&s.path("page.txt"), "-o", &s.path("pages")]].concat());
        assert!(
            message.contains("is a directory; JSON Lines go to one file"),
            "{message}"
        );
        let missing = s.path("missing");
        assert_eq!(
            refused(&[&jsonl[..], &[missing.as_str()]].concat()),
            format!(
                "{}: no such file or directory",
                escape_path(Path::new(&missing))
            )
        );
        let mode = resolve(&[&jsonl[..], &[&s.path("pages")]].concat()).map(|s| s.mode);
        assert!(matches!(
            mode,
            Ok(Mode::PagesToJsonl {
                walk: Some(_),
                several: true,
                output: None
            })
        ));
    }

    #[test]
    fn a_json_lines_stream_reads_one_file_or_stdin() {
        let s = Scratch::new();
        let jsonl = ["--input-format", "jsonl"];
        assert_eq!(
            refused(&[&jsonl[..], &[&s.path("page.txt"), "-"]].concat()),
            "--input-format jsonl reads one file, or `-` for stdin"
        );
        let missing = s.path("missing.jsonl");
        assert_eq!(
            refused(&[&jsonl[..], &[missing.as_str()]].concat()),
            format!(
                "{}: no such file or directory",
                escape_path(Path::new(&missing))
            )
        );
        let dir = s.path("pages");
        assert_eq!(
            refused(&[&jsonl[..], &[dir.as_str()]].concat()),
            format!(
                "{}: is a directory; --input-format jsonl reads one file, or `-` for stdin",
                escape_path(Path::new(&dir))
            )
        );
        let message = refused(&[&jsonl[..], &["-", "-o", &s.path("pages")]].concat());
        assert!(
            message.contains("is a directory; JSON Lines go to one file"),
            "{message}"
        );
        let stream = resolve(&[&jsonl[..], &["-", "--on-bad-line", "skip"]].concat());
        let Ok(Mode::JsonlStream {
            input: None,
            text_field,
            url_field,
            on_bad_line: OnBadLine::Skip,
            ..
        }) = stream.map(|s| s.mode)
        else {
            panic!("not a stream of stdin that skips bad lines");
        };
        assert_eq!((text_field.as_str(), url_field.as_str()), ("text", "url"));
    }

    #[test]
    fn warc_input_checks_stdin_the_inputs_and_the_output() {
        let s = Scratch::new();
        let warc = ["--input-format", "warc"];
        assert_eq!(
            refused(&[&warc[..], &["-", &s.path("page.txt")]].concat()),
            "`-` (stdin) is read alone"
        );
        let missing = s.path("missing.warc");
        assert_eq!(
            refused(&[&warc[..], &[missing.as_str(), "-o", &s.path("out")]].concat()),
            format!(
                "{}: no such file or directory",
                escape_path(Path::new(&missing))
            )
        );
        assert_eq!(
            refused(&[&warc[..], &["-"]].concat()),
            "--input-format warc writes one text file per record under -o DIR, or JSON Lines with --format jsonl"
        );
        let file = s.path("page.txt");
        assert_eq!(
            refused(&[&warc[..], &["-", "-o", file.as_str()]].concat()),
            format!(
                "{}: output exists and is not a directory",
                escape_path(Path::new(&file))
            )
        );
        let message = refused(
            &[
                &warc[..],
                &["--format", "jsonl", "-", "-o", &s.path("pages")],
            ]
            .concat(),
        );
        assert!(
            message.contains("is a directory; JSON Lines go to one file"),
            "{message}"
        );
        let to_jsonl = resolve(&[&warc[..], &["--format", "jsonl", "-"]].concat());
        assert!(matches!(
            to_jsonl.map(|s| s.mode),
            Ok(Mode::Warc {
                output: WarcOutput::Jsonl(None),
                ..
            })
        ));
    }

    #[test]
    fn options_come_from_the_flags() {
        let s = Scratch::new();
        let settings = resolve(&[
            "--no-header",
            "--no-learn",
            "--quiet",
            "--resume",
            "--site",
            "News.Example",
            "--max-bytes",
            "2K",
            "--no-default-rules",
            "--rules",
            "mine",
            &s.path("pages"),
            "-o",
            &s.path("out"),
        ])
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            settings.options,
            Options {
                rules: RuleFiles {
                    paths: vec![PathBuf::from("mine")],
                    defaults: false,
                },
                site: Some("news.example".into()),
                max_bytes: 2000,
                header: false,
                learn: false,
                resume: true,
                quiet: true,
            }
        );
    }

    #[test]
    fn an_interrupt_tells_what_became_of_the_output() {
        let after = |argv: &[&str]| {
            clean(clean_args(argv))
                .unwrap_or_else(|e| panic!("{e:?}"))
                .after_interrupt()
        };
        assert_eq!(after(&["pages", "-o", "out"]), AfterInterrupt::Resume);
        assert_eq!(
            after(&["--format", "jsonl", "pages", "-o", "out.jsonl"]),
            AfterInterrupt::Rerun(PathBuf::from("out.jsonl"))
        );
        assert_eq!(
            after(&["--explain", "pages", "-o", "out"]),
            AfterInterrupt::Nothing
        );
        assert_eq!(after(&["page.txt"]), AfterInterrupt::Nothing);
    }

    fn learn_args(argv: &[&str]) -> LearnArgs {
        match parse(&[&["learn"], argv].concat()) {
            Command::Learn(args) => args,
            _ => panic!("not learn"),
        }
    }

    fn learn_refused(argv: &[&str]) -> String {
        match learn(learn_args(argv)) {
            Ok(settings) => panic!("resolved: {settings:?}"),
            Err(usage) => usage.0,
        }
    }

    #[test]
    fn learn_checks_its_output_and_inputs() {
        let s = Scratch::new();
        let file = s.path("page.txt");
        assert_eq!(
            learn_refused(&[&s.path("pages"), "-o", &file]),
            format!(
                "{}: output exists and is not a directory",
                escape_path(Path::new(&file))
            )
        );
        let missing = s.path("missing");
        assert_eq!(
            learn_refused(&[&missing, "-o", &s.path("sites")]),
            format!(
                "{}: no such file or directory",
                escape_path(Path::new(&missing))
            )
        );
        let settings = learn(learn_args(&[&s.path("pages"), "-o", &s.path("sites")]));
        assert!(matches!(settings, Ok(ref l) if l.walk.files() == 1));
    }

    #[cfg(unix)]
    #[test]
    fn learn_refuses_a_file_it_cannot_read_twice() {
        let s = Scratch::new();
        assert_eq!(
            learn_refused(&["/dev/null", "-o", &s.path("sites")]),
            "/dev/null: not a regular file; learning reads its pages more than once, a pipe can be read once: save it to a file"
        );
    }
}
