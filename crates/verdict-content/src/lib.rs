//! Content files → an immutable [`Catalog`] and every problem at once.
//!
//! Loading never stops at the first problem: it returns the catalog built
//! from everything valid together with all [`Diagnostic`]s, each naming the
//! file, the line, the key and a fix. Only content that cannot be read at
//! all (a missing directory) is an `Err`.
//!
//! The bundled catalog is compiled into the binary ([`embedded`]), so the
//! CLI works from any directory.

mod diagnostic;
pub mod evidence;
pub mod import;
mod load;
mod reader;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, Severity};
pub use load::{Loaded, Options, load};
pub use verdict_core::Catalog;

/// One content file: its path relative to the content root (with `/`
/// separators) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Content that cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("content directory `{0}` does not exist")]
    Missing(PathBuf),
    #[error("`{0}` is not a directory")]
    NotADirectory(PathBuf),
    #[error("cannot read `{path}`")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The folders under the content root that hold TOML files.
const FOLDERS: &[&str] = &["topics", "comparisons", "evidence"];

/// Reads every content file under `root`, in a stable order.
pub fn read_dir(root: &Path) -> Result<Vec<SourceFile>, LoadError> {
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::Missing(root.to_owned()),
        _ => LoadError::Io {
            path: root.to_owned(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(LoadError::NotADirectory(root.to_owned()));
    }
    let mut files = Vec::new();
    for name in ["criteria.toml", "categories.toml", "jobs.toml"] {
        let path = root.join(name);
        if path.exists() {
            files.push(read_file(root, &path)?);
        }
    }
    for folder in FOLDERS {
        walk(root, &root.join(folder), &mut files)?;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), LoadError> {
    if !dir.exists() {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::Io {
        path: dir.to_owned(),
        source: e,
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| LoadError::Io {
            path: dir.to_owned(),
            source: e,
        })?;
        let path = entry.path();
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(read_file(root, &path)?);
        }
    }
    Ok(())
}

fn read_file(root: &Path, path: &Path) -> Result<SourceFile, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::Io {
        path: path.to_owned(),
        source: e,
    })?;
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    // Invalid UTF-8 becomes replacement characters, which the checker then
    // reports with a line number instead of refusing the whole file.
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(SourceFile { path: rel, text })
}

/// Loads the content directory at `root`.
pub fn load_dir(root: &Path, options: Options) -> Result<Loaded, LoadError> {
    Ok(load(&read_dir(root)?, options))
}

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// The catalog bundled into the binary at build time, as files.
pub fn embedded() -> Vec<SourceFile> {
    bundled::FILES
        .iter()
        .map(|(path, text)| SourceFile {
            path: (*path).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// Loads the bundled catalog. It is checked by the test suite, so it has no
/// errors; diagnostics are still returned for callers that print them.
pub fn load_embedded() -> Loaded {
    load(&embedded(), Options::default())
}
