//! Rule files: loading, validation, merging, and the per-site pipelines they build.
//!
//! Sources, in order: the embedded `rules/default.toml` and `rules/sites/*.toml` (unless
//! `--no-default-rules`), then each `--rules DIR` (`DIR/*.toml` global, `DIR/sites/*.toml`
//! per site). Every file is parsed and every rule compiled up front; every problem of
//! every file is collected, and nothing is cleaned while there is one. A rule whose id
//! was seen before replaces the earlier rule; `disable = ["id"]` removes one.

pub(crate) mod explain;
mod thresholds;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use serde_spanned::Spanned;

use crate::diag::Diag;
pub use crate::diag::{RuleError, RuleErrors};
use crate::filters::{self, Compiled, Pipeline};
use crate::header::{self, HeaderRules};
use crate::spec;
pub(crate) use thresholds::Thresholds;
use thresholds::ThresholdsSpec;

/// The embedded default rules.
pub(crate) const DEFAULT_RULES: &str = include_str!("../../rules/default.toml");

/// The embedded site files, by file name.
pub(crate) const SITE_RULES: &[(&str, &str)] =
    &include!(concat!(env!("OUT_DIR"), "/embedded_sites.rs"));

/// The largest rule file read, in bytes (1 MiB): a thousand times the size of the default
/// rules. Every pattern of a file is compiled, and the patterns of a kind into one set, so
/// the cost of loading grows with the file: a larger file is refused before it is parsed.
pub(crate) const MAX_RULE_FILE_BYTES: u64 = 1 << 20;

/// The message for a rule file of `size` bytes, over [`MAX_RULE_FILE_BYTES`].
fn too_large(size: u64) -> String {
    format!(
        "rule file of {size} bytes is over the limit of {MAX_RULE_FILE_BYTES} bytes (1 MiB); \
split it into several files"
    )
}

/// Whether a rule file applies to every page or to the pages of some sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Applies to every document.
    Global,
    /// Applies to documents whose host matches the file's `[site] hosts`, or by default
    /// the host the file is named after (`example.com.toml`).
    Site {
        /// The host taken from the file name.
        default_host: String,
    },
}

/// One rule file's text and where it came from.
#[derive(Debug, Clone)]
pub struct RuleSource {
    /// The name used in messages: the path as given, or `<embedded>/…`.
    pub name: String,
    /// The TOML text.
    pub text: String,
    /// Global or per site.
    pub scope: Scope,
}

impl RuleSource {
    /// The embedded rules: `default.toml` and the site files.
    pub fn embedded() -> Vec<RuleSource> {
        let mut out = vec![RuleSource {
            name: "<embedded>/rules/default.toml".into(),
            text: DEFAULT_RULES.into(),
            scope: Scope::Global,
        }];
        for (name, text) in SITE_RULES {
            out.push(RuleSource {
                name: format!("<embedded>/rules/sites/{name}"),
                text: (*text).into(),
                scope: Scope::Site {
                    default_host: host_from_file_name(name),
                },
            });
        }
        out
    }

    /// The rule files of a directory: `DIR/*.toml` are global, `DIR/sites/*.toml` per site.
    /// A path to a single `.toml` file is read as one global file.
    pub fn from_path(path: &Path) -> Result<Vec<RuleSource>, RuleErrors> {
        let io_error = |p: &Path, e: std::io::Error| RuleErrors {
            errors: vec![RuleError {
                file: crate::escape::path(p).to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read rules: {e}"),
                source_line: String::new(),
                width: 0,
            }],
        };
        let read = |p: &Path, scope: Scope| -> Result<RuleSource, RuleErrors> {
            // Never more than the limit is read: a larger file is refused unparsed.
            let mut bytes = Vec::new();
            std::fs::File::open(p)
                .and_then(|f| {
                    std::io::Read::read_to_end(
                        &mut std::io::Read::take(f, MAX_RULE_FILE_BYTES + 1),
                        &mut bytes,
                    )
                })
                .map_err(|e| io_error(p, e))?;
            if bytes.len() as u64 > MAX_RULE_FILE_BYTES {
                let size = std::fs::metadata(p).map_or(bytes.len() as u64, |m| m.len());
                let mut e = io_error(p, std::io::Error::other(""));
                e.errors[0].message = too_large(size);
                return Err(e);
            }
            let text = String::from_utf8(bytes).map_err(|_| {
                io_error(
                    p,
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "stream did not contain valid UTF-8",
                    ),
                )
            })?;
            Ok(RuleSource {
                name: crate::escape::path(p).to_string(),
                text,
                scope,
            })
        };
        if path.is_file() {
            return Ok(vec![read(path, Scope::Global)?]);
        }
        let list = |dir: &Path| -> Result<Vec<std::path::PathBuf>, RuleErrors> {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| io_error(dir, e))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            Ok(files)
        };
        let mut out = Vec::new();
        for p in list(path)? {
            out.push(read(&p, Scope::Global)?);
        }
        let sites = path.join("sites");
        if sites.is_dir() {
            for p in list(&sites)? {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.push(read(
                    &p,
                    Scope::Site {
                        default_host: host_from_file_name(&name),
                    },
                )?);
            }
        }
        Ok(out)
    }
}

