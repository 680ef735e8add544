//! Inputs that are not plain files, and runs that share an output directory: a pipe named
//! on the command line is read as a stream; a FIFO, socket or device inside a batch
//! directory is skipped with a notice and never opened; a symlink loop between files is a
//! notice; a live run's temporary file survives another run's `--resume`.

#![cfg(unix)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::*;

/// Long enough for any run on a loaded machine; a run that opened a FIFO would wait for
/// ever, and is killed then instead of hanging the test suite.
const HANG: Duration = Duration::from_secs(300);

/// A WARC file of one HTML response, `LIBRARY`.
fn library_warc() -> Vec<u8> {
    let http =
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{LIBRARY}");
    let mut warc = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\n\
         WARC-Date: 2025-03-09T10:00:00Z\r\n\
         WARC-Target-URI: https://valley-gazette.example/town/library\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    warc.extend_from_slice(http.as_bytes());
    warc.extend_from_slice(b"\r\n\r\n");
    warc
}

/// Makes a FIFO at `path`.
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(made.success(), "mkfifo {}", path.display());
}

/// A FIFO at `dir/name` that a thread fills with `contents` once a reader opens it: what
/// `<(cat file)` gives a command.
fn pipe_of(dir: &Path, name: &str, contents: Vec<u8>) -> PathBuf {
    let fifo = dir.join(name);
    mkfifo(&fifo);
    let writer = fifo.clone();
    // Opening for writing waits for the reader; if declutr never opens the FIFO, the thread
    // waits until the test process ends.
    thread::spawn(move || fs::write(&writer, contents));
    fifo
}

/// Every file under `dir` by path relative to it, hidden ones too.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                out.push(rel.to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_pipe_named_on_the_command_line_is_read_as_a_stream() {
    let tmp = scrape();
    let dir = tmp.path();
    let alone = declutr(dir)
        .args(["clean", "scrape/a/ferry.txt"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(alone.status.success(), "{}", stderr(&alone));
    assert!(!alone.stdout.is_empty());

    let fifo = pipe_of(dir, "page-fifo", FERRY.into());
    let out = declutr(dir)
        .arg("clean")
        .arg(&fifo)
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        out.stdout, alone.stdout,
        "a pipe cleans as the file it carries"
    );

    // Gzip through a pipe is told by its magic bytes, as on stdin.
    let gz = Command::new("gzip")
        .args(["-c", "scrape/a/ferry.txt"])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("gzip: {e}"));
    let fifo = pipe_of(dir, "gz-fifo", gz.stdout);
    let out = declutr(dir)
        .arg("clean")
        .arg(&fifo)
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, alone.stdout);

    // `/dev/stdin` named as a file, stdin being a pipe.
    let out = declutr(dir)
        .args(["clean", "/dev/stdin"])
        .write_stdin(FERRY)
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(out.stdout, alone.stdout);

    // Beside a file, into a directory: the pipe's output is named after it.
    let fifo = pipe_of(dir, "page-fifo-2", FERRY.into());
    let out = declutr(dir)
        .args(["clean", "scrape/b/library.html"])
        .arg(&fifo)
        .args(["-o", "clean"])
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("cleaned 2 files"), "{}", stderr(&out));
    assert_eq!(
        read(&dir.join("clean/page-fifo-2")).as_bytes(),
        alone.stdout,
        "{}",
        stderr(&out)
    );
    assert_eq!(
        files(&dir.join("clean")),
        [PathBuf::from("library.txt"), PathBuf::from("page-fifo-2")]
    );

    // Learning reads its pages more than once: a pipe is refused, not read.
    let fifo = dir.join("never-read");
    mkfifo(&fifo);
    let out = declutr(dir)
        .args(["learn", "scrape"])
        .arg(&fifo)
        .args(["-o", "sites"])
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("never-read: not a regular file; learning reads its pages more than once"),
        "{err}"
    );
    assert!(!dir.join("sites").exists());
}

