//! Site learning never takes a page's article: syndicated copies of one story, one page
//! recrawled under several URLs, and a recipe site whose pages share their method lines
//! repeat their article across their pages, as a site repeats its menus. The learned
//! rules are not applied to such a page (each is named in a notice, and the summary counts
//! them), while the clutter of an ordinary site in the same batch is still learned away.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::*;

const NOUNS: [&str; 12] = [
    "harbour", "bridge", "library", "ferry", "school", "market", "orchard", "quarry", "chapel",
    "granary", "meadow", "tramline",
];
const VERBS: [&str; 8] = [
    "repaired",
    "reopened",
    "inspected",
    "painted",
    "extended",
    "surveyed",
    "rebuilt",
    "closed",
];
const PLACES: [&str; 12] = [
    "Ashby",
    "Brook End",
    "Caldwell",
    "Dunmore",
    "Elmstead",
    "Fernhill",
    "Greystone",
    "Holt",
    "Ivybridge",
    "Juniper Vale",
    "Kingsmoor",
    "Longford",
];

/// The wire story every page of the syndicating sites carries.
const STORY: [&str; 6] = [
    "Flood barrier on the estuary passes its first winter",
    "Engineers said the new flood barrier on the estuary held back three high tides in a row last week, its first real test since it was finished.",
    "The barrier, a row of steel gates that rise from the river bed, stayed up for nine hours on Thursday night as a storm pushed water up the coast.",
    "Residents of the low streets by the quay, flooded twice in the last decade, watched from the embankment as the gates came up.",
    "The agency that runs the barrier will publish a full report on the trial in the spring, with figures on how much water was kept out.",
    "A spokesperson said the gates were built to last a century, but that the real measure would be many winters, not one.",
];

/// One page of the corpus: its path under `scrape/`, its text, its article's sentences,
/// and the clutter learning should remove (ordinary site only).
struct Page {
    rel: PathBuf,
    text: String,
    sentences: Vec<String>,
    clutter: Vec<String>,
}

fn text_page(host: &str, name: &str, url: &str, lines: &[String]) -> (PathBuf, String) {
    let mut text = format!("url: https://{host}/{url}\n\n");
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    (PathBuf::from(host).join(format!("{name}.txt")), text)
}

/// Ten text pages of one site, each the same wire story and one sentence of its own.
fn syndicated_text() -> Vec<Page> {
    let host = "wire-copies.example";
    (0..10)
        .map(|n| {
            let own = format!(
                "Our correspondent in {} adds that the {} by the {} stayed shut all morning.",
                PLACES[n],
                NOUNS[n],
                NOUNS[(n + 5) % NOUNS.len()]
            );
            let mut lines: Vec<String> = ["Front page", "Local news", "Weather"]
                .map(String::from)
                .to_vec();
            lines.extend(STORY.map(String::from));
            lines.push(own.clone());
            lines.extend(["Send us your news", "© 2025 Wire Copies"].map(String::from));
            let (rel, text) =
                text_page(host, &format!("page-{n:02}"), &format!("local/{n}"), &lines);
            let mut sentences: Vec<String> = STORY[1..].iter().map(|s| s.to_string()).collect();
            sentences.push(own);
            Page {
                rel,
                text,
                sentences,
                clutter: Vec::new(),
            }
        })
        .collect()
}