impl RuleSource {
    /// When the rules at `path` (as given to [`RuleSource::from_path`]) last changed: the
    /// newest modification time of the file, or of the directory, its `*.toml` files, its
    /// `sites/` directory and the files there (a directory's own time changes when a file
    /// is added or removed). `None` when a time cannot be read.
    pub fn last_modified(path: &Path) -> Option<std::time::SystemTime> {
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let mut newest = modified(path)?;
        if !path.is_dir() {
            return Some(newest);
        }
        for dir in [path.to_path_buf(), path.join("sites")] {
            if !dir.is_dir() {
                continue;
            }
            newest = newest.max(modified(&dir)?);
            for entry in std::fs::read_dir(&dir).ok()? {
                let p = entry.ok()?.path();
                if p.extension().is_some_and(|x| x == "toml") {
                    newest = newest.max(modified(&p)?);
                }
            }
        }
        Some(newest)
    }
}

fn host_from_file_name(name: &str) -> String {
    name.strip_suffix(".toml")
        .unwrap_or(name)
        .to_ascii_lowercase()
}

/// The `[site]` table of a site file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SiteSpec {
    /// Hosts the file applies to; `example.com` also matches `www.example.com`, and a
    /// leading dot (`.example.com`) matches every subdomain and the domain itself.
    hosts: Vec<Spanned<String>>,
}

/// A `[[test]]` table: a rule-file test case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TestSpec {
    /// A name for the case, shown when it fails.
    #[serde(default)]
    name: Option<String>,
    /// The input text (a whole scrape, header included if wanted).
    input: String,
    /// Lines that must be in the output (compared after trimming).
    #[serde(default)]
    keep: Vec<String>,
    /// Lines that must not be in the output.
    #[serde(default)]
    drop: Vec<String>,
}

/// A test case from a rule file.
#[derive(Debug, Clone)]
pub struct RuleTest {
    /// `file:line` of the `[[test]]` table.
    pub location: String,
    /// Its name, or its location.
    pub name: String,
    /// The site the test runs as (the site file's first host), if it came from a site file.
    pub site: Option<String>,
    /// The input text.
    pub input: String,
    /// Lines that must be kept.
    pub keep: Vec<String>,
    /// Lines that must be dropped.
    pub drop: Vec<String>,
}

/// One loaded rule file, before merging.
struct ParsedFile {
    hosts: Vec<String>,
    disable: Vec<Spanned<String>>,
    header_options: Option<header::OptionsSpec>,
    learn: Option<ThresholdsSpec>,
    header_lines: Vec<(String, regex::Regex)>,
    rules: Vec<Compiled>,
}

/// Checks the `id` of a raw rule table (its form, and that the file has no other rule
/// with it); a missing id is left to the decoder, which names the field.
fn check_raw_id(
    table: &toml_edit::Table,
    check_dup: &mut impl FnMut(&str, Option<std::ops::Range<usize>>, &mut Diag) -> bool,
    diag: &mut Diag,
) -> bool {
    let Some(item) = table.get("id") else {
        return true;
    };
    let Some(id) = item.as_str() else { return true };
    let spanned = Spanned::new(item.span().unwrap_or(0..0), id.to_string());
    spec::check_id(&spanned, diag) && check_dup(id, item.span(), diag)
}

const KNOWN_TOP_KEYS: &[&str] = &["site", "disable", "header", "learn", "header-line", "test"];

