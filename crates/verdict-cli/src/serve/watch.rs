//! `verdict serve --watch`: reloads the content directory when a file in
//! it changes, and tells the site what to serve (`verdict_web::watch`).
//!
//! Saves arrive from the watcher debounced (one batch per burst of saves,
//! as editors write a file in several steps) on the watcher's own thread,
//! where the directory is read and loaded: requests never wait for it.
//! Content without errors becomes a new site that replaces the old one
//! whole; content with errors leaves the site as it was and shows the
//! errors, in `verdict check`'s words, in place of every page.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

use verdict_content::{Diagnostic, Loaded, Options, Tree};
use verdict_core::Catalog;
use verdict_render::SiteConfig;
use verdict_render::html::{ContentErrorsPage, ProblemView, content_errors};
use verdict_web::watch::Live;
use verdict_web::{AppState, Config};

/// How long the directory must be quiet before a batch of changes is
/// loaded: an editor's save (write a temporary file, rename it over the
/// old one) is one batch, and a reload still feels immediate.
const QUIET: Duration = Duration::from_millis(150);

/// Builds the site's state for a catalog: every reload gets fresh caches
/// and the one vote store opened at start.
pub type BuildSite = dyn Fn(Catalog) -> AppState + Send + Sync;

/// The watcher: dropping it stops watching.
pub struct Watching {
    live: Arc<Live>,
    _debouncer: Debouncer<RecommendedWatcher>,
}

impl std::fmt::Debug for Watching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watching")
            .field("live", &self.live)
            .finish_non_exhaustive()
    }
}

impl Watching {
    pub fn live(&self) -> Arc<Live> {
        self.live.clone()
    }
}

/// What the watcher's thread keeps between batches.
struct Reloader {
    dir: PathBuf,
    site: SiteConfig,
    build: Box<BuildSite>,
    live: Arc<Live>,
    /// The files last loaded: a batch that changed none of them (an
    /// editor's swap file, the vote database) reloads nothing.
    last: Option<Tree>,
    /// The catalog being served.
    catalog: Arc<Catalog>,
    runtime: tokio::runtime::Handle,
}

/// Serves `loaded` (read from `tree`, the directory `dir` as it was at
/// start), and reloads it from `dir` on every change from now on.
pub fn start(
    dir: &Path,
    tree: Tree,
    loaded: Loaded,
    site: SiteConfig,
    config: Config,
    build: Box<BuildSite>,
) -> anyhow::Result<Watching> {
    let state = build(loaded.catalog);
    let catalog = state.catalog.clone();
    let live = Live::new(state, config);
    let mut reloader = Reloader {
        dir: dir.to_owned(),
        site,
        build,
        live: live.clone(),
        last: Some(tree),
        catalog,
        runtime: tokio::runtime::Handle::current(),
    };
    if loaded.diagnostics.iter().any(Diagnostic::is_error) {
        reloader.show_errors(&loaded.diagnostics);
    }
    let mut debouncer = new_debouncer(QUIET, move |batch: DebounceEventResult| match batch {
        Ok(_) => reloader.reload(),
        Err(e) => tracing::warn!(error = %e, "watching the content failed"),
    })
    .context("cannot start watching files")?;
    debouncer
        .watcher()
        .watch(dir, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch `{}` for changes", dir.display()))?;
    tracing::info!(dir = %dir.display(), "watching the content: saved changes show at once");
    Ok(Watching {
        live,
        _debouncer: debouncer,
    })
}

impl Reloader {
    /// Reads the directory and, if any file changed, serves what it holds
    /// now: a new site, or the errors page.
    fn reload(&mut self) {
        let _runtime = self.runtime.enter();
        let started = std::time::Instant::now();
        let tree = match verdict_content::read_tree(&self.dir) {
            Ok(tree) => tree,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the content");
                self.last = None;
                self.live.show_errors(&self.page(vec![ProblemView {
                    severity: "error",
                    code: "unreadable".into(),
                    location: self.dir.display().to_string(),
                    message: e.to_string(),
                    help: Some(
                        "put the content directory back; the site reloads when it is".into(),
                    ),
                }]));
                return;
            }
        };
        if self.last.as_ref() == Some(&tree) {
            return;
        }
        let loaded = verdict_content::load_tree(&tree, Options::default());
        if loaded.has_errors() && verdict_content::read_tree(&self.dir).ok().as_ref() != Some(&tree)
        {
            // Read while an editor was still writing (truncate, then
            // write): its last events are on their way, and the next batch
            // loads the whole file. Showing errors now would only flash.
            self.last = None;
            return;
        }
        self.last = Some(tree);
        if loaded.has_errors() {
            self.show_errors(&loaded.diagnostics);
            return;
        }
        let topics = loaded.catalog.topics().len();
        let state = (self.build)(loaded.catalog);
        self.catalog = state.catalog.clone();
        self.live.publish(state);
        tracing::info!(
            topics,
            generation = self.live.generation(),
            ms = started.elapsed().as_millis() as u64,
            "content reloaded"
        );
    }

    fn show_errors(&self, diagnostics: &[Diagnostic]) {
        for d in diagnostics.iter().filter(|d| d.is_error()) {
            tracing::warn!("{d}");
        }
        self.live
            .show_errors(&self.page(diagnostics.iter().map(problem).collect()));
        tracing::warn!(
            generation = self.live.generation(),
            "the content has errors: every page shows them until they are fixed"
        );
    }

    fn page(&self, problems: Vec<ProblemView>) -> ContentErrorsPage {
        content_errors(
            &self.site,
            &self.catalog,
            &self.dir.display().to_string(),
            problems,
        )
    }
}

/// A diagnostic as `verdict check` prints it.
fn problem(d: &Diagnostic) -> ProblemView {
    ProblemView {
        severity: if d.is_error() { "error" } else { "warning" },
        code: d.code.as_str().to_owned(),
        location: d.location(),
        message: d.message.clone(),
        help: d.help.clone(),
    }
}
