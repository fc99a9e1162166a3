//! Scores computed from a project's git activity.
//!
//! # Maintenance from git history
//!
//! A criterion declared with `computed_from = "git-activity"` is never
//! written by editors. A topic is scored on it only when it has activity
//! evidence (`content/evidence/git/<slug>.toml`), and a comparison weighs it
//! only when every side is scored, so a project with figures is never
//! compared with a guess.
//!
//! The figures are read against the catalog's **activity date**: the newest
//! `as_of` of all its activity files, so the same content always gives the
//! same scores and nothing reads the clock.
//!
//! - A project with no commit in the year before the activity date is
//!   inactive and scores [`INACTIVE_SCORE`].
//! - Otherwise the score rests on how many people keep it going: the
//!   distinct commit authors of its last 12 months. One author scores
//!   [`ONE_AUTHOR_SCORE`], and each doubling adds a point, up to 10 from
//!   128 authors: one maintainer is a project that stops when they do; a
//!   hundred is one that survives anyone leaving.
//! - A project whose commits in its last 12 months fell below half of the
//!   12 months before loses [`SLOWING_PENALTY`] point: it is winding down.
//!
//! Release tags are shown but not scored: projects tag releases in too many
//! ways (or not at all, when they deploy continuously) for a count to mean
//! the same thing everywhere.

use verdict_core::model::{Activity, Category, Criterion, GIT_HISTORY, Measure, Score, Topic};

use crate::activity::Day;

/// The score of a project with no commit in the year before the catalog's
/// activity date.
pub const INACTIVE_SCORE: u8 = 1;

/// The score of an active project with one commit author in a year.
pub const ONE_AUTHOR_SCORE: f64 = 3.0;

/// Points taken from a project whose commits halved year on year.
pub const SLOWING_PENALTY: f64 = 1.0;

/// The lowest score an active project gets, so that it always scores
/// above an inactive one.
const ACTIVE_FLOOR: f64 = 2.0;

/// The newest `as_of` among the topics' activity: the day every project's
/// activity is judged against.
pub fn activity_date(topics: &[Topic]) -> Option<Day> {
    topics
        .iter()
        .filter_map(|t| t.activity.as_ref())
        .filter_map(|a| Day::parse(&a.as_of))
        .max()
}

/// Scores every topic that has activity on each criterion computed from
/// git activity that its category weighs.
pub(crate) fn score(topics: &mut [Topic], criteria: &[Criterion], categories: &[Category]) {
    let computed: Vec<&str> = criteria
        .iter()
        .filter(|c| c.computed_from == Some(Measure::GitActivity))
        .map(|c| c.id.as_str())
        .collect();
    if computed.is_empty() {
        return;
    }
    let Some(today) = activity_date(topics) else {
        return;
    };
    for t in topics.iter_mut() {
        let Some(activity) = &t.activity else {
            continue;
        };
        let Some(category) = categories.iter().find(|c| c.slug == t.category) else {
            continue;
        };
        let Some(score) = maintenance(activity, today) else {
            continue;
        };
        for id in &computed {
            if category.weight(id).is_some() {
                t.scores.insert((*id).to_owned(), score.clone());
            }
        }
    }
}

/// The maintenance score of one project's activity, judged on `today`;
/// `None` when its dates cannot be read (the loader has reported them).
pub fn maintenance(a: &Activity, today: Day) -> Option<Score> {
    let last = Day::parse(&a.last_commit_date)?;
    let (value, reason) = if last < today.a_year_before() {
        (
            INACTIVE_SCORE,
            format!(
                "No commit since {}, more than a year before {today}, the date of the newest history read for this catalog: the project is inactive.",
                a.last_commit_date
            ),
        )
    } else {
        let authors = a.authors_last_12_months.max(1);
        let mut points = ONE_AUTHOR_SCORE + f64::from(authors).log2();
        let (earlier, recent) = halves(a);
        let slowing = recent * 2 < earlier;
        if slowing {
            points -= SLOWING_PENALTY;
        }
        let value = points.round().clamp(ACTIVE_FLOOR, 10.0) as u8;
        let people = if authors == 1 {
            "1 person".to_owned()
        } else {
            format!("{authors} people")
        };
        let mut reason = format!(
            "{people} committed in the 12 months to {}, the last commit on {}; {} points for one author and one more per doubling",
            a.as_of, a.last_commit_date, ONE_AUTHOR_SCORE
        );
        if slowing {
            reason.push_str(&format!(
                ", minus one because commits fell from {earlier} to {recent} year on year"
            ));
        }
        reason.push('.');
        (value, reason)
    };
    Some(Score {
        value,
        reason: reason.into(),
        from_evidence: Some(GIT_HISTORY.to_owned()),
    })
}

/// Commits in the 12 months before the last 12, and in the last 12.
fn halves(a: &Activity) -> (u32, u32) {
    let n = a.commits_per_month.len();
    let split = n.saturating_sub(12);
    let sum = |r: &[(String, u32)]| r.iter().map(|(_, c)| c).sum::<u32>();
    (
        sum(&a.commits_per_month[..split]),
        sum(&a.commits_per_month[split..]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(last: &str, authors: u32, earlier: u32, recent: u32) -> Activity {
        let months = (1..=24)
            .map(|i| {
                let (y, m) = if i <= 12 { (2025, i) } else { (2026, i - 12) };
                let commits = if i <= 12 { earlier } else { recent };
                (format!("{y}-{m:02}"), commits)
            })
            .collect();
        Activity {
            url: "https://example.org/p".into(),
            commit: "0".repeat(40),
            commit_date: "2026-12-01".into(),
            as_of: "2026-12-01".into(),
            first_commit_year: 2015,
            last_commit_date: last.into(),
            commits_per_month: months,
            authors_last_12_months: authors,
            releases_last_12_months: 0,
        }
    }

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn each_doubling_of_the_authors_adds_a_point() {
        let today = day("2026-12-01");
        let scores: Vec<u8> = [1, 2, 4, 8, 16, 32, 64, 128, 1000]
            .into_iter()
            .map(|n| {
                maintenance(&activity("2026-11-30", n, 10, 10), today)
                    .unwrap()
                    .value
            })
            .collect();
        assert_eq!(scores, [3, 4, 5, 6, 7, 8, 9, 10, 10]);
    }

    #[test]
    fn a_project_silent_for_a_year_is_inactive() {
        let today = day("2026-12-01");
        let atom = maintenance(&activity("2022-11-22", 14, 10, 10), today).unwrap();
        assert_eq!(atom.value, INACTIVE_SCORE);
        assert!(
            atom.reason.starts_with("No commit since 2022-11-22"),
            "{}",
            atom.reason
        );
        // One day inside the year still counts as active.
        let just = maintenance(&activity("2025-12-01", 1, 10, 10), today).unwrap();
        assert_eq!(just.value, 3);
    }

    #[test]
    fn halving_commits_costs_a_point_and_says_so() {
        let today = day("2026-12-01");
        let steady = maintenance(&activity("2026-11-30", 16, 10, 5), today).unwrap();
        let slowing = maintenance(&activity("2026-11-30", 16, 10, 4), today).unwrap();
        assert_eq!((steady.value, slowing.value), (7, 6));
        assert!(
            slowing.reason.contains("fell from 120 to 48"),
            "{}",
            slowing.reason
        );
        assert_eq!(slowing.from_evidence.as_deref(), Some(GIT_HISTORY));
        // A lone, slowing maintainer still scores above an inactive project.
        let lone = maintenance(&activity("2026-11-30", 1, 10, 1), today).unwrap();
        assert_eq!(lone.value, 2);
    }
}