fn parse_file(src: &RuleSource, tests: &mut Vec<RuleTest>, diag: &mut Diag) -> Option<ParsedFile> {
    if src.text.len() as u64 > MAX_RULE_FILE_BYTES {
        diag.error(None, too_large(src.text.len() as u64));
        return None;
    }
    let doc = match toml_edit::ImDocument::parse(src.text.as_str()) {
        Ok(doc) => doc,
        Err(e) => {
            let msg = e.message().trim().replace('`', "'");
            diag.error(e.span(), format!("invalid TOML: {msg}"));
            return None;
        }
    };
    let mut file = ParsedFile {
        hosts: Vec::new(),
        disable: Vec::new(),
        header_options: None,
        learn: None,
        header_lines: Vec::new(),
        rules: Vec::new(),
    };
    let mut ids: HashSet<String> = HashSet::new();
    let mut check_dup = |id: &str, span: Option<std::ops::Range<usize>>, diag: &mut Diag| {
        let new = ids.insert(id.to_string());
        if !new {
            diag.error(span, format!("duplicate rule id {id:?} in this file"));
        }
        new
    };
    let site_host = match &src.scope {
        Scope::Site { default_host } => Some(default_host.clone()),
        Scope::Global => None,
    };
    for (key, item) in doc.iter() {
        let key_span = doc.key(key).and_then(|k| k.span());
        match key {
            "site" => {
                let Some(table) = item.as_table() else {
                    diag.error(key_span, "'site' must be a table: [site]");
                    continue;
                };
                if site_host.is_none() {
                    diag.error(
                        key_span,
                        "[site] belongs in a site file (under a sites/ directory)",
                    );
                }
                if let Some(spec) = spec::decode::<SiteSpec>(table, diag) {
                    for h in spec.hosts {
                        match host_pattern(h.get_ref()) {
                            Some(pattern) => file.hosts.push(pattern),
                            None => diag.error(
                                Some(h.span()),
                                format!("{:?} is not a host name: {HOST_HINT}", h.get_ref()),
                            ),
                        }
                    }
                }
            }
            "disable" => match item.as_array() {
                Some(arr) => {
                    for v in arr.iter() {
                        match v.as_str() {
                            Some(s) => file
                                .disable
                                .push(Spanned::new(v.span().unwrap_or(0..0), s.to_string())),
                            None => diag.error(v.span(), "disable takes rule ids as strings"),
                        }
                    }
                }
                None => diag.error(
                    key_span,
                    "disable must be an array of rule ids: disable = [\"id\"]",
                ),
            },
            "header" => {
                let Some(table) = item.as_table() else {
                    diag.error(key_span, "'header' must be a table: [header]");
                    continue;
                };
                if site_host.is_some() {
                    diag.error(
                        key_span,
                        "header options are global: a site is known only after the header is read",
                    );
                }
                file.header_options = spec::decode(table, diag);
            }
            "learn" => {
                let Some(table) = item.as_table() else {
                    diag.error(key_span, "'learn' must be a table: [learn]");
                    continue;
                };
                if site_host.is_some() {
                    diag.error(
                        key_span,
                        "learn thresholds are global: sites are grouped before their rules apply",
                    );
                }
                file.learn = spec::decode(table, diag);
            }
            key if key == "header-line"
                || key == "test"
                || filters::kind(key).is_some_and(|k| k.configurable) =>
            {
                let Some(tables) = item.as_array_of_tables() else {
                    diag.error(
                        key_span,
                        format!("'{key}' must be an array of tables: [[{key}]]"),
                    );
                    continue;
                };
                for table in tables.iter() {
                    match key {
                        "header-line" => {
                            if site_host.is_some() {
                                diag.error(table.span(), "header-line rules are global: a site is known only after the header is read");
                            }
                            check_raw_id(table, &mut check_dup, diag);
                            if let Some(spec) = spec::decode::<header::LineSpec>(table, diag) {
                                if let Some(line) = HeaderRules::compile_line(spec, diag) {
                                    file.header_lines.push(line);
                                }
                            }
                        }
                        "test" => {
                            if let Some(t) = spec::decode::<TestSpec>(table, diag) {
                                let line = table.span().map_or(1, |s| {
                                    src.text[..s.start.min(src.text.len())]
                                        .matches('\n')
                                        .count()
                                        + 1
                                });
                                let location = format!("{}:{line}", src.name);
                                tests.push(RuleTest {
                                    name: t.name.unwrap_or_else(|| location.clone()),
                                    location,
                                    site: None,
                                    input: t.input,
                                    keep: t.keep,
                                    drop: t.drop,
                                });
                            }
                        }
                        kind => {
                            // The id is checked on the raw table, so a bad or duplicate id
                            // is reported even when the rest of the table is wrong too.
                            let id_ok = check_raw_id(table, &mut check_dup, diag);
                            let rule = filters::compile(kind, table, diag);
                            if let Some(rule) = rule.filter(|_| id_ok) {
                                file.rules.push(rule);
                            }
                        }
                    }
                }
            }
            other => {
                let kinds: Vec<&str> = filters::KINDS
                    .iter()
                    .filter(|k| k.configurable)
                    .map(|k| k.name)
                    .collect();
                diag.error(
                    key_span,
                    format!(
                        "unknown key {other:?}; expected one of {}, {}",
                        KNOWN_TOP_KEYS.join(", "),
                        kinds.join(", ")
                    ),
                );
            }
        }
    }
    if let Some(host) = site_host {
        if file.hosts.is_empty() {
            // No `[site] hosts`: the file applies to the host it is named after.
            match host_pattern(&host) {
                Some(pattern) => file.hosts.push(pattern),
                None => diag.error(
                    None,
                    format!(
                        "the file is named after {host:?}, which is not a host name: name it \
                         after its host (example.com.toml), or list its hosts in [site] \
                         hosts = [...]; {HOST_HINT}"
                    ),
                ),
            }
        }
    }
    Some(file)
}

