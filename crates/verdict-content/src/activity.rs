//! Project activity from git history: the figures `verdict import git`
//! writes to `evidence/git/<topic>.toml`, and their reading back.
//!
//! The importer reads a repository into a [`History`] (`git.rs`, behind
//! the `git` feature); everything after that is here and pure: the figures
//! ([`figures`]), the file's text ([`render`]) and the loader's reading of
//! it ([`read`], [`attach`]). No clock is read anywhere: "now" is the read
//! commit's date or the `--as-of` date, so one clone always gives the same
//! bytes.
//!
//! # What is counted
//!
//! Every commit reachable from the read commit (all parents, not only the
//! first: on a project that merges branches, the first-parent line skips
//! the work that was merged, and its authors). A commit is dated by its
//! committer date in UTC, the day it entered the history; rebased or
//! cherry-picked work counts when it landed, not when it was first
//! written. Windows are whole UTC days ending on `as_of`, inclusive:
//! "the last 12 months" of 2026-12-06 are 2025-12-07 to 2026-12-06.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use toml::de::{DeTable, DeValue};

use verdict_core::model::{Activity, Topic};

use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::import::toml_string;
use crate::reader::{Fields, as_i64, parse_toml, wrong_type};
use crate::{Code, SourceFile};

/// Where git evidence files live, relative to the content root.
pub const DIR: &str = "evidence/git/";

/// Months of commit counts a file holds, ending with `as_of`'s month.
pub const MONTHS: usize = 24;

/// One commit, as far as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// Committer time, seconds since the Unix epoch.
    pub time: i64,
    /// The author's email as written in the commit.
    pub author_email: String,
}

/// One tag: its name without `refs/tags/`, and when it was made (the
/// tagger's date for an annotated tag, else its commit's committer date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub time: i64,
}

/// What the importer read from a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The id of the commit read (`HEAD`), in hexadecimal.
    pub head: String,
    /// Its committer time, seconds since the Unix epoch.
    pub head_time: i64,
    /// Every commit reachable from it, in any order.
    pub commits: Vec<Commit>,
    pub tags: Vec<Tag>,
    /// The fetch URL of the `origin` remote, if there is one.
    pub origin: Option<String>,
}

/// A calendar day, as days since 1970-01-01 (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The UTC day holding a Unix time.
    pub fn from_unix(secs: i64) -> Day {
        Day(secs.div_euclid(86_400))
    }

    /// The day of a valid date (Howard Hinnant's days-from-civil).
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Day {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// Year, month and day (civil-from-days).
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + i64::from(month <= 2), month, day)
    }

    /// Parses `YYYY-MM-DD`, refusing days that do not exist.
    pub fn parse(s: &str) -> Option<Day> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        if !(1..=12).contains(&month) || !(1..=days_in_month(year.into(), month)).contains(&day) {
            return None;
        }
        Some(Day::from_ymd(year.into(), month, day))
    }

    /// The same day one year earlier (29 February becomes the 28th).
    pub fn a_year_before(self) -> Day {
        let (y, m, d) = self.ymd();
        Day::from_ymd(y - 1, m, d.min(days_in_month(y - 1, m)))
    }

    /// `YYYY-MM` of this day's month.
    pub fn month(self) -> Month {
        let (y, m, _) = self.ymd();
        Month { year: y, month: m }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i64,
    pub month: u32,
}

