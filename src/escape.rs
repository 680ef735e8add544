//! Names from outside (file names, URIs) made safe to print in a message: one line, exactly
//! what the name is.
//!
//! A file name may hold a newline, an escape sequence or a byte that is not UTF-8. Printed
//! raw, the first forges a line of the report (`scrape/a\nb.txt: skipped` reads as a file
//! `b.txt`), the second drives the terminal, the third is lost in a replacement character.
//! Every message that prints a path or a URI goes through [`path`] or [`text`]:
//!
//! - control characters are escaped: `\n`, `\r`, `\t`, the others as `\x1b` or `\u{85}`;
//! - so are the characters that reorder or break text in a terminal: the bidirectional
//!   controls (`U+202E`, …) and the line and paragraph separators (`U+2028`, `U+2029`);
//! - a byte that is not part of valid UTF-8 is shown as `\xNN` (on Unix, where names are
//!   bytes), so two different names never print alike;
//! - for the same reason a backslash is doubled on Unix (`a\\nb` is the name with a
//!   backslash, `a\nb` the one with a newline); on Windows it is the path separator and
//!   stays as it is.
//!
//! So `scrape/a` + newline + `b.txt` prints as `scrape/a\nb.txt`, `scrape/café.txt` as it
//! is, and a URI holding an escape sequence as `https://x.example/\x1b[2J`.

use std::fmt::{self, Write as _};
use std::path::Path;

/// A path shown escaped: on one line, exactly what the name is ([`path`]).
#[derive(Debug, Clone, Copy)]
pub struct EscapedPath<'a>(&'a Path);

/// A text (a URI, a host) shown escaped: on one line, exactly what it is ([`text`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct EscapedText<'a>(&'a str);

/// `path`, to print in a message.
pub fn path(path: &Path) -> EscapedPath<'_> {
    EscapedPath(path)
}

/// `text`, to print in a message.
pub(crate) fn text(text: &str) -> EscapedText<'_> {
    EscapedText(text)
}

impl fmt::Display for EscapedPath<'_> {
    #[cfg(unix)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use std::os::unix::ffi::OsStrExt as _;
        write_bytes(f, self.0.as_os_str().as_bytes())
    }

    #[cfg(not(unix))]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_str(f, &self.0.to_string_lossy())
    }
}

impl fmt::Display for EscapedText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_str(f, self.0)
    }
}

/// Writes `bytes` as UTF-8 text, escaped, each invalid byte as `\xNN`.
#[cfg_attr(not(unix), allow(dead_code))]
fn write_bytes(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for chunk in bytes.utf8_chunks() {
        write_str(f, chunk.valid())?;
        for b in chunk.invalid() {
            write!(f, "\\x{b:02x}")?;
        }
    }
    Ok(())
}

/// Writes `s` with every character [`needs_escape`] escaped.
fn write_str(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    if !s.chars().any(needs_escape) {
        return f.write_str(s);
    }
    for c in s.chars() {
        match c {
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            '\\' => f.write_str("\\\\")?,
            c if (c as u32) < 0x100 && needs_escape(c) => write!(f, "\\x{:02x}", c as u32)?,
            c if needs_escape(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    Ok(())
}

/// Whether `c` is escaped: a control character, a bidirectional control, a line or
/// paragraph separator, and (on Unix) the backslash that starts an escape.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
        || (cfg!(unix) && c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_of_the_module_docs_hold() {
        assert_eq!(
            path(Path::new("scrape/a\nb.txt")).to_string(),
            "scrape/a\\nb.txt"
        );
        assert_eq!(
            path(Path::new("scrape/café.txt")).to_string(),
            "scrape/café.txt"
        );
        assert_eq!(
            text("https://x.example/\u{1b}[2J").to_string(),
            "https://x.example/\\x1b[2J"
        );
    }

    #[test]
    fn names_print_on_one_line_as_they_are() {
        let cases = [
            ("page.txt", "page.txt"),
            ("scrape/café/ニュース.html", "scrape/café/ニュース.html"),
            ("a\nb.txt", "a\\nb.txt"),
            ("a\r\tb", "a\\r\\tb"),
            ("\u{1b}[31mred", "\\x1b[31mred"),
            ("next\u{85}line", "next\\x85line"),
            ("evil\u{202e}txt.exe", "evil\\u{202e}txt.exe"),
            ("line\u{2028}sep", "line\\u{2028}sep"),
            ("del\u{7f}", "del\\x7f"),
        ];
        for (name, shown) in cases {
            assert_eq!(text(name).to_string(), shown, "{name:?}");
            assert_eq!(path(Path::new(name)).to_string(), shown, "{name:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn invalid_bytes_and_backslashes_are_shown_losslessly() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt as _;
        let name = OsStr::from_bytes(b"caf\xe9/\xff\xfe.txt");
        assert_eq!(path(Path::new(name)).to_string(), "caf\\xe9/\\xff\\xfe.txt");
        // A name holding the four characters `\xe9` is not the name holding the byte.
        assert_eq!(path(Path::new("caf\\xe9")).to_string(), "caf\\\\xe9");
        assert_eq!(path(Path::new("a\\nb")).to_string(), "a\\\\nb");
    }
}
