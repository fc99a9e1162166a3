//! The decision model: `(topics, weights) -> Decision`.
//!
//! Pure and deterministic. Each side's overall score is the weighted mean of
//! its criterion scores; the ranking follows it. Because every side shares
//! the same weights, the sign of `Σ wᵢ·(aᵢ − bᵢ)` says who leads, which makes
//! "what would flip it" an exact, closed-form answer per criterion rather
//! than a search.
//!
//! Numbers that leave this module are rounded to two decimals, so the same
//! content always serialises to the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;
use thiserror::Error;

use crate::model::{Catalog, Topic};

/// A margin (on the 0–10 scale) below which we call the pick a close call.
/// Half a point is the smallest gap a single whole-point score difference on
/// a heavily weighted criterion produces in a typical category.
pub const CLOSE_CALL_MARGIN: f64 = 0.5;

/// How far we look for a flip: raising one criterion's weight to at most this
/// many times its current value. Beyond that a reader is no longer
/// "weighing it more" but ignoring everything else.
pub const MAX_FLIP_FACTOR: f64 = 4.0;

/// Largest weight a reader may give a criterion.
pub const MAX_WEIGHT: f64 = 10.0;

#[derive(Debug, Clone, PartialEq, Error)]
pub enum DecideError {
    #[error("a comparison needs 2 to 4 topics, got {0}")]
    TopicCount(usize),
    #[error("topic `{0}` appears twice in the comparison")]
    Repeated(String),
    #[error("profile `{0}` does not exist")]
    UnknownProfile(String),
    #[error("criterion `{0}` does not exist")]
    UnknownCriterion(String),
    #[error("criterion `{0}` is not scored for these topics")]
    CriterionNotShared(String),
    #[error("weight for `{criterion}` must be a number from 0 to 10, got {value}")]
    BadWeight { criterion: String, value: f64 },
    #[error("every weight is zero, so nothing can decide between these topics")]
    AllZero,
    #[error("these topics share no scored criterion")]
    NoSharedCriteria,
}

/// What the reader asked for: a profile and per-criterion weight overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Preferences {
    pub profile: Option<String>,
    /// Criterion id → absolute weight, applied after the profile.
    pub weights: BTreeMap<String, f64>,
}

impl Preferences {
    pub fn is_default(&self) -> bool {
        self.profile.is_none() && self.weights.is_empty()
    }
}

/// The weight of each criterion used for one comparison, in the order of
/// the categories' default weights (heaviest first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weights(pub Vec<(String, f64)>);

impl Weights {
    /// Weights for comparing `topics`: the criteria every topic is scored
    /// on, each at the mean of the topics' category defaults, times the
    /// profile's multiplier, then replaced by any explicit override.
    pub fn resolve(
        catalog: &Catalog,
        topics: &[&Topic],
        prefs: &Preferences,
    ) -> Result<Weights, DecideError> {
        let profile = match &prefs.profile {
            Some(slug) => Some(
                catalog
                    .profile(slug)
                    .ok_or_else(|| DecideError::UnknownProfile(slug.clone()))?,
            ),
            None => None,
        };
        let mut out = Vec::new();
        for criterion in catalog.criteria() {
            let id = criterion.id.as_str();
            if !topics.iter().all(|t| t.scores.contains_key(id)) {
                continue;
            }
            let defaults: Vec<f64> = topics
                .iter()
                .map(|t| {
                    catalog
                        .category(&t.category)
                        .and_then(|c| c.weight(id))
                        .unwrap_or(1.0)
                })
                .collect();
            // Rounded first, so that a browser recomputing weights from the
            // published defaults gets exactly the same numbers.
            let default = round2(defaults.iter().sum::<f64>() / defaults.len() as f64);
            let mut w = default;
            if let Some(m) = profile.and_then(|p| p.multipliers.get(id)) {
                w *= m;
            }
            out.push((id.to_owned(), round2(w), default));
        }
        if out.is_empty() {
            return Err(DecideError::NoSharedCriteria);
        }
        for (id, &value) in &prefs.weights {
            if catalog.criterion(id).is_none() {
                return Err(DecideError::UnknownCriterion(id.clone()));
            }
            if !(0.0..=MAX_WEIGHT).contains(&value) || !value.is_finite() {
                return Err(DecideError::BadWeight {
                    criterion: id.clone(),
                    value,
                });
            }
            let slot = out
                .iter_mut()
                .find(|(c, _, _)| c == id)
                .ok_or_else(|| DecideError::CriterionNotShared(id.clone()))?;
            slot.1 = value;
        }
        if out.iter().all(|&(_, w, _)| w == 0.0) {
            return Err(DecideError::AllZero);
        }
        // Heaviest by default first, so a scorecard reads from what matters
        // most and keeps its row order whatever a reader changes; the sort
        // is stable, so equal weights keep the catalog's order.
        out.sort_by(|a, b| b.2.total_cmp(&a.2));
        Ok(Weights(out.into_iter().map(|(id, w, _)| (id, w)).collect()))
    }

