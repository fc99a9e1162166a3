//! criteria.toml (criteria, each category's weights, profiles) and
//! categories.toml.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};

use verdict_core::lint::Prose;
use verdict_core::model::{Category, Criterion, Measure, Profile, is_valid_slug};

use super::parse;
use super::suggest::unknown_criterion;
use crate::diagnostic::{Diagnostic, Severity, Sink};
use crate::reader::{Fields, Value, as_f64, wrong_type};
use crate::{Code, SourceFile};

/// Each category's weights from criteria.toml, in the criteria's order,
/// with the offset of its table; categories.toml takes them.
pub(super) type CategoryWeights = BTreeMap<String, (Vec<(String, f64)>, usize)>;

pub(super) fn read_criteria(
    f: &SourceFile,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Criterion>, CategoryWeights, Vec<Profile>) {
    let Some(doc) = parse(f, &f.text, diags) else {
        return Default::default();
    };
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let mut top = Fields::new(&doc, 0, "");
    let criteria = read_criterion_tables(&mut top, &mut sink);
    let weights = read_weights(&mut top, &mut sink, &criteria);
    let profiles = read_profiles(&mut top, &mut sink, &criteria);
    top.finish(&mut sink);
    if criteria.is_empty() {
        sink.error(
            Code::NoCriteria,
            None,
            "",
            "no usable criterion is defined, so nothing can be scored",
            "define at least one `[criteria.<id>]` table with a `label` and `high_means`, fixing the errors reported here",
        );
    }
    (criteria, weights, profiles)
}

/// `[criteria.<id>]`: each with a `label` and what a high score means.
fn read_criterion_tables(top: &mut Fields<'_, '_>, sink: &mut Sink<'_>) -> Vec<Criterion> {
    let mut criteria = Vec::new();
    let Some((table, _)) = top.table(sink, "criteria", true) else {
        return criteria;
    };
    for (id, v) in table.iter() {
        let id_str: &str = id.get_ref();
        let key = format!("criteria.{id_str}");
        if !is_valid_slug(id_str) {
            sink.error(
                Code::BadSlug,
                Some(id.span().start),
                &key,
                format!("`{id_str}` is not a valid criterion id"),
                "use lowercase words joined by single hyphens",
            );
        }
        let DeValue::Table(t) = v.get_ref() else {
            wrong_type(sink, v, &key, "a table", v.get_ref());
            continue;
        };
        let mut fields = Fields::new(t, id.span().start, &key);
        let label = fields.prose(sink, "label", Prose::Label, true);
        let high = fields.prose(sink, "high_means", Prose::Label, true);
        let computed_from = read_measure(&mut fields, sink, &key);
        fields.finish(sink);
        if let (Some(label), Some(high_means), Some(computed_from)) = (label, high, computed_from) {
            criteria.push(Criterion {
                id: id_str.to_owned(),
                label,
                high_means,
                computed_from,
            });
        }
    }
    criteria
}

/// `computed_from = "git-activity"`: the criterion is scored from measured
/// figures, never by editors. `Some(None)` when absent, `None` after
/// reporting an unknown measure.
fn read_measure(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    key: &str,
) -> Option<Option<Measure>> {
    let Some((name, at)) = fields.string(sink, "computed_from", false) else {
        return Some(None);
    };
    match Measure::ALL.into_iter().find(|m| m.as_str() == name) {
        Some(m) => Some(Some(m)),
        None => {
            let known: Vec<&str> = Measure::ALL.iter().map(|m| m.as_str()).collect();
            sink.error(
                Code::UnknownMeasure,
                Some(at),
                &format!("{key}.computed_from"),
                format!("`{name}` is not a measure a score can be computed from"),
                format!(
                    "use one of {}, or remove the key to let editors write the score",
                    known.join(", ")
                ),
            );
            None
        }
    }
}

