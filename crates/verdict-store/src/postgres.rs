//! PostgreSQL, for several `verdict serve` processes sharing one database.
//!
//! The same group commit as SQLite, with a few writer connections per
//! process so that network round trips overlap. Each batch inserts its
//! votes in a fixed order (comparison, then reader hash) and updates tally
//! rows in comparison order, so concurrent batches — from this process or
//! another — lock rows in the same order and cannot deadlock; a batch that
//! still hits a serialization failure or deadlock is retried.

use std::collections::BTreeMap;
use std::str::FromStr as _;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection as _, Row as _};

use crate::batch::{BatchWriter, Batcher};
use crate::sqlite::u64_of;
use crate::{
    Choice, ListFilter, NewVote, Recorded, Result, StoreError, Tally, Vote, VoteId, VoteStore,
    day_before, day_of, migrate, random_salt, redact_url,
};

/// Writer connections per process.
const WRITERS: usize = 4;
/// Attempts for a batch that lost a deadlock or serialization race.
const ATTEMPTS: usize = 3;

/// Votes in PostgreSQL.
pub struct PgStore {
    shown: String,
    pool: PgPool,
    writer: Batcher,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::from_sqlx(e)
}

fn retryable(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.code().is_some_and(|c| c == "40001" || c == "40P01"))
}

impl PgStore {
    /// Connects to `url` (`postgres://…`; `?options[search_path]=s` picks a
    /// schema) and applies pending migrations.
    pub async fn open(url: &str) -> Result<PgStore> {
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
        Ok(PgStore {
            shown,
            pool,
            writer: Batcher::start(writers),
        })
    }
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
        let mut ids: Vec<Option<VoteId>> = vec![None; votes.len()];
        let mut counts: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        let mut picks: BTreeMap<(&str, &str), i64> = BTreeMap::new();
        for &i in order {
            let v = &votes[i];
            let id: Option<i64> = sqlx::query_scalar(
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
            .fetch_optional(&mut *tx)
            .await?;
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
            ids[i] = id;
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

fn vote_from_row(row: &PgRow) -> Result<Vote> {
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
impl VoteStore for PgStore {
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
            "UPDATE votes SET hidden = TRUE, hidden_at = COALESCE(hidden_at, $2) WHERE id = $1",
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
            sqlx::query("INSERT INTO salts (day, salt) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(day)
                .bind(&fresh[..])
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        if made.rows_affected() == 1 {
            let keep_from = day_before(day);
            sqlx::query("DELETE FROM salts WHERE day < $1")
                .bind(&keep_from)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            sqlx::query("UPDATE votes SET reader = NULL WHERE reader IS NOT NULL AND day < $1")
                .bind(&keep_from)
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
