//! Content a stranger could send that must not reach readers, through the
//! real binary (issue #16): a file that is not UTF-8, links that loop, a
//! named pipe, and content that would publish an empty site or drop a whole
//! category. Every child process runs under a deadline and is killed if it
//! outlives it, so a regression fails the test instead of hanging it or
//! leaving a server behind.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long any one command may take; the slowest here loads a four-topic
/// catalog.
const DEADLINE: Duration = Duration::from_secs(30);

/// How a run ended and what it printed.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// The binary in an empty working directory, with a clean environment
/// (only `PATH` and `NO_COLOR=1`), as in tests/cli.rs.
fn verdict(args: &[&str], cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_verdict"));
    cmd.args(args)
        .current_dir(cwd)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Reads a child's pipe to the end on its own thread, so a full pipe never
/// stalls the child.
fn drain(mut pipe: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

/// Runs the command to its end, killing it and failing the test if it is
/// still running after `DEADLINE`.
fn run(mut cmd: Command) -> Run {
    let mut child = cmd.spawn().unwrap();
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let status = wait_or_kill(&mut child);
    let (stdout, stderr) = (stdout.recv().unwrap(), stderr.recv().unwrap());
    let Some(status) = status else {
        panic!(
            "still running after {DEADLINE:?}, killed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
        );
    };
    Run {
        code: status.code(),
        stdout,
        stderr,
    }
}

/// The child's exit status, or `None` once it has been killed for
/// outliving the deadline.
fn wait_or_kill(child: &mut Child) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < DEADLINE {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

fn minimal() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../verdict-content/tests/fixtures/minimal")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

/// A temporary directory holding `content/` (a copy of verdict-content's
/// `minimal` fixture, for the test to break) and room for a database and an
/// output directory; also the commands' working directory.
#[derive(Debug)]
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&minimal(), &dir.path().join("content"));
        Site { dir }
    }

    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    fn content_str(&self) -> String {
        self.content().to_str().unwrap().to_owned()
    }

    /// Rewrites one content file, replacing `from` (which must be there).
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.content().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }

    fn run(&self, args: &[&str]) -> Run {
        run(verdict(args, self.dir.path()))
    }

    /// `verdict serve` on this content, on a port the system picks and
    /// with a database in the temporary directory.
    fn serve_command(&self) -> Command {
        let db = self.dir.path().join("votes.db");
        let content = self.content_str();
        let args = [
            "--content",
            &content,
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database",
            db.to_str().unwrap(),
        ];
        verdict(&args, self.dir.path())
    }

    fn serve(&self) -> Run {
        run(self.serve_command())
    }

    /// `verdict build` on this content into `site/`.
    fn build(&self) -> Run {
        let content = self.content_str();
        let out = self.out();
        let args = [
            "--content",
            &content,
            "build",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
            "--today",
            "2026-11-30",
        ];
        self.run(&args)
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("site")
    }
}

/// Makes a named pipe with `mkfifo`, or says why the test is skipped.
#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            println!("SKIPPED: cannot make a named pipe with mkfifo: {other:?}");
            false
        }
    }
}

// ---- check ----

/// A Latin-1 "é" used to be published as U+FFFD while `check` passed.
#[test]
fn check_refuses_a_file_that_is_not_utf8_naming_its_line() {
    let site = Site::new();
    let vue = site.content().join("topics/frontend/vue.toml");
    let text = std::fs::read(&vue).unwrap();
    let at = text
        .windows(11)
        .position(|w| w == b"progressive")
        .expect("vue's tagline says progressive");
    let mut bad = text.clone();
    bad[at + 5] = 0xE9; // "progrEssive", the E in Latin-1
    std::fs::write(&vue, bad).unwrap();
    let r = site.run(&["check", &site.content_str()]);
    assert_eq!(
        (r.code, r.stderr.as_str(), r.stdout.as_str()),
        (
            Some(1),
            "",
            "error[invalid-utf8]: topics/frontend/vue.toml:5: the file is not UTF-8: byte 0xE9 at \
             column 19 cannot be decoded, so the file is left out\n  \
             help: save the file as UTF-8 (an editor's \"encoding\" setting), or retype the \
             character there\n\
             3 topics in 2 categories, 1 editorial comparisons: 1 error(s), 0 warning(s)\n"
        )
    );
}

/// Two links to `.` and a named pipe called `*.toml` used to keep `check`
/// walking or waiting forever; now each is a warning and `check` is done.
#[cfg(unix)]
#[test]
fn check_finishes_on_looping_links_and_a_named_pipe() {
    let site = Site::new();
    let more = site.content().join("topics/more");
    std::fs::create_dir(&more).unwrap();
    std::os::unix::fs::symlink(".", more.join("a")).unwrap();
    std::os::unix::fs::symlink(".", more.join("b")).unwrap();
    let pipe = mkfifo(&site.content().join("topics/frontend/pipe.toml"));
    let r = site.run(&["check", &site.content_str()]);
    let mut expect = String::new();
    if pipe {
        expect.push_str(
            "warning[not-a-file]: topics/frontend/pipe.toml: a named pipe, not a regular file, \
             so it is skipped without being read\n  \
             help: remove it; content is read only from regular files\n",
        );
    }
    for link in ["a", "b"] {
        expect.push_str(&format!(
            "warning[symlink]: topics/more/{link}: a symbolic link to a folder, which the loader \
             never follows, so the folder is skipped\n  \
             help: put a folder with the files here instead of a link to one\n"
        ));
    }
    expect.push_str(&format!(
        "4 topics in 2 categories, 1 editorial comparisons: 0 error(s), {} warning(s)\n",
        2 + usize::from(pipe)
    ));
    assert_eq!(
        (r.code, r.stderr.as_str(), r.stdout.as_str()),
        (Some(0), "", expect.as_str())
    );
}

