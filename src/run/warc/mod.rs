//! WARC files (web archives, ISO 28500: WARC/1.0 and WARC/1.1), read one record at a time
//! ([`Reader`]). The library offers this reader and [`http`] as [`crate::warc`].
//!
//! A WARC file is a sequence of records, each a version line (`WARC/1.1`), named header
//! fields up to a blank line, a block of exactly `Content-Length` bytes, and two line
//! endings. A `.warc.gz` file compresses each record as its own gzip member; read through
//! [`crate::io::gzip::sniff`] it is one stream again.
//!
//! [`http`] reads the HTTP response a `response` record holds, and [`clean`] turns the
//! records holding a page into cleaned documents.
//!
//! declutr has its own reader rather than the `warc` crate (0.4.0): that crate has no HTTP
//! parsing, which is most of the work here; it holds every block whole in memory unless
//! streamed, takes a missing `Content-Length` as 0, reads lines without a length limit, and
//! brings nom, chrono, uuid 0.8 and libflate (a second deflate implementation beside
//! flate2) for what is a hundred lines of framing.

use std::fmt;
use std::io::{self, BufRead, Read};

pub(crate) mod clean;
pub mod http;

/// The most bytes a record's header (version line and fields) may hold: 1 MiB.
pub const MAX_HEADER_BYTES: u64 = 1 << 20;

/// A problem reading a WARC file, with the record it was found in.
#[derive(Debug, thiserror::Error)]
#[error("record {record}{}: {kind}", uri_suffix(.uri))]
pub struct Error {
    /// The record's number in the file, from 1.
    pub record: u64,
    /// Its `WARC-Target-URI`, when its header was read.
    pub uri: Option<String>,
    /// What is wrong.
    pub kind: ErrorKind,
}

fn uri_suffix(uri: &Option<String>) -> String {
    uri.as_deref()
        .map(|u| format!(" ({})", crate::escape::text(u)))
        .unwrap_or_default()
}

/// What is wrong with a WARC record.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    /// Reading failed (a gzip stream that is corrupt is one).
    #[error("{}", read_error(.0))]
    Read(io::Error),
    /// Bytes that do not start with a `WARC/1.0`-style version line.
    #[error("not a WARC record: it starts with {0:?}, not a version line such as WARC/1.1")]
    BadVersion(String),
    /// A header line is neither `Name: value` nor the continuation of a folded field.
    #[error("bad header line {0:?}: expected Name: value")]
    BadField(String),
    /// The header is longer than [`MAX_HEADER_BYTES`].
    #[error("header over {MAX_HEADER_BYTES} bytes")]
    HeaderTooLong,
    /// The file ends inside the header.
    #[error("truncated: the file ends inside the record's header")]
    TruncatedHeader,
    /// The file ends inside the block.
    #[error("truncated: the file ends {read} bytes into a block of {length}")]
    TruncatedBlock {
        /// Bytes of the block that were there.
        read: u64,
        /// The block's `Content-Length`.
        length: u64,
    },
}

fn read_error(e: &io::Error) -> String {
    if crate::io::gzip::is_gzip_error(e) && e.kind() == io::ErrorKind::UnexpectedEof {
        format!("truncated: the gzip stream ends inside the record ({e})")
    } else if crate::io::gzip::is_gzip_error(e) {
        format!("not valid gzip: {e}")
    } else {
        format!("cannot read: {e}")
    }
}

/// A record's header: its version and its fields, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The version line, `WARC/1.1` or `WARC/1.0`.
    pub version: String,
    /// The fields, names and values as written (values trimmed, folded lines joined by a
    /// space).
    pub fields: Vec<(String, String)>,
    /// The block's length in bytes (`Content-Length`): `None` when the field is missing
    /// or not a number (the block then runs to the next record).
    pub content_length: Option<u64>,
}

impl Header {
    /// The value of the first field named `name` (ignoring case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`: `warcinfo`, `response`, `resource`, `request`, `metadata`, …
    pub fn record_type(&self) -> Option<&str> {
        self.get("WARC-Type")
    }

    /// `WARC-Target-URI`, without the angle brackets some writers put around it.
    pub fn target_uri(&self) -> Option<&str> {
        self.get("WARC-Target-URI")
            .map(|u| u.trim_start_matches('<').trim_end_matches('>'))
            .filter(|u| !u.is_empty())
    }

    /// `WARC-Date`: when the capture was made (`2025-04-02T08:30:00Z`).
    pub fn date(&self) -> Option<&str> {
        self.get("WARC-Date")
    }

    /// `WARC-Record-ID` (`<urn:uuid:…>`).
    pub fn record_id(&self) -> Option<&str> {
        self.get("WARC-Record-ID")
    }

    /// `Content-Type` of the block (`application/http; msgtype=response`, `text/html`).
    pub fn content_type(&self) -> Option<&str> {
        self.get("Content-Type")
    }
}

/// Bytes looked at past the ones handed out, to tell a record boundary: the two line
/// endings that end a record, the next one's version line and the start of its first
/// field.
const LOOKAHEAD: usize = 256;

/// Bytes kept before the read position when the buffer moves, to see the line endings
/// before a version line.
const LOOKBEHIND: usize = 8;

/// A trailing record whose block is at most this many bytes short of its `Content-Length`
/// when the file ends is read as it is, with a warning (as warcio does); more is a
/// truncated file, an error.
pub const FEW_BYTES: u64 = 64;

/// A record boundary found inside a block is checked against the block's declared end when
/// that is at most this far ahead (1 MiB, read ahead into memory): when the declared end is
/// followed by a record boundary too, the one inside is part of the block. Farther, the
/// boundary inside ends the block.
pub const MAX_VERIFY_BYTES: u64 = 1 << 20;

