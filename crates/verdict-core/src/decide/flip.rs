//! "What would flip it": the smallest change of one weight that makes
//! another topic the pick, found in closed form and checked by re-ranking.

use crate::model::{Catalog, Topic};

use super::{Confidence, EPS, Flip, MAX_FLIP_FACTOR, MAX_WEIGHT, Weights, rank, round2};

/// What would change the pick: for an editors' pick, what would make the
/// scorecard agree with it; otherwise the cheapest change that makes
/// another topic the pick.
pub(super) fn flip_for(
    catalog: &Catalog,
    topics: &[&Topic],
    weights: &Weights,
    top: &str,
    confidence: Confidence,
) -> Option<Flip> {
    if confidence == Confidence::EditorsPick {
        return flip_to(catalog, topics, weights, top);
    }
    topics
        .iter()
        .filter(|t| t.slug != top)
        .filter_map(|t| flip_to(catalog, topics, weights, &t.slug))
        .fold(None::<Flip>, |best, f| match best {
            Some(b) if cost(&b) <= cost(&f) + EPS => Some(b),
            _ => Some(f),
        })
}

/// How far a flip moves its weight: relative to the weight, or absolute
/// from zero.
fn cost(flip: &Flip) -> f64 {
    match flip {
        Flip::Weight { from, to, .. } if *from > 0.0 => (to - from).abs() / from,
        Flip::Weight { to, .. } => *to,
        Flip::Nothing => f64::INFINITY,
    }
}

/// The smallest change of one criterion's weight after which `target` is
/// the pick: first, and ahead of every other topic by more than one point
/// on the heaviest criterion. `None` when no weight in reach does it.
///
/// With criterion `k`'s weight moved from `w` to `x`, every side's weighted
/// sum is linear in `x`: `Nₜ(x) = Aₜ + (x − w)·sₜₖ`. The target is the pick
/// when, for every other side `o`, `Nₜ(x) − Nₒ(x) > max(x, M)`, where `M`
/// is the heaviest other weight: two linear inequalities per side, so the
/// weights that work form one open interval. We report the first tenth
/// inside it on the near side, within `[0, MAX_FLIP_FACTOR·w]` and at most
/// [`MAX_WEIGHT`], and check it by re-ranking.
pub(super) fn flip_to(
    catalog: &Catalog,
    topics: &[&Topic],
    weights: &Weights,
    target: &str,
) -> Option<Flip> {
    let score = |t: &Topic, id: &str| f64::from(t.scores[id].value);
    let sum = |t: &Topic| -> f64 { weights.0.iter().map(|(id, w)| w * score(t, id)).sum() };
    let target_topic = topics.iter().find(|t| t.slug == target)?;
    let a_target = sum(target_topic);
    let mut best: Option<Flip> = None;
    for (k, (id, w)) in weights.0.iter().enumerate() {
        let w = *w;
        let others_max = weights
            .0
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != k)
            .map(|(_, &(_, wi))| wi)
            .fold(0.0, f64::max);
        let (mut lo, mut hi) = (f64::NEG_INFINITY, f64::INFINITY);
        let mut empty = false;
        // m·x + c > 0
        let mut constrain = |m: f64, c: f64| {
            if m > 0.0 {
                lo = lo.max(-c / m);
            } else if m < 0.0 {
                hi = hi.min(-c / m);
            } else if c <= 0.0 {
                empty = true;
            }
        };
        for other in topics.iter().filter(|t| t.slug != target) {
            let b = score(target_topic, id) - score(other, id);
            let a0 = a_target - sum(other) - w * b;
            constrain(b, a0 - others_max - EPS);
            constrain(b - 1.0, a0 - EPS);
        }
        if empty || lo >= hi || (lo < w && w < hi) {
            continue;
        }
        let upper = if w > 0.0 {
            (w * MAX_FLIP_FACTOR).min(MAX_WEIGHT)
        } else {
            MAX_WEIGHT
        };
        let candidates: [f64; 3] = if lo >= w {
            let first = (lo * 10.0).floor() / 10.0 + 0.1;
            [first, first + 0.1, first + 0.2]
        } else {
            let last = (hi * 10.0).ceil() / 10.0 - 0.1;
            [last, last - 0.1, last - 0.2]
        };
        for to in candidates.map(round2) {
            if !(0.0..=upper).contains(&to) || to == w {
                continue;
            }
            let mut changed = weights.clone();
            changed.0[k].1 = to;
            if is_pick(topics, &changed, target) {
                let flip = Flip::Weight {
                    criterion: id.clone(),
                    label: catalog
                        .criterion(id)
                        .map_or_else(|| id.clone(), |c| c.label.clone()),
                    from: w,
                    to,
                    winner: target.to_owned(),
                };
                if best.as_ref().is_none_or(|b| cost(&flip) < cost(b) - EPS) {
                    best = Some(flip);
                }
                break;
            }
        }
    }
    best
}

/// Whether the scorecard alone makes `target` the pick under `weights`.
fn is_pick(topics: &[&Topic], weights: &Weights, target: &str) -> bool {
    let ranked = rank(topics, weights);
    let total: f64 = weights.0.iter().map(|(_, w)| w).sum();
    let max_weight = weights.0.iter().map(|&(_, w)| w).fold(0.0, f64::max);
    ranked.len() >= 2
        && ranked[0].slug == target
        && (ranked[0].exact - ranked[1].exact) * total > max_weight + EPS
}
