//! End-to-end tests of the `declutr` command line: what a user runs, what lands on disk,
//! on stdout and stderr, and the exit codes (0 all cleaned, 1 some inputs failed, 2 usage
//! or rule error).

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

mod common;
use common::{declutr, read, tempdir, write};

// ---------------------------------------------------------------------------------------
// Test documents (invented for these tests).
// ---------------------------------------------------------------------------------------

const FERRY_TITLE: &str = "Island ferry to run a winter timetable";
const FERRY_PARAS: [&str; 3] = [
    "The harbour board agreed on Monday that the island ferry will keep a reduced winter \
timetable until the end of March, after months of complaints from residents who said the late \
boats were often cancelled at short notice.",
    "The board said that the new timetable would be published on its website by Friday and that \
the first sailing of the day would leave half an hour earlier than it does now, so that workers \
could reach the mainland in time.",
    "A spokesman for the residents' association said the change was a step in the right direction \
but that the island still needed a second boat for the busy summer months when visitors fill \
every seat.",
];
/// The clutter lines of the ferry page, each one of a kind the default rules remove.
const FERRY_CLUTTER: [&str; 9] = [
    "Home",
    "World",
    "Sport",
    "Weather",
    "Listen to this article",
    "Share",
    "Passengers wait on the pier at dawn (Picture: Harbour Board)",
    "Leave a Reply",
    "Your email address will not be published.",
];

/// A scrape of a news page: provenance header, a menu, the title, widgets, three paragraphs
/// with a photo caption between them, and the comment form. `widget` is the line right
/// after "Listen to this article" (normally "Share").
fn ferry_page_with(url: &str, widget: &str) -> String {
    let [p0, p1, p2] = FERRY_PARAS;
    format!(
        "url: {url}\ndate 2025-04-02\n\nHome\nWorld\nSport\nWeather\n{FERRY_TITLE}\n\
Listen to this article\n{widget}\n{p0}\n{p1}\n\
Passengers wait on the pier at dawn (Picture: Harbour Board)\n{p2}\n\
Leave a Reply\nYour email address will not be published.\n"
    )
}

fn ferry_page(url: &str) -> String {
    ferry_page_with(url, "Share")
}

/// What a reader wants of the ferry page: the header verbatim, a blank line, the title and
/// the three paragraphs.
fn ferry_clean(url: &str) -> String {
    let [p0, p1, p2] = FERRY_PARAS;
    format!("url: {url}\ndate 2025-04-02\n\n{FERRY_TITLE}\n{p0}\n{p1}\n{p2}\n")
}

const LIBRARY_PARAS: [&str; 2] = [
    "The town library opened its doors again on Saturday morning, a little more than a year \
after a burst pipe flooded the reading room and ruined several thousand of the books in the \
local history collection on the ground floor.",
    "Volunteers spent the whole winter drying, sorting and cataloguing what could be saved, and \
the council paid for new shelves, a lift to the upper floor and a small room where children \
can listen to stories after school.",
];

/// A second page, from another site, with other kinds of clutter.
fn library_page() -> String {
    let [p0, p1] = LIBRARY_PARAS;
    format!(
        "source: https://valley-gazette.example/town/library-reopens\n\n\
Skip to main content\nMenu\nSearch\nOld library reopens after a year of repairs\n5 min read\n\
Share on Facebook\nAdvertisement\n{p0}\n{p1}\nRelated stories\n\
Council Approves New Cycle Lanes\nHarvest Fair Returns To The Square\nFive Walks To Try This Autumn\n"
    )
}

const LIBRARY_CLUTTER: [&str; 9] = [
    "Skip to main content",
    "Menu",
    "Search",
    "5 min read",
    "Share on Facebook",
    "Advertisement",
    "Related stories",
    "Council Approves New Cycle Lanes",
    "Five Walks To Try This Autumn",
];

const FERRY_URL: &str = "https://news.example/2025/ferry-timetable";

// ---------------------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------------------

/// Every file under `dir` (symlinks included, not followed) with its bytes, relative
/// paths sorted; empty when `dir` does not exist.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for entry in rd.filter_map(Result::ok) {
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            match entry.file_type() {
                Ok(t) if t.is_dir() => {
                    out.push((rel, None));
                    stack.push(path);
                }
                Ok(t) if t.is_symlink() => {
                    let target = fs::read_link(&path).unwrap_or_default();
                    out.push((rel, Some(target.into_os_string().into_encoded_bytes())));
                }
                _ => out.push((rel, Some(fs::read(&path).unwrap_or_default()))),
            }
        }
    }
    out.sort();
    out
}