    pub fn get(&self, criterion: &str) -> Option<f64> {
        self.0.iter().find(|(c, _)| c == criterion).map(|&(_, w)| w)
    }
}

/// How sure the pick is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    ClearPick,
    CloseCall,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::ClearPick => "clear pick",
            Confidence::CloseCall => "close call",
        }
    }
}

/// One topic's place in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub slug: String,
    /// Weighted mean score, 0–10.
    pub score: f64,
    /// How many criteria this topic wins outright.
    pub rows_won: usize,
}

/// One side's score on one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub slug: String,
    pub score: u8,
    pub reason: String,
}

/// One criterion of the scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub criterion: String,
    pub label: String,
    pub weight: f64,
    /// One cell per topic, in the comparison's (canonical) order.
    pub cells: Vec<Cell>,
    /// The topic with the highest score, `None` when the top is shared.
    pub winner: Option<String>,
}

/// The smallest change of one weight that changes the pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Flip {
    /// Setting `criterion`'s weight to `to` (from `from`) makes `winner` the pick.
    Weight {
        criterion: String,
        label: String,
        from: f64,
        to: f64,
        winner: String,
    },
    /// No single weight change within reason changes the pick.
    Nothing,
}

/// Why a comparison of different kinds of thing is still made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complementary {
    /// Slug and kind of each side, in order.
    pub kinds: Vec<(String, String)>,
}

/// The outcome of comparing 2–4 topics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The compared slugs in canonical (sorted) order.
    pub topics: Vec<String>,
    /// Our pick: the editorial pick when there is one, else the computed one.
    pub pick: String,
    /// What the scorecard alone picks.
    pub computed_pick: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editorial_pick: Option<String>,
    /// True when an editor's pick differs from the scorecard's.
    pub disagreement: bool,
    /// Best first; ties keep the side that wins more rows, then slug order.
    pub ranking: Vec<Standing>,
    /// Gap between the computed first and second overall scores.
    pub margin: f64,
    pub confidence: Confidence,
    /// The criterion that contributed most to the pick's lead over the
    /// runner-up, if any criterion favours it.
    pub deciding: Option<String>,
    pub rows: Vec<Row>,
    pub flip: Flip,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complementary: Option<Complementary>,
    pub weights: Weights,
}

impl Decision {
    pub fn standing(&self, slug: &str) -> Option<&Standing> {
        self.ranking.iter().find(|s| s.slug == slug)
    }

    pub fn row(&self, criterion: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.criterion == criterion)
    }

    /// Criteria on which `slug` wins its row outright, in row order.
    pub fn leads(&self, slug: &str) -> impl Iterator<Item = &Row> {
        self.rows
            .iter()
            .filter(move |r| r.winner.as_deref() == Some(slug))
    }
}

/// Checks the topic list a comparison is asked for: 2–4 distinct topics.
pub fn check_topics(topics: &[&Topic]) -> Result<(), DecideError> {
    if !(2..=4).contains(&topics.len()) {
        return Err(DecideError::TopicCount(topics.len()));
    }
    for (i, t) in topics.iter().enumerate() {
        if topics[..i].iter().any(|o| o.slug == t.slug) {
            return Err(DecideError::Repeated(t.slug.clone()));
        }
    }
    Ok(())
}

