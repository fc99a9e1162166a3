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

use crate::model::{Catalog, Editorial, Outcome, Relation, Topic};

mod flip;

use flip::{flip_for, flip_to};

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
        let categories: Vec<_> = topics
            .iter()
            .map(|t| catalog.category(&t.category))
            .collect();
        let mut out = Vec::new();
        for criterion in catalog.criteria() {
            let id = criterion.id.as_str();
            if !topics.iter().all(|t| t.scores.contains_key(id)) {
                continue;
            }
            let sum: f64 = categories
                .iter()
                .map(|c| c.and_then(|c| c.weight(id)).unwrap_or(1.0))
                .sum();
            // Rounded first, so that a browser recomputing weights from the
            // published defaults gets exactly the same numbers.
            let default = round2(sum / topics.len() as f64);
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

/// The exact weighted score of `slug` in `ranked`.
fn exact_of(ranked: &[Ranked<'_>], slug: &str) -> f64 {
    ranked
        .iter()
        .find(|r| r.slug == slug)
        .map_or(0.0, |r| r.exact)
}

/// A ranked topic as the decision shows it.
fn standing(r: &Ranked<'_>) -> Standing {
    Standing {
        slug: r.slug.to_owned(),
        score: round2(r.exact),
        rows_won: r.rows_won,
    }
}

/// How sure a pick is. Only [`Outcome::Pick`] has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// The scorecard agrees and leads by at least [`CLOSE_CALL_MARGIN`].
    ClearPick,
    /// The scorecard agrees and leads by more than its precision, but less
    /// than [`CLOSE_CALL_MARGIN`].
    NarrowPick,
    /// The editors made the pick: the scorecard alone would put another
    /// topic first, or could not tell the two apart.
    EditorsPick,
}

impl Confidence {
    pub fn label(self) -> &'static str {
        match self {
            Confidence::ClearPick => "clear pick",
            Confidence::NarrowPick => "narrow pick",
            Confidence::EditorsPick => "editors' pick",
        }
    }
}

/// Whether editorial picks bind the ranking. A reader who sets their own
/// weights gets the scorecard's answer; everyone else gets the editors'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editors {
    Bind,
    Ignore,
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
    pub reason: std::sync::Arc<str>,
    /// What the score rests on: measured evidence, or the editors'
    /// judgement.
    pub basis: Basis,
}

/// What a score rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Basis {
    /// Written by the editors, with the reason they give.
    Editors,
    /// Computed from a measured figure: where it comes from, what it
    /// measures, when it was true, and where a reader checks it.
    Evidence {
        source: String,
        metric: String,
        as_of: String,
        url: String,
    },
}

impl Basis {
    /// The basis of `t`'s score: the evidence it was computed from, if any.
    pub fn of(t: &Topic, score: &crate::model::Score) -> Basis {
        if score.from_evidence.as_deref() == Some(crate::model::GIT_HISTORY)
            && let Some(a) = &t.activity
        {
            return Basis::Evidence {
                source: crate::model::GIT_HISTORY.to_owned(),
                metric: "commit authors and commits in the last 12 months".to_owned(),
                as_of: a.as_of.clone(),
                url: a.url.clone(),
            };
        }
        let evidence = score
            .from_evidence
            .as_deref()
            .and_then(|label| t.evidence.iter().find(|e| e.source_label == label));
        match evidence {
            Some(e) => Basis::Evidence {
                source: e.source_label.clone(),
                metric: e.metric.clone(),
                as_of: e.as_of.clone(),
                url: e.url.clone(),
            },
            None => Basis::Editors,
        }
    }

    pub fn is_evidence(&self) -> bool {
        matches!(self, Basis::Evidence { .. })
    }
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

impl Row {
    /// The highest score in the row.
    pub fn top(&self) -> u8 {
        self.cells.iter().map(|c| c.score).max().unwrap_or(0)
    }
}

/// The smallest change of one weight after which a given topic is the
/// pick.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Flip {
    /// Setting `criterion`'s weight to `to` (from `from`) makes `winner` the
    /// pick, by more than the scores' precision.
    Weight {
        criterion: String,
        label: String,
        from: f64,
        to: f64,
        winner: String,
    },
    /// No single weight change within reason does it.
    Nothing,
}

