//! End-to-end tests of JSON Lines: `declutr clean --format jsonl` (one record per cleaned
//! document) and `declutr clean --input-format jsonl` (a stream of records cleaned in
//! place), checked against the text output of the same inputs.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

mod common;
use common::{declutr, read, tempdir, write};

fn run(cmd: &mut Command) -> (Option<i32>, String, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn parse(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

/// The lines of stderr that report a bad line of `in.jsonl` (`in.jsonl:LINE: …`).
fn reports(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            l.strip_prefix("in.jsonl:")
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect()
}

fn record(fields: Value) -> String {
    format!("{fields}\n")
}

/// The sample cases whose input is a text dump: (case name, input path), sorted.
fn text_samples() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut cases: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path().join("input.txt"))
        .filter(|p| p.is_file())
        .filter_map(|p| {
            let name = p.parent()?.file_name()?.to_string_lossy().into_owned();
            Some((name, p))
        })
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 5,
        "samples not found under {}",
        dir.display()
    );
    cases
}

/// A paragraph that every filter keeps.
const PARA: &str = "The harbour board agreed on Monday that the island ferry will keep a reduced \
winter timetable until the end of March, after months of complaints from residents who said the \
late boats were often cancelled at short notice.";

// ---------------------------------------------------------------------------------------
// The three outputs agree.
// ---------------------------------------------------------------------------------------

