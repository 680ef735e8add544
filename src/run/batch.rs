//! Batch cleaning: walk the inputs, mirror them under the output directory, in parallel.
//!
//! A failing file is reported as `path: cause` and the batch goes on. Outputs are written
//! to a temporary file beside their final name and renamed into place
//! ([`crate::io::atomic`]), so a reader never sees half a file. The input tree is never
//! written to; an output directory inside an input directory is refused before anything
//! runs.
//!
//! Every file is read defensively, never more than [`Options::max_bytes`] of it
//! ([`crate::io::read`]); a `.gz` file is decompressed as it is read, and is named and
//! typed by its name without `.gz`. Binary files, symlink loops and entries that are not
//! regular files (FIFOs, sockets, devices: never opened) are skipped with a notice; they
//! are not failures ([`FileError::is_failure`]).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::cleaner::{Cleaner, DocumentInfo};
use crate::decode::DecodeError;
use crate::decode::Hints;
use crate::escape;
use crate::io::atomic::remove_stale_temporaries;
use crate::io::out_path::{OutPathError, OutputRoot};
use crate::io::read::{ReadError, read_input};
use crate::site;

/// A problem with the batch as asked (exit code 2): nothing is cleaned.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An input does not exist.
    #[error("{}: no such file or directory", escape::path(.0))]
    MissingInput(PathBuf),
    /// The output directory lies inside an input directory.
    #[error(
        "output directory {} is inside input directory {}: choose a directory outside the input tree",
        escape::path(.output), escape::path(.input)
    )]
    OutputInsideInput {
        /// The output directory.
        output: PathBuf,
        /// The input directory that contains it.
        input: PathBuf,
    },
    /// The output path exists and is not a directory.
    #[error("{}: output exists and is not a directory", escape::path(.0))]
    OutputNotDirectory(PathBuf),
    /// An output would overwrite an input.
    #[error(
        "{} would overwrite the input {}: choose an output directory that holds no input",
        escape::path(.output), escape::path(.input)
    )]
    OutputIsInput {
        /// The output file.
        output: PathBuf,
        /// The input it would overwrite.
        input: PathBuf,
    },
    /// One output file (`--format jsonl -o FILE`) was asked, and the path is a directory.
    #[error(
        "{}: is a directory; JSON Lines go to one file: name a file, or leave it out for stdout",
        escape::path(.0)
    )]
    OutputFileIsDirectory(PathBuf),
    /// An output file would be written inside an input directory, or over an input file.
    #[error(
        "output file {} would be written into the input {}: choose a path outside the inputs",
        escape::path(.output), escape::path(.input)
    )]
    OutputFileInInput {
        /// The output file.
        output: PathBuf,
        /// The input file or directory it would be written into.
        input: PathBuf,
    },
    /// Two inputs would be written to the same output file.
    #[error(
        "{} and {} would both be written to {}: clean them into separate output directories",
        escape::path(.first), escape::path(.second), escape::path(.output)
    )]
    SharedOutput {
        /// The output file.
        output: PathBuf,
        /// The first input.
        first: PathBuf,
        /// The second input.
        second: PathBuf,
    },
    /// The output file is not a plain name, or is a symbolic link.
    #[error(transparent)]
    Output(#[from] OutPathError),
}

/// The default of [`Options::max_bytes`] (`--max-bytes`): 64 MB.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 64_000_000;

