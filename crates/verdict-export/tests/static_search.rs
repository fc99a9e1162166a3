//! The static site's search box, as a reader uses it: the real `search.js`
//! the export ships, run under Node (in a stand-in for its page) against
//! the exported index, compared with what the server's search
//! (`verdict_core::search`) puts first.

mod support;

use std::path::PathBuf;
use std::process::Command;

use verdict_core::search;

use support::{BASE, bundled, file_for, shared_site};

fn node() -> Option<String> {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| "node".to_owned())
}

/// What the reader sees after one search.
#[derive(Debug, serde::Deserialize)]
struct Seen {
    query: String,
    /// "3 results for “go”", "Nothing matches “…”.", or none for an empty box.
    count: Option<String>,
    /// The result links, top first.
    urls: Vec<String>,
    /// The address bar's query string.
    address: String,
}

#[derive(Debug, serde::Deserialize)]
struct Session {
    /// URLs the script fetched.
    fetched: Vec<String>,
    /// The search box after the page loaded with `?q=<first query>`.
    loaded: String,
    results: Vec<Seen>,
}

/// The value of `attr="…"` after `after` in `html`.
fn attribute<'a>(html: &'a str, after: &str, attr: &str) -> &'a str {
    let from = html.find(after).unwrap_or_else(|| panic!("no {after}"));
    let key = format!(" {attr}=\"");
    let at = from + html[from..].find(&key).unwrap() + key.len();
    &html[at..at + html[at..].find('"').unwrap()]
}

/// Opens the exported search page with `?q=<queries[0]>`, then types and
/// submits each other query. `None` when Node is missing.
fn search_in_the_browser(test: &str, queries: &[&str]) -> Option<Session> {
    let Some(node) = node() else {
        // CI installs Node (.ci/run); a developer machine without it skips loudly.
        eprintln!("SKIPPED {test}: `node` is not installed");
        return None;
    };
    let root = shared_site();
    let page = std::fs::read_to_string(root.join("search/index.html")).unwrap();
    let script_url = attribute(&page, "<script src=\"/assets/search.", "src");
    let script: PathBuf = file_for(root, script_url).expect("the page's script is exported");
    let index_url = attribute(&page, "<form", "data-index");
    let index = file_for(root, index_url.strip_prefix(BASE).unwrap()).expect("the index exists");

    let dir = tempfile::tempdir().unwrap();
    let queries_file = dir.path().join("queries.json");
    std::fs::write(&queries_file, serde_json::to_string(queries).unwrap()).unwrap();
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/static_search.js");
    let out = Command::new(node)
        .arg(harness)
        .arg(&script)
        .arg(index_url)
        .arg(&index)
        .arg(&queries_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let session: Session = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        session.fetched,
        [index_url],
        "the script loads the page's index"
    );
    assert_eq!(session.results.len(), queries.len());
    Some(session)
}

fn topic(slug: &str) -> String {
    format!("{BASE}/topics/{slug}")
}

#[test]
fn the_search_box_works_without_a_server() {
    let queries = ["golang", "k8s", "go lang", "Vue.js", "C++", "xyzzyqq", ""];
    let Some(session) = search_in_the_browser("the_search_box_works_without_a_server", &queries)
    else {
        return;
    };
    // Opened as /search?q=golang, the box holds the query and results show.
    assert_eq!(session.loaded, "golang");
    let seen = |q: &str| session.results.iter().find(|s| s.query == q).unwrap();

    // Aliases and punctuation find their topic, first.
    for (q, slug) in [
        ("golang", "go"),
        ("k8s", "kubernetes"),
        ("go lang", "go"),
        ("Vue.js", "vue"),
        ("C++", "cpp"),
    ] {
        assert_eq!(
            seen(q).urls.first(),
            Some(&topic(slug)),
            "{q:?}: {:?}",
            seen(q)
        );
    }
    assert_eq!(seen("k8s").count.as_deref(), Some("2 results for “k8s”"));
    for s in session.results.iter().filter(|s| !s.urls.is_empty()) {
        let n = s.urls.len();
        let count = format!(
            "{n} result{} for “{}”",
            if n == 1 { "" } else { "s" },
            s.query
        );
        assert_eq!(s.count.as_ref(), Some(&count), "{s:?}");
    }
    // Nonsense finds nothing, and says so.
    let none = seen("xyzzyqq");
    assert!(none.urls.is_empty(), "{none:?}");
    assert_eq!(none.count.as_deref(), Some("Nothing matches “xyzzyqq”."));
    // An empty box shows nothing at all.
    assert_eq!((seen("").count.as_deref(), seen("").urls.len()), (None, 0));
    // Each search is in the address bar, so it can be shared.
    assert_eq!(seen("C++").address, "?q=C%2B%2B");
}

/// The page ranks like the server: exact, prefix, word, typo, then
/// tagline matches, so the top result is the same.
#[test]
fn the_search_box_puts_first_what_the_server_puts_first() {
    let catalog = bundled();
    // What a reader would try: exact names, aliases, typos, abbreviations.
    let expected = [
        ("Go", "go"),
        ("C", "c"),
        ("React", "react"),
        ("Rust", "rust"),
        ("Docker", "docker"),
        ("PostgreSQL", "postgresql"),
        ("postgres", "postgresql"),
        ("ruby on rails", "ruby-on-rails"),
        ("node.js", "nodejs"),
        ("postgress", "postgresql"),
        ("kubernets", "kubernetes"),
        ("typscript", "typescript"),
        ("javscript", "javascript"),
        ("product mgmt", "product-management"),
    ];
    // And a sample of topic names and aliases, to compare with the server
    // (all of them take a minute in a debug build).
    let mut queries: Vec<&str> = expected.iter().map(|(q, _)| *q).collect();
    for t in catalog.topics().iter().step_by(3) {
        queries.push(&t.name);
        queries.extend(t.aliases.first().map(String::as_str));
    }
    let Some(session) = search_in_the_browser(
        "the_search_box_puts_first_what_the_server_puts_first",
        &queries,
    ) else {
        return;
    };
    let mut wrong = Vec::new();
    for (seen, (q, slug)) in session.results.iter().zip(expected) {
        if seen.urls.first() != Some(&topic(slug)) {
            wrong.push(format!("{q:?}: page shows {:?} first", seen.urls.first()));
        }
    }
    for seen in &session.results {
        let server = search::search(&catalog, &seen.query, 1)
            .first()
            .map(|h| topic(h.slug));
        if seen.urls.first() != server.as_ref() {
            wrong.push(format!(
                "{:?}: page {:?}, server {:?}",
                seen.query,
                seen.urls.first(),
                server
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} problems in {} queries:\n{}",
        wrong.len(),
        session.results.len(),
        wrong.join("\n")
    );
}
