//! The `verdict` binary, run as a person runs it: in an empty directory,
//! with a clean environment (only `PATH`, and `NO_COLOR=1` unless a test
//! says otherwise), asserting exit code, stdout and stderr (ripgrep's
//! `TestCommand`).
//!
//! Tests that name catalog content use either the bundled catalog (the
//! career and language topics the brief promises) or the `minimal` fixture
//! of `verdict-content`, whose text never changes under them.

use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// How a run ended and what it printed.
#[derive(Debug)]
struct Run {
    /// `None` when a signal killed the process.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Asserts exit 0 and a silent stderr; returns stdout.
    #[track_caller]
    fn success(&self) -> &str {
        assert_eq!(
            (self.code, self.stderr.as_str()),
            (Some(0), ""),
            "stdout:\n{}",
            self.stdout
        );
        &self.stdout
    }

    /// Asserts exit `code` and an empty stdout; returns stderr.
    #[track_caller]
    fn failure(&self, code: i32) -> &str {
        assert_eq!(
            (self.code, self.stdout.as_str()),
            (Some(code), ""),
            "stderr:\n{}",
            self.stderr
        );
        &self.stderr
    }
}

/// The working directory is empty, so nothing is found there by accident;
/// the caller keeps it alive while the command runs.
fn command(args: &[&str]) -> (Command, tempfile::TempDir) {
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verdict"));
    cmd.args(args)
        .current_dir(cwd.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1");
    (cmd, cwd)
}

fn run(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn verdict(args: &[&str]) -> Run {
    let (cmd, _cwd) = command(args);
    run(cmd)
}

/// Every command on the bundled catalog warns on one line while that
/// catalog still has errors; other people are writing it, and checking it
/// is another test's job, so that one line is set aside here.
fn bundled(args: &[&str]) -> Run {
    let mut r = verdict(args);
    r.stderr = without_content_warning(&r.stderr);
    r
}

fn without_content_warning(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            !(l.starts_with("verdict: warning: the content has ")
                && l.ends_with("error(s); run `verdict check` to see them"))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../verdict-content/tests/fixtures")
}

fn minimal() -> String {
    fixtures().join("minimal").to_str().unwrap().to_owned()
}

/// A copy of the `minimal` fixture with `invalid-<case>` laid over it (see
/// verdict-content's tests/check.rs).
fn invalid(case: &str) -> tempfile::TempDir {
    fn copy_tree(from: &Path, to: &Path) {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let (src, dst) = (entry.path(), to.join(entry.file_name()));
            if src.is_dir() {
                std::fs::create_dir_all(&dst).unwrap();
                copy_tree(&src, &dst);
            } else if entry.file_name() != "REMOVE" {
                std::fs::copy(&src, &dst).unwrap();
            }
        }
    }
    let over = fixtures().join(format!("invalid-{case}"));
    assert!(
        !over.join("REMOVE").exists(),
        "fixture removes files; not supported here"
    );
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("minimal"), dir.path());
    copy_tree(&over, dir.path());
    dir
}

fn path(dir: &tempfile::TempDir) -> &str {
    dir.path().to_str().unwrap()
}

const TL_VS_PM: &[&str] = &["compare", "technical-leadership", "product-management"];
/// An editorial pick the scorecard agrees with.
const DJANGO_VS_FLASK: &[&str] = &["compare", "django", "flask"];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

// ---- check ----

#[test]
fn check_passes_the_minimal_catalog() {
    assert_eq!(
        verdict(&["check", &minimal(), "--strict"]).success(),
        "4 topics in 2 categories, 1 editorial comparisons: 0 error(s), 0 warning(s)\n"
    );
}

#[test]
fn check_reports_each_problem_with_file_line_key_and_fix() {
    let dir = invalid("prose");
    let r = verdict(&["check", path(&dir)]);
    assert_eq!((r.code, r.stderr.as_str()), (Some(1), ""));
    assert_eq!(
        r.stdout,
        "error[prose]: topics/frontend/vue.toml:6: `use_when`: text should start with \"you\" \
         or \"your\" so that it completes \"use it if …\"\n  \
         help: rewrite it as described\n\
         3 topics in 2 categories, 1 editorial comparisons: 1 error(s), 0 warning(s)\n"
    );
}

