//! A content directory on disk → the files to load, and a diagnostic for
//! each entry left out.
//!
//! Only regular files are read, and only as UTF-8:
//!
//! - **Links are never followed**, to a folder or to a file. Two links to
//!   `.` in one folder would make a walk that follows them visit
//!   `a/b/a/b/…` down to the kernel's limit of 40 links a path: 2^40 paths.
//!   A link to a file could publish whatever it points at, inside the
//!   content directory or not. Each link is reported once, where it is.
//! - **Named pipes, sockets and devices are never opened**: opening a pipe
//!   blocks until something writes to it, so one `*.toml` pipe used to
//!   hang `check`, `build` and `serve` alike.
//! - **A file that is not UTF-8 is left out** with an error naming the line
//!   of its first bad byte, instead of being published with U+FFFD in
//!   place of the characters it could not decode.
//!
//! A problem with one of the three files at the root, which the loader
//! cannot do without, is an error; elsewhere a skipped entry is a warning,
//! and the loader reports what its absence costs (a category left with no
//! topic is an error of its own).

use std::fs::{self, FileType};
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Severity};
use crate::{Code, LoadError, SourceFile};

/// A content directory as read from disk: the files to load, and why any
/// other entry was left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    /// Every content file read, sorted by path.
    pub files: Vec<SourceFile>,
    /// One diagnostic for each entry left out, sorted by path.
    pub diagnostics: Vec<Diagnostic>,
}

/// The files at the root of the content directory; the loader needs each.
pub(crate) const ROOT_FILES: &[&str] = &["criteria.toml", "categories.toml", "jobs.toml"];

/// The folders under the content root that hold TOML files.
const FOLDERS: &[&str] = &["jobs", "topics", "comparisons", "evidence"];

/// Reads every content file under `root`, in a stable order. `root` itself
/// may be a link (it is the directory the caller named); nothing under it
/// is followed.
pub fn read_tree(root: &Path) -> Result<Tree, LoadError> {
    Ok(Walk::new(false).run(root)?.tree)
}

/// Like [`read_tree`], except that the topic files are found but not read:
/// [`crate::load_dir`] reads each on the thread that parses it and frees
/// its text right after, so a big catalog's text is never all in memory,
/// nor allocated on one thread and freed on others.
pub(crate) fn read_tree_deferring_topics(root: &Path) -> Result<(Tree, Vec<Unread>), LoadError> {
    let walk = Walk::new(true).run(root)?;
    Ok((walk.tree, walk.deferred))
}

/// A topic file found by [`read_tree_deferring_topics`] and not yet read.
#[derive(Debug)]
pub(crate) struct Unread {
    /// Relative to the content root, as [`SourceFile::path`].
    pub rel: String,
    pub abs: PathBuf,
}

impl Unread {
    /// The file, or the diagnostic that leaves it out (not UTF-8).
    pub(crate) fn read(self) -> Result<Result<SourceFile, Diagnostic>, LoadError> {
        read_file(self.rel, &self.abs)
    }
}

/// The walk of a content directory: what it read, and with `defer`, the
/// topic files it left for later.
struct Walk {
    tree: Tree,
    defer: bool,
    deferred: Vec<Unread>,
}

impl Walk {
    fn new(defer: bool) -> Walk {
        Walk {
            tree: Tree::default(),
            defer,
            deferred: Vec::new(),
        }
    }

    fn run(mut self, root: &Path) -> Result<Walk, LoadError> {
        let meta = fs::metadata(root).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => LoadError::Missing(root.to_owned()),
            _ => io_error(root, e),
        })?;
        if !meta.is_dir() {
            return Err(LoadError::NotADirectory(root.to_owned()));
        }
        for name in ROOT_FILES {
            self.visit(root, &root.join(name), Expect::File)?;
        }
        for folder in FOLDERS {
            self.visit(root, &root.join(folder), Expect::Any)?;
        }
        self.tree.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.tree.diagnostics.sort_by(|a, b| a.file.cmp(&b.file));
        self.deferred.sort_by(|a, b| a.rel.cmp(&b.rel));
        Ok(self)
    }
}

/// What a path is expected to be: one of the root files, or anything (a
/// folder to walk, or a file to read if it is named `*.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    File,
    Any,
}

