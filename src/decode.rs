//! Bytes to text: the first step of cleaning a page. From a document's bytes, what its
//! file name says (`page.html`, `page.html.gz`) and what its transport declared (a WARC
//! record's HTTP `Content-Type`: media type and charset), [`decode`] finds
//!
//! - whether it is **binary** (a NUL byte in its first [`BINARY_CHECK_BYTES`] bytes): a
//!   [`DecodeError`], never cleaned;
//! - its **kind** ([`Kind`]): HTML by its declared media type, else by its file extension
//!   (`.gz` stripped), else by its first bytes (`<!doctype html`, `<html`); plain text
//!   otherwise;
//! - its **encoding** ([`EncodingUsed`]): for HTML, in the order browsers follow (a
//!   byte-order mark, the transport's charset, the page's `<meta>` declaration, valid or
//!   mostly valid UTF-8, detection); for plain text, its byte-order mark, the transport's
//!   charset, else valid or mostly valid UTF-8, else detection. It also tells how the
//!   encoding was found and how many invalid bytes were replaced, which `--explain`
//!   prints as `# encoding: …`;
//! - and its **text**, decoded to UTF-8.
//!
//! What a declared charset label means, and the `<meta>` prescan, are the `charset` module's.

use std::borrow::Cow;
use std::path::Path;

use encoding_rs::Encoding;

pub use crate::charset::EncodingSource;

/// How many bytes at the start of a file are checked for NUL bytes (a binary file). (The
/// documentation of `DecodeError::Binary` gives the number.)
pub(crate) const BINARY_CHECK_BYTES: usize = 8192;

/// How far into a page the `<meta>` declaration of its encoding is looked for. The HTML
/// Standard suggests 1,024 bytes; browsers also honour a declaration found later, while
/// parsing the head, and pages with long heads put it further down.
pub(crate) const PRESCAN_BYTES: usize = 4096;

/// What a document is: plain text (a scraper's text dump) or an HTML page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text: a provenance header, then the body's lines.
    Text,
    /// An HTML page, parsed and rendered to lines before the text filters.
    Html,
}

/// What is known of a document's bytes before they are decoded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// The file the bytes were read from, if any: an `.html`, `.htm` or `.xhtml` name (a
    /// `.gz` after it stripped, the bytes being the decompressed ones) makes it HTML.
    pub name: Option<&'a Path>,
    /// The kind its transport declared (a WARC record's media type: `text/html` is HTML,
    /// `text/plain` text); it is then not guessed from the name or the bytes.
    pub kind: Option<Kind>,
    /// The charset its transport declared (an HTTP `Content-Type: …; charset=…`): it comes
    /// after a byte-order mark and before anything the page itself declares. It is taken as
    /// browsers take a declaration: UTF-16 means UTF-8, `x-user-defined` windows-1252, and
    /// the replacement encoding is no declaration.
    pub charset: Option<&'static Encoding>,
}

/// Why bytes were not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A NUL byte in the first 8192 bytes: a binary file, not a page.
    #[error("binary (NUL byte at offset {offset})")]
    Binary {
        /// The offset of the first NUL byte.
        offset: usize,
    },
}

/// The encoding a document was decoded from, how it was found, and how many invalid bytes
/// were replaced with U+FFFD. Displayed as `--explain` tells it: `windows-1252 (detected)`,
/// `UTF-8 (none declared, the bytes are mostly valid UTF-8; 1 invalid byte replaced)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingUsed {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// How it was found.
    pub source: EncodingSource,
    /// How many bytes were not valid in it (counted for UTF-8; 0 for other encodings).
    pub invalid_bytes: usize,
}

impl std::fmt::Display for EncodingUsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (name, source) = (self.encoding.name(), self.source);
        match self.invalid_bytes {
            0 => write!(f, "{name} ({source})"),
            1 => write!(f, "{name} ({source}; 1 invalid byte replaced)"),
            n => write!(f, "{name} ({source}; {n} invalid bytes replaced)"),
        }
    }
}

/// A document decoded: its text, its kind and the encoding it was decoded from.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The text, in UTF-8 (borrowed when the bytes were valid UTF-8 as they are).
    pub text: Cow<'a, str>,
    /// Plain text or HTML.
    pub kind: Kind,
    /// The encoding, how it was found, and how many invalid bytes were replaced.
    pub encoding: EncodingUsed,
}

