//! Helpers for tests that need a real PostgreSQL: a fresh schema per test
//! (crates.io's `crates_io_test_db` idea), so tests run in parallel and
//! never see each other's rows.
//!
//! Only built with the `testing` feature, which test code turns on in its
//! `[dev-dependencies]`; no production build has this module.

use std::io::Write as _;
use std::str::FromStr as _;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection as _;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::{Result, StoreError};

/// The variable naming the test server, e.g.
/// `postgres://postgres@127.0.0.1:5432/test`.
pub const TEST_DATABASE_ENV: &str = "VERDICT_TEST_DATABASE_URL";

/// The test server's URL, or `None` after printing that `test` is skipped.
pub fn postgres_url_or_skip(test: &str) -> Option<String> {
    match std::env::var(TEST_DATABASE_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            // Straight to the stream, not `eprintln!`: the test harness
            // captures that for passing tests, and a skip must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test} (PostgreSQL): set {TEST_DATABASE_ENV}, e.g. postgres://postgres@127.0.0.1:5432/test"
            );
            None
        }
    }
}

/// An empty schema of its own on the test server.
#[derive(Debug)]
pub struct PgSchema {
    base: String,
    pub name: String,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Schemas older than this (seconds) are left over from killed runs.
const STALE_AFTER: i64 = 3600;

impl PgSchema {
    /// Creates `verdict_test_<time>_<pid>_<n>` on the server at `base`, and
    /// drops schemas that earlier, interrupted runs left behind.
    pub async fn create(base: &str) -> Result<PgSchema> {
        let now = jiff::Timestamp::now().as_second();
        let name = format!(
            "verdict_test_{now}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = connect(base).await?;
        let old: Vec<String> = sqlx::query_scalar(
            "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'verdict\\_test\\_%'",
        )
        .fetch_all(&mut conn)
        .await
        .map_err(StoreError::from_sqlx)?;
        for schema in old {
            let born: Option<i64> = schema.split('_').nth(2).and_then(|t| t.parse().ok());
            if born.is_some_and(|b| now - b > STALE_AFTER) {
                let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                    .execute(&mut conn)
                    .await;
            }
        }
        sqlx::query(&format!("CREATE SCHEMA \"{name}\""))
            .execute(&mut conn)
            .await
            .map_err(StoreError::from_sqlx)?;
        Ok(PgSchema {
            base: base.to_owned(),
            name,
        })
    }

    /// The server URL with this schema as the search path.
    pub fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options[search_path]={}", self.base, self.name)
    }

    /// Drops the schema and everything in it.
    pub async fn drop_schema(self) -> Result<()> {
        let mut conn = connect(&self.base).await?;
        sqlx::query(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name))
            .execute(&mut conn)
            .await
            .map_err(StoreError::from_sqlx)?;
        Ok(())
    }
}

async fn connect(url: &str) -> Result<PgConnection> {
    let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Other(e.to_string()))?;
    PgConnection::connect_with(&options)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot connect to the test server: {e}")))
}
