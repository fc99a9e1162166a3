//! The page script and the Rust engine must agree on every personal pick:
//! same pick, same scores, same deciding criterion, same sentences. Runs the
//! real `assets/verdict.js` under Node over a few thousand cases from the
//! bundled catalog.

use std::collections::BTreeMap;
use std::process::Command;

use verdict_core::decide::Preferences;
use verdict_core::text::num;
use verdict_render::html::client_data;
use verdict_render::site::published_comparisons;
use verdict_render::{ComparisonView, SiteConfig};

/// A deterministic generator for test weights (no random source).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn node() -> Option<String> {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| "node".to_owned())
}

#[test]
fn browser_and_server_agree_on_personal_picks() {
    let Some(node) = node() else {
        // CI installs Node (.ci/run); a developer machine without it skips loudly.
        eprintln!("SKIPPED browser_and_server_agree_on_personal_picks: `node` is not installed");
        return;
    };
    let loaded = verdict_content::load_embedded();
    let catalog = &loaded.catalog;
    let site = SiteConfig::default();
    let mut rng = Lcg(7);

    let mut comparisons: Vec<Vec<String>> = published_comparisons(catalog)
        .into_iter()
        .step_by(4)
        .collect();
    // Three- and four-way rankings too.
    let langs: Vec<String> = catalog
        .topics_in("languages")
        .map(|t| t.slug.clone())
        .collect();
    for i in 0..20 {
        let n = 3 + i % 2;
        let mut pick: Vec<String> = (0..n)
            .map(|k| langs[(i * 5 + k * 7) % langs.len()].clone())
            .collect();
        pick.sort();
        pick.dedup();
        comparisons.push(pick);
    }

    let mut cases = Vec::new();
    let mut expected = Vec::new();
    let mut outcomes = std::collections::BTreeSet::new();
    let mut unweighed = 0;
    for slugs in &comparisons {
        let topics: Vec<_> = slugs.iter().map(|s| catalog.topic(s).unwrap()).collect();
        let mut prefs_list: Vec<Preferences> = catalog
            .profiles()
            .iter()
            .map(|p| Preferences {
                profile: Some(p.slug.clone()),
                weights: BTreeMap::new(),
            })
            .collect();
        let base =
            ComparisonView::build(catalog, &site.urls, &topics, &Preferences::default()).unwrap();
        if !base.decision.outcome.alternatives() {
            // No weights make a pick between topics that are not alternatives.
            continue;
        }
        for _ in 0..3 {
            let mut weights = BTreeMap::new();
            for (id, _) in &base.decision.weights.0 {
                if rng.next().is_multiple_of(2) {
                    // Halves from 0 to 10, as the form's inputs step.
                    weights.insert(id.clone(), (rng.next() % 21) as f64 / 2.0);
                }
            }
            let profile = (rng.next().is_multiple_of(3))
                .then(|| catalog.profiles()[(rng.next() % 5) as usize].slug.clone());
            prefs_list.push(Preferences { profile, weights });
        }
        // Every criterion at zero: too close to call, in both engines.
        prefs_list.push(Preferences {
            profile: None,
            weights: base
                .decision
                .weights
                .0
                .iter()
                .map(|(id, _)| (id.clone(), 0.0))
                .collect(),
        });
        for prefs in prefs_list {
            if prefs.is_default() {
                continue;
            }
            let Ok(view) = ComparisonView::build(catalog, &site.urls, &topics, &prefs) else {
                continue;
            };
            let d = &view.decision;
            // Personal mode: the pick is the scorecard's, or nobody's.
            let (first, second) = match d.pick.as_deref() {
                Some(p) => (p, d.runner_up()),
                None => (d.ranking[0].slug.as_str(), d.ranking[1].slug.as_str()),
            };
            let score = |s: &str| d.standing(s).unwrap().score;
            let scores: BTreeMap<String, f64> = d
                .ranking
                .iter()
                .map(|s| (s.slug.clone(), s.score))
                .collect();
            outcomes.insert(d.outcome.as_str());
            unweighed += usize::from(d.unweighed());
            let mut query = Vec::new();
            if let Some(p) = &prefs.profile {
                query.push(format!("profile={p}"));
            }
            for (id, w) in &prefs.weights {
                query.push(format!("w.{id}={}", num(*w)));
            }
            expected.push(serde_json::json!({
                "outcome": d.outcome.as_str(),
                "pick": d.pick,
                "scores": scores,
                "confidence": d.confidence.map_or("no pick", |c| c.label()),
                "deciding": d.deciding.as_deref().and_then(|c| catalog.criterion(c)).map(|c| c.label.clone()),
                "pickScores": format!("{} vs {} out of 10", num(score(first)), num(score(second))),
                "bottomLine": view.verdict.bottom_line,
                "flip": view.verdict.flip,
                "query": if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) },
            }));
            cases.push(serde_json::json!({
                "data": client_data(&site, catalog, &view),
                "profile": prefs.profile.clone().unwrap_or_default(),
                "overrides": prefs.weights,
            }));
        }
    }
    assert!(cases.len() > 1000, "only {} cases", cases.len());
    assert!(
        unweighed > 50,
        "only {unweighed} cases weigh everything at zero"
    );
    // Both outcomes a reader's weights can reach are exercised.
    assert_eq!(
        outcomes.into_iter().collect::<Vec<_>>(),
        ["pick", "too-close"]
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cases.json");
    std::fs::write(&path, serde_json::to_string(&cases).unwrap()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/verdict.js");
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/agree.js");
    let out = Command::new(node)
        .args([harness, script, path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got.len(), expected.len());
    let mut mismatches = 0;
    for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
        // Scores: the same two-decimal numbers.
        let same_scores = e["scores"]
            .as_object()
            .unwrap()
            .iter()
            .all(|(k, v)| g["scores"][k].as_f64() == v.as_f64());
        let fields = [
            "outcome",
            "pick",
            "confidence",
            "deciding",
            "pickScores",
            "bottomLine",
            "flip",
            "query",
        ];
        let diff: Vec<&str> = fields.iter().copied().filter(|f| g[*f] != e[*f]).collect();
        if !diff.is_empty() || !same_scores {
            mismatches += 1;
            if mismatches <= 5 {
                eprintln!(
                    "case {i} differs in {diff:?} (scores equal: {same_scores})\n  rust: {e}\n  js:   {g}"
                );
            }
        }
    }
    assert_eq!(
        mismatches,
        0,
        "{mismatches} of {} cases differ",
        expected.len()
    );
    eprintln!("{} cases agree", expected.len());
}