/// Eight HTML pages of one site, the wire story in one element of the same class on
/// each (learned as a selector), a paragraph of their own beside it.
fn syndicated_html() -> Vec<Page> {
    let host = "wire-pages.example";
    (0..8)
        .map(|n| {
            let own = format!(
                "Readers in {} told us the {} was {} the same week, after a long wait.",
                PLACES[n],
                NOUNS[(n + 2) % NOUNS.len()],
                VERBS[n]
            );
            let p = |l: &str| format!("<p>{l}</p>");
            let story: String = STORY[1..].iter().map(|s| p(s)).collect();
            let text = format!(
                "<!doctype html><html><head><title>{}</title>\
<link rel=canonical href=\"https://{host}/story/{n}\"></head><body>\n\
<div class=\"masthead\">{}{}{}</div>\n<h1>{}</h1>\n<div class=\"wire-story\">{story}</div>\n\
<p class=\"local\">{own}</p>\n<div class=\"foot\">{}{}</div>\n</body></html>\n",
                STORY[0],
                p("Wire Pages"),
                p("Home"),
                p("Sport"),
                STORY[0],
                p("Wire Pages Ltd, printed in the old mill"),
                p("Contact the newsdesk"),
            );
            let mut sentences: Vec<String> = STORY[1..].iter().map(|s| s.to_string()).collect();
            sentences.push(own);
            Page {
                rel: PathBuf::from(host).join(format!("story-{n}.html")),
                text,
                sentences,
                clutter: Vec::new(),
            }
        })
        .collect()
}

/// One article saved five times under five URLs; a read counter and a "most read" list
/// differ from crawl to crawl, so these are five pages to learning.
fn recrawls() -> Vec<Page> {
    let host = "recrawled.example";
    let article = [
        "The old village pump on the green works again, forty years after its handle was taken off and the well was capped.",
        "Volunteers raised the money for new seals and a new handle, and a blacksmith from the next valley forged the parts by hand.",
        "The pump was tried for the first time on Sunday afternoon, and the water was sent away for tests before anyone may drink it.",
        "The parish council will put up a sign telling the story of the pump, written with the help of the village school.",
    ];
    let headlines = [
        "Sheep fair draws a crowd",
        "Parish hall roof fixed",
        "Late frost hits the cherries",
        "Bus route saved",
        "Choir wins the county cup",
        "New vet opens",
    ];
    [
        "pump",
        "pump?ref=rss",
        "amp/pump",
        "print/pump",
        "pump?page=all",
    ]
    .iter()
    .enumerate()
    .map(|(n, url)| {
        let mut lines: Vec<String> = ["Recrawled Times", "Menu", "Pump works again"]
            .map(String::from)
            .to_vec();
        lines.extend(article.map(String::from));
        lines.push(format!(
            "This story has been read {} times since it first went up on the site.",
            1200 + 37 * n
        ));
        lines.push("Most read".to_string());
        lines.extend((0..3).map(|k| headlines[(n + k) % headlines.len()].to_string()));
        lines.push("Recrawled Times, 2025".to_string());
        let (rel, text) = text_page(host, &format!("crawl-{n}"), url, &lines);
        Page {
            rel,
            text,
            sentences: article.map(String::from).to_vec(),
            clutter: Vec::new(),
        }
    })
    .collect()
}

/// Eight recipes: short lines and method sentences the site's recipes share, and one
/// method sentence of each recipe's own.
fn recipes() -> Vec<Page> {
    let host = "pantry-recipes.example";
    let dishes = [
        ("Leek and potato bake", "leeks", "potatoes"),
        ("Onion tart", "onions", "thyme"),
        ("Fish pie", "haddock", "prawns"),
        ("Cauliflower cheese", "cauliflower", "cheddar"),
        ("Shepherd's pie", "lamb", "carrots"),
        ("Mushroom gratin", "mushrooms", "cream"),
        ("Root vegetable hotpot", "parsnips", "swede"),
        ("Apple crumble", "apples", "oats"),
    ];
    dishes
        .iter()
        .enumerate()
        .map(|(n, (dish, a, b))| {
            let own = format!(
                "Slice the {a} and the {b} thinly, then layer them in the dish with a little butter between each layer."
            );
            let shared = [
                "Preheat the oven to 180C, gas mark 4, and grease a deep baking dish.",
                "Season well with salt and pepper and bake for about forty minutes until golden.",
                "Leave to stand for five minutes before serving at the table.",
            ];
            let mut lines: Vec<String> = ["Pantry Recipes", "Search recipes", dish, "Serves 4"]
                .map(String::from)
                .to_vec();
            lines.push(format!("Prep {} minutes", 15 + 5 * (n % 3)));
            lines.push("Ingredients".to_string());
            lines.push("1 tsp salt".to_string());
            lines.push(format!("{} {a}", 2 + n % 3));
            lines.push(format!("300 g {b}"));
            lines.push("Method".to_string());
            lines.push(shared[0].to_string());
            lines.push(own.clone());
            lines.extend(shared[1..].iter().map(|s| s.to_string()));
            lines.extend(["Share this recipe", "Print"].map(String::from));
            let (rel, text) = text_page(host, &format!("recipe-{n}"), &format!("r/{n}"), &lines);
            let mut sentences: Vec<String> = shared.map(String::from).to_vec();
            sentences.push(own);
            Page {
                rel,
                text,
                sentences,
                clutter: Vec::new(),
            }
        })
        .collect()
}

