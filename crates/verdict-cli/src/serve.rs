//! `verdict serve`: the web site and JSON API.

use std::net::SocketAddr;

use clap::Args;

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
    /// proxy (e.g. X-Forwarded-For; its rightmost entry is used).
    #[arg(long, value_name = "HEADER")]
    client_ip_header: Option<String>,
}

/// The admin API's bearer token comes from the environment only, so it
/// never shows in `ps`.
pub const ADMIN_TOKEN_ENV: &str = "VERDICT_ADMIN_TOKEN";

/// Shortest admin token accepted: a guessable token is worse than none.
const MIN_ADMIN_TOKEN: usize = 16;

fn vote_settings(args: &ServeArgs) -> anyhow::Result<verdict_web::VoteSettings> {
    let admin_token = match std::env::var(ADMIN_TOKEN_ENV) {
        Ok(t) if t.trim().is_empty() => None,
        Ok(t) if t.trim().len() < MIN_ADMIN_TOKEN => {
            anyhow::bail!("{ADMIN_TOKEN_ENV} must be at least {MIN_ADMIN_TOKEN} characters long")
        }
        Ok(t) => Some(t.trim().to_owned()),
        Err(_) => None,
    };
    let settings = verdict_web::VoteSettings {
        rate_per_minute: args.vote_rate_limit,
        admin_token,
        client_ip_header: args.client_ip_header.clone(),
        ..verdict_web::VoteSettings::default()
    };
    settings
        .check()
        .map_err(|e| anyhow::anyhow!("--client-ip-header: {e}"))?;
    Ok(settings)
}

pub fn run(args: ServeArgs, catalog: Catalog) -> anyhow::Result<()> {
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
    let config = Config {
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        ..Config::default()
    };
    let topics = catalog.topics().len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        // Migrations run here, before the first request.
        let store = verdict_store::open(&database, verdict_store::Open::CreateIfMissing)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the vote database {database}: {e}"))?;
        tracing::info!(%database, admin_api = votes.admin_token.is_some(), "votes are kept in {database}");
        let state = AppState::new(catalog, site, &config).with_votes(store.clone(), votes, &config);
        let app = verdict_web::router(state, &config);
        let listener = tokio::net::TcpListener::bind(args.addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", args.addr))?;
        let local = listener.local_addr()?;
        tracing::info!(%local, topics, "verdict is serving on http://{local}/");
        let served = verdict_web::serve(listener, app, verdict_web::shutdown_signal()).await;
        // Votes in flight were answered before `serve` returned; close
        // the store cleanly (SQLite checkpoints its WAL).
        store.close().await;
        served?;
        anyhow::Ok(())
    })
}