impl Month {
    fn before(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The [`MONTHS`] months ending with this one, oldest first.
    pub fn window(self) -> Vec<Month> {
        let mut months = vec![self];
        while months.len() < MONTHS {
            let first = months[months.len() - 1].before();
            months.push(first);
        }
        months.reverse();
        months
    }

    fn parse(s: &str) -> Option<Month> {
        let b = s.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !s[..4]
                .bytes()
                .chain(s[5..].bytes())
                .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let month: u32 = s[5..].parse().ok()?;
        (1..=12).contains(&month).then(|| Month {
            year: s[..4].parse().unwrap_or(0),
            month,
        })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Words that mark a version as not yet released (`1.2.0-rc.1`,
/// `2.0.0b3`): a tag whose suffix has letters other than these
/// release words is a pre-release.
const RELEASE_WORDS: &[&str] = &["final", "release", "ga", "lts", "stable"];

/// Whether a tag name looks like a release: an optional prefix without
/// digits (`v`, `release-`, `go`, `curl-`, `@scope/pkg@`), then a version of
/// at least two numbers joined by `.` or `_` (`1.2`, `v1.2.3`, `7_88_0`),
/// then nothing, build metadata after `+`, a number (`1.2.3-2`) or a
/// release word (`5.4.0.Final`). Pre-releases (`-rc.1`, `b2`, `-SNAPSHOT`,
/// `-M1`), a lone number (`v2`) and dates with hyphens are not releases;
/// neither is a prefix that says nightly, canary, snapshot or preview.
pub fn is_release_tag(name: &str) -> bool {
    let Some(start) = name.find(|c: char| c.is_ascii_digit()) else {
        return false;
    };
    let prefix = name[..start].to_ascii_lowercase();
    if ["nightly", "canary", "snapshot", "preview", "alpha", "beta"]
        .iter()
        .any(|w| prefix.contains(w))
    {
        return false;
    }
    let rest = &name.as_bytes()[start..];
    let mut i = 0;
    let mut numbers = 0;
    loop {
        let digits = rest[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            break;
        }
        numbers += 1;
        i += digits;
        match rest.get(i) {
            Some(b'.' | b'_') if rest.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            _ => break,
        }
    }
    if numbers < 2 {
        return false;
    }
    let suffix = &name[start + i..];
    let suffix = suffix.split('+').next().unwrap_or("").to_ascii_lowercase();
    let suffix = suffix.trim_start_matches(['-', '.', '_']);
    suffix.is_empty()
        || suffix
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b'.' || c == b'-')
        || RELEASE_WORDS.contains(&suffix)
}

/// Commits dated before this day (1971-01-01) are left out of
/// `first_commit_year`: a date at the Unix epoch is what a tool writes when
/// it has none (angular.js has two commits "from" 1 January 1970).
const DATED_SINCE: Day = Day(365);

/// Why no figures can be made from a history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiguresError {
    #[error("the repository has no commits")]
    NoCommits,
    #[error("no commit is dated on or before {as_of}; the first is from {first}")]
    NothingBefore { as_of: String, first: String },
}

/// The figures of a history as of a day: `as_of`, or the read commit's
/// day when `None`. Commits and tags dated after `as_of` are not counted.
pub fn figures(history: &History, url: &str, as_of: Option<Day>) -> Result<Activity, FiguresError> {
    if history.commits.is_empty() {
        return Err(FiguresError::NoCommits);
    }
    let commit_day = Day::from_unix(history.head_time);
    let as_of = as_of.unwrap_or(commit_day);
    let counted: Vec<(Day, &Commit)> = history
        .commits
        .iter()
        .map(|c| (Day::from_unix(c.time), c))
        .filter(|(d, _)| *d <= as_of)
        .collect();
    let (Some(first), Some(last)) = (
        counted
            .iter()
            .map(|(d, _)| *d)
            .filter(|d| *d >= DATED_SINCE)
            .min()
            .or_else(|| counted.iter().map(|(d, _)| *d).min()),
        counted.iter().map(|(d, _)| *d).max(),
    ) else {
        let first = history
            .commits
            .iter()
            .map(|c| Day::from_unix(c.time))
            .min()
            .expect("commits is not empty");
        return Err(FiguresError::NothingBefore {
            as_of: as_of.to_string(),
            first: first.to_string(),
        });
    };
    let year_start = as_of.a_year_before();
    let in_last_year = |d: Day| d > year_start && d <= as_of;

    let window = as_of.month().window();
    let mut per_month: BTreeMap<Month, u32> = window.iter().map(|m| (*m, 0)).collect();
    let mut authors = BTreeSet::new();
    for (day, c) in &counted {
        if let Some(n) = per_month.get_mut(&day.month()) {
            *n += 1;
        }
        if in_last_year(*day) {
            authors.insert(c.author_email.trim().to_lowercase());
        }
    }
    let releases = history
        .tags
        .iter()
        .filter(|t| in_last_year(Day::from_unix(t.time)) && is_release_tag(&t.name))
        .count();
    Ok(Activity {
        url: url.to_owned(),
        commit: history.head.clone(),
        commit_date: commit_day.to_string(),
        as_of: as_of.to_string(),
        first_commit_year: u16::try_from(first.ymd().0).unwrap_or(0),
        last_commit_date: last.to_string(),
        commits_per_month: per_month
            .into_iter()
            .map(|(m, n)| (m.to_string(), n))
            .collect(),
        authors_last_12_months: authors.len() as u32,
        releases_last_12_months: releases as u32,
    })
}

/// The web address of a remote URL, for a reader to follow: `https://` as
/// it is, and `git@host:path`, `ssh://`, `git://` URLs as `https://host/path`,
/// without user names, passwords, a port or a trailing `.git`. `None` for a
/// local path or `file://` URL, which no reader can open.
pub fn web_url(remote: &str) -> Option<String> {
    let remote = remote.trim();
    let (host_and_path, scheme_given) = if let Some((scheme, rest)) = remote.split_once("://") {
        match scheme {
            "https" | "http" | "ssh" | "git" | "git+ssh" | "ssh+git" => (rest.to_owned(), true),
            _ => return None,
        }
    } else if let Some((user_host, path)) = remote.split_once(':') {
        // scp-like `git@github.com:owner/name.git`
        if user_host.contains('/') || path.starts_with('/') && user_host.is_empty() {
            return None;
        }
        (format!("{user_host}/{path}"), false)
    } else {
        return None;
    };
    let (authority, path) = host_and_path
        .split_once('/')
        .unwrap_or((&host_and_path, ""));
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if scheme_given || !host.contains('[') {
        host.split(':').next().unwrap_or(host)
    } else {
        host
    };
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let scheme = if remote.starts_with("http://") {
        "http"
    } else {
        "https"
    };
    Some(if path.is_empty() {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}/{path}")
    })
}

/// The evidence file's path for a topic, relative to the content root.
pub fn path(topic: &str) -> String {
    format!("{DIR}{topic}.toml")
}

/// The file's text. The same figures give the same bytes: keys in a fixed
/// order, months oldest first, no clock.
pub fn render(a: &Activity) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Generated by `verdict import git` from the history of {}.",
        a.url
    );
    s.push_str("# Do not edit by hand: re-run `verdict import git` to refresh the figures.\n\n");
    let _ = writeln!(s, "url = {}", toml_string(&a.url));
    let _ = writeln!(s, "commit = {}", toml_string(&a.commit));
    let _ = writeln!(s, "commit_date = {}", toml_string(&a.commit_date));
    let _ = writeln!(s, "as_of = {}", toml_string(&a.as_of));
    let _ = writeln!(s, "first_commit_year = {}", a.first_commit_year);
    let _ = writeln!(s, "last_commit_date = {}", toml_string(&a.last_commit_date));
    let _ = writeln!(s, "authors_last_12_months = {}", a.authors_last_12_months);
    let _ = writeln!(s, "releases_last_12_months = {}", a.releases_last_12_months);
    s.push_str("\n[commits_per_month]\n");
    for (month, n) in &a.commits_per_month {
        let _ = writeln!(s, "\"{month}\" = {n}");
    }
    s
}

