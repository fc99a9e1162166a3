//! Parts of pages that depend only on the site and the catalog, made once
//! and kept: a server or an export renders every page with one site and one
//! catalog, so a handful of entries is all a process ever needs.

use std::sync::{Mutex, PoisonError};

/// At most [`Kept::CAP`] values, each under the key of what it was made
/// from; the oldest goes first.
pub(super) struct Kept<V> {
    entries: Mutex<Vec<(String, V)>>,
}

impl<V: Clone> Kept<V> {
    /// One per site and catalog a process renders with (one for a server or
    /// an export; a few in tests).
    const CAP: usize = 4;

    pub(super) const fn new() -> Kept<V> {
        Kept {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value kept under `key`, or `make`'s, kept from now on. `key`
    /// must name everything the value is made from.
    pub(super) fn get_or_make(&self, key: String, make: impl FnOnce() -> V) -> V {
        let lock = || self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, v)) = lock().iter().find(|(k, _)| *k == key) {
            return v.clone();
        }
        let v = make();
        let mut entries = lock();
        if !entries.iter().any(|(k, _)| *k == key) {
            if entries.len() >= Self::CAP {
                entries.remove(0);
            }
            entries.push((key, v.clone()));
        }
        v
    }
}