/// Relative paths of the regular files under `dir`, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.is_some())
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// ---------------------------------------------------------------------------------------
// clean: batches, stdin, single files.
// ---------------------------------------------------------------------------------------

#[test]
fn directory_batch_mirrors_the_tree_and_leaves_inputs_untouched() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("in/a/b/page.txt"), ferry_page(FERRY_URL));
    write(&root.join("in/top.txt"), library_page());
    write(&root.join("in/image.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let before = snapshot(&root.join("in"));

    let out = declutr(root)
        .args(["clean", "in", "-o", "out"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(
        stdout_of(&out).is_empty(),
        "a batch writes files, not stdout"
    );

    // The tree is mirrored, the png is skipped, nothing else (no temporary files) is left.
    assert_eq!(files_under(&root.join("out")), ["a/b/page.txt", "top.txt"]);
    assert!(
        stderr.contains("cleaned 2 files, 1 skipped, 0 failed"),
        "summary: {stderr}"
    );

    // The inputs are unchanged, byte for byte.
    assert_eq!(snapshot(&root.join("in")), before);

    // The header comes first, verbatim, then one blank line, then the article.
    let page = read(&root.join("out/a/b/page.txt"));
    assert_eq!(page, ferry_clean(FERRY_URL));
    assert!(
        page.starts_with(&format!("url: {FERRY_URL}\ndate 2025-04-02\n\n")),
        "{page}"
    );
    for clutter in FERRY_CLUTTER {
        assert!(
            !page.lines().any(|l| l == clutter),
            "{clutter:?} kept:\n{page}"
        );
    }

    let top = read(&root.join("out/top.txt"));
    assert!(
        top.starts_with("source: https://valley-gazette.example/town/library-reopens\n\n"),
        "{top}"
    );
    for p in LIBRARY_PARAS {
        assert!(top.lines().any(|l| l == p), "paragraph lost: {p:?}\n{top}");
    }
    for clutter in LIBRARY_CLUTTER {
        assert!(
            !top.lines().any(|l| l == clutter),
            "{clutter:?} kept:\n{top}"
        );
    }
}

#[test]
fn stdin_is_cleaned_to_stdout() {
    let tmp = tempdir();
    declutr(tmp.path())
        .args(["clean", "-"])
        .write_stdin(ferry_page(FERRY_URL))
        .assert()
        .code(0)
        .stdout(ferry_clean(FERRY_URL));
    assert!(files_under(tmp.path()).is_empty(), "stdin mode wrote files");
}

#[test]
fn stdin_cannot_be_mixed_with_an_output_directory() {
    let tmp = tempdir();
    declutr(tmp.path())
        .args(["clean", "-", "-o", "out"])
        .write_stdin(ferry_page(FERRY_URL))
        .assert()
        .code(2)
        .stdout("");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_single_file_without_output_dir_goes_to_stdout() {
    let tmp = tempdir();
    write(&tmp.path().join("page.txt"), ferry_page(FERRY_URL));
    declutr(tmp.path())
        .args(["clean", "page.txt"])
        .assert()
        .code(0)
        .stdout(ferry_clean(FERRY_URL));
    assert_eq!(files_under(tmp.path()), ["page.txt"]);
    assert_eq!(read(&tmp.path().join("page.txt")), ferry_page(FERRY_URL));
}

#[test]
fn a_directory_without_output_dir_is_a_usage_error() {
    let tmp = tempdir();
    write(&tmp.path().join("in/page.txt"), ferry_page(FERRY_URL));
    declutr(tmp.path())
        .args(["clean", "in"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("-o DIR"));
}

#[test]
fn a_missing_input_is_a_usage_error_and_nothing_is_written() {
    let tmp = tempdir();
    write(&tmp.path().join("in/page.txt"), ferry_page(FERRY_URL));
    declutr(tmp.path())
        .args(["clean", "in", "nowhere", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "nowhere: no such file or directory",
        ));
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn explain_names_the_encoding_and_how_it_was_found() {
    let tmp = tempdir();
    let latin1 =
        b"url: https://news.example/cafe\n\nLe caf\xe9 du port rouvre ses portes apr\xe8s \
trois mois de travaux, avec une terrasse agrandie et une nouvelle carte.\n";
    write(&tmp.path().join("legacy.txt"), latin1);
    write(
        &tmp.path().join("declared.html"),
        "<html><head><meta charset=\"iso-8859-2\"></head><body><p>Hello.</p></body></html>",
    );
    write(&tmp.path().join("plain.txt"), ferry_page(FERRY_URL));
    let first_line = |name: &str| {
        let out = declutr(tmp.path())
            .args(["clean", "--explain", name])
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
        stdout_of(&out)
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        first_line("legacy.txt"),
        "# encoding: windows-1252 (detected)"
    );
    assert_eq!(
        first_line("declared.html"),
        "# encoding: ISO-8859-2 (declared in the page)"
    );
    assert_eq!(
        first_line("plain.txt"),
        "# encoding: UTF-8 (none declared, the bytes are valid UTF-8)"
    );
}

#[test]
fn explain_shows_every_line_with_its_fate_and_rule() {
    let tmp = tempdir();
    let page = ferry_page(FERRY_URL);
    write(&tmp.path().join("page.txt"), &page);
    let out = declutr(tmp.path())
        .args(["clean", "--explain", "page.txt"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let shown = stdout_of(&out);

    // Each explain line is `[number]  fate | text`.
    let fate_of = |text: &str| -> String {
        let found = shown
            .lines()
            .filter_map(|l| l.split_once(" | "))
            .find(|(_, t)| *t == text)
            .map(|(fate, _)| {
                fate.split_whitespace()
                    .skip_while(|w| w.parse::<usize>().is_ok())
            })
            .map(|words| words.collect::<Vec<_>>().join(" "));
        found.unwrap_or_else(|| panic!("no explain line for {text:?}:\n{shown}"))
    };
    assert_eq!(fate_of(&format!("url: {FERRY_URL}")), "header");
    assert_eq!(fate_of("date 2025-04-02"), "header");
    assert_eq!(
        fate_of("Listen to this article"),
        "drop drop-lines/audio-player"
    );
    assert_eq!(fate_of("Share"), "drop drop-lines/share-buttons");
    assert_eq!(
        fate_of("Passengers wait on the pier at dawn (Picture: Harbour Board)"),
        "drop drop-captions/photo-credits"
    );
    assert_eq!(fate_of("Leave a Reply"), "drop cut-at-marker/comment-form");
    assert_eq!(fate_of(FERRY_TITLE), "keep");
    for p in FERRY_PARAS {
        assert_eq!(fate_of(p), "keep");
    }
    // Every non-blank input line is accounted for, and every dropped one names filter/rule.
    for line in page.lines().filter(|l| !l.trim().is_empty()) {
        let fate = fate_of(line);
        assert!(
            fate == "header"
                || fate == "keep"
                || fate
                    .strip_prefix("drop ")
                    .is_some_and(|r| r.split_once('/').is_some()),
            "{line:?}: {fate:?}"
        );
    }
    // Body lines carry their input line number.
    assert!(
        shown.lines().any(|l| l
            .trim_start()
            .starts_with("9  drop drop-lines/audio-player")),
        "{shown}"
    );
    assert!(shown.contains("# site: news.example"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Refusals: bad rules and a dangerous output directory write nothing.
// ---------------------------------------------------------------------------------------

/// A rule file with two problems: an invalid regex at line 5, column 13, and an unknown
/// key `phrase` at line 9, column 1.
const BAD_RULES: &str = "# house rules\n\
[[drop-lines]]\n\
id = \"ferry-promo\"\n\
phrases = [\"Book your crossing today\"]\n\
patterns = ['(unclosed']\n\
\n\
[[drop-lines]]\n\
id = \"second-promo\"\n\
phrase = [\"typo\"]\n";

#[test]
fn a_bad_rule_file_reports_every_problem_with_line_and_column_and_writes_nothing() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("in/page.txt"), ferry_page(FERRY_URL));
    write(&root.join("myrules/house.toml"), BAD_RULES);

    let out = declutr(root)
        .args(["clean", "in", "-o", "out", "--rules", "myrules"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("myrules/house.toml:5:13: invalid regex \"(unclosed\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("myrules/house.toml:9:1: unknown field 'phrase'"),
        "{stderr}"
    );
    // The caret snippet under each problem.
    assert!(
        stderr.contains("5 | patterns = ['(unclosed']\n  |             ^^^^^^^^^^^"),
        "{stderr}"
    );
    assert!(
        stderr.contains("9 | phrase = [\"typo\"]\n  | ^^^^^^"),
        "{stderr}"
    );
    assert!(stderr.contains("2 problems in rule files"), "{stderr}");
    assert!(stdout_of(&out).is_empty());
    assert!(!root.join("out").exists(), "output directory was created");

    // The same rules with stdin: nothing on stdout either.
    declutr(root)
        .args(["clean", "-", "--rules", "myrules"])
        .write_stdin(ferry_page(FERRY_URL))
        .assert()
        .code(2)
        .stdout("");

    // `rules check` reports the same problems.
    declutr(root)
        .args(["rules", "check", "myrules"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("myrules/house.toml:5:13:")
                .and(predicate::str::contains("myrules/house.toml:9:1:")),
        );
}

#[test]
fn an_output_directory_inside_the_input_is_refused() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("in/page.txt"), ferry_page(FERRY_URL));
    let before = snapshot(&root.join("in"));
    declutr(root)
        .args(["clean", "in", "-o", "in/out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "output directory in/out is inside input directory in",
        ));
    assert_eq!(snapshot(&root.join("in")), before, "the input tree changed");

    // Spelled differently, it is still inside.
    declutr(root)
        .args(["clean", "in", "-o", "./in/../in/sub/out"])
        .assert()
        .code(2);
    declutr(root)
        .args(["clean", "in", "-o", "in"])
        .assert()
        .code(2);
    assert_eq!(snapshot(&root.join("in")), before, "the input tree changed");
}

/// Bug: a file input whose output path is the input itself is cleaned in place, though
/// "the input tree is never written to" (`batch::plan` only guards directory inputs).
#[test]
fn a_file_input_is_never_overwritten_by_its_output() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("page.txt"), ferry_page(FERRY_URL));
    let out = declutr(root)
        .args(["clean", "page.txt", "-o", "."])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        read(&root.join("page.txt")),
        ferry_page(FERRY_URL),
        "the input file was overwritten"
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
}

/// Bug: two inputs mapped to the same output path race on one temporary file name
/// (`io::atomic::write_atomic` names it after the process id only), and `batch::plan` does not
/// notice the collision: one document is lost, sometimes with exit 0.
#[test]
fn two_inputs_never_share_one_output_file() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("one/page.txt"), ferry_page(FERRY_URL));
    write(&root.join("two/page.txt"), library_page());
    for args in [
        ["clean", "one", "two", "-o", "out-dirs"],
        ["clean", "one/page.txt", "two/page.txt", "-o", "out-files"],
    ] {
        let out = declutr(root)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        let dir = root.join(args[args.len() - 1]);
        // Either the collision is refused up front, or both documents are written.
        if out.status.code() == Some(2) {
            assert!(!dir.exists(), "{args:?}: refused, yet wrote {dir:?}");
            continue;
        }
        let written: Vec<String> = files_under(&dir)
            .iter()
            .map(|f| read(&dir.join(f)))
            .collect();
        assert!(
            written.iter().any(|t| t.contains(FERRY_PARAS[0]))
                && written.iter().any(|t| t.contains(LIBRARY_PARAS[0])),
            "{args:?}: exit {:?}, a document was lost; files {:?}; stderr {}",
            out.status.code(),
            files_under(&dir),
            stderr_of(&out)
        );
    }
}

// ---------------------------------------------------------------------------------------
// Failing inputs: exit 1, each reported as `path: cause`, the rest of the batch goes on.
// ---------------------------------------------------------------------------------------

#[test]
fn unreadable_inputs_fail_alone_and_the_batch_goes_on() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("in/good.txt"), ferry_page(FERRY_URL));
    write(&root.join("in/z/also-good.txt"), library_page());
    std::os::unix::fs::symlink("missing", root.join("in/broken.txt"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    write(&root.join("in/nul.txt"), b"some text\0more text\n");

    let out = declutr(root)
        .args(["clean", "in", "-o", "out"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line_for = |path: &str| -> &str {
        stderr
            .lines()
            .find(|l| l.starts_with(&format!("{path}: ")))
            .unwrap_or_else(|| panic!("{path} not reported:\n{stderr}"))
    };
    assert!(
        line_for("in/broken.txt").contains("No such file or directory"),
        "{stderr}"
    );
    assert_eq!(
        line_for("in/nul.txt"),
        "in/nul.txt: skipped: binary file (NUL byte at offset 9)"
    );
    assert!(
        stderr.contains("cleaned 2 files, 1 skipped (1 binary), 1 failed"),
        "{stderr}"
    );

    // The good files were written, and correctly; the bad ones left no output.
    assert_eq!(
        files_under(&root.join("out")),
        ["good.txt", "z/also-good.txt"]
    );
    assert_eq!(read(&root.join("out/good.txt")), ferry_clean(FERRY_URL));
    assert!(read(&root.join("out/z/also-good.txt")).contains(LIBRARY_PARAS[1]));
}

#[test]
fn a_legacy_encoding_is_decoded_and_binary_stdin_is_skipped() {
    let tmp = tempdir();
    // windows-1252 / latin-1 text, as older scrapers save it.
    let latin1 = b"Le caf\xe9 du village a rouvert ses portes apr\xe8s trois ans de travaux, \
et les habitu\xe9s sont revenus d\xe8s le premier matin pour prendre leur caf\xe9.\n";
    write(&tmp.path().join("latin1.txt"), &latin1[..]);
    let out = declutr(tmp.path())
        .args(["clean", "latin1.txt"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(
        stdout_of(&out).contains("Le café du village a rouvert ses portes après trois ans"),
        "{}",
        stdout_of(&out)
    );
    declutr(tmp.path())
        .args(["clean", "-"])
        .write_stdin(&b"binary\0junk"[..])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains(
            "<stdin>: skipped: binary file (NUL byte at offset 6)",
        ));
}

// ---------------------------------------------------------------------------------------
// filters, explain, rules check / test.
// ---------------------------------------------------------------------------------------

#[test]
fn filters_lists_every_kind_with_its_summary() {
    let tmp = tempdir();
    let out = declutr(tmp.path())
        .arg("filters")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let listed = stdout_of(&out);
    assert_eq!(
        listed.lines().count(),
        declutr::filters::KINDS.len(),
        "{listed}"
    );
    for (line, k) in listed.lines().zip(declutr::filters::KINDS) {
        let (name, summary) = line
            .split_once(' ')
            .unwrap_or_else(|| panic!("bad line {line:?}"));
        assert_eq!(name, k.name, "kinds are listed in pipeline order");
        assert_eq!(summary.trim(), k.summary);
    }
}

#[test]
fn explain_prints_a_kind_with_its_example() {
    let tmp = tempdir();
    let k = declutr::filters::kind("drop-link-lists")
        .unwrap_or_else(|| panic!("drop-link-lists is not registered"));
    let out = declutr(tmp.path())
        .args(["explain", "drop-link-lists"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let shown = stdout_of(&out);
    assert!(
        shown.starts_with(&format!("drop-link-lists: {}\n", k.summary)),
        "{shown}"
    );
    assert!(shown.contains(k.description), "{shown}");
    // Rules, input and output, each line indented, in that order.
    let rules_at = shown.find("Example rules:").unwrap_or(usize::MAX);
    let input_at = shown.find("\nInput:").unwrap_or(usize::MAX);
    let output_at = shown.find("\nOutput:").unwrap_or(usize::MAX);
    assert!(rules_at < input_at && input_at < output_at, "{shown}");
    for (section, text, from, to) in [
        ("rules", k.example.rules, rules_at, input_at),
        ("input", k.example.input, input_at, output_at),
        ("output", k.example.output, output_at, shown.len()),
    ] {
        for line in text.lines() {
            assert!(
                shown[from..to].contains(&format!("    {line}\n")),
                "example {section} line {line:?} missing:\n{shown}"
            );
        }
    }
    assert!(shown.contains("[[drop-link-lists]]"), "{shown}");
}

#[test]
fn explain_of_an_unknown_kind_exits_2_and_lists_the_kinds() {
    let tmp = tempdir();
    declutr(tmp.path())
        .args(["explain", "nope"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("no filter kind or rule named \"nope\"")
                .and(predicate::str::contains("drop-link-lists")),
        );
}

#[test]
fn explain_lists_a_kind_s_keys_with_their_defaults() {
    let tmp = tempdir();
    let k = declutr::filters::kind("drop-lines")
        .unwrap_or_else(|| panic!("drop-lines is not registered"));
    let out = declutr(tmp.path())
        .args(["explain", "drop-lines"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let shown = stdout_of(&out);
    for f in k.fields {
        let line = shown
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{} ", f.key)))
            .unwrap_or_else(|| panic!("no line for key {}:\n{shown}", f.key));
        assert!(line.contains(f.meaning) && line.ends_with(&format!("default: {}", f.default)));
    }
}

#[test]
fn explain_shows_where_a_rule_is_defined_and_its_table() {
    let tmp = tempdir();
    let rules = "# My widgets.\n[[normalize]]\nid = \"ws\"\n\n[[drop-lines]]\nid = \"my-widgets\"\n\
phrases = [\"Clap\"]\n\n# The end.\n";
    write(&tmp.path().join("mine/rules.toml"), rules);
    let out = declutr(tmp.path())
        .args(["explain", "drop-lines/my-widgets", "--rules", "mine"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let shown = stdout_of(&out);
    assert!(
        shown.starts_with("drop-lines/my-widgets (mine/rules.toml:5, global)\n"),
        "{shown}"
    );
    assert!(
        shown.contains("    [[drop-lines]]\n    id = \"my-widgets\"\n    phrases = [\"Clap\"]\n\n"),
        "{shown}"
    );
    assert!(!shown.contains("The end."), "{shown}");
    // The id alone finds it; an embedded rule is found by kind and id.
    declutr(tmp.path())
        .args(["explain", "my-widgets", "--rules", "mine"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("drop-lines/my-widgets "));
    declutr(tmp.path())
        .args(["explain", "cut-at-marker/related-content"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("<embedded>/rules/default.toml:"));
    // Without the file, or misspelt, it is a usage error with what it may have meant.
    declutr(tmp.path())
        .args(["explain", "my-widgts", "--rules", "mine"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean my-widgets?"));
    declutr(tmp.path())
        .args(["explain", "my-widgets"])
        .assert()
        .code(2);
}

#[test]
fn the_summary_counts_the_header_stage_s_removals() {
    let tmp = tempdir();
    let page = format!(
        "<html><head><title>{FERRY_TITLE}</title></head><body>\
<article><h1>{FERRY_TITLE}</h1><p>{}</p><p>{}</p></article></body></html>",
        FERRY_PARAS[0], FERRY_PARAS[1]
    );
    write(&tmp.path().join("in/ferry.html"), page);
    declutr(tmp.path())
        .args(["clean", "in", "-o", "out"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("removed: ").and(predicate::str::contains("header 1")));
}

#[test]
fn the_embedded_rules_check_and_test_cleanly() {
    let tmp = tempdir();
    declutr(tmp.path())
        .args(["rules", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ok: "));
    declutr(tmp.path())
        .args(["rules", "test"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(" 0 failed"));
}

#[test]
fn rules_test_fails_with_exit_1_on_a_failing_case() {
    let tmp = tempdir();
    write(
        &tmp.path().join("myrules/promo.toml"),
        "[[drop-lines]]\nid = \"ferry-promo\"\nphrases = [\"Book your crossing today\"]\n\n\
[[test]]\nname = \"promo goes\"\ninput = \"Book your crossing today\\n\"\ndrop = [\"Book your crossing today\"]\n\n\
[[test]]\nname = \"promo stays\"\ninput = \"Book your crossing today\\n\"\nkeep = [\"Book your crossing today\"]\n",
    );
    declutr(tmp.path())
        .args(["rules", "test", "--no-default-rules", "myrules"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("ok    promo goes")
                .and(predicate::str::contains(
                    "FAIL  promo stays (myrules/promo.toml:10)",
                ))
                .and(predicate::str::contains("1 passed, 1 failed")),
        );
}

// ---------------------------------------------------------------------------------------
// No TTY, --quiet.
// ---------------------------------------------------------------------------------------

#[test]
fn piped_stderr_gets_a_plain_summary_and_quiet_gets_none() {
    let tmp = tempdir();
    let root = tmp.path();
    for i in 0..5 {
        write(&root.join(format!("in/p{i}.txt")), ferry_page(FERRY_URL));
    }
    let out = declutr(root)
        .args(["clean", "in", "-o", "out"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    let stderr = stderr_of(&out);
    assert!(!stderr.contains('\r'), "progress bar on a pipe: {stderr:?}");
    assert!(
        !stderr.contains('\x1b'),
        "ANSI escape on a pipe: {stderr:?}"
    );
    assert!(
        stderr.starts_with("cleaned 5 files, 0 skipped, 0 failed"),
        "{stderr:?}"
    );
    // Removals are counted per filter kind: two widget lines in each of the five pages.
    let removed: Vec<&str> = stderr
        .lines()
        .find_map(|l| l.strip_prefix("removed: "))
        .map(|l| l.split(", ").collect())
        .unwrap_or_default();
    assert!(removed.contains(&"drop-lines 10"), "{stderr:?}");

    let out = declutr(root)
        .args(["clean", "in", "-o", "out-quiet", "--quiet"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stderr_of(&out), "", "--quiet printed something");
    assert_eq!(files_under(&root.join("out-quiet")).len(), 5);
}

// ---------------------------------------------------------------------------------------
// User rules: disable, site files.
// ---------------------------------------------------------------------------------------

#[test]
fn a_user_rule_file_can_disable_a_default_rule() {
    let tmp = tempdir();
    let root = tmp.path();
    write(&root.join("page.txt"), ferry_page(FERRY_URL));
    write(
        &root.join("myrules/keep-audio.toml"),
        "disable = [\"audio-player\"]\n",
    );
    let kept = declutr(root)
        .args(["clean", "page.txt", "--rules", "myrules"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept.status.code(), Some(0), "{}", stderr_of(&kept));
    let text = stdout_of(&kept);
    assert!(
        text.lines().any(|l| l == "Listen to this article"),
        "{text}"
    );
    // Only that rule is gone: the other widgets still go.
    assert!(!text.lines().any(|l| l == "Share"), "{text}");
    assert!(!text.contains("Leave a Reply"), "{text}");

    // Without the user rules the line goes.
    declutr(root)
        .args(["clean", "page.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Listen to this article").not());
}

#[test]
fn a_site_file_applies_only_to_its_host() {
    let tmp = tempdir();
    let root = tmp.path();
    let promo = "Book your crossing today";
    write(
        &root.join("myrules/sites/news.example.toml"),
        format!("[[drop-lines]]\nid = \"ferry-promo\"\nphrases = [\"{promo}\"]\n"),
    );
    write(
        &root.join("in/apex.txt"),
        ferry_page_with("https://news.example/2025/ferry", promo),
    );
    write(
        &root.join("in/www.txt"),
        ferry_page_with("https://www.news.example/2025/ferry", promo),
    );
    write(
        &root.join("in/other.txt"),
        ferry_page_with("https://quayside-post.example/2025/ferry", promo),
    );
    // No header: the site comes from --site (stdin below) or nowhere.
    let headerless: String = ferry_page_with(FERRY_URL, promo)
        .lines()
        .skip(3)
        .map(|l| format!("{l}\n"))
        .collect();
    write(&root.join("in/noheader.txt"), &headerless);

    declutr(root)
        .args(["clean", "in", "-o", "out", "--rules", "myrules"])
        .assert()
        .code(0);
    let has_promo = |name: &str| {
        read(&root.join("out").join(name))
            .lines()
            .any(|l| l == promo)
    };
    assert!(
        !has_promo("apex.txt"),
        "site rule not applied to news.example"
    );
    assert!(
        !has_promo("www.txt"),
        "site rule not applied to www.news.example"
    );
    assert!(has_promo("other.txt"), "site rule leaked to another host");
    assert!(has_promo("noheader.txt"), "site rule applied with no site");
    // The default rules still apply on the site's pages.
    assert!(!read(&root.join("out/apex.txt")).contains("Listen to this article"));

    // --site names the site of a document whose header names none.
    declutr(root)
        .args(["clean", "-", "--rules", "myrules", "--site", "news.example"])
        .write_stdin(headerless.clone())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(promo).not());
    declutr(root)
        .args([
            "clean",
            "-",
            "--rules",
            "myrules",
            "--site",
            "quayside-post.example",
        ])
        .write_stdin(headerless)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(promo));
}
