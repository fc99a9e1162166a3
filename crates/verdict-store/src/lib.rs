//! Reader votes: "do you agree with our pick?", stored behind one small
//! trait, [`VoteStore`], with two real backends: a SQLite file (the
//! embedded default) and PostgreSQL (several servers sharing one database).
//!
//! Both backends acknowledge a vote only after the transaction holding it
//! has committed, and both reach high rates with **group commit**: one
//! writer task takes every vote waiting in its queue, writes them in one
//! transaction and answers each caller after the commit (see [`batch`]).
//!
//! The store never sees an IP address: the web layer hands it an opaque
//! reader hash made with a daily salt the store keeps (and deletes after two
//! days, with the hashes made from it). The contested rule lives here, on
//! [`Tally`], so the web site and the CLI agree on it.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

mod batch;
mod migrate;
mod postgres;
mod sql;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

/// A vote's id, unique within one database.
pub type VoteId = i64;

/// Longest reason a reader may give, in characters.
pub const MAX_REASON_CHARS: usize = 1000;

/// Fewest votes before a pick can be called contested.
pub const CONTESTED_MIN_VOTES: u64 = 20;

/// The normal quantile for a two-sided 95 % interval.
pub const WILSON_Z: f64 = 1.96;

/// What the reader thinks of our pick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Agree,
    Disagree,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Disagree => "disagree",
        }
    }

    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "agree" => Some(Choice::Agree),
            "disagree" => Some(Choice::Disagree),
            _ => None,
        }
    }
}

/// A vote to record. The caller has checked it: the comparison exists,
/// `would_pick` is one of its topics, the reason is at most
/// [`MAX_REASON_CHARS`] characters and contains no NUL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVote {
    /// Canonical comparison key, slugs in sorted order: `go-vs-rust`.
    pub comparison: String,
    pub choice: Choice,
    /// Which topic the reader would pick, if they said.
    pub would_pick: Option<String>,
    /// Stored exactly as written; escaping is the renderer's job.
    pub reason: Option<String>,
    /// Opaque per-reader, per-comparison, per-day hash: at most one vote per
    /// `(comparison, day, reader)`. `None` records without that limit.
    pub reader: Option<Vec<u8>>,
    /// When the vote was cast; its UTC date is the vote's day.
    pub at: jiff::Timestamp,
}

/// A vote just committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub id: VoteId,
    /// The comparison's agree/disagree counts as of the commit that stored
    /// the vote (`picks` is left empty).
    pub tally: Tally,
}

/// A stored vote, as moderators see it. The reader hash is never returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vote {
    pub id: VoteId,
    pub comparison: String,
    pub choice: Choice,
    pub would_pick: Option<String>,
    pub reason: Option<String>,
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    /// Seconds since the Unix epoch.
    pub created_at: i64,
    pub hidden: bool,
}

/// Agreement with one comparison's pick.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub agree: u64,
    pub disagree: u64,
    /// How many readers named each topic as theirs, most first.
    pub picks: Vec<(String, u64)>,
}

impl Tally {
    pub fn total(&self) -> u64 {
        self.agree + self.disagree
    }

    /// Share of readers who agree, in whole percent; `None` without votes.
    pub fn agree_percent(&self) -> Option<u8> {
        let n = self.total();
        (n > 0).then(|| ((self.agree as f64 * 100.0 / n as f64).round()) as u8)
    }

    /// The lower bound of the 95 % Wilson score interval for the share of
    /// readers who disagree: how low that share could plausibly be, given
    /// how few votes there are.
    pub fn disagree_lower_bound(&self) -> f64 {
        wilson_lower_bound(self.disagree, self.total(), WILSON_Z)
    }

    /// **The contested rule**: at least [`CONTESTED_MIN_VOTES`] votes, and
    /// even the pessimistic (Wilson lower-bound) estimate of the disagree
    /// share is above one half. A 12-of-20 split is not contested (lower
    /// bound 0.39); 30 of 40 is (0.60).
    pub fn contested(&self) -> bool {
        self.total() >= CONTESTED_MIN_VOTES && self.disagree_lower_bound() > 0.5
    }
}

/// Lower bound of the Wilson score interval for `k` successes in `n` trials.
pub fn wilson_lower_bound(k: u64, n: u64, z: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * ((p * (1.0 - p) + z2 / (4.0 * n)) / n).sqrt();
    ((centre - spread) / (1.0 + z2 / n)).max(0.0)
}

