//! The `verdict` command line.
//!
//! Exit codes: 0 success; 1 a problem with what was asked (an unknown
//! topic, content with errors, a bad weight); 2 a usage error, content
//! that cannot be read at all, or content `serve` and `build` refuse to
//! publish (see `refuse_unpublishable`). A closed pipe (`verdict topics |
//! head`) is not an error.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueEnum};

use verdict_content::{Loaded, Options};
use verdict_core::Catalog;
use verdict_core::decide::Preferences;
use verdict_core::model::Topic;
use verdict_core::search::{self, Resolved};
use verdict_render::{ComparisonView, Urls, markdown, terminal};

/// Rendering and serving allocate many small, short-lived strings; glibc's
/// allocator spent a fifth of the export's time on them (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod build;
mod check;
mod import;
mod new;
mod serve;
mod votes;

#[derive(Debug, Parser)]
#[command(
    name = "verdict",
    version,
    about = "Opinionated, evidence-backed \"A vs B\" picks for developer topics"
)]
struct Cli {
    /// Use the catalog in this directory instead of the bundled one.
    #[arg(long, global = true, value_name = "DIR")]
    content: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Compare 2 to 4 topics and print our pick with the scorecard.
    Compare(CompareArgs),
    /// List topics, optionally in one category.
    Topics {
        /// Only topics in this category (slug).
        #[arg(long)]
        category: Option<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Find topics by name, alias or description, tolerating typos.
    Search {
        query: Vec<String>,
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Check a content directory and report every problem.
    Check {
        /// The content directory (default: ./content).
        dir: Option<PathBuf>,
        /// Also enforce the published catalog's minimums (3 pros, 2 cons, 2 related, 2 sources).
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Write evidence files: registry figures (npm, pypi) or project activity from git clones.
    Import(import::ImportArgs),
    /// Serve the web site and JSON API.
    Serve(serve::ServeArgs),
    /// Moderate reader votes: list, export, hide.
    Votes(votes::VotesArgs),
    /// Write the static site (pages, API JSON, search index, redirects) into a directory.
    Build(build::BuildArgs),
    /// Start a new topic or editorial comparison: a file with every field to fill in.
    New(new::NewArgs),
}

#[derive(Debug, Args)]
struct CompareArgs {
    /// Topics by slug, name or alias (quote names with spaces).
    #[arg(required = true, num_args = 2..=4, value_name = "TOPIC")]
    topics: Vec<String>,
    /// Weigh criteria for a reader profile (see `verdict topics --help`).
    #[arg(long)]
    profile: Option<String>,
    /// Set a criterion's weight, e.g. `--weight performance=3`; repeatable.
    #[arg(long = "weight", value_name = "CRITERION=N", value_parser = parse_weight)]
    weights: Vec<(String, f64)>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

/// How `verdict check` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per problem, then a summary.
    Text,
    /// One JSON document with every diagnostic.
    Json,
    /// GitHub Actions workflow commands: each problem shows on its line of
    /// the pull request.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

fn parse_weight(s: &str) -> Result<(String, f64), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("expected CRITERION=N, got `{s}`"))?;
    let n: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("weight for `{k}` must be a number, got `{v}`"))?;
    Ok((k.trim().to_owned(), n))
}

/// An error that has already been reported to the user, with its exit code.
#[derive(Debug)]
struct Exit(u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for Exit {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(Exit(code)) = err.downcast_ref::<Exit>() {
                return ExitCode::from(*code);
            }
            if err
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(anstream::stderr(), "verdict: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Check {
            dir,
            strict,
            format,
        } => {
            let dir = dir
                .or(cli.content)
                .unwrap_or_else(|| PathBuf::from("content"));
            check::run(&dir, Options { strict }, format)
        }
        Command::Compare(args) => compare(&catalog(cli.content.as_deref())?, args),
        Command::Topics { category, format } => {
            topics(&catalog(cli.content.as_deref())?, category, format)
        }
        Command::Search { query, format } => {
            search_cmd(&catalog(cli.content.as_deref())?, &query.join(" "), format)
        }
        Command::Import(args) => import::run(args, cli.content.as_deref()),
        Command::Serve(args) => {
            let (loaded, watch) = if args.watch {
                let Some(dir) = cli.content.clone() else {
                    let _ = writeln!(
                        anstream::stderr(),
                        "verdict: --watch needs --content DIR: the bundled catalog is part of the binary and never changes"
                    );
                    return Err(Exit(2).into());
                };
                let tree = verdict_content::read_tree(&dir).map_err(|e| {
                    let _ = writeln!(anstream::stderr(), "verdict: {e}");
                    Exit(2)
                })?;
                let loaded = verdict_content::load_tree(&tree, Options::default());
                (loaded, Some(serve::Watch { dir, tree }))
            } else {
                (load(cli.content.as_deref())?, None)
            };
            refuse_unpublishable(&loaded, cli.content.as_deref(), "serve")?;
            warn_of_errors(&loaded);
            serve::run(args, loaded, watch)
        }
        Command::Votes(args) => votes::run(args),
        Command::Build(args) => {
            // `build::run` loads the content itself and refuses any error
            // (exit 1); content that would publish no topic or lose a whole
            // category is refused here first, the way `serve` refuses it.
            // The bundled catalog is held to that by its tests.
            if let Some(dir) = cli.content.as_deref() {
                refuse_unpublishable(&load(Some(dir))?, Some(dir), "build")?;
            }
            build::run(args, cli.content.as_deref())
        }
        Command::New(args) => {
            // Checked against the catalog it is written into.
            let loaded = load(Some(&args.out))?;
            new::run(
                args,
                &loaded.catalog,
                &jiff::Zoned::now().date().to_string(),
            )
        }
    }
}

/// The catalog to work on: the bundled one, or `--content DIR`. Content with
/// errors is still used (what is valid of it), with a warning.
fn catalog(dir: Option<&Path>) -> anyhow::Result<Catalog> {
    let loaded = load(dir)?;
    warn_of_errors(&loaded);
    Ok(loaded.catalog)
}

/// Loads the bundled catalog, or `--content DIR`; a directory that cannot
/// be read at all is exit code 2.
fn load(dir: Option<&Path>) -> anyhow::Result<Loaded> {
    match dir {
        None => Ok(verdict_bundle::load()),
        Some(dir) => verdict_content::load_dir(dir, Options::default()).map_err(|e| {
            let _ = writeln!(anstream::stderr(), "verdict: {e}");
            Exit(2).into()
        }),
    }
}

fn warn_of_errors(loaded: &Loaded) {
    let errors = loaded.errors().count();
    if errors > 0 {
        let _ = writeln!(
            anstream::stderr(),
            "verdict: warning: the content has {errors} error(s); run `verdict check` to see them"
        );
    }
}

/// Refuses, with exit code 2, to publish content whose site would be empty
/// or lose a whole category: `criteria.toml` or `categories.toml` missing
/// or unusable, a category of categories.toml left with no topic, or no
/// topic at all. Each problem is printed on a `verdict:` line. A topic
/// with an error of its own is not a reason: it is left out, and `serve`
/// warns of it.
fn refuse_unpublishable(loaded: &Loaded, dir: Option<&Path>, verb: &str) -> anyhow::Result<()> {
    let blockers: Vec<_> = loaded.blockers().collect();
    let no_topics = loaded.catalog.topics().is_empty();
    if blockers.is_empty() && !no_topics {
        return Ok(());
    }
    let mut err = anstream::stderr();
    for d in &blockers {
        let _ = writeln!(err, "verdict: {d}");
    }
    if blockers.is_empty() {
        let _ = writeln!(err, "verdict: the content has no topic");
    }
    let _ = match dir {
        Some(dir) => writeln!(
            err,
            "verdict: refusing to {verb} `{0}`: it would publish no topic or lose a whole category; \
             `verdict check {0}` lists every problem",
            dir.display()
        ),
        None => writeln!(
            err,
            "verdict: refusing to {verb} the bundled catalog: it would publish no topic or lose a whole category"
        ),
    };
    Err(Exit(2).into())
}

fn out() -> anstream::AutoStream<io::Stdout> {
    anstream::stdout()
}

fn width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(80)
}

