//! JSON Lines, out and in: cleaned documents written as one JSON record per line
//! (`--format jsonl`), and a stream of JSON records whose text field is cleaned in place
//! (`--input-format jsonl`).
//!
//! # Records of cleaned documents
//!
//! [`Record`] is what `--format jsonl` writes for each document, with its fields in this
//! order:
//!
//! | field | value |
//! |---|---|
//! | `path` | the input path (as given, or under the input directory), `null` for stdin |
//! | `url` | the page's URL: the first http(s) URL of its header, else (HTML) its canonical URL; or `null` |
//! | `site` | the site whose rules were used, or `null` |
//! | `header` | the header's `key: value` lines as an object (see [`header_fields`]) |
//! | `header_lines` | the header, verbatim, one string per line |
//! | `text` | the cleaned body without the header, exactly what `--no-header` writes |
//! | `removed` | lines (and HTML elements) removed, counted by filter kind |
//! | `learned_held` | only when the site's learned rules were not applied to the page, because they would have removed most of its article: `{"prose_words", "kept_words", "share"}` (see [`crate::LearnedHeld`]) |
//!
//! The record of a page from a WARC file ([`Record::with_warc_record`]) has two more
//! fields after `path`: `record`, the record's number in the file (from 1), and
//! `record_id`, its `WARC-Record-ID` (or `null`).
//!
//! # Streams of records
//!
//! [`clean_stream`] cleans the text field of each record of a stream in place
//! (`--input-format jsonl`); the library offers it as [`crate::jsonl`].

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::path::Path;

use rayon::prelude::*;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::cleaner::{Cleaned, Cleaner, DocumentInfo};
use crate::decode::Hints;
use crate::io::read::{Size, read_input};
use crate::run::batch::{self, FileError, Notice, Summary, Walk};

/// The field [`clean_stream`] adds to each record: `{"site", "header", "removed"}`.
pub const META_FIELD: &str = "declutr";

/// How many files [`write_files`] cleans in parallel before writing their records.
const FILES_PER_CHUNK: usize = 256;

// ---------------------------------------------------------------------------------------
// Records of cleaned documents (`--format jsonl`).
// ---------------------------------------------------------------------------------------

/// The JSON record of one cleaned document; see the [module docs](self) for its fields.
#[derive(Debug)]
pub(crate) struct Record<'a> {
    path: Option<String>,
    warc: Option<(u64, Option<&'a str>)>,
    cleaned: &'a Cleaned,
}

impl<'a> Record<'a> {
    /// The record of `cleaned`, read from `path` (`None`: stdin).
    pub(crate) fn new(path: Option<&Path>, cleaned: &'a Cleaned) -> Self {
        Record {
            path: path.map(|p| p.to_string_lossy().into_owned()),
            warc: None,
            cleaned,
        }
    }

    /// The record of a page held by a WARC file's record `number` (from 1), whose
    /// `WARC-Record-ID` is `id`.
    pub(crate) fn with_warc_record(mut self, number: u64, id: Option<&'a str>) -> Self {
        self.warc = Some((number, id));
        self
    }

    /// The record as one line of JSON, ending in a newline.
    pub(crate) fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }
}

impl Serialize for Record<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.cleaned;
        let entries =
            if self.warc.is_some() { 9 } else { 7 } + usize::from(c.learned_held.is_some());
        let mut map = serializer.serialize_map(Some(entries))?;
        map.serialize_entry("path", &self.path)?;
        if let Some((number, id)) = self.warc {
            map.serialize_entry("record", &number)?;
            map.serialize_entry("record_id", &id)?;
        }
        map.serialize_entry("url", &c.url)?;
        map.serialize_entry("site", &c.site)?;
        map.serialize_entry("header", &Fields(header_fields(&c.header)))?;
        map.serialize_entry("header_lines", &c.header)?;
        map.serialize_entry("text", &c.body_text())?;
        map.serialize_entry("removed", &c.removed_by_filter())?;
        if let Some(held) = &c.learned_held {
            map.serialize_entry("learned_held", &HeldFields(held))?;
        }
        map.end()
    }
}

/// The article guard's verdict as a JSON object: the page's sentence-like words without
/// the learned rules, what they would have kept, and the share they would have removed.
struct HeldFields<'a>(&'a crate::LearnedHeld);

impl Serialize for HeldFields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("prose_words", &self.0.prose_words)?;
        map.serialize_entry("kept_words", &self.0.kept_words)?;
        map.serialize_entry("share", &self.0.share())?;
        map.end()
    }
}

