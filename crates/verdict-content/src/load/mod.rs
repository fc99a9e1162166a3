//! Content files → [`Catalog`] plus every diagnostic at once.
//!
//! [`load_read`] is the recipe, one step per file kind: the root files
//! (`criteria`: criteria.toml and categories.toml; `jobs`: jobs.toml),
//! evidence, each topic file (`topic`), the checks that need every topic
//! read (`cross`), then the editorial comparisons (`editorial`). The steps
//! share the rules here for which errors leave data out.

mod criteria;
mod cross;
mod editorial;
mod jobs;
mod sources;
mod suggest;
mod topic;

#[cfg(feature = "schema")]
pub(crate) use sources::is_web_address;

use toml::de::DeTable;

use verdict_core::model::{Category, Criterion, Job, Profile};

use crate::activity::{self, ActivitySet};
use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::evidence::{self, EvidenceSet};
use crate::{Catalog, Code, SourceFile, Tree};

/// How hard `check` is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Enforce the published catalog's minimums: at least 3 pros, 2 cons
    /// and 2 related topics per topic.
    pub strict: bool,
}

/// The result of loading: the catalog built from everything valid, and
/// every problem found.
#[derive(Debug)]
pub struct Loaded {
    pub catalog: Catalog,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The errors that make the content unfit to publish as a whole, not
    /// just one topic: `criteria.toml` or `categories.toml` missing or
    /// unusable (then the catalog is empty), and a category of
    /// categories.toml left with no topic. A site built from such content
    /// would be empty or lose a whole section, so `verdict serve` and
    /// `verdict build` refuse it; a topic with an error of its own is only
    /// left out.
    pub fn blockers(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors()
            .filter(|d| d.code == Code::EmptyCategory || unusable(d))
    }
}

/// Whether `d` makes `criteria.toml` or `categories.toml` unusable as a
/// whole ([`Code::unusable_root`]).
fn unusable(d: &Diagnostic) -> bool {
    d.is_error()
        && matches!(d.file.as_str(), "criteria.toml" | "categories.toml")
        && d.code.unusable_root()
}

/// Whether diagnostics reported while reading one topic or editorial file
/// mean its data must not be published: any error except the ones the
/// loader repairs and `--strict`'s minimums ([`Code::repaired`]).
fn leaves_out(diags: &[Diagnostic]) -> bool {
    diags.iter().any(leaves_out_one)
}

fn leaves_out_one(d: &Diagnostic) -> bool {
    d.is_error() && !d.code.repaired()
}

/// Parses a file into a span-keeping table, reporting syntax errors.
fn parse<'i>(file: &SourceFile, text: &'i str, out: &mut Vec<Diagnostic>) -> Option<DeTable<'i>> {
    crate::reader::parse_toml(
        &file.path,
        text,
        out,
        "fix the syntax; strings need double quotes and tables need [brackets]",
    )
}

/// Loads a whole catalog from its files.
pub fn load(files: &[SourceFile], options: Options) -> Loaded {
    load_read(files, &[], options)
}

/// Loads a catalog read from disk: its files, and the diagnostics of the
/// entries that could not be read, which are reported with the others.
pub fn load_tree(tree: &Tree, options: Options) -> Loaded {
    load_read(&tree.files, &tree.diagnostics, options)
}

/// Loads the content directory at `root` as [`load_tree`] of
/// [`crate::read_tree`] would, reading each topic file on the thread that
/// parses it and freeing its text right after: a big catalog's text and
/// the topics made from it are never all in memory at once.
pub(crate) fn load_dir(
    root: &std::path::Path,
    options: Options,
) -> Result<Loaded, crate::LoadError> {
    let (tree, unread) = crate::read::read_tree_deferring_topics(root)?;
    let topics = unread.into_iter().map(TopicFile::Unread).collect();
    load_parts(&tree.files, topics, &tree.diagnostics, options)
}

/// A topic file to load: already read, or to be read by the thread that
/// parses it.
#[derive(Debug)]
pub(super) enum TopicFile<'a> {
    Read(&'a SourceFile),
    Unread(crate::read::Unread),
}

impl TopicFile<'_> {
    fn path(&self) -> &str {
        match self {
            TopicFile::Read(f) => &f.path,
            TopicFile::Unread(u) => &u.rel,
        }
    }
}

