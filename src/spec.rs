//! Helpers shared by the specs of rule tables (each filter kind, the header rules, the
//! `[learn]` thresholds): decoding one rule table, checking ids, compiling phrase lists and
//! regexes, each problem reported at its place in the file ([`crate::diag`]).

use std::collections::HashSet;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::de::{DeserializeOwned, IntoDeserializer};
use serde_spanned::Spanned;

use crate::diag::Diag;
use crate::text::phrase_key;

/// Largest compiled size accepted for one rule's regexes: a rule that needs more is almost
/// certainly a mistake, and a cap keeps a hostile rule file from exhausting memory.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// Cache for each regex's lazy DFA. Rule sets are large unions of case-insensitive
/// Unicode patterns; a cache too small for them is cleared over and over while matching.
const DFA_SIZE_LIMIT: usize = 16 << 20;

/// Decodes one rule table into its spec, recording the first problem of the table.
pub(crate) fn decode<T: DeserializeOwned>(table: &toml_edit::Table, diag: &mut Diag) -> Option<T> {
    let mut stripped = table.clone();
    // Every rule table may say why it exists; the description is for people reading the
    // file, so it is checked here once and no rule kind's spec carries it.
    if let Some(item) = stripped.remove("description") {
        if !item.is_str() {
            let span = item.span().or_else(|| table.span());
            diag.error(span, "description must be a string");
            return None;
        }
    }
    let value = toml_edit::Value::InlineTable(stripped.into_inline_table());
    match T::deserialize(value.into_deserializer()) {
        Ok(spec) => Some(spec),
        Err(e) => {
            let span = e.span().or_else(|| table.span());
            diag.error(span, e.message().replace('`', "'"));
            None
        }
    }
}

/// Checks a rule id: lowercase kebab-case, so it can be named on a command line and in
/// `disable` lists without quoting.
pub(crate) fn check_id(id: &Spanned<String>, diag: &mut Diag) -> bool {
    let v = id.get_ref();
    let ok = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !v.starts_with('-');
    if !ok {
        diag.error(
            Some(id.span()),
            format!("rule id {v:?} must be lowercase kebab-case, like \"listen-widget\""),
        );
    }
    ok
}

/// Builds the phrase keys of a rule (see [`phrase_key`]); an empty phrase is an error.
pub(crate) fn phrase_keys(phrases: &[Spanned<String>], diag: &mut Diag) -> HashSet<String> {
    let mut keys = HashSet::with_capacity(phrases.len());
    for p in phrases {
        let key = phrase_key(p.get_ref());
        if key.is_empty() {
            diag.error(
                Some(p.span()),
                format!("phrase {:?} has no words", p.get_ref()),
            );
        } else {
            keys.insert(key);
        }
    }
    keys
}

/// How a pattern is matched against a line.
#[derive(Clone, Copy)]
pub(crate) enum Anchor {
    /// The pattern must match the whole trimmed line.
    WholeLine,
    /// The pattern is searched for anywhere in the line.
    Search,
}

/// The pattern as compiled: wrapped to match the whole line when `anchor` says so.
pub(crate) fn builder_pattern(p: &str, anchor: Anchor) -> String {
    match anchor {
        Anchor::WholeLine => format!("^(?:{p})$"),
        Anchor::Search => p.to_string(),
    }
}

/// Compiles the patterns as one case-insensitive set. When that fails, each pattern is
/// compiled alone, so that every bad one is reported at its own place (and a set too
/// large only together says so); a set that compiles holds no bad pattern, so a good list
/// is compiled once. `None` when the list is empty or broken.
pub(crate) fn regex_set(
    patterns: &[Spanned<String>],
    anchor: Anchor,
    diag: &mut Diag,
) -> Option<RegexSet> {
    if patterns.is_empty() {
        return None;
    }
    let set = patterns.iter().all(|p| !p.get_ref().is_empty()).then(|| {
        RegexSetBuilder::new(
            patterns
                .iter()
                .map(|p| builder_pattern(p.get_ref(), anchor)),
        )
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
    });
    if let Some(Ok(set)) = set {
        return Some(set);
    }
    let bad = patterns
        .iter()
        .filter(|p| compile_one(p, anchor, diag).is_none())
        .count();
    if bad == 0 {
        if let Some(Err(e)) = set {
            diag.error(
                patterns.first().map(Spanned::span),
                format!("patterns too large together: {e}"),
            );
        }
    }
    None
}

