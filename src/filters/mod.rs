//! The filter kinds, their registry, and the fixed order in which they run.
//!
//! Every kind lives in its own file: its docs, its registry entry ([`KindInfo`]: summary,
//! description, the keys of its rule table, a worked example), its rule-file table
//! (`Spec`), its compiled rule and its stage (`Filter`), and its tests. The
//! `registry!` below lists the kinds once, in the order they run; from that one list it
//! makes [`KINDS`] (which drives `declutr filters`, `declutr explain` and the reference
//! tables of `rules/README.md`), the decoding of rule tables, and the `Pipeline` that runs
//! them.
//!
//! Adding a kind: write its file (copy the shape of a neighbour), declare its `mod` below,
//! and add one line to the registry where it runs.

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diag::Diag;
use crate::document::Body;
use crate::spec;

pub(crate) mod classify_blocks;
pub(crate) mod cut_at_marker;
pub(crate) mod drop_captions;
pub(crate) mod drop_elements;
pub(crate) mod drop_lines;
pub(crate) mod drop_link_blocks;
pub(crate) mod drop_link_lists;
pub(crate) mod drop_repeats;
pub(crate) mod drop_site_repeats;
pub(crate) mod header;
pub(crate) mod line_index;
pub(crate) mod markup;
pub(crate) mod normalize;
pub(crate) mod pick_content;

/// Declares the registry: [`KINDS`] in order, the enum of compiled rules, the decoding of
/// a rule table by its kind, and the [`Pipeline`] with a stage per kind.
macro_rules! registry {
    (
        markup { $($m:ident => $mv:ident,)* }
        builtin { $($b:ident,)* }
        text { $($t:ident => $tv:ident,)* }
    ) => {
        /// Every filter kind, in the order the pipeline runs them.
        pub const KINDS: &[&KindInfo] = &[$(&$m::KIND,)* $(&$b::KIND,)* $(&$t::KIND,)*];

        /// One compiled rule of some kind.
        #[derive(Debug, Clone)]
        pub(crate) enum Compiled {
            $($mv(Arc<$m::Rule>),)*
            $($tv(Arc<$t::Rule>),)*
        }

        impl Compiled {
            /// The rule's id.
            pub(crate) fn id(&self) -> &str {
                match self {
                    $(Compiled::$mv(r) => r.id(),)*
                    $(Compiled::$tv(r) => r.id(),)*
                }
            }

            /// The rule's kind name.
            pub(crate) fn kind(&self) -> &'static str {
                match self {
                    $(Compiled::$mv(_) => $m::KIND.name,)*
                    $(Compiled::$tv(_) => $t::KIND.name,)*
                }
            }
        }

        /// Decodes and compiles one rule table of kind `kind`; `None` (with the problem
        /// recorded) when the table is wrong. Unknown kinds are reported by the caller.
        pub(crate) fn compile(
            kind: &str,
            table: &toml_edit::Table,
            diag: &mut Diag,
        ) -> Option<Compiled> {
            $(if kind == $m::KIND.name {
                let rule = <$m::Rule as Filter>::compile(spec::decode(table, diag)?, diag)?;
                return Some(Compiled::$mv(Arc::new(rule)));
            })*
            $(if kind == $t::KIND.name {
                let rule = <$t::Rule as Filter>::compile(spec::decode(table, diag)?, diag)?;
                return Some(Compiled::$tv(Arc::new(rule)));
            })*
            None
        }

        /// Decodes one rule table of kind `kind` without compiling it: its `Spec`'s debug
        /// form (tests compare what a table says with the reference).
        #[cfg(test)]
        fn decoded(kind: &str, table: &toml_edit::Table, diag: &mut Diag) -> Option<String> {
            $(if kind == $m::KIND.name {
                let spec: <$m::Rule as Filter>::Spec = spec::decode(table, diag)?;
                return Some(format!("{spec:?}"));
            })*
            $(if kind == $t::KIND.name {
                let spec: <$t::Rule as Filter>::Spec = spec::decode(table, diag)?;
                return Some(format!("{spec:?}"));
            })*
            None
        }

        /// The compiled rules for one site, a stage per kind, run in the fixed order.
        #[derive(Debug, Default, Clone)]
        pub(crate) struct Pipeline {
            $(pub(crate) $m: <$m::Rule as Filter>::Stage,)*
            $(pub(crate) $t: <$t::Rule as Filter>::Stage,)*
        }

        impl Pipeline {
            /// [`Pipeline::new`], sharing what it can with `base`: where the rules of a
            /// kind begin with `base`'s rules of that kind (a site file adding rules to
            /// the global ones), the stage `base` built over them is reused where the
            /// kind can ([`Stage::build`]). No pattern is compiled again for a site.
            pub(crate) fn on<'a>(
                base: &Pipeline,
                rules: impl IntoIterator<Item = &'a Compiled>,
            ) -> Self {
                $(let mut $m = Vec::new();)*
                $(let mut $t = Vec::new();)*
                for rule in rules {
                    match rule.clone() {
                        $(Compiled::$mv(r) => $m.push(r),)*
                        $(Compiled::$tv(r) => $t.push(r),)*
                    }
                }
                Pipeline {
                    $($m: Stage::build(&base.$m, $m),)*
                    $($t: Stage::build(&base.$t, $t),)*
                }
            }

            /// One run of every text stage, in the fixed order; after the `first`, the
            /// stages whose decisions depend on each line alone are not run again.
            fn run_stages(&self, body: &mut Body, memos: &mut Memos, cx: Context, first: bool) {
                $(
                    if first || !<$t::Rule as Filter>::line_local(&self.$t) {
                        trace(&$t::KIND);
                        <$t::Rule as Filter>::apply(&self.$t, body, &mut memos.$t, cx);
                    }
                )*
            }
        }

        /// What each text stage measured of a document's lines on its first run, kept
        /// for the fixed point's later runs ([`Filter::Memo`]).
        #[derive(Default)]
        struct Memos {
            $($t: <$t::Rule as Filter>::Memo,)*
        }
    };
}