/// The contested comparisons, strongest disagreement first (by the Wilson
/// lower bound of the disagree share, then by votes, then by key).
pub fn most_contested(tallies: Vec<(String, Tally)>, limit: usize) -> Vec<(String, Tally)> {
    let mut contested: Vec<(String, Tally)> =
        tallies.into_iter().filter(|(_, t)| t.contested()).collect();
    contested.sort_by(|(a, ta), (b, tb)| {
        tb.disagree_lower_bound()
            .total_cmp(&ta.disagree_lower_bound())
            .then(tb.total().cmp(&ta.total()))
            .then(a.cmp(b))
    });
    contested.truncate(limit);
    contested
}

/// Votes for moderators, newest first: one comparison's, or (with
/// `contested_only`) those of every contested comparison, or all.
pub async fn moderation_list(
    store: &dyn VoteStore,
    comparison: Option<&str>,
    contested_only: bool,
    limit: u32,
) -> Result<Vec<Vote>> {
    let base = ListFilter {
        limit,
        ..ListFilter::default()
    };
    if !contested_only {
        return store
            .list(&ListFilter {
                comparison: comparison.map(str::to_owned),
                ..base
            })
            .await;
    }
    let contested = most_contested(store.tallies().await?, usize::MAX);
    let mut out = Vec::new();
    for (key, _) in contested
        .iter()
        .filter(|(k, _)| comparison.is_none_or(|c| c == k))
    {
        out.extend(
            store
                .list(&ListFilter {
                    comparison: Some(key.clone()),
                    ..base.clone()
                })
                .await?,
        );
    }
    out.sort_by_key(|v| std::cmp::Reverse(v.id));
    out.truncate(limit as usize);
    Ok(out)
}

/// Every vote, oldest first, a page at a time (for exports).
pub async fn all_votes(store: &dyn VoteStore) -> Result<Vec<Vote>> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let page = store
            .list(&ListFilter {
                before,
                limit: 1000,
                ..ListFilter::default()
            })
            .await?;
        let Some(last) = page.last() else { break };
        before = Some(last.id);
        out.extend(page);
    }
    out.reverse();
    Ok(out)
}

/// Exports for moderators: every column but the reader hash.
pub mod export {
    use crate::Vote;

    pub const CSV_HEADER: &str = "id,comparison,choice,would_pick,reason,day,created_at,hidden\n";

    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) || s.starts_with([' ', '=', '+', '-', '@']) {
            // Quoted, and a leading formula character made inert for
            // spreadsheets (OWASP CSV injection advice).
            let inert = if s.starts_with(['=', '+', '-', '@']) {
                "'"
            } else {
                ""
            };
            format!("\"{inert}{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }

    /// One CSV line (RFC 4180), ending in a newline.
    pub fn csv_row(v: &Vote) -> String {
        format!(
            "{},{},{},{},{},{},{},{}\n",
            v.id,
            field(&v.comparison),
            v.choice.as_str(),
            field(v.would_pick.as_deref().unwrap_or("")),
            field(v.reason.as_deref().unwrap_or("")),
            v.day,
            v.created_at,
            v.hidden
        )
    }

    /// The whole CSV document.
    pub fn csv(votes: &[Vote]) -> String {
        let mut out = String::from(CSV_HEADER);
        for v in votes {
            out.push_str(&csv_row(v));
        }
        out
    }
}

/// Which votes to list for moderation, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this comparison.
    pub comparison: Option<String>,
    /// Also hidden votes (moderators); public callers leave this off.
    pub include_hidden: bool,
    /// Only votes that give a reason.
    pub with_reason: bool,
    /// Only votes with an id below this (paging backwards).
    pub before: Option<VoteId>,
    pub limit: u32,
}

impl Default for ListFilter {
    fn default() -> Self {
        ListFilter {
            comparison: None,
            include_hidden: true,
            with_reason: false,
            before: None,
            limit: 100,
        }
    }
}

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// This reader already voted on this comparison today.
    #[error("{0}")]
    Conflict(String),
    /// The database cannot be reached or is busy; try again later.
    #[error("the vote database is unavailable: {0}")]
    Unavailable(String),
    /// Anything else: a bug or a broken database.
    #[error("vote database error: {0}")]
    Other(String),
}

