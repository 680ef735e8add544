//! The runs the command line makes: a batch over a directory tree ([`batch`]), JSON Lines
//! in and out ([`jsonl`]), WARC archives ([`warc`]), and learning a batch's sites before
//! cleaning it ([`learn`]).
//!
//! A run reads its inputs through [`crate::io`], cleans each page with the
//! [`crate::Cleaner`], writes its outputs through [`crate::io`] again, and sums up what it
//! did; a failing input is told and the run goes on.

pub mod batch;
pub mod jsonl;
pub mod learn;
pub mod warc;
