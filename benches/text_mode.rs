//! Text-mode throughput: `Cleaner::clean_text` on one thread, the same over a 100 MB corpus
//! in parallel with rayon, and `batch::plan` + `batch::run` over real files.
//!
//! The corpus is generated here, deterministically (a small LCG, no data files): scrape-like
//! pages of 5-30 KB with a provenance header, a navigation menu, a title, audio and share
//! widgets, paragraphs of prose, photo captions, ad labels, a headline list and a comment
//! form. Run with `cargo bench --bench text_mode`; `cargo test` runs each benchmark once
//! on a small corpus.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use declutr::{Cleaner, DocumentInfo};
use rayon::prelude::*;

/// Bytes of documents for the single-thread benchmark.
const SINGLE_THREAD_BYTES: usize = 4 << 20;
/// Bytes of documents for the parallel and file batches.
const BATCH_BYTES: usize = 100 << 20;
/// Corpus sizes when the benchmarks only run once as tests (`cargo test --all-targets`,
/// `cargo bench -- --test`), which must stay fast even in a debug build.
const TEST_MODE_BYTES: (usize, usize) = (16 << 10, 40 << 10);

/// `(single thread, batch)` corpus sizes: full under `cargo bench`, small when criterion
/// runs the benchmarks as tests (cargo passes `--bench` only to `cargo bench`).
fn corpus_sizes() -> (usize, usize) {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    if has("--bench") && !has("--test") && !has("--list") {
        (SINGLE_THREAD_BYTES, BATCH_BYTES)
    } else {
        TEST_MODE_BYTES
    }
}

/// Knuth's MMIX linear congruential generator: deterministic and dependency-free.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() as usize) % (hi - lo + 1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "the", "the", "of", "of", "and", "and", "to", "to", "in", "in", "a", "a", "that", "was",
    "for", "on", "with", "as", "it", "at", "by", "from", "which", "their", "had", "has", "been",
    "were", "would", "this", "they", "but", "not", "after", "before", "about", "into", "more",
    "than", "over", "its", "some", "where", "when", "there", "all", "also",
];

const NOUNS: &[&str] = &[
    "council",
    "harbour",
    "ferry",
    "village",
    "orchard",
    "bridge",
    "market",
    "library",
    "school",
    "river",
    "valley",
    "station",
    "museum",
    "festival",
    "committee",
    "farmers",
    "residents",
    "engineers",
    "volunteers",
    "teachers",
    "budget",
    "plan",
    "report",
    "winter",
    "summer",
    "timetable",
    "road",
    "tunnel",
    "meadow",
    "lighthouse",
    "quarry",
    "bakery",
    "square",
    "cathedral",
    "garden",
    "workshop",
    "archive",
    "mill",
    "canal",
    "pier",
    "hospital",
    "clinic",
    "stadium",
    "theatre",
    "railway",
    "harvest",
    "flood",
    "storm",
    "survey",
    "inquiry",
];

const VERBS: &[&str] = &[
    "agreed",
    "announced",
    "reopened",
    "repaired",
    "delayed",
    "approved",
    "rejected",
    "measured",
    "planted",
    "rebuilt",
    "surveyed",
    "welcomed",
    "questioned",
    "promised",
    "opened",
    "closed",
    "extended",
    "reduced",
    "restored",
    "painted",
    "moved",
    "visited",
    "described",
    "counted",
];

const ADJECTIVES: &[&str] = &[
    "old",
    "new",
    "narrow",
    "quiet",
    "busy",
    "northern",
    "southern",
    "wooden",
    "flooded",
    "local",
    "regional",
    "annual",
    "temporary",
    "second",
    "small",
    "large",
    "early",
    "late",
    "popular",
];

const NAMES: &[&str] = &[
    "Maren", "Tobiah", "Ilse", "Corwin", "Ysolde", "Anselm", "Petra", "Idris", "Wenna", "Lorcan",
];

