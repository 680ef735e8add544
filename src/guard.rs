//! The article guard: a site's learned rules never take most of a page's prose.
//!
//! What a site repeats across its pages is usually its furniture (menus, footers,
//! newsletter boxes), and site learning turns it into rules. But a page's
//! article is sometimes what repeats: syndicated copies of one wire story, one page
//! recrawled under several URLs, a recipe site whose pages share their method lines. The
//! counts cannot tell the two apart, so each page is checked where the learned rules are
//! applied to it, whether they were learned in the batch or loaded from a site file: the
//! `drop-site-repeats` lines and the `drop-elements` rule `declutr learn` writes
//! ([`drop_elements::LEARNED_RULE_ID`]).
//!
//! The measure is the page's sentence-like text: the words of its lines of ten words or
//! more, or of five or more ending like a sentence ([`crate::text::prose_words`]). When the
//! page's filters, learned rules included, keep less than half of it while the learned
//! rules removed something, the page is cleaned again without them; if they did take more
//! than half of what the other rules keep, they do not apply to the page (everything else
//! still does), and the cleaned page says so ([`LearnedHeld`]): in `--explain`, and in
//! the batch summary's notices. Leaving a site's menu on a page costs less than losing its
//! article.
//!
//! The second cleaning runs only on suspect pages, so the guard costs a pass over the
//! lines of each page of a learned site.

use crate::document::{Body, Reason};
use crate::filters::{drop_elements, drop_site_repeats};
use crate::text::prose_words;

/// The share of a page's sentence-like text the learned rules may remove; above it, they
/// do not apply to the page.
pub(crate) const MAX_LEARNED_SHARE: f64 = 0.5;

/// A page the learned rules were not applied to, because they would have removed most of
/// its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LearnedHeld {
    /// Words of sentence-like text the page keeps without the learned rules.
    pub prose_words: usize,
    /// Of those, the words the page would have kept with them.
    pub kept_words: usize,
}

impl LearnedHeld {
    /// Words of the page's sentence-like text the learned rules would have removed.
    pub fn removed_words(&self) -> usize {
        self.prose_words.saturating_sub(self.kept_words)
    }

    /// The share of the page's sentence-like text the learned rules would have removed,
    /// from 0 to 1.
    pub fn share(&self) -> f64 {
        if self.prose_words == 0 {
            0.0
        } else {
            self.removed_words() as f64 / self.prose_words as f64
        }
    }

    /// The share in whole percent, rounded down (so that "100%" means all of it).
    pub fn percent(&self) -> u8 {
        (self.share() * 100.0).floor().clamp(0.0, 100.0) as u8
    }
}

impl std::fmt::Display for LearnedHeld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "learned rules not applied: they would have removed {}% of its sentence-like text",
            self.percent()
        )
    }
}

/// Whether a removal is a learned rule's.
pub(crate) fn is_learned(reason: &Reason) -> bool {
    reason.filter == drop_site_repeats::KIND.name
        || (reason.filter == drop_elements::KIND.name
            && &*reason.rule == drop_elements::LEARNED_RULE_ID)
}

/// Words of sentence-like text in the lines a body keeps (`<pre>` lines left out: code
/// and verse are not measured).
pub(crate) fn kept_prose(body: &Body) -> usize {
    body.iter()
        .enumerate()
        .filter(|&(i, (l, _))| l.dropped.is_none() && !body.preformatted(i))
        .map(|(_, (l, text))| prose_words(text, l.words as usize))
        .sum()
}

/// A page's state before its filters run, to tell whether the learned rules may have
/// taken its article and to clean it again without them.
#[derive(Debug)]
pub(crate) struct Before {
    /// Words of sentence-like text before the filters, with what learned element rules
    /// removed from an HTML page before rendering.
    prose: usize,
    /// Lines already dropped before the filters (an HTML page's title repeated from its
    /// header).
    dropped: Vec<usize>,
}

impl Before {
    /// The state of `body` before the filters; `removed_prose`: the words of sentence-like
    /// text in the elements learned rules removed before rendering.
    pub(crate) fn of(body: &Body, removed_prose: usize) -> Before {
        Before {
            prose: kept_prose(body) + removed_prose,
            dropped: (0..body.lines.len())
                .filter(|&i| body.lines[i].dropped.is_some())
                .collect(),
        }
    }

    /// Whether the page must be cleaned again without the learned rules to know whether
    /// they took its article: they removed something (lines from `after`, or elements
    /// when `removed_elements`), and `after` keeps at most half the page's prose. When
    /// not, they cannot have taken more than half of it.
    pub(crate) fn suspects(&self, after: &Body, removed_elements: bool) -> bool {
        let touched = removed_elements
            || after
                .lines
                .iter()
                .any(|l| l.dropped.as_ref().is_some_and(is_learned));
        touched && (kept_prose(after) as f64) <= self.prose as f64 * (1.0 - MAX_LEARNED_SHARE)
    }