#[test]
fn check_reports_json_for_tools() {
    let dir = invalid("unknown-field");
    let r = verdict(&["check", path(&dir), "--format", "json"]);
    assert_eq!((r.code, r.stderr.as_str()), (Some(1), ""));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        json!({
            "errors": 1,
            "warnings": 0,
            "topics": 3,
            "categories": 2,
            "editorials": 1,
            "diagnostics": [{
                "severity": "error",
                "code": "unknown-field",
                "file": "topics/frontend/vue.toml",
                "line": 4,
                "key": "alias",
                "message": "unknown key",
                "help": "did you mean `aliases`?",
            }],
        })
    );
}

/// `--format github` prints one GitHub Actions workflow command per
/// problem, so a pull request shows each on its line; the exit code is the
/// same as the text format's.
#[test]
fn check_formats_problems_as_github_annotations() {
    let dir = invalid("too-few");
    let r = verdict(&["check", "--strict", "--format", "github", path(&dir)]);
    assert_eq!((r.code, r.stderr.as_str()), (Some(1), ""));
    let file = format!("{}/topics/frontend/vue.toml", path(&dir));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    assert_eq!(
        lines[0],
        format!(
            "::error file={},line=1,title=too-few::`cons`: has 1, the catalog needs at least 2%0Ahelp: add 1 more to `cons`",
            file.replace(':', "%3A").replace(',', "%2C")
        )
    );
    assert!(
        lines.iter().all(|l| l.starts_with("::error file=")),
        "{lines:?}"
    );
    // A clean catalog prints nothing and exits 0.
    let clean = verdict(&["check", "--format", "github", path(&dir)]);
    assert_eq!((clean.code, clean.stdout.as_str()), (Some(0), ""));
}

#[test]
fn check_strict_enforces_the_published_minimums() {
    let dir = invalid("too-few");
    assert_eq!(
        verdict(&["check", path(&dir)]).success(),
        "4 topics in 2 categories, 1 editorial comparisons: 0 error(s), 0 warning(s)\n"
    );
    let r = verdict(&["check", "--strict", path(&dir)]);
    assert_eq!((r.code, r.stderr.as_str()), (Some(1), ""));
    let codes: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("error"))
        .collect();
    assert_eq!(
        codes,
        [
            "error[too-few]: topics/frontend/vue.toml:1: `cons`: has 1, the catalog needs at least 2",
            "error[too-few]: topics/frontend/vue.toml:1: `pros`: has 2, the catalog needs at least 3",
            "error[too-few]: topics/frontend/vue.toml:1: `related`: has 1, the catalog needs at least 2",
            "error[too-few]: topics/frontend/vue.toml:1: `sources`: has 0, the catalog needs at least 2",
        ]
    );
}

#[test]
fn check_cannot_read_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let r = verdict(&["check", missing.to_str().unwrap()]);
    assert_eq!(
        r.failure(2),
        format!(
            "verdict: content directory `{}` does not exist\n",
            missing.display()
        )
    );
    // Without a directory, `check` looks for ./content.
    assert_eq!(
        verdict(&["check"]).failure(2),
        "verdict: content directory `content` does not exist\n"
    );
}

// ---- compare ----

