//! WARC files (web archives, ISO 28500: WARC/1.0 and WARC/1.1), read one record at a time.
//!
//! A WARC file is a sequence of records, each a version line (`WARC/1.1`), named header
//! fields up to a blank line, a block of exactly `Content-Length` bytes, and two line
//! endings. A `.warc.gz` file compresses each record as its own gzip member; read through
//! [`crate::gzip::sniff`] it is one stream again.
//!
//! [`Reader`] holds one record's header at a time and never the block whole: the caller
//! reads the block as a stream ([`Record`] is a [`Read`]) or leaves it, and the reader
//! skips what was not read. A record's header is limited to [`MAX_HEADER_BYTES`]; the
//! block's size is the caller's to limit. Lines may end in CRLF, as the format says, or in
//! a bare LF, as some writers do; a field may be folded onto following lines that start
//! with a space or a tab. Any other departure from the format (a missing or bad
//! `Content-Length`, a line that is not a field, a file that ends inside a record) is an
//! [`Error`] naming the record, and the reader stops there: what follows cannot be framed.
//!
//! [`http`] reads the HTTP response a `response` record holds, and [`clean`] turns the
//! records holding a page into cleaned documents.
//!
//! declutr has its own reader rather than the `warc` crate (0.4.0): that crate has no HTTP
//! parsing, which is most of the work here; it holds every block whole in memory unless
//! streamed, takes a missing `Content-Length` as 0, reads lines without a length limit, and
//! brings nom, chrono, uuid 0.8 and libflate (a second deflate implementation beside
//! flate2) for what is a hundred lines of framing.
//!
//! ```
//! use std::io::Read;
//! use declutr::warc::Reader;
//!
//! let file = "WARC/1.1\r\n\
//! WARC-Type: resource\r\n\
//! WARC-Target-URI: https://example.com/notes.txt\r\n\
//! WARC-Date: 2025-04-02T08:30:00Z\r\n\
//! Content-Type: text/plain\r\n\
//! Content-Length: 12\r\n\
//! \r\n\
//! Hello, WARC!\r\n\r\n";
//! let mut reader = Reader::new(file.as_bytes());
//! let mut record = reader.next_record()?.ok_or("no record")?;
//! assert_eq!(record.number(), 1);
//! assert_eq!(record.header.record_type(), Some("resource"));
//! assert_eq!(record.header.target_uri(), Some("https://example.com/notes.txt"));
//! let mut block = String::new();
//! record.read_to_string(&mut block)?;
//! assert_eq!(block, "Hello, WARC!");
//! assert!(reader.next_record()?.is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{self, BufRead, Read};

