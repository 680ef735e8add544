//! Decoding: line ends, invalid bytes, charset declarations, and the byte-order mark and
//! escapes of JSON Lines. A file decodes as a browser (or an editor) would read it, and
//! never comes out empty or as mojibake for a detail of its encoding.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::common::tempdir;
use super::*;

/// Every file under `dir` outside `clean/`, with its contents.
fn outside_clean(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry
                .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                .path();
            if path == dir.join("clean") {
                continue;
            }
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                files.insert(path, bytes);
            }
        }
    }
    files
}

/// `declutr ARGS` in `dir`.
fn run(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> Output {
    let mut cmd = declutr(dir);
    cmd.args(args);
    if let Some(stdin) = stdin {
        cmd.write_stdin(stdin);
    }
    cmd.output().unwrap_or_else(|e| panic!("run: {e}"))
}

/// Cleans the batch, asserting exit 0, no file named on stderr, nothing written outside
/// `clean/`, and the good files cleaned as when alone.
fn clean_batch(dir: &Path, names: &[&str]) {
    let before = outside_clean(dir);
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for name in names {
        assert!(!err.contains(name), "{name} is not a problem: {err}");
    }
    assert_eq!(outside_clean(dir), before, "nothing written outside -o");
    assert_good_files_cleaned(dir);
}

/// `declutr clean FILE --explain`'s encoding line.
fn explained_encoding(dir: &Path, file: &str) -> String {
    let out = run(dir, &["clean", file, "--explain"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines().next().unwrap_or("").to_string()
}

#[test]
fn a_file_whose_lines_end_in_cr_alone_is_cleaned_like_its_lf_twin() {
    let tmp = scrape();
    let dir = tmp.path();
    write(
        &dir.join("scrape/a/ferry-cr.txt"),
        FERRY.replace('\n', "\r"),
    );
    write(
        &dir.join("scrape/a/ferry-crlf.txt"),
        FERRY.replace('\n', "\r\n"),
    );
    clean_batch(dir, &["ferry-cr", "ferry-crlf"]);
    let lf = read(&dir.join("clean/a/ferry.txt"));
    assert!(
        lf.starts_with("url: https://news.example/2025/ferry\n\n"),
        "{lf}"
    );
    assert!(
        !lf.contains("Leave a Reply"),
        "the clutter is removed: {lf}"
    );
    for twin in ["clean/a/ferry-cr.txt", "clean/a/ferry-crlf.txt"] {
        assert_eq!(read(&dir.join(twin)), lf, "{twin}: output lines end in \\n");
    }
}

#[test]
fn a_few_invalid_bytes_in_utf8_are_replaced_not_read_as_windows_1252() {
    let tmp = scrape();
    let dir = tmp.path();
    let text = FERRY.replace("harbour board", "harbour board of Saint-Rémy");
    let mut bytes = text.clone().into_bytes();
    // One stray byte (0xff is never UTF-8) in the middle of the article.
    let at = text.find("complaints").unwrap_or(0);
    bytes.insert(at, 0xff);
    write(&dir.join("scrape/a/stray.txt"), &bytes);
    let page = LIBRARY.replace("Saturday morning", "Saturday morning (café \u{2615})");
    write(
        &dir.join("scrape/b/stray.html"),
        in_article(&page, b"<p>Volunteers said the caf\xe9 upstairs will open later in the spring, once the lift is working.</p>"),
    );
    clean_batch(dir, &["stray"]);

    let out = read(&dir.join("clean/a/stray.txt"));
    assert!(out.contains("Saint-Rémy"), "{out}");
    assert!(out.contains("\u{fffd}complaints"), "{out}");
    assert!(!out.contains('Ã'), "no mojibake: {out}");
    let out = read(&dir.join("clean/b/stray.txt"));
    assert!(out.contains("(café \u{2615})"), "{out}");
    assert!(out.contains("the caf\u{fffd} upstairs"), "{out}");
    assert!(!out.contains('Ã'), "no mojibake: {out}");

    assert_eq!(
        explained_encoding(dir, "scrape/a/stray.txt"),
        "# encoding: UTF-8 (none declared, the bytes are mostly valid UTF-8; 1 invalid byte replaced)"
    );
    assert_eq!(
        explained_encoding(dir, "scrape/b/stray.html"),
        "# encoding: UTF-8 (none declared, the bytes are mostly valid UTF-8; 1 invalid byte replaced)"
    );
    // A legacy file is still read in its encoding.
    write(
        &dir.join("latin.txt"),
        b"Caf\xe9 cr\xe8me, \xe0 la carte.\n",
    );
    assert_eq!(
        explained_encoding(dir, "latin.txt"),
        "# encoding: windows-1252 (detected)"
    );
}

/// `page` with `paragraph` (bytes in any encoding) at the end of its article.
fn in_article(page: &str, paragraph: &[u8]) -> Vec<u8> {
    let (before, after) = page.split_once("</article>").unwrap_or((page, ""));
    let mut bytes = before.as_bytes().to_vec();
    bytes.extend(paragraph);
    bytes.extend(b"</article>");
    bytes.extend(after.as_bytes());
    bytes
}

/// [`LIBRARY`] with `extra` at the start of its head.
fn library_with(extra: &str) -> String {
    LIBRARY.replace("<head>", &format!("<head>{extra}"))
}

#[test]
fn a_utf16_declaration_on_an_ascii_page_means_utf8() {
    let tmp = scrape();
    let dir = tmp.path();
    write(
        &dir.join("scrape/b/utf16.html"),
        library_with("<meta charset=\"utf-16\">"),
    );
    write(
        &dir.join("scrape/b/utf16le.html"),
        library_with("<meta http-equiv=Content-Type content='text/html; charset=UTF-16LE'>"),
    );
    clean_batch(dir, &["utf16"]);
    let plain = read(&dir.join("clean/b/library.txt"));
    assert!(plain.contains("Old library reopens"), "{plain}");
    for name in ["utf16", "utf16le"] {
        let out = read(&dir.join(format!("clean/b/{name}.txt")));
        assert_eq!(out, plain, "{name}");
    }
    assert_eq!(
        explained_encoding(dir, "scrape/b/utf16.html"),
        "# encoding: UTF-8 (declared in the page)"
    );
}

/// A WARC file of one response record per `(uri, content type, body)`.
fn warc(records: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, (uri, content_type, body)) in records.iter().enumerate() {
        let mut block =
            format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
        block.extend(*body);
        out.extend(
            format!(
                "WARC/1.1\r\nWARC-Type: response\r\n\
                 WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{n:012}>\r\n\
                 WARC-Date: 2025-04-02T08:30:00Z\r\nWARC-Target-URI: {uri}\r\n\
                 Content-Type: application/http; msgtype=response\r\n\
                 Content-Length: {}\r\n\r\n",
                block.len()
            )
            .into_bytes(),
        );
        out.extend(block);
        out.extend(b"\r\n\r\n");
    }
    out
}

#[test]
fn an_http_utf16_charset_on_an_ascii_page_means_utf8() {
    let tmp = tempdir();
    let dir = tmp.path();
    let page = library_with("<meta charset=utf-8>");
    write(
        &dir.join("crawl.warc"),
        warc(&[
            (
                "https://a.example/1",
                "text/html; charset=utf-8",
                page.as_bytes(),
            ),
            (
                "https://a.example/2",
                "text/html; charset=utf-16",
                page.as_bytes(),
            ),
            (
                "https://a.example/3",
                "text/html; charset=\"UTF-16BE\"",
                page.as_bytes(),
            ),
        ]),
    );
    let before = outside_clean(dir);
    let out = run(
        dir,
        &[
            "clean",
            "--input-format",
            "warc",
            "crawl.warc",
            "--format",
            "jsonl",
            "-o",
            "clean/all.jsonl",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with("cleaned 3 of 3 records"), "{err}");
    assert!(err.contains(" 0 failed"), "{err}");
    assert_eq!(outside_clean(dir), before, "nothing written outside -o");
    let texts: Vec<String> = read(&dir.join("clean/all.jsonl"))
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    assert_eq!(texts.len(), 3);
    assert!(
        texts[0].contains("The town library opened its doors"),
        "{}",
        texts[0]
    );
    assert_eq!(texts[1], texts[0]);
    assert_eq!(texts[2], texts[0]);
}

#[test]
fn x_user_defined_means_windows_1252() {
    let tmp = scrape();
    let dir = tmp.path();
    let page = in_article(
        &library_with("<meta charset=\"x-user-defined\">"),
        b"<p>Le caf\xe9 de la gare rouvre aussi ses portes, \xe0 c\xf4t\xe9 de la biblioth\xe8que, apr\xe8s les travaux.</p>",
    );
    write(&dir.join("scrape/b/user.html"), page);
    clean_batch(dir, &["user.html"]);
    let out = read(&dir.join("clean/b/user.txt"));
    assert!(
        out.contains("Le café de la gare rouvre aussi ses portes, à côté de la bibliothèque"),
        "{out}"
    );
    assert_eq!(
        explained_encoding(dir, "scrape/b/user.html"),
        "# encoding: windows-1252 (declared in the page)"
    );
}

#[test]
fn a_script_charset_is_not_the_pages_declaration() {
    let tmp = scrape();
    let dir = tmp.path();
    let page = library_with(
        "<script charset=\"iso-8859-2\" src=\"/widget.js\"></script>\
         <link rel=stylesheet charset=shift_jis href=/a.css>",
    )
    .replace(
        "Saturday morning",
        "Saturday morning, Łódź-style, with café",
    );
    write(&dir.join("scrape/b/script.html"), &page);
    clean_batch(dir, &["script.html"]);
    let out = read(&dir.join("clean/b/script.txt"));
    assert!(
        out.contains("Saturday morning, Łódź-style, with café"),
        "{out}"
    );
    assert_eq!(
        explained_encoding(dir, "scrape/b/script.html"),
        "# encoding: UTF-8 (none declared, the bytes are valid UTF-8)"
    );
    // A declaration after it is the page's.
    write(
        &dir.join("late.html"),
        library_with("<script charset=utf-8></script><meta charset=iso-8859-2>"),
    );
    assert_eq!(
        explained_encoding(dir, "late.html"),
        "# encoding: ISO-8859-2 (declared in the page)"
    );
}

/// A JSON Lines record holding `text`.
fn record(text: &str) -> String {
    format!("{}\n", serde_json::json!({ "id": 1, "text": text }))
}

fn gzipped(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap_or_else(|e| panic!("gzip: {e}"));
    e.finish().unwrap_or_else(|e| panic!("gzip: {e}"))
}

#[test]
fn a_jsonl_stream_may_start_with_a_byte_order_mark() {
    let tmp = tempdir();
    let dir = tmp.path();
    let plain = format!("{}{}", record(FERRY), record(FERRY));
    let with_bom = format!("\u{feff}{plain}");
    write(&dir.join("plain.jsonl"), &plain);
    write(&dir.join("bom.jsonl"), &with_bom);
    write(&dir.join("bom.jsonl.gz"), gzipped(with_bom.as_bytes()));
    let before = outside_clean(dir);
    let clean = |args: &[&str], stdin: Option<Vec<u8>>| {
        let mut all = vec!["clean", "--input-format", "jsonl"];
        all.extend(args);
        let out = run(dir, &all, stdin);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let want = clean(&["plain.jsonl", "-q"], None);
    assert_eq!(want.lines().count(), 2);
    assert!(!want.contains("Leave a Reply"), "{want}");
    assert_eq!(clean(&["bom.jsonl", "-q"], None), want);
    assert_eq!(clean(&["bom.jsonl.gz", "-q"], None), want);
    assert_eq!(
        clean(&["-", "-q"], Some(with_bom.clone().into_bytes())),
        want
    );
    assert_eq!(outside_clean(dir), before, "nothing written");
}

#[test]
fn a_lone_surrogate_in_jsonl_is_named_and_the_stream_goes_on() {
    let tmp = tempdir();
    let dir = tmp.path();
    let good = record(FERRY);
    let bad = "{\"id\": 2, \"text\": \"Caf\\u00e9 \\ud800 au lait\"}\n";
    write(&dir.join("in.jsonl"), format!("{good}{bad}{good}"));
    let before = outside_clean(dir);
    let out = run(dir, &["clean", "--input-format", "jsonl", "in.jsonl"], None);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(
            "in.jsonl:2: lone UTF-16 surrogate \\ud800 in field \"text\" (not valid Unicode)\n"
        ),
        "{err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(format!("{}\n", lines[1]), bad, "passed through unchanged");
    let alone = run(
        dir,
        &["clean", "--input-format", "jsonl", "-", "-q"],
        Some(good.into_bytes()),
    );
    let alone = String::from_utf8_lossy(&alone.stdout).into_owned();
    assert_eq!(format!("{}\n", lines[0]), alone);
    assert_eq!(format!("{}\n", lines[2]), alone);
    assert_eq!(outside_clean(dir), before, "nothing written");
}
