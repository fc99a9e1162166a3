//! `verdict import git`'s reading and figures, on small repositories built
//! here with the `git` command line (a fixture builder only: the code under
//! test reads them with gix) and fixed names, emails and dates, so every
//! figure is known in advance. Then the loader's reading of the files.

use std::path::{Path, PathBuf};
use std::process::Command;

use verdict_content::activity::{self, Day, FiguresError, History, figures, render};
use verdict_content::git::{GitError, read_history};
use verdict_content::{Code, Loaded, Options, Severity};
use verdict_core::model::Activity;

/// A repository in a temporary folder, written by `git` with no user or
/// system configuration.
struct Repo {
    _tmp: tempfile::TempDir,
    path: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("project");
        std::fs::create_dir(&path).unwrap();
        let repo = Repo { _tmp: tmp, path };
        repo.git(&["init", "-q", "-b", "main"], None);
        repo
    }

    fn git(&self, args: &[&str], date: Option<&str>) {
        git_in(&self.path, args, date, ("Alice", "alice@example.com"));
    }

    /// An empty commit by `email`, authored and committed at `date`.
    fn commit(&self, date: &str, email: &str) {
        git_in(
            &self.path,
            &[
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                &format!("work of {date}"),
            ],
            Some(date),
            ("Someone", email),
        );
    }
}

fn git_in(dir: &Path, args: &[&str], date: Option<&str>, (name, email): (&str, &str)) {
    let mut cmd = Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email);
    let date = date.unwrap_or("2020-01-01T00:00:00+00:00");
    cmd.env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date);
    let out = cmd.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The history every figure below is checked against.
///
/// main: 2019 first commit (tagged v1.0.0), two commits on 31 March 2024
/// (one is 1 April in UTC), carol on 2025-03-10 (exactly a year before
/// `as_of`: outside the 12 months), dave the next day, Bob twice with his
/// email in two cases; a branch of two commits by erin merged on
/// 2026-03-10, the read commit.
fn sample() -> Repo {
    let r = Repo::new();
    r.commit("2019-06-01T10:00:00+00:00", "alice@example.com");
    r.git(&["tag", "v1.0.0"], None);
    r.commit("2024-03-31T23:30:00-02:00", "bob@example.com"); // 2024-04-01 in UTC
    r.commit("2024-03-31T12:00:00+00:00", "bob@example.com");
    r.commit("2025-03-10T08:00:00+00:00", "carol@example.com");
    r.commit("2025-03-11T08:00:00+00:00", "dave@example.com");
    r.commit("2025-12-01T08:00:00+00:00", "Bob@Example.COM");
    r.commit("2026-01-15T08:00:00+00:00", "bob@example.com");
    r.git(&["tag", "release-2.1"], None); // lightweight: the commit's date
    r.git(&["tag", "latest"], None); // not a release name
    // Annotated tags are dated by their tagger, not their commit.
    r.git(
        &["tag", "-a", "v2.0.0", "-m", "2.0", "HEAD~1"],
        Some("2025-06-01T00:00:00+00:00"),
    );
    r.git(
        &["tag", "-a", "v2.1.0-rc.1", "-m", "rc", "HEAD"],
        Some("2025-07-01T00:00:00+00:00"),
    );
    r.git(
        &["tag", "-a", "3.0", "-m", "3.0", "HEAD"],
        Some("2025-03-10T00:00:00+00:00"),
    );
    r.git(&["checkout", "-q", "-b", "feature"], None);
    r.commit("2026-02-01T08:00:00+00:00", "erin@example.com");
    r.commit("2026-02-02T08:00:00+00:00", "erin@example.com");
    r.git(&["checkout", "-q", "main"], None);
    r.git(
        &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
        Some("2026-03-10T18:00:00+00:00"),
    );
    r
}

const URL: &str = "https://example.org/project";

fn months(a: &Activity) -> Vec<(&str, u32)> {
    a.commits_per_month
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(m, n)| (m.as_str(), *n))
        .collect()
}

#[test]
fn figures_are_exact() {
    let r = sample();
    let history = read_history(&r.path).unwrap();
    assert_eq!(history.commits.len(), 10, "every commit, both parents");
    assert_eq!(history.origin, None);
    let a = figures(&history, URL, None).unwrap();
    assert_eq!(a.url, URL);
    assert_eq!(a.commit.len(), 40);
    assert_eq!(a.commit_date, "2026-03-10");
    assert_eq!(a.as_of, "2026-03-10");
    assert_eq!(a.first_commit_year, 2019);
    assert_eq!(a.last_commit_date, "2026-03-10");
    assert_eq!(a.commits_per_month.len(), 24);
    assert_eq!(a.commits_per_month[0].0, "2024-04");
    assert_eq!(a.commits_per_month[23].0, "2026-03");
    assert_eq!(
        months(&a),
        [
            ("2024-04", 1),
            ("2025-03", 2),
            ("2025-12", 1),
            ("2026-01", 1),
            ("2026-02", 2),
            ("2026-03", 1),
        ]
    );
    // dave, bob (one person in two spellings), erin, alice (the merge);
    // carol is a day too early.
    assert_eq!(a.authors_last_12_months, 4);
    // v2.0.0 (tagged 2025-06-01) and release-2.1 (2026-01-15); not the
    // rc, not `latest`, not 3.0 (2025-03-10, a year to the day), not v1.0.0.
    assert_eq!(a.releases_last_12_months, 2);
}

