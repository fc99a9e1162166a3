//! The embedded default: one SQLite file in WAL mode.
//!
//! Writes go through one dedicated connection fed by the group-commit
//! [`Batcher`], a batch at a time in multi-row `INSERT`s; reads use a small
//! pool (WAL lets readers run beside the writer). `synchronous=FULL`: every commit is fsynced before any vote in
//! it is acknowledged, so an acknowledged vote survives a power cut, not
//! just a killed process. Group commit makes that affordable: one fsync per
//! batch, not per vote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{Connection as _, Row as _};

use crate::batch::{BatchWriter, Batcher};
use crate::{
    Choice, ListFilter, NewVote, Open, Recorded, Result, StoreError, Tally, Vote, VoteId,
    VoteStore, day_before, day_of, migrate, random_salt,
};

/// How long a connection waits for another one's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Votes in a SQLite file.
pub struct SqliteStore {
    path: PathBuf,
    pool: SqlitePool,
    writer: Batcher,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_sqlx(e)
}

impl SqliteStore {
    /// Opens (or, with [`Open::CreateIfMissing`], creates) the file at
    /// `path`, switches it to WAL and applies pending migrations.
    pub async fn open(path: &Path, how: Open) -> Result<SqliteStore> {
        if !path.exists() {
            match how {
                Open::MustExist => {
                    return Err(StoreError::NotFound(format!(
                        "there is no vote database at `{}`; `verdict serve --database {}` creates it",
                        path.display(),
                        path.display()
                    )));
                }
                Open::CreateIfMissing => {
                    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                        std::fs::create_dir_all(parent).map_err(|e| {
                            StoreError::Unavailable(format!(
                                "cannot create the folder `{}`: {e}",
                                parent.display()
                            ))
                        })?;
                    }
                }
            }
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(db)?
            .filename(path)
            .create_if_missing(how == Open::CreateIfMissing)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT);
        let mut writer = SqliteConnection::connect_with(&options)
            .await
            .map_err(|e| {
                let e = db(e);
                StoreError::Unavailable(format!("cannot open `{}`: {e}", path.display()))
            })?;
        let migrator = migrate::migrator(migrate::SQLITE).await?;
        migrator.run(&mut writer).await.map_err(migrate::error)?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(0)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options.read_only(false))
            .await
            .map_err(db)?;
        Ok(SqliteStore {
            path: path.to_owned(),
            pool,
            writer: Batcher::start(vec![SqliteWriter { conn: writer }]),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

struct SqliteWriter {
    conn: SqliteConnection,
}

/// Rows per INSERT statement: a batch is cut into these sizes, so only four
/// statements are ever prepared.
const INSERT_ROWS: [usize; 4] = [64, 16, 4, 1];

fn insert_sql(rows: usize) -> &'static str {
    static SQL: std::sync::LazyLock<Vec<(usize, String)>> = std::sync::LazyLock::new(|| {
        INSERT_ROWS
            .iter()
            .map(|&n| {
                let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?)"; n].join(", ");
                let sql = format!(
                    "INSERT INTO votes (id, comparison, choice, would_pick, reason, reader, day, created_at) \
                     VALUES {values} ON CONFLICT DO NOTHING"
                );
                (n, sql)
            })
            .collect()
    });
    SQL.iter()
        .find(|(n, _)| *n == rows)
        .map_or("", |(_, s)| s.as_str())
}

