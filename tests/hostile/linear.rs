//! Inputs that are large in one direction (many lines, many blank lines, many paragraphs,
//! one element with many attributes, a huge rule file): each is cleaned correctly, or
//! refused with the file and the limit named. How time and memory grow with their size is
//! measured by `make bench-hostile`, not asserted here.

use super::*;

/// The entries at the top of a test directory: what a run wrote outside `-o` shows here.
fn top_level(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Two paragraphs of invented article text.
const FIRST: &str = "The town council agreed on Tuesday evening that the old market hall will \
be repaired over the winter, after an inspection found that water had been running into the \
roof for several years and had weakened two of the main beams.";
const SECOND: &str = "Work is expected to begin in November and to last until the spring, and \
the weekly market will move to the car park beside the station for as long as the hall is \
closed to the public.";

#[test]
fn an_element_with_5000_attributes_is_cleaned_with_a_notice_and_its_text_kept() {
    let tmp = scrape();
    let dir = tmp.path();
    let attributes: String = (0..5000).map(|i| format!(" data-k{i}=\"{i}\"")).collect();
    let page = format!(
        "<!doctype html><html><head><title>Market hall</title></head><body>\
<nav><a href=/>Home</a> <a href=/town>Town</a></nav><article><h1>Market hall to be repaired</h1>\
<p{attributes}>{FIRST}</p><p>{SECOND}</p></article></body></html>"
    );
    write(&dir.join("scrape/b/attributes.html"), &page);
    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "scrape/b/attributes.html: an element has 5000 attributes: those after the first \
1000 were removed\n"
        ),
        "{err}"
    );
    let cleaned = read(&dir.join("clean/b/attributes.txt"));
    assert!(cleaned.contains(FIRST), "{cleaned}");
    assert!(cleaned.contains(SECOND), "{cleaned}");
    assert!(!cleaned.contains("data-k"), "{cleaned}");
    assert_eq!(top_level(dir), ["clean", "scrape"]);
    assert_good_files_cleaned(dir);
}

#[test]
fn a_rule_file_over_the_limit_is_refused_naming_the_file_and_the_limit() {
    let tmp = scrape();
    let dir = tmp.path();
    // Valid rules, 30,000 of them: over 1 MiB.
    let rules: String = (0..30_000)
        .map(|i| format!("[[drop-lines]]\nid = \"r{i}\"\npatterns = [\"clutter number {i}\"]\n"))
        .collect();
    assert!(rules.len() > 1 << 20);
    write(&dir.join("rules/big.toml"), &rules);
    let out = batch(dir, &["--rules", "rules"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "rules/big.toml:1:1: rule file of {} bytes is over the limit of 1048576 bytes \
(1 MiB)",
            rules.len()
        )),
        "{err}"
    );
    // Nothing is cleaned while a rule file is wrong.
    assert!(!dir.join("clean").exists());
    assert_eq!(top_level(dir), ["rules", "scrape"]);
    // `rules check` says the same.
    let check = declutr(dir)
        .args(["rules", "check", "rules"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(check.status.code(), Some(2), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("over the limit of 1048576 bytes"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn many_short_and_blank_lines_around_an_article_come_out_as_the_article() {
    let tmp = scrape();
    let dir = tmp.path();
    let page = format!(
        "url: https://news.example/market\n\n{}{FIRST}\n{}{SECOND}\n{}",
        "Menu\n".repeat(20_000),
        "\n".repeat(50_000),
        "Share\n\n".repeat(20_000),
    );
    write(&dir.join("scrape/a/long.txt"), &page);
    let out = batch(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        read(&dir.join("clean/a/long.txt")),
        format!("url: https://news.example/market\n\n{FIRST}\n\n{SECOND}\n")
    );
    assert_eq!(top_level(dir), ["clean", "scrape"]);
    assert_good_files_cleaned(dir);
}

#[test]
fn a_page_of_20_000_paragraphs_keeps_every_one() {
    let tmp = scrape();
    let dir = tmp.path();
    let paragraphs: String = (0..20_000)
        .map(|i| format!("<p>Paragraph {i} of the report says that the work went on.</p>\n"))
        .collect();
    let page = format!("<!doctype html><html><body><article>{paragraphs}</article></body></html>");
    write(&dir.join("scrape/b/report.html"), &page);
    let out = batch(dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cleaned = read(&dir.join("clean/b/report.txt"));
    for i in [0, 1, 9_999, 19_999] {
        let p = format!("Paragraph {i} of the report says that the work went on.\n");
        assert!(cleaned.contains(&p), "{p:?} lost");
    }
    assert_eq!(cleaned.matches("of the report says").count(), 20_000);
    assert_eq!(top_level(dir), ["clean", "scrape"]);
    assert_good_files_cleaned(dir);
}