/// An ordinary site: menus, a footer and a newsletter box on every page, and articles of
/// their own; learning removes its clutter, and the guard leaves it alone.
fn ordinary_site() -> Vec<Page> {
    let host = "town-crier.example";
    let top = ["Town Crier", "News", "Sport", "What's on"];
    let bottom = [
        "Get the Town Crier in your inbox every Friday morning, free of charge.",
        "Town Crier, 2 Market Street",
    ];
    (0..8)
        .map(|n| {
            let sentences: Vec<String> = (0..4)
                .map(|i| {
                    format!(
                        "Neighbours in {} said the {} near the {} was {} before the {} fair.",
                        PLACES[(n + i) % PLACES.len()],
                        NOUNS[(n + 3 * i) % NOUNS.len()],
                        NOUNS[(2 * n + i + 1) % NOUNS.len()],
                        VERBS[(n + i) % VERBS.len()],
                        NOUNS[(n + 7 * i + 2) % NOUNS.len()],
                    )
                })
                .collect();
            let mut lines: Vec<String> = top.map(String::from).to_vec();
            lines.push(format!("{} news from {}", NOUNS[n], PLACES[n]));
            lines.extend(sentences.iter().cloned());
            lines.extend(bottom.map(String::from));
            let (rel, text) = text_page(host, &format!("news-{n}"), &format!("n/{n}"), &lines);
            Page {
                rel,
                text,
                sentences,
                clutter: top.iter().chain(&bottom).map(|s| s.to_string()).collect(),
            }
        })
        .collect()
}

/// The pages the guard must hold, and the ordinary site's pages.
fn corpus() -> (Vec<Page>, Vec<Page>) {
    let mut held = syndicated_text();
    held.extend(syndicated_html());
    held.extend(recrawls());
    held.extend(recipes());
    (held, ordinary_site())
}

/// The scrape with the good files of every hostile batch, and the corpus.
fn setup() -> (TempDir, Vec<Page>, Vec<Page>) {
    let tmp = scrape();
    let (held, ordinary) = corpus();
    for page in held.iter().chain(&ordinary) {
        write(&tmp.path().join("scrape").join(&page.rel), &page.text);
    }
    (tmp, held, ordinary)
}

fn output(dir: &Path, out: &str, page: &Page) -> String {
    read(&dir.join(out).join(page.rel.with_extension("txt")))
}