impl BatchWriter for SqliteWriter {
    async fn write(&mut self, votes: &[NewVote]) -> Result<Vec<Option<Recorded>>> {
        // IMMEDIATE takes the write lock now, so the id read below stays
        // right even when another process writes to the same file.
        let mut tx = self.conn.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM votes")
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
        // Multi-row INSERTs with ids given in batch order: a few statements
        // per batch instead of one per vote. A vote that breaks the
        // one-per-reader-per-day index is skipped (DO NOTHING), and the ids
        // that exist afterwards say which ones were stored.
        let mut start = 0;
        while start < votes.len() {
            let rows = INSERT_ROWS
                .into_iter()
                .find(|&n| n <= votes.len() - start)
                .unwrap_or(1);
            let mut query = sqlx::query(insert_sql(rows));
            for (k, v) in votes[start..start + rows].iter().enumerate() {
                query = query
                    .bind(before + (start + k) as i64 + 1)
                    .bind(&v.comparison)
                    .bind(v.choice.as_str())
                    .bind(v.would_pick.as_deref())
                    .bind(v.reason.as_deref())
                    .bind(v.reader.as_deref())
                    .bind(day_of(v.at))
                    .bind(v.at.as_second());
            }
            query.execute(&mut *tx).await.map_err(db)?;
            start += rows;
        }
        let stored: std::collections::HashSet<i64> =
            sqlx::query_scalar("SELECT id FROM votes WHERE id > ?1")
                .bind(before)
                .fetch_all(&mut *tx)
                .await
                .map_err(db)?
                .into_iter()
                .collect();
        let mut ids = Vec::with_capacity(votes.len());
        let mut counts: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        let mut picks: BTreeMap<(&str, &str), i64> = BTreeMap::new();
        for (k, v) in votes.iter().enumerate() {
            let id = before + k as i64 + 1;
            let id = stored.contains(&id).then_some(id);
            if id.is_some() {
                let c = counts.entry(&v.comparison).or_default();
                match v.choice {
                    Choice::Agree => c.0 += 1,
                    Choice::Disagree => c.1 += 1,
                }
                if let Some(p) = &v.would_pick {
                    *picks.entry((&v.comparison, p)).or_default() += 1;
                }
            }
            ids.push(id);
        }
        let mut now: BTreeMap<&str, Tally> = BTreeMap::new();
        for (comparison, (agree, disagree)) in counts {
            let (a, d): (i64, i64) = sqlx::query_as(
                "INSERT INTO tallies (comparison, agree, disagree) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (comparison) DO UPDATE SET agree = agree + excluded.agree, disagree = disagree + excluded.disagree \
                 RETURNING agree, disagree",
            )
            .bind(comparison)
            .bind(agree)
            .bind(disagree)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
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
                "INSERT INTO picks (comparison, topic, n) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (comparison, topic) DO UPDATE SET n = n + excluded.n",
            )
            .bind(comparison)
            .bind(topic)
            .bind(n)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
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
}

fn vote_from_row(row: &SqliteRow) -> Result<Vote> {
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

pub(crate) fn u64_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[async_trait::async_trait]
impl VoteStore for SqliteStore {
    async fn record(&self, vote: NewVote) -> Result<Recorded> {
        self.writer.submit(vote).await
    }

    async fn tally(&self, comparison: &str) -> Result<Tally> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let counts: Option<(i64, i64)> =
            sqlx::query_as("SELECT agree, disagree FROM tallies WHERE comparison = ?1")
                .bind(comparison)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db)?;
        let Some((agree, disagree)) = counts else {
            return Ok(Tally::default());
        };
        let picks: Vec<(String, i64)> = sqlx::query_as(
            "SELECT topic, n FROM picks WHERE comparison = ?1 AND n > 0 ORDER BY n DESC, topic",
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
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT comparison, agree, disagree FROM tallies WHERE agree + disagree > 0 ORDER BY comparison")
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
            "SELECT id, comparison, choice, would_pick, reason, day, created_at, hidden FROM votes WHERE 1 = 1",
        );
        if filter.comparison.is_some() {
            sql.push_str(" AND comparison = ?");
        }
        if !filter.include_hidden {
            sql.push_str(" AND hidden = 0");
        }
        if filter.with_reason {
            sql.push_str(" AND reason IS NOT NULL");
        }
        if filter.before.is_some() {
            sql.push_str(" AND id < ?");
        }
        sql.push_str(" ORDER BY id DESC LIMIT ?");
        let mut query = sqlx::query(&sql);
        if let Some(c) = &filter.comparison {
            query = query.bind(c);
        }
        if let Some(b) = filter.before {
            query = query.bind(b);
        }
        let rows = query
            .bind(i64::from(filter.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(db)?;
        rows.iter().map(vote_from_row).collect()
    }

    async fn hide(&self, id: VoteId) -> Result<()> {
        let now = jiff::Timestamp::now().as_second();
        let done = sqlx::query(
            "UPDATE votes SET hidden = 1, hidden_at = COALESCE(hidden_at, ?2) WHERE id = ?1",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(db)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("vote `{id}` does not exist")));
        }
        Ok(())
    }

    async fn daily_salt(&self, day: &str) -> Result<[u8; 32]> {
        let fresh = random_salt()?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let made =
            sqlx::query("INSERT INTO salts (day, salt) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .bind(day)
                .bind(&fresh[..])
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        if made.rows_affected() == 1 {
            let keep_from = day_before(day);
            sqlx::query("DELETE FROM salts WHERE day < ?1")
                .bind(&keep_from)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("UPDATE votes SET reader = NULL WHERE reader IS NOT NULL AND day < ?1")
                .bind(&keep_from)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        let salt: Vec<u8> = sqlx::query_scalar("SELECT salt FROM salts WHERE day = ?1")
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
