//! The HTTP response a WARC `response` record holds: its status line and header fields,
//! read from the record's block, and its body with the transfer coding (`chunked`) and
//! content codings (`gzip`, `deflate`, `br`, `zstd`) undone, as crawlers store the bytes they
//! received. Every decoder stops at the `--max-bytes` limit, and zstd frames may not ask for
//! a window over 8 MiB (RFC 9659, as browsers do), so a small body never takes much memory.
//!
//! Reading is lenient where browsers are: lines may end in a bare LF, a header line without
//! a colon is ignored, a body declared chunked that does not start with a chunk size is
//! taken as it is (some archivers store it de-chunked under the original header), as is a
//! body declared gzip or zstd that does not start with their magic bytes, or declared br
//! that does not decode but is UTF-8 text, and a chunked body that ends early (a truncated
//! capture) ends there.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

use flate2::bufread::{DeflateDecoder, GzDecoder, ZlibDecoder};

/// The most bytes the status line and header fields may hold: 256 KiB.
pub const MAX_HEAD_BYTES: u64 = 256 << 10;

/// The longest chunk-size line of a chunked body.
const MAX_CHUNK_LINE: usize = 1024;

/// What is wrong with an HTTP response.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Reading the block failed (it may be truncated).
    #[error("cannot read: {0}")]
    Read(io::Error),
    /// The block does not start with an HTTP status line.
    #[error("not an HTTP response: it starts with {0:?}")]
    NotHttp(String),
    /// The status line and fields are longer than [`MAX_HEAD_BYTES`].
    #[error("HTTP header over {MAX_HEAD_BYTES} bytes")]
    HeadTooLong,
    /// The block ends before the blank line that ends the fields.
    #[error("the block ends inside the HTTP header")]
    TruncatedHead,
}

/// What is wrong with an HTTP body.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// A chunk-size line past the first is not a hexadecimal number.
    #[error("bad chunked body: chunk size line {0:?}")]
    Chunked(String),
    /// A content coding declared that declutr does not decode.
    #[error("unsupported Content-Encoding {0:?}")]
    Unsupported(String),
    /// The gzip, deflate, brotli or zstd stream is corrupt.
    #[error("not valid {coding}: {source}")]
    Coding {
        /// `gzip`, `deflate`, `br` or `zstd`.
        coding: &'static str,
        /// The decoder's error.
        source: io::Error,
    },
    /// The body decompresses to more than the limit given.
    #[error("skipped: decompresses to more than --max-bytes ({})", crate::io::read::Size(*.max))]
    TooLarge {
        /// The limit in bytes.
        max: u64,
    },
}

/// An HTTP response's status line and header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code: 200, 404, …
    pub status: u16,
    /// The header fields, names and values as written (values trimmed), in order.
    pub fields: Vec<(String, String)>,
}

impl Response {
    /// The value of the first field named `name` (ignoring case).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of the fields named `name`, split at commas, lowercased: the codings
    /// of `Transfer-Encoding` or `Content-Encoding`, in the order they were applied.
    fn codings(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(','))
            .map(|c| c.trim().to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect()
    }

    /// Whether the status is a success (2xx).
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A `Content-Type` value's media type, lowercased (`text/html`), and its `charset`
/// parameter's encoding, if it names one encoding_rs knows, as a browser reads the
/// declaration: `utf-16` means UTF-8 and `x-user-defined` windows-1252, and a label of
/// the replacement encoding is no declaration.
pub fn content_type(value: &str) -> (String, Option<&'static encoding_rs::Encoding>) {
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
            .and_then(|label| crate::charset::for_declared_label(label.as_bytes()))
    });
    (media, charset)
}

/// Reads the status line and header fields, up to and with the blank line after them;
/// `reader` is then at the body.
pub fn read_head<R: BufRead>(reader: &mut R) -> Result<Response, HttpError> {
    let mut budget = MAX_HEAD_BYTES;
    let status_line = read_line(reader, &mut budget)?.ok_or(HttpError::TruncatedHead)?;
    let status = parse_status(&status_line).ok_or_else(|| {
        let shown: String = status_line.chars().take(60).collect();
        HttpError::NotHttp(shown)
    })?;
    let mut fields: Vec<(String, String)> = Vec::new();
    loop {
        let line = read_line(reader, &mut budget)?.ok_or(HttpError::TruncatedHead)?;
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            if !name.is_empty() && !name.contains(char::is_whitespace) {
                fields.push((name.to_string(), value.trim().to_string()));
            }
        }
    }
    Ok(Response { status, fields })
}

