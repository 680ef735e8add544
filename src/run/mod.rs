//! What the `declutr` command line runs. This is the command line's layer: it is public
//! because the binary is a crate of its own, and it is not a stable library API (anything
//! here may change in any release). A library cleans pages with [`crate::Cleaner`] and
//! reads archives and streams with [`crate::warc`] and [`crate::jsonl`].
//!
//! Each run takes resolved [`Settings`] (every flag already checked by the command line),
//! reads its inputs, cleans each page with the [`crate::Cleaner`], writes its outputs,
//! reports on stderr as the command does, and returns an [`Outcome`] the command maps to
//! its exit code. A failing input is told and the run goes on.
//!
//! - [`clean()`]: `declutr clean` in each [`Mode`] (one page, a text batch with in-batch
//!   learning, `--explain`, JSON Lines out, a JSON Lines stream, WARC), over
//!   - `batch`: a directory tree mirrored into an output directory ([`plan`], [`walk`]),
//!   - `jsonl`: JSON Lines in and out,
//!   - `warc`: WARC archives ([`walk_warc`]);
//! - [`learn()`]: `declutr learn`, learning a batch's sites and writing their files;
//! - [`load_rules`], [`check_rules`] (`declutr rules check`) and [`test_rules`]
//!   (`declutr rules test`);
//! - [`list_filters`] (`declutr filters`) and [`explain()`] (`declutr explain`);
//! - `summary`: the one report every run over many inputs ends with.
//!
//! The rest is what the command line checks its flags and inputs with before a run:
//! [`check_output_file`], [`check_warc_output_dir`], [`parse_size`], [`is_regular_file`],
//! and [`escape_path`] for the paths its messages name.

pub(crate) mod batch;
pub(crate) mod clean;
pub(crate) mod jsonl;
pub(crate) mod kinds;
pub(crate) mod learn;
pub(crate) mod rules;
pub(crate) mod settings;
pub(crate) mod summary;
#[cfg(test)]
mod tests;
pub(crate) mod warc;

pub use crate::escape::{EscapedPath, path as escape_path};
pub use crate::io::out_path::{BadName, OutPathError};
pub use crate::io::read::is_regular_file;
pub use batch::{BatchError, Plan, SizeError, Walk, check_output_file, parse_size, plan, walk};
pub use clean::{run as clean, stop_cleanly_on_interrupt};
pub use kinds::{explain, list_filters};
pub use learn::run as learn;
pub use rules::{
    check as check_rules, load as load_rules, report_errors as report_rule_errors,
    test as test_rules,
};
pub use settings::{AfterInterrupt, LearnSettings, Mode, Options, RuleFiles, Settings, WarcOutput};
pub use warc::clean::{
    Walk as WarcWalk, check_output_dir as check_warc_output_dir, walk as walk_warc,
};

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
