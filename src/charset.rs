//! Character encodings: what a declared charset means, the `<meta>` declaration an HTML
//! page makes, and the encoding of bytes that declare none.
//!
//! Declarations are read as browsers read them, after the WHATWG Encoding Standard and the
//! HTML Standard's encoding sniffing ([`prescan`], [`for_declared_label`]): a page that
//! declares UTF-16 without a UTF-16 byte-order mark is UTF-8 (UTF-16 text without its
//! mark would be full of NUL bytes, and is refused as binary before it gets here), and
//! `x-user-defined` is windows-1252. The labels of the "replacement" encoding
//! (`iso-2022-kr`, `hz-gb-2312`…) would decode a whole page to one U+FFFD: such a
//! declaration is not followed, and the bytes decide as if nothing were declared.
//!
//! Undeclared bytes ([`undeclared`]) are UTF-8 when they are valid UTF-8, and also when
//! they are mostly UTF-8: a few invalid bytes in a UTF-8 file (a truncated character, a
//! stray byte from a botched edit) are replaced with U+FFFD rather than turning every other
//! character of the file into mojibake (`CafÃ©`). Only bytes that do not look like UTF-8
//! go to chardetng for a legacy encoding.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// How a document's character encoding was found, as `--explain` tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// A byte-order mark.
    ByteOrderMark,
    /// The HTTP response's `Content-Type` charset (a WARC record).
    Http,
    /// A `<meta charset>` or http-equiv declaration in the page.
    Declared,
    /// Nothing declared, and the bytes are valid UTF-8.
    ValidUtf8,
    /// Nothing declared, and the bytes are UTF-8 but for a few invalid ones, which are
    /// replaced with U+FFFD: at least as many valid multi-byte characters as invalid
    /// sequences.
    MostlyUtf8,
    /// Guessed by chardetng from the bytes (a legacy encoding such as windows-1252).
    Detected,
}

impl std::fmt::Display for EncodingSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EncodingSource::ByteOrderMark => "from its byte-order mark",
            EncodingSource::Http => "declared by the HTTP response",
            EncodingSource::Declared => "declared in the page",
            EncodingSource::ValidUtf8 => "none declared, the bytes are valid UTF-8",
            EncodingSource::MostlyUtf8 => "none declared, the bytes are mostly valid UTF-8",
            EncodingSource::Detected => "detected",
        })
    }
}

/// The encoding a declared charset label (`<meta charset>`, an HTTP `charset=`) means:
/// the label's encoding as [`declared`] maps it; `None` for a label encoding_rs does not
/// know.
pub(crate) fn for_declared_label(label: &[u8]) -> Option<&'static Encoding> {
    Encoding::for_label(label).and_then(declared)
}

