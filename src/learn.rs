//! Site learning: the lines a site repeats across its pages, counted and turned into rules.
//!
//! A scrape directory usually holds many pages of each site, and whatever a site repeats
//! on page after page is boilerplate even when no rule names it. Learning runs in three
//! steps:
//!
//! 1. Every page's site is found cheaply (the header's URL, the directory, `--site`, the
//!    canonical URL in an HTML page's `<head>`), and pages are grouped by site.
//! 2. For the sites with at least `min-pages` pages, each page's body lines (for HTML, the
//!    lines its markup renders to) are folded (`hash::line_key`: case, digits, punctuation and
//!    spacing) and counted once per page, as 64-bit hashes, per site ([`SiteCounts`]).
//! 3. A line on at least `min-share` of a site's pages (and on `min-pages` of them) is
//!    learned ([`SiteCounts::learn`]). A long, sentence-like line needs stronger evidence:
//!    it is dropped anywhere only when `long-min-share` of the pages hold it, and otherwise
//!    only inside a run of learned lines, so a quote two articles share survives. A long
//!    line whose digits change from page to page is learned only from more than half the
//!    pages: on fewer, it is a sentence the articles fill in from a template.
//!
//! Whatever is learned, the article guard ([`crate::LearnedHeld`]) keeps the learned rules
//! off a page where they would take most of its prose.
//!
//! The learned lines become a `drop-site-repeats` rule in a site file: written by
//! `declutr learn` for review ([`LearnedSite::to_toml`]), or loaded in memory for the
//! batch being cleaned. Both load the same text, so cleaning with the written files gives
//! what in-batch learning gives.
//!
//! Counting keeps memory bounded: the sites are counted one after another and each is
//! learned from as soon as its last page is counted ([`crate::run::learn`]), so a crawl of
//! thousands of small sites holds one site's counts at a time; hashes rather than strings
//! (a line's text is kept only once a second page holds it); and lossy counting per site:
//! every [`BUCKET_PAGES`] pages,
//! a line that could not have been seen on more than one page in a hundred since it was
//! first counted is forgotten, so a site's table holds its recent lines and its repeated
//! ones, whatever the number of pages; a count may then be short by at most one page in a
//! hundred. Counts of two shards of a scrape merge ([`Counts::merge`]).

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::filters::drop_elements::LEARNED_RULE_ID;
use crate::hash::{FNV_OFFSET, exact_hash, line_key, mix};
use crate::rules::Thresholds;

/// What site learning counts of one page (the cleaner's `learning_view` makes it).
#[derive(Debug, Clone, Default)]
pub struct PageView {
    /// Its body lines before the text filters (for HTML, the lines its markup renders to).
    pub lines: Vec<String>,
    /// HTML pages: each element with a stable class or id, as its selector and the key of
    /// its text (`hash::text_key`).
    pub elements: Vec<(String, u64)>,
}

/// Pages per bucket of the lossy count: a count is short by at most one page in this many.
pub(crate) const BUCKET_PAGES: u64 = 100;

/// One line's count on a site.
#[derive(Debug, Clone)]
struct Entry {
    /// Pages holding the line since it was (last) first counted.
    pages: u64,
    /// Pages it may have been on before that, at most (lossy counting's error).
    missed: u64,
    /// Its words.
    words: u32,
    /// A hash of the text first counted, digits and all.
    exact: u64,
    /// Whether the pages wrote it with other digits (a counter, a score, a date).
    varies: bool,
    /// Its text, once a second page holds it.
    text: Option<Box<str>>,
}

/// Lines of at least this many words identify a page's own text, for recognising the
/// same page saved twice.
const DUPLICATE_WORDS: usize = 8;

/// One element signature's count on a site: a selector with one text, or with any text.
#[derive(Debug, Clone)]
struct ElementEntry {
    pages: u64,
    missed: u64,
    selector: Box<str>,
}

/// The line counts of one site.
#[derive(Debug, Clone, Default)]
pub(crate) struct SiteCounts {
    pages: u64,
    lines: HashMap<u64, Entry>,
    /// HTML pages: each selector with the key of its text, and each selector alone.
    elements: HashMap<(u64, Option<u64>), ElementEntry>,
    /// Fingerprints of the pages counted: the same page saved twice counts once.
    seen: HashSet<u64>,
    duplicates: u64,
}

