//! One editorial comparison, `comparisons/<slug>--<slug>.toml`: the file
//! name says which topics it compares, the file what the editors decided.

use std::collections::{BTreeMap, HashMap};

use toml::de::DeValue;

use verdict_core::lint::Prose;
use verdict_core::model::{Category, Editorial, Outcome, Section, Topic};

use super::suggest::{suggest_help, suggest_topic, unknown_category};
use super::{Content, leaves_out, parse};
use crate::diagnostic::{Diagnostic, Sink};
use crate::reader::{Fields, Value, check_prose, wrong_type};
use crate::{Code, SourceFile};

/// Every editorial file that reads without an error that leaves it out.
/// `present` holds the slug of every topic file, loaded or not.
pub(super) fn read_all(
    content: Content<'_>,
    topics: &[Topic],
    present: &super::Present,
    categories: &[Category],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Editorial> {
    let slugs: HashMap<&str, &Topic> = topics.iter().map(|t| (t.slug.as_str(), t)).collect();
    let known = Known {
        topics: &slugs,
        present,
        categories,
    };
    content
        .under("comparisons/")
        .filter_map(|f| read_editorial(f, &known, diags))
        .collect()
}

/// What an editorial is checked against.
struct Known<'a> {
    /// The topics loaded, by slug.
    topics: &'a HashMap<&'a str, &'a Topic>,
    /// The slug of every topic file, including those left out for errors.
    present: &'a super::Present,
    categories: &'a [Category],
}

/// The topics an editorial compares, from its file name.
struct Compared {
    /// As the file name lists them.
    slugs: Vec<String>,
    /// In canonical (alphabetical) order.
    sorted: Vec<String>,
}

impl Compared {
    fn member(&self, s: &str) -> bool {
        self.slugs.iter().any(|x| x == s)
    }

    fn list(&self) -> String {
        self.slugs.join(", ")
    }
}

