//! End-to-end tests of `--input-format warc`: a WARC.gz built here from the project's own
//! samples (a warcinfo record, request and response records, HTTP bodies plain, chunked
//! and gzip-encoded, a 404, an image, text pages) is cleaned as the same pages are cleaned
//! from files, with the record's URI and date as their provenance header; the records that
//! hold no page are skipped and counted; a truncated file is an error naming its record,
//! and the records before it are kept.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use declutr::{Capture, Cleaner, DocumentInfo, Hints, Kind};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

mod common;
use common::{declutr, read, tempdir, write};

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::with_default_rules().unwrap_or_else(|e| panic!("{e}")))
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap_or_else(|e| panic!("gzip: {e}"));
    e.finish().unwrap_or_else(|e| panic!("gzip: {e}"))
}

/// `declutr clean --input-format warc FILE --format jsonl` (and `extra`) run in `root`.
fn warc_to_jsonl(root: &Path, file: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    run(declutr(root)
        .args(["clean", "--input-format", "warc", file, "--format", "jsonl"])
        .args(extra))
}

fn run(cmd: &mut assert_cmd::Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("run: {e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn parse_lines(jsonl: &str) -> Vec<Value> {
    jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// How an HTTP response carries its body.
#[derive(Clone, Copy, Debug)]
enum Transfer {
    Plain,
    Chunked,
    Gzip,
    ChunkedGzip,
}

/// An HTTP response: status line, fields, body in the given transfer.
fn http_response(status: &str, content_type: &str, body: &[u8], transfer: Transfer) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nServer: test\r\n");
    let body = match transfer {
        Transfer::Gzip | Transfer::ChunkedGzip => {
            head.push_str("Content-Encoding: gzip\r\n");
            gz(body)
        }
        Transfer::Plain | Transfer::Chunked => body.to_vec(),
    };
    let body = match transfer {
        Transfer::Chunked | Transfer::ChunkedGzip => {
            head.push_str("Transfer-Encoding: chunked\r\n");
            let mut chunked = Vec::new();
            for chunk in body.chunks(700) {
                chunked.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
                chunked.extend(chunk);
                chunked.extend(b"\r\n");
            }
            chunked.extend(b"0\r\n\r\n");
            chunked
        }
        Transfer::Plain | Transfer::Gzip => {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
            body
        }
    };
    let mut out = format!("{head}\r\n").into_bytes();
    out.extend(body);
    out
}

/// A WARC file being built: one gzip member per record, as `.warc.gz` files are written.
#[derive(Default)]
struct Warc {
    plain: Vec<u8>,
    gzipped: Vec<u8>,
    records: u64,
    /// Where each record starts in `plain`.
    starts: Vec<usize>,
}

impl Warc {
    fn record(
        &mut self,
        kind: &str,
        uri: Option<&str>,
        date: &str,
        content_type: &str,
        block: &[u8],
    ) {
        self.records += 1;
        let mut header = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{:012}>\r\nWARC-Date: {date}\r\n",
            self.records
        );
        if let Some(uri) = uri {
            header.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
        }
        header.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        ));
        let mut record = header.into_bytes();
        record.extend(block);
        record.extend(b"\r\n\r\n");
        self.starts.push(self.plain.len());
        self.plain.extend(&record);
        self.gzipped.extend(gz(&record));
    }

    fn request(&mut self, uri: &str, date: &str) {
        let host = uri.split('/').nth(2).unwrap_or("");
        let block = format!("GET / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: test\r\n\r\n");
        self.record(
            "request",
            Some(uri),
            date,
            "application/http; msgtype=request",
            block.as_bytes(),
        );
    }

    fn response(&mut self, uri: &str, date: &str, http: &[u8]) {
        self.request(uri, date);
        self.record(
            "response",
            Some(uri),
            date,
            "application/http; msgtype=response",
            http,
        );
    }
}

/// A page the WARC holds, and where it came from.
struct Page {
    sample: String,
    record: u64,
    uri: String,
    date: String,
    /// The sample file.
    file: PathBuf,
    html: bool,
}

