//! The words of a verdict: intro, "use A if / use B if", the bottom line,
//! how the work divides between topics that are not alternatives, and what
//! would flip (or tip) the pick.
//!
//! Sentences are assembled from whole clauses written by editors (a topic's
//! `use_when`, an editorial's `pick_if`) and from the decision's numbers; the
//! content checker guarantees those clauses start with "you" and carry no
//! final full stop, which is what keeps the joins grammatical. Editors' text
//! is never cut or re-cased, so proper nouns keep their case. Verbs agree
//! with names that are plural ("Passkeys are").

use serde::Serialize;

use crate::decide::{Confidence, Decision, Flip};
use crate::model::{Catalog, Editorial, Outcome, Topic, lower_first};

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
    /// For complements and different jobs: what each one is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub division: Option<String>,
    /// For different jobs: what each topic is really compared with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub compare_instead: Vec<CompareInstead>,
    /// The same as sentences, for text outputs: "Compare Git with
    /// Mercurial or Subversion."
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead: Option<String>,
    /// For a pick: what would flip it. For too close to call: what would
    /// tip it each way. Empty otherwise.
    pub flip: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UseIf {
    pub slug: String,
    pub text: String,
}

/// Topics that do the same job as `slug`, which a reader should compare it
/// with instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareInstead {
    pub slug: String,
    pub with: Vec<String>,
}

/// How many "compare it with" suggestions a different-jobs page offers per
/// side.
const INSTEAD_LIMIT: usize = 3;

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

    let alternatives = decision.outcome.alternatives();
    let mut intro: Vec<String> = topics
        .iter()
        .map(|t| format!("{} {} for you if {}.", t.name, t.is(), t.use_when))
        .collect();
    let count = format!(
        "{} {}",
        number_word(decision.rows.len()),
        if decision.rows.len() == 1 {
            "criterion"
        } else {
            "criteria"
        }
    );
    intro.push(if alternatives {
        format!("We score them on {count} below.")
    } else {
        format!(
            "The scorecard below rates each on {count} for reference; it does not pick between them."
        )
    });

    let use_if = topics
        .iter()
        .map(|t| UseIf {
            slug: t.slug.clone(),
            text: use_if_sentence(catalog, decision, t, editorial),
        })
        .collect();

    let (division, compare_instead) = match decision.outcome {
        Outcome::Complements | Outcome::DifferentJobs => {
            let instead = if decision.outcome == Outcome::DifferentJobs {
                topics
                    .iter()
                    .map(|t| CompareInstead {
                        slug: t.slug.clone(),
                        with: catalog
                            .same_job(t, INSTEAD_LIMIT)
                            .iter()
                            .map(|o| o.slug.clone())
                            .collect(),
                    })
                    .filter(|c| !c.with.is_empty())
                    .collect()
            } else {
                Vec::new()
            };
            (Some(division(catalog, &topics)), instead)
        }
        _ => (None, Vec::new()),
    };

    VerdictText {
        title,
        intro: intro.join(" "),
        short_answer: editorial.map(|e| e.short_answer.clone()),
        use_if,
        bottom_line: bottom_line(catalog, decision, personal),
        division,
        instead: instead_sentences(catalog, &compare_instead),
        compare_instead,
        flip: flip_sentence(catalog, decision),
    }
}

