//! Which comparisons have any vote, as last read from the store, so that a
//! page for a comparison nobody voted on needs no query of its own.
//!
//! Most comparisons have no vote (a crawler walking the long tail of a big
//! catalog asks for thousands a second), and reading each one's tally cost
//! a query and two hand-offs to the database's worker. Instead the set of
//! comparisons with votes is read whole, at most once per `tally_ttl`, by
//! whichever request finds it stale (one at a time; the others wait for
//! that read). A comparison missing from a set read at `T` had no vote
//! committed before `T`, which is what a tally read at `T` would have said,
//! so the page reuses that answer until `T + tally_ttl`, as it would a
//! tally: a vote cast through another server sharing the store shows within
//! the same interval as before.
//!
//! The set only grows: a vote through this process adds its comparison at
//! once (before the cached tally is forgotten), and a read adds what it
//! found to what is known. Votes are never deleted, and a comparison wrongly
//! in the set only costs the query it would have cost anyway; one wrongly
//! missing would hide votes, which growing the set never does. When the
//! read fails, pages read their own tallies as before (and report the
//! outage there) until the next interval.

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use verdict_store::VoteStore;

/// The comparisons with votes, as far as this process knows.
#[derive(Debug, Default)]
pub(super) struct Voted {
    known: RwLock<Known>,
    /// Held while the set is read, so one request reads it for all.
    reading: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Known {
    keys: HashSet<String>,
    /// When the last good read started.
    read_at: Option<Instant>,
    /// When the last read failed: no retry until `ttl` after it.
    failed_at: Option<Instant>,
}

/// What the set says about one comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// No vote was committed before this instant, at most `ttl` ago.
    NoneAsOf(Instant),
    /// It may have votes: read its tally.
    ReadIt,
    /// The set is older than `ttl`: read it again first.
    Stale,
}

impl Known {
    fn answer(&self, key: &str, ttl: Duration) -> Answer {
        if self.keys.contains(key) {
            return Answer::ReadIt;
        }
        match self.read_at {
            Some(at) if at.elapsed() < ttl => Answer::NoneAsOf(at),
            _ if self.failed_at.is_some_and(|at| at.elapsed() < ttl) => Answer::ReadIt,
            _ => Answer::Stale,
        }
    }
}

impl Voted {
    fn answer(&self, key: &str, ttl: Duration) -> Answer {
        self.known.read().expect("voted set").answer(key, ttl)
    }

    /// `Some(t)` when `key` had no vote as of `t`, less than `ttl` ago (the
    /// reader may show an empty tally until `t + ttl`); `None` when its
    /// tally must be read.
    pub(super) async fn no_votes_as_of(
        &self,
        store: &dyn VoteStore,
        key: &str,
        ttl: Duration,
    ) -> Option<Instant> {
        match self.answer(key, ttl) {
            Answer::NoneAsOf(at) => return Some(at),
            Answer::ReadIt => return None,
            Answer::Stale => {}
        }
        let _reading = self.reading.lock().await;
        // Another request may have read it while this one waited.
        match self.answer(key, ttl) {
            Answer::NoneAsOf(at) => return Some(at),
            Answer::ReadIt => return None,
            Answer::Stale => {}
        }
        let started = Instant::now();
        match store.tallies().await {
            Ok(all) => {
                let mut known = self.known.write().expect("voted set");
                known.keys.extend(all.into_iter().map(|(key, _)| key));
                known.read_at = Some(started);
                known.failed_at = None;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read which comparisons have votes; pages read their own tallies");
                self.known.write().expect("voted set").failed_at = Some(Instant::now());
                return None;
            }
        }
        match self.answer(key, ttl) {
            Answer::NoneAsOf(at) => Some(at),
            Answer::ReadIt | Answer::Stale => None,
        }
    }

    /// Whether `key` is known to have votes.
    pub(super) fn has(&self, key: &str) -> bool {
        self.known.read().expect("voted set").keys.contains(key)
    }

    /// `key` has a vote now (one just committed through this process).
    pub(super) fn add(&self, key: &str) {
        let mut known = self.known.write().expect("voted set");
        if !known.keys.contains(key) {
            known.keys.insert(key.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(known: &Known, key: &str, ttl: Duration, want: Answer) {
        assert_eq!(known.answer(key, ttl), want, "{key}");
    }

    #[test]
    fn only_a_fresh_read_without_the_key_answers_for_it() {
        let hour = Duration::from_secs(3600);
        let mut known = Known::default();
        check(&known, "go-vs-rust", hour, Answer::Stale);
        let at = Instant::now();
        known.read_at = Some(at);
        known.keys.insert("go-vs-rust".into());
        check(&known, "go-vs-rust", hour, Answer::ReadIt);
        check(&known, "django-vs-flask", hour, Answer::NoneAsOf(at));
        // Once the read is as old as a tally may be, it is read again.
        check(&known, "django-vs-flask", Duration::ZERO, Answer::Stale);
        check(&known, "go-vs-rust", Duration::ZERO, Answer::ReadIt);
        // After a failed read, tallies are read one by one until the next
        // interval.
        known.read_at = None;
        known.failed_at = Some(Instant::now());
        check(&known, "django-vs-flask", hour, Answer::ReadIt);
        check(&known, "django-vs-flask", Duration::ZERO, Answer::Stale);
    }
}
