//! The OpenAPI document and the handlers agree: every documented path
//! answers with a documented status and shape, every API route is
//! documented, and every error is the documented envelope.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{assert_error_shape, get};

/// The `/api/v1` routes registered in `src/lib.rs` and their methods,
/// without the catch-all that answers 404 for everything else.
const API_ROUTES: &[(&str, &[&str])] = &[
    ("/api/v1/topics", &["get"]),
    ("/api/v1/topics/{slug}", &["get"]),
    ("/api/v1/categories", &["get"]),
    ("/api/v1/criteria", &["get"]),
    ("/api/v1/comparisons/{pair}", &["get"]),
    ("/api/v1/comparisons/{pair}/votes", &["get", "post"]),
    ("/api/v1/search", &["get"]),
    ("/api/v1/openapi.json", &["get"]),
    ("/api/v1/admin/votes", &["get"]),
    ("/api/v1/admin/votes/export", &["get"]),
    ("/api/v1/admin/votes/{id}/hide", &["post"]),
];

/// Routes that answer only when the server turns a feature on (reader
/// votes, the admin token); the test app runs with both off.
const OFF_BY_DEFAULT: &[&str] = &[
    "/api/v1/comparisons/{pair}/votes",
    "/api/v1/admin/votes",
    "/api/v1/admin/votes/export",
    "/api/v1/admin/votes/{id}/hide",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const LIB_RS: &str = include_str!("../../src/lib.rs");

/// The document the test app serves: the fixed part with this catalog's
/// categories, profiles and criteria filled in.
fn document() -> Value {
    serde_json::from_str(&verdict_web::resources::openapi(crate::support::catalog()))
        .expect("the OpenAPI document is JSON")
}

type Routes = BTreeSet<(String, String)>;

fn expected_routes() -> Routes {
    API_ROUTES
        .iter()
        .flat_map(|(path, methods)| {
            methods
                .iter()
                .map(move |m| ((*path).to_owned(), (*m).to_owned()))
        })
        .collect()
}

/// `(path, method)` for every operation the document describes.
fn documented_routes(doc: &Value) -> Routes {
    let mut out = Routes::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item
            .as_object()
            .expect("path item")
            .keys()
            .filter(|k| METHODS.contains(&k.as_str()))
        {
            out.insert((path.clone(), method.clone()));
        }
    }
    out
}

/// `(path, method)` for every `.route("/api/v1/…", get(…).post(…))` in
/// lib.rs (one route per line there).
fn registered_routes() -> Routes {
    let mut out = Routes::new();
    for (i, _) in LIB_RS.match_indices(".route(\"/api/v1/") {
        let start = i + ".route(\"".len();
        let path = &LIB_RS[start..start + LIB_RS[start..].find('"').unwrap()];
        if path.contains("{*") {
            continue;
        }
        let rest = &LIB_RS[start + path.len()..];
        let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
        for method in METHODS {
            let found = line.match_indices(&format!("{method}(")).any(|(j, _)| {
                line[..j]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == ':'))
            });
            if found {
                out.insert((path.to_owned(), (*method).to_owned()));
            }
        }
    }
    out
}

#[test]
fn the_route_list_is_the_routers() {
    // A route added to lib.rs fails here until API_ROUTES (and so the
    // check below) knows it.
    let registered = registered_routes();
    assert!(registered.len() >= 7, "lib.rs was read: {registered:?}");
    assert_eq!(
        registered,
        expected_routes(),
        "API_ROUTES is out of date with src/lib.rs"
    );
}

#[test]
fn every_api_route_is_documented_and_nothing_else() {
    let doc = document();
    let routes = expected_routes();
    let documented = documented_routes(&doc);
    let undocumented: Vec<_> = routes.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&routes).collect();
    assert!(
        undocumented.is_empty() && stale.is_empty(),
        "served but not in openapi.json: {undocumented:?}\nin openapi.json but not served: {stale:?}"
    );
}

