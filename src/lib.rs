//! declutr strips boilerplate from scraped web pages and emits clean article text.
//!
//! A scrape is split into its provenance header (kept verbatim) and its body; the body
//! goes through staged filters driven by TOML rule files (see `rules/README.md`), each
//! removal recording the filter and rule that made it.
//!
//! ```
//! use declutr::{Cleaner, DocumentInfo};
//!
//! let cleaner = Cleaner::with_default_rules()?;
//! let page = "url: https://example.com/news/bridge\n\nBridge to close for the summer\n\
//! Listen to this article\n\
//! The council voted on Tuesday to close the old bridge to cars for the summer, after \
//! engineers found that two of its supports had been weakened by the spring floods.\n";
//! let cleaned = cleaner.clean_text(page, &DocumentInfo::default());
//! assert!(cleaned.text().starts_with("url: https://example.com/news/bridge\n\n"));
//! assert!(!cleaned.text().contains("Listen to this article"));
//! # Ok::<(), declutr::RuleErrors>(())
//! ```
#![forbid(unsafe_code)]

pub mod batch;
mod charset;
mod cleaner;
mod diag;
mod document;
pub mod escape;
pub mod filters;
mod guard;
pub mod gzip;
mod hash;
mod header;
pub mod html;
pub mod jsonl;
pub mod learn;
pub mod out_path;
pub mod rules;
mod site;
mod spec;
mod text;
pub mod warc;

pub use cleaner::{Capture, Cleaned, Cleaner, DocumentInfo};
pub use document::{Body, Line, Reason, ReasonOf};
pub use guard::LearnedHeld;
pub use rules::{RuleError, RuleErrors, RuleSource, RuleTest, Rules};
pub use site::{HostError, parse_host};
