//! Checks that need every topic read: unique slugs and names, references
//! between topics, jobs that agree with `alternatives` and `used_with`,
//! and categories left with no topic.

use std::collections::{HashMap, HashSet};

use verdict_core::model::{Job, Topic};
use verdict_core::search::normalize;

use super::leaves_out_one;
use super::suggest::suggest_topic;
use super::topic::TopicRefs;
use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::{Code, SourceFile};

/// Duplicate slugs and aliases, and near-duplicate topics.
pub(super) fn check_uniqueness(topics: &[Topic], refs: &[TopicRefs], diags: &mut Vec<Diagnostic>) {
    let mut seen_slug: HashMap<&str, &Topic> = HashMap::new();
    // compact form -> (owner slug, what it is)
    let mut forms: HashMap<String, (&str, String)> = HashMap::new();
    for (t, r) in topics.iter().zip(refs) {
        let mut sink = Sink::at_lines(&r.path, diags);
        if let Some(other) = seen_slug.insert(&t.slug, t) {
            sink.error(
                Code::DuplicateSlug,
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
            (compact(&t.slug), format!("slug `{}`", t.slug), 1),
            (
                compact(&t.name),
                format!("name \"{}\"", t.name),
                r.name_line,
            ),
        ];
        own.extend(
            t.aliases
                .iter()
                .zip(&r.alias_lines)
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
                    let (code, key, help) = clash(&what, their, owner, &t.slug);
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

/// A name's compact form, for finding the same topic twice: normalised,
/// without separators or a plural "s".
fn compact(s: &str) -> String {
    let n: String = normalize(s)
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '+' || *c == '#')
        .collect();
    n.strip_suffix('s').map(str::to_owned).unwrap_or(n)
}

/// The code, key and help for `what` of topic `slug` (its slug, name or
/// an alias) meeting `their` of topic `owner`. Two aliases clash: one of
/// them is wrong. Anything else (a slug or name meeting another topic's
/// slug, name or alias, whichever file is read first) suggests the same
/// topic twice.
fn clash(what: &str, their: &str, owner: &str, slug: &str) -> (Code, &'static str, String) {
    let alias_here = what.starts_with("alias");
    let alias_there = their.starts_with("alias");
    let key = if alias_here {
        "aliases"
    } else if what.starts_with("name") {
        "name"
    } else {
        ""
    };
    if alias_here && alias_there {
        let help = format!("an alias must point to one topic; remove it here or from `{owner}`");
        return (Code::DuplicateAlias, key, help);
    }
    let otherwise = if alias_here {
        "; if they differ, remove the alias here".to_owned()
    } else if alias_there {
        format!("; if they differ, remove the alias from `{owner}`")
    } else {
        String::new()
    };
    let help = format!(
        "`{owner}` and `{slug}` look like the same topic: merge them and keep the other spelling as an alias{otherwise}"
    );
    (Code::NearDuplicate, key, help)
}

/// Checks `related` and `alternatives`; drops dangling references so the
/// catalog's invariant (every reference resolves) holds.
pub(super) fn resolve_references(
    topics: &mut [Topic],
    refs: &[TopicRefs],
    present: &super::Present,
    diags: &mut Vec<Diagnostic>,
) {
    let slugs: Vec<String> = topics.iter().map(|t| t.slug.clone()).collect();
    let known: HashSet<&str> = slugs.iter().map(String::as_str).collect();
    for (t, r) in topics.iter_mut().zip(refs) {
        let mut sink = Sink::at_lines(&r.path, diags);
        for (key, list, lines) in [
            ("related", &t.related, &r.related_lines),
            ("alternatives", &t.alternatives, &r.alternatives_lines),
            ("used_with", &t.used_with, &r.used_with_lines),
        ] {
            for (slug, at) in list.iter().zip(lines) {
                if slug == &t.slug {
                    sink.error(
                        Code::SelfReference,
                        Some(*at),
                        key,
                        format!("`{slug}` refers to the topic itself"),
                        "remove it",
                    );
                } else if !known.contains(slug.as_str()) && !present.contains(slug.as_str()) {
                    sink.error(
                        Code::UnknownTopic,
                        Some(*at),
                        key,
                        format!("topic `{slug}` does not exist"),
                        suggest_topic(slug, slugs.iter().map(String::as_str)),
                    );
                }
            }
        }
        t.related
            .retain(|s| s != &t.slug && known.contains(s.as_str()));
        t.alternatives
            .retain(|s| s != &t.slug && known.contains(s.as_str()));
        t.used_with
            .retain(|s| s != &t.slug && known.contains(s.as_str()));
    }
}

/// Checks that jobs and `used_with` say consistent things: alternatives
/// share a job, topics used together do not, and every job is done by
/// some topic.
pub(super) fn check_jobs(
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
        let mut sink = Sink::at_lines(&r.path, diags);
        for (slug, at) in t.alternatives.iter().zip(&r.alternatives_lines) {
            if let Some(o) = by_slug.get(slug.as_str()).filter(|o| !shares(t, o)) {
                sink.push(
                    Severity::Warning,
                    Code::AlternativeOtherJob,
                    Some(*at),
                    Some("alternatives"),
                    format!("`{slug}` is listed as an alternative but shares no job with this topic ({} vs {})", t.jobs.join(", "), o.jobs.join(", ")),
                    Some("remove it from `alternatives`, or give both a job they share".into()),
                );
            }
        }
        for (slug, at) in t.used_with.iter().zip(&r.used_with_lines) {
            if let Some(o) = by_slug.get(slug.as_str()).filter(|o| shares(t, o)) {
                let shared: Vec<&str> = t
                    .jobs
                    .iter()
                    .filter(|j| o.jobs.contains(j))
                    .map(String::as_str)
                    .collect();
                sink.push(
                    Severity::Warning,
                    Code::UsedWithAlternative,
                    Some(*at),
                    Some("used_with"),
                    format!("`{slug}` shares job `{}` with this topic, so they are alternatives, not used together", shared.join("`, `")),
                    Some("remove it from `used_with`, or give them different jobs".into()),
                );
            }
        }
    }
    if all_loaded {
        check_jobs_done(files, topics, jobs, diags);
    }
}

/// A warning for each job of the job files that no topic does.
fn check_jobs_done(
    files: &[SourceFile],
    topics: &[Topic],
    jobs: &[Job],
    diags: &mut Vec<Diagnostic>,
) {
    let done: HashSet<&str> = topics
        .iter()
        .flat_map(|t| &t.jobs)
        .map(String::as_str)
        .collect();
    for j in jobs {
        if done.contains(j.id.as_str()) {
            continue;
        }
        let header = format!("[{}]", j.id);
        let Some(f) = files
            .iter()
            .filter(|f| f.path == "jobs.toml" || f.path.starts_with("jobs/"))
            .find(|f| f.text.contains(&header))
        else {
            continue;
        };
        let mut sink = Sink::new(&f.path, &f.text, diags);
        sink.push(
            Severity::Warning,
            Code::UnusedJob,
            f.text.find(&header),
            Some(&j.id),
            format!("no topic does job `{}`", j.id),
            Some("remove it, or add it to the `jobs` of the topics that do it".into()),
        );
    }
}

/// An error for each category of categories.toml that ends up with no
/// topic, naming the first problem that left its topics out (or the
/// category itself): a site must not lose a whole section unnoticed.
pub(super) fn check_categories_have_topics(
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
        let folder = format!("topics/{slug}/");
        let (message, help) = match first_cause(diags, slug, &folder) {
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
        Sink::new(&f.path, &f.text, diags).error(
            Code::EmptyCategory,
            Some(*at),
            slug,
            message,
            help,
        );
    }
}

/// The problem that left category `slug` with no topic: the category's
/// own (its weights or its table) first, then the first one in a topic
/// file under `folder`.
fn first_cause<'d>(diags: &'d [Diagnostic], slug: &str, folder: &str) -> Option<&'d Diagnostic> {
    let own = |d: &Diagnostic| match d.file.as_str() {
        "categories.toml" => d.key.as_deref().is_some_and(|k| under(k, slug)),
        "criteria.toml" => d
            .key
            .as_deref()
            .and_then(|k| k.strip_prefix("weights."))
            .is_some_and(|k| under(k, slug)),
        _ => false,
    };
    diags
        .iter()
        .filter(|d| leaves_out_one(d) || matches!(d.code, Code::Symlink | Code::NotAFile))
        .filter(|d| own(d) || d.file.starts_with(folder))
        .min_by_key(|d| {
            (
                !own(d),
                d.file.as_str(),
                d.line,
                d.key.as_deref(),
                d.message.as_str(),
            )
        })
}

/// Whether the dotted `key` is `slug` or a key inside it.
fn under(key: &str, slug: &str) -> bool {
    key.strip_prefix(slug)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}
