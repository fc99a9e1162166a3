//! The comparison view model: everything any output format shows for one
//! comparison, computed once. The JSON format serialises it as it is, so its
//! field names are a public, documented interface (docs/API.md).

use serde::Serialize;

use verdict_core::decide::{Basis, DecideError, Decision, Editors, Preferences, Weights, decide};
use verdict_core::key::ComparisonKey;
use verdict_core::model::{Activity, Catalog, Editorial, Evidence, Kind, Source, Topic};
use verdict_core::text::{VerdictText, compose};

use crate::urls::Urls;

/// Version of the JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A link to another topic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicLink {
    pub slug: String,
    pub name: String,
    pub url: String,
    /// What a link says after the name, hidden on screen
    /// ([`html::aside`](crate::html::aside)).
    #[serde(skip)]
    pub aside: Option<String>,
}

/// A side's related topics, made into links only when something shows
/// them: a server keeps side cards ready, so most views it builds never do
/// (making them on every view was about 4 % of a page nobody had asked
/// for). It serialises as the list of links.
#[derive(Clone, Copy)]
pub struct Related<'a> {
    catalog: &'a Catalog,
    urls: &'a Urls,
    slugs: &'a [String],
}

impl<'a> Related<'a> {
    /// The links, in the topic's order; a slug the catalog lacks is left
    /// out.
    pub fn links(&self) -> impl Iterator<Item = TopicLink> + 'a {
        let (catalog, urls) = (self.catalog, self.urls);
        self.slugs
            .iter()
            .filter_map(move |s| catalog.topic(s))
            .map(move |t| TopicLink::to(t, urls))
    }

    pub fn is_empty(&self) -> bool {
        !self.slugs.iter().any(|s| self.catalog.topic(s).is_some())
    }
}

impl PartialEq for Related<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.links().eq(other.links())
    }
}

impl std::fmt::Debug for Related<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.links()).finish()
    }
}

impl Serialize for Related<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.links())
    }
}

impl TopicLink {
    fn to(t: &Topic, urls: &Urls) -> TopicLink {
        TopicLink {
            slug: t.slug.clone(),
            name: t.name.clone(),
            url: urls.topic(&t.slug),
            aside: crate::html::aside(&t.name, t.kind),
        }
    }
}

/// One side of a comparison, as shown in its card. It borrows the topic's
/// text from the catalog rather than copying it, since a view is built for
/// every request that misses the caches (the copies were about 4 % of such
/// a request's time).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub kind: Kind,
    pub category: &'a str,
    pub tagline: &'a str,
    pub use_when: &'a str,
    pub pros: &'a [String],
    pub cons: &'a [String],
    pub related: Related<'a>,
    pub evidence: &'a [Evidence],
    /// Where its facts were checked.
    pub sources: &'a [Source],
    /// Project activity from its git history, when imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<&'a Activity>,
    pub reviewed: &'a str,
    pub url: String,
    /// Overall weighted score, 0–10.
    pub score: f64,
    /// 1-based place in the ranking.
    pub rank: usize,
}

/// A whole comparison, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonView<'a> {
    pub schema_version: u32,
    pub title: String,
    /// Canonical path of the page, e.g. `/compare/go-vs-rust`.
    pub url: String,
    pub category: Option<String>,
    pub preferences: Preferences,
    /// True when the reader chose a profile or weights: the pick is then
    /// theirs, computed from the scorecard.
    pub personal: bool,
    /// The editors' pick for most readers, when an editorial exists.
    pub editors_pick: Option<String>,
    /// Sides in canonical (slug) order.
    pub sides: Vec<Side<'a>>,
    pub decision: Decision,
    pub verdict: VerdictText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub editorial: Option<&'a Editorial>,
    pub also_consider: Vec<TopicLink>,
}

impl<'a> ComparisonView<'a> {
    /// The scorecard rows whose every score rests on measured evidence,
    /// with the first side's basis (the figures differ per side; their
    /// source and date are shared): the rest are the editors' judgement.
    pub fn measured_rows(&self) -> Vec<(&str, &Basis)> {
        self.decision
            .rows
            .iter()
            .filter(|r| !r.cells.is_empty() && r.cells.iter().all(|c| c.basis.is_evidence()))
            .map(|r| (r.label.as_str(), &r.cells[0].basis))
            .collect()
    }

    /// One sentence on what the scores rest on, for every output format:
    /// how many of the rows are measured, from where and as of when.
    pub fn basis_sentence(&self) -> String {
        let rows = self.decision.rows.len();
        let measured = self.measured_rows();
        if measured.is_empty() {
            return format!(
                "All {rows} scores are our editors' judgement, each with its reason in the scorecard."
            );
        }
        let parts: Vec<String> = measured
            .iter()
            .map(|(label, basis)| match basis {
                Basis::Evidence {
                    source,
                    metric,
                    as_of,
                    ..
                } => format!("{label} ({source}, {metric}, as of {as_of})"),
                Basis::Editors => (*label).to_owned(),
            })
            .collect();
        let n = measured.len();
        if n == rows {
            return format!(
                "All {rows} scores rest on measured data: {}.",
                verdict_core::text::join_and(&parts.iter().map(String::as_str).collect::<Vec<_>>())
            );
        }
        format!(
            "{n} of the {rows} scores rest{} on measured data: {}. The other {} {} our editors' judgement, each with its reason in the scorecard.",
            if n == 1 { "s" } else { "" },
            verdict_core::text::join_and(&parts.iter().map(String::as_str).collect::<Vec<_>>()),
            rows - n,
            if rows - n == 1 { "is" } else { "are" },
        )
    }

