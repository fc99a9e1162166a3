#![doc = include_str!("../README.md")]

mod image_cache;
mod output;
mod redirects;
mod search_index;

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use askama::Template;
use rayon::prelude::*;

use verdict_core::decide::Preferences;
use verdict_core::key::ComparisonKey;
use verdict_core::model::{Catalog, Topic};
use verdict_render::resources;
use verdict_render::site::exported_comparisons;
use verdict_render::{ComparisonView, SiteConfig, Urls, assets, html, site};

use crate::image_cache::ImageCache;
pub use crate::image_cache::KEEP_UNUSED;
use crate::output::Output;
pub use crate::redirects::{Redirect, redirect_page, redirects};
pub use crate::search_index::search_index;

/// How to build.
#[derive(Default)]
pub struct Options<'a> {
    /// Rendering threads; `None` uses one per CPU.
    pub jobs: Option<usize>,
    /// Told how many pages there are and as each one is done.
    pub progress: Option<&'a dyn Progress>,
    /// Leave out the comparisons' Open Graph images (`og/<key>.png`),
    /// which are most of a cold build's time; pages still point at them.
    pub no_og_images: bool,
    /// A directory where drawn images are kept for later builds, into this
    /// directory or any other (see `image_cache`); `None` draws every image
    /// an earlier build in `out` did not leave.
    pub image_cache: Option<&'a Path>,
}

impl fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("jobs", &self.jobs)
            .field("progress", &self.progress.is_some())
            .field("no_og_images", &self.no_og_images)
            .field("image_cache", &self.image_cache)
            .finish()
    }
}

/// Receives progress from the rendering threads (a progress bar).
pub trait Progress: Sync {
    /// The build will render `pages` pages.
    fn start(&self, pages: u64);
    /// `pages` more pages are done.
    fn advance(&self, pages: u64);
}

/// What a build did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// HTML pages rendered (redirect pages not included).
    pub pages: usize,
    /// Redirect pages, one per line of `_redirects` with status 301.
    pub redirects: usize,
    /// Files in the site.
    pub files: usize,
    /// Files written because they were new or their bytes changed.
    pub written: usize,
    /// Files left alone because their bytes on disk were already right.
    pub skipped: usize,
    /// Files of an earlier build that this one no longer produces, removed.
    pub removed: usize,
    /// Bytes of the files written.
    pub bytes_written: u64,
    /// Bytes of all files in the site.
    pub bytes: u64,
    /// Open Graph images drawn by this build.
    pub images_drawn: usize,
    /// Open Graph images taken from the image cache instead of drawn.
    pub images_from_cache: usize,
    /// Drawn images the image cache could not keep (it only costs a later
    /// build the drawing).
    pub cache_write_failures: usize,
    /// Cache entries no build had used for [`KEEP_UNUSED`], removed.
    pub cache_pruned: usize,
    pub elapsed: Duration,
}

impl Report {
    /// Pages rendered per second of the whole build.
    pub fn pages_per_second(&self) -> f64 {
        self.pages as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// One line for the end of a build: "built 3963 pages (12320 files,
    /// 133.2 MB): wrote 12320, skipped 0 unchanged, in 0.45 s", plus
    /// "; removed N stale" when files of an earlier build were removed.
    /// The size is of the whole site, in decimal units.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "built {} ({}, {}): wrote {}, skipped {} unchanged, in {:.2} s",
            plural(self.pages, "page"),
            plural(self.files, "file"),
            size(self.bytes),
            self.written,
            self.skipped,
            self.elapsed.as_secs_f64()
        );
        if self.removed > 0 {
            s.push_str(&format!("; removed {} stale", self.removed));
        }
        match (self.images_drawn, self.images_from_cache) {
            (0, 0) => {}
            (drawn, 0) => s.push_str(&format!("; drew {}", plural(drawn, "image"))),
            (drawn, cached) => s.push_str(&format!(
                "; drew {}, {cached} from the image cache",
                plural(drawn, "image")
            )),
        }
        if self.cache_write_failures > 0 {
            s.push_str(&format!(
                "; {} could not be written to the image cache",
                plural(self.cache_write_failures, "image")
            ));
        }
        s
    }
}

/// "1 page", "2 pages".
fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A size as people read it: "512 bytes", "41.0 kB", "133.2 MB", "1.4 GB".
fn size(bytes: u64) -> String {
    if bytes < 1000 {
        return plural(bytes as usize, "byte");
    }
    // The largest unit that does not read "0.x", so 999,960 bytes are
    // "1.0 MB", not "1000.0 kB".
    [("GB", 1e9), ("MB", 1e6), ("kB", 1e3)]
        .iter()
        .map(|(unit, scale)| format!("{:.1} {unit}", bytes as f64 / scale))
        .find(|s| !s.starts_with("0."))
        .expect("at least 1000 bytes are at least 1.0 kB")
}

