//! `verdict votes`: moderate reader votes (list, export, hide), on the same
//! database `verdict serve --database` uses.

use std::io::Write as _;

use clap::{Args, Subcommand, ValueEnum};

use verdict_core::key::{self, ComparisonKey};
use verdict_store::{Open, Settings, StoreError, Vote, VoteStore};

#[derive(Debug, Args)]
pub struct VotesArgs {
    /// The vote database: a SQLite file or a `postgres://…` URL.
    #[arg(
        long,
        value_name = "FILE|URL",
        env = "VERDICT_DATABASE",
        default_value = "verdict.db",
        hide_env_values = true,
        global = true
    )]
    database: String,
    #[command(subcommand)]
    command: VotesCommand,
}

#[derive(Debug, Subcommand)]
enum VotesCommand {
    /// List votes, newest first.
    List {
        /// Only votes on comparisons readers contest (see docs/VOTES.md).
        #[arg(long)]
        contested: bool,
        /// Only votes on this comparison, e.g. `go-vs-rust` (any order).
        #[arg(long, value_name = "A-vs-B")]
        comparison: Option<String>,
        /// Most votes to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write every vote (hidden ones too, marked) to standard output.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
    },
    /// Hide a vote's reason from every public page and the public API. The
    /// vote still counts.
    Hide {
        /// The vote's id, as `verdict votes list` shows it.
        id: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
}

/// `Go-vs-Rust`, `rust-vs-go` → `go-vs-rust`.
fn canonical(comparison: &str) -> String {
    let lower = comparison.trim().to_lowercase();
    ComparisonKey::new(&key::split(&lower)).to_string()
}

pub fn run(args: VotesArgs) -> anyhow::Result<()> {
    let settings =
        Settings::parse(&args.database).map_err(|e| anyhow::anyhow!("--database: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let store = verdict_store::open(&settings, Open::MustExist)
            .await
            .map_err(|e| match e {
                StoreError::NotFound(m) => anyhow::anyhow!(m),
                e => anyhow::anyhow!("cannot open the vote database {settings}: {e}"),
            })?;
        let result = command(&*store, args.command).await;
        store.close().await;
        result
    })
}

async fn command(store: &dyn VoteStore, command: VotesCommand) -> anyhow::Result<()> {
    let mut out = anstream::stdout();
    match command {
        VotesCommand::List {
            contested,
            comparison,
            limit,
            format,
        } => {
            let comparison = comparison.as_deref().map(canonical);
            let votes =
                verdict_store::moderation_list(store, comparison.as_deref(), contested, limit)
                    .await?;
            match format {
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&votes)?)?,
                Format::Text => {
                    if contested {
                        for (key, t) in
                            verdict_store::most_contested(store.tallies().await?, usize::MAX)
                        {
                            if comparison.as_deref().is_none_or(|c| c == key) {
                                writeln!(
                                    out,
                                    "contested: {key}: {} of {} readers disagree",
                                    t.disagree,
                                    t.total()
                                )?;
                            }
                        }
                    }
                    print_table(&mut out, &votes)?;
                }
            }
        }
        VotesCommand::Export { format } => {
            let votes = verdict_store::all_votes(store).await?;
            match format {
                ExportFormat::Csv => write!(out, "{}", verdict_store::export::csv(&votes))?,
                ExportFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&votes)?)?,
            }
        }
        VotesCommand::Hide { id } => {
            store.hide(id).await.map_err(|e| match e {
                StoreError::NotFound(m) => anyhow::anyhow!(m),
                e => anyhow::anyhow!(e),
            })?;
            writeln!(
                out,
                "vote {id}: reason hidden from public pages (the vote still counts)"
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Reasons are readers' text: control characters and bidirectional
/// formatting characters are shown escaped, so a reason can neither move the
/// cursor or recolour the moderator's terminal nor reorder what the
/// moderator reads (a right-to-left override makes "evil" print as "live").
fn shown(reason: &str, width: usize) -> String {
    let escaped: String = reason
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else if is_bidi_control(c) {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if escaped.chars().count() > width {
        let cut: String = escaped.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        escaped
    }
}

/// The Unicode characters that change the display order of text: the
/// embeddings, overrides and isolates, and the implicit marks.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

fn print_table(out: &mut impl std::io::Write, votes: &[Vote]) -> anyhow::Result<()> {
    if votes.is_empty() {
        writeln!(out, "no votes")?;
        return Ok(());
    }
    let id_w = votes
        .iter()
        .map(|v| v.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2);
    let cmp_w = votes
        .iter()
        .map(|v| v.comparison.len())
        .max()
        .unwrap_or(10)
        .max(10);
    writeln!(
        out,
        "{:>id_w$}  {:10}  {:cmp_w$}  {:8}  {:12}  REASON",
        "ID", "DAY", "COMPARISON", "VOTE", "WOULD PICK"
    )?;
    for v in votes {
        let mut reason = shown(v.reason.as_deref().unwrap_or(""), 60);
        if v.hidden {
            reason = format!("[hidden] {reason}");
        }
        writeln!(
            out,
            "{:>id_w$}  {:10}  {:cmp_w$}  {:8}  {:12}  {reason}",
            v.id,
            v.day,
            v.comparison,
            v.choice.as_str(),
            v.would_pick.as_deref().unwrap_or("-"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparisons_and_reasons_are_normalised_for_the_terminal() {
        assert_eq!(canonical("Rust-vs-Go"), "go-vs-rust");
        assert_eq!(shown("line\n\u{1b}[31mred", 60), "line\\n\\u{1b}[31mred");
        // A right-to-left override cannot reorder what the moderator reads.
        assert_eq!(
            shown("pay \u{202E}lave\u{2069} now", 60),
            "pay \\u{202e}lave\\u{2069} now"
        );
        assert_eq!(shown("abcdef", 4), "abc…");
    }
}
