//! Bounded reads: a file, stdin or a pipe read for cleaning, never more than `--max-bytes`.
//!
//! Scrape directories are messy, so every file is read defensively: its size is checked
//! from its metadata before it is read (over the limit it is not read at all), its first
//! 8 KB are checked for NUL bytes before the rest is read (a binary file is not read
//! further), and a file removed after the walk is reported as such. A `.gz` file is
//! decompressed as it is read ([`crate::io::gzip`]), the limit applying to what it
//! decompresses to. A pipe or device named on the command line is read as a stream, as
//! stdin is.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::Path;

use crate::decode::{BINARY_CHECK_BYTES, binary_offset};

/// Why a file (or stdin) could not be read for cleaning.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Reading failed.
    #[error("cannot read: {0}")]
    Io(io::Error),
    /// The file was there when the input tree was walked, and gone when it was read.
    #[error("cannot read: the file was removed after the directory walk")]
    Vanished,
    /// The file is larger than the limit (`--max-bytes`); it was not read.
    #[error("skipped: {} is over --max-bytes ({})", Size(*.size), Size(*.max))]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        max: u64,
    },
    /// A `.gz` file decompresses to more than the limit (`--max-bytes`); reading stopped
    /// at the limit.
    #[error("skipped: decompresses to more than --max-bytes ({})", Size(*.max))]
    TooLargeDecompressed {
        /// The limit in bytes.
        max: u64,
    },
    /// A `.gz` file (or gzip stdin) is not a valid gzip stream: corrupt or truncated.
    #[error("not valid gzip: {0}")]
    Gzip(io::Error),
    /// The file holds a NUL byte in its first [`BINARY_CHECK_BYTES`] bytes: a binary
    /// file, not read further.
    #[error("skipped: binary file (NUL byte at offset {offset})")]
    Binary {
        /// The offset of the first NUL byte.
        offset: usize,
    },
}

/// A byte count shown in decimal units: `512 B`, `500 KB`, `80.2 MB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
        let mut v = self.0 as f64;
        let mut u = 0;
        while v >= 1000.0 && u < UNITS.len() - 1 {
            v /= 1000.0;
            u += 1;
        }
        let unit = UNITS.get(u).copied().unwrap_or("B");
        let tenths = (v * 10.0).round() as u64;
        if u == 0 {
            write!(f, "{} B", self.0)
        } else if tenths % 10 == 0 {
            write!(f, "{} {unit}", tenths / 10)
        } else {
            write!(f, "{:.1} {unit}", v)
        }
    }
}

/// Reads a file for cleaning, never more than `max_bytes` of it: its size is checked from
/// its metadata first, then its first [`BINARY_CHECK_BYTES`] bytes for a NUL byte (a
/// binary file is not read further), then the rest is read, stopping past `max_bytes`
/// should the file have grown meanwhile. A `.gz` file is decompressed as it is read, and
/// `max_bytes` limits what it decompresses to.
pub(crate) fn read_input(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let file = fs::File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::Vanished,
        _ => ReadError::Io(e),
    })?;
    if crate::io::gzip::has_gz_extension(path) {
        let reader = io::BufReader::with_capacity(1 << 16, file);
        return read_gzip(crate::io::gzip::Decoder::new(reader), max_bytes);
    }
    let metadata = file.metadata().map_err(ReadError::Io)?;
    if !metadata.is_file() {
        // A pipe or a device named on the command line: a stream, read as stdin is.
        return read_stream(file, max_bytes);
    }
    let size = metadata.len();
    if size > max_bytes {
        return Err(ReadError::TooLarge {
            size,
            max: max_bytes,
        });
    }
    read_limited(file, max_bytes, size)
}

/// Reads stdin as [`read_input`] reads a file, decompressed when it starts with the gzip
/// magic bytes.
pub(crate) fn read_stdin(max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    read_stream(io::stdin().lock(), max_bytes)
}

/// Reads a stream of unknown size (stdin, a pipe), decompressed when it starts with the
/// gzip magic bytes.
fn read_stream(stream: impl Read, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    let (gzip, stream) = crate::io::gzip::starts_gzip(stream).map_err(ReadError::Io)?;
    if gzip {
        let reader = io::BufReader::with_capacity(1 << 16, stream);
        read_gzip(crate::io::gzip::Decoder::new(reader), max_bytes)
    } else {
        read_limited(stream, max_bytes, 0)
    }
}

/// Whether `path` is a regular file (symlinks followed), which can be read more than once;
/// a pipe named on the command line is read once, as a stream.
pub fn is_regular_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_file())
}

/// Reads a gzip stream's decompressed bytes as [`read_limited`] does, its errors told as
/// gzip errors and its size as decompressed.
fn read_gzip(reader: impl Read, max_bytes: u64) -> Result<Vec<u8>, ReadError> {
    read_limited(reader, max_bytes, 0).map_err(|e| match e {
        ReadError::Io(e) if crate::io::gzip::is_gzip_error(&e) => ReadError::Gzip(e),
        ReadError::TooLarge { max, .. } => ReadError::TooLargeDecompressed { max },
        e => e,
    })
}

/// Reads `reader` as [`read_input`] reads a file, `size` being the size expected.
pub(crate) fn read_limited(
    mut reader: impl Read,
    max_bytes: u64,
    size: u64,
) -> Result<Vec<u8>, ReadError> {
    let capacity = usize::try_from(size.min(max_bytes)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    let limit = max_bytes.saturating_add(1);
    let head = limit.min(BINARY_CHECK_BYTES as u64);
    (&mut reader)
        .take(head)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if let Some(offset) = binary_offset(&bytes) {
        return Err(ReadError::Binary { offset });
    }
    let rest = max_bytes
        .saturating_add(1)
        .saturating_sub(bytes.len() as u64);
    reader
        .take(rest)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge {
            size: size.max(bytes.len() as u64),
            max: max_bytes,
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_print_in_decimal_units() {
        assert_eq!(Size(512).to_string(), "512 B");
        assert_eq!(Size(64_000_000).to_string(), "64 MB");
        assert_eq!(Size(80_200_000).to_string(), "80.2 MB");
        assert_eq!(
            ReadError::TooLarge {
                size: 80_200_000,
                max: 64_000_000
            }
            .to_string(),
            "skipped: 80.2 MB is over --max-bytes (64 MB)"
        );
    }

    #[test]
    fn reading_stops_past_the_limit() {
        // A reader longer than its announced size (a file that grew).
        let r = read_limited(&b"0123456789"[..], 5, 3);
        assert!(matches!(r, Err(ReadError::TooLarge { size: 6, max: 5 })));
        let r = read_limited(&b"01234"[..], 5, 5);
        assert_eq!(r.ok().as_deref(), Some(&b"01234"[..]));
    }
}
