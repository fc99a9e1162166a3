//! Open Graph images drawn by earlier builds, kept outside the site.
//!
//! Drawing an image costs milliseconds, and a site has thousands, so a
//! build into a new directory (a CI job, a fresh clone) would spend nearly
//! all its time drawing what an earlier build on the same machine already
//! drew. The cache holds each drawn PNG under the hash of what it was drawn
//! from ([`Image::hash`]: the SVG and the drawing code's version), so any
//! build of any catalog can take an image from it when the hash matches,
//! the way Hugo and Zola keep processed images between builds.
//!
//! An entry is used only when its embedded hash is the one wanted and the
//! file ends with the PNG end chunk, so a truncated or foreign file is
//! drawn again and replaced. Entries are written to a temporary name and
//! renamed, so two builds sharing a cache never see half a file. Writing
//! the cache never fails a build: a cache that cannot be written (disk
//! full, read-only) only costs speed, and the report counts the failures.

use std::collections::HashSet;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use verdict_render::og::Image;

use crate::ExportError;

/// The last chunk of every PNG: length 0, `IEND`, its CRC.
const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];

/// How long an entry no build has used is kept.
pub const KEEP_UNUSED: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// How stale an entry's modification time may get before a build that
/// uses it refreshes it, so pruning sees it as used.
const TOUCH_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// A directory of drawn images, `<dir>/og/<hash>.png`.
#[derive(Debug)]
pub(crate) struct ImageCache {
    dir: PathBuf,
    write_failures: AtomicUsize,
}

impl ImageCache {
    /// Opens (creating it if needed) the cache under `dir`.
    pub(crate) fn open(dir: &Path) -> Result<ImageCache, ExportError> {
        let dir = dir.join("og");
        fs::create_dir_all(&dir).map_err(|source| ExportError::Write {
            path: dir.clone(),
            source,
        })?;
        Ok(ImageCache {
            dir,
            write_failures: AtomicUsize::new(0),
        })
    }

    fn path(&self, hash: u64) -> PathBuf {
        self.dir.join(format!("{hash:016x}.png"))
    }

    /// The PNG drawn for `image`, if the cache holds a whole one.
    pub(crate) fn get(&self, image: &Image) -> Option<Vec<u8>> {
        let path = self.path(image.hash);
        let mut file = fs::File::open(&path).ok()?;
        let meta = file.metadata().ok()?;
        let mut png = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut png).ok()?;
        if !(png.ends_with(&IEND) && image.drawn_in(&png)) {
            return None;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_none_or(|age| age > TOUCH_AFTER);
        if old {
            // Best effort: an entry that cannot be touched is at worst
            // pruned and drawn again a month from now.
            let _ = fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(SystemTime::now()));
        }
        Some(png)
    }

    /// Keeps `png`, drawn for `image`, for later builds.
    pub(crate) fn put(&self, image: &Image, png: &[u8]) {
        let path = self.path(image.hash);
        let tmp = self.dir.join(format!(
            ".{:016x}.{}.{:?}.tmp",
            image.hash,
            std::process::id(),
            std::thread::current().id()
        ));
        let written = fs::write(&tmp, png).and_then(|()| fs::rename(&tmp, &path));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
            self.write_failures.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Images that could not be written to the cache.
    pub(crate) fn write_failures(&self) -> usize {
        self.write_failures.load(Ordering::Relaxed)
    }

    /// Removes entries this build did not use (`used`) that no build has
    /// used for `keep_unused`, and temporary files left by killed builds.
    /// Returns how many files were removed.
    pub(crate) fn prune(&self, used: &HashSet<u64>, keep_unused: Duration) -> usize {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let in_use = name
                .strip_suffix(".png")
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .is_some_and(|h| used.contains(&h));
            if in_use {
                continue;
            }
            let age = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| m.elapsed().ok());
            if age.is_some_and(|age| age > keep_unused) && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(hash: u64) -> Image {
        Image {
            svg: String::new(),
            hash,
        }
    }

    /// A PNG-shaped file claiming `hash`: the `tEXt` chunk our images carry
    /// and the end chunk.
    fn png(hash: u64) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        bytes.extend_from_slice(b"tEXt");
        bytes.extend_from_slice(verdict_render::og::HASH_KEYWORD.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(format!("{hash:016x}").as_bytes());
        bytes.extend_from_slice(&IEND);
        bytes
    }

    #[test]
    fn an_entry_is_used_only_when_whole_and_drawn_from_the_same_source() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ImageCache::open(tmp.path()).unwrap();
        assert_eq!(cache.get(&image(7)), None, "empty cache");

        cache.put(&image(7), &png(7));
        assert_eq!(cache.get(&image(7)), Some(png(7)));
        assert_eq!(cache.get(&image(8)), None, "another image");

        // A file cut short (a full disk, a killed copy) is not used.
        let whole = png(9);
        fs::write(cache.path(9), &whole[..whole.len() - 4]).unwrap();
        assert_eq!(cache.get(&image(9)), None);
        // Nor one whose content is another image's under this name.
        fs::write(cache.path(10), png(11)).unwrap();
        assert_eq!(cache.get(&image(10)), None);
        assert_eq!(cache.write_failures(), 0);
    }

    #[test]
    fn pruning_keeps_what_this_build_used_and_what_was_used_recently() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ImageCache::open(tmp.path()).unwrap();
        for h in [1, 2, 3] {
            cache.put(&image(h), &png(h));
        }
        let old = SystemTime::now() - Duration::from_secs(40 * 24 * 60 * 60);
        for h in [1, 2] {
            fs::File::options()
                .write(true)
                .open(cache.path(h))
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        fs::write(cache.dir.join(".5.123.tmp"), b"half").unwrap();
        let used: HashSet<u64> = [1].into();
        // 2 is old and unused; the temporary file was left by a killed
        // build (its age is now, so it stays until it is old too).
        assert_eq!(cache.prune(&used, KEEP_UNUSED), 1);
        assert!(cache.get(&image(1)).is_some(), "used by this build");
        assert!(cache.get(&image(3)).is_some(), "used recently");
        assert!(!cache.path(2).exists(), "old and unused");
        assert_eq!(cache.prune(&used, Duration::ZERO), 2, "3 and the tmp file");
        assert!(cache.get(&image(1)).is_some());
    }

    #[test]
    fn a_cache_that_cannot_be_written_only_counts_the_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = ImageCache::open(tmp.path()).unwrap();
        fs::remove_dir(&cache.dir).unwrap();
        fs::write(&cache.dir, b"a file where the cache's folder was").unwrap();
        cache.put(&image(1), &png(1));
        assert_eq!(cache.write_failures(), 1);
        assert_eq!(cache.get(&image(1)), None);
    }
}
