//! The words of a verdict: intro, "use A if / use B if", the bottom line,
//! the complementary note and what would flip the pick.
//!
//! Sentences are assembled from whole clauses written by editors (a topic's
//! `use_when`, an editorial's `pick_if`) and from the decision's numbers; the
//! content checker guarantees those clauses start with "you" and carry no
//! final full stop, which is what keeps the joins grammatical. Editors' text
//! is never cut or re-cased, so proper nouns keep their case.

use serde::Serialize;

use crate::decide::{Confidence, Decision, Flip};
use crate::model::{Catalog, Editorial, Topic, lower_first};

/// Every sentence a comparison page shows, ready to print or render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictText {
    /// "Product Management vs Technical Leadership", canonical order.
    pub title: String,
    pub intro: String,
    /// The editorial short answer, when an editor wrote one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_answer: Option<String>,
    /// One "Use X if …" sentence per topic, in canonical order.
    pub use_if: Vec<UseIf>,
    pub bottom_line: String,
    /// Set when the topics are different kinds of thing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complementary: Option<String>,
    /// What would change the pick.
    pub flip: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UseIf {
    pub slug: String,
    pub text: String,
}

/// Writes the verdict for `decision`. `personal` says the weights are the
/// reader's own rather than the defaults, which changes who "picks".
pub fn compose(
    catalog: &Catalog,
    decision: &Decision,
    editorial: Option<&Editorial>,
    personal: bool,
) -> VerdictText {
    let topics: Vec<&Topic> = decision
        .topics
        .iter()
        .filter_map(|s| catalog.topic(s))
        .collect();

    let title = editorial.and_then(|e| e.title.clone()).unwrap_or_else(|| {
        topics
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(" vs ")
    });

    let mut intro: Vec<String> = topics
        .iter()
        .map(|t| format!("{} is for you if {}.", t.name, t.use_when))
        .collect();
    intro.push(format!(
        "We score them on {} {} below.",
        number_word(decision.rows.len()),
        if decision.rows.len() == 1 {
            "criterion"
        } else {
            "criteria"
        }
    ));

    let use_if = topics
        .iter()
        .map(|t| UseIf {
            slug: t.slug.clone(),
            text: use_if_sentence(catalog, decision, t, editorial),
        })
        .collect();

    VerdictText {
        title,
        intro: intro.join(" "),
        short_answer: editorial.map(|e| e.short_answer.clone()),
        use_if,
        bottom_line: bottom_line(catalog, decision, personal),
        complementary: complementary(catalog, decision, &topics),
        flip: flip_sentence(catalog, decision),
    }
}

fn use_if_sentence(
    catalog: &Catalog,
    decision: &Decision,
    topic: &Topic,
    editorial: Option<&Editorial>,
) -> String {
    let leads = lead_phrases(catalog, decision, &topic.slug);
    let reasons = match editorial.and_then(|e| e.pick_if.get(&topic.slug)) {
        Some(clauses) if !clauses.is_empty() => join_or(clauses),
        _ => topic.use_when.clone(),
    };
    let mut s = format!("Use {} if {}.", topic.name, reasons);
    if leads.is_empty() {
        s.push_str(" It does not lead on any criterion we score, so choose it for what it does rather than for how it scores.");
    } else {
        s.push_str(&format!(" It leads on {}.", join_and(&leads)));
    }
    s
}

