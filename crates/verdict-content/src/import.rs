//! Evidence files from registry data: the pure half of `verdict import`.
//!
//! A registry snapshot (a TSV file) or a live registry gives figures for
//! packages; the catalog's topics name the packages they care about in their
//! `[packages]` tables. This module parses snapshots, matches the two, and
//! renders `evidence/<registry>.toml`. It does no IO: the CLI reads files,
//! talks HTTP and writes the result.
//!
//! The rendered file is a function of its inputs only (no clock, no path
//! beyond the input's name), so re-running an import on the same data gives
//! the same bytes and a clean `git diff`.
//!
//! Names are matched the way the registry compares them: exactly on npm,
//! and after [PEP 503 normalisation](normalise_pypi) on PyPI, where
//! `Scikit_Learn` and `scikit-learn` are the same project. The evidence file
//! keeps the registry's own spelling; the loader matches topics to it by the
//! same rule.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;

use verdict_core::Catalog;

/// A registry `verdict import` can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Registry {
    Npm,
    Pypi,
}

impl Registry {
    pub const ALL: [Registry; 2] = [Registry::Npm, Registry::Pypi];

    /// The id used in `[packages]`, in `source` and as the file name.
    pub fn id(self) -> &'static str {
        match self {
            Registry::Npm => "npm",
            Registry::Pypi => "pypi",
        }
    }

    /// The human name of the source, as pages cite it.
    pub fn label(self) -> &'static str {
        match self {
            Registry::Npm => "npm registry",
            Registry::Pypi => "PyPI",
        }
    }

    /// What the figure is.
    pub fn metric(self) -> &'static str {
        match self {
            Registry::Npm => "downloads in the last month",
            Registry::Pypi => "download rank",
        }
    }

    /// True when a smaller figure is better (a rank).
    pub fn lower_is_better(self) -> bool {
        match self {
            Registry::Npm => false,
            Registry::Pypi => true,
        }
    }

    /// Where a reader can check a package, with `{package}`.
    pub fn url_template(self) -> &'static str {
        match self {
            Registry::Npm => "https://www.npmjs.com/package/{package}",
            Registry::Pypi => "https://pypi.org/project/{package}/",
        }
    }

    /// The columns of this registry's snapshot, in order.
    pub fn columns(self) -> [&'static str; 3] {
        match self {
            Registry::Npm => ["package", "latest_version", "downloads_last_month"],
            Registry::Pypi => ["package", "latest_version", "download_rank"],
        }
    }

    /// The evidence file's path relative to the content root.
    pub fn evidence_path(self) -> String {
        format!("evidence/{}.toml", self.id())
    }

    /// The form two names are compared in: PyPI names are case-insensitive
    /// and treat runs of `-`, `_` and `.` alike; npm names are exact.
    pub fn match_key(self, package: &str) -> String {
        match self {
            Registry::Npm => package.to_owned(),
            Registry::Pypi => normalise_pypi(package),
        }
    }
}

impl fmt::Display for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Registry {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Registry::ALL
            .into_iter()
            .find(|r| r.id() == s)
            .ok_or_else(|| format!("unknown registry `{s}`; use npm or pypi"))
    }
}

/// A PyPI project name normalised per PEP 503: lowercase, with every run
/// of `-`, `_` and `.` replaced by one `-`.
pub fn normalise_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

/// One figure for one package, as the registry spells the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub package: String,
    pub value: u64,
}

/// A valid snapshot row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based line in the snapshot.
    pub line: usize,
    pub package: String,
    pub latest_version: String,
    pub value: u64,
}

/// A snapshot row that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct BadRow {
    /// 1-based line in the snapshot.
    pub line: usize,
    /// The package the row names, when it names one.
    pub package: Option<String>,
    pub message: String,
}

/// A snapshot that cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the snapshot is empty; its first line should be the header `{expected}`")]
    Empty { expected: String },
    #[error("line 1: expected the header `{expected}`, found `{found}`{hint}")]
    BadHeader {
        expected: String,
        found: String,
        /// Extra help, e.g. that this is the other registry's snapshot.
        hint: String,
    },
}

/// A parsed snapshot: every valid row, and every row left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub rows: Vec<Row>,
    pub bad_rows: Vec<BadRow>,
}

impl Snapshot {
    /// The figures of all valid rows.
    pub fn figures(&self) -> Vec<Figure> {
        self.rows
            .iter()
            .map(|r| Figure {
                package: r.package.clone(),
                value: r.value,
            })
            .collect()
    }
}