/// Why one file was not cleaned: a failure, or a skip ([`FileError::is_failure`]).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Reading failed, or the file was not read: gone, too large, not valid gzip, or
    /// binary ([`ReadError`]).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A directory symlink leads back to one of its ancestors; the walk does not follow
    /// it again, and the files under the ancestor are cleaned once (not a failure).
    #[error("skipped: symlink loop (leads back to {})", escape::path(.ancestor))]
    SymlinkLoop {
        /// The directory the link leads back to.
        ancestor: PathBuf,
    },
    /// A directory entry that is not a regular file: a FIFO, a socket or a device. It is
    /// never opened (opening a FIFO waits for a writer that may never come; a device may
    /// never end), and it is not a failure.
    #[error("skipped: {kind}, not a regular file (not opened)")]
    NotAFile {
        /// What it is: `a FIFO (named pipe)`, `a socket`, `a device`.
        kind: &'static str,
    },
    /// Writing the output failed.
    #[error("cannot write {}: {}", escape::path(.0), .1)]
    Write(PathBuf, io::Error),
    /// The output path cannot be written safely: its name would lead out of the output
    /// directory, or a symbolic link inside the output is in the way ([`crate::io::out_path`]).
    #[error(transparent)]
    Output(#[from] OutPathError),
    /// Walking the input tree failed here (a directory that cannot be read, …).
    #[error("{0}")]
    Walk(String),
}

impl FileError {
    /// Whether the file counts as failed (exit code 1). Binary files, symlink loops and
    /// entries that are not regular files are skipped with a notice instead: there was no
    /// document to clean.
    pub fn is_failure(&self) -> bool {
        self.skip_cause().is_none()
    }

    /// Why a file skipped with a notice was skipped, as the summary counts it (`binary`,
    /// `symlink loop`, `special file`); `None` for a failure.
    pub fn skip_cause(&self) -> Option<&'static str> {
        // Each cause is one of SKIP_CAUSES.
        match self {
            FileError::Read(ReadError::Binary { .. }) => Some("binary"),
            FileError::SymlinkLoop { .. } => Some("symlink loop"),
            FileError::NotAFile { .. } => Some("special file"),
            _ => None,
        }
    }
}

impl From<DecodeError> for FileError {
    fn from(e: DecodeError) -> Self {
        match e {
            // Bytes read whole (stdin, a record) are judged as a file's first bytes are.
            DecodeError::Binary { offset } => FileError::Read(ReadError::Binary { offset }),
        }
    }
}

/// Every cause [`FileError::skip_cause`] gives, in the order a summary lists them.
pub(crate) const SKIP_CAUSES: [&str; 3] = ["binary", "symlink loop", "special file"];

/// Something to tell about a file that was cleaned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Notice {
    /// The page's markup nested deeper than `max` levels; the tags below that depth were
    /// removed before parsing, their text kept.
    #[error(
        "markup nested {depth} levels deep: tags below level {max} were removed, their text kept"
    )]
    DeepMarkup {
        /// How deep it nested.
        depth: usize,
        /// The cap.
        max: usize,
    },
    /// The site's learned rules were not applied to the page: they would have removed
    /// most of its sentence-like text (the article guard).
    #[error("{0}")]
    LearnedHeld(crate::LearnedHeld),
    /// An element of the page had more than `max` attributes; those after the first `max`
    /// were removed before parsing.
    #[error("an element has {attributes} attributes: those after the first {max} were removed")]
    ManyAttributes {
        /// The most attributes one element had.
        attributes: usize,
        /// The cap.
        max: usize,
    },
}

/// A size that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid size {0:?}: expected a number of bytes, optionally with a unit: K, M, G (1000s) or KiB, MiB, GiB (1024s), e.g. 64M or 500K"
)]
pub struct SizeError(pub String);

/// Parses a size: plain bytes (`65536`), or a whole number with a unit, `K`/`KB`, `M`/`MB`,
/// `G`/`GB` in thousands, `KiB`, `MiB`, `GiB` in 1024s (any case).
pub fn parse_size(s: &str) -> Result<u64, SizeError> {
    let err = || SizeError(s.to_string());
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().map_err(|_| err())?;
    let factor: u64 = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "m" | "mb" => 1000_u64.pow(2),
        "g" | "gb" => 1000_u64.pow(3),
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => return Err(err()),
    };
    n.checked_mul(factor).ok_or_else(err)
}

