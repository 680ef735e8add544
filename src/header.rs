//! The provenance header: recognised at the top of a scrape, split off, kept verbatim.
//!
//! A scrape often starts with lines saying where the page came from: `url: …`,
//! `source: …`, `date 2025-03-09`, YAML front matter between `---` lines, `WARC-*:`
//! header lines. They are recognised by the `[[header-line]]` patterns of the rule files,
//! removed from the body before any filter runs, and written first, unchanged but for
//! surrounding whitespace. When a header shares its line with article text
//! (`date 2025-03-09 Russia on Sunday announced …`), the pattern's match is the header and
//! the rest of the line becomes the first body line.

use std::borrow::Cow;

use regex::Regex;
use serde::Deserialize;
use serde_spanned::Spanned;

use crate::rules::diag::Diag;
use crate::rules::spec::{self, Anchor};

/// A `[[header-line]]` table: one pattern that recognises a header line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct LineSpec {
    /// Stable id.
    pub id: Spanned<String>,
    /// A regex matched at the start of the line (after leading whitespace), case-insensitive.
    /// What it matches is the header; the rest of the line, if any, is body text.
    pub pattern: Spanned<String>,
}

/// The `[header]` table: options of header recognition.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct OptionsSpec {
    /// Recognise YAML front matter (a first line `---`, up to the next `---` or `...`).
    #[serde(default)]
    pub front_matter: Option<bool>,
    /// Most lines a header (front matter excepted) may have (default 40).
    #[serde(default)]
    pub max_lines: Option<Spanned<usize>>,
    /// HTML pages without a header of their own: the metadata fields written into the
    /// header, in order (default url, title, date, author, site).
    #[serde(default)]
    pub html_fields: Option<Vec<Spanned<String>>>,
    /// HTML pages: how each field is written; `{key}` and `{value}` are replaced
    /// (default `"{key}: {value}"`).
    #[serde(default)]
    pub html_format: Option<Spanned<String>>,
}

/// The metadata fields an HTML page's header can carry.
pub(crate) const HTML_FIELDS: [&str; 5] = ["url", "title", "date", "author", "site"];

/// Where the body starts: at a line, or with the rest of a line whose start was header.
enum BodyStart<'l> {
    Line(usize),
    Rest(usize, &'l str),
}

/// Longest front matter block looked for, in lines.
const MAX_FRONT_MATTER_LINES: usize = 500;

/// Compiled header recognition.
#[derive(Debug, Clone)]
pub(crate) struct HeaderRules {
    front_matter: bool,
    max_lines: usize,
    lines: Vec<(String, Regex)>,
    html_fields: Vec<&'static str>,
    html_format: String,
}

impl Default for HeaderRules {
    fn default() -> Self {
        HeaderRules {
            front_matter: false,
            max_lines: 40,
            lines: Vec::new(),
            html_fields: HTML_FIELDS.to_vec(),
            html_format: "{key}: {value}".into(),
        }
    }
}

impl HeaderRules {
    /// Applies a `[header]` table on top of the current options.
    pub(crate) fn set_options(&mut self, spec: OptionsSpec, diag: &mut Diag) {
        if let Some(f) = spec.front_matter {
            self.front_matter = f;
        }
        if let Some(m) = spec.max_lines {
            self.max_lines = spec::check_range(&m, "max-lines", 1, 10_000, diag);
        }
        if let Some(fields) = spec.html_fields {
            let mut known = Vec::new();
            for f in &fields {
                match HTML_FIELDS.iter().find(|k| **k == f.get_ref().as_str()) {
                    Some(k) => known.push(*k),
                    None => diag.error(
                        Some(f.span()),
                        format!(
                            "unknown HTML header field {:?} (known: {})",
                            f.get_ref(),
                            HTML_FIELDS.join(", ")
                        ),
                    ),
                }
            }
            self.html_fields = known;
        }
        if let Some(format) = spec.html_format {
            if format.get_ref().contains("{value}") {
                self.html_format = format.into_inner();
            } else {
                diag.error(
                    Some(format.span()),
                    "html-format must contain {value} (and may contain {key})",
                );
            }
        }
    }