impl SiteCounts {
    /// Counts one page's lines (a line twice on a page counts once). A page whose long
    /// lines are those of a page already counted (the same article saved twice, with
    /// another timestamp, say) is not counted again: otherwise its whole text would look
    /// like the site's boilerplate.
    pub(crate) fn add_page<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        self.add_page_with_elements(lines, &[]);
    }

    /// Counts one HTML page's lines and its element signatures: selectors with the key of
    /// their text ([`crate::html`]'s `element_signatures`).
    pub(crate) fn add_page_with_elements<'a>(
        &mut self,
        lines: impl IntoIterator<Item = &'a str>,
        elements: &[(String, u64)],
    ) {
        let mut keyed: Vec<(u64, &str)> = Vec::new();
        let mut on_page = HashSet::new();
        let mut fingerprint = FNV_OFFSET;
        let mut all = FNV_OFFSET;
        for line in lines {
            let Some(key) = line_key(line) else { continue };
            // Digits and all: two articles may differ by their numbers alone.
            let exact = exact_hash(line.trim());
            all = mix(all, exact);
            if crate::text::word_count(line) >= DUPLICATE_WORDS {
                fingerprint = mix(fingerprint, exact);
            }
            if on_page.insert(key) {
                keyed.push((key, line));
            }
        }
        let fingerprint = if fingerprint == FNV_OFFSET {
            all
        } else {
            fingerprint
        };
        if !self.seen.insert(fingerprint) {
            self.duplicates += 1;
            return;
        }
        self.pages += 1;
        let bucket = self.pages.div_ceil(BUCKET_PAGES);
        for (key, line) in keyed {
            let exact = exact_hash(line.trim());
            let entry = self.lines.entry(key).or_insert_with(|| Entry {
                pages: 0,
                missed: bucket - 1,
                words: u32::try_from(crate::text::word_count(line)).unwrap_or(u32::MAX),
                exact,
                varies: false,
                text: None,
            });
            entry.varies |= entry.exact != exact;
            entry.pages += 1;
            if entry.pages >= 2 && entry.text.is_none() {
                entry.text = Some(line.trim().into());
            }
        }
        let mut on_page = HashSet::new();
        for (selector, text) in elements {
            let sel = exact_hash(selector);
            for key in [(sel, Some(*text)), (sel, None)] {
                if on_page.insert(key) {
                    let e = self.elements.entry(key).or_insert_with(|| ElementEntry {
                        pages: 0,
                        missed: bucket - 1,
                        selector: selector.as_str().into(),
                    });
                    e.pages += 1;
                }
            }
        }
        if self.pages % BUCKET_PAGES == 0 {
            self.lines.retain(|_, e| e.pages + e.missed > bucket);
            self.elements.retain(|_, e| e.pages + e.missed > bucket);
        }
    }

    /// Adds the counts of another shard of the same site. (A page saved in both shards
    /// counts twice.)
    pub(crate) fn merge(&mut self, other: SiteCounts) {
        self.pages += other.pages;
        self.duplicates += other.duplicates;
        self.seen.extend(other.seen);
        for (key, theirs) in other.elements {
            match self.elements.get_mut(&key) {
                Some(ours) => {
                    ours.pages += theirs.pages;
                    ours.missed += theirs.missed;
                }
                None => {
                    self.elements.insert(key, theirs);
                }
            }
        }
        for (key, theirs) in other.lines {
            match self.lines.get_mut(&key) {
                Some(ours) => {
                    ours.pages += theirs.pages;
                    ours.missed += theirs.missed;
                    ours.varies |= theirs.varies || theirs.exact != ours.exact;
                    // The same text whichever shard comes first.
                    ours.text = match (ours.text.take(), theirs.text) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                None => {
                    self.lines.insert(key, theirs);
                }
            }
        }
    }

    /// Pages counted.
    pub(crate) fn pages(&self) -> u64 {
        self.pages
    }

    /// Pages not counted because a page with the same text was.
    #[cfg(test)]
    pub(crate) fn duplicates(&self) -> u64 {
        self.duplicates
    }

    /// Lines and element signatures held in the tables (for memory reports).
    #[cfg(test)]
    pub(crate) fn tracked_lines(&self) -> usize {
        self.lines.len() + self.elements.len()
    }

    /// The lines learned under `t`, most pages first.
    pub(crate) fn learn(&self, host: &str, t: &Thresholds) -> LearnedSite {
        let mut learned = LearnedSite {
            host: host.to_string(),
            pages: self.pages,
            lines: Vec::new(),
            run_lines: Vec::new(),
            elements: Vec::new(),
            min_run: t.min_run,
        };
        if self.pages < t.min_pages {
            return learned;
        }
        let share = |s: f64| (s * self.pages as f64).ceil() as u64;
        let need = share(t.min_share).max(t.min_pages);
        let long_need = share(t.long_min_share).max(need);
        for e in self.lines.values() {
            let Some(text) = e.text.as_deref() else {
                continue;
            };
            if e.pages < need {
                continue;
            }
            // A sentence-like line whose digits change from page to page, on no more than
            // half the pages, is a sentence the articles fill in from a template ("The
            // plan discussed on day 3 drew 6 speakers..."): article text. (A counter or a
            // timestamp is short, or on most pages.)
            if e.varies && e.words as usize >= t.long_words && e.pages * 2 <= self.pages {
                continue;
            }
            let line = LearnedLine {
                text: text.to_string(),
                pages: e.pages,
            };
            // A long sentence-like line on fewer pages than long-min-share, and a line whose
            // digits change from page to page (a score, a counter), are dropped only inside
            // a run of learned lines.
            if e.varies || e.words as usize >= t.long_words && e.pages < long_need {
                learned.run_lines.push(line);
            } else {
                learned.lines.push(line);
            }
        }
        // An element whose text is the same on enough pages, and is that text on nearly
        // every page that has the element (so the selector names the site's furniture, not
        // a class its articles share), is learned as a selector.
        let mut selectors: HashMap<&str, u64> = HashMap::new();
        for ((sel, text), e) in &self.elements {
            if text.is_none() || e.pages < need {
                continue;
            }
            let any_text = self
                .elements
                .get(&(*sel, None))
                .map_or(e.pages, |a| a.pages);
            if e.pages * 10 >= any_text * 9 {
                let best = selectors.entry(&e.selector).or_default();
                *best = (*best).max(e.pages);
            }
        }
        learned.elements = selectors
            .into_iter()
            .map(|(text, pages)| LearnedLine {
                text: text.to_string(),
                pages,
            })
            .collect();
        for list in [
            &mut learned.lines,
            &mut learned.run_lines,
            &mut learned.elements,
        ] {
            list.sort_by(|a, b| b.pages.cmp(&a.pages).then_with(|| a.text.cmp(&b.text)));
        }
        learned
    }
}

