//! The `declutr` command line: parses arguments, resolves them into the library's run
//! settings (every usage check: [`cli::settings`]), runs [`declutr::run`] and maps its
//! outcome to an exit code (0 all cleaned, 1 some inputs failed, 2 usage or rule error;
//! 130 on interrupt, from [`declutr::run::stop_cleanly_on_interrupt`]).

mod cli;

use std::io;
use std::process::ExitCode;

use clap::Parser;
use declutr::Cleaner;
use declutr::run::{self, Outcome};

use cli::args::{CleanArgs, Cli, Command, LearnArgs, RulesCommand};
use cli::settings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Learn(args) => Ok(learn(args)),
        Command::Rules(RulesCommand::Check {
            paths,
            no_default_rules,
        }) => Ok(run::check_rules(&settings::rule_files(
            paths,
            no_default_rules,
        ))),
        Command::Rules(RulesCommand::Test {
            paths,
            no_default_rules,
        }) => Ok(run::test_rules(&settings::rule_files(
            paths,
            no_default_rules,
        ))),
        Command::Filters => run::list_filters(),
        Command::Explain { target, rules } => {
            run::explain(&target, &settings::explain_rules(&rules))
        }
    };
    match result {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) => {
            let e = anyhow::Error::from(e);
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("declutr: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `declutr clean`, its checks in this order: the flags, the rules (a rule error is
/// reported before any problem of the inputs), then the inputs, walked once the rules
/// have loaded and an interrupt is handled.
fn clean(args: CleanArgs) -> io::Result<Outcome> {
    let checked = match settings::clean(args) {
        Ok(c) => c,
        Err(usage) => return Ok(usage.report()),
    };
    let cleaner = match run::load_rules(&checked.rules()) {
        Ok(rules) => Cleaner::new(rules),
        Err(e) => return Ok(run::report_rule_errors(&e)),
    };
    run::stop_cleanly_on_interrupt(&checked.after_interrupt());
    match checked.resolve() {
        Ok(settings) => run::clean(&cleaner, settings),
        Err(usage) => Ok(usage.report()),
    }
}

/// `declutr learn`: the rules, then the output and inputs checked and walked.
fn learn(args: LearnArgs) -> Outcome {
    let cleaner = match run::load_rules(&settings::learn_rules(&args)) {
        Ok(rules) => Cleaner::new(rules),
        Err(e) => return run::report_rule_errors(&e),
    };
    match settings::learn(args) {
        Ok(settings) => run::learn(&cleaner, &settings),
        Err(usage) => usage.report(),
    }
}
