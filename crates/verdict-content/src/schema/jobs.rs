//! jobs.toml and jobs/*.toml (read by `load/jobs.rs`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::values::{Slug, Text};

/// The jobs topics do: topics that share a job are alternatives, and only
/// alternatives get a pick.
///
/// The files are `content/jobs.toml` and, split by area, `content/jobs/*.toml`:
/// one `[<job-id>]` table per job, each id defined once across them. Topics
/// name their jobs in `jobs = ["<job-id>"]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
#[schemars(title = "verdict jobs")]
pub struct JobsFile(pub BTreeMap<Slug, Job>);

/// A job. Its key is its id, the slug topics name in `jobs`. Example:
/// `[container-orchestration]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
pub struct Job {
    /// What the job is, in lowercase with no full stop, reading after "is
    /// for" (`"metrics and alerting"`: "Prometheus is for metrics and
    /// alerting") or, starting with "a"/"an", after "is" (`"a career
    /// path"`).
    pub label: Text,
}
