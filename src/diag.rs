//! Rule-file diagnostics: a problem at a byte span, turned into `file:line:column`.

use std::fmt;
use std::ops::Range;

/// One problem found in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The file as the user named it (`rules/sites/example.com.toml`, or `<embedded>/default.toml`).
    pub file: String,
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in characters) of the problem.
    pub column: usize,
    /// What is wrong, starting lowercase, quoting the bad value.
    pub message: String,
    /// The source line the problem is on, for the caret display.
    pub source_line: String,
    /// How many characters the caret underline spans.
    pub width: usize,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if !self.source_line.is_empty() {
            let gutter = self.line.to_string().len();
            write!(
                f,
                "\n{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
                "",
                self.line,
                self.source_line,
                "",
                " ".repeat(self.column.saturating_sub(1)),
                "^".repeat(self.width.max(1)),
            )?;
        }
        Ok(())
    }
}

/// Every problem found while loading rule files; nothing is cleaned while there is one.
#[derive(Debug, Clone, Default, thiserror::Error)]
pub struct RuleErrors {
    /// The problems, in file order.
    pub errors: Vec<RuleError>,
}

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

/// Collects the problems of one file as byte spans, converted to lines and columns at the end.
pub(crate) struct Diag<'a> {
    file: &'a str,
    text: &'a str,
    pub(crate) errors: Vec<RuleError>,
    /// Byte offsets of the line starts, found at the first error: a file with many
    /// problems is scanned once, not once per problem.
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> Diag<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Diag {
            file,
            text,
            errors: Vec::new(),
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// Records a problem at `span` (a byte range of the file); `None` points at the file start.
    pub(crate) fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let span = span.unwrap_or(0..0);
        let start = span.start.min(self.text.len());
        let end = span.end.clamp(start, self.text.len());
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|p| p + 1))
                .collect()
        });
        // The line holding `start`: the last line start at or before it.
        let line = starts.partition_point(|&s| s <= start).max(1);
        let line_start = starts.get(line - 1).copied().unwrap_or(0);
        let line_end = starts
            .get(line)
            .map_or(self.text.len(), |&next| next - 1)
            .max(start);
        let column = self
            .text
            .get(line_start..start)
            .map_or(1, |s| s.chars().count() + 1);
        let width = self
            .text
            .get(start..end.min(line_end))
            .map_or(1, |s| s.chars().count());
        self.errors.push(RuleError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
            source_line: self.text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
            width,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_become_lines_and_columns() {
        let text = "a = 1\nid = \"Bad Id\"\n";
        let mut d = Diag::new("x.toml", text);
        let start = text.find("\"Bad").unwrap_or(0);
        d.error(Some(start..start + 8), "bad id");
        let e = &d.errors[0];
        assert_eq!((e.line, e.column, e.width), (2, 6, 8));
        assert_eq!(e.source_line, "id = \"Bad Id\"");
        let shown = e.to_string();
        assert!(shown.starts_with("x.toml:2:6: bad id"), "{shown}");
        assert!(shown.contains("     ^^^^^^^^"), "{shown}");
    }
}
