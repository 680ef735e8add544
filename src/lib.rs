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
#![forbid(unsafe_code)]

mod charset;
mod cleaner;
pub mod decode;
mod diag;
mod document;
pub mod escape;
pub mod filters;
mod guard;
mod hash;
mod header;
pub mod html;
pub mod io;
pub mod learn;
pub mod rules;
pub mod run;
mod site;
mod spec;
mod text;

pub use cleaner::{Capture, Cleaned, Cleaner, DocumentInfo};
pub use decode::{DecodeError, EncodingSource, EncodingUsed, Hints, Kind};
pub use document::{Body, Line, Reason, ReasonOf};
pub use guard::LearnedHeld;
pub use rules::{RuleError, RuleErrors, RuleSource, RuleTest, Rules};
pub use site::{HostError, parse_host};