/// Key-value pairs serialised as a JSON object, in their order.
struct Fields<'a>(Vec<(String, &'a str)>);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The `key: value` lines of a header, in order: the key starts the line and is made of
/// letters, digits, `-`, `_` and `.`; it is lowercased, and the first line with a key wins.
/// The value is what follows the colon, trimmed (a value starting with `//` means the
/// "key" was a URL scheme, and the line is not a field). Other lines (`date 2025-03-09`,
/// `---`, `WARC/1.1`) are in the verbatim header lines only.
pub(crate) fn header_fields(header: &[String]) -> Vec<(String, &str)> {
    let mut fields: Vec<(String, &str)> = Vec::new();
    for line in header {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let is_key = key.starts_with(|c: char| c.is_ascii_alphabetic())
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !is_key || value.starts_with("//") {
            continue;
        }
        let key = key.to_lowercase();
        if !fields.iter().any(|(k, _)| *k == key) {
            fields.push((key, value.trim()));
        }
    }
    fields
}

/// Cleans the files `walk` found and writes one [`Record`] per file to `out`, in the walk's
/// order; files are cleaned in parallel, a chunk at a time. Files are read as a directory
/// batch reads them ([`read_input`], never more than `max_bytes`): a file that cannot
/// be read or decoded, or is larger than `max_bytes`, is left out and listed in the
/// summary's failures; a binary file (and a symlink loop of the walk) is left out and listed
/// in its skipped files; a document with something to tell is listed in its notices. `tick`
/// is called once per file. Only a failure to write `out` stops the run.
pub(crate) fn write_files(
    cleaner: &Cleaner,
    walk: Walk,
    max_bytes: u64,
    out: &mut dyn Write,
    tick: &(dyn Fn() + Sync),
) -> io::Result<Summary> {
    let mut summary = Summary {
        skipped: walk.skipped,
        ..Summary::default()
    };
    for (path, e) in walk.walk_errors {
        summary.add_error(path, e);
    }
    for chunk in walk.inputs.chunks(FILES_PER_CHUNK) {
        let results: Vec<Result<(u64, String, Cleaned), FileError>> = chunk
            .par_iter()
            .map(|input| {
                let r = clean_file(cleaner, &input.path, input.site.clone(), max_bytes);
                tick();
                r
            })
            .collect();
        for (input, result) in chunk.iter().zip(results) {
            match result {
                Ok((bytes_in, line, cleaned)) => {
                    out.write_all(line.as_bytes())?;
                    summary.cleaned += 1;
                    summary.bytes_in += bytes_in;
                    summary.bytes_out += line.len() as u64;
                    for (k, n) in cleaned.removed_by_filter() {
                        *summary.removed.entry(k).or_default() += n;
                    }
                    for notice in batch::notices(&cleaned) {
                        summary.notices.push((input.path.clone(), notice));
                    }
                }
                Err(e) => summary.add_error(input.path.clone(), e),
            }
        }
    }
    out.flush()?;
    summary.sort();
    Ok(summary)
}

/// Reads, cleans and renders one file: its size, its record line, and the cleaned document.
fn clean_file(
    cleaner: &Cleaner,
    path: &Path,
    site: Option<String>,
    max_bytes: u64,
) -> Result<(u64, String, Cleaned), FileError> {
    let bytes = read_input(path, max_bytes)?;
    let hints = Hints {
        name: Some(path),
        ..Hints::default()
    };
    let info = DocumentInfo {
        site,
        url: None,
        capture: None,
    };
    let cleaned = cleaner.clean_bytes(&bytes, &hints, &info)?;
    let line = Record::new(Some(path), &cleaned).to_line();
    Ok((bytes.len() as u64, line, cleaned))
}

// ---------------------------------------------------------------------------------------
// Streams of records (`--input-format jsonl`).
// ---------------------------------------------------------------------------------------

/// What [`clean_stream`] does with a bad line, after reporting it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OnBadLine {
    /// Write it to the output unchanged (the default): no record is lost.
    #[default]
    Pass,
    /// Leave it out of the output.
    Skip,
    /// Stop: nothing after it is written, and [`clean_stream`] returns
    /// [`StreamError::Stopped`].
    Fail,
}

/// How [`clean_stream`] reads and cleans records.
#[derive(Debug, Clone)]
pub struct Options {
    /// The field holding the page's text, replaced by the cleaned body (default `text`).
    pub text_field: String,
    /// The field holding the page's URL, if a record has it as a string (default `url`);
    /// it names the page's site when its own header does not.
    pub url_field: String,
    /// The site to use when neither the header nor the URL field names one.
    pub site: Option<String>,
    /// What to do with a bad line (default: pass it through).
    pub on_bad_line: OnBadLine,
    /// Most lines read and cleaned together (default 256).
    pub chunk_lines: usize,
    /// A chunk ends early once its lines hold this many bytes (default 8 MiB). A chunk is
    /// held in memory with the records cleaned from it, so this bound, plus the longest
    /// line, sets the memory a stream of long records takes.
    pub chunk_bytes: usize,
    /// A line longer than this many bytes is a bad line ([`Problem::TooLarge`]), neither
    /// parsed nor cleaned (`--max-bytes`, default 64 MB). The stream itself has no size
    /// limit.
    pub max_bytes: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            text_field: "text".into(),
            url_field: "url".into(),
            site: None,
            on_bad_line: OnBadLine::Pass,
            chunk_lines: 256,
            chunk_bytes: 8 << 20,
            max_bytes: batch::DEFAULT_MAX_BYTES,
        }
    }
}

