//! The store both SQL backends share: every query but the one that inserts a
//! batch's votes, written once, generic over sqlx's database type.
//!
//! The seam is that type parameter. [`Backend`] is implemented for
//! `sqlx::Sqlite` (in `sqlite.rs`) and `sqlx::Postgres` (in `postgres.rs`);
//! [`SqlStore<DB>`] holds a read pool and a group-commit [`Batcher`] and
//! implements [`VoteStore`] once, and [`commit_batch`] is the part of a
//! batch that comes after the votes are in. Each query is one string in the
//! subset of SQL both databases read the same way:
//!
//! - `$N` placeholders: sqlx's SQLite driver binds `$N` exactly like `?N`;
//! - `TRUE` and `NOT hidden` for the boolean column (SQLite stores 1 and 0,
//!   which is what the schema's `CHECK (hidden IN (0, 1))` asks for);
//! - `ON CONFLICT … DO UPDATE SET n = picks.n + excluded.n`: PostgreSQL
//!   needs the table name there, SQLite accepts it.
//!
//! What really differs stays in the backend's module: opening a database,
//! and how a batch's votes get their ids (SQLite numbers them itself so a
//! batch is a few multi-row `INSERT`s; PostgreSQL inserts them one by one in
//! lock order with `RETURNING id` and retries a lost lock race).
//!
//! The `where` clauses name the Rust types each function binds or reads,
//! so the compiler checks every bind and every read against both backends;
//! the conformance suite (`tests/conformance.rs`) runs every query on both.

use std::collections::BTreeMap;
use std::fmt;

use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row as _, Type};

use crate::batch::Batcher;
use crate::{
    Choice, ListFilter, NewVote, Recorded, Result, StoreError, Tally, Vote, VoteId, VoteStore,
    day_before, random_salt,
};

/// A database verdict keeps votes in.
pub(crate) trait Backend: Database {
    /// The store's name in `Debug` output: `SqliteStore`, `PgStore`.
    const STORE: &'static str;
    /// The name of [`Backend::Location`] in `Debug` output: `path`, `url`.
    const LOCATION: &'static str;
    /// Where the database is, as `Debug` shows it (never with a password).
    type Location: fmt::Debug + Send + Sync;

    /// Rows an `INSERT`, `UPDATE` or `DELETE` touched (sqlx has no trait
    /// for it).
    fn rows_affected(done: &Self::QueryResult) -> u64;
}

/// Votes in a SQL database: a small pool for reads, and the group-commit
/// writers for votes.
pub(crate) struct SqlStore<DB: Backend> {
    location: DB::Location,
    pool: Pool<DB>,
    writer: Batcher,
}

impl<DB: Backend> SqlStore<DB> {
    /// A store over an opened, migrated database.
    pub(crate) fn new(location: DB::Location, pool: Pool<DB>, writer: Batcher) -> SqlStore<DB> {
        SqlStore {
            location,
            pool,
            writer,
        }
    }
}

impl<DB: Backend> fmt::Debug for SqlStore<DB> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(DB::STORE)
            .field(DB::LOCATION, &self.location)
            .finish_non_exhaustive()
    }
}

pub(crate) fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_sqlx(e)
}

