//! `verdict check`: lint a content directory, print every problem, and exit
//! 0 (clean), 1 (errors) or 2 (unreadable).

use std::io::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Style};

use verdict_content::{Options, Severity};

use crate::Exit;

pub fn run(dir: &Path, options: Options, json: bool) -> anyhow::Result<()> {
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
    if json {
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
