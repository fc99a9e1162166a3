//! Content files → [`Catalog`] plus every diagnostic at once.

use std::collections::{BTreeMap, HashMap, HashSet};

use toml::de::{DeTable, DeValue};

use verdict_core::lint::Prose;
use verdict_core::model::{
    Catalog, Category, Criterion, Editorial, Job, Kind, Outcome, Profile, Score, Section, Topic,
    is_valid_slug,
};
use verdict_core::search::normalize;

use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::evidence::{self, EvidenceSet};
use crate::reader::{Fields, as_f64, as_i64, check_prose, wrong_type};
use crate::{SourceFile, Tree};

/// How hard `check` is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Enforce the published catalog's minimums: at least 3 pros, 2 cons
    /// and 2 related topics per topic.
    pub strict: bool,
}

/// The result of loading: the catalog built from everything valid, and
/// every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The errors that make the content unfit to publish as a whole, not
    /// just one topic: `criteria.toml` or `categories.toml` missing or
    /// unusable (then the catalog is empty), and a category of
    /// categories.toml left with no topic. A site built from such content
    /// would be empty or lose a whole section, so `verdict serve` and
    /// `verdict build` refuse it; a topic with an error of its own is only
    /// left out.
    pub fn blockers(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors()
            .filter(|d| d.code == "empty-category" || unusable(d))
    }
}

/// Codes that make `criteria.toml` or `categories.toml` unusable as a
/// whole: everything else is checked against them, so loading stops.
const UNUSABLE: &[&str] = &[
    "missing-file",
    "toml-syntax",
    "invalid-utf8",
    "symlink",
    "not-a-file",
    "no-criteria",
    "no-categories",
];

fn unusable(d: &Diagnostic) -> bool {
    d.is_error()
        && matches!(d.file.as_str(), "criteria.toml" | "categories.toml")
        && UNUSABLE.contains(&d.code)
}

/// Parses a file into a span-keeping table, reporting syntax errors.
fn parse<'i>(file: &SourceFile, text: &'i str, out: &mut Vec<Diagnostic>) -> Option<DeTable<'i>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(doc.into_inner());
    }
    let mut sink = Sink::new(&file.path, text, out);
    for e in errors {
        sink.error(
            "toml-syntax",
            e.span().map(|s| s.start),
            "",
            format!("invalid TOML: {}", e.message().trim()),
            "fix the syntax; strings need double quotes and tables need [brackets]",
        );
    }
    None
}

/// Loads a whole catalog from its files.
pub fn load(files: &[SourceFile], options: Options) -> Loaded {
    load_read(files, &[], options)
}

/// Loads a catalog read from disk: its files, and the diagnostics of the
/// entries that could not be read, which are reported with the others.
pub fn load_tree(tree: &Tree, options: Options) -> Loaded {
    load_read(&tree.files, &tree.diagnostics, options)
}

/// Loads `files`; `unread` holds a diagnostic for each entry of the
/// directory that is not among them (see `read.rs`). Such an entry is
/// there but unusable: a root file is not "missing", and references to a
/// topic file are dropped quietly, as for a topic left out for errors.
fn load_read(files: &[SourceFile], unread: &[Diagnostic], options: Options) -> Loaded {
    let mut diags = unread.to_vec();
    let find = |name: &str| files.iter().find(|f| f.path == name);
    let was_unread = |name: &str| unread.iter().any(|d| d.file == name);

    let (criteria, category_weights, profiles) = match find("criteria.toml") {
        Some(f) => read_criteria(f, &mut diags),
        None if was_unread("criteria.toml") => Default::default(),
        None => {
            diags.push(missing_file(
                "criteria.toml",
                "criteria, default weights per category and profiles",
            ));
            Default::default()
        }
    };
    // Everything else is checked against the criteria and categories.
    // Without them every category would lack weights and every topic would
    // report each of its fields as unknown, drowning the one real problem,
    // so loading stops there.
    let stop = |diags: &[Diagnostic]| diags.iter().any(unusable);
    let criteria_ok = !stop(&diags);
    let (categories, defined) = match find("categories.toml") {
        Some(f) if criteria_ok => read_categories(f, &criteria, category_weights, &mut diags),
        Some(_) => Default::default(),
        None if was_unread("categories.toml") => Default::default(),
        None => {
            diags.push(missing_file(
                "categories.toml",
                "the categories topics belong to",
            ));
            Default::default()
        }
    };
    if stop(&diags) {
        sort_diagnostics(&mut diags);
        return Loaded {
            catalog: Catalog::default(),
            diagnostics: diags,
        };
    }

    let jobs = match find("jobs.toml") {
        Some(f) => read_jobs(f, &mut diags),
        None if was_unread("jobs.toml") => Vec::new(),
        None => {
            diags.push(Diagnostic {
                severity: Severity::Error,
                code: "no-jobs-file",
                file: "jobs.toml".into(),
                line: None,
                key: None,
                message: "jobs.toml is missing, so no topic can say what it is used for".into(),
                help: Some("create jobs.toml with one `[job-id]` table and a `label` per job; topics name them in `jobs`".into()),
            });
            Vec::new()
        }
    };

    let mut evidence = EvidenceSet::default();
    for f in files.iter().filter(|f| f.path.starts_with("evidence/")) {
        evidence::read(f, &mut evidence, &mut diags);
    }

    let mut topics = Vec::new();
    let mut topic_refs = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with("topics/")) {
        if let Some((t, refs)) = read_topic(f, &criteria, &categories, &jobs, options, &mut diags) {
            topics.push(t);
            topic_refs.push(refs);
        }
    }

    // Slugs of every topic file, including those left out for errors or
    // not read at all: a reference to one of those is dropped quietly,
    // since the problem is reported at the file and "does not exist" would
    // be false.
    let present: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(unread.iter().map(|d| d.file.as_str()))
        .filter_map(|path| path.strip_prefix("topics/")?.split_once('/'))
        .filter_map(|(_, file)| file.strip_suffix(".toml"))
        .collect();

    check_uniqueness(&topics, &topic_refs, files, &mut diags);
    resolve_references(&mut topics, &topic_refs, files, &present, &mut diags);
    // A job may look unused only because the topics doing it were left out
    // for errors of their own; say so only when every topic loaded.
    let all_loaded = topics.len() == present.len();
    check_jobs(&topics, &topic_refs, files, &jobs, all_loaded, &mut diags);
    if let Some(f) = find("categories.toml") {
        check_categories_have_topics(f, &defined, &topics, &mut diags);
    }
    evidence::attach(&mut topics, &evidence, &categories, &mut diags);

    let slugs: HashMap<&str, &Topic> = topics.iter().map(|t| (t.slug.as_str(), t)).collect();
    let mut editorials = Vec::new();
    for f in files.iter().filter(|f| f.path.starts_with("comparisons/")) {
        if let Some(e) = read_editorial(f, &slugs, &present, &categories, &mut diags) {
            editorials.push(e);
        }
    }

    sort_diagnostics(&mut diags);
    Loaded {
        catalog: Catalog::new(criteria, categories, profiles, topics, editorials).with_jobs(jobs),
        diagnostics: diags,
    }
}