/// What [`clean_stream`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Lines read.
    pub lines: u64,
    /// Records cleaned and written.
    pub cleaned: u64,
    /// Bad lines (reported, then passed through, skipped, or the stop).
    pub bad_lines: u64,
    /// Blank lines, left out.
    pub blank_lines: u64,
    /// Lines (and HTML elements) removed from the cleaned records, per filter kind.
    pub removed: BTreeMap<&'static str, usize>,
    /// Records cleaned with something to tell (markup nested too deep), by line number.
    pub notices: Vec<(u64, Notice)>,
}

/// A line that is not a record [`clean_stream`] can clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Its 1-based line number.
    pub line: u64,
    /// What is wrong with it.
    pub problem: Problem,
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

/// What is wrong with a bad line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The line is not valid JSON (or holds more than one value).
    #[error("not valid JSON: {0}")]
    NotJson(String),
    /// The line is JSON, but not an object.
    #[error("not a JSON object but {0}")]
    NotObject(&'static str),
    /// The object has no text field.
    #[error("no field {0:?}")]
    MissingField(String),
    /// The text field holds something else than a string.
    #[error("field {field:?} is {found}, not a string")]
    NotString {
        /// The field.
        field: String,
        /// What it holds: `a number`, `null`…
        found: &'static str,
    },
    /// The text field appears more than once: which one to clean is ambiguous.
    #[error("field {0:?} appears more than once")]
    DuplicateField(String),
    /// A string holds a `\u` escape of half a UTF-16 surrogate pair without its other half
    /// (`\ud800`): valid JSON, but not Unicode text.
    #[error("lone UTF-16 surrogate {escape} in {place} (not valid Unicode)")]
    LoneSurrogate {
        /// The escape as written.
        escape: String,
        /// Where: `field "text"`, `a key at column 12`.
        place: String,
    },
    /// The line is longer than [`Options::max_bytes`]; it was not parsed.
    #[error("line of {} is over --max-bytes ({})", Size(*.size), Size(*.max))]
    TooLarge {
        /// Its length in bytes.
        size: u64,
        /// The limit in bytes.
        max: u64,
    },
}

/// Why [`clean_stream`] stopped before the end of its input.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading the input failed.
    #[error("cannot read line {line}: {source}")]
    Read {
        /// The line being read.
        line: u64,
        /// The cause.
        source: io::Error,
    },
    /// Writing the output failed.
    #[error("cannot write: {0}")]
    Write(#[source] io::Error),
    /// A bad line with [`OnBadLine::Fail`]: the lines before it were written, it and the
    /// lines after it were not.
    #[error("stopped at bad line {0}")]
    Stopped(u64),
}

