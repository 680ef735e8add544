//! Hostile names: nothing is ever written outside `-o`, whatever the names of the inputs,
//! of a WARC file, of `--site` or of a page's host, and a symbolic link inside `-o` is
//! never written through. Names in messages are printed on one line, losslessly. (The
//! property over any name, of every output path, is a unit test: `src/run/tests.rs`.)

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;

/// Every file and link under `dir` but those under `except` (its path relative to `dir`),
/// with its contents or, for a link, its target: what a run must leave as it was.
fn tree(dir: &Path, except: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn visit(dir: &Path, at: &Path, except: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(at) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            if rel.starts_with(except) {
                continue;
            }
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).unwrap_or_default();
                out.insert(rel, target.into_os_string().into_encoded_bytes());
            } else if meta.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                visit(dir, &path, except, out);
            } else {
                out.insert(rel, fs::read(&path).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    visit(dir, dir, except, &mut out);
    out
}

/// Asserts that `output` is what cleaning `input` alone gives.
fn assert_cleaned_alone(dir: &Path, input: &str, output: &str) {
    let alone = declutr(dir)
        .args(["clean", input])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(alone.status.success(), "{input} alone: {}", stderr(&alone));
    assert_eq!(
        read(&dir.join(output)),
        String::from_utf8_lossy(&alone.stdout),
        "{output}"
    );
}

/// A WARC file of one `resource` record: a plain-text page of `uri`.
fn warc(uri: &str, text: &str) -> Vec<u8> {
    format!(
        "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: {uri}\r\n\
WARC-Date: 2025-04-02T08:30:00Z\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n\r\n",
        text.len()
    )
    .into_bytes()
}

#[test]
fn a_warc_file_named_with_dots_writes_under_the_output_only() {
    let tmp = common::tempdir();
    let dir = tmp.path();
    // `...warc` once named its pages' directory `..`: `box/out/..` is `box`.
    let victim = "box/news.example/index.txt";
    write(&dir.join(victim), "mine");
    for name in ["...warc", "...gz", " .warc", ". .warc.gz"] {
        let _ = fs::remove_dir_all(dir.join("in"));
        let _ = fs::remove_dir_all(dir.join("box/out"));
        write(
            &dir.join("in").join(name),
            warc("https://news.example/", FERRY),
        );
        let before = tree(dir, Path::new("box/out"));
        let out = declutr(dir)
            .args(["clean", "--input-format", "warc"])
            .arg(Path::new("in").join(name))
            .args(["-o", "box/out"])
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{name:?}: {err}");
        assert!(err.contains("cleaned 1 of 1 record"), "{name:?}: {err}");
        assert_eq!(tree(dir, Path::new("box/out")), before, "{name:?}");
        assert_eq!(read(&dir.join(victim)), "mine");
        // The page is under the output, in the directory named `warc`.
        let page = read(&dir.join("box/out/warc/news.example/index.txt"));
        assert!(
            page.starts_with("url: https://news.example/\n"),
            "{name:?}: {page}"
        );
    }
}

#[test]
fn a_hostile_site_is_a_usage_error_and_learn_force_writes_nothing() {
    let tmp = scrape();
    let dir = tmp.path();
    write(&dir.join("x.toml"), "# mine\n");
    write(&dir.join("rules/x.toml"), "# mine too\n");
    let before = tree(dir, Path::new("none"));
    for site in ["../../x", "../x", "/abs/path", "a/b", "..", "", "*", "a b"] {
        let out = declutr(dir)
            .args([
                "learn",
                "scrape",
                "--force",
                "-o",
                "rules/sites",
                "--site",
                site,
            ])
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{site:?}: {err}");
        assert!(
            err.contains("--site") && err.contains("is not a host name"),
            "{site:?}: {err}"
        );
        assert_eq!(tree(dir, Path::new("none")), before, "{site:?}");

        let out = batch(dir, &["--site", site]);
        assert_eq!(out.status.code(), Some(2), "clean --site {site:?}");
        assert!(stderr(&out).contains("is not a host name"), "{site:?}");
        assert!(!dir.join("clean").exists());
    }
    // A host name is taken, normalised.
    let out = batch(dir, &["--site", "News.Example."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_good_files_cleaned(dir);
}

/// Pages of one site, without a URL in their header, sharing two clutter lines.
fn site_pages(dir: &Path, folder: &str, header: impl Fn(usize) -> String) {
    for i in 0..6 {
        write(
            &dir.join(format!("{folder}/page{i}.txt")),
            format!(
                "{}\nNumber {i} of the harbour board minutes, as agreed on day {i} \
after a long and careful discussion of the winter timetable.\n\
Follow the harbour board on every channel\nPrinted from the harbour archive\n",
                header(i)
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn learn_force_never_writes_through_a_link_in_the_output() {
    let tmp = common::tempdir();
    let dir = tmp.path();
    site_pages(dir, "in/harbour.example", |_| String::new());
    // The site's file is a link to a file outside -o; with --force it was overwritten.
    write(&dir.join("victim.toml"), "# mine\n");
    fs::create_dir_all(dir.join("rules/sites")).unwrap_or_else(|e| panic!("{e}"));
    symlink(
        "../../victim.toml",
        &dir.join("rules/sites/harbour.example.toml"),
    );
    let before = tree(dir, Path::new("none"));
    let out = declutr(dir)
        .args(["learn", "in", "--force", "-o", "rules/sites"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "harbour.example: cannot write rules/sites/harbour.example.toml: \
rules/sites/harbour.example.toml is a symbolic link"
        ),
        "{err}"
    );
    assert_eq!(tree(dir, Path::new("none")), before);

    // Without the link the file is written, under -o.
    fs::remove_file(dir.join("rules/sites/harbour.example.toml")).unwrap_or_else(|e| panic!("{e}"));
    let out = declutr(dir)
        .args(["learn", "in", "--force", "-o", "rules/sites"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(read(&dir.join("rules/sites/harbour.example.toml")).contains("harbour archive"));
    assert_eq!(read(&dir.join("victim.toml")), "# mine\n");
}

#[test]
fn a_page_host_that_is_no_host_name_names_no_site_file() {
    let tmp = common::tempdir();
    let dir = tmp.path();
    site_pages(dir, "in", |i| format!("url: http://a*b.example/p{i}\n"));
    let out = declutr(dir)
        .args(["learn", "in", "-o", "rules/sites"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("0 site files"), "{err}");
    let written: Vec<_> = fs::read_dir(dir.join("rules/sites"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}

#[cfg(unix)]
fn symlink(target: &str, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap_or_else(|e| panic!("symlink: {e}"));
}

#[cfg(unix)]
#[test]
fn a_symlinked_directory_or_file_inside_the_output_is_refused() {
    let tmp = scrape();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("elsewhere")).unwrap_or_else(|e| panic!("{e}"));
    write(&dir.join("victim.txt"), "mine");
    fs::create_dir_all(dir.join("clean/b")).unwrap_or_else(|e| panic!("{e}"));
    symlink("../elsewhere", &dir.join("clean/a"));
    let before = tree(dir, Path::new("clean/b"));
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "scrape/a/ferry.txt: cannot write clean/a/ferry.txt: clean/a is a symbolic link, \
and declutr never writes through a link"
        ),
        "{err}"
    );
    assert!(err.contains("1 failed"), "{err}");
    assert_eq!(tree(dir, Path::new("clean/b")), before);
    assert_cleaned_alone(dir, "scrape/b/library.html", "clean/b/library.txt");

    // A link in place of an output file: the file it points to is not written.
    fs::remove_file(dir.join("clean/a")).unwrap_or_else(|e| panic!("{e}"));
    fs::remove_file(dir.join("clean/b/library.txt")).unwrap_or_else(|e| panic!("{e}"));
    symlink("../../victim.txt", &dir.join("clean/b/library.txt"));
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "scrape/b/library.html: cannot write clean/b/library.txt: clean/b/library.txt is a symbolic link"
        ),
        "{err}"
    );
    assert_eq!(read(&dir.join("victim.txt")), "mine");
    assert_cleaned_alone(dir, "scrape/a/ferry.txt", "clean/a/ferry.txt");

    // The one file of --format jsonl: a usage error, nothing written.
    symlink("victim.txt", &dir.join("all.jsonl"));
    let out = declutr(dir)
        .args(["clean", "scrape", "--format", "jsonl", "-o", "all.jsonl"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("all.jsonl is a symbolic link"));
    assert_eq!(read(&dir.join("victim.txt")), "mine");
}

#[cfg(unix)]
#[test]
fn resume_never_removes_a_temporary_file_through_a_link() {
    let tmp = scrape();
    let dir = tmp.path();
    let out = batch(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `clean/a` swapped for a link to a directory outside the output that holds a file
    // named as a killed run's temporary file would be; and a real one in `clean/b`.
    let victim = dir.join("elsewhere/.ferry.txt.declutr-4242.tmp");
    write(&victim, "mine");
    fs::remove_dir_all(dir.join("clean/a")).unwrap_or_else(|e| panic!("{e}"));
    symlink("../elsewhere", &dir.join("clean/a"));
    write(&dir.join("clean/b/.library.txt.declutr-4242.tmp"), "half");
    let before = tree(dir, Path::new("clean/b"));
    let out = batch(dir, &["--resume"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("removed 1 temporary file left by an interrupted run"),
        "{err}"
    );
    assert!(
        err.contains(
            "scrape/a/ferry.txt: cannot write clean/a/ferry.txt: clean/a is a symbolic link"
        ),
        "{err}"
    );
    assert_eq!(read(&victim), "mine");
    assert_eq!(tree(dir, Path::new("clean/b")), before);
    assert!(!dir.join("clean/b/.library.txt.declutr-4242.tmp").exists());
    assert_cleaned_alone(dir, "scrape/b/library.html", "clean/b/library.txt");
}

#[cfg(unix)]
#[test]
fn resume_reports_a_linked_output_instead_of_skipping_it() {
    let tmp = scrape();
    let dir = tmp.path();
    let out = batch(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Newer than every input: through the links, both outputs would look up to date.
    write(&dir.join("victim.txt"), "mine");
    write(&dir.join("elsewhere/ferry.txt"), "mine too");
    fs::remove_file(dir.join("clean/b/library.txt")).unwrap_or_else(|e| panic!("{e}"));
    symlink("../../victim.txt", &dir.join("clean/b/library.txt"));
    fs::remove_dir_all(dir.join("clean/a")).unwrap_or_else(|e| panic!("{e}"));
    symlink("../elsewhere", &dir.join("clean/a"));
    let out = batch(dir, &["--resume"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "scrape/b/library.html: cannot write clean/b/library.txt: clean/b/library.txt is a symbolic link"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "scrape/a/ferry.txt: cannot write clean/a/ferry.txt: clean/a is a symbolic link"
        ),
        "{err}"
    );
    assert!(err.contains("2 failed"), "{err}");
    assert!(!err.contains("up to date"), "{err}");
    assert_eq!(read(&dir.join("victim.txt")), "mine");
    assert_eq!(read(&dir.join("elsewhere/ferry.txt")), "mine too");

    // With the directory link gone, its input is cleaned again; the file link still fails.
    fs::remove_file(dir.join("clean/a")).unwrap_or_else(|e| panic!("{e}"));
    let out = batch(dir, &["--resume"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cleaned 1 file, 0 skipped, 1 failed"), "{err}");
    assert_cleaned_alone(dir, "scrape/a/ferry.txt", "clean/a/ferry.txt");
}

#[test]
fn a_directory_named_with_dots_is_refused_alone() {
    let tmp = scrape();
    let dir = tmp.path();
    write(&dir.join("scrape/.../page.txt"), FERRY);
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "scrape/.../page.txt: cannot write \".../page.txt\" under clean: \
a name made only of dots and spaces"
        ),
        "{err}"
    );
    assert_good_files_cleaned(dir);
}

#[cfg(unix)]
#[test]
fn names_in_messages_are_escaped_and_shown_losslessly() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt as _;
    let tmp = scrape();
    let dir = tmp.path();
    // A binary file whose name forges a report line, and one whose name is not UTF-8.
    write(
        &dir.join("scrape/a/ok.txt\nforged.txt: cannot read.txt"),
        b"\0binary",
    );
    let latin1 = dir.join("scrape/a").join(OsStr::from_bytes(b"caf\xe9.txt"));
    write(&latin1, b"\0binary");
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("scrape/a/ok.txt\\nforged.txt: cannot read.txt: skipped: binary file"),
        "{err}"
    );
    assert!(
        err.contains("scrape/a/caf\\xe9.txt: skipped: binary file"),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("forged.txt")), "{err}");
    assert_good_files_cleaned(dir);
}

#[test]
fn a_warc_record_error_shows_its_uri_escaped() {
    // A target URI comes from the WARC file: it may drive the terminal or reorder the line.
    let e = declutr::warc::Error {
        record: 3,
        uri: Some("https://x.example/\u{1b}[2J\u{202e}txt.exe".into()),
        kind: declutr::warc::ErrorKind::HeaderTooLong,
    };
    let message = e.to_string();
    assert!(
        message.starts_with("record 3 (https://x.example/\\x1b[2J\\u{202e}txt.exe): "),
        "{message}"
    );
    assert!(!message.contains(['\u{1b}', '\u{202e}']), "{message}");
}
