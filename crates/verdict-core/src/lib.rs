//! The verdict domain: topics, criteria, the catalog, and the decision model.
//!
//! This crate does no IO and never reads the clock or a random source: the
//! same catalog and preferences always give the same [`Decision`], byte for
//! byte once serialised.

pub mod decide;
pub mod key;
pub mod lint;
pub mod model;
pub mod search;
pub mod text;

pub use decide::{Confidence, DecideError, Decision, Flip, Preferences, Weights, decide};
pub use model::{Catalog, Category, Criterion, Editorial, Evidence, Kind, Profile, Score, Topic};

#[cfg(test)]
mod test_support;
