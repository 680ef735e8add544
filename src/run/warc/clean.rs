//! Cleaning the pages WARC files hold (`--input-format warc`).
//!
//! The records that hold a page are `response` records whose HTTP response has a 2xx
//! status and an HTML (`text/html`, `application/xhtml+xml`) or plain-text (`text/plain`)
//! `Content-Type`, and `resource` records of those types. Their payload is decoded
//! ([`http::decode_body`]: chunks joined, gzip, deflate, brotli or zstd undone; the HTTP
//! charset a hint for the text's encoding, after a byte-order mark and before a
//! `<meta charset>`) and
//! cleaned with the record's `WARC-Target-URI` and `WARC-Date` as its provenance
//! ([`Capture`]). The other responses and resources are skipped and counted (by status, or
//! as not HTML or text); `warcinfo`, `request`, `metadata`, `revisit` and `conversion`
//! records hold no page and pass silently.
//!
//! Records are read one at a time and cleaned in chunks, in parallel, then written in
//! their order: as JSON Lines ([`Output::Jsonl`], one [`crate::run::jsonl::Record`] per page with
//! the record's number and id), or as one text file per page under a directory
//! ([`Output::Dir`], named by [`record_file_name`]). A page over `--max-bytes` (its payload,
//! or what it decompresses to) is a failure and is not read whole; a record that cannot be
//! read or decoded is a failure named `file.warc.gz#record N (uri)`, and the others go on.
//! Damage to a file's framing is got past ([`super::Reader`]): a `Content-Length` that
//! proves wrong is a warning and its page is cleaned; bytes skipped to the next record are a
//! failure naming the file, the offset and the bytes skipped (the summary adds them up). A
//! file that ends inside a record, or whose gzip stream is corrupt, stops there, its
//! records before kept.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::{self, BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use rayon::prelude::*;

use super::http::{self, BodyError, HttpError};
use super::{ErrorKind, Problem, ProblemKind, Reader, Record};
use crate::cleaner::{Capture, Cleaned, Cleaner, DocumentInfo};
use crate::decode::{Hints, Kind};
use crate::escape;
use crate::io::atomic::remove_stale_temporaries;
use crate::io::out_path::{self, OutputRoot};
use crate::io::read::ReadError;
use crate::run::batch::{self, BatchError, FileError, Notice, Walked};

/// Most pages cleaned together.
const CHUNK_PAGES: usize = 64;

/// A chunk ends early once its pages hold this many bytes.
const CHUNK_BYTES: usize = 64 << 20;

/// The most problems of damaged WARC data listed for one file; the others are counted.
const MAX_LISTED: u64 = 100;

/// The longest path slug of a record's file name, in bytes.
const MAX_SLUG_BYTES: usize = 100;

/// How pages are cleaned and written.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// Text files: write the provenance header before the body (default); `--no-header`.
    pub header: bool,
    /// A page larger than this, as stored or decompressed, is not read (a failure);
    /// `--max-bytes`, [`batch::DEFAULT_MAX_BYTES`] by default.
    pub max_bytes: u64,
    /// The site when a record's URI names none (`--site`).
    pub site: Option<String>,
    /// `--resume` (text files under a directory): skip a record whose text file was
    /// modified after its WARC file and after this time (when the rules last changed).
    pub resume: Option<SystemTime>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            header: true,
            max_bytes: batch::DEFAULT_MAX_BYTES,
            site: None,
            resume: None,
        }
    }
}

/// Where cleaned pages go.
pub(crate) enum Output<'a> {
    /// One JSON record per page, in the order of the records.
    Jsonl(&'a mut dyn Write),
    /// One text file per page under this directory: see [`record_file_name`].
    Dir(&'a Path),
}

impl fmt::Debug for Output<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Jsonl(_) => f.write_str("Jsonl"),
            Output::Dir(d) => f.debug_tuple("Dir").field(d).finish(),
        }
    }
}

/// One WARC file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Input {
    /// The file; `None` for stdin.
    pub path: Option<PathBuf>,
    /// Where its pages' text files go under an output directory: the file's directories
    /// under the input directory it was found in, then its name without `.warc` or
    /// `.warc.gz` (`crawl.warc.gz` → `crawl`; stdin: `stdin`).
    pub out_dir: PathBuf,
}

/// What [`walk`] found.
#[derive(Debug, Default)]
pub struct Walk {
    /// The WARC files, in input order, each directory's files sorted by name.
    pub(crate) inputs: Vec<Input>,
    /// Files in the input directories not named `.warc` or `.warc.gz`.
    pub(crate) skipped: usize,
    /// Entries the walk could not read, and symlink loops.
    pub(crate) walk_errors: Vec<(PathBuf, FileError)>,
}

/// Whether a file is a WARC file by its name: `.warc` or `.warc.gz` (any case), not hidden.
pub(crate) fn is_warc_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    !name.starts_with('.') && (name.ends_with(".warc") || name.ends_with(".warc.gz"))
}

