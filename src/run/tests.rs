//! The runs together: for any input path, file name, WARC target URI and host, every path
//! a run writes (a text batch, a WARC file's pages, a site file) lies under the output
//! root, and nothing outside it changes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::Cleaner;
use crate::io::out_path::{OutputRoot, check_component, lies_under};
use crate::run::warc::clean as warc;
use crate::run::{batch, learn};

/// A plain-text scrape: header, a menu, the article, a comment form.
pub(super) const FERRY: &str = "url: https://news.example/2025/ferry\n\nHome\nNews\nSport\n\
Island ferry to keep its winter timetable\nShare\n\
The harbour board agreed on Monday that the island ferry will keep a reduced winter timetable \
until the end of March, after months of complaints from residents who said the late boats were \
often cancelled at short notice.\n\
The board said the new timetable would be published by Friday and that the first sailing of the \
day would leave half an hour earlier, so that workers could reach the mainland in time.\n\
Leave a Reply\nYour email address will not be published.\n";

/// Writes `contents` to `path`, creating its directories.
pub(super) fn write(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

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

/// A WARC file of one `resource` record: a plain-text page of `uri`.
fn warc(uri: &str, text: &str) -> Vec<u8> {
    format!(
        "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: {uri}\r\n\
WARC-Date: 2025-04-02T08:30:00Z\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}\r\n\r\n",
        text.len()
    )
    .into_bytes()
}

/// A name a file or directory can have, as hostile as it gets.
fn hostile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(
            &[
                "...",
                " ",
                ". .",
                "..x",
                "a\nb",
                "caf\u{e9}",
                ".hidden",
                "x.example"
            ][..]
        )
        .prop_map(str::to_string),
        "[a-z. ]{1,6}",
        "\\PC{1,6}",
    ]
    .prop_filter("a name, not a path", |n| {
        !n.contains(['/', '\0']) && !matches!(n.as_str(), "" | "." | "..")
    })
}

/// A WARC target URI, well-formed or not, with hostile hosts and paths.
fn hostile_uri() -> impl Strategy<Value = String> {
    let host = prop::sample::select(
        &[
            "..",
            "a*b",
            "x.example",
            "[::1]",
            "%2e%2e",
            "...",
            "",
            "a/b",
            "x.example:8080",
        ][..],
    );
    let path = prop::sample::select(&["/", "/../../x", "/%2e%2e/%2e%2e/x", "/a/./b", "/ . /"][..]);
    prop_oneof![
        (
            prop::sample::select(&["https", "http", "foo", "file"][..]),
            host,
            path,
            "\\PC{0,12}"
        )
            .prop_map(|(scheme, host, path, tail)| format!("{scheme}://{host}{path}{tail}")),
        "\\PC{0,30}",
    ]
    .prop_filter("one header line", |u| !u.contains(['\r', '\n']))
}

fn cleaner() -> &'static Cleaner {
    static CLEANER: std::sync::OnceLock<Cleaner> = std::sync::OnceLock::new();
    CLEANER.get_or_init(|| Cleaner::with_default_rules().unwrap_or_else(|e| panic!("rules: {e}")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..Default::default() })]

    /// For any relative input path, file name and WARC target URI, every path declutr
    /// writes (a text batch, a WARC file's pages, a site file) lies under the output root,
    /// and nothing outside it changes.
    #[test]
    fn every_output_lies_under_the_output_root(
        dirs in proptest::collection::vec(hostile_name(), 0..3),
        name in hostile_name(),
        ext in proptest::sample::select(&["", ".txt", ".html", ".gz", ".warc", ".warc.gz", "warc"][..]),
        uris in proptest::collection::vec(hostile_uri(), 1..4),
        host in prop_oneof![hostile_name(), hostile_uri()],
    ) {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let dir = tmp.path();
        let scrape = dir.join("scrape");
        let out = dir.join("box/out");
        let mut file = scrape.clone();
        for d in &dirs {
            file.push(d);
        }
        file.push(format!("{name}{ext}"));
        let records: Vec<u8> = uris.iter().flat_map(|u| warc(u, FERRY)).collect();
        write(&file, records);
        // What an escape would overwrite: a file beside the output, and one where a page
        // of a WARC file named `..` would go.
        write(&dir.join("box/victim.txt"), "mine");
        write(&dir.join("box/x.example/index.txt"), "mine");
        let before = tree(dir, Path::new("box/out"));

        // A text batch: the directory, and the file given alone.
        for input in [&scrape, &file] {
            if let Ok(plan) = batch::plan(std::slice::from_ref(input), &out, None) {
                for job in &plan.jobs {
                    prop_assert!(lies_under(&out, &job.output), "{:?}", job.output);
                }
                let _ = batch::run(cleaner(), plan, &|| {});
            }
        }
        // A WARC batch: each WARC file's directory, and its records' files.
        if let Ok(walk) = warc::walk(std::slice::from_ref(&scrape)) {
            for input in &walk.inputs {
                let stem = input.out_dir.file_name().unwrap_or_default();
                prop_assert!(check_component(stem).is_ok(), "{stem:?}");
                let mut names = std::collections::HashSet::new();
                for (n, uri) in uris.iter().enumerate() {
                    let record = warc::record_file_name(Some(uri), n as u64, &mut names);
                    if let Ok(path) = OutputRoot::new(&out).join(&input.out_dir.join(&record)) {
                        prop_assert!(lies_under(&out, &path), "{uri:?} -> {path:?}");
                    }
                }
            }
            let mut sink = warc::Output::Dir(&out);
            let _ = warc::run(cleaner(), walk, &warc::Options::default(), &mut sink, &|_| {});
        }
        // A site file: only a host name names one, directly under the root.
        if let Ok(host) = crate::parse_host(&host) {
            let file_name = learn::file_name(&host);
            let path = OutputRoot::new(&out).join(Path::new(&file_name));
            prop_assert!(
                path.as_ref().is_ok_and(|p| lies_under(&out, p) && p.parent() == Some(out.as_path())),
                "{host:?} -> {path:?}"
            );
        }
        prop_assert_eq!(tree(dir, Path::new("box/out")), before);
    }
}