fn use_if_sentence(
    catalog: &Catalog,
    decision: &Decision,
    topic: &Topic,
    editorial: Option<&Editorial>,
) -> String {
    let reasons = match editorial.and_then(|e| e.pick_if.get(&topic.slug)) {
        Some(clauses) if !clauses.is_empty() => join_or(clauses),
        _ => topic.use_when.clone(),
    };
    let mut s = format!("Use {} if {}.", topic.name, reasons);
    if !decision.outcome.alternatives() {
        return s;
    }
    let leads = lead_phrases(catalog, decision, &topic.slug);
    let shared: Vec<String> = decision
        .shared_leads(&topic.slug)
        .map(|r| phrase(catalog, &r.criterion, &r.label))
        .collect();
    let it = crate::model::capitalise(topic.pronoun());
    match (leads.is_empty(), shared.is_empty()) {
        (false, true) => s.push_str(&format!(
            " {it} {} on {}.",
            topic.verb("leads", "lead"),
            join_and(&leads)
        )),
        (false, false) => s.push_str(&format!(
            " {it} {} on {}, and {} the lead on {}.",
            topic.verb("leads", "lead"),
            join_and(&leads),
            topic.verb("shares", "share"),
            join_and(&shared)
        )),
        (true, false) => s.push_str(&format!(
            " {it} {} the lead on {}.",
            topic.verb("shares", "share"),
            join_and(&shared)
        )),
        (true, true) => s.push_str(&format!(
            " {it} {} on none of the criteria we score, so choose {} for the reasons above.",
            topic.verb("leads", "lead"),
            topic.pronoun().replace("they", "them"),
        )),
    }
    s
}

fn bottom_line(catalog: &Catalog, d: &Decision, personal: bool) -> String {
    let name = |slug| name(catalog, slug);
    let standing = |slug: &str| d.standing(slug).map_or(0.0, |s| s.score);
    let names_of = |slugs: &[String]| -> String {
        join_and(
            &slugs
                .iter()
                .map(|s| self::name(catalog, s))
                .collect::<Vec<_>>(),
        )
    };
    let mut s = match d.outcome {
        Outcome::Complements => format!(
            "{} are used together, so we do not pick one over the other.",
            names_of(&d.topics)
        ),
        Outcome::DifferentJobs => format!(
            "{} do different jobs, so there is nothing to pick between them.",
            names_of(&d.topics)
        ),
        Outcome::TooClose if d.unweighed() => format!(
            "With your weights it is too close to call: every criterion {} are scored on has a weight of zero, so nothing separates them.",
            names_of(&d.topics)
        ),
        Outcome::TooClose => {
            let (first, second) = (&d.ranking[0].slug, &d.ranking[1].slug);
            let (a, b) = (num(standing(first)), num(standing(second)));
            let scores = if a == b {
                format!(
                    "{} and {} both score {a} out of 10",
                    name(first),
                    name(second)
                )
            } else {
                format!(
                    "{} {} {a} out of 10 and {} {b}",
                    name(first),
                    catalog
                        .topic(first)
                        .map_or("scores", |t| t.verb("scores", "score")),
                    name(second)
                )
            };
            let heaviest = heaviest_phrase(catalog, d);
            let who = if personal {
                "With your weights it"
            } else {
                "It"
            };
            format!(
                "{who} is too close to call: {scores}, a gap no bigger than one point on {heaviest} is worth, so we do not pick either."
            )
        }
        Outcome::Pick => pick_line(catalog, d, personal),
    };
    if !d.editorial_cycle.is_empty() {
        s.push_str(&format!(
            " Our editors' picks between {} go round in a circle, so this ranking follows the scorecard.",
            names_of(&d.editorial_cycle)
        ));
    }
    s
}

