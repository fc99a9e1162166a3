//! The content loader behind `verdict check`, on fixture catalogs.
//!
//! `fixtures/minimal` is a small valid catalog. Every other fixture,
//! `fixtures/invalid-<case>`, holds only what differs from it: files laid
//! over a fresh copy of `minimal` in a temporary directory (zola's
//! `test_site`, mdBook's `BookTest`), and optionally a `REMOVE` file listing
//! paths to delete from the copy. Each case asserts every diagnostic line
//! exactly, and what the catalog still holds compared with `minimal`.

use std::path::{Path, PathBuf};

use verdict_content::{Loaded, Options};
use verdict_core::model::{Evidence, Score};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A copy of `minimal` with one fixture laid over it.
#[derive(Debug)]
struct TestCatalog {
    dir: tempfile::TempDir,
}

impl TestCatalog {
    fn minimal() -> TestCatalog {
        TestCatalog::new("minimal")
    }

    fn new(fixture: &str) -> TestCatalog {
        let dir = tempfile::tempdir().unwrap();
        copy_tree(&fixtures().join("minimal"), dir.path());
        if fixture != "minimal" {
            let over = fixtures().join(fixture);
            assert!(over.is_dir(), "no fixture {}", over.display());
            copy_tree(&over, dir.path());
            if let Ok(list) = std::fs::read_to_string(over.join("REMOVE")) {
                for rel in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
                    std::fs::remove_file(dir.path().join(rel)).unwrap();
                }
            }
        }
        TestCatalog { dir }
    }

    /// Loads the copy as `verdict check` does ([`verdict_content::load_dir`],
    /// which frees each topic's text once parsed), after checking that
    /// loading the same files while keeping them (`serve --watch`) reports
    /// the same diagnostics, lines included, and keeps the same topics.
    fn load(&self, options: Options) -> Loaded {
        let owned = verdict_content::load_dir(self.dir.path(), options).unwrap();
        let tree = verdict_content::read_tree(self.dir.path()).unwrap();
        let kept = verdict_content::load_tree(&tree, options);
        assert_eq!(kept.diagnostics, owned.diagnostics);
        assert_eq!(contents(&kept), contents(&owned));
        owned
    }
}

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

/// `category/slug` of each topic, then each editorial's key.
fn contents(loaded: &Loaded) -> Vec<String> {
    let c = &loaded.catalog;
    let topics = c
        .topics()
        .iter()
        .map(|t| format!("{}/{}", t.category, t.slug));
    let editorials = c.editorials().iter().map(|e| e.slugs.join("--"));
    topics.chain(editorials).collect()
}

/// The diagnostics as `verdict check` prints them, then a `catalog:` line
/// saying what the catalog holds: `minimal`, less (`-`) and plus (`+`)
/// what changed, or `empty`.
fn render(loaded: &Loaded) -> String {
    let mut out = String::new();
    for d in &loaded.diagnostics {
        out.push_str(&format!("{d}\n"));
    }
    let minimal = contents(&TestCatalog::minimal().load(Options::default()));
    let now = contents(loaded);
    if now.is_empty() {
        out.push_str("catalog: empty");
    } else {
        out.push_str("catalog: minimal");
        for gone in minimal.iter().filter(|x| !now.contains(x)) {
            out.push_str(&format!(" - {gone}"));
        }
        for new in now.iter().filter(|x| !minimal.contains(x)) {
            out.push_str(&format!(" + {new}"));
        }
    }
    out.push('\n');
    out
}

#[track_caller]
fn check(case: &str, expect: &str) {
    check_with(case, Options::default(), expect);
}

#[track_caller]
fn check_strict(case: &str, expect: &str) {
    check_with(case, Options { strict: true }, expect);
}

#[track_caller]
fn check_with(case: &str, options: Options, expect: &str) {
    let got = render(&TestCatalog::new(&format!("invalid-{case}")).load(options));
    assert_rendered(&format!("fixture invalid-{case}"), &got, expect);
}

#[track_caller]
fn assert_rendered(what: &str, got: &str, expect: &str) {
    if got.trim() != expect.trim() {
        panic!(
            "{what}\n--- expected\n{}\n--- got\n{}",
            expect.trim(),
            got.trim()
        );
    }
}

#[test]
fn minimal_catalog_is_clean_even_when_strict() {
    let loaded = TestCatalog::minimal().load(Options { strict: true });
    let problems: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(problems, Vec::<String>::new());
    assert_eq!(
        contents(&loaded),
        [
            "career/product-management",
            "frontend/react",
            "career/technical-leadership",
            "frontend/vue",
            "product-management--technical-leadership",
        ]
    );
    let c = &loaded.catalog;
    assert_eq!(c.criteria().len(), 6);
    assert_eq!(c.categories().len(), 2);
    assert_eq!(c.profiles().len(), 1);
    assert_eq!(
        c.topic_by_alias("Tech Lead").map(|t| t.slug.as_str()),
        Some("technical-leadership")
    );
}