/// Decodes a document's bytes: refuses a binary one, finds its kind and encoding, and
/// decodes it to UTF-8 (see the module docs for the order each is found in).
pub fn decode<'a>(bytes: &'a [u8], hints: &Hints<'_>) -> Result<Decoded<'a>, DecodeError> {
    if let Some(offset) = binary_offset(bytes) {
        return Err(DecodeError::Binary { offset });
    }
    let kind = hints.kind.unwrap_or_else(|| kind_of(hints.name, bytes));
    let charset = hints.charset.and_then(crate::charset::declared);
    let (text, encoding) = match kind {
        Kind::Html => decode_html(bytes, charset),
        Kind::Text => decode_text(bytes, charset),
    };
    Ok(Decoded {
        text,
        kind,
        encoding,
    })
}

/// The kind of a document by its file name (`.gz` stripped), else by its first bytes.
pub(crate) fn kind_of(name: Option<&Path>, bytes: &[u8]) -> Kind {
    let name = name.map(strip_gz);
    if is_html(name.as_deref(), bytes) {
        Kind::Html
    } else {
        Kind::Text
    }
}

/// The offset of the first NUL byte in the first [`BINARY_CHECK_BYTES`] bytes, if any: a
/// binary file. Text behind a UTF-16 byte-order mark is not binary.
pub(crate) fn binary_offset(bytes: &[u8]) -> Option<usize> {
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return None;
    }
    let head = bytes.get(..BINARY_CHECK_BYTES).unwrap_or(bytes);
    head.iter().position(|&b| b == 0)
}

/// Whether a file name ends in `.gz` (any case).
pub(crate) fn has_gz_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// The name a `.gz` file has once decompressed (`page.html.gz` → `page.html`); other
/// names as they are.
pub(crate) fn strip_gz(path: &Path) -> Cow<'_, Path> {
    if has_gz_extension(path) {
        Cow::Owned(path.with_extension(""))
    } else {
        Cow::Borrowed(path)
    }
}

/// Whether a document is HTML: by its file extension, else by its first bytes.
pub(crate) fn is_html(path: Option<&Path>, bytes: &[u8]) -> bool {
    path.is_some_and(has_html_extension) || sniff(bytes)
}

/// Whether a file name ends in `.html`, `.htm` or `.xhtml` (any case).
pub(crate) fn has_html_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["html", "htm", "xhtml"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// `<!doctype html` or `<html` at the start, after a BOM, whitespace and comments.
fn sniff(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut t = text.trim_start();
    while let Some(rest) = t.strip_prefix("<!--") {
        t = rest
            .split_once("-->")
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    t.starts_with("<!doctype html")
        || t.starts_with("<html")
        || t.starts_with("<?xml") && text.contains("<html")
}

/// The encoding of HTML bytes in the order browsers follow: the byte-order mark, then the
/// charset the HTTP response declared (`Content-Type: text/html; charset=…`), if any, then
/// the page's `<meta>` declaration in its first [`PRESCAN_BYTES`] bytes (found as the
/// HTML Standard's prescan finds it: a `<script charset>` is not the page's), then valid
/// or mostly valid UTF-8 ([`EncodingSource::MostlyUtf8`]), then detection. A declared
/// UTF-16 (without a UTF-16 byte-order mark) is UTF-8 and `x-user-defined`
/// windows-1252, as the HTML Standard says; a label of the replacement encoding is no
/// declaration.
pub(crate) fn sniff_encoding_with_charset(
    bytes: &[u8],
    http_charset: Option<&'static Encoding>,
) -> (&'static Encoding, EncodingSource) {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return (encoding, EncodingSource::ByteOrderMark);
    }
    // The HTTP charset comes mapped as a declaration (`warc::http::content_type`).
    if let Some(encoding) = http_charset {
        return (encoding, EncodingSource::Http);
    }
    let head = bytes.get(..PRESCAN_BYTES).unwrap_or(bytes);
    if let Some(encoding) = crate::charset::prescan(head) {
        return (encoding, EncodingSource::Declared);
    }
    crate::charset::undeclared(bytes)
}

/// Decodes HTML bytes to UTF-8 in the encoding [`sniff_encoding_with_charset`] finds (a
/// byte-order mark is dropped). A NUL byte is kept: the HTML parser drops it.
fn decode_html<'a>(
    bytes: &'a [u8],
    http_charset: Option<&'static Encoding>,
) -> (Cow<'a, str>, EncodingUsed) {
    let (encoding, source) = sniff_encoding_with_charset(bytes, http_charset);
    let (text, _, had_errors) = encoding.decode(bytes);
    (text, used(encoding, source, bytes, had_errors))
}

