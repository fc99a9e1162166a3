//! One topic file, `topics/<category>/<slug>.toml`.
//!
//! The order fields are read in is part of the output: a misspelt key's
//! help lists the known keys in that order.

use std::borrow::Cow;
use std::collections::BTreeMap;

use toml::de::DeValue;

use verdict_core::lint::Prose;
use verdict_core::model::{Category, Criterion, Job, Kind, Score, Source, Topic, is_valid_slug};

use super::jobs::read_topic_jobs;
use super::sources::{STRICT_MINIMUM, needs_source, read_sources};
use super::suggest::{suggest_help, suggest_slug, unknown_category, unknown_criterion};
use super::{Options, Roots, TopicFile, leaves_out, parse};
use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::evidence;
use crate::reader::{Fields, Value, as_i64, wrong_type};
use crate::{Code, SourceFile};

/// Where a topic's names and references are in its file, kept for the
/// checks that run once every topic is read. By then the file's text may be
/// freed, so these are 1-based lines ([`Sink::at_lines`]). Each list is in
/// the order of the topic's own list of the same name, as read.
#[derive(Debug, Default)]
pub(super) struct TopicRefs {
    pub(super) path: String,
    pub(super) name_line: usize,
    pub(super) alias_lines: Vec<usize>,
    pub(super) related_lines: Vec<usize>,
    pub(super) alternatives_lines: Vec<usize>,
    pub(super) used_with_lines: Vec<usize>,
}

/// Every topic file that reads without an error that leaves it out, with
/// its references.
pub(super) fn read_all(
    files: Vec<TopicFile<'_>>,
    roots: &Roots,
    jobs: &[Job],
    options: Options,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<Topic>, Vec<TopicRefs>), crate::LoadError> {
    use rayon::prelude::*;
    // Each file is read on its own, in parallel; the results are joined in
    // file order, so the catalog and its diagnostics are the same however
    // the work was shared out. A file not read yet is read here and dropped
    // as soon as it is parsed (at the end of this closure), on the same
    // thread: the texts and the topics made from them are never all held at
    // once.
    let read: Vec<_> = files
        .into_par_iter()
        .map(|input| {
            let mut own = Vec::new();
            let file = match input {
                TopicFile::Read(f) => Cow::Borrowed(f),
                TopicFile::Unread(u) => match u.read()? {
                    Ok(f) => Cow::Owned(f),
                    Err(not_utf8) => return Ok((None, vec![not_utf8])),
                },
            };
            let read = read_topic(
                &file,
                &roots.criteria,
                &roots.categories,
                jobs,
                options,
                &mut own,
            );
            Ok((read, own))
        })
        .collect::<Result<_, crate::LoadError>>()?;
    let mut topics = Vec::with_capacity(read.len());
    let mut refs = Vec::with_capacity(read.len());
    for (read, own) in read {
        diags.extend(own);
        if let Some((t, r)) = read {
            topics.push(t);
            refs.push(r);
        }
    }
    Ok((topics, refs))
}

/// The fields of a topic file other than its scores and packages, as read
/// (each `None` or empty after an error reported).
struct Head<'c> {
    name: Option<(String, usize)>,
    kind: Option<Kind>,
    category: Option<&'c Category>,
    aliases: Vec<(String, usize)>,
    tagline: Option<String>,
    use_when: Option<String>,
    pros: Vec<String>,
    cons: Vec<String>,
    related: Vec<(String, usize)>,
    alternatives: Vec<(String, usize)>,
    used_with: Vec<(String, usize)>,
    plural: bool,
    jobs: Vec<String>,
    reviewed: Option<String>,
    sources: Vec<Source>,
}

