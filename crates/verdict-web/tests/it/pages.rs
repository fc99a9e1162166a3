//! Pages a reader opens: each answers with a page and the right heading,
//! personal picks, reader errors and "did you mean" 404s.

use axum::http::StatusCode;

use crate::support::{Resp, assert_page, get, get_with};

#[tokio::test]
async fn every_page_route_answers_with_a_page_and_its_heading() {
    for (uri, h1) in [
        ("/", "Which one should you pick?"),
        (
            "/compare/product-management-vs-technical-leadership",
            "Product Management vs Technical Leadership",
        ),
        ("/compare/go-vs-python-vs-rust", "Go vs Python vs Rust"),
        ("/topics/rust", "Rust"),
        ("/categories/languages", "Programming languages"),
        ("/search?q=postgre", "Search"),
    ] {
        let res = get(uri).await;
        assert_page(&res, uri);
        assert_eq!(res.h1(), h1, "{uri}");
        let html = res.text();
        let title = &html[html.find("<title>").expect("a title")..html.find("</title>").unwrap()];
        assert!(
            title.contains("verdict"),
            "{uri}: every title names the site: {title}"
        );
    }
}

#[tokio::test]
async fn a_three_way_comparison_shows_every_side_and_one_pick() {
    let res = get("/compare/go-vs-python-vs-rust").await;
    let html = res.text();
    for slug in ["go", "python", "rust"] {
        assert!(
            html.contains(&format!("data-side=\"{slug}\"")),
            "a card for {slug}"
        );
        assert!(
            html.contains(&format!("data-total=\"{slug}\"")),
            "an overall score for {slug}"
        );
    }
    assert_eq!(html.matches("class=\"side s").count(), 3);
    assert_eq!(
        html.matches(" is-pick\"").count(),
        1,
        "exactly one side is marked as the pick"
    );
    assert!(html.contains("<p class=\"badge\" id=\"pick-badge\">Our pick</p>"));
}

#[tokio::test]
async fn search_lists_matches_best_first() {
    let res = get("/search?q=postgre").await;
    assert_page(&res, "/search?q=postgre");
    let html = res.text();
    let results = &html[html.find("id=\"search-results\"").expect("results block")..];
    let first = results
        .find("href=\"https://verdict.test/topics/")
        .expect("at least one result");
    assert!(
        results[first..].starts_with("href=\"https://verdict.test/topics/postgresql\""),
        "the alias match comes first: {}",
        &results[..600.min(results.len())]
    );
    assert!(
        html.contains("<meta name=\"robots\" content=\"noindex\">"),
        "search results are not indexed"
    );
    assert!(
        html.contains("value=\"postgre\""),
        "the query stays in the box"
    );

    // Typing a topic's exact name or alias goes straight to it, even when
    // the word also appears in other topics' descriptions.
    for q in ["PostgreSQL", "postgres"] {
        let res = get(&format!("/search?q={q}")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{q}");
        assert_eq!(res.location(), "/topics/postgresql", "{q}");
    }
}

#[tokio::test]
async fn search_jumps_to_the_only_exact_hit_and_to_comparisons() {
    for (uri, target) in [
        ("/search?q=Django", "/topics/django"),
        ("/search?q=react+vs+vue", "/compare/react-vs-vue"),
        ("/search?q=Vue+versus+React", "/compare/react-vs-vue"),
        ("/search?q=golang%20vs%20rust", "/compare/go-vs-rust"),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(res.location(), target, "{uri}");
    }
}

#[tokio::test]
async fn search_without_matches_suggests_near_misses() {
    let res = get("/search?q=kubernets").await;
    assert_page(&res, "/search?q=kubernets");
    assert!(
        res.text().contains("/topics/kubernetes"),
        "a typo still finds Kubernetes"
    );

    let res = get(&format!("/search?q={}", "x".repeat(201))).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.text().contains("at most 200 characters"));
}