#[test]
fn stream_mode_and_jsonl_format_agree_with_the_text_output_field_by_field() {
    let tmp = tempdir();
    let root = tmp.path();
    let cases = text_samples();
    let mut stream = String::new();
    for (i, (name, input)) in cases.iter().enumerate() {
        let text = read(input);
        write(&root.join("in").join(format!("{name}.txt")), &text);
        // Extra fields before and after the text, one number written in a form that a
        // parse-and-reprint would change.
        stream.push_str(&format!(
            "{{\"case\":{},\"n\":{},\"text\":{},\"score\":1.50,\"tags\":[\"a\", \"b\"]}}\n",
            serde_json::to_string(&name).unwrap_or_default(),
            i,
            serde_json::to_string(&text).unwrap_or_default(),
        ));
    }
    write(&root.join("in.jsonl"), &stream);

    let (code, _, stderr) = run(declutr(root).args(["clean", "in", "-o", "out", "-q"]));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, streamed, stderr) =
        run(declutr(root).args(["clean", "--input-format", "jsonl", "in.jsonl", "-q"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let (code, records, stderr) =
        run(declutr(root).args(["clean", "in", "--format", "jsonl", "-q"]));
    assert_eq!(code, Some(0), "{stderr}");

    let streamed: Vec<&str> = streamed.lines().collect();
    let records: Vec<&str> = records.lines().collect();
    assert_eq!(streamed.len(), cases.len());
    assert_eq!(records.len(), cases.len());

    for (i, (name, _)) in cases.iter().enumerate() {
        let txt = read(&root.join("out").join(format!("{name}.txt")));
        let s = parse(streamed[i]);
        let r = parse(records[i]);

        // Stream mode: the other fields as they were, in their order; the text cleaned.
        assert_eq!(s["case"], Value::from(name.as_str()), "order");
        assert!(
            streamed[i].starts_with(&format!(
                "{{\"case\":{},\"n\":{i},\"text\":",
                serde_json::to_string(name).unwrap_or_default()
            )),
            "{name}: fields before the text"
        );
        assert!(
            streamed[i].contains(",\"score\":1.50,\"tags\":[\"a\", \"b\"],\"declutr\":{"),
            "{name}: fields after the text, written as read: {}",
            streamed[i]
        );
        let text = s["text"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no text"));
        let header: Vec<&str> = s["declutr"]["header"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no header"))
            .iter()
            .filter_map(Value::as_str)
            .collect();
        // The text output is the header, a blank line, then the body: the record's parts.
        let rebuilt = match (header.is_empty(), text.is_empty()) {
            (false, false) => format!("{}\n\n{text}", header.join("\n")),
            (false, true) => format!("{}\n", header.join("\n")),
            (true, _) => text.to_string(),
        };
        assert_eq!(rebuilt, txt, "{name}: stream record vs text output");
        assert_eq!(
            s["declutr"]["site"], r["site"],
            "{name}: site of stream vs files"
        );

        // --format jsonl: the same document.
        assert_eq!(r["path"], Value::from(format!("in/{name}.txt")));
        assert_eq!(r["text"], s["text"], "{name}: text of stream vs files");
        assert_eq!(r["header_lines"], s["declutr"]["header"], "{name}: header");
        assert_eq!(r["removed"], s["declutr"]["removed"], "{name}: removed");
        let first_url = header.iter().find_map(|h| {
            let at = h.find("http")?;
            Some(h[at..].split_whitespace().next()?.to_string())
        });
        assert_eq!(
            r["url"].as_str().map(str::to_string),
            first_url,
            "{name}: url"
        );
    }
}

#[test]
fn an_html_page_in_a_record_is_cleaned_as_html() {
    let tmp = tempdir();
    let root = tmp.path();
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/html-news-article/input.html");
    let html = read(&page);
    write(&root.join("in/page.html"), &html);
    write(
        &root.join("in.jsonl"),
        record(serde_json::json!({ "text": html })),
    );

    let (code, _, stderr) = run(declutr(root).args(["clean", "in", "-o", "out", "-q"]));
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, stderr) =
        run(declutr(root).args(["clean", "--input-format", "jsonl", "in.jsonl", "-q"]));
    assert_eq!(code, Some(0), "{stderr}");
    let s = parse(&stdout);
    let txt = read(&root.join("out/page.txt"));
    let text = s["text"].as_str().unwrap_or_default();
    assert!(!text.contains('<'), "markup left in the text: {text}");
    assert!(
        txt.ends_with(text) && !text.is_empty(),
        "{txt}\n---\n{text}"
    );
    assert!(
        s["declutr"]["removed"]["drop-elements"].as_u64() > Some(0),
        "{stdout}"
    );
}

// ---------------------------------------------------------------------------------------
// Streams: order, bad lines, empty input, the URL field.
// ---------------------------------------------------------------------------------------

#[test]
fn output_order_is_input_order_over_many_chunks() {
    let tmp = tempdir();
    let n = 1100; // more than four chunks of 256 lines
    let input: String = (0..n)
        .map(|i| {
            record(serde_json::json!({
                "i": i,
                "text": format!("url: https://site{}.example/{i}\n\nStory {i}.\n{PARA}\n", i % 7),
            }))
        })
        .collect();
    let (code, stdout, stderr) = run(declutr(tmp.path())
        .args(["clean", "--input-format", "jsonl", "-", "-q"])
        .write_stdin(input));
    assert_eq!(code, Some(0), "{stderr}");
    let records: Vec<Value> = stdout.lines().map(parse).collect();
    assert_eq!(records.len(), n);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r["i"], Value::from(i), "record {i} out of place");
        assert_eq!(
            r["declutr"]["header"],
            serde_json::json!([format!("url: https://site{}.example/{i}", i % 7)])
        );
        assert_eq!(
            r["text"],
            Value::from(format!("Story {i}.\n{PARA}\n")),
            "{r}"
        );
    }
}

#[test]
fn bad_lines_are_reported_by_line_number_and_passed_through_by_default() {
    let tmp = tempdir();
    let root = tmp.path();
    let good = record(serde_json::json!({ "id": 1, "text": PARA }));
    let input = format!("{good}not json\n{good}[1, 2]\n{{\"id\": 5}}\n{{\"text\": null}}\n{good}");
    write(&root.join("in.jsonl"), &input);

    let (code, stdout, stderr) =
        run(declutr(root).args(["clean", "--input-format", "jsonl", "in.jsonl"]));
    assert_eq!(code, Some(1), "a bad line makes the exit code 1");
    assert_eq!(
        reports(&stderr),
        [
            "in.jsonl:2: not valid JSON: expected ident at column 2",
            "in.jsonl:4: not a JSON object but an array",
            "in.jsonl:5: no field \"text\"",
            "in.jsonl:6: field \"text\" is null, not a string",
        ]
    );
    assert!(stderr.contains("4 bad lines passed through"), "{stderr}");
    // Every line is in the output, in its place; the bad ones unchanged.
    let out: Vec<&str> = stdout.lines().collect();
    assert_eq!(out.len(), 7);
    assert_eq!(
        [out[1], out[3], out[4], out[5]],
        ["not json", "[1, 2]", "{\"id\": 5}", "{\"text\": null}"]
    );
    for i in [0, 2, 6] {
        assert_eq!(parse(out[i])["text"], Value::from(format!("{PARA}\n")));
    }

    // skip: still reported, left out of the output.
    let (code, stdout, stderr) = run(declutr(root).args([
        "clean",
        "--input-format",
        "jsonl",
        "in.jsonl",
        "--on-bad-line",
        "skip",
    ]));
    assert_eq!(code, Some(1));
    assert_eq!(reports(&stderr).len(), 4);
    assert_eq!(stdout.lines().count(), 3);
    assert!(stdout.lines().all(|l| parse(l)["id"] == 1), "{stdout}");

    // fail: stops at the first bad line; the output file is not written.
    let (code, stdout, stderr) = run(declutr(root).args([
        "clean",
        "--input-format",
        "jsonl",
        "in.jsonl",
        "--on-bad-line",
        "fail",
        "-o",
        "out.jsonl",
    ]));
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(
        stderr.starts_with("in.jsonl:2: not valid JSON"),
        "only the first bad line: {stderr}"
    );
    assert!(stderr.contains("stopped at bad line 2"), "{stderr}");
    assert_eq!(reports(&stderr).len(), 1);
    assert!(!root.join("out.jsonl").exists());
    // On stdout, the lines before the bad one are written.
    let (code, stdout, _) = run(declutr(root)
        .args([
            "clean",
            "--input-format",
            "jsonl",
            "-",
            "--on-bad-line",
            "fail",
        ])
        .write_stdin(input));
    assert_eq!(code, Some(1));
    assert_eq!(stdout.lines().count(), 1);
}

#[test]
fn a_record_line_over_max_bytes_is_a_bad_line() {
    let tmp = tempdir();
    let root = tmp.path();
    let small = record(serde_json::json!({ "id": 1, "text": PARA }));
    let big = record(serde_json::json!({ "id": 2, "text": PARA.repeat(30) }));
    let size = big.len() - 1;
    assert!((5000..10_000).contains(&size));
    write(&root.join("in.jsonl"), format!("{small}{big}{small}"));
    let (code, stdout, stderr) = run(declutr(root).args([
        "clean",
        "--input-format",
        "jsonl",
        "in.jsonl",
        "--max-bytes",
        "5K",
    ]));
    assert_eq!(code, Some(1), "{stderr}");
    let kb = format!("{:.1}", size as f64 / 1000.0);
    assert_eq!(
        reports(&stderr),
        [format!(
            "in.jsonl:2: line of {kb} KB is over --max-bytes (5 KB)"
        )]
    );
    // Passed through unchanged, by default; the others cleaned.
    let out: Vec<&str> = stdout.lines().collect();
    assert_eq!(out.len(), 3);
    assert_eq!(format!("{}\n", out[1]), big);
    for i in [0, 2] {
        assert_eq!(parse(out[i])["text"], Value::from(format!("{PARA}\n")));
    }
    // The stream itself is not limited: with every line under the limit, all is cleaned.
    write(&root.join("in.jsonl"), small.repeat(100));
    let (code, stdout, stderr) = run(declutr(root).args([
        "clean",
        "--input-format",
        "jsonl",
        "in.jsonl",
        "--max-bytes",
        "5K",
    ]));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 100);
}

