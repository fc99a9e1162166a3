//! Writing the site so that a failed build changes nothing.
//!
//! Two modes, chosen when the build starts:
//!
//! - **Fresh**: the output directory does not exist. Files go, under their
//!   final names, into a staging directory beside it, which is renamed to
//!   the output directory once everything is written.
//! - **Update**: the output directory exists. A file whose bytes on disk are
//!   already right is left alone. Any other file is written to a temporary
//!   name beside its destination; only when every file of the build has
//!   been written are the temporary files renamed over their destinations
//!   and files of earlier builds that are no longer produced removed.
//!
//! Until [`Output::commit`] succeeds, dropping the [`Output`] (an error, a
//! panic) removes what this build created and leaves the directory as it
//! was.
//!
//! A build that is killed cannot clean up. Its temporary files are removed
//! by the next successful update; its staging directory
//! (`.NAME.verdict-staging-PID` beside the output directory) by the next
//! build into the same directory, once no process with that id is running.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

use rayon::prelude::*;

use crate::ExportError;

/// Folders, and the kinds of file in them, that belong to the export: such
/// a file that a build does not produce is stale.
const OWNED: &[(&str, &[&str])] = &[
    ("compare", PAGES),
    ("topics", PAGES),
    ("categories", PAGES),
    ("search", PAGES),
    ("assets", PAGES),
    ("api", PAGES),
    ("og", &["png"]),
];
const PAGES: &[&str] = &["html", "json", "css", "js"];

/// Marks this build's temporary files (and, when an earlier build was
/// killed, its leftovers, which the next build removes).
const TMP_MARK: &str = ".verdict-tmp-";

pub(crate) struct Output {
    /// Where files are written: the staging directory or the output directory.
    root: PathBuf,
    /// The output directory.
    target: PathBuf,
    fresh: bool,
    /// Fresh mode: folders made to hold the output directory, deepest
    /// first, removed again on failure if still empty.
    new_parents: Vec<PathBuf>,
    tmp_suffix: String,
    /// Update mode: (temporary file, destination), renamed at commit.
    pending: Mutex<Vec<(PathBuf, PathBuf)>>,
    /// Update mode: folders this build created, removed again on failure.
    new_dirs: Mutex<Vec<PathBuf>>,
    committed: bool,
    written: AtomicUsize,
    skipped: AtomicUsize,
    bytes_written: AtomicU64,
    bytes: AtomicU64,
}

/// What [`Output::commit`] reports.
pub(crate) struct Stats {
    pub written: usize,
    pub skipped: usize,
    pub removed: usize,
    pub bytes_written: u64,
    pub bytes: u64,
}

fn write_err(path: &Path) -> impl FnOnce(io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.to_owned(),
        source,
    }
}