impl Walk {
    fn visit(&mut self, root: &Path, path: &Path, expect: Expect) -> Result<(), LoadError> {
        // `symlink_metadata` looks at the entry itself, never through a link,
        // and opens nothing.
        let meta = match fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_error(path, e)),
        };
        let kind = meta.file_type();
        let toml = expect == Expect::File || path.extension().is_some_and(|e| e == "toml");
        if kind.is_symlink() {
            // `metadata` follows the link to say what it points at; like
            // `symlink_metadata`, it opens nothing. A dangling or looping
            // link is "not a folder".
            let to_folder = fs::metadata(path).is_ok_and(|m| m.is_dir());
            if to_folder && expect == Expect::Any {
                self.skip(root, path, Skipped::LinkToFolder);
            } else if toml {
                self.skip(root, path, Skipped::LinkToFile);
            }
        } else if kind.is_dir() && expect == Expect::Any {
            self.walk(root, path)?;
        } else if !toml {
            // Not content: READMEs, editor backups and the like.
        } else if kind.is_file() {
            self.read(root, path)?;
        } else {
            self.skip(root, path, Skipped::NotAFile(describe(kind)));
        }
        Ok(())
    }

    fn walk(&mut self, root: &Path, dir: &Path) -> Result<(), LoadError> {
        let entries = fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(dir, e))?;
            self.visit(root, &entry.path(), Expect::Any)?;
        }
        Ok(())
    }

    fn read(&mut self, root: &Path, path: &Path) -> Result<(), LoadError> {
        let rel = relative(root, path);
        if self.defer && rel.starts_with("topics/") {
            self.deferred.push(Unread {
                rel,
                abs: path.to_owned(),
            });
            return Ok(());
        }
        match read_file(rel, path)? {
            Ok(file) => self.tree.files.push(file),
            Err(diagnostic) => self.tree.diagnostics.push(diagnostic),
        }
        Ok(())
    }

    fn skip(&mut self, root: &Path, path: &Path, why: Skipped) {
        let file = relative(root, path);
        // Without a root file nothing loads, so skipping one is an error.
        // Elsewhere it is a warning, and what it costs is reported where it
        // shows (a category left with no topic is an error of its own).
        let severity = if ROOT_FILES.contains(&file.as_str()) {
            Severity::Error
        } else {
            Severity::Warning
        };
        let (code, message, help) = match why {
            Skipped::LinkToFolder => (
                Code::Symlink,
                "a symbolic link to a folder, which the loader never follows, so the folder is skipped".to_owned(),
                "put a folder with the files here instead of a link to one",
            ),
            Skipped::LinkToFile => (
                Code::Symlink,
                "a symbolic link, which the loader never follows, so the file is left out".to_owned(),
                "put the file itself here instead of a link to it",
            ),
            Skipped::NotAFile(what) => (
                Code::NotAFile,
                format!("{what}, not a regular file, so it is skipped without being read"),
                "remove it; content is read only from regular files",
            ),
        };
        self.tree.diagnostics.push(Diagnostic {
            severity,
            code,
            file,
            line: None,
            key: None,
            message,
            help: Some(help.to_owned()),
        });
    }
}

/// The regular file at `path`, or the diagnostic that leaves it out when
/// it is not UTF-8.
fn read_file(rel: String, path: &Path) -> Result<Result<SourceFile, Diagnostic>, LoadError> {
    let bytes = fs::read(path).map_err(|e| io_error(path, e))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile { path: rel, text }),
        Err(e) => {
            let (line, column, byte) = first_bad_byte(e.as_bytes(), e.utf8_error().valid_up_to());
            Err(Diagnostic {
                severity: Severity::Error,
                code: Code::InvalidUtf8,
                file: rel,
                line: Some(line),
                key: None,
                message: format!(
                    "the file is not UTF-8: byte {byte:#04X} at column {column} cannot be decoded, so the file is left out"
                ),
                help: Some(
                    "save the file as UTF-8 (an editor's \"encoding\" setting), or retype the character there"
                        .into(),
                ),
            })
        }
    })
}

/// Why an entry was left out without being read.
#[derive(Debug, Clone, Copy)]
enum Skipped {
    LinkToFolder,
    LinkToFile,
    NotAFile(&'static str),
}

/// What an entry that is neither a regular file nor a link is, for people.
fn describe(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// The path relative to the content root, with `/` separators.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where the first byte that is not UTF-8 sits, given that everything
/// before `valid_up_to` is: the 1-based line and column (in characters),
/// and the byte.
fn first_bad_byte(bytes: &[u8], valid_up_to: usize) -> (usize, usize, u8) {
    let before = &bytes[..valid_up_to];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    // Valid UTF-8 by `valid_up_to`'s definition, so nothing is replaced.
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column, bytes[valid_up_to])
}

fn io_error(path: &Path, source: std::io::Error) -> LoadError {
    LoadError::Io {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::first_bad_byte;

    /// `input` must not be UTF-8; `expect` is "line:column byte".
    #[track_caller]
    fn check(input: &[u8], expect: &str) {
        let e = std::str::from_utf8(input).expect_err("not UTF-8");
        let (line, column, byte) = first_bad_byte(input, e.valid_up_to());
        assert_eq!(format!("{line}:{column} {byte:#04X}"), expect);
    }

    #[test]
    fn the_first_bad_byte_is_found_by_line_and_character() {
        check(b"\xFFname = 1", "1:1 0xFF");
        check(b"a = 1\nname = \"caf\xE9\"\n", "2:12 0xE9");
        // Columns count characters, not bytes: "é" before the bad byte is one.
        check(
            "a = \"é"
                .as_bytes()
                .iter()
                .chain(b"\x80\"")
                .copied()
                .collect::<Vec<_>>()
                .as_slice(),
            "1:7 0x80",
        );
        // Windows line ends: the `\r` belongs to the line before.
        check(b"a = 1\r\nb = 2\r\nc = \xC0\r\n", "3:5 0xC0");
        // A character cut short at the end of the file.
        check(b"a = 1\nb = \"\xE2\x82", "2:6 0xE2");
    }
}