/// `HTTP/1.1 200 OK` → 200 (any `HTTP/` version, the reason phrase optional).
fn parse_status(line: &str) -> Option<u16> {
    let mut parts = line.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    let code = parts.next()?;
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    code.parse().ok()
}

/// One line without its line ending, within `budget`; `None` at the end of the input.
fn read_line<R: BufRead>(reader: &mut R, budget: &mut u64) -> Result<Option<String>, HttpError> {
    let mut line = Vec::new();
    let n = reader
        .take(*budget)
        .read_until(b'\n', &mut line)
        .map_err(HttpError::Read)?;
    *budget -= n as u64;
    if line.last() != Some(&b'\n') {
        return match (n, *budget) {
            (_, 0) => Err(HttpError::HeadTooLong),
            (0, _) => Ok(None),
            _ => Err(HttpError::TruncatedHead),
        };
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// The body as the server meant it: de-chunked, then its content codings undone, never
/// more than `max_bytes` of it decompressed.
pub fn decode_body<'b>(
    response: &Response,
    raw: &'b [u8],
    max_bytes: u64,
) -> Result<Cow<'b, [u8]>, BodyError> {
    let mut codings = response.codings("Transfer-Encoding");
    let mut body = Cow::Borrowed(raw);
    if codings.last().is_some_and(|c| c == "chunked") {
        codings.pop();
        if let Some(joined) = dechunk(raw)? {
            body = Cow::Owned(joined);
        }
    }
    // Transfer codings other than chunked are content codings in practice.
    codings.extend(response.codings("Content-Encoding"));
    for coding in codings.iter().rev() {
        body = match coding.as_str() {
            "identity" => body,
            "gzip" | "x-gzip" if body.starts_with(&crate::io::gzip::MAGIC) => {
                Cow::Owned(inflate("gzip", GzDecoder::new(&body[..]), max_bytes)?)
            }
            // Stored already decoded under the original header.
            "gzip" | "x-gzip" => body,
            // `deflate` is zlib-wrapped by the standard; some servers send it raw.
            "deflate" if is_zlib(&body) => {
                Cow::Owned(inflate("deflate", ZlibDecoder::new(&body[..]), max_bytes)?)
            }
            "deflate" => Cow::Owned(inflate(
                "deflate",
                DeflateDecoder::new(&body[..]),
                max_bytes,
            )?),
            "br" => {
                let decoded = inflate(
                    "br",
                    brotli_decompressor::Decompressor::new(&body[..], 1 << 14),
                    max_bytes,
                );
                match decoded {
                    Ok(d) => Cow::Owned(d),
                    // Stored already decoded (brotli has no magic bytes to tell).
                    Err(BodyError::Coding { .. }) if std::str::from_utf8(&body).is_ok() => body,
                    Err(e) => return Err(e),
                }
            }
            "zstd" if body.starts_with(&ZSTD_MAGIC) => {
                Cow::Owned(inflate("zstd", zstd_decoder(&body)?, max_bytes)?)
            }
            "zstd" => body,
            other => return Err(BodyError::Unsupported(other.to_string())),
        };
    }
    Ok(body)
}

/// The four bytes a zstd frame starts with (RFC 8878).
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// The largest zstd window (log2) a body may ask for: 8 MiB, the limit of RFC 9659 for
/// the `zstd` content coding.
const ZSTD_WINDOW_LOG_MAX: u32 = 23;

/// A zstd decoder of `body` that refuses frames with a window over 8 MiB.
fn zstd_decoder(body: &[u8]) -> Result<impl Read + '_, BodyError> {
    let coding = |source| BodyError::Coding {
        coding: "zstd",
        source,
    };
    let mut decoder = zstd::stream::read::Decoder::with_buffer(body).map_err(coding)?;
    decoder
        .window_log_max(ZSTD_WINDOW_LOG_MAX)
        .map_err(coding)?;
    Ok(decoder)
}

/// Whether `bytes` start with a zlib header (RFC 1950: deflate, and a check value).
fn is_zlib(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// Reads a decoder to its end, never more than `max_bytes`.
fn inflate(coding: &'static str, decoder: impl Read, max_bytes: u64) -> Result<Vec<u8>, BodyError> {
    let mut out = Vec::new();
    decoder
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|source| BodyError::Coding { coding, source })?;
    if out.len() as u64 > max_bytes {
        return Err(BodyError::TooLarge { max: max_bytes });
    }
    Ok(out)
}