/// The stream under a [`Reader`], buffered so that the reader can look ahead of what it
/// hands out (and a few bytes behind), never holding more than its buffer.
#[derive(Debug)]
struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    /// The next byte to read in `buf`; the bytes before it are the stream's bytes just
    /// before it (at least [`LOOKBEHIND`] of them, or all since the start).
    pos: usize,
    /// The end of the bytes read into `buf`.
    end: usize,
    /// The offset of `buf[pos]` in the stream.
    offset: u64,
    /// The stream ended, or failed (`error`).
    eof: bool,
    /// A read error met while looking ahead: returned once the bytes before it are read.
    error: Option<io::Error>,
}

impl<R: Read> Input<R> {
    fn new(inner: R) -> Self {
        Input {
            inner,
            buf: vec![0; 1 << 16],
            pos: 0,
            end: 0,
            offset: 0,
            eof: false,
            error: None,
        }
    }

    /// The bytes read and not consumed.
    fn ahead(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    /// The next [`LOOKAHEAD`] bytes, or fewer at the end of the stream: what every decision
    /// looks at, so that none depends on how the stream arrives.
    fn peek(&self) -> &[u8] {
        let ahead = self.ahead();
        &ahead[..ahead.len().min(LOOKAHEAD)]
    }

    /// Reads until at least `want` bytes are ahead, or the stream ends. A read error is
    /// returned only when no byte is ahead: the bytes before it are read first.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        while self.end - self.pos < want && !self.eof {
            if self.end == self.buf.len() {
                let from = self.pos - self.pos.min(LOOKBEHIND);
                if from > 0 {
                    self.buf.copy_within(from..self.end, 0);
                    self.pos -= from;
                    self.end -= from;
                }
                let needed = self.pos + want;
                if needed > self.buf.len() || self.end == self.buf.len() {
                    let grown = needed.max(self.buf.len() * 2);
                    self.buf.resize(grown, 0);
                }
            }
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    self.error = Some(e);
                }
            }
        }
        match self.error.take() {
            Some(e) if self.pos == self.end => Err(e),
            other => {
                self.error = other;
                Ok(())
            }
        }
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.pos);
        self.pos += n;
        self.offset += n as u64;
    }

    /// Whether the next byte starts a line (the stream's first byte does).
    fn at_line_start(&self) -> bool {
        match self.pos.checked_sub(1) {
            Some(before) => self.buf[before] == b'\n',
            None => self.offset == 0,
        }
    }

    /// Reads one line, without its line ending, within what is left of `budget`: `None`
    /// when the budget runs out or the stream ends first.
    fn read_line(&mut self, budget: &mut u64) -> io::Result<Option<Vec<u8>>> {
        let mut line = Vec::new();
        loop {
            self.fill(1)?;
            let ahead = self.ahead();
            if ahead.is_empty() || *budget == 0 {
                return Ok(None);
            }
            let room = ahead
                .len()
                .min(usize::try_from(*budget).unwrap_or(usize::MAX));
            let (n, done) = match memchr::memchr(b'\n', &ahead[..room]) {
                Some(i) => (i + 1, true),
                None => (room, false),
            };
            line.extend_from_slice(&ahead[..n]);
            self.consume(n);
            *budget -= n as u64;
            if done {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(Some(line));
            }
        }
    }
}

/// Where the current record's block is, as far as the reader knows.
#[derive(Debug, Default)]
struct Block {
    /// Where it starts in the stream.
    start: u64,
    /// Its `Content-Length`, if a number.
    declared: Option<u64>,
    /// The `Content-Length` field's value when it is not a number (`None`: no field).
    bad_length: Option<String>,
    /// Where it ends: its declared end, or the record boundary found before it; `None`
    /// (up to the next record boundary, or the end of the stream) when it has no length or
    /// its length proved too short.
    end: Option<u64>,
    /// The block ends at a record boundary found inside its declared length.
    cut: bool,
    /// Its declared end was not followed by a record boundary: it runs on to the next.
    extended: bool,
    /// Bytes before this offset were looked at for a record boundary.
    scanned: u64,
    /// Where the version line after its declared end is, once looked at (see
    /// [`Reader::boundary_after_declared_end`]).
    verified: Option<Option<u64>>,
    /// It was read or skipped to its end.
    done: bool,
}

/// Something wrong in a WARC file that the reader got past: a warning when the records
/// were all read (a `Content-Length` that proved wrong), a failure when bytes were skipped.
#[derive(Debug)]
pub struct Problem {
    /// The record it concerns (`None` for bytes between records).
    pub record: Option<u64>,
    /// That record's `WARC-Target-URI`, if it was read.
    pub uri: Option<String>,
    /// What happened.
    pub kind: ProblemKind,
}

impl Problem {
    /// Whether bytes of the file were skipped (a failure; exit code 1), rather than read
    /// in spite of a wrong length (a warning).
    pub fn is_failure(&self) -> bool {
        matches!(self.kind, ProblemKind::Skipped { .. })
    }
}

/// What a [`Problem`] is.
#[derive(Debug, thiserror::Error)]
pub enum ProblemKind {
    /// Bytes that are not a record, or a record whose header cannot be read, were skipped
    /// up to the next line that starts a record.
    #[error("{cause}: skipped {bytes} bytes from byte {offset} to {}", next(*.at_end))]
    Skipped {
        /// Why the bytes are not a record.
        cause: ErrorKind,
        /// Where they start in the (decompressed) stream.
        offset: u64,
        /// How many.
        bytes: u64,
        /// No record follows: the skip ran to the end of the file.
        at_end: bool,
    },
    /// A record boundary was found inside the block: the block ends there.
    #[error(
        "Content-Length {declared} is too long: the block ends where the next record starts, after {actual} bytes"
    )]
    TooLong {
        /// The `Content-Length`.
        declared: u64,
        /// The block's length as read.
        actual: u64,
    },
    /// The block's declared end is not followed by a record boundary: it runs on to the
    /// next one.
    #[error("Content-Length {declared} is too short: the block runs on to {}, {actual} bytes", next(*.at_end))]
    TooShort {
        /// The `Content-Length`.
        declared: u64,
        /// The block's length as read.
        actual: u64,
        /// No record follows: the block runs to the end of the file.
        at_end: bool,
    },
    /// The record has no `Content-Length` that is a number: its block runs to the next
    /// record boundary.
    #[error("{}: the block runs to {}, {actual} bytes", no_length(.value), next(*.at_end))]
    NoLength {
        /// The field's value, if there is one.
        value: Option<String>,
        /// The block's length as read.
        actual: u64,
        /// No record follows: the block runs to the end of the file.
        at_end: bool,
    },
    /// The file ends a few bytes ([`FEW_BYTES`] at most) before the last block does.
    #[error(
        "the file ends {missing} bytes before the block's Content-Length ({declared}): the block is read as it is"
    )]
    ShortAtEnd {
        /// The `Content-Length`.
        declared: u64,
        /// How many bytes are missing.
        missing: u64,
    },
}

