//! declutr strips boilerplate from scraped web pages and emits clean article text.
//!
//! A scrape is split into its provenance header (kept verbatim) and its body; the body
//! goes through staged filters driven by TOML rule files (see `rules/README.md`), each
//! removal recording the filter and rule that made it.
//!
//! One entry takes a document's bytes to its cleaned text ([`Cleaner::clean_bytes`]):
//! decoding (binary refused, plain text or HTML, its encoding), then the pipeline.
//!
//! ```
//! use declutr::{Cleaner, DocumentInfo, Hints};
//!
//! let cleaner = Cleaner::with_default_rules()?;
//! let page = b"url: https://example.com/news/bridge\n\nBridge to close for the summer\n\
//! Listen to this article\n\
//! The council voted on Tuesday to close the old bridge to cars for the summer, after \
//! engineers found that two of its supports had been weakened by the spring floods.\n";
//! let cleaned = cleaner.clean_bytes(page, &Hints::default(), &DocumentInfo::default())?;
//! assert!(cleaned.text().starts_with("url: https://example.com/news/bridge\n\n"));
//! assert!(!cleaned.text().contains("Listen to this article"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is where
//!
//! - Cleaning, at the root: the [`Cleaner`], built from [`Rules`] (the embedded ones, or
//!   [`Rules::load`] of [`RuleSource`]s, a [`Scope`] each; a problem is a [`RuleError`] of
//!   [`RuleErrors`]; a file's `[[test]]` cases are [`RuleTest`]s); what it takes: the bytes
//!   with [`Hints`] (file name, [`Kind`], charset), or text, and a [`DocumentInfo`] (site,
//!   URL, [`Capture`]); what it gives: a [`Cleaned`] document ([`Body`] of [`Line`]s, each
//!   dropped line with its [`Reason`] ([`ReasonOf`]), its [`Block`] ([`BlockTag`]) for HTML,
//!   the [`ElementDecision`]s, the [`EncodingUsed`] ([`EncodingSource`]), [`LearnedHeld`]),
//!   or a [`DecodeError`] for a binary file. [`parse_host`] normalises a host name for
//!   [`DocumentInfo::site`] ([`HostError`]).
//! - [`filters`]: the filter kinds, in pipeline order, with their documentation.
//! - [`warc`]: WARC archives read one record at a time, and the HTTP responses they hold.
//! - [`jsonl`]: streams of JSON records whose text field is cleaned in place.
//! - [`gzip`]: a stream decompressed as it is read when it is gzip (a `.warc.gz` file).
//! - [`run`]: what the `declutr` command line runs. It is public for the binary, not a
//!   stable library API.
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]

mod charset;
mod cleaner;
mod decode;
mod diag;
mod document;
mod escape;
pub mod filters;
mod guard;
mod hash;
mod header;
mod html;
mod io;
mod learn;
mod prefilter;
mod rules;
pub mod run;
mod site;
mod spec;
mod text;

pub use cleaner::{Capture, Cleaned, Cleaner, DocumentInfo};
pub use decode::{DecodeError, EncodingSource, EncodingUsed, Hints, Kind};
pub use document::{Block, BlockTag, Body, Line, Reason, ReasonOf};
pub use guard::LearnedHeld;
pub use html::ElementDecision;
pub use rules::{RuleError, RuleErrors, RuleSource, RuleTest, Rules, Scope};
pub use site::{HostError, parse_host};

pub mod warc {
    //! WARC files (web archives, ISO 28500: WARC/1.0 and WARC/1.1), read one record at a
    //! time: [`Reader`] hands out each [`Record`], its [`Header`] and its block as a stream,
    //! and tells what it got past ([`Reader::take_problems`]: a [`Problem`] of a
    //! [`ProblemKind`]); a record it cannot read is an [`Error`] of an [`ErrorKind`]. One
    //! damaged record does not end the file: see [`Reader`] for what is checked and how.
    //! [`http`] reads the HTTP response a `response` record holds: the page's bytes, to
    //! clean with [`Cleaner::clean_bytes`](crate::Cleaner::clean_bytes).
    //!
    //! A `.warc.gz` file is read through [`gzip::sniff`](crate::gzip::sniff).
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
    //! assert!(reader.take_problems().is_empty());
    //! # Ok::<(), Box<dyn std::error::Error>>(())
    //! ```

    pub use crate::run::warc::{
        Error, ErrorKind, FEW_BYTES, Header, MAX_HEADER_BYTES, MAX_VERIFY_BYTES, Problem,
        ProblemKind, Reader, Record, http,
    };
}

pub mod jsonl {
    //! Streams of JSON records, one per line, whose text field is cleaned in place:
    //! [`clean_stream`], as `declutr clean --input-format jsonl` does. How it reads and
    //! cleans: [`Options`]; a line it cannot clean: a [`BadLine`] with its [`Problem`],
    //! reported and then handled as [`OnBadLine`] says; what it did: a [`StreamSummary`]
    //! (with each record's [`Notice`]s); why it stopped early: a [`StreamError`].

    pub use crate::run::batch::Notice;
    pub use crate::run::jsonl::{
        BadLine, META_FIELD, OnBadLine, Options, Problem, StreamError, StreamSummary, clean_stream,
    };
}

pub mod gzip {
    //! Gzip-compressed input (a `.warc.gz` file, a gzip JSON Lines stream), decompressed as
    //! it is read: [`sniff`] tells it by its first bytes, the gzip [`MAGIC`]. Concatenated
    //! gzip members (a `.warc.gz` file holds one per record) are read as one stream.

    pub use crate::io::gzip::{MAGIC, sniff};
}

/// Not API: internals the fuzz targets and the benchmarks (crates of their own) reach
/// beyond the public API, to check the pipeline against its decoded input and to time a
/// batch of files. Hidden from the documentation; anything here may change or go in any
/// release.
#[doc(hidden)]
pub mod __internals {
    use crate::{Cleaner, DocumentInfo, Kind};

    pub use crate::decode::{Decoded, decode};
    pub use crate::learn::PageView;
    pub use crate::run::batch::{Summary, notices, run as run_batch};

    /// What site learning counts of a page (the cleaner's `learning_view`).
    pub fn learning_view(
        cleaner: &Cleaner,
        text: &str,
        kind: Kind,
        info: &DocumentInfo,
    ) -> PageView {
        cleaner.learning_view(text, kind, info)
    }
}