#[test]
fn popularity_is_computed_from_evidence_and_names_its_source() {
    let loaded = TestCatalog::minimal().load(Options::default());
    let topic = |slug: &str| loaded.catalog.topic(slug).unwrap();
    // The category leader on npm scores 10; a tenfold gap costs 2 points.
    assert_eq!(
        topic("react").scores["popularity"],
        Score {
            value: 10,
            reason: "120 million downloads in the last month on the npm registry (as of \
                     2026-11-01), the most of any front-end topic there."
                .into(),
            from_evidence: Some("npm registry".into()),
        }
    );
    assert_eq!(
        topic("vue").scores["popularity"],
        Score {
            value: 8,
            reason: "12 million downloads in the last month on the npm registry (as of \
                     2026-11-01), against 120 million downloads in the last month for \
                     React; each tenfold gap costs 2 points."
                .into(),
            from_evidence: Some("npm registry".into()),
        }
    );
    assert_eq!(
        topic("vue").evidence,
        [Evidence {
            source: "npm".into(),
            source_label: "npm registry".into(),
            package: "vue".into(),
            metric: "downloads in the last month".into(),
            value: 12_000_000,
            lower_is_better: false,
            as_of: "2026-11-01".into(),
            url: "https://www.npmjs.com/package/vue".into(),
        }]
    );
    // Topics without evidence keep the score an editor wrote.
    let written = &topic("technical-leadership").scores["popularity"];
    assert_eq!((written.value, written.from_evidence.as_deref()), (7, None));
}

/// Two loads of two copies of each fixture give the same diagnostics and
/// the same catalog, byte for byte: nothing depends on hash order, the
/// directory's location or the time.
#[test]
fn loading_is_deterministic() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let options = Options {
            strict: name == "invalid-too-few",
        };
        let a = TestCatalog::new(&name).load(options);
        let b = TestCatalog::new(&name).load(options);
        assert_eq!(a.diagnostics, b.diagnostics, "{name}");
        let json = |l: &Loaded| {
            serde_json::to_string(&(l.catalog.topics(), l.catalog.editorials())).unwrap()
        };
        assert_eq!(json(&a), json(&b), "{name}");
    }
}

#[test]
fn a_missing_directory_is_an_error_not_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("content");
    let err = verdict_content::load_dir(&missing, Options::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("content directory `{}` does not exist", missing.display())
    );
}

/// A string without quotes: the file is reported once, at the error, and left out.
#[test]
fn toml_syntax() {
    check(
        "toml-syntax",
        r#"
error[toml-syntax]: topics/frontend/vue.toml:5: invalid TOML: string values must be quoted, expected literal string
  help: fix the syntax; strings need double quotes and tables need [brackets]
catalog: minimal - frontend/vue
"#,
    );
}

/// `criteria.toml` that does not parse stops loading there, instead of
/// reporting every topic's scores as unknown criteria.
#[test]
fn toml_syntax_criteria() {
    check(
        "toml-syntax-criteria",
        r#"
error[toml-syntax]: criteria.toml:34: invalid TOML: unclosed table, expected `]`
  help: fix the syntax; strings need double quotes and tables need [brackets]
catalog: empty
"#,
    );
}

/// No `criteria.toml`: one error, not one per topic.
#[test]
fn missing_file() {
    check(
        "missing-file",
        r#"
error[missing-file]: criteria.toml: the content directory has no `criteria.toml`
  help: create `criteria.toml` with criteria, default weights per category and profiles; see docs/CONTENT.md
catalog: empty
"#,
    );
}

/// No `tagline`. Vue is left out, and the files that refer to it are not
/// told it "does not exist": the error is reported once, where it is.
#[test]
fn missing_field() {
    check(
        "missing-field",
        r#"
error[missing-field]: topics/frontend/vue.toml:1: `tagline`: missing required field
  help: add `tagline = "…"`
catalog: minimal - frontend/vue
"#,
    );
}

/// A blank tagline and an empty list of cons, each reported on its own line.
#[test]
fn empty_field() {
    check(
        "empty-field",
        r#"
error[empty-field]: topics/frontend/vue.toml:5: `tagline`: is empty
  help: write the text or remove the key
error[empty-field]: topics/frontend/vue.toml:12: `cons`: is an empty list
  help: write at least one entry in `cons`
catalog: minimal - frontend/vue
"#,
    );
}

/// `aliases` as a string instead of an array.
#[test]
fn wrong_type() {
    check(
        "wrong-type",
        r#"
error[wrong-type]: topics/frontend/vue.toml:4: `aliases`: expected an array of strings, found string
  help: write an array of strings here
catalog: minimal - frontend/vue
"#,
    );
}

