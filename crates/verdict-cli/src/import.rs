//! `verdict import`: writes `evidence/<registry>.toml` from a registry
//! snapshot (`--from FILE`) or a live registry (`--registry-url URL`), and
//! `evidence/git/<topic>.toml` from local git clones (`verdict import git`,
//! at the end of this file; the figures are `verdict_content::activity`'s).
//!
//! The packages come from the catalog's topics (`[packages]`), so the file
//! holds exactly the figures the catalog uses. Parsing, matching and
//! rendering are in `verdict_content::import`; this module does the IO.
//!
//! Nothing is written unless every figure was read: a bad snapshot header,
//! a 5xx answer or a timeout leaves the previous evidence file as it was.
//! The new file replaces the old one by rename, so a crash mid-write cannot
//! leave half a file either. Packages the input lacks (absent from the
//! snapshot, 404 from the registry) are warnings, never silent.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context as _, bail};
use clap::{ArgGroup, Args, Subcommand};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use verdict_content::activity::{self, Day, figures, web_url};
use verdict_content::git::read_history;
use verdict_content::import::{
    EvidenceFile, Figure, Registry, is_valid_as_of, named_packages, parse_snapshot, select,
};
use verdict_core::search::Resolved;

use crate::Exit;

/// Bad snapshot rows printed one by one before the rest are counted.
const SHOW_BAD_ROWS: usize = 10;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    source: Source,
}

#[derive(Debug, Subcommand)]
enum Source {
    /// Monthly downloads from the npm registry into evidence/npm.toml.
    Npm(RegistryArgs),
    /// Download ranks from PyPI into evidence/pypi.toml.
    Pypi(RegistryArgs),
    /// Project activity from local git clones into evidence/git/<topic>.toml.
    Git(GitArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["from", "registry_url"])))]
pub struct RegistryArgs {
    /// Read figures from a registry snapshot (TSV with a header line).
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Fetch each named package's figure from a live registry at this base
    /// URL (see docs/CONTENT.md for the endpoints).
    #[arg(long, value_name = "URL")]
    registry_url: Option<String>,
    /// When the figures were true, as YYYY-MM or YYYY-MM-DD. Required with
    /// --from; with --registry-url it defaults to today (UTC).
    #[arg(
        long,
        value_name = "DATE",
        value_parser = parse_as_of,
        required_unless_present = "registry_url"
    )]
    as_of: Option<String>,
    /// The content directory to write evidence/<registry>.toml into
    /// [default: the --content directory, or ./content].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Seconds to wait for each registry answer (with --registry-url).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    timeout: u64,
}

fn parse_as_of(s: &str) -> Result<String, String> {
    if is_valid_as_of(s) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "`{s}` is not a date; write the month or day the figures were true, as YYYY-MM or YYYY-MM-DD"
        ))
    }
}

/// Figures read from the input, with what to say about packages it lacks.
struct Input {
    /// For the file's header comment and messages: a file name or a URL.
    name: String,
    figures: Vec<Figure>,
    /// Match key → why the input has no figure for that package, where
    /// there is more to say than "not in the input".
    why_missing: HashMap<String, String>,
}

pub fn run(args: ImportArgs, content: Option<&Path>) -> anyhow::Result<()> {
    match args.source {
        Source::Npm(a) => import_registry(Registry::Npm, a, content),
        Source::Pypi(a) => import_registry(Registry::Pypi, a, content),
        Source::Git(a) => import_git(a, content),
    }
}

/// The content directory to write into (`--out`, else `--content`, else
/// `./content`) and the catalog whose topics are imported for, loaded
/// from `--content` or that same directory. Unreadable content is exit 2.
fn out_and_catalog(
    out: Option<&Path>,
    content: Option<&Path>,
) -> anyhow::Result<(PathBuf, verdict_content::Loaded)> {
    let out_dir = out
        .map(Path::to_path_buf)
        .or_else(|| content.map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("content"));
    let catalog_dir = content.unwrap_or(&out_dir);
    let mut err = anstream::stderr();
    let loaded = match verdict_content::load_dir(catalog_dir, Default::default()) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "verdict: {e}");
            return Err(Exit(2).into());
        }
    };
    let errors = loaded.errors().count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "verdict: warning: the content has {errors} error(s); topics with errors are left out \
             (run `verdict check`)"
        );
    }
    Ok((out_dir, loaded))
}

