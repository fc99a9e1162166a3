//! PostgreSQL, for several `verdict serve` processes sharing one database.
//!
//! The same group commit as SQLite, with a few writer connections per
//! process so that network round trips overlap. Each batch inserts its
//! votes in a fixed order (comparison, then reader hash) and updates tally
//! rows in comparison order, so concurrent batches — from this process or
//! another — lock rows in the same order and cannot deadlock; a batch that
//! still hits a serialization failure or deadlock is retried.
//!
//! Everything but opening and inserting a batch's votes is shared with
//! SQLite (`sql.rs`).

use std::str::FromStr as _;
use std::time::Duration;

use sqlx::Connection as _;
use sqlx::Postgres;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions, PgQueryResult};

use crate::batch::{BatchWriter, Batcher};
use crate::sql::{Backend, SqlStore, commit_batch, db};
use crate::{NewVote, Recorded, Result, StoreError, VoteId, day_of, migrate, redact_url};

/// Writer connections per process.
const WRITERS: usize = 4;
/// Attempts for a batch that lost a deadlock or serialization race.
const ATTEMPTS: usize = 3;

/// A PostgreSQL store is shown by its URL, password hidden.
impl Backend for Postgres {
    const STORE: &'static str = "PgStore";
    const LOCATION: &'static str = "url";
    type Location = String;

    fn rows_affected(done: &PgQueryResult) -> u64 {
        done.rows_affected()
    }
}

fn retryable(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| c == "40001" || c == "40P01"))
}

/// Connects to `url` (`postgres://…`; `?options[search_path]=s` picks a
/// schema) and applies pending migrations.
pub(crate) async fn open(url: &str) -> Result<SqlStore<Postgres>> {
    let shown = redact_url(url);
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("`{shown}` is not a PostgreSQL URL: {e}")))?
        .application_name("verdict");
    let unreachable =
        |e: sqlx::Error| StoreError::Unavailable(format!("cannot connect to `{shown}`: {e}"));
    let mut first = PgConnection::connect_with(&options)
        .await
        .map_err(unreachable)?;
    // Several servers may start at once: sqlx takes an advisory lock.
    let migrator = migrate::migrator(migrate::POSTGRES).await?;
    migrator.run(&mut first).await.map_err(migrate::error)?;
    let mut writers = vec![PgWriter {
        conn: first,
        options: options.clone(),
    }];
    for _ in 1..WRITERS {
        let conn = PgConnection::connect_with(&options)
            .await
            .map_err(unreachable)?;
        writers.push(PgWriter {
            conn,
            options: options.clone(),
        });
    }
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .min_connections(0)
        // Reads give up sooner than writes: a page waits for them.
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(options)
        .await
        .map_err(unreachable)?;
    Ok(SqlStore::new(shown, pool, Batcher::start(writers)))
}

struct PgWriter {
    conn: PgConnection,
    options: PgConnectOptions,
}

impl PgWriter {
    async fn attempt(
        &mut self,
        votes: &[NewVote],
        order: &[usize],
    ) -> Result<Vec<Option<Recorded>>, sqlx::Error> {
        let mut tx = self.conn.begin().await?;
        let ids = insert_in_order(&mut tx, votes, order).await?;
        commit_batch(tx, votes, ids).await
    }
}

/// Inserts `votes` in `order`, and returns each vote's id (`None` where it
/// was refused), indexed like `votes`.
async fn insert_in_order(
    conn: &mut PgConnection,
    votes: &[NewVote],
    order: &[usize],
) -> Result<Vec<Option<VoteId>>, sqlx::Error> {
    let mut ids: Vec<Option<VoteId>> = vec![None; votes.len()];
    for &i in order {
        let v = &votes[i];
        ids[i] = sqlx::query_scalar(
            "INSERT INTO votes (comparison, choice, would_pick, reason, reader, day, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(&v.comparison)
        .bind(v.choice.as_str())
        .bind(v.would_pick.as_deref())
        .bind(v.reason.as_deref())
        .bind(v.reader.as_deref())
        .bind(day_of(v.at))
        .bind(v.at.as_second())
        .fetch_optional(&mut *conn)
        .await?;
    }
    Ok(ids)
}

impl BatchWriter for PgWriter {
    async fn write(&mut self, votes: &[NewVote]) -> Result<Vec<Option<Recorded>>> {
        let mut order: Vec<usize> = (0..votes.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&votes[a], &votes[b]);
            (&a.comparison, day_of(a.at), &a.reader).cmp(&(&b.comparison, day_of(b.at), &b.reader))
        });
        let mut tries = 0;
        loop {
            tries += 1;
            match self.attempt(votes, &order).await {
                Ok(ids) => return Ok(ids),
                Err(e) if retryable(&e) && tries < ATTEMPTS => {
                    tracing::debug!(error = %e, "vote batch lost a lock race; retrying");
                }
                Err(e) => {
                    // A lost connection would fail every later batch: make a
                    // new one now (if that fails too, the next batch retries).
                    if self.conn.ping().await.is_err()
                        && let Ok(conn) = PgConnection::connect_with(&self.options).await
                    {
                        self.conn = conn;
                    }
                    return Err(db(e));
                }
            }
        }
    }
}
