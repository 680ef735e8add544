//! A cheap first test for searched patterns: the words one of which every match of a
//! pattern holds ("photo", "image" or "picture" for `(?:^|\s)(?:photo|image|picture):`).
//! A line holding none of a pattern's words cannot match it, and its regex is not run.
//!
//! The regex engine finds such words itself when they open or close a pattern, but not
//! inside one after a class or an anchor (`(?:^|\s)`, `[.!?]\s*`), and not when the
//! case-insensitive forms of a word are too many to list. Caption patterns are of that
//! shape, and most lines of a page are no caption: there, one pass of an Aho-Corasick
//! automaton over the line, for every pattern's words at once, decides alone.
//!
//! The words are ASCII and found ignoring ASCII case. Two other characters match an
//! ASCII letter case-insensitively, the Kelvin sign (`k`) and the long s (`s`): a line
//! holding either goes to every regex.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};

/// The characters besides ASCII letters that match an ASCII letter case-insensitively.
const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Patterns searched in a line, each compiled alone, with the words their matches hold.
#[derive(Debug, Clone)]
pub(crate) struct Patterns {
    regexes: Vec<Regex>,
    /// Every pattern's words (`None` when no pattern has any).
    gate: Option<AhoCorasick>,
    /// For each word of `gate`, the patterns (by index) that hold it.
    word_patterns: Vec<Vec<usize>>,
    /// The patterns without words: the gate cannot rule them out.
    ungated: Vec<usize>,
}

impl Patterns {
    /// The patterns, each compiled case-insensitively from its source `(regex, pattern)`.
    pub(crate) fn new(compiled: Vec<(Regex, String)>) -> Patterns {
        let mut words: Vec<String> = Vec::new();
        let mut word_patterns: Vec<Vec<usize>> = Vec::new();
        let mut ungated = Vec::new();
        let mut regexes = Vec::with_capacity(compiled.len());
        for (k, (regex, pattern)) in compiled.into_iter().enumerate() {
            regexes.push(regex);
            match words_of(&pattern) {
                None => ungated.push(k),
                Some(own) => {
                    for w in own {
                        match words.iter().position(|x| *x == w) {
                            Some(at) => word_patterns[at].push(k),
                            None => {
                                words.push(w);
                                word_patterns.push(vec![k]);
                            }
                        }
                    }
                }
            }
        }
        let gate = (!words.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&words)
                    .ok()
            })
            .flatten();
        if gate.is_none() {
            ungated = (0..regexes.len()).collect();
            word_patterns.clear();
        }
        Patterns {
            regexes,
            gate,
            word_patterns,
            ungated,
        }
    }

    /// Whether one of the patterns is found in `line`. `seen` is scratch space.
    pub(crate) fn is_match(&self, line: &str, seen: &mut Vec<bool>) -> bool {
        let Some(gate) = &self.gate else {
            return self.regexes.iter().any(|re| re.is_match(line));
        };
        if !line.is_ascii() && line.contains(FOLDS_TO_ASCII) {
            return self.regexes.iter().any(|re| re.is_match(line));
        }
        seen.clear();
        seen.resize(self.regexes.len(), false);
        for &k in &self.ungated {
            seen[k] = true;
        }
        for m in gate.find_overlapping_iter(line) {
            for &k in &self.word_patterns[m.pattern().as_usize()] {
                seen[k] = true;
            }
        }
        self.regexes
            .iter()
            .zip(seen.iter())
            .any(|(re, &maybe)| maybe && re.is_match(line))
    }
}

/// The words (lowercase ASCII) one of which every match of `pattern`, parsed
/// case-insensitively, holds; `None` when none are known.
fn words_of(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .ok()?;
    required(&hir)
}

/// Literals (lowercase ASCII, none empty) one of which every match of `hir` holds on an
/// ASCII line, or `None` when none are known.
fn required(hir: &Hir) -> Option<Vec<String>> {
    if let Some(text) = fixed_text(hir) {
        return Some(vec![text]);
    }
    match hir.kind() {
        HirKind::Capture(cap) => required(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub),
        HirKind::Alternation(subs) => {
            let mut all = Vec::new();
            for sub in subs {
                all.extend(required(sub)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(subs) => {
            // Each part's own literals are required; so is each run of parts that match
            // one fixed text (up to case) one after the other. The best is the set whose
            // shortest literal is longest: the rarest to find.
            let mut candidates: Vec<Vec<String>> = Vec::new();
            let mut run = String::new();
            for sub in subs {
                match fixed_text(sub) {
                    Some(text) => run.push_str(&text),
                    None => {
                        if !run.is_empty() {
                            candidates.push(vec![std::mem::take(&mut run)]);
                        }
                        candidates.extend(required(sub));
                    }
                }
            }
            if !run.is_empty() {
                candidates.push(vec![run]);
            }
            candidates.into_iter().max_by_key(|set| {
                (
                    set.iter().map(String::len).min(),
                    std::cmp::Reverse(set.len()),
                )
            })
        }
        _ => None,
    }
}

/// The text `hir` matches, lowercase, when it matches one text only (up to ASCII case) on
/// an ASCII line.
fn fixed_text(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).ok()?;
            (s.is_ascii() && !s.is_empty()).then(|| s.to_ascii_lowercase())
        }
        HirKind::Class(class) => one_letter(class).map(String::from),
        HirKind::Capture(cap) => fixed_text(&cap.sub),
        HirKind::Concat(subs) => subs.iter().map(fixed_text).collect(),
        _ => None,
    }
}