/// The crawl: every HTML sample in a response (plain, chunked, gzip, chunked gzip in
/// turn), two text samples (a response and a resource), and the records that hold no page.
fn crawl() -> (Warc, Vec<Page>) {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut names: Vec<String> = fs::read_dir(&samples)
        .unwrap_or_else(|e| panic!("{}: {e}", samples.display()))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut warc = Warc::default();
    warc.record(
        "warcinfo",
        None,
        "2025-06-01T09:00:00Z",
        "application/warc-fields",
        b"software: declutr tests\r\nformat: WARC File Format 1.1\r\n",
    );
    let mut pages = Vec::new();
    let transfers = [
        Transfer::Plain,
        Transfer::Chunked,
        Transfer::Gzip,
        Transfer::ChunkedGzip,
    ];
    let html: Vec<&String> = names
        .iter()
        .filter(|n| samples.join(n).join("input.html").is_file())
        .collect();
    assert!(html.len() >= 4, "HTML samples not found");
    for (i, name) in html.iter().enumerate() {
        let file = samples.join(name).join("input.html");
        let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        // The page's own canonical URL, as a crawler would have fetched it.
        let uri = cleaner()
            .clean_bytes(&bytes, &as_kind(Kind::Html), &DocumentInfo::default())
            .ok()
            .and_then(|c| c.url)
            .unwrap_or_else(|| format!("https://samples.example/{name}"));
        let date = format!("2025-06-{:02}T10:{:02}:00Z", i + 2, i);
        let http = http_response(
            "200 OK",
            "text/html",
            &bytes,
            transfers[i % transfers.len()],
        );
        warc.response(&uri, &date, &http);
        pages.push(Page {
            sample: name.to_string(),
            record: warc.records,
            uri,
            date,
            file,
            html: true,
        });
    }
    let text: Vec<&String> = names
        .iter()
        .filter(|n| samples.join(n).join("input.txt").is_file())
        .collect();
    for (i, name) in text.iter().take(2).enumerate() {
        let file = samples.join(name).join("input.txt");
        let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let uri = format!("https://text.example/{name}");
        let date = format!("2025-07-{:02}T08:00:00Z", i + 1);
        if i == 0 {
            let http = http_response(
                "200 OK",
                "text/plain; charset=utf-8",
                &bytes,
                Transfer::Plain,
            );
            warc.response(&uri, &date, &http);
        } else {
            warc.record("resource", Some(&uri), &date, "text/plain", &bytes);
        }
        pages.push(Page {
            sample: name.to_string(),
            record: warc.records,
            uri,
            date,
            file,
            html: false,
        });
    }
    let missing = http_response(
        "404 Not Found",
        "text/html",
        b"<html><p>No such page</p></html>",
        Transfer::Plain,
    );
    warc.response(
        "https://samples.example/missing",
        "2025-06-20T10:00:00Z",
        &missing,
    );
    let png = http_response(
        "200 OK",
        "image/png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        Transfer::Plain,
    );
    warc.response(
        "https://samples.example/logo.png",
        "2025-06-20T10:01:00Z",
        &png,
    );
    warc.record(
        "metadata",
        Some("https://samples.example/logo.png"),
        "2025-06-20T10:01:00Z",
        "application/warc-fields",
        b"fetchTimeMs: 12\r\n",
    );
    (warc, pages)
}

/// What cleaning the sample file gives, with the record's URI and date as its capture.
fn clean_sample(page: &Page) -> declutr::Cleaned {
    let bytes = fs::read(&page.file).unwrap_or_else(|e| panic!("{}: {e}", page.file.display()));
    let info = DocumentInfo {
        capture: Some(Capture {
            url: Some(page.uri.clone()),
            date: Some(page.date.clone()),
        }),
        ..DocumentInfo::default()
    };
    let kind = if page.html { Kind::Html } else { Kind::Text };
    cleaner()
        .clean_bytes(&bytes, &as_kind(kind), &info)
        .unwrap_or_else(|e| panic!("{}: {e}", page.file.display()))
}

/// Bytes of a known kind, as a WARC record's media type declares it.
fn as_kind(kind: Kind) -> Hints<'static> {
    Hints {
        kind: Some(kind),
        ..Hints::default()
    }
}

