//! `verdict serve --watch` as an editor uses it: a real process
//! (`CARGO_BIN_EXE_verdict`) on a copy of verdict-content's `minimal`
//! fixture, real HTTP on 127.0.0.1, and files edited on disk while it runs.
//!
//! Every wait is bounded (`WAIT`) and fails with what the server last
//! answered and logged; a server left running is killed when its test ends.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a saved change may take to show. The watcher waits 150 ms for
/// saves to settle; the rest is room for a loaded machine.
const WAIT: Duration = Duration::from_secs(10);

const TOPIC: &str = "topics/frontend/react.toml";
const TAGLINE: &str = "A component library for building user interfaces in JavaScript.";

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

/// A running `verdict serve` on a copy of the `minimal` fixture in a
/// temporary directory (with its vote database); killed when dropped.
struct Server {
    dir: tempfile::TempDir,
    child: Child,
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        copy_tree(&minimal(), &content);
        let db = dir.path().join("votes.db");
        let mut args = vec![
            "--content",
            content.to_str().unwrap(),
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--database",
            db.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let mut child = Command::new(env!("CARGO_BIN_EXE_verdict"))
            .args(&args)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("VERDICT_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("verdict starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let log = Arc::new(Mutex::new(Vec::new()));
        let keep = log.clone();
        // Keeps reading so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("serving on http://") {
                    let addr: String = line[at + 18..]
                        .chars()
                        .take_while(|c| *c != '/' && !c.is_whitespace())
                        .collect();
                    let _ = tx.send(addr);
                }
                keep.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("the server did not start: {:?}", log.lock().unwrap())
            });
        Server {
            dir,
            child,
            addr,
            log,
        }
    }

    fn content(&self) -> PathBuf {
        self.dir.path().join("content")
    }

    /// Rewrites one content file, replacing `from` (which must be there),
    /// as most editors save: into a new file renamed over the old one, so
    /// the server never reads it half written.
    fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.content().join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        let new = path.with_extension("toml.saving");
        std::fs::write(&new, text.replacen(from, to, 1)).unwrap();
        std::fs::rename(&new, &path).unwrap();
    }

    /// `GET path` as a browser asks for a page, compression offered.
    fn get(&self, path: &str) -> Response {
        get(&self.addr, path, "gzip, br")
            .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log()))
    }

    /// Asks for `path` until `done` holds for the answer, or fails after
    /// `WAIT` with the last answer and the server's log.
    #[track_caller]
    fn wait_for(&self, what: &str, path: &str, done: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let res = self.get(path);
            if done(&res) {
                return res;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "{what}: not seen on {path} after {WAIT:?}; last answer {}:\n{}\n--- log\n{}",
                    res.status,
                    res.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    /// Header lines, as sent.
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One `GET` as a browser sends it for a page (`Accept: text/html`),
/// `Connection: close`.
fn get(addr: &str, path: &str, accept_encoding: &str) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(WAIT))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html,*/*;q=0.8\r\n\
         Accept-Encoding: {accept_encoding}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other(format!("no header end in {text:?}")))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    Ok(Response {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    })
}

const SCRIPT_TAG: &str = r#"<script src="/_watch/reload.js""#;

#[test]
fn a_saved_edit_shows_on_the_page_a_broken_file_shows_its_error_and_fixing_it_brings_the_page_back()
{
    let server = Server::start(&["--watch"]);
    let page = server.get("/topics/react");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(TAGLINE), "{}", page.body);
    // Uncompressed although gzip was offered: the script is in it.
    assert_eq!(page.header("content-encoding"), None);
    assert!(page.body.contains(SCRIPT_TAG), "{}", page.body);
    // The production policy allows it: the script is our own file.
    assert_eq!(
        page.header("content-security-policy"),
        Some(verdict_web::CONTENT_SECURITY_POLICY)
    );

    // 1. An edit shows on the page.
    let edited = "A component library for building user interfaces, edited while served.";
    server.edit(TOPIC, TAGLINE, edited);
    server.wait_for("the edited tagline", "/topics/react", |r| {
        r.status == 200 && r.body.contains(edited)
    });

    // 2. A syntax error on line 5 shows, with its file, line and fix, in
    //    place of every page.
    server.edit(
        TOPIC,
        &format!("tagline = \"{edited}\""),
        "tagline = \"never closed",
    );
    let errors = server.wait_for("the errors page", "/topics/react", |r| {
        r.body.contains("The content has errors")
    });
    assert!(errors.body.contains("1 error"), "{}", errors.body);
    assert_eq!(errors.status, 500);
    assert_eq!(
        errors.header("content-security-policy"),
        Some(verdict_web::CONTENT_SECURITY_POLICY)
    );
    for expected in [
        "<code>topics/frontend/react.toml:5</code>",
        "error[toml-syntax]",
        "invalid TOML",
        "help: fix the syntax",
        SCRIPT_TAG,
    ] {
        assert!(
            errors.body.contains(expected),
            "{expected:?} in\n{}",
            errors.body
        );
    }
    let home = server.get("/");
    assert_eq!(home.status, 500);
    assert!(
        home.body.contains("topics/frontend/react.toml:5"),
        "{}",
        home.body
    );
    // The stylesheet the errors page links to is still served.
    let css = errors
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the errors page links a stylesheet");
    assert_eq!(server.get(css).status, 200);

    // 3. Fixing it brings the page back.
    let fixed = "A component library for building user interfaces, fixed while served.";
    server.edit(
        TOPIC,
        "tagline = \"never closed",
        &format!("tagline = \"{fixed}\""),
    );
    let page = server.wait_for("the fixed page", "/topics/react", |r| {
        r.status == 200 && r.body.contains(fixed)
    });
    assert!(page.body.contains(SCRIPT_TAG), "{}", page.body);
    assert!(!page.body.contains("The content has errors"));
}

/// Reads server-sent events from `stream` until a `data:` line satisfies
/// `want`, failing after `WAIT`.
fn next_data(stream: &mut BufReader<TcpStream>, want: impl Fn(u64) -> bool) -> u64 {
    let start = Instant::now();
    let mut line = String::new();
    while start.elapsed() < WAIT {
        line.clear();
        match stream.read_line(&mut line) {
            Ok(0) => panic!("the event stream ended"),
            Ok(_) => {}
            Err(e) => panic!("reading the event stream: {e}"),
        }
        if let Some(n) = line.trim().strip_prefix("data:") {
            let n: u64 = n.trim().parse().expect("a generation number");
            if want(n) {
                return n;
            }
        }
    }
    panic!("no such event after {WAIT:?}")
}

#[test]
fn the_event_stream_sends_a_new_generation_after_each_change() {
    let server = Server::start(&["--watch"]);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "GET /_watch/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut events = BufReader::new(s);
    let mut status = String::new();
    events.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let first = next_data(&mut events, |_| true);
    assert_eq!(first, 0, "the generation at start");

    server.edit(
        TOPIC,
        TAGLINE,
        "A component library, edited for the event stream.",
    );
    let second = next_data(&mut events, |n| n > first);
    assert_eq!(second, 1, "one reload for one save");
    // A page asked for now carries the generation the stream announced.
    let page = server.get("/topics/react");
    assert!(
        page.body.contains(&format!(
            r#"<script src="/_watch/reload.js" data-generation="{second}" defer></script>"#
        )),
        "{}",
        page.body
    );

    // The errors page is a change too.
    server.edit(TOPIC, "name = \"React\"", "name = \"React");
    next_data(&mut events, |n| n > second);

    // An open page does not hold up shutdown: its stream ends, and the
    // server exits.
    #[cfg(unix)]
    {
        let mut server = server;
        let term = Command::new("kill")
            .args(["-TERM", &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        let mut rest = String::new();
        events
            .read_to_string(&mut rest)
            .expect("the event stream ends before the read timeout");
        let start = Instant::now();
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < WAIT,
                "still running {WAIT:?} after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{status:?}\n{}", server.log());
    }
}

#[test]
fn without_watch_pages_carry_no_script_and_there_is_no_event_stream() {
    let server = Server::start(&[]);
    // Uncompressed, so the page can be read.
    let page = get(&server.addr, "/topics/react", "identity").unwrap();
    assert_eq!(page.status, 200);
    assert!(page.body.contains(TAGLINE), "{}", page.body);
    assert!(!page.body.contains("/_watch/"), "{}", page.body);
    assert!(!page.body.contains("data-generation"), "{}", page.body);
    assert_eq!(
        page.header("content-security-policy"),
        Some(verdict_web::CONTENT_SECURITY_POLICY)
    );
    // Compressed as ever.
    let page = server.get("/topics/react");
    assert_eq!(page.header("content-encoding"), Some("br"));
    for path in ["/_watch/events", "/_watch/reload.js"] {
        assert_eq!(server.get(path).status, 404, "{path}");
    }
    // An edit is not picked up: the content was read once, at start.
    server.edit(
        TOPIC,
        TAGLINE,
        "A component library, edited without watching.",
    );
    std::thread::sleep(Duration::from_millis(500));
    let page = get(&server.addr, "/api/v1/topics/react", "identity").unwrap();
    assert!(page.body.contains(TAGLINE), "{}", page.body);
}

#[test]
fn watch_needs_a_content_directory() {
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["serve", "--watch", "--addr", "127.0.0.1:0"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "verdict: --watch needs --content DIR: the bundled catalog is part of the binary and never changes\n"
    );
}

#[test]
fn no_request_is_dropped_while_the_content_reloads() {
    let server = Server::start(&["--watch"]);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (addr, stop) = (server.addr.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut answers = Vec::new();
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    answers.push(get(&addr, "/topics/react", "gzip, br"));
                }
                answers
            })
        })
        .collect();
    // Ten saves, each a reload, while the readers ask.
    let mut tagline = TAGLINE.to_owned();
    for n in 0..10 {
        let next = format!("A component library for building user interfaces, save {n}.");
        server.edit(TOPIC, &tagline, &next);
        tagline = next;
        std::thread::sleep(Duration::from_millis(250));
    }
    server.wait_for("the last save", "/topics/react", |r| {
        r.body.contains(&tagline)
    });
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut seen = 0;
    for reader in readers {
        for answer in reader.join().unwrap() {
            let answer =
                answer.unwrap_or_else(|e| panic!("a request failed: {e}\n{}", server.log()));
            assert_eq!(answer.status, 200, "{}", answer.body);
            assert!(
                answer.body.contains("<h1"),
                "not a whole page: {}",
                answer.body
            );
            seen += 1;
        }
    }
    assert!(seen >= 10, "only {seen} requests were made");
    assert!(
        server.log().matches("content reloaded").count() >= 5,
        "the saves were not reloaded one by one:\n{}",
        server.log()
    );
}
