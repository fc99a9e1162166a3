//! Our Content-Security-Policy forbids inline scripts and styles and loads
//! nothing from elsewhere. A page that broke that rule would lose its
//! script or styling in every browser, so each page is checked against it.

use crate::support::get;

/// One start tag: its name, attributes, and for `<script>`/`<style>` the
/// raw text inside.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A small HTML tokenizer: enough for our own well-formed pages (quoted
/// attributes, raw-text `<script>` and `<style>`), and strict where ours
/// would be wrong (an unterminated tag panics).
fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i += html[i..].find("-->").expect("closed comment") + 3;
            continue;
        }
        if html[i..].starts_with('!') || html[i..].starts_with('/') {
            i += html[i..].find('>').expect("closed tag") + 1;
            continue;
        }
        let name_len = html[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .expect("tag name ends");
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            while b[i].is_ascii_whitespace() {
                i += 1;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            if html[i..].starts_with("/>") {
                i += 2;
                break;
            }
            let len = html[i..]
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>' || c == '/')
                .expect("attribute name ends");
            let key = html[i..i + len].to_ascii_lowercase();
            i += len;
            let mut value = String::new();
            if b[i] == b'=' {
                i += 1;
                let quote = b[i];
                assert!(
                    quote == b'"' || quote == b'\'',
                    "<{name} {key}=…> is quoted in our pages"
                );
                i += 1;
                let end = html[i..]
                    .find(char::from(quote))
                    .expect("closed attribute value");
                value = html[i..i + end].to_owned();
                i += end + 1;
            }
            attrs.push((key, value));
        }
        let mut text = String::new();
        if name == "script" || name == "style" {
            let end = html[i..]
                .find(&format!("</{name}"))
                .expect("raw text element closes");
            text = html[i..i + end].to_owned();
            i += end;
        }
        out.push(Tag { name, attrs, text });
    }
    out
}

/// Where a URL attribute points, for our origin `https://verdict.test`.
fn is_own(url: &str) -> bool {
    if url.starts_with("//") {
        return false; // protocol-relative: another host
    }
    url.starts_with("https://verdict.test/")
        || url == "https://verdict.test"
        || url.starts_with('#')
        || url.starts_with('/')
        // Relative: no scheme before the first path character.
        || !url.split(['/', '?', '#']).next().unwrap_or("").contains(':')
}

/// Every CSP problem on the page, as readable lines.
fn csp_problems(html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for tag in tags(html) {
        let name = &tag.name;
        for (key, value) in &tag.attrs {
            if key == "style" {
                problems.push(format!(
                    "<{name} style=\"{value}\">: inline style is blocked by style-src 'self'"
                ));
            }
            if key.starts_with("on") {
                problems.push(format!(
                    "<{name} {key}=…>: inline handler is blocked by script-src 'self'"
                ));
            }
            if value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
            {
                problems.push(format!("<{name} {key}=\"{value}\">: javascript: URL"));
            }
            let loads = matches!(
                key.as_str(),
                "src" | "srcset" | "poster" | "data" | "action" | "formaction" | "xlink:href"
            ) || (key == "href" && name != "a");
            if loads && !is_own(value) {
                problems.push(format!(
                    "<{name} {key}=\"{value}\">: loads from another origin"
                ));
            }
            // Links are navigation, not requests: another site or mail is
            // fine, but never plain http.
            if key == "href"
                && name == "a"
                && !is_own(value)
                && !value.starts_with("mailto:")
                && !value.starts_with("https://")
            {
                problems.push(format!(
                    "<a href=\"{value}\">: not our origin, https or mailto"
                ));
            }
        }
        match name.as_str() {
            "style" => problems.push("<style>: inline style is blocked by style-src 'self'".into()),
            "script" => {
                let data = matches!(
                    tag.attr("type"),
                    Some("application/json" | "application/ld+json")
                );
                if tag.attr("src").is_some() {
                    if !tag.text.trim().is_empty() {
                        problems.push("<script src> with inline text".into());
                    }
                } else if !data {
                    problems.push(format!(
                        "inline <script {:?}>: blocked by script-src 'self'",
                        tag.attrs
                    ));
                } else {
                    // A data block must parse and cannot end the element early.
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(&tag.text) {
                        problems.push(format!(
                            "<script type={:?}> is not JSON: {e}",
                            tag.attr("type")
                        ));
                    }
                }
            }
            "iframe" | "object" | "embed" | "base" => {
                problems.push(format!("<{name}> is not allowed by our CSP"))
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn the_checker_catches_what_the_policy_blocks() {
    let bad = r#"<p style="color:red" onclick="x()">a</p><script>alert(1)</script><style>p{}</style>
<img src="https://cdn.example/x.png"><link rel="stylesheet" href="//cdn.example/s.css"><a href="javascript:void(0)">x</a>
<script type="application/json">{"a": </script>"#;
    let problems = csp_problems(bad);
    assert_eq!(problems.len(), 9, "{problems:#?}");
    let good = r#"<!doctype html><script type="application/ld+json">{"a":1}</script><script src="/assets/a.js" defer></script>
<a href="mailto:x@example.org">m</a><a href="https://crates.io/crates/serde">serde</a><img src="data:," alt=""><img src="/x.png" alt="">"#;
    assert_eq!(
        csp_problems(good),
        vec!["<img src=\"data:,\">: loads from another origin"],
        "data: is reported; none of ours use it"
    );
}

#[tokio::test]
async fn pages_keep_to_the_content_security_policy() {
    let uris = [
        "/compare/product-management-vs-technical-leadership",
        "/compare/go-vs-python-vs-rust",
        "/compare/go-vs-rust?profile=beginner",
        "/",
        "/topics/rust",
        "/categories/languages",
        "/search?q=postgre",
        "/compare/raect-vs-vue",
    ];
    for uri in uris {
        let res = get(uri).await;
        let html = res.text();
        let found = tags(&html);
        assert!(
            found.iter().any(|t| t.name == "main"),
            "{uri}: the scanner read the page"
        );
        assert_eq!(csp_problems(&html), Vec::<String>::new(), "{uri}");
    }
}

#[tokio::test]
async fn the_comparison_page_loads_only_its_own_script_and_data() {
    let html = get("/compare/product-management-vs-technical-leadership")
        .await
        .text();
    let scripts: Vec<Tag> = tags(&html)
        .into_iter()
        .filter(|t| t.name == "script")
        .collect();
    let kinds: Vec<&str> = scripts
        .iter()
        .map(|t| {
            t.attr("type")
                .or(t.attr("src").map(|_| "src"))
                .unwrap_or("inline")
        })
        .collect();
    assert_eq!(
        kinds,
        ["application/ld+json", "src", "application/json"],
        "{scripts:#?}"
    );
    let src = scripts[1].attr("src").unwrap();
    assert!(
        src.starts_with("/assets/verdict.") && src.ends_with(".js"),
        "{src}"
    );
    let data: serde_json::Value = serde_json::from_str(&scripts[2].text).unwrap();
    assert_eq!(
        data["path"], "/compare/product-management-vs-technical-leadership",
        "the script knows its page"
    );
}