/// File order, then line, key and message, without repeats.
fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.line,
            a.key.as_deref(),
            a.message.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                b.line,
                b.key.as_deref(),
                b.message.as_str(),
            ))
    });
    diags.dedup();
}

/// Whether diagnostics reported while reading one topic or editorial file
/// mean its data must not be published: any error except the ones the
/// loader repairs (a dangling reference is dropped from its list, a
/// comparison file name is put in canonical order) and `--strict`'s
/// minimums, which say the text is thin, not wrong.
fn leaves_out(diags: &[Diagnostic]) -> bool {
    diags.iter().any(leaves_out_one)
}

fn leaves_out_one(d: &Diagnostic) -> bool {
    d.is_error() && !matches!(d.code, "unknown-topic" | "comparison-order" | "too-few")
}

fn missing_file(name: &str, what: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code: "missing-file",
        file: name.to_owned(),
        line: None,
        key: None,
        message: format!("the content directory has no `{name}`"),
        help: Some(format!("create `{name}` with {what}; see docs/CONTENT.md")),
    }
}

type CategoryWeights = BTreeMap<String, (Vec<(String, f64)>, usize)>;

fn read_criteria(
    f: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Criterion>, CategoryWeights, Vec<Profile>) {
    let Some(doc) = parse(f, &f.text, diags) else {
        return Default::default();
    };
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let mut top = Fields::new(&doc, 0, "");
    let mut criteria = Vec::new();
    if let Some((table, _)) = top.table(&mut sink, "criteria", true) {
        for (id, v) in table.iter() {
            let id_str: &str = id.get_ref();
            let key = format!("criteria.{id_str}");
            if !is_valid_slug(id_str) {
                sink.error(
                    "bad-slug",
                    Some(id.span().start),
                    &key,
                    format!("`{id_str}` is not a valid criterion id"),
                    "use lowercase words joined by single hyphens",
                );
            }
            let DeValue::Table(t) = v.get_ref() else {
                wrong_type(&mut sink, v, &key, "a table", v.get_ref());
                continue;
            };
            let mut fields = Fields::new(t, id.span().start, &key);
            let label = fields.prose(&mut sink, "label", Prose::Label, true);
            let high = fields.prose(&mut sink, "high_means", Prose::Label, true);
            fields.finish(&mut sink);
            if let (Some(label), Some(high_means)) = (label, high) {
                criteria.push(Criterion {
                    id: id_str.to_owned(),
                    label,
                    high_means,
                });
            }
        }
    }
    let known = |id: &str| criteria.iter().any(|c| c.id == id);
    let mut weights = CategoryWeights::new();
    if let Some((table, _)) = top.table(&mut sink, "weights", true) {
        for (cat, v) in table.iter() {
            let cat: &str = cat.get_ref();
            let key = format!("weights.{cat}");
            let DeValue::Table(t) = v.get_ref() else {
                wrong_type(
                    &mut sink,
                    v,
                    &key,
                    "a table of criterion = weight",
                    v.get_ref(),
                );
                continue;
            };
            let mut list = Vec::new();
            for (c, w) in t.iter() {
                let c: &str = c.get_ref();
                let ckey = format!("{key}.{c}");
                if !known(c) {
                    sink.error(
                        "unknown-criterion",
                        Some(w.span().start),
                        &ckey,
                        format!("criterion `{c}` is not defined"),
                        suggest_help(c, criteria.iter().map(|c| c.id.as_str())),
                    );
                    continue;
                }
                match as_f64(w.get_ref()) {
                    Some(x) if x > 0.0 && x <= 10.0 => list.push((c.to_owned(), x)),
                    _ => sink.error(
                        "bad-weight",
                        Some(w.span().start),
                        &ckey,
                        "weight must be a number above 0 and at most 10",
                        "remove the criterion from the category instead of giving it 0",
                    ),
                }
            }
            // Keep the criteria's declaration order, so pages list rows the same way.
            list.sort_by_key(|(c, _)| criteria.iter().position(|k| &k.id == c));
            weights.insert(cat.to_owned(), (list, v.span().start));
        }
    }
    let mut profiles = Vec::new();
    if let Some((table, _)) = top.table(&mut sink, "profiles", false) {
        for (slug, v) in table.iter() {
            let slug: &str = slug.get_ref();
            let key = format!("profiles.{slug}");
            let DeValue::Table(t) = v.get_ref() else {
                wrong_type(&mut sink, v, &key, "a table", v.get_ref());
                continue;
            };
            let mut fields = Fields::new(t, v.span().start, &key);
            let label = fields.prose(&mut sink, "label", Prose::Label, true);
            let description = fields.prose(&mut sink, "description", Prose::Sentences, true);
            let mut multipliers = BTreeMap::new();
            if let Some((m, _)) = fields.table(&mut sink, "multipliers", true) {
                for (c, w) in m.iter() {
                    let c: &str = c.get_ref();
                    let ckey = format!("{key}.multipliers.{c}");
                    if !known(c) {
                        sink.error(
                            "unknown-criterion",
                            Some(w.span().start),
                            &ckey,
                            format!("criterion `{c}` is not defined"),
                            suggest_help(c, criteria.iter().map(|c| c.id.as_str())),
                        );
                        continue;
                    }
                    match as_f64(w.get_ref()) {
                        Some(x) if (0.0..=10.0).contains(&x) => {
                            multipliers.insert(c.to_owned(), x);
                        }
                        _ => sink.error(
                            "bad-weight",
                            Some(w.span().start),
                            &ckey,
                            "multiplier must be a number from 0 to 10",
                            "use 2 to double a criterion's weight, 0.5 to halve it",
                        ),
                    }
                }
            }
            fields.finish(&mut sink);
            if let (Some(label), Some(description)) = (label, description) {
                profiles.push(Profile {
                    slug: slug.to_owned(),
                    label,
                    description,
                    multipliers,
                });
            }
        }
    }
    top.finish(&mut sink);
    if criteria.is_empty() {
        sink.error(
            "no-criteria",
            None,
            "",
            "no usable criterion is defined, so nothing can be scored",
            "define at least one `[criteria.<id>]` table with a `label` and `high_means`, fixing the errors reported here",
        );
    }
    (criteria, weights, profiles)
}