fn badge(res: &Resp) -> String {
    let html = res.text();
    let start = html.find("id=\"pick-badge\">").expect("pick badge") + "id=\"pick-badge\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

const NOINDEX: &str = "<meta name=\"robots\" content=\"noindex\">";

#[tokio::test]
async fn a_profile_gives_a_personal_pick_that_search_engines_skip() {
    let ours = get("/compare/go-vs-rust").await;
    assert_page(&ours, "/compare/go-vs-rust");
    assert_eq!(badge(&ours), "Our pick");
    assert!(!ours.text().contains(NOINDEX), "the shared page is indexed");

    let yours = get("/compare/go-vs-rust?profile=beginner").await;
    assert_page(&yours, "/compare/go-vs-rust?profile=beginner");
    assert_eq!(badge(&yours), "Your pick");
    let html = yours.text();
    assert!(html.contains(NOINDEX), "a personal pick is not indexed");
    assert!(
        html.contains("<option value=\"beginner\" selected>"),
        "the form shows the chosen profile"
    );
    assert!(
        html.contains("<link rel=\"canonical\" href=\"https://verdict.test/compare/go-vs-rust\">"),
        "the canonical URL is the shared page"
    );
}

/// The `name=value` pairs the page's personalise form submits without
/// JavaScript: the hidden `from`, the profile select and every weight.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let form = &html[html
        .find("<form id=\"personalise\"")
        .expect("personalise form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let start = tag.find(&key)? + key.len();
        Some(tag[start..start + tag[start..].find('"')?].to_owned())
    };
    let mut fields = Vec::new();
    for tag in form.split('<').filter(|t| t.starts_with("input ")) {
        fields.push((
            attr(tag, "name").unwrap(),
            attr(tag, "value").unwrap_or_default(),
        ));
    }
    assert!(form.contains("<select id=\"profile\" name=\"profile\">"));
    fields.insert(1, ("profile".into(), String::new()));
    fields
}