fn import_registry(
    registry: Registry,
    args: RegistryArgs,
    content: Option<&Path>,
) -> anyhow::Result<()> {
    let (out_dir, loaded) = out_and_catalog(args.out.as_deref(), content)?;
    let catalog_dir = content.unwrap_or(&out_dir);
    let mut err = anstream::stderr();
    let named = named_packages(&loaded.catalog, registry);
    if named.is_empty() {
        bail!(
            "no topic in `{}` names a {registry} package; add `{registry} = \"…\"` under a topic's \
             [packages] first",
            catalog_dir.display()
        );
    }

    let (input, as_of) = match (&args.from, &args.registry_url) {
        (Some(file), _) => (
            read_snapshot(registry, file)?,
            args.as_of
                .clone()
                .expect("clap requires --as-of with --from"),
        ),
        (None, Some(url)) => (
            fetch(registry, url, &named, Duration::from_secs(args.timeout))?,
            args.as_of.clone().unwrap_or_else(today_utc),
        ),
        (None, None) => unreachable!("clap requires --from or --registry-url"),
    };

    let selection = select(registry, &input.figures, &named);
    let text = EvidenceFile {
        registry,
        as_of: &as_of,
        input: &input.name,
        selection: &selection,
    }
    .render();
    let path = out_dir.join(registry.evidence_path());
    let changed = write_atomically(&path, &text)?;

    for m in &selection.missing {
        let topics: Vec<String> = m.topics.iter().map(|t| format!("`{t}`")).collect();
        let why = input
            .why_missing
            .get(&registry.match_key(&m.package))
            .cloned()
            .unwrap_or_else(|| format!("not in {}", input.name));
        let _ = writeln!(
            err,
            "verdict: warning: no figure for {registry} package `{}` (topic {}): {why}",
            m.package,
            topics.join(", ")
        );
    }
    let topics_with_evidence: usize = named
        .iter()
        .filter(|(p, _)| !selection.missing.iter().any(|m| &m.package == *p))
        .map(|(_, t)| t.len())
        .sum();
    let mut out = anstream::stdout();
    writeln!(
        out,
        "{} {} package(s) imported for {topics_with_evidence} topic(s), {} missing; {} {}",
        selection.values.len(),
        registry,
        selection.missing.len(),
        path.display(),
        if changed { "written" } else { "unchanged" }
    )?;
    out.flush()?;
    Ok(())
}

fn read_snapshot(registry: Registry, file: &Path) -> anyhow::Result<Input> {
    let text = fs::read_to_string(file)
        .with_context(|| format!("cannot read snapshot `{}`", file.display()))?;
    let snapshot = parse_snapshot(registry, &text).with_context(|| {
        format!(
            "`{}` is not a {} snapshot",
            file.display(),
            registry.label()
        )
    })?;
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut err = anstream::stderr();
    for bad in snapshot.bad_rows.iter().take(SHOW_BAD_ROWS) {
        let _ = writeln!(
            err,
            "verdict: warning: {}:{}: {}; row left out",
            file.display(),
            bad.line,
            bad.message
        );
    }
    if snapshot.bad_rows.len() > SHOW_BAD_ROWS {
        let _ = writeln!(
            err,
            "verdict: warning: {} more bad row(s) in {} left out",
            snapshot.bad_rows.len() - SHOW_BAD_ROWS,
            file.display()
        );
    }
    let why_missing = snapshot
        .bad_rows
        .iter()
        .filter_map(|b| {
            let package = b.package.as_ref()?;
            Some((
                registry.match_key(package),
                format!("line {} of {name} is bad ({})", b.line, b.message),
            ))
        })
        .collect();
    Ok(Input {
        figures: snapshot.figures(),
        name,
        why_missing,
    })
}

/// The endpoint that gives one package's figure.
///
/// npm: the downloads API, `{base}/downloads/point/last-month/{package}`,
/// answering `{"downloads": N, "package": "…"}`.
/// PyPI: `{base}/downloads/rank/{normalised name}`, answering
/// `{"download_rank": N, "package": "…"}` (documented in docs/CONTENT.md).
fn endpoint(registry: Registry, base: &str, package: &str) -> String {
    let base = base.trim_end_matches('/');
    match registry {
        Registry::Npm => format!("{base}/downloads/point/last-month/{}", encode_path(package)),
        Registry::Pypi => format!(
            "{base}/downloads/rank/{}",
            encode_path(&registry.match_key(package))
        ),
    }
}

/// Percent-encodes what a URL path may not hold. `@` and `/` stay, so a
/// scoped npm package reads `@angular/core` as the downloads API expects.
fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The JSON field holding the figure.
fn figure_field(registry: Registry) -> &'static str {
    match registry {
        Registry::Npm => "downloads",
        Registry::Pypi => "download_rank",
    }
}