/// The categories of categories.toml that are valid, and every table key
/// in it with its offset, valid or not.
fn read_categories(
    f: &SourceFile,
    criteria: &[Criterion],
    mut weights: CategoryWeights,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Category>, Vec<(String, usize)>) {
    let Some(doc) = parse(f, &f.text, diags) else {
        return Default::default();
    };
    let mut categories = Vec::new();
    let mut defined = Vec::new();
    {
        let mut sink = Sink::new(&f.path, &f.text, diags);
        for (slug, v) in doc.iter() {
            let slug_str: &str = slug.get_ref();
            defined.push((slug_str.to_owned(), slug.span().start));
            if !is_valid_slug(slug_str) {
                sink.error(
                    "bad-slug",
                    Some(slug.span().start),
                    slug_str,
                    format!("`{slug_str}` is not a valid category slug"),
                    "use lowercase words joined by single hyphens",
                );
                continue;
            }
            let DeValue::Table(t) = v.get_ref() else {
                wrong_type(&mut sink, v, slug_str, "a table", v.get_ref());
                continue;
            };
            let mut fields = Fields::new(t, slug.span().start, slug_str);
            let name = fields.prose(&mut sink, "name", Prose::Label, true);
            let description = fields.prose(&mut sink, "description", Prose::Sentences, true);
            fields.finish(&mut sink);
            let w = match weights.remove(slug_str) {
                Some((w, _)) if !w.is_empty() => w,
                _ => {
                    sink.error(
                        "missing-weights",
                        Some(slug.span().start),
                        slug_str,
                        "category has no criterion weights",
                        format!("add a `[weights.{slug_str}]` table to criteria.toml"),
                    );
                    continue;
                }
            };
            for required in ["popularity", "learning-curve"] {
                if criteria.iter().any(|c| c.id == required)
                    && !w.iter().any(|(c, _)| c == required)
                {
                    sink.push(Severity::Warning, "missing-weights", Some(slug.span().start), Some(slug_str), format!("category does not weigh `{required}`, so its topics share less with other categories"), Some(format!("add `{required}` to `[weights.{slug_str}]`")));
                }
            }
            if let (Some(name), Some(description)) = (name, description) {
                categories.push(Category {
                    slug: slug_str.to_owned(),
                    name,
                    description,
                    weights: w,
                });
            }
        }
    }
    let mut sink = Sink::new("criteria.toml", "", diags);
    for (cat, _) in weights {
        sink.error(
            "unknown-category",
            None,
            &format!("weights.{cat}"),
            format!("weights for category `{cat}`, which categories.toml does not define"),
            "add the category to categories.toml or remove these weights",
        );
    }
    if categories.is_empty() {
        let mut sink = Sink::new(&f.path, &f.text, diags);
        sink.error(
            "no-categories",
            None,
            "",
            "no usable category is defined, so no topic can be published",
            "define at least one `[<slug>]` table with a `name` and a `description`, and its `[weights.<slug>]` in criteria.toml, fixing the errors reported here",
        );
    }
    (categories, defined)
}

/// An error for each category of categories.toml that ends up with no
/// topic, naming the first problem that left its topics out (or the
/// category itself): a site must not lose a whole section unnoticed.
fn check_categories_have_topics(
    f: &SourceFile,
    defined: &[(String, usize)],
    topics: &[Topic],
    diags: &mut Vec<Diagnostic>,
) {
    let published: HashSet<&str> = topics.iter().map(|t| t.category.as_str()).collect();
    for (slug, at) in defined {
        if published.contains(slug.as_str()) {
            continue;
        }
        let own = |d: &Diagnostic| match d.file.as_str() {
            "categories.toml" => d.key.as_deref().is_some_and(|k| under(k, slug)),
            "criteria.toml" => d
                .key
                .as_deref()
                .and_then(|k| k.strip_prefix("weights."))
                .is_some_and(|k| under(k, slug)),
            _ => false,
        };
        let folder = format!("topics/{slug}/");
        // The category's own problem first (its weights or its table),
        // then the first problem in one of its topic files.
        let cause = diags
            .iter()
            .filter(|d| leaves_out_one(d) || matches!(d.code, "symlink" | "not-a-file"))
            .filter(|d| own(d) || d.file.starts_with(&folder))
            .min_by_key(|d| {
                (
                    !own(d),
                    d.file.as_str(),
                    d.line,
                    d.key.as_deref(),
                    d.message.as_str(),
                )
            });
        let (message, help) = match cause {
            Some(d) => (
                format!(
                    "no topic of this category can be published; the first problem that left them out: {}: {}",
                    d.location(),
                    d.message
                ),
                format!(
                    "fix that problem, add a topic to {folder}, or remove the category from categories.toml"
                ),
            ),
            None => (
                format!("no topic of this category can be published; {folder} holds no topic file"),
                format!("add a topic to {folder}, or remove the category from categories.toml"),
            ),
        };
        Sink::new(&f.path, &f.text, diags).error("empty-category", Some(*at), slug, message, help);
    }
}