/// `alias` instead of `aliases`.
#[test]
fn unknown_field() {
    check(
        "unknown-field",
        r#"
error[unknown-field]: topics/frontend/vue.toml:4: `alias`: unknown key
  help: did you mean `aliases`?
catalog: minimal - frontend/vue
"#,
    );
}

/// `kind = "frameworks"`.
#[test]
fn unknown_kind() {
    check(
        "unknown-kind",
        r#"
error[unknown-kind]: topics/frontend/vue.toml:2: `kind`: unknown kind `frameworks`
  help: did you mean `framework`?
catalog: minimal - frontend/vue
"#,
    );
}

/// `category = "front-end"`.
#[test]
fn unknown_category() {
    check(
        "unknown-category",
        r#"
error[unknown-category]: topics/frontend/vue.toml:3: `category`: unknown category `front-end`
  help: did you mean `frontend`?
catalog: minimal - frontend/vue
"#,
    );
}

/// Weights in `criteria.toml` for a category `categories.toml` does not define.
#[test]
fn unknown_category_weights() {
    check(
        "unknown-category-weights",
        r#"
error[unknown-category]: criteria.toml: `weights.mobile`: weights for category `mobile`, which categories.toml does not define
  help: add the category to categories.toml or remove these weights
catalog: minimal
"#,
    );
}

/// `topics/career/vue.toml` that says `category = "frontend"`.
#[test]
fn category_folder() {
    check(
        "category-folder",
        r#"
error[category-folder]: topics/career/vue.toml:3: `category`: category `frontend` does not match the folder `career`
  help: move the file to topics/frontend/ or set `category = "career"`
catalog: minimal - frontend/vue
"#,
    );
}

/// A topic file in a sub-folder of its category.
#[test]
fn bad_path() {
    check(
        "bad-path",
        r#"
error[bad-path]: topics/frontend/legacy/vue2.toml: a topic file must sit directly in its category's folder
  help: move it to topics/<category>/<slug>.toml
catalog: minimal
"#,
    );
}

/// `Svelte.toml`.
#[test]
fn bad_slug_uppercase() {
    check(
        "bad-slug-uppercase",
        r#"
error[bad-slug]: topics/frontend/Svelte.toml: `Svelte` is not a valid slug
  help: rename the file to `svelte.toml`: lowercase ASCII words joined by single hyphens, never `-vs-`
catalog: minimal
"#,
    );
}

/// `svelte-vs-solid.toml`: a slug with `-vs-` would make `/compare/a-vs-b` ambiguous.
#[test]
fn bad_slug_vs() {
    check(
        "bad-slug-vs",
        r#"
error[bad-slug]: topics/frontend/svelte-vs-solid.toml: `svelte-vs-solid` is not a valid slug
  help: rename the file to `svelte-versus-solid.toml`: lowercase ASCII words joined by single hyphens, never `-vs-`
catalog: minimal
"#,
    );
}

/// A score of 11 (Vue) and a score of `"high"` (React): both topics are
/// left out, and with them every front-end topic.
#[test]
fn score_range() {
    check(
        "score-range",
        r#"
error[empty-category]: categories.toml:1: `frontend`: no topic of this category can be published; the first problem that left them out: topics/frontend/react.toml:23: `scores.performance.score`: score must be a whole number from 0 to 10
  help: fix that problem, add a topic to topics/frontend/, or remove the category from categories.toml
error[score-range]: topics/frontend/react.toml:23: `scores.performance.score`: score must be a whole number from 0 to 10
  help: write it without quotes or decimals, for example `score = 7`
error[score-range]: topics/frontend/vue.toml:22: `scores.productivity.score`: score 11 is outside 0-10
  help: use a whole number from 0 to 10
catalog: minimal - frontend/react - frontend/vue
"#,
    );
}

/// A score without a reason.
#[test]
fn missing_reason() {
    check(
        "missing-reason",
        r#"
error[missing-reason]: topics/frontend/vue.toml:23: `scores.performance.reason`: score has no reason
  help: add `reason = "…"`: one sentence a reader can check
catalog: minimal - frontend/vue
"#,
    );
}

/// No score for a criterion the category weighs.
#[test]
fn missing_score() {
    check(
        "missing-score",
        r#"
error[missing-score]: topics/frontend/vue.toml:21: `scores.performance`: no score for `performance`, which category `frontend` weighs
  help: add `performance = { score = N, reason = "…" }` under [scores]
catalog: minimal - frontend/vue
"#,
    );
}

/// A score for a criterion the category does not weigh.
#[test]
fn unscored_criterion() {
    check(
        "unscored-criterion",
        r#"
error[unscored-criterion]: topics/frontend/vue.toml:22: `scores.impact`: category `frontend` does not weigh `impact`
  help: remove it; this category scores popularity, learning-curve, productivity, performance
catalog: minimal - frontend/vue
"#,
    );
}

