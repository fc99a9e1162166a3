//! Reader votes through real `verdict serve` processes (`CARGO_BIN_EXE_verdict`):
//!
//! * nothing acknowledged is lost: a burst of votes, SIGKILL mid-burst, a
//!   restart, and every vote that got `201` is there;
//! * two servers sharing one PostgreSQL count every vote once and show the
//!   same tally (skipped, loudly, without `VERDICT_TEST_DATABASE_URL`);
//! * `verdict votes list|export|hide` on the database the server wrote.
//!
//! Requests are plain HTTP/1.1 over a `TcpStream`, bounded in count and
//! time, to 127.0.0.1 only.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

const PAIR: &str = "go-vs-rust";

/// A running `verdict serve`; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(database: &str, dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_verdict"))
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database",
                database,
                "--vote-rate-limit",
                "0",
                // Each test reader is an address, sent as a proxy would.
                "--client-ip-header",
                "X-Forwarded-For",
            ])
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("VERDICT_LOG", "info")
            .env("VERDICT_ADMIN_TOKEN", "process-test-admin-token")
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
        Server { child, addr, log }
    }

    /// SIGKILL: no shutdown code runs.
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
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

/// One request, `Connection: close`; `(status, body)`.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// The address standing for test reader `reader`: a unique-local IPv6 /64
/// from a 56-bit hash of the name (a header value only; nothing is sent
/// there).
fn reader_address(reader: &str) -> String {
    let h = reader.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let g = |shift: u32| (h >> shift) & 0xffff;
    format!(
        "fd{:02x}:{:04x}:{:04x}:{:04x}::1",
        (h >> 48) & 0xff,
        g(32),
        g(16),
        g(0)
    )
}