/// Resolves typed names to topics, printing "did you mean" for the rest.
fn resolve_all<'a>(catalog: &'a Catalog, inputs: &[String]) -> anyhow::Result<Vec<&'a Topic>> {
    let mut found = Vec::new();
    let mut failed = false;
    let mut err = anstream::stderr();
    for input in inputs {
        match search::resolve(catalog, input) {
            Resolved::Found(t) => found.push(t),
            Resolved::Unknown(suggestions) => {
                failed = true;
                let _ = write!(err, "verdict: unknown topic \"{input}\"");
                if suggestions.is_empty() {
                    let _ = writeln!(
                        err,
                        "; `verdict search` or `verdict topics` lists what exists"
                    );
                } else {
                    let names: Vec<String> = suggestions
                        .iter()
                        .map(|t| format!("{} (`{}`)", t.name, t.slug))
                        .collect();
                    let _ = writeln!(
                        err,
                        "; did you mean {}?",
                        verdict_core::text::join_or(&names)
                    );
                }
            }
        }
    }
    if failed {
        Err(Exit(1).into())
    } else {
        Ok(found)
    }
}

fn compare(catalog: &Catalog, args: CompareArgs) -> anyhow::Result<()> {
    let topics = resolve_all(catalog, &args.topics)?;
    let prefs = Preferences {
        profile: args.profile,
        weights: args.weights.into_iter().collect(),
    };
    let view = ComparisonView::build(catalog, Urls::relative(), &topics, &prefs).map_err(|e| {
        let mut msg = e.to_string();
        if let verdict_core::DecideError::UnknownProfile(_) = e {
            let known: Vec<String> = catalog
                .profiles()
                .iter()
                .map(|p| format!("`{}`", p.slug))
                .collect();
            msg.push_str(&format!("; profiles are {}", known.join(", ")));
        }
        anyhow::anyhow!(msg)
    })?;
    let mut out = out();
    match args.format {
        Format::Text => write!(out, "{}", terminal::comparison(&view, width()))?,
        Format::Markdown => write!(out, "{}", markdown::comparison(&view))?,
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?,
    }
    out.flush()?;
    Ok(())
}

