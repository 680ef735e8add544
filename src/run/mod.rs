//! The runs the command line makes, as a library: each takes resolved [`settings`] (every
//! flag already checked by the command line), reads its inputs through [`crate::io`],
//! cleans each page with the [`crate::Cleaner`], writes its outputs through [`crate::io`]
//! again, reports on stderr as the command does, and returns an [`Outcome`] the command
//! maps to its exit code. A failing input is told and the run goes on.
//!
//! - [`clean`]: `declutr clean` in each [`settings::Mode`] (one page, a text batch with
//!   in-batch learning, `--explain`, JSON Lines out, a JSON Lines stream, WARC), over
//!   - [`batch`]: a directory tree mirrored into an output directory,
//!   - [`jsonl`]: JSON Lines in and out,
//!   - [`warc`]: WARC archives;
//! - [`learn`]: learning a batch's sites (before cleaning it, or `declutr learn`);
//! - [`rules`]: loading the rule files, `declutr rules check` and `declutr rules test`;
//! - [`kinds`]: `declutr filters` and `declutr explain`;
//! - `summary`: the one report every run over many inputs ends with.

pub mod batch;
pub mod clean;
pub mod jsonl;
pub mod kinds;
pub mod learn;
pub mod rules;
pub mod settings;
pub(crate) mod summary;
pub mod warc;

pub use settings::{Mode, Options, RuleFiles, Settings};

/// How a run ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every input was cleaned, or skipped with a notice (exit 0).
    Clean,
    /// Some inputs failed (or tests, or site files were not written), each reported
    /// (exit 1).
    SomeFailed,
    /// A usage or rule error, reported: nothing (more) was done (exit 2).
    Refused,
}

impl Outcome {
    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::SomeFailed => 1,
            Outcome::Refused => 2,
        }
    }

    /// [`Outcome::SomeFailed`] when `failed`, else [`Outcome::Clean`].
    pub fn failed_if(failed: bool) -> Outcome {
        if failed {
            Outcome::SomeFailed
        } else {
            Outcome::Clean
        }
    }
}