fn query(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn the_no_script_form_redirects_to_the_short_shareable_url() {
    let page = get("/compare/go-vs-rust").await;
    let fields = form_fields(&page.text());
    assert_eq!(fields[0], ("from".into(), String::new()));
    assert!(
        fields.iter().filter(|(k, _)| k.starts_with("w.")).count() >= 3,
        "{fields:?}"
    );
    assert!(
        fields.iter().any(|(k, _)| k == "w.performance"),
        "{fields:?}"
    );

    let set = |key: &str, value: &str| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == key {
                        value.to_owned()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect()
    };
    for (submitted, target) in [
        // Nothing changed: back to our pick.
        (fields.clone(), "/compare/go-vs-rust"),
        // A profile chosen; the weights shown were the defaults, not the reader's.
        (
            set("profile", "beginner"),
            "/compare/go-vs-rust?profile=beginner",
        ),
        // One weight changed: only that weight is kept.
        (
            set("w.performance", "5"),
            "/compare/go-vs-rust?w.performance=5",
        ),
    ] {
        let uri = format!("/compare/go-vs-rust?{}", query(&submitted));
        let res = get(&uri).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(res.location(), target, "{uri}");
    }

    let shared = get("/compare/go-vs-rust?w.performance=5").await;
    assert_page(&shared, "the short URL");
    assert_eq!(badge(&shared), "Your pick");
    assert!(shared.text().contains("name=\"w.performance\" type=\"number\" inputmode=\"decimal\" min=\"0\" max=\"10\" step=\"0.5\" value=\"5\""));
}

#[tokio::test]
async fn bad_personal_choices_get_a_page_that_says_what_is_wrong() {
    for (uri, message) in [
        (
            "/compare/go-vs-rust?w.performance=abc",
            "Weight “w.performance” must be a number from 0 to 10, got “abc”.",
        ),
        ("/compare/go-vs-rust?w.nope=3", "“nope”"),
        (
            "/compare/go-vs-rust?profile=nope",
            "Profile “nope” does not exist.",
        ),
        (
            "/compare/go-vs-rust?w.performance=11",
            "“performance” must be a number from 0 to 10, got 11.",
        ),
        (
            "/compare/go-vs-rust?w.performance=-1",
            "“performance” must be a number from 0 to 10, got -1.",
        ),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(res.content_type(), "text/html; charset=utf-8", "{uri}");
        assert_eq!(res.h1(), "That request did not work", "{uri}");
        assert!(res.text().contains(message), "{uri}: {}", res.main());
        assert!(res.text().contains(NOINDEX), "{uri}");
    }
}

/// The "Did you mean" links of an error page, as (text, URL).
fn did_you_mean(res: &Resp) -> Vec<(String, String)> {
    let html = res.text();
    let Some(start) = html.find("<h2>Did you mean</h2>") else {
        return Vec::new();
    };
    let list = &html[start..start + html[start..].find("</ul>").unwrap()];
    list.split("<li><a href=\"")
        .skip(1)
        .map(|li| {
            let (url, rest) = li.split_once("\">").unwrap();
            (
                rest[..rest.find("</a>").unwrap()].to_owned(),
                url.to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn unknown_topics_get_a_404_page_that_suggests_what_was_meant() {
    let res = get("/compare/rust-vs-nosuchthing").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.content_type(), "text/html; charset=utf-8");
    assert_eq!(res.h1(), "Not found");
    assert!(
        res.text().contains("We have no topic “nosuchthing”."),
        "{}",
        res.main()
    );
    // Nothing is close to "nosuchthing", so nothing unrelated is offered.
    assert!(did_you_mean(&res).is_empty(), "{}", res.main());

    let res = get("/compare/rust-vs-pythn").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let links = did_you_mean(&res);
    assert_eq!(
        links.first().map(|(text, _)| text.as_str()),
        Some("Python vs Rust"),
        "{links:?}"
    );

    let res = get("/compare/raect-vs-vue").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let links = did_you_mean(&res);
    assert_eq!(
        links.first(),
        Some(&(
            "React vs Vue".to_owned(),
            "https://verdict.test/compare/react-vs-vue".to_owned()
        )),
        "the corrected comparison is offered first: {links:?}"
    );

    let res = get("/topics/raust").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(
        did_you_mean(&res)
            .iter()
            .any(|(_, url)| url == "https://verdict.test/topics/rust")
    );

    let res = get("/categories/nope").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(
        did_you_mean(&res)
            .iter()
            .any(|(_, url)| url == "https://verdict.test/categories/languages")
    );
}

#[tokio::test]
async fn comparisons_that_cannot_exist_are_404_pages() {
    for uri in [
        "/compare/go",
        "/compare/go-vs-go",
        "/compare/a-vs-b-vs-c-vs-d-vs-e",
        "/compare/golang-vs-go",
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(res.content_type(), "text/html; charset=utf-8", "{uri}");
    }
}

#[tokio::test]
async fn any_other_path_is_a_404_page_and_api_paths_get_json() {
    let res = get("/nope/definitely").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.content_type(), "text/html; charset=utf-8");
    assert_eq!(res.h1(), "Not found");
    assert!(res.text().contains("There is no page at /nope/definitely."));
    assert!(
        res.text()
            .contains("<a href=\"https://verdict.test/\">Go to the home page</a>")
    );

    let res = get("/api/v1/nope").await;
    let message = crate::support::assert_envelope(&res, StatusCode::NOT_FOUND, "not_found");
    assert!(
        message.contains("/api/v1/openapi.json"),
        "points to the API's documentation: {message}"
    );
}

#[tokio::test]
async fn a_malformed_address_is_our_error_page_not_plain_text() {
    for uri in [
        "/topics/%FF",
        "/compare/%FF-vs-go",
        "/categories/%C3",
        "/assets/%FF.css",
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(
            res.content_type(),
            "text/html; charset=utf-8",
            "{uri}: {}",
            res.text()
        );
        assert!(res.text().contains("The address is malformed"), "{uri}");
    }
}

#[tokio::test]
async fn the_category_compare_form_leads_to_the_comparison() {
    let res = get("/compare?a=rust&b=go").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/compare/go-vs-rust");

    // Whatever was typed becomes a valid URL (it used to be a raw space,
    // raw UTF-8, or a 500 for a newline).
    for (uri, target) in [
        ("/compare?a=tech%20lead&b=pm", "/compare/tech%20lead-vs-pm"),
        ("/compare?a=r%C3%BCst&b=go", "/compare/r%C3%BCst-vs-go"),
        ("/compare?a=x%0Ay&b=go", "/compare/x%0Ay-vs-go"),
    ] {
        let res = get(uri).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(res.location(), target, "{uri}");
    }
    let next = get("/compare/tech%20lead-vs-pm").await;
    assert_eq!(
        next.location(),
        "/compare/product-management-vs-technical-leadership"
    );

    let res = get("/compare?a=go&b=go").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(
        res.text()
            .contains("Choose two different topics to compare.")
    );
}

/// The preferences a canonical personal URL's query names.
fn prefs_of(uri: &str) -> verdict_core::decide::Preferences {
    let mut prefs = verdict_core::decide::Preferences::default();
    let query = uri.split_once('?').map_or("", |(_, q)| q);
    for (k, v) in query.split('&').filter_map(|kv| kv.split_once('=')) {
        match k.strip_prefix("w.") {
            Some(c) => {
                prefs.weights.insert(c.to_owned(), v.parse().unwrap());
            }
            None if k == "profile" => prefs.profile = Some(v.to_owned()),
            None => panic!("unexpected query key {k} in {uri}"),
        }
    }
    prefs
}

#[tokio::test]
async fn personal_pages_are_the_bytes_a_whole_render_gives() {
    use askama::Template as _;
    use verdict_render::{ComparisonView, html};

    // The server keeps each comparison's personal page ready-made and
    // renders only the parts that depend on the weights; whatever the
    // weights, and whichever request made the frame, the page must be what
    // rendering it whole gives.
    let catalog = crate::support::catalog();
    let site = crate::support::site();
    let app = crate::support::app();
    let comparisons: [&[&str]; 4] = [
        &["go", "rust"],
        &["java", "kotlin"],
        &["python", "ruby", "rust"],
        &["django", "fastapi", "flask", "ruby-on-rails"],
    ];
    for slugs in comparisons {
        let topics: Vec<_> = slugs.iter().map(|s| catalog.topic(s).unwrap()).collect();
        let path = format!("/compare/{}", slugs.join("-vs-"));
        let mut queries: Vec<String> = catalog
            .profiles()
            .iter()
            .map(|p| format!("profile={}", p.slug))
            .collect();
        let defaults =
            verdict_core::decide::Weights::resolve(catalog, &topics, &Default::default()).unwrap();
        for (criterion, _) in &defaults.0 {
            for w in ["0", "0.5", "10"] {
                queries.push(format!("w.{criterion}={w}"));
            }
        }
        // Only one criterion counts: its leader becomes the pick.
        for (only, _) in &defaults.0 {
            let weights: Vec<String> = defaults
                .0
                .iter()
                .map(|(c, _)| format!("w.{c}={}", if c == only { 10 } else { 0 }))
                .collect();
            queries.push(weights.join("&"));
        }
        if let Some(p) = catalog.profiles().first() {
            queries.push(format!("profile={}&w.{}=7.5", p.slug, defaults.0[0].0));
        }
        let (mut picks, mut checked) = (std::collections::BTreeSet::new(), 0);
        for q in &queries {
            let mut uri = format!("{path}?{q}");
            let mut res = crate::support::get_on(app.clone(), &uri, &[]).await;
            if res.status == StatusCode::SEE_OTHER {
                // Not the canonical form of this choice (or the defaults).
                uri = res.location().to_owned();
                res = crate::support::get_on(app.clone(), &uri, &[]).await;
            }
            assert_eq!(res.status, StatusCode::OK, "{uri}");
            let prefs = prefs_of(&uri);
            let view = ComparisonView::build(catalog, &site.urls, &topics, &prefs).unwrap();
            let whole = html::comparison(&site, catalog, &view).render().unwrap();
            if res.text() != whole {
                let at = res
                    .text()
                    .bytes()
                    .zip(whole.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                panic!(
                    "{uri}: the served page differs from a whole render at byte {at}:\nserved: {}\nwhole:  {}",
                    &res.text()[at.saturating_sub(80)..(at + 80).min(res.text().len())],
                    &whole[at.saturating_sub(80)..(at + 80).min(whole.len())]
                );
            }
            if view.personal {
                picks.insert(view.decision.pick.clone());
                checked += 1;
            }
        }
        assert!(checked >= 10, "{path}: only {checked} personal pages");
        assert!(
            picks.len() >= 2,
            "{path}: the weights tried never change the pick, so the test shows little"
        );
    }
}

/// Every topic names where its facts were checked: the page lists each
/// source with its link and the date it was read, the comparison page
/// lists each side's, and the API returns them as `sources`.
#[tokio::test]
async fn topic_pages_and_the_api_list_their_sources() {
    let api = get("/api/v1/topics/rust").await.json();
    let sources = api["topic"]["sources"].as_array().unwrap().clone();
    assert!(sources.len() >= 2, "{sources:?}");
    let page = get("/topics/rust").await.text();
    let compare = get("/compare/go-vs-rust").await.text();
    assert!(page.contains(r#"<h2 id="sources-heading">Sources</h2>"#));
    for s in &sources {
        let (url, read) = (s["url"].as_str().unwrap(), s["read"].as_str().unwrap());
        assert!(
            url.starts_with("https://") || url.starts_with("http://"),
            "{url}"
        );
        let html_url = url.replace('&', "&amp;");
        assert!(
            page.contains(&format!(r#"<a href="{html_url}" rel="nofollow">"#)),
            "{url} not on the topic page"
        );
        assert!(page.contains(&format!("read {read}")), "{read}");
        assert!(
            compare.contains(&format!(r#"<a href="{html_url}" rel="nofollow">"#)),
            "{url} not on the comparison page"
        );
    }
}

/// A project's activity from its git history shows on its topic page and
/// its side card: a 24-month sparkline with a text alternative, the
/// numbers in a table, the repository the figures come from, and a flag
/// when nothing was committed in the last 12 months (Atom, archived in
/// 2022).
#[tokio::test]
async fn activity_shows_as_a_sparkline_with_its_numbers_and_inactive_projects_are_flagged() {
    let atom = get("/topics/atom").await.text();
    assert!(
        atom.contains("<strong>Inactive:</strong> no commit since 2022-11-22."),
        "{atom}"
    );
    assert!(atom.contains(r#"role="img" aria-labelledby="activity-atom-title""#));
    assert!(atom.contains(r#"<a href="https://github.com/atom/atom">"#));
    let table = &atom[atom
        .find("<summary>Commits per month</summary>")
        .expect("the table")..];
    let rows = table[..table.find("</table>").unwrap()]
        .matches("<tr><th scope=\"row\">")
        .count();
    assert_eq!(rows, 24, "one row per month");

    let flask = get("/topics/flask").await.text();
    assert!(
        flask.contains(r#"<section class="activity" aria-labelledby="activity-flask-heading">"#)
    );
    assert!(!flask.contains("Inactive:"), "Flask is maintained");
    let api = get("/api/v1/topics/flask").await.json();
    let months = api["topic"]["activity"]["commits_per_month"]
        .as_array()
        .unwrap();
    assert_eq!(months.len(), 24);
    let page = get("/compare/django-vs-flask").await.text();
    assert!(page.contains(r#"aria-labelledby="activity-flask-heading""#));
}

/// Every score says what it rests on: the API's cells carry a `basis`
/// (evidence with its source and date, or the editors' judgement), the
/// scorecard marks measured scores, and the pick box counts them.
#[tokio::test]
async fn every_score_says_whether_it_rests_on_data_or_judgement() {
    let v = get("/api/v1/comparisons/django-vs-flask").await.json();
    let rows = v["decision"]["rows"].as_array().unwrap();
    let mut measured = 0;
    for row in rows {
        for cell in row["cells"].as_array().unwrap() {
            match cell["basis"]["kind"].as_str().unwrap() {
                "evidence" => {
                    assert_eq!(row["criterion"], "popularity", "{row}");
                    assert_eq!(cell["basis"]["source"], "PyPI");
                    assert_eq!(cell["basis"]["as_of"], "2026-11");
                    measured += 1;
                }
                "editors" => {}
                other => panic!("unknown basis {other}"),
            }
        }
    }
    assert_eq!(measured, 2, "Adoption, for both sides");
    let page = get("/compare/django-vs-flask").await.text();
    assert!(page.contains(&format!(
        "1 of the {} scores rests on measured data: Adoption (PyPI, download rank, as of 2026-11).",
        rows.len()
    )));
    assert_eq!(
        page.matches(
            r#"<span class="measured" title="Measured: PyPI, download rank, as of 2026-11">"#
        )
        .count(),
        2
    );
}

/// Every published comparison and every topic has an embeddable SVG
/// badge that says the conclusion in words (its title and aria-label),
/// and the pages show the snippets that embed it.
#[tokio::test]
async fn comparisons_and_topics_have_embeddable_badges() {
    let res = get("/badges/django-vs-flask.svg").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "image/svg+xml");
    let svg = res.text();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(
        svg.contains("<title>verdict: Django over Flask</title>"),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    // What the page concludes, whatever the outcome.
    let used_together = get("/badges/product-management-vs-technical-leadership.svg")
        .await
        .text();
    assert!(
        used_together.contains("Product Management + Technical Leadership: used together"),
        "{used_together}"
    );
    // Other spellings move; unknown topics are a 404.
    let moved = get("/badges/flask-vs-django.svg").await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(moved.location(), "/badges/django-vs-flask.svg");
    assert_eq!(
        get("/badges/nope-vs-rust.svg").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get("/badges/django-vs-flask.png").await.status,
        StatusCode::NOT_FOUND
    );

    let topic = get("/badges/topics/rust.svg").await.text();
    assert!(
        topic.contains("<title>verdict: Rust: our pick in "),
        "{topic}"
    );
    let page = get("/compare/django-vs-flask").await.text();
    assert!(page.contains(
        "[![verdict: Django vs Flask](https://verdict.test/badges/django-vs-flask.svg)](https://verdict.test/compare/django-vs-flask)"
    ));
    assert!(
        get("/topics/rust")
            .await
            .text()
            .contains("https://verdict.test/badges/topics/rust.svg")
    );
}

/// The (width, height) of a PNG, which must decode whole.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
    let frame = reader.next_frame(&mut pixels).expect("the image decodes");
    (frame.width, frame.height)
}

/// A shared comparison shows a 1200×630 picture of its conclusion: served
/// as a cacheable PNG (never compressed again), pointed at by the page's
/// `og:image` with a large Twitter card; other spellings move and unknown
/// topics are the page's 404.
#[tokio::test]
async fn comparisons_have_open_graph_images() {
    let res = get_with(
        "/og/django-vs-flask.png",
        &[("accept-encoding", "br, gzip")],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.content_type(), "image/png");
    assert_eq!(res.header("content-encoding"), "");
    assert_eq!(res.header("cache-control"), "public, max-age=300");
    assert_eq!(png_size(&res.bytes), (1200, 630));
    let etag = res.header("etag").to_owned();
    assert!(etag.starts_with('"'), "a strong validator: {etag}");
    let again = get_with("/og/django-vs-flask.png", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Multi-way comparisons have one too.
    let multi = get("/og/go-vs-python-vs-rust.png").await;
    assert_eq!(png_size(&multi.bytes), (1200, 630));
    assert_ne!(multi.bytes, res.bytes);

    let moved = get("/og/flask-vs-django.png").await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(moved.location(), "/og/django-vs-flask.png");
    let missing = get("/og/nope-vs-rust.png").await;
    let page = get("/compare/nope-vs-rust").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.content_type(), page.content_type());
    assert_eq!(missing.h1(), page.h1());
    assert_eq!(
        get("/og/django-vs-flask.svg").await.status,
        StatusCode::NOT_FOUND
    );

    let head = get("/compare/django-vs-flask").await.text();
    for meta in [
        r#"<meta property="og:image" content="https://verdict.test/og/django-vs-flask.png">"#,
        r#"<meta property="og:image:width" content="1200">"#,
        r#"<meta property="og:image:height" content="630">"#,
        r#"<meta property="og:image:alt" content="Django vs Flask: our pick is Django, with the overall scores and the heaviest criteria">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<meta name="twitter:image" content="https://verdict.test/og/django-vs-flask.png">"#,
    ] {
        assert!(head.contains(meta), "{meta}");
    }
    assert!(!head.contains(r#"content="summary">"#));
    // A personal page shows the comparison's image; topic pages keep a
    // summary card.
    let personal = get("/compare/go-vs-rust?profile=beginner").await.text();
    assert!(personal.contains(
        r#"<meta property="og:image" content="https://verdict.test/og/go-vs-rust.png">"#
    ));
    let topic = get("/topics/rust").await.text();
    assert!(topic.contains(r#"<meta name="twitter:card" content="summary">"#));
    assert!(!topic.contains("og:image"));
}
