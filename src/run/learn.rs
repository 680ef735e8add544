//! Learning over a batch: read its pages, count the lines of each site with enough of
//! them, and learn from each site as soon as its last page is counted ([`learn_batch`]);
//! and writing what was learned to site files for review ([`write_site_files`], what
//! `declutr learn` does, [`run`]).
//!
//! The counting and the learning themselves, and the TOML a site file holds, are
//! [`crate::learn`]'s; this module reads the files and writes the site files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::cleaner::{Cleaner, DocumentInfo};
use crate::decode::{Hints, Kind};
use crate::escape;
use crate::io::out_path::{OutPathError, OutputRoot};
use crate::io::read::read_input;
use crate::learn::{Counts, LearnedSite, PageView, SiteCounts, is_unedited};
use crate::run::Outcome;
use crate::run::settings::LearnSettings;
use crate::run::summary::learned_counts;

/// Learns the sites of the pages `settings.walk` found with `cleaner`'s rules and writes
/// their files; [`Outcome::SomeFailed`] when a file was not written (edited by hand, or
/// a write failed).
pub fn run(cleaner: &Cleaner, settings: &LearnSettings) -> Outcome {
    let thresholds = cleaner.rules().learn_thresholds();
    let pages: Vec<_> = settings
        .walk
        .inputs
        .iter()
        .map(|i| (i.path.as_path(), i.site.as_deref()))
        .collect();
    let learning = learn_batch(cleaner, &pages, settings.max_bytes);
    let sites = learning.sites;
    let written = write_site_files(
        &settings.output,
        &sites,
        |host| cleaner.rules().site_hosts(host),
        settings.force,
    );
    let mut kept = 0;
    let mut failed = 0;
    for (site, result) in sites.iter().zip(&written) {
        let (path, how) = match result {
            Ok(w) => w,
            Err(e) => {
                failed += 1;
                eprintln!("{}: {e}", escape::text(&site.host));
                continue;
            }
        };
        let what = match how {
            Written::Created => "written",
            Written::Updated => "updated",
            Written::Unchanged => "unchanged",
            Written::KeptEdited => {
                kept += 1;
                eprintln!(
                    "{}: edited by hand, not overwritten: use --force to replace it",
                    escape::path(path)
                );
                continue;
            }
        };
        if !settings.quiet {
            eprintln!(
                "{}: {} across {} pages of {} ({what})",
                escape::path(path),
                learned_counts(std::slice::from_ref(site)),
                site.pages,
                site.host
            );
        }
    }
    if !settings.quiet {
        eprintln!(
            "learned from {} pages of {} site{} with {}+ pages: {} site file{}",
            learning.pages,
            learning.sites_counted,
            if learning.sites_counted == 1 { "" } else { "s" },
            thresholds.min_pages,
            sites.len() - kept - failed,
            if sites.len() - kept - failed == 1 {
                ""
            } else {
                "s"
            }
        );
    }
    Outcome::failed_if(kept != 0 || failed != 0)
}

/// What learning over a batch found ([`learn_batch`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct BatchLearning {
    /// What each site learned, by host; sites that learned nothing left out.
    pub sites: Vec<LearnedSite>,
    /// Sites counted (those with at least `min-pages` pages).
    pub sites_counted: usize,
    /// Pages counted on those sites (a page saved twice counts once).
    pub pages: u64,
}

/// Reads the pages of a batch, counts the lines of every site with enough pages and learns
/// from each site as soon as its last page is counted (see [`count_batch`]), so that the
/// counts of one site at a time are held, however many sites the batch has.
///
/// Each input is a file and the site its place in the tree or `--site` gives, if any.
pub(crate) fn learn_batch(
    cleaner: &Cleaner,
    inputs: &[(&Path, Option<&str>)],
    max_bytes: u64,
) -> BatchLearning {
    let t = cleaner.rules().learn_thresholds();
    let mut out = BatchLearning::default();
    for_each_site(cleaner, inputs, max_bytes, |host, counts| {
        out.sites_counted += 1;
        out.pages += counts.pages();
        let learned = counts.learn(host, &t);
        if !learned.is_empty() {
            out.sites.push(learned);
        }
    });
    out.sites.sort_by(|a, b| a.host.cmp(&b.host));
    out
}

/// Reads the pages of a batch and counts the lines of every site with enough pages:
/// sites first ([`Cleaner::site_of`]), then the lines of the grouped pages, site after
/// site, each site's pages in input order (so the counts are the same on every run), in
/// chunks cleaned in parallel. The lines of the first pages (up to some 32 MB of them)
/// are kept from the read that found their site: a batch that small is read once. Files that cannot be read are left out here; cleaning
/// reports them. The counts of every site are held: [`learn_batch`] learns from each site
/// as it is done instead.
///
/// Each input is a file and the site its place in the tree or `--site` gives, if any.
#[allow(
    dead_code,
    reason = "counts that merge across shards of a scrape: no caller yet (docs/spark.md)"
)]
pub(crate) fn count_batch(
    cleaner: &Cleaner,
    inputs: &[(&Path, Option<&str>)],
    max_bytes: u64,
) -> Counts {
    let mut counts = Counts::default();
    for_each_site(cleaner, inputs, max_bytes, |host, c| {
        counts.sites.insert(host.to_string(), c);
    });
    counts
}

