//! The JSON Schemas editors validate content with (`schemas/*.schema.json`,
//! generated from `verdict_content::schema`), held to the loader they
//! describe: the same keys, every bundled file accepted, the broken
//! fixtures rejected where one file can show what is wrong, and
//! `.taplo.toml` giving each content file its kind's schema.
//!
//! `UPDATE_SCHEMAS=1 cargo test -p verdict-content --test schema` rewrites
//! the committed schemas from the types.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use verdict_content::schema::FileKind;
use verdict_content::{Code, Options, SourceFile};

const REGENERATE: &str = "UPDATE_SCHEMAS=1 cargo test -p verdict-content --test schema";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The committed schema of `kind`, as editors read it.
fn committed(kind: FileKind) -> Value {
    let path = repo().join("schemas").join(kind.schema_file());
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run {REGENERATE}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A TOML document as the JSON value a schema validates, converted the way
/// Taplo converts it: a date or date-time becomes its text.
fn toml_to_json(text: &str) -> Result<Value, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    Ok(json_of(toml::Value::Table(table)))
}

fn json_of(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(json_of).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, json_of(v))).collect())
        }
    }
}

/// Each kind's committed schema, compiled once.
struct Validators(Vec<(FileKind, jsonschema::Validator)>);

impl Validators {
    fn new() -> Validators {
        Validators(
            FileKind::ALL
                .iter()
                .map(|&k| {
                    let v = jsonschema::draft7::new(&committed(k))
                        .unwrap_or_else(|e| panic!("{}: {e}", k.schema_file()));
                    (k, v)
                })
                .collect(),
        )
    }

    /// What the committed schema of `kind` says about `text`: each error
    /// as `path: message`, none when it accepts it.
    fn errors(&self, kind: FileKind, text: &str) -> Vec<String> {
        let instance = match toml_to_json(text) {
            Ok(v) => v,
            Err(e) => return vec![format!("not TOML: {e}")],
        };
        let (_, validator) = self.0.iter().find(|(k, _)| *k == kind).unwrap();
        validator
            .iter_errors(&instance)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }
}

#[test]
fn committed_schemas_are_what_the_types_generate() {
    let dir = repo().join("schemas");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    for kind in FileKind::ALL {
        let path = dir.join(kind.schema_file());
        let want = kind.render();
        if std::fs::read_to_string(&path).ok().as_deref() == Some(want.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, want).unwrap();
        } else {
            stale.push(format!("schemas/{}", kind.schema_file()));
        }
    }
    let mut unknown: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !FileKind::ALL.iter().any(|k| k.schema_file() == name))
        .collect();
    unknown.sort();
    assert!(
        stale.is_empty(),
        "{} differ from the types in crates/verdict-content/src/schema/; regenerate them with\n\n    {REGENERATE}\n",
        stale.join(", ")
    );
    assert!(
        unknown.is_empty(),
        "schemas/ holds files no content kind generates: {}",
        unknown.join(", ")
    );
}