// ---- serve and build refuse content that would publish a broken site ----

/// The message `serve` gives for the content's blocking problems: each
/// one on its own `verdict: ` line, then the refusal.
fn refusal(verb: &str, site: &Site, problems: &[&str]) -> String {
    let mut out = String::new();
    for p in problems {
        out.push_str(&format!("verdict: {p}\n"));
    }
    let dir = site.content_str();
    out.push_str(&format!(
        "verdict: refusing to {verb} `{dir}`: it would publish no topic or lose a whole category; \
         `verdict check {dir}` lists every problem\n"
    ));
    out
}

/// Asserts that `serve` and `build` both exit 2 before doing anything,
/// naming each problem: no server is started (the deadline would kill
/// it), no output directory is made.
#[track_caller]
fn assert_refused(site: &Site, problems: &[&str]) {
    let served = site.serve();
    assert_eq!(
        (served.code, served.stdout.as_str(), served.stderr.as_str()),
        (Some(2), "", refusal("serve", site, problems).as_str())
    );
    assert!(
        !site.dir.path().join("votes.db").exists(),
        "serve opened its database before refusing"
    );
    let built = site.build();
    assert_eq!(
        (built.code, built.stdout.as_str(), built.stderr.as_str()),
        (Some(2), "", refusal("build", site, problems).as_str())
    );
    assert!(!site.out().exists(), "build wrote {}", site.out().display());
}

/// Without criteria.toml the server used to start with zero topics while
/// `/healthz` said ok.
#[test]
fn serve_and_build_refuse_content_without_criteria() {
    let site = Site::new();
    std::fs::remove_file(site.content().join("criteria.toml")).unwrap();
    assert_refused(
        &site,
        &[
            "error[missing-file]: criteria.toml: the content directory has no `criteria.toml`\n  \
           help: create `criteria.toml` with criteria, default weights per category and profiles; \
           see docs/CONTENT.md",
        ],
    );
}

/// A categories.toml that does not parse is as unusable as a missing one.
#[test]
fn serve_and_build_refuse_unusable_categories() {
    let site = Site::new();
    site.edit("categories.toml", "[career]", "[career");
    assert_refused(
        &site,
        &[
            "error[toml-syntax]: categories.toml:5: invalid TOML: unclosed table, expected `]`\n  \
           help: fix the syntax; strings need double quotes and tables need [brackets]",
        ],
    );
}

/// One quoted weight used to drop every front-end topic from the live site
/// with nothing louder than a log line.
#[test]
fn serve_and_build_refuse_a_category_left_without_topics() {
    let site = Site::new();
    site.edit(
        "criteria.toml",
        "[weights.frontend]\nproductivity = 3",
        "[weights.frontend]\nproductivity = \"3\"",
    );
    assert_refused(
        &site,
        &[
            "error[empty-category]: categories.toml:1: `frontend`: no topic of this category can be \
             published; the first problem that left them out: criteria.toml:29: \
             `weights.frontend.productivity`: weight must be a number above 0 and at most 10\n  \
             help: fix that problem, add a topic to topics/frontend/, or remove the category from \
             categories.toml",
        ],
    );
}

/// No topic at all: every category is named.
#[test]
fn serve_and_build_refuse_content_with_no_topics() {
    let site = Site::new();
    std::fs::remove_dir_all(site.content().join("topics")).unwrap();
    std::fs::remove_dir_all(site.content().join("comparisons")).unwrap();
    assert_refused(
        &site,
        &[
            "error[empty-category]: categories.toml:1: `frontend`: no topic of this category can be \
             published; topics/frontend/ holds no topic file\n  \
             help: add a topic to topics/frontend/, or remove the category from categories.toml",
            "error[empty-category]: categories.toml:5: `career`: no topic of this category can be \
             published; topics/career/ holds no topic file\n  \
             help: add a topic to topics/career/, or remove the category from categories.toml",
        ],
    );
}

/// One broken topic is still only a warning: the server starts without it.
/// (The counterpart of the refusals above, so they cannot pass by refusing
/// everything.)
#[test]
fn serve_still_starts_when_one_topic_is_broken() {
    let site = Site::new();
    site.edit(
        "topics/frontend/vue.toml",
        "use_when = \"you",
        "use_when = \"",
    );
    let mut child = site.serve_command().spawn().unwrap();
    let _stdout = drain(child.stdout.take().unwrap());
    let stderr = child.stderr.take().unwrap();
    // Read stderr until the server says it is listening (or it exits).
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = String::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            seen.push_str(&line);
            seen.push('\n');
            if line.contains("verdict is serving on http://127.0.0.1:") {
                let _ = tx.send((true, seen));
                return;
            }
        }
        let _ = tx.send((false, seen));
    });
    let answer = rx.recv_timeout(DEADLINE);
    let _ = child.kill();
    let _ = child.wait();
    let (serving, stderr) = answer.expect("serve said nothing within the deadline");
    assert!(serving, "serve did not start:\n{stderr}");
    assert!(
        stderr.starts_with(
            "verdict: warning: the content has 1 error(s); run `verdict check` to see them\n"
        ),
        "{stderr}"
    );
}