impl Output {
    pub fn open(out: &Path) -> Result<Output, ExportError> {
        let pid = std::process::id();
        let name = out
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        remove_abandoned_staging(parent, &name);
        let mut new_parents = Vec::new();
        let (root, fresh) = match fs::metadata(out) {
            Ok(m) if m.is_dir() => (out.to_owned(), false),
            Ok(_) => return Err(ExportError::NotADirectory(out.to_owned())),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                let mut missing = Some(parent);
                while let Some(p) = missing.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
                    new_parents.push(p.to_owned());
                    missing = p.parent();
                }
                if let Err(e) = fs::create_dir_all(parent) {
                    remove_empty(&new_parents);
                    return Err(write_err(parent)(e));
                }
                let staging = parent.join(staging_name(&name, pid));
                let made = match fs::remove_dir_all(&staging) {
                    Ok(()) => Ok(()),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
                    Err(e) => Err(e),
                }
                .and_then(|()| fs::create_dir(&staging));
                if let Err(e) = made {
                    remove_empty(&new_parents);
                    return Err(write_err(&staging)(e));
                }
                (staging, true)
            }
            Err(source) => {
                return Err(ExportError::Read {
                    path: out.to_owned(),
                    source,
                });
            }
        };
        Ok(Output {
            root,
            target: out.to_owned(),
            fresh,
            new_parents,
            tmp_suffix: format!("{TMP_MARK}{pid}"),
            pending: Mutex::new(Vec::new()),
            new_dirs: Mutex::new(Vec::new()),
            committed: false,
            written: AtomicUsize::new(0),
            skipped: AtomicUsize::new(0),
            bytes_written: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    /// Makes the folder `rel` (`compare/go-vs-rust`); its parent exists.
    pub fn dir(&self, rel: &str) -> Result<(), ExportError> {
        let path = self.root.join(rel);
        match fs::create_dir(&path) {
            Ok(()) => {
                if !self.fresh {
                    self.new_dirs.lock().expect("not poisoned").push(path);
                }
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                if self.fresh || path.is_dir() {
                    Ok(())
                } else {
                    Err(ExportError::Write { path, source: e })
                }
            }
            Err(source) => Err(ExportError::Write { path, source }),
        }
    }

    /// Writes `bytes` to `rel` (`compare/go-vs-rust/index.html`).
    pub fn file(&self, rel: &str, bytes: &[u8]) -> Result<(), ExportError> {
        let dest = self.root.join(rel);
        self.bytes.fetch_add(bytes.len() as u64, Relaxed);
        if self.fresh {
            fs::write(&dest, bytes).map_err(write_err(&dest))?;
        } else {
            if same_bytes(&dest, bytes)? {
                self.skipped.fetch_add(1, Relaxed);
                return Ok(());
            }
            let name = dest.file_name().expect("a file name").to_string_lossy();
            let tmp = dest.with_file_name(format!(".{name}{}", self.tmp_suffix));
            fs::write(&tmp, bytes).map_err(write_err(&dest))?;
            self.pending.lock().expect("not poisoned").push((tmp, dest));
        }
        self.written.fetch_add(1, Relaxed);
        self.bytes_written.fetch_add(bytes.len() as u64, Relaxed);
        Ok(())
    }

    /// The first `n` bytes of `rel` as an earlier build left it, if it
    /// is there (only when updating an existing directory).
    pub fn earlier(&self, rel: &str, n: usize) -> Option<Vec<u8>> {
        use std::io::Read as _;
        if self.fresh {
            return None;
        }
        let mut head = Vec::with_capacity(n);
        fs::File::open(self.root.join(rel))
            .and_then(|f| f.take(n as u64).read_to_end(&mut head))
            .ok()?;
        Some(head)
    }

    /// Leaves `rel`, which an earlier build wrote, as it is: the caller
    /// knows its bytes are right without making them (an image drawn from
    /// the same source). Counted as skipped.
    pub fn keep(&self, rel: &str) -> Result<(), ExportError> {
        let path = self.root.join(rel);
        let len = fs::metadata(&path)
            .map_err(|source| ExportError::Read {
                path: path.clone(),
                source,
            })?
            .len();
        self.bytes.fetch_add(len, Relaxed);
        self.skipped.fetch_add(1, Relaxed);
        Ok(())
    }

    /// Puts the build in place. `produced` lists every file of the site
    /// (relative paths); in update mode other files the export owns are
    /// removed.
    pub fn commit(mut self, produced: &[String]) -> Result<Stats, ExportError> {
        let mut removed = 0;
        if self.fresh {
            fs::rename(&self.root, &self.target).map_err(write_err(&self.target))?;
        } else {
            let pending = std::mem::take(&mut *self.pending.lock().expect("not poisoned"));
            // Renames are all-or-nothing per file; one failing here (rare:
            // the directory changed under us) leaves a mix of whole files.
            let result: Result<(), ExportError> = pending
                .par_iter()
                .try_for_each(|(tmp, dest)| fs::rename(tmp, dest).map_err(write_err(dest)));
            if let Err(e) = result {
                *self.pending.lock().expect("not poisoned") = pending;
                return Err(e);
            }
            let keep: HashSet<&str> = produced.iter().map(String::as_str).collect();
            removed = remove_stale(&self.root, &keep)?;
        }
        self.committed = true;
        Ok(Stats {
            written: self.written.load(Relaxed),
            skipped: self.skipped.load(Relaxed),
            removed,
            bytes_written: self.bytes_written.load(Relaxed),
            bytes: self.bytes.load(Relaxed),
        })
    }
}

impl Drop for Output {
    /// An uncommitted build removes what it created.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if self.fresh {
            let _ = fs::remove_dir_all(&self.root);
            remove_empty(&self.new_parents);
            return;
        }
        for (tmp, _) in self
            .pending
            .get_mut()
            .map(std::mem::take)
            .unwrap_or_default()
        {
            let _ = fs::remove_file(tmp);
        }
        let mut dirs = self
            .new_dirs
            .get_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        // Deepest first; a folder holding anything else stays.
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            let _ = fs::remove_dir(d);
        }
    }
}