fn read_editorial(
    f: &SourceFile,
    known: &Known<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Editorial> {
    let stem = f
        .path
        .trim_start_matches("comparisons/")
        .strip_suffix(".toml")?;
    let doc = parse(f, &f.text, diags)?;
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let start = sink.out.len();
    let (compared, mut ok) = read_file_name(&mut sink, stem, known)?;
    let mut fields = Fields::new(&doc, 0, "");
    let outcome = read_outcome(&mut fields, &mut sink);
    ok &= outcome.is_some();
    let picks = outcome == Some(Outcome::Pick);
    let pick = read_pick(&mut fields, &mut sink, picks, &compared);
    if let Some((_, pick_at)) = &pick {
        ok &= check_pick_shares_job(&mut sink, &compared, known, *pick_at);
    }
    let title = fields.prose(&mut sink, "title", Prose::Label, false);
    let category = read_category(&mut fields, &mut sink, known.categories);
    let short_answer = fields.prose(&mut sink, "short_answer", Prose::Sentences, true);
    let reviewed = fields.date(&mut sink, "reviewed", true);
    let also_consider = read_also_consider(&mut fields, &mut sink, &compared, known);
    let pick_if = read_pick_if(&mut fields, &mut sink, &compared);
    let sections = read_sections(&mut fields, &mut sink, &compared);
    fields.finish(&mut sink);
    if !ok || leaves_out(&sink.out[start..]) {
        return None;
    }
    let outcome = outcome?;
    let pick = pick.map(|(p, _)| p);
    if outcome == Outcome::Pick && pick.is_none() {
        return None;
    }
    Some(Editorial {
        slugs: compared.sorted,
        outcome,
        pick,
        title,
        category,
        short_answer: short_answer?,
        pick_if,
        also_consider,
        sections,
        reviewed: reviewed?,
    })
}

/// The compared topics from the file name `stem`, and whether they all
/// loaded; `None` (reported) when the name does not list 2 to 4 distinct
/// topics. A name out of canonical order is reported but still read.
fn read_file_name(sink: &mut Sink<'_>, stem: &str, known: &Known<'_>) -> Option<(Compared, bool)> {
    let slugs: Vec<String> = stem.split("--").map(str::to_owned).collect();
    let mut ok = true;
    if !(2..=4).contains(&slugs.len()) {
        sink.error(
            Code::BadComparison,
            None,
            "",
            format!("`{stem}` must name 2 to 4 topics joined by `--`"),
            "name the file like `postgresql--sqlite.toml`",
        );
        return None;
    }
    for s in &slugs {
        if known.present.contains(s.as_str()) && !known.topics.contains_key(s.as_str()) {
            // Left out for an error reported in its own file.
            ok = false;
        } else if !known.topics.contains_key(s.as_str()) {
            sink.error(
                Code::UnknownTopic,
                None,
                "",
                format!("the file name refers to topic `{s}`, which does not exist"),
                suggest_topic(s, known.topics.keys().copied()),
            );
            ok = false;
        }
    }
    let mut sorted = slugs.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != slugs.len() {
        sink.error(
            Code::BadComparison,
            None,
            "",
            "a topic appears twice in the file name",
            "name each topic once",
        );
        return None;
    }
    if sorted != slugs {
        sink.error(
            Code::ComparisonOrder,
            None,
            "",
            "topics in the file name are not in canonical (alphabetical) order",
            format!("rename the file to `{}.toml`", sorted.join("--")),
        );
    }
    Some((Compared { slugs, sorted }, ok))
}

/// `outcome`: a pick when absent; `None` (reported) when unknown.
fn read_outcome(fields: &mut Fields<'_, '_>, sink: &mut Sink<'_>) -> Option<Outcome> {
    let Some((o, at)) = fields.string(sink, "outcome", false) else {
        return Some(Outcome::Pick);
    };
    let parsed = Outcome::parse(&o);
    if parsed.is_none() {
        sink.error(
            Code::UnknownOutcome,
            Some(at),
            "outcome",
            format!("unknown outcome `{o}`"),
            suggest_help(&o, Outcome::ALL.iter().map(|o| o.as_str())),
        );
    }
    parsed
}

/// `pick`, required when the outcome is a pick (`picks`) and refused
/// otherwise: the picked topic and where the key is, when it is one of the
/// compared.
fn read_pick(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    picks: bool,
    compared: &Compared,
) -> Option<(String, usize)> {
    let (p, at) = fields.string(sink, "pick", picks)?;
    if !picks {
        sink.error(
            Code::PickNotAllowed,
            Some(at),
            "pick",
            "only an editorial whose outcome is a pick names one",
            "remove `pick`, or remove `outcome` to make this a pick",
        );
        None
    } else if compared.member(&p) {
        Some((p, at))
    } else {
        sink.error(
            Code::BadPick,
            Some(at),
            "pick",
            format!("`{p}` is not one of the compared topics"),
            format!("pick one of {}", compared.list()),
        );
        None
    }
}

/// Whether the compared topics share a job, as topics the editors pick
/// between must; reports it when they do not. Topics not loaded are
/// reported in their own files.
fn check_pick_shares_job(
    sink: &mut Sink<'_>,
    compared: &Compared,
    known: &Known<'_>,
    pick_at: usize,
) -> bool {
    let members: Vec<&Topic> = compared
        .slugs
        .iter()
        .filter_map(|s| known.topics.get(s.as_str()).copied())
        .collect();
    if members.len() != compared.slugs.len()
        || members[0]
            .jobs
            .iter()
            .any(|j| members.iter().all(|t| t.jobs.contains(j)))
    {
        return true;
    }
    sink.error(
        Code::PickAcrossJobs,
        Some(pick_at),
        "pick",
        "the editors pick between topics that share no job, so they are not alternatives",
        "give the topics a job they share in their `jobs`, or set `outcome = \"complements\"` (used together) or `\"different-jobs\"` and remove `pick`",
    );
    false
}

/// `category`, which must exist.
fn read_category(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    categories: &[Category],
) -> Option<String> {
    let (c, at) = fields.string(sink, "category", false)?;
    if categories.iter().any(|x| x.slug == c) {
        return Some(c);
    }
    unknown_category(sink, at, &c, categories);
    None
}

/// `also_consider`: loaded topics other than the compared. A topic that
/// does not exist is reported; one left out for errors is dropped quietly.
fn read_also_consider(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    compared: &Compared,
    known: &Known<'_>,
) -> Vec<String> {
    fields
        .strings(sink, "also_consider", false)
        .into_iter()
        .filter(|(s, at)| {
            let loaded = known.topics.contains_key(s.as_str());
            if !loaded && !known.present.contains(s.as_str()) {
                sink.error(
                    Code::UnknownTopic,
                    Some(*at),
                    "also_consider",
                    format!("topic `{s}` does not exist"),
                    suggest_topic(s, known.topics.keys().copied()),
                );
            }
            loaded && !compared.member(s)
        })
        .map(|(s, _)| s)
        .collect()
}

/// `[pick_if]`: per compared topic, the clauses that make it the pick.
fn read_pick_if(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    compared: &Compared,
) -> BTreeMap<String, Vec<String>> {
    let mut pick_if = BTreeMap::new();
    let Some((table, _)) = fields.table(sink, "pick_if", false) else {
        return pick_if;
    };
    for (s, v) in table.iter() {
        let s: &str = s.get_ref();
        let key = format!("pick_if.{s}");
        if !compared.member(s) {
            sink.error(
                Code::UnknownTopic,
                Some(v.span().start),
                &key,
                format!("`{s}` is not one of the compared topics"),
                format!("use one of {}", compared.list()),
            );
            continue;
        }
        let DeValue::Array(items) = v.get_ref() else {
            wrong_type(sink, v, &key, "an array of clauses", v.get_ref());
            continue;
        };
        let mut clauses = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let ikey = format!("{key}[{i}]");
            match item.get_ref() {
                DeValue::String(c) => {
                    check_prose(sink, &ikey, item.span().start, c, Prose::YouClause);
                    clauses.push(c.to_string());
                }
                other => wrong_type(sink, item, &ikey, "a string", other),
            }
        }
        pick_if.insert(s.to_owned(), clauses);
    }
    pick_if
}