/// How hosts are written in site files, for the error on one that is not a host name.
const HOST_HINT: &str = "write a host such as \"example.com\" (which also matches \
    www.example.com), or \".example.com\" for the domain and every subdomain; \
    there are no wildcards";

/// A site file's host as it is matched ([`Rules::site_index`]): `example.com` (lowercase,
/// an international name in its ASCII form, as URLs give hosts), `.example.com` for the
/// domain and its subdomains, or an IP address. `None` for anything else (`*`, a URL, a
/// path), which would match no page.
fn host_pattern(written: &str) -> Option<String> {
    let written = written.trim();
    let (dot, name) = match written.strip_prefix('.') {
        Some(rest) => (".", rest),
        None => ("", written),
    };
    let host = crate::site::parse_host(name).ok()?;
    // An address has no subdomains: `.` goes before a domain name only.
    let is_address = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    (dot.is_empty() || !is_address).then(|| format!("{dot}{host}"))
}

/// The rules of one site file, merged onto the global rules.
#[derive(Debug, Clone)]
struct SiteRules {
    /// The hosts as the file's `[site]` table (or name) gave them.
    hosts: Vec<String>,
    /// The global rules with the site files' rules merged in, in order.
    list: Vec<Compiled>,
    pipeline: Pipeline,
}

/// Loaded, validated and compiled rules: the global pipeline, one per site, the header
/// recognisers and the rule-file tests.
///
/// Every rule is compiled once. A site's pipeline shares the global rules and what was
/// built over them (`Pipeline::on`); only the site's own rules are added, so that a
/// batch that learned thousands of sites holds the global rules once.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    header: HeaderRules,
    learn: Thresholds,
    global: Pipeline,
    global_list: Vec<Compiled>,
    sites: Vec<SiteRules>,
    exact_hosts: HashMap<String, usize>,
    domain_hosts: HashMap<String, usize>,
    tests: Vec<RuleTest>,
    files: usize,
    /// Every rule id some loaded file defines.
    known: HashSet<String>,
}

/// Parses and compiles every source; the files that parsed, the ids they define, their
/// tests and every problem found.
fn parse_sources<'s>(
    sources: &'s [RuleSource],
    errors: &mut Vec<RuleError>,
    tests: &mut Vec<RuleTest>,
    known: &mut HashSet<String>,
) -> Vec<(&'s RuleSource, ParsedFile)> {
    sources
        .iter()
        .filter_map(|src| Some((src, parse_source(src, errors, tests, known)?)))
        .collect()
}

/// Parses and compiles one source, adding its problems, its tests and its rule ids.
fn parse_source(
    src: &RuleSource,
    errors: &mut Vec<RuleError>,
    tests: &mut Vec<RuleTest>,
    known: &mut HashSet<String>,
) -> Option<ParsedFile> {
    let mut diag = Diag::new(&src.name, &src.text);
    let mut file_tests = Vec::new();
    let file = parse_file(src, &mut file_tests, &mut diag);
    errors.extend(diag.errors);
    let file = file?;
    let site = (src.scope != Scope::Global)
        .then(|| file.hosts.first().cloned())
        .flatten();
    for mut t in file_tests {
        t.site = site.as_ref().map(|h| h.trim_start_matches('.').to_string());
        tests.push(t);
    }
    known.extend(
        file.rules
            .iter()
            .map(|r| r.id().to_string())
            .chain(file.header_lines.iter().map(|(i, _)| i.clone())),
    );
    Some(file)
}