/// Git evidence read so far: topic slug → figures, with the file each came
/// from.
#[derive(Debug, Default)]
pub(crate) struct ActivitySet {
    pub by_topic: BTreeMap<String, (String, Activity)>,
}

/// Reads one `evidence/git/<topic>.toml` file. A file with any error is
/// left out whole: figures without their provenance are not evidence.
pub(crate) fn read(f: &SourceFile, set: &mut ActivitySet, diags: &mut Vec<Diagnostic>) {
    let before = diags.iter().filter(|d| d.is_error()).count();
    let Some(doc) = parse_toml(
        &f.path,
        &f.text,
        diags,
        "re-run `verdict import git` to regenerate this file",
    ) else {
        return;
    };
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let mut fields = Fields::new(&doc, 0, "");
    let url = read_url(&mut fields, &mut sink);
    let commit = read_commit(&mut fields, &mut sink);
    let commit_date = provenance(
        &mut fields,
        &mut sink,
        "commit_date",
        "the read commit's date",
    )
    .and_then(|(d, at)| day(&mut sink, "commit_date", &d, at));
    let as_of = required_day(&mut fields, &mut sink, "as_of");
    let first_commit_year = count(&mut fields, &mut sink, "first_commit_year", 1970, 9999);
    let last_commit_date = required_day(&mut fields, &mut sink, "last_commit_date");
    let authors = count(
        &mut fields,
        &mut sink,
        "authors_last_12_months",
        0,
        u32::MAX.into(),
    );
    let releases = count(
        &mut fields,
        &mut sink,
        "releases_last_12_months",
        0,
        u32::MAX.into(),
    );
    let months = fields
        .table(&mut sink, "commits_per_month", true)
        .map(|(table, at)| months(&mut sink, table, at, as_of));
    fields.finish(&mut sink);

    if let (Some(last), Some(as_of)) = (last_commit_date, as_of)
        && last > as_of
    {
        sink.error(
            Code::BadActivity,
            None,
            "last_commit_date",
            format!("the last commit ({last}) is after `as_of` ({as_of})"),
            "re-run `verdict import git`",
        );
    }
    let failed = sink.out.iter().filter(|d| d.is_error()).count() > before;
    let (
        Some(url),
        Some(commit),
        Some(commit_date),
        Some(as_of),
        Some(first_commit_year),
        Some(last_commit_date),
        Some(authors),
        Some(releases),
        Some(Some(commits_per_month)),
    ) = (
        url,
        commit,
        commit_date,
        as_of,
        first_commit_year,
        last_commit_date,
        authors,
        releases,
        months,
    )
    else {
        return;
    };
    if failed {
        return;
    }
    let topic = f
        .path
        .trim_start_matches(DIR)
        .trim_end_matches(".toml")
        .to_owned();
    set.by_topic.insert(
        topic,
        (
            f.path.clone(),
            Activity {
                url,
                commit,
                commit_date: commit_date.to_string(),
                as_of: as_of.to_string(),
                first_commit_year: first_commit_year as u16,
                last_commit_date: last_commit_date.to_string(),
                commits_per_month,
                authors_last_12_months: authors as u32,
                releases_last_12_months: releases as u32,
            },
        ),
    );
}

