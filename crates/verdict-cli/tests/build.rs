//! `verdict build` as a person runs it, on the `minimal` fixture catalog of
//! `verdict-content`: exit codes, the summary line, and a failed build
//! leaving the previous site alone.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn verdict(args: &[&str]) -> Run {
    let cwd = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .current_dir(cwd.path())
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("NO_COLOR", "1")
        // Each run gets its own empty image cache, never the user's.
        .env("VERDICT_CACHE_DIR", cwd.path().join("cache"))
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../verdict-content/tests/fixtures")
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file under `root` with its bytes, and every folder.
fn snapshot(root: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Option<Vec<u8>>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let rel = format!("{rel}/{}", e.file_name().to_string_lossy());
            if e.file_type().unwrap().is_dir() {
                out.insert(rel.clone(), None);
                walk(&e.path(), &rel, out);
            } else {
                out.insert(rel, Some(std::fs::read(e.path()).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

/// What the summary line says.
#[derive(Debug, PartialEq)]
struct Summary {
    pages: usize,
    files: usize,
    /// The site's size as printed ("412.3 kB"), in bytes, and the most the
    /// rounding can be off by.
    bytes: (f64, f64),
    written: usize,
    skipped: usize,
    /// Open Graph images drawn, and taken from the image cache.
    images: (usize, usize),
}

/// "built P pages (F files, 412.3 kB): wrote W, skipped K unchanged, in S s",
/// then "; drew N images[, M from the image cache]" when images were made.
#[track_caller]
fn summary(stdout: &str) -> Summary {
    let line = stdout.strip_suffix('\n').expect("one line");
    assert!(!line.contains('\n'), "{stdout}");
    let parse = || -> Option<Summary> {
        let rest = line.strip_prefix("built ")?;
        let (pages, rest) = rest.split_once(" pages (")?;
        let (files, rest) = rest.split_once(" files, ")?;
        let (size, rest) = rest.split_once("): wrote ")?;
        let (written, rest) = rest.split_once(", skipped ")?;
        let (skipped, rest) = rest.split_once(" unchanged, in ")?;
        let (secs, tail) = rest.split_once(" s")?;
        let secs: f64 = secs.parse().ok()?;
        let images = match tail.strip_prefix("; drew ") {
            None if tail.is_empty() => (0, 0),
            None => return None,
            Some(images) => {
                let (drawn, cached) = images.split_once(' ')?;
                let cached = match cached.split_once(", ") {
                    None if cached == "images" || cached == "image" => 0,
                    None => return None,
                    Some((_, c)) => c.strip_suffix(" from the image cache")?.parse().ok()?,
                };
                (drawn.parse().ok()?, cached)
            }
        };
        assert!(secs >= 0.0, "{line}");
        let (number, unit) = size.split_once(' ')?;
        let (scale, error) = match unit {
            "bytes" => (1.0, 0.0),
            "kB" => (1e3, 50.0),
            "MB" => (1e6, 5e4),
            _ => return None,
        };
        Some(Summary {
            pages: pages.parse().ok()?,
            files: files.parse().ok()?,
            bytes: (number.parse::<f64>().ok()? * scale, error),
            written: written.parse().ok()?,
            skipped: skipped.parse().ok()?,
            images,
        })
    };
    parse().unwrap_or_else(|| panic!("not a summary line: {line}"))
}

/// HTML pages of a site other than redirect pages: what "built N pages" counts.
fn pages(site: &BTreeMap<String, Option<Vec<u8>>>) -> usize {
    site.iter()
        .filter(|(path, bytes)| {
            path.ends_with(".html")
                && bytes.as_ref().is_some_and(|b| {
                    !String::from_utf8_lossy(b).contains("<meta http-equiv=\"refresh\"")
                })
        })
        .count()
}

#[test]
fn build_writes_the_site_and_a_summary_line() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_tree(&fixtures().join("minimal"), &content);
    let out = tmp.path().join("site");
    let (c, o) = (content.to_str().unwrap(), out.to_str().unwrap());
    let args = [
        "build",
        "--content",
        c,
        "--out",
        o,
        "--base-url",
        "https://example.org",
        "--today",
        "2026-11-30",
    ];

    let first = verdict(&args);
    assert_eq!(
        (first.code, first.stderr.as_str()),
        (Some(0), ""),
        "{first:?}"
    );
    let built = summary(&first.stdout);
    let site = snapshot(&out);
    let on_disk: u64 = site.values().flatten().map(|b| b.len() as u64).sum();
    let files = site.values().flatten().count();
    assert!(files > 20, "{first:?}");
    assert_eq!(
        (built.files, built.written, built.skipped),
        (files, files, 0)
    );
    let (bytes, error) = built.bytes;
    assert!(
        (bytes - on_disk as f64).abs() <= error,
        "{first:?}: {on_disk} bytes on disk"
    );
    assert_eq!(built.pages, pages(&site), "{first:?}");
    let images = site.keys().filter(|p| p.starts_with("/og/")).count();
    assert!(images >= 2, "{first:?}");
    // Each run has an empty image cache: every image is drawn.
    assert_eq!(built.images, (images, 0), "{first:?}");
    assert!(built.pages > 10, "{first:?}");
    let home = String::from_utf8(site["/index.html"].clone().unwrap()).unwrap();
    assert!(
        home.contains("<link rel=\"canonical\" href=\"https://example.org/\">"),
        "{home}"
    );

    let again = verdict(&args);
    assert_eq!(
        (again.code, again.stderr.as_str()),
        (Some(0), ""),
        "{again:?}"
    );
    assert_eq!(
        summary(&again.stdout),
        Summary {
            written: 0,
            skipped: files,
            images: (0, 0),
            ..built
        }
    );
    assert_eq!(snapshot(&out), site);
}

#[test]
fn content_with_errors_leaves_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let content = tmp.path().join("content");
    copy_tree(&fixtures().join("minimal"), &content);
    let out = tmp.path().join("site");
    let (c, o) = (content.to_str().unwrap(), out.to_str().unwrap());
    let args = [
        "build",
        "--quiet",
        "--content",
        c,
        "--out",
        o,
        "--today",
        "2026-11-30",
    ];
    let first = verdict(&args);
    assert_eq!(
        (first.code, first.stdout.as_str(), first.stderr.as_str()),
        (Some(0), "", "")
    );
    let before = snapshot(&out);

    copy_tree(&fixtures().join("invalid-placeholder"), &content);
    let failed = verdict(&args);
    assert_eq!(
        (failed.code, failed.stdout.as_str()),
        (Some(1), ""),
        "{failed:?}"
    );
    assert!(
        failed
            .stderr
            .starts_with("error[placeholder]: topics/frontend/vue.toml:"),
        "{}",
        failed.stderr
    );
    let errors = failed
        .stderr
        .lines()
        .filter(|l| l.starts_with("error["))
        .count();
    assert!(
        failed.stderr.ends_with(&format!(
            "verdict: the content has {errors} error(s); nothing was written to `{o}`\n"
        )),
        "{}",
        failed.stderr
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn unwritable_output_fails_with_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("a-file");
    std::fs::write(&file, "mine").unwrap();
    let content = fixtures().join("minimal");
    let target = file.join("site");
    let run = verdict(&[
        "build",
        "-q",
        "--content",
        content.to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
    ]);
    assert_eq!((run.code, run.stdout.as_str()), (Some(1), ""), "{run:?}");
    assert!(
        run.stderr.starts_with(&format!(
            "verdict: building the site in `{}`: cannot write `{}`: ",
            target.display(),
            file.display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn without_a_base_url_the_build_says_links_are_relative() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let content = fixtures().join("minimal");
    let run = verdict(&[
        "build",
        "--content",
        content.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(
        run.stderr,
        "verdict: note: without --base-url links are site-relative, and the sitemap and feed hold relative URLs\n"
    );
    summary(&run.stdout);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<link rel=\"canonical\" href=\"/\">"),
        "{home}"
    );
}

#[test]
fn a_killed_build_leaves_no_trace_after_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let o = out.to_str().unwrap();
    // The bundled catalog: thousands of pages, time enough to kill it.
    let mut child = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args([
            "build",
            "-q",
            "--no-cache",
            "--out",
            o,
            "--today",
            "2026-11-30",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging = tmp
        .path()
        .join(format!(".site.verdict-staging-{}", child.id()));
    let started = std::time::Instant::now();
    while !staging.join("compare").is_dir() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be killed"
        );
        assert!(started.elapsed().as_secs() < 60, "no staging directory");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // A killed build cannot clean up after itself.
    assert!(staging.is_dir());
    assert!(!out.exists());

    let content = fixtures().join("minimal");
    let next = verdict(&[
        "build",
        "-q",
        "--content",
        content.to_str().unwrap(),
        "--out",
        o,
    ]);
    assert_eq!(next.code, Some(0), "{next:?}");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["site"]);
    assert!(out.join("index.html").is_file());
}

#[test]
fn images_drawn_once_are_taken_from_the_image_cache_by_a_build_into_a_new_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let content = fixtures().join("minimal");
    let cache = tmp.path().join("cache");
    let (c, k) = (content.to_str().unwrap(), cache.to_str().unwrap());
    let build = |out: &str, cache: &[&str]| {
        let out = tmp.path().join(out);
        let mut args = vec!["build", "--content", c, "--today", "2026-11-30"];
        args.extend(["--out", out.to_str().unwrap()]);
        args.extend(cache);
        let run = verdict(&args);
        assert_eq!(run.code, Some(0), "{run:?}");
        (summary(&run.stdout), snapshot(&out))
    };

    let (first, a) = build("a", &["--cache-dir", k]);
    let images = a.keys().filter(|p| p.starts_with("/og/")).count();
    assert!(images >= 2);
    assert_eq!(first.images, (images, 0));
    assert_eq!(std::fs::read_dir(cache.join("og")).unwrap().count(), images);

    let (second, b) = build("b", &["--cache-dir", k]);
    assert_eq!(second.images, (0, images), "every image from the cache");
    assert_eq!(b, a, "the same site, byte for byte");

    let (third, c) = build("c", &["--no-cache"]);
    assert_eq!(third.images, (images, 0), "--no-cache draws them all");
    assert_eq!(c, a);

    let (fourth, _) = build("d", &["--cache-dir", k, "--no-cache"]);
    assert_eq!(fourth.images, (images, 0), "--no-cache wins");
}
