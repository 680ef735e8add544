//! The library's modules form the layers `ARCHITECTURE.md` lists: a module uses only
//! modules of its own layer or of the layers above it in that table, and no modules use
//! each other in a circle. The table in `ARCHITECTURE.md` is the one the test reads, so
//! the document and the code cannot drift apart.
//!
//! What a module uses is read from its source: every `crate::name` path, in `use` lines
//! (groups `use crate::{a, b::c}` too) and inline, in its files and its tests. Comments
//! are left out: a doc comment may point anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The layers of `ARCHITECTURE.md`'s "Layers" table, top first: each row's name and the
/// modules named in backticks in its second column.
fn layers() -> Vec<(String, Vec<String>)> {
    let path = Path::new(ROOT).join("ARCHITECTURE.md");
    let doc = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let section = doc
        .split("\n## ")
        .find(|s| s.starts_with("Layers"))
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no \"## Layers\" section"));
    section
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let modules = cells[2]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            (cells[1].to_string(), modules)
        })
        .collect()
}

/// The library's top-level modules, as `src/lib.rs` declares them.
fn declared_modules() -> BTreeSet<String> {
    let lib = fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap_or_default();
    lib.lines()
        .map(str::trim)
        .filter_map(|l| {
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect()
}

/// The items `src/lib.rs` re-exports at the crate root (`pub use cleaner::{Cleaner, ..};`),
/// each with the module it comes from: `crate::Cleaner` uses `cleaner`.
fn root_reexports() -> BTreeMap<String, String> {
    let lib = fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap_or_default();
    let lib = without_comments(&lib);
    let mut items = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(path) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let path = path.strip_prefix("crate::").unwrap_or(path);
        let module = ident(path).to_string();
        let names = match path.split_once('{') {
            Some((_, group)) => group.trim_end_matches('}').to_string(),
            None => path.rsplit("::").next().unwrap_or("").to_string(),
        };
        for name in names.split(',') {
            let name = name.rsplit(" as ").next().unwrap_or("").trim();
            let name = name.rsplit("::").next().unwrap_or("");
            if !name.is_empty() && name != module {
                items.insert(name.to_string(), module.clone());
            }
        }
    }
    items
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `source` without its comments (line comments, doc comments and block comments); string
/// literals are kept as they are, which is harmless here.
fn without_comments(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while !rest.is_empty() {
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            rest = &rest[end..];
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |i| i + 2);
            rest = &rest[end..];
        } else if let Some(raw) = raw_string_len(rest) {
            out.push_str(&rest[..raw]);
            rest = &rest[raw..];
        } else if rest.starts_with("'\"'") || rest.starts_with("'\\\"'") {
            // A quote as a character does not open a string.
            let end = rest[1..].find('\'').map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if rest.starts_with('"') {
            // A string may hold `//` (a URL): copy it whole.
            let mut end = 1;
            let bytes = rest.as_bytes();
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            let end = (end + 1).min(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The length of the raw string literal `s` starts with (`r"…"`, `r#"…"#`), if it does.
fn raw_string_len(s: &str) -> Option<usize> {
    let hashes = s
        .strip_prefix('r')?
        .bytes()
        .take_while(|&b| b == b'#')
        .count();
    let open = 1 + hashes;
    if s.as_bytes().get(open) != Some(&b'"') {
        return None;
    }
    let close = format!("\"{}", "#".repeat(hashes));
    let end = s[open + 1..]
        .find(&close)
        .map_or(s.len(), |i| open + 1 + i + close.len());
    Some(end)
}

/// The first identifier of `s`.
fn ident(s: &str) -> &str {
    let s = s.trim_start();
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules named after `crate::` in `code`: `crate::a::b`, and each item of
/// a group `crate::{a, b::{c, d}}`.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        // `declutr_crate::` or `$crate::` are not this crate's paths.
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = code[at + "crate::".len()..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        item_start = false;
                        used.insert(ident(&group[i..]).to_string());
                    }
                    _ => {}
                }
            }
        } else {
            used.insert(ident(rest).to_string());
        }
    }
    used
}

/// For each top-level module, the other top-level modules it uses.
fn module_graph(modules: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(ROOT).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let reexports = root_reexports();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    for file in files {
        let rel = file.strip_prefix(&src).unwrap_or(&file);
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy());
        let Some(first) = first else { continue };
        let module = first.trim_end_matches(".rs").to_string();
        // The crate root and the binary (which uses the library by its public name).
        if !modules.contains(&module) {
            continue;
        }
        let source =
            fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let used = used_modules(&without_comments(&source))
            .into_iter()
            .map(|u| reexports.get(&u).cloned().unwrap_or(u));
        graph
            .entry(module.clone())
            .or_default()
            .extend(used.filter(|u| u != &module && modules.contains(u)));
    }
    graph
}

#[test]
fn every_module_is_in_one_layer() {
    let modules = declared_modules();
    assert!(modules.len() > 5, "src/lib.rs declares no modules?");
    let mut seen = BTreeMap::new();
    for (layer, names) in layers() {
        for name in names {
            assert!(
                modules.contains(&name),
                "ARCHITECTURE.md names `{name}` (layer {layer}), which src/lib.rs does not declare"
            );
            if let Some(other) = seen.insert(name.clone(), layer.clone()) {
                panic!("ARCHITECTURE.md puts `{name}` in two layers: {other} and {layer}");
            }
        }
    }
    let missing: Vec<_> = modules.iter().filter(|m| !seen.contains_key(*m)).collect();
    assert!(
        missing.is_empty(),
        "modules missing from ARCHITECTURE.md's layer table: {missing:?}"
    );
}

#[test]
fn modules_use_only_their_layer_and_the_layers_above() {
    let modules = declared_modules();
    let layer_of: BTreeMap<String, usize> = layers()
        .into_iter()
        .enumerate()
        .flat_map(|(i, (_, names))| names.into_iter().map(move |n| (n, i)))
        .collect();
    let mut wrong = Vec::new();
    for (module, used) in module_graph(&modules) {
        let Some(&mine) = layer_of.get(&module) else {
            continue;
        };
        for u in used {
            if layer_of.get(&u).is_some_and(|&theirs| theirs > mine) {
                wrong.push(format!("{module} uses {u}, a layer below it"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn no_modules_use_each_other_in_a_circle() {
    let graph = module_graph(&declared_modules());
    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit<'g>(
        m: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| *p == m) {
            let mut circle: Vec<String> = path[start..].iter().map(|s| s.to_string()).collect();
            circle.push(m.to_string());
            return Some(circle);
        }
        if !done.insert(m) {
            return None;
        }
        path.push(m);
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(circle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "modules use each other in a circle: {}",
                circle.join(" -> ")
            );
        }
    }
}

#[test]
fn root_reexports_name_their_module() {
    let items = root_reexports();
    assert_eq!(items.get("Cleaner").map(String::as_str), Some("cleaner"));
    assert_eq!(items.get("Rules").map(String::as_str), Some("rules"));
}

#[test]
fn the_scanner_reads_groups_and_skips_comments() {
    let code = "use crate::{a, b::{c, d}, e::f};\n// crate::g\nlet x = crate::h::i();\n\
                /* crate::j */ let u = \"http://crate::k\"; $crate::l; let q = '\"'; // crate::m\n\
                let r = r#\"a \"quoted\" // crate::n\"#; // crate::o";
    let used = used_modules(&without_comments(code));
    let want: BTreeSet<String> = ["a", "b", "e", "h", "k", "n"].map(String::from).into();
    assert_eq!(used, want);
}