#[test]
fn stdin_bad_lines_are_named_stdin() {
    let tmp = tempdir();
    let (code, stdout, stderr) = run(declutr(tmp.path())
        .args([
            "clean",
            "--input-format",
            "jsonl",
            "-",
            "--text-field",
            "body",
        ])
        .write_stdin("{\"text\": \"x\"}\n"));
    assert_eq!(code, Some(1));
    assert!(
        stderr.starts_with("<stdin>:1: no field \"body\"\n"),
        "{stderr}"
    );
    assert_eq!(stdout, "{\"text\": \"x\"}\n");
}

#[test]
fn empty_input_gives_empty_output() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("empty.jsonl"), "");
    for args in [
        &["clean", "--input-format", "jsonl", "empty.jsonl", "-q"][..],
        &["clean", "--input-format", "jsonl", "-", "-q"][..],
    ] {
        let (code, stdout, stderr) = run(declutr(root).args(args).write_stdin(""));
        assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    }
    fs::create_dir_all(root.join("none")).unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, _) = run(declutr(root).args(["clean", "none", "--format", "jsonl", "-q"]));
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
}

#[test]
fn the_url_field_picks_the_site_rules() {
    let tmp = tempdir();
    let root = tmp.path();
    let promo = "Book your crossing today";
    write(
        &root.join("myrules/sites/news.example.toml"),
        format!("[[drop-lines]]\nid = \"ferry-promo\"\nphrases = [\"{promo}\"]\n"),
    );
    // No header in the text: only the record's URL can name the site.
    let text = format!("{PARA}\n{promo}\n{PARA} Again.\n");
    let input = [
        serde_json::json!({ "url": "https://www.news.example/a", "text": text }),
        serde_json::json!({ "url": "https://quayside-post.example/a", "text": text }),
        serde_json::json!({ "link": "https://news.example/a", "text": text }),
    ]
    .map(record)
    .concat();
    let kept = |stdout: &str| -> Vec<bool> {
        stdout
            .lines()
            .map(|l| parse(l)["text"].as_str().unwrap_or("").contains(promo))
            .collect()
    };

    let (code, stdout, stderr) = run(declutr(root)
        .args([
            "clean",
            "--input-format",
            "jsonl",
            "-",
            "--rules",
            "myrules",
        ])
        .write_stdin(input.clone()));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(kept(&stdout), [false, true, true]);
    let first = parse(stdout.lines().next().unwrap_or_default());
    assert_eq!(first["declutr"]["site"], "www.news.example");
    assert_eq!(first["declutr"]["removed"]["drop-lines"], 1);

    let (_, stdout, _) = run(declutr(root)
        .args([
            "clean",
            "--input-format",
            "jsonl",
            "-",
            "--rules",
            "myrules",
        ])
        .args(["--url-field", "link"])
        .write_stdin(input));
    assert_eq!(kept(&stdout), [true, true, false]);
}