/// Fetches every named package's figure, one request each. A 404 marks the
/// package missing; any other failure stops the import before anything is
/// written, naming the URL.
fn fetch(
    registry: Registry,
    base: &str,
    named: &BTreeMap<String, Vec<String>>,
    timeout: Duration,
) -> anyhow::Result<Input> {
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        bail!("--registry-url must start with http:// or https://, got `{base}`");
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("verdict/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut input = Input {
        name: base.trim_end_matches('/').to_owned(),
        figures: Vec::new(),
        why_missing: HashMap::new(),
    };
    for package in named.keys() {
        let url = endpoint(registry, base, package);
        let failed = |e: ureq::Error| match e {
            ureq::Error::Timeout(_) => anyhow::anyhow!(
                "{url} did not answer within {}s; nothing was written",
                timeout.as_secs()
            ),
            e => anyhow::anyhow!("cannot fetch {url}: {e}; nothing was written"),
        };
        let mut response = agent.get(&url).call().map_err(failed)?;
        let status = response.status();
        if status == 404 {
            input.why_missing.insert(
                registry.match_key(package),
                format!("{url} answered 404 Not Found"),
            );
            continue;
        }
        if status != 200 {
            bail!(
                "{url} answered {} {}; nothing was written",
                status.as_u16(),
                status.canonical_reason().unwrap_or("")
            );
        }
        let body = response.body_mut().read_to_string().map_err(failed)?;
        let figure = parse_answer(registry, package, &body).map_err(|e| {
            anyhow::anyhow!("unexpected answer from {url}: {e:#}; nothing was written")
        })?;
        match figure {
            Some(f) => input.figures.push(f),
            None => {
                input.why_missing.insert(
                    registry.match_key(package),
                    format!("{url} reports {} 0", figure_field(registry)),
                );
            }
        }
    }
    Ok(input)
}

/// Reads one JSON answer. `None` when the figure is 0, which an evidence
/// file cannot hold (a package nobody downloaded has no popularity to show).
fn parse_answer(registry: Registry, asked: &str, body: &str) -> anyhow::Result<Option<Figure>> {
    let json: serde_json::Value = serde_json::from_str(body).context("the answer is not JSON")?;
    let field = figure_field(registry);
    let value = json
        .get(field)
        .and_then(serde_json::Value::as_u64)
        .filter(|v| *v <= i64::MAX as u64)
        .with_context(|| format!("`{field}` is missing or not a whole number"))?;
    let package = match json.get("package") {
        None => asked.to_owned(),
        Some(p) => {
            let p = p.as_str().context("`package` is not a string")?;
            if registry.match_key(p) != registry.match_key(asked) {
                bail!("it is about package `{p}`, not `{asked}`");
            }
            p.to_owned()
        }
    };
    Ok((value > 0).then_some(Figure { package, value }))
}

/// Replaces `path` with `text` through a temporary file and a rename, so
/// readers see the old file or the new one, never a mix. Returns false when
/// the file already held `text`.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<bool> {
    if fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    let dir = path.parent().expect("evidence path has a folder");
    fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let name = path.file_name().expect("evidence path has a name");
    // Not `*.toml`, so a leftover is never loaded as content.
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write `{}`", path.display()));
    }
    Ok(true)
}

/// Today's date in UTC as YYYY-MM-DD (Howard Hinnant's civil-from-days).
fn today_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

fn civil_date(days_since_epoch: u64) -> String {
    let z = days_since_epoch as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

// ---- git --------------------------------------------------------------------

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("repositories").required(true).multiple(true).args(["repos", "repos_from"])))]
pub struct GitArgs {
    /// A local clone to read, bare or not; repeatable.
    #[arg(long = "repo", value_name = "PATH")]
    repos: Vec<PathBuf>,
    /// Read repositories from FILE, one per line: `PATH [TOPIC [URL]]`,
    /// separated by spaces; blank lines and lines starting with `#` are skipped.
    #[arg(long, value_name = "FILE")]
    repos_from: Option<PathBuf>,
    /// The topic the repository is about (its slug). Without it, the
    /// folder's name (less `.git`) must be a topic's slug, name or alias.
    /// Only with a single --repo.
    #[arg(long, value_name = "SLUG")]
    topic: Option<String>,
    /// The repository's web address, where readers check the figures
    /// [default: the `origin` remote's URL]. Only with a single --repo.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Measure as of this day (YYYY-MM-DD) instead of the read commit's date.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<Day>,
    /// The content directory to write evidence/git/<topic>.toml into
    /// [default: the --content directory, or ./content].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn parse_day(s: &str) -> Result<Day, String> {
    Day::parse(s)
        .ok_or_else(|| format!("`{s}` is not a date; write the day to measure at as YYYY-MM-DD"))
}

