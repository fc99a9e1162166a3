//! The embedded default: one SQLite file in WAL mode.
//!
//! Writes go through one dedicated connection fed by the group-commit
//! [`Batcher`], a batch at a time in multi-row `INSERT`s; reads use a small
//! pool (WAL lets readers run beside the writer). `synchronous=FULL`: every commit is fsynced before any vote in
//! it is acknowledged, so an acknowledged vote survives a power cut, not
//! just a killed process. Group commit makes that affordable: one fsync per
//! batch, not per vote.
//!
//! Everything but opening and inserting a batch's votes is shared with
//! PostgreSQL (`sql.rs`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions,
    SqliteQueryResult, SqliteSynchronous,
};

use crate::batch::{BatchWriter, Batcher};
use crate::sql::{Backend, SqlStore, commit_batch, db};
use crate::{NewVote, Open, Recorded, Result, StoreError, VoteId, day_of, migrate};

/// How long a connection waits for another one's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A SQLite store is a file, shown by its path.
impl Backend for Sqlite {
    const STORE: &'static str = "SqliteStore";
    const LOCATION: &'static str = "path";
    type Location = PathBuf;

    fn rows_affected(done: &SqliteQueryResult) -> u64 {
        done.rows_affected()
    }
}

/// Opens (or, with [`Open::CreateIfMissing`], creates) the file at `path`,
/// switches it to WAL and applies pending migrations.
pub(crate) async fn open(path: &Path, how: Open) -> Result<SqlStore<Sqlite>> {
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
    Ok(SqlStore::new(
        path.to_owned(),
        pool,
        Batcher::start(vec![SqliteWriter { conn: writer }]),
    ))
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
        // IMMEDIATE takes the write lock now, so the ids numbered below stay
        // right even when another process writes to the same file.
        let mut tx = self.conn.begin_with("BEGIN IMMEDIATE").await.map_err(db)?;
        let ids = insert_numbered(&mut tx, votes).await.map_err(db)?;
        commit_batch(tx, votes, ids).await.map_err(db)
    }
}

/// Inserts `votes` with ids given in batch order after the highest id so
/// far, and returns each vote's id (`None` where it was refused). Needs the
/// write lock held, so that nobody else takes those ids.
///
/// Multi-row INSERTs: a few statements per batch instead of one per vote.
/// A vote that breaks the one-per-reader-per-day index is skipped (DO
/// NOTHING), and the ids that exist afterwards say which ones were stored.
async fn insert_numbered(
    conn: &mut SqliteConnection,
    votes: &[NewVote],
) -> Result<Vec<Option<VoteId>>, sqlx::Error> {
    let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM votes")
        .fetch_one(&mut *conn)
        .await?;
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
        query.execute(&mut *conn).await?;
        start += rows;
    }
    let stored: HashSet<i64> = sqlx::query_scalar("SELECT id FROM votes WHERE id > ?1")
        .bind(before)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    Ok((1..=votes.len() as i64)
        .map(|k| Some(before + k).filter(|id| stored.contains(id)))
        .collect())
}
