//! `verdict check`: lint a content directory, print every problem, and exit
//! 0 (clean), 1 (errors) or 2 (unreadable).

use std::io::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Style};

use verdict_content::{Options, Severity};

use crate::{CheckFormat, Exit};

pub fn run(dir: &Path, options: Options, format: CheckFormat) -> anyhow::Result<()> {
    let loaded = match verdict_content::load_dir(dir, options) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(anstream::stderr(), "verdict: {e}");
            return Err(Exit(2).into());
        }
    };
    let errors = loaded.errors().count();
    let warnings = loaded.diagnostics.len() - errors;
    let mut out = anstream::stdout();
    if format == CheckFormat::Github {
        for d in &loaded.diagnostics {
            writeln!(out, "{}", github_annotation(dir, d))?;
        }
    } else if format == CheckFormat::Json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "errors": errors,
                "warnings": warnings,
                "topics": loaded.catalog.topics().len(),
                "categories": loaded.catalog.categories().len(),
                "editorials": loaded.catalog.editorials().len(),
                "diagnostics": loaded.diagnostics,
            }))?
        )?;
    } else {
        let red = AnsiColor::Red.on_default().bold();
        let yellow = AnsiColor::Yellow.on_default().bold();
        for d in &loaded.diagnostics {
            let style = if d.severity == Severity::Error {
                red
            } else {
                yellow
            };
            let text = d.to_string();
            let (head, rest) = text.split_once(':').unwrap_or((&text, ""));
            writeln!(out, "{style}{head}{style:#}:{rest}")?;
        }
        let c = &loaded.catalog;
        let summary = format!(
            "{} topics in {} categories, {} editorial comparisons: {errors} error(s), {warnings} warning(s)",
            c.topics().len(),
            c.categories().len(),
            c.editorials().len()
        );
        let style = if errors > 0 { red } else { Style::new().bold() };
        writeln!(out, "{style}{summary}{style:#}")?;
    }
    out.flush()?;
    if errors > 0 {
        Err(Exit(1).into())
    } else {
        Ok(())
    }
}

/// A GitHub Actions workflow command for `d`:
/// `::error file=content/topics/x.toml,line=3,title=too-few::message`.
/// The file is `dir` joined with the diagnostic's path, as the workflow
/// sees it from the repository's root; `line` is left out when unknown.
/// Values are escaped as the runner expects (`%`, CR, LF; and `:` and `,`
/// in properties).
fn github_annotation(dir: &Path, d: &verdict_content::Diagnostic) -> String {
    let level = if d.severity == Severity::Error {
        "error"
    } else {
        "warning"
    };
    let file = dir.join(&d.file);
    let mut props = format!("file={}", escape_property(&file.to_string_lossy()));
    if let Some(line) = d.line {
        props.push_str(&format!(",line={line}"));
    }
    props.push_str(&format!(",title={}", escape_property(d.code.as_str())));
    let mut message = match &d.key {
        Some(k) if !k.is_empty() => format!("`{k}`: {}", d.message),
        _ => d.message.clone(),
    };
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{level} {props}::{}", escape_data(&message))
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