fn bottom_line(catalog: &Catalog, d: &Decision, personal: bool) -> String {
    let name = |slug| name(catalog, slug);
    let pick = name(&d.pick);
    let standing = |slug: &str| d.standing(slug).map_or(0.0, |s| s.score);
    let rival = d
        .ranking
        .iter()
        .find(|s| s.slug != d.pick)
        .map(|s| s.slug.as_str())
        .unwrap_or_default();
    let mut s = if d.disagreement {
        format!(
            "Our editors pick {pick}, although the scorecard alone puts {} ahead, {} to {} out of 10.",
            name(&d.computed_pick),
            num(standing(&d.computed_pick)),
            num(standing(&d.pick)),
        )
    } else {
        let runner_up = if d.ranking.len() > 2 {
            ", the runner-up"
        } else {
            ""
        };
        match (personal, d.confidence) {
            (true, Confidence::ClearPick) => format!(
                "With your weights, {pick} comes out ahead: it scores {} out of 10 against {} for {}{runner_up}, a clear margin.",
                num(standing(&d.pick)),
                num(standing(rival)),
                name(rival),
            ),
            (true, Confidence::CloseCall) => format!(
                "With your weights, {pick} comes out ahead, but it is a close call: it scores {} out of 10 against {} for {}{runner_up}.",
                num(standing(&d.pick)),
                num(standing(rival)),
                name(rival),
            ),
            (false, Confidence::ClearPick) => format!(
                "{pick} is our pick: it scores {} out of 10 against {} for {}{runner_up}, a clear margin.",
                num(standing(&d.pick)),
                num(standing(rival)),
                name(rival),
            ),
            (false, Confidence::CloseCall) => format!(
                "{pick} is our pick, but it is a close call: it scores {} out of 10 against {} for {}{runner_up}.",
                num(standing(&d.pick)),
                num(standing(rival)),
                name(rival),
            ),
        }
    };
    if let Some(row) = d.deciding.as_deref().and_then(|c| d.row(c)) {
        let cell = |slug: &str| row.cells.iter().find(|c| c.slug == slug);
        if let (Some(mine), Some(theirs)) = (cell(&d.pick), cell(rival)) {
            let label = catalog
                .criterion(&row.criterion)
                .map_or_else(|| row.label.clone(), |c| c.label.clone());
            s.push_str(&format!(
                " {label} decided it, {} against {}. {}",
                mine.score, theirs.score, mine.reason
            ));
        }
    }
    s
}

fn complementary(catalog: &Catalog, d: &Decision, topics: &[&Topic]) -> Option<String> {
    let name = |slug| name(catalog, slug);
    d.complementary.as_ref()?;
    let kinds: Vec<String> = topics
        .iter()
        .map(|t| format!("{} is {}", t.name, t.kind.with_article()))
        .collect();
    let mut s = format!(
        "{}, so they are not either-or: many people combine them.",
        join_and(&kinds)
    );
    let why = d
        .deciding
        .as_deref()
        .and_then(|c| catalog.criterion(c))
        .map(|c| format!(" because of its {}", c.phrase()))
        .unwrap_or_default();
    s.push_str(&format!(
        " If you have to choose where to put your effort first, we lean towards {}{why}.",
        name(&d.pick)
    ));
    Some(s)
}

fn flip_sentence(catalog: &Catalog, d: &Decision) -> String {
    let name = |slug| name(catalog, slug);
    let prefix = if d.disagreement {
        "On the scorecard, "
    } else {
        ""
    };
    match &d.flip {
        Flip::Weight {
            criterion,
            from,
            to,
            winner,
            ..
        } => {
            let phrase = catalog
                .criterion(criterion)
                .map_or_else(|| criterion.clone(), |c| c.phrase());
            let who = name(winner);
            if *to == 0.0 {
                format!("{prefix}{who} would win if you ignored {phrase}.")
            } else if to > from {
                let factor = if *from > 0.0 {
                    format!(" ({}× as much)", num(to / from))
                } else {
                    String::new()
                };
                format!(
                    "{prefix}{who} would win if you weighed {phrase} at {} instead of {}{factor}.",
                    num(*to),
                    num(*from)
                )
            } else {
                format!(
                    "{prefix}{who} would win if {phrase} counted for {} instead of {}.",
                    num(*to),
                    num(*from)
                )
            }
        }
        Flip::Nothing => format!(
            "{}othing reasonable flips it: no single criterion, weighed anywhere from zero to four times as much as now, changes the pick.",
            if d.disagreement {
                "On the scorecard, n"
            } else {
                "N"
            }
        ),
    }
}

