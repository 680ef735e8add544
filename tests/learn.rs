//! Site learning end to end: a generated scrape of three sites, each with clutter of its
//! own that no default rule names, cleaned with in-batch learning and with the rules
//! `declutr learn` writes.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod common;
use common::{declutr, read, tempdir, write};

/// Pages per site.
const PAGES: usize = 20;

/// A small deterministic generator, so that the corpus is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[(self.next() as usize) % words.len()]
    }
}

const NOUNS: [&str; 24] = [
    "council",
    "harbour",
    "bridge",
    "library",
    "ferry",
    "school",
    "market",
    "river",
    "garden",
    "station",
    "museum",
    "orchard",
    "quarry",
    "lighthouse",
    "bakery",
    "chapel",
    "mill",
    "reservoir",
    "allotment",
    "tramline",
    "pier",
    "meadow",
    "workshop",
    "granary",
];
const VERBS: [&str; 12] = [
    "approved",
    "delayed",
    "repaired",
    "reopened",
    "inspected",
    "funded",
    "rebuilt",
    "closed",
    "extended",
    "surveyed",
    "painted",
    "moved",
];
const PEOPLE: [&str; 10] = [
    "residents",
    "engineers",
    "volunteers",
    "the mayor",
    "shopkeepers",
    "pupils",
    "farmers",
    "the trust",
    "nurses",
    "fishermen",
];

/// One article line: a sentence made from the pools, different on every call.
fn sentence(rng: &mut Rng, n: usize) -> String {
    format!(
        "In item {n}, {} said the {} by the {} was {} last week after the {} {} the plans.",
        rng.pick(&PEOPLE),
        rng.pick(&NOUNS),
        rng.pick(&NOUNS),
        rng.pick(&VERBS),
        rng.pick(&PEOPLE),
        rng.pick(&VERBS),
    )
}

/// A quote two articles of the first site share.
const SHARED_QUOTE: &str =
    "We were told the bridge would stand for a hundred years, and we intend to hold them to it.";

/// One fake site: its host, its clutter (always on a page, and picked from a pool), and
/// how its pages are written.
struct Site {
    host: &'static str,
    html: bool,
    /// Lines on every page, before the article.
    top: &'static [&'static str],
    /// Lines on every page, after the article (footer, newsletter box).
    bottom: &'static [&'static str],
    /// A "related" list: each page shows four of these.
    related: &'static [&'static str],
}

const SITES: [Site; 3] = [
    Site {
        host: "valley-gazette.example",
        html: false,
        top: &[
            "Front page",
            "Valley life",
            "Farming notes",
            "Letters to the editor",
        ],
        bottom: &[
            "Get the Valley Gazette morning briefing delivered to your inbox every weekday, completely free of charge.",
            "Your address stays with us and is never sold on.",
            "Valley Gazette Ltd, 4 Mill Lane, registered office",
            "© 2025 Valley Gazette",
        ],
        related: &[
            "Sheep fair draws record crowd",
            "Parish hall roof finally fixed",
            "Late frost hits the cherry growers",
            "Bus route 12 saved after petition",
            "Choir wins county cup again",
            "New vet opens on the high street",
        ],
    },
    Site {
        host: "harbour-post.example",
        html: true,
        top: &["Harbour Post", "Tides and weather", "Boats for sale"],
        bottom: &[
            "Join the Harbour Post club for early tide tables and members' offers.",
            "Harbour Post is printed on recycled paper in the old sail loft.",
            "Harbour Post Media 2025",
        ],
        related: &[
            "Lifeboat crew trains at night",
            "Lobster prices fall again",
            "Regatta date set for August",
            "Old crane to be taken down",
            "Seal pup rescued from slipway",
            "Fish market gets a new roof",
        ],
    },
    Site {
        host: "moorland-voice.example",
        html: false,
        top: &[
            "The Moorland Voice",
            "Walks",
            "Wildlife sightings",
            "Events diary",
        ],
        bottom: &[
            "Sponsored by the Moorland Walkers' Trust",
            "Send us your sightings and photos",
            "Moorland Voice, edited by volunteers since 1998",
        ],
        related: &[
            "Curlews return to the high fells",
            "Stile repairs on the north path",
            "Heather burning season ends",
            "Grouse numbers counted",
            "Peat restoration work begins",
            "Ring ouzel seen at the tarn",
        ],
    },
];

/// One page: its file name, text, and the lines of its article.
struct Page {
    rel: PathBuf,
    text: String,
    article: Vec<String>,
    clutter: Vec<String>,
}

