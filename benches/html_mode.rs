//! HTML-mode throughput: `Cleaner::clean_html` on one thread, and the same over a corpus in
//! parallel with rayon (parse, remove elements, pick the content, render, text filters).
//!
//! The pages are generated here, deterministically: a head with meta tags, JSON-LD, styles
//! and a large inline script (real pages carry more markup and script than text), a
//! navigation bar, a cookie banner, an article with paragraphs, subheadings, a figure, a
//! share bar and a list, a related-stories aside, a newsletter form, a comment section and
//! a footer. Run with `cargo bench --bench html_mode`; `cargo test` runs each benchmark
//! once on a small corpus. Throughput is reported in bytes; the page count and mean page
//! size are printed, so pages per second follow.

use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use declutr::{Cleaner, DocumentInfo};
use rayon::prelude::*;

mod common;
use common::*;

/// Pages for the single-thread and the parallel benchmarks under `cargo bench`.
const PAGES: (usize, usize) = (100, 600);
/// Pages when the benchmarks only run once as tests.
const TEST_MODE_PAGES: (usize, usize) = (2, 4);

fn page_counts() -> (usize, usize) {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    if has("--bench") && !has("--test") && !has("--list") {
        PAGES
    } else {
        TEST_MODE_PAGES
    }
}

/// A paragraph of 2-6 sentences.
fn paragraph(rng: &mut Lcg) -> String {
    let mut p = String::new();
    for _ in 0..rng.range(2, 6) {
        sentence(rng, &mut p);
        p.push(' ');
    }
    p.pop();
    p
}

/// One news page of roughly 40-200 KB.
fn page(rng: &mut Lcg, n: usize) -> String {
    let mut d = String::with_capacity(200_000);
    let title = headline(rng);
    let site = n % 23;
    let _ = write!(
        d,
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>{title} | Site {site}</title>\
<link rel=canonical href=\"https://site{site}.example/news/story-{n}\">\
<meta property=\"og:title\" content=\"{title}\"><meta property=\"og:site_name\" content=\"Site {site}\">\
<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\
\"datePublished\":\"2025-{:02}-{:02}T08:00:00Z\",\"author\":{{\"name\":\"{} {}\"}}}}</script><style>",
        rng.range(1, 12),
        rng.range(1, 28),
        rng.pick(NAMES),
        rng.pick(SURNAMES),
    );
    for i in 0..rng.range(50, 300) {
        let _ = write!(
            d,
            ".c{i}{{margin:{}px;color:#{:06x}}}",
            i % 17,
            rng.next() % 0xff_ffff
        );
    }
    d.push_str("</style><script>window.cfg={");
    for i in 0..rng.range(300, 2500) {
        let _ = write!(d, "\"k{i}\":\"{}\",", rng.next());
    }
    d.push_str("};</script></head><body>");
    d.push_str("<div class=\"cookie-banner\"><p>We use cookies to improve your experience.</p><button>Accept</button></div>");
    d.push_str("<header class=site-header><nav><ul>");
    for s in SECTIONS {
        let _ = write!(d, "<li><a href=\"/{}\">{s}</a></li>", s.to_lowercase());
    }
    d.push_str("</ul></nav></header><main><article>");
    let _ = write!(
        d,
        "<h1>{title}</h1><p class=byline>By <a href=/authors/x>{} {}</a></p>\
<div class=share-bar><a href=#>Share on Facebook</a> <a href=#>Copy link</a></div>",
        rng.pick(NAMES),
        rng.pick(SURNAMES)
    );
    for k in 0..rng.range(6, 30) {
        let _ = write!(d, "<p>{}</p>", paragraph(rng));
        match k % 7 {
            2 => {
                let _ = write!(d, "<h2>{}</h2>", headline(rng));
            }
            4 => {
                let _ = write!(
                    d,
                    "<figure><img src=/img/{n}-{k}.jpg alt=\"\"><figcaption>The {} {} (Picture: {})</figcaption></figure>",
                    rng.pick(ADJECTIVES),
                    rng.pick(NOUNS),
                    rng.pick(NAMES)
                );
            }
            5 => {
                d.push_str("<ul>");
                for _ in 0..rng.range(3, 6) {
                    let _ = write!(
                        d,
                        "<li>{} {}</li>",
                        capitalise(rng.pick(NOUNS)),
                        rng.pick(VERBS)
                    );
                }
                d.push_str("</ul>");
            }
            _ => {}
        }
    }
    d.push_str("</article><aside class=related><h3>Related stories</h3><ul>");
    for i in 0..rng.range(4, 10) {
        let _ = write!(d, "<li><a href=/news/{i}>{}</a></li>", headline(rng));
    }
    d.push_str(
        "</ul></aside><div class=newsletter><h3>Get the morning briefing</h3><form>\
<input type=email placeholder=Email><button>Sign up</button></form></div>\
<section id=comments class=comments><h3>Comments</h3>",
    );
    for _ in 0..rng.range(0, 8) {
        let _ = write!(d, "<div class=comment><p>{}</p></div>", paragraph(rng));
    }
    let _ = write!(
        d,
        "</section></main><footer><p>© 2025 Site {site} Media. All rights reserved.</p></footer></body></html>"
    );
    d
}