/// One input file found by [`walk`].
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// The file, as found: the input as given, or a path under an input directory.
    pub path: PathBuf,
    /// Its path relative to the input directory it was found in (a file input: its name).
    pub rel: PathBuf,
    /// The site from the directory layout or `--site`, used when the header names none.
    pub site: Option<String>,
}

/// What [`walk`] found.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to clean, in input order, each directory's files sorted by name.
    pub(crate) inputs: Vec<Input>,
    /// Files skipped: not text by their name, or hidden.
    pub(crate) skipped: usize,
    /// Entries the walk could not read, and symlink loops ([`FileError::SymlinkLoop`],
    /// not a failure).
    pub(crate) walk_errors: Vec<(PathBuf, FileError)>,
}

impl Walk {
    /// How many files it found to clean.
    pub fn files(&self) -> usize {
        self.inputs.len()
    }
}

/// One input file and where its output goes.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    /// The input file.
    pub input: PathBuf,
    /// The output file.
    pub output: PathBuf,
    /// The site from the directory layout or `--site`, used when the header names none.
    pub site: Option<String>,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to clean.
    pub(crate) jobs: Vec<Job>,
    /// Files skipped: not text by their name, or hidden.
    pub(crate) skipped: usize,
    /// Entries the walk could not read, symlink loops, and inputs whose output name is not
    /// usable ([`OutputRoot::join`]).
    pub(crate) walk_errors: Vec<(PathBuf, FileError)>,
    /// The output directory every job's output lies under.
    pub(crate) root: OutputRoot,
}

impl Plan {
    /// How many files it cleans.
    pub fn files(&self) -> usize {
        self.jobs.len()
    }
}

/// The outcome of a batch.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files cleaned and written.
    pub cleaned: usize,
    /// Files not cleaned again because their output is up to date (`--resume`).
    pub up_to_date: usize,
    /// Temporary files of a killed run removed (`--resume`).
    pub stale_temporaries: usize,
    /// Files skipped by their name (not text, hidden).
    pub skipped: usize,
    /// Files skipped with a notice (binary files, symlink loops), sorted by path.
    pub skipped_files: Vec<(PathBuf, FileError)>,
    /// Files that failed, with their cause, sorted by path.
    pub failures: Vec<(PathBuf, FileError)>,
    /// Files cleaned with something to tell, sorted by path.
    pub notices: Vec<(PathBuf, Notice)>,
    /// Bytes read from the cleaned files.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Removals per filter kind: non-blank lines, or elements for the HTML stages.
    pub removed: BTreeMap<&'static str, usize>,
}

impl Summary {
    /// Records a file that was not cleaned: among the failures, or among the files skipped
    /// with a notice ([`FileError::is_failure`]).
    pub fn add_error(&mut self, path: PathBuf, e: FileError) {
        if e.is_failure() {
            self.failures.push((path, e));
        } else {
            self.skipped_files.push((path, e));
        }
    }

    /// Sorts the failures, skipped files and notices by path.
    pub fn sort(&mut self) {
        self.failures.sort_by(|a, b| a.0.cmp(&b.0));
        self.skipped_files.sort_by(|a, b| a.0.cmp(&b.0));
        self.notices.sort_by(|a, b| a.0.cmp(&b.0));
    }
}

/// Whether a file name is one declutr cleans: `.txt`, `.html`, `.htm`, `.xhtml`, or no
/// extension, each maybe followed by `.gz`; hidden files are not.
pub(crate) fn is_text_name(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    let path = crate::decode::strip_gz(path);
    let path = path.as_ref();
    let txt = path
        .extension()
        .is_none_or(|e| e.eq_ignore_ascii_case("txt"));
    !hidden && (txt || crate::decode::has_html_extension(path))
}

/// The output name of an input: an HTML page `page.html` becomes `page.txt`; a `.gz` file
/// is named as it is decompressed (`page.html.gz` → `page.txt`, `notes.txt.gz` →
/// `notes.txt`).
fn output_name(path: &Path) -> PathBuf {
    let path = crate::decode::strip_gz(path);
    if crate::decode::has_html_extension(&path) {
        path.with_extension("txt")
    } else {
        path.into_owned()
    }
}