fn next(at_end: bool) -> &'static str {
    if at_end {
        "the end of the file"
    } else {
        "the next record"
    }
}

fn no_length(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("bad Content-Length {v:?}"),
        None => "no Content-Length field".to_string(),
    }
}

/// Reads WARC records from a stream, one at a time.
///
/// It holds one record's header at a time and never the block whole: the caller reads the
/// block as a stream ([`Record`] is a [`Read`]) or leaves it, and the reader skips what
/// was not read. A record's header is limited to [`MAX_HEADER_BYTES`]; the block's size is
/// the caller's to limit. Lines may end in CRLF, as the format says, or in a bare LF, as
/// some writers do; a field may be folded onto following lines that start with a space or
/// a tab.
///
/// One damaged record does not end the file. The reader checks each block's length
/// against the bytes after it, in the same pass, looking a few hundred bytes ahead:
///
/// - a block is followed by its two line endings and the next version line (or the end
///   of the file): its `Content-Length` is right;
/// - a record boundary (two line endings, a version line and a field) inside the declared
///   length ends the block there: the length was too long (a WARC file archived inside a
///   record is then read as its records);
/// - a declared end followed by neither runs on to the next record boundary or the end of
///   the file: the length was too short; a missing or non-numeric `Content-Length` does
///   the same;
/// - a last block at most [`FEW_BYTES`] short of its length when the file ends is read as
///   it is (warcio does the same); more is a truncated file, an [`Error`].
///
/// Those are warnings: every record is read. Bytes that are not a record (garbage between
/// records) and a record whose header cannot be read (a line that is not a field, a header
/// over the limit) are skipped up to the next line that starts with a version line, and
/// that is a failure: bytes were lost. [`Reader::take_problems`] tells both, with the byte
/// offsets in the stream (in a `.warc.gz` file, of the decompressed stream). All of it is
/// one linear scan in bounded memory. A gzip member that is corrupt ends the file (an
/// [`Error`]): the decompressor cannot find the next member.
#[derive(Debug)]
pub struct Reader<R> {
    input: Input<R>,
    /// Records whose version line was read.
    records: u64,
    /// The current record's target URI, for errors found in its block.
    uri: Option<String>,
    block: Block,
    /// What was got past since [`Reader::take_problems`] was last called.
    problems: Vec<Problem>,
}

impl<R: Read> Reader<R> {
    /// A reader of the WARC records in `inner` (decompressed already, if it was gzip).
    pub fn new(inner: R) -> Self {
        Reader {
            input: Input::new(inner),
            records: 0,
            uri: None,
            block: Block {
                done: true,
                ..Block::default()
            },
            problems: Vec::new(),
        }
    }

    /// How many records were started: the number of the last one returned.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Bytes of the (decompressed) stream read so far.
    pub fn offset(&self) -> u64 {
        self.input.offset
    }

    /// The problems the reader got past since the last call, in the order met: bytes
    /// skipped to resynchronise (failures) and `Content-Length` fields that proved wrong
    /// (warnings). See [`Problem`].
    pub fn take_problems(&mut self) -> Vec<Problem> {
        std::mem::take(&mut self.problems)
    }