fn corpus(seed: u64, pages: usize) -> Vec<String> {
    let mut rng = Lcg(seed);
    (0..pages).map(|n| page(&mut rng, n)).collect()
}

fn cleaner() -> &'static Cleaner {
    static CLEANER: OnceLock<Cleaner> = OnceLock::new();
    CLEANER.get_or_init(|| {
        Cleaner::with_default_rules()
            .unwrap_or_else(|e| panic!("the default rules do not load:\n{e}"))
    })
}

/// Checks once, outside the timing, that the pages are cleaned as intended (so the
/// benchmark measures real work), and prints the corpus's size.
fn sanity_check(cleaner: &Cleaner, docs: &[String]) -> u64 {
    let info = DocumentInfo::default();
    for d in docs.iter().take(4) {
        let text = cleaner.clean_html(d, &info).text();
        assert!(text.starts_with("url: https://site"), "no header:\n{text}");
        for clutter in [
            "cookies",
            "Share on Facebook",
            "Related stories",
            "Sign up",
            "All rights",
        ] {
            assert!(!text.contains(clutter), "{clutter:?} kept:\n{text}");
        }
        assert!(text.lines().count() > 8, "prose lost:\n{text}");
    }
    let bytes: u64 = docs.iter().map(|d| d.len() as u64).sum();
    eprintln!(
        "html_mode corpus: {} pages, {:.1} MB, mean page {:.0} KB",
        docs.len(),
        bytes as f64 / 1e6,
        bytes as f64 / docs.len() as f64 / 1e3
    );
    bytes
}

fn single_thread(c: &mut Criterion) {
    let cleaner = cleaner();
    let docs = corpus(0x5eed_1001, page_counts().0);
    let bytes = sanity_check(cleaner, &docs);
    let info = DocumentInfo::default();
    let mut group = c.benchmark_group("html_mode");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("single_thread", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(cleaner.clean_html(black_box(d), &info));
            }
        });
    });
    group.finish();
}

fn batch(c: &mut Criterion) {
    let cleaner = cleaner();
    let docs = corpus(0x5eed_1002, page_counts().1);
    let bytes = sanity_check(cleaner, &docs);
    let info = DocumentInfo::default();
    let mut group = c.benchmark_group("html_mode");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("batch", |b| {
        b.iter(|| {
            let out: usize = docs
                .par_iter()
                .map(|d| cleaner.clean_html(d, &info).text().len())
                .sum();
            black_box(out)
        });
    });
    group.finish();
}

criterion_group!(benches, single_thread, batch);
criterion_main!(benches);
