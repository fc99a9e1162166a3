//! What the site publishes: which comparisons get their own page in the
//! sitemap and the static export, and the sitemap, feed and robots texts.
//! Every other pair still works on request; "published" means linked and
//! listed.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use verdict_core::key::ComparisonKey;
use verdict_core::model::{Catalog, Editorial, Outcome};

use crate::html::SiteConfig;

/// The editorial comparisons that get a page of their own: all but those
/// that conclude their topics do different jobs (served on request, never
/// listed or linked).
pub fn published_editorials(catalog: &Catalog) -> impl Iterator<Item = &Editorial> {
    catalog
        .editorials()
        .iter()
        .filter(|e| worth_publishing(e.outcome))
}

/// Published comparisons, each as sorted slugs, in a stable order:
/// editorial comparisons (including multi-way ones) unless they compare
/// different jobs, every pair of topics that share a job (alternatives),
/// and every pair used together (complements). Declared `alternatives`
/// share a job, so they are among them.
pub fn published_comparisons(catalog: &Catalog) -> Vec<Vec<String>> {
    let mut set: BTreeSet<Vec<String>> = BTreeSet::new();
    for e in published_editorials(catalog) {
        set.insert(e.slugs.clone());
    }
    // Every pair that does the same job: the comparisons readers look for.
    for job in catalog.jobs() {
        let doers: Vec<&str> = catalog.doing(&job.id).map(|t| t.slug.as_str()).collect();
        for (i, a) in doers.iter().enumerate() {
            for b in &doers[i + 1..] {
                set.insert(pair(a, b));
            }
        }
    }
    // Pairs used together: the page says how the work divides.
    for t in catalog.topics() {
        for other in &t.used_with {
            set.insert(pair(&t.slug, other));
        }
    }
    set.into_iter().collect()
}

/// Comparisons the static export writes: the published ones. A pair of
/// topics that do different jobs has no page on a static host; the
/// category page's "Compare two" form says so before going there
/// ([`published_pairs_in`]).
pub fn exported_comparisons(catalog: &Catalog) -> Vec<Vec<String>> {
    published_comparisons(catalog)
}

/// The published two-way comparisons between topics of `category`, as
/// keys (`a-vs-b`), sorted: what the category page's "Compare two" form
/// can lead to on any host.
pub fn published_pairs_in(catalog: &Catalog, category: &str) -> Vec<String> {
    let topics: Vec<&verdict_core::model::Topic> = catalog.topics_in(category).collect();
    let mut out = Vec::new();
    for (i, a) in topics.iter().enumerate() {
        for b in &topics[i + 1..] {
            let shares_job = a.jobs.iter().any(|j| b.jobs.contains(j));
            let together = a.used_with.contains(&b.slug) || b.used_with.contains(&a.slug);
            let editorial = catalog
                .editorial(&[a.slug.as_str(), b.slug.as_str()])
                .is_some_and(|e| worth_publishing(e.outcome));
            if shares_job || together || editorial {
                out.push(ComparisonKey::new(&[a.slug.as_str(), b.slug.as_str()]).to_string());
            }
        }
    }
    out.sort();
    out
}

/// Whether a comparison with this outcome is worth a reader's search: all
/// but topics that do different jobs, which are served (with `noindex`)
/// but never listed.
pub fn worth_publishing(outcome: Outcome) -> bool {
    outcome != Outcome::DifferentJobs
}

fn pair(a: &str, b: &str) -> Vec<String> {
    let mut p = vec![a.to_owned(), b.to_owned()];
    p.sort();
    p
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `sitemap.xml`: the home page, categories, topics and published
/// comparisons, with `lastmod` from review dates.
pub fn sitemap(site: &SiteConfig, catalog: &Catalog) -> String {
    let u = &site.urls;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |loc: String, lastmod: Option<&str>| {
        let _ = write!(out, "  <url><loc>{}</loc>", xml_escape(&loc));
        if let Some(d) = lastmod {
            let _ = write!(out, "<lastmod>{d}</lastmod>");
        }
        out.push_str("</url>\n");
    };
    url(u.home(), None);
    for c in catalog.categories() {
        url(u.category(&c.slug), None);
    }
    for t in catalog.topics() {
        url(u.topic(&t.slug), Some(&t.reviewed));
    }
    for p in published_comparisons(catalog) {
        let slugs: Vec<&str> = p.iter().map(String::as_str).collect();
        let lastmod = catalog
            .editorial(&slugs)
            .map(|e| e.reviewed.clone())
            .or_else(|| {
                slugs
                    .iter()
                    .filter_map(|s| catalog.topic(s))
                    .map(|t| t.reviewed.clone())
                    .max()
            });
        url(u.compare(&slugs), lastmod.as_deref());
    }
    out.push_str("</urlset>\n");
    out
}

/// `feed.xml`: an Atom feed of editorial comparisons, newest review first.
/// Dates come from content, never the clock, so the feed is reproducible.
pub fn feed(site: &SiteConfig, catalog: &Catalog) -> String {
    let u = &site.urls;
    let mut items: Vec<_> = published_editorials(catalog).collect();
    items.sort_by(|a, b| b.reviewed.cmp(&a.reviewed).then(a.slugs.cmp(&b.slugs)));
    let updated = items.first().map_or("1970-01-01", |e| e.reviewed.as_str());
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = writeln!(
        out,
        "  <title>{}: editorial comparisons</title>",
        xml_escape(&site.name)
    );
    let _ = writeln!(out, "  <id>{}</id>", xml_escape(&u.absolute("/feed.xml")));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" href=\"{}\"/>",
        xml_escape(&u.absolute("/feed.xml"))
    );
    let _ = writeln!(out, "  <link href=\"{}\"/>", xml_escape(&u.home()));
    let _ = writeln!(out, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(
        out,
        "  <author><name>{}</name></author>",
        xml_escape(&site.name)
    );
    for e in items {
        let slugs: Vec<&str> = e.slugs.iter().map(String::as_str).collect();
        let names: Vec<&str> = slugs
            .iter()
            .filter_map(|s| catalog.topic(s))
            .map(|t| t.name.as_str())
            .collect();
        let verdict = match e.pick.as_deref() {
            Some(p) => format!(
                "Our pick: {}.",
                catalog.topic(p).map_or(p, |t| t.name.as_str())
            ),
            None => format!("{}.", e.outcome.label()),
        };
        let link = u.compare(&slugs);
        let _ = writeln!(out, "  <entry>");
        let _ = writeln!(
            out,
            "    <title>{}</title>",
            xml_escape(&names.join(" vs "))
        );
        let _ = writeln!(out, "    <id>{}</id>", xml_escape(&link));
        let _ = writeln!(out, "    <link href=\"{}\"/>", xml_escape(&link));
        let _ = writeln!(out, "    <updated>{}T00:00:00Z</updated>", e.reviewed);
        let _ = writeln!(
            out,
            "    <summary>{} {}</summary>",
            xml_escape(&verdict),
            xml_escape(&e.short_answer)
        );
        let _ = writeln!(out, "  </entry>");
    }
    out.push_str("</feed>\n");
    out
}

pub fn robots(site: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\nDisallow: /api/\nDisallow: /search\n\nSitemap: {}\n",
        site.urls.absolute("/sitemap.xml")
    )
}
