//! The generated vocabulary and prose shared by the benchmarks: a deterministic LCG, word
//! lists, sentences and headlines. No data files: the same seed gives the same corpus.

#![allow(dead_code, reason = "each benchmark uses the part it needs")]

/// Knuth's MMIX linear congruential generator: deterministic and dependency-free.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() as usize) % (hi - lo + 1)
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub const FUNCTION_WORDS: &[&str] = &[
    "the", "the", "the", "of", "of", "and", "and", "to", "to", "in", "in", "a", "a", "that", "was",
    "for", "on", "with", "as", "it", "at", "by", "from", "which", "their", "had", "has", "been",
    "were", "would", "this", "they", "but", "not", "after", "before", "about", "into", "more",
    "than", "over", "its", "some", "where", "when", "there", "all", "also",
];

pub const NOUNS: &[&str] = &[
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

pub const VERBS: &[&str] = &[
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

pub const ADJECTIVES: &[&str] = &[
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

pub const NAMES: &[&str] = &[
    "Maren", "Tobiah", "Ilse", "Corwin", "Ysolde", "Anselm", "Petra", "Idris", "Wenna", "Lorcan",
];

pub const SURNAMES: &[&str] = &[
    "Halloran", "Vesey", "Trelawny", "Ashdown", "Penhale", "Quarrie", "Mottram", "Lisle",
];

pub const SECTIONS: &[&str] = &[
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

pub const WIDGETS: &[&str] = &[
    "Listen to this article",
    "Share",
    "Share on Facebook",
    "Copy link",
    "5 min read",
    "Advertisement",
    "Print",
    "Save article",
];

pub fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// One sentence of prose, 8-26 words, about half of them function words.
pub fn sentence(rng: &mut Lcg, out: &mut String) {
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
pub fn headline(rng: &mut Lcg) -> String {
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
