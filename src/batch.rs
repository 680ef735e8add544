//! Batch cleaning: walk the inputs, mirror them under the output directory, in parallel.
//!
//! A failing file is reported as `path: cause` and the batch goes on. Outputs are written
//! to a temporary file beside their final name and renamed into place, so a reader never
//! sees half a file. The input tree is never written to; an output directory inside an
//! input directory is refused before anything runs.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::cleaner::{Cleaner, DocumentInfo};
use crate::site;

/// A problem with the batch as asked (exit code 2): nothing is cleaned.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An input does not exist.
    #[error("{0}: no such file or directory")]
    MissingInput(PathBuf),
    /// The output directory lies inside an input directory.
    #[error(
        "output directory {output} is inside input directory {input}: choose a directory outside the input tree"
    )]
    OutputInsideInput {
        /// The output directory.
        output: PathBuf,
        /// The input directory that contains it.
        input: PathBuf,
    },
    /// The output path exists and is not a directory.
    #[error("{0}: output exists and is not a directory")]
    OutputNotDirectory(PathBuf),
    /// An output would overwrite an input.
    #[error(
        "{output} would overwrite the input {input}: choose an output directory that holds no input"
    )]
    OutputIsInput {
        /// The output file.
        output: PathBuf,
        /// The input it would overwrite.
        input: PathBuf,
    },
    /// Two inputs would be written to the same output file.
    #[error(
        "{first} and {second} would both be written to {output}: clean them into separate output directories"
    )]
    SharedOutput {
        /// The output file.
        output: PathBuf,
        /// The first input.
        first: PathBuf,
        /// The second input.
        second: PathBuf,
    },
}

/// Why one file could not be cleaned.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Reading failed.
    #[error("cannot read: {0}")]
    Read(io::Error),
    /// The bytes are not UTF-8 text.
    #[error("not valid UTF-8 text (invalid byte at offset {0})")]
    NotUtf8(usize),
    /// The file holds NUL bytes: a binary file.
    #[error("binary file (contains NUL bytes)")]
    Binary,
    /// Writing the output failed.
    #[error("cannot write {0}: {1}")]
    Write(PathBuf, io::Error),
    /// Walking the input tree failed here (permission, symlink loop, …).
    #[error("{0}")]
    Walk(String),
}

/// One input file and where its output goes.
#[derive(Debug, Clone)]
pub struct Job {
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
    pub jobs: Vec<Job>,
    /// Files skipped: not text by their name, or hidden.
    pub skipped: usize,
    /// Entries the walk could not read.
    pub walk_failures: Vec<(PathBuf, FileError)>,
}

/// The outcome of a batch.
#[derive(Debug, Default)]
pub struct Summary {
    /// Files cleaned and written.
    pub cleaned: usize,
    /// Files skipped (not text, hidden).
    pub skipped: usize,
    /// Files that failed, with their cause, sorted by path.
    pub failures: Vec<(PathBuf, FileError)>,
    /// Bytes read from the cleaned files.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Non-blank lines removed, per filter kind.
    pub removed: BTreeMap<&'static str, usize>,
}

/// Whether a file name is one declutr cleans: `.txt`, `.html`, `.htm`, `.xhtml`, or no
/// extension; hidden files are not.
pub fn is_text_name(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    let txt = path
        .extension()
        .is_none_or(|e| e.eq_ignore_ascii_case("txt"));
    !hidden && (txt || crate::html::has_html_extension(path))
}

/// The output name of an input: an HTML page `page.html` becomes `page.txt`.
fn output_name(path: &Path) -> PathBuf {
    if crate::html::has_html_extension(path) {
        path.with_extension("txt")
    } else {
        path.to_path_buf()
    }
}

/// Resolves `path` as far as it exists, keeping the rest as written, so a not-yet-created
/// output directory can be compared with an input directory.
fn resolve(path: &Path) -> PathBuf {
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
    let mut plan = Plan::default();
    for input in inputs {
        if input.is_file() {
            let name = input.file_name().map(PathBuf::from).unwrap_or_default();
            plan.jobs.push(Job {
                input: input.clone(),
                output: output.join(output_name(&name)),
                site: site.map(str::to_string),
            });
            continue;
        }
        for entry in WalkDir::new(input).follow_links(true).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| input.clone());
                    let cause = e
                        .io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string());
                    let cause = if e.loop_ancestor().is_some() {
                        "symlink loop".to_string()
                    } else {
                        cause
                    };
                    plan.walk_failures.push((path, FileError::Walk(cause)));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            if !is_text_name(path) {
                plan.skipped += 1;
                continue;
            }
            let rel = path.strip_prefix(input).unwrap_or(path);
            let site = site
                .map(str::to_string)
                .or_else(|| site::from_path(path, input));
            plan.jobs.push(Job {
                input: path.to_path_buf(),
                output: output.join(output_name(rel)),
                site,
            });
        }
    }
    check_outputs(&plan.jobs)?;
    Ok(plan)
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