/// Compares `topics` (any order) under `weights`. The editorial pick, when
/// given, becomes the pick; the scorecard is computed all the same.
pub fn decide(
    catalog: &Catalog,
    topics: &[&Topic],
    weights: &Weights,
    editorial_pick: Option<&str>,
) -> Result<Decision, DecideError> {
    check_topics(topics)?;
    let mut topics: Vec<&Topic> = topics.to_vec();
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));

    let total_weight: f64 = weights.0.iter().map(|(_, w)| w).sum();
    if total_weight <= 0.0 {
        return Err(DecideError::AllZero);
    }

    let rows: Vec<Row> = weights
        .0
        .iter()
        .map(|(id, w)| {
            let cells: Vec<Cell> = topics
                .iter()
                .map(|t| {
                    let s = &t.scores[id];
                    Cell {
                        slug: t.slug.clone(),
                        score: s.value,
                        reason: s.reason.clone(),
                    }
                })
                .collect();
            let best = cells.iter().map(|c| c.score).max().unwrap_or(0);
            let mut top = cells.iter().filter(|c| c.score == best);
            let winner = match (top.next(), top.next()) {
                (Some(c), None) => Some(c.slug.clone()),
                _ => None,
            };
            Row {
                criterion: id.clone(),
                label: catalog
                    .criterion(id)
                    .map_or_else(|| id.clone(), |c| c.label.clone()),
                weight: *w,
                cells,
                winner,
            }
        })
        .collect();

    let ranked = rank(&topics, weights);
    let margin = round2(ranked[0].exact - ranked[1].exact);
    let ranking: Vec<Standing> = ranked
        .iter()
        .map(|r| Standing {
            slug: r.slug.to_owned(),
            score: round2(r.exact),
            rows_won: r.rows_won,
        })
        .collect();
    let computed_pick = ranking[0].slug.clone();

    let pick = editorial_pick.map_or_else(|| computed_pick.clone(), str::to_owned);
    let disagreement = pick != computed_pick;

    // The runner-up the pick is measured against: the best other topic.
    let rival = ranking
        .iter()
        .find(|s| s.slug != pick)
        .map(|s| s.slug.clone())
        .expect("at least two topics");
    let score_of = |slug: &str, id: &str| -> f64 {
        let t = topics
            .iter()
            .find(|t| t.slug == slug)
            .expect("compared topic");
        f64::from(t.scores[id].value)
    };
    let deciding = weights
        .0
        .iter()
        .map(|(id, w)| (id, w * (score_of(&pick, id) - score_of(&rival, id))))
        .filter(|&(_, contribution)| contribution > 0.0)
        .fold(None::<(&String, f64)>, |best, (id, c)| match best {
            Some((_, b)) if b >= c => best,
            _ => Some((id, c)),
        })
        .map(|(id, _)| id.clone());

    let flip = find_flip(catalog, &topics, weights, &computed_pick);

    let complementary = {
        let first = topics[0].kind;
        topics
            .iter()
            .any(|t| t.kind.complements(first))
            .then(|| Complementary {
                kinds: topics
                    .iter()
                    .map(|t| (t.slug.clone(), t.kind.as_str().to_owned()))
                    .collect(),
            })
    };

    Ok(Decision {
        topics: topics.iter().map(|t| t.slug.clone()).collect(),
        pick,
        computed_pick,
        editorial_pick: editorial_pick.map(str::to_owned),
        disagreement,
        ranking,
        margin,
        confidence: if margin >= CLOSE_CALL_MARGIN {
            Confidence::ClearPick
        } else {
            Confidence::CloseCall
        },
        deciding,
        rows,
        flip,
        complementary,
        weights: weights.clone(),
    })
}

/// The smallest relative change of one criterion's weight after which some
/// other topic ranks first, or [`Flip::Nothing`].
///
/// For winner `w` and challenger `c`, `D = Σ wᵢ·(wᵢˢ − cᵢˢ)` is positive.
/// Moving criterion `k`'s weight from `wₖ` to `x` changes `D` by
/// `(x − wₖ)·dₖ`, so the tie point is `x* = wₖ − D/dₖ`. We report the first
/// tenth beyond `x*` (so the flip is strict) when it lies in
/// `[0, MAX_FLIP_FACTOR·wₖ]` and at most [`MAX_WEIGHT`].
fn find_flip(catalog: &Catalog, topics: &[&Topic], weights: &Weights, winner: &str) -> Flip {
    let score = |t: &Topic, id: &str| f64::from(t.scores[id].value);
    let winner_topic = topics.iter().find(|t| t.slug == winner).expect("winner");
    let mut best: Option<(f64, Flip)> = None;
    for (id, w) in &weights.0 {
        let w = *w;
        for challenger in topics.iter().filter(|t| t.slug != winner) {
            let d: f64 = weights
                .0
                .iter()
                .map(|(i, wi)| wi * (score(winner_topic, i) - score(challenger, i)))
                .sum();
            let dk = score(winner_topic, id) - score(challenger, id);
            if dk == 0.0 {
                continue;
            }
            let tie = w - d / dk;
            // Step one tenth past the tie in the direction of travel.
            let to = if dk < 0.0 {
                (tie * 10.0).floor() / 10.0 + 0.1
            } else {
                (tie * 10.0).ceil() / 10.0 - 0.1
            };
            let to = round2(to);
            let upper = (w * MAX_FLIP_FACTOR).min(MAX_WEIGHT);
            if to < 0.0 || to > upper || (w == 0.0 && to > MAX_WEIGHT) {
                continue;
            }
            // The flip must really change the pick once applied.
            let mut changed = weights.clone();
            if let Some(slot) = changed.0.iter_mut().find(|(i, _)| i == id) {
                slot.1 = to;
            }
            let Some(new_top) = leader(topics, &changed) else {
                continue;
            };
            if new_top == winner {
                continue;
            }
            let cost = if w > 0.0 { (to - w).abs() / w } else { to };
            let better = match &best {
                None => true,
                Some((c, _)) => cost < *c - 1e-9,
            };
            if better {
                best = Some((
                    cost,
                    Flip::Weight {
                        criterion: id.clone(),
                        label: catalog
                            .criterion(id)
                            .map_or_else(|| id.clone(), |c| c.label.clone()),
                        from: w,
                        to,
                        winner: new_top.to_owned(),
                    },
                ));
            }
        }
    }
    best.map_or(Flip::Nothing, |(_, f)| f)
}

