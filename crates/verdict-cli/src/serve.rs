//! `verdict serve`: the web site and JSON API; with `--watch`, reloaded
//! as its content is edited (`watch`).

mod watch;

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use verdict_content::{Loaded, Tree};
use verdict_core::Catalog;
use verdict_render::{SiteConfig, Urls};
use verdict_web::{AppState, Config};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Public base URL, used in canonical links, the sitemap and the feed
    /// (default: http://ADDR).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Address shown as "Disagree with our pick? Write to …".
    #[arg(long, value_name = "EMAIL", env = "VERDICT_CONTACT")]
    contact: Option<String>,
    /// Flag evidence older than this many months as stale.
    #[arg(long, default_value_t = 12)]
    stale_after_months: u32,
    /// Seconds a request may take before it is answered with 408.
    #[arg(long, default_value_t = 10)]
    request_timeout: u64,
    /// Where reader votes are kept: a SQLite file (created on first run) or
    /// a `postgres://user:password@host/db` URL shared by several servers.
    #[arg(
        long,
        value_name = "FILE|URL",
        env = "VERDICT_DATABASE",
        default_value = "verdict.db",
        hide_env_values = true
    )]
    database: String,
    /// Votes one address may send per minute; 0 turns the limit off (for
    /// load tests only).
    #[arg(long, value_name = "N", default_value_t = 10)]
    vote_rate_limit: u32,
    /// Take the reader's address from this header, set by your reverse
    /// proxy (e.g. X-Forwarded-For): the entry --trusted-proxies from the
    /// right, across all lines of the header.
    #[arg(long, value_name = "HEADER")]
    client_ip_header: Option<String>,
    /// Reverse proxies in front of the server that append to
    /// --client-ip-header (2 for a CDN in front of a load balancer).
    #[arg(long, value_name = "N", default_value_t = 1)]
    trusted_proxies: usize,
    /// Megabytes of ready-made pages and tallies kept in memory, all caches
    /// together.
    #[arg(long, value_name = "MB", default_value_t = 256)]
    cache_mb: u64,
    /// Seconds a client may take to send a request's headers, and longest
    /// an idle connection is kept open.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    header_timeout: u64,
    /// Connections served at once (default: 1024, or fewer when the
    /// open-file limit is lower).
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Let anyone read /metrics. Without it, /metrics needs the bearer
    /// token in VERDICT_METRICS_TOKEN, or answers 404 when that is unset.
    #[arg(long)]
    public_metrics: bool,
    /// For editing: reload the content of --content DIR when a file in it
    /// is saved, show its errors in the browser in place of every page, and
    /// reload open pages.
    #[arg(long)]
    pub watch: bool,
}

/// The content directory being watched, and its files as loaded at start.
#[derive(Debug)]
pub struct Watch {
    pub dir: PathBuf,
    pub tree: Tree,
}

/// The bearer token for `/metrics`, from the environment only.
pub const METRICS_TOKEN_ENV: &str = "VERDICT_METRICS_TOKEN";

/// Connections to serve at once: 1024, or the open-file limit less room for
/// the database, logs and the listener.
fn default_max_connections() -> usize {
    let soft_limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|l| l.starts_with("Max open files"))?
                .split_whitespace()
                .nth(3)?
                .parse::<usize>()
                .ok()
        });
    match soft_limit {
        Some(n) => n.saturating_sub(64).clamp(16, 1024),
        None => 1024,
    }
}

/// The admin API's bearer token comes from the environment only, so it
/// never shows in `ps`.
pub const ADMIN_TOKEN_ENV: &str = "VERDICT_ADMIN_TOKEN";

/// Shortest admin token accepted: a guessable token is worse than none.
const MIN_ADMIN_TOKEN: usize = 16;