fn pick_line(catalog: &Catalog, d: &Decision, personal: bool) -> String {
    let name = |slug| name(catalog, slug);
    let standing = |slug: &str| d.standing(slug).map_or(0.0, |s| s.score);
    let pick_slug = d.pick.as_deref().unwrap_or_default();
    let pick = name(pick_slug);
    let rival = d.runner_up();
    let runner_up = if d.ranking.len() > 2 {
        ", the runner-up"
    } else {
        ""
    };
    let (mine, theirs) = (num(standing(pick_slug)), num(standing(rival)));
    let confidence = d.confidence.unwrap_or(Confidence::ClearPick);
    let mut s = match (personal, confidence) {
        (_, Confidence::EditorsPick) if d.disagreement => {
            let computed = num(standing(&d.computed_pick));
            if !d.scorecard_clear && computed == mine {
                format!(
                    "Our editors pick {pick}. On the scorecard alone it would be too close to call: {} and {pick} both score {mine} out of 10.",
                    name(&d.computed_pick),
                )
            } else if !d.scorecard_clear {
                format!(
                    "Our editors pick {pick}. On the scorecard alone it would be too close to call: {} {} {computed} out of 10 and {pick} {mine}.",
                    name(&d.computed_pick),
                    catalog
                        .topic(&d.computed_pick)
                        .map_or("scores", |t| t.verb("scores", "score")),
                )
            } else if computed == mine {
                format!(
                    "Our editors pick {pick}. On the scorecard alone, {pick} and {} are level at {mine} out of 10.",
                    name(&d.computed_pick)
                )
            } else {
                format!(
                    "Our editors pick {pick}, although the scorecard alone puts {} ahead, {computed} to {mine} out of 10.",
                    name(&d.computed_pick)
                )
            }
        }
        (_, Confidence::EditorsPick) => format!(
            "Our editors pick {pick}. On the scorecard alone it would be too close to call: {pick} scores {mine} out of 10 against {theirs} for {}{runner_up}.",
            name(rival)
        ),
        (true, Confidence::ClearPick) => format!(
            "With your weights, {pick} comes out ahead: {} {mine} out of 10 against {theirs} for {}{runner_up}, a clear margin.",
            score_verb(catalog, pick_slug),
            name(rival)
        ),
        (true, Confidence::NarrowPick) => format!(
            "With your weights, {pick} comes out ahead by a narrow margin: {} {mine} out of 10 against {theirs} for {}{runner_up}.",
            score_verb(catalog, pick_slug),
            name(rival)
        ),
        (false, Confidence::ClearPick) => format!(
            "{pick} {} our pick: {} {mine} out of 10 against {theirs} for {}{runner_up}, a clear margin.",
            topic_is(catalog, pick_slug),
            score_verb(catalog, pick_slug),
            name(rival)
        ),
        (false, Confidence::NarrowPick) => format!(
            "{pick} {} our pick by a narrow margin: {} {mine} out of 10 against {theirs} for {}{runner_up}.",
            topic_is(catalog, pick_slug),
            score_verb(catalog, pick_slug),
            name(rival)
        ),
    };
    if let Some(row) = d.deciding.as_deref().and_then(|c| d.row(c)) {
        let cell = |slug: &str| row.cells.iter().find(|c| c.slug == slug);
        if let (Some(mine), Some(theirs)) = (cell(pick_slug), cell(rival)) {
            let label = catalog
                .criterion(&row.criterion)
                .map_or_else(|| row.label.clone(), |c| c.label.clone());
            let quote = strength(&mine.reason)
                .map(|q| format!(". {q}"))
                .unwrap_or_else(|| ".".to_owned());
            if confidence == Confidence::EditorsPick {
                s.push_str(&format!(
                    " {pick} {} most on {}, {} against {}{quote}",
                    catalog
                        .topic(pick_slug)
                        .map_or("leads", |t| t.verb("leads", "lead")),
                    lower_first(&label),
                    mine.score,
                    theirs.score
                ));
            } else {
                s.push_str(&format!(
                    " {label} decided it, {} against {}{quote}",
                    mine.score, theirs.score
                ));
            }
        }
    }
    s
}

/// "it scores" or "they score", agreeing with the topic's name.
fn score_verb(catalog: &Catalog, slug: &str) -> String {
    catalog.topic(slug).map_or_else(
        || "it scores".to_owned(),
        |t| format!("{} {}", t.pronoun(), t.verb("scores", "score")),
    )
}

fn topic_is(catalog: &Catalog, slug: &str) -> &'static str {
    catalog.topic(slug).map_or("is", Topic::is)
}