pub mod clean;
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
    /// Reading failed (a gzip stream that is corrupt is one: see
    /// [`crate::gzip::is_gzip_error`]).
    #[error("{}", read_error(.0))]
    Read(io::Error),
    /// The record does not start with a `WARC/1.0`-style version line.
    #[error("not a WARC record: it starts with {0:?}, not a version line such as WARC/1.1")]
    BadVersion(String),
    /// A header line is neither `Name: value` nor the continuation of a folded field.
    #[error("bad header line {0:?}: expected Name: value")]
    BadField(String),
    /// The header has no `Content-Length` field: where the block ends is unknown.
    #[error("no Content-Length field: the record cannot be framed")]
    MissingLength,
    /// The `Content-Length` field is not a number of bytes.
    #[error("bad Content-Length {0:?}")]
    BadLength(String),
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
    if crate::gzip::is_gzip_error(e) && e.kind() == io::ErrorKind::UnexpectedEof {
        format!("truncated: the gzip stream ends inside the record ({e})")
    } else if crate::gzip::is_gzip_error(e) {
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
    /// The block's length in bytes (`Content-Length`).
    pub content_length: u64,
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

/// Reads WARC records from a stream, one at a time; see the [module docs](self).
#[derive(Debug)]
pub struct Reader<R> {
    inner: R,
    /// Records whose header was read.
    records: u64,
    /// The current record's target URI, for errors found in its block.
    uri: Option<String>,
    /// The current block's length, and how much of it is left to read.
    length: u64,
    remaining: u64,
}

impl<R: BufRead> Reader<R> {
    /// A reader of the WARC records in `inner` (decompressed already, if it was gzip).
    pub fn new(inner: R) -> Self {
        Reader {
            inner,
            records: 0,
            uri: None,
            length: 0,
            remaining: 0,
        }
    }

    /// How many records were started: the number of the last one returned.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// The next record, its header read and its block ready to read; `None` at the end of
    /// the file. What was left of the previous record's block is skipped first.
    pub fn next_record(&mut self) -> Result<Option<Record<'_, R>>, Error> {
        self.skip_block()?;
        // The two line endings after a block, and any blank lines a writer added.
        if !self
            .skip_blank_lines()
            .map_err(|e| self.error(ErrorKind::Read(e)))?
        {
            return Ok(None);
        }
        self.records += 1;
        self.uri = None;
        let header = self.read_header()?;
        self.uri = header.target_uri().map(str::to_string);
        self.length = header.content_length;
        self.remaining = header.content_length;
        Ok(Some(Record {
            header,
            number: self.records,
            reader: self,
        }))
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
        if self.remaining > 0 {
            io::copy(&mut BlockReader(self), &mut io::sink()).map_err(|e| self.block_error(e))?;
        }
        Ok(())
    }

    /// An error reading the current block: the file ending early is a truncated block.
    fn block_error(&self, e: io::Error) -> Error {
        if e.kind() == io::ErrorKind::UnexpectedEof && !crate::gzip::is_gzip_error(&e) {
            self.error(ErrorKind::TruncatedBlock {
                read: self.length - self.remaining,
                length: self.length,
            })
        } else {
            self.error(ErrorKind::Read(e))
        }
    }

    /// Skips CR and LF bytes; whether anything else follows.
    fn skip_blank_lines(&mut self) -> io::Result<bool> {
        loop {
            let buf = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(false);
            }
            let blank = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let more = blank < buf.len();
            self.inner.consume(blank);
            if more {
                return Ok(true);
            }
        }
    }

    /// Reads the version line and the fields up to the blank line.
    fn read_header(&mut self) -> Result<Header, Error> {
        let mut budget = MAX_HEADER_BYTES;
        let version = self.read_line(&mut budget)?;
        if !is_version(&version) {
            return Err(self.error(ErrorKind::BadVersion(excerpt(&version))));
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
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
                    None => return Err(self.error(ErrorKind::BadField(excerpt(&line)))),
                }
                continue;
            }
            match line.split_once(':') {
                Some((name, value)) if is_token(name.trim_end()) => {
                    fields.push((name.trim_end().to_string(), value.trim().to_string()));
                }
                _ => return Err(self.error(ErrorKind::BadField(excerpt(&line)))),
            }
        }
        let length = fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .map(|(_, v)| v);
        let content_length = match length {
            None => return Err(self.error(ErrorKind::MissingLength)),
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| self.error(ErrorKind::BadLength(excerpt(v))))?,
        };
        Ok(Header {
            version,
            fields,
            content_length,
        })
    }

    /// Reads one line, without its line ending, within what is left of `budget`.
    fn read_line(&mut self, budget: &mut u64) -> Result<String, Error> {
        let mut line = Vec::new();
        let n = (&mut self.inner)
            .take(*budget)
            .read_until(b'\n', &mut line)
            .map_err(|e| self.error(ErrorKind::Read(e)))?;
        *budget -= n as u64;
        if line.last() != Some(&b'\n') {
            return Err(self.error(if *budget == 0 {
                ErrorKind::HeaderTooLong
            } else {
                ErrorKind::TruncatedHeader
            }));
        }
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(String::from_utf8_lossy(&line).into_owned())
    }
}

/// `WARC/` and a version number (`1.0`, `1.1`; older `0.18` files frame records alike).
fn is_version(line: &str) -> bool {
    line.trim_end()
        .strip_prefix("WARC/")
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(major, minor)| {
            [major, minor]
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
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

/// One record: its header, and its block to read ([`Read`]), `Content-Length` bytes. A
/// file that ends before the block does is an [`io::ErrorKind::UnexpectedEof`] error.
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

impl<R: BufRead> Record<'_, R> {
    /// The record's number in the file, from 1.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Bytes of the block not read yet (all of it, before any reading).
    pub fn remaining(&self) -> u64 {
        self.reader.remaining
    }

    /// The error for a failure to read this record's block: a block that ends early is
    /// [`ErrorKind::TruncatedBlock`].
    pub fn error(&self, e: io::Error) -> Error {
        self.reader.block_error(e)
    }
}

impl<R: BufRead> Read for Record<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        BlockReader(self.reader).read(buf)
    }
}

impl<R: BufRead> BufRead for Record<'_, R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let reader = &mut *self.reader;
        if reader.remaining == 0 {
            return Ok(&[]);
        }
        let buf = reader.inner.fill_buf()?;
        if buf.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        let n = buf
            .len()
            .min(usize::try_from(reader.remaining).unwrap_or(usize::MAX));
        Ok(&buf[..n])
    }

    fn consume(&mut self, amount: usize) {
        let reader = &mut *self.reader;
        let amount = amount.min(usize::try_from(reader.remaining).unwrap_or(usize::MAX));
        reader.inner.consume(amount);
        reader.remaining -= amount as u64;
    }
}

/// The current block of a reader, as a [`Read`].
struct BlockReader<'a, R>(&'a mut Reader<R>);