#[test]
fn a_warc_file_through_a_pipe_is_read_as_a_stream() {
    let tmp = scrape();
    let dir = tmp.path();
    write(&dir.join("crawl.warc"), library_warc());
    let from_file = declutr(dir)
        .args([
            "clean",
            "--input-format",
            "warc",
            "--format",
            "jsonl",
            "crawl.warc",
        ])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(from_file.status.code(), Some(0), "{}", stderr(&from_file));
    let text = String::from_utf8_lossy(&from_file.stdout).into_owned();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("burst pipe flooded the reading room"),
        "{text}"
    );

    let fifo = pipe_of(dir, "crawl-fifo", library_warc());
    let out = declutr(dir)
        .args(["clean", "--input-format", "warc", "--format", "jsonl"])
        .arg(&fifo)
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("cleaned 1 of 1 record in 1 WARC file"),
        "{err}"
    );
    // The same record, named by the pipe it came through.
    let piped = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        piped.replace(&*fifo.to_string_lossy(), "crawl.warc"),
        text,
        "{piped}"
    );
}

#[test]
fn special_files_inside_a_batch_are_skipped_with_a_notice_and_never_opened() {
    let tmp = scrape();
    let dir = tmp.path();
    // Nobody ever writes to this FIFO: opening it would wait for ever.
    mkfifo(&dir.join("scrape/a/waiting.txt"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("scrape/b/zeros.html"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    let out = declutr(dir)
        .args(["clean", "scrape", "-o", "clean"])
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a special file is not a failure: {err}"
    );
    assert!(
        err.contains(
            "scrape/a/waiting.txt: skipped: a FIFO (named pipe), not a regular file (not opened)\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("scrape/b/zeros.html: skipped: a device, not a regular file (not opened)\n"),
        "{err}"
    );
    assert!(
        err.contains("cleaned 2 files, 2 skipped (2 special files), 0 failed"),
        "{err}"
    );
    assert_eq!(
        files(&dir.join("clean")),
        [PathBuf::from("a/ferry.txt"), PathBuf::from("b/library.txt")]
    );
    assert_good_files_cleaned(dir);

    // The JSON Lines and WARC batches walk the same way.
    let out = declutr(dir)
        .args(["clean", "scrape", "--format", "jsonl", "-o", "all.jsonl"])
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("2 skipped (2 special files)"), "{err}");
    assert_eq!(read(&dir.join("all.jsonl")).lines().count(), 2);

    mkfifo(&dir.join("scrape/a/crawl.warc"));
    let out = declutr(dir)
        .args(["clean", "--input-format", "warc", "scrape", "-o", "pages"])
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "scrape/a/crawl.warc: skipped: a FIFO (named pipe), not a regular file (not opened)"
        ),
        "{err}"
    );
    assert!(!dir.join("pages").exists() || files(&dir.join("pages")).is_empty());
}