/// Line counts per site.
#[derive(Debug, Clone, Default)]
#[allow(
    dead_code,
    reason = "counts that merge across shards of a scrape: no caller yet (docs/spark.md)"
)]
pub(crate) struct Counts {
    /// The counts, by host.
    pub sites: BTreeMap<String, SiteCounts>,
}

#[allow(
    dead_code,
    reason = "counts that merge across shards of a scrape: no caller yet (docs/spark.md)"
)]
impl Counts {
    /// Counts one page of `site`.
    pub(crate) fn add_page<'a>(&mut self, site: &str, lines: impl IntoIterator<Item = &'a str>) {
        self.sites
            .entry(site.to_string())
            .or_default()
            .add_page(lines);
    }

    /// Adds the counts of another shard of the scrape.
    pub(crate) fn merge(&mut self, other: Counts) {
        for (site, counts) in other.sites {
            match self.sites.get_mut(&site) {
                Some(ours) => ours.merge(counts),
                None => {
                    self.sites.insert(site, counts);
                }
            }
        }
    }

    /// What every site learned under `t`, sites that learned nothing left out.
    pub(crate) fn learn(&self, t: &Thresholds) -> Vec<LearnedSite> {
        self.sites
            .iter()
            .map(|(host, c)| c.learn(host, t))
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// A learned line and the number of pages it was on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LearnedLine {
    /// The line, as one of the pages wrote it.
    pub text: String,
    /// Pages holding it.
    pub pages: u64,
}

/// What one site learned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LearnedSite {
    /// The site's host.
    pub host: String,
    /// Pages learned from.
    pub pages: u64,
    /// Lines dropped wherever they stand.
    pub lines: Vec<LearnedLine>,
    /// Sentence-like lines dropped only inside a run of learned lines.
    pub run_lines: Vec<LearnedLine>,
    /// HTML pages: selectors of elements with the same text on the site's pages.
    pub elements: Vec<LearnedLine>,
    /// Learned lines in a row that make a run.
    pub min_run: usize,
}