/// A topic's display name, or the slug itself if it is not in the catalog.
fn name<'a>(catalog: &'a Catalog, slug: &'a str) -> &'a str {
    catalog.topic(slug).map_or(slug, |t| t.name.as_str())
}

/// "a", "a and b", "a, b and c".
pub fn join_and<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "and")
}

/// "a", "a or b", "a, b or c".
pub fn join_or<S: AsRef<str>>(items: &[S]) -> String {
    join_with(items, "or")
}

fn join_with<S: AsRef<str>>(items: &[S], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} {word} {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

/// A number as people write it: `3`, `2.5`, `7.25`.
pub fn num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

fn number_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// The criteria a topic wins outright, as phrases for running text.
pub fn lead_phrases(catalog: &Catalog, decision: &Decision, slug: &str) -> Vec<String> {
    decision
        .leads(slug)
        .map(|r| {
            catalog
                .criterion(&r.criterion)
                .map_or_else(|| lower_first(&r.label), |c| c.phrase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decide::{Preferences, Weights, decide};
    use crate::lint::{Prose, problems};
    use crate::model::Section;
    use crate::test_support::catalog;

    fn verdict(slugs: &[&str], editorial: Option<&Editorial>) -> VerdictText {
        let cat = catalog();
        let topics: Vec<&Topic> = slugs.iter().map(|s| cat.topic(s).unwrap()).collect();
        let w = Weights::resolve(&cat, &topics, &Preferences::default()).unwrap();
        let d = decide(&cat, &topics, &w, editorial.map(|e| e.pick.as_str())).unwrap();
        compose(&cat, &d, editorial, false)
    }

    /// Every sentence we generate must pass the same checks as editors' text.
    fn assert_grammatical(v: &VerdictText) {
        let mut all = vec![v.intro.clone(), v.bottom_line.clone(), v.flip.clone()];
        all.extend(v.use_if.iter().map(|u| u.text.clone()));
        all.extend(v.complementary.clone());
        for s in all {
            assert_eq!(problems(&s, Prose::Sentences), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn generated_verdict_reads_well() {
        let v = verdict(&["technical-leadership", "product-management"], None);
        assert_grammatical(&v);
        insta::assert_json_snapshot!(v);
    }

    #[test]
    fn editorial_text_overrides_generated_wording() {
        let editorial = Editorial {
            slugs: vec!["product-management".into(), "technical-leadership".into()],
            pick: "product-management".into(),
            title: None,
            category: None,
            short_answer: "Product Management, for most readers.".into(),
            pick_if: [(
                "product-management".to_owned(),
                vec![
                    "you like talking to customers".to_owned(),
                    "you enjoy prioritising".to_owned(),
                ],
            )]
            .into_iter()
            .collect(),
            also_consider: vec![],
            sections: vec![Section {
                heading: "Pay".into(),
                winner: None,
                body: "Similar.".into(),
            }],
            reviewed: "2026-11-20".into(),
        };
        let v = verdict(
            &["technical-leadership", "product-management"],
            Some(&editorial),
        );
        assert_grammatical(&v);
        assert_eq!(
            v.use_if[0].text,
            "Use Product Management if you like talking to customers or you enjoy prioritising. It leads on ease of learning."
        );
        assert!(v.bottom_line.starts_with(
            "Our editors pick Product Management, although the scorecard alone puts Technical Leadership ahead, 7.38 to 7.13 out of 10."
        ), "{}", v.bottom_line);
        assert!(v.flip.starts_with("On the scorecard, "), "{}", v.flip);
    }

    #[test]
    fn three_way_verdicts_read_well() {
        let v = verdict(&["rust", "go", "python"], None);
        assert_grammatical(&v);
        assert_eq!(v.title, "Go vs Python vs Rust");
        assert!(v.complementary.is_none());
    }

    #[test]
    fn joins_read_naturally() {
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_or(&["a", "b", "c"]), "a, b or c");
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(2.5), "2.5");
        assert_eq!(num(7.256), "7.26");
        assert_eq!(num(-0.001), "0");
    }
}