    /// The comparison's key: its topics' slugs in canonical order.
    pub fn key(&self) -> ComparisonKey {
        ComparisonKey::new(&self.decision.topics)
    }

    /// Compares `topics` (any order, 2–4) under `prefs`.
    pub fn build(
        catalog: &'a Catalog,
        urls: &'a Urls,
        topics: &[&Topic],
        prefs: &Preferences,
    ) -> Result<ComparisonView<'a>, DecideError> {
        let weights = Weights::resolve(catalog, topics, prefs)?;
        let slugs: Vec<&str> = topics.iter().map(|t| t.slug.as_str()).collect();
        let editorial = catalog.editorial(&slugs);
        // With the reader's own weights the scorecard decides; the editors'
        // pick stays visible as `editors_pick`.
        let personal = !prefs.is_default();
        let editors = if personal {
            Editors::Ignore
        } else {
            Editors::Bind
        };
        let decision = decide(catalog, topics, &weights, editors)?;
        let verdict = compose(catalog, &decision, editorial, personal);
        let link = |slug: &str| catalog.topic(slug).map(|t| TopicLink::to(t, urls));
        let sides = decision
            .topics
            .iter()
            .filter_map(|s| catalog.topic(s))
            .map(|t| Side {
                slug: &t.slug,
                name: &t.name,
                kind: t.kind,
                category: &t.category,
                tagline: &t.tagline,
                use_when: &t.use_when,
                pros: &t.pros,
                cons: &t.cons,
                related: Related {
                    catalog,
                    urls,
                    slugs: &t.related,
                },
                evidence: &t.evidence,
                sources: &t.sources,
                activity: t.activity.as_ref(),
                reviewed: &t.reviewed,
                url: urls.topic(&t.slug),
                score: decision.standing(&t.slug).map_or(0.0, |s| s.score),
                rank: decision
                    .ranking
                    .iter()
                    .position(|s| s.slug == t.slug)
                    .map_or(0, |p| p + 1),
            })
            .collect();
        let first_category = topics.iter().map(|t| t.category.as_str()).min();
        let category = editorial
            .and_then(|e| e.category.clone())
            .or_else(|| {
                let c = topics[0].category.as_str();
                topics.iter().all(|t| t.category == c).then(|| c.to_owned())
            })
            .or_else(|| first_category.map(str::to_owned));
        let also_consider = editorial
            .map(|e| e.also_consider.iter().filter_map(|s| link(s)).collect())
            .unwrap_or_default();
        let canonical: Vec<&str> = decision.topics.iter().map(String::as_str).collect();
        Ok(ComparisonView {
            schema_version: SCHEMA_VERSION,
            title: verdict.title.clone(),
            url: urls.compare(&canonical),
            category,
            preferences: prefs.clone(),
            personal,
            editors_pick: editorial.and_then(|e| e.pick.clone()),
            sides,
            decision,
            verdict,
            editorial,
            also_consider,
        })
    }

    /// The outcome in a few words, for text outputs: ("Our pick", "Go",
    /// Some("clear pick, margin 1.71 of 10")), ("Too close to call", "Go
    /// and Rust", None), ("Used together", "Grafana and Prometheus", None).
    pub fn headline(&self) -> (&'static str, String, Option<String>) {
        let d = &self.decision;
        let names = |slugs: &[&str]| {
            verdict_core::text::join_and(&slugs.iter().map(|s| self.name(s)).collect::<Vec<_>>())
        };
        match (d.pick.as_deref(), d.confidence) {
            (Some(p), Some(c)) => (
                if self.personal {
                    "Your pick"
                } else {
                    "Our pick"
                },
                self.name(p).to_owned(),
                Some(format!(
                    "{}, margin {} of 10",
                    c.label(),
                    verdict_core::text::num(d.margin)
                )),
            ),
            _ if d.outcome == verdict_core::model::Outcome::TooClose => (
                d.outcome.label(),
                names(&[d.ranking[0].slug.as_str(), d.ranking[1].slug.as_str()]),
                None,
            ),
            _ => (
                d.outcome.label(),
                names(&d.topics.iter().map(String::as_str).collect::<Vec<_>>()),
                None,
            ),
        }
    }

    /// True when `slug` is the pick.
    pub fn is_pick(&self, slug: &str) -> bool {
        self.decision.pick.as_deref() == Some(slug)
    }

    pub fn side(&self, slug: &str) -> Option<&Side<'a>> {
        self.sides.iter().find(|s| s.slug == slug)
    }

    pub fn name<'s>(&'s self, slug: &'s str) -> &'s str {
        self.side(slug).map_or(slug, |s| s.name)
    }
}