/// `[[sections]]`: headed Markdown sections, each with an optional winner.
fn read_sections(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    compared: &Compared,
) -> Vec<Section> {
    let Some(v) = fields.raw("sections") else {
        return Vec::new();
    };
    let DeValue::Array(items) = v.get_ref() else {
        let want = "an array of [[sections]] tables";
        wrong_type(sink, v, "sections", want, v.get_ref());
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read_section(sink, &format!("sections[{i}]"), item, compared))
        .collect()
}

fn read_section(
    sink: &mut Sink<'_>,
    key: &str,
    item: &Value<'_>,
    compared: &Compared,
) -> Option<Section> {
    let DeValue::Table(t) = item.get_ref() else {
        wrong_type(sink, item, key, "a table", item.get_ref());
        return None;
    };
    let mut sf = Fields::new(t, item.span().start, key);
    let heading = sf.prose(sink, "heading", Prose::Label, true);
    let winner = sf.string(sink, "winner", false).and_then(|(w, at)| {
        if w == "tie" {
            None
        } else if compared.member(&w) {
            Some(w)
        } else {
            sink.error(
                Code::BadPick,
                Some(at),
                &format!("{key}.winner"),
                format!("`{w}` is not one of the compared topics"),
                format!("use one of {} or \"tie\"", compared.list()),
            );
            None
        }
    });
    let body = sf.prose(sink, "body", Prose::Sentences, true);
    sf.finish(sink);
    Some(Section {
        heading: heading?,
        winner,
        body: body?.trim().to_owned(),
    })
}
