//! Reading a local clone into a [`History`] with gix: the only IO of
//! `verdict import git` besides writing the file (built with the `git`
//! feature, which only the CLI turns on).
//!
//! The repository is opened isolated from the user's and the system's git
//! configuration, so what is read depends on the clone alone. Bare
//! repositories and work trees are both fine; a shallow clone is refused,
//! since its history stops at the depth it was cloned with and every
//! figure would be too low.

use std::path::{Path, PathBuf};

use crate::activity::{Commit, History, Tag};

/// Why a repository could not be read. Nothing is written for it.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("`{}` is not a git repository", .0.display())]
    NotARepository(PathBuf),
    #[error(
        "`{}` is a shallow clone: fetch the full history with `git fetch --unshallow`",
        .0.display()
    )]
    Shallow(PathBuf),
    #[error("`{}` is an empty repository: it has no commits", .0.display())]
    Empty(PathBuf),
    #[error("cannot read `{}`: {message}", path.display())]
    Read { path: PathBuf, message: String },
}

/// Reads the history reachable from `HEAD`: every commit (all parents),
/// every tag, and the `origin` remote's URL.
pub fn read_history(path: &Path) -> Result<History, GitError> {
    let read = |e: &dyn std::fmt::Display| GitError::Read {
        path: path.to_owned(),
        message: e.to_string(),
    };
    if !path.is_dir() {
        return Err(GitError::NotARepository(path.to_owned()));
    }
    // gix's errors are opaque; a folder it cannot open as a repository is,
    // for this purpose, not one (it checks `HEAD`, `objects` and `refs`).
    let Ok(mut repo) = gix::open_opts(path, gix::open::Options::isolated()) else {
        return Err(GitError::NotARepository(path.to_owned()));
    };
    // A work tree's subfolder opens as its repository; only the folder
    // named is meant.
    if repo.workdir().is_some_and(|w| !same_dir(w, path)) && !same_dir(repo.git_dir(), path) {
        return Err(GitError::NotARepository(path.to_owned()));
    }
    repo.object_cache_size_if_unset(64 * 1024 * 1024);
    if repo.is_shallow().map_err(|e| read(&e))? {
        return Err(GitError::Shallow(path.to_owned()));
    }
    let head = repo.head().map_err(|e| read(&e))?;
    if head.is_unborn() {
        return Err(GitError::Empty(path.to_owned()));
    }
    let head_commit = repo.head_commit().map_err(|e| read(&e))?;
    let head_time = head_commit.committer().map_err(|e| read(&e))?.seconds();

    let mut commits = Vec::new();
    let walk = repo
        .rev_walk([head_commit.id])
        .all()
        .map_err(|e| read(&e))?;
    for info in walk {
        let info = info.map_err(|e| read(&e))?;
        let object = info.object().map_err(|e| read(&e))?;
        let commit = object.decode().map_err(|e| read(&e))?;
        commits.push(Commit {
            time: commit.committer().map_err(|e| read(&e))?.seconds(),
            author_email: commit.author().map_err(|e| read(&e))?.email.to_string(),
        });
    }

    let mut tags = Vec::new();
    let references = repo.references().map_err(|e| read(&e))?;
    for reference in references.tags().map_err(|e| read(&e))? {
        let reference = reference.map_err(|e| read(&e))?;
        let Some(id) = reference.try_id() else {
            continue; // a symbolic tag names another tag, counted there
        };
        let name = reference.name().shorten().to_string();
        if let Some(time) = tag_time(id).map_err(|e| read(&e))? {
            tags.push(Tag { name, time });
        }
    }
    tags.sort_by(|a, b| a.name.cmp(&b.name));

    let origin = repo.find_remote("origin").ok().and_then(|r| {
        r.url(gix::remote::Direction::Fetch)
            .map(|u| u.to_bstring().to_string())
    });

    Ok(History {
        head: head_commit.id.to_string(),
        head_time,
        commits,
        tags,
        origin,
    })
}

/// When a tag was made: its tagger's date if it is annotated and has one,
/// else the committer date of the commit it points to. `None` for a tag of
/// anything but a commit or an annotated tag.
fn tag_time(id: gix::Id<'_>) -> Result<Option<i64>, Box<dyn std::error::Error + Send + Sync>> {
    let object = id.object()?;
    match object.kind {
        gix::object::Kind::Tag => {
            let tag = object.into_tag();
            if let Some(tagger) = tag.tagger()? {
                return Ok(Some(tagger.seconds()));
            }
            let target = tag.target_id()?;
            match target.object()?.peel_to_commit() {
                Ok(commit) => Ok(Some(commit.committer()?.seconds())),
                Err(_) => Ok(None),
            }
        }
        gix::object::Kind::Commit => Ok(Some(object.into_commit().committer()?.seconds())),
        _ => Ok(None),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
