//! End-to-end tests of gzip inputs: `.gz` files in a batch, as a single file, on stdin and
//! as a JSON Lines stream give what their plain contents give; `--max-bytes` limits what a
//! file decompresses to; a corrupt one is a failure of its own and the batch goes on.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

mod common;
use common::{declutr, read, tempdir, write};

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::fast());
    e.write_all(data).unwrap_or_else(|e| panic!("gzip: {e}"));
    e.finish().unwrap_or_else(|e| panic!("gzip: {e}"))
}

/// `data` as two gzip members, one after the other (what `cat a.gz b.gz` gives).
fn gz_two_members(data: &[u8]) -> Vec<u8> {
    let (a, b) = data.split_at(data.len() / 2);
    let mut both = gz(a);
    both.extend(gz(b));
    both
}

fn run(cmd: &mut assert_cmd::Command) -> (Option<i32>, Vec<u8>, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("run: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), out.stdout, stderr)
}

/// Every sample input (text and HTML): its case name and path, sorted.
fn samples() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut cases: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .flat_map(|e| [e.path().join("input.txt"), e.path().join("input.html")])
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.parent()?.file_name()?.to_string_lossy().into_owned();
            Some((name, p))
        })
        .collect();
    cases.sort();
    let html = cases
        .iter()
        .filter(|(_, p)| p.ends_with("input.html"))
        .count();
    assert!(html >= 3 && cases.len() - html >= 5, "samples not found");
    cases
}

/// The files under `dir`, relative to it, with their contents, sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path()).to_path_buf();
            (rel, fs::read(e.path()).unwrap_or_default())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn gz_files_give_the_outputs_of_their_plain_contents() {
    let tmp = tempdir();
    let root = tmp.path();
    // An HTML page's gzip file and its output, to clean it alone below.
    let mut html = None;
    for (i, (name, input)) in samples().iter().enumerate() {
        let bytes = fs::read(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        let ext = input.extension().and_then(|e| e.to_str()).unwrap_or("txt");
        // Half of the files one level down, so the mirror is checked too.
        let sub = if i % 2 == 0 { "" } else { "sub/" };
        write(&root.join(format!("plain/{sub}{name}.{ext}")), &bytes);
        let packed = format!("packed/{sub}{name}.{ext}.gz");
        write(&root.join(&packed), gz(&bytes));
        if ext == "html" {
            html = Some((packed, format!("out-plain/{sub}{name}.txt")));
        }
    }

    let (code, _, stderr) = run(declutr(root).args(["clean", "plain", "-o", "out-plain"]));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = run(declutr(root).args(["clean", "packed", "-o", "out-packed"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains(", 0 skipped, 0 failed"), "{stderr}");
    let plain = tree(&root.join("out-plain"));
    let packed = tree(&root.join("out-packed"));
    assert_eq!(plain.len(), samples().len());
    // `page.html.gz` is written as `page.txt`, `notes.txt.gz` as `notes.txt`: the same
    // names and the same contents as the plain files give.
    assert_eq!(packed, plain);

    // JSON Lines records: the same, but for their path.
    let (_, plain_jsonl, _) = run(declutr(root).args(["clean", "plain", "--format", "jsonl"]));
    let (_, packed_jsonl, _) = run(declutr(root).args(["clean", "packed", "--format", "jsonl"]));
    let without_path = |jsonl: &[u8]| -> Vec<serde_json::Value> {
        String::from_utf8_lossy(jsonl)
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap_or_default();
                v["path"] = serde_json::Value::Null;
                v
            })
            .collect()
    };
    assert_eq!(without_path(&packed_jsonl), without_path(&plain_jsonl));
    assert_eq!(without_path(&plain_jsonl).len(), samples().len());

    // One file alone, and stdin, which is recognised by its first bytes.
    let (alone, output) = html.unwrap_or_default();
    let (code, stdout, stderr) = run(declutr(root).args(["clean", &alone]));
    assert_eq!(code, Some(0), "{stderr}");
    let expected = fs::read(root.join(output)).unwrap_or_default();
    assert!(!expected.is_empty());
    assert_eq!(stdout, expected, "{alone}");
    let (code, stdout, stderr) = run(declutr(root)
        .args(["clean", "-"])
        .write_stdin(fs::read(root.join(&alone)).unwrap_or_default()));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout, expected, "{alone} on stdin");
}

