//! Fuzz target for the WARC reader: arbitrary bytes read as a WARC file, record by record,
//! as `--input-format warc` reads one, then the same bytes gzip-compressed.
//!
//! Besides "never panic, never hang", it checks what the reader promises for every input:
//! it ends (the end of the file or an error); what it hands out (headers, blocks) and what
//! it skips never add up to more than the input; every problem's offset lies in the input;
//! the records come out the same whether the input arrives whole or a few bytes at a time,
//! and whether it is plain or gzip. The blocks of HTTP responses are read as
//! `--input-format warc` reads them (the HTTP head, the body decoded within a limit).

#![no_main]

use std::io::{self, Read, Write};

use declutr::gzip;
use declutr::warc::{Header, ProblemKind, Reader, http};
use libfuzzer_sys::fuzz_target;

/// The decoded body limit: small, so that bombs are caught quickly.
const MAX_BYTES: u64 = 1 << 20;

/// A reader that hands out the bytes in pieces of 1 to 13 bytes.
struct Pieces<'a> {
    rest: &'a [u8],
    step: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.step = self.step % 13 + 1;
        let n = self.step.min(buf.len()).min(self.rest.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        Ok(n)
    }
}

/// What a reader made of a file: each record's header and block, each problem, and the
/// error that ended it.
#[derive(Debug, PartialEq)]
struct Outcome {
    records: Vec<(Header, Vec<u8>)>,
    problems: Vec<String>,
    error: Option<String>,
    skipped: u64,
}

fn read_all(input: impl Read, len: u64) -> Outcome {
    let mut reader = Reader::new(input);
    let mut out = Outcome {
        records: Vec::new(),
        problems: Vec::new(),
        error: None,
        skipped: 0,
    };
    loop {
        let result = match reader.next_record() {
            Ok(Some(mut record)) => {
                let mut block = Vec::new();
                match (&mut record).take(MAX_BYTES).read_to_end(&mut block) {
                    Ok(_) => {
                        out.records.push((record.header.clone(), block));
                        Ok(true)
                    }
                    Err(e) => Err(record.error(e).to_string()),
                }
            }
            Ok(None) => Ok(false),
            Err(e) => Err(e.to_string()),
        };
        assert!(reader.offset() <= len, "read past the input");
        for p in reader.take_problems() {
            if let ProblemKind::Skipped { offset, bytes, .. } = p.kind {
                assert!(offset + bytes <= len, "skipped past the input: {p:?}");
                out.skipped += bytes;
            }
            out.problems.push(p.kind.to_string());
        }
        match result {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                out.error = Some(e);
                break;
            }
        }
    }
    let blocks: u64 = out.records.iter().map(|(_, b)| b.len() as u64).sum();
    assert!(blocks + out.skipped <= len, "more out than in");
    out
}

/// Reads the HTTP responses of `outcome` as a page would be read from them.
fn read_pages(outcome: &Outcome) {
    for (header, block) in &outcome.records {
        if !header
            .record_type()
            .is_some_and(|t| t.eq_ignore_ascii_case("response"))
        {
            continue;
        }
        let mut rest = &block[..];
        if let Ok(response) = http::read_head(&mut rest) {
            if let Ok(body) = http::decode_body(&response, rest, MAX_BYTES) {
                assert!(body.len() as u64 <= MAX_BYTES);
            }
            let _ = response.get("Content-Type").map(http::content_type);
        }
    }
}

fuzz_target!(|bytes: &[u8]| {
    let len = bytes.len() as u64;
    let whole = read_all(bytes, len);
    let pieces = read_all(
        Pieces {
            rest: bytes,
            step: bytes.len(),
        },
        len,
    );
    assert_eq!(whole, pieces, "whole and in pieces");
    read_pages(&whole);

    // Through the gzip path, as a .warc.gz file is read: one member, or what the input is
    // when it is gzip already (then its decompressed bytes have no known length).
    let Ok(sniffed) = gzip::sniff(bytes) else {
        return;
    };
    let _ = read_all(sniffed, u64::MAX);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    if gz.write_all(bytes).is_err() {
        return;
    }
    let Ok(compressed) = gz.finish() else {
        return;
    };
    if bytes.starts_with(&gzip::MAGIC) {
        return;
    }
    let Ok(unzipped) = gzip::sniff(&compressed[..]) else {
        panic!("sniffing a gzip stream failed");
    };
    assert_eq!(read_all(unzipped, len), whole, "plain and gzip");
});