#[test]
fn compare_json_has_the_pick_and_the_whole_breakdown() {
    let r = bundled(&with(DJANGO_VS_FLASK, &["--format", "json"]));
    let out = r.success();
    let v: Value = serde_json::from_str(out).unwrap();
    let d = &v["decision"];
    assert_eq!(d["topics"], json!(["django", "flask"]));
    assert_eq!(d["pick"], "django");
    assert_eq!(v["editorial"]["pick"], "django");
    let rows = d["rows"].as_array().unwrap();
    assert!(rows.len() >= 3, "{rows:?}");
    for row in rows {
        assert!(row["weight"].as_f64().unwrap() > 0.0, "{row}");
        let cells = row["cells"].as_array().unwrap();
        let slugs: Vec<&str> = cells.iter().map(|c| c["slug"].as_str().unwrap()).collect();
        assert_eq!(slugs, ["django", "flask"], "{row}");
        for c in cells {
            assert!(c["score"].as_u64().unwrap() <= 10, "{row}");
            assert!(c["reason"].as_str().unwrap().ends_with('.'), "{row}");
        }
    }
    assert!(
        matches!(d["flip"]["type"].as_str(), Some("weight" | "nothing")),
        "{}",
        d["flip"]
    );
    assert!(!v["verdict"]["flip"].as_str().unwrap().is_empty());
    let use_if: Vec<(&str, &str)> = v["verdict"]["use_if"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["slug"].as_str().unwrap(), u["text"].as_str().unwrap()))
        .collect();
    assert_eq!(use_if.len(), 2, "{use_if:?}");
    assert_eq!(use_if[0].0, "django");
    assert!(use_if[0].1.starts_with("Use Django if you"));
    assert_eq!(use_if[1].0, "flask");
    assert!(use_if[1].1.starts_with("Use Flask if you"));
    insta::assert_snapshot!("compare_json", out);
}

#[test]
fn compare_text_is_plain_with_our_pick() {
    let out = bundled(DJANGO_VS_FLASK).success().to_owned();
    assert!(out.contains("★ Our pick: Django"), "{out}");
    assert!(!out.contains('\x1b'), "{out}");
    insta::assert_snapshot!("compare_text", out);
    // Piped output has no colours even when NO_COLOR is not set.
    let (mut cmd, _cwd) = command(DJANGO_VS_FLASK);
    cmd.env_remove("NO_COLOR");
    let mut r = run(cmd);
    r.stderr = without_content_warning(&r.stderr);
    assert_eq!(r.success(), out);
}

#[test]
fn compare_markdown_has_a_scorecard_table() {
    let r = bundled(&with(DJANGO_VS_FLASK, &["--format", "markdown"]));
    let out = r.success();
    assert!(out.starts_with("# Django vs Flask\n"), "{out}");
    assert!(out.contains("**Our pick: Django**"), "{out}");
    assert!(
        out.contains("| Criterion | Weight | Django | Flask |\n|---|---:|---:|---:|\n"),
        "{out}"
    );
}

#[test]
fn compare_resolves_names_aliases_and_abbreviations() {
    let by_slug = bundled(&with(TL_VS_PM, &["--format", "json"]));
    let by_alias = bundled(&["compare", "tech lead", "product mgmt", "--format", "json"]);
    assert_eq!(by_alias.success(), by_slug.success());
}

#[test]
fn compare_offers_a_typo_fix_but_never_takes_it() {
    // A guess is a "did you mean", not an answer: nothing is compared.
    assert_eq!(
        bundled(&["compare", "technical leadershp", "product-management"]).failure(1),
        "verdict: unknown topic \"technical leadershp\"; did you mean Technical Leadership \
         (`technical-leadership`)?\n"
    );
    // Names of things the catalog does not have are never mapped onto a
    // topic they resemble.
    for other in [
        "bazel",
        "webassembly",
        "tidb",
        "apache pulsar",
        "solr",
        ".net",
    ] {
        let r = bundled(&["compare", other, "rust"]);
        assert_eq!(r.code, Some(1), "{other}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{other}");
    }
}

#[test]
fn compare_rejects_an_unknown_topic() {
    assert_eq!(
        bundled(&["compare", "rust", "nosuchtopiczz"]).failure(1),
        "verdict: unknown topic \"nosuchtopiczz\"; `verdict search` or `verdict topics` lists \
         what exists\n"
    );
    let err = bundled(&["compare", "rust", "pyhton"]);
    let err = err.failure(1);
    assert!(
        err.starts_with("verdict: unknown topic \"pyhton\"; did you mean Python (`python`)"),
        "{err}"
    );
}

#[test]
fn compare_rejects_an_unknown_profile_naming_the_known_ones() {
    let r = verdict(&[
        "--content",
        &minimal(),
        "compare",
        "react",
        "vue",
        "--profile",
        "nope",
    ]);
    assert_eq!(
        r.failure(1),
        "verdict: profile `nope` does not exist; profiles are `beginner`\n"
    );
}