impl StoreError {
    pub(crate) fn from_sqlx(e: sqlx::Error) -> StoreError {
        use sqlx::Error as E;
        match e {
            E::RowNotFound => StoreError::NotFound("no such row".into()),
            E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) | E::WorkerCrashed => {
                StoreError::Unavailable(e.to_string())
            }
            E::Database(ref db) => {
                if db.is_unique_violation() {
                    return StoreError::Conflict(db.message().to_owned());
                }
                // SQLite: SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_FULL (13),
                // SQLITE_IOERR (10) and extended codes; PostgreSQL: class 08
                // (connection), 53 (resources), 57P (shutdown).
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                let primary = code.parse::<i64>().map(|c| c & 0xff).ok();
                let unavailable = matches!(primary, Some(5 | 6 | 10 | 13))
                    || code.starts_with("08")
                    || code.starts_with("53")
                    || code.starts_with("57P");
                if unavailable {
                    StoreError::Unavailable(e.to_string())
                } else {
                    StoreError::Other(e.to_string())
                }
            }
            other => StoreError::Other(other.to_string()),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where votes are kept.
///
/// Small on purpose: a method is added when a caller needs it. Every
/// backend passes the same conformance suite (`tests/conformance.rs`).
#[async_trait::async_trait]
pub trait VoteStore: Send + Sync + fmt::Debug {
    /// Records a vote and returns its id, with the comparison's counts,
    /// once it is committed. [`StoreError::Conflict`] when this reader
    /// already voted on this comparison on this day.
    async fn record(&self, vote: NewVote) -> Result<Recorded>;

    /// Agreement with one comparison (all zero when nobody voted).
    async fn tally(&self, comparison: &str) -> Result<Tally>;

    /// Agreement with every comparison that has votes, by comparison key.
    /// (Picks are left empty: callers rank comparisons, they do not show
    /// them.)
    async fn tallies(&self) -> Result<Vec<(String, Tally)>>;

    /// Votes for moderation, newest first.
    async fn list(&self, filter: &ListFilter) -> Result<Vec<Vote>>;

    /// Hides a vote's reason from every public page and API. The vote still
    /// counts. Hiding twice is fine; an unknown id is
    /// [`StoreError::NotFound`].
    async fn hide(&self, id: VoteId) -> Result<()>;

    /// The secret salt for reader hashes on `day` (`YYYY-MM-DD`), made on
    /// first use and shared by every server on this database. Making a new
    /// day's salt deletes salts and reader hashes older than the day before.
    async fn daily_salt(&self, day: &str) -> Result<[u8; 32]>;

    /// `Ok` when the database answers.
    async fn health(&self) -> Result<()>;

    /// Finishes the votes in flight and closes the connections.
    async fn close(&self);
}

/// Where the votes database is, as given on the command line.
///
/// `Display` and `Debug` never show a password.
#[derive(Clone, PartialEq, Eq)]
pub enum Settings {
    /// A SQLite file, created on first use.
    Sqlite { path: PathBuf },
    /// A PostgreSQL URL, `postgres://user:password@host:port/db`.
    Postgres { url: String },
}

impl Settings {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://PATH`,
    /// `sqlite:PATH` or any other string is a SQLite file path.
    pub fn parse(s: &str) -> Result<Settings> {
        let s = s.trim();
        if s.is_empty() {
            return Err(StoreError::Other("the database setting is empty".into()));
        }
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            return Ok(Settings::Postgres { url: s.to_owned() });
        }
        let path = s
            .strip_prefix("sqlite://")
            .or_else(|| s.strip_prefix("sqlite:"))
            .unwrap_or(s);
        if path.is_empty() || path == ":memory:" {
            return Err(StoreError::Other(
                "give the SQLite database a file path; votes must survive a restart".into(),
            ));
        }
        Ok(Settings::Sqlite {
            path: PathBuf::from(path),
        })
    }

    /// The backend's name: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Settings::Sqlite { .. } => "sqlite",
            Settings::Postgres { .. } => "postgres",
        }
    }
}

/// `scheme://user:***@host/…`: the URL with any password replaced.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return redact_query(url);
    };
    let user = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => userinfo.to_owned(),
    };
    redact_query(&format!("{scheme}://{user}@{host}{tail}"))
}

/// Hides `password=` query parameters too (libpq accepts them).
fn redact_query(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
            _ => p.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

impl fmt::Display for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Settings::Sqlite { path } => write!(f, "sqlite:{}", path.display()),
            Settings::Postgres { url } => f.write_str(&redact_url(url)),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Settings({self})")
    }
}

/// How to open a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Create the SQLite file if it is missing (servers).
    CreateIfMissing,
    /// Fail if the SQLite file is missing (moderation commands, so a typo
    /// does not make an empty database).
    MustExist,
}

/// Opens the store `settings` name and applies pending migrations.
pub async fn open(settings: &Settings, how: Open) -> Result<Arc<dyn VoteStore>> {
    match settings {
        Settings::Sqlite { path } => Ok(Arc::new(sqlite::open(path, how).await?)),
        Settings::Postgres { url } => Ok(Arc::new(postgres::open(url).await?)),
    }
}