/// A misspelt criterion: reported as unknown, and the real one as missing.
#[test]
fn unknown_criterion() {
    check(
        "unknown-criterion",
        r#"
error[missing-score]: topics/frontend/vue.toml:21: `scores.performance`: no score for `performance`, which category `frontend` weighs
  help: add `performance = { score = N, reason = "…" }` under [scores]
error[unknown-criterion]: topics/frontend/vue.toml:23: `scores.perfomance`: criterion `perfomance` is not defined
  help: did you mean `performance`?
catalog: minimal - frontend/vue
"#,
    );
}

/// A negative profile multiplier.
#[test]
fn bad_weight() {
    check(
        "bad-weight",
        r#"
error[bad-weight]: criteria.toml:43: `profiles.beginner.multipliers.popularity`: multiplier must be a number from 0 to 10
  help: use 2 to double a criterion's weight, 0.5 to halve it
catalog: minimal
"#,
    );
}

/// A category without weights (an error) and one that does not weigh
/// popularity or ease of learning (warnings). Neither has a topic, which is
/// an error each: the first is left out for its own error, the second has
/// no topic file.
#[test]
fn missing_weights() {
    check(
        "missing-weights",
        r#"
error[missing-weights]: categories.toml:9: `mobile`: category has no criterion weights
  help: add a `[weights.mobile]` table to criteria.toml
error[empty-category]: categories.toml:9: `mobile`: no topic of this category can be published; the first problem that left them out: categories.toml:9: `mobile`: category has no criterion weights
  help: fix that problem, add a topic to topics/mobile/, or remove the category from categories.toml
warning[missing-weights]: categories.toml:13: `testing`: category does not weigh `learning-curve`, so its topics share less with other categories
  help: add `learning-curve` to `[weights.testing]`
warning[missing-weights]: categories.toml:13: `testing`: category does not weigh `popularity`, so its topics share less with other categories
  help: add `popularity` to `[weights.testing]`
error[empty-category]: categories.toml:13: `testing`: no topic of this category can be published; topics/testing/ holds no topic file
  help: add a topic to topics/testing/, or remove the category from categories.toml
catalog: minimal
"#,
    );
}

/// A related topic that does not exist: the reference is dropped, the topic stays.
#[test]
fn unknown_topic_related() {
    check(
        "unknown-topic-related",
        r#"
error[unknown-topic]: topics/frontend/vue.toml:16: `related`: topic `preact` does not exist
  help: did you mean `react`?
catalog: minimal
"#,
    );
}

/// An editorial's `also_consider` naming a topic that does not exist: the
/// entry is dropped, the editorial stays.
#[test]
fn unknown_topic_also_consider() {
    check(
        "unknown-topic-also-consider",
        r#"
error[unknown-topic]: comparisons/product-management--technical-leadership.toml:5: `also_consider`: topic `engineering-management` does not exist
  help: check the spelling; `verdict topics` lists what exists
catalog: minimal
"#,
    );
}

/// A topic listed among its own alternatives.
#[test]
fn self_reference() {
    check(
        "self-reference",
        r#"
error[self-reference]: topics/frontend/vue.toml:17: `alternatives`: `vue` refers to the topic itself
  help: remove it
catalog: minimal
"#,
    );
}

/// `react.toml` in both `topics/career/` and `topics/frontend/`: the first in
/// path order is kept, the other reported.
#[test]
fn duplicate_slug() {
    check(
        "duplicate-slug",
        r#"
error[duplicate-slug]: topics/frontend/react.toml: slug `react` is also used in topics/career/
  help: rename one of the files; a slug must be unique across all categories
catalog: minimal - frontend/react + career/react
"#,
    );
}

/// Vue claims React's alias `reactjs`.
#[test]
fn duplicate_alias() {
    check(
        "duplicate-alias",
        r#"
error[duplicate-alias]: topics/frontend/vue.toml:4: `aliases`: alias "reactjs" clashes with the alias "reactjs" of topic `react`
  help: an alias must point to one topic; remove it here or from `react`
catalog: minimal
"#,
    );
}

/// `micro-frameworks` and `microframeworks`.
#[test]
fn near_duplicate() {
    check(
        "near-duplicate",
        r#"
error[near-duplicate]: topics/frontend/microframeworks.toml:1: slug `microframeworks` clashes with the slug `micro-frameworks` of topic `micro-frameworks`
  help: `micro-frameworks` and `microframeworks` look like the same topic: merge them and keep the other spelling as an alias
catalog: minimal + frontend/micro-frameworks + frontend/microframeworks
"#,
    );
}

/// A topic named "Tech Lead", which is Technical Leadership's alias.
#[test]
fn near_duplicate_alias() {
    check(
        "near-duplicate-alias",
        r#"
error[near-duplicate]: topics/career/technical-leadership.toml:4: `aliases`: alias "tech lead" clashes with the name "Tech Lead" of topic `team-lead`
  help: `team-lead` and `technical-leadership` look like the same topic: merge them and keep the other spelling as an alias; if they differ, remove the alias here
catalog: minimal + career/team-lead
"#,
    );
}

