//! Hostile inputs in a batch: each gives one line on stderr naming the file and the cause,
//! the exit code says whether a file failed (1) or was only skipped with a notice (0), and
//! the other files of the batch come out exactly as when cleaned alone.

use std::fs;
use std::path::Path;
use std::process::Output;

use tempfile::TempDir;

mod common;
#[path = "hostile/linear.rs"]
mod linear;
use common::{declutr, read, write};

#[path = "hostile/decode.rs"]
mod decode;
#[path = "hostile/inputs.rs"]
mod inputs;
#[path = "hostile/learn_guard.rs"]
mod learn_guard;
#[path = "hostile/learn_scale.rs"]
mod learn_scale;
#[path = "hostile/paths.rs"]
mod paths;

/// A plain-text scrape: header, a menu, the article, a comment form.
const FERRY: &str = "url: https://news.example/2025/ferry\n\nHome\nNews\nSport\n\
Island ferry to keep its winter timetable\nShare\n\
The harbour board agreed on Monday that the island ferry will keep a reduced winter timetable \
until the end of March, after months of complaints from residents who said the late boats were \
often cancelled at short notice.\n\
The board said the new timetable would be published by Friday and that the first sailing of the \
day would leave half an hour earlier, so that workers could reach the mainland in time.\n\
Leave a Reply\nYour email address will not be published.\n";

/// An HTML page: a menu, the article, a footer.
const LIBRARY: &str = "<!doctype html><html><head><title>Library reopens</title>\
<link rel=canonical href='https://valley-gazette.example/town/library'></head><body>\
<nav><a href=/>Home</a> <a href=/town>Town</a></nav><article><h1>Old library reopens</h1>\
<p>The town library opened its doors again on Saturday morning, a little more than a year after \
a burst pipe flooded the reading room and ruined several thousand books.</p>\
<p>Volunteers spent the whole winter drying, sorting and cataloguing what could be saved, and \
the council paid for new shelves and a lift to the upper floor.</p></article>\
<footer>Copyright 2025 Valley Gazette</footer></body></html>";

/// The well-formed files of every batch, and where their outputs go.
const GOOD: [(&str, &str, &str); 2] = [
    ("scrape/a/ferry.txt", FERRY, "clean/a/ferry.txt"),
    ("scrape/b/library.html", LIBRARY, "clean/b/library.txt"),
];

/// A scrape directory holding the good files.
fn scrape() -> TempDir {
    let tmp = TempDir::new().unwrap_or_else(|e| panic!("temp dir: {e}"));
    for (input, contents, _) in GOOD {
        write(&tmp.path().join(input), contents);
    }
    tmp
}