/// The id of the learned rule in a site file, and the rule part of its removal reason.
pub(crate) const RULE_ID: &str = "site-repeat";

/// The first line of a learned site file, followed by its checksum.
const CHECKSUM_MARK: &str = "# declutr-learned: ";

impl LearnedSite {
    /// Whether nothing was learned.
    pub(crate) fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.run_lines.is_empty() && self.elements.is_empty()
    }

    /// How many lines and element selectors were learned.
    pub(crate) fn len(&self) -> usize {
        self.lines.len() + self.run_lines.len() + self.elements.len()
    }

    /// The site file: a `[site]` table naming `hosts`, a `drop-site-repeats` rule and, for
    /// HTML pages, a `drop-elements` rule of the learned selectors, each line or selector
    /// with its page count as a comment. Its first line holds a checksum of the
    /// rest, so that `declutr learn` can tell a hand-edited file from its own.
    pub(crate) fn to_toml(&self, hosts: &[String]) -> String {
        let quote = |s: &str| toml_edit::Value::from(s).to_string();
        let mut body = String::new();
        body.push_str(&format!(
            "# Learned by `declutr learn` from {} pages of {}: lines the site repeats across\n\
             # its pages. Review them; delete a line to keep it. Edited, this file is no longer\n\
             # overwritten by `declutr learn` without --force.\n\n",
            self.pages, self.host
        ));
        let hosts: Vec<String> = hosts.iter().map(|h| quote(h)).collect();
        body.push_str(&format!("[site]\nhosts = [{}]\n\n", hosts.join(", ")));
        let list = |name: &str, lines: &[LearnedLine], out: &mut String| {
            if lines.is_empty() {
                return;
            }
            out.push_str(&format!("{name} = [\n"));
            for l in lines {
                out.push_str(&format!(
                    "  {}, # {} page{}\n",
                    quote(&l.text),
                    l.pages,
                    if l.pages == 1 { "" } else { "s" }
                ));
            }
            out.push_str("]\n");
        };
        if !self.lines.is_empty() || !self.run_lines.is_empty() {
            body.push_str(&format!(
                "[[drop-site-repeats]]\nid = {}\npages = {}\n",
                quote(RULE_ID),
                self.pages
            ));
            list("lines", &self.lines, &mut body);
            if !self.run_lines.is_empty() {
                body.push_str(&format!(
                    "# Dropped only inside a run of {} learned lines: sentence-like lines on fewer\n\
                     # pages, and lines whose digits change from page to page.\n",
                    self.min_run
                ));
                list("run-lines", &self.run_lines, &mut body);
                body.push_str(&format!("min-run = {}\n", self.min_run));
            }
        }
        if !self.elements.is_empty() {
            body.push_str(&format!(
                "\n# Elements with the same text on the site's pages.\n\
                 [[drop-elements]]\nid = {}\n",
                quote(LEARNED_RULE_ID)
            ));
            list("selectors", &self.elements, &mut body);
        }
        format!("{CHECKSUM_MARK}{:016x}\n{body}", exact_hash(&body))
    }
}