/// `url`: required, and a web address.
fn read_url(fields: &mut Fields<'_, '_>, sink: &mut Sink<'_>) -> Option<String> {
    provenance(fields, sink, "url", "the repository's address").and_then(|(url, at)| {
        if url.starts_with("https://") || url.starts_with("http://") {
            Some(url)
        } else {
            sink.error(
                Code::BadActivity,
                Some(at),
                "url",
                format!("`{url}` is not a web address"),
                "re-run `verdict import git` with `--url https://…`",
            );
            None
        }
    })
}

/// `commit`: required, and a full hexadecimal commit id.
fn read_commit(fields: &mut Fields<'_, '_>, sink: &mut Sink<'_>) -> Option<String> {
    provenance(fields, sink, "commit", "the id of the commit read").and_then(|(id, at)| {
        let hex = id
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
        if hex && (id.len() == 40 || id.len() == 64) {
            Some(id)
        } else {
            sink.error(
                Code::BadActivity,
                Some(at),
                "commit",
                format!("`{id}` is not a full commit id"),
                "write the 40-character id of the commit read",
            );
            None
        }
    })
}

/// A provenance string (`url`, `commit`, `commit_date`): required, and
/// its absence says the figures cannot be checked.
fn provenance(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    key: &'static str,
    what: &str,
) -> Option<(String, usize)> {
    if fields.raw(key).is_none() {
        sink.error(
            Code::ActivityProvenance,
            Some(0),
            key,
            format!("missing `{key}`, {what}: a reader could not check these figures"),
            "re-run `verdict import git`, which writes it",
        );
        return None;
    }
    fields.string(sink, key, true)
}

fn day(sink: &mut Sink<'_>, key: &str, text: &str, at: usize) -> Option<Day> {
    let d = Day::parse(text);
    if d.is_none() {
        sink.error(
            Code::BadDate,
            Some(at),
            key,
            format!("`{text}` is not a date"),
            "write it as \"YYYY-MM-DD\", or re-run `verdict import git`",
        );
    }
    d
}

fn required_day(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    key: &'static str,
) -> Option<Day> {
    let (text, at) = fields.string(sink, key, true)?;
    day(sink, key, &text, at)
}

/// A whole number within `min..=max`.
fn count(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    key: &'static str,
    min: i64,
    max: i64,
) -> Option<i64> {
    let Some(v) = fields.raw(key) else {
        sink.error(
            Code::MissingField,
            Some(0),
            key,
            "missing required field",
            "re-run `verdict import git`",
        );
        return None;
    };
    figure(sink, key, v, min, max)
}

fn figure(
    sink: &mut Sink<'_>,
    key: &str,
    v: &toml::Spanned<DeValue<'_>>,
    min: i64,
    max: i64,
) -> Option<i64> {
    match v.get_ref() {
        DeValue::Integer(_) => match as_i64(v.get_ref()) {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                sink.error(
                    Code::BadActivity,
                    Some(v.span().start),
                    key,
                    format!("must be a whole number from {min} to {max}"),
                    "re-run `verdict import git`",
                );
                None
            }
        },
        other => {
            wrong_type(sink, v, key, "a whole number", other);
            None
        }
    }
}