/// Posts one vote as reader `reader`, with the vote token the server gives
/// that reader; the id when it was acknowledged.
fn vote(
    addr: &str,
    reader: &str,
    choice: &str,
    reason: &str,
) -> std::io::Result<(u16, Option<i64>)> {
    let ip = reader_address(reader);
    let path = format!("/api/v1/comparisons/{PAIR}/votes");
    let (status, text) = http(addr, "GET", &path, &[("X-Forwarded-For", &ip)], "")?;
    if status != 200 {
        return Ok((status, None));
    }
    let token = serde_json::from_str::<Value>(&text).map_err(std::io::Error::other)?["token"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let body =
        serde_json::json!({ "choice": choice, "reason": reason, "token": token }).to_string();
    let (status, text) = http(
        addr,
        "POST",
        &path,
        &[
            ("Content-Type", "application/json"),
            ("X-Forwarded-For", &ip),
        ],
        &body,
    )?;
    let id = (status == 201)
        .then(|| serde_json::from_str::<Value>(&text).ok()?["id"].as_i64())
        .flatten();
    Ok((status, id))
}

fn tally(addr: &str) -> Value {
    let (status, body) = http(
        addr,
        "GET",
        &format!("/api/v1/comparisons/{PAIR}/votes"),
        &[],
        "",
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["tally"].clone()
}

fn verdict(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn acknowledged_votes_survive_sigkill_mid_burst() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start("votes.db", dir.path());
    let addr = server.addr.clone();

    let acked = Arc::new(Mutex::new(Vec::<(i64, String)>::new()));
    let done = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let (addr, acked, done, sent) =
                (addr.clone(), acked.clone(), done.clone(), sent.clone());
            std::thread::spawn(move || {
                // Bounded: at most 2,000 votes per worker, and 60 s.
                for i in 0..2000 {
                    if done.load(Ordering::Relaxed) || started.elapsed() > Duration::from_secs(60) {
                        break;
                    }
                    let reason = format!("burst {w}-{i}");
                    sent.fetch_add(1, Ordering::Relaxed);
                    match vote(
                        &addr,
                        &format!("burst-reader-{w}-{i}"),
                        if i % 3 == 0 { "disagree" } else { "agree" },
                        &reason,
                    ) {
                        Ok((201, Some(id))) => acked.lock().unwrap().push((id, reason)),
                        Ok((status, _)) => panic!("vote {w}-{i} got {status} before the kill"),
                        // The server was killed under this request.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();

    // Kill while requests are in flight: after a few hundred acknowledgements.
    while acked.lock().unwrap().len() < 400 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    server.kill9();
    let acked_at_kill = acked.lock().unwrap().len();
    done.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 400,
        "only {} votes were acknowledged before the kill",
        acked.len()
    );
    assert!(
        sent.load(Ordering::Relaxed) > acked.len(),
        "the kill came mid-burst: some requests got no answer"
    );
    drop(server);

    // Restart on the same file: recovery from the WAL, then every vote.
    let server = Server::start("votes.db", dir.path());
    let t = tally(&server.addr);
    let total = t["total"].as_u64().unwrap();
    assert!(
        total >= acked.len() as u64,
        "tally {total} < {} acknowledged votes",
        acked.len()
    );
    drop(server);

    let (code, out, err) = verdict(
        dir.path(),
        &[
            "votes",
            "export",
            "--format",
            "json",
            "--database",
            "votes.db",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let stored: Vec<Value> = serde_json::from_str(&out).unwrap();
    let by_id: std::collections::BTreeMap<i64, &str> = stored
        .iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap(),
                v["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let missing: Vec<&(i64, String)> = acked
        .iter()
        .filter(|(id, reason)| by_id.get(id) != Some(&reason.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{} acknowledged votes are missing after SIGKILL, e.g. {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
    assert_eq!(
        stored.len() as u64,
        total,
        "the tally matches the stored votes"
    );
    eprintln!(
        "{} acknowledged ({} when killed), {} stored after restart",
        acked.len(),
        acked_at_kill,
        stored.len()
    );
}

#[test]
fn two_servers_on_one_postgres_count_every_vote_once() {
    let Some(url) = verdict_store::testing::postgres_url_or_skip(
        "two_servers_on_one_postgres_count_every_vote_once",
    ) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let schema = runtime
        .block_on(verdict_store::testing::PgSchema::create(&url))
        .unwrap();
    let database = schema.url();
    let dir = tempfile::tempdir().unwrap();
    let a = Server::start(&database, dir.path());
    let b = Server::start(&database, dir.path());
    assert!(
        a.log().contains("votes are kept in postgres"),
        "{}",
        a.log()
    );

    let addrs = [a.addr.clone(), b.addr.clone()];
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let addrs = addrs.clone();
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for i in 0..50 {
                    let addr = &addrs[(w + i) % 2];
                    let choice = if i % 5 == 0 { "disagree" } else { "agree" };
                    let (status, id) =
                        vote(addr, &format!("pg-reader-{w}-{i}"), choice, "").unwrap();
                    assert_eq!(status, 201);
                    ids.push(id.unwrap());
                }
                ids
            })
        })
        .collect();
    let ids: Vec<i64> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        200,
        "200 distinct ids"
    );

    // One reader through both servers is still one reader.
    assert_eq!(vote(&a.addr, "same-reader", "agree", "").unwrap().0, 201);
    assert_eq!(vote(&b.addr, "same-reader", "agree", "").unwrap().0, 409);

    // Each server re-reads the tally within a second.
    let deadline = Instant::now() + Duration::from_secs(10);
    let (ta, tb) = loop {
        let (ta, tb) = (tally(&a.addr), tally(&b.addr));
        if (ta == tb && ta["total"] == 201) || Instant::now() > deadline {
            break (ta, tb);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(ta, tb, "both servers show the same tally");
    assert_eq!(
        (
            ta["total"].as_u64(),
            ta["agree"].as_u64(),
            ta["disagree"].as_u64()
        ),
        (Some(201), Some(161), Some(40))
    );
    drop(a);
    drop(b);
    runtime.block_on(schema.drop_schema()).unwrap();
}

#[test]
fn moderators_list_export_and_hide_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = verdict(dir.path(), &["votes", "list"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("there is no vote database at `verdict.db`"),
        "{err}"
    );
    assert!(
        !dir.path().join("verdict.db").exists(),
        "listing never creates a database"
    );

    let server = Server::start("verdict.db", dir.path());
    let (_, spam) = vote(
        &server.addr,
        "r1",
        "disagree",
        "=cmd|' /C calc'!A0 buy pills",
    )
    .unwrap();
    assert_eq!(
        vote(&server.addr, "r2", "agree", "fair \u{1b}[31m pick")
            .unwrap()
            .0,
        422,
        "terminal escapes are refused"
    );
    vote(&server.addr, "r2", "agree", "fair\npick").unwrap();
    let spam = spam.unwrap();

    let (code, out, err) = verdict(dir.path(), &["votes", "list", "--comparison", "rust-vs-go"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("ID  DAY"), "{out}");
    assert!(
        out.contains("fair\\npick"),
        "line breaks are shown escaped: {out}"
    );

    let (code, out, _) = verdict(dir.path(), &["votes", "hide", &spam.to_string()]);
    assert_eq!(code, Some(0));
    assert!(
        out.contains(&format!("vote {spam}: reason hidden")),
        "{out}"
    );
    let (code, _, err) = verdict(dir.path(), &["votes", "hide", "424242"]);
    assert_eq!(code, Some(1));
    assert_eq!(err.trim(), "verdict: vote `424242` does not exist");

    let (code, csv, _) = verdict(dir.path(), &["votes", "export", "--format", "csv"]);
    assert_eq!(code, Some(0));
    assert!(
        csv.starts_with("id,comparison,choice,would_pick,reason,day,created_at,hidden\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"'=cmd|' /C calc'!A0 buy pills\""),
        "formulas are defused: {csv}"
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with(&format!("{spam},")) && l.ends_with(",true")),
        "{csv}"
    );

    // The hidden reason is gone from the public API of the running server
    // within the tally TTL.
    std::thread::sleep(Duration::from_millis(1100));
    let (_, public) = http(
        &server.addr,
        "GET",
        &format!("/api/v1/comparisons/{PAIR}/votes"),
        &[],
        "",
    )
    .unwrap();
    assert!(!public.contains("buy pills"), "{public}");
    assert!(public.contains("fair"), "{public}");

    let (code, out, _) = verdict(dir.path(), &["votes", "list", "--contested"]);
    assert_eq!(
        (code, out.trim()),
        (Some(0), "no votes"),
        "two votes contest nothing"
    );
}

#[test]
fn an_admin_token_is_measured_in_characters_not_bytes() {
    let dir = tempfile::tempdir().unwrap();
    // Eight accented letters are sixteen bytes, but a guessable token.
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database", "votes.db"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("VERDICT_ADMIN_TOKEN", "éééééééé")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("VERDICT_ADMIN_TOKEN must be at least 16 characters long"),
        "{stderr}"
    );
}