/// Resolves `path` as far as it exists, keeping the rest as written, so a not-yet-created
/// output directory can be compared with an input directory.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(c, |acc, part: &&std::ffi::OsStr| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Walks `inputs` and plans one job per text file, mirroring each input directory's tree
/// under `output` (a file input goes to `output/its-name`).
pub fn plan(inputs: &[PathBuf], output: &Path, site: Option<&str>) -> Result<Plan, BatchError> {
    if output.exists() && !output.is_dir() {
        return Err(BatchError::OutputNotDirectory(output.to_path_buf()));
    }
    let out_resolved = resolve(output);
    for input in inputs {
        if !input.exists() {
            return Err(BatchError::MissingInput(input.clone()));
        }
        if input.is_dir() && out_resolved.starts_with(resolve(input)) {
            return Err(BatchError::OutputInsideInput {
                output: output.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    let found = walk(inputs, site)?;
    let root = OutputRoot::new(output);
    let mut walk_errors = found.walk_errors;
    let mut jobs = Vec::with_capacity(found.inputs.len());
    for i in found.inputs {
        match root.join(&output_name(&i.rel)) {
            Ok(output) => jobs.push(Job {
                output,
                input: i.path,
                site: i.site,
            }),
            Err(e) => walk_errors.push((i.path, FileError::Output(e))),
        }
    }
    let plan = Plan {
        jobs,
        skipped: found.skipped,
        walk_errors,
        root,
    };
    check_outputs(&plan.jobs)?;
    Ok(plan)
}

/// Walks `inputs` in order: a file is taken as it is, a directory is walked recursively
/// (sorted by name, symlinks followed) for the files declutr cleans (`is_text_name`:
/// `.txt`, `.html`, `.htm`, `.xhtml` or no extension, maybe with `.gz`; not hidden).
pub fn walk(inputs: &[PathBuf], site: Option<&str>) -> Result<Walk, BatchError> {
    if let Some(missing) = inputs.iter().find(|i| !i.exists()) {
        return Err(BatchError::MissingInput(missing.clone()));
    }
    let mut found = Walk::default();
    for input in inputs {
        // A file, or a pipe or device named on the command line (`<(cat page.txt)`,
        // `/dev/stdin`): read as the user asked, as a stream.
        if !input.is_dir() {
            let name = input.file_name().map(PathBuf::from).unwrap_or_default();
            found.inputs.push(Input {
                path: input.clone(),
                rel: name,
                site: site.map(str::to_string),
            });
            continue;
        }
        for entry in walk_dir(input) {
            let entry = match entry {
                Walked::File(e) => e,
                Walked::Dir => continue,
                Walked::Skip(path, error) => {
                    found.walk_errors.push((path, error));
                    continue;
                }
            };
            let path = entry.path();
            if !is_text_name(path) {
                found.skipped += 1;
                continue;
            }
            let rel = path.strip_prefix(input).unwrap_or(path);
            let site = site
                .map(str::to_string)
                .or_else(|| site::from_path(path, input));
            found.inputs.push(Input {
                path: path.to_path_buf(),
                rel: rel.to_path_buf(),
                site,
            });
        }
    }
    Ok(found)
}

/// One entry of a directory walk ([`walk_dir`]).
pub(crate) enum Walked {
    /// A regular file (symlinks followed).
    File(walkdir::DirEntry),
    /// A directory, walked into.
    Dir,
    /// Not read: skipped with a notice (a symlink loop, a FIFO, a socket, a device) or an
    /// entry the walk could not read ([`FileError::is_failure`] tells which).
    Skip(PathBuf, FileError),
}

/// Walks the directory `input` recursively, sorted by name, symlinks followed: the one
/// walk of every batch (text, JSON Lines, WARC). Only regular files are handed on; an
/// entry that is not one is never opened.
pub(crate) fn walk_dir(input: &Path) -> impl Iterator<Item = Walked> + '_ {
    WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .map(move |entry| match entry {
            Ok(e) if e.file_type().is_file() => Walked::File(e),
            Ok(e) if e.file_type().is_dir() => Walked::Dir,
            Ok(e) => {
                let kind = special_kind(e.file_type());
                Walked::Skip(e.into_path(), FileError::NotAFile { kind })
            }
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| input.to_path_buf(), Path::to_path_buf);
                let error = match e.loop_ancestor() {
                    Some(ancestor) => FileError::SymlinkLoop {
                        ancestor: ancestor.to_path_buf(),
                    },
                    None => match symlink_cycle(&path) {
                        Some(ancestor) => FileError::SymlinkLoop { ancestor },
                        None => FileError::Walk(
                            e.io_error()
                                .map_or_else(|| e.to_string(), |io| io.to_string()),
                        ),
                    },
                };
                Walked::Skip(path, error)
            }
        })
}

/// What an entry that is neither a file nor a directory is, for its notice.
fn special_kind(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    let _ = file_type;
    "a special file"
}

/// When `path` is a symlink whose chain of links comes back to a link already followed
/// (`a.txt -> b.txt -> a.txt`), the link where it closes, as written from `path`'s
/// directory; `None` when the chain ends, at a target or at a missing one. A chain longer
/// than the operating system follows counts as a loop too.
fn symlink_cycle(path: &Path) -> Option<PathBuf> {
    /// The link `path` as one absolute name, its directory resolved, so that two ways of
    /// writing one link compare equal.
    fn identity(path: &Path) -> Option<PathBuf> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(dir.canonicalize().ok()?.join(path.file_name()?))
    }
    const MAX_LINKS: usize = 40;
    let mut seen: Vec<(PathBuf, PathBuf)> = vec![(identity(path)?, path.to_path_buf())];
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let target = fs::read_link(&at).ok()?;
        let next = at
            .parent()
            .map_or_else(|| target.clone(), |d| d.join(&target));
        let id = identity(&next)?;
        if let Some((_, written)) = seen.iter().find(|(seen_id, _)| *seen_id == id) {
            return Some(written.clone());
        }
        seen.push((id, next.clone()));
        at = next;
    }
    Some(at)
}

