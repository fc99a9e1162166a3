//! Finding topics from what a person types: slugs, names, aliases, common
//! abbreviations and small typos.
//!
//! Matching works on a normalised form (lowercase, punctuation folded to
//! spaces, common abbreviations expanded), so "Tech-Lead", "tech lead" and
//! "technical lead" meet, and "product mgmt" finds Product Management.

use serde::Serialize;

use crate::model::{Catalog, Topic};

/// Abbreviations people type for words in topic names.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("mgmt", "management"),
    ("mgt", "management"),
    ("mgr", "manager"),
    ("eng", "engineering"),
    ("engr", "engineer"),
    ("dev", "developer"),
    ("devs", "developers"),
    ("arch", "architecture"),
    ("db", "database"),
    ("dbs", "databases"),
    ("lang", "language"),
    ("prog", "programming"),
    ("fw", "framework"),
    ("sec", "security"),
    ("ml", "machine learning"),
    ("pm", "product management"),
    ("ci", "continuous integration"),
    ("cd", "continuous delivery"),
];

/// Lowercases, maps every run of non-alphanumerics to one space, keeps `+`
/// and `#` (C++, C#), and expands whole-word abbreviations.
pub fn normalize(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '+' || c == '#' {
            folded.push(c);
        } else if !folded.ends_with(' ') {
            folded.push(' ');
        }
    }
    let words: Vec<&str> = folded
        .split_whitespace()
        .map(|w| {
            ABBREVIATIONS
                .iter()
                .find(|(short, _)| *short == w)
                .map_or(w, |&(_, long)| long)
        })
        .collect();
    words.join(" ")
}

/// Forms a topic can be found by: slug, name and aliases, normalised.
fn keys(topic: &Topic) -> impl Iterator<Item = String> + '_ {
    std::iter::once(normalize(&topic.slug))
        .chain(std::iter::once(normalize(&topic.name)))
        .chain(topic.aliases.iter().map(|a| normalize(a)))
}

/// The typo budget for a query of this many characters.
fn max_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        6..=10 => 2,
        _ => 3,
    }
}

/// How a query matched a topic, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    Exact,
    Prefix,
    Word,
    Typo,
    Text,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct Hit<'a> {
    #[serde(skip)]
    pub topic: &'a Topic,
    pub slug: &'a str,
    pub matched: MatchKind,
    /// Higher is better; only meaningful for ordering.
    pub rank: u32,
}

fn score_topic(topic: &Topic, q: &str) -> Option<(MatchKind, u32)> {
    if q.is_empty() {
        return None;
    }
    let mut best: Option<(MatchKind, u32)> = None;
    // Keeps the better match: the earlier kind, then the higher rank.
    let offer = |best: &mut Option<(MatchKind, u32)>, kind: MatchKind, rank: u32| {
        if best.is_none_or(|(k, r)| (kind, u32::MAX - rank) < (k, u32::MAX - r)) {
            *best = Some((kind, rank));
        }
    };
    for key in keys(topic) {
        if key == q {
            offer(&mut best, MatchKind::Exact, 1000);
        } else if key.starts_with(q) && q.len() >= 2 {
            offer(
                &mut best,
                MatchKind::Prefix,
                800 - key.len().min(200) as u32,
            );
        } else if q.len() >= 3 && key.split(' ').any(|w| w == q || w.starts_with(q)) {
            offer(&mut best, MatchKind::Word, 600 - key.len().min(200) as u32);
        } else {
            // A typo in the whole key, or in one word of it for one-word queries.
            let whole = strsim::damerau_levenshtein(&key, q);
            let word = if q.contains(' ') {
                usize::MAX
            } else {
                key.split(' ')
                    .filter(|w| w.len() >= 4)
                    .map(|w| strsim::damerau_levenshtein(w, q))
                    .min()
                    .unwrap_or(usize::MAX)
            };
            let typos = whole.min(word);
            if typos <= max_typos(q.chars().count()) {
                offer(
                    &mut best,
                    MatchKind::Typo,
                    400 - 50 * typos as u32 - u32::from(whole > word) * 25,
                );
            }
        }
    }
    if best.is_none() && q.len() >= 3 {
        let text = normalize(&topic.tagline);
        if q.split(' ').all(|w| text.split(' ').any(|t| t == w)) {
            offer(&mut best, MatchKind::Text, 100);
        }
    }
    best
}