/// `[weights.<category>]`: criterion = weight, per category.
fn read_weights(
    top: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    criteria: &[Criterion],
) -> CategoryWeights {
    let mut weights = CategoryWeights::new();
    let Some((table, _)) = top.table(sink, "weights", true) else {
        return weights;
    };
    for (cat, v) in table.iter() {
        let cat: &str = cat.get_ref();
        let key = format!("weights.{cat}");
        let DeValue::Table(t) = v.get_ref() else {
            wrong_type(sink, v, &key, "a table of criterion = weight", v.get_ref());
            continue;
        };
        let mut list = read_per_criterion(sink, t, &key, criteria, WEIGHT);
        // Keep the criteria's declaration order, so pages list rows the same way.
        list.sort_by_key(|(c, _)| criteria.iter().position(|k| &k.id == c));
        weights.insert(cat.to_owned(), (list, v.span().start));
    }
    weights
}

/// `[profiles.<slug>]`: a reader's preset of multipliers on the weights.
fn read_profiles(
    top: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    criteria: &[Criterion],
) -> Vec<Profile> {
    let mut profiles = Vec::new();
    let Some((table, _)) = top.table(sink, "profiles", false) else {
        return profiles;
    };
    for (slug, v) in table.iter() {
        let slug: &str = slug.get_ref();
        let key = format!("profiles.{slug}");
        if let Some(profile) = read_profile(sink, slug, &key, v, criteria) {
            profiles.push(profile);
        }
    }
    profiles
}

fn read_profile(
    sink: &mut Sink<'_>,
    slug: &str,
    key: &str,
    v: &Value<'_>,
    criteria: &[Criterion],
) -> Option<Profile> {
    let DeValue::Table(t) = v.get_ref() else {
        wrong_type(sink, v, key, "a table", v.get_ref());
        return None;
    };
    let mut fields = Fields::new(t, v.span().start, key);
    let label = fields.prose(sink, "label", Prose::Label, true);
    let description = fields.prose(sink, "description", Prose::Sentences, true);
    let multipliers = match fields.table(sink, "multipliers", true) {
        Some((m, _)) => {
            let key = format!("{key}.multipliers");
            read_per_criterion(sink, m, &key, criteria, MULTIPLIER)
                .into_iter()
                .collect()
        }
        None => BTreeMap::new(),
    };
    fields.finish(sink);
    Some(Profile {
        slug: slug.to_owned(),
        label: label?,
        description: description?,
        multipliers,
    })
}

/// What a number per criterion may be, and what to say when it is not.
#[derive(Debug, Clone, Copy)]
struct Bounds {
    /// Whether 0 is allowed (a multiplier of 0 ignores a criterion; a
    /// category leaves it out instead).
    zero: bool,
    message: &'static str,
    help: &'static str,
}

/// A category's weight: above 0, at most 10.
const WEIGHT: Bounds = Bounds {
    zero: false,
    message: "weight must be a number above 0 and at most 10",
    help: "remove the criterion from the category instead of giving it 0",
};

/// A profile's multiplier: 0 to 10.
const MULTIPLIER: Bounds = Bounds {
    zero: true,
    message: "multiplier must be a number from 0 to 10",
    help: "use 2 to double a criterion's weight, 0.5 to halve it",
};

/// A table of criterion = number under `key` (a category's weights, a
/// profile's multipliers), in the table's order. An unknown criterion or a
/// number out of `bounds` is reported and left out.
fn read_per_criterion(
    sink: &mut Sink<'_>,
    table: &DeTable<'_>,
    key: &str,
    criteria: &[Criterion],
    bounds: Bounds,
) -> Vec<(String, f64)> {
    let mut list = Vec::new();
    for (c, w) in table.iter() {
        let c: &str = c.get_ref();
        let ckey = format!("{key}.{c}");
        if !criteria.iter().any(|k| k.id == c) {
            unknown_criterion(sink, w.span().start, &ckey, c, criteria);
            continue;
        }
        let lowest_ok = |x: f64| if bounds.zero { x >= 0.0 } else { x > 0.0 };
        match as_f64(w.get_ref()) {
            Some(x) if lowest_ok(x) && x <= 10.0 => list.push((c.to_owned(), x)),
            _ => sink.error(
                Code::BadWeight,
                Some(w.span().start),
                &ckey,
                bounds.message,
                bounds.help,
            ),
        }
    }
    list
}

