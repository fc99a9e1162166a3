//! Versioned migrations, compiled in and applied at start.
//!
//! sqlx records applied versions (with a checksum) in `_sqlx_migrations`;
//! a migration that was edited after it ran is an error, so a schema change
//! is always a new file. Each backend has its own folder because the SQL
//! dialects differ, but the versions move together.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

/// `(version, description, sql)`.
type Script = (i64, &'static str, &'static str);

pub const SQLITE: &[Script] = &[(
    1,
    "votes",
    include_str!("../migrations/sqlite/0001_votes.sql"),
)];

pub const POSTGRES: &[Script] = &[(
    1,
    "votes",
    include_str!("../migrations/postgres/0001_votes.sql"),
)];

#[derive(Debug)]
struct Embedded(&'static [Script]);

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 'static>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

pub async fn migrator(scripts: &'static [Script]) -> Result<Migrator, crate::StoreError> {
    Migrator::new(Embedded(scripts))
        .await
        .map_err(|e| crate::StoreError::Other(format!("cannot read the migrations: {e}")))
}

pub fn error(e: sqlx::migrate::MigrateError) -> crate::StoreError {
    use sqlx::migrate::MigrateError as M;
    match e {
        M::Execute(e) => crate::StoreError::from_sqlx(e),
        M::VersionMissing(v) => crate::StoreError::Other(format!(
            "the database has migration {v}, which this build of verdict does not know; run a newer verdict"
        )),
        other => crate::StoreError::Other(format!("migrating the vote database failed: {other}")),
    }
}