/// The slug ranked first under `weights`; `None` when every weight is zero.
fn leader<'t>(topics: &[&'t Topic], weights: &Weights) -> Option<&'t str> {
    rank(topics, weights).first().map(|r| r.slug)
}

struct Ranked<'t> {
    slug: &'t str,
    exact: f64,
    rows_won: usize,
}

/// Topics by weighted mean score, best first; ties go to the side that wins
/// more rows outright, then to slug order. Empty when every weight is zero.
fn rank<'t>(topics: &[&'t Topic], weights: &Weights) -> Vec<Ranked<'t>> {
    let total: f64 = weights.0.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut ranked: Vec<Ranked<'t>> = topics
        .iter()
        .map(|t| {
            let exact = weights
                .0
                .iter()
                .map(|(id, w)| w * f64::from(t.scores[id].value))
                .sum::<f64>()
                / total;
            let rows_won = weights
                .0
                .iter()
                .filter(|(id, _)| {
                    let mine = t.scores[id].value;
                    topics
                        .iter()
                        .all(|o| o.slug == t.slug || o.scores[id].value < mine)
                })
                .count();
            Ranked {
                slug: &t.slug,
                exact,
                rows_won,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.exact
            .total_cmp(&a.exact)
            .then(b.rows_won.cmp(&a.rows_won))
            .then(a.slug.cmp(b.slug))
    });
    ranked
}