/// The heaviest-weighted criterion as a phrase, for "one point on … is
/// worth"; the first in row order among equals.
fn heaviest_phrase(catalog: &Catalog, d: &Decision) -> String {
    let heaviest = d
        .rows
        .iter()
        .fold(None::<&crate::decide::Row>, |best, r| match best {
            Some(b) if b.weight >= r.weight => Some(b),
            _ => Some(r),
        });
    heaviest.map_or_else(
        || "the heaviest criterion".to_owned(),
        |r| phrase(catalog, &r.criterion, &r.label),
    )
}

/// The part of a score's reason that speaks for the side: the whole reason
/// when it has no "but", "though" or "while" in it; the clause before
/// such a turn when it comes after a comma or semicolon; nothing when the
/// strength and the weakness are mixed inside one phrase.
pub fn strength(reason: &str) -> Option<String> {
    const TURNS: [&str; 8] = [
        ", but ",
        "; ",
        ", though ",
        ", although ",
        ", while ",
        ", yet ",
        ", whereas ",
        ", except ",
    ];
    const CONTRAST: [&str; 15] = [
        " but ", "though", "however", " while ", " yet ", "whereas", "despite", " except ",
        "ageing", "thinner", "weaker", "slower", " lacks", " behind", " limited",
    ];
    let body = reason.trim().trim_end_matches('.');
    let cut = TURNS
        .iter()
        .filter_map(|t| body.find(t))
        .min()
        .map_or(body, |i| &body[..i]);
    let lower = format!(" {} ", cut.to_lowercase());
    if cut.is_empty()
        || CONTRAST.iter().any(|c| lower.contains(c))
        || lower.trim_start().starts_with("although")
    {
        return None;
    }
    Some(format!("{cut}."))
}

/// What `topic` is for, from all its jobs: "Prometheus is for metrics and
/// alerting."; "Data Engineer is a career path."; `None` without jobs.
pub fn jobs_sentence(catalog: &Catalog, topic: &Topic) -> Option<String> {
    let labels: Vec<&str> = topic
        .jobs
        .iter()
        .filter_map(|j| catalog.job(j))
        .map(|j| j.label.as_str())
        .collect();
    let (nouns, fors): (Vec<&str>, Vec<&str>) = labels
        .iter()
        .partition(|l| l.starts_with("a ") || l.starts_with("an "));
    let (name, is) = (&topic.name, topic.is());
    match (nouns.is_empty(), fors.is_empty()) {
        (true, true) => None,
        (true, false) => Some(format!("{name} {is} for {}.", join_and(&fors))),
        (false, true) => Some(format!("{name} {is} {}.", join_and(&nouns))),
        (false, false) => Some(format!(
            "{name} {is} {}, used for {}.",
            join_and(&nouns),
            join_and(&fors)
        )),
    }
}

/// What each topic is for, by its first job: "Git is for version control;
/// Data Engineer is a career path."
fn division(catalog: &Catalog, topics: &[&Topic]) -> String {
    let parts: Vec<String> = topics
        .iter()
        .map(|t| {
            let job = t
                .jobs
                .first()
                .and_then(|j| catalog.job(j))
                .map_or_else(|| t.kind.with_article().to_owned(), |j| j.label.clone());
            // "Git is for version control"; "Data Engineer is a career path".
            if job.starts_with("a ") || job.starts_with("an ") {
                format!("{} {} {job}", t.name, t.is())
            } else {
                format!("{} {} for {job}", t.name, t.is())
            }
        })
        .collect();
    format!("{}.", crate::model::capitalise(&parts.join("; ")))
}