#[tokio::test]
async fn the_served_document_is_the_checked_one() {
    assert_eq!(get("/api/v1/openapi.json").await.json(), document());
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let target = doc
                .pointer(r.strip_prefix('#').expect("local $ref"))
                .unwrap_or_else(|| panic!("dangling $ref {r}"));
            resolve(doc, target)
        }
        None => v,
    }
}

/// Checks `value` against an OpenAPI 3.0 schema (the subset the document
/// uses: type, nullable, enum, required, properties, items, minimum,
/// maximum), returning every mismatch with its JSON path.
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if value.is_null() && schema["nullable"] == true {
        return;
    }
    if let Some(ty) = schema["type"].as_str() {
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            other => panic!("unknown type {other} at {at}"),
        };
        if !ok {
            errors.push(format!("{at}: expected {ty}, got {value}"));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array().filter(|a| !a.contains(value)) {
        errors.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    let n = value.as_f64();
    if let Some(min) = schema["minimum"]
        .as_f64()
        .filter(|min| n.is_some_and(|n| n < *min))
    {
        errors.push(format!("{at}: {value} is below {min}"));
    }
    if let Some(max) = schema["maximum"]
        .as_f64()
        .filter(|max| n.is_some_and(|n| n > *max))
    {
        errors.push(format!("{at}: {value} is above {max}"));
    }
    if let Some(required) = schema["required"].as_array() {
        for key in required.iter().filter_map(Value::as_str) {
            if value.get(key).is_none() {
                errors.push(format!("{at}: missing required `{key}`"));
            }
        }
    }
    if let Some(props) = schema["properties"].as_object() {
        for (key, sub) in props {
            if let Some(v) = value.get(key) {
                validate(doc, sub, v, &format!("{at}.{key}"), errors);
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), value.as_array()) {
        for (i, v) in list.iter().enumerate() {
            validate(doc, items, v, &format!("{at}[{i}]"), errors);
        }
    }
}

/// The documented operation for a concrete URL: its template and `get`.
fn operation<'a>(doc: &'a Value, uri: &str) -> (&'a str, &'a Value) {
    let path = uri.split('?').next().unwrap();
    let (template, item) = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(template, _)| {
            let (t, p): (Vec<&str>, Vec<&str>) =
                (template.split('/').collect(), path.split('/').collect());
            t.len() == p.len()
                && t.iter()
                    .zip(&p)
                    .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
        })
        .unwrap_or_else(|| panic!("{uri} matches no documented path"));
    (template.as_str(), &item["get"])
}

/// Asserts that `uri` answers with a status its operation documents, in
/// the documented shape; returns the status.
async fn assert_documented(doc: &Value, uri: &str) -> StatusCode {
    let (template, op) = operation(doc, uri);
    let res = get(uri).await;
    let code = res.status.as_str().to_owned();
    let documented = op["responses"].get(&code).unwrap_or_else(|| {
        panic!(
            "{uri} answered {code}, but {template} documents only {:?}: {}",
            op["responses"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            res.text()
        )
    });
    let documented = resolve(doc, documented);
    let media = documented["content"]
        .as_object()
        .expect("documented content");
    assert!(
        media.contains_key(res.content_type()),
        "{uri}: content type {} is not documented",
        res.content_type()
    );
    let schema = &media[res.content_type()]["schema"];
    let body = res.json();
    let mut errors = Vec::new();
    validate(doc, schema, &body, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{uri} does not match its documented {code} response:\n{}",
        errors.join("\n")
    );
    if !res.status.is_success() {
        assert_error_shape(&body);
    }
    res.status
}

/// A documented path with its path parameters replaced by their examples,
/// and each required query parameter given its example.
fn example_uri(template: &str, op: &Value) -> String {
    let mut uri = template.to_owned();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let (name, example) = (p["name"].as_str().unwrap(), &p["example"]);
        match p["in"].as_str().unwrap() {
            "path" => {
                let example = example.as_str().unwrap_or_else(|| {
                    panic!("{template}: path parameter `{name}` has an example")
                });
                uri = uri.replace(&format!("{{{name}}}"), example);
            }
            "query" if p["required"] == true => {
                query.push(format!("{name}={}", example.as_str().expect("example")))
            }
            _ => {}
        }
    }
    assert!(
        !uri.contains('{'),
        "{template}: every path parameter has an example"
    );
    if query.is_empty() {
        uri
    } else {
        format!("{uri}?{}", query.join("&"))
    }
}