registry! {
    // HTML pages: the markup stages choose elements, in this order (`markup::select`),
    // before the page is rendered to lines.
    markup {
        drop_elements => DropElements,
        pick_content => PickContent,
        drop_link_blocks => DropLinkBlocks,
    }
    // HTML pages: built in, no rule tables; the rendered lines repeating the header.
    builtin {
        header,
    }
    // Every page: the text stages over the lines, in this order, until nothing changes.
    text {
        cut_at_marker => CutAtMarker,
        drop_lines => DropLines,
        drop_site_repeats => DropSiteRepeats,
        drop_captions => DropCaptions,
        drop_repeats => DropRepeats,
        drop_link_lists => DropLinkLists,
        classify_blocks => ClassifyBlocks,
        normalize => Normalize,
    }
}

/// What the registry knows of a filter kind.
#[derive(Debug)]
pub struct KindInfo {
    /// The kind's name, which is also its table name in rule files (`[[drop-lines]]`).
    pub name: &'static str,
    /// One line: what it removes.
    pub summary: &'static str,
    /// A paragraph: how it decides, and its safeguards.
    pub description: &'static str,
    /// The keys of its rule tables besides `id`, in the order the reference lists them;
    /// none for a built-in stage, which rule files do not configure.
    pub fields: &'static [Field],
    /// Whether rule files configure it with `[[name]]` tables (false for a built-in
    /// stage, which always runs).
    pub configurable: bool,
    /// A worked example.
    pub example: Example,
}

/// One key of a filter kind's rule table: the reference `declutr explain` prints and
/// `rules/README.md`'s tables are generated from.
#[derive(Debug)]
pub struct Field {
    /// The key, as written in a rule file (`max-words`).
    pub key: &'static str,
    /// Its default, as TOML (`40`, `[]`, `true`), or `required`, or `none` (unset).
    pub default: &'static str,
    /// What it does, in one line.
    pub meaning: &'static str,
}

/// A worked example of a filter kind: rules, an input body, and the body it leaves.
#[derive(Debug)]
pub struct Example {
    /// The rule table(s), as TOML.
    pub rules: &'static str,
    /// The input body.
    pub input: &'static str,
    /// What the example's rules alone leave of it.
    pub output: &'static str,
}

