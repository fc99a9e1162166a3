//! Lookup over the bundled catalog for any input: `search::resolve`,
//! `search::search` and `search::suggest` never panic, cost no more for a
//! 100,000-character input than for its first [`MAX_QUERY_CHARS`]
//! characters (asserted by their answers being the same, not by a clock),
//! give the same answer every time, and never take a guess for a topic.

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use verdict_core::Catalog;
use verdict_core::search::{self, MAX_QUERY_CHARS, MatchKind, Resolved, normalize};

/// Two loads of the bundled catalog: their hash maps are seeded apart, so
/// an answer that followed a map's iteration order would differ.
static CATALOGS: LazyLock<[Catalog; 2]> = LazyLock::new(|| [load(), load()]);

fn load() -> Catalog {
    let loaded = verdict_content::load_embedded();
    assert!(!loaded.has_errors(), "the bundled catalog has errors");
    loaded.catalog
}

/// Every slug, name and alias in the catalog.
static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    CATALOGS[0]
        .topics()
        .iter()
        .flat_map(|t| [&t.slug, &t.name].into_iter().chain(&t.aliases))
        .cloned()
        .collect()
});

/// One lookup's answers, in a form that compares.
#[derive(Debug, PartialEq)]
struct Answers {
    resolved: String,
    searched: Vec<(String, MatchKind, u32)>,
    suggested: Vec<String>,
}

fn answers(catalog: &Catalog, input: &str) -> Answers {
    Answers {
        resolved: resolved(catalog, input),
        searched: search::search(catalog, input, 10)
            .into_iter()
            .map(|h| (h.slug.to_owned(), h.matched, h.rank))
            .collect(),
        suggested: search::suggest(catalog, input, 3)
            .into_iter()
            .map(|t| t.slug.clone())
            .collect(),
    }
}

/// "found rust", or "unknown [go, zig]".
fn resolved(catalog: &Catalog, input: &str) -> String {
    match search::resolve(catalog, input) {
        Resolved::Found(t) => format!("found {}", t.slug),
        Resolved::Unknown(ts) => {
            let slugs: Vec<&str> = ts.iter().map(|t| t.slug.as_str()).collect();
            format!("unknown [{}]", slugs.join(", "))
        }
    }
}

fn first_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Any characters at all: control, combining, astral, whitespace.
fn any_chars(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter)
}

/// A slug, name or alias of the catalog, cased and spaced as people type
/// it, with a few characters inserted, deleted or replaced: what reaches
/// the prefix, word and typo matches that random text never does.
fn near_miss() -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), 0..3u8, any::<char>());
    (
        any::<prop::sample::Index>(),
        any::<bool>(),
        prop::collection::vec(edit, 0..3),
        "[ \t-]{0,2}",
    )
        .prop_map(|(name, upper, edits, pad)| {
            let name = name.get(&NAMES);
            let mut chars: Vec<char> = if upper {
                name.to_uppercase().chars().collect()
            } else {
                name.chars().collect()
            };
            for (at, kind, c) in edits {
                let i = at.index(chars.len() + 1);
                match kind {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ if i < chars.len() => chars[i] = c,
                    _ => {}
                }
            }
            format!("{pad}{}{pad}", String::from_iter(chars))
        })
}

/// What people type: rarely longer than a name. Length is
/// [`long_query`]'s job.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![any_chars(40), near_miss()]
}

/// Up to 100,000 characters: a query, one character repeated (often a
/// space, so a name padded past the bound is tried), then another query.
/// Half are barely over the bound, so the second query often straddles it.
fn long_query() -> impl Strategy<Value = String> {
    (
        query(),
        prop_oneof![Just(' '), any::<char>()],
        prop_oneof![
            MAX_QUERY_CHARS + 1..=2 * MAX_QUERY_CHARS,
            MAX_QUERY_CHARS + 1..=100_000
        ],
        query(),
    )
        .prop_map(|(head, fill, len, tail)| {
            let body = len.saturating_sub(head.chars().count() + tail.chars().count());
            let mut s = head;
            s.extend(std::iter::repeat_n(fill, body));
            s.push_str(&tail);
            first_chars(&s, 100_000)
        })
}