#[test]
fn as_of_moves_every_window_and_ignores_later_commits() {
    let history = read_history(&sample().path).unwrap();
    let a = figures(&history, URL, Day::parse("2025-12-31")).unwrap();
    assert_eq!(a.commit_date, "2026-03-10", "the commit read is still HEAD");
    assert_eq!(a.as_of, "2025-12-31");
    assert_eq!(a.last_commit_date, "2025-12-01");
    assert_eq!(a.commits_per_month[0].0, "2024-01");
    assert_eq!(
        months(&a),
        [
            ("2024-03", 1),
            ("2024-04", 1),
            ("2025-03", 2),
            ("2025-12", 1)
        ]
    );
    // carol, dave, bob; v2.0.0 and 3.0.
    assert_eq!(a.authors_last_12_months, 3);
    assert_eq!(a.releases_last_12_months, 2);

    let err = figures(&history, URL, Day::parse("2018-01-01")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no commit is dated on or before 2018-01-01; the first is from 2019-06-01"
    );
    assert_eq!(
        figures(&History::default(), URL, None).unwrap_err(),
        FiguresError::NoCommits
    );
}

#[test]
fn the_same_repository_gives_the_same_bytes_bare_or_not() {
    let r = sample();
    let once = render(&figures(&read_history(&r.path).unwrap(), URL, None).unwrap());
    let twice = render(&figures(&read_history(&r.path).unwrap(), URL, None).unwrap());
    assert_eq!(once, twice);
    let bare = r.path.with_file_name("project.git");
    git_in(
        r.path.parent().unwrap(),
        &[
            "clone",
            "-q",
            "--bare",
            &format!("file://{}", r.path.display()),
            bare.to_str().unwrap(),
        ],
        None,
        ("Alice", "alice@example.com"),
    );
    let from_bare = render(&figures(&read_history(&bare).unwrap(), URL, None).unwrap());
    assert_eq!(from_bare, once);
    assert!(once.starts_with(
        "# Generated by `verdict import git` from the history of https://example.org/project.\n\
         # Do not edit by hand: re-run `verdict import git` to refresh the figures.\n\n\
         url = \"https://example.org/project\"\n"
    ));
}

#[test]
fn the_origin_remote_is_read() {
    let r = sample();
    r.git(
        &["remote", "add", "origin", "git@github.com:acme/project.git"],
        None,
    );
    let h = read_history(&r.path).unwrap();
    assert_eq!(h.origin.as_deref(), Some("git@github.com:acme/project.git"));
    assert_eq!(
        activity::web_url(h.origin.as_deref().unwrap()).as_deref(),
        Some("https://github.com/acme/project")
    );
}

#[test]
fn a_folder_that_is_not_a_repository_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let err = read_history(tmp.path()).unwrap_err();
    assert!(matches!(err, GitError::NotARepository(_)), "{err}");
    assert_eq!(
        err.to_string(),
        format!("`{}` is not a git repository", tmp.path().display())
    );
    assert!(matches!(
        read_history(&tmp.path().join("missing")),
        Err(GitError::NotARepository(_))
    ));
    // A folder inside a work tree is not the repository.
    let r = sample();
    let inner = r.path.join("docs");
    std::fs::create_dir(&inner).unwrap();
    assert!(matches!(
        read_history(&inner),
        Err(GitError::NotARepository(_))
    ));
}

#[test]
fn a_shallow_clone_is_refused() {
    let r = sample();
    let shallow = r.path.with_file_name("shallow");
    git_in(
        r.path.parent().unwrap(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &format!("file://{}", r.path.display()),
            shallow.to_str().unwrap(),
        ],
        None,
        ("Alice", "alice@example.com"),
    );
    let err = read_history(&shallow).unwrap_err();
    assert!(matches!(err, GitError::Shallow(_)), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "`{}` is a shallow clone: fetch the full history with `git fetch --unshallow`",
            shallow.display()
        )
    );
}

#[test]
fn an_empty_repository_is_refused() {
    let r = Repo::new();
    let err = read_history(&r.path).unwrap_err();
    assert!(matches!(err, GitError::Empty(_)), "{err}");
    assert!(
        err.to_string()
            .ends_with("is an empty repository: it has no commits")
    );
}

// ---- the loader -------------------------------------------------------------

/// The `minimal` fixture catalog (topics `react`, `vue`, …) plus `files`.
fn load_with(files: &[(&str, &str)], options: Options) -> Loaded {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
    let mut all = verdict_content::read_dir(&root).unwrap();
    for (path, text) in files {
        all.push(verdict_content::SourceFile {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        });
    }
    verdict_content::load(&all, options)
}