/// Looks up a kind by name.
pub fn kind(name: &str) -> Option<&'static KindInfo> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// A filter kind's compiled rule and how its rules run: what each kind's file implements
/// for its `Rule`, and the registry wires into rule loading and the pipeline.
pub(crate) trait Filter: fmt::Debug + Send + Sync + Sized + 'static {
    /// Its rule-file table, decoded with serde (unknown keys refused).
    type Spec: DeserializeOwned + fmt::Debug;
    /// The kind's rules of one pipeline, ready to run: most kinds, the rules in order
    /// (`Vec<Arc<Rule>>`); kinds matching whole lines, one index over all their rules
    /// (`line_index::Indexed`).
    type Stage: Stage<Self>;

    /// Compiles a decoded table; `None` with the problems recorded in `diag`.
    fn compile(spec: Self::Spec, diag: &mut Diag) -> Option<Self>;

    /// The rule's id.
    fn id(&self) -> &str;

    /// Whether the stage judges each line alone (its text and word count): then it
    /// removes nothing when run again over what it kept, and the fixed point
    /// ([`Pipeline::run_with`]) runs it once.
    fn line_local(_stage: &Self::Stage) -> bool {
        false
    }

    /// What the stage measures of a document's lines on its first run and reads again on
    /// the fixed point's later runs ([`Pipeline::run_with`]): a line's text never changes
    /// while the stages run and a removed line never comes back, so what was measured of
    /// a line stays true (`()` for a stage that keeps nothing).
    type Memo: Default + Send;

    /// Runs the stage over the body, with its memo of the runs before over the same
    /// body (empty on the first). The markup kinds run on the parsed page instead
    /// ([`markup::select`]), and do nothing here.
    fn apply(stage: &Self::Stage, body: &mut Body, memo: &mut Self::Memo, cx: Context);
}

/// A kind's rules of one pipeline, as its stage runs them.
pub(crate) trait Stage<R>: fmt::Debug + Default + Clone + Send + Sync {
    /// Builds the stage of `rules`. A site's rules of a kind begin with the global rules
    /// of that kind, whose stage is `base`: a stage that indexes its rules reuses it.
    fn build(base: &Self, rules: Vec<Arc<R>>) -> Self;
}

/// The rules in order: the stage of most kinds.
impl<R: fmt::Debug + Send + Sync> Stage<R> for Vec<Arc<R>> {
    fn build(_: &Self, rules: Vec<Arc<R>>) -> Self {
        rules
    }
}

/// Records that a stage ran (unit tests check the order against [`KINDS`]); nothing in
/// other builds.
#[inline]
pub(crate) fn trace(_kind: &'static KindInfo) {
    #[cfg(test)]
    testing::TRACE.with(|t| t.borrow_mut().push(_kind.name));
}

/// Most runs of the stages over one body (see [`Pipeline::run_with`]).
const MAX_RUNS: usize = 4;

/// What is known of a document beyond its lines (from an HTML page's markup).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Context {
    /// The body is the article's element alone (an HTML content root was picked).
    pub located: bool,
    /// The header already carries the title, so no body line is kept as the title.
    pub title_in_header: bool,
    /// The site's learned rules (`drop-site-repeats`) do not apply to this page: they
    /// would take its article ([`crate::guard`]).
    pub without_learned: bool,
}