/// What a declared encoding means for decoding a page's bytes: UTF-16 (BE or LE) means
/// UTF-8 and `x-user-defined` means windows-1252, as the HTML Standard says; `None` for
/// the replacement encoding, whose declaration is not followed (see the
/// [module docs](self)).
pub(crate) fn declared(encoding: &'static Encoding) -> Option<&'static Encoding> {
    if encoding == encoding_rs::REPLACEMENT {
        None
    } else if encoding == X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else {
        // UTF-16BE and UTF-16LE → UTF-8.
        Some(encoding.output_encoding())
    }
}

/// The encoding of bytes that declare none: UTF-8 when they are valid UTF-8
/// ([`EncodingSource::ValidUtf8`]) or mostly so ([`EncodingSource::MostlyUtf8`]), else the
/// legacy encoding chardetng guesses ([`EncodingSource::Detected`]).
///
/// Bytes are mostly UTF-8 when they hold at least one valid multi-byte UTF-8 character
/// and no more invalid sequences than such characters. Text in a single-byte legacy
/// encoding almost never forms a valid multi-byte sequence (that takes a letter such as
/// `Ã` followed by one to three symbols such as `©` or `»`), while each of its accented
/// letters followed by a plain letter or a space is an invalid sequence; legacy CJK
/// encodings make far more invalid sequences than valid ones. Decoding bytes that are
/// mostly UTF-8 as UTF-8 loses only the invalid bytes, where a legacy guess would garble
/// every valid character. ASCII with a few high bytes and no valid multi-byte character is
/// left to chardetng: `caf\xe9` is windows-1252 `café`.
pub(crate) fn undeclared(bytes: &[u8]) -> (&'static Encoding, EncodingSource) {
    if std::str::from_utf8(bytes).is_ok() {
        return (UTF_8, EncodingSource::ValidUtf8);
    }
    let mut characters = 0;
    let mut invalid = 0;
    for chunk in bytes.utf8_chunks() {
        // Lead bytes: one per multi-byte character.
        characters += chunk.valid().bytes().filter(|&b| b >= 0xc0).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if characters > 0 && invalid <= characters {
        return (UTF_8, EncodingSource::MostlyUtf8);
    }
    (detect(bytes), EncodingSource::Detected)
}

/// How many bytes of `bytes` are not valid UTF-8 (decoding them as UTF-8 replaces them
/// with U+FFFD, one per invalid sequence). A UTF-8 byte-order mark is valid UTF-8.
pub(crate) fn invalid_utf8_bytes(bytes: &[u8]) -> usize {
    if std::str::from_utf8(bytes).is_ok() {
        return 0;
    }
    bytes.utf8_chunks().map(|c| c.invalid().len()).sum()
}

/// The legacy encoding chardetng guesses for bytes that declare none.
pub(crate) fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// ASCII whitespace as the HTML Standard's byte scans know it.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// The encoding an HTML page's `<meta charset>` or `<meta http-equiv=content-type
/// content="…; charset=…">` declares in `bytes` (the start of the page), found as the HTML
/// Standard's "prescan a byte stream to determine its encoding" finds it: comments, and
/// the attributes of every other tag (`<script charset=…>`, `<link charset=…>`), are
/// skipped; the first `<meta>` that declares an encoding [`for_declared_label`] accepts
/// wins. `None` when there is none, or when `bytes` end before one is complete.
pub(crate) fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    while let Some(rest) = bytes.get(at..).filter(|r| !r.is_empty()) {
        let next = |i: usize| rest.get(i).copied();
        if rest.starts_with(b"<!--") {
            // To the end of the first `-->` after `<!` (`<!-->` is a whole comment).
            at += 2 + memchr::memmem::find(&rest[2..], b"-->")? + 3;
        } else if rest.len() > 5
            && rest[..5].eq_ignore_ascii_case(b"<meta")
            && (is_space(rest[5]) || rest[5] == b'/')
        {
            at += 6;
            if let Some(encoding) = meta(bytes, &mut at)? {
                return Some(encoding);
            }
            at += 1;
        } else if next(0) == Some(b'<')
            && (next(1).is_some_and(|b| b.is_ascii_alphabetic())
                || next(1) == Some(b'/') && next(2).is_some_and(|b| b.is_ascii_alphabetic()))
        {
            // Another tag: its name, then its attributes, read and ignored.
            at += rest.iter().position(|&b| is_space(b) || b == b'>')?;
            while attribute(bytes, &mut at)?.is_some() {}
            at += 1;
        } else if rest.starts_with(b"<!") || rest.starts_with(b"</") || rest.starts_with(b"<?") {
            at += 2 + memchr::memchr(b'>', &rest[2..])? + 1;
        } else {
            at += 1;
        }
    }
    None
}

/// The rest of a `<meta` tag from `at`, read to its `>` (left at `at`): the encoding it
/// declares, if any; `None` when the bytes end first.
fn meta(bytes: &[u8], at: &mut usize) -> Option<Option<&'static Encoding>> {
    let mut names: Vec<Vec<u8>> = Vec::new();
    let mut got_pragma = false;
    // Whether the declaration needs `http-equiv=content-type`: `None` while neither a
    // `charset` nor a `content` with a charset has been seen.
    let mut need_pragma = None;
    // `None`: no charset yet; `Some(None)`: a charset attribute naming no encoding.
    let mut charset: Option<Option<&'static Encoding>> = None;
    while let Some((name, value)) = attribute(bytes, at)? {
        if names.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => got_pragma |= value == b"content-type",
            b"content" if charset.is_none() => {
                if let Some(encoding) = charset_in_content(&value) {
                    charset = Some(Some(encoding));
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Some(Encoding::for_label(&value));
                need_pragma = Some(false);
            }
            _ => {}
        }
        names.push(name);
    }
    Some(match (need_pragma, charset) {
        (Some(true), _) if !got_pragma => None,
        (Some(_), Some(Some(encoding))) => declared(encoding),
        _ => None,
    })
}

/// An attribute's name and value.
type Attribute = (Vec<u8>, Vec<u8>);

