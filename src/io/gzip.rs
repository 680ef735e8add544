//! Gzip-compressed inputs, decompressed as they are read: a file is gzip by its name
//! (`page.html.gz`), a stream without a name (stdin, a WARC file) by its first two bytes.
//!
//! Concatenated gzip members (what `cat a.gz b.gz` and `.warc.gz` files hold) are read as
//! one stream. The decompressed bytes are never held whole by this module: the reader's
//! caller sets the limit ([`crate::io::read::read_input`] stops at `--max-bytes` of
//! decompressed text, so a small file that inflates to gigabytes is refused early).
//!
//! The decoder's errors (a corrupt or truncated stream) are [`io::Error`]s carrying a
//! [`GzipError`], so that callers tell them from a failing disk ([`is_gzip_error`]).

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

/// The two bytes every gzip member starts with.
pub const MAGIC: [u8; 2] = [0x1f, 0x8b];

// The `.gz` name check is the decoder's too: it judges a `page.html.gz` by `page.html`.
pub(crate) use crate::decode::has_gz_extension;

/// What is wrong with a gzip stream, as its decoder says (`corrupt deflate stream`,
/// `unexpected end of file`, …).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct GzipError(String);

/// Whether an error came from the gzip decoder rather than from the reader below it.
pub(crate) fn is_gzip_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<GzipError>())
}

/// A reader of the decompressed bytes of a gzip stream (all its members, in order).
#[derive(Debug)]
pub(crate) struct Decoder<R: BufRead> {
    inner: MultiGzDecoder<R>,
}

impl<R: BufRead> Decoder<R> {
    /// Decompresses `reader`.
    pub(crate) fn new(reader: R) -> Self {
        Decoder {
            inner: MultiGzDecoder::new(reader),
        }
    }
}

impl<R: BufRead> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.read(buf).map_err(|e| {
            // The decoder reports its own problems as `InvalidInput` (a bad header, a
            // corrupt stream, a wrong checksum) or `UnexpectedEof` (a truncated stream);
            // anything else is the reader below failing, passed on as it is.
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput
                    | io::ErrorKind::InvalidData
                    | io::ErrorKind::UnexpectedEof
            ) {
                io::Error::new(e.kind(), GzipError(e.to_string()))
            } else {
                e
            }
        })
    }
}

/// A reader with the bytes already looked at put back in front of it.
pub(crate) type Rewound<R> = io::Chain<io::Cursor<Vec<u8>>, R>;

/// Whether `reader` starts with the gzip [`MAGIC`], and `reader` whole again.
pub(crate) fn starts_gzip<R: Read>(mut reader: R) -> io::Result<(bool, Rewound<R>)> {
    let mut head = Vec::with_capacity(MAGIC.len());
    (&mut reader)
        .take(MAGIC.len() as u64)
        .read_to_end(&mut head)?;
    Ok((head == MAGIC, io::Cursor::new(head).chain(reader)))
}

/// `reader`, decompressed when it starts with the gzip [`MAGIC`], else as it is.
pub fn sniff<'a, R: Read + 'a>(reader: R) -> io::Result<Box<dyn BufRead + 'a>> {
    let (gzip, whole) = starts_gzip(reader)?;
    let buffered = BufReader::with_capacity(1 << 16, whole);
    Ok(if gzip {
        Box::new(BufReader::with_capacity(1 << 16, Decoder::new(buffered)))
    } else {
        Box::new(buffered)
    })
}

/// `reader`, the contents of the file `path`: decompressed when its name ends in `.gz`.
pub(crate) fn by_name<'a, R: Read + 'a>(path: &Path, reader: R) -> Box<dyn BufRead + 'a> {
    let buffered = BufReader::with_capacity(1 << 16, reader);
    if has_gz_extension(path) {
        Box::new(BufReader::with_capacity(1 << 16, Decoder::new(buffered)))
    } else {
        Box::new(buffered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap_or_else(|e| panic!("{e}"));
        e.finish().unwrap_or_else(|e| panic!("{e}"))
    }

    fn read_all(mut r: impl Read) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        r.read_to_end(&mut out).map(|_| out)
    }

    #[test]
    fn concatenated_members_are_one_stream() {
        let mut both = gz(b"first, ");
        both.extend(gz(b"second"));
        let out = read_all(Decoder::new(&both[..])).ok();
        assert_eq!(out.as_deref(), Some(&b"first, second"[..]));
    }

    #[test]
    fn sniffing_decompresses_gzip_only() {
        let out = sniff(&gz(b"hello")[..]).and_then(read_all).ok();
        assert_eq!(out.as_deref(), Some(&b"hello"[..]));
        for plain in [&b"hello"[..], b"\x1f", b""] {
            let out = sniff(plain).and_then(read_all).ok();
            assert_eq!(out.as_deref(), Some(plain));
        }
    }

    #[test]
    fn decoder_errors_are_told_apart() {
        let whole = gz(&b"hello world ".repeat(1000));
        let mut corrupt = whole.clone();
        corrupt[20] ^= 0xff;
        corrupt[21] ^= 0x55;
        let truncated = &whole[..whole.len() / 2];
        for bad in [&corrupt[..], truncated, b"not gzip", b""] {
            let e = read_all(Decoder::new(bad)).err();
            assert!(e.as_ref().is_some_and(is_gzip_error), "{e:?}");
        }
        let other = io::Error::other("disk on fire");
        assert!(!is_gzip_error(&other));
    }
}
