//! The site (host) of a document, which selects its site rules.
//!
//! In order: a URL in the provenance header (`url:`, `source:`, `WARC-Target-URI:`…), then
//! the URL the caller knows the page by (a JSONL record's URL field), then the `--site HOST`
//! the user gave, or the nearest parent directory named like a host
//! (`scrape/www.example.com/2025/page.txt`).

use std::path::Path;

/// The host of the first http(s) URL found in the header lines.
pub(crate) fn from_header(header: &[String]) -> Option<String> {
    url_in_header(header).and_then(from_url)
}

/// The first http(s) URL with a host found in the header lines, as written there.
pub(crate) fn url_in_header(header: &[String]) -> Option<&str> {
    header.iter().find_map(|line| {
        let start = line.find("http://").or_else(|| line.find("https://"))?;
        let candidate = line[start..].split_whitespace().next()?;
        let candidate = candidate.trim_end_matches(['"', '\'', ',', ')']);
        from_url(candidate).map(|_| candidate)
    })
}

/// The host of a URL, normalised; `None` when it does not parse or has no host.
pub(crate) fn from_url(url: &str) -> Option<String> {
    let url = url::Url::parse(url.trim()).ok()?;
    url.host_str().map(normalize_host)
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
    fn url_in_header_is_the_first_url_with_a_host_as_written() {
        let h = vec![
            "date: 2025-03-09".to_string(),
            "source: \"https://Example.com/a?b=1\", fetched".to_string(),
            "url: https://other.example/".to_string(),
        ];
        assert_eq!(url_in_header(&h), Some("https://Example.com/a?b=1"));
        assert_eq!(url_in_header(&["url: http://".to_string()]), None);
        assert_eq!(
            from_url(" https://WWW.Example.com./x ").as_deref(),
            Some("www.example.com")
        );
        assert_eq!(from_url("not a url"), None);
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
