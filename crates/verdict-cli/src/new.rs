//! `verdict new topic SLUG --category C` and `verdict new comparison A B`:
//! a file with every field and a comment on each, written where the loader
//! expects it. Every value to write is a `TODO`, which `verdict check`
//! reports as a placeholder, so the file fails the check until it is filled
//! in and passes once it is.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand};

use verdict_core::Catalog;
use verdict_core::key::ComparisonKey;
use verdict_core::model::{Kind, is_valid_slug};

#[derive(Debug, Args)]
pub struct NewArgs {
    #[command(subcommand)]
    what: What,
    /// Content directory to write into (default: ./content).
    #[arg(long, global = true, value_name = "DIR", default_value = "content")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
enum What {
    /// A topic file, `topics/<category>/<slug>.toml`.
    Topic {
        slug: String,
        /// The category (slug) it belongs to; its criteria are scored.
        #[arg(long)]
        category: String,
    },
    /// An editorial comparison, `comparisons/<a>--<b>.toml` (2 to 4 topics).
    Comparison {
        #[arg(required = true, num_args = 2..=4, value_name = "TOPIC")]
        topics: Vec<String>,
    },
}

/// Writes the scaffold and prints its path; refuses to overwrite a file.
pub fn run(args: NewArgs, catalog: &Catalog, today: &str) -> anyhow::Result<()> {
    let (path, text) = match &args.what {
        What::Topic { slug, category } => (
            args.out
                .join("topics")
                .join(category)
                .join(format!("{slug}.toml")),
            topic(catalog, slug, category, today)?,
        ),
        What::Comparison { topics } => {
            let (key, text) = comparison(catalog, topics, today)?;
            let name = key.slugs().join("--");
            (
                args.out.join("comparisons").join(format!("{name}.toml")),
                text,
            )
        }
    };
    write_new(&path, &text)?;
    println!("{}", path.display());
    Ok(())
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{} already exists; edit it instead", path.display());
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// A topic file for `slug` in `category`, scoring every criterion the
/// category weighs.
pub fn topic(catalog: &Catalog, slug: &str, category: &str, today: &str) -> anyhow::Result<String> {
    if !is_valid_slug(slug) {
        bail!("`{slug}` is not a valid slug: use lowercase words joined by hyphens, never `-vs-`");
    }
    if catalog.topic(slug).is_some() {
        bail!("topic `{slug}` already exists");
    }
    let Some(c) = catalog.category(category) else {
        let known: Vec<&str> = catalog
            .categories()
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        bail!(
            "category `{category}` does not exist; categories are `{}`",
            known.join("`, `")
        );
    };
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    let mut s = format!(
        "# A new topic. Replace every TODO, then run `verdict check content --strict`.\n\
         # Every field is explained in docs/CONTENT.md, \"A topic\".\n\n\
         name = \"TODO\"                  # the name readers know it by\n\
         kind = \"tool\"                  # one of: {}\n\
         category = \"{category}\"          # must be the folder the file is in\n\
         aliases = []                   # other names readers type, e.g. [\"k8s\"]\n\
         tagline = \"TODO.\"              # one sentence: what it is\n\
         use_when = \"you TODO\"          # completes \"Use it if …\": starts with \"you\", no full stop\n\
         pros = [                       # at least 3 real strengths, one sentence each\n  \"TODO.\",\n  \"TODO.\",\n  \"TODO.\",\n]\n\
         cons = [                       # at least 2 real weaknesses\n  \"TODO.\",\n  \"TODO.\",\n]\n\
         related = []                   # at least 2 topic slugs, shown as links\n\
         alternatives = []              # topics it is compared with; each must share a job\n\
         jobs = [\"TODO\"]                # what it is used for: ids from jobs.toml (1-3)\n\
         used_with = []                 # topics used together with it, not instead of it\n\
         reviewed = {today}\n\n\
         # At least two primary sources: the project's site, docs, repository,\n\
         # licence, release notes. Every date, version, figure and licence above\n\
         # must be checked against one of them.\n",
        kinds.join(", ")
    );
    for _ in 0..2 {
        let _ = write!(
            s,
            "\n[[sources]]\nurl = \"https://TODO\"\ntitle = \"TODO\"\nread = {today}\n"
        );
    }
    s.push_str(
        "\n# One score from 0 to 10 per criterion the category weighs, each with a\n\
         # reason a reader can check. Compare with the other topics of the category.\n\
         [scores]\n",
    );
    for (id, _) in &c.weights {
        let high = catalog.criterion(id).map_or("", |k| k.high_means.as_str());
        let _ = writeln!(s, "# high means: {high}");
        let _ = writeln!(s, "{id} = {{ score = 5, reason = \"TODO.\" }}");
    }
    Ok(s)
}

/// An editorial comparison of `topics` (slugs, any order).
pub fn comparison(
    catalog: &Catalog,
    topics: &[String],
    today: &str,
) -> anyhow::Result<(ComparisonKey, String)> {
    for t in topics {
        if catalog.topic(t).is_none() {
            bail!("topic `{t}` does not exist; name topics by their slug");
        }
    }
    let key = ComparisonKey::new(topics);
    if key.slugs().len() != topics.len() {
        bail!("compare a topic with a different one");
    }
    if catalog.editorial(&key.slugs()).is_some() {
        bail!("an editorial comparison of {key} already exists");
    }
    let slugs = key.slugs();
    let mut s = format!(
        "# A new editorial comparison. Replace every TODO, then run\n\
         # `verdict check content --strict`. See docs/CONTENT.md, \"An editorial comparison\".\n\n\
         # Either a pick (a slug below; only between topics that share a job), or,\n\
         # when an expert would name no winner, remove `pick` and set\n\
         # outcome = \"too-close\", \"complements\" or \"different-jobs\".\n\
         pick = \"TODO\"\n\
         reviewed = {today}\n\
         short_answer = \"TODO.\"          # two or three sentences: who should pick which\n\
         also_consider = []               # other topic slugs worth a look\n\n\
         [pick_if]                        # \"Use X if …\" clauses: start with \"you\", no full stop\n"
    );
    for slug in &slugs {
        let _ = writeln!(s, "{slug} = [\"you TODO\"]");
    }
    for _ in 0..2 {
        let _ = write!(
            s,
            "\n[[sections]]                     # a heading, its winner (a slug or \"tie\") and Markdown\n\
             heading = \"TODO\"\nwinner = \"tie\"\nbody = \"\"\"\nTODO.\n\"\"\"\n"
        );
    }
    Ok((key, s))
}
