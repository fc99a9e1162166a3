//! The page `verdict serve --watch` shows in place of every page while the
//! content it watches has errors: each problem with its file, line, message
//! and fix, in `verdict check`'s words.

use askama::Template;

use verdict_core::model::Catalog;

use super::{SiteConfig, layout};

/// One problem, as `verdict check` prints it: `severity[code]: location:
/// message`, then `help: …`. The caller fills it from the loader's
/// diagnostic (`location` is `file:line: `key``), so this crate needs no
/// loader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemView {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// The diagnostic's code, `toml-syntax`.
    pub code: String,
    /// Where it is: `topics/tools/zed.toml:3: `tagline``.
    pub location: String,
    pub message: String,
    pub help: Option<String>,
}

/// The content-errors page. Template: `content_errors.html`.
#[derive(Template, Debug)]
#[template(path = "content_errors.html")]
pub struct ContentErrorsPage {
    pub layout: super::Layout,
    /// The content directory, as given on the command line.
    pub dir: String,
    /// "1 error" or "3 errors, 1 warning".
    pub summary: String,
    pub problems: Vec<ProblemView>,
}

/// The page listing `problems` found in `dir`. `catalog` is the one still
/// loaded (for the footer's categories); nothing of it is shown.
pub fn content_errors(
    site: &SiteConfig,
    catalog: &Catalog,
    dir: &str,
    problems: Vec<ProblemView>,
) -> ContentErrorsPage {
    let errors = problems.iter().filter(|p| p.severity == "error").count();
    let warnings = problems.len() - errors;
    let mut summary = count(errors, "error");
    if warnings > 0 {
        summary.push_str(&format!(", {}", count(warnings, "warning")));
    }
    let mut l = layout(
        site,
        catalog,
        format!("Content errors — {}", site.name),
        format!("{summary} in {dir}"),
        "/",
    );
    l.noindex = true;
    ContentErrorsPage {
        layout: l,
        dir: dir.to_owned(),
        summary,
        problems,
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use askama::Template as _;

    use super::*;

    fn problem(severity: &'static str, help: Option<&str>) -> ProblemView {
        ProblemView {
            severity,
            code: "toml-syntax".into(),
            location: "topics/tools/<zed>.toml:3".into(),
            message: "invalid string & more".into(),
            help: help.map(str::to_owned),
        }
    }

    #[test]
    fn lists_each_problem_escaped_with_its_fix() {
        let page = content_errors(
            &SiteConfig::default(),
            &Catalog::default(),
            "content",
            vec![
                problem("error", Some("close the <string>")),
                problem("warning", None),
            ],
        );
        let html = page.render().unwrap();
        assert!(html.contains("1 error, 1 warning"), "{html}");
        assert!(
            html.contains("<code>topics/tools/&#60;zed&#62;.toml:3</code>"),
            "{html}"
        );
        assert!(html.contains("error[toml-syntax]"), "{html}");
        assert!(html.contains("warning[toml-syntax]"), "{html}");
        assert!(html.contains("invalid string &#38; more"), "{html}");
        assert!(html.contains("help: close the &#60;string&#62;"), "{html}");
        assert_eq!(html.matches("help: ").count(), 1, "{html}");
        assert!(
            !html.contains("<zed>") && !html.contains("<string>"),
            "{html}"
        );
        assert!(html.contains(r#"<meta name="robots" content="noindex">"#));
    }
}