/// 32 random bytes from the operating system.
pub(crate) fn random_salt() -> Result<[u8; 32]> {
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt)
        .map_err(|e| StoreError::Other(format!("no randomness for a salt: {e}")))?;
    Ok(salt)
}

/// The UTC date of `at`, `YYYY-MM-DD`.
pub fn day_of(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// The day before `day` (`YYYY-MM-DD`), or `day` itself if it is not a date.
pub(crate) fn day_before(day: &str) -> String {
    day.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.yesterday().ok())
        .map_or_else(|| day.to_owned(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_contested(agree: u64, disagree: u64, expect: bool) {
        let t = Tally {
            agree,
            disagree,
            picks: Vec::new(),
        };
        assert_eq!(
            t.contested(),
            expect,
            "{agree} agree, {disagree} disagree: lower bound {}",
            t.disagree_lower_bound()
        );
    }

    #[test]
    fn contested_needs_enough_votes_and_a_clear_majority() {
        check_contested(0, 0, false);
        // Unanimous but too few.
        check_contested(0, 19, false);
        check_contested(0, 20, true);
        // A small majority is not enough evidence.
        check_contested(8, 12, false);
        check_contested(10, 30, true);
        check_contested(450, 550, true);
        check_contested(480, 520, false);
        check_contested(30, 10, false);
    }

    #[test]
    fn wilson_bound_matches_known_values() {
        // 30 of 40: p = 0.75, 95 % interval ≈ [0.598, 0.858].
        assert!((wilson_lower_bound(30, 40, WILSON_Z) - 0.598).abs() < 0.001);
        assert_eq!(wilson_lower_bound(0, 0, WILSON_Z), 0.0);
        assert!(wilson_lower_bound(0, 10, WILSON_Z).abs() < 1e-12);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let v = Vote {
            id: 7,
            comparison: "go-vs-rust".into(),
            choice: Choice::Disagree,
            would_pick: Some("go".into()),
            reason: Some("=HYPERLINK(\"x\"), ok\nnext".into()),
            day: "2026-05-04".into(),
            created_at: 1,
            hidden: false,
        };
        assert_eq!(
            export::csv_row(&v),
            "7,go-vs-rust,disagree,go,\"'=HYPERLINK(\"\"x\"\"), ok\nnext\",2026-05-04,1,false\n"
        );
    }

    #[test]
    fn most_contested_ranks_by_lower_bound() {
        let t = |a, d| Tally {
            agree: a,
            disagree: d,
            picks: Vec::new(),
        };
        let ranked = most_contested(
            vec![
                ("a".into(), t(10, 30)),
                ("b".into(), t(0, 40)),
                ("c".into(), t(30, 10)),
                ("d".into(), t(0, 5)),
            ],
            10,
        );
        let keys: Vec<&str> = ranked.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn agree_percent_rounds() {
        let t = Tally {
            agree: 2,
            disagree: 1,
            picks: Vec::new(),
        };
        assert_eq!(t.agree_percent(), Some(67));
        assert_eq!(Tally::default().agree_percent(), None);
    }

    fn check_settings(input: &str, backend: &str, shown: &str) {
        let s = Settings::parse(input).unwrap();
        assert_eq!(s.backend(), backend);
        assert_eq!(s.to_string(), shown);
        assert_eq!(format!("{s:?}"), format!("Settings({shown})"));
    }

    #[test]
    fn settings_never_show_a_password() {
        check_settings("verdict.db", "sqlite", "sqlite:verdict.db");
        check_settings("sqlite://data/votes.db", "sqlite", "sqlite:data/votes.db");
        check_settings(
            "postgres://app:s3cret@db.internal:5432/verdict?sslmode=require",
            "postgres",
            "postgres://app:***@db.internal:5432/verdict?sslmode=require",
        );
        check_settings(
            "postgresql://app@db/verdict",
            "postgres",
            "postgresql://app@db/verdict",
        );
        check_settings(
            "postgres://db/verdict?user=app&password=s3cret",
            "postgres",
            "postgres://db/verdict?user=app&password=***",
        );
        check_settings(
            "postgres://a:p%40ss@h/d",
            "postgres",
            "postgres://a:***@h/d",
        );
        assert!(Settings::parse("").is_err());
        assert!(Settings::parse("sqlite::memory:").is_err());
    }

    #[test]
    fn days_are_utc_dates() {
        let at: jiff::Timestamp = "2026-03-01T23:30:00-05:00".parse().unwrap();
        assert_eq!(day_of(at), "2026-03-02");
        assert_eq!(day_before("2026-03-01"), "2026-02-28");
    }
}