// ---------------------------------------------------------------------------------------
// A stream cut into parts, each cleaned by its own process: what a mapper on a cluster
// (Spark's `rdd.pipe`, Hadoop streaming) relies on.
// ---------------------------------------------------------------------------------------

#[test]
fn parts_of_a_stream_piped_one_by_one_give_the_output_of_one_run() {
    let tmp = tempdir();
    let root = tmp.path();
    let html = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/html-news-article/input.html");
    let mut lines: Vec<String> = text_samples()
        .iter()
        .map(|(name, path)| (name.clone(), read(path)))
        .chain([("html-news-article".to_string(), read(&html))])
        .enumerate()
        .map(|(i, (name, text))| {
            serde_json::json!({ "id": i, "case": name, "text": text, "crawl": [i, "x"] })
                .to_string()
        })
        .collect();
    // Bad lines and a blank line among the records.
    lines.insert(2, "not json".to_string());
    lines.insert(7, "{\"id\": \"no text\"}".to_string());
    lines.insert(9, String::new());
    let is_bad = |l: &str| {
        !l.is_empty() && serde_json::from_str::<Value>(l).map_or(true, |v| !v["text"].is_string())
    };
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    write(&root.join("in.jsonl"), &input);

    let (code, whole, stderr) =
        run(declutr(root).args(["clean", "--input-format", "jsonl", "in.jsonl", "-q"]));
    assert_eq!(code, Some(1), "bad lines make the exit code 1: {stderr}");

    // One output line per input line that is not blank, each in its input line's place:
    // the records cleaned, the bad lines as they were.
    let out: Vec<&str> = whole.lines().collect();
    let non_blank: Vec<&String> = lines.iter().filter(|l| !l.is_empty()).collect();
    assert_eq!(out.len(), non_blank.len(), "{whole}");
    for (got, line) in out.iter().zip(&non_blank) {
        if is_bad(line) {
            assert_eq!(got, line, "a bad line is passed through unchanged");
        } else {
            let (got, want) = (parse(got), parse(line));
            assert_eq!((&got["id"], &got["crawl"]), (&want["id"], &want["crawl"]));
            assert!(got["declutr"].is_object(), "{got}");
        }
    }

    // The same lines cut into parts at arbitrary places, an empty part among them, each part
    // through its own process on stdin, without --quiet: the parts' outputs, end to end,
    // are the one run's output, and stdout holds records only.
    for cuts in [
        vec![0, 3, 3, 10, lines.len()],
        vec![0, 1, 2, lines.len() - 1, lines.len()],
    ] {
        let mut joined = String::new();
        for part in cuts.windows(2) {
            let part = &lines[part[0]..part[1]];
            let part_input: String = part.iter().map(|l| format!("{l}\n")).collect();
            let (code, stdout, stderr) = run(declutr(root)
                .args(["clean", "--input-format", "jsonl", "-"])
                .write_stdin(part_input));
            // Bad lines are reported by their line number within the part.
            let bad: Vec<String> = (1..)
                .zip(part)
                .filter(|(_, l)| is_bad(l))
                .map(|(n, _)| format!("<stdin>:{n}: "))
                .collect();
            let reported: Vec<&str> = stderr
                .lines()
                .filter(|l| l.starts_with("<stdin>:"))
                .collect();
            assert_eq!(reported.len(), bad.len(), "{stderr}");
            assert!(
                reported
                    .iter()
                    .zip(&bad)
                    .all(|(r, b)| r.starts_with(b.as_str())),
                "{stderr}"
            );
            assert_eq!(code, Some(i32::from(!bad.is_empty())), "{stderr}");
            assert!(
                stderr.contains("cleaned "),
                "the summary is on stderr: {stderr}"
            );
            if part.is_empty() {
                assert_eq!(stdout, "", "an empty part");
            }
            joined.push_str(&stdout);
        }
        assert_eq!(joined, whole, "parts cut at {cuts:?}");
    }
}