const SURNAMES: &[&str] = &[
    "Halloran", "Vesey", "Trelawny", "Ashdown", "Penhale", "Quarrie", "Mottram", "Lisle",
];

const SECTIONS: &[&str] = &[
    "Home",
    "News",
    "Local",
    "Sport",
    "Business",
    "Opinion",
    "Culture",
    "Travel",
    "Weather",
    "Obituaries",
];

const WIDGETS: &[&str] = &[
    "Listen to this article",
    "Share",
    "Share on Facebook",
    "Copy link",
    "5 min read",
    "Advertisement",
    "Print",
    "Save article",
];

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// One sentence of prose, 8-26 words, about half of them function words.
fn sentence(rng: &mut Lcg, out: &mut String) {
    let words = rng.range(8, 26);
    for i in 0..words {
        let w = match rng.next() % 10 {
            0..=4 => rng.pick(FUNCTION_WORDS),
            5..=7 => rng.pick(NOUNS),
            8 => rng.pick(VERBS),
            _ => rng.pick(ADJECTIVES),
        };
        if i == 0 {
            out.push_str(&capitalise(w));
        } else {
            out.push(' ');
            out.push_str(w);
            if i + 1 < words && rng.chance(6) {
                out.push(',');
            }
        }
    }
    out.push('.');
}

/// A title-case headline of 4-8 words.
fn headline(rng: &mut Lcg) -> String {
    let words = rng.range(4, 8);
    (0..words)
        .map(|i| {
            let w = match i % 3 {
                0 => rng.pick(ADJECTIVES),
                1 => rng.pick(NOUNS),
                _ => rng.pick(VERBS),
            };
            capitalise(w)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One scrape-like document of about `target` bytes.
fn document(rng: &mut Lcg, n: usize, target: usize) -> String {
    let mut d = String::with_capacity(target + 2048);
    let _ = writeln!(
        d,
        "url: https://site{}.example/news/{}/story-{n}",
        n % 37,
        rng.pick(NOUNS)
    );
    let _ = writeln!(
        d,
        "date 2025-{:02}-{:02}\n",
        rng.range(1, 12),
        rng.range(1, 28)
    );
    d.push_str("Skip to main content\nMenu\n");
    for s in SECTIONS.iter().take(rng.range(4, SECTIONS.len())) {
        d.push_str(s);
        d.push('\n');
    }
    d.push_str("Search\n");
    d.push_str(&headline(rng));
    d.push('\n');
    let _ = writeln!(d, "By {} {}", rng.pick(NAMES), rng.pick(SURNAMES));
    d.push_str("Listen to this article\nShare\n\n");
    let body_end = target.saturating_sub(900);
    while d.len() < body_end {
        for _ in 0..rng.range(2, 6) {
            sentence(rng, &mut d);
            d.push(' ');
        }
        d.pop();
        d.push_str("\n\n");
        match rng.next() % 8 {
            0 => {
                let caption = format!("The {} {} at dawn", rng.pick(ADJECTIVES), rng.pick(NOUNS));
                // Alt text, the credited caption, and the lightbox copy of the alt text.
                let _ = writeln!(
                    d,
                    "{caption}\n{caption} (Picture: {} {})\n{caption}\n",
                    rng.pick(NAMES),
                    rng.pick(SURNAMES)
                );
            }
            1 => {
                d.push_str(rng.pick(WIDGETS));
                d.push_str("\n\n");
            }
            2 => {
                d.push_str(&headline(rng));
                d.push_str("\n\n");
            }
            _ => {}
        }
    }
    d.push_str("Related stories\n");
    for _ in 0..rng.range(4, 8) {
        d.push_str(&headline(rng));
        d.push('\n');
    }
    d.push_str(
        "\nLeave a Reply\nYour email address will not be published. Required fields are marked *\n\
Comment *\nName *\nEmail *\nWebsite\nPost Comment\n",
    );
    let _ = writeln!(d, "© 2025 Site {} Media. All rights reserved.", n % 37);
    d
}

/// Documents of 5-30 KB until `total` bytes, always the same for the same `seed`.
fn corpus(seed: u64, total: usize) -> Vec<String> {
    let mut rng = Lcg(seed);
    let mut docs = Vec::new();
    let mut bytes = 0;
    while bytes < total {
        let target = rng.range(5_000, 30_000);
        let doc = document(&mut rng, docs.len(), target);
        bytes += doc.len();
        docs.push(doc);
    }
    docs
}

fn total_bytes(docs: &[String]) -> u64 {
    docs.iter().map(|d| d.len() as u64).sum()
}

/// The cleaner with the embedded default rules, loaded once for every benchmark.
fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        Cleaner::with_default_rules()
            .unwrap_or_else(|e| panic!("the default rules do not load:\n{e}"))
    })
}