/// Rounds to two decimals, normalising `-0.0` to `0.0`.
pub fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;
    use crate::test_support::{catalog, topic};

    fn run(catalog: &Catalog, slugs: &[&str], prefs: &Preferences) -> Decision {
        let topics: Vec<&Topic> = slugs.iter().map(|s| catalog.topic(s).unwrap()).collect();
        let weights = Weights::resolve(catalog, &topics, prefs).unwrap();
        decide(catalog, &topics, &weights, None).unwrap()
    }

    /// Compares `slugs` with `prefs` and checks a one-line summary.
    fn check(slugs: &[&str], prefs: Preferences, expect: &str) {
        let d = run(&catalog(), slugs, &prefs);
        let flip = match &d.flip {
            Flip::Weight {
                criterion,
                to,
                winner,
                ..
            } => format!("{criterion}={to} -> {winner}"),
            Flip::Nothing => "nothing".into(),
        };
        let got = format!(
            "pick {} ({}, margin {}, deciding {}) flip {flip}",
            d.pick,
            d.confidence.label(),
            d.margin,
            d.deciding.as_deref().unwrap_or("-"),
        );
        assert_eq!(got, expect);
    }

    fn weights(pairs: &[(&str, f64)]) -> Preferences {
        Preferences {
            profile: None,
            weights: pairs.iter().map(|&(c, w)| (c.to_owned(), w)).collect(),
        }
    }

    #[test]
    fn picks_by_weighted_mean() {
        check(
            &["technical-leadership", "product-management"],
            Preferences::default(),
            "pick technical-leadership (close call, margin 0.25, deciding impact) flip learning-curve=3.1 -> product-management",
        );
        check(
            &["rust", "go"],
            Preferences::default(),
            "pick go (clear pick, margin 1.71, deciding learning-curve) flip nothing",
        );
    }

    #[test]
    fn profiles_and_weights_change_the_pick() {
        check(
            &["rust", "go"],
            weights(&[
                ("performance", 10.0),
                ("learning-curve", 0.0),
                ("productivity", 1.0),
            ]),
            "pick rust (clear pick, margin 1.64, deciding performance) flip performance=0.9 -> go",
        );
        let beginner = Preferences {
            profile: Some("beginner".into()),
            weights: Default::default(),
        };
        check(
            &["python", "rust"],
            beginner,
            "pick python (clear pick, margin 2.82, deciding learning-curve) flip learning-curve=0.8 -> rust",
        );
    }

    #[test]
    fn the_reported_flip_really_flips() {
        let cat = catalog();
        let slugs = ["go", "python", "rust"];
        for a in slugs {
            for b in slugs {
                if a >= b {
                    continue;
                }
                for w in [0.0, 1.0, 2.0, 5.0] {
                    let prefs = weights(&[("performance", w)]);
                    let d = run(&cat, &[a, b], &prefs);
                    if let Flip::Weight {
                        criterion,
                        to,
                        winner,
                        ..
                    } = &d.flip
                    {
                        let mut changed = prefs.clone();
                        changed.weights.insert(criterion.clone(), *to);
                        let again = run(&cat, &[a, b], &changed);
                        assert_eq!(&again.pick, winner, "{a} vs {b} at performance={w}");
                        assert_ne!(again.pick, d.pick);
                    }
                }
            }
        }
    }

    #[test]
    fn ranks_up_to_four_topics_in_any_order() {
        let cat = catalog();
        let d = run(&cat, &["rust", "python", "go"], &Preferences::default());
        assert_eq!(d.topics, ["go", "python", "rust"]);
        let order: Vec<&str> = d.ranking.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(order, ["go", "python", "rust"]);
        let again = run(&cat, &["go", "rust", "python"], &Preferences::default());
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
    }

    #[test]
    fn rejects_bad_requests() {
        let cat = catalog();
        let rust = cat.topic("rust").unwrap();
        let go = cat.topic("go").unwrap();
        let w = Weights::resolve(&cat, &[rust, go], &Preferences::default()).unwrap();
        assert_eq!(
            decide(&cat, &[rust], &w, None).unwrap_err(),
            DecideError::TopicCount(1)
        );
        assert_eq!(
            decide(&cat, &[rust, rust], &w, None).unwrap_err(),
            DecideError::Repeated("rust".into())
        );
        let err = |prefs: Preferences| Weights::resolve(&cat, &[rust, go], &prefs).unwrap_err();
        assert_eq!(
            err(weights(&[("speed", 1.0)])),
            DecideError::UnknownCriterion("speed".into())
        );
        assert_eq!(
            err(weights(&[("impact", 1.0)])),
            DecideError::CriterionNotShared("impact".into())
        );
        assert!(matches!(
            err(weights(&[("performance", 11.0)])),
            DecideError::BadWeight { .. }
        ));
        assert_eq!(
            err(weights(&[
                ("performance", 0.0),
                ("productivity", 0.0),
                ("learning-curve", 0.0)
            ])),
            DecideError::AllZero
        );
        assert_eq!(
            err(Preferences {
                profile: Some("nope".into()),
                weights: Default::default()
            }),
            DecideError::UnknownProfile("nope".into())
        );
    }

    #[test]
    fn different_kinds_are_complementary_and_editors_can_overrule() {
        let cat = catalog();
        let tl = cat.topic("technical-leadership").unwrap();
        let pm = cat.topic("product-management").unwrap();
        let w = Weights::resolve(&cat, &[tl, pm], &Preferences::default()).unwrap();
        let d = decide(&cat, &[tl, pm], &w, Some("product-management")).unwrap();
        assert!(d.complementary.is_some());
        assert_eq!(d.pick, "product-management");
        assert_eq!(d.computed_pick, "technical-leadership");
        assert!(d.disagreement);
        // The deciding criterion is the one that favours the editors' pick most.
        assert_eq!(d.deciding.as_deref(), Some("learning-curve"));
    }

    #[test]
    fn a_dominated_topic_never_flips() {
        let cat = catalog();
        let strong = topic(
            "a",
            "A",
            Kind::Tool,
            "languages",
            &[
                ("performance", 9),
                ("productivity", 9),
                ("learning-curve", 9),
            ],
        );
        let weak = topic(
            "b",
            "B",
            Kind::Tool,
            "languages",
            &[
                ("performance", 2),
                ("productivity", 3),
                ("learning-curve", 1),
            ],
        );
        let w = Weights::resolve(&cat, &[&strong, &weak], &Preferences::default()).unwrap();
        let d = decide(&cat, &[&strong, &weak], &w, None).unwrap();
        assert_eq!(d.flip, Flip::Nothing);
        assert_eq!(
            d.rows
                .iter()
                .filter(|r| r.winner.as_deref() == Some("a"))
                .count(),
            3
        );
    }

    #[test]
    fn decision_snapshot() {
        let d = run(
            &catalog(),
            &["technical-leadership", "product-management"],
            &Preferences::default(),
        );
        insta::assert_json_snapshot!(d);
    }
}