/// Cleans a stream of JSON records, one per line, from `reader` to `writer`, in input order.
/// Each bad line is given to `report` (whatever [`Options::on_bad_line`] says), with its
/// line number.
///
/// It reads one JSON object per line, cleans the string in its text field (HTML or plain
/// text, as the cleaner's sniffing decides, with the record's URL field as the page's URL)
/// and writes the object back with that field replaced by the cleaned body. Every other
/// field is written back as it was read, byte for byte, in its place. A field named
/// [`META_FIELD`] (`declutr`) is added last (replacing one the input had) with what the
/// cleaner found: `{"site": …, "header": [header lines], "removed": {filter: count}}`, and
/// `learned_held` when the site's learned rules were held back from the page
/// (`{"prose_words", "kept_words", "share"}`, see [`crate::LearnedHeld`]).
///
/// Lines are read in chunks (at most [`Options::chunk_lines`] lines, ending once they hold
/// [`Options::chunk_bytes`]) and the records of a chunk are cleaned in parallel; the output
/// keeps the input's order, and memory holds one chunk at a time. Blank lines carry no
/// record and are left out. A line that is not a JSON object with a string text field, or
/// is longer than [`Options::max_bytes`], is a bad line: it is handed to `report` and, as
/// [`OnBadLine`] says, written through unchanged, left out, or the stream stops there. A
/// record whose markup nests too deep is cleaned, and listed in the summary's notices.
///
/// ```
/// use declutr::Cleaner;
/// use declutr::jsonl::{self, OnBadLine, Options};
///
/// let cleaner = Cleaner::with_default_rules()?;
/// let input = concat!(
///     r#"{"id": 1, "url": "https://example.com/news/bridge", "text": "Bridge to close for the summer\nListen to this article\nThe council voted on Tuesday to close the old bridge to cars for the summer, after engineers found that two of its supports had been weakened by the spring floods.\n"}"#,
///     "\n",
///     "not json\n",
/// );
/// let mut output = Vec::new();
/// let mut bad = Vec::new();
/// let summary = jsonl::clean_stream(
///     input.as_bytes(),
///     &mut output,
///     &cleaner,
///     &Options { on_bad_line: OnBadLine::Skip, ..Options::default() },
///     |b| bad.push(b.to_string()),
/// )?;
/// assert_eq!((summary.cleaned, summary.bad_lines), (1, 1));
/// assert_eq!(bad, ["line 2: not valid JSON: expected ident at column 2"]);
///
/// let output = String::from_utf8(output)?;
/// let record: serde_json::Value = serde_json::from_str(output.trim_end())?;
/// assert_eq!(record["id"], 1);
/// assert!(!record["text"].as_str().unwrap_or("").contains("Listen to this article"));
/// assert_eq!(record["declutr"]["site"], "example.com");
/// assert_eq!(record["declutr"]["removed"]["drop-lines"], 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn clean_stream<R: BufRead, W: Write>(
    mut reader: R,
    mut writer: W,
    cleaner: &Cleaner,
    options: &Options,
    mut report: impl FnMut(&BadLine),
) -> Result<StreamSummary, StreamError> {
    let mut summary = StreamSummary::default();
    loop {
        let chunk = read_chunk(&mut reader, options, &mut summary.lines)?;
        if chunk.is_empty() {
            break;
        }
        let results: Vec<Option<Result<CleanedLine, Problem>>> = chunk
            .par_iter()
            .map(|(_, raw)| clean_line(cleaner, raw, options))
            .collect();
        for ((line, raw), result) in chunk.iter().zip(results) {
            match result {
                None => summary.blank_lines += 1,
                Some(Ok(done)) => {
                    writer
                        .write_all(done.line.as_bytes())
                        .map_err(StreamError::Write)?;
                    summary.cleaned += 1;
                    for (k, n) in done.removed {
                        *summary.removed.entry(k).or_default() += n;
                    }
                    for notice in done.notices {
                        summary.notices.push((*line, notice));
                    }
                }
                Some(Err(problem)) => {
                    summary.bad_lines += 1;
                    report(&BadLine {
                        line: *line,
                        problem,
                    });
                    match options.on_bad_line {
                        OnBadLine::Pass => {
                            writer.write_all(raw).map_err(StreamError::Write)?;
                            writer.write_all(b"\n").map_err(StreamError::Write)?;
                        }
                        OnBadLine::Skip => {}
                        OnBadLine::Fail => {
                            writer.flush().map_err(StreamError::Write)?;
                            return Err(StreamError::Stopped(*line));
                        }
                    }
                }
            }
        }
    }
    writer.flush().map_err(StreamError::Write)?;
    Ok(summary)
}

/// The UTF-8 byte-order mark, accepted (and dropped) at the start of a stream.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads the next chunk of lines, numbered, without their `\n` (nor the stream's
/// byte-order mark); empty at the end.
fn read_chunk<R: BufRead>(
    reader: &mut R,
    options: &Options,
    lines: &mut u64,
) -> Result<Vec<(u64, Vec<u8>)>, StreamError> {
    let mut chunk = Vec::new();
    let mut bytes = 0;
    while chunk.len() < options.chunk_lines.max(1) && bytes < options.chunk_bytes {
        let mut buf = Vec::new();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|source| StreamError::Read {
                line: *lines + 1,
                source,
            })?;
        if n == 0 {
            break;
        }
        *lines += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
        }
        // A UTF-8 byte-order mark may start the stream (editors on Windows write one).
        if *lines == 1 && buf.starts_with(UTF8_BOM) {
            buf.drain(..UTF8_BOM.len());
        }
        bytes += buf.len();
        chunk.push((*lines, buf));
    }
    Ok(chunk)
}

/// A cleaned record: its output line, its removal counts and what to tell of it.
struct CleanedLine {
    line: String,
    removed: BTreeMap<&'static str, usize>,
    notices: Vec<Notice>,
}

/// Cleans one input line; `None` for a blank line.
fn clean_line(
    cleaner: &Cleaner,
    raw: &[u8],
    options: &Options,
) -> Option<Result<CleanedLine, Problem>> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let size = raw.len() as u64;
    if size > options.max_bytes {
        return Some(Err(Problem::TooLarge {
            size,
            max: options.max_bytes,
        }));
    }
    Some(clean_record(cleaner, raw, options))
}

