//! The shape of each kind of content file as Rust types, and the JSON
//! Schemas generated from them (the `schema` feature).
//!
//! The loader does not read content through these types: it reads each
//! file by hand over a span-keeping table (`reader.rs`) so that it can
//! report every problem with its line. These types describe the same
//! shape for editors: their doc comments become the schemas' descriptions,
//! which Taplo-based editors show as hover help, and the schemas are
//! committed under `schemas/` at the repository root, mapped to `content/`
//! by `.taplo.toml`.
//!
//! Nothing keeps hand-written loaders and types in step by construction, so
//! `tests/schema.rs` does: each table's keys in the schema are exactly the
//! keys the loader names when it reports an unknown one, every file of the
//! bundled catalog deserialises into its type and validates against its
//! committed schema, the broken fixtures are rejected where a schema can
//! say what is wrong, and the committed files are what [`FileKind::render`]
//! gives (`UPDATE_SCHEMAS=1 cargo test -p verdict-content --test schema`
//! rewrites them).
//!
//! A schema accepts everything `verdict check` accepts, and rejects what
//! can be said about one file alone: unknown keys, missing ones, wrong
//! types, values out of range, malformed slugs and dates. References to
//! other files (a topic's category, jobs, related topics; an editorial's
//! pick) and the prose rules stay `verdict check`'s.

pub mod criteria;
pub mod editorial;
pub mod evidence;
pub mod jobs;
pub mod topic;
pub mod values;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A kind of content file; each has its own type and schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `topics/<category>/<slug>.toml`: [`topic::TopicFile`].
    Topic,
    /// `comparisons/<a>--<b>.toml`: [`editorial::EditorialFile`].
    Editorial,
    /// `criteria.toml`: [`criteria::CriteriaFile`].
    Criteria,
    /// `categories.toml`: [`criteria::CategoriesFile`].
    Categories,
    /// `jobs.toml` and `jobs/*.toml`: [`jobs::JobsFile`].
    Jobs,
    /// `evidence/<registry>.toml`: [`evidence::EvidenceFile`].
    Evidence,
    /// `evidence/git/<topic>.toml`: [`evidence::ActivityFile`].
    Activity,
}

impl FileKind {
    pub const ALL: [FileKind; 7] = [
        FileKind::Topic,
        FileKind::Editorial,
        FileKind::Criteria,
        FileKind::Categories,
        FileKind::Jobs,
        FileKind::Evidence,
        FileKind::Activity,
    ];

    /// The schema's file name under `schemas/`.
    pub fn schema_file(self) -> &'static str {
        match self {
            FileKind::Topic => "topic.schema.json",
            FileKind::Editorial => "comparison.schema.json",
            FileKind::Criteria => "criteria.schema.json",
            FileKind::Categories => "categories.schema.json",
            FileKind::Jobs => "jobs.schema.json",
            FileKind::Evidence => "evidence.schema.json",
            FileKind::Activity => "activity.schema.json",
        }
    }

    /// The kind of the content file at `path` (relative to the content
    /// root, `/` separators), decided as the loader decides which reader
    /// gets a file; `None` for a file it does not read.
    pub fn of_path(path: &str) -> Option<FileKind> {
        let kind = match path {
            "criteria.toml" => FileKind::Criteria,
            "categories.toml" => FileKind::Categories,
            "jobs.toml" => FileKind::Jobs,
            p if p.starts_with("jobs/") => FileKind::Jobs,
            p if p.starts_with("topics/") => FileKind::Topic,
            p if p.starts_with("comparisons/") => FileKind::Editorial,
            p if p.starts_with(crate::activity::DIR) => FileKind::Activity,
            p if p.starts_with("evidence/") => FileKind::Evidence,
            _ => return None,
        };
        path.ends_with(".toml").then_some(kind)
    }

    /// The JSON Schema, draft 7: the newest draft Taplo's validator
    /// implements, so every editor built on it reads all of it.
    pub fn schema(self) -> Value {
        match self {
            FileKind::Topic => generate::<topic::TopicFile>(),
            FileKind::Editorial => generate::<editorial::EditorialFile>(),
            FileKind::Criteria => generate::<criteria::CriteriaFile>(),
            FileKind::Categories => generate::<criteria::CategoriesFile>(),
            FileKind::Jobs => generate::<jobs::JobsFile>(),
            FileKind::Evidence => generate::<evidence::EvidenceFile>(),
            FileKind::Activity => generate::<evidence::ActivityFile>(),
        }
    }

    /// The schema file's text: pretty JSON with keys sorted, whatever
    /// serde_json's map order, so the committed bytes never depend on
    /// which crates a build unifies features with.
    pub fn render(self) -> String {
        let mut text = serde_json::to_string_pretty(&sorted(self.schema()))
            .expect("a JSON value always serialises");
        text.push('\n');
        text
    }

    /// Reads `text` into this kind's type, or says why it does not fit.
    pub fn deserialize(self, text: &str) -> Result<(), String> {
        match self {
            FileKind::Topic => read::<topic::TopicFile>(text).map(drop),
            FileKind::Editorial => {
                read::<editorial::EditorialFile>(text).and_then(|e| e.check_pick())
            }
            FileKind::Criteria => read::<criteria::CriteriaFile>(text).map(drop),
            FileKind::Categories => read::<criteria::CategoriesFile>(text).map(drop),
            FileKind::Jobs => read::<jobs::JobsFile>(text).map(drop),
            FileKind::Evidence => read::<evidence::EvidenceFile>(text).map(drop),
            FileKind::Activity => read::<evidence::ActivityFile>(text).map(drop),
        }
    }
}

fn read<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str::<T>(text).map_err(|e| e.to_string())
}

/// Every subschema written out where it is used (no `$ref`), so each
/// field keeps its own description: Taplo ignores keys beside a `$ref`.
fn generate<T: JsonSchema>() -> Value {
    SchemaSettings::draft07()
        .with(|s| s.inline_subschemas = true)
        .with_transform(tidy)
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// Fits schemars' output to TOML and to editors:
///
/// - no `format`: schemars writes Rust's number widths there (`uint8`,
///   `double`), which are not JSON Schema formats, and the patterns
///   already say what a string must look like;
/// - no `default`: schemars writes one only for some types, and each
///   description already says what an absent key means;
/// - no `null`: TOML has none, so an optional key is one that may be
///   absent, never one that may be null;
/// - descriptions as paragraphs: a doc comment's line breaks are only
///   where the source wrapped, and an editor's hover wraps by itself.
fn tidy(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        object.remove("format");
        object.remove("default");
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                object.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(values)) = object.get_mut("enum") {
            values.retain(|v| !v.is_null());
        }
        if let Some(Value::String(text)) = object.get_mut("description") {
            *text = reflow(text);
        }
    }
    schemars::transform::transform_subschemas(&mut tidy, schema);
}

/// `text` with each paragraph on one line, paragraphs apart.
fn reflow(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `value` with every object's keys in sorted order.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = Map::new();
            for (k, v) in entries {
                out.insert(k, sorted(v));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
