//! One renderer: an exported file is the body `verdict serve` sends for the
//! same URL with the same settings, for a sample of every page and API
//! type, and every redirect page goes where the server's `301` goes.
//!
//! It lives with the web tests (verdict-web dev-depends on verdict-export)
//! so that the static generator itself needs no HTTP crate.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use verdict_core::Catalog;
use verdict_render::site::exported_comparisons;
use verdict_render::{SiteConfig, Urls};
use verdict_web::{AppState, Config};

const BASE: &str = "https://example.org";

/// Settings as `verdict build --base-url … --today 2026-11-30` makes them.
fn site(base: &str) -> SiteConfig {
    SiteConfig {
        urls: Urls::new(base),
        contact_email: Some("picks@example.org".into()),
        today: "2026-11-30".into(),
        ..SiteConfig::default()
    }
}

fn bundled() -> Catalog {
    crate::support::catalog().clone()
}

/// The bundled catalog exported once with [`BASE`], into a fixed folder
/// under the target directory that each run rebuilds in place. A
/// `TempDir` held in a static is never dropped, so it left a whole site
/// (about 400 MB with images) in the system's temporary folder every run.
fn shared_site() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-site");
        verdict_export::build(&bundled(), &site(BASE), &out, Default::default()).unwrap();
        out
    })
}

fn router() -> axum::Router {
    let config = Config::default();
    verdict_web::router(AppState::new(bundled(), site(BASE), &config), &config)
}

/// Status, `Location` and body of `GET path`, with no `Accept-Encoding`.
async fn get(app: &axum::Router, path: &str) -> (StatusCode, Option<String>, Vec<u8>) {
    let res = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, location, body)
}

/// (URL, exported file) pairs: a sample of every kind of resource.
fn sample() -> Vec<(String, String)> {
    let catalog = bundled();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut page = |url: String| {
        let file = format!("{}/index.html", url.trim_matches('/'))
            .trim_start_matches('/')
            .to_owned();
        out.push((url, file));
    };
    page("/".into());
    let published = exported_comparisons(&catalog);
    // Multi-way editorials, if the catalog has any.
    let mut pairs: Vec<&Vec<String>> = published.iter().filter(|p| p.len() > 2).collect();
    fn slugs(p: &[String]) -> Vec<&str> {
        p.iter().map(String::as_str).collect()
    }
    let editorial: Vec<&Vec<String>> = published
        .iter()
        .filter(|p| p.len() == 2 && catalog.editorial(&slugs(p)).is_some())
        .collect();
    pairs.extend(editorial.iter().step_by(10));
    pairs.extend(published.iter().step_by(250));
    // A declared alternative across categories, if any.
    pairs.extend(
        published
            .iter()
            .filter(|p| {
                let cats: Vec<&str> = p
                    .iter()
                    .filter_map(|s| catalog.topic(s))
                    .map(|t| t.category.as_str())
                    .collect();
                cats.windows(2).any(|w| w[0] != w[1])
            })
            .take(2),
    );
    for p in &pairs {
        page(format!("/compare/{}", p.join("-vs-")));
    }
    let topics: Vec<&str> = catalog
        .topics()
        .iter()
        .step_by(20)
        .map(|t| t.slug.as_str())
        .collect();
    for t in &topics {
        page(format!("/topics/{t}"));
    }
    for c in catalog.categories() {
        page(format!("/categories/{}", c.slug));
    }
    for p in &pairs {
        let pair = p.join("-vs-");
        out.push((
            format!("/api/v1/comparisons/{pair}"),
            format!("api/v1/comparisons/{pair}.json"),
        ));
    }
    for t in &topics {
        out.push((
            format!("/api/v1/topics/{t}"),
            format!("api/v1/topics/{t}.json"),
        ));
        out.push((
            format!("/badges/topics/{t}.svg"),
            format!("badges/topics/{t}.svg"),
        ));
    }
    for p in &pairs {
        let pair = p.join("-vs-");
        out.push((format!("/badges/{pair}.svg"), format!("badges/{pair}.svg")));
        out.push((format!("/og/{pair}.png"), format!("og/{pair}.png")));
    }
    for name in ["topics", "categories", "criteria"] {
        out.push((format!("/api/v1/{name}"), format!("api/v1/{name}.json")));
    }
    for name in [
        "api/v1/openapi.json",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
    ] {
        out.push((format!("/{name}"), name.to_owned()));
    }
    for a in verdict_render::assets::all() {
        out.push((a.path.clone(), a.path.trim_start_matches('/').to_owned()));
    }
    out
}

#[tokio::test]
async fn exported_files_are_the_bytes_the_server_sends() {
    let root = shared_site();
    let app = router();
    let sample = sample();
    assert!(sample.len() > 80, "sample of {}", sample.len());
    let images = sample.iter().filter(|(url, _)| url.starts_with("/og/"));
    assert!(
        images.count() >= 2,
        "Open Graph images of several comparisons"
    );
    let mut differ = Vec::new();
    for (url, file) in &sample {
        let (status, _, body) = get(&app, url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        let exported = std::fs::read(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        if exported != body {
            differ.push(url.as_str());
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} differ from the server: {differ:?}",
        differ.len(),
        sample.len()
    );
}

#[tokio::test]
async fn redirect_pages_go_where_the_server_redirects() {
    let root = shared_site();
    let catalog = bundled();
    let app = router();
    let redirects = verdict_export::redirects(&catalog, &exported_comparisons(&catalog));
    assert!(
        redirects
            .iter()
            .any(|r| r.from == "/topics/golang" && r.to == "/topics/go"),
        "alias redirects"
    );
    assert!(
        redirects.iter().any(|r| r.from.starts_with("/compare/")),
        "order redirects"
    );
    let lines = std::fs::read_to_string(root.join("_redirects")).unwrap();
    for r in &redirects {
        let (status, location, _) = get(&app, &r.from).await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::MOVED_PERMANENTLY, Some(r.to.as_str())),
            "{}",
            r.from
        );
        let page =
            std::fs::read_to_string(root.join(r.from.trim_start_matches('/')).join("index.html"))
                .unwrap();
        let target = format!("{BASE}{}", r.to);
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
            "{page}"
        );
        assert!(
            page.contains(&format!("content=\"0; url={target}\"")),
            "{page}"
        );
        assert!(
            lines.contains(&format!("\n{} {} 301\n", r.from, r.to)),
            "{} missing from _redirects",
            r.from
        );
    }
    let count = lines.lines().filter(|l| l.ends_with(" 301")).count();
    assert_eq!(
        count,
        redirects.len(),
        "one _redirects line per redirect page"
    );
}
