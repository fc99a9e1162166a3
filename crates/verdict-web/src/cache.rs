//! Caches bounded by the bytes they hold, not by how many entries they
//! have: a ready-made page is 10–120 KB, so a count bound lets a crawler
//! walking every pair grow the server by hundreds of megabytes.
//!
//! Each value says how many heap bytes it holds ([`Weigh`]); the cache
//! evicts (quick_cache's CLOCK-Pro) to stay under its byte budget. The
//! weights are estimates of what the value keeps alive, counted once when
//! the value is inserted.

use std::sync::Arc;

use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// What a cached value keeps alive on the heap, in bytes.
pub trait Weigh {
    fn heap_bytes(&self) -> usize;
}

/// Bytes an entry costs beyond its key and value: the cache's own slot,
/// the `Arc` and the `String` headers.
const ENTRY_OVERHEAD: usize = 96;

/// A typical entry, for sizing the cache's index up front.
const TYPICAL_ENTRY: u64 = 24 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct ByBytes;

impl<V: Weigh> Weighter<String, Arc<V>> for ByBytes {
    fn weight(&self, key: &String, val: &Arc<V>) -> u64 {
        (ENTRY_OVERHEAD + key.len() + val.heap_bytes()) as u64
    }
}

/// A concurrent cache of `Arc<V>` by string key, holding at most `budget`
/// bytes by [`Weigh`]'s count.
pub struct ByteCache<V>(Cache<String, Arc<V>, ByBytes>);

impl<V: Weigh> ByteCache<V> {
    pub fn new(budget: u64) -> ByteCache<V> {
        let budget = budget.max(1);
        let items = usize::try_from(budget / TYPICAL_ENTRY).unwrap_or(usize::MAX);
        ByteCache(Cache::with_weighter(items.max(16), budget, ByBytes))
    }

    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        self.0.get(key)
    }

    /// Keeps `value`, unless it alone is larger than the whole budget.
    pub fn insert(&self, key: String, value: Arc<V>) {
        self.0.insert(key, value);
    }

    pub fn remove(&self, key: &str) {
        self.0.remove(key);
    }

    pub fn clear(&self) {
        self.0.clear();
    }

    /// Bytes held now, by [`Weigh`]'s count.
    pub fn bytes(&self) -> u64 {
        self.0.weight()
    }

    /// The budget.
    pub fn budget(&self) -> u64 {
        self.0.capacity()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value for `key`, or the one `make` produces, inserted; concurrent
    /// callers for the same key wait for one `make`.
    pub async fn get_or_insert_async<E>(
        &self,
        key: &str,
        make: impl Future<Output = Result<Arc<V>, E>>,
    ) -> Result<Arc<V>, E> {
        self.0.get_or_insert_async(key, make).await
    }
}

impl<V: Weigh> std::fmt::Debug for ByteCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteCache")
            .field("entries", &self.0.len())
            .field("bytes", &self.0.weight())
            .field("budget", &self.0.capacity())
            .finish()
    }
}

/// How a server's cache budget is shared between its caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Ready-made pages (identity, gzip and brotli bodies).
    pub pages: u64,
    /// Personal comparison frames and their side cards.
    pub personal: u64,
    /// Comparison JSON with a hole for the tally.
    pub api: u64,
    /// Vote tallies and comparison pages with a hole for the votes block.
    pub votes: u64,
    /// Side cards that comparison pages are put together from.
    pub cards: u64,
    /// Each topic's entry in comparison pages' script data.
    pub topic_data: u64,
}

impl Budgets {
    /// Splits `total` bytes. Comparison pages are what most requests read:
    /// with votes on they are kept with a hole for the votes block in the
    /// votes caches, otherwise as ready-made pages, and whichever cache
    /// holds them gets the largest share (a share for a cache that is not
    /// used would only be lost).
    pub fn split(total: u64, votes: bool) -> Budgets {
        let share = |percent: u64| total / 100 * percent;
        let (pages, votes) = if votes {
            (share(20), share(32))
        } else {
            (share(52), 0)
        };
        Budgets {
            pages,
            personal: share(20),
            api: share(15),
            votes,
            cards: share(10),
            topic_data: share(3),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Blob(Vec<u8>);

    impl Weigh for Blob {
        fn heap_bytes(&self) -> usize {
            self.0.len()
        }
    }

    #[test]
    fn holds_no_more_bytes_than_its_budget() {
        let budget = 1024 * 1024;
        let cache = ByteCache::new(budget);
        // 2,000 distinct 30 KB pages would be 60 MB under a count bound.
        for i in 0..2_000 {
            cache.insert(
                format!("/compare/{i}-vs-x"),
                Arc::new(Blob(vec![0; 30 * 1024])),
            );
            assert!(
                cache.bytes() <= budget,
                "{} > {budget} after {i}",
                cache.bytes()
            );
        }
        assert!(cache.len() < 40, "{} entries kept", cache.len());
        assert!(
            cache.bytes() > budget / 2,
            "the budget is used: {}",
            cache.bytes()
        );
    }

    #[test]
    fn the_budget_splits_into_shares_that_add_up() {
        let total = 256 * 1024 * 1024;
        for votes in [false, true] {
            let b = Budgets::split(total, votes);
            let sum = b.pages + b.personal + b.api + b.votes + b.cards + b.topic_data;
            assert!(sum <= total, "{sum} > {total}");
            assert!(
                sum > total / 100 * 99,
                "{sum} leaves part of {total} unused"
            );
        }
        // Comparison pages live in the votes caches when votes are on and
        // in the page cache otherwise; that cache gets the largest share.
        let on = Budgets::split(total, true);
        assert!(on.votes > on.pages && on.votes > on.personal);
        let off = Budgets::split(total, false);
        assert_eq!(off.votes, 0);
        assert!(off.pages > off.personal + off.api);
    }
}
