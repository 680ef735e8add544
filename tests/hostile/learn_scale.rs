//! A crawl of many small sites in one batch: every site learns its own furniture, a site
//! with a site file of its own keeps that file's rules as well, and what in-batch learning
//! gives is what `declutr learn` and then `--rules` give.

use super::*;

/// Sites in the crawl, and pages of each (the default `min-pages` is 3).
const SITES: usize = 24;
const PAGES: usize = 3;

const TOPICS: [&str; 6] = ["bridge", "orchard", "ferry", "museum", "bakery", "quarry"];
const PLACES: [&str; 6] = ["Ashford", "Brindle", "Corran", "Dunmere", "Elsey", "Fallow"];

/// A page of site `s`: the site's own menu and footer around an article of its own.
fn page(s: usize, p: usize) -> String {
    let host = if s == 0 {
        // The embedded rules have a site file for this host.
        "harbourtimes.example".to_string()
    } else {
        format!("site{s}.example")
    };
    let topic = TOPICS[(s + p) % TOPICS.len()];
    let place = PLACES[(s * 5 + p) % PLACES.len()];
    let mut text = format!("url: https://{host}/news/{p}\n\n");
    text.push_str(&format!(
        "Weekly Notes of Site {s}\nBrowse the Site {s} archive\n"
    ));
    if s == 0 && p == 0 {
        // On one page only: not learned, dropped by the site file's rule.
        text.push_str("High water 06:42 4.9m\n");
    }
    text.push_str(&format!(
        "The {topic} in {place} reopens (part {p} of site {s})\n\
         Work on the {topic} in {place} ended on day {p} of the month, and the volunteers \
         of site {s} who had carried the stones by hand were thanked by the parish.\n\
         The {topic} will open on weekends from now on, the trust of site {s} said, and a \
         guided walk leaves the {place} green at ten on the first Sunday, story {p}.\n"
    ));
    text.push_str(&format!(
        "Letters to the Site {s} desk are welcome\nCopyright Site {s} Press Group\n"
    ));
    text
}

fn write_crawl(dir: &Path) {
    for s in 0..SITES {
        for p in 0..PAGES {
            write(&dir.join(format!("crawl/site{s}/page{p}.txt")), page(s, p));
        }
    }
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = e.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn many_small_sites_each_learn_their_own_furniture_and_keep_their_site_files() {
    let tmp = TempDir::new().unwrap_or_else(|e| panic!("temp dir: {e}"));
    write_crawl(tmp.path());
    let out = declutr(tmp.path())
        .args(["clean", "crawl", "-o", "clean"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&format!("on {SITES} sites")),
        "{}",
        stderr(&out)
    );
    // The summary names ten sites and counts the rest, so a crawl's report stays one line.
    assert!(
        stderr(&out).contains(&format!("and {} more)", SITES - 10)),
        "{}",
        stderr(&out)
    );
    for s in 0..SITES {
        for p in 0..PAGES {
            let text = read(&tmp.path().join(format!("clean/site{s}/page{p}.txt")));
            for clutter in [
                format!("Weekly Notes of Site {s}"),
                format!("Copyright Site {s} Press Group"),
                "High water".to_string(),
            ] {
                assert!(!text.contains(&clutter), "site {s} page {p}: {text}");
            }
            let article = format!("the volunteers of site {s} who had carried");
            assert!(text.contains(&article), "site {s} page {p}: {text}");
        }
    }

    // The same rules written by `declutr learn` and loaded give the same pages.
    let learn = declutr(tmp.path())
        .args(["learn", "crawl", "-o", "rules/sites", "--quiet"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(learn.status.code(), Some(0), "{}", stderr(&learn));
    let with_rules = declutr(tmp.path())
        .args([
            "clean",
            "crawl",
            "-o",
            "again",
            "--rules",
            "rules",
            "--no-learn",
        ])
        .args(["--quiet"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert_eq!(with_rules.status.code(), Some(0), "{}", stderr(&with_rules));
    let cleaned = files_under(&tmp.path().join("clean"));
    assert_eq!(cleaned.len(), SITES * PAGES);
    assert_eq!(cleaned, files_under(&tmp.path().join("again")));
    for f in &cleaned {
        assert_eq!(
            read(&tmp.path().join("clean").join(f)),
            read(&tmp.path().join("again").join(f)),
            "{}",
            f.display()
        );
    }
    // Nothing written beside the outputs and the learned rules.
    let top: Vec<_> = fs::read_dir(tmp.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .map(|e| e.map(|e| e.file_name()).unwrap_or_default())
        .collect();
    assert_eq!(top.len(), 4, "{top:?}");
    assert_eq!(files_under(&tmp.path().join("rules")).len(), SITES);
}