/// The files being loaded, and a diagnostic for each entry of the
/// directory that is not among them (see `read.rs`). Such an entry is
/// there but unusable: a root file is not "missing", and references to a
/// topic file are dropped quietly, as for a topic left out for errors.
#[derive(Debug, Clone, Copy)]
struct Content<'a> {
    files: &'a [SourceFile],
    unread: &'a [Diagnostic],
}

impl<'a> Content<'a> {
    fn find(&self, name: &str) -> Option<&'a SourceFile> {
        self.files.iter().find(|f| f.path == name)
    }

    /// The files under `folder` (`"topics/"`), in the content's order.
    fn under(&self, folder: &'a str) -> impl Iterator<Item = &'a SourceFile> + 'a {
        self.files
            .iter()
            .filter(move |f| f.path.starts_with(folder))
    }

    /// The root file `name`, or `None` after reporting it `missing`
    /// unless it is there but could not be read (already reported).
    fn root(
        &self,
        name: &str,
        diags: &mut Vec<Diagnostic>,
        missing: impl FnOnce() -> Diagnostic,
    ) -> Option<&'a SourceFile> {
        let found = self.find(name);
        if found.is_none() && !self.unread.iter().any(|d| d.file == name) {
            diags.push(missing());
        }
        found
    }

    /// Slugs of every topic file, including those left out for errors or
    /// not read at all: a reference to one of those is dropped quietly,
    /// since the problem is reported at the file and "does not exist"
    /// would be false.
    fn present_topics(&self, topic_files: &[TopicFile<'_>]) -> Present {
        topic_files
            .iter()
            .map(TopicFile::path)
            .chain(self.unread.iter().map(|d| d.file.as_str()))
            .filter_map(|path| path.strip_prefix("topics/")?.split_once('/'))
            .filter_map(|(_, file)| file.strip_suffix(".toml"))
            .map(str::to_owned)
            .collect()
    }
}

/// What criteria.toml and categories.toml define, which everything else
/// is checked against.
#[derive(Debug, Default)]
struct Roots {
    criteria: Vec<Criterion>,
    profiles: Vec<Profile>,
    categories: Vec<Category>,
    /// Every table key of categories.toml with its offset, valid or not.
    defined: Vec<(String, usize)>,
}

/// Slugs of every topic file ([`Content::present_topics`]).
pub(super) type Present = std::collections::HashSet<String>;

/// Loads `files`, every kind together.
fn load_read(files: &[SourceFile], unread: &[Diagnostic], options: Options) -> Loaded {
    let topics = files
        .iter()
        .filter(|f| f.path.starts_with("topics/"))
        .map(TopicFile::Read)
        .collect();
    match load_parts(files, topics, unread, options) {
        Ok(loaded) => loaded,
        Err(e) => unreachable!("files already read cannot fail to be read: {e}"),
    }
}

/// Loads the content: the recipe, one step per kind of file. `topic_files`
/// are the topic files; `files` holds the others, and may hold the topic
/// files too (they are only read through `topic_files`). Fails only when a
/// topic file left unread cannot be read at all.
fn load_parts(
    files: &[SourceFile],
    topic_files: Vec<TopicFile<'_>>,
    unread: &[Diagnostic],
    options: Options,
) -> Result<Loaded, crate::LoadError> {
    let content = Content { files, unread };
    let mut diags = unread.to_vec();
    let Some(roots) = read_roots(content, &mut diags) else {
        sort_diagnostics(&mut diags);
        return Ok(Loaded {
            catalog: Catalog::default(),
            diagnostics: diags,
        });
    };
    let jobs = read_jobs_file(content, &mut diags);

    let mut evidence = EvidenceSet::default();
    let mut activity = ActivitySet::default();
    for f in content.under("evidence/") {
        if f.path.starts_with(activity::DIR) {
            activity::read(f, &mut activity, &mut diags);
        } else {
            evidence::read(f, &mut evidence, &mut diags);
        }
    }

    let present = content.present_topics(&topic_files);
    let (mut topics, topic_refs) =
        topic::read_all(topic_files, &roots, &jobs, options, &mut diags)?;
    cross::check_uniqueness(&topics, &topic_refs, &mut diags);
    // A job may look unused only because the topics doing it were left out
    // for errors of their own; say so only when every topic loaded. Before
    // the references are resolved: the checks read each topic's lists as
    // written, beside the lines in `topic_refs`.
    let all_loaded = topics.len() == present.len();
    cross::check_jobs(&topics, &topic_refs, files, &jobs, all_loaded, &mut diags);
    cross::resolve_references(&mut topics, &topic_refs, &present, &mut diags);
    if let Some(f) = content.find("categories.toml") {
        cross::check_categories_have_topics(f, &roots.defined, &topics, &mut diags);
    }
    evidence::attach(&mut topics, &evidence, &roots.categories, &mut diags);
    activity::attach(&mut topics, activity, &present, options.strict, &mut diags);
    crate::maintenance::score(&mut topics, &roots.criteria, &roots.categories);

    let editorials = editorial::read_all(content, &topics, &present, &roots.categories, &mut diags);

    sort_diagnostics(&mut diags);
    let Roots {
        criteria,
        profiles,
        categories,
        ..
    } = roots;
    Ok(Loaded {
        catalog: Catalog::new(criteria, categories, profiles, topics, editorials).with_jobs(jobs),
        diagnostics: diags,
    })
}