#[tokio::test]
async fn every_documented_path_answers_as_documented() {
    let doc = document();
    for (template, item) in doc["paths"].as_object().unwrap() {
        let op = &item["get"];
        if !op.is_object() {
            continue;
        }
        let uri = example_uri(template, op);
        let status = assert_documented(&doc, &uri).await;
        if OFF_BY_DEFAULT.contains(&template.as_str()) {
            assert!(
                status.is_client_error(),
                "{uri}: off unless turned on, got {status}"
            );
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{uri}");

        // Every optional query parameter's example works too.
        let optional = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] != true);
        for p in optional {
            if let Some(example) = p["example"].as_str() {
                let sep = if uri.contains('?') { '&' } else { '?' };
                let with = format!("{uri}{sep}{}={example}", p["name"].as_str().unwrap());
                assert_eq!(
                    assert_documented(&doc, &with).await,
                    StatusCode::OK,
                    "{with}"
                );
            }
        }
    }
}

/// Values a parameter's schema allows, at its edges: every enum value, the
/// minimum and maximum of a number, and the empty string and the longest
/// string for a string without an enum.
fn allowed_values(schema: &Value) -> Vec<String> {
    if let Some(branches) = schema["anyOf"].as_array() {
        return branches.iter().flat_map(allowed_values).collect();
    }
    if let Some(values) = schema["enum"].as_array() {
        return values
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
    }
    match schema["type"].as_str() {
        Some("number" | "integer") => ["minimum", "maximum"]
            .iter()
            .filter_map(|k| schema[*k].as_f64())
            .map(|n| n.to_string())
            .collect(),
        Some("boolean") => vec!["true".into(), "false".into()],
        Some("string") => {
            let min = schema["minLength"].as_u64().unwrap_or(0) as usize;
            let max = schema["maxLength"]
                .as_u64()
                .map_or(min.max(1), |m| m as usize);
            vec!["a".repeat(min), "a".repeat(max)]
        }
        _ => Vec::new(),
    }
}

/// What schemathesis's "positive data acceptance" check asks: a request
/// whose every parameter keeps to the document is never refused as bad.
/// Each query parameter of each documented read, at each edge of its
/// schema, alone on the operation's example URL, must answer 2xx, or 404
/// where the operation documents it for a thing that does not exist.
#[tokio::test]
async fn the_server_accepts_everything_the_document_allows() {
    let doc = document();
    let mut tried = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let op = &item["get"];
        if !op.is_object() || OFF_BY_DEFAULT.contains(&template.as_str()) {
            continue;
        }
        let uri = example_uri(template, op);
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            for value in allowed_values(&p["schema"]) {
                // The example URL with this parameter set to `value`.
                let base: Vec<&str> = uri
                    .split_once('?')
                    .map(|(_, q)| {
                        q.split('&')
                            .filter(|kv| !kv.starts_with(&format!("{name}=")))
                            .collect()
                    })
                    .unwrap_or_default();
                let path = uri.split('?').next().unwrap();
                let mut query: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
                query.push(format!("{name}={value}"));
                let with = format!("{path}?{}", query.join("&"));
                let status = assert_documented(&doc, &with).await;
                assert!(
                    status.is_success(),
                    "{with}: the document allows `{name}={value}`, but the server answered {status}"
                );
                tried += 1;
            }
        }
    }
    // Every category, kind and profile, and two edges of each criterion's
    // weight: far more than a handful.
    let criteria = crate::support::catalog().criteria().len();
    assert!(
        tried > 2 * criteria + 10,
        "only {tried} requests were tried"
    );
}

