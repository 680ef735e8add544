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

use crate::diag::Diag;
use crate::spec::{self, Anchor};

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

/// Where the body starts, borrowed from the text: the rest of a line whose start was
/// header, if any, then the text from the first whole body line on.
struct BodyStart<'t> {
    /// The 1-based number of the first body line (the rest of a line, or a whole line).
    number: usize,
    /// The rest of the line whose start was header.
    rest: Option<&'t str>,
    /// The text from the first whole body line on (after `rest`'s line when there is one).
    after: &'t str,
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
        self.find_header(text).0
    }

    /// Splits `text` into header lines and numbered body lines; `\r\n`, `\n` and a lone
    /// `\r` all end a line ([`crate::text::lines`]). The body is borrowed from `text`:
    /// nothing is copied or collected per line until the caller does.
    pub(crate) fn split<'t>(&self, text: &'t str) -> Split<'t> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (header, start) = self.find_header(text);
        Split {
            header,
            first: start.number,
            rest: start.rest,
            after: start.after,
        }
    }

    /// Splits an HTML page's text into header lines and the markup after them, borrowed
    /// from `text` (pages are large: the markup is not copied line by line).
    pub(crate) fn split_markup<'t>(&self, text: &'t str) -> (Vec<String>, Cow<'t, str>) {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (header, start) = self.find_header(text);
        let markup = match start.rest {
            None => Cow::Borrowed(start.after),
            Some(rest) => Cow::Owned(format!("{rest}\n{}", start.after)),
        };
        (header, markup)
    }

    /// The header lines at the top of `text`, and where the body starts. Only the lines
    /// looked at are visited, one at a time: nothing is allocated per line of the body.
    fn find_header<'t>(&self, text: &'t str) -> (Vec<String>, BodyStart<'t>) {
        // The text from line `at` on (`at` yields that line next); "" past the end.
        let from = |at: &crate::text::Lines<'t>| at.rest();
        // Skips blank lines from `at` on; how many.
        let skip_blank = |at: &mut crate::text::Lines<'t>| {
            let mut n = 0;
            let mut probe = at.clone();
            while probe.next().is_some_and(|l| l.trim().is_empty()) {
                at.next();
                n += 1;
            }
            n
        };
        let mut header = Vec::new();
        let mut at = crate::text::lines(text);
        let mut k = skip_blank(&mut at);

        if self.front_matter && at.clone().next().is_some_and(|l| l.trim_end() == "---") {
            let end = at
                .clone()
                .skip(1)
                .take(MAX_FRONT_MATTER_LINES)
                .position(|l| matches!(l.trim_end(), "---" | "..."));
            if let Some(end) = end {
                header.extend(at.by_ref().take(end + 2).map(|l| l.trim_end().to_string()));
                k += end + 2;
            }
        }

        let mut taken = 0;
        while taken < self.max_lines {
            let Some(raw) = at.clone().next() else { break };
            let line = raw.trim();
            if line.is_empty() {
                // A blank line inside the header is allowed when a header line follows it.
                let mut next = at.clone();
                let blanks = skip_blank(&mut next);
                match next.clone().next() {
                    Some(n) if self.match_len(n.trim()).is_some() => {
                        at = next;
                        k += blanks;
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
            at.next();
            let rest = rest.trim();
            if !rest.is_empty() {
                let start = BodyStart {
                    number: k + 1,
                    rest: Some(rest),
                    after: from(&at),
                };
                return (header, start);
            }
            k += 1;
        }
        let start = BodyStart {
            number: k + 1,
            rest: None,
            after: from(&at),
        };
        (header, start)
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
pub(crate) struct Split<'t> {
    /// Header lines, trimmed, in order.
    pub header: Vec<String>,
    /// The 1-based input line number of the first body line.
    first: usize,
    /// The rest of the line whose start was header, the first body line when there is one.
    rest: Option<&'t str>,
    /// The body text from its first whole line on.
    after: &'t str,
}

impl<'t> Split<'t> {
    /// The body lines with their 1-based input line numbers, borrowed from the text.
    pub(crate) fn body(&self) -> impl Iterator<Item = (usize, &'t str)> + use<'t> {
        let first = self.first;
        let whole = first + usize::from(self.rest.is_some());
        self.rest.map(|r| (first, r)).into_iter().chain(
            crate::text::lines(self.after)
                .enumerate()
                .map(move |(i, l)| (whole + i, l)),
        )
    }

    /// How many body lines there are, counted without collecting them.
    pub(crate) fn body_len(&self) -> usize {
        usize::from(self.rest.is_some()) + crate::text::lines(self.after).count()
    }
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
        assert_eq!(s.body().nth(1), Some((4, "First line.")));
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
        let body: Vec<_> = s.body().collect();
        assert_eq!(body, [(1, "Kyiv said on Sunday."), (2, ""), (3, "More.")]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let lf = "url: https://example.com/a\nsource: Example\n\nFirst line.\nSecond.\n";
        for text in [lf.replace('\n', "\r"), lf.replace('\n', "\r\n")] {
            let (s, want) = (rules().split(&text), rules().split(lf));
            let (body, want_body): (Vec<_>, Vec<_>) = (s.body().collect(), want.body().collect());
            assert_eq!((&s.header, body), (&want.header, want_body), "{text:?}");
        }
        let (header, markup) = rules().split_markup("url: https://example.com/a\r<p>Hi</p>\r");
        assert_eq!(header, ["url: https://example.com/a"]);
        assert_eq!(markup, "<p>Hi</p>\r");
    }

    #[test]
    fn front_matter_is_kept_whole() {
        let s = rules().split("---\ntitle: A\ntags: [x]\n---\nBody.");
        assert_eq!(s.header, ["---", "title: A", "tags: [x]", "---"]);
        assert_eq!(s.body().collect::<Vec<_>>(), [(5, "Body.")]);
    }

    #[test]
    fn no_header_leaves_body_untouched() {
        let s = rules().split("Dateline: no header here.\nText.");
        assert!(s.header.is_empty());
        assert_eq!(s.body_len(), 2);
        assert_eq!(s.body().count(), 2);
    }

    #[test]
    fn blank_lines_around_the_header_are_walked_not_collected() {
        let text = format!(
            "{}url: https://a.example/x\n{}date: 2025-03-09\n\nBody.\n{}End.\n",
            "\n".repeat(1000),
            "\n".repeat(1000),
            "\n".repeat(5000)
        );
        let s = rules().split(&text);
        assert_eq!(s.header, ["url: https://a.example/x", "date: 2025-03-09"]);
        let body: Vec<_> = s.body().filter(|(_, l)| !l.is_empty()).collect();
        assert_eq!(body, [(2004, "Body."), (7005, "End.")]);
        assert_eq!(s.body_len(), 5003);
        assert_eq!(rules().header_of(&text), s.header);
    }

    #[test]
    fn unclosed_front_matter_is_not_a_header() {
        let s = rules().split("---\nA horizontal rule, then text.");
        assert!(s.header.is_empty());
    }
}
