//! Fuzz target for the rule loader: an arbitrary string loaded as a global rule file and
//! as a site file.
//!
//! Loading must end in `Ok` or `Err`, never a panic. A rejected file's every error points
//! into the file (line and column from 1, the line within the file) and can be displayed.
//! An accepted file's rules clean a small fixed page, as text and as HTML, run its own
//! `[[test]]` cases, and none of it panics.

#![no_main]

use declutr::{Cleaner, DocumentInfo, RuleSource, Rules, Scope};
use libfuzzer_sys::fuzz_target;

/// A short scrape with a header and a little of every kind of clutter.
const PAGE_TEXT: &str = "url: https://example.com/news/2025/ferry\n\
date: 2025-04-02\n\
\n\
Skip to main content\n\
Ferry to keep its winter timetable\n\
Listen to this article\n\
Share\n\
The island ferry will keep its winter timetable until the end of May, the operator said on Tuesday, after one of its two boats failed an inspection.\n\
The harbour at dawn (Photo: Jane Smith/Getty Images)\n\
Passengers have been asked to book ahead, and the last sailing of the day will leave half an hour earlier than planned.\n\
Advertisement\n\
Most Read\n\
Council Votes To Close Old Bridge\n\
Lifeboat Crew Called Out Twice\n\
© 2025 Example Media. All rights reserved.\n";

/// The same page as HTML, with the elements the HTML stages look at.
const PAGE_HTML: &str = "<!doctype html><html><head><title>Ferry to keep its winter timetable</title>\
<link rel=canonical href=\"https://example.com/news/2025/ferry\">\
<meta property=\"article:published_time\" content=\"2025-04-02\"></head><body>\
<nav><a href=/>Home</a> <a href=/news>News</a></nav>\
<header><p class=share>Share</p></header>\
<article><h1>Ferry to keep its winter timetable</h1><p>The island ferry will keep its winter \
timetable until the end of May, the operator said on Tuesday, after one of its two boats \
failed an inspection.</p><figure><img src=a.jpg><figcaption>The harbour at dawn</figcaption>\
</figure><p>Passengers have been asked to <a href=/book>book ahead</a>.</p>\
<pre>  06:40  depart\n  07:25  arrive</pre><table><tr><td>Mon</td><td>2</td></tr></table>\
<div class=related><ul><li><a href=/a>Council Votes To Close Old Bridge</a></li>\
<li><a href=/b>Lifeboat Crew Called Out Twice</a></li></ul></div></article>\
<footer>© 2025 Example Media</footer></body></html>";

fn check(text: &str, scope: Scope) {
    let source = RuleSource {
        name: "fuzz.toml".into(),
        text: text.to_string(),
        scope,
    };
    match Rules::load(std::slice::from_ref(&source)) {
        Ok(loaded) => {
            let cleaner = Cleaner::new(loaded);
            let info = DocumentInfo {
                url: Some("https://example.com/news/2025/ferry".into()),
                ..DocumentInfo::default()
            };
            for cleaned in [
                cleaner.clean_text(PAGE_TEXT, &info),
                cleaner.clean_html(PAGE_HTML, &info),
                cleaner.clean(PAGE_TEXT, &DocumentInfo::default()),
            ] {
                let _ = cleaned.text();
                let _ = cleaned.explain();
            }
            for test in cleaner.rules().tests() {
                let _ = cleaner.run_test(test);
            }
            let _ = cleaner.rules().global_rule_ids();
        }
        Err(errors) => {
            assert!(!errors.errors.is_empty(), "an error without a problem");
            let lines = text.matches('\n').count() + 1;
            for e in &errors.errors {
                assert!(e.line >= 1 && e.column >= 1, "no position: {e:?}");
                assert!(
                    e.line <= lines,
                    "line {} past the end of the file: {e:?}",
                    e.line
                );
                assert_eq!(e.file, source.name);
                let _ = e.to_string();
            }
            let _ = errors.to_string();
        }
    }
}

fuzz_target!(|text: &str| {
    check(text, Scope::Global);
    check(
        text,
        Scope::Site {
            default_host: "example.com".into(),
        },
    );
});