/// A WARC file's name without `.warc` and `.warc.gz`; `warc` when that leaves no usable
/// name (`.warc`, `...warc`, `. .gz`: nothing, or only dots and spaces, which would lead
/// out of the output directory or be shortened by a filesystem).
fn stem(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let cut = [".warc.gz", ".warc", ".gz"]
        .iter()
        .find(|s| lower.ends_with(*s))
        .map_or(name.len(), |s| name.len() - s.len());
    match name.get(..cut) {
        Some(s) if out_path::is_usable_name(s) => s.to_string(),
        _ => "warc".to_string(),
    }
}

/// Finds the WARC files of `inputs`: a file is taken as it is, `-` is stdin, a directory is
/// walked recursively (sorted by name, symlinks followed) for the files named `.warc` or
/// `.warc.gz` (`is_warc_name`).
pub fn walk(inputs: &[PathBuf]) -> Result<Walk, BatchError> {
    let mut found = Walk::default();
    for input in inputs {
        if input.as_os_str() == "-" {
            found.inputs.push(Input {
                path: None,
                out_dir: PathBuf::from("stdin"),
            });
            continue;
        }
        if !input.exists() {
            return Err(BatchError::MissingInput(input.clone()));
        }
        // A file, or a pipe named on the command line (`<(cat crawl.warc)`): a stream.
        if !input.is_dir() {
            found.inputs.push(Input {
                path: Some(input.clone()),
                out_dir: PathBuf::from(stem(input)),
            });
            continue;
        }
        for entry in batch::walk_dir(input) {
            let entry = match entry {
                Walked::File(e) => e,
                Walked::Dir => continue,
                Walked::Skip(path, error) => {
                    found.walk_errors.push((path, error));
                    continue;
                }
            };
            let path = entry.path();
            if !is_warc_name(path) {
                found.skipped += 1;
                continue;
            }
            let rel = path.strip_prefix(input).unwrap_or(path);
            let dirs = rel.parent().unwrap_or(Path::new(""));
            found.inputs.push(Input {
                path: Some(path.to_path_buf()),
                out_dir: dirs.join(stem(path)),
            });
        }
    }
    Ok(found)
}

/// Refuses an output directory that is a file or lies inside an input directory, and two
/// WARC files whose pages would go to the same directory (`a/crawl.warc` and
/// `b/crawl.warc.gz` given as files): nothing is written then.
pub fn check_output_dir(inputs: &[PathBuf], walk: &Walk, dir: &Path) -> Result<(), BatchError> {
    if dir.exists() && !dir.is_dir() {
        return Err(BatchError::OutputNotDirectory(dir.to_path_buf()));
    }
    let out = batch::resolve(dir);
    for input in inputs.iter().filter(|i| i.is_dir()) {
        if out.starts_with(batch::resolve(input)) {
            return Err(BatchError::OutputInsideInput {
                output: dir.to_path_buf(),
                input: input.clone(),
            });
        }
    }
    let mut seen: HashMap<String, &Input> = HashMap::new();
    for input in &walk.inputs {
        let key = input.out_dir.to_string_lossy().to_lowercase();
        if let Some(first) = seen.insert(key, input) {
            let name = |i: &Input| i.path.clone().unwrap_or_else(|| PathBuf::from("-"));
            return Err(BatchError::SharedOutput {
                output: dir.join(&input.out_dir),
                first: name(first),
                second: name(input),
            });
        }
    }
    Ok(())
}

/// Where in the inputs something happened: a file, and a record of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// The WARC file; `None` for stdin.
    pub file: Option<PathBuf>,
    /// The record's number in the file, from 1.
    pub record: Option<u64>,
    /// The record's `WARC-Target-URI`, if known.
    pub uri: Option<String>,
}

impl fmt::Display for Location {
    /// `crawl.warc.gz#record 4 (https://example.com/a)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(p) => write!(f, "{}", escape::path(p))?,
            None => f.write_str("<stdin>")?,
        }
        if let Some(n) = self.record {
            write!(f, "#record {n}")?;
        }
        if let Some(uri) = &self.uri {
            write!(f, " ({})", escape::text(uri))?;
        }
        Ok(())
    }
}

/// Why a record's page was not cleaned, or a file not read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum RecordError {
    /// Opening, reading or writing a file; a page over `--max-bytes`; a binary payload.
    #[error(transparent)]
    File(FileError),
    /// The WARC file's framing broke here: the file is not read further.
    #[error(transparent)]
    Warc(ErrorKind),
    /// The record's HTTP response cannot be read.
    #[error(transparent)]
    Http(HttpError),
    /// The response's body cannot be decoded.
    #[error(transparent)]
    Body(BodyError),
    /// Bytes of the file were skipped to the next record ([`ProblemKind::Skipped`]).
    #[error("{problem}")]
    Skipped {
        /// The number of the last record read before them.
        after: u64,
        /// What was skipped, and why.
        problem: ProblemKind,
    },
}

impl RecordError {
    /// Whether it counts as a failure (exit code 1): all but a binary payload, skipped
    /// with a notice, and a symlink loop of the walk.
    pub(crate) fn is_failure(&self) -> bool {
        match self {
            RecordError::File(e) => e.is_failure(),
            _ => true,
        }
    }
}