    /// The body as it was before the filters ran over `after`.
    pub(crate) fn restore(&self, after: &Body) -> Body {
        let mut body = after.clone();
        let mut pre = self.dropped.iter().peekable();
        for (i, line) in body.lines.iter_mut().enumerate() {
            if pre.next_if_eq(&&i).is_none() {
                line.dropped = None;
            }
        }
        body
    }
}

/// The guard's verdict on a page cleaned `with` and `without` the learned rules: held
/// when they removed more than half of the sentence-like text kept without them.
pub(crate) fn verdict(with: &Body, without: &Body) -> Option<LearnedHeld> {
    let held = LearnedHeld {
        prose_words: kept_prose(without),
        kept_words: kept_prose(with),
    };
    (held.share() > MAX_LEARNED_SHARE).then_some(held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::reason;

    fn body(lines: &[&str]) -> Body {
        Body::new(
            lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        )
    }

    const STORY: [&str; 3] = [
        "The ferry will keep its winter timetable until the end of March, the board said.",
        "Residents had complained for months that the late boats were often cancelled.",
        "A new timetable will be published on Friday, with an earlier first sailing.",
    ];

    #[test]
    fn only_short_lines_are_not_prose() {
        let b = body(&[
            "Home",
            "News",
            "Serves 4",
            "1 tsp salt",
            "Share this recipe",
        ]);
        assert_eq!(kept_prose(&b), 0);
        assert!(kept_prose(&body(&STORY)) > 30);
    }

    #[test]
    fn learned_rules_taking_the_story_are_held() {
        let without = body(&STORY);
        let mut with = without.clone();
        let learned = reason("drop-site-repeats", "site-repeat");
        for i in 0..2 {
            with.drop_line(i, &learned);
        }
        let before = Before::of(&without, 0);
        assert!(before.suspects(&with, false));
        let held = verdict(&with, &without).unwrap_or_else(|| panic!("not held"));
        assert_eq!(held.prose_words, kept_prose(&without));
        assert!(held.percent() > 50 && held.percent() < 100, "{held}");
        // Restored, the body is what it was before the filters.
        assert_eq!(kept_prose(&before.restore(&with)), kept_prose(&without));
    }

    #[test]
    fn learned_rules_taking_a_menu_or_a_third_are_not_suspect() {
        let page = body(&["Home", "News", STORY[0], STORY[1], STORY[2]]);
        let before = Before::of(&page, 0);
        let learned = reason("drop-site-repeats", "site-repeat");
        let mut menu = page.clone();
        menu.drop_line(0, &learned);
        menu.drop_line(1, &learned);
        assert!(!before.suspects(&menu, false));
        let mut third = page.clone();
        third.drop_line(4, &learned);
        assert!(!before.suspects(&third, false));
        assert_eq!(verdict(&third, &page), None);
        // Another rule's removals are none of the guard's business.
        let mut other = page.clone();
        for i in 2..5 {
            other.drop_line(i, &reason("classify-blocks", "default"));
        }
        assert!(!before.suspects(&other, false));
    }

    #[test]
    fn an_element_removed_before_rendering_counts_as_the_pages_prose() {
        // The learned element held the story; the page renders to its own sentence alone.
        let rendered = body(&[STORY[2]]);
        let before = Before::of(&rendered, 40);
        assert!(before.suspects(&rendered, true));
        assert!(!before.suspects(&rendered, false));
    }

    #[test]
    fn the_learned_reasons_are_the_site_repeats_and_the_learned_selectors() {
        assert!(is_learned(&reason("drop-site-repeats", "mine")));
        assert!(is_learned(&reason(
            "drop-elements",
            drop_elements::LEARNED_RULE_ID
        )));
        assert!(!is_learned(&reason("drop-elements", "nav")));
        assert!(!is_learned(&reason("drop-lines", "site-repeat")));
    }

    #[test]
    fn the_title_dropped_before_the_filters_stays_dropped_when_restored() {
        let mut page = body(&["Ferry keeps winter timetable", STORY[0], STORY[1]]);
        page.drop_line(0, &reason("header", "title"));
        let before = Before::of(&page, 0);
        let mut after = page.clone();
        after.drop_line(1, &reason("drop-site-repeats", "site-repeat"));
        let restored = before.restore(&after);
        assert!(restored.lines[0].dropped.is_some());
        assert!(restored.lines[1].dropped.is_none());
    }
}