/// The outcome of comparing 2–4 topics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The compared slugs in canonical (sorted) order.
    pub topics: Vec<String>,
    /// Pick, too close to call, complements or different jobs.
    pub outcome: Outcome,
    /// The pick; `None` unless `outcome` is [`Outcome::Pick`].
    pub pick: Option<String>,
    /// What the scorecard alone puts first (a winner only when `outcome`
    /// is a pick that agrees with it).
    pub computed_pick: String,
    /// The editors' pick, when editors decided the first place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editorial_pick: Option<String>,
    /// True when the editors' pick is not the scorecard's first.
    pub disagreement: bool,
    /// Best first: the scorecard's order, with editors' picks between two
    /// of the topics respected; ties go to the side that wins more rows,
    /// then to slug order.
    pub ranking: Vec<Standing>,
    /// Gap between the scorecard's first and second overall scores.
    pub margin: f64,
    /// True when the scorecard alone separates its first two: the gap is
    /// more than `precision`.
    pub scorecard_clear: bool,
    /// The smallest lead that counts: what one point on the heaviest
    /// criterion is worth in the overall score. A lead at or below it is
    /// too close to call.
    pub precision: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// For a pick: the criterion that contributed most to the pick's lead
    /// over the runner-up. Always one where the pick scores higher.
    pub deciding: Option<String>,
    pub rows: Vec<Row>,
    /// For a pick: what would make another topic the pick (for an editors'
    /// pick: what would make the scorecard agree with it).
    pub flip: Flip,
    /// For too close to call: what would make each of the first two the
    /// pick, in ranking order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tips: Vec<Flip>,
    /// The jobs every compared topic does (empty unless alternatives).
    pub jobs: Vec<String>,
    /// Topics whose editorial picks form a cycle (A over B, B over C, C
    /// over A), in slug order; the ranking then follows the scorecard.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub editorial_cycle: Vec<String>,
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

    /// Criteria on which `slug` shares the top score with another side.
    pub fn shared_leads(&self, slug: &str) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(move |r| {
            r.winner.is_none() && r.cells.iter().any(|c| c.slug == slug && c.score == r.top())
        })
    }

    /// True when every criterion of the scorecard weighs zero: the reader's
    /// weights leave nothing to separate the topics.
    pub fn unweighed(&self) -> bool {
        self.weights.0.iter().all(|&(_, w)| w <= 0.0)
    }

    /// The scorecard's first, when it leads clearly and the topics are
    /// alternatives: the side whose total is marked as the leader.
    pub fn scorecard_leader(&self) -> Option<&str> {
        (self.outcome.alternatives() && self.scorecard_clear).then_some(self.computed_pick.as_str())
    }

    /// The topic the pick is measured against: the best other in the
    /// ranking.
    pub fn runner_up(&self) -> &str {
        let first = self.pick.as_deref().unwrap_or(&self.ranking[0].slug);
        self.ranking
            .iter()
            .find(|s| s.slug != first)
            .map_or("", |s| s.slug.as_str())
    }
}

/// What `topics` are to each other before any score is read: `Ok` with
/// the jobs they share when they are alternatives (empty when only an
/// editorial says so), or the outcome that stands instead of a pick. An
/// editorial's outcome, when it is not a pick, wins over the jobs.
pub fn relation(catalog: &Catalog, topics: &[&Topic]) -> Result<Vec<String>, Outcome> {
    let slugs: Vec<&str> = topics.iter().map(|t| t.slug.as_str()).collect();
    relation_under(
        catalog,
        topics,
        catalog.editorial(&slugs).map(|e| e.outcome),
    )
}

