//! A small catalog built in code for unit tests (this crate does no IO).

use std::collections::BTreeMap;

use crate::model::{Catalog, Category, Criterion, Kind, Profile, Score, Topic};

fn criterion(id: &str, label: &str) -> Criterion {
    Criterion {
        id: id.into(),
        label: label.into(),
        high_means: format!("good at {id}"),
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
        reviewed: "2026-11-20".into(),
        scores: scores
            .iter()
            .map(|&(c, v)| {
                (
                    c.to_owned(),
                    Score {
                        value: v,
                        reason: format!("{name} scores {v} on {c}."),
                        from_evidence: None,
                    },
                )
            })
            .collect(),
        packages: BTreeMap::new(),
        evidence: vec![],
    }
}

pub fn catalog() -> Catalog {
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
    let pm = topic(
        "product-management",
        "Product Management",
        Kind::Role,
        "career",
        &[("impact", 8), ("career-demand", 7), ("learning-curve", 6)],
    );
    let rust = topic(
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
    let python = topic(
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
    Catalog::new(
        criteria,
        categories,
        profiles,
        vec![tl, pm, rust, go, python],
        vec![],
    )
}