/// Pages whose lines are found in parallel at a time.
const CHUNK_PAGES: usize = 256;

/// How many bytes of page lines the first read of a batch keeps for counting (the pages
/// after that are read again).
const KEPT_VIEW_BYTES: usize = 32 << 20;

/// Takes `bytes` from `budget` if it holds that many.
fn take_budget(budget: &AtomicUsize, bytes: usize) -> bool {
    budget
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            left.checked_sub(bytes)
        })
        .is_ok()
}

/// The memory a page's lines take, roughly.
fn view_bytes(view: &PageView) -> usize {
    let lines: usize = view.lines.iter().map(|l| l.len() + 32).sum();
    let elements: usize = view.elements.iter().map(|(s, _)| s.len() + 40).sum();
    lines + elements + 64
}

/// Counts the sites of a batch with at least `min-pages` pages, one after another in the
/// order of their first page, and hands each site's counts to `done` once its last page is
/// counted.
fn for_each_site(
    cleaner: &Cleaner,
    inputs: &[(&Path, Option<&str>)],
    max_bytes: u64,
    mut done: impl FnMut(&str, SiteCounts),
) {
    let t = cleaner.rules().learn_thresholds();
    // Decoded as cleaning decodes it (`Cleaner::clean_bytes`).
    let read = |&(path, site): &(&Path, Option<&str>)| -> Option<(String, Kind, DocumentInfo)> {
        let bytes = read_input(path, max_bytes).ok()?;
        let hints = Hints {
            name: Some(path),
            ..Hints::default()
        };
        let decoded = crate::decode::decode(&bytes, &hints).ok()?;
        let info = DocumentInfo {
            site: site.map(str::to_string),
            ..DocumentInfo::default()
        };
        Some((decoded.text.into_owned(), decoded.kind, info))
    };
    // Sites first; while the budget lasts, each page's lines are kept from this first read
    // too, so that a batch of this size is read once for learning.
    let budget = AtomicUsize::new(KEPT_VIEW_BYTES);
    let (sites, mut views): (Vec<Option<String>>, Vec<Option<PageView>>) = inputs
        .par_iter()
        .map(|input| {
            let Some((text, kind, info)) = read(input) else {
                return (None, None);
            };
            let site = cleaner.site_of(&text, kind, &info);
            let reserved = site.is_some() && take_budget(&budget, text.len());
            let view = reserved.then(|| {
                let view = cleaner.learning_view(&text, kind, &info);
                // The reservation was the page's size; give back what its lines leave.
                budget.fetch_add(text.len(), Ordering::Relaxed);
                if !take_budget(&budget, view_bytes(&view)) {
                    budget.store(0, Ordering::Relaxed);
                }
                view
            });
            (site, view)
        })
        .unzip();
    // Each site's page count and first page.
    let mut per_site: HashMap<&str, (u64, usize)> = HashMap::new();
    for (i, s) in sites.iter().enumerate() {
        if let Some(s) = s {
            per_site.entry(s).or_insert((0, i)).0 += 1;
        }
    }
    per_site.retain(|_, (pages, _)| *pages >= t.min_pages);
    for (view, site) in views.iter_mut().zip(&sites) {
        if site.as_deref().is_none_or(|s| !per_site.contains_key(s)) {
            *view = None;
        }
    }
    // The pages of the sites with enough of them, grouped by site.
    let mut grouped: Vec<(usize, &str)> = sites
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let s = s.as_deref()?;
            per_site.contains_key(s).then_some((i, s))
        })
        .collect();
    grouped.sort_by_key(|&(i, s)| (per_site.get(s).map_or(0, |p| p.1), i));
    let mut counts: Option<(&str, SiteCounts)> = None;
    let mut left = 0;
    for chunk in grouped.chunks(CHUNK_PAGES) {
        let kept: Vec<(usize, Option<PageView>)> =
            chunk.iter().map(|&(i, _)| (i, views[i].take())).collect();
        let pages: Vec<Option<PageView>> = kept
            .into_par_iter()
            .map(|(i, kept)| {
                kept.or_else(|| {
                    let (text, kind, info) = read(&inputs[i])?;
                    Some(cleaner.learning_view(&text, kind, &info))
                })
            })
            .collect();
        for (&(_, site), page) in chunk.iter().zip(pages) {
            if left == 0 {
                left = per_site.get(site).map_or(0, |p| p.0);
            }
            left -= 1;
            if let Some(page) = page {
                let (_, c) = counts.get_or_insert_with(|| (site, SiteCounts::default()));
                c.add_page_with_elements(page.lines.iter().map(String::as_str), &page.elements);
            }
            if left == 0 {
                if let Some((host, c)) = counts.take() {
                    done(host, c);
                }
            }
        }
    }
}

/// How [`write_site_files`] left one site's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Written {
    /// Written anew.
    Created,
    /// Rewritten: what was learned changed.
    Updated,
    /// Left as it was: what was learned is what the file holds.
    Unchanged,
    /// Not written: the file was edited by hand (or not written by `declutr learn`).
    KeptEdited,
}