/// "Specific tradeoffs depend on your use case.", "TBD." and "Lorem ipsum".
#[test]
fn placeholder() {
    check(
        "placeholder",
        r#"
error[placeholder]: topics/frontend/vue.toml:5: `tagline`: text contains placeholder text "specific tradeoffs"
  help: write real, specific text; a reader would see this
error[placeholder]: topics/frontend/vue.toml:9: `pros[1]`: text contains placeholder text "TBD"
  help: write real, specific text; a reader would see this
error[placeholder]: topics/frontend/vue.toml:13: `cons[0]`: text contains placeholder text "lorem ipsum"
  help: write real, specific text; a reader would see this
error[placeholder]: topics/frontend/vue.toml:13: `cons[0]`: text contains placeholder text "lorem"
  help: write real, specific text; a reader would see this
catalog: minimal - frontend/vue
"#,
    );
}

/// A pro that stops at "(e", as the original site's excerpts did.
#[test]
fn cut_short() {
    check(
        "cut-short",
        r#"
error[cut-short]: topics/frontend/vue.toml:10: `pros[2]`: text looks cut short: ends with "(e"
  help: finish the sentence; write "for example" instead of "e.g."
error[prose]: topics/frontend/vue.toml:10: `pros[2]`: text should end with a full stop, question mark or exclamation mark
  help: rewrite it as described
catalog: minimal - frontend/vue
"#,
    );
}

/// A `use_when` that does not start with "you", so "Use Vue if …" would not read.
#[test]
fn prose() {
    check(
        "prose",
        r#"
error[prose]: topics/frontend/vue.toml:6: `use_when`: text should start with "you" or "your" so that it completes "use it if …"
  help: rewrite it as described
catalog: minimal - frontend/vue
"#,
    );
}

/// `reviewed = "20-11-2026"`.
#[test]
fn bad_date() {
    check(
        "bad-date",
        r#"
error[bad-date]: topics/frontend/vue.toml:19: `reviewed`: `20-11-2026` is not a date
  help: write a date as YYYY-MM-DD, for example 2026-11-20
catalog: minimal - frontend/vue
"#,
    );
}

/// An editorial picking a topic it does not compare: the editorial is left out.
#[test]
fn bad_pick() {
    check(
        "bad-pick",
        r#"
error[bad-pick]: comparisons/product-management--technical-leadership.toml:1: `pick`: `engineering-management` is not one of the compared topics
  help: pick one of product-management, technical-leadership
catalog: minimal - product-management--technical-leadership
"#,
    );
}

/// An editorial file named out of alphabetical order: reported, and still
/// used under its canonical name.
#[test]
fn comparison_order() {
    check(
        "comparison-order",
        r#"
error[comparison-order]: comparisons/technical-leadership--product-management.toml: topics in the file name are not in canonical (alphabetical) order
  help: rename the file to `product-management--technical-leadership.toml`
catalog: minimal
"#,
    );
}

/// An editorial file that names one topic.
#[test]
fn bad_comparison() {
    check(
        "bad-comparison",
        r#"
error[bad-comparison]: comparisons/react.toml: `react` must name 2 to 4 topics joined by `--`
  help: name the file like `postgresql--sqlite.toml`
catalog: minimal
"#,
    );
}

/// Evidence from, and a package on, a registry we do not import.
#[test]
fn unknown_registry() {
    check(
        "unknown-registry",
        r#"
error[unknown-registry]: evidence/maven.toml:1: `source`: unknown registry `maven`
  help: use one of npm, pypi, crates
error[unknown-registry]: topics/frontend/vue.toml:29: `packages.rubygems`: unknown registry `rubygems`
  help: use one of npm, pypi, crates
catalog: minimal - frontend/vue
"#,
    );
}

/// A negative download count: the figure is rejected, so Vue has none.
#[test]
fn bad_evidence() {
    check(
        "bad-evidence",
        r#"
error[bad-evidence]: evidence/npm.toml:10: `values.vue`: value must be a positive whole number
  help: re-run `verdict import`
warning[no-evidence]: topics/frontend/vue.toml: `packages.npm`: no npm registry figure for package `vue`
  help: check the package name, or re-run `verdict import` with a snapshot that lists it
catalog: minimal
"#,
    );
}

/// A package the evidence snapshot does not list: a warning only.
#[test]
fn no_evidence() {
    check(
        "no-evidence",
        r#"
warning[no-evidence]: topics/frontend/vue.toml: `packages.npm`: no npm registry figure for package `vuejs`
  help: check the package name, or re-run `verdict import` with a snapshot that lists it
catalog: minimal
"#,
    );
}

