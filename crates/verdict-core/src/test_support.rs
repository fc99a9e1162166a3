//! A small catalog built in code for unit tests (this crate does no IO).

use std::collections::BTreeMap;

use crate::model::{
    Catalog, Category, Criterion, Editorial, Job, Kind, Outcome, Profile, Score, Topic,
};

fn criterion(id: &str, label: &str) -> Criterion {
    Criterion {
        id: id.into(),
        label: label.into(),
        high_means: format!("good at {id}"),
        computed_from: None,
    }
}

pub fn topic(slug: &str, name: &str, kind: Kind, category: &str, scores: &[(&str, u8)]) -> Topic {
    Topic {
        slug: slug.into(),
        name: name.into(),
        kind,
        category: category.into(),
        aliases: Vec::new(),
        tagline: format!("{name} in one line."),
        use_when: format!("you want what {name} offers"),
        pros: vec![],
        cons: vec![],
        related: vec![],
        alternatives: vec![],
        jobs: vec![],
        used_with: vec![],
        plural: false,
        reviewed: "2026-11-20".into(),
        scores: scores
            .iter()
            .map(|&(c, v)| {
                (
                    c.to_owned(),
                    Score {
                        value: v,
                        reason: format!("{name} scores {v} on {c}.").into(),
                        from_evidence: None,
                    },
                )
            })
            .collect(),
        packages: BTreeMap::new(),
        evidence: vec![],
        sources: vec![],
        activity: None,
    }
}

/// A topic that does `job`, for tests about what topics are to each other.
pub fn topic_doing(
    job: &str,
    slug: &str,
    name: &str,
    kind: Kind,
    category: &str,
    scores: &[(&str, u8)],
) -> Topic {
    let mut t = topic(slug, name, kind, category, scores);
    t.jobs = vec![job.into()];
    t
}

/// An editorial for `slugs` with the given outcome and pick.
pub fn editorial(slugs: &[&str], outcome: Outcome, pick: Option<&str>) -> Editorial {
    let mut sorted: Vec<String> = slugs.iter().map(|s| (*s).to_owned()).collect();
    sorted.sort();
    Editorial {
        slugs: sorted,
        outcome,
        pick: pick.map(str::to_owned),
        title: None,
        category: None,
        short_answer: "Editors' answer.".into(),
        pick_if: Default::default(),
        also_consider: vec![],
        sections: vec![],
        reviewed: "2026-11-20".into(),
    }
}

pub fn catalog() -> Catalog {
    catalog_with(vec![], vec![])
}

/// The test catalog plus `extra` topics and `editorials`.
pub fn catalog_with(extra: Vec<Topic>, editorials: Vec<Editorial>) -> Catalog {
    let criteria = vec![
        criterion("impact", "Impact"),
        criterion("career-demand", "Job market"),
        criterion("performance", "Performance"),
        criterion("productivity", "Productivity"),
        criterion("learning-curve", "Ease of learning"),
    ];
    let categories = vec![
        Category {
            slug: "career".into(),
            name: "Careers".into(),
            description: "Roles.".into(),
            weights: vec![
                ("impact".into(), 3.0),
                ("career-demand".into(), 3.0),
                ("learning-curve".into(), 2.0),
            ],
        },
        Category {
            slug: "languages".into(),
            name: "Languages".into(),
            description: "Languages.".into(),
            weights: vec![
                ("performance".into(), 2.0),
                ("productivity".into(), 3.0),
                ("learning-curve".into(), 2.0),
            ],
        },
    ];
    let profiles = vec![Profile {
        slug: "beginner".into(),
        label: "Beginner".into(),
        description: "New.".into(),
        multipliers: [("learning-curve".to_owned(), 3.0)].into_iter().collect(),
    }];
    let mut tl = topic(
        "technical-leadership",
        "Technical Leadership",
        Kind::Skill,
        "career",
        &[("impact", 9), ("career-demand", 8), ("learning-curve", 4)],
    );
    tl.aliases = vec!["tech lead".into()];
    tl.jobs = vec!["career-path".into()];
    let mut pm = topic(
        "product-management",
        "Product Management",
        Kind::Role,
        "career",
        &[("impact", 8), ("career-demand", 7), ("learning-curve", 6)],
    );
    pm.jobs = vec!["career-path".into()];
    let mut rust = topic(
        "rust",
        "Rust",
        Kind::Language,
        "languages",
        &[
            ("performance", 10),
            ("productivity", 6),
            ("learning-curve", 3),
        ],
    );
    let mut go = topic(
        "go",
        "Go",
        Kind::Language,
        "languages",
        &[
            ("performance", 8),
            ("productivity", 8),
            ("learning-curve", 8),
        ],
    );
    go.aliases = vec!["golang".into()];
    let mut python = topic(
        "python",
        "Python",
        Kind::Language,
        "languages",
        &[
            ("performance", 3),
            ("productivity", 9),
            ("learning-curve", 9),
        ],
    );
    for t in [&mut rust, &mut go, &mut python] {
        t.jobs = vec!["general-purpose-language".into()];
    }
    let mut topics = vec![tl, pm, rust, go, python];
    topics.extend(extra);
    Catalog::new(criteria, categories, profiles, topics, editorials).with_jobs(
        [
            ("career-path", "building a career"),
            ("general-purpose-language", "general-purpose programming"),
            ("version-control", "version control"),
            ("api-auth", "authenticating API requests"),
            ("dashboards", "dashboards"),
            ("metrics", "metrics and alerting"),
        ]
        .into_iter()
        .map(|(id, label)| Job {
            id: id.into(),
            label: label.into(),
        })
        .collect(),
    )
}