/// Compiles one case-insensitive pattern, reporting a syntax error at the pattern's place.
pub(crate) fn compile_one(p: &Spanned<String>, anchor: Anchor, diag: &mut Diag) -> Option<Regex> {
    if p.get_ref().is_empty() {
        diag.error(Some(p.span()), "empty pattern matches every line");
        return None;
    }
    match RegexBuilder::new(&builder_pattern(p.get_ref(), anchor))
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
    {
        Ok(re) => Some(re),
        Err(regex::Error::CompiledTooBig(limit)) => {
            diag.error(
                Some(p.span()),
                format!(
                    "regex {:?} is too large: compiled, it exceeds the {} MB limit that keeps \
                     matching fast on every input; bound its repetitions or split it",
                    p.get_ref(),
                    limit >> 20
                ),
            );
            None
        }
        Err(e) => {
            let detail = e.to_string();
            let last = detail
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid regex");
            let last = last.trim().trim_start_matches("error:").trim();
            diag.error(
                Some(p.span()),
                format!("invalid regex {:?}: {last}", p.get_ref()),
            );
            None
        }
    }
}

/// Compiles CSS selectors, each problem (empty, invalid) reported at its place; a rule
/// with no selector at all is reported at its id.
pub(crate) fn selectors(
    id: &Spanned<String>,
    sources: &[Spanned<String>],
    diag: &mut Diag,
) -> Vec<scraper::Selector> {
    if sources.is_empty() {
        diag.error(
            Some(id.span()),
            format!("rule {:?} has no selectors", id.get_ref()),
        );
    }
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        if s.get_ref().trim().is_empty() {
            diag.error(Some(s.span()), "empty selector");
            continue;
        }
        match scraper::Selector::parse(s.get_ref()) {
            Ok(sel) => out.push(sel),
            Err(e) => {
                // scraper words some errors as an internal one; its inner kind says more.
                let detail = match &e {
                    scraper::error::SelectorErrorKind::UnexpectedSelectorParseError(kind) => {
                        format!("{kind:?}")
                    }
                    other => other.to_string(),
                };
                diag.error(
                    Some(s.span()),
                    format!("invalid CSS selector {:?}: {detail}", s.get_ref()),
                );
            }
        }
    }
    out
}

/// Reports a number outside its range: every numeric field of a rule file is checked here.
/// A float that is not a number (`nan`) compares neither below nor above a bound, so it
/// is caught by asking for the value to be inside the range, not for it to be outside;
/// infinities are outside every range.
pub(crate) fn check_range<T: PartialOrd + std::fmt::Display + Copy>(
    value: &Spanned<T>,
    name: &str,
    min: T,
    max: T,
    diag: &mut Diag,
) -> T {
    let v = *value.get_ref();
    let in_range = min <= v && v <= max;
    if !in_range {
        #[allow(clippy::eq_op, reason = "a value unequal to itself is NaN")]
        let not_a_number = v != v;
        let message = if not_a_number {
            format!("{name} = nan is not a number: give one from {min} to {max}")
        } else {
            format!("{name} = {v} is out of range ({min} to {max})")
        };
        diag.error(Some(value.span()), message);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_range_refuses_nan_and_infinities_and_takes_the_bounds() {
        let text = "x = 0.5";
        let cases: [(f64, Option<&str>); 7] = [
            (0.0, None),
            (1.0, None),
            (0.5, None),
            (
                f64::NAN,
                Some("share = nan is not a number: give one from 0 to 1"),
            ),
            (f64::INFINITY, Some("share = inf is out of range (0 to 1)")),
            (
                f64::NEG_INFINITY,
                Some("share = -inf is out of range (0 to 1)"),
            ),
            (1.5, Some("share = 1.5 is out of range (0 to 1)")),
        ];
        for (v, expected) in cases {
            let mut diag = Diag::new("x.toml", text);
            check_range(&Spanned::new(4..7, v), "share", 0.0, 1.0, &mut diag);
            let got: Vec<&str> = diag.errors.iter().map(|e| e.message.as_str()).collect();
            assert_eq!(got, expected.into_iter().collect::<Vec<_>>(), "{v}");
            if let Some(e) = diag.errors.first() {
                assert_eq!((e.line, e.column), (1, 5));
            }
        }
        let mut diag = Diag::new("x.toml", text);
        check_range(&Spanned::new(4..7, 0_usize), "count", 1, 9, &mut diag);
        assert_eq!(diag.errors[0].message, "count = 0 is out of range (1 to 9)");
    }
}