// ---------------------------------------------------------------------------------------
// --format jsonl: where records go, and what is refused.
// ---------------------------------------------------------------------------------------

#[test]
fn jsonl_records_go_to_one_file_or_stdout() {
    let tmp = tempdir();
    let root = tmp.path();
    write(
        &root.join("in/b.txt"),
        format!("source: https://b.example/x\n\n{PARA}\n"),
    );
    write(&root.join("in/a/page.txt"), format!("{PARA}\n"));

    let (code, stdout, stderr) =
        run(declutr(root).args(["clean", "in", "--format", "jsonl", "-o", "out/all.jsonl"]));
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("cleaned 2 files"), "{stderr}");
    let written = read(&root.join("out/all.jsonl"));
    let records: Vec<Value> = written.lines().map(parse).collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["path"], "in/a/page.txt");
    assert_eq!(records[0]["url"], Value::Null);
    assert_eq!(records[0]["header"], serde_json::json!({}));
    assert_eq!(records[1]["path"], "in/b.txt");
    assert_eq!(records[1]["url"], "https://b.example/x");
    assert_eq!(records[1]["site"], "b.example");
    assert_eq!(
        records[1]["header"],
        serde_json::json!({"source": "https://b.example/x"})
    );
    assert_eq!(records[1]["text"], format!("{PARA}\n"));
    let keys: Vec<&String> = records[1]
        .as_object()
        .map(|o| o.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        keys.len(),
        [
            "path",
            "url",
            "site",
            "header",
            "header_lines",
            "text",
            "removed"
        ]
        .len()
    );

    // stdin: one record, its path null.
    let (code, stdout, _) = run(declutr(root)
        .args(["clean", "-", "--format", "jsonl"])
        .write_stdin(format!("{PARA}\n")));
    assert_eq!(code, Some(0));
    assert_eq!(parse(&stdout)["path"], Value::Null);

    // Never into the input tree, never a directory.
    let (code, _, stderr) =
        run(declutr(root).args(["clean", "in", "--format", "jsonl", "-o", "in/all.jsonl"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("would be written into the input in"),
        "{stderr}"
    );
    assert!(!root.join("in/all.jsonl").exists());
    let (code, _, stderr) =
        run(declutr(root).args(["clean", "in", "--format", "jsonl", "-o", "out"]));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("out: is a directory"), "{stderr}");
}