/// [`relation`], given the editorial's outcome for these topics, if any.
fn relation_under(
    catalog: &Catalog,
    topics: &[&Topic],
    stance: Option<Outcome>,
) -> Result<Vec<String>, Outcome> {
    match (stance, catalog.relation(topics)) {
        (Some(o), _) if !o.alternatives() => Err(o),
        (_, Relation::Alternatives(jobs)) => Ok(jobs),
        (Some(_), _) => Ok(Vec::new()),
        (None, Relation::Complements) => Err(Outcome::Complements),
        (None, Relation::DifferentJobs) => Err(Outcome::DifferentJobs),
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

/// Slack for comparing sums of weights × scores, which carry the rounding
/// of two-decimal weights.
const EPS: f64 = 1e-9;

/// Compares `topics` (any order) under `weights`.
///
/// First the relation: topics that share no job get no pick (complements
/// or different jobs; an editorial can say so too). Between alternatives,
/// the ranking is the scorecard's, except that with [`Editors::Bind`] an
/// editorial pick between two of the topics always holds. The first is
/// the pick when editors chose it or when its lead is more than
/// [`Decision::precision`]; otherwise it is too close to call.
pub fn decide(
    catalog: &Catalog,
    topics: &[&Topic],
    weights: &Weights,
    editors: Editors,
) -> Result<Decision, DecideError> {
    check_topics(topics)?;
    let mut topics: Vec<&Topic> = topics.to_vec();
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));

    let total_weight: f64 = weights.0.iter().map(|(_, w)| w).sum();
    // A reader can weigh every criterion these topics share at zero: then
    // nothing separates them, which is too close to call with no tips.
    let unweighed = total_weight <= 0.0;

    let rows = scorecard_rows(catalog, &topics, weights);
    let ranked = rank(&topics, weights);
    let margin = round2(ranked[0].exact - ranked[1].exact);
    let computed_pick = ranked[0].slug.to_owned();
    let max_weight = weights.0.iter().map(|&(_, w)| w).fold(0.0, f64::max);
    let precision = if unweighed {
        0.0
    } else {
        round2(max_weight / total_weight)
    };
    let scorecard_clear = (ranked[0].exact - ranked[1].exact) * total_weight > max_weight + EPS;

    let slugs: Vec<&str> = topics.iter().map(|t| t.slug.as_str()).collect();
    let editorial = catalog.editorial(&slugs);
    let stance = editorial.map(|e| e.outcome);
    let relation = relation_under(catalog, &topics, stance);

    let jobs = match relation {
        Ok(jobs) => jobs,
        Err(outcome) => {
            return Ok(Decision {
                topics: slugs.iter().map(|s| (*s).to_owned()).collect(),
                outcome,
                pick: None,
                computed_pick,
                editorial_pick: None,
                disagreement: false,
                ranking: ranked.iter().map(standing).collect(),
                margin,
                scorecard_clear,
                precision,
                confidence: None,
                deciding: None,
                rows,
                flip: Flip::Nothing,
                tips: Vec::new(),
                jobs: Vec::new(),
                editorial_cycle: Vec::new(),
                weights: weights.clone(),
            });
        }
    };

    let edges = editor_edges(catalog, &slugs, editorial, editors);
    let (order, editorial_cycle) = editors_order(&ranked, &edges);
    let top = order[0];
    let second = order[1];
    let ranking: Vec<Standing> = order
        .iter()
        .filter_map(|s| ranked.iter().find(|r| r.slug == *s))
        .map(standing)
        .collect();
    let disagreement = top != computed_pick;
    let editors_decided = editors == Editors::Bind
        && (editorial.and_then(|e| e.pick.as_deref()) == Some(top)
            || edges.contains(&(top, second))
            || disagreement);
    let editorial_pick = editors_decided.then(|| top.to_owned());
    // The lead of the first over the second, unnormalised, against what one
    // point on the heaviest criterion is worth.
    let top_clear =
        (exact_of(&ranked, top) - exact_of(&ranked, second)) * total_weight > max_weight + EPS;
    // Editors who call it too close bind like a pick does.
    let editors_too_close = editors == Editors::Bind && stance == Some(Outcome::TooClose);
    let outcome = match (editors_too_close, editors_decided || top_clear) {
        (false, true) if !unweighed => Outcome::Pick,
        _ => Outcome::TooClose,
    };

    let (pick, confidence, deciding, flip, tips) = if unweighed {
        (None, None, None, Flip::Nothing, Vec::new())
    } else if outcome == Outcome::Pick {
        let deciding = deciding_criterion(&topics, weights, top, second);
        let confidence = confidence_of(disagreement, top_clear, margin);
        let flip = flip_for(catalog, &topics, weights, top, confidence);
        (
            Some(top.to_owned()),
            Some(confidence),
            deciding,
            flip.unwrap_or(Flip::Nothing),
            Vec::new(),
        )
    } else {
        let tips = [top, second]
            .iter()
            .filter_map(|s| flip_to(catalog, &topics, weights, s))
            .collect();
        (None, None, None, Flip::Nothing, tips)
    };

    Ok(Decision {
        topics: slugs.iter().map(|s| (*s).to_owned()).collect(),
        outcome,
        pick,
        computed_pick,
        editorial_pick,
        disagreement,
        ranking,
        margin,
        scorecard_clear,
        precision,
        confidence,
        deciding,
        rows,
        flip,
        tips,
        jobs,
        editorial_cycle,
        weights: weights.clone(),
    })
}

