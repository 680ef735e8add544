//! The hashes declutr computes, all FNV-1a (64 bits), written once: the fast hasher of its
//! in-memory maps ([`FastHasher`], [`FastMap`]), and the keys site learning counts lines
//! and elements by ([`line_key`], [`text_key`], [`exact_hash`], [`mix`]).
//!
//! FNV-1a is stable across runs, versions and machines, so counts can be merged and a
//! learned file's checksum read back; and it is fast on short keys. The default SipHash
//! guards against hash flooding, which rule files and page words do not need.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// FNV-1a's 64-bit offset basis: the hash of nothing.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a's 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Folds bytes into an FNV-1a hash.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(hash, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// FNV-1a, a fast hash for the short keys of phrase and stop-word maps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl Default for FastHasher {
    fn default() -> Self {
        FastHasher(FNV_OFFSET)
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }
}

/// A map with the fast hasher used for short keys.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The key of a line: a hash of its folded text (lowercase, each run of digits as `0`,
/// punctuation and symbols removed, whitespace squeezed); `None` when no letter is left (a
/// list number or a year alone says nothing of the site).
pub(crate) fn line_key(line: &str) -> Option<u64> {
    text_key([line])
}

/// [`line_key`] of the text the parts make when joined (an element's text nodes).
pub(crate) fn text_key<'a>(parts: impl IntoIterator<Item = &'a str>) -> Option<u64> {
    let mut hash = FNV_OFFSET;
    let mut any = false;
    let mut pending_space = false;
    let mut in_digits = false;
    let mut letters = false;
    let feed = |hash: &mut u64, c: char| {
        let mut buf = [0u8; 4];
        *hash = fnv1a(*hash, c.encode_utf8(&mut buf).as_bytes());
    };
    for c in parts.into_iter().flat_map(str::chars) {
        if c.is_whitespace() {
            pending_space = any;
            in_digits = false;
            continue;
        }
        if !c.is_alphanumeric() {
            // Punctuation folds away, but still separates digit runs: "1.5" is "0 0".
            in_digits = false;
            continue;
        }
        if pending_space {
            feed(&mut hash, ' ');
            pending_space = false;
        }
        if c.is_numeric() {
            if !in_digits {
                feed(&mut hash, '0');
            }
            in_digits = true;
        } else {
            in_digits = false;
            letters = true;
            for l in c.to_lowercase() {
                feed(&mut hash, l);
            }
        }
        any = true;
    }
    (any && letters).then_some(hash)
}

/// Mixes a line key into a page fingerprint (order matters).
pub(crate) fn mix(hash: u64, key: u64) -> u64 {
    (hash ^ key).wrapping_mul(FNV_PRIME).rotate_left(17)
}

/// FNV-1a over the bytes of `text`.
pub(crate) fn exact_hash(text: &str) -> u64 {
    fnv1a(FNV_OFFSET, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher as _;

    #[test]
    fn values_are_those_of_fnv_1a() {
        // Published FNV-1a 64-bit test vectors: learned files and counts depend on them.
        assert_eq!(exact_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(exact_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(exact_hash("foobar"), 0x8594_4171_f739_67e8);
        let mut hasher = FastHasher::default();
        hasher.write(b"foobar");
        assert_eq!(hasher.finish(), exact_hash("foobar"));
    }

    #[test]
    fn keys_fold_case_digits_punctuation_and_spacing() {
        let same = [
            "© 2024 The Gazette. All rights reserved.",
            "© 2025 the gazette all rights reserved",
            "  ©   1999  THE GAZETTE -- ALL RIGHTS RESERVED!  ",
        ];
        let keys: Vec<_> = same.iter().map(|l| line_key(l)).collect();
        assert!(keys[0].is_some());
        assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        assert_ne!(line_key("Comments (14)"), line_key("Comment"));
        assert_eq!(line_key("Comments (14)"), line_key("COMMENTS (3)"));
        assert_ne!(line_key("1.5 million"), line_key("15 million"));
        assert_eq!(line_key("---"), None);
        assert_eq!(line_key("3."), None);
        assert_eq!(line_key("   "), None);
    }
}
