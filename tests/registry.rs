//! The filter registry: every kind has a kebab-case name, a summary, a description, an
//! example whose rules load on their own and whose input cleans to exactly its output, and
//! unit tests in its own source file. A new kind without any of these fails here.

use std::path::PathBuf;

use declutr::filters::{Field, KINDS, KindInfo};
use declutr::{Cleaner, DocumentInfo, RuleSource, Rules, Scope};

fn is_kebab_case(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Loads the example's rules alone (no embedded rules), as a global rule file.
fn example_rules(kind: &KindInfo) -> Result<Rules, String> {
    Rules::load(&[RuleSource {
        name: format!("<example of {}>", kind.name),
        text: kind.example.rules.into(),
        scope: Scope::Global,
    }])
    .map_err(|e| e.to_string())
}

#[test]
fn the_registry_lists_kinds_once_each() {
    assert!(!KINDS.is_empty());
    for (i, k) in KINDS.iter().enumerate() {
        assert!(
            KINDS[..i].iter().all(|other| other.name != k.name),
            "kind {:?} is listed twice",
            k.name
        );
        assert!(
            declutr::filters::kind(k.name).is_some_and(|found| found.name == k.name),
            "filters::kind({:?}) does not find the registry entry",
            k.name
        );
    }
    assert!(declutr::filters::kind("no-such-kind").is_none());
}

#[test]
fn every_kind_has_a_kebab_case_name_a_summary_and_a_description() {
    let mut problems = Vec::new();
    for k in KINDS {
        if !is_kebab_case(k.name) {
            problems.push(format!("{:?}: name is not kebab-case", k.name));
        }
        if k.summary.trim().is_empty() {
            problems.push(format!("{}: empty summary", k.name));
        }
        if k.summary.contains('\n') {
            problems.push(format!(
                "{}: summary must be one line (`declutr filters`)",
                k.name
            ));
        }
        if k.description.trim().is_empty() {
            problems.push(format!("{}: empty description", k.name));
        }
        if k.example.input.trim().is_empty() {
            problems.push(format!("{}: empty example input", k.name));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_example_rule_table_loads_on_its_own() {
    let mut problems = Vec::new();
    for k in KINDS {
        match example_rules(k) {
            // A built-in stage's example may configure what it reads (the header), but
            // it has no rule table of its own.
            Ok(_) if !k.configurable => {}
            Ok(rules) => {
                let ids = rules.global_rule_ids();
                if !ids.iter().any(|(_, kind)| *kind == k.name) {
                    problems.push(format!(
                        "{}: the example's rules define no {} rule (got {ids:?})",
                        k.name, k.name
                    ));
                }
                if let Some((id, kind)) = ids.iter().find(|(_, kind)| *kind != k.name) {
                    problems.push(format!(
                        "{}: the example also defines {kind} rule {id:?}; it should show its own kind alone",
                        k.name
                    ));
                }
            }
            Err(e) => problems.push(format!("{}: example rules do not load:\n{e}", k.name)),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_example_input_cleans_to_its_output() {
    let mut problems = Vec::new();
    for k in KINDS {
        let Ok(rules) = example_rules(k) else {
            problems.push(format!("{}: example rules do not load", k.name));
            continue;
        };
        // `clean` takes an HTML example (drop-elements) through the HTML pipeline.
        let cleaned = Cleaner::new(rules).clean(k.example.input, &DocumentInfo::default());
        let mut kept: String = cleaned.kept_lines().collect::<Vec<_>>().join("\n");
        kept.push('\n');
        // A filter's example has no header: the written text is exactly the kept lines.
        // (The header stage's example needs one: it drops what repeats it.)
        if k.configurable {
            assert!(
                cleaned.header.is_empty(),
                "{}: the example's rules recognise no header, yet got {:?}",
                k.name,
                cleaned.header
            );
            assert_eq!(kept, cleaned.text(), "{}: text() != kept lines", k.name);
        }
        if kept != k.example.output {
            problems.push(format!(
                "{}: the example's input cleans to\n{kept:?}\nbut the example says\n{:?}\n--explain:\n{}",
                k.name,
                k.example.output,
                cleaned.explain()
            ));
        }
        // The example must show the kind at work: its output differs from its input.
        if k.example.output == k.example.input {
            problems.push(format!("{}: the example removes nothing", k.name));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn every_kind_has_unit_tests_in_its_own_file() {
    let mut problems = Vec::new();
    for k in KINDS {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("src/filters")
            .join(format!("{}.rs", k.name.replace('-', "_")));
        match std::fs::read_to_string(&path) {
            Ok(src) => {
                if !src.contains("#[cfg(test)]") || !src.contains("#[test]") {
                    problems.push(format!(
                        "{}: src/filters/{}.rs has no #[cfg(test)] module with a #[test]",
                        k.name,
                        k.name.replace('-', "_")
                    ));
                }
                if !src.starts_with("//!") {
                    problems.push(format!(
                        "{}: src/filters/{}.rs does not start with //! docs",
                        k.name,
                        k.name.replace('-', "_")
                    ));
                }
            }
            Err(e) => problems.push(format!(
                "{}: cannot read src/filters/{}.rs ({e}): each kind lives in its own file",
                k.name,
                k.name.replace('-', "_")
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The reference table of a kind's keys, as `rules/README.md` shows it.
fn keys_table(fields: &[Field]) -> String {
    let mut out = String::from("| key | default | meaning |\n|---|---|---|\n");
    for f in fields {
        let default = match f.default {
            "required" | "none" => f.default.to_string(),
            toml => format!("`{toml}`"),
        };
        out.push_str(&format!("| `{}` | {default} | {} |\n", f.key, f.meaning));
    }
    out
}

fn begin_marker(kind: &str) -> String {
    format!(
        "<!-- keys of {kind}: generated from the registry; DECLUTR_BLESS=1 cargo test --test registry -->\n"
    )
}

const END_MARKER: &str = "<!-- end of keys -->\n";

/// `rules/README.md` documents every kind that rule files configure, in the order they run,
/// each with the table of its keys generated from the registry (`KindInfo::fields`). Run
/// with `DECLUTR_BLESS=1` to write the tables after changing a kind's keys.
#[test]
fn the_rules_readme_tables_are_the_registry_s_reference() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/README.md");
    let readme = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("rules/README.md: {e}"));
    let mut out = String::new();
    let mut rest = readme.as_str();
    let mut problems = Vec::new();
    for k in KINDS.iter().filter(|k| k.configurable) {
        let begin = begin_marker(k.name);
        let Some(start) = rest.find(&begin) else {
            problems.push(format!(
                "{}: rules/README.md has no section for it after the previous kind's, with its \
keys between the lines\n{begin}{END_MARKER}",
                k.name
            ));
            continue;
        };
        let after = &rest[start + begin.len()..];
        let Some(end) = after.find(END_MARKER) else {
            problems.push(format!("{}: no {END_MARKER:?} after its table", k.name));
            continue;
        };
        let table = keys_table(k.fields);
        if after[..end] != table {
            problems.push(format!(
                "{}: the README's table is not the registry's:\n{}\nexpected\n{table}",
                k.name,
                &after[..end]
            ));
        }
        out.push_str(&rest[..start + begin.len()]);
        out.push_str(&table);
        out.push_str(END_MARKER);
        rest = &after[end + END_MARKER.len()..];
    }
    out.push_str(rest);
    if problems.is_empty() {
        return;
    }
    if std::env::var_os("DECLUTR_BLESS").is_some() && out != readme {
        std::fs::write(&path, out).unwrap_or_else(|e| panic!("rules/README.md: {e}"));
        return;
    }
    panic!(
        "{}\n\nRun `DECLUTR_BLESS=1 cargo test --test registry` to write the tables.",
        problems.join("\n\n")
    );
}