/// Why one site's file was not written; the other sites' files are.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SiteFileError {
    /// The site is not a host name ([`crate::parse_host`]), so it names no file.
    #[error("no site file written: {0}")]
    NotAHost(#[from] crate::HostError),
    /// The file's path is not safe to write: a symbolic link inside the output directory
    /// ([`crate::io::out_path`]).
    #[error(transparent)]
    Output(#[from] OutPathError),
    /// Reading the file that is there, or writing it, failed.
    #[error("cannot write {}: {}", escape::path(.0), .1)]
    Io(PathBuf, std::io::Error),
}

/// The file name of a site's learned rules: `HOST.toml`. The host is one [`crate::parse_host`]
/// accepts; [`write_site_files`] writes no other.
pub(crate) fn file_name(host: &str) -> String {
    format!("{host}.toml")
}

/// Writes each site's learned rules to `dir/HOST.toml` (through a temporary file), the
/// `[site]` hosts given by `hosts_of`. A file that `declutr learn` did not write as it is
/// now (edited by hand) is kept unless `force`. Each site's file is written, or not, on its
/// own: a site that is not a host name, or whose file is a symbolic link (or lies behind
/// one) inside `dir`, is refused ([`SiteFileError`]), and the path of every file written
/// is built by [`OutputRoot`], so nothing is written outside `dir`, `force` or not.
pub(crate) fn write_site_files(
    dir: &Path,
    learned: &[LearnedSite],
    hosts_of: impl Fn(&str) -> Vec<String>,
    force: bool,
) -> Vec<Result<(PathBuf, Written), SiteFileError>> {
    let root = OutputRoot::new(dir);
    learned
        .iter()
        .map(|site| write_site_file(&root, site, &hosts_of, force))
        .collect()
}

/// [`write_site_files`] for one site.
fn write_site_file(
    root: &OutputRoot,
    site: &LearnedSite,
    hosts_of: &impl Fn(&str) -> Vec<String>,
    force: bool,
) -> Result<(PathBuf, Written), SiteFileError> {
    let host = crate::parse_host(&site.host)?;
    let file = root.prepare(Path::new(&file_name(&host)))?;
    let path = file.path().to_path_buf();
    let text = site.to_toml(&hosts_of(&site.host));
    let write = || {
        file.write(text.as_bytes())
            .map_err(|e| SiteFileError::Io(path.clone(), e))
    };
    let how = match file.read_to_string() {
        Ok(old) if !force && !is_unedited(&old) => Written::KeptEdited,
        Ok(old) if old == text => Written::Unchanged,
        Ok(_) => {
            write()?;
            Written::Updated
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write()?;
            Written::Created
        }
        Err(e) => return Err(SiteFileError::Io(path, e)),
    };
    Ok((path, how))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::LearnedLine;

    fn site(pages: u64) -> LearnedSite {
        LearnedSite {
            host: "g.example".into(),
            pages,
            lines: vec![LearnedLine {
                text: "Say \"hello\" to our newsletter".into(),
                pages,
            }],
            run_lines: Vec::new(),
            elements: Vec::new(),
            min_run: 3,
        }
    }

    #[test]
    fn a_site_file_is_created_updated_left_unchanged_or_kept_when_edited() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let hosts = |host: &str| vec![host.to_string()];
        let write = |site: LearnedSite, force: bool| {
            let written = write_site_files(dir.path(), &[site], hosts, force);
            match written.as_slice() {
                [Ok((_, how))] => how.clone(),
                other => panic!("{other:?}"),
            }
        };
        let path = dir.path().join("g.example.toml");
        assert_eq!(write(site(12), false), Written::Created);
        assert_eq!(write(site(12), false), Written::Unchanged);
        assert_eq!(write(site(14), false), Written::Updated);
        assert!(
            std::fs::read_to_string(&path).is_ok_and(|t| t.contains("# 14 pages")),
            "not rewritten"
        );
        std::fs::write(&path, "# mine\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(write(site(14), false), Written::KeptEdited);
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some("# mine\n")
        );
        assert_eq!(write(site(14), true), Written::Updated);
    }

    #[test]
    fn a_written_site_file_drops_the_lines_it_names() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let written = write_site_files(dir.path(), &[site(12)], |h| vec![h.to_string()], false);
        assert!(matches!(written.as_slice(), [Ok(_)]), "{written:?}");
        let text = std::fs::read_to_string(dir.path().join("g.example.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut sources = crate::RuleSource::embedded();
        sources.push(crate::RuleSource {
            name: "g.example.toml".into(),
            text,
            scope: crate::rules::Scope::Site {
                default_host: "g.example".into(),
            },
        });
        let rules = crate::Rules::load(&sources).unwrap_or_else(|e| panic!("{e}"));
        let cleaned = Cleaner::new(rules).clean_text(
            "url: https://g.example/a\n\nSay \"hello\" to our newsletter\nThe story.\n",
            &DocumentInfo::default(),
        );
        assert_eq!(cleaned.body_text(), "The story.\n");
    }
}