/// The chunks of a chunked body joined; `None` when `raw` does not start with a chunk-size
/// line (stored de-chunked). A body that ends inside a chunk ends there.
fn dechunk(raw: &[u8]) -> Result<Option<Vec<u8>>, BodyError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    let mut first = true;
    loop {
        let Some(end) = rest.iter().take(MAX_CHUNK_LINE).position(|&b| b == b'\n') else {
            if first {
                return Ok(None);
            }
            // The body ends before the last chunk's size line: a truncated capture.
            return Ok(Some(out));
        };
        let line = String::from_utf8_lossy(&rest[..end]);
        let digits = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(digits, 16)
            .ok()
            .filter(|_| !digits.is_empty());
        let Some(size) = size else {
            if first {
                return Ok(None);
            }
            let shown: String = line.chars().take(40).collect();
            return Err(BodyError::Chunked(shown));
        };
        first = false;
        rest = &rest[end + 1..];
        if size == 0 {
            // Trailer fields may follow; they are not body.
            return Ok(Some(out));
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        // The line ending after the chunk's data.
        rest = rest.strip_prefix(b"\r").unwrap_or(rest);
        rest = rest.strip_prefix(b"\n").unwrap_or(rest);
        if rest.is_empty() {
            return Ok(Some(out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn response(head: &str) -> Response {
        read_head(&mut head.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap_or_else(|e| panic!("{e}"));
        e.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn heads_are_read_leniently() {
        let r = response(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\
no colon on this line\r\nX-Folded: a\r\n b\nServer : odd\r\n\r\n<html>",
        );
        assert_eq!(r.status, 200);
        assert_eq!(r.get("content-type"), Some("text/html; charset=ISO-8859-1"));
        assert_eq!(r.get("x-folded"), Some("a b"));
        assert_eq!(r.get("server"), Some("odd"));
        assert_eq!(response("HTTP/2 404\n\n").status, 404);

        let mut rest = &b"HTTP/1.0 301 Moved\r\nLocation: /b\r\n\r\nbody"[..];
        assert!(read_head(&mut rest).is_ok());
        assert_eq!(rest, b"body", "the reader is left at the body");
    }

    #[test]
    fn bad_heads() {
        let cases = [
            (
                "GET / HTTP/1.1\r\n\r\n",
                "not an HTTP response: it starts with \"GET / HTTP/1.1\"",
            ),
            ("HTTP/1.1 2000 OK\r\n\r\n", "not an HTTP response"),
            (
                "HTTP/1.1 200 OK\r\nContent-Type: te",
                "the block ends inside the HTTP header",
            ),
            ("", "the block ends inside the HTTP header"),
        ];
        for (head, want) in cases {
            let err = read_head(&mut head.as_bytes()).err().map(|e| e.to_string());
            assert!(
                err.as_deref().is_some_and(|e| e.starts_with(want)),
                "{head:?}: {err:?}"
            );
        }
        let long = format!(
            "HTTP/1.1 200 OK\r\nSet-Cookie: {}\r\n\r\n",
            "a".repeat(300 << 10)
        );
        let err = read_head(&mut long.as_bytes()).err();
        assert!(matches!(err, Some(HttpError::HeadTooLong)), "{err:?}");
    }

    #[test]
    fn content_types() {
        let (media, charset) = content_type("Text/HTML; Charset=\"windows-1252\"");
        assert_eq!(media, "text/html");
        assert_eq!(charset.map(|e| e.name()), Some("windows-1252"));
        assert_eq!(content_type("text/plain").1, None);
        assert_eq!(content_type("text/plain; charset=no-such").1, None);
        // Declarations as browsers read them.
        let charset = |v: &str| content_type(v).1.map(|e| e.name());
        assert_eq!(charset("text/html; charset=utf-16"), Some("UTF-8"));
        assert_eq!(charset("text/html; charset=UTF-16BE"), Some("UTF-8"));
        assert_eq!(
            charset("text/html; charset=x-user-defined"),
            Some("windows-1252")
        );
        assert_eq!(charset("text/html; charset=iso-2022-kr"), None);
    }

    #[test]
    fn chunked_and_gzip_bodies_are_decoded() {
        let page = b"<html><p>Hello, chunks.</p></html>";
        let chunked =
            b"5;ext=1\r\n<html\r\n1D\r\n><p>Hello, chunks.</p></html>\r\n0\r\nX-Trailer: t\r\n\r\n";
        let r = response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_eq!(
            decode_body(&r, chunked, 1000).ok().as_deref(),
            Some(&page[..])
        );
        // Stored de-chunked under the original header: taken as it is.
        assert_eq!(decode_body(&r, page, 1000).ok().as_deref(), Some(&page[..]));
        // Truncated inside a chunk: what arrived.
        assert_eq!(
            decode_body(&r, &chunked[..12], 1000).ok().as_deref(),
            Some(&b"<ht"[..])
        );
        let bad = b"5\r\n<html\r\nzz\r\n";
        assert!(matches!(
            decode_body(&r, bad, 1000),
            Err(BodyError::Chunked(_))
        ));

        let gz = gzip(page);
        let r = response("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n");
        assert_eq!(decode_body(&r, &gz, 1000).ok().as_deref(), Some(&page[..]));
        assert_eq!(decode_body(&r, page, 1000).ok().as_deref(), Some(&page[..]));
        assert!(matches!(
            decode_body(&r, &gz, 10),
            Err(BodyError::TooLarge { max: 10 })
        ));
        let mut corrupt = gz.clone();
        corrupt[12] ^= 0xff;
        corrupt[13] ^= 0x55;
        let err = decode_body(&r, &corrupt, 1000).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("not valid gzip: ")),
            "{err:?}"
        );

        // Both: chunks of gzip.
        let mut both = format!("{:x}\r\n", gz.len()).into_bytes();
        both.extend(&gz);
        both.extend(b"\r\n0\r\n\r\n");
        let r = response(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n",
        );
        assert_eq!(
            decode_body(&r, &both, 1000).ok().as_deref(),
            Some(&page[..])
        );

        let r = response("HTTP/1.1 200 OK\r\nContent-Encoding: compress\r\n\r\n");
        let err = decode_body(&r, page, 1000).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unsupported Content-Encoding \"compress\"")
        );
    }

    fn brotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        w.write_all(data).unwrap_or_else(|e| panic!("{e}"));
        drop(w);
        out
    }

    #[test]
    fn brotli_and_zstd_bodies_are_decoded_within_the_limit() {
        let page = "<html><p>Squeezed twice over.</p></html>".repeat(20);
        let page = page.as_bytes();
        let zst = zstd::encode_all(page, 3).unwrap_or_else(|e| panic!("{e}"));
        for (coding, body) in [("br", brotli(page)), ("zstd", zst)] {
            let r = response(&format!(
                "HTTP/1.1 200 OK\r\nContent-Encoding: {coding}\r\n\r\n"
            ));
            let decoded = decode_body(&r, &body, 10_000);
            assert_eq!(decoded.ok().as_deref(), Some(page), "{coding}");
            // Stored already decoded under the original header: taken as it is.
            let as_is = decode_body(&r, page, 10_000);
            assert_eq!(as_is.ok().as_deref(), Some(page), "{coding}");
            // The bomb limit.
            assert!(
                matches!(
                    decode_body(&r, &body, 100),
                    Err(BodyError::TooLarge { max: 100 })
                ),
                "{coding}"
            );
            // Corrupt (and not text).
            let mut corrupt = body.clone();
            let middle = corrupt.len() / 2;
            corrupt.truncate(middle);
            corrupt.extend([0xff, 0x00, 0xfe, 0x80]);
            let err = decode_body(&r, &corrupt, 10_000)
                .err()
                .map(|e| e.to_string());
            let want = format!("not valid {coding}: ");
            assert!(
                err.as_deref().is_some_and(|e| e.starts_with(&want)),
                "{coding}: {err:?}"
            );
        }
    }

    #[test]
    fn a_zstd_frame_asking_for_a_huge_window_is_refused() {
        let page = b"<p>wide</p>";
        let mut encoder =
            zstd::stream::Encoder::new(Vec::new(), 1).unwrap_or_else(|e| panic!("{e}"));
        encoder
            .long_distance_matching(true)
            .and_then(|()| encoder.window_log(27))
            .unwrap_or_else(|e| panic!("{e}"));
        encoder.write_all(page).unwrap_or_else(|e| panic!("{e}"));
        let body = encoder.finish().unwrap_or_else(|e| panic!("{e}"));
        let r = response("HTTP/1.1 200 OK\r\nContent-Encoding: zstd\r\n\r\n");
        let err = decode_body(&r, &body, 1 << 30).err().map(|e| e.to_string());
        assert!(
            err.as_deref()
                .is_some_and(|e| e.starts_with("not valid zstd: ")),
            "{err:?}"
        );
    }

    #[test]
    fn deflate_with_or_without_its_zlib_wrapper() {
        let page = b"<p>deflated</p>";
        let r = response("HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        for body in [
            z.write_all(page).and_then(|()| z.finish()),
            d.write_all(page).and_then(|()| d.finish()),
        ] {
            let body = body.unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                decode_body(&r, &body, 1000).ok().as_deref(),
                Some(&page[..])
            );
        }
    }
}