impl<R: BufRead> Read for BlockReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let reader = &mut *self.0;
        if reader.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        let max = buf
            .len()
            .min(usize::try_from(reader.remaining).unwrap_or(usize::MAX));
        let n = reader.inner.read(&mut buf[..max])?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        reader.remaining -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `file`: its header and block, or the error that stopped the reader.
    fn records(file: &[u8]) -> (Vec<(Header, Vec<u8>)>, Option<String>) {
        let mut reader = Reader::new(file);
        let mut out = Vec::new();
        loop {
            match reader.next_record() {
                Ok(Some(mut r)) => {
                    let mut block = Vec::new();
                    match r.read_to_end(&mut block) {
                        Ok(_) => out.push((r.header.clone(), block)),
                        Err(e) => return (out, Some(r.error(e).to_string())),
                    }
                }
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e.to_string())),
            }
        }
    }

    const TWO: &str = "WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n\
WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: <https://example.com/>\r\n\
Content-Length: 3\r\n\r\nabc\r\n\r\n";

    #[test]
    fn reads_records_in_order_with_their_blocks() {
        let (recs, err) = records(TWO.as_bytes());
        assert_eq!(err, None);
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
        let (recs, err) = records(file.as_bytes());
        assert_eq!(err, None);
        let h = &recs[0].0;
        assert_eq!(h.record_type(), Some("response"));
        assert_eq!(h.target_uri(), Some("https://example.com/a b"));
        assert_eq!(h.get("x-folded"), Some("first second third"));
        assert_eq!(h.content_length, 4);
        assert_eq!(recs[0].1, b"body");
    }

    #[test]
    fn malformed_records_are_errors_naming_the_record() {
        let first = "WARC/1.1\r\nContent-Length: 1\r\n\r\nx\r\n\r\n";
        let cases = [
            (
                "HTTP/1.1 200 OK\r\n\r\n",
                "record 2: not a WARC record: it starts with \"HTTP/1.1 200 OK\", not a version line such as WARC/1.1",
            ),
            (
                "WARC/x\r\n\r\n",
                "record 2: not a WARC record: it starts with \"WARC/x\"",
            ),
            (
                "WARC/1.1\r\nWARC-Type: response\r\n\r\nbody",
                "record 2: no Content-Length field: the record cannot be framed",
            ),
            (
                "WARC/1.1\r\nContent-Length: -3\r\n\r\n",
                "record 2: bad Content-Length \"-3\"",
            ),
            (
                "WARC/1.1\r\nno colon here\r\n\r\n",
                "record 2: bad header line \"no colon here\": expected Name: value",
            ),
            (
                "WARC/1.1\r\n  folded first\r\n\r\n",
                "record 2: bad header line \"  folded first\"",
            ),
            (
                "WARC/1.1\r\nWARC-Type: resp",
                "record 2: truncated: the file ends inside the record's header",
            ),
            (
                "WARC/1.1\r\nWARC-Target-URI: https://example.com/\r\nContent-Length: 10\r\n\r\nabc",
                "record 2 (https://example.com/): truncated: the file ends 3 bytes into a block of 10",
            ),
        ];
        for (second, want) in cases {
            let (recs, err) = records(format!("{first}{second}").as_bytes());
            assert_eq!(recs.len(), 1, "the record before is read: {second:?}");
            let err = err.unwrap_or_default();
            assert!(err.starts_with(want), "{second:?}: {err}");
        }
    }

    #[test]
    fn a_truncated_block_that_is_skipped_is_an_error_too() {
        let file = "WARC/1.1\r\nContent-Length: 10\r\n\r\nabc";
        let mut reader = Reader::new(file.as_bytes());
        assert!(matches!(reader.next_record(), Ok(Some(_))));
        let err = reader.next_record().err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("record 1: truncated: the file ends 3 bytes into a block of 10")
        );
    }

    #[test]
    fn a_header_never_grows_past_its_limit() {
        let file = format!("WARC/1.1\r\nX-Long: {}", "a".repeat(2 << 20));
        let (_, err) = records(file.as_bytes());
        assert_eq!(err.as_deref(), Some("record 1: header over 1048576 bytes"));
    }

    #[test]
    fn empty_input_has_no_records() {
        for file in ["", "\r\n\r\n"] {
            let (recs, err) = records(file.as_bytes());
            assert!(recs.is_empty() && err.is_none(), "{file:?}");
        }
    }

    #[test]
    fn versions() {
        for ok in ["WARC/1.0", "WARC/1.1", "WARC/0.18", "WARC/1.1 "] {
            assert!(is_version(ok), "{ok}");
        }
        for bad in [
            "WARC/",
            "WARC/1",
            "WARC/1.x",
            "warc/1.0",
            "HTTP/1.1",
            "WARC/1.1.1",
        ] {
            assert!(!is_version(bad), "{bad}");
        }
    }
}