fn read_topic(
    f: &SourceFile,
    criteria: &[Criterion],
    categories: &[Category],
    jobs: &[Job],
    options: Options,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Topic, TopicRefs)> {
    let (folder, slug) = topic_path(f, diags)?;
    let doc = parse(f, &f.text, diags)?;
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let start = sink.out.len();
    let mut ok = check_slug(&mut sink, &slug);
    let mut fields = Fields::new(&doc, 0, "");
    let head = read_head(&mut fields, &mut sink, folder, categories, jobs);
    if options.strict {
        check_minimums(&mut sink, &head);
    }
    check_unsourced(&mut sink, &head);
    let scores = read_scores(&mut fields, &mut sink, criteria, head.category, folder);
    ok &= scores.is_some();
    let packages = read_packages(&mut fields, &mut sink);
    fields.finish(&mut sink);

    // A topic whose file has errors is left out, so text that breaks the
    // verdict's sentences (a clause not starting with "you", a
    // placeholder) never reaches a reader.
    if !ok || head.pros.is_empty() || head.cons.is_empty() || leaves_out(&sink.out[start..]) {
        return None;
    }
    build(slug, head, scores?, packages, &f.path, &|at| {
        sink.line_of(at)
    })
}

/// The category folder and the slug from the file's path, or `None`
/// (reported) when the file is not directly in a category's folder.
fn topic_path<'f>(f: &'f SourceFile, diags: &mut Vec<Diagnostic>) -> Option<(&'f str, String)> {
    let mut parts = f.path.trim_start_matches("topics/").split('/');
    let (Some(folder), Some(file), None) = (parts.next(), parts.next(), parts.next()) else {
        diags.push(Diagnostic {
            severity: Severity::Error,
            code: Code::BadPath,
            file: f.path.clone(),
            line: None,
            key: None,
            message: "a topic file must sit directly in its category's folder".into(),
            help: Some("move it to topics/<category>/<slug>.toml".into()),
        });
        return None;
    };
    Some((folder, file.strip_suffix(".toml")?.to_owned()))
}

/// Whether the file name is a valid slug; reports it when not.
fn check_slug(sink: &mut Sink<'_>, slug: &str) -> bool {
    if is_valid_slug(slug) {
        return true;
    }
    sink.error(
        Code::BadSlug,
        None,
        "",
        format!("`{slug}` is not a valid slug"),
        format!(
            "rename the file to `{}.toml`: lowercase ASCII words joined by single hyphens, never `-vs-`",
            suggest_slug(slug)
        ),
    );
    false
}

fn read_head<'c>(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    folder: &str,
    categories: &'c [Category],
    jobs: &[Job],
) -> Head<'c> {
    let name = fields.string(sink, "name", true);
    if let Some((n, at)) = &name {
        // A scaffold's `name = "TODO"` must not pass for a name.
        crate::reader::check_prose(sink, "name", *at, n, Prose::Label);
    }
    let kind = fields
        .string(sink, "kind", true)
        .and_then(|(k, at)| read_kind(sink, &k, at));
    let category = fields
        .string(sink, "category", true)
        .and_then(|(c, at)| read_category(sink, &c, at, folder, categories));
    Head {
        name,
        kind,
        category,
        aliases: fields.strings(sink, "aliases", false),
        tagline: fields.prose(sink, "tagline", Prose::Sentences, true),
        use_when: fields.prose(sink, "use_when", Prose::YouClause, true),
        pros: fields.prose_list(sink, "pros", Prose::Sentences, true),
        cons: fields.prose_list(sink, "cons", Prose::Sentences, true),
        related: fields.strings(sink, "related", true),
        alternatives: fields.strings(sink, "alternatives", false),
        used_with: fields.strings(sink, "used_with", false),
        plural: fields.bool(sink, "plural").unwrap_or(false),
        jobs: read_topic_jobs(fields, sink, jobs),
        reviewed: fields.date(sink, "reviewed", true),
        sources: read_sources(fields, sink),
    }
}

fn read_kind(sink: &mut Sink<'_>, k: &str, at: usize) -> Option<Kind> {
    let parsed = Kind::parse(k);
    if parsed.is_none() {
        sink.error(
            Code::UnknownKind,
            Some(at),
            "kind",
            format!("unknown kind `{k}`"),
            suggest_help(k, Kind::ALL.iter().map(|k| k.as_str())),
        );
    }
    parsed
}

/// The topic's category, which must exist and be the folder it sits in
/// (a mismatch is reported, but the category still counts).
fn read_category<'c>(
    sink: &mut Sink<'_>,
    c: &str,
    at: usize,
    folder: &str,
    categories: &'c [Category],
) -> Option<&'c Category> {
    let Some(cat) = categories.iter().find(|x| x.slug == c) else {
        unknown_category(sink, at, c, categories);
        return None;
    };
    if c != folder {
        sink.error(
            Code::CategoryFolder,
            Some(at),
            "category",
            format!("category `{c}` does not match the folder `{folder}`"),
            format!("move the file to topics/{c}/ or set `category = \"{folder}\"`"),
        );
    }
    Some(cat)
}