/// Requests that fail, one or more for every documented error status.
fn failures() -> Vec<(String, u16)> {
    let fixed = [
        ("/api/v1/topics?category=nope", 400),
        ("/api/v1/topics?kind=bogus", 400),
        ("/api/v1/topics/zz-no-such-topic", 404),
        ("/api/v1/comparisons/rust", 404),
        ("/api/v1/comparisons/go-vs-rust?profile=nope", 400),
        ("/api/v1/comparisons/go-vs-rust?w.performance=abc", 400),
        ("/api/v1/comparisons/go-vs-rust?w.performance=%ZZ", 400),
        ("/api/v1/comparisons/go-vs-rust?w.performance=11", 400),
        ("/api/v1/comparisons/rust-vs-zz-no-such-topic", 404),
        ("/api/v1/search", 400),
    ];
    let mut out: Vec<(String, u16)> = fixed.iter().map(|(u, s)| ((*u).to_owned(), *s)).collect();
    // Longer than the documented `maxLength` of 200.
    out.push((format!("/api/v1/search?q={}", "x".repeat(201)), 400));
    out
}

#[tokio::test]
async fn every_error_is_documented_and_every_documented_error_happens() {
    let doc = document();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (uri, status) in failures() {
        assert_eq!(
            assert_documented(&doc, &uri).await.as_u16(),
            status,
            "{uri}"
        );
        seen.insert((operation(&doc, &uri).0.to_owned(), status.to_string()));
    }
    // Features that are off in the test app are checked by their own tests.
    let core = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(t, _)| !OFF_BY_DEFAULT.contains(&t.as_str()));
    for (template, item) in core {
        for code in item["get"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|c| !c.starts_with('2'))
        {
            assert!(
                seen.contains(&(template.clone(), code.clone())),
                "{template} documents {code}, which no request above provokes"
            );
        }
    }
}

#[tokio::test]
async fn an_unknown_api_path_is_the_documented_envelope() {
    let res = get("/api/v1/comparisons").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_error_shape(&res.json());
    let doc = document();
    let mut errors = Vec::new();
    validate(
        &doc,
        &doc["components"]["schemas"]["Error"],
        &res.json(),
        "$",
        &mut errors,
    );
    assert!(errors.is_empty(), "{errors:?}");
}

/// The case schemathesis found (ST202): every weight the document allows
/// set to zero, or every weight that applies to the pair. The server
/// answers as the page script does: too close to call, no pick, and what to
/// change.
#[tokio::test]
async fn weighing_everything_at_zero_is_too_close_to_call_not_an_error() {
    let doc = document();
    let every_zero: Vec<String> = crate::support::catalog()
        .criteria()
        .iter()
        .map(|c| format!("w.{}=0", c.id))
        .collect();
    let api = format!("/api/v1/comparisons/go-vs-rust?{}", every_zero.join("&"));
    assert_eq!(assert_documented(&doc, &api).await, StatusCode::OK, "{api}");
    let v = get(&api).await.json();
    assert_eq!(v["decision"]["outcome"], "too-close", "{v}");
    assert!(v["decision"]["pick"].is_null(), "{v}");
    let bottom = v["verdict"]["bottom_line"].as_str().unwrap_or_default();
    assert!(
        bottom.contains("has a weight of zero, so nothing separates them"),
        "{bottom}"
    );

    // A weight that does not apply here is dropped, so this is every
    // applicable weight at zero too; the page says so instead of failing.
    let page = format!("/compare/go-vs-rust?{}", every_zero.join("&"));
    let res = get(&page).await;
    let res = if res.status.is_redirection() {
        get(res.location()).await
    } else {
        res
    };
    assert_eq!(res.status, StatusCode::OK, "{page}");
    let main = res.main();
    assert!(main.contains("Too close to call"), "{main}");
    assert!(
        main.contains("Give at least one criterion a weight above zero"),
        "{main}"
    );
}