/// Parses a registry snapshot: tab-separated, one header line, then
/// `package, latest_version, figure`. Only a missing or wrong header is an
/// `Err`; bad rows are collected with their line numbers and left out.
/// Blank lines are skipped. A package listed twice keeps its first row.
pub fn parse_snapshot(registry: Registry, text: &str) -> Result<Snapshot, SnapshotError> {
    let columns = registry.columns();
    let show = |cols: &[&str]| cols.join("<TAB>");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let Some((_, header)) = lines.next() else {
        return Err(SnapshotError::Empty {
            expected: show(&columns),
        });
    };
    let found: Vec<&str> = header.trim_end_matches('\r').split('\t').collect();
    if found != columns {
        let hint = Registry::ALL
            .into_iter()
            .find(|r| *r != registry && found == r.columns())
            .map(|r| {
                format!(
                    "; this looks like a {} snapshot: run `verdict import {r}`",
                    r.label()
                )
            })
            .unwrap_or_default();
        return Err(SnapshotError::BadHeader {
            expected: show(&columns),
            found: show(&found),
            hint,
        });
    }
    let mut snapshot = Snapshot::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, raw) in lines {
        let raw = raw.trim_end_matches('\r');
        if raw.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        let package = fields
            .first()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        let mut bad = |message: String| {
            snapshot.bad_rows.push(BadRow {
                line,
                package: package.clone(),
                message,
            })
        };
        if fields.len() != 3 {
            bad(format!(
                "expected 3 tab-separated fields ({}), found {}",
                columns.join(", "),
                fields.len()
            ));
            continue;
        }
        let Some(name) = package.clone() else {
            bad("the package name is empty".into());
            continue;
        };
        if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            bad(format!("package name `{name}` contains a space"));
            continue;
        }
        let figure = fields[2].trim();
        let value = match parse_figure(figure) {
            Ok(v) => v,
            Err(why) => {
                bad(format!("{} `{figure}` {why}", columns[2]));
                continue;
            }
        };
        match seen.get(&registry.match_key(&name)) {
            Some(first) => {
                bad(format!(
                    "`{name}` is listed again (first on line {first}); the first row is kept"
                ));
                continue;
            }
            None => {
                seen.insert(registry.match_key(&name), line);
            }
        }
        snapshot.rows.push(Row {
            line,
            package: name,
            latest_version: fields[1].trim().to_owned(),
            value,
        });
    }
    Ok(snapshot)
}

/// A figure must be a positive whole number that fits a TOML integer.
fn parse_figure(s: &str) -> Result<u64, &'static str> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not a whole number");
    }
    match s.parse::<u64>() {
        Ok(0) => Err("must be at least 1"),
        Ok(v) if v <= i64::MAX as u64 => Ok(v),
        _ => Err("is too large"),
    }
}

/// The packages the catalog's topics name on `registry`: package (as the
/// topic spells it) → the slugs of the topics naming it.
pub fn named_packages(catalog: &Catalog, registry: Registry) -> BTreeMap<String, Vec<String>> {
    let mut named: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in catalog.topics() {
        if let Some(package) = t.packages.get(registry.id()) {
            named
                .entry(package.clone())
                .or_default()
                .push(t.slug.clone());
        }
    }
    for slugs in named.values_mut() {
        slugs.sort();
    }
    named
}

/// A package some topic names that the input had no figure for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// As the topics spell it.
    pub package: String,
    pub topics: Vec<String>,
}

/// The figures to write and the named packages without one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Package, as the registry spells it → figure.
    pub values: BTreeMap<String, u64>,
    pub missing: Vec<Missing>,
}

/// Keeps the figures of the named packages, matching names the way the
/// registry does, and lists the named packages the figures lack.
pub fn select(
    registry: Registry,
    figures: &[Figure],
    named: &BTreeMap<String, Vec<String>>,
) -> Selection {
    let by_key: HashMap<String, &Figure> = figures
        .iter()
        .rev() // so the first of two figures for one package wins
        .map(|f| (registry.match_key(&f.package), f))
        .collect();
    let mut selection = Selection::default();
    for (package, topics) in named {
        match by_key.get(&registry.match_key(package)) {
            Some(f) => {
                selection.values.insert(f.package.clone(), f.value);
            }
            None => selection.missing.push(Missing {
                package: package.clone(),
                topics: topics.clone(),
            }),
        }
    }
    selection
}

