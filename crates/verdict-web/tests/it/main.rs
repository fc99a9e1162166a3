//! The web crate end to end: routes, redirects, personal picks, errors, the
//! JSON API and its OpenAPI document, HTTP caching and compression, the
//! pages' CSP hygiene, feeds, snapshots, one real listener, and the
//! `serve --watch` wrapper.
//!
//! One test binary (matklad's "one integration test crate") so the catalog
//! loads and the crate links once. Requests go through `Router` with
//! `tower::ServiceExt::oneshot`, except in `listener`.

mod api;
mod csp;
mod export;
mod hardening;
mod listener;
mod openapi;
mod pages;
mod redirects;
mod site_files;
mod snapshots;
mod support;
mod transport;
mod votes;
mod watch;