/// `--strict`'s minimums: the published catalog's topics have at least 3
/// pros, 2 cons and 2 related topics.
fn check_minimums(sink: &mut Sink<'_>, head: &Head<'_>) {
    for (key, have, need) in [
        ("pros", head.pros.len(), 3),
        ("cons", head.cons.len(), 2),
        ("related", head.related.len(), 2),
        ("sources", head.sources.len(), STRICT_MINIMUM),
    ] {
        if have < need {
            sink.error(
                Code::TooFew,
                Some(0),
                key,
                format!("has {have}, the catalog needs at least {need}"),
                format!("add {} more to `{key}`", need - have),
            );
        }
    }
}

/// A warning for a topic with no sources whose text makes claims that
/// need one (`--strict` asks for sources of every topic instead).
fn check_unsourced(sink: &mut Sink<'_>, head: &Head<'_>) {
    if !head.sources.is_empty() {
        return;
    }
    let texts = head
        .tagline
        .iter()
        .chain(&head.use_when)
        .chain(&head.pros)
        .chain(&head.cons);
    if let Some(claim) = texts.into_iter().find(|t| needs_source(t)) {
        sink.push(
            Severity::Warning,
            Code::UnsourcedClaims,
            Some(0),
            Some("sources"),
            format!("the topic has no sources, yet says \"{claim}\""),
            Some("add [[sources]] with the url, title and read date of the primary source each dated, versioned or licensed fact was checked against".into()),
        );
    }
}

/// `[scores]`: one score per criterion the category weighs. `None` when a
/// score is incomplete or missing (each reported); the topic is then left
/// out.
fn read_scores(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    criteria: &[Criterion],
    category: Option<&Category>,
    folder: &str,
) -> Option<BTreeMap<String, Score>> {
    let mut scores = BTreeMap::new();
    let mut ok = true;
    let Some((table, at)) = fields.table(sink, "scores", true) else {
        return Some(scores);
    };
    // Criteria computed from measured figures are never written here.
    let computed = |id: &str| {
        criteria
            .iter()
            .find(|k| k.id == id)
            .and_then(|k| k.computed_from)
    };
    let expected: Vec<&str> = category
        .map(|c| {
            c.weights
                .iter()
                .map(|(id, _)| id.as_str())
                .filter(|id| computed(id).is_none())
                .collect()
        })
        .unwrap_or_default();
    for (c, v) in table.iter() {
        let c: &str = c.get_ref();
        let key = format!("scores.{c}");
        if !criteria.iter().any(|k| k.id == c) {
            unknown_criterion(sink, v.span().start, &key, c, criteria);
            continue;
        }
        if let Some(measure) = computed(c) {
            sink.error(
                Code::ComputedScore,
                Some(v.span().start),
                &key,
                format!("`{c}` is computed from {}, not written by editors", measure.source_label()),
                "remove it; the score comes from the topic's `verdict import git` evidence, where it has some",
            );
            continue;
        }
        if category.is_some() && !expected.contains(&c) {
            sink.error(
                Code::UnscoredCriterion,
                Some(v.span().start),
                &key,
                format!("category `{folder}` does not weigh `{c}`"),
                format!("remove it; this category scores {}", expected.join(", ")),
            );
            continue;
        }
        // A value that is not a table is an error (`wrong-type`) that
        // leaves the topic out anyway.
        match read_score(sink, &key, v) {
            Some(score) => {
                scores.insert(c.to_owned(), score);
            }
            None => ok = false,
        }
    }
    for c in &expected {
        if !table.contains_key(*c) {
            sink.error(
                Code::MissingScore,
                Some(at),
                &format!("scores.{c}"),
                format!("no score for `{c}`, which category `{folder}` weighs"),
                format!("add `{c} = {{ score = N, reason = \"…\" }}` under [scores]"),
            );
            ok = false;
        }
    }
    ok.then_some(scores)
}