/// `cases` random cases; a failing one is kept in
/// `tests/properties.proptest-regressions` (commit it) and tried first on
/// every later run.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

// A lookup that finds nothing costs up to a tenth of a second in a debug
// build (`suggest` measures every name against the query), so the case
// counts keep each property to a few seconds there.
proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn lookups_never_panic_and_answer_the_same_every_time(input in query()) {
        let [a, b] = &*CATALOGS;
        let first = answers(a, &input);
        prop_assert_eq!(&first, &answers(a, &input));
        prop_assert_eq!(&first, &answers(b, &input));
    }

    #[test]
    fn a_found_topic_was_named_exactly(input in query()) {
        let catalog = &CATALOGS[0];
        if let Resolved::Found(t) = search::resolve(catalog, &input) {
            let typed = normalize(&first_chars(input.trim(), MAX_QUERY_CHARS));
            let named = [&t.slug, &t.name]
                .into_iter()
                .chain(&t.aliases)
                .any(|k| normalize(k) == typed);
            prop_assert!(named, "{:?} resolved to `{}`, which it does not name", input, t.slug);
        }
    }

    #[test]
    fn every_slug_resolves_to_its_topic_in_any_case(
        at in any::<prop::sample::Index>(),
        upper in any::<bool>(),
        pad in "[ \t]{0,3}",
    ) {
        let catalog = &CATALOGS[0];
        let t = at.get(catalog.topics());
        let slug = if upper { t.slug.to_uppercase() } else { t.slug.clone() };
        let input = format!("{pad}{slug}{pad}");
        prop_assert_eq!(resolved(catalog, &input), format!("found {}", t.slug));
    }
}

/// `search::suggest` as it was before it ruled keys out by their letter
/// counts: every key of every topic measured against the query.
fn suggest_measuring_every_key(catalog: &Catalog, input: &str, limit: usize) -> Vec<String> {
    let q = normalize(&first_chars(input, MAX_QUERY_CHARS));
    let q_len = q.chars().count();
    let mut scored: Vec<(f64, &str)> = catalog
        .topics()
        .iter()
        .map(|t| {
            let mut keys: Vec<String> = [&t.slug, &t.name]
                .into_iter()
                .chain(&t.aliases)
                .map(|k| normalize(k))
                .filter(|k| !k.is_empty())
                .collect();
            keys.dedup();
            let best = keys
                .iter()
                .map(|k| {
                    let longest = k.chars().count().max(q_len).max(1);
                    1.0 - strsim::osa_distance(k, &q) as f64 / longest as f64
                })
                .fold(0.0, f64::max);
            (best, t.slug.as_str())
        })
        .filter(|(s, _)| *s >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(limit)
        .map(|(_, s)| s.to_owned())
        .collect()
}

proptest! {
    #![proptest_config(config(64))]

    /// The letter-count bound that lets a 404 skip most keys never drops a
    /// suggestion that measuring every key would make.
    #[test]
    fn suggestions_are_those_measuring_every_key_gives(input in query()) {
        let catalog = &CATALOGS[0];
        let got: Vec<String> = search::suggest(catalog, &input, 4)
            .into_iter()
            .map(|t| t.slug.clone())
            .collect();
        prop_assert_eq!(got, suggest_measuring_every_key(catalog, &input, 4));
    }
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn long_inputs_are_looked_up_by_their_first_chars(input in long_query()) {
        let catalog = &CATALOGS[0];
        let head = first_chars(&input, MAX_QUERY_CHARS);
        let hits = |q: &str| -> Vec<(String, MatchKind, u32)> {
            search::search(catalog, q, 10)
                .into_iter()
                .map(|h| (h.slug.to_owned(), h.matched, h.rank))
                .collect()
        };
        let suggested = |q: &str| -> Vec<String> {
            search::suggest(catalog, q, 3)
                .into_iter()
                .map(|t| t.slug.clone())
                .collect()
        };
        prop_assert_eq!(hits(&input), hits(&head));
        prop_assert_eq!(suggested(&input), suggested(&head));
        // `resolve` trims the input before taking its first characters.
        let trimmed_head = first_chars(input.trim(), MAX_QUERY_CHARS);
        prop_assert_eq!(resolved(catalog, &input), resolved(catalog, &trimmed_head));
    }
}