/// Reports each id of `file`'s `disable` that no loaded file defines.
fn check_disables(file: &ParsedFile, known: &HashSet<String>, diag: &mut Diag) {
    for d in &file.disable {
        if !known.contains(d.get_ref()) {
            diag.error(
                Some(d.span()),
                format!("disable names unknown rule id {:?}", d.get_ref()),
            );
        }
    }
}

impl Rules {
    /// Loads, validates and compiles `sources` in order. Every problem of every file is
    /// returned at once.
    pub fn load(sources: &[RuleSource]) -> Result<Rules, RuleErrors> {
        let mut errors = Vec::new();
        let mut tests = Vec::new();
        // Every id any file defines, so `disable` can say when it names nothing.
        let mut known = HashSet::new();
        let parsed = parse_sources(sources, &mut errors, &mut tests, &mut known);

        let mut header = HeaderRules::default();
        let mut learn = Thresholds::default();
        let mut global: Vec<Compiled> = Vec::new();
        let mut site_files = Vec::new();
        for (src, file) in parsed {
            let mut diag = Diag::new(&src.name, &src.text);
            check_disables(&file, &known, &mut diag);
            if src.scope == Scope::Global {
                if let Some(opts) = file.header_options {
                    header.set_options(opts, &mut diag);
                }
                if let Some(spec) = file.learn {
                    learn.set(spec, &mut diag);
                }
                for d in &file.disable {
                    header.disable(d.get_ref());
                    global.retain(|r| r.id() != d.get_ref());
                }
                for (id, re) in file.header_lines {
                    header.add_line(id, re);
                }
                merge(&mut global, file.rules);
            } else {
                site_files.push(file);
            }
            errors.extend(diag.errors);
        }
        if !errors.is_empty() {
            return Err(RuleErrors { errors });
        }

        let mut rules = Rules {
            header,
            learn,
            global: Pipeline::new(&global),
            global_list: global,
            tests,
            files: sources.len(),
            known,
            ..Rules::default()
        };
        rules.add_site_files(site_files);
        Ok(rules)
    }

    /// These rules with more site files loaded after them (the files a batch learned):
    /// the same rules as [`Rules::load`] of all the sources gives, but only the new files
    /// are parsed and compiled, and the global rules are shared, not built again. Each
    /// source is dropped once compiled. Every problem of every new file is returned at
    /// once; a global file among them is one (global rules change every site's: load them
    /// with the others).
    pub fn with_site_files(
        &self,
        sources: impl IntoIterator<Item = RuleSource>,
    ) -> Result<Rules, RuleErrors> {
        let mut errors = Vec::new();
        let mut tests = Vec::new();
        let mut known = self.known.clone();
        let mut site_files = Vec::new();
        // The files with a `disable`, checked once every file's ids are known.
        let mut disabling = Vec::new();
        let mut files = 0;
        for src in sources {
            files += 1;
            let Some(file) = parse_source(&src, &mut errors, &mut tests, &mut known) else {
                continue;
            };
            if src.scope == Scope::Global {
                let mut diag = Diag::new(&src.name, &src.text);
                diag.error(
                    None,
                    "global rules cannot be added to loaded rules: load them with the others",
                );
                errors.extend(diag.errors);
            }
            if !file.disable.is_empty() {
                disabling.push((src, site_files.len()));
            }
            site_files.push(file);
        }
        for (src, i) in disabling {
            let mut diag = Diag::new(&src.name, &src.text);
            check_disables(&site_files[i], &known, &mut diag);
            errors.extend(diag.errors);
        }
        if !errors.is_empty() {
            return Err(RuleErrors { errors });
        }
        let mut rules = self.clone();
        rules.tests.extend(tests);
        rules.files += files;
        rules.known = known;
        rules.add_site_files(site_files);
        Ok(rules)
    }

