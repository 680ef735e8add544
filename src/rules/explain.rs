//! Where a rule is defined: `declutr explain KIND/ID` (or `ID`) finds the tables that
//! define a rule id in the rule files, in load order, with their file, line and text.

use super::RuleSource;
use crate::filters;

/// One table defining a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Definition {
    /// The rule's kind (`cut-at-marker`).
    pub(crate) kind: &'static str,
    /// The rule's id.
    pub(crate) id: String,
    /// The file, as rule errors name it (`<embedded>/rules/default.toml`).
    pub(crate) file: String,
    /// The 1-based line of its `[[kind]]` header.
    pub(crate) line: usize,
    /// The table as written, its header line included.
    pub(crate) text: String,
    /// Whether the file is a site file (its rules apply to its hosts' pages only).
    pub(crate) site_file: bool,
}

impl Definition {
    /// `kind/id`, the name `--explain` prints for the rule.
    pub(crate) fn name(&self) -> String {
        format!("{}/{}", self.kind, self.id)
    }
}

/// Every rule table of `sources`: a file that does not parse is skipped (`rules check`
/// reports it).
pub(crate) fn definitions(sources: &[RuleSource]) -> Vec<Definition> {
    let mut out = Vec::new();
    for src in sources {
        let first = out.len();
        let Ok(doc) = toml_edit::ImDocument::parse(src.text.as_str()) else {
            continue;
        };
        let headers = header_lines(&src.text);
        for (key, item) in doc.iter() {
            let Some(kind) = filters::kind(key).filter(|k| k.configurable) else {
                continue;
            };
            let Some(tables) = item.as_array_of_tables() else {
                continue;
            };
            for table in tables.iter() {
                let Some(id) = table.get("id").and_then(|v| v.as_str()) else {
                    continue;
                };
                let Some(span) = table.span() else { continue };
                let (line, text) = table_text(&src.text, &headers, span.start);
                out.push(Definition {
                    kind: kind.name,
                    id: id.to_string(),
                    file: src.name.clone(),
                    line,
                    text,
                    site_file: matches!(src.scope, super::Scope::Site { .. }),
                });
            }
        }
        // The tables of one file as they stand in it (TOML groups them by kind).
        out[first..].sort_by_key(|d| d.line);
    }
    out
}

/// The byte offsets and 1-based numbers of the lines that open a table (`[x]`, `[[x]]`).
fn header_lines(text: &str) -> Vec<(usize, usize)> {
    let mut at = 0;
    let mut out = Vec::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.trim_start().starts_with('[') {
            out.push((at, i + 1));
        }
        at += line.len();
    }
    out
}

/// The table whose span starts at `start`: from its header line up to the next header,
/// without the blank and comment lines that end it (they introduce the next table).
fn table_text(text: &str, headers: &[(usize, usize)], start: usize) -> (usize, String) {
    let own = headers
        .iter()
        .rposition(|(at, _)| *at <= start)
        .unwrap_or(0);
    let (from, line) = headers.get(own).copied().unwrap_or((0, 1));
    let to = headers.get(own + 1).map_or(text.len(), |(at, _)| *at);
    let mut lines: Vec<&str> = text[from..to].lines().collect();
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        lines.pop();
    }
    (line, lines.join("\n"))
}

/// The rules that `target` names: `kind/id`, or an `id` of any kind.
pub(crate) fn find<'d>(definitions: &'d [Definition], target: &str) -> Vec<&'d Definition> {
    let (kind, id) = match target.split_once('/') {
        Some((kind, id)) => (Some(kind), id),
        None => (None, target),
    };
    definitions
        .iter()
        .filter(|d| d.id == id && kind.is_none_or(|k| k == d.kind))
        .collect()
}

/// Up to three names close to `target` (kinds, `kind/id` and ids), closest first: what
/// an unknown name may have meant (a few letters wrong, left out, added or swapped).
pub(crate) fn suggestions(definitions: &[Definition], target: &str) -> Vec<String> {
    let mut names: Vec<String> = filters::KINDS.iter().map(|k| k.name.to_string()).collect();
    let with_kind = target.contains('/');
    names.extend(
        definitions
            .iter()
            .map(|d| if with_kind { d.name() } else { d.id.clone() }),
    );
    names.sort();
    names.dedup();
    let most = (target.chars().count() / 4).max(1);
    let mut scored: Vec<(usize, String)> = names
        .into_iter()
        .map(|n| (strsim::osa_distance(target, &n), n))
        .filter(|(distance, _)| *distance <= most)
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Scope;

    fn source(name: &str, text: &str) -> RuleSource {
        RuleSource {
            name: name.into(),
            text: text.into(),
            scope: Scope::Global,
        }
    }

    const RULES: &str = "# widgets\n[[drop-lines]]\nid = \"audio\"\nphrases = [\"Play\"]\n\n\
# the tail\n[[cut-at-marker]]\nid = \"related\"\nphrases = [\"Related\"]\n\n[[drop-lines]]\n\
id = \"related\"\nphrases = [\"Related:\"]\n";

    #[test]
    fn a_rule_is_found_by_kind_and_id_with_its_line_and_text() {
        let defs = definitions(&[source("a.toml", RULES)]);
        let found = find(&defs, "cut-at-marker/related");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 7);
        assert_eq!(
            found[0].text,
            "[[cut-at-marker]]\nid = \"related\"\nphrases = [\"Related\"]"
        );
        // An id alone finds it in every kind.
        let names: Vec<String> = find(&defs, "related").iter().map(|d| d.name()).collect();
        assert_eq!(names, ["cut-at-marker/related", "drop-lines/related"]);
        assert_eq!(find(&defs, "drop-lines/audio")[0].line, 2);
        assert!(find(&defs, "normalize/related").is_empty());
    }

    #[test]
    fn every_file_defining_it_is_listed_in_load_order() {
        let defs = definitions(&[
            source("a.toml", RULES),
            source(
                "b.toml",
                "[[drop-lines]]\nid = \"audio\"\nphrases = [\"Pause\"]\n",
            ),
        ]);
        let files: Vec<&str> = find(&defs, "audio").iter().map(|d| &*d.file).collect();
        assert_eq!(files, ["a.toml", "b.toml"]);
    }

    #[test]
    fn a_near_miss_is_suggested() {
        let defs = definitions(&[source("a.toml", RULES)]);
        assert_eq!(suggestions(&defs, "drop-line"), ["drop-lines"]);
        assert_eq!(
            suggestions(&defs, "cut-at-marker/relatd"),
            ["cut-at-marker/related"]
        );
        assert!(suggestions(&defs, "zzz").is_empty());
    }
}
