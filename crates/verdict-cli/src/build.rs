//! `verdict build`: the static site, for any static host or CDN.
//!
//! Refuses content with errors before touching the output directory, so a
//! failed build always leaves the previous site in place.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use verdict_content::Options;
use verdict_render::{SiteConfig, Urls};

use crate::Exit;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Directory to write the site into (created if missing; files of an
    /// earlier build that are unchanged are left alone).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Public base URL, used in links, canonical URLs, the sitemap and the
    /// feed (default: site-relative links, for serving from the host's root).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Rendering threads (default: one per CPU).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Leave out the Open Graph images (og/<key>.png), most of a first
    /// build's time; pages still point at them.
    #[arg(long)]
    no_og_images: bool,
    /// Where drawn Open Graph images are kept for later builds, into any
    /// directory (default: verdict's folder in the user's cache directory,
    /// e.g. ~/.cache/verdict). Entries no build used for 30 days are removed.
    #[arg(long, value_name = "DIR", env = "VERDICT_CACHE_DIR")]
    cache_dir: Option<PathBuf>,
    /// Use no image cache (whatever --cache-dir says): draw every image an
    /// earlier build in --out did not leave.
    #[arg(long)]
    no_cache: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Date the site is built as of (YYYY-MM-DD), used only to mark stale
    /// evidence (default: $SOURCE_DATE_EPOCH if set, otherwise today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<String>,
    /// Address shown as "Disagree with our pick? Write to …".
    #[arg(long, value_name = "EMAIL", env = "VERDICT_CONTACT")]
    contact: Option<String>,
    /// Flag evidence older than this many months as stale.
    #[arg(long, default_value_t = 12)]
    stale_after_months: u32,
}

fn parse_date(s: &str) -> Result<String, String> {
    s.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| format!("expected a date like 2026-11-30, got `{s}`"))
}

/// `--today`, else `SOURCE_DATE_EPOCH` (reproducible builds), else the clock.
fn today(arg: Option<String>) -> anyhow::Result<String> {
    if let Some(d) = arg {
        return Ok(d);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 = epoch.trim().parse().map_err(|_| {
            anyhow::anyhow!("SOURCE_DATE_EPOCH must be seconds since 1970, got `{epoch}`")
        })?;
        let ts = jiff::Timestamp::from_second(secs)?;
        return Ok(ts.to_zoned(jiff::tz::TimeZone::UTC).date().to_string());
    }
    Ok(jiff::Zoned::now().date().to_string())
}

/// An indicatif bar on stderr: pages done, rate, time left.
struct Bar(ProgressBar);

impl verdict_export::Progress for Bar {
    fn start(&self, pages: u64) {
        self.0.set_length(pages);
        self.0.reset_eta();
    }

    fn advance(&self, pages: u64) {
        self.0.inc(pages);
    }
}

pub fn run(args: BuildArgs, content: Option<&Path>) -> anyhow::Result<()> {
    let mut err = anstream::stderr();
    let loaded = match content {
        None => verdict_bundle::load(),
        Some(dir) => match verdict_content::load_dir(dir, Options::default()) {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(err, "verdict: {e}");
                return Err(Exit(2).into());
            }
        },
    };
    let errors: Vec<_> = loaded.errors().collect();
    if !errors.is_empty() {
        for d in &errors {
            let _ = writeln!(err, "{d}");
        }
        let _ = writeln!(
            err,
            "verdict: the content has {} error(s); nothing was written to `{}`",
            errors.len(),
            args.out.display()
        );
        return Err(Exit(1).into());
    }
    if args.base_url.is_none() && !args.quiet {
        let _ = writeln!(
            err,
            "verdict: note: without --base-url links are site-relative, and the sitemap and feed hold relative URLs"
        );
    }
    let site = SiteConfig {
        name: "verdict".into(),
        urls: Urls::new(args.base_url.as_deref().unwrap_or("")),
        contact_email: args.contact,
        stale_after_months: args.stale_after_months,
        today: today(args.today)?,
    };

    let draw = if args.quiet || !std::io::stderr().is_terminal() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    };
    let bar = ProgressBar::with_draw_target(None, draw);
    bar.set_style(
        ProgressStyle::with_template("{bar:32} {pos}/{len} pages  {rate} pages/s  ETA {eta}")
            .expect("a valid template")
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}", state.per_sec());
                },
            ),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let progress = Bar(bar);
    let cache = cache_dir(args.cache_dir, args.no_cache);
    let result = verdict_export::build(
        &loaded.catalog,
        &site,
        &args.out,
        verdict_export::Options {
            jobs: args.jobs,
            progress: Some(&progress),
            no_og_images: args.no_og_images,
            image_cache: cache.as_deref(),
        },
    );
    progress.0.finish_and_clear();
    let report = result.map_err(|e| {
        anyhow::Error::new(e).context(format!("building the site in `{}`", args.out.display()))
    })?;
    if !args.quiet {
        let mut out = anstream::stdout();
        writeln!(out, "{}", report.summary())?;
        out.flush()?;
    }
    Ok(())
}

/// `--cache-dir`, else the platform's cache directory (`$XDG_CACHE_HOME`,
/// `~/.cache`, or `%LOCALAPPDATA%` on Windows) plus `verdict`; none with
/// `--no-cache` or when there is no home directory to find it in.
fn cache_dir(arg: Option<PathBuf>, no_cache: bool) -> Option<PathBuf> {
    use etcetera::BaseStrategy as _;
    if no_cache {
        return None;
    }
    arg.or_else(|| {
        etcetera::choose_base_strategy()
            .ok()
            .map(|dirs| dirs.cache_dir().join("verdict"))
    })
}
