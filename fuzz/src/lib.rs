//! What every target checks of a decision it gets: the promises of
//! `verdict_core::decide` (docs/ARCHITECTURE.md, verdict-core's invariant).

use verdict_core::decide::{Decision, round2};
use verdict_core::model::Outcome;

/// Panics, naming the topics, when `d` breaks a promise of `decide`.
pub fn check_decision(d: &Decision) {
    let at = d.topics.join(" vs ");
    assert_eq!(
        d.pick.is_some(),
        d.outcome == Outcome::Pick,
        "{at}: pick {:?} with outcome {:?}",
        d.pick,
        d.outcome
    );
    if let Some(pick) = &d.pick {
        assert!(d.topics.contains(pick), "{at}: pick `{pick}` not compared");
        assert_eq!(&d.ranking[0].slug, pick, "{at}: pick not ranked first");
        // Only topics that share a job are alternatives, and only
        // alternatives get a pick.
        assert!(
            !d.jobs.is_empty(),
            "{at}: pick `{pick}` without a shared job"
        );
        if let Some(c) = &d.deciding {
            let row = d.row(c).unwrap_or_else(|| panic!("{at}: no row `{c}`"));
            let score = |slug: &str| row.cells.iter().find(|x| x.slug == slug).map(|x| x.score);
            assert!(
                score(pick) > score(d.runner_up()),
                "{at}: `{pick}` does not score higher on deciding `{c}`"
            );
        }
    }
    // Numbers leave verdict-core rounded to two decimals.
    let numbers = [d.margin, d.precision]
        .into_iter()
        .chain(d.ranking.iter().map(|s| s.score));
    for x in numbers {
        assert!(x.is_finite() && round2(x) == x, "{at}: {x} is not rounded");
    }
}