#[test]
fn a_warc_gz_built_from_the_samples_is_cleaned_with_its_provenance() {
    let tmp = tempdir();
    let root = tmp.path();
    let (warc, pages) = crawl();
    write(&root.join("crawl.warc.gz"), &warc.gzipped);

    let (code, stdout, stderr) = warc_to_jsonl(root, "crawl.warc.gz", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let records = parse_lines(&stdout);
    assert_eq!(
        records.len(),
        pages.len(),
        "one record per page, and only those:\n{stdout}"
    );
    let summary = format!(
        "cleaned {} of {} records in 1 WARC file, 2 skipped (1 not 2xx, 1 not HTML or text), 0 failed",
        pages.len(),
        warc.records
    );
    assert!(stderr.contains(&summary), "{summary}\nin:\n{stderr}");

    for (page, record) in pages.iter().zip(&records) {
        let name = &page.sample;
        assert_eq!(record["path"], "crawl.warc.gz", "{name}");
        assert_eq!(record["record"], page.record, "{name}");
        assert_eq!(
            record["record_id"],
            format!("<urn:uuid:00000000-0000-4000-8000-{:012}>", page.record),
            "{name}"
        );
        assert_eq!(record["url"], page.uri.as_str(), "{name}");
        // The provenance header: the record's URI and date, as url and date.
        assert_eq!(record["header"]["url"], page.uri.as_str(), "{name}");
        assert_eq!(record["header"]["date"], page.date.as_str(), "{name}");
        // The body (and the header) are what cleaning the sample file gives with the same
        // URI and date: the payload came through the HTTP codings unchanged.
        let alone = clean_sample(page);
        assert_eq!(record["text"], alone.body_text(), "{name}: body");
        assert_eq!(
            record["header_lines"],
            serde_json::json!(alone.header),
            "{name}"
        );
        assert!(!alone.body_text().is_empty(), "{name}");
        if page.html {
            // The page's own metadata fills the other fields.
            assert!(
                record["header"]["title"].is_string(),
                "{name}: {}",
                record["header"]
            );
        } else {
            assert_eq!(
                alone.header[..2],
                [format!("url: {}", page.uri), format!("date: {}", page.date)],
                "{name}"
            );
        }
    }
}

#[test]
fn html_records_clean_as_their_files_do_but_for_the_date_line() {
    let tmp = tempdir();
    let root = tmp.path();
    let (warc, pages) = crawl();
    write(&root.join("crawl.warc.gz"), &warc.gzipped);
    let (code, stdout, stderr) = warc_to_jsonl(root, "crawl.warc.gz", &["-q"]);
    assert_eq!(code, Some(0), "{stderr}");
    let records = parse_lines(&stdout);
    let mut kept_dates = 0;
    for (page, record) in pages.iter().zip(&records).filter(|(p, _)| p.html) {
        // The file cleaned alone, with the CLI: its header from its metadata.
        let (code, alone, stderr) = run(declutr(root)
            .arg("clean")
            .arg(&page.file)
            .args(["--format", "jsonl"]));
        assert_eq!(code, Some(0), "{stderr}");
        let alone = &parse_lines(&alone)[0];
        assert_eq!(
            alone["url"],
            page.uri.as_str(),
            "the same URL, so the same site rules"
        );
        let (_, explain, _) = run(declutr(root).arg("clean").arg(&page.file).arg("--explain"));
        // A line that only repeats the page's publication date leaves the body when the
        // header carries that date; a record's header carries the capture date instead, so
        // the line stays.
        let date_lines: Vec<&str> = explain
            .lines()
            .filter(|l| l.contains(" drop header/date "))
            .filter_map(|l| l.split_once("| ").map(|(_, t)| t))
            .collect();
        let warc_text = record["text"].as_str().unwrap_or_default();
        for line in &date_lines {
            assert!(
                warc_text.lines().any(|l| l == *line),
                "{}: {line:?} kept",
                page.sample
            );
            kept_dates += 1;
        }
        let without_dates: Vec<&str> = warc_text
            .lines()
            .filter(|l| !date_lines.contains(l))
            .collect();
        let alone_text = alone["text"].as_str().unwrap_or_default();
        assert_eq!(
            without_dates,
            alone_text.lines().collect::<Vec<_>>(),
            "{}",
            page.sample
        );
    }
    assert!(
        kept_dates >= 1,
        "no sample has a date line: the case is not exercised"
    );
}

#[test]
fn one_text_file_per_record_under_the_output_directory() {
    let tmp = tempdir();
    let root = tmp.path();
    let (warc, pages) = crawl();
    write(&root.join("in/crawl.warc.gz"), &warc.gzipped);
    write(&root.join("in/notes.txt"), "not a WARC file");
    let (code, _, stderr) =
        run(declutr(root).args(["clean", "--input-format", "warc", "in", "-o", "out"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(", 3 skipped (1 not 2xx, 1 not HTML or text, 1 file not WARC)"),
        "{stderr}"
    );
    let mut written = Vec::new();
    for page in &pages {
        let host = page
            .uri
            .split('/')
            .nth(2)
            .unwrap_or_default()
            .to_lowercase();
        let dir = root.join("out/crawl").join(&host);
        let alone = clean_sample(page);
        let file = fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| read(p) == alone.text())
            .unwrap_or_else(|| {
                panic!(
                    "{}: no file holds its text under {}",
                    page.sample,
                    dir.display()
                )
            });
        assert_eq!(file.extension().and_then(|e| e.to_str()), Some("txt"));
        written.push(file);
    }
    written.sort();
    written.dedup();
    assert_eq!(written.len(), pages.len(), "one file per page");
    let all = walkdir::WalkDir::new(root.join("out"))
        .into_iter()
        .filter_map(Result::ok);
    assert_eq!(all.filter(|e| e.file_type().is_file()).count(), pages.len());

    // --no-header: the bodies alone; stdin, read as its first bytes say.
    let (code, _, stderr) = run(declutr(root)
        .args([
            "clean",
            "--input-format",
            "warc",
            "-",
            "-o",
            "bodies",
            "--no-header",
        ])
        .write_stdin(warc.gzipped.clone()));
    assert_eq!(code, Some(0), "{stderr}");
    let page = &pages[0];
    let slug = page
        .uri
        .splitn(4, '/')
        .nth(3)
        .unwrap_or_default()
        .replace('/', "-");
    let slug = slug.trim_end_matches(".html");
    let host = page.uri.split('/').nth(2).unwrap_or_default();
    let body = read(&root.join(format!("bodies/stdin/{host}/{slug}.txt")));
    assert_eq!(body, clean_sample(page).body_text());
}

#[test]
fn a_truncated_warc_names_the_record_and_keeps_the_records_before() {
    let tmp = tempdir();
    let root = tmp.path();
    let (warc, pages) = crawl();
    // Cut the plain file inside the block of the third page's record.
    let page = &pages[2];
    let start = warc.starts[usize::try_from(page.record - 1).unwrap_or(0)];
    let cut = start + 1200;
    write(&root.join("cut.warc"), &warc.plain[..cut]);
    let (code, stdout, stderr) = warc_to_jsonl(root, "cut.warc", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    let prefix = format!(
        "cut.warc#record {} ({}): truncated: the file ends ",
        page.record, page.uri
    );
    assert!(stderr.contains(&prefix), "{prefix}\nin:\n{stderr}");
    let records = parse_lines(&stdout);
    assert_eq!(records.len(), 2, "the pages before the cut");
    for (record, page) in records.iter().zip(&pages) {
        assert_eq!(
            record["text"],
            clean_sample(page).body_text(),
            "{}",
            page.sample
        );
    }

    // The gzip file cut inside the same record's member.
    let members = gz_member_starts(&warc);
    let member = members[usize::try_from(page.record - 1).unwrap_or(0)];
    let next = members[usize::try_from(page.record).unwrap_or(0)];
    write(
        &root.join("cut.warc.gz"),
        &warc.gzipped[..member + (next - member) / 2],
    );
    let (code, stdout, stderr) = warc_to_jsonl(root, "cut.warc.gz", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    let prefix = format!("cut.warc.gz#record {}", page.record);
    assert!(
        stderr.contains(&prefix) && stderr.contains("truncated"),
        "{prefix}\nin:\n{stderr}"
    );
    assert_eq!(parse_lines(&stdout).len(), 2);
}

#[test]
fn failures_are_reported_in_record_order() {
    let tmp = tempdir();
    let root = tmp.path();
    let page = "<html><body><p>The council voted on Tuesday to close the old bridge to cars \
for the summer, after engineers found that two of its supports had been weakened.</p></body></html>";
    let mut warc = Warc::default();
    let http = http_response("200 OK", "text/html", page.as_bytes(), Transfer::Plain);
    warc.response("https://a.example/one", "2025-06-01T10:00:00Z", &http);
    let lzw = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: compress\r\n\r\n{page}"
    );
    warc.response(
        "https://a.example/two",
        "2025-06-01T10:00:00Z",
        lzw.as_bytes(),
    );
    warc.response("https://a.example/three", "2025-06-01T10:00:00Z", &http);
    write(
        &root.join("cut.warc"),
        &warc.plain[..warc.plain.len() - 100],
    );
    let (code, stdout, stderr) = warc_to_jsonl(root, "cut.warc", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(parse_lines(&stdout).len(), 1);
    let failures: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("cut.warc#"))
        .collect();
    assert_eq!(
        failures,
        [
            "cut.warc#record 4 (https://a.example/two): unsupported Content-Encoding \"compress\""
                .to_string(),
            format!(
                "cut.warc#record 6 (https://a.example/three): truncated: the file ends {} bytes into a block of {}",
                http.len() - 96,
                http.len()
            ),
        ],
        "{stderr}"
    );
}

/// Where each record's gzip member starts in the `.warc.gz` bytes.
fn gz_member_starts(warc: &Warc) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    for (i, start) in warc.starts.iter().enumerate() {
        let end = warc.starts.get(i + 1).copied().unwrap_or(warc.plain.len());
        starts.push(at);
        at += gz(&warc.plain[*start..end]).len();
    }
    starts.push(at);
    starts
}

#[test]
fn usage_errors_write_nothing() {
    let tmp = tempdir();
    let root = tmp.path();
    let (warc, _) = crawl();
    write(&root.join("a/crawl.warc.gz"), &warc.gzipped);
    write(&root.join("b/crawl.warc"), &warc.plain);
    let cases: [(&[&str], &str); 4] = [
        (
            &["a/crawl.warc.gz"],
            "writes one text file per record under -o DIR",
        ),
        (
            &["a/crawl.warc.gz", "b/crawl.warc", "-o", "out"],
            "a/crawl.warc.gz and b/crawl.warc would both be written to out/crawl",
        ),
        (
            &["a", "-o", "a/out"],
            "output directory a/out is inside input directory a",
        ),
        (
            &["a/crawl.warc.gz", "-o", "out", "--explain"],
            "--explain applies to pages",
        ),
    ];
    for (args, message) in cases {
        let (code, stdout, stderr) = run(declutr(root)
            .args(["clean", "--input-format", "warc"])
            .args(args));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stdout.is_empty());
        assert!(!root.join("out").exists() && !root.join("a/out").exists());
    }
}

/// A response record holding an HTML page about `topic`, its `Content-Length` field
/// `length` (the block's true length when `None`), with `extra` header fields.
fn page_record(uri: &str, topic: &str, length: Option<&str>, extra: &str) -> Vec<u8> {
    let page = format!(
        "<html><head><title>{topic}</title></head><body><nav><a href=/>Home</a></nav>\
<article><h1>{topic}</h1><p>The committee met on Thursday evening to discuss {topic}, and \
agreed after a long debate that the work should start before the end of the summer.</p>\
<p>Residents who spoke at the meeting said that {topic} had been promised for years.</p>\
</article><footer>Copyright 2025 Example</footer></body></html>"
    );
    let http = http_response("200 OK", "text/html", page.as_bytes(), Transfer::Plain);
    let length = length.map_or_else(|| http.len().to_string(), str::to_string);
    let mut record = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\n\
WARC-Date: 2025-06-01T10:00:00Z\r\n{extra}Content-Type: application/http; msgtype=response\r\n\
Content-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    record.extend(http);
    record.extend(b"\r\n\r\n");
    record
}

/// One good record, then `damaged`, then 100 good records: as a plain file, and as a gzip
/// file of one member per record.
fn damaged_file(damaged: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<Vec<u8>>) {
    let good: Vec<Vec<u8>> = (0..101)
        .map(|i| {
            let uri = format!("https://town.example/news/{i}");
            page_record(&uri, &format!("the new footbridge number {i}"), None, "")
        })
        .collect();
    let mut records = vec![good[0].clone(), damaged.to_vec()];
    records.extend(good[1..].iter().cloned());
    let plain = records.concat();
    let gzipped = records.iter().map(|r| gz(r)).collect::<Vec<_>>().concat();
    (plain, gzipped, good)
}

/// The pages of a JSON Lines output: URL, header lines and text.
fn pages_of(jsonl: &str) -> Vec<(Value, Value, Value)> {
    parse_lines(jsonl)
        .into_iter()
        .map(|r| {
            (
                r["url"].clone(),
                r["header_lines"].clone(),
                r["text"].clone(),
            )
        })
        .collect()
}

#[test]
fn one_damaged_record_does_not_lose_the_hundred_after_it() {
    let tmp = tempdir();
    let root = tmp.path();
    let uri = "https://damaged.example/x";
    let true_length = page_record(uri, "the damaged record", None, "")
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| page_record(uri, "the damaged record", None, "").len() - at - 8)
        .unwrap_or_default();
    let with_length = |n: &str| page_record(uri, "the damaged record", Some(n), "");
    let pad = format!("X-Padding: {}\r\n", "p".repeat(1_100_000));
    // (name, the damaged bytes, whether its page is read, what stderr says)
    let cases: Vec<(&str, Vec<u8>, bool, String)> = vec![
        (
            "negative",
            with_length("-5"),
            true,
            format!(
                "warning: bad Content-Length \"-5\": the block runs to the next record, {true_length} bytes"
            ),
        ),
        (
            "not-a-number",
            with_length("12abc"),
            true,
            "warning: bad Content-Length \"12abc\": the block runs to the next record".into(),
        ),
        (
            "too-short",
            with_length(&(true_length - 60).to_string()),
            true,
            format!(
                "warning: Content-Length {} is too short: the block runs on to the next record, {true_length} bytes",
                true_length - 60
            ),
        ),
        (
            "too-long",
            with_length(&(true_length + 5000).to_string()),
            true,
            format!(
                "warning: Content-Length {} is too long: the block ends where the next record starts, after {true_length} bytes",
                true_length + 5000
            ),
        ),
        (
            "header-over-1-mib",
            page_record(uri, "the damaged record", None, &pad),
            false,
            "header over 1048576 bytes: skipped ".into(),
        ),
        (
            "garbage",
            b"\0\x01\x02 not a record at all\r\nWARC/1.1 nor this\r\n".to_vec(),
            false,
            "not a WARC record: it starts with ".into(),
        ),
    ];
    // The good records alone: what each must come out as.
    let (_, _, good) = damaged_file(b"");
    write(&root.join("good.warc"), good.concat());
    let (code, alone, stderr) = warc_to_jsonl(root, "good.warc", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let alone = pages_of(&alone);
    assert_eq!(alone.len(), 101);

    for (name, damaged, page_read, message) in &cases {
        let (plain, gzipped, _) = damaged_file(damaged);
        for (file, bytes) in [("bad.warc", &plain), ("bad.warc.gz", &gzipped)] {
            let file = format!("{name}-{file}");
            write(&root.join(&file), bytes);
            let (code, stdout, stderr) = warc_to_jsonl(root, &file, &[]);
            let mut pages = pages_of(&stdout);
            let damaged_page = pages
                .iter()
                .position(|p| p.0 == uri)
                .map(|i| pages.remove(i));
            assert_eq!(pages, alone, "{file}: the good pages, as cleaned alone");
            assert_eq!(damaged_page.is_some(), *page_read, "{file}: {stderr}");
            assert!(
                stderr.contains(message.as_str()),
                "{file}: {message}\nin:\n{stderr}"
            );
            if *page_read {
                // Nothing was lost: a warning naming the record, exit code 0.
                let at = format!("{file}#record 2 ({uri}): warning: ");
                assert!(stderr.contains(&at), "{file}: {stderr}");
                assert_eq!(code, Some(0), "{file}: {stderr}");
                assert!(
                    stderr.contains("cleaned 102 of 102 records"),
                    "{file}: {stderr}"
                );
            } else {
                // Bytes were skipped: a failure naming the file and the offset, exit code 1.
                let from = format!("from byte {} to the next record", good[0].len());
                assert!(stderr.contains(&from), "{file}: {from}\nin:\n{stderr}");
                assert!(
                    stderr.contains("of damaged WARC data ("),
                    "{file}: {stderr}"
                );
                assert_eq!(code, Some(1), "{file}: {stderr}");
            }
        }
    }
}

#[test]
fn brotli_and_zstd_bodies_are_cleaned_as_plain_ones() {
    let tmp = tempdir();
    let root = tmp.path();
    let page = "<html><body><article><p>The library will stay open until nine on weekdays \
from next month, the council said, after a survey found that most readers come after work.</p>\
</article></body></html>";
    let mut brotli = Vec::new();
    {
        let mut w = ::brotli::CompressorWriter::new(&mut brotli, 4096, 5, 22);
        w.write_all(page.as_bytes())
            .unwrap_or_else(|e| panic!("brotli: {e}"));
    }
    let zstd = ::zstd::encode_all(page.as_bytes(), 3).unwrap_or_else(|e| panic!("zstd: {e}"));
    let mut warc = Warc::default();
    let plain = http_response("200 OK", "text/html", page.as_bytes(), Transfer::Plain);
    warc.response("https://a.example/plain", "2025-06-01T10:00:00Z", &plain);
    for (coding, body) in [("br", &brotli), ("zstd", &zstd)] {
        let mut http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {coding}\r\n\
Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        http.extend(body);
        warc.response("https://a.example/plain", "2025-06-01T10:00:00Z", &http);
    }
    write(&root.join("coded.warc"), &warc.plain);
    let (code, stdout, stderr) = warc_to_jsonl(root, "coded.warc", &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let pages = pages_of(&stdout);
    assert_eq!(pages.len(), 3, "{stderr}");
    assert!(pages.iter().all(|p| p == &pages[0]), "{pages:?}");
    assert!(
        pages[0]
            .2
            .as_str()
            .is_some_and(|t| t.contains("open until nine"))
    );
}

#[test]
fn a_trailing_record_a_few_bytes_off_is_a_warning_and_its_page_is_cleaned() {
    let tmp = tempdir();
    let root = tmp.path();
    let (_, _, good) = damaged_file(b"");
    let last = &good[100];
    let block = last.len() - 4 - last.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) - 4;
    write(&root.join("good.warc"), good.concat());
    let (_, alone, _) = warc_to_jsonl(root, "good.warc", &[]);
    // The file ends 3 bytes before the block's length; the block is 5 bytes longer than
    // its length says.
    let declared = format!("Content-Length: {block}\r\n");
    let cases = [
        (
            format!("Content-Length: {}\r\n", block + 3),
            "the file ends 3 bytes before the block's Content-Length",
            true,
        ),
        (
            format!("Content-Length: {}\r\n", block - 5),
            "is too short: the block runs on to the end of the file",
            false,
        ),
    ];
    for (field, message, cut) in cases {
        let mut file = good[..100].concat();
        let mut record = String::from_utf8_lossy(last)
            .replace(&declared, &field)
            .into_bytes();
        if cut {
            record.truncate(record.len() - 4);
        }
        file.extend(record);
        write(&root.join("off.warc"), &file);
        let (code, stdout, stderr) = warc_to_jsonl(root, "off.warc", &[]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(
            stderr.contains("off.warc#record 101 (https://town.example/news/100): warning: ")
                && stderr.contains(message),
            "{message}\nin:\n{stderr}"
        );
        assert_eq!(pages_of(&stdout), pages_of(&alone), "{message}");
    }
}

#[test]
fn resume_skips_the_records_whose_text_file_is_written() {
    let tmp = tempdir();
    let root = tmp.path();
    let (_, _, good) = damaged_file(b"");
    write(&root.join("in/crawl.warc"), good[..5].concat());
    let clean = |extra: &[&str]| {
        run(declutr(root)
            .args(["clean", "--input-format", "warc", "in", "-o", "out"])
            .args(extra))
    };
    let (code, _, stderr) = clean(&[]);
    assert_eq!(code, Some(0), "{stderr}");
    let dir = root.join("out/crawl/town.example");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 5);
    let texts: Vec<String> = files.iter().map(|f| read(f)).collect();
    // An interrupted run: one page not written.
    fs::remove_file(&files[2]).unwrap_or_else(|e| panic!("{e}"));
    let before = fs::metadata(&files[0]).and_then(|m| m.modified()).ok();
    let (code, _, stderr) = clean(&["--resume"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("cleaned 1 of 5 records"), "{stderr}");
    assert!(stderr.contains("4 up to date"), "{stderr}");
    let after: Vec<String> = files.iter().map(|f| read(f)).collect();
    assert_eq!(after, texts, "every page, the missing one written again");
    assert_eq!(
        fs::metadata(&files[0]).and_then(|m| m.modified()).ok(),
        before
    );

    // JSON Lines are one stream: --resume does not apply, as for any JSON Lines output.
    let (code, stdout, stderr) = warc_to_jsonl(root, "in/crawl.warc", &["--resume"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("--resume applies to a batch cleaned into a directory"),
        "{stderr}"
    );
}