/// `declutr clean scrape -o clean ARGS`.
fn batch(dir: &Path, args: &[&str]) -> Output {
    let out = declutr(dir)
        .args(["clean", "scrape", "-o", "clean"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that every good file's output is what cleaning it alone gives.
fn assert_good_files_cleaned(dir: &Path) {
    for (input, _, output) in GOOD {
        let alone = declutr(dir)
            .args(["clean", input])
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"));
        assert!(alone.status.success(), "{input} alone: {}", stderr(&alone));
        let alone = String::from_utf8_lossy(&alone.stdout);
        assert!(!alone.trim().is_empty(), "{input} alone gave nothing");
        assert_eq!(read(&dir.join(output)), alone, "{output}");
    }
}

#[test]
fn binary_files_are_skipped_with_a_notice_in_text_and_html_alike() {
    let tmp = scrape();
    let dir = tmp.path();
    write(
        &dir.join("scrape/a/archive.txt"),
        b"PK\x03\x04\x14\0\0\0rest",
    );
    write(&dir.join("scrape/b/image.html"), b"<html>\x89PNG\0\x1a\n");
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "a binary file is not a failure");
    assert!(
        err.contains("scrape/a/archive.txt: skipped: binary file (NUL byte at offset 5)\n"),
        "{err}"
    );
    assert!(
        err.contains("scrape/b/image.html: skipped: binary file (NUL byte at offset 10)\n"),
        "{err}"
    );
    assert!(err.contains("2 skipped (2 binary), 0 failed"), "{err}");
    assert!(!dir.join("clean/a/archive.txt").exists());
    assert!(!dir.join("clean/b/image.txt").exists());
    assert_good_files_cleaned(dir);

    // --quiet: no notices, no summary.
    let out = batch(dir, &["--quiet"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr(&out), "");
}

#[test]
fn empty_files_give_empty_outputs() {
    let tmp = scrape();
    let dir = tmp.path();
    write(&dir.join("scrape/a/empty.txt"), "");
    write(&dir.join("scrape/b/blank.html"), "");
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        !err.contains("empty.txt") && !err.contains("blank.html"),
        "{err}"
    );
    assert!(
        err.contains("cleaned 4 files, 0 skipped, 0 failed"),
        "{err}"
    );
    assert_eq!(read(&dir.join("clean/a/empty.txt")), "");
    assert_eq!(read(&dir.join("clean/b/blank.txt")), "");
    assert_good_files_cleaned(dir);
}

#[test]
fn a_very_long_single_line_is_cleaned_whole() {
    let tmp = scrape();
    let dir = tmp.path();
    // About 4 MB of prose on one line (a 100 MB line is checked by hand with a release
    // build: the tests run unoptimised).
    let sentence = "The council said that the new bridge over the river would open in \
the spring, and that the old one would be closed for repairs. ";
    let line = sentence.repeat(4_000_000 / sentence.len());
    let page = format!("url: https://news.example/long\n\n{}\n", line.trim_end());
    write(&dir.join("scrape/a/long.txt"), &page);
    let out = batch(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(read(&dir.join("clean/a/long.txt")), page);
    assert_good_files_cleaned(dir);
}

#[test]
fn markup_nested_100_000_deep_is_flattened_with_a_notice() {
    let tmp = scrape();
    let dir = tmp.path();
    let n = 100_000;
    let page = format!(
        "<html><body>{}Deep inside{}<p>After the nesting</p></body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    );
    write(&dir.join("scrape/b/deep.html"), &page);
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "scrape/b/deep.html: markup nested 100002 levels deep: tags below level 512 were \
removed, their text kept\n"
        ),
        "{err}"
    );
    // The text at the bottom and after the nesting is still there (whether the filters keep
    // such a page is theirs to judge: it is the rendering that is checked here).
    let explain = declutr(dir)
        .args(["clean", "scrape/b/deep.html", "--explain"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let explain = String::from_utf8_lossy(&explain.stdout);
    assert!(explain.contains("| Deep inside"), "{explain}");
    assert!(explain.contains("| After the nesting"), "{explain}");
    assert!(dir.join("clean/b/deep.txt").exists());
    assert_good_files_cleaned(dir);
}

#[test]
fn a_file_that_cannot_be_read_fails_alone() {
    let tmp = scrape();
    let dir = tmp.path();
    let locked = dir.join("scrape/a/locked.txt");
    write(&locked, FERRY);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&locked, fs::Permissions::from_mode(0o000));
    }
    if fs::read(&locked).is_ok() {
        // Permissions are not enforced (running as root, or not on Unix): a symlink to a
        // file whose reading fails instead, where there is one (Linux: reading the start
        // of a process's memory is an I/O error).
        let _ = fs::remove_file(&locked);
        let target = Path::new("/proc/self/mem");
        #[cfg(unix)]
        let linked = target.exists() && std::os::unix::fs::symlink(target, &locked).is_ok();
        #[cfg(not(unix))]
        let linked = false;
        if !linked {
            eprintln!("skipped: no way to make a read fail here");
            return;
        }
    }
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("scrape/a/locked.txt: cannot read: "), "{err}");
    assert_eq!(err.matches("cannot read").count(), 1, "{err}");
    assert!(
        err.contains("cleaned 2 files, 0 skipped, 1 failed"),
        "{err}"
    );
    assert!(!dir.join("clean/a/locked.txt").exists());
    assert_good_files_cleaned(dir);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_and_walked_once() {
    let tmp = scrape();
    let dir = tmp.path();
    std::os::unix::fs::symlink("..", dir.join("scrape/a/up"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "a loop loses no file: {err}");
    assert!(
        err.contains("scrape/a/up: skipped: symlink loop (leads back to scrape)\n"),
        "{err}"
    );
    assert!(
        err.contains("cleaned 2 files, 1 skipped (1 symlink loop)"),
        "{err}"
    );
    assert!(!dir.join("clean/a/up").exists());
    assert_good_files_cleaned(dir);
}

#[test]
fn a_file_over_max_bytes_is_not_read() {
    let tmp = scrape();
    let dir = tmp.path();
    write(&dir.join("scrape/a/big.txt"), FERRY.repeat(10));
    let size = FERRY.len() * 10;
    assert!((5000..10_000).contains(&size));
    let out = batch(dir, &["--max-bytes", "5K"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let kb = format!("{:.1}", size as f64 / 1000.0);
    assert!(
        err.contains(&format!(
            "scrape/a/big.txt: skipped: {kb} KB is over --max-bytes (5 KB)\n"
        )),
        "{err}"
    );
    assert!(!dir.join("clean/a/big.txt").exists());
    assert_good_files_cleaned(dir);

    // The size comes from the metadata: a sparse file of 100 GB, which reading would take
    // minutes and all the memory, is refused at once under the default limit.
    let huge =
        fs::File::create(dir.join("scrape/a/big.txt")).and_then(|f| f.set_len(100_000_000_000));
    if huge.is_ok() {
        let out = batch(dir, &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("scrape/a/big.txt: skipped: 100 GB is over --max-bytes (64 MB)\n"),
            "{err}"
        );
    }

    let out = batch(dir, &["--max-bytes", "12X"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid size \"12X\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_jsonl_batch_skips_binary_and_oversized_files_as_the_text_batch_does() {
    let tmp = scrape();
    let dir = tmp.path();
    write(
        &dir.join("scrape/a/archive.txt"),
        b"PK\x03\x04\x14\0\0\0rest",
    );
    write(&dir.join("scrape/a/big.txt"), FERRY.repeat(10));
    let run = |args: &[&str]| {
        declutr(dir)
            .args(["clean", "scrape", "--format", "jsonl", "--max-bytes", "5K"])
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run: {e}"))
    };
    let out = run(&[]);
    let err = stderr(&out);
    // The oversized file is a failure (exit 1), the binary file a notice.
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("scrape/a/archive.txt: skipped: binary file (NUL byte at offset 5)\n"),
        "{err}"
    );
    let kb = format!("{:.1}", FERRY.len() as f64 * 10.0 / 1000.0);
    assert!(
        err.contains(&format!(
            "scrape/a/big.txt: skipped: {kb} KB is over --max-bytes (5 KB)\n"
        )),
        "{err}"
    );
    assert!(
        err.contains("cleaned 2 files, 1 skipped (1 binary), 1 failed"),
        "{err}"
    );
    // The other records are those of the good files cleaned alone, in walk order.
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let alone: Vec<String> = GOOD
        .iter()
        .map(|(input, _, _)| {
            let alone = declutr(dir)
                .args(["clean", input, "--format", "jsonl"])
                .output()
                .unwrap_or_else(|e| panic!("run: {e}"));
            assert!(alone.status.success(), "{input} alone: {}", stderr(&alone));
            String::from_utf8_lossy(&alone.stdout).into_owned()
        })
        .collect();
    assert_eq!(stdout, alone.concat());

    // Without the oversized file, a binary file alone does not fail the run; --quiet hides
    // its notice.
    fs::remove_file(dir.join("scrape/a/big.txt")).unwrap_or_else(|e| panic!("remove: {e}"));
    let out = run(&["--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), alone.concat());
}