/// `[commits_per_month]`: exactly the [`MONTHS`] months ending with
/// `as_of`'s month, each a whole number.
fn months(
    sink: &mut Sink<'_>,
    table: &DeTable<'_>,
    at: usize,
    as_of: Option<Day>,
) -> Option<Vec<(String, u32)>> {
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (k, v) in table.iter() {
        let name: &str = k.get_ref();
        let key = format!("commits_per_month.{name}");
        let Some(month) = Month::parse(name) else {
            sink.error(
                Code::BadActivity,
                Some(k.span().start),
                &key,
                format!("`{name}` is not a month"),
                "write months as \"YYYY-MM\", or re-run `verdict import git`",
            );
            ok = false;
            continue;
        };
        match figure(sink, &key, v, 0, u32::MAX.into()) {
            Some(n) => {
                out.insert(month, n as u32);
            }
            None => ok = false,
        }
    }
    let as_of = as_of?;
    let want = as_of.month().window();
    if ok && !out.keys().copied().eq(want.iter().copied()) {
        sink.error(
            Code::BadActivity,
            Some(at),
            "commits_per_month",
            format!(
                "expected the {MONTHS} months from {} to {}",
                want[0],
                want[MONTHS - 1]
            ),
            "re-run `verdict import git`",
        );
        ok = false;
    }
    ok.then(|| out.into_iter().map(|(m, n)| (m.to_string(), n)).collect())
}

/// Gives each topic its activity. A file for a topic that does not exist
/// is an error under `--strict` and a warning otherwise; a topic whose file
/// is there but left out for errors of its own is not reported again.
pub(crate) fn attach(
    topics: &mut [Topic],
    set: ActivitySet,
    present: &std::collections::HashSet<String>,
    strict: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for (slug, (file, activity)) in set.by_topic {
        match topics.iter_mut().find(|t| t.slug == slug) {
            Some(t) => t.activity = Some(activity),
            None if present.contains(slug.as_str()) => {}
            None => diags.push(Diagnostic {
                severity: if strict {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                code: Code::ActivityTopic,
                file,
                line: None,
                key: None,
                message: format!("there is no topic `{slug}` for this git evidence"),
                help: Some(format!(
                    "name the file after a topic's slug, or delete it if topic `{slug}` was removed"
                )),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2026-12-06", "1999-12-31"] {
            assert_eq!(Day::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(Day::parse("1970-01-02"), Some(Day(1)));
        assert_eq!(Day::from_unix(-1).to_string(), "1969-12-31");
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "2026-1-01",
            "26-01-01x",
            "2025-02-29",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Day::parse("2024-02-29")
                .unwrap()
                .a_year_before()
                .to_string(),
            "2023-02-28"
        );
        assert_eq!(
            Day::parse("2026-12-06")
                .unwrap()
                .a_year_before()
                .to_string(),
            "2025-12-06"
        );
    }

    #[test]
    fn the_window_is_24_months_ending_with_as_ofs() {
        let w = Day::parse("2026-03-15").unwrap().month().window();
        assert_eq!(w.len(), MONTHS);
        assert_eq!(w[0].to_string(), "2024-04");
        assert_eq!(w[23].to_string(), "2026-03");
    }

    #[test]
    fn remote_urls_become_web_addresses() {
        for (remote, web) in [
            (
                "https://github.com/atom/atom.git",
                Some("https://github.com/atom/atom"),
            ),
            (
                "https://user:secret@github.com/atom/atom",
                Some("https://github.com/atom/atom"),
            ),
            (
                "git@github.com:atom/atom.git",
                Some("https://github.com/atom/atom"),
            ),
            (
                "ssh://git@gitlab.com:2222/a/b.git/",
                Some("https://gitlab.com/a/b"),
            ),
            (
                "git://git.kernel.org/pub/scm/git/git.git",
                Some("https://git.kernel.org/pub/scm/git/git"),
            ),
            ("http://example.org/x", Some("http://example.org/x")),
            ("/srv/git/atom.git", None),
            ("file:///srv/git/atom.git", None),
            ("../atom", None),
            ("C:/repos/atom", None),
        ] {
            assert_eq!(web_url(remote).as_deref(), web, "{remote}");
        }
    }

    #[test]
    fn release_tags() {
        for yes in [
            "v1.2.3",
            "1.2",
            "V2.0",
            "release-1.4.0",
            "release/2.1",
            "go1.21.0",
            "curl-7_88_0",
            "@babel/core@7.23.2",
            "5.4.0.Final",
            "v1.2.3+build.7",
            "2024.01.15",
            "v1.2.3-1",
        ] {
            assert!(is_release_tag(yes), "{yes} should be a release");
        }
        for no in [
            "v2",
            "latest",
            "v1.2.3-rc.1",
            "2.0.0b3",
            "1.0.0-SNAPSHOT",
            "v3.0.0-M1",
            "nightly-2024.01.01",
            "2024-01-15",
            "v1.2.3-beta",
            "python3-1",
        ] {
            assert!(!is_release_tag(no), "{no} should not be a release");
        }
    }
}