/// One repository to import, from --repo or a --repos-from line.
#[derive(Debug, Clone)]
struct RepoJob {
    path: PathBuf,
    topic: Option<String>,
    url: Option<String>,
}

/// What one repository gave.
struct Imported {
    topic: String,
    commits: usize,
    path: PathBuf,
    changed: bool,
}

fn import_git(args: GitArgs, content: Option<&Path>) -> anyhow::Result<()> {
    let mut err = anstream::stderr();
    let mut jobs: Vec<RepoJob> = args
        .repos
        .iter()
        .map(|p| RepoJob {
            path: p.clone(),
            topic: None,
            url: None,
        })
        .collect();
    if let Some(file) = &args.repos_from {
        let text = fs::read_to_string(file)
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        jobs.extend(
            parse_repos_from(&text).map_err(|e| anyhow::anyhow!("{}:{e}", file.display()))?,
        );
    }
    if args.topic.is_some() || args.url.is_some() {
        if jobs.len() != 1 {
            let _ = writeln!(
                err,
                "verdict: --topic and --url name one repository's topic and address; with several, \
                 write them on each line of --repos-from"
            );
            return Err(Exit(2).into());
        }
        jobs[0].topic = args.topic.clone();
        jobs[0].url = args.url.clone();
    }
    if jobs.is_empty() {
        bail!("no repository to import: --repos-from lists none");
    }
    let (out_dir, loaded) = out_and_catalog(args.out.as_deref(), content)?;

    let bar = if jobs.len() > 1 && std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:32} {pos}/{len} repositories  {elapsed}  {msg}")
            .expect("a valid template"),
    );
    let mut done: HashMap<String, PathBuf> = HashMap::new();
    let mut failed = 0;
    let mut out = anstream::stdout();
    for job in &jobs {
        bar.set_message(job.path.display().to_string());
        let result = import_one(job, &loaded.catalog, args.as_of, &out_dir, &done);
        bar.inc(1);
        bar.suspend(|| match &result {
            Ok(i) => {
                let _ = writeln!(
                    out,
                    "{}: {} commits read from {}; {} {}",
                    i.topic,
                    i.commits,
                    job.path.display(),
                    i.path.display(),
                    if i.changed { "written" } else { "unchanged" }
                );
                let _ = out.flush();
            }
            Err(e) => {
                let _ = writeln!(err, "verdict: {e:#}; nothing was written for it");
            }
        });
        match result {
            Ok(i) => {
                done.insert(i.topic, job.path.clone());
            }
            Err(_) => failed += 1,
        }
    }
    bar.finish_and_clear();
    if jobs.len() > 1 {
        writeln!(
            out,
            "{} of {} repositories imported{}",
            jobs.len() - failed,
            jobs.len(),
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            }
        )?;
    }
    out.flush()?;
    if failed > 0 {
        return Err(Exit(1).into());
    }
    Ok(())
}

/// `PATH [TOPIC [URL]]` per line.
fn parse_repos_from(text: &str) -> Result<Vec<RepoJob>, String> {
    let mut jobs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() > 3 {
            return Err(format!(
                "{}: expected `PATH [TOPIC [URL]]`, found {} fields",
                n + 1,
                fields.len()
            ));
        }
        jobs.push(RepoJob {
            path: PathBuf::from(fields[0]),
            topic: fields.get(1).map(|s| (*s).to_owned()),
            url: fields.get(2).map(|s| (*s).to_owned()),
        });
    }
    Ok(jobs)
}