/// The HTML Standard's "get an attribute" from `at`: the next attribute's name and value,
/// both ASCII-lowercased, with `at` past it; `Some(None)` at the tag's `>` (left at
/// `at`); `None` when the bytes end first.
fn attribute(bytes: &[u8], at: &mut usize) -> Option<Option<Attribute>> {
    let byte = |at: usize| bytes.get(at).copied();
    while byte(*at).is_some_and(|b| is_space(b) || b == b'/') {
        *at += 1;
    }
    if byte(*at)? == b'>' {
        return Some(None);
    }
    let mut name = Vec::new();
    loop {
        match byte(*at)? {
            b'=' if !name.is_empty() => break,
            b if is_space(b) => {
                while byte(*at).is_some_and(is_space) {
                    *at += 1;
                }
                if byte(*at)? != b'=' {
                    return Some(Some((name, Vec::new())));
                }
                break;
            }
            b'/' | b'>' => return Some(Some((name, Vec::new()))),
            b => name.push(b.to_ascii_lowercase()),
        }
        *at += 1;
    }
    // At the `=`.
    *at += 1;
    while byte(*at).is_some_and(is_space) {
        *at += 1;
    }
    let mut value = Vec::new();
    let first = byte(*at)?;
    if first == b'"' || first == b'\'' {
        loop {
            *at += 1;
            match byte(*at)? {
                b if b == first => {
                    *at += 1;
                    return Some(Some((name, value)));
                }
                b => value.push(b.to_ascii_lowercase()),
            }
        }
    }
    loop {
        match byte(*at)? {
            b if is_space(b) || b == b'>' => return Some(Some((name, value))),
            b => value.push(b.to_ascii_lowercase()),
        }
        *at += 1;
    }
}