    /// The next record, its header read and its block ready to read; `None` at the end of
    /// the file. What was left of the previous record's block is skipped first; bytes that
    /// are not a record, and records whose header cannot be read, are skipped up to the next
    /// line that starts a record ([`Reader::take_problems`] tells them).
    pub fn next_record(&mut self) -> Result<Option<Record<'_, R>>, Error> {
        self.skip_block()?;
        let header = loop {
            // The two line endings after a block, and any blank lines a writer added.
            if !self
                .skip_blank_lines()
                .map_err(|e| self.error(ErrorKind::Read(e)))?
            {
                return Ok(None);
            }
            let start = self.input.offset;
            if version_line(self.input.peek()).is_none() {
                let first = first_line(self.input.peek());
                self.skip_to_record(None, start, ErrorKind::BadVersion(first))?;
                continue;
            }
            self.records += 1;
            self.uri = None;
            match self.read_header() {
                Ok(header) => break header,
                Err(kind @ (ErrorKind::BadField(_) | ErrorKind::HeaderTooLong)) => {
                    self.skip_to_record(Some(self.records), start, kind)?;
                }
                Err(kind) => return Err(self.error(kind)),
            }
        };
        self.uri = header.target_uri().map(str::to_string);
        let start = self.input.offset;
        self.block = Block {
            start,
            declared: header.content_length,
            // Kept for the message only when the length is missing or unreadable.
            bad_length: header
                .content_length
                .is_none()
                .then(|| header.get("Content-Length").map(str::to_string))
                .flatten(),
            end: header.content_length.map(|n| start.saturating_add(n)),
            scanned: start,
            ..Block::default()
        };
        Ok(Some(Record {
            header,
            number: self.records,
            reader: self,
        }))
    }

    /// Skips from the current position to the next line that starts a record, noting the
    /// bytes skipped since `start`.
    fn skip_to_record(
        &mut self,
        record: Option<u64>,
        start: u64,
        cause: ErrorKind,
    ) -> Result<(), Error> {
        let at_end = !self.resync().map_err(|e| self.error(ErrorKind::Read(e)))?;
        self.problems.push(Problem {
            record,
            uri: record.and(self.uri.clone()),
            kind: ProblemKind::Skipped {
                cause,
                offset: start,
                bytes: self.input.offset - start,
                at_end,
            },
        });
        Ok(())
    }

    fn error(&self, kind: ErrorKind) -> Error {
        Error {
            record: self.records,
            uri: self.uri.clone(),
            kind,
        }
    }

    /// Skips what is left of the current block.
    fn skip_block(&mut self) -> Result<(), Error> {
        loop {
            match self.block_available() {
                Ok(0) => return Ok(()),
                Ok(n) => self.input.consume(n),
                Err(e) => return Err(self.block_error(e)),
            }
        }
    }

    /// An error reading the current block: the file ending early is a truncated block.
    fn block_error(&self, e: io::Error) -> Error {
        if e.kind() == io::ErrorKind::UnexpectedEof && !crate::io::gzip::is_gzip_error(&e) {
            self.error(ErrorKind::TruncatedBlock {
                read: self.input.offset - self.block.start,
                length: self.block.declared.unwrap_or_default(),
            })
        } else {
            self.error(ErrorKind::Read(e))
        }
    }

    /// How many bytes of the current block are buffered ahead (0: the block is over). The
    /// block ends at its declared length when a record boundary follows it; before it, at a
    /// record boundary found inside it (the length was too long); after it, at the next
    /// record boundary or the end of the stream (the length was too short, or is missing).
    fn block_available(&mut self) -> io::Result<usize> {
        loop {
            if self.block.done {
                return Ok(0);
            }
            if let Err(e) = self.input.fill(LOOKAHEAD + 1) {
                self.block.done = true;
                return Err(e);
            }
            let pos = self.input.offset;
            let ahead = self.input.ahead().len();
            let mut n = if self.input.eof {
                ahead
            } else {
                ahead - LOOKAHEAD
            } as u64;
            if let Some(end) = self.block.end {
                n = n.min(end - pos);
            } else if self.input.eof {
                // A block without a known end that runs to the end of the file ends before
                // the record's two line endings.
                let ahead = self.input.ahead();
                let tail = [&b"\r\n\r\n"[..], b"\n\r\n", b"\n\n"]
                    .iter()
                    .find(|t| ahead.ends_with(t))
                    .map_or(0, |t| t.len());
                n -= tail as u64;
                self.block.end = Some(pos + n);
                self.block.cut = true;
            }
            // Version lines up to 4 bytes past what is handed out: the line endings before
            // one may be in it.
            let mut from = self.block.scanned.max(pos);
            let to = pos + n + 4;
            while from < to {
                let Some((cut, version)) = self.find_boundary(from, to) else {
                    break;
                };
                if self.declared_end_holds(version) {
                    // A record inside a block whose length is right: an archived WARC file.
                    from = version + 1;
                    continue;
                }
                self.block.end = Some(cut);
                self.block.cut = true;
                n = n.min(cut - pos);
                break;
            }
            self.block.scanned = to;
            if n > 0 {
                return Ok(usize::try_from(n).unwrap_or(usize::MAX));
            }
            // The block ends here, or the stream does.
            match self.block.end {
                Some(end) if end == pos && self.block.cut => self.finish_block(),
                Some(end) if end == pos => {
                    if self.boundary_follows() {
                        self.finish_block();
                    } else {
                        self.block.end = None;
                        self.block.extended = true;
                    }
                }
                None => self.finish_block(),
                Some(end) => {
                    let missing = end - pos;
                    self.block.done = true;
                    if missing > FEW_BYTES {
                        return Err(io::ErrorKind::UnexpectedEof.into());
                    }
                    self.problems.push(Problem {
                        record: Some(self.records),
                        uri: self.uri.clone(),
                        kind: ProblemKind::ShortAtEnd {
                            declared: self.block.declared.unwrap_or_default(),
                            missing,
                        },
                    });
                }
            }
        }
    }

    /// Marks the block read, at the current position, with a warning if its length was
    /// not the one declared.
    fn finish_block(&mut self) {
        let block = &mut self.block;
        block.done = true;
        let actual = self.input.offset - block.start;
        let at_end = self.input.eof && self.input.ahead().iter().all(|b| b"\r\n".contains(b));
        let kind = match block.declared {
            None => Some(ProblemKind::NoLength {
                value: block.bad_length.take(),
                actual,
                at_end,
            }),
            Some(declared) if block.extended => Some(ProblemKind::TooShort {
                declared,
                actual,
                at_end,
            }),
            Some(declared) if block.cut => Some(ProblemKind::TooLong { declared, actual }),
            Some(_) => None,
        };
        if let Some(kind) = kind {
            self.problems.push(Problem {
                record: Some(self.records),
                uri: self.uri.clone(),
                kind,
            });
        }
    }

    /// The first record boundary whose version line starts in `from..to` (stream offsets,
    /// within the bytes ahead): two line endings, of which the first may be the block's own
    /// last line's, then a version line and a field. It gives where the block ends (before
    /// the two line endings, before the block's known end, never before the block's start
    /// or the current position) and where the version line starts.
    fn find_boundary(&self, from: u64, to: u64) -> Option<(u64, u64)> {
        let input = &self.input;
        let index = |at: u64| {
            let i = input.pos + usize::try_from(at - input.offset).unwrap_or(usize::MAX);
            i.min(input.end)
        };
        let (i_from, i_to) = (index(from), index(to));
        let window = &input.buf[i_from..input.end.min(i_to + 4)];
        let buf = &input.buf[..input.end];
        for found in memchr::memmem::find_iter(window, b"WARC/") {
            let v = i_from + found;
            if v >= i_to {
                break;
            }
            let before = |k: usize| v.checked_sub(k).map(|i| buf[i]);
            let blank = match (before(1), before(2), before(3)) {
                (Some(b'\n'), Some(b'\n'), _) => 2,
                (Some(b'\n'), Some(b'\r'), Some(b'\n')) => 3,
                _ => continue,
            };
            let blank = if before(blank + 1) == Some(b'\r') {
                blank + 1
            } else {
                blank
            };
            if !starts_record(&buf[v..input.end.min(v + LOOKAHEAD - 4)]) {
                continue;
            }
            let cut = (input.offset + (v - input.pos) as u64).saturating_sub(blank as u64);
            // The line endings may be the header's own blank line.
            let cut = cut.max(self.block.start);
            if self.block.end.is_some_and(|end| cut >= end) {
                continue;
            }
            let version = input.offset + (v - input.pos) as u64;
            return Some((cut.max(input.offset), version));
        }
        None
    }

    /// Whether the block's declared end, when it is at most [`MAX_VERIFY_BYTES`] ahead, is
    /// followed by a record boundary (line endings, then a version line or the end of the
    /// stream) other than the one whose version line is at `version`: then that one is part
    /// of the block. Looked at once a block, reading ahead to the declared end.
    fn declared_end_holds(&mut self, version: u64) -> bool {
        let near = self
            .block
            .end
            .is_some_and(|end| end.saturating_sub(self.input.offset) <= MAX_VERIFY_BYTES);
        if self.block.verified.is_none() {
            if !near {
                // Too far to read ahead: the boundary inside ends the block.
                return false;
            }
            self.block.verified = Some(self.boundary_after_declared_end());
        }
        self.block
            .verified
            .flatten()
            .is_some_and(|at| at != version)
    }

    /// Where the version line after the block's declared end starts (`u64::MAX`: the
    /// stream ends there), if a record boundary follows the declared end and it is at most
    /// [`MAX_VERIFY_BYTES`] ahead.
    fn boundary_after_declared_end(&mut self) -> Option<u64> {
        match (self.block.declared, self.block.end) {
            (Some(_), Some(end)) if !self.block.cut && !self.block.extended => {
                let distance = end.saturating_sub(self.input.offset);
                match usize::try_from(distance) {
                    Ok(d) if distance <= MAX_VERIFY_BYTES => {
                        let _ = self.input.fill(d + LOOKAHEAD);
                        let ahead = self.input.ahead();
                        match ahead.get(d..) {
                            Some(after) => {
                                let after = &after[..after.len().min(LOOKAHEAD)];
                                let blank = after
                                    .iter()
                                    .take_while(|&&b| b == b'\r' || b == b'\n')
                                    .count();
                                if version_line(&after[blank..]).is_some() {
                                    Some(end + blank as u64)
                                } else if blank == after.len() && after.len() < LOOKAHEAD {
                                    Some(u64::MAX)
                                } else {
                                    None
                                }
                            }
                            None => None,
                        }
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// At a block's declared end: whether a record boundary follows (line endings, then a
    /// version line or the end of the stream), or at least the record's two line endings
    /// (what follows them is then skipped up to the next record).
    fn boundary_follows(&mut self) -> bool {
        // A read error is met again, and reported, by the next record.
        let _ = self.input.fill(LOOKAHEAD);
        let ahead = self.input.peek();
        let blank = ahead
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        let line_feeds = ahead[..blank].iter().filter(|&&b| b == b'\n').count();
        blank == ahead.len() || version_line(&ahead[blank..]).is_some() || line_feeds >= 2
    }

    /// Skips to the next line that starts with a version line; whether there is one.
    fn resync(&mut self) -> io::Result<bool> {
        loop {
            self.input.fill(LOOKAHEAD + 1)?;
            let ahead = self.input.ahead();
            if ahead.is_empty() {
                return Ok(false);
            }
            if self.input.at_line_start() && version_line(self.input.peek()).is_some() {
                return Ok(true);
            }
            let limit = if self.input.eof {
                ahead.len()
            } else {
                ahead.len() - LOOKAHEAD
            };
            let found = memchr::memchr_iter(b'\n', &ahead[..limit])
                .map(|i| i + 1)
                .find(|&i| version_line(&ahead[i..ahead.len().min(i + LOOKAHEAD)]).is_some());
            match found {
                Some(i) => {
                    self.input.consume(i);
                    return Ok(true);
                }
                None => self.input.consume(limit),
            }
        }
    }

    /// Skips CR and LF bytes; whether anything else follows.
    fn skip_blank_lines(&mut self) -> io::Result<bool> {
        loop {
            self.input.fill(LOOKAHEAD)?;
            let ahead = self.input.ahead();
            if ahead.is_empty() {
                return Ok(false);
            }
            let blank = ahead
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let more = blank < ahead.len();
            self.input.consume(blank);
            if more {
                // Enough ahead to tell a version line.
                self.input.fill(LOOKAHEAD)?;
                return Ok(true);
            }
        }
    }

    /// Reads the version line and the fields up to the blank line. A field line that is a
    /// version line is not read: it starts the next record.
    fn read_header(&mut self) -> Result<Header, ErrorKind> {
        let mut budget = MAX_HEADER_BYTES;
        let version = self.read_line(&mut budget)?;
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            self.input.fill(LOOKAHEAD).map_err(ErrorKind::Read)?;
            if version_line(self.input.peek()).is_some() {
                return Err(ErrorKind::BadField(first_line(self.input.peek())));
            }
            let line = self.read_line(&mut budget)?;
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                // A folded field: this line continues the last one's value.
                match fields.last_mut() {
                    Some((_, value)) => {
                        if !value.is_empty() {
                            value.push(' ');
                        }
                        value.push_str(line.trim());
                    }
                    None => return Err(ErrorKind::BadField(excerpt(&line))),
                }
                continue;
            }
            match line.split_once(':') {
                Some((name, value)) if is_token(name.trim_end()) => {
                    let name = name.trim_end();
                    if name.eq_ignore_ascii_case("WARC-Target-URI") {
                        let uri = value.trim().trim_start_matches('<').trim_end_matches('>');
                        self.uri = Some(uri.to_string());
                    }
                    fields.push((name.to_string(), value.trim().to_string()));
                }
                _ => return Err(ErrorKind::BadField(excerpt(&line))),
            }
        }
        let content_length = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.parse::<u64>().ok());
        Ok(Header {
            version,
            fields,
            content_length,
        })
    }

    /// Reads one line of a header, without its line ending, within what is left of
    /// `budget`.
    fn read_line(&mut self, budget: &mut u64) -> Result<String, ErrorKind> {
        match self.input.read_line(budget).map_err(ErrorKind::Read)? {
            Some(line) => Ok(String::from_utf8_lossy(&line).into_owned()),
            None if *budget == 0 => Err(ErrorKind::HeaderTooLong),
            None => Err(ErrorKind::TruncatedHeader),
        }
    }
}

/// The length of the version line `bytes` start with (`WARC/1.1` and its line ending), if
/// they start with one: `WARC/`, a version number (`1.0`, `1.1`; older `0.18` files frame
/// records alike), spaces or tabs, a line ending.
fn version_line(bytes: &[u8]) -> Option<usize> {
    let rest = bytes.strip_prefix(b"WARC/")?;
    let digits = |b: &[u8]| b.iter().take_while(|b| b.is_ascii_digit()).count();
    let major = digits(rest);
    if major == 0 || rest.get(major) != Some(&b'.') {
        return None;
    }
    let minor = digits(&rest[major + 1..]);
    if minor == 0 {
        return None;
    }
    let mut at = 5 + major + 1 + minor;
    while matches!(bytes.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    if bytes.get(at) == Some(&b'\r') {
        at += 1;
    }
    (bytes.get(at) == Some(&b'\n')).then_some(at + 1)
}

/// Whether `bytes` start a record: a version line, then a field name and its colon.
fn starts_record(bytes: &[u8]) -> bool {
    let Some(n) = version_line(bytes) else {
        return false;
    };
    let rest = &bytes[n..];
    let name = rest
        .iter()
        .take_while(|&&b| b != b':' && b != b'\n')
        .count();
    rest.get(name) == Some(&b':')
        && std::str::from_utf8(&rest[..name]).is_ok_and(|n| is_token(n.trim_end()))
}

/// The first line of `bytes`, shortened, for a message.
fn first_line(bytes: &[u8]) -> String {
    let line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    excerpt(&String::from_utf8_lossy(line))
}

/// A field name: visible ASCII but separators (RFC 9110 tokens).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b))
}

/// The start of a line, for an error message.
fn excerpt(line: &str) -> String {
    match line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// One record: its header, and its block to read ([`Read`]). The block is its
/// `Content-Length` bytes, unless that proves wrong (see [`Reader::take_problems`]); a file
/// that ends well before the block does is an [`io::ErrorKind::UnexpectedEof`] error.
pub struct Record<'r, R> {
    /// The record's header.
    pub header: Header,
    number: u64,
    reader: &'r mut Reader<R>,
}

impl<R> fmt::Debug for Record<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("number", &self.number)
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl<R: Read> Record<'_, R> {
    /// The record's number in the file, from 1.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Bytes of the block not read yet, as far as known: `None` when it has no length
    /// (it runs to the next record).
    pub fn remaining(&self) -> Option<u64> {
        let reader = &*self.reader;
        if reader.block.done {
            return Some(0);
        }
        reader
            .block
            .end
            .map(|end| end.saturating_sub(reader.input.offset))
    }

    /// The error for a failure to read this record's block: a block that ends early is
    /// [`ErrorKind::TruncatedBlock`].
    pub fn error(&self, e: io::Error) -> Error {
        self.reader.block_error(e)
    }
}

