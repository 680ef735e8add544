//! `declutr learn`: counts a scrape's lines per site and writes one site rule file per
//! site, reporting each file and a summary line.

use crate::run::Outcome;
use crate::run::settings::LearnSettings;
use crate::run::summary::learned_counts;
use crate::{Cleaner, escape, learn};

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
    let learning = learn::learn_batch(cleaner, &pages, settings.max_bytes);
    let sites = learning.sites;
    let written = learn::write_site_files(
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
            learn::Written::Created => "written",
            learn::Written::Updated => "updated",
            learn::Written::KeptEdited => {
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
