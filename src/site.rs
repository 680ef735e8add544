//! The site (host) of a document, which selects its site rules.
//!
//! In order: a URL in the provenance header (`url:`, `source:`, `WARC-Target-URI:`…), then
//! the URL the caller knows the page by (a JSONL record's URL field), then the `--site HOST`
//! the user gave, or the nearest parent directory named like a host
//! (`scrape/www.example.com/2025/page.txt`).
//!
//! A site is a host name ([`parse_host`]): it names the site's rule file (`HOST.toml`), so
//! `--site` is checked as one, and a URL whose host is not one (`http://a*b/`,
//! `foo://../x`) names no site: the page falls back to the next source, as a page without
//! a URL does. Such a host could match no site file anyway.

use std::path::Path;

/// Why a `--site` value (or another would-be site) is not a host name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{}\" is not a host name: {why}", crate::escape::text(.value))]
pub struct HostError {
    /// The value, as given.
    pub value: String,
    /// What is wrong with it.
    pub why: &'static str,
}

/// The longest host name, in bytes (RFC 1035).
const MAX_HOST_BYTES: usize = 253;

/// The longest label of a host name, in bytes.
const MAX_LABEL_BYTES: usize = 63;

/// Checks that `value` is a host name, as `--site` must be, and returns it normalised as
/// sites are (an internationalised name in its ASCII form, lowercased, without a trailing
/// dot): a domain name of labels made of letters, digits, `-` and `_`; an IPv4 address;
/// or an IPv6 address in brackets. Paths (`../../x`, `/abs`, `a/b`), `..`, `*` and the
/// empty string are refused.
///
/// ```
/// use declutr::parse_host;
///
/// assert_eq!(parse_host("News.Example.").as_deref(), Ok("news.example"));
/// assert_eq!(parse_host("bücher.example").as_deref(), Ok("xn--bcher-kva.example"));
/// for bad in ["../../x", "/abs/path", "a/b", "..", "", "*", "a b"] {
///     assert!(parse_host(bad).is_err(), "{bad}");
/// }
/// ```
pub fn parse_host(value: &str) -> Result<String, HostError> {
    let err = |why| HostError {
        value: value.to_string(),
        why,
    };
    if value.is_empty() {
        return Err(err("it is empty"));
    }
    if value.contains(['/', '\\']) {
        return Err(err(
            "a host holds no `/` or `\\`: give the site's host, e.g. news.example",
        ));
    }
    let host = match url::Host::parse(value) {
        Ok(url::Host::Domain(d)) => normalize_host(&d),
        Ok(url::Host::Ipv4(a)) => return Ok(a.to_string()),
        Ok(url::Host::Ipv6(a)) => return Ok(format!("[{a}]")),
        Err(_) => return Err(err("it holds characters a host name cannot hold")),
    };
    check_domain(&host).map_err(err)?;
    Ok(host)
}

/// Why `host` (a domain name as the URL parser gives it, normalised) is not a host name:
/// too long, an empty or too long label, a label of other characters than letters,
/// digits, `-` and `_`.
fn check_domain(host: &str) -> Result<(), &'static str> {
    if host.len() > MAX_HOST_BYTES {
        return Err("it is longer than 253 bytes");
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err("it has an empty label (`..`, or a dot at the start)");
        }
        if label.len() > MAX_LABEL_BYTES {
            return Err("a label is longer than 63 bytes");
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err("a label holds a character other than a letter, a digit, `-` or `_`");
        }
    }
    Ok(())
}

/// The site of the first http(s) URL found in the header lines.
pub(crate) fn from_header(header: &[String]) -> Option<String> {
    url_in_header(header).and_then(from_url)
}

/// The first http(s) URL with a host found in the header lines, as written there.
pub(crate) fn url_in_header(header: &[String]) -> Option<&str> {
    header.iter().find_map(|line| {
        let start = line.find("http://").or_else(|| line.find("https://"))?;
        let candidate = line[start..].split_whitespace().next()?;
        let candidate = candidate.trim_end_matches(['"', '\'', ',', ')']);
        url_host(candidate).map(|_| candidate)
    })
}

/// The site of a URL: its host, normalised; `None` when it does not parse, has no host,
/// or its host is not a host name ([`parse_host`]).
pub(crate) fn from_url(url: &str) -> Option<String> {
    let url = url::Url::parse(url.trim()).ok()?;
    // The URL parser has made the host what `parse_host` would: only the labels are left
    // to check, not parsed again.
    let host = normalize_host(url.host_str()?);
    match url.host()? {
        url::Host::Domain(_) => check_domain(&host).ok().map(|()| host),
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => Some(host),
    }
}

/// The host of a URL, normalised, whatever it is.
fn url_host(url: &str) -> Option<String> {
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
    fn a_url_whose_host_is_no_host_name_names_no_site() {
        for url in [
            "http://a*b.example/",
            "foo://../x",
            "foo://a%2Fb/x",
            "http://../x",
        ] {
            assert_eq!(from_url(url), None, "{url}");
        }
        // The URL parses, with a host that is no host name.
        assert_eq!(
            url_host("http://a*b.example/").as_deref(),
            Some("a*b.example")
        );
        assert_eq!(url_host("foo://a%2Fb/x").as_deref(), Some("a%2fb"));
        assert_eq!(from_url("http://[::1]:8080/x").as_deref(), Some("[::1]"));
        assert_eq!(from_url("http://10.0.0.1/x").as_deref(), Some("10.0.0.1"));
        // The URL is still the page's URL.
        let h = vec!["url: http://a*b.example/x".to_string()];
        assert_eq!(url_in_header(&h), Some("http://a*b.example/x"));
        assert_eq!(from_header(&h), None);
    }

    #[test]
    fn site_values_are_host_names() {
        let good = [
            ("news.example", "news.example"),
            ("WWW.News.Example.", "www.news.example"),
            ("localhost", "localhost"),
            ("my_blog.example", "my_blog.example"),
            ("10.1.2.3", "10.1.2.3"),
            ("[::1]", "[::1]"),
        ];
        for (value, host) in good {
            assert_eq!(parse_host(value).as_deref(), Ok(host), "{value}");
        }
        for bad in [
            "../../x",
            "/abs/path",
            "a/b",
            "..",
            ".",
            "",
            "*",
            "*.example",
            "a..b",
            ".a",
            "a b",
            "a\nb",
            "a\\b",
            "x.example/..",
            "a:b",
        ] {
            assert!(parse_host(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}.example", "a".repeat(64));
        assert!(parse_host(&long).is_err());
        // Everything a host-named directory gives is a host name.
        assert!(looks_like_host("www.example.com") && parse_host("www.example.com").is_ok());
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
