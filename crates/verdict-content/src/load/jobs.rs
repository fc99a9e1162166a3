//! jobs.toml, and the `jobs` a topic names from it.

use toml::de::DeValue;

use verdict_core::model::{Job, is_valid_slug};

use super::parse;
use super::suggest::closest;
use crate::diagnostic::{Diagnostic, Sink};
use crate::reader::{Fields, wrong_type};
use crate::{Code, SourceFile};

/// jobs.toml: one table per job id with a `label` that reads after "is
/// for".
pub(super) fn read_jobs(f: &SourceFile, diags: &mut Vec<Diagnostic>) -> Vec<Job> {
    let Some(doc) = parse(f, &f.text, diags) else {
        return Vec::new();
    };
    let mut sink = Sink::new(&f.path, &f.text, diags);
    let mut jobs = Vec::new();
    for (id, v) in doc.iter() {
        let id_str: &str = id.get_ref();
        if !is_valid_slug(id_str) {
            sink.error(
                Code::BadSlug,
                Some(id.span().start),
                id_str,
                format!("`{id_str}` is not a valid job id"),
                "use lowercase words joined by single hyphens",
            );
            continue;
        }
        let DeValue::Table(t) = v.get_ref() else {
            wrong_type(&mut sink, v, id_str, "a table with a `label`", v.get_ref());
            continue;
        };
        let mut fields = Fields::new(t, id.span().start, id_str);
        let label = fields.string(&mut sink, "label", true);
        fields.finish(&mut sink);
        let Some((label, at)) = label else { continue };
        if !is_job_label(&label) {
            sink.error(
                Code::JobLabel,
                Some(at),
                &format!("{id_str}.label"),
                "a job label is a lowercase noun phrase with no full stop",
                "write it to read after \"is for\", for example \"version control\"",
            );
            continue;
        }
        jobs.push(Job {
            id: id_str.to_owned(),
            label,
        });
    }
    jobs
}

/// Lowercase, unless it starts with an acronym ("CI/CD pipelines"), and
/// with no full stop.
fn is_job_label(label: &str) -> bool {
    let first_word = label.split_whitespace().next().unwrap_or("");
    let acronym = first_word.chars().filter(|c| c.is_uppercase()).count() > 1;
    let capitalised = label.chars().next().is_some_and(char::is_uppercase);
    !(label.ends_with('.') || (capitalised && !acronym))
}

/// A topic's `jobs`: at least one, each defined in jobs.toml.
pub(super) fn read_topic_jobs(
    fields: &mut Fields<'_, '_>,
    sink: &mut Sink<'_>,
    jobs: &[Job],
) -> Vec<String> {
    let listed = fields.strings(sink, "jobs", true);
    if listed.is_empty() {
        if fields.raw("jobs").is_some() {
            sink.error(
                Code::MissingJobs,
                None,
                "jobs",
                "a topic needs at least one job",
                "name what readers use it for, with ids from jobs.toml: topics that share a job are alternatives",
            );
        }
        return Vec::new();
    }
    let mut out = Vec::new();
    for (id, at) in listed {
        if jobs.iter().any(|j| j.id == id) {
            if !out.contains(&id) {
                out.push(id);
            }
        } else {
            sink.error(
                Code::UnknownJob,
                Some(at),
                "jobs",
                format!("job `{id}` is not defined"),
                match closest(&id, jobs.iter().map(|j| j.id.as_str())) {
                    Some(near) => {
                        format!("did you mean `{near}`? Otherwise define `{id}` in jobs.toml")
                    }
                    None => format!("define `{id}` in jobs.toml, or use a job defined there"),
                },
            );
        }
    }
    out
}