/// Decodes a plain-text document's bytes: UTF-8 (a byte-order mark is dropped; a few
/// invalid bytes in otherwise UTF-8 text are replaced with U+FFFD), UTF-16 with its
/// byte-order mark, else the charset its transport declared, else the legacy encoding
/// detection finds (windows-1252, ...). A NUL byte past the binary check is dropped, as
/// the HTML parser drops one.
fn decode_text<'a>(
    bytes: &'a [u8],
    declared: Option<&'static Encoding>,
) -> (Cow<'a, str>, EncodingUsed) {
    let (encoding, source) = text_encoding(bytes, declared);
    let (text, had_errors) = match source {
        EncodingSource::ByteOrderMark => encoding.decode_with_bom_removal(bytes),
        // Valid UTF-8 is borrowed as it is.
        _ => encoding.decode_without_bom_handling(bytes),
    };
    let text = if text.contains('\0') {
        Cow::Owned(text.replace('\0', ""))
    } else {
        text
    };
    (text, used(encoding, source, bytes, had_errors))
}

/// The encoding of a plain-text document: its byte-order mark, else the charset its
/// transport declared, else UTF-8 when the bytes are valid UTF-8 or mostly so, else the
/// legacy encoding detection finds (windows-1252, latin-1, ...).
fn text_encoding(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> (&'static Encoding, EncodingSource) {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return (encoding, EncodingSource::ByteOrderMark);
    }
    if let Some(encoding) = declared {
        return (encoding, EncodingSource::Http);
    }
    crate::charset::undeclared(bytes)
}