#[test]
fn every_bundled_file_fits_its_type_and_its_schema() {
    let files = verdict_content::read_dir(&repo().join("content")).unwrap();
    let validators = Validators::new();
    let mut per_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for f in &files {
        let Some(kind) = FileKind::of_path(&f.path) else {
            problems.push(format!("{}: no content kind", f.path));
            continue;
        };
        *per_kind.entry(kind.schema_file()).or_default() += 1;
        if let Err(e) = kind.deserialize(&f.text) {
            problems.push(format!("{}: does not fit its type: {e}", f.path));
        }
        for e in validators.errors(kind, &f.text) {
            problems.push(format!(
                "{}: {} rejects it: {e}",
                f.path,
                kind.schema_file()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for kind in FileKind::ALL {
        assert!(
            per_kind.get(kind.schema_file()).is_some_and(|n| *n > 0),
            "no bundled file is checked against {}",
            kind.schema_file()
        );
    }
    assert!(files.len() > 700, "{} content files", files.len());
}

/// What a broken fixture's files are to the schema.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// The schema rejects it (and so does the Rust type).
    Rejected,
    /// The files are valid on their own; what is wrong is something no
    /// schema of one file can see, for the reason given.
    Beyond(&'static str),
    /// Not a TOML document at all, so no schema applies: the loader
    /// reports it, and Taplo shows the syntax error.
    NotToml,
}

const FILE_NAME: &str = "the file's name or folder";
const OTHER_FILES: &str = "a reference to what other files define";
const PROSE: &str = "the prose rules of verdict check";
const STRICT: &str = "a minimum of verdict check --strict";

/// Every `invalid-*` fixture of tests/check.rs and what the schema makes
/// of it.
const FIXTURES: &[(&str, Expect)] = &[
    ("invalid-bad-comparison", Expect::Beyond(FILE_NAME)),
    ("invalid-bad-date", Expect::Rejected),
    ("invalid-bad-evidence", Expect::Rejected),
    ("invalid-bad-path", Expect::Beyond(FILE_NAME)),
    ("invalid-bad-pick", Expect::Beyond(FILE_NAME)),
    ("invalid-bad-slug-uppercase", Expect::Beyond(FILE_NAME)),
    ("invalid-bad-slug-vs", Expect::Beyond(FILE_NAME)),
    ("invalid-bad-source", Expect::Rejected),
    ("invalid-bad-weight", Expect::Rejected),
    ("invalid-category-folder", Expect::Beyond(FILE_NAME)),
    ("invalid-comparison-order", Expect::Beyond(FILE_NAME)),
    ("invalid-cut-short", Expect::Beyond(PROSE)),
    ("invalid-duplicate-alias", Expect::Beyond(OTHER_FILES)),
    ("invalid-duplicate-job", Expect::Beyond(OTHER_FILES)),
    ("invalid-duplicate-slug", Expect::Beyond(OTHER_FILES)),
    ("invalid-empty-category", Expect::Rejected),
    ("invalid-empty-field", Expect::Rejected),
    ("invalid-missing-field", Expect::Rejected),
    (
        "invalid-missing-file",
        Expect::Beyond("a file that is not there"),
    ),
    ("invalid-missing-reason", Expect::Rejected),
    ("invalid-missing-score", Expect::Beyond(OTHER_FILES)),
    ("invalid-missing-weights", Expect::Beyond(OTHER_FILES)),
    ("invalid-near-duplicate", Expect::Beyond(OTHER_FILES)),
    ("invalid-near-duplicate-alias", Expect::Beyond(OTHER_FILES)),
    ("invalid-no-categories", Expect::Rejected),
    ("invalid-no-criteria", Expect::Rejected),
    ("invalid-no-evidence", Expect::Beyond(OTHER_FILES)),
    ("invalid-not-utf8", Expect::NotToml),
    ("invalid-pick-across-jobs", Expect::Beyond(OTHER_FILES)),
    ("invalid-pick-with-outcome", Expect::Rejected),
    ("invalid-placeholder", Expect::Beyond(PROSE)),
    ("invalid-prose", Expect::Beyond(PROSE)),
    ("invalid-score-range", Expect::Rejected),
    ("invalid-self-reference", Expect::Beyond(FILE_NAME)),
    ("invalid-toml-syntax", Expect::NotToml),
    ("invalid-toml-syntax-criteria", Expect::NotToml),
    ("invalid-too-few", Expect::Beyond(STRICT)),
    ("invalid-unknown-category", Expect::Beyond(OTHER_FILES)),
    (
        "invalid-unknown-category-weights",
        Expect::Beyond(OTHER_FILES),
    ),
    ("invalid-unknown-criterion", Expect::Beyond(OTHER_FILES)),
    ("invalid-unknown-field", Expect::Rejected),
    ("invalid-unknown-job", Expect::Beyond(OTHER_FILES)),
    ("invalid-unknown-kind", Expect::Rejected),
    ("invalid-unknown-registry", Expect::Rejected),
    (
        "invalid-unknown-topic-also-consider",
        Expect::Beyond(OTHER_FILES),
    ),
    ("invalid-unknown-topic-related", Expect::Beyond(OTHER_FILES)),
    ("invalid-unscored-criterion", Expect::Beyond(OTHER_FILES)),
    ("invalid-unsourced-claims", Expect::Beyond(PROSE)),
    ("invalid-wrong-type", Expect::Rejected),
];

/// The `*.toml` files under `dir`, as paths relative to it.
fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn broken_fixtures_are_rejected_where_a_schema_can_tell() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("invalid-"))
        .collect();
    names.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names, listed,
        "every invalid-* fixture says what the schema makes of it, in FIXTURES"
    );

    let validators = Validators::new();
    let mut problems = Vec::new();
    for (name, expect) in FIXTURES {
        let dir = fixtures().join(name);
        let mut rejected = Vec::new();
        let mut accepted = Vec::new();
        let mut not_toml = Vec::new();
        for rel in toml_files(&dir) {
            let path = rel.to_string_lossy().replace('\\', "/");
            let Some(kind) = FileKind::of_path(&path) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(dir.join(&rel)) else {
                not_toml.push(path);
                continue;
            };
            let errors = validators.errors(kind, &text);
            if errors.iter().any(|e| e.starts_with("not TOML")) {
                not_toml.push(path);
            } else if errors.is_empty() {
                assert!(
                    kind.deserialize(&text).is_ok(),
                    "{name}/{path}: the schema accepts it but its type does not"
                );
                accepted.push(path);
            } else {
                assert!(
                    kind.deserialize(&text).is_err(),
                    "{name}/{path}: the schema rejects it ({}) but its type reads it",
                    errors.join("; ")
                );
                rejected.push(path);
            }
        }
        let found = format!("rejected {rejected:?}, accepted {accepted:?}, not TOML {not_toml:?}");
        match expect {
            Expect::Rejected if rejected.is_empty() => {
                problems.push(format!("{name}: the schema accepts it ({found})"));
            }
            Expect::Beyond(why) if !rejected.is_empty() || !not_toml.is_empty() => {
                problems.push(format!(
                    "{name}: listed as beyond a schema ({why}), yet {found}; if the schema now catches it, mark it Rejected"
                ));
            }
            Expect::NotToml if not_toml.is_empty() || !rejected.is_empty() => {
                problems.push(format!(
                    "{name}: expected a file that is not TOML ({found})"
                ));
            }
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A key no loader knows and no known key is within three edits of, so
/// the loader's "unknown key" help lists every key it knows there.
const ALIEN: &str = "xyzzy_plugh_unknown";

/// `minimal`'s files, read as the loader reads them, with one bundled
/// activity file, which `minimal` lacks.
fn minimal_files() -> Vec<SourceFile> {
    let mut files = verdict_content::read_dir(&fixtures().join("minimal")).unwrap();
    let activity = "evidence/git/atom.toml";
    let text = std::fs::read_to_string(repo().join("content").join(activity)).unwrap();
    files.push(SourceFile {
        path: activity.to_owned(),
        text,
    });
    files
}

/// One step into a TOML document or its schema.
#[derive(Debug, Clone, Copy)]
enum Step {
    Key(&'static str),
    Item,
}

/// The keys the loader accepts in the table at `at` of `file`: it
/// reports [`ALIEN`] put there as unknown, with the list in its help.
fn loader_keys(files: &[SourceFile], file: &str, at: &[Step]) -> BTreeSet<String> {
    let mut files = files.to_vec();
    let f = files.iter_mut().find(|f| f.path == file).unwrap();
    let mut doc = toml::Value::Table(toml::from_str(&f.text).unwrap());
    let mut cursor = &mut doc;
    for step in at {
        cursor = match (step, cursor) {
            (Step::Key(k), toml::Value::Table(t)) => t.get_mut(*k),
            (Step::Item, toml::Value::Array(items)) => items.first_mut(),
            _ => None,
        }
        .unwrap_or_else(|| panic!("{file}: nothing at {at:?}"));
    }
    let table = cursor
        .as_table_mut()
        .unwrap_or_else(|| panic!("{file}: no table at {at:?}"));
    table.insert(ALIEN.to_owned(), toml::Value::from("x"));
    f.text = toml::to_string(&doc).unwrap();
    let loaded = verdict_content::load(&files, Options::default());
    let d = loaded
        .diagnostics
        .iter()
        .find(|d| {
            d.code == Code::UnknownField
                && d.file == file
                && d.key.as_deref().is_some_and(|k| k.ends_with(ALIEN))
        })
        .unwrap_or_else(|| {
            panic!(
                "{file}: the loader does not report `{ALIEN}` at {at:?} as unknown:\n{}",
                loaded
                    .diagnostics
                    .iter()
                    .map(|d| format!("{d}\n"))
                    .collect::<String>()
            )
        });
    let help = d.help.as_deref().unwrap_or_default();
    let list = help
        .split_once("known keys here are ")
        .unwrap_or_else(|| panic!("{file}: help without the known keys: {help}"))
        .1;
    list.split(", ")
        .map(|k| k.trim_matches('`').to_owned())
        .collect()
}

/// The keys the schema of `kind` declares for the table at `at`.
fn schema_keys(kind: FileKind, at: &[Step]) -> BTreeSet<String> {
    let root = committed(kind);
    let mut s = &root;
    for step in at {
        s = match step {
            Step::Key(k) => s["properties"]
                .get(*k)
                .or_else(|| s["patternProperties"].as_object()?.values().next())
                .or_else(|| s.get("additionalProperties").filter(|v| v.is_object())),
            Step::Item => s.get("items"),
        }
        .unwrap_or_else(|| panic!("{}: no subschema at {at:?}", kind.schema_file()));
    }
    assert_eq!(
        s["additionalProperties"],
        Value::Bool(false),
        "{}: the table at {at:?} must refuse unknown keys, as the loader does",
        kind.schema_file()
    );
    s["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{}: no properties at {at:?}", kind.schema_file()))
        .keys()
        .cloned()
        .collect()
}

#[test]
fn schema_keys_are_the_keys_the_loader_knows() {
    use Step::{Item, Key};
    let files = minimal_files();
    let topic = "topics/frontend/vue.toml";
    let editorial = "comparisons/product-management--technical-leadership.toml";
    let cases: &[(FileKind, &str, &[Step])] = &[
        (FileKind::Topic, topic, &[]),
        (
            FileKind::Topic,
            topic,
            &[Key("scores"), Key("productivity")],
        ),
        (FileKind::Topic, topic, &[Key("sources"), Item]),
        (FileKind::Editorial, editorial, &[]),
        (FileKind::Editorial, editorial, &[Key("sections"), Item]),
        (FileKind::Criteria, "criteria.toml", &[]),
        (
            FileKind::Criteria,
            "criteria.toml",
            &[Key("criteria"), Key("popularity")],
        ),
        (
            FileKind::Criteria,
            "criteria.toml",
            &[Key("profiles"), Key("beginner")],
        ),
        (FileKind::Categories, "categories.toml", &[Key("frontend")]),
        (FileKind::Jobs, "jobs.toml", &[Key("career-path")]),
        (FileKind::Evidence, "evidence/npm.toml", &[]),
        (FileKind::Activity, "evidence/git/atom.toml", &[]),
    ];
    let mut problems = Vec::new();
    for (kind, file, at) in cases {
        let loader = loader_keys(&files, file, at);
        let schema = schema_keys(*kind, at);
        if loader != schema {
            problems.push(format!(
                "{file} at {at:?}: the loader alone knows {:?}; {} alone declares {:?}",
                loader.difference(&schema).collect::<Vec<_>>(),
                kind.schema_file(),
                schema.difference(&loader).collect::<Vec<_>>(),
            ));
        }
    }
    // `[packages]` is read per registry, not with a list of keys.
    let packages = schema_keys(FileKind::Topic, &[Key("packages")]);
    let registries: BTreeSet<String> = verdict_content::evidence::REGISTRIES
        .iter()
        .map(|r| (*r).to_owned())
        .collect();
    if packages != registries {
        problems.push(format!(
            "[packages] declares {packages:?}; the loader's registries are {registries:?}"
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The `[[rule]]`s of `.taplo.toml`: include and exclude globs, and the
/// schema path, relative to the repository root as Taplo reads them.
fn taplo_rules() -> Vec<(globset::GlobSet, globset::GlobSet, String)> {
    let text = std::fs::read_to_string(repo().join(".taplo.toml")).unwrap();
    let config: toml::Table = toml::from_str(&text).unwrap();
    let globs = |rule: &toml::Table, key: &str| {
        let mut set = globset::GlobSetBuilder::new();
        for p in rule
            .get(key)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            set.add(globset::Glob::new(p.as_str().unwrap()).unwrap());
        }
        set.build().unwrap()
    };
    config["rule"]
        .as_array()
        .expect(".taplo.toml has [[rule]]s")
        .iter()
        .map(|r| {
            let r = r.as_table().unwrap();
            let path = r["schema"]["path"]
                .as_str()
                .expect("schema.path")
                .to_owned();
            (globs(r, "include"), globs(r, "exclude"), path)
        })
        .collect()
}

#[test]
fn taplo_gives_each_content_file_its_kinds_schema() {
    let rules = taplo_rules();
    let files = verdict_content::read_dir(&repo().join("content")).unwrap();
    let mut used = vec![false; rules.len()];
    let mut problems = Vec::new();
    for f in &files {
        let path = format!("content/{}", f.path);
        let want = format!(
            "schemas/{}",
            FileKind::of_path(&f.path).unwrap().schema_file()
        );
        // Taplo applies the last matching rule.
        let last = rules
            .iter()
            .enumerate()
            .rfind(|(_, (inc, exc, _))| inc.is_match(&path) && !exc.is_match(&path));
        match last {
            Some((i, (_, _, schema))) if *schema == want => used[i] = true,
            Some((_, (_, _, schema))) => {
                problems.push(format!("{path}: gets {schema}, not {want}"))
            }
            None => problems.push(format!("{path}: no rule gives it a schema")),
        }
    }
    for (i, (_, _, schema)) in rules.iter().enumerate() {
        if !repo().join(schema).is_file() {
            problems.push(format!("rule {}: {schema} does not exist", i + 1));
        }
        if !used[i] {
            problems.push(format!(
                "rule {} ({schema}) applies to no content file",
                i + 1
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