/// The one ASCII character (lowercase) a class matches up to ASCII case, on a line
/// without the [`FOLDS_TO_ASCII`] characters: `[Pp]`, or `[Kk\u{212A}]`.
fn one_letter(class: &Class) -> Option<char> {
    let mut ascii = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                let (lo, hi) = (r.start(), r.end());
                if hi.is_ascii() && u32::from(hi) - u32::from(lo) <= 1 {
                    ascii.extend(lo..=hi);
                } else if !(lo == hi && FOLDS_TO_ASCII.contains(&lo)) {
                    return None;
                }
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                if !r.end().is_ascii() || r.end() - r.start() > 1 {
                    return None;
                }
                ascii.extend((r.start()..=r.end()).map(char::from));
            }
        }
    }
    let first = ascii.first()?.to_ascii_lowercase();
    ascii
        .iter()
        .all(|c| c.to_ascii_lowercase() == first)
        .then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(ps: &[&str]) -> (Patterns, Vec<Regex>) {
        let compiled: Vec<(Regex, String)> = ps
            .iter()
            .map(|p| {
                let re = regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .unwrap_or_else(|e| panic!("{p}: {e}"));
                (re, p.to_string())
            })
            .collect();
        let alone = compiled.iter().map(|(re, _)| re.clone()).collect();
        (Patterns::new(compiled), alone)
    }

    #[test]
    fn finds_the_words_inside_a_pattern() {
        assert_eq!(
            words_of(r"(?:^|[\s(])(?:photo|image|picture):\s*\w+"),
            Some(vec!["image".into(), "photo".into(), "picture".into()])
        );
        assert_eq!(
            words_of(r"[.!?]\s*courtesy(?: of)?\s+\S"),
            Some(vec!["courtesy".into()])
        );
        // Nothing is required of a line an optional part or a class can match.
        assert_eq!(words_of(r"(?:photo)?\s*$"), None);
        assert_eq!(words_of(r"[a-z]+"), None);
        assert_eq!(words_of(r"[aä]x"), Some(vec!["x".into()]));
    }

    const PATTERNS: [&str; 8] = [
        r"(?:^|[\s(])(?:photo|photograph|image|picture):\s*[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){0,4}\s*/\s*[A-Z][\w .\-]+\)?\s*$",
        r#"[.!?”"]\s*(?:photo|image|picture)s?(?:\s+credit)?\s*(?:by\s*)?:\s*[^.!?:]{1,80}[.)]?\s*$"#,
        r"[.!?]\s*courtesy(?: of)?\s+(?:the\s+)?[^.!?]{1,60}\.?\s*$",
        r"\s[-–—]\s*(?:photo|image|picture)\s*credit\s*:\s*[^.!?]{1,80}$",
        r"(?:^|\s)(?:via|for) (?:reuters|getty images|afp|ap)\)?\.?\s*$",
        r"(?-i:ABC)d|x{2,}",
        r"\bkelvin\b|[aä]q",
        r"^\W*$",
    ];

    const LINES: [&str; 15] = [
        "The harbour at dawn. Photo: Jane Doe",
        "The harbour at dawn. PHOTOS BY: Jane Doe.",
        "Crowds at the gate (Image: Ann Lee / Harbour Times)",
        "A mural in the 1930s. Courtesy of the city archive.",
        "The old mill – photo credit: Sam Hill",
        "Fans wait outside the ground via Reuters",
        "ABCd and xx",
        "abcd",
        "KELVIN",
        "\u{212A}elvin",
        "Die Mühle im Winter. Foto: Jörg Maier",
        "äq",
        "Nothing to see on this line at all.",
        "photo",
        "",
    ];

    #[test]
    fn never_rejects_a_line_a_pattern_matches() {
        let mut seen = Vec::new();
        for p in PATTERNS {
            let (one, alone) = patterns(&[p]);
            for line in LINES {
                assert_eq!(
                    one.is_match(line, &mut seen),
                    alone[0].is_match(line),
                    "{p} on {line:?}"
                );
            }
        }
        let (all, alone) = patterns(&PATTERNS);
        for line in LINES {
            assert_eq!(
                all.is_match(line, &mut seen),
                alone.iter().any(|re| re.is_match(line)),
                "{line:?}"
            );
        }
    }

    #[test]
    fn only_the_kelvin_sign_and_the_long_s_match_an_ascii_letter_besides_ascii() {
        let letter = regex::RegexBuilder::new("^[a-z]$")
            .case_insensitive(true)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let others: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| letter.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(others, [FOLDS_TO_ASCII[1], FOLDS_TO_ASCII[0]]);
    }
}