/// The HTML Standard's "extracting a character encoding from a meta element": the
/// encoding a `content` value such as `text/html; charset=utf-8` names, if any.
fn charset_in_content(content: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    loop {
        at += content
            .get(at..)?
            .windows(7)
            .position(|w| w.eq_ignore_ascii_case(b"charset"))?
            + 7;
        let skip_spaces = |mut i: usize| {
            while content.get(i).copied().is_some_and(is_space) {
                i += 1;
            }
            i
        };
        let equals = skip_spaces(at);
        if content.get(equals) != Some(&b'=') {
            at = equals;
            continue;
        }
        let rest = &content[skip_spaces(equals + 1)..];
        return match *rest.first()? {
            quote @ (b'"' | b'\'') => {
                let end = memchr::memchr(quote, &rest[1..])?;
                Encoding::for_label(&rest[1..1 + end])
            }
            _ => {
                let end = rest
                    .iter()
                    .position(|&b| is_space(b) || b == b';')
                    .unwrap_or(rest.len());
                Encoding::for_label(&rest[..end])
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{ISO_8859_2, SHIFT_JIS, UTF_16BE, UTF_16LE};

    /// Whether `encoding` is one [`for_declared_label`] can return.
    fn is_declarable(encoding: &'static Encoding) -> bool {
        ![UTF_16BE, UTF_16LE, X_USER_DEFINED, encoding_rs::REPLACEMENT].contains(&encoding)
    }

    #[test]
    fn declared_labels_mean_what_browsers_make_of_them() {
        for (label, want) in [
            ("utf-8", Some(UTF_8)),
            (" Windows-1252 ", Some(WINDOWS_1252)),
            ("latin1", Some(WINDOWS_1252)),
            ("utf-16", Some(UTF_8)),
            ("UTF-16LE", Some(UTF_8)),
            ("utf-16be", Some(UTF_8)),
            ("x-user-defined", Some(WINDOWS_1252)),
            ("iso-2022-kr", None),
            ("no-such-charset", None),
            ("", None),
        ] {
            assert_eq!(for_declared_label(label.as_bytes()), want, "{label:?}");
        }
    }

    #[test]
    fn the_prescan_finds_meta_declarations() {
        for (page, want) in [
            ("<meta charset=utf-8>", Some(UTF_8)),
            ("<META CHARSET='ISO-8859-2'>", Some(ISO_8859_2)),
            (r#"<meta charset = " shift_jis ">"#, Some(SHIFT_JIS)),
            ("<meta/charset=windows-1252>", Some(WINDOWS_1252)),
            (
                r#"<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">"#,
                Some(ISO_8859_2),
            ),
            (
                r#"<meta content='text/html;charset="shift_jis"' http-equiv=content-type>"#,
                Some(SHIFT_JIS),
            ),
            // UTF-16 and x-user-defined as the standard maps them.
            ("<meta charset=utf-16>", Some(UTF_8)),
            ("<meta charset=x-user-defined>", Some(WINDOWS_1252)),
            // The first declaration that names an encoding wins.
            (
                "<meta charset=bogus><meta charset=iso-8859-2><meta charset=utf-8>",
                Some(ISO_8859_2),
            ),
            // A repeated attribute counts once, as its first value.
            ("<meta charset=iso-8859-2 charset=utf-8>", Some(ISO_8859_2)),
            // A later declaration after a replacement label.
            (
                "<meta charset=iso-2022-kr><meta charset=shift_jis>",
                Some(SHIFT_JIS),
            ),
        ] {
            assert_eq!(prescan(page.as_bytes()), want, "{page}");
        }
    }

    #[test]
    fn the_prescan_ignores_what_is_not_the_pages_declaration() {
        for page in [
            // Other elements' charset attributes.
            "<script charset=iso-8859-2 src=a.js></script>",
            "<link rel=stylesheet charset=shift_jis href=a.css>",
            "<a href='/x?charset=iso-8859-2'>x</a>",
            // A content attribute without http-equiv=content-type.
            "<meta content='text/html; charset=iso-8859-2'>",
            r#"<meta http-equiv=refresh content="0; charset=iso-8859-2">"#,
            // Inside a comment, a doctype, a processing instruction, or a tag's value.
            "<!-- <meta charset=iso-8859-2> -->",
            "<!doctype html charset=iso-8859-2>",
            "<?php charset=iso-8859-2 ?>",
            r#"<div title="<meta charset=iso-8859-2>">"#,
            // Text, not a tag.
            "charset=iso-8859-2",
            "<metacharset=iso-8859-2>",
            // Cut off before the tag ends.
            "<meta charset=iso-8859-2",
            "<!-- no end <meta charset=iso-8859-2>",
            "",
        ] {
            assert_eq!(prescan(page.as_bytes()), None, "{page}");
        }
        // After a skipped tag or comment, the scan goes on.
        for page in [
            "<script charset=iso-8859-2></script><meta charset=shift_jis>",
            "<!--> <meta charset=shift_jis>",
            "<!-- a -- b --><meta charset=shift_jis>",
            "</p x=1><meta charset=shift_jis>",
        ] {
            assert_eq!(prescan(page.as_bytes()), Some(SHIFT_JIS), "{page}");
        }
    }

    #[test]
    fn charsets_are_read_from_content_values() {
        for (content, want) in [
            ("text/html; charset=utf-8", Some(UTF_8)),
            ("text/html;charset = 'shift_jis' ", Some(SHIFT_JIS)),
            ("text/html; charsetx; charset=iso-8859-2", Some(ISO_8859_2)),
            ("text/html; charset=\"utf-8", None),
            ("text/html; charset=", None),
            ("text/html", None),
        ] {
            assert_eq!(charset_in_content(content.as_bytes()), want, "{content}");
        }
    }

    #[test]
    fn mostly_utf8_bytes_are_utf8() {
        for (bytes, want) in [
            (&b"plain ascii"[..], (UTF_8, EncodingSource::ValidUtf8)),
            (
                b"Caf\xc3\xa9 cr\xc3\xa8me \xff",
                (UTF_8, EncodingSource::MostlyUtf8),
            ),
            // A character cut short at the end.
            (b"Caf\xc3\xa9 na\xc3", (UTF_8, EncodingSource::MostlyUtf8)),
            // No valid multi-byte character: a legacy encoding.
            (b"caf\xe9 au lait", (WINDOWS_1252, EncodingSource::Detected)),
        ] {
            assert_eq!(undeclared(bytes), want, "{bytes:?}");
        }
        // More invalid sequences than valid characters: left to detection.
        let mixed = b"\xc3\xa9t\xe9 \xe0 la mer, caf\xe9";
        assert_eq!(undeclared(mixed).1, EncodingSource::Detected);
        assert_eq!(invalid_utf8_bytes(b"Caf\xc3\xa9 \xff\xfe"), 2);
        assert_eq!(invalid_utf8_bytes(b"\xef\xbb\xbfCaf\xc3\xa9"), 0);
    }

    #[test]
    fn declared_encodings_are_never_utf16_or_user_defined() {
        for label in [
            "utf-16",
            "utf-16le",
            "unicodefffe",
            "x-user-defined",
            "utf-8",
        ] {
            let page = format!("<meta charset={label}>");
            assert!(
                prescan(page.as_bytes()).is_some_and(is_declarable),
                "{label}"
            );
            assert!(for_declared_label(label.as_bytes()).is_some_and(is_declarable));
        }
    }

    proptest::proptest! {
        #[test]
        fn no_bytes_make_the_scans_panic(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<u8>(),
                    proptest::sample::select(&b"<>!?-/=\"' \tmetaMETAcharsetxu16;"[..]),
                ],
                0..300,
            )
        ) {
            let found = prescan(&bytes);
            proptest::prop_assert!(found.is_none_or(is_declarable));
            let _ = undeclared(&bytes);
            let _ = invalid_utf8_bytes(&bytes);
        }
    }
}