fn make_page(site: &Site, n: usize, rng: &mut Rng) -> Page {
    let mut article = vec![format!(
        "{} {} as {} look on",
        rng.pick(&NOUNS),
        rng.pick(&VERBS),
        rng.pick(&PEOPLE)
    )];
    for i in 0..5 {
        article.push(sentence(rng, n * 10 + i));
    }
    // Short real lines: a subheading and a score-like line, different on every page.
    article.push(format!("- The {} stays put -", rng.pick(&NOUNS)));
    article.push(format!("Final count: {} to {}", n + 3, n % 4));
    article.push(sentence(rng, n * 10 + 8));
    if site.host == "valley-gazette.example" && (n == 3 || n == 11) {
        article.insert(2, SHARED_QUOTE.to_string());
    }
    let related: Vec<&str> = (0..4)
        .map(|k| site.related[(n + k) % site.related.len()])
        .collect();
    let mut clutter: Vec<String> = site.top.iter().map(|s| s.to_string()).collect();
    clutter.extend(related.iter().map(|s| s.to_string()));
    clutter.extend(site.bottom.iter().map(|s| s.to_string()));
    let url = format!("https://{}/news/{n:02}", site.host);
    let text = if site.html {
        let p = |l: &str| format!("<p>{l}</p>\n");
        let mut html = format!(
            "<!doctype html><html><head><title>{}</title><link rel=canonical href=\"{url}\"></head><body>\n",
            article[0]
        );
        html.push_str("<div class=\"strip\">");
        for l in site.top {
            html.push_str(&p(l));
        }
        html.push_str("</div>\n<div class=\"story\">");
        for l in &article {
            html.push_str(&p(l));
        }
        html.push_str("</div>\n<div class=\"more\">");
        for l in &related {
            html.push_str(&p(l));
        }
        for l in site.bottom {
            html.push_str(&p(l));
        }
        html.push_str("</div></body></html>\n");
        html
    } else {
        let mut t = format!("url: {url}\n\n");
        for l in site.top {
            t.push_str(l);
            t.push('\n');
        }
        for l in &article {
            t.push_str(l);
            t.push('\n');
        }
        for l in related.iter().chain(site.bottom) {
            t.push_str(l);
            t.push('\n');
        }
        t
    };
    let ext = if site.html { "html" } else { "txt" };
    Page {
        rel: Path::new(site.host).join(format!("page-{n:02}.{ext}")),
        text,
        article,
        clutter,
    }
}