/// "Compare Git with Mercurial or Subversion. Compare …", or `None`.
fn instead_sentences(catalog: &Catalog, instead: &[CompareInstead]) -> Option<String> {
    let sentences: Vec<String> = instead
        .iter()
        .filter_map(|c| {
            let t = catalog.topic(&c.slug)?;
            let names: Vec<&str> = c.with.iter().map(|s| name(catalog, s)).collect();
            Some(format!("Compare {} with {}.", t.name, join_or(&names)))
        })
        .collect();
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

fn flip_sentence(catalog: &Catalog, d: &Decision) -> String {
    let name = |slug| name(catalog, slug);
    let change = |f: &Flip| -> Option<String> {
        let Flip::Weight {
            criterion,
            from,
            to,
            ..
        } = f
        else {
            return None;
        };
        let phrase = catalog
            .criterion(criterion)
            .map_or_else(|| criterion.clone(), |c| c.phrase());
        Some(if *to == 0.0 {
            format!("if you ignored {phrase}")
        } else if to > from {
            let factor = if *from > 0.0 {
                format!(" ({}× as much)", num(to / from))
            } else {
                String::new()
            };
            format!(
                "if you weighed {phrase} at {} instead of {}{factor}",
                num(*to),
                num(*from)
            )
        } else {
            format!(
                "if {phrase} counted for {} instead of {}",
                num(*to),
                num(*from)
            )
        })
    };
    match d.outcome {
        Outcome::Pick if d.confidence == Some(Confidence::EditorsPick) => match change(&d.flip) {
            Some(c) => format!("The scorecard would agree with our editors {c}."),
            None => "No single weight change within reason makes the scorecard agree with our editors; their reasons are above.".to_owned(),
        },
        Outcome::Pick => match (&d.flip, change(&d.flip)) {
            (Flip::Weight { winner, .. }, Some(c)) => format!("{} would win {c}.", name(winner)),
            _ => "Nothing reasonable flips it: no single criterion, weighed anywhere from zero to four times as much as now, changes the pick.".to_owned(),
        },
        Outcome::TooClose if d.unweighed() => {
            "Give at least one criterion a weight above zero; the rows below show where each one leads.".to_owned()
        }
        Outcome::TooClose => {
            let tips: Vec<String> = d
                .tips
                .iter()
                .filter_map(|f| match f {
                    Flip::Weight { winner, .. } => {
                        change(f).map(|c| format!("{} would be the pick {c}.", name(winner)))
                    }
                    Flip::Nothing => None,
                })
                .collect();
            if tips.is_empty() {
                "No single weight change within reason separates them, so decide on the rows that matter most to you.".to_owned()
            } else {
                tips.join(" ")
            }
        }
        Outcome::Complements | Outcome::DifferentJobs => String::new(),
    }
}

/// A topic's display name, or the slug itself if it is not in the catalog.
fn name<'a>(catalog: &'a Catalog, slug: &'a str) -> &'a str {
    catalog.topic(slug).map_or(slug, |t| t.name.as_str())
}

fn phrase(catalog: &Catalog, criterion: &str, label: &str) -> String {
    catalog
        .criterion(criterion)
        .map_or_else(|| lower_first(label), |c| c.phrase())
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
    let hundredths = (x * 100.0).round();
    // Every score, weight and margin: whole hundredths, written from an
    // integer (a page writes hundreds of these; float formatting was a
    // twentieth of a cold page's instructions).
    if hundredths.abs() < 1e15 {
        let h = hundredths as i64;
        let (whole, frac) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
        let sign = if h < 0 { "-" } else { "" };
        return match frac {
            0 => format!("{sign}{whole}"),
            f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
            f => format!("{sign}{whole}.{f:02}"),
        };
    }
    let r = hundredths / 100.0;
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
    use crate::decide::{Editors, Preferences, Weights, decide};
    use crate::lint::{Prose, problems};
    use crate::model::{Kind, Section};
    use crate::test_support::{catalog, catalog_with, editorial, topic_doing};

    fn verdict_in(cat: &Catalog, slugs: &[&str]) -> VerdictText {
        let topics: Vec<&Topic> = slugs.iter().map(|s| cat.topic(s).unwrap()).collect();
        let w = Weights::resolve(cat, &topics, &Preferences::default()).unwrap();
        let d = decide(cat, &topics, &w, Editors::Bind).unwrap();
        let e = cat.editorial(slugs);
        compose(cat, &d, e, false)
    }

    fn verdict(slugs: &[&str]) -> VerdictText {
        verdict_in(&catalog(), slugs)
    }

    /// Every sentence we generate must pass the same checks as editors' text.
    fn assert_grammatical(v: &VerdictText) {
        let mut all = vec![v.intro.clone(), v.bottom_line.clone()];
        if !v.flip.is_empty() {
            all.push(v.flip.clone());
        }
        all.extend(v.use_if.iter().map(|u| u.text.clone()));
        all.extend(v.division.clone());
        all.extend(v.instead.clone());
        for s in all {
            assert_eq!(problems(&s, Prose::Sentences), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn too_close_to_call_names_no_winner_and_says_what_tips_it() {
        let v = verdict(&["technical-leadership", "product-management"]);
        assert_grammatical(&v);
        assert_eq!(
            v.bottom_line,
            "It is too close to call: Technical Leadership scores 7.38 out of 10 and Product Management 7.13, a gap no bigger than one point on impact is worth, so we do not pick either."
        );
        assert_eq!(
            v.flip,
            "Technical Leadership would be the pick if ease of learning counted for 1.4 instead of 2. Product Management would be the pick if you weighed ease of learning at 6.1 instead of 2 (3.05× as much)."
        );
        insta::assert_json_snapshot!(v);
    }

    #[test]
    fn a_pick_says_what_decided_it_with_a_strength() {
        let v = verdict(&["rust", "go"]);
        assert_grammatical(&v);
        assert!(
            v.bottom_line.starts_with(
                "Go is our pick: it scores 8 out of 10 against 6.29 for Rust, a clear margin. Ease of learning decided it, 8 against 3."
            ),
            "{}",
            v.bottom_line
        );
    }

    #[test]
    fn editors_overruling_the_scorecard_show_both_numbers() {
        let mut e = editorial(
            &["technical-leadership", "product-management"],
            crate::model::Outcome::Pick,
            Some("product-management"),
        );
        e.pick_if = [(
            "product-management".to_owned(),
            vec![
                "you like talking to customers".to_owned(),
                "you enjoy prioritising".to_owned(),
            ],
        )]
        .into_iter()
        .collect();
        e.sections = vec![Section {
            heading: "Pay".into(),
            winner: None,
            body: "Similar.".into(),
        }];
        let cat = catalog_with(vec![], vec![e]);
        let v = verdict_in(&cat, &["technical-leadership", "product-management"]);
        assert_grammatical(&v);
        assert_eq!(
            v.use_if[0].text,
            "Use Product Management if you like talking to customers or you enjoy prioritising. It leads on ease of learning."
        );
        // The scorecard's lead is within its precision: say so, not "ahead".
        assert!(v.bottom_line.starts_with(
            "Our editors pick Product Management. On the scorecard alone it would be too close to call: Technical Leadership scores 7.38 out of 10 and Product Management 7.13."
        ), "{}", v.bottom_line);
        assert!(
            v.flip
                .starts_with("The scorecard would agree with our editors if "),
            "{}",
            v.flip
        );
    }

    #[test]
    fn editors_overruling_a_clear_scorecard_say_by_how_much() {
        let cat = catalog_with(
            vec![],
            vec![editorial(
                &["go", "rust"],
                crate::model::Outcome::Pick,
                Some("rust"),
            )],
        );
        let v = verdict_in(&cat, &["go", "rust"]);
        assert_grammatical(&v);
        assert!(
            v.bottom_line.starts_with(
                "Our editors pick Rust, although the scorecard alone puts Go ahead, 8 to 6.29 out of 10. Rust leads most on performance, 10 against 8."
            ),
            "{}",
            v.bottom_line
        );
    }

    #[test]
    fn different_jobs_say_what_each_is_for_and_what_to_compare_instead() {
        let mut git = topic_doing(
            "version-control",
            "git",
            "Git",
            Kind::Tool,
            "languages",
            &[
                ("performance", 9),
                ("productivity", 8),
                ("learning-curve", 4),
            ],
        );
        git.alternatives = vec!["mercurial".into()];
        let hg = topic_doing(
            "version-control",
            "mercurial",
            "Mercurial",
            Kind::Tool,
            "languages",
            &[
                ("performance", 7),
                ("productivity", 7),
                ("learning-curve", 6),
            ],
        );
        let mut keys = topic_doing(
            "api-auth",
            "passkeys",
            "Passkeys",
            Kind::Standard,
            "languages",
            &[
                ("performance", 7),
                ("productivity", 7),
                ("learning-curve", 9),
            ],
        );
        keys.plural = true;
        let cat = catalog_with(vec![git, hg, keys], vec![]);
        let v = verdict_in(&cat, &["git", "passkeys"]);
        assert_grammatical(&v);
        assert!(v.intro.contains("Passkeys are for you if"), "{}", v.intro);
        assert_eq!(
            v.bottom_line,
            "Git and Passkeys do different jobs, so there is nothing to pick between them."
        );
        assert_eq!(
            v.division.as_deref(),
            Some("Git is for version control; Passkeys are for authenticating API requests.")
        );
        assert_eq!(v.instead.as_deref(), Some("Compare Git with Mercurial."));
        assert_eq!(v.flip, "");
        // No lead sentences: the scores do not decide anything here.
        assert_eq!(
            v.use_if[1].text,
            "Use Passkeys if you want what Passkeys offers."
        );
    }

    #[test]
    fn a_strength_is_quoted_never_a_weakness() {
        assert_eq!(strength("An enormous but ageing plugin catalogue."), None);
        assert_eq!(
            strength("One server is easy to run, while HA and retention add real work."),
            Some("One server is easy to run.".into())
        );
        assert_eq!(
            strength("Exporters exist for practically everything."),
            Some("Exporters exist for practically everything.".into())
        );
        assert_eq!(strength("Although slow to start, it flies."), None);
    }

    #[test]
    fn a_shared_top_score_is_a_shared_lead() {
        let a = topic_doing(
            "general-purpose-language",
            "a",
            "Alpha",
            Kind::Language,
            "languages",
            &[
                ("performance", 10),
                ("productivity", 4),
                ("learning-curve", 4),
            ],
        );
        let b = topic_doing(
            "general-purpose-language",
            "b",
            "Beta",
            Kind::Language,
            "languages",
            &[
                ("performance", 10),
                ("productivity", 9),
                ("learning-curve", 9),
            ],
        );
        let cat = catalog_with(vec![a, b], vec![]);
        let v = verdict_in(&cat, &["a", "b"]);
        assert_grammatical(&v);
        assert!(
            v.use_if[0]
                .text
                .ends_with("It shares the lead on performance."),
            "{}",
            v.use_if[0].text
        );
    }

    #[test]
    fn three_way_verdicts_read_well() {
        let v = verdict(&["rust", "go", "python"]);
        assert_grammatical(&v);
        assert_eq!(v.title, "Go vs Python vs Rust");
        assert!(v.division.is_none());
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
        assert_eq!(num(-1.5), "-1.5");
        assert_eq!(num(0.05), "0.05");
        assert_eq!(num(f64::NAN), "NaN");
    }

    #[test]
    fn numbers_from_integers_match_float_formatting() {
        let by_float = |x: f64| {
            let r = (x * 100.0).round() / 100.0;
            let s = format!("{r:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.').to_owned();
            if s == "-0" { "0".to_owned() } else { s }
        };
        for i in -200_000..=200_000 {
            let x = f64::from(i) / 1000.0;
            assert_eq!(num(x), by_float(x), "{x}");
            let y = f64::from(i) / 700.0;
            assert_eq!(num(y), by_float(y), "{y}");
        }
    }
}