fn clean_record(cleaner: &Cleaner, raw: &[u8], options: &Options) -> Result<CleanedLine, Problem> {
    let Entries(entries) = parse_object(raw)?;
    let field = options.text_field.as_str();
    let mut texts = entries.iter().filter(|(k, _)| k == field);
    let Some((_, text)) = texts.next() else {
        return Err(Problem::MissingField(field.to_string()));
    };
    if texts.next().is_some() {
        return Err(Problem::DuplicateField(field.to_string()));
    }
    let text: String = serde_json::from_str(text.get()).map_err(|e| {
        let raw = text.get().as_bytes();
        match kind_of(raw) {
            // A string that does not decode: a lone surrogate escape.
            "a string" => match lone_surrogate(raw) {
                Some((_, escape)) => Problem::LoneSurrogate {
                    escape,
                    place: format!("field {field:?}"),
                },
                None => Problem::NotJson(format!("field {field:?}: {e}")),
            },
            found => Problem::NotString {
                field: field.to_string(),
                found,
            },
        }
    })?;
    let url = entries
        .iter()
        .filter(|(k, _)| *k == options.url_field)
        .find_map(|(_, v)| serde_json::from_str::<String>(v.get()).ok());
    let info = DocumentInfo {
        site: options.site.clone(),
        url,
        capture: None,
    };
    // A JSON string is text already: it enters the pipeline after decoding (a `<meta
    // charset>` in it is not followed, a NUL byte in it is no sign of a binary file).
    let cleaned = cleaner.clean(&text, &info);
    let removed = cleaned.removed_by_filter();
    let meta = serde_json::to_string(&Meta {
        site: cleaned.site.as_deref(),
        header: &cleaned.header,
        removed: &removed,
        learned_held: cleaned.learned_held.as_ref().map(HeldFields),
    })
    .unwrap_or_default();
    let body = serde_json::to_string(&cleaned.body_text()).unwrap_or_default();

    let mut line = String::with_capacity(raw.len() + meta.len());
    line.push('{');
    for (key, value) in entries.iter().filter(|(k, _)| k != META_FIELD) {
        if line.len() > 1 {
            line.push(',');
        }
        line.push_str(&serde_json::to_string(key).unwrap_or_default());
        line.push(':');
        line.push_str(if key == field { &body } else { value.get() });
    }
    if line.len() > 1 {
        line.push(',');
    }
    line.push_str(&serde_json::to_string(META_FIELD).unwrap_or_default());
    line.push(':');
    line.push_str(&meta);
    line.push_str("}\n");
    Ok(CleanedLine {
        line,
        removed,
        notices: batch::notices(&cleaned),
    })
}

/// The [`META_FIELD`] of a cleaned record.
#[derive(serde::Serialize)]
struct Meta<'a> {
    site: Option<&'a str>,
    header: &'a [String],
    removed: &'a BTreeMap<&'static str, usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    learned_held: Option<HeldFields<'a>>,
}

/// Parses a line as a JSON object, keeping its fields in order, each value as written.
fn parse_object(raw: &[u8]) -> Result<Entries, Problem> {
    serde_json::from_slice::<Entries>(raw).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => Problem::NotObject(kind_of(raw)),
        _ => {
            // A key holding a lone surrogate escape: serde_json stops within the next
            // escape after it.
            let column = e.column();
            let before = raw.get(..column).unwrap_or(raw);
            if let Some((at, escape)) =
                lone_surrogate_last(before).filter(|(at, _)| column.saturating_sub(at + 6) <= 6)
            {
                return Problem::LoneSurrogate {
                    escape,
                    place: format!("a key at column {}", at + 1),
                };
            }
            let message = e.to_string();
            let location = format!(" at line {} column {}", e.line(), e.column());
            let message = message.strip_suffix(&location).unwrap_or(&message);
            Problem::NotJson(format!("{message} at column {}", e.column()))
        }
    })
}

/// The first `\u` escape in JSON text that is half of a UTF-16 surrogate pair without its
/// other half (`\ud800` not followed by a `\udc00`..`\udfff` escape, or such a trailing
/// escape alone): its byte offset and the escape as written. JSON allows such escapes, but
/// they are not Unicode text, so no string holding one can be cleaned.
fn lone_surrogate(json: &[u8]) -> Option<(usize, String)> {
    surrogate_escapes(json).next()
}

/// Like [`lone_surrogate`], the last one.
fn lone_surrogate_last(json: &[u8]) -> Option<(usize, String)> {
    surrogate_escapes(json).last()
}