/// Checks once, outside the timing, that the generated pages are cleaned as intended, so
/// the benchmark measures real work and not pages that fall through.
fn sanity_check(cleaner: &Cleaner, docs: &[String]) {
    let info = DocumentInfo::default();
    let mut kept = 0;
    for d in docs.iter().take(8) {
        let text = cleaner.clean_text(d, &info).text();
        assert!(
            text.starts_with("url: https://site"),
            "header lost:\n{text}"
        );
        assert!(!text.contains("Listen to this article"), "widget kept");
        assert!(!text.contains("Leave a Reply"), "comment form kept");
        kept += text.len();
    }
    let seen: usize = docs.iter().take(8).map(String::len).sum();
    assert!(
        kept * 2 > seen,
        "the default rules removed most of the prose ({kept} of {seen} bytes kept)"
    );
}

fn single_thread(c: &mut Criterion) {
    let cleaner = cleaner();
    let docs = corpus(0x5eed_0001, corpus_sizes().0);
    sanity_check(cleaner, &docs);
    let info = DocumentInfo::default();
    let mut group = c.benchmark_group("text_mode");
    group.throughput(Throughput::Bytes(total_bytes(&docs)));
    // Flat sampling: ten samples of equal iteration counts, so the run time is bounded.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("single_thread", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(cleaner.clean_text(black_box(d), &info));
            }
        });
    });
    group.finish();
}

fn batch(c: &mut Criterion) {
    let cleaner = cleaner();
    let docs = corpus(0x5eed_0002, corpus_sizes().1);
    sanity_check(cleaner, &docs);
    let bytes = total_bytes(&docs);
    let info = DocumentInfo::default();
    let mut group = c.benchmark_group("text_mode");
    group.throughput(Throughput::Bytes(bytes));
    // One pass over 100 MB takes seconds: ten samples of one or a few passes each.
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(60));
    group.bench_function("batch", |b| {
        b.iter(|| {
            let out: usize = docs
                .par_iter()
                .map(|d| cleaner.clean_text(d, &info).text().len())
                .sum();
            black_box(out)
        });
    });

    // The same corpus as files: walk, read, clean, write atomically.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let input = dir.path().join("in");
    let output = dir.path().join("out");
    for (i, d) in docs.iter().enumerate() {
        let path = input
            .join(format!("site{}.example", i % 37))
            .join(format!("page-{i:05}.txt"));
        write_file(&path, d);
    }
    drop(docs);
    let inputs = [input];
    let run_files = || {
        let plan = declutr::batch::plan(&inputs, &output, None)
            .unwrap_or_else(|e| panic!("batch::plan: {e}"));
        declutr::batch::run(cleaner, plan, &|| {})
    };
    let summary = run_files();
    assert!(
        summary.failures.is_empty() && summary.bytes_in == bytes,
        "file batch: {} failures, {} of {bytes} bytes read",
        summary.failures.len(),
        summary.bytes_in
    );
    group.bench_function("batch_files", |b| b.iter(|| black_box(run_files().cleaned)));
    group.finish();
}

fn write_file(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

criterion_group!(benches, single_thread, batch);
criterion_main!(benches);