/// Why a build failed. The output directory is then as it was before.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("`{0}` exists and is not a directory")]
    NotADirectory(PathBuf),
    #[error("`{0}` is a directory where the site needs a file; move it away")]
    InTheWay(PathBuf),
    #[error("cannot read `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write `{path}`")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot render `{url}`")]
    Render {
        url: String,
        #[source]
        source: askama::Error,
    },
    #[error("cannot compare `{slugs}`")]
    Decide {
        slugs: String,
        #[source]
        source: verdict_core::DecideError,
    },
    #[error("cannot start the rendering threads")]
    Threads(#[source] rayon::ThreadPoolBuildError),
}

/// One unit of parallel work.
enum Job<'a> {
    Comparison(&'a [String]),
    Topic(&'a Topic),
    Category(&'a str),
    Home,
    NotFound,
    Search,
    /// Non-page files: feeds, assets, API lists, the search index.
    Files,
    Redirects(&'a [Redirect]),
}

impl Job<'_> {
    fn pages(&self) -> u64 {
        match self {
            Job::Files | Job::Redirects(_) => 0,
            _ => 1,
        }
    }
}

/// Redirect pages are tiny; writing them in batches keeps the job list short.
const REDIRECT_BATCH: usize = 64;

/// Folders every build writes into, made before the parallel part so each
/// page only has to make its own folder.
const FOLDERS: &[&str] = &[
    "compare",
    "topics",
    "categories",
    "search",
    "assets",
    "api",
    "api/v1",
    "api/v1/comparisons",
    "api/v1/topics",
    "badges",
    "badges/topics",
];

/// Everything a job needs.
struct Ctx<'a> {
    catalog: &'a Catalog,
    site: &'a SiteConfig,
    out: &'a Output,
    search_index: &'a (String, String),
    redirects_file: &'a str,
    og_images: bool,
    cache: Option<ImageCache>,
    /// The hashes of this build's images, so pruning keeps them.
    images: Mutex<HashSet<u64>>,
    drawn: AtomicUsize,
    from_cache: AtomicUsize,
}

/// Writes the static site for `catalog` into `out`. See the crate
/// documentation for the file layout and the guarantees.
pub fn build(
    catalog: &Catalog,
    site: &SiteConfig,
    out: &Path,
    options: Options<'_>,
) -> Result<Report, ExportError> {
    let started = Instant::now();
    let comparisons = exported_comparisons(catalog);
    let redirects = redirects(catalog, &comparisons);
    let redirects_file = redirects::redirects_file(site, &redirects);
    let index = search_index(site, catalog);

    let mut jobs: Vec<Job<'_>> = vec![Job::Home, Job::NotFound, Job::Search, Job::Files];
    jobs.extend(catalog.categories().iter().map(|c| Job::Category(&c.slug)));
    jobs.extend(catalog.topics().iter().map(Job::Topic));
    jobs.extend(comparisons.iter().map(|c| Job::Comparison(c)));
    jobs.extend(redirects.chunks(REDIRECT_BATCH).map(Job::Redirects));
    let pages: u64 = jobs.iter().map(Job::pages).sum();

    let output = Output::open(out)?;
    for f in FOLDERS {
        output.dir(f)?;
    }
    if !options.no_og_images {
        output.dir("og")?;
    }
    let ctx = Ctx {
        catalog,
        site,
        out: &output,
        search_index: &index,
        redirects_file: &redirects_file,
        og_images: !options.no_og_images,
        cache: match options.image_cache {
            Some(dir) if !options.no_og_images => Some(ImageCache::open(dir)?),
            _ => None,
        },
        images: Mutex::default(),
        drawn: AtomicUsize::new(0),
        from_cache: AtomicUsize::new(0),
    };
    if let Some(p) = options.progress {
        p.start(pages);
    }
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = options.jobs {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool.build().map_err(ExportError::Threads)?;
    let produced: Vec<Vec<String>> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let files = run(&ctx, job)?;
                if let (Some(p), n @ 1..) = (options.progress, job.pages()) {
                    p.advance(n);
                }
                Ok(files)
            })
            .collect::<Result<_, ExportError>>()
    })?;
    let produced: Vec<String> = produced.into_iter().flatten().collect();
    let files = produced.len();
    let Ctx {
        cache,
        images,
        drawn,
        from_cache,
        ..
    } = ctx;
    let stats = output.commit(&produced)?;
    let images = images.into_inner().unwrap_or_else(|e| e.into_inner());
    let (cache_write_failures, cache_pruned) = match &cache {
        Some(cache) => (cache.write_failures(), cache.prune(&images, KEEP_UNUSED)),
        None => (0, 0),
    };
    Ok(Report {
        pages: pages as usize,
        redirects: redirects.len(),
        files,
        written: stats.written,
        skipped: stats.skipped,
        removed: stats.removed,
        bytes_written: stats.bytes_written,
        bytes: stats.bytes,
        images_drawn: drawn.into_inner(),
        images_from_cache: from_cache.into_inner(),
        cache_write_failures,
        cache_pruned,
        elapsed: started.elapsed(),
    })
}