/// Refuses one output file (JSON Lines) that is a directory, lies inside an input
/// directory or is an input file: the inputs are never written to. A name of dots and
/// spaces, and a symbolic link, are refused too (`OutputRoot::check_file`).
pub fn check_output_file(inputs: &[PathBuf], output: &Path) -> Result<(), BatchError> {
    if output.is_dir() {
        return Err(BatchError::OutputFileIsDirectory(output.to_path_buf()));
    }
    OutputRoot::check_file(output)?;
    let out_resolved = resolve(output);
    for input in inputs.iter().filter(|i| i.as_os_str() != "-") {
        if out_resolved.starts_with(resolve(input)) {
            return Err(BatchError::OutputFileInInput {
                output: output.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    Ok(())
}

/// Refuses a plan in which an output would overwrite an input, or two inputs would share
/// an output: either would lose a document.
fn check_outputs(jobs: &[Job]) -> Result<(), BatchError> {
    let inputs: HashMap<PathBuf, &Path> = jobs
        .iter()
        .map(|j| (resolve(&j.input), j.input.as_path()))
        .collect();
    let mut outputs: HashMap<PathBuf, &Path> = HashMap::with_capacity(jobs.len());
    for job in jobs {
        let out = resolve(&job.output);
        if let Some(input) = inputs.get(&out) {
            return Err(BatchError::OutputIsInput {
                output: job.output.clone(),
                input: input.to_path_buf(),
            });
        }
        if let Some(first) = outputs.insert(out, &job.input) {
            return Err(BatchError::SharedOutput {
                output: job.output.clone(),
                first: first.to_path_buf(),
                second: job.input.clone(),
            });
        }
    }
    Ok(())
}

enum Outcome {
    Cleaned(Done),
    /// `--resume` found the output up to date.
    UpToDate,
}

struct Done {
    bytes_in: u64,
    bytes_out: u64,
    removed: BTreeMap<&'static str, usize>,
    notices: Vec<Notice>,
}

/// What to tell of a cleaned document: every notice, in this order (markup nested too
/// deep, too many attributes, learned rules held back); empty when there is nothing to say.
pub fn notices(cleaned: &crate::Cleaned) -> Vec<Notice> {
    let deep = cleaned.markup_depth.map(|depth| Notice::DeepMarkup {
        depth,
        max: crate::html::MAX_DEPTH,
    });
    let attributes = cleaned
        .markup_attributes
        .map(|attributes| Notice::ManyAttributes {
            attributes,
            max: crate::html::MAX_ATTRIBUTES,
        });
    let held = cleaned.learned_held.map(Notice::LearnedHeld);
    [deep, attributes, held].into_iter().flatten().collect()
}

/// How inputs are read and outputs written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options {
    /// Write the provenance header before the body (default); `--no-header` turns it off.
    pub header: bool,
    /// Files larger than this many bytes are not read ([`ReadError::TooLarge`]);
    /// `--max-bytes`, [`DEFAULT_MAX_BYTES`] by default.
    pub max_bytes: u64,
    /// `--resume`: skip an input whose output was modified after both the input and this
    /// time (the newest change to the rules), and remove the temporary files a killed run
    /// left. `None` (default): clean every input.
    pub resume: Option<SystemTime>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            header: true,
            max_bytes: DEFAULT_MAX_BYTES,
            resume: None,
        }
    }
}

/// Whether `job`'s output was modified after its input and after `rules_changed`: the
/// output of an earlier run with the same rules, which `--resume` keeps. A time that
/// cannot be read means "not up to date", and so does an output that is a symbolic link
/// or lies under one in `root` ([`OutputRoot::real_file_modified`]): writing it then fails as
/// it would without `--resume`, and says why.
pub(crate) fn is_up_to_date(job: &Job, root: &OutputRoot, rules_changed: SystemTime) -> bool {
    // A pipe's time says nothing about what it will carry: only a regular file's counts.
    let input = fs::metadata(&job.input)
        .ok()
        .filter(fs::Metadata::is_file)
        .and_then(|m| m.modified().ok());
    output_is_current(root, &job.output, input, rules_changed)
}

/// Whether `output` under `root` is a regular file ([`OutputRoot::real_file_modified`])
/// modified after its input (`input_modified`, `None` when unknown) and after
/// `rules_changed`: the `--resume` test of the text batch and of WARC pages alike.
pub(crate) fn output_is_current(
    root: &OutputRoot,
    output: &Path,
    input_modified: Option<SystemTime>,
    rules_changed: SystemTime,
) -> bool {
    match (root.real_file_modified(output), input_modified) {
        (Some(output), Some(input)) => output > input && output > rules_changed,
        _ => false,
    }
}

fn clean_one(
    cleaner: &Cleaner,
    job: &Job,
    root: &OutputRoot,
    options: Options,
) -> Result<Outcome, FileError> {
    if options
        .resume
        .is_some_and(|rules_changed| is_up_to_date(job, root, rules_changed))
    {
        return Ok(Outcome::UpToDate);
    }
    let bytes = read_input(&job.input, options.max_bytes)?;
    let hints = Hints {
        name: Some(&job.input),
        ..Hints::default()
    };
    let info = DocumentInfo {
        site: job.site.clone(),
        url: None,
        capture: None,
    };
    let cleaned = cleaner.clean_bytes(&bytes, &hints, &info)?;
    let out = if options.header {
        cleaned.text()
    } else {
        cleaned.body_text()
    };
    let output = root.prepare_path(&job.output)?;
    output
        .write(out.as_bytes())
        .map_err(|e| FileError::Write(output.path().to_path_buf(), e))?;
    Ok(Outcome::Cleaned(Done {
        bytes_in: bytes.len() as u64,
        bytes_out: out.len() as u64,
        removed: cleaned.removed_by_filter(),
        notices: notices(&cleaned),
    }))
}

/// Cleans every job in parallel with the default options; `tick` is called once per
/// finished file.
pub fn run(cleaner: &Cleaner, plan: Plan, tick: &(dyn Fn() + Sync)) -> Summary {
    run_with(cleaner, plan, Options::default(), tick)
}

/// Cleans every job in parallel; `tick` is called once per finished file.
pub(crate) fn run_with(
    cleaner: &Cleaner,
    plan: Plan,
    options: Options,
    tick: &(dyn Fn() + Sync),
) -> Summary {
    let mut summary = Summary {
        skipped: plan.skipped,
        ..Summary::default()
    };
    if options.resume.is_some() {
        summary.stale_temporaries =
            remove_stale_temporaries(&plan.root, plan.jobs.iter().map(|j| j.output.as_path()));
    }
    let results: Vec<(PathBuf, Result<Outcome, FileError>)> = plan
        .jobs
        .par_iter()
        .map(|job| {
            let r = clean_one(cleaner, job, &plan.root, options);
            tick();
            (job.input.clone(), r)
        })
        .collect();
    let errors = plan.walk_errors.into_iter().map(|(p, e)| (p, Err(e)));
    for (path, r) in errors.chain(results) {
        match r {
            Ok(Outcome::UpToDate) => summary.up_to_date += 1,
            Ok(Outcome::Cleaned(done)) => {
                for notice in done.notices {
                    summary.notices.push((path.clone(), notice));
                }
                summary.cleaned += 1;
                summary.bytes_in += done.bytes_in;
                summary.bytes_out += done.bytes_out;
                for (k, n) in done.removed {
                    *summary.removed.entry(k).or_default() += n;
                }
            }
            Err(e) => summary.add_error(path, e),
        }
    }
    summary.sort();
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::tests::{FERRY, write};

    /// An HTML page: a menu, the article, a footer.
    const LIBRARY: &str = "<!doctype html><html><head><title>Library reopens</title>\
<link rel=canonical href='https://valley-gazette.example/town/library'></head><body>\
<nav><a href=/>Home</a> <a href=/town>Town</a></nav><article><h1>Old library reopens</h1>\
<p>The town library opened its doors again on Saturday morning, a little more than a year after \
a burst pipe flooded the reading room and ruined several thousand books.</p>\
<p>Volunteers spent the whole winter drying, sorting and cataloguing what could be saved, and \
the council paid for new shelves and a lift to the upper floor.</p></article>\
<footer>Copyright 2025 Valley Gazette</footer></body></html>";

    /// The well-formed files of a batch, and where their outputs go.
    const GOOD: [(&str, &str, &str); 2] = [
        ("scrape/a/ferry.txt", FERRY, "clean/a/ferry.txt"),
        ("scrape/b/library.html", LIBRARY, "clean/b/library.txt"),
    ];

    #[test]
    fn a_file_removed_after_the_walk_fails_alone() {
        // Planning and reading happen in one run of the command, so the file is removed
        // between the two steps, as a concurrent scraper would.
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path();
        for (input, contents, _) in GOOD {
            write(&dir.join(input), contents);
        }
        write(&dir.join("scrape/a/gone.txt"), FERRY);
        let cleaner = Cleaner::with_default_rules().unwrap_or_else(|e| panic!("rules: {e}"));
        let plan = plan(&[dir.join("scrape")], &dir.join("clean"), None)
            .unwrap_or_else(|e| panic!("plan: {e}"));
        assert_eq!(plan.jobs.len(), 3);
        fs::remove_file(dir.join("scrape/a/gone.txt")).unwrap_or_else(|e| panic!("remove: {e}"));
        let summary = run(&cleaner, plan, &|| {});
        let failures: Vec<String> = summary
            .failures
            .iter()
            .map(|(p, e)| format!("{}: {e}", p.strip_prefix(dir).unwrap_or(p).display()))
            .collect();
        assert_eq!(
            failures,
            ["scrape/a/gone.txt: cannot read: the file was removed after the directory walk"]
        );
        assert_eq!(summary.cleaned, 2);
        assert!(!dir.join("clean/a/gone.txt").exists());
        // Every good file's output is what cleaning it alone gives (`declutr clean FILE`).
        for (input, _, output) in GOOD {
            let bytes = fs::read(dir.join(input)).unwrap_or_else(|e| panic!("{input}: {e}"));
            let hints = Hints {
                name: Some(Path::new(input)),
                ..Hints::default()
            };
            let alone = cleaner
                .clean_bytes(&bytes, &hints, &DocumentInfo::default())
                .unwrap_or_else(|e| panic!("{input} alone: {e}"))
                .text();
            assert!(!alone.trim().is_empty(), "{input} alone gave nothing");
            let written =
                fs::read_to_string(dir.join(output)).unwrap_or_else(|e| panic!("{output}: {e}"));
            assert_eq!(written, alone, "{output}");
        }
    }

    #[test]
    fn text_names() {
        assert!(is_text_name(Path::new("a/page.txt")));
        assert!(is_text_name(Path::new("a/PAGE")));
        assert!(is_text_name(Path::new("a/page.html")));
        assert!(!is_text_name(Path::new("a/image.png")));
        assert_eq!(
            output_name(Path::new("a/page.HTM")),
            Path::new("a/page.txt")
        );
        assert!(!is_text_name(Path::new("a/.DS_Store")));
    }

    #[test]
    fn gz_names_are_judged_without_gz() {
        for name in ["a/page.html.gz", "a/notes.txt.GZ", "a/page.gz"] {
            assert!(is_text_name(Path::new(name)), "{name}");
        }
        for name in ["a/logs.tar.gz", "a/crawl.warc.gz", "a/.page.html.gz"] {
            assert!(!is_text_name(Path::new(name)), "{name}");
        }
        let cases = [
            ("a/page.html.gz", "a/page.txt"),
            ("a/notes.txt.gz", "a/notes.txt"),
            ("a/page.gz", "a/page"),
        ];
        for (input, output) in cases {
            assert_eq!(output_name(Path::new(input)), Path::new(output), "{input}");
        }
    }

    #[test]
    fn a_binary_file_is_skipped_not_failed() {
        let e = FileError::from(DecodeError::Binary { offset: 6 });
        assert!(matches!(
            e,
            FileError::Read(ReadError::Binary { offset: 6 })
        ));
        assert!(!e.is_failure());
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("65536"), Ok(65_536));
        assert_eq!(parse_size("64M"), Ok(64_000_000));
        assert_eq!(parse_size("500k"), Ok(500_000));
        assert_eq!(parse_size("2 GB"), Ok(2_000_000_000));
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        for bad in ["", "M", "12X", "-1", "1.5M", "99999999999999999999G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_output_file_is_never_an_input_or_inside_one() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let input = dir.path().join("in");
        fs::create_dir_all(&input).unwrap_or_else(|e| panic!("{e}"));
        let page = input.join("page.txt");
        fs::write(&page, "x").unwrap_or_else(|e| panic!("{e}"));
        let inputs = [input.clone()];
        assert!(matches!(
            check_output_file(&inputs, &input.join("new/out.jsonl")),
            Err(BatchError::OutputFileInInput { .. })
        ));
        assert!(matches!(
            check_output_file(std::slice::from_ref(&page), &page),
            Err(BatchError::OutputFileInInput { .. })
        ));
        assert!(matches!(
            check_output_file(&inputs, dir.path()),
            Err(BatchError::OutputFileIsDirectory(_))
        ));
        assert!(check_output_file(&inputs, &dir.path().join("out.jsonl")).is_ok());
        assert!(check_output_file(&[PathBuf::from("-")], &dir.path().join("out.jsonl")).is_ok());
    }
}