#[test]
fn an_unreadable_file_fails_alone_in_a_jsonl_batch() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("in/a.txt"), format!("{PARA}\n"));
    // A link to nothing cannot be read: a failure (a binary file is a skip, see
    // tests/hostile.rs).
    std::os::unix::fs::symlink("missing", root.join("in/b.txt"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    write(&root.join("in/c.txt"), format!("{PARA}\n"));
    let (code, stdout, stderr) = run(declutr(root).args(["clean", "in", "--format", "jsonl"]));
    assert_eq!(code, Some(1));
    assert!(stderr.contains("in/b.txt: "), "{stderr}");
    let paths: Vec<Value> = stdout.lines().map(|l| parse(l)["path"].clone()).collect();
    assert_eq!(paths, ["in/a.txt", "in/c.txt"]);
}

#[test]
fn options_that_do_not_fit_are_usage_errors() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("in/a.txt"), format!("{PARA}\n"));
    write(
        &root.join("in.jsonl"),
        record(serde_json::json!({ "text": PARA })),
    );
    for args in [
        &["clean", "in/a.txt", "--text-field", "body"][..],
        &["clean", "in/a.txt", "--on-bad-line", "skip"][..],
        &["clean", "in/a.txt", "--format", "jsonl", "--explain"][..],
        &["clean", "in/a.txt", "--format", "jsonl", "--no-header"][..],
        &["clean", "--input-format", "jsonl", "in"][..],
        &["clean", "--input-format", "jsonl", "in.jsonl", "in.jsonl"][..],
        &[
            "clean",
            "--input-format",
            "jsonl",
            "in.jsonl",
            "--format",
            "txt",
        ][..],
        &[
            "clean",
            "--input-format",
            "jsonl",
            "in.jsonl",
            "-o",
            "in.jsonl",
        ][..],
        &["clean", "--input-format", "jsonl", "missing.jsonl"][..],
    ] {
        let (code, stdout, stderr) = run(declutr(root).args(args));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
        assert!(stderr.starts_with("declutr: "), "{args:?}: {stderr}");
    }
    assert_eq!(
        read(&root.join("in.jsonl")),
        record(serde_json::json!({ "text": PARA }))
    );
}
