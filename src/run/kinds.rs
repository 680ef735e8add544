//! `declutr filters` (the filter kinds, one line each) and `declutr explain` (one kind's
//! documentation, keys and example; or where a rule is defined, and its table).

use std::io::{self, Write};

use crate::filters::{self, KindInfo};
use crate::rules::explain::{self, Definition};
use crate::run::Outcome;
use crate::run::rules::{report_errors, sources};
use crate::run::settings::RuleFiles;
use crate::{RuleSource, Rules};

/// `declutr filters`: each kind's name and summary, in pipeline order.
pub fn list_filters() -> io::Result<Outcome> {
    let mut stdout = io::stdout().lock();
    for k in filters::KINDS {
        writeln!(stdout, "{:<16} {}", k.name, k.summary)?;
    }
    Ok(Outcome::Clean)
}

/// `declutr explain TARGET`: a filter kind's documentation, or, for a rule id
/// (`KIND/ID`, or `ID` alone), every table of the rule files (`files`) that defines it.
/// A name that is neither is a usage error, with the names it may have meant.
pub fn explain(target: &str, files: &RuleFiles) -> io::Result<Outcome> {
    if let Some(k) = filters::kind(target) {
        return explain_kind(k);
    }
    let sources = match sources(files) {
        Ok(s) => s,
        Err(e) => return Ok(report_errors(&e)),
    };
    let definitions = explain::definitions(&sources);
    let found = explain::find(&definitions, target);
    if found.is_empty() {
        let near = explain::suggestions(&definitions, target);
        let hint = if near.is_empty() {
            let names: Vec<&str> = filters::KINDS.iter().map(|k| k.name).collect();
            format!("the kinds are: {}", names.join(", "))
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        eprintln!("declutr: no filter kind or rule named {target:?} in the rules loaded; {hint}");
        return Ok(Outcome::Refused);
    }
    explain_rules(&found, &sources)?;
    Ok(Outcome::Clean)
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One kind: its summary, description, keys and example (rules, input, output).
fn explain_kind(k: &KindInfo) -> io::Result<Outcome> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}: {}\n\n{}\n", k.name, k.summary, k.description)?;
    if k.configurable {
        let width = k.fields.iter().map(|f| f.key.len()).max().unwrap_or(0);
        writeln!(stdout, "Keys (besides id):\n")?;
        for f in k.fields {
            writeln!(
                stdout,
                "    {:<width$}  {}; default: {}",
                f.key, f.meaning, f.default
            )?;
        }
        writeln!(stdout)?;
    }
    writeln!(
        stdout,
        "Example rules:\n\n{}\n\nInput:\n\n{}\n\nOutput:\n\n{}",
        indent(k.example.rules.trim_end()),
        indent(k.example.input.trim_end()),
        indent(k.example.output.trim_end()),
    )?;
    Ok(Outcome::Clean)
}

/// The tables defining a rule, in load order: a later global table of the same id
/// replaces an earlier one, and a `disable` list may remove it.
fn explain_rules(found: &[&Definition], sources: &[RuleSource]) -> io::Result<()> {
    // What is in force among the global rules, when the files load.
    let active = Rules::load(sources).ok().map(|r| r.global_rule_ids());
    let mut stdout = io::stdout().lock();
    for (i, d) in found.iter().enumerate() {
        let scope = if d.site_file {
            "site file: applies to its hosts' pages"
        } else {
            "global"
        };
        writeln!(stdout, "{} ({}:{}, {scope})\n", d.name(), d.file, d.line)?;
        writeln!(stdout, "{}\n", indent(&d.text))?;
        let replaced = !d.site_file
            && found[i + 1..]
                .iter()
                .any(|later| !later.site_file && later.kind == d.kind);
        let disabled = !d.site_file
            && active
                .as_ref()
                .is_some_and(|ids| !ids.iter().any(|(id, kind)| *id == d.id && *kind == d.kind));
        if replaced {
            writeln!(
                stdout,
                "    (replaced by the table below, of the same id)\n"
            )?;
        } else if disabled {
            writeln!(
                stdout,
                "    (disabled: a later file's `disable` list names it)\n"
            )?;
        }
    }
    // Each kind once, in the order its rules were shown.
    let mut kinds: Vec<&str> = Vec::new();
    for d in found {
        if !kinds.contains(&d.kind) {
            kinds.push(d.kind);
        }
    }
    for kind in kinds {
        if let Some(k) = filters::kind(kind) {
            writeln!(
                stdout,
                "{}: {}\n`declutr explain {}` describes the kind, its keys and an example.",
                k.name, k.summary, k.name
            )?;
        }
    }
    Ok(())
}