#[test]
fn compare_rejects_bad_weights() {
    let r = verdict(&[
        "--content",
        &minimal(),
        "compare",
        "react",
        "vue",
        "--weight",
        "speed=3",
    ]);
    assert_eq!(r.failure(1), "verdict: criterion `speed` does not exist\n");
    // Not a number: a usage error, reported by the argument parser.
    let r = verdict(&["compare", "react", "vue", "--weight", "performance=x"]);
    let err = r.failure(2);
    assert!(
        err.contains("weight for `performance` must be a number, got `x`"),
        "{err}"
    );
}

#[test]
fn content_option_uses_that_catalog() {
    let r = verdict(&["--content", &minimal(), "topics"]);
    assert_eq!(
        r.success(),
        "product-management    Product Management    The role that decides what a product team builds and why.\n\
         react                 React                 A component library for building user interfaces in JavaScript.\n\
         technical-leadership  Technical Leadership  Setting a team's technical direction, usually without managing people.\n\
         vue                   Vue                   A progressive JavaScript framework for building user interfaces.\n"
    );
    let r = verdict(&[
        "--content",
        &minimal(),
        "compare",
        "vue",
        "react",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(r.success()).unwrap();
    assert_eq!(v["decision"]["pick"], "vue");
    assert_eq!(v["sides"][0]["evidence"][0]["package"], "react");
    assert_eq!(v["sides"][0]["evidence"][0]["value"], 120_000_000);
}

#[test]
fn content_with_errors_is_used_with_a_warning() {
    let dir = invalid("prose");
    let r = verdict(&["--content", path(&dir), "compare", "react", "vue"]);
    // Vue's file has an error, so Vue is left out of the catalog.
    assert_eq!(r.code, Some(1));
    assert_eq!(
        r.stderr,
        "verdict: warning: the content has 1 error(s); run `verdict check` to see them\n\
         verdict: unknown topic \"vue\"; `verdict search` or `verdict topics` lists what exists\n"
    );
}

// ---- topics and search ----

#[test]
fn topics_lists_one_category() {
    let r = bundled(&["topics", "--category", "languages", "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(r.success()).unwrap();
    assert!(list.len() >= 3, "{list:?}");
    assert!(
        list.iter().all(|t| t["category"] == "languages"),
        "{list:?}"
    );
    let text = bundled(&["topics", "--category", "languages"]);
    let slugs: Vec<&str> = text
        .success()
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert!(
        slugs.contains(&"rust") && slugs.contains(&"python"),
        "{slugs:?}"
    );
    assert!(slugs.is_sorted(), "{slugs:?}");

    let r = verdict(&["--content", &minimal(), "topics", "--category", "nope"]);
    assert_eq!(
        r.failure(1),
        "verdict: category `nope` does not exist; categories are `frontend`, `career`\n"
    );
}

#[test]
fn search_finds_by_prefix() {
    let r = bundled(&["search", "postgres"]);
    let first = r.success().lines().next().unwrap_or("");
    assert!(first.starts_with("postgresql  "), "{first}");
}

#[test]
fn search_says_when_nothing_matches() {
    assert_eq!(
        bundled(&["search", "qqqqzzzz"]).failure(1),
        "verdict: nothing matches \"qqqqzzzz\"\n"
    );
    let r = verdict(&["--content", &minimal(), "search", "reactive"]);
    assert_eq!(
        r.failure(1),
        "verdict: nothing matches \"reactive\"; did you mean React?\n"
    );
}

// ---- pipes ----

/// `verdict topics --format json | head -1`: the reader goes away after
/// one line. That is not an error: exit 0, nothing on stderr.
#[test]
fn a_closed_pipe_is_not_an_error() {
    let args = ["topics", "--format", "json"];
    // Larger than a pipe's buffer, so the writer must see the pipe close.
    let full = bundled(&args);
    assert!(full.success().len() > 70_000, "{}", full.stdout.len());

    let (mut cmd, _cwd) = command(&args);
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Unbuffered, so that only the first line leaves the pipe.
    let mut first = String::new();
    BufReader::with_capacity(1, child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, "[\n");
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(
        (status.code(), without_content_warning(&stderr).as_str()),
        (Some(0), "")
    );
}