/// How sure a pick is: the editors' when the scorecard does not make it
/// clearly, otherwise clear or narrow by the margin.
fn confidence_of(disagreement: bool, top_clear: bool, margin: f64) -> Confidence {
    if disagreement || !top_clear {
        Confidence::EditorsPick
    } else if margin >= CLOSE_CALL_MARGIN {
        Confidence::ClearPick
    } else {
        Confidence::NarrowPick
    }
}

/// One row per weighted criterion: each topic's score and reason, and the
/// row's winner when exactly one topic has the best score.
fn scorecard_rows(catalog: &Catalog, topics: &[&Topic], weights: &Weights) -> Vec<Row> {
    weights
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
                        basis: Basis::of(t, s),
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
        .collect()
}

/// Editors' picks between topics of this comparison, as winner → loser:
/// every two-way editorial between two of them, and the editorial of the
/// whole comparison when it has three or more topics. None unless
/// `editors` binds.
fn editor_edges<'s>(
    catalog: &Catalog,
    slugs: &[&'s str],
    editorial: Option<&'s Editorial>,
    editors: Editors,
) -> Vec<(&'s str, &'s str)> {
    let mut edges: Vec<(&str, &str)> = Vec::new();
    if editors == Editors::Bind {
        for (i, a) in slugs.iter().enumerate() {
            for b in &slugs[i + 1..] {
                if let Some(p) = catalog.editorial(&[a, b]).and_then(|e| e.pick.as_deref()) {
                    let loser = if p == *a { *b } else { *a };
                    edges.push((if p == *a { a } else { b }, loser));
                }
            }
        }
        if slugs.len() > 2
            && let Some(p) = editorial.and_then(|e| e.pick.as_deref())
        {
            for s in slugs.iter().filter(|s| **s != p) {
                edges.push((p, s));
            }
        }
    }
    edges
}

/// The criterion that adds most to `top`'s lead over `second`, if any adds
/// to it.
fn deciding_criterion(
    topics: &[&Topic],
    weights: &Weights,
    top: &str,
    second: &str,
) -> Option<String> {
    let score_of = |slug: &str, id: &str| -> f64 {
        let t = topics
            .iter()
            .find(|t| t.slug == slug)
            .expect("compared topic");
        f64::from(t.scores[id].value)
    };
    weights
        .0
        .iter()
        .map(|(id, w)| (id, w * (score_of(top, id) - score_of(second, id))))
        .filter(|&(_, contribution)| contribution > 0.0)
        .fold(None::<(&String, f64)>, |best, (id, c)| match best {
            Some((_, b)) if b >= c => best,
            _ => Some((id, c)),
        })
        .map(|(id, _)| id.clone())
}

/// The scorecard's order with editors' picks (`winner → loser` edges)
/// respected: at each place, the best-scoring topic that no remaining
/// topic is picked over. When the edges form a cycle the scorecard's order
/// stands, and the topics on the cycle are returned.
fn editors_order<'t>(ranked: &[Ranked<'t>], edges: &[(&str, &str)]) -> (Vec<&'t str>, Vec<String>) {
    let mut remaining: Vec<&'t str> = ranked.iter().map(|r| r.slug).collect();
    let mut order = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let free = remaining
            .iter()
            .position(|r| !edges.iter().any(|(w, l)| l == r && remaining.contains(w)));
        match free {
            Some(i) => order.push(remaining.remove(i)),
            None => {
                let mut cycle: Vec<String> = remaining
                    .iter()
                    .filter(|r| edges.iter().any(|(w, l)| l == *r && remaining.contains(w)))
                    .map(|s| (*s).to_owned())
                    .collect();
                cycle.sort();
                return (ranked.iter().map(|r| r.slug).collect(), cycle);
            }
        }
    }
    (order, Vec::new())
}

struct Ranked<'t> {
    slug: &'t str,
    exact: f64,
    rows_won: usize,
}