fn vote_settings(args: &ServeArgs) -> anyhow::Result<verdict_web::VoteSettings> {
    let admin_token = match std::env::var(ADMIN_TOKEN_ENV) {
        Ok(t) if t.trim().is_empty() => None,
        // Characters, not bytes: eight accented letters are 16 bytes but a
        // guessable token.
        Ok(t) if t.trim().chars().count() < MIN_ADMIN_TOKEN => {
            anyhow::bail!("{ADMIN_TOKEN_ENV} must be at least {MIN_ADMIN_TOKEN} characters long")
        }
        Ok(t) => Some(t.trim().to_owned()),
        Err(_) => None,
    };
    let settings = verdict_web::VoteSettings {
        rate_per_minute: args.vote_rate_limit,
        admin_token,
        client_ip_header: args.client_ip_header.clone(),
        trusted_proxies: args.trusted_proxies,
        ..verdict_web::VoteSettings::default()
    };
    settings
        .check()
        .map_err(|e| anyhow::anyhow!("--client-ip-header: {e}"))?;
    Ok(settings)
}

/// Serves `loaded`; with `watch` (given exactly when `--watch` is), reloads
/// it from the directory as it changes.
pub fn run(args: ServeArgs, loaded: Loaded, watch: Option<Watch>) -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VERDICT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let votes = vote_settings(&args)?;
    let database = verdict_store::Settings::parse(&args.database)
        .map_err(|e| anyhow::anyhow!("--database: {e}"))?;
    let base = args
        .base_url
        .unwrap_or_else(|| format!("http://{}", args.addr));
    let site = SiteConfig {
        name: "verdict".into(),
        urls: Urls::new(&base),
        contact_email: args.contact,
        stale_after_months: args.stale_after_months,
        // Only used to flag stale evidence; the decision never sees it.
        today: jiff::Zoned::now().date().to_string(),
    };
    let metrics = match std::env::var(METRICS_TOKEN_ENV) {
        Ok(t) if !t.trim().is_empty() => {
            if t.trim().chars().count() < MIN_ADMIN_TOKEN {
                anyhow::bail!(
                    "{METRICS_TOKEN_ENV} must be at least {MIN_ADMIN_TOKEN} characters long"
                );
            }
            verdict_web::MetricsAccess::Token(t.trim().to_owned())
        }
        _ if args.public_metrics => verdict_web::MetricsAccess::Public,
        _ => verdict_web::MetricsAccess::Off,
    };
    let config = Config {
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        cache_bytes: args.cache_mb.saturating_mul(1024 * 1024),
        metrics,
        header_read_timeout: std::time::Duration::from_secs(args.header_timeout.max(1)),
        max_connections: args.max_connections.unwrap_or_else(default_max_connections),
    };
    let topics = loaded.catalog.topics().len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // Migrations run here, before the first request.
        let store = verdict_store::open(&database, verdict_store::Open::CreateIfMissing)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the vote database {database}: {e}"))?;
        tracing::info!(%database, admin_api = votes.admin_token.is_some(), "votes are kept in {database}");
        let build = {
            let (site, config, store) = (site.clone(), config.clone(), store.clone());
            move |catalog: Catalog| {
                AppState::new(catalog, site.clone(), &config).with_votes(
                    store.clone(),
                    votes.clone(),
                    &config,
                )
            }
        };
        let listener = tokio::net::TcpListener::bind(args.addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
        let local = listener.local_addr()?;
        let served = match watch {
            None => {
                let app = verdict_web::router(build(loaded.catalog), &config);
                tracing::info!(%local, topics, "verdict is serving on http://{local}/");
                verdict_web::serve(listener, app, verdict_web::shutdown_signal(), &config).await
            }
            Some(Watch { dir, tree }) => {
                let watching = watch::start(&dir, tree, loaded, site, config.clone(), Box::new(build))?;
                let live = watching.live();
                let app = verdict_web::watch::router(live.clone());
                tracing::info!(%local, topics, "verdict is serving on http://{local}/");
                let shutdown = async move {
                    verdict_web::shutdown_signal().await;
                    // Open pages' event streams end, so shutdown does not wait for them.
                    live.close();
                };
                let served = verdict_web::serve(listener, app, shutdown, &config).await;
                drop(watching);
                served
            }
        };
        // Votes in flight were answered before `serve` returned; close
        // the store cleanly (SQLite checkpoints its WAL).
        store.close().await;
        served?;
        anyhow::Ok(())
    })
}