/// Renders `page` (served at `url`) and hands the HTML to `then`. Each
/// rendering thread reuses one buffer: growing a fresh string to a page of
/// 100 KB, page after page, cost more than writing the file.
fn rendered<T: Template, R>(
    url: &str,
    page: &T,
    then: impl FnOnce(&str) -> Result<R, ExportError>,
) -> Result<R, ExportError> {
    thread_local! {
        static BUFFER: RefCell<String> = const { RefCell::new(String::new()) };
    }
    BUFFER.with_borrow_mut(|buf| {
        buf.clear();
        page.render_into(buf)
            .map_err(|source| ExportError::Render {
                url: url.to_owned(),
                source,
            })?;
        then(buf)
    })
}

/// Collects the relative paths a job wrote (or left unchanged).
struct Files<'a> {
    ctx: &'a Ctx<'a>,
    paths: Vec<String>,
}

impl Files<'_> {
    fn file(&mut self, rel: String, bytes: &[u8]) -> Result<(), ExportError> {
        self.ctx.out.file(&rel, bytes)?;
        self.paths.push(rel);
        Ok(())
    }

    /// The comparison's Open Graph image at `rel`. Drawing one costs
    /// milliseconds, thousands of times over, so an image an earlier build
    /// drew from the same source (the hash in its `tEXt` chunk) is kept
    /// without drawing it again, and one the image cache holds is copied.
    fn og_image(&mut self, rel: String, view: &ComparisonView) -> Result<(), ExportError> {
        let ctx = self.ctx;
        let image = verdict_render::og::comparison(view);
        if ctx.cache.is_some() {
            ctx.images
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(image.hash);
        }
        match ctx.out.earlier(&rel, verdict_render::og::HEAD_BYTES) {
            Some(head) if image.drawn_in(&head) => ctx.out.keep(&rel)?,
            _ => match ctx.cache.as_ref().and_then(|c| c.get(&image)) {
                Some(png) => {
                    ctx.from_cache.fetch_add(1, Ordering::Relaxed);
                    ctx.out.file(&rel, &png)?;
                }
                None => {
                    let png = image.png();
                    ctx.drawn.fetch_add(1, Ordering::Relaxed);
                    ctx.out.file(&rel, &png)?;
                    if let Some(cache) = &ctx.cache {
                        cache.put(&image, &png);
                    }
                }
            },
        }
        self.paths.push(rel);
        Ok(())
    }

    /// A page at `path` (`/topics/go`): `topics/go/index.html`.
    fn page(&mut self, path: &str, html: &str) -> Result<(), ExportError> {
        let dir = path.trim_matches('/');
        if dir.is_empty() {
            return self.file("index.html".to_owned(), html.as_bytes());
        }
        self.ctx.out.dir(dir)?;
        self.file(format!("{dir}/index.html"), html.as_bytes())
    }
}