fn corpus() -> Vec<Page> {
    let mut rng = Rng(7);
    SITES
        .iter()
        .flat_map(|site| {
            (0..PAGES)
                .map(|n| make_page(site, n, &mut rng))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The output file of a page.
fn output_of(dir: &Path, page: &Page) -> PathBuf {
    dir.join(page.rel.with_extension("txt"))
}

/// Counts the article lines kept and the clutter lines left in the outputs.
fn tally(dir: &Path, pages: &[Page]) -> (usize, usize, Vec<String>) {
    let (mut kept, mut left) = (0, 0);
    let mut lost = Vec::new();
    for page in pages {
        let out = read(&output_of(dir, page));
        let lines: Vec<&str> = out.lines().map(str::trim).collect();
        for a in &page.article {
            // An HTML page's title is kept in its header.
            let title = format!("title: {a}");
            if lines.contains(&a.as_str()) || lines.contains(&title.as_str()) {
                kept += 1;
            } else {
                lost.push(format!("{}: {a}", page.rel.display()));
            }
        }
        left += page
            .clutter
            .iter()
            .filter(|c| lines.contains(&c.as_str()))
            .count();
    }
    (kept, left, lost)
}

fn write_corpus(dir: &Path, pages: &[Page]) {
    for page in pages {
        write(&dir.join(&page.rel), &page.text);
    }
}

fn all_outputs(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for site in SITES {
        let d = dir.join(site.host);
        for e in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap_or_else(|e| panic!("{e}")).path();
            out.insert(p.clone(), read(&p));
        }
    }
    out
}

#[test]
fn in_batch_learning_removes_every_shared_clutter_line_and_keeps_every_article_line() {
    let tmp = tempdir();
    let pages = corpus();
    write_corpus(&tmp.path().join("scrape"), &pages);
    let article_lines: usize = pages.iter().map(|p| p.article.len()).sum();
    let clutter_lines: usize = pages.iter().map(|p| p.clutter.len()).sum();

    // Without learning the default rules leave most of this clutter: none of it is a
    // widget label they know.
    declutr(tmp.path())
        .args(["clean", "scrape", "-o", "plain", "--no-learn", "--quiet"])
        .assert()
        .success();
    let (_, left_plain, _) = tally(&tmp.path().join("plain"), &pages);
    assert!(
        left_plain > 0,
        "the default rules alone leave no clutter: a weak test"
    );
    eprintln!("without learning: {left_plain} of {clutter_lines} clutter lines left");

    let out = declutr(tmp.path())
        .args(["clean", "scrape", "-o", "learned"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("learned: "), "{stderr}");
    assert!(stderr.contains("drop-site-repeats "), "{stderr}");
    let (kept, left, lost) = tally(&tmp.path().join("learned"), &pages);
    assert_eq!(left, 0, "clutter lines left");
    assert_eq!(kept, article_lines, "article lines lost: {lost:#?}");
    // The quote two articles share is among the kept lines.
    let quoted = pages
        .iter()
        .filter(|p| p.article.iter().any(|l| l == SHARED_QUOTE))
        .filter(|p| read(&output_of(&tmp.path().join("learned"), p)).contains(SHARED_QUOTE))
        .count();
    assert_eq!(quoted, 2);
}

#[test]
fn learn_then_clean_gives_what_in_batch_learning_gives() {
    let tmp = tempdir();
    let pages = corpus();
    write_corpus(&tmp.path().join("scrape"), &pages);
    declutr(tmp.path())
        .args(["clean", "scrape", "-o", "in-batch", "--quiet"])
        .assert()
        .success();

    let learn = declutr(tmp.path())
        .args(["learn", "scrape", "-o", "rules/sites"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&learn.stderr);
    assert!(learn.status.success(), "{stderr}");
    for site in SITES {
        let file = tmp.path().join(format!("rules/sites/{}.toml", site.host));
        let text = read(&file);
        // Reviewable: each learned line with its page count.
        assert!(
            text.contains(&format!("\"{}\", # 20 pages", site.bottom[0])),
            "{text}"
        );
    }
    declutr(tmp.path())
        .args(["rules", "check", "rules"])
        .assert()
        .success();
    declutr(tmp.path())
        .args([
            "clean",
            "scrape",
            "-o",
            "with-rules",
            "--rules",
            "rules",
            "--no-learn",
            "--quiet",
        ])
        .assert()
        .success();
    let a = all_outputs(&tmp.path().join("in-batch"));
    let b = all_outputs(&tmp.path().join("with-rules"));
    assert_eq!(a.len(), SITES.len() * PAGES);
    for ((pa, ta), (_, tb)) in a.iter().zip(&b) {
        assert_eq!(ta, tb, "{}", pa.display());
    }

    // Learning again, with the learned rules loaded, writes the same files.
    let before: Vec<String> = SITES
        .iter()
        .map(|s| read(&tmp.path().join(format!("rules/sites/{}.toml", s.host))))
        .collect();
    declutr(tmp.path())
        .args([
            "learn",
            "scrape",
            "-o",
            "rules/sites",
            "--rules",
            "rules",
            "--quiet",
        ])
        .assert()
        .success();
    let after: Vec<String> = SITES
        .iter()
        .map(|s| read(&tmp.path().join(format!("rules/sites/{}.toml", s.host))))
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_hand_edited_site_file_is_kept_unless_forced() {
    let tmp = tempdir();
    let pages = corpus();
    write_corpus(&tmp.path().join("scrape"), &pages);
    declutr(tmp.path())
        .args(["learn", "scrape", "-o", "sites", "--quiet"])
        .assert()
        .success();
    let file = tmp.path().join("sites/valley-gazette.example.toml");
    let edited = read(&file).replace("  \"Front page\", # 20 pages\n", "");
    write(&file, &edited);
    declutr(tmp.path())
        .args(["learn", "scrape", "-o", "sites"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "valley-gazette.example.toml: edited by hand, not overwritten",
        ));
    assert_eq!(read(&file), edited);
    declutr(tmp.path())
        .args(["learn", "scrape", "-o", "sites", "--force", "--quiet"])
        .assert()
        .success();
    assert!(read(&file).contains("\"Front page\", # 20 pages"));
}

#[test]
fn learning_again_from_the_same_pages_leaves_the_site_file_unchanged() {
    let tmp = tempdir();
    let pages = corpus();
    write_corpus(&tmp.path().join("scrape"), &pages);
    declutr(tmp.path())
        .args(["learn", "scrape", "-o", "sites"])
        .assert()
        .success()
        .stderr(predicates::str::contains("(written)"));
    let file = tmp.path().join("sites/valley-gazette.example.toml");
    let before = read(&file);
    let again = declutr(tmp.path())
        .args(["learn", "scrape", "-o", "sites"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(
        stderr.contains("valley-gazette.example.toml: ") && stderr.contains("(unchanged)"),
        "{stderr}"
    );
    assert!(!stderr.contains("(updated)"), "{stderr}");
    assert_eq!(read(&file), before);
}