/// criteria.toml, then categories.toml, or `None` when either is unusable
/// ([`unusable`]). Everything else is checked against the criteria and
/// categories: without them every category would lack weights and every
/// topic would report each of its fields as unknown, drowning the one real
/// problem, so loading stops there.
fn read_roots(content: Content<'_>, diags: &mut Vec<Diagnostic>) -> Option<Roots> {
    let criteria_file = content.root("criteria.toml", diags, || {
        missing_file(
            "criteria.toml",
            "criteria, default weights per category and profiles",
        )
    });
    let (criteria, category_weights, profiles) = match criteria_file {
        Some(f) => criteria::read_criteria(f, diags),
        None => Default::default(),
    };
    let criteria_ok = !diags.iter().any(unusable);
    let categories_file = content.root("categories.toml", diags, || {
        missing_file("categories.toml", "the categories topics belong to")
    });
    let (categories, defined) = match categories_file {
        Some(f) if criteria_ok => criteria::read_categories(f, &criteria, category_weights, diags),
        _ => Default::default(),
    };
    if diags.iter().any(unusable) {
        return None;
    }
    Some(Roots {
        criteria,
        profiles,
        categories,
        defined,
    })
}

/// jobs.toml and any files under jobs/ (one per area, for example
/// `jobs/ai.toml`), or no jobs when jobs.toml is missing or unreadable. A
/// job id defined twice keeps its first definition, in path order.
fn read_jobs_file(content: Content<'_>, diags: &mut Vec<Diagnostic>) -> Vec<Job> {
    let file = content.root("jobs.toml", diags, || Diagnostic {
        severity: Severity::Error,
        code: Code::NoJobsFile,
        file: "jobs.toml".into(),
        line: None,
        key: None,
        message: "jobs.toml is missing, so no topic can say what it is used for".into(),
        help: Some("create jobs.toml with one `[job-id]` table and a `label` per job; topics name them in `jobs`".into()),
    });
    let Some(f) = file else {
        return Vec::new();
    };
    let mut all = jobs::read_jobs(f, diags);
    for extra in content.under("jobs/") {
        for job in jobs::read_jobs(extra, diags) {
            match all.iter().find(|j| j.id == job.id) {
                Some(_) => {
                    let first = job_file(content, &job.id);
                    let mut sink = Sink::new(&extra.path, &extra.text, diags);
                    sink.error(
                        Code::DuplicateJob,
                        extra.text.find(&format!("[{}]", job.id)),
                        &job.id,
                        format!("job `{}` is already defined in {first}", job.id),
                        "remove this definition, or give the job a different id",
                    );
                }
                None => all.push(job),
            }
        }
    }
    all
}

/// The first job file that defines `id`.
fn job_file(content: Content<'_>, id: &str) -> String {
    let header = format!("[{id}]");
    content
        .find("jobs.toml")
        .into_iter()
        .chain(content.under("jobs/"))
        .find(|f| f.text.lines().any(|l| l.trim() == header))
        .map_or_else(|| "jobs.toml".to_owned(), |f| f.path.clone())
}

/// File order, then line, key and message, without repeats.
fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.line,
            a.key.as_deref(),
            a.message.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                b.line,
                b.key.as_deref(),
                b.message.as_str(),
            ))
    });
    diags.dedup();
}

fn missing_file(name: &str, what: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        code: Code::MissingFile,
        file: name.to_owned(),
        line: None,
        key: None,
        message: format!("the content directory has no `{name}`"),
        help: Some(format!("create `{name}` with {what}; see docs/CONTENT.md")),
    }
}