/// The lone surrogate escapes of JSON text, in order (see [`lone_surrogate`]).
fn surrogate_escapes(json: &[u8]) -> impl Iterator<Item = (usize, String)> + '_ {
    // The code unit of the `\u` escape at `at`, if it is one.
    let unit = move |at: usize| {
        let hex = json.get(at..at + 6)?.strip_prefix(b"\\u")?;
        if !hex.iter().all(u8::is_ascii_hexdigit) {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = json.get(at..).and_then(|r| memchr::memchr(b'\\', r)) {
            let start = at + found;
            let Some(code) = unit(start) else {
                // Another escape (`\\`, `\"`…): skip its two characters.
                at = start + 2;
                continue;
            };
            at = start + 6;
            let lone = match code {
                0xd800..=0xdbff => match unit(at) {
                    Some(0xdc00..=0xdfff) => {
                        at += 6;
                        false
                    }
                    _ => true,
                },
                0xdc00..=0xdfff => true,
                _ => false,
            };
            if lone {
                let escape = String::from_utf8_lossy(&json[start..start + 6]).into_owned();
                return Some((start, escape));
            }
        }
        None
    })
}

/// What a JSON value is, from its first byte: `an array`, `a string`…
fn kind_of(json: &[u8]) -> &'static str {
    match json.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The fields of a JSON object in their order, their values unparsed.