/// Decodes a file's bytes as UTF-8 text (a byte-order mark is dropped).
pub fn decode(bytes: &[u8]) -> Result<&str, FileError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(FileError::Binary);
    }
    std::str::from_utf8(bytes).map_err(|e| FileError::NotUtf8(e.valid_up_to()))
}

/// Writes `contents` to `path` through a temporary file in the same directory.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.declutr-{}.tmp", std::process::id()));
    fs::write(&tmp, contents)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

struct Done {
    bytes_in: u64,
    bytes_out: u64,
    removed: BTreeMap<&'static str, usize>,
}

/// Reads a document's bytes as text: HTML (by name or first bytes) with its charset
/// decoded to UTF-8, anything else as UTF-8 text. Returns the text and whether it is HTML.
pub fn read_document(path: Option<&Path>, bytes: &[u8]) -> Result<(String, bool), FileError> {
    if crate::html::is_html(path, bytes) {
        return Ok((crate::html::decode(bytes).0, true));
    }
    decode(bytes).map(|t| (t.to_string(), false))
}

/// Cleans a document read with [`read_document`].
pub fn clean_document(
    cleaner: &Cleaner,
    text: &str,
    html: bool,
    info: &DocumentInfo,
) -> crate::Cleaned {
    if html {
        cleaner.clean_html(text, info)
    } else {
        cleaner.clean_text(text, info)
    }
}

/// How outputs are written.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Write the provenance header before the body (default); `--no-header` turns it off.
    pub header: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { header: true }
    }
}

fn clean_one(cleaner: &Cleaner, job: &Job, options: Options) -> Result<Done, FileError> {
    let bytes = fs::read(&job.input).map_err(FileError::Read)?;
    let (text, html) = read_document(Some(&job.input), &bytes)?;
    let cleaned = clean_document(
        cleaner,
        &text,
        html,
        &DocumentInfo {
            site: job.site.clone(),
            url: None,
        },
    );
    let out = if options.header {
        cleaned.text()
    } else {
        cleaned.body_text()
    };
    write_atomic(&job.output, out.as_bytes())
        .map_err(|e| FileError::Write(job.output.clone(), e))?;
    Ok(Done {
        bytes_in: bytes.len() as u64,
        bytes_out: out.len() as u64,
        removed: cleaned.removed_by_filter(),
    })
}

/// Cleans every job in parallel with the default options; `tick` is called once per
/// finished file.
pub fn run(cleaner: &Cleaner, plan: Plan, tick: &(dyn Fn() + Sync)) -> Summary {
    run_with(cleaner, plan, Options::default(), tick)
}

/// Cleans every job in parallel; `tick` is called once per finished file.
pub fn run_with(
    cleaner: &Cleaner,
    plan: Plan,
    options: Options,
    tick: &(dyn Fn() + Sync),
) -> Summary {
    let results: Vec<(PathBuf, Result<Done, FileError>)> = plan
        .jobs
        .par_iter()
        .map(|job| {
            let r = clean_one(cleaner, job, options);
            tick();
            (job.input.clone(), r)
        })
        .collect();
    let mut summary = Summary {
        skipped: plan.skipped,
        failures: plan.walk_failures,
        ..Summary::default()
    };
    for (path, r) in results {
        match r {
            Ok(done) => {
                summary.cleaned += 1;
                summary.bytes_in += done.bytes_in;
                summary.bytes_out += done.bytes_out;
                for (k, n) in done.removed {
                    *summary.removed.entry(k).or_default() += n;
                }
            }
            Err(e) => summary.failures.push((path, e)),
        }
    }
    summary.failures.sort_by(|a, b| a.0.cmp(&b.0));
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn decode_rejects_binary_and_bad_utf8() {
        assert_eq!(decode(b"\xef\xbb\xbfhi").ok(), Some("hi"));
        assert!(matches!(decode(b"a\0b"), Err(FileError::Binary)));
        assert!(matches!(decode(b"ab\xff"), Err(FileError::NotUtf8(2))));
    }
}