/// One `{ score = N, reason = "…" }`, or `None` after reporting what is
/// wrong with it.
fn read_score(sink: &mut Sink<'_>, key: &str, v: &Value<'_>) -> Option<Score> {
    let DeValue::Table(t) = v.get_ref() else {
        wrong_type(
            sink,
            v,
            key,
            "a table `{ score = 7, reason = \"…\" }`",
            v.get_ref(),
        );
        return None;
    };
    let mut sf = Fields::new(t, v.span().start, key);
    let value = match sf.raw("score") {
        None => {
            sink.error(
                Code::MissingField,
                Some(v.span().start),
                &format!("{key}.score"),
                "missing score",
                "add `score = N` with N from 0 to 10",
            );
            None
        }
        Some(s) => score_value(sink, key, s),
    };
    let reason = match sf.raw("reason") {
        None => {
            sink.error(
                Code::MissingReason,
                Some(v.span().start),
                &format!("{key}.reason"),
                "score has no reason",
                "add `reason = \"…\"`: one sentence a reader can check",
            );
            None
        }
        Some(_) => sf.prose(sink, "reason", Prose::Sentences, true),
    };
    sf.finish(sink);
    Some(Score {
        value: value?,
        reason: reason?.into(),
        from_evidence: None,
    })
}

/// A score's `score`: a whole number from 0 to 10.
fn score_value(sink: &mut Sink<'_>, key: &str, s: &Value<'_>) -> Option<u8> {
    let (message, help) = match as_i64(s.get_ref()) {
        Some(n) if (0..=10).contains(&n) => return Some(n as u8),
        Some(n) => (
            format!("score {n} is outside 0-10"),
            "use a whole number from 0 to 10",
        ),
        None => (
            "score must be a whole number from 0 to 10".to_owned(),
            "write it without quotes or decimals, for example `score = 7`",
        ),
    };
    sink.error(
        Code::ScoreRange,
        Some(s.span().start),
        &format!("{key}.score"),
        message,
        help,
    );
    None
}

/// `[packages]`: the topic's package name per registry, for evidence.
fn read_packages(fields: &mut Fields<'_, '_>, sink: &mut Sink<'_>) -> BTreeMap<String, String> {
    let mut packages = BTreeMap::new();
    let Some((table, _)) = fields.table(sink, "packages", false) else {
        return packages;
    };
    for (registry, v) in table.iter() {
        let registry: &str = registry.get_ref();
        let key = format!("packages.{registry}");
        if !evidence::REGISTRIES.contains(&registry) {
            sink.error(
                Code::UnknownRegistry,
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
            other => wrong_type(sink, v, &key, "a package name", other),
        }
    }
    packages
}

/// The topic and its references, or `None` if a required field is
/// missing (reported where it was read).
fn build(
    slug: String,
    head: Head<'_>,
    scores: BTreeMap<String, Score>,
    packages: BTreeMap<String, String>,
    path: &str,
    line_of: &dyn Fn(usize) -> usize,
) -> Option<(Topic, TopicRefs)> {
    let (name, name_at) = head.name?;
    let lines = |list: &[(String, usize)]| list.iter().map(|(_, at)| line_of(*at)).collect();
    let refs = TopicRefs {
        path: path.to_owned(),
        name_line: line_of(name_at),
        alias_lines: lines(&head.aliases),
        related_lines: lines(&head.related),
        alternatives_lines: lines(&head.alternatives),
        used_with_lines: lines(&head.used_with),
    };
    let names = |list: Vec<(String, usize)>| list.into_iter().map(|(s, _)| s).collect();
    let topic = Topic {
        slug,
        name,
        kind: head.kind?,
        category: head.category?.slug.clone(),
        aliases: names(head.aliases),
        tagline: head.tagline?,
        use_when: head.use_when?,
        pros: head.pros,
        cons: head.cons,
        related: names(head.related),
        alternatives: names(head.alternatives),
        jobs: head.jobs,
        used_with: names(head.used_with),
        plural: head.plural,
        reviewed: head.reviewed?,
        scores,
        packages,
        evidence: Vec::new(),
        sources: head.sources,
        activity: None,
    };
    Some((topic, refs))
}