struct Entries(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;

        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(entry) = map.next_entry::<String, Box<RawValue>>()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }

        deserializer.deserialize_map(EntriesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default rules compile once for all the tests (slow in a debug build).
    fn cleaner() -> &'static Cleaner {
        static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
        CLEANER.get_or_init(|| Cleaner::with_default_rules().unwrap_or_else(|e| panic!("{e}")))
    }

    const PARA: &str = "The council voted on Tuesday to close the old bridge to cars for the \
summer, after engineers found that two of its supports had been weakened by the spring floods.";

    /// Runs `clean_stream`; the output and the reported bad lines.
    fn run(input: &str, options: &Options) -> (Result<StreamSummary, String>, String, Vec<String>) {
        let mut out = Vec::new();
        let mut bad = Vec::new();
        let r = clean_stream(input.as_bytes(), &mut out, cleaner(), options, |b| {
            bad.push(b.to_string())
        })
        .map_err(|e| e.to_string());
        (r, String::from_utf8_lossy(&out).into_owned(), bad)
    }

    fn record(text: &str) -> String {
        serde_json::json!({ "text": text }).to_string()
    }

    #[test]
    fn header_fields_are_the_first_of_each_key_lowercased() {
        let header = [
            "URL: https://example.com/a".to_string(),
            "date 2025-03-09".to_string(),
            "WARC-Date: 2025-03-09T10:00:00Z".to_string(),
            "url: https://example.com/b".to_string(),
        ];
        assert_eq!(
            header_fields(&header),
            [
                ("url".to_string(), "https://example.com/a"),
                ("warc-date".to_string(), "2025-03-09T10:00:00Z"),
            ]
        );
    }

    /// The public documentation of `Options::max_bytes` gives its default as a number.
    #[test]
    fn the_documented_default_size_is_the_default() {
        assert_eq!(Options::default().max_bytes, 64_000_000);
    }

    #[test]
    fn header_fields_table() {
        let cases: [(&str, Option<(&str, &str)>); 9] = [
            (
                "url: https://example.com/a",
                Some(("url", "https://example.com/a")),
            ),
            (
                "Source:https://example.com",
                Some(("source", "https://example.com")),
            ),
            (
                "WARC-Target-URI: https://x.example/",
                Some(("warc-target-uri", "https://x.example/")),
            ),
            ("og.title: A: B", Some(("og.title", "A: B"))),
            ("date 2025-03-09", None),
            ("date 2025-03-09 10:30", None),
            ("https://example.com/a", None),
            ("---", None),
            ("  nested: value", None),
        ];
        for (line, want) in cases {
            let header = [line.to_string()];
            let got = header_fields(&header);
            let got = got.first().map(|(k, v)| (k.as_str(), *v));
            assert_eq!(got, want, "{line:?}");
        }
    }

    #[test]
    fn a_record_keeps_its_other_fields_as_written_in_their_order() {
        let input = format!(
            "{{\"z\": 1.50, \"text\": {}, \"big\": 123456789012345678901234567890, \"a\": {{\"b\": [1, \"\\u00e9\"]}}}}\n",
            serde_json::to_string(&format!("{PARA}\nShare\n")).unwrap_or_default()
        );
        let (r, out, bad) = run(&input, &Options::default());
        assert!(r.is_ok() && bad.is_empty(), "{r:?} {bad:?}");
        let text = serde_json::to_string(&format!("{PARA}\n")).unwrap_or_default();
        assert!(
            out.starts_with(&format!(
                "{{\"z\":1.50,\"text\":{text},\"big\":123456789012345678901234567890,\"a\":{{\"b\": [1, \"\\u00e9\"]}},\"declutr\":{{"
            )),
            "{out}"
        );
        assert!(out.ends_with("}\n") && out.lines().count() == 1, "{out}");
    }

    #[test]
    fn an_existing_meta_field_is_replaced_and_moved_last() {
        let input = format!(
            "{{\"declutr\": \"old\", \"text\": {}, \"n\": 2}}\n",
            serde_json::to_string(PARA).unwrap_or_default()
        );
        let (_, out, _) = run(&input, &Options::default());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["declutr"]["header"], serde_json::json!([]));
        assert_eq!(v["n"], 2);
        assert!(out.find("\"n\"") < out.find("\"declutr\""), "{out}");
        assert_eq!(out.matches("\"declutr\"").count(), 1, "{out}");
    }

    #[test]
    fn bad_lines_table() {
        let cases = [
            ("not json", "not valid JSON: expected ident at column 2"),
            (
                "{\"text\": \"a\"",
                "not valid JSON: EOF while parsing an object at column 12",
            ),
            (
                "{\"text\": \"a\"} {}",
                "not valid JSON: trailing characters at column 15",
            ),
            ("[1, 2]", "not a JSON object but an array"),
            ("\"text\"", "not a JSON object but a string"),
            ("{\"body\": \"a\"}", "no field \"text\""),
            ("{\"text\": null}", "field \"text\" is null, not a string"),
            (
                "{\"text\": [\"a\"]}",
                "field \"text\" is an array, not a string",
            ),
            (
                "{\"text\": \"a\", \"text\": \"b\"}",
                "field \"text\" appears more than once",
            ),
            (
                "{\"text\": \"a\\ud800b\"}",
                "lone UTF-16 surrogate \\ud800 in field \"text\" (not valid Unicode)",
            ),
            (
                "{\"text\": \"\\ud83d\\ude00 \\uDC00\"}",
                "lone UTF-16 surrogate \\uDC00 in field \"text\" (not valid Unicode)",
            ),
            (
                "{\"text\": \"\\ud800\\u0041\"}",
                "lone UTF-16 surrogate \\ud800 in field \"text\" (not valid Unicode)",
            ),
            (
                "{\"\\ud800\": 1, \"text\": \"a\"}",
                "lone UTF-16 surrogate \\ud800 in a key at column 3 (not valid Unicode)",
            ),
            (
                "{\"id\": \"\\ud800\", \"k\\udc00\": 1}",
                "lone UTF-16 surrogate \\udc00 in a key at column 20 (not valid Unicode)",
            ),
        ];
        for (line, want) in cases {
            let (r, out, bad) = run(&format!("{line}\n"), &Options::default());
            assert_eq!(bad, [format!("line 1: {want}")], "{line}");
            assert_eq!(out, format!("{line}\n"), "passed through unchanged");
            assert_eq!(r.map(|s| s.bad_lines).ok(), Some(1));
        }
    }

    #[test]
    fn lone_surrogates_are_found_among_other_escapes() {
        let lone = |json: &str| surrogate_escapes(json.as_bytes()).collect::<Vec<_>>();
        assert!(lone(r#""\ud83d\ude00 \\ud800 \"\u00e9\\""#).is_empty());
        assert_eq!(lone(r#""\ud800""#), [(1, r"\ud800".to_string())]);
        assert_eq!(
            lone(r#""\\\udbff\udbff\udfff\ud800""#),
            [(3, r"\udbff".to_string()), (21, r"\ud800".to_string())]
        );
        assert!(lone(r#""\ud80""#).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn the_surrogate_scan_never_panics_and_finds_only_escapes(json in "[\\\\ud8c0fA\"]{0,40}") {
            for (at, escape) in surrogate_escapes(json.as_bytes()) {
                proptest::prop_assert_eq!(json.get(at..at + 6), Some(escape.as_str()));
            }
        }
    }

    #[test]
    fn a_byte_order_mark_may_start_the_stream() {
        for input in [
            format!("\u{feff}{}\n{}\n", record(PARA), record(PARA)),
            format!("\u{feff}\n{}", record(PARA)),
        ] {
            let (r, out, bad) = run(&input, &Options::default());
            assert!(bad.is_empty(), "{bad:?}");
            assert!(!out.contains('\u{feff}'), "{out}");
            assert_eq!(
                r.map(|s| s.cleaned).ok(),
                Some(1 + u64::from(input.ends_with('\n')))
            );
        }
        // Elsewhere it is not JSON.
        let (_, _, bad) = run(
            &format!("{}\n\u{feff}{}", record(PARA), record(PARA)),
            &Options::default(),
        );
        assert_eq!(bad.len(), 1, "{bad:?}");
    }

    #[test]
    fn bad_lines_pass_skip_or_stop() {
        let good = record(PARA);
        let input = format!("{good}\n[]\n\n{good}\r\n{{\"text\": 3}}\r\n{good}");
        let (r, out, bad) = run(&input, &Options::default());
        assert_eq!(
            bad,
            [
                "line 2: not a JSON object but an array",
                "line 5: field \"text\" is a number, not a string"
            ]
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "{out}");
        assert_eq!(lines[1], "[]");
        assert!(
            out.contains("\n{\"text\": 3}\r\n"),
            "kept as it was: {out:?}"
        );
        let s = r.unwrap_or_default();
        assert_eq!(
            (s.lines, s.cleaned, s.bad_lines, s.blank_lines),
            (6, 3, 2, 1)
        );

        let skip = Options {
            on_bad_line: OnBadLine::Skip,
            ..Options::default()
        };
        let (_, out, bad) = run(&input, &skip);
        assert_eq!(bad.len(), 2);
        assert_eq!(out.lines().count(), 3);
        assert!(out.lines().all(|l| l.contains("\"declutr\"")), "{out}");

        let fail = Options {
            on_bad_line: OnBadLine::Fail,
            chunk_lines: 1,
            ..Options::default()
        };
        let (r, out, bad) = run(&input, &fail);
        assert_eq!(r, Err("stopped at bad line 2".to_string()));
        assert_eq!(bad, ["line 2: not a JSON object but an array"]);
        assert_eq!(
            out.lines().count(),
            1,
            "the line before the bad one is written"
        );
    }

    #[test]
    fn a_chunk_ends_at_its_byte_bound_as_well_as_its_line_bound() {
        // Lines of 100 bytes plus their newline; a 60-byte line in the middle.
        let long = "x".repeat(100);
        let input = format!(
            "{long}\n{long}\n{long}\n{}\n{long}\n{long}\n{long}",
            "y".repeat(60)
        );
        let chunks = |chunk_lines: usize, chunk_bytes: usize| -> Vec<Vec<u64>> {
            let options = Options {
                chunk_lines,
                chunk_bytes,
                ..Options::default()
            };
            let mut reader = input.as_bytes();
            let mut lines = 0;
            let mut chunks = Vec::new();
            loop {
                match read_chunk(&mut reader, &options, &mut lines) {
                    Ok(chunk) if chunk.is_empty() => break,
                    Ok(chunk) => chunks.push(chunk.iter().map(|(n, _)| *n).collect()),
                    Err(e) => panic!("{e}"),
                }
            }
            chunks
        };
        // A chunk ends once its lines hold the bound (newlines not counted): 100 + 100 is
        // 200, then 100 + 60 + 100 is 260.
        assert_eq!(chunks(256, 200), [vec![1, 2], vec![3, 4, 5], vec![6, 7]]);
        // A line longer than the bound is a chunk alone; it is never split.
        assert_eq!(
            chunks(256, 50),
            (1..=7).map(|n| vec![n]).collect::<Vec<_>>()
        );
        // The line bound still holds when the bytes would allow more.
        assert_eq!(chunks(3, 1 << 20), [vec![1, 2, 3], vec![4, 5, 6], vec![7]]);
    }

    #[test]
    fn order_is_kept_across_chunks() {
        let input: String = (0..50)
            .map(|i| format!("{{\"i\":{i},\"text\":\"Line {i}.\"}}\n"))
            .collect();
        // Lines of 24 to 26 bytes: 100 bytes end a chunk after four or five.
        for (chunk_lines, chunk_bytes) in [(1, 1 << 20), (7, 1 << 20), (256, 1 << 20), (256, 100)] {
            let options = Options {
                chunk_lines,
                chunk_bytes,
                ..Options::default()
            };
            let (r, out, _) = run(&input, &options);
            assert_eq!(r.map(|s| s.cleaned).ok(), Some(50));
            let ids: Vec<String> = out
                .lines()
                .map(|l| l.split(',').next().unwrap_or("").to_string())
                .collect();
            let want: Vec<String> = (0..50).map(|i| format!("{{\"i\":{i}")).collect();
            assert_eq!(
                ids, want,
                "chunk_lines {chunk_lines}, chunk_bytes {chunk_bytes}"
            );
        }
    }

    #[test]
    fn the_url_field_names_the_site() {
        let line =
            serde_json::json!({ "link": "https://www.news.example/a", "text": PARA }).to_string();
        let options = Options {
            url_field: "link".into(),
            ..Options::default()
        };
        let (_, out, _) = run(&line, &options);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["declutr"]["site"], "www.news.example");
        let (_, out, _) = run(&line, &Options::default());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["declutr"]["site"], serde_json::Value::Null);
    }

    #[test]
    fn empty_input_gives_empty_output() {
        let (r, out, bad) = run("", &Options::default());
        assert_eq!(r.ok(), Some(StreamSummary::default()));
        assert!(out.is_empty() && bad.is_empty());
    }
}