/// Removes those of `dirs` (deepest first) that are empty.
fn remove_empty(dirs: &[PathBuf]) {
    for d in dirs {
        let _ = fs::remove_dir(d);
    }
}

/// The staging directory of a fresh build of `NAME` by process `pid`.
fn staging_name(name: &str, pid: u32) -> String {
    format!(".{name}{STAGING_MARK}{pid}")
}

const STAGING_MARK: &str = ".verdict-staging-";

/// Removes, from `parent`, staging directories for the output directory
/// `name` that builds no longer running left behind (killed, or the
/// machine went down). Only names [`staging_name`] makes are touched, and
/// not those of a process that is running (it may be building right now)
/// or of this one (`open` starts its own afresh). Best effort: a leftover
/// that cannot be removed does not stop the build.
fn remove_abandoned_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}{STAGING_MARK}");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && pid != std::process::id() && !running(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id exists. Only Linux can say (`/proc`);
/// elsewhere every other build's leftovers count as abandoned, as two
/// builds into the same new directory at once cannot both succeed anyway.
fn running(pid: u32) -> bool {
    cfg!(target_os = "linux") && Path::new("/proc").join(pid.to_string()).exists()
}

/// Whether `path` holds exactly `bytes`. A missing file does not; a folder
/// where the file should be is an error.
fn same_bytes(path: &Path, bytes: &[u8]) -> Result<bool, ExportError> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(ExportError::InTheWay(path.to_owned())),
        Ok(m) if m.len() != bytes.len() as u64 => Ok(false),
        Ok(_) => match fs::read(path) {
            Ok(old) => Ok(old == bytes),
            Err(source) => Err(ExportError::Read {
                path: path.to_owned(),
                source,
            }),
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(ExportError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Removes files the export owns but this build did not produce, leftover
/// temporary files, and folders left empty. Returns the number of files.
fn remove_stale(root: &Path, keep: &HashSet<&str>) -> Result<usize, ExportError> {
    let mut removed = 0;
    let top = fs::read_dir(root).map_err(|source| ExportError::Read {
        path: root.to_owned(),
        source,
    })?;
    for entry in top.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let owned = OWNED.iter().find(|(dir, _)| *dir == name);
        if let (Some((_, extensions)), true) = (owned, path.is_dir()) {
            removed += walk(&path, &name, extensions, keep)?;
        } else if name.contains(TMP_MARK) && path.is_file() {
            fs::remove_file(&path).map_err(write_err(&path))?;
            removed += 1;
        }
    }
    Ok(removed)
}

fn walk(
    dir: &Path,
    rel: &str,
    extensions: &[&str],
    keep: &HashSet<&str>,
) -> Result<usize, ExportError> {
    let mut removed = 0;
    let entries = fs::read_dir(dir).map_err(|source| ExportError::Read {
        path: dir.to_owned(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let rel = format!("{rel}/{name}");
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            let n = walk(&path, &rel, extensions, keep)?;
            if n > 0 {
                // Only succeeds when nothing else is left in it.
                let _ = fs::remove_dir(&path);
            }
            removed += n;
        } else if kind.is_file() {
            let ours = name.contains(TMP_MARK)
                || Path::new(&name)
                    .extension()
                    .is_some_and(|e| extensions.contains(&e.to_string_lossy().as_ref()));
            if ours && !keep.contains(rel.as_str()) {
                fs::remove_file(&path).map_err(write_err(&path))?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A process id no system hands out (Linux stops at 2^22).
    const DEAD_PID: u32 = (1 << 22) + 1;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn check(dir: &Path, expect: &[&str]) {
        assert_eq!(names(dir), expect, "in {}", dir.display());
    }

    #[test]
    fn a_fresh_build_that_fails_partway_leaves_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        // Folders above the output directory are new too.
        let out = tmp.path().join("public/www/site");
        let output = Output::open(&out).unwrap();
        output.dir("compare").unwrap();
        output.dir("compare/go-vs-rust").unwrap();
        output
            .file("compare/go-vs-rust/index.html", b"<!doctype html>")
            .unwrap();
        output.file("index.html", b"<!doctype html>").unwrap();
        let staging = staging_name("site", std::process::id());
        check(&tmp.path().join("public/www"), &[&staging]);
        check(
            &tmp.path().join("public/www").join(&staging),
            &["compare", "index.html"],
        );

        // A page whose folder was never made: the build stops with an error.
        let err = output.file("topics/go/index.html", b"x").unwrap_err();
        assert!(matches!(err, ExportError::Write { .. }), "{err:?}");
        drop(output);
        check(tmp.path(), &[]);
    }

    #[test]
    fn a_fresh_build_that_commits_leaves_only_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public/site");
        let output = Output::open(&out).unwrap();
        output.file("index.html", b"home").unwrap();
        let stats = output.commit(&["index.html".to_owned()]).unwrap();
        assert_eq!((stats.written, stats.bytes), (1, 4));
        check(tmp.path(), &["public"]);
        check(&tmp.path().join("public"), &["site"]);
        check(&out, &["index.html"]);
    }

    #[test]
    fn staging_left_by_a_killed_build_is_removed_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        // Still running: the process that started this test.
        let live = std::os::unix::process::parent_id();
        let leftovers = [
            staging_name("site", DEAD_PID),
            staging_name("site", DEAD_PID + 1),
        ];
        let not_ours = [
            staging_name("site", live),
            staging_name("other", DEAD_PID),
            ".site.verdict-staging-".to_owned(),
            ".site.verdict-staging-12x".to_owned(),
            "site.verdict-staging-7".to_owned(),
        ];
        for d in leftovers.iter().chain(&not_ours) {
            fs::create_dir_all(tmp.path().join(d).join("compare/go-vs-rust")).unwrap();
            fs::write(tmp.path().join(d).join("index.html"), "half").unwrap();
        }
        // A file by a staging name is not ours either.
        let file = staging_name("site", DEAD_PID + 2);
        fs::write(tmp.path().join(&file), "mine").unwrap();

        let output = Output::open(&out).unwrap();
        output.file("index.html", b"home").unwrap();
        output.commit(&["index.html".to_owned()]).unwrap();
        let mut expect: Vec<&str> = not_ours.iter().map(String::as_str).collect();
        expect.extend([file.as_str(), "site"]);
        expect.sort();
        check(tmp.path(), &expect);
        for d in &not_ours {
            check(&tmp.path().join(d), &["compare", "index.html"]);
        }

        // An update into the existing directory cleans up as well.
        fs::create_dir(tmp.path().join(&leftovers[0])).unwrap();
        let output = Output::open(&out).unwrap();
        output.file("index.html", b"home").unwrap();
        let stats = output.commit(&["index.html".to_owned()]).unwrap();
        assert_eq!((stats.written, stats.skipped), (0, 1));
        check(tmp.path(), &expect);
    }
}