/// The categories of categories.toml that are valid, and every table key
/// in it with its offset, valid or not.
pub(super) fn read_categories(
    f: &SourceFile,
    criteria: &[Criterion],
    mut weights: CategoryWeights,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Category>, Vec<(String, usize)>) {
    let Some(doc) = parse(f, &f.text, diags) else {
        return Default::default();
    };
    let mut categories = Vec::new();
    let mut defined = Vec::new();
    {
        let mut sink = Sink::new(&f.path, &f.text, diags);
        for (slug, v) in doc.iter() {
            let slug_str: &str = slug.get_ref();
            defined.push((slug_str.to_owned(), slug.span().start));
            let at = slug.span().start;
            if let Some(c) = read_category(&mut sink, slug_str, at, v, criteria, &mut weights) {
                categories.push(c);
            }
        }
    }
    let mut sink = Sink::new("criteria.toml", "", diags);
    for (cat, _) in weights {
        sink.error(
            Code::UnknownCategory,
            None,
            &format!("weights.{cat}"),
            format!("weights for category `{cat}`, which categories.toml does not define"),
            "add the category to categories.toml or remove these weights",
        );
    }
    if categories.is_empty() {
        let mut sink = Sink::new(&f.path, &f.text, diags);
        sink.error(
            Code::NoCategories,
            None,
            "",
            "no usable category is defined, so no topic can be published",
            "define at least one `[<slug>]` table with a `name` and a `description`, and its `[weights.<slug>]` in criteria.toml, fixing the errors reported here",
        );
    }
    (categories, defined)
}

/// One `[<slug>]` table of categories.toml, taking its weights out of
/// `weights` (what is left there names no category).
fn read_category(
    sink: &mut Sink<'_>,
    slug: &str,
    at: usize,
    v: &Value<'_>,
    criteria: &[Criterion],
    weights: &mut CategoryWeights,
) -> Option<Category> {
    if !is_valid_slug(slug) {
        sink.error(
            Code::BadSlug,
            Some(at),
            slug,
            format!("`{slug}` is not a valid category slug"),
            "use lowercase words joined by single hyphens",
        );
        return None;
    }
    let DeValue::Table(t) = v.get_ref() else {
        wrong_type(sink, v, slug, "a table", v.get_ref());
        return None;
    };
    let mut fields = Fields::new(t, at, slug);
    let name = fields.prose(sink, "name", Prose::Label, true);
    let description = fields.prose(sink, "description", Prose::Sentences, true);
    fields.finish(sink);
    let w = match weights.remove(slug) {
        Some((w, _)) if !w.is_empty() => w,
        _ => {
            sink.error(
                Code::MissingWeights,
                Some(at),
                slug,
                "category has no criterion weights",
                format!("add a `[weights.{slug}]` table to criteria.toml"),
            );
            return None;
        }
    };
    // Criteria every category should weigh, so topics compare across
    // categories.
    for required in ["popularity", "learning-curve"] {
        if criteria.iter().any(|c| c.id == required) && !w.iter().any(|(c, _)| c == required) {
            sink.push(
                Severity::Warning,
                Code::MissingWeights,
                Some(at),
                Some(slug),
                format!(
                    "category does not weigh `{required}`, so its topics share less with other categories"
                ),
                Some(format!("add `{required}` to `[weights.{slug}]`")),
            );
        }
    }
    Some(Category {
        slug: slug.to_owned(),
        name: name?,
        description: description?,
        weights: w,
    })
}