/// Reads one repository and writes its file; every error names the path.
fn import_one(
    job: &RepoJob,
    catalog: &verdict_core::Catalog,
    as_of: Option<Day>,
    out_dir: &Path,
    done: &HashMap<String, PathBuf>,
) -> anyhow::Result<Imported> {
    let shown = job.path.display();
    let topic = git_topic(job, catalog).with_context(|| format!("`{shown}`"))?;
    if let Some(first) = done.get(&topic) {
        bail!(
            "`{shown}`: topic `{topic}` was already imported from `{}` in this run",
            first.display()
        );
    }
    if let Some(u) = &job.url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        bail!("`{shown}`: --url `{u}` is not a web address; give it as https://…");
    }
    let history = read_history(&job.path)?;
    let url = match (&job.url, &history.origin) {
        (Some(u), _) => u.clone(),
        (None, Some(origin)) => web_url(origin).with_context(|| {
            format!(
                "`{shown}`: the `origin` remote `{origin}` is not a web address; pass --url with \
                 the repository's address"
            )
        })?,
        (None, None) => {
            bail!("`{shown}` has no `origin` remote: pass --url with the repository's web address")
        }
    };
    let figures = figures(&history, &url, as_of).with_context(|| format!("`{shown}`"))?;
    let path = out_dir.join(activity::path(&topic));
    let changed = write_atomically(&path, &activity::render(&figures))?;
    Ok(Imported {
        topic,
        commits: history.commits.len(),
        path,
        changed,
    })
}

/// The topic a repository is for: `--topic`, which must be a slug, or the
/// folder's name (less `.git`), which may be a slug, name or alias.
fn git_topic(job: &RepoJob, catalog: &verdict_core::Catalog) -> anyhow::Result<String> {
    if let Some(slug) = &job.topic {
        if catalog.topic(slug).is_some() {
            return Ok(slug.clone());
        }
        let hint = match verdict_core::search::resolve(catalog, slug) {
            Resolved::Found(t) => format!("; its slug is `{}`", t.slug),
            Resolved::Unknown(near) if !near.is_empty() => {
                let names: Vec<String> = near.iter().map(|t| format!("`{}`", t.slug)).collect();
                format!("; did you mean {}?", verdict_core::text::join_or(&names))
            }
            Resolved::Unknown(_) => "; `verdict topics` lists the slugs".to_owned(),
        };
        bail!("topic `{slug}` does not exist in the catalog{hint}");
    }
    let folder = job.path.canonicalize().unwrap_or_else(|_| job.path.clone());
    let mut name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == ".git" {
        name = folder
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    let name = name.strip_suffix(".git").unwrap_or(&name);
    match verdict_core::search::resolve(catalog, name) {
        Resolved::Found(t) => Ok(t.slug.clone()),
        Resolved::Unknown(_) => bail!(
            "cannot tell which topic the repository is for: its folder name `{name}` is no topic's \
             slug, name or alias; pass --topic SLUG"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_registry_conventions() {
        assert_eq!(
            endpoint(Registry::Npm, "http://h/", "@angular/core"),
            "http://h/downloads/point/last-month/@angular/core"
        );
        assert_eq!(
            endpoint(Registry::Pypi, "http://h", "Scikit_Learn"),
            "http://h/downloads/rank/scikit-learn"
        );
        assert_eq!(
            endpoint(Registry::Npm, "http://h", "a b?"),
            "http://h/downloads/point/last-month/a%20b%3F"
        );
    }

    #[test]
    fn answers_are_read_and_checked() {
        let ok = parse_answer(
            Registry::Npm,
            "react",
            r#"{"downloads": 120000000, "start": "2026-10-01", "package": "react"}"#,
        )
        .unwrap();
        assert_eq!(
            ok,
            Some(Figure {
                package: "react".into(),
                value: 120_000_000
            })
        );
        let pypi = parse_answer(
            Registry::Pypi,
            "Django",
            r#"{"package": "django", "download_rank": 528}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(pypi.package, "django");
        assert_eq!(
            parse_answer(Registry::Npm, "react", r#"{"downloads": 0}"#).unwrap(),
            None
        );
        for (body, why) in [
            ("<html>", "the answer is not JSON"),
            (
                r#"{"downloads": "many"}"#,
                "`downloads` is missing or not a whole number",
            ),
            (
                r#"{"downloads": 5, "package": "vue"}"#,
                "it is about package `vue`, not `react`",
            ),
        ] {
            let e = parse_answer(Registry::Npm, "react", body).unwrap_err();
            assert_eq!(e.to_string(), why, "{body}");
        }
    }

    #[test]
    fn civil_dates_are_right() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_784), "2026-11-27");
    }

    #[test]
    fn atomic_write_replaces_and_reports_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("evidence/npm.toml");
        assert!(write_atomically(&path, "a = 1\n").unwrap());
        assert!(!write_atomically(&path, "a = 1\n").unwrap());
        assert!(write_atomically(&path, "a = 2\n").unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "a = 2\n");
        let names: Vec<_> = fs::read_dir(dir.path().join("evidence"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["npm.toml"], "no temporary file is left behind");
    }
}