#[test]
fn a_gzipped_jsonl_stream_gives_the_plain_streams_output() {
    let tmp = tempdir();
    let root = tmp.path();
    let mut stream = String::new();
    for (name, input) in samples() {
        // JSON holds text: the windows-1252 page is read as its bytes decode.
        let bytes = fs::read(&input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        let text = String::from_utf8_lossy(&bytes);
        let record = serde_json::json!({ "case": name, "text": text });
        stream.push_str(&format!("{record}\n"));
    }
    write(&root.join("in.jsonl"), &stream);
    write(&root.join("in.jsonl.gz"), gz_two_members(stream.as_bytes()));

    let args = ["clean", "--input-format", "jsonl", "-q"];
    let (code, plain, stderr) = run(declutr(root).args(args).arg("in.jsonl"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&plain).lines().count(),
        samples().len()
    );
    let (code, packed, stderr) = run(declutr(root).args(args).arg("in.jsonl.gz"));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(packed, plain);
    let (code, piped, stderr) = run(declutr(root)
        .args(args)
        .arg("-")
        .write_stdin(gz(stream.as_bytes())));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(piped, plain);
}

#[test]
fn max_bytes_limits_what_a_file_decompresses_to() {
    let tmp = tempdir();
    let root = tmp.path();
    write(
        &root.join("scrape/ok.txt"),
        "url: https://news.example/a\n\nA short page.\n",
    );
    // 200 MB of text: one 1 MB member, compressed once, written 200 times over.
    let line = "All work and no play makes Jack a dull boy.\n";
    let member = gz(line.repeat(1_000_000 / line.len()).as_bytes());
    let bomb: Vec<u8> = std::iter::repeat_n(member.as_slice(), 200)
        .flatten()
        .copied()
        .collect();
    assert!(bomb.len() < 2_000_000, "{} bytes compressed", bomb.len());
    write(&root.join("scrape/bomb.txt.gz"), &bomb);

    let (code, _, stderr) =
        run(declutr(root).args(["clean", "scrape", "-o", "out", "--max-bytes", "1M"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "scrape/bomb.txt.gz: skipped: decompresses to more than --max-bytes (1 MB)\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("cleaned 1 file, 0 skipped, 1 failed"),
        "{stderr}"
    );
    assert!(!root.join("out/bomb.txt").exists());
    assert_eq!(
        read(&root.join("out/ok.txt")),
        "url: https://news.example/a\n\nA short page.\n"
    );

    // On stdin, in a JSON Lines batch: the same refusal.
    let (code, stdout, stderr) = run(declutr(root)
        .args(["clean", "-", "--max-bytes", "1M"])
        .write_stdin(bomb.clone()));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "<stdin>: skipped: decompresses to more than --max-bytes (1 MB)\n"
    );
    let (code, stdout, stderr) =
        run(declutr(root).args(["clean", "scrape", "--format", "jsonl", "--max-bytes", "1M"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&stdout).lines().count(), 1);
    assert!(
        stderr.contains("scrape/bomb.txt.gz: skipped: decompresses"),
        "{stderr}"
    );
}

#[test]
fn a_corrupt_gz_file_fails_alone() {
    let tmp = tempdir();
    let root = tmp.path();
    let page = "url: https://news.example/a\n\nThe council voted on Tuesday to close the old \
bridge to cars for the summer, after engineers found that two of its supports had been \
weakened by the spring floods.\n";
    write(&root.join("scrape/a.txt.gz"), gz(page.as_bytes()));
    let whole = gz(page.repeat(20).as_bytes());
    write(&root.join("scrape/cut.txt.gz"), &whole[..whole.len() / 2]);
    let mut flipped = whole.clone();
    flipped[20] ^= 0xff;
    flipped[21] ^= 0x55;
    write(&root.join("scrape/flipped.html.gz"), &flipped);
    write(
        &root.join("scrape/plain-text.txt.gz"),
        "not gzip at all, but named so\n",
    );

    let (code, _, stderr) = run(declutr(root).args(["clean", "scrape", "-o", "out"]));
    assert_eq!(code, Some(1), "{stderr}");
    for (file, cause) in [
        ("cut.txt.gz", "incomplete deflate stream"),
        ("flipped.html.gz", "corrupt deflate stream"),
        ("plain-text.txt.gz", "invalid gzip header"),
    ] {
        let line = format!("scrape/{file}: not valid gzip: {cause}\n");
        assert!(stderr.contains(&line), "{line}in:\n{stderr}");
    }
    assert!(
        stderr.contains("cleaned 1 file, 0 skipped, 3 failed"),
        "{stderr}"
    );
    let names: Vec<PathBuf> = tree(&root.join("out"))
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(names, [PathBuf::from("a.txt")]);
    let (_, alone, _) = run(declutr(root).args(["clean", "-"]).write_stdin(page));
    assert_eq!(fs::read(root.join("out/a.txt")).unwrap_or_default(), alone);
}