    /// Header lines for an HTML page's metadata, in the configured fields and format;
    /// `value` gives a field's value, if the page has one.
    pub(crate) fn html_header<'a>(&self, value: impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
        self.html_fields
            .iter()
            .filter_map(|key| {
                let v = value(key)?;
                Some(self.html_format.replace("{key}", key).replace("{value}", v))
            })
            .collect()
    }

    /// Compiles a `[[header-line]]` rule, returning its id and regex.
    pub(crate) fn compile_line(spec: LineSpec, diag: &mut Diag) -> Option<(String, Regex)> {
        let pattern = Spanned::new(
            spec.pattern.span(),
            format!("^(?:{})", spec.pattern.get_ref()),
        );
        let re = spec::compile_one(&pattern, Anchor::Search, diag)?;
        if re.is_match("") {
            diag.error(
                Some(spec.pattern.span()),
                format!("pattern {:?} matches an empty line", spec.pattern.get_ref()),
            );
            return None;
        }
        Some((spec.id.into_inner(), re))
    }

    /// Adds or replaces (by id) a header-line rule.
    pub(crate) fn add_line(&mut self, id: String, re: Regex) {
        match self.lines.iter_mut().find(|(i, _)| *i == id) {
            Some(slot) => slot.1 = re,
            None => self.lines.push((id, re)),
        }
    }

    /// Removes a header-line rule by id; whether it existed.
    pub(crate) fn disable(&mut self, id: &str) -> bool {
        let before = self.lines.len();
        self.lines.retain(|(i, _)| i != id);
        before != self.lines.len()
    }

    /// Ids of the header-line rules.
    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(|(i, _)| i.as_str())
    }

    /// The header lines of a plain-text document alone, as [`HeaderRules::split`] finds
    /// them, without copying the body.
    pub(crate) fn header_of(&self, text: &str) -> Vec<String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = crate::text::lines(text).collect();
        self.find_header(&lines).0
    }

    /// Splits `text` into header lines and numbered body lines; `\r\n`, `\n` and a lone
    /// `\r` all end a line ([`crate::text::lines`]).
    pub(crate) fn split(&self, text: &str) -> Split {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = crate::text::lines(text).collect();
        let (header, start) = self.find_header(&lines);
        let numbered = |from: usize| {
            lines
                .iter()
                .enumerate()
                .skip(from)
                .map(|(i, l)| (i + 1, (*l).to_string()))
        };
        let body = match start {
            BodyStart::Line(k) => numbered(k).collect(),
            BodyStart::Rest(k, rest) => std::iter::once((k + 1, rest.to_string()))
                .chain(numbered(k + 1))
                .collect(),
        };
        Split { header, body }
    }

    /// Splits an HTML page's text into header lines and the markup after them, borrowed
    /// from `text` (pages are large: the markup is not copied line by line).
    pub(crate) fn split_markup<'t>(&self, text: &'t str) -> (Vec<String>, Cow<'t, str>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = crate::text::lines(text).collect();
        let (header, start) = self.find_header(&lines);
        // Byte offset of line `k` in `text` (the lines are slices of it).
        let offset = |k: usize| {
            lines.get(k).map_or(text.len(), |l| {
                (l.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
            })
        };
        let markup = match start {
            BodyStart::Line(k) => Cow::Borrowed(text.get(offset(k)..).unwrap_or("")),
            BodyStart::Rest(k, rest) => {
                let after = text.get(offset(k + 1)..).unwrap_or("");
                Cow::Owned(format!("{rest}\n{after}"))
            }
        };
        (header, markup)
    }

    /// The header lines at the top of `lines`, and where the body starts.
    fn find_header<'l>(&self, lines: &[&'l str]) -> (Vec<String>, BodyStart<'l>) {
        let mut header = Vec::new();
        let mut k = lines
            .iter()
            .position(|l| !l.trim().is_empty())
            .unwrap_or(lines.len());

        if self.front_matter && lines.get(k).is_some_and(|l| l.trim_end() == "---") {
            let end = lines
                .iter()
                .enumerate()
                .skip(k + 1)
                .take(MAX_FRONT_MATTER_LINES)
                .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))
                .map(|(i, _)| i);
            if let Some(end) = end {
                header.extend(lines[k..=end].iter().map(|l| l.trim_end().to_string()));
                k = end + 1;
            }
        }

        let mut taken = 0;
        while k < lines.len() && taken < self.max_lines {
            let line = lines[k].trim();
            if line.is_empty() {
                // A blank line inside the header is allowed when a header line follows it.
                let next = lines[k..]
                    .iter()
                    .position(|l| !l.trim().is_empty())
                    .map(|p| k + p);
                match next {
                    Some(n) if self.match_len(lines[n].trim()).is_some() => {
                        k = n;
                        continue;
                    }
                    _ => break,
                }
            }
            let Some(len) = self.match_len(line) else {
                break;
            };
            let (head, rest) = line.split_at(len);
            header.push(head.trim_end().to_string());
            taken += 1;
            let rest = rest.trim();
            if !rest.is_empty() {
                return (header, BodyStart::Rest(k, rest));
            }
            k += 1;
        }
        (header, BodyStart::Line(k))
    }

    /// Length in bytes of the header part at the start of `line`, if any rule matches it.
    fn match_len(&self, line: &str) -> Option<usize> {
        self.lines
            .iter()
            .filter_map(|(_, re)| re.find(line))
            .map(|m| m.end())
            .filter(|&n| n > 0)
            .max()
    }
}

