//! Content files → an immutable [`Catalog`] and every problem at once.
//!
//! Loading never stops at the first problem: it returns the catalog built
//! from everything valid together with all [`Diagnostic`]s, each naming the
//! file, the line, the key and a fix. Only content that cannot be read at
//! all (a missing directory, a file without read permission) is an `Err`.
//! Entries that are not content are left out with a diagnostic each
//! ([`read_tree`]): a file that is not UTF-8, a link, a named pipe.
//!
//! The bundled catalog is compiled into the binary ([`embedded`]), so the
//! CLI works from any directory.

pub mod activity;
mod code;
mod diagnostic;
pub mod evidence;
#[cfg(feature = "git")]
pub mod git;
pub mod import;
mod load;
pub mod maintenance;
mod read;
mod reader;
#[cfg(feature = "schema")]
pub mod schema;

use std::path::{Path, PathBuf};

pub use code::Code;
pub use diagnostic::{Diagnostic, Severity};
pub use load::{Loaded, Options, load, load_tree};
pub use read::{Tree, read_tree};
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

/// The files of the content directory at `root` that can be loaded, in a
/// stable order. Entries left out (not UTF-8, links, named pipes) are
/// dropped without a word: [`read_tree`] says why, and [`load_dir`]
/// reports it.
pub fn read_dir(root: &Path) -> Result<Vec<SourceFile>, LoadError> {
    Ok(read_tree(root)?.files)
}

/// Loads the content directory at `root`, reporting the entries it could
/// not read among the other diagnostics.
pub fn load_dir(root: &Path, options: Options) -> Result<Loaded, LoadError> {
    load::load_dir(root, options)
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

/// Loads the bundled catalog from its TOML. It is checked by the test
/// suite, so it has no errors; diagnostics are still returned for callers
/// that print them. Programs that only use the catalog start faster from
/// the precompiled form (the `verdict-bundle` crate).
pub fn load_embedded() -> Loaded {
    load(&embedded(), Options::default())
}

/// What a precompiled bundle holds: the loaded catalog without its indexes,
/// and the diagnostics its loading gave.
#[derive(serde::Serialize)]
struct BundleRef<'a> {
    catalog: verdict_core::model::CatalogDataRef<'a>,
    diagnostics: &'a [Diagnostic],
}

#[derive(serde::Deserialize)]
struct Bundle {
    catalog: verdict_core::model::CatalogData,
    diagnostics: Vec<Diagnostic>,
}

/// Writes a loaded catalog in the precompiled form [`from_bundle`] reads
/// back without parsing any TOML or checking anything again.
pub fn to_bundle(loaded: &Loaded) -> Vec<u8> {
    postcard::to_stdvec(&BundleRef {
        catalog: loaded.catalog.data(),
        diagnostics: &loaded.diagnostics,
    })
    .expect("the catalog serialises: every type is plain data")
}

/// Reads what [`to_bundle`] wrote.
pub fn from_bundle(bytes: &[u8]) -> Result<Loaded, postcard::Error> {
    let b: Bundle = postcard::from_bytes(bytes)?;
    Ok(Loaded {
        catalog: b.catalog.into(),
        diagnostics: b.diagnostics,
    })
}