/// Topics matching `query`, best first, at most `limit`.
pub fn search<'a>(catalog: &'a Catalog, query: &str, limit: usize) -> Vec<Hit<'a>> {
    let q = normalize(query);
    let mut hits: Vec<Hit<'a>> = catalog
        .topics()
        .iter()
        .filter_map(|t| {
            score_topic(t, &q).map(|(matched, rank)| Hit {
                topic: t,
                slug: &t.slug,
                matched,
                rank,
            })
        })
        .collect();
    hits.sort_by(|a, b| {
        a.matched
            .cmp(&b.matched)
            .then(b.rank.cmp(&a.rank))
            .then(a.slug.cmp(b.slug))
    });
    hits.truncate(limit);
    hits
}

/// The outcome of resolving one typed name to a topic.
#[derive(Debug, Clone)]
pub enum Resolved<'a> {
    /// An exact slug, name or alias match.
    Found(&'a Topic),
    /// Not exact, but one topic is the only close match (a typo).
    Corrected(&'a Topic),
    /// Nothing certain; the closest topics, best first (may be empty).
    Unknown(Vec<&'a Topic>),
}

/// Resolves what a person typed to one topic: slug, name or alias in any
/// case, or a single unambiguous near miss.
pub fn resolve<'a>(catalog: &'a Catalog, input: &str) -> Resolved<'a> {
    let trimmed = input.trim();
    if let Some(t) = catalog.topic(trimmed) {
        return Resolved::Found(t);
    }
    if let Some(t) = catalog.topic_by_alias(trimmed) {
        return Resolved::Found(t);
    }
    let hits = search(catalog, trimmed, 5);
    let exact: Vec<&Hit<'_>> = hits
        .iter()
        .filter(|h| h.matched == MatchKind::Exact)
        .collect();
    if exact.len() == 1 {
        return Resolved::Found(exact[0].topic);
    }
    let close: Vec<&Hit<'_>> = hits
        .iter()
        .filter(|h| matches!(h.matched, MatchKind::Exact | MatchKind::Typo))
        .collect();
    if close.len() == 1 && hits.len() == 1 {
        return Resolved::Corrected(close[0].topic);
    }
    if hits.is_empty() {
        return Resolved::Unknown(suggest(catalog, trimmed, 3));
    }
    Resolved::Unknown(hits.into_iter().map(|h| h.topic).collect())
}

/// The topics whose names, slugs or aliases are closest to `input` by edit
/// similarity, for "did you mean" lists when nothing matched.
pub fn suggest<'a>(catalog: &'a Catalog, input: &str, limit: usize) -> Vec<&'a Topic> {
    let q = normalize(input);
    let mut scored: Vec<(f64, &Topic)> = catalog
        .topics()
        .iter()
        .map(|t| {
            let best = keys(t)
                .map(|k| strsim::normalized_damerau_levenshtein(&k, &q))
                .fold(0.0, f64::max);
            (best, t)
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.slug.cmp(&b.1.slug)));
    scored.into_iter().take(limit).map(|(_, t)| t).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::catalog;

    fn check(input: &str, expect: &str) {
        let got = match resolve(&catalog(), input) {
            Resolved::Found(t) => format!("found {}", t.slug),
            Resolved::Corrected(t) => format!("corrected {}", t.slug),
            Resolved::Unknown(ts) => format!(
                "unknown [{}]",
                ts.iter()
                    .map(|t| t.slug.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        assert_eq!(got, expect, "resolving {input:?}");
    }

    #[test]
    fn resolves_slugs_names_aliases_in_any_case() {
        check("rust", "found rust");
        check("Rust", "found rust");
        check("GoLang", "found go");
        check("tech lead", "found technical-leadership");
        check("Technical Leadership", "found technical-leadership");
        check("product mgmt", "found product-management");
    }

    #[test]
    fn corrects_a_single_typo_and_suggests_otherwise() {
        check("prodcut management", "corrected product-management");
        check("zzzz", "unknown []");
        check("leadershp", "corrected technical-leadership");
        check("lead", "unknown [technical-leadership]");
    }

    #[test]
    fn normalizes_punctuation_and_abbreviations() {
        assert_eq!(normalize("  Tech-Lead!! "), "tech lead");
        assert_eq!(normalize("C++"), "c++");
        assert_eq!(normalize("product mgmt"), "product management");
    }
}