#[test]
fn a_symlink_loop_between_files_is_a_notice() {
    let tmp = scrape();
    let dir = tmp.path();
    std::os::unix::fs::symlink("b.txt", dir.join("scrape/a/a.txt"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    std::os::unix::fs::symlink("a.txt", dir.join("scrape/a/b.txt"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    // A link into the loop from outside it.
    std::os::unix::fs::symlink("../a/a.txt", dir.join("scrape/b/c.txt"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "a loop loses no file: {err}");
    assert!(
        err.contains("scrape/a/a.txt: skipped: symlink loop (leads back to scrape/a/a.txt)\n"),
        "{err}"
    );
    assert!(
        err.contains("scrape/a/b.txt: skipped: symlink loop (leads back to scrape/a/b.txt)\n"),
        "{err}"
    );
    assert!(
        err.contains("scrape/b/c.txt: skipped: symlink loop (leads back to scrape/b/../a/a.txt)\n"),
        "{err}"
    );
    assert!(
        err.contains("cleaned 2 files, 3 skipped (3 symlink loops), 0 failed"),
        "{err}"
    );
    assert_eq!(
        files(&dir.join("clean")),
        [PathBuf::from("a/ferry.txt"), PathBuf::from("b/library.txt")]
    );
    assert_good_files_cleaned(dir);
}

/// `declutr clean - --format jsonl -o shared/all.jsonl`, its stdin held open so that it
/// waits once its output file is created.
fn waiting_jsonl_run(dir: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_declutr"))
        .current_dir(dir)
        .args(["clean", "-", "--format", "jsonl", "-o", "shared/all.jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"))
}

/// The temporary output file of [`waiting_jsonl_run`], once it is there.
fn its_temporary(dir: &Path, run: &mut Child) -> PathBuf {
    let started = Instant::now();
    loop {
        let temporary = fs::read_dir(dir.join("shared"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(".all.jsonl.declutr-") && n.ends_with(".tmp"))
            });
        if let Some(temporary) = temporary {
            return temporary;
        }
        if started.elapsed() > HANG {
            let _ = run.kill();
            panic!("the run never created its output");
        }
        thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_live_runs_temporary_file_survives_another_runs_resume() {
    let tmp = scrape();
    let dir = tmp.path();
    fs::create_dir(dir.join("shared")).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let mut a = waiting_jsonl_run(dir);
    let temporary = its_temporary(dir, &mut a);
    // A killed run's temporary file beside it.
    let killed = dir.join("shared/.ferry.txt.declutr-999999.tmp");
    write(&killed, "half");

    // A second run into the same directory, resumed.
    let b = declutr(dir)
        .args(["clean", "scrape/a", "-o", "shared", "--resume"])
        .timeout(HANG)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&b);
    assert_eq!(b.status.code(), Some(0), "{err}");
    assert!(
        err.contains("removed 1 temporary file left by an interrupted run"),
        "{err}"
    );
    assert!(!killed.exists());
    assert!(temporary.exists(), "the live run's file was removed: {err}");

    // The first run goes on and writes its output.
    let mut stdin = a.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    stdin
        .write_all(FERRY.as_bytes())
        .unwrap_or_else(|e| panic!("write: {e}"));
    drop(stdin);
    let a = a.wait_with_output().unwrap_or_else(|e| panic!("wait: {e}"));
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    let all = read(&dir.join("shared/all.jsonl"));
    assert_eq!(all.lines().count(), 1, "{all}");
    assert!(
        all.contains("island ferry will keep a reduced winter timetable"),
        "{all}"
    );
    assert_eq!(
        files(&dir.join("shared")),
        [PathBuf::from("all.jsonl"), PathBuf::from("ferry.txt")]
    );
}

#[test]
fn an_interrupted_json_lines_run_says_how_to_finish_without_resume() {
    let tmp = scrape();
    let dir = tmp.path();
    fs::create_dir(dir.join("shared")).unwrap_or_else(|e| panic!("mkdir: {e}"));
    let mut a = waiting_jsonl_run(dir);
    its_temporary(dir, &mut a);
    // Its input stays open until it has stopped: it is stopped by the signal alone.
    let input = a.stdin.take();
    let killed = Command::new("kill")
        .args(["-TERM", &a.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(killed.success());
    let status = a.wait().unwrap_or_else(|e| panic!("wait: {e}"));
    drop(input);
    let mut err = String::new();
    std::io::Read::read_to_string(
        &mut a.stderr.take().unwrap_or_else(|| panic!("no stderr")),
        &mut err,
    )
    .unwrap_or_else(|e| panic!("stderr: {e}"));
    assert_eq!(status.code(), Some(130), "{err}");
    assert_eq!(
        err,
        "declutr: interrupted; shared/all.jsonl was left as it was: rerun the command to write it\n"
    );
    assert!(
        files(&dir.join("shared")).is_empty(),
        "nothing is left behind"
    );
}