/// The encoding used and how it was found; the invalid bytes are counted when UTF-8
/// decoding replaced some (`had_errors`).
fn used(
    encoding: &'static Encoding,
    source: EncodingSource,
    bytes: &[u8],
    had_errors: bool,
) -> EncodingUsed {
    let invalid_bytes = if encoding == encoding_rs::UTF_8 && had_errors {
        crate::charset::invalid_utf8_bytes(bytes)
    } else {
        0
    };
    EncodingUsed {
        encoding,
        source,
        invalid_bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `bytes` named `name`; the text, or the error.
    fn text(name: &str, bytes: &[u8]) -> Result<String, DecodeError> {
        let hints = Hints {
            name: Some(Path::new(name)),
            ..Hints::default()
        };
        decode(bytes, &hints).map(|d| d.text.into_owned())
    }

    /// How the encoding of `bytes` named `name` is described.
    fn describe(name: &str, bytes: &[u8]) -> String {
        let hints = Hints {
            name: Some(Path::new(name)),
            ..Hints::default()
        };
        match decode(bytes, &hints) {
            Ok(d) => d.encoding.to_string(),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn sniffs_html() {
        assert!(is_html(None, b"  <!DOCTYPE html><html>"));
        assert!(is_html(None, b"<!-- saved --><html lang=en>"));
        assert!(is_html(Some(Path::new("a/page.HTM")), b"hello"));
        assert!(!is_html(
            Some(Path::new("a/page.txt")),
            b"url: x\n\n<p>not html"
        ));
    }

    #[test]
    fn gz_names_are_judged_without_gz() {
        assert_eq!(
            kind_of(Some(Path::new("page.html.gz")), b"<p>x</p>"),
            Kind::Html
        );
        assert_eq!(
            kind_of(Some(Path::new("page.txt.gz")), b"<p>x</p>"),
            Kind::Text
        );
        assert!(has_gz_extension(Path::new("a/page.html.GZ")));
        assert!(!has_gz_extension(Path::new("a/page.html")));
        assert_eq!(
            strip_gz(Path::new("a/page.html.gz")),
            Path::new("a/page.html")
        );
        assert_eq!(strip_gz(Path::new("a/notes.gz")), Path::new("a/notes"));
        assert_eq!(strip_gz(Path::new("a/page.txt")), Path::new("a/page.txt"));
    }

    #[test]
    fn a_declared_kind_is_not_guessed() {
        let hints = Hints {
            name: Some(Path::new("page.html")),
            kind: Some(Kind::Text),
            ..Hints::default()
        };
        let decoded = decode(b"<!doctype html><p>x</p>", &hints);
        assert_eq!(decoded.map(|d| d.kind), Ok(Kind::Text));
    }

    #[test]
    fn decodes_declared_and_detected_charsets() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        let decoded = decode(latin1, &Hints::default());
        let (latin1, encoding) = match &decoded {
            Ok(d) => (d.text.as_ref(), d.encoding.encoding.name()),
            Err(e) => panic!("{e}"),
        };
        assert!(latin1.contains("café"), "{latin1}");
        assert_eq!(encoding, "windows-1252");
        assert!(text("a.html", "<p>naïve</p>".as_bytes()).is_ok_and(|t| t.contains("naïve")));
    }

    #[test]
    fn a_transport_charset_comes_after_the_byte_order_mark() {
        let hints = |kind| Hints {
            kind: Some(kind),
            charset: Some(encoding_rs::WINDOWS_1252),
            ..Hints::default()
        };
        for kind in [Kind::Text, Kind::Html] {
            let d = decode(b"caf\xe9", &hints(kind));
            assert_eq!(d.map(|d| d.text.into_owned()).ok().as_deref(), Some("café"));
            let d = decode(b"\xef\xbb\xbfcaf\xc3\xa9", &hints(kind));
            assert_eq!(
                d.map(|d| (d.text.into_owned(), d.encoding.to_string()))
                    .ok(),
                Some(("café".into(), "UTF-8 (from its byte-order mark)".into()))
            );
        }
    }

    #[test]
    fn decode_rejects_binary_and_bad_utf8() {
        assert_eq!(text("a.txt", b"\xef\xbb\xbfhi").ok().as_deref(), Some("hi"));
        assert_eq!(
            text("a.txt", b"a\0b"),
            Err(DecodeError::Binary { offset: 1 })
        );
        assert_eq!(
            text("a.txt", b"caf\xe9 au lait").ok().as_deref(),
            Some("café au lait")
        );
        // UTF-16 with its byte-order mark is text, NUL bytes and all.
        assert_eq!(text("a.txt", b"\xff\xfeh\0i\0").ok().as_deref(), Some("hi"));
        // A NUL byte past the check is dropped.
        let late = format!("{}\0end", "a".repeat(BINARY_CHECK_BYTES));
        let decoded = text("a.txt", late.as_bytes()).ok();
        assert_eq!(
            decoded.as_deref().map(str::len),
            Some(BINARY_CHECK_BYTES + 3)
        );
    }

    #[test]
    fn binary_html_is_refused_too() {
        let r = text("a.html", b"<html>\0\x01\x02");
        assert_eq!(r, Err(DecodeError::Binary { offset: 6 }));
    }

    #[test]
    fn a_few_invalid_bytes_in_utf8_text_are_replaced() {
        assert_eq!(
            text("a.txt", b"Caf\xc3\xa9 \xff au lait").ok().as_deref(),
            Some("Café \u{fffd} au lait")
        );
        for (name, bytes, want) in [
            (
                "a.txt",
                &b"Caf\xc3\xa9 \xff"[..],
                "UTF-8 (none declared, the bytes are mostly valid UTF-8; 1 invalid byte replaced)",
            ),
            (
                "a.txt.gz",
                // A character cut short: one invalid sequence of two bytes.
                b"Caf\xc3\xa9 \xe2\x82",
                "UTF-8 (none declared, the bytes are mostly valid UTF-8; 2 invalid bytes replaced)",
            ),
            ("a.txt", b"caf\xe9", "windows-1252 (detected)"),
            (
                "a.html.gz",
                b"<meta charset=utf-8>\xff",
                "UTF-8 (declared in the page; 1 invalid byte replaced)",
            ),
            (
                "a.html",
                b"<meta charset=utf-16><p>x</p>",
                "UTF-8 (declared in the page)",
            ),
            (
                "a.txt",
                b"\xef\xbb\xbfok",
                "UTF-8 (from its byte-order mark)",
            ),
        ] {
            assert_eq!(describe(name, bytes), want, "{name} {bytes:?}");
        }
    }
}