/// A document split into its provenance header and its body lines.
#[derive(Debug, Clone, Default)]
pub(crate) struct Split {
    /// Header lines, trimmed, in order.
    pub header: Vec<String>,
    /// Body lines with their 1-based input line numbers.
    pub body: Vec<(usize, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> HeaderRules {
        let mut h = HeaderRules {
            front_matter: true,
            ..HeaderRules::default()
        };
        for (id, p) in [
            ("key-colon", r"(?:url|source|date|datum)\s*:.*"),
            ("key-date", r"(?:date|published)\s+\d{4}-\d{2}-\d{2}"),
            ("warc", r"WARC-[a-z-]+:.*"),
        ] {
            h.add_line(
                id.into(),
                regex::RegexBuilder::new(&format!("^(?:{p})"))
                    .case_insensitive(true)
                    .build()
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        }
        h
    }

    #[test]
    fn the_header_alone_is_the_header_of_the_split() {
        let h = rules();
        for text in [
            "url: https://a.example/x\n\ndate: 2025-03-09\nBody line.\n",
            "---\ntitle: A\n---\nsource: https://b.example\nBody.\n",
            " date 2025-03-09 Russia said on Sunday...\nMore.\n",
            "\u{feff}\n\nNo header here.\n",
            "",
        ] {
            assert_eq!(h.header_of(text), h.split(text).header, "{text:?}");
        }
    }

    #[test]
    fn splits_key_lines() {
        let s =
            rules().split("url: https://example.com/a\nsource: Example\n\nFirst line.\nSecond.");
        assert_eq!(s.header, ["url: https://example.com/a", "source: Example"]);
        assert_eq!(s.body[1], (4, "First line.".to_string()));
    }

    #[test]
    fn markup_after_the_header_is_borrowed_as_it_is() {
        let page = "\u{feff}url: https://example.com/a\n\n<!doctype html>\r\n<p>Hi</p>\n";
        let (header, markup) = rules().split_markup(page);
        assert_eq!(header, ["url: https://example.com/a"]);
        assert_eq!(markup, "\n<!doctype html>\r\n<p>Hi</p>\n");
        assert!(matches!(markup, Cow::Borrowed(_)));

        let (header, markup) = rules().split_markup("<html><p>No header</p></html>");
        assert!(header.is_empty());
        assert_eq!(markup, "<html><p>No header</p></html>");

        let (header, markup) = rules().split_markup("date 2025-03-09 <html>\n<p>x</p>");
        assert_eq!(header, ["date 2025-03-09"]);
        assert_eq!(markup, "<html>\n<p>x</p>");
    }

    #[test]
    fn header_sharing_its_line_with_text_is_split() {
        let s = rules().split(" date 2025-03-09 Kyiv said on Sunday.\n\nMore.");
        assert_eq!(s.header, ["date 2025-03-09"]);
        assert_eq!(s.body[0], (1, "Kyiv said on Sunday.".to_string()));
        assert_eq!(s.body[2], (3, "More.".to_string()));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let lf = "url: https://example.com/a\nsource: Example\n\nFirst line.\nSecond.\n";
        for text in [lf.replace('\n', "\r"), lf.replace('\n', "\r\n")] {
            let (s, want) = (rules().split(&text), rules().split(lf));
            assert_eq!((s.header, s.body), (want.header, want.body), "{text:?}");
        }
        let (header, markup) = rules().split_markup("url: https://example.com/a\r<p>Hi</p>\r");
        assert_eq!(header, ["url: https://example.com/a"]);
        assert_eq!(markup, "<p>Hi</p>\r");
    }

    #[test]
    fn front_matter_is_kept_whole() {
        let s = rules().split("---\ntitle: A\ntags: [x]\n---\nBody.");
        assert_eq!(s.header, ["---", "title: A", "tags: [x]", "---"]);
        assert_eq!(s.body, [(5, "Body.".to_string())]);
    }

    #[test]
    fn no_header_leaves_body_untouched() {
        let s = rules().split("Dateline: no header here.\nText.");
        assert!(s.header.is_empty());
        assert_eq!(s.body.len(), 2);
    }

    #[test]
    fn unclosed_front_matter_is_not_a_header() {
        let s = rules().split("---\nA horizontal rule, then text.");
        assert!(s.header.is_empty());
    }
}
