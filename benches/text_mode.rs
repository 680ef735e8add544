//! Text-mode throughput: `Cleaner::clean_text` on one thread, the same over a 100 MB corpus
//! in parallel with rayon, and a batch of real files planned and cleaned (`run::plan`, then
//! the batch run, without learning).
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

mod common;
use common::*;
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
        let plan =
            declutr::run::plan(&inputs, &output, None).unwrap_or_else(|e| panic!("run::plan: {e}"));
        declutr::__internals::run_batch(cleaner, plan, &|| {})
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