/// Fewer pros, cons, related topics and sources than the published catalog needs:
/// an error under `--strict` only, and the topic stays.
#[test]
fn too_few() {
    check("too-few", "catalog: minimal");
    check_strict(
        "too-few",
        r#"
error[too-few]: topics/frontend/vue.toml:1: `cons`: has 1, the catalog needs at least 2
  help: add 1 more to `cons`
error[too-few]: topics/frontend/vue.toml:1: `pros`: has 2, the catalog needs at least 3
  help: add 1 more to `pros`
error[too-few]: topics/frontend/vue.toml:1: `related`: has 1, the catalog needs at least 2
  help: add 1 more to `related`
error[too-few]: topics/frontend/vue.toml:1: `sources`: has 0, the catalog needs at least 2
  help: add 2 more to `sources`
catalog: minimal
"#,
    );
}

/// A topic naming a job jobs.toml does not define: left out, with the
/// nearest job offered.
#[test]
fn unknown_job() {
    check(
        "unknown-job",
        r#"
error[unknown-job]: topics/frontend/vue.toml:18: `jobs`: job `frontend-ui-framwork` is not defined
  help: did you mean `frontend-ui-framework`? Otherwise define `frontend-ui-framwork` in jobs.toml
catalog: minimal - frontend/vue
"#,
    );
}

/// Editors picking between topics that do different jobs: the editorial is
/// left out, since a pick is only ever between alternatives.
#[test]
fn pick_across_jobs() {
    check(
        "pick-across-jobs",
        r#"
error[pick-across-jobs]: comparisons/react--technical-leadership.toml:1: `pick`: the editors pick between topics that share no job, so they are not alternatives
  help: give the topics a job they share in their `jobs`, or set `outcome = "complements"` (used together) or `"different-jobs"` and remove `pick`
catalog: minimal
"#,
    );
}

/// An editorial that says the topics are used together cannot also pick.
#[test]
fn pick_with_outcome() {
    check(
        "pick-with-outcome",
        r#"
error[pick-not-allowed]: comparisons/product-management--technical-leadership.toml:2: `pick`: only an editorial whose outcome is a pick names one
  help: remove `pick`, or remove `outcome` to make this a pick
catalog: minimal - product-management--technical-leadership
"#,
    );
}

/// A category whose every topic is left out (here by one quoted weight, so
/// each front-end topic scores a criterion the category no longer weighs)
/// is an error of its own, naming the first problem that emptied it:
/// `verdict serve` and `verdict build` refuse such content.
#[test]
fn empty_category() {
    check(
        "empty-category",
        r#"
error[empty-category]: categories.toml:1: `frontend`: no topic of this category can be published; the first problem that left them out: criteria.toml:30: `weights.frontend.productivity`: weight must be a number above 0 and at most 10
  help: fix that problem, add a topic to topics/frontend/, or remove the category from categories.toml
error[bad-weight]: criteria.toml:30: `weights.frontend.productivity`: weight must be a number above 0 and at most 10
  help: remove the criterion from the category instead of giving it 0
error[unscored-criterion]: topics/frontend/react.toml:32: `scores.productivity`: category `frontend` does not weigh `productivity`
  help: remove it; this category scores popularity, learning-curve, performance
error[unscored-criterion]: topics/frontend/vue.toml:32: `scores.productivity`: category `frontend` does not weigh `productivity`
  help: remove it; this category scores popularity, learning-curve, performance
catalog: minimal - frontend/react - frontend/vue
"#,
    );
}

/// A criteria.toml that defines no criterion is an error, and an empty
/// catalog: no "category has no criterion weights" for every category.
#[test]
fn no_criteria() {
    check(
        "no-criteria",
        r#"
error[no-criteria]: criteria.toml: no usable criterion is defined, so nothing can be scored
  help: define at least one `[criteria.<id>]` table with a `label` and `high_means`, fixing the errors reported here
catalog: empty
"#,
    );
}

/// A categories.toml that defines nothing is an error, and an empty
/// catalog: no "unknown category" for every topic.
#[test]
fn no_categories() {
    check(
        "no-categories",
        r#"
error[no-categories]: categories.toml: no usable category is defined, so no topic can be published
  help: define at least one `[<slug>]` table with a `name` and a `description`, and its `[weights.<slug>]` in criteria.toml, fixing the errors reported here
error[unknown-category]: criteria.toml: `weights.career`: weights for category `career`, which categories.toml does not define
  help: add the category to categories.toml or remove these weights
error[unknown-category]: criteria.toml: `weights.frontend`: weights for category `frontend`, which categories.toml does not define
  help: add the category to categories.toml or remove these weights
catalog: empty
"#,
    );
}