/// Whether the dotted `key` is `slug` or a key inside it.
fn under(key: &str, slug: &str) -> bool {
    key.strip_prefix(slug)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The places a topic refers to other topics, kept for checks after all
/// topics are read.
#[derive(Debug, Default)]
pub(crate) struct TopicRefs {
    aliases: Vec<(String, usize)>,
    related: Vec<(String, usize)>,
    alternatives: Vec<(String, usize)>,
    used_with: Vec<(String, usize)>,
    name_at: usize,
}

fn read_topic(
    f: &SourceFile,
    criteria: &[Criterion],
    categories: &[Category],
    jobs: &[Job],
    options: Options,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Topic, TopicRefs)> {
    let mut parts = f.path.trim_start_matches("topics/").split('/');
    let (Some(folder), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
        diags.push(Diagnostic {
            severity: Severity::Error,
            code: "bad-path",
            file: f.path.clone(),
            line: None,
            key: None,
            message: "a topic file must sit directly in its category's folder".into(),
            help: Some("move it to topics/<category>/<slug>.toml".into()),
        });
        return None;
    };
    let slug = file.strip_suffix(".toml")?.to_owned();
    let doc = parse(f, &f.text, diags)?;
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let start = sink.out.len();
    let mut ok = true;
    if !is_valid_slug(&slug) {
        sink.error("bad-slug", None, "", format!("`{slug}` is not a valid slug"), format!("rename the file to `{}.toml`: lowercase ASCII words joined by single hyphens, never `-vs-`", suggest_slug(&slug)));
        ok = false;
    }
    let mut fields = Fields::new(&doc, 0, "");
    let name = fields.string(&mut sink, "name", true);
    let kind = fields.string(&mut sink, "kind", true).and_then(|(k, at)| {
        let parsed = Kind::parse(&k);
        if parsed.is_none() {
            sink.error(
                "unknown-kind",
                Some(at),
                "kind",
                format!("unknown kind `{k}`"),
                suggest_help(&k, Kind::ALL.iter().map(|k| k.as_str())),
            );
        }
        parsed
    });
    let category = fields
        .string(&mut sink, "category", true)
        .and_then(|(c, at)| {
            let Some(cat) = categories.iter().find(|x| x.slug == c) else {
                sink.error(
                    "unknown-category",
                    Some(at),
                    "category",
                    format!("unknown category `{c}`"),
                    suggest_help(&c, categories.iter().map(|c| c.slug.as_str())),
                );
                return None;
            };
            if c != folder {
                sink.error(
                    "category-folder",
                    Some(at),
                    "category",
                    format!("category `{c}` does not match the folder `{folder}`"),
                    format!("move the file to topics/{c}/ or set `category = \"{folder}\"`"),
                );
            }
            Some(cat)
        });
    let aliases = fields.strings(&mut sink, "aliases", false);
    let tagline = fields.prose(&mut sink, "tagline", Prose::Sentences, true);
    let use_when = fields.prose(&mut sink, "use_when", Prose::YouClause, true);
    let pros = fields.prose_list(&mut sink, "pros", Prose::Sentences, true);
    let cons = fields.prose_list(&mut sink, "cons", Prose::Sentences, true);
    let related = fields.strings(&mut sink, "related", true);
    let alternatives = fields.strings(&mut sink, "alternatives", false);
    let used_with = fields.strings(&mut sink, "used_with", false);
    let plural = fields.bool(&mut sink, "plural").unwrap_or(false);
    let job_ids = read_topic_jobs(&mut fields, &mut sink, jobs);
    let reviewed = fields.date(&mut sink, "reviewed", true);

    if options.strict {
        for (key, have, need) in [
            ("pros", pros.len(), 3),
            ("cons", cons.len(), 2),
            ("related", related.len(), 2),
        ] {
            if have < need {
                sink.error(
                    "too-few",
                    Some(0),
                    key,
                    format!("has {have}, the catalog needs at least {need}"),
                    format!("add {} more to `{key}`", need - have),
                );
            }
        }
    }

    let mut scores = BTreeMap::new();
    if let Some((table, at)) = fields.table(&mut sink, "scores", true) {
        let expected: Vec<&str> = category
            .map(|c| c.weights.iter().map(|(id, _)| id.as_str()).collect())
            .unwrap_or_default();
        for (c, v) in table.iter() {
            let c: &str = c.get_ref();
            let key = format!("scores.{c}");
            if !criteria.iter().any(|k| k.id == c) {
                sink.error(
                    "unknown-criterion",
                    Some(v.span().start),
                    &key,
                    format!("criterion `{c}` is not defined"),
                    suggest_help(c, criteria.iter().map(|c| c.id.as_str())),
                );
                continue;
            }
            if category.is_some() && !expected.contains(&c) {
                sink.error(
                    "unscored-criterion",
                    Some(v.span().start),
                    &key,
                    format!("category `{folder}` does not weigh `{c}`"),
                    format!("remove it; this category scores {}", expected.join(", ")),
                );
                continue;
            }
            let DeValue::Table(t) = v.get_ref() else {
                wrong_type(
                    &mut sink,
                    v,
                    &key,
                    "a table `{ score = 7, reason = \"…\" }`",
                    v.get_ref(),
                );
                continue;
            };
            let mut sf = Fields::new(t, v.span().start, &key);
            let value = match sf.raw("score") {
                None => {
                    sink.error(
                        "missing-field",
                        Some(v.span().start),
                        &format!("{key}.score"),
                        "missing score",
                        "add `score = N` with N from 0 to 10",
                    );
                    None
                }
                Some(s) => match as_i64(s.get_ref()) {
                    Some(n) if (0..=10).contains(&n) => Some(n as u8),
                    Some(n) => {
                        sink.error(
                            "score-range",
                            Some(s.span().start),
                            &format!("{key}.score"),
                            format!("score {n} is outside 0-10"),
                            "use a whole number from 0 to 10",
                        );
                        None
                    }
                    None => {
                        sink.error(
                            "score-range",
                            Some(s.span().start),
                            &format!("{key}.score"),
                            "score must be a whole number from 0 to 10",
                            "write it without quotes or decimals, for example `score = 7`",
                        );
                        None
                    }
                },
            };
            let reason = match sf.raw("reason") {
                None => {
                    sink.error(
                        "missing-reason",
                        Some(v.span().start),
                        &format!("{key}.reason"),
                        "score has no reason",
                        "add `reason = \"…\"`: one sentence a reader can check",
                    );
                    None
                }
                Some(_) => sf.prose(&mut sink, "reason", Prose::Sentences, true),
            };
            sf.finish(&mut sink);
            if let (Some(value), Some(reason)) = (value, reason) {
                scores.insert(
                    c.to_owned(),
                    Score {
                        value,
                        reason,
                        from_evidence: None,
                    },
                );
            } else {
                ok = false;
            }
        }
        for c in &expected {
            if !table.contains_key(*c) {
                sink.error(
                    "missing-score",
                    Some(at),
                    &format!("scores.{c}"),
                    format!("no score for `{c}`, which category `{folder}` weighs"),
                    format!("add `{c} = {{ score = N, reason = \"…\" }}` under [scores]"),
                );
                ok = false;
            }
        }
    }

    let mut packages = BTreeMap::new();
    if let Some((table, _)) = fields.table(&mut sink, "packages", false) {
        for (registry, v) in table.iter() {
            let registry: &str = registry.get_ref();
            let key = format!("packages.{registry}");
            if !evidence::REGISTRIES.contains(&registry) {
                sink.error(
                    "unknown-registry",
                    Some(v.span().start),
                    &key,
                    format!("unknown registry `{registry}`"),
                    format!("use one of {}", evidence::REGISTRIES.join(", ")),
                );
                continue;
            }
            match v.get_ref() {
                DeValue::String(s) if !s.trim().is_empty() => {
                    packages.insert(registry.to_owned(), s.to_string());
                }
                other => wrong_type(&mut sink, v, &key, "a package name", other),
            }
        }
    }
    fields.finish(&mut sink);

    let (
        Some((name, name_at)),
        Some(kind),
        Some(category),
        Some(tagline),
        Some(use_when),
        Some(reviewed),
    ) = (name, kind, category, tagline, use_when, reviewed)
    else {
        return None;
    };
    // A topic whose file has errors is left out, so text that breaks the
    // verdict's sentences (a clause not starting with "you", a
    // placeholder) never reaches a reader.
    if !ok || pros.is_empty() || cons.is_empty() || leaves_out(&sink.out[start..]) {
        return None;
    }
    let refs = TopicRefs {
        aliases: aliases.clone(),
        related: related.clone(),
        alternatives: alternatives.clone(),
        used_with: used_with.clone(),
        name_at,
    };
    Some((
        Topic {
            slug,
            name,
            kind,
            category: category.slug.clone(),
            aliases: aliases.into_iter().map(|(a, _)| a).collect(),
            tagline,
            use_when,
            pros,
            cons,
            related: related.into_iter().map(|(r, _)| r).collect(),
            alternatives: alternatives.into_iter().map(|(r, _)| r).collect(),
            jobs: job_ids,
            used_with: used_with.into_iter().map(|(r, _)| r).collect(),
            plural,
            reviewed,
            scores,
            packages,
            evidence: Vec::new(),
        },
        refs,
    ))
}

/// A topic's `jobs`: at least one, each defined in jobs.toml.
fn read_topic_jobs(fields: &mut Fields<'_, '_>, sink: &mut Sink<'_>, jobs: &[Job]) -> Vec<String> {
    let listed = fields.strings(sink, "jobs", true);
    if listed.is_empty() {
        if fields.raw("jobs").is_some() {
            sink.error(
                "missing-jobs",
                None,
                "jobs",
                "a topic needs at least one job",
                "name what readers use it for, with ids from jobs.toml: topics that share a job are alternatives",
            );
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    for (id, at) in listed {
        if jobs.iter().any(|j| j.id == id) {
            if !out.contains(&id) {
                out.push(id);
            }
        } else {
            sink.error(
                "unknown-job",
                Some(at),
                "jobs",
                format!("job `{id}` is not defined"),
                match closest(&id, jobs.iter().map(|j| j.id.as_str())) {
                    Some(near) => {
                        format!("did you mean `{near}`? Otherwise define `{id}` in jobs.toml")
                    }
                    None => format!("define `{id}` in jobs.toml, or use a job defined there"),
                },
            );
        }
    }
    out
}

/// jobs.toml: one table per job id with a `label` that reads after "is
/// for".
fn read_jobs(f: &SourceFile, diags: &mut Vec<Diagnostic>) -> Vec<Job> {
    let Some(doc) = parse(f, &f.text, diags) else {
        return Vec::new();
    };
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let mut jobs = Vec::new();
    for (id, v) in doc.iter() {
        let id_str: &str = id.get_ref();
        if !is_valid_slug(id_str) {
            sink.error(
                "bad-slug",
                Some(id.span().start),
                id_str,
                format!("`{id_str}` is not a valid job id"),
                "use lowercase words joined by single hyphens",
            );
            continue;
        }
        let DeValue::Table(t) = v.get_ref() else {
            wrong_type(&mut sink, v, id_str, "a table with a `label`", v.get_ref());
            continue;
        };
        let mut fields = Fields::new(t, id.span().start, id_str);
        let label = fields.string(&mut sink, "label", true);
        fields.finish(&mut sink);
        let Some((label, at)) = label else { continue };
        // Lowercase, unless it starts with an acronym ("CI/CD pipelines").
        let first_word = label.split_whitespace().next().unwrap_or("");
        let acronym = first_word.chars().filter(|c| c.is_uppercase()).count() > 1;
        let capitalised = label.chars().next().is_some_and(char::is_uppercase);
        if label.ends_with('.') || (capitalised && !acronym) {
            sink.error(
                "job-label",
                Some(at),
                &format!("{id_str}.label"),
                "a job label is a lowercase noun phrase with no full stop",
                "write it to read after \"is for\", for example \"version control\"",
            );
            continue;
        }
        jobs.push(Job {
            id: id_str.to_owned(),
            label,
        });
    }
    jobs
}

/// Checks that jobs and `used_with` say consistent things: alternatives
/// share a job, topics used together do not, and every job is done by
/// some topic.
fn check_jobs(
    topics: &[Topic],
    refs: &[TopicRefs],
    files: &[SourceFile],
    jobs: &[Job],
    all_loaded: bool,
    diags: &mut Vec<Diagnostic>,
) {
    let by_slug: HashMap<&str, &Topic> = topics.iter().map(|t| (t.slug.as_str(), t)).collect();
    let shares = |a: &Topic, b: &Topic| a.jobs.iter().any(|j| b.jobs.contains(j));
    for (t, r) in topics.iter().zip(refs) {
        let f = &files[topic_file(files, t)];
        let mut sink = Sink::new(&f.path, &f.text, diags);
        for (slug, at) in &r.alternatives {
            if let Some(o) = by_slug.get(slug.as_str()).filter(|o| !shares(t, o)) {
                sink.push(
                    Severity::Warning,
                    "alternative-other-job",
                    Some(*at),
                    Some("alternatives"),
                    format!("`{slug}` is listed as an alternative but shares no job with this topic ({} vs {})", t.jobs.join(", "), o.jobs.join(", ")),
                    Some("remove it from `alternatives`, or give both a job they share".into()),
                );
            }
        }
        for (slug, at) in &r.used_with {
            if let Some(o) = by_slug.get(slug.as_str()).filter(|o| shares(t, o)) {
                let shared: Vec<&str> = t
                    .jobs
                    .iter()
                    .filter(|j| o.jobs.contains(j))
                    .map(String::as_str)
                    .collect();
                sink.push(
                    Severity::Warning,
                    "used-with-alternative",
                    Some(*at),
                    Some("used_with"),
                    format!("`{slug}` shares job `{}` with this topic, so they are alternatives, not used together", shared.join("`, `")),
                    Some("remove it from `used_with`, or give them different jobs".into()),
                );
            }
        }
    }
    if let Some(f) = files
        .iter()
        .find(|f| f.path == "jobs.toml")
        .filter(|_| all_loaded)
    {
        let mut sink = Sink::new(&f.path, &f.text, diags);
        for j in jobs {
            if !topics.iter().any(|t| t.jobs.contains(&j.id)) {
                let at = f.text.find(&format!("[{}]", j.id));
                sink.push(
                    Severity::Warning,
                    "unused-job",
                    at,
                    Some(&j.id),
                    format!("no topic does job `{}`", j.id),
                    Some("remove it, or add it to the `jobs` of the topics that do it".into()),
                );
            }
        }
    }
}

fn topic_file(files: &[SourceFile], t: &Topic) -> usize {
    let path = format!("topics/{}/{}.toml", t.category, t.slug);
    files.iter().position(|f| f.path == path).unwrap_or(0)
}

/// Duplicate slugs and aliases, and near-duplicate topics.
fn check_uniqueness(
    topics: &[Topic],
    refs: &[TopicRefs],
    files: &[SourceFile],
    diags: &mut Vec<Diagnostic>,
) {
    // Compact form: normalised, without separators or a plural "s".
    let compact = |s: &str| -> String {
        let n: String = normalize(s)
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == '+' || *c == '#')
            .collect();
        n.strip_suffix('s').map(str::to_owned).unwrap_or(n)
    };
    let mut seen_slug: HashMap<&str, &Topic> = HashMap::new();
    // compact form -> (owner slug, what it is)
    let mut forms: HashMap<String, (&str, String)> = HashMap::new();
    for (t, r) in topics.iter().zip(refs) {
        let f = &files[topic_file(files, t)];
        let mut sink = Sink::new(&f.path, &f.text, diags);
        if let Some(other) = seen_slug.insert(&t.slug, t) {
            sink.error(
                "duplicate-slug",
                None,
                "",
                format!(
                    "slug `{}` is also used in topics/{}/",
                    t.slug, other.category
                ),
                "rename one of the files; a slug must be unique across all categories",
            );
            continue;
        }
        let mut own = vec![
            (compact(&t.slug), format!("slug `{}`", t.slug), 0),
            (compact(&t.name), format!("name \"{}\"", t.name), r.name_at),
        ];
        own.extend(
            r.aliases
                .iter()
                .map(|(a, at)| (compact(a), format!("alias \"{a}\""), *at)),
        );
        let mut mine: Vec<String> = Vec::new();
        for (form, what, at) in own {
            if form.is_empty() || mine.contains(&form) {
                continue;
            }
            mine.push(form.clone());
            match forms.get(&form) {
                Some((owner, their)) if *owner != t.slug => {
                    // Two aliases clash: one of them is wrong. Anything
                    // else (a slug or name meeting another topic's slug,
                    // name or alias, whichever file is read first) suggests
                    // the same topic twice.
                    let alias_here = what.starts_with("alias");
                    let alias_there = their.starts_with("alias");
                    let (code, help) = if alias_here && alias_there {
                        (
                            "duplicate-alias",
                            format!(
                                "an alias must point to one topic; remove it here or from `{owner}`"
                            ),
                        )
                    } else {
                        let otherwise = if alias_here {
                            "; if they differ, remove the alias here".to_owned()
                        } else if alias_there {
                            format!("; if they differ, remove the alias from `{owner}`")
                        } else {
                            String::new()
                        };
                        (
                            "near-duplicate",
                            format!(
                                "`{owner}` and `{}` look like the same topic: merge them and keep the other spelling as an alias{otherwise}",
                                t.slug
                            ),
                        )
                    };
                    let key = if alias_here {
                        "aliases"
                    } else if what.starts_with("name") {
                        "name"
                    } else {
                        ""
                    };
                    sink.error(
                        code,
                        Some(at),
                        key,
                        format!("{what} clashes with the {their} of topic `{owner}`"),
                        help,
                    );
                }
                _ => {
                    forms.insert(form, (&t.slug, what));
                }
            }
        }
    }
}

/// Checks `related` and `alternatives`; drops dangling references so the
/// catalog's invariant (every reference resolves) holds.
fn resolve_references(
    topics: &mut [Topic],
    refs: &[TopicRefs],
    files: &[SourceFile],
    present: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    let slugs: Vec<String> = topics.iter().map(|t| t.slug.clone()).collect();
    for (t, r) in topics.iter_mut().zip(refs) {
        let f = &files[topic_file(files, t)];
        let mut sink = Sink::new(&f.path, &f.text, diags);
        for (key, list) in [
            ("related", &r.related),
            ("alternatives", &r.alternatives),
            ("used_with", &r.used_with),
        ] {
            for (slug, at) in list {
                if slug == &t.slug {
                    sink.error(
                        "self-reference",
                        Some(*at),
                        key,
                        format!("`{slug}` refers to the topic itself"),
                        "remove it",
                    );
                } else if !slugs.contains(slug) && !present.contains(&slug.as_str()) {
                    sink.error(
                        "unknown-topic",
                        Some(*at),
                        key,
                        format!("topic `{slug}` does not exist"),
                        suggest_topic(slug, slugs.iter().map(String::as_str)),
                    );
                }
            }
        }
        t.related.retain(|s| s != &t.slug && slugs.contains(s));
        t.alternatives.retain(|s| s != &t.slug && slugs.contains(s));
        t.used_with.retain(|s| s != &t.slug && slugs.contains(s));
    }
}

fn read_editorial(
    f: &SourceFile,
    topics: &HashMap<&str, &Topic>,
    present: &[&str],
    categories: &[Category],
    diags: &mut Vec<Diagnostic>,
) -> Option<Editorial> {
    let stem = f
        .path
        .trim_start_matches("comparisons/")
        .strip_suffix(".toml")?;
    let doc = parse(f, &f.text, diags)?;
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let start = sink.out.len();
    let slugs: Vec<String> = stem.split("--").map(str::to_owned).collect();
    let mut ok = true;
    if !(2..=4).contains(&slugs.len()) {
        sink.error(
            "bad-comparison",
            None,
            "",
            format!("`{stem}` must name 2 to 4 topics joined by `--`"),
            "name the file like `postgresql--sqlite.toml`",
        );
        return None;
    }
    for s in &slugs {
        if present.contains(&s.as_str()) && !topics.contains_key(s.as_str()) {
            // Left out for an error reported in its own file.
            ok = false;
        } else if !topics.contains_key(s.as_str()) {
            sink.error(
                "unknown-topic",
                None,
                "",
                format!("the file name refers to topic `{s}`, which does not exist"),
                suggest_topic(s, topics.keys().copied()),
            );
            ok = false;
        }
    }
    let mut sorted = slugs.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != slugs.len() {
        sink.error(
            "bad-comparison",
            None,
            "",
            "a topic appears twice in the file name",
            "name each topic once",
        );
        return None;
    }
    if sorted != slugs {
        sink.error(
            "comparison-order",
            None,
            "",
            "topics in the file name are not in canonical (alphabetical) order",
            format!("rename the file to `{}.toml`", sorted.join("--")),
        );
    }
    let member = |s: &str| slugs.iter().any(|x| x == s);
    let mut fields = Fields::new(&doc, 0, "");
    let outcome = match fields.string(&mut sink, "outcome", false) {
        None => Some(Outcome::Pick),
        Some((o, at)) => {
            let parsed = Outcome::parse(&o);
            if parsed.is_none() {
                sink.error(
                    "unknown-outcome",
                    Some(at),
                    "outcome",
                    format!("unknown outcome `{o}`"),
                    suggest_help(&o, Outcome::ALL.iter().map(|o| o.as_str())),
                );
                ok = false;
            }
            parsed
        }
    };
    let picks = outcome == Some(Outcome::Pick);
    let mut pick_at = None;
    let pick = fields.string(&mut sink, "pick", picks).and_then(|(p, at)| {
        pick_at = Some(at);
        if !picks {
            sink.error(
                "pick-not-allowed",
                Some(at),
                "pick",
                "only an editorial whose outcome is a pick names one",
                "remove `pick`, or remove `outcome` to make this a pick",
            );
            None
        } else if member(&p) {
            Some(p)
        } else {
            sink.error(
                "bad-pick",
                Some(at),
                "pick",
                format!("`{p}` is not one of the compared topics"),
                format!("pick one of {}", slugs.join(", ")),
            );
            None
        }
    });
    if picks && pick.is_some() {
        let members: Vec<&Topic> = slugs
            .iter()
            .filter_map(|s| topics.get(s.as_str()).copied())
            .collect();
        if members.len() == slugs.len()
            && !members[0]
                .jobs
                .iter()
                .any(|j| members.iter().all(|t| t.jobs.contains(j)))
        {
            sink.error(
                "pick-across-jobs",
                pick_at,
                "pick",
                "the editors pick between topics that share no job, so they are not alternatives",
                "give the topics a job they share in their `jobs`, or set `outcome = \"complements\"` (used together) or `\"different-jobs\"` and remove `pick`",
            );
            ok = false;
        }
    }
    let title = fields.prose(&mut sink, "title", Prose::Label, false);
    let category = fields
        .string(&mut sink, "category", false)
        .and_then(|(c, at)| {
            if categories.iter().any(|x| x.slug == c) {
                Some(c)
            } else {
                sink.error(
                    "unknown-category",
                    Some(at),
                    "category",
                    format!("unknown category `{c}`"),
                    suggest_help(&c, categories.iter().map(|c| c.slug.as_str())),
                );
                None
            }
        });
    let short_answer = fields.prose(&mut sink, "short_answer", Prose::Sentences, true);
    let reviewed = fields.date(&mut sink, "reviewed", true);
    let also: Vec<String> = fields
        .strings(&mut sink, "also_consider", false)
        .into_iter()
        .filter(|(s, at)| {
            let known = topics.contains_key(s.as_str());
            if !known && !present.contains(&s.as_str()) {
                sink.error(
                    "unknown-topic",
                    Some(*at),
                    "also_consider",
                    format!("topic `{s}` does not exist"),
                    suggest_topic(s, topics.keys().copied()),
                );
            }
            known && !member(s)
        })
        .map(|(s, _)| s)
        .collect();
    let mut pick_if = BTreeMap::new();
    if let Some((table, _)) = fields.table(&mut sink, "pick_if", false) {
        for (s, v) in table.iter() {
            let s: &str = s.get_ref();
            let key = format!("pick_if.{s}");
            if !member(s) {
                sink.error(
                    "unknown-topic",
                    Some(v.span().start),
                    &key,
                    format!("`{s}` is not one of the compared topics"),
                    format!("use one of {}", slugs.join(", ")),
                );
                continue;
            }
            let DeValue::Array(items) = v.get_ref() else {
                wrong_type(&mut sink, v, &key, "an array of clauses", v.get_ref());
                continue;
            };
            let mut clauses = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.get_ref() {
                    DeValue::String(c) => {
                        check_prose(
                            &mut sink,
                            &format!("{key}[{i}]"),
                            item.span().start,
                            c,
                            Prose::YouClause,
                        );
                        clauses.push(c.to_string());
                    }
                    other => wrong_type(&mut sink, item, &format!("{key}[{i}]"), "a string", other),
                }
            }
            pick_if.insert(s.to_owned(), clauses);
        }
    }
    let mut sections = Vec::new();
    if let Some(v) = fields.raw("sections") {
        match v.get_ref() {
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let key = format!("sections[{i}]");
                    let DeValue::Table(t) = item.get_ref() else {
                        wrong_type(&mut sink, item, &key, "a table", item.get_ref());
                        continue;
                    };
                    let mut sf = Fields::new(t, item.span().start, &key);
                    let heading = sf.prose(&mut sink, "heading", Prose::Label, true);
                    let winner = sf.string(&mut sink, "winner", false).and_then(|(w, at)| {
                        if w == "tie" {
                            None
                        } else if member(&w) {
                            Some(w)
                        } else {
                            sink.error(
                                "bad-pick",
                                Some(at),
                                &format!("{key}.winner"),
                                format!("`{w}` is not one of the compared topics"),
                                format!("use one of {} or \"tie\"", slugs.join(", ")),
                            );
                            None
                        }
                    });
                    let body = sf.prose(&mut sink, "body", Prose::Sentences, true);
                    sf.finish(&mut sink);
                    if let (Some(heading), Some(body)) = (heading, body) {
                        sections.push(Section {
                            heading,
                            winner,
                            body: body.trim().to_owned(),
                        });
                    }
                }
            }
            other => wrong_type(
                &mut sink,
                v,
                "sections",
                "an array of [[sections]] tables",
                other,
            ),
        }
    }
    fields.finish(&mut sink);
    if !ok || leaves_out(&sink.out[start..]) {
        return None;
    }
    let outcome = outcome?;
    if outcome == Outcome::Pick && pick.is_none() {
        return None;
    }
    Some(Editorial {
        slugs: sorted,
        outcome,
        pick,
        title,
        category,
        short_answer: short_answer?,
        pick_if,
        also_consider: also,
        sections,
        reviewed: reviewed?,
    })
}

/// "did you mean" help for an unknown name, or the known names when none
/// is close (criteria, kinds and categories are few enough to list).
pub(crate) fn suggest_help<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    closest(input, known.iter().copied()).map_or_else(
        || {
            let names: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("use one of {}", names.join(", "))
        },
        |k| format!("did you mean `{k}`?"),
    )
}

/// "did you mean" help for an unknown topic; there are too many to list.
fn suggest_topic<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> String {
    closest(input, known).map_or_else(
        || "check the spelling; `verdict topics` lists what exists".to_owned(),
        |k| format!("did you mean `{k}`?"),
    )
}

fn closest<'a>(input: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::damerau_levenshtein(input, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

/// A valid slug close to an invalid one.
fn suggest_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').replace("-vs-", "-versus-")
}
