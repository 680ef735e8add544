//! `declutr filters` (the filter kinds, one line each) and `declutr explain KIND` (one
//! kind's documentation and example).

use std::io::{self, Write};

use crate::filters;
use crate::run::Outcome;

/// `declutr filters`: each kind's name and summary, in pipeline order.
pub fn list_filters() -> io::Result<Outcome> {
    let mut stdout = io::stdout().lock();
    for k in filters::KINDS {
        writeln!(stdout, "{:<16} {}", k.name, k.summary)?;
    }
    Ok(Outcome::Clean)
}

/// `declutr explain KIND`: the kind's summary, description and example (rules, input,
/// output); an unknown kind is a usage error naming the kinds.
pub fn explain_kind(name: &str) -> io::Result<Outcome> {
    let Some(k) = filters::kind(name) else {
        let names: Vec<&str> = filters::KINDS.iter().map(|k| k.name).collect();
        eprintln!(
            "declutr: unknown filter kind {name:?}; the kinds are: {}",
            names.join(", ")
        );
        return Ok(Outcome::Refused);
    };
    let indent = |s: &str| {
        s.lines()
            .map(|l| format!("    {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut stdout = io::stdout().lock();
    writeln!(
        stdout,
        "{}: {}\n\n{}\n\nExample rules:\n\n{}\n\nInput:\n\n{}\n\nOutput:\n\n{}",
        k.name,
        k.summary,
        k.description,
        indent(k.example.rules.trim_end()),
        indent(k.example.input.trim_end()),
        indent(k.example.output.trim_end()),
    )?;
    Ok(Outcome::Clean)
}
