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

/// What lookups compare a query with, normalised once per catalog rather
/// than once per query: each topic's keys (slug, name, aliases) and the
/// words of its tagline, sorted.
#[derive(Debug, Clone, Default)]
pub struct Index {
    keys: Vec<Vec<String>>,
    /// Per key, in the same order: its length and letter counts, which let
    /// [`suggest`] rule out most keys without computing an edit distance.
    shapes: Vec<Vec<Shape>>,
    tagline_words: Vec<Vec<String>>,
}

/// Buckets of [`Shape::counts`]: a character counts in bucket
/// `char % BUCKETS`.
const BUCKETS: usize = 64;

/// A string's length in characters and how many of its characters fall in
/// each bucket. Two strings' shapes give a lower bound of the edit distance
/// between them ([`Shape::min_distance`]).
#[derive(Debug, Clone)]
struct Shape {
    chars: usize,
    /// `None` when a bucket would pass 255: the key is always compared.
    counts: Option<[u8; BUCKETS]>,
}

impl Shape {
    fn of(s: &str) -> Shape {
        let mut counts = [0u8; BUCKETS];
        let mut chars = 0;
        let mut fits = true;
        for c in s.chars() {
            chars += 1;
            let b = &mut counts[c as usize % BUCKETS];
            match b.checked_add(1) {
                Some(n) => *b = n,
                None => fits = false,
            }
        }
        Shape {
            chars,
            counts: fits.then_some(counts),
        }
    }

    /// A lower bound of the optimal-string-alignment distance between the
    /// two strings. Insertions, deletions and substitutions each change
    /// the characters on one side by at most one, and transpositions change
    /// neither, so the distance is at least the larger of what one string
    /// has more of than the other, per bucket (sharing buckets can only
    /// hide differences, never invent them).
    fn min_distance(&self, other: &Shape) -> usize {
        let by_length = self.chars.abs_diff(other.chars);
        let (Some(a), Some(b)) = (&self.counts, &other.counts) else {
            return by_length;
        };
        // Sixteen-bit sums (at most 64 × 255) let the loop run on whole
        // vector registers; it runs for most keys of every lookup.
        let (mut more, mut fewer) = (0u16, 0u16);
        for (x, y) in a.iter().zip(b) {
            more += u16::from(x.saturating_sub(*y));
            fewer += u16::from(y.saturating_sub(*x));
        }
        usize::from(more.max(fewer))
    }
}

impl Index {
    /// The index of `topics`, in their order.
    pub fn new(topics: &[Topic]) -> Index {
        let keys: Vec<Vec<String>> = topics
            .iter()
            .map(|t| {
                let mut k: Vec<String> = keys(t).filter(|k| !k.is_empty()).collect();
                k.dedup();
                k
            })
            .collect();
        Index {
            shapes: keys
                .iter()
                .map(|ks| ks.iter().map(|k| Shape::of(k)).collect())
                .collect(),
            keys,
            tagline_words: topics
                .iter()
                .map(|t| {
                    let mut w: Vec<String> = normalize(&t.tagline)
                        .split(' ')
                        .map(str::to_owned)
                        .collect();
                    w.sort_unstable();
                    w.dedup();
                    w
                })
                .collect(),
        }
    }
}