fn entries(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn assert_sentences_kept(page: &Page, out: &str) {
    let lines: Vec<&str> = out.lines().map(str::trim).collect();
    for s in &page.sentences {
        assert!(
            lines.contains(&s.as_str()),
            "{}: lost {s:?}\n{out}",
            page.rel.display()
        );
    }
}

#[test]
fn learning_keeps_the_article_of_syndicated_copies_recrawls_and_recipes() {
    let (tmp, held, ordinary) = setup();
    let dir = tmp.path();
    let plain = declutr(dir)
        .args(["clean", "scrape", "-o", "plain", "--no-learn", "--quiet"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(plain.status.success(), "{}", stderr(&plain));

    let out = batch(dir, &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    // Every held page is named, with the share of its prose the rules would have taken.
    for page in &held {
        let name = Path::new("scrape").join(&page.rel);
        let notice = format!(
            "{}: learned rules not applied: they would have removed ",
            name.display()
        );
        assert!(
            err.contains(&notice),
            "no notice for {}\n{err}",
            name.display()
        );
        // It keeps its article, and comes out as it does without learning.
        let cleaned = output(dir, "clean", page);
        assert_sentences_kept(page, &cleaned);
        assert_eq!(
            cleaned,
            output(dir, "plain", page),
            "{}",
            page.rel.display()
        );
    }
    assert!(
        err.contains(&format!(
            "learned rules not applied to {} pages: they would have removed most of the article",
            held.len()
        )),
        "{err}"
    );
    // The ordinary site loses all its shared clutter and keeps its articles.
    for page in &ordinary {
        let cleaned = output(dir, "clean", page);
        assert_sentences_kept(page, &cleaned);
        for c in &page.clutter {
            assert!(
                !cleaned.lines().any(|l| l.trim() == c),
                "{}: {c:?} left\n{cleaned}",
                page.rel.display()
            );
        }
        assert!(!err.contains(&page.rel.display().to_string()), "{err}");
    }
    assert!(err.contains("learned: "), "{err}");
    assert_eq!(
        entries(dir),
        ["clean", "plain", "scrape"].map(String::from).into()
    );
    assert_good_files_cleaned(dir);
}

#[test]
fn the_guard_holds_rules_written_by_learn_and_says_so_in_explain_and_jsonl() {
    let (tmp, held, _) = setup();
    let dir = tmp.path();
    batch(dir, &["--quiet"]);
    let learn = declutr(dir)
        .args(["learn", "scrape", "-o", "rules/sites", "--quiet"])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(learn.status.success(), "{}", stderr(&learn));
    let out = declutr(dir)
        .args([
            "clean",
            "scrape",
            "-o",
            "with-rules",
            "--rules",
            "rules",
            "--no-learn",
        ])
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "learned rules not applied to {} pages",
            held.len()
        )),
        "{err}"
    );
    for page in &held {
        assert_eq!(
            output(dir, "with-rules", page),
            output(dir, "clean", page),
            "{}",
            page.rel.display()
        );
    }

    // One page alone, with the written rules: --explain names the guard and the share.
    let page = Path::new("scrape/wire-copies.example/page-03.txt");
    let explain = declutr(dir)
        .args(["clean", "--rules", "rules", "--explain"])
        .arg(page)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(explain.status.success(), "{}", stderr(&explain));
    let mark = "# article-guard: learned rules not applied: they would have removed ";
    let percent: u32 = text
        .lines()
        .find_map(|l| l.strip_prefix(mark))
        .and_then(|rest| rest.split('%').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no article-guard line:\n{text}"));
    assert!(percent > 50, "{text}");
    assert!(!text.contains("drop drop-site-repeats/"), "{text}");
    assert!(
        stderr(&explain).contains("learned rules not applied"),
        "{}",
        stderr(&explain)
    );

    // JSON Lines records carry the verdict.
    let jsonl = declutr(dir)
        .args(["clean", "--rules", "rules", "--format", "jsonl", "--quiet"])
        .arg(page)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    assert!(jsonl.status.success(), "{}", stderr(&jsonl));
    let record: serde_json::Value = serde_json::from_slice(&jsonl.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&jsonl.stdout)));
    let share = record["learned_held"]["share"].as_f64().unwrap_or(0.0);
    assert!(share > 0.5 && share < 1.0, "{record}");
    assert!(
        record["text"]
            .as_str()
            .is_some_and(|t| t.contains(STORY[1])),
        "{record}"
    );
    assert_eq!(
        entries(dir),
        ["clean", "rules", "scrape", "with-rules"]
            .map(String::from)
            .into()
    );
}