fn sample_activity() -> Activity {
    figures(&read_history(&sample().path).unwrap(), URL, None).unwrap()
}

/// The diagnostics about git evidence, as `verdict check` prints them.
fn git_diagnostics(loaded: &Loaded) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.file.starts_with(activity::DIR))
        .map(ToString::to_string)
        .collect()
}

#[test]
fn a_rendered_file_loads_back_onto_its_topic() {
    let a = sample_activity();
    let text = render(&a);
    let loaded = load_with(
        &[("evidence/git/react.toml", &text)],
        Options { strict: true },
    );
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.catalog.topic("react").unwrap().activity, Some(a));
    assert_eq!(loaded.catalog.topic("vue").unwrap().activity, None);
}

#[test]
fn a_file_for_no_topic_is_a_warning_or_under_strict_an_error() {
    let text = render(&sample_activity());
    let files = [("evidence/git/reakt.toml", text.as_str())];
    let loaded = load_with(&files, Options::default());
    let d = &loaded.diagnostics;
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].severity, d[0].code),
        (Severity::Warning, Code::ActivityTopic)
    );
    assert_eq!(
        d[0].to_string(),
        "warning[activity-topic]: evidence/git/reakt.toml: there is no topic `reakt` for this git \
         evidence\n  help: name the file after a topic's slug, or delete it if topic `reakt` was removed"
    );
    let strict = load_with(&files, Options { strict: true });
    assert_eq!(strict.diagnostics[0].severity, Severity::Error);
    assert!(strict.has_errors());
}

#[test]
fn a_file_without_its_provenance_is_an_error() {
    let text = render(&sample_activity());
    let without = |key: &str| -> String {
        text.lines()
            .filter(|l| !l.starts_with(&format!("{key} =")))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    for (key, what) in [
        ("url", "the repository's address"),
        ("commit", "the id of the commit read"),
        ("commit_date", "the read commit's date"),
    ] {
        let file = without(key);
        let loaded = load_with(&[("evidence/git/react.toml", &file)], Options::default());
        assert_eq!(
            git_diagnostics(&loaded),
            [format!(
                "error[activity-provenance]: evidence/git/react.toml:1: `{key}`: missing `{key}`, \
                 {what}: a reader could not check these figures\n  help: re-run `verdict import \
                 git`, which writes it"
            )],
            "{key}"
        );
        assert_eq!(loaded.catalog.topic("react").unwrap().activity, None);
    }
}

#[test]
fn malformed_figures_are_errors_with_their_line() {
    let text = render(&sample_activity());
    for (from, to, expect) in [
        (
            "authors_last_12_months = 4",
            "authors_last_12_months = -4",
            "error[bad-activity]: evidence/git/react.toml:10: `authors_last_12_months`: must be a \
             whole number from 0 to 4294967295\n  help: re-run `verdict import git`",
        ),
        (
            "releases_last_12_months = 2",
            "releases_last_12_months = \"two\"",
            "error[wrong-type]: evidence/git/react.toml:11: `releases_last_12_months`: expected a \
             whole number, found string\n  help: write a whole number here",
        ),
        (
            "\"2025-12\" = 1",
            "\"2025-13\" = 1",
            "error[bad-activity]: evidence/git/react.toml:34: `commits_per_month.2025-13`: \
             `2025-13` is not a month\n  help: write months as \"YYYY-MM\", or re-run `verdict \
             import git`",
        ),
        (
            "\"2024-04\" = 1",
            "\"2024-03\" = 1",
            "error[bad-activity]: evidence/git/react.toml:13: `commits_per_month`: expected the 24 \
             months from 2024-04 to 2026-03\n  help: re-run `verdict import git`",
        ),
        (
            "commit_date = \"2026-03-10\"",
            "commit_date = \"2026-02-30\"",
            "error[bad-date]: evidence/git/react.toml:6: `commit_date`: `2026-02-30` is not a \
             date\n  help: write it as \"YYYY-MM-DD\", or re-run `verdict import git`",
        ),
        (
            "url = \"https://example.org/project\"",
            "url = \"example.org/project\"",
            "error[bad-activity]: evidence/git/react.toml:4: `url`: `example.org/project` is not a \
             web address\n  help: re-run `verdict import git` with `--url https://…`",
        ),
    ] {
        let (from, to) = (format!("\n{from}\n"), format!("\n{to}\n"));
        assert_eq!(text.matches(&from).count(), 1, "{from}");
        let file = text.replace(&from, &to);
        let loaded = load_with(&[("evidence/git/react.toml", &file)], Options::default());
        assert_eq!(git_diagnostics(&loaded), [expect.to_owned()], "{to}");
        assert_eq!(
            loaded.catalog.topic("react").unwrap().activity,
            None,
            "{to}"
        );
    }
}
