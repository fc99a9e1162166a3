//! Registry evidence: imported figures with their source and date, attached
//! to topics through their `[packages]` hooks, and the popularity scores
//! derived from them.
//!
//! # Popularity from evidence
//!
//! Where at least two topics of a category have a figure from the same
//! registry, their Adoption (`popularity`) score is computed rather than
//! written: the category's most-used topic on that registry scores 10 and
//! every tenfold gap below it costs [`POINTS_PER_DECADE`] points, with a
//! floor of 1. Download ranks are treated the same way, since downloads fall
//! roughly in proportion to rank. Figures from different registries are
//! never compared with each other.

use std::collections::BTreeMap;

use toml::de::DeValue;

use verdict_core::model::{Category, Evidence, Score, Topic, capitalise, lower_first};

use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::import::Registry;
use crate::reader::{Fields, as_i64, parse_toml, wrong_type};
use crate::{Code, SourceFile};

/// Registries a topic can name a package in, in order of preference.
pub const REGISTRIES: &[&str] = &["npm", "pypi", "crates"];

/// Points an Adoption score loses per tenfold gap to the category leader.
/// Two points per decade spreads a typical category (leader to a niche
/// tool three decades down) across most of the 0–10 scale.
pub const POINTS_PER_DECADE: f64 = 2.0;

/// One registry's imported figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: String,
    pub label: String,
    pub metric: String,
    pub lower_is_better: bool,
    pub as_of: String,
    /// URL template with `{package}`.
    pub url: String,
    pub values: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
pub(crate) struct EvidenceSet {
    pub sources: BTreeMap<String, Source>,
}

/// Reads one `evidence/<registry>.toml` file.
pub(crate) fn read(f: &SourceFile, set: &mut EvidenceSet, diags: &mut Vec<Diagnostic>) {
    let Some(doc) = parse_toml(
        &f.path,
        &f.text,
        diags,
        "re-run `verdict import` to regenerate this file",
    ) else {
        return;
    };
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let mut fields = Fields::new(&doc, 0, "");
    let id = fields.string(&mut sink, "source", true);
    let label = fields.string(&mut sink, "label", true);
    let metric = fields.string(&mut sink, "metric", true);
    let url = fields.string(&mut sink, "url", true);
    let lower_is_better = match fields.raw("lower_is_better") {
        Some(v) => match v.get_ref() {
            DeValue::Boolean(b) => *b,
            other => {
                wrong_type(&mut sink, v, "lower_is_better", "true or false", other);
                false
            }
        },
        None => false,
    };
    let as_of = fields.string(&mut sink, "as_of", true).and_then(|(d, at)| {
        if is_month_or_date(&d) {
            Some(d)
        } else {
            sink.error(
                Code::BadDate,
                Some(at),
                "as_of",
                format!("`{d}` is not a date"),
                "write the date the figures were true as \"YYYY-MM\" or \"YYYY-MM-DD\"",
            );
            None
        }
    });
    let mut values = BTreeMap::new();
    if let Some((table, _)) = fields.table(&mut sink, "values", true) {
        for (package, v) in table.iter() {
            let package: &str = package.get_ref();
            match as_i64(v.get_ref()) {
                Some(n) if n > 0 => {
                    values.insert(package.to_owned(), n as u64);
                }
                _ => sink.error(
                    Code::BadEvidence,
                    Some(v.span().start),
                    &format!("values.{package}"),
                    "value must be a positive whole number",
                    "re-run `verdict import`",
                ),
            }
        }
    }
    fields.finish(&mut sink);
    let stem = f
        .path
        .trim_start_matches("evidence/")
        .trim_end_matches(".toml");
    if let Some((id, at)) = &id {
        if id != stem {
            sink.error(
                Code::BadEvidence,
                Some(*at),
                "source",
                format!("source `{id}` does not match the file name `{stem}.toml`"),
                format!("rename the file to evidence/{id}.toml"),
            );
            return;
        }
        if !REGISTRIES.contains(&id.as_str()) {
            sink.error(
                Code::UnknownRegistry,
                Some(*at),
                "source",
                format!("unknown registry `{id}`"),
                format!("use one of {}", REGISTRIES.join(", ")),
            );
            return;
        }
    }
    if let (Some((id, _)), Some((label, _)), Some((metric, _)), Some((url, _)), Some(as_of)) =
        (id, label, metric, url, as_of)
    {
        set.sources.insert(
            id.clone(),
            Source {
                id,
                label,
                metric,
                lower_is_better,
                as_of,
                url,
                values,
            },
        );
    }
}