/// The outcome of [`run`].
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// WARC files read.
    pub files: usize,
    /// Records read, of every type.
    pub records: u64,
    /// Pages cleaned and written.
    pub cleaned: u64,
    /// Pages not cleaned again because their text file is up to date (`--resume`).
    pub up_to_date: u64,
    /// Temporary files of a killed run removed (`--resume`).
    pub stale_temporaries: usize,
    /// Responses skipped for their status (not 2xx).
    pub not_success: u64,
    /// Responses and resources skipped for their type (not HTML or plain text).
    pub not_page: u64,
    /// Files in the input directories not named like WARC files.
    pub skipped_files: usize,
    /// Pages skipped with a notice (a binary payload), and symlink loops of the walk.
    pub skipped: Vec<(Location, RecordError)>,
    /// Pages cleaned with something to tell (markup nested too deep).
    pub notices: Vec<(Location, Notice)>,
    /// Records and files that failed, in the order met.
    pub failures: Vec<(Location, RecordError)>,
    /// Records whose `Content-Length` proved wrong, read all the same.
    pub warnings: Vec<(Location, ProblemKind)>,
    /// Bytes skipped to the next record, in damaged WARC files.
    pub skipped_bytes: u64,
    /// Records among them (ones whose header could not be read).
    pub lost_records: u64,
    /// Warnings about damaged WARC data past the first 100 of a file: counted, not listed.
    pub unlisted_warnings: u64,
    /// Failures (bytes skipped) past the first 100 problems of a file: counted, not listed.
    pub unlisted_failures: u64,
    /// Bytes of the pages cleaned (decoded payloads).
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Removals per filter kind: non-blank lines, or elements for the HTML stages.
    pub removed: BTreeMap<&'static str, usize>,
}

impl Summary {
    fn add_error(&mut self, at: Location, e: RecordError) {
        if e.is_failure() {
            self.failures.push((at, e));
        } else {
            self.skipped.push((at, e));
        }
    }

    /// Notes what a reader of `file` got past; `after`, the last record read before;
    /// `listed`, how many of the file's problems were listed so far.
    fn add_problems(
        &mut self,
        file: Option<&Path>,
        problems: Vec<Problem>,
        after: u64,
        listed: &mut u64,
    ) {
        for p in problems {
            if *listed >= MAX_LISTED {
                if let ProblemKind::Skipped { bytes, .. } = p.kind {
                    self.skipped_bytes += bytes;
                    self.lost_records += u64::from(p.record.is_some());
                    self.unlisted_failures += 1;
                } else {
                    self.unlisted_warnings += 1;
                }
                continue;
            }
            *listed += 1;
            let at = Location {
                file: file.map(Path::to_path_buf),
                record: p.record,
                uri: p.uri,
            };
            if let ProblemKind::Skipped { bytes, .. } = p.kind {
                self.skipped_bytes += bytes;
                self.lost_records += u64::from(p.record.is_some());
                let after = p.record.map_or(after, |n| n.saturating_sub(1));
                let e = RecordError::Skipped {
                    after,
                    problem: p.kind,
                };
                self.failures.push((at, e));
            } else {
                self.warnings.push((at, p.kind));
            }
        }
    }
}

/// Where a failure goes in a file's report: by record, what was skipped after a record
/// after it.
fn report_order(at: &Location, e: &RecordError) -> (u64, bool) {
    match e {
        RecordError::Skipped { after, .. } => (*after, true),
        _ => (at.record.unwrap_or(0), false),
    }
}

/// A page found in a record, its bytes as stored, to decode and clean.
struct Page {
    number: u64,
    id: Option<String>,
    uri: Option<String>,
    date: Option<String>,
    /// The block after the HTTP header (or the whole block of a resource record).
    raw: Vec<u8>,
    /// The HTTP response whose body `raw` is, if any.
    response: Option<http::Response>,
    /// Its text file, when pages go to a directory: named when the record is read, so that
    /// names depend on the records alone (`--resume` finds them again).
    output: Option<PathBuf>,
    html: bool,
    charset: Option<&'static encoding_rs::Encoding>,
}

/// A page decoded and cleaned: its payload's size and the cleaned document.
struct Done {
    bytes: u64,
    cleaned: Cleaned,
}

impl Page {
    /// What the record says of its payload: its kind, by its media type, and the charset
    /// its `Content-Type` declares.
    fn hints(&self) -> Hints<'static> {
        Hints {
            name: None,
            kind: Some(if self.html { Kind::Html } else { Kind::Text }),
            charset: self.charset,
        }
    }

    fn location(&self, file: Option<&Path>) -> Location {
        Location {
            file: file.map(Path::to_path_buf),
            record: Some(self.number),
            uri: self.uri.clone(),
        }
    }
}

/// What a record holds.
enum Found {
    Page(Page),
    /// A response whose status is not 2xx.
    NotSuccess,
    /// A response or resource that is not HTML or plain text.
    NotPage,
    /// A record of another type: no page.
    Other,
}