    /// Merges site files, in order, onto the global rules: files naming the same hosts as
    /// a site already loaded merge onto its rules, the others start from the global rules.
    /// Each changed site's pipeline is built on the one it had (or the global one).
    fn add_site_files(&mut self, files: Vec<ParsedFile>) {
        let mut slots: HashMap<Vec<String>, usize> = self
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.hosts.clone(), i))
            .collect();
        let existing = self.sites.len();
        let mut changed = Vec::new();
        for file in files {
            let slot = *slots.entry(file.hosts.clone()).or_insert_with(|| {
                self.sites.push(SiteRules {
                    hosts: file.hosts.clone(),
                    list: self.global_list.clone(),
                    pipeline: self.global.clone(),
                });
                self.sites.len() - 1
            });
            let list = &mut self.sites[slot].list;
            for d in &file.disable {
                list.retain(|r| r.id() != d.get_ref());
            }
            merge(list, file.rules);
            changed.push(slot);
        }
        changed.sort_unstable();
        changed.dedup();
        for i in changed {
            let site = &mut self.sites[i];
            site.pipeline = Pipeline::on(&site.pipeline, &site.list);
        }
        for (index, site) in self.sites.iter().enumerate().skip(existing) {
            for h in &site.hosts {
                match h.strip_prefix('.') {
                    Some(domain) => self.domain_hosts.insert(domain.to_string(), index),
                    None => {
                        let apex = h.strip_prefix("www.").unwrap_or(h).to_string();
                        self.exact_hosts.insert(format!("www.{apex}"), index);
                        self.exact_hosts.insert(apex, index)
                    }
                };
            }
        }
    }

    /// The embedded default rules alone.
    pub fn embedded() -> Result<Rules, RuleErrors> {
        Rules::load(&RuleSource::embedded())
    }

    /// The pipeline for a document of `host` (the global one when no site file matches).
    pub(crate) fn pipeline(&self, host: Option<&str>) -> &Pipeline {
        match host.and_then(|h| self.site_index(h)) {
            Some(i) => &self.sites[i].pipeline,
            None => &self.global,
        }
    }

    fn site_index(&self, host: &str) -> Option<usize> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if let Some(&i) = self.exact_hosts.get(&host) {
            return Some(i);
        }
        let mut rest = host.as_str();
        loop {
            if let Some(&i) = self.domain_hosts.get(rest) {
                return Some(i);
            }
            rest = rest.split_once('.')?.1;
        }
    }

    /// The hosts a site file for `host` should name so that it merges with the site file
    /// already loaded for it: that file's hosts, else `host` alone.
    pub(crate) fn site_hosts(&self, host: &str) -> Vec<String> {
        match self.site_index(host) {
            Some(i) => self.sites[i].hosts.clone(),
            None => vec![host.to_string()],
        }
    }

    /// The `[learn]` thresholds of the global rules.
    pub(crate) fn learn_thresholds(&self) -> Thresholds {
        self.learn
    }

    /// The header recognisers.
    pub(crate) fn header(&self) -> &HeaderRules {
        &self.header
    }

    /// The `[[test]]` cases of every loaded file.
    pub fn tests(&self) -> &[RuleTest] {
        &self.tests
    }

    /// Number of files loaded.
    pub fn file_count(&self) -> usize {
        self.files
    }

    /// Number of site pipelines (distinct host sets with a site file).
    pub fn site_count(&self) -> usize {
        self.sites.len()
    }

    /// The global rules' ids and kinds, in pipeline order within each kind, header
    /// recognisers first.
    pub fn global_rule_ids(&self) -> Vec<(String, &'static str)> {
        self.header
            .ids()
            .map(|i| (i.to_string(), "header-line"))
            .chain(
                self.global_list
                    .iter()
                    .map(|r| (r.id().to_string(), r.kind())),
            )
            .collect()
    }
}