/// Topics by weighted mean score, best first; ties go to the side that wins
/// more rows outright, then to slug order. When every weight is zero, every
/// weighted score is zero and only rows won and slugs order them.
fn rank<'t>(topics: &[&'t Topic], weights: &Weights) -> Vec<Ranked<'t>> {
    let total: f64 = weights.0.iter().map(|(_, w)| w).sum();
    let mut ranked: Vec<Ranked<'t>> = topics
        .iter()
        .map(|t| {
            let exact = weights
                .0
                .iter()
                .map(|(id, w)| w * f64::from(t.scores[id].value))
                .sum::<f64>()
                / total;
            let exact = if total > 0.0 { exact } else { 0.0 };
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
    use crate::test_support::{catalog, catalog_with, editorial, topic_doing};

    fn run_with(
        catalog: &Catalog,
        slugs: &[&str],
        prefs: &Preferences,
        editors: Editors,
    ) -> Decision {
        let topics: Vec<&Topic> = slugs.iter().map(|s| catalog.topic(s).unwrap()).collect();
        let weights = Weights::resolve(catalog, &topics, prefs).unwrap();
        decide(catalog, &topics, &weights, editors).unwrap()
    }

    fn run(catalog: &Catalog, slugs: &[&str], prefs: &Preferences) -> Decision {
        run_with(catalog, slugs, prefs, Editors::Bind)
    }

    fn describe(f: &Flip) -> String {
        match f {
            Flip::Weight {
                criterion,
                to,
                winner,
                ..
            } => format!("{criterion}={to} -> {winner}"),
            Flip::Nothing => "nothing".into(),
        }
    }

    /// One line: outcome, pick, confidence, margin against precision,
    /// deciding criterion, and the flip (or the tips).
    fn summary(d: &Decision) -> String {
        let tips: Vec<String> = d.tips.iter().map(describe).collect();
        format!(
            "{} {} ({}, margin {} vs precision {}, deciding {}) flip {}{}",
            d.outcome.as_str(),
            d.pick.as_deref().unwrap_or("-"),
            d.confidence.map_or("-", Confidence::label),
            d.margin,
            d.precision,
            d.deciding.as_deref().unwrap_or("-"),
            describe(&d.flip),
            if tips.is_empty() {
                String::new()
            } else {
                format!(" tips [{}]", tips.join(", "))
            }
        )
    }

    fn check(slugs: &[&str], prefs: Preferences, expect: &str) {
        assert_eq!(summary(&run(&catalog(), slugs, &prefs)), expect);
    }

    fn weights(pairs: &[(&str, f64)]) -> Preferences {
        Preferences {
            profile: None,
            weights: pairs.iter().map(|&(c, w)| (c.to_owned(), w)).collect(),
        }
    }

    #[test]
    fn picks_only_beyond_the_precision_of_the_scores() {
        check(
            &["rust", "go"],
            Preferences::default(),
            "pick go (clear pick, margin 1.71 vs precision 0.43, deciding learning-curve) flip nothing",
        );
        // A lead of 0.25 when one point on Impact is worth 0.38: no pick,
        // and what would tip it each way. Weighing Impact more cannot tip
        // it: the heaviest weight is the precision, so it grows as fast.
        check(
            &["technical-leadership", "product-management"],
            Preferences::default(),
            "too-close - (-, margin 0.25 vs precision 0.38, deciding -) flip nothing tips [learning-curve=1.4 -> technical-leadership, learning-curve=6.1 -> product-management]",
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
            "pick rust (clear pick, margin 1.64 vs precision 0.91, deciding performance) flip performance=0.4 -> go",
        );
        let beginner = Preferences {
            profile: Some("beginner".into()),
            weights: Default::default(),
        };
        check(
            &["python", "rust"],
            beginner,
            "pick python (clear pick, margin 2.82 vs precision 0.55, deciding learning-curve) flip learning-curve=0.3 -> rust",
        );
    }

    #[test]
    fn the_reported_flip_and_tips_really_make_that_topic_the_pick() {
        let cat = catalog();
        let pairs = [
            ["go", "python"],
            ["go", "rust"],
            ["python", "rust"],
            ["product-management", "technical-leadership"],
        ];
        let mut seen = 0;
        for pair in pairs {
            for w in [0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0] {
                let criterion = if pair[0] == "go" || pair[0] == "python" {
                    "performance"
                } else {
                    "impact"
                };
                let prefs = weights(&[(criterion, w)]);
                let d = run(&cat, &pair, &prefs);
                for f in std::iter::once(&d.flip).chain(&d.tips) {
                    if let Flip::Weight {
                        criterion,
                        to,
                        winner,
                        ..
                    } = f
                    {
                        seen += 1;
                        let mut changed = prefs.clone();
                        changed.weights.insert(criterion.clone(), *to);
                        let again = run(&cat, &pair, &changed);
                        assert_eq!(again.outcome, Outcome::Pick, "{pair:?} {criterion}={to}");
                        assert_eq!(again.pick.as_deref(), Some(winner.as_str()));
                    }
                }
            }
        }
        assert!(seen > 10, "only {seen} flips checked");
    }

    #[test]
    fn a_tie_is_never_a_pick() {
        let a = topic_doing(
            "general-purpose-language",
            "a",
            "A",
            Kind::Language,
            "languages",
            &[
                ("performance", 8),
                ("productivity", 6),
                ("learning-curve", 7),
            ],
        );
        let b = topic_doing(
            "general-purpose-language",
            "b",
            "B",
            Kind::Language,
            "languages",
            &[
                ("performance", 6),
                ("productivity", 8),
                ("learning-curve", 7),
            ],
        );
        let cat = catalog_with(vec![a, b], vec![]);
        let d = run(
            &cat,
            &["a", "b"],
            &weights(&[("performance", 3.0), ("productivity", 3.0)]),
        );
        assert_eq!(d.margin, 0.0);
        assert_eq!(d.outcome, Outcome::TooClose);
        assert_eq!(d.pick, None);
        assert_eq!(d.confidence, None);
        assert_eq!(d.scorecard_leader(), None);
    }

    #[test]
    fn topics_that_share_no_job_get_no_pick() {
        let git = topic_doing(
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
        let jwt = topic_doing(
            "api-auth",
            "jwt",
            "JWT",
            Kind::Standard,
            "languages",
            &[
                ("performance", 7),
                ("productivity", 7),
                ("learning-curve", 9),
            ],
        );
        let grafana = topic_doing(
            "dashboards",
            "grafana",
            "Grafana",
            Kind::Tool,
            "languages",
            &[
                ("performance", 7),
                ("productivity", 9),
                ("learning-curve", 8),
            ],
        );
        let mut prometheus = topic_doing(
            "metrics",
            "prometheus",
            "Prometheus",
            Kind::Tool,
            "languages",
            &[
                ("performance", 8),
                ("productivity", 7),
                ("learning-curve", 5),
            ],
        );
        prometheus.used_with = vec!["grafana".into()];
        let cat = catalog_with(vec![git, jwt, grafana, prometheus], vec![]);
        let d = run(&cat, &["git", "jwt"], &Preferences::default());
        assert_eq!(
            summary(&d),
            "different-jobs - (-, margin 0.43 vs precision 0.43, deciding -) flip nothing"
        );
        assert!(d.jobs.is_empty());
        let d = run(&cat, &["grafana", "prometheus"], &Preferences::default());
        assert_eq!(d.outcome, Outcome::Complements);
        assert_eq!((d.pick.as_deref(), d.scorecard_leader()), (None, None));
        // Weights change nothing about what the topics are to each other.
        let d = run_with(
            &cat,
            &["grafana", "prometheus"],
            &weights(&[("performance", 10.0)]),
            Editors::Ignore,
        );
        assert_eq!(d.outcome, Outcome::Complements);
        // A third topic doing neither job makes the set different jobs.
        let d = run(
            &cat,
            &["git", "grafana", "prometheus"],
            &Preferences::default(),
        );
        assert_eq!(d.outcome, Outcome::DifferentJobs);
    }

    #[test]
    fn an_editorial_outcome_overrides_the_jobs() {
        let cat = catalog_with(
            vec![],
            vec![editorial(&["go", "rust"], Outcome::Complements, None)],
        );
        let d = run(&cat, &["go", "rust"], &Preferences::default());
        assert_eq!((d.outcome, d.pick.as_deref()), (Outcome::Complements, None));
    }

    #[test]
    fn editors_can_pick_inside_the_precision_and_say_so() {
        let cat = catalog_with(
            vec![],
            vec![editorial(
                &["technical-leadership", "product-management"],
                Outcome::Pick,
                Some("technical-leadership"),
            )],
        );
        let d = run(
            &cat,
            &["technical-leadership", "product-management"],
            &Preferences::default(),
        );
        assert_eq!(
            summary(&d),
            "pick technical-leadership (editors' pick, margin 0.25 vs precision 0.38, deciding impact) flip learning-curve=1.4 -> technical-leadership"
        );
        assert!(!d.disagreement);
        // The reader's own weights get the scorecard's answer.
        let d = run_with(
            &cat,
            &["technical-leadership", "product-management"],
            &Preferences::default(),
            Editors::Ignore,
        );
        assert_eq!(d.outcome, Outcome::TooClose);
    }

    #[test]
    fn editors_overruling_the_scorecard_is_an_editors_pick_not_a_clear_one() {
        let cat = catalog_with(
            vec![],
            vec![editorial(&["go", "rust"], Outcome::Pick, Some("rust"))],
        );
        let d = run(&cat, &["go", "rust"], &Preferences::default());
        assert_eq!(d.pick.as_deref(), Some("rust"));
        assert_eq!(d.computed_pick, "go");
        assert!(d.disagreement);
        assert_eq!(d.confidence, Some(Confidence::EditorsPick));
        // The scorecard's leader is still marked as such.
        assert_eq!(d.scorecard_leader(), Some("go"));
        // Deciding is where the editors' pick leads, never where it trails.
        assert_eq!(d.deciding.as_deref(), Some("performance"));
    }

    #[test]
    fn editorial_pairs_bind_multi_way_rankings() {
        // The scorecard ranks Go, Python, Rust; editors pick Rust over Go.
        let cat = catalog_with(
            vec![],
            vec![editorial(&["go", "rust"], Outcome::Pick, Some("rust"))],
        );
        let d = run(&cat, &["go", "python", "rust"], &Preferences::default());
        let order: Vec<&str> = d.ranking.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(order, ["python", "rust", "go"]);
        assert!(d.editorial_cycle.is_empty());
        // Three picks that go round in a circle leave the scorecard's order.
        let cat = catalog_with(
            vec![],
            vec![
                editorial(&["go", "rust"], Outcome::Pick, Some("rust")),
                editorial(&["python", "rust"], Outcome::Pick, Some("python")),
                editorial(&["go", "python"], Outcome::Pick, Some("go")),
            ],
        );
        let d = run(&cat, &["go", "python", "rust"], &Preferences::default());
        let order: Vec<&str> = d.ranking.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(order, ["go", "python", "rust"]);
        assert_eq!(d.editorial_cycle, ["go", "python", "rust"]);
    }

    #[test]
    fn weighing_every_criterion_at_zero_is_too_close_to_call() {
        let cat = catalog();
        let zero = weights(&[
            ("performance", 0.0),
            ("productivity", 0.0),
            ("learning-curve", 0.0),
        ]);
        let d = run(&cat, &["rust", "go"], &zero);
        assert_eq!(d.outcome, Outcome::TooClose);
        assert_eq!(d.pick, None);
        assert!(
            d.tips.is_empty(),
            "no single weight tip: any weight above zero is one"
        );
        assert!(d.ranking.iter().all(|s| s.score == 0.0));
        assert_eq!((d.margin, d.precision), (0.0, 0.0));
        // Still a valid JSON document: no NaN from dividing by no weight.
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"precision\":0.0"), "{json}");
        // One weight back above zero gives the scorecard's answer again.
        let one = weights(&[("productivity", 0.0), ("learning-curve", 0.0)]);
        assert_eq!(run(&cat, &["rust", "go"], &one).outcome, Outcome::Pick);
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
            decide(&cat, &[rust], &w, Editors::Bind).unwrap_err(),
            DecideError::TopicCount(1)
        );
        assert_eq!(
            decide(&cat, &[rust, rust], &w, Editors::Bind).unwrap_err(),
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
            err(Preferences {
                profile: Some("nope".into()),
                weights: Default::default()
            }),
            DecideError::UnknownProfile("nope".into())
        );
    }

    #[test]
    fn a_dominated_topic_never_flips() {
        let strong = topic_doing(
            "general-purpose-language",
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
        let weak = topic_doing(
            "general-purpose-language",
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
        let cat = catalog_with(vec![strong, weak], vec![]);
        let d = run(&cat, &["a", "b"], &Preferences::default());
        assert_eq!(d.flip, Flip::Nothing);
        assert_eq!(d.leads("a").count(), 3);
    }

    #[test]
    fn decision_snapshot() {
        let d = run(&catalog(), &["rust", "go"], &Preferences::default());
        insta::assert_json_snapshot!(d);
    }
}