/// The typo budget for a query of this many characters: none for short
/// words, where one letter makes another word ("unit", "unity"), one up to
/// eight letters, two beyond.
fn max_typos(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Longest query matched against taglines' words.
const MAX_TEXT_QUERY: usize = 40;

/// Queries are matched on at most this many characters: no topic name is
/// longer, and it keeps the cost of a lookup bounded whatever is sent.
pub const MAX_QUERY_CHARS: usize = 100;

/// Edit distance between `key` and `q` when it is within `budget` and both
/// start with the same letter (people rarely mistype the first one, and
/// allowing it maps "gradle" to "oracle"); `None` otherwise.
fn typo_distance(key: &str, q: &str, budget: usize) -> Option<usize> {
    if key.chars().next() != q.chars().next() {
        return None;
    }
    if key.chars().count().abs_diff(q.chars().count()) > budget {
        return None;
    }
    // Optimal string alignment: edits and adjacent transpositions, without
    // the unrestricted variant's per-call hash map.
    let d = strsim::osa_distance(key, q);
    (d <= budget).then_some(d)
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

fn score_topic(keys: &[String], tagline_words: &[String], q: &str) -> Option<(MatchKind, u32)> {
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
    for key in keys {
        let key = key.as_str();
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
            let budget = max_typos(q.chars().count());
            let whole = typo_distance(key, q, budget).unwrap_or(usize::MAX);
            let word = if q.contains(' ') {
                usize::MAX
            } else {
                key.split(' ')
                    .filter(|w| w.len() >= 5)
                    .filter_map(|w| typo_distance(w, q, budget))
                    .min()
                    .unwrap_or(usize::MAX)
            };
            let typos = whole.min(word);
            if typos != usize::MAX {
                offer(
                    &mut best,
                    MatchKind::Typo,
                    400 - 50 * typos as u32 - u32::from(whole > word) * 25,
                );
            }
        }
    }
    // Words of a tagline, for short queries only: no tagline holds a
    // phrase of more than a few words a reader would type.
    let in_tagline = |w: &str| {
        tagline_words
            .binary_search_by(|t| t.as_str().cmp(w))
            .is_ok()
    };
    if best.is_none() && q.len() >= 3 && q.len() <= MAX_TEXT_QUERY && q.split(' ').all(in_tagline) {
        offer(&mut best, MatchKind::Text, 100);
    }
    best
}

/// Topics matching `query`, best first, at most `limit`.
pub fn search<'a>(catalog: &'a Catalog, query: &str, limit: usize) -> Vec<Hit<'a>> {
    let q = normalize(bounded(query));
    let index = catalog.search_index();
    let mut hits: Vec<Hit<'a>> = catalog
        .topics()
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            score_topic(&index.keys[i], &index.tagline_words[i], &q).map(|(matched, rank)| Hit {
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

/// Longest name, in bytes, worth looking up at all: four bytes for each of
/// [`MAX_QUERY_CHARS`] characters. Anything longer is no topic's name.
pub const MAX_NAME_BYTES: usize = 4 * MAX_QUERY_CHARS;

/// What a reader typed, as an error message quotes it: at most 60
/// characters, then "…".
pub fn excerpt(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(60) {
        Some((i, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..i])),
        None => std::borrow::Cow::Borrowed(s),
    }
}

/// The first [`MAX_QUERY_CHARS`] characters of `s`.
fn bounded(s: &str) -> &str {
    s.char_indices()
        .nth(MAX_QUERY_CHARS)
        .map_or(s, |(i, _)| &s[..i])
}

/// The outcome of resolving one typed name to a topic.
#[derive(Debug, Clone)]
pub enum Resolved<'a> {
    /// An exact slug, name or alias match.
    Found(&'a Topic),
    /// Nothing certain; the closest topics, best first (may be empty), to
    /// offer as "did you mean". A guess is never taken as the answer.
    Unknown(Vec<&'a Topic>),
}

/// Resolves what a person typed to one topic: slug, name or alias in any
/// case (after normalising punctuation and common abbreviations). Anything
/// else, typos included, is `Unknown` with suggestions.
pub fn resolve<'a>(catalog: &'a Catalog, input: &str) -> Resolved<'a> {
    let trimmed = bounded(input.trim());
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
    if hits.is_empty() {
        return Resolved::Unknown(suggest(catalog, trimmed, 3));
    }
    Resolved::Unknown(hits.into_iter().map(|h| h.topic).collect())
}

/// The topics whose names, slugs or aliases are closest to `input` by edit
/// similarity, for "did you mean" lists when nothing matched.
pub fn suggest<'a>(catalog: &'a Catalog, input: &str, limit: usize) -> Vec<&'a Topic> {
    let q = normalize(bounded(input));
    let q_shape = Shape::of(&q);
    let index = catalog.search_index();
    let mut scored: Vec<(f64, &Topic)> = catalog
        .topics()
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let best = index.keys[i]
                .iter()
                .zip(&index.shapes[i])
                // Similarity is 1 − distance / longer length, so a key
                // whose distance is surely more than half the longer length
                // can never reach 0.5 and is not compared at all: a 404 on
                // a catalog of thousands of topics compares a handful of
                // keys, not every one.
                .filter(|(_, shape)| {
                    2 * shape.min_distance(&q_shape) <= shape.chars.max(q_shape.chars)
                })
                .map(|(k, shape)| {
                    let longest = shape.chars.max(q_shape.chars).max(1);
                    1.0 - strsim::osa_distance(k, &q) as f64 / longest as f64
                })
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
    fn typos_are_suggested_never_taken() {
        check("prodcut management", "unknown [product-management]");
        check("zzzz", "unknown []");
        check("leadershp", "unknown [technical-leadership]");
        check("lead", "unknown [technical-leadership]");
    }

    #[test]
    fn typo_tolerance_scales_with_length_and_keeps_the_first_letter() {
        // Four letters or fewer: no typo is taken, only suggested.
        check("rusk", "unknown [rust]");
        check("pithon", "unknown [python]");
        // A different first letter is another word, not a typo of a
        // longer name.
        assert!(search(&catalog(), "dython", 5).is_empty());
        assert_eq!(search(&catalog(), "pithon", 5)[0].slug, "python");
    }

    #[test]
    fn a_huge_query_costs_no_more_than_a_long_one() {
        let long = "x".repeat(100_000);
        check(&long, "unknown []");
    }

    #[test]
    fn normalizes_punctuation_and_abbreviations() {
        assert_eq!(normalize("  Tech-Lead!! "), "tech lead");
        assert_eq!(normalize("C++"), "c++");
        assert_eq!(normalize("product mgmt"), "product management");
    }
}
