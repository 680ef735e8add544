//! The embedded rule files: they load without a problem, every `[[test]]` case they carry
//! passes, and the copy embedded in the library is the `rules/` directory on disk; a
//! `[[test]]` case's HTML input is cleaned as HTML.

use std::path::Path;

use declutr::{Cleaner, RuleSource, Rules, Scope};
use predicates::prelude::*;

mod common;
use common::{declutr, tempdir, write};

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
        .filter(|k| k.configurable && k.name != "drop-site-repeats")
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
        let problems = cleaner.run_test(t);
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

/// `Cleaner::run_test` itself must catch a wrong expectation, or the test above proves nothing.
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
    assert_eq!(cleaner.run_test(&tests[0]), Vec::<String>::new());
    let problems = cleaner.run_test(&tests[1]);
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

/// A rule file whose `[[test]]` inputs are HTML pages: the first case passes and the
/// second fails only when the input is parsed as HTML (as text, the paragraph's line would
/// be `<p>The ferry …</p>`, failing the first `keep`, and nothing would equal the line the
/// second `drop` names, passing it without checking it).
const HTML_TESTS: &str = "[[drop-elements]]\nid = \"promo-box\"\nselectors = [\"aside.promo\"]\n\n\
[[test]]\nname = \"html promo goes\"\ninput = \"\"\"\n<!doctype html><html><body>\n\
<aside class=\"promo\">Book your crossing today</aside>\n\
<p>The ferry will sail at six from the north pier on every weekday this winter.</p>\n\
</body></html>\n\"\"\"\n\
drop = [\"Book your crossing today\"]\n\
keep = [\"The ferry will sail at six from the north pier on every weekday this winter.\"]\n\n\
[[test]]\nname = \"html drop is checked\"\ninput = \"\"\"\n<!doctype html><html><body>\n\
<p>Tickets are sold at the pier and on board.</p>\n</body></html>\n\"\"\"\n\
drop = [\"Tickets are sold at the pier and on board.\"]\n";

/// An HTML `[[test]]` input is cleaned as HTML: its `keep` lines are the rendered text, and
/// its `drop` lines are checked against it.
#[test]
fn html_test_inputs_are_cleaned_as_html() {
    let rules = Rules::load(&[RuleSource {
        name: "ferry.toml".into(),
        text: HTML_TESTS.into(),
        scope: Scope::Global,
    }])
    .unwrap_or_else(|e| panic!("{e}"));
    let cleaner = Cleaner::new(rules);
    let tests = cleaner.rules().tests().to_vec();
    assert_eq!(tests.len(), 2);
    assert_eq!(cleaner.run_test(&tests[0]), Vec::<String>::new());
    let problems = cleaner.run_test(&tests[1]);
    assert_eq!(
        problems,
        ["should drop \"Tickets are sold at the pier and on board.\", but it was kept"]
    );
}