/// Cleans the pages of every WARC input and writes them to `out`; see the
/// [module docs](self). `progress` is called, after each chunk of records, with the
/// bytes read so far from the input files (compressed, as stored). Only a failure to
/// write JSON Lines stops the run (an error); every other problem is in the summary.
pub(crate) fn run(
    cleaner: &Cleaner,
    walk: Walk,
    options: &Options,
    out: &mut Output<'_>,
    progress: &dyn Fn(u64),
) -> io::Result<Summary> {
    let mut summary = Summary {
        skipped_files: walk.skipped,
        ..Summary::default()
    };
    for (path, e) in walk.walk_errors {
        let at = Location {
            file: Some(path),
            record: None,
            uri: None,
        };
        summary.add_error(at, RecordError::File(e));
    }
    let read = Arc::new(AtomicU64::new(0));
    let mut names = HashMap::new();
    let root = match out {
        Output::Dir(dir) => OutputRoot::new(*dir),
        Output::Jsonl(_) => OutputRoot::default(),
    };
    for input in &walk.inputs {
        let at = Location {
            file: input.path.clone(),
            record: None,
            uri: None,
        };
        // A directory of the input tree that cannot be mirrored (`...`): the file is not
        // read, rather than each of its records failing alike.
        if let Output::Dir(_) = out {
            if let Err(e) = root.join(&input.out_dir) {
                summary.add_error(at, RecordError::File(FileError::Output(e)));
                continue;
            }
        }
        let stream: Box<dyn Read> = match &input.path {
            None => Box::new(io::stdin().lock()),
            Some(path) => match std::fs::File::open(path) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    summary.add_error(at, RecordError::File(FileError::Read(ReadError::Io(e))));
                    continue;
                }
            },
        };
        let counted = Counting {
            inner: stream,
            count: Arc::clone(&read),
        };
        let reader = match crate::io::gzip::sniff(counted) {
            Ok(r) => r,
            Err(e) => {
                summary.add_error(at, RecordError::File(FileError::Read(ReadError::Io(e))));
                continue;
            }
        };
        summary.files += 1;
        let before = (
            summary.failures.len(),
            summary.skipped.len(),
            summary.notices.len(),
            summary.warnings.len(),
        );
        let dir_names = names.entry(input.out_dir.clone()).or_default();
        let to_dir = matches!(out, Output::Dir(_));
        let modified = input
            .path
            .as_deref()
            .and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        let mut file = FileRun {
            cleaner,
            input,
            options,
            summary: &mut summary,
            names: dir_names,
            root: &root,
            to_dir,
            modified,
            dirs_seen: HashSet::new(),
            listed: 0,
        };
        file.run(Reader::new(reader), out, &|| {
            progress(read.load(Ordering::Relaxed))
        })?;
        // A file's framing error is met while the chunk before it is being cleaned: its
        // problems are reported in record order.
        if let Some(failures) = summary.failures.get_mut(before.0..) {
            failures.sort_by_key(|(at, e)| report_order(at, e));
        }
        if let Some(warnings) = summary.warnings.get_mut(before.3..) {
            warnings.sort_by_key(|(at, _)| at.record);
        }
        if let Some(skipped) = summary.skipped.get_mut(before.1..) {
            skipped.sort_by_key(|(at, _)| at.record);
        }
        if let Some(notices) = summary.notices.get_mut(before.2..) {
            notices.sort_by_key(|(at, _)| at.record);
        }
    }
    Ok(summary)
}

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// One WARC file being cleaned.
struct FileRun<'a> {
    cleaner: &'a Cleaner,
    input: &'a Input,
    options: &'a Options,
    summary: &'a mut Summary,
    /// The file names given in this input's output directory (lowercased).
    names: &'a mut HashSet<String>,
    /// The output directory, for [`Output::Dir`].
    root: &'a OutputRoot,
    /// Whether pages go to text files under `root` ([`Output::Dir`]).
    to_dir: bool,
    /// When the WARC file was last modified (`None` for stdin), for `--resume`.
    modified: Option<SystemTime>,
    /// Directories whose stale temporaries `--resume` removed already.
    dirs_seen: HashSet<PathBuf>,
    /// Problems of damaged WARC data listed for this file.
    listed: u64,
}