fn run(ctx: &Ctx<'_>, job: &Job<'_>) -> Result<Vec<String>, ExportError> {
    let (catalog, site) = (ctx.catalog, ctx.site);
    let mut f = Files {
        ctx,
        paths: Vec::new(),
    };
    match job {
        Job::Comparison(slugs) => {
            let topics: Vec<&Topic> = slugs.iter().filter_map(|s| catalog.topic(s)).collect();
            let key = ComparisonKey::new(slugs);
            let pair = key.to_string();
            let view = ComparisonView::build(catalog, &site.urls, &topics, &Preferences::default())
                .map_err(|source| ExportError::Decide {
                    slugs: pair.clone(),
                    source,
                })?;
            let path = Urls::default().comparison(&key);
            rendered(&path, &html::comparison(site, catalog, &view), |html| {
                f.page(&path, html)
            })?;
            f.file(
                format!("api/v1/comparisons/{pair}.json"),
                resources::comparison(&view).as_bytes(),
            )?;
            f.file(
                format!("badges/{pair}.svg"),
                verdict_render::badge::comparison(&view).as_bytes(),
            )?;
            if ctx.og_images {
                f.og_image(format!("og/{pair}.png"), &view)?;
            }
        }
        Job::Topic(t) => {
            let path = format!("/topics/{}", t.slug);
            rendered(&path, &html::topic(site, catalog, t), |html| {
                f.page(&path, html)
            })?;
            f.file(
                format!("api/v1/topics/{}.json", t.slug),
                resources::topic(site, catalog, t).as_bytes(),
            )?;
            f.file(
                format!("badges/topics/{}.svg", t.slug),
                verdict_render::badge::topic(catalog, t).as_bytes(),
            )?;
        }
        Job::Category(slug) => {
            let path = format!("/categories/{slug}");
            if let Some(page) = html::category(site, catalog, slug) {
                rendered(&path, &page, |html| f.page(&path, html))?;
            }
        }
        Job::Home => rendered("/", &html::home(site, catalog), |html| f.page("/", html))?,
        Job::NotFound => {
            let page = html::error(
                site,
                catalog,
                404,
                "Not found",
                "There is no page at this address.",
                Vec::new(),
            );
            rendered("/404.html", &page, |html| {
                f.file("404.html".to_owned(), html.as_bytes())
            })?;
        }
        Job::Search => {
            let (url, _) = ctx.search_index;
            let page = html::static_search(site, catalog, &site.urls.absolute(url));
            rendered("/search", &page, |html| f.page("/search", html))?;
        }
        Job::Files => {
            f.file(
                "sitemap.xml".to_owned(),
                site::sitemap(site, catalog).as_bytes(),
            )?;
            f.file("feed.xml".to_owned(), site::feed(site, catalog).as_bytes())?;
            f.file("robots.txt".to_owned(), site::robots(site).as_bytes())?;
            for a in assets::all() {
                f.file(a.path.trim_start_matches('/').to_owned(), a.body.as_bytes())?;
            }
            let (url, body) = ctx.search_index;
            f.file(url.trim_start_matches('/').to_owned(), body.as_bytes())?;
            f.file(
                "api/v1/topics.json".to_owned(),
                resources::topics(site, catalog, None, None).as_bytes(),
            )?;
            f.file(
                "api/v1/categories.json".to_owned(),
                resources::categories(site, catalog).as_bytes(),
            )?;
            f.file(
                "api/v1/criteria.json".to_owned(),
                resources::criteria(catalog).as_bytes(),
            )?;
            f.file(
                "api/v1/openapi.json".to_owned(),
                resources::openapi(catalog).as_bytes(),
            )?;
            f.file("_redirects".to_owned(), ctx.redirects_file.as_bytes())?;
        }
        Job::Redirects(batch) => {
            for r in *batch {
                f.page(&r.from, &redirect_page(site, &r.to))?;
            }
        }
    }
    Ok(f.paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(pages: usize, files: usize, bytes: u64, removed: usize) -> Report {
        Report {
            pages,
            redirects: 0,
            files,
            written: files - 2,
            skipped: 2,
            removed,
            bytes_written: bytes / 2,
            bytes,
            images_drawn: 0,
            images_from_cache: 0,
            cache_write_failures: 0,
            cache_pruned: 0,
            elapsed: Duration::from_millis(452),
        }
    }

    fn check(r: &Report, expect: &str) {
        assert_eq!(r.summary(), expect);
    }

    #[test]
    fn summary_gives_pages_size_and_seconds() {
        check(
            &report(3963, 12320, 133_162_582, 0),
            "built 3963 pages (12320 files, 133.2 MB): wrote 12318, skipped 2 unchanged, in 0.45 s",
        );
        check(
            &report(1, 3, 999, 4),
            "built 1 page (3 files, 999 bytes): wrote 1, skipped 2 unchanged, in 0.45 s; removed 4 stale",
        );
    }

    #[test]
    fn summary_says_how_many_images_were_drawn_and_how_many_came_from_the_cache() {
        let with = |drawn, cached, failed| Report {
            images_drawn: drawn,
            images_from_cache: cached,
            cache_write_failures: failed,
            ..report(5, 9, 2000, 0)
        };
        let start = "built 5 pages (9 files, 2.0 kB): wrote 7, skipped 2 unchanged, in 0.45 s";
        check(&with(0, 0, 0), start);
        check(&with(1, 0, 0), &format!("{start}; drew 1 image"));
        check(
            &with(3, 0, 1),
            &format!("{start}; drew 3 images; 1 image could not be written to the image cache"),
        );
        check(
            &with(0, 4498, 0),
            &format!("{start}; drew 0 images, 4498 from the image cache"),
        );
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        for (bytes, expect) in [
            (0, "0 bytes"),
            (1, "1 byte"),
            (999, "999 bytes"),
            (1000, "1.0 kB"),
            (41_049, "41.0 kB"),
            (949_999, "950.0 kB"),
            (950_000, "950.0 kB"),
            (999_960, "1.0 MB"),
            (133_162_582, "133.2 MB"),
            (1_400_000_000, "1.4 GB"),
        ] {
            assert_eq!(size(bytes), expect, "{bytes}");
        }
    }
}