/// The errors `verdict serve` and `verdict build` refuse content for: those
/// that would leave the site empty or without a whole category. A topic
/// left out for its own error is not one.
#[test]
fn blockers_are_what_empties_the_site_or_a_category() {
    let blockers = |case: &str| -> Vec<String> {
        TestCatalog::new(case)
            .load(Options::default())
            .blockers()
            .map(|d| format!("{}: {}", d.code, d.location()))
            .collect()
    };
    let none: [&str; 0] = [];
    assert_eq!(blockers("minimal"), none);
    assert_eq!(blockers("invalid-prose"), none);
    assert_eq!(blockers("invalid-not-utf8"), none);
    assert_eq!(
        blockers("invalid-missing-file"),
        ["missing-file: criteria.toml"]
    );
    assert_eq!(
        blockers("invalid-toml-syntax-criteria"),
        ["toml-syntax: criteria.toml:34"]
    );
    assert_eq!(
        blockers("invalid-no-categories"),
        ["no-categories: categories.toml"]
    );
    assert_eq!(
        blockers("invalid-empty-category"),
        ["empty-category: categories.toml:1: `frontend`"]
    );
}

// ---- what the loader refuses to read ----

/// A byte that is not UTF-8 (here a Latin-1 "é") is an error naming the
/// line, and the file is left out: it is never published with U+FFFD in
/// place of the character. References to the topic are dropped quietly,
/// as for any topic left out for an error in its own file.
#[test]
fn not_utf8() {
    check(
        "not-utf8",
        r#"
error[invalid-utf8]: topics/frontend/vue.toml:5: the file is not UTF-8: byte 0xE9 at column 19 cannot be decoded, so the file is left out
  help: save the file as UTF-8 (an editor's "encoding" setting), or retype the character there
catalog: minimal - frontend/vue
"#,
    );
}

/// Loads the catalog on its own thread and fails the test if the loader
/// has not returned within 10 seconds, so a loader that loops or blocks on
/// a file fails here instead of hanging the suite.
#[cfg(unix)]
fn load_within_10s(catalog: &TestCatalog) -> Loaded {
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = catalog.dir.path().to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(verdict_content::load_dir(&dir, Options::default()));
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("the loader did not return within 10 seconds")
        .unwrap()
}

/// Two links to `.` in a folder with no content file of its own made the
/// loader walk topics/more/a/b/a/… down to the kernel's limit of 40 links
/// a path, 2^40 paths in all. Links to folders are never followed: each is
/// reported once, and loading goes on.
#[cfg(unix)]
#[test]
fn links_to_folders_are_not_followed() {
    use std::os::unix::fs::symlink;
    let c = TestCatalog::minimal();
    let more = c.dir.path().join("topics/more");
    std::fs::create_dir(&more).unwrap();
    symlink(".", more.join("a")).unwrap();
    symlink(".", more.join("b")).unwrap();
    assert_rendered(
        "two links to . in topics/more",
        &render(&load_within_10s(&c)),
        r#"
warning[symlink]: topics/more/a: a symbolic link to a folder, which the loader never follows, so the folder is skipped
  help: put a folder with the files here instead of a link to one
warning[symlink]: topics/more/b: a symbolic link to a folder, which the loader never follows, so the folder is skipped
  help: put a folder with the files here instead of a link to one
catalog: minimal
"#,
    );
}

/// A link to a file is not read either: it could publish whatever it points
/// at, inside the content directory or not (a pull request can add a link
/// to `/etc/…` as easily as a topic).
#[cfg(unix)]
#[test]
fn links_to_files_are_left_out() {
    use std::os::unix::fs::symlink;
    let c = TestCatalog::minimal();
    let front = c.dir.path().join("topics/frontend");
    symlink("vue.toml", front.join("vuejs.toml")).unwrap();
    symlink("/nowhere/at/all.toml", front.join("dangling.toml")).unwrap();
    // Not content, linked or not: ignored without a word.
    symlink("vue.toml", front.join("notes.txt")).unwrap();
    assert_rendered(
        "links to files in topics/frontend",
        &render(&load_within_10s(&c)),
        r#"
warning[symlink]: topics/frontend/dangling.toml: a symbolic link, which the loader never follows, so the file is left out
  help: put the file itself here instead of a link to it
warning[symlink]: topics/frontend/vuejs.toml: a symbolic link, which the loader never follows, so the file is left out
  help: put the file itself here instead of a link to it
catalog: minimal
"#,
    );
}

/// A required file that is a link is an error, not a note: without it
/// nothing can be loaded, and "the content directory has no
/// `criteria.toml`" would be untrue.
#[cfg(unix)]
#[test]
fn a_linked_criteria_file_is_an_error() {
    let c = TestCatalog::minimal();
    let criteria = c.dir.path().join("criteria.toml");
    let elsewhere = c.dir.path().join("elsewhere.toml");
    std::fs::rename(&criteria, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &criteria).unwrap();
    assert_rendered(
        "criteria.toml as a link",
        &render(&load_within_10s(&c)),
        r#"
error[symlink]: criteria.toml: a symbolic link, which the loader never follows, so the file is left out
  help: put the file itself here instead of a link to it
catalog: empty
"#,
    );
}

/// Makes a named pipe with `mkfifo`, or says why the test is skipped.
#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    match std::process::Command::new("mkfifo").arg(path).status() {
        Ok(s) if s.success() => true,
        other => {
            println!("SKIPPED: cannot make a named pipe with mkfifo: {other:?}");
            false
        }
    }
}

