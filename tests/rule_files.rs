//! The embedded rule files: they load without a problem, every `[[test]]` case they carry
//! passes, and the copy embedded in the library is the `rules/` directory on disk.

use std::path::Path;

use declutr::rules::{self, Scope};
use declutr::{Cleaner, RuleSource, Rules};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn embedded_rules_load_without_problems() {
    let rules = Rules::embedded().unwrap_or_else(|e| panic!("the embedded rules are broken:\n{e}"));
    let ids = rules.global_rule_ids();
    // The default rules cover the header and every filter stage but the one whose rules
    // are learned per site.
    assert!(
        ids.iter().any(|(_, kind)| *kind == "header-line"),
        "no header-line rule in {ids:?}"
    );
    for k in declutr::filters::KINDS
        .iter()
        .filter(|k| k.name != "drop-site-repeats")
    {
        assert!(
            ids.iter().any(|(_, kind)| *kind == k.name),
            "the default rules have no {} rule: {ids:?}",
            k.name
        );
    }
}

#[test]
fn every_embedded_test_case_passes() {
    let rules = Rules::embedded().unwrap_or_else(|e| panic!("the embedded rules are broken:\n{e}"));
    let cleaner = Cleaner::new(rules);
    let tests = cleaner.rules().tests().to_vec();
    let mut failures = Vec::new();
    for t in &tests {
        if t.keep.is_empty() && t.drop.is_empty() {
            failures.push(format!(
                "{} ({}): a test case with neither keep nor drop checks nothing",
                t.name, t.location
            ));
            continue;
        }
        let problems = rules::run_test(&cleaner, t);
        if !problems.is_empty() {
            failures.push(format!(
                "{} ({}):\n  {}",
                t.name,
                t.location,
                problems.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rule-file test cases failed:\n{}",
        failures.len(),
        tests.len(),
        failures.join("\n")
    );
}

/// `run_test` itself must catch a wrong expectation, or the test above proves nothing.
#[test]
fn run_test_reports_a_wrong_expectation() {
    let text = "[[drop-lines]]\nid = \"promo\"\nphrases = [\"Buy the print edition\"]\n\n\
[[test]]\nname = \"promo goes\"\ninput = \"\"\"\nBuy the print edition\n\
The ferry will sail at six from the north pier on every weekday this winter.\n\"\"\"\n\
drop = [\"Buy the print edition\"]\n\
keep = [\"The ferry will sail at six from the north pier on every weekday this winter.\"]\n\n\
[[test]]\nname = \"wrong on purpose\"\ninput = \"Buy the print edition\\nA line that stays.\\n\"\n\
keep = [\"Buy the print edition\"]\ndrop = [\"A line that stays.\"]\n";
    let rules = Rules::load(&[RuleSource {
        name: "promo.toml".into(),
        text: text.into(),
        scope: Scope::Global,
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let cleaner = Cleaner::new(rules);
    let tests = cleaner.rules().tests().to_vec();
    assert_eq!(tests.len(), 2);
    assert_eq!(tests[0].name, "promo goes");
    assert_eq!(tests[0].location, "promo.toml:5");
    assert_eq!(rules::run_test(&cleaner, &tests[0]), Vec::<String>::new());
    let problems = rules::run_test(&cleaner, &tests[1]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].contains("should keep \"Buy the print edition\""),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("should drop \"A line that stays.\""),
        "{problems:?}"
    );
}

/// The embedded copy is what `rules/default.toml` and `rules/sites/*.toml` say on disk.
#[test]
fn embedded_rules_match_the_rules_directory() {
    let dir = manifest_dir().join("rules");
    let on_disk = std::fs::read_to_string(dir.join("default.toml"))
        .unwrap_or_else(|e| panic!("cannot read rules/default.toml: {e}"));
    assert_eq!(
        on_disk,
        rules::DEFAULT_RULES,
        "the embedded default rules differ from rules/default.toml: rebuild"
    );
    let from_disk = Rules::load(&[RuleSource {
        name: "rules/default.toml".into(),
        text: on_disk,
        scope: Scope::Global,
    }])
    .unwrap_or_else(|e| panic!("rules/default.toml does not load:\n{e}"));
    let embedded = Rules::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(from_disk.global_rule_ids(), embedded.global_rule_ids());

    // Site files: the same names and texts as rules/sites/*.toml.
    let mut disk_sites: Vec<(String, String)> = match std::fs::read_dir(dir.join("sites")) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let text = std::fs::read_to_string(&p)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
                (name, text)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    disk_sites.sort();
    let mut embedded_sites: Vec<(String, String)> = rules::SITE_RULES
        .iter()
        .map(|(n, t)| ((*n).to_string(), (*t).to_string()))
        .collect();
    embedded_sites.sort();
    assert_eq!(
        embedded_sites, disk_sites,
        "the embedded site files differ from rules/sites/"
    );
}