/// `declutr rules test` cleans an HTML `[[test]]` input as HTML too.
#[test]
fn rules_test_cleans_html_inputs_as_html() {
    let tmp = tempdir();
    write(&tmp.path().join("myrules/ferry.toml"), HTML_TESTS);
    declutr(tmp.path())
        .args(["rules", "test", "--no-default-rules", "myrules"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("ok    html promo goes")
                .and(predicate::str::contains(
                    "FAIL  html drop is checked (myrules/ferry.toml:",
                ))
                .and(predicate::str::contains(
                    "should drop \"Tickets are sold at the pier and on board.\"",
                ))
                .and(predicate::str::contains("1 passed, 1 failed")),
        );
}

/// The embedded copy is what `rules/default.toml` and `rules/sites/*.toml` say on disk.
#[test]
fn embedded_rules_match_the_rules_directory() {
    let dir = manifest_dir().join("rules");
    let on_disk = std::fs::read_to_string(dir.join("default.toml"))
        .unwrap_or_else(|e| panic!("cannot read rules/default.toml: {e}"));
    // The embedded files: the default rules, then the site files.
    let sources = RuleSource::embedded();
    let default = sources
        .iter()
        .find(|s| s.name == "<embedded>/rules/default.toml")
        .unwrap_or_else(|| panic!("no embedded default rules"));
    assert_eq!(default.scope, Scope::Global);
    assert_eq!(
        on_disk, default.text,
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
    let mut embedded_sites: Vec<(String, String)> = sources
        .iter()
        .filter_map(|s| {
            let name = s.name.strip_prefix("<embedded>/rules/sites/")?;
            Some((name.to_string(), s.text.clone()))
        })
        .collect();
    assert_eq!(
        sources.len(),
        1 + embedded_sites.len(),
        "embedded files that are neither the default rules nor a site file"
    );
    embedded_sites.sort();
    assert_eq!(
        embedded_sites, disk_sites,
        "the embedded site files differ from rules/sites/"
    );
}

/// The fields documented with a fractional default, by rule kind (`None` for `[learn]`,
/// from `rules/README.md`; the filter kinds' from the registry): every float field of a
/// rule file.
fn documented_float_fields() -> Vec<(Option<String>, String)> {
    let reference = std::fs::read_to_string(manifest_dir().join("rules/README.md"))
        .unwrap_or_else(|e| panic!("rules/README.md: {e}"));
    let is_float = |v: &str| v.contains('.') && v.parse::<f64>().is_ok();
    let mut fields = Vec::new();
    let mut in_learn = false;
    for line in reference.lines() {
        if line == "[learn]" {
            in_learn = true;
        } else if line.starts_with("```") {
            in_learn = false;
        } else if in_learn {
            if let Some((key, value)) = line.split_once('=') {
                let value = value.split('#').next().unwrap_or("").trim();
                if is_float(value) {
                    fields.push((None, key.trim().to_string()));
                }
            }
        }
    }
    // The filter kinds' keys, from the registry (which rules/README.md's tables show).
    for k in declutr::filters::KINDS {
        for f in k.fields.iter().filter(|f| is_float(f.default)) {
            fields.push((Some(k.name.to_string()), f.key.to_string()));
        }
    }
    fields
}

/// `key = value` set in a rule table of `kind` that loads otherwise (the kind's example),
/// or in `[learn]`; with the line it is on.
fn with_value(kind: Option<&str>, key: &str, value: &str) -> (String, usize) {
    let Some(kind) = kind else {
        return (format!("[learn]\n{key} = {value}\n"), 2);
    };
    let example = declutr::filters::kind(kind)
        .unwrap_or_else(|| panic!("rules/README.md documents an unknown kind {kind:?}"))
        .example
        .rules;
    let header = format!("[[{kind}]]");
    let mut text = String::new();
    let mut at = 0;
    for (i, line) in example
        .lines()
        .filter(|l| !l.trim_start().starts_with(&format!("{key} ")))
        .enumerate()
    {
        text.push_str(line);
        text.push('\n');
        if line.trim() == header && at == 0 {
            text.push_str(&format!("{key} = {value}\n"));
            at = i + 2;
        }
    }
    assert!(at > 0, "the example of {kind} has no {header}");
    (text, at)
}

#[test]
fn every_float_field_refuses_nan_and_infinities_where_it_stands() {
    let fields = documented_float_fields();
    assert!(
        fields.len() >= 13,
        "rules/README.md gave too few float fields: {fields:?}"
    );
    let mut problems = Vec::new();
    for (kind, key) in &fields {
        for value in ["nan", "inf", "-inf", "+inf", "-nan"] {
            let (text, line) = with_value(kind.as_deref(), key, value);
            let loaded = Rules::load(&[RuleSource {
                name: "values.toml".into(),
                text: text.clone(),
                scope: Scope::Global,
            }]);
            let column = key.len() + 4;
            let at = format!("values.toml:{line}:{column}: {key} = ");
            match loaded {
                Ok(_) => problems.push(format!("{kind:?} {key} = {value} was accepted")),
                Err(e) if e.errors.len() == 1 && e.to_string().contains(&at) => {}
                Err(e) => problems.push(format!(
                    "{kind:?} {key} = {value}: expected one error at {at}…, got:\n{e}\nin:\n{text}"
                )),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_bad_value_of_a_table_is_reported_in_one_pass() {
    let text = "[[classify-blocks]]\nid = \"fallback\"\nstopwords-low = nan\n\
                max-link-density = 1.5\nmin-secondary-share = -inf\n";
    let e = Rules::load(&[RuleSource {
        name: "values.toml".into(),
        text: text.into(),
        scope: Scope::Global,
    }])
    .err()
    .unwrap_or_default();
    let found: Vec<String> = e
        .errors
        .iter()
        .map(|e| format!("{}:{}: {}", e.line, e.column, e.message))
        .collect();
    assert_eq!(
        found,
        [
            "3:17: stopwords-low = nan is not a number: give one from 0 to 1",
            "4:20: max-link-density = 1.5 is out of range (0 to 1)",
            "5:23: min-secondary-share = -inf is out of range (0 to 1)",
        ]
    );
}

#[test]
fn rules_check_refuses_bad_values_and_hosts_that_match_nothing() {
    let tmp = tempdir();
    let root = tmp.path();
    write(
        &root.join("myrules/house.toml"),
        "[[classify-blocks]]\nid = \"fallback\"\nstopwords-low = nan\n",
    );
    write(
        &root.join("myrules/sites/news.toml"),
        "[site]\nhosts = [\"*\", \"news.example\"]\n",
    );
    write(&root.join("myrules/sites/*.toml"), "disable = []\n");
    let out = declutr(root)
        .args(["rules", "check", "myrules"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for expected in [
        "myrules/house.toml:3:17: stopwords-low = nan is not a number: give one from 0 to 1",
        "myrules/sites/news.toml:2:10: \"*\" is not a host name: write a host such as \"example.com\"",
        "myrules/sites/*.toml:1:1: the file is named after \"*\", which is not a host name",
    ] {
        assert!(err.contains(expected), "{expected}\nnot in:\n{err}");
    }
    assert!(err.contains("3 problems in rule files"), "{err}");

    // Nothing is cleaned with them either.
    write(
        &root.join("page.txt"),
        "A line of an article that is long enough to keep.\n",
    );
    let out = declutr(root)
        .args(["clean", "page.txt", "--rules", "myrules"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// Every pattern of the embedded rules, by rule-file array name and index.
fn embedded_patterns() -> Vec<String> {
    let text = std::fs::read_to_string(manifest_dir().join("rules/default.toml"))
        .unwrap_or_else(|e| panic!("rules/default.toml: {e}"));
    let doc: toml_edit::DocumentMut = text
        .parse()
        .unwrap_or_else(|e| panic!("rules/default.toml: {e}"));
    let mut out = Vec::new();
    for (kind, item) in doc.iter() {
        let Some(tables) = item.as_array_of_tables() else {
            continue;
        };
        for table in tables {
            let Some(patterns) = table.get("patterns").and_then(|p| p.as_array()) else {
                continue;
            };
            out.extend(
                patterns
                    .iter()
                    .filter_map(|p| p.as_str())
                    .map(|p| format!("{kind}: {p}")),
            );
        }
    }
    out
}

#[test]
fn no_embedded_pattern_has_a_unicode_word_boundary() {
    // A Unicode `\b` sends a whole rule set to the regex engine's slow matcher on every
    // line beyond ASCII; rules/README.md says to write `(?-u:\b)`.
    use regex_syntax::hir::{Hir, HirKind, Look};
    fn unicode_boundary(h: &Hir) -> bool {
        match h.kind() {
            HirKind::Look(l) => matches!(
                l,
                Look::WordUnicode
                    | Look::WordUnicodeNegate
                    | Look::WordStartUnicode
                    | Look::WordEndUnicode
                    | Look::WordStartHalfUnicode
                    | Look::WordEndHalfUnicode
            ),
            HirKind::Repetition(r) => unicode_boundary(&r.sub),
            HirKind::Capture(c) => unicode_boundary(&c.sub),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(unicode_boundary),
            _ => false,
        }
    }
    let patterns = embedded_patterns();
    assert!(patterns.len() > 20, "{patterns:?}");
    for kp in &patterns {
        let (_, p) = kp.split_once(": ").unwrap_or(("", kp));
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse(p)
            .unwrap_or_else(|e| panic!("{kp}: {e}"));
        assert!(
            !unicode_boundary(&hir),
            "{kp}: write the word boundary as (?-u:\\b)"
        );
    }
}