impl Pipeline {
    /// Groups compiled rules by kind, keeping their order within a kind.
    pub(crate) fn new<'a>(rules: impl IntoIterator<Item = &'a Compiled>) -> Self {
        Pipeline::on(&Pipeline::default(), rules)
    }

    /// Runs every text stage over the body, in the registry's order: the tail after a
    /// marker (first, so that a comment counter can mark where comments start), widgets,
    /// the site's learned repeats, captions, repeats, link lists, the general classifier,
    /// then whitespace; with what is known of the page from its markup.
    ///
    /// The output must be what cleaning it again would give. Several stages judge a line
    /// by its neighbours (the prose after a marker, a run of headlines, the distance
    /// between repeats, the best article region), and a later stage's removals change
    /// those; so the stages run again over what they kept until a run removes nothing (at
    /// most [`MAX_RUNS`] runs). Cleaning a cleaned page changes nothing. A stage that
    /// judges each line alone (`Filter::line_local`) has nothing left to remove after its
    /// first run, and runs once.
    pub(crate) fn run_with(&self, body: &mut Body, cx: Context) {
        self.run_to_fixed_point(body, cx, true);
    }

    /// [`Pipeline::run_with`] without memos: every run measures every line again. What
    /// the memos save must not change what the runs decide; tests compare the two.
    #[cfg(test)]
    pub(crate) fn run_unmemoized(&self, body: &mut Body, cx: Context) {
        self.run_to_fixed_point(body, cx, false);
    }

    /// The runs of [`Pipeline::run_with`]; with `memoize`, each run after the first reads
    /// the memos of the runs before, else it starts with empty ones.
    fn run_to_fixed_point(&self, body: &mut Body, cx: Context, memoize: bool) {
        let live = |b: &Body| (0..b.len()).filter(|&i| b.is_live(i)).count();
        let mut memos = Memos::default();
        let mut before = live(body);
        for run in 0..MAX_RUNS {
            if !memoize {
                memos = Memos::default();
            }
            self.run_stages(body, &mut memos, cx, run == 0);
            let after = live(body);
            if after == before {
                break;
            }
            before = after;
        }
    }

    /// Whether the pipeline has learned line rules (`drop-site-repeats`), which the
    /// article guard checks on every page ([`crate::guard`]).
    pub(crate) fn has_learned_lines(&self) -> bool {
        !self.drop_site_repeats.is_empty()
    }

    /// Whether kept lines are trimmed when written (the last `normalize` rule's `trim`).
    pub(crate) fn trims(&self) -> bool {
        self.normalize.last().is_some_and(|r| r.trim)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for the filters' unit tests.
    use super::*;
    use crate::diag::Diag;
    use crate::document::Body;
    use std::cell::RefCell;

    thread_local! {
        /// The kinds whose stage ran on this thread, in order ([`trace`]).
        pub(crate) static TRACE: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }

    /// Runs `f` and returns the kinds whose stage ran meanwhile, each once, in the order
    /// they first ran.
    pub(crate) fn stages_run(f: impl FnOnce()) -> Vec<&'static str> {
        TRACE.with(|t| t.borrow_mut().clear());
        f();
        let mut kinds = TRACE.with(|t| std::mem::take(&mut *t.borrow_mut()));
        let mut seen = std::collections::HashSet::new();
        kinds.retain(|k| seen.insert(*k));
        kinds
    }

    /// Compiles every table of a TOML snippet and keeps the rules `pick` selects; panics
    /// with the diagnostics when the snippet is wrong (tests only).
    pub(crate) fn compile_rules<T>(
        toml: &str,
        pick: impl Fn(Compiled) -> Option<Arc<T>>,
    ) -> Vec<Arc<T>> {
        let doc = toml_edit::ImDocument::parse(toml.to_string()).unwrap_or_else(|e| panic!("{e}"));
        let mut diag = Diag::new("test.toml", toml);
        let mut out = Vec::new();
        for (kind, item) in doc.iter() {
            let Some(tables) = item.as_array_of_tables() else {
                continue;
            };
            for table in tables.iter() {
                if let Some(c) = compile(kind, table, &mut diag) {
                    out.extend(pick(c));
                }
            }
        }
        assert!(diag.errors.is_empty(), "{:?}", diag.errors);
        out
    }

    /// Runs `f` over a body made of `input`'s lines and returns the kept non-blank lines.
    pub(crate) fn run(input: &str, f: impl FnOnce(&mut Body)) -> Vec<String> {
        let mut body = Body::new(
            input
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        );
        f(&mut body);
        (0..body.len())
            .filter(|&i| body.is_live(i))
            .map(|i| body.text(i).to_string())
            .collect()
    }

    /// Like [`run`], but keeps blank lines and trims each kept line.
    pub(crate) fn run_keep_blank(input: &str, f: impl FnOnce(&mut Body)) -> Vec<String> {
        let mut body = Body::new(
            input
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string())),
        );
        f(&mut body);
        body.iter()
            .filter(|(l, _)| l.dropped.is_none())
            .map(|(_, text)| text.trim().to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first `[[kind]]` table of the kind's example, parsed.
    fn example_table(k: &KindInfo) -> toml_edit::Table {
        let doc: toml_edit::DocumentMut = k
            .example
            .rules
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", k.name));
        doc[k.name]
            .as_array_of_tables()
            .and_then(|t| t.get(0))
            .unwrap_or_else(|| panic!("no [[{}]] table", k.name))
            .clone()
    }

    /// Decodes `table` as a rule table of kind `k`, or compiles it (`compile`): its debug
    /// form, with the spans of what was written left out; or the problems.
    fn decode(
        k: &KindInfo,
        table: &toml_edit::Table,
        compile: bool,
    ) -> Result<String, Vec<String>> {
        let text = format!("[[{}]]\n{table}", k.name);
        // Parsed again so that the spans point into `text`.
        let doc =
            toml_edit::ImDocument::parse(text.clone()).unwrap_or_else(|e| panic!("{text}: {e}"));
        let table = doc[k.name]
            .as_array_of_tables()
            .and_then(|t| t.get(0))
            .unwrap_or_else(|| panic!("no [[{}]] table", k.name));
        let mut diag = Diag::new("test.toml", &text);
        let found = if compile {
            super::compile(k.name, table, &mut diag).map(|rule| format!("{rule:?}"))
        } else {
            decoded(k.name, table, &mut diag)
        };
        let spans = regex::Regex::new(r"span: \d+\.\.\d+, ").unwrap_or_else(|e| panic!("{e}"));
        match found {
            Some(d) if diag.errors.is_empty() => Ok(spans.replace_all(&d, "").into_owned()),
            _ => Err(diag.errors.iter().map(|e| e.to_string()).collect()),
        }
    }

    #[test]
    fn the_reference_lists_exactly_the_keys_a_rule_table_accepts() {
        let mut problems = Vec::new();
        for k in KINDS.iter().filter(|k| k.configurable) {
            let mut table = example_table(k);
            table.insert("no-such-key", toml_edit::value(1));
            let Err(errors) = decode(k, &table, true) else {
                problems.push(format!("{}: an unknown key is accepted", k.name));
                continue;
            };
            let message = errors.join("\n");
            let Some((_, list)) = message.split_once("expected one of ") else {
                problems.push(format!("{}: no list of keys in {message:?}", k.name));
                continue;
            };
            let accepted: Vec<&str> = list
                .lines()
                .next()
                .unwrap_or("")
                .split(", ")
                .map(|key| key.trim_matches('\''))
                .collect();
            let documented: Vec<&str> = std::iter::once("id")
                .chain(k.fields.iter().map(|f| f.key))
                .collect();
            if accepted != documented {
                problems.push(format!(
                    "{}: the rule table accepts {accepted:?}, the reference lists {documented:?}",
                    k.name
                ));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn every_documented_default_is_the_default_the_code_uses() {
        let mut problems = Vec::new();
        let mut checked = 0;
        for k in KINDS.iter().filter(|k| k.configurable) {
            for field in k.fields {
                if matches!(field.default, "required" | "none") {
                    continue;
                }
                let value: toml_edit::Value = match field.default.parse() {
                    Ok(v) => v,
                    Err(e) => {
                        problems.push(format!(
                            "{}.{}: default {:?} is not TOML, `required` or `none`: {e}",
                            k.name, field.key, field.default
                        ));
                        continue;
                    }
                };
                let mut without = example_table(k);
                without.remove(field.key);
                let mut with = without.clone();
                with.insert(field.key, toml_edit::Item::Value(value));
                match (decode(k, &without, false), decode(k, &with, false)) {
                    (Ok(a), Ok(b)) if a == b => checked += 1,
                    (a, b) => problems.push(format!(
                        "{}.{}: leaving the key out and writing its documented default {} \
decode differently:\n{a:?}\n{b:?}",
                        k.name, field.key, field.default
                    )),
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n\n"));
        assert!(checked > 20, "only {checked} defaults checked");
    }

    #[test]
    fn built_in_stages_have_no_keys_and_configurable_kinds_have_a_rule_table() {
        for k in KINDS {
            if k.configurable {
                assert!(
                    k.example.rules.contains(&format!("[[{}]]", k.name)),
                    "{}: the example shows no rule table",
                    k.name
                );
            } else {
                assert!(k.fields.is_empty(), "{}: built in, yet has keys", k.name);
            }
        }
    }
}