/// Whether `text` is a learned site file as `declutr learn` wrote it, unedited.
pub(crate) fn is_unedited(text: &str) -> bool {
    text.split_once('\n').is_some_and(|(first, rest)| {
        first
            .strip_prefix(CHECKSUM_MARK)
            .and_then(|h| u64::from_str_radix(h.trim(), 16).ok())
            == Some(exact_hash(rest))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::text_key;

    /// `n` written in letters, so that lines made with it do not fold together.
    fn letters(n: usize) -> String {
        n.to_string()
            .bytes()
            .map(|d| char::from(b'a' + (d - b'0')))
            .collect()
    }

    /// Counts the pages, each with a story line of its own added.
    fn site_of(pages: &[Vec<&str>]) -> SiteCounts {
        let mut c = SiteCounts::default();
        for (n, p) in pages.iter().enumerate() {
            let own = format!(
                "Page {} tells a story of its own, unlike any other page here.",
                letters(n)
            );
            c.add_page(p.iter().copied().chain([own.as_str()]));
        }
        c
    }

    const QUOTE: &str =
        "We will not let this bridge fall down, whatever it costs the town and its people.";

    #[test]
    fn repeated_lines_are_learned_and_a_shared_quote_is_not() {
        let mut pages = Vec::new();
        for n in 0..10 {
            let mut page = vec!["Home", "Subscribe to the Gazette"];
            if n < 2 {
                page.push(QUOTE);
            }
            if n < 2 {
                // Two pages out of ten: under the share.
                page.push("Weather warning");
            }
            pages.push(page);
        }
        let learned = site_of(&pages).learn("gazette.example", &Thresholds::default());
        let texts: Vec<&str> = learned.lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["Home", "Subscribe to the Gazette"]);
        assert!(learned.run_lines.is_empty());
        assert_eq!(learned.lines[0].pages, 10);
    }

    #[test]
    fn a_long_line_on_most_pages_is_a_run_line() {
        let mut pages = Vec::new();
        for n in 0..10 {
            let mut page = vec!["Newsletter"];
            if n < 6 {
                page.push(QUOTE);
            }
            pages.push(page);
        }
        let learned = site_of(&pages).learn("g.example", &Thresholds::default());
        assert_eq!(learned.lines.len(), 1);
        assert_eq!(learned.run_lines.len(), 1);
        assert_eq!(learned.run_lines[0].pages, 6);
    }

    #[test]
    fn a_line_whose_digits_change_is_a_run_line() {
        // Short, on every page: a score, a counter, a timestamp.
        let scores: Vec<String> = (0..10).map(|n| format!("Full time: {n}-1")).collect();
        let pages: Vec<Vec<&str>> = scores
            .iter()
            .map(|s| vec!["© 2025 The Gazette", s.as_str()])
            .collect();
        let learned = site_of(&pages).learn("g.example", &Thresholds::default());
        assert_eq!(learned.lines.len(), 1);
        assert_eq!(learned.lines[0].text, "© 2025 The Gazette");
        assert_eq!(learned.run_lines.len(), 1);
    }

    #[test]
    fn a_long_sentence_filled_in_from_a_template_on_few_pages_is_not_learned() {
        let t = Thresholds::default();
        let template = |day: usize, n: usize| {
            format!(
                "The plan discussed on day {day} drew {n} speakers from the villages along the river."
            )
        };
        // On four pages of ten, with other numbers on each: the articles' own text.
        let few: Vec<String> = (0..4).map(|n| template(n + 1, n + 6)).collect();
        let pages: Vec<Vec<&str>> = (0..10)
            .map(|n| {
                let mut page = vec!["Home"];
                page.extend(few.get(n).map(String::as_str));
                page
            })
            .collect();
        let learned = site_of(&pages).learn("g.example", &t);
        assert_eq!(learned.lines.len(), 1);
        assert!(learned.run_lines.is_empty(), "{:?}", learned.run_lines);
        // On most pages it is the site's: learned, to drop inside a run.
        let most: Vec<String> = (0..8).map(|n| template(n + 1, n + 6)).collect();
        let pages: Vec<Vec<&str>> = (0..10)
            .map(|n| {
                let mut page = vec!["Home"];
                page.extend(most.get(n).map(String::as_str));
                page
            })
            .collect();
        let learned = site_of(&pages).learn("g.example", &t);
        assert_eq!(learned.run_lines.len(), 1);
        // The same long line, the same on each of four pages, stays learned.
        let pages: Vec<Vec<&str>> = (0..10)
            .map(|n| {
                if n < 4 {
                    vec!["Home", QUOTE]
                } else {
                    vec!["Home"]
                }
            })
            .collect();
        assert_eq!(site_of(&pages).learn("g.example", &t).run_lines.len(), 1);
    }

    #[test]
    fn the_same_page_saved_twice_counts_once() {
        let article = "The council voted on Tuesday to keep the library open on Sundays.";
        let mut c = SiteCounts::default();
        for stamp in [
            "Updated 10:02",
            "Updated 11:45",
            "Updated 12:30",
            "Updated 14:00",
        ] {
            c.add_page(["Home", stamp, article]);
        }
        assert_eq!((c.pages(), c.duplicates()), (1, 3));
        assert!(c.learn("g.example", &Thresholds::default()).is_empty());
    }

    #[test]
    fn an_element_with_the_same_text_on_most_pages_is_learned_as_a_selector() {
        let promo = text_key(["Join the club for early tide tables"]);
        let mut c = SiteCounts::default();
        for n in 0..10 {
            let own = format!(
                "Story {} of its own, told in more than eight words.",
                letters(n)
            );
            let story = text_key([own.as_str()]);
            let card = text_key([if n % 2 == 0 {
                "Lobster prices"
            } else {
                own.as_str()
            }]);
            let elements: Vec<(String, u64)> = [
                ("div.promo", promo),
                ("div.story", story),
                // Same text on half the pages only: a class the articles use too.
                ("div.card", card),
            ]
            .into_iter()
            .filter_map(|(s, k)| Some((s.to_string(), k?)))
            .collect();
            c.add_page_with_elements([own.as_str()], &elements);
        }
        let learned = c.learn("g.example", &Thresholds::default());
        let selectors: Vec<&str> = learned.elements.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(selectors, ["div.promo"]);
        let text = learned.to_toml(&["g.example".to_string()]);
        assert!(text.contains("[[drop-elements]]\nid = \"site-repeat-elements\"\nselectors = [\n  \"div.promo\", # 10 pages\n]"), "{text}");
        assert!(!text.contains("drop-site-repeats"), "{text}");
    }

    #[test]
    fn too_few_pages_learn_nothing() {
        let pages = vec![vec!["Home"], vec!["Home"]];
        assert!(
            site_of(&pages)
                .learn("g.example", &Thresholds::default())
                .is_empty()
        );
    }

    #[test]
    fn lossy_counting_forgets_one_off_lines_and_keeps_repeats() {
        let mut c = SiteCounts::default();
        for n in 0..1000 {
            // A line no other page has, in letters (digits would fold together).
            let unique = format!("Article about {} and something else entirely", letters(n));
            c.add_page(["Home", unique.as_str()]);
        }
        // One entry per bucket's one-off lines at most, plus the repeated one.
        assert!(
            c.tracked_lines() <= BUCKET_PAGES as usize + 1,
            "{}",
            c.tracked_lines()
        );
        let learned = c.learn("g.example", &Thresholds::default());
        assert_eq!(learned.lines.len(), 1);
        assert_eq!(learned.lines[0].pages, 1000);
    }

    #[test]
    fn shards_merge_to_the_counts_of_one_pass() {
        let page = |n: usize| vec!["Home".to_string(), format!("Story {n} of the day")];
        let mut whole = Counts::default();
        let mut a = Counts::default();
        let mut b = Counts::default();
        for n in 0..40 {
            let p = page(n);
            whole.add_page("g.example", p.iter().map(String::as_str));
            let shard = if n % 2 == 0 { &mut a } else { &mut b };
            shard.add_page("g.example", p.iter().map(String::as_str));
        }
        a.merge(b);
        let t = Thresholds::default();
        // The same lines on the same number of pages; a line written with other digits on
        // other pages may be shown in another of its forms.
        let shape = |c: &Counts| -> Vec<(usize, Vec<u64>, Vec<u64>)> {
            c.learn(&t)
                .iter()
                .map(|s| {
                    let pages = |l: &[LearnedLine]| l.iter().map(|l| l.pages).collect();
                    (s.len(), pages(&s.lines), pages(&s.run_lines))
                })
                .collect()
        };
        assert_eq!(shape(&a), shape(&whole));
        assert_eq!(a.learn(&t)[0].lines, whole.learn(&t)[0].lines);
    }

    #[test]
    fn a_written_file_knows_it_was_not_edited() {
        let site = LearnedSite {
            host: "g.example".into(),
            pages: 12,
            lines: vec![LearnedLine {
                text: "Say \"hello\" to our newsletter".into(),
                pages: 12,
            }],
            run_lines: Vec::new(),
            elements: Vec::new(),
            min_run: 3,
        };
        let text = site.to_toml(&["g.example".to_string()]);
        assert!(is_unedited(&text), "{text}");
        assert!(!is_unedited(&text.replace("12 pages", "12 pages!")));
        assert!(text.contains("to our newsletter', # 12 pages"), "{text}");
        // It loads as a site file.
        let mut sources = crate::RuleSource::embedded();
        sources.push(crate::RuleSource {
            name: "g.example.toml".into(),
            text,
            scope: crate::rules::Scope::Site {
                default_host: "g.example".into(),
            },
        });
        if let Err(e) = crate::Rules::load(&sources) {
            panic!("{e}");
        }
    }
}