/// A named pipe called `*.toml` blocked the loader (and with it `check`,
/// `build` and `serve`) forever, waiting for a writer. Files that are not
/// regular files are skipped without being opened.
#[cfg(unix)]
#[test]
fn named_pipes_are_skipped_without_opening_them() {
    let c = TestCatalog::minimal();
    if !mkfifo(&c.dir.path().join("topics/frontend/pipe.toml")) {
        return;
    }
    assert_rendered(
        "a named pipe in topics/frontend",
        &render(&load_within_10s(&c)),
        r#"
warning[not-a-file]: topics/frontend/pipe.toml: a named pipe, not a regular file, so it is skipped without being read
  help: remove it; content is read only from regular files
catalog: minimal
"#,
    );

    let c = TestCatalog::minimal();
    let criteria = c.dir.path().join("criteria.toml");
    std::fs::remove_file(&criteria).unwrap();
    if !mkfifo(&criteria) {
        return;
    }
    assert_rendered(
        "criteria.toml as a named pipe",
        &render(&load_within_10s(&c)),
        r#"
error[not-a-file]: criteria.toml: a named pipe, not a regular file, so it is skipped without being read
  help: remove it; content is read only from regular files
catalog: empty
"#,
    );
}

/// A source without a web address or a title is an error, which leaves the
/// topic out like any error in its file; one listed twice is a warning, and
/// so is a title that summarises the page instead of naming it, or a page
/// in a GitHub repository not named by its repository. A page listed
/// again with only a `#fragment` added is listed twice too. A source with a
/// warning still counts, so `--strict` finds enough of them.
#[test]
fn bad_source() {
    let expect = r#"
warning[long-source-title]: topics/frontend/vue.toml:23: `sources[0].title`: 122 characters, more than 120: a source title names the page, and what the page says belongs in the topic's text
  help: shorten it to the site and the page's own name, such as "Vue.js guide: Introduction"
error[missing-field]: topics/frontend/vue.toml:26: `sources[1].title`: missing required field
  help: add `title = "…"`
error[bad-source]: topics/frontend/vue.toml:31: `sources[2].url`: `www.vuejs.org` is not a web address
  help: give the full address the fact was read at, starting with https://
warning[bad-source]: topics/frontend/vue.toml:36: `sources[3].url`: `https://vuejs.org/` is listed twice
  help: remove the second entry
warning[github-source-title]: topics/frontend/vue.toml:42: `sources[4].title`: "Vue core licence file" does not start with "vuejs/core on GitHub": a page on GitHub is named by its repository and its address, which cannot drift from the page
  help: write "vuejs/core on GitHub", then what the address shows, such as ": docs/guide.md", ": issue #12" or ": tag v1.2.0"
warning[bad-source]: topics/frontend/vue.toml:51: `sources[6].url`: `https://github.com/vuejs/core/releases/tag/v3.5.0#assets` is the page `https://github.com/vuejs/core/releases/tag/v3.5.0` listed again: only the `#` part or a final `/` differs
  help: remove the second entry
"#;
    let expect = format!("{}catalog: minimal - frontend/vue", expect.trim_start());
    check("bad-source", &expect);
    check_strict("bad-source", &expect);
}

/// A topic with no sources whose text dates a fact gets a warning that
/// quotes the sentence, without `--strict`.
#[test]
fn unsourced_claims() {
    check(
        "unsourced-claims",
        r#"
warning[unsourced-claims]: topics/frontend/vue.toml:1: `sources`: the topic has no sources, yet says "Evan You released it in 2014, and it has been MIT-licensed since."
  help: add [[sources]] with the url, title and read date of the primary source each dated, versioned or licensed fact was checked against
catalog: minimal
"#,
    );
}

/// Jobs may be split across files under jobs/; a topic can use a job
/// defined there, and an id defined twice is an error at the second
/// definition, which names the first.
#[test]
fn jobs_in_more_than_one_file() {
    check(
        "duplicate-job",
        r#"
error[duplicate-job]: jobs/people.toml:3: `career-path`: job `career-path` is already defined in jobs.toml
  help: remove this definition, or give the job a different id
catalog: minimal
"#,
    );
    let loaded = TestCatalog::new("invalid-duplicate-job").load(Options::default());
    let job = loaded
        .catalog
        .job("team-leadership")
        .map(|j| j.label.as_str());
    assert_eq!(job, Some("leading a team"));
    let tl = loaded.catalog.topic("technical-leadership").unwrap();
    assert_eq!(tl.jobs, ["career-path", "team-leadership"]);
}