impl FileRun<'_> {
    fn run<R: Read>(
        &mut self,
        mut reader: Reader<R>,
        out: &mut Output<'_>,
        progress: &dyn Fn(),
    ) -> io::Result<()> {
        let file = self.input.path.as_deref();
        let cleaner = self.cleaner;
        let options = self.options;
        let mut chunk = self.read_chunk(&mut reader);
        loop {
            let (pages, more) = chunk;
            // The next chunk is read while this one is decoded and cleaned in parallel.
            let mut done = Vec::new();
            let next = rayon::in_place_scope(|scope| {
                scope.spawn(|_| {
                    done = pages
                        .par_iter()
                        .map(|p| clean_page(cleaner, p, options))
                        .collect();
                });
                more.then(|| self.read_chunk(&mut reader))
            });
            for (page, result) in pages.iter().zip(done) {
                let written = result.and_then(|done| {
                    let n = self.write(page, &done.cleaned, out)?;
                    Ok((n, done))
                });
                match written {
                    Ok((written, done)) => {
                        self.summary.cleaned += 1;
                        self.summary.bytes_in += done.bytes;
                        self.summary.bytes_out += written;
                        for (k, n) in done.cleaned.removed_by_filter() {
                            *self.summary.removed.entry(k).or_default() += n;
                        }
                        for notice in batch::notices(&done.cleaned) {
                            self.summary.notices.push((page.location(file), notice));
                        }
                    }
                    Err(Stop::Write(e)) => return Err(e),
                    Err(Stop::Record(e)) => self.summary.add_error(page.location(file), e),
                }
            }
            progress();
            match next {
                Some(c) => chunk = c,
                None => return Ok(()),
            }
        }
    }

    /// Reads records until a chunk of pages is full; whether the file goes on after it.
    fn read_chunk<R: Read>(&mut self, reader: &mut Reader<R>) -> (Vec<Page>, bool) {
        let file = self.input.path.as_deref();
        let mut pages = Vec::new();
        let mut bytes = 0;
        while pages.len() < CHUNK_PAGES && bytes < CHUNK_BYTES {
            let before = reader.records();
            let next = reader.next_record();
            let more = self.read_record(next, &mut pages, &mut bytes);
            let problems = reader.take_problems();
            self.summary
                .add_problems(file, problems, before, &mut self.listed);
            if !more {
                return (pages, false);
            }
        }
        (pages, true)
    }

    /// Adds the page a record holds to `pages`, or counts why it holds none; whether the
    /// file goes on after it.
    fn read_record<R: Read>(
        &mut self,
        next: Result<Option<Record<'_, R>>, super::Error>,
        pages: &mut Vec<Page>,
        bytes: &mut usize,
    ) -> bool {
        let file = self.input.path.as_deref();
        {
            let mut record = match next {
                Ok(Some(r)) => r,
                Ok(None) => return false,
                Err(e) => {
                    let at = Location {
                        file: file.map(Path::to_path_buf),
                        record: Some(e.record),
                        uri: e.uri,
                    };
                    self.summary.add_error(at, RecordError::Warc(e.kind));
                    return false;
                }
            };
            self.summary.records += 1;
            let at = Location {
                file: file.map(Path::to_path_buf),
                record: Some(record.number()),
                uri: record.header.target_uri().map(str::to_string),
            };
            match find_page(&mut record, self.options.max_bytes) {
                Ok(Found::Page(mut page)) => {
                    page.output = self.output_path(&page);
                    if self.is_up_to_date(page.output.as_deref()) {
                        self.summary.up_to_date += 1;
                    } else {
                        *bytes += page.raw.len();
                        pages.push(page);
                    }
                }
                Ok(Found::NotSuccess) => self.summary.not_success += 1,
                Ok(Found::NotPage) => self.summary.not_page += 1,
                Ok(Found::Other) => {}
                Err(e) => {
                    let framing = matches!(e, RecordError::Warc(_));
                    self.summary.add_error(at, e);
                    if framing {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// The text file of a page under the output root, when pages go to a directory
    /// (`None` otherwise, or when the name is refused: writing then reports why).
    fn output_path(&mut self, page: &Page) -> Option<PathBuf> {
        if !self.to_dir {
            return None;
        }
        let name = record_file_name(page.uri.as_deref(), page.number, self.names);
        self.root.join(&self.input.out_dir.join(name)).ok()
    }

    /// `--resume`: whether `output` was written after the WARC file and after the rules
    /// last changed (what an earlier run with the same rules wrote). The temporary files a
    /// killed run left beside it are removed first.
    fn is_up_to_date(&mut self, output: Option<&Path>) -> bool {
        let (Some(rules_changed), Some(output)) = (self.options.resume, output) else {
            return false;
        };
        if let Some(parent) = output.parent() {
            if self.dirs_seen.insert(parent.to_path_buf()) {
                self.summary.stale_temporaries += remove_stale_temporaries(self.root, [output]);
            }
        }
        // A link in place of the output, or on the way to it, is never up to date: the
        // write then refuses it.
        batch::output_is_current(self.root, output, self.modified, rules_changed)
    }

    /// Writes one cleaned page; the bytes written, or why it was not (a failure to write
    /// JSON Lines stops the run).
    fn write(&mut self, page: &Page, cleaned: &Cleaned, out: &mut Output<'_>) -> Result<u64, Stop> {
        match out {
            Output::Jsonl(w) => {
                let line = crate::run::jsonl::Record::new(self.input.path.as_deref(), cleaned)
                    .with_warc_record(page.number, page.id.as_deref())
                    .to_line();
                w.write_all(line.as_bytes()).map_err(Stop::Write)?;
                Ok(line.len() as u64)
            }
            Output::Dir(_) => {
                let prepared = match &page.output {
                    Some(path) => self.root.prepare_path(path),
                    None => {
                        let name = record_file_name(page.uri.as_deref(), page.number, self.names);
                        self.root.prepare(&self.input.out_dir.join(name))
                    }
                };
                let file =
                    prepared.map_err(|e| Stop::Record(RecordError::File(FileError::Output(e))))?;
                let text = if self.options.header {
                    cleaned.text()
                } else {
                    cleaned.body_text()
                };
                file.write(text.as_bytes())
                    .map(|()| text.len() as u64)
                    .map_err(|e| {
                        let path = file.path().to_path_buf();
                        Stop::Record(RecordError::File(FileError::Write(path, e)))
                    })
            }
        }
    }
}

/// Why a page was not written: a problem of its own, or a failure to write JSON Lines,
/// which stops the run.
enum Stop {
    Record(RecordError),
    Write(io::Error),
}

impl From<RecordError> for Stop {
    fn from(e: RecordError) -> Self {
        Stop::Record(e)
    }
}

/// Decodes a page's payload (HTTP codings, binary check, charset) and cleans it with its
/// capture as provenance.
fn clean_page(cleaner: &Cleaner, page: &Page, options: &Options) -> Result<Done, Stop> {
    let body = page_body(page, options.max_bytes)?;
    let info = DocumentInfo {
        site: options.site.clone(),
        url: None,
        capture: Some(Capture {
            url: page.uri.clone(),
            date: page.date.clone(),
        }),
    };
    let cleaned = cleaner
        .clean_bytes(&body, &page.hints(), &info)
        .map_err(|e| RecordError::File(e.into()))?;
    Ok(Done {
        bytes: body.len() as u64,
        cleaned,
    })
}

/// A page's payload, its HTTP codings undone (chunks joined, gzip, deflate, brotli or zstd
/// decompressed within `max_bytes`).
fn page_body(page: &Page, max_bytes: u64) -> Result<Cow<'_, [u8]>, RecordError> {
    match &page.response {
        Some(r) => http::decode_body(r, &page.raw, max_bytes).map_err(RecordError::Body),
        None => Ok(page.raw.as_slice().into()),
    }
}

/// Finds the page a record holds, if any, reading its block only for a page.
fn find_page<R: Read>(record: &mut Record<'_, R>, max_bytes: u64) -> Result<Found, RecordError> {
    let framing = |record: &Record<'_, R>, e: io::Error| RecordError::Warc(record.error(e).kind);
    let record_type = record
        .header
        .record_type()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let declared = record
        .header
        .content_type()
        .map(http::content_type)
        .filter(|(media, _)| !media.is_empty());
    let (raw, html, charset, response) = match record_type.as_str() {
        "response" => {
            let is_http = match &declared {
                Some((media, _)) => media == "application/http",
                None => match record.fill_buf() {
                    Ok(head) => head.starts_with(b"HTTP/"),
                    Err(e) => return Err(framing(record, e)),
                },
            };
            if !is_http {
                return Ok(Found::NotPage);
            }
            let response = http::read_head(record).map_err(|e| match e {
                HttpError::Read(e) => framing(record, e),
                e => RecordError::Http(e),
            })?;
            if !response.is_success() {
                return Ok(Found::NotSuccess);
            }
            let Some((media, charset)) = response.get("Content-Type").map(http::content_type)
            else {
                return Ok(Found::NotPage);
            };
            let Some(html) = page_kind(&media) else {
                return Ok(Found::NotPage);
            };
            let raw = read_block(record, max_bytes)?;
            (raw, html, charset, Some(response))
        }
        "resource" => {
            let Some((media, charset)) = declared else {
                return Ok(Found::NotPage);
            };
            let Some(html) = page_kind(&media) else {
                return Ok(Found::NotPage);
            };
            (read_block(record, max_bytes)?, html, charset, None)
        }
        _ => return Ok(Found::Other),
    };
    Ok(Found::Page(Page {
        number: record.number(),
        id: record.header.record_id().map(str::to_string),
        uri: record.header.target_uri().map(str::to_string),
        date: record.header.date().map(str::to_string),
        raw,
        response,
        html,
        charset,
        output: None,
    }))
}

/// Whether a media type is a page: `Some(true)` HTML, `Some(false)` plain text.
fn page_kind(media: &str) -> Option<bool> {
    match media {
        "text/html" | "application/xhtml+xml" => Some(true),
        "text/plain" => Some(false),
        _ => None,
    }
}

/// Reads what is left of the record's block, never more than `max_bytes` of it (its
/// `Content-Length` may be wrong: a block is refused once it proves too large).
fn read_block<R: Read>(record: &mut Record<'_, R>, max_bytes: u64) -> Result<Vec<u8>, RecordError> {
    let guess = record.remaining().unwrap_or(0).min(max_bytes).min(1 << 20);
    let mut raw = Vec::with_capacity(usize::try_from(guess).unwrap_or(0));
    record
        .by_ref()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(|e| RecordError::Warc(record.error(e).kind))?;
    if raw.len() as u64 > max_bytes {
        let size = raw.len() as u64 + record.remaining().unwrap_or(0);
        return Err(RecordError::File(FileError::Read(ReadError::TooLarge {
            size,
            max: max_bytes,
        })));
    }
    Ok(raw)
}

/// The file name of a record's page in its WARC file's output directory:
/// `<host>/<path-slug>.txt`, the host lowercased and the path and query made of letters,
/// digits, `.`, `_` and `-` (`https://News.example/2025/04/ferry.html?p=2` →
/// `news.example/2025-04-ferry.html-p-2.txt`, `/` → `index`), at most
/// 100 bytes of it. Nothing of the URI can lead outside the directory. A name already given
/// in the directory (`names`, compared ignoring case) gets the record's number:
/// `index~7.txt`.
pub(crate) fn record_file_name(
    uri: Option<&str>,
    number: u64,
    names: &mut HashSet<String>,
) -> PathBuf {
    let parsed = uri.and_then(|u| url::Url::parse(u.trim()).ok());
    let (host, path) = match &parsed {
        Some(url) => {
            let host = url.host_str().map(|h| match url.port() {
                Some(port) => format!("{h}_{port}"),
                None => h.to_string(),
            });
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            (host, path)
        }
        None => (None, uri.unwrap_or_default().to_string()),
    };
    let host = host
        .map(|h| slug(&h.to_lowercase(), usize::MAX))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "_no-host".to_string());
    let mut page = slug(&path, MAX_SLUG_BYTES);
    for ext in [".html", ".htm", ".xhtml", ".txt"] {
        let cut = page.len().saturating_sub(ext.len());
        if page.len() > ext.len() && page.get(cut..).is_some_and(|e| e.eq_ignore_ascii_case(ext)) {
            page.truncate(cut);
            break;
        }
    }
    if page.is_empty() {
        page = "index".to_string();
    }
    let key = format!("{host}/{page}").to_lowercase();
    let file = if names.insert(key) {
        format!("{page}.txt")
    } else {
        format!("{page}~{number}.txt")
    };
    Path::new(&host).join(file)
}

/// `text` made safe for a file name: letters, digits, `.`, `_` and `-`, any run of other
/// characters one `-`, no `.` or `-` at either end, at most `max` bytes.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(['.', '-']);
    let cut = trimmed.get(..max.min(trimmed.len())).unwrap_or(trimmed);
    cut.trim_matches(['.', '-']).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_file_names_are_slugs_under_the_host() {
        let mut names = HashSet::new();
        let uri = Some("https://News.example/2025/04/ferry?p=2");
        assert_eq!(
            record_file_name(uri, 3, &mut names),
            Path::new("news.example/2025-04-ferry-p-2.txt")
        );
        assert_eq!(
            record_file_name(uri, 9, &mut names),
            Path::new("news.example/2025-04-ferry-p-2~9.txt")
        );
        assert_eq!(
            record_file_name(Some("https://x.example/../../etc/passwd"), 4, &mut names),
            Path::new("x.example/etc-passwd.txt")
        );
    }

    fn name(uri: &str) -> String {
        record_file_name(Some(uri), 1, &mut HashSet::new())
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn file_names_stay_inside_their_directory() {
        let cases = [
            ("https://example.com/", "example.com/index.txt"),
            ("https://example.com", "example.com/index.txt"),
            (
                "https://Example.COM:8080/a/b.HTML",
                "example.com_8080/a-b.txt",
            ),
            (
                "https://example.com/..%2F..%2Fetc",
                "example.com/2F..-2Fetc.txt",
            ),
            ("https://example.com/a/../../../b", "example.com/b.txt"),
            (
                "https://example.com/%E2%9C%93/caf%C3%A9",
                "example.com/E2-9C-93-caf-C3-A9.txt",
            ),
            ("https://[::1]/x", "1/x.txt"),
            ("urn:uuid:1234", "_no-host/uuid-1234.txt"),
            ("not a url/../..", "_no-host/not-a-url.txt"),
            ("file:///etc/passwd", "_no-host/etc-passwd.txt"),
        ];
        for (uri, want) in cases {
            assert_eq!(name(uri), want, "{uri}");
        }
        let long = name(&format!("https://example.com/{}", "a".repeat(500)));
        assert_eq!(
            long,
            format!("example.com/{}.txt", "a".repeat(MAX_SLUG_BYTES))
        );
        assert_eq!(
            record_file_name(None, 5, &mut HashSet::new()),
            Path::new("_no-host/index.txt")
        );
    }

    #[test]
    fn names_differing_in_case_alone_do_not_collide() {
        let mut names = HashSet::new();
        let a = record_file_name(Some("https://example.com/About"), 1, &mut names);
        let b = record_file_name(Some("https://example.com/about"), 2, &mut names);
        assert_eq!(a, Path::new("example.com/About.txt"));
        assert_eq!(b, Path::new("example.com/about~2.txt"));
    }

    /// A page's text as cleaning decodes it: its payload, decoded with its record's hints.
    fn decoded_text(page: &Page, max_bytes: u64) -> Result<String, RecordError> {
        let body = page_body(page, max_bytes)?;
        match crate::decode::decode(&body, &page.hints()) {
            Ok(decoded) => Ok(decoded.text.into_owned()),
            Err(e) => Err(RecordError::File(e.into())),
        }
    }

    /// What `find_page` makes of a record with this type, content type and block, and
    /// its page's text, decoded.
    fn found(
        kind: &str,
        content_type: &str,
        block: &[u8],
        max_bytes: u64,
    ) -> Result<(Found, Option<String>), String> {
        let mut file = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://example.com/a\r\n\
WARC-Date: 2025-04-02T08:30:00Z\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        file.extend(block);
        let mut reader = Reader::new(&file[..]);
        match reader.next_record() {
            Ok(Some(mut record)) => match find_page(&mut record, max_bytes) {
                Ok(Found::Page(page)) => match decoded_text(&page, max_bytes) {
                    Ok(text) => Ok((Found::Page(page), Some(text))),
                    Err(e) => Err(e.to_string()),
                },
                Ok(other) => Ok((other, None)),
                Err(e) => Err(e.to_string()),
            },
            other => Err(format!("no record: {other:?}")),
        }
    }

    fn page_text(found: Result<(Found, Option<String>), String>) -> String {
        match found {
            Ok((_, Some(text))) => text,
            Ok((_, None)) => "(not a page)".into(),
            Err(e) => e,
        }
    }

    const HTTP: &str = "application/http; msgtype=response";

    #[test]
    fn the_http_charset_comes_before_the_pages_own() {
        let page = b"<html><head><meta charset=utf-8></head><p>caf\xe9</p></html>";
        let mut block =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n".to_vec();
        block.extend(page);
        assert!(page_text(found("response", HTTP, &block, 1000)).contains("café"));
        // Without it, the page's meta charset decides.
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n".to_vec();
        block.extend(page);
        assert!(page_text(found("response", HTTP, &block, 1000)).contains("caf\u{fffd}"));
        // A text resource in its declared charset.
        let text = page_text(found(
            "resource",
            "text/plain; charset=iso-8859-1",
            b"caf\xe9",
            1000,
        ));
        assert_eq!(text, "café");
    }

    #[test]
    fn records_holding_no_page() {
        let ok = |ct: &str| format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\n\r\nbody");
        let cases: [(&str, &str, String, &str); 7] = [
            (
                "response",
                HTTP,
                "HTTP/1.1 302 Found\r\nLocation: /b\r\n\r\n".into(),
                "status",
            ),
            ("response", HTTP, ok("image/png"), "type"),
            (
                "response",
                HTTP,
                "HTTP/1.1 200 OK\r\n\r\n<html>".into(),
                "type",
            ),
            (
                "response",
                "text/dns",
                "example.com. A 1.2.3.4".into(),
                "type",
            ),
            ("resource", "image/jpeg", "\u{ff}".into(), "type"),
            (
                "request",
                "application/http; msgtype=request",
                "GET / HTTP/1.1\r\n\r\n".into(),
                "other",
            ),
            (
                "metadata",
                "application/warc-fields",
                "a: b\r\n".into(),
                "other",
            ),
        ];
        for (kind, ct, block, want) in cases {
            let got = match found(kind, ct, block.as_bytes(), 1000) {
                Ok((Found::NotSuccess, _)) => "status",
                Ok((Found::NotPage, _)) => "type",
                Ok((Found::Other, _)) => "other",
                Ok((Found::Page(_), _)) => "page",
                Err(_) => "error",
            };
            assert_eq!(got, want, "{kind} {ct} {block:?}");
        }
        // An HTTP response without its WARC content type is known by its status line.
        assert_eq!(
            page_text(found("response", "", ok("text/plain").as_bytes(), 1000)),
            "body"
        );
    }

    #[test]
    fn pages_that_cannot_be_cleaned_are_errors() {
        let big = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{}",
            "a".repeat(500)
        );
        assert_eq!(
            page_text(found("response", HTTP, big.as_bytes(), 100)),
            "skipped: 500 B is over --max-bytes (100 B)"
        );
        let lzw =
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: compress\r\n\r\nxx";
        assert_eq!(
            page_text(found("response", HTTP, lzw.as_bytes(), 100)),
            "unsupported Content-Encoding \"compress\""
        );
        let binary = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>\0\0";
        let e = found("response", HTTP, binary.as_bytes(), 100).err();
        assert_eq!(
            e.as_deref(),
            Some("skipped: binary file (NUL byte at offset 6)")
        );
        let bad = "HTTP/1.1 OK\r\n\r\n";
        let e = found("response", HTTP, bad.as_bytes(), 100).err();
        assert_eq!(
            e.as_deref(),
            Some("not an HTTP response: it starts with \"HTTP/1.1 OK\"")
        );
    }

    #[test]
    fn stems_and_names() {
        assert_eq!(stem(Path::new("a/crawl.warc.gz")), "crawl");
        assert_eq!(stem(Path::new("a/CRAWL.WARC")), "CRAWL");
        assert_eq!(stem(Path::new("a/.warc")), "warc");
        for hostile in [
            "...warc",
            "...gz",
            "... .warc.gz",
            " .warc",
            ". .WARC",
            "..warc",
        ] {
            assert_eq!(stem(Path::new(hostile)), "warc", "{hostile}");
        }
        assert_eq!(stem(Path::new("a/..x.warc")), "..x");
        assert!(is_warc_name(Path::new("a/x.warc.GZ")));
        assert!(!is_warc_name(Path::new("a/x.warc.txt")));
        assert!(!is_warc_name(Path::new("a/.x.warc")));
    }
}