/// True for `YYYY-MM` or `YYYY-MM-DD` naming a real month or day.
pub fn is_valid_as_of(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let (Some(year), Some(month)) = (num(0..4), num(5..7)) else {
        return false;
    };
    if b[4] != b'-' || !(1..=12).contains(&month) {
        return false;
    }
    match b.len() {
        7 => true,
        10 => {
            let leap =
                year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            b[7] == b'-' && num(8..10).is_some_and(|d| (1..=days).contains(&d))
        }
        _ => false,
    }
}

/// What an evidence file is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile<'a> {
    pub registry: Registry,
    /// `YYYY-MM` or `YYYY-MM-DD`: when the figures were true.
    pub as_of: &'a str,
    /// Where the figures came from, for the header comment: a snapshot's
    /// file name or a registry URL.
    pub input: &'a str,
    pub selection: &'a Selection,
}

impl EvidenceFile<'_> {
    /// The file's text. The same inputs give the same bytes: keys in a
    /// fixed order, `[values]` sorted by package, figures as integers.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let r = self.registry;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# Generated by `verdict import {r}` from {}.",
            self.input
        );
        s.push_str("# Do not edit by hand: re-run `verdict import` to refresh the figures.\n");
        let missing = &self.selection.missing;
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|m| m.package.as_str()).collect();
            let _ = writeln!(
                s,
                "# Named by topics but not in the input: {}.",
                names.join(", ")
            );
        }
        s.push('\n');
        let _ = writeln!(s, "source = {}", toml_string(r.id()));
        let _ = writeln!(s, "label = {}", toml_string(r.label()));
        let _ = writeln!(s, "metric = {}", toml_string(r.metric()));
        let _ = writeln!(s, "lower_is_better = {}", r.lower_is_better());
        let _ = writeln!(s, "as_of = {}", toml_string(self.as_of));
        let _ = writeln!(s, "url = {}", toml_string(r.url_template()));
        s.push_str("\n[values]\n");
        for (package, value) in &self.selection.values {
            let _ = writeln!(s, "{} = {value}", toml_key(package));
        }
        s
    }
}

/// A TOML key: bare when it can be, quoted otherwise (`"@angular/core"`).
fn toml_key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare { k.to_owned() } else { toml_string(k) }
}

