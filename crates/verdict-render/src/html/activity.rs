//! A project's activity from its git history: a 24-month sparkline with a
//! text alternative and the numbers in a table, the figures' source, and
//! whether the project looks inactive. Template: `activity.html`, included
//! by the topic page and the comparison's side cards.

use askama::Template;

use verdict_core::model::Activity;

use super::SiteConfig;
use super::compare::months_between;

/// Height of the sparkline's tallest bar, in SVG units.
const HEIGHT: u32 = 32;
/// Width of one month's bar and the gap after it.
const BAR: u32 = 8;
const GAP: u32 = 2;

/// One month of the sparkline.
#[derive(Debug, Clone)]
pub struct MonthBar {
    /// `2026-11`.
    pub month: String,
    pub commits: u32,
    pub x: u32,
    pub y: u32,
    pub height: u32,
}

/// A project's activity, ready to show. Template: `activity.html`.
#[derive(Template, Debug, Clone)]
#[template(path = "activity.html")]
pub struct ActivityView {
    /// Unique within a page, for the SVG's `aria-labelledby`.
    pub id: String,
    /// The heading's element: `h2` on a topic page, `h3` in a side card.
    pub level: &'static str,
    pub name: String,
    /// The repository, where a reader checks the figures.
    pub url: String,
    pub commit_short: String,
    pub as_of: String,
    pub first_commit_year: u16,
    pub last_commit_date: String,
    pub authors: u32,
    pub releases: u32,
    pub months: Vec<MonthBar>,
    pub width: u32,
    pub height: u32,
    /// What the sparkline shows, in words.
    pub summary: String,
    /// No commit in the 12 months before the site's date.
    pub inactive: bool,
    /// The figures are older than the site's staleness limit.
    pub stale: bool,
    pub stale_after_months: u32,
}

/// The view of `a` for the topic `slug` named `name`.
pub fn activity_view(
    site: &SiteConfig,
    slug: &str,
    name: &str,
    a: &Activity,
    level: &'static str,
) -> ActivityView {
    let max = a
        .commits_per_month
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0);
    let months: Vec<MonthBar> = a
        .commits_per_month
        .iter()
        .enumerate()
        .map(|(i, (month, n))| {
            // A month with commits always shows at least one unit.
            let height = if max == 0 || *n == 0 {
                0
            } else {
                (n * HEIGHT / max).max(1)
            };
            MonthBar {
                month: month.clone(),
                commits: *n,
                x: i as u32 * (BAR + GAP),
                y: HEIGHT - height,
                height,
            }
        })
        .collect();
    let total: u32 = a.commits_per_month.iter().map(|(_, n)| n).sum();
    let (first, last) = (
        a.commits_per_month.first().map_or("", |(m, _)| m.as_str()),
        a.commits_per_month.last().map_or("", |(m, _)| m.as_str()),
    );
    let summary = format!(
        "{name}: {total} commits from {first} to {last}, {} in the busiest month.",
        max
    );
    ActivityView {
        id: format!("activity-{slug}"),
        level,
        name: name.to_owned(),
        url: a.url.clone(),
        commit_short: a.commit.chars().take(10).collect(),
        as_of: a.as_of.clone(),
        first_commit_year: a.first_commit_year,
        last_commit_date: a.last_commit_date.clone(),
        authors: a.authors_last_12_months,
        releases: a.releases_last_12_months,
        width: months.len() as u32 * (BAR + GAP),
        height: HEIGHT,
        months,
        summary,
        inactive: months_between(&a.last_commit_date, &site.today) >= 12,
        stale: months_between(&a.as_of, &site.today) > i64::from(site.stale_after_months),
        stale_after_months: site.stale_after_months,
    }
}
