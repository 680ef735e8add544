//! Loading the rules a run uses (the embedded files, then each `--rules` path's), and the
//! `declutr rules check` and `declutr rules test` runs.

use crate::run::Outcome;
use crate::run::settings::RuleFiles;
use crate::{Cleaner, RuleErrors, RuleSource, Rules};

/// The rule files to load: the embedded ones (unless `--no-default-rules`), then each
/// `--rules` path's.
pub(crate) fn sources(files: &RuleFiles) -> Result<Vec<RuleSource>, RuleErrors> {
    let mut sources = if files.defaults {
        RuleSource::embedded()
    } else {
        Vec::new()
    };
    let mut errors = RuleErrors::default();
    for path in &files.paths {
        match RuleSource::from_path(path) {
            Ok(s) => sources.extend(s),
            Err(e) => errors.errors.extend(e.errors),
        }
    }
    if errors.errors.is_empty() {
        Ok(sources)
    } else {
        // The files that could be read are still checked, so every problem shows at once.
        match Rules::load(&sources) {
            Ok(_) => Err(errors),
            Err(e) => {
                errors.errors.extend(e.errors);
                Err(errors)
            }
        }
    }
}

/// Loads the rules; every problem is returned at once (exit 2).
pub fn load(files: &RuleFiles) -> Result<Rules, RuleErrors> {
    Rules::load(&sources(files)?)
}

/// Reports every problem of the rule files on stderr: a rule error (exit 2).
pub fn report_errors(e: &RuleErrors) -> Outcome {
    eprintln!("{e}");
    let n = e.errors.len();
    eprintln!(
        "declutr: {n} problem{} in rule files; nothing was cleaned",
        if n == 1 { "" } else { "s" }
    );
    Outcome::Refused
}

/// `declutr rules check`: loads the rules and counts what they hold.
pub fn check(files: &RuleFiles) -> Outcome {
    match load(files) {
        Ok(rules) => {
            println!(
                "ok: {} rule file{}, {} global rules, {} site rule set{}, {} test case{}",
                rules.file_count(),
                if rules.file_count() == 1 { "" } else { "s" },
                rules.global_rule_ids().len(),
                rules.site_count(),
                if rules.site_count() == 1 { "" } else { "s" },
                rules.tests().len(),
                if rules.tests().len() == 1 { "" } else { "s" },
            );
            Outcome::Clean
        }
        Err(e) => report_errors(&e),
    }
}

/// `declutr rules test`: runs every `[[test]]` case of the rules, one line each.
pub fn test(files: &RuleFiles) -> Outcome {
    let rules = match load(files) {
        Ok(r) => r,
        Err(e) => return report_errors(&e),
    };
    let cleaner = Cleaner::new(rules);
    let mut failed = 0;
    let tests = cleaner.rules().tests().to_vec();
    for t in &tests {
        let problems = cleaner.run_test(t);
        if problems.is_empty() {
            println!("ok    {}", t.name);
        } else {
            failed += 1;
            println!("FAIL  {} ({})", t.name, t.location);
            for p in problems {
                println!("      {p}");
            }
        }
    }
    println!("{} passed, {} failed", tests.len() - failed, failed);
    if failed == 0 {
        Outcome::Clean
    } else {
        Outcome::SomeFailed
    }
}