/// A TOML basic string.
pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Diagnostic, Options, SourceFile, load};

    const NPM_HEADER: &str = "package\tlatest_version\tdownloads_last_month\n";
    const PYPI_HEADER: &str = "package\tlatest_version\tdownload_rank\n";

    /// Parses `input` and compares a one-line-per-row summary with `expect`:
    /// `package=value` for kept rows, `!line: message` for bad ones.
    fn check(registry: Registry, input: &str, expect: &[&str]) {
        let snapshot = parse_snapshot(registry, input).expect("header is valid");
        let mut got: Vec<String> = snapshot
            .rows
            .iter()
            .map(|r| format!("{}={}", r.package, r.value))
            .collect();
        got.extend(snapshot.bad_rows.iter().map(|b| format!("!{b}")));
        assert_eq!(got, expect, "input:\n{input}");
    }

    fn named(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut m: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (package, slug) in pairs {
            m.entry((*package).into()).or_default().push((*slug).into());
        }
        m
    }

    fn figures(pairs: &[(&str, u64)]) -> Vec<Figure> {
        pairs
            .iter()
            .map(|(p, v)| Figure {
                package: (*p).into(),
                value: *v,
            })
            .collect()
    }

    #[test]
    fn parses_npm_rows() {
        check(
            Registry::Npm,
            &format!("{NPM_HEADER}react\t19.2.0\t120000000\n@angular/core\t21.0.1\t15000000\n"),
            &["react=120000000", "@angular/core=15000000"],
        );
    }

    #[test]
    fn parses_pypi_rows_with_crlf_bom_and_blank_lines() {
        check(
            Registry::Pypi,
            &format!(
                "\u{feff}{}django\t6.1.3\t528\r\n\r\nFlask\t3.1.3\t181\r\n",
                PYPI_HEADER.replace('\n', "\r\n")
            ),
            &["django=528", "Flask=181"],
        );
    }

    #[test]
    fn reports_bad_rows_with_line_numbers() {
        check(
            Registry::Npm,
            &format!(
                "{NPM_HEADER}react\t19.2.0\t120000000\nvue\t3.5.0\nsvelte\t5.0.0\tmany\n\t1.0.0\t5\n\
                 preact\t10.0.0\t0\nsolid-js\t1.9.0\t99999999999999999999\nreact\t19.2.1\t1\n\
                 a b\t1.0.0\t7\nvite\t7.0.0\t-3\n"
            ),
            &[
                "react=120000000",
                "!line 3: expected 3 tab-separated fields (package, latest_version, downloads_last_month), found 2",
                "!line 4: downloads_last_month `many` is not a whole number",
                "!line 5: the package name is empty",
                "!line 6: downloads_last_month `0` must be at least 1",
                "!line 7: downloads_last_month `99999999999999999999` is too large",
                "!line 8: `react` is listed again (first on line 2); the first row is kept",
                "!line 9: package name `a b` contains a space",
                "!line 10: downloads_last_month `-3` is not a whole number",
            ],
        );
    }

    #[test]
    fn pypi_duplicates_are_found_after_normalisation() {
        check(
            Registry::Pypi,
            &format!("{PYPI_HEADER}scikit-learn\t1.9.1\t179\nScikit_Learn\t1.0\t9000\n"),
            &[
                "scikit-learn=179",
                "!line 3: `Scikit_Learn` is listed again (first on line 2); the first row is kept",
            ],
        );
    }

    #[test]
    fn bad_rows_remember_their_package() {
        let s = parse_snapshot(Registry::Npm, &format!("{NPM_HEADER}react\t1\tx\n")).unwrap();
        assert_eq!(s.bad_rows[0].package.as_deref(), Some("react"));
    }

    #[test]
    fn rejects_a_wrong_or_missing_header() {
        assert_eq!(
            parse_snapshot(Registry::Npm, ""),
            Err(SnapshotError::Empty {
                expected: "package<TAB>latest_version<TAB>downloads_last_month".into()
            })
        );
        let err = parse_snapshot(Registry::Npm, "react\t19.2.0\t120000000\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 1: expected the header `package<TAB>latest_version<TAB>downloads_last_month`, \
             found `react<TAB>19.2.0<TAB>120000000`"
        );
        let err = parse_snapshot(Registry::Npm, PYPI_HEADER).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("; this looks like a PyPI snapshot: run `verdict import pypi`"),
            "{err}"
        );
    }

    #[test]
    fn normalises_pypi_names_per_pep_503() {
        for (input, want) in [
            ("Django", "django"),
            ("scikit_learn", "scikit-learn"),
            ("Zope.Interface", "zope-interface"),
            ("a-_.-b", "a-b"),
            ("torch", "torch"),
        ] {
            assert_eq!(normalise_pypi(input), want, "{input}");
        }
        assert_eq!(Registry::Npm.match_key("Some_Pkg"), "Some_Pkg");
    }

    #[test]
    fn selects_named_packages_and_reports_missing_ones() {
        let sel = select(
            Registry::Pypi,
            &figures(&[("django", 528), ("Flask", 181), ("numpy", 20)]),
            &named(&[
                ("Django", "django"),
                ("flask", "flask"),
                ("polars", "polars"),
            ]),
        );
        // The registry's spelling is kept; numpy is named by no topic.
        assert_eq!(
            sel.values,
            BTreeMap::from([("Flask".into(), 181), ("django".into(), 528)])
        );
        assert_eq!(
            sel.missing,
            vec![Missing {
                package: "polars".into(),
                topics: vec!["polars".into()]
            }]
        );
        // npm names are exact.
        let sel = select(
            Registry::Npm,
            &figures(&[("React", 1)]),
            &named(&[("react", "react")]),
        );
        assert!(sel.values.is_empty());
        assert_eq!(sel.missing.len(), 1);
    }

    #[test]
    fn validates_as_of_dates() {
        for ok in ["2026-11", "2026-11-30", "2024-02-29"] {
            assert!(is_valid_as_of(ok), "{ok}");
        }
        for bad in [
            "2026",
            "2026-13",
            "2026-00",
            "2026-11-31",
            "2025-02-29",
            "26-11",
            "2026/11",
            "2026-1",
            "2026-11-",
        ] {
            assert!(!is_valid_as_of(bad), "{bad}");
        }
    }

    fn sample() -> Selection {
        Selection {
            values: BTreeMap::from([
                ("vue".into(), 12_000_000),
                ("@angular/core".into(), 15_000_000),
                ("react".into(), 120_000_000),
                ("htmx.org".into(), 400_000),
            ]),
            missing: vec![Missing {
                package: "svelte".into(),
                topics: vec!["svelte".into()],
            }],
        }
    }

    #[test]
    fn renders_a_deterministic_evidence_file() {
        let sel = sample();
        let file = EvidenceFile {
            registry: Registry::Npm,
            as_of: "2026-11",
            input: "npm-monthly-downloads.tsv",
            selection: &sel,
        };
        let text = file.render();
        assert_eq!(
            text,
            r#"# Generated by `verdict import npm` from npm-monthly-downloads.tsv.
# Do not edit by hand: re-run `verdict import` to refresh the figures.
# Named by topics but not in the input: svelte.

source = "npm"
label = "npm registry"
metric = "downloads in the last month"
lower_is_better = false
as_of = "2026-11"
url = "https://www.npmjs.com/package/{package}"

[values]
"@angular/core" = 15000000
"htmx.org" = 400000
react = 120000000
vue = 12000000
"#
        );
        // Insertion order does not matter.
        let mut reversed = Selection {
            values: BTreeMap::new(),
            missing: sel.missing.clone(),
        };
        for (k, v) in sel.values.iter().rev() {
            reversed.values.insert(k.clone(), *v);
        }
        let again = EvidenceFile {
            selection: &reversed,
            ..file
        };
        assert_eq!(again.render(), text);
    }

    #[test]
    fn rendered_files_load_back_without_diagnostics() {
        for registry in Registry::ALL {
            let sel = sample();
            let text = EvidenceFile {
                registry,
                as_of: "2026-11-27",
                input: "a \"quoted\" input",
                selection: &sel,
            }
            .render();
            let files = vec![SourceFile {
                path: registry.evidence_path(),
                text: text.clone(),
            }];
            let loaded = load(&files, Options::default());
            let evidence_diags: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.file.starts_with("evidence/"))
                .collect();
            assert!(evidence_diags.is_empty(), "{evidence_diags:#?}\n{text}");
            let mut set = crate::evidence::EvidenceSet::default();
            let mut diags = Vec::new();
            crate::evidence::read(&files[0], &mut set, &mut diags);
            let source = &set.sources[registry.id()];
            assert_eq!(source.values, sel.values);
            assert_eq!(source.lower_is_better, registry.lower_is_better());
            assert_eq!(source.as_of, "2026-11-27");
        }
    }

    #[test]
    fn the_loader_matches_pypi_names_after_normalisation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let mut files = crate::read_dir(&root).expect("fixture");
        for f in &mut files {
            if f.path == "topics/frontend/react.toml" {
                f.text = f.text.replace("npm = \"react\"", "pypi = \"React_DOM\"");
            }
            if f.path == "topics/frontend/vue.toml" {
                f.text = f.text.replace("npm = \"vue\"", "pypi = \"Vue\"");
            }
        }
        let sel = select(
            Registry::Pypi,
            &figures(&[("react.dom", 40), ("vue", 400)]),
            &named(&[("React_DOM", "react"), ("Vue", "vue")]),
        );
        assert!(sel.missing.is_empty());
        files.push(SourceFile {
            path: Registry::Pypi.evidence_path(),
            text: EvidenceFile {
                registry: Registry::Pypi,
                as_of: "2026-11",
                input: "test",
                selection: &sel,
            }
            .render(),
        });
        let loaded = load(&files, Options::default());
        let no_evidence = |d: &Diagnostic| d.code == Code::NoEvidence;
        assert!(
            !loaded.diagnostics.iter().any(no_evidence),
            "{:#?}",
            loaded.diagnostics
        );
        let react = loaded.catalog.topic("react").unwrap();
        assert_eq!(react.evidence.len(), 1);
        assert_eq!(react.evidence[0].value, 40);
        assert_eq!(react.evidence[0].url, "https://pypi.org/project/React_DOM/");
        // Rank 40 leads rank 400 by one decade: 10 and 8 points.
        assert_eq!(react.scores["popularity"].value, 10);
        assert_eq!(
            loaded.catalog.topic("vue").unwrap().scores["popularity"].value,
            8
        );
    }

    #[test]
    fn toml_keys_and_strings_are_escaped() {
        assert_eq!(toml_key("react-dom"), "react-dom");
        assert_eq!(toml_key("@types/node"), "\"@types/node\"");
        assert_eq!(toml_string("a\"b\\c\u{1}"), "\"a\\\"b\\\\c\\u0001\"");
    }
}