fn topics(catalog: &Catalog, category: Option<String>, format: ListFormat) -> anyhow::Result<()> {
    let unknown = category
        .as_deref()
        .filter(|c| catalog.category(c).is_none());
    if let Some(c) = unknown {
        let known: Vec<String> = catalog
            .categories()
            .iter()
            .map(|c| format!("`{}`", c.slug))
            .collect();
        anyhow::bail!(
            "category `{c}` does not exist; categories are {}",
            known.join(", ")
        );
    }
    let list: Vec<&Topic> = catalog
        .topics()
        .iter()
        .filter(|t| category.as_ref().is_none_or(|c| &t.category == c))
        .collect();
    print_topics(&list, format)
}

fn print_topics(list: &[&Topic], format: ListFormat) -> anyhow::Result<()> {
    let mut out = out();
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = list
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "slug": t.slug, "name": t.name, "kind": t.kind,
                        "category": t.category, "tagline": t.tagline,
                    })
                })
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
        }
        ListFormat::Text => {
            let slug_w = list.iter().map(|t| t.slug.len()).max().unwrap_or(0);
            let name_w = list
                .iter()
                .map(|t| t.name.chars().count())
                .max()
                .unwrap_or(0);
            let bold = anstyle::Style::new().bold();
            let dim = anstyle::Style::new().dimmed();
            for t in list {
                writeln!(
                    out,
                    "{bold}{:slug_w$}{bold:#}  {:name_w$}  {dim}{}{dim:#}",
                    t.slug, t.name, t.tagline
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn search_cmd(catalog: &Catalog, query: &str, format: ListFormat) -> anyhow::Result<()> {
    let query = query.trim();
    if query.is_empty() {
        anyhow::bail!("give something to search for, for example `verdict search postgres`");
    }
    let hits = search::search(catalog, query, 20);
    if hits.is_empty() {
        let suggestions = search::suggest(catalog, query, 3);
        let mut err = anstream::stderr();
        write!(err, "verdict: nothing matches \"{query}\"")?;
        if !suggestions.is_empty() {
            let names: Vec<&str> = suggestions.iter().map(|t| t.name.as_str()).collect();
            write!(
                err,
                "; did you mean {}?",
                verdict_core::text::join_or(&names)
            )?;
        }
        writeln!(err)?;
        return Err(Exit(1).into());
    }
    let list: Vec<&Topic> = hits.iter().map(|h| h.topic).collect();
    print_topics(&list, format).context("printing results")
}