pub(crate) fn is_month_or_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Attaches figures to topics and recomputes Adoption scores from them.
pub(crate) fn attach(
    topics: &mut [Topic],
    set: &EvidenceSet,
    categories: &[Category],
    diags: &mut Vec<Diagnostic>,
) {
    for t in topics.iter_mut() {
        for (registry, package) in &t.packages {
            let Some(source) = set.sources.get(registry) else {
                continue;
            };
            match lookup(source, package) {
                Some(value) => t.evidence.push(Evidence {
                    source: source.id.clone(),
                    source_label: source.label.clone(),
                    package: package.clone(),
                    metric: source.metric.clone(),
                    value,
                    lower_is_better: source.lower_is_better,
                    as_of: source.as_of.clone(),
                    url: source.url.replace("{package}", package),
                }),
                None => diags.push(Diagnostic {
                    severity: Severity::Warning,
                    code: Code::NoEvidence,
                    file: format!("topics/{}/{}.toml", t.category, t.slug),
                    line: None,
                    key: Some(format!("packages.{registry}")),
                    message: format!("no {} figure for package `{package}`", source.label),
                    help: Some("check the package name, or re-run `verdict import` with a snapshot that lists it".into()),
                }),
            }
        }
    }
    // Topics with a figure, by category and primary registry, in order.
    let mut groups: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, t) in topics.iter().enumerate() {
        if let Some(registry) = primary(t) {
            groups
                .entry((t.category.as_str(), registry))
                .or_default()
                .push(i);
        }
    }
    let groups: BTreeMap<(String, &str), Vec<usize>> = groups
        .into_iter()
        .map(|((c, r), m)| ((c.to_owned(), r), m))
        .collect();
    for category in categories {
        if category.weight("popularity").is_none() {
            continue;
        }
        for registry in REGISTRIES {
            let Some(members) = groups.get(&(category.slug.clone(), *registry)) else {
                continue;
            };
            let members = members.clone();
            if members.len() < 2 {
                continue;
            }
            let strength = |t: &Topic| -> f64 {
                let e = t
                    .evidence
                    .iter()
                    .find(|e| e.source == *registry)
                    .expect("member has evidence");
                let v = (e.value.max(1)) as f64;
                if e.lower_is_better {
                    -v.log10()
                } else {
                    v.log10()
                }
            };
            let leader = members
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    strength(&topics[a])
                        .total_cmp(&strength(&topics[b]))
                        .then(topics[b].slug.cmp(&topics[a].slug))
                })
                .expect("two members");
            let best = strength(&topics[leader]);
            let leader_name = topics[leader].name.clone();
            let leader_figure = topics[leader]
                .evidence
                .iter()
                .find(|e| e.source == *registry)
                .expect("leader evidence")
                .figure();
            for &i in &members {
                let t = &mut topics[i];
                let gap = best - strength(t);
                let score = (10.0 - POINTS_PER_DECADE * gap).round().clamp(1.0, 10.0) as u8;
                let e = t
                    .evidence
                    .iter()
                    .find(|e| e.source == *registry)
                    .expect("member evidence");
                let reason = if i == leader {
                    format!(
                        "{} on {} (as of {}), the most of any {} topic there.",
                        capitalise(&e.figure()),
                        e.source_phrase(),
                        e.as_of,
                        lower_first(&category.name)
                    )
                } else {
                    format!(
                        "{} on {} (as of {}), against {} for {}; each tenfold gap costs {} points.",
                        capitalise(&e.figure()),
                        e.source_phrase(),
                        e.as_of,
                        leader_figure,
                        leader_name,
                        POINTS_PER_DECADE
                    )
                };
                t.scores.insert(
                    "popularity".into(),
                    Score {
                        value: score,
                        reason: reason.into(),
                        from_evidence: Some(e.source_label.clone()),
                    },
                );
            }
        }
    }
}

/// A package's figure, matching names as the registry does: exactly on npm
/// and crates.io, after PEP 503 normalisation on PyPI (`Django` is
/// `django`).
fn lookup(source: &Source, package: &str) -> Option<u64> {
    if let Some(&v) = source.values.get(package) {
        return Some(v);
    }
    if source.id != Registry::Pypi.id() {
        return None;
    }
    let want = Registry::Pypi.match_key(package);
    source
        .values
        .iter()
        .find(|(k, _)| Registry::Pypi.match_key(k) == want)
        .map(|(_, &v)| v)
}

/// The registry whose figure drives a topic's Adoption score: the first in
/// [`REGISTRIES`] order that it has evidence from.
fn primary(t: &Topic) -> Option<&'static str> {
    REGISTRIES
        .iter()
        .copied()
        .find(|r| t.evidence.iter().any(|e| e.source == *r))
}
