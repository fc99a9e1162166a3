//! `verdict new`: scaffolds fail `verdict check` until every TODO is
//! filled in, and pass once it is.

use std::path::Path;
use std::process::Command;

fn verdict(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_verdict"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("verdict runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the `minimal` content fixture.
fn content() -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let dst = to.join(e.file_name());
            if e.path().is_dir() {
                std::fs::create_dir_all(&dst).unwrap();
                copy(&e.path(), &dst);
            } else {
                std::fs::copy(e.path(), dst).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let minimal =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../verdict-content/tests/fixtures/minimal");
    copy(&minimal, dir.path());
    dir
}

#[test]
fn a_new_topic_fails_the_check_until_filled_and_passes_after() {
    let dir = content();
    let root = dir.path().to_str().unwrap();
    let (code, out, err) = verdict(&[
        "new",
        "topic",
        "svelte",
        "--category",
        "frontend",
        "--out",
        root,
    ]);
    assert_eq!(code, 0, "{err}");
    let file = dir.path().join("topics/frontend/svelte.toml");
    assert_eq!(out.trim(), file.to_str().unwrap());
    let text = std::fs::read_to_string(&file).unwrap();
    // Every criterion the category weighs has a line to fill in.
    for c in [
        "productivity",
        "performance",
        "learning-curve",
        "popularity",
    ] {
        assert!(
            text.contains(&format!("{c} = {{ score = 5, reason = \"TODO.\" }}")),
            "{c}"
        );
    }
    let (code, out, _) = verdict(&["check", "--strict", root]);
    assert_eq!(code, 1, "an unfilled scaffold must fail");
    assert!(
        out.contains(
            "topics/frontend/svelte.toml:4: `name`: text contains placeholder text \"TODO\""
        ),
        "{out}"
    );

    // Filled in the way an editor would.
    let mut n = 0;
    let filled = text
        .replace("name = \"TODO\"", "name = \"Svelte\"")
        .replace("kind = \"tool\"", "kind = \"framework\"")
        .replace("\"you TODO\"", "\"you want components that compile away\"")
        .replace("related = []", "related = [\"react\", \"vue\"]")
        .replace("jobs = [\"TODO\"]", "jobs = [\"frontend-ui-framework\"]")
        .lines()
        .map(|l| {
            if l.contains("https://TODO") {
                n += 1;
                l.replace("https://TODO", &format!("https://svelte.dev/docs/{n}"))
            } else {
                l.replace(
                    "\"TODO.\"",
                    "\"It compiles components to small JavaScript.\"",
                )
                .replace("\"TODO\"", "\"Svelte documentation\"")
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&file, filled + "\n").unwrap();
    let (code, out, _) = verdict(&["check", "--strict", root]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_new_comparison_fails_until_filled_and_new_refuses_what_exists() {
    let dir = content();
    let root = dir.path().to_str().unwrap();
    let (code, out, err) = verdict(&["new", "comparison", "vue", "react", "--out", root]);
    assert_eq!(code, 0, "{err}");
    let file = dir.path().join("comparisons/react--vue.toml");
    assert_eq!(out.trim(), file.to_str().unwrap());
    let (code, out, _) = verdict(&["check", root]);
    assert_eq!(code, 1);
    assert!(
        out.contains(
            "comparisons/react--vue.toml:7: `pick`: `TODO` is not one of the compared topics"
        ),
        "{out}"
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let filled = text
        .replace("pick = \"TODO\"", "pick = \"react\"")
        .replace(
            "\"TODO.\"",
            "\"Pick React for hiring, Vue for a gentler start.\"",
        )
        .replace("\"you TODO\"", "\"you want the larger job market\"")
        .replace("heading = \"TODO\"", "heading = \"Jobs\"")
        .replace("TODO.\n", "React is asked for more often.\n");
    std::fs::write(&file, filled).unwrap();
    let (code, out, _) = verdict(&["check", root]);
    assert_eq!(code, 0, "{out}");

    // Nothing is overwritten, and names must exist.
    let (code, _, err) = verdict(&["new", "comparison", "react", "vue", "--out", root]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = verdict(&[
        "new",
        "topic",
        "vue",
        "--category",
        "frontend",
        "--out",
        root,
    ]);
    assert_eq!(
        (code, err.trim()),
        (1, "verdict: topic `vue` already exists")
    );
    let (code, _, err) = verdict(&["new", "topic", "solid", "--category", "nope", "--out", root]);
    assert_eq!(code, 1);
    assert!(err.contains("category `nope` does not exist"), "{err}");
}