impl<R: Read> Read for Record<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Record<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let n = self.reader.block_available()?;
        Ok(&self.reader.input.ahead()[..n])
    }

    fn consume(&mut self, amount: usize) {
        let reader = &mut *self.reader;
        let amount = match reader.block.end {
            Some(end) => amount.min(
                usize::try_from(end.saturating_sub(reader.input.offset)).unwrap_or(usize::MAX),
            ),
            None => amount,
        };
        reader.input.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out `n` bytes at a time, to cross every buffer boundary.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    type Outcome = (Vec<(Header, Vec<u8>)>, Vec<String>, Option<String>);

    /// Every record of `file`: its header and block, the problems got past (`!` before a
    /// failure), and the error that stopped the reader. Read whole, then a few bytes at a
    /// time, with the same result.
    fn records(file: &[u8]) -> Outcome {
        let whole = read_all(file);
        for step in [1, 7, 300] {
            assert_eq!(
                read_all(Trickle(file, step)),
                whole,
                "{step} bytes at a time"
            );
        }
        whole
    }

    fn read_all(file: impl Read) -> Outcome {
        let mut reader = Reader::new(file);
        let mut out = Vec::new();
        let mut problems = Vec::new();
        let mut take = |reader: &mut Reader<_>| {
            for p in reader.take_problems() {
                let mark = if p.is_failure() { "!" } else { "" };
                problems.push(format!("{mark}{:?}: {}", p.record, p.kind));
            }
        };
        let error = loop {
            let result = match reader.next_record() {
                Ok(Some(mut r)) => {
                    let mut block = Vec::new();
                    match r.read_to_end(&mut block) {
                        Ok(_) => {
                            out.push((r.header.clone(), block));
                            Ok(true)
                        }
                        Err(e) => Err(r.error(e).to_string()),
                    }
                }
                Ok(None) => Ok(false),
                Err(e) => Err(e.to_string()),
            };
            take(&mut reader);
            match result {
                Ok(true) => {}
                Ok(false) => break None,
                Err(e) => break Some(e),
            }
        };
        (out, problems, error)
    }

    fn blocks(read: &Outcome) -> Vec<String> {
        read.0
            .iter()
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    }

    const TWO: &str = "WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n\
WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: <https://example.com/>\r\n\
Content-Length: 3\r\n\r\nabc\r\n\r\n";

    const GOOD: &str = "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 4\r\n\r\ngood\r\n\r\n";

    #[test]
    fn reads_records_in_order_with_their_blocks() {
        let read = records(TWO.as_bytes());
        let (recs, problems, err) = &read;
        assert_eq!(err, &None);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].0.version, "WARC/1.1");
        assert_eq!(recs[0].1, b"hello");
        assert_eq!(recs[1].0.record_type(), Some("resource"));
        assert_eq!(recs[1].0.target_uri(), Some("https://example.com/"));
        assert_eq!(recs[1].1, b"abc");
    }

    #[test]
    fn unread_blocks_are_skipped() {
        let mut reader = Reader::new(TWO.as_bytes());
        let first = reader.next_record().ok().flatten().map(|r| r.number());
        assert_eq!(first, Some(1));
        let second = reader.next_record().ok().flatten().map(|r| r.header);
        assert_eq!(
            second
                .and_then(|h| h.get("warc-type").map(str::to_string))
                .as_deref(),
            Some("resource")
        );
        assert!(matches!(reader.next_record(), Ok(None)));
    }

    #[test]
    fn odd_whitespace_folded_fields_and_bare_line_feeds() {
        let file = "\r\n\nWARC/1.0\nWARC-Type:response   \n\
WARC-Target-URI :  https://example.com/a b\n\
X-Folded: first\r\n  second\r\n\tthird\r\n\
content-length:   4\n\nbody\n\n";
        let (recs, problems, err) = records(file.as_bytes());
        assert_eq!((err, problems.len()), (None, 0));
        let h = &recs[0].0;
        assert_eq!(h.record_type(), Some("response"));
        assert_eq!(h.target_uri(), Some("https://example.com/a b"));
        assert_eq!(h.get("x-folded"), Some("first second third"));
        assert_eq!(h.content_length, Some(4));
        assert_eq!(recs[0].1, b"body");
    }

    #[test]
    fn bytes_that_are_not_a_record_are_skipped_to_the_next_one() {
        let first = "WARC/1.1\r\nContent-Length: 1\r\n\r\nx\r\n\r\n";
        let cases = [
            (
                "HTTP/1.1 200 OK\r\n\r\n",
                "!None: not a WARC record: it starts with \"HTTP/1.1 200 OK\", not a version line such as WARC/1.1: skipped 19 bytes from byte 36 to the next record",
            ),
            (
                "WARC/x\r\n\r\nWARC/1.1 in the middle of a line\r\n",
                "!None: not a WARC record: it starts with \"WARC/x\"",
            ),
            (
                "\0\u{1}\u{2} binary garbage\n",
                "!None: not a WARC record: it starts with \"\\0\\u{1}\\u{2} binary garbage\"",
            ),
            (
                "WARC/1.1\r\nno colon here\r\n\r\n",
                "!Some(2): bad header line \"no colon here\": expected Name: value: skipped 27 bytes from byte 36",
            ),
            (
                "WARC/1.1\r\n  folded first\r\n\r\n",
                "!Some(2): bad header line \"  folded first\"",
            ),
            (
                // A header that never ends: the next record's version line is not a field.
                "WARC/1.1\r\nWARC-Target-URI: https://example.com/x\r\n",
                "!Some(2): bad header line \"WARC/1.1\": expected Name: value: skipped 50 bytes",
            ),
        ];
        for (second, want) in cases {
            let file = format!("{first}{second}{GOOD}");
            let read = records(file.as_bytes());
            assert_eq!(blocks(&read), ["x", "good"], "{second:?}");
            assert_eq!(read.2, None, "{second:?}");
            assert_eq!(read.1.len(), 1, "{second:?}: {:?}", read.1);
            assert!(read.1[0].starts_with(want), "{second:?}: {:?}", read.1);
        }
        // At the end of the file.
        let read = records(format!("{first}junk\r\n").as_bytes());
        assert_eq!(blocks(&read), ["x"]);
        assert!(read.1[0].ends_with("skipped 6 bytes from byte 36 to the end of the file"));
    }

    #[test]
    fn a_header_over_its_limit_is_skipped_in_bounded_memory() {
        let file = format!(
            "WARC/1.1\r\nX-Long: {}\r\nContent-Length: 1\r\n\r\nx\r\n\r\n{GOOD}",
            "a".repeat(2 << 20)
        );
        let read = read_all(file.as_bytes());
        assert_eq!(blocks(&read), ["good"]);
        assert!(
            read.1[0].starts_with("!Some(1): header over 1048576 bytes: skipped 2097198 bytes from byte 0 to the next record"),
            "{:?}",
            read.1
        );
        assert_eq!(read.0[0].0.get("WARC-Type"), Some("resource"));
    }

    /// A record with this `Content-Length` field and block.
    fn record(length: &str, block: &str) -> String {
        format!(
            "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: https://example.com/b\r\n\
Content-Length: {length}\r\n\r\n{block}\r\n\r\n"
        )
    }

    #[test]
    fn a_wrong_content_length_is_a_warning_and_every_record_is_read() {
        let block = "<p>line one</p>\r\n<p>line two</p>";
        let n = block.len();
        let cases = [
            (
                "-3".to_string(),
                "bad Content-Length \"-3\": the block runs to the next record, 32 bytes",
            ),
            ("lots".to_string(), "bad Content-Length \"lots\""),
            (
                (n - 10).to_string(),
                "Content-Length 22 is too short: the block runs on to the next record, 32 bytes",
            ),
            (
                (n + 3).to_string(),
                "Content-Length 35 is too long: the block ends where the next record starts, after 32 bytes",
            ),
            ((n + 6).to_string(), "Content-Length 38 is too long"),
            (
                "99999999999".to_string(),
                "Content-Length 99999999999 is too long",
            ),
        ];
        for (length, want) in cases {
            let file = format!("{}{}{GOOD}{GOOD}", record("1", "a"), record(&length, block));
            let read = records(file.as_bytes());
            assert_eq!(blocks(&read), ["a", block, "good", "good"], "{length}");
            assert_eq!(read.2, None, "{length}");
            let want = format!("Some(2): {want}");
            assert!(
                read.1.len() == 1 && read.1[0].starts_with(&want),
                "{length}: {:?}",
                read.1
            );
        }
        // Without the field at all.
        let file = format!("WARC/1.1\r\nWARC-Type: resource\r\n\r\n{block}\r\n\r\n{GOOD}");
        let read = records(file.as_bytes());
        assert_eq!(blocks(&read), [block, "good"]);
        assert_eq!(
            read.1,
            ["Some(1): no Content-Length field: the block runs to the next record, 32 bytes"]
        );
    }

    #[test]
    fn a_boundary_needs_a_blank_line_a_version_line_and_a_field() {
        for block in [
            "text\r\nWARC/1.1\r\nWARC-Type: resource\r\n",
            "text\r\n\r\nWARC/1.1 is a version\r\nX: y",
            "text\r\n\r\nWARC/1.1\r\nno field here",
            "WARC/1.1\r\nWARC-Type: resource\r\n\r\n",
            // A WARC record archived inside a block whose length is right.
            "text\r\n\r\nWARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 3\r\n\r\nabc\r\n\r\nmore",
        ] {
            let file = format!("{}{GOOD}", record(&block.len().to_string(), block));
            let read = records(file.as_bytes());
            assert_eq!(blocks(&read), [block, "good"]);
            assert!(read.1.is_empty() && read.2.is_none(), "{block:?}: {read:?}");
        }
    }

    #[test]
    fn the_last_block_a_few_bytes_off_is_a_warning_more_is_truncation() {
        let file = record("12", "0123456789");
        let short = file.trim_end();
        let read = records(short.as_bytes());
        assert_eq!(blocks(&read), ["0123456789"]);
        assert_eq!(
            read.1,
            [
                "Some(1): the file ends 2 bytes before the block's Content-Length (12): the block is read as it is"
            ]
        );
        assert_eq!(read.2, None);

        let read = records(record("5", "0123456789").as_bytes());
        assert_eq!(blocks(&read), ["0123456789"]);
        assert_eq!(
            read.1,
            [
                "Some(1): Content-Length 5 is too short: the block runs on to the end of the file, 10 bytes"
            ]
        );

        let file = format!("{}{}", record("1", "a"), record("200", "abc").trim_end());
        let read = records(file.as_bytes());
        assert_eq!(blocks(&read), ["a"]);
        assert_eq!(
            read.2.as_deref(),
            Some(
                "record 2 (https://example.com/b): truncated: the file ends 3 bytes into a block of 200"
            )
        );
    }

    #[test]
    fn a_truncated_block_that_is_skipped_is_an_error_too() {
        let file = format!("WARC/1.1\r\nContent-Length: 100\r\n\r\n{}", "a".repeat(30));
        let mut reader = Reader::new(file.as_bytes());
        assert!(matches!(reader.next_record(), Ok(Some(_))));
        let err = reader.next_record().err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("record 1: truncated: the file ends 30 bytes into a block of 100")
        );
    }

    #[test]
    fn truncated_headers_and_read_errors_end_the_file() {
        let read = records(format!("{GOOD}WARC/1.1\r\nWARC-Type: resp").as_bytes());
        assert_eq!(blocks(&read), ["good"]);
        assert_eq!(
            read.2.as_deref(),
            Some("record 2: truncated: the file ends inside the record's header")
        );
    }

    #[test]
    fn empty_input_has_no_records() {
        for file in ["", "\r\n\r\n"] {
            let (recs, problems, err) = records(file.as_bytes());
            assert!(
                recs.is_empty() && problems.is_empty() && err.is_none(),
                "{file:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Files pieced together from the tokens of records, in any order: the reader ends,
        /// hands out no more than it read, and frames them alike however they arrive.
        #[test]
        fn any_mix_of_record_pieces_is_framed_alike_in_pieces(
            tokens in proptest::collection::vec(0usize..14, 0..40),
            numbers in proptest::collection::vec(0u64..120, 40),
        ) {
            let mut file = Vec::new();
            for (i, t) in tokens.iter().enumerate() {
                let piece = match t {
                    0 => "WARC/1.1\r\n".to_string(),
                    1 => "WARC/1.0\n".to_string(),
                    2 => "\r\n".to_string(),
                    3 => "\n".to_string(),
                    4 => format!("Content-Length: {}\r\n", numbers[i]),
                    5 => "Content-Length: -1\r\n".to_string(),
                    6 => "WARC-Type: resource\r\n".to_string(),
                    7 => "WARC-Target-URI: https://example.com/p\r\n".to_string(),
                    8 => "<p>some text</p>".to_string(),
                    9 => "no colon".to_string(),
                    10 => " folded".to_string(),
                    11 => "\0\u{1}".to_string(),
                    12 => "\r\n\r\nWARC/1.1\r\nX: y\r\n".to_string(),
                    _ => "x".repeat(usize::try_from(numbers[i]).unwrap_or(0) * 3),
                };
                file.extend(piece.as_bytes());
            }
            let (recs, problems, _) = records(&file);
            let blocks: usize = recs.iter().map(|(_, b)| b.len()).sum();
            proptest::prop_assert!(blocks <= file.len());
            proptest::prop_assert!(problems.len() <= file.len() + 1);
        }
    }

    #[test]
    fn versions() {
        for ok in [
            "WARC/1.0\r\n",
            "WARC/1.1\n",
            "WARC/0.18\r\n",
            "WARC/1.1 \r\n",
        ] {
            assert!(version_line(ok.as_bytes()).is_some(), "{ok}");
        }
        for bad in [
            "WARC/\n",
            "WARC/1\n",
            "WARC/1.x\n",
            "warc/1.0\n",
            "HTTP/1.1\n",
            "WARC/1.1.1\n",
            "WARC/1.1",
        ] {
            assert!(version_line(bad.as_bytes()).is_none(), "{bad}");
        }
    }
}