/// Adds `new` rules to `list`, a rule replacing an earlier one with the same id in place.
fn merge(list: &mut Vec<Compiled>, new: Vec<Compiled>) {
    for rule in new {
        match list.iter_mut().find(|r| r.id() == rule.id()) {
            Some(slot) => *slot = rule,
            None => list.push(rule),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn global(text: &str) -> RuleSource {
        RuleSource {
            name: "user.toml".into(),
            text: text.into(),
            scope: Scope::Global,
        }
    }

    #[test]
    fn embedded_rules_load() {
        let rules = Rules::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert!(rules.global_rule_ids().len() > 5);
    }

    #[test]
    fn reports_every_problem_with_line_and_column() {
        let text = "[[drop-lines]]\nid = \"a\"\npatterns = ['(unclosed']\n\n[[drop-lines]]\nid = \"b\"\nphrase = [\"typo\"]\n\n[[bogus]]\nid = \"c\"\n";
        let err = Rules::load(&[global(text)]).err().unwrap_or_default();
        let at: Vec<(usize, usize)> = err.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(3, 13), (7, 1), (9, 3)], "{err}");
        assert!(err.errors[0].message.contains("\"(unclosed\""), "{err}");
        assert!(err.errors[1].message.contains("phrase"), "{err}");
    }

    #[test]
    fn html_header_fields_and_format_come_from_the_rule_file() {
        let text =
            "[header]\nhtml-fields = [\"date\", \"url\"]\nhtml-format = \"# {key}={value}\"\n";
        let rules = Rules::load(&[global(text)]).unwrap_or_else(|e| panic!("{e}"));
        let lines = rules.header().html_header(|k| match k {
            "url" => Some("https://ex.com/a"),
            "title" => Some("Not asked for"),
            _ => None,
        });
        assert_eq!(lines, ["# url=https://ex.com/a"]);

        let bad = "[header]\nhtml-fields = [\"url\", \"headline\"]\nhtml-format = \"{key}\"\n";
        let err = Rules::load(&[global(bad)]).err().unwrap_or_default();
        let at: Vec<(usize, usize)> = err.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(2, 23), (3, 15)], "{err}");
        assert!(err.errors[0].message.contains("headline"), "{err}");
    }

    #[test]
    fn a_bad_id_is_reported_even_when_its_table_has_other_problems() {
        let text = "[[drop-lines]]\nid = \"a\"\nphrases = [\"x\"]\n\n[[drop-lines]]\nid = \"Bad Id\"\nphrase = [\"y\"]\n\n[[cut-at-marker]]\nid = \"a\"\nphrases = [\"z\"]\nmax-words = 0\n";
        let err = Rules::load(&[global(text)]).err().unwrap_or_default();
        let found: Vec<(usize, &str)> = err
            .errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(err.errors.len(), 4, "{err}");
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == 6 && m.contains("kebab-case")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == 7 && m.contains("unknown field 'phrase'")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == 10 && m.contains("duplicate rule id")),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(l, m)| *l == 12 && m.contains("max-words = 0")),
            "{found:?}"
        );
    }

    #[test]
    fn bad_css_selectors_are_reported_where_they_stand() {
        let text = "[[drop-elements]]\nid = \"x\"\nselectors = [\"nav\", \"\", \"p >\"]\n";
        let err = Rules::load(&[global(text)]).err().unwrap_or_default();
        let at: Vec<(usize, usize)> = err.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(3, 21), (3, 25)], "{err}");
        assert!(err.errors[0].message.contains("empty selector"), "{err}");
        assert!(
            err.errors[1]
                .message
                .contains("invalid CSS selector \"p >\""),
            "{err}"
        );
    }

    #[test]
    fn oversized_regexes_are_each_reported_where_they_stand() {
        // Matching is linear in the input whatever the pattern (no backtracking, so
        // `(a*)*b` is harmless); a pattern whose automaton would be huge is refused.
        let text = "[[drop-lines]]\nid = \"huge\"\npatterns = [\"^(\\\\w+\\\\s*){500}$\", \"(a*)*b\", \"x{1000}{1000}\"]\n";
        let err = Rules::load(&[global(text)]).err().unwrap_or_default();
        let at: Vec<(usize, usize)> = err.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(3, 13), (3, 44)], "{err}");
        assert!(err.errors[0].message.contains("is too large"), "{err}");
    }

    #[test]
    fn duplicate_ids_and_unknown_disables_are_errors() {
        let text = "disable = [\"nope\"]\n[[drop-lines]]\nid = \"a\"\nphrases = [\"x\"]\n[[drop-repeats]]\nid = \"a\"\n";
        let err = Rules::load(&[global(text)]).err().unwrap_or_default();
        let msgs: Vec<&str> = err.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(err.errors.len(), 2, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("duplicate rule id \"a\"")));
        assert!(msgs.iter().any(|m| m.contains("unknown rule id \"nope\"")));
    }

    #[test]
    fn hosts_are_host_names_or_dotted_domains() {
        let cases = [
            ("example.com", Some("example.com")),
            (" Example.COM. ", Some("example.com")),
            (".news.test", Some(".news.test")),
            ("localhost", Some("localhost")),
            ("bücher.example", Some("xn--bcher-kva.example")),
            ("192.0.2.7", Some("192.0.2.7")),
            ("*", None),
            ("*.example.com", None),
            (".", None),
            ("", None),
            ("example.com/news", None),
            ("https://example.com", None),
            ("exa mple.com", None),
            ("a..b", None),
            (".192.0.2.7", None),
        ];
        for (written, expected) in cases {
            assert_eq!(host_pattern(written).as_deref(), expected, "{written:?}");
        }
    }

    #[test]
    fn a_host_or_site_file_name_that_matches_nothing_is_an_error() {
        let site = |name: &str, text: &str| RuleSource {
            name: format!("sites/{name}"),
            text: text.into(),
            scope: Scope::Site {
                default_host: host_from_file_name(name),
            },
        };
        let err = Rules::load(&[site("x.toml", "[site]\nhosts = [\"ok.example\", \"*\"]\n")])
            .err()
            .unwrap_or_default();
        let at: Vec<(usize, usize)> = err.errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at, [(2, 24)], "{err}");
        assert!(
            err.errors[0]
                .message
                .starts_with("\"*\" is not a host name: "),
            "{err}"
        );
        assert!(err.errors[0].message.contains("\".example.com\""), "{err}");

        let err = Rules::load(&[site("*.toml", "disable = []\n")])
            .err()
            .unwrap_or_default();
        assert_eq!(err.errors.len(), 1, "{err}");
        assert_eq!((err.errors[0].line, err.errors[0].column), (1, 1));
        assert!(
            err.errors[0]
                .message
                .starts_with("the file is named after \"*\", which is not a host name"),
            "{err}"
        );
        // The file's name does not matter when [site] names its hosts.
        assert!(Rules::load(&[site("*.toml", "[site]\nhosts = [\"a.example\"]\n")]).is_ok());
    }

    fn site(host: &str, text: &str) -> RuleSource {
        RuleSource {
            name: format!("sites/{host}.toml"),
            text: text.into(),
            scope: Scope::Site {
                default_host: host.into(),
            },
        }
    }

    #[test]
    fn site_files_added_later_clean_as_if_loaded_with_the_others() {
        let base = [
            global("[[drop-lines]]\nid = \"a\"\nphrases = [\"Share\"]\n"),
            site(
                "one.example",
                "[[drop-lines]]\nid = \"b\"\nphrases = [\"Print\"]\n",
            ),
        ];
        let added = [
            // Onto the site loaded before, and a new site.
            site(
                "one.example",
                "[[drop-site-repeats]]\nid = \"site-repeat\"\nlines = [\"Most read\"]\n",
            ),
            site(
                "two.example",
                "disable = [\"a\"]\n[[drop-site-repeats]]\nid = \"site-repeat\"\nlines = [\"Top stories\"]\n",
            ),
        ];
        let all: Vec<RuleSource> = base.iter().chain(&added).cloned().collect();
        let loaded = Rules::load(&all).unwrap_or_else(|e| panic!("{e}"));
        let extended = Rules::load(&base)
            .and_then(|r| r.with_site_files(added.clone()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(extended.site_count(), 2);
        assert_eq!(extended.file_count(), 4);
        let page = "Share\nPrint\nMost read\nTop stories\nThe bridge reopens on Monday.\n";
        // Each line's fate on each site: what it became and which rule dropped it.
        let fates = |rules: &Rules, host: &str| {
            let mut body =
                crate::document::Body::new(page.lines().enumerate().map(|(i, l)| (i + 1, l)));
            rules
                .pipeline(Some(host))
                .run_with(&mut body, filters::Context::default());
            format!("{:?}", body.lines)
        };
        for host in ["one.example", "two.example", "three.example"] {
            assert_eq!(fates(&loaded, host), fates(&extended, host), "{host}");
        }
        // A learned file names what no loaded file defines: reported as in a whole load.
        let bad = [site("three.example", "disable = [\"nope\"]\n")];
        let err = extended.with_site_files(bad).err().unwrap_or_default();
        assert!(
            err.errors[0].message.contains("unknown rule id \"nope\""),
            "{err}"
        );
    }

    #[test]
    fn site_files_match_apex_www_and_subdomains() {
        let rules = Rules::load(&[
            global("[[drop-lines]]\nid = \"a\"\nphrases = [\"x\"]\n"),
            site("example.com", "disable = [\"a\"]\n"),
            site("other", "[site]\nhosts = [\".news.test\"]\n"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rules.site_index("example.com"), Some(0));
        assert_eq!(rules.site_index("WWW.example.com"), Some(0));
        assert_eq!(rules.site_index("blog.example.com"), None);
        assert_eq!(rules.site_index("a.b.news.test"), Some(1));
        assert_eq!(rules.site_index("news.test"), Some(1));
    }
}
