//! The site (host) of a document, which selects its site rules.
//!
//! In order: a URL in the provenance header (`url:`, `source:`, `WARC-Target-URI:`…), then
//! the `--site HOST` the user gave, then the nearest parent directory named like a host
//! (`scrape/www.example.com/2025/page.txt`).

use std::path::Path;

/// The host of the first http(s) URL found in the header lines.
pub(crate) fn from_header(header: &[String]) -> Option<String> {
    header.iter().find_map(|line| {
        let start = line.find("http://").or_else(|| line.find("https://"))?;
        let candidate = line[start..].split_whitespace().next()?;
        let url = url::Url::parse(candidate.trim_end_matches(['"', '\'', ',', ')'])).ok()?;
        url.host_str().map(normalize_host)
    })
}

/// The nearest directory of `path` (below `root`) whose name looks like a host name.
pub(crate) fn from_path(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let dirs = rel.parent()?;
    dirs.components().rev().find_map(|c| {
        let name = c.as_os_str().to_str()?;
        looks_like_host(name).then(|| normalize_host(name))
    })
}

/// Lowercased, without a trailing dot.
pub(crate) fn normalize_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// `www.example.com`, `news.example.co.uk`: labels of letters, digits and hyphens, at least
/// two of them, the last one alphabetic (so `v1.2` or `2025.03` are not hosts).
pub(crate) fn looks_like_host(name: &str) -> bool {
    let labels: Vec<&str> = name.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_from_header_url() {
        let h = vec!["source: https://WWW.Example.com/a/b?c=1".to_string()];
        assert_eq!(from_header(&h).as_deref(), Some("www.example.com"));
        assert_eq!(from_header(&["date 2025-03-09".to_string()]), None);
    }

    #[test]
    fn host_from_directory() {
        let p = Path::new("scrape/www.example.com/2025/page.txt");
        assert_eq!(
            from_path(p, Path::new("scrape")).as_deref(),
            Some("www.example.com")
        );
        assert_eq!(
            from_path(Path::new("scrape/v1.2/page.txt"), Path::new("scrape")),
            None
        );
        assert_eq!(from_path(Path::new("example.com.txt"), Path::new("")), None);
    }
}
