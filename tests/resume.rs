//! An interrupted batch: killed halfway, it leaves only complete outputs, and `--resume`
//! finishes it with the outputs an uninterrupted run writes.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;

mod common;
use common::{declutr, read, tempdir, write};

/// How many copies of the bundled samples make the batch: enough files that a run on one
/// thread is still going when the first output appears.
const COPIES: usize = 10;

/// Copies every sample's input `COPIES` times under `dir`, each copy in its own folder.
fn write_batch(dir: &Path) -> usize {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut inputs: Vec<PathBuf> = fs::read_dir(&samples)
        .unwrap_or_else(|e| panic!("{}: {e}", samples.display()))
        .filter_map(Result::ok)
        .filter_map(|e| {
            fs::read_dir(e.path())
                .ok()?
                .filter_map(Result::ok)
                .find_map(|f| {
                    let name = f.file_name();
                    name.to_str()?.starts_with("input.").then(|| f.path())
                })
        })
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "the samples hold too few inputs");
    for copy in 0..COPIES {
        for input in &inputs {
            let sample = input.parent().and_then(Path::file_name).unwrap_or_default();
            let ext = input.extension().unwrap_or_default();
            let name = Path::new(sample).with_extension(ext);
            write(
                &dir.join(format!("copy-{copy:02}")).join(name),
                fs::read(input).unwrap_or_else(|e| panic!("{}: {e}", input.display())),
            );
        }
    }
    COPIES * inputs.len()
}

/// Every file under `dir`, hidden ones too, by path relative to `dir`, with its text.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir) {
                // A file may be renamed away between the listing and the read.
                if let Ok(text) = fs::read_to_string(&path) {
                    out.insert(rel.to_path_buf(), text);
                }
            }
        }
    }
    out
}

fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n.ends_with(".tmp"))
}

/// Kills a batch with `signal` once its first outputs are in place, checks what it left,
/// resumes it and checks the result equals `reference`.
fn kill_and_resume(work: &Path, signal: &str, reference: &BTreeMap<PathBuf, String>) {
    let out = work.join(format!("clean-{signal}"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_declutr"))
        .current_dir(work)
        .args(["clean", "scrape", "-o"])
        .arg(&out)
        .arg("--quiet")
        // One worker, so that the run is far from over when the first outputs appear.
        .env("RAYON_NUM_THREADS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    // While the batch runs, every output in place is complete.
    loop {
        let now = tree(&out);
        for (rel, text) in &now {
            if !is_temporary(rel) {
                assert_eq!(
                    Some(text),
                    reference.get(rel),
                    "{}: partial or wrong output",
                    rel.display()
                );
            }
        }
        if now.len() >= 3 {
            break;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the batch ended ({status}) before it could be killed");
        }
        sleep(Duration::from_millis(2));
    }
    let killed = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(killed.success());
    let stopped = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait: {e}"));
    let stderr = String::from_utf8_lossy(&stopped.stderr);

    let left = tree(&out);
    assert!(
        left.len() < reference.len(),
        "the batch was not stopped halfway"
    );
    for (rel, text) in &left {
        if !is_temporary(rel) {
            assert_eq!(
                Some(text),
                reference.get(rel),
                "{}: partial output",
                rel.display()
            );
        }
    }
    if signal == "TERM" {
        // A termination signal is handled: the files being written are removed.
        assert_eq!(stopped.status.code(), Some(130), "{stderr}");
        assert!(stderr.contains("rerun with --resume"), "{stderr}");
        let temporary: Vec<_> = left.keys().filter(|p| is_temporary(p)).collect();
        assert!(temporary.is_empty(), "left behind: {temporary:?}");
    }

    let done = left.keys().filter(|p| !is_temporary(p)).count();
    let resumed = declutr(work)
        .args(["clean", "scrape", "-o"])
        .arg(&out)
        .arg("--resume")
        .output()
        .unwrap_or_else(|e| panic!("resume: {e}"));
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    assert!(resumed.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "cleaned {} files, {done} up to date",
            reference.len() - done
        )),
        "{stderr}"
    );
    assert!(
        tree(&out) == *reference,
        "resumed output differs from an uninterrupted run"
    );
}

#[test]
fn a_killed_batch_resumes_to_the_outputs_of_an_uninterrupted_run() {
    let work = tempdir();
    let files = write_batch(&work.path().join("scrape"));
    declutr(work.path())
        .args(["clean", "scrape", "-o", "reference", "--quiet"])
        .assert()
        .success();
    let reference = tree(&work.path().join("reference"));
    assert_eq!(reference.len(), files);

    kill_and_resume(work.path(), "TERM", &reference);
    kill_and_resume(work.path(), "KILL", &reference);
}

#[test]
fn resume_cleans_again_what_changed_since() {
    let work = tempdir();
    let dir = work.path();
    let page = |n: usize| {
        format!(
            "url: https://news.example/{n}\n\nShare this article\nThe ferry timetable for the \
winter was agreed on Monday, after a long meeting of the harbour board ({n}).\n"
        )
    };
    write(&dir.join("scrape/a.txt"), page(1));
    write(&dir.join("scrape/b.txt"), page(2));
    declutr(dir)
        .args(["clean", "scrape", "-o", "clean", "--quiet"])
        .assert()
        .success();
    // An input changed after its output was written is cleaned again.
    sleep(Duration::from_millis(20));
    write(&dir.join("scrape/b.txt"), page(3));
    declutr(dir)
        .args(["clean", "scrape", "-o", "clean", "--resume"])
        .assert()
        .success()
        .stderr(predicates::str::contains("cleaned 1 file, 1 up to date"));
    assert!(read(&dir.join("clean/b.txt")).contains("board (3)."));

    // So is everything, once the rules changed.
    sleep(Duration::from_millis(20));
    write(
        &dir.join("rules/extra.toml"),
        "[[drop-lines]]\nid = \"nothing\"\npatterns = [\"^never matches$\"]\n",
    );
    declutr(dir)
        .args([
            "clean", "scrape", "-o", "clean", "--resume", "--rules", "rules",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("cleaned 2 files, 0 skipped"));
}

#[test]
fn resume_needs_an_output_directory() {
    let work = tempdir();
    write(&work.path().join("a.txt"), "Some text.\n");
    declutr(work.path())
        .args(["clean", "a.txt", "--resume"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--resume applies to a batch"));
}