/// A count read back from the database (never negative).
pub(crate) fn u64_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The rest of a batch once its votes are inserted (`ids[i]` is the id of
/// `votes[i]`, `None` where it was refused): adds the stored votes to the
/// running tallies (in comparison order, so concurrent batches lock rows in
/// the same order) and picks, commits, and answers each vote with its id
/// and its comparison's counts as of this commit.
pub(crate) async fn commit_batch<DB>(
    mut tx: sqlx::Transaction<'_, DB>,
    votes: &[NewVote],
    ids: Vec<Option<VoteId>>,
) -> Result<Vec<Option<Recorded>>, sqlx::Error>
where
    DB: Database,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    i64: for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    let mut counts: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    let mut picks: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for (v, _) in votes.iter().zip(&ids).filter(|(_, id)| id.is_some()) {
        let c = counts.entry(&v.comparison).or_default();
        match v.choice {
            Choice::Agree => c.0 += 1,
            Choice::Disagree => c.1 += 1,
        }
        if let Some(p) = &v.would_pick {
            *picks.entry((&v.comparison, p)).or_default() += 1;
        }
    }
    let mut now: BTreeMap<&str, Tally> = BTreeMap::new();
    for (comparison, (agree, disagree)) in counts {
        let (a, d): (i64, i64) = sqlx::query_as(
            "INSERT INTO tallies (comparison, agree, disagree) VALUES ($1, $2, $3) \
             ON CONFLICT (comparison) DO UPDATE SET agree = tallies.agree + excluded.agree, \
             disagree = tallies.disagree + excluded.disagree RETURNING agree, disagree",
        )
        .bind(comparison)
        .bind(agree)
        .bind(disagree)
        .fetch_one(&mut *tx)
        .await?;
        now.insert(
            comparison,
            Tally {
                agree: u64_of(a),
                disagree: u64_of(d),
                picks: Vec::new(),
            },
        );
    }
    for ((comparison, topic), n) in picks {
        sqlx::query(
            "INSERT INTO picks (comparison, topic, n) VALUES ($1, $2, $3) \
             ON CONFLICT (comparison, topic) DO UPDATE SET n = picks.n + excluded.n",
        )
        .bind(comparison)
        .bind(topic)
        .bind(n)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(ids
        .into_iter()
        .zip(votes)
        .map(|(id, v)| {
            id.map(|id| Recorded {
                id,
                tally: now.get(v.comparison.as_str()).cloned().unwrap_or_default(),
            })
        })
        .collect())
}

/// A `votes` row as moderators see it (the columns [`VoteStore::list`]
/// selects).
fn vote_from_row<DB>(row: &DB::Row) -> Result<Vote>
where
    DB: Database,
    for<'n> &'n str: ColumnIndex<DB::Row>,
    i64: for<'r> Decode<'r, DB> + Type<DB>,
    String: for<'r> Decode<'r, DB> + Type<DB>,
    bool: for<'r> Decode<'r, DB> + Type<DB>,
{
    let choice: String = row.try_get("choice").map_err(db)?;
    Ok(Vote {
        id: row.try_get("id").map_err(db)?,
        comparison: row.try_get("comparison").map_err(db)?,
        choice: Choice::parse(&choice)
            .ok_or_else(|| StoreError::Other(format!("stored choice `{choice}` is unknown")))?,
        would_pick: row.try_get("would_pick").map_err(db)?,
        reason: row.try_get("reason").map_err(db)?,
        day: row.try_get("day").map_err(db)?,
        created_at: row.try_get("created_at").map_err(db)?,
        hidden: row.try_get("hidden").map_err(db)?,
    })
}

#[async_trait::async_trait]
impl<DB> VoteStore for SqlStore<DB>
where
    DB: Backend,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    usize: ColumnIndex<DB::Row>,
    for<'n> &'n str: ColumnIndex<DB::Row>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> &'q [u8]: Encode<'q, DB> + Type<DB>,
    i64: for<'q> Encode<'q, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    String: for<'r> Decode<'r, DB> + Type<DB>,
    Vec<u8>: for<'r> Decode<'r, DB> + Type<DB>,
    bool: for<'r> Decode<'r, DB> + Type<DB>,
{
    async fn record(&self, vote: NewVote) -> Result<Recorded> {
        self.writer.submit(vote).await
    }

    async fn tally(&self, comparison: &str) -> Result<Tally> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let counts: Option<(i64, i64)> =
            sqlx::query_as("SELECT agree, disagree FROM tallies WHERE comparison = $1")
                .bind(comparison)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        let Some((agree, disagree)) = counts else {
            return Ok(Tally::default());
        };
        let picks: Vec<(String, i64)> = sqlx::query_as(
            "SELECT topic, n FROM picks WHERE comparison = $1 AND n > 0 ORDER BY n DESC, topic",
        )
        .bind(comparison)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?;
        Ok(Tally {
            agree: u64_of(agree),
            disagree: u64_of(disagree),
            picks: picks.into_iter().map(|(t, n)| (t, u64_of(n))).collect(),
        })
    }

    async fn tallies(&self) -> Result<Vec<(String, Tally)>> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT comparison, agree, disagree FROM tallies WHERE agree + disagree > 0 ORDER BY comparison",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(c, a, d)| {
                (
                    c,
                    Tally {
                        agree: u64_of(a),
                        disagree: u64_of(d),
                        picks: Vec::new(),
                    },
                )
            })
            .collect())
    }

    async fn list(&self, filter: &ListFilter) -> Result<Vec<Vote>> {
        let mut sql = String::from(
            "SELECT id, comparison, choice, would_pick, reason, day, created_at, hidden FROM votes WHERE TRUE",
        );
        let mut n = 0;
        let mut param = || {
            n += 1;
            format!("${n}")
        };
        if filter.comparison.is_some() {
            sql.push_str(&format!(" AND comparison = {}", param()));
        }
        if !filter.include_hidden {
            sql.push_str(" AND NOT hidden");
        }
        if filter.with_reason {
            sql.push_str(" AND reason IS NOT NULL");
        }
        if filter.before.is_some() {
            sql.push_str(&format!(" AND id < {}", param()));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", param()));
        let mut query = sqlx::query(&sql);
        if let Some(c) = &filter.comparison {
            query = query.bind(c.as_str());
        }
        if let Some(b) = filter.before {
            query = query.bind(b);
        }
        let rows = query
            .bind(i64::from(filter.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(vote_from_row::<DB>).collect()
    }

    async fn hide(&self, id: VoteId) -> Result<()> {
        let now = jiff::Timestamp::now().as_second();
        let done = sqlx::query(
            "UPDATE votes SET hidden = TRUE, hidden_at = COALESCE(hidden_at, $2) WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if DB::rows_affected(&done) == 0 {
            return Err(StoreError::NotFound(format!("vote `{id}` does not exist")));
        }
        Ok(())
    }

    async fn daily_salt(&self, day: &str) -> Result<[u8; 32]> {
        let fresh = random_salt()?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let made =
            sqlx::query("INSERT INTO salts (day, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(day)
                .bind(&fresh[..])
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        if DB::rows_affected(&made) == 1 {
            let keep_from = day_before(day);
            sqlx::query("DELETE FROM salts WHERE day < $1")
                .bind(keep_from.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("UPDATE votes SET reader = NULL WHERE reader IS NOT NULL AND day < $1")
                .bind(keep_from.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let salt: Vec<u8> = sqlx::query_scalar("SELECT salt FROM salts WHERE day = $1")
            .bind(day)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        tx.commit().await.map_err(db)?;
        salt.try_into()
            .map_err(|_| StoreError::Other(format!("the salt for {day} is not 32 bytes")))
    }

    async fn health(&self) -> Result<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}
