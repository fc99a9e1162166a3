//! Shared by the export tests: the bundled catalog, fixed site settings and
//! a way to fingerprint a whole output tree.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use verdict_core::model::Catalog;
use verdict_render::{SiteConfig, Urls};

pub const BASE: &str = "https://example.org";

/// Settings as `verdict build --base-url … --today 2026-11-30` makes them.
pub fn site(base: &str) -> SiteConfig {
    SiteConfig {
        urls: Urls::new(base),
        contact_email: Some("picks@example.org".into()),
        today: "2026-11-30".into(),
        ..SiteConfig::default()
    }
}

pub fn bundled() -> Catalog {
    let loaded = verdict_content::load_embedded();
    assert!(!loaded.has_errors(), "the bundled catalog has errors");
    loaded.catalog
}

/// The bundled catalog built once with [`BASE`], shared by the tests that
/// only read it.
pub fn shared_site() -> &'static Path {
    // Built in place under the target directory, not in a `TempDir`: a
    // static is never dropped, so a temporary folder would be left behind in
    // /tmp (about 400 MB) by every run. One folder per test binary.
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(concat!("export-site-", env!("CARGO_CRATE_NAME")));
        verdict_export::build(&bundled(), &site(BASE), &out, Default::default()).unwrap();
        out
    })
}

/// One entry of a tree: a file's content hash or a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(u64),
    Dir,
}

fn hash(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    h.write(bytes);
    h.finish()
}

/// Every file and folder under `root` by relative path (`/`-separated).
pub fn tree(root: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    walk(root, "", &mut out);
    out
}

fn walk(dir: &Path, rel: &str, out: &mut BTreeMap<String, Entry>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            out.insert(rel.clone(), Entry::Dir);
            walk(&entry.path(), &rel, out);
        } else {
            out.insert(
                rel,
                Entry::File(hash(&std::fs::read(entry.path()).unwrap())),
            );
        }
    }
}

/// Only the files of a tree.
pub fn files(tree: &BTreeMap<String, Entry>) -> BTreeMap<&str, u64> {
    tree.iter()
        .filter_map(|(k, v)| match v {
            Entry::File(h) => Some((k.as_str(), *h)),
            Entry::Dir => None,
        })
        .collect()
}

/// The file a site path is served from, the way static hosts look it up:
/// the file itself, or the folder's `index.html`.
pub fn file_for(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    let direct = root.join(rel);
    if !rel.is_empty() && direct.is_file() {
        return Some(direct);
    }
    let index = direct.join("index.html");
    index.is_file().then_some(index)
}
