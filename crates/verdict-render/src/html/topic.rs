//! Topic pages.

use askama::Template;

use verdict_core::model::{Catalog, Source, Topic, capitalise};

use super::compare::{EvidenceLine, evidence_line};
use super::{Layout, Link, SiteConfig, layout, script_json};

#[derive(Debug, Clone)]
pub struct ScoreLine {
    pub label: String,
    pub score: u8,
    pub reason: std::sync::Arc<str>,
    pub bar: u32,
}

/// A topic page. Template: `topic.html`.
#[derive(Template, Debug)]
#[template(path = "topic.html")]
pub struct TopicPage {
    pub layout: Layout,
    pub name: String,
    pub kind: String,
    pub category: Link,
    pub tagline: String,
    pub use_when: String,
    pub aliases: String,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub scores: Vec<ScoreLine>,
    pub evidence: Vec<EvidenceLine>,
    pub sources: Vec<Source>,
    /// The project's activity section (`activity.html`), or empty.
    pub activity_html: String,
    /// The badge and the snippets that embed it (`embed.html`).
    pub embed_html: String,
    pub related: Vec<Link>,
    pub compared_with: Vec<Link>,
    /// What it is used for, as a sentence ("Prometheus is for metrics and
    /// alerting."), or empty.
    pub jobs: String,
    /// Topics it is used together with.
    pub used_with: Vec<Link>,
    pub reviewed: String,
}

/// The topics `topic` is most often compared with, best first: editorial
/// comparisons, then declared alternatives (either direction), then other
/// topics that do one of its jobs, then topics it is used with. Pairs that
/// do different jobs are never offered.
pub fn compared_with<'a>(catalog: &'a Catalog, topic: &Topic) -> Vec<&'a Topic> {
    // Points by slug: 100 for a two-way editorial, 50 for a declared
    // alternative, 30 for being declared an alternative by the other topic,
    // 10 for sharing a job, 5 for being used together. Only candidates are
    // looked at, through the catalog's indexes: going through every topic
    // made each topic page cost O(topics), seconds in all for 10,000 topics.
    let mut points: std::collections::BTreeMap<&str, (u32, &'a Topic)> = Default::default();
    let mut add = |t: &'a Topic, n: u32| {
        if t.slug != topic.slug {
            points.entry(t.slug.as_str()).or_insert((0, t)).0 += n;
        }
    };
    for e in catalog.editorials() {
        if e.slugs.len() == 2
            && e.slugs.contains(&topic.slug)
            && crate::site::worth_publishing(e.outcome)
        {
            e.slugs
                .iter()
                .filter_map(|s| catalog.topic(s))
                .for_each(|t| add(t, 100));
        }
    }
    for (i, alt) in topic.alternatives.iter().enumerate() {
        if !topic.alternatives[..i].contains(alt) {
            catalog.topic(alt).into_iter().for_each(|t| add(t, 50));
        }
    }
    catalog
        .declaring_alternative(&topic.slug)
        .for_each(|t| add(t, 30));
    for (i, job) in topic.jobs.iter().enumerate() {
        if !topic.jobs[..i].contains(job) {
            catalog.doing(job).for_each(|t| add(t, 10));
        }
    }
    for other in &topic.used_with {
        catalog.topic(other).into_iter().for_each(|t| add(t, 5));
    }
    // Only pairs with something to read: alternatives, complements, or an
    // editorial.
    points.retain(|_, (_, t)| {
        catalog
            .editorial(&[topic.slug.as_str(), t.slug.as_str()])
            .is_some()
            || verdict_core::decide::relation(catalog, &[topic, *t]).is_ok()
            || catalog.used_together(topic, t)
    });
    // Slug order from the map; a stable sort keeps it within equal points.
    let mut ranked: Vec<(u32, &Topic)> = points.into_values().collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.0));
    ranked.into_iter().take(10).map(|(_, t)| t).collect()
}

pub fn topic(site: &SiteConfig, catalog: &Catalog, t: &Topic) -> TopicPage {
    let category = catalog.category(&t.category);
    let order: Vec<&str> = category
        .map(|c| c.weights.iter().map(|(id, _)| id.as_str()).collect())
        .unwrap_or_default();
    let scores = order
        .iter()
        .filter_map(|id| Some((catalog.criterion(id)?, t.scores.get(*id)?)))
        .map(|(c, s)| ScoreLine {
            label: c.label.clone(),
            score: s.value,
            reason: s.reason.clone(),
            bar: u32::from(s.value) * 10,
        })
        .collect();
    let link = |o: &Topic| Link {
        aside: super::aside(&o.name, o.kind),
        text: o.name.clone(),
        url: site.urls.topic(&o.slug),
    };
    let compared_with = compared_with(catalog, t)
        .into_iter()
        .map(|o| {
            let mut pair = [t.slug.as_str(), o.slug.as_str()];
            pair.sort_unstable();
            Link {
                aside: None,
                text: format!("{} vs {}", t.name, o.name),
                url: site.urls.compare(&pair),
            }
        })
        .collect();
    let path = format!("/topics/{}", t.slug);
    let mut l = layout(
        site,
        catalog,
        format!("{} — {}", t.name, site.name),
        t.tagline.clone(),
        &path,
    );
    l.json_ld = Some(script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "DefinedTerm",
        "name": t.name,
        "description": t.tagline,
        "url": site.urls.absolute(&path),
        "inDefinedTermSet": category.map(|c| c.name.clone()),
    })));
    TopicPage {
        layout: l,
        name: t.name.clone(),
        kind: capitalise(t.kind.with_article()),
        category: Link {
            aside: None,
            text: category.map_or_else(|| t.category.clone(), |c| c.name.clone()),
            url: site.urls.category(&t.category),
        },
        tagline: t.tagline.clone(),
        use_when: format!("Choose {} if {}.", t.name, t.use_when),
        aliases: t.aliases.join(", "),
        pros: t.pros.clone(),
        cons: t.cons.clone(),
        scores,
        evidence: t.evidence.iter().map(|e| evidence_line(site, e)).collect(),
        sources: t.sources.clone(),
        embed_html: crate::badge::Embed::new(
            site,
            &format!("/badges/topics/{}.svg", t.slug),
            &format!("/topics/{}", t.slug),
            &format!("verdict: {}", t.name),
        )
        .to_html(),
        activity_html: t
            .activity
            .as_ref()
            .map(|a| {
                super::activity_view(site, &t.slug, &t.name, a, "h2")
                    .render()
                    .expect("activity renders")
            })
            .unwrap_or_default(),
        related: t
            .related
            .iter()
            .filter_map(|r| catalog.topic(r))
            .map(link)
            .collect(),
        compared_with,
        jobs: verdict_core::text::jobs_sentence(catalog, t).unwrap_or_default(),
        used_with: t
            .used_with
            .iter()
            .filter_map(|r| catalog.topic(r))
            .map(link)
            .collect(),
        reviewed: t.reviewed.clone(),
    }
}
